/* viz_table.c — Paxos in the visualizer's words (algorithms/viz_table.h):
 * ballots as (round, proposer), proposers without a crown (basic Paxos has
 * none; Multi-Paxos's distinguished proposer has one), each acceptor's
 * promised ballot, slots in the Logs pane with the accepted ballot. */
#include "algorithms/viz_table.h"

static const fl_viz_row rows[] = {
    { "proposer", "ballot", "term", FL_VIZ_BALLOT },
    { "proposer", "round", "round", FL_VIZ_INT },
    { "proposer", "rounds tried", "rounds", FL_VIZ_INT },
    { "proposer", "rounds lost", "failures", FL_VIZ_ALARM },
    { "proposer", "values waiting", "pending", FL_VIZ_INT },
    { "acceptor", "promised", "term", FL_VIZ_BALLOT },
    { "acceptor", "promise on disk", "durable_promised", FL_VIZ_BALLOT },
    { "acceptor", "accepts", "accepts", FL_VIZ_INT },
    { "learner", "queries", "queries", FL_VIZ_INT },
    { "learner", "tallies", "tallies", FL_VIZ_INT },
    { "server", "ballot", "term", FL_VIZ_BALLOT },
    { "server", "promise on disk", "durable_promised", FL_VIZ_BALLOT },
    { "server", "accepts", "accepts", FL_VIZ_INT },
    { NULL, NULL, NULL, FL_VIZ_INT },
};

const fl_viz_table fl_paxos_viz_table = {
    .algorithm = "paxos", .term_word = "ballot", .ballot_base = 10000,
    .leader_word = "proposer", .crown = false, .logs = true, .linearizable = true,
    .rows = rows,
};

const fl_viz_table fl_multipaxos_viz_table = {
    .algorithm = "multipaxos", .term_word = "ballot", .ballot_base = 10000,
    .leader_word = "leader", .crown = true, .logs = true, .linearizable = true,
    .rows = rows,
};
