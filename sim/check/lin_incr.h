/* lin_incr.h — the linearizability check of a run's history while it is
 * recorded, one key at a time, so a long run need not keep its history.
 *
 * Models that partition by key (P-compositionality) are checked key by
 * key. A key reaches a cut when none of its ops is open (invoked and not
 * yet completed): every op before the cut returned before any op after it
 * was called, so the ops before it take effect first. At a cut, the
 * segment since the previous cut is searched exhaustively from every
 * configuration possible at the previous cut; what is kept is the set of
 * configurations possible at the new one, and the segment is dropped.
 *
 * A configuration is a model state and the indeterminate (info) ops that
 * have not taken effect yet: such an op may take effect any time after
 * its call or never, so it is carried from segment to segment, callable
 * at once, for ever. Of two configurations with the same state, the one
 * that has applied a subset of the other's info ops can do everything the
 * other can: only the maximal ones are kept.
 *
 * The answer is OK (some linearization exists: the whole check,
 * lin.h, finds the history linearizable too), FAILED (a segment admits
 * none from any configuration) or GAVE_UP (a limit on segment size, search
 * size or carried ops was reached, or the model cannot check an op). Only
 * OK is final; for the other two the caller runs the whole check, which
 * writes the reports. The search only ever keeps configurations that a
 * real linearization reaches, so OK here implies OK there. */
#ifndef FL_CHECK_LIN_INCR_H
#define FL_CHECK_LIN_INCR_H

#include <stddef.h>

#include "sim/check/lin.h"
#include "sim/check/model.h"
#include "sim/history.h"

typedef enum fl_lin_incr_state {
    FL_LIN_INCR_OK,         /* linearizable so far */
    FL_LIN_INCR_FAILED,     /* not linearizable: run the whole check */
    FL_LIN_INCR_GAVE_UP     /* a limit was reached: run the whole check */
} fl_lin_incr_state;

typedef struct fl_lin_incr fl_lin_incr;

/* NULL if `m` does not partition by key (fl_model_partition_by_key) or
 * out of memory. The initial state is the model's default. `min_segment`:
 * a key's segment is checked at the first cut after it holds at least
 * this many events (1: at every cut). */
fl_lin_incr *fl_lin_incr_new(const fl_model *m, size_t min_segment);
void fl_lin_incr_free(fl_lin_incr *in);

/* Takes the next event of the history. Once the state is not OK, events
 * are ignored. */
fl_lin_incr_state fl_lin_incr_feed(fl_lin_incr *in, const fl_hist_event *e);
/* The history ended: ops still open are indeterminate, and every key's
 * last segment is checked. */
fl_lin_incr_state fl_lin_incr_finish(fl_lin_incr *in);
fl_lin_incr_state fl_lin_incr_state_of(const fl_lin_incr *in);

/* What the whole check would count: ops checked (info reads and failed
 * ops left out) and partitions (keys with such an op). Exact once
 * finished. */
size_t fl_lin_incr_ops(const fl_lin_incr *in);
size_t fl_lin_incr_partitions(const fl_lin_incr *in);
/* Bytes held now (segments, configurations, carried ops): for tests. */
size_t fl_lin_incr_held(const fl_lin_incr *in);
/* Seconds (wall clock) spent in searches, for information only. */
double fl_lin_incr_seconds(const fl_lin_incr *in);

/* Fills `r` (initialised here) the way the whole check does for a
 * linearizable history: result OK, model, ops, partitions, summary. Call
 * only when finished in state OK. */
void fl_lin_incr_report(const fl_lin_incr *in, double timeout_s,
                        fl_lin_report *r);

#endif
