/* suite.h — a grading suite (scenarios/<algorithm>/suite.json, or any file
 * course staff write): which scenarios to run over which seeds, what each
 * test is worth, what counts as a pass, and the limits every run gets.
 *
 *   {
 *     "name": "raft-default",
 *     "description": "...",
 *     "algorithm": "raft",
 *     "limits": { "cpu_s": 10, "wall_s": 30, "memory_mb": 512 },
 *     "tests": [
 *       { "name": "leader-crash",
 *         "description": "what the test is about, for the student",
 *         "scenario": "leader-crash.json",      relative to the suite's folder
 *         "seeds": "1-15",                      or 7, or [1, 5, 9]
 *         "weight": 10,                         points
 *         "scoring": "all",                     "all": every seed must pass;
 *                                               "per-seed": weight * passed / seeds
 *         "pass": { "invariants": true, "linearizable": true,
 *                   "min_ok_ops": 200, "leader_within_ms": 2000 } },
 *       { "name": "search-election",
 *         "scenario": "search.json",
 *         "search": { "depth": 6, "order": "bfs", "crashes": 1, ... } }
 *     ]
 *   }
 *
 * A test with "search" runs `faultline search` with those bounds (keys as
 * the command's options: order bfs|dfs, por, depth, max_states, seconds,
 * memory_mb, timers ordered|any, slack_ms, drops, dups, crashes, restarts,
 * ops, leader_within, linearizable) once per seed (default: the scenario's
 * seed), in a sandboxed child like every run; it passes when no violation
 * is found within the bounds. Time and memory default to 80 % of the
 * suite's CPU limit and half its memory limit.
 *
 * "pass" is optional; each key overrides the scenario's own "expect" (false
 * turns a liveness check off). A scenario that declares expect.violation
 * (a bug demonstration) cannot be a test: nothing could pass it. Loading
 * is strict like the scenario loader: unknown keys, wrong types and bad
 * values are reported as "FILE: $.tests[2].seeds: what was expected". */
#ifndef FL_SUITE_H
#define FL_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/batch/child.h"
#include "sim/batch/search.h"
#include "sim/error.h"
#include "sim/scenario/scenario.h"

#define FL_SUITE_MAX_SEEDS 100000

typedef struct fl_suite_test {
    char         name[FL_NAME_MAX];
    char        *description;     /* "" if none */
    char        *scenario_path;   /* as the repro command should name it */
    fl_scenario *scenario;        /* loaded; expect overridden by "pass" */
    uint64_t    *seeds;
    size_t       nseeds;
    double       weight;
    bool         per_seed;        /* "scoring": "per-seed" */
    bool         search;          /* "search": {...}: a search test per seed */
    fl_search_opts search_opts;   /* its bounds */
} fl_suite_test;

typedef struct fl_suite {
    char           *path;
    char            name[FL_NAME_MAX];
    char           *description;
    char            algorithm[FL_NAME_MAX];
    fl_child_limits limits;       /* defaults: 10 s CPU, 30 s wall, 512 MiB */
    size_t          ntests;
    fl_suite_test  *tests;
} fl_suite;

/* Reads `path` and every scenario it names. NULL with err->msg on error. */
fl_suite *fl_suite_load(const char *path, fl_error *err);
void      fl_suite_free(fl_suite *s);

/* Keeps only the first `n` seeds of every test, or extends each test's
 * seeds to `n` consecutive ones from its first (n >= 1). */
int       fl_suite_set_seed_count(fl_suite *s, size_t n, fl_error *err);
/* Keeps only the tests named in the comma-separated `names`; -1 with a
 * message naming the first unknown one. */
int       fl_suite_select(fl_suite *s, const char *names, fl_error *err);
/* True if `path` is JSON whose top level has a "tests" array: a grading
 * suite, so commands that expect a scenario can say so. */
bool      fl_suite_sniff(const char *path);
size_t    fl_suite_run_count(const fl_suite *s);
double    fl_suite_max_score(const fl_suite *s);

#endif
