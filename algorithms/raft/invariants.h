/* inv_raft.h — Raft's safety invariants (Raft §5.2-§5.4, Figure 3):
 * election safety, leader append-only, log matching, leader completeness
 * and state machine safety. They read only views and entries through
 * fl_world, so they check a student's plug-in exactly like the built-in
 * code. Registered under the family "raft" by invariant.c. */
#ifndef FL_INV_RAFT_H
#define FL_INV_RAFT_H

#include <stddef.h>

#include "algorithms/invariant.h"

/* The Raft invariants, most fundamental first: when one event breaks
 * several, the first listed is the one reported. */
const fl_invariant *const *fl_raft_invariants(size_t *n);
/* One by one, for families that check Raft's invariants and more. */
extern const fl_invariant fl_inv_raft_election_safety;
extern const fl_invariant fl_inv_raft_leader_append_only;
extern const fl_invariant fl_inv_raft_log_matching;
extern const fl_invariant fl_inv_raft_leader_completeness;
extern const fl_invariant fl_inv_raft_state_machine_safety;

#endif
