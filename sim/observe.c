/* observe.c — what the engine lets others see: each node's view after
 * every step (traced when it changes), the step and message hooks
 * (invariants, the visualizer), and the liveness bookkeeping (last
 * disruption, first leader since). */
#include "sim/engine_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- Views ------------------------------------------------------------------ */

int fl_view_alloc(fl_view *v, size_t n)
{
    memset(v, 0, sizeof *v);
    v->npeers = n;
    v->match = malloc(n * sizeof *v->match);
    v->next = malloc(n * sizeof *v->next);
    v->votes = malloc(n ? n : 1);
    return (v->match && v->next && v->votes) ? 0 : -1;
}

void fl_view_free(fl_view *v)
{
    free(v->match);
    free(v->next);
    free(v->votes);
    memset(v, 0, sizeof *v);
}

void fl_view_clear(fl_view *v)
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

/* ---- Fault-free time (liveness) ------------------------------------------- */

static bool engine_disrupted(const fl_engine *e)
{
    for (size_t i = 0; i < e->nnodes; i++)
        if (!e->nodes[i].alive || e->nodes[i].paused)
            return true;
    for (size_t i = 0; i < e->nnodes * e->nnodes; i++)
        if (fl_link_blocked(&e->links[i]))
            return true;
    return false;
}

/* The part of [from, to) inside the workload window. */
static fl_time in_workload(const fl_engine *e, fl_time from, fl_time to)
{
    fl_time lo = e->scn->workload.start;
    fl_time hi = e->scn->workload.stop < e->end ? e->scn->workload.stop : e->end;
    if (from < lo)
        from = lo;
    if (to > hi)
        to = hi;
    return to > from ? to - from : 0;
}

void fl_engine_note_disruption(fl_engine *e)
{
    bool now = engine_disrupted(e);
    if (now == e->disrupted)
        return;
    if (now) {
        e->calm_total += in_workload(e, e->count_from, e->now);
    } else {
        e->calm_since = e->now;
        e->count_from = e->now + e->settle;
    }
    e->disrupted = now;
}

/* Fault-free time, for min_ok_ops: calm stretches, each but the first
 * (the run's start) counted only from `settle` after the disruption that
 * ended it, so a correct implementation is given a few election timeouts
 * to recover before it owes operations again. */
fl_time fl_engine_fault_free_time(const fl_engine *e)
{
    return e->calm_total + (e->disrupted ? 0 : in_workload(e, e->count_from, e->now));
}

fl_time fl_engine_quiet_since(const fl_engine *e)
{
    return e->disrupted ? -1 : e->calm_since;
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
    fl_view_clear(scratch);
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

/* ---- Hooks ------------------------------------------------------------------- */

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

/* ---- Accessors ----------------------------------------------------------------- */

fl_time fl_engine_leader_since(const fl_engine *e) { return e->leader_since; }

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
