/* cmd_explore.c — `faultline explore`, swarm testing over seeds.
 *
 * explore runs one scenario over a range of seeds (optionally with random
 * crash / partition / pause nemeses added, so every seed also gets its own
 * fault schedule) in forked children (sim/batch/child.h), shows a progress bar,
 * stops at the first failure unless --keep-going, writes one CSV row per
 * seed in seed order and prints every failure with the command that
 * reproduces it. --shard I/N keeps every N-th seed, so a sweep spreads
 * over a Slurm job array or GNU parallel (cmd_merge.c sums up the CSVs).
 * Failures are counted by check, safety first (sim/batch/tally.h), and
 * runs of a bug scenario that missed its expected violation apart.
 * Exit status: 0 every run passed,
 * 1 some run failed, 4 none failed but some missed the scenario's
 * expected violation, 2 bad usage or input, 130 interrupted (the CSV still
 * holds the runs that finished). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sim/batch/child.h"
#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/batch/outcome.h"
#include "sim/util/outfile.h"
#include "sim/batch/progress.h"
#include "sim/run/registry.h"
#include "sim/run/run.h"
#include "sim/scenario/jsoncheck.h"
#include "sim/scenario/scenario.h"
#include "sim/batch/seeds.h"
#include "sim/batch/sweep.h"
#include "sim/batch/tally.h"
#include "sim/util/file.h"

#define SHOW_FAILURES 20

typedef struct explore_opts {
    const char   *scenario, *impl, *csv, *nemesis, *scenario_out;
    fl_seed_range seeds;
    bool          has_seeds, has_shard, keep_going, twice, quiet, progress;
    fl_shard      shard;
    unsigned      jobs;
    int64_t       duration_ms;       /* -1: the scenario's */
    fl_child_limits limits;
} explore_opts;

static int parse_value(explore_opts *o, const char *a, const char *v)
{
    uint64_t n;
    double d;
    char *end;
    if (strcmp(a, "--seeds") == 0) {
        if (!fl_seed_range_parse(v, &o->seeds))
            return fl_cli_usage_error("explore", "--seeds %s: expected A-B (A <= B) or one seed", v);
        o->has_seeds = true;
    } else if (strcmp(a, "--shard") == 0) {
        if (!fl_shard_parse(v, &o->shard))
            return fl_cli_usage_error("explore", "--shard %s: expected I/N with 0 <= I < N", v);
        o->has_shard = true;
    } else if (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0) {
        if (!fl_cli_parse_u64(v, &n) || n == 0 || n > 1024)
            return fl_cli_usage_error("explore", "--jobs %s: expected 1..1024", v);
        o->jobs = (unsigned)n;
    } else if (strcmp(a, "--duration") == 0) {
        if (!fl_cli_parse_u64(v, &n) || n == 0 || n > 1000000000ULL)
            return fl_cli_usage_error("explore", "--duration %s: expected milliseconds in 1..1e9", v);
        o->duration_ms = (int64_t)n;
    } else if (strcmp(a, "--cpu") == 0 || strcmp(a, "--wall") == 0 || strcmp(a, "--memory") == 0) {
        d = strtod(v, &end);
        if (*end || !(d > 0) || d > 1048576)
            return fl_cli_usage_error("explore", "%s %s: expected a positive number", a, v);
        if (a[2] == 'c') o->limits.cpu_s = d;
        else if (a[2] == 'w') o->limits.wall_s = d;
        else o->limits.mem_bytes = (uint64_t)(d * 1048576.0);
    } else if (strcmp(a, "--csv") == 0) o->csv = v;
    else if (strcmp(a, "--impl") == 0) o->impl = v;
    else if (strcmp(a, "--nemesis") == 0) o->nemesis = v;
    else if (strcmp(a, "--scenario-out") == 0) o->scenario_out = v;
    else
        return fl_cli_usage_error("explore", "unknown option %s", a);
    return 0;
}

static const fl_cli_opt explore_options[] = {
    { "seeds", 0, true }, { "jobs", 'j', true }, { "keep-going", 'k', false },
    { "shard", 0, true }, { "csv", 0, true }, { "nemesis", 0, true },
    { "scenario-out", 0, true }, { "impl", 0, true }, { "duration", 0, true },
    { "twice", 0, false }, { "cpu", 0, true }, { "wall", 0, true },
    { "memory", 0, true }, { "quiet", 'q', false }, { "progress", 0, false },
    { NULL, 0, false },
};

static int explore_option(void *ctx, const char *a, const char *v)
{
    explore_opts *o = ctx;
    if (strcmp(a, "--keep-going") == 0) { o->keep_going = true; return 0; }
    if (strcmp(a, "--twice") == 0) { o->twice = true; return 0; }
    if (strcmp(a, "--quiet") == 0) { o->quiet = true; return 0; }
    if (strcmp(a, "--progress") == 0) { o->progress = true; return 0; }
    return parse_value(o, a, v);
}

static int explore_operand(void *ctx, const char *a)
{
    explore_opts *o = ctx;
    if (o->scenario)
        return fl_cli_usage_error("explore", "more than one scenario given (\"%s\")", a);
    o->scenario = a;
    return 0;
}

/* 0, FL_CLI_DONE (--help or --version printed) or an exit status. */
static int parse_args(int argc, char **argv, explore_opts *o)
{
    memset(o, 0, sizeof *o);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cpus > 0 ? (unsigned)cpus : 1;
    o->duration_ms = -1;
    o->shard.count = 1;
    o->limits.cpu_s = 60;
    o->limits.wall_s = 120;
    o->limits.mem_bytes = (uint64_t)1024 << 20;
    int rc = fl_cli_parse(&fl_cmd_explore_entry, argc, argv, explore_options,
                          explore_option, explore_operand, o);
    if (rc != 0)
        return rc;
    if (!o->scenario)
        return fl_cli_usage_error("explore", "no scenario given");
    if (!o->has_seeds)
        return fl_cli_usage_error("explore", "say which seeds to run: --seeds A-B");
    return 0;
}

/* ---- The scenario, with nemeses added ---------------------------------------------- */

static char *read_text(const char *path, size_t *len)
{
    char *buf;
    fl_file_rc rc = fl_file_read_all(path, (16u << 20) - 1, &buf, len);
    if (rc == FL_FILE_OPEN)
        fprintf(stderr, "faultline: %s: cannot read: %s\n", path, strerror(errno));
    else if (rc != FL_FILE_OK)
        fprintf(stderr, "faultline: %s: cannot read the scenario\n", path);
    return rc == FL_FILE_OK ? buf : NULL;
}

static cJSON *nemesis_fault(const char *kind)
{
    const char *k = strcmp(kind, "crash") == 0 ? "random-crash"
                  : strcmp(kind, "partition") == 0 ? "random-partition"
                  : strcmp(kind, "pause") == 0 ? "random-pause" : NULL;
    if (!k)
        return NULL;
    cJSON *f = cJSON_CreateObject();
    cJSON_AddNumberToObject(f, "at_ms", 500);
    cJSON_AddStringToObject(f, "type", "nemesis");
    cJSON_AddStringToObject(f, "kind", k);
    const double every[2] = { 1000, 3000 }, down[2] = { 200, 2000 };
    cJSON_AddItemToObject(f, "every_ms", cJSON_CreateDoubleArray(every, 2));
    cJSON_AddItemToObject(f, "down_ms", cJSON_CreateDoubleArray(down, 2));
    if (strcmp(kind, "partition") != 0)
        cJSON_AddNumberToObject(f, "max_down", 1);
    return f;
}

/* The scenario text with a nemesis per kind in `kinds` ("crash,pause"). */
static char *add_nemeses(const char *text, const char *path, const char *kinds)
{
    cJSON *root = cJSON_Parse(text);
    if (!cJSON_IsObject(root)) {
        fprintf(stderr, "faultline: %s: not valid JSON\n", path);
        cJSON_Delete(root);
        return NULL;
    }
    cJSON *faults = cJSON_GetObjectItemCaseSensitive(root, "faults");
    if (!faults)
        faults = cJSON_AddArrayToObject(root, "faults");
    char *list = strdup(kinds), *save = NULL, *out = NULL;
    bool ok = list && cJSON_IsArray(faults);
    for (char *k = ok ? strtok_r(list, ",", &save) : NULL; k && ok; k = strtok_r(NULL, ",", &save)) {
        cJSON *f = nemesis_fault(k);
        if (!f)
            fl_cli_usage_error("explore", "--nemesis: unknown kind \"%s\" (known: crash, "
                               "partition, pause)", k);
        ok = f != NULL;
        if (f)
            cJSON_AddItemToArray(faults, f);
    }
    cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (ok && cJSON_IsString(name)) {
        char buf[FL_NAME_MAX];
        snprintf(buf, sizeof buf, "%.*s-nemesis",
                 (int)fl_utf8_prefix(name->valuestring, 40), name->valuestring);
        cJSON_SetValuestring(name, buf);
    }
    if (ok)
        out = cJSON_Print(root);
    free(list);
    cJSON_Delete(root);
    return out;
}

/* Loads the scenario (with nemeses, written to a file for the repro
 * commands). Sets *path_out to the file the runs use. */
static fl_scenario *load_scenario(const explore_opts *o, char **path_out)
{
    fl_error err = { { 0 } };
    size_t len = 0;
    char *text = read_text(o->scenario, &len), *mod = NULL;
    fl_scenario *s = NULL;
    *path_out = strdup(o->nemesis ? (o->scenario_out ? o->scenario_out : "") : o->scenario);
    if (!text || !*path_out)
        goto out;
    if (o->nemesis) {
        if (!(mod = add_nemeses(text, o->scenario, o->nemesis)))
            goto out;
        if (!o->scenario_out) {
            const char *base = strrchr(o->scenario, '/');
            base = base ? base + 1 : o->scenario;
            free(*path_out);
            *path_out = malloc(strlen(base) + 16);
            if (!*path_out)
                goto out;
            sprintf(*path_out, "%.*s-nemesis.json", (int)(strcspn(base, ".")), base);
        }
        fl_outfile of;
        if (fl_outfile_open(&of, *path_out) != 0)
            goto out;
        fputs(mod, of.fp);
        if (fl_outfile_close(&of, true) != 0)
            goto out;
        s = fl_scenario_parse(mod, strlen(mod), *path_out, &err);
    } else {
        s = fl_scenario_parse(text, len, o->scenario, &err);
    }
    if (!s)
        fprintf(stderr, "faultline: %s\n", err.msg);
out:
    free(text);
    free(mod);
    return s;
}

/* ---- Running the seeds --------------------------------------------------------------- */

typedef struct explore_run {
    const explore_opts *o;
    fl_scenario *s;
    const fl_algorithm *alg;      /* built in; NULL with --impl */
    char        *path;            /* the scenario file runs reproduce with */
    uint64_t     nitems;
    /* Results kept until every earlier seed has finished, so the CSV is
     * written in seed order: a window over items [written, written + cap). */
    fl_outcome  *window;
    bool        *present;
    size_t       cap;
    uint64_t     written;
    FILE        *csv;
    uint64_t     done, failed, missed;
    fl_tally     tally;           /* every failure and miss, by check */
    bool         tally_oom;
    fl_outcome  *fails;           /* SHOW_FAILURES failures, safety first, then
                                     by seed */
    uint64_t    *fail_seeds;
    size_t       nfails;
    fl_progress  progress;
} explore_run;

static uint64_t item_seed(const explore_run *er, uint64_t item)
{
    return er->o->seeds.lo + er->o->shard.index + item * er->o->shard.count;
}

static void explore_work(void *ctx, size_t i, void *payload)
{
    explore_run *er = ctx;
    fl_run_spec spec = {
        .seed = item_seed(er, i),
        .duration = er->o->duration_ms > 0 ? FL_MS(er->o->duration_ms) : 0,
        .lin_timeout_s = er->o->limits.cpu_s / 2,
        .twice = er->o->twice,
    };
    if (er->alg)
        fl_outcome_run(er->s, er->alg, &spec, payload);
    else
        fl_outcome_run_job(er->s, er->o->impl, &spec, payload);
}

static int grow_window(explore_run *er, size_t need)
{
    size_t cap = er->cap ? er->cap : 64;
    while (cap <= need)
        cap *= 2;
    fl_outcome *w = calloc(cap, sizeof *w);
    bool *p = calloc(cap, sizeof *p);
    if (!w || !p) {
        free(w);
        free(p);
        return -1;
    }
    for (size_t k = 0; k < er->cap; k++) {     /* re-home by item number */
        size_t from = (size_t)((er->written + k) % er->cap);
        size_t to = (size_t)((er->written + k) % cap);
        w[to] = er->window[from];
        p[to] = er->present[from];
    }
    free(er->window);
    free(er->present);
    er->window = w;
    er->present = p;
    er->cap = cap;
    return 0;
}

static void write_ready(explore_run *er)
{
    while (er->cap && er->present[er->written % er->cap]) {
        size_t k = (size_t)(er->written % er->cap);
        if (er->csv) {
            fl_sweep_row row;
            fl_sweep_row_from(&row, item_seed(er, er->written), &er->window[k], er->path,
                              er->o->duration_ms, er->o->impl);
            fl_sweep_write_row(er->csv, &row);
        }
        er->present[k] = false;
        er->written++;
    }
}

/* After an interruption: the finished runs after a gap, still in order. */
static void write_rest(explore_run *er)
{
    for (size_t k = 0; k < er->cap; k++) {
        uint64_t item = er->written + k;
        size_t at = (size_t)(item % er->cap);
        if (!er->present[at] || !er->csv)
            continue;
        fl_sweep_row row;
        fl_sweep_row_from(&row, item_seed(er, item), &er->window[at], er->path,
                          er->o->duration_ms, er->o->impl);
        fl_sweep_write_row(er->csv, &row);
    }
}

static fl_fail_class class_of(const fl_outcome *o)
{
    return fl_fail_class_of(o->kind, o->check, o->detail);
}

/* Whether failure (a, sa) is shown before (b, sb): safety first, then seed. */
static bool shown_before(const fl_outcome *a, uint64_t sa, const fl_outcome *b, uint64_t sb)
{
    fl_fail_class ca = class_of(a), cb = class_of(b);
    return ca != cb ? ca < cb : sa < sb;
}

static void keep_failure(explore_run *er, uint64_t seed, const fl_outcome *o)
{
    size_t at = er->nfails;
    while (at > 0 && shown_before(o, seed, &er->fails[at - 1], er->fail_seeds[at - 1]))
        at--;
    if (at >= SHOW_FAILURES)
        return;
    size_t n = er->nfails < SHOW_FAILURES ? er->nfails : SHOW_FAILURES - 1;
    memmove(&er->fails[at + 1], &er->fails[at], (n - at) * sizeof *er->fails);
    memmove(&er->fail_seeds[at + 1], &er->fail_seeds[at], (n - at) * sizeof *er->fail_seeds);
    er->fails[at] = *o;
    er->fail_seeds[at] = seed;
    er->nfails = n + 1;
}

static bool explore_done(void *ctx, size_t i, const fl_child_result *r, const void *payload)
{
    explore_run *er = ctx;
    fl_outcome o;
    fl_outcome_from_child(r, payload, &er->o->limits, &o);
    er->done++;
    if (fl_outcome_failed(&o)) {
        er->failed++;
        keep_failure(er, item_seed(er, i), &o);
    }
    er->missed += o.kind == FL_OUT_MISSED;
    if ((fl_outcome_failed(&o) || o.kind == FL_OUT_MISSED) &&
        fl_tally_add(&er->tally, o.kind, o.check, o.detail, item_seed(er, i)) != 0)
        er->tally_oom = true;
    size_t off = (size_t)(i - er->written);
    if (off >= er->cap && grow_window(er, off) != 0) {
        fprintf(stderr, "faultline: out of memory\n");
        return false;
    }
    er->window[(size_t)(i % er->cap)] = o;
    er->present[(size_t)(i % er->cap)] = true;
    write_ready(er);
    fl_progress_update(&er->progress, er->done, er->failed);
    return er->o->keep_going || !fl_outcome_failed(&o);
}

/* User + system seconds of this process and of its children waited for
 * (the runs): what the runs cost, whatever else loads the machine. */
static double explore_cpu(void)
{
    struct rusage self, kids;
    if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &kids) != 0)
        return 0;
    const struct timeval *t[] = { &self.ru_utime, &self.ru_stime,
                                  &kids.ru_utime, &kids.ru_stime };
    double s = 0;
    for (size_t i = 0; i < 4; i++)
        s += (double)t[i]->tv_sec + (double)t[i]->tv_usec / 1e6;
    return s;
}

static void print_summary(explore_run *er, double secs, double cpu, bool interrupted)
{
    const explore_opts *o = er->o;
    printf("explored %s, seeds %" PRIu64 "-%" PRIu64, er->path, o->seeds.lo, o->seeds.hi);
    if (o->has_shard)
        printf(" (shard %" PRIu64 "/%" PRIu64 ")", o->shard.index, o->shard.count);
    printf(": %" PRIu64 " runs, %" PRIu64 " passed, %" PRIu64 " failed", er->done,
           er->done - er->failed - er->missed, er->failed);
    if (er->missed)
        printf(", %" PRIu64 " missed the expected violation %s", er->missed,
               er->s->expect.violation);
    printf(" in %.2f s (%.1f runs/s; %.2f s CPU with the children, %.1f runs per "
           "CPU-second)%s\n", secs, secs > 0 ? (double)er->done / secs : 0.0, cpu,
           cpu > 0 ? (double)er->done / cpu : 0.0,
           interrupted ? ", interrupted" : er->done < er->nitems ? ", stopped at the first "
           "failure (--keep-going runs them all)" : "");
    if (er->tally.n) {
        fl_tally_sort(&er->tally);
        printf("by check (safety first): class, check, runs, first seed\n");
        fl_tally_print(&er->tally, stdout);
    }
    if (er->tally_oom)
        printf("(out of memory: the counts by check are incomplete)\n");
    for (size_t k = 0; k < er->nfails; k++) {
        char repro[2048];
        fl_run_repro(repro, sizeof repro, er->path, er->fail_seeds[k], false, o->duration_ms,
                     o->impl);
        printf("FAIL seed %" PRIu64 ": %s\n  reproduce: %s\n", er->fail_seeds[k],
               er->fails[k].detail, repro);
    }
    if (er->failed > er->nfails)
        printf("... and %" PRIu64 " more failures (see the CSV)\n", er->failed - er->nfails);
    if (er->missed)
        printf("MISSED: the scenario expects %s to fail; in %" PRIu64 " of %" PRIu64 " runs "
               "every check held (an implementation without the bug, or seeds that do not "
               "trigger it)\n", er->s->expect.violation, er->missed, er->done);
}

static int prepare(explore_run *er, const explore_opts *o)
{
    er->s = load_scenario(o, &er->path);
    if (!er->s)
        return 2;
    fl_error err = { { 0 } };
    if (!o->impl) {
        er->alg = fl_registry_find(er->s->algorithm);
        if (!er->alg) {
            fprintf(stderr, "faultline: %s: $.algorithm: unknown algorithm \"%s\" (or pass "
                            "--impl SO)\n", er->path, er->s->algorithm);
            return 2;
        }
        if (fl_scenario_bind(er->s, er->alg, &err) < 0) {
            fprintf(stderr, "faultline: %s\n", err.msg);
            return 2;
        }
    } else {
        char msg[600];
        fl_child_status st = fl_outcome_check_impl(o->impl, er->s, &o->limits, msg, sizeof msg);
        if (st != FL_CHILD_OK)
            return st == FL_CHILD_INTERRUPTED ? 130 : 2;
        if (msg[0]) {
            fprintf(stderr, "faultline: %s\n", msg);
            return 2;
        }
    }
    uint64_t total = fl_seed_range_count(&o->seeds);
    er->nitems = total / o->shard.count + (o->shard.index < total % o->shard.count);
    er->fails = calloc(SHOW_FAILURES, sizeof *er->fails);
    er->fail_seeds = calloc(SHOW_FAILURES, sizeof *er->fail_seeds);
    if (!er->fails || !er->fail_seeds || grow_window(er, 0) != 0) {
        fprintf(stderr, "faultline: out of memory\n");
        return 2;
    }
    return 0;
}

int fl_cmd_explore(int argc, char **argv)
{
    explore_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != 0)
        return fl_cli_status(status);
    explore_run er;
    memset(&er, 0, sizeof er);
    er.o = &o;
    fl_outfile csv = { 0 };
    status = prepare(&er, &o);
    if (status == 0 && fl_outfile_open(&csv, o.csv) != 0)
        status = 2;
    if (status == 0) {
        er.csv = csv.fp;
        if (er.csv)
            fl_sweep_write_header(er.csv);
        fl_child_pool pool = {
            /* Built-in algorithms keep no global state, so a child may run
             * a batch of seeds; a plug-in gets a fresh process per seed. */
            .nitems = (size_t)er.nitems, .jobs = o.jobs, .limits = o.limits,
            .batch = o.impl ? 1 : 16,
            .payload_size = sizeof(fl_outcome), .work = explore_work,
            .done = explore_done, .ctx = &er,
        };
        double cpu0 = explore_cpu();
        fl_progress_start(&er.progress, stderr, er.nitems,
                          o.quiet || (!o.progress && !isatty(fileno(stderr))));
        fl_child_status st = fl_child_run(&pool);
        fl_progress_end(&er.progress, er.done, er.failed);
        write_rest(&er);
        double secs = fl_progress_elapsed(&er.progress);
        print_summary(&er, secs, explore_cpu() - cpu0, st == FL_CHILD_INTERRUPTED);
        if (csv.fp && fl_outfile_close(&csv, st != FL_CHILD_FAILED) != 0)
            st = FL_CHILD_FAILED;
        status = st == FL_CHILD_INTERRUPTED ? 130 : st != FL_CHILD_OK ? 2
               : er.failed ? 1 : er.missed ? 4 : 0;
    }
    fl_outfile_close(&csv, false);
    fl_scenario_free(er.s);
    free(er.path);
    free(er.window);
    free(er.present);
    free(er.fails);
    free(er.fail_seeds);
    fl_tally_free(&er.tally);
    return status;
}

/* ---- The command-table entry: `faultline help explore` and `faultline explore --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline explore SCENARIO.json --seeds A-B [options]\n"
    "\n"
    "Runs the scenario once per seed in A..B (inclusive), each run in its own\n"
    "child process (CPU, wall-clock and memory limits as for grade), --jobs at\n"
    "a time, with a progress bar on stderr (runs/s, failures so far). Stops\n"
    "starting new runs at the first failure unless --keep-going. Counts the\n"
    "failures by check, safety first (safety, implementation, liveness: per\n"
    "check the runs and the first seed), then prints up to 20 failures, safety\n"
    "first, with the command that reproduces each. Runs of a scenario that\n"
    "declares expect.violation in which every check held are counted apart\n"
    "as missed (the bug was not caught).\n"
    "\n"
    "options:\n"
    "  --seeds A-B       the seeds (decimal or 0x-hex; \"7\" is one seed)\n"
    "  --jobs J          child processes at once (default: the number of CPUs)\n"
    "  --keep-going      run every seed, failures or not\n"
    "  --shard I/N       run only the seeds at positions I, I+N, I+2N, ... of\n"
    "                    the range (0 <= I < N): one share of a sweep spread\n"
    "                    over N machines or Slurm array tasks\n"
    "  --csv FILE        write one row per seed, in seed order (seed, result,\n"
    "                    check, trace hash, events, ops, times, scenario,\n"
    "                    duration, impl, detail); `faultline merge` reads it\n"
    "  --nemesis KINDS   add random faults, so each seed also gets its own fault\n"
    "                    schedule: a comma list of crash, partition, pause\n"
    "  --scenario-out F  where to write the scenario with the nemeses (the\n"
    "                    repro commands name it; default NAME-nemesis.json)\n"
    "  --impl SO         run the implementation in this shared object\n"
    "  --duration MS     simulated run time (default: the scenario's)\n"
    "  --twice           run every seed twice and compare trace hashes\n"
    "  --cpu S, --wall S, --memory MB   limits per run (60, 120, 1024)\n"
    "  --quiet           no progress bar\n"
    "\n"
    "exit status: 0 every run passed, 1 a run failed, 2 bad usage or input,\n"
    "4 none failed but some missed the expected violation,\n"
    "130 interrupted (the CSV keeps the runs that finished)\n";

const fl_command fl_cmd_explore_entry = {
    "explore", "run a scenario over many seeds in parallel (swarm testing)", usage_text, fl_cmd_explore, NULL, true,
};
