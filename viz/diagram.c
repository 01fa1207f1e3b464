/* diagram.c — the space-time diagram as a list of shapes (see diagram.h). */
#include "viz/diagram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/vec.h"

#define LABEL_W 46.0f
#define AXIS_H 30.0f
#define LEGEND_H 50.0f
#define DEFAULT_MAX_MSGS 6000

void viz_diagram_init(viz_diagram *d)
{
    memset(d, 0, sizeof *d);
}

void viz_diagram_free(viz_diagram *d)
{
    free(d->items);
    free(d->str);
    memset(d, 0, sizeof *d);
}

const char *viz_diagram_str(const viz_diagram *d, uint32_t off)
{
    return off == VIZ_NONE || off >= d->nstr ? NULL : d->str + off;
}

/* ---- Geometry ------------------------------------------------------------------ */

static float track_x0(const viz_dg_in *in) { return in->r.x + LABEL_W * in->s; }
static float track_x1(const viz_dg_in *in) { return in->r.x + in->r.w - 10 * in->s; }

float viz_diagram_x_of(const viz_dg_in *in, fl_time t)
{
    double span = (double)(in->to - in->from);
    double f = span > 0 ? (double)(t - in->from) / span : 0;
    return track_x0(in) + (float)f * (track_x1(in) - track_x0(in));
}

fl_time viz_diagram_time_at(const viz_dg_in *in, float x)
{
    double f = (x - track_x0(in)) / (track_x1(in) - track_x0(in));
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return in->from + (fl_time)(f * (double)(in->to - in->from));
}

typedef struct dg_ctx {
    viz_diagram     *d;
    const viz_model *m;
    const viz_dg_in *in;
    size_t           n;
    float            top, row_h;
    bool             oom;
    size_t           max_msgs;
    bool             seen_kind[256];
} dg_ctx;

static float row_y(const dg_ctx *c, fl_node_id node)
{
    return c->top + ((float)node + 0.5f) * c->row_h;
}

static viz_dg_item *item(dg_ctx *c, viz_dg_kind kind, float x0, float y0, float x1,
                         float y1, viz_rgba col)
{
    viz_diagram *d = c->d;
    if (fl_vec_grow(&d->items, &d->cap, d->n + 1, sizeof *d->items, 16) < 0) {
        c->oom = true;
        return NULL;
    }
    viz_dg_item *it = &d->items[d->n++];
    *it = (viz_dg_item){ .kind = (uint8_t)kind, .width = 1.3f * c->in->s, .x0 = x0,
                         .y0 = y0, .x1 = x1, .y1 = y1, .c = col, .text = VIZ_NONE };
    return it;
}

static void text(dg_ctx *c, float x, float y, const char *s, viz_rgba col, bool small,
                 bool right)
{
    viz_diagram *d = c->d;
    size_t len = strlen(s) + 1;
    if (fl_vec_grow(&d->str, &d->str_cap, d->nstr + len, 1, 16) < 0) {
        c->oom = true;
        return;
    }
    memcpy(d->str + d->nstr, s, len);
    viz_dg_item *it = item(c, VIZ_DG_TEXT, x, y, right ? -1 : 0, 0, col);
    if (it) {
        it->text = (uint32_t)d->nstr;
        it->small = small;
    }
    d->nstr += len;
}

/* ---- Axis, rows, bands --------------------------------------------------------- */

/* 1, 2 or 5 times a power of ten (from 1 us), at most 8 ticks. */
static fl_time tick_step(fl_time span)
{
    for (fl_time base = 1000;; base *= 10)
        for (int i = 0; i < 3; i++) {
            fl_time step = base * (i == 0 ? 1 : i == 1 ? 2 : 5);
            if (span / step <= 8)
                return step;
        }
}

static void axis(dg_ctx *c)
{
    const viz_dg_in *in = c->in;
    float s = in->s, y = in->r.y + AXIS_H * s - 6 * s;
    fl_time step = tick_step(in->to - in->from);
    fl_time t0 = (in->from + step - 1) / step * step;
    for (fl_time t = t0; t <= in->to; t += step) {
        float x = viz_diagram_x_of(in, t);
        char buf[32];
        if (step >= FL_SEC(1))
            snprintf(buf, sizeof buf, "%.0f s", (double)t / 1e9);
        else if (step >= FL_MS(1))
            snprintf(buf, sizeof buf, "%.0f ms", (double)t / 1e6);
        else
            snprintf(buf, sizeof buf, "%.3f ms", (double)t / 1e6);
        item(c, VIZ_DG_LINE, x, y, x, c->top + c->row_h * (float)c->n, viz_alpha(VIZ_LINK, 160));
        if (x < track_x1(in) - 40 * s)
            text(c, x + 2 * s, y - 14 * s, buf, VIZ_DIM, true, false);
    }
}

static void rows(dg_ctx *c)
{
    const viz_dg_in *in = c->in;
    float x0 = track_x0(in), x1 = track_x1(in), s = in->s;
    for (size_t i = 0; i < c->n; i++) {
        float y = row_y(c, (fl_node_id)i);
        if ((fl_node_id)i == in->selected)
            item(c, VIZ_DG_RECT, in->r.x, y - c->row_h / 2, in->r.x + in->r.w,
                 y + c->row_h / 2, VIZ_PANEL_HI);
        item(c, VIZ_DG_LINE, x0, y, x1, y, VIZ_FAINT);
        char name[16];
        viz_node_name(c->m, (fl_node_id)i, name, sizeof name);
        text(c, x0 - 6 * s, y - 7 * s, name, viz_model_is_primary(c->m, (fl_node_id)i)
             ? VIZ_TEXT : VIZ_DIM, false, true);
    }
}

static void node_band(dg_ctx *c, fl_node_id node, fl_time a, fl_time b, viz_rgba col,
                      const char *label)
{
    if (b < a || node < 0 || (size_t)node >= c->n)
        return;
    float y = row_y(c, node), h = c->row_h * 0.28f;
    float xa = viz_diagram_x_of(c->in, a), xb = viz_diagram_x_of(c->in, b);
    item(c, VIZ_DG_RECT, xa, y - h, xb > xa + 2 ? xb : xa + 2, y + h, col);
    if (xb - xa > 60 * c->in->s)
        text(c, xa + 4 * c->in->s, y - 6 * c->in->s, label, VIZ_TEXT, true, false);
}

static void partition_band(dg_ctx *c, fl_time a, fl_time b, const char *label)
{
    float xa = viz_diagram_x_of(c->in, a), xb = viz_diagram_x_of(c->in, b);
    item(c, VIZ_DG_RECT, xa, c->top, xb > xa + 2 ? xb : xa + 2,
         c->top + c->row_h * (float)c->n, viz_alpha(VIZ_PURPLE, 40));
    item(c, VIZ_DG_LINE, xa, c->top, xa, c->top + c->row_h * (float)c->n, VIZ_PURPLE);
    if (label && xb - xa > 80 * c->in->s)
        text(c, xa + 4 * c->in->s, c->top - 13 * c->in->s, label, VIZ_PURPLE, true, false);
}

/* "{0,1} | {2,3,4}" from a partition event's groups. */
static void groups_label(const viz_model *m, size_t mark, char *buf, size_t len)
{
    const viz_event *ev = viz_model_event(m, viz_model_mark(m, mark)->ev);
    const int32_t *g = ev ? viz_model_partition(m, ev) : NULL;
    size_t n = viz_model_node_count(m), used = 0;
    snprintf(buf, len, "partition");
    if (!g)
        return;
    used = strlen(buf);
    for (int32_t k = 0; k < (int32_t)n && used + 8 < len; k++) {
        bool any = false;
        for (size_t i = 0; i < n && used + 8 < len; i++) {
            if (g[i] != k)
                continue;
            used += (size_t)snprintf(buf + used, len - used, "%s%zu",
                                     any ? "," : (k ? " | " : " "), i);
            any = true;
        }
    }
}

/* Crashes and pauses per node, partitions across: the state at `from`,
 * then the fault marks inside the window. */
static int bands(dg_ctx *c)
{
    const viz_model *m = c->m;
    const viz_dg_in *in = c->in;
    viz_state *st = viz_state_new(m);
    fl_time *down = malloc((c->n ? c->n : 1) * 2 * sizeof *down);
    if (!st || !down) {
        viz_state_free(st);
        free(down);
        return -1;
    }
    fl_time *paused = down + c->n;
    viz_model_state_at(m, viz_model_events_until(m, in->from), st);
    bool split = false;
    for (size_t i = 0; i < c->n; i++) {
        down[i] = st->nodes[i].booted && !st->nodes[i].alive ? in->from : -1;
        paused[i] = st->nodes[i].paused ? in->from : -1;
        for (size_t j = 0; j < c->n; j++)
            split |= (st->links[i * c->n + j] & VIZ_LINK_SPLIT) != 0;
    }
    fl_time part = split ? in->from : -1;
    char label[160] = "partition";
    fl_time end = viz_model_last_time(m) < in->to ? viz_model_last_time(m) : in->to;
    for (size_t k = viz_model_marks_from(m, in->from); k < viz_model_mark_count(m); k++) {
        const viz_mark *mk = viz_model_mark(m, k);
        if (mk->t > in->to)
            break;
        fl_node_id n = mk->node;
        bool ok = n >= 0 && (size_t)n < c->n;
        if (mk->kind == VIZ_MARK_VIOLATION) {
            float x = viz_diagram_x_of(in, mk->t);
            item(c, VIZ_DG_LINE, x, c->top, x, c->top + c->row_h * (float)c->n, VIZ_BAD);
            text(c, x + 3 * in->s, c->top - 13 * in->s, "violation", VIZ_BAD, true, false);
            continue;
        }
        if (mk->kind != VIZ_MARK_FAULT)
            continue;
        switch (mk->type) {
        case FL_TR_CRASH:
            if (ok && down[n] < 0)
                down[n] = mk->t;
            break;
        case FL_TR_RESTART:
            if (ok && down[n] >= 0)
                node_band(c, n, down[n], mk->t, VIZ_CRASHED, "crashed");
            if (ok)
                down[n] = -1;
            break;
        case FL_TR_PAUSE:
            if (ok && paused[n] < 0)
                paused[n] = mk->t;
            break;
        case FL_TR_RESUME:
            if (ok && paused[n] >= 0)
                node_band(c, n, paused[n], mk->t, viz_alpha(VIZ_YELLOW, 110), "paused");
            if (ok)
                paused[n] = -1;
            break;
        case FL_TR_PARTITION:
            if (part >= 0)
                partition_band(c, part, mk->t, label);
            part = mk->t;
            groups_label(m, k, label, sizeof label);
            break;
        case FL_TR_HEAL:
            if (part >= 0)
                partition_band(c, part, mk->t, label);
            part = -1;
            snprintf(label, sizeof label, "partition");
            break;
        default:
            break;
        }
    }
    for (size_t i = 0; i < c->n; i++) {
        if (down[i] >= 0)
            node_band(c, (fl_node_id)i, down[i], end, VIZ_CRASHED, "crashed");
        if (paused[i] >= 0)
            node_band(c, (fl_node_id)i, paused[i], end, viz_alpha(VIZ_YELLOW, 110), "paused");
    }
    if (part >= 0)
        partition_band(c, part, end, label);
    viz_state_free(st);
    free(down);
    return 0;
}

/* ---- Messages ------------------------------------------------------------------ */

static float death_fraction(const viz_msg *g)
{
    switch ((viz_drop_reason)g->why) {
    case VIZ_DROP_LOSS:           return 0.35f;
    case VIZ_DROP_SENDER_CRASHED: return 0.1f;
    case VIZ_DROP_NODE_DOWN:      return 0.9f;
    default:                      return 0.5f;
    }
}

/* Cuts the segment to the track's time range, so that a message running
 * far outside the window costs what its visible part costs. false if
 * nothing of it is inside; *end_cut says the arrow head is off the track. */
static bool clip_to_track(const viz_dg_in *in, float *x0, float *y0, float *x1,
                          float *y1, bool *end_cut)
{
    float lo = track_x0(in), hi = track_x1(in);
    *end_cut = false;
    if (*x1 < *x0 || *x1 < lo || *x0 > hi)
        return *x0 >= lo && *x0 <= hi;
    float dx = *x1 - *x0;
    if (*x0 < lo && dx > 0) {
        *y0 += (*y1 - *y0) * (lo - *x0) / dx;
        *x0 = lo;
    }
    dx = *x1 - *x0;
    if (*x1 > hi && dx > 0) {
        *y1 = *y0 + (*y1 - *y0) * (hi - *x0) / dx;
        *x1 = hi;
        *end_cut = true;
    }
    return true;
}

static bool one_msg(void *arg, uint32_t k, const viz_msg *g)
{
    dg_ctx *c = arg;
    const viz_dg_in *in = c->in;
    if (c->d->msgs >= c->max_msgs) {
        c->d->capped = true;
        return false;
    }
    if (g->from < 0 || g->to < 0 || (size_t)g->from >= c->n || (size_t)g->to >= c->n ||
        g->from == g->to)
        return true;
    float s = in->s;
    float x0 = viz_diagram_x_of(in, g->t0), y0 = row_y(c, g->from), y1 = row_y(c, g->to);
    bool marked = in->chain && k < in->chain_len && in->chain[k];
    bool strong = k == in->current_msg || marked;
    viz_rgba col = viz_kind_slot_color(viz_model_kind_slot(c->m, g->kind));
    if ((in->chain && !marked) || g->ev0 >= in->idx)
        col = viz_alpha(col, 70);           /* not in the chain, or after now */
    if (g->kind < 256)
        c->seen_kind[g->kind] = true;
    viz_dg_item *it;
    float xe = x0, ye = y0;
    bool cut = false;
    if (g->end == VIZ_MSG_DELIVERED) {
        float x1 = viz_diagram_x_of(in, g->t1);
        it = NULL;
        if (clip_to_track(in, &x0, &y0, &x1, &y1, &cut))
            it = item(c, cut ? VIZ_DG_LINE : VIZ_DG_ARROW, x0, y0, x1, y1, col);
    } else if (g->end == VIZ_MSG_DROPPED) {
        xe = viz_diagram_x_of(in, g->t1);
        if (xe < x0 + 16 * s)
            xe = x0 + 16 * s;
        ye = y0 + (y1 - y0) * death_fraction(g);
        float xa = x0, ya = y0, xb = xe, yb = ye;
        it = NULL;
        if (clip_to_track(in, &xa, &ya, &xb, &yb, &cut))
            it = item(c, VIZ_DG_LINE, xa, ya, xb, yb, col);
    } else {
        float x1 = track_x1(in), ym = y0 + (y1 - y0) * 0.5f;
        it = NULL;
        if (clip_to_track(in, &x0, &y0, &x1, &ym, &cut))
            it = item(c, VIZ_DG_LINE, x0, y0, x1, ym, col);
        if (it)
            it->dashed = 1;
    }
    if (it) {                                /* before any other item moves it */
        it->dashed |= g->reply;
        it->width = (strong ? 3.2f : 1.4f) * s;
    }
    if (g->end == VIZ_MSG_DROPPED && !cut && it)
        item(c, VIZ_DG_CROSS, xe, ye, xe, ye, VIZ_CUT);
    c->d->msgs++;
    return true;
}

static void legend(dg_ctx *c)
{
    const viz_dg_in *in = c->in;
    float s = in->s, x = in->r.x + 8 * s, y = in->r.y + in->r.h - LEGEND_H * s + 6 * s;
    float xmax = in->r.x + in->r.w - 10 * s;
    size_t nk = viz_model_kind_count(c->m);
    for (size_t k = 0; k < nk && k < 256; k++) {
        const char *name = viz_model_kind_name(c->m, (uint16_t)k);
        if (!c->seen_kind[k])
            continue;
        float w = (float)(strlen(name) * 7 + 28) * s;
        if (x + w > xmax) {
            x = in->r.x + 8 * s;
            y += 14 * s;
            if (y > in->r.y + in->r.h - 8 * s)
                break;
        }
        viz_rgba col = viz_kind_slot_color(viz_model_kind_slot(c->m, (uint16_t)k));
        item(c, VIZ_DG_ARROW, x, y + 5 * s, x + 14 * s, y + 5 * s, col);
        text(c, x + 17 * s, y - 2 * s, name, VIZ_TEXT, true, false);
        x += w;
    }
    static const char *const keys[] = { "reply: dashed", "x dropped", "grey: crashed",
                                        "yellow: paused", "purple: partition" };
    x = in->r.x + 8 * s;
    y += 16 * s;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        text(c, x, y, keys[i], VIZ_DIM, true, false);
        x += (float)(strlen(keys[i]) * 6 + 14) * s;
    }
}

int viz_diagram_build(viz_diagram *d, const viz_model *m, const viz_dg_in *in)
{
    d->n = d->nstr = d->msgs = 0;
    d->capped = false;
    dg_ctx c = { .d = d, .m = m, .in = in, .n = viz_model_node_count(m),
                 .max_msgs = in->max_msgs ? in->max_msgs : DEFAULT_MAX_MSGS };
    float s = in->s;
    c.top = in->r.y + AXIS_H * s + 14 * s;
    float avail = in->r.h - (AXIS_H + 14 + LEGEND_H) * s;
    c.row_h = c.n ? avail / (float)c.n : avail;
    if (c.row_h > 46 * s)
        c.row_h = 46 * s;
    if (in->to <= in->from)
        return 0;
    rows(&c);
    axis(&c);
    if (bands(&c) < 0)
        return -1;
    viz_model_msgs_between(m, in->from, in->to, one_msg, &c);
    if (in->now >= in->from && in->now <= in->to) {
        float x = viz_diagram_x_of(in, in->now);
        viz_dg_item *now = item(&c, VIZ_DG_LINE, x, c.top - 6 * s, x,
                                c.top + c.row_h * (float)c.n, VIZ_YELLOW);
        if (now)
            now->width = 2.5f * s;
    }
    if (d->capped)
        text(&c, track_x1(in), in->r.y + 4 * s, "zoom in: not every message is drawn",
             VIZ_ORANGE, true, true);
    legend(&c);
    return c.oom ? -1 : 0;
}
