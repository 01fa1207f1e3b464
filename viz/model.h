/* model.h — the visualizer's recorded stream of a run. Every trace event
 * (from a live engine or from a trace file) is kept in compact form, with
 * the indexes drawing needs: messages with their send and end, client
 * operations, timeline marks (faults, elections), per-node log entries
 * over time, election-timer resets, and keyframes of node and link state
 * every VIZ_KEY_EVERY events so the state at any point is rebuilt fast.
 * Seeking and stepping back only ever read this stream: nothing here
 * snapshots an algorithm's memory. Knows nothing about SDL. */
#ifndef FL_VIZ_MODEL_H
#define FL_VIZ_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "sim/trace.h"

#define VIZ_NONE UINT32_MAX
#define VIZ_KEY_EVERY 512
/* How long a dropped message's mark stays on screen (simulated time). */
#define VIZ_DROP_LINGER FL_MS(40)
/* The latest time a trace event may carry (about 146 years). */
#define VIZ_TIME_MAX (INT64_C(1) << 62)

/* A node's view, as the trace records it. Arrays live in the model's pools. */
typedef struct viz_view {
    fl_view_kind kind;
    const char  *label;        /* interned, or NULL */
    int64_t      term;
    fl_node_id   leader, voted_for;
    int64_t      log_first, log_last, commit, applied;
    uint32_t     match, next;  /* offsets into the int pool, or VIZ_NONE */
    uint32_t     votes;        /* offset into the int pool, or VIZ_NONE */
    uint32_t     scalars;      /* offset into the scalar pool */
    uint8_t      nscalars;
} viz_view;

typedef struct viz_scalar {
    const char *name;          /* interned */
    int64_t     value;
} viz_scalar;

typedef struct viz_event {
    fl_time       t;
    fl_trace_type type;
    fl_node_id    node, peer;
    uint64_t      id;
    int64_t       a, b;
    uint32_t      text;        /* offset into the text pool, or VIZ_NONE */
    uint32_t      aux;         /* view, message, op or partition index */
} viz_event;

typedef enum viz_msg_end {
    VIZ_MSG_FLYING,            /* not delivered or dropped (yet) */
    VIZ_MSG_DELIVERED,
    VIZ_MSG_DROPPED
} viz_msg_end;

/* Why a message was dropped (the trace's "reason" field). */
typedef enum viz_drop_reason {
    VIZ_DROP_UNKNOWN,
    VIZ_DROP_PARTITION,
    VIZ_DROP_LOSS,
    VIZ_DROP_NODE_DOWN,
    VIZ_DROP_SENDER_CRASHED,
    VIZ_DROP_NO_MEMORY,
    VIZ_DROP_MANUAL            /* by hand (manual delivery, a schedule) */
} viz_drop_reason;

/* The trace's code ("partition") from a reason, and back. */
const char     *viz_drop_reason_code(viz_drop_reason r);
viz_drop_reason viz_drop_reason_parse(const char *code);

typedef struct viz_msg {
    fl_time     t0, t1;        /* sent; delivered or dropped (t1 valid if ended) */
    uint32_t    ev0, ev1;      /* event indices (ev1 VIZ_NONE while flying) */
    fl_node_id  from, to;
    uint16_t    kind;          /* index into the kind table */
    int8_t      reply, ok;     /* ok: 1, 0, -1 n/a */
    uint8_t     end;           /* viz_msg_end */
    uint8_t     dup;           /* a duplicate made by the network */
    int64_t     term;
    uint8_t     why;           /* viz_drop_reason (dropped messages) */
    uint32_t    next_same;     /* chain of flying messages with one id */
    uint64_t    id;
} viz_msg;

typedef struct viz_op {
    uint64_t    id;
    fl_node_id  client;
    fl_op_kind  kind;
    int64_t     arg;
    fl_time     t0, t1;        /* t1 -1 while open */
    int         outcome;       /* fl_hist_type of the completion, -1 open */
    int64_t     value;
} viz_op;

typedef enum viz_mark_kind {
    VIZ_MARK_FAULT,            /* crash, restart, pause, partition, ... */
    VIZ_MARK_LEADER,           /* a node became leader */
    VIZ_MARK_VIOLATION         /* an invariant failed here */
} viz_mark_kind;

typedef struct viz_mark {
    fl_time        t;
    viz_mark_kind  kind;
    fl_trace_type  type;       /* the event type for faults */
    fl_node_id     node;
    int64_t        term;       /* leaders */
    uint32_t       ev;
} viz_mark;

/* Link state bits, per directed link (from * n + to). */
enum { VIZ_LINK_SPLIT = 1, VIZ_LINK_CUT = 2, VIZ_LINK_LOSSY = 4 };

typedef struct viz_node_state {
    uint32_t view;             /* index into the views, or VIZ_NONE */
    uint32_t live_view;        /* the last view while alive (a crashed
                                  node's log as it was), or VIZ_NONE */
    bool     alive, booted, paused;
} viz_node_state;

/* The state after the first `idx` events. */
typedef struct viz_state {
    size_t          idx;
    size_t          nnodes;
    viz_node_state *nodes;
    uint8_t        *links;     /* nnodes * nnodes */
} viz_state;

/* An election timer as the trace lets us reconstruct it. */
typedef struct viz_timer_arc {
    bool    armed;             /* the node is a follower or candidate */
    bool    exact;             /* the deadline is the recorded firing */
    fl_time start, deadline;
} viz_timer_arc;

/* One log entry of one node as of some time. */
typedef struct viz_entry {
    bool     known;            /* false: the term is not recorded */
    int64_t  term;
} viz_entry;

typedef struct viz_model viz_model;

/* `roles[i]` is node i's role; `primary` is the servers' role (drawn on
 * the ring). Strings are copied. NULL when out of memory. */
viz_model *viz_model_new(size_t nnodes, const char *const *roles,
                         const char *algorithm, const char *scenario,
                         uint64_t seed);
void viz_model_free(viz_model *m);

/* ---- Feeding ------------------------------------------------------------ */

/* Appends one event (times must not decrease). `msg_kind`, `text` are
 * copied; `view` is required for FL_TR_VIEW and copied. `msg` gives the
 * message fields for send/deliver/drop/duplicate. -1 when out of memory
 * or the event is inconsistent (`err` says why). */
typedef struct viz_msg_fields {
    const char *kind;
    bool        reply;
    int         ok;            /* -1 n/a */
    int64_t     term;          /* -1 none */
    viz_drop_reason reason;    /* drops */
    /* Structured fault detail, for any event type: */
    const int32_t *groups;     /* partition: group of each node (node
                                  count entries, -1 - id alone), or NULL */
    unsigned    link_flags;    /* link: FL_TRACE_LINK_SYMMETRIC | _CUT */
} viz_msg_fields;

/* A view as parsed or taken from the engine; arrays have `npeers` entries. */
typedef struct viz_view_in {
    fl_view_kind  kind;
    const char   *label;
    int64_t       term;
    fl_node_id    leader, voted_for;
    int64_t       log_first, log_last, commit, applied;
    size_t        npeers;
    const int64_t *match, *next, *votes;   /* NULL if absent */
    size_t        nscalars;
    const char   *scalar_names[FL_VIEW_MAX_SCALARS];
    int64_t       scalar_values[FL_VIEW_MAX_SCALARS];
} viz_view_in;

int viz_model_add(viz_model *m, const viz_event *ev, const viz_msg_fields *msg,
                  const char *text, const viz_view_in *view,
                  char *err, size_t errlen);
/* Log entry `index` of `node` holds `term` from time `t` on. */
int viz_model_set_entry(viz_model *m, fl_node_id node, fl_time t,
                        int64_t index, int64_t term);
/* Entries above `last` of `node` are gone from time `t` on. */
int viz_model_truncate(viz_model *m, fl_node_id node, fl_time t, int64_t last);
/* Entries of `node` up to `index` are durable from `t` on. */
int viz_model_set_durable(viz_model *m, fl_node_id node, fl_time t,
                          int64_t index);
/* Entry terms are recorded exactly (live), else inferred from views. */
void viz_model_set_exact_entries(viz_model *m, bool exact);
void viz_model_add_violation(viz_model *m, fl_time t, fl_node_id node);
/* The election timeout's upper bound if the scenario says (else learned). */
void viz_model_set_election_timeout(viz_model *m, fl_time max);
/* A fault the scenario plans at `t` (drawn ahead of a live run). */
int viz_model_plan(viz_model *m, fl_time t, fl_trace_type type);
/* The planned end of the run (for the timeline); defaults to the last event. */
void viz_model_set_end(viz_model *m, fl_time end);

/* ---- Reading ------------------------------------------------------------ */

size_t      viz_model_node_count(const viz_model *m);
const char *viz_model_role(const viz_model *m, fl_node_id node);
bool        viz_model_is_primary(const viz_model *m, fl_node_id node);
const char *viz_model_algorithm(const viz_model *m);
const char *viz_model_scenario(const viz_model *m);
uint64_t    viz_model_seed(const viz_model *m);
fl_time     viz_model_end(const viz_model *m);       /* planned or last */
fl_time     viz_model_last_time(const viz_model *m); /* of the last event */
bool        viz_model_exact_entries(const viz_model *m);
/* The run's own event count (the engine's events, as `faultline run`
 * prints it; the trace's records are more), from the trace's end line;
 * false while unknown (not reached yet, or a trace without it). */
bool        viz_model_run_events(const viz_model *m, uint64_t *out);
void        viz_model_set_run_events(viz_model *m, uint64_t events);

size_t           viz_model_event_count(const viz_model *m);
const viz_event *viz_model_event(const viz_model *m, size_t i);
const char      *viz_model_text(const viz_model *m, uint32_t off);
/* Number of events with time <= t. */
size_t           viz_model_events_until(const viz_model *m, fl_time t);

const viz_view   *viz_model_view(const viz_model *m, uint32_t i);
/* match/next/votes arrays of a view: node_count entries, or NULL. */
const int64_t    *viz_model_ints(const viz_model *m, uint32_t off);
const viz_scalar *viz_model_scalars(const viz_model *m, const viz_view *v);
/* A named scalar of a view; false if absent. */
bool viz_view_scalar(const viz_model *m, const viz_view *v, const char *name,
                     int64_t *out);

size_t         viz_model_msg_count(const viz_model *m);
const viz_msg *viz_model_msg(const viz_model *m, uint32_t i);
const char    *viz_model_kind_name(const viz_model *m, uint16_t kind);
size_t         viz_model_kind_count(const viz_model *m);
/* The colour slot of a kind (theme.h viz_kind_slot_color): the kind's
 * preferred slot unless an earlier kind took it, else the first free. */
unsigned       viz_model_kind_slot(const viz_model *m, uint16_t kind);
/* Calls `fn` for every message on screen at (t, idx): flying, or dropped
 * less than VIZ_DROP_LINGER ago. */
void viz_model_msgs_at(const viz_model *m, fl_time t, size_t idx,
                       void (*fn)(void *arg, const viz_msg *msg), void *arg);

/* Calls `fn` once for every message whose flight overlaps [from, to]
 * (ended ones through the time buckets, then those never ended), until
 * `fn` returns false. Cost follows the messages in the window. */
void viz_model_msgs_between(const viz_model *m, fl_time from, fl_time to,
                            bool (*fn)(void *arg, uint32_t i, const viz_msg *msg),
                            void *arg);
/* Index of the first mark at or after t. */
size_t viz_model_marks_from(const viz_model *m, fl_time t);

size_t        viz_model_op_count(const viz_model *m);
const viz_op *viz_model_op(const viz_model *m, size_t i);
/* Number of ops invoked at or before t. */
size_t        viz_model_ops_until(const viz_model *m, fl_time t);

size_t          viz_model_plan_count(const viz_model *m);
const viz_mark *viz_model_planned(const viz_model *m, size_t i);
size_t          viz_model_mark_count(const viz_model *m);
const viz_mark *viz_model_mark(const viz_model *m, size_t i);
/* The group of each node in partition event `ev` (aux), or NULL. */
const int32_t  *viz_model_partition(const viz_model *m, const viz_event *ev);

/* State after the first `idx` events; `st` from viz_state_new. */
viz_state *viz_state_new(const viz_model *m);
void       viz_state_free(viz_state *st);
void       viz_model_state_at(const viz_model *m, size_t idx, viz_state *st);
/* Moves `st` forward to `idx` by applying events (backwards: state_at). */
void       viz_model_state_advance(const viz_model *m, viz_state *st, size_t idx);

/* The engine records a node's view once its step is over, after the
 * messages the step sent: shown in the middle of a step, the node would
 * still look as before it (a new leader drawn as a candidate while its
 * heartbeats leave). This applies the view that ends the current step,
 * if there is one. */
void       viz_model_state_finish_step(const viz_model *m, viz_state *st);

viz_timer_arc viz_model_election_timer(const viz_model *m, fl_node_id node,
                                       fl_time t, const viz_state *st);
/* Entry `index` of `node` at time t. */
viz_entry viz_model_entry(const viz_model *m, fl_node_id node, fl_time t,
                          int64_t index);
/* Highest durable index of `node` at t from recorded flags, or -1. */
int64_t   viz_model_durable(const viz_model *m, fl_node_id node, fl_time t);

#endif
