/* viz_table.c — the counters in the visualizer's words: each replica's
 * value, compared across replicas (diverged / converged); the CRDT's
 * increments and decrements, in total and per replica (its P and N
 * vectors, which its view puts in match[] and next[]); no leader for the
 * CRDT. */
#include "algorithms/viz_table.h"

static const fl_viz_row crdt_rows[] = {
    { NULL, "value", "value", FL_VIZ_INT },
    { NULL, "increments (P)", "p_total", FL_VIZ_INT },
    { NULL, "decrements (N)", "n_total", FL_VIZ_INT },
    { NULL, "merges", "merges", FL_VIZ_INT },
    { NULL, NULL, NULL, FL_VIZ_INT },
};

static const fl_viz_row raft_rows[] = {
    { "server", "value", "value", FL_VIZ_INT },
    { NULL, NULL, NULL, FL_VIZ_INT },
};

const fl_viz_table fl_counter_crdt_viz_table = {
    .algorithm = "counter-crdt", .term_word = NULL, .leader_word = NULL, .crown = false,
    .logs = false, .linearizable = false, .agree_scalar = "value", .rows = crdt_rows,
    .vector_match = "P", .vector_next = "N",
};

const fl_viz_table fl_counter_raft_viz_table = {
    .algorithm = "counter-raft", .term_word = "term", .leader_word = "leader", .crown = true,
    .logs = true, .linearizable = true, .agree_scalar = "value", .rows = raft_rows,
};
