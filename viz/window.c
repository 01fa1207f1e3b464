/* window.c — the interactive visualizer: a resizable window, playback
 * paced against the wall clock, the mouse (select, seek by dragging on the
 * timeline), keys (through input.c) and frame-time statistics. */
#include "config.h"

#include "viz/viz.h"

#include "viz/diagram.h"

#include <SDL.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_STATS 100000

/* Per frame: draw time, whole-frame work time (input, seeking, drawing)
 * and the messages on screen. */
typedef struct frame_stats {
    double *ms;
    double *work_ms;
    size_t  n;
    double  msgs_sum;
    size_t  msgs_max;
} frame_stats;

static fl_node_id row_at(const viz_app *a, float x, float y)
{
    const viz_layout *l = &a->lay;
    if (!viz_in_rect(&l->logs, x, y) || !l->nrows)
        return FL_NO_NODE;
    float top = l->logs.y + 47 * l->s;
    int r = (int)floorf((y - top) / l->row_h);
    return r >= 0 && (size_t)r < l->nrows ? l->rows[r] : FL_NO_NODE;
}

static void on_click(viz_app *a, float x, float y)
{
    if (a->diagram && viz_in_rect(&a->lay.logs, x, y)) {   /* seek to that time */
        viz_frame f;
        viz_app_frame(a, &f);
        float s = a->lay.s;
        viz_dg_in in = { .r = { a->lay.logs.x, a->lay.logs.y + 26 * s, a->lay.logs.w,
                                a->lay.logs.h - 26 * s }, .from = f.dg_from, .to = f.dg_to,
                         .s = s };
        (void)viz_app_seek(a, viz_diagram_time_at(&in, x));
        return;
    }
    if (viz_in_rect(&a->lay.timeline, x, y)) {
        a->dragging = true;
        (void)viz_app_seek(a, viz_layout_time_at(&a->lay, x, viz_model_end(viz_app_model(a))));
        return;
    }
    viz_frame f;
    viz_app_frame(a, &f);
    fl_node_id n = viz_layout_node_at(&a->lay, x, y);
    if (n == FL_NO_NODE && !f.ring)
        n = row_at(a, x, y);
    if (n != FL_NO_NODE)
        a->selected = a->selected == n ? FL_NO_NODE : n;
}

static void on_resize(viz_app *a, int w, int h)
{
    float old = a->lay.s;
    if (viz_layout_init(&a->lay, viz_app_model(a), w, h) < 0) {
        a->quit = true;
        return;
    }
    if (fabsf(old - a->lay.s) > 0.01f)
        (void)viz_text_rescale(a->gfx.text, a->lay.s);
}

/* Is the mouse over the Logs pane (the wheel scrolls it there)? */
static bool over_logs(const viz_app *a)
{
    int x, y;
    SDL_GetMouseState(&x, &y);
    const viz_rect *r = &a->lay.logs;
    return (float)x >= r->x && (float)x < r->x + r->w && (float)y >= r->y && (float)y < r->y + r->h;
}

static void handle(viz_app *a, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT: a->quit = true; break;
    case SDL_KEYDOWN:
        viz_input_key(a, e->key.keysym.sym, (e->key.keysym.mod & KMOD_SHIFT) != 0);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT)
            on_click(a, (float)e->button.x, (float)e->button.y);
        break;
    case SDL_MOUSEBUTTONUP: a->dragging = false; break;
    case SDL_MOUSEWHEEL:
        if (a->diagram && e->wheel.y)
            viz_input_zoom(a, e->wheel.y > 0 ? 0.5 : 2);
        else if (!a->diagram && over_logs(a))          /* up or left: older */
            viz_input_scroll_logs(a, VIZ_LOGS_WHEEL * (e->wheel.y - e->wheel.x));
        break;
    case SDL_MOUSEMOTION:
        if (a->dragging)
            (void)viz_app_seek(a, viz_layout_time_at(&a->lay, (float)e->motion.x,
                                                    viz_model_end(viz_app_model(a))));
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            on_resize(a, e->window.data1, e->window.data2);
        break;
    default: break;
    }
}

/* ---- The loop ---------------------------------------------------------------------------- */

static void advance(viz_app *a, double wall_s)
{
    if (!a->playing || a->dragging)
        return;
    fl_time dt = (fl_time)(wall_s * a->o.speed * 1e9);
    const viz_model *m = viz_app_model(a);
    bool over = !a->live || viz_live_done(a->live);
    (void)viz_app_seek(a, a->t + dt);
    m = viz_app_model(a);
    if (over && a->t >= viz_model_last_time(m))
        a->playing = false;
}

static void count_msg(void *arg, const viz_msg *msg)
{
    (void)msg;
    (*(size_t *)arg)++;
}

static void record(frame_stats *fs, const viz_frame *f, double ms, double work_ms)
{
    if (fs->n >= MAX_STATS)
        return;
    size_t msgs = 0;
    viz_model_msgs_at(f->m, f->t, f->idx, count_msg, &msgs);
    fs->msgs_sum += (double)msgs;
    if (msgs > fs->msgs_max)
        fs->msgs_max = msgs;
    fs->work_ms[fs->n] = work_ms;
    fs->ms[fs->n++] = ms;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static void print_stats(frame_stats *fs)
{
    if (!fs->n)
        return;
    double sum = 0;
    for (size_t i = 0; i < fs->n; i++)
        sum += fs->ms[i];
    qsort(fs->ms, fs->n, sizeof *fs->ms, cmp_double);
    qsort(fs->work_ms, fs->n, sizeof *fs->work_ms, cmp_double);
    printf("viz: %zu frames, draw time ms: mean %.2f, median %.2f, p95 %.2f, max %.2f "
           "(%.0f fps possible at the median)\n", fs->n, sum / (double)fs->n,
           fs->ms[fs->n / 2], fs->ms[(fs->n * 95) / 100], fs->ms[fs->n - 1],
           1000.0 / (fs->ms[fs->n / 2] > 0.01 ? fs->ms[fs->n / 2] : 0.01));
    printf("viz: frame work ms (input, seeking, simulating, drawing): median %.2f, "
           "p95 %.2f, max %.2f; messages on screen: mean %.0f, max %zu\n",
           fs->work_ms[fs->n / 2], fs->work_ms[(fs->n * 95) / 100],
           fs->work_ms[fs->n - 1], fs->msgs_sum / (double)fs->n, fs->msgs_max);
}

/* A window needs a display: X11 or Wayland, or a driver asked for by
 * name (SDL_VIDEODRIVER, e.g. dummy in tests). Without one, SDL would pick
 * an off-screen driver and the run would go on unseen. */
static bool have_display(void)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (drv && *drv) || (x && *x) || (wl && *wl);
}

static int open_window(viz_app *a, SDL_Window **win)
{
    if (!have_display()) {
        fprintf(stderr, "faultline: viz: no display (DISPLAY and WAYLAND_DISPLAY are not set): "
                        "use --screenshot OUT.png --at MS or --svg OUT.svg, or run under "
                        "xvfb-run\n");
        return 2;
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "faultline: cannot open a window: %s\n(no display? use "
                        "--screenshot OUT.png --at MS, or xvfb-run)\n", SDL_GetError());
        return 2;
    }
    *win = SDL_CreateWindow("faultline viz", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                            a->o.w, a->o.h, SDL_WINDOW_RESIZABLE);
    if (!*win) {
        fprintf(stderr, "faultline: cannot open a window: %s\n", SDL_GetError());
        return 2;
    }
    a->gfx.r = SDL_CreateRenderer(*win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!a->gfx.r)
        a->gfx.r = SDL_CreateRenderer(*win, -1, SDL_RENDERER_SOFTWARE);
    if (!a->gfx.r) {
        fprintf(stderr, "faultline: cannot create a renderer: %s\n", SDL_GetError());
        return 2;
    }
    a->gfx.sprites.r = a->gfx.r;
    fl_error err = { { 0 } };
    a->gfx.text = viz_text_new(a->gfx.r, a->lay.s, &err);
    if (!a->gfx.text) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        return 2;
    }
    return 0;
}

static void loop(viz_app *a, frame_stats *fs)
{
    uint64_t freq = SDL_GetPerformanceFrequency(), last = SDL_GetPerformanceCounter();
    for (long frame = 0; !a->quit && (a->o.frames < 0 || frame < a->o.frames); frame++) {
        SDL_Event e;
        while (SDL_PollEvent(&e))
            handle(a, &e);
        uint64_t start = SDL_GetPerformanceCounter();
        if (a->script)
            viz_input_script_step(a);
        uint64_t now = SDL_GetPerformanceCounter();
        double wall = (double)(now - last) / (double)freq;
        last = now;
        advance(a, wall > 0.1 ? 0.1 : wall);
        viz_frame f;
        viz_app_frame(a, &f);
        uint64_t t0 = SDL_GetPerformanceCounter();
        viz_render(&a->gfx, &a->lay, &f);
        uint64_t t1 = SDL_GetPerformanceCounter();
        record(fs, &f, (double)(t1 - t0) * 1000.0 / (double)freq,
               (double)(t1 - start) * 1000.0 / (double)freq);
        SDL_RenderPresent(a->gfx.r);
        double spent = (double)(SDL_GetPerformanceCounter() - now) / (double)freq;
        if (spent < 1.0 / 60)
            SDL_Delay((uint32_t)((1.0 / 60 - spent) * 1000));
    }
}

int viz_window_run(viz_app *a)
{
    SDL_Window *win = NULL;
    frame_stats fs = { calloc(MAX_STATS, sizeof(double)),
                       calloc(MAX_STATS, sizeof(double)), 0, 0, 0 };
    int rc = fs.ms && fs.work_ms ? open_window(a, &win) : 2;
    if (rc == 0)
        loop(a, &fs);
    if (a->o.stats)
        print_stats(&fs);
    free(fs.ms);
    free(fs.work_ms);
    viz_text_free(a->gfx.text);
    a->gfx.text = NULL;
    viz_geom_free(&a->gfx.geom);
    viz_sprites_free(&a->gfx.sprites);
    if (a->gfx.r)
        SDL_DestroyRenderer(a->gfx.r);
    if (win)
        SDL_DestroyWindow(win);
    return rc;
}
