/* geom.h — shapes batched into one SDL_RenderGeometry call: filled and
 * hollow circles, arcs, thick and dashed lines, rectangles and triangles,
 * with a one-pixel alpha feather on every edge so the software renderer's
 * output looks anti-aliased. Owns its vertex and index buffers. */
#ifndef FL_VIZ_GEOM_H
#define FL_VIZ_GEOM_H

#include <SDL.h>
#include <stdbool.h>

#include "viz/theme.h"

typedef struct viz_geom {
    SDL_Vertex *v;
    size_t      nv, v_cap;
    int        *ix;
    size_t      ni, ix_cap;
    bool        oom;
} viz_geom;

void viz_geom_free(viz_geom *g);
/* Draws and empties the batch. */
void viz_geom_flush(viz_geom *g, SDL_Renderer *r);

void viz_geom_circle(viz_geom *g, float x, float y, float r, viz_rgba c);
/* A band between radii r0 < r1 from angle a0 to a1 (radians, clockwise
 * from 12 o'clock when a1 > a0). */
void viz_geom_arc(viz_geom *g, float x, float y, float r0, float r1,
                  float a0, float a1, viz_rgba c);
void viz_geom_ring(viz_geom *g, float x, float y, float r, float width, viz_rgba c);
void viz_geom_line(viz_geom *g, float x0, float y0, float x1, float y1,
                   float width, viz_rgba c);
void viz_geom_dashed(viz_geom *g, float x0, float y0, float x1, float y1,
                     float width, float dash, float gap, viz_rgba c);
void viz_geom_rect(viz_geom *g, float x, float y, float w, float h, viz_rgba c);
void viz_geom_rect_outline(viz_geom *g, float x, float y, float w, float h,
                           float width, viz_rgba c);
void viz_geom_triangle(viz_geom *g, float x0, float y0, float x1, float y1,
                       float x2, float y2, viz_rgba c);
/* An axis-aligned rounded rectangle. */
void viz_geom_round_rect(viz_geom *g, float x, float y, float w, float h,
                         float radius, viz_rgba c);
/* A small "x" of half-size `r`. */
void viz_geom_cross(viz_geom *g, float x, float y, float r, float width, viz_rgba c);

#endif
