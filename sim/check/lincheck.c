/* lincheck.c — adapter from a run's history to the checker. */
#include "sim/check/lincheck.h"

#include <stdio.h>

fl_lin_result fl_lin_check_engine_history(const fl_history *h, fl_model_kind model,
                                          double timeout_s, fl_lin_report *rep)
{
    (void)h;
    (void)model;
    (void)timeout_s;
    snprintf(rep->summary, sizeof rep->summary,
             "(the linearizability checker is not built into this version yet)");
    return FL_LIN_UNAVAILABLE;
}
