/* run.c — one run and its verdict (see run.h). */
#include "sim/run/run.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/run/lincheck.h"
#include "sim/run/liveness.h"

/* The length a summary line (linearizability, liveness) is cut to, as
 * every report has printed it. */
#define FL_RUN_LINE 256

struct fl_run {
    const fl_scenario  *s;
    fl_run_opts         o;
    fl_engine          *e;
    fl_invcheck        *ic;
    fl_lin_stream      *stream;     /* checks and forgets a long history */
    bool                finished, judged, has_rep, lin_done;
    int                 judge_rc;
    double              lin_timeout_s;
    fl_lin_result       lin;
    char                lin_summary[2 * FL_RUN_LINE];   /* + the anomaly */
    fl_lin_report       rep;
    fl_verdict          v;
};

/* ---- Making and stepping ------------------------------------------------------- */

static int stream_hook(void *arg, fl_engine *e, fl_node_id node,
                       const fl_view *before, const fl_view *after)
{
    (void)node;
    (void)before;
    (void)after;
    fl_run *r = arg;
    fl_lin_stream_step(r->stream, fl_engine_history_mut(e));
    return 0;
}

fl_run *fl_run_new(const fl_scenario *s, const fl_algorithm *alg,
                   const fl_run_opts *o, fl_error *err)
{
    fl_run *r = calloc(1, sizeof *r);
    if (!r) {
        fl_error_set(err, "out of memory");
        return NULL;
    }
    r->s = s;
    r->o = *o;
    r->lin_timeout_s = o->lin_timeout_s > 0 ? o->lin_timeout_s : 10.0;
    uint64_t seed = o->has_seed ? o->seed : s->has_seed ? s->seed : 1;
    fl_time duration = o->duration > 0 ? o->duration : s->duration;
    r->e = fl_engine_new(s, alg, seed, duration, err);
    if (!r->e)
        goto fail;
    /* Invariants belong to the family the scenario names, so a plug-in
     * is held to the same checks as the built-in implementation. */
    r->ic = fl_invcheck_new(s->algorithm, r->e);
    if (!r->ic || (s->expect.invariants && fl_invcheck_attach(r->ic, r->e) < 0)) {
        fl_error_set(err, "out of memory");
        goto fail;
    }
    /* after the invariants' hook, which reads the history first */
    if (s->workload.clients > 0) {
        r->stream = fl_lin_stream_new(s->workload.model, s->expect.linearizable);
        if (!r->stream || fl_engine_add_hook(r->e, stream_hook, r) < 0) {
            fl_error_set(err, "out of memory");
            goto fail;
        }
    }
    if (o->recent)
        fl_engine_keep_recent(r->e);
    if (o->trace && fl_engine_trace_to(r->e, o->trace, o->trace_format) < 0) {
        fl_error_set(err, "cannot write the trace");
        goto fail;
    }
    return r;
fail:
    fl_run_free(r);
    return NULL;
}

void fl_run_free(fl_run *r)
{
    if (!r)
        return;
    if (r->has_rep)
        fl_lin_report_free(&r->rep);
    fl_invcheck_free(r->ic);
    fl_engine_free(r->e);
    fl_lin_stream_free(r->stream);
    free(r);
}

int fl_run_add_hook(fl_run *r, fl_step_hook hook, void *arg)
{
    return fl_engine_add_hook(r->e, hook, arg);
}

int fl_run_step(fl_run *r)
{
    return fl_engine_step(r->e);
}

int fl_run_to_end(fl_run *r)
{
    return fl_engine_run(r->e);
}

void fl_run_finish(fl_run *r)
{
    if (r->finished)
        return;
    r->finished = true;
    fl_engine_finish(r->e);
    if (r->s->expect.invariants)
        (void)fl_invcheck_finish(r->ic, r->e);
}

const fl_engine *fl_run_engine(const fl_run *r) { return r->e; }
fl_engine *fl_run_engine_manual(fl_run *r) { return r->e; }
const fl_scenario *fl_run_scenario(const fl_run *r) { return r->s; }
const fl_violation *fl_run_violation(const fl_run *r) { return fl_invcheck_violation(r->ic); }
size_t fl_run_invariant_count(const fl_run *r) { return fl_invcheck_count(r->ic); }
const fl_verdict *fl_run_verdict(const fl_run *r) { return r->judged ? &r->v : NULL; }

const fl_lin_report *fl_run_lin_report(const fl_run *r)
{
    return r->has_rep ? &r->rep : NULL;
}

const char *fl_run_lin_summary(const fl_run *r)
{
    return r->lin_done ? r->lin_summary : "";
}

/* ---- Judging --------------------------------------------------------------------- */

static void set_check(fl_check *c, const char *name, fl_check_state state)
{
    snprintf(c->name, sizeof c->name, "%s", name);
    c->state = state;
    c->at = -1;
    c->node = FL_NO_NODE;
    c->detail[0] = '\0';
}

static void judge_invariants(fl_run *r, fl_verdict *v)
{
    fl_check *c = &v->checks[FL_RUN_INVARIANTS];
    const fl_violation *viol = fl_invcheck_violation(r->ic);
    v->invariants = fl_invcheck_count(r->ic);
    set_check(c, viol ? viol->name : "invariants",
              !r->s->expect.invariants ? FL_CHECK_SKIPPED
              : viol ? FL_CHECK_FAILED : FL_CHECK_HELD);
    if (viol) {
        c->at = viol->time;
        c->node = viol->node;
        snprintf(c->detail, sizeof c->detail, "%s", viol->msg);
    }
}

fl_lin_result fl_run_check_history(fl_run *r)
{
    const fl_scenario *s = r->s;
    fl_run_finish(r);
    if (r->lin_done)
        return r->lin;
    r->lin_done = true;
    r->lin = FL_LIN_UNAVAILABLE;
    if (!s->expect.linearizable || s->workload.model == FL_MODEL_NONE ||
        s->workload.clients == 0)
        return r->lin;
    r->lin = fl_lin_check_engine_stream(r->stream, fl_engine_history_mut(r->e),
                                        s->workload.model, r->lin_timeout_s, &r->rep,
                                        r->lin_summary, sizeof r->lin_summary);
    r->has_rep = true;
    return r->lin;
}

static void judge_history(fl_run *r, fl_verdict *v)
{
    fl_check *c = &v->checks[FL_RUN_LINEARIZABLE];
    set_check(c, "linearizable", FL_CHECK_SKIPPED);
    v->lin = fl_run_check_history(r);
    snprintf(c->detail, sizeof c->detail, "%s", r->lin_done ? r->lin_summary : "");
    c->state = v->lin == FL_LIN_OK ? FL_CHECK_HELD
             : v->lin == FL_LIN_UNKNOWN ? FL_CHECK_UNKNOWN
             : v->lin == FL_LIN_VIOLATION || v->lin == FL_LIN_ERROR ? FL_CHECK_FAILED
             : FL_CHECK_SKIPPED;
}

static fl_check_state from_live(fl_live l)
{
    return l == FL_LIVE_HELD ? FL_CHECK_HELD : l == FL_LIVE_FAILED ? FL_CHECK_FAILED
                                                                   : FL_CHECK_SKIPPED;
}

static void judge_liveness(fl_run *r, fl_verdict *v)
{
    fl_check *ops = &v->checks[FL_RUN_MIN_OPS], *lead = &v->checks[FL_RUN_LEADER];
    set_check(ops, "liveness.min_ok_ops", FL_CHECK_SKIPPED);
    set_check(lead, "liveness.leader", FL_CHECK_SKIPPED);
    ops->state = from_live(fl_liveness_min_ops(r->e, r->s, ops->detail, FL_RUN_LINE));
    lead->state = from_live(fl_liveness_leader(r->e, r->s, lead->detail, FL_RUN_LINE));
}

static int verdict_status(const fl_verdict *v)
{
    bool unknown = false;
    for (int i = 0; i < FL_RUN_CHECKS; i++) {
        if (v->checks[i].state == FL_CHECK_FAILED)
            return FL_RUN_FAILED;
        unknown |= v->checks[i].state == FL_CHECK_UNKNOWN;
    }
    return unknown ? FL_RUN_UNKNOWN : FL_RUN_HELD;
}

static void judge_expectation(const fl_scenario *s, fl_verdict *v)
{
    const char *want = s->expect.violation;
    v->expect = !want[0] ? FL_EXPECT_NONE
              : fl_verdict_failed(v, want) ? FL_EXPECT_CAUGHT
              : v->status == FL_RUN_FAILED ? FL_EXPECT_OTHER : FL_EXPECT_MISSED;
    if (v->expect == FL_EXPECT_MISSED && v->status == FL_RUN_HELD)
        v->status = FL_RUN_MISSED;
}

static const char *scenario_path(const fl_run *r)
{
    return r->o.path ? r->o.path : r->s->path;
}

/* The seed in the form it was written: --seed's, or the scenario's "seed"
 * (a "0x..." string is hex; a number, or no seed at all, decimal). */
static bool seed_in_hex(const fl_run *r)
{
    if (r->o.has_seed)
        return r->o.seed_hex;
    const cJSON *j = r->s->json ? cJSON_GetObjectItemCaseSensitive(r->s->json, "seed") : NULL;
    return cJSON_IsString(j) && (strncmp(j->valuestring, "0x", 2) == 0 ||
                                 strncmp(j->valuestring, "0X", 2) == 0);
}

static void fill_verdict(fl_run *r, fl_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->lin_timeout_s = r->lin_timeout_s;
    judge_invariants(r, v);
    if (v->checks[FL_RUN_INVARIANTS].state == FL_CHECK_FAILED) {
        set_check(&v->checks[FL_RUN_LINEARIZABLE], "linearizable", FL_CHECK_SKIPPED);
        set_check(&v->checks[FL_RUN_MIN_OPS], "liveness.min_ok_ops", FL_CHECK_SKIPPED);
        set_check(&v->checks[FL_RUN_LEADER], "liveness.leader", FL_CHECK_SKIPPED);
        v->lin = FL_LIN_UNAVAILABLE;
    } else {
        judge_history(r, v);
        judge_liveness(r, v);
    }
    v->status = verdict_status(v);
    judge_expectation(r->s, v);
    v->seed = fl_engine_seed(r->e);
    v->hash = fl_engine_trace_hash(r->e);
    v->end = fl_engine_now(r->e);
    v->stats = *fl_engine_stats_get(r->e);
    fl_run_repro(v->repro, sizeof v->repro, scenario_path(r), v->seed, seed_in_hex(r),
                 r->o.duration > 0 ? (int64_t)(r->o.duration / 1000000) : -1, r->o.impl);
}

/* ---- Outputs ----------------------------------------------------------------------- */

static int write_metrics(FILE *fp, const fl_run *r)
{
    const fl_verdict *v = &r->v;
    const fl_engine_stats *st = &v->stats;
    fprintf(fp, "scenario,algorithm,seed,nodes,sim_ms,events,sent,delivered,dropped,"
                "duplicated,faults_applied,faults_skipped,crashes,restarts,ops_ok,"
                "ops_fail,ops_info,syncs,invariants,linearizable,trace_hash\n");
    fprintf(fp, "%s,%s,0x%016" PRIx64 ",%zu,%.3f,%" PRIu64 ",%" PRIu64 ",%" PRIu64
                ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
                ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%s,%s,0x%016" PRIx64 "\n",
            r->s->name, fl_engine_algorithm(r->e)->name, v->seed,
            fl_engine_node_count(r->e), (double)v->end / 1e6, st->events,
            st->sent, st->delivered, st->dropped, st->duplicated, st->faults_applied,
            st->faults_skipped, st->crashes, st->restarts, st->ops_ok, st->ops_fail,
            st->ops_info, st->syncs,
            fl_check_state_name(v->checks[FL_RUN_INVARIANTS].state),
            fl_check_state_name(v->checks[FL_RUN_LINEARIZABLE].state), v->hash);
    return ferror(fp) ? -1 : 0;
}

static int write_outputs(fl_run *r)
{
    int bad = 0;
    const fl_history *h = fl_engine_history(r->e);
    if (r->o.history)
        bad |= fl_history_write_jsonl(h, r->o.history) != 0;
    if (r->o.history_edn)
        bad |= fl_history_write_edn(h, r->o.history_edn) != 0;
    if (r->o.metrics)
        bad |= write_metrics(r->o.metrics, r) != 0;
    bad |= fl_engine_trace_close(r->e) != 0;
    return bad ? -1 : 0;
}

int fl_run_judge(fl_run *r)
{
    if (r->judged)
        return r->judge_rc;
    fl_run_finish(r);
    fill_verdict(r, &r->v);
    r->judged = true;
    r->judge_rc = write_outputs(r);
    return r->judge_rc;
}

/* ---- Reading a verdict ---------------------------------------------------------------- */

const char *fl_check_state_name(fl_check_state s)
{
    switch (s) {
    case FL_CHECK_HELD: return "held";
    case FL_CHECK_FAILED: return "FAILED";
    case FL_CHECK_UNKNOWN: return "unknown";
    case FL_CHECK_SKIPPED: return "not checked";
    }
    return "?";
}

bool fl_verdict_failed(const fl_verdict *v, const char *name)
{
    for (int i = 0; i < FL_RUN_CHECKS; i++)
        if (v->checks[i].state == FL_CHECK_FAILED && strcmp(v->checks[i].name, name) == 0)
            return true;
    return false;
}

fl_check_state fl_verdict_first_failure(const fl_verdict *v, char *check, size_t clen,
                                        char *detail, size_t dlen)
{
    const fl_check *inv = &v->checks[FL_RUN_INVARIANTS];
    const fl_check *lin = &v->checks[FL_RUN_LINEARIZABLE];
    check[0] = detail[0] = '\0';
    if (inv->state == FL_CHECK_FAILED) {
        snprintf(check, clen, "%s", inv->name);
        if (inv->node == FL_NO_NODE)
            snprintf(detail, dlen, "%s violated at the end of the run (%.3f ms): %s",
                     inv->name, (double)inv->at / 1e6, inv->detail);
        else
            snprintf(detail, dlen, "%s violated at %.3f ms after node %d stepped: %s",
                     inv->name, (double)inv->at / 1e6, inv->node, inv->detail);
        return FL_CHECK_FAILED;
    }
    if (lin->state == FL_CHECK_FAILED || lin->state == FL_CHECK_UNKNOWN) {
        snprintf(check, clen, "linearizable");
        if (lin->state == FL_CHECK_FAILED)
            snprintf(detail, dlen, "linearizable: the client history is NOT linearizable %s",
                     lin->detail);
        else
            snprintf(detail, dlen, "linearizable: unknown, the checker gave up after %.0f s %s",
                     v->lin_timeout_s, lin->detail);
        return lin->state;
    }
    for (int i = FL_RUN_MIN_OPS; i <= FL_RUN_LEADER; i++) {
        const fl_check *c = &v->checks[i];
        if (c->state == FL_CHECK_FAILED) {
            snprintf(check, clen, "%s", c->name);
            snprintf(detail, dlen, "%s: %s", c->name, c->detail);
            return FL_CHECK_FAILED;
        }
    }
    return FL_CHECK_HELD;
}

void fl_run_repro(char *buf, size_t len, const char *scenario, uint64_t seed, bool hex,
                  int64_t duration_ms, const char *impl)
{
    int n = hex ? snprintf(buf, len, "faultline run %s --seed 0x%016" PRIx64, scenario, seed)
                : snprintf(buf, len, "faultline run %s --seed %" PRIu64, scenario, seed);
    if (n > 0 && (size_t)n < len && duration_ms >= 0)
        n += snprintf(buf + n, len - (size_t)n, " --duration %" PRId64, duration_ms);
    if (n > 0 && (size_t)n < len && impl)
        snprintf(buf + n, len - (size_t)n, " --impl %s", impl);
}
