/* lin_html.c — a self-contained HTML page that shows a history and, for a
 * violation, where the linearizability checker got stuck (lin.h:
 * fl_lin_write_html). One row per process, one bar per op, laid out by
 * event order so that concurrency is visible however close the times; an
 * SVG with tooltips and no scripts. Given the trace of the run that wrote
 * the history, each op of the failing window links (an in-page anchor)
 * to the command line that opens the visualizer on that trace at the
 * op's invoke. Written to a temporary file and renamed into place. */
#include "sim/check/lin.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { ROLE_OTHER, ROLE_PREFIX, ROLE_PENDING, ROLE_STUCK };

/* Beyond this many ops a page is too heavy for a browser: draw the first. */
#define FL_HTML_MAX_OPS 20000

typedef struct html_layout {
    const fl_lin_history *h;
    const fl_lin_report  *r;     /* NULL unless a violation */
    size_t  *ops;                /* the ops drawn (history indices) */
    size_t   nops, total;        /* drawn, and in the partition / history */
    int64_t *pos;                /* distinct positions, sorted: x ranks */
    size_t   npos;
    int64_t *procs;              /* distinct processes, sorted: rows */
    size_t   nprocs;
    unsigned char *role;         /* per history op */
    double   step;               /* px per rank */
    const fl_lin_html_trace *trace; /* the run's trace: link its ops, or NULL */
} html_layout;

static int i64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static size_t uniq(int64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, i64_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || v[k - 1] != v[i])
            v[k++] = v[i];
    return k;
}

static size_t rank_of(const int64_t *v, size_t n, int64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void esc(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

static void layout_free(html_layout *L)
{
    free(L->ops);
    free(L->pos);
    free(L->procs);
    free(L->role);
}

static void mark_roles(html_layout *L)
{
    const fl_lin_report *r = L->r;
    if (!r)
        return;
    for (size_t i = 0; i < r->prefix_len; i++)
        L->role[r->prefix[i]] = ROLE_PREFIX;
    for (size_t i = 0; i < r->npending; i++)
        L->role[r->pending[i].op] = ROLE_PENDING;
    L->role[r->stuck] = ROLE_STUCK;
}

static int layout_make(html_layout *L)
{
    const fl_lin_history *h = L->h;
    bool part = L->r && L->r->part;
    L->total = part ? L->r->part_ops : h->len;
    L->nops = L->total < FL_HTML_MAX_OPS ? L->total : FL_HTML_MAX_OPS;
    L->ops = malloc((L->nops + 1) * sizeof *L->ops);
    L->pos = malloc((2 * L->nops + 1) * sizeof *L->pos);
    L->procs = malloc((L->nops + 1) * sizeof *L->procs);
    L->role = calloc(h->len + 1, 1);
    if (!L->ops || !L->pos || !L->procs || !L->role)
        return -1;
    for (size_t i = 0; i < L->nops; i++) {
        size_t o = part ? L->r->part[i] : i;
        const fl_lin_op *op = &h->ops[o];
        L->ops[i] = o;
        L->pos[L->npos++] = op->call;
        if (op->status == FL_LIN_STATUS_OK)
            L->pos[L->npos++] = op->ret;
        L->procs[i] = op->process;
    }
    L->npos = uniq(L->pos, L->npos);
    L->nprocs = uniq(L->procs, L->nops);
    L->step = L->npos > 3000 ? 3.0 : L->npos > 600 ? 6.0 : 14.0;
    mark_roles(L);
    return 0;
}

#define X0 110.0
#define ROW 22.0
#define Y0 30.0

static double x_of(const html_layout *L, int64_t pos)
{
    if (pos == FL_LIN_NEVER)
        return X0 + (double)(L->npos + 1) * L->step;
    return X0 + (double)rank_of(L->pos, L->npos, pos) * L->step;
}

static const char *role_fill(int role, bool info)
{
    switch (role) {
    case ROLE_PREFIX:  return "#7fbf7f";
    case ROLE_PENDING: return "#f0b050";
    case ROLE_STUCK:   return "#e05050";
    default:           return info ? "#c8d8f0" : "#d0d0d0";
    }
}

static void draw_window(FILE *out, const html_layout *L, double height)
{
    const fl_lin_report *r = L->r;
    if (!r || !r->npending)
        return;
    int64_t from = INT64_MAX;
    for (size_t i = 0; i < r->npending; i++) {
        const fl_lin_op *op = &L->h->ops[r->pending[i].op];
        if (op->status == FL_LIN_STATUS_OK && op->call < from)
            from = op->call;
    }
    if (from == INT64_MAX)
        from = L->h->ops[r->stuck].call;
    double x1 = x_of(L, from) - 3, x2 = x_of(L, L->h->ops[r->stuck].ret) + 3;
    fprintf(out, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%.1f\" "
            "fill=\"#ffe0e0\" stroke=\"#e05050\" stroke-dasharray=\"4 2\">"
            "<title>failing window</title></rect>\n", x1, x2 - x1, height);
}

/* A short label inside a bar wide enough for it: "w 3", "r nil", "cas
 * [1 2] t", "app \"x\"" — cut to the bar's width. */
static void draw_label(FILE *out, const fl_lin_op *op, double x, double y,
                       double w)
{
    static const char *const abbrev[FL_LIN_KIND_COUNT] = {
        "r", "w", "cas", "add", "acq", "rel", "app",
    };
    size_t fit = (size_t)((w - 4) / 6.5);
    if (fit < 3)
        return;
    char val[96], label[128];
    const fl_lin_val *v = op->kind == FL_LIN_READ || op->kind == FL_LIN_ACQUIRE
                              ? &op->out : &op->arg;
    fl_lin_val_format(v, val, sizeof val);
    snprintf(label, sizeof label, "%s %s", abbrev[op->kind], val);
    if (strlen(label) > fit)
        label[fit] = '\0';
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
            "pointer-events=\"none\">", x + 3, y + ROW - 10);
    esc(out, label);
    fputs("</text>\n", out);
}

/* The trace's node of op o if the page links it (else NULL). */
static const int *linked(const html_layout *L, size_t o)
{
    for (size_t i = 0; L->trace && i < L->trace->n; i++)
        if (L->trace->ops[i] == o)
            return &L->trace->nodes[i];
    return NULL;
}

static void draw_op(FILE *out, const html_layout *L, size_t o)
{
    const fl_lin_op *op = &L->h->ops[o];
    bool info = op->status == FL_LIN_STATUS_INFO;
    size_t row = rank_of(L->procs, L->nprocs, op->process);
    double x1 = x_of(L, op->call), x2 = x_of(L, op->ret);
    if (x2 - x1 < L->step * 0.6)
        x2 = x1 + L->step * 0.6;
    double y = Y0 + (double)row * ROW + 3;
    char text[240];
    fl_lin_op_format(op, text, sizeof text);
    bool link = linked(L, o) != NULL;
    if (link)
        fprintf(out, "<a href=\"#op-%zu\">", o);
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
            " rx=\"3\" fill=\"%s\"%s><title>", x1, y, x2 - x1, ROW - 6,
            role_fill(L->role[o], info),
            info ? " stroke=\"#5070a0\" stroke-dasharray=\"3 2\"" : "");
    esc(out, text);
    fputs("</title></rect>", out);
    fputs(link ? "</a>\n" : "\n", out);
    draw_label(out, op, x1, y, x2 - x1);
}

static void draw_rows(FILE *out, const html_layout *L, double width)
{
    for (size_t i = 0; i < L->nprocs; i++) {
        double y = Y0 + (double)i * ROW;
        fprintf(out, "<text x=\"4\" y=\"%.1f\" font-size=\"12\">process "
                "%" PRId64 "</text>\n<line x1=\"%.1f\" x2=\"%.1f\" "
                "y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eeeeee\"/>\n",
                y + ROW * 0.7, L->procs[i], X0, width, y + ROW, y + ROW);
    }
}

static void write_svg(FILE *out, const html_layout *L)
{
    double width = X0 + (double)(L->npos + 3) * L->step;
    double height = Y0 + (double)L->nprocs * ROW + 10;
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
            "height=\"%.0f\" font-family=\"sans-serif\">\n", width, height);
    draw_window(out, L, height);
    draw_rows(out, L, width);
    for (size_t i = 0; i < L->nops; i++)
        draw_op(out, L, L->ops[i]);
    fputs("</svg>\n", out);
}

/* A word for a shell: as it is when plain, else in single quotes. */
static void shell_word(FILE *out, const char *s)
{
    if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789_./-+,:@%=") == strlen(s)) {
        esc(out, s);
        return;
    }
    fputc('\'', out);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", out);
        else {
            char c[2] = { *s, 0 };
            esc(out, c);
        }
    }
    fputc('\'', out);
}

/* The failing window's ops, each an anchor with the command line that
 * opens the trace at its invoke (exact to the nanosecond). */
static void write_trace_links(FILE *out, const html_layout *L)
{
    if (!L->trace || !L->trace->n)
        return;
    fputs("<h2>The failing window in the trace</h2>\n<p>Each op opens in the "
          "visualizer at its invoke, its client selected; there <code>o</code> shows its requests, "
          "replies and log entries, <code>v</code> a failed invariant's cause.</p>\n"
          "<ol>\n", out);
    for (size_t i = 0; i < L->nops; i++) {
        size_t o = L->ops[i];
        const int *node = linked(L, o);
        if (!node)
            continue;
        const fl_lin_op *op = &L->h->ops[o];
        char text[240];
        fl_lin_op_format(op, text, sizeof text);
        fprintf(out, "<li id=\"op-%zu\"><b>", o);
        esc(out, text);
        fprintf(out, "</b>%s<br><code>faultline viz --trace ",
                L->role[o] == ROLE_STUCK ? " (must have taken effect)"
                : L->role[o] == ROLE_PENDING ? " (open at the failure)" : "");
        shell_word(out, L->trace->path);
        fprintf(out, " --at %" PRId64 ".%06" PRId64, op->call_time / 1000000,
                op->call_time % 1000000);
        if (*node >= 0)
            fprintf(out, " --select %d", *node);
        fputs("</code></li>\n", out);
    }
    fputs("</ol>\n", out);
}

static void write_report_text(FILE *out, const fl_lin_report *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return;
    fprintf(mem, "linearizable: %s\n", fl_lin_result_name(r->result));
    fl_lin_report_print(r, mem);
    fclose(mem);
    fputs("<pre>", out);
    esc(out, text ? text : "");
    fputs("</pre>\n", out);
    free(text);
}

static void write_page(FILE *out, const html_layout *L,
                       const fl_lin_report *r)
{
    fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
          "<title>faultline check: ", out);
    esc(out, L->h->source);
    fputs("</title>\n<style>body{font-family:sans-serif;margin:1em}"
          "pre{background:#f6f6f6;padding:.6em}.key span{padding:0 .5em;"
          "margin-right:.5em}.scroll{overflow-x:auto;border:1px solid #ddd}"
          "</style>\n</head><body>\n<h1>faultline check: ", out);
    esc(out, L->h->source);
    fputs("</h1>\n", out);
    if (r && r->anomaly[0]) {            /* what the violation shows */
        fputs("<p><strong>anomaly:</strong> ", out);
        esc(out, r->anomaly);
        fputs("</p>\n", out);
    }
    if (r)
        write_report_text(out, r);
    fputs("<p class=\"key\"><span style=\"background:#7fbf7f\">longest "
          "linearizable prefix</span><span style=\"background:#f0b050\">"
          "open at the failure</span><span style=\"background:#e05050\">"
          "must have taken effect</span><span style=\"background:#d0d0d0\">"
          "other ok ops</span><span style=\"background:#c8d8f0\">info "
          "(may or may not have happened)</span></p>\n"
          "<p>Bars run from invoke to completion in event order; hover for "
          "details.", out);
    if (L->nops < L->total)
        fprintf(out, " Showing the first %zu of %zu ops.", L->nops, L->total);
    if (r && r->result == FL_LIN_VIOLATION)
        fputs(" Only the failing partition is shown.", out);
    fputs("</p>\n<div class=\"scroll\">\n", out);
    write_svg(out, L);
    fputs("</div>\n", out);
    write_trace_links(out, L);
    fputs("</body></html>\n", out);
}

int fl_lin_write_html(const fl_lin_history *h, const fl_lin_report *r,
                      const char *path, fl_error *err)
{
    return fl_lin_write_html_trace(h, r, NULL, path, err);
}

int fl_lin_write_html_trace(const fl_lin_history *h, const fl_lin_report *r,
                            const fl_lin_html_trace *trace, const char *path,
                            fl_error *err)
{
    html_layout L;
    memset(&L, 0, sizeof L);
    L.h = h;
    L.trace = h->time_is_ns ? trace : NULL;
    L.r = r && r->result == FL_LIN_VIOLATION ? r : NULL;
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp || layout_make(&L) != 0) {
        free(tmp);
        layout_free(&L);
        return fl_error_set(err, "%s: out of memory", path);
    }
    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd >= 0)
        (void)fchmod(fd, 0644);          /* mkstemp makes it 0600 */
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    int rc = -1;
    if (!out) {
        fl_error_set(err, "%s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        goto done;
    }
    write_page(out, &L, r);
    bool bad = ferror(out) != 0;
    if (fclose(out) != 0 || bad) {
        fl_error_set(err, "%s: write error", path);
        unlink(tmp);
        goto done;
    }
    if (rename(tmp, path) != 0) {
        fl_error_set(err, "%s: %s", path, strerror(errno));
        unlink(tmp);
        goto done;
    }
    rc = 0;
done:
    free(tmp);
    layout_free(&L);
    return rc;
}
