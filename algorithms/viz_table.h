/* viz_table.h — how the visualizer speaks an algorithm's language: a
 * small constant table each algorithm folder provides next to its
 * invariants (algorithms/<alg>/viz_table.c) and registers in one row of
 * the built-ins (sim/run/registry.c, fl_registry_viz_table). Data only:
 * the words for its term and its leader, whether a leader wears a crown,
 * whether the Logs pane means anything, panel rows drawn from the
 * `inspect` view's scalars, and for an algorithm on a hash ring, which
 * scalars say the ring's shape and its groups' shards (the Ring pane).
 * The only code in a table: the ring's two pure placement functions, the
 * algorithm's own hash, so the picture is the ring it computes. The
 * visualizer knows no algorithm by name; with no table (a plug-in), it
 * speaks Raft's words. */
#ifndef FL_VIZ_TABLE_H
#define FL_VIZ_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum fl_viz_fmt {
    FL_VIZ_INT,        /* a number; -1 shows as "none" */
    FL_VIZ_BALLOT,     /* (round, proposer) from round * ballot_base + id */
    FL_VIZ_NODE,       /* a node id; -1 "nobody" */
    FL_VIZ_MS,         /* a time in ms */
    FL_VIZ_ALARM       /* a count that is bad when above 0 (drawn red) */
} fl_viz_fmt;

typedef struct fl_viz_row {
    const char *role;     /* the node's role ("acceptor"), NULL for any */
    const char *label;    /* what the panel says: "promised"; NULL ends */
    const char *scalar;   /* a scalar's name, or "term" for the view's term */
    fl_viz_fmt  fmt;
} fl_viz_row;

/* A hash ring with virtual nodes (consistent hashing), for the Ring pane
 * (viz/ring.h). Scalar names; a mask has bit i for shard (or group) i, at
 * most 64. A position on the ring is a 64-bit fraction of the circle,
 * clockwise from 12 o'clock; a shard belongs to the first point at or
 * after it, ties by (group, vnode). */
typedef struct fl_viz_ring {
    const char *group;         /* a node's replica group (>= 0); absent or
                                  < 0: not a group member */
    const char *config;        /* configuration number */
    const char *serving;       /* group member: mask of shards it serves */
    const char *waiting;       /* group member: shards gained, not yet installed */
    const char *members;       /* anyone: mask of the joined groups ... */
    const char *prev_members;  /* ... and of those of the configuration before */
    const char *shards;        /* anyone: how many shards */
    const char *vnodes;        /* anyone: points per group */
    uint64_t  (*point)(uint32_t group, uint32_t vnode);
    uint64_t  (*shard)(uint32_t shard);
} fl_viz_ring;

typedef struct fl_viz_table {
    const char *algorithm;     /* as fl_algorithm.name */
    const char *term_word;     /* "term", "ballot"; NULL: not shown */
    int64_t     ballot_base;   /* term = round * base + proposer; 0: plain */
    const char *leader_word;   /* "leader", "coordinator"; NULL: no leader */
    bool        crown;         /* a leader wears a crown */
    bool        logs;          /* the Logs pane shows replicated logs */
    bool        linearizable;  /* a linearizability check runs at the end */
    const char *agree_scalar;  /* replicas that should converge: compare it */
    const char *bar_scalar;    /* a lease: a scalar holding its end in ms */
    int64_t     bar_ms;        /* the full bar */
    const fl_viz_row *rows;    /* panel rows, ended by a NULL label */
    /* The view's match[] and next[] arrays, when not a leader's: a
     * vector of counts per node (a CRDT's increments and decrements per
     * replica), named so ("P", "N"); NULL: not a vector. The Nodes pane
     * draws them cell by cell, a count behind the other replicas' in
     * orange (diverged), all agreeing in green (converged). */
    const char *vector_match, *vector_next;
    const fl_viz_ring *ring;   /* a hash ring to draw, or NULL */
} fl_viz_table;

#endif
