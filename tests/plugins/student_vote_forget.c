/* student_vote_forget.c — a student who writes currentTerm to disk but
 * keeps votedFor in memory only: after a restart the server knows its
 * term and has forgotten whom it voted for in it, so it can vote again
 * in that term (Raft Figure 2: votedFor is persistent state). Rarely
 * harmful in a run, always wrong: raft.vote_durable must catch it. */
#include "tests/plugins/student_wrap.h"

static void vf_start(fl_ctx *ctx, void *state, bool recovering)
{
    ref_start(ctx, state, recovering);
    if (recovering) {
        raft_node *r = state;
        r->voted_for = FL_NO_NODE;      /* "votedFor lives in memory" */
    }
}

STUDENT_ALGORITHM(ref_init, vf_start, ref_on_message, ref_validate);
