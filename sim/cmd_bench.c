/* cmd_bench.c — `faultline bench`: engine throughput and memory. Wall-clock
 * time is read here only to report speed; it never touches a simulation. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "algorithms/bench/bench.h"
#include "sim/cli.h"
#include "sim/engine.h"
#include "sim/scenario.h"

#define BENCH_RUNS 3

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
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

int fl_cmd_bench(int argc, char **argv)
{
    bool quick = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = true;
        else
            return fl_cli_usage_error("bench", "unknown option %s", argv[i]);
    }
    uint64_t scale = quick ? 10 : 1;
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
