/* lincheck.h — the engine's door to the linearizability checker (lin.h):
 * checks a run's history against the model its workload names and sums
 * the verdict up in one line. */
#ifndef FL_LINCHECK_H
#define FL_LINCHECK_H

#include <stddef.h>

#include "sim/check/lin.h"
#include "sim/history.h"
#include "sim/scenario/scenario.h"

/* "register", "kv", "counter", "lock", or "none". */
const char *fl_model_kind_name(fl_model_kind kind);

/* `rep` is initialised here; free it with fl_lin_report_free. `summary`
 * gets one line: what was checked and how long it took, or why not. */
fl_lin_result fl_lin_check_engine_history(const fl_history *h, fl_model_kind model,
                                          double timeout_s, fl_lin_report *rep,
                                          char *summary, size_t len);

#endif
