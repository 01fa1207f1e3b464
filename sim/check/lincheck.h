/* lincheck.h — the engine's door to the linearizability checker: checks a
 * run's history against the model the workload names. */
#ifndef FL_LINCHECK_H
#define FL_LINCHECK_H

#include "sim/history.h"
#include "sim/scenario.h"

typedef enum fl_lin_result {
    FL_LIN_OK,            /* linearizable */
    FL_LIN_VIOLATION,     /* not linearizable */
    FL_LIN_UNKNOWN,       /* ran out of time */
    FL_LIN_UNAVAILABLE    /* no checker for this model */
} fl_lin_result;

typedef struct fl_lin_report {
    char summary[256];    /* one line: what was checked, or what failed */
} fl_lin_report;

fl_lin_result fl_lin_check_engine_history(const fl_history *h, fl_model_kind model,
                                          double timeout_s, fl_lin_report *rep);

#endif
