/* layout.h — where everything goes for a window size: the cluster ring
 * (servers on a circle, other roles on an outer circle), the log rows,
 * the side panel, the timeline and the status bar, all scaled from a
 * 1280x800 design. Also the hit tests for clicks. */
#ifndef FL_VIZ_LAYOUT_H
#define FL_VIZ_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "viz/model.h"

typedef struct viz_rect {
    float x, y, w, h;
} viz_rect;

typedef struct viz_layout {
    int        w, h;
    float      s;              /* scale against 1280x800 */
    viz_rect   cluster, logs, panel, timeline, status;
    float      cx, cy, ring_r, outer_r;
    size_t     nnodes;
    float     *nx, *ny, *nr;   /* node centres and radii */
    float     *angle;          /* of each node around the centre */
    fl_node_id *rows;          /* nodes with a log row, in order */
    size_t     nrows;          /* rows shown (as many as fit) */
    size_t     nservers;       /* nodes that would have a row */
    float      row_h;
    bool       dense;          /* many servers: fewer labels and links */
    bool       wide;           /* a smaller cluster, a wider right pane
                                  (the space-time diagram); kept by init */
} viz_layout;

/* -1 when out of memory. Call again after a resize. */
int  viz_layout_init(viz_layout *l, const viz_model *m, int w, int h);
void viz_layout_free(viz_layout *l);

static inline bool viz_in_rect(const viz_rect *r, float x, float y)
{
    return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

/* The node drawn at (x, y), or FL_NO_NODE. */
fl_node_id viz_layout_node_at(const viz_layout *l, float x, float y);
/* Simulated time under x on the timeline, clamped to [0, end]. */
fl_time    viz_layout_time_at(const viz_layout *l, float x, fl_time end);
float      viz_layout_x_of(const viz_layout *l, fl_time t, fl_time end);

/* A short name: "S0" for servers, "C5" for clients, "N7" otherwise. */
void viz_node_name(const viz_model *m, fl_node_id node, char *buf, size_t len);
/* "12.345 s" or "345.678 ms". */
void viz_format_time(fl_time t, char *buf, size_t len);

#endif
