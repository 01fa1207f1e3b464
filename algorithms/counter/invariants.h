/* inv_counter.h — the CRDT counters' checks (family "counter-crdt"):
 *
 *   counter.convergence  liveness: once the network has healed, every
 *                        replica is up and the workload's last operation
 *                        has timed out, all replicas hold identical vectors
 *                        within params.converge_ms
 *   counter.bounds       the value is explained by the history: at every
 *                        step a replica's added (subtracted) total is at
 *                        most what clients asked to add (subtract) in ops
 *                        that did not fail; once converged it is at least
 *                        what was acknowledged
 *
 * The engine tells invariants when the last heal or restart happened but
 * not whether a partition or link cut is still in force, so a scenario that
 * leaves the network split past the deadline must not ask for convergence
 * (set converge_ms beyond the run). Skipped while any replica is down.
 *
 * The linearizable counter ("counter-raft") is held to Raft's invariants
 * and to the checker's counter model. Registered by invariant.c. */
#ifndef FL_INV_COUNTER_H
#define FL_INV_COUNTER_H

#include <stddef.h>

#include "algorithms/invariant.h"

const fl_invariant *const *fl_counter_crdt_invariants(size_t *n);
const fl_invariant *const *fl_counter_raft_invariants(size_t *n);

#endif
