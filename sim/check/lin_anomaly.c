/* lin_anomaly.c — names the anomaly behind a register/kv violation
 * (lin.h: fl_lin_report.anomaly), by a post-analysis of the failing
 * partition the checker reports.
 *
 * Three patterns, each tried only where the history shows it and each
 * confirmed by checking a changed copy of the failing partition again:
 *   stale read   a read returned v though a write of u != v, called after
 *                the write of v had returned, was acknowledged before the
 *                read began; removing every such read makes the
 *                partition linearizable;
 *   lost write   an acknowledged write whose value no op ever saw, after
 *                which an op saw an older value; removing that write makes
 *                the partition linearizable;
 *   write applied twice
 *                a value seen again after an acknowledged (and seen)
 *                overwrite; a second, late copy of its write makes the
 *                partition linearizable. Named alone when no stale read
 *                explains it (a CAS saw the value), else beside it.
 * Several that fit are all named ("stale read or ..."). The failing
 * partition rather than only the failing window: the search stops where a
 * doomed read ahead of it becomes impossible, so the read that names the
 * anomaly may lie past the window. Conservative: a pattern that does not fit exactly names nothing. It
 * needs values written once per key (Jepsen's unique writes), reads,
 * writes and CAS only, and one key in the partition; the re-checks share a
 * budget of a few seconds (one that runs out names nothing). */
#include "sim/check/lin_impl.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>

#define AN_MAX_OPS   5000    /* larger partitions are not analysed */
#define AN_MAX_TRIES 8       /* re-checks per pattern */
#define AN_BUDGET_S  3.0     /* all re-checks together (wall clock) */

enum { W_NONE = -2, W_INIT = -1 };

typedef struct an_ctx {
    const fl_lin_history *h;
    const fl_model       *m;
    const fl_lin_val     *init;     /* as given to the check (NULL: default) */
    fl_lin_val            initv;    /* the initial value, as the model sees it */
    const size_t         *part;     /* history indices, call order */
    size_t                n;
    int64_t              *writer;   /* local op -> writer of what it saw */
    uint8_t              *drop;     /* scratch: ops left out of a re-check */
    double                deadline; /* wall clock: no re-check after it */
} an_ctx;

static const fl_lin_op *an_op(const an_ctx *a, size_t i)
{
    return &a->h->ops[a->part[i]];
}

static bool cas_true(const fl_lin_op *op)
{
    return op->kind == FL_LIN_CAS && op->status == FL_LIN_STATUS_OK &&
           op->out.type == FL_LV_BOOL && op->out.u.i &&
           op->arg.type == FL_LV_PAIR;
}

/* The value `op` may have written (ok or info). */
static const fl_lin_val *written(const fl_lin_op *op)
{
    if (op->kind == FL_LIN_WRITE)
        return &op->arg;
    if (op->kind == FL_LIN_CAS && op->arg.type == FL_LV_PAIR &&
        (op->status == FL_LIN_STATUS_INFO || cas_true(op)))
        return &op->arg.u.pair[1];
    return NULL;
}

/* The value an ok op saw: a read's result, a successful CAS's expected. */
static const fl_lin_val *seen(const fl_lin_op *op)
{
    if (op->status != FL_LIN_STATUS_OK)
        return NULL;
    if (op->kind == FL_LIN_READ && op->out.type != FL_LV_NONE)
        return &op->out;
    if (cas_true(op))
        return &op->arg.u.pair[0];
    return NULL;
}

/* An acknowledged write (or successful CAS). */
static bool acked_write(const fl_lin_op *op)
{
    return op->status == FL_LIN_STATUS_OK && written(op) != NULL;
}

/* ---- preconditions and the writer of each seen value ------------------------ */

static bool an_fits(const an_ctx *a)
{
    const char *mn = a->m->name;
    if (strcmp(mn, "register") != 0 && strcmp(mn, "cas-register") != 0 &&
        strcmp(mn, "kv") != 0)
        return false;
    if (a->n == 0 || a->n > AN_MAX_OPS)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const fl_lin_op *op = an_op(a, i);
        if (op->kind != FL_LIN_READ && op->kind != FL_LIN_WRITE &&
            op->kind != FL_LIN_CAS)
            return false;
        if (!fl_lin_val_equal(&op->key, &an_op(a, 0)->key))
            return false;
        const fl_lin_val *w = written(op);
        if (w && fl_lin_val_equal(w, &a->initv))
            return false;                   /* writes the initial value */
    }
    return true;
}

/* The local index of the one op that wrote v, W_INIT for the initial
 * value, W_NONE if none or several did, or only an info op. */
static int64_t writer_of(const an_ctx *a, const fl_lin_val *v)
{
    if (fl_lin_val_equal(v, &a->initv))
        return W_INIT;
    int64_t found = W_NONE;
    for (size_t i = 0; i < a->n; i++) {
        const fl_lin_val *w = written(an_op(a, i));
        if (!w || !fl_lin_val_equal(w, v))
            continue;
        if (found != W_NONE)
            return W_NONE;                  /* written twice: no claim */
        found = (int64_t)i;
    }
    if (found >= 0 && an_op(a, (size_t)found)->status != FL_LIN_STATUS_OK)
        return W_NONE;                      /* may take effect any time */
    return found;
}

static int64_t writer_ret(const an_ctx *a, int64_t w)
{
    return w == W_INIT ? INT64_MIN : an_op(a, (size_t)w)->ret;
}

/* Whether some op saw the value local op `w` wrote. */
static bool value_seen(const an_ctx *a, size_t w)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->writer[i] == (int64_t)w)
            return true;
    return false;
}

/* The acknowledged write, other than the writer of what `o` saw, that was
 * called after that writer returned and returned before `o` was called:
 * the latest acknowledged; -1 if none. */
static int64_t overwrite_before(const an_ctx *a, size_t o)
{
    int64_t wv = a->writer[o], best = -1;
    const fl_lin_op *op = an_op(a, o);
    for (size_t i = 0; i < a->n; i++) {
        const fl_lin_op *w = an_op(a, i);
        if ((int64_t)i == wv || !acked_write(w))
            continue;
        if (w->call > writer_ret(a, wv) && w->ret < op->call &&
            (best < 0 || w->ret > an_op(a, (size_t)best)->ret))
            best = (int64_t)i;
    }
    return best;
}

/* ---- re-checking a changed partition ----------------------------------------- */

/* Whether the partition without the ops marked in a->drop, and with an
 * info copy of local op `twice` (-1: none) right after it, is
 * linearizable. Undecided counts as no. */
static bool recheck(const an_ctx *a, int64_t twice)
{
    fl_lin_history sub;
    fl_lin_history_init(&sub, a->h->source);
    sub.has_strings = a->h->has_strings;
    sub.time_is_ns = a->h->time_is_ns;
    sub.init_hint = a->h->init_hint;
    sub.model_hint = a->h->model_hint;
    bool ok = true;
    for (size_t i = 0; i < a->n && ok; i++) {
        if (a->drop[i])
            continue;
        const fl_lin_op *op = an_op(a, i);
        ok = fl_lin_history_add(&sub, op) == 0;
        if (ok && (int64_t)i == twice) {
            fl_lin_op copy = *op;
            copy.status = FL_LIN_STATUS_INFO;
            copy.out = fl_lin_none();
            copy.ret = FL_LIN_NEVER;
            copy.ret_time = FL_LIN_NEVER;
            ok = fl_lin_history_add(&sub, &copy) == 0;
        }
    }
    double left = a->deadline - lin_wall_seconds();
    fl_lin_options o = { .timeout_s = left, .threads = 1 };
    bool lin = ok && left > 0 &&
               fl_lin_check_opts(&sub, a->m, a->init, &o, NULL) == FL_LIN_OK;
    fl_lin_history_free(&sub);
    return lin;
}

/* ---- the patterns ------------------------------------------------------------- */

static void an_time(const an_ctx *a, int64_t t, char *buf, size_t len)
{
    if (a->h->time_is_ns && (t >= 1000000 || t <= -1000000))
        snprintf(buf, len, "%.3f ms", (double)t / 1e6);
    else if (a->h->time_is_ns)
        snprintf(buf, len, "%" PRId64 " ns", t);
    else
        snprintf(buf, len, "line %" PRId64, t);
}

static void an_text(const an_ctx *a, size_t i, char *buf, size_t len)
{
    fl_lin_op_format(an_op(a, i), buf, len);
}

/* Stale reads: returns the first (by call) or -1; *over its overwrite. */
static int64_t find_stale(an_ctx *a, int64_t *over)
{
    int64_t first = -1;
    memset(a->drop, 0, a->n);
    for (size_t i = 0; i < a->n; i++) {
        const fl_lin_op *op = an_op(a, i);
        if (op->kind != FL_LIN_READ || a->writer[i] == W_NONE)
            continue;
        int64_t w = overwrite_before(a, i);
        if (w < 0)
            continue;
        a->drop[i] = 1;
        if (first < 0) {
            first = (int64_t)i;
            *over = w;
        }
    }
    if (first >= 0 && !recheck(a, -1))
        first = -1;
    return first;
}

/* A lost write: the first candidate whose removal explains the partition,
 * or -1; *later an op that saw an older value after it. */
static int64_t find_lost(an_ctx *a, int64_t *later)
{
    unsigned tries = 0;
    for (size_t w = 0; w < a->n && tries < AN_MAX_TRIES; w++) {
        const fl_lin_op *wop = an_op(a, w);
        if (!acked_write(wop) || value_seen(a, w))
            continue;
        int64_t older = -1;
        for (size_t i = 0; i < a->n && older < 0; i++) {
            int64_t wv = a->writer[i];
            if (wv != W_NONE && wv != (int64_t)w &&
                an_op(a, i)->call > wop->ret && writer_ret(a, wv) < wop->call)
                older = (int64_t)i;
        }
        if (older < 0)
            continue;
        tries++;
        memset(a->drop, 0, a->n);
        a->drop[w] = 1;
        if (recheck(a, -1)) {
            *later = older;
            return (int64_t)w;
        }
    }
    return -1;
}

/* A write applied twice: its writer, or -1; *obs the op that saw it again,
 * *over the overwrite it saw past. */
static int64_t find_twice(an_ctx *a, int64_t *obs, int64_t *over)
{
    unsigned tries = 0;
    memset(a->drop, 0, a->n);
    for (size_t i = 0; i < a->n && tries < AN_MAX_TRIES; i++) {
        int64_t wv = a->writer[i];
        if (wv < 0 || an_op(a, (size_t)wv)->kind != FL_LIN_WRITE)
            continue;
        int64_t w = overwrite_before(a, i);
        if (w < 0 || !value_seen(a, (size_t)w))
            continue;
        tries++;
        if (recheck(a, wv)) {
            *obs = (int64_t)i;
            *over = w;
            return wv;
        }
    }
    return -1;
}

static void an_set(fl_lin_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void an_set(fl_lin_report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->anomaly, sizeof r->anomaly, fmt, ap);
    va_end(ap);
}

static void explain(an_ctx *a, fl_lin_report *r)
{
    char t1[200], t2[200], t3[200], c1[40], c2[40];
    int64_t over = -1, later = -1, obs = -1;
    int64_t stale = find_stale(a, &over);
    int64_t stale_over = over;
    int64_t lost = find_lost(a, &later);
    if (stale >= 0) {
        /* the same reads may be explained by a write applied twice */
        int64_t twice = find_twice(a, &obs, &over);
        an_text(a, (size_t)stale, t1, sizeof t1);
        an_text(a, (size_t)stale_over, t2, sizeof t2);
        t3[0] = '\0';
        if (lost >= 0 && lost != stale_over)
            an_text(a, (size_t)lost, t3, sizeof t3);
        an_time(a, an_op(a, (size_t)stale)->call_time, c1, sizeof c1);
        an_time(a, an_op(a, (size_t)stale_over)->ret_time, c2, sizeof c2);
        an_set(r, "stale read%s%s: %s began at %s, after the write of that "
               "value had been overwritten by %s (acknowledged at %s)%s%s%s",
               lost >= 0 ? " or lost acknowledged write" : "",
               twice >= 0 ? " or write applied twice" : "", t1, c1, t2, c2,
               lost < 0 ? "" : t3[0] ? "; no op ever saw the value of "
                                     : ", a value no op ever saw", t3,
               twice >= 0 ? "; a retried write of that value applied again "
                            "would also explain it" : "");
        return;
    }
    if (lost >= 0) {
        an_text(a, (size_t)lost, t1, sizeof t1);
        an_text(a, (size_t)later, t2, sizeof t2);
        an_time(a, an_op(a, (size_t)lost)->ret_time, c1, sizeof c1);
        an_set(r, "lost acknowledged write: %s was acknowledged at %s but "
               "no op ever saw it; %s, begun after it, saw an older value",
               t1, c1, t2);
        return;
    }
    int64_t twice = find_twice(a, &obs, &over);
    if (twice >= 0) {
        an_text(a, (size_t)twice, t1, sizeof t1);
        an_text(a, (size_t)over, t2, sizeof t2);
        an_text(a, (size_t)obs, t3, sizeof t3);
        an_time(a, an_op(a, (size_t)obs)->call_time, c1, sizeof c1);
        an_set(r, "write applied twice: %s took effect again after %s "
               "overwrote it (and was seen): %s, begun at %s, saw its "
               "value; only a retried write applied twice explains it",
               t1, t2, t3, c1);
    }
}

void fl_lin_explain(const fl_lin_history *h, const fl_model *m,
                    const fl_lin_val *init, fl_lin_report *r)
{
    r->anomaly[0] = '\0';
    if (r->result != FL_LIN_VIOLATION || !r->part)
        return;
    an_ctx a = { .h = h, .m = m, .init = init, .part = r->part,
                 .n = r->part_ops, .deadline = lin_wall_seconds() + AN_BUDGET_S };
    if (init)
        a.initv = *init;
    else if (h->init_hint.type != FL_LV_NONE)
        a.initv = h->init_hint;
    else if (strcmp(m->name, "kv") == 0 && h->has_strings)
        a.initv = (fl_lin_val){ .type = FL_LV_STR, .n = 0, .u.s = "" };
    else
        a.initv = fl_lin_nil();
    if (!an_fits(&a))
        return;
    a.writer = malloc(a.n * sizeof *a.writer);
    a.drop = malloc(a.n);
    if (a.writer && a.drop) {
        for (size_t i = 0; i < a.n; i++) {
            const fl_lin_val *v = seen(an_op(&a, i));
            a.writer[i] = v ? writer_of(&a, v) : W_NONE;
        }
        explain(&a, r);
    }
    free(a.writer);
    free(a.drop);
}
