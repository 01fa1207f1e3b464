/* scenario.c — the strict scenario loader (DESIGN.md "Scenario files").
 * Owns JSON text -> fl_scenario: every key, type and range is checked and
 * every error reads "FILE: $.json.path: what was expected" (with a
 * did-you-mean for misspelt keys and names). The pieces live beside it:
 * loader.c (primitives), nodes.c, network.c, faults.c, bind.c. */
#include "sim/scenario/loader.h"
#include "sim/scenario/jsoncheck.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/file.h"
#include "sim/util/hash.h"

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
        "leader_within_ms", "settle_ms", NULL
    };
    static const char *const inv_names[] = { "none", "all", NULL };
    fl_expect *e = &s->expect;
    e->linearizable = true;
    e->invariants = true;
    e->violation[0] = '\0';
    e->min_ok_ops = -1;
    e->leader_within = -1;
    e->settle = -1;
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
        get_time_gt0(ld, j, "leader_within_ms", false, &e->leader_within) < 0 ||
        get_time_ge0(ld, j, "settle_ms", false, &e->settle) < 0)
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

/* cJSON keeps every duplicate; a strict loader refuses them anywhere, and
 * any string that is not UTF-8 (sim/scenario/jsoncheck.h, linear time). */
static int ld_no_duplicates(fl_ld *ld, const cJSON *j)
{
    char path[sizeof ld->path], what[160];
    if (fl_json_check(j, path, sizeof path, what, sizeof what) == 0)
        return 0;
    return fl_error_set(ld->err, "%s: %s: %s", ld->file, path, what);
}

static int parse_root(fl_ld *ld, fl_scenario *s)
{
    static const char *const keys[] = {
        "name", "description", "algorithm", "params", "nodes", "duration_ms",
        "seed", "network", "links", "disk", "workload", "faults", "expect",
        "schedule", NULL
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
        parse_schedule(ld, root, s) < 0 ||
        parse_expect(ld, root, s) < 0 ||
        parse_params(ld, s) < 0)
        return -1;
    return 0;
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
    s->hash = fl_fnv1a(FL_FNV_OFFSET, text, len);
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
    switch (fl_file_read_all(path, FL_SC_MAX_FILE - 1, out, len)) {
    case FL_FILE_OK:
        return 0;
    case FL_FILE_OPEN:
        return fl_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    case FL_FILE_READ:
        return fl_error_set(err, "%s: cannot read: %s", path, strerror(errno));
    case FL_FILE_TOO_BIG:
        return fl_error_set(err, "%s: larger than %zu MiB; not a scenario", path,
                            FL_SC_MAX_FILE >> 20);
    case FL_FILE_NOMEM:
        break;
    }
    return fl_error_set(err, "%s: out of memory", path);
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
    free(s->schedule);
    free(s->workload.key_cdf);
    cJSON_Delete(s->json);
    free(s);
}


/* ---- Liveness: the settling allowance -------------------------------------- */

#define FL_SETTLE_TIMEOUTS      2
#define FL_SETTLE_DEFAULT_HI_MS 300
#define FL_SETTLE_MAX_MS        1000   /* no excuse for an endless election */

fl_time fl_scenario_settle(const fl_scenario *s)
{
    if (s->expect.settle >= 0)
        return s->expect.settle;
    double hi = FL_SETTLE_DEFAULT_HI_MS;
    const cJSON *et = s->params ?
        cJSON_GetObjectItemCaseSensitive(s->params, "election_timeout_ms") : NULL;
    if (cJSON_IsArray(et) && cJSON_GetArraySize(et) == 2 &&
        cJSON_IsNumber(cJSON_GetArrayItem(et, 1)))
        hi = cJSON_GetArrayItem(et, 1)->valuedouble;
    else if (cJSON_IsNumber(et))
        hi = et->valuedouble;
    if (!(hi > 0))
        hi = FL_SETTLE_DEFAULT_HI_MS;
    double ms = hi * FL_SETTLE_TIMEOUTS;
    return FL_MS(ms < FL_SETTLE_MAX_MS ? (int64_t)llround(ms) : FL_SETTLE_MAX_MS);
}
