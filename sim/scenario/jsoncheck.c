/* jsoncheck.c — duplicate keys, UTF-8 and sizes (see jsoncheck.h). */
#include "sim/scenario/jsoncheck.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/hash.h"

bool fl_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) { i++; continue; }
        if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; min = 0x10000; }
        else return false;
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

size_t fl_utf8_prefix(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;        /* s[n], the first byte left out, continues a sequence */
    return n;
}

/* The length of the valid UTF-8 sequence at s[0..n), or 0 if there is none. */
static size_t utf8_seq(const char *s, size_t n)
{
    unsigned c = (unsigned char)s[0];
    size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
               : (c & 0xf8) == 0xf0 ? 4 : 0;
    return len && len <= n && fl_utf8_valid(s, len) ? len : 0;
}

char *fl_utf8_clean(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1);     /* U+FFFD is 3 bytes */
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_seq(s + i, n - i);
        if (len) {
            memcpy(out + o, s + i, len);
            o += len;
            i += len;
        } else {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

cJSON *fl_json_add_text(cJSON *obj, const char *key, const char *s)
{
    char *clean = fl_utf8_clean(s ? s : "");
    cJSON *item = clean ? cJSON_AddStringToObject(obj, key, clean) : NULL;
    free(clean);
    return item;
}

typedef struct walk {
    char  *path;
    size_t cap, len;
    char  *what;
    size_t whatlen;
} walk;

static void push(walk *w, size_t *mark, const char *fmt, const char *key, size_t idx)
{
    *mark = w->len;
    if (w->len >= w->cap)
        return;
    int n = key ? snprintf(w->path + w->len, w->cap - w->len, fmt, key)
                : snprintf(w->path + w->len, w->cap - w->len, fmt, idx);
    if (n > 0)
        w->len = w->len + (size_t)n < w->cap ? w->len + (size_t)n : w->cap - 1;
}

static int fail(walk *w, const char *what)
{
    snprintf(w->what, w->whatlen, "%s", what);
    return -1;
}

/* Linear duplicate detection: an open-addressing set of the keys. */
static int no_duplicates(walk *w, const cJSON *obj, size_t n)
{
    if (n < 2)
        return 0;
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    const char **set = calloc(cap, sizeof *set);
    if (!set)
        return fail(w, "out of memory");
    int rc = 0;
    for (const cJSON *c = obj->child; c && rc == 0; c = c->next) {
        size_t h = (size_t)fl_fnv1a_str(FL_FNV_OFFSET, c->string) & (cap - 1);
        while (set[h] && strcmp(set[h], c->string) != 0)
            h = (h + 1) & (cap - 1);
        if (set[h]) {
            size_t m;
            push(w, &m, ".%.60s", c->string, 0);
            rc = fail(w, "duplicate key (each key may appear once)");
        }
        set[h] = c->string;
    }
    free(set);
    return rc;
}

static int check(walk *w, const cJSON *j)
{
    if (cJSON_IsString(j) && j->valuestring &&
        !fl_utf8_valid(j->valuestring, strlen(j->valuestring)))
        return fail(w, "not valid UTF-8 (strings must be UTF-8 text)");
    if (!cJSON_IsObject(j) && !cJSON_IsArray(j))
        return 0;
    size_t n = 0;
    for (const cJSON *c = j->child; c; c = c->next)
        n++;
    if (n > FL_JSON_MAX_MEMBERS) {
        char what[128];
        snprintf(what, sizeof what, "%zu members: at most %d in one %s", n,
                 FL_JSON_MAX_MEMBERS, cJSON_IsObject(j) ? "object" : "array");
        return fail(w, what);
    }
    size_t i = 0;
    for (const cJSON *c = j->child; c; c = c->next, i++) {
        size_t mark;
        if (cJSON_IsObject(j)) {
            if (!fl_utf8_valid(c->string, strlen(c->string)))
                return fail(w, "a key that is not valid UTF-8");
            push(w, &mark, ".%.60s", c->string, 0);
        } else {
            push(w, &mark, "[%zu]", NULL, i);
        }
        if (check(w, c) != 0)
            return -1;
        w->len = mark;
        w->path[mark] = '\0';
    }
    return cJSON_IsObject(j) ? no_duplicates(w, j, n) : 0;
}

int fl_json_check(const cJSON *root, char *path, size_t pathlen, char *what,
                  size_t whatlen)
{
    walk w = { path, pathlen, 0, what, whatlen };
    if (pathlen < 2)
        return -1;
    path[0] = '$';
    path[1] = '\0';
    w.len = 1;
    what[0] = '\0';
    return check(&w, root);
}
