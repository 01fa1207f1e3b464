/* params.c — shardkv's scenario "params", the configurations they imply,
 * and the key -> shard -> group mapping (see shardkv.h). */
#include "algorithms/shardkv/shardkv.h"

#include <stdio.h>
#include <string.h>

#include "algorithms/params/params.h"

static const char *const skv_bug_names[SKV_BUG_COUNT] = {
#define SKV_X_NAME(id, name) name,
    SKV_BUG_MAP(SKV_X_NAME)
#undef SKV_X_NAME
};

static int skv_parse_change(const cJSON *v, size_t i, skv_params *p,
                            char *err, size_t errlen)
{
    char key[64];
    snprintf(key, sizeof key, "schedule[%zu]", i);
    const cJSON *at = cJSON_GetObjectItem(v, "at_ms");
    const cJSON *join = cJSON_GetObjectItem(v, "join");
    const cJSON *leave = cJSON_GetObjectItem(v, "leave");
    int64_t g;
    skv_change *c = &p->schedule[i];
    if (!cJSON_IsObject(v) || cJSON_GetArraySize(v) != 2 || !at ||
        (!join == !leave))
        return fl_param_err(err, errlen, key,
                            "must be {\"at_ms\": t, \"join\" or \"leave\": "
                            "group}");
    if (fl_param_int(at, key, 0, 3600000, &c->at_ms,
                     "at_ms must be an integer in [0, 3600000]", err,
                     errlen) != 0 ||
        fl_param_int(join ? join : leave, key, 0, SKV_MAX_GROUPS - 1, &g,
                     "the group must be an integer in [0, 15]", err,
                     errlen) != 0)
        return -1;
    if (i > 0 && c->at_ms < p->schedule[i - 1].at_ms)
        return fl_param_err(err, errlen, key, "at_ms must not decrease");
    c->group = (int32_t)g;
    c->join = join != NULL;
    return 0;
}

static int skv_parse_schedule(const cJSON *v, skv_params *p, char *err,
                              size_t errlen)
{
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > SKV_MAX_SCHEDULE)
        return fl_param_err(err, errlen, "schedule",
                            "must be an array of at most 16 changes");
    const cJSON *c;
    size_t i = 0;
    cJSON_ArrayForEach(c, v) {
        if (skv_parse_change(c, i, p, err, errlen) != 0)
            return -1;
        i++;
    }
    p->nschedule = i;
    return 0;
}

static int skv_parse_key(const cJSON *v, skv_params *p, char *err,
                         size_t errlen)
{
    const char *k = v->string;
    static const struct {
        const char *name;
        size_t off;
        int64_t lo, hi;
    } ints[] = {
        {"config_replicas", offsetof(skv_params, config_replicas), 1, 9},
        {"max_groups", offsetof(skv_params, max_groups), 1, SKV_MAX_GROUPS},
        {"replicas", offsetof(skv_params, replicas), 1, 9},
        {"initial_groups", offsetof(skv_params, initial_groups), 1,
         SKV_MAX_GROUPS},
        {"shards", offsetof(skv_params, shards), 1, SKV_MAX_SHARDS},
        {"vnodes", offsetof(skv_params, vnodes), 1, 1000},
        {"tick_ms", offsetof(skv_params, tick_ms), 1, 10000},
        {"serve_within_ms", offsetof(skv_params, serve_within_ms), 1,
         3600000},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (!strcmp(k, ints[i].name)) {
            char what[64];
            snprintf(what, sizeof what, "must be an integer in [%lld, %lld]",
                     (long long)ints[i].lo, (long long)ints[i].hi);
            return fl_param_int(v, k, ints[i].lo, ints[i].hi,
                                (int64_t *)((char *)p + ints[i].off), what,
                                err, errlen);
        }
    if (!strcmp(k, "raft")) {
        if (!cJSON_IsObject(v))
            return fl_param_err(err, errlen, k,
                                "must be an object of Raft params");
        p->raft = v;
        return 0;
    }
    if (!strcmp(k, "schedule"))
        return skv_parse_schedule(v, p, err, errlen);
    if (!strcmp(k, "bugs"))
        return fl_param_bugs(v, skv_bug_names, SKV_BUG_COUNT, &p->bugs, err,
                             errlen);
    return fl_param_err(err, errlen, k,
                        "unknown parameter (known: raft, config_replicas, "
                        "max_groups, replicas, initial_groups, shards, "
                        "vnodes, tick_ms, serve_within_ms, schedule, bugs)");
}

/* Every configuration must keep at least one group joined, and name only
 * groups below max_groups. */
static int skv_check_schedule(skv_params *p, char *err, size_t errlen)
{
    if (p->initial_groups > p->max_groups)
        return fl_param_err(err, errlen, "initial_groups",
                            "must be <= max_groups");
    for (size_t i = 0; i < p->nschedule; i++) {
        char key[64];
        snprintf(key, sizeof key, "schedule[%zu]", i);
        if (p->schedule[i].group >= p->max_groups)
            return fl_param_err(err, errlen, key,
                                "names a group >= max_groups");
        if (skv_config_mask(p, (int64_t)i + 2) == 0)
            return fl_param_err(err, errlen, key,
                                "would leave no group joined");
    }
    return 0;
}

int skv_params_parse(const cJSON *params, skv_params *p, char *err,
                     size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->config_replicas = 3;
    p->max_groups = 3;
    p->replicas = 3;
    p->initial_groups = 2;
    p->shards = 16;
    p->vnodes = 8;
    p->tick_ms = 25;
    p->serve_within_ms = 3000;
    int obj = fl_param_object(params, err, errlen);
    if (obj < 0)
        return -1;
    if (obj == 0) {
        const cJSON *v;
        cJSON_ArrayForEach(v, params)
            if (skv_parse_key(v, p, err, errlen) != 0)
                return -1;
    }
    return skv_check_schedule(p, err, errlen);
}

uint64_t skv_config_mask(const skv_params *p, int64_t num)
{
    uint64_t m = (p->initial_groups >= 64) ? ~0ull
                 : ((1ull << p->initial_groups) - 1);
    for (int64_t i = 0; i + 1 < num && (size_t)i < p->nschedule; i++) {
        const skv_change *c = &p->schedule[i];
        if (c->join)
            m |= 1ull << c->group;
        else
            m &= ~(1ull << c->group);
    }
    return m;
}

int skv_owners(const skv_params *p, uint64_t mask,
               int8_t owner[SKV_MAX_SHARDS])
{
    fl_ring r;
    fl_ring_init(&r);
    if (fl_ring_build(&r, mask, (uint32_t)p->vnodes) != 0) {
        fl_ring_free(&r);
        return -1;
    }
    for (int64_t s = 0; s < SKV_MAX_SHARDS; s++) {
        uint32_t g = s < p->shards ? fl_ring_owner(&r, fl_ring_key_pos(
                                                      (uint64_t)s))
                                   : UINT32_MAX;
        owner[s] = g == UINT32_MAX ? -1 : (int8_t)g;
    }
    fl_ring_free(&r);
    return 0;
}

uint32_t skv_shard_of(const skv_params *p, uint32_t key)
{
    return (uint32_t)(fl_ring_key_pos(key) % (uint64_t)p->shards);
}

uint32_t skv_route_shard_of(const skv_params *p, uint32_t key)
{
    if (skv_bug(p, SKV_BUG(CLIENT_HASH)))
        return key % (uint32_t)p->shards;   /* BUG: not the servers' hash */
    return skv_shard_of(p, key);
}
