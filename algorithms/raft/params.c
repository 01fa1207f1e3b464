/* params.c — Raft's scenario "params": defaults, parsing and validation.
 * Unknown keys and bad values are rejected with "key: what is wrong". */
#include "algorithms/raft/raft.h"

#include <stdio.h>
#include <string.h>

static const char *const raft_bug_names[RAFT_BUG_COUNT] = {
#define RAFT_X_NAME(id, name) name,
    RAFT_BUG_MAP(RAFT_X_NAME)
#undef RAFT_X_NAME
};

static int raft_param_err(char *err, size_t errlen, const char *key,
                          const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", key, what);
    return -1;
}

/* An integral JSON number in [lo, hi]. */
static bool raft_json_int(const cJSON *v, int64_t lo, int64_t hi,
                          int64_t *out)
{
    if (!cJSON_IsNumber(v))
        return false;
    double d = v->valuedouble;
    if (!(d >= (double)lo && d <= (double)hi) || (double)(int64_t)d != d)
        return false;
    *out = (int64_t)d;
    return true;
}

static int raft_parse_election(const cJSON *v, raft_params *p, char *err,
                               size_t errlen)
{
    const char *key = "election_timeout_ms";
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
        return raft_param_err(err, errlen, key, "must be [lo, hi]");
    if (!raft_json_int(cJSON_GetArrayItem(v, 0), 1, 3600000,
                       &p->election_lo_ms) ||
        !raft_json_int(cJSON_GetArrayItem(v, 1), 1, 3600000,
                       &p->election_hi_ms))
        return raft_param_err(err, errlen, key,
                              "must be integers in [1, 3600000]");
    if (p->election_lo_ms > p->election_hi_ms)
        return raft_param_err(err, errlen, key, "must have lo <= hi");
    return 0;
}

static int raft_parse_bugs(const cJSON *v, raft_params *p, char *err,
                           size_t errlen)
{
    if (!cJSON_IsArray(v))
        return raft_param_err(err, errlen, "bugs", "must be an array of names");
    const cJSON *b;
    cJSON_ArrayForEach(b, v) {
        if (!cJSON_IsString(b))
            return raft_param_err(err, errlen, "bugs",
                                  "must be an array of names");
        unsigned k = 0;
        while (k < RAFT_BUG_COUNT && strcmp(b->valuestring, raft_bug_names[k]))
            k++;
        if (k == RAFT_BUG_COUNT) {
            char what[200];
            int n = snprintf(what, sizeof what, "unknown bug \"%.40s\" (known:",
                             b->valuestring);
            for (unsigned j = 0; j < RAFT_BUG_COUNT && n > 0 &&
                                 (size_t)n < sizeof what; j++)
                n += snprintf(what + n, sizeof what - (size_t)n, "%s %s",
                              j ? "," : "", raft_bug_names[j]);
            if (n > 0 && (size_t)n < sizeof what)
                snprintf(what + n, sizeof what - (size_t)n, ")");
            return raft_param_err(err, errlen, "bugs", what);
        }
        p->bugs |= 1u << k;
    }
    return 0;
}

static int raft_parse_read(const cJSON *v, raft_params *p, char *err,
                           size_t errlen)
{
    if (cJSON_IsString(v) && !strcmp(v->valuestring, "log"))
        p->read_mode = RAFT_READ_LOG;
    else if (cJSON_IsString(v) && !strcmp(v->valuestring, "readindex"))
        p->read_mode = RAFT_READ_INDEX;
    else
        return raft_param_err(err, errlen, "read",
                              "must be \"log\" or \"readindex\"");
    return 0;
}

static int raft_parse_bool(const cJSON *v, const char *key, bool *out,
                           char *err, size_t errlen)
{
    if (!cJSON_IsBool(v))
        return raft_param_err(err, errlen, key, "must be true or false");
    *out = cJSON_IsTrue(v);
    return 0;
}

static int raft_parse_key(const cJSON *v, raft_params *p, char *err,
                          size_t errlen)
{
    const char *k = v->string;
    if (!strcmp(k, "election_timeout_ms"))
        return raft_parse_election(v, p, err, errlen);
    if (!strcmp(k, "heartbeat_ms")) {
        if (!raft_json_int(v, 1, 3600000, &p->heartbeat_ms))
            return raft_param_err(err, errlen, k, "must be > 0 (an integer)");
        return 0;
    }
    if (!strcmp(k, "prevote"))
        return raft_parse_bool(v, k, &p->prevote, err, errlen);
    if (!strcmp(k, "check_quorum"))
        return raft_parse_bool(v, k, &p->check_quorum, err, errlen);
    if (!strcmp(k, "snapshot_every")) {
        if (!raft_json_int(v, 0, INT32_MAX, &p->snapshot_every))
            return raft_param_err(err, errlen, k,
                                  "must be an integer >= 0 (0 = off)");
        return 0;
    }
    if (!strcmp(k, "transfer_every_ms")) {
        if (!raft_json_int(v, 0, 3600000, &p->transfer_every_ms))
            return raft_param_err(err, errlen, k,
                                  "must be an integer in [0, 3600000] "
                                  "(0 = off)");
        return 0;
    }
    if (!strcmp(k, "read"))
        return raft_parse_read(v, p, err, errlen);
    if (!strcmp(k, "bugs"))
        return raft_parse_bugs(v, p, err, errlen);
    return raft_param_err(err, errlen, k,
                          "unknown parameter (known: election_timeout_ms, "
                          "heartbeat_ms, prevote, check_quorum, "
                          "snapshot_every, transfer_every_ms, read, bugs)");
}

int raft_params_parse(const cJSON *params, raft_params *p, char *err,
                      size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->election_lo_ms = 150;
    p->election_hi_ms = 300;
    p->heartbeat_ms = 50;
    p->read_mode = RAFT_READ_LOG;
    if (!params || cJSON_IsNull(params))
        return 0;
    if (!cJSON_IsObject(params))
        return raft_param_err(err, errlen, "params", "must be an object");
    const cJSON *v;
    cJSON_ArrayForEach(v, params) {
        if (raft_parse_key(v, p, err, errlen) != 0)
            return -1;
    }
    /* The ignore-* bugs take the param and leave the feature out. */
    if (p->bugs & RAFT_BUG(IGNORE_PREVOTE))
        p->prevote = false;
    if (p->bugs & RAFT_BUG(IGNORE_CQ))
        p->check_quorum = false;
    if (p->bugs & RAFT_BUG(IGNORE_SNAPSHOT))
        p->snapshot_every = 0;
    if (p->bugs & RAFT_BUG(IGNORE_READINDEX))
        p->read_mode = RAFT_READ_LOG;
    if (p->heartbeat_ms >= p->election_lo_ms)
        return raft_param_err(err, errlen, "heartbeat_ms",
                              "must be < election_timeout_ms[0] (followers "
                              "would time out between heartbeats)");
    return 0;
}
