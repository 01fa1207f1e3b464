/* node.c — the nodes' lifecycle: making them from the scenario's roles,
 * boot, crash (with a torn last write), restart, pause and resume (events
 * held meanwhile), and each node's clock (skew and drift). */
#include "sim/engine_internal.h"

#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"
#include "sim/util/vec.h"

/* ---- Clocks ------------------------------------------------------------------ */

fl_time fl_node_local_time(const fl_node *n, fl_time real)
{
    __int128 elapsed = (__int128)(real - n->base_real);
    __int128 scaled = elapsed * (1000000 + n->drift_ppm) / 1000000;
    return n->base_local + (fl_time)scaled;
}

fl_time fl_node_real_delay(const fl_node *n, fl_time delay)
{
    if (n->drift_ppm == 0)
        return delay;
    __int128 d = (__int128)delay * 1000000;
    __int128 rate = 1000000 + n->drift_ppm;
    return (fl_time)((d + rate - 1) / rate);
}

/* ---- Node lifecycle ---------------------------------------------------------- */

static void defer_event(fl_node *n, const fl_event *ev)
{
    if (fl_vec_grow(&n->deferred, &n->deferred_cap, n->ndeferred + 1,
                    sizeof *n->deferred, 16) < 0)
        return;   /* out of memory: the event is lost like a dropped one */
    n->deferred[n->ndeferred++] = *ev;
}

void fl_node_drop_deferred(fl_node *n)
{
    for (size_t i = 0; i < n->ndeferred; i++)
        if (n->deferred[i].type == FL_EV_DELIVER)
            fl_net_free_msg(n->deferred[i].ptr);
    n->ndeferred = 0;
}

static int node_boot_state(fl_engine *e, fl_node *n, bool recovering)
{
    n->state = calloc(1, n->role->state_size ? n->role->state_size : 1);
    if (!n->state)
        return -1;
    fl_ctx *ctx = fl_engine_ctx(e, n);
    if (n->role->init && n->role->init(ctx, n->state, e->scn->params) != 0) {
        fl_engine_trace_simple(e, FL_TR_LOG, n->id, FL_NO_NODE, 0, 0,
                               "init failed");
        fl_engine_fail(e, "init", "node %d (%s): init failed: the implementation "
                       "cannot run this scenario (see its log lines in the trace)",
                       n->id, n->role->name);
        if (n->role->destroy)
            n->role->destroy(n->state);
        free(n->state);
        n->state = NULL;
        return -1;
    }
    n->alive = true;
    if (n->role->start)
        n->role->start(fl_engine_ctx(e, n), n->state, recovering);
    return 0;
}

void fl_node_boot(fl_engine *e, fl_node *n, bool recovering)
{
    fl_engine_trace_simple(e, recovering ? FL_TR_RESTART : FL_TR_BOOT, n->id,
                           FL_NO_NODE, n->incarnation, 0, NULL);
    fl_engine_cause(e, n->id, FL_CAUSE_BOOT);
    if (node_boot_state(e, n, recovering) != 0)
        n->alive = false;
    fl_engine_after_step(e, n);
}

static void node_destroy_state(fl_engine *e, fl_node *n)
{
    if (!n->state)
        return;
    if (n->builtin_client)
        fl_client_abandon(fl_engine_ctx(e, n), n->state);
    if (n->role->destroy)
        n->role->destroy(n->state);
    free(n->state);
    n->state = NULL;
}

static void record_incarnation_end(fl_node *n, fl_time t)
{
    size_t old = n->incarnation_cap;
    if (fl_vec_grow(&n->incarnation_end, &n->incarnation_cap,
                    (size_t)n->incarnation + 1, sizeof *n->incarnation_end, 4) < 0)
        return;
    for (size_t i = old; i < n->incarnation_cap; i++)
        n->incarnation_end[i] = INT64_MAX;
    n->incarnation_end[n->incarnation] = t;
}

/* A fault that did not apply: the hashed text and its code. */
static void trace_skip(fl_engine *e, fl_node_id node, const char *reason,
                       const char *text)
{
    fl_trace_rec r = { .time = e->now, .type = FL_TR_SKIP, .node = node,
                       .peer = FL_NO_NODE, .text = text, .reason = reason };
    fl_trace_record(&e->trace, &r);
}

void fl_node_crash(fl_engine *e, fl_node *n, bool torn)
{
    if (!n->alive) {
        trace_skip(e, n->id, "already-down", "crash: node already down");
        e->stats.faults_skipped++;
        return;
    }
    node_destroy_state(e, n);
    n->alive = false;
    n->paused = false;
    n->pause_gen++;
    n->crashed_at = e->now;
    record_incarnation_end(n, e->now);
    fl_node_drop_deferred(n);
    int64_t keep = -1;
    if (torn) {
        int64_t len = fl_disk_first_pending_len(n->disk, e->now);
        if (len > 0)
            keep = fl_rng_between(n->disk_rng, 0, len - 1);
    }
    size_t lost = fl_disk_crash(n->disk, e->now, keep);
    n->busy_until = 0;
    e->stats.crashes++;
    fl_engine_trace_simple(e, FL_TR_CRASH, n->id, FL_NO_NODE, (int64_t)lost,
                           keep, torn ? "torn" : NULL);
    fl_engine_cause(e, n->id, FL_CAUSE_OTHER);
    fl_engine_after_step(e, n);
}

void fl_node_restart(fl_engine *e, fl_node *n)
{
    if (n->alive) {
        trace_skip(e, n->id, "already-up", "restart: node is up");
        e->stats.faults_skipped++;
        return;
    }
    n->incarnation++;
    e->stats.restarts++;
    fl_node_boot(e, n, true);
}

void fl_node_pause(fl_engine *e, fl_node *n, fl_time duration)
{
    if (!n->alive || n->paused) {
        trace_skip(e, n->id, "down-or-paused", "pause: node down or already paused");
        e->stats.faults_skipped++;
        return;
    }
    n->paused = true;
    n->pause_gen++;
    fl_engine_trace_simple(e, FL_TR_PAUSE, n->id, FL_NO_NODE, duration, 0, NULL);
    if (duration > 0) {
        fl_event ev = { .time = e->now + duration, .type = FL_EV_RESUME,
                        .node = n->id, .u = n->pause_gen };
        (void)fl_engine_push(e, &ev, FL_CLASS_FAULT);
    }
}

void fl_node_resume(fl_engine *e, fl_node *n)
{
    if (!n->paused)
        return;
    n->paused = false;
    fl_engine_trace_simple(e, FL_TR_RESUME, n->id, FL_NO_NODE,
                           (int64_t)n->ndeferred, 0, NULL);
    /* Everything that queued up fires now, in the order it arrived. */
    for (size_t i = 0; i < n->ndeferred; i++) {
        fl_event ev = n->deferred[i];
        ev.time = e->now;
        (void)fl_engine_push(e, &ev, FL_CLASS_NORMAL);
    }
    n->ndeferred = 0;
}

void fl_node_set_clock(fl_engine *e, fl_node *n, fl_time skew, int64_t ppm,
                       bool set_drift)
{
    fl_time local = fl_node_local_time(n, e->now);
    n->base_real = e->now;
    n->base_local = local + skew;
    if (set_drift)
        n->drift_ppm = ppm;
    fl_engine_trace_simple(e, FL_TR_CLOCK, n->id, FL_NO_NODE, skew,
                           n->drift_ppm, NULL);
}


/* Holds an event for a node that cannot take it now; true if held. */
bool fl_node_hold(fl_engine *e, fl_node *n, fl_event *ev)
{
    if (n->paused) {
        defer_event(n, ev);
        return true;
    }
    if (e->now < n->busy_until) {
        ev->time = n->busy_until;
        (void)fl_engine_push(e, ev, FL_CLASS_NORMAL);
        return true;
    }
    return false;
}

/* ---- Construction -------------------------------------------------------------- */

static const fl_role *find_role(const fl_engine *e, const char *name)
{
    for (const fl_role *r = e->alg->roles; r && r->name; r++)
        if (strcmp(r->name, name) == 0)
            return r;
    if (strcmp(name, "client") == 0)
        return &fl_client_role;
    return NULL;
}

static int setup_roles(fl_engine *e, fl_error *err)
{
    const fl_scenario *s = e->scn;
    e->role_ids = calloc(s->nroles ? s->nroles : 1, sizeof *e->role_ids);
    if (!e->role_ids)
        return fl_error_set(err, "out of memory");
    e->nrole_ids = s->nroles;
    fl_node_id id = 0;
    for (size_t r = 0; r < s->nroles; r++) {
        const fl_role *role = find_role(e, s->roles[r].role);
        if (!role)
            return fl_error_set(err, "%s: $.nodes.%s: the algorithm \"%s\" has no such role",
                                s->path, s->roles[r].role, e->alg->name);
        struct fl_role_ids *ri = &e->role_ids[r];
        ri->name = s->roles[r].role;
        ri->n = s->roles[r].count;
        ri->ids = calloc(ri->n ? ri->n : 1, sizeof *ri->ids);
        if (!ri->ids)
            return fl_error_set(err, "out of memory");
        for (size_t i = 0; i < ri->n; i++, id++) {
            fl_node *n = &e->nodes[id];
            ri->ids[i] = id;
            n->id = id;
            n->role = role;
            n->role_name = ri->name;
            n->role_index = r;
            n->builtin_client = (role == &fl_client_role);
        }
    }
    return 0;
}

static int setup_nodes(fl_engine *e, fl_error *err)
{
    for (size_t i = 0; i < e->nnodes; i++) {
        fl_node *n = &e->nodes[i];
        n->rng = fl_rng_new(e->seed, n->builtin_client ? FL_STREAM_CLIENT(i)
                                                       : FL_STREAM_NODE(i));
        n->disk_rng = fl_rng_new(e->seed, FL_STREAM_DISK(i));
        n->disk = fl_disk_new();
        if (!n->rng || !n->disk_rng || !n->disk)
            return fl_error_set(err, "out of memory");
        n->rng_state = n->rng->state;
        n->has_view = n->role->inspect != NULL || n->builtin_client;
        if (n->has_view) {
            if (fl_view_alloc(&n->view, e->nnodes) < 0)
                return fl_error_set(err, "out of memory");
            fl_view_clear(&n->view);
        }
        fl_event ev = { .time = 0, .type = FL_EV_BOOT, .node = n->id };
        if (fl_engine_push(e, &ev, FL_CLASS_NORMAL) < 0)
            return fl_error_set(err, "out of memory");
    }
    return 0;
}

int fl_nodes_init(fl_engine *e, fl_error *err)
{
    if (setup_roles(e, err) < 0 || setup_nodes(e, err) < 0)
        return -1;
    return 0;
}

void fl_nodes_destroy(fl_engine *e)
{
    for (size_t i = 0; e->nodes && i < e->nnodes; i++) {
        fl_node *n = &e->nodes[i];
        if (n->state && n->role->destroy)
            n->role->destroy(n->state);
        free(n->state);
        fl_node_drop_deferred(n);
        free(n->deferred);
        free(n->incarnation_end);
        if (n->rng)
            gsl_rng_free(n->rng);
        if (n->disk_rng)
            gsl_rng_free(n->disk_rng);
        fl_disk_free(n->disk);
        fl_view_free(&n->view);
    }
    for (size_t i = 0; e->role_ids && i < e->nrole_ids; i++)
        free(e->role_ids[i].ids);
    free(e->role_ids);
}
