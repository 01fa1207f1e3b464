/* model_internal.h — the model's insides, shared by the files of the
 * model and nobody else: model.c (life cycle, strings, adding events),
 * model_msg.c (messages and their kinds), model_ops.c (client ops and
 * timeline marks), model_state.c (views, partitions, state, keyframes)
 * and model_log.c (log entries and election timers). */
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
    uint64_t      run_events;   /* the engine's event count ... */
    bool          has_run_events;  /* ... once the end line said it */
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
    fl_idmap      flying_by_id; /* id -> first flying message */
    viz_ulist     flying;       /* maybe-flying messages (lazily compacted) */
    size_t        flying_done;
    viz_msgindex  ended;        /* ended messages by time */
    int64_t       entry_writes; /* log slot writes so far (bounded) */

    viz_op       *ops;
    size_t        nops, ops_cap;
    fl_idmap      op_by_id;
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

/* Each indexes one event before it is appended at m->nev (the head state
 * is still the state before it); -1 when out of memory. */

/* model_msg.c: a send or duplicate starts a message (*out its index); a
 * delivery or drop ends the first flying one with the event's id (its
 * index, or VIZ_NONE if none flies). */
int      viz_msg_new(viz_model *m, const viz_event *ev, const viz_msg_fields *f,
                     bool dup, uint32_t *out);
uint32_t viz_msg_finish(viz_model *m, const viz_event *ev, viz_msg_end how,
                        viz_drop_reason why);

/* model_ops.c: an invoke opens an op, a completion closes it (*aux the
 * op's index, untouched for an unknown op); faults and new leaders mark
 * the timeline. */
int viz_op_event(viz_model *m, const viz_event *ev, uint32_t *aux);
int viz_marks_on_event(viz_model *m, const viz_event *ev);

/* model_state.c: the view and partition pools (VIZ_NONE when out of
 * memory or absent), applying one event to a state, and a keyframe of
 * the head state. */
int      viz_view_add(viz_model *m, const viz_view_in *in, uint32_t *out);
uint32_t viz_partition_add(viz_model *m, const int32_t *groups);
void     viz_state_apply(const viz_model *m, viz_state *st, const viz_event *ev);
int      viz_keyframe_push(viz_model *m);

/* model_log.c: bookkeeping run as each event is added (head state is the
 * state before `ev` is applied). */
int  viz_log_on_event(viz_model *m, const viz_event *ev, uint32_t aux_view);
void viz_log_free(viz_node_rec *n);

#endif
