/* render.c — one whole frame: background, then each part of the screen in
 * painter's order; and the small helpers the draw modules share. */
#include "viz/draw.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int viz_gfx_text(viz_gfx *g, viz_font f, const char *s, float x, float y,
                 viz_rgba c, viz_align align)
{
    viz_geom_flush(&g->geom, g->r);
    return viz_text_draw(g->text, f, s, x, y, c, align);
}

int viz_gfx_text_mid(viz_gfx *g, viz_font f, const char *s, float x, float y,
                     viz_rgba c, viz_align align)
{
    viz_geom_flush(&g->geom, g->r);
    return viz_text_draw_mid(g->text, f, s, x, y, c, align);
}

int viz_gfx_text_fit(viz_gfx *g, viz_font f, const char *s, float x, float y,
                     float maxw, viz_rgba c)
{
    char buf[512];
    viz_text_fit(g->text, f, s, maxw, buf, sizeof buf);
    return viz_gfx_text(g, f, buf, x, y, c, VIZ_LEFT);
}

int viz_gfx_text_wrap(viz_gfx *g, viz_font f, const char *s, float x, float y,
                      float maxw, float line_h, viz_rgba c)
{
    char line[512];
    int lines = 0;
    while (*s) {
        size_t fit = 0, n = 0;
        for (;;) {                       /* extend word by word */
            size_t next = n;
            while (s[next] == ' ')
                next++;
            while (s[next] && s[next] != ' ')
                next++;
            if (next >= sizeof line)
                break;
            memcpy(line, s, next);
            line[next] = '\0';
            if (fit && (float)viz_text_width(g->text, f, line) > maxw)
                break;
            fit = next;
            if (!s[next])
                break;
            n = next;
        }
        if (!fit)
            break;
        memcpy(line, s, fit);
        line[fit] = '\0';
        viz_gfx_text(g, f, line, x, y + (float)lines * line_h, c, VIZ_LEFT);
        lines++;
        s += fit;
        while (*s == ' ')
            s++;
    }
    return lines;
}

const viz_view *viz_frame_view(const viz_frame *f, fl_node_id node)
{
    if (node < 0 || (size_t)node >= f->st->nnodes)
        return NULL;
    uint32_t v = f->st->nodes[node].view;
    return v == VIZ_NONE ? NULL : viz_model_view(f->m, v);
}

fl_node_id viz_frame_leader(const viz_frame *f)
{
    fl_node_id best = FL_NO_NODE;
    int64_t term = -1;
    for (size_t i = 0; i < f->st->nnodes; i++) {
        const viz_view *v = viz_frame_view(f, (fl_node_id)i);
        if (v && f->st->nodes[i].alive && v->kind == FL_VIEW_LEADER && v->term > term) {
            term = v->term;
            best = (fl_node_id)i;
        }
    }
    return best;
}

void viz_render(viz_gfx *g, const viz_layout *l, const viz_frame *f)
{
    SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(g->r, VIZ_BG.r, VIZ_BG.g, VIZ_BG.b, 255);
    SDL_RenderClear(g->r);
    viz_draw_cluster(g, l, f);
    if (f->diagram)
        viz_draw_diagram(g, l, f);
    else if (f->ring)
        viz_draw_ring(g, l, f);
    else
        viz_draw_logs(g, l, f);
    viz_draw_panel(g, l, f);
    viz_draw_timeline(g, l, f);
    if (f->help)
        viz_draw_help(g, l);
    viz_geom_flush(&g->geom, g->r);
}
