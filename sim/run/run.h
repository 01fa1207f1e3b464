/* run.h — the run room's door: one run of a scenario, and its verdict.
 *
 * An fl_run is made from a scenario already bound to an algorithm (built in
 * or a plug-in), a seed and a few options. It builds the engine, attaches
 * the invariants of the family the scenario names (algorithms/builtins.c),
 * steps one event at a time or runs to the end, and judges the run once:
 * invariants after every event, then linearizability of the client history,
 * then the liveness expectations. The verdict is plain fixed-size data: each
 * check's name, state, time of the first violation and message, the trace
 * hash and the command that reproduces the run. `run`, `grade`, `explore`,
 * `shrink` (through outcome.h), `experiment`, `bench` and the visualizer's
 * live mode all run through here; nothing else builds an engine.
 *
 * May include: the engine (sim/engine.h), the scenario, the checker's door
 * (sim/check/lin.h), the algorithm interfaces (algorithms/). */
#ifndef FL_RUN_H
#define FL_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "algorithms/algorithm.h"
#include "sim/check/lin.h"
#include "sim/engine.h"
#include "sim/error.h"
#include "sim/run/invcheck.h"
#include "sim/scenario/scenario.h"

typedef struct fl_run_opts {
    uint64_t    seed;          /* used if has_seed; else the scenario's, else 1 */
    bool        has_seed;
    bool        seed_hex;      /* the seed was written in hex (--seed 0x...) */
    fl_time     duration;      /* 0: the scenario's */
    double      lin_timeout_s; /* 0: 10 s */
    FILE       *trace;         /* trace file, borrowed; NULL: none */
    fl_trace_format trace_format; /* JSON Lines (the default) or compact */
    /* Written by fl_run_judge (borrowed; NULL: not written). */
    FILE       *history, *history_edn, *metrics;
    /* For the reproduce command only: the scenario as the user named it
     * (NULL: the scenario's path) and the plug-in's path (NULL: built in). */
    const char *path;
    const char *impl;
    /* Keep the last events for a failure's report (fl_engine_keep_recent);
     * `run` sets it only to run a failed run again (sim/cli/cmd_run.c). */
    bool        recent;
} fl_run_opts;

typedef enum fl_check_state {
    FL_CHECK_HELD,
    FL_CHECK_FAILED,
    FL_CHECK_UNKNOWN,         /* the linearizability checker gave up */
    FL_CHECK_SKIPPED          /* not asked for, or an earlier check failed */
} fl_check_state;

/* The checks, in the order they are judged. */
typedef enum fl_check_id {
    FL_RUN_INVARIANTS,
    FL_RUN_LINEARIZABLE,
    FL_RUN_MIN_OPS,
    FL_RUN_LEADER,
    FL_RUN_CHECKS
} fl_check_id;

typedef struct fl_check {
    /* "invariants" (the violated invariant's name, e.g.
     * "raft.election_safety", when it failed), "linearizable",
     * "liveness.min_ok_ops", "liveness.leader". */
    char           name[64];
    fl_check_state state;
    fl_time        at;        /* first violation; -1 if none */
    fl_node_id     node;      /* invariants: the node that had just stepped,
                                 FL_NO_NODE at the end of the run */
    char           detail[512]; /* the message, or one line on what was seen */
} fl_check;

/* Exit statuses of a run (`faultline run`, explore's children). */
enum {
    FL_RUN_HELD = 0,       /* every check held */
    FL_RUN_FAILED = 1,     /* a check failed */
    FL_RUN_UNKNOWN = 3,    /* the linearizability checker gave up */
    FL_RUN_MISSED = 4      /* every check held, but the scenario declares
                              expect.violation: its bug was not caught */
};

/* A scenario that declares expect.violation (a bug scenario) expects that
 * check to fail; run against an implementation without the bug, or on a
 * seed that does not trigger it, every check holds and it is missed. */
typedef enum fl_expected {
    FL_EXPECT_NONE,        /* declares no violation */
    FL_EXPECT_CAUGHT,      /* the declared check failed */
    FL_EXPECT_OTHER,       /* another check failed instead */
    FL_EXPECT_MISSED       /* no check failed (or only unknown) */
} fl_expected;

typedef struct fl_verdict {
    fl_check        checks[FL_RUN_CHECKS];
    size_t          invariants;    /* how many invariants the family has */
    fl_lin_result   lin;           /* FL_LIN_UNAVAILABLE if not checked */
    double          lin_timeout_s;
    int             status;        /* FL_RUN_HELD, FL_RUN_FAILED, FL_RUN_UNKNOWN
                                      or FL_RUN_MISSED */
    fl_expected       expect;        /* the scenario's expect.violation */
    uint64_t        seed;
    uint64_t        hash;          /* trace hash */
    fl_time         end;           /* simulated time reached */
    fl_engine_stats stats;
    char            repro[1024];   /* "faultline run SCENARIO --seed N ..." */
} fl_verdict;

typedef struct fl_run fl_run;

/* Borrows `s`, `alg` and the FILEs in `o` for the run's lifetime. NULL
 * with err->msg set if the engine cannot be built (or out of memory). */
fl_run *fl_run_new(const fl_scenario *s, const fl_algorithm *alg,
                   const fl_run_opts *o, fl_error *err);
void    fl_run_free(fl_run *r);

/* After the invariants' hook; return nonzero from it to stop the run. */
int fl_run_add_hook(fl_run *r, fl_step_hook hook, void *arg);
/* 1: fired one event; 0: the run is over; -1: a check or a hook stopped it. */
int fl_run_step(fl_run *r);
/* Steps until over or stopped; returns the last fl_run_step result. */
int fl_run_to_end(fl_run *r);
/* Closes the run (open client operations become info) and, if every
 * invariant held, runs their end-of-run checks. Idempotent. */
void fl_run_finish(fl_run *r);
/* Finishes the run and checks the client history against the workload's
 * model (if the scenario expects linearizability and has clients; else
 * FL_LIN_UNAVAILABLE). Once; fl_run_judge reuses the result. */
fl_lin_result fl_run_check_history(fl_run *r);
/* Finishes, judges and writes the history and metrics outputs. 0, or -1
 * if an output (or the trace) could not be written. Idempotent. */
int fl_run_judge(fl_run *r);
/* NULL before fl_run_judge. */
const fl_verdict *fl_run_verdict(const fl_run *r);

const fl_engine *fl_run_engine(const fl_run *r);
/* The engine, for a caller that fires events by hand (sim/manual.h)
 * instead of fl_run_step; everything else reads fl_run_engine. */
fl_engine *fl_run_engine_manual(fl_run *r);
const fl_scenario *fl_run_scenario(const fl_run *r);
/* The first invariant violation so far; NULL while every one held. */
const fl_violation *fl_run_violation(const fl_run *r);
size_t fl_run_invariant_count(const fl_run *r);
/* The linearizability report after judging, NULL if none was made. */
const fl_lin_report *fl_run_lin_report(const fl_run *r);
/* One line on the linearizability check (fl_run_check_history): what it
 * found, or why it was not run; "" before it ran. */
const char *fl_run_lin_summary(const fl_run *r);

/* The verdict's first failure as a stable check name and one line
 * ("raft.election_safety violated at 812.000 ms after node 2 stepped:
 * ..."): FL_CHECK_FAILED or FL_CHECK_UNKNOWN, or FL_CHECK_HELD with both
 * strings empty. */
fl_check_state fl_verdict_first_failure(const fl_verdict *v, char *check, size_t clen,
                                        char *detail, size_t dlen);
/* Whether the check named `name` (an invariant's name, "linearizable",
 * "liveness.min_ok_ops", "liveness.leader") failed. */
bool fl_verdict_failed(const fl_verdict *v, const char *name);
/* "held", "FAILED", "unknown", "not checked". */
const char *fl_check_state_name(fl_check_state s);

/* The one reproduce command: "faultline run SCENARIO --seed N
 * [--duration MS] [--impl SO]", the seed in hex (0x and 16 digits) if
 * `hex`, else in decimal. `duration_ms` < 0: the scenario's own. */
void fl_run_repro(char *buf, size_t len, const char *scenario, uint64_t seed, bool hex,
                  int64_t duration_ms, const char *impl);

#endif
