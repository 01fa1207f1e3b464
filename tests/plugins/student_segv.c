/* student_segv.c — a student who takes the term of "the first new entry"
 * of every AppendEntries without checking that there is one: a heartbeat
 * carries no entries, so the very first heartbeat dereferences NULL and
 * the process dies of SIGSEGV. */
#include <string.h>

#include "algorithms/raft/codec.h"
#include "tests/plugins/student_wrap.h"

static void segv_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                            const void *msg, size_t len)
{
    raft_msg m;
    memset(&m, 0, sizeof m);
    if (raft_msg_decode(msg, len, &m) == 0 && m.type == RAFT_MSG_APPEND) {
        int64_t first_new_term = m.u.append.entries[0].term;   /* the bug */
        if (first_new_term < 0)
            fl_log(ctx, "odd term %lld", (long long)first_new_term);
    }
    raft_msg_free(&m);
    ref_on_message(ctx, state, from, msg, len);
}

STUDENT_ALGORITHM(ref_init, ref_start, segv_on_message, ref_validate);
