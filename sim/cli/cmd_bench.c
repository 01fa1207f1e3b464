/* cmd_bench.c — `faultline bench`: engine throughput against the bare-heap
 * baseline, Raft under a nemesis with every invariant checked, memory over
 * simulated time, and whole-process start-up. Every figure is a median of
 * several runs and shows CPU time next to wall time (the machine may be
 * shared); memory is measured in a fresh process (bench_proc.h). Wall-clock
 * time is read here only to report speed; it never touches a simulation. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "algorithms/bench/bench.h"
#include "bench/heap_baseline.h"
#include "sim/cli/bench_proc.h"
#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/cli/datadir.h"
#include "sim/engine.h"
#include "sim/run/registry.h"
#include "sim/run/run.h"
#include "sim/scenario/scenario.h"

#define BENCH_MAX_RUNS 51

typedef struct bench_opts {
    bool     quick, raft, hash, memory, startup, child, explore;
    int      runs;
    uint64_t minutes;           /* --raft: simulated minutes, 0 default */
    uint64_t mesh_child;        /* hidden: events of a fresh memory child */
    uint64_t timers_child;      /* hidden: events of timers alone (profiling) */
    const char *impl;           /* --explore --impl SO: also a plug-in */
} bench_opts;

/* ---- Engine workloads ------------------------------------------------------- */

static fl_scenario *bench_scenario(const fl_algorithm *alg, size_t nodes)
{
    char json[512];
    snprintf(json, sizeof json,
             "{\"name\":\"bench\",\"algorithm\":\"%s\",\"nodes\":%zu,"
             "\"duration_ms\":100000000,"
             "\"network\":{\"latency\":{\"dist\":\"uniform\",\"min_ms\":1,\"max_ms\":2}},"
             "\"expect\":{\"linearizable\":false}}",
             alg->name, nodes);
    fl_error err;
    fl_scenario *s = fl_scenario_parse(json, strlen(json), "(bench)", &err);
    if (!s || fl_scenario_bind(s, alg, &err) < 0) {
        fprintf(stderr, "faultline: bench: %s\n", err.msg);
        fl_scenario_free(s);
        return NULL;
    }
    return s;
}

/* Runs `events` events; fills wall and CPU seconds. 0, or -1. */
static int bench_once(const fl_algorithm *alg, size_t nodes, uint64_t events,
                      double *wall, double *cpu)
{
    fl_scenario *s = bench_scenario(alg, nodes);
    if (!s)
        return -1;
    fl_error err;
    /* The bench family has no invariants: no hook runs, so the loop below
     * times the engine alone, as the bare-heap baseline is timed. */
    fl_run_opts ro = { .seed = 42, .has_seed = true };
    fl_run *r = fl_run_new(s, alg, &ro, &err);
    if (!r) {
        fprintf(stderr, "faultline: bench: %s\n", err.msg);
        fl_scenario_free(s);
        return -1;
    }
    double t0 = fl_bench_wall(), c0 = fl_bench_cpu();
    const fl_engine_stats *st = fl_engine_stats_get(fl_run_engine(r));
    while (st->events < events && fl_run_step(r) == 1)
        ;
    *wall = fl_bench_wall() - t0;
    *cpu = fl_bench_cpu() - c0;
    fl_run_free(r);
    fl_scenario_free(s);
    return 0;
}

typedef struct bench_rate {
    double per_cpu, per_wall;   /* medians, events per second */
} bench_rate;

static int bench_median(const fl_algorithm *alg, size_t nodes, uint64_t events,
                        int runs, bench_rate *out)
{
    double rc[BENCH_MAX_RUNS], rw[BENCH_MAX_RUNS];
    for (int i = 0; i < runs; i++) {
        double wall, cpu;
        if (bench_once(alg, nodes, events, &wall, &cpu) < 0)
            return -1;
        rc[i] = (double)events / (cpu > 0 ? cpu : 1e-9);
        rw[i] = (double)events / (wall > 0 ? wall : 1e-9);
    }
    out->per_cpu = fl_bench_median(rc, (size_t)runs);
    out->per_wall = fl_bench_median(rw, (size_t)runs);
    return 0;
}

static double heap_median(fl_heap_workload w, size_t nodes, uint64_t events, int runs)
{
    double r[BENCH_MAX_RUNS];
    volatile uint64_t sink = 0;
    for (int i = 0; i < runs; i++) {
        double c0 = fl_bench_cpu();
        sink += fl_heap_baseline_run(w, nodes, events);
        double dt = fl_bench_cpu() - c0;
        r[i] = (double)events / (dt > 0 ? dt : 1e-9);
    }
    (void)sink;
    return fl_bench_median(r, (size_t)runs);
}

/* Peak memory of `events` mesh events in a fresh process, in KiB. */
static long mesh_memory(uint64_t events)
{
    char ev[32];
    snprintf(ev, sizeof ev, "%" PRIu64, events);
    char *argv[] = { "/proc/self/exe", "bench", "--mesh-child", ev, NULL };
    fl_bench_child c;
    if (fl_bench_spawn(argv, &c) < 0 || c.status != 0)
        return -1;
    const char *p = strstr(c.out, "peak_kib=");
    return p ? strtol(p + 9, NULL, 10) : -1;
}

/* The 10-node workload alone in this process, for a memory figure or a
 * profile (`valgrind --tool=callgrind faultline bench --mesh-child N`). */
static int workload_child(const fl_algorithm *alg, uint64_t events)
{
    double wall, cpu;
    if (bench_once(alg, 10, events, &wall, &cpu) < 0)
        return 2;
    printf("peak_kib=%ld cpu_s=%.4f\n", fl_bench_peak_kib(), cpu);
    return 0;
}

static int bench_engine(const bench_opts *o)
{
    uint64_t scale = o->quick ? 10 : 1;
    printf("faultline bench: median of %d runs, tracing off, seed 42; rates per "
           "CPU-second (per wall-second)\n", o->runs);
    struct { const char *what; const fl_algorithm *alg; size_t nodes; uint64_t events; } cases[] = {
        { "timers only, 10 nodes", &fl_bench_timers_algorithm, 10, 5000000 },
        { "all-to-all, 3 nodes", &fl_bench_mesh_algorithm, 3, 3000000 },
        { "all-to-all, 10 nodes", &fl_bench_mesh_algorithm, 10, 3000000 },
        { "all-to-all, 100 nodes", &fl_bench_mesh_algorithm, 100, 3000000 },
    };
    bench_rate rate[4];
    for (size_t i = 0; i < 4; i++) {
        if (bench_median(cases[i].alg, cases[i].nodes, cases[i].events / scale,
                         o->runs, &rate[i]) < 0)
            return 2;
        printf("  %-24s %6.2f M events/s  (%6.2f M/s wall)\n", cases[i].what,
               rate[i].per_cpu / 1e6, rate[i].per_wall / 1e6);
        fflush(stdout);
    }
    double ht = heap_median(FL_HEAP_TIMERS, 10, 5000000 / scale, o->runs);
    double hm = heap_median(FL_HEAP_MESH, 10, 3000000 / scale, o->runs);
    printf("  bare heap (bench/heap_baseline), 10 nodes: timers %.2f M/s, messages "
           "%.2f M/s;\n  engine at %.0f%% of it on timers (target 60%%: %s), %.0f%% on "
           "messages (target 60%%: %s)\n", ht / 1e6, hm / 1e6, 100 * rate[0].per_cpu / ht,
           rate[0].per_cpu >= 0.6 * ht ? "met" : "NOT met", 100 * rate[2].per_cpu / hm,
           rate[2].per_cpu >= 0.6 * hm ? "met" : "NOT met");
    uint64_t mem_events = 10000000 / scale;
    long small = mesh_memory(mem_events / 10);
    long big = mesh_memory(mem_events);
    if (small < 0 || big < 0)
        return 2;
    printf("  peak memory, all-to-all 10 nodes, each in a fresh process: %ld KiB "
           "after %" PRIu64 " events, %ld KiB after %" PRIu64 " events\n",
           small, mem_events / 10, big, mem_events);
    return 0;
}

/* ---- Raft under a nemesis ---------------------------------------------------- */

/* Five servers, four clients at 25 ops/s each (100 ops/s in all) on a
 * slightly lossy network, with random crashes and random partitions, for
 * one simulated hour. */
static const char bench_raft_json[] =
    "{\"name\":\"bench-raft\",\"algorithm\":\"raft\",\"params\":{\"snapshot_every\":1000},"
    "\"nodes\":5,\"duration_ms\":3600000,"
    "\"network\":{\"latency\":{\"dist\":\"lognormal\",\"median_ms\":10,\"sigma\":0.5},"
    "\"drop\":0.01},"
    "\"disk\":{\"sync\":{\"dist\":\"uniform\",\"min_ms\":1,\"max_ms\":3},"
    "\"torn_writes\":true},"
    "\"workload\":{\"clients\":4,\"rate_per_s\":25,\"model\":\"kv\",\"keys\":10,"
    "\"mix\":{\"read\":0.5,\"write\":0.4,\"cas\":0.1},"
    "\"timeout_ms\":1000,\"retry_ms\":200},"
    "\"faults\":["
    "{\"at_ms\":5000,\"type\":\"nemesis\",\"kind\":\"random-crash\","
    "\"every_ms\":[5000,15000],\"down_ms\":[1000,5000],\"max_down\":1},"
    "{\"at_ms\":10000,\"type\":\"nemesis\",\"kind\":\"random-partition\","
    "\"every_ms\":[10000,30000],\"down_ms\":[1000,5000]}],"
    "\"expect\":{\"linearizable\":true,\"invariants\":\"all\"}}";

typedef struct bench_raft_run {
    fl_scenario *s;
    fl_run      *run;     /* the run object: engine with every invariant */
} bench_raft_run;

static void bench_raft_free(bench_raft_run *r)
{
    fl_run_free(r->run);
    fl_scenario_free(r->s);
}

/* Builds the run with invariants attached. 0, or 2 after a message. */
static int bench_raft_setup(bench_raft_run *r, fl_time duration)
{
    const fl_algorithm *alg = fl_registry_find("raft");
    fl_error err = { { 0 } };
    memset(r, 0, sizeof *r);
    if (!alg) {
        fprintf(stderr, "faultline: bench: raft is not built in\n");
        return 2;
    }
    fl_run_opts ro = { .seed = 42, .has_seed = true, .duration = duration,
                       .lin_timeout_s = 600.0 };
    r->s = fl_scenario_parse(bench_raft_json, strlen(bench_raft_json), "(bench --raft)", &err);
    if (!r->s || fl_scenario_bind(r->s, alg, &err) < 0 ||
        !(r->run = fl_run_new(r->s, alg, &ro, &err))) {
        fprintf(stderr, "faultline: bench: %s\n", err.msg);
        return 2;
    }
    return 0;
}

/* Times the linearizability check of the run's history on its own. 0, or
 * 1 if the history is not linearizable. */
static int bench_raft_lincheck(bench_raft_run *r)
{
    double t0 = fl_bench_wall(), c0 = fl_bench_cpu();
    fl_lin_result res = fl_run_check_history(r->run);
    double dt = fl_bench_wall() - t0, cpu = fl_bench_cpu() - c0;
    const char *summary = fl_run_lin_summary(r->run);
    if (res == FL_LIN_UNAVAILABLE) {
        printf("  linearizability check: not run %s\n", summary);
        return 0;
    }
    printf("  linearizability check: %s in %.2f s CPU (%.2f s wall) %s\n",
           fl_lin_result_name(res), cpu, dt, summary);
    return res == FL_LIN_OK ? 0 : 1;
}

static fl_time raft_minutes(const bench_opts *o)
{
    return o->minutes ? (fl_time)o->minutes : o->quick ? 6 : 60;
}

static int bench_raft(const bench_opts *o)
{
    bench_raft_run r;
    fl_time minutes = raft_minutes(o);
    int status = bench_raft_setup(&r, minutes * 60 * FL_MS(1000));
    if (status != 0) {
        bench_raft_free(&r);
        return status;
    }
    if (!o->child)
        printf("faultline bench --raft: 5 servers, 4 clients x 25 ops/s, random crashes "
               "and partitions, invariants after every event, seed 42, %lld simulated "
               "minutes\n", (long long)minutes);
    fflush(stdout);
    double t0 = fl_bench_wall(), c0 = fl_bench_cpu();
    fl_run_to_end(r.run);
    fl_run_finish(r.run);      /* with the invariants' end-of-run checks */
    double dt = fl_bench_wall() - t0, cpu = fl_bench_cpu() - c0;
    if (dt <= 0)
        dt = 1e-9;
    if (cpu <= 0)
        cpu = 1e-9;
    const fl_engine *e = fl_run_engine(r.run);
    const fl_engine_stats *st = fl_engine_stats_get(e);
    const fl_violation *v = fl_run_violation(r.run);
    if (o->child) {
        /* the whole run, its linearizability check included */
        fl_lin_result lr = v ? FL_LIN_UNAVAILABLE : fl_run_check_history(r.run);
        cpu = fl_bench_cpu() - c0;
        const fl_history *h = fl_engine_history(e);
        printf("peak_kib=%ld cpu=%.3f wall=%.3f history=%zu held=%zu violated=%d "
               "linearizable=%s\n", fl_bench_peak_kib(), cpu, fl_bench_wall() - t0,
               fl_history_total(h), h->len, v != NULL, fl_lin_result_name(lr));
        bench_raft_free(&r);
        return v || lr != FL_LIN_OK ? 1 : 0;
    }
    double sim_s = (double)fl_engine_now(e) / 1e9;
    printf("  simulated %.0f s in %.2f s CPU (%.2f s wall): %.0fx real time per "
           "CPU-second (target 1500x: %s), %.0fx per wall-second\n", sim_s, cpu, dt,
           sim_s / cpu, sim_s / cpu >= 1500 ? "met" : "NOT met", sim_s / dt);
    printf("  %llu events, %.2f M events per CPU-second; %llu client ops ok, %llu fail, "
           "%llu info; %llu crashes\n", (unsigned long long)st->events,
           (double)st->events / cpu / 1e6,
           (unsigned long long)st->ops_ok, (unsigned long long)st->ops_fail,
           (unsigned long long)st->ops_info, (unsigned long long)st->crashes);
    printf("  peak memory of this process: %ld KiB (history: %zu events, %zu of them "
           "still in memory)\n", fl_bench_peak_kib(), fl_history_total(fl_engine_history(e)),
           fl_engine_history(e)->len);
    printf("  invariants (%zu): %s\n", fl_run_invariant_count(r.run), v ? "VIOLATED" : "held");
    if (o->hash)
        printf("  trace hash 0x%016llx\n", (unsigned long long)fl_engine_trace_hash(e));
    if (v)
        printf("    %s at %.3f ms: %s\n", v->name, (double)v->time / 1e6, v->msg);
    fflush(stdout);
    status = v ? 1 : bench_raft_lincheck(&r);
    bench_raft_free(&r);
    return status;
}

/* --raft --memory: the same workload for 1, 10 and 60 simulated minutes,
 * each in a fresh process, its linearizability check included, so the
 * three peaks can be compared. */
static int bench_raft_memory(const bench_opts *o)
{
    const int minutes[3] = { 1, o->quick ? 3 : 10, o->quick ? 6 : 60 };
    long kib[3];
    printf("faultline bench --raft --memory: peak RSS (VmHWM) of the bench --raft "
           "workload with invariants and the linearizability check, each length in a "
           "fresh process\n");
    for (int i = 0; i < 3; i++) {
        char m[16];
        snprintf(m, sizeof m, "%d", minutes[i]);
        char *argv[] = { "/proc/self/exe", "bench", "--raft", "--child", "--minutes",
                         m, NULL };
        fl_bench_child c;
        const char *p;
        if (fl_bench_spawn(argv, &c) < 0 || c.status != 0 ||
            !(p = strstr(c.out, "peak_kib="))) {
            fprintf(stderr, "faultline: bench: the %d-minute child failed\n", minutes[i]);
            return 2;
        }
        kib[i] = strtol(p + 9, NULL, 10);
        const char *h = strstr(c.out, "history="), *held = strstr(c.out, "held=");
        unsigned long hist = h ? strtoul(h + 8, NULL, 10) : 0;
        unsigned long kept = held ? strtoul(held + 5, NULL, 10) : 0;
        printf("  %2d simulated minutes: %6ld KiB peak (history: %lu events, %lu still in "
               "memory at the end), %.2f s CPU, linearizable\n", minutes[i], kib[i], hist,
               kept, c.cpu);
        fflush(stdout);
    }
    long lo = kib[0], hi = kib[0];
    for (int i = 1; i < 3; i++) {
        lo = kib[i] < lo ? kib[i] : lo;
        hi = kib[i] > hi ? kib[i] : hi;
    }
    double spread = lo > 0 ? 100.0 * (double)(hi - lo) / (double)lo : 0;
    printf("  spread %.1f%% (target within 10%%: %s)\n", spread,
           spread <= 10 ? "met" : "NOT met");
    return 0;
}

/* ---- Start-up ------------------------------------------------------------------ */

static const char startup_history[] =
    "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":0,\"value\":1,\"time_ns\":10}\n"
    "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":0,\"value\":1,\"time_ns\":20}\n"
    "{\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"key\":0,\"value\":null,\"time_ns\":30}\n"
    "{\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"key\":0,\"value\":1,\"time_ns\":40}\n";

/* Median wall and CPU milliseconds of `runs` runs of argv; 0, or -1. */
static int startup_median(char *const argv[], int runs, double *wall, double *cpu)
{
    double w[BENCH_MAX_RUNS], c[BENCH_MAX_RUNS];
    for (int i = 0; i < runs; i++) {
        fl_bench_child ch;
        if (fl_bench_spawn(argv, &ch) < 0 || ch.status != 0)
            return -1;
        w[i] = ch.wall * 1e3;
        c[i] = ch.cpu * 1e3;
    }
    *wall = fl_bench_median(w, (size_t)runs);
    *cpu = fl_bench_median(c, (size_t)runs);
    return 0;
}

/* --startup: `faultline check` of a four-line history as a whole process. */
static int bench_startup(const bench_opts *o)
{
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/faultline-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, startup_history, sizeof startup_history - 1) !=
                      (ssize_t)(sizeof startup_history - 1)) {
        fprintf(stderr, "faultline: bench: cannot write %s\n", path);
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        return 2;
    }
    close(fd);
    int runs = o->runs < 20 ? 20 : o->runs;
    if (runs > BENCH_MAX_RUNS)
        runs = BENCH_MAX_RUNS;
    char *check_argv[] = { "/proc/self/exe", "check", path, NULL };
    char *true_argv[] = { "/bin/true", NULL };
    double cw, cc, tw, tc;
    int status = startup_median(check_argv, runs, &cw, &cc);
    if (status == 0 && startup_median(true_argv, runs, &tw, &tc) != 0)
        tw = tc = -1;
    unlink(path);
    if (status) {
        fprintf(stderr, "faultline: bench: `faultline check` failed\n");
        return 2;
    }
    printf("faultline bench --startup: `faultline check` of a 2-op history as a whole "
           "process (fork + exec + wait), median of %d\n", runs);
    printf("  %.2f ms CPU, %.2f ms wall (target 5 ms CPU: %s)\n", cc, cw,
           cc <= 5.0 ? "met" : "NOT met");
    if (tc >= 0)
        printf("  /bin/true the same way, the floor on this machine: %.2f ms CPU, "
               "%.2f ms wall\n", tc, tw);
    return 0;
}

/* ---- explore throughput ------------------------------------------------------ */

/* --explore: `faultline explore scenarios/raft/basic.json --seeds 1-300
 * --duration 10000 --jobs 2 --quiet` (5-node Raft, 10 simulated seconds a
 * run) as a fresh process; the CPU time is the explore process's and every
 * run's (wait4 counts the children it waited for). 150 runs/s on two idle
 * cores is 75 runs per CPU-second. */
static int explore_median(const bench_opts *o, const char *scen, const char *impl)
{
    const char *seeds = o->quick ? "1-60" : "1-300";
    unsigned nruns = o->quick ? 60 : 300;
    char *argv[] = { "/proc/self/exe", "explore", (char *)scen, "--seeds", (char *)seeds,
                     "--duration", "10000", "--jobs", "2", "--quiet",
                     impl ? "--impl" : NULL, (char *)impl, NULL };
    double rc[BENCH_MAX_RUNS], rw[BENCH_MAX_RUNS];
    for (int i = 0; i < o->runs; i++) {
        fl_bench_child c;
        if (fl_bench_spawn(argv, &c) < 0 || c.status != 0) {
            fprintf(stderr, "faultline: bench: explore%s%s failed (status %d)\n",
                    impl ? " --impl " : "", impl ? impl : "", c.status);
            return 2;
        }
        rc[i] = nruns / (c.cpu > 0 ? c.cpu : 1e-9);
        rw[i] = nruns / (c.wall > 0 ? c.wall : 1e-9);
    }
    double cpu = fl_bench_median(rc, (size_t)o->runs);
    double wall = fl_bench_median(rw, (size_t)o->runs);
    printf("  %-34s %6.1f runs per CPU-second (%5.1f runs/s wall); on two idle cores "
           "%.0f runs/s (target 150: %s)\n",
           impl ? "plug-in, one child per run:" : "built-in, 16 seeds per child:",
           cpu, wall, 2 * cpu, 2 * cpu >= 150 ? "met" : "NOT met");
    return 0;
}

static int bench_explore(const bench_opts *o)
{
    char scen[4096];
    if (!fl_datadir_find("scenarios/raft/basic.json", scen, sizeof scen)) {
        fprintf(stderr, "faultline: bench: scenarios/raft/basic.json not found "
                "(set FAULTLINE_DATADIR)\n");
        return 2;
    }
    printf("faultline bench --explore: explore %s --seeds %s --duration 10000 --jobs 2 "
           "(5-node Raft, 10 simulated s a run), each a fresh process, CPU of it and "
           "its children, median of %d\n", scen, o->quick ? "1-60" : "1-300", o->runs);
    fflush(stdout);
    int rc = explore_median(o, scen, NULL);
    if (rc == 0 && o->impl)
        rc = explore_median(o, scen, o->impl);
    return rc;
}

static const fl_cli_opt bench_options[] = {
    { "quick", 0, false }, { "raft", 0, false }, { "hash", 0, false },
    { "memory", 0, false }, { "startup", 0, false }, { "child", 0, false },
    { "explore", 0, false }, { "impl", 0, true },
    { "runs", 0, true }, { "minutes", 0, true }, { "mesh-child", 0, true },
    { "timers-child", 0, true },
    { NULL, 0, false },
};

static int bench_option(void *ctx, const char *a, const char *v)
{
    bench_opts *o = ctx;
    uint64_t n;
    if (strcmp(a, "--quick") == 0) o->quick = true;
    else if (strcmp(a, "--raft") == 0) o->raft = true;
    else if (strcmp(a, "--hash") == 0) o->hash = true;
    else if (strcmp(a, "--memory") == 0) o->memory = true;
    else if (strcmp(a, "--startup") == 0) o->startup = true;
    else if (strcmp(a, "--child") == 0) o->child = true;
    else if (strcmp(a, "--explore") == 0) o->explore = true;
    else if (strcmp(a, "--impl") == 0) o->impl = v;
    else {
        if (!fl_cli_parse_u64(v, &n) || n == 0 || n > 100000000)
            return fl_cli_usage_error("bench", "%s: bad number %s", a, v);
        if (strcmp(a, "--runs") == 0) {
            if (n > BENCH_MAX_RUNS)
                return fl_cli_usage_error("bench", "--runs: at most %d", BENCH_MAX_RUNS);
            o->runs = (int)n;
        } else if (strcmp(a, "--minutes") == 0) {
            if (n > 100000)
                return fl_cli_usage_error("bench", "--minutes: at most 100000");
            o->minutes = n;
        } else if (strcmp(a, "--timers-child") == 0) {
            o->timers_child = n;
        } else {
            o->mesh_child = n;
        }
    }
    return 0;
}

static int parse_opts(int argc, char **argv, bench_opts *o)
{
    memset(o, 0, sizeof *o);
    o->runs = 5;
    return fl_cli_parse(&fl_cmd_bench_entry, argc, argv, bench_options, bench_option,
                        NULL, o);
}

int fl_cmd_bench(int argc, char **argv)
{
    bench_opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc != 0)
        return fl_cli_status(rc);
    if (o.mesh_child)
        return workload_child(&fl_bench_mesh_algorithm, o.mesh_child);
    if (o.timers_child)
        return workload_child(&fl_bench_timers_algorithm, o.timers_child);
    if (o.impl && !o.explore)
        return fl_cli_status(fl_cli_usage_error("bench", "--impl goes with --explore"));
    if (o.startup)
        return bench_startup(&o);
    if (o.explore)
        return bench_explore(&o);
    if (o.raft && o.memory)
        return bench_raft_memory(&o);
    if (o.raft)
        return bench_raft(&o);
    return bench_engine(&o);
}

/* ---- The command-table entry: `faultline help bench` and `faultline bench --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline bench [--quick] [--runs N] [--startup | --explore [--impl SO]]\n"
    "       faultline bench --raft [--quick] [--minutes M] [--memory] [--hash]\n"
    "\n"
    "Prints events per CPU-second (and wall) for a timers-only workload and an\n"
    "all-to-all message workload on 3, 10 and 100 nodes (tracing off, median\n"
    "of --runs runs, default 5), next to a bare binary heap with the same\n"
    "events in flight (bench/heap_baseline), and peak memory measured in a\n"
    "fresh process. --quick runs each workload for a tenth as long.\n"
    "--startup times a whole-process `faultline check` of a small history\n"
    "next to /bin/true. --explore times `faultline explore` of 300 seeds of\n"
    "scenarios/raft/basic.json (10 simulated seconds each, --jobs 2; --quick:\n"
    "60 seeds) in a fresh process, per CPU-second of it and its children;\n"
    "with --impl SO also with that plug-in (one sandboxed child per run).\n"
    "\n"
    "--raft instead runs a 5-server Raft cluster under 100 client ops/s with\n"
    "random crashes and partitions for one simulated hour (--quick: six\n"
    "minutes; --minutes M), invariants checked after every event, and prints\n"
    "simulated time per CPU-second and per wall-second (target 1500x per\n"
    "CPU-second), then times the linearizability check separately. --memory\n"
    "prints the peak resident memory of 1, 10 and 60 simulated minutes, each\n"
    "in a fresh process. --hash also prints the run's trace hash\n"
    "(tests/golden.sh compares it). Exit status 1 if an invariant or the\n"
    "linearizability check failed.\n";

const fl_command fl_cmd_bench_entry = {
    "bench", "measure engine speed and memory", usage_text, fl_cmd_bench, NULL, true,
};
