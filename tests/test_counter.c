/* test_counter.c — the distributed counters (issue 8): the counter state
 * machine on Raft (unit), the CRDT's params, every scenario under
 * scenarios/counter/ in process over seeds (outside bugs/: every check
 * holds; bugs/: exactly the declared check fails), a convergence bound that
 * is too tight must fail, and the partition contrast: CRDT reads are not
 * linearizable during a partition, the Raft counter's are. */
#include <dirent.h>
#include <string.h>

#include "algorithms/counter/counter.h"
#include "algorithms/raft/sm.h"
#include "sim/run/invcheck.h"
#include "sim/run/lincheck.h"
#include "sim/engine.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"
#include "tests/cu.h"

/* ---- Running a scenario in process -------------------------------------- */

typedef struct run_out {
    bool ran;
    char violation[64];       /* the invariant that failed, "" if none */
    char declared[64];        /* expect.violation */
    bool lin_checked, linearizable;
    uint64_t ok_ops, hash;
} run_out;

static void run_scenario(fl_scenario *s, uint64_t seed, bool lin, run_out *o)
{
    memset(o, 0, sizeof *o);
    fl_error err = {{0}};
    const fl_algorithm *alg = fl_registry_find(s->algorithm);
    CU_ASSERT_PTR_NOT_NULL_FATAL(alg);
    CU_ASSERT_EQUAL_FATAL(fl_scenario_bind(s, alg, &err), 0);
    fl_engine *e = fl_engine_new(s, alg, seed ? seed : s->seed, s->duration, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    fl_invcheck *ic = fl_invcheck_new(s->algorithm, e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ic);
    CU_ASSERT_EQUAL(fl_invcheck_attach(ic, e), 0);
    fl_engine_run(e);
    fl_engine_finish(e);
    const fl_violation *v = fl_invcheck_violation(ic);
    if (v)
        snprintf(o->violation, sizeof o->violation, "%s", v->name);
    snprintf(o->declared, sizeof o->declared, "%s", s->expect.violation);
    o->ok_ops = fl_engine_stats_get(e)->ops_ok;
    o->hash = fl_engine_trace_hash(e);
    if (lin && !v && s->expect.linearizable &&
        s->workload.model != FL_MODEL_NONE) {
        fl_lin_report rep;
        char sum[256];
        fl_lin_result r = fl_lin_check_engine_history(
            fl_engine_history(e), s->workload.model, 30.0, &rep, sum, sizeof sum);
        fl_lin_report_free(&rep);
        o->lin_checked = true;
        o->linearizable = r == FL_LIN_OK;
    }
    o->ran = true;
    fl_invcheck_free(ic);
    fl_engine_free(e);
}

static bool run_file(const char *rel, uint64_t seed, bool lin, run_out *o)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", fl_cu_srcdir(), rel);
    fl_error err = {{0}};
    fl_scenario *s = fl_scenario_load(path, &err);
    CU_ASSERT_PTR_NOT_NULL(s);
    if (!s) {
        fprintf(stderr, "%s\n", err.msg);
        return false;
    }
    run_scenario(s, seed, lin, o);
    fl_scenario_free(s);
    return o->ran;
}

static bool run_text(const char *json, uint64_t seed, run_out *o)
{
    fl_error err = {{0}};
    fl_scenario *s = fl_scenario_parse(json, strlen(json), "inline.json", &err);
    CU_ASSERT_PTR_NOT_NULL(s);
    if (!s) {
        fprintf(stderr, "%s\n", err.msg);
        return false;
    }
    run_scenario(s, seed, false, o);
    fl_scenario_free(s);
    return o->ran;
}

/* ---- The counter state machine on Raft ---------------------------------- */

static raft_cmd cmd(fl_node_id client, uint64_t seq, fl_op_kind kind,
                    int64_t arg)
{
    raft_cmd c;
    memset(&c, 0, sizeof c);
    c.type = RAFT_CMD_OP;
    c.client = client;
    c.seq = seq;
    c.op.kind = kind;
    c.op.arg = arg;
    return c;
}

static void test_sm_add_read(void)
{
    const raft_sm_ops *ops = &counter_raft_sm;
    void *sm = ops->create(NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sm);
    int64_t r;
    fl_status st;
    raft_cmd c = cmd(10, 1, FL_OP_READ, 0);
    CU_ASSERT_EQUAL(ops->apply(sm, &c, &r, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(r, 0);                       /* nil reads as 0 */
    c = cmd(10, 2, FL_OP_ADD, 5);
    CU_ASSERT_EQUAL(ops->apply(sm, &c, &r, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(r, 5);
    /* A retried add (same client, same seq) is answered, not re-applied. */
    CU_ASSERT_EQUAL(ops->apply(sm, &c, &r, &st), FL_KVSM_DUPLICATE);
    c = cmd(11, 1, FL_OP_ADD, -2);
    ops->apply(sm, &c, &r, &st);
    CU_ASSERT_EQUAL(r, 3);
    fl_op q = {.kind = FL_OP_READ};
    CU_ASSERT_EQUAL(ops->query(sm, &q), 3);
    /* Not counter operations: they fail and change nothing. */
    c = cmd(11, 2, FL_OP_WRITE, 99);
    ops->apply(sm, &c, &r, &st);
    CU_ASSERT_EQUAL(st, FL_STATUS_FAIL);
    CU_ASSERT_EQUAL(ops->query(sm, &q), 3);
    /* Snapshot round trip, and garbage leaves the state alone. */
    wire_buf b;
    wire_buf_init(&b);
    CU_ASSERT_EQUAL(ops->encode(sm, &b), 0);
    void *copy = ops->create(NULL);
    CU_ASSERT_EQUAL(ops->restore(copy, b.data, b.len), 0);
    CU_ASSERT_EQUAL(ops->query(copy, &q), 3);
    CU_ASSERT_EQUAL(ops->restore(copy, b.data, b.len - 1), -1);
    CU_ASSERT_EQUAL(ops->query(copy, &q), 3);
    CU_ASSERT_PTR_NOT_NULL(ops->session(copy, 10));
    wire_buf_free(&b);
    ops->destroy(copy);
    ops->destroy(sm);
}

static void test_crdt_params(void)
{
    char err[256];
    const fl_algorithm *a = &fl_counter_crdt_algorithm;
    cJSON *j = cJSON_Parse("{\"type\":\"pn\",\"gossip_ms\":20,\"fanout\":2,"
                           "\"converge_ms\":500,\"bugs\":[\"merge-sum\"]}");
    CU_ASSERT_EQUAL(a->validate(j, err, sizeof err), 0);
    cJSON_Delete(j);
    static const char *const bad[][2] = {
        {"{\"type\":\"x\"}", "type"},
        {"{\"gossip_ms\":0}", "gossip_ms"},
        {"{\"fanout\":65}", "fanout"},
        {"{\"bugs\":[\"nope\"]}", "bugs"},
        {"{\"gossip\":1}", "gossip: unknown key"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = cJSON_Parse(bad[i][0]);
        CU_ASSERT_EQUAL(a->validate(j, err, sizeof err), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i][1]));
        cJSON_Delete(j);
    }
}

/* ---- Every shipped counter scenario ---------------------------------------- */

static void for_each_file(const char *sub, void (*fn)(const char *rel))
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/scenarios/counter%s", fl_cu_srcdir(), sub);
    DIR *d = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct dirent *de;
    size_t n = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") ||
            strcmp(de->d_name, "suite.json") == 0)
            continue;
        char rel[600];
        snprintf(rel, sizeof rel, "scenarios/counter%s/%s", sub, de->d_name);
        fn(rel);
        n++;
    }
    closedir(d);
    CU_ASSERT(n >= 3);
}

static void check_passes(const char *rel)
{
    for (uint64_t seed = 0; seed <= 2; seed++) {
        run_out o;
        if (!run_file(rel, seed, true, &o))
            continue;
        if (o.violation[0] || (o.lin_checked && !o.linearizable))
            fprintf(stderr, "%s seed %llu: %s\n", rel,
                    (unsigned long long)seed, o.violation);
        CU_ASSERT_STRING_EQUAL(o.violation, "");
        CU_ASSERT(!o.lin_checked || o.linearizable);
        CU_ASSERT(o.ok_ops > 0);
    }
}

static void test_scenarios_pass(void)
{
    for_each_file("", check_passes);
}

/* A bug scenario fails exactly the check it declares (or, for the
 * linearizability demonstration, the checker rejects its history). */
static void check_caught(const char *rel)
{
    for (uint64_t seed = 0; seed <= 2; seed++) {
        run_out o;
        if (!run_file(rel, seed, true, &o))
            continue;
        if (!strcmp(o.declared, "linearizable")) {
            CU_ASSERT_STRING_EQUAL(o.violation, "");
            CU_ASSERT(o.lin_checked && !o.linearizable);
        } else {
            CU_ASSERT_STRING_EQUAL(o.violation, o.declared);
        }
    }
}

static void test_bugs_caught(void)
{
    for_each_file("/bugs", check_caught);
}

/* Each bug switch off (the same file otherwise): nothing fails. */
static void test_bugs_need_the_switch(void)
{
    static const char *const files[] = {
        "scenarios/counter/bugs/crdt-merge-sum.json",
        "scenarios/counter/bugs/crdt-forget-own.json",
    };
    for (size_t i = 0; i < 2; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", fl_cu_srcdir(), files[i]);
        FILE *fp = fopen(path, "r");
        CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
        char buf[8192];
        size_t n = fread(buf, 1, sizeof buf - 1, fp);
        fclose(fp);
        buf[n] = 0;
        cJSON *j = cJSON_Parse(buf);
        cJSON_DeleteItemFromObject(cJSON_GetObjectItem(j, "params"), "bugs");
        cJSON_DeleteItemFromObject(cJSON_GetObjectItem(j, "expect"), "violation");
        char *text = cJSON_PrintUnformatted(j);
        run_out o;
        if (run_text(text, 0, &o))
            CU_ASSERT_STRING_EQUAL(o.violation, "");
        free(text);
        cJSON_Delete(j);
    }
}

/* The same partition: the CRDT's reads are not linearizable, Raft's are. */
static void test_partition_contrast(void)
{
    run_out crdt, raft;
    if (run_file("scenarios/counter/bugs/crdt-partition-read.json", 0, true,
                 &crdt))
        CU_ASSERT(crdt.lin_checked && !crdt.linearizable);
    if (run_file("scenarios/counter/raft-partition.json", 0, true, &raft))
        CU_ASSERT(raft.lin_checked && raft.linearizable);
}

/* counter.convergence can fail: gossip every 3 s cannot meet a 100 ms
 * bound; and with gossip back to normal the same run converges. */
static const char *conv_json =
    "{\"name\":\"slow-gossip\",\"algorithm\":\"counter-crdt\","
    "\"params\":{\"type\":\"g\",\"gossip_ms\":%d,\"converge_ms\":100},"
    "\"nodes\":3,\"duration_ms\":4000,\"seed\":7,"
    "\"workload\":{\"clients\":2,\"rate_per_s\":20,\"model\":\"counter\","
    "\"keys\":1,\"mix\":{\"add\":1},\"timeout_ms\":500,\"retry_ms\":60000,"
    "\"stop_ms\":1000},"
    "\"expect\":{\"linearizable\":false}}";

static void test_convergence_bound(void)
{
    char buf[1024];
    run_out o;
    snprintf(buf, sizeof buf, conv_json, 3000);
    if (run_text(buf, 0, &o))
        CU_ASSERT_STRING_EQUAL(o.violation, "counter.convergence");
    snprintf(buf, sizeof buf, conv_json, 20);
    if (run_text(buf, 0, &o))
        CU_ASSERT_STRING_EQUAL(o.violation, "");
}

/* Same seed, same trace; a G-Counter rejects a negative delta. */
static void test_determinism(void)
{
    run_out a, b;
    if (run_file("scenarios/counter/crdt-partition.json", 0, false, &a) &&
        run_file("scenarios/counter/crdt-partition.json", 0, false, &b))
        CU_ASSERT_EQUAL(a.hash, b.hash);
    if (run_file("scenarios/counter/raft-crash.json", 5, false, &a) &&
        run_file("scenarios/counter/raft-crash.json", 5, false, &b))
        CU_ASSERT_EQUAL(a.hash, b.hash);
}

static void test_registry(void)
{
    size_t n = 0;
    const fl_invariant *const *inv = fl_invariants_for("counter-crdt", &n);
    CU_ASSERT_EQUAL_FATAL(n, 4);
    CU_ASSERT_STRING_EQUAL(inv[0]->name, "counter.convergence");
    CU_ASSERT_STRING_EQUAL(inv[1]->name, "counter.bounds");
    CU_ASSERT_STRING_EQUAL(inv[2]->name, "counter.vector_monotonic");
    CU_ASSERT_STRING_EQUAL(inv[3]->name, "counter.own_durable");
    fl_invariants_for("counter-raft", &n);
    CU_ASSERT_EQUAL(n, 22);                      /* Raft's, rule checks included */
    CU_ASSERT_PTR_NOT_NULL(fl_registry_find("counter-raft"));
    CU_ASSERT_PTR_NOT_NULL(fl_registry_find("counter-crdt"));
}

static const fl_cu_test unit_tests[] = {
    {"counter state machine on Raft", test_sm_add_read},
    {"CRDT params", test_crdt_params},
    {"registry", test_registry},
    {NULL, NULL},
};

static const fl_cu_test e2e_tests[] = {
    {"scenarios pass over seeds", test_scenarios_pass},
    {"bug scenarios caught by their declared check", test_bugs_caught},
    {"bug scenarios pass with the switch off", test_bugs_need_the_switch},
    {"partition: CRDT not linearizable, Raft counter is", test_partition_contrast},
    {"convergence bound can fail", test_convergence_bound},
    {"determinism", test_determinism},
    {NULL, NULL},
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        {"counter-unit", unit_tests},
        {"counter-e2e", e2e_tests},
        {NULL, NULL},
    };
    return fl_cu_main(suites);
}
