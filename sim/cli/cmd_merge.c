/* cmd_merge.c — `faultline merge`: sums up the CSVs that `faultline explore
 * --csv` wrote for the shards of one sweep. Refuses CSVs of different
 * scenarios or options (the rows could not be compared), sorts the rows by
 * seed, drops seeds seen twice, reports the seed range the data covers and
 * the gaps in it, and every failure with the command that reproduces it. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/batch/sweep.h"
#include "sim/batch/tally.h"
#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/util/outfile.h"
#include "sim/batch/outcome.h"
#include "sim/run/run.h"

#define SHOW_FAILURES 20

/* ---- merge ------------------------------------------------------------------------------ */

static int cmp_row(const void *a, const void *b)
{
    const fl_sweep_row *x = a, *y = b;
    int c = strcmp(x->scenario, y->scenario);
    if (c)
        return c;
    c = strcmp(x->impl, y->impl);
    if (c)
        return c;
    return x->seed < y->seed ? -1 : x->seed > y->seed;
}

/* Sorted rows -> drops exact repeats of a (scenario, impl, seed); returns
 * how many were dropped. */
static size_t drop_repeats(fl_sweep_set *set)
{
    size_t out = 0, dropped = 0;
    for (size_t i = 0; i < set->n; i++) {
        if (out > 0 && cmp_row(&set->rows[out - 1], &set->rows[i]) == 0) {
            free(set->rows[i].detail);
            dropped++;
            continue;
        }
        set->rows[out++] = set->rows[i];
    }
    set->n = out;
    return dropped;
}

/* What differs between two rows that a merge must not mix, or NULL. */
static const char *row_mismatch(const fl_sweep_row *a, const fl_sweep_row *b, char *buf,
                                size_t len)
{
    if (strcmp(a->scenario, b->scenario) != 0)
        snprintf(buf, len, "scenario %s vs %s", a->scenario, b->scenario);
    else if (a->duration_ms != b->duration_ms)
        snprintf(buf, len, "duration_ms %" PRId64 " vs %" PRId64 " (-1: the scenario's)",
                 a->duration_ms, b->duration_ms);
    else if (strcmp(a->impl, b->impl) != 0)
        snprintf(buf, len, "impl \"%s\" vs \"%s\" (\"\": built in)", a->impl, b->impl);
    else
        return NULL;
    return buf;
}

/* Every row must come from the same sweep: one scenario, one duration, one
 * implementation. `first[i]` is the index of file i's first row. */
static int check_same_sweep(const fl_sweep_set *set, char **files, const size_t *first,
                            size_t nfiles)
{
    size_t f0 = 0;   /* the file row 0 came from */
    while (f0 + 1 < nfiles && first[f0 + 1] == 0)
        f0++;
    for (size_t f = 0, i = 0; f < nfiles; f++) {
        size_t end = f + 1 < nfiles ? first[f + 1] : set->n;
        for (; i < end; i++) {
            char why[2048];
            if (!row_mismatch(&set->rows[0], &set->rows[i], why, sizeof why))
                continue;
            fprintf(stderr, "faultline: merge: %s (seed %" PRIu64 ") and %s (seed %" PRIu64
                    ") are not from one sweep: %s; merge the CSVs of one scenario with the "
                    "same options\n", files[f0], set->rows[0].seed, files[f], set->rows[i].seed,
                    why);
            return 2;
        }
    }
    return 0;
}

static bool row_failed(const fl_sweep_row *r)
{
    return r->kind != FL_OUT_PASS && r->kind != FL_OUT_MISSED;
}

/* Counts by check, safety first; the rows of failures in that order. */
static void report_by_check(const fl_sweep_set *set, uint64_t missed)
{
    fl_tally t = { 0 };
    for (size_t i = 0; i < set->n; i++) {
        const fl_sweep_row *r = &set->rows[i];
        if (r->kind != FL_OUT_PASS &&
            fl_tally_add(&t, r->kind, r->check, r->detail, r->seed) != 0)
            printf("(out of memory: the counts by check are incomplete)\n");
    }
    fl_tally_sort(&t);
    if (t.n) {
        printf("by check (safety first): class, check, runs, first seed\n");
        fl_tally_print(&t, stdout);
    }
    fl_tally_free(&t);
    size_t shown = 0;
    for (int cls = FL_FAIL_SAFETY; cls <= FL_FAIL_LIVENESS; cls++)
        for (size_t i = 0; i < set->n; i++) {
            const fl_sweep_row *r = &set->rows[i];
            if (!row_failed(r) || (int)fl_fail_class_of(r->kind, r->check, r->detail) != cls)
                continue;
            if (shown++ == SHOW_FAILURES) {
                printf("... and more failures (see the merged CSV)\n");
                return;
            }
            char repro[2048];
            fl_run_repro(repro, sizeof repro, r->scenario, r->seed, false, r->duration_ms,
                         r->impl[0] ? r->impl : NULL);
            printf("FAIL seed %" PRIu64 " (%s): %s\n  reproduce: %s\n", r->seed, r->check,
                   r->detail ? r->detail : "", repro);
        }
    if (missed)
        printf("MISSED: in %" PRIu64 " runs the scenario's expected violation was not "
               "caught (every check held)\n", missed);
}

static void merge_report(const fl_sweep_set *set, size_t dropped)
{
    uint64_t failed = 0, missed = 0, gaps = 0;
    double wall = 0;
    for (size_t i = 0; i < set->n; i++) {
        const fl_sweep_row *r = &set->rows[i];
        failed += row_failed(r);
        missed += r->kind == FL_OUT_MISSED;
        wall += r->wall_ms;
        if (i > 0 && cmp_row(&set->rows[i - 1], r) < 0 && set->rows[i - 1].seed + 1 < r->seed &&
            strcmp(set->rows[i - 1].scenario, r->scenario) == 0)
            gaps += r->seed - set->rows[i - 1].seed - 1;
    }
    printf("merged %zu runs: %zu passed, %" PRIu64 " failed", set->n,
           set->n - (size_t)(failed + missed), failed);
    if (missed)
        printf(", %" PRIu64 " missed the expected violation", missed);
    printf("; %.1f s of runs", wall / 1e3);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < set->n; i++) {
        lo = set->rows[i].seed < lo ? set->rows[i].seed : lo;
        hi = set->rows[i].seed > hi ? set->rows[i].seed : hi;
    }
    if (set->n)
        printf("; seeds %" PRIu64 "..%" PRIu64, lo, hi);
    printf("\n");
    if (dropped)
        printf("%zu repeated seeds dropped (the same seed in two CSVs)\n", dropped);
    if (gaps)
        printf("%" PRIu64 " seeds missing between the first and the last (a shard missing or "
               "stopped at its first failure?)\n", gaps);
    report_by_check(set, missed);
}

typedef struct merge_opts {
    const char *out;
    char      **files;
    size_t      nfiles;
} merge_opts;

static const fl_cli_opt merge_options[] = {
    { "out", 'o', true }, { NULL, 0, false },
};

static int merge_option(void *ctx, const char *a, const char *v)
{
    merge_opts *o = ctx;
    if (strcmp(a, "--out") != 0)
        return fl_cli_usage_error("merge", "unknown option %s", a);
    o->out = v;
    return 0;
}

static int merge_operand(void *ctx, const char *a)
{
    merge_opts *o = ctx;
    o->files[o->nfiles++] = (char *)a;
    return 0;
}

int fl_cmd_merge(int argc, char **argv)
{
    merge_opts o = { NULL, calloc((size_t)argc + 1, sizeof(char *)), 0 };
    if (!o.files)
        return 2;
    int rc = fl_cli_parse(&fl_cmd_merge_entry, argc, argv, merge_options, merge_option,
                          merge_operand, &o);
    if (rc == 0 && o.nfiles == 0)
        rc = fl_cli_usage_error("merge", "expected the CSV files of a sweep");
    if (rc != 0) {
        free(o.files);
        return fl_cli_status(rc);
    }
    const char *out = o.out;
    fl_sweep_set set;
    memset(&set, 0, sizeof set);
    fl_error err = { { 0 } };
    size_t *first = calloc(o.nfiles, sizeof *first);
    rc = first ? 0 : 2;
    for (size_t i = 0; i < o.nfiles && rc == 0; i++) {
        first[i] = set.n;
        if (fl_sweep_read(&set, o.files[i], &err) != 0) {
            fprintf(stderr, "faultline: %s\n", err.msg);
            rc = 2;
        }
    }
    if (rc == 0)
        rc = check_same_sweep(&set, o.files, first, o.nfiles);
    free(first);
    if (rc != 0) {
        fl_sweep_set_free(&set);
        free(o.files);
        return rc;
    }
    qsort(set.rows, set.n, sizeof *set.rows, cmp_row);
    size_t dropped = drop_repeats(&set);
    int status = 0;
    fl_outfile of;
    if (fl_outfile_open(&of, out) != 0) {
        status = 2;
    } else if (of.fp) {
        fl_sweep_write_header(of.fp);
        for (size_t i = 0; i < set.n; i++)
            fl_sweep_write_row(of.fp, &set.rows[i]);
        status = fl_outfile_close(&of, true) == 0 ? 0 : 2;
    }
    if (status == 0) {
        merge_report(&set, dropped);
        for (size_t i = 0; i < set.n && status != 1; i++)
            status = row_failed(&set.rows[i]) ? 1
                   : set.rows[i].kind == FL_OUT_MISSED ? 4 : status;
    }
    fl_sweep_set_free(&set);
    free(o.files);
    return status;
}


/* ---- The command-table entry: `faultline help merge` and `faultline merge --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline merge FILE.csv... [--out ALL.csv]\n"
    "\n"
    "Reads the CSVs written by `faultline explore --csv` for one sweep (for\n"
    "example one per --shard), sorts the rows by seed, drops seeds that appear\n"
    "twice, and prints how many runs passed and failed, the lowest and highest\n"
    "seed in the data, how many seeds are missing between them, the failures\n"
    "counted by check, safety first (per check the runs and the first seed),\n"
    "and up to 20 failures, safety first, with their repro commands. Runs that\n"
    "missed a bug scenario's expected violation are counted apart. --out\n"
    "writes the merged CSV.\n"
    "CSVs of different scenarios, durations or implementations are refused\n"
    "(exit 2, naming the two files and what differs): their runs cannot be\n"
    "summed up together.\n"
    "\n"
    "exit status: 0 every run passed, 1 a run failed, 2 bad usage or input,\n"
    "4 none failed but some missed the expected violation\n";

const fl_command fl_cmd_merge_entry = {
    "merge", "combine the CSVs of a sharded sweep into one summary", usage_text, fl_cmd_merge, NULL, true,
};
