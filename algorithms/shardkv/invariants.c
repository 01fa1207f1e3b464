/* invariants.c — shardkv's checks (see invariants.h). */
#include "algorithms/shardkv/invariants.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "algorithms/shardkv/shardkv.h"

typedef struct skv_inv_view {
    int64_t group, config, serving, owned, waiting;
} skv_inv_view;

static bool inv_scalar(const fl_view *v, const char *name, int64_t *out)
{
    for (size_t i = 0; i < v->nscalars; i++)
        if (v->scalars[i].name && !strcmp(v->scalars[i].name, name)) {
            *out = v->scalars[i].value;
            return true;
        }
    return false;
}

/* A replica group member's shard scalars; false for anything else. */
static bool inv_read(const fl_view *v, skv_inv_view *o)
{
    if (!v || !inv_scalar(v, "group", &o->group) || o->group < 0 ||
        !inv_scalar(v, "config", &o->config) ||
        !inv_scalar(v, "serving", &o->serving) ||
        !inv_scalar(v, "owned", &o->owned) ||
        !inv_scalar(v, "waiting", &o->waiting))
        return false;
    return true;
}

static int inv_lowest(uint64_t m)
{
    return m ? __builtin_ctzll(m) : -1;
}

static int inv_owned_check(void *state, const fl_world *w, fl_node_id node,
                           const fl_view *before, const fl_view *after,
                           char *msg, size_t len)
{
    (void)state; (void)w; (void)before;
    skv_inv_view v;
    if (!inv_read(after, &v))
        return 0;
    uint64_t bad = (uint64_t)v.serving & ~(uint64_t)v.owned;
    if (!bad)
        return 0;
    snprintf(msg, len, "node %d (group %" PRId64 ", config %" PRId64 ") "
             "serves shard %d, which its group does not own in that "
             "configuration", (int)node, v.group, v.config, inv_lowest(bad));
    return -1;
}

static int inv_install_check(void *state, const fl_world *w, fl_node_id node,
                             const fl_view *before, const fl_view *after,
                             char *msg, size_t len)
{
    (void)state; (void)w; (void)before;
    skv_inv_view v;
    if (!inv_read(after, &v))
        return 0;
    uint64_t bad = (uint64_t)v.serving & (uint64_t)v.waiting;
    if (!bad)
        return 0;
    snprintf(msg, len, "node %d (group %" PRId64 ", config %" PRId64 ") "
             "serves shard %d before installing the old owner's checkpoint",
             (int)node, v.group, v.config, inv_lowest(bad));
    return -1;
}

static int inv_single_check(void *state, const fl_world *w, fl_node_id node,
                            const fl_view *before, const fl_view *after,
                            char *msg, size_t len)
{
    (void)state; (void)before;
    skv_inv_view v, o;
    if (!inv_read(after, &v) || v.serving == 0)
        return 0;
    for (size_t i = 0; i < fl_world_node_count(w); i++) {
        fl_node_id id = (fl_node_id)i;
        if (id == node || !fl_world_alive(w, id) ||
            !inv_read(fl_world_view(w, id), &o) || o.group == v.group ||
            o.config != v.config)
            continue;
        uint64_t both = (uint64_t)v.serving & (uint64_t)o.serving;
        if (both) {
            snprintf(msg, len, "config %" PRId64 ": shard %d is served by "
                     "group %" PRId64 " (node %d) and group %" PRId64
                     " (node %d)", v.config, inv_lowest(both), v.group,
                     (int)node, o.group, (int)id);
            return -1;
        }
    }
    return 0;
}

static int inv_never(void *state, const fl_world *w, fl_node_id node,
                     const fl_view *before, const fl_view *after, char *msg,
                     size_t len)
{
    (void)state; (void)w; (void)node; (void)before; (void)after;
    (void)msg; (void)len;
    return 0;
}

/* The newest configuration among live replicas, and who serves at it. */
static int inv_served_finish(void *state, const fl_world *w, fl_time end,
                             char *msg, size_t len)
{
    (void)state;
    skv_params p;
    char err[256];
    if (skv_params_parse(fl_world_params(w), &p, err,
                         sizeof err) != 0)
        return 0;
    fl_time quiet = fl_world_last_recovery(w);
    int64_t due = 1;
    for (size_t i = 0; i < p.nschedule; i++)
        if (FL_MS(p.schedule[i].at_ms) < end) {
            due = (int64_t)i + 2;
            if (FL_MS(p.schedule[i].at_ms) > quiet)
                quiet = FL_MS(p.schedule[i].at_ms);
        }
    if (end - quiet < FL_MS(p.serve_within_ms))
        return 0;                   /* too soon to judge */
    int64_t newest = 0;
    uint64_t served = 0;
    skv_inv_view v;
    for (size_t i = 0; i < fl_world_node_count(w); i++)
        if (fl_world_alive(w, (fl_node_id)i) &&
            inv_read(fl_world_view(w, (fl_node_id)i), &v) &&
            v.config > newest)
            newest = v.config;
    for (size_t i = 0; i < fl_world_node_count(w); i++)
        if (fl_world_alive(w, (fl_node_id)i) &&
            inv_read(fl_world_view(w, (fl_node_id)i), &v) &&
            v.config == newest)
            served |= (uint64_t)v.serving;
    uint64_t all = p.shards >= 64 ? ~0ull : (1ull << p.shards) - 1;
    if (newest < due) {
        snprintf(msg, len, "%lld ms after the last fault or change, the "
                 "newest configuration applied is %" PRId64 " of %" PRId64,
                 (long long)p.serve_within_ms, newest, due);
        return -1;
    }
    if ((served & all) != all) {
        snprintf(msg, len, "%lld ms after the last fault or change, shard "
                 "%d is served by no group at configuration %" PRId64,
                 (long long)p.serve_within_ms, inv_lowest(all & ~served),
                 newest);
        return -1;
    }
    return 0;
}

static const fl_invariant inv_owned = {
    .name = "shardkv.serve_owned_only",
    .summary = "a replica serves only shards its group owns in its "
               "configuration",
    .check = inv_owned_check,
};

static const fl_invariant inv_install = {
    .name = "shardkv.install_before_serve",
    .summary = "no replica serves a shard before installing its checkpoint",
    .check = inv_install_check,
};

static const fl_invariant inv_single = {
    .name = "shardkv.single_group",
    .summary = "in any configuration, at most one group serves a shard",
    .check = inv_single_check,
};

static const fl_invariant inv_served = {
    .name = "shardkv.shards_served",
    .summary = "every shard is served again at the newest configuration "
               "within params.serve_within_ms of the last fault or change",
    .check = inv_never,
    .finish = inv_served_finish,
};

static const fl_invariant *const inv_table[] = {
    &inv_owned, &inv_install, &inv_single, &inv_served,
};

const fl_invariant *const *fl_shardkv_invariants(size_t *n)
{
    *n = sizeof inv_table / sizeof inv_table[0];
    return inv_table;
}
