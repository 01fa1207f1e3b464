/* timeline.c — the bottom of the screen: a timeline of the whole run with
 * partitions and cut links as bands, faults as coloured marks, elections
 * as dots on their own lane, invariant violations in red, the playhead,
 * and (live) how far the engine has run; under it the status bar with
 * time, speed and the keys; and the `?` overlay listing every key. */
#include "viz/draw.h"

#include <stdio.h>

static float lane_y(const viz_layout *l, int lane)
{
    return l->timeline.y + (13.0f + 13.0f * (float)lane) * l->s;
}

static void draw_bands(viz_gfx *g, const viz_layout *l, const viz_frame *f, fl_time end)
{
    const viz_model *m = f->m;
    float s = l->s;
    fl_time part = -1, link = -1;
    size_t n = viz_model_mark_count(m);
    for (size_t i = 0; i <= n; i++) {
        const viz_mark *k = i < n ? viz_model_mark(m, i) : NULL;
        bool heal = !k || (k->kind == VIZ_MARK_FAULT && k->type == FL_TR_HEAL);
        fl_time at = k ? k->t : viz_model_last_time(m);
        if (heal && part >= 0) {
            float x0 = viz_layout_x_of(l, part, end), x1 = viz_layout_x_of(l, at, end);
            viz_geom_rect(&g->geom, x0, lane_y(l, 0) - 5 * s, x1 - x0 + 1, 10 * s,
                          viz_alpha(VIZ_PURPLE, 110));
            part = -1;
        }
        if (heal && link >= 0) {
            float x0 = viz_layout_x_of(l, link, end), x1 = viz_layout_x_of(l, at, end);
            viz_geom_rect(&g->geom, x0, lane_y(l, 1) - 3 * s, x1 - x0 + 1, 6 * s,
                          viz_alpha(VIZ_ORANGE, 110));
            link = -1;
        }
        if (k && k->kind == VIZ_MARK_FAULT && k->type == FL_TR_PARTITION && part < 0)
            part = k->t;
        if (k && k->kind == VIZ_MARK_FAULT && k->type == FL_TR_LINK && link < 0)
            link = k->t;
    }
}

static void draw_mark(viz_gfx *g, const viz_layout *l, const viz_mark *k, float x,
                      uint8_t alpha)
{
    float s = l->s, y;
    switch (k->kind) {
    case VIZ_MARK_LEADER:
        y = lane_y(l, 3);
        viz_geom_circle(&g->geom, x, y, 3.2f * s, VIZ_GREEN);
        return;
    case VIZ_MARK_VIOLATION:
        viz_geom_rect(&g->geom, x - 1.5f * s, l->timeline.y + 4 * s, 3 * s,
                      l->timeline.h - 8 * s, VIZ_BAD);
        return;
    case VIZ_MARK_FAULT:
        break;
    }
    viz_rgba c = viz_alpha(viz_fault_color(k->type), alpha);
    y = lane_y(l, 2);
    switch (k->type) {
    case FL_TR_CRASH:
        viz_geom_triangle(&g->geom, x - 4.5f * s, y - 4 * s, x + 4.5f * s, y - 4 * s,
                          x, y + 4 * s, c);
        break;
    case FL_TR_RESTART:
        viz_geom_triangle(&g->geom, x - 4.5f * s, y + 4 * s, x + 4.5f * s, y + 4 * s,
                          x, y - 4 * s, c);
        break;
    case FL_TR_PARTITION: case FL_TR_HEAL:
        viz_geom_rect(&g->geom, x - 1 * s, lane_y(l, 0) - 7 * s, 2 * s, 14 * s, c);
        break;
    case FL_TR_LINK:
        viz_geom_rect(&g->geom, x - 1 * s, lane_y(l, 1) - 5 * s, 2 * s, 10 * s, c);
        break;
    default:
        viz_geom_rect(&g->geom, x - 1.5f * s, y - 4 * s, 3 * s, 8 * s, c);
        break;
    }
}

/* Who became leader, where there is room to say it. */
static void draw_leader_names(viz_gfx *g, const viz_layout *l, const viz_frame *f,
                              fl_time end)
{
    float last = -1e9f, s = l->s;
    char name[16];
    for (size_t i = 0; i < viz_model_mark_count(f->m); i++) {
        const viz_mark *k = viz_model_mark(f->m, i);
        if (k->kind != VIZ_MARK_LEADER)
            continue;
        float x = viz_layout_x_of(l, k->t, end);
        if (x - last < 34 * s)
            continue;
        viz_node_name(f->m, k->node, name, sizeof name);
        viz_gfx_text_mid(g, VIZ_FONT_SMALL, name, x + 5 * s, lane_y(l, 3), VIZ_GREEN, VIZ_LEFT);
        last = x;
    }
}

static void draw_axis(viz_gfx *g, const viz_layout *l, fl_time end)
{
    static const fl_time steps[] = { FL_MS(1), FL_MS(5), FL_MS(10), FL_MS(50),
                                     FL_MS(100), FL_MS(500), FL_SEC(1), FL_SEC(5),
                                     FL_SEC(10), FL_SEC(30), FL_SEC(60), FL_SEC(300) };
    fl_time step = steps[0];
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        step = steps[i];
        if (end / step <= 10)
            break;
    }
    while (end / step > 10 && step <= INT64_MAX / 10)
        step *= 10;                     /* long runs: a dozen ticks at most */
    char buf[32];
    float y = l->timeline.y + l->timeline.h - 13 * l->s;
    for (fl_time t = 0; t <= end; t += step) {
        float x = viz_layout_x_of(l, t, end);
        viz_geom_rect(&g->geom, x, y - 3 * l->s, 1, 3 * l->s, VIZ_FAINT);
        if (step >= FL_SEC(1))
            snprintf(buf, sizeof buf, "%lld s", (long long)(t / FL_SEC(1)));
        else
            snprintf(buf, sizeof buf, "%lld ms", (long long)(t / FL_MS(1)));
        viz_gfx_text(g, VIZ_FONT_SMALL, buf, x, y - 1 * l->s, VIZ_FAINT, VIZ_CENTER);
    }
}

static void draw_track(viz_gfx *g, const viz_layout *l, const viz_frame *f, fl_time end)
{
    float s = l->s;
    float x0 = viz_layout_x_of(l, 0, end), x1 = viz_layout_x_of(l, end, end);
    viz_geom_rect(&g->geom, l->timeline.x, l->timeline.y, l->timeline.w, l->timeline.h,
                  VIZ_PANEL);
    viz_geom_rect(&g->geom, l->timeline.x, l->timeline.y, l->timeline.w, 1, VIZ_BORDER);
    viz_geom_rect(&g->geom, x0, lane_y(l, 0) - 5 * s, x1 - x0, lane_y(l, 3) - lane_y(l, 0) + 10 * s,
                  VIZ_RGB(0x20242c));
    if (f->live && !f->run_over) {
        float xk = viz_layout_x_of(l, f->known < end ? f->known : end, end);
        viz_geom_rect(&g->geom, xk, lane_y(l, 0) - 5 * s, x1 - xk,
                      lane_y(l, 3) - lane_y(l, 0) + 10 * s, viz_alpha(VIZ_BG, 200));
    }
}

static void draw_labels(viz_gfx *g, const viz_layout *l)
{
    float s = l->s, x = l->timeline.x + l->timeline.w - 16 * s;
    (void)x;
    viz_gfx_text_mid(g, VIZ_FONT_SMALL, "partitions", 18 * s, lane_y(l, 0), VIZ_FAINT, VIZ_LEFT);
    viz_gfx_text_mid(g, VIZ_FONT_SMALL, "links", 18 * s, lane_y(l, 1), VIZ_FAINT, VIZ_LEFT);
    viz_gfx_text_mid(g, VIZ_FONT_SMALL, "faults", 18 * s, lane_y(l, 2), VIZ_FAINT, VIZ_LEFT);
    viz_gfx_text_mid(g, VIZ_FONT_SMALL, "leaders", 18 * s, lane_y(l, 3), VIZ_FAINT, VIZ_LEFT);
}

static void draw_playhead(viz_gfx *g, const viz_layout *l, const viz_frame *f, fl_time end)
{
    float s = l->s, x = viz_layout_x_of(l, f->t, end);
    viz_geom_rect(&g->geom, x - 1, l->timeline.y + 3 * s, 2 * s, l->timeline.h - 14 * s,
                  VIZ_TEXT);
    viz_geom_triangle(&g->geom, x - 5 * s, l->timeline.y + 1 * s, x + 5 * s,
                      l->timeline.y + 1 * s, x, l->timeline.y + 8 * s, VIZ_TEXT);
}

static void draw_status(viz_gfx *g, const viz_layout *l, const viz_frame *f, fl_time end)
{
    float s = l->s, y = l->status.y + l->status.h / 2;
    viz_geom_rect(&g->geom, l->status.x, l->status.y, l->status.w, l->status.h,
                  VIZ_RGB(0x101216));
    char t[32], e[32], buf[256], over[80] = "";
    viz_format_time(f->t, t, sizeof t);
    viz_format_time(end, e, sizeof e);
    uint64_t run_events;
    if (f->run_over && f->t >= viz_model_last_time(f->m)) {
        if (viz_model_run_events(f->m, &run_events))      /* as `run` counts them */
            snprintf(over, sizeof over, "   (end of run: %llu events)",
                     (unsigned long long)run_events);
        else
            snprintf(over, sizeof over, "   (end of run)");
    }
    snprintf(buf, sizeof buf, "%s  t = %s / %s   speed %.3gx   record %zu / %zu%s",
             f->playing ? "\xe2\x96\xb6 playing" : "\xe2\x9d\x9a\xe2\x9d\x9a paused", t, e,
             f->speed, f->idx, viz_model_event_count(f->m), over);
    viz_gfx_text_mid(g, VIZ_FONT_NORMAL, buf, 12 * s, y, VIZ_TEXT, VIZ_LEFT);
    if (f->notice) {                     /* in place of the key hint */
        viz_gfx_text_mid(g, VIZ_FONT_BOLD, f->notice, l->w - 12 * s, y, VIZ_YELLOW, VIZ_RIGHT);
        return;
    }
    viz_gfx_text_mid(g, VIZ_FONT_SMALL,
                     "space play/pause \xc2\xb7 \xe2\x86\x90/\xe2\x86\x92 step \xc2\xb7 +/- speed \xc2\xb7 ? all keys",
                     l->w - 12 * s, y, VIZ_DIM, VIZ_RIGHT);
}

void viz_draw_timeline(viz_gfx *g, const viz_layout *l, const viz_frame *f)
{
    fl_time end = viz_model_end(f->m);
    if (end <= 0)
        end = 1;
    draw_track(g, l, f, end);
    draw_bands(g, l, f, end);
    for (size_t i = 0; i < viz_model_mark_count(f->m); i++) {
        const viz_mark *k = viz_model_mark(f->m, i);
        draw_mark(g, l, k, viz_layout_x_of(l, k->t, end), 255);
    }
    for (size_t i = 0; i < viz_model_plan_count(f->m); i++) {
        const viz_mark *k = viz_model_planned(f->m, i);
        if (k->t > f->known)             /* still ahead of the engine */
            draw_mark(g, l, k, viz_layout_x_of(l, k->t, end), 120);
    }
    draw_leader_names(g, l, f, end);
    draw_axis(g, l, end);
    draw_labels(g, l);
    draw_playhead(g, l, f, end);
    draw_status(g, l, f, end);
}

void viz_draw_help(viz_gfx *g, const viz_layout *l)
{
    static const char *const keys[][2] = {
        { "space", "play / pause" },
        { "\xe2\x86\x92 / \xe2\x86\x90", "step one event forward / back" },
        { "+ / -", "faster / slower" },
        { "Home / End", "go to the start / the end" },
        { "click", "select a node (again: deselect)" },
        { "drag timeline", "seek" },
        { "a", "events of all nodes / of the selected one" },
        { "d", "space-time diagram (instead of the logs)" },
        { "g", "hash ring / logs (algorithms on a ring)" },
        { "[ / ] , wheel", "diagram: zoom out / in; click it to seek" },
        { "PgUp / PgDn", "logs: older / newer entries (or the wheel)" },
        { "v", "a failed invariant: jump there, show its messages" },
        { "o", "a client op (selected client's): its messages" },
        { "c", "crash the selected node (live)" },
        { "r", "restart the selected node (live)" },
        { "p", "pause the selected node for 500 ms (live)" },
        { "x", "cut the selected node's links (live)" },
        { "h", "heal all partitions and links (live)" },
        { "S", "save the run (with added faults) as a scenario" },
        { "?", "show / hide this help" },
        { "q / Esc", "quit" },
    };
    size_t n = sizeof keys / sizeof keys[0];
    float s = l->s, w = 470 * s, h = (74 + 20 * (float)n) * s;
    float x = (l->w - w) / 2, y = (l->h - h) / 2;
    viz_geom_rect(&g->geom, 0, 0, (float)l->w, (float)l->h, viz_alpha(VIZ_BG, 150));
    viz_geom_round_rect(&g->geom, x, y, w, h, 10 * s, VIZ_PANEL_HI);
    viz_gfx_text(g, VIZ_FONT_TITLE, "Keys", x + 20 * s, y + 14 * s, VIZ_TEXT, VIZ_LEFT);
    for (size_t i = 0; i < n; i++) {
        float yy = y + (44 + 20 * (float)i) * s;
        viz_gfx_text(g, VIZ_FONT_BOLD, keys[i][0], x + 20 * s, yy, VIZ_YELLOW, VIZ_LEFT);
        viz_gfx_text(g, VIZ_FONT_NORMAL, keys[i][1], x + 150 * s, yy, VIZ_TEXT, VIZ_LEFT);
    }
    viz_gfx_text(g, VIZ_FONT_SMALL, "faults added by hand restart the run from 0 with them "
                 "(deterministic)", x + 20 * s, y + h - 20 * s, VIZ_DIM, VIZ_LEFT);
}
