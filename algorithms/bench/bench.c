/* bench.c — the synthetic benchmark algorithms (see bench.h). */
#include "algorithms/bench/bench.h"

typedef struct bench_state {
    uint64_t          count;
    const fl_node_id *ids;     /* valid for the whole run (algorithm.h) */
    size_t            n;
} bench_state;

static void timers_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)state;
    (void)recovering;
    for (uint64_t i = 0; i < 4; i++)
        fl_set_timer(ctx, FL_US(100 + 37 * i), FL_TIMER_TICK, i);
}

static void timers_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                            uint64_t cookie)
{
    bench_state *s = state;
    s->count++;
    fl_set_timer(ctx, FL_US(100 + 37 * cookie), kind, cookie);
}

static void mesh_start(fl_ctx *ctx, void *state, bool recovering)
{
    bench_state *s = state;
    (void)recovering;
    s->n = fl_nodes(ctx, NULL, &s->ids);
    const fl_node_id *ids = s->ids;
    size_t n = s->n;
    uint64_t payload = fl_self(ctx);
    for (size_t i = 0; i < n; i++)
        if (ids[i] != fl_self(ctx))
            fl_send(ctx, ids[i], &payload, sizeof payload);
}

static void mesh_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                            const void *msg, size_t len)
{
    bench_state *s = state;
    (void)from;
    s->count++;
    const fl_node_id *ids = s->ids;
    size_t n = s->n;
    fl_node_id to = ids[fl_random_between(ctx, 0, (int64_t)n - 2)];
    if (to >= fl_self(ctx))
        to = ids[(size_t)to + 1 < n ? (size_t)to + 1 : 0];
    fl_send(ctx, to, msg, len);
}

static const fl_role timers_roles[] = {
    { .name = "server", .state_size = sizeof(bench_state),
      .start = timers_start, .on_timer = timers_on_timer },
    { .name = NULL },
};

static const fl_role mesh_roles[] = {
    { .name = "server", .state_size = sizeof(bench_state),
      .start = mesh_start, .on_message = mesh_on_message },
    { .name = NULL },
};

const fl_algorithm fl_bench_timers_algorithm = {
    .abi_version = FL_ABI_VERSION, .struct_size = sizeof(fl_algorithm),
    .name = "bench-timers", .description = "timers only", .roles = timers_roles,
};

const fl_algorithm fl_bench_mesh_algorithm = {
    .abi_version = FL_ABI_VERSION, .struct_size = sizeof(fl_algorithm),
    .name = "bench-mesh", .description = "all-to-all messages", .roles = mesh_roles,
};
