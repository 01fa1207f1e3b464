/* loader.c — the loader's primitives: the JSON path and error of the
 * current key, typed getters with ranges, distributions, did-you-mean. */
#include "sim/scenario/loader.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Loader state: the file name, the error and the current JSON path ---- */


void ld_init(fl_ld *ld, const char *file, fl_error *err)
{
    ld->file = file;
    ld->err = err;
    ld->path[0] = '$';
    ld->path[1] = '\0';
    ld->plen = 1;
}

static void ld_append(fl_ld *ld, const char *text, size_t n)
{
    size_t room = sizeof ld->path - 1 - ld->plen;
    if (n > room)
        n = room;
    memcpy(ld->path + ld->plen, text, n);
    ld->plen += n;
    ld->path[ld->plen] = '\0';
}

static bool fl_is_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* Copies at most FL_SC_SHOW chars of user text, control chars and quotes
 * replaced, so messages stay on one line. */
const char *fl_show(char *buf, size_t cap, const char *s)
{
    size_t n = 0;
    for (; *s && n + 4 < cap && n < FL_SC_SHOW; s++)
        buf[n++] = ((unsigned char)*s < 0x20 || *s == '"' || *s == 0x7f) ? '?' : *s;
    if (*s && n + 4 <= cap) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

/* Appends ".key" (or ["key"] when the key is not an identifier). Returns a
 * mark for ld_pop. */
size_t ld_key(fl_ld *ld, const char *key)
{
    size_t mark = ld->plen;
    if (fl_is_ident(key)) {
        ld_append(ld, ".", 1);
        ld_append(ld, key, strlen(key));
    } else {
        char shown[64];
        fl_show(shown, sizeof shown, key);
        ld_append(ld, "[\"", 2);
        ld_append(ld, shown, strlen(shown));
        ld_append(ld, "\"]", 2);
    }
    return mark;
}

size_t ld_index(fl_ld *ld, size_t i)
{
    size_t mark = ld->plen;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "[%zu]", i);
    ld_append(ld, buf, (size_t)n);
    return mark;
}

void ld_pop(fl_ld *ld, size_t mark)
{
    ld->plen = mark;
    ld->path[mark] = '\0';
}


int ld_fail(fl_ld *ld, const char *fmt, ...)
{
    char what[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return fl_error_set(ld->err, "%s: %s: %s", ld->file, ld->path, what);
}

int ld_oom(fl_ld *ld)
{
    return fl_error_set(ld->err, "%s: out of memory", ld->file);
}

/* ---- Did you mean: optimal string alignment distance ------------------- */

static size_t fl_edit_distance(const char *a, const char *b)
{
    enum { MAXN = 64 };
    size_t la = strlen(a), lb = strlen(b);
    if (la >= MAXN || lb >= MAXN)
        return SIZE_MAX;
    size_t rows[3][MAXN + 1];
    size_t *pp = rows[0], *p = rows[1], *c = rows[2];
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb];
}

/* The closest of the NULL-terminated `cands`, if close enough to be a typo. */
const char *fl_suggest(const char *word, const char *const *cands)
{
    const char *best = NULL;
    size_t bestd = SIZE_MAX;
    for (; *cands; cands++) {
        size_t d = fl_edit_distance(word, *cands);
        size_t lw = strlen(word), lc = strlen(*cands);
        size_t len = lw > lc ? lw : lc;
        size_t limit = len <= 2 ? 0 : len <= 3 ? 1 : len <= 6 ? 2 : 3;
        if (d <= limit && d < lc && d < bestd) {
            best = *cands;
            bestd = d;
        }
    }
    return best;
}

void fl_join(char *buf, size_t cap, const char *const *names)
{
    size_t n = 0;
    buf[0] = '\0';
    for (; *names; names++) {
        int w = snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", *names);
        if (w < 0 || (size_t)w >= cap - n)
            return;
        n += (size_t)w;
    }
}

bool fl_in_list(const char *s, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(s, *names) == 0)
            return true;
    return false;
}

/* ---- Types and scalar values ------------------------------------------- */

const char *fl_type_name(const cJSON *j)
{
    if (cJSON_IsString(j)) return "a string";
    if (cJSON_IsNumber(j)) return "a number";
    if (cJSON_IsObject(j)) return "an object";
    if (cJSON_IsArray(j))  return "an array";
    if (cJSON_IsBool(j))   return "a boolean";
    if (cJSON_IsNull(j))   return "null";
    return "invalid";
}

static const char *fl_bound_text(fl_bound b)
{
    return b == FL_B_GE0 ? " >= 0" : b == FL_B_GT0 ? " > 0" : "";
}

int ld_check_keys(fl_ld *ld, const cJSON *obj, const char *const *allowed)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (fl_in_list(c->string, allowed))
            continue;
        ld_key(ld, c->string);
        const char *sug = fl_suggest(c->string, allowed);
        if (sug)
            return ld_fail(ld, "unknown key (did you mean \"%s\"?)", sug);
        char list[400];
        fl_join(list, sizeof list, allowed);
        return ld_fail(ld, "unknown key (expected one of: %s)", list);
    }
    return 0;
}

int ld_object(fl_ld *ld, const cJSON *j, const char *const *allowed)
{
    if (!cJSON_IsObject(j))
        return ld_fail(ld, "must be an object (got %s)", fl_type_name(j));
    return allowed ? ld_check_keys(ld, j, allowed) : 0;
}

int ld_number(fl_ld *ld, const cJSON *j, fl_bound b, double *out)
{
    if (!cJSON_IsNumber(j))
        return ld_fail(ld, "must be a number%s (got %s)", fl_bound_text(b),
                       fl_type_name(j));
    double v = j->valuedouble;
    if (!isfinite(v))
        return ld_fail(ld, "must be a finite number");
    if ((b == FL_B_GE0 && v < 0) || (b == FL_B_GT0 && v <= 0))
        return ld_fail(ld, "must be%s", fl_bound_text(b));
    *out = v;
    return 0;
}

/* Milliseconds in the file, nanoseconds in memory. */
int ld_time(fl_ld *ld, const cJSON *j, fl_bound b, fl_time *out)
{
    double v = 0;
    if (ld_number(ld, j, b, &v) < 0)
        return -1;
    if (fabs(v) > FL_SC_MAX_MS)
        return ld_fail(ld, "must be at most 1e12 ms in size");
    fl_time t = (fl_time)llround(v * 1e6);
    if (b == FL_B_GT0 && t <= 0)
        return ld_fail(ld, "must be > 0 (at least 0.000001 ms)");
    *out = t;
    return 0;
}

int ld_integer(fl_ld *ld, const cJSON *j, int64_t lo, int64_t hi,
                      int64_t *out)
{
    char range[80];
    if (hi == INT64_MAX)
        snprintf(range, sizeof range, ">= %lld", (long long)lo);
    else
        snprintf(range, sizeof range, "in [%lld, %lld]", (long long)lo,
                 (long long)hi);
    if (!cJSON_IsNumber(j))
        return ld_fail(ld, "must be an integer %s (got %s)", range,
                       fl_type_name(j));
    double v = j->valuedouble;
    if (!isfinite(v) || floor(v) != v || fabs(v) > 9e18)
        return ld_fail(ld, "must be an integer %s", range);
    int64_t i = (int64_t)v;
    if (i < lo || i > hi)
        return ld_fail(ld, "must be an integer %s", range);
    *out = i;
    return 0;
}

static int ld_prob(fl_ld *ld, const cJSON *j, double *out)
{
    if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble) ||
        j->valuedouble < 0 || j->valuedouble > 1)
        return ld_fail(ld, "must be a probability in [0, 1]");
    *out = j->valuedouble;
    return 0;
}

static int ld_bool(fl_ld *ld, const cJSON *j, bool *out)
{
    if (!cJSON_IsBool(j))
        return ld_fail(ld, "must be true or false (got %s)", fl_type_name(j));
    *out = cJSON_IsTrue(j);
    return 0;
}

/* A short name: 1..FL_NAME_MAX-1 bytes, no control characters. */
int ld_name(fl_ld *ld, const cJSON *j, char *out)
{
    if (!cJSON_IsString(j))
        return ld_fail(ld, "must be a string (got %s)", fl_type_name(j));
    size_t n = strlen(j->valuestring);
    if (n == 0 || n >= FL_NAME_MAX)
        return ld_fail(ld, "must be 1 to %d characters long", FL_NAME_MAX - 1);
    for (const char *p = j->valuestring; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return ld_fail(ld, "must not contain control characters");
    memcpy(out, j->valuestring, n + 1);
    return 0;
}

/* One of `names`; *out is its index. `what` names the thing in messages. */
static int ld_enum(fl_ld *ld, const cJSON *j, const char *what,
                   const char *const *names, int *out)
{
    char list[300];
    fl_join(list, sizeof list, names);
    if (!cJSON_IsString(j))
        return ld_fail(ld, "must be one of: %s (got %s)", list, fl_type_name(j));
    for (int i = 0; names[i]; i++)
        if (strcmp(j->valuestring, names[i]) == 0) {
            *out = i;
            return 0;
        }
    char shown[64];
    fl_show(shown, sizeof shown, j->valuestring);
    const char *sug = fl_suggest(j->valuestring, names);
    if (sug)
        return ld_fail(ld, "unknown %s \"%s\" (did you mean \"%s\"?)", what,
                       shown, sug);
    return ld_fail(ld, "unknown %s \"%s\" (expected one of: %s)", what, shown,
                   list);
}

/* ---- Keyed getters: -1 error, 0 absent (out untouched), 1 present ------- */

int ld_get(fl_ld *ld, const cJSON *obj, const char *key, bool required,
                  const cJSON **item, size_t *mark)
{
    *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    *mark = ld_key(ld, key);
    if (!*item) {
        if (required)
            return ld_fail(ld, "required key is missing");
        ld_pop(ld, *mark);
        return 0;
    }
    return 1;
}

FL_GETTER(get_bool, bool *, ld_bool(ld, j, out))
FL_GETTER(get_prob, double *, ld_prob(ld, j, out))
FL_GETTER(get_name, char *, ld_name(ld, j, out))
FL_GETTER(get_time_ge0, fl_time *, ld_time(ld, j, FL_B_GE0, out))
FL_GETTER(get_time_gt0, fl_time *, ld_time(ld, j, FL_B_GT0, out))
FL_GETTER(get_time_any, fl_time *, ld_time(ld, j, FL_B_ANY, out))
FL_GETTER(get_number_gt0, double *, ld_number(ld, j, FL_B_GT0, out))

int get_integer(fl_ld *ld, const cJSON *obj, const char *key,
                       bool required, int64_t lo, int64_t hi, int64_t *out)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, obj, key, required, &j, &m);
    if (r <= 0)
        return r;
    if (ld_integer(ld, j, lo, hi, out) < 0)
        return -1;
    ld_pop(ld, m);
    return 1;
}

int get_enum(fl_ld *ld, const cJSON *obj, const char *key, bool required,
                    const char *what, const char *const *names, int *out)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, obj, key, required, &j, &m);
    if (r <= 0)
        return r;
    if (ld_enum(ld, j, what, names, out) < 0)
        return -1;
    ld_pop(ld, m);
    return 1;
}

/* ---- Distributions ------------------------------------------------------ */

static const char *const fl_dist_names[] = {
    "constant", "uniform", "normal", "lognormal", "exponential", "pareto", NULL
};

/* Parameter keys per kind: a, then b (NULL if none), and their bounds. */
static const struct fl_dist_keys {
    const char *a, *b;
    fl_bound    ba, bb;
    bool        b_is_ms;
} fl_dist_keys[] = {
    [FL_DIST_CONSTANT]    = { "ms",        NULL,        FL_B_GE0, FL_B_ANY, false },
    [FL_DIST_UNIFORM]     = { "min_ms",    "max_ms",    FL_B_GE0, FL_B_GE0, true },
    [FL_DIST_NORMAL]      = { "mean_ms",   "stddev_ms", FL_B_GE0, FL_B_GE0, true },
    [FL_DIST_LOGNORMAL]   = { "median_ms", "sigma",     FL_B_GT0, FL_B_GE0, false },
    [FL_DIST_EXPONENTIAL] = { "mean_ms",   NULL,        FL_B_GT0, FL_B_ANY, false },
    [FL_DIST_PARETO]      = { "scale_ms",  "alpha",     FL_B_GT0, FL_B_GT0, false },
};

static int ld_dist_param(fl_ld *ld, const cJSON *obj, const char *key,
                         fl_bound b, bool is_ms, double *out)
{
    const cJSON *j;
    size_t m;
    if (ld_get(ld, obj, key, true, &j, &m) < 0 || ld_number(ld, j, b, out) < 0)
        return -1;
    if (is_ms && *out > FL_SC_MAX_MS)
        return ld_fail(ld, "must be at most 1e12 ms");
    ld_pop(ld, m);
    return 0;
}

/* A DIST: a bare number (constant ms) or {"dist": kind, ...}. */
static int ld_dist(fl_ld *ld, const cJSON *j, fl_dist *out)
{
    if (cJSON_IsNumber(j)) {
        out->kind = FL_DIST_CONSTANT;
        out->b = 0;
        if (ld_number(ld, j, FL_B_GE0, &out->a) < 0)
            return -1;
        if (out->a > FL_SC_MAX_MS)
            return ld_fail(ld, "must be at most 1e12 ms");
        return 0;
    }
    if (!cJSON_IsObject(j))
        return ld_fail(ld, "must be a number of ms or an object {\"dist\": ...} "
                           "(got %s)", fl_type_name(j));
    int kind = 0;
    if (get_enum(ld, j, "dist", true, "distribution", fl_dist_names, &kind) < 0)
        return -1;
    const struct fl_dist_keys *k = &fl_dist_keys[kind];
    const char *allowed[] = { "dist", k->a, k->b, NULL };
    if (ld_check_keys(ld, j, allowed) < 0)
        return -1;
    out->kind = (fl_dist_kind)kind;
    out->b = 0;
    if (ld_dist_param(ld, j, k->a, k->ba, true, &out->a) < 0)
        return -1;
    if (k->b && ld_dist_param(ld, j, k->b, k->bb, k->b_is_ms, &out->b) < 0)
        return -1;
    if (kind == FL_DIST_UNIFORM && out->b < out->a) {
        ld_key(ld, k->b);
        return ld_fail(ld, "must be >= min_ms");
    }
    return 0;
}

FL_GETTER(get_dist, fl_dist *, ld_dist(ld, j, out))

