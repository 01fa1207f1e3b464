/* draw_logs.c — one row per server: its log as boxes coloured and
 * labelled by term (committed filled, uncommitted outlined, durable
 * underlined), the commit index as a bar, and under each follower the
 * leader's matchIndex (triangle) and nextIndex (tick) for it. Columns are
 * log indices shared by all rows, so the logs line up. */
#include "viz/draw.h"

#include "viz/alg_view.h"

#include <stdint.h>
#include <stdio.h>

typedef struct logs_geo {
    float   x0, bw, gap, bh;       /* first box, box width, gap, box height */
    int64_t base;                  /* index of the first column */
    int     ncols;
    bool    newest;                /* the newest entries are in view */
} logs_geo;

static const viz_view *row_view(const viz_frame *f, fl_node_id id)
{
    const viz_node_state *ns = &f->st->nodes[id];
    uint32_t v = ns->alive ? ns->view : ns->live_view;
    return v == VIZ_NONE ? NULL : viz_model_view(f->m, v);
}

static logs_geo plan(const viz_layout *l, const viz_frame *f)
{
    float s = l->s;
    logs_geo g;
    g.x0 = l->logs.x + 96 * s;
    g.gap = 3 * s;
    g.bw = 24 * s;
    g.bh = l->row_h * 0.5f < 26 * s ? l->row_h * 0.5f : 26 * s;
    float avail = l->logs.x + l->logs.w - 14 * s - g.x0;
    g.ncols = (int)(avail / (g.bw + g.gap));
    if (g.ncols < 4)
        g.ncols = 4;
    int64_t maxlast = 0;
    for (size_t r = 0; r < l->nrows; r++) {
        const viz_view *v = row_view(f, l->rows[r]);
        if (v && v->log_last > maxlast)
            maxlast = v->log_last;
    }
    g.base = maxlast - g.ncols + 2 - f->logs_back;    /* scrolled back from the newest */
    if (g.base < 1)
        g.base = 1;
    g.newest = g.base + g.ncols > maxlast + 1;
    return g;
}

static float col_x(const logs_geo *g, int64_t index)
{
    return g->x0 + (float)(index - g->base) * (g->bw + g->gap);
}

static int64_t durable_of(const viz_frame *f, fl_node_id id, const viz_view *v)
{
    int64_t d = viz_model_durable(f->m, id, f->t);
    if (d >= 0)
        return d;
    return v && viz_view_scalar(f->m, v, "durable", &d) ? d : -1;
}

static void draw_box(viz_gfx *g, const logs_geo *geo, float x, float y,
                     viz_entry e, bool committed, bool durable, uint8_t alpha, float s,
                     int64_t ballot_base)
{
    viz_rgba col = viz_alpha(viz_term_color(e.known ? e.term : -1), alpha);
    char buf[24];
    if (committed) {
        viz_geom_round_rect(&g->geom, x, y, geo->bw, geo->bh, 3 * s, col);
    } else {
        viz_geom_round_rect(&g->geom, x, y, geo->bw, geo->bh, 3 * s, viz_alpha(col, 60));
        viz_geom_rect_outline(&g->geom, x + 0.5f, y + 0.5f, geo->bw - 1, geo->bh - 1,
                              2 * s, col);
    }
    if (durable)
        viz_geom_rect(&g->geom, x + 2 * s, y + geo->bh + 2 * s, geo->bw - 4 * s,
                      2 * s, viz_alpha(VIZ_DIM, alpha));
    if (!e.known || geo->bh < 13 * s)
        return;                          /* no term recorded, or no room */
    if (ballot_base > 0)                 /* a ballot: round.proposer fits a box */
        snprintf(buf, sizeof buf, "%lld.%lld", (long long)(e.term / ballot_base),
                 (long long)(e.term % ballot_base));
    else
        snprintf(buf, sizeof buf, "%lld", (long long)e.term);
    viz_rgba ink = committed ? viz_alpha(VIZ_RGB(0x0e1014), alpha) : viz_alpha(VIZ_TEXT, alpha);
    viz_font font = strlen(buf) >= 3 ? VIZ_FONT_SMALL : VIZ_FONT_NORMAL;
    viz_gfx_text_mid(g, font, buf, x + geo->bw / 2, y + geo->bh / 2, ink, VIZ_CENTER);
}

static void draw_row_label(viz_gfx *g, const viz_layout *l, const viz_frame *f,
                           fl_node_id id, const viz_view *v, float y, float bh)
{
    float s = l->s, x = l->logs.x + 10 * s;
    const viz_node_state *ns = &f->st->nodes[id];
    viz_rgba col = ns->alive ? viz_role_color(v ? v->kind : FL_VIEW_NONE) : VIZ_CRASHED;
    char name[16], buf[64];
    viz_node_name(f->m, id, name, sizeof name);
    if (id == f->selected)
        viz_geom_round_rect(&g->geom, l->logs.x + 4 * s, y - 5 * s, l->logs.w - 8 * s,
                            l->row_h - 2 * s, 5 * s, VIZ_PANEL_HI);
    viz_geom_circle(&g->geom, x + 5 * s, y + bh / 2, 5 * s, col);
    viz_gfx_text_mid(g, VIZ_FONT_BOLD, name, x + 15 * s, y + bh / 2 - 1 * s,
                     ns->alive ? VIZ_TEXT : VIZ_DIM, VIZ_LEFT);
    if (l->row_h < 40 * s)
        return;                          /* compact rows: no second line */
    if (v && v->log_last >= 0)
        snprintf(buf, sizeof buf, "c%lld / %lld", (long long)(v->commit > 0 ? v->commit : 0),
                 (long long)v->log_last);
    else
        snprintf(buf, sizeof buf, "empty");
    viz_gfx_text(g, VIZ_FONT_SMALL, buf, x, y + bh + 4 * s, VIZ_FAINT, VIZ_LEFT);
}

/* The leader's matchIndex (triangle) and nextIndex (tick) for `id`. */
static void draw_progress(viz_gfx *g, const viz_frame *f, const logs_geo *geo,
                          fl_node_id id, fl_node_id leader, float y, float s)
{
    const viz_view *lv = viz_frame_view(f, leader);
    if (!lv || id == leader)
        return;
    const int64_t *match = viz_model_ints(f->m, lv->match);
    const int64_t *next = viz_model_ints(f->m, lv->next);
    float top = y + geo->bh + 6 * s;
    if (match && match[id] >= geo->base && match[id] < geo->base + geo->ncols) {
        float x = col_x(geo, match[id]) + geo->bw / 2;
        viz_geom_triangle(&g->geom, x, top, x - 5 * s, top + 7 * s, x + 5 * s, top + 7 * s,
                          VIZ_GREEN);
    }
    if (next && next[id] >= geo->base && next[id] < geo->base + geo->ncols) {
        float x = col_x(geo, next[id]) - geo->gap / 2;
        viz_geom_rect(&g->geom, x - 1 * s, top - 1 * s, 2.4f * s, 9 * s, VIZ_TEXT);
        viz_gfx_text(g, VIZ_FONT_SMALL, "n", x + 3 * s, top - 2 * s, VIZ_DIM, VIZ_LEFT);
    }
}

static void draw_row(viz_gfx *g, const viz_layout *l, const viz_frame *f,
                     const logs_geo *geo, size_t r, fl_node_id leader)
{
    float s = l->s, y = l->logs.y + 52 * s + (float)r * l->row_h;
    fl_node_id id = l->rows[r];
    const viz_view *v = row_view(f, id);
    const viz_node_state *ns = &f->st->nodes[id];
    uint8_t alpha = ns->alive ? 255 : 110;
    draw_row_label(g, l, f, id, v, y, geo->bh);
    int64_t durable = durable_of(f, id, v);
    for (int c = 0; c < geo->ncols; c++) {
        int64_t index = geo->base + c;
        float x = col_x(geo, index);
        bool held = v && v->log_last >= index && index >= (v->log_first > 0 ? v->log_first : 1);
        if (!held) {
            viz_geom_rect_outline(&g->geom, x, y, geo->bw, geo->bh, 1, VIZ_PANEL_HI);
            continue;
        }
        viz_entry e = viz_model_entry(f->m, id, f->t, index);
        draw_box(g, geo, x, y, e, index <= v->commit, index <= durable, alpha, s,
                 viz_alg_table(f->m)->ballot_base);
    }
    if (v && v->commit >= geo->base && v->commit < geo->base + geo->ncols) {
        float x = col_x(geo, v->commit) + geo->bw + geo->gap / 2;
        viz_geom_rect(&g->geom, x - 1.2f * s, y - 5 * s, 2.4f * s, geo->bh + 10 * s,
                      viz_alpha(VIZ_YELLOW, alpha));
    }
    if (leader != FL_NO_NODE && ns->alive)
        draw_progress(g, f, geo, id, leader, y, s);
}

static void draw_header(viz_gfx *g, const viz_layout *l, const logs_geo *geo)
{
    float s = l->s, y = l->logs.y + 12 * s;
    viz_gfx_text(g, VIZ_FONT_TITLE, "Logs", l->logs.x + 10 * s, y, VIZ_TEXT, VIZ_LEFT);
    viz_gfx_text(g, VIZ_FONT_SMALL, geo->newest ? "PgUp / wheel: older entries"
                                                : "scrolled back \xc2\xb7 PgDn / wheel: newer",
                 l->logs.x + l->logs.w - 10 * s, y + 4 * s, geo->newest ? VIZ_FAINT : VIZ_YELLOW,
                 VIZ_RIGHT);
    viz_gfx_text(g, VIZ_FONT_SMALL, "index", geo->x0 - 8 * s, l->logs.y + 34 * s, VIZ_FAINT,
                 VIZ_RIGHT);
    char buf[32];
    for (int c = 0; c < geo->ncols; c += 5) {
        snprintf(buf, sizeof buf, "%lld", (long long)(geo->base + c));
        viz_gfx_text(g, VIZ_FONT_SMALL, buf, col_x(geo, geo->base + c) + geo->bw / 2,
                     l->logs.y + 34 * s, VIZ_FAINT, VIZ_CENTER);
    }
}

/* What the boxes mean, under the rows. */
static void draw_key(viz_gfx *g, const viz_layout *l, const viz_frame *f)
{
    float s = l->s, x = l->logs.x + 10 * s;
    float y = l->logs.y + 52 * s + (float)l->nrows * l->row_h + 6 * s;
    static const char *const exact[] = {
        "box = log entry, number = the term that wrote it",
        "filled = committed, outlined = not committed yet, grey bar under = durable",
        "yellow bar = commit index; under a follower: \xe2\x96\xb2 the leader's matchIndex, | n its nextIndex",
    };
    static const char *const inferred[] = {
        "box = log entry, number = its term (inferred: a trace records views, not entries)",
        "filled = committed, outlined = not committed yet, grey bar under = durable",
        "yellow bar = commit index; under a follower: \xe2\x96\xb2 the leader's matchIndex, | n its nextIndex",
    };
    const char *const *lines = viz_model_exact_entries(f->m) ? exact : inferred;
    if (l->nrows < l->nservers) {
        char more[96];
        snprintf(more, sizeof more, "\xe2\x80\xa6 and %zu more servers (no room for their rows)",
                 l->nservers - l->nrows);
        viz_gfx_text(g, VIZ_FONT_SMALL, more, x, y, VIZ_DIM, VIZ_LEFT);
        y += 14 * s;
    }
    for (int i = 0; i < 3; i++)
        y += 14 * s * (float)viz_gfx_text_wrap(g, VIZ_FONT_SMALL, lines[i], x, y,
                                               l->logs.w - 20 * s, 14 * s, VIZ_FAINT);
}

/* ---- Vectors (a CRDT's per-replica counts) ------------------------------------ */

/* The vector `which` (0 match, 1 next) of node id's view, or NULL. */
static const int64_t *vector_of(const viz_frame *f, fl_node_id id, int which)
{
    const viz_view *v = row_view(f, id);
    if (!v || v->kind == FL_VIEW_LEADER || v->kind == FL_VIEW_CANDIDATE)
        return NULL;
    return viz_model_ints(f->m, which ? v->next : v->match);
}

/* Column `col` of vector `which` across the replicas: the highest count,
 * and whether every replica holding the vector has that count. */
static int64_t vector_column(const viz_frame *f, int which, size_t col, bool *agree)
{
    int64_t hi = -1, lo = INT64_MAX;
    for (size_t i = 0; i < f->st->nnodes; i++) {
        const int64_t *vec = viz_model_is_primary(f->m, (fl_node_id)i)
                           ? vector_of(f, (fl_node_id)i, which) : NULL;
        if (!vec)
            continue;
        int64_t c = vec[col] < 0 ? 0 : vec[col];
        hi = c > hi ? c : hi;
        lo = c < lo ? c : lo;
    }
    *agree = hi == lo;
    return hi;
}

/* One line of cells: this replica's count for each replica, orange where
 * it is behind another replica, green where all replicas agree. */
static void draw_vector(viz_gfx *g, const viz_layout *l, const viz_frame *f,
                        fl_node_id id, int which, const char *word, float y)
{
    const int64_t *vec = vector_of(f, id, which);
    if (!vec)
        return;
    float s = l->s, x = l->logs.x + 44 * s, cw = 40 * s, ch = 15 * s;
    float right = l->logs.x + l->logs.w - 10 * s;
    viz_gfx_text_mid(g, VIZ_FONT_SMALL, word, x, y + ch / 2, VIZ_DIM, VIZ_LEFT);
    x += 18 * s;
    for (size_t col = 0; col < f->st->nnodes && x + cw <= right; col++) {
        if (!viz_model_is_primary(f->m, (fl_node_id)col))
            continue;
        bool agree;
        int64_t hi = vector_column(f, which, col, &agree);
        int64_t c = vec[col] < 0 ? 0 : vec[col];
        viz_rgba fill = agree ? VIZ_OK : c < hi ? VIZ_ORANGE : VIZ_PANEL_HI;
        viz_rgba ink = agree || c < hi ? VIZ_RGB(0x0e1014) : VIZ_TEXT;
        char buf[24];
        viz_geom_round_rect(&g->geom, x, y, cw - 3 * s, ch, 3 * s, fill);
        snprintf(buf, sizeof buf, "%lld", (long long)c);
        viz_gfx_text_mid(g, VIZ_FONT_SMALL, buf, x + (cw - 3 * s) / 2, y + ch / 2, ink,
                         VIZ_CENTER);
        x += cw;
    }
}

/* What the cells mean, and whose count each column is. */
static float draw_vector_key(viz_gfx *g, const viz_layout *l, const viz_frame *f,
                             const fl_viz_table *t, float y)
{
    float s = l->s, x = l->logs.x + 44 * s + 18 * s, cw = 40 * s, y0 = y;
    float right = l->logs.x + l->logs.w - 10 * s;
    char key[256];
    snprintf(key, sizeof key, "%s%s%s: a replica's count per replica (column); "
             "orange = behind another replica (diverged); green = every replica "
             "agrees (converged)", t->vector_match ? t->vector_match : "",
             t->vector_match && t->vector_next ? ", " : "", t->vector_next ? t->vector_next : "");
    y += (float)viz_gfx_text_wrap(g, VIZ_FONT_SMALL, key, l->logs.x + 10 * s, y,
                                  l->logs.w - 20 * s, 14 * s, VIZ_FAINT) * 14 * s + 6 * s;
    for (size_t col = 0; col < f->st->nnodes && x + cw <= right; col++) {
        if (!viz_model_is_primary(f->m, (fl_node_id)col))
            continue;
        char name[16];
        viz_node_name(f->m, (fl_node_id)col, name, sizeof name);
        viz_gfx_text(g, VIZ_FONT_SMALL, name, x + (cw - 3 * s) / 2, y, VIZ_FAINT, VIZ_CENTER);
        x += cw;
    }
    return y + 18 * s - y0;
}

/* An algorithm without a replicated log (its viz table says so): one row
 * per node of the ring with its state and its table's values. */
static void draw_node_table(viz_gfx *g, const viz_layout *l, const viz_frame *f,
                            const fl_viz_table *t)
{
    float s = l->s, x = l->logs.x + 10 * s, y = l->logs.y + 12 * s;
    viz_gfx_text(g, VIZ_FONT_TITLE, "Nodes", x, y, VIZ_TEXT, VIZ_LEFT);
    y += 30 * s;
    bool vectors = t->vector_match || t->vector_next;
    if (vectors)
        y += draw_vector_key(g, l, f, t, y);
    for (size_t i = 0; i < f->st->nnodes && y < l->logs.y + l->logs.h - 16 * s; i++) {
        fl_node_id id = (fl_node_id)i;
        const viz_view *v = viz_frame_view(f, id);
        bool has_rows = false;
        for (const fl_viz_row *row = t->rows; row && row->label; row++)
            has_rows |= row->role && viz_alg_row_for(f->m, row, id);
        if (!viz_model_is_primary(f->m, id) && !has_rows)
            continue;
        const viz_node_state *ns = &f->st->nodes[i];
        char line[320], name[16];
        viz_node_name(f->m, id, name, sizeof name);
        size_t used = (size_t)snprintf(line, sizeof line, "%-4s %-11s", name,
                                       !ns->alive ? "crashed" : v && v->label ? v->label : "");
        bool alarm_any = false;
        for (const fl_viz_row *row = t->rows; v && row && row->label; row++) {
            char val[48];
            bool alarm;
            if (used + 40 >= sizeof line || !viz_alg_row_for(f->m, row, id) ||
                !viz_alg_row(f->m, t, row, v, val, sizeof val, &alarm))
                continue;
            alarm_any |= alarm;
            used += (size_t)snprintf(line + used, sizeof line - used, "  %s %s", row->label, val);
        }
        viz_gfx_text_fit(g, VIZ_FONT_MONO, line, x, y, l->logs.w - 20 * s,
                         !ns->alive ? VIZ_DIM : alarm_any ? VIZ_BAD : VIZ_TEXT);
        y += 18 * s;
        const char *words[2] = { t->vector_match, t->vector_next };
        for (int w = 0; w < 2 && vectors; w++)
            if (words[w] && vector_of(f, id, w)) {
                draw_vector(g, l, f, id, w, words[w], y);
                y += 18 * s;
            }
        if (vectors)
            y += 6 * s;
    }
}

void viz_draw_logs(viz_gfx *g, const viz_layout *l, const viz_frame *f)
{
    const fl_viz_table *t = viz_alg_table(f->m);
    if (!t->logs) {
        draw_node_table(g, l, f, t);
        return;
    }
    if (!l->nrows)
        return;
    logs_geo geo = plan(l, f);
    draw_header(g, l, &geo);
    fl_node_id leader = viz_frame_leader(f);
    for (size_t r = 0; r < l->nrows; r++)
        draw_row(g, l, f, &geo, r, leader);
    draw_key(g, l, f);
}
