/* params.c — both Paxos algorithms' scenario "params" (see params.h). */
#include "algorithms/paxos/params.h"

#include <stdio.h>
#include <string.h>

static const char *const paxos_bug_names[PAXOS_BUG_COUNT] = {
#define PAXOS_X_NAME(id, name) name,
    PAXOS_BUG_MAP(PAXOS_X_NAME)
#undef PAXOS_X_NAME
};

const char *paxos_bug_name(unsigned bit)
{
    return bit < PAXOS_BUG_COUNT ? paxos_bug_names[bit] : NULL;
}

static int paxos_param_err(char *err, size_t errlen, const char *key,
                           const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", key, what);
    return -1;
}

/* An integral JSON number in [lo, hi]. */
static bool paxos_json_int(const cJSON *v, int64_t lo, int64_t hi,
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

/* "key": [lo, hi], integers in [1, 3600000], lo <= hi. */
static int paxos_parse_range(const cJSON *v, const char *key, int64_t *lo,
                             int64_t *hi, char *err, size_t errlen)
{
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
        return paxos_param_err(err, errlen, key, "must be [lo, hi]");
    if (!paxos_json_int(cJSON_GetArrayItem(v, 0), 1, 3600000, lo) ||
        !paxos_json_int(cJSON_GetArrayItem(v, 1), 1, 3600000, hi))
        return paxos_param_err(err, errlen, key,
                               "must be integers in [1, 3600000]");
    if (*lo > *hi)
        return paxos_param_err(err, errlen, key, "must have lo <= hi");
    return 0;
}

static int paxos_parse_bugs(const cJSON *v, paxos_params *p, char *err,
                            size_t errlen)
{
    if (!cJSON_IsArray(v))
        return paxos_param_err(err, errlen, "bugs",
                               "must be an array of names");
    const cJSON *b;
    cJSON_ArrayForEach(b, v) {
        if (!cJSON_IsString(b))
            return paxos_param_err(err, errlen, "bugs",
                                   "must be an array of names");
        unsigned k = 0;
        while (k < PAXOS_BUG_COUNT && strcmp(b->valuestring, paxos_bug_names[k]))
            k++;
        if (k == PAXOS_BUG_COUNT) {
            char what[240];
            int n = snprintf(what, sizeof what, "unknown bug \"%.40s\" (known:",
                             b->valuestring);
            for (unsigned j = 0; j < PAXOS_BUG_COUNT && n > 0 &&
                                 (size_t)n < sizeof what; j++)
                n += snprintf(what + n, sizeof what - (size_t)n, "%s %s",
                              j ? "," : "", paxos_bug_names[j]);
            if (n > 0 && (size_t)n < sizeof what)
                snprintf(what + n, sizeof what - (size_t)n, ")");
            return paxos_param_err(err, errlen, "bugs", what);
        }
        p->bugs |= 1u << k;
    }
    return 0;
}

static int paxos_parse_int(const cJSON *v, const char *key, int64_t lo,
                           int64_t hi, int64_t *out, const char *what,
                           char *err, size_t errlen)
{
    if (!paxos_json_int(v, lo, hi, out))
        return paxos_param_err(err, errlen, key, what);
    return 0;
}

static int paxos_parse_basic_key(const cJSON *v, paxos_params *p, char *err,
                                 size_t errlen)
{
    const char *k = v->string;
    if (!strcmp(k, "backoff_ms"))
        return paxos_parse_range(v, k, &p->backoff_lo_ms, &p->backoff_hi_ms,
                                 err, errlen);
    if (!strcmp(k, "retry_ms"))
        return paxos_parse_int(v, k, 1, 3600000, &p->retry_ms,
                               "must be > 0 (an integer)", err, errlen);
    if (!strcmp(k, "bugs"))
        return paxos_parse_bugs(v, p, err, errlen);
    if (!strcmp(k, "chosen_within_ms"))
        return paxos_parse_int(v, k, 1, 3600000, &p->chosen_within_ms,
                               "must be > 0 (an integer)", err, errlen);
    return paxos_param_err(err, errlen, k,
                           "unknown parameter (known: backoff_ms, retry_ms, "
                           "bugs, chosen_within_ms)");
}

static int paxos_parse_multi_key(const cJSON *v, paxos_params *p, char *err,
                                 size_t errlen)
{
    const char *k = v->string;
    if (!strcmp(k, "election_timeout_ms"))
        return paxos_parse_range(v, k, &p->election_lo_ms, &p->election_hi_ms,
                                 err, errlen);
    if (!strcmp(k, "heartbeat_ms"))
        return paxos_parse_int(v, k, 1, 3600000, &p->heartbeat_ms,
                               "must be > 0 (an integer)", err, errlen);
    if (!strcmp(k, "initial_leader"))
        return paxos_parse_int(v, k, -1, 1023, &p->initial_leader,
                               "must be a server index >= 0, or -1 for none",
                               err, errlen);
    if (!strcmp(k, "batch"))
        return paxos_parse_int(v, k, 1, 65536, &p->batch,
                               "must be an integer in [1, 65536]", err, errlen);
    if (!strcmp(k, "bugs"))
        return paxos_parse_bugs(v, p, err, errlen);
    if (!strcmp(k, "chosen_within_ms"))
        return paxos_parse_int(v, k, 1, 3600000, &p->chosen_within_ms,
                               "must be > 0 (an integer)", err, errlen);
    return paxos_param_err(err, errlen, k,
                           "unknown parameter (known: election_timeout_ms, "
                           "heartbeat_ms, initial_leader, batch, bugs, "
                           "chosen_within_ms)");
}

int paxos_params_parse(paxos_family fam, const cJSON *params, paxos_params *p,
                       char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->backoff_lo_ms = 10;
    p->backoff_hi_ms = 60;
    p->retry_ms = 50;
    p->election_lo_ms = 150;
    p->election_hi_ms = 300;
    p->heartbeat_ms = 50;
    p->initial_leader = -1;
    p->batch = 64;
    if (!params || cJSON_IsNull(params))
        return 0;
    if (!cJSON_IsObject(params))
        return paxos_param_err(err, errlen, "params", "must be an object");
    const cJSON *v;
    cJSON_ArrayForEach(v, params) {
        int rc = fam == PAXOS_FAMILY_BASIC
                     ? paxos_parse_basic_key(v, p, err, errlen)
                     : paxos_parse_multi_key(v, p, err, errlen);
        if (rc != 0)
            return -1;
    }
    if (fam == PAXOS_FAMILY_MULTI && p->heartbeat_ms >= p->election_lo_ms)
        return paxos_param_err(err, errlen, "heartbeat_ms",
                               "must be < election_timeout_ms[0] (followers "
                               "would suspect the leader between heartbeats)");
    return 0;
}
