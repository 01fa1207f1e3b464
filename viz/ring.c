/* ring.c — the Ring pane's facts from the views (see ring.h). */
#include "viz/ring.h"

#include <math.h>
#include <string.h>

static bool scalar(const viz_model *m, const viz_view *v, const char *name, int64_t *out)
{
    return v && name && viz_view_scalar(m, v, name, out);
}

/* The view that speaks for node i: its current one, or its last one
 * while alive if it is down. */
static const viz_view *node_view(const viz_model *m, const viz_state *st, size_t i)
{
    const viz_node_state *ns = &st->nodes[i];
    uint32_t v = ns->alive ? ns->view : ns->live_view;
    if (v == VIZ_NONE)
        v = ns->view;
    return v == VIZ_NONE ? NULL : viz_model_view(m, v);
}

int32_t viz_ring_owner(const fl_viz_ring *spec, uint64_t members, uint32_t vnodes,
                       uint64_t pos, uint64_t *at)
{
    /* the successor, and the smallest point (the wrap-around) */
    bool have = false, have_min = false;
    uint64_t best = 0, min = 0;
    uint32_t best_g = 0, best_v = 0, min_g = 0, min_v = 0;
    for (uint32_t g = 0; g < VIZ_RING_MAX; g++) {
        if (!(members >> g & 1))
            continue;
        for (uint32_t v = 0; v < vnodes; v++) {
            uint64_t p = spec->point(g, v);
            if (!have_min || p < min || (p == min && (g < min_g || (g == min_g && v < min_v)))) {
                have_min = true;
                min = p, min_g = g, min_v = v;
            }
            if (p < pos)
                continue;
            if (!have || p < best || (p == best && (g < best_g || (g == best_g && v < best_v)))) {
                have = true;
                best = p, best_g = g, best_v = v;
            }
        }
    }
    if (at)
        *at = have ? best : min;
    return have ? (int32_t)best_g : have_min ? (int32_t)min_g : -1;
}

/* Newest shape: the view with the highest configuration that has them. */
static void read_shape(const viz_model *m, const viz_state *st, const fl_viz_ring *spec,
                       viz_ring *r, uint64_t *prev)
{
    int64_t best = -1;
    for (size_t i = 0; i < st->nnodes; i++) {
        const viz_view *v = node_view(m, st, i);
        int64_t cfg, mem, pm, sh, vn;
        if (!scalar(m, v, spec->config, &cfg) || !scalar(m, v, spec->members, &mem) ||
            !scalar(m, v, spec->shards, &sh) || !scalar(m, v, spec->vnodes, &vn) ||
            cfg <= best || sh < 1 || vn < 1)
            continue;
        best = cfg;
        r->config = cfg;
        r->members = (uint64_t)mem;
        *prev = scalar(m, v, spec->prev_members, &pm) ? (uint64_t)pm : (uint64_t)mem;
        r->nshards = sh > VIZ_RING_MAX ? VIZ_RING_MAX : (uint32_t)sh;
        r->vnodes = (uint32_t)vn;
        r->ok = true;
    }
}

/* Each group's representative: its live leader with the highest term,
 * else its live member with the highest configuration, else any. */
static void read_groups(const viz_model *m, const viz_state *st, const fl_viz_ring *spec,
                        viz_ring *r)
{
    int64_t rank[VIZ_RING_MAX] = { 0 };
    int64_t leader_term = -1;
    for (size_t i = 0; i < st->nnodes; i++) {
        const viz_view *v = node_view(m, st, i);
        int64_t g, cfg = -1, mask;
        bool alive = st->nodes[i].alive;
        if (!v)
            continue;
        if (!scalar(m, v, spec->group, &g) || g < 0) {     /* in no group */
            if (alive && v->kind == FL_VIEW_LEADER && v->term > leader_term &&
                viz_model_is_primary(m, (fl_node_id)i)) {
                leader_term = v->term;
                r->config_leader = (fl_node_id)i;
            }
            continue;
        }
        if (g >= VIZ_RING_MAX)
            continue;
        viz_ring_group *gr = &r->groups[g];
        (void)scalar(m, v, spec->config, &cfg);
        /* leaders first, then the newest configuration; the living first */
        int64_t k = (alive ? INT64_C(1) << 62 : 0) +
                    (alive && v->kind == FL_VIEW_LEADER ? (INT64_C(1) << 61) + v->term : 0) +
                    (cfg > 0 ? cfg : 0);
        gr->members++;
        gr->alive += alive;
        if (gr->seen && k <= rank[g])
            continue;
        gr->seen = true;
        rank[g] = k;
        gr->rep = (fl_node_id)i;
        gr->leader = alive && v->kind == FL_VIEW_LEADER ? (fl_node_id)i : FL_NO_NODE;
        gr->config = cfg;
        gr->serving = scalar(m, v, spec->serving, &mask) ? (uint64_t)mask : 0;
        gr->waiting = scalar(m, v, spec->waiting, &mask) ? (uint64_t)mask : 0;
        if ((uint32_t)g + 1 > r->ngroups)
            r->ngroups = (uint32_t)g + 1;
    }
}

/* Where a shard waited for by group `to` comes from: a group that has not
 * moved to `to`'s configuration yet and serves it, else its owner in the
 * configuration before (known when `to` is at the newest one). */
static int32_t source_of(const fl_viz_ring *spec, const viz_ring *r, uint32_t s, int32_t to,
                         uint64_t prev)
{
    const viz_ring_group *dst = &r->groups[to];
    for (uint32_t g = 0; g < r->ngroups; g++) {
        const viz_ring_group *h = &r->groups[g];
        if ((int32_t)g != to && h->seen && h->config < dst->config && (h->serving >> s & 1))
            return (int32_t)g;
    }
    if (dst->config != r->config)
        return -1;
    int32_t from = viz_ring_owner(spec, prev, r->vnodes, r->shards[s].pos, NULL);
    return from == to ? -1 : from;
}

bool viz_ring_available(const viz_model *m, const viz_state *st, const fl_viz_ring *spec)
{
    if (!spec || !spec->point || !spec->shard)
        return false;
    viz_ring r;
    uint64_t prev = 0;
    r.ok = false;
    read_shape(m, st, spec, &r, &prev);
    return r.ok;
}

void viz_ring_build(const viz_model *m, const viz_state *st, const fl_viz_ring *spec,
                    viz_ring *r)
{
    memset(r, 0, sizeof *r);
    r->config_leader = FL_NO_NODE;
    for (uint32_t g = 0; g < VIZ_RING_MAX; g++)
        r->groups[g].leader = r->groups[g].rep = FL_NO_NODE;
    if (!spec || !spec->point || !spec->shard)
        return;
    uint64_t prev = 0;
    read_shape(m, st, spec, r, &prev);
    if (!r->ok)
        return;
    read_groups(m, st, spec, r);
    for (uint32_t g = 0; g < VIZ_RING_MAX; g++) {
        r->groups[g].joined = r->members >> g & 1;
        if (r->groups[g].joined && g + 1 > r->ngroups)
            r->ngroups = g + 1;
    }
    for (uint32_t s = 0; s < r->nshards; s++) {
        viz_ring_shard *sh = &r->shards[s];
        sh->pos = spec->shard(s);
        sh->owner = viz_ring_owner(spec, r->members, r->vnodes, sh->pos, &sh->owner_pos);
        sh->server = sh->to = sh->from = -1;
        for (uint32_t g = 0; g < r->ngroups; g++) {
            const viz_ring_group *gr = &r->groups[g];
            if (!gr->seen)
                continue;
            /* the newest configuration's server wins a (brief) overlap */
            if ((gr->serving >> s & 1) &&
                (sh->server < 0 || gr->config > r->groups[sh->server].config))
                sh->server = (int32_t)g;
            if ((gr->waiting >> s & 1) &&
                (sh->to < 0 || gr->config > r->groups[sh->to].config))
                sh->to = (int32_t)g;
        }
        if (sh->to >= 0) {
            sh->from = source_of(spec, r, s, sh->to, prev);
            r->moving++;
        }
    }
}

/* ---- Where things go -------------------------------------------------------- */

viz_ring_geo viz_ring_place(const viz_rect *pane, float s)
{
    float top = pane->y + 44 * s, bottom = pane->y + pane->h - 64 * s;
    float w = pane->w - 40 * s, h = bottom - top;
    float side = w < h ? w : h;
    viz_ring_geo g = { pane->x + pane->w / 2, (top + bottom) / 2, side / 2 - 16 * s, s };
    if (g.r < 20 * s)
        g.r = 20 * s;
    return g;
}

void viz_ring_xy(const viz_ring_geo *g, uint64_t pos, float k, float *x, float *y)
{
    float a = viz_ring_angle(pos);
    *x = g->cx + g->r * k * sinf(a);
    *y = g->cy - g->r * k * cosf(a);
}

void viz_ring_hub(const viz_ring_geo *g, uint32_t group, uint32_t ngroups, float *x,
                  float *y)
{
    float a = 6.2831853f * (float)group / (float)(ngroups ? ngroups : 1);
    float k = ngroups > 1 ? 0.42f : 0.0f;
    *x = g->cx + g->r * k * sinf(a);
    *y = g->cy - g->r * k * cosf(a);
}

float viz_ring_hub_r(const viz_ring_geo *g, uint32_t ngroups)
{
    float r = 17 * g->s;
    if (ngroups > 6) {            /* keep hubs on the inner circle apart */
        float max = g->r * 0.42f * sinf(3.14159265f / (float)ngroups) * 0.8f;
        if (r > max)
            r = max;
    }
    return r;
}
