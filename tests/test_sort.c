/* test_sort.c — the distributed sample sort (algorithms/sort/, issue 9):
 * its codec and params as unit tests, the checks' registration, then the
 * scenarios under scenarios/sort/ end to end in this process: every
 * non-bug scenario holds every check over seeds; every bug scenario fails
 * with exactly the check it declares, and passes with its switch off; the
 * coordinator survives its own crash (torn write included) from its disk;
 * a worker's work moves when it dies, restarts or is cut off; and a batch
 * of generated fault schedules never breaks safety. */
#include <dirent.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/sort/sort.h"
#include "algorithms/sort/sort_table.h"
#include "algorithms/invariant.h"
#include "sim/engine.h"
#include "sim/batch/outcome.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"
#include "tests/cu.h"

/* ---- codec ------------------------------------------------------------------ */

static sort_assign sample_assign(void)
{
    sort_assign a;
    memset(&a, 0, sizeof a);
    a.job = UINT64_C(0x0102030405060708);
    a.epoch = 3;
    a.version = 17;
    a.n = 1000000;
    a.nw = 5;
    a.lost_mask = 4;
    a.done_mask = 9;
    a.have_splitters = true;
    for (uint32_t i = 0; i < a.nw; i++) {
        a.slice_owner[i] = (uint8_t)((i + 1) % a.nw);
        a.bucket_owner[i] = (uint8_t)i;
        a.slice_attempt[i] = i + 1;
        a.bucket_attempt[i] = 2 * i + 1;
        a.splitters[i] = UINT64_C(0xfedcba9876543210) - i;
    }
    return a;
}

static void test_assign_roundtrip(void)
{
    sort_assign a = sample_assign(), d;
    sort_buf b = { 0 };
    size_t len = sort_enc_assign(&b, &a);
    CU_ASSERT_TRUE_FATAL(len > 0);
    CU_ASSERT_EQUAL(b.p[0], SORT_M_ASSIGN);
    CU_ASSERT_EQUAL(b.p[1], 0x08);          /* little-endian job */
    CU_ASSERT_TRUE(sort_dec_assign(b.p, len, &d));
    CU_ASSERT_EQUAL(d.job, a.job);
    CU_ASSERT_EQUAL(d.epoch, 3);
    CU_ASSERT_EQUAL(d.version, 17);
    CU_ASSERT_EQUAL(d.n, 1000000);
    CU_ASSERT_EQUAL(d.nw, 5);
    CU_ASSERT_EQUAL(d.lost_mask, 4);
    CU_ASSERT_EQUAL(d.done_mask, 9);
    CU_ASSERT_TRUE(d.have_splitters);
    for (uint32_t i = 0; i < a.nw; i++) {
        CU_ASSERT_EQUAL(d.slice_owner[i], a.slice_owner[i]);
        CU_ASSERT_EQUAL(d.bucket_attempt[i], a.bucket_attempt[i]);
        if (i + 1 < a.nw)
            CU_ASSERT_EQUAL(d.splitters[i], a.splitters[i]);
    }
    /* every truncation, one byte too many, a bad owner: all rejected */
    for (size_t k = 0; k < len; k++)
        CU_ASSERT_FALSE(sort_dec_assign(b.p, k, &d));
    uint8_t *longer = malloc(len + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(longer);
    memcpy(longer, b.p, len);
    longer[len] = 0;
    CU_ASSERT_FALSE(sort_dec_assign(longer, len + 1, &d));
    free(longer);
    a.bucket_owner[2] = 5;                   /* only 5 workers */
    len = sort_enc_assign(&b, &a);
    CU_ASSERT_FALSE(sort_dec_assign(b.p, len, &d));
    a = sample_assign();
    a.nw = 0;
    len = sort_enc_assign(&b, &a);
    CU_ASSERT_FALSE(sort_dec_assign(b.p, len, &d));
    sort_buf_free(&b);
}

static void test_data_roundtrip(void)
{
    uint64_t elems[3] = { 1, UINT64_C(0x8000000000000001), 42 };
    sort_hdr h = { .type = SORT_M_PIECE, .job = 99, .a = 2, .b = 3, .c = 4, .count = 3 }, d;
    sort_buf b = { 0 };
    size_t len = sort_enc_data(&b, &h, elems);
    CU_ASSERT_EQUAL(len, 1 + 8 + 12 + 8 + 24);
    const uint8_t *raw = NULL;
    CU_ASSERT_TRUE(sort_dec_data(b.p, len, &d, &raw));
    CU_ASSERT_EQUAL(d.type, SORT_M_PIECE);
    CU_ASSERT_EQUAL(d.job, 99);
    CU_ASSERT_EQUAL(d.a, 2);
    CU_ASSERT_EQUAL(d.b, 3);
    CU_ASSERT_EQUAL(d.c, 4);
    CU_ASSERT_EQUAL(d.count, 3);
    for (uint64_t i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(sort_elem_at(raw, i), elems[i]);
    for (size_t k = 0; k < len; k++)
        CU_ASSERT_FALSE(sort_dec_data(b.p, k, &d, &raw));
    /* a count that claims more elements than the message carries */
    b.p[21] = 4;
    CU_ASSERT_FALSE(sort_dec_data(b.p, len, &d, &raw));
    sort_buf_free(&b);

    sort_beat beat = { .job = 7, .incarnation = 2, .version = 5, .have_slices = 6,
                       .stage = SORT_ST_SORTING, .bucket_keys = 1234 }, e;
    len = sort_enc_beat(&b, &beat);
    CU_ASSERT_TRUE(sort_dec_beat(b.p, len, &e));
    CU_ASSERT_EQUAL(e.incarnation, 2);
    CU_ASSERT_EQUAL(e.have_slices, 6);
    CU_ASSERT_EQUAL(e.bucket_keys, 1234);
    CU_ASSERT_FALSE(sort_dec_beat(b.p, len - 1, &e));
    CU_ASSERT_FALSE(sort_dec_data(b.p, len, &d, &raw));   /* not a data message */
    sort_buf_free(&b);
}

static void test_describe(void)
{
    sort_assign a = sample_assign();
    sort_buf b = { 0 };
    fl_msg_info info;
    size_t len = sort_enc_assign(&b, &a);
    fl_sort_algorithm.describe(b.p, len, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "Assign");
    CU_ASSERT_EQUAL(info.term, 17);
    sort_hdr h = { .type = SORT_M_RESULT_ACK, .job = 1 };
    len = sort_enc_data(&b, &h, NULL);
    fl_sort_algorithm.describe(b.p, len, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "ResultAck");
    CU_ASSERT_TRUE(info.is_reply);
    fl_sort_algorithm.describe(b.p, 0, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "?");
    sort_buf_free(&b);
}

/* ---- helpers and params ------------------------------------------------------- */

static void test_helpers(void)
{
    uint64_t sp[3] = { 10, 20, 30 };
    CU_ASSERT_EQUAL(sort_bucket_of(sp, 4, 0), 0);
    CU_ASSERT_EQUAL(sort_bucket_of(sp, 4, 9), 0);
    CU_ASSERT_EQUAL(sort_bucket_of(sp, 4, 10), 1);
    CU_ASSERT_EQUAL(sort_bucket_of(sp, 4, 29), 2);
    CU_ASSERT_EQUAL(sort_bucket_of(sp, 4, 30), 3);
    CU_ASSERT_EQUAL(sort_bucket_of(sp, 4, UINT64_MAX), 3);
    CU_ASSERT_EQUAL(sort_bucket_of(sp, 1, 5), 0);
    sort_params p = { .sort_ns_per_key = 10 };
    CU_ASSERT_EQUAL(sort_cost(&p, 1024), 1024 * 10 * 10);
    CU_ASSERT_EQUAL(sort_cost(&p, 0), 0);
    p.sort_ns_per_key = 0;
    CU_ASSERT_EQUAL(sort_cost(&p, 1000000), 0);
    uint64_t v[5] = { 5, 1, 4, 1, 3 };
    sort_u64_sort(v, 5);
    CU_ASSERT_TRUE(v[0] == 1 && v[1] == 1 && v[2] == 3 && v[3] == 4 && v[4] == 5);
}

/* validate(params) and the message it gives. */
static int validate(const char *json, char *err, size_t len)
{
    cJSON *j = cJSON_Parse(json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    err[0] = '\0';
    int r = fl_sort_algorithm.validate(j, err, len);
    cJSON_Delete(j);
    return r;
}

static void test_params(void)
{
    char err[256];
    sort_params p;
    CU_ASSERT_EQUAL(sort_params_parse(NULL, &p, err, sizeof err), 0);
    CU_ASSERT_EQUAL(p.keys, 10000);
    CU_ASSERT_EQUAL(p.dist, SORT_DIST_UNIFORM);
    CU_ASSERT_EQUAL(p.done_within_ms, -1);
    CU_ASSERT_EQUAL(validate("{\"keys\": 5, \"dist\": \"zipf\", \"bugs\": "
                             "[\"one-sample\", \"no-reassign\"]}", err, sizeof err), 0);
    static const struct { const char *json, *key; } bad[] = {
        { "{\"keys\": 0}", "keys:" },
        { "{\"keys\": 1.5}", "keys:" },
        { "{\"keys\": 20000000}", "keys:" },
        { "{\"dist\": \"normal\"}", "dist:" },
        { "{\"dist\": 3}", "dist:" },
        { "{\"samples\": 0}", "samples:" },
        { "{\"heartbeat_ms\": \"50\"}", "heartbeat_ms:" },
        { "{\"heartbeat_ms\": 100, \"worker_timeout_ms\": 100}", "worker_timeout_ms:" },
        { "{\"retry_ms\": -1}", "retry_ms:" },
        { "{\"sort_ns_per_key\": -5}", "sort_ns_per_key:" },
        { "{\"done_within_ms\": 0}", "done_within_ms:" },
        { "{\"bugs\": \"one-sample\"}", "bugs:" },
        { "{\"bugs\": [\"off-by-one\"]}", "bugs:" },
        { "{\"colour\": 1}", "colour:" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_EQUAL(validate(bad[i].json, err, sizeof err), -1);
        if (strncmp(err, bad[i].key, strlen(bad[i].key)))
            fprintf(stderr, "\n  %s: \"%s\"\n", bad[i].json, err);
        CU_ASSERT_EQUAL(strncmp(err, bad[i].key, strlen(bad[i].key)), 0);
    }
}

static void test_registered(void)
{
    CU_ASSERT_PTR_EQUAL(fl_registry_find("sort"), &fl_sort_algorithm);
    CU_ASSERT_STRING_EQUAL(fl_sort_algorithm.roles[0].name, "coordinator");
    CU_ASSERT_STRING_EQUAL(fl_sort_algorithm.roles[1].name, "worker");
    CU_ASSERT_PTR_NULL(fl_sort_algorithm.roles[2].name);
    size_t n = 0;
    const fl_invariant *const *inv = fl_invariants_for("sort", &n);
    CU_ASSERT_EQUAL_FATAL(n, 4);
    const char *names[] = { "sort.sorted", "sort.permutation", "sort.balance",
                            "sort.liveness" };
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_STRING_EQUAL(inv[i]->name, names[i]);
}

/* ---- end to end, in this process ---------------------------------------------------- */

/* Runs a scenario (a file, or JSON text when `text` is set) and, when
 * `view` is set, copies the coordinator's last view and stats out. */
typedef struct run_out {
    fl_outcome o;
    char       label[32];
    int64_t    epoch, reassigned, n, collected, out_len;
    bool       ran;
} run_out;

static int64_t view_scalar(const fl_view *v, const char *name)
{
    for (size_t i = 0; i < v->nscalars; i++)
        if (!strcmp(v->scalars[i].name, name))
            return v->scalars[i].value;
    return -1;
}

static void run_scenario(const char *path, const char *text, uint64_t seed, run_out *r)
{
    memset(r, 0, sizeof *r);
    fl_error err = { { 0 } };
    fl_scenario *s = text ? fl_scenario_parse(text, strlen(text), "(test)", &err)
                          : fl_scenario_load(path, &err);
    if (!s || fl_scenario_bind(s, &fl_sort_algorithm, &err) < 0) {
        fprintf(stderr, "\n  %s: %s\n", path ? path : "(text)", err.msg);
        fl_scenario_free(s);
        return;
    }
    fl_run_spec spec = { .seed = seed ? seed : s->seed, .twice = false };
    fl_outcome_run(s, &fl_sort_algorithm, &spec, &r->o);
    /* a second engine, to look at the final views */
    fl_engine *e = fl_engine_new(s, &fl_sort_algorithm, spec.seed, s->duration, &err);
    if (e) {
        fl_engine_run(e);
        const fl_view *v = fl_engine_node_view(e, 0);
        snprintf(r->label, sizeof r->label, "%s", v && v->label ? v->label : "");
        r->epoch = v ? v->term : -1;
        r->reassigned = v ? view_scalar(v, "reassigned") : -1;
        r->n = v ? view_scalar(v, "n") : -1;
        r->collected = v ? view_scalar(v, "collected") : -1;
        r->out_len = v ? v->log_last + 1 : -1;
        fl_engine_free(e);
    }
    fl_scenario_free(s);
    r->ran = true;
}

/* The scenario files of scenarios/sort/SUB, sorted; NULL-terminated. */
static char **list_scenarios(const char *sub)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/scenarios/sort%s", fl_cu_srcdir(), sub);
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = calloc(128, sizeof *names);
    size_t n = 0;
    struct dirent *de;
    while (names && n < 127 && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") ||
            strcmp(de->d_name, "suite.json") == 0)
            continue;
        names[n] = malloc(strlen(dir) + len + 2);
        if (!names[n])
            break;
        sprintf(names[n], "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    return names;
}

static void free_list(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

static void test_scenarios_pass(void)
{
    char **files = list_scenarios("");
    CU_ASSERT_FATAL(files != NULL && files[0] != NULL);
    size_t n = 0;
    for (size_t i = 0; files[i]; i++, n++)
        for (uint64_t seed = 0; seed <= 4; seed++) {
            run_out r;
            run_scenario(files[i], NULL, seed, &r);
            CU_ASSERT_TRUE_FATAL(r.ran);
            if (r.o.kind != FL_OUT_PASS)
                fprintf(stderr, "\n  %s seed %" PRIu64 ": %s\n", files[i], seed, r.o.detail);
            CU_ASSERT_EQUAL(r.o.kind, FL_OUT_PASS);
            CU_ASSERT_STRING_EQUAL(r.label, "done");
            CU_ASSERT_EQUAL(r.out_len, r.n);
            CU_ASSERT_EQUAL(r.collected, r.n);
        }
    CU_ASSERT_TRUE(n >= 6);
    free_list(files);
}

static bool read_file(const char *path, char *buf, size_t len)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return false;
    size_t n = fread(buf, 1, len - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return n > 0;
}

static void test_bugs_caught(void)
{
    static const char *const expected[][2] = {
        { "count-duplicates.json", "sort.permutation" },
        { "dup-on-retry.json", "sort.sorted" },
        { "lost-partition.json", "sort.permutation" },
        { "no-reassign.json", "sort.liveness" },
        { "one-sample.json", "sort.balance" },
        { "skip-local-sort.json", "sort.sorted" },
        { "tie-by-key.json", "sort.balance" },
    };
    char **files = list_scenarios("/bugs");
    CU_ASSERT_FATAL(files != NULL);
    size_t n = 0;
    for (size_t i = 0; files[i]; i++, n++) {
        const char *base = strrchr(files[i], '/') + 1;
        const char *want = NULL;
        for (size_t k = 0; k < sizeof expected / sizeof expected[0]; k++)
            if (!strcmp(base, expected[k][0]))
                want = expected[k][1];
        CU_ASSERT_PTR_NOT_NULL_FATAL(want);
        static char text[65536];
        CU_ASSERT_TRUE_FATAL(read_file(files[i], text, sizeof text));
        cJSON *j = cJSON_Parse(text);
        const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "expect"), "violation");
        CU_ASSERT_TRUE(cJSON_IsString(v) && !strcmp(v->valuestring, want));
        for (uint64_t seed = 0; seed <= 4; seed++) {
            run_out r;
            run_scenario(files[i], NULL, seed, &r);
            if (r.o.kind != FL_OUT_CHECK || strcmp(r.o.check, want))
                fprintf(stderr, "\n  %s seed %" PRIu64 ": \"%s\", wanted %s\n", base, seed,
                        r.o.check, want);
            CU_ASSERT_EQUAL(r.o.kind, FL_OUT_CHECK);
            CU_ASSERT_STRING_EQUAL(r.o.check, want);
        }
        /* the same scenario with the switch off holds every check */
        cJSON_DeleteItemFromObject(cJSON_GetObjectItem(j, "params"), "bugs");
        cJSON_DeleteItemFromObject(cJSON_GetObjectItem(j, "expect"), "violation");
        char *fixed = cJSON_PrintUnformatted(j);
        CU_ASSERT_PTR_NOT_NULL_FATAL(fixed);
        for (uint64_t seed = 0; seed <= 4; seed++) {
            run_out r;
            run_scenario(NULL, fixed, seed, &r);
            if (r.o.kind != FL_OUT_PASS)
                fprintf(stderr, "\n  %s without its bug, seed %" PRIu64 ": %s\n", base, seed,
                        r.o.detail);
            CU_ASSERT_EQUAL(r.o.kind, FL_OUT_PASS);
        }
        free(fixed);
        cJSON_Delete(j);
    }
    CU_ASSERT_EQUAL(n, sizeof expected / sizeof expected[0]);
    free_list(files);
}

/* The grading suite names every non-bug scenario, and each exists. */
static void test_suite_lists_scenarios(void)
{
    char path[1024];
    static char text[65536];
    snprintf(path, sizeof path, "%s/scenarios/sort/suite.json", fl_cu_srcdir());
    CU_ASSERT_TRUE_FATAL(read_file(path, text, sizeof text));
    cJSON *j = cJSON_Parse(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(j, "algorithm")->valuestring, "sort");
    char **files = list_scenarios("");
    CU_ASSERT_FATAL(files != NULL);
    size_t nfiles = 0, ntests = 0;
    for (; files[nfiles]; nfiles++) {
        const char *base = strrchr(files[nfiles], '/') + 1;
        bool listed = false;
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(j, "tests")) {
            const cJSON *sc = cJSON_GetObjectItem(t, "scenario");
            listed |= cJSON_IsString(sc) && !strcmp(sc->valuestring, base);
        }
        if (!listed)
            fprintf(stderr, "\n  %s is not in suite.json\n", base);
        CU_ASSERT_TRUE(listed);
    }
    ntests = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(j, "tests"));
    CU_ASSERT_EQUAL(ntests, nfiles);
    free_list(files);
    cJSON_Delete(j);
}

static void scenario_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/scenarios/sort/%s", fl_cu_srcdir(), name);
}

/* Work moves when a worker dies, restarts or is cut off; the coordinator
 * comes back from its disk in a new epoch. */
static void test_recovery(void)
{
    static const struct { const char *file; int64_t epoch; bool moved; } cases[] = {
        { "basic.json", 1, false },
        { "worker-crash.json", 1, true },
        { "worker-restart.json", 1, true },
        { "partition.json", 1, true },
        { "coordinator-crash.json", 2, false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1024];
        run_out r;
        scenario_path(path, sizeof path, cases[i].file);
        run_scenario(path, NULL, 0, &r);
        CU_ASSERT_EQUAL(r.o.kind, FL_OUT_PASS);
        CU_ASSERT_EQUAL(r.epoch, cases[i].epoch);
        CU_ASSERT_EQUAL(r.reassigned > 0, cases[i].moved);
    }
}

/* A coordinator that crashes before its first sync completes (so its disk
 * may hold nothing, or a torn assignment), and again later. */
static void test_coordinator_early_crash(void)
{
    const char *fmt =
        "{\"name\": \"early\", \"algorithm\": \"sort\","
        " \"params\": {\"keys\": 3000, \"done_within_ms\": 3000},"
        " \"nodes\": {\"coordinator\": 1, \"worker\": 4}, \"duration_ms\": 5000,"
        " \"disk\": {\"sync\": {\"dist\": \"constant\", \"ms\": 5}, \"torn_writes\": true},"
        " \"faults\": [{\"at_ms\": %d, \"type\": \"crash\", \"node\": \"coordinator:0\","
        " \"torn\": true}, {\"at_ms\": 300, \"type\": \"restart\", \"node\": \"crashed\"},"
        " {\"at_ms\": 320, \"type\": \"crash\", \"node\": \"coordinator:0\", \"torn\": true},"
        " {\"at_ms\": 330, \"type\": \"restart\", \"node\": \"crashed\"}]}";
    for (int at = 0; at <= 12; at += 2) {
        char text[2048];
        snprintf(text, sizeof text, fmt, at);
        for (uint64_t seed = 1; seed <= 3; seed++) {
            run_out r;
            run_scenario(NULL, text, seed, &r);
            CU_ASSERT_TRUE_FATAL(r.ran);
            if (r.o.kind != FL_OUT_PASS)
                fprintf(stderr, "\n  crash at %d ms, seed %" PRIu64 ": %s\n", at, seed,
                        r.o.detail);
            CU_ASSERT_EQUAL(r.o.kind, FL_OUT_PASS);
            CU_ASSERT_STRING_EQUAL(r.label, "done");
        }
    }
}

/* A coordinator paused longer than the liveness bound is not blamed for
 * the pause: the bound counts from its resume (it failed on seed 1 while
 * the workers stepped during the pause). A coordinator that never comes
 * back cannot finish either. A worker cut off for good is still the
 * sort's problem (no-reassign is caught by sort.liveness). */
static void test_liveness_waits_for_coordinator(void)
{
    const char *fmt =
        "{\"name\": \"paused\", \"algorithm\": \"sort\","
        " \"params\": {\"keys\": 20000, \"done_within_ms\": 1000},"
        " \"nodes\": {\"coordinator\": 1, \"worker\": 8}, \"duration_ms\": 5000,"
        " \"network\": {\"latency\": {\"dist\": \"lognormal\", \"median_ms\": 2,"
        " \"sigma\": 0.5}}, \"faults\": [%s]}";
    static const char *const faults[] = {
        "{\"at_ms\": 20, \"type\": \"pause\", \"node\": \"coordinator:0\","
        " \"duration_ms\": 1500}",
        "{\"at_ms\": 20, \"type\": \"crash\", \"node\": \"coordinator:0\"}",
    };
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, fmt, faults[i]);
        for (uint64_t seed = 1; seed <= 3; seed++) {
            run_out r;
            run_scenario(NULL, text, seed, &r);
            CU_ASSERT_TRUE_FATAL(r.ran);
            if (r.o.kind != FL_OUT_PASS)
                fprintf(stderr, "\n  %s, seed %" PRIu64 ": %s\n", faults[i], seed,
                        r.o.detail);
            CU_ASSERT_EQUAL(r.o.kind, FL_OUT_PASS);
        }
    }
}

/* Generated fault schedules: crashes with and without restarts,
 * partitions, loss and duplicates, every key distribution. While at least
 * one worker is eventually up, the sort must finish; safety must always
 * hold. */
static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void test_generated_faults(void)
{
    static const char *const dists[] = { "uniform", "zipf", "sorted", "duplicates" };
    for (uint64_t k = 0; k < 60; k++) {
        uint64_t st = k * 7919 + 1;
        unsigned nw = 1 + (unsigned)(mix(&st) % 8);
        char faults[2048] = "";
        size_t at = 0;
        int t = 0;
        unsigned nf = 1 + (unsigned)(mix(&st) % 5);
        for (unsigned f = 0; f < nf; f++) {
            t += 10 + (int)(mix(&st) % 300);
            unsigned kind = (unsigned)(mix(&st) % 3);
            unsigned w = (unsigned)(mix(&st) % nw);
            int back = t + 1 + (int)(mix(&st) % 800);
            if (kind == 0)
                at += (size_t)snprintf(faults + at, sizeof faults - at,
                    "%s{\"at_ms\": %d, \"type\": \"crash\", \"node\": \"worker:%u\", "
                    "\"torn\": true}, {\"at_ms\": %d, \"type\": \"restart\", \"node\": "
                    "\"worker:%u\"}", at ? ", " : "", t, w, back, w);
            else if (kind == 1)
                at += (size_t)snprintf(faults + at, sizeof faults - at,
                    "%s{\"at_ms\": %d, \"type\": \"crash\", \"node\": \"coordinator:0\", "
                    "\"torn\": true}, {\"at_ms\": %d, \"type\": \"restart\", \"node\": "
                    "\"coordinator:0\"}", at ? ", " : "", t, back);
            else
                at += (size_t)snprintf(faults + at, sizeof faults - at,
                    "%s{\"at_ms\": %d, \"type\": \"partition\", \"groups\": "
                    "[[\"worker:%u\"], \"rest\"]}, {\"at_ms\": %d, \"type\": \"heal\"}",
                    at ? ", " : "", t, w, back);
            CU_ASSERT_FATAL(at < sizeof faults);
        }
        char text[4096];
        snprintf(text, sizeof text,
                 "{\"name\": \"gen\", \"algorithm\": \"sort\", \"params\": {\"keys\": %u,"
                 " \"dist\": \"%s\", \"done_within_ms\": 8000}, \"nodes\": "
                 "{\"coordinator\": 1, \"worker\": %u}, \"duration_ms\": 12000,"
                 " \"network\": {\"latency\": {\"dist\": \"lognormal\", \"median_ms\": 5,"
                 " \"sigma\": 0.7}, \"drop\": %s, \"duplicate\": 0.02},"
                 " \"disk\": {\"torn_writes\": true}, \"faults\": [%s]}",
                 (unsigned)(1 + mix(&st) % 3000), dists[mix(&st) % 4], nw,
                 mix(&st) % 2 ? "0.1" : "0", faults);
        run_out r;
        run_scenario(NULL, text, k + 1, &r);
        CU_ASSERT_TRUE_FATAL(r.ran);
        if (r.o.kind != FL_OUT_PASS)
            fprintf(stderr, "\n  generated case %" PRIu64 ": %s\n  %s\n", k, r.o.detail, text);
        CU_ASSERT_EQUAL(r.o.kind, FL_OUT_PASS);
    }
}

static const fl_cu_test unit_tests[] = {
    { "assign message round trip and garbage", test_assign_roundtrip },
    { "data and heartbeat messages", test_data_roundtrip },
    { "describe", test_describe },
    { "splitter search, cost model, sort", test_helpers },
    { "params: defaults and every bad value", test_params },
    { "registered with four checks", test_registered },
    { NULL, NULL },
};

static const fl_cu_test e2e_tests[] = {
    { "every scenario holds every check over seeds", test_scenarios_pass },
    { "every bug is caught by its declared check", test_bugs_caught },
    { "the grading suite lists every scenario", test_suite_lists_scenarios },
    { "work moves; the coordinator recovers from disk", test_recovery },
    { "coordinator crashes before its first sync", test_coordinator_early_crash },
    { "liveness waits while the coordinator is out", test_liveness_waits_for_coordinator },
    { "generated fault schedules", test_generated_faults },
    { NULL, NULL },
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        { "sort units", unit_tests },
        { "sort end to end", e2e_tests },
        { NULL, NULL },
    };
    return fl_cu_main(suites);
}
