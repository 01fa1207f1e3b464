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
#include <unistd.h>

#include "sim/batch/child.h"
#include "sim/cli/cli.h"
#include "sim/cli/datadir.h"
#include "sim/batch/grade.h"
#include "sim/run/outcome.h"
#include "sim/cli/outfile.h"
#include "sim/batch/progress.h"
#include "sim/batch/suite.h"

typedef struct grade_opts {
    const char *algorithm, *impl, *suite, *tests, *results, *junit;
    uint64_t    seeds;           /* 0: the suite's */
    unsigned    jobs;
    double      cpu_s, wall_s, memory_mb;   /* 0: the suite's */
    bool        once, quiet, verbose;
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
    } else if (strcmp(a, "--memory") == 0) {
        if (!parse_positive(v, 1048576, &o->memory_mb) || o->memory_mb < 16)
            return fl_cli_usage_error("grade", "--memory %s: expected MiB in [16, 1048576]", v);
    } else {
        return fl_cli_usage_error("grade", "unknown option %s", a);
    }
    return 0;
}

static int parse_args(int argc, char **argv, grade_opts *o)
{
    memset(o, 0, sizeof *o);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cpus > 0 ? (unsigned)cpus : 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--once") == 0) { o->once = true; continue; }
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) { o->quiet = true; continue; }
        if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) { o->verbose = true; continue; }
        if (a[0] != '-')
            return fl_cli_usage_error("grade", "unexpected argument \"%s\"", a);
        if (i + 1 >= argc)
            return fl_cli_usage_error("grade", "%s needs a value", a);
        int rc = parse_value(o, a, argv[++i]);
        if (rc != 0)
            return rc;
    }
    if (!o->algorithm && !o->suite)
        return fl_cli_usage_error("grade", "say which algorithm to grade: --algorithm NAME "
                                  "(or give --suite FILE)");
    return 0;
}

/* ---- Loading the suite ---------------------------------------------------------------- */

static fl_suite *load_suite(const grade_opts *o)
{
    char path[4096];
    if (o->suite) {
        snprintf(path, sizeof path, "%s", o->suite);
    } else {
        char rel[256];
        snprintf(rel, sizeof rel, "scenarios/%s/suite.json", o->algorithm);
        if (!fl_datadir_find(rel, path, sizeof path)) {
            fl_cli_usage_error("grade", "%s: no suite for algorithm \"%s\" here or next to "
                               "the faultline executable; pass --suite FILE", rel, o->algorithm);
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
    fl_outcome_run_job(st->scenario, gr->o->impl, &spec, payload);
}

static bool run_done(void *ctx, size_t i, const fl_child_result *r, const void *payload)
{
    grade_run *gr = ctx;
    fl_outcome_from_child(r, payload, &gr->suite->limits, &gr->g->runs[i]);
    gr->done++;
    gr->failed += fl_outcome_failed(&gr->g->runs[i]);
    fl_progress_update(&gr->progress, gr->done, gr->failed);
    return true;
}

static int setup(grade_run *gr, fl_grade *g)
{
    g->nruns = fl_suite_run_count(gr->suite);
    g->runs = calloc(g->nruns ? g->nruns : 1, sizeof *g->runs);
    g->tests = calloc(gr->suite->ntests, sizeof *g->tests);
    gr->run_test = calloc(g->nruns ? g->nruns : 1, sizeof *gr->run_test);
    if (!g->runs || !g->tests || !gr->run_test) {
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
    };
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
        return status;
    fl_suite *suite = load_suite(&o);
    if (!suite)
        return 2;
    fl_grade g;
    memset(&g, 0, sizeof g);
    g.suite = suite;
    g.impl = o.impl;
    g.twice = !o.once;
    g.jobs = o.jobs;
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
    fl_suite_free(suite);
    return status;
}
