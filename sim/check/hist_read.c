/* hist_read.c — reading histories (hist_read.h): detecting the format,
 * reading files with a size bound, and guessing the model. The readers
 * themselves are hist_edn.c, hist_jsonl.c and hist_etcd.c. */
#include "sim/check/hist_read_impl.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check/lin.h"
#include "sim/util/file.h"

/* ---- detection and entry points ---------------------------------------------------------- */

const char *fl_hist_format_name(fl_hist_format f)
{
    switch (f) {
    case FL_HFMT_AUTO:  return "auto";
    case FL_HFMT_JSONL: return "jsonl";
    case FL_HFMT_ETCD:  return "etcd";
    case FL_HFMT_EDN:   return "edn";
    }
    return "?";
}

fl_hist_format fl_hist_format_parse(const char *name)
{
    if (strcmp(name, "jsonl") == 0 || strcmp(name, "json") == 0)
        return FL_HFMT_JSONL;
    if (strcmp(name, "etcd") == 0)
        return FL_HFMT_ETCD;
    if (strcmp(name, "edn") == 0)
        return FL_HFMT_EDN;
    return FL_HFMT_AUTO;
}

/* Looks at the first line that is not blank or a ; comment. */
static fl_hist_format detect(const char *text, size_t len, size_t *line)
{
    const char *s = text, *end = text + len;
    *line = 1;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        const char *c = s;
        while (c < eol && isspace((unsigned char)*c))
            c++;
        if (c < eol && *c != ';') {
            size_t n = (size_t)(eol - c);
            for (size_t i = 0; i + 11 <= n; i++)
                if (memcmp(c + i, "jepsen.util", 11) == 0)
                    return FL_HFMT_ETCD;
            if (*c == '{') {
                const char *d = c + 1;
                while (d < eol && isspace((unsigned char)*d))
                    d++;
                if (d < eol && (*d == '"' || *d == '}'))
                    return FL_HFMT_JSONL;
                return FL_HFMT_EDN;
            }
            if (*c == '[' || *c == '(' || *c == '#')
                return FL_HFMT_EDN;
            return FL_HFMT_AUTO;
        }
        s = nl ? nl + 1 : end;
        (*line)++;
    }
    return FL_HFMT_EDN;           /* blank or comments: nothing to read */
}

int fl_hist_read_text(const char *name, const char *text, size_t len,
                      fl_hist_format fmt, fl_lin_history *out,
                      fl_hist_format *found, fl_error *err)
{
    fl_lin_history_init(out, name);
    if (fmt == FL_HFMT_AUTO) {
        size_t line;
        fmt = detect(text, len, &line);
        if (fmt == FL_HFMT_AUTO)
            return fl_error_set(err, "%s:%zu: expected a history: JSON Lines "
                                "({\"process\": ...}), Jepsen EDN "
                                "({:process ...}) or a Jepsen etcd log "
                                "(INFO jepsen.util - ...)", name, line);
    }
    if (found)
        *found = fmt;
    rd_pairer p = { .h = out, .name = name, .fmt = fmt, .err = err,
                    .all_timed = true };
    if (fmt == FL_HFMT_EDN) {
        size_t n = strlen(FL_HIST_EDN_MARK);
        p.faultline = len >= n && memcmp(text, FL_HIST_EDN_MARK, n) == 0;
        p.nil_unknown = !p.faultline;
    }
    int rc;
    if (fmt == FL_HFMT_JSONL)
        rc = fl_rd_read_jsonl(&p, text, len);
    else if (fmt == FL_HFMT_ETCD)
        rc = fl_rd_read_etcd(&p, text, len);
    else
        rc = fl_rd_read_edn(&p, text, len);
    if (rc == 0) {
        fl_rd_pair_finish(&p);
        if (p.kv_format && !p.faultline) {
            out->model_hint = "kv";
            out->init_hint = (fl_lin_val){ .type = FL_LV_STR, .n = 0,
                                           .u.s = "" };
            snprintf(out->init_why, sizeof out->init_why,
                     "Porcupine's kv format: every key starts at \"\"");
        }
    }
    fl_rd_pairer_free(&p);
    return rc;
}

static int too_large(fl_error *err, const char *path, size_t size,
                     size_t max_bytes)
{
    char a[32], b[32];
    return fl_error_set(err, "%s: too large to check: %s%s, and a history "
                        "file may have at most %s here (it takes a few "
                        "times its size in memory; see --max-memory)",
                        path, size > max_bytes ? "" : "over ",
                        fl_lin_format_bytes(size, a, sizeof a),
                        fl_lin_format_bytes(max_bytes, b, sizeof b));
}

int fl_hist_read_file_max(const char *path, fl_hist_format fmt,
                          size_t max_bytes, fl_lin_history *out,
                          fl_hist_format *found, fl_error *err)
{
    fl_lin_history_init(out, path);
    char *text;
    size_t len;
    switch (fl_file_read_all(path, max_bytes, &text, &len)) {
    case FL_FILE_OK:
        break;
    case FL_FILE_OPEN:
        return fl_error_set(err, "%s: %s", path, strerror(errno));
    case FL_FILE_TOO_BIG:                  /* len 0: a pipe, say */
        return too_large(err, path, len ? len : max_bytes, max_bytes);
    case FL_FILE_NOMEM:
        return fl_error_set(err, "%s: out of memory", path);
    default:
        return fl_error_set(err, "%s: read error", path);
    }
    int rc = fl_hist_read_text(path, text, len, fmt, out, found, err);
    free(text);
    return rc;
}

int fl_hist_read_file(const char *path, fl_hist_format fmt,
                      fl_lin_history *out, fl_hist_format *found,
                      fl_error *err)
{
    return fl_hist_read_file_max(path, fmt, fl_lin_default_max_memory() / 4,
                                 out, found, err);
}

const char *fl_hist_guess_model(const fl_lin_history *h)
{
    bool add = false, lock = false, list = false, token = false;
    if (h->model_hint)
        return h->model_hint;
    for (size_t i = 0; i < h->len; i++) {
        const fl_lin_op *op = &h->ops[i];
        if (op->kind == FL_LIN_APPEND)
            return "kv";
        if (op->kind == FL_LIN_TXN)
            return "multi-register";
        add |= op->kind == FL_LIN_ADD;
        lock |= op->kind == FL_LIN_ACQUIRE || op->kind == FL_LIN_RELEASE;
        token |= (op->kind == FL_LIN_ACQUIRE && op->out.type == FL_LV_INT) ||
                 (op->kind == FL_LIN_RELEASE && op->arg.type == FL_LV_INT);
        list |= op->out.type == FL_LV_LIST;
    }
    if (h->has_strings)
        return "kv";
    if (lock)
        return token ? "lock" : "mutex";     /* Knossos' mutex: no tokens */
    if (list)
        return "set";
    if (add)
        return "counter";
    return "register";
}

