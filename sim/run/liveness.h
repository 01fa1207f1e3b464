/* liveness.h — a scenario's end-of-run liveness expectations
 * (expect.min_ok_ops, expect.leader_within_ms), judged in one place for
 * `run`, `grade`, `explore` and `shrink`. Algorithm-specific liveness
 * (the sort finishing, Paxos learning, counters converging) lives in the
 * invariants' finish hooks instead. */
#ifndef FL_LIVENESS_H
#define FL_LIVENESS_H

#include <stddef.h>

#include "sim/engine.h"
#include "sim/scenario/scenario.h"

typedef enum fl_live {
    FL_LIVE_SKIPPED,   /* not asked for, or the run ended before the bound */
    FL_LIVE_HELD,
    FL_LIVE_FAILED
} fl_live;

/* Each writes one sentence on what it saw to `detail`. */
fl_live fl_liveness_min_ops(const fl_engine *e, const fl_scenario *s,
                            char *detail, size_t len);
fl_live fl_liveness_leader(const fl_engine *e, const fl_scenario *s,
                           char *detail, size_t len);

#endif
