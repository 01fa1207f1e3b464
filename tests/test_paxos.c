/* test_paxos.c — the Paxos suites: the pure modules shared by basic Paxos
 * and Multi-Paxos (commands and messages with garbage, the acceptor's
 * record format with torn tails, the acceptor's promise rule, the log, the
 * key-value sessions, params), the invariant registry, then the scenarios
 * under scenarios/paxos/ end to end through the `faultline` binary: every
 * non-bug scenario passes over seeds 1..5 with all invariants, every bug
 * scenario fails with exactly the invariant it declares (and passes with
 * its switch off), runs are deterministic, and views carry what the
 * visualizer and the invariants read. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "algorithms/paxos/acceptor.h"
#include "algorithms/paxos/codec.h"
#include "algorithms/paxos/multi.h"
#include "algorithms/paxos/log.h"
#include "algorithms/paxos/params.h"
#include "algorithms/paxos/paxos_table.h"
#include "algorithms/paxos/storage.h"
#include "algorithms/invariant.h"
#include "tests/cu.h"
#include "tests/e2e.h"

static paxos_cmd op_cmd(fl_node_id client, uint64_t seq, fl_op_kind kind,
                        uint32_t key, int64_t arg, int64_t arg2)
{
    paxos_cmd c;
    memset(&c, 0, sizeof c);
    c.type = PAXOS_CMD_OP;
    c.client = client;
    c.seq = seq;
    c.op.kind = kind;
    c.op.key = key;
    c.op.arg = arg;
    c.op.arg2 = arg2;
    return c;
}

/* ---- codec ---------------------------------------------------------------- */

static void test_cmd_roundtrip(void)
{
    uint8_t b[PAXOS_CMD_MAX_BYTES];
    paxos_cmd c = op_cmd(7, 0x0102030405060708ull, FL_OP_CAS, 0xdeadbeef,
                         FL_NIL, -42), d;
    size_t n = paxos_cmd_encode(&c, b);
    CU_ASSERT_EQUAL(n, PAXOS_CMD_MAX_BYTES);
    CU_ASSERT_EQUAL(b[1], 7);                       /* little-endian */
    CU_ASSERT_EQUAL(paxos_cmd_decode(b, n, &d), 0);
    CU_ASSERT_TRUE(paxos_cmd_equal(&c, &d));
    CU_ASSERT_EQUAL(d.op.arg, FL_NIL);
    CU_ASSERT_EQUAL(d.op.arg2, -42);
    CU_ASSERT_EQUAL(paxos_cmd_decode(b, n - 1, &d), -1);
    paxos_cmd v = paxos_cmd_value(99);
    CU_ASSERT_EQUAL(paxos_cmd_encode(&v, b), 9);
    CU_ASSERT_EQUAL(paxos_cmd_decode(b, 9, &d), 0);
    CU_ASSERT_EQUAL(d.value, 99);
    CU_ASSERT_EQUAL(paxos_cmd_hash(&v), 99);         /* values show as such */
    paxos_cmd z = paxos_cmd_noop(3);
    CU_ASSERT_EQUAL(paxos_cmd_encode(&z, b), 5);
    CU_ASSERT_EQUAL(paxos_cmd_decode(b, 5, &d), 0);
    CU_ASSERT_EQUAL(d.type, PAXOS_CMD_NOOP);
    CU_ASSERT_EQUAL(d.client, 3);
    CU_ASSERT_FALSE(paxos_cmd_equal(&z, &v));
    b[0] = 9;                                       /* unknown type */
    CU_ASSERT_EQUAL(paxos_cmd_decode(b, 5, &d), -1);
    CU_ASSERT_EQUAL(paxos_cmd_decode(b, 0, &d), -1);
}

static void build_msg(paxos_msg *m, paxos_entry *e, paxos_entry *d)
{
    memset(e, 0, 2 * sizeof *e);
    memset(d, 0, sizeof *d);
    e[0].slot = 4;
    e[0].ballot = paxos_ballot(3, 2, true);
    e[0].cmd = op_cmd(6, 11, FL_OP_WRITE, 1, 500, 0);
    e[1].slot = 5;
    e[1].ballot = paxos_ballot(3, 2, true);
    e[1].cmd = paxos_cmd_noop(2);
    d[0].slot = 3;
    d[0].ballot = paxos_ballot(1, 0, true);
    d[0].chosen = 1;
    d[0].cmd = op_cmd(5, 2, FL_OP_READ, 0, 0, 0);
    memset(m, 0, sizeof *m);
    m->type = PAXOS_MSG_ACCEPT;
    m->ballot = paxos_ballot(3, 2, true);
    m->promised = m->ballot;
    m->slot = 3;
    m->n = 2;
    m->e = e;
    m->nd = 1;
    m->d = d;
}

static void test_msg_roundtrip(void)
{
    paxos_entry e[2], dd[1];
    paxos_msg m, d;
    wire_buf b;
    wire_buf_init(&b);
    build_msg(&m, e, dd);
    CU_ASSERT_EQUAL_FATAL(paxos_msg_encode(&m, &b), 0);
    CU_ASSERT_EQUAL_FATAL(paxos_msg_decode(b.data, b.len, &d), 0);
    CU_ASSERT_EQUAL(d.type, PAXOS_MSG_ACCEPT);
    CU_ASSERT_EQUAL(d.ballot, m.ballot);
    CU_ASSERT_EQUAL(d.slot, 3);
    CU_ASSERT_EQUAL_FATAL(d.n, 2);
    CU_ASSERT_EQUAL(d.e[0].slot, 4);
    CU_ASSERT_TRUE(paxos_cmd_equal(&d.e[0].cmd, &e[0].cmd));
    CU_ASSERT_EQUAL(d.e[1].cmd.type, PAXOS_CMD_NOOP);
    CU_ASSERT_EQUAL_FATAL(d.nd, 1);
    CU_ASSERT_EQUAL(d.d[0].chosen, 1);
    CU_ASSERT_EQUAL(d.d[0].cmd.client, 5);
    paxos_msg_free(&d);
    /* ballots: rounds first, proposers break ties, and the bug drops ids */
    CU_ASSERT_TRUE(paxos_ballot(2, 0, true) > paxos_ballot(1, 9, true));
    CU_ASSERT_TRUE(paxos_ballot(1, 2, true) > paxos_ballot(1, 1, true));
    CU_ASSERT_EQUAL(paxos_ballot(1, 2, false), paxos_ballot(1, 1, false));
    CU_ASSERT_EQUAL(paxos_ballot_round(paxos_ballot(7, 3, true)), 7);
    CU_ASSERT_EQUAL(paxos_ballot_owner(paxos_ballot(7, 3, true)), 3);
    wire_buf_free(&b);
}

static void test_msg_garbage(void)
{
    paxos_entry e[2], dd[1];
    paxos_msg m, d;
    wire_buf b;
    wire_buf_init(&b);
    build_msg(&m, e, dd);
    CU_ASSERT_EQUAL_FATAL(paxos_msg_encode(&m, &b), 0);
    for (size_t len = 0; len < b.len; len++)
        CU_ASSERT_EQUAL(paxos_msg_decode(b.data, len, &d), -1);
    uint8_t *copy = malloc(b.len + 1);
    CU_ASSERT_FATAL(copy != NULL);
    memcpy(copy, b.data, b.len);
    copy[b.len] = 0;
    CU_ASSERT_EQUAL(paxos_msg_decode(copy, b.len + 1, &d), -1); /* trailing */
    copy[0] = 2;                                    /* another wire version */
    CU_ASSERT_EQUAL(paxos_msg_decode(copy, b.len, &d), -1);
    copy[0] = 1;
    copy[1] = PAXOS_MSG_TYPE_END;                   /* unknown type */
    CU_ASSERT_EQUAL(paxos_msg_decode(copy, b.len, &d), -1);
    copy[1] = PAXOS_MSG_ACCEPT;
    /* a huge entry count must not make the decoder allocate */
    size_t count_at = 1 + 1 + 8 + 1 + 8 + 8;
    copy[count_at + 3] = 0x7f;
    CU_ASSERT_EQUAL(paxos_msg_decode(copy, b.len, &d), -1);
    free(copy);
    CU_ASSERT_EQUAL(paxos_msg_decode(NULL, 0, &d), -1);
    fl_msg_info info;
    paxos_describe("xx", 2, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "garbage");
    paxos_describe(b.data, b.len, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "Accept");
    CU_ASSERT_EQUAL(info.term, m.ballot);
    m.n = 0;
    CU_ASSERT_EQUAL_FATAL(paxos_msg_encode(&m, &b), 0);
    paxos_describe(b.data, b.len, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "Heartbeat");
    paxos_msg r = {.type = PAXOS_MSG_PROMISE, .ballot = 5, .ok = 0,
                   .promised = 9};
    CU_ASSERT_EQUAL_FATAL(paxos_msg_encode(&r, &b), 0);
    paxos_describe(b.data, b.len, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "Promise");
    CU_ASSERT_TRUE(info.is_reply);
    CU_ASSERT_EQUAL(info.ok, 0);
    wire_buf_free(&b);
}

/* ---- storage, acceptor, log, kv -------------------------------------------- */

static void test_records_torn_tail(void)
{
    uint8_t buf[3 * PAXOS_REC_MAX];
    size_t off = 0;
    paxos_cmd a = paxos_cmd_value(10), c = op_cmd(4, 1, FL_OP_WRITE, 2, 7, 0);
    off += paxos_rec_encode(1, 65536, &a, buf + off);
    size_t one = off;
    off += paxos_rec_encode(2, 65537, &c, buf + off);
    size_t two = off;
    off += paxos_rec_encode(1, 131072, &a, buf + off);  /* replaces slot 1 */
    paxos_log l;
    int64_t n;
    paxos_log_init(&l);
    CU_ASSERT_EQUAL(paxos_rec_parse(buf, off, &l, &n), off);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(l.last, 2);
    CU_ASSERT_EQUAL(paxos_log_get(&l, 1)->acc_ballot, 131072);
    CU_ASSERT_TRUE(paxos_log_get(&l, 1)->acc_durable);
    CU_ASSERT_TRUE(paxos_cmd_equal(&paxos_log_get(&l, 2)->acc_cmd, &c));
    paxos_log_free(&l);
    /* a torn last record: the valid prefix only */
    paxos_log_init(&l);
    CU_ASSERT_EQUAL(paxos_rec_parse(buf, off - 3, &l, &n), two);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(paxos_log_get(&l, 1)->acc_ballot, 65536);
    paxos_log_free(&l);
    /* a flipped byte in the second record stops the replay there */
    buf[two - 1] ^= 0x40;
    paxos_log_init(&l);
    CU_ASSERT_EQUAL(paxos_rec_parse(buf, off, &l, &n), one);
    CU_ASSERT_EQUAL(n, 1);
    paxos_log_free(&l);
}

static void test_acceptor_promise(void)
{
    paxos_acceptor a;
    paxos_acc_init(&a, 0);
    CU_ASSERT_TRUE(paxos_acc_prepare(&a, 100));
    CU_ASSERT_TRUE(a.promise_dirty);               /* must be synced */
    CU_ASSERT_TRUE(paxos_acc_prepare(&a, 100));     /* the same proposer */
    CU_ASSERT_FALSE(paxos_acc_prepare(&a, 99));     /* below the promise */
    CU_ASSERT_EQUAL(a.promised, 100);
    CU_ASSERT_TRUE(paxos_acc_prepare(&a, 200));
    CU_ASSERT_EQUAL(a.promised, 200);
    paxos_acc_free(&a);
}

static void test_log_learn(void)
{
    paxos_log l;
    paxos_log_init(&l);
    CU_ASSERT_PTR_NULL(paxos_log_ensure(&l, 0));
    CU_ASSERT_PTR_NULL(paxos_log_ensure(&l, PAXOS_MAX_SLOT + 1));
    paxos_slot *s = paxos_log_ensure(&l, 3);
    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_EQUAL(l.last, 3);
    CU_ASSERT_EQUAL(paxos_log_get(&l, 1)->acc_ballot, PAXOS_NO_BALLOT);
    paxos_cmd a = paxos_cmd_value(1), b = paxos_cmd_value(2);
    CU_ASSERT_TRUE(paxos_log_learn(s, 5, &a));
    CU_ASSERT_TRUE(paxos_log_learn(s, 9, &a));      /* the same decision */
    CU_ASSERT_FALSE(paxos_log_learn(s, 9, &b));     /* never overwritten */
    CU_ASSERT_EQUAL(s->chosen_cmd.value, 1);
    CU_ASSERT_EQUAL(s->chosen_ballot, 5);
    paxos_log_free(&l);
}

static void test_kv_sessions(void)
{
    fl_kvsm kv;
    fl_kvsm_init(&kv);
    int64_t r;
    fl_status st;
    paxos_cmd w = op_cmd(5, 1, FL_OP_WRITE, 3, 70, 0);
    CU_ASSERT_EQUAL(paxos_kv_apply(&kv, &w, &r, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 3), 70);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 4), FL_NIL);
    /* the same command chosen in a second slot runs once */
    paxos_cmd cas = op_cmd(5, 2, FL_OP_CAS, 3, 70, 71);
    CU_ASSERT_EQUAL(paxos_kv_apply(&kv, &cas, &r, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(r, 1);
    CU_ASSERT_EQUAL(paxos_kv_apply(&kv, &cas, &r, &st), FL_KVSM_DUPLICATE);
    CU_ASSERT_EQUAL(r, 1);                          /* the stored answer */
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 3), 71);
    CU_ASSERT_EQUAL(paxos_kv_apply(&kv, &w, &r, &st), FL_KVSM_STALE);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 3), 71);
    paxos_cmd rd = op_cmd(6, 1, FL_OP_READ, 3, 0, 0);
    CU_ASSERT_EQUAL(paxos_kv_apply(&kv, &rd, &r, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(r, 71);
    paxos_cmd noop = paxos_cmd_noop(1);
    CU_ASSERT_EQUAL(paxos_kv_apply(&kv, &noop, &r, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 3), 71);
    fl_kvsm_free(&kv);
}

/* ---- params and tables -------------------------------------------------------- */

static int parse(paxos_family fam, const char *json, char *err, size_t n)
{
    cJSON *j = cJSON_Parse(json);
    paxos_params p;
    int rc = paxos_params_parse(fam, j, &p, err, n);
    cJSON_Delete(j);
    return rc;
}

static void test_params(void)
{
    char err[256];
    paxos_params p;
    CU_ASSERT_EQUAL(paxos_params_parse(PAXOS_FAMILY_MULTI, NULL, &p, err,
                                       sizeof err), 0);
    CU_ASSERT_EQUAL(p.heartbeat_ms, 50);
    CU_ASSERT_EQUAL(p.bugs, 0u);
    CU_ASSERT_EQUAL(parse(PAXOS_FAMILY_MULTI,
                          "{\"bugs\":[\"forget-promise\",\"learner-double-count\"]}",
                          err, sizeof err), 0);
    CU_ASSERT_EQUAL(parse(PAXOS_FAMILY_MULTI, "{\"heartbeat_ms\":0}", err,
                          sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "heartbeat_ms: must be > 0"));
    CU_ASSERT_EQUAL(parse(PAXOS_FAMILY_MULTI,
                          "{\"heartbeat_ms\":200,\"election_timeout_ms\":[150,300]}",
                          err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "heartbeat_ms: must be < "));
    CU_ASSERT_EQUAL(parse(PAXOS_FAMILY_MULTI,
                          "{\"election_timeout_ms\":[300,150]}", err,
                          sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "lo <= hi"));
    CU_ASSERT_EQUAL(parse(PAXOS_FAMILY_BASIC, "{\"bugs\":[\"nope\"]}", err,
                          sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown bug \"nope\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "accept-below-promise"));
    /* basic Paxos has no leader timers, Multi-Paxos no backoff */
    CU_ASSERT_EQUAL(parse(PAXOS_FAMILY_BASIC, "{\"heartbeat_ms\":5}", err,
                          sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "heartbeat_ms: unknown parameter"));
    CU_ASSERT_EQUAL(parse(PAXOS_FAMILY_MULTI, "{\"backoff_ms\":[1,2]}", err,
                          sizeof err), -1);
    CU_ASSERT_EQUAL(parse(PAXOS_FAMILY_MULTI, "[1]", err, sizeof err), -1);
    for (unsigned k = 0; k < PAXOS_BUG_COUNT; k++)
        CU_ASSERT_PTR_NOT_NULL(paxos_bug_name(k));
    CU_ASSERT_PTR_NULL(paxos_bug_name(PAXOS_BUG_COUNT));
}

static void test_invariant_registry(void)
{
    static const char *const names[] = {
        "paxos.promise", "paxos.unique_ballots", "paxos.validity",
        "paxos.chosen_stays_chosen", "paxos.agreement",
        "paxos.learn_only_chosen", "paxos.progress",
        "paxos.promise_kept",   /* rule checks from messages (issue 14) */
        "paxos.accepted_kept", "paxos.grant_order", "paxos.ballot_monotonic",
        "paxos.adopt_highest",
    };
    const char *fams[] = {"paxos", "multipaxos"};
    for (size_t f = 0; f < 2; f++) {
        size_t n = 0;
        const fl_invariant *const *inv = fl_invariants_for(fams[f], &n);
        CU_ASSERT_EQUAL_FATAL(n, sizeof names / sizeof names[0]);
        for (size_t i = 0; i < n; i++)
            CU_ASSERT_STRING_EQUAL(inv[i]->name, names[i]);
    }
    CU_ASSERT_STRING_EQUAL(fl_paxos_algorithm.name, "paxos");
    CU_ASSERT_STRING_EQUAL(fl_paxos_algorithm.roles[0].name, "proposer");
    CU_ASSERT_STRING_EQUAL(fl_multipaxos_algorithm.name, "multipaxos");
    CU_ASSERT_STRING_EQUAL(fl_multipaxos_algorithm.roles[0].name, "server");
}

/* ---- end to end: the faultline binary over scenarios/paxos ------------------ */

#include <dirent.h>
#include <sys/wait.h>

#define E2E_SEEDS 5

static void test_e2e_scenarios_pass(void)
{
    CU_ASSERT_TRUE(fl_e2e_check_pass("paxos", E2E_SEEDS) >= 8);
}

/* Every bug switch has a scenario, and each is caught by its declared
 * check on every seed tried. */
static void test_e2e_bugs_caught(void)
{
    CU_ASSERT_TRUE(fl_e2e_check_bugs("paxos", E2E_SEEDS) >= PAXOS_BUG_COUNT);
    char **files = fl_e2e_list("paxos", "/bugs");
    CU_ASSERT_FATAL(files != NULL);
    unsigned covered = 0;
    for (size_t i = 0; files[i]; i++) {
        cJSON *j = fl_e2e_load(files[i]);
        const cJSON *b;
        cJSON_ArrayForEach(b, cJSON_GetObjectItem(cJSON_GetObjectItem(j, "params"), "bugs"))
            for (unsigned k = 0; k < PAXOS_BUG_COUNT; k++)
                if (cJSON_IsString(b) && !strcmp(b->valuestring, paxos_bug_name(k)))
                    covered |= 1u << k;
        cJSON_Delete(j);
    }
    CU_ASSERT_EQUAL(covered, (1u << PAXOS_BUG_COUNT) - 1);
    fl_e2e_free(files);
}

/* paxos.progress can fail: the same partition with a bound no cluster can
 * meet (1 ms to learn after the heal) is caught, at the end of the run. */
static void test_e2e_progress(void)
{
    char file[1024], tmp[128];
    snprintf(file, sizeof file, "%s/scenarios/paxos/multi-partition.json",
             fl_cu_srcdir());
    cJSON *j = fl_e2e_load(file);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    cJSON *params = cJSON_GetObjectItem(j, "params");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cJSON_GetObjectItem(params, "chosen_within_ms"));
    cJSON_ReplaceItemInObject(params, "chosen_within_ms", cJSON_CreateNumber(1));
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    snprintf(tmp, sizeof tmp, "/tmp/fl-test-paxos-progress-%ld.json", (long)getpid());
    FILE *w = text ? fopen(tmp, "w") : NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    fputs(text, w);
    fclose(w);
    free(text);
    fl_e2e_out o;
    CU_ASSERT_EQUAL(fl_e2e_run(tmp, 1, NULL, &o), 0);
    CU_ASSERT_EQUAL(o.status, 1);
    CU_ASSERT_STRING_EQUAL(o.violated, "paxos.progress");
    CU_ASSERT_EQUAL(fl_e2e_run(file, 1, NULL, &o), 0);
    CU_ASSERT_EQUAL(o.status, 0);
    remove(tmp);
}

/* A power loss of every server while a majority holds an accept only in
 * memory: the accept records are lost, the value was never chosen, and the
 * next leader chooses another there. paxos.learn_only_chosen must hold on
 * seeds that hit that window (it once judged "chosen" from the first
 * majority, durable or not, and failed here), while still catching the
 * leader that counts Accepted messages instead of acceptors. */
static void test_e2e_power_loss(void)
{
    char file[1024];
    snprintf(file, sizeof file, "%s/scenarios/paxos/multi-power-loss.json",
             fl_cu_srcdir());
    static const uint64_t seeds[] = {12, 21, 29, 35};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        fl_e2e_out o;
        CU_ASSERT_EQUAL(fl_e2e_run(file, seeds[i], NULL, &o), 0);
        CU_ASSERT_EQUAL(o.status, 0);
        CU_ASSERT_STRING_EQUAL(o.violated, "");
    }
    snprintf(file, sizeof file,
             "%s/scenarios/paxos/bugs/learner-double-count.json",
             fl_cu_srcdir());
    fl_e2e_out o;
    CU_ASSERT_EQUAL(fl_e2e_run(file, 1, NULL, &o), 0);
    CU_ASSERT_EQUAL(o.status, 1);
    CU_ASSERT_STRING_EQUAL(o.violated, "paxos.learn_only_chosen");
}

/* Each bug scenario is a fair test: with its switch off it passes. */
static void test_e2e_bugs_off_pass(void)
{
    fl_e2e_check_bugs_off("paxos", E2E_SEEDS);
}

static void test_e2e_deterministic(void)
{
    fl_e2e_check_deterministic("paxos");
}

/* The trace's views carry what the visualizer draws: a Multi-Paxos leader
 * with its ballot, a growing chosen log, and the acceptor's scalars; a
 * candidate's votes while phase 1 runs. */
static void test_e2e_views(void)
{
    char file[1024], trace[128], extra[200];
    snprintf(file, sizeof file, "%s/scenarios/paxos/multi-basic.json",
             fl_cu_srcdir());
    snprintf(trace, sizeof trace, "/tmp/fl-test-paxos-%ld.jsonl",
             (long)getpid());
    snprintf(extra, sizeof extra, "--trace '%s'", trace);
    fl_e2e_out o;
    CU_ASSERT_EQUAL_FATAL(fl_e2e_run(file, 0, extra, &o), 0);
    CU_ASSERT_EQUAL(o.status, 0);
    FILE *fp = fopen(trace, "r");
    CU_ASSERT_FATAL(fp != NULL);
    char line[8192];
    bool leader = false, candidate = false, scalars = false;
    long long commit = -1;
    while (fgets(line, sizeof line, fp)) {
        if (!strstr(line, "\"ev\":\"view\""))
            continue;
        cJSON *j = cJSON_Parse(line);
        const cJSON *role = cJSON_GetObjectItem(j, "role");
        const cJSON *term = cJSON_GetObjectItem(j, "term");
        const cJSON *c = cJSON_GetObjectItem(j, "commit");
        if (cJSON_IsString(role) && !strcmp(role->valuestring, "leader") &&
            cJSON_IsNumber(term) && term->valuedouble >= 10000)
            leader = true;
        if (cJSON_IsString(role) && !strcmp(role->valuestring, "candidate"))
            candidate = true;
        if (cJSON_IsNumber(c) && c->valuedouble > (double)commit)
            commit = (long long)c->valuedouble;
        const cJSON *s = cJSON_GetObjectItem(j, "scalars");
        if (cJSON_GetObjectItem(s, "durable_promised") &&
            cJSON_GetObjectItem(s, "acc_lo"))
            scalars = true;
        cJSON_Delete(j);
    }
    fclose(fp);
    remove(trace);
    CU_ASSERT_TRUE(leader);
    CU_ASSERT_TRUE(candidate);
    CU_ASSERT_TRUE(scalars);
    CU_ASSERT_TRUE(commit > 100);
}

static void test_e2e_bad_params(void)
{
    char path[] = "/tmp/fl-paxos-params-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    static const char text[] =
        "{\"name\":\"bad\",\"algorithm\":\"multipaxos\",\"nodes\":3,"
        "\"duration_ms\":100,\"params\":{\"bugs\":[\"forget-everything\"]}}";
    ssize_t len = (ssize_t)(sizeof text - 1);
    CU_ASSERT_EQUAL(write(fd, text, (size_t)len), len);
    close(fd);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' 2>&1", fl_e2e_binary(), path);
    FILE *fp = popen(cmd, "r");
    CU_ASSERT_FATAL(fp != NULL);
    char line[1024];
    bool named = false;
    while (fgets(line, sizeof line, fp))
        named |= strstr(line, "unknown bug \"forget-everything\"") != NULL;
    int st = pclose(fp);
    unlink(path);
    CU_ASSERT_TRUE(named);
    CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 2);
}

/* ---- tables ------------------------------------------------------------------ */

static const fl_cu_test codec_tests[] = {
    {"command round trip", test_cmd_roundtrip},
    {"message round trip and ballots", test_msg_roundtrip},
    {"truncated and corrupted messages, describe", test_msg_garbage},
    {NULL, NULL},
};

static const fl_cu_test state_tests[] = {
    {"accept records with torn tails", test_records_torn_tail},
    {"acceptor promises", test_acceptor_promise},
    {"log decisions", test_log_learn},
    {"kv sessions", test_kv_sessions},
    {NULL, NULL},
};

static const fl_cu_test table_tests[] = {
    {"params", test_params},
    {"invariant registry", test_invariant_registry},
    {NULL, NULL},
};

static const fl_cu_test e2e_tests[] = {
    {"scenarios pass over seeds 1..5", test_e2e_scenarios_pass},
    {"bug scenarios fail with their declared invariant", test_e2e_bugs_caught},
    {"bug scenarios pass with the switch off", test_e2e_bugs_off_pass},
    {"runs are deterministic", test_e2e_deterministic},
    {"views carry role, ballot, chosen log, scalars", test_e2e_views},
    {"bad params exit 2 naming the key", test_e2e_bad_params},
    {"paxos.progress catches a missed bound", test_e2e_progress},
    {"power loss: learn_only_chosen holds, still catches double count",
     test_e2e_power_loss},
    {NULL, NULL},
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        {"paxos codec", codec_tests},
        {"paxos state", state_tests},
        {"paxos tables", table_tests},
        {"paxos end to end", e2e_tests},
        {NULL, NULL},
    };
    return fl_cu_main(suites);
}
