/* cmd_diff.c — `faultline diff TRACE_A TRACE_B`: where two traces (JSON
 * Lines or compact, from `faultline run --trace`, read through
 * sim/traceio.h) part ways. Compares the headers
 * (seed, scenario, algorithm, nodes), then the events in order, and prints
 * the first event that differs with the events before it (shared) and
 * after it (in each trace), naming the fields that differ. For hunting a
 * nondeterminism (the same seed twice) or seeing what a fix changed.
 * Exit status 0 identical, 1 different, 2 unreadable input (like cmp). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/traceio.h"

#define SHOW_MAX 400          /* characters of an event shown */

typedef struct diff_opts {
    const char *a, *b;
    unsigned    context;
} diff_opts;

typedef struct trace_in {
    const char      *path;
    fl_trace_reader *r;
    char            *line;     /* the current line, without its newline */
    size_t           cap;
    uint64_t         events;   /* events read so far */
    int              bad;      /* a read failed (message printed) */
} trace_in;

static const fl_cli_opt diff_options[] = {
    { "context", 'C', true }, { NULL, 0, false },
};

static int diff_option(void *ctx, const char *a, const char *v)
{
    diff_opts *o = ctx;
    uint64_t n;
    if (strcmp(a, "--context") != 0)
        return fl_cli_usage_error("diff", "unknown option %s", a);
    if (!fl_cli_parse_u64(v, &n) || n > 1000)
        return fl_cli_usage_error("diff", "--context %s: expected a number of events (0..1000)", v);
    o->context = (unsigned)n;
    return 0;
}

static int diff_operand(void *ctx, const char *a)
{
    diff_opts *o = ctx;
    if (!o->a)
        o->a = a;
    else if (!o->b)
        o->b = a;
    else
        return fl_cli_usage_error("diff", "unexpected argument \"%s\"", a);
    return 0;
}

/* 0, FL_CLI_DONE (--help or --version printed) or an exit status. */
static int parse_args(int argc, char **argv, diff_opts *o)
{
    o->a = o->b = NULL;
    o->context = 5;
    int rc = fl_cli_parse(&fl_cmd_diff_entry, argc, argv, diff_options, diff_option,
                          diff_operand, o);
    if (rc != 0)
        return rc;
    if (!o->a || !o->b)
        return fl_cli_usage_error("diff", "expected two trace files");
    return 0;
}

/* Next line without its newline; false at the end, or after a read error
 * (printed, and t->bad set). */
static bool next_line(trace_in *t)
{
    const char *line;
    size_t n;
    fl_error err = { { 0 } };
    if (t->bad)
        return false;
    int rc = fl_trace_reader_next(t->r, &line, &n, &err);
    if (rc <= 0) {
        if (rc < 0) {
            fprintf(stderr, "faultline: %s\n", err.msg);
            t->bad = 1;
        }
        return false;
    }
    if (n + 1 > t->cap) {
        char *p = realloc(t->line, n + 1);
        if (!p) {
            fprintf(stderr, "faultline: %s: out of memory\n", t->path);
            t->bad = 1;
            return false;
        }
        t->line = p;
        t->cap = n + 1;
    }
    memcpy(t->line, line, n);
    while (n > 0 && (t->line[n - 1] == '\n' || t->line[n - 1] == '\r'))
        n--;
    t->line[n] = '\0';
    return true;
}

static int open_trace(trace_in *t, const char *path, cJSON **header)
{
    fl_error err = { { 0 } };
    memset(t, 0, sizeof *t);
    t->path = path;
    t->r = fl_trace_reader_open(path, &err);
    if (!t->r) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        return 2;
    }
    if (!next_line(t) && t->bad)
        return 2;
    if (!t->line || !(*header = cJSON_Parse(t->line))) {
        fprintf(stderr, "faultline: %s: line 1: expected a trace header (JSON), as written "
                        "by faultline run --trace\n", path);
        return 2;
    }
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(*header, "format");
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "faultline-trace") != 0) {
        fprintf(stderr, "faultline: %s: line 1: $.format: expected \"faultline-trace\"\n", path);
        return 2;
    }
    return 0;
}

static void close_trace(trace_in *t)
{
    fl_trace_reader_close(t->r);
    free(t->line);
}

/* Prints the header fields that differ; returns how many. */
static int diff_headers(const cJSON *ha, const cJSON *hb)
{
    static const char *const keys[] = { "version", "abi", "seed", "scenario", "scenario_hash",
                                        "algorithm", "nodes", NULL };
    int n = 0;
    for (const char *const *k = keys; *k; k++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(ha, *k);
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(hb, *k);
        if ((!a && !b) || (a && b && cJSON_Compare(a, b, true)))
            continue;
        char *sa = a ? cJSON_PrintUnformatted(a) : NULL;
        char *sb = b ? cJSON_PrintUnformatted(b) : NULL;
        printf("header %s: %.200s  vs  %.200s\n", *k, sa ? sa : "(none)", sb ? sb : "(none)");
        free(sa);
        free(sb);
        n++;
    }
    return n;
}

static void show(const char *tag, uint64_t index, const char *line)
{
    cJSON *j = cJSON_Parse(line);
    const cJSON *t = j ? cJSON_GetObjectItemCaseSensitive(j, "t") : NULL;
    if (cJSON_IsNumber(t))
        printf("%s #%-7" PRIu64 " %12.6f ms  %.*s%s\n", tag, index, t->valuedouble / 1e6,
               SHOW_MAX, line, strlen(line) > SHOW_MAX ? "..." : "");
    else
        printf("%s #%-7" PRIu64 " %.*s%s\n", tag, index, SHOW_MAX, line,
               strlen(line) > SHOW_MAX ? "..." : "");
    cJSON_Delete(j);
}

static const char *field_str(const cJSON *j, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(j, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static bool field_int(const cJSON *j, const char *key, double *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(j, key);
    if (!cJSON_IsNumber(it))
        return false;
    *out = it->valuedouble;
    return true;
}

/* One event in words, from its structured fields (never its text):
 * "drop 0->1 AppendEntries #42 (loss)", "partition [[0,1],[2]]". */
static void summarize(const char *tag, const char *line)
{
    cJSON *j = cJSON_Parse(line);
    const char *ev = j ? field_str(j, "ev") : NULL;
    if (!ev) {
        cJSON_Delete(j);
        return;
    }
    double from, to, id, node;
    printf("%s %s", tag, ev);
    if (field_int(j, "from", &from) && field_int(j, "to", &to))
        printf(" %.0f->%.0f", from, to);
    else if (field_int(j, "node", &node) && node >= 0)
        printf(" node %.0f", node);
    const char *kind = field_str(j, "kind"), *reason = field_str(j, "reason");
    const char *op = field_str(j, "op"), *timer = field_str(j, "timer");
    if (kind)
        printf(" %s", kind);
    if (op)
        printf(" %s", op);
    if (timer)
        printf(" %s timer", timer);
    if (field_int(j, "id", &id))
        printf(" #%.0f", id);
    if (reason)
        printf(" (%s)", reason);
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(j, "groups");
    if (groups) {
        char *g = cJSON_PrintUnformatted(groups);
        printf(" %s", g ? g : "");
        free(g);
    }
    printf("\n");
    cJSON_Delete(j);
}

/* "differs in: t, node" for two event lines. */
static void differing_fields(const char *la, const char *lb)
{
    cJSON *a = cJSON_Parse(la), *b = cJSON_Parse(lb);
    if (!a || !b) {
        cJSON_Delete(a);
        cJSON_Delete(b);
        return;
    }
    printf("differs in:");
    const cJSON *x;
    cJSON_ArrayForEach(x, a) {
        const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
        if (!y || !cJSON_Compare(x, y, true))
            printf(" %s", x->string);
    }
    cJSON_ArrayForEach(x, b)
        if (!cJSON_GetObjectItemCaseSensitive(a, x->string))
            printf(" %s", x->string);
    printf("\n");
    cJSON_Delete(a);
    cJSON_Delete(b);
}

/* The ring of the last `context` shared events. */
typedef struct ring {
    char   **lines;
    unsigned cap, n, next;
} ring;

static void ring_push(ring *r, const char *line)
{
    if (!r->cap)
        return;
    free(r->lines[r->next]);
    r->lines[r->next] = strdup(line);
    r->next = (r->next + 1) % r->cap;
    if (r->n < r->cap)
        r->n++;
}

static void ring_print(const ring *r, uint64_t last_index)
{
    for (unsigned i = 0; i < r->n; i++) {
        unsigned k = (r->next + r->cap - r->n + i) % r->cap;
        if (r->lines[k])
            show("  ", last_index - r->n + 1 + i, r->lines[k]);
    }
}

static void print_after(trace_in *t, const char *tag, unsigned context)
{
    for (unsigned i = 0; i < context && next_line(t); i++)
        show(tag, ++t->events, t->line);
}

/* A compact trace's checksum is checked at its end: read on to it, so a
 * damaged file is never reported as a difference. */
static void read_to_end(trace_in *t)
{
    if (t->r && fl_trace_reader_compact(t->r))
        while (next_line(t))
            ;
}

static int compare_events(trace_in *a, trace_in *b, unsigned context)
{
    ring r = { calloc(context ? context : 1, sizeof(char *)), context, 0, 0 };
    int result = 0;
    for (;;) {
        bool ma = next_line(a), mb = next_line(b);
        if (a->bad || b->bad) {
            result = 2;
            break;
        }
        if (!ma && !mb) {
            printf("the events are identical: %" PRIu64 " events\n", a->events);
            break;
        }
        a->events += ma;
        b->events += mb;
        if (ma && mb && strcmp(a->line, b->line) == 0) {
            ring_push(&r, a->line);
            continue;
        }
        result = 1;
        uint64_t at = ma ? a->events : b->events;
        printf("first difference at event #%" PRIu64 " (line %" PRIu64 "):\n", at, at + 1);
        ring_print(&r, at - 1);
        if (ma)
            show("A ", a->events, a->line);
        else
            printf("A  (ends after %" PRIu64 " events)\n", a->events);
        if (mb)
            show("B ", b->events, b->line);
        else
            printf("B  (ends after %" PRIu64 " events)\n", b->events);
        if (ma && mb)
            differing_fields(a->line, b->line);
        if (ma)
            summarize("A is:", a->line);
        if (mb)
            summarize("B is:", b->line);
        if (context) {
            printf("then in A:\n");
            print_after(a, "A ", context);
            printf("then in B:\n");
            print_after(b, "B ", context);
        }
        break;
    }
    for (unsigned i = 0; i < r.cap; i++)
        free(r.lines[i]);
    free(r.lines);
    return result;
}

int fl_cmd_diff(int argc, char **argv)
{
    diff_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return fl_cli_status(rc);
    trace_in a, b;
    cJSON *ha = NULL, *hb = NULL;
    rc = open_trace(&a, o.a, &ha);
    if (rc == 0)
        rc = open_trace(&b, o.b, &hb);
    else
        memset(&b, 0, sizeof b);
    if (rc == 0) {
        printf("A: %s\nB: %s\n", o.a, o.b);
        int hdiff = diff_headers(ha, hb);
        rc = compare_events(&a, &b, o.context);
        if (hdiff && rc == 0)
            rc = 1;
        read_to_end(&a);
        read_to_end(&b);
        if (a.bad || b.bad)
            rc = 2;         /* the message is printed */
    }
    cJSON_Delete(ha);
    cJSON_Delete(hb);
    close_trace(&a);
    close_trace(&b);
    return rc;
}

/* ---- The command-table entry: `faultline help diff` and `faultline diff --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline diff TRACE_A TRACE_B [--context N]\n"
    "\n"
    "Compares two traces written by `faultline run --trace` (JSON Lines or the\n"
    "compact format, in any mix; the events as JSON Lines): the header fields\n"
    "that differ (seed, scenario, algorithm, nodes), then the events in order;\n"
    "prints the first event that differs (its number, simulated time and the\n"
    "fields that differ) with the N events before it and after it in each\n"
    "trace (default 5). For hunting a nondeterminism or seeing what a change\n"
    "did to a run.\n"
    "\n"
    "exit status: 0 identical, 1 different, 2 bad usage or unreadable input\n"
    "(a damaged or cut-short compact trace: the message names the file)\n";

const fl_command fl_cmd_diff_entry = {
    "diff", "show where two traces diverge", usage_text, fl_cmd_diff, NULL, true,
};
