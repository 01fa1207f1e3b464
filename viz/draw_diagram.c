/* draw_diagram.c — the space-time diagram pane in the window: the shapes
 * of diagram.c drawn with the batch and the text cache. */
#include "viz/draw.h"

#include <math.h>
#include <stdio.h>

#include "viz/diagram.h"

static void arrow_head(viz_gfx *g, const viz_dg_item *it, float s)
{
    float dx = it->x1 - it->x0, dy = it->y1 - it->y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 1)
        return;
    dx /= len;
    dy /= len;
    float hl = 7 * s, hw = 3.5f * s;
    viz_geom_triangle(&g->geom, it->x1, it->y1, it->x1 - dx * hl - dy * hw,
                      it->y1 - dy * hl + dx * hw, it->x1 - dx * hl + dy * hw,
                      it->y1 - dy * hl - dx * hw, it->c);
}

static void draw_item(viz_gfx *g, const viz_diagram *d, const viz_dg_item *it, float s)
{
    switch ((viz_dg_kind)it->kind) {
    case VIZ_DG_RECT:
        viz_geom_rect(&g->geom, it->x0, it->y0, it->x1 - it->x0, it->y1 - it->y0, it->c);
        break;
    case VIZ_DG_LINE:
    case VIZ_DG_ARROW:
        if (it->dashed)
            viz_geom_dashed(&g->geom, it->x0, it->y0, it->x1, it->y1, it->width, 5 * s,
                            3 * s, it->c);
        else
            viz_geom_line(&g->geom, it->x0, it->y0, it->x1, it->y1, it->width, it->c);
        if (it->kind == VIZ_DG_ARROW)
            arrow_head(g, it, s);
        break;
    case VIZ_DG_CROSS:
        viz_geom_cross(&g->geom, it->x1, it->y1, 4 * s, 2 * s, it->c);
        break;
    case VIZ_DG_TEXT: {
        const char *str = viz_diagram_str(d, it->text);
        if (str)
            viz_gfx_text(g, it->small ? VIZ_FONT_SMALL : VIZ_FONT_BOLD, str, it->x0, it->y0,
                         it->c, it->x1 < 0 ? VIZ_RIGHT : VIZ_LEFT);
        break;
    }
    }
}

void viz_draw_diagram(viz_gfx *g, const viz_layout *l, const viz_frame *f)
{
    float s = l->s;
    viz_rect r = l->logs;
    viz_geom_rect(&g->geom, r.x, r.y, r.w, r.h, VIZ_PANEL);
    viz_gfx_text(g, VIZ_FONT_TITLE, "Space-time", r.x + 10 * s, r.y + 8 * s, VIZ_TEXT,
                 VIZ_LEFT);
    char buf[96], a[32], b[32];
    viz_format_time(f->dg_from, a, sizeof a);
    viz_format_time(f->dg_to, b, sizeof b);
    snprintf(buf, sizeof buf, "%s .. %s   [ ] zoom, wheel, d hides", a, b);
    if (!f->cause)
        viz_gfx_text(g, VIZ_FONT_SMALL, buf, r.x + r.w - 10 * s, r.y + 12 * s, VIZ_DIM,
                     VIZ_RIGHT);
    viz_dg_in in = { .r = { r.x, r.y + 26 * s, r.w, r.h - 26 * s }, .from = f->dg_from,
                     .to = f->dg_to, .now = f->t, .idx = f->idx, .selected = f->selected,
                     .current_msg = f->current_msg, .chain = f->chain,
                     .chain_len = f->chain_len, .s = s };
    if (f->cause)
        viz_gfx_text_fit(g, VIZ_FONT_SMALL, f->cause, r.x + 130 * s, r.y + 12 * s,
                         r.w - 140 * s, VIZ_ORANGE);
    viz_diagram d;
    viz_diagram_init(&d);
    if (viz_diagram_build(&d, f->m, &in) == 0)
        for (size_t i = 0; i < d.n; i++)
            draw_item(g, &d, &d.items[i], s);
    viz_diagram_free(&d);
}
