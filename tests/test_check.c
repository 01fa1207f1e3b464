/* test_check.c — the linearizability checker, its models, the history
 * readers and writers, and `faultline check`: Porcupine's histories against
 * their known verdicts, hand-written histories that must be rejected or
 * accepted (tests/fixtures/check/), round trips through JSON Lines and EDN,
 * and readers' file:line errors. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli/cmd_check.h"
#include "sim/check/hist_read.h"
#include "sim/check/lin.h"
#include "sim/history.h"
#include "tests/cu.h"
#include "sim/util/file.h"

/* ---- helpers ----------------------------------------------------------------- */

static void path_of(char *buf, size_t len, const char *rel)
{
    snprintf(buf, len, "%s/%s", fl_cu_srcdir(), rel);
}

static void fixture(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/tests/fixtures/check/%s", fl_cu_srcdir(), name);
}

/* Reads and checks a file; model NULL = guessed. */
static fl_lin_result check_path(const char *path, const char *model,
                                fl_lin_report *rep)
{
    fl_lin_history h;
    fl_error err;
    fl_lin_result res = FL_LIN_ERROR;
    if (fl_hist_read_file(path, FL_HFMT_AUTO, &h, NULL, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
    } else {
        const char *m = model ? model : fl_hist_guess_model(&h);
        res = fl_lin_check(&h, fl_model_find(m), NULL, 0, rep);
    }
    fl_lin_history_free(&h);
    return res;
}

static fl_lin_result check_text(const char *text, const char *model)
{
    fl_lin_history h;
    fl_error err;
    fl_lin_result res = FL_LIN_ERROR;
    if (fl_hist_read_text("t", text, strlen(text), FL_HFMT_AUTO, &h, NULL,
                          &err) != 0)
        fprintf(stderr, "%s\n", err.msg);
    else
        res = fl_lin_check(&h, fl_model_find(model ? model
                                                   : fl_hist_guess_model(&h)),
                           NULL, 0, NULL);
    fl_lin_history_free(&h);
    return res;
}

/* ---- Porcupine's histories ------------------------------------------------------ */

static void test_porcupine_expected(void)
{
    char dir[1024], path[1600], line[512];
    path_of(dir, sizeof dir, "../shared/data/porcupine");
    snprintf(path, sizeof path, "%s/EXPECTED.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("skipped: porcupine data not found\n");
        return;
    }
    int checked = 0, agree = 0;
    while (fgets(line, sizeof line, f)) {
        char name[256], verdict[64];
        if (line[0] == '#' || sscanf(line, "%255s %63s", name, verdict) != 2)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, name);
        fl_lin_result want = strcmp(verdict, "LINEARIZABLE") == 0
                                 ? FL_LIN_OK : FL_LIN_VIOLATION;
        fl_lin_result got = check_path(path, NULL, NULL);
        checked++;
        if (got == want)
            agree++;
        else
            fprintf(stderr, "%s: expected %s, got %s\n", name, verdict,
                    fl_lin_result_name(got));
        CU_ASSERT_EQUAL(got, want);
    }
    fclose(f);
    printf("porcupine: %d of %d files agree with EXPECTED.txt\n", agree,
           checked);
    CU_ASSERT_EQUAL(checked, 55);
}

static void test_porcupine_models_explicit(void)
{
    char path[1200];
    path_of(path, sizeof path, "../shared/data/porcupine/kv/c10-bad.txt");
    if (access(path, R_OK) != 0) {
        printf("skipped: porcupine data not found\n");
        return;
    }
    CU_ASSERT_EQUAL(check_path(path, "kv", NULL), FL_LIN_VIOLATION);
    path_of(path, sizeof path, "../shared/data/porcupine/jepsen/etcd_002.log");
    CU_ASSERT_EQUAL(check_path(path, "register", NULL), FL_LIN_OK);
    /* The etcd register with kv's model: same verdict (no strings). */
    CU_ASSERT_EQUAL(check_path(path, "kv", NULL), FL_LIN_OK);
}

/* ---- hand-written histories ------------------------------------------------------- */

static const struct {
    const char   *file;
    fl_lin_result want;
} fl_fixture_verdicts[] = {
    { "register-stale-read.jsonl", FL_LIN_VIOLATION },
    { "register-new-then-old.jsonl", FL_LIN_VIOLATION },
    { "kv-lost-write.edn", FL_LIN_VIOLATION },
    { "register-cas-wrong.edn", FL_LIN_VIOLATION },
    { "register-cas-false-wrong.edn", FL_LIN_VIOLATION },
    { "register-failed-write.edn", FL_LIN_VIOLATION },
    { "lock-granted-twice.jsonl", FL_LIN_VIOLATION },
    { "lock-token-decreasing.edn", FL_LIN_VIOLATION },
    { "counter-read-too-high.edn", FL_LIN_VIOLATION },
    { "set-missing-add.edn", FL_LIN_VIOLATION },
    { "register-concurrent-reads.jsonl", FL_LIN_OK },
    { "register-info-later.edn", FL_LIN_OK },
    { "register-info-never.jsonl", FL_LIN_OK },
    { "register-cas-false.jsonl", FL_LIN_OK },
    { "lock-ok.edn", FL_LIN_OK },
    { "counter-ok.edn", FL_LIN_OK },
    { "set-ok.edn", FL_LIN_OK },
    { "edn-mixed.edn", FL_LIN_OK },
};

static void test_fixture_verdicts(void)
{
    size_t n = sizeof fl_fixture_verdicts / sizeof fl_fixture_verdicts[0];
    for (size_t i = 0; i < n; i++) {
        char path[1200];
        fixture(path, sizeof path, fl_fixture_verdicts[i].file);
        fl_lin_result got = check_path(path, NULL, NULL);
        if (got != fl_fixture_verdicts[i].want)
            fprintf(stderr, "%s: got %s\n", fl_fixture_verdicts[i].file,
                    fl_lin_result_name(got));
        CU_ASSERT_EQUAL(got, fl_fixture_verdicts[i].want);
    }
}

static void test_guessed_models(void)
{
    static const struct { const char *file, *model; } cases[] = {
        { "kv-lost-write.edn", "kv" },
        { "lock-ok.edn", "lock" },
        { "counter-ok.edn", "counter" },
        { "set-ok.edn", "set" },
        { "register-cas-false.jsonl", "register" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1200];
        fl_lin_history h;
        fl_error err;
        fixture(path, sizeof path, cases[i].file);
        CU_ASSERT_EQUAL_FATAL(fl_hist_read_file(path, FL_HFMT_AUTO, &h, NULL,
                                                &err), 0);
        CU_ASSERT_STRING_EQUAL(fl_hist_guess_model(&h), cases[i].model);
        fl_lin_history_free(&h);
    }
}

static void test_report(void)
{
    char path[1200];
    fl_lin_report r;
    fl_lin_report_init(&r);
    fixture(path, sizeof path, "register-stale-read.jsonl");
    CU_ASSERT_EQUAL_FATAL(check_path(path, NULL, &r), FL_LIN_VIOLATION);
    CU_ASSERT_STRING_EQUAL(r.key, "0");
    CU_ASSERT_EQUAL(r.part_ops, 3);
    CU_ASSERT_EQUAL(r.prefix_len, 2);        /* both writes */
    CU_ASSERT_EQUAL(r.stuck, 2);             /* the read */
    CU_ASSERT_STRING_EQUAL(r.state, "2");
    CU_ASSERT_EQUAL(r.npending, 1);
    CU_ASSERT_EQUAL(r.window_from, 50);
    CU_ASSERT_EQUAL(r.window_to, 60);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
    fl_lin_report_print(&r, mem);
    fclose(mem);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "p0 read key 0 -> 1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "longest linearizable prefix: 2"));
    free(text);
    CU_ASSERT_STRING_EQUAL(r.summary, "not linearizable (model register, "
                           "key 0): p0 read key 0 -> 1  (line 5) cannot take "
                           "effect in state 2");
    fl_lin_report_free(&r);
}

static void test_init_value(void)
{
    const char *h = "{:process 0, :type :invoke, :f :read, :value nil}\n"
                    "{:process 0, :type :ok, :f :read, :value 5}\n";
    fl_lin_history lh;
    fl_error err;
    CU_ASSERT_EQUAL_FATAL(fl_hist_read_text("t", h, strlen(h), FL_HFMT_AUTO,
                                            &lh, NULL, &err), 0);
    fl_lin_val five = fl_lin_int(5), six = fl_lin_int(6);
    const fl_model *m = fl_model_find("register");
    CU_ASSERT_EQUAL(fl_lin_check(&lh, m, NULL, 0, NULL), FL_LIN_VIOLATION);
    CU_ASSERT_EQUAL(fl_lin_check(&lh, m, &five, 0, NULL), FL_LIN_OK);
    CU_ASSERT_EQUAL(fl_lin_check(&lh, m, &six, 0, NULL), FL_LIN_VIOLATION);
    CU_ASSERT_EQUAL(fl_lin_check(&lh, fl_model_find("counter"), &five, 0,
                                 NULL), FL_LIN_OK);
    /* a model that cannot check these ops says so, naming the line */
    fl_lin_report r;
    fl_lin_report_init(&r);
    CU_ASSERT_EQUAL(fl_lin_check(&lh, fl_model_find("lock"), NULL, 0, &r),
                    FL_LIN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err.msg, "t:1: the lock model"));
    fl_lin_report_free(&r);
    fl_lin_history_free(&lh);
}

/* ---- the checker against brute force ----------------------------------------------- */

/* Every order of the ops that respects real time, with every subset of
 * the info ops: is one accepted by the model? Tiny histories only. */
static bool brute(const fl_lin_history *h, const fl_model *m,
                  const unsigned char *st, size_t len, unsigned used)
{
    bool all = true;
    for (size_t i = 0; i < h->len; i++)
        if (!(used >> i & 1u) && h->ops[i].status == FL_LIN_STATUS_OK)
            all = false;
    if (all)
        return true;
    for (size_t i = 0; i < h->len; i++) {
        if (used >> i & 1u)
            continue;
        bool ready = true;      /* every ok op that returned before i's
                                   call is already in */
        for (size_t j = 0; j < h->len; j++)
            if (!(used >> j & 1u) && j != i &&
                h->ops[j].status == FL_LIN_STATUS_OK &&
                h->ops[j].ret < h->ops[i].call)
                ready = false;
        if (!ready)
            continue;
        fl_lin_buf next = { 0 };
        fl_lin_state cur = { st, len };
        bool ok = m->step(cur, &h->ops[i], &next) &&
                  brute(h, m, next.data, next.len, used | 1u << i);
        fl_lin_buf_free(&next);
        if (ok)
            return true;
    }
    return false;
}

typedef struct rnd_gen {
    uint64_t x;
} rnd_gen;

static unsigned rnd_below(rnd_gen *g, unsigned n)
{
    g->x ^= g->x << 13;
    g->x ^= g->x >> 7;
    g->x ^= g->x << 17;
    return (unsigned)(g->x % n);
}

typedef enum rnd_model { RM_REGISTER, RM_KV, RM_COUNTER, RM_SET, RM_LOCK }
    rnd_model;

static const char *const rnd_model_names[] = {
    "register", "kv", "counter", "set", "lock",
};

static fl_lin_val small_value(fl_lin_history *h, rnd_gen *g, bool strings)
{
    static const char *const letters[] = { "a", "b", "c" };
    unsigned v = rnd_below(g, 4);
    if (!strings)
        return v == 0 ? fl_lin_nil() : fl_lin_int(v);
    const char *s = fl_arena_strndup(&h->arena, letters[v % 3], 1);
    return (fl_lin_val){ .type = FL_LV_STR, .n = 1, .u.s = s };
}

static fl_lin_val small_set(fl_lin_history *h, rnd_gen *g)
{
    size_t n = rnd_below(g, 3);
    int64_t *list = fl_arena_alloc(&h->arena, 4 * sizeof *list);
    for (size_t i = 0; i < n; i++)
        list[i] = (int64_t)i + 1 + rnd_below(g, 2);
    if (n == 2 && list[0] == list[1])
        n = 1;
    return (fl_lin_val){ .type = FL_LV_LIST, .n = n, .u.list = list };
}

static const fl_lin_kind rnd_kinds[][3] = {
    [RM_REGISTER] = { FL_LIN_READ, FL_LIN_WRITE, FL_LIN_CAS },
    [RM_KV] = { FL_LIN_READ, FL_LIN_WRITE, FL_LIN_APPEND },
    [RM_COUNTER] = { FL_LIN_READ, FL_LIN_ADD, FL_LIN_ADD },
    [RM_SET] = { FL_LIN_READ, FL_LIN_ADD, FL_LIN_ADD },
    [RM_LOCK] = { FL_LIN_ACQUIRE, FL_LIN_RELEASE, FL_LIN_ACQUIRE },
};

static void random_args(fl_lin_history *h, rnd_gen *g, rnd_model rm,
                        fl_lin_op *op)
{
    if (op->kind == FL_LIN_WRITE || op->kind == FL_LIN_APPEND) {
        op->arg = small_value(h, g, rm == RM_KV);
    } else if (op->kind == FL_LIN_CAS) {
        fl_lin_val *pair = fl_arena_alloc(&h->arena, 2 * sizeof *pair);
        pair[0] = small_value(h, g, false);
        pair[1] = small_value(h, g, false);
        op->arg = (fl_lin_val){ .type = FL_LV_PAIR, .u.pair = pair };
    } else if (op->kind == FL_LIN_ADD) {
        op->arg = fl_lin_int(1 + rnd_below(g, 2));
    } else if (op->kind == FL_LIN_RELEASE) {
        op->arg = fl_lin_int(1 + rnd_below(g, 3));
    }
    if (op->status == FL_LIN_STATUS_INFO)
        return;
    if (op->kind == FL_LIN_READ)
        op->out = rm == RM_SET ? small_set(h, g)
                : rm == RM_COUNTER ? fl_lin_int(rnd_below(g, 5))
                : small_value(h, g, rm == RM_KV);
    if (op->kind == FL_LIN_CAS)
        op->out = fl_lin_bool(rnd_below(g, 2));
    if (op->kind == FL_LIN_ACQUIRE)
        op->out = fl_lin_int(1 + rnd_below(g, 3));
}

/* A random op on one key, with random results; `fix_results` later makes
 * some of them right. */
static void random_op(fl_lin_history *h, rnd_gen *g, rnd_model rm,
                      fl_lin_op *op)
{
    memset(op, 0, sizeof *op);
    op->kind = rnd_kinds[rm][rnd_below(g, 3)];
    op->process = (int64_t)h->len;
    op->key = fl_lin_none();
    op->status = rnd_below(g, 4) == 0 ? FL_LIN_STATUS_INFO
                                      : FL_LIN_STATUS_OK;
    int64_t a = rnd_below(g, 12), b = a + 1 + rnd_below(g, 6);
    op->call = 2 * a;
    op->ret = op->status == FL_LIN_STATUS_OK ? 2 * b + 1 : FL_LIN_NEVER;
    op->arg = fl_lin_none();
    op->out = fl_lin_none();
    random_args(h, g, rm, op);
}

/* What an ok op should have returned in state st (serial run). */
static void right_result(fl_lin_history *h, const fl_model *m, rnd_model rm,
                         fl_lin_buf *st, fl_lin_op *op)
{
    fl_lin_state cur = { st->data, st->len };
    fl_lin_buf next = { 0 };
    if (op->kind == FL_LIN_READ && (rm == RM_REGISTER || rm == RM_KV)) {
        fl_lin_val v;
        if (fl_lin_val_decode(st->data, st->len, &v)) {
            if (v.type == FL_LV_STR)        /* copy out of the state */
                v.u.s = fl_arena_strndup(&h->arena, v.u.s, v.n);
            op->out = v;
        }
    } else if (op->kind == FL_LIN_READ && rm == RM_COUNTER) {
        op->out = fl_lin_int(fl_model_i64(cur, 0));
    } else if (op->kind == FL_LIN_READ && rm == RM_SET) {
        int64_t *list = fl_arena_alloc(&h->arena, st->len + 8);
        for (size_t i = 0; i < st->len / 8; i++)
            list[i] = fl_model_i64(cur, 8 * i);
        op->out = (fl_lin_val){ .type = FL_LV_LIST, .n = st->len / 8,
                                .u.list = list };
    } else if (op->kind == FL_LIN_CAS) {
        op->out = fl_lin_bool(true);
        if (!m->step(cur, op, &next))
            op->out = fl_lin_bool(false);
    } else if (op->kind == FL_LIN_ACQUIRE) {
        int64_t last = fl_model_i64(cur, 16);
        op->out = fl_lin_int(last == FL_NIL ? 1 : last + 1);
    } else if (op->kind == FL_LIN_RELEASE && fl_model_i64(cur, 0)) {
        op->arg = fl_lin_int(fl_model_i64(cur, 8));
    }
    fl_lin_buf_free(&next);
}

/* Replaces random results by the ones a serial run in call order gives,
 * so that about half the histories are linearizable. */
static void fix_results(fl_lin_history *h, const fl_model *m, rnd_model rm)
{
    fl_lin_buf st = { 0 }, next = { 0 };
    m->init(NULL, h, &st, NULL);
    for (size_t i = 0; i < h->len; i++) {
        fl_lin_op *op = &h->ops[i];
        if (op->status == FL_LIN_STATUS_OK)
            right_result(h, m, rm, &st, op);
        next.len = 0;
        if (m->step((fl_lin_state){ st.data, st.len }, op, &next)) {
            st.len = 0;
            fl_lin_buf_put(&st, next.data, next.len);
        }
    }
    fl_lin_buf_free(&st);
    fl_lin_buf_free(&next);
}

static int by_call(const void *a, const void *b)
{
    const fl_lin_op *x = a, *y = b;
    return (x->call > y->call) - (x->call < y->call);
}

static void report_case(unsigned c, bool want, fl_lin_result got,
                        const fl_lin_history *h)
{
    fprintf(stderr, "case %u: brute force says %s, checker %s\n", c,
            want ? "yes" : "no", fl_lin_result_name(got));
    for (size_t i = 0; i < h->len; i++) {
        char t[200];
        fprintf(stderr, "  [%" PRId64 ", %" PRId64 "] %s\n", h->ops[i].call,
                h->ops[i].ret, fl_lin_op_format(&h->ops[i], t, sizeof t));
    }
}

static void differential(rnd_model rm, unsigned cases, size_t max_ops)
{
    const fl_model *m = fl_model_find(rnd_model_names[rm]);
    rnd_gen g = { 0x9e3779b97f4a7c15ull ^ (uint64_t)(rm + 1) };
    unsigned yes = 0, agree = 0;
    for (unsigned c = 0; c < cases; c++) {
        fl_lin_history h;
        fl_lin_history_init(&h, "random");
        size_t n = 2 + rnd_below(&g, (unsigned)max_ops - 1);
        for (size_t i = 0; i < n; i++) {
            fl_lin_op op;
            random_op(&h, &g, rm, &op);
            fl_lin_history_add(&h, &op);
        }
        qsort(h.ops, h.len, sizeof *h.ops, by_call);
        if (rnd_below(&g, 2))
            fix_results(&h, m, rm);
        fl_lin_buf init = { 0 };
        m->init(NULL, &h, &init, NULL);
        bool want = brute(&h, m, init.data, init.len, 0);
        fl_lin_result got = fl_lin_check(&h, m, NULL, 0, NULL);
        yes += want;
        agree += (got == FL_LIN_OK) == want;
        if ((got == FL_LIN_OK) != want)
            report_case(c, want, got, &h);
        CU_ASSERT_EQUAL((got == FL_LIN_OK), want);
        fl_lin_buf_free(&init);
        fl_lin_history_free(&h);
    }
    printf("%s: %u of %u random histories agree with brute force "
           "(%u linearizable)\n", m->name, agree, cases, yes);
}

#define FL_DIFF_CASES 3000
#define FL_DIFF_OPS 7

static void test_differential_register(void)
{
    differential(RM_REGISTER, FL_DIFF_CASES, FL_DIFF_OPS);
}

static void test_differential_kv(void)
{
    differential(RM_KV, FL_DIFF_CASES, FL_DIFF_OPS);
}

static void test_differential_others(void)
{
    differential(RM_COUNTER, FL_DIFF_CASES, FL_DIFF_OPS);
    differential(RM_SET, FL_DIFF_CASES, FL_DIFF_OPS);
    differential(RM_LOCK, FL_DIFF_CASES, FL_DIFF_OPS);
}

/* ---- generated from sequential executions -------------------------------------------- */

#define FL_SEQ_KEYS 4

/* Appends to h the history of a sequential execution: op i takes effect
 * at position 10 i + 5, on its key's state, with the result the model
 * gives there; its call and return are drawn up to `spread` before and
 * after that point, so ops overlap their neighbours at random. An op the
 * model refuses where it falls (releasing a free lock, acquiring a held
 * one) is drawn again. About one op in eight is indeterminate: no result,
 * and it took effect at its point or never. Linearizable by construction;
 * the ops end up in call order. */
static void sequential_history(fl_lin_history *h, rnd_gen *g, rnd_model rm,
                               size_t n, unsigned keys, unsigned spread)
{
    const fl_model *m = fl_model_find(rnd_model_names[rm]);
    fl_lin_buf st[FL_SEQ_KEYS] = { { 0 } };
    h->has_strings = rm == RM_KV;
    for (unsigned k = 0; k < keys; k++)
        m->init(NULL, h, &st[k], NULL);
    for (size_t i = 0; i < n; i++) {
        int64_t point = 10 * (int64_t)i + 5;
        for (int tries = 0; tries < 20; tries++) {
            fl_lin_op op;
            random_op(h, g, rm, &op);
            op.status = rnd_below(g, 8) ? FL_LIN_STATUS_OK
                                        : FL_LIN_STATUS_INFO;
            op.out = fl_lin_none();
            op.ret = FL_LIN_NEVER;
            unsigned k = rnd_below(g, keys);
            op.key = keys > 1 ? fl_lin_int(k) : fl_lin_none();
            op.call = point - rnd_below(g, spread + 1);
            if (op.status == FL_LIN_STATUS_OK) {
                op.ret = point + 1 + rnd_below(g, spread + 1);
                right_result(h, m, rm, &st[k], &op);
            }
            fl_lin_buf next = { 0 };
            bool fits = m->step((fl_lin_state){ st[k].data, st[k].len }, &op,
                                &next);
            if (fits && (op.status == FL_LIN_STATUS_OK || rnd_below(g, 2))) {
                st[k].len = 0;
                fl_lin_buf_put(&st[k], next.data, next.len);
            }
            fl_lin_buf_free(&next);
            if (fits) {
                fl_lin_history_add(h, &op);
                break;
            }
        }
    }
    qsort(h->ops, h->len, sizeof *h->ops, by_call);
    for (unsigned k = 0; k < keys; k++)
        fl_lin_buf_free(&st[k]);
}

static void print_history(const fl_lin_history *h)
{
    for (size_t i = 0; i < h->len; i++) {
        char t[200];
        fprintf(stderr, "  [%" PRId64 ", %" PRId64 "] %s\n", h->ops[i].call,
                h->ops[i].ret, fl_lin_op_format(&h->ops[i], t, sizeof t));
    }
}

static int i64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Changes the result of one ok op that has one (a read, a cas, an
 * acquire); false if there is none. */
static bool mutate_result(fl_lin_history *h, rnd_gen *g, rnd_model rm)
{
    size_t cand[64], nc = 0;
    for (size_t i = 0; i < h->len && nc < 64; i++) {
        const fl_lin_op *op = &h->ops[i];
        if (op->status == FL_LIN_STATUS_OK &&
            (op->kind == FL_LIN_READ || op->kind == FL_LIN_CAS ||
             (op->kind == FL_LIN_ACQUIRE && op->out.type == FL_LV_INT)))
            cand[nc++] = i;
    }
    if (nc == 0)
        return false;
    fl_lin_op *op = &h->ops[cand[rnd_below(g, (unsigned)nc)]];
    if (op->kind == FL_LIN_CAS) {
        op->out = fl_lin_bool(op->out.u.i == 0);
    } else if (op->kind == FL_LIN_ACQUIRE) {
        op->out = fl_lin_int(op->out.u.i + (rnd_below(g, 2) ? 1 : -1));
    } else if (rm == RM_COUNTER) {
        op->out = fl_lin_int(op->out.u.i + (rnd_below(g, 2) ? 1 : -1));
    } else if (rm == RM_SET) {
        /* add or drop one element of 1..3 */
        int64_t *list = fl_arena_alloc(&h->arena, 8 * sizeof *list);
        int64_t flip = 1 + rnd_below(g, 3);
        size_t k = 0;
        bool had = false;
        for (size_t i = 0; i < op->out.n; i++) {
            if (op->out.u.list[i] == flip)
                had = true;
            else
                list[k++] = op->out.u.list[i];
        }
        if (!had) {
            list[k++] = flip;
            qsort(list, k, sizeof *list, i64_cmp);
        }
        op->out = (fl_lin_val){ .type = FL_LV_LIST, .n = k, .u.list = list };
    } else {
        fl_lin_val v = op->out;
        for (int tries = 0; tries < 10 && fl_lin_val_equal(&v, &op->out);
             tries++)
            v = small_value(h, g, rm == RM_KV);
        if (fl_lin_val_equal(&v, &op->out))
            return false;
        op->out = v;
    }
    return true;
}

static fl_lin_result check_whole(const fl_lin_history *h, const fl_model *m)
{
    fl_lin_options o = { .timeout_s = 20, .no_partition = true };
    return fl_lin_check_opts(h, m, NULL, &o, NULL);
}

/* Histories of sequential executions with random overlap, up to 120 ops
 * on up to three keys, must always pass; on several keys, also checked as
 * a whole (P-compositionality off), and once one result is changed the
 * two ways of checking must agree. */
static void sequential_pass(rnd_model rm, unsigned cases)
{
    const fl_model *m = fl_model_find(rnd_model_names[rm]);
    rnd_gen g = { 0x5eed5eed12345ull ^ (uint64_t)(rm + 7) * 0x9e37ull };
    unsigned pass = 0, whole = 0, agree = 0, mutated = 0;
    for (unsigned c = 0; c < cases; c++) {
        fl_lin_history h;
        fl_lin_history_init(&h, "sequential");
        unsigned keys = 1 + rnd_below(&g, 3);
        size_t n = 2 + rnd_below(&g, 119);
        sequential_history(&h, &g, rm, n, keys, rnd_below(&g, 61));
        fl_lin_result got = fl_lin_check(&h, m, NULL, 0, NULL);
        pass += got == FL_LIN_OK;
        if (got != FL_LIN_OK) {
            fprintf(stderr, "%s case %u: a sequential execution gives %s\n",
                    m->name, c, fl_lin_result_name(got));
            print_history(&h);
        }
        CU_ASSERT_EQUAL(got, FL_LIN_OK);
        if (keys > 1 && h.len <= 40) {
            fl_lin_result w = check_whole(&h, m);
            whole++;
            CU_ASSERT_EQUAL(w, FL_LIN_OK);
            if (mutate_result(&h, &g, rm)) {
                fl_lin_result a = fl_lin_check(&h, m, NULL, 0, NULL);
                fl_lin_result b = check_whole(&h, m);
                mutated++;
                agree += a == b;
                if (a != b) {
                    fprintf(stderr, "%s case %u: by key %s, whole %s\n",
                            m->name, c, fl_lin_result_name(a),
                            fl_lin_result_name(b));
                    print_history(&h);
                }
                CU_ASSERT_EQUAL(a, b);
            }
        }
        fl_lin_history_free(&h);
    }
    printf("%s: %u of %u sequential executions pass; %u checked whole too; "
           "%u of %u mutated agree by key and whole\n", m->name, pass,
           cases, whole, agree, mutated);
}

static void test_sequential_pass(void)
{
    for (rnd_model rm = RM_REGISTER; rm <= RM_LOCK; rm++)
        sequential_pass(rm, 300);
}

/* The same, small enough for brute force, with one result changed: the
 * checker must reject it exactly when brute force does. */
static void mutated_vs_brute(rnd_model rm, unsigned cases)
{
    const fl_model *m = fl_model_find(rnd_model_names[rm]);
    rnd_gen g = { 0xfeedbeefcafeull ^ (uint64_t)(rm + 3) * 0x51edull };
    unsigned tried = 0, rejected = 0, agree = 0;
    for (unsigned c = 0; c < cases; c++) {
        fl_lin_history h;
        fl_lin_history_init(&h, "mutated");
        sequential_history(&h, &g, rm, 2 + rnd_below(&g, 6), 1,
                           rnd_below(&g, 31));
        fl_lin_buf init = { 0 };
        m->init(NULL, &h, &init, NULL);
        CU_ASSERT(brute(&h, m, init.data, init.len, 0));   /* as built */
        if (mutate_result(&h, &g, rm)) {
            bool want = brute(&h, m, init.data, init.len, 0);
            fl_lin_result got = fl_lin_check(&h, m, NULL, 0, NULL);
            tried++;
            rejected += !want;
            agree += (got == FL_LIN_OK) == want;
            if ((got == FL_LIN_OK) != want)
                report_case(c, want, got, &h);
            CU_ASSERT_EQUAL(got == FL_LIN_OK, want);
        }
        fl_lin_buf_free(&init);
        fl_lin_history_free(&h);
    }
    printf("%s: %u of %u mutated sequential executions agree with brute "
           "force (%u rejected)\n", m->name, agree, tried, rejected);
}

static void test_mutated_vs_brute(void)
{
    for (rnd_model rm = RM_REGISTER; rm <= RM_LOCK; rm++)
        mutated_vs_brute(rm, 1500);
}

/* Makes one ok read of h (register, kv, counter or set) return what no
 * execution can produce: a value never written, a count above the sum of
 * every add, an element never added. False if h has no ok read. */
static bool mutate_impossible(fl_lin_history *h, rnd_gen *g, rnd_model rm)
{
    size_t cand[256], nc = 0;
    int64_t total = 0;
    for (size_t i = 0; i < h->len; i++) {
        const fl_lin_op *op = &h->ops[i];
        if (op->kind == FL_LIN_ADD && op->arg.type == FL_LV_INT)
            total += op->arg.u.i;
        if (op->status == FL_LIN_STATUS_OK && op->kind == FL_LIN_READ &&
            nc < 256)
            cand[nc++] = i;
    }
    if (nc == 0)
        return false;
    fl_lin_op *op = &h->ops[cand[rnd_below(g, (unsigned)nc)]];
    if (rm == RM_KV) {
        const char *s = fl_arena_strndup(&h->arena, "never", 5);
        op->out = (fl_lin_val){ .type = FL_LV_STR, .n = 5, .u.s = s };
    } else if (rm == RM_COUNTER) {
        op->out = fl_lin_int(total + 1);
    } else if (rm == RM_SET) {
        int64_t *list = fl_arena_alloc(&h->arena, (op->out.n + 1) *
                                                  sizeof *list);
        for (size_t i = 0; i < op->out.n; i++)
            list[i] = op->out.u.list[i];
        list[op->out.n] = 99;                 /* the values are 1..3 */
        op->out = (fl_lin_val){ .type = FL_LV_LIST, .n = op->out.n + 1,
                                .u.list = list };
    } else {
        op->out = fl_lin_int(999);            /* written: nil, 1..3 */
    }
    return true;
}

/* Sequential executions too large for brute force (up to 200 ops, up to
 * three keys) pass as built, and each is rejected, by key and as a whole,
 * once one read returns something impossible. */
static void impossible_read(rnd_model rm, unsigned cases)
{
    const fl_model *m = fl_model_find(rnd_model_names[rm]);
    rnd_gen g = { 0xbadc0ffee0ddf00dull ^ (uint64_t)(rm + 11) * 0x7f4aull };
    unsigned mutated = 0, rejected = 0;
    for (unsigned c = 0; c < cases; c++) {
        fl_lin_history h;
        fl_lin_history_init(&h, "impossible");
        unsigned keys = 1 + rnd_below(&g, 3);
        sequential_history(&h, &g, rm, 20 + rnd_below(&g, 181), keys,
                           rnd_below(&g, 31));
        CU_ASSERT_EQUAL(fl_lin_check(&h, m, NULL, 0, NULL), FL_LIN_OK);
        if (mutate_impossible(&h, &g, rm)) {
            fl_lin_result a = fl_lin_check(&h, m, NULL, 0, NULL);
            fl_lin_result b = h.len <= 40 ? check_whole(&h, m)
                                          : FL_LIN_VIOLATION;
            mutated++;
            rejected += a == FL_LIN_VIOLATION && b == FL_LIN_VIOLATION;
            if (a != FL_LIN_VIOLATION || b != FL_LIN_VIOLATION) {
                fprintf(stderr, "%s case %u: an impossible read gives %s "
                        "by key, %s whole\n", m->name, c,
                        fl_lin_result_name(a), fl_lin_result_name(b));
                print_history(&h);
            }
            CU_ASSERT_EQUAL(a, FL_LIN_VIOLATION);
            CU_ASSERT_EQUAL(b, FL_LIN_VIOLATION);
        }
        fl_lin_history_free(&h);
    }
    printf("%s: %u of %u histories with an impossible read rejected\n",
           m->name, rejected, mutated);
    CU_ASSERT(mutated >= cases / 2);          /* the test tests something */
}

static void test_impossible_read(void)
{
    for (rnd_model rm = RM_REGISTER; rm <= RM_SET; rm++)
        impossible_read(rm, 200);
}

/* ---- limits ----------------------------------------------------------------------------- */

/* A memory limit too small for the search gives unknown, saying so,
 * rather than a crash; a sensible one changes nothing. */
static void test_memory_limit(void)
{
    const fl_model *m = fl_model_find("kv");
    rnd_gen g = { 42 };
    fl_lin_history h;
    fl_lin_history_init(&h, "limited");
    sequential_history(&h, &g, RM_KV, 300, 2, 40);
    fl_lin_options o = { .max_memory = 16 << 10 };
    fl_lin_report r;
    CU_ASSERT_EQUAL(fl_lin_check_opts(&h, m, NULL, &o, &r), FL_LIN_UNKNOWN);
    CU_ASSERT_EQUAL(r.partitions_memory, r.partitions_unknown);
    CU_ASSERT(r.partitions_memory >= 1);
    CU_ASSERT_EQUAL(r.max_memory, (size_t)16 << 10);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.summary, "unknown: the search reached "
                                             "its memory limit of 16 KiB"));
    fl_lin_report_free(&r);
    /* the same through the composite state */
    o.no_partition = true;
    CU_ASSERT_EQUAL(fl_lin_check_opts(&h, m, NULL, &o, &r), FL_LIN_UNKNOWN);
    CU_ASSERT_EQUAL(r.partitions_memory, 1);
    fl_lin_report_free(&r);
    o = (fl_lin_options){ .max_memory = 64 << 20 };
    CU_ASSERT_EQUAL(fl_lin_check_opts(&h, m, NULL, &o, &r), FL_LIN_OK);
    CU_ASSERT(r.peak_memory > 0 && r.peak_memory <= o.max_memory);
    CU_ASSERT_EQUAL(r.partitions_memory, 0);
    fl_lin_report_free(&r);
    fl_lin_history_free(&h);
    /* the default: something sane */
    size_t def = fl_lin_default_max_memory();
    CU_ASSERT(def >= (size_t)64 << 20);
    char buf[32];
    CU_ASSERT_STRING_EQUAL(fl_lin_format_bytes(16 << 10, buf, sizeof buf),
                           "16 KiB");
    CU_ASSERT_STRING_EQUAL(fl_lin_format_bytes((size_t)3 << 29, buf,
                                               sizeof buf), "1.5 GiB");
}

/* A file over the size limit is refused with a clear message before it
 * is read; so is one through the command's --max-memory. */
static void test_file_too_large(void)
{
    char path[1200];
    fixture(path, sizeof path, "kv-lost-write.edn");
    fl_lin_history h;
    fl_error err;
    CU_ASSERT_EQUAL(fl_hist_read_file_max(path, FL_HFMT_AUTO, 100, &h, NULL,
                                          &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "kv-lost-write.edn: too large to "
                                           "check: 707 bytes"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "at most 100 bytes"));
    fl_lin_history_free(&h);
    CU_ASSERT_EQUAL(fl_hist_read_file_max(path, FL_HFMT_AUTO, 707, &h, NULL,
                                          &err), 0);
    fl_lin_history_free(&h);
}

/* ---- the engine's entry point ------------------------------------------------------ */

static uint64_t invoke(fl_history *h, int64_t p, fl_op_kind k, int64_t a,
                       int64_t b, fl_time t)
{
    fl_op op = { .kind = k, .key = 0, .arg = a, .arg2 = b };
    return fl_history_invoke(h, p, (fl_node_id)p, &op, t);
}

static void test_engine_api(void)
{
    fl_history h;
    fl_history_init(&h);
    uint64_t a = invoke(&h, 0, FL_OP_ACQUIRE, 1000, 0, 1);
    fl_history_complete(&h, a, FL_HIST_OK, 1, 2);
    uint64_t b = invoke(&h, 1, FL_OP_ACQUIRE, 1000, 0, 3);
    fl_history_complete(&h, b, FL_HIST_OK, 2, 4);
    fl_lin_report r;
    fl_lin_report_init(&r);
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "lock", FL_NIL, 5.0, &r),
                    FL_LIN_VIOLATION);
    CU_ASSERT_EQUAL(r.prefix_len, 1);
    fl_lin_report_free(&r);
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "nope", FL_NIL, 0, &r),
                    FL_LIN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err.msg, "unknown model"));
    CU_ASSERT_STRING_EQUAL(r.summary, "unknown model 'nope'");
    fl_lin_report_free(&r);
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "none", FL_NIL, 0, &r),
                    FL_LIN_UNAVAILABLE);
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, NULL, FL_NIL, 0, NULL),
                    FL_LIN_UNAVAILABLE);
    /* an op completed twice is a broken history, not a verdict */
    fl_history broken = h;
    fl_hist_event extra[8];
    memcpy(extra, h.events, 4 * sizeof *extra);
    extra[4] = extra[1];
    broken.events = extra;
    broken.len = 5;
    CU_ASSERT_EQUAL(fl_lin_check_history(&broken, "lock", FL_NIL, 0, &r),
                    FL_LIN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.summary, "history: event 4"));
    fl_lin_report_free(&r);
    fl_history_destroy(&h);

    /* register: write 1; CAS [2 3] -> 0 (false); timed-out write 7 that
     * lands later; read 7; a failed write 9 that must not count */
    fl_history_init(&h);
    fl_history_complete(&h, invoke(&h, 0, FL_OP_WRITE, 1, 0, 10),
                        FL_HIST_OK, 0, 11);
    fl_history_complete(&h, invoke(&h, 0, FL_OP_CAS, 2, 3, 12), FL_HIST_OK,
                        0, 13);
    fl_history_complete(&h, invoke(&h, 1, FL_OP_WRITE, 7, 0, 14),
                        FL_HIST_INFO, 0, 15);
    fl_history_complete(&h, invoke(&h, 2, FL_OP_WRITE, 9, 0, 16),
                        FL_HIST_FAIL, 0, 17);
    uint64_t rd = invoke(&h, 0, FL_OP_READ, 0, 0, 18);
    fl_history_complete(&h, rd, FL_HIST_OK, 7, 19);
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "register", FL_NIL, 0, &r),
                    FL_LIN_OK);
    CU_ASSERT_STRING_EQUAL(r.summary, "linearizable (model register: 4 ops, "
                           "1 partition)");
    fl_lin_report_free(&r);
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "kv", FL_NIL, 0, NULL),
                    FL_LIN_OK);
    fl_history_complete(&h, invoke(&h, 0, FL_OP_READ, 0, 0, 20), FL_HIST_OK,
                        9, 21);
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "register", FL_NIL, 0, NULL),
                    FL_LIN_VIOLATION);
    fl_history_destroy(&h);
}

/* 24 concurrent writes and, concurrent with all of them, a read of 5
 * and a successful cas 7 -> 5 although nobody wrote 7: the search must
 * try every subset of the writes (2^24) before it can say no, so the
 * timeout ends it first. (The cas keeps the register model from seeing
 * at once that the read can never fit: something might set 5.) */
static void test_timeout(void)
{
    fl_history h;
    uint64_t id[24];
    fl_history_init(&h);
    for (int i = 0; i < 24; i++)
        id[i] = invoke(&h, i, FL_OP_WRITE, 100 + i, 0, i);
    uint64_t cas = invoke(&h, 98, FL_OP_CAS, 7, 5, 40);
    uint64_t rd = invoke(&h, 99, FL_OP_READ, 0, 0, 50);
    fl_history_complete(&h, rd, FL_HIST_OK, 5, 60);
    fl_history_complete(&h, cas, FL_HIST_OK, 1, 65);
    for (int i = 0; i < 24; i++)
        fl_history_complete(&h, id[i], FL_HIST_OK, 0, 70 + i);
    fl_lin_report r;
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "register", FL_NIL, 0.2, &r),
                    FL_LIN_UNKNOWN);
    CU_ASSERT_EQUAL(r.partitions_unknown, 1);
    CU_ASSERT(r.seconds < 5.0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.summary, "timed out"));
    fl_lin_report_free(&r);
    fl_history_destroy(&h);
}

/* ---- the history and its writers ---------------------------------------------------- */

static void test_history_api(void)
{
    fl_history h;
    fl_history_init(&h);
    uint64_t a = invoke(&h, 0, FL_OP_WRITE, 1, 0, 1);
    uint64_t b = invoke(&h, 1, FL_OP_READ, 0, 0, 2);
    CU_ASSERT(a != 0 && b != 0 && a != b);
    CU_ASSERT_EQUAL(fl_history_complete(&h, b, FL_HIST_OK, FL_NIL, 3), 0);
    CU_ASSERT_EQUAL(fl_history_complete(&h, b, FL_HIST_OK, 1, 4), -1);
    CU_ASSERT_EQUAL(fl_history_complete(&h, 12345, FL_HIST_OK, 1, 4), -1);
    CU_ASSERT_EQUAL(fl_history_complete(&h, a, FL_HIST_INVOKE, 1, 4), -1);
    CU_ASSERT_EQUAL(fl_history_complete(&h, a, FL_HIST_OK, 0, 5), 0);
    CU_ASSERT_EQUAL(h.len, 4);
    CU_ASSERT_EQUAL(h.events[3].op_id, a);
    CU_ASSERT_EQUAL(h.events[3].op.arg, 1);
    CU_ASSERT_STRING_EQUAL(fl_op_kind_name(FL_OP_CAS), "cas");
    CU_ASSERT_STRING_EQUAL(fl_hist_type_name(FL_HIST_INFO), "info");
    fl_history_destroy(&h);
}

/* 200,000 ops, 64 open at a time, completed out of order. */
static void test_history_many(void)
{
    fl_history h;
    fl_history_init(&h);
    uint64_t open[64];
    int n = 0;
    for (int i = 0; i < 200000; i++) {
        if (n == 64) {
            for (int k = 63; k >= 0; k--)
                CU_ASSERT_EQUAL_FATAL(fl_history_complete(&h, open[k],
                                      FL_HIST_OK, 0, i), 0);
            n = 0;
        }
        open[n] = invoke(&h, n, FL_OP_WRITE, i, 0, i);
        n++;
    }
    for (int k = 0; k < n; k++)
        CU_ASSERT_EQUAL(fl_history_complete(&h, open[k], FL_HIST_INFO, 0,
                                            200000), 0);
    CU_ASSERT_EQUAL(h.len, 400000);
    CU_ASSERT_EQUAL(fl_history_complete(&h, open[0], FL_HIST_OK, 0, 0), -1);
    fl_history_destroy(&h);
}

static void small_history(fl_history *h)
{
    fl_history_init(h);
    uint64_t w = invoke(h, 0, FL_OP_WRITE, 1, 0, 100);
    uint64_t c = invoke(h, 1, FL_OP_CAS, 1, 2, 110);
    fl_history_complete(h, w, FL_HIST_OK, 0, 120);
    fl_history_complete(h, c, FL_HIST_OK, 0, 130);
    uint64_t r = invoke(h, 0, FL_OP_READ, 0, 0, 140);
    fl_history_complete(h, r, FL_HIST_OK, FL_NIL, 150);
}

static char *written(const fl_history *h, bool edn)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return NULL;
    int rc = edn ? fl_history_write_edn(h, mem) : fl_history_write_jsonl(h, mem);
    fclose(mem);
    if (rc != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static void test_writer_format(void)
{
    fl_history h;
    small_history(&h);
    char *j = written(&h, false), *e = written(&h, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(j,
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":0,"
        "\"value\":1,\"time_ns\":100}\n"
        "{\"process\":1,\"type\":\"invoke\",\"f\":\"cas\",\"key\":0,"
        "\"value\":[1,2],\"time_ns\":110}\n"
        "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":0,"
        "\"value\":1,\"time_ns\":120}\n"
        "{\"process\":1,\"type\":\"ok\",\"f\":\"cas\",\"key\":0,"
        "\"value\":[1,2],\"result\":false,\"time_ns\":130}\n"
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":0,"
        "\"value\":null,\"time_ns\":140}\n"
        "{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"key\":0,"
        "\"value\":null,\"time_ns\":150}\n");
    CU_ASSERT_STRING_EQUAL(e,
        FL_HIST_EDN_MARK " a read of nil saw nil (Knossos reads nil as "
        "unknown); :fail :cas with :error :mismatch ran and saw another "
        "value\n"
        "{:index 0, :type :invoke, :f :write, :value [0 1], :process 0, "
        ":time 100}\n"
        "{:index 1, :type :invoke, :f :cas, :value [0 [1 2]], :process 1, "
        ":time 110}\n"
        "{:index 2, :type :ok, :f :write, :value [0 1], :process 0, "
        ":time 120}\n"
        "{:index 3, :type :fail, :f :cas, :value [0 [1 2]], :process 1, "
        ":time 130, :error :mismatch}\n"
        "{:index 4, :type :invoke, :f :read, :value [0 nil], :process 0, "
        ":time 140}\n"
        "{:index 5, :type :ok, :f :read, :value [0 nil], :process 0, "
        ":time 150}\n");
    /* the CAS failed its comparison (1 was there only if the write went
     * first; it went second), and the read saw nil: not linearizable */
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "register", FL_NIL, 0, NULL),
                    FL_LIN_VIOLATION);
    free(j);
    free(e);
    fl_history_destroy(&h);
}

/* A deterministic mixed history: clients over 3 keys, with CAS (some on
 * nil), info and fail, each op overlapping the next; reads see what is
 * there or, when `bad`, one read after op 300 sees a value not there. */
static void mixed_history(fl_history *h, bool bad)
{
    fl_history_init(h);
    int64_t value[3] = { FL_NIL, FL_NIL, FL_NIL };
    uint64_t x = 0x5eed, prev = 0;
    fl_hist_type prev_t = FL_HIST_OK;
    int64_t next = 1, prev_result = 0;
    bool spoiled = false;
    for (int i = 0; i < 600; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t key = (uint32_t)((x >> 40) % 3);
        int kind = (int)((x >> 20) % 4);
        fl_op op = { .key = key };
        fl_hist_type t = FL_HIST_OK;
        int64_t result = 0;
        if (kind == 0) {
            op.kind = FL_OP_READ;
            result = value[key];
            if (bad && i >= 300 && !spoiled) {
                result = value[key] == 1 ? 2 : 1;      /* not there now */
                spoiled = true;
            }
        } else if (kind == 1) {
            op.kind = FL_OP_WRITE;
            op.arg = next++;
            if (i % 7 == 3)
                t = FL_HIST_FAIL;
            else
                value[key] = op.arg;                  /* info: it happened */
            if (i % 11 == 5 && t == FL_HIST_OK)
                t = FL_HIST_INFO;
        } else {
            op.kind = FL_OP_CAS;
            op.arg = (i % 2) ? value[key] : next + 1000;
            op.arg2 = next++;
            result = op.arg == value[key];
            if (result)
                value[key] = op.arg2;
        }
        /* invoke this op, then complete the previous one: they overlap */
        uint64_t id = fl_history_invoke(h, i, (fl_node_id)(i % 6), &op,
                                        10 * i);
        if (prev)
            fl_history_complete(h, prev, prev_t, prev_result, 10 * i + 5);
        prev = id;
        prev_t = t;
        prev_result = result;
    }
    fl_history_complete(h, prev, prev_t, prev_result, 10 * 600);
}

static void roundtrip(bool bad)
{
    fl_history h;
    mixed_history(&h, bad);
    fl_lin_result want = bad ? FL_LIN_VIOLATION : FL_LIN_OK;
    CU_ASSERT_EQUAL(fl_lin_check_history(&h, "register", FL_NIL, 0, NULL),
                    want);
    for (int edn = 0; edn < 2; edn++) {
        char *text = written(&h, edn);
        char *again = written(&h, edn);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        CU_ASSERT_PTR_NOT_NULL_FATAL(again);
        CU_ASSERT_STRING_EQUAL(text, again);     /* byte-identical */
        fl_lin_history lh;
        fl_error err;
        fl_hist_format fmt;
        CU_ASSERT_EQUAL_FATAL(fl_hist_read_text("rt", text, strlen(text),
                                                FL_HFMT_AUTO, &lh, &fmt, &err),
                              0);
        CU_ASSERT_EQUAL(fmt, edn ? FL_HFMT_EDN : FL_HFMT_JSONL);
        CU_ASSERT_TRUE(lh.time_is_ns);
        CU_ASSERT_STRING_EQUAL(fl_hist_guess_model(&lh), "register");
        CU_ASSERT_EQUAL(fl_lin_check(&lh, fl_model_find("register"), NULL, 0,
                                     NULL), want);
        CU_ASSERT_EQUAL(fl_lin_check(&lh, fl_model_find("kv"), NULL, 0,
                                     NULL), want);
        fl_lin_history_free(&lh);
        free(text);
        free(again);
    }
    fl_history_destroy(&h);
}

/* Lock and counter histories survive both writers with their verdicts. */
static void roundtrip_model(const fl_history *h, const char *model)
{
    fl_lin_result want = fl_lin_check_history(h, model, FL_NIL, 0, NULL);
    for (int edn = 0; edn < 2; edn++) {
        char *text = written(h, edn);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        fl_lin_history lh;
        fl_error err;
        CU_ASSERT_EQUAL_FATAL(fl_hist_read_text("rt", text, strlen(text),
                                                FL_HFMT_AUTO, &lh, NULL, &err),
                              0);
        CU_ASSERT_STRING_EQUAL(fl_hist_guess_model(&lh), model);
        CU_ASSERT_EQUAL(fl_lin_check(&lh, fl_model_find(model), NULL, 0, NULL),
                        want);
        fl_lin_history_free(&lh);
        free(text);
    }
}

static void test_roundtrip_lock_counter(void)
{
    for (int bad = 0; bad < 2; bad++) {
        fl_history h;
        fl_history_init(&h);
        uint64_t a = invoke(&h, 0, FL_OP_ACQUIRE, 500, 0, 1);
        uint64_t b = invoke(&h, 1, FL_OP_ACQUIRE, 500, 0, 2);
        fl_history_complete(&h, a, FL_HIST_OK, 10, 3);
        fl_history_complete(&h, invoke(&h, 0, FL_OP_RELEASE, 10, 0, 4),
                            FL_HIST_OK, 0, 5);
        fl_history_complete(&h, b, FL_HIST_OK, bad ? 9 : 11, 6);
        uint64_t c = invoke(&h, 2, FL_OP_ACQUIRE, 500, 0, 7);
        fl_history_complete(&h, c, FL_HIST_INFO, 0, 8);
        roundtrip_model(&h, "lock");
        CU_ASSERT_EQUAL(fl_lin_check_history(&h, "lock", FL_NIL, 0, NULL),
                        bad ? FL_LIN_VIOLATION : FL_LIN_OK);
        fl_history_destroy(&h);

        fl_history_init(&h);
        uint64_t x = invoke(&h, 0, FL_OP_ADD, 2, 0, 1);
        uint64_t y = invoke(&h, 1, FL_OP_ADD, 3, 0, 2);
        fl_history_complete(&h, x, FL_HIST_OK, 0, 3);
        uint64_t r = invoke(&h, 2, FL_OP_READ, 0, 0, 4);
        fl_history_complete(&h, r, FL_HIST_OK, bad ? 4 : 2, 5);
        fl_history_complete(&h, y, FL_HIST_FAIL, 0, 6);
        roundtrip_model(&h, "counter");
        CU_ASSERT_EQUAL(fl_lin_check_history(&h, "counter", FL_NIL, 0, NULL),
                        bad ? FL_LIN_VIOLATION : FL_LIN_OK);
        fl_history_destroy(&h);
    }
}

static void test_roundtrip_ok(void)
{
    roundtrip(false);
}

static void test_roundtrip_bad(void)
{
    roundtrip(true);
}

/* ---- readers ----------------------------------------------------------------------- */

static const struct {
    const char *text;
    const char *want;     /* the message starts with "t:LINE: " + this */
} fl_reader_errors[] = {
    { "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":0}\n"
      "{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"key\":0,\"value\":1\n",
      "t:2: invalid JSON" },
    { "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1.5}\n",
      "t:1: expected an integer" },
    { "{:process 0, :type :invoke, :f :write, :value 1}\n"
      "\n"
      "{:process 0, :type :ok, :f :frob, :value 1}\n",
      "t:3: expected :f read/get" },
    { "{:process 0, :type :ok, :f :read, :value 1}\n",
      "t:1: :ok for process 0, which has no open op" },
    { "{:process 0, :type :invoke, :f :read}\n"
      "{:process 0, :type :invoke, :f :read}\n",
      "t:2: process 0 invokes while its op from line 1 is still open" },
    { "{:process 0, :type :invoke, :f :read}\n"
      "{:process 0, :type :ok, :f :write, :value 3}\n",
      "t:2: :ok :write completes the :read invoked on line 1" },
    { "{:process 0, :type :invoke, :f :cas, :value 5}\n",
      "t:1: cas :value: expected [expected new]" },
    { "{:process 0, :type :start, :f :read}\n",
      "t:1: expected :type :invoke, :ok, :fail or :info" },
    { "[{:process 0, :type :invoke, :f :read}\n"
      " {:process 0, :type :ok, :f :read, :value 1}\n",
      "t:3: unexpected end of file (expected ']' closing the form opened "
      "on line 1)" },
    { "{:process 0 :type}\n",
      "t:1: a map needs an even number of forms" },
    { "{:type :invoke, :f :read}\n",
      "t:1: expected :process with an integer" },
    { "INFO  jepsen.util - 0\t:invoke\t:write\t1\n"
      "INFO  jepsen.util - 0\t:ok\t:write\tbanana\n",
      "t:2: expected nil, an integer, [a b] or :timed-out" },
    { "INFO  jepsen.util - 0\t:invoke\t:write\t1\n"
      "WARN  something else entirely\n",
      "t:2: expected 'INFO jepsen.util - PROCESS :TYPE :F VALUE'" },
    { "hello world\n",
      "t:1: expected a history" },
};

static void test_reader_errors(void)
{
    size_t n = sizeof fl_reader_errors / sizeof fl_reader_errors[0];
    for (size_t i = 0; i < n; i++) {
        fl_lin_history h;
        fl_error err = { { 0 } };
        const char *t = fl_reader_errors[i].text;
        int rc = fl_hist_read_text("t", t, strlen(t), FL_HFMT_AUTO, &h, NULL,
                                   &err);
        CU_ASSERT_EQUAL(rc, -1);
        const char *want = fl_reader_errors[i].want;
        if (strncmp(err.msg, want, strlen(want)) != 0)
            fprintf(stderr, "case %zu: got \"%s\"\n", i, err.msg);
        CU_ASSERT_EQUAL(strncmp(err.msg, want, strlen(want)), 0);
        fl_lin_history_free(&h);
    }
}

/* Up to 300 processes with ops open at once, completed in call order
 * or in reverse, each process then invoking again: every completion must
 * find its invocation. (The process table once lost a process whose
 * probe passed a slot freed by an earlier completion: 21 processes
 * completed in order were enough.) */
static int many_processes(int np, bool reverse)
{
    size_t cap = (size_t)np * 4 * 64 + 1, len = 0;
    char *t = malloc(cap);
    if (!t)
        return -1;
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < np; i++)
            len += (size_t)snprintf(t + len, cap - len, "{:process %d, "
                                    ":type :invoke, :f :write, :value %d}\n",
                                    i, round * np + i);
        for (int j = 0; j < np; j++) {
            int i = reverse ? np - 1 - j : j;
            len += (size_t)snprintf(t + len, cap - len, "{:process %d, "
                                    ":type :ok, :f :write, :value %d}\n",
                                    i, round * np + i);
        }
    }
    fl_lin_history h;
    fl_error err = { { 0 } };
    int rc = fl_hist_read_text("t", t, len, FL_HFMT_AUTO, &h, NULL, &err);
    if (rc != 0)
        fprintf(stderr, "%d processes: %s\n", np, err.msg);
    else if (h.len != (size_t)np * 2)
        rc = -1;
    fl_lin_history_free(&h);
    free(t);
    return rc;
}

static void test_reader_many_processes(void)
{
    int bad = 0;
    for (int np = 1; np <= 100; np++)
        bad += many_processes(np, false) != 0 || many_processes(np, true) != 0;
    bad += many_processes(300, false) != 0;
    CU_ASSERT_EQUAL(bad, 0);
}

static void test_reader_file_errors(void)
{
    char path[1200], want[1300];
    fl_lin_history h;
    fl_error err;
    fixture(path, sizeof path, "bad-line3.edn");
    CU_ASSERT_EQUAL(fl_hist_read_file(path, FL_HFMT_AUTO, &h, NULL, &err), -1);
    snprintf(want, sizeof want, "%s:3: expected :f", path);
    CU_ASSERT_EQUAL(strncmp(err.msg, want, strlen(want)), 0);
    fl_lin_history_free(&h);
    fixture(path, sizeof path, "no-such-file.edn");
    CU_ASSERT_EQUAL(fl_hist_read_file(path, FL_HFMT_AUTO, &h, NULL, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "No such file"));
    fl_lin_history_free(&h);
}

/* The etcd log reader: ":fail :cas" is a CAS that returned false, ":info"
 * leaves the op open, ":fail :read :timed-out" constrains nothing. */
static void test_etcd_semantics(void)
{
    const char *cas_false_wrong =
        "INFO  jepsen.util - 0\t:invoke\t:write\t1\n"
        "INFO  jepsen.util - 0\t:ok\t:write\t1\n"
        "INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]\n"
        "INFO  jepsen.util - 1\t:fail\t:cas\t[1 2]\n";
    const char *cas_false_right =
        "INFO  jepsen.util - 0\t:invoke\t:write\t1\n"
        "INFO  jepsen.util - 0\t:ok\t:write\t1\n"
        "INFO  jepsen.util - 1\t:invoke\t:cas\t[3 2]\n"
        "INFO  jepsen.util - 1\t:fail\t:cas\t[3 2]\n"
        "INFO  jepsen.util - 2\t:invoke\t:read\tnil\n"
        "INFO  jepsen.util - 2\t:fail\t:read\t:timed-out\n"
        "INFO  jepsen.util - 3\t:invoke\t:write\t4\n"
        "INFO  jepsen.util - 3\t:info\t:write\t:timed-out\n"
        "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n"
        "INFO  jepsen.util - 0\t:ok\t:read\t4\n";
    CU_ASSERT_EQUAL(check_text(cas_false_wrong, NULL), FL_LIN_VIOLATION);
    CU_ASSERT_EQUAL(check_text(cas_false_right, NULL), FL_LIN_OK);
}

/* Timed-out ops are linearized only where something depends on them:
 * these need them at exactly the right point, or reject them. */
static void test_info_just_in_time(void)
{
    /* only the CAS that returned false needs write 2 (1 was there) */
    const char *cas_needs =
        "{:process 0, :type :invoke, :f :write, :value 1}\n"
        "{:process 0, :type :ok, :f :write, :value 1}\n"
        "{:process 1, :type :invoke, :f :write, :value 2}\n"
        "{:process 1, :type :info, :f :write, :value 2}\n"
        "{:process 0, :type :invoke, :f :cas, :value [1 3]}\n"
        "{:process 0, :type :ok, :f :cas, :value [1 3], :result false}\n"
        "{:process 0, :type :invoke, :f :write, :value 4}\n"
        "{:process 0, :type :ok, :f :write, :value 4}\n"
        "{:process 0, :type :invoke, :f :read, :value nil}\n"
        "{:process 0, :type :ok, :f :read, :value 4}\n";
    CU_ASSERT_EQUAL(check_text(cas_needs, NULL), FL_LIN_OK);
    /* once 2 is seen, 1 cannot come back */
    const char *no_return =
        "{:process 0, :type :invoke, :f :write, :value 1}\n"
        "{:process 0, :type :ok, :f :write, :value 1}\n"
        "{:process 1, :type :invoke, :f :write, :value 2}\n"
        "{:process 1, :type :info, :f :write, :value 2}\n"
        "{:process 0, :type :invoke, :f :read, :value nil}\n"
        "{:process 0, :type :ok, :f :read, :value 2}\n"
        "{:process 0, :type :invoke, :f :read, :value nil}\n"
        "{:process 0, :type :ok, :f :read, :value 1}\n";
    CU_ASSERT_EQUAL(check_text(no_return, NULL), FL_LIN_VIOLATION);
    /* a timed-out append lands before, or after, a later one */
    const char *before =
        "{:process 0, :type :invoke, :f :put, :key \"k\", :value \"a\"}\n"
        "{:process 0, :type :ok, :f :put, :key \"k\", :value \"a\"}\n"
        "{:process 1, :type :invoke, :f :append, :key \"k\", :value \"x\"}\n"
        "{:process 1, :type :info, :f :append, :key \"k\", :value \"x\"}\n"
        "{:process 0, :type :invoke, :f :append, :key \"k\", :value \"b\"}\n"
        "{:process 0, :type :ok, :f :append, :key \"k\", :value \"b\"}\n"
        "{:process 0, :type :invoke, :f :get, :key \"k\", :value nil}\n"
        "{:process 0, :type :ok, :f :get, :key \"k\", :value \"%s\"}\n";
    char text[1024];
    snprintf(text, sizeof text, before, "axb");
    CU_ASSERT_EQUAL(check_text(text, NULL), FL_LIN_OK);
    snprintf(text, sizeof text, before, "abx");
    CU_ASSERT_EQUAL(check_text(text, NULL), FL_LIN_OK);
    snprintf(text, sizeof text, before, "ab");
    CU_ASSERT_EQUAL(check_text(text, NULL), FL_LIN_OK);
    snprintf(text, sizeof text, before, "xab");
    CU_ASSERT_EQUAL(check_text(text, NULL), FL_LIN_VIOLATION);
    /* a timed-out acquire that took effect blocks the next one */
    const char *lock =
        "{:process 0, :type :invoke, :f :acquire, :value 10}\n"
        "{:process 0, :type :info, :f :acquire, :value 10}\n"
        "{:process 1, :type :invoke, :f :acquire, :value 10}\n"
        "{:process 1, :type :ok, :f :acquire, :value 7}\n"
        "{:process 1, :type :invoke, :f :release, :value 7}\n"
        "{:process 1, :type :ok, :f :release, :value 7}\n";
    CU_ASSERT_EQUAL(check_text(lock, NULL), FL_LIN_OK);
}

static void test_formats(void)
{
    fl_lin_history h;
    fl_error err;
    fl_hist_format f;
    const char *empty = "\n  \n; nothing\n";
    CU_ASSERT_EQUAL(fl_hist_read_text("e", empty, strlen(empty), FL_HFMT_AUTO,
                                      &h, &f, &err), 0);
    CU_ASSERT_EQUAL(h.len, 0);
    CU_ASSERT_EQUAL(fl_lin_check(&h, fl_model_find("register"), NULL, 0,
                                 NULL), FL_LIN_OK);
    fl_lin_history_free(&h);
    CU_ASSERT_EQUAL(fl_hist_format_parse("edn"), FL_HFMT_EDN);
    CU_ASSERT_EQUAL(fl_hist_format_parse("etcd"), FL_HFMT_ETCD);
    CU_ASSERT_EQUAL(fl_hist_format_parse("jsonl"), FL_HFMT_JSONL);
    CU_ASSERT_EQUAL(fl_hist_format_parse("xml"), FL_HFMT_AUTO);
    /* ops never completed stay open: a write that may land any time */
    const char *open = "{:process 0, :type :invoke, :f :write, :value 1}\n"
                       "{:process 1, :type :invoke, :f :read, :value nil}\n"
                       "{:process 1, :type :ok, :f :read, :value 1}\n";
    CU_ASSERT_EQUAL(check_text(open, NULL), FL_LIN_OK);
}

/* ---- the command ------------------------------------------------------------------- */

static int run_cmd(int argc, const char *const *argv)
{
    char *args[16];
    for (int i = 0; i < argc && i < 16; i++)
        args[i] = (char *)argv[i];
    fflush(stdout);
    return fl_cmd_check(argc, args);
}

static void test_cmd_exit_codes(void)
{
    char ok[1200], bad[1200], broken[1200];
    fixture(ok, sizeof ok, "register-info-later.edn");
    fixture(bad, sizeof bad, "kv-lost-write.edn");
    fixture(broken, sizeof broken, "bad-line3.edn");
    CU_ASSERT_EQUAL(run_cmd(2, (const char *[]){ "check", ok }), 0);
    CU_ASSERT_EQUAL(run_cmd(2, (const char *[]){ "check", bad }), 1);
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", bad, "--model",
                                                 "kv" }), 1);
    CU_ASSERT_EQUAL(run_cmd(2, (const char *[]){ "check", broken }), 2);
    CU_ASSERT_EQUAL(run_cmd(1, (const char *[]){ "check" }), 2);
    CU_ASSERT_EQUAL(run_cmd(3, (const char *[]){ "check", ok, "--frob" }), 2);
    CU_ASSERT_EQUAL(run_cmd(3, (const char *[]){ "check", ok, "--model" }), 2);
    CU_ASSERT_EQUAL(run_cmd(3, (const char *[]){ "check", ok,
                                                 "--model=queue" }), 2);
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", ok, "--timeout",
                                                 "-1" }), 2);
    /* several files: one verdict each, the worst status (issue 18) */
    CU_ASSERT_EQUAL(run_cmd(3, (const char *[]){ "check", ok, bad }), 1);
    CU_ASSERT_EQUAL(run_cmd(2, (const char *[]){ "check", "--help" }), 0);
    /* counter-ok's first read sees 1: from --init 5 it cannot */
    char counter[1200];
    fixture(counter, sizeof counter, "counter-ok.edn");
    CU_ASSERT_EQUAL(run_cmd(2, (const char *[]){ "check", counter }), 0);
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", counter, "--init",
                                                 "5" }), 1);
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", ok, "--model",
                                                 "lock" }), 2);
    /* P-compositionality off: the same verdicts */
    CU_ASSERT_EQUAL(run_cmd(3, (const char *[]){ "check", bad,
                                                 "--no-partition" }), 1);
    CU_ASSERT_EQUAL(run_cmd(3, (const char *[]){ "check", ok,
                                                 "--no-partition" }), 0);
    /* limits: 4K leaves 1K for the file (707 bytes) but is too little for
     * the search; with 1K the file itself is refused */
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", bad,
                                                 "--max-memory", "4K" }), 3);
    CU_ASSERT_EQUAL(run_cmd(3, (const char *[]){ "check", bad,
                                                 "--max-memory=1KiB" }), 2);
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", bad,
                                                 "--max-memory", "1G" }), 1);
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", bad,
                                                 "--max-memory", "lots" }), 2);
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", "--bench",
                                                 "--reps", "0" }), 2);
}

static char *slurp(const char *path);

/* run_cmd with stdout and stderr caught: *out and *err (to free). */
static int run_cmd_caught(int argc, const char *const *argv, char **out,
                          char **err)
{
    char dir[] = "/tmp/fl-check-cmd-XXXXXX", po[64], pe[64];
    *out = *err = NULL;
    if (!mkdtemp(dir))
        return -1;
    snprintf(po, sizeof po, "%s/out", dir);
    snprintf(pe, sizeof pe, "%s/err", dir);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    FILE *fo = fopen(po, "w"), *fe = fopen(pe, "w");
    int rc = -1;
    if (so >= 0 && se >= 0 && fo && fe && dup2(fileno(fo), 1) >= 0 &&
        dup2(fileno(fe), 2) >= 0) {
        rc = run_cmd(argc, argv);
        fflush(stdout);
        fflush(stderr);
    }
    if (so >= 0) {
        dup2(so, 1);
        close(so);
    }
    if (se >= 0) {
        dup2(se, 2);
        close(se);
    }
    if (fo)
        fclose(fo);
    if (fe)
        fclose(fe);
    *out = slurp(po);
    *err = slurp(pe);
    unlink(po);
    unlink(pe);
    rmdir(dir);
    return rc;
}

/* What the command prints: the verdict on stdout; for bad input
 * "faultline: FILE:LINE: ..." on stderr and nothing on stdout; a
 * history the search cannot finish in --timeout is unknown, exit 3. */
static void test_cmd_messages(void)
{
    char path[1200], want[1300], *out, *err;
    fixture(path, sizeof path, "bad-line3.edn");
    CU_ASSERT_EQUAL(run_cmd_caught(2, (const char *[]){ "check", path },
                                   &out, &err), 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    snprintf(want, sizeof want, "faultline: %s:3: expected :f", path);
    if (strncmp(err, want, strlen(want)) != 0)
        fprintf(stderr, "stderr: %s\n", err);
    CU_ASSERT_EQUAL(strncmp(err, want, strlen(want)), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
    free(out);
    free(err);

    fixture(path, sizeof path, "kv-lost-write.edn");
    CU_ASSERT_EQUAL(run_cmd_caught(2, (const char *[]){ "check", path },
                                   &out, &err), 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_EQUAL(strncmp(out, "linearizable: NO\n", 17), 0);
    free(out);
    free(err);

    /* 2^24 subsets of writes to try: 0.3 s is not enough */
    fixture(path, sizeof path, "register-timeout.edn");
    CU_ASSERT_EQUAL(run_cmd_caught(4, (const char *[]){ "check", path,
                                                        "--timeout", "0.3" },
                                   &out, &err), 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    if (strncmp(out, "linearizable: unknown (timeout)\n", 32) != 0)
        fprintf(stderr, "stdout: %s\n", out);
    CU_ASSERT_EQUAL(strncmp(out, "linearizable: unknown (timeout)\n", 32),
                    0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "26 ops"));
    free(out);
    free(err);
    CU_ASSERT_EQUAL(run_cmd_caught(2, (const char *[]){ "check", "--help" },
                                   &out, &err), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: faultline check FILE"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "3 unknown"));
    free(out);
    free(err);
}

/* --bench on a folder laid out like Porcupine's: a row per file, and
 * exit 1 when a verdict differs from EXPECTED.txt. */
static void test_cmd_bench(void)
{
    char dir[] = "/tmp/fl-check-bench-XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    char kv[1200], in[1200], out[1200];
    snprintf(kv, sizeof kv, "%s/kv", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(kv, 0700), 0);
    fixture(in, sizeof in, "kv-lost-write.edn");
    char *text = slurp(in);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    snprintf(out, sizeof out, "%s/lost.edn", kv);
    FILE *f = fopen(out, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    free(text);
    CU_ASSERT_EQUAL(run_cmd(5, (const char *[]){ "check", "--bench", dir,
                                                 "--reps", "1" }), 0);
    snprintf(out, sizeof out, "%s/EXPECTED.txt", dir);
    f = fopen(out, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("kv/lost.edn LINEARIZABLE\n", f);          /* it is not */
    fclose(f);
    CU_ASSERT_EQUAL(run_cmd(5, (const char *[]){ "check", "--bench", dir,
                                                 "--reps", "1" }), 1);
    unlink(out);
    snprintf(out, sizeof out, "%s/lost.edn", kv);
    unlink(out);
    rmdir(kv);
    CU_ASSERT_EQUAL(run_cmd(3, (const char *[]){ "check", "--bench", dir }),
                    2);                                  /* nothing there */
    rmdir(dir);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    if (!d)
        return -1;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    char *s;
    size_t len;
    return fl_file_read_all(path, 0, &s, &len) == FL_FILE_OK ? s : NULL;
}

static void test_cmd_html(void)
{
    char dir[] = "/tmp/fl-check-html-XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    char in[1200], out[1200];
    fixture(in, sizeof in, "kv-lost-write.edn");
    snprintf(out, sizeof out, "%s/page.html", dir);
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", in, "--html",
                                                 out }), 1);
    CU_ASSERT_EQUAL(count_entries(dir), 1);       /* no temp file left */
    char *page = slurp(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(page);
    CU_ASSERT_PTR_NOT_NULL(strstr(page, "<svg"));
    CU_ASSERT_PTR_NOT_NULL(strstr(page, "failing window"));
    CU_ASSERT_PTR_NOT_NULL(strstr(page, "linearizable: NO"));
    CU_ASSERT_PTR_NOT_NULL(strstr(page, "&quot;x&quot;"));   /* escaped */
    CU_ASSERT_PTR_NOT_NULL(strstr(page, "</html>"));
    free(page);
    fixture(in, sizeof in, "register-info-later.edn");
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", in, "--html",
                                                 out }), 0);
    page = slurp(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(page);
    CU_ASSERT_PTR_NOT_NULL(strstr(page, "process 6"));
    free(page);
    snprintf(out, sizeof out, "%s/missing/page.html", dir);
    CU_ASSERT_EQUAL(run_cmd(4, (const char *[]){ "check", in, "--html",
                                                 out }), 2);
    snprintf(out, sizeof out, "%s/page.html", dir);
    unlink(out);
    rmdir(dir);
}

/* ---- the table ----------------------------------------------------------------------- */

static const fl_cu_test fl_porcupine_tests[] = {
    { "every file agrees with EXPECTED.txt", test_porcupine_expected },
    { "explicit models", test_porcupine_models_explicit },
    { NULL, NULL },
};

static const fl_cu_test fl_verdict_tests[] = {
    { "hand-written histories", test_fixture_verdicts },
    { "guessed models", test_guessed_models },
    { "violation report", test_report },
    { "--init and unsupported ops", test_init_value },
    { "engine entry point", test_engine_api },
    { "timeout gives unknown", test_timeout },
    { "info ops just in time", test_info_just_in_time },
    { "random registers vs brute force", test_differential_register },
    { "random kv vs brute force", test_differential_kv },
    { "random counter/set/lock vs brute force", test_differential_others },
    { "sequential executions always pass", test_sequential_pass },
    { "one result changed: as brute force says", test_mutated_vs_brute },
    { "an impossible read is rejected", test_impossible_read },
    { "memory limit gives unknown", test_memory_limit },
    { "file too large", test_file_too_large },
    { NULL, NULL },
};

static const fl_cu_test fl_history_tests[] = {
    { "invoke and complete", test_history_api },
    { "200k ops", test_history_many },
    { "writer format", test_writer_format },
    { "round trip, linearizable", test_roundtrip_ok },
    { "round trip, violation", test_roundtrip_bad },
    { "round trip, lock and counter", test_roundtrip_lock_counter },
    { NULL, NULL },
};

static const fl_cu_test fl_reader_tests[] = {
    { "errors name the line", test_reader_errors },
    { "file errors", test_reader_file_errors },
    { "up to 300 processes at once", test_reader_many_processes },
    { "etcd log semantics", test_etcd_semantics },
    { "formats and open ops", test_formats },
    { NULL, NULL },
};

static const fl_cu_test fl_cmd_tests[] = {
    { "exit codes", test_cmd_exit_codes },
    { "messages, timeout", test_cmd_messages },
    { "html page", test_cmd_html },
    { "--bench", test_cmd_bench },
    { NULL, NULL },
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        { "check.porcupine", fl_porcupine_tests },
        { "check.verdicts", fl_verdict_tests },
        { "check.history", fl_history_tests },
        { "check.readers", fl_reader_tests },
        { "check.command", fl_cmd_tests },
        { NULL, NULL },
    };
    return fl_cu_main(suites);
}
