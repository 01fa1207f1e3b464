/* test_viz_model.c — the visualizer's core, without SDL: stepping a run
 * through the visualizer's live path gives the headless run's trace hash
 * (bug scenarios that stop on a violation included); the model built live
 * equals the model read back from the trace file; keyframed state equals
 * state rebuilt from the start; messages in flight, election timers and
 * inferred log terms are right; bad trace files are refused with a
 * message naming the file and line; the Ring pane's facts (shardkv)
 * agree with the algorithm's own ring and with the groups' views. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/run/invcheck.h"
#include "sim/engine.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"
#include "tests/cu.h"
#include "viz/cause.h"
#include "viz/live.h"
#include "viz/replay.h"
#include "viz/ring.h"
#include "algorithms/shardkv/ring.h"

typedef struct path_buf {
    char s[1024];
} path_buf;

static const char *scenario_path(const char *rel, path_buf *buf)
{
    snprintf(buf->s, sizeof buf->s, "%s/scenarios/%s", fl_cu_srcdir(), rel);
    return buf->s;
}

/* As `faultline run` does it; `trace` may be NULL. */
static uint64_t headless_hash(const char *path, FILE *trace)
{
    fl_error err = { { 0 } };
    fl_scenario *s = fl_scenario_load(path, &err);
    const fl_algorithm *alg = s ? fl_registry_find(s->algorithm) : NULL;
    if (!s || !alg || fl_scenario_bind(s, alg, &err) < 0) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
        fl_scenario_free(s);
        return 0;
    }
    fl_engine *e = fl_engine_new(s, alg, s->has_seed ? s->seed : 1, s->duration, &err);
    fl_invcheck *ic = e ? fl_invcheck_new(s->algorithm, e) : NULL;
    uint64_t h = 0;
    if (e && ic && (!s->expect.invariants || fl_invcheck_attach(ic, e) == 0)) {
        if (trace)
            fl_engine_trace_to(e, trace, FL_TRACE_JSONL);
        fl_engine_run(e);
        fl_engine_finish(e);
        h = fl_engine_trace_hash(e);
    }
    fl_invcheck_free(ic);
    fl_engine_free(e);
    fl_scenario_free(s);
    return h;
}

static viz_live *live_to_end(const char *path, fl_time chunk)
{
    fl_error err = { { 0 } };
    viz_live_opts o = { path, 0, false, NULL };
    viz_live *l = viz_live_open(&o, NULL, &err);
    if (!l) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
        return NULL;
    }
    for (fl_time t = 0; !viz_live_done(l); t += chunk)
        if (viz_live_advance(l, t, &err) < 0) {
            fprintf(stderr, "%s: %s\n", path, err.msg);
            viz_live_free(l);
            return NULL;
        }
    return l;
}

static void same_hash(const char *rel)
{
    path_buf pb;
    const char *path = scenario_path(rel, &pb);
    uint64_t want = headless_hash(path, NULL);
    CU_ASSERT_NOT_EQUAL_FATAL(want, 0);
    static const fl_time chunks[] = { FL_MS(1), FL_MS(137), FL_SEC(1000) };
    for (size_t i = 0; i < 3; i++) {
        viz_live *l = live_to_end(path, chunks[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(l);
        if (viz_live_hash(l) != want)
            fprintf(stderr, "%s: viz hash %016llx, headless %016llx\n", rel,
                    (unsigned long long)viz_live_hash(l), (unsigned long long)want);
        CU_ASSERT_EQUAL(viz_live_hash(l), want);
        viz_live_free(l);
    }
}

static void test_hash_kv_tour(void) { same_hash("kv/faults-tour.json"); }
static void test_hash_kv_crash(void) { same_hash("kv/crash-restart.json"); }
static void test_hash_raft_partition(void) { same_hash("raft/partition.json"); }
static void test_hash_raft_leader_crash(void) { same_hash("raft/leader-crash.json"); }
static void test_hash_raft_bug(void) { same_hash("raft/bugs/vote-twice.json"); }

/* ---- Live model == replayed model ----------------------------------------------- */

typedef struct models {
    viz_live  *live;
    viz_model *replay;
} models;

static models both(const char *rel)
{
    models out = { NULL, NULL };
    char tmp[] = "/tmp/fl-viz-test-XXXXXX";
    int fd = mkstemp(tmp);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp)
        return out;
    path_buf pb;
    headless_hash(scenario_path(rel, &pb), fp);
    fclose(fp);
    fl_error err = { { 0 } };
    out.replay = viz_replay_load(tmp, &err);
    if (!out.replay)
        fprintf(stderr, "%s\n", err.msg);
    unlink(tmp);
    out.live = live_to_end(scenario_path(rel, &pb), FL_MS(50));
    return out;
}

static void free_both(models *m)
{
    viz_live_free(m->live);
    viz_model_free(m->replay);
}

static bool same_state(const viz_model *a, const viz_state *sa, const viz_model *b,
                       const viz_state *sb)
{
    if (memcmp(sa->links, sb->links, sa->nnodes * sa->nnodes) != 0)
        return false;
    for (size_t i = 0; i < sa->nnodes; i++) {
        const viz_node_state *x = &sa->nodes[i], *y = &sb->nodes[i];
        if (x->alive != y->alive || x->paused != y->paused || x->booted != y->booted)
            return false;
        const viz_view *vx = viz_model_view(a, x->view), *vy = viz_model_view(b, y->view);
        if (!vx != !vy)
            return false;
        if (vx && (vx->kind != vy->kind || vx->term != vy->term || vx->commit != vy->commit ||
                   vx->log_last != vy->log_last || vx->leader != vy->leader))
            return false;
    }
    return true;
}

static void test_live_equals_replay(void)
{
    models m = both("raft/partition.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.live);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.replay);
    const viz_model *a = viz_live_model(m.live), *b = m.replay;
    CU_ASSERT_EQUAL(viz_model_event_count(a), viz_model_event_count(b));
    CU_ASSERT_EQUAL(viz_model_msg_count(a), viz_model_msg_count(b));
    CU_ASSERT_EQUAL(viz_model_op_count(a), viz_model_op_count(b));
    CU_ASSERT_EQUAL(viz_model_mark_count(a), viz_model_mark_count(b));
    CU_ASSERT_EQUAL(viz_model_node_count(a), viz_model_node_count(b));
    viz_state *sa = viz_state_new(a), *sb = viz_state_new(b);
    size_t n = viz_model_event_count(a);
    for (size_t idx = 0; idx <= n; idx += n / 37 + 1) {
        viz_model_state_at(a, idx, sa);
        viz_model_state_at(b, idx, sb);
        CU_ASSERT(same_state(a, sa, b, sb));
    }
    viz_state_free(sa);
    viz_state_free(sb);
    free_both(&m);
}

/* Keyframes + replay from the keyframe == replay from event 0. */
static void test_keyframes(void)
{
    models m = both("kv/faults-tour.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.replay);
    const viz_model *b = m.replay;
    viz_state *fast = viz_state_new(b), *slow = viz_state_new(b);
    size_t n = viz_model_event_count(b);
    for (size_t idx = 0; idx <= n; idx += 211) {
        viz_model_state_at(b, idx, fast);
        viz_model_state_at(b, 0, slow);
        viz_model_state_advance(b, slow, idx);     /* from event 0, no keyframes */
        CU_ASSERT(same_state(b, fast, b, slow));
        CU_ASSERT_EQUAL(fast->idx, idx);
    }
    viz_state_free(fast);
    viz_state_free(slow);
    free_both(&m);
}

/* The faults-tour partition cuts client 3 off at 1 s and heals at 2 s. */
static void test_partition_links(void)
{
    models m = both("kv/faults-tour.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.replay);
    const viz_model *b = m.replay;
    viz_state *st = viz_state_new(b);
    size_t n = viz_model_node_count(b);
    viz_model_state_at(b, viz_model_events_until(b, FL_MS(1500)), st);
    CU_ASSERT(st->links[3 * n + 0] & VIZ_LINK_SPLIT);
    CU_ASSERT(st->links[0 * n + 3] & VIZ_LINK_SPLIT);
    CU_ASSERT_FALSE(st->links[0 * n + 1] & VIZ_LINK_SPLIT);
    viz_model_state_at(b, viz_model_events_until(b, FL_MS(2200)), st);
    CU_ASSERT_EQUAL(st->links[3 * n + 0], 0);
    viz_model_state_at(b, viz_model_events_until(b, FL_MS(2600)), st);
    CU_ASSERT(st->links[4 * n + 0] & VIZ_LINK_CUT);     /* one way: 4 -> 0 */
    CU_ASSERT_FALSE(st->links[0 * n + 4] & VIZ_LINK_CUT);
    viz_model_state_at(b, viz_model_events_until(b, FL_MS(4100)), st);
    CU_ASSERT(st->nodes[0].paused);
    viz_state_free(st);
    free_both(&m);
}

typedef struct flying {
    fl_time t;
    int     n, bad;
} flying;

static void count_msg(void *arg, const viz_msg *g)
{
    flying *f = arg;
    f->n++;
    if (g->t0 > f->t)
        f->bad++;
    if (g->end == VIZ_MSG_DELIVERED && g->t1 < f->t)
        f->bad++;
    if (g->end == VIZ_MSG_DROPPED && g->t1 + VIZ_DROP_LINGER <= f->t)
        f->bad++;
}

static void test_messages_in_flight(void)
{
    models m = both("raft/partition.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.replay);
    const viz_model *b = m.replay;
    int seen = 0;
    for (fl_time t = FL_MS(100); t < FL_SEC(10); t += FL_MS(97)) {
        flying f = { t, 0, 0 };
        viz_model_msgs_at(b, t, viz_model_events_until(b, t), count_msg, &f);
        CU_ASSERT_EQUAL(f.bad, 0);
        seen += f.n;
        /* brute force: every message sent before t and ending after t */
        int want = 0;
        for (uint32_t i = 0; i < viz_model_msg_count(b); i++) {
            const viz_msg *g = viz_model_msg(b, i);
            bool on = g->t0 <= t && (g->end == VIZ_MSG_FLYING || g->t1 > t ||
                                     (g->end == VIZ_MSG_DROPPED && g->t1 + VIZ_DROP_LINGER > t));
            want += on;
        }
        CU_ASSERT_EQUAL(f.n, want);
    }
    CU_ASSERT(seen > 50);
    free_both(&m);
}

static void test_election_timer(void)
{
    models m = both("raft/leader-crash.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.live);
    const viz_model *a = viz_live_model(m.live);
    viz_state *st = viz_state_new(a);
    /* at 3.05 s the leader (node 0) has just crashed: followers time out */
    fl_time t = FL_MS(3050);
    viz_model_state_at(a, viz_model_events_until(a, t), st);
    int armed = 0, exact = 0;
    for (fl_node_id i = 0; i < 5; i++) {
        viz_timer_arc arc = viz_model_election_timer(a, i, t, st);
        if (!arc.armed)
            continue;
        armed++;
        exact += arc.exact;
        CU_ASSERT(arc.start <= t);
        CU_ASSERT(arc.deadline > arc.start);
    }
    CU_ASSERT(armed >= 3);
    CU_ASSERT(exact >= 1);
    viz_state_free(st);
    free_both(&m);
}

/* Inferred terms (replay) agree with the exact ones (live) on committed entries. */
static void test_inferred_terms(void)
{
    models m = both("raft/partition.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.live);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.replay);
    const viz_model *a = viz_live_model(m.live), *b = m.replay;
    CU_ASSERT_TRUE(viz_model_exact_entries(a));
    CU_ASSERT_FALSE(viz_model_exact_entries(b));
    viz_state *st = viz_state_new(a);
    int checked = 0, wrong = 0;
    for (fl_time t = FL_SEC(1); t <= FL_SEC(10); t += FL_SEC(1)) {
        viz_model_state_at(a, viz_model_events_until(a, t), st);
        for (fl_node_id i = 0; i < 5; i++) {
            const viz_view *v = viz_model_view(a, st->nodes[i].view);
            if (!v || !st->nodes[i].alive)
                continue;
            for (int64_t k = 1; k <= v->commit; k++) {
                viz_entry x = viz_model_entry(a, i, t, k), y = viz_model_entry(b, i, t, k);
                checked++;
                wrong += !x.known || !y.known || x.term != y.term;
            }
        }
    }
    CU_ASSERT(checked > 500);
    CU_ASSERT_EQUAL(wrong, 0);
    viz_state_free(st);
    free_both(&m);
}

/* ---- Bad trace files ---------------------------------------------------------------- */

static viz_model *load_model(const char *text, char *msg, size_t len)
{
    char tmp[] = "/tmp/fl-viz-bad-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0)
        return NULL;
    if (write(fd, text, strlen(text)) < 0) {
        close(fd);
        unlink(tmp);
        return NULL;
    }
    close(fd);
    fl_error err = { { 0 } };
    viz_model *m = viz_replay_load(tmp, &err);
    snprintf(msg, len, "%s", err.msg);
    unlink(tmp);
    return m;
}

static int load_text(const char *text, char *msg, size_t len)
{
    viz_model *m = load_model(text, msg, len);
    int rc = m ? (int)viz_model_event_count(m) : -1;
    viz_model_free(m);
    return rc;
}

#define HEADER "{\"format\":\"faultline-trace\",\"version\":1,\"abi\":1,\"seed\":\"0x0000000000000001\"," \
               "\"scenario\":\"x\",\"scenario_hash\":\"0x0000000000000000\",\"algorithm\":\"raft\"," \
               "\"nodes\":[{\"id\":0,\"role\":\"server\"},{\"id\":1,\"role\":\"server\"}]}\n"

static void test_bad_traces(void)
{
    char msg[1024];
    fl_error err = { { 0 } };
    CU_ASSERT_PTR_NULL(viz_replay_load("/nonexistent/trace.jsonl", &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot open"));
    CU_ASSERT_EQUAL(load_text("", msg, sizeof msg), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "empty"));
    CU_ASSERT_EQUAL(load_text("garbage\n", msg, sizeof msg), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, ":1: not a faultline trace"));
    CU_ASSERT_EQUAL(load_text("{\"format\":\"other\"}\n", msg, sizeof msg), -1);
    CU_ASSERT_EQUAL(load_text(HEADER, msg, sizeof msg), -1);          /* no events */
    CU_ASSERT_EQUAL(load_text(HEADER "{\"t\":0,\"ev\":\"boot\",\"node\":0}\nnope\n"
                              "{\"t\":1,\"ev\":\"boot\",\"node\":1}\n", msg, sizeof msg), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, ":3: "));
    CU_ASSERT_EQUAL(load_text(HEADER "{\"t\":0,\"ev\":\"frob\",\"node\":0}\n", msg, sizeof msg), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "unknown event type"));
    CU_ASSERT_EQUAL(load_text(HEADER "{\"t\":0,\"ev\":\"boot\",\"node\":7}\n", msg, sizeof msg), -1);
    CU_ASSERT_EQUAL(load_text(HEADER "{\"t\":5,\"ev\":\"boot\",\"node\":0}\n"
                              "{\"t\":4,\"ev\":\"boot\",\"node\":1}\n", msg, sizeof msg), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "backwards"));
    /* a last line cut short is skipped */
    CU_ASSERT_EQUAL(load_text(HEADER "{\"t\":0,\"ev\":\"boot\",\"node\":0}\n{\"t\":1,\"ev\":\"bo",
                              msg, sizeof msg), 1);
}

static bool count_between(void *arg, uint32_t i, const viz_msg *g)
{
    (void)i;
    (void)g;
    (*(int *)arg)++;
    return true;
}

static void count_at(void *arg, const viz_msg *g)
{
    (void)g;
    (*(int *)arg)++;
}

/* A crafted trace spanning ~3 years with one message in flight all along
 * and a view claiming 10^12 log entries: it loads without allocating for
 * its time span or its claims, and queries still find what is there. */
static void test_huge_spans(void)
{
    char msg[1024];
    viz_model *m = load_model(HEADER
        "{\"t\":0,\"ev\":\"boot\",\"node\":0}\n"
        "{\"t\":0,\"ev\":\"send\",\"node\":0,\"peer\":1,\"id\":1,\"kind\":\"Ping\"}\n"
        "{\"t\":100000000000000000,\"ev\":\"deliver\",\"node\":1,\"peer\":0,\"id\":1,\"kind\":\"Ping\"}\n"
        "{\"t\":100000000000000000,\"ev\":\"send\",\"node\":1,\"peer\":0,\"id\":2,\"kind\":\"Pong\"}\n"
        "{\"t\":100000000005000000,\"ev\":\"deliver\",\"node\":0,\"peer\":1,\"id\":2,\"kind\":\"Pong\"}\n"
        "{\"t\":100000000006000000,\"ev\":\"view\",\"node\":0,\"role\":\"leader\",\"term\":1,"
        "\"log_last\":1000000000000,\"commit\":1e300,\"match\":[1e300,-1e300],"
        "\"scalars\":{\"x\":1e300}}\n", msg, sizeof msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    int n = 0;
    viz_model_msgs_between(m, 0, INT64_C(200000000000000000), count_between, &n);
    CU_ASSERT_EQUAL(n, 2);
    n = 0;
    viz_model_msgs_between(m, INT64_C(100000000001000000), INT64_C(100000000002000000),
                           count_between, &n);
    CU_ASSERT_EQUAL(n, 1);                                /* only the Pong */
    n = 0;
    fl_time mid = INT64_C(50000000000000000);
    viz_model_msgs_at(m, mid, viz_model_events_until(m, mid), count_at, &n);
    CU_ASSERT_EQUAL(n, 1);                                /* the Ping, mid-flight */
    fl_time end = viz_model_end(m);
    CU_ASSERT(viz_model_entry(m, 0, end, 10).known);       /* recorded ... */
    CU_ASSERT_FALSE(viz_model_entry(m, 0, end, 100000).known);  /* ... within bounds */
    viz_model_free(m);
    CU_ASSERT_EQUAL(load_text(HEADER "{\"t\":9e18,\"ev\":\"boot\",\"node\":0}\n",
                              msg, sizeof msg), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "outside"));
}

#define HEADER3 "{\"format\":\"faultline-trace\",\"version\":1,\"abi\":1,\"seed\":\"0x01\"," \
                "\"scenario\":\"x\",\"scenario_hash\":\"0x00\",\"algorithm\":\"raft\"," \
                "\"nodes\":[{\"id\":0,\"role\":\"server\"},{\"id\":1,\"role\":\"server\"}," \
                "{\"id\":2,\"role\":\"server\"}]}\n"

/* The model reads the structured fields and never the text: here every
 * text says something else than its fields, and the fields win. */
static void test_structured_fields(void)
{
    const char *trace = HEADER3
        "{\"t\":0,\"ev\":\"boot\",\"node\":0}\n"
        "{\"t\":1,\"ev\":\"partition\",\"node\":-1,\"a\":2,\"b\":0,"
        "\"groups\":[[0,1],[2]],\"text\":\"[0] [1,2]\"}\n"
        "{\"t\":2,\"ev\":\"link\",\"node\":0,\"peer\":1,\"a\":-1,\"b\":0,\"from\":0,"
        "\"to\":1,\"symmetric\":false,\"cut\":false,\"text\":\"0 <-> 1 cut\"}\n"
        "{\"t\":3,\"ev\":\"send\",\"node\":0,\"peer\":1,\"id\":1,\"from\":0,\"to\":1,"
        "\"kind\":\"X\",\"reply\":false,\"len\":1}\n"
        "{\"t\":4,\"ev\":\"drop\",\"node\":0,\"peer\":1,\"id\":1,\"from\":0,\"to\":1,"
        "\"kind\":\"X\",\"reply\":false,\"len\":1,\"reason\":\"loss\",\"text\":\"partition\"}\n";
    char tmp[] = "/tmp/fl-viz-fields-XXXXXX";
    int fd = mkstemp(tmp);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(write(fd, trace, strlen(trace)) == (ssize_t)strlen(trace));
    close(fd);
    fl_error err = { { 0 } };
    viz_model *m = viz_replay_load(tmp, &err);
    unlink(tmp);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    viz_state *st = viz_state_new(m);
    viz_model_state_at(m, viz_model_event_count(m), st);
    size_t n = 3;
    CU_ASSERT_FALSE(st->links[0 * n + 1] & VIZ_LINK_SPLIT);   /* 0 and 1 together */
    CU_ASSERT(st->links[1 * n + 2] & VIZ_LINK_SPLIT);
    CU_ASSERT(st->links[0 * n + 1] & VIZ_LINK_LOSSY);         /* lossy, not cut */
    CU_ASSERT_FALSE(st->links[0 * n + 1] & VIZ_LINK_CUT);
    CU_ASSERT_FALSE(st->links[1 * n + 0] & VIZ_LINK_LOSSY);   /* one way */
    const viz_msg *g = viz_model_msg(m, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    CU_ASSERT_EQUAL(g->why, VIZ_DROP_LOSS);
    viz_state_free(st);
    viz_model_free(m);
    /* a partition without its groups is refused, naming the field */
    char msg[512];
    CU_ASSERT_EQUAL(load_text(HEADER "{\"t\":1,\"ev\":\"partition\",\"node\":-1,"
                              "\"text\":\"[0] [1]\"}\n", msg, sizeof msg), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "groups"));
}

static bool is_reply_name(const char *k)
{
    return strstr(k, "Reply") || strstr(k, "Response");
}

/* Within one run, no two message kinds share a colour (a reply wears its
 * request's); the pairs the issue saw alike are named. */
static void distinct_kinds(const char *rel, const char *a, const char *b)
{
    path_buf p;
    viz_live *l = live_to_end(scenario_path(rel, &p), FL_SEC(5));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    const viz_model *m = viz_live_model(l);
    size_t n = viz_model_kind_count(m);
    int ia = -1, ib = -1, clashes = 0;
    for (size_t i = 0; i < n; i++) {
        const char *ki = viz_model_kind_name(m, (uint16_t)i);
        ia = strcmp(ki, a) == 0 ? (int)i : ia;
        ib = strcmp(ki, b) == 0 ? (int)i : ib;
        for (size_t j = i + 1; j < n && n <= 12; j++) {
            const char *kj = viz_model_kind_name(m, (uint16_t)j);
            if (is_reply_name(ki) || is_reply_name(kj))
                continue;
            if (viz_model_kind_slot(m, (uint16_t)i) == viz_model_kind_slot(m, (uint16_t)j)) {
                fprintf(stderr, "%s: %s and %s share a colour\n", rel, ki, kj);
                clashes++;
            }
        }
    }
    CU_ASSERT_EQUAL(clashes, 0);
    CU_ASSERT_FATAL(ia >= 0 && ib >= 0);
    CU_ASSERT_NOT_EQUAL(viz_model_kind_slot(m, (uint16_t)ia), viz_model_kind_slot(m, (uint16_t)ib));
    viz_live_free(l);
}

static void test_kind_colors(void)
{
    distinct_kinds("paxos/multi-basic.json", "Accepted", "Heartbeat");
    distinct_kinds("lock/normal.json", "RequestVote", "StorageWrite");
    distinct_kinds("sort/basic.json", "Heartbeat", "PieceAck");
    /* a reply wears its request's colour */
    path_buf p;
    viz_live *l = live_to_end(scenario_path("raft/basic.json", &p), FL_SEC(5));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    const viz_model *m = viz_live_model(l);
    int req = -1, rep = -1;
    for (size_t i = 0; i < viz_model_kind_count(m); i++) {
        const char *k = viz_model_kind_name(m, (uint16_t)i);
        req = strcmp(k, "ClientRequest") == 0 ? (int)i : req;
        rep = strcmp(k, "ClientReply") == 0 ? (int)i : rep;
    }
    CU_ASSERT_FATAL(req >= 0 && rep >= 0);
    CU_ASSERT_EQUAL(viz_model_kind_slot(m, (uint16_t)req), viz_model_kind_slot(m, (uint16_t)rep));
    viz_live_free(l);
}

/* Verdict -> cause: the chain behind a violation ends at the node that
 * broke the invariant, each link delivered before the next was sent. */
static void test_cause_chain(void)
{
    path_buf p;
    viz_live *l = live_to_end(scenario_path("raft/bugs/vote-twice.json", &p), FL_SEC(1));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    const fl_violation *v = viz_live_violation(l);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    const viz_model *m = viz_live_model(l);
    size_t n = viz_model_msg_count(m);
    uint8_t *chain = calloc(n, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(chain);
    size_t k = viz_cause_chain(m, v->node, v->time, 12, chain);
    CU_ASSERT(k >= 2);
    fl_node_id want = v->node;
    fl_time before = v->time;
    size_t seen = 0;
    for (size_t i = n; i-- > 0 && seen < k;) {     /* newest link first */
        if (!chain[i])
            continue;
        const viz_msg *g = viz_model_msg(m, (uint32_t)i);
        if (seen == 0) {
            CU_ASSERT_EQUAL(g->to, want);
        }
        CU_ASSERT(g->end == VIZ_MSG_DELIVERED && g->t1 <= before);
        before = g->t0;
        seen++;
    }
    /* an operation's messages: its client's requests and replies */
    memset(chain, 0, n);
    CU_ASSERT_FATAL(viz_model_op_count(m) > 0);
    const viz_op *o = viz_model_op(m, 0);
    CU_ASSERT(viz_cause_op(m, 0, 4, chain) > 0);
    bool from_client = false;
    for (size_t i = 0; i < n; i++)
        from_client |= chain[i] && viz_model_msg(m, (uint32_t)i)->from == o->client;
    CU_ASSERT(from_client);
    free(chain);
    viz_live_free(l);
}

/* In the middle of a step (after "leader for term 1", while its first
 * heartbeats leave) the node is shown with the view that ends the step. */
static void test_finish_step(void)
{
    path_buf p;
    viz_live *l = live_to_end(scenario_path("raft/basic.json", &p), FL_SEC(5));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    const viz_model *m = viz_live_model(l);
    viz_state *st = viz_state_new(m);
    int checked = 0, behind = 0;
    for (size_t j = 2; j < viz_model_event_count(m) && checked < 50; j++) {
        const viz_event *e = viz_model_event(m, j), *prev = viz_model_event(m, j - 1);
        const viz_view *v = viz_model_view(m, e->aux);
        if (e->type != FL_TR_VIEW || prev->type != FL_TR_SEND || prev->node != e->node ||
            prev->t != e->t || v->kind != FL_VIEW_LEADER)
            continue;
        viz_model_state_at(m, j, st);            /* just after the send */
        behind += st->nodes[e->node].view != e->aux;
        viz_model_state_finish_step(m, st);
        CU_ASSERT_EQUAL(st->nodes[e->node].view, e->aux);
        checked++;
    }
    CU_ASSERT(checked > 0);
    CU_ASSERT(behind > 0);          /* without it, the node would lag behind */
    viz_state_free(st);
    viz_live_free(l);
}

/* ---- The Ring pane's facts (viz/ring.c) ------------------------------------------ */

/* The algorithm's own owner of shard s for the groups in `mask`. */
static int32_t skv_owner(uint64_t mask, uint32_t vnodes, uint32_t s)
{
    fl_ring r;
    fl_ring_init(&r);
    int32_t g = -1;
    if (fl_ring_build(&r, mask, vnodes) == 0) {
        uint32_t o = fl_ring_owner(&r, fl_ring_key_pos(s));
        g = o == UINT32_MAX ? -1 : (int32_t)o;
    }
    fl_ring_free(&r);
    return g;
}

/* The state the screen shows at `ms`. */
static void ring_at(const viz_model *m, viz_state *st, int ms, viz_ring *r)
{
    viz_model_state_at(m, viz_model_events_until(m, FL_MS(ms)), st);
    viz_model_state_finish_step(m, st);
    const fl_viz_table *t = fl_registry_viz_table(viz_model_algorithm(m));
    viz_ring_build(m, st, t ? t->ring : NULL, r);
}

/* Group g's live leader, straight from the views. */
static fl_node_id view_leader_of(const viz_model *m, const viz_state *st, int64_t g)
{
    for (size_t i = 0; i < st->nnodes; i++) {
        const viz_view *v = st->nodes[i].view == VIZ_NONE ? NULL
                          : viz_model_view(m, st->nodes[i].view);
        int64_t x;
        if (v && st->nodes[i].alive && v->kind == FL_VIEW_LEADER &&
            viz_view_scalar(m, v, "group", &x) && x == g)
            return (fl_node_id)i;
    }
    return FL_NO_NODE;
}

static void test_ring_facts(void)
{
    /* the owner rule, against the algorithm's ring, for many masks */
    const fl_viz_ring *spec = fl_registry_viz_table("shardkv")->ring;
    CU_ASSERT_PTR_NOT_NULL_FATAL(spec);
    for (uint64_t mask = 1; mask < 64; mask += 5)
        for (uint32_t vn = 1; vn <= 9; vn += 4)
            for (uint32_t s = 0; s < 64; s++)
                CU_ASSERT_EQUAL(viz_ring_owner(spec, mask, vn, spec->shard(s), NULL),
                                skv_owner(mask, vn, s));
    CU_ASSERT_EQUAL(viz_ring_owner(spec, 0, 8, 12345, NULL), -1);
    CU_ASSERT_PTR_NULL(fl_registry_viz_table("raft"));     /* no table, no ring */

    /* join-leave: group 2 joins at 2 s, group 0 leaves at 4 s */
    path_buf p;
    viz_live *l = live_to_end(scenario_path("shardkv/join-leave.json", &p), FL_SEC(20));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    const viz_model *m = viz_live_model(l);
    viz_state *st = viz_state_new(m);
    viz_ring r;
    viz_model_state_at(m, 0, st);                /* no view yet: the Logs pane */
    CU_ASSERT_FALSE(viz_ring_available(m, st, spec));
    ring_at(m, st, 1500, &r);
    CU_ASSERT_TRUE(r.ok);
    CU_ASSERT_TRUE(viz_ring_available(m, st, spec));
    CU_ASSERT_FALSE(viz_ring_available(m, st, NULL));
    CU_ASSERT_EQUAL(r.config, 1);
    CU_ASSERT_EQUAL(r.members, 3);
    CU_ASSERT_EQUAL(r.nshards, 16);
    CU_ASSERT_EQUAL(r.vnodes, 8);
    CU_ASSERT_EQUAL(r.ngroups, 3);
    CU_ASSERT_EQUAL(r.moving, 0);
    for (uint32_t s = 0; s < 16; s++) {          /* settled: served by the owner */
        CU_ASSERT_EQUAL(r.shards[s].owner, skv_owner(3, 8, s));
        CU_ASSERT_EQUAL(r.shards[s].server, r.shards[s].owner);
    }
    /* mid-move after group 0 left: every shard it owned moves from it */
    ring_at(m, st, 4081, &r);
    CU_ASSERT_EQUAL(r.config, 3);
    CU_ASSERT_EQUAL(r.members, 6);
    CU_ASSERT_FALSE(r.groups[0].joined);
    CU_ASSERT(r.moving > 0);
    uint32_t moving = 0;
    for (uint32_t s = 0; s < 16; s++) {
        const viz_ring_shard *k = &r.shards[s];
        CU_ASSERT_EQUAL(k->owner, skv_owner(6, 8, s));
        if (skv_owner(7, 8, s) != 0) {           /* not group 0's: stays put */
            CU_ASSERT_EQUAL(k->to, -1);
            continue;
        }
        if (k->to >= 0) {                        /* on its way to its new owner */
            moving++;
            CU_ASSERT_EQUAL(k->to, k->owner);
            CU_ASSERT_EQUAL(k->from, 0);
            CU_ASSERT(r.groups[k->to].waiting >> s & 1);
            CU_ASSERT_EQUAL(k->server, -1);
        }
    }
    CU_ASSERT_EQUAL(moving, r.moving);
    for (uint32_t g = 0; g < 3; g++)
        CU_ASSERT_EQUAL(r.groups[g].leader, view_leader_of(m, st, g));
    CU_ASSERT_NOT_EQUAL(r.config_leader, FL_NO_NODE);
    CU_ASSERT(r.config_leader < 3);              /* the service is servers 0-2 */
    /* settled again: group 0 serves nothing, every shard its owner's */
    ring_at(m, st, 5500, &r);
    CU_ASSERT_EQUAL(r.moving, 0);
    CU_ASSERT_EQUAL(r.groups[0].serving, 0);
    for (uint32_t s = 0; s < 16; s++)
        CU_ASSERT_EQUAL(r.shards[s].server, skv_owner(6, 8, s));
    viz_state_free(st);
    viz_live_free(l);

    /* an algorithm without a ring: nothing to draw */
    l = live_to_end(scenario_path("raft/basic.json", &p), FL_SEC(20));
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    m = viz_live_model(l);
    st = viz_state_new(m);
    ring_at(m, st, 1000, &r);
    CU_ASSERT_FALSE(r.ok);
    CU_ASSERT_FALSE(viz_ring_available(m, st, spec));   /* shardkv's words, Raft's views */
    viz_state_free(st);
    viz_live_free(l);
}

static void test_added_fault_and_save(void)
{
    fl_error err = { { 0 } };
    cJSON *added = cJSON_Parse("[{\"at_ms\":1500,\"type\":\"crash\",\"node\":0}]");
    path_buf pb;
    viz_live_opts o = { scenario_path("raft/partition.json", &pb), 0, false, NULL };
    viz_live *l = viz_live_open(&o, added, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    while (!viz_live_done(l))
        viz_live_advance(l, FL_SEC(100), &err);
    uint64_t h = viz_live_hash(l);
    char tmp[] = "/tmp/fl-viz-save-XXXXXX.json";
    int fd = mkstemps(tmp, 5);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    CU_ASSERT_EQUAL(viz_live_save(l, tmp, &err), 0);
    CU_ASSERT_EQUAL(headless_hash(tmp, NULL), h);    /* the saved scenario replays it */
    CU_ASSERT_NOT_EQUAL(headless_hash(o.scenario, NULL), h);
    unlink(tmp);
    viz_live_free(l);
    cJSON_Delete(added);
}

int main(void)
{
    static const fl_cu_test hash[] = {
        { "kv faults tour", test_hash_kv_tour },
        { "kv crash restart", test_hash_kv_crash },
        { "raft partition", test_hash_raft_partition },
        { "raft leader crash", test_hash_raft_leader_crash },
        { "raft bug stops on a violation", test_hash_raft_bug },
        { "added fault, saved, replays", test_added_fault_and_save },
        { NULL, NULL },
    };
    static const fl_cu_test model[] = {
        { "live model equals replayed model", test_live_equals_replay },
        { "keyframes", test_keyframes },
        { "partitions and links", test_partition_links },
        { "messages in flight", test_messages_in_flight },
        { "election timers", test_election_timer },
        { "inferred log terms", test_inferred_terms },
        { "bad traces", test_bad_traces },
        { "huge time spans and claims", test_huge_spans },
        { "structured fields, not text", test_structured_fields },
        { "a colour per message kind", test_kind_colors },
        { "verdict to cause: message chains", test_cause_chain },
        { "a node is shown with the view that ends its step", test_finish_step },
        { "ring pane: facts from the views (shardkv)", test_ring_facts },
        { NULL, NULL },
    };
    static const fl_cu_suite suites[] = {
        { "viz: same hash as headless", hash },
        { "viz: model", model },
        { NULL, NULL },
    };
    return fl_cu_main(suites);
}
