/* student_nopersist.c — a student who never made the state durable: after
 * a restart the node starts from scratch, as if its disk were empty. Its
 * term, its vote and its log are all forgotten, so it can vote twice in a
 * term and a cluster that loses power can lose committed entries (Raft
 * Figure 2: currentTerm, votedFor and log[] are persistent state). */
#include "tests/plugins/student_wrap.h"

static void np_start(fl_ctx *ctx, void *state, bool recovering)
{
    /* TODO: read term, vote and log back from disk. */
    (void)recovering;
    ref_start(ctx, state, false);
}

STUDENT_ALGORITHM(ref_init, np_start, ref_on_message, ref_validate);
