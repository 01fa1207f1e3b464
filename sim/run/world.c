/* world.c — fl_world over an engine (see world.h). */
#include "sim/run/world.h"

static const fl_engine *eng(const void *impl)
{
    return impl;
}

static size_t w_node_count(const void *impl)
{
    return fl_engine_node_count(eng(impl));
}

static const char *w_role(const void *impl, fl_node_id node)
{
    return fl_engine_node_role(eng(impl), node);
}

static bool w_alive(const void *impl, fl_node_id node)
{
    return fl_engine_node_alive(eng(impl), node);
}

static const fl_view *w_view(const void *impl, fl_node_id node)
{
    return fl_engine_node_view(eng(impl), node);
}

static bool w_entry(const void *impl, fl_node_id node, int64_t index, fl_view_entry *out)
{
    return fl_engine_node_entry(eng(impl), node, index, out);
}

static fl_time w_now(const void *impl)
{
    return fl_engine_now(eng(impl));
}

static const char *w_algorithm(const void *impl)
{
    return fl_engine_scenario(eng(impl))->algorithm;
}

static const cJSON *w_params(const void *impl)
{
    return fl_engine_scenario(eng(impl))->params;
}

static fl_time w_workload_end(const void *impl)
{
    const fl_workload_spec *wl = &fl_engine_scenario(eng(impl))->workload;
    return wl->clients ? wl->stop + wl->timeout : 0;
}

static const fl_history *w_history(const void *impl)
{
    return fl_engine_history(eng(impl));
}

static fl_time w_last_recovery(const void *impl)
{
    return fl_engine_last_disruption_end(eng(impl));
}

static bool w_paused(const void *impl, fl_node_id node)
{
    return fl_engine_node_paused(eng(impl), node);
}

static fl_time w_quiet_since(const void *impl)
{
    return fl_engine_quiet_since(eng(impl));
}

static bool w_link_up(const void *impl, fl_node_id from, fl_node_id to)
{
    return fl_engine_link_up(eng(impl), from, to);
}

static const fl_step_info *w_step(const void *impl)
{
    return fl_engine_step_info(eng(impl));
}

static bool w_timer_late(const void *impl, fl_node_id node)
{
    return fl_engine_node_timer_late(eng(impl), node);
}

static bool w_timed(const void *impl)
{
    return fl_engine_timed(eng(impl));
}

static const fl_world_ops engine_world = {
    .node_count = w_node_count,
    .role = w_role,
    .alive = w_alive,
    .view = w_view,
    .entry = w_entry,
    .now = w_now,
    .algorithm = w_algorithm,
    .params = w_params,
    .workload_end = w_workload_end,
    .history = w_history,
    .last_recovery = w_last_recovery,
    .link_up = w_link_up,
    .quiet_since = w_quiet_since,
    .step = w_step,
    .timer_late = w_timer_late,
    .timed = w_timed,
    .paused = w_paused,
};

fl_world fl_world_of_engine(const fl_engine *e)
{
    return (fl_world){ .ops = &engine_world, .impl = e };
}
