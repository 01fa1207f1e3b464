/* rules.h — Paxos rule checks judged from delivered messages (rules.c),
 * registered with the Paxos invariants (invariants.c). */
#ifndef FL_PAXOS_RULES_H
#define FL_PAXOS_RULES_H

#include "algorithms/invariant.h"

extern const fl_invariant fl_rule_paxos_promise_kept;
extern const fl_invariant fl_rule_paxos_accepted_kept;
extern const fl_invariant fl_rule_paxos_grant_order;
extern const fl_invariant fl_rule_paxos_ballot_monotonic;

#endif
