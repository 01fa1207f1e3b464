/* params.c — both Paxos algorithms' scenario "params" (see params.h). */
#include "algorithms/paxos/params.h"
#include "algorithms/params/params.h"

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

static int paxos_parse_bugs(const cJSON *v, paxos_params *p, char *err,
                            size_t errlen)
{
    return fl_param_bugs(v, paxos_bug_names, PAXOS_BUG_COUNT, &p->bugs, err,
                         errlen);
}

/* "key": [lo, hi], integers in [1, 3600000], lo <= hi. */
static int paxos_parse_range(const cJSON *v, const char *key, int64_t *lo,
                             int64_t *hi, char *err, size_t errlen)
{
    return fl_param_range(v, key, 1, 3600000, lo, hi, err, errlen);
}

static int paxos_parse_basic_key(const cJSON *v, paxos_params *p, char *err,
                                 size_t errlen)
{
    const char *k = v->string;
    if (!strcmp(k, "backoff_ms"))
        return paxos_parse_range(v, k, &p->backoff_lo_ms, &p->backoff_hi_ms,
                                 err, errlen);
    if (!strcmp(k, "retry_ms"))
        return fl_param_int(v, k, 1, 3600000, &p->retry_ms,
                               "must be > 0 (an integer)", err, errlen);
    if (!strcmp(k, "bugs"))
        return paxos_parse_bugs(v, p, err, errlen);
    if (!strcmp(k, "chosen_within_ms"))
        return fl_param_int(v, k, 1, 3600000, &p->chosen_within_ms,
                               "must be > 0 (an integer)", err, errlen);
    return fl_param_err(err, errlen, k,
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
        return fl_param_int(v, k, 1, 3600000, &p->heartbeat_ms,
                               "must be > 0 (an integer)", err, errlen);
    if (!strcmp(k, "initial_leader"))
        return fl_param_int(v, k, -1, 1023, &p->initial_leader,
                               "must be a server index >= 0, or -1 for none",
                               err, errlen);
    if (!strcmp(k, "batch"))
        return fl_param_int(v, k, 1, 65536, &p->batch,
                               "must be an integer in [1, 65536]", err, errlen);
    if (!strcmp(k, "bugs"))
        return paxos_parse_bugs(v, p, err, errlen);
    if (!strcmp(k, "chosen_within_ms"))
        return fl_param_int(v, k, 1, 3600000, &p->chosen_within_ms,
                               "must be > 0 (an integer)", err, errlen);
    return fl_param_err(err, errlen, k,
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
    int obj = fl_param_object(params, err, errlen);
    if (obj != 0)
        return obj > 0 ? 0 : -1;
    const cJSON *v;
    cJSON_ArrayForEach(v, params) {
        int rc = fam == PAXOS_FAMILY_BASIC
                     ? paxos_parse_basic_key(v, p, err, errlen)
                     : paxos_parse_multi_key(v, p, err, errlen);
        if (rc != 0)
            return -1;
    }
    if (fam == PAXOS_FAMILY_MULTI && p->heartbeat_ms >= p->election_lo_ms)
        return fl_param_err(err, errlen, "heartbeat_ms",
                               "must be < election_timeout_ms[0] (followers "
                               "would suspect the leader between heartbeats)");
    return 0;
}
