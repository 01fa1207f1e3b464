/* test_engine.c — the engine's own suites: random streams, the event
 * queue's order, disks and crashes, the network, faults and the built-in
 * client, run end to end with the kv-single algorithm. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/kv/kv.h"
#include "sim/disk.h"
#include "sim/engine.h"
#include "sim/engine_internal.h"
#include "sim/manual.h"
#include "sim/queue.h"
#include "sim/run/registry.h"
#include "sim/rng.h"
#include "sim/scenario/scenario.h"
#include "tests/cu.h"

/* ---- helpers ---------------------------------------------------------------- */

static fl_scenario *scn(const char *json)
{
    fl_error err = { { 0 } };
    fl_scenario *s = fl_scenario_parse(json, strlen(json), "(test)", &err);
    if (!s) {
        fprintf(stderr, "scenario: %s\n", err.msg);
        return NULL;
    }
    if (fl_scenario_bind(s, &fl_kv_algorithm, &err) < 0) {
        fprintf(stderr, "bind: %s\n", err.msg);
        fl_scenario_free(s);
        return NULL;
    }
    return s;
}

typedef struct run_result {
    uint64_t        hash;
    fl_engine_stats st;
    size_t          hist_len;
    size_t          ok_reads_nil_after_write;
} run_result;

static int run_json(const char *json, uint64_t seed, run_result *out)
{
    fl_scenario *s = scn(json);
    if (!s)
        return -1;
    fl_error err;
    fl_engine *e = fl_engine_new(s, &fl_kv_algorithm, seed, s->duration, &err);
    if (!e) {
        fl_scenario_free(s);
        return -1;
    }
    fl_engine_run(e);
    fl_engine_finish(e);
    out->hash = fl_engine_trace_hash(e);
    out->st = *fl_engine_stats_get(e);
    out->hist_len = fl_engine_history(e)->len;
    fl_engine_free(e);
    fl_scenario_free(s);
    return 0;
}

#define KV_BASE \
    "{\"name\":\"t\",\"algorithm\":\"kv-single\",\"nodes\":3,\"duration_ms\":3000," \
    "\"network\":{\"latency\":{\"dist\":\"lognormal\",\"median_ms\":5,\"sigma\":0.5}," \
    "\"drop\":0.05,\"duplicate\":0.02}," \
    "\"workload\":{\"clients\":3,\"rate_per_s\":50,\"model\":\"kv\",\"keys\":3}"

/* ---- rng ----------------------------------------------------------------------- */

/* fl_rng_between draws what the textbook rejection sampling draws
 * (v % n over v < UINT64_MAX - UINT64_MAX % n), whatever span it last
 * cached: the remainder without a division is exact for every divisor. */
static int64_t between_by_division(uint64_t s[4], int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    if (span == UINT64_MAX)
        return (int64_t)fl_xoshiro_next(s);
    uint64_t n = span + 1, limit = UINT64_MAX - UINT64_MAX % n, v;
    do {
        v = fl_xoshiro_next(s);
    } while (v >= limit);
    return (int64_t)((uint64_t)lo + v % n);
}

/* A latency in ms becomes ns as llround(ms * 1e6) would round it (the
 * engine's own rounding takes a shorter path from 1 ns to 2^52 ns): at
 * and around every kind of half, below 1 ns and above 2^52 ns. */
static void test_latency_rounding(void)
{
    /* the rounding itself, where a shortcut would go wrong: just below a
     * half under 1 (x + 0.5 rounds up to 1), halves, just above powers of
     * two, the 2^52 edge */
    static const double edge[] = { 0.0, 0.49999999999999994, 0.5, 0.7499999999999999,
                                   0.9999999999999999, 1.0, 1.4999999999999998, 1.5,
                                   2.4999999999999996, 2.5, 1.0000000000000002,
                                   4503599627370495.5, 4503599627370496.0,
                                   9007199254740991.0, 1e18 };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        for (double x = edge[i], k = 0; k < 64; k++, x = nextafter(x, 1e300))
            CU_ASSERT_EQUAL(fl_round_nonneg(x), llround(x));
    gsl_rng *r = fl_rng_new(5, FL_STREAM_NODE(0));
    CU_ASSERT_FATAL(r != NULL);
    double xs[] = { 0.25, 0.5, 0.49999999999999994, 0.75, 1.0, 1.5, 2.5,
                    1.9999999999999998, 3.4999999999999996, 1e6 + 0.5,
                    1e6 + 0.4999999999, 1048575.5, 4503599627370495.5,
                    4503599627370496.0, 4503599627370497.0, 9007199254740993.0 };
    for (size_t i = 0; i < sizeof xs / sizeof xs[0] + 20000; i++) {
        double x = i < sizeof xs / sizeof xs[0] ? xs[i]
                 : ldexp(gsl_rng_uniform(r), (int)(i % 60)) + (double)(i % 7) * 0.25;
        /* and (2k+1)/128 ms, which is (2k+1) * 7812.5 ns: exact halves */
        double ms = i % 2 ? x / 1e6 : (double)(2 * (i % 100000) + 1) / 128.0;
        if (i % 1000 == 0)
            ms = ldexp((double)(2 * (i % 512) + 1), -(int)(i % 40) - 7);
        double lo = ms, hi = ms;
        for (int d = 0; d < 40; d++) {     /* the neighbours on both sides */
            lo = nextafter(lo, 0);
            hi = nextafter(hi, 1e300);
        }
        for (double m = lo; m <= hi; m = nextafter(m, 1e300)) {
            fl_dist c = { .kind = FL_DIST_CONSTANT, .a = m };
            int64_t want = m > 0 ? llround(m * 1e6) : 0;
            CU_ASSERT_EQUAL(fl_dist_sample_ns(&c, r), want);
        }
    }
    gsl_rng_free(r);
}

static void test_rng_between_exact(void)
{
    gsl_rng *r = fl_rng_new(9, FL_STREAM_NODE(3));
    CU_ASSERT_FATAL(r != NULL);
    fl_rng_state *st = r->state;
    uint64_t ref[4];
    memcpy(ref, st->s, sizeof ref);
    static const uint64_t spans[] = {
        0, 1, 2, 3, 7, 8, 9, 10, 99, 1000, 1000000, 0xffffffffu, 0x100000000u,
        UINT64_C(0x123456789abcdef), UINT64_C(1) << 62, (UINT64_C(1) << 63) - 1,
        UINT64_C(1) << 63, (UINT64_C(1) << 63) + 1, UINT64_MAX - 1, UINT64_MAX,
    };
    size_t nspans = sizeof spans / sizeof spans[0];
    for (int i = 0; i < 20000; i++) {
        uint64_t span = spans[(size_t)i % nspans];
        if (i % 3 == 0)       /* the same span many times: the cache reused */
            span = spans[8];
        int64_t lo = i % 5 == 0 ? -5 : 0;
        int64_t hi = (int64_t)((uint64_t)lo + span);
        if ((uint64_t)hi < (uint64_t)lo && span != UINT64_MAX)
            continue;
        CU_ASSERT_EQUAL(fl_rng_between(r, lo, hi), between_by_division(ref, lo, hi));
    }
    CU_ASSERT_EQUAL(memcmp(ref, st->s, sizeof ref), 0);   /* as many draws */
    /* remainders at the edges, every divisor kind */
    static const uint64_t vs[] = { 0, 1, 2, 3, 8, 9, 0xffffffffu, UINT64_C(1) << 63,
                                   UINT64_MAX - 1, UINT64_MAX };
    for (size_t k = 0; k < nspans; k++) {
        uint64_t n = spans[k] + 1;
        if (n == 0)
            continue;
        fl_rng_mod_prepare(st, n);
        for (size_t j = 0; j < sizeof vs / sizeof vs[0]; j++) {
            CU_ASSERT_EQUAL(fl_rng_mod(st, vs[j]), vs[j] % n);
            CU_ASSERT_EQUAL(fl_rng_mod(st, n * (vs[j] / n)), 0);
            if (vs[j] >= 1)
                CU_ASSERT_EQUAL(fl_rng_mod(st, vs[j] - 1), (vs[j] - 1) % n);
        }
    }
    gsl_rng_free(r);
}

static void test_rng_streams(void)
{
    gsl_rng *a = fl_rng_new(42, FL_STREAM_NODE(0));
    gsl_rng *b = fl_rng_new(42, FL_STREAM_NODE(0));
    gsl_rng *c = fl_rng_new(42, FL_STREAM_NODE(1));
    gsl_rng *d = fl_rng_new(42 + (UINT64_C(1) << 40), FL_STREAM_NODE(0));
    CU_ASSERT_FATAL(a && b && c && d);
    uint64_t x = fl_rng_u64(a);
    CU_ASSERT_EQUAL(x, fl_rng_u64(b));
    CU_ASSERT_NOT_EQUAL(x, fl_rng_u64(c));
    CU_ASSERT_NOT_EQUAL(x, fl_rng_u64(d));   /* bits above 32 matter */
    for (int i = 0; i < 1000; i++) {
        int64_t v = fl_rng_between(a, -3, 3);
        CU_ASSERT(v >= -3 && v <= 3);
        double u = gsl_rng_uniform(a);
        CU_ASSERT(u >= 0.0 && u < 1.0);
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
    gsl_rng_free(d);
}

/* ---- queue ---------------------------------------------------------------------- */

static void test_queue_order(void)
{
    fl_queue q;
    fl_queue_init(&q);
    fl_event ev = { 0 };
    /* pushed in this order: (10, normal) a, (10, fault) b, (5, normal) c,
     * (10, normal) d, (10, fault) e */
    int64_t tags[] = { 1, 2, 3, 4, 5 };
    fl_time times[] = { 10, 10, 5, 10, 10 };
    fl_event_class cls[] = { FL_CLASS_NORMAL, FL_CLASS_FAULT, FL_CLASS_NORMAL,
                             FL_CLASS_NORMAL, FL_CLASS_FAULT };
    for (int i = 0; i < 5; i++) {
        ev.time = times[i];
        ev.a = tags[i];
        CU_ASSERT_EQUAL(fl_queue_push(&q, &ev, cls[i]), 0);
    }
    int64_t want[] = { 3, 2, 5, 1, 4 };
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_FATAL(fl_queue_pop(&q, &ev));
        CU_ASSERT_EQUAL(ev.a, want[i]);
    }
    CU_ASSERT(!fl_queue_pop(&q, &ev));
    /* a large random load pops in non-decreasing order */
    gsl_rng *r = fl_rng_new(7, 1);
    for (int i = 0; i < 10000; i++) {
        ev.time = fl_rng_between(r, 0, 1000);
        fl_queue_push(&q, &ev, FL_CLASS_NORMAL);
    }
    fl_time last = -1;
    while (fl_queue_pop(&q, &ev)) {
        CU_ASSERT(ev.time >= last);
        last = ev.time;
    }
    gsl_rng_free(r);
    fl_queue_destroy(&q);
}

/* Runs a little simulation on q: each step takes (or pops) the first
 * event and pushes 0, 1 or 2 later ones; records what came out. */
static size_t queue_drive(fl_queue *q, bool take, fl_event *out, size_t max)
{
    gsl_rng *r = fl_rng_new(11, 2);
    fl_event ev = { 0 };
    for (int i = 0; i < 64; i++) {
        ev.time = fl_rng_between(r, 0, 50);
        ev.a = (int16_t)i;
        fl_queue_push(q, &ev, i % 5 ? FL_CLASS_NORMAL : FL_CLASS_FAULT);
    }
    size_t n = 0;
    while (n < max && (take ? fl_queue_take(q, &ev) : fl_queue_pop(q, &ev))) {
        out[n++] = ev;
        int64_t pushes = n < max - 200 ? fl_rng_between(r, 0, 2) : 0;
        for (int64_t k = 0; k < pushes; k++) {
            fl_event nx = { .time = ev.time + fl_rng_between(r, 0, 30),
                            .a = (int16_t)(n * 3 + (size_t)k) };
            fl_queue_push(q, &nx, k ? FL_CLASS_FAULT : FL_CLASS_NORMAL);
        }
        if (take && n % 7 == 0)
            fl_queue_settle(q);
    }
    gsl_rng_free(r);
    return n;
}

static bool same_events(const fl_event *x, const fl_event *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i].time != y[i].time || x[i].order != y[i].order || x[i].a != y[i].a)
            return false;
    return true;
}

/* A take followed by pushes (the root replaced in place) gives out the
 * same events in the same order as pop and push. */
static void test_queue_take(void)
{
    enum { MAX = 5000 };
    fl_event *a = calloc(MAX, sizeof *a), *b = calloc(MAX, sizeof *b);
    CU_ASSERT_FATAL(a && b);
    fl_queue q1, q2;
    fl_queue_init(&q1);
    fl_queue_init(&q2);
    size_t na = queue_drive(&q1, false, a, MAX);
    size_t nb = queue_drive(&q2, true, b, MAX);
    CU_ASSERT(na > 1000);
    CU_ASSERT_EQUAL(na, nb);
    CU_ASSERT(same_events(a, b, na < nb ? na : nb));
    bool ordered = true;                  /* time never goes back */
    for (size_t i = 1; i < na; i++)
        ordered &= a[i - 1].time <= a[i].time;
    CU_ASSERT(ordered);
    /* the comparison catches one event out of place */
    fl_event t = b[10];
    b[10] = b[11];
    b[11] = t;
    CU_ASSERT(!same_events(a, b, na));
    /* a taken root is not counted, and a push takes its place */
    fl_event ev = { .time = 1 };
    fl_queue_push(&q1, &ev, FL_CLASS_NORMAL);
    ev.time = 2;
    fl_queue_push(&q1, &ev, FL_CLASS_NORMAL);
    CU_ASSERT_EQUAL(fl_queue_len(&q1), 2);
    CU_ASSERT(fl_queue_take(&q1, &ev) && ev.time == 1);
    CU_ASSERT_EQUAL(fl_queue_len(&q1), 1);
    ev.time = 0;
    fl_queue_push(&q1, &ev, FL_CLASS_NORMAL);
    CU_ASSERT_EQUAL(fl_queue_len(&q1), 2);
    CU_ASSERT(fl_queue_pop(&q1, &ev) && ev.time == 0);
    CU_ASSERT(fl_queue_take(&q1, &ev) && ev.time == 2);
    CU_ASSERT(fl_queue_empty(&q1));
    CU_ASSERT(!fl_queue_pop(&q1, &ev));
    fl_queue_destroy(&q1);
    fl_queue_destroy(&q2);
    free(a);
    free(b);
}

/* ---- messages -------------------------------------------------------------------- */

/* Freed blocks are reused by size class; the bytes in flight are counted
 * through allocation, copy and free. */
static void test_msg_pool(void)
{
    fl_msg_pool p;
    fl_msg_pool_init(&p);
    fl_msg *a = fl_msg_alloc(&p, 8), *b = fl_msg_alloc(&p, 100);
    CU_ASSERT_FATAL(a && b);
    CU_ASSERT_EQUAL(p.in_flight, 108);
    memset(b->data, 7, 100);
    b->id = 42;
    fl_msg *c = fl_msg_copy(b);
    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT(c != b && c->id == 42 && c->len == 100 && c->data[99] == 7);
    CU_ASSERT_EQUAL(p.in_flight, 208);
    fl_msg_free(a);
    CU_ASSERT_EQUAL(p.in_flight, 200);
    fl_msg *d = fl_msg_alloc(&p, 16);      /* the same class as 8 bytes */
    CU_ASSERT(d == a);
    fl_msg *big = fl_msg_alloc(&p, (size_t)1 << 20);   /* past the classes */
    CU_ASSERT_FATAL(big != NULL);
    CU_ASSERT_EQUAL(big->size_class, FL_MSG_POOL_CLASSES);
    fl_msg_free(big);
    CU_ASSERT_EQUAL(p.in_flight, 216);
    fl_msg_free(b);
    fl_msg_free(c);
    fl_msg_free(d);
    fl_msg_free(NULL);
    CU_ASSERT_EQUAL(p.in_flight, 0);
    CU_ASSERT(p.pooled > 0 && p.pooled <= FL_MSG_POOL_MAX_BYTES);
    fl_msg_pool_destroy(&p);
    CU_ASSERT_EQUAL(p.pooled, 0);
}

/* ---- trace records ---------------------------------------------------------------- */

static void kind_by_first_byte(const void *msg, size_t len, fl_msg_info *info)
{
    const uint8_t *b = msg;
    info->kind = len && b[0] == 'A' ? "Alpha" : len && b[0] == 'B' ? "Beta" : "Other";
}

/* The records of a run that writes no file (fl_trace_message,
 * fl_trace_event) hash as fl_trace_record does, and the ring still names
 * each message's kind, small ones (kept inline) and large ones alike. */
static void test_trace_fast_records(void)
{
    fl_msg_pool p;
    fl_msg_pool_init(&p);
    fl_msg *small = fl_msg_alloc(&p, 8), *big = fl_msg_alloc(&p, 100);
    CU_ASSERT_FATAL(small && big);
    memset(small->data, 'A', 8);
    memset(big->data, 'B', 100);
    fl_msg *ms[2] = { small, big };
    for (int i = 0; i < 2; i++) {
        ms[i]->id = (uint64_t)i + 7;
        ms[i]->from = 1;
        ms[i]->to = 2;
        ms[i]->channel = FL_CH_ALG;
        ms[i]->desc.done = false;
    }
    fl_trace fast, slow;
    fl_trace_init(&fast, kind_by_first_byte);
    fl_trace_init(&slow, kind_by_first_byte);
    fl_trace_keep_recent(&fast);      /* slow keeps no ring: the same hash */
    for (int i = 0; i < 2; i++) {
        fl_trace_message(&fast, 5, FL_TR_DELIVER, ms[i], NULL, NULL);
        fl_trace_rec r = { .time = 5, .type = FL_TR_DELIVER, .node = 2, .peer = 1,
                           .id = ms[i]->id, .a = FL_CH_ALG, .b = (int64_t)ms[i]->len,
                           .payload = ms[i]->data, .len = ms[i]->len,
                           .channel = FL_CH_ALG };
        fl_trace_record(&slow, &r);
    }
    fl_trace_event(&fast, 6, FL_TR_TIMER, 3, FL_NO_NODE, 9, 1, 2, "tick");
    fl_trace_rec t = { .time = 6, .type = FL_TR_TIMER, .node = 3, .peer = FL_NO_NODE,
                       .id = 9, .a = 1, .b = 2, .text = "tick" };
    fl_trace_record(&slow, &t);
    CU_ASSERT_EQUAL(fast.hash, slow.hash);
    CU_ASSERT_EQUAL(fast.count, 3);
    /* a record that differs in one payload byte hashes differently */
    fl_trace other;
    fl_trace_init(&other, kind_by_first_byte);
    big->data[99] = 'C';
    fl_trace_message(&other, 5, FL_TR_DELIVER, small, NULL, NULL);
    fl_trace_message(&other, 5, FL_TR_DELIVER, big, NULL, NULL);
    fl_trace_event(&other, 6, FL_TR_TIMER, 3, FL_NO_NODE, 9, 1, 2, "tick");
    CU_ASSERT_NOT_EQUAL(other.hash, fast.hash);
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    CU_ASSERT_FATAL(f != NULL);
    fl_trace_print_recent(&fast, f, "");
    fclose(f);
    CU_ASSERT(text && strstr(text, "Alpha") && strstr(text, "Beta") && strstr(text, "tick"));
    free(text);
    /* without fl_trace_keep_recent, nothing is kept */
    f = open_memstream(&text, &n);
    CU_ASSERT_FATAL(f != NULL);
    fl_trace_print_recent(&slow, f, "");
    fclose(f);
    CU_ASSERT(n == 0);
    free(text);
    fl_trace_destroy(&fast);
    fl_trace_destroy(&slow);
    fl_trace_destroy(&other);
    fl_msg_free(small);
    fl_msg_free(big);
    fl_msg_pool_destroy(&p);
}

/* ---- disk ------------------------------------------------------------------------ */

static void test_disk_crash(void)
{
    fl_disk *d = fl_disk_new();
    char buf[16];
    CU_ASSERT_EQUAL(fl_disk_do_write(d, "a", 0, "hello", 5), 0);
    fl_disk_do_sync(d, 0, 100);
    CU_ASSERT_EQUAL(fl_disk_do_write(d, "a", 5, "world", 5), 0);
    CU_ASSERT_EQUAL(fl_disk_do_read(d, "a", 0, buf, sizeof buf), 10);
    /* crash before the sync completed: nothing survives, not even the file */
    fl_disk_crash(d, 50, -1);
    CU_ASSERT_EQUAL(fl_disk_do_size(d, "a"), -1);

    CU_ASSERT_EQUAL(fl_disk_do_write(d, "a", 0, "hello", 5), 0);
    fl_disk_do_sync(d, 100, 200);
    CU_ASSERT_EQUAL(fl_disk_do_write(d, "a", 5, "world", 5), 0);
    fl_disk_crash(d, 300, -1);        /* the sync had completed */
    CU_ASSERT_EQUAL(fl_disk_do_read(d, "a", 0, buf, sizeof buf), 5);
    CU_ASSERT_EQUAL(memcmp(buf, "hello", 5), 0);

    CU_ASSERT_EQUAL(fl_disk_do_write(d, "a", 5, "world", 5), 0);
    fl_disk_crash(d, 400, 2);         /* torn: keeps "wo" */
    CU_ASSERT_EQUAL(fl_disk_do_read(d, "a", 0, buf, sizeof buf), 7);
    CU_ASSERT_EQUAL(memcmp(buf, "hellowo", 7), 0);

    CU_ASSERT_EQUAL(fl_disk_do_truncate(d, "a", 2), 0);
    fl_disk_do_sync(d, 500, 501);
    fl_disk_crash(d, 600, -1);
    CU_ASSERT_EQUAL(fl_disk_do_size(d, "a"), 2);
    fl_disk_free(d);
}

/* A torn crash keeps a prefix of the unsynced operations in the order they
 * were issued, the last write torn: a truncation issued before the torn
 * write is applied with it, never dropped while the later write stays
 * (that state no power failure of an in-order disk can leave). */
static void test_disk_torn_prefix(void)
{
    fl_disk *d = fl_disk_new();
    char buf[16];
    /* synced: "abcdefgh" */
    CU_ASSERT_EQUAL(fl_disk_do_write(d, "log", 0, "abcdefgh", 8), 0);
    fl_disk_do_sync(d, 0, 10);
    /* unsynced, in order: truncate to 4 ("abcd"), write "XY" at 4, write "zz" at 6 */
    CU_ASSERT_EQUAL(fl_disk_do_truncate(d, "log", 4), 0);
    CU_ASSERT_EQUAL(fl_disk_do_write(d, "log", 4, "XY", 2), 0);
    CU_ASSERT_EQUAL(fl_disk_do_write(d, "log", 6, "zz", 2), 0);
    CU_ASSERT_EQUAL(fl_disk_first_pending_len(d, 20), 2);
    fl_disk_crash(d, 20, 1);        /* torn: "X" of the first write survives */
    /* prefix: the truncation, then "X"; not "abcdXfgh" (the old suffix
     * after a write that followed its truncation), and not "zz" */
    CU_ASSERT_EQUAL(fl_disk_do_read(d, "log", 0, buf, sizeof buf), 5);
    CU_ASSERT_EQUAL(memcmp(buf, "abcdX", 5), 0);

    /* the same ops, a crash without a tear: nothing unsynced survives */
    CU_ASSERT_EQUAL(fl_disk_do_truncate(d, "log", 2), 0);
    CU_ASSERT_EQUAL(fl_disk_do_write(d, "log", 2, "QQ", 2), 0);
    fl_disk_crash(d, 30, -1);
    CU_ASSERT_EQUAL(fl_disk_do_read(d, "log", 0, buf, sizeof buf), 5);
    CU_ASSERT_EQUAL(memcmp(buf, "abcdX", 5), 0);

    /* a sync in flight is not yet durable: the tear applies to its ops */
    CU_ASSERT_EQUAL(fl_disk_do_truncate(d, "log", 3), 0);
    CU_ASSERT_EQUAL(fl_disk_do_write(d, "log", 3, "RS", 2), 0);
    fl_disk_do_sync(d, 40, 100);
    fl_disk_crash(d, 50, 2);        /* before the sync's end: torn, all of "RS" kept */
    CU_ASSERT_EQUAL(fl_disk_do_read(d, "log", 0, buf, sizeof buf), 5);
    CU_ASSERT_EQUAL(memcmp(buf, "abcRS", 5), 0);
    fl_disk_free(d);
}

/* Many files, most truncated to nothing: each is still found by name
 * (before and after a crash compacts the list), and truncated data is
 * given back, durable copies included. */
static void test_disk_many_files(void)
{
    fl_disk *d = fl_disk_new();
    char name[32], big[4096];
    memset(big, 'x', sizeof big);
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "seg-%d", i);
        CU_ASSERT_EQUAL(fl_disk_do_write(d, name, 0, big, sizeof big), 0);
    }
    fl_disk_do_sync(d, 0, 10);
    for (int i = 0; i < 300; i += 2) {
        snprintf(name, sizeof name, "seg-%d", i);
        CU_ASSERT_EQUAL(fl_disk_do_truncate(d, name, 0), 0);
    }
    CU_ASSERT_EQUAL(fl_disk_do_write(d, "late", 0, "x", 1), 0);  /* never synced */
    fl_disk_do_sync(d, 20, 30);
    fl_disk_crash(d, 40, -1);      /* "late" was synced at 30: it survives */
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "seg-%d", i);
        CU_ASSERT_EQUAL(fl_disk_do_size(d, name), i % 2 ? 4096 : 0);
    }
    CU_ASSERT_EQUAL(fl_disk_do_size(d, "late"), 1);
    CU_ASSERT_EQUAL(fl_disk_do_size(d, "seg-300"), -1);
    CU_ASSERT_EQUAL(fl_disk_bytes(d), 150 * 4096 + 1);
    /* live data is 150 * 4 KiB twice (current and durable) plus "late" */
    CU_ASSERT(fl_disk_mem_bytes(d) <= 2 * 150 * 4096 + 2 * 64);
    for (int i = 1; i < 300; i += 2) {
        snprintf(name, sizeof name, "seg-%d", i);
        CU_ASSERT_EQUAL(fl_disk_do_truncate(d, name, 10), 0);
    }
    fl_disk_do_sync(d, 50, 60);
    fl_disk_do_sync(d, 70, 80);    /* settles the truncations */
    CU_ASSERT(fl_disk_mem_bytes(d) <= 2 * 150 * 64 + 2 * 64);
    fl_disk_free(d);
}

/* ---- end to end ----------------------------------------------------------------------- */

static void test_kv_runs(void)
{
    run_result r;
    CU_ASSERT_FATAL(run_json(KV_BASE "}", 1, &r) == 0);
    CU_ASSERT(r.st.ops_ok > 100);
    CU_ASSERT(r.st.dropped > 0);
    CU_ASSERT(r.st.duplicated > 0);
    CU_ASSERT(r.st.delivered > 0);
    CU_ASSERT(r.st.syncs > 0);
    CU_ASSERT_EQUAL(r.hist_len, 2 * (r.st.ops_ok + r.st.ops_fail + r.st.ops_info));
}

static void test_determinism(void)
{
    run_result a, b, c, d;
    const char *j = KV_BASE ",\"faults\":[{\"at_ms\":1000,\"type\":\"crash\",\"node\":0},"
                    "{\"at_ms\":1500,\"type\":\"restart\",\"node\":0}]}";
    CU_ASSERT_FATAL(run_json(j, 99, &a) == 0);
    CU_ASSERT_FATAL(run_json(j, 99, &b) == 0);
    CU_ASSERT_FATAL(run_json(j, 100, &c) == 0);
    CU_ASSERT_FATAL(run_json(j, 99 + (UINT64_C(1) << 33), &d) == 0);
    CU_ASSERT_EQUAL(a.hash, b.hash);
    CU_ASSERT_EQUAL(a.st.events, b.st.events);
    CU_ASSERT_NOT_EQUAL(a.hash, c.hash);
    CU_ASSERT_NOT_EQUAL(a.hash, d.hash);
}

static void test_partition_drops(void)
{
    run_result base, cut;
    CU_ASSERT_FATAL(run_json(KV_BASE "}", 5, &base) == 0);
    const char *j = KV_BASE ",\"faults\":[{\"at_ms\":500,\"type\":\"partition\","
                    "\"groups\":[[0],\"rest\"]},{\"at_ms\":2000,\"type\":\"heal\"}]}";
    CU_ASSERT_FATAL(run_json(j, 5, &cut) == 0);
    CU_ASSERT(cut.st.faults_applied == 2);
    CU_ASSERT(cut.st.dropped > base.st.dropped);
    CU_ASSERT(cut.st.ops_info > base.st.ops_info);  /* clients cut from server 0 time out */
    CU_ASSERT(cut.st.ops_ok > 0);
}

static void test_partition_replaces(void)
{
    /* Server 0 is cut off at 500 ms and stays cut in A; in B a second
     * partition (isolating server 1 instead) replaces the first, so server
     * 0 serves again without any heal. */
    run_result a, b;
    const char *ja = KV_BASE ",\"faults\":[{\"at_ms\":500,\"type\":\"partition\","
                     "\"groups\":[[0],\"rest\"]}]}";
    const char *jb = KV_BASE ",\"faults\":[{\"at_ms\":500,\"type\":\"partition\","
                     "\"groups\":[[0],\"rest\"]},{\"at_ms\":1000,\"type\":\"partition\","
                     "\"groups\":[[1],\"rest\"]}]}";
    CU_ASSERT_FATAL(run_json(ja, 5, &a) == 0);
    CU_ASSERT_FATAL(run_json(jb, 5, &b) == 0);
    CU_ASSERT(b.st.ops_ok > 2 * a.st.ops_ok);
}

static void test_crash_restart_keeps_acked(void)
{
    /* Server 0 crashes and restarts; every acknowledged write was synced,
     * so after the restart the server answers again. */
    run_result r;
    const char *j = KV_BASE ",\"faults\":[{\"at_ms\":1000,\"type\":\"crash\",\"node\":0,\"torn\":true},"
                    "{\"at_ms\":1200,\"type\":\"restart\",\"node\":\"crashed\"}]}";
    CU_ASSERT_FATAL(run_json(j, 3, &r) == 0);
    CU_ASSERT_EQUAL(r.st.crashes, 1);
    CU_ASSERT_EQUAL(r.st.restarts, 1);
    CU_ASSERT(r.st.ops_ok > 100);
}

static void test_pause_and_selectors(void)
{
    run_result r;
    const char *j = KV_BASE ",\"faults\":[{\"at_ms\":500,\"type\":\"pause\",\"node\":\"leader\",\"duration_ms\":400},"
                    "{\"at_ms\":1000,\"type\":\"clock\",\"node\":\"client:1\",\"skew_ms\":50,\"drift_ppm\":1000},"
                    "{\"at_ms\":1100,\"type\":\"restart\",\"node\":\"crashed\"}]}";
    CU_ASSERT_FATAL(run_json(j, 3, &r) == 0);
    /* pause + clock applied; "crashed" matched nobody and was skipped */
    CU_ASSERT_EQUAL(r.st.faults_applied, 2);
    CU_ASSERT_EQUAL(r.st.faults_skipped, 1);
}

static void test_nemesis(void)
{
    run_result r;
    const char *j = KV_BASE ",\"faults\":[{\"type\":\"nemesis\",\"kind\":\"random-crash\","
                    "\"every_ms\":[200,400],\"down_ms\":[100,200],\"max_down\":1}]}";
    CU_ASSERT_FATAL(run_json(j, 11, &r) == 0);
    CU_ASSERT(r.st.crashes >= 3);
    CU_ASSERT(r.st.restarts >= r.st.crashes - 1);
}

static void test_plugin_errors(void)
{
    fl_error err = { { 0 } };
    CU_ASSERT_PTR_NULL(fl_plugin_open("/nonexistent/x.so", &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent/x.so"));
    CU_ASSERT_PTR_NOT_NULL(fl_registry_find("kv-single"));
    CU_ASSERT_PTR_NULL(fl_registry_find("no-such"));
}

static const fl_cu_test rng_tests[] = {
    { "streams and 64-bit seeds", test_rng_streams },
    { "between: the draws of the division, without one", test_rng_between_exact },
    { "latencies rounded as llround rounds them", test_latency_rounding },
    { NULL, NULL },
};
static const fl_cu_test queue_tests[] = {
    { "(time, class, seq) order", test_queue_order },
    { "take and replace: the order of pop and push", test_queue_take },
    { "message blocks reused, bytes in flight counted", test_msg_pool },
    { "records without a file: same hash, ring names kinds", test_trace_fast_records },
    { NULL, NULL },
};
static const fl_cu_test disk_tests[] = {
    { "crash keeps only synced data", test_disk_crash },
    { "a torn crash keeps an in-order prefix", test_disk_torn_prefix },
    { "many files: found by name, truncated data freed", test_disk_many_files },
    { NULL, NULL },
};
/* What the engine tells invariants of a step (fl_engine_step_info), of a
 * late timer and of manual delivery: a timer fired on time and one fired
 * late after time moved past it, a message handed over, the timers a
 * step set. */
static void test_step_info(void)
{
    fl_scenario *s = scn(KV_BASE "}");
    CU_ASSERT_FATAL(s != NULL);
    fl_error err;
    fl_engine *e = fl_engine_new(s, &fl_kv_algorithm, 1, s->duration, &err);
    CU_ASSERT_FATAL(e != NULL);
    CU_ASSERT(fl_engine_timed(e));
    fl_manual *m = fl_manual_new(e);
    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT(!fl_engine_timed(e));
    CU_ASSERT_EQUAL(fl_engine_step_info(e)->cause, FL_CAUSE_BOOT);
    /* Two timers due at different times: fire the later one first. */
    size_t early = SIZE_MAX, late = SIZE_MAX;
    for (size_t i = 0; i < fl_manual_count(m); i++) {
        const fl_pending *p = fl_manual_at(m, i);
        if (p->kind != FL_PENDING_TIMER)
            continue;
        if (early == SIZE_MAX)
            early = i;
        else if (p->at > fl_manual_at(m, early)->at && p->node != fl_manual_at(m, early)->node)
            late = i;
    }
    CU_ASSERT_FATAL(early != SIZE_MAX && late != SIZE_MAX);
    fl_pending first = *fl_manual_at(m, early), second = *fl_manual_at(m, late);
    CU_ASSERT(!fl_engine_node_timer_late(e, first.node));
    CU_ASSERT(fl_manual_fire(m, late, NULL) == 1);
    const fl_step_info *st = fl_engine_step_info(e);
    CU_ASSERT_EQUAL(st->node, second.node);
    CU_ASSERT_EQUAL(st->cause, FL_CAUSE_TIMER);
    CU_ASSERT_EQUAL(st->timer, second.timer_kind);
    CU_ASSERT_EQUAL(st->timer_due, fl_engine_now(e));       /* on time */
    CU_ASSERT(fl_engine_node_timer_late(e, first.node));     /* held back */
    for (size_t i = 0; i < fl_manual_count(m); i++)
        if (fl_manual_at(m, i)->kind == FL_PENDING_TIMER &&
            fl_manual_at(m, i)->id == first.id) {
            CU_ASSERT(fl_manual_fire(m, i, NULL) == 1);
            break;
        }
    st = fl_engine_step_info(e);
    CU_ASSERT_EQUAL(st->node, first.node);
    CU_ASSERT(st->timer_due < fl_engine_now(e));             /* fired late */
    for (size_t i = 0; i < fl_manual_count(m); i++)
        if (fl_manual_at(m, i)->kind == FL_PENDING_MESSAGE) {
            fl_node_id to = fl_manual_at(m, i)->to;
            CU_ASSERT(fl_manual_fire(m, i, NULL) == 1);
            CU_ASSERT_EQUAL(fl_engine_step_info(e)->node, to);
            CU_ASSERT_EQUAL(fl_engine_step_info(e)->cause, FL_CAUSE_MESSAGE);
            break;
        }
    /* Any timer the step set is reported with its due. */
    st = fl_engine_step_info(e);
    for (int k = 0; k < FL_TIMER_KIND_COUNT; k++)
        if (st->set & (1u << k))
            CU_ASSERT(st->set_due[k] >= fl_engine_now(e));
    fl_manual_free(m);
    fl_engine_free(e);
    fl_scenario_free(s);
}

static const fl_cu_test run_tests[] = {
    { "step info, late timers, manual delivery", test_step_info },
    { "kv-single runs a workload", test_kv_runs },
    { "same seed, same hash; other seeds differ", test_determinism },
    { "partition drops and heals", test_partition_drops },
    { "a partition replaces the previous one", test_partition_replaces },
    { "crash and restart", test_crash_restart_keeps_acked },
    { "pause, clock, selectors", test_pause_and_selectors },
    { "nemesis crashes", test_nemesis },
    { "plug-in and registry errors", test_plugin_errors },
    { NULL, NULL },
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        { "rng", rng_tests },
        { "queue", queue_tests },
        { "disk", disk_tests },
        { "engine", run_tests },
        { NULL, NULL },
    };
    return fl_cu_main(suites);
}
