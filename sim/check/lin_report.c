/* lin_report.c — what the linearizability checker says (lin.h): result
 * names, the one-line summary, and a violation's report — the longest
 * linearizable prefix, the ops open after it and the failing window. */
#include "sim/check/lin_impl.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *fl_lin_result_name(fl_lin_result r)
{
    switch (r) {
    case FL_LIN_OK:        return "yes";
    case FL_LIN_VIOLATION: return "NO";
    case FL_LIN_ERROR:     return "error";
    case FL_LIN_UNKNOWN:   return "unknown";
    case FL_LIN_UNAVAILABLE: return "unavailable";
    }
    return "?";
}

void fl_lin_report_init(fl_lin_report *r)
{
    memset(r, 0, sizeof *r);
}

void fl_lin_report_free(fl_lin_report *r)
{
    free(r->prefix);
    free(r->pending);
    free(r->part);
    fl_lin_report_init(r);
}

/* A readable state; for a composite state, {key: state, ...} over the
 * partitions not in their initial state. */
void fl_lin_describe_state(const lin_search *s, uint32_t id, char *buf,
                           size_t len)
{
    if (!s->product) {
        s->m->describe(state_get(&s->st, id), buf, len);
        return;
    }
    size_t at = (size_t)snprintf(buf, len, "{");
    for (uint32_t p = 0; p < s->nparts && at < len; p++) {
        uint32_t sub = sub_id(s, id, p);
        if (sub == 0)
            continue;                    /* id 0: the initial state */
        char k[64], v[128];
        fl_lin_key_text(s->pkey[p], k, sizeof k);
        s->m->describe(state_get(&s->sub, sub), v, sizeof v);
        at += (size_t)snprintf(buf + at, len - at, "%s%s: %s",
                               at > 1 ? ", " : "", k, v);
    }
    if (at < len)
        snprintf(buf + at, len - at, "}");
    else if (len > 4)
        memcpy(buf + len - 4, "...", 4);
}

static void report_line(const lin_search *s, uint32_t o,
                        fl_lin_report_line *l)
{
    l->op = s->gi[o];
    fl_lin_op_format(op_of(s, o), l->text, sizeof l->text);
    l->note[0] = '\0';
}

/* The ops open after the longest prefix, and the first ok op whose return
 * comes before it could be linearized. */
static int report_pending(lin_search *s, fl_lin_report *r, uint32_t state)
{
    uint8_t *done = calloc(s->n + 1, 1);
    r->pending = calloc(s->n + 1, sizeof *r->pending);
    if (!done || !r->pending) {
        free(done);
        return -1;
    }
    for (uint32_t i = 0; i < s->best_len; i++)
        done[s->best_op[i]] = 1;
    int64_t from = INT64_MAX;
    for (uint32_t e = 0; e < s->ne; e++) {
        uint32_t o = s->e_op[e];
        if (done[o])
            continue;
        const fl_lin_op *op = op_of(s, o);
        if (!s->e_call[e]) {
            r->stuck = s->gi[o];
            r->window_to = op->ret_time;
            break;
        }
        fl_lin_report_line *l = &r->pending[r->npending++];
        report_line(s, o, l);
        int64_t next = fl_lin_step(s, state, o);
        l->fits = next >= 0;
        if (next >= 0) {
            char st[120];
            fl_lin_describe_state(s, (uint32_t)next, st, sizeof st);
            snprintf(l->note, sizeof l->note,
                     "fits (state -> %s), but nothing works after it", st);
        } else {
            snprintf(l->note, sizeof l->note, "not possible in this state");
        }
        if (op->status == FL_LIN_STATUS_OK && op->call_time < from)
            from = op->call_time;
    }
    r->window_from = from == INT64_MAX ? r->window_to : from;
    free(done);
    return 0;
}

int fl_lin_report_violation(lin_search *s, fl_lin_report *r, uint32_t init)
{
    r->part_ops = s->n;
    r->prefix_len = s->best_len;
    r->prefix = malloc((s->best_len + 1) * sizeof *r->prefix);
    r->part = malloc((s->n + 1) * sizeof *r->part);
    if (!r->prefix || !r->part)
        return -1;
    memcpy(r->part, s->gi, s->n * sizeof *r->part);
    for (uint32_t i = 0; i < s->best_len; i++)
        r->prefix[i] = s->gi[s->best_op[i]];
    uint32_t state = s->best_len ? s->best_state[s->best_len - 1] : init;
    fl_lin_describe_state(s, init, r->init_state, sizeof r->init_state);
    fl_lin_describe_state(s, state, r->state, sizeof r->state);
    uint32_t first = s->best_len > FL_LIN_TAIL ? s->best_len - FL_LIN_TAIL : 0;
    for (uint32_t i = first; i < s->best_len; i++) {
        fl_lin_report_line *l = &r->tail[r->ntail++];
        report_line(s, s->best_op[i], l);
        l->fits = true;
        fl_lin_describe_state(s, s->best_state[i], l->note, sizeof l->note);
    }
    return report_pending(s, r, state);
}

void fl_lin_key_text(const fl_lin_val *key, char *buf, size_t len)
{
    if (!key || key->type == FL_LV_NONE)
        buf[0] = '\0';
    else
        fl_lin_val_format(key, buf, len);
}

void fl_lin_report_print(const fl_lin_report *r, FILE *out)
{
    if (r->result == FL_LIN_ERROR) {
        fprintf(out, "%s\n", r->err.msg);
        return;
    }
    if (r->result == FL_LIN_UNKNOWN) {
        fprintf(out, "undecided: %zu of %zu partitions%s%s\n",
                r->partitions_unknown, r->partitions,
                r->undecided[0] ? ", the first being key " : "",
                r->undecided);
        return;
    }
    if (r->result != FL_LIN_VIOLATION)
        return;
    if (r->anomaly[0])
        fprintf(out, "anomaly: %s\n", r->anomaly);
    if (r->key[0])
        fprintf(out, "partition: key %s (%zu ops)\n", r->key, r->part_ops);
    else
        fprintf(out, "partition: the whole history (%zu ops)\n", r->part_ops);
    fprintf(out, "longest linearizable prefix: %zu of %zu ops, from state "
            "%s\n", r->prefix_len, r->part_ops, r->init_state);
    if (r->prefix_len > r->ntail)
        fprintf(out, "  ... %zu earlier ops\n", r->prefix_len - r->ntail);
    for (size_t i = 0; i < r->ntail; i++)
        fprintf(out, "  %-60s => %s\n", r->tail[i].text, r->tail[i].note);
    fprintf(out, "state after the prefix: %s\n", r->state);
    fprintf(out, "open at that point (the op marked ! must take effect "
            "before it returns):\n");
    for (size_t i = 0; i < r->npending; i++) {
        const fl_lin_report_line *l = &r->pending[i];
        fprintf(out, "  %c %-58s %s\n", l->op == r->stuck ? '!' : ' ',
                l->text, l->note);
    }
    fprintf(out, "failing window: %s %" PRId64 " .. %" PRId64 "\n",
            r->time_is_ns ? "time (ns)" : "lines", r->window_from,
            r->window_to);
}


static void set_summary(fl_lin_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_summary(fl_lin_report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->summary, sizeof r->summary, fmt, ap);
    va_end(ap);
}

/* The line of the op that could not take effect. */
static const fl_lin_report_line *stuck_line(const fl_lin_report *r)
{
    for (size_t i = 0; i < r->npending; i++)
        if (r->pending[i].op == r->stuck)
            return &r->pending[i];
    return r->npending ? &r->pending[0] : NULL;
}

char *fl_lin_format_bytes(size_t bytes, char *buf, size_t len)
{
    double b = (double)bytes;
    if (bytes >= (size_t)1 << 30)
        snprintf(buf, len, "%.1f GiB", b / (double)(1u << 30));
    else if (bytes >= (size_t)1 << 20)
        snprintf(buf, len, "%.0f MiB", b / (double)(1u << 20));
    else if (bytes >= (size_t)1 << 10)
        snprintf(buf, len, "%.0f KiB", b / (double)(1u << 10));
    else
        snprintf(buf, len, "%zu bytes", bytes);
    return buf;
}

/* The one-line summary of a finished check. */
void fl_lin_summarize(fl_lin_report *r, double timeout_s)
{
    const fl_lin_report_line *l;
    char lim[32];
    switch (r->result) {
    case FL_LIN_OK:
        set_summary(r, "linearizable (model %s: %zu ops, %zu partition%s)",
                    r->model, r->ops, r->partitions,
                    r->partitions == 1 ? "" : "s");
        break;
    case FL_LIN_VIOLATION:
        l = stuck_line(r);
        set_summary(r, "not linearizable (model %s%s%s): %s cannot take "
                    "effect in state %s", r->model, r->key[0] ? ", key " : "",
                    r->key, l ? l->text : "an op", r->state);
        break;
    case FL_LIN_UNKNOWN:
        fl_lin_format_bytes(r->max_memory, lim, sizeof lim);
        if (r->partitions_memory == r->partitions_unknown)
            set_summary(r, "unknown: the search reached its memory limit of "
                        "%s (%zu of %zu partitions undecided)", lim,
                        r->partitions_unknown, r->partitions);
        else if (r->partitions_memory)
            set_summary(r, "unknown: the check timed out after %g s or "
                        "reached its memory limit of %s (%zu of %zu "
                        "partitions undecided)", timeout_s, lim,
                        r->partitions_unknown, r->partitions);
        else
            set_summary(r, "unknown: the check timed out after %g s (%zu of "
                        "%zu partitions undecided)", timeout_s,
                        r->partitions_unknown, r->partitions);
        if (r->undecided[0]) {
            size_t at = strlen(r->summary);
            snprintf(r->summary + at, sizeof r->summary - at,
                     "; first undecided: key %s", r->undecided);
        }
        break;
    case FL_LIN_ERROR:
        set_summary(r, "%s", r->err.msg);
        break;
    case FL_LIN_UNAVAILABLE:
        set_summary(r, "not checked: no linearizability model");
        break;
    }
}

