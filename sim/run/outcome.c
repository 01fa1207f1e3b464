/* outcome.c — run a scenario once (or twice) and sum it up as an
 * fl_outcome; turn a child process's ending into one. The checks mirror
 * sim/cli/cmd_run.c: invariants after every event (a violation stops the run),
 * then linearizability of the history, then the liveness expectations. */
#include "sim/run/outcome.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim/run/invcheck.h"
#include "sim/run/lincheck.h"
#include "sim/engine.h"
#include "sim/run/liveness.h"
#include "sim/run/registry.h"

static const char *const kind_names[FL_OUT_KIND_COUNT] = {
    "pass", "fail", "unknown", "nondeterministic", "crash", "exit",
    "cpu-limit", "wall-limit", "memory-limit", "error",
};

const char *fl_outcome_kind_name(fl_outcome_kind k)
{
    return (unsigned)k < FL_OUT_KIND_COUNT ? kind_names[k] : "?";
}

bool fl_outcome_kind_parse(const char *name, fl_outcome_kind *out)
{
    for (unsigned k = 0; k < FL_OUT_KIND_COUNT; k++)
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (fl_outcome_kind)k;
            return true;
        }
    return false;
}

static void set_fail(fl_outcome *o, fl_outcome_kind kind, const char *check)
{
    o->kind = kind;
    snprintf(o->check, sizeof o->check, "%s", check);
}

void fl_outcome_repro(char *buf, size_t len, const char *scenario, uint64_t seed,
                      int64_t duration_ms, const char *impl)
{
    int n = snprintf(buf, len, "faultline run %s --seed %" PRIu64, scenario, seed);
    if (n > 0 && (size_t)n < len && duration_ms >= 0)
        n += snprintf(buf + n, len - (size_t)n, " --duration %" PRId64, duration_ms);
    if (n > 0 && (size_t)n < len && impl)
        snprintf(buf + n, len - (size_t)n, " --impl %s", impl);
}

/* ---- One run in this process --------------------------------------------------- */

/* Liveness exactly as `faultline run` judges it. */
static void check_liveness(const fl_engine *e, const fl_scenario *s, fl_outcome *o)
{
    char detail[256];
    if (fl_liveness_min_ops(e, s, detail, sizeof detail) == FL_LIVE_FAILED) {
        set_fail(o, FL_OUT_CHECK, "liveness.min_ok_ops");
        snprintf(o->detail, sizeof o->detail, "liveness.min_ok_ops: %s", detail);
    } else if (fl_liveness_leader(e, s, detail, sizeof detail) == FL_LIVE_FAILED) {
        set_fail(o, FL_OUT_CHECK, "liveness.leader");
        snprintf(o->detail, sizeof o->detail, "liveness.leader: %s", detail);
    }
}

static void check_history(const fl_engine *e, const fl_scenario *s, double timeout,
                          fl_outcome *o)
{
    if (!s->expect.linearizable || s->workload.model == FL_MODEL_NONE ||
        s->workload.clients == 0)
        return;
    fl_lin_report rep;
    char summary[256];
    fl_lin_result r = fl_lin_check_engine_history(fl_engine_history(e), s->workload.model,
                                                  timeout, &rep, summary, sizeof summary);
    fl_lin_report_free(&rep);
    if (r == FL_LIN_VIOLATION || r == FL_LIN_ERROR) {
        set_fail(o, FL_OUT_CHECK, "linearizable");
        snprintf(o->detail, sizeof o->detail,
                 "linearizable: the client history is NOT linearizable %s", summary);
    } else if (r == FL_LIN_UNKNOWN) {
        set_fail(o, FL_OUT_UNKNOWN, "linearizable");
        snprintf(o->detail, sizeof o->detail,
                 "linearizable: unknown, the checker gave up after %.0f s %s",
                 timeout, summary);
    }
}

/* Runs once; fills hash and counters; with `judge`, the verdict too. */
static int run_once(const fl_scenario *s, const fl_algorithm *alg,
                    const fl_run_spec *spec, bool judge, fl_outcome *o,
                    uint64_t *hash)
{
    fl_error err = { { 0 } };
    fl_time duration = spec->duration > 0 ? spec->duration : s->duration;
    fl_engine *e = fl_engine_new(s, alg, spec->seed, duration, &err);
    if (!e) {
        set_fail(o, FL_OUT_ERROR, "error");
        snprintf(o->detail, sizeof o->detail, "cannot start the run: %s", err.msg);
        return -1;
    }
    fl_invcheck *ic = fl_invcheck_new(s->algorithm, e);
    if (!ic || (s->expect.invariants && fl_invcheck_attach(ic, e) < 0)) {
        set_fail(o, FL_OUT_ERROR, "error");
        snprintf(o->detail, sizeof o->detail, "out of memory");
        fl_invcheck_free(ic);
        fl_engine_free(e);
        return -1;
    }
    fl_engine_run(e);
    fl_engine_finish(e);
    if (s->expect.invariants)
        (void)fl_invcheck_finish(ic, e);
    *hash = fl_engine_trace_hash(e);
    if (judge) {
        const fl_engine_stats *st = fl_engine_stats_get(e);
        o->events = st->events;
        o->ops_ok = st->ops_ok;
        o->ops_fail = st->ops_fail;
        o->ops_info = st->ops_info;
        o->sim_end = fl_engine_now(e);
        const fl_violation *v = fl_invcheck_violation(ic);
        if (v) {
            set_fail(o, FL_OUT_CHECK, v->name);
            o->fail_at = v->time;
            if (v->node == FL_NO_NODE)
                snprintf(o->detail, sizeof o->detail, "%s violated at the end of the "
                         "run (%.3f ms): %s", v->name, (double)v->time / 1e6, v->msg);
            else
                snprintf(o->detail, sizeof o->detail, "%s violated at %.3f ms after "
                         "node %d stepped: %s", v->name, (double)v->time / 1e6, v->node,
                         v->msg);
        } else {
            check_history(e, s, spec->lin_timeout_s > 0 ? spec->lin_timeout_s : 10.0, o);
            if (o->kind == FL_OUT_PASS)
                check_liveness(e, s, o);
        }
    }
    fl_invcheck_free(ic);
    fl_engine_free(e);
    return 0;
}

void fl_outcome_run(const fl_scenario *s, const fl_algorithm *alg,
                    const fl_run_spec *spec, fl_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->magic = FL_OUTCOME_MAGIC;
    out->kind = FL_OUT_PASS;
    out->fail_at = -1;
    if (run_once(s, alg, spec, true, out, &out->hash) != 0 || !spec->twice)
        return;
    fl_outcome second;
    memset(&second, 0, sizeof second);
    if (run_once(s, alg, spec, false, &second, &out->hash2) != 0 ||
        out->hash2 == out->hash)
        return;
    char first[sizeof out->detail];
    snprintf(first, sizeof first, "%s", out->kind == FL_OUT_PASS ? "every check held"
                                                                : out->detail);
    set_fail(out, FL_OUT_NONDET, "nondeterministic");
    snprintf(out->detail, sizeof out->detail,
             "nondeterministic: the same seed ran twice in one process to trace hashes "
             "0x%016" PRIx64 " and 0x%016" PRIx64 " (global variables shared by nodes "
             "or kept between runs? the wall clock? uninitialised memory?); first run: %s",
             out->hash, out->hash2, first);
}

void fl_outcome_run_job(fl_scenario *s, const char *impl, const fl_run_spec *spec,
                        fl_outcome *out)
{
    fl_error err = { { 0 } };
    fl_plugin *plugin = NULL;
    const fl_algorithm *alg;
    memset(out, 0, sizeof *out);
    out->magic = FL_OUTCOME_MAGIC;
    out->fail_at = -1;
    if (impl) {
        plugin = fl_plugin_open(impl, &err);
        alg = plugin ? fl_plugin_algorithm(plugin) : NULL;
    } else {
        alg = fl_registry_find(s->algorithm);
        if (!alg)
            fl_error_set(&err, "%s: $.algorithm: no built-in algorithm \"%s\"", s->path,
                         s->algorithm);
    }
    if (!alg) {
        set_fail(out, FL_OUT_ERROR, "error");
        snprintf(out->detail, sizeof out->detail, "%s", err.msg);
        return;
    }
    if (fl_scenario_bind(s, alg, &err) < 0) {
        set_fail(out, FL_OUT_ERROR, "error");
        snprintf(out->detail, sizeof out->detail, "the scenario was rejected: %s", err.msg);
    } else {
        fl_outcome_run(s, alg, spec, out);
    }
    /* The plug-in stays loaded: this is a child about to exit, and
     * dlclose would run the plug-in's destructors for nothing. */
    (void)plugin;
}

/* ---- A child that did not finish normally ----------------------------------------- */

/* A sanitizer's report in the child's output: "SEGV", "heap-buffer-overflow"... */
static bool sanitizer_report(const char *tail, char *what, size_t len)
{
    const char *p = strstr(tail, "ERROR: AddressSanitizer: ");
    if (p) {
        p += strlen("ERROR: AddressSanitizer: ");
        size_t n = strcspn(p, " \n");
        snprintf(what, len, "AddressSanitizer: %.*s", (int)n, p);
        return true;
    }
    p = strstr(tail, "runtime error: ");
    if (p) {
        size_t n = strcspn(p, "\n");
        snprintf(what, len, "UndefinedBehaviorSanitizer: %.*s", (int)(n > 120 ? 120 : n), p);
        return true;
    }
    p = strstr(tail, "ERROR: LeakSanitizer");
    if (p) {
        snprintf(what, len, "LeakSanitizer: memory leaked");
        return true;
    }
    return false;
}

static void child_exit(const fl_child_result *r, fl_outcome *out)
{
    char what[192];
    if (sanitizer_report(r->tail, what, sizeof what)) {
        const char *sig = strstr(what, "SEGV") ? "SIGSEGV"
                        : strstr(what, "stack-overflow") ? "SIGSEGV"
                        : strstr(what, "BUS") ? "SIGBUS"
                        : strstr(what, "FPE") ? "SIGFPE" : NULL;
        out->kind = FL_OUT_CRASH;
        snprintf(out->check, sizeof out->check, "crash.%s", sig ? sig : "sanitizer");
        snprintf(out->detail, sizeof out->detail, "crashed%s%s (reported by %s)",
                 sig ? ": " : "", sig ? sig : "", what);
        return;
    }
    set_fail(out, FL_OUT_EXIT, "exit");
    snprintf(out->detail, sizeof out->detail,
             "the process exited with status %d in the middle of the run "
             "(exit() or abort-like code in the implementation?)", r->status);
}

void fl_outcome_from_child(const fl_child_result *r, const fl_outcome *payload,
                           const fl_child_limits *lim, fl_outcome *out)
{
    if (r->end == FL_CHILD_DONE && payload && payload->magic == FL_OUTCOME_MAGIC) {
        *out = *payload;
        out->detail[sizeof out->detail - 1] = '\0';
        out->check[sizeof out->check - 1] = '\0';
    } else {
        memset(out, 0, sizeof *out);
        out->magic = FL_OUTCOME_MAGIC;
        out->fail_at = -1;
        switch (r->end) {
        case FL_CHILD_DONE:
        case FL_CHILD_EXIT:
            child_exit(r, out);
            break;
        case FL_CHILD_SIGNAL:
            out->kind = FL_OUT_CRASH;
            snprintf(out->check, sizeof out->check, "crash.%s",
                     fl_child_signal_name(r->signal));
            snprintf(out->detail, sizeof out->detail, "crashed: %s (signal %d)",
                     fl_child_signal_name(r->signal), r->signal);
            break;
        case FL_CHILD_CPU:
            set_fail(out, FL_OUT_CPU, "limit.cpu");
            snprintf(out->detail, sizeof out->detail,
                     "CPU time limit of %.0f s exceeded (an endless loop?)", lim->cpu_s);
            break;
        case FL_CHILD_WALL:
            set_fail(out, FL_OUT_WALL, "limit.wall");
            snprintf(out->detail, sizeof out->detail,
                     "wall-clock limit of %.0f s exceeded (blocked or sleeping?)",
                     lim->wall_s);
            break;
        case FL_CHILD_MEMORY:
            set_fail(out, FL_OUT_MEMORY, "limit.memory");
            snprintf(out->detail, sizeof out->detail,
                     "memory limit of %.0f MiB exceeded (resident size reached %.0f MiB)",
                     (double)lim->mem_bytes / 1048576.0, (double)r->peak_rss / 1048576.0);
            break;
        }
    }
    out->wall_s = r->wall_s;
    out->cpu_s = r->cpu_s;
    out->peak_rss = r->peak_rss;
}

/* ---- Checking a plug-in before a batch ---------------------------------------------- */

typedef struct check_ctx {
    const char            *impl;
    fl_scenario           *s;
    const fl_child_limits *lim;
    char                  *msg;
    size_t                 len;
} check_ctx;

static void check_work(void *arg, size_t i, void *payload)
{
    check_ctx *c = arg;
    fl_outcome *out = payload;
    fl_error err = { { 0 } };
    (void)i;
    memset(out, 0, sizeof *out);
    out->magic = FL_OUTCOME_MAGIC;
    fl_plugin *p = fl_plugin_open(c->impl, &err);
    if (p && c->s && fl_scenario_bind(c->s, fl_plugin_algorithm(p), &err) < 0)
        fl_error_prefix(&err, "the scenario was rejected");
    else if (p)
        return;
    set_fail(out, FL_OUT_ERROR, "error");
    snprintf(out->detail, sizeof out->detail, "%s", err.msg);
}

static bool check_done(void *arg, size_t i, const fl_child_result *r, const void *payload)
{
    check_ctx *c = arg;
    fl_outcome o;
    (void)i;
    fl_outcome_from_child(r, payload, c->lim, &o);
    if (fl_outcome_failed(&o))
        snprintf(c->msg, c->len, "%s", o.detail);
    return true;
}

fl_child_status fl_outcome_check_impl(const char *impl, fl_scenario *s,
                                      const fl_child_limits *lim, char *msg, size_t len)
{
    check_ctx c = { impl, s, lim, msg, len };
    msg[0] = '\0';
    fl_child_pool pool = {
        .nitems = 1, .jobs = 1, .limits = *lim, .payload_size = sizeof(fl_outcome),
        .work = check_work, .done = check_done, .ctx = &c,
    };
    return fl_child_run(&pool);
}
