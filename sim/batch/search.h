/* search.h — systematic search over schedules (DSLabs-style search tests):
 * from time 0, every step chooses which pending message to deliver, which
 * timer fires, and within budgets what to drop, duplicate, crash or
 * restart. Stateless: a state is the list of choices that leads to it and
 * is rebuilt by re-executing that list on a fresh engine under manual
 * delivery (sim/manual.h), so any plug-in works unchanged. If the
 * scenario has a "schedule", it is the prefix every execution replays
 * first: the search starts where it ends. Breadth-first
 * search finds a shortest counterexample; depth-first search with
 * iterative deepening uses less memory and sleep sets (partial-order
 * reduction: steps at different nodes commute). A visited table keyed by
 * fl_manual_state_hash merges states that differ only in time. */
#ifndef FL_SEARCH_H
#define FL_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "sim/error.h"
#include "sim/scenario/scenario.h"

/* A schedule is a list of fl_step (sim/scenario/scenario.h): which
 * message to deliver, drop or duplicate, which timer fires, which node
 * crashes or restarts. */
typedef struct fl_search_opts {
    bool     bfs;              /* breadth-first; else iterative deepening */
    bool     por;              /* sleep sets (depth-first only) */
    bool     timers_in_order;  /* a timer fires only when nothing pending is
                                  due more than `slack` before it */
    fl_time  slack;
    unsigned timer_kinds;      /* bit (1u << fl_timer_kind): server timers of
                                  that kind are choices (clients' timers are
                                  bounded by `ops` instead); default all */
    int      max_depth;
    uint64_t max_states;
    double   max_seconds;
    size_t   max_memory_mb;
    int      drops, dups, crashes, restarts;   /* budgets per schedule */
    int      torn;             /* of the crashes, how many may tear the
                                  node's oldest unsynced write */
    int      ops;              /* client timer firings per schedule */
    int      leader_within;    /* > 0: some state at depth <= N has a leader */
    bool     check_lin;        /* linearizability of the history at leaves */
    bool     progress;         /* a line on stderr about once a second */
} fl_search_opts;

/* Defaults: BFS, depth 12, 1e6 states, 60 s, 1 GiB, no faults, 1 op. */
void fl_search_opts_default(fl_search_opts *o);

typedef struct fl_search_result {
    uint64_t   states;        /* states generated */
    uint64_t   distinct;      /* of which not seen before */
    uint64_t   sleep_pruned;  /* choices skipped by sleep sets */
    uint64_t   steps;         /* engine steps re-executed, in all */
    int        depth;         /* deepest depth reached */
    bool       exhausted;     /* everything within the bounds was explored */
    const char *stopped_by;   /* "depth", "states", "time", "memory" or NULL */
    bool       violation;
    char       check[64];     /* the failed check's name */
    char       msg[512];
    fl_step *path;          /* the counterexample, `path_len` steps: the
                               scenario's "schedule" (the prefix the search
                               starts from, `prefix_len` steps), then the
                               choices the search made */
    size_t     path_len;
    size_t     prefix_len;
    double     seconds;
    double     cpu_seconds;   /* of this process, for loaded machines */
} fl_search_result;

/* Searches `s` (bound to `alg`). 0 when the search ran (violation or not,
 * see `r`), -1 with `err` when it could not. */
int  fl_search(const fl_scenario *s, const fl_algorithm *alg,
               const fl_search_opts *o, fl_search_result *r, fl_error *err);
void fl_search_result_free(fl_search_result *r);

/* The choices the search would have at its start (after the scenario's
 * "schedule"): *out gets `*n` steps to free, for people who write a
 * prefix by hand. 0, or -1 with `err`. */
int fl_search_choices(const fl_scenario *s, const fl_algorithm *alg,
                      const fl_search_opts *o, fl_step **out, size_t *n, fl_error *err);

struct fl_outcome;
/* For a child process of `grade`: loads the plug-in `impl` (NULL: the
 * built-in), binds `s`, searches from `seed` and reduces the result to an
 * outcome: FL_OUT_CHECK naming the broken check, FL_OUT_PASS when nothing
 * was found within the bounds, FL_OUT_ERROR when it could not search. */
void fl_search_job(fl_scenario *s, const char *impl, uint64_t seed,
                   const fl_search_opts *o, struct fl_outcome *out);

/* The `faultline search` options that give `o` ("--bfs --depth 8 ..."),
 * for a reproduce command; the length written (truncated to `len`). */
size_t fl_search_opts_format(const fl_search_opts *o, char *buf, size_t len);


#endif
