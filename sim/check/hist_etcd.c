/* hist_etcd.c — Jepsen etcd logs as shipped with Porcupine
 * ("INFO jepsen.util - 3 :ok :cas [1 2]"), read the way Porcupine reads
 * them (hist_read_impl.h). */
#include "sim/check/hist_read_impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- Jepsen etcd logs ------------------------------------------------------------------ */

/* "INFO  jepsen.util - 3	:ok	:cas	[1 2]": the words after the "-". */
typedef struct etcd_words {
    const char *w[8];
    size_t      n[8];
    int         count;
} etcd_words;

static void split_words(const char *s, const char *end, etcd_words *ws)
{
    ws->count = 0;
    while (s < end && ws->count < 8) {
        while (s < end && isspace((unsigned char)*s))
            s++;
        if (s >= end)
            break;
        const char *w = s;
        if (*s == '[') {                       /* [1 2] is one word */
            while (s < end && *s != ']')
                s++;
            if (s < end)
                s++;
        } else {
            while (s < end && !isspace((unsigned char)*s))
                s++;
        }
        ws->w[ws->count] = w;
        ws->n[ws->count++] = (size_t)(s - w);
    }
}

static bool word_is(const etcd_words *ws, int i, const char *lit)
{
    return i < ws->count && ws->n[i] == strlen(lit) &&
           memcmp(ws->w[i], lit, ws->n[i]) == 0;
}

static bool parse_i64(const char *s, size_t n, int64_t *out)
{
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (*end || errno)
        return false;
    *out = v;
    return true;
}

static bool etcd_scalar(const char *s, size_t n, fl_lin_val *out)
{
    int64_t v;
    if (n == 3 && memcmp(s, "nil", 3) == 0) {
        *out = fl_lin_nil();
        return true;
    }
    if (!parse_i64(s, n, &v))
        return false;
    *out = fl_lin_int(v);
    return true;
}

/* nil, an integer, [a b], or :timed-out (unknown: NONE). */
static int etcd_value(rd_pairer *p, const char *s, size_t n, size_t line,
                      fl_lin_val *out)
{
    if (n > 0 && s[0] == ':') {
        *out = fl_lin_none();
        return 0;
    }
    if (etcd_scalar(s, n, out))
        return 0;
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
        etcd_words ws;
        split_words(s + 1, s + n - 1, &ws);
        fl_lin_val *pair = fl_arena_alloc(&p->h->arena, 2 * sizeof *pair);
        if (!pair)
            return fl_rd_oom(p);
        if (ws.count == 2 && etcd_scalar(ws.w[0], ws.n[0], &pair[0]) &&
            etcd_scalar(ws.w[1], ws.n[1], &pair[1])) {
            *out = (fl_lin_val){ .type = FL_LV_PAIR, .u.pair = pair };
            return 0;
        }
    }
    return fl_rd_line_error(p, line, "expected nil, an integer, [a b] or "
                      ":timed-out, found '%.*s'", (int)n, s);
}

static int etcd_line(rd_pairer *p, const char *s, const char *end,
                     size_t line)
{
    static const char expect[] = "expected 'INFO jepsen.util - PROCESS "
                                 ":TYPE :F VALUE'";
    const char *at = strstr(s, "jepsen.util");
    if (!at || at > end)
        return fl_rd_line_error(p, line, "%s", expect);
    etcd_words ws;
    split_words(at, end, &ws);
    if (!word_is(&ws, 1, "-") || ws.count < 5)
        return fl_rd_line_error(p, line, "%s", expect);
    rd_event ev;
    memset(&ev, 0, sizeof ev);
    ev.line = line;
    ev.result = -1;
    if (ws.w[2][0] == ':')
        return 0;                              /* :nemesis */
    if (!parse_i64(ws.w[2], ws.n[2], &ev.process))
        return fl_rd_line_error(p, line, "expected a process number, found "
                          "'%.*s'", (int)ws.n[2], ws.w[2]);
    rd_node t = { .type = RD_KW, .s = ws.w[3] + 1, .n = ws.n[3] - 1 };
    rd_node f = { .type = RD_KW, .s = ws.w[4] + 1, .n = ws.n[4] - 1 };
    if (ws.w[3][0] != ':' || fl_rd_type_by_name(&t, &ev.type) != 0)
        return fl_rd_line_error(p, line, "expected :invoke, :ok, :fail or :info, "
                          "found '%.*s'", (int)ws.n[3], ws.w[3]);
    if (ws.w[4][0] != ':' || fl_rd_kind_by_name(&f, &ev.kind) != 0)
        return fl_rd_line_error(p, line, "expected :read, :write or :cas, found "
                          "'%.*s'", (int)ws.n[4], ws.w[4]);
    ev.key = fl_lin_none();
    ev.has_evalue = true;
    ev.evalue = fl_lin_nil();
    if (ws.count >= 6 &&
        etcd_value(p, ws.w[5], ws.n[5], line, &ev.evalue) != 0)
        return -1;
    if (ev.evalue.type == FL_LV_NONE)
        ev.has_evalue = false;                 /* :timed-out */
    if (ev.type == RD_INVOKE && ev.kind == FL_LIN_READ)
        ev.evalue = fl_lin_none();
    if (ev.type == RD_OK && ev.kind == FL_LIN_CAS)
        ev.result = 1;
    return fl_rd_pair_event(p, &ev);
}

int fl_rd_read_etcd(rd_pairer *p, const char *text, size_t len)
{
    const char *s = text, *end = text + len;
    for (size_t line = 1; s < end; line++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        if (!fl_rd_blank(s, eol)) {
            /* copy the line so strstr stops at its end */
            size_t n = (size_t)(eol - s);
            char *buf = malloc(n + 1);
            if (!buf)
                return fl_rd_oom(p);
            memcpy(buf, s, n);
            buf[n] = '\0';
            int rc = etcd_line(p, buf, buf + n, line);
            free(buf);
            if (rc != 0)
                return -1;
        }
        s = nl ? nl + 1 : end;
    }
    return 0;
}

