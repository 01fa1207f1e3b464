/* cmd_grade.c — `faultline grade`: run a suite against an implementation,
 * every run in its own forked child with CPU, wall-clock and memory limits
 * (sim/batch/child.h), every run twice in that child to catch nondeterminism,
 * and report a table, Gradescope's results.json and JUnit XML.
 *
 * The student's code runs only in children: the parent loads scenarios,
 * never the plug-in, so nothing a plug-in does (even in a constructor)
 * can take the grader down. Exit status 0 whenever grading itself worked,
 * whatever the score; 2 for bad usage, a bad suite or an unwritable report;
 * 130 if interrupted (no report is written). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include <cjson/cJSON.h>

#include "sim/batch/child.h"
#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/cli/datadir.h"
#include "sim/util/suggest.h"
#include "sim/run/registry.h"
#include "sim/batch/grade.h"
#include "sim/batch/outcome.h"
#include "sim/util/outfile.h"
#include "sim/batch/progress.h"
#include "sim/batch/suite.h"

typedef struct grade_opts {
    const char *algorithm, *impl, *suite, *tests, *results, *junit;
    uint64_t    seeds;           /* 0: the suite's */
    unsigned    jobs;
    double      cpu_s, wall_s, memory_mb;   /* 0: the suite's */
    double      max_time_s;      /* the whole grade; 0: no bound */
    bool        once, quiet, verbose;
    bool        all_seeds;       /* else a test stops at its first failing seed */
} grade_opts;

static bool parse_positive(const char *v, double max, double *out)
{
    char *end;
    double d = strtod(v, &end);
    if (*end || !(d > 0) || d > max)
        return false;
    *out = d;
    return true;
}

static int parse_value(grade_opts *o, const char *a, const char *v)
{
    uint64_t n;
    if (strcmp(a, "--algorithm") == 0) o->algorithm = v;
    else if (strcmp(a, "--impl") == 0) o->impl = v;
    else if (strcmp(a, "--suite") == 0) o->suite = v;
    else if (strcmp(a, "--tests") == 0) o->tests = v;
    else if (strcmp(a, "--results") == 0) o->results = v;
    else if (strcmp(a, "--junit") == 0) o->junit = v;
    else if (strcmp(a, "--seeds") == 0) {
        if (!fl_cli_parse_u64(v, &n) || n == 0 || n > FL_SUITE_MAX_SEEDS)
            return fl_cli_usage_error("grade", "--seeds %s: expected a number of seeds per "
                                      "test in 1..%d", v, FL_SUITE_MAX_SEEDS);
        o->seeds = n;
    } else if (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0) {
        if (!fl_cli_parse_u64(v, &n) || n == 0 || n > 1024)
            return fl_cli_usage_error("grade", "--jobs %s: expected 1..1024", v);
        o->jobs = (unsigned)n;
    } else if (strcmp(a, "--cpu") == 0) {
        if (!parse_positive(v, 86400, &o->cpu_s))
            return fl_cli_usage_error("grade", "--cpu %s: expected seconds in (0, 86400]", v);
    } else if (strcmp(a, "--wall") == 0) {
        if (!parse_positive(v, 86400, &o->wall_s))
            return fl_cli_usage_error("grade", "--wall %s: expected seconds in (0, 86400]", v);
    } else if (strcmp(a, "--max-time") == 0) {
        if (!parse_positive(v, 86400 * 7, &o->max_time_s))
            return fl_cli_usage_error("grade", "--max-time %s: expected seconds in (0, 604800]",
                                      v);
    } else if (strcmp(a, "--memory") == 0) {
        if (!parse_positive(v, 1048576, &o->memory_mb) || o->memory_mb < 16)
            return fl_cli_usage_error("grade", "--memory %s: expected MiB in [16, 1048576]", v);
    } else {
        return fl_cli_usage_error("grade", "unknown option %s", a);
    }
    return 0;
}

static const fl_cli_opt grade_options[] = {
    { "algorithm", 0, true }, { "impl", 0, true }, { "suite", 0, true },
    { "seeds", 0, true }, { "tests", 0, true }, { "jobs", 'j', true },
    { "cpu", 0, true }, { "wall", 0, true }, { "memory", 0, true },
    { "once", 0, false }, { "results", 0, true }, { "junit", 0, true },
    { "verbose", 'v', false }, { "quiet", 'q', false },
    { "all-seeds", 0, false }, { "max-time", 0, true },
    { NULL, 0, false },
};

static int grade_option(void *ctx, const char *a, const char *v)
{
    grade_opts *o = ctx;
    if (strcmp(a, "--once") == 0) { o->once = true; return 0; }
    if (strcmp(a, "--all-seeds") == 0) { o->all_seeds = true; return 0; }
    if (strcmp(a, "--quiet") == 0) { o->quiet = true; return 0; }
    if (strcmp(a, "--verbose") == 0) { o->verbose = true; return 0; }
    return parse_value(o, a, v);
}

static int grade_operand(void *ctx, const char *a)
{
    (void)ctx;
    return fl_cli_usage_error("grade", "unexpected argument \"%s\" (grade takes options "
                              "only: --algorithm ALG --impl SO)", a);
}

/* 0, FL_CLI_DONE (--help or --version printed) or an exit status. */
static int parse_args(int argc, char **argv, grade_opts *o)
{
    memset(o, 0, sizeof *o);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cpus > 0 ? (unsigned)cpus : 1;
    int rc = fl_cli_parse(&fl_cmd_grade_entry, argc, argv, grade_options,
                          grade_option, grade_operand, o);
    if (rc != 0)
        return rc;
    if (!o->algorithm && !o->suite)
        return fl_cli_usage_error("grade", "say which algorithm to grade: --algorithm NAME "
                                  "(or give --suite FILE)");
    return 0;
}

/* ---- Loading the suite ---------------------------------------------------------------- */

/* --algorithm names no shipped suite: a typo (did you mean), or an
 * algorithm without a default suite (where we looked). */
static void no_suite(const char *alg, const char *rel)
{
    const char *names[64];
    size_t n = 0;
    for (; n < 63 && fl_registry_at(n); n++)
        names[n] = fl_registry_at(n)->name;
    names[n] = NULL;
    char known[1024], tried[8192];
    fl_suggest_join(known, sizeof known, names);
    if (!fl_registry_find(alg)) {
        const char *sug = fl_suggest(alg, names);
        if (sug)
            fl_cli_usage_error("grade", "--algorithm %s: unknown algorithm (did you mean "
                               "\"%s\"?)", alg, sug);
        else
            fl_cli_usage_error("grade", "--algorithm %s: unknown algorithm (known: %s)",
                               alg, known);
        return;
    }
    fl_datadir_describe(rel, tried, sizeof tried);
    fl_cli_usage_error("grade", "--algorithm %s: no default suite (looked for %s); pass "
                       "--suite FILE", alg, tried);
}

/* Whether the suite file at `path` declares "algorithm": `alg`. */
static bool suite_grades(const char *path, const char *alg)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    enum { SUITE_MAX = 1 << 20 };
    char *buf = malloc(SUITE_MAX + 1);
    size_t n = buf ? fread(buf, 1, SUITE_MAX, f) : 0;
    fclose(f);
    if (!buf)
        return false;
    buf[n] = '\0';
    cJSON *j = cJSON_Parse(buf);
    free(buf);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "algorithm");
    bool yes = cJSON_IsString(a) && strcmp(a->valuestring, alg) == 0;
    cJSON_Delete(j);
    return yes;
}

/* A variant graded by another folder's default suite (multipaxos by
 * scenarios/paxos/suite.json): the first scenarios/WHAT/suite.json, in
 * name order, that declares "algorithm": alg. */
static bool find_suite_of(const char *alg, char *path, size_t len)
{
    char dir[4096];
    if (!fl_datadir_find("scenarios", dir, sizeof dir))
        return false;
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    bool found = false;
    for (int i = 0; i < n; i++) {
        if (!found && names[i]->d_name[0] != '.') {
            snprintf(path, len, "%s/%s/suite.json", dir, names[i]->d_name);
            found = suite_grades(path, alg);
        }
        free(names[i]);
    }
    free(names);
    return found;
}

static fl_suite *load_suite(const grade_opts *o)
{
    char path[4096];
    if (o->suite) {
        snprintf(path, sizeof path, "%s", o->suite);
    } else {
        char rel[256];
        snprintf(rel, sizeof rel, "scenarios/%s/suite.json", o->algorithm);
        if (!fl_datadir_find(rel, path, sizeof path) &&
            !find_suite_of(o->algorithm, path, sizeof path)) {
            no_suite(o->algorithm, rel);
            return NULL;
        }
    }
    fl_error err = { { 0 } };
    fl_suite *s = fl_suite_load(path, &err);
    if (!s) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        return NULL;
    }
    int rc = 0;
    /* The default suite of a folder may grade a variant named otherwise
     * (scenarios/paxos/ grades "multipaxos"); a suite given by hand must
     * grade what --algorithm says. */
    if (o->algorithm && o->suite && strcmp(o->algorithm, s->algorithm) != 0)
        rc = fl_error_set(&err, "%s: $.algorithm: the suite grades \"%s\", not \"%s\" "
                          "(--algorithm)", path, s->algorithm, o->algorithm);
    if (rc == 0 && o->tests)
        rc = fl_suite_select(s, o->tests, &err);
    if (rc == 0 && o->seeds)
        rc = fl_suite_set_seed_count(s, (size_t)o->seeds, &err);
    if (rc != 0) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        fl_suite_free(s);
        return NULL;
    }
    if (o->cpu_s > 0) s->limits.cpu_s = o->cpu_s;
    if (o->wall_s > 0) s->limits.wall_s = o->wall_s;
    if (o->memory_mb > 0) s->limits.mem_bytes = (uint64_t)(o->memory_mb * 1048576.0);
    for (size_t t = 0; t < s->ntests; t++) {   /* a search stops before its limit */
        fl_search_opts *so = &s->tests[t].search_opts;
        if (s->tests[t].search && so->max_seconds > s->limits.cpu_s * 0.8)
            so->max_seconds = s->limits.cpu_s >= 2 ? (double)(int)(s->limits.cpu_s * 0.8) : 1;
    }
    return s;
}

/* ---- Running ------------------------------------------------------------------------ */

typedef struct grade_run {
    const grade_opts *o;
    fl_suite   *suite;
    fl_grade   *g;
    size_t     *run_test;       /* run index -> test index */
    size_t      done, failed;
    fl_progress progress;
    bool       *test_failed;    /* per test: a run of it failed */
    double      deadline;       /* --max-time, on fl_progress_now(); 0: none */
} grade_run;

static void run_work(void *ctx, size_t i, void *payload)
{
    grade_run *gr = ctx;
    size_t t = gr->run_test[i];
    fl_suite_test *st = &gr->suite->tests[t];
    fl_run_spec spec = {
        .seed = st->seeds[i - gr->g->tests[t].first_run],
        .duration = 0,
        .lin_timeout_s = gr->suite->limits.cpu_s > 4 ? gr->suite->limits.cpu_s / 2 : 2,
        .twice = !gr->o->once,
    };
    if (st->search)
        fl_search_job(st->scenario, gr->o->impl, spec.seed, &st->search_opts, payload);
    else
        fl_outcome_run_job(st->scenario, gr->o->impl, &spec, payload);
}

static bool run_done(void *ctx, size_t i, const fl_child_result *r, const void *payload)
{
    grade_run *gr = ctx;
    fl_outcome_from_child(r, payload, &gr->suite->limits, &gr->g->runs[i]);
    if (fl_outcome_failed(&gr->g->runs[i]))
        gr->test_failed[gr->run_test[i]] = true;
    gr->done++;
    gr->failed += fl_outcome_failed(&gr->g->runs[i]);
    fl_progress_update(&gr->progress, gr->done, gr->failed);
    return true;
}

/* A run not to start: its test ("all" scoring) has failed already, or
 * grading is out of time. It keeps an outcome saying so. */
static bool run_skip(void *ctx, size_t i)
{
    grade_run *gr = ctx;
    size_t t = gr->run_test[i];
    fl_outcome *o = &gr->g->runs[i];
    if (gr->deadline > 0 && fl_progress_now() >= gr->deadline)
        snprintf(o->detail, sizeof o->detail, "not reached: grading ran out of time "
                 "(--max-time %.0f s)", gr->o->max_time_s);
    else if (!gr->o->all_seeds && !gr->suite->tests[t].per_seed && gr->test_failed[t])
        snprintf(o->detail, sizeof o->detail, "not run: an earlier seed already failed "
                 "the test (--all-seeds runs every seed)");
    else
        return false;
    o->kind = FL_OUT_SKIPPED;
    snprintf(o->check, sizeof o->check, "skipped");
    return true;
}

static int setup(grade_run *gr, fl_grade *g)
{
    g->nruns = fl_suite_run_count(gr->suite);
    g->runs = calloc(g->nruns ? g->nruns : 1, sizeof *g->runs);
    g->tests = calloc(gr->suite->ntests, sizeof *g->tests);
    gr->run_test = calloc(g->nruns ? g->nruns : 1, sizeof *gr->run_test);
    gr->test_failed = calloc(gr->suite->ntests ? gr->suite->ntests : 1,
                             sizeof *gr->test_failed);
    if (!g->runs || !g->tests || !gr->run_test || !gr->test_failed) {
        fprintf(stderr, "faultline: out of memory\n");
        return -1;
    }
    size_t k = 0;
    for (size_t t = 0; t < gr->suite->ntests; t++) {
        g->tests[t].first_run = k;
        for (size_t r = 0; r < gr->suite->tests[t].nseeds; r++)
            gr->run_test[k++] = t;
    }
    return 0;
}

static void mark_not_run(fl_grade *g)
{
    for (size_t i = 0; i < g->nruns; i++) {
        fl_outcome *o = &g->runs[i];
        memset(o, 0, sizeof *o);
        o->magic = FL_OUTCOME_MAGIC;
        o->kind = FL_OUT_ERROR;
        snprintf(o->check, sizeof o->check, "error");
        snprintf(o->detail, sizeof o->detail, "not run: %s", g->load_error);
    }
}

static fl_child_status run_all(grade_run *gr)
{
    fl_grade *g = gr->g;
    if (gr->o->impl) {
        /* Load it once first: a plug-in that does not load (or dies
         * loading) fails every test with one clear reason, not 200. */
        fl_child_status st = fl_outcome_check_impl(gr->o->impl, NULL, &gr->suite->limits,
                                                   g->load_error, sizeof g->load_error);
        if (st != FL_CHILD_OK)
            return st;
    }
    if (g->load_error[0]) {
        mark_not_run(g);
        return FL_CHILD_OK;
    }
    fl_child_pool pool = {
        .nitems = g->nruns, .jobs = g->jobs, .limits = gr->suite->limits,
        .payload_size = sizeof(fl_outcome), .work = run_work, .done = run_done, .ctx = gr,
        .skip = run_skip,
    };
    if (gr->o->max_time_s > 0)
        gr->deadline = fl_progress_now() + gr->o->max_time_s;
    /* Only on a terminal: a grading log should hold the report alone. */
    fl_progress_start(&gr->progress, stderr, g->nruns, gr->o->quiet || !isatty(2));
    fl_child_status st = fl_child_run(&pool);
    if (st == FL_CHILD_OK && gr->progress.drawn)
        fl_progress_end(&gr->progress, gr->done, gr->failed);
    return st;
}

/* ---- Reports ------------------------------------------------------------------------ */

static int write_reports(const grade_opts *o, const fl_grade *g)
{
    fl_outfile res, ju;
    if (fl_outfile_open(&res, o->results) != 0)
        return 2;
    if (fl_outfile_open(&ju, o->junit) != 0) {
        fl_outfile_close(&res, false);
        return 2;
    }
    bool ok = true;
    if (res.fp)
        ok = fl_grade_write_gradescope(g, res.fp) == 0;
    if (ju.fp && ok)
        ok = fl_grade_write_junit(g, ju.fp) == 0;
    int rc1 = fl_outfile_close(&res, ok);
    int rc2 = fl_outfile_close(&ju, ok);
    return ok && rc1 == 0 && rc2 == 0 ? 0 : 2;
}

/* The tests --max-time left (partly) unrun. */
static void print_not_reached(const fl_grade *g)
{
    bool any = false;
    for (size_t t = 0; t < g->suite->ntests; t++) {
        const fl_grade_test *gt = &g->tests[t];
        const fl_outcome *o = &g->runs[gt->first_run + g->suite->tests[t].nseeds - 1];
        if (o->kind != FL_OUT_SKIPPED || strncmp(o->detail, "not reached", 11) != 0)
            continue;
        printf("%s%s", any ? ", " : "not reached (--max-time): ", g->suite->tests[t].name);
        any = true;
    }
    if (any)
        putchar('\n');
}

static void print_header(const grade_opts *o, const fl_grade *g)
{
    const fl_suite *s = g->suite;
    printf("grading %s against %s (%s: %zu tests, %zu runs%s; %u jobs; per run: %.0f s CPU, "
           "%.0f s wall, %.0f MiB)\n",
           o->impl ? o->impl : "the built-in implementation", s->path,
           s->name[0] ? s->name : s->algorithm, s->ntests, g->nruns,
           g->twice ? ", each run twice to check determinism" : "", g->jobs,
           s->limits.cpu_s, s->limits.wall_s, (double)s->limits.mem_bytes / 1048576.0);
}

int fl_cmd_grade(int argc, char **argv)
{
    grade_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != 0)
        return fl_cli_status(status);
    fl_suite *suite = load_suite(&o);
    if (!suite)
        return 2;
    fl_grade g;
    memset(&g, 0, sizeof g);
    g.suite = suite;
    g.impl = o.impl;
    g.twice = !o.once;
    g.jobs = o.jobs;
    g.started = time(NULL);
    grade_run gr = { .o = &o, .suite = suite, .g = &g };
    double t0 = fl_progress_now();
    status = setup(&gr, &g) == 0 ? 0 : 2;
    if (status == 0) {
        if (!o.quiet)
            print_header(&o, &g);
        fl_child_status st = run_all(&gr);
        if (st == FL_CHILD_INTERRUPTED) {
            fprintf(stderr, "\nfaultline: interrupted; no report written\n");
            status = 130;
        } else if (st != FL_CHILD_OK) {
            status = 2;
        }
    }
    if (status == 0) {
        g.elapsed_s = fl_progress_now() - t0;
        fl_grade_score(&g);
        if (!o.quiet) {
            if (g.load_error[0])
                printf("the implementation could not be loaded: %s\n", g.load_error);
            fl_grade_print_table(&g, stdout, o.verbose);
            print_not_reached(&g);
        }
        printf("score: %.1f/%.1f (%.1f %%)  %zu runs in %.1f s (%.1f runs/s)\n", g.score,
               g.max_score, g.max_score > 0 ? 100.0 * g.score / g.max_score : 0.0, g.nruns,
               g.elapsed_s, g.elapsed_s > 0 ? (double)g.nruns / g.elapsed_s : 0.0);
        fflush(stdout);
        status = write_reports(&o, &g);
    }
    free(g.runs);
    free(g.tests);
    free(gr.run_test);
    free(gr.test_failed);
    fl_suite_free(suite);
    return status;
}

/* ---- The command-table entry: `faultline help grade` and `faultline grade --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline grade --algorithm ALG [--impl SO] [options]\n"
    "\n"
    "Runs every test of a suite (default: scenarios/ALG/suite.json) over its\n"
    "seeds against the implementation in SO (a plug-in built against\n"
    "<faultline/algorithm.h>; without --impl, the built-in ALG, to check a\n"
    "suite). Each run happens in its own child process with a CPU-time limit,\n"
    "a wall-clock limit and a memory limit (resident size), so a segfault,\n"
    "abort, exit(), endless loop or memory blow-up fails that test with its\n"
    "reason. Each run is made twice in its child and the trace hashes are\n"
    "compared: a plug-in whose nodes share global variables or that reads the\n"
    "wall clock is reported as nondeterministic.\n"
    "\n"
    "Prints a table (test, seeds passed, points, result, the reason and the\n"
    "`faultline run ... --seed N --impl SO` command that reproduces each\n"
    "failure) and the score; optionally writes Gradescope's results.json and\n"
    "JUnit XML (each written whole or not at all).\n"
    "\n"
    "options:\n"
    "  --algorithm ALG   the algorithm graded (picks the default suite)\n"
    "  --impl SO         the implementation to grade (a shared object)\n"
    "  --suite FILE      the suite to run (see scenarios/raft/suite.json)\n"
    "  --seeds N         N seeds per test: the first N of each test's range, or\n"
    "                    N consecutive ones from its first seed\n"
    "  --tests A,B,...   grade only these tests\n"
    "  --jobs J          child processes at once (default: the number of CPUs)\n"
    "  --cpu S           CPU seconds per run (default: the suite's, else 10)\n"
    "  --wall S          wall-clock seconds per run (default: suite, else 30)\n"
    "  --memory MB       resident MiB per run (default: suite, else 512)\n"
    "  --once            run each seed once (no determinism check)\n"
    "  --all-seeds       run every seed of a test even after one failed\n"
    "  --max-time S      bound the whole grade; name the tests not reached\n"
    "  --results FILE    write Gradescope's results.json\n"
    "  --junit FILE      write JUnit XML\n"
    "  --verbose         list every failing seed, not just the first three\n"
    "  --quiet           print only the score line\n"
    "\n"
    "exit status: 0 the grading ran (whatever the score; a plug-in that does\n"
    "not load scores 0), 2 bad usage, a bad suite or a report that could not\n"
    "be written, 130 interrupted\n";

const fl_command fl_cmd_grade_entry = {
    "grade", "grade an implementation against a suite of tests", usage_text, fl_cmd_grade, NULL, true,
};
