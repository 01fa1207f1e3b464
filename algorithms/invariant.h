/* invariant.h — safety invariants checked after every event. An invariant
 * belongs to an algorithm family ("raft", "paxos", ...) and reads only the
 * views that `inspect` fills, so it works unchanged on a student's plug-in.
 * It looks at the node that just stepped and keeps whatever summary it
 * needs in its own state, so checking after every event stays cheap. */
#ifndef FL_INVARIANT_H
#define FL_INVARIANT_H

#include <stdbool.h>
#include <stddef.h>

#include "algorithms/algorithm.h"
#include "sim/history.h"
#include "sim/scenario/scenario.h"

/* Read-only access to the cluster, provided by the engine. */
typedef struct fl_world fl_world;

size_t      fl_world_node_count(const fl_world *w);
const char *fl_world_role(const fl_world *w, fl_node_id node);
bool        fl_world_alive(const fl_world *w, fl_node_id node);
/* The node's view after its last step (kind NONE for a crashed node). */
const fl_view *fl_world_view(const fl_world *w, fl_node_id node);
/* Entry `index` of `node`'s log through the role's inspect_entry. */
bool fl_world_entry(const fl_world *w, fl_node_id node, int64_t index,
                    fl_view_entry *out);
fl_time fl_world_now(const fl_world *w);
/* For liveness and history-aware checks: the scenario being run, the client
 * history so far, and the time of the last heal or restart (0: none). */
const fl_scenario *fl_world_scenario(const fl_world *w);
const fl_history  *fl_world_history(const fl_world *w);
fl_time            fl_world_last_recovery(const fl_world *w);

/* A message between two nodes of the algorithm, for rule checks (what a
 * node must have done given what it sent and received). `sent`: a handler
 * just called fl_send (the message may still be lost); else it was just
 * delivered and the receiver's handler has run: `before` and `after` are
 * the receiver's views around that step, and the invariant's `check` for
 * the same step runs next. `depart` is when the message leaves its sender
 * (after a sync in progress); `unsynced` says the sender's disk, as the
 * engine holds it, still had writes that were not durable at `depart`.
 * `info` is the algorithm's describe of the message (fields it does not
 * report are -1 / NULL). */
typedef struct fl_inv_msg {
    bool           sent;
    fl_node_id     from, to;
    fl_time        depart;
    bool           unsynced;
    fl_msg_info    info;
    const fl_view *before, *after;
} fl_inv_msg;

/* Whether the network lets a message from `from` reach `to` right now
 * (no partition or cut between them; loss and latency aside). */
bool fl_world_link_up(const fl_world *w, fl_node_id from, fl_node_id to);

typedef struct fl_invariant {
    const char *name;            /* "raft.election_safety" */
    const char *summary;         /* one line for --help and reports */
    size_t      state_size;      /* zeroed by the checker before init */
    int  (*init)(void *state, const fl_world *w);      /* may be NULL */
    /* May be NULL. `node` just stepped; `before` and `after` are its views
     * around the step. Return 0 if the invariant holds, else -1 with a message that
     * names the nodes, terms and indices involved. */
    int  (*check)(void *state, const fl_world *w, fl_node_id node,
                  const fl_view *before, const fl_view *after,
                  char *msg, size_t msglen);
    void (*destroy)(void *state);                      /* may be NULL */
    /* After a run that ended without a violation, at simulated time `end`
     * (the run's horizon): for liveness, which an algorithm that does
     * nothing at all never gives a step to check. May be NULL. */
    int  (*finish)(void *state, const fl_world *w, fl_time end,
                   char *msg, size_t msglen);
    /* Every message sent and delivered (see fl_inv_msg). May be NULL.
     * 0 if the rule holds, else -1 with a message. */
    int  (*message)(void *state, const fl_world *w, const fl_inv_msg *m,
                    char *msg, size_t msglen);
} fl_invariant;

/* The invariants registered for an algorithm family (none: *n = 0). */
const fl_invariant *const *fl_invariants_for(const char *algorithm,
                                             size_t *n);

#endif
