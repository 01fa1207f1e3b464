/* viz_table.h — how the visualizer speaks an algorithm's language: a
 * small constant table each algorithm folder provides next to its
 * invariants (algorithms/<alg>/viz_table.c) and registers in one row of
 * the built-ins (sim/run/registry.c, fl_registry_viz_table). Data only:
 * the words for its term and its leader, whether a leader wears a crown,
 * whether the Logs pane means anything, and panel rows drawn from the
 * `inspect` view's scalars. The visualizer knows no algorithm by name;
 * with no table (a plug-in), it speaks Raft's words. */
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
} fl_viz_table;

#endif
