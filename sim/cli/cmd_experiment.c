/* cmd_experiment.c — `faultline experiment NAME`: canonical experiments
 * that export datasets to notebooks-data/. One experiment so far:
 *
 *   raft-election   the Raft paper's leader-election experiment (Ongaro &
 *                   Ousterhout 2014, §9.3, Figure 16): five servers, no
 *                   clients, a stable period, then the leader is crashed at
 *                   a uniformly random point of its heartbeat interval; the
 *                   time until some server leads in a newer term is measured
 *                   per trial, for the eleven election-timeout ranges of Figure 16 (ten
 *                   distinct: 150-300 ms is in both of its panels).
 *
 *   sort-scaling    the distributed sample sort (algorithms/sort/) with
 *                   N = 2..64 workers and 10^4..10^6 keys: simulated
 *                   completion time, messages, bytes and load imbalance.
 *
 * Every trial is an ordinary engine run built from a JSON scenario, observed
 * through a step hook, with Raft's invariants checked after every event.
 * Outputs depend only on the simulation (never on the wall clock), so the
 * same binary writes byte-identical files every time; wall time is reported
 * on stderr only. Files are written under a temporary name and renamed. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/util/suggest.h"
#include "sim/util/stats.h"
#include "sim/cli/exp_hashing.h"
#include "sim/engine.h"
#include "sim/run/registry.h"
#include "sim/run/run.h"
#include "sim/rng.h"
#include "sim/scenario/scenario.h"

#define EXP_DEFAULT_TRIALS 1000
#define EXP_MAX_TRIALS     1000000
#define EXP_STABLE_MS      2000      /* before the crash window opens */
#define EXP_CAP_MS         10000     /* a trial gives up this long after the crash */
#define EXP_STAGGER_MS     20        /* server i boots i * 20 ms after server 0 */
#define EXP_SERVERS        5

/* Network and disk models. "paper": a broadcast time of about 15 ms, as the
 * paper reports for its cluster (a heartbeat round to four followers takes
 * about 14 ms here, a vote round with the two disk syncs about 18 ms).
 * "lan": the same cluster on a fast LAN with fast disks (rounds of about
 * 3 ms), to show how much the result depends on the one-way delay of a
 * RequestVote compared with the randomness of the timeouts. */
typedef struct exp_network {
    const char *name;
    const char *suffix;      /* of the output file names */
    const char *network;     /* scenario JSON */
    const char *disk;
} exp_network;

static const exp_network exp_networks[] = {
    { "paper", "",
      "{\"latency\":{\"dist\":\"lognormal\",\"median_ms\":6,\"sigma\":0.2}}",
      "{\"sync\":{\"dist\":\"uniform\",\"min_ms\":1,\"max_ms\":3}}" },
    { "lan", "-lan",
      "{\"latency\":{\"dist\":\"lognormal\",\"median_ms\":0.5,\"sigma\":0.3}}",
      "{\"sync\":{\"dist\":\"uniform\",\"min_ms\":0.5,\"max_ms\":1.5}}" },
};
#define EXP_NNETWORKS (sizeof exp_networks / sizeof exp_networks[0])

/* The election-timeout ranges of Figure 16 (top: randomness added to 150 ms;
 * bottom: the minimum scaled). 150-300 appears in both panels of the paper
 * and is run once here; the plot script draws it in both. */
typedef struct exp_range {
    int lo_ms, hi_ms;
} exp_range;

static const exp_range exp_ranges[] = {
    {150, 150}, {150, 151}, {150, 155}, {150, 175}, {150, 200}, {150, 300},
    {12, 24}, {25, 50}, {50, 100}, {100, 200},
};
#define EXP_NRANGES (sizeof exp_ranges / sizeof exp_ranges[0])

typedef struct exp_opts {
    const char        *name;
    long               trials;
    bool               trials_set;   /* --trials given (sort-scaling's default is 3) */
    const char        *out;
    const exp_network *net;
} exp_opts;

/* One trial's outcome. */
typedef struct exp_result {
    fl_time downtime;       /* crash -> new leader; the cap if capped */
    bool    capped;
} exp_result;

/* What the step hook watches during one trial. */
typedef struct exp_watch {
    fl_time    crash_planned;
    fl_time    crash_at;     /* -1 until the leader crashed */
    int64_t    crashed_term;
    fl_time    elected_at;   /* -1 until a newer leader appeared */
} exp_watch;

static const exp_network *exp_find_network(const char *name)
{
    for (size_t k = 0; k < EXP_NNETWORKS; k++)
        if (strcmp(name, exp_networks[k].name) == 0)
            return &exp_networks[k];
    return NULL;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const fl_cli_opt exp_options[] = {
    { "trials", 0, true }, { "network", 0, true }, { "out", 'o', true },
    { NULL, 0, false },
};

static int exp_option(void *ctx, const char *a, const char *v)
{
    exp_opts *o = ctx;
    if (strcmp(a, "--trials") == 0) {
        uint64_t n;
        if (!fl_cli_parse_u64(v, &n) || n == 0 || n > EXP_MAX_TRIALS)
            return fl_cli_usage_error("experiment", "--trials %s: expected 1..%d", v,
                                      EXP_MAX_TRIALS);
        o->trials = (long)n;
        o->trials_set = true;
    } else if (strcmp(a, "--network") == 0) {
        if (!(o->net = exp_find_network(v)))
            return fl_cli_usage_error("experiment", "--network %s: expected paper or lan", v);
    } else if (strcmp(a, "--out") == 0) {
        if (!*v)
            return fl_cli_usage_error("experiment", "--out needs a directory");
        o->out = v;
    } else {
        return fl_cli_usage_error("experiment", "unknown option %s", a);
    }
    return 0;
}

static int exp_operand(void *ctx, const char *a)
{
    exp_opts *o = ctx;
    if (o->name)
        return fl_cli_usage_error("experiment", "more than one experiment given (\"%s\")", a);
    o->name = a;
    return 0;
}

/* 0, FL_CLI_DONE (--help or --version printed) or an exit status. */
static int parse_args(int argc, char **argv, exp_opts *o)
{
    o->name = NULL;
    o->trials = EXP_DEFAULT_TRIALS;
    o->trials_set = false;
    o->out = "notebooks-data";
    o->net = &exp_networks[0];
    int rc = fl_cli_parse(&fl_cmd_experiment_entry, argc, argv, exp_options, exp_option,
                          exp_operand, o);
    if (rc != 0)
        return rc;
    if (!o->name)
        return fl_cli_usage_error("experiment", "no experiment given (known: raft-election, "
                                  "sort-scaling, consistent-hashing, "
                                  "load-balancing)");
    static const char *const known[] = { "raft-election", "sort-scaling", "consistent-hashing",
                                         "load-balancing", NULL };
    if (strcmp(o->name, "raft-election") != 0 && strcmp(o->name, "sort-scaling") != 0 &&
        strcmp(o->name, "consistent-hashing") != 0 && strcmp(o->name, "load-balancing") != 0) {
        const char *sug = fl_suggest(o->name, known);
        if (sug)
            return fl_cli_usage_error("experiment", "unknown experiment \"%s\" (did you "
                                      "mean \"%s\"?)", o->name, sug);
        return fl_cli_usage_error("experiment", "unknown experiment \"%s\" (known: "
                                  "raft-election, sort-scaling, "
                                  "consistent-hashing, load-balancing)",
                                  o->name);
    }
    return 0;
}

/* ---- One trial ---------------------------------------------------------------- */

/* The heartbeat interval is half the minimum election timeout, as in the
 * paper (integer milliseconds, so 25 ms gives 12 ms). */
static int exp_heartbeat_ms(const exp_range *r)
{
    return r->lo_ms / 2 > 0 ? r->lo_ms / 2 : 1;
}

/* The crash time of trial `seed`: the stable period plus a uniform point of
 * the heartbeat interval, in microseconds, from SplitMix64 of the seed. */
static int64_t exp_crash_us(const exp_range *r, uint64_t seed)
{
    uint64_t st = seed ^ UINT64_C(0xc0ffee5eed);
    uint64_t span = (uint64_t)exp_heartbeat_ms(r) * 1000;
    return (int64_t)EXP_STABLE_MS * 1000 + (int64_t)(fl_splitmix64(&st) % span);
}

/* The trial's scenario as JSON. Servers 1..4 are down for their first
 * 20/40/60/80 ms (crashed at 1 us, restarted), so the servers boot at
 * different times, as real ones do: without that, the 150-150 ms runs would
 * all time out at the same instant at start-up and never elect anyone. */
static int exp_scenario_json(char *buf, size_t len, const exp_network *net,
                             const exp_range *r, int64_t crash_us)
{
    int n = snprintf(buf, len,
        "{\"name\":\"raft-election-%d-%d\",\"algorithm\":\"raft\","
        "\"params\":{\"election_timeout_ms\":[%d,%d],\"heartbeat_ms\":%d},"
        "\"nodes\":%d,\"duration_ms\":%" PRId64 ".%03d,"
        "\"network\":%s,\"disk\":%s,\"faults\":[",
        r->lo_ms, r->hi_ms, r->lo_ms, r->hi_ms, exp_heartbeat_ms(r), EXP_SERVERS,
        crash_us / 1000 + EXP_CAP_MS, (int)(crash_us % 1000), net->network, net->disk);
    for (int i = 1; i < EXP_SERVERS && n > 0 && (size_t)n < len; i++)
        n += snprintf(buf + n, len - (size_t)n,
                      "{\"at_ms\":0.001,\"type\":\"crash\",\"node\":%d},"
                      "{\"at_ms\":%d,\"type\":\"restart\",\"node\":%d},",
                      i, i * EXP_STAGGER_MS, i);
    if (n > 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n,
                      "{\"at_ms\":%" PRId64 ".%03d,\"type\":\"crash\",\"node\":\"leader\"}],"
                      "\"expect\":{\"linearizable\":false,\"invariants\":\"all\"}}",
                      crash_us / 1000, (int)(crash_us % 1000));
    return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Step hook: notes the leader's crash, then stops the run at the first
 * server that leads in a newer term. */
static int exp_hook(void *arg, fl_engine *e, fl_node_id node,
                    const fl_view *before, const fl_view *after)
{
    exp_watch *w = arg;
    if (w->crash_at < 0) {
        if (before->kind == FL_VIEW_LEADER && !fl_engine_node_alive(e, node) &&
            fl_engine_now(e) >= w->crash_planned) {
            w->crash_at = fl_engine_now(e);
            w->crashed_term = before->term;
        }
        return 0;
    }
    if (after->kind == FL_VIEW_LEADER && after->term > w->crashed_term &&
        fl_engine_node_alive(e, node)) {
        w->elected_at = fl_engine_now(e);
        return 1;
    }
    return 0;
}

static fl_scenario *exp_scenario(const fl_algorithm *alg, const exp_network *net,
                                 const exp_range *r, int64_t crash_us)
{
    char json[4096];
    fl_error err = { { 0 } };
    if (exp_scenario_json(json, sizeof json, net, r, crash_us) < 0) {
        fprintf(stderr, "faultline: experiment: scenario text too long\n");
        return NULL;
    }
    fl_scenario *s = fl_scenario_parse(json, strlen(json), "(raft-election)", &err);
    if (!s || fl_scenario_bind(s, alg, &err) < 0) {
        fprintf(stderr, "faultline: experiment: %s\n", err.msg);
        fl_scenario_free(s);
        return NULL;
    }
    return s;
}

/* Reports a trial that could not be measured; returns `status`. */
static int exp_trial_failed(const exp_range *r, uint64_t seed, const char *why,
                            int status)
{
    fprintf(stderr, "\nfaultline: experiment raft-election: range %d-%d ms, seed %" PRIu64
            ": %s\n", r->lo_ms, r->hi_ms, seed, why);
    return status;
}

/* Runs one trial. 0; 1 after a message if a check failed (an invariant
 * was violated, or no leader to crash); 2 on an internal error. */
static int exp_trial(const fl_algorithm *alg, const exp_network *net,
                     const exp_range *r, uint64_t seed, exp_result *res)
{
    int64_t crash_us = exp_crash_us(r, seed);
    fl_scenario *s = exp_scenario(alg, net, r, crash_us);
    if (!s)
        return 2;
    fl_error err = { { 0 } };
    fl_run_opts ro = { .seed = seed, .has_seed = true };
    fl_run *run = fl_run_new(s, alg, &ro, &err);
    exp_watch w = { .crash_planned = crash_us * 1000, .crash_at = -1,
                    .crashed_term = -1, .elected_at = -1 };
    int rc = 0;
    if (!run || fl_run_add_hook(run, exp_hook, &w) < 0)
        rc = exp_trial_failed(r, seed, run ? "out of memory" : err.msg, 2);
    else
        fl_run_to_end(run);
    const fl_violation *v = rc == 0 ? fl_run_violation(run) : NULL;
    if (v) {
        char why[700];
        snprintf(why, sizeof why, "%s violated: %s", v->name, v->msg);
        rc = exp_trial_failed(r, seed, why, 1);
    }
    else if (rc == 0 && w.crash_at < 0)
        rc = exp_trial_failed(r, seed, "no leader at the crash time", 1);
    if (rc == 0) {
        res->capped = w.elected_at < 0;
        res->downtime = res->capped ? FL_MS(EXP_CAP_MS) : w.elected_at - w.crash_at;
    }
    fl_run_free(run);
    fl_scenario_free(s);
    return rc;
}

/* ---- Statistics ------------------------------------------------------------------ */

typedef struct exp_summary {
    fl_time median, p90, p99, max;
    double  mean_ms;
    long    capped;
} exp_summary;

static int cmp_time(const void *a, const void *b)
{
    fl_time x = *(const fl_time *)a, y = *(const fl_time *)b;
    return (x > y) - (x < y);
}

static int exp_summarise(const exp_result *res, size_t n, exp_summary *sum)
{
    fl_time *t = malloc(n * sizeof *t);
    if (!t)
        return -1;
    int64_t total = 0;
    sum->capped = 0;
    for (size_t i = 0; i < n; i++) {
        t[i] = res[i].downtime;
        total += res[i].downtime;
        sum->capped += res[i].capped;
    }
    qsort(t, n, sizeof *t, cmp_time);
    sum->median = fl_percentile(t, n, 500);
    sum->p90 = fl_percentile(t, n, 900);
    sum->p99 = fl_percentile(t, n, 990);
    sum->max = t[n - 1];
    sum->mean_ms = (double)(total / (int64_t)n) / 1e6;
    free(t);
    return 0;
}

/* ---- Output files ------------------------------------------------------------------ */

typedef struct exp_file {
    char *path, *tmp;
    FILE *fp;
} exp_file;

static int exp_file_open(exp_file *f, const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 48;
    f->fp = NULL;
    f->path = malloc(len);
    f->tmp = malloc(len);
    if (!f->path || !f->tmp) {
        fprintf(stderr, "faultline: out of memory\n");
        return -1;
    }
    snprintf(f->path, len, "%s/%s", dir, name);
    snprintf(f->tmp, len, "%s.partial.%ld", f->path, (long)getpid());
    f->fp = fopen(f->tmp, "w");
    if (!f->fp) {
        fprintf(stderr, "faultline: %s: cannot write: %s\n", f->path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Closes; renames into place if `keep`, else removes. -1 on I/O error. */
static int exp_file_close(exp_file *f, bool keep)
{
    int rc = 0;
    if (f->fp) {
        if (ferror(f->fp) || fclose(f->fp) != 0)
            rc = -1;
        f->fp = NULL;
        if (keep && rc == 0 && rename(f->tmp, f->path) != 0)
            rc = -1;
        if (!keep || rc != 0)
            unlink(f->tmp);
        if (rc != 0)
            fprintf(stderr, "faultline: %s: write failed: %s\n", f->path, strerror(errno));
    }
    free(f->path);
    free(f->tmp);
    f->path = f->tmp = NULL;
    return rc;
}

static int exp_make_dir(const char *dir)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "faultline: %s: cannot create directory: %s\n", dir, strerror(errno));
    return -1;
}

static void exp_write_trials(FILE *fp, const exp_range *r, const exp_result *res,
                             size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(fp, "%d-%d,%zu,%zu,%" PRId64 ".%06" PRId64 ",%d\n", r->lo_ms, r->hi_ms,
                i + 1, i + 1, res[i].downtime / 1000000, res[i].downtime % 1000000,
                res[i].capped ? 1 : 0);
}

/* Milliseconds with three decimals, from integer nanoseconds. */
static void exp_print_ms(FILE *fp, fl_time t)
{
    fprintf(fp, "%" PRId64 ".%03" PRId64, t / 1000000, (t % 1000000) / 1000);
}

static void exp_write_summary(FILE *fp, const exp_range *r, size_t n,
                              const exp_summary *s)
{
    fprintf(fp, "%d-%d,%d,%d,%d,%zu,", r->lo_ms, r->hi_ms, r->lo_ms, r->hi_ms,
            exp_heartbeat_ms(r), n);
    exp_print_ms(fp, s->median);
    fputc(',', fp);
    exp_print_ms(fp, s->p90);
    fputc(',', fp);
    exp_print_ms(fp, s->p99);
    fputc(',', fp);
    exp_print_ms(fp, s->max);
    fprintf(fp, ",%.3f,%ld\n", s->mean_ms, s->capped);
}

/* ---- The experiment ---------------------------------------------------------------- */

/* 0, or the failing trial's status. */
static int exp_run_range(const fl_algorithm *alg, const exp_network *net,
                         const exp_range *r, size_t trials, exp_result *res)
{
    bool tty = isatty(fileno(stderr));
    for (size_t i = 0; i < trials; i++) {
        int rc = exp_trial(alg, net, r, (uint64_t)i + 1, &res[i]);
        if (rc != 0)
            return rc;
        if (tty && ((i + 1) % 100 == 0 || i + 1 == trials))
            fprintf(stderr, "\r  %3d-%-3d ms: %zu/%zu trials", r->lo_ms, r->hi_ms, i + 1,
                    trials);
    }
    return 0;
}

static void exp_report_range(const exp_range *r, const exp_summary *s)
{
    /* over the progress count on a terminal; a log gets plain lines */
    fprintf(stderr, "%s  %3d-%-3d ms: median ", isatty(fileno(stderr)) ? "\r" : "", r->lo_ms,
            r->hi_ms);
    exp_print_ms(stderr, s->median);
    fprintf(stderr, "  p99 ");
    exp_print_ms(stderr, s->p99);
    fprintf(stderr, "  max ");
    exp_print_ms(stderr, s->max);
    fprintf(stderr, "  capped %ld\n", s->capped);
}

/* Runs every range, writing rows as each range completes. 0, or the
 * status of the first failure. */
static int exp_run_all(const fl_algorithm *alg, const exp_opts *o, FILE *csv, FILE *sum)
{
    size_t trials = (size_t)o->trials;
    exp_result *res = malloc(trials * sizeof *res);
    if (!res) {
        fprintf(stderr, "faultline: out of memory\n");
        return 2;
    }
    fprintf(csv, "range,trial,seed,time_to_leader_ms,capped\n");
    fprintf(sum, "range,lo_ms,hi_ms,heartbeat_ms,trials,median_ms,p90_ms,p99_ms,"
                 "max_ms,mean_ms,capped\n");
    int status = 0;
    for (size_t k = 0; k < EXP_NRANGES && status == 0; k++) {
        exp_summary s;
        status = exp_run_range(alg, o->net, &exp_ranges[k], trials, res);
        if (status == 0 && exp_summarise(res, trials, &s) < 0)
            status = 2;
        if (status != 0)
            break;
        exp_report_range(&exp_ranges[k], &s);
        exp_write_trials(csv, &exp_ranges[k], res, trials);
        exp_write_summary(sum, &exp_ranges[k], trials, &s);
    }
    free(res);
    return status;
}

static int raft_election(const exp_opts *o)
{
    const fl_algorithm *alg = fl_registry_find("raft");
    if (!alg) {
        fprintf(stderr, "faultline: raft is not built in\n");
        return 2;
    }
    char csv_name[64], sum_name[64];
    snprintf(csv_name, sizeof csv_name, "raft-election%s.csv", o->net->suffix);
    snprintf(sum_name, sizeof sum_name, "raft-election%s-summary.csv", o->net->suffix);
    exp_file csv = { 0 }, sum = { 0 };
    int status = 2;
    if (exp_make_dir(o->out) == 0 && exp_file_open(&csv, o->out, csv_name) == 0 &&
        exp_file_open(&sum, o->out, sum_name) == 0) {
        fprintf(stderr, "faultline experiment raft-election: %zu ranges x %ld trials, "
                "5 servers, network \"%s\", leader crashed after %d ms, cap %d ms\n",
                EXP_NRANGES, o->trials, o->net->name, EXP_STABLE_MS, EXP_CAP_MS);
        double t0 = wall_seconds();
        status = exp_run_all(alg, o, csv.fp, sum.fp);
        fprintf(stderr, "wall time %.1f s\n", wall_seconds() - t0);
    }
    if (exp_file_close(&csv, status == 0) < 0)
        status = 2;
    if (exp_file_close(&sum, status == 0) < 0)
        status = 2;
    if (status == 0)
        printf("wrote %s/%s and %s/%s\n", o->out, csv_name, o->out, sum_name);
    return status;
}

/* ---- sort-scaling -------------------------------------------------------------------- */

/* The sample sort on a LAN (about 0.5 ms one way) with its default cost
 * model (sorting m keys takes m * log2(m) * 5 ns of simulated CPU), no
 * faults. A trial stops when the coordinator holds the whole output; the
 * sort's checks (sorted, permutation, balance) run after every event. */
static const unsigned sort_exp_workers[] = { 2, 4, 8, 16, 32, 64 };
static const unsigned sort_exp_keys[] = { 10000, 100000, 1000000 };
#define SORT_EXP_NW   (sizeof sort_exp_workers / sizeof sort_exp_workers[0])
#define SORT_EXP_NK   (sizeof sort_exp_keys / sizeof sort_exp_keys[0])
#define SORT_EXP_CAP_MS 60000

typedef struct sort_watch {
    fl_time done_at;         /* -1 until the coordinator is done */
} sort_watch;

static int sort_exp_hook(void *arg, fl_engine *e, fl_node_id node,
                         const fl_view *before, const fl_view *after)
{
    sort_watch *w = arg;
    (void)before;
    const char *role = fl_engine_node_role(e, node);
    if (role && strcmp(role, "coordinator") == 0 && after->label &&
        strcmp(after->label, "done") == 0) {
        w->done_at = fl_engine_now(e);
        return 1;
    }
    return 0;
}

static int64_t sort_exp_scalar(const fl_view *v, const char *name)
{
    for (size_t i = 0; v && i < v->nscalars; i++)
        if (strcmp(v->scalars[i].name, name) == 0)
            return v->scalars[i].value;
    return 0;
}

/* One trial: a CSV row, or 1 (a check failed / never done) or 2. */
static int sort_exp_trial(const fl_algorithm *alg, unsigned nw, unsigned keys,
                          uint64_t seed, FILE *csv)
{
    char json[1024];
    fl_error err = { { 0 } };
    snprintf(json, sizeof json,
             "{\"name\":\"sort-scaling-%u-%u\",\"algorithm\":\"sort\","
             "\"params\":{\"keys\":%u},\"nodes\":{\"coordinator\":1,\"worker\":%u},"
             "\"duration_ms\":%d,\"network\":{\"latency\":{\"dist\":\"lognormal\","
             "\"median_ms\":0.5,\"sigma\":0.3}}}", nw, keys, keys, nw, SORT_EXP_CAP_MS);
    fl_scenario *s = fl_scenario_parse(json, strlen(json), "(sort-scaling)", &err);
    if (!s || fl_scenario_bind(s, alg, &err) < 0) {
        fprintf(stderr, "faultline: experiment: %s\n", err.msg);
        fl_scenario_free(s);
        return 2;
    }
    fl_run_opts ro = { .seed = seed, .has_seed = true };
    fl_run *run = fl_run_new(s, alg, &ro, &err);
    sort_watch w = { .done_at = -1 };
    int rc = 0;
    if (!run || fl_run_add_hook(run, sort_exp_hook, &w) < 0) {
        fprintf(stderr, "faultline: experiment: %s\n", run ? "out of memory" : err.msg);
        rc = 2;
    } else {
        fl_run_to_end(run);
    }
    const fl_violation *v = rc == 0 ? fl_run_violation(run) : NULL;
    if (v) {
        fprintf(stderr, "\nfaultline: experiment sort-scaling: %u workers, %u keys, seed %"
                PRIu64 ": %s violated: %s\n", nw, keys, seed, v->name, v->msg);
        rc = 1;
    } else if (rc == 0 && w.done_at < 0) {
        fprintf(stderr, "\nfaultline: experiment sort-scaling: %u workers, %u keys, seed %"
                PRIu64 ": not done after %d ms\n", nw, keys, seed, SORT_EXP_CAP_MS);
        rc = 1;
    }
    const fl_engine *e = run ? fl_run_engine(run) : NULL;
    if (rc == 0) {
        int64_t bytes = 0;
        for (size_t i = 0; i < fl_engine_node_count(e); i++)
            bytes += sort_exp_scalar(fl_engine_node_view(e, (fl_node_id)i), "bytes");
        int64_t max_bucket = 0;
        for (size_t i = 0; i < fl_engine_node_count(e); i++)
            if (strcmp(fl_engine_node_role(e, (fl_node_id)i), "coordinator") == 0)
                max_bucket = sort_exp_scalar(fl_engine_node_view(e, (fl_node_id)i),
                                             "max_bucket");
        /* imbalance = largest bucket / mean bucket, in thousandths */
        int64_t imb = max_bucket * (int64_t)nw * 1000 / (int64_t)keys;
        fprintf(csv, "%u,%u,%" PRIu64 ",", nw, keys, seed);
        exp_print_ms(csv, w.done_at);
        fprintf(csv, ",%" PRIu64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ".%03" PRId64 "\n",
                fl_engine_stats_get(e)->sent, bytes, max_bucket, imb / 1000, imb % 1000);
    }
    fl_run_free(run);
    fl_scenario_free(s);
    return rc;
}

static int sort_scaling(const exp_opts *o)
{
    const fl_algorithm *alg = fl_registry_find("sort");
    if (!alg) {
        fprintf(stderr, "faultline: sort is not built in\n");
        return 2;
    }
    long trials = o->trials_set ? o->trials : 3;
    exp_file csv = { 0 };
    int status = 2;
    if (exp_make_dir(o->out) == 0 && exp_file_open(&csv, o->out, "sort-scaling.csv") == 0) {
        fprintf(stderr, "faultline experiment sort-scaling: %zu worker counts x %zu sizes "
                "x %ld trials\n", SORT_EXP_NW, SORT_EXP_NK, trials);
        double t0 = wall_seconds();
        fprintf(csv.fp, "workers,keys,seed,completion_ms,messages,bytes,max_bucket,"
                        "imbalance\n");
        status = 0;
        for (size_t k = 0; k < SORT_EXP_NK && status == 0; k++)
            for (size_t i = 0; i < SORT_EXP_NW && status == 0; i++) {
                for (long t = 0; t < trials && status == 0; t++)
                    status = sort_exp_trial(alg, sort_exp_workers[i], sort_exp_keys[k],
                                            (uint64_t)t + 1, csv.fp);
                fprintf(stderr, "  %u keys, %2u workers: done\n", sort_exp_keys[k],
                        sort_exp_workers[i]);
            }
        fprintf(stderr, "wall time %.1f s\n", wall_seconds() - t0);
    }
    if (exp_file_close(&csv, status == 0) < 0)
        status = 2;
    if (status == 0)
        printf("wrote %s/sort-scaling.csv\n", o->out);
    return status;
}

int fl_cmd_experiment(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)      /* consistent-hashing, load-balancing */
        if (argv[i][0] != '-' && fl_exp_hashing_claims(argv[i]))
            return fl_exp_hashing_main(argc, argv);
    exp_opts o;
    int status = parse_args(argc, argv, &o);
    if (status != 0)
        return fl_cli_status(status);
    if (strcmp(o.name, "sort-scaling") == 0)
        return sort_scaling(&o);
    return raft_election(&o);
}

/* ---- The command-table entry: `faultline help experiment` and `faultline experiment --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline experiment raft-election [--trials N] [--out DIR]\n"
    "                                          [--network paper|lan]\n"
    "       faultline experiment sort-scaling [--trials N] [--out DIR]\n"
    "       faultline experiment consistent-hashing [--out DIR]\n"
    "       faultline experiment load-balancing [--out DIR]\n"
    "\n"
    "consistent-hashing and load-balancing: see README (shardkv); they write\n"
    "CSVs and PNGs to notebooks-data/.\n"
    "\n"
    "raft-election: the Raft paper's leader-election experiment (section 9.3,\n"
    "Figure 16). Five servers and no clients on a network with a broadcast\n"
    "time of about 15 ms (--network lan: about 3 ms, with fast disks). After\n"
    "2 s the leader is crashed at a random point of its heartbeat interval\n"
    "(half the minimum election timeout) and the time until a server leads\n"
    "in a newer term is measured, for the election timeouts 150-150,\n"
    "150-151, 150-155, 150-175, 150-200, 150-300, 12-24, 25-50, 50-100 and\n"
    "100-200 ms. Trial i uses seed i. A trial gives up 10 s after the crash\n"
    "and is counted as capped (at 10 s), not dropped. Raft's invariants are\n"
    "checked after every event. Progress goes to stderr.\n"
    "\n"
    "Writes DIR/raft-election.csv (range,trial,seed,time_to_leader_ms,capped)\n"
    "and DIR/raft-election-summary.csv (median, p90, p99, max, mean, capped\n"
    "per range), or raft-election-lan*.csv with --network lan; the output is\n"
    "the same on every run. notebooks-data/plot_raft_election.py plots them.\n"
    "\n"
    "sort-scaling: the distributed sample sort with 2, 4, 8, 16, 32 and 64\n"
    "workers and 10^4, 10^5 and 10^6 keys, no faults, on a LAN (about 0.5 ms\n"
    "one way), its local sort costing m log2 m x 5 ns of simulated CPU.\n"
    "Trial i uses seed i (default 3 trials); the sort's checks run after\n"
    "every event. Writes DIR/sort-scaling.csv (workers, keys, seed,\n"
    "completion_ms, messages, bytes, max_bucket, imbalance = largest bucket\n"
    "/ mean bucket); notebooks-data/plot_sort_scaling.py plots it.\n"
    "\n"
    "options:\n"
    "  --trials N   trials per timeout range (default 1000) or per sort\n"
    "               configuration (default 3)\n"
    "  --out DIR    output directory (default notebooks-data; created if missing)\n"
    "  --network M  paper (default) or lan\n"
    "\n"
    "exit status: 0 done, 1 a trial failed a check (an invariant, or no leader\n"
    "to crash), 2 bad usage or an output file could not be written\n";

const fl_command fl_cmd_experiment_entry = {
    "experiment", "run a canonical experiment and export its data", usage_text, fl_cmd_experiment, NULL, true,
};
