/* viz.h — the visualizer as a command: options, the source (a live run
 * or a trace), the position shown, and the two ways to show it (a window,
 * or one frame written as PNG). `viz_app` is the whole state of a session;
 * there are no globals. */
#ifndef FL_VIZ_VIZ_H
#define FL_VIZ_VIZ_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>
#include <cjson/cJSON.h>

#include "viz/draw.h"
#include "viz/layout.h"
#include "viz/live.h"
#include "viz/model.h"

/* How far ahead of the screen a live engine runs (messages sent before
 * the shown time have their delivery known, election deadlines too). */
#define VIZ_HORIZON FL_MS(600)

/* The space-time pane's window when it opens, and its limits. */
#define DG_SPAN_DEFAULT FL_MS(400)
/* Logs pane columns scrolled by PgUp / PgDn, and by one wheel notch. */
#define VIZ_LOGS_PAGE  10
#define VIZ_LOGS_WHEEL 2
#define DG_SPAN_MIN FL_MS(1)
#define DG_SPAN_MAX FL_SEC(3600)

typedef struct viz_opts {
    const char *scenario, *trace, *impl, *screenshot, *svg;
    fl_time     svg_from, svg_to;  /* --from / --to (ms on the CLI), -1 unset */
    bool        diagram;       /* start with the space-time diagram open */
    uint64_t    seed;
    bool        has_seed;
    double      speed;         /* simulated seconds per wall second */
    fl_time     at;            /* start (or screenshot) time, -1 none */
    int         w, h;
    long        frames;        /* -1: run until closed */
    long        select;        /* node selected at start, -1 none */
    const char *keys;          /* scripted input (tests), or NULL */
    bool        stats;
} viz_opts;

typedef struct viz_app {
    viz_opts    o;
    viz_live   *live;          /* NULL when replaying */
    viz_model  *trace_model;   /* owned when replaying */
    cJSON      *added;         /* faults added by hand (live) */
    viz_state  *st;
    viz_layout  lay;
    viz_gfx     gfx;
    fl_time     t;
    size_t      idx;
    fl_node_id  selected;
    bool        playing, help, all_events, dragging, quit;
    bool        diagram;       /* the space-time pane replaces the logs */
    bool        logs_not_ring; /* key g: the Logs pane, not the Ring pane */
    fl_time     dg_span;       /* its time window */
    int64_t     logs_back;     /* Logs pane: columns scrolled back from the newest */
    uint8_t    *chain;         /* messages to emphasise (cause links), or NULL */
    size_t      chain_len;
    char        cause[160];    /* what the chain shows */
    char        notice[200];
    uint64_t    notice_until;  /* SDL ticks */
    char        violation[160];
    const char *script;        /* the rest of --keys */
} viz_app;

/* `faultline viz` (argv[0] is "viz"). Exit status as for run. */
int viz_main(int argc, char **argv);

/* ---- Shared by viz.c and window.c ------------------------------------------- */

viz_model *viz_app_model(const viz_app *a);
/* Moves the shown position to time t (all events up to t applied). */
int  viz_app_seek(viz_app *a, fl_time t);
/* Moves by one event (+1 / -1). */
void viz_app_step(viz_app *a, int dir);
/* The frame description for the current position. */
void viz_app_frame(viz_app *a, viz_frame *f);
/* Verdict -> cause: `v` a failed invariant, `o` a client operation. */
void viz_app_cause_violation(viz_app *a);
void viz_app_cause_op(viz_app *a);
/* (Re)starts the live run with a->added; keeps the position. */
int  viz_app_restart_live(viz_app *a, fl_error *err);
void viz_app_notice(viz_app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* input.c: a key press; the next token of the --keys script (sets
 * a->script to NULL at its end). */
void viz_input_key(viz_app *a, SDL_Keycode key, bool shift);
/* Zooms the space-time pane by `factor` (2 out, 0.5 in). */
void viz_input_zoom(viz_app *a, double factor);
/* Scrolls the Logs pane `cols` columns back (older; negative: newer),
 * never past index 1 or before the newest entry. */
void viz_input_scroll_logs(viz_app *a, int64_t cols);
void viz_input_script_step(viz_app *a);

/* window.c: the interactive loop. */
int viz_window_run(viz_app *a);

#endif
