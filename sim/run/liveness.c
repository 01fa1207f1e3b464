/* liveness.c — see liveness.h. */
#include "sim/run/liveness.h"

#include <inttypes.h>
#include <stdio.h>

fl_live fl_liveness_min_ops(const fl_engine *e, const fl_scenario *s,
                            char *detail, size_t len)
{
    const fl_engine_stats *st = fl_engine_stats_get(e);
    detail[0] = '\0';
    if (s->expect.min_ok_ops < 0)
        return FL_LIVE_SKIPPED;
    snprintf(detail, len, "%" PRIu64 " client operations succeeded, the "
             "scenario needs at least %" PRId64 " (%" PRIu64 " failed, %"
             PRIu64 " timed out)", st->ops_ok, s->expect.min_ok_ops,
             st->ops_fail, st->ops_info);
    return (int64_t)st->ops_ok >= s->expect.min_ok_ops ? FL_LIVE_HELD
                                                        : FL_LIVE_FAILED;
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
