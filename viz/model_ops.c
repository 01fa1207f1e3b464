/* model_ops.c — client operations (invoke to completion, by op id) and
 * the timeline's marks: faults as they happened, leaders as they rose,
 * violations, and the faults a live run's scenario plans ahead. */
#include "viz/model_internal.h"

/* ---- Client operations ------------------------------------------------------------ */

int viz_op_event(viz_model *m, const viz_event *ev, uint32_t *aux)
{
    if (ev->type == FL_TR_INVOKE) {
        if (viz_grow(&m->ops, &m->ops_cap, m->nops + 1, sizeof *m->ops) < 0 ||
            fl_idmap_put(&m->op_by_id, ev->id ? ev->id : UINT64_MAX, m->nops) < 0)
            return -1;
        viz_op *o = &m->ops[m->nops];
        o->id = ev->id;
        o->client = ev->node;
        o->kind = (unsigned)ev->a < FL_OP_KIND_COUNT ? (fl_op_kind)ev->a : FL_OP_READ;
        o->arg = ev->b;
        o->t0 = ev->t;
        o->t1 = -1;
        o->outcome = -1;
        o->value = 0;
        *aux = (uint32_t)m->nops++;
        return 0;
    }
    uint64_t i;
    if (!fl_idmap_get(&m->op_by_id, ev->id ? ev->id : UINT64_MAX, &i))
        return 0;
    m->ops[i].t1 = ev->t;
    m->ops[i].outcome = (int)ev->a;
    m->ops[i].value = ev->b;
    *aux = i;
    return 0;
}

size_t viz_model_op_count(const viz_model *m) { return m->nops; }
const viz_op *viz_model_op(const viz_model *m, size_t i)
{
    return i < m->nops ? &m->ops[i] : NULL;
}

size_t viz_model_ops_until(const viz_model *m, fl_time t)
{
    size_t lo = 0, hi = m->nops;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->ops[mid].t0 <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- Marks ------------------------------------------------------------------------- */

static int mark_add(viz_model *m, viz_mark_kind kind, const viz_event *ev,
                    int64_t term)
{
    if (viz_grow(&m->marks, &m->marks_cap, m->nmarks + 1, sizeof *m->marks) < 0)
        return -1;
    m->marks[m->nmarks++] = (viz_mark){ .t = ev->t, .kind = kind, .type = ev->type,
                                        .node = ev->node, .term = term,
                                        .ev = (uint32_t)m->nev };
    return 0;
}

static bool is_fault(fl_trace_type t)
{
    switch (t) {
    case FL_TR_CRASH: case FL_TR_RESTART: case FL_TR_PAUSE: case FL_TR_RESUME:
    case FL_TR_PARTITION: case FL_TR_HEAL: case FL_TR_LINK: case FL_TR_CLOCK:
    case FL_TR_SKIP:
        return true;
    default:
        return false;
    }
}

void viz_model_add_violation(viz_model *m, fl_time t, fl_node_id node)
{
    viz_event ev = { .t = t, .type = FL_TR_LOG, .node = node };
    (void)mark_add(m, VIZ_MARK_VIOLATION, &ev, -1);
}

int viz_model_plan(viz_model *m, fl_time t, fl_trace_type type)
{
    if (viz_grow(&m->plans, &m->plans_cap, m->nplans + 1, sizeof *m->plans) < 0)
        return -1;
    m->plans[m->nplans++] = (viz_mark){ .t = t, .kind = VIZ_MARK_FAULT, .type = type,
                                        .node = FL_NO_NODE, .term = -1, .ev = VIZ_NONE };
    return 0;
}

size_t viz_model_plan_count(const viz_model *m) { return m->nplans; }
const viz_mark *viz_model_planned(const viz_model *m, size_t i)
{
    return i < m->nplans ? &m->plans[i] : NULL;
}

size_t viz_model_mark_count(const viz_model *m) { return m->nmarks; }
const viz_mark *viz_model_mark(const viz_model *m, size_t i)
{
    return i < m->nmarks ? &m->marks[i] : NULL;
}

int viz_marks_on_event(viz_model *m, const viz_event *ev)
{
    if (is_fault(ev->type))
        return mark_add(m, VIZ_MARK_FAULT, ev, -1);
    if (ev->type != FL_TR_VIEW || ev->node < 0 || (size_t)ev->node >= m->nnodes)
        return 0;
    const viz_view *now = &m->views[ev->aux];
    uint32_t before = m->head->nodes[ev->node].view;
    const viz_view *was = before == VIZ_NONE ? NULL : &m->views[before];
    if (now->kind == FL_VIEW_LEADER &&
        (!was || was->kind != FL_VIEW_LEADER || was->term != now->term))
        return mark_add(m, VIZ_MARK_LEADER, ev, now->term);
    return 0;
}

size_t viz_model_marks_from(const viz_model *m, fl_time t)
{
    size_t lo = 0, hi = m->nmarks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->marks[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
