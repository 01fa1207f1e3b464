/* lincheck.c — from a run's history to a verdict line. */
#include "sim/run/lincheck.h"

#include <stdio.h>

const char *fl_model_kind_name(fl_model_kind kind)
{
    switch (kind) {
    case FL_MODEL_REGISTER: return "register";
    case FL_MODEL_KV: return "kv";
    case FL_MODEL_COUNTER: return "counter";
    case FL_MODEL_LOCK: return "lock";
    case FL_MODEL_NONE: break;
    }
    return "none";
}

fl_lin_result fl_lin_check_engine_history(const fl_history *h, fl_model_kind model,
                                          double timeout_s, fl_lin_report *rep,
                                          char *summary, size_t len)
{
    fl_lin_report_init(rep);
    const char *name = fl_model_kind_name(model);
    fl_lin_result r = fl_lin_check_history(h, name, FL_NIL, timeout_s, rep);
    switch (r) {
    case FL_LIN_OK:
    case FL_LIN_VIOLATION:
    case FL_LIN_UNKNOWN:
        snprintf(summary, len, "(%s model, %zu ops in %zu partitions, %.3f s)%s%s",
                 name, rep->ops, rep->partitions, rep->seconds,
                 rep->anomaly[0] ? ": " : "", rep->anomaly);
        break;
    case FL_LIN_ERROR:
        snprintf(summary, len, "(cannot check: %s)", rep->err.msg);
        break;
    case FL_LIN_UNAVAILABLE:
        snprintf(summary, len, "(no model to check against)");
        break;
    }
    return r;
}
