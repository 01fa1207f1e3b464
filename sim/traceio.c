/* traceio.c — one reader for both trace formats (see traceio.h). A compact
 * trace's events are turned back into text by the same writer the run
 * uses for JSON Lines (fl_trace_write_line), into a memory stream. */
#define _GNU_SOURCE
#include "sim/traceio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/trace.h"
#include "sim/trace_compact.h"

struct fl_trace_reader {
    FILE         *f;
    char         *path;
    char         *line;          /* JSON Lines: getline's buffer */
    size_t        cap;
    fl_trace_dec *dec;           /* compact: the decoder, else NULL */
    bool          header_done;
    FILE         *mem;           /* compact: writes into text */
    char         *text;
    size_t        tlen, tcap;
    int           mem_error;
};

static ssize_t mem_write(void *cookie, const char *buf, size_t n)
{
    fl_trace_reader *r = cookie;
    if (r->tlen + n + 1 > r->tcap) {
        size_t cap = (r->tlen + n + 1) * 2;
        char *p = realloc(r->text, cap);
        if (!p) {
            r->mem_error = 1;
            return -1;
        }
        r->text = p;
        r->tcap = cap;
    }
    memcpy(r->text + r->tlen, buf, n);
    r->tlen += n;
    return (ssize_t)n;
}

static int open_compact(fl_trace_reader *r, fl_error *err)
{
    cookie_io_functions_t io = { .write = mem_write };
    r->dec = fl_trace_dec_new(r->f, r->path, err);
    if (!r->dec)
        return -1;
    r->mem = fopencookie(r, "w", io);
    if (!r->mem)
        return fl_error_set(err, "%s: out of memory", r->path);
    return 0;
}

fl_trace_reader *fl_trace_reader_open(const char *path, fl_error *err)
{
    fl_trace_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        fl_error_set(err, "%s: out of memory", path);
        return NULL;
    }
    r->f = fopen(path, "rb");
    if (!r->f) {
        fl_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        fl_trace_reader_close(r);
        return NULL;
    }
    /* a zstd frame starts with 0x28, a JSON line with '{' */
    int c = getc(r->f);
    if (c == EOF && ferror(r->f)) {
        fl_error_set(err, "%s: cannot read: %s", path, strerror(errno));
        fl_trace_reader_close(r);
        return NULL;
    }
    if (c != EOF && ungetc(c, r->f) == EOF) {
        fl_error_set(err, "%s: cannot read", path);
        fl_trace_reader_close(r);
        return NULL;
    }
    if (c == (unsigned char)FL_TRACE_ZSTD_MAGIC[0] && open_compact(r, err) < 0) {
        fl_trace_reader_close(r);
        return NULL;
    }
    return r;
}

static int next_jsonl(fl_trace_reader *r, const char **line, size_t *len, fl_error *err)
{
    errno = 0;
    ssize_t n = getline(&r->line, &r->cap, r->f);
    if (n < 0) {
        if (ferror(r->f))
            return fl_error_set(err, "%s: read error: %s", r->path,
                                errno ? strerror(errno) : "unknown");
        return 0;
    }
    *line = r->line;
    *len = (size_t)n;
    return 1;
}

static int next_compact(fl_trace_reader *r, const char **line, size_t *len, fl_error *err)
{
    r->tlen = 0;
    if (!r->header_done) {
        size_t n;
        const char *h = fl_trace_dec_header(r->dec, &n);
        r->header_done = true;
        if (fwrite(h, 1, n, r->mem) != n)
            r->mem_error = 1;
    } else {
        fl_trace_rec rec;
        fl_msg_info info;
        int rc = fl_trace_dec_next(r->dec, &rec, &info, err);
        if (rc <= 0)
            return rc;
        if (fl_trace_write_line(r->mem, fl_trace_dec_nnodes(r->dec), &rec, &info) < 0)
            r->mem_error = 1;
    }
    if (fflush(r->mem) != 0 || r->mem_error || !r->text)
        return fl_error_set(err, "%s: out of memory", r->path);
    r->text[r->tlen] = '\0';
    *line = r->text;
    *len = r->tlen;
    return 1;
}

int fl_trace_reader_next(fl_trace_reader *r, const char **line, size_t *len, fl_error *err)
{
    return r->dec ? next_compact(r, line, len, err) : next_jsonl(r, line, len, err);
}

bool fl_trace_reader_compact(const fl_trace_reader *r)
{
    return r->dec != NULL;
}

void fl_trace_reader_close(fl_trace_reader *r)
{
    if (!r)
        return;
    if (r->mem)
        fclose(r->mem);
    fl_trace_dec_free(r->dec);
    if (r->f)
        fclose(r->f);
    free(r->line);
    free(r->text);
    free(r->path);
    free(r);
}
