/* multi.h — one Multi-Paxos server (van Renesse & Altinbuken, "Paxos Made
 * Moderately Complex", PMMC), playing every PMMC role on one node:
 *
 *   acceptor  acceptor.c: promises and accepted pvalues per slot, synced
 *             to disk before any reply (PMMC §3 "Acceptors")
 *   leader    multi.c: a server whose election timer fires runs phase 1
 *             once for all slots above its commit with a fresh ballot
 *             (round, id) (PMMC "Scouts"); on a majority of promises it
 *             re-proposes, per slot, the highest-ballot pvalue reported
 *             and fills gaps with no-ops (PMMC §3 and §4.1 "leader
 *             recovery"), then proposes client commands in new slots with
 *             phase 2 only while its ballot holds (PMMC "Commanders",
 *             §4.2 "distinguished leader"); a higher ballot seen anywhere
 *             preempts it (PMMC "preempted")
 *   replica   multi.c: applies chosen slots in order to the key-value
 *             store with client sessions (algorithms/kvsm/), answers clients on the
 *             leader, redirects elsewhere; reads go through the log, so
 *             they are linearizable
 *
 * Followers learn chosen slots from the leader's commit (a slot they
 * accepted in the leader's ballot at or below its commit is chosen with
 * that value) and from explicit decisions for the slots they missed. */
#ifndef FL_PAXOS_MULTI_H
#define FL_PAXOS_MULTI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/paxos/acceptor.h"
#include "algorithms/paxos/codec.h"
#include "algorithms/kvsm/kvsm.h"
#include "algorithms/paxos/log.h"
#include "algorithms/paxos/params.h"

#define MPX_MAX_SERVERS 64u
#define MPX_MAX_PENDING 4096u

typedef enum mpx_role {
    MPX_FOLLOWER,
    MPX_CANDIDATE,      /* phase 1 running (a PMMC scout) */
    MPX_LEADER          /* phase 1 done: phase 2 only (PMMC active leader) */
} mpx_role;

typedef struct mpx_peer {
    fl_node_id id;
    int64_t    known_commit;   /* leader: the commit it last reported */
} mpx_peer;

typedef struct mpx_pending {
    fl_request req;
    int64_t    slot;
} mpx_pending;

typedef struct mpx_node {
    paxos_params   p;
    fl_node_id     self;
    size_t         n;              /* servers */
    mpx_peer       peers[MPX_MAX_SERVERS];
    int            me;             /* our index among the servers */

    paxos_acceptor acc;
    paxos_log      log;

    mpx_role       role;
    int64_t        ballot;         /* our latest ballot; -1 none */
    fl_node_id     leader;
    uint64_t       promise_mask;   /* candidate */
    uint64_t       refuse_mask;
    int64_t        next_slot;      /* leader: the next free slot */

    int64_t        commit;         /* every slot <= commit is chosen */
    int64_t        applied;
    fl_kvsm        kv;
    mpx_pending   *pending;
    size_t         npending, cap_pending;

    uint64_t       election_cookie;
    uint64_t       heartbeat_cookie;
    int64_t        prop_lo, prop_hi; /* proposals made in this step */
    int64_t        elections;
    wire_buf      out;
} mpx_node;

/* Applies one chosen command to the shared store: no-ops and basic-Paxos
 * values do nothing and return DONE; a client operation runs once per
 * (client, seq) (PMMC §3). */
fl_kvsm_outcome paxos_kv_apply(fl_kvsm *kv, const paxos_cmd *cmd,
                               int64_t *result, fl_status *status);

#endif
