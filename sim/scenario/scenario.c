/* scenario.c — the strict scenario loader (DESIGN.md "Scenario files").
 * Owns JSON text -> fl_scenario: every key, type and range is checked and
 * every error reads "FILE: $.json.path: what was expected" (with a
 * did-you-mean for misspelt keys and names). Also owns fl_scenario_bind,
 * the checks that need the algorithm (role names and order, params). */
#include "sim/scenario/scenario.h"
#include "sim/cli/suggest.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FL_SC_MAX_NODES   1024
#define FL_SC_MAX_ROLES   (sizeof ((fl_scenario *)0)->roles / sizeof(fl_role_count))
#define FL_SC_MAX_MS      1e12                 /* ~31 years: keeps ns in int64 */
#define FL_SC_MAX_FILE    ((size_t)16 << 20)
#define FL_SC_MAX_SEED    9007199254740992.0   /* 2^53: larger seeds as strings */
#define FL_SC_MAX_DRIFT   500000
#define FL_SC_SHOW        48                   /* chars of user text in messages */

/* ---- Loader state: the file name, the error and the current JSON path ---- */

typedef struct fl_ld {
    const char *file;
    fl_error   *err;
    size_t      plen;
    char        path[512];
} fl_ld;

typedef enum fl_bound { FL_B_ANY, FL_B_GE0, FL_B_GT0 } fl_bound;

static void ld_init(fl_ld *ld, const char *file, fl_error *err)
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
static const char *fl_show(char *buf, size_t cap, const char *s)
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
static size_t ld_key(fl_ld *ld, const char *key)
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

static size_t ld_index(fl_ld *ld, size_t i)
{
    size_t mark = ld->plen;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "[%zu]", i);
    ld_append(ld, buf, (size_t)n);
    return mark;
}

static void ld_pop(fl_ld *ld, size_t mark)
{
    ld->plen = mark;
    ld->path[mark] = '\0';
}

static int ld_fail(fl_ld *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int ld_fail(fl_ld *ld, const char *fmt, ...)
{
    char what[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return fl_error_set(ld->err, "%s: %s: %s", ld->file, ld->path, what);
}

static int ld_oom(fl_ld *ld)
{
    return fl_error_set(ld->err, "%s: out of memory", ld->file);
}

static bool fl_in_list(const char *s, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(s, *names) == 0)
            return true;
    return false;
}

/* ---- Types and scalar values ------------------------------------------- */

static const char *fl_type_name(const cJSON *j)
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

static int ld_check_keys(fl_ld *ld, const cJSON *obj, const char *const *allowed)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (fl_in_list(c->string, allowed))
            continue;
        ld_key(ld, c->string);
        const char *sug = fl_suggest(c->string, allowed);
        if (sug)
            return ld_fail(ld, "unknown key (did you mean \"%s\"?)", sug);
        char list[400];
        fl_suggest_join(list, sizeof list, allowed);
        return ld_fail(ld, "unknown key (expected one of: %s)", list);
    }
    return 0;
}

static int ld_object(fl_ld *ld, const cJSON *j, const char *const *allowed)
{
    if (!cJSON_IsObject(j))
        return ld_fail(ld, "must be an object (got %s)", fl_type_name(j));
    return allowed ? ld_check_keys(ld, j, allowed) : 0;
}

static int ld_number(fl_ld *ld, const cJSON *j, fl_bound b, double *out)
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
static int ld_time(fl_ld *ld, const cJSON *j, fl_bound b, fl_time *out)
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

static int ld_integer(fl_ld *ld, const cJSON *j, int64_t lo, int64_t hi,
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
static int ld_name(fl_ld *ld, const cJSON *j, char *out)
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
    fl_suggest_join(list, sizeof list, names);
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

static int ld_get(fl_ld *ld, const cJSON *obj, const char *key, bool required,
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

#define FL_GETTER(fn_name, out_type, call)                                  \
    static int fn_name(fl_ld *ld, const cJSON *obj, const char *key,       \
                       bool required, out_type out)                        \
    {                                                                       \
        const cJSON *j;                                                     \
        size_t m;                                                           \
        int r = ld_get(ld, obj, key, required, &j, &m);                     \
        if (r <= 0)                                                         \
            return r;                                                       \
        if ((call) < 0)                                                     \
            return -1;                                                      \
        ld_pop(ld, m);                                                      \
        return 1;                                                           \
    }

FL_GETTER(get_bool, bool *, ld_bool(ld, j, out))
FL_GETTER(get_prob, double *, ld_prob(ld, j, out))
FL_GETTER(get_name, char *, ld_name(ld, j, out))
FL_GETTER(get_time_ge0, fl_time *, ld_time(ld, j, FL_B_GE0, out))
FL_GETTER(get_time_gt0, fl_time *, ld_time(ld, j, FL_B_GT0, out))
FL_GETTER(get_time_any, fl_time *, ld_time(ld, j, FL_B_ANY, out))
FL_GETTER(get_number_gt0, double *, ld_number(ld, j, FL_B_GT0, out))

static int get_integer(fl_ld *ld, const cJSON *obj, const char *key,
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

static int get_enum(fl_ld *ld, const cJSON *obj, const char *key, bool required,
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

/* ---- Node selectors --------------------------------------------------- */

size_t fl_scenario_node_count(const fl_scenario *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nroles; i++)
        n += s->roles[i].count;
    return n;
}

int32_t fl_scenario_role_base(const fl_scenario *s, const char *role,
                              size_t *count)
{
    size_t base = 0;
    for (size_t i = 0; i < s->nroles; i++) {
        if (strcmp(s->roles[i].role, role) == 0) {
            if (count)
                *count = s->roles[i].count;
            return (int32_t)base;
        }
        base += s->roles[i].count;
    }
    if (count)
        *count = 0;
    return -1;
}

static const fl_role_count *fl_find_role(const fl_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->nroles; i++)
        if (strcmp(s->roles[i].role, name) == 0)
            return &s->roles[i];
    return NULL;
}

static int ld_node_id(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                      int32_t *out)
{
    int64_t v = 0;
    size_t n = fl_scenario_node_count(s);
    if (!cJSON_IsNumber(j) || ld_integer(ld, j, 0, INT64_MAX, &v) < 0)
        return ld_fail(ld, "must be a node id (an integer in [0, %zu))", n);
    if ((size_t)v >= n)
        return ld_fail(ld, "node %lld does not exist (the scenario has %zu "
                           "nodes: 0..%zu)", (long long)v, n, n - 1);
    *out = (int32_t)v;
    return 0;
}

static int ld_sel_role_index(fl_ld *ld, const char *text, const char *colon,
                             const fl_scenario *s, fl_selector *out)
{
    char role[FL_NAME_MAX], shown[64];
    size_t rlen = (size_t)(colon - text);
    if (rlen == 0 || rlen >= FL_NAME_MAX)
        return ld_fail(ld, "\"%s\" is not a selector (expected \"ROLE:INDEX\")",
                       fl_show(shown, sizeof shown, text));
    memcpy(role, text, rlen);
    role[rlen] = '\0';
    const char *digits = colon + 1;
    size_t nd = strlen(digits);
    if (nd == 0 || nd > 9 || strspn(digits, "0123456789") != nd)
        return ld_fail(ld, "\"%s\" is not a selector (expected \"ROLE:INDEX\", "
                           "e.g. \"client:1\")", fl_show(shown, sizeof shown, text));
    const fl_role_count *rc = fl_find_role(s, role);
    if (!rc)
        return ld_fail(ld, "\"%s\": the scenario has no role \"%s\"",
                       fl_show(shown, sizeof shown, text), role);
    long idx = strtol(digits, NULL, 10);
    if ((size_t)idx >= rc->count)
        return ld_fail(ld, "\"%s\" does not exist (role \"%s\" has %zu nodes)",
                       fl_show(shown, sizeof shown, text), role, rc->count);
    out->kind = FL_SEL_ROLE_INDEX;
    out->index = (int32_t)idx;
    memcpy(out->role, role, rlen + 1);
    return 0;
}

static int ld_sel_string(fl_ld *ld, const char *text, const fl_scenario *s,
                         bool allow_rest, fl_selector *out)
{
    static const struct { const char *word; fl_sel_kind kind; } words[] = {
        { "leader", FL_SEL_LEADER }, { "crashed", FL_SEL_CRASHED },
        { "random", FL_SEL_RANDOM }, { "rest", FL_SEL_REST },
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(text, words[i].word) == 0) {
            if (words[i].kind == FL_SEL_REST && !allow_rest)
                return ld_fail(ld, "\"rest\" is only allowed in partition groups");
            out->kind = words[i].kind;
            return 0;
        }
    const char *colon = strchr(text, ':');
    if (colon)
        return ld_sel_role_index(ld, text, colon, s, out);
    const fl_role_count *rc = fl_find_role(s, text);
    if (rc) {
        if (rc->count == 0)
            return ld_fail(ld, "role \"%s\" has no nodes", text);
        out->kind = FL_SEL_ROLE;
        memcpy(out->role, rc->role, sizeof out->role);
        return 0;
    }
    const char *cands[16];
    size_t nc = 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (allow_rest || words[i].kind != FL_SEL_REST)
            cands[nc++] = words[i].word;
    for (size_t i = 0; i < s->nroles; i++)
        cands[nc++] = s->roles[i].role;
    cands[nc] = NULL;
    char shown[64];
    const char *sug = fl_suggest(text, cands);
    if (sug)
        return ld_fail(ld, "unknown selector \"%s\" (did you mean \"%s\"?)",
                       fl_show(shown, sizeof shown, text), sug);
    return ld_fail(ld, "unknown selector \"%s\" (expected a node id, \"leader\", "
                       "\"crashed\", \"random\", a role or \"ROLE:INDEX\")",
                   fl_show(shown, sizeof shown, text));
}

static int ld_selector(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                       bool allow_rest, fl_selector *out)
{
    memset(out, 0, sizeof *out);
    out->index = -1;
    if (cJSON_IsNumber(j)) {
        out->kind = FL_SEL_INDEX;
        return ld_node_id(ld, j, s, &out->index);
    }
    if (!cJSON_IsString(j))
        return ld_fail(ld, "must be a node selector: a node id or a string "
                           "(got %s)", fl_type_name(j));
    return ld_sel_string(ld, j->valuestring, s, allow_rest, out);
}

static int get_selector(fl_ld *ld, const cJSON *obj, const char *key,
                        const fl_scenario *s, fl_selector *out)
{
    const cJSON *j;
    size_t m;
    if (ld_get(ld, obj, key, true, &j, &m) < 0 ||
        ld_selector(ld, j, s, false, out) < 0)
        return -1;
    ld_pop(ld, m);
    return 1;
}

/* ---- Top-level scalars: name, seed, duration ---------------------------- */

static int ld_seed_string(fl_ld *ld, const char *text, uint64_t *out)
{
    char shown[64];
    const char *digits = text;
    int base = 10;
    size_t maxd = 20;
    const char *set = "0123456789";
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        digits = text + 2;
        base = 16;
        maxd = 16;
        set = "0123456789abcdefABCDEF";
    }
    size_t nd = strlen(digits);
    if (nd == 0 || nd > maxd || strspn(digits, set) != nd)
        return ld_fail(ld, "\"%s\" is not a seed (expected an integer >= 0, "
                           "\"0x\" and up to 16 hex digits, or a decimal string)",
                       fl_show(shown, sizeof shown, text));
    errno = 0;
    unsigned long long v = strtoull(digits, NULL, base);
    if (errno == ERANGE)
        return ld_fail(ld, "\"%s\" does not fit in 64 bits",
                       fl_show(shown, sizeof shown, text));
    *out = (uint64_t)v;
    return 0;
}

static int parse_seed(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "seed", false, &j, &m);
    if (r <= 0)
        return r;
    if (cJSON_IsString(j)) {
        if (ld_seed_string(ld, j->valuestring, &s->seed) < 0)
            return -1;
    } else if (cJSON_IsNumber(j)) {
        int64_t v = 0;
        if (ld_integer(ld, j, 0, INT64_MAX, &v) < 0)
            return -1;
        if ((double)v > FL_SC_MAX_SEED)
            return ld_fail(ld, "integers above 2^53 lose precision in JSON; "
                               "write the seed as a string, e.g. \"0x...\"");
        s->seed = (uint64_t)v;
    } else {
        return ld_fail(ld, "must be an integer >= 0 or a string (got %s)",
                       fl_type_name(j));
    }
    s->has_seed = true;
    ld_pop(ld, m);
    return 1;
}

static int parse_description(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "description", false, &j, &m);
    if (r < 0)
        return -1;
    if (r && !cJSON_IsString(j))
        return ld_fail(ld, "must be a string (got %s)", fl_type_name(j));
    s->description = strdup(r ? j->valuestring : "");
    if (!s->description)
        return ld_oom(ld);
    if (r)
        ld_pop(ld, m);
    return 0;
}

/* ---- Nodes and roles ---------------------------------------------------- */

static const char *const fl_reserved_words[] = {
    "leader", "crashed", "random", "rest", NULL
};

static int ld_role_name(fl_ld *ld, const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= FL_NAME_MAX)
        return ld_fail(ld, "a role name must be 1 to %d characters long",
                       FL_NAME_MAX - 1);
    bool ok = name[0] >= 'a' && name[0] <= 'z';
    for (const char *p = name; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
             *p == '_' || *p == '-';
    if (!ok)
        return ld_fail(ld, "a role name must match [a-z][a-z0-9_-]*");
    if (fl_in_list(name, fl_reserved_words))
        return ld_fail(ld, "\"%s\" is a selector word, not a role name", name);
    return 0;
}

static void fl_add_role(fl_scenario *s, const char *name, size_t count)
{
    fl_role_count *r = &s->roles[s->nroles++];
    memset(r, 0, sizeof *r);
    snprintf(r->role, sizeof r->role, "%s", name);
    r->count = count;
}

/* workload.clients, read before "nodes" because the integer form of "nodes"
 * adds that many client nodes. */
static int peek_clients(fl_ld *ld, const cJSON *root, int64_t *clients)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "workload");
    *clients = -1;
    if (!cJSON_IsObject(w))
        return 0;
    size_t m = ld_key(ld, "workload");
    if (get_integer(ld, w, "clients", false, 0, FL_SC_MAX_NODES, clients) < 0)
        return -1;
    ld_pop(ld, m);
    return 0;
}

static int parse_nodes_object(fl_ld *ld, const cJSON *j, fl_scenario *s,
                              int64_t clients)
{
    int64_t nclient = -1;
    if (cJSON_GetArraySize(j) > (int)FL_SC_MAX_ROLES)
        return ld_fail(ld, "at most %zu roles (got %d)", FL_SC_MAX_ROLES,
                       cJSON_GetArraySize(j));
    for (const cJSON *c = j->child; c; c = c->next) {
        size_t m = ld_key(ld, c->string);
        int64_t count = 0;
        if (ld_role_name(ld, c->string) < 0 ||
            ld_integer(ld, c, 0, FL_SC_MAX_NODES, &count) < 0)
            return -1;
        if (strcmp(c->string, "client") == 0) {
            if (clients >= 0 && count != clients)
                return ld_fail(ld, "must equal $.workload.clients (%lld)",
                               (long long)clients);
            nclient = count;
        } else {
            fl_add_role(s, c->string, (size_t)count);
        }
        ld_pop(ld, m);
    }
    if (nclient < 0)
        nclient = clients;
    if (nclient > 0 || cJSON_GetObjectItemCaseSensitive(j, "client")) {
        if (s->nroles >= FL_SC_MAX_ROLES)
            return ld_fail(ld, "no room for the \"client\" role (at most %zu "
                               "roles)", FL_SC_MAX_ROLES);
        fl_add_role(s, "client", (size_t)nclient);
    }
    s->workload.clients = nclient > 0 ? (size_t)nclient : 0;
    return 0;
}

static int parse_nodes(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    int64_t clients = 0;
    if (peek_clients(ld, root, &clients) < 0)
        return -1;
    const cJSON *j;
    size_t m;
    if (ld_get(ld, root, "nodes", true, &j, &m) < 0)
        return -1;
    if (cJSON_IsObject(j)) {
        if (parse_nodes_object(ld, j, s, clients) < 0)
            return -1;
    } else if (cJSON_IsNumber(j)) {
        int64_t n = 0;
        if (ld_integer(ld, j, 1, FL_SC_MAX_NODES, &n) < 0)
            return -1;
        fl_add_role(s, "server", (size_t)n);
        if (clients > 0)
            fl_add_role(s, "client", (size_t)clients);
        s->workload.clients = clients > 0 ? (size_t)clients : 0;
    } else {
        return ld_fail(ld, "must be an integer >= 1 or an object "
                           "{\"role\": count, ...} (got %s)", fl_type_name(j));
    }
    size_t total = fl_scenario_node_count(s);
    if (total < 1 || total > FL_SC_MAX_NODES)
        return ld_fail(ld, "must add up to 1..%d nodes, clients included (got %zu)",
                       FL_SC_MAX_NODES, total);
    ld_pop(ld, m);
    return 0;
}

/* ---- Network, links, disk ----------------------------------------------- */

/* latency / drop / duplicate, shared by "network", "links" and link faults.
 * Returns how many of the three were given, or -1. */
static int ld_link_spec(fl_ld *ld, const cJSON *obj, fl_link_spec *spec)
{
    int a = get_dist(ld, obj, "latency", false, &spec->latency);
    if (a < 0)
        return -1;
    int b = get_prob(ld, obj, "drop", false, &spec->drop);
    if (b < 0)
        return -1;
    int c = get_prob(ld, obj, "duplicate", false, &spec->duplicate);
    if (c < 0)
        return -1;
    spec->has_latency = a > 0;
    spec->has_drop = b > 0;
    spec->has_duplicate = c > 0;
    return a + b + c;
}

static int parse_network(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    static const char *const keys[] = { "latency", "drop", "duplicate", "fifo", NULL };
    fl_network_spec *n = &s->network;
    n->base.latency = (fl_dist){ FL_DIST_CONSTANT, 1, 0 };
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "network", false, &j, &m);
    if (r < 0)
        return -1;
    if (r) {
        if (ld_object(ld, j, keys) < 0 || ld_link_spec(ld, j, &n->base) < 0 ||
            get_bool(ld, j, "fifo", false, &n->fifo) < 0)
            return -1;
        ld_pop(ld, m);
    }
    n->base.has_latency = n->base.has_drop = n->base.has_duplicate = true;
    return 0;
}

static int parse_link(fl_ld *ld, const cJSON *j, fl_scenario *s, size_t i)
{
    static const char *const keys[] = {
        "from", "to", "latency", "drop", "duplicate", NULL
    };
    struct fl_link_override *o = &s->links[i];
    if (ld_object(ld, j, keys) < 0)
        return -1;
    const char *ends[2] = { "from", "to" };
    int32_t *ids[2] = { &o->from, &o->to };
    for (int e = 0; e < 2; e++) {
        const cJSON *v;
        size_t m;
        if (ld_get(ld, j, ends[e], true, &v, &m) < 0 ||
            ld_node_id(ld, v, s, ids[e]) < 0)
            return -1;
        ld_pop(ld, m);
    }
    int given = ld_link_spec(ld, j, &o->spec);
    if (given < 0)
        return -1;
    if (given == 0)
        return ld_fail(ld, "a link override needs at least one of latency, "
                           "drop, duplicate");
    for (size_t k = 0; k < i; k++)
        if (s->links[k].from == o->from && s->links[k].to == o->to)
            return ld_fail(ld, "link %d -> %d is already overridden at "
                               "$.links[%zu]", o->from, o->to, k);
    return 0;
}

static int parse_links(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "links", false, &j, &m);
    if (r <= 0)
        return r;
    if (!cJSON_IsArray(j))
        return ld_fail(ld, "must be an array (got %s)", fl_type_name(j));
    size_t n = (size_t)cJSON_GetArraySize(j);
    if (n) {
        s->links = calloc(n, sizeof *s->links);
        if (!s->links)
            return ld_oom(ld);
    }
    size_t i = 0;
    for (const cJSON *c = j->child; c; c = c->next, i++) {
        size_t mi = ld_index(ld, i);
        if (parse_link(ld, c, s, i) < 0)
            return -1;
        s->nlinks = i + 1;
        ld_pop(ld, mi);
    }
    ld_pop(ld, m);
    return 0;
}

static int parse_disk(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    static const char *const keys[] = { "sync", "torn_writes", NULL };
    s->disk.sync = (fl_dist){ FL_DIST_CONSTANT, 1, 0 };
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "disk", false, &j, &m);
    if (r <= 0)
        return r;
    if (ld_object(ld, j, keys) < 0 ||
        get_dist(ld, j, "sync", false, &s->disk.sync) < 0 ||
        get_bool(ld, j, "torn_writes", false, &s->disk.torn_writes) < 0)
        return -1;
    ld_pop(ld, m);
    return 0;
}

/* ---- Workload ------------------------------------------------------------ */

static const char *const fl_model_names[] = {
    "none", "register", "kv", "counter", "lock", NULL
};

/* Indexed by fl_op_kind. */
static const char *const fl_op_names[] = {
    "read", "write", "cas", "add", "acquire", "release", NULL
};

/* Which ops each model allows (bit per fl_op_kind); none allows all. */
static unsigned fl_model_ops(fl_model_kind m)
{
    switch (m) {
    case FL_MODEL_REGISTER:
    case FL_MODEL_KV:
        return (1u << FL_OP_READ) | (1u << FL_OP_WRITE) | (1u << FL_OP_CAS);
    case FL_MODEL_COUNTER:
        return (1u << FL_OP_READ) | (1u << FL_OP_ADD);
    case FL_MODEL_LOCK:
        return (1u << FL_OP_ACQUIRE) | (1u << FL_OP_RELEASE);
    case FL_MODEL_NONE:
        break;
    }
    return (1u << FL_OP_KIND_COUNT) - 1;
}

static void fl_default_mix(fl_model_kind m, double *mix)
{
    for (int i = 0; i < FL_OP_KIND_COUNT; i++)
        mix[i] = 0;
    switch (m) {
    case FL_MODEL_REGISTER:
    case FL_MODEL_KV:
        mix[FL_OP_READ] = 0.5;
        mix[FL_OP_WRITE] = 0.4;
        mix[FL_OP_CAS] = 0.1;
        break;
    case FL_MODEL_COUNTER:
        mix[FL_OP_READ] = 0.5;
        mix[FL_OP_ADD] = 0.5;
        break;
    case FL_MODEL_LOCK:
        mix[FL_OP_ACQUIRE] = 0.5;
        mix[FL_OP_RELEASE] = 0.5;
        break;
    case FL_MODEL_NONE:
        break;
    }
}

static int parse_mix(fl_ld *ld, const cJSON *w, fl_workload_spec *wl)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, w, "mix", false, &j, &m);
    if (r <= 0)
        return r;
    if (ld_object(ld, j, fl_op_names) < 0)
        return -1;
    unsigned allowed = fl_model_ops(wl->model);
    double total = 0;
    for (int op = 0; op < FL_OP_KIND_COUNT; op++) {
        wl->mix[op] = 0;
        const cJSON *v;
        size_t mo;
        int got = ld_get(ld, j, fl_op_names[op], false, &v, &mo);
        if (got <= 0)
            continue;
        if (!(allowed & (1u << op)))
            return ld_fail(ld, "\"%s\" is not an operation of model \"%s\"",
                           fl_op_names[op], fl_model_names[wl->model]);
        if (ld_number(ld, v, FL_B_GE0, &wl->mix[op]) < 0)
            return -1;
        total += wl->mix[op];
        ld_pop(ld, mo);
    }
    if (!(total > 0))
        return ld_fail(ld, "the weights must not all be 0");
    ld_pop(ld, m);
    return 1;
}

static int parse_workload_times(fl_ld *ld, const cJSON *w, fl_scenario *s)
{
    fl_workload_spec *wl = &s->workload;
    if (get_time_gt0(ld, w, "timeout_ms", false, &wl->timeout) < 0 ||
        get_time_gt0(ld, w, "retry_ms", false, &wl->retry) < 0 ||
        get_time_ge0(ld, w, "start_ms", false, &wl->start) < 0 ||
        get_time_ge0(ld, w, "stop_ms", false, &wl->stop) < 0)
        return -1;
    if (wl->start > s->duration) {
        ld_key(ld, "start_ms");
        return ld_fail(ld, "must be <= duration_ms (%g)", (double)s->duration / 1e6);
    }
    if (wl->stop > s->duration) {
        ld_key(ld, "stop_ms");
        return ld_fail(ld, "must be <= duration_ms (%g)", (double)s->duration / 1e6);
    }
    if (wl->stop < wl->start) {
        ld_key(ld, "stop_ms");
        return ld_fail(ld, "must be >= start_ms");
    }
    return 0;
}

/* Counter deltas: "add_min" and "add_max" (decrements when negative). */
static int parse_add_range(fl_ld *ld, const cJSON *j, fl_workload_spec *wl)
{
    const int64_t lim = 1000000;
    if (get_integer(ld, j, "add_min", false, -lim, lim, &wl->add_min) < 0 ||
        get_integer(ld, j, "add_max", false, -lim, lim, &wl->add_max) < 0)
        return -1;
    if (wl->add_min > wl->add_max) {
        ld_key(ld, "add_max");
        return ld_fail(ld, "must be >= add_min (%lld)", (long long)wl->add_min);
    }
    return 0;
}

static int parse_workload(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    static const char *const keys[] = {
        "clients", "rate_per_s", "model", "keys", "mix", "timeout_ms",
        "retry_ms", "start_ms", "stop_ms", "add_min", "add_max", NULL
    };
    fl_workload_spec *wl = &s->workload;   /* clients: set by parse_nodes */
    wl->rate_per_s = 10;
    wl->add_min = 1;
    wl->add_max = 5;
    wl->timeout = FL_MS(1000);
    wl->retry = FL_MS(200);
    wl->start = 0;
    wl->stop = s->duration;
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "workload", false, &j, &m);
    if (r < 0 || (r && ld_object(ld, j, keys) < 0))
        return -1;
    int model = wl->clients > 0 ? FL_MODEL_KV : FL_MODEL_NONE;
    int64_t keys_n = -1;
    if (r && (get_number_gt0(ld, j, "rate_per_s", false, &wl->rate_per_s) < 0 ||
              get_enum(ld, j, "model", false, "model", fl_model_names, &model) < 0 ||
              get_integer(ld, j, "keys", false, 1, UINT32_MAX, &keys_n) < 0))
        return -1;
    wl->model = (fl_model_kind)model;
    if (keys_n < 0)
        keys_n = wl->model == FL_MODEL_KV ? 5 : 1;
    if (wl->model == FL_MODEL_REGISTER && keys_n != 1) {
        ld_key(ld, "keys");
        return ld_fail(ld, "must be 1 for model \"register\" (use \"kv\" for "
                           "several keys)");
    }
    wl->keys = (uint32_t)keys_n;
    fl_default_mix(wl->model, wl->mix);
    if (r && (parse_mix(ld, j, wl) < 0 || parse_workload_times(ld, j, s) < 0 ||
              parse_add_range(ld, j, wl) < 0))
        return -1;
    if (r)
        ld_pop(ld, m);
    return 0;
}

/* ---- Faults --------------------------------------------------------------- */

static const char *const fl_fault_names[] = {
    "partition", "heal", "link", "crash", "restart", "pause", "resume",
    "clock", "nemesis", NULL
};

static const char *const fl_nemesis_names[] = {
    "random-crash", "random-partition", "random-pause", NULL
};

static const char *const *fl_fault_keys(fl_fault_kind k)
{
    static const char *const partition[] = { "type", "at_ms", "groups", NULL };
    static const char *const heal[] = { "type", "at_ms", NULL };
    static const char *const link[] = {
        "type", "at_ms", "from", "to", "symmetric", "drop", "latency",
        "duplicate", NULL
    };
    static const char *const crash[] = { "type", "at_ms", "node", "torn", NULL };
    static const char *const node[] = { "type", "at_ms", "node", NULL };
    static const char *const pause[] = {
        "type", "at_ms", "node", "duration_ms", NULL
    };
    static const char *const clock[] = {
        "type", "at_ms", "node", "skew_ms", "drift_ppm", NULL
    };
    static const char *const nemesis[] = {
        "type", "at_ms", "kind", "every_ms", "down_ms", "max_down", "until_ms",
        NULL
    };
    switch (k) {
    case FL_FAULT_PARTITION: return partition;
    case FL_FAULT_HEAL:      return heal;
    case FL_FAULT_LINK:      return link;
    case FL_FAULT_CRASH:     return crash;
    case FL_FAULT_RESTART:
    case FL_FAULT_RESUME:    return node;
    case FL_FAULT_PAUSE:     return pause;
    case FL_FAULT_CLOCK:     return clock;
    case FL_FAULT_NEMESIS:   return nemesis;
    }
    return heal;
}

static bool fl_sel_same(const fl_selector *a, const fl_selector *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case FL_SEL_INDEX:      return a->index == b->index;
    case FL_SEL_ROLE_INDEX: return a->index == b->index && !strcmp(a->role, b->role);
    case FL_SEL_ROLE:       return !strcmp(a->role, b->role);
    case FL_SEL_REST:       return true;
    default:                return false;   /* leader twice: left to the engine */
    }
}

/* Fails if `sel` repeats a member already in groups [0..g] of `f`. */
static int ld_group_unique(fl_ld *ld, const fl_fault *f, size_t g, size_t k,
                           const fl_selector *sel)
{
    for (size_t gi = 0; gi <= g; gi++)
        for (size_t i = 0; i < (gi == g ? k : f->group_len[gi]); i++)
            if (fl_sel_same(&f->groups[gi][i], sel))
                return ld_fail(ld, "already in groups[%zu] (a node can be in "
                                   "only one group)", gi);
    return 0;
}

static int parse_group(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                       fl_fault *f, size_t g)
{
    if (cJSON_IsString(j) && strcmp(j->valuestring, "rest") == 0) {
        fl_selector rest = { .kind = FL_SEL_REST, .index = -1 };
        if (ld_group_unique(ld, f, g, 0, &rest) < 0)
            return -1;
        f->groups[g][0] = rest;
        f->group_len[g] = 1;
        return 0;
    }
    int n = cJSON_GetArraySize(j);
    if (!cJSON_IsArray(j) || n < 1 || n > FL_MAX_GROUP_MEMBERS)
        return ld_fail(ld, "a group must be \"rest\" or an array of 1 to %d "
                           "node selectors", FL_MAX_GROUP_MEMBERS);
    size_t k = 0;
    for (const cJSON *c = j->child; c; c = c->next, k++) {
        size_t m = ld_index(ld, k);
        fl_selector *sel = &f->groups[g][k];
        if (ld_selector(ld, c, s, true, sel) < 0 ||
            ld_group_unique(ld, f, g, k, sel) < 0)
            return -1;
        ld_pop(ld, m);
    }
    f->group_len[g] = k;
    return 0;
}

static int parse_partition(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                           fl_fault *f)
{
    const cJSON *gs;
    size_t m;
    if (ld_get(ld, j, "groups", true, &gs, &m) < 0)
        return -1;
    int n = cJSON_GetArraySize(gs);
    if (!cJSON_IsArray(gs) || n < 2 || n > FL_MAX_GROUPS)
        return ld_fail(ld, "must be an array of 2 to %d groups", FL_MAX_GROUPS);
    size_t g = 0;
    for (const cJSON *c = gs->child; c; c = c->next, g++) {
        size_t mg = ld_index(ld, g);
        if (parse_group(ld, c, s, f, g) < 0)
            return -1;
        ld_pop(ld, mg);
    }
    f->ngroups = g;
    ld_pop(ld, m);
    return 0;
}

static int parse_link_fault(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                            fl_fault *f)
{
    if (get_selector(ld, j, "from", s, &f->from) < 0 ||
        get_selector(ld, j, "to", s, &f->to) < 0 ||
        get_bool(ld, j, "symmetric", false, &f->symmetric) < 0)
        return -1;
    int given = ld_link_spec(ld, j, &f->link);
    if (given < 0)
        return -1;
    if (given == 0)
        return ld_fail(ld, "a link fault needs at least one of drop, latency, "
                           "duplicate");
    return 0;
}

static int parse_clock(fl_ld *ld, const cJSON *j, fl_fault *f)
{
    int a = get_time_any(ld, j, "skew_ms", false, &f->skew);
    if (a < 0)
        return -1;
    int b = get_integer(ld, j, "drift_ppm", false, -FL_SC_MAX_DRIFT,
                        FL_SC_MAX_DRIFT, &f->drift_ppm);
    if (b < 0)
        return -1;
    if (a + b == 0)
        return ld_fail(ld, "a clock fault needs skew_ms and/or drift_ppm");
    return 0;
}

/* [lo, hi] in ms, 0 < lo <= hi. */
static int get_range(fl_ld *ld, const cJSON *obj, const char *key, bool required,
                     fl_time *lo, fl_time *hi)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, obj, key, required, &j, &m);
    if (r <= 0)
        return r;
    if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) != 2)
        return ld_fail(ld, "must be [lo_ms, hi_ms], an array of 2 numbers");
    fl_time *out[2] = { lo, hi };
    for (size_t i = 0; i < 2; i++) {
        size_t mi = ld_index(ld, i);
        if (ld_time(ld, cJSON_GetArrayItem(j, (int)i), FL_B_GT0, out[i]) < 0)
            return -1;
        if (i == 1 && *hi < *lo)
            return ld_fail(ld, "must be >= %s[0]", key);
        ld_pop(ld, mi);
    }
    ld_pop(ld, m);
    return 1;
}

static int parse_nemesis(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                         fl_fault *f)
{
    int kind = 0;
    int64_t max_down = 1;
    f->down_lo = FL_MS(500);
    f->down_hi = FL_MS(1500);
    f->until = s->duration;
    if (get_enum(ld, j, "kind", true, "nemesis", fl_nemesis_names, &kind) < 0 ||
        get_range(ld, j, "every_ms", true, &f->every_lo, &f->every_hi) < 0 ||
        get_range(ld, j, "down_ms", false, &f->down_lo, &f->down_hi) < 0 ||
        get_integer(ld, j, "max_down", false, 1, FL_SC_MAX_NODES, &max_down) < 0 ||
        get_time_ge0(ld, j, "until_ms", false, &f->until) < 0)
        return -1;
    f->nemesis = (fl_nemesis_kind)kind;
    f->max_down = (size_t)max_down;
    if (f->until > s->duration || f->until < f->at) {
        ld_key(ld, "until_ms");
        if (f->until < f->at)
            return ld_fail(ld, "must be >= at_ms");
        return ld_fail(ld, "must be <= duration_ms (%g)", (double)s->duration / 1e6);
    }
    return 0;
}

static int parse_fault_body(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                            fl_fault *f)
{
    switch (f->kind) {
    case FL_FAULT_PARTITION: return parse_partition(ld, j, s, f);
    case FL_FAULT_HEAL:      return 0;
    case FL_FAULT_LINK:      return parse_link_fault(ld, j, s, f);
    case FL_FAULT_CRASH:
        if (get_selector(ld, j, "node", s, &f->node) < 0)
            return -1;
        return get_bool(ld, j, "torn", false, &f->torn) < 0 ? -1 : 0;
    case FL_FAULT_RESTART:
    case FL_FAULT_RESUME:
        return get_selector(ld, j, "node", s, &f->node) < 0 ? -1 : 0;
    case FL_FAULT_PAUSE:
        if (get_selector(ld, j, "node", s, &f->node) < 0)
            return -1;
        return get_time_ge0(ld, j, "duration_ms", false, &f->duration) < 0 ? -1 : 0;
    case FL_FAULT_CLOCK:
        if (get_selector(ld, j, "node", s, &f->node) < 0)
            return -1;
        return parse_clock(ld, j, f);
    case FL_FAULT_NEMESIS:   return parse_nemesis(ld, j, s, f);
    }
    return 0;
}

static int parse_fault(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                       fl_fault *f)
{
    memset(f, 0, sizeof *f);
    f->from.index = f->to.index = f->node.index = -1;
    if (ld_object(ld, j, NULL) < 0)
        return -1;
    int kind = 0;
    if (get_enum(ld, j, "type", true, "fault type", fl_fault_names, &kind) < 0)
        return -1;
    f->kind = (fl_fault_kind)kind;
    if (ld_check_keys(ld, j, fl_fault_keys(f->kind)) < 0)
        return -1;
    bool need_at = f->kind != FL_FAULT_NEMESIS;
    if (get_time_ge0(ld, j, "at_ms", need_at, &f->at) < 0)
        return -1;
    if (f->at > s->duration) {
        ld_key(ld, "at_ms");
        return ld_fail(ld, "must be <= duration_ms (%g)", (double)s->duration / 1e6);
    }
    return parse_fault_body(ld, j, s, f);
}

typedef struct fl_fault_order {
    fl_time at;
    size_t  index;
} fl_fault_order;

static int fl_fault_order_cmp(const void *pa, const void *pb)
{
    const fl_fault_order *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Stable sort by time: file order on ties. */
static int fl_sort_faults(fl_ld *ld, fl_scenario *s)
{
    if (s->nfaults < 2)
        return 0;
    fl_fault_order *ord = malloc(s->nfaults * sizeof *ord);
    fl_fault *sorted = malloc(s->nfaults * sizeof *sorted);
    if (!ord || !sorted) {
        free(ord);
        free(sorted);
        return ld_oom(ld);
    }
    for (size_t i = 0; i < s->nfaults; i++)
        ord[i] = (fl_fault_order){ s->faults[i].at, i };
    qsort(ord, s->nfaults, sizeof *ord, fl_fault_order_cmp);
    for (size_t i = 0; i < s->nfaults; i++)
        sorted[i] = s->faults[ord[i].index];
    free(ord);
    free(s->faults);
    s->faults = sorted;
    return 0;
}

static int parse_faults(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "faults", false, &j, &m);
    if (r <= 0)
        return r;
    if (!cJSON_IsArray(j))
        return ld_fail(ld, "must be an array (got %s)", fl_type_name(j));
    size_t n = (size_t)cJSON_GetArraySize(j);
    if (n) {
        s->faults = malloc(n * sizeof *s->faults);
        if (!s->faults)
            return ld_oom(ld);
    }
    size_t i = 0;
    for (const cJSON *c = j->child; c; c = c->next, i++) {
        size_t mi = ld_index(ld, i);
        if (parse_fault(ld, c, s, &s->faults[i]) < 0)
            return -1;
        s->nfaults = i + 1;
        ld_pop(ld, mi);
    }
    ld_pop(ld, m);
    return fl_sort_faults(ld, s);
}

/* ---- Expectations and params ----------------------------------------------- */

static int ld_check_name(fl_ld *ld, const cJSON *j, char *out)
{
    if (ld_name(ld, j, out) < 0)
        return -1;
    size_t n = strlen(out);
    if (strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789_.:-") != n)
        return ld_fail(ld, "must name a check, e.g. \"raft.election_safety\" "
                           "or \"linearizable\" ([A-Za-z0-9_.:-])");
    return 0;
}

FL_GETTER(get_check_name, char *, ld_check_name(ld, j, out))

static int parse_expect(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    static const char *const keys[] = {
        "linearizable", "invariants", "violation", "min_ok_ops",
        "leader_within_ms", NULL
    };
    static const char *const inv_names[] = { "none", "all", NULL };
    fl_expect *e = &s->expect;
    e->linearizable = true;
    e->invariants = true;
    e->violation[0] = '\0';
    e->min_ok_ops = -1;
    e->leader_within = -1;
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "expect", false, &j, &m);
    if (r <= 0)
        return r;
    int inv = 1;
    if (ld_object(ld, j, keys) < 0 ||
        get_bool(ld, j, "linearizable", false, &e->linearizable) < 0 ||
        get_enum(ld, j, "invariants", false, "invariants setting", inv_names,
                 &inv) < 0 ||
        get_check_name(ld, j, "violation", false, e->violation) < 0 ||
        get_integer(ld, j, "min_ok_ops", false, 0, INT64_MAX, &e->min_ok_ops) < 0 ||
        get_time_gt0(ld, j, "leader_within_ms", false, &e->leader_within) < 0)
        return -1;
    e->invariants = inv == 1;
    ld_pop(ld, m);
    return 0;
}

static int parse_params(fl_ld *ld, fl_scenario *s)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, s->json, "params", false, &j, &m);
    if (r < 0)
        return -1;
    if (r == 0) {
        j = cJSON_AddObjectToObject(s->json, "params");
        if (!j)
            return ld_oom(ld);
    } else if (!cJSON_IsObject(j)) {
        return ld_fail(ld, "must be an object (got %s)", fl_type_name(j));
    } else {
        ld_pop(ld, m);
    }
    s->params = j;
    return 0;
}

/* ---- The whole document -------------------------------------------------- */

/* cJSON keeps every duplicate; a strict loader refuses them anywhere. */
static int ld_no_duplicates(fl_ld *ld, const cJSON *j)
{
    size_t i = 0;
    for (const cJSON *c = j->child; c; c = c->next, i++) {
        size_t m = cJSON_IsObject(j) ? ld_key(ld, c->string) : ld_index(ld, i);
        if (cJSON_IsObject(j))
            for (const cJSON *p = j->child; p != c; p = p->next)
                if (strcmp(p->string, c->string) == 0)
                    return ld_fail(ld, "duplicate key");
        if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && ld_no_duplicates(ld, c) < 0)
            return -1;
        ld_pop(ld, m);
    }
    return 0;
}

static int parse_root(fl_ld *ld, fl_scenario *s)
{
    static const char *const keys[] = {
        "name", "description", "algorithm", "params", "nodes", "duration_ms",
        "seed", "network", "links", "disk", "workload", "faults", "expect", NULL
    };
    const cJSON *root = s->json;
    if (ld_object(ld, root, keys) < 0 || ld_no_duplicates(ld, root) < 0 ||
        get_name(ld, root, "name", true, s->name) < 0 ||
        parse_description(ld, root, s) < 0 ||
        get_name(ld, root, "algorithm", true, s->algorithm) < 0 ||
        get_time_gt0(ld, root, "duration_ms", true, &s->duration) < 0 ||
        parse_seed(ld, root, s) < 0 ||
        parse_nodes(ld, root, s) < 0 ||
        parse_network(ld, root, s) < 0 ||
        parse_links(ld, root, s) < 0 ||
        parse_disk(ld, root, s) < 0 ||
        parse_workload(ld, root, s) < 0 ||
        parse_faults(ld, root, s) < 0 ||
        parse_expect(ld, root, s) < 0 ||
        parse_params(ld, s) < 0)
        return -1;
    return 0;
}

static uint64_t fl_fnv1a(const char *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static bool fl_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int ld_syntax_error(fl_ld *ld, const char *text, size_t len, size_t at,
                           const char *why)
{
    size_t line = 1, col = 1;
    if (at > len)
        at = len;
    for (size_t i = 0; i < at; i++) {
        col++;
        if (text[i] == '\n') {
            line++;
            col = 1;
        }
    }
    return ld_fail(ld, "JSON syntax error near line %zu, column %zu%s", line,
                   col, why);
}

/* True if the text ends inside a string or with a bracket still open. */
static bool fl_ends_early(const char *text, size_t len)
{
    long depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return in_str || depth > 0;
}

static cJSON *ld_parse_json(fl_ld *ld, const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && fl_is_space(text[i]))
        i++;
    if (i == len) {
        ld_fail(ld, "the file is empty (expected a JSON object)");
        return NULL;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        ld_syntax_error(ld, text, len, (size_t)(nul - text), " (a NUL byte)");
        return NULL;
    }
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, false);
    size_t at = end && end >= text ? (size_t)(end - text) : len;
    if (!j) {
        bool early = at + 1 >= len && fl_ends_early(text, len);
        ld_syntax_error(ld, text, len, at, early ? " (the text ends too early)" : "");
        return NULL;
    }
    while (at < len && fl_is_space(text[at]))
        at++;
    if (at < len) {
        cJSON_Delete(j);
        ld_syntax_error(ld, text, len, at, " (text after the JSON value)");
        return NULL;
    }
    return j;
}

fl_scenario *fl_scenario_parse(const char *text, size_t len, const char *path,
                               fl_error *err)
{
    fl_error scratch;
    fl_ld ld;
    if (!err)
        err = &scratch;
    if (!path)
        path = "<scenario>";
    ld_init(&ld, path, err);
    if (!text && len) {
        fl_error_set(err, "%s: no text to parse", path);
        return NULL;
    }
    fl_scenario *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        ld_oom(&ld);
        return NULL;
    }
    s->hash = fl_fnv1a(text, len);
    s->json = text ? ld_parse_json(&ld, text, len) : NULL;
    if (!text)
        ld_fail(&ld, "the file is empty (expected a JSON object)");
    if (!s->json || parse_root(&ld, s) < 0) {
        fl_scenario_free(s);
        return NULL;
    }
    return s;
}

static int fl_read_file(const char *path, char **out, size_t *len, fl_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fl_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return fl_error_set(err, "%s: cannot read: %s", path, strerror(EISDIR));
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap >= FL_SC_MAX_FILE)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int rd_errno = ferror(f) ? errno : 0;
    fclose(f);
    if (!buf)
        return fl_error_set(err, "%s: out of memory", path);
    if (rd_errno || n >= FL_SC_MAX_FILE) {
        free(buf);
        if (rd_errno)
            return fl_error_set(err, "%s: cannot read: %s", path,
                                strerror(rd_errno));
        return fl_error_set(err, "%s: larger than %zu MiB; not a scenario", path,
                            FL_SC_MAX_FILE >> 20);
    }
    *out = buf;
    *len = n;
    return 0;
}

fl_scenario *fl_scenario_load(const char *path, fl_error *err)
{
    fl_error scratch;
    if (!err)
        err = &scratch;
    if (!path) {
        fl_error_set(err, "no scenario file given");
        return NULL;
    }
    char *text = NULL;
    size_t len = 0;
    if (fl_read_file(path, &text, &len, err) < 0)
        return NULL;
    fl_scenario *s = fl_scenario_parse(text, len, path, err);
    free(text);
    return s;
}

void fl_scenario_free(fl_scenario *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->description);
    free(s->links);
    free(s->faults);
    cJSON_Delete(s->json);
    free(s);
}

/* ---- Binding to an algorithm ---------------------------------------------- */

static bool fl_alg_has_role(const fl_algorithm *alg, const char *name)
{
    for (const fl_role *r = alg->roles; r && r->name; r++)
        if (strcmp(r->name, name) == 0)
            return true;
    return false;
}

/* "$.nodes.ROLE" when nodes is an object, else "$.nodes". */
static void ld_nodes_path(fl_ld *ld, const fl_scenario *s, const char *role)
{
    ld_key(ld, "nodes");
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(s->json, "nodes");
    if (cJSON_IsObject(nodes) && cJSON_GetObjectItemCaseSensitive(nodes, role))
        ld_key(ld, role);
}

static int bind_roles(fl_ld *ld, fl_scenario *s, const fl_algorithm *alg)
{
    const char *names[FL_SC_MAX_ROLES + 8];
    size_t nn = 0;
    for (const fl_role *r = alg->roles; r && r->name && nn < FL_SC_MAX_ROLES + 6; r++)
        names[nn++] = r->name;
    names[nn++] = "client";
    names[nn] = NULL;
    char list[300];
    fl_suggest_join(list, sizeof list, names);
    for (size_t i = 0; i < s->nroles; i++) {
        const char *role = s->roles[i].role;
        if (strcmp(role, "client") == 0 || fl_alg_has_role(alg, role))
            continue;
        ld_nodes_path(ld, s, role);
        const char *sug = fl_suggest(role, names);
        if (sug)
            return ld_fail(ld, "algorithm \"%s\" has no role \"%s\" (did you "
                               "mean \"%s\"?)", alg->name, role, sug);
        return ld_fail(ld, "algorithm \"%s\" has no role \"%s\" (its roles: %s)",
                       alg->name, role, list);
    }
    const char *first = alg->roles && alg->roles[0].name ? alg->roles[0].name : NULL;
    size_t nfirst = 0;
    fl_scenario_role_base(s, first ? first : "", &nfirst);
    if (first && nfirst == 0) {
        ld_key(ld, "nodes");
        return ld_fail(ld, "algorithm \"%s\" needs at least one \"%s\" node",
                       alg->name, first);
    }
    fl_role_count out[FL_SC_MAX_ROLES];
    size_t n = 0;
    for (const fl_role *r = alg->roles; r && r->name; r++)
        for (size_t i = 0; i < s->nroles; i++)
            if (strcmp(r->name, "client") != 0 && !strcmp(s->roles[i].role, r->name))
                out[n++] = s->roles[i];
    for (size_t i = 0; i < s->nroles; i++)
        if (strcmp(s->roles[i].role, "client") == 0)
            out[n++] = s->roles[i];
    memcpy(s->roles, out, n * sizeof out[0]);
    s->nroles = n;
    return 0;
}

static int bind_check_sel(fl_ld *ld, const fl_scenario *s, const fl_selector *sel,
                          size_t fault)
{
    size_t count = 0;
    bool bad = false;
    if (sel->kind == FL_SEL_INDEX)
        bad = sel->index < 0 || (size_t)sel->index >= fl_scenario_node_count(s);
    else if (sel->kind == FL_SEL_ROLE || sel->kind == FL_SEL_ROLE_INDEX)
        bad = fl_scenario_role_base(s, sel->role, &count) < 0 ||
              (sel->kind == FL_SEL_ROLE_INDEX &&
               (sel->index < 0 || (size_t)sel->index >= count));
    if (!bad)
        return 0;
    ld_key(ld, "faults");
    return ld_fail(ld, "the fault at %g ms (sorted #%zu) names a node that does "
                       "not exist", (double)s->faults[fault].at / 1e6, fault);
}

static int bind_fault(fl_ld *ld, const fl_scenario *s, size_t i)
{
    const fl_fault *f = &s->faults[i];
    switch (f->kind) {
    case FL_FAULT_LINK:
        if (bind_check_sel(ld, s, &f->from, i) < 0)
            return -1;
        return bind_check_sel(ld, s, &f->to, i);
    case FL_FAULT_CRASH:
    case FL_FAULT_RESTART:
    case FL_FAULT_PAUSE:
    case FL_FAULT_RESUME:
    case FL_FAULT_CLOCK:
        return bind_check_sel(ld, s, &f->node, i);
    case FL_FAULT_PARTITION:
        for (size_t g = 0; g < f->ngroups; g++)
            for (size_t k = 0; k < f->group_len[g]; k++)
                if (bind_check_sel(ld, s, &f->groups[g][k], i) < 0)
                    return -1;
        return 0;
    case FL_FAULT_HEAL:
    case FL_FAULT_NEMESIS:
        break;
    }
    return 0;
}

static int bind_selectors(fl_ld *ld, const fl_scenario *s)
{
    for (size_t i = 0; i < s->nfaults; i++) {
        if (bind_fault(ld, s, i) < 0)
            return -1;
    }
    size_t n = fl_scenario_node_count(s);
    for (size_t i = 0; i < s->nlinks; i++)
        if ((size_t)s->links[i].from >= n || (size_t)s->links[i].to >= n) {
            ld_key(ld, "links");
            ld_index(ld, i);
            return ld_fail(ld, "names a node that does not exist");
        }
    return 0;
}

/* Algorithms write "key: what" (or "key[1]: what"); anything else goes
 * after "$.params: ". */
static int bind_params(fl_ld *ld, const fl_scenario *s, const fl_algorithm *alg)
{
    if (!alg->validate)
        return 0;
    char msg[512] = "";
    if (alg->validate(s->params, msg, sizeof msg) == 0)
        return 0;
    msg[sizeof msg - 1] = '\0';
    ld_key(ld, "params");
    if (!msg[0])
        return ld_fail(ld, "rejected by algorithm \"%s\"", alg->name);
    size_t k = strspn(msg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "0123456789_");
    if (k > 0 && (msg[k] == ':' || msg[k] == '.' || msg[k] == '['))
        return fl_error_set(ld->err, "%s: %s.%s", ld->file, ld->path, msg);
    if (msg[0] == '[')
        return fl_error_set(ld->err, "%s: %s%s", ld->file, ld->path, msg);
    return ld_fail(ld, "%s", msg);
}

int fl_scenario_bind(fl_scenario *s, const fl_algorithm *alg, fl_error *err)
{
    fl_error scratch;
    if (!err)
        err = &scratch;
    if (!s || !alg)
        return fl_error_set(err, "%s: no algorithm to bind to",
                            s && s->path ? s->path : "<scenario>");
    fl_ld ld;
    ld_init(&ld, s->path, err);
    if (bind_roles(&ld, s, alg) < 0 || bind_selectors(&ld, s) < 0 ||
        bind_params(&ld, s, alg) < 0)
        return -1;
    return 0;
}
