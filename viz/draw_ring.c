/* draw_ring.c — the Ring pane, in place of the logs for an algorithm on a
 * hash ring (its viz table has an fl_viz_ring; key g switches back to the
 * logs): the joined groups' virtual nodes as dots on the circle in their
 * group's colour; the shards as squares inside it, filled with the colour
 * of the group serving them, each with an arc clockwise to the point that
 * owns it; a hub per group with its leader; and, during a configuration
 * change, an arrow from the group handing shards off to the one waiting
 * for them, while those shards are drawn hollow. Facts from viz/ring.c. */
#include "viz/draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "viz/alg_view.h"
#include "viz/ring.h"

#define PI_F 3.14159265f

typedef struct ring_ctx {
    viz_gfx          *g;
    const viz_layout *l;
    const viz_frame  *f;
    const fl_viz_ring *spec;
    viz_ring          ring;
    viz_ring_geo      geo;
    float             hub_r;
} ring_ctx;

static void hub_xy(const ring_ctx *c, uint32_t group, float *x, float *y)
{
    viz_ring_hub(&c->geo, group, c->ring.ngroups, x, y);
}

/* ---- The circle, the points and the ownership arcs ---------------------------- */

static void draw_points(ring_ctx *c)
{
    const viz_ring *r = &c->ring;
    float s = c->geo.s, dot = (r->vnodes * r->ngroups > 200 ? 2.2f : 4.2f) * s;
    viz_geom_ring(&c->g->geom, c->geo.cx, c->geo.cy, c->geo.r, 1.6f * s, VIZ_BORDER);
    viz_geom_flush(&c->g->geom, c->g->r);
    for (uint32_t g = 0; g < r->ngroups; g++) {
        if (!r->groups[g].joined)
            continue;
        viz_rgba col = viz_group_color(g);
        for (uint32_t v = 0; v < r->vnodes && v < 4096; v++) {
            float x, y;
            viz_ring_xy(&c->geo, c->spec->point(g, v), 1.0f, &x, &y);
            viz_sprite_disc(&c->g->sprites, x, y, dot + 1.2f * s, VIZ_BG);
            viz_sprite_disc(&c->g->sprites, x, y, dot, col);
        }
    }
}

static void draw_arcs(ring_ctx *c)
{
    const viz_ring *r = &c->ring;
    float rr = c->geo.r * 0.93f, w = 2.2f * c->geo.s;
    for (uint32_t sh = 0; sh < r->nshards; sh++) {
        const viz_ring_shard *k = &r->shards[sh];
        if (k->owner < 0)
            continue;
        float a0 = viz_ring_angle(k->pos), a1 = viz_ring_angle(k->owner_pos);
        if (a1 < a0)
            a1 += 2 * PI_F;                      /* clockwise, past 12 o'clock */
        if (a1 - a0 < 0.01f)
            a1 = a0 + 0.01f;
        viz_geom_arc(&c->g->geom, c->geo.cx, c->geo.cy, rr - w / 2, rr + w / 2, a0, a1,
                     viz_alpha(viz_group_color((uint32_t)k->owner), 110));
    }
}

/* ---- Hubs and moves -------------------------------------------------------------- */

static void draw_spokes(ring_ctx *c)
{
    const viz_ring *r = &c->ring;
    float s = c->geo.s;
    for (uint32_t sh = 0; sh < r->nshards; sh++) {
        const viz_ring_shard *k = &r->shards[sh];
        float x, y, hx, hy;
        viz_ring_xy(&c->geo, k->pos, 0.84f, &x, &y);
        if (k->to >= 0) {
            hub_xy(c, (uint32_t)k->to, &hx, &hy);
            viz_geom_dashed(&c->g->geom, x, y, hx, hy, 1.4f * s, 4 * s, 4 * s,
                            viz_alpha(viz_group_color((uint32_t)k->to), 170));
        } else if (k->server >= 0) {
            hub_xy(c, (uint32_t)k->server, &hx, &hy);
            viz_geom_line(&c->g->geom, x, y, hx, hy, 1.0f * s,
                          viz_alpha(viz_group_color((uint32_t)k->server), 60));
        }
    }
}

/* One arrow per (from, to) pair of groups, labelled with its shards. */
static void draw_moves(ring_ctx *c)
{
    const viz_ring *r = &c->ring;
    float s = c->geo.s;
    for (uint32_t from = 0; from < r->ngroups; from++)
        for (uint32_t to = 0; to < r->ngroups; to++) {
            char label[160] = "";
            size_t used = 0;
            for (uint32_t sh = 0; sh < r->nshards && used + 8 < sizeof label; sh++)
                if (r->shards[sh].to == (int32_t)to && r->shards[sh].from == (int32_t)from)
                    used += (size_t)snprintf(label + used, sizeof label - used, "%ss%u",
                                             used ? " " : "", sh);
            if (!used || from == to)
                continue;
            float x0, y0, x1, y1;
            hub_xy(c, from, &x0, &y0);
            hub_xy(c, to, &x1, &y1);
            float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
            if (len < 1)
                continue;
            float ux = dx / len, uy = dy / len, nx = -uy * 5 * s, ny = ux * 5 * s;
            float sx = x0 + ux * c->hub_r + nx, sy = y0 + uy * c->hub_r + ny;
            float ex = x1 - ux * (c->hub_r + 2 * s) + nx, ey = y1 - uy * (c->hub_r + 2 * s) + ny;
            viz_rgba col = viz_group_color(to);
            float head = 9 * s;
            viz_geom_line(&c->g->geom, sx, sy, ex - ux * head, ey - uy * head, 3.2f * s, col);
            viz_geom_triangle(&c->g->geom, ex, ey, ex - ux * head + uy * head * 0.6f,
                              ey - uy * head - ux * head * 0.6f,
                              ex - ux * head - uy * head * 0.6f,
                              ey - uy * head + ux * head * 0.6f, col);
            viz_gfx_text_mid(c->g, VIZ_FONT_SMALL, label, sx + (ex - sx) * 0.6f + nx * 2.2f,
                             sy + (ey - sy) * 0.6f + ny * 2.2f, VIZ_TEXT, VIZ_CENTER);
        }
}

static void draw_crown(viz_gfx *g, float x, float y, float w, viz_rgba col)
{
    float h = w * 0.5f;
    viz_geom_rect(&g->geom, x - w / 2, y - h * 0.3f, w, h * 0.3f, col);
    for (int k = 0; k < 3; k++) {
        float cx = x - w / 2 + w * (float)k / 2, half = w / 5.5f;
        float lx = cx - half < x - w / 2 ? x - w / 2 : cx - half;
        float rx = cx + half > x + w / 2 ? x + w / 2 : cx + half;
        viz_geom_triangle(&g->geom, lx, y - h * 0.25f, rx, y - h * 0.25f, cx, y - h, col);
    }
}

static void draw_hub(ring_ctx *c, uint32_t gi)
{
    const viz_ring_group *gr = &c->ring.groups[gi];
    if (!gr->seen && !gr->joined)
        return;
    float s = c->geo.s, x, y, hr = c->hub_r;
    hub_xy(c, gi, &x, &y);
    viz_rgba col = viz_group_color(gi);
    char buf[64];
    snprintf(buf, sizeof buf, "G%u", gi);
    if (gr->joined) {
        viz_geom_circle(&c->g->geom, x, y, hr, col);
        viz_gfx_text_mid(c->g, VIZ_FONT_BOLD, buf, x, y, VIZ_BG, VIZ_CENTER);
    } else {
        viz_geom_circle(&c->g->geom, x, y, hr, VIZ_BG);
        viz_geom_ring(&c->g->geom, x, y, hr, 2 * s, viz_alpha(col, 140));
        viz_gfx_text_mid(c->g, VIZ_FONT_BOLD, buf, x, y, viz_alpha(col, 180), VIZ_CENTER);
    }
    if (gr->leader != FL_NO_NODE)
        draw_crown(c->g, x, y - hr - 2 * s, hr * 0.9f, VIZ_YELLOW);
    char who[16];
    if (gr->leader != FL_NO_NODE) {
        viz_node_name(c->f->m, gr->leader, who, sizeof who);
        snprintf(buf, sizeof buf, "%s leads", who);
    } else {
        snprintf(buf, sizeof buf, "%s", gr->alive ? "no leader" : "all down");
    }
    viz_gfx_text(c->g, VIZ_FONT_SMALL, buf, x, y + hr + 2 * s,
                 gr->leader != FL_NO_NODE ? VIZ_TEXT : VIZ_BAD, VIZ_CENTER);
    int n = 0;
    for (uint32_t sh = 0; sh < c->ring.nshards; sh++)
        n += (int)(gr->serving >> sh & 1);
    if (gr->joined || n)
        snprintf(buf, sizeof buf, "cfg %lld \xc2\xb7 %d served", (long long)gr->config, n);
    else
        snprintf(buf, sizeof buf, "not joined");
    viz_gfx_text(c->g, VIZ_FONT_SMALL, buf, x, y + hr + 14 * s, VIZ_DIM, VIZ_CENTER);
}

/* ---- Shards ------------------------------------------------------------------------- */

static void draw_shards(ring_ctx *c)
{
    const viz_ring *r = &c->ring;
    float s = c->geo.s, h = (r->nshards > 32 ? 4.5f : 6.5f) * s;
    for (uint32_t sh = 0; sh < r->nshards; sh++) {
        const viz_ring_shard *k = &r->shards[sh];
        float x, y;
        viz_ring_xy(&c->geo, k->pos, 0.84f, &x, &y);
        viz_geom_rect(&c->g->geom, x - h - s, y - h - s, 2 * h + 2 * s, 2 * h + 2 * s, VIZ_BG);
        if (k->to >= 0)
            viz_geom_rect_outline(&c->g->geom, x - h, y - h, 2 * h, 2 * h, 2.2f * s,
                                  viz_group_color((uint32_t)k->to));
        else if (k->server >= 0)
            viz_geom_rect(&c->g->geom, x - h, y - h, 2 * h, 2 * h,
                          viz_group_color((uint32_t)k->server));
        else
            viz_geom_rect_outline(&c->g->geom, x - h, y - h, 2 * h, 2 * h, 1.5f * s, VIZ_GREY);
        if (r->nshards <= 32) {
            char num[8];
            float lx, ly;
            viz_ring_xy(&c->geo, k->pos, 0.75f, &lx, &ly);
            snprintf(num, sizeof num, "%u", sh);
            viz_gfx_text_mid(c->g, VIZ_FONT_SMALL, num, lx, ly, VIZ_DIM, VIZ_CENTER);
        }
    }
}

/* ---- Title, centre and key ---------------------------------------------------------- */

static void draw_texts(ring_ctx *c)
{
    const viz_ring *r = &c->ring;
    const viz_layout *l = c->l;
    float s = l->s, x = l->logs.x + 10 * s, y = l->logs.y + 12 * s;
    viz_gfx_text(c->g, VIZ_FONT_TITLE, "Ring", x, y, VIZ_TEXT, VIZ_LEFT);
    char buf[200];
    int joined = 0;
    for (uint32_t g = 0; g < r->ngroups; g++)
        joined += r->groups[g].joined;
    if (r->moving)
        snprintf(buf, sizeof buf, "configuration %lld \xc2\xb7 %d groups \xc2\xb7 %u shard%s moving",
                 (long long)r->config, joined, r->moving, r->moving == 1 ? "" : "s");
    else
        snprintf(buf, sizeof buf, "configuration %lld \xc2\xb7 %d groups \xc2\xb7 settled",
                 (long long)r->config, joined);
    viz_gfx_text_fit(c->g, VIZ_FONT_NORMAL, buf, x + 48 * s, y + 2 * s, l->logs.w - 68 * s,
                     r->moving ? VIZ_YELLOW : VIZ_DIM);
    char who[16] = "nobody";
    if (r->config_leader != FL_NO_NODE)
        viz_node_name(c->f->m, r->config_leader, who, sizeof who);
    snprintf(buf, sizeof buf, "%u shards \xc2\xb7 %u points per group \xc2\xb7 configuration "
             "service: %s leads", r->nshards, r->vnodes, who);
    viz_gfx_text_fit(c->g, VIZ_FONT_SMALL, buf, x, y + 24 * s, l->logs.w - 20 * s,
                     r->config_leader != FL_NO_NODE ? VIZ_DIM : VIZ_BAD);
    static const char *const key[] = {
        "dot = virtual node, in its group's colour \xc2\xb7 square = shard, filled: the "
        "group serving it \xc2\xb7 arc: clockwise to the point that owns it",
        "hollow square + arrow: a shard moving to a group that waits for its hand-off "
        "\xc2\xb7 crown: the group's leader \xc2\xb7 g: logs",
    };
    float ky = l->logs.y + l->logs.h - 58 * s;
    for (int i = 0; i < 2; i++)
        ky += 14 * s * (float)viz_gfx_text_wrap(c->g, VIZ_FONT_SMALL, key[i], x, ky,
                                                l->logs.w - 20 * s, 14 * s, VIZ_FAINT);
}

void viz_draw_ring(viz_gfx *g, const viz_layout *l, const viz_frame *f)
{
    ring_ctx c = { .g = g, .l = l, .f = f, .spec = viz_alg_table(f->m)->ring };
    viz_ring_build(f->m, f->st, c.spec, &c.ring);
    c.geo = viz_ring_place(&l->logs, l->s);
    if (!c.ring.ok) {
        viz_gfx_text(g, VIZ_FONT_TITLE, "Ring", l->logs.x + 10 * l->s, l->logs.y + 12 * l->s,
                     VIZ_TEXT, VIZ_LEFT);
        viz_gfx_text(g, VIZ_FONT_NORMAL, "no view has said the ring's shape yet",
                     l->logs.x + 10 * l->s, l->logs.y + 42 * l->s, VIZ_DIM, VIZ_LEFT);
        return;
    }
    c.hub_r = viz_ring_hub_r(&c.geo, c.ring.ngroups);
    draw_arcs(&c);
    draw_points(&c);
    draw_spokes(&c);
    draw_moves(&c);
    draw_shards(&c);
    for (uint32_t gi = 0; gi < c.ring.ngroups; gi++)
        draw_hub(&c, gi);
    draw_texts(&c);
}
