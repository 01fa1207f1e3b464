/* shrink.h — delta debugging of a failing scenario (the JSON tree). Passes,
 * repeated until a whole round changes nothing:
 *   faults     ddmin over the fault list (remove halves, quarters, ...,
 *              single faults, keep whatever still fails)
 *   duration   end just after the violation, then halve while it fails
 *   workload   fewer clients, a lower rate, one key, fewer kinds of op
 *   nodes      fewer nodes per role (the algorithm's validate, the
 *              selectors and the run decide whether that still works;
 *              with "nodes": N, faults naming a removed server go too)
 *   noise      no random loss, no duplicates, no per-link overrides, no
 *              torn writes
 * Each pass proposes candidates; the caller's `test` runs them (it may run
 * several in parallel) and says which is the first, in order, that still
 * fails the same check. A candidate that is not a valid scenario simply
 * does not fail. The result depends only on the runs, never on timing. */
#ifndef FL_SHRINK_H
#define FL_SHRINK_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "algorithms/algorithm.h"

/* Returns the index of the first of the `n` candidates that still fails
 * the same way (and sets *fail_at to when its check failed, -1 if that is
 * not known), -1 if none does, -2 to abandon shrinking (interrupted, or
 * the runner failed). */
typedef int (*fl_shrink_test)(void *ctx, cJSON *const *cands, size_t n,
                              fl_time *fail_at);

typedef struct fl_shrink_opts {
    fl_time fail_at;          /* when the check failed in the original run
                                 (-1: unknown, or at the end) */
    bool    keep_duration;    /* a liveness failure: shortening proves nothing */
    bool    keep_workload;    /* the same for removing clients or operations */
} fl_shrink_opts;

typedef struct fl_shrink_stats {
    size_t tried, accepted, rounds;
} fl_shrink_stats;

/* Shrinks *root in place (it is replaced by accepted candidates). Returns
 * 0, or -2 if `test` abandoned it (*root is then the smallest so far). */
int fl_shrink(cJSON **root, const fl_shrink_opts *o, fl_shrink_test test, void *ctx,
              fl_shrink_stats *stats);

/* "4 faults, 5 server + 3 client nodes, 3 clients at 20 ops/s, 10000 ms". */
void fl_shrink_describe(const cJSON *root, char *buf, size_t len);

#endif
