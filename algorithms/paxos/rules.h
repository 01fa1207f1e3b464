/* rules.h — Paxos rule checks judged from delivered messages (rules.c),
 * registered with the Paxos invariants (invariants.c). */
#ifndef FL_PAXOS_RULES_H
#define FL_PAXOS_RULES_H

#include "algorithms/invariant.h"

extern const fl_invariant fl_rule_paxos_promise_kept;

#endif
