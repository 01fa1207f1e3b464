/* liveness.c — see liveness.h. */
#include "sim/run/liveness.h"

#include <inttypes.h>
#include <stdio.h>

/* The scenario's min_ok_ops is for its whole workload window of fault-free
 * time; a run that had less (faults, a shorter --duration) owes the same
 * rate per second of the fault-free time it had, rounded up. */
int64_t fl_liveness_ops_owed(int64_t min_ok_ops, fl_time fault_free, fl_time window)
{
    if (min_ok_ops <= 0 || fault_free >= window)
        return min_ok_ops;
    if (fault_free <= 0)
        return 0;
    double owed = (double)min_ok_ops * ((double)fault_free / (double)window);
    int64_t n = (int64_t)owed;
    return (double)n < owed ? n + 1 : n;
}

fl_live fl_liveness_min_ops(const fl_engine *e, const fl_scenario *s,
                            char *detail, size_t len)
{
    const fl_engine_stats *st = fl_engine_stats_get(e);
    detail[0] = '\0';
    if (s->expect.min_ok_ops < 0)
        return FL_LIVE_SKIPPED;
    fl_time window = s->workload.stop - s->workload.start;
    fl_time calm = fl_engine_fault_free_time(e);
    int64_t owed = fl_liveness_ops_owed(s->expect.min_ok_ops, calm, window);
    int n = snprintf(detail, len, "%" PRIu64 " client operations succeeded, the "
                     "scenario needs at least %" PRId64, st->ops_ok, owed);
    if (owed != s->expect.min_ok_ops && n > 0 && (size_t)n < len)
        n += snprintf(detail + n, len - (size_t)n, ": %" PRId64 " per %.0f ms "
                      "of workload, for its %.0f ms of fault-free time",
                      s->expect.min_ok_ops, (double)window / 1e6, (double)calm / 1e6);
    if (owed != s->expect.min_ok_ops && fl_engine_settle(e) > 0 && n > 0 && (size_t)n < len)
        n += snprintf(detail + n, len - (size_t)n, " (counted from %.0f ms after each "
                      "recovery)", (double)fl_engine_settle(e) / 1e6);
    if (n > 0 && (size_t)n < len)
        snprintf(detail + n, len - (size_t)n, " (%" PRIu64 " failed, %" PRIu64
                 " timed out)", st->ops_fail, st->ops_info);
    return (int64_t)st->ops_ok >= owed ? FL_LIVE_HELD : FL_LIVE_FAILED;
}

fl_live fl_liveness_leader(const fl_engine *e, const fl_scenario *s,
                           char *detail, size_t len)
{
    detail[0] = '\0';
    if (s->expect.leader_within < 0)
        return FL_LIVE_SKIPPED;
    fl_time since = fl_engine_leader_since(e);
    fl_time from = fl_engine_last_disruption_end(e);
    fl_time deadline = from + s->expect.leader_within;
    snprintf(detail, len, "last recovery at %.3f ms, leader %s%.3f ms, bound "
             "%.0f ms", (double)from / 1e6, since >= 0 ? "since " : "none; now ",
             (double)(since >= 0 ? since : fl_engine_now(e)) / 1e6,
             (double)s->expect.leader_within / 1e6);
    if (since >= 0 && since <= deadline)
        return FL_LIVE_HELD;
    if (deadline > fl_engine_now(e))
        return FL_LIVE_SKIPPED;     /* the run ended before the deadline */
    return FL_LIVE_FAILED;
}
