/* grade_report.c — scoring and the three reports of a grading run: the
 * table (stdout), Gradescope's results.json and JUnit XML. Every report
 * says, for every failed test, why and how to reproduce it. */
#define _GNU_SOURCE
#include "sim/batch/grade.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sim/run/run.h"
#include "sim/scenario/jsoncheck.h"

#define SHOW_FAILURES 3

uint64_t fl_grade_seed(const fl_grade *g, size_t t, size_t r)
{
    return g->suite->tests[t].seeds[r];
}

void fl_grade_repro(const fl_grade *g, size_t t, size_t r, char *buf, size_t len)
{
    const fl_suite_test *st = &g->suite->tests[t];
    if (!st->search) {
        fl_run_repro(buf, len, st->scenario_path, fl_grade_seed(g, t, r), false, -1, g->impl);
        return;
    }
    char opts[256];
    fl_search_opts_format(&st->search_opts, opts, sizeof opts);
    snprintf(buf, len, "faultline search %s --seed %llu %s%s%s --out counterexample.json",
             st->scenario_path, (unsigned long long)fl_grade_seed(g, t, r), opts,
             g->impl ? " --impl " : "", g->impl ? g->impl : "");
}

void fl_grade_score(fl_grade *g)
{
    g->score = g->max_score = 0;
    for (size_t t = 0; t < g->suite->ntests; t++) {
        const fl_suite_test *st = &g->suite->tests[t];
        fl_grade_test *gt = &g->tests[t];
        gt->passed = gt->failed = 0;
        gt->wall_s = 0;
        for (size_t r = 0; r < st->nseeds; r++) {
            const fl_outcome *o = &g->runs[gt->first_run + r];
            if (fl_outcome_failed(o))
                gt->failed++;
            else if (o->kind == FL_OUT_PASS)
                gt->passed++;
            gt->wall_s += o->wall_s;
        }
        /* A run not run (skipped, not reached) earns nothing. */
        if (st->per_seed)
            gt->score = st->weight * (double)gt->passed / (double)st->nseeds;
        else
            gt->score = gt->passed == st->nseeds ? st->weight : 0;
        g->score += gt->score;
        g->max_score += st->weight;
    }
}

/* "7 raft.election_safety, 3 linearizable": failures by check, in order of
 * first appearance. */
static void failure_mix(const fl_grade *g, size_t t, char *buf, size_t len)
{
    const fl_suite_test *st = &g->suite->tests[t];
    const fl_outcome *runs = &g->runs[g->tests[t].first_run];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t r = 0; r < st->nseeds; r++) {
        if (!fl_outcome_failed(&runs[r]))
            continue;
        bool seen = false;
        for (size_t q = 0; q < r && !seen; q++)
            seen = fl_outcome_failed(&runs[q]) && strcmp(runs[q].check, runs[r].check) == 0;
        if (seen)
            continue;
        size_t count = 0;
        for (size_t q = r; q < st->nseeds; q++)
            count += fl_outcome_failed(&runs[q]) && strcmp(runs[q].check, runs[r].check) == 0;
        int k = snprintf(buf + n, len - n, "%s%zu %s", n ? ", " : "", count, runs[r].check);
        if (k < 0 || (size_t)k >= len - n)
            break;
        n += (size_t)k;
    }
}

static void fmt_points(char *buf, size_t len, double v)
{
    if (v == (double)(int64_t)v)
        snprintf(buf, len, "%" PRId64, (int64_t)v);
    else
        snprintf(buf, len, "%.1f", v);
}

/* The text every report shows for one test (malloc'd). */
static char *test_output(const fl_grade *g, size_t t, size_t show)
{
    const fl_suite_test *st = &g->suite->tests[t];
    const fl_grade_test *gt = &g->tests[t];
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    if (st->description[0])
        fprintf(f, "%s\n", st->description);
    fprintf(f, "scenario %s, seeds %" PRIu64 "..%" PRIu64 " (%zu runs%s): %zu passed, %zu failed\n",
            st->scenario_path, st->seeds[0], st->seeds[st->nseeds - 1], st->nseeds,
            g->twice ? ", each run twice" : "", gt->passed, gt->failed);
    if (g->load_error[0])
        fprintf(f, "not run: %s\n", g->load_error);
    size_t shown = 0;
    for (size_t r = 0; r < st->nseeds && shown < show; r++) {
        const fl_outcome *o = &g->runs[gt->first_run + r];
        if (!fl_outcome_failed(o) || g->load_error[0])
            continue;
        char repro[1024];
        fl_grade_repro(g, t, r, repro, sizeof repro);
        fprintf(f, "seed %" PRIu64 ": %s\n  reproduce: %s\n", fl_grade_seed(g, t, r),
                o->detail, repro);
        shown++;
    }
    if (gt->failed > shown && !g->load_error[0])
        fprintf(f, "(%zu more failing seeds)\n", gt->failed - shown);
    size_t not_run = st->nseeds - gt->passed - gt->failed;
    for (size_t r = 0; r < st->nseeds && not_run > 0 && !g->load_error[0]; r++) {
        const fl_outcome *o = &g->runs[gt->first_run + r];
        if (o->kind == FL_OUT_SKIPPED) {  /* they all say the same */
            fprintf(f, "%zu seeds %s\n", not_run, o->detail);
            break;
        }
    }
    fclose(f);
    return buf;
}

/* ---- The table -------------------------------------------------------------------- */

/* "2 seeds not run: ..." for runs skipped or not reached. */
static void print_not_run(const fl_grade *g, size_t t, FILE *out)
{
    const fl_suite_test *st = &g->suite->tests[t];
    const fl_grade_test *gt = &g->tests[t];
    size_t not_run = st->nseeds - gt->passed - gt->failed;
    for (size_t r = 0; r < st->nseeds && not_run > 0; r++) {
        const fl_outcome *o = &g->runs[gt->first_run + r];
        if (o->kind == FL_OUT_SKIPPED) {   /* they all say the same */
            fprintf(out, "      %zu seed%s %s\n", not_run, not_run == 1 ? "" : "s",
                    o->detail);
            return;
        }
    }
}

static void print_failures(const fl_grade *g, size_t t, FILE *out, bool verbose)
{
    const fl_suite_test *st = &g->suite->tests[t];
    const fl_grade_test *gt = &g->tests[t];
    size_t shown = 0, limit = verbose ? SIZE_MAX : SHOW_FAILURES;
    for (size_t r = 0; r < st->nseeds && shown < limit; r++) {
        const fl_outcome *o = &g->runs[gt->first_run + r];
        if (!fl_outcome_failed(o))
            continue;
        char repro[1024];
        fl_grade_repro(g, t, r, repro, sizeof repro);
        fprintf(out, "      seed %" PRIu64 ": %s\n      reproduce: %s\n",
                fl_grade_seed(g, t, r), o->detail, repro);
        shown++;
    }
    if (gt->failed > shown)
        fprintf(out, "      ... and %zu more failing seeds (--verbose lists them all)\n",
                gt->failed - shown);
    print_not_run(g, t, out);
}

void fl_grade_print_table(const fl_grade *g, FILE *out, bool verbose)
{
    size_t w = 4;
    for (size_t t = 0; t < g->suite->ntests; t++)
        if (strlen(g->suite->tests[t].name) > w)
            w = strlen(g->suite->tests[t].name);
    fprintf(out, "  %-*s  %9s  %11s  %s\n", (int)w, "test", "seeds", "points", "result");
    for (size_t t = 0; t < g->suite->ntests; t++) {
        const fl_suite_test *st = &g->suite->tests[t];
        const fl_grade_test *gt = &g->tests[t];
        char seeds[32], pts[48], a[20], b[20];
        snprintf(seeds, sizeof seeds, "%zu/%zu", gt->passed, st->nseeds);
        fmt_points(a, sizeof a, gt->score);
        fmt_points(b, sizeof b, st->weight);
        snprintf(pts, sizeof pts, "%s/%s", a, b);
        if (gt->failed == 0 && gt->passed == st->nseeds) {
            fprintf(out, "  %-*s  %9s  %11s  pass\n", (int)w, st->name, seeds, pts);
            continue;
        }
        if (gt->failed == 0) {
            fprintf(out, "  %-*s  %9s  %11s  NOT RUN\n", (int)w, st->name, seeds, pts);
            print_not_run(g, t, out);
            continue;
        }
        char mix[256];
        failure_mix(g, t, mix, sizeof mix);
        fprintf(out, "  %-*s  %9s  %11s  FAIL  %s\n", (int)w, st->name, seeds, pts,
                g->load_error[0] ? "not run: the implementation could not be loaded" : mix);
        if (!g->load_error[0])
            print_failures(g, t, out, verbose);
    }
    char a[20], b[20], pts[48];
    fmt_points(a, sizeof a, g->score);
    fmt_points(b, sizeof b, g->max_score);
    snprintf(pts, sizeof pts, "%s/%s", a, b);
    fprintf(out, "  %-*s  %9s  %11s  %.1f %%\n", (int)w, "total", "", pts,
            g->max_score > 0 ? 100.0 * g->score / g->max_score : 0.0);
}

/* ---- Gradescope ------------------------------------------------------------------- */

static cJSON *gradescope_test(const fl_grade *g, size_t t)
{
    const fl_suite_test *st = &g->suite->tests[t];
    cJSON *o = cJSON_CreateObject();
    char num[16];
    snprintf(num, sizeof num, "%zu", t + 1);
    fl_json_add_text(o, "name", st->name);
    fl_json_add_text(o, "number", num);
    cJSON_AddNumberToObject(o, "score", g->tests[t].score);
    cJSON_AddNumberToObject(o, "max_score", st->weight);
    fl_json_add_text(o, "status", g->tests[t].failed ? "failed" : "passed");
    char *text = test_output(g, t, SHOW_FAILURES);
    fl_json_add_text(o, "output", text ? text : "");
    free(text);
    fl_json_add_text(o, "visibility", "visible");
    return o;
}

int fl_grade_write_gradescope(const fl_grade *g, FILE *out)
{
    cJSON *root = cJSON_CreateObject();
    char summary[1024];
    snprintf(summary, sizeof summary, "faultline graded %s against %s (%s): %.1f of %.1f points.%s%s",
             g->impl ? g->impl : "the built-in implementation", g->suite->path,
             g->suite->name[0] ? g->suite->name : g->suite->algorithm, g->score, g->max_score,
             g->load_error[0] ? " The implementation could not be loaded: " : "",
             g->load_error);
    cJSON_AddNumberToObject(root, "score", g->score);
    /* "execution_time": 136, // optional, seconds — an integer in the spec */
    cJSON_AddNumberToObject(root, "execution_time", (double)(int64_t)(g->elapsed_s + 0.5));
    fl_json_add_text(root, "output", summary);
    fl_json_add_text(root, "visibility", "visible");
    fl_json_add_text(root, "stdout_visibility", "hidden");
    cJSON *extra = cJSON_AddObjectToObject(root, "extra_data");
    fl_json_add_text(extra, "suite", g->suite->path);
    fl_json_add_text(extra, "suite_name", g->suite->name);
    fl_json_add_text(extra, "algorithm", g->suite->algorithm);
    fl_json_add_text(extra, "implementation", g->impl ? g->impl : "built-in");
    cJSON_AddNumberToObject(extra, "max_score", g->max_score);
    cJSON_AddNumberToObject(extra, "runs", (double)g->nruns);
    cJSON *tests = cJSON_AddArrayToObject(root, "tests");
    for (size_t t = 0; t < g->suite->ntests; t++)
        cJSON_AddItemToArray(tests, gradescope_test(g, t));
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        return -1;
    fputs(s, out);
    fputc('\n', out);
    free(s);
    return ferror(out) ? -1 : 0;
}

/* ---- JUnit XML --------------------------------------------------------------------- */

/* s escaped for an attribute or text, made valid UTF-8 first (XML, like
 * JSON, has no way to carry other bytes). */
static void xml_text(FILE *out, const char *text)
{
    char *clean = fl_utf8_clean(text);
    if (!clean)
        return;
    for (const char *s = clean; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default:
            if (c < 0x20 && c != '\n' && c != '\t')
                fputc('?', out);        /* not allowed in XML 1.0 */
            else
                fputc(c, out);
        }
    }
    free(clean);
}

/* A run that gave no verdict on the implementation's logic: it crashed,
 * exited, hit a limit, could not be loaded, or the checker ran out of time. */
static bool is_error(fl_outcome_kind k)
{
    return k == FL_OUT_CRASH || k == FL_OUT_EXIT || k == FL_OUT_CPU || k == FL_OUT_WALL ||
           k == FL_OUT_MEMORY || k == FL_OUT_ERROR || k == FL_OUT_UNKNOWN;
}

/* The first run of test t that errored, else NULL. */
static const fl_outcome *first_error(const fl_grade *g, size_t t)
{
    const fl_grade_test *gt = &g->tests[t];
    for (size_t r = 0; r < g->suite->tests[t].nseeds; r++)
        if (is_error(g->runs[gt->first_run + r].kind))
            return &g->runs[gt->first_run + r];
    return NULL;
}

/* The first failed run of test t, else NULL. */
static const fl_outcome *first_failure(const fl_grade *g, size_t t)
{
    const fl_grade_test *gt = &g->tests[t];
    for (size_t r = 0; r < g->suite->tests[t].nseeds; r++)
        if (fl_outcome_failed(&g->runs[gt->first_run + r]))
            return &g->runs[gt->first_run + r];
    return NULL;
}

static void junit_case(const fl_grade *g, size_t t, FILE *out)
{
    const fl_suite_test *st = &g->suite->tests[t];
    const fl_grade_test *gt = &g->tests[t];
    fputs("    <testcase name=\"", out);
    xml_text(out, st->name);
    fputs("\" classname=\"", out);
    xml_text(out, g->suite->name[0] ? g->suite->name : g->suite->algorithm);
    fprintf(out, "\" time=\"%.3f\">\n", gt->wall_s);
    char *text = test_output(g, t, SIZE_MAX);
    if (gt->failed) {
        const fl_outcome *err = g->load_error[0] ? NULL : first_error(g, t);
        const fl_outcome *first = first_failure(g, t);
        bool error = g->load_error[0] || err;
        char mix[256], msg[400];
        failure_mix(g, t, mix, sizeof mix);
        snprintf(msg, sizeof msg, "%zu of %zu seeds failed%s%s", gt->failed, st->nseeds,
                 g->load_error[0] ? ": the implementation could not be loaded" : ": ",
                 g->load_error[0] ? "" : mix);
        const char *type = g->load_error[0] ? "load" : err ? fl_outcome_kind_name(err->kind)
                         : first && first->check[0] ? first->check : "fail";
        fprintf(out, "      <%s message=\"", error ? "error" : "failure");
        xml_text(out, msg);
        fputs("\" type=\"", out);
        xml_text(out, type);
        fputs("\">", out);
        xml_text(out, text ? text : "");
        fprintf(out, "</%s>\n", error ? "error" : "failure");
    }
    fputs("      <system-out>", out);
    xml_text(out, text ? text : "");
    fputs("</system-out>\n", out);
    free(text);
    fputs("    </testcase>\n", out);
}

int fl_grade_write_junit(const fl_grade *g, FILE *out)
{
    size_t failures = 0, errors = 0;
    for (size_t t = 0; t < g->suite->ntests; t++) {
        if (!g->tests[t].failed)
            continue;
        if (g->load_error[0] || first_error(g, t))
            errors++;
        else
            failures++;
    }
    char stamp[32] = "1970-01-01T00:00:00", host[256] = "localhost";
    struct tm tm;
    if (g->started && localtime_r(&g->started, &tm))
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    if (gethostname(host, sizeof host) != 0 || !host[0])
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    const char *name = g->suite->name[0] ? g->suite->name : g->suite->algorithm;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"faultline grade\"", out);
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
            g->suite->ntests, failures, errors, g->elapsed_s);
    fputs("  <testsuite name=\"", out);
    xml_text(out, name);
    fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"%.3f\" "
                 "timestamp=\"%s\" hostname=\"", g->suite->ntests, failures, errors,
            g->elapsed_s, stamp);
    xml_text(out, host);
    fputs("\" id=\"0\" package=\"faultline\">\n", out);
    fputs("    <properties>\n      <property name=\"implementation\" value=\"", out);
    xml_text(out, g->impl ? g->impl : "built-in");
    fputs("\"/>\n      <property name=\"suite\" value=\"", out);
    xml_text(out, g->suite->path);
    fprintf(out, "\"/>\n      <property name=\"score\" value=\"%.1f\"/>\n"
                 "      <property name=\"max_score\" value=\"%.1f\"/>\n    </properties>\n",
            g->score, g->max_score);
    for (size_t t = 0; t < g->suite->ntests; t++)
        junit_case(g, t, out);
    fprintf(out, "    <system-out>faultline graded %s: %.1f of %.1f points, %zu runs%s</system-out>\n",
            g->impl ? "the implementation" : "the built-in implementation", g->score,
            g->max_score, g->nruns, g->twice ? ", each run twice" : "");
    fputs("    <system-err>", out);
    xml_text(out, g->load_error);
    fputs("</system-err>\n  </testsuite>\n</testsuites>\n", out);
    return ferror(out) ? -1 : 0;
}
