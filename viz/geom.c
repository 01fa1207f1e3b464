/* geom.c — batched, feathered shapes (see geom.h). */
#include "viz/geom.h"

#include <math.h>
#include <stdlib.h>

#include "sim/util/vec.h"

#define FEATHER 0.8f
#define PI_F 3.14159265f

void viz_geom_free(viz_geom *g)
{
    free(g->v);
    free(g->ix);
    g->v = NULL;
    g->ix = NULL;
    g->nv = g->ni = g->v_cap = g->ix_cap = 0;
}

void viz_geom_flush(viz_geom *g, SDL_Renderer *r)
{
    if (g->ni)
        SDL_RenderGeometry(r, NULL, g->v, (int)g->nv, g->ix, (int)g->ni);
    g->nv = g->ni = 0;
}

static bool reserve(viz_geom *g, size_t nv, size_t ni)
{
    if (fl_vec_grow(&g->v, &g->v_cap, g->nv + nv, sizeof *g->v, 16) < 0 ||
        fl_vec_grow(&g->ix, &g->ix_cap, g->ni + ni, sizeof *g->ix, 16) < 0) {
        g->oom = true;
        return false;
    }
    return true;
}

static int vtx(viz_geom *g, float x, float y, viz_rgba c)
{
    g->v[g->nv] = (SDL_Vertex){ { x, y }, { c.r, c.g, c.b, c.a }, { 0, 0 } };
    return (int)g->nv++;
}

static void tri(viz_geom *g, int a, int b, int c)
{
    g->ix[g->ni++] = a;
    g->ix[g->ni++] = b;
    g->ix[g->ni++] = c;
}

static void quad(viz_geom *g, int a, int b, int c, int d)   /* a-b-c-d in order */
{
    tri(g, a, b, c);
    tri(g, a, c, d);
}

static int segments(float r, float span)
{
    int n = (int)(r * span * 0.5f) + 6;
    return n < 6 ? 6 : n > 96 ? 96 : n;
}

void viz_geom_arc(viz_geom *g, float x, float y, float r0, float r1,
                  float a0, float a1, viz_rgba c)
{
    if (r1 <= 0 || a1 <= a0)
        return;
    int n = segments(r1, a1 - a0);
    bool solid = r0 <= FEATHER;          /* a pie: fan from the centre */
    float radii[4] = { r0 - FEATHER / 2, r0 + FEATHER / 2,
                       r1 - FEATHER / 2, r1 + FEATHER / 2 };
    viz_rgba clear = viz_alpha(c, 0);
    if (!reserve(g, (size_t)(n + 1) * 4 + 1, (size_t)n * 18))
        return;
    int centre = solid ? vtx(g, x, y, c) : -1;
    int prev = -1;
    for (int i = 0; i <= n; i++) {
        float a = a0 + (a1 - a0) * (float)i / (float)n;
        float sx = sinf(a), sy = -cosf(a);
        int base = (int)g->nv;
        for (int k = solid ? 2 : 0; k < 4; k++)
            vtx(g, x + sx * radii[k], y + sy * radii[k], (k == 0 || k == 3) ? clear : c);
        if (prev >= 0) {
            if (solid) {
                tri(g, centre, prev, base);
                quad(g, prev, base, base + 1, prev + 1);
            } else {
                for (int k = 0; k < 3; k++)
                    quad(g, prev + k, base + k, base + k + 1, prev + k + 1);
            }
        }
        prev = base;
    }
}

void viz_geom_circle(viz_geom *g, float x, float y, float r, viz_rgba c)
{
    viz_geom_arc(g, x, y, 0, r, 0, 2 * PI_F, c);
}

void viz_geom_ring(viz_geom *g, float x, float y, float r, float width, viz_rgba c)
{
    viz_geom_arc(g, x, y, r - width / 2, r + width / 2, 0, 2 * PI_F, c);
}

void viz_geom_line(viz_geom *g, float x0, float y0, float x1, float y1,
                   float width, viz_rgba c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 0.01f)
        return;
    if (width < 1.0f) {                  /* thin: fade instead of narrowing */
        c = viz_alpha(c, (uint8_t)(255 * width));
        width = 1.0f;
    }
    float nx = -dy / len, ny = dx / len, hw = width / 2 - FEATHER / 2;
    if (hw < 0)
        hw = 0;
    float off[4] = { -hw - FEATHER, -hw, hw, hw + FEATHER };
    viz_rgba clear = viz_alpha(c, 0);
    if (!reserve(g, 8, 18))
        return;
    int a = (int)g->nv;
    for (int k = 0; k < 4; k++)
        vtx(g, x0 + nx * off[k], y0 + ny * off[k], (k == 0 || k == 3) ? clear : c);
    for (int k = 0; k < 4; k++)
        vtx(g, x1 + nx * off[k], y1 + ny * off[k], (k == 0 || k == 3) ? clear : c);
    for (int k = 0; k < 3; k++)
        quad(g, a + k, a + 4 + k, a + 5 + k, a + k + 1);
}

void viz_geom_dashed(viz_geom *g, float x0, float y0, float x1, float y1,
                     float width, float dash, float gap, viz_rgba c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 0.01f || dash <= 0)
        return;
    if (len / (dash + gap) > 100000)
        return;                          /* far longer than any screen */
    float ux = dx / len, uy = dy / len;
    for (float d = 0; d < len; d += dash + gap) {
        float e = d + dash < len ? d + dash : len;
        viz_geom_line(g, x0 + ux * d, y0 + uy * d, x0 + ux * e, y0 + uy * e, width, c);
    }
}

void viz_geom_rect(viz_geom *g, float x, float y, float w, float h, viz_rgba c)
{
    if (w <= 0 || h <= 0 || !reserve(g, 4, 6))
        return;
    int a = vtx(g, x, y, c);
    vtx(g, x + w, y, c);
    vtx(g, x + w, y + h, c);
    vtx(g, x, y + h, c);
    quad(g, a, a + 1, a + 2, a + 3);
}

void viz_geom_rect_outline(viz_geom *g, float x, float y, float w, float h,
                           float width, viz_rgba c)
{
    viz_geom_rect(g, x, y, w, width, c);
    viz_geom_rect(g, x, y + h - width, w, width, c);
    viz_geom_rect(g, x, y + width, width, h - 2 * width, c);
    viz_geom_rect(g, x + w - width, y + width, width, h - 2 * width, c);
}

void viz_geom_triangle(viz_geom *g, float x0, float y0, float x1, float y1,
                       float x2, float y2, viz_rgba c)
{
    if (!reserve(g, 3, 3))
        return;
    int a = vtx(g, x0, y0, c);
    vtx(g, x1, y1, c);
    vtx(g, x2, y2, c);
    tri(g, a, a + 1, a + 2);
}

/* A convex polygon (points clockwise on screen) with a feathered rim. */
static void convex(viz_geom *g, const float *px, const float *py, int n, viz_rgba c)
{
    if (n < 3 || !reserve(g, (size_t)n * 2 + 1, (size_t)n * 9))
        return;
    float cx = 0, cy = 0;
    for (int i = 0; i < n; i++) {
        cx += px[i];
        cy += py[i];
    }
    int centre = vtx(g, cx / (float)n, cy / (float)n, c), base = (int)g->nv;
    viz_rgba clear = viz_alpha(c, 0);
    for (int i = 0; i < n; i++) {
        int a = (i + n - 1) % n, b = (i + 1) % n;
        /* outward normal: the average of the two edges' normals */
        float e1x = px[i] - px[a], e1y = py[i] - py[a], e2x = px[b] - px[i], e2y = py[b] - py[i];
        float l1 = sqrtf(e1x * e1x + e1y * e1y), l2 = sqrtf(e2x * e2x + e2y * e2y);
        float nx = (l1 > 0 ? e1y / l1 : 0) + (l2 > 0 ? e2y / l2 : 0);
        float ny = (l1 > 0 ? -e1x / l1 : 0) + (l2 > 0 ? -e2x / l2 : 0);
        float nl = sqrtf(nx * nx + ny * ny);
        if (nl > 0) {
            nx /= nl;
            ny /= nl;
        }
        vtx(g, px[i] - nx * FEATHER / 2, py[i] - ny * FEATHER / 2, c);
        vtx(g, px[i] + nx * FEATHER / 2, py[i] + ny * FEATHER / 2, clear);
    }
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n, vi = base + 2 * i, vj = base + 2 * j;
        tri(g, centre, vi, vj);
        quad(g, vi, vj, vj + 1, vi + 1);
    }
}

void viz_geom_round_rect(viz_geom *g, float x, float y, float w, float h,
                         float radius, viz_rgba c)
{
    float rr = radius;
    if (rr > w / 2)
        rr = w / 2;
    if (rr > h / 2)
        rr = h / 2;
    if (rr < 0.5f) {
        viz_geom_rect(g, x, y, w, h, c);
        return;
    }
    enum { K = 5 };
    float px[4 * (K + 1)], py[4 * (K + 1)];
    const float ccx[4] = { x + w - rr, x + w - rr, x + rr, x + rr };
    const float ccy[4] = { y + rr, y + h - rr, y + h - rr, y + rr };
    int n = 0;
    for (int k = 0; k < 4; k++)
        for (int i = 0; i <= K; i++) {
            float a = (float)k * PI_F / 2 + (PI_F / 2) * (float)i / K;
            px[n] = ccx[k] + rr * sinf(a);
            py[n] = ccy[k] - rr * cosf(a);
            n++;
        }
    convex(g, px, py, n, c);
}

void viz_geom_cross(viz_geom *g, float x, float y, float r, float width, viz_rgba c)
{
    viz_geom_line(g, x - r, y - r, x + r, y + r, width, c);
    viz_geom_line(g, x - r, y + r, x + r, y - r, width, c);
}
