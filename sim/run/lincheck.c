/* lincheck.c — from a run's history to a verdict line, checked at the end
 * or, in a long run, key by key while it goes on. */
#include "sim/run/lincheck.h"

#include <stdio.h>
#include <stdlib.h>

#include "sim/check/lin_incr.h"

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

static void summarize(fl_lin_result r, const char *name, const fl_lin_report *rep,
                      char *summary, size_t len)
{
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
}

fl_lin_result fl_lin_check_engine_history(const fl_history *h, fl_model_kind model,
                                          double timeout_s, fl_lin_report *rep,
                                          char *summary, size_t len)
{
    fl_lin_report_init(rep);
    const char *name = fl_model_kind_name(model);
    fl_lin_result r = fl_lin_check_history(h, name, FL_NIL, timeout_s, rep);
    summarize(r, name, rep, summary, len);
    return r;
}

/* ---- while the run goes on ------------------------------------------------------ */

struct fl_lin_stream {
    fl_lin_incr *incr;     /* NULL: no check, or a model it cannot follow */
    size_t       fed;      /* events fed to incr, from the run's start */
    size_t       next;     /* act when the history holds this many */
};

fl_lin_stream *fl_lin_stream_new(fl_model_kind model, bool check)
{
    fl_lin_stream *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->next = FL_LIN_STREAM_WINDOW;
    if (check && model != FL_MODEL_NONE) {
        const fl_model *m = fl_model_find(fl_model_kind_name(model));
        /* a segment is searched once it has a few ops: fewer searches */
        st->incr = m ? fl_lin_incr_new(m, 32) : NULL;
    }
    return st;
}

void fl_lin_stream_free(fl_lin_stream *st)
{
    if (!st)
        return;
    fl_lin_incr_free(st->incr);
    free(st);
}

static void stream_feed(fl_lin_stream *st, const fl_history *h)
{
    size_t total = fl_history_total(h);
    if (st->incr && fl_lin_incr_state_of(st->incr) == FL_LIN_INCR_OK)
        for (; st->fed < total; st->fed++)
            if (fl_lin_incr_feed(st->incr, &h->events[st->fed - h->base]) !=
                FL_LIN_INCR_OK)
                break;
}

void fl_lin_stream_step(fl_lin_stream *st, fl_history *h)
{
    if (h->len < st->next)
        return;
    stream_feed(st, h);
    /* what the per-key check has not read stays (once it has given up,
     * the whole check reads everything back anyway) */
    size_t upto = fl_history_total(h);
    if (st->incr && fl_lin_incr_state_of(st->incr) == FL_LIN_INCR_OK)
        upto = st->fed;
    (void)fl_history_forget(h, upto);      /* -1: the history stays whole */
    if (st->incr && fl_lin_incr_state_of(st->incr) != FL_LIN_INCR_OK) {
        fl_lin_incr_free(st->incr);        /* the whole check decides */
        st->incr = NULL;
    }
    /* an op open for long keeps its events: act again at twice as many */
    st->next = h->len * 2 > FL_LIN_STREAM_WINDOW ? h->len * 2 : FL_LIN_STREAM_WINDOW;
}

fl_lin_result fl_lin_check_engine_stream(fl_lin_stream *st, fl_history *h,
                                         fl_model_kind model, double timeout_s,
                                         fl_lin_report *rep, char *summary,
                                         size_t len)
{
    const char *name = fl_model_kind_name(model);
    if (st && st->incr && h->base > 0 &&
        fl_lin_incr_state_of(st->incr) == FL_LIN_INCR_OK) {
        stream_feed(st, h);
        if (fl_lin_incr_finish(st->incr) == FL_LIN_INCR_OK) {
            fl_lin_incr_report(st->incr, timeout_s, rep);
            summarize(FL_LIN_OK, name, rep, summary, len);
            return FL_LIN_OK;
        }
    }
    if (h->base > 0 && fl_history_recall(h) != 0) {
        fl_lin_report_init(rep);
        rep->result = FL_LIN_ERROR;
        fl_error_set(&rep->err, "cannot read the history back");
        snprintf(rep->summary, sizeof rep->summary, "%s", rep->err.msg);
        summarize(FL_LIN_ERROR, name, rep, summary, len);
        return FL_LIN_ERROR;
    }
    return fl_lin_check_engine_history(h, model, timeout_s, rep, summary, len);
}
