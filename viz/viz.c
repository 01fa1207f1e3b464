/* viz.c — `faultline viz`: options, the source (live run or trace), the
 * shown position (seek, step, the frame to draw) and the headless
 * screenshot, which draws with SDL's software renderer on a plain surface
 * (no video driver needed) and writes a PNG under a temporary name before
 * renaming it into place. The window lives in window.c. */
#include "config.h"

#include "viz/viz.h"
#include "viz/alg_view.h"
#include "viz/ring.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli/cli.h"
#include "viz/cause.h"
#include "viz/diagram.h"
#include "sim/history.h"
#include "viz/replay.h"


/* ---- Options --------------------------------------------------------------- */

static int parse_size(const char *v, viz_opts *o)
{
    int w, h;
    char tail;
    if (sscanf(v, "%dx%d%c", &w, &h, &tail) != 2 || w < 320 || h < 240 ||
        w > 8192 || h > 8192)
        return fl_cli_usage_error("viz", "--size %s: expected WxH between 320x240 and 8192x8192", v);
    o->w = w;
    o->h = h;
    return 0;
}

static int parse_value(const char *a, const char *v, viz_opts *o)
{
    char *end;
    if (strcmp(a, "--seed") == 0) {
        if (!fl_cli_parse_u64(v, &o->seed))
            return fl_cli_usage_error("viz", "--seed %s: expected a decimal or 0x-hex 64-bit number", v);
        o->has_seed = true;
    } else if (strcmp(a, "--speed") == 0) {
        o->speed = strtod(v, &end);
        if (*end || !(o->speed > 0) || o->speed > 1000)
            return fl_cli_usage_error("viz", "--speed %s: expected a number in (0, 1000]", v);
    } else if (strcmp(a, "--at") == 0 || strcmp(a, "--at-ms") == 0) {
        double ms = strtod(v, &end);
        if (*end || !(ms >= 0) || ms > 1e12)
            return fl_cli_usage_error("viz", "%s %s: expected milliseconds >= 0", a, v);
        o->at = (fl_time)llround(ms * 1e6);
    } else if (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
        double ms = strtod(v, &end);
        if (*end || !(ms >= 0) || ms > 1e12)
            return fl_cli_usage_error("viz", "%s %s: expected milliseconds >= 0", a, v);
        *(a[2] == 'f' ? &o->svg_from : &o->svg_to) = (fl_time)llround(ms * 1e6);
    } else if (strcmp(a, "--svg") == 0) {
        o->svg = v;
    } else if (strcmp(a, "--frames") == 0) {
        o->frames = strtol(v, &end, 10);
        if (*end || o->frames < 1)
            return fl_cli_usage_error("viz", "--frames %s: expected a count >= 1", v);
    } else if (strcmp(a, "--select") == 0) {
        o->select = strtol(v, &end, 10);
        if (*end || o->select < 0 || o->select > 100000)
            return fl_cli_usage_error("viz", "--select %s: expected a node id", v);
    } else if (strcmp(a, "--size") == 0) {
        return parse_size(v, o);
    } else if (strcmp(a, "--keys") == 0) {
        o->keys = v;
    } else if (strcmp(a, "--trace") == 0) {
        o->trace = v;
    } else if (strcmp(a, "--impl") == 0) {
        o->impl = v;
    } else if (strcmp(a, "--screenshot") == 0) {
        o->screenshot = v;
    } else {
        return fl_cli_usage_error("viz", "unknown option %s", a);
    }
    return 0;
}

static int parse_args(int argc, char **argv, viz_opts *o)
{
    memset(o, 0, sizeof *o);
    o->speed = 0.05;
    o->at = -1;
    o->w = 1280;
    o->h = 800;
    o->frames = -1;
    o->select = -1;
    o->svg_from = o->svg_to = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--stats") == 0) {
            o->stats = true;
        } else if (strcmp(a, "--diagram") == 0) {
            o->diagram = true;
        } else if (a[0] != '-') {
            if (o->scenario)
                return fl_cli_usage_error("viz", "more than one scenario given (\"%s\")", a);
            o->scenario = a;
        } else if (i + 1 >= argc) {
            return fl_cli_usage_error("viz", "%s needs a value", a);
        } else if (parse_value(a, argv[++i], o) != 0) {
            return 2;
        }
    }
    if (!o->scenario == !o->trace)
        return fl_cli_usage_error("viz", o->trace ? "give a scenario or --trace FILE, not both"
                                                  : "no scenario given (or --trace FILE)");
    if (o->trace && (o->has_seed || o->impl))
        return fl_cli_usage_error("viz", "--seed and --impl apply to a live run, not to --trace");
    if (o->svg && (o->svg_from < 0 || o->svg_to < 0))
        return fl_cli_usage_error("viz", "--svg needs --from MS and --to MS (the time window)");
    if (o->svg && o->svg_to <= o->svg_from)
        return fl_cli_usage_error("viz", "--to must be after --from");
    if ((o->svg_from >= 0 || o->svg_to >= 0) && !o->svg)
        return fl_cli_usage_error("viz", "--from and --to go with --svg OUT.svg");
    if (o->screenshot && o->at < 0)
        return fl_cli_usage_error("viz", "--screenshot needs --at MS (the simulated time to draw)");
    return 0;
}

/* ---- Position ------------------------------------------------------------------- */

viz_model *viz_app_model(const viz_app *a)
{
    return a->live ? viz_live_model(a->live) : a->trace_model;
}

void viz_app_notice(viz_app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->notice, sizeof a->notice, fmt, ap);
    va_end(ap);
    a->notice_until = SDL_GetTicks64() + 6000;
}

static void check_violation(viz_app *a)
{
    const fl_violation *v = a->live ? viz_live_violation(a->live) : NULL;
    if (v && !a->violation[0])
        snprintf(a->violation, sizeof a->violation, "%s at %.3f ms", v->name,
                 (double)v->time / 1e6);
}

/* Makes sure the live stream reaches t plus the horizon. */
static int ensure_known(viz_app *a, fl_time t)
{
    if (!a->live)
        return 0;
    fl_error err = { { 0 } };
    if (viz_live_advance(a->live, t + VIZ_HORIZON, &err) < 0) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        return -1;
    }
    check_violation(a);
    return 0;
}

static fl_time max_time(const viz_app *a)
{
    const viz_model *m = viz_app_model(a);
    if (a->live && !viz_live_done(a->live))
        return viz_model_end(m);
    return viz_model_last_time(m);
}

int viz_app_seek(viz_app *a, fl_time t)
{
    if (t < 0)
        t = 0;
    if (ensure_known(a, t) < 0)
        return -1;
    fl_time end = max_time(a);
    if (t > end)
        t = end;
    a->t = t;
    a->idx = viz_model_events_until(viz_app_model(a), t);
    return 0;
}

void viz_app_step(viz_app *a, int dir)
{
    const viz_model *m = viz_app_model(a);
    if (dir > 0) {
        if (a->idx >= viz_model_event_count(m))
            (void)ensure_known(a, a->t + FL_MS(1));
        m = viz_app_model(a);
        if (a->idx < viz_model_event_count(m))
            a->idx++;
    } else if (a->idx > 0) {
        a->idx--;
    }
    a->t = a->idx ? viz_model_event(m, a->idx - 1)->t : 0;
    (void)ensure_known(a, a->t);
}

void viz_app_frame(viz_app *a, viz_frame *f)
{
    const viz_model *m = viz_app_model(a);
    viz_model_state_at(m, a->idx, a->st);
    viz_model_state_finish_step(m, a->st);
    memset(f, 0, sizeof *f);
    f->m = m;
    f->st = a->st;
    f->t = a->t;
    f->idx = a->idx;
    f->selected = a->selected;
    f->playing = a->playing;
    f->speed = a->o.speed;
    f->live = a->live != NULL;
    f->known = a->live ? viz_live_now(a->live) : viz_model_last_time(m);
    f->run_over = !a->live || viz_live_done(a->live);
    f->source = a->live ? a->o.scenario : a->o.trace;
    f->verdict = a->live && viz_live_done(a->live) && a->t >= viz_model_last_time(m)
               ? viz_live_verdict(a->live) : NULL;
    f->violation = a->violation[0] ? a->violation : NULL;
    f->notice = a->notice[0] && SDL_GetTicks64() < a->notice_until ? a->notice : NULL;
    f->added = a->added ? cJSON_GetArraySize(a->added) : 0;
    f->help = a->help;
    f->all_events = a->all_events;
    f->diagram = a->diagram;
    f->logs_back = a->logs_back;
    f->ring = !a->logs_not_ring && viz_ring_available(m, a->st, viz_alg_table(m)->ring);
    fl_time span = a->dg_span > 0 ? a->dg_span : DG_SPAN_DEFAULT;
    f->dg_from = a->t - span * 7 / 10;
    if (f->dg_from < 0)
        f->dg_from = 0;
    f->dg_to = f->dg_from + span;
    const viz_event *cur = a->idx ? viz_model_event(m, a->idx - 1) : NULL;
    f->current_msg = cur && (cur->type == FL_TR_SEND || cur->type == FL_TR_DELIVER ||
                             cur->type == FL_TR_DROP || cur->type == FL_TR_DUPLICATE)
                   ? cur->aux : VIZ_NONE;
    f->hash = a->live && viz_live_done(a->live) ? viz_live_hash(a->live) : 0;
    f->chain = a->chain;
    f->chain_len = a->chain ? a->chain_len : 0;
    f->cause = a->cause[0] ? a->cause : NULL;
}

/* ---- Sources --------------------------------------------------------------------- */

int viz_app_restart_live(viz_app *a, fl_error *err)
{
    viz_live_opts lo = { a->o.scenario, a->o.seed, a->o.has_seed, a->o.impl };
    viz_live *fresh = viz_live_open(&lo, a->added, err);
    if (!fresh)
        return -1;
    viz_live_free(a->live);
    a->live = fresh;
    a->violation[0] = '\0';
    free(a->chain);                        /* message indices change */
    a->chain = NULL;
    a->chain_len = 0;
    a->cause[0] = '\0';
    return viz_app_seek(a, a->t);
}

static int open_source(viz_app *a)
{
    fl_error err = { { 0 } };
    if (a->o.trace) {
        a->trace_model = viz_replay_load(a->o.trace, &err);
        if (!a->trace_model) {
            fprintf(stderr, "faultline: %s\n", err.msg);
            return 2;
        }
    } else {
        a->added = cJSON_CreateArray();
        if (!a->added || viz_app_restart_live(a, &err) < 0) {
            fprintf(stderr, "faultline: %s\n", err.msg[0] ? err.msg : "out of memory");
            return 2;
        }
    }
    a->st = viz_state_new(viz_app_model(a));
    if (!a->st) {
        fprintf(stderr, "faultline: out of memory\n");
        return 2;
    }
    return 0;
}

/* The node to show first: --select, else none (the panel summarises). */
static int initial_selection(viz_app *a)
{
    a->selected = FL_NO_NODE;
    if (a->o.select < 0)
        return 0;
    if ((size_t)a->o.select >= viz_model_node_count(viz_app_model(a))) {
        fprintf(stderr, "faultline: --select %ld: the run has %zu nodes (0..%zu)\n",
                a->o.select, viz_model_node_count(viz_app_model(a)),
                viz_model_node_count(viz_app_model(a)) - 1);
        return 2;
    }
    a->selected = (fl_node_id)a->o.select;
    return 0;
}

/* ---- Screenshot -------------------------------------------------------------------- */

static int draw_to_surface(viz_app *a, SDL_Surface *surf)
{
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(surf);
    if (!r) {
        fprintf(stderr, "faultline: cannot create a software renderer: %s\n", SDL_GetError());
        return 2;
    }
    fl_error err = { { 0 } };
    int rc = 0;
    a->gfx.r = r;
    a->gfx.sprites.r = r;
    a->gfx.text = viz_text_new(r, a->lay.s, &err);
    if (!a->gfx.text) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        rc = 2;
    } else {
        viz_frame f;
        viz_app_frame(a, &f);
        viz_render(&a->gfx, &a->lay, &f);
        SDL_RenderPresent(r);
    }
    viz_text_free(a->gfx.text);
    a->gfx.text = NULL;
    viz_geom_free(&a->gfx.geom);
    viz_sprites_free(&a->gfx.sprites);
    SDL_DestroyRenderer(r);
    return rc;
}

static int save_png(SDL_Surface *surf, const char *path)
{
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    if (!tmp)
        return 2;
    snprintf(tmp, len, "%s.partial.%ld.png", path, (long)getpid());
    int rc = 0;
    if (IMG_SavePNG(surf, tmp) != 0) {
        fprintf(stderr, "faultline: %s: cannot write the PNG: %s\n", path, IMG_GetError());
        rc = 2;
    } else if (rename(tmp, path) != 0) {
        fprintf(stderr, "faultline: %s: cannot write: %m\n", path);
        rc = 2;
    }
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int screenshot(viz_app *a)
{
    if (viz_app_seek(a, a->o.at) < 0)
        return 2;
    for (a->script = a->o.keys; a->script && !a->quit;)
        viz_input_script_step(a);        /* e.g. "sL ?" or "@1500 c @1700" */
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, a->o.w, a->o.h, 32,
                                                       SDL_PIXELFORMAT_ARGB8888);
    if (!surf) {
        fprintf(stderr, "faultline: cannot create a %dx%d surface: %s\n", a->o.w, a->o.h,
                SDL_GetError());
        return 2;
    }
    int rc = draw_to_surface(a, surf);
    if (rc == 0)
        rc = save_png(surf, a->o.screenshot);
    SDL_FreeSurface(surf);
    if (rc == 0) {
        char t[32];
        viz_format_time(a->t, t, sizeof t);
        const viz_model *m = viz_app_model(a);
        uint64_t run_events;
        char ran[64] = "";
        if (viz_model_run_events(m, &run_events))       /* the run's own count */
            snprintf(ran, sizeof ran, "; the run: %llu events", (unsigned long long)run_events);
        printf("viz: wrote %s (%dx%d, t = %s, trace record %zu of %zu%s)\n", a->o.screenshot,
               a->o.w, a->o.h, t, a->idx, viz_model_event_count(m), ran);
    }
    return rc;
}

/* ---- Verdict -> cause ---------------------------------------------------------------- */

static uint8_t *fresh_chain(viz_app *a)
{
    free(a->chain);
    a->chain_len = viz_model_msg_count(viz_app_model(a));
    a->chain = calloc(a->chain_len ? a->chain_len : 1, 1);
    return a->chain;
}

static void open_diagram(viz_app *a)
{
    if (a->diagram)
        return;
    a->diagram = true;
    a->lay.wide = true;
    if (viz_layout_init(&a->lay, viz_app_model(a), a->lay.w, a->lay.h) < 0)
        a->quit = true;
}

/* A failed invariant: jump to the event that broke it, select the node
 * that had just stepped, and mark the messages that led there. */
void viz_app_cause_violation(viz_app *a)
{
    const fl_violation *v = a->live ? viz_live_violation(a->live) : NULL;
    if (!v) {
        viz_app_notice(a, "no invariant failed (so far)");
        return;
    }
    if (viz_app_seek(a, v->time) < 0 || !fresh_chain(a))
        return;
    const viz_model *m = viz_app_model(a);
    a->idx = viz_model_events_until(m, v->time);    /* the breaking event included */
    a->selected = v->node;
    a->playing = false;
    size_t n = viz_cause_chain(m, v->node, v->time, 12, a->chain);
    snprintf(a->cause, sizeof a->cause, "%s: %zu messages led here", v->name, n);
    open_diagram(a);
}

/* A client operation (the selected client's last, else the last one that
 * did not end ok): its requests, the replies, and what led to the reply. */
void viz_app_cause_op(viz_app *a)
{
    const viz_model *m = viz_app_model(a);
    size_t pick = SIZE_MAX;
    for (size_t i = viz_model_ops_until(m, a->t); i-- > 0;) {
        const viz_op *o = viz_model_op(m, i);
        if (a->selected != FL_NO_NODE ? o->client == a->selected : o->outcome != FL_HIST_OK) {
            pick = i;
            break;
        }
    }
    if (pick == SIZE_MAX || !fresh_chain(a)) {
        viz_app_notice(a, "no operation to show (select a client)");
        return;
    }
    const viz_op *o = viz_model_op(m, pick);
    size_t n = viz_cause_op(m, pick, 8, a->chain);
    snprintf(a->cause, sizeof a->cause, "op %llu of C%d: %zu messages",
             (unsigned long long)o->id, o->client, n);
    a->selected = o->client;
    open_diagram(a);
}

/* ---- SVG ---------------------------------------------------------------------------- */

static int write_svg(viz_app *a)
{
    if (viz_app_seek(a, a->o.svg_to) < 0)     /* a live run: simulate that far */
        return 2;
    char err[512];
    if (viz_svg_write(viz_app_model(a), a->o.svg, a->o.svg_from, a->o.svg_to, err,
                      sizeof err) < 0) {
        fprintf(stderr, "faultline: %s\n", err);
        return 2;
    }
    printf("viz: wrote %s (space-time diagram, %.3f ms .. %.3f ms)\n", a->o.svg,
           (double)a->o.svg_from / 1e6, (double)a->o.svg_to / 1e6);
    return 0;
}

/* ---- The command ------------------------------------------------------------------------ */

static void app_free(viz_app *a)
{
    if (a->live && viz_live_done(a->live))
        printf("viz: run over, trace hash 0x%016" PRIx64 "\n", viz_live_hash(a->live));
    viz_layout_free(&a->lay);
    viz_state_free(a->st);
    viz_live_free(a->live);
    viz_model_free(a->trace_model);
    cJSON_Delete(a->added);
    free(a->chain);
}

static int run_app(viz_app *a)
{
    int rc = open_source(a);
    if (rc != 0)
        return rc;
    if (viz_layout_init(&a->lay, viz_app_model(a), a->o.w, a->o.h) < 0) {
        fprintf(stderr, "faultline: out of memory\n");
        return 2;
    }
    if (initial_selection(a) != 0)
        return 2;
    a->diagram = a->o.diagram;
    a->dg_span = DG_SPAN_DEFAULT;
    if (a->diagram) {
        a->lay.wide = true;
        if (viz_layout_init(&a->lay, viz_app_model(a), a->o.w, a->o.h) < 0)
            return 2;
    }
    if (a->o.svg)
        return write_svg(a);
    if (a->o.screenshot)
        return screenshot(a);
    if (viz_app_seek(a, a->o.at > 0 ? a->o.at : 0) < 0)
        return 2;
    a->playing = !a->o.keys;
    a->script = a->o.keys;
    return viz_window_run(a);
}

int viz_main(int argc, char **argv)
{
    viz_app a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a.o);
    if (rc != 0)
        return rc;
    if (TTF_Init() != 0) {
        fprintf(stderr, "faultline: cannot start SDL_ttf: %s\n", TTF_GetError());
        return 2;
    }
    IMG_Init(IMG_INIT_PNG);
    rc = run_app(&a);
    app_free(&a);
    IMG_Quit();
    TTF_Quit();
    SDL_Quit();
    return rc;
}
