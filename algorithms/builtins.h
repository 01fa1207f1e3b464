/* builtins.h — the built-in algorithms, one row each: the algorithm, the
 * invariants its family is held to and the linearizability model its state
 * machine implements. Each algorithm folder owns its row's contents; the
 * engine and the checker know no algorithm by name, the run (sim/run/)
 * looks rows up here. May include: algorithms/algorithm.h and
 * algorithms/invariant.h. */
#ifndef FL_BUILTINS_H
#define FL_BUILTINS_H

#include <stddef.h>

#include "algorithms/algorithm.h"
#include "algorithms/invariant.h"

typedef struct fl_builtin {
    const fl_algorithm *algorithm;
    /* The family's invariants; NULL: none. A plug-in run on a scenario
     * that names this family is held to the same ones. */
    const fl_invariant *const *(*invariants)(size_t *n);
    /* The model a client history of its state machine is checked against
     * by default ("kv", "register", "counter", "lock"); NULL: none. A
     * scenario's workload.model says which one a run uses. */
    const char *model;
} fl_builtin;

/* The i-th row, NULL past the end. */
const fl_builtin *fl_builtin_at(size_t i);
/* The row of the algorithm (family) `name`; NULL if none. */
const fl_builtin *fl_builtin_find(const char *name);

#endif
