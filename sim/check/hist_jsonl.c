/* hist_jsonl.c — faultline's JSON Lines histories, one op object per line,
 * read with cJSON (hist_read_impl.h). */
#include "sim/check/hist_read_impl.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- exact numbers ------------------------------------------------------------------ */

/* cJSON reads every number as a double, which holds integers exactly only
 * up to 2^53; so the number's own text is read instead. A cursor over the
 * line's text yields its number tokens in document order — the order in
 * which json_node meets cJSON's number nodes — skipping strings. (The
 * text is valid JSON: cJSON parsed it.) */
typedef struct json_nums {
    const char *s, *end;
} json_nums;

static bool next_number(json_nums *c, const char **tok, size_t *len)
{
    while (c->s < c->end) {
        char ch = *c->s;
        if (ch == '"') {
            for (c->s++; c->s < c->end && *c->s != '"'; c->s++)
                if (*c->s == '\\' && c->s + 1 < c->end)
                    c->s++;
            c->s++;
        } else if (ch == '-' || isdigit((unsigned char)ch)) {
            *tok = c->s;
            while (c->s < c->end && (strchr("+-.eE", *c->s) ||
                                     isdigit((unsigned char)*c->s)))
                c->s++;
            *len = (size_t)(c->s - *tok);
            return true;
        } else {
            c->s++;
        }
    }
    return false;
}

/* The integer a number token spells, exactly: integers are kept to all 64
 * bits, as in the EDN and etcd readers; a fraction, an exponent or more
 * than 64 bits is refused with the line, as there. */
static int exact_int(rd_pairer *p, json_nums *c, size_t line, int64_t *out)
{
    const char *tok;
    size_t len;
    if (!next_number(c, &tok, &len))
        return fl_rd_line_error(p, line, "internal error: a number was not "
                                "found in the text");
    char buf[64];
    if (len >= sizeof buf)
        return fl_rd_line_error(p, line, "integer out of range (a history "
                                "value must fit in 64 bits), found %.*s",
                                (int)len, tok);
    memcpy(buf, tok, len);
    buf[len] = '\0';
    if (strpbrk(buf, ".eE"))
        return fl_rd_line_error(p, line, "expected an integer, found %s",
                                buf);
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (errno == ERANGE)
        return fl_rd_line_error(p, line, "integer out of range (a history "
                                "value must fit in 64 bits), found %s", buf);
    if (*end != '\0' || errno)
        return fl_rd_line_error(p, line, "expected an integer, found %s",
                                buf);
    *out = v;
    return 0;
}

/* ---- JSON Lines --------------------------------------------------------------------- */

static int json_node(rd_pairer *p, fl_arena *a, json_nums *nums,
                     const cJSON *j, size_t line, rd_node **out)
{
    rd_node *n = fl_arena_alloc(a, sizeof *n);
    if (!n)
        return fl_rd_oom(p);
    n->line = line;
    *out = n;
    if (cJSON_IsNull(j)) {
        n->type = RD_NIL;
    } else if (cJSON_IsBool(j)) {
        n->type = RD_BOOL;
        n->i = cJSON_IsTrue(j);
    } else if (cJSON_IsNumber(j)) {
        n->type = RD_INT;
        if (exact_int(p, nums, line, &n->i) != 0)
            return -1;
    } else if (cJSON_IsString(j)) {
        n->type = RD_STR;
        n->s = j->valuestring;
        n->n = strlen(j->valuestring);
    } else {
        bool obj = cJSON_IsObject(j);
        int count = cJSON_GetArraySize(j);
        n->type = obj ? RD_MAP : RD_VEC;
        n->n = (size_t)count;
        n->items = fl_arena_alloc(a, ((size_t)count * 2 + 1) *
                                         sizeof *n->items);
        if (!n->items)
            return fl_rd_oom(p);
        size_t k = 0;
        for (const cJSON *c = j->child; c; c = c->next) {
            if (obj) {
                rd_node *key = fl_arena_alloc(a, sizeof *key);
                if (!key)
                    return fl_rd_oom(p);
                *key = (rd_node){ .type = RD_STR, .line = line,
                                  .s = c->string, .n = strlen(c->string) };
                n->items[k++] = key;
            }
            if (json_node(p, a, nums, c, line, &n->items[k++]) != 0)
                return -1;
        }
    }
    return 0;
}

static int json_line(rd_pairer *p, const char *s, size_t len, size_t line)
{
    cJSON *j = cJSON_ParseWithLength(s, len);
    if (!j)
        return fl_rd_line_error(p, line, "invalid JSON (expected one op object "
                          "per line)");
    fl_arena a;
    fl_arena_init(&a);
    rd_node *n = NULL;
    int rc = -1;
    if (!cJSON_IsObject(j))
        fl_rd_line_error(p, line, "expected a JSON object {\"process\": ..., "
                   "\"type\": ..., \"f\": ...}");
    else if (json_node(p, &a, &(json_nums){ s, s + len }, j, line, &n) == 0)
        rc = fl_rd_map_to_history(p, n);
    fl_arena_free(&a);
    cJSON_Delete(j);
    return rc;
}

bool fl_rd_blank(const char *s, const char *end)
{
    for (; s < end; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

int fl_rd_read_jsonl(rd_pairer *p, const char *text, size_t len)
{
    const char *s = text, *end = text + len;
    for (size_t line = 1; s < end; line++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        if (!fl_rd_blank(s, eol) && json_line(p, s, (size_t)(eol - s), line) != 0)
            return -1;
        s = nl ? nl + 1 : end;
    }
    return 0;
}

