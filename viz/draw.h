/* draw.h — turning one moment of the model into pixels. A viz_frame says
 * what to show (the model, the state at the shown position, selection,
 * playback status); the draw_* modules each own one part of the screen:
 * the cluster (draw_cluster.c), the log rows (draw_logs.c) or the hash
 * ring in their place (draw_ring.c), the side
 * panel (panel.c), the timeline and status bar (timeline.c). */
#ifndef FL_VIZ_DRAW_H
#define FL_VIZ_DRAW_H

#include <SDL.h>
#include <stdbool.h>

#include "viz/geom.h"
#include "viz/layout.h"
#include "viz/model.h"
#include "viz/sprite.h"
#include "viz/text.h"

/* The drawing context. Shapes are batched in `geom`; text flushes them
 * first so the painter's order holds. */
typedef struct viz_gfx {
    SDL_Renderer *r;
    viz_geom      geom;
    viz_text     *text;
    viz_sprites   sprites;    /* its renderer is r */
} viz_gfx;

typedef struct viz_frame {
    const viz_model *m;
    const viz_state *st;       /* after the first `idx` events */
    fl_time          t;        /* the simulated time shown */
    size_t           idx;
    fl_node_id       selected; /* FL_NO_NODE: none */
    bool             playing;
    double           speed;    /* simulated seconds per wall second */
    bool             live;
    fl_time          known;    /* how far the stream goes (live: engine time) */
    bool             run_over; /* the run (or the trace) ended */
    const char      *source;   /* scenario path or trace file */
    const char      *verdict;  /* after a live run, else NULL */
    const char      *violation;/* an invariant that failed, else NULL */
    const char      *notice;   /* a transient message, else NULL */
    int              added;    /* faults added by hand */
    bool             help;
    bool             all_events; /* panel: every node's events */
    bool             diagram;  /* the space-time pane instead of the logs */
    bool             ring;     /* the Ring pane instead of the logs (an
                                  algorithm on a hash ring, key g) */
    fl_time          dg_from, dg_to;
    int64_t          logs_back;  /* Logs pane: columns scrolled back (0: newest) */
    uint32_t         current_msg; /* the message of event idx-1, or VIZ_NONE */
    const uint8_t   *chain;    /* per message: 1 on the highlighted chain */
    size_t           chain_len;
    const char      *cause;    /* what the chain shows, or NULL */
    uint64_t         hash;     /* the trace hash once a live run ended, else 0 */
} viz_frame;

/* Text through the batch (flushes shapes first). */
int viz_gfx_text(viz_gfx *g, viz_font f, const char *s, float x, float y,
                 viz_rgba c, viz_align align);
int viz_gfx_text_mid(viz_gfx *g, viz_font f, const char *s, float x, float y,
                     viz_rgba c, viz_align align);

/* Text cut to fit `maxw`. */
int viz_gfx_text_fit(viz_gfx *g, viz_font f, const char *s, float x, float y,
                     float maxw, viz_rgba c);
/* Text broken at spaces into lines of at most `maxw`; returns the lines. */
int viz_gfx_text_wrap(viz_gfx *g, viz_font f, const char *s, float x, float y,
                      float maxw, float line_h, viz_rgba c);

/* The current view of a node, or NULL. */
const viz_view *viz_frame_view(const viz_frame *f, fl_node_id node);
/* The node that leads with the highest term among live nodes, or FL_NO_NODE. */
fl_node_id viz_frame_leader(const viz_frame *f);

void viz_draw_cluster(viz_gfx *g, const viz_layout *l, const viz_frame *f);
void viz_draw_logs(viz_gfx *g, const viz_layout *l, const viz_frame *f);
void viz_draw_diagram(viz_gfx *g, const viz_layout *l, const viz_frame *f);
void viz_draw_ring(viz_gfx *g, const viz_layout *l, const viz_frame *f);
void viz_draw_panel(viz_gfx *g, const viz_layout *l, const viz_frame *f);
void viz_draw_timeline(viz_gfx *g, const viz_layout *l, const viz_frame *f);
void viz_draw_help(viz_gfx *g, const viz_layout *l);

/* Everything, in order, onto the renderer's target. */
void viz_render(viz_gfx *g, const viz_layout *l, const viz_frame *f);

#endif
