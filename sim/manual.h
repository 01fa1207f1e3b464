/* manual.h — manual delivery: the engine with its queue turned into a pool
 * of pending events that a caller picks from, one at a time. Messages wait
 * until someone delivers or drops them; timers fire only when ticked;
 * boots and restarts happen at once. Time moves forward to the time of the
 * event fired (never back), so a node's clock and timers stay meaningful.
 * The interaction tests drive it from text files (tests/interaction/), and
 * systematic search can drive it from a list of choices. Owns nothing but
 * the pool; borrows the engine. */
#ifndef FL_MANUAL_H
#define FL_MANUAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/engine.h"

typedef struct fl_manual fl_manual;

typedef enum fl_pending_kind {
    FL_PENDING_MESSAGE,
    FL_PENDING_TIMER
} fl_pending_kind;

/* One pending event, as a caller sees it. */
typedef struct fl_pending {
    fl_pending_kind kind;
    uint64_t        id;          /* message id (equal for duplicates) or timer id */
    fl_node_id      from, to;    /* message: sender and receiver */
    fl_node_id      node;        /* timer: its node; message: the receiver */
    fl_timer_kind   timer_kind;  /* timer: its kind */
    fl_time         at;          /* when it would fire on its own */
    const char     *what;        /* message kind ("AppendEntries", "Request",
                                    "Reply") or timer kind ("election") */
    bool            is_reply;
    int             ok;          /* reply: 1, 0, or -1 (n/a) */
    int64_t         term;        /* -1 if none */
    bool            client;      /* a client's "Request" or its "Reply" */
    fl_request      request;     /* "Request": the client operation */
    fl_status       status;      /* "Reply": the client's answer ... */
    int64_t         value;
    fl_node_id      hint;
} fl_pending;

/* A timer kind's name ("election", "heartbeat", "retry", "lease", "tick",
 * "other"), as pending timers show it; "?" out of range. */
const char *fl_manual_timer_kind_name(fl_timer_kind k);

/* Takes over `e` (borrowed; nothing may have stepped yet) and boots every
 * node. NULL if out of memory. */
fl_manual *fl_manual_new(fl_engine *e);
void fl_manual_free(fl_manual *m);

/* Pending messages and live timers, oldest first. Valid until the next
 * call that changes the pool. */
size_t fl_manual_count(const fl_manual *m);
const fl_pending *fl_manual_at(const fl_manual *m, size_t i);

/* Fires pending event `i`. Returns 1 if it reached its node, 0 if the
 * network or a crash dropped it (why in *why, may be NULL), -1 if `i` is
 * out of range or an invariant hook stopped the run. */
int fl_manual_fire(fl_manual *m, size_t i, const char **why);
/* Drops pending message `i` as the network would. -1: not a message. */
int fl_manual_drop(fl_manual *m, size_t i);

/* Puts a copy of pending message `i` in flight, as the network's
 * duplication would (same id). -1: not a message or out of memory. */
int fl_manual_duplicate(fl_manual *m, size_t i);

/* Applies one step of a schedule: the pending message or timer with the
 * step's id, or the crash or restart. 0, or -1 if no such event is
 * pending (the schedule does not fit this run). */
int fl_manual_apply(fl_manual *m, const fl_step *st);

/* Faults, applied now. */
void fl_manual_crash(fl_manual *m, fl_node_id node, bool torn);
void fl_manual_restart(fl_manual *m, fl_node_id node);
/* group_of[node] = group number, -1 for nodes in none (cut from all). */
void fl_manual_partition(fl_manual *m, const int *group_of);
void fl_manual_heal(fl_manual *m);

/* A hash of the cluster's state for a search's visited table: every
 * node's liveness, view, log entries (through inspect_entry) and disk, and
 * the multisets of pending messages and timers. Time is left out, so
 * states that differ only in their clocks are taken as one. */
uint64_t fl_manual_state_hash(const fl_manual *m);

/* A client request from `client` to `server`, put in flight like any
 * message (it shows up as a pending "Request"). */
void fl_manual_request(fl_manual *m, fl_node_id client, fl_node_id server,
                       const fl_request *req);

#endif
