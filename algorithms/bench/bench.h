/* bench.h — two synthetic algorithms for `faultline bench`: "bench-timers"
 * (every node re-arms a timer forever) and "bench-mesh" (every node starts
 * with a message to each peer and forwards every message it receives to a
 * random peer, so the all-to-all load stays constant). */
#ifndef FL_ALG_BENCH_H
#define FL_ALG_BENCH_H

#include "algorithms/algorithm.h"

extern const fl_algorithm fl_bench_timers_algorithm;
extern const fl_algorithm fl_bench_mesh_algorithm;

#endif
