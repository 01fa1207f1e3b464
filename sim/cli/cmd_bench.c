/* cmd_bench.c — `faultline bench`: engine throughput and memory, and with
 * --raft a Raft cluster under load and a nemesis for a simulated hour with
 * every invariant checked after every event. Wall-clock time is read here
 * only to report speed; it never touches a simulation. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "algorithms/bench/bench.h"
#include "sim/run/invcheck.h"
#include "sim/run/lincheck.h"
#include "sim/cli/cli.h"
#include "sim/engine.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"

#define BENCH_RUNS 3

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

/* Runs `events` events; returns events per second, or -1. */
static double bench_once(const fl_algorithm *alg, size_t nodes, uint64_t events,
                         uint64_t *hash)
{
    fl_scenario *s = bench_scenario(alg, nodes);
    if (!s)
        return -1;
    fl_error err;
    fl_engine *e = fl_engine_new(s, alg, 42, s->duration, &err);
    if (!e) {
        fl_scenario_free(s);
        return -1;
    }
    double t0 = wall_seconds();
    const fl_engine_stats *st = fl_engine_stats_get(e);
    while (st->events < events && fl_engine_step(e) == 1)
        ;
    double dt = wall_seconds() - t0;
    double rate = (double)st->events / (dt > 0 ? dt : 1e-9);
    if (hash)
        *hash = fl_engine_trace_hash(e);
    fl_engine_free(e);
    fl_scenario_free(s);
    return rate;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double bench_median(const fl_algorithm *alg, size_t nodes, uint64_t events)
{
    double r[BENCH_RUNS];
    for (int i = 0; i < BENCH_RUNS; i++) {
        r[i] = bench_once(alg, nodes, events, NULL);
        if (r[i] < 0)
            return -1;
    }
    qsort(r, BENCH_RUNS, sizeof r[0], cmp_double);
    return r[BENCH_RUNS / 2];
}

/* Peak resident memory of a child that runs `events` events, in KiB. */
static long bench_memory(const fl_algorithm *alg, size_t nodes, uint64_t events)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        _exit(bench_once(alg, nodes, events, NULL) < 0 ? 1 : 0);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
        return -1;
    return ru.ru_maxrss;
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
    fl_engine   *e;
    fl_invcheck *ic;
} bench_raft_run;

static void bench_raft_free(bench_raft_run *r)
{
    fl_invcheck_free(r->ic);
    fl_engine_free(r->e);
    fl_scenario_free(r->s);
}

/* Builds the run with invariants attached. 0, or 2 after a message. */
static int bench_raft_setup(bench_raft_run *r, uint64_t scale)
{
    const fl_algorithm *alg = fl_registry_find("raft");
    fl_error err = { { 0 } };
    memset(r, 0, sizeof *r);
    if (!alg) {
        fprintf(stderr, "faultline: bench: raft is not built in\n");
        return 2;
    }
    r->s = fl_scenario_parse(bench_raft_json, strlen(bench_raft_json), "(bench --raft)", &err);
    if (!r->s || fl_scenario_bind(r->s, alg, &err) < 0 ||
        !(r->e = fl_engine_new(r->s, alg, 42, r->s->duration / (fl_time)scale, &err))) {
        fprintf(stderr, "faultline: bench: %s\n", err.msg);
        return 2;
    }
    r->ic = fl_invcheck_new("raft", r->e);
    if (!r->ic || fl_invcheck_attach(r->ic, r->e) < 0) {
        fprintf(stderr, "faultline: out of memory\n");
        return 2;
    }
    return 0;
}

/* Times the linearizability check of the run's history on its own. 0, or
 * 1 if the history is not linearizable. */
static int bench_raft_lincheck(const bench_raft_run *r)
{
    fl_lin_report rep;
    char summary[256];
    double t0 = wall_seconds();
    fl_lin_result res = fl_lin_check_engine_history(fl_engine_history(r->e),
                                                    r->s->workload.model, 600.0, &rep,
                                                    summary, sizeof summary);
    double dt = wall_seconds() - t0;
    fl_lin_report_free(&rep);
    if (res == FL_LIN_UNAVAILABLE) {
        printf("  linearizability check: not run %s\n", summary);
        return 0;
    }
    printf("  linearizability check: %s in %.2f s wall %s\n",
           fl_lin_result_name(res), dt, summary);
    return res == FL_LIN_OK ? 0 : 1;
}

static int bench_raft(uint64_t scale)
{
    bench_raft_run r;
    int status = bench_raft_setup(&r, scale);
    if (status != 0) {
        bench_raft_free(&r);
        return status;
    }
    printf("faultline bench --raft: 5 servers, 4 clients x 25 ops/s, random crashes and "
           "partitions, invariants after every event, seed 42\n");
    fflush(stdout);
    double t0 = wall_seconds(), c0 = cpu_seconds();
    fl_engine_run(r.e);
    fl_engine_finish(r.e);
    double dt = wall_seconds() - t0, cpu = cpu_seconds() - c0;
    if (dt <= 0)
        dt = 1e-9;
    const fl_engine_stats *st = fl_engine_stats_get(r.e);
    double sim_s = (double)fl_engine_now(r.e) / 1e9;
    printf("  simulated %.0f s in %.2f s wall (%.2f s CPU): %.0fx real time "
           "(target 1000x: %s)\n", sim_s, dt, cpu, sim_s / dt,
           sim_s / dt >= 1000 ? "met" : "NOT met");
    printf("  %llu events, %.2f M events/s; %llu client ops ok, %llu fail, %llu info; "
           "%llu crashes\n", (unsigned long long)st->events, (double)st->events / dt / 1e6,
           (unsigned long long)st->ops_ok, (unsigned long long)st->ops_fail,
           (unsigned long long)st->ops_info, (unsigned long long)st->crashes);
    const fl_violation *v = fl_invcheck_violation(r.ic);
    printf("  invariants (%zu): %s\n", fl_invcheck_count(r.ic), v ? "VIOLATED" : "held");
    if (v)
        printf("    %s at %.3f ms: %s\n", v->name, (double)v->time / 1e6, v->msg);
    fflush(stdout);
    status = v ? 1 : bench_raft_lincheck(&r);
    bench_raft_free(&r);
    return status;
}

int fl_cmd_bench(int argc, char **argv)
{
    bool quick = false, raft = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = true;
        else if (strcmp(argv[i], "--raft") == 0)
            raft = true;
        else
            return fl_cli_usage_error("bench", "unknown option %s", argv[i]);
    }
    uint64_t scale = quick ? 10 : 1;
    if (raft)
        return bench_raft(scale);
    printf("faultline bench: median of %d runs, tracing off, seed 42\n", BENCH_RUNS);
    struct { const char *what; const fl_algorithm *alg; size_t nodes; uint64_t events; double target; } cases[] = {
        { "timers only, 10 nodes", &fl_bench_timers_algorithm, 10, 5000000, 5e6 },
        { "all-to-all, 3 nodes", &fl_bench_mesh_algorithm, 3, 3000000, 0 },
        { "all-to-all, 10 nodes", &fl_bench_mesh_algorithm, 10, 3000000, 2e6 },
        { "all-to-all, 100 nodes", &fl_bench_mesh_algorithm, 100, 3000000, 1e6 },
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double rate = bench_median(cases[i].alg, cases[i].nodes, cases[i].events / scale);
        if (rate < 0)
            return 2;
        printf("  %-24s %8.2f M events/s", cases[i].what, rate / 1e6);
        if (cases[i].target > 0)
            printf("   (target %.0f M/s: %s)", cases[i].target / 1e6,
                   rate >= cases[i].target ? "met" : "NOT met");
        printf("\n");
        fflush(stdout);
        failed |= cases[i].target > 0 && rate < cases[i].target;
    }
    uint64_t mem_events = 10000000 / scale;
    long small = bench_memory(&fl_bench_mesh_algorithm, 10, mem_events / 10);
    long big = bench_memory(&fl_bench_mesh_algorithm, 10, mem_events);
    if (small < 0 || big < 0)
        return 2;
    printf("  peak memory, all-to-all 10 nodes: %ld KiB after %llu events, "
           "%ld KiB after %llu events\n", small,
           (unsigned long long)(mem_events / 10), big, (unsigned long long)mem_events);
    (void)failed;
    return 0;
}
