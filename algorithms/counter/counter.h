/* counter.h — the distributed counters (issue 8): two built-in algorithms.
 *
 *   counter-raft  a linearizable counter: add and read are commands on
 *                 Raft's replicated log (algorithms/raft/ with the counter
 *                 state machine of raft_sm.c), checked by the counter model
 *   counter-crdt  G-Counter and PN-Counter CRDTs (Shapiro et al. 2011):
 *                 every replica answers at once from its own copy and the
 *                 copies meet through gossip (anti-entropy) merged by
 *                 element-wise max; crdt.c
 */
#ifndef FL_COUNTER_H
#define FL_COUNTER_H

#include "algorithms/algorithm.h"
#include "algorithms/counter/contract.h"   /* installed as <faultline/counter.h> */

extern const fl_algorithm fl_counter_raft_algorithm;
/* The counter state machine counter-raft gives Raft (algorithms/raft/
 * sm.h), exposed for unit tests. */
struct raft_sm_ops;
extern const struct raft_sm_ops counter_raft_sm;
extern const fl_algorithm fl_counter_crdt_algorithm;

#endif
