/* view.h — what both Paxos algorithms show through inspect and
 * inspect_entry (algorithm.h's fixed schema), so the visualizer draws them
 * like Raft and algorithms/paxos/invariants.c can check them after every event.
 * A plug-in that wants the Paxos invariants follows the same contract.
 *
 * View:   kind     leader / candidate (phase 1 running) / follower
 *         term     a ballot, round * 10000 + proposer id (so 20003 is
 *                  round 2 of node 3); acceptors and servers: the
 *                  promised ballot; a basic
 *                  proposer: its current ballot; a learner: the highest
 *                  ballot it heard of
 *         leader   the owner of that ballot (Multi-Paxos: who leads)
 *         commit   the highest slot up to which every slot is chosen and
 *                  known here (the chosen log's prefix)
 *         scalars  "acc_lo".."acc_hi": slots this node's acceptor accepted
 *                  in this step; "dur_lo".."dur_hi": slots whose accepts
 *                  became durable at the start of this step;
 *                  "durable_promised": the promise as synced to disk;
 *                  "accepts": how many accepts this acceptor made since
 *                  it booted;
 *                  "prop_lo".."prop_hi": slots this node proposed a value
 *                  in during this step (-1 when none)
 *
 * Entries: slot s (1..log_last): the chosen command once known (committed,
 *          term = the ballot it was chosen in), else what this node's
 *          acceptor accepted there (term = that ballot) — the log row the
 *          visualizer draws.
 *          PAXOS_VIEW_ACCEPTED + s: this node's acceptor's pvalue at s
 *          (term = ballot, durable = synced, chain = the value of the
 *          "accepts" scalar right after it was accepted, 0 if it was
 *          recovered from disk: so an entry in acc_lo..acc_hi with chain
 *          at most the previous view's "accepts" was not accepted in this
 *          step).
 *          PAXOS_VIEW_PROPOSED + s: this node's current proposal at s.
 *          An entry's `command` is paxos_cmd_hash of the command. */
#ifndef FL_PAXOS_VIEW_H
#define FL_PAXOS_VIEW_H

#include <stdint.h>

#include "algorithms/paxos/contract.h"   /* installed as <faultline/paxos.h> */

#define PAXOS_VIEW_ACCEPTED FL_PAXOS_ENTRY_ACCEPTED
#define PAXOS_VIEW_PROPOSED FL_PAXOS_ENTRY_PROPOSED

#endif
