/* layout.c — geometry for a window size (see layout.h). */
#include "viz/layout.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PANEL_W 350.0f
#define TIMELINE_H 78.0f
#define LEGEND_H 44.0f
#define STATUS_H 24.0f
#define PI_F 3.14159265f

void viz_layout_free(viz_layout *l)
{
    free(l->nx);
    free(l->ny);
    free(l->nr);
    free(l->angle);
    free(l->rows);
    memset(l, 0, sizeof *l);
}

static void place_regions(viz_layout *l)
{
    float s = l->s, W = (float)l->w, H = (float)l->h;
    l->status = (viz_rect){ 0, H - STATUS_H * s, W, STATUS_H * s };
    l->timeline = (viz_rect){ 0, l->status.y - TIMELINE_H * s, W, TIMELINE_H * s };
    float main_h = l->timeline.y, panel_w = PANEL_W * s;
    l->panel = (viz_rect){ W - panel_w, 0, panel_w, main_h };
    float main_w = W - panel_w, avail = main_h - LEGEND_H * s;
    float share = l->wide ? 0.40f : 0.56f;
    float side = avail < main_w * share ? avail : main_w * share;
    l->cluster = (viz_rect){ 0, (avail - side) / 2, side, side };
    l->logs = (viz_rect){ side, 0, main_w - side, avail };
}

/* Other roles go on the outer circle, each at the free midpoint between
 * two servers nearest to an even spread, so they never sit right behind
 * a server (and its captions). */
static float outer_angle(size_t k, size_t other, size_t prim, bool *used)
{
    float even = 2 * PI_F * ((float)k + 0.5f) / (float)other + PI_F;
    if (prim < 2 || other > prim)
        return even;
    size_t best = 0;
    float best_d = 1e9f;
    for (size_t j = 0; j < prim; j++) {
        if (used[j])
            continue;
        float mid = 2 * PI_F * ((float)j + 0.5f) / (float)prim;
        float d = fabsf(remainderf(mid - even, 2 * PI_F));
        if (d < best_d) {
            best_d = d;
            best = j;
        }
    }
    used[best] = true;
    return 2 * PI_F * ((float)best + 0.5f) / (float)prim;
}

static void place_nodes(viz_layout *l, const viz_model *m)
{
    size_t n = l->nnodes, prim = 0, other = 0;
    for (size_t i = 0; i < n; i++)
        viz_model_is_primary(m, (fl_node_id)i) ? prim++ : other++;
    float half = l->cluster.w / 2;
    l->cx = l->cluster.x + half;
    l->cy = l->cluster.y + half;
    float node_r = 28.0f * l->s;
    if (other) {
        l->outer_r = half - node_r * 1.6f;
        l->ring_r = l->outer_r * 0.6f;
    } else {
        l->ring_r = half - node_r * 2.6f;
        l->outer_r = l->ring_r;
    }
    /* keep neighbours on the ring from touching */
    if (prim > 1) {
        float max_r = l->ring_r * sinf(PI_F / (float)prim) * 0.8f;
        if (node_r > max_r)
            node_r = max_r;
    }
    bool used[64] = { false };
    size_t pi = 0, oi = 0;
    for (size_t i = 0; i < n; i++) {
        bool p = viz_model_is_primary(m, (fl_node_id)i);
        float a = p ? 2 * PI_F * (float)pi++ / (float)(prim ? prim : 1)
                    : outer_angle(oi++, other, prim < 64 ? prim : 0, used);
        float r = p ? l->ring_r : l->outer_r;
        l->angle[i] = a;
        l->nx[i] = l->cx + r * sinf(a);
        l->ny[i] = l->cy - r * cosf(a);
        l->nr[i] = p ? node_r : node_r * 0.72f;
        if (p)
            l->rows[l->nrows++] = (fl_node_id)i;
    }
}

int viz_layout_init(viz_layout *l, const viz_model *m, int w, int h)
{
    bool wide = l->wide;
    viz_layout_free(l);
    l->wide = wide;
    l->w = w;
    l->h = h;
    float sx = (float)w / 1280.0f, sy = (float)h / 800.0f;
    l->s = sx < sy ? sx : sy;
    if (l->s < 0.5f)
        l->s = 0.5f;
    l->nnodes = viz_model_node_count(m);
    size_t n = l->nnodes ? l->nnodes : 1;
    l->nx = calloc(n, sizeof *l->nx);
    l->ny = calloc(n, sizeof *l->ny);
    l->nr = calloc(n, sizeof *l->nr);
    l->angle = calloc(n, sizeof *l->angle);
    l->rows = calloc(n, sizeof *l->rows);
    if (!l->nx || !l->ny || !l->nr || !l->angle || !l->rows)
        return -1;
    place_regions(l);
    place_nodes(l, m);
    float avail = l->logs.h - 110.0f * l->s, min_h = 20.0f * l->s;
    l->nservers = l->nrows;
    if (l->nrows && avail / (float)l->nrows < min_h)
        l->nrows = (size_t)(avail / min_h);         /* the rest do not fit */
    l->row_h = l->nrows ? avail / (float)l->nrows : 0;
    if (l->row_h > 78.0f * l->s)
        l->row_h = 78.0f * l->s;
    l->dense = l->nservers > 9;
    return 0;
}

fl_node_id viz_layout_node_at(const viz_layout *l, float x, float y)
{
    for (size_t i = 0; i < l->nnodes; i++) {
        float dx = x - l->nx[i], dy = y - l->ny[i], r = l->nr[i] * 1.15f;
        if (dx * dx + dy * dy <= r * r)
            return (fl_node_id)i;
    }
    return FL_NO_NODE;
}

/* The track inside the timeline area. */
static void track(const viz_layout *l, float *x0, float *x1)
{
    *x0 = l->timeline.x + 78.0f * l->s;
    *x1 = l->timeline.x + l->timeline.w - 16.0f * l->s;
}

fl_time viz_layout_time_at(const viz_layout *l, float x, fl_time end)
{
    float x0, x1;
    track(l, &x0, &x1);
    double f = (x - x0) / (x1 - x0);
    if (f < 0)
        f = 0;
    if (f > 1)
        f = 1;
    return (fl_time)(f * (double)end);
}

float viz_layout_x_of(const viz_layout *l, fl_time t, fl_time end)
{
    float x0, x1;
    track(l, &x0, &x1);
    return end > 0 ? x0 + (x1 - x0) * (float)((double)t / (double)end) : x0;
}

void viz_node_name(const viz_model *m, fl_node_id node, char *buf, size_t len)
{
    if (node < 0) {
        snprintf(buf, len, "-");
        return;
    }
    const char *role = viz_model_role(m, node);
    int c = viz_model_is_primary(m, node) ? 'S'
          : strcmp(role, "client") == 0 ? 'C'
          : role[0] ? toupper((unsigned char)role[0]) : 'N';
    snprintf(buf, len, "%c%d", c, node);
}

void viz_format_time(fl_time t, char *buf, size_t len)
{
    if (t >= FL_SEC(10) || t <= -FL_SEC(10))
        snprintf(buf, len, "%.3f s", (double)t / 1e9);
    else
        snprintf(buf, len, "%.3f ms", (double)t / 1e6);
}
