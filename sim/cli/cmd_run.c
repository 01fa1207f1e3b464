/* cmd_run.c — `faultline run`: load, validate, run, check, summarise.
 * Output files are written to a temporary name and renamed at the end, so
 * bad input or a failed write never leaves a half-written file behind. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/run/invcheck.h"
#include "sim/run/lincheck.h"
#include "sim/cli/cli.h"
#include "sim/engine.h"
#include "sim/manual.h"
#include "sim/run/liveness.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"
#include "sim/batch/suite.h"

typedef struct run_opts {
    const char *scenario;
    uint64_t    seed;
    bool        has_seed;
    int64_t     duration_ms;     /* -1: the scenario's */
    const char *trace, *history, *history_edn, *metrics, *impl;
    bool        quiet;
} run_opts;

/* An output file written under a temporary name until committed. */
typedef struct out_file {
    const char *path;
    char       *tmp;
    FILE       *fp;
} out_file;

static int out_open(out_file *o, const char *path)
{
    o->path = path;
    o->fp = NULL;
    o->tmp = NULL;
    if (!path)
        return 0;
    size_t len = strlen(path) + 32;
    o->tmp = malloc(len);
    if (!o->tmp)
        return -1;
    snprintf(o->tmp, len, "%s.partial.%ld", path, (long)getpid());
    o->fp = fopen(o->tmp, "w");
    if (!o->fp) {
        fprintf(stderr, "faultline: %s: cannot write: %m\n", path);
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    return 0;
}

/* Closes; renames into place if `keep`, else removes. -1 on I/O error. */
static int out_close(out_file *o, bool keep)
{
    int rc = 0;
    if (!o->fp)
        return 0;
    if (ferror(o->fp) || fclose(o->fp) != 0)
        rc = -1;
    o->fp = NULL;
    if (keep && rc == 0 && rename(o->tmp, o->path) != 0)
        rc = -1;
    if (!keep || rc != 0)
        unlink(o->tmp);
    if (rc != 0)
        fprintf(stderr, "faultline: %s: write failed: %m\n", o->path);
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}

static int parse_args(int argc, char **argv, run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->duration_ms = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = true;
            continue;
        }
        if (a[0] != '-') {
            if (o->scenario)
                return fl_cli_usage_error("run", "more than one scenario given (\"%s\")", a);
            o->scenario = a;
            continue;
        }
        if (i + 1 >= argc)
            return fl_cli_usage_error("run", "%s needs a value", a);
        const char *v = argv[++i];
        if (strcmp(a, "--seed") == 0) {
            if (!fl_cli_parse_u64(v, &o->seed))
                return fl_cli_usage_error("run", "--seed %s: expected a decimal or 0x-hex 64-bit number", v);
            o->has_seed = true;
            continue;
        }
        if (strcmp(a, "--duration") == 0) {
            uint64_t ms;
            if (!fl_cli_parse_u64(v, &ms) || ms == 0 || ms > 1000000000ULL)
                return fl_cli_usage_error("run", "--duration %s: expected milliseconds in 1..1e9", v);
            o->duration_ms = (int64_t)ms;
            continue;
        }
        if (strcmp(a, "--trace") == 0) slot = &o->trace;
        else if (strcmp(a, "--history") == 0) slot = &o->history;
        else if (strcmp(a, "--history-edn") == 0) slot = &o->history_edn;
        else if (strcmp(a, "--metrics") == 0) slot = &o->metrics;
        else if (strcmp(a, "--impl") == 0) slot = &o->impl;
        if (!slot)
            return fl_cli_usage_error("run", "unknown option %s", a);
        *slot = v;
    }
    if (!o->scenario)
        return fl_cli_usage_error("run", "no scenario given");
    return 0;
}

/* ---- Verdicts ----------------------------------------------------------------- */

typedef enum { CHECK_HELD, CHECK_FAILED, CHECK_UNKNOWN, CHECK_SKIPPED } check_state;

typedef struct verdicts {
    check_state invariants, linearizable, min_ops, leader;
    char        lin_detail[256];
    char        live_detail[256];
    const fl_violation *violation;
    fl_lin_result lin;
} verdicts;

static const char *state_text(check_state s)
{
    switch (s) {
    case CHECK_HELD: return "held";
    case CHECK_FAILED: return "FAILED";
    case CHECK_UNKNOWN: return "unknown";
    case CHECK_SKIPPED: return "not checked";
    }
    return "?";
}

static check_state from_live(fl_live l)
{
    return l == FL_LIVE_HELD ? CHECK_HELD : l == FL_LIVE_FAILED ? CHECK_FAILED
                                                                : CHECK_SKIPPED;
}

static void check_liveness(const fl_engine *e, const fl_scenario *s, verdicts *v)
{
    char ops_detail[256];
    v->min_ops = from_live(fl_liveness_min_ops(e, s, ops_detail, sizeof ops_detail));
    v->leader = from_live(fl_liveness_leader(e, s, v->live_detail,
                                             sizeof v->live_detail));
}

static void check_history(const fl_engine *e, const fl_scenario *s, verdicts *v,
                          bool quiet)
{
    v->linearizable = CHECK_SKIPPED;
    if (!s->expect.linearizable || s->workload.model == FL_MODEL_NONE ||
        s->workload.clients == 0)
        return;
    fl_lin_report rep;
    v->lin = fl_lin_check_engine_history(fl_engine_history(e), s->workload.model,
                                         60.0, &rep, v->lin_detail,
                                         sizeof v->lin_detail);
    v->linearizable = v->lin == FL_LIN_OK ? CHECK_HELD
                    : v->lin == FL_LIN_UNKNOWN ? CHECK_UNKNOWN
                    : v->lin == FL_LIN_VIOLATION ? CHECK_FAILED
                    : v->lin == FL_LIN_ERROR ? CHECK_FAILED : CHECK_SKIPPED;
    if (v->lin == FL_LIN_VIOLATION && !quiet)
        fl_lin_report_print(&rep, stdout);
    fl_lin_report_free(&rep);
}

/* The checks that failed, as their names, for `expect.violation`. */
static bool failed_check_named(const verdicts *v, const char *name)
{
    if (v->violation && strcmp(v->violation->name, name) == 0)
        return true;
    if (v->linearizable == CHECK_FAILED && strcmp(name, "linearizable") == 0)
        return true;
    if (v->min_ops == CHECK_FAILED && strcmp(name, "liveness.min_ok_ops") == 0)
        return true;
    if (v->leader == CHECK_FAILED && strcmp(name, "liveness.leader") == 0)
        return true;
    return false;
}

static bool any_failed(const verdicts *v)
{
    return v->invariants == CHECK_FAILED || v->linearizable == CHECK_FAILED ||
           v->min_ops == CHECK_FAILED || v->leader == CHECK_FAILED;
}

/* ---- Output --------------------------------------------------------------------- */

static void print_repro(FILE *out, const run_opts *o, uint64_t seed, fl_time duration)
{
    fprintf(out, "reproduce: faultline run %s --seed 0x%016" PRIx64, o->scenario, seed);
    if (o->duration_ms >= 0)
        fprintf(out, " --duration %" PRId64, (int64_t)(duration / 1000000));
    if (o->impl)
        fprintf(out, " --impl %s", o->impl);
    fputc('\n', out);
}

static void print_summary(const run_opts *o, const fl_engine *e,
                          const fl_invcheck *ic, const verdicts *v)
{
    const fl_scenario *s = fl_engine_scenario(e);
    const fl_engine_stats *st = fl_engine_stats_get(e);
    printf("scenario:   %s (%s, %zu nodes)\n", s->name, fl_engine_algorithm(e)->name,
           fl_engine_node_count(e));
    printf("seed:       0x%016" PRIx64 "\n", fl_engine_seed(e));
    printf("simulated:  %.3f ms, %" PRIu64 " events\n",
           (double)fl_engine_now(e) / 1e6, st->events);
    printf("messages:   %" PRIu64 " sent, %" PRIu64 " delivered, %" PRIu64
           " dropped, %" PRIu64 " duplicated\n",
           st->sent, st->delivered, st->dropped, st->duplicated);
    printf("faults:     %" PRIu64 " applied, %" PRIu64 " skipped (%" PRIu64
           " crashes, %" PRIu64 " restarts)\n",
           st->faults_applied, st->faults_skipped, st->crashes, st->restarts);
    printf("client ops: %" PRIu64 " ok, %" PRIu64 " fail, %" PRIu64 " info\n",
           st->ops_ok, st->ops_fail, st->ops_info);
    printf("check invariants (%zu): %s\n", fl_invcheck_count(ic),
           state_text(v->invariants));
    if (v->violation) {
        if (v->violation->node == FL_NO_NODE)
            printf("  violated: %s at the end of the run (%.3f ms)\n  %s\n",
                   v->violation->name, (double)v->violation->time / 1e6,
                   v->violation->msg);
        else
            printf("  violated: %s at %.3f ms after node %d stepped\n  %s\n",
                   v->violation->name, (double)v->violation->time / 1e6,
                   v->violation->node, v->violation->msg);
        printf("  the last events:\n");
        fl_trace_print_recent(fl_engine_trace(e), stdout, "    ");
    }
    static const char *const lin_text[] = { "yes", "NO", "unknown (timeout)",
                                            "not checked" };
    printf("linearizable: %s%s%s\n", lin_text[v->linearizable],
           v->lin_detail[0] ? "  " : "", v->lin_detail);
    if (v->min_ops != CHECK_SKIPPED)
        printf("check liveness.min_ok_ops (>= %" PRId64 "): %s\n",
               s->expect.min_ok_ops, state_text(v->min_ops));
    if (s->expect.leader_within >= 0)
        printf("check liveness.leader: %s  (%s)\n", state_text(v->leader), v->live_detail);
    (void)o;
}

static int write_metrics(FILE *fp, const fl_engine *e, const verdicts *v)
{
    const fl_engine_stats *st = fl_engine_stats_get(e);
    const fl_scenario *s = fl_engine_scenario(e);
    fprintf(fp, "scenario,algorithm,seed,nodes,sim_ms,events,sent,delivered,dropped,"
                "duplicated,faults_applied,faults_skipped,crashes,restarts,ops_ok,"
                "ops_fail,ops_info,syncs,invariants,linearizable,trace_hash\n");
    fprintf(fp, "%s,%s,0x%016" PRIx64 ",%zu,%.3f,%" PRIu64 ",%" PRIu64 ",%" PRIu64
                ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
                ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%s,%s,0x%016" PRIx64 "\n",
            s->name, fl_engine_algorithm(e)->name, fl_engine_seed(e),
            fl_engine_node_count(e), (double)fl_engine_now(e) / 1e6, st->events,
            st->sent, st->delivered, st->dropped, st->duplicated, st->faults_applied,
            st->faults_skipped, st->crashes, st->restarts, st->ops_ok, st->ops_fail,
            st->ops_info, st->syncs, state_text(v->invariants),
            state_text(v->linearizable), fl_engine_trace_hash(e));
    return ferror(fp) ? -1 : 0;
}

/* ---- The command ------------------------------------------------------------------ */

typedef struct run_ctx {
    run_opts      o;
    fl_scenario  *s;
    fl_plugin    *plugin;
    const fl_algorithm *alg;
    fl_engine    *e;
    fl_invcheck  *ic;
    out_file      trace, history, edn, metrics;
} run_ctx;

static int prepare(run_ctx *rc)
{
    fl_error err = { { 0 } };
    rc->s = fl_scenario_load(rc->o.scenario, &err);
    if (!rc->s) {
        if (fl_suite_sniff(rc->o.scenario)) {   /* scenarios/ALG/suite.json */
            fprintf(stderr, "faultline: %s: this is a grading suite, not a scenario: use "
                    "faultline grade --suite %s\n", rc->o.scenario, rc->o.scenario);
            return 2;
        }
        fprintf(stderr, "faultline: %s\n", err.msg);
        return 2;
    }
    if (rc->o.impl) {
        rc->plugin = fl_plugin_open(rc->o.impl, &err);
        if (!rc->plugin) {
            fprintf(stderr, "faultline: %s\n", err.msg);
            return 2;
        }
        rc->alg = fl_plugin_algorithm(rc->plugin);
    } else {
        rc->alg = fl_registry_find(rc->s->algorithm);
        if (!rc->alg) {
            fprintf(stderr, "faultline: %s: $.algorithm: unknown algorithm \"%s\" (built in:",
                    rc->o.scenario, rc->s->algorithm);
            for (size_t i = 0; fl_registry_at(i); i++)
                fprintf(stderr, " %s", fl_registry_at(i)->name);
            fprintf(stderr, "; or pass --impl SO)\n");
            return 2;
        }
    }
    if (fl_scenario_bind(rc->s, rc->alg, &err) < 0) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        return 2;
    }
    return 0;
}

static int start_engine(run_ctx *rc, uint64_t seed, fl_time duration)
{
    fl_error err = { { 0 } };
    rc->e = fl_engine_new(rc->s, rc->alg, seed, duration, &err);
    if (!rc->e) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        return 2;
    }
    /* Invariants belong to the family the scenario names, so a plug-in
     * is held to the same checks as the built-in implementation. */
    rc->ic = fl_invcheck_new(rc->s->algorithm, rc->e);
    if (!rc->ic || (rc->s->expect.invariants && fl_invcheck_attach(rc->ic, rc->e) < 0)) {
        fprintf(stderr, "faultline: out of memory\n");
        return 2;
    }
    if (out_open(&rc->trace, rc->o.trace) < 0 || out_open(&rc->history, rc->o.history) < 0 ||
        out_open(&rc->edn, rc->o.history_edn) < 0 || out_open(&rc->metrics, rc->o.metrics) < 0)
        return 2;
    if (rc->trace.fp && fl_engine_trace_to(rc->e, rc->trace.fp) < 0)
        return 2;
    return 0;
}

/* A scenario with an explicit "schedule" (a search's counterexample) runs
 * exactly those steps under manual delivery, then is judged as usual. */
static int run_schedule(run_ctx *rc)
{
    fl_manual *m = fl_manual_new(rc->e);
    if (!m) {
        fprintf(stderr, "faultline: out of memory\n");
        return 2;
    }
    size_t i = 0;
    for (; i < rc->s->nschedule && !fl_engine_done(rc->e); i++) {
        const fl_step *st = &rc->s->schedule[i];
        if (fl_manual_apply(m, st) < 0) {
            fprintf(stderr, "faultline: %s: $.schedule[%zu]: no pending %s with id %llu "
                    "(the schedule does not fit this binary or scenario)\n", rc->o.scenario, i,
                    st->kind == FL_STEP_TIMER ? "timer" : "message", (unsigned long long)st->id);
            fl_manual_free(m);
            return 2;
        }
    }
    fl_manual_free(m);
    if (!rc->o.quiet)
        printf("schedule: %zu of %zu steps replayed under manual delivery\n", i,
               rc->s->nschedule);
    return 0;
}

static int write_outputs(run_ctx *rc, const verdicts *v)
{
    int bad = 0;
    if (rc->history.fp)
        bad |= fl_history_write_jsonl(fl_engine_history(rc->e), rc->history.fp);
    if (rc->edn.fp)
        bad |= fl_history_write_edn(fl_engine_history(rc->e), rc->edn.fp);
    if (rc->metrics.fp)
        bad |= write_metrics(rc->metrics.fp, rc->e, v);
    bad |= fl_engine_trace(rc->e)->io_error;
    bad |= out_close(&rc->trace, !bad);
    bad |= out_close(&rc->history, !bad);
    bad |= out_close(&rc->edn, !bad);
    bad |= out_close(&rc->metrics, !bad);
    return bad ? 2 : 0;
}

static int finish(run_ctx *rc, fl_time duration)
{
    fl_engine_finish(rc->e);
    if (rc->s->expect.invariants)
        (void)fl_invcheck_finish(rc->ic, rc->e);
    verdicts v;
    memset(&v, 0, sizeof v);
    v.violation = fl_invcheck_violation(rc->ic);
    v.invariants = !rc->s->expect.invariants ? CHECK_SKIPPED
                 : v.violation ? CHECK_FAILED : CHECK_HELD;
    if (!v.violation) {
        check_history(rc->e, rc->s, &v, rc->o.quiet);
        check_liveness(rc->e, rc->s, &v);
    } else {
        v.linearizable = v.min_ops = v.leader = CHECK_SKIPPED;
    }
    if (write_outputs(rc, &v) != 0)
        return 2;
    if (!rc->o.quiet)
        print_summary(&rc->o, rc->e, rc->ic, &v);
    int status = any_failed(&v) ? 1 : v.linearizable == CHECK_UNKNOWN ? 3 : 0;
    const char *want = rc->s->expect.violation;
    if (want[0]) {
        bool caught = failed_check_named(&v, want);
        printf("expected violation %s: %s\n", want,
               caught ? "caught" : "NOT caught (the run did not fail that check)");
    }
    printf("verdict: %s  trace hash 0x%016" PRIx64 "\n",
           status == 0 ? "all checks held" : status == 1 ? "a check FAILED" : "unknown",
           fl_engine_trace_hash(rc->e));
    print_repro(stdout, &rc->o, fl_engine_seed(rc->e), duration);
    return status;
}

static void cleanup(run_ctx *rc)
{
    out_close(&rc->trace, false);
    out_close(&rc->history, false);
    out_close(&rc->edn, false);
    out_close(&rc->metrics, false);
    fl_invcheck_free(rc->ic);
    fl_engine_free(rc->e);
    fl_scenario_free(rc->s);
    fl_plugin_close(rc->plugin);
}

int fl_cmd_run(int argc, char **argv)
{
    run_ctx rc;
    memset(&rc, 0, sizeof rc);
    int status = parse_args(argc, argv, &rc.o);
    if (status != 0)
        return status;
    status = prepare(&rc);
    if (status == 0) {
        uint64_t seed = rc.o.has_seed ? rc.o.seed : rc.s->has_seed ? rc.s->seed : 1;
        fl_time duration = rc.o.duration_ms >= 0 ? FL_MS(rc.o.duration_ms)
                                                 : rc.s->duration;
        status = start_engine(&rc, seed, duration);
        if (status == 0 && rc.s->nschedule)
            status = run_schedule(&rc);
        else if (status == 0)
            fl_engine_run(rc.e);
        if (status == 0)
            status = finish(&rc, duration);
    }
    cleanup(&rc);
    return status;
}
