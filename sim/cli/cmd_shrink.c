/* cmd_shrink.c — `faultline shrink SCENARIO --seed N`: cut a failing run
 * down to a minimal scenario that still fails the same check (sim/batch/shrink.h
 * does the delta debugging; this file runs the candidates). Every
 * candidate runs deterministically with the same seed in a forked child
 * (so a crashing or looping implementation can be shrunk too), several at
 * once with --jobs, and the first in order that fails the same way wins,
 * whatever the timing. Writes the minimal scenario (with its seed, and
 * expect.violation naming the check) and prints the before/after sizes.
 * Exit status 0 when a scenario was written, 2 for bad usage, bad input or
 * a run that does not fail, 130 interrupted. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sim/batch/child.h"
#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/batch/outcome.h"
#include "sim/util/outfile.h"
#include "sim/scenario/jsoncheck.h"
#include "sim/scenario/scenario.h"
#include "sim/util/file.h"
#include "sim/batch/shrink.h"
#include "sim/batch/unnemesis.h"

typedef struct shrink_opts {
    const char *scenario, *impl, *out;
    uint64_t    seed;
    bool        has_seed, quiet;
    int64_t     duration_ms;
    unsigned    jobs;
    fl_child_limits limits;
} shrink_opts;

static int parse_value(shrink_opts *o, const char *a, const char *v)
{
    uint64_t n;
    double d;
    char *end;
    if (strcmp(a, "--seed") == 0) {
        if (!fl_cli_parse_u64(v, &o->seed))
            return fl_cli_usage_error("shrink", "--seed %s: expected a decimal or 0x-hex 64-bit number", v);
        o->has_seed = true;
    } else if (strcmp(a, "--duration") == 0) {
        if (!fl_cli_parse_u64(v, &n) || n == 0 || n > 1000000000ULL)
            return fl_cli_usage_error("shrink", "--duration %s: expected milliseconds in 1..1e9", v);
        o->duration_ms = (int64_t)n;
    } else if (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0) {
        if (!fl_cli_parse_u64(v, &n) || n == 0 || n > 1024)
            return fl_cli_usage_error("shrink", "--jobs %s: expected 1..1024", v);
        o->jobs = (unsigned)n;
    } else if (strcmp(a, "--cpu") == 0 || strcmp(a, "--wall") == 0 || strcmp(a, "--memory") == 0) {
        d = strtod(v, &end);
        if (*end || !(d > 0) || d > 1048576)
            return fl_cli_usage_error("shrink", "%s %s: expected a positive number", a, v);
        if (a[2] == 'c') o->limits.cpu_s = d;
        else if (a[2] == 'w') o->limits.wall_s = d;
        else o->limits.mem_bytes = (uint64_t)(d * 1048576.0);
    } else if (strcmp(a, "--impl") == 0) o->impl = v;
    else if (strcmp(a, "--out") == 0 || strcmp(a, "-o") == 0) o->out = v;
    else
        return fl_cli_usage_error("shrink", "unknown option %s", a);
    return 0;
}

static const fl_cli_opt shrink_options[] = {
    { "seed", 0, true }, { "out", 'o', true }, { "impl", 0, true },
    { "duration", 0, true }, { "jobs", 'j', true }, { "cpu", 0, true },
    { "wall", 0, true }, { "memory", 0, true }, { "quiet", 'q', false },
    { NULL, 0, false },
};

static int shrink_option(void *ctx, const char *a, const char *v)
{
    shrink_opts *o = ctx;
    if (strcmp(a, "--quiet") == 0) { o->quiet = true; return 0; }
    return parse_value(o, a, v);
}

static int shrink_operand(void *ctx, const char *a)
{
    shrink_opts *o = ctx;
    if (o->scenario)
        return fl_cli_usage_error("shrink", "more than one scenario given (\"%s\")", a);
    o->scenario = a;
    return 0;
}

/* 0, FL_CLI_DONE (--help or --version printed) or an exit status. */
static int parse_args(int argc, char **argv, shrink_opts *o)
{
    memset(o, 0, sizeof *o);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cpus > 0 ? (unsigned)cpus : 1;
    o->duration_ms = -1;
    o->limits.cpu_s = 20;
    o->limits.wall_s = 60;
    o->limits.mem_bytes = (uint64_t)1024 << 20;
    int rc = fl_cli_parse(&fl_cmd_shrink_entry, argc, argv, shrink_options,
                          shrink_option, shrink_operand, o);
    if (rc != 0)
        return rc;
    if (!o->scenario)
        return fl_cli_usage_error("shrink", "no scenario given");
    if (!o->has_seed)
        return fl_cli_usage_error("shrink", "say which failing run to shrink: --seed N");
    return 0;
}

/* ---- Running candidates ------------------------------------------------------------------- */

typedef struct shrink_run {
    const shrink_opts *o;
    fl_outcome   want;           /* the original failure */
    fl_scenario **s;             /* the batch being run (NULL: invalid) */
    fl_outcome  *res;
    bool        *finished;
    size_t       n;
    uint64_t     runs;
    fl_time      chosen_fail_at;  /* of the candidate run_batch chose */
    size_t       expanded;        /* explicit faults the nemeses became */
} shrink_run;

static void cand_work(void *ctx, size_t i, void *payload)
{
    shrink_run *sr = ctx;
    fl_run_spec spec = { .seed = sr->o->seed, .lin_timeout_s = sr->o->limits.cpu_s / 2 };
    fl_outcome *out = payload;
    if (sr->s[i]) {
        fl_outcome_run_job(sr->s[i], sr->o->impl, &spec, out);
        return;
    }
    out->magic = FL_OUTCOME_MAGIC;           /* not a valid scenario */
    out->kind = FL_OUT_ERROR;
}

static bool same_failure(const fl_outcome *a, const fl_outcome *b)
{
    return a->kind == b->kind && strcmp(a->check, b->check) == 0;
}

/* The first candidate (in order) known to fail the same way, if every one
 * before it has finished without doing so; else -1. */
static int decided(const shrink_run *sr)
{
    for (size_t i = 0; i < sr->n; i++) {
        if (!sr->s[i])
            continue;
        if (!sr->finished[i])
            return -1;
        if (same_failure(&sr->res[i], &sr->want))
            return (int)i;
    }
    return -1;
}

static bool cand_done(void *ctx, size_t i, const fl_child_result *r, const void *payload)
{
    shrink_run *sr = ctx;
    fl_outcome_from_child(r, payload, &sr->o->limits, &sr->res[i]);
    sr->finished[i] = true;
    sr->runs++;
    return decided(sr) < 0;      /* stop starting later ones once decided */
}

/* Runs one batch; the index of the first that fails the same way, -1, or
 * -2 if the runner failed or was interrupted. With `first`, the outcome of
 * candidate 0 is copied there (kind FL_OUT_ERROR if it is no scenario). */
static int run_batch(shrink_run *sr, cJSON *const *cands, size_t n, fl_outcome *first)
{
    int result = -2;
    sr->s = calloc(n, sizeof *sr->s);
    sr->res = calloc(n, sizeof *sr->res);
    sr->finished = calloc(n, sizeof *sr->finished);
    sr->n = n;
    if (sr->s && sr->res && sr->finished) {
        for (size_t i = 0; i < n; i++) {
            char *text = cJSON_Print(cands[i]);
            fl_error err = { { 0 } };
            if (text)       /* an invalid candidate simply does not fail */
                sr->s[i] = fl_scenario_parse(text, strlen(text), sr->o->scenario, &err);
            free(text);
            if (i == 0 && first && !sr->s[0]) {
                memset(first, 0, sizeof *first);
                first->kind = FL_OUT_ERROR;
                snprintf(first->detail, sizeof first->detail, "%s", err.msg);
            }
        }
        fl_child_pool pool = {
            .nitems = n, .jobs = sr->o->jobs, .limits = sr->o->limits,
            .payload_size = sizeof(fl_outcome), .work = cand_work, .done = cand_done, .ctx = sr,
        };
        fl_child_status st = fl_child_run(&pool);
        result = st == FL_CHILD_OK ? decided(sr) : -2;
        if (result >= 0)
            sr->chosen_fail_at = sr->res[result].fail_at;
        if (first && sr->s[0])
            *first = sr->res[0];
    }
    for (size_t i = 0; sr->s && i < n; i++)
        fl_scenario_free(sr->s[i]);
    free(sr->s);
    free(sr->res);
    free(sr->finished);
    sr->s = NULL;
    sr->res = NULL;
    sr->finished = NULL;
    return result;
}

static int test_cands(void *ctx, cJSON *const *cands, size_t n, fl_time *fail_at)
{
    shrink_run *sr = ctx;
    int r = run_batch(sr, cands, n, NULL);
    if (r >= 0)
        *fail_at = sr->chosen_fail_at;
    if (r >= 0 && !sr->o->quiet) {
        char size[256];
        fl_shrink_describe(cands[r], size, sizeof size);
        fprintf(stderr, "  still fails: %s\n", size);
    }
    return r;
}

/* ---- The command ----------------------------------------------------------------------------- */

static cJSON *load_tree(const shrink_opts *o)
{
    char *buf = NULL;
    size_t len = 0;
    if (fl_file_read_all(o->scenario, 0, &buf, &len) == FL_FILE_OPEN) {
        fprintf(stderr, "faultline: %s: cannot read: %s\n", o->scenario, strerror(errno));
        return NULL;
    }
    cJSON *root = buf ? cJSON_Parse(buf) : NULL;
    free(buf);
    if (!cJSON_IsObject(root)) {
        fprintf(stderr, "faultline: %s: not a JSON object (a scenario file)\n", o->scenario);
        cJSON_Delete(root);
        return NULL;
    }
    cJSON *seed;
    if (o->seed <= (UINT64_C(1) << 53)) {
        seed = cJSON_CreateNumber((double)o->seed);
    } else {
        char hex[24];
        snprintf(hex, sizeof hex, "0x%016" PRIx64, o->seed);
        seed = cJSON_CreateString(hex);
    }
    if (cJSON_GetObjectItemCaseSensitive(root, "seed"))
        cJSON_ReplaceItemInObjectCaseSensitive(root, "seed", seed);
    else
        cJSON_AddItemToObject(root, "seed", seed);
    cJSON *dur = cJSON_GetObjectItemCaseSensitive(root, "duration_ms");
    if (o->duration_ms > 0 && dur)
        cJSON_SetNumberValue(dur, (double)o->duration_ms);
    else if (o->duration_ms > 0)
        cJSON_AddNumberToObject(root, "duration_ms", (double)o->duration_ms);
    return root;
}

/* Sets obj.key, in place if it is there (so the file keeps its order). */
static void set_string(cJSON *obj, const char *key, const char *value)
{
    char *clean = fl_utf8_clean(value);     /* a path, a cut description */
    cJSON *v = clean ? cJSON_CreateString(clean) : NULL;
    free(clean);
    if (!v)
        return;
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v);
    else
        cJSON_AddItemToObject(obj, key, v);
}

/* Name, description and expect.violation of the minimal scenario. */
static void label(cJSON *root, const shrink_opts *o, const fl_outcome *want)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    char buf[FL_NAME_MAX], desc[1400];
    const char *base = cJSON_IsString(name) ? name->valuestring : "scenario";
    snprintf(buf, sizeof buf, "%.*s-shrunk", (int)fl_utf8_prefix(base, 50), base);
    set_string(root, "name", buf);
    snprintf(desc, sizeof desc, "Made by faultline shrink from %s with seed %" PRIu64 "%s%s: the "
             "smallest variant found that still fails %s. The original failure: %s",
             o->scenario, o->seed, o->impl ? " and --impl " : "", o->impl ? o->impl : "",
             want->check, want->detail);
    set_string(root, "description", desc);
    /* A named check becomes the scenario's declared violation, so
     * `faultline run` says whether it was caught. */
    bool named = strchr(want->check, '.') && strncmp(want->check, "crash.", 6) != 0 &&
                 strncmp(want->check, "limit.", 6) != 0;
    named = named || strcmp(want->check, "linearizable") == 0;
    cJSON *expect = cJSON_GetObjectItemCaseSensitive(root, "expect");
    if (named && want->kind == FL_OUT_CHECK) {
        if (!cJSON_IsObject(expect)) {
            cJSON_DeleteItemFromObjectCaseSensitive(root, "expect");
            expect = cJSON_AddObjectToObject(root, "expect");
        }
        set_string(expect, "violation", want->check);
    }
}

static char *default_out(const char *scenario)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t n = strcspn(base, ".");
    char *p = malloc(n + 16);
    if (p)
        sprintf(p, "%.*s-shrunk.json", (int)n, base);
    return p;
}

static int baseline(shrink_run *sr, cJSON *root)
{
    sr->want.kind = FL_OUT_KIND_COUNT;       /* matches nothing: just run it */
    fl_outcome first;
    if (run_batch(sr, &root, 1, &first) == -2)
        return 130;
    if (first.kind == FL_OUT_ERROR) {
        fprintf(stderr, "faultline: %s\n", first.detail);
        return 2;
    }
    if (!fl_outcome_failed(&first)) {
        fprintf(stderr, "faultline: %s with seed %" PRIu64 ": every check held; nothing to "
                "shrink (find a failing seed with faultline explore)\n", sr->o->scenario,
                sr->o->seed);
        return 2;
    }
    sr->want = first;
    return 0;
}

static int write_result(const shrink_opts *o, cJSON *root, const char *path)
{
    char *text = cJSON_Print(root);
    fl_outfile of;
    int rc = !text || fl_outfile_open(&of, path) != 0 ? 2 : 0;
    if (rc == 0) {
        fputs(text, of.fp);
        fputc('\n', of.fp);
        rc = fl_outfile_close(&of, true) == 0 ? 0 : 2;
    }
    free(text);
    (void)o;
    return rc;
}

/* ---- A nemesis, expanded into explicit faults ------------------------------------------ */

typedef struct unnem_ctx {
    const shrink_opts *o;
    fl_scenario       *s;
    fl_unnemesis       res;
    bool               got;
} unnem_ctx;

static void unnem_work(void *ctx, size_t i, void *payload)
{
    unnem_ctx *u = ctx;
    (void)i;
    fl_run_spec spec = { .seed = u->o->seed, .lin_timeout_s = u->o->limits.cpu_s / 2 };
    fl_unnemesis_run(u->s, u->o->impl, &spec, payload);
}

static bool unnem_done(void *ctx, size_t i, const fl_child_result *r, const void *payload)
{
    unnem_ctx *u = ctx;
    (void)i;
    if (r->end == FL_CHILD_DONE && payload) {
        memcpy(&u->res, payload, sizeof u->res);
        u->got = u->res.magic == FL_UNNEMESIS_MAGIC;
    }
    return true;
}

/* The nemeses' faults of the original run, as a tree (NULL, with why). */
static cJSON *unnemesis_tree(shrink_run *sr, const cJSON *root, size_t *added, int *rc,
                             char *why, size_t len)
{
    char *text = cJSON_Print(root);
    fl_error err = { { 0 } };
    unnem_ctx *u = calloc(1, sizeof *u);
    cJSON *x = NULL;
    if (text && u)
        u->s = fl_scenario_parse(text, strlen(text), sr->o->scenario, &err);
    free(text);
    if (!u || !u->s) {
        snprintf(why, len, "%s", u ? err.msg : "out of memory");
    } else {
        u->o = sr->o;
        fl_child_pool pool = { .nitems = 1, .jobs = 1, .limits = sr->o->limits,
                               .payload_size = sizeof(fl_unnemesis), .work = unnem_work,
                               .done = unnem_done, .ctx = u };
        fl_child_status st = fl_child_run(&pool);
        if (st != FL_CHILD_OK)
            *rc = 130;
        else if (!u->got)
            snprintf(why, len, "the run that records the nemeses' faults did not finish");
        else if (u->res.status != 0)
            snprintf(why, len, "%s", u->res.msg);
        else
            x = fl_unnemesis_tree(root, &u->res, added, why, len);
        fl_scenario_free(u->s);
    }
    free(u);
    return x;
}

/* Replaces the nemeses of *root by the faults they applied in the original
 * run, if the result still fails the same way; says what it did. 0, or
 * 130 if interrupted. */
static int expand_nemesis(shrink_run *sr, cJSON **root)
{
    if (!fl_unnemesis_has(*root))
        return 0;
    char why[512] = "";
    size_t added = 0;
    int rc = 0;
    cJSON *x = unnemesis_tree(sr, *root, &added, &rc, why, sizeof why);
    if (rc)
        return rc;
    if (x) {
        fl_outcome res;
        int r = run_batch(sr, &x, 1, &res);
        if (r == -2) {
            cJSON_Delete(x);
            return 130;
        }
        if (r == 0) {
            cJSON_Delete(*root);
            *root = x;
            sr->expanded = added;
            if (!sr->o->quiet)
                fprintf(stderr, "expanded the nemesis into the %zu explicit faults it "
                        "applied; the run still fails %s\n", added, sr->want.check);
            return 0;
        }
        snprintf(why, sizeof why, "its %zu explicit faults do not fail the same way (%s)",
                 added, res.kind == FL_OUT_PASS ? "every check held" : res.detail);
        cJSON_Delete(x);
    }
    fprintf(stderr, "faultline: note: the nemesis is kept as it is: %s\n", why);
    return 0;
}

/* ---- Liveness bounds the shrunk workload cannot meet ------------------------------------- */

/* Drops from expect the liveness bounds that `last` failed besides the
 * check being shrunk; true if it dropped any. */
static bool drop_unmet_bounds(cJSON *root, const fl_outcome *last, const char *check)
{
    static const struct { const char *check, *key; } bounds[] = {
        { "liveness.min_ok_ops", "min_ok_ops" }, { "liveness.leader", "leader_within_ms" },
    };
    cJSON *expect = cJSON_GetObjectItemCaseSensitive(root, "expect");
    bool dropped = false;
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
        size_t n = strlen(bounds[i].check);
        const char *p = strstr(last->failed, bounds[i].check);
        bool failed = p && (p[n] == '\0' || p[n] == ' ');
        if (!failed || strcmp(check, bounds[i].check) == 0 ||
            !cJSON_GetObjectItemCaseSensitive(expect, bounds[i].key))
            continue;
        cJSON_DeleteItemFromObjectCaseSensitive(expect, bounds[i].key);
        dropped = true;
    }
    return dropped;
}

/* "at 812.000 ms" or "when judged at the end (10000.000 ms)". */
static void when_failed(const fl_outcome *o, char *buf, size_t len)
{
    if (o->fail_at >= 0)
        snprintf(buf, len, "at %.3f ms", (double)o->fail_at / 1e6);
    else
        snprintf(buf, len, "when judged at the end (%.3f ms)", (double)o->sim_end / 1e6);
}

static int shrink_and_report(shrink_run *sr, cJSON **root, const char *out_path)
{
    const shrink_opts *o = sr->o;
    char before[256], after[256];
    char *t0 = cJSON_PrintUnformatted(*root);
    size_t bytes0 = t0 ? strlen(t0) : 0;
    free(t0);
    uint64_t events0 = sr->want.events;
    fl_shrink_describe(*root, before, sizeof before);
    if (!o->quiet)
        fprintf(stderr, "shrinking %s seed %" PRIu64 ", which fails %s\n", o->scenario,
                o->seed, sr->want.check);
    int erc = expand_nemesis(sr, root);
    if (erc != 0)
        return erc;
    bool live = strncmp(sr->want.check, "liveness.", 9) == 0;
    fl_shrink_opts so = { .fail_at = sr->want.fail_at, .keep_duration = live,
                          .keep_workload = live };
    fl_shrink_stats st;
    if (fl_shrink(root, &so, test_cands, sr, &st) == -2)
        return 130;
    label(*root, o, &sr->want);
    fl_outcome last;
    fl_outcome want = sr->want;
    if (run_batch(sr, root, 1, &last) == -2)
        return 130;
    /* the shrunk workload may no longer meet the scenario's liveness
     * bounds: keep only those it meets, so the replay fails `want` alone */
    if (same_failure(&last, &want) && drop_unmet_bounds(*root, &last, want.check) &&
        run_batch(sr, root, 1, &last) == -2)
        return 130;
    sr->want = want;
    if (!same_failure(&last, &want)) {
        fprintf(stderr, "faultline: the shrunk scenario no longer fails %s (%s); please "
                "report this\n", want.check, last.detail);
        return 2;
    }
    int rc = write_result(o, *root, out_path);
    if (rc != 0)
        return rc;
    char *t1 = cJSON_PrintUnformatted(*root);
    char when[64];
    fl_shrink_describe(*root, after, sizeof after);
    when_failed(&last, when, sizeof when);
    printf("fails:  %s %s in the shrunk run: %s\n", last.check, when, last.detail);
    when_failed(&want, when, sizeof when);
    printf("was:    %s %s in the original run: %s\n", want.check, when, want.detail);
    printf("before: %s; %" PRIu64 " events, %zu bytes of JSON\n", before, events0, bytes0);
    if (sr->expanded)
        printf("nemesis: expanded into the %zu explicit faults it applied, then shrunk\n",
               sr->expanded);
    printf("after:  %s; %" PRIu64 " events, %zu bytes of JSON\n", after, last.events,
           t1 ? strlen(t1) : 0);
    free(t1);
    printf("%" PRIu64 " runs (%zu candidates, %zu kept, %zu rounds); wrote %s\n", sr->runs,
           st.tried, st.accepted, st.rounds, out_path);
    printf("reproduce: faultline run %s%s%s\n", out_path, o->impl ? " --impl " : "",
           o->impl ? o->impl : "");
    return 0;
}

int fl_cmd_shrink(int argc, char **argv)
{
    shrink_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return fl_cli_status(rc);
    cJSON *root = load_tree(&o);
    if (!root)
        return 2;
    char *out_path = o.out ? strdup(o.out) : default_out(o.scenario);
    shrink_run sr;
    memset(&sr, 0, sizeof sr);
    sr.o = &o;
    rc = out_path ? baseline(&sr, root) : 2;
    if (rc == 0)
        rc = shrink_and_report(&sr, &root, out_path);
    if (rc == 130)
        fprintf(stderr, "faultline: interrupted; nothing written\n");
    cJSON_Delete(root);
    free(out_path);
    return rc;
}

/* ---- The command-table entry: `faultline help shrink` and `faultline shrink --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline shrink SCENARIO.json --seed N [options]\n"
    "\n"
    "Delta debugging of a failing run: removes faults (halves, quarters, ...,\n"
    "single ones), ends the run just after the violation and halves the\n"
    "duration, lowers the number of clients, the rate, the keys and the kinds\n"
    "of operation, reduces the number of nodes of each role, and turns off\n"
    "random loss, duplicates, link overrides and torn writes; each step re-runs\n"
    "the seed deterministically (in a child process, --jobs at a time) and\n"
    "keeps a change only if the run still fails the same check. A nemesis is\n"
    "first expanded into the explicit faults it applied, so each can go. A\n"
    "liveness failure keeps its duration and workload; any other drops the\n"
    "liveness bounds the shrunk workload no longer meets. Writes the minimal\n"
    "scenario as JSON, with its seed and with expect.violation naming the\n"
    "check, re-runs it and prints its failure (fails:, with the original's as\n"
    "was:) and the sizes before and after.\n"
    "\n"
    "options:\n"
    "  --seed N          the failing run's seed (required)\n"
    "  --out FILE        where to write it (default: NAME-shrunk.json here)\n"
    "  --impl SO         the implementation in this shared object\n"
    "  --duration MS     start from this duration instead of the scenario's\n"
    "  --jobs J          candidates run at once (default: the number of CPUs)\n"
    "  --cpu S, --wall S, --memory MB   limits per run (20, 60, 1024)\n"
    "  --quiet           do not report each step on stderr\n"
    "\n"
    "exit status: 0 written, 2 bad usage or input or a run that does not fail,\n"
    "130 interrupted\n";

const fl_command fl_cmd_shrink_entry = {
    "shrink", "cut a failing run down to a minimal scenario", usage_text, fl_cmd_shrink, NULL, true,
};
