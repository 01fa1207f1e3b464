/* tally.h — a sweep's failures counted by check, for `explore` and
 * `merge`: per check, how many runs failed it and the lowest seed that
 * did, ordered safety first (invariants that broke during the run, the
 * linearizability of the history), then the implementation misbehaving
 * (crash, exit, limits, nondeterminism, an undecided history), then
 * liveness (liveness.* and the algorithms' end-of-run checks), so a few
 * safety violations are never buried under many liveness failures. Runs
 * that missed a bug scenario's expected violation are counted apart. */
#ifndef FL_TALLY_H
#define FL_TALLY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/batch/outcome.h"

typedef enum fl_fail_class {
    FL_FAIL_SAFETY,
    FL_FAIL_IMPL,
    FL_FAIL_LIVENESS,
    FL_FAIL_MISSED        /* expected violation not caught (FL_OUT_MISSED) */
} fl_fail_class;

/* The class of a run that did not pass, from its kind, check name and
 * detail line (an invariant that failed in its end-of-run hook says
 * "violated at the end of the run", see fl_verdict_first_failure). */
fl_fail_class fl_fail_class_of(fl_outcome_kind kind, const char *check, const char *detail);
/* "safety", "implementation", "liveness", "missed". */
const char   *fl_fail_class_name(fl_fail_class c);

typedef struct fl_tally_entry {
    char          check[64];
    fl_fail_class cls;
    uint64_t      count;
    uint64_t      first_seed;
} fl_tally_entry;

typedef struct fl_tally {
    fl_tally_entry *e;
    size_t          n, cap;
} fl_tally;

/* Counts one run that did not pass; -1 if out of memory. */
int  fl_tally_add(fl_tally *t, fl_outcome_kind kind, const char *check,
                  const char *detail, uint64_t seed);
/* Safety, implementation, liveness, missed; within a class by count
 * (highest first), then by name. */
void fl_tally_sort(fl_tally *t);
/* One line per check: "  safety    raft.ack_durable   4 runs, first seed 59". */
void fl_tally_print(const fl_tally *t, FILE *out);
/* Runs counted in `cls`. */
uint64_t fl_tally_count(const fl_tally *t, fl_fail_class cls);
void fl_tally_free(fl_tally *t);

#endif
