/* inv_sort.h — the distributed sort's checks (issue 9), over views and
 * output entries only, registered under the family "sort":
 *
 *   sort.sorted       the output the coordinator reports is in key order
 *   sort.permutation  the output is a permutation of the input: the same
 *                     number of keys and the same multiset fingerprint
 *   sort.balance      no bucket holds more than twice its fair share
 *                     (2 * ceil(n / workers) + 64 elements)
 *   sort.liveness     the job is done within params.done_within_ms of the
 *                     last heal / restart / resume / start (if that param
 *                     is set), not judged while the coordinator is out
 *
 * The contract with an implementation: the node of role "coordinator"
 * shows label "done" and output entries 0..n-1 (entry term = key) once it
 * has the whole output, and scalars "n" (input size) and "in_hash" (the sum
 * of sort_key_hash(key) over the input, mod 2^64: SplitMix64's finaliser of
 * key + golden gamma, see algorithms/sort/sort.h); a "worker" shows scalars
 * "n", "workers" and "bucket_max" (its largest complete bucket). */
#ifndef FL_INV_SORT_H
#define FL_INV_SORT_H

#include <stddef.h>

#include "algorithms/invariant.h"

const fl_invariant *const *fl_sort_invariants(size_t *n);

#endif
