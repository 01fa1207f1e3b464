/* lin.h — the linearizability checker: is there an order of the history's
 * operations, consistent with real time, that the model accepts?
 *
 * Wing & Gong's search with Lowe's just-in-time linearization and
 * memoization of (set of linearized ops, model state), as in Porcupine,
 * split into independent partitions when the model partitions by key
 * (P-compositionality), searched concurrently by a few threads that all
 * stop at the first violation (fl_lin_options.threads; the engine's runs
 * use one, so a run's report is always the same). This header is the
 * checker's door; lin_impl.h is its inside. Indeterminate (info) ops may
 * take effect any time
 * after their call, or never: the search succeeds as soon as every ok op
 * is linearized. Failed ops are not in the history at all.
 *
 * The engine calls, after every run:
 *
 *     fl_lin_report rep;
 *     fl_lin_result r = fl_lin_check_history(&history, "kv", FL_NIL,
 *                                            10.0, &rep);
 *     puts(rep.summary);                       // one line, always set
 *     if (r == FL_LIN_VIOLATION) fl_lin_report_print(&rep, stdout);
 *     fl_lin_report_free(&rep);
 *
 * The result doubles as the exit status (0 ok, 1 violation, 2 bad input,
 * 3 unknown); UNAVAILABLE means no check ran (model "none"). Only the
 * timeout reads the wall clock; verdicts and reports do not depend on it,
 * except that a run may stop with UNKNOWN. */
#ifndef FL_CHECK_LIN_H
#define FL_CHECK_LIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/check/linop.h"
#include "sim/check/model.h"
#include "sim/error.h"
#include "sim/history.h"

typedef enum fl_lin_result {
    FL_LIN_OK        = 0,   /* linearizable */
    FL_LIN_VIOLATION = 1,   /* not linearizable: see the report */
    FL_LIN_ERROR     = 2,   /* bad history, model or --init: report.err */
    FL_LIN_UNKNOWN   = 3,   /* the timeout struck first */
    FL_LIN_UNAVAILABLE = 4  /* no model to check against ("none"/NULL) */
} fl_lin_result;

const char *fl_lin_result_name(fl_lin_result r);   /* "yes", "NO", ... */

/* One op in a report, as text, with a note: for ops of the prefix, the
 * model state after it; for the ops pending at the failure, whether the
 * model accepts it next. */
typedef struct fl_lin_report_line {
    size_t op;              /* index in the checked fl_lin_history */
    bool   fits;            /* pending op: the model accepts it next */
    char   text[200];
    char   note[200];
} fl_lin_report_line;

#define FL_LIN_TAIL 12      /* prefix ops shown before the failure point */

/* Filled by a check (an out parameter: no need to initialise it first);
 * release it with fl_lin_report_free before reusing it. */
typedef struct fl_lin_report {
    fl_lin_result result;
    char     summary[256];        /* one line: the verdict and why */
    char     model[32];
    size_t   ops;                 /* ops checked (info reads dropped) */
    size_t   partitions;
    size_t   partitions_unknown;  /* partitions not decided: stopped by
                                     the timeout or the memory limit */
    size_t   partitions_memory;   /* ... of which by the memory limit */
    char     undecided[128];      /* the key of the first undecided
                                     partition ("" if none, or not
                                     partitioned) */
    size_t   max_memory;          /* the limit applied, bytes */
    size_t   peak_memory;         /* the most any partition's search
                                     tables held, bytes */
    bool     partitioned;         /* split by the model's partition */
    uint64_t steps;               /* model steps tried, all partitions */
    uint64_t configurations;      /* distinct (linearized set, state) seen */
    double   seconds;             /* wall clock, for information only */

    /* Filled on FL_LIN_VIOLATION, for the first failing partition. */
    char     key[128];            /* its key, "" when not partitioned */
    size_t   part_ops;            /* ops in that partition */
    size_t  *part;                /* their history indices, in call order */
    size_t   prefix_len;          /* the longest linearizable prefix found */
    size_t  *prefix;              /* its ops (history indices), in order */
    char     init_state[200];
    char     state[200];          /* the model state after the prefix */
    size_t   ntail;               /* the last ops of the prefix */
    fl_lin_report_line tail[FL_LIN_TAIL];
    size_t   npending;            /* ops open at the failure point */
    fl_lin_report_line *pending;
    size_t   stuck;               /* history index of the ok op that had
                                     to take effect before its return */
    int64_t  window_from, window_to;  /* the failing window, history time */
    bool     time_is_ns;          /* ... in ns, else in file lines */
    /* The anomaly behind it, where one register/kv pattern fits exactly
     * ("stale read: ...", "lost acknowledged write: ...", "write applied
     * twice: ..."); "" when none does (lin_anomaly.c). */
    char     anomaly[640];

    fl_error err;                 /* on FL_LIN_ERROR */
} fl_lin_report;

void fl_lin_report_init(fl_lin_report *r);
void fl_lin_report_free(fl_lin_report *r);
/* The verdict's explanation as text (several lines; nothing for OK). */
void fl_lin_report_print(const fl_lin_report *r, FILE *out);

/* Checks `h` against model `m`, whose initial state comes from `init`
 * (NULL for the model's default). timeout_s <= 0 means no limit. `report`
 * may be NULL; otherwise it is filled (see fl_lin_report). The memory
 * limit is fl_lin_default_max_memory(). */
fl_lin_result fl_lin_check(const fl_lin_history *h, const fl_model *m,
                           const fl_lin_val *init, double timeout_s,
                           fl_lin_report *report);

typedef struct fl_lin_options {
    double timeout_s;     /* give up with UNKNOWN after this; <= 0: never */
    size_t max_memory;    /* bytes the search's tables (visited
                             configurations, states, memoized steps) may
                             hold; past it the check stops with UNKNOWN
                             rather than being killed for lack of memory.
                             0: fl_lin_default_max_memory() */
    bool   no_partition;  /* check the history as a whole even if the
                             model partitions it (P-compositionality off):
                             a state is then every partition's state */
    unsigned threads;     /* partitions searched at once; 0: one per
                             processor, at least 2, at most 8. Every
                             search stops at the first violation found,
                             so the time to a NO does not depend on
                             other partitions. The verdict never depends
                             on the threads; with several violating
                             partitions, the one reported is the
                             lowest-index one among those decided (with
                             1 thread: always the first). */
} fl_lin_options;

/* The same with options; opts NULL = all defaults. */
fl_lin_result fl_lin_check_opts(const fl_lin_history *h, const fl_model *m,
                                const fl_lin_val *init,
                                const fl_lin_options *opts,
                                fl_lin_report *report);

/* The default memory limit: half the physical memory, and no more than
 * three quarters of an address-space, data-size or cgroup limit; at least
 * 64 MiB. */
size_t fl_lin_default_max_memory(void);

/* "512 MiB", "8.0 GiB": a size for messages; returns buf. */
char *fl_lin_format_bytes(size_t bytes, char *buf, size_t len);

/* Writes a self-contained HTML page showing the history — one row per
 * process, one bar per op over (event-order) time — with the failing
 * window, the longest linearizable prefix and the open ops highlighted
 * when `r` reports a violation (then only that partition is drawn). The
 * page goes to a temporary file renamed over `path`, so a reader never
 * sees half of it. Returns 0, or -1 with a message in err. */
int fl_lin_write_html(const fl_lin_history *h, const fl_lin_report *r,
                      const char *path, fl_error *err);
/* The trace of the run that wrote a history, for the page's links
 * (trace_link.h finds the ops and their clients, and checks the pair). */
typedef struct fl_lin_html_trace {
    const char   *path;       /* the trace file */
    const size_t *ops;        /* history indices linked (the failing window) */
    const int    *nodes;      /* each one's client node in the trace, -1 unknown */
    size_t        n;
} fl_lin_html_trace;

/* The same, and with `trace` (NULL: none; h's times must be ns) each op
 * it lists links to an entry under the drawing with the command line that
 * opens the visualizer on the trace at the op's invoke, its client
 * selected: `faultline viz --trace TRACE --at MS --select NODE`. */
int fl_lin_write_html_trace(const fl_lin_history *h, const fl_lin_report *r,
                            const fl_lin_html_trace *trace, const char *path,
                            fl_error *err);

/* What the engine calls after a run: checks a run's history against the
 * model named `model` ("register", "kv", "lock", "counter" — the names of
 * the scenario's workload models; "set" needs set-valued reads, which
 * fl_history cannot carry; NULL or "none" gives FL_LIN_UNAVAILABLE). `init`
 * is the initial value, or FL_NIL for the model's default. */
fl_lin_result fl_lin_check_history(const fl_history *h, const char *model,
                                   int64_t init, double timeout_s,
                                   fl_lin_report *report);

#endif
