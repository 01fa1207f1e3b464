/* invcheck.h — runs an algorithm family's invariants as an engine step
 * hook and remembers the first violation (name, node, time, message). */
#ifndef FL_INVCHECK_H
#define FL_INVCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "algorithms/invariant.h"
#include "sim/engine.h"

typedef struct fl_invcheck fl_invcheck;

/* NULL only when out of memory. A family with no invariants gives a
 * checker with count 0 that always holds. */
fl_invcheck *fl_invcheck_new(const char *family, fl_engine *e);
void         fl_invcheck_free(fl_invcheck *ic);
/* Registers the hook; the checker must outlive the run. */
int          fl_invcheck_attach(fl_invcheck *ic, fl_engine *e);
size_t       fl_invcheck_count(const fl_invcheck *ic);
const fl_invariant *fl_invcheck_at(const fl_invcheck *ic, size_t i);

typedef struct fl_violation {
    const char *name;        /* the invariant's name */
    fl_node_id  node;        /* the node that had just stepped */
    fl_time     time;
    char        msg[512];
} fl_violation;

/* At the end of a run that kept every invariant: the liveness checks
 * (fl_invariant.finish). 0, or -1 and a violation. */
int          fl_invcheck_finish(fl_invcheck *ic, fl_engine *e);
/* NULL while every invariant held. */
const fl_violation *fl_invcheck_violation(const fl_invcheck *ic);

#endif
