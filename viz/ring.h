/* ring.h — what the Ring pane shows, worked out from the views alone (no
 * SDL): for an algorithm whose visualizer table describes a hash ring
 * (algorithms/viz_table.h, fl_viz_ring), the joined groups with their
 * virtual nodes, each group's leader and configuration, which group
 * serves each shard, and the shards moving between groups during a
 * configuration change (gained by one group and not yet installed,
 * coming from the group that held them before). Also where things go on
 * the circle. Used by draw_ring.c and checked by the tests. */
#ifndef FL_VIZ_RING_H
#define FL_VIZ_RING_H

#include <stdbool.h>
#include <stdint.h>

#include "algorithms/viz_table.h"
#include "viz/layout.h"
#include "viz/model.h"

#define VIZ_RING_MAX 64            /* groups and shards (bit masks) */

typedef struct viz_ring_group {
    bool       seen;               /* some node reports this group */
    bool       joined;             /* in the newest configuration */
    fl_node_id leader;             /* its live leader, or FL_NO_NODE */
    fl_node_id rep;                /* the node whose view speaks for it */
    int64_t    config;             /* the representative's configuration */
    uint64_t   serving, waiting;   /* the representative's masks */
    uint32_t   members, alive;     /* nodes seen, and of them alive */
} viz_ring_group;

typedef struct viz_ring_shard {
    uint64_t pos;                  /* on the ring */
    int32_t  owner;                /* by the ring of the newest configuration */
    uint64_t owner_pos;            /* the point that owns it */
    int32_t  server;               /* the group serving it, or -1 */
    int32_t  to, from;             /* moving: to the group waiting for it,
                                      from the one that held it (-1 unknown);
                                      to = -1 when not moving */
} viz_ring_shard;

typedef struct viz_ring {
    bool           ok;             /* a ring to draw (the views say its shape) */
    int64_t        config;         /* the newest configuration reported */
    uint64_t       members;        /* groups joined in it */
    fl_node_id     config_leader;  /* leader among the nodes in no group */
    uint32_t       ngroups;        /* 1 + the highest group seen or joined */
    uint32_t       nshards, vnodes;
    viz_ring_group groups[VIZ_RING_MAX];
    viz_ring_shard shards[VIZ_RING_MAX];
    uint32_t       moving;         /* shards with to >= 0 */
} viz_ring;

/* Fills `out` for the state `st` (a crashed node speaks through its last
 * view while alive). out->ok is false if `spec` is NULL or no view has
 * said the ring's shape yet. */
void viz_ring_build(const viz_model *m, const viz_state *st, const fl_viz_ring *spec,
                    viz_ring *out);

/* Whether the views at `st` say the ring's shape (so the Ring pane has
 * something to draw): false with no spec, or for a plug-in of the same
 * algorithm whose views lack those scalars (it keeps the Logs pane). */
bool viz_ring_available(const viz_model *m, const viz_state *st, const fl_viz_ring *spec);

/* The owner of position `pos` on the ring of the groups in `members`,
 * `vnodes` points each: the first point at or after it, clockwise, ties
 * by (group, vnode); -1 for an empty ring. `at` (may be NULL) gets the
 * owning point's position. */
int32_t viz_ring_owner(const fl_viz_ring *spec, uint64_t members, uint32_t vnodes,
                       uint64_t pos, uint64_t *at);

/* Where the pane draws it: the ring's centre and radius in a pane (the
 * Logs pane's rectangle) at scale s, between its title and its key. */
typedef struct viz_ring_geo {
    float cx, cy, r, s;
} viz_ring_geo;

viz_ring_geo viz_ring_place(const viz_rect *pane, float s);
/* Position `pos` at `k` times the radius (1: on the ring). */
void viz_ring_xy(const viz_ring_geo *g, uint64_t pos, float k, float *x, float *y);
/* The centre of group g's hub (inside the ring, groups evenly spaced). */
void viz_ring_hub(const viz_ring_geo *g, uint32_t group, uint32_t ngroups, float *x,
                  float *y);
/* The hub's radius. */
float viz_ring_hub_r(const viz_ring_geo *g, uint32_t ngroups);

/* A ring position as an angle in radians, clockwise from 12 o'clock. */
static inline float viz_ring_angle(uint64_t pos)
{
    return (float)((double)pos * (6.283185307179586 / 18446744073709551616.0));
}

#endif
