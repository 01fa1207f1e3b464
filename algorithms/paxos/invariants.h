/* inv_paxos.h — the safety invariants of both Paxos algorithms (Lamport,
 * "Paxos Made Simple" §2.1-§2.2), checked after every event over views
 * that follow algorithms/paxos/view.h. Registered under the families
 * "paxos" and "multipaxos" by invariant.c. */
#ifndef FL_INV_PAXOS_H
#define FL_INV_PAXOS_H

#include <stddef.h>

#include "algorithms/invariant.h"

/* The Paxos invariants, in the order violations are reported when one
 * event breaks several. */
const fl_invariant *const *fl_paxos_invariants(size_t *n);

#endif
