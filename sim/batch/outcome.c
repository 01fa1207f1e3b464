/* outcome.c — run a scenario once (or twice) through the run object
 * (run.h) and sum its verdict up as an fl_outcome; turn a child process's
 * ending into one. */
#include "sim/batch/outcome.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim/run/registry.h"
#include "sim/run/run.h"

static const char *const kind_names[FL_OUT_KIND_COUNT] = {
    "pass", "fail", "unknown", "nondeterministic", "crash", "exit",
    "cpu-limit", "wall-limit", "memory-limit", "error", "forbidden",
    "skipped", "missed",
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

/* ---- One run in this process --------------------------------------------------- */

/* The verdict as an outcome: its first failure, if any, and the counters. */
static void from_verdict(const fl_verdict *v, const char *want, fl_outcome *o)
{
    char check[sizeof o->check];
    fl_check_state st = fl_verdict_first_failure(v, check, sizeof check, o->detail,
                                                 sizeof o->detail);
    if (st != FL_CHECK_HELD)
        set_fail(o, st == FL_CHECK_UNKNOWN ? FL_OUT_UNKNOWN : FL_OUT_CHECK, check);
    if (st == FL_CHECK_HELD && v->status == FL_RUN_MISSED) {
        set_fail(o, FL_OUT_MISSED, want);
        snprintf(o->detail, sizeof o->detail, "expected violation %s NOT caught: every "
                 "check held (an implementation without the bug, or a seed that does "
                 "not trigger it)", want);
    }
    if (v->checks[FL_RUN_INVARIANTS].state == FL_CHECK_FAILED)
        o->fail_at = v->checks[FL_RUN_INVARIANTS].at;
    size_t at = 0;
    for (int i = 0; i < FL_RUN_CHECKS; i++)
        if (v->checks[i].state == FL_CHECK_FAILED && at < sizeof o->failed) {
            int k = snprintf(o->failed + at, sizeof o->failed - at, "%s%s", at ? " " : "",
                             v->checks[i].name);
            at += k > 0 ? (size_t)k : 0;
        }
    o->events = v->stats.events;
    o->ops_ok = v->stats.ops_ok;
    o->ops_fail = v->stats.ops_fail;
    o->ops_info = v->stats.ops_info;
    o->sim_end = v->end;
}

/* Runs once; fills hash and, with `judge`, the verdict and counters. */
static int run_once(const fl_scenario *s, const fl_algorithm *alg,
                    const fl_run_spec *spec, bool judge, fl_outcome *o,
                    uint64_t *hash)
{
    fl_error err = { { 0 } };
    fl_run_opts ro = { .seed = spec->seed, .has_seed = true, .duration = spec->duration,
                       .lin_timeout_s = spec->lin_timeout_s };
    fl_run *r = fl_run_new(s, alg, &ro, &err);
    if (!r) {
        set_fail(o, FL_OUT_ERROR, "error");
        snprintf(o->detail, sizeof o->detail, "cannot start the run: %s", err.msg);
        return -1;
    }
    fl_run_to_end(r);
    const char *broke_check, *broke = fl_engine_failure(fl_run_engine(r), &broke_check);
    if (judge && broke) {     /* init failed, a message too large, ... */
        bool init = strcmp(broke_check, "init") == 0;
        set_fail(o, init ? FL_OUT_ERROR : FL_OUT_FORBIDDEN, init ? "error" : broke_check);
        snprintf(o->detail, sizeof o->detail, "%s", broke);
        judge = false;
    }
    if (judge) {
        (void)fl_run_judge(r);
        from_verdict(fl_run_verdict(r), s->expect.violation, o);
    } else {
        fl_run_finish(r);
    }
    *hash = fl_engine_trace_hash(fl_run_engine(r));
    fl_run_free(r);
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

const fl_algorithm *fl_outcome_bind_job(fl_scenario *s, const char *impl, fl_outcome *out)
{
    fl_error err = { { 0 } };
    const fl_algorithm *alg;
    memset(out, 0, sizeof *out);
    out->magic = FL_OUTCOME_MAGIC;
    out->fail_at = -1;
    /* A plug-in stays loaded: this is a child about to exit, and dlclose
     * would run the plug-in's destructors for nothing. */
    if (impl) {
        fl_plugin *plugin = fl_plugin_open(impl, &err);
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
        return NULL;
    }
    if (fl_scenario_bind(s, alg, &err) < 0) {
        set_fail(out, FL_OUT_ERROR, "error");
        snprintf(out->detail, sizeof out->detail, "the scenario was rejected: %s", err.msg);
        return NULL;
    }
    return alg;
}

void fl_outcome_run_job(fl_scenario *s, const char *impl, const fl_run_spec *spec,
                        fl_outcome *out)
{
    const fl_algorithm *alg = fl_outcome_bind_job(s, impl, out);
    if (alg)
        fl_outcome_run(s, alg, spec, out);
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
        case FL_CHILD_OUTPUT:
            set_fail(out, FL_OUT_FORBIDDEN, "limit.output");
            snprintf(out->detail, sizeof out->detail,
                     "wrote more than %.0f MiB to stdout/stderr (printing in a hot "
                     "path?); stopped", (double)FL_CHILD_OUTPUT_CAP / 1048576.0);
            break;
        case FL_CHILD_MEMORY:
            set_fail(out, FL_OUT_MEMORY, "limit.memory");
            snprintf(out->detail, sizeof out->detail,
                     "memory limit of %.0f MiB exceeded (resident size reached %.0f MiB)",
                     (double)lim->mem_bytes / 1048576.0, (double)r->peak_rss / 1048576.0);
            break;
        }
    }
    if (r->forked && out->kind != FL_OUT_ERROR) {
        set_fail(out, FL_OUT_FORBIDDEN, "forbidden.fork");
        snprintf(out->detail, sizeof out->detail,
                 "the implementation started a process (fork()): a run may not "
                 "create processes; they were killed");
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
