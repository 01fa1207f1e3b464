/* invariant.h — safety invariants checked after every event. An invariant
 * belongs to an algorithm family ("raft", "paxos", ...) and reads only the
 * views that `inspect` fills, so it works unchanged on a student's plug-in.
 * It looks at the node that just stepped and keeps whatever summary it
 * needs in its own state, so checking after every event stays cheap.
 * May include: algorithms/algorithm.h and sim/history.h (plain data) only;
 * the world it reads is an interface, not the engine. */
#ifndef FL_INVARIANT_H
#define FL_INVARIANT_H

#include <stdbool.h>
#include <stddef.h>

#include "algorithms/algorithm.h"
#include "sim/history.h"
#include "sim/stepinfo.h"

/* Read-only access to the cluster: what an invariant may look at, and
 * nothing else. The run (sim/run/world.c) implements it over the engine's
 * public API; a test may implement it over anything. `impl` is the
 * implementation's own pointer, passed back to every function. */
typedef struct fl_world_ops {
    size_t      (*node_count)(const void *impl);
    const char *(*role)(const void *impl, fl_node_id node);
    bool        (*alive)(const void *impl, fl_node_id node);
    const fl_view *(*view)(const void *impl, fl_node_id node);
    bool        (*entry)(const void *impl, fl_node_id node, int64_t index,
                         fl_view_entry *out);
    fl_time     (*now)(const void *impl);
    const char *(*algorithm)(const void *impl);
    const cJSON *(*params)(const void *impl);
    fl_time     (*workload_end)(const void *impl);
    const fl_history *(*history)(const void *impl);
    fl_time     (*last_recovery)(const void *impl);
    bool        (*link_up)(const void *impl, fl_node_id from, fl_node_id to);
    fl_time     (*quiet_since)(const void *impl);   /* may be NULL */
    const fl_step_info *(*step)(const void *impl);  /* may be NULL */
    bool        (*timer_late)(const void *impl, fl_node_id node); /* may be NULL */
    bool        (*timed)(const void *impl);         /* may be NULL */
    bool        (*paused)(const void *impl, fl_node_id node); /* may be NULL */
} fl_world_ops;

typedef struct fl_world {
    const fl_world_ops *ops;
    const void         *impl;
} fl_world;

static inline size_t fl_world_node_count(const fl_world *w)
{
    return w->ops->node_count(w->impl);
}

static inline const char *fl_world_role(const fl_world *w, fl_node_id node)
{
    return w->ops->role(w->impl, node);
}

static inline bool fl_world_alive(const fl_world *w, fl_node_id node)
{
    return w->ops->alive(w->impl, node);
}

/* Whether `node` is paused (alive, but taking no step until it resumes);
 * false when the world does not know. */
static inline bool fl_world_paused(const fl_world *w, fl_node_id node)
{
    return w->ops->paused ? w->ops->paused(w->impl, node) : false;
}

/* The node's view after its last step (kind NONE for a crashed node). */
static inline const fl_view *fl_world_view(const fl_world *w, fl_node_id node)
{
    return w->ops->view(w->impl, node);
}

/* Entry `index` of `node`'s log through the role's inspect_entry; false
 * for a crashed node, a role without inspect_entry or no such entry. */
static inline bool fl_world_entry(const fl_world *w, fl_node_id node, int64_t index,
                                  fl_view_entry *out)
{
    return w->ops->entry(w->impl, node, index, out);
}

static inline fl_time fl_world_now(const fl_world *w)
{
    return w->ops->now(w->impl);
}

/* The algorithm family the scenario names ("paxos", "multipaxos", ...). */
static inline const char *fl_world_algorithm(const fl_world *w)
{
    return w->ops->algorithm(w->impl);
}

/* The scenario's "params" object (never NULL: an empty object if absent). */
static inline const cJSON *fl_world_params(const fl_world *w)
{
    return w->ops->params(w->impl);
}

/* When the workload's last operation has ended for sure: its stop time
 * plus the client timeout; 0 when the scenario has no clients. */
static inline fl_time fl_world_workload_end(const fl_world *w)
{
    return w->ops->workload_end(w->impl);
}

/* The client history so far. */
static inline const fl_history *fl_world_history(const fl_world *w)
{
    return w->ops->history(w->impl);
}

/* The time of the last heal or restart (0: none). */
static inline fl_time fl_world_last_recovery(const fl_world *w)
{
    return w->ops->last_recovery(w->impl);
}

/* Since when no fault is active (every node up and not paused, no link
 * cut by a partition or a link fault), or -1 while one is. Unlike
 * fl_world_last_recovery, a heal while a pause or a crash goes on does
 * not count. A world that does not know says 0. */
static inline fl_time fl_world_quiet_since(const fl_world *w)
{
    return w->ops->quiet_since ? w->ops->quiet_since(w->impl) : 0;
}

/* What made the node that just stepped run (a message, one of its timers,
 * a boot) and which timers it set in that step, by kind (stepinfo.h);
 * NULL when the world does not know. Read it in `check` and in `message`
 * for a delivery (the same step). */
static inline const fl_step_info *fl_world_step(const fl_world *w)
{
    return w->ops->step ? w->ops->step(w->impl) : NULL;
}

/* Whether `node` has a timer that should have fired by now and has not
 * (held while it was paused or busy, or withheld by a scheduler): a time
 * bound cannot blame a node for what it was not given the chance to do.
 * Scans the node's timers; false when the world does not know. */
static inline bool fl_world_timer_late(const fl_world *w, fl_node_id node)
{
    return w->ops->timer_late ? w->ops->timer_late(w->impl, node) : false;
}

/* Whether events happen at their times (a run: true), or a scheduler
 * picks each one and may hold a due timer or a message back as long as it
 * likes (manual delivery: `faultline search`, a replayed schedule, the
 * interaction tests). A bound in elapsed time means little in the latter:
 * judge what a node did at the step it was given. */
static inline bool fl_world_timed(const fl_world *w)
{
    return w->ops->timed ? w->ops->timed(w->impl) : true;
}

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
static inline bool fl_world_link_up(const fl_world *w, fl_node_id from, fl_node_id to)
{
    return w->ops->link_up ? w->ops->link_up(w->impl, from, to) : true;
}

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

/* The invariants registered for an algorithm family (none: *n = 0): the
 * built-ins' table, algorithms/builtins.c. */
const fl_invariant *const *fl_invariants_for(const char *algorithm,
                                             size_t *n);

#endif
