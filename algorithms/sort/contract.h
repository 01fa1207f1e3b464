/* contract.h — what faultline's sort checks (family "sort") read from a
 * sort plug-in: the role names, the coordinator's label, view scalars and
 * output entries, and the workers' scalars. Installed as
 * <faultline/sort.h>; the template templates/sort/ fills it in. Include it
 * after <faultline/algorithm.h>. Besides the names it holds one function,
 * fl_sort_key_hash: the input fingerprint a plug-in reports must be built
 * with it.
 *
 * The sort checks read no message kinds. The liveness bound is the
 * scenario's param "done_within_ms" (the engine reads it itself).
 *
 * ---- The coordinator's view and entries ------------------------------------
 *   label   FL_SORT_LABEL_DONE once the whole output is collected (any other
 *           label while working). sort.sorted and sort.permutation judge the
 *           output each time the label turns to it (again after a
 *           restart); sort.liveness wants it within done_within_ms of the
 *           last recovery.
 *   kind    anything but FL_VIEW_NONE
 *   log_last  n - 1 once done: the output is entries 0..n-1
 *   inspect_entry(i), 0 <= i < n: output position i, with term = the key
 *           (keys are unsigned 32-bit values). sort.sorted: term never
 *           decreases with i; sort.permutation: the entries' keys are the
 *           input's keys (count and fingerprint below). */
#ifndef FAULTLINE_SORT_H
#define FAULTLINE_SORT_H

#include <stdint.h>

/* ---- Roles: fl_role.name, exactly these strings ------------------------- */

/* The one node that generates the input, assigns buckets and collects the
 * output. */
#define FL_SORT_ROLE_COORDINATOR "coordinator"
/* The nodes that each sort one bucket (key range). */
#define FL_SORT_ROLE_WORKER      "worker"

/* The coordinator's label once the output is complete. */
#define FL_SORT_LABEL_DONE "done"

/* ---- Scalars (int64) ---------------------------------------------------- */

/* Coordinator: the number of input keys. sort.permutation: the output has
 * exactly this many (a done coordinator without it fails the check).
 * Worker: the same n once it knows it (-1 before); sort.balance. */
#define FL_SORT_SCALAR_N          "n"
/* Coordinator: the input's fingerprint, the sum of fl_sort_key_hash(key)
 * over every input key, modulo 2^64, as an int64. sort.permutation
 * compares it with the output's. */
#define FL_SORT_SCALAR_IN_HASH    "in_hash"
/* Worker: how many workers share the keys. sort.balance. */
#define FL_SORT_SCALAR_WORKERS    "workers"
/* Worker: the keys in the largest complete bucket it owns. sort.balance:
 * at most 2 * ceil(n / workers) + 64 (the splitters describe the input). */
#define FL_SORT_SCALAR_BUCKET_MAX "bucket_max"

/* ---- Scenario params (fl_algorithm.validate sees them) ---------------------
 * The coordinator generates the input itself (from fl_random, or a seed it
 * keeps on its disk so that a restart regenerates the same keys). */
#define FL_SORT_PARAM_KEYS      "keys"    /* how many input keys */
/* "uniform", "zipf" (skewed: splitters must follow the data, sort.balance),
 * "sorted" (already in order) or "duplicates" (few distinct keys: equal
 * keys must still spread over buckets, sort.balance). */
#define FL_SORT_PARAM_DIST      "dist"
/* Simulated cost of a worker's local sort, ns per key (a timer before it
 * answers), so that faults can land while workers work. */
#define FL_SORT_PARAM_SORT_NS_PER_KEY "sort_ns_per_key"
/* The liveness bound (read by the engine itself, see above). */
#define FL_SORT_PARAM_DONE_WITHIN_MS  "done_within_ms"

/* The multiset fingerprint's hash of one key (splitmix64's finalizer). */
static inline uint64_t fl_sort_key_hash(uint64_t key)
{
    uint64_t z = key + UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

#endif
