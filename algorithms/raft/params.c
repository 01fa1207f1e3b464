/* params.c — Raft's scenario "params": defaults, parsing and validation.
 * Unknown keys and bad values are rejected with "key: what is wrong". */
#include "algorithms/raft/raft.h"
#include "algorithms/params/params.h"

#include <stdio.h>
#include <string.h>

static const char *const raft_bug_names[RAFT_BUG_COUNT] = {
#define RAFT_X_NAME(id, name) name,
    RAFT_BUG_MAP(RAFT_X_NAME)
#undef RAFT_X_NAME
};

static int raft_parse_bugs(const cJSON *v, raft_params *p, char *err,
                           size_t errlen)
{
    return fl_param_bugs(v, raft_bug_names, RAFT_BUG_COUNT, &p->bugs, err,
                         errlen);
}

static int raft_parse_read(const cJSON *v, raft_params *p, char *err,
                           size_t errlen)
{
    if (cJSON_IsString(v) && !strcmp(v->valuestring, "log"))
        p->read_mode = RAFT_READ_LOG;
    else if (cJSON_IsString(v) && !strcmp(v->valuestring, "readindex"))
        p->read_mode = RAFT_READ_INDEX;
    else
        return fl_param_err(err, errlen, "read",
                              "must be \"log\" or \"readindex\"");
    return 0;
}

static int raft_parse_key(const cJSON *v, raft_params *p, char *err,
                          size_t errlen)
{
    const char *k = v->string;
    if (!strcmp(k, "election_timeout_ms"))
        return fl_param_range(v, k, 1, 3600000, &p->election_lo_ms,
                              &p->election_hi_ms, err, errlen);
    if (!strcmp(k, "heartbeat_ms")) {
        if (!fl_param_is_int(v, 1, 3600000, &p->heartbeat_ms))
            return fl_param_err(err, errlen, k, "must be > 0 (an integer)");
        return 0;
    }
    if (!strcmp(k, "prevote"))
        return fl_param_bool(v, k, &p->prevote, err, errlen);
    if (!strcmp(k, "check_quorum"))
        return fl_param_bool(v, k, &p->check_quorum, err, errlen);
    if (!strcmp(k, "snapshot_every")) {
        if (!fl_param_is_int(v, 0, INT32_MAX, &p->snapshot_every))
            return fl_param_err(err, errlen, k,
                                  "must be an integer >= 0 (0 = off)");
        return 0;
    }
    if (!strcmp(k, "transfer_every_ms")) {
        if (!fl_param_is_int(v, 0, 3600000, &p->transfer_every_ms))
            return fl_param_err(err, errlen, k,
                                  "must be an integer in [0, 3600000] "
                                  "(0 = off)");
        return 0;
    }
    if (!strcmp(k, "max_batch")) {
        if (!fl_param_is_int(v, 1, RAFT_MAX_BATCH, &p->max_batch))
            return fl_param_err(err, errlen, k,
                                  "must be an integer in [1, 64]");
        return 0;
    }
    if (!strcmp(k, "read"))
        return raft_parse_read(v, p, err, errlen);
    if (!strcmp(k, "bugs"))
        return raft_parse_bugs(v, p, err, errlen);
    return fl_param_err(err, errlen, k,
                          "unknown parameter (known: election_timeout_ms, "
                          "heartbeat_ms, prevote, check_quorum, "
                          "snapshot_every, transfer_every_ms, read, max_batch, "
                          "bugs)");
}

int raft_params_parse(const cJSON *params, raft_params *p, char *err,
                      size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->election_lo_ms = 150;
    p->election_hi_ms = 300;
    p->heartbeat_ms = 50;
    p->read_mode = RAFT_READ_LOG;
    p->max_batch = RAFT_MAX_BATCH;
    int obj = fl_param_object(params, err, errlen);
    if (obj != 0)
        return obj > 0 ? 0 : -1;
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
        return fl_param_err(err, errlen, "heartbeat_ms",
                              "must be < election_timeout_ms[0] (followers "
                              "would time out between heartbeats)");
    return 0;
}
