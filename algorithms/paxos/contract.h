/* contract.h — what faultline's Paxos checks (families "paxos", basic
 * single-decree, and "multipaxos") read from a plug-in: message kinds and
 * fields from `describe`, the view from `inspect`, and the entries from
 * `inspect_entry`. Installed as <faultline/paxos.h>; constants only,
 * include it after <faultline/algorithm.h>. A check whose data a plug-in
 * does not report stands aside.
 *
 * Ballots. A ballot is a number that orders proposals, unique per
 * proposer; the built-in uses round * 10000 + proposer id (20003 is round
 * 2 of node 3). -1 means none.
 *
 * ---- Messages: fl_msg_info.kind, exactly these strings --------------------
 * `term` is the message's ballot. Replies set is_reply and ok (1 granted /
 * accepted, 0 refused). A granting Accepted also sets `index` to the
 * lowest slot it accepts and `count` to how many, when they are the slots
 * index..index+count-1 (basic Paxos: index 1, count 1).
 * What the rule checks read: paxos.promise_kept the granting Promise and
 * Accepted replies an acceptor sent; paxos.accepted_kept the slots of a
 * delivered granting Accepted (and the acceptor's FL_PAXOS_ENTRY_ACCEPTED
 * entries after a restart); paxos.grant_order the ballot of a granting
 * Promise against the sender's view; paxos.ballot_monotonic the ballots
 * of the Prepares a node sends; paxos.adopt_highest granting Promises
 * (the sender's accepted entries when it left), Prepares and the
 * proposer's FL_PAXOS_ENTRY_PROPOSED entries. */
#ifndef FAULTLINE_PAXOS_H
#define FAULTLINE_PAXOS_H

#define FL_PAXOS_PREPARE   "Prepare"    /* phase 1a */
#define FL_PAXOS_PROMISE   "Promise"    /* phase 1b: ok = promised */
#define FL_PAXOS_ACCEPT    "Accept"     /* phase 2a */
#define FL_PAXOS_ACCEPTED  "Accepted"   /* phase 2b: ok = accepted */
#define FL_PAXOS_CHOSEN    "Chosen"     /* a learner is told a value */
#define FL_PAXOS_HEARTBEAT "Heartbeat"  /* Multi-Paxos: an Accept with no
                                           proposals */

/* ---- The view --------------------------------------------------------------
 *   kind     leader / candidate (phase 1 running) / follower
 *   term     acceptors and Multi-Paxos servers: the promised ballot;
 *            a basic proposer: its current ballot; a learner: the highest
 *            ballot it heard of
 *   leader   the owner of that ballot (Multi-Paxos: who leads)
 *   commit   the highest slot up to which every slot is chosen and known
 *   scalars  the names below (int64 values, -1 when none) */

/* Slots this node's acceptor accepted in this step (lo..hi). */
#define FL_PAXOS_SCALAR_ACC_LO           "acc_lo"
#define FL_PAXOS_SCALAR_ACC_HI           "acc_hi"
/* Slots whose accepts became durable at the start of this step. */
#define FL_PAXOS_SCALAR_DUR_LO           "dur_lo"
#define FL_PAXOS_SCALAR_DUR_HI           "dur_hi"
/* The promise as synced to disk. */
#define FL_PAXOS_SCALAR_DURABLE_PROMISED "durable_promised"
/* Accepts this acceptor made since it booted. */
#define FL_PAXOS_SCALAR_ACCEPTS          "accepts"
/* Slots this node proposed a value in during this step (lo..hi). */
#define FL_PAXOS_SCALAR_PROP_LO          "prop_lo"
#define FL_PAXOS_SCALAR_PROP_HI          "prop_hi"

/* ---- Entries: inspect_entry(index) ------------------------------------------
 *   index = slot s (1..log_last): the chosen command once known (committed,
 *           term = the ballot it was chosen in), else what this node's
 *           acceptor accepted there (term = that ballot)
 *   index = FL_PAXOS_ENTRY_ACCEPTED + s: this node's acceptor's pvalue at s
 *           (term = ballot, durable = synced, chain = the "accepts" scalar
 *           right after it was accepted, 0 if recovered from disk)
 *   index = FL_PAXOS_ENTRY_PROPOSED + s: this node's current proposal at s
 * An entry's `command` is a hash of the command (equal commands, equal
 * hashes). Basic Paxos has one slot, s = 1. */
#define FL_PAXOS_ENTRY_ACCEPTED ((int64_t)1 << 40)
#define FL_PAXOS_ENTRY_PROPOSED ((int64_t)2 << 40)

#endif
