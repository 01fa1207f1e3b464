/* model_internal.h — the model's insides, shared by model.c (events,
 * views, messages, ops, marks, keyframes) and model_log.c (log entries and
 * election timers) and nobody else. */
#ifndef FL_VIZ_MODEL_INTERNAL_H
#define FL_VIZ_MODEL_INTERNAL_H

#include "viz/model.h"
#include "viz/msgindex.h"
#include "viz/vec.h"

#define VIZ_TERM_GONE INT64_MIN     /* a truncated entry */
#define VIZ_TERM_UNKNOWN (-1)

typedef struct viz_ulist {
    uint32_t *v;
    size_t    n, cap;
} viz_ulist;

typedef struct viz_log_write {
    fl_time t;
    int64_t term;
} viz_log_write;

typedef struct viz_log_slot {
    viz_log_write *w;
    size_t         n, cap;
} viz_log_slot;

typedef struct viz_reset {
    fl_time t;
    bool    fire;              /* the election timer fired here */
} viz_reset;

typedef struct viz_tpoint {
    fl_time t;
    int64_t v;
} viz_tpoint;

/* Everything the model keeps about one node beyond the events. */
typedef struct viz_node_rec {
    char          *role;
    bool           primary;
    viz_log_slot  *slots;      /* indexed by log index */
    size_t         nslots, slots_cap;
    int64_t        hi;         /* highest index present now, 0 none */
    viz_reset     *resets;
    size_t         nresets, resets_cap;
    viz_tpoint    *durable;
    size_t         ndurable, durable_cap;
} viz_node_rec;

struct viz_model {
    size_t        nnodes;
    viz_node_rec *nodes;
    char         *algorithm, *scenario;
    uint64_t      seed;
    fl_time       end;          /* planned, or -1 */
    bool          exact_entries;

    viz_event    *ev;
    size_t        nev, ev_cap;
    char         *text;
    size_t        ntext, text_cap;
    viz_view     *views;
    size_t        nviews, views_cap;
    int64_t      *ints;
    size_t        nints, ints_cap;
    viz_scalar   *scal;
    size_t        nscal, scal_cap;
    int32_t      *groups;       /* partition group_of arrays */
    size_t        ngroups, groups_cap;

    /* interned strings: open addressing over `interned` */
    char        **intern;
    size_t        intern_cap, intern_len;

    const char  **kinds;        /* message kinds, in order of first sight */
    size_t        nkinds, kinds_cap;
    uint8_t       kind_slot[256];  /* colour slot of the first 256 kinds */
    uint16_t      slots_used;      /* bit i: colour slot i taken */
    viz_msg      *msgs;
    size_t        nmsgs, msgs_cap;
    viz_idmap     flying_by_id; /* id -> first flying message */
    viz_ulist     flying;       /* maybe-flying messages (lazily compacted) */
    size_t        flying_done;
    viz_msgindex  ended;        /* ended messages by time */
    int64_t       entry_writes; /* log slot writes so far (bounded) */

    viz_op       *ops;
    size_t        nops, ops_cap;
    viz_idmap     op_by_id;
    viz_mark     *marks;
    size_t        nmarks, marks_cap;
    viz_mark     *plans;        /* the scenario's faults, for live runs */
    size_t        nplans, plans_cap;

    viz_state    *head;         /* after all events */
    viz_node_state *key_nodes;  /* keyframe k at k * nnodes */
    uint8_t      *key_links;    /* keyframe k at k * nnodes^2 */
    size_t        nkeys, key_nodes_cap, key_links_cap;

    /* election timers */
    bool          has_election_timers;
    fl_time       timeout_cfg;  /* from the scenario, or -1 */
    fl_time      *intervals;    /* reset -> fire, for the learned timeout */
    size_t        nintervals, intervals_cap;
    fl_time       timeout_learned;  /* 90th percentile, or 0 */
};

const char *viz_intern(viz_model *m, const char *s);

/* model_log.c: bookkeeping run as each event is added (head state is the
 * state before `ev` is applied). */
int  viz_log_on_event(viz_model *m, const viz_event *ev, uint32_t aux_view);
void viz_log_free(viz_node_rec *n);

#endif
