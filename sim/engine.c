/* engine.c — the event loop: building and freeing an engine, firing one
 * event (`fl_engine_step`) and dispatching it to the node, network, fault
 * or timer code that owns it, the rule failures that stop a run, and the
 * engine's accessors. Nodes live in node.c, the context of algorithm.h and
 * timers in ctx.c, views and hooks in observe.c, the network in net.c,
 * faults in fault.c. */
#include "sim/engine_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"

/* ---- Small helpers --------------------------------------------------------- */

void fl_engine_trace_simple(fl_engine *e, fl_trace_type type, fl_node_id node,
                            fl_node_id peer, int64_t a, int64_t b,
                            const char *text)
{
    fl_trace_event(&e->trace, e->now, type, node, peer, 0, a, b, text);
}

/* ---- Construction -------------------------------------------------------------- */

fl_engine *fl_engine_new(const fl_scenario *s, const fl_algorithm *alg,
                         uint64_t seed, fl_time duration, fl_error *err)
{
    fl_engine *e = calloc(1, sizeof *e);
    if (!e) {
        fl_error_set(err, "out of memory");
        return NULL;
    }
    e->scn = s;
    e->alg = alg;
    e->seed = seed;
    e->end = duration;
    e->leader_since = -1;
    e->settle = fl_scenario_settle(s);
    e->step.node = FL_NO_NODE;
    fl_queue_init(&e->queue);
    fl_msg_pool_init(&e->msgs);
    fl_history_init(&e->history);
    fl_trace_init(&e->trace, alg->describe);
    e->nnodes = fl_scenario_node_count(s);
    e->nodes = calloc(e->nnodes ? e->nnodes : 1, sizeof *e->nodes);
    e->fault_rng = fl_rng_new(seed, FL_STREAM_FAULTS);
    e->nemesis = calloc(s->nfaults ? s->nfaults : 1, sizeof *e->nemesis);
    if (!e->nodes || !e->fault_rng || !e->nemesis ||
        fl_view_alloc(&e->scratch, e->nnodes) < 0) {
        fl_error_set(err, "out of memory");
        goto fail;
    }
    if (fl_nodes_init(e, err) < 0)
        goto fail;
    if (fl_net_init(e) < 0) {
        fl_error_set(err, "out of memory");
        goto fail;
    }
    if (fl_fault_schedule(e) < 0 || fl_fault_triggers_init(e) < 0) {
        fl_error_set(err, "out of memory");
        goto fail;
    }
    fl_event end = { .time = e->end, .type = FL_EV_END, .node = FL_NO_NODE };
    if (fl_engine_push(e, &end, FL_CLASS_END) < 0) {
        fl_error_set(err, "out of memory");
        goto fail;
    }
    return e;
fail:
    fl_engine_free(e);
    return NULL;
}

static void free_queue_payloads(fl_engine *e)
{
    fl_event ev;
    while (fl_queue_pop(&e->queue, &ev))
        if (ev.type == FL_EV_DELIVER)
            fl_net_free_msg(ev.ptr);
}

void fl_engine_free(fl_engine *e)
{
    if (!e)
        return;
    fl_nodes_destroy(e);
    free_queue_payloads(e);
    fl_queue_destroy(&e->queue);
    fl_msg_pool_destroy(&e->msgs);
    fl_net_destroy(e);
    free(e->nodes);
    free(e->timers);
    free(e->hooks);
    free(e->msg_hooks);
    fl_fault_triggers_free(e);
    free(e->nemesis);
    free(e->nem_log);
    fl_view_free(&e->scratch);
    if (e->fault_rng)
        gsl_rng_free(e->fault_rng);
    fl_history_destroy(&e->history);
    fl_trace_destroy(&e->trace);
    free(e);
}

int fl_engine_trace_to(fl_engine *e, FILE *out, fl_trace_format format)
{
    fl_trace_node_info *info = calloc(e->nnodes ? e->nnodes : 1, sizeof *info);
    if (!info)
        return -1;
    for (size_t i = 0; i < e->nnodes; i++)
        info[i].role = e->nodes[i].role_name;
    int rc = fl_trace_open(&e->trace, out, format, e->seed, e->scn->name, e->scn->hash,
                           e->alg->name, info, e->nnodes);
    free(info);
    return rc;
}

void fl_engine_keep_recent(fl_engine *e)
{
    fl_trace_keep_recent(&e->trace);
}

int fl_engine_trace_close(fl_engine *e)
{
    return fl_trace_close(&e->trace);
}

/* ---- The loop ------------------------------------------------------------------ */

/* Inlined into both callers: a call per event for a switch. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void dispatch(fl_engine *e, fl_event *ev)
{
    switch ((fl_event_type)ev->type) {
    case FL_EV_FAULT:
        fl_fault_apply(e, ev);
        fl_engine_note_disruption(e);
        break;
    case FL_EV_NEMESIS:
        fl_nemesis_fire(e, ev);
        fl_engine_note_disruption(e);
        break;
    case FL_EV_BOOT:
        fl_node_boot(e, &e->nodes[ev->node], false);
        break;
    case FL_EV_DELIVER:
        fl_net_deliver(e, ev);
        break;
    case FL_EV_TIMER:
        fl_timer_fire(e, ev);
        break;
    case FL_EV_RESUME: {
        fl_node *n = &e->nodes[ev->node];
        if (n->paused && n->pause_gen == ev->u) {
            fl_node_resume(e, n);
            fl_engine_mark_recovery(e);
        }
        fl_engine_note_disruption(e);
        break;
    }
    case FL_EV_END:
        e->done = true;
        break;
    }
}

void fl_engine_fail(fl_engine *e, const char *check, const char *fmt, ...)
{
    e->stopped = true;
    if (e->failure[0])
        return;               /* the first one says it */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->failure, sizeof e->failure, fmt, ap);
    va_end(ap);
    snprintf(e->failure_check, sizeof e->failure_check, "%s", check);
}

const char *fl_engine_failure(const fl_engine *e, const char **check)
{
    if (check)
        *check = e->failure_check;
    return e->failure[0] ? e->failure : NULL;
}

int fl_engine_step(fl_engine *e)
{
    if (e->stopped)
        return -1;
    if (e->done)
        return 0;
    fl_event ev;
    if (!fl_queue_take(&e->queue, &ev)) {
        e->done = true;
        return 0;
    }
    e->now = ev.time;
    e->stats.events++;
    dispatch(e, &ev);
    fl_queue_settle(&e->queue);
    if (e->done) {
        fl_trace_rec end = { .time = e->now, .type = FL_TR_END, .node = FL_NO_NODE,
                             .peer = FL_NO_NODE, .events = e->stats.events };
        fl_trace_record(&e->trace, &end);
        return 0;
    }
    return e->stopped ? -1 : 1;
}

void fl_engine_fire(fl_engine *e, fl_event *ev)
{
    if (ev->time > e->now)
        e->now = ev->time;
    e->stats.events++;
    dispatch(e, ev);
}

int fl_engine_run(fl_engine *e)
{
    int rc;
    while ((rc = fl_engine_step(e)) == 1)
        ;
    return rc;
}

void fl_engine_finish(fl_engine *e)
{
    if (e->finished)
        return;
    e->finished = true;
    for (size_t i = 0; i < e->nnodes; i++) {
        fl_node *n = &e->nodes[i];
        if (n->builtin_client && n->state)
            fl_client_abandon(fl_engine_ctx(e, n), n->state);
    }
    fl_trace_note_stop(&e->trace, e->now, e->stats.events);
}

/* ---- Accessors ------------------------------------------------------------------ */

fl_time fl_engine_now(const fl_engine *e) { return e->now; }
fl_time fl_engine_end(const fl_engine *e) { return e->end; }
uint64_t fl_engine_seed(const fl_engine *e) { return e->seed; }
bool fl_engine_done(const fl_engine *e) { return e->done || e->stopped; }
uint64_t fl_engine_trace_hash(const fl_engine *e) { return e->trace.hash; }
const fl_engine_stats *fl_engine_stats_get(const fl_engine *e) { return &e->stats; }
const fl_history *fl_engine_history(const fl_engine *e) { return &e->history; }
fl_history *fl_engine_history_mut(fl_engine *e) { return &e->history; }
const fl_trace *fl_engine_trace(const fl_engine *e) { return &e->trace; }
const fl_scenario *fl_engine_scenario(const fl_engine *e) { return e->scn; }
const fl_algorithm *fl_engine_algorithm(const fl_engine *e) { return e->alg; }
size_t fl_engine_node_count(const fl_engine *e) { return e->nnodes; }
fl_time fl_engine_last_disruption_end(const fl_engine *e) { return e->last_disruption_end; }
fl_time fl_engine_settle(const fl_engine *e) { return e->settle; }

const char *fl_engine_node_role(const fl_engine *e, fl_node_id node)
{
    return (size_t)node < e->nnodes ? e->nodes[node].role_name : NULL;
}

bool fl_engine_node_alive(const fl_engine *e, fl_node_id node)
{
    return (size_t)node < e->nnodes && e->nodes[node].alive;
}

bool fl_engine_node_paused(const fl_engine *e, fl_node_id node)
{
    return (size_t)node < e->nnodes && e->nodes[node].paused;
}

bool fl_engine_link_up(const fl_engine *e, fl_node_id from, fl_node_id to)
{
    if ((size_t)from >= e->nnodes || (size_t)to >= e->nnodes)
        return false;
    return from == to ||
           !fl_link_blocked(&e->links[(size_t)from * e->nnodes + (size_t)to]);
}
