/* model_state.c — what a node shows and how links stand: the pool of
 * views (with their int and scalar pools), partition groups, the state
 * after any number of events (applied event by event from the nearest
 * keyframe), and the keyframes taken every VIZ_KEY_EVERY events. */
#include "viz/model_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- Views ------------------------------------------------------------------- */

static uint32_t ints_add(viz_model *m, const int64_t *src, size_t n)
{
    if (!src)
        return VIZ_NONE;
    size_t need = m->nints + m->nnodes;
    if (need >= VIZ_NONE || viz_grow(&m->ints, &m->ints_cap, need, sizeof *m->ints) < 0)
        return VIZ_NONE;
    for (size_t i = 0; i < m->nnodes; i++)
        m->ints[m->nints + i] = i < n ? src[i] : -1;
    uint32_t off = (uint32_t)m->nints;
    m->nints = need;
    return off;
}

int viz_view_add(viz_model *m, const viz_view_in *in, uint32_t *out)
{
    if (viz_grow(&m->views, &m->views_cap, m->nviews + 1, sizeof *m->views) < 0 ||
        viz_grow(&m->scal, &m->scal_cap, m->nscal + in->nscalars, sizeof *m->scal) < 0)
        return -1;
    viz_view *v = &m->views[m->nviews];
    v->kind = in->kind;
    v->label = viz_intern(m, in->label);
    v->term = in->term;
    v->leader = in->leader;
    v->voted_for = in->voted_for;
    v->log_first = in->log_first;
    v->log_last = in->log_last;
    v->commit = in->commit;
    v->applied = in->applied;
    v->match = ints_add(m, in->match, in->npeers);
    v->next = ints_add(m, in->next, in->npeers);
    v->votes = ints_add(m, in->votes, in->npeers);
    v->scalars = (uint32_t)m->nscal;
    v->nscalars = 0;
    for (size_t i = 0; i < in->nscalars && i < FL_VIEW_MAX_SCALARS; i++) {
        m->scal[m->nscal].name = viz_intern(m, in->scalar_names[i]);
        m->scal[m->nscal].value = in->scalar_values[i];
        m->nscal++;
        v->nscalars++;
    }
    *out = (uint32_t)m->nviews++;
    return 0;
}

const viz_view *viz_model_view(const viz_model *m, uint32_t i)
{
    return i < m->nviews ? &m->views[i] : NULL;
}

const int64_t *viz_model_ints(const viz_model *m, uint32_t off)
{
    return off == VIZ_NONE || off >= m->nints ? NULL : m->ints + off;
}

const viz_scalar *viz_model_scalars(const viz_model *m, const viz_view *v)
{
    return m->scal + v->scalars;
}

bool viz_view_scalar(const viz_model *m, const viz_view *v, const char *name,
                     int64_t *out)
{
    const viz_scalar *s = viz_model_scalars(m, v);
    for (size_t i = 0; i < v->nscalars; i++)
        if (s[i].name && strcmp(s[i].name, name) == 0) {
            *out = s[i].value;
            return true;
        }
    return false;
}

/* ---- Partitions and links ------------------------------------------------------------ */

/* The group of each node, from the trace's "groups" field. */
uint32_t viz_partition_add(viz_model *m, const int32_t *groups)
{
    size_t n = m->nnodes;
    if (!groups || viz_grow(&m->groups, &m->groups_cap, m->ngroups + n, sizeof *m->groups) < 0)
        return VIZ_NONE;
    memcpy(m->groups + m->ngroups, groups, n * sizeof *groups);
    uint32_t off = (uint32_t)m->ngroups;
    m->ngroups += n;
    return off;
}

const int32_t *viz_model_partition(const viz_model *m, const viz_event *ev)
{
    if (ev->type != FL_TR_PARTITION || ev->aux == VIZ_NONE || ev->aux >= m->ngroups)
        return NULL;
    return m->groups + ev->aux;
}

/* ---- State --------------------------------------------------------------------------- */

viz_state *viz_state_new(const viz_model *m)
{
    viz_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    size_t n = m->nnodes ? m->nnodes : 1;
    st->nnodes = m->nnodes;
    st->nodes = calloc(n, sizeof *st->nodes);
    st->links = calloc(n * n, 1);
    if (!st->nodes || !st->links) {
        viz_state_free(st);
        return NULL;
    }
    for (size_t i = 0; i < m->nnodes; i++)
        st->nodes[i].view = st->nodes[i].live_view = VIZ_NONE;
    return st;
}

void viz_state_free(viz_state *st)
{
    if (!st)
        return;
    free(st->nodes);
    free(st->links);
    free(st);
}

static void set_link(viz_state *st, fl_node_id a, fl_node_id b, uint8_t bit, bool on)
{
    if (a < 0 || b < 0 || (size_t)a >= st->nnodes || (size_t)b >= st->nnodes)
        return;
    uint8_t *l = &st->links[(size_t)a * st->nnodes + (size_t)b];
    *l = on ? (uint8_t)(*l | bit) : (uint8_t)(*l & ~bit);
}

static void apply_partition(const viz_model *m, viz_state *st, const viz_event *ev)
{
    const int32_t *g = viz_model_partition(m, ev);
    for (size_t a = 0; a < st->nnodes; a++)
        for (size_t b = 0; b < st->nnodes; b++)
            set_link(st, (fl_node_id)a, (fl_node_id)b, VIZ_LINK_SPLIT,
                     g && a != b && g[a] != g[b]);
}

/* aux of a link event: its FL_TRACE_LINK_* flags. */
static void apply_link(viz_state *st, const viz_event *ev)
{
    uint8_t bit = (ev->aux & FL_TRACE_LINK_CUT) ? VIZ_LINK_CUT : VIZ_LINK_LOSSY;
    set_link(st, ev->node, ev->peer, bit, true);
    if (ev->aux & FL_TRACE_LINK_SYMMETRIC)
        set_link(st, ev->peer, ev->node, bit, true);
}

void viz_state_apply(const viz_model *m, viz_state *st, const viz_event *ev)
{
    viz_node_state *ns = ev->node >= 0 && (size_t)ev->node < st->nnodes
                       ? &st->nodes[ev->node] : NULL;
    switch (ev->type) {
    case FL_TR_BOOT:
    case FL_TR_RESTART:
        if (ns)
            ns->alive = ns->booted = true, ns->paused = false;
        break;
    case FL_TR_CRASH:
        if (ns)
            ns->alive = ns->paused = false;
        break;
    case FL_TR_PAUSE:
        if (ns)
            ns->paused = true;
        break;
    case FL_TR_RESUME:
        if (ns)
            ns->paused = false;
        break;
    case FL_TR_VIEW:
        if (ns) {
            ns->view = ev->aux;
            if (ns->alive)
                ns->live_view = ev->aux;
        }
        break;
    case FL_TR_PARTITION:
        apply_partition(m, st, ev);
        break;
    case FL_TR_HEAL:
        memset(st->links, 0, st->nnodes * st->nnodes);
        break;
    case FL_TR_LINK:
        apply_link(st, ev);
        break;
    default:
        break;
    }
    st->idx++;
}

void viz_model_state_at(const viz_model *m, size_t idx, viz_state *st)
{
    if (idx > m->nev)
        idx = m->nev;
    size_t k = idx / VIZ_KEY_EVERY;
    if (k >= m->nkeys)
        k = m->nkeys - 1;
    size_t n = m->nnodes;
    memcpy(st->nodes, m->key_nodes + k * n, n * sizeof *st->nodes);
    memcpy(st->links, m->key_links + k * n * n, n * n);
    st->idx = k * VIZ_KEY_EVERY;
    for (size_t i = st->idx; i < idx; i++)
        viz_state_apply(m, st, &m->ev[i]);
}

void viz_model_state_finish_step(const viz_model *m, viz_state *st)
{
    size_t k = st->idx;
    if (k == 0 || k > m->nev)
        return;
    const viz_event *last = &m->ev[k - 1];
    if (last->node < 0 || (size_t)last->node >= st->nnodes || last->type == FL_TR_VIEW)
        return;
    for (size_t j = k; j < m->nev && j < k + 256; j++) {
        const viz_event *e = &m->ev[j];
        if (e->t != last->t || e->node != last->node)
            return;                          /* another step began */
        if (e->type == FL_TR_VIEW) {
            viz_node_state *ns = &st->nodes[e->node];
            ns->view = e->aux;
            if (ns->alive)
                ns->live_view = e->aux;
            return;
        }
    }
}

void viz_model_state_advance(const viz_model *m, viz_state *st, size_t idx)
{
    if (idx > m->nev)
        idx = m->nev;
    if (idx < st->idx) {
        viz_model_state_at(m, idx, st);
        return;
    }
    for (size_t i = st->idx; i < idx; i++)
        viz_state_apply(m, st, &m->ev[i]);
}

/* ---- Keyframes ------------------------------------------------------------------ */

int viz_keyframe_push(viz_model *m)
{
    size_t n = m->nnodes;
    if (viz_grow(&m->key_nodes, &m->key_nodes_cap, (m->nkeys + 1) * n,
                 sizeof *m->key_nodes) < 0 ||
        viz_grow(&m->key_links, &m->key_links_cap, (m->nkeys + 1) * n * n, 1) < 0)
        return -1;
    memcpy(m->key_nodes + m->nkeys * n, m->head->nodes, n * sizeof *m->key_nodes);
    memcpy(m->key_links + m->nkeys * n * n, m->head->links, n * n);
    m->nkeys++;
    return 0;
}
