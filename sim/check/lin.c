/* lin.c — the linearizability checker's entry points (lin.h): splits a
 * history into partitions by the model's key and checks them concurrently,
 * one search per partition (lin_search.c), stopping every search at the
 * first violation, so the time to a NO does not depend on other, harder
 * partitions or on the timeout.
 *
 * What makes it fast:
 *  - model states are interned to small integers, so a configuration is
 *    (bitset, state id) and equal states compare in O(1);
 *  - every (state, op) step is memoized, so the model runs once per pair;
 *  - the bitset's hash is kept incrementally (Zobrist: XOR of a fixed
 *    random word per op) and stored compressed, as the run of all-ones
 *    words at its start (implied) and the words up to the last non-zero
 *    one — a few words however long the history is;
 *  - info ops are kept in a second bitset, outside the hash: a
 *    configuration is pruned when one with the same ok ops and state, and
 *    a subset of its info ops, was explored before (it failed, and could
 *    have done everything this one can, leaving the extra info ops out),
 *    and info ops are tried after ok ops, so small info sets come first.
 *    An info op is also tried only when another open op depends on it
 *    (info_useful). Without these, k timed-out writes make 2^k
 *    configurations;
 *  - ops equal in kind, key, argument and result are taken in call order,
 *    and a read-only op that fits is taken at once (see find_twins and
 *    find_forced).
 *
 * Everything is deterministic: hashes come from SplitMix64 of indices, ties
 * break on indices, and the wall clock is read only for the timeout; with
 * several threads, which violating partition is reported may depend on
 * which finished first, never the verdict. */
#include "sim/check/lin_impl.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* ---- partitions --------------------------------------------------------------------- */

typedef struct lin_parts {
    size_t *order;               /* history indices grouped by partition */
    size_t *start;               /* partition p: order[start[p]..start[p+1]) */
    size_t  count;
    size_t *part_of;             /* history index -> partition, or SIZE_MAX */
} lin_parts;

static void parts_free(lin_parts *p)
{
    free(p->order);
    free(p->start);
    free(p->part_of);
}

/* Info reads change nothing and constrain nothing: leave them out. */
static bool checked(const fl_lin_op *op)
{
    return !(op->status == FL_LIN_STATUS_INFO && op->kind == FL_LIN_READ);
}

static const fl_lin_val *part_key(const fl_model *m, const fl_lin_op *op)
{
    return m->partition ? m->partition(op) : NULL;
}

/* Groups ops by the model's partition value, partitions in order of first
 * appearance and ops in history order. */
static int make_parts(const fl_lin_history *h, const fl_model *m,
                      lin_parts *p)
{
    size_t n = h->len, tcap = 16;
    while (tcap < 2 * n + 2)
        tcap *= 2;
    size_t *first = malloc((n + 1) * sizeof *first);     /* op of partition */
    size_t *tab = calloc(tcap, sizeof *tab);             /* partition + 1 */
    size_t *count = calloc(n + 2, sizeof *count);
    p->part_of = malloc((n + 1) * sizeof *p->part_of);
    p->order = malloc((n + 1) * sizeof *p->order);
    p->start = calloc(n + 2, sizeof *p->start);
    p->count = 0;
    int rc = -1;
    if (!p->part_of || !first || !tab || !count || !p->order || !p->start)
        goto out;
    for (size_t i = 0; i < n; i++) {
        p->part_of[i] = SIZE_MAX;
        if (!checked(&h->ops[i]))
            continue;
        const fl_lin_val *k = part_key(m, &h->ops[i]);
        size_t slot = k ? fl_lin_val_hash(k) & (tcap - 1) : 0;
        for (; tab[slot]; slot = (slot + 1) & (tcap - 1)) {
            const fl_lin_val *k2 = part_key(m, &h->ops[first[tab[slot] - 1]]);
            if (!k || fl_lin_val_equal(k, k2))
                break;
        }
        if (!tab[slot]) {
            first[p->count] = i;
            tab[slot] = ++p->count;
        }
        p->part_of[i] = tab[slot] - 1;
        count[p->part_of[i]]++;
    }
    for (size_t q = 0; q < p->count; q++)
        p->start[q + 1] = p->start[q] + count[q];
    memset(count, 0, (n + 2) * sizeof *count);
    for (size_t i = 0; i < n; i++)
        if (p->part_of[i] != SIZE_MAX)
            p->order[p->start[p->part_of[i]] + count[p->part_of[i]]++] = i;
    rc = 0;
out:
    free(first);
    free(tab);
    free(count);
    return rc;
}

/* ---- the checker -------------------------------------------------------------------- */

typedef struct lin_run {
    const fl_lin_history *h;
    const fl_model       *m;
    fl_lin_buf            init;   /* the initial state's bytes */
    double                deadline;
    size_t                max_memory;
    size_t                peak_memory;
    fl_lin_report        *r;
    uint64_t              steps, configurations;
    /* no_partition with a partitioning model: one search over all ops,
     * whose states are tuples of the partitions' states */
    bool                  product;
    const lin_parts      *parts;
    uint32_t             *pidx;       /* per op of the search */
    const fl_lin_val    **pkey;       /* per partition */
    unsigned              threads;    /* at most this many at once */
} lin_run;

static int check_accepts(const fl_lin_history *h, const fl_model *m,
                         fl_error *err)
{
    for (size_t i = 0; i < h->len; i++) {
        const char *why = m->accepts(&h->ops[i]);
        if (!why)
            continue;
        char text[160];
        fl_lin_op_format(&h->ops[i], text, sizeof text);
        if (h->ops[i].line)
            return fl_error_set(err, "%s:%zu: %s: %s", h->source,
                                h->ops[i].line, why, text);
        return fl_error_set(err, "%s%sop %zu: %s: %s", h->source,
                            h->source[0] ? ": " : "", i, why, text);
    }
    return 0;
}


/* ---- partitions checked concurrently -------------------------------------------------- */

#define LIN_NOT_RUN 2             /* beside the SEARCH_* codes */
#define LIN_MAX_THREADS 8

/* The partitions order[start[q]..start[q+1]) and their outcomes; threads
 * take them in index order. A violation or an allocation failure sets
 * `stop`, which ends every other search within a thousand steps. */
typedef struct lin_pool {
    lin_run        *run;
    const size_t   *order, *start;
    size_t          count;
    _Atomic size_t  next;
    _Atomic bool    stop;
    _Atomic size_t  shared;       /* bytes held by all searches */
    pthread_mutex_t mu;           /* guards the totals below */
    int            *rc;           /* per partition: SEARCH_* or NOT_RUN */
    fl_lin_report **viol;         /* per partition: its violation */
} lin_pool;

static void pool_one(lin_pool *pl, size_t q, lin_tables *tabs)
{
    lin_run *run = pl->run;
    size_t from = pl->start[q];
    lin_job job = {
        .m = run->m, .ops = run->h->ops, .gi = pl->order + from,
        .n = pl->start[q + 1] - from,
        .init = { run->init.data, run->init.len },
        .deadline = run->deadline, .max_memory = run->max_memory,
        .shared = &pl->shared, .stop = &pl->stop,
        .product = run->product,
        .nparts = run->product ? (uint32_t)run->parts->count : 0,
        .pidx = run->pidx, .pkey = run->pkey,
    };
    if (run->r) {
        job.r = calloc(1, sizeof *job.r);
        if (!job.r) {
            pl->rc[q] = SEARCH_OOM;
            atomic_store(&pl->stop, true);
            return;
        }
    }
    int rc = fl_lin_search_part(&job, tabs);
    if (rc == SEARCH_FAIL || rc == SEARCH_OOM)
        atomic_store(&pl->stop, true);
    if (rc != SEARCH_FAIL && job.r) {
        fl_lin_report_free(job.r);
        free(job.r);
        job.r = NULL;
    }
    pthread_mutex_lock(&pl->mu);
    pl->rc[q] = rc;
    pl->viol[q] = job.r;
    run->steps += job.steps;
    run->configurations += job.configurations;
    if (job.peak > run->peak_memory)
        run->peak_memory = job.peak;
    pthread_mutex_unlock(&pl->mu);
}

static void *pool_worker(void *arg)
{
    lin_pool *pl = arg;
    lin_tables tabs;
    memset(&tabs, 0, sizeof tabs);
    for (;;) {
        if (atomic_load(&pl->stop))
            break;
        size_t q = atomic_fetch_add(&pl->next, 1);
        if (q >= pl->count)
            break;
        pool_one(pl, q, &tabs);
    }
    fl_lin_tables_free(&tabs);
    return NULL;
}

/* Runs the workers: this thread is one of them. */
static void pool_run(lin_pool *pl, unsigned threads)
{
    pthread_t tid[LIN_MAX_THREADS];
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++) {
        if (pthread_create(&tid[started], NULL, pool_worker, pl) != 0)
            break;                       /* fewer threads: still correct */
        started++;
    }
    pool_worker(pl);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
}

/* Moves partition q's violation into the run's report. */
static void take_violation(lin_run *run, lin_pool *pl, size_t q)
{
    fl_lin_report *v = pl->viol[q], *r = run->r;
    if (!r || !v)
        return;
    r->part_ops = v->part_ops;
    r->part = v->part;
    r->prefix_len = v->prefix_len;
    r->prefix = v->prefix;
    memcpy(r->init_state, v->init_state, sizeof r->init_state);
    memcpy(r->state, v->state, sizeof r->state);
    r->ntail = v->ntail;
    memcpy(r->tail, v->tail, sizeof r->tail);
    r->npending = v->npending;
    r->pending = v->pending;
    r->stuck = v->stuck;
    r->window_from = v->window_from;
    r->window_to = v->window_to;
    v->part = v->prefix = NULL;
    v->pending = NULL;
    if (!run->product)
        fl_lin_key_text(part_key(run->m, &run->h->ops[pl->order[pl->start[q]]]),
                        r->key, sizeof r->key);
}

/* The verdict from the partitions' outcomes: the lowest-index violation
 * among the partitions decided (any violation makes the history not
 * linearizable, so the verdict does not depend on which thread finished
 * first); else unknown if some partition was not decided, naming the
 * first such. */
static fl_lin_result pool_verdict(lin_run *run, lin_pool *pl)
{
    size_t unknown = 0, memory = 0, fail = SIZE_MAX, undecided = SIZE_MAX;
    bool oom = false;
    for (size_t q = 0; q < pl->count; q++) {
        int rc = pl->rc[q];
        if (rc == SEARCH_FAIL && fail == SIZE_MAX)
            fail = q;
        oom |= rc == SEARCH_OOM;
        if (rc == SEARCH_TIMEOUT || rc == SEARCH_MEMORY || rc == LIN_NOT_RUN) {
            unknown++;
            memory += rc == SEARCH_MEMORY;
            if (undecided == SIZE_MAX)
                undecided = q;
        }
    }
    if (fail != SIZE_MAX) {
        take_violation(run, pl, fail);
        return FL_LIN_VIOLATION;
    }
    if (oom) {
        if (run->r)
            fl_error_set(&run->r->err, "%s%sout of memory while checking",
                         run->h->source, run->h->source[0] ? ": " : "");
        return FL_LIN_ERROR;
    }
    if (run->r) {
        run->r->partitions_unknown = unknown;
        run->r->partitions_memory = memory;
        if (undecided != SIZE_MAX && !run->product)
            fl_lin_key_text(part_key(run->m, &run->h->ops[pl->order[
                                pl->start[undecided]]]),
                            run->r->undecided, sizeof run->r->undecided);
    }
    return unknown ? FL_LIN_UNKNOWN : FL_LIN_OK;
}

/* Checks the groups of ops order[start[q]..start[q+1]), each in full
 * (with the whole timeout and the memory limit shared by all searches
 * running at once), up to run->threads at a time, all stopping at the
 * first violation. */
static fl_lin_result check_parts(lin_run *run, const size_t *order,
                                 const size_t *start, size_t count)
{
    lin_pool pl;
    memset(&pl, 0, sizeof pl);
    pl.run = run;
    pl.order = order;
    pl.start = start;
    pl.count = count;
    atomic_init(&pl.next, 0);
    atomic_init(&pl.stop, false);
    atomic_init(&pl.shared, 0);
    pl.rc = malloc((count + 1) * sizeof *pl.rc);
    pl.viol = calloc(count + 1, sizeof *pl.viol);
    fl_lin_result res = FL_LIN_ERROR;
    if (!pl.rc || !pl.viol || pthread_mutex_init(&pl.mu, NULL) != 0) {
        if (run->r)
            fl_error_set(&run->r->err, "out of memory");
        goto out;
    }
    for (size_t q = 0; q < count; q++)
        pl.rc[q] = LIN_NOT_RUN;
    unsigned threads = run->threads;
    if (threads > count)
        threads = (unsigned)count;
    pool_run(&pl, threads ? threads : 1);
    pthread_mutex_destroy(&pl.mu);
    res = pool_verdict(run, &pl);
out:
    for (size_t q = 0; pl.viol && q < count; q++) {
        if (pl.viol[q]) {
            fl_lin_report_free(pl.viol[q]);
            free(pl.viol[q]);
        }
    }
    free(pl.rc);
    free(pl.viol);
    return res;
}

/* The threads to use: the processors online, at least 2 (a hard
 * partition must not hold up the others even on one processor), at most
 * LIN_MAX_THREADS. */
static unsigned auto_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 2)
        n = 2;
    return n > LIN_MAX_THREADS ? LIN_MAX_THREADS : (unsigned)n;
}
/* no_partition with a partitioning model: all ops in one search, each
 * knowing its partition. */
static fl_lin_result check_whole(lin_run *run, const lin_parts *p)
{
    size_t n = p->start[p->count];
    size_t *order = malloc((n + 1) * sizeof *order);
    run->pidx = malloc((n + 1) * sizeof *run->pidx);
    run->pkey = malloc((p->count + 1) * sizeof *run->pkey);
    fl_lin_result res = FL_LIN_ERROR;
    if (!order || !run->pidx || !run->pkey) {
        if (run->r)
            fl_error_set(&run->r->err, "out of memory");
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < run->h->len; i++) {
        if (p->part_of[i] == SIZE_MAX)
            continue;
        run->pidx[k] = (uint32_t)p->part_of[i];
        order[k++] = i;
    }
    for (size_t q = 0; q < p->count; q++)
        run->pkey[q] = part_key(run->m, &run->h->ops[p->order[p->start[q]]]);
    run->product = true;
    run->parts = p;
    size_t start[2] = { 0, n };
    res = check_parts(run, order, start, 1);
out:
    free(order);
    free(run->pidx);
    free(run->pkey);
    return res;
}
/* ---- the memory limit ----------------------------------------------------------------- */

static size_t three_quarters_min(size_t cur, unsigned long long lim)
{
    if (lim == 0 || lim == (unsigned long long)RLIM_INFINITY)
        return cur;
    unsigned long long q = lim / 4 * 3;
    return q < cur ? (size_t)q : cur;
}

static size_t default_max_memory(void)
{
    size_t lim = (size_t)4 << 30;            /* if nothing else is known */
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0)
        lim = (size_t)pages / 2 * (size_t)page;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0)
        lim = three_quarters_min(lim, rl.rlim_cur);
    if (getrlimit(RLIMIT_DATA, &rl) == 0)
        lim = three_quarters_min(lim, rl.rlim_cur);
    FILE *f = fopen("/sys/fs/cgroup/memory.max", "r");
    if (f) {
        unsigned long long v;
        if (fscanf(f, "%llu", &v) == 1)
            lim = three_quarters_min(lim, v);
        fclose(f);
    }
    size_t floor = (size_t)64 << 20;
    return lim < floor ? floor : lim;
}

size_t fl_lin_default_max_memory(void)
{
    static _Atomic size_t cached;            /* the limits do not change */
    size_t v = cached;
    if (!v)
        cached = v = default_max_memory();
    return v;
}

fl_lin_result fl_lin_check_opts(const fl_lin_history *h, const fl_model *m,
                                const fl_lin_val *init,
                                const fl_lin_options *opts,
                                fl_lin_report *report)
{
    fl_lin_options defaults = { 0 };
    const fl_lin_options *o = opts ? opts : &defaults;
    double t0 = lin_wall_seconds();
    fl_lin_report scratch;
    fl_lin_report *r = report ? report : &scratch;
    fl_lin_report_init(r);
    snprintf(r->model, sizeof r->model, "%s", m->name);
    lin_run run = { .h = h, .m = m, .r = report,
                    .deadline = o->timeout_s > 0 ? t0 + o->timeout_s : 0,
                    .max_memory = o->max_memory ? o->max_memory
                                                : fl_lin_default_max_memory(),
                    .threads = o->threads ? o->threads : auto_threads() };
    r->max_memory = run.max_memory;
    lin_parts parts = { 0 };
    fl_lin_result res = FL_LIN_ERROR;
    if (check_accepts(h, m, &r->err) != 0)
        goto out;
    if (m->init(init, h, &run.init, &r->err) != 0)
        goto out;
    if (run.init.oom || make_parts(h, m, &parts) != 0) {
        fl_error_set(&r->err, "out of memory");
        goto out;
    }
    r->time_is_ns = h->time_is_ns;
    r->ops = parts.count ? parts.start[parts.count] : 0;
    for (size_t q = 0; q < parts.count; q++) {
        if (parts.start[q + 1] - parts.start[q] >= INT32_MAX / 2 ||
            (o->no_partition && r->ops >= INT32_MAX / 2)) {
            fl_error_set(&r->err, "%s%stoo many ops to check (%zu; at most "
                         "%d in one partition)", h->source,
                         h->source[0] ? ": " : "", r->ops, INT32_MAX / 2 - 1);
            goto out;
        }
    }
    r->partitioned = m->partition && !o->no_partition;
    if (m->partition && o->no_partition && parts.count > 1) {
        r->partitions = 1;
        res = check_whole(&run, &parts);
    } else {
        r->partitions = parts.count;
        res = check_parts(&run, parts.order, parts.start, parts.count);
    }
out:
    r->result = res;
    r->steps = run.steps;
    r->configurations = run.configurations;
    r->peak_memory = run.peak_memory;
    r->seconds = lin_wall_seconds() - t0;     /* the check, not its explanation */
    if (report && res == FL_LIN_VIOLATION)
        fl_lin_explain(h, m, init, r);
    fl_lin_summarize(r, o->timeout_s);
    parts_free(&parts);
    fl_lin_buf_free(&run.init);
    if (!report)
        fl_lin_report_free(&scratch);
    return res;
}

fl_lin_result fl_lin_check(const fl_lin_history *h, const fl_model *m,
                           const fl_lin_val *init, double timeout_s,
                           fl_lin_report *report)
{
    fl_lin_options o = { .timeout_s = timeout_s };
    return fl_lin_check_opts(h, m, init, &o, report);
}

/* A report that says only `res` and, for errors, why. */
static fl_lin_result report_only(fl_lin_report *r, fl_lin_result res,
                                 const fl_error *err)
{
    fl_lin_report_init(r);
    r->result = res;
    if (err)
        r->err = *err;
    fl_lin_summarize(r, 0);
    return res;
}

fl_lin_result fl_lin_check_history(const fl_history *h, const char *model,
                                   int64_t init, double timeout_s,
                                   fl_lin_report *report)
{
    fl_lin_report scratch;
    fl_lin_report *r = report ? report : &scratch;
    fl_error err;
    fl_lin_result res;
    if (!model || strcmp(model, "none") == 0) {
        res = report_only(r, FL_LIN_UNAVAILABLE, NULL);
    } else if (!fl_model_find(model)) {
        fl_error_set(&err, "unknown model '%s'", model);
        res = report_only(r, FL_LIN_ERROR, &err);
    } else {
        fl_lin_history lh;
        fl_lin_history_init(&lh, "history");
        if (fl_lin_from_history(h, &lh, &err) != 0) {
            fl_error_prefix(&err, "history");
            res = report_only(r, FL_LIN_ERROR, &err);
        } else {
            fl_lin_val v = fl_lin_int(init);
            /* one thread: a run's report names the first failing key,
             * the same on every run */
            fl_lin_options o = { .timeout_s = timeout_s, .threads = 1 };
            res = fl_lin_check_opts(&lh, fl_model_find(model),
                                    init == FL_NIL ? NULL : &v, &o, r);
        }
        fl_lin_history_free(&lh);
    }
    if (!report)
        fl_lin_report_free(&scratch);
    return res;
}
