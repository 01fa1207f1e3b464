/* trace_link.c — the failing window's ops, and the trace that holds
 * their invokes (trace_link.h). */
#include "sim/check/trace_link.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t fl_trace_link_window(const fl_lin_report *r, size_t *out)
{
    if (!r || r->result != FL_LIN_VIOLATION)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < r->npending; i++)
        out[n++] = r->pending[i].op;
    bool seen = false;
    for (size_t i = 0; i < n; i++)
        seen |= out[i] == r->stuck;
    if (!seen)
        out[n++] = r->stuck;
    return n;
}

typedef struct invoke_at {
    int64_t t;
    int     node;          /* the client's node, -1 if unsaid */
} invoke_at;

/* An invoke line ({"t":N,"ev":"invoke","node":C,...}): its time and
 * client; false for any other line. */
static bool parse_invoke(const char *line, invoke_at *out)
{
    if (!strstr(line, "\"ev\":\"invoke\"") || strncmp(line, "{\"t\":", 5) != 0)
        return false;
    char *end;
    errno = 0;
    long long t = strtoll(line + 5, &end, 10);
    if (errno || end == line + 5 || t < 0)
        return false;
    out->t = (int64_t)t;
    out->node = -1;
    const char *n = strstr(line, "\"node\":");
    if (n) {
        long v = strtol(n + 7, &end, 10);
        if (end != n + 7 && v >= 0 && v < 1000000)
            out->node = (int)v;
    }
    return true;
}

/* Every invoke time of the trace, in file order (non-decreasing). */
static int read_invokes(const char *trace, invoke_at **times, size_t *n, fl_error *err)
{
    FILE *f = fopen(trace, "r");
    if (!f)
        return fl_error_set(err, "%s: %s", trace, strerror(errno));
    char *line = NULL;
    size_t cap = 0, tcap = 0, lineno = 0;
    int rc = 0;
    *times = NULL;
    *n = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        if (lineno == 1 && !strstr(line, "\"format\":\"faultline-trace\"")) {
            rc = fl_error_set(err, "%s:1: expected a faultline trace (a first line with "
                              "\"format\":\"faultline-trace\", as `faultline run --trace` "
                              "writes)", trace);
            break;
        }
        invoke_at at;
        if (!parse_invoke(line, &at))
            continue;
        if (*n == tcap) {
            tcap = tcap ? tcap * 2 : 256;
            invoke_at *g = realloc(*times, tcap * sizeof *g);
            if (!g) {
                rc = fl_error_set(err, "%s: out of memory", trace);
                break;
            }
            *times = g;
        }
        (*times)[(*n)++] = at;
    }
    if (!rc && lineno == 0)
        rc = fl_error_set(err, "%s: empty, expected a faultline trace", trace);
    free(line);
    fclose(f);
    return rc;
}

/* The first invoke at time t, or NULL. */
static const invoke_at *find_time(const invoke_at *v, size_t n, int64_t t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].t == t ? &v[lo] : NULL;
}

int fl_trace_link_check(const char *trace, const fl_lin_history *h,
                        const size_t *ops, size_t n, int *nodes, fl_error *err)
{
    if (!h->time_is_ns)
        return fl_error_set(err, "%s: no time_ns on every line: --trace links the ops of "
                            "faultline's own history (`faultline run --history`) to its "
                            "trace", h->source);
    invoke_at *times = NULL;
    size_t ntimes = 0;
    if (read_invokes(trace, &times, &ntimes, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const fl_lin_op *op = &h->ops[ops[i]];
        const invoke_at *at = find_time(times, ntimes, op->call_time);
        nodes[i] = at ? at->node : -1;
        if (!at) {
            char text[200];
            fl_lin_op_format(op, text, sizeof text);
            rc = fl_error_set(err, "%s: no invoke at %" PRId64 " ns (%s, in %s): is it "
                              "the trace of the run that wrote %s?", trace, op->call_time,
                              text, h->source, h->source);
        }
    }
    free(times);
    return rc;
}
