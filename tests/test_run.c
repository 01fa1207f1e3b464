/* test_run.c — the run object (sim/run/run.h): its verdict on a passing
 * and a failing scenario, stepping versus running to the end, the one
 * reproduce-line printer, the built-ins' table, and fl_world as a real
 * interface an invariant reads without an engine behind it. */
#include <stdio.h>
#include <string.h>

#include "algorithms/builtins.h"
#include "algorithms/invariant.h"
#include "sim/run/registry.h"
#include "sim/run/run.h"
#include "sim/scenario/scenario.h"
#include "tests/cu.h"

/* Loads scenarios/REL and binds it to its built-in algorithm. */
static fl_scenario *load(const char *rel, const fl_algorithm **alg)
{
    char path[1024];
    fl_error err = { { 0 } };
    snprintf(path, sizeof path, "%s/scenarios/%s", fl_cu_srcdir(), rel);
    fl_scenario *s = fl_scenario_load(path, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    *alg = fl_registry_find(s->algorithm);
    CU_ASSERT_PTR_NOT_NULL_FATAL(*alg);
    CU_ASSERT_EQUAL_FATAL(fl_scenario_bind(s, *alg, &err), 0);
    return s;
}

static void test_repro_forms(void)
{
    char b[256];
    fl_run_repro(b, sizeof b, "x.json", 0x5eed, true, -1, NULL);
    CU_ASSERT_STRING_EQUAL(b, "faultline run x.json --seed 0x0000000000005eed");
    fl_run_repro(b, sizeof b, "x.json", 42, false, 500, "s.so");
    CU_ASSERT_STRING_EQUAL(b, "faultline run x.json --seed 42 --duration 500 --impl s.so");
    fl_run_repro(b, sizeof b, "x.json", UINT64_C(0x100000001), false, -1, NULL);
    CU_ASSERT_STRING_EQUAL(b, "faultline run x.json --seed 4294967297");
    /* Cut short, never overrun. */
    char small[16];
    memset(small, 'z', sizeof small);
    fl_run_repro(small, 12, "x.json", 1, false, -1, NULL);
    CU_ASSERT_EQUAL(strlen(small), 11);
    CU_ASSERT_EQUAL(small[12], 'z');
}

/* A shipped bug: the verdict names the invariant, when, and the repro. */
static void test_bug_verdict(void)
{
    const fl_algorithm *alg;
    fl_scenario *s = load("raft/bugs/apply-before-commit.json", &alg);
    fl_error err = { { 0 } };
    fl_run_opts o = { .seed = 1, .has_seed = true, .path = "bug.json" };
    fl_run *r = fl_run_new(s, alg, &o, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_PTR_NULL(fl_run_verdict(r));
    CU_ASSERT_EQUAL(fl_run_to_end(r), -1);          /* the invariant stopped it */
    CU_ASSERT_EQUAL(fl_run_judge(r), 0);
    const fl_verdict *v = fl_run_verdict(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    const fl_check *inv = &v->checks[FL_RUN_INVARIANTS];
    CU_ASSERT_EQUAL(inv->state, FL_CHECK_FAILED);
    CU_ASSERT_STRING_EQUAL(inv->name, "raft.apply_committed");
    CU_ASSERT(inv->at > 0 && inv->node >= 0 && inv->detail[0]);
    CU_ASSERT_EQUAL(v->checks[FL_RUN_LINEARIZABLE].state, FL_CHECK_SKIPPED);
    CU_ASSERT_EQUAL(v->status, 1);
    CU_ASSERT(fl_verdict_failed(v, "raft.apply_committed"));
    CU_ASSERT(!fl_verdict_failed(v, "linearizable"));
    /* The same hash as tests/golden-hashes.txt (the rule check stops the
     * run at the first early apply, sooner than at be1a45e). */
    CU_ASSERT_EQUAL(v->hash, UINT64_C(0x4fbaa6265d077ad0));
    CU_ASSERT_STRING_EQUAL(v->repro, "faultline run bug.json --seed 1");
    char check[64], detail[480];
    CU_ASSERT_EQUAL(fl_verdict_first_failure(v, check, sizeof check, detail, sizeof detail),
                    FL_CHECK_FAILED);
    CU_ASSERT_STRING_EQUAL(check, "raft.apply_committed");
    CU_ASSERT_PTR_NOT_NULL(strstr(detail, "after node"));
    fl_run_free(r);
    fl_scenario_free(s);
}

/* A passing run; stepping one event at a time gives the same run. */
static void test_pass_and_step(void)
{
    const fl_algorithm *alg;
    fl_scenario *s = load("kv/basic.json", &alg);
    fl_error err = { { 0 } };
    fl_run_opts o = { .seed = 0x5eed, .has_seed = true, .seed_hex = true,
                      .duration = FL_MS(3000) };
    fl_run *a = fl_run_new(s, alg, &o, &err), *b = fl_run_new(s, alg, &o, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(fl_run_to_end(a), 0);
    CU_ASSERT_STRING_EQUAL(fl_run_lin_summary(a), "");      /* not checked yet */
    uint64_t steps = 0;
    while (fl_run_step(b) == 1)
        steps++;
    CU_ASSERT_EQUAL(fl_run_judge(a), 0);
    CU_ASSERT_EQUAL(fl_run_judge(b), 0);
    const fl_verdict *va = fl_run_verdict(a), *vb = fl_run_verdict(b);
    CU_ASSERT_EQUAL(va->hash, vb->hash);
    CU_ASSERT_EQUAL(steps + 1, vb->stats.events);   /* the END event returns 0 */
    CU_ASSERT_EQUAL(va->status, 0);
    CU_ASSERT_EQUAL(va->checks[FL_RUN_INVARIANTS].state, FL_CHECK_HELD);
    CU_ASSERT_EQUAL(va->invariants, 0);             /* kv-single has none */
    CU_ASSERT_EQUAL(va->checks[FL_RUN_LINEARIZABLE].state, FL_CHECK_HELD);
    CU_ASSERT_EQUAL(va->lin, FL_LIN_OK);
    CU_ASSERT_PTR_NOT_NULL(fl_run_lin_report(a));
    /* the one line bench --raft prints, the same as the verdict's */
    CU_ASSERT_PTR_NOT_NULL(strstr(fl_run_lin_summary(a), "kv"));
    CU_ASSERT_STRING_EQUAL(fl_run_lin_summary(a), va->checks[FL_RUN_LINEARIZABLE].detail);
    CU_ASSERT_EQUAL(va->end, FL_MS(3000));
    CU_ASSERT_PTR_NOT_NULL(strstr(va->repro, "--seed 0x0000000000005eed --duration 3000"));
    char check[64], detail[480];
    CU_ASSERT_EQUAL(fl_verdict_first_failure(va, check, sizeof check, detail, sizeof detail),
                    FL_CHECK_HELD);
    CU_ASSERT_STRING_EQUAL(check, "");
    /* Judging twice changes nothing. */
    CU_ASSERT_EQUAL(fl_run_judge(a), 0);
    CU_ASSERT_EQUAL(fl_run_verdict(a)->hash, va->hash);
    fl_run_free(a);
    fl_run_free(b);
    fl_scenario_free(s);
}

/* Every built-in is in the table once, found by name, and the families
 * with invariants have some. */
static void test_builtins_table(void)
{
    size_t n = 0;
    for (size_t i = 0; fl_builtin_at(i); i++, n++) {
        const fl_builtin *b = fl_builtin_at(i);
        CU_ASSERT_PTR_EQUAL(fl_builtin_find(b->algorithm->name), b);
        CU_ASSERT_PTR_EQUAL(fl_registry_at(i), b->algorithm);
        size_t k = 0;
        if (b->invariants)
            CU_ASSERT(b->invariants(&k) != NULL && k > 0);
    }
    CU_ASSERT(n >= 8);
    CU_ASSERT_PTR_NULL(fl_builtin_find("no-such-algorithm"));
    CU_ASSERT_PTR_NULL(fl_builtin_find(NULL));
    CU_ASSERT_STRING_EQUAL(fl_builtin_find("counter-raft")->model, "counter");
    CU_ASSERT_PTR_NULL(fl_builtin_find("sort")->model);
}

/* ---- A world with no engine behind it -------------------------------------------- */

typedef struct fake {
    fl_view views[2];
    cJSON  *params;
    fl_time now;
} fake;

static size_t f_count(const void *p) { (void)p; return 2; }
static const char *f_role(const void *p, fl_node_id n) { (void)p; (void)n; return "server"; }
static bool f_alive(const void *p, fl_node_id n) { (void)p; (void)n; return true; }
static const fl_view *f_view(const void *p, fl_node_id n) { return &((const fake *)p)->views[n]; }
static bool f_entry(const void *p, fl_node_id n, int64_t i, fl_view_entry *o)
{
    (void)p; (void)n; (void)i; (void)o;
    return false;
}
static fl_time f_now(const void *p) { return ((const fake *)p)->now; }
static const char *f_alg(const void *p) { (void)p; return "raft"; }
static const cJSON *f_params(const void *p) { return ((const fake *)p)->params; }
static fl_time f_wend(const void *p) { (void)p; return 0; }
static const fl_history *f_hist(const void *p) { (void)p; return NULL; }
static fl_time f_rec(const void *p) { (void)p; return 0; }
static bool f_link(const void *p, fl_node_id a, fl_node_id b) { (void)p; (void)a; (void)b; return true; }
static fl_time f_quiet(const void *p) { (void)p; return 0; }

static const fl_world_ops fake_ops = {
    f_count, f_role, f_alive, f_view, f_entry, f_now, f_alg, f_params, f_wend, f_hist, f_rec,
    f_link, f_quiet, NULL, NULL, NULL, NULL,
};

static const fl_invariant *raft_invariant(const char *name)
{
    size_t n = 0;
    const fl_invariant *const *invs = fl_invariants_for("raft", &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(invs[i]->name, name) == 0)
            return invs[i];
    return NULL;
}

/* Raft's election safety, read through a fake world: two leaders in one
 * term is caught, leaders in different terms are not. */
static void test_world_interface(void)
{
    const fl_invariant *es = raft_invariant("raft.election_safety");
    CU_ASSERT_PTR_NOT_NULL_FATAL(es);
    fake f;
    memset(&f, 0, sizeof f);
    f.params = cJSON_CreateObject();
    fl_world w = { &fake_ops, &f };
    char state[4096], msg[512];
    CU_ASSERT_FATAL(es->state_size <= sizeof state);
    for (int round = 0; round < 2; round++) {
        memset(state, 0, sizeof state);
        if (es->init)
            CU_ASSERT_EQUAL(es->init(state, &w), 0);
        fl_view none;
        memset(&none, 0, sizeof none);
        for (int i = 0; i < 2; i++) {
            memset(&f.views[i], 0, sizeof f.views[i]);
            f.views[i].kind = FL_VIEW_LEADER;
            f.views[i].term = round == 0 ? 3 : 3 + i;
        }
        int r0 = es->check(state, &w, 0, &none, &f.views[0], msg, sizeof msg);
        int r1 = es->check(state, &w, 1, &none, &f.views[1], msg, sizeof msg);
        CU_ASSERT_EQUAL(r0, 0);
        CU_ASSERT_EQUAL(r1, round == 0 ? -1 : 0);
        if (es->destroy)
            es->destroy(state);
    }
    cJSON_Delete(f.params);
}

/* raft.snapshot's end-of-run half through a fake world: a leader
 * committing 10 entries per 100 ms for 5 s and a follower `lag` entries
 * behind from `stuck_at` on (-1: never stuck). */
static int snapshot_verdict(int64_t k, int64_t lag, fl_time stuck_at)
{
    const fl_invariant *inv = raft_invariant("raft.snapshot");
    CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
    fake f;
    memset(&f, 0, sizeof f);
    f.params = cJSON_CreateObject();
    cJSON_AddNumberToObject(f.params, "snapshot_every", (double)k);
    fl_world w = { &fake_ops, &f };
    char state[4096], msg[512];
    CU_ASSERT_FATAL(inv->state_size <= sizeof state);
    memset(state, 0, sizeof state);
    CU_ASSERT_EQUAL_FATAL(inv->init(state, &w), 0);
    fl_view none;
    memset(&none, 0, sizeof none);
    int rc = 0;
    int64_t stuck = -1;
    for (int step = 0; step <= 50 && rc == 0; step++) {
        f.now = FL_MS(100) * step;
        int64_t commit = 10 * step;
        if (stuck_at >= 0 && f.now >= stuck_at && stuck < 0)
            stuck = commit - lag;
        int64_t fc = stuck >= 0 ? stuck : commit - lag;
        for (int i = 0; i < 2; i++) {
            fl_view *v = &f.views[i];
            memset(v, 0, sizeof *v);
            v->kind = i == 0 ? FL_VIEW_LEADER : FL_VIEW_FOLLOWER;
            v->term = 1;
            v->commit = v->applied = i == 0 ? commit : fc;
            v->log_first = v->applied;          /* compacted up to date */
            rc |= inv->check(state, &w, (fl_node_id)i, &none, v, msg, sizeof msg);
        }
    }
    if (rc == 0)
        rc = inv->finish(state, &w, f.now, msg, sizeof msg);
    inv->destroy(state);
    cJSON_Delete(f.params);
    return rc;
}

/* A follower a heartbeat behind is not late, with any snapshot_every (it
 * was, with snapshot_every 1: 10-20 of 300 seeds of raft/basic failed);
 * one that stopped catching up is caught. */
static void test_snapshot_catch_up(void)
{
    CU_ASSERT_EQUAL(snapshot_verdict(1, 3, -1), 0);
    CU_ASSERT_EQUAL(snapshot_verdict(1, 30, -1), 0);
    CU_ASSERT_EQUAL(snapshot_verdict(50, 3, -1), 0);
    CU_ASSERT_EQUAL(snapshot_verdict(1, 3, FL_MS(2000)), -1);
    CU_ASSERT_EQUAL(snapshot_verdict(50, 3, FL_MS(2000)), -1);
    CU_ASSERT_EQUAL(snapshot_verdict(1, 3, FL_MS(3500)), -1);
}

int main(void)
{
    static const fl_cu_test run_tests[] = {
        {"the reproduce line, hex and decimal", test_repro_forms},
        {"a shipped bug's verdict", test_bug_verdict},
        {"a passing verdict; stepping = running", test_pass_and_step},
        {"the built-ins' table", test_builtins_table},
        {"fl_world without an engine", test_world_interface},
        {"raft.snapshot: lag is not a missed snapshot", test_snapshot_catch_up},
        {NULL, NULL},
    };
    static const fl_cu_suite suites[] = {
        {"run", run_tests},
        {NULL, NULL},
    };
    return fl_cu_main(suites);
}
