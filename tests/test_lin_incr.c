/* test_lin_incr.c — the per-key check of a history while it is recorded
 * (sim/check/lin_incr.h) against the whole check (sim/check/lin.h) on the
 * same histories: every shipped scenario's, Porcupine's etcd histories
 * (../shared/data, when present), random histories with late info ops,
 * deliberately broken ones, and small hand-made cases where a checker that
 * dropped carried info ops, or invented states, would answer wrongly.
 * Then the run that forgets its history (sim/run/lincheck.h): same
 * verdict, same counts, same history files, the whole check's report on a
 * violation. */
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check/hist_read.h"
#include "sim/check/lin.h"
#include "sim/check/lin_incr.h"
#include "sim/check/model.h"
#include "sim/engine.h"
#include "sim/history.h"
#include "sim/run/lincheck.h"
#include "sim/run/registry.h"
#include "sim/run/run.h"
#include "sim/scenario/scenario.h"
#include "tests/cu.h"

/* ---- the comparison ------------------------------------------------------------- */

typedef struct tally {
    size_t ok, no, compared;
} tally;

/* The per-key check's answer for h, fed event by event, taking segments
 * of at least `min_segment` events. */
static fl_lin_incr_state incr_verdict(const fl_history *h, const char *model,
                                      size_t min_segment, size_t *ops,
                                      size_t *parts)
{
    fl_lin_incr *in = fl_lin_incr_new(fl_model_find(model), min_segment);
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    for (size_t i = 0; i < h->len; i++)
        fl_lin_incr_feed(in, &h->events[i]);
    fl_lin_incr_state st = fl_lin_incr_finish(in);
    *ops = fl_lin_incr_ops(in);
    *parts = fl_lin_incr_partitions(in);
    fl_lin_incr_free(in);
    return st;
}

/* Both checks on h: the per-key one says OK exactly when the whole one
 * says linearizable, with the same counts. Returns the whole verdict. */
static fl_lin_result check_both(const fl_history *h, const char *model,
                                const char *what, tally *t)
{
    fl_lin_report rep;
    fl_lin_result whole = fl_lin_check_history(h, model, FL_NIL, 60, &rep);
    static const size_t segs[] = { 1, 7, 32 };
    for (size_t k = 0; k < 3 && (whole == FL_LIN_OK || whole == FL_LIN_VIOLATION); k++) {
        size_t ops = 0, parts = 0;
        fl_lin_incr_state st = incr_verdict(h, model, segs[k], &ops, &parts);
        bool agree = (st == FL_LIN_INCR_OK) == (whole == FL_LIN_OK);
        if (!agree)
            fprintf(stderr, "DISAGREE %s (segments of %zu): whole %s, per key %d\n",
                    what, segs[k], fl_lin_result_name(whole), (int)st);
        CU_ASSERT(agree);
        if (st == FL_LIN_INCR_OK && whole == FL_LIN_OK) {
            CU_ASSERT_EQUAL(ops, rep.ops);
            CU_ASSERT_EQUAL(parts, rep.partitions);
        }
        t->compared++;
    }
    t->ok += whole == FL_LIN_OK;
    t->no += whole == FL_LIN_VIOLATION;
    fl_lin_report_free(&rep);
    return whole;
}

/* ---- building histories ------------------------------------------------------------ */

static uint64_t inv(fl_history *h, int64_t p, fl_op_kind k, uint32_t key,
                    int64_t a, int64_t b, fl_time t)
{
    fl_op op = { k, key, a, b };
    uint64_t id = fl_history_invoke(h, p, FL_NO_NODE, &op, t);
    CU_ASSERT_NOT_EQUAL_FATAL(id, 0);
    return id;
}

static void done(fl_history *h, uint64_t id, fl_hist_type type, int64_t v,
                 fl_time t)
{
    CU_ASSERT_EQUAL_FATAL(fl_history_complete(h, id, type, v, t), 0);
}

/* A whole op: invoke and completion at once. */
static void op(fl_history *h, int64_t p, fl_op_kind k, uint32_t key, int64_t a,
               int64_t b, fl_hist_type type, int64_t v)
{
    uint64_t id = inv(h, p, k, key, a, b, 0);
    done(h, id, type, v, 0);
}

/* ---- hand-made cases ----------------------------------------------------------------- */

/* An info write, carried over many cuts, observed much later: OK (a check
 * that dropped it at a cut would say NO). The same with the value read
 * before the write was called: NO (a check that let carried ops take
 * effect before their call would say OK). */
static void test_carried_info(void)
{
    tally t = { 0 };
    for (int late = 0; late < 2; late++) {
        fl_history h;
        fl_history_init(&h);
        if (late)
            op(&h, 9, FL_OP_READ, 0, 0, 0, FL_HIST_OK, 77);
        uint64_t w = inv(&h, 0, FL_OP_WRITE, 0, 77, 0, 0);
        done(&h, w, FL_HIST_INFO, FL_NIL, 0);
        for (int i = 0; i < 40; i++) {              /* 40 cuts */
            op(&h, 1, FL_OP_WRITE, 0, i, 0, FL_HIST_OK, FL_NIL);
            op(&h, 2, FL_OP_READ, 0, 0, 0, FL_HIST_OK, i);
        }
        op(&h, 3, FL_OP_READ, 0, 0, 0, FL_HIST_OK, 77);
        /* once seen, it took effect: the older value cannot come back */
        op(&h, 4, FL_OP_READ, 0, 0, 0, FL_HIST_OK, 77);
        fl_lin_result r = check_both(&h, "kv", late ? "late read" : "carried", &t);
        CU_ASSERT_EQUAL(r, late ? FL_LIN_VIOLATION : FL_LIN_OK);
        fl_history_destroy(&h);
    }
    /* applied once: seen, then the value before it, then it again */
    fl_history h;
    fl_history_init(&h);
    op(&h, 1, FL_OP_WRITE, 0, 1, 0, FL_HIST_OK, FL_NIL);
    uint64_t w = inv(&h, 0, FL_OP_WRITE, 0, 2, 0, 0);
    done(&h, w, FL_HIST_INFO, FL_NIL, 0);
    op(&h, 2, FL_OP_READ, 0, 0, 0, FL_HIST_OK, 2);
    op(&h, 2, FL_OP_READ, 0, 0, 0, FL_HIST_OK, 1);
    op(&h, 2, FL_OP_READ, 0, 0, 0, FL_HIST_OK, 2);
    CU_ASSERT_EQUAL(check_both(&h, "kv", "applied twice", &t), FL_LIN_VIOLATION);
    fl_history_destroy(&h);
    CU_ASSERT_EQUAL(t.ok, 1);
    CU_ASSERT_EQUAL(t.no, 2);
}

/* At a cut, an info write is applied in one configuration (state 2) and
 * not in another (state 1), and state 2 without it is impossible. After
 * the cut it must not take effect a second time: NO; a check that
 * carried it as unapplied everywhere would say OK. */
static void test_applied_in_one(void)
{
    tally t = { 0 };
    for (int bad = 0; bad < 2; bad++) {
        fl_history h;
        fl_history_init(&h);
        uint64_t w = inv(&h, 0, FL_OP_WRITE, 0, 2, 0, 0);
        done(&h, w, FL_HIST_INFO, FL_NIL, 0);
        uint64_t a = inv(&h, 1, FL_OP_WRITE, 0, 2, 0, 0);
        uint64_t c = inv(&h, 2, FL_OP_CAS, 0, 2, 7, 0);
        uint64_t d = inv(&h, 3, FL_OP_WRITE, 0, 1, 0, 0);
        done(&h, a, FL_HIST_OK, FL_NIL, 0);
        done(&h, c, FL_HIST_OK, 1, 0);
        done(&h, d, FL_HIST_OK, FL_NIL, 0);                /* cut */
        op(&h, 4, FL_OP_READ, 0, 0, 0, FL_HIST_OK, 2);
        op(&h, 4, FL_OP_WRITE, 0, 5, 0, FL_HIST_OK, FL_NIL);
        op(&h, 4, FL_OP_READ, 0, 0, 0, FL_HIST_OK, bad ? 2 : 5);
        fl_lin_result r = check_both(&h, "kv", bad ? "reapplied" : "applied once", &t);
        CU_ASSERT_EQUAL(r, bad ? FL_LIN_VIOLATION : FL_LIN_OK);
        fl_history_destroy(&h);
    }
}

/* Several states possible at a cut: two concurrent writes, then reads
 * that pick one order, in another key's company; and an info CAS. */
static void test_state_sets(void)
{
    tally t = { 0 };
    for (int bad = 0; bad < 2; bad++) {
        fl_history h;
        fl_history_init(&h);
        uint64_t a = inv(&h, 0, FL_OP_WRITE, 3, 1, 0, 0);
        uint64_t b = inv(&h, 1, FL_OP_WRITE, 3, 2, 0, 0);
        op(&h, 5, FL_OP_WRITE, 4, 9, 0, FL_HIST_OK, FL_NIL);
        done(&h, a, FL_HIST_OK, FL_NIL, 0);
        done(&h, b, FL_HIST_OK, FL_NIL, 0);               /* cut: 1 or 2 */
        uint64_t c = inv(&h, 2, FL_OP_CAS, 3, 2, 5, 0);
        done(&h, c, FL_HIST_INFO, FL_NIL, 0);             /* maybe 2 -> 5 */
        op(&h, 3, FL_OP_READ, 3, 0, 0, FL_HIST_OK, 2);
        op(&h, 3, FL_OP_READ, 4, 0, 0, FL_HIST_OK, 9);
        op(&h, 3, FL_OP_READ, 3, 0, 0, FL_HIST_OK, 5);
        op(&h, 3, FL_OP_READ, 3, 0, 0, FL_HIST_OK, bad ? 1 : 5);
        fl_lin_result r = check_both(&h, "kv", bad ? "sets, broken" : "sets", &t);
        CU_ASSERT_EQUAL(r, bad ? FL_LIN_VIOLATION : FL_LIN_OK);
        fl_history_destroy(&h);
    }
}

/* A key that never becomes quiet (two clients overlapping for ever) is
 * not held: the per-key check gives up, and the whole check decides. */
static void test_never_quiet(void)
{
    fl_history h;
    fl_history_init(&h);
    uint64_t open = inv(&h, 0, FL_OP_WRITE, 0, 0, 0, 0);
    for (int i = 1; i < 6000; i++) {
        uint64_t next = inv(&h, i % 2, FL_OP_WRITE, 0, i, 0, 0);
        done(&h, open, FL_HIST_OK, FL_NIL, 0);
        open = next;
    }
    done(&h, open, FL_HIST_OK, FL_NIL, 0);
    size_t ops, parts;
    CU_ASSERT_EQUAL(incr_verdict(&h, "kv", 32, &ops, &parts), FL_LIN_INCR_GAVE_UP);
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "kv", FL_NIL, 60, NULL), FL_LIN_OK);
    fl_history_destroy(&h);
}

/* ---- random histories ------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned rnd(uint64_t *s, unsigned n) { return (unsigned)(rng_next(s) % n); }

typedef struct rproc {
    bool     busy, applied;
    uint64_t id;
    fl_op    op;
    int64_t  result;
} rproc;

/* A history of a real register per key, ops taking effect between call
 * and return; info ops may take effect late or never; with `bad`, some
 * read results are changed. */
static void random_history(fl_history *h, uint64_t seed, bool bad, bool counter)
{
    uint64_t s = seed;
    enum { P = 4, K = 3, FLOAT = 16 };
    int64_t val[K];
    for (int k = 0; k < K; k++)
        val[k] = counter ? 0 : FL_NIL;
    rproc pr[P];
    memset(pr, 0, sizeof pr);
    fl_op floating[FLOAT];              /* info ops not applied yet */
    size_t nfloat = 0;
    int64_t next_proc = P;
    int64_t proc[P];
    for (int p = 0; p < P; p++)
        proc[p] = p;
    unsigned steps = 60 + rnd(&s, 140);
    for (unsigned step = 0; step < steps; step++) {
        int p = (int)rnd(&s, P);
        rproc *r = &pr[p];
        if (nfloat && rnd(&s, 10) == 0) {          /* an old info op lands */
            size_t f = rnd(&s, (unsigned)nfloat);
            fl_op *o = &floating[f];
            if (o->kind == FL_OP_ADD)
                val[o->key] += o->arg;
            else if (o->kind == FL_OP_WRITE)
                val[o->key] = o->arg;
            else if (o->kind == FL_OP_CAS && val[o->key] == o->arg)
                val[o->key] = o->arg2;
            floating[f] = floating[--nfloat];
            continue;
        }
        if (!r->busy) {
            unsigned k = rnd(&s, 10);
            fl_op o = { FL_OP_READ, rnd(&s, K), 0, 0 };
            if (counter) {
                if (k < 5)
                    o = (fl_op){ FL_OP_ADD, o.key, 1 + rnd(&s, 3), 0 };
            } else if (k < 4) {
                o = (fl_op){ FL_OP_WRITE, o.key, rnd(&s, 4), 0 };
            } else if (k < 6) {
                o = (fl_op){ FL_OP_CAS, o.key, rnd(&s, 4), rnd(&s, 4) };
            }
            r->op = o;
            r->busy = true;
            r->applied = false;
            r->id = inv(h, proc[p], o.kind, o.key, o.arg, o.arg2, step);
            continue;
        }
        if (!r->applied && rnd(&s, 3) != 0) {      /* takes effect now */
            int64_t *v = &val[r->op.key];
            switch (r->op.kind) {
            case FL_OP_READ: r->result = *v; break;
            case FL_OP_WRITE: *v = r->op.arg; r->result = FL_NIL; break;
            case FL_OP_ADD: *v += r->op.arg; r->result = FL_NIL; break;
            case FL_OP_CAS:
                r->result = *v == r->op.arg;
                if (r->result)
                    *v = r->op.arg2;
                break;
            default: break;
            }
            r->applied = true;
            continue;
        }
        unsigned how = rnd(&s, 12);
        if (how == 0 || (!r->applied && how < 3)) {           /* times out */
            if (!r->applied && nfloat < FLOAT && rnd(&s, 2))
                floating[nfloat++] = r->op;
            done(h, r->id, FL_HIST_INFO, FL_NIL, step);
            proc[p] = next_proc++;
        } else if (!r->applied) {
            done(h, r->id, FL_HIST_FAIL, FL_NIL, step);
        } else {
            int64_t v = r->result;
            if (bad && r->op.kind == FL_OP_READ && rnd(&s, 6) == 0)
                v = v == FL_NIL ? 9 : v + 1;
            done(h, r->id, FL_HIST_OK, v, step);
        }
        r->busy = false;
    }
}

static void test_random(void)
{
    tally t = { 0 };
    for (uint64_t seed = 1; seed <= 400; seed++) {
        fl_history h;
        fl_history_init(&h);
        bool counter = seed % 4 == 0, bad = seed % 3 == 0;
        random_history(&h, seed, bad, counter);
        char what[64];
        snprintf(what, sizeof what, "random seed %" PRIu64, seed);
        check_both(&h, counter ? "counter" : "kv", what, &t);
        fl_history_destroy(&h);
    }
    /* both answers occur: the comparison tells them apart */
    CU_ASSERT(t.ok > 50);
    CU_ASSERT(t.no > 50);
    printf("random: %zu linearizable, %zu not, %zu comparisons\n", t.ok, t.no,
           t.compared);
}

/* ---- Porcupine's etcd histories ----------------------------------------------------------- */

/* The run-history form of a checker history of ints: invokes and
 * completions in position order; info ops complete at once or, with
 * `open_info`, never. */
static bool to_history(const fl_lin_history *lh, bool open_info, fl_history *h)
{
    size_t n = lh->len;
    typedef struct ev { int64_t pos; size_t op; bool ret; } ev;
    ev *evs = calloc(2 * n + 1, sizeof *evs);
    uint64_t *ids = calloc(n + 1, sizeof *ids);
    size_t ne = 0;
    bool ok = evs && ids;
    for (size_t i = 0; ok && i < n; i++) {
        evs[ne++] = (ev){ 2 * lh->ops[i].call, i, false };
        if (lh->ops[i].status == FL_LIN_STATUS_OK)
            evs[ne++] = (ev){ 2 * lh->ops[i].ret, i, true };
        else if (!open_info)
            evs[ne++] = (ev){ 2 * lh->ops[i].call + 1, i, true };
    }
    for (size_t a = 1; ok && a < ne; a++)            /* insertion sort */
        for (size_t b = a; b > 0 && evs[b - 1].pos > evs[b].pos; b--) {
            ev tmp = evs[b];
            evs[b] = evs[b - 1];
            evs[b - 1] = tmp;
        }
    for (size_t e = 0; ok && e < ne; e++) {
        const fl_lin_op *o = &lh->ops[evs[e].op];
        if (!evs[e].ret) {
            fl_op fo = { FL_OP_READ, 0, 0, 0 };
            const fl_lin_val *a = &o->arg;
            if (o->kind == FL_LIN_WRITE && a->type == FL_LV_INT)
                fo = (fl_op){ FL_OP_WRITE, 0, a->u.i, 0 };
            else if (o->kind == FL_LIN_CAS && a->type == FL_LV_PAIR)
                fo = (fl_op){ FL_OP_CAS, 0,
                              a->u.pair[0].type == FL_LV_INT ? a->u.pair[0].u.i : FL_NIL,
                              a->u.pair[1].type == FL_LV_INT ? a->u.pair[1].u.i : FL_NIL };
            else if (o->kind != FL_LIN_READ)
                ok = false;
            fl_op *op_ = &fo;
            ids[evs[e].op] = fl_history_invoke(h, o->process, FL_NO_NODE, op_, 0);
            continue;
        }
        if (o->status != FL_LIN_STATUS_OK) {
            ok &= fl_history_complete(h, ids[evs[e].op], FL_HIST_INFO, FL_NIL, 0) == 0;
            continue;
        }
        int64_t v = FL_NIL;
        if (o->out.type == FL_LV_INT || o->out.type == FL_LV_BOOL)
            v = o->out.u.i;
        ok &= fl_history_complete(h, ids[evs[e].op], FL_HIST_OK, v, 0) == 0;
    }
    free(evs);
    free(ids);
    return ok;
}

static void test_etcd(void)
{
    /* ../shared/data from the main checkout, ../../shared/data from a
     * worktree under wt/ */
    char pat[1024];
    glob_t g;
    int rc = GLOB_NOMATCH;
    for (int up = 1; up <= 2 && rc != 0; up++) {
        snprintf(pat, sizeof pat, "%s/%sshared/data/porcupine/jepsen/etcd_*.log",
                 fl_cu_srcdir(), up == 1 ? "../" : "../../");
        rc = glob(pat, 0, NULL, &g);
    }
    if (rc != 0) {
        printf("etcd: no Porcupine data under %s: skipped\n", pat);
        return;
    }
    tally t = { 0 };
    for (size_t i = 0; i < g.gl_pathc; i++) {
        fl_lin_history lh;
        fl_error err;
        if (fl_hist_read_file(g.gl_pathv[i], FL_HFMT_AUTO, &lh, NULL, &err) != 0) {
            CU_FAIL("an etcd history did not read");
            continue;
        }
        for (int open_info = 0; open_info < 2; open_info++) {
            fl_history h;
            fl_history_init(&h);
            if (to_history(&lh, open_info, &h))
                check_both(&h, "register", g.gl_pathv[i], &t);
            else
                CU_FAIL("an etcd history is not of ints");
            fl_history_destroy(&h);
        }
        fl_lin_history_free(&lh);
    }
    globfree(&g);
    CU_ASSERT(t.ok > 10);
    CU_ASSERT(t.no > 10);
    printf("etcd: %zu linearizable, %zu not, %zu comparisons\n", t.ok, t.no,
           t.compared);
}

/* ---- shipped scenarios ------------------------------------------------------------------- */

/* Runs a scenario (no invariants: the whole history) and compares. */
static void scenario_history(const char *path, tally *t)
{
    fl_error err = { { 0 } };
    fl_scenario *s = fl_scenario_load(path, &err);
    if (!s)
        return;                       /* a suite or another file */
    const fl_algorithm *alg = fl_registry_find(s->algorithm);
    if (!alg || fl_scenario_bind(s, alg, &err) != 0 || s->workload.clients == 0 ||
        s->workload.model == FL_MODEL_NONE) {
        fl_scenario_free(s);
        return;
    }
    fl_engine *e = fl_engine_new(s, alg, s->seed, s->duration, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    fl_engine_run(e);
    fl_engine_finish(e);
    check_both(fl_engine_history(e), fl_model_kind_name(s->workload.model), path, t);
    fl_engine_free(e);
    fl_scenario_free(s);
}

static void test_shipped(void)
{
    static const char *const pats[] = { "scenarios/*/*.json", "scenarios/*/*/*.json" };
    tally t = { 0 };
    for (size_t p = 0; p < 2; p++) {
        char pat[1024];
        snprintf(pat, sizeof pat, "%s/%s", fl_cu_srcdir(), pats[p]);
        glob_t g;
        if (glob(pat, 0, NULL, &g) != 0)
            continue;
        for (size_t i = 0; i < g.gl_pathc; i++)
            scenario_history(g.gl_pathv[i], &t);
        globfree(&g);
    }
    CU_ASSERT(t.ok > 20);
    CU_ASSERT(t.no >= 3);               /* the shipped linearizability bugs */
    printf("shipped: %zu linearizable, %zu not, %zu comparisons\n", t.ok, t.no,
           t.compared);
}

/* ---- the run that forgets ------------------------------------------------------------------ */

static char *history_text(const fl_history *h, bool edn)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(edn ? fl_history_write_edn(h, f) : fl_history_write_jsonl(h, f), 0);
    fclose(f);
    return buf;
}

/* A scenario run long enough to forget, its verdict and summary against
 * the whole check of the same history read back; the history files the
 * same before and after reading back. */
static void long_run(const char *rel, fl_time duration, fl_lin_result want,
                     bool forgets)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", fl_cu_srcdir(), rel);
    fl_error err = { { 0 } };
    fl_scenario *s = fl_scenario_load(path, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    const fl_algorithm *alg = fl_registry_find(s->algorithm);
    CU_ASSERT_PTR_NOT_NULL_FATAL(alg);
    CU_ASSERT_EQUAL_FATAL(fl_scenario_bind(s, alg, &err), 0);
    s->duration = duration;                 /* clients go on to the end */
    s->workload.stop = duration;
    fl_run_opts o = { .duration = duration, .lin_timeout_s = 60 };
    fl_run *r = fl_run_new(s, alg, &o, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    fl_run_to_end(r);
    fl_run_finish(r);
    fl_history *h = fl_engine_history_mut(fl_run_engine_manual(r));
    if (forgets) {
        CU_ASSERT(h->base > 0);                     /* it did forget */
        CU_ASSERT(h->len < 2 * FL_LIN_STREAM_WINDOW);
    } else {
        CU_ASSERT_EQUAL(h->base, 0);                /* nowhere to put it */
    }
    char *jsonl = history_text(h, false), *edn = history_text(h, true);
    fl_lin_result res = fl_run_check_history(r);
    CU_ASSERT_EQUAL(res, want);
    char summary[512];
    snprintf(summary, sizeof summary, "%s", fl_run_lin_report(r)->summary);
    CU_ASSERT_EQUAL(fl_history_recall(h), 0);
    CU_ASSERT_EQUAL(h->base, 0);
    char *jsonl2 = history_text(h, false), *edn2 = history_text(h, true);
    CU_ASSERT_STRING_EQUAL(jsonl, jsonl2);
    CU_ASSERT_STRING_EQUAL(edn, edn2);
    fl_lin_report whole;
    char line[512];
    fl_lin_result wres = fl_lin_check_engine_history(h, s->workload.model, 60, &whole,
                                                     line, sizeof line);
    CU_ASSERT_EQUAL(wres, res);
    CU_ASSERT_STRING_EQUAL(whole.summary, summary);
    fl_lin_report_free(&whole);
    free(jsonl);
    free(edn);
    free(jsonl2);
    free(edn2);
    fl_run_free(r);
    fl_scenario_free(s);
}

static void test_long_run_ok(void)
{
    long_run("scenarios/raft/basic.json", FL_MS(120000), FL_LIN_OK, true);
}

/* No temporary file can be made: the history stays whole, same verdict. */
static void test_long_run_no_tmp(void)
{
    const char *old = getenv("TMPDIR");
    char *keep = old ? strdup(old) : NULL;
    setenv("TMPDIR", "/nonexistent/faultline-test", 1);
    long_run("scenarios/raft/basic.json", FL_MS(60000), FL_LIN_OK, false);
    long_run("scenarios/kv/bugs/stale-reads.json", FL_MS(60000), FL_LIN_VIOLATION, false);
    if (keep)
        setenv("TMPDIR", keep, 1);
    else
        unsetenv("TMPDIR");
    free(keep);
}

static void test_long_run_violation(void)
{
    long_run("scenarios/kv/bugs/stale-reads.json", FL_MS(120000), FL_LIN_VIOLATION, true);
    long_run("scenarios/counter/bugs/raft-no-dedup.json", FL_MS(120000),
             FL_LIN_VIOLATION, true);
}

int main(void)
{
    static const fl_cu_test cases[] = {
        { "an info op carried over cuts", test_carried_info },
        { "several states at a cut", test_state_sets },
        { "an info op applied in one state only", test_applied_in_one },
        { "a key never quiet: given up", test_never_quiet },
        { NULL, NULL }
    };
    static const fl_cu_test corpora[] = {
        { "random histories, some broken", test_random },
        { "Porcupine's etcd histories", test_etcd },
        { "every shipped scenario's history", test_shipped },
        { NULL, NULL }
    };
    static const fl_cu_test runs[] = {
        { "a long run forgets, same verdict", test_long_run_ok },
        { "a long buggy run: the whole check's report", test_long_run_violation },
        { "no temporary file: the history stays whole", test_long_run_no_tmp },
        { NULL, NULL }
    };
    static const fl_cu_suite suites[] = {
        { "lin_incr.cases", cases },
        { "lin_incr.corpora", corpora },
        { "lin_incr.runs", runs },
        { NULL, NULL }
    };
    return fl_cu_main(suites);
}
