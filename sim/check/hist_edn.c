/* hist_edn.c — a small EDN reader (maps, vectors, lists, sets, keywords,
 * strings, integers, nil/true/false, ; comments, #_ and tags) feeding op
 * maps to hist_map.c (hist_read_impl.h). */
#include "sim/check/hist_read_impl.h"
#include "sim/util/vec.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the EDN reader ------------------------------------------------------------------- */

typedef struct edn {
    const char *s, *end;
    size_t      line;
    fl_arena   *arena;
    rd_pairer  *p;
    int         depth;
} edn;

static int edn_value(edn *e, rd_node **out);

static rd_node *edn_node(edn *e, rd_type type)
{
    rd_node *n = fl_arena_alloc(e->arena, sizeof *n);
    if (n) {
        n->type = type;
        n->line = e->line;
    }
    return n;
}

static void edn_skip_space(edn *e)
{
    while (e->s < e->end) {
        char c = *e->s;
        if (c == '\n') {
            e->line++;
            e->s++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == ',' ||
                   c == '\f') {
            e->s++;
        } else if (c == ';') {
            while (e->s < e->end && *e->s != '\n')
                e->s++;
        } else {
            return;
        }
    }
}

static bool edn_delim(char c)
{
    return isspace((unsigned char)c) || c == ',' || c == '{' || c == '}' ||
           c == '[' || c == ']' || c == '(' || c == ')' || c == '"' ||
           c == ';';
}

static int edn_error(edn *e, const char *what)
{
    return fl_rd_line_error(e->p, e->line, "%s", what);
}

static int edn_string(edn *e, rd_node **out)
{
    size_t line = e->line;
    e->s++;                                    /* the opening quote */
    const char *start = e->s;
    size_t extra = 0;
    while (e->s < e->end && *e->s != '"') {
        if (*e->s == '\\' && e->s + 1 < e->end) {
            e->s++;
            extra++;
        }
        if (*e->s == '\n')
            e->line++;
        e->s++;
    }
    if (e->s >= e->end) {
        e->line = line;
        return edn_error(e, "unterminated string (expected a closing \")");
    }
    size_t raw = (size_t)(e->s - start);
    char *buf = fl_arena_alloc(e->arena, raw - extra + 1);
    rd_node *n = edn_node(e, RD_STR);
    if (!buf || !n)
        return fl_rd_oom(e->p);
    size_t k = 0;
    for (const char *c = start; c < e->s; c++) {
        if (*c == '\\') {
            c++;
            buf[k++] = *c == 'n' ? '\n' : *c == 't' ? '\t'
                     : *c == 'r' ? '\r' : *c;
        } else {
            buf[k++] = *c;
        }
    }
    e->s++;                                    /* the closing quote */
    n->line = line;
    n->s = buf;
    n->n = k;
    *out = n;
    return 0;
}

static int edn_number(edn *e, const char *tok, size_t len, rd_node *n)
{
    char buf[64];
    if (len >= sizeof buf)
        return edn_error(e, "number too long");
    memcpy(buf, tok, len);
    buf[len] = '\0';
    if (len > 1 && buf[len - 1] == 'N')
        buf[len - 1] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (*end == '\0' && errno == 0) {
        n->type = RD_INT;
        n->i = v;
        return 0;
    }
    if (errno == ERANGE)
        return edn_error(e, "integer out of range (expected a 64-bit "
                            "integer)");
    strtod(buf, &end);
    if (*end == '\0' || (*end == 'M' && end[1] == '\0')) {
        n->type = RD_FLOAT;
        return 0;
    }
    return edn_error(e, "malformed number");
}

/* A keyword, symbol, number, nil, true or false. */
static int edn_atom(edn *e, rd_node **out)
{
    const char *tok = e->s;
    while (e->s < e->end && !edn_delim(*e->s))
        e->s++;
    size_t len = (size_t)(e->s - tok);
    rd_node *n = edn_node(e, RD_SYM);
    if (!n)
        return fl_rd_oom(e->p);
    *out = n;
    if (len == 0)
        return edn_error(e, "unexpected character");
    char c = tok[0];
    if (isdigit((unsigned char)c) ||
        ((c == '-' || c == '+') && len > 1 && isdigit((unsigned char)tok[1])))
        return edn_number(e, tok, len, n);
    if (c == ':') {
        n->type = RD_KW;
        n->s = tok + 1;
        n->n = len - 1;
        return 0;
    }
    if (c == '\\')
        return edn_error(e, "character literals are not supported");
    n->s = tok;
    n->n = len;
    if (len == 3 && memcmp(tok, "nil", 3) == 0)
        n->type = RD_NIL;
    else if (len == 4 && memcmp(tok, "true", 4) == 0) {
        n->type = RD_BOOL;
        n->i = 1;
    } else if (len == 5 && memcmp(tok, "false", 5) == 0)
        n->type = RD_BOOL;
    return 0;
}

/* Items up to the closing delimiter `close`. */
static int edn_coll(edn *e, rd_type type, char close, rd_node **out)
{
    rd_node *n = edn_node(e, type);
    if (!n)
        return fl_rd_oom(e->p);
    size_t line = e->line, cap = 0, count = 0;
    rd_node **items = NULL;
    int rc = -1;
    if (++e->depth > 200) {
        edn_error(e, "nested too deeply");
        goto out;
    }
    for (;;) {
        edn_skip_space(e);
        if (e->s >= e->end) {
            char msg[96];
            snprintf(msg, sizeof msg, "unexpected end of file (expected "
                     "'%c' closing the form opened on line %zu)", close, line);
            edn_error(e, msg);
            goto out;
        }
        if (*e->s == close) {
            e->s++;
            break;
        }
        if (fl_vec_grow(&items, &cap, count + 1, sizeof *items, 8) < 0) {
            fl_rd_oom(e->p);
            goto out;
        }
        if (edn_value(e, &items[count]) != 0)
            goto out;
        count++;
    }
    if (type == RD_MAP && count % 2) {
        e->line = line;
        edn_error(e, "a map needs an even number of forms (key value ...)");
        goto out;
    }
    n->items = fl_arena_alloc(e->arena, (count + 1) * sizeof *n->items);
    if (!n->items) {
        fl_rd_oom(e->p);
        goto out;
    }
    if (count)
        memcpy(n->items, items, count * sizeof *items);
    n->n = type == RD_MAP ? count / 2 : count;
    *out = n;
    rc = 0;
out:
    e->depth--;
    free(items);
    return rc;
}

/* #{...}, #_ form, #tag form */
static int edn_dispatch(edn *e, rd_node **out)
{
    e->s++;
    if (e->s < e->end && *e->s == '{') {
        e->s++;
        return edn_coll(e, RD_SET, '}', out);
    }
    if (e->s < e->end && *e->s == '_') {
        e->s++;
        rd_node *ignored;
        if (edn_value(e, &ignored) != 0)
            return -1;
        edn_skip_space(e);
        return edn_value(e, out);
    }
    rd_node *tag;
    if (edn_atom(e, &tag) != 0)
        return -1;
    edn_skip_space(e);
    return edn_value(e, out);                  /* #inst "..." -> "..." */
}

static int edn_value(edn *e, rd_node **out)
{
    edn_skip_space(e);
    if (e->s >= e->end)
        return edn_error(e, "unexpected end of file (expected a value)");
    switch (*e->s) {
    case '{': e->s++; return edn_coll(e, RD_MAP, '}', out);
    case '[': e->s++; return edn_coll(e, RD_VEC, ']', out);
    case '(': e->s++; return edn_coll(e, RD_LIST, ')', out);
    case '"': return edn_string(e, out);
    case '#': return edn_dispatch(e, out);
    case '}': case ']': case ')': {
        char msg[64];
        snprintf(msg, sizeof msg, "unexpected '%c'", *e->s);
        return edn_error(e, msg);
    }
    default:
        return edn_atom(e, out);
    }
}

/* Top level: op maps, or vectors / lists of op maps. */
int fl_rd_read_edn(rd_pairer *p, const char *text, size_t len)
{
    fl_arena arena;
    fl_arena_init(&arena);
    edn e = { text, text + len, 1, &arena, p, 0 };
    int rc = 0;
    for (;;) {
        edn_skip_space(&e);
        if (e.s >= e.end)
            break;
        rd_node *form;
        if (edn_value(&e, &form) != 0) {
            rc = -1;
            break;
        }
        if (form->type == RD_VEC || form->type == RD_LIST) {
            for (size_t i = 0; i < form->n && rc == 0; i++)
                rc = fl_rd_map_to_history(p, form->items[i]);
        } else {
            rc = fl_rd_map_to_history(p, form);
        }
        if (rc != 0)
            break;
        /* the maps of one top-level form are done with: reuse the memory */
        fl_arena_free(&arena);
    }
    fl_arena_free(&arena);
    return rc;
}

