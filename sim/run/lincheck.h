/* lincheck.h — the engine's door to the linearizability checker (lin.h):
 * checks a run's history against the model its workload names and sums
 * the verdict up in one line. */
#ifndef FL_LINCHECK_H
#define FL_LINCHECK_H

#include <stdbool.h>
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

/* The check while the run goes on (sim/check/lin_incr.h), so a long run
 * need not keep its history: after every step, once the history holds
 * FL_LIN_STREAM_WINDOW events, they are fed to the per-key check and
 * forgotten (fl_history_forget: the run's temporary file keeps them for
 * the history files and for the whole check). At the end, the whole check
 * runs as before unless something was forgotten and the per-key check
 * found the history linearizable; when it did not, the history is read
 * back and the whole check decides and reports, so verdicts and reports
 * are those of the whole check. */
#define FL_LIN_STREAM_WINDOW 1024

typedef struct fl_lin_stream fl_lin_stream;

/* `check`: the run's history will be checked against `model`. NULL when
 * out of memory. */
fl_lin_stream *fl_lin_stream_new(fl_model_kind model, bool check);
void fl_lin_stream_free(fl_lin_stream *st);
/* After a step: cheap until the history holds the window. */
void fl_lin_stream_step(fl_lin_stream *st, fl_history *h);
/* The end-of-run check, as fl_lin_check_engine_history (which it calls
 * when nothing was forgotten). `st` may be NULL. */
fl_lin_result fl_lin_check_engine_stream(fl_lin_stream *st, fl_history *h,
                                         fl_model_kind model, double timeout_s,
                                         fl_lin_report *rep, char *summary,
                                         size_t len);

#endif
