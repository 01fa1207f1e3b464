/* diagram.h — the space-time diagram: one line per node, time to the
 * right, each message an arrow from its send to its delivery (a dropped
 * one a stub ending in a cross), crashes and pauses as bands on the
 * node's line, partitions as bands across the diagram. Built as a list of
 * plain shapes for a time window, so the same diagram is drawn in the
 * window (draw_diagram.c) and written as SVG (svg.c). Knows no SDL; the
 * cost of a build depends on the messages in the window, not on the
 * simulated time before it. */
#ifndef FL_VIZ_DIAGRAM_H
#define FL_VIZ_DIAGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viz/layout.h"
#include "viz/model.h"
#include "viz/theme.h"

typedef enum viz_dg_kind {
    VIZ_DG_RECT,       /* filled (x0,y0)-(x1,y1) */
    VIZ_DG_LINE,       /* (x0,y0)-(x1,y1) */
    VIZ_DG_ARROW,      /* a line with a head at (x1,y1) */
    VIZ_DG_CROSS,      /* a small x at (x1,y1) */
    VIZ_DG_TEXT        /* text at (x0,y0), left aligned (right if x1 < 0) */
} viz_dg_kind;

typedef struct viz_dg_item {
    uint8_t  kind;     /* viz_dg_kind */
    uint8_t  dashed;
    uint8_t  small;    /* small text */
    float    width;
    float    x0, y0, x1, y1;
    viz_rgba c;
    uint32_t text;     /* offset into the diagram's strings, or VIZ_NONE */
} viz_dg_item;

typedef struct viz_diagram {
    viz_dg_item *items;
    size_t       n, cap;
    char        *str;
    size_t       nstr, str_cap;
    size_t       msgs;       /* messages drawn */
    bool         capped;     /* more messages in the window than drawn */
} viz_diagram;

/* What to draw. `chain`, if set, marks messages (by index) to emphasise. */
typedef struct viz_dg_in {
    viz_rect    r;
    fl_time     from, to;    /* the time window */
    fl_time     now;         /* the shown position (a vertical line) */
    size_t      idx;         /* events applied at `now` */
    fl_node_id  selected;
    uint32_t    current_msg; /* the message of the current event, or VIZ_NONE */
    const uint8_t *chain;    /* per message index, 1 to emphasise; or NULL */
    size_t      chain_len;   /* entries in chain */
    size_t      max_msgs;    /* cap on arrows (0: 6000) */
    float       s;           /* scale */
} viz_dg_in;

void viz_diagram_init(viz_diagram *d);
void viz_diagram_free(viz_diagram *d);
/* Rebuilds `d` for `in`; -1 when out of memory. */
int  viz_diagram_build(viz_diagram *d, const viz_model *m, const viz_dg_in *in);
const char *viz_diagram_str(const viz_diagram *d, uint32_t off);

/* Time at x inside the diagram's track, and back. */
fl_time viz_diagram_time_at(const viz_dg_in *in, float x);
float   viz_diagram_x_of(const viz_dg_in *in, fl_time t);

/* Writes the diagram of [from, to] as an SVG file; 0, or -1 with `err`. */
int viz_svg_write(const viz_model *m, const char *path, fl_time from, fl_time to,
                  char *err, size_t errlen);

#endif
