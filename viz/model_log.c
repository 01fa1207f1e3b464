/* model_log.c — what the model knows about each node's log over time and
 * about its election timer.
 *
 * Log entries: a live run records every entry's term exactly (from the
 * engine's inspect_entry); a trace only has views (first/last/commit), so
 * replay infers terms: a leader's new entries carry its term, and a
 * follower's uncommitted entries are copied from the leader it follows.
 * The drawing says which of the two it shows.
 *
 * Election timers: the trace records a timer only when it fires, so the
 * moments a node restarts its election timer are inferred (boot, restart,
 * its election timer firing, a message from the leader it follows, a vote
 * it grants, stepping down). When the next such moment is the timer
 * firing, the deadline drawn is exact; otherwise it is estimated from the
 * scenario's timeout or the intervals seen so far. */
#include "viz/model_internal.h"

#include <stdlib.h>
#include <string.h>

/* Inference looks at most this far below the last entry. */
#define INFER_WINDOW 512

void viz_log_free(viz_node_rec *n)
{
    for (size_t i = 0; i < n->nslots; i++)
        free(n->slots[i].w);
    free(n->slots);
    free(n->resets);
    free(n->durable);
}

static viz_node_rec *node_rec(const viz_model *m, fl_node_id node)
{
    return node >= 0 && (size_t)node < m->nnodes ? &m->nodes[node] : NULL;
}

/* ---- Entries -------------------------------------------------------------- */

/* Writes to log slots are bounded like indices: a real run makes a few per
 * entry per node; a trace that asks for more is not recorded further. */
static bool write_budget_left(viz_model *m)
{
    int64_t budget = ((int64_t)m->nnodes + 4) * (4 * (int64_t)m->nev + 1024);
    return m->entry_writes < budget;
}

static int slot_write(viz_model *m, viz_log_slot *s, fl_time t, int64_t term)
{
    if (s->n && s->w[s->n - 1].term == term)
        return 0;
    if (!write_budget_left(m))
        return 0;
    m->entry_writes++;
    if (s->n && s->w[s->n - 1].t == t) {      /* same moment: last write wins */
        s->w[s->n - 1].term = term;
        return 0;
    }
    if (viz_grow(&s->w, &s->cap, s->n + 1, sizeof *s->w) < 0)
        return -1;
    s->w[s->n++] = (viz_log_write){ t, term };
    return 0;
}

/* The highest log index the model records. Every entry of a real run
 * comes from an event of the trace (a client request, an election's no-op),
 * so a trace whose views claim far more entries than it has events lies;
 * what lies beyond is not recorded rather than allocated for. */
static int64_t index_bound(const viz_model *m)
{
    return 4 * (int64_t)m->nev + 1024;
}

int viz_model_set_entry(viz_model *m, fl_node_id node, fl_time t,
                        int64_t index, int64_t term)
{
    viz_node_rec *n = node_rec(m, node);
    if (!n || index < 0 || index > index_bound(m))
        return 0;
    size_t i = (size_t)index;
    if (i >= n->nslots) {
        if (viz_grow(&n->slots, &n->slots_cap, i + 1, sizeof *n->slots) < 0)
            return -1;
        memset(n->slots + n->nslots, 0, (i + 1 - n->nslots) * sizeof *n->slots);
        n->nslots = i + 1;
    }
    if (slot_write(m, &n->slots[i], t, term) < 0)
        return -1;
    if (index > n->hi)
        n->hi = index;
    return 0;
}

int viz_model_truncate(viz_model *m, fl_node_id node, fl_time t, int64_t last)
{
    viz_node_rec *n = node_rec(m, node);
    if (!n)
        return 0;
    if (last < 0)
        last = 0;
    for (int64_t i = last + 1; i <= n->hi && (size_t)i < n->nslots && write_budget_left(m); i++)
        if (slot_write(m, &n->slots[i], t, VIZ_TERM_GONE) < 0)
            return -1;
    if (n->hi > last)
        n->hi = last;
    return 0;
}

int viz_model_set_durable(viz_model *m, fl_node_id node, fl_time t, int64_t index)
{
    viz_node_rec *n = node_rec(m, node);
    if (!n || (n->ndurable && n->durable[n->ndurable - 1].v == index))
        return 0;
    if (viz_grow(&n->durable, &n->durable_cap, n->ndurable + 1, sizeof *n->durable) < 0)
        return -1;
    n->durable[n->ndurable++] = (viz_tpoint){ t, index };
    return 0;
}

viz_entry viz_model_entry(const viz_model *m, fl_node_id node, fl_time t,
                          int64_t index)
{
    viz_entry out = { false, -1 };
    const viz_node_rec *n = node_rec(m, node);
    if (!n || index < 0 || (size_t)index >= n->nslots)
        return out;
    const viz_log_slot *s = &n->slots[index];
    size_t lo = 0, hi = s->n;            /* first write after t */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->w[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return out;
    int64_t term = s->w[lo - 1].term;
    if (term != VIZ_TERM_GONE && term != VIZ_TERM_UNKNOWN) {
        out.known = true;
        out.term = term;
    }
    return out;
}

int64_t viz_model_durable(const viz_model *m, fl_node_id node, fl_time t)
{
    const viz_node_rec *n = node_rec(m, node);
    if (!n)
        return -1;
    size_t lo = 0, hi = n->ndurable;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (n->durable[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? n->durable[lo - 1].v : -1;
}

/* The latest term `node` holds at `index`, or VIZ_TERM_UNKNOWN. */
static int64_t latest_term(const viz_model *m, fl_node_id node, int64_t index)
{
    const viz_node_rec *n = node_rec(m, node);
    if (!n || index <= 0 || index > n->hi || (size_t)index >= n->nslots ||
        !n->slots[index].n)
        return VIZ_TERM_UNKNOWN;
    int64_t t = n->slots[index].w[n->slots[index].n - 1].term;
    return t == VIZ_TERM_GONE ? VIZ_TERM_UNKNOWN : t;
}

/* Replay: infer entry terms from a node's new view. */
static int infer_entries(viz_model *m, fl_node_id node, fl_time t,
                         const viz_view *was, const viz_view *now)
{
    viz_node_rec *n = node_rec(m, node);
    int64_t last = now->log_last > 0 ? now->log_last : 0;
    if (last > index_bound(m))
        last = index_bound(m);
    if (last < n->hi && viz_model_truncate(m, node, t, last) < 0)
        return -1;
    int64_t old_hi = n->hi;
    if (now->kind == FL_VIEW_LEADER) {
        for (int64_t i = old_hi + 1; i <= last && write_budget_left(m); i++)
            if (viz_model_set_entry(m, node, t, i, now->term) < 0)
                return -1;
        return 0;
    }
    int64_t from = was && was->commit > 0 ? was->commit + 1 : 1;
    if (from < last - INFER_WINDOW)
        from = last - INFER_WINDOW;
    if (from > old_hi + 1)
        from = old_hi + 1;
    if (from < 1)
        from = 1;
    bool follows = now->leader >= 0 && now->leader != node;
    for (int64_t i = from; i <= last; i++) {
        int64_t term = follows ? latest_term(m, now->leader, i) : VIZ_TERM_UNKNOWN;
        if (term == VIZ_TERM_UNKNOWN && i <= old_hi)
            continue;                    /* keep what we had */
        if (viz_model_set_entry(m, node, t, i, term) < 0)
            return -1;
    }
    return 0;
}

/* ---- Election timers ----------------------------------------------------------- */

static int cmp_time(const void *a, const void *b)
{
    fl_time x = *(const fl_time *)a, y = *(const fl_time *)b;
    return (x > y) - (x < y);
}

/* The 90th percentile of the reset-to-fire intervals seen so far. */
static void learn_timeout(viz_model *m)
{
    fl_time *tmp = malloc(m->nintervals * sizeof *tmp);
    if (!tmp)
        return;
    memcpy(tmp, m->intervals, m->nintervals * sizeof *tmp);
    qsort(tmp, m->nintervals, sizeof *tmp, cmp_time);
    m->timeout_learned = tmp[(m->nintervals * 9) / 10];
    free(tmp);
}

static int reset_push(viz_model *m, fl_node_id node, fl_time t, bool fire)
{
    viz_node_rec *n = node_rec(m, node);
    if (!n)
        return 0;
    if (n->nresets && n->resets[n->nresets - 1].t == t) {
        n->resets[n->nresets - 1].fire |= fire;
        return 0;
    }
    if (fire && n->nresets) {
        if (viz_grow(&m->intervals, &m->intervals_cap, m->nintervals + 1,
                     sizeof *m->intervals) < 0)
            return -1;
        m->intervals[m->nintervals++] = t - n->resets[n->nresets - 1].t;
        if (m->nintervals < 64 || m->nintervals % 64 == 0)
            learn_timeout(m);
    }
    if (viz_grow(&n->resets, &n->resets_cap, n->nresets + 1, sizeof *n->resets) < 0)
        return -1;
    n->resets[n->nresets++] = (viz_reset){ t, fire };
    return 0;
}

/* Did this view change restart the node's election timer? */
static bool view_resets(fl_node_id node, const viz_view *was, const viz_view *now)
{
    if (!was)
        return false;
    if (now->voted_for != was->voted_for && now->voted_for >= 0 &&
        now->voted_for != node)
        return true;                     /* granted a vote */
    if (now->leader != was->leader && now->leader >= 0 && now->leader != node)
        return true;                     /* found a leader */
    return was->kind == FL_VIEW_LEADER && now->kind != FL_VIEW_LEADER;
}

static const viz_view *head_view(const viz_model *m, fl_node_id node)
{
    if (node < 0 || (size_t)node >= m->nnodes)
        return NULL;
    uint32_t v = m->head->nodes[node].view;
    return v == VIZ_NONE ? NULL : &m->views[v];
}

int viz_log_on_event(viz_model *m, const viz_event *ev, uint32_t aux)
{
    switch (ev->type) {
    case FL_TR_BOOT:
    case FL_TR_RESTART:
        return reset_push(m, ev->node, ev->t, false);
    case FL_TR_TIMER:
        if (ev->a != FL_TIMER_ELECTION)
            return 0;
        m->has_election_timers = true;
        return reset_push(m, ev->node, ev->t, true);
    case FL_TR_DELIVER: {
        const viz_view *v = head_view(m, ev->node);
        if (v && v->kind != FL_VIEW_LEADER && v->leader == ev->peer && ev->peer >= 0)
            return reset_push(m, ev->node, ev->t, false);
        return 0;
    }
    case FL_TR_VIEW: {
        if (aux == VIZ_NONE || !node_rec(m, ev->node))
            return 0;
        const viz_view *was = head_view(m, ev->node), *now = &m->views[aux];
        if (view_resets(ev->node, was, now) && reset_push(m, ev->node, ev->t, false) < 0)
            return -1;
        if (m->exact_entries || !m->head->nodes[ev->node].alive)
            return 0;
        return infer_entries(m, ev->node, ev->t, was, now);
    }
    default:
        return 0;
    }
}

void viz_model_set_election_timeout(viz_model *m, fl_time max)
{
    m->timeout_cfg = max;
}


viz_timer_arc viz_model_election_timer(const viz_model *m, fl_node_id node,
                                       fl_time t, const viz_state *st)
{
    viz_timer_arc arc = { false, false, 0, 0 };
    const viz_node_rec *n = node_rec(m, node);
    if (!n || !n->primary || (!m->has_election_timers && m->timeout_cfg <= 0))
        return arc;
    const viz_node_state *ns = &st->nodes[node];
    const viz_view *v = ns->view == VIZ_NONE ? NULL : &m->views[ns->view];
    if (!ns->alive || !v || (v->kind != FL_VIEW_FOLLOWER && v->kind != FL_VIEW_CANDIDATE))
        return arc;
    size_t lo = 0, hi = n->nresets;      /* first reset after t */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (n->resets[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return arc;
    arc.start = n->resets[lo - 1].t;
    if (lo < n->nresets && n->resets[lo].fire) {
        arc.exact = true;
        arc.deadline = n->resets[lo].t;
    } else {
        fl_time to = m->timeout_cfg > 0 ? m->timeout_cfg : m->timeout_learned;
        if (to <= 0)
            return arc;
        arc.deadline = arc.start + to;
    }
    arc.armed = arc.deadline > arc.start;
    return arc;
}
