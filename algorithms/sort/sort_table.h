/* sort_table.h — the sample sort's fl_algorithm, referenced by the engine's
 * registry (sim/run/registry.c). */
#ifndef FL_SORT_TABLE_H
#define FL_SORT_TABLE_H

#include "algorithms/algorithm.h"

/* The built-in algorithm "sort": roles "coordinator" and "worker". */
extern const fl_algorithm fl_sort_algorithm;

#endif
