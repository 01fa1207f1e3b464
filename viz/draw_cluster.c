/* draw_cluster.c — the cluster: links (cut and lossy ones marked), the
 * messages in flight along them (requests filled, replies hollow with
 * +/-, duplicates ringed, drops crossed where they die), and the nodes
 * coloured and shaped by role with term, vote, election-timer arc and a
 * candidate's votes at each peer's angle. */
#include "viz/draw.h"

#include "viz/alg_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/vec.h"

#define PI_F 3.14159265f

typedef struct cluster_ctx {
    viz_gfx          *g;
    const viz_layout *l;
    const viz_frame  *f;
} cluster_ctx;

/* ---- Links ------------------------------------------------------------------ */

/* Points where the segment between two nodes leaves their circles. */
static void rim_points(const viz_layout *l, fl_node_id a, fl_node_id b,
                       float *x0, float *y0, float *x1, float *y1)
{
    float dx = l->nx[b] - l->nx[a], dy = l->ny[b] - l->ny[a];
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 1)
        len = 1;
    float ux = dx / len, uy = dy / len;
    *x0 = l->nx[a] + ux * l->nr[a];
    *y0 = l->ny[a] + uy * l->nr[a];
    *x1 = l->nx[b] - ux * l->nr[b];
    *y1 = l->ny[b] - uy * l->nr[b];
}

/* A cut: two short bars across the link at fraction `at` from a to b. */
static void cut_mark(viz_gfx *g, float x0, float y0, float x1, float y1,
                     float at, float s)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 1)
        return;
    float ux = dx / len, uy = dy / len, nx = -uy, ny = ux;
    float mx = x0 + dx * at, my = y0 + dy * at, h = 8 * s, gap = 2.5f * s;
    for (int k = -1; k <= 1; k += 2) {
        float cx = mx + ux * gap * (float)k, cy = my + uy * gap * (float)k;
        viz_geom_line(&g->geom, cx - nx * h, cy - ny * h, cx + nx * h, cy + ny * h,
                      2.5f * s, VIZ_CUT);
    }
}

static void draw_link(cluster_ctx *c, fl_node_id a, fl_node_id b)
{
    const viz_layout *l = c->l;
    size_t n = l->nnodes;
    uint8_t ab = c->f->st->links[(size_t)a * n + (size_t)b];
    uint8_t ba = c->f->st->links[(size_t)b * n + (size_t)a];
    bool prim = viz_model_is_primary(c->f->m, a) && viz_model_is_primary(c->f->m, b);
    float s = l->s, x0, y0, x1, y1;
    rim_points(l, a, b, &x0, &y0, &x1, &y1);
    const uint8_t blocked = VIZ_LINK_SPLIT | VIZ_LINK_CUT;
    bool split_only = !((ab | ba) & VIZ_LINK_CUT);
    if (((ab | ba) & blocked) && !prim && split_only) {   /* a partitioned client: quietly */
        viz_geom_dashed(&c->g->geom, x0, y0, x1, y1, 1.2f * s, 3 * s, 5 * s,
                        viz_alpha(VIZ_CUT, 90));
    } else if ((ab | ba) & blocked) {
        viz_geom_dashed(&c->g->geom, x0, y0, x1, y1, 1.6f * s, 7 * s, 5 * s,
                        viz_alpha(VIZ_CUT, 150));
        if ((ab & blocked) && (ba & blocked))
            cut_mark(c->g, x0, y0, x1, y1, 0.5f, s);
        else if (ab & blocked)
            cut_mark(c->g, x0, y0, x1, y1, 0.72f, s);   /* a -> b lost */
        else
            cut_mark(c->g, x0, y0, x1, y1, 0.28f, s);   /* b -> a lost */
    } else if ((ab | ba) & VIZ_LINK_LOSSY) {
        viz_geom_dashed(&c->g->geom, x0, y0, x1, y1, 2.0f * s, 2 * s, 4 * s,
                        viz_alpha(VIZ_ORANGE, 200));
    } else if (prim && !l->dense) {
        viz_geom_line(&c->g->geom, x0, y0, x1, y1, 1.2f * s, VIZ_LINK);
    }
}

static void draw_links(cluster_ctx *c)
{
    for (size_t a = 0; a < c->l->nnodes; a++)
        for (size_t b = a + 1; b < c->l->nnodes; b++)
            draw_link(c, (fl_node_id)a, (fl_node_id)b);
}

/* ---- Messages -------------------------------------------------------------------- */

static float msg_progress(const viz_msg *g, fl_time t)
{
    if (g->end == VIZ_MSG_FLYING) {       /* end not known yet: creep */
        float p = (float)((double)(t - g->t0) / (double)FL_MS(60));
        return p > 0.9f ? 0.9f : p;
    }
    if (g->t1 <= g->t0)
        return 1;
    float p = (float)((double)(t - g->t0) / (double)(g->t1 - g->t0));
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* Where a dropped message dies: at the cut, on the wire, at the node. */
static float death_point(const viz_model *m, const viz_msg *g)
{
    if (g->end != VIZ_MSG_DROPPED)
        return 1.0f;
    (void)m;
    switch ((viz_drop_reason)g->why) {
    case VIZ_DROP_PARTITION:      return 0.5f;
    case VIZ_DROP_LOSS:           return 0.35f;
    case VIZ_DROP_SENDER_CRASHED: return 0.08f;
    case VIZ_DROP_NODE_DOWN:      return 1.0f;
    case VIZ_DROP_UNKNOWN:
    case VIZ_DROP_NO_MEMORY:
    case VIZ_DROP_MANUAL:         break;
    }
    return 0.5f;
}

/* A message on screen: where, and how it looks. Collected first, then
 * drawn as sprites (thousands are cheap) and then the small overlays. */
typedef struct msg_mark {
    float    x, y;
    viz_rgba col;
    uint8_t  reply, dup, dead;
    int8_t   ok;
    uint8_t  alpha;                      /* drops fade out */
} msg_mark;

typedef struct msg_list {
    cluster_ctx *c;
    msg_mark    *v;
    size_t       n, cap;
} msg_list;

static void collect_msg(void *arg, const viz_msg *m)
{
    msg_list *ml = arg;
    cluster_ctx *c = ml->c;
    const viz_layout *l = c->l;
    if (m->from < 0 || m->to < 0 || (size_t)m->from >= l->nnodes ||
        (size_t)m->to >= l->nnodes || m->from == m->to)
        return;
    float s = l->s, x0, y0, x1, y1;
    rim_points(l, m->from, m->to, &x0, &y0, &x1, &y1);
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 1 || fl_vec_grow(&ml->v, &ml->cap, ml->n + 1, sizeof *ml->v, 16) < 0)
        return;
    float ox = -dy / len * 3.5f * s, oy = dx / len * 3.5f * s;   /* keep lanes apart */
    fl_time t = c->f->t;
    float at = death_point(c->f->m, m);
    msg_mark k = { 0, 0, viz_kind_slot_color(viz_model_kind_slot(c->f->m, m->kind)),
                   m->reply, m->dup, 0, m->ok, 255 };
    if (m->end == VIZ_MSG_DROPPED && m->ev1 < c->f->idx) {
        float fade = 1.0f - (float)((double)(t - m->t1) / (double)VIZ_DROP_LINGER);
        if (fade <= 0)
            return;
        k.dead = 1;
        k.alpha = (uint8_t)(255 * fade);
    } else {
        at *= msg_progress(m, t);
    }
    k.x = x0 + dx * at + ox;
    k.y = y0 + dy * at + oy;
    ml->v[ml->n++] = k;
}

static void draw_msgs(cluster_ctx *c)
{
    msg_list ml = { c, NULL, 0, 0 };
    viz_model_msgs_at(c->f->m, c->f->t, c->f->idx, collect_msg, &ml);
    viz_gfx *g = c->g;
    viz_sprites *sp = &g->sprites;
    float s = c->l->s, r = 5.2f * s;
    viz_geom_flush(&g->geom, g->r);
    for (size_t i = 0; i < ml.n; i++) {
        const msg_mark *k = &ml.v[i];
        if (k->dead) {
            viz_sprite_disc(sp, k->x, k->y, r, viz_alpha(k->col, (uint8_t)(k->alpha / 3)));
            continue;
        }
        if (k->dup)
            viz_sprite_ring(sp, k->x, k->y, r + 3 * s, 1.2f * s, viz_alpha(VIZ_TEXT, 200));
        viz_sprite_disc(sp, k->x, k->y, r + 1.2f * s, viz_alpha(VIZ_BG, 210));
        if (k->reply)
            viz_sprite_ring(sp, k->x, k->y, r - 0.8f * s, 2.2f * s, k->col);
        else
            viz_sprite_disc(sp, k->x, k->y, r, k->col);
    }
    float h = 2.6f * s;                  /* +/- on replies, x on drops */
    for (size_t i = 0; i < ml.n; i++) {
        const msg_mark *k = &ml.v[i];
        if (k->dead)
            viz_geom_cross(&g->geom, k->x, k->y, 5 * s, 2.4f * s, viz_alpha(VIZ_CUT, k->alpha));
        if (k->dead || !k->reply || k->ok < 0)
            continue;
        viz_geom_line(&g->geom, k->x - h, k->y, k->x + h, k->y, 1.5f * s, VIZ_TEXT);
        if (k->ok == 1)
            viz_geom_line(&g->geom, k->x, k->y - h, k->x, k->y + h, 1.5f * s, VIZ_TEXT);
    }
    free(ml.v);
}

/* ---- Nodes ------------------------------------------------------------------------ */

static void draw_crown(viz_gfx *g, float x, float y, float r, viz_rgba col)
{
    float w = r * 0.9f, h = r * 0.42f, top = y - r - h * 1.15f, base = y - r - 2;
    viz_geom_rect(&g->geom, x - w / 2, base - h * 0.35f, w, h * 0.35f, col);
    for (int k = 0; k < 3; k++) {
        float cx = x - w / 2 + w * (float)k / 2;
        float half = w / 5.5f;
        float lx = cx - half < x - w / 2 ? x - w / 2 : cx - half;
        float rx = cx + half > x + w / 2 ? x + w / 2 : cx + half;
        viz_geom_triangle(&g->geom, lx, base - h * 0.3f, rx, base - h * 0.3f,
                          cx, top, col);
    }
}

static void draw_timer(cluster_ctx *c, fl_node_id id, float x, float y, float r)
{
    viz_timer_arc arc = viz_model_election_timer(c->f->m, id, c->f->t, c->f->st);
    if (!arc.armed)
        return;
    float s = c->l->s, rr = r + 6.5f * s, w = 3.2f * s;
    double left = (double)(arc.deadline - c->f->t) / (double)(arc.deadline - arc.start);
    if (left < 0)
        left = 0;
    if (left > 1)
        left = 1;
    viz_geom_ring(&c->g->geom, x, y, rr, w, viz_alpha(VIZ_TEXT, 28));
    viz_rgba col = arc.exact ? VIZ_TEXT : viz_alpha(VIZ_TEXT, 120);
    viz_geom_arc(&c->g->geom, x, y, rr - w / 2, rr + w / 2, 0,
                 (float)(2 * PI_F * left), col);
}

static void draw_votes(cluster_ctx *c, fl_node_id id, const viz_view *v, float r)
{
    const int64_t *votes = viz_model_ints(c->f->m, v->votes);
    if (!votes)
        return;
    const viz_layout *l = c->l;
    float s = l->s;
    for (size_t p = 0; p < l->nnodes; p++) {
        if ((fl_node_id)p == id || !viz_model_is_primary(c->f->m, (fl_node_id)p))
            continue;
        float dx = l->nx[p] - l->nx[id], dy = l->ny[p] - l->ny[id];
        float len = sqrtf(dx * dx + dy * dy);
        if (len < 1)
            continue;
        float d = r + 15 * s;
        float x = l->nx[id] + dx / len * d, y = l->ny[id] + dy / len * d;
        if (votes[p] == 1) {
            viz_geom_circle(&c->g->geom, x, y, 4.5f * s, VIZ_OK);
        } else if (votes[p] == 0) {
            viz_geom_cross(&c->g->geom, x, y, 3.8f * s, 2.2f * s, VIZ_BAD);
        } else {                          /* pending: a hollow square, not a reply's ring */
            viz_geom_rect_outline(&c->g->geom, x - 3.5f * s, y - 3.5f * s, 7 * s, 7 * s,
                                  1.4f * s, VIZ_DIM);
        }
    }
}

static void node_caption(const viz_frame *f, fl_node_id id, const viz_view *v,
                         const viz_node_state *ns, char *buf, size_t len)
{
    if (!ns->booted)
        snprintf(buf, len, "not started");
    else if (!ns->alive)
        snprintf(buf, len, "crashed");
    else if (ns->paused)
        snprintf(buf, len, "paused");
    else if (v && v->label)
        snprintf(buf, len, "%s", v->label);
    else if (v && v->kind != FL_VIEW_NONE)
        snprintf(buf, len, "%s", v->kind == FL_VIEW_CLIENT ? "client"
                               : v->kind == FL_VIEW_LEADER ? "leader"
                               : v->kind == FL_VIEW_CANDIDATE ? "candidate"
                               : v->kind == FL_VIEW_FOLLOWER ? "follower" : "other");
    else
        snprintf(buf, len, "%s", viz_model_role(f->m, id));
}

static viz_rgba node_color(const viz_view *v, const viz_node_state *ns)
{
    if (!ns->alive)
        return VIZ_CRASHED;
    viz_rgba c = viz_role_color(v ? v->kind : FL_VIEW_NONE);
    return ns->paused ? viz_mix(c, VIZ_PAUSED, 0.75f) : c;
}

static void draw_body(cluster_ctx *c, fl_node_id id, const viz_view *v,
                      const viz_node_state *ns, float x, float y, float r)
{
    viz_gfx *g = c->g;
    float s = c->l->s;
    viz_rgba col = node_color(v, ns);
    bool prim = viz_model_is_primary(c->f->m, id);
    if (id == c->f->selected) {
        if (prim)
            viz_geom_circle(&g->geom, x, y, r + 12 * s, viz_alpha(VIZ_TEXT, 40));
        else
            viz_geom_round_rect(&g->geom, x - r - 8 * s, y - r - 8 * s,
                                2 * r + 16 * s, 2 * r + 16 * s, 8 * s, viz_alpha(VIZ_TEXT, 40));
    }
    if (prim) {
        viz_geom_circle(&g->geom, x, y, r, col);
        viz_geom_ring(&g->geom, x, y, r - 1.2f * s, 2.4f * s, viz_mix(col, VIZ_BG, 0.45f));
    } else {
        viz_geom_round_rect(&g->geom, x - r, y - r, 2 * r, 2 * r, 6 * s, col);
    }
    if (v && ns->alive && v->kind == FL_VIEW_LEADER && prim) {
        viz_geom_ring(&g->geom, x, y, r + 2.5f * s, 2.2f * s, col);
        if (viz_alg_table(c->f->m)->crown)
            draw_crown(g, x, y + 0.5f, r + 2 * s, VIZ_YELLOW);
    }
    if (v && ns->alive && v->kind == FL_VIEW_CANDIDATE)
        for (int k = 0; k < 12; k++)          /* a dashed ring */
            viz_geom_arc(&g->geom, x, y, r + 1.5f * s, r + 4 * s,
                         (float)k * PI_F / 6, (float)k * PI_F / 6 + PI_F / 10, col);
    if (!ns->alive && ns->booted)
        viz_geom_cross(&g->geom, x, y, r * 0.55f, 3 * s, viz_alpha(VIZ_BAD, 190));
    if (ns->paused) {
        float h = r * 0.5f;
        viz_geom_rect(&g->geom, x + r * 0.45f, y - r - 2 * s, 4 * s, h, VIZ_TEXT);
        viz_geom_rect(&g->geom, x + r * 0.45f + 7 * s, y - r - 2 * s, 4 * s, h, VIZ_TEXT);
    }
}

/* A lease as a bar under the node that shrinks to its end. */
static void draw_lease(cluster_ctx *c, const fl_viz_table *tab, const viz_view *v,
                       const viz_node_state *ns, float x, float y, float r)
{
    int64_t end;
    if (!tab->bar_scalar || !v || !ns->alive || tab->bar_ms <= 0 ||
        !viz_view_scalar(c->f->m, v, tab->bar_scalar, &end) || end < 0)
        return;
    double left = ((double)end * 1e6 - (double)c->f->t) / ((double)tab->bar_ms * 1e6);
    float s = c->l->s, w = 2 * r;
    viz_geom_rect(&c->g->geom, x - r, y, w, 4 * s, viz_alpha(VIZ_TEXT, 40));
    if (left > 0)
        viz_geom_rect(&c->g->geom, x - r, y, w * (float)(left > 1 ? 1 : left), 4 * s,
                      left > 0.25 ? VIZ_OK : VIZ_ORANGE);
    else
        viz_geom_rect(&c->g->geom, x - r, y, w, 4 * s, VIZ_BAD);   /* expired */
}

static void draw_labels(cluster_ctx *c, fl_node_id id, const viz_view *v,
                        const viz_node_state *ns, float x, float y, float r)
{
    viz_gfx *g = c->g;
    float s = c->l->s;
    char name[16], buf[64];
    viz_node_name(c->f->m, id, name, sizeof name);
    viz_rgba ink = ns->alive ? VIZ_RGB(0x101216) : VIZ_DIM;
    bool prim = viz_model_is_primary(c->f->m, id);
    if (r < 17 * s) {                    /* too small for more than the name */
        viz_gfx_text_mid(g, VIZ_FONT_SMALL, name, x, y, ink, VIZ_CENTER);
        return;
    }
    const fl_viz_table *tab = viz_alg_table(c->f->m);
    buf[0] = '\0';
    if (v && ns->alive)
        viz_alg_term(c->f->m, tab, v->term, buf, sizeof buf);
    bool term = buf[0] != '\0';
    viz_gfx_text_mid(g, VIZ_FONT_BOLD, name, x, term ? y - 6 * s : y, ink, VIZ_CENTER);
    if (term)
        viz_gfx_text_mid(g, VIZ_FONT_SMALL, buf, x, y + 8 * s, ink, VIZ_CENTER);
    draw_lease(c, tab, v, ns, x, y + r + 3 * s, r);
    float below = y + r + (prim ? 17 : 7) * s;
    node_caption(c->f, id, v, ns, buf, sizeof buf);
    viz_gfx_text(g, VIZ_FONT_SMALL, buf, x, below, VIZ_DIM, VIZ_CENTER);
    if (v && ns->alive && v->voted_for >= 0 && prim) {
        char who[16];
        viz_node_name(c->f->m, v->voted_for, who, sizeof who);
        snprintf(buf, sizeof buf, "voted %s", who);
        viz_gfx_text(g, VIZ_FONT_SMALL, buf, x, below + 12 * s, VIZ_FAINT, VIZ_CENTER);
    }
}

static void draw_node(cluster_ctx *c, fl_node_id id)
{
    const viz_layout *l = c->l;
    const viz_node_state *ns = &c->f->st->nodes[id];
    const viz_view *v = viz_frame_view(c->f, id);
    float x = l->nx[id], y = l->ny[id], r = l->nr[id];
    if (ns->alive && !ns->paused)
        draw_timer(c, id, x, y, r);
    draw_body(c, id, v, ns, x, y, r);
    if (v && ns->alive && v->kind == FL_VIEW_CANDIDATE)
        draw_votes(c, id, v, r);
    draw_labels(c, id, v, ns, x, y, r);
}

/* ---- Legend --------------------------------------------------------------------------- */

static float legend_item(viz_gfx *g, float x, float y, float s, viz_rgba col,
                         int shape, const char *label)
{
    if (shape == 0)
        viz_geom_circle(&g->geom, x + 5 * s, y, 5 * s, col);
    else if (shape == 1)
        viz_geom_ring(&g->geom, x + 5 * s, y, 4.2f * s, 2 * s, col);
    else if (shape == 2)
        viz_geom_round_rect(&g->geom, x, y - 5 * s, 10 * s, 10 * s, 2 * s, col);
    else if (shape == 4)                 /* an election timer's arc */
        viz_geom_arc(&g->geom, x + 5 * s, y, 3.5f * s, 6 * s, 0, 4.2f, col);
    else if (shape == 5)                 /* a pending vote */
        viz_geom_rect_outline(&g->geom, x + 1.5f * s, y - 3.5f * s, 7 * s, 7 * s, 1.4f * s, col);
    else
        viz_geom_cross(&g->geom, x + 5 * s, y, 4.5f * s, 2.2f * s, col);
    int w = viz_gfx_text_mid(g, VIZ_FONT_SMALL, label, x + 14 * s, y, VIZ_DIM, VIZ_LEFT);
    return x + 14 * s + (float)w + 12 * s;
}

static void draw_legend(cluster_ctx *c)
{
    viz_gfx *g = c->g;
    const viz_layout *l = c->l;
    float s = l->s, x = 12 * s, y = l->timeline.y - 31 * s;
    x = legend_item(g, x, y, s, VIZ_SKY, 0, "follower");
    x = legend_item(g, x, y, s, VIZ_ORANGE, 0, "candidate");
    x = legend_item(g, x, y, s, VIZ_GREEN, 0, "leader");
    x = legend_item(g, x, y, s, VIZ_CRASHED, 0, "crashed");
    x = legend_item(g, x, y, s, VIZ_PAUSED, 0, "paused");
    x = legend_item(g, x, y, s, VIZ_PURPLE, 2, "client");
    if (viz_alg_table(c->f->m)->term_word && x < l->logs.x + l->logs.w - 200 * s) {
        x = legend_item(g, x, y, s, VIZ_TEXT, 4, "election timer");
        x = legend_item(g, x, y, s, VIZ_OK, 0, "vote yes");
        x = legend_item(g, x, y, s, VIZ_BAD, 3, "no");
        (void)legend_item(g, x, y, s, VIZ_DIM, 5, "pending");
    }
    x = 12 * s;
    y += 15 * s;
    size_t nk = viz_model_kind_count(c->f->m);
    for (size_t k = 0; k < nk && x < l->logs.x + l->logs.w - 120 * s; k++) {
        const char *name = viz_model_kind_name(c->f->m, (uint16_t)k);
        if (strstr(name, "Reply") || strstr(name, "Response"))
            continue;                    /* a reply shares its request's colour */
        x = legend_item(g, x, y, s, viz_kind_slot_color(viz_model_kind_slot(c->f->m, (uint16_t)k)), 0, name);
    }
    x = legend_item(g, x, y, s, VIZ_DIM, 1, "reply (+/-)");
    (void)legend_item(g, x, y, s, VIZ_CUT, 3, "dropped");
}

void viz_draw_cluster(viz_gfx *g, const viz_layout *l, const viz_frame *f)
{
    cluster_ctx c = { g, l, f };
    draw_links(&c);
    viz_geom_flush(&g->geom, g->r);
    draw_msgs(&c);
    for (size_t i = 0; i < l->nnodes; i++)
        draw_node(&c, (fl_node_id)i);
    draw_legend(&c);
}
