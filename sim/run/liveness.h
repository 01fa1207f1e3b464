/* liveness.h — a scenario's end-of-run liveness expectations
 * (expect.min_ok_ops, expect.leader_within_ms), judged in one place for
 * `run`, `grade`, `explore` and `shrink`. Algorithm-specific liveness
 * (the sort finishing, Paxos learning, counters converging) lives in the
 * invariants' finish hooks instead. */
#ifndef FL_LIVENESS_H
#define FL_LIVENESS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/engine.h"
#include "sim/scenario/scenario.h"

typedef enum fl_live {
    FL_LIVE_SKIPPED,   /* not asked for, or the run ended before the bound */
    FL_LIVE_HELD,
    FL_LIVE_FAILED
} fl_live;

/* How many of `min_ok_ops` (declared for a workload window of `window`
 * ns) a run with `fault_free` ns of fault-free time in that window owes:
 * the same rate per fault-free second, rounded up. */
int64_t fl_liveness_ops_owed(int64_t min_ok_ops, fl_time fault_free, fl_time window);

/* Each writes one sentence on what it saw to `detail`.
 * min_ok_ops: the successful client operations against what is owed for
 * the run's fault-free time (fl_engine_fault_free_time). leader: a leader
 * within leader_within of the last heal, restart or resume. */
fl_live fl_liveness_min_ops(const fl_engine *e, const fl_scenario *s,
                            char *detail, size_t len);
fl_live fl_liveness_leader(const fl_engine *e, const fl_scenario *s,
                           char *detail, size_t len);

#endif
