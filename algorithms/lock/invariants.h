/* inv_lock.h — the lock service's checks (family "lock"), over views only:
 *
 *   lock.token_monotonic  on every lock server, applying entries never
 *                         lowers the last token granted nor the current
 *                         holder's token: tokens strictly increase across
 *                         grants and an old grant never comes back
 *   lock.stale_write      the storage never applies a write whose token is
 *                         lower than one it applied before in the same
 *                         incarnation or applied and acknowledged
 *                         (fencing)
 *   lock.exclusion        as the storage sees it, one token belongs to one
 *                         client: writes under a token all come from the
 *                         client it was granted to
 *
 * plus Raft's invariants for the servers' log. The lock clients are the
 * algorithm's own role, which the engine's history does not record, so the
 * lock service's operations are not run through the linearizability
 * checker's lock model (whose locks never expire anyway); these checks are
 * limited to fencing, which is what leases must protect. */
#ifndef FL_INV_LOCK_H
#define FL_INV_LOCK_H

#include <stddef.h>

#include "algorithms/invariant.h"

const fl_invariant *const *fl_lock_invariants(size_t *n);

#endif
