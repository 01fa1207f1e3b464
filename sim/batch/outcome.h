/* outcome.h — how one run in a batch ended, as plain fixed-size data a
 * forked child (sim/batch/child.h) can send through a pipe: the run's
 * verdict (run.h) reduced to its first failure, or how the child died
 * (signal, exit, limit). grade, explore and shrink judge runs by it. The
 * verdict is the run object's, so a run's outcome and the reproduce
 * command's (fl_run_repro) verdict agree. */
#ifndef FL_BATCH_OUTCOME_H
#define FL_BATCH_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "sim/batch/child.h"
#include "sim/scenario/scenario.h"

typedef enum fl_outcome_kind {
    FL_OUT_PASS,       /* every check the scenario asks for held */
    FL_OUT_CHECK,      /* a check failed: `check` names it */
    FL_OUT_UNKNOWN,    /* the linearizability checker ran out of time */
    FL_OUT_NONDET,     /* the same seed ran twice to different traces */
    FL_OUT_CRASH,      /* died of a signal or a sanitizer report */
    FL_OUT_EXIT,       /* the process exited in the middle of the run */
    FL_OUT_CPU,        /* CPU-time limit */
    FL_OUT_WALL,       /* wall-clock limit */
    FL_OUT_MEMORY,     /* memory limit */
    FL_OUT_ERROR,      /* could not run: plug-in not loadable, scenario
                          rejected by the algorithm's validate, ... */
    FL_OUT_FORBIDDEN,  /* did what a run may not: fork(), flood its output */
    FL_OUT_SKIPPED,    /* not run: its test had already failed, or grading
                          ran out of time (grade --max-time) */
    FL_OUT_MISSED,     /* every check held, but the scenario declares
                          expect.violation (a bug scenario whose bug was not
                          caught): neither passed nor failed; `check` is the
                          expected check */
    FL_OUT_KIND_COUNT
} fl_outcome_kind;

#define FL_OUTCOME_MAGIC 0x464c4f55u   /* "FLOU" */

typedef struct fl_outcome {
    uint32_t        magic;
    fl_outcome_kind kind;
    /* What failed, as a stable name: an invariant ("raft.election_safety"),
     * "linearizable", "liveness.min_ok_ops", "liveness.leader",
     * "nondeterministic", "crash.SIGSEGV", "exit", "limit.cpu",
     * "limit.wall", "limit.memory", "limit.output", "forbidden.fork", "error";
     * "" when it passed. Shrinking
     * keeps a change only if the run still fails with the same name. */
    char     check[64];
    char     detail[480];      /* one line saying what happened */
    /* Every check of the verdict that failed, space-separated ("linearizable
     * liveness.min_ok_ops"): shrink drops the liveness bounds a shrunk
     * scenario no longer meets, so that it fails `check` alone. */
    char     failed[160];
    uint64_t hash;             /* trace hash of the (first) run */
    uint64_t hash2;            /* of the second run, if it ran twice */
    uint64_t events, ops_ok, ops_fail, ops_info;
    fl_time  sim_end;          /* simulated time reached */
    fl_time  fail_at;          /* when an invariant broke; -1 otherwise */
    double   wall_s, cpu_s;    /* measured by the child runner */
    uint64_t peak_rss;
} fl_outcome;

typedef struct fl_run_spec {
    uint64_t seed;
    fl_time  duration;         /* 0: the scenario's */
    double   lin_timeout_s;    /* 0: 10 s */
    bool     twice;            /* run again in this process, compare hashes */
} fl_run_spec;

/* Runs `s` (already bound to `alg`) in this process. */
void fl_outcome_run(const fl_scenario *s, const fl_algorithm *alg,
                    const fl_run_spec *spec, fl_outcome *out);

/* For a child process: loads the plug-in `impl` (NULL: the built-in
 * algorithm `s` names) and binds `s` to it. The algorithm, or NULL with
 * `out` saying why (FL_OUT_ERROR); `out` is reset either way. */
const fl_algorithm *fl_outcome_bind_job(fl_scenario *s, const char *impl, fl_outcome *out);

/* For a child process: loads the plug-in `impl` (NULL: the built-in
 * algorithm `s` names), binds `s` to it and runs. A plug-in that does not
 * load or a scenario its validate rejects gives FL_OUT_ERROR. */
void fl_outcome_run_job(fl_scenario *s, const char *impl,
                        const fl_run_spec *spec, fl_outcome *out);

/* Loads the plug-in `impl` in a child process (so its code cannot harm
 * this one) and, if `s` is not NULL, binds `s` to it. Returns
 * FL_CHILD_OK with msg[0] == '\0' if that worked, FL_CHILD_OK with the
 * reason in `msg` if it did not, or the pool's failure / interruption. */
fl_child_status fl_outcome_check_impl(const char *impl, fl_scenario *s,
                                      const fl_child_limits *lim,
                                      char *msg, size_t len);

/* The outcome of a child: its payload if it finished normally, else how it
 * ended (signal, exit, limit), recognising sanitizer reports in its output. */
void fl_outcome_from_child(const fl_child_result *r, const fl_outcome *payload,
                           const fl_child_limits *lim, fl_outcome *out);

/* A run that was not run, or missed its expected violation, is neither
 * passed nor failed. */
static inline bool fl_outcome_failed(const fl_outcome *o)
{
    return o->kind != FL_OUT_PASS && o->kind != FL_OUT_SKIPPED &&
           o->kind != FL_OUT_MISSED;
}

/* "pass", "fail", "unknown", "nondeterministic", "crash", "exit",
 * "cpu-limit", "wall-limit", "memory-limit", "error", "forbidden", "skipped",
 * "missed". */
const char *fl_outcome_kind_name(fl_outcome_kind k);
/* The inverse; false if `name` is none of them. */
bool fl_outcome_kind_parse(const char *name, fl_outcome_kind *out);

#endif
