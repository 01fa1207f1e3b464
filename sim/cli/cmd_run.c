/* cmd_run.c — `faultline run`: load, validate, run and judge (through the
 * run object, sim/run/run.h), summarise.
 * Output files are written to a temporary name and renamed at the end, so
 * bad input or a failed write never leaves a half-written file behind. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sim/cli/args.h"
#include "sim/batch/suite.h"
#include "sim/cli/cli.h"
#include "sim/manual.h"
#include "sim/run/registry.h"
#include "sim/run/run.h"
#include "sim/scenario/scenario.h"
#include "sim/batch/sandbox.h"
#include "sim/util/outfile.h"

typedef struct run_opts {
    const char *scenario;
    uint64_t    seed;
    bool        has_seed, seed_hex;
    int64_t     duration_ms;     /* -1: the scenario's */
    const char *trace, *history, *history_edn, *metrics, *impl;
    bool        quiet;
    int         trace_format;    /* -1: by the --trace file's name */
} run_opts;

/* Output files: temporary + rename for regular files, special files
 * written directly, temporaries removed on SIGINT/SIGTERM. */
typedef fl_outfile out_file;
#define out_open fl_outfile_open
#define out_close fl_outfile_close

static const fl_cli_opt run_options[] = {
    { "seed", 0, true }, { "duration", 0, true }, { "trace", 0, true },
    { "history", 0, true }, { "history-edn", 0, true }, { "metrics", 0, true },
    { "impl", 0, true }, { "quiet", 'q', false }, { "trace-format", 0, true },
    { NULL, 0, false },
};

static int run_option(void *ctx, const char *a, const char *v)
{
    run_opts *o = ctx;
    const char **slot = NULL;
    if (strcmp(a, "--quiet") == 0) {
        o->quiet = true;
        return 0;
    }
    if (strcmp(a, "--seed") == 0) {
        if (!fl_cli_parse_u64(v, &o->seed))
            return fl_cli_usage_error("run", "--seed %s: expected a decimal or 0x-hex 64-bit number", v);
        o->has_seed = true;
        o->seed_hex = strncasecmp(v, "0x", 2) == 0;
        return 0;
    }
    if (strcmp(a, "--duration") == 0) {
        uint64_t ms;
        if (!fl_cli_parse_u64(v, &ms) || ms == 0 || ms > 1000000000ULL)
            return fl_cli_usage_error("run", "--duration %s: expected milliseconds in 1..1e9", v);
        o->duration_ms = (int64_t)ms;
        return 0;
    }
    if (strcmp(a, "--trace-format") == 0) {
        if (strcmp(v, "jsonl") == 0)
            o->trace_format = FL_TRACE_JSONL;
        else if (strcmp(v, "compact") == 0)
            o->trace_format = FL_TRACE_COMPACT;
        else
            return fl_cli_usage_error("run", "--trace-format %s: expected jsonl or compact", v);
        return 0;
    }
    if (strcmp(a, "--trace") == 0) slot = &o->trace;
    else if (strcmp(a, "--history") == 0) slot = &o->history;
    else if (strcmp(a, "--history-edn") == 0) slot = &o->history_edn;
    else if (strcmp(a, "--metrics") == 0) slot = &o->metrics;
    else if (strcmp(a, "--impl") == 0) slot = &o->impl;
    if (!slot)
        return fl_cli_usage_error("run", "unknown option %s", a);
    *slot = v;
    return 0;
}

static int run_operand(void *ctx, const char *a)
{
    run_opts *o = ctx;
    if (o->scenario)
        return fl_cli_usage_error("run", "more than one scenario given (\"%s\")", a);
    o->scenario = a;
    return 0;
}

/* 0, FL_CLI_DONE (--help or --version printed) or an exit status. */
static int parse_args(int argc, char **argv, run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->duration_ms = -1;
    o->trace_format = -1;
    int rc = fl_cli_parse(&fl_cmd_run_entry, argc, argv, run_options, run_option,
                          run_operand, o);
    if (rc != 0)
        return rc;
    if (!o->scenario)
        return fl_cli_usage_error("run", "no scenario given");
    if (o->trace_format >= 0 && !o->trace)
        return fl_cli_usage_error("run", "--trace-format applies to a --trace FILE");
    return 0;
}

/* ---- Output --------------------------------------------------------------------- */

typedef struct run_ctx {
    run_opts      o;
    fl_scenario  *s;
    fl_plugin    *plugin;
    const fl_algorithm *alg;
    fl_run       *r;
    out_file      trace, history, edn, metrics;
} run_ctx;

/* Manual delivery of the scenario's "schedule" on `r`: the steps applied
 * (up to a stop), or -1 with *bad the step that fits no pending event
 * (-2: out of memory). */
static long replay_schedule(const run_ctx *rc, fl_run *r, size_t *bad);

/* The last events before a violation. No run keeps them as it goes (a
 * ring of records cost every event of every run); the same scenario, seed
 * and binary give the same events, so the run is made again with the ring
 * on, to the same stop, and the trace hash and event count vouch that it
 * is the same run. A plug-in that keeps state outside its nodes (global
 * variables) can differ the second time: then they are not shown. */
static void print_recent(const run_ctx *rc)
{
    fl_error err = { { 0 } };
    fl_run_opts ro = {
        .seed = rc->o.seed, .has_seed = rc->o.has_seed, .seed_hex = rc->o.seed_hex,
        .duration = rc->o.duration_ms >= 0 ? FL_MS(rc->o.duration_ms) : 0,
        .lin_timeout_s = 60.0, .path = rc->o.scenario, .impl = rc->o.impl,
        .recent = true,
    };
    fl_run *again = fl_run_new(rc->s, rc->alg, &ro, &err);
    if (!again) {
        printf("    (not available: %s)\n", err.msg);
        return;
    }
    size_t bad;
    if (rc->s->nschedule ? replay_schedule(rc, again, &bad) >= 0 : (fl_run_to_end(again), 1)) {
        fl_run_finish(again);
        const fl_engine *a = fl_run_engine(again), *o = fl_run_engine(rc->r);
        if (fl_engine_trace_hash(a) == fl_engine_trace_hash(o) &&
            fl_engine_stats_get(a)->events == fl_engine_stats_get(o)->events)
            fl_trace_print_recent(fl_engine_trace(a), stdout, "    ");
        else
            printf("    (not shown: the run made again to list them took other steps, "
                   "so the implementation keeps state outside its nodes, e.g. in "
                   "global variables)\n");
    }
    fl_run_free(again);
}

static void print_violation(const run_ctx *rc, const fl_check *c)
{
    if (c->node == FL_NO_NODE)
        printf("  violated: %s at the end of the run (%.3f ms)\n  %s\n",
               c->name, (double)c->at / 1e6, c->detail);
    else
        printf("  violated: %s at %.3f ms after node %d stepped\n  %s\n",
               c->name, (double)c->at / 1e6, c->node, c->detail);
    printf("  the last events:\n");
    print_recent(rc);
}

static void print_summary(const run_ctx *rc, const fl_verdict *v)
{
    const fl_run *r = rc->r;
    const fl_engine *e = fl_run_engine(r);
    const fl_scenario *s = fl_run_scenario(r);
    const fl_engine_stats *st = &v->stats;
    const fl_check *inv = &v->checks[FL_RUN_INVARIANTS];
    const fl_check *lin = &v->checks[FL_RUN_LINEARIZABLE];
    printf("scenario:   %s (%s, %zu nodes)\n", s->name, fl_engine_algorithm(e)->name,
           fl_engine_node_count(e));
    printf("seed:       0x%016" PRIx64 "\n", v->seed);
    printf("simulated:  %.3f ms, %" PRIu64 " events\n", (double)v->end / 1e6, st->events);
    printf("messages:   %" PRIu64 " sent, %" PRIu64 " delivered, %" PRIu64
           " dropped, %" PRIu64 " duplicated\n",
           st->sent, st->delivered, st->dropped, st->duplicated);
    printf("faults:     %" PRIu64 " applied, %" PRIu64 " skipped (%" PRIu64
           " crashes, %" PRIu64 " restarts)\n",
           st->faults_applied, st->faults_skipped, st->crashes, st->restarts);
    printf("client ops: %" PRIu64 " ok, %" PRIu64 " fail, %" PRIu64 " info\n",
           st->ops_ok, st->ops_fail, st->ops_info);
    printf("check invariants (%zu): %s\n", v->invariants, fl_check_state_name(inv->state));
    if (inv->state == FL_CHECK_FAILED)
        print_violation(rc, inv);
    static const char *const lin_text[] = { "yes", "NO", "unknown (timeout)",
                                            "not checked" };
    printf("linearizable: %s%s%s\n", lin_text[lin->state], lin->detail[0] ? "  " : "",
           lin->detail);
    if (v->checks[FL_RUN_MIN_OPS].state != FL_CHECK_SKIPPED)
        printf("check liveness.min_ok_ops: %s  (%s)\n",
               fl_check_state_name(v->checks[FL_RUN_MIN_OPS].state),
               v->checks[FL_RUN_MIN_OPS].detail);
    if (s->expect.leader_within >= 0)
        printf("check liveness.leader: %s  (%s)\n",
               fl_check_state_name(v->checks[FL_RUN_LEADER].state),
               v->checks[FL_RUN_LEADER].detail);
}

/* ---- The command ------------------------------------------------------------------ */


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

static int start_run(run_ctx *rc)
{
    fl_error err = { { 0 } };
    if (out_open(&rc->trace, rc->o.trace) < 0 || out_open(&rc->history, rc->o.history) < 0 ||
        out_open(&rc->edn, rc->o.history_edn) < 0 || out_open(&rc->metrics, rc->o.metrics) < 0)
        return 2;
    fl_run_opts ro = {
        .seed = rc->o.seed, .has_seed = rc->o.has_seed, .seed_hex = rc->o.seed_hex,
        .duration = rc->o.duration_ms >= 0 ? FL_MS(rc->o.duration_ms) : 0,
        .lin_timeout_s = 60.0,
        .trace = rc->trace.fp,
        .trace_format = rc->o.trace_format >= 0 ? (fl_trace_format)rc->o.trace_format
                                                : fl_trace_format_for_path(rc->o.trace),
        .history = rc->history.fp, .history_edn = rc->edn.fp,
        .metrics = rc->metrics.fp, .path = rc->o.scenario, .impl = rc->o.impl,
    };
    rc->r = fl_run_new(rc->s, rc->alg, &ro, &err);
    if (!rc->r) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        return 2;
    }
    return 0;
}

static long replay_schedule(const run_ctx *rc, fl_run *r, size_t *bad)
{
    fl_manual *m = fl_manual_new(fl_run_engine_manual(r));
    if (!m)
        return -2;
    size_t i = 0;
    for (; i < rc->s->nschedule && !fl_engine_done(fl_run_engine(r)); i++)
        if (fl_manual_apply(m, &rc->s->schedule[i]) < 0) {
            *bad = i;
            fl_manual_free(m);
            return -1;
        }
    fl_manual_free(m);
    return (long)i;
}

/* A scenario with an explicit "schedule" (a search's counterexample) runs
 * exactly those steps under manual delivery, then is judged as usual. */
static int run_schedule(run_ctx *rc)
{
    size_t i = 0;
    long n = replay_schedule(rc, rc->r, &i);
    if (n == -2) {
        fprintf(stderr, "faultline: out of memory\n");
        return 2;
    }
    if (n < 0) {
        const fl_step *st = &rc->s->schedule[i];
        fprintf(stderr, "faultline: %s: $.schedule[%zu]: no pending %s with id %llu "
                "(the schedule does not fit this binary or scenario)\n", rc->o.scenario, i,
                st->kind == FL_STEP_TIMER ? "timer" : "message", (unsigned long long)st->id);
        return 2;
    }
    if (!rc->o.quiet)
        printf("schedule: %ld of %zu steps replayed under manual delivery\n", n,
               rc->s->nschedule);
    return 0;
}

static int close_outputs(run_ctx *rc, bool keep)
{
    int bad = 0;
    bad |= out_close(&rc->trace, keep && !bad);
    bad |= out_close(&rc->history, keep && !bad);
    bad |= out_close(&rc->edn, keep && !bad);
    bad |= out_close(&rc->metrics, keep && !bad);
    return bad;
}

static int finish(run_ctx *rc)
{
    const char *broke_check, *broke = fl_engine_failure(fl_run_engine(rc->r), &broke_check);
    if (broke) {    /* init failed (2), a message too large (1), ... */
        fl_run_finish(rc->r);
        char repro[2048];
        fl_run_repro(repro, sizeof repro, rc->o.scenario, fl_engine_seed(fl_run_engine(rc->r)),
                     rc->o.seed_hex, rc->o.duration_ms, rc->o.impl);
        close_outputs(rc, false);
        printf("verdict: FAILED (%s): %s\nreproduce: %s\n", broke_check, broke, repro);
        return strcmp(broke_check, "init") == 0 ? 2 : 1;
    }
    int written = fl_run_judge(rc->r);
    const fl_verdict *v = fl_run_verdict(rc->r);
    const fl_lin_report *rep = fl_run_lin_report(rc->r);
    if (v->lin == FL_LIN_VIOLATION && rep && !rc->o.quiet)
        fl_lin_report_print(rep, stdout);
    if (close_outputs(rc, written == 0) != 0 || written != 0)
        return 2;
    if (!rc->o.quiet)
        print_summary(rc, v);
    const char *want = rc->s->expect.violation;
    if (want[0])
        printf("expected violation %s: %s\n", want,
               v->expect == FL_EXPECT_CAUGHT ? "caught"
               : v->expect == FL_EXPECT_OTHER ? "NOT caught (another check failed first)"
               : "NOT caught (no check failed: an implementation without the bug, "
                 "or a seed that does not trigger it)");
    printf("verdict: %s  trace hash 0x%016" PRIx64 "\n",
           v->status == FL_RUN_HELD ? "all checks held"
           : v->status == FL_RUN_FAILED ? "a check FAILED"
           : v->status == FL_RUN_MISSED ? "EXPECTATION NOT MET (every check held, but "
                                          "the scenario expects a violation)"
           : "unknown", v->hash);
    printf("reproduce: %s\n", v->repro);
    return v->status;
}

static void cleanup(run_ctx *rc)
{
    close_outputs(rc, false);
    fl_run_free(rc->r);
    fl_scenario_free(rc->s);
    fl_plugin_close(rc->plugin);
}

int fl_cmd_run(int argc, char **argv)
{
    static const char *const outputs[] = { "--trace", "--history", "--history-edn",
                                           "--metrics", NULL };
    int sandboxed;     /* --impl: in a limited child (sim/batch/sandbox.h) */
    if (fl_sandbox_command("run", fl_cmd_run, outputs, &argc, argv, &sandboxed))
        return sandboxed;
    run_ctx rc;
    memset(&rc, 0, sizeof rc);
    int status = parse_args(argc, argv, &rc.o);
    if (status != 0)
        return fl_cli_status(status);
    status = prepare(&rc);
    if (status == 0)
        status = start_run(&rc);
    if (status == 0 && rc.s->nschedule)
        status = run_schedule(&rc);
    else if (status == 0)
        fl_run_to_end(rc.r);
    if (status == 0)
        status = finish(&rc);
    cleanup(&rc);
    return status;
}

/* ---- The command-table entry: `faultline help run` and `faultline run --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline run SCENARIO.json [options]\n"
    "\n"
    "Runs the scenario, checks the algorithm's invariants after every event\n"
    "and the client history for linearizability at the end, and prints a\n"
    "summary with the trace hash and the command that reproduces the run.\n"
    "\n"
    "options:\n"
    "  --seed N          master seed (decimal or 0x-hex, 64 bits); default:\n"
    "                    the scenario's \"seed\", else 1\n"
    "  --duration MS     simulated run time in ms (default: the scenario's)\n"
    "  --trace FILE      write the trace: JSON Lines, or the compact format\n"
    "                    (zstd-compressed binary records, about a tenth of\n"
    "                    the size) if FILE ends in .fltrace\n"
    "  --trace-format F  jsonl or compact, whatever FILE's name; `faultline\n"
    "                    trace export --jsonl` turns a compact trace into\n"
    "                    the JSON Lines the run would have written\n"
    "  --history FILE    write the client history as JSON Lines\n"
    "  --history-edn FILE  write the client history as Jepsen EDN\n"
    "  --metrics FILE    write one CSV row of run metrics (with header)\n"
    "  --impl SO         use the algorithm in this shared object instead of\n"
    "                    the built-in one the scenario names; it runs in a\n"
    "                    child with limits (--cpu S, --wall S, --memory MB;\n"
    "                    default 10, 30, 512) unless --in-process\n"
    "  --quiet, -q       print only two lines: the verdict (with the trace\n"
    "                    hash) and the command that reproduces the run\n"
    "\n"
    "exit status: 0 every check held, 1 a check failed, 2 bad input or usage,\n"
    "3 unknown (the linearizability checker ran out of time)\n";

const fl_command fl_cmd_run_entry = {
    "run", "run a scenario and check it", usage_text, fl_cmd_run, NULL, true,
};
