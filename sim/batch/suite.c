/* suite.c — the strict suite loader (see suite.h). */
#include "sim/batch/suite.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/batch/seeds.h"
#include "sim/manual.h"
#include "sim/util/file.h"
#include "sim/scenario/jsoncheck.h"

#define SUITE_MAX_FILE ((size_t)4 << 20)

/* ---- Small strict-JSON helpers: every error names the file and the path ---- */

typedef struct ld {
    const char *file;
    fl_error   *err;
} ld;

static int fail(const ld *l, const char *path, const char *what)
{
    return fl_error_set(l->err, "%s: %s: %s", l->file, path, what);
}

static int check_keys(const ld *l, const cJSON *obj, const char *path,
                      const char *const *allowed)
{
    if (!cJSON_IsObject(obj))
        return fail(l, path, "expected an object");
    const cJSON *k;
    cJSON_ArrayForEach(k, obj) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            ok = ok || strcmp(*a, k->string) == 0;
        if (!ok) {
            char what[512];
            int n = snprintf(what, sizeof what, "unknown key \"%.40s\" (known:", k->string);
            for (const char *const *a = allowed; *a && n > 0 && (size_t)n < sizeof what; a++)
                n += snprintf(what + n, sizeof what - (size_t)n, " %s", *a);
            if (n > 0 && (size_t)n < sizeof what)
                snprintf(what + n, sizeof what - (size_t)n, ")");
            return fail(l, path, what);
        }
    }
    return 0;
}

static int get_string(const ld *l, const cJSON *obj, const char *key, const char *path,
                      bool required, char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char p[256];
    snprintf(p, sizeof p, "%s.%s", path, key);
    if (!v) {
        if (required)
            return fail(l, p, "missing (expected a string)");
        *out = strdup("");
        return *out ? 0 : fail(l, p, "out of memory");
    }
    if (!cJSON_IsString(v))
        return fail(l, p, "expected a string");
    *out = strdup(v->valuestring);
    return *out ? 0 : fail(l, p, "out of memory");
}

static int get_name(const ld *l, const cJSON *obj, const char *key, const char *path,
                    bool required, char *out)
{
    char *s = NULL;
    if (get_string(l, obj, key, path, required, &s) != 0)
        return -1;
    char p[256];
    snprintf(p, sizeof p, "%s.%s", path, key);
    size_t n = strlen(s);
    bool ok = n < FL_NAME_MAX && (n > 0 || !required);
    for (size_t i = 0; ok && i < n; i++)
        ok = s[i] > ' ' && s[i] != '"' && s[i] != '\\' && s[i] != ',' && s[i] < 0x7f;
    if (ok)
        memcpy(out, s, n + 1);
    free(s);
    if (!ok)
        return fail(l, p, "expected a name of 1-63 printable characters without spaces, "
                          "quotes or commas");
    return 0;
}

static int get_number(const ld *l, const cJSON *v, const char *path, double lo, double hi,
                      double *out)
{
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return fail(l, path, "expected a number");
    if (v->valuedouble < lo || v->valuedouble > hi) {
        char what[128];
        snprintf(what, sizeof what, "must be in [%g, %g]", lo, hi);
        return fail(l, path, what);
    }
    *out = v->valuedouble;
    return 0;
}

/* ---- Limits and pass criteria --------------------------------------------------- */

static int load_limits(const ld *l, const cJSON *v, fl_child_limits *lim)
{
    static const char *const keys[] = { "cpu_s", "wall_s", "memory_mb", NULL };
    lim->cpu_s = 10;
    lim->wall_s = 30;
    lim->mem_bytes = (uint64_t)512 << 20;
    if (!v)
        return 0;
    if (check_keys(l, v, "$.limits", keys) != 0)
        return -1;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(v, "cpu_s");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(v, "wall_s");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(v, "memory_mb");
    double mb = 512;
    if ((c && get_number(l, c, "$.limits.cpu_s", 1, 86400, &lim->cpu_s) != 0) ||
        (w && get_number(l, w, "$.limits.wall_s", 1, 86400, &lim->wall_s) != 0) ||
        (m && get_number(l, m, "$.limits.memory_mb", 16, 1048576, &mb) != 0))
        return -1;
    lim->mem_bytes = (uint64_t)(mb * 1048576.0);
    return 0;
}

/* An integer >= 0, or false (off: -1). */
static int get_limit_or_off(const ld *l, const cJSON *v, const char *path, int64_t *out)
{
    if (cJSON_IsFalse(v)) {
        *out = -1;
        return 0;
    }
    double d;
    if (!cJSON_IsNumber(v) || get_number(l, v, path, 0, 1e12, &d) != 0 || d != floor(d))
        return fail(l, path, "expected an integer >= 0, or false to turn the check off");
    *out = (int64_t)d;
    return 0;
}

static int apply_pass(const ld *l, const cJSON *v, const char *path, fl_expect *e)
{
    static const char *const keys[] = { "invariants", "linearizable", "min_ok_ops",
                                        "leader_within_ms", NULL };
    if (!v)
        return 0;
    if (check_keys(l, v, path, keys) != 0)
        return -1;
    char p[256];
    const cJSON *x;
    if ((x = cJSON_GetObjectItemCaseSensitive(v, "invariants"))) {
        snprintf(p, sizeof p, "%s.invariants", path);
        if (!cJSON_IsBool(x))
            return fail(l, p, "expected true or false");
        e->invariants = cJSON_IsTrue(x);
    }
    if ((x = cJSON_GetObjectItemCaseSensitive(v, "linearizable"))) {
        snprintf(p, sizeof p, "%s.linearizable", path);
        if (!cJSON_IsBool(x))
            return fail(l, p, "expected true or false");
        e->linearizable = cJSON_IsTrue(x);
    }
    if ((x = cJSON_GetObjectItemCaseSensitive(v, "min_ok_ops"))) {
        snprintf(p, sizeof p, "%s.min_ok_ops", path);
        if (get_limit_or_off(l, x, p, &e->min_ok_ops) != 0)
            return -1;
    }
    if ((x = cJSON_GetObjectItemCaseSensitive(v, "leader_within_ms"))) {
        int64_t ms;
        snprintf(p, sizeof p, "%s.leader_within_ms", path);
        if (get_limit_or_off(l, x, p, &ms) != 0)
            return -1;
        e->leader_within = ms < 0 ? -1 : FL_MS(ms);
    }
    return 0;
}

/* ---- Seeds ---------------------------------------------------------------------- */

static int push_range(const ld *l, const char *path, fl_suite_test *t, fl_seed_range r)
{
    uint64_t n = fl_seed_range_count(&r);
    if (n > FL_SUITE_MAX_SEEDS || t->nseeds + n > FL_SUITE_MAX_SEEDS)
        return fail(l, path, "too many seeds (at most 100000 per test)");
    uint64_t *s = realloc(t->seeds, (t->nseeds + (size_t)n) * sizeof *s);
    if (!s)
        return fail(l, path, "out of memory");
    t->seeds = s;
    for (uint64_t k = 0; k < n; k++)
        t->seeds[t->nseeds++] = r.lo + k;
    return 0;
}

static int seed_item(const ld *l, const cJSON *v, const char *path, fl_suite_test *t)
{
    fl_seed_range r;
    if (cJSON_IsString(v)) {
        if (!fl_seed_range_parse(v->valuestring, &r))
            return fail(l, path, "expected a seed range \"A-B\" (A <= B) or a seed");
    } else if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 9007199254740992.0 &&
               v->valuedouble == floor(v->valuedouble)) {
        r.lo = r.hi = (uint64_t)v->valuedouble;
    } else {
        return fail(l, path, "expected a seed (an integer >= 0) or a range \"A-B\"");
    }
    return push_range(l, path, t, r);
}

static int load_seeds(const ld *l, const cJSON *v, const char *path, fl_suite_test *t)
{
    if (!v)
        return fail(l, path, "missing (expected \"A-B\", a seed or an array of them)");
    if (!cJSON_IsArray(v))
        return seed_item(l, v, path, t);
    size_t i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, v) {
        char p[256];
        snprintf(p, sizeof p, "%s[%zu]", path, i++);
        if (seed_item(l, x, p, t) != 0)
            return -1;
    }
    if (t->nseeds == 0)
        return fail(l, path, "expected at least one seed");
    return 0;
}

/* ---- Tests ---------------------------------------------------------------------- */

static char *resolve(const char *suite_path, const char *rel)
{
    const char *slash = strrchr(suite_path, '/');
    if (rel[0] == '/' || !slash)
        return strdup(rel);
    size_t dl = (size_t)(slash - suite_path);
    char *p = malloc(dl + strlen(rel) + 2);
    if (p)
        sprintf(p, "%.*s/%s", (int)dl, suite_path, rel);
    return p;
}

static int load_scenario(const ld *l, const fl_suite *su, fl_suite_test *t,
                         const char *rel, const char *path)
{
    t->scenario_path = resolve(su->path, rel);
    if (!t->scenario_path)
        return fail(l, path, "out of memory");
    fl_error e = { { 0 } };
    t->scenario = fl_scenario_load(t->scenario_path, &e);
    if (!t->scenario)
        return fl_error_set(l->err, "%s: %s: %s", l->file, path, e.msg);
    if (strcmp(t->scenario->algorithm, su->algorithm) != 0) {
        char what[256];
        snprintf(what, sizeof what, "%s runs algorithm \"%s\", the suite grades \"%s\"",
                 t->scenario_path, t->scenario->algorithm, su->algorithm);
        return fail(l, path, what);
    }
    if (t->scenario->expect.violation[0]) {
        char what[256];
        snprintf(what, sizeof what, "%s expects the violation %s: a bug demonstration "
                 "cannot be a graded test", t->scenario_path, t->scenario->expect.violation);
        return fail(l, path, what);
    }
    return 0;
}

/* ---- Search tests ---------------------------------------------------------------- */

static int search_int(const ld *l, const cJSON *obj, const char *path, const char *key,
                      double lo, double hi, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char p[160];
    snprintf(p, sizeof p, "%s.%s", path, key);
    double d;
    if (!v)
        return 0;
    if (get_number(l, v, p, lo, hi, &d) != 0)
        return -1;
    if (d != (double)(int)d)
        return fail(l, p, "expected an integer");
    *out = (int)d;
    return 0;
}

static int search_choice(const ld *l, const cJSON *obj, const char *path, const char *key,
                         const char *yes, const char *no, bool *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    char p[160], what[128];
    snprintf(p, sizeof p, "%s.%s", path, key);
    if (cJSON_IsString(v) && (!strcmp(v->valuestring, yes) || !strcmp(v->valuestring, no))) {
        *out = !strcmp(v->valuestring, yes);
        return 0;
    }
    snprintf(what, sizeof what, "expected \"%s\" or \"%s\"", yes, no);
    return fail(l, p, what);
}

static int search_bool(const ld *l, const cJSON *obj, const char *path, const char *key,
                       bool *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    char p[160];
    snprintf(p, sizeof p, "%s.%s", path, key);
    if (!cJSON_IsBool(v))
        return fail(l, p, "expected true or false");
    *out = cJSON_IsTrue(v);
    return 0;
}

/* "timer_kinds": ["election", ...]: which servers' timers are choices. */
static int search_timer_kinds(const ld *l, const cJSON *obj, const char *path, unsigned *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "timer_kinds");
    if (!v)
        return 0;
    char p[160];
    snprintf(p, sizeof p, "%s.timer_kinds", path);
    if (!cJSON_IsArray(v))
        return fail(l, p, "expected an array of timer kinds (election, heartbeat, retry, "
                          "lease, tick, other)");
    unsigned mask = 0;
    int i = 0;
    for (const cJSON *k = v->child; k; k = k->next, i++) {
        int kind = 0;
        while (cJSON_IsString(k) && kind < FL_TIMER_KIND_COUNT &&
               strcmp(k->valuestring, fl_manual_timer_kind_name((fl_timer_kind)kind)) != 0)
            kind++;
        if (!cJSON_IsString(k) || kind == FL_TIMER_KIND_COUNT) {
            snprintf(p, sizeof p, "%s.timer_kinds[%d]", path, i);
            return fail(l, p, "expected a timer kind: election, heartbeat, retry, lease, "
                              "tick or other");
        }
        mask |= 1u << kind;
    }
    *out = mask;
    return 0;
}

/* "search": {...}: a DSLabs-style search test (sim/batch/search.h) with its
 * bounds; time and memory default to what the suite's limits leave. */
static int load_search(const ld *l, const fl_suite *su, const cJSON *v, const char *path,
                       fl_suite_test *t)
{
    static const char *const keys[] = { "order", "por", "depth", "max_states", "seconds",
                                        "memory_mb", "timers", "slack_ms", "drops", "dups",
                                        "crashes", "torn", "restarts", "ops", "leader_within",
                                        "linearizable", "timer_kinds", NULL };
    if (!cJSON_IsObject(v))
        return fail(l, path, "expected an object of search bounds");
    if (check_keys(l, v, path, keys) != 0)
        return -1;
    fl_search_opts *o = &t->search_opts;
    fl_search_opts_default(o);
    o->max_seconds = su->limits.cpu_s >= 2 ? (double)(int)(su->limits.cpu_s * 0.8) : 60;
    if (su->limits.mem_bytes > 0)
        o->max_memory_mb = (size_t)(su->limits.mem_bytes / 2 / 1048576);
    int states = -1, memory = -1, slack = 0, secs = -1;
    bool ordered = false;
    if (search_int(l, v, path, "seconds", 1, su->limits.cpu_s > 0 ? su->limits.cpu_s : 86400,
                   &secs) != 0)
        return -1;
    if (secs > 0)
        o->max_seconds = secs;
    if (search_choice(l, v, path, "order", "bfs", "dfs", &o->bfs) != 0 ||
        search_bool(l, v, path, "por", &o->por) != 0 ||
        search_int(l, v, path, "depth", 1, 64, &o->max_depth) != 0 ||
        search_int(l, v, path, "max_states", 1, 1e9, &states) != 0 ||
        search_int(l, v, path, "memory_mb", 16, 1048576, &memory) != 0 ||
        search_choice(l, v, path, "timers", "ordered", "any", &ordered) != 0 ||
        search_int(l, v, path, "slack_ms", 0, 1e6, &slack) != 0 ||
        search_int(l, v, path, "drops", 0, 16, &o->drops) != 0 ||
        search_int(l, v, path, "dups", 0, 16, &o->dups) != 0 ||
        search_int(l, v, path, "crashes", 0, 16, &o->crashes) != 0 ||
        search_int(l, v, path, "torn", 0, 16, &o->torn) != 0 ||
        search_int(l, v, path, "restarts", 0, 16, &o->restarts) != 0 ||
        search_int(l, v, path, "ops", 0, 64, &o->ops) != 0 ||
        search_int(l, v, path, "leader_within", 0, 64, &o->leader_within) != 0 ||
        search_bool(l, v, path, "linearizable", &o->check_lin) != 0 ||
        search_timer_kinds(l, v, path, &o->timer_kinds) != 0)
        return -1;
    if (states > 0)
        o->max_states = (uint64_t)states;
    if (memory > 0)
        o->max_memory_mb = (size_t)memory;
    o->timers_in_order = ordered;
    o->slack = FL_MS(slack);
    t->search = true;
    return 0;
}

static int load_test(const ld *l, const fl_suite *su, const cJSON *v, size_t i,
                     fl_suite_test *t)
{
    static const char *const keys[] = { "name", "description", "scenario", "seeds",
                                        "weight", "scoring", "pass", "search", NULL };
    char path[64], p[96];
    snprintf(path, sizeof path, "$.tests[%zu]", i);
    if (check_keys(l, v, path, keys) != 0 ||
        get_name(l, v, "name", path, true, t->name) != 0 ||
        get_string(l, v, "description", path, false, &t->description) != 0)
        return -1;
    char *rel = NULL;
    if (get_string(l, v, "scenario", path, true, &rel) != 0)
        return -1;
    snprintf(p, sizeof p, "%s.scenario", path);
    int rc = load_scenario(l, su, t, rel, p);
    free(rel);
    if (rc != 0)
        return -1;
    const cJSON *search = cJSON_GetObjectItemCaseSensitive(v, "search");
    snprintf(p, sizeof p, "%s.search", path);
    if (search && load_search(l, su, search, p, t) != 0)
        return -1;
    const cJSON *seeds = cJSON_GetObjectItemCaseSensitive(v, "seeds");
    snprintf(p, sizeof p, "%s.seeds", path);
    if (!seeds && t->search) {          /* a search explores every order: one seed */
        uint64_t *one = malloc(sizeof *one);
        if (!one)
            return fail(l, p, "out of memory");
        one[0] = t->scenario->seed;
        t->seeds = one;
        t->nseeds = 1;
    } else if (load_seeds(l, seeds, p, t) != 0) {
        return -1;
    }
    t->weight = 1;
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(v, "weight");
    snprintf(p, sizeof p, "%s.weight", path);
    if (w && get_number(l, w, p, 0, 1e6, &t->weight) != 0)
        return -1;
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(v, "scoring");
    snprintf(p, sizeof p, "%s.scoring", path);
    if (sc && !(cJSON_IsString(sc) && (strcmp(sc->valuestring, "all") == 0 ||
                                       strcmp(sc->valuestring, "per-seed") == 0)))
        return fail(l, p, "expected \"all\" (every seed must pass) or \"per-seed\"");
    t->per_seed = sc && strcmp(sc->valuestring, "per-seed") == 0;
    snprintf(p, sizeof p, "%s.pass", path);
    return apply_pass(l, cJSON_GetObjectItemCaseSensitive(v, "pass"), p,
                      &t->scenario->expect);
}

static int load_tests(const ld *l, fl_suite *su, const cJSON *v)
{
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
        return fail(l, "$.tests", "expected a non-empty array of tests");
    su->ntests = (size_t)cJSON_GetArraySize(v);
    su->tests = calloc(su->ntests, sizeof *su->tests);
    if (!su->tests)
        return fail(l, "$.tests", "out of memory");
    size_t i = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, v) {
        if (load_test(l, su, t, i, &su->tests[i]) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(su->tests[j].name, su->tests[i].name) == 0) {
                char p[64], what[128];
                snprintf(p, sizeof p, "$.tests[%zu].name", i);
                snprintf(what, sizeof what, "\"%s\" is already the name of tests[%zu]",
                         su->tests[i].name, j);
                return fail(l, p, what);
            }
        i++;
    }
    return 0;
}

static char *read_file(const char *path, fl_error *err)
{
    char *buf;
    size_t len;
    switch (fl_file_read_all(path, SUITE_MAX_FILE, &buf, &len)) {
    case FL_FILE_OK:
        return buf;
    case FL_FILE_OPEN:
        fl_error_set(err, "%s: cannot read the suite: %s", path, strerror(errno));
        break;
    case FL_FILE_TOO_BIG:
        fl_error_set(err, "%s: not a readable suite file (at most 4 MiB)", path);
        break;
    default:
        fl_error_set(err, "%s: cannot read the suite", path);
        break;
    }
    return NULL;
}

static int load_root(const ld *l, fl_suite *su, const cJSON *root)
{
    static const char *const keys[] = { "name", "description", "algorithm", "limits",
                                        "tests", NULL };
    if (check_keys(l, root, "$", keys) != 0 ||
        get_name(l, root, "name", "$", false, su->name) != 0 ||
        get_string(l, root, "description", "$", false, &su->description) != 0 ||
        get_name(l, root, "algorithm", "$", true, su->algorithm) != 0 ||
        load_limits(l, cJSON_GetObjectItemCaseSensitive(root, "limits"), &su->limits) != 0)
        return -1;
    return load_tests(l, su, cJSON_GetObjectItemCaseSensitive(root, "tests"));
}

fl_suite *fl_suite_load(const char *path, fl_error *err)
{
    char *text = read_file(path, err);
    if (!text)
        return NULL;
    fl_suite *su = calloc(1, sizeof *su);
    ld l = { path, err };
    cJSON *root = cJSON_Parse(text);
    char jpath[256], what[160];
    int rc = -1;
    if (!su || !(su->path = strdup(path)))
        fl_error_set(err, "%s: out of memory", path);
    else if (!root)
        fl_error_set(err, "%s: not valid JSON (near byte %ld)", path,
                     cJSON_GetErrorPtr() ? (long)(cJSON_GetErrorPtr() - text) : 0L);
    else if (fl_json_check(root, jpath, sizeof jpath, what, sizeof what) != 0)
        fl_error_set(err, "%s: %s: %s", path, jpath, what);
    else
        rc = load_root(&l, su, root);
    cJSON_Delete(root);
    free(text);
    if (rc != 0) {
        fl_suite_free(su);
        return NULL;
    }
    return su;
}

bool fl_suite_sniff(const char *path)
{
    fl_error err = { { 0 } };
    char *text = read_file(path, &err);
    if (!text)
        return false;
    cJSON *root = cJSON_Parse(text);
    bool yes = cJSON_IsObject(root) &&
               cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "tests"));
    cJSON_Delete(root);
    free(text);
    return yes;
}

void fl_suite_free(fl_suite *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ntests; i++) {
        free(s->tests[i].description);
        free(s->tests[i].scenario_path);
        fl_scenario_free(s->tests[i].scenario);
        free(s->tests[i].seeds);
    }
    free(s->tests);
    free(s->description);
    free(s->path);
    free(s);
}

int fl_suite_set_seed_count(fl_suite *s, size_t n, fl_error *err)
{
    if (n == 0 || n > FL_SUITE_MAX_SEEDS)
        return fl_error_set(err, "--seeds %zu: expected 1..%d seeds per test", n,
                            FL_SUITE_MAX_SEEDS);
    for (size_t i = 0; i < s->ntests; i++) {
        fl_suite_test *t = &s->tests[i];
        if (n <= t->nseeds) {
            t->nseeds = n;
            continue;
        }
        uint64_t *seeds = realloc(t->seeds, n * sizeof *seeds);
        if (!seeds)
            return fl_error_set(err, "out of memory");
        for (size_t k = t->nseeds; k < n; k++)
            seeds[k] = seeds[0] + k;
        t->seeds = seeds;
        t->nseeds = n;
    }
    return 0;
}

int fl_suite_select(fl_suite *s, const char *names, fl_error *err)
{
    char *list = strdup(names);
    if (!list)
        return fl_error_set(err, "out of memory");
    bool *keep = calloc(s->ntests, sizeof *keep);
    int rc = keep ? 0 : fl_error_set(err, "out of memory");
    char *save = NULL;
    for (char *n = strtok_r(list, ",", &save); rc == 0 && n; n = strtok_r(NULL, ",", &save)) {
        size_t i = 0;
        while (i < s->ntests && strcmp(s->tests[i].name, n) != 0)
            i++;
        if (i == s->ntests)
            rc = fl_error_set(err, "%s: no test named \"%s\"", s->path, n);
        else
            keep[i] = true;
    }
    size_t out = 0;
    for (size_t i = 0; rc == 0 && i < s->ntests; i++) {
        if (keep[i]) {
            s->tests[out++] = s->tests[i];
            continue;
        }
        free(s->tests[i].description);
        free(s->tests[i].scenario_path);
        fl_scenario_free(s->tests[i].scenario);
        free(s->tests[i].seeds);
    }
    if (rc == 0)
        s->ntests = out;
    free(keep);
    free(list);
    return rc;
}

size_t fl_suite_run_count(const fl_suite *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ntests; i++)
        n += s->tests[i].nseeds;
    return n;
}

double fl_suite_max_score(const fl_suite *s)
{
    double m = 0;
    for (size_t i = 0; i < s->ntests; i++)
        m += s->tests[i].weight;
    return m;
}
