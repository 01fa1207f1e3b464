/* engine.c — the event loop, the nodes' lifecycle (boot, crash, restart,
 * pause, clocks), timers, the context functions of algorithm.h, views and
 * step hooks. The network lives in net.c, faults in fault.c. */
#include "sim/engine_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"

#define FL_MAX_TIMER_DELAY (INT64_MAX / 8)

/* ---- Small helpers --------------------------------------------------------- */

fl_ctx *fl_engine_ctx(fl_engine *e, fl_node *n)
{
    e->ctx.e = e;
    e->ctx.node = n;
    return &e->ctx;
}

void fl_engine_trace_simple(fl_engine *e, fl_trace_type type, fl_node_id node,
                            fl_node_id peer, int64_t a, int64_t b,
                            const char *text)
{
    fl_trace_rec r = { .time = e->now, .type = type, .node = node,
                       .peer = peer, .a = a, .b = b, .text = text };
    fl_trace_record(&e->trace, &r);
}

int fl_engine_push(fl_engine *e, fl_event *ev, fl_event_class cls)
{
    if (fl_queue_push(&e->queue, ev, cls) < 0)
        return -1;
    if (e->queue.len > e->stats.queue_peak)
        e->stats.queue_peak = e->queue.len;
    return 0;
}

fl_time fl_node_local_time(const fl_node *n, fl_time real)
{
    __int128 elapsed = (__int128)(real - n->base_real);
    __int128 scaled = elapsed * (1000000 + n->drift_ppm) / 1000000;
    return n->base_local + (fl_time)scaled;
}

static fl_time local_to_real_delay(const fl_node *n, fl_time delay)
{
    if (n->drift_ppm == 0)
        return delay;
    __int128 d = (__int128)delay * 1000000;
    __int128 rate = 1000000 + n->drift_ppm;
    return (fl_time)((d + rate - 1) / rate);
}

/* ---- Views ------------------------------------------------------------------ */

static int view_alloc(fl_view *v, size_t n)
{
    memset(v, 0, sizeof *v);
    v->npeers = n;
    v->match = malloc(n * sizeof *v->match);
    v->next = malloc(n * sizeof *v->next);
    v->votes = malloc(n ? n : 1);
    return (v->match && v->next && v->votes) ? 0 : -1;
}

static void view_free(fl_view *v)
{
    free(v->match);
    free(v->next);
    free(v->votes);
    memset(v, 0, sizeof *v);
}

static void view_clear(fl_view *v)
{
    int64_t *match = v->match, *next = v->next;
    int8_t *votes = v->votes;
    size_t n = v->npeers;
    memset(v, 0, sizeof *v);
    v->match = match;
    v->next = next;
    v->votes = votes;
    v->npeers = n;
    v->kind = FL_VIEW_NONE;
    v->term = v->log_first = v->log_last = v->commit = v->applied = -1;
    v->leader = v->voted_for = FL_NO_NODE;
    for (size_t i = 0; i < n; i++) {
        match[i] = next[i] = -1;
        votes[i] = -1;
    }
}

static bool view_equal(const fl_view *x, const fl_view *y)
{
    if (x->kind != y->kind || x->term != y->term || x->leader != y->leader ||
        x->voted_for != y->voted_for || x->log_first != y->log_first ||
        x->log_last != y->log_last || x->commit != y->commit ||
        x->applied != y->applied || x->nscalars != y->nscalars ||
        x->label != y->label)
        return false;
    for (size_t i = 0; i < x->nscalars && i < FL_VIEW_MAX_SCALARS; i++)
        if (x->scalars[i].value != y->scalars[i].value)
            return false;
    size_t n = x->npeers;
    return memcmp(x->match, y->match, n * sizeof *x->match) == 0 &&
           memcmp(x->next, y->next, n * sizeof *x->next) == 0 &&
           memcmp(x->votes, y->votes, n) == 0;
}

/* Liveness bookkeeping: since the last recovery, when did a node first
 * lead with a term no live node has passed? */
static void track_leader(fl_engine *e)
{
    if (e->leader_since >= 0)
        return;
    int64_t max_term = -1;
    for (size_t i = 0; i < e->nnodes; i++)
        if (e->nodes[i].alive && e->nodes[i].has_view &&
            e->nodes[i].view.term > max_term)
            max_term = e->nodes[i].view.term;
    for (size_t i = 0; i < e->nnodes; i++) {
        const fl_node *n = &e->nodes[i];
        if (n->alive && n->has_view && n->view.kind == FL_VIEW_LEADER &&
            n->view.term == max_term) {
            e->leader_since = e->now;
            return;
        }
    }
}

void fl_engine_mark_recovery(fl_engine *e)
{
    e->last_disruption_end = e->now;
    e->leader_since = -1;
    track_leader(e);
}

static int run_hooks(fl_engine *e, fl_node *n, const fl_view *before,
                     const fl_view *after)
{
    for (size_t i = 0; i < e->nhooks; i++)
        if (e->hooks[i].fn(e->hooks[i].arg, e, n->id, before, after) != 0)
            return -1;
    return 0;
}

/* Refreshes the node's view after it ran code; traces a change; runs hooks. */
void fl_engine_after_step(fl_engine *e, fl_node *n)
{
    if (!n->has_view)
        return;
    fl_view *scratch = &e->scratch;
    view_clear(scratch);
    if (n->alive && n->role->inspect)
        n->role->inspect(n->state, scratch);
    bool changed = !view_equal(scratch, &n->view);
    if (changed) {
        fl_trace_rec r = { .time = e->now, .type = FL_TR_VIEW, .node = n->id,
                           .peer = FL_NO_NODE, .a = scratch->kind,
                           .b = scratch->term, .view = scratch };
        fl_trace_record(&e->trace, &r);
    }
    if (e->delivering && e->nmsg_hooks &&
        fl_engine_msg_event(e, e->delivering, false, &n->view, scratch) != 0)
        e->stopped = true;
    e->delivering = NULL;
    if (e->nhooks && run_hooks(e, n, &n->view, scratch) != 0)
        e->stopped = true;
    /* swap: the node keeps the new view, scratch keeps the old buffers */
    fl_view old = n->view;
    n->view = *scratch;
    *scratch = old;
    if (changed)
        track_leader(e);
}

/* ---- Timers ------------------------------------------------------------------ */

static fl_timer_slot *timer_slot(fl_engine *e, fl_timer_id id)
{
    uint32_t idx = (uint32_t)(id & 0xffffffffu);
    if (idx == 0 || idx > e->ntimers)
        return NULL;
    fl_timer_slot *s = &e->timers[idx - 1];
    return s->gen == (uint32_t)(id >> 32) && s->armed ? s : NULL;
}

static void timer_release(fl_engine *e, fl_timer_slot *s)
{
    s->armed = false;
    s->gen++;
    s->next_free = e->timer_free;
    e->timer_free = (uint32_t)(s - e->timers) + 1;
}

static fl_timer_id timer_alloc(fl_engine *e)
{
    if (!e->timer_free) {
        if (e->ntimers == e->timers_cap) {
            size_t cap = e->timers_cap ? e->timers_cap * 2 : 64;
            fl_timer_slot *t = realloc(e->timers, cap * sizeof *t);
            if (!t)
                return 0;
            e->timers = t;
            e->timers_cap = cap;
        }
        fl_timer_slot *s = &e->timers[e->ntimers++];
        memset(s, 0, sizeof *s);
        s->gen = 1;
        s->next_free = 0;
        e->timer_free = (uint32_t)e->ntimers;
    }
    uint32_t idx = e->timer_free;
    fl_timer_slot *s = &e->timers[idx - 1];
    e->timer_free = s->next_free;
    s->armed = true;
    return ((uint64_t)s->gen << 32) | idx;
}

static void timer_fire(fl_engine *e, const fl_event *ev);

/* ---- Node lifecycle ---------------------------------------------------------- */

static void defer_event(fl_node *n, const fl_event *ev)
{
    if (n->ndeferred == n->deferred_cap) {
        size_t cap = n->deferred_cap ? n->deferred_cap * 2 : 16;
        fl_event *d = realloc(n->deferred, cap * sizeof *d);
        if (!d)
            return;   /* out of memory: the event is lost like a dropped one */
        n->deferred = d;
        n->deferred_cap = cap;
    }
    n->deferred[n->ndeferred++] = *ev;
}

static void drop_deferred(fl_node *n)
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

static void node_boot(fl_engine *e, fl_node *n, bool recovering)
{
    fl_engine_trace_simple(e, recovering ? FL_TR_RESTART : FL_TR_BOOT, n->id,
                           FL_NO_NODE, n->incarnation, 0, NULL);
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
    if (n->incarnation >= n->incarnation_cap) {
        size_t cap = n->incarnation_cap ? n->incarnation_cap * 2 : 4;
        while (cap <= n->incarnation)
            cap *= 2;
        fl_time *p = realloc(n->incarnation_end, cap * sizeof *p);
        if (!p)
            return;
        for (size_t i = n->incarnation_cap; i < cap; i++)
            p[i] = INT64_MAX;
        n->incarnation_end = p;
        n->incarnation_cap = cap;
    }
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
    drop_deferred(n);
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
    node_boot(e, n, true);
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
        n->has_view = n->role->inspect != NULL || n->builtin_client;
        if (n->has_view) {
            if (view_alloc(&n->view, e->nnodes) < 0)
                return fl_error_set(err, "out of memory");
            view_clear(&n->view);
        }
        fl_event ev = { .time = 0, .type = FL_EV_BOOT, .node = n->id };
        if (fl_engine_push(e, &ev, FL_CLASS_NORMAL) < 0)
            return fl_error_set(err, "out of memory");
    }
    return 0;
}

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
    fl_queue_init(&e->queue);
    fl_history_init(&e->history);
    fl_trace_init(&e->trace, alg->describe);
    e->nnodes = fl_scenario_node_count(s);
    e->nodes = calloc(e->nnodes ? e->nnodes : 1, sizeof *e->nodes);
    e->fault_rng = fl_rng_new(seed, FL_STREAM_FAULTS);
    e->nemesis = calloc(s->nfaults ? s->nfaults : 1, sizeof *e->nemesis);
    if (!e->nodes || !e->fault_rng || !e->nemesis ||
        view_alloc(&e->scratch, e->nnodes) < 0) {
        fl_error_set(err, "out of memory");
        goto fail;
    }
    if (setup_roles(e, err) < 0 || setup_nodes(e, err) < 0)
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
    for (size_t i = 0; e->nodes && i < e->nnodes; i++) {
        fl_node *n = &e->nodes[i];
        if (n->state && n->role->destroy)
            n->role->destroy(n->state);
        free(n->state);
        drop_deferred(n);
        free(n->deferred);
        free(n->incarnation_end);
        if (n->rng)
            gsl_rng_free(n->rng);
        if (n->disk_rng)
            gsl_rng_free(n->disk_rng);
        fl_disk_free(n->disk);
        view_free(&n->view);
    }
    free_queue_payloads(e);
    fl_queue_destroy(&e->queue);
    fl_net_destroy(e);
    for (size_t i = 0; e->role_ids && i < e->nrole_ids; i++)
        free(e->role_ids[i].ids);
    free(e->role_ids);
    free(e->nodes);
    free(e->timers);
    free(e->hooks);
    free(e->msg_hooks);
    fl_fault_triggers_free(e);
    free(e->nemesis);
    view_free(&e->scratch);
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

int fl_engine_trace_close(fl_engine *e)
{
    return fl_trace_close(&e->trace);
}

int fl_engine_add_hook(fl_engine *e, fl_step_hook hook, void *arg)
{
    fl_hook_entry *h = realloc(e->hooks, (e->nhooks + 1) * sizeof *h);
    if (!h)
        return -1;
    e->hooks = h;
    e->hooks[e->nhooks++] = (fl_hook_entry){ hook, arg };
    return 0;
}

int fl_engine_add_msg_hook(fl_engine *e, fl_msg_hook hook, void *arg)
{
    fl_msg_hook_entry *h = realloc(e->msg_hooks,
                                   (e->nmsg_hooks + 1) * sizeof *h);
    if (!h)
        return -1;
    e->msg_hooks = h;
    e->msg_hooks[e->nmsg_hooks++] = (fl_msg_hook_entry){ hook, arg };
    return 0;
}

int fl_engine_msg_event(fl_engine *e, fl_msg *m, bool sent,
                        const fl_view *before, const fl_view *after)
{
    const fl_node *from = &e->nodes[m->from];
    fl_msg_event ev = {
        .sent = sent, .from = m->from, .to = m->to, .id = m->id,
        .depart = m->depart,
        .unsynced = fl_disk_first_pending_len(from->disk, m->depart) >= 0,
        .data = m->data, .len = m->len, .desc = &m->desc,
        .before = before, .after = after,
    };
    for (size_t i = 0; i < e->nmsg_hooks; i++)
        if (e->msg_hooks[i].fn(e->msg_hooks[i].arg, e, &ev) != 0)
            return -1;
    return 0;
}

/* ---- The loop ------------------------------------------------------------------ */

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

static void timer_fire(fl_engine *e, const fl_event *ev)
{
    fl_timer_slot *s = timer_slot(e, ev->u);
    if (!s)
        return;                                 /* cancelled */
    fl_node *n = &e->nodes[s->node];
    if (!n->alive || n->incarnation != s->incarnation) {
        timer_release(e, s);                    /* died with the node */
        return;
    }
    fl_event held = *ev;
    if (fl_node_hold(e, n, &held))
        return;
    uint8_t kind = s->kind;
    uint64_t cookie = s->cookie;
    timer_release(e, s);
    e->stats.timers++;
    fl_trace_rec r = { .time = e->now, .type = FL_TR_TIMER, .node = n->id,
                       .peer = FL_NO_NODE, .id = ev->u, .a = kind, .b = (int64_t)cookie };
    fl_trace_record(&e->trace, &r);
    if (n->role->on_timer)
        n->role->on_timer(fl_engine_ctx(e, n), n->state, (fl_timer_kind)kind, cookie);
    fl_engine_after_step(e, n);
}

static void dispatch(fl_engine *e, fl_event *ev)
{
    switch ((fl_event_type)ev->type) {
    case FL_EV_FAULT:
        fl_fault_apply(e, ev);
        break;
    case FL_EV_NEMESIS:
        fl_nemesis_fire(e, ev);
        break;
    case FL_EV_BOOT:
        node_boot(e, &e->nodes[ev->node], false);
        break;
    case FL_EV_DELIVER:
        fl_net_deliver(e, ev);
        break;
    case FL_EV_TIMER:
        timer_fire(e, ev);
        break;
    case FL_EV_RESUME: {
        fl_node *n = &e->nodes[ev->node];
        if (n->paused && n->pause_gen == ev->u)
            fl_node_resume(e, n);
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
    if (!fl_queue_pop(&e->queue, &ev)) {
        e->done = true;
        return 0;
    }
    e->now = ev.time;
    e->stats.events++;
    dispatch(e, &ev);
    if (e->done) {
        fl_engine_trace_simple(e, FL_TR_END, FL_NO_NODE, FL_NO_NODE, 0, 0, NULL);
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

bool fl_engine_timer_info(fl_engine *e, fl_timer_id id, fl_node_id *node,
                          uint8_t *kind)
{
    const fl_timer_slot *s = timer_slot(e, id);
    if (!s || !e->nodes[s->node].alive || e->nodes[s->node].incarnation != s->incarnation)
        return false;
    *node = s->node;
    *kind = s->kind;
    return true;
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
}

/* ---- Accessors ------------------------------------------------------------------ */

fl_time fl_engine_now(const fl_engine *e) { return e->now; }
fl_time fl_engine_end(const fl_engine *e) { return e->end; }
uint64_t fl_engine_seed(const fl_engine *e) { return e->seed; }
bool fl_engine_done(const fl_engine *e) { return e->done || e->stopped; }
uint64_t fl_engine_trace_hash(const fl_engine *e) { return e->trace.hash; }
const fl_engine_stats *fl_engine_stats_get(const fl_engine *e) { return &e->stats; }
const fl_history *fl_engine_history(const fl_engine *e) { return &e->history; }
const fl_trace *fl_engine_trace(const fl_engine *e) { return &e->trace; }
const fl_scenario *fl_engine_scenario(const fl_engine *e) { return e->scn; }
const fl_algorithm *fl_engine_algorithm(const fl_engine *e) { return e->alg; }
size_t fl_engine_node_count(const fl_engine *e) { return e->nnodes; }
fl_time fl_engine_last_disruption_end(const fl_engine *e) { return e->last_disruption_end; }
fl_time fl_engine_leader_since(const fl_engine *e) { return e->leader_since; }

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

bool fl_engine_node_entry(const fl_engine *e, fl_node_id node, int64_t index,
                          fl_view_entry *out)
{
    if ((size_t)node >= e->nnodes)
        return false;
    const fl_node *n = &e->nodes[node];
    if (!n->alive || !n->state || !n->role->inspect_entry)
        return false;
    memset(out, 0, sizeof *out);
    return n->role->inspect_entry(n->state, index, out);
}

const fl_view *fl_engine_node_view(const fl_engine *e, fl_node_id node)
{
    if ((size_t)node >= e->nnodes || !e->nodes[node].has_view)
        return NULL;
    return &e->nodes[node].view;
}

/* ---- algorithm.h: the context ------------------------------------------------------ */

fl_node_id fl_self(const fl_ctx *ctx)
{
    return ctx->node->id;
}

size_t fl_nodes(const fl_ctx *ctx, const char *role, const fl_node_id **ids)
{
    const fl_engine *e = ctx->e;
    const char *want = role ? role : ctx->node->role_name;
    for (size_t i = 0; i < e->nrole_ids; i++)
        if (strcmp(e->role_ids[i].name, want) == 0) {
            *ids = e->role_ids[i].ids;
            return e->role_ids[i].n;
        }
    *ids = NULL;
    return 0;
}

fl_time fl_now(const fl_ctx *ctx)
{
    return fl_node_local_time(ctx->node, ctx->e->now);
}

void fl_send(fl_ctx *ctx, fl_node_id to, const void *msg, size_t len)
{
    fl_net_send(ctx->e, ctx->node, to, FL_CH_ALG, msg, len);
}

fl_timer_id fl_set_timer(fl_ctx *ctx, fl_time delay, fl_timer_kind kind,
                         uint64_t cookie)
{
    fl_engine *e = ctx->e;
    fl_node *n = ctx->node;
    if (delay < 0)
        delay = 0;
    if (delay > FL_MAX_TIMER_DELAY)      /* far past any run's end; no overflow */
        delay = FL_MAX_TIMER_DELAY;
    fl_timer_id id = timer_alloc(e);
    if (!id)
        return 0;
    fl_timer_slot *s = &e->timers[(id & 0xffffffffu) - 1];
    s->node = n->id;
    s->incarnation = n->incarnation;
    s->kind = (uint8_t)((unsigned)kind < FL_TIMER_KIND_COUNT ? kind : FL_TIMER_OTHER);
    s->cookie = cookie;
    fl_event ev = { .time = e->now + local_to_real_delay(n, delay),
                    .type = FL_EV_TIMER, .node = n->id, .u = id };
    if (fl_engine_push(e, &ev, FL_CLASS_NORMAL) < 0) {
        timer_release(e, s);
        return 0;
    }
    return id;
}

void fl_cancel_timer(fl_ctx *ctx, fl_timer_id id)
{
    fl_timer_slot *s = timer_slot(ctx->e, id);
    if (s && s->node == ctx->node->id)
        timer_release(ctx->e, s);
}

uint64_t fl_random(fl_ctx *ctx)
{
    return fl_rng_u64(ctx->node->rng);
}

int64_t fl_random_between(fl_ctx *ctx, int64_t lo, int64_t hi)
{
    if (hi < lo) {
        int64_t t = lo;
        lo = hi;
        hi = t;
    }
    return fl_rng_between(ctx->node->rng, lo, hi);
}

int fl_disk_write(fl_ctx *ctx, const char *file, uint64_t offset,
                  const void *data, size_t len)
{
    return fl_disk_do_write(ctx->node->disk, file, offset, data, len);
}

int fl_disk_truncate(fl_ctx *ctx, const char *file, uint64_t size)
{
    return fl_disk_do_truncate(ctx->node->disk, file, size);
}

void fl_disk_sync(fl_ctx *ctx)
{
    fl_engine *e = ctx->e;
    fl_node *n = ctx->node;
    fl_time start = n->busy_until > e->now ? n->busy_until : e->now;
    fl_time done = start + fl_dist_sample_ns(&e->scn->disk.sync, n->disk_rng);
    fl_disk_do_sync(n->disk, e->now, done);
    n->busy_until = done;
    e->stats.syncs++;
    fl_engine_trace_simple(e, FL_TR_SYNC, n->id, FL_NO_NODE, done, 0, NULL);
    if (e->triggers)
        fl_fault_on_sync(e, n);
}

int64_t fl_disk_read(fl_ctx *ctx, const char *file, uint64_t offset,
                     void *buf, size_t len)
{
    return fl_disk_do_read(ctx->node->disk, file, offset, buf, len);
}

int64_t fl_disk_size(fl_ctx *ctx, const char *file)
{
    return fl_disk_do_size(ctx->node->disk, file);
}

void fl_reply(fl_ctx *ctx, const fl_request *req, fl_status status,
              int64_t value)
{
    fl_reply_msg m;
    memset(&m, 0, sizeof m);       /* padding is hashed: keep it zero */
    m.seq = req->seq;
    m.status = status;
    m.value = value;
    m.hint = FL_NO_NODE;
    fl_net_send(ctx->e, ctx->node, req->client, FL_CH_REPLY, &m, sizeof m);
}

void fl_redirect(fl_ctx *ctx, const fl_request *req, fl_node_id hint)
{
    fl_reply_msg m;
    memset(&m, 0, sizeof m);
    m.seq = req->seq;
    m.status = FL_STATUS_REDIRECT;
    m.value = FL_NIL;
    m.hint = hint;
    fl_net_send(ctx->e, ctx->node, req->client, FL_CH_REPLY, &m, sizeof m);
}

void fl_log(fl_ctx *ctx, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fl_engine_trace_simple(ctx->e, FL_TR_LOG, ctx->node->id, FL_NO_NODE, 0, 0, line);
}

/* ---- Engine-private context helpers for the built-in client ------------------------- */

fl_history *fl_ctx_history(fl_ctx *ctx) { return &ctx->e->history; }
const fl_workload_spec *fl_ctx_workload(fl_ctx *ctx) { return &ctx->e->scn->workload; }

void fl_ctx_send_request(fl_ctx *ctx, fl_node_id to, const fl_request *req)
{
    fl_net_send(ctx->e, ctx->node, to, FL_CH_REQUEST, req, sizeof *req);
}

void fl_ctx_trace_op(fl_ctx *ctx, fl_trace_type type, uint64_t op_id,
                     int64_t a, int64_t b)
{
    fl_trace_rec r = { .time = ctx->e->now, .type = type, .node = ctx->node->id,
                       .peer = FL_NO_NODE, .id = op_id, .a = a, .b = b };
    fl_trace_record(&ctx->e->trace, &r);
}

const char *fl_ctx_server_role(fl_ctx *ctx)
{
    return ctx->e->nrole_ids ? ctx->e->role_ids[0].name : "server";
}

fl_time fl_ctx_sim_time(fl_ctx *ctx) { return ctx->e->now; }
uint32_t fl_ctx_incarnation(fl_ctx *ctx) { return ctx->node->incarnation; }
size_t fl_ctx_node_count(fl_ctx *ctx) { return ctx->e->nnodes; }

void fl_ctx_count_op(fl_ctx *ctx, fl_hist_type type)
{
    fl_engine_stats *st = &ctx->e->stats;
    if (type == FL_HIST_OK)
        st->ops_ok++;
    else if (type == FL_HIST_FAIL)
        st->ops_fail++;
    else if (type == FL_HIST_INFO)
        st->ops_info++;
}
