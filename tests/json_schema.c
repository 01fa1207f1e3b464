/* json_schema.c — the tests' JSON Schema validator (see json_schema.h for
 * the keywords it knows). Owns nothing beyond a call: all state lives in an
 * fl_js on the stack. */
#include "tests/json_schema.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/util/file.h"

#define FL_JS_MAX_DEPTH 200

/* How telling an error is, to pick one to report when no oneOf / anyOf
 * alternative matches: a const/enum mismatch usually only means "another
 * alternative", a type mismatch a little more, anything else the most. */
enum { FL_JS_CONST = 0, FL_JS_TYPE = 1, FL_JS_OTHER = 2 };

typedef struct fl_js {
    const cJSON *root;
    char        *err;
    size_t       errlen;
    char         path[512];
    size_t       plen;
    int          depth;
    int          score;         /* of the last error: see fl_js_score */
    bool         schema_error;  /* the schema is broken: stop everything */
} fl_js;

static const char *const fl_js_keywords[] = {
    "$schema", "$id", "$comment", "title", "description", "default", "examples",
    "$defs", "$ref", "type", "enum", "const", "properties", "required",
    "additionalProperties", "propertyNames", "minProperties", "maxProperties",
    "items", "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "pattern", "oneOf", "anyOf",
    "allOf", "not", NULL
};

/* ---- Paths and errors ------------------------------------------------------ */

static void js_append(fl_js *js, const char *s)
{
    size_t n = strlen(s), room = sizeof js->path - 1 - js->plen;
    if (n > room)
        n = room;
    memcpy(js->path + js->plen, s, n);
    js->plen += n;
    js->path[js->plen] = '\0';
}

static bool js_is_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static size_t js_key(fl_js *js, const char *key)
{
    size_t mark = js->plen;
    char buf[128];
    if (js_is_ident(key))
        snprintf(buf, sizeof buf, ".%.100s", key);
    else
        snprintf(buf, sizeof buf, "[\"%.100s\"]", key);
    js_append(js, buf);
    return mark;
}

static size_t js_index(fl_js *js, size_t i)
{
    size_t mark = js->plen;
    char buf[32];
    snprintf(buf, sizeof buf, "[%zu]", i);
    js_append(js, buf);
    return mark;
}

static void js_pop(fl_js *js, size_t mark)
{
    js->plen = mark;
    js->path[mark] = '\0';
}

/* By kind first (OTHER > TYPE > CONST), then deeper is more specific. */
static int fl_js_score(const char *path, int kind)
{
    int depth = 0;
    for (; *path; path++)
        depth += *path == '.' || *path == '[';
    return kind * 1000 + depth;
}

static int js_fail(fl_js *js, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int js_fail(fl_js *js, int kind, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(js->err, js->errlen, "%s: %s", js->path, what);
    js->score = fl_js_score(js->path, kind);
    return -1;
}

static int js_schema_fail(fl_js *js, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int js_schema_fail(fl_js *js, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(js->err, js->errlen, "schema: %s (validating %s)", what, js->path);
    js->schema_error = true;
    return -1;
}

static const char *js_type_of(const cJSON *j)
{
    if (cJSON_IsNull(j))   return "null";
    if (cJSON_IsBool(j))   return "boolean";
    if (cJSON_IsObject(j)) return "object";
    if (cJSON_IsArray(j))  return "array";
    if (cJSON_IsString(j)) return "string";
    if (cJSON_IsNumber(j)) {
        double v = j->valuedouble;
        return isfinite(v) && floor(v) == v ? "integer" : "number";
    }
    return "invalid";
}

/* A compact rendering of a JSON value for messages. */
static void js_render(const cJSON *j, char *buf, size_t cap)
{
    char *s = cJSON_PrintUnformatted(j);
    snprintf(buf, cap, "%s", s ? s : "?");
    if (s && strlen(s) >= cap && cap > 4)
        memcpy(buf + cap - 4, "...", 4);
    free(s);
}

static int js_validate(fl_js *js, const cJSON *schema, const cJSON *inst);

/* ---- $ref ----------------------------------------------------------------- */

static const cJSON *js_resolve(fl_js *js, const char *ref)
{
    if (ref[0] != '#') {
        js_schema_fail(js, "$ref \"%s\": only local refs (\"#...\")", ref);
        return NULL;
    }
    const cJSON *at = js->root;
    const char *p = ref + 1;
    while (*p == '/') {
        char tok[128];
        size_t n = 0;
        for (p++; *p && *p != '/' && n + 1 < sizeof tok; p++) {
            if (p[0] == '~' && (p[1] == '0' || p[1] == '1')) {
                tok[n++] = p[1] == '0' ? '~' : '/';
                p++;
            } else {
                tok[n++] = *p;
            }
        }
        tok[n] = '\0';
        at = cJSON_IsArray(at) ? cJSON_GetArrayItem(at, atoi(tok))
                               : cJSON_GetObjectItemCaseSensitive(at, tok);
        if (!at)
            break;
    }
    if (!at || *p) {
        js_schema_fail(js, "$ref \"%s\" points nowhere", ref);
        return NULL;
    }
    return at;
}

/* ---- Scalar keywords -------------------------------------------------------- */

static bool js_type_matches(const char *want, const cJSON *inst)
{
    const char *have = js_type_of(inst);
    return strcmp(want, have) == 0 ||
           (strcmp(want, "number") == 0 && strcmp(have, "integer") == 0);
}

static int js_type(fl_js *js, const cJSON *t, const cJSON *inst)
{
    if (!t)
        return 0;
    if (cJSON_IsString(t)) {
        if (js_type_matches(t->valuestring, inst))
            return 0;
        return js_fail(js, FL_JS_TYPE, "must be of type %s (got %s)",
                       t->valuestring, js_type_of(inst));
    }
    if (!cJSON_IsArray(t))
        return js_schema_fail(js, "\"type\" must be a string or an array");
    for (const cJSON *c = t->child; c; c = c->next) {
        if (!cJSON_IsString(c))
            return js_schema_fail(js, "\"type\" array must hold strings");
        if (js_type_matches(c->valuestring, inst))
            return 0;
    }
    char want[200];
    js_render(t, want, sizeof want);
    return js_fail(js, FL_JS_TYPE, "must be of type %s (got %s)", want,
                   js_type_of(inst));
}

static int js_const_enum(fl_js *js, const cJSON *schema, const cJSON *inst)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(schema, "const");
    char buf[300];
    if (c && !cJSON_Compare(c, inst, true)) {
        js_render(c, buf, sizeof buf);
        return js_fail(js, FL_JS_CONST, "must be %s", buf);
    }
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(schema, "enum");
    if (!e)
        return 0;
    if (!cJSON_IsArray(e))
        return js_schema_fail(js, "\"enum\" must be an array");
    for (const cJSON *v = e->child; v; v = v->next)
        if (cJSON_Compare(v, inst, true))
            return 0;
    js_render(e, buf, sizeof buf);
    return js_fail(js, FL_JS_CONST, "must be one of %s", buf);
}

/* Reads a numeric keyword; 0 absent, 1 present, -1 bad schema. */
static int js_num_kw(fl_js *js, const cJSON *schema, const char *kw, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(schema, kw);
    if (!v)
        return 0;
    if (!cJSON_IsNumber(v))
        return js_schema_fail(js, "\"%s\" must be a number", kw);
    *out = v->valuedouble;
    return 1;
}

static int js_number(fl_js *js, const cJSON *schema, const cJSON *inst)
{
    static const struct { const char *kw, *op; int sign; bool strict; } rules[] = {
        { "minimum", ">=", 1, false }, { "maximum", "<=", -1, false },
        { "exclusiveMinimum", ">", 1, true }, { "exclusiveMaximum", "<", -1, true },
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        double lim = 0;
        int r = js_num_kw(js, schema, rules[i].kw, &lim);
        if (r < 0)
            return -1;
        if (r == 0 || !cJSON_IsNumber(inst))
            continue;
        double d = (inst->valuedouble - lim) * rules[i].sign;
        if (d < 0 || (rules[i].strict && d == 0) || isnan(d))
            return js_fail(js, FL_JS_OTHER, "must be %s %.17g", rules[i].op, lim);
    }
    return 0;
}

static size_t js_codepoints(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int js_pattern(fl_js *js, const cJSON *p, const char *s)
{
    if (!cJSON_IsString(p))
        return js_schema_fail(js, "\"pattern\" must be a string");
    regex_t re;
    if (regcomp(&re, p->valuestring, REG_EXTENDED | REG_NOSUB) != 0)
        return js_schema_fail(js, "bad pattern \"%s\"", p->valuestring);
    int m = regexec(&re, s, 0, NULL, 0);
    regfree(&re);
    if (m != 0)
        return js_fail(js, FL_JS_OTHER, "must match the pattern %s",
                       p->valuestring);
    return 0;
}

static int js_string(fl_js *js, const cJSON *schema, const cJSON *inst)
{
    if (!cJSON_IsString(inst))
        return 0;
    double lim = 0;
    size_t n = js_codepoints(inst->valuestring);
    int r = js_num_kw(js, schema, "minLength", &lim);
    if (r < 0)
        return -1;
    if (r && (double)n < lim)
        return js_fail(js, FL_JS_OTHER, "must be at least %g characters long", lim);
    if ((r = js_num_kw(js, schema, "maxLength", &lim)) < 0)
        return -1;
    if (r && (double)n > lim)
        return js_fail(js, FL_JS_OTHER, "must be at most %g characters long", lim);
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(schema, "pattern");
    return p ? js_pattern(js, p, inst->valuestring) : 0;
}

/* ---- Arrays and objects ------------------------------------------------------ */

static int js_count(fl_js *js, const cJSON *schema, const char *min_kw,
                    const char *max_kw, size_t n, const char *what)
{
    double lim = 0;
    int r = js_num_kw(js, schema, min_kw, &lim);
    if (r < 0)
        return -1;
    if (r && (double)n < lim)
        return js_fail(js, FL_JS_OTHER, "must have at least %g %s (got %zu)",
                       lim, what, n);
    if ((r = js_num_kw(js, schema, max_kw, &lim)) < 0)
        return -1;
    if (r && (double)n > lim)
        return js_fail(js, FL_JS_OTHER, "must have at most %g %s (got %zu)",
                       lim, what, n);
    return 0;
}

static int js_array(fl_js *js, const cJSON *schema, const cJSON *inst)
{
    if (!cJSON_IsArray(inst))
        return 0;
    if (js_count(js, schema, "minItems", "maxItems",
                 (size_t)cJSON_GetArraySize(inst), "items") < 0)
        return -1;
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
    if (!items)
        return 0;
    size_t i = 0;
    for (const cJSON *c = inst->child; c; c = c->next, i++) {
        size_t m = js_index(js, i);
        int r = js_validate(js, items, c);
        js_pop(js, m);
        if (r < 0)
            return -1;
    }
    return 0;
}

static int js_required(fl_js *js, const cJSON *schema, const cJSON *inst)
{
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(schema, "required");
    if (!req)
        return 0;
    if (!cJSON_IsArray(req))
        return js_schema_fail(js, "\"required\" must be an array");
    for (const cJSON *k = req->child; k; k = k->next) {
        if (!cJSON_IsString(k))
            return js_schema_fail(js, "\"required\" must hold strings");
        if (!cJSON_GetObjectItemCaseSensitive(inst, k->valuestring)) {
            js_key(js, k->valuestring);
            return js_fail(js, FL_JS_OTHER, "required key is missing");
        }
    }
    return 0;
}

static int js_property_name(fl_js *js, const cJSON *names, const char *key)
{
    cJSON *name = cJSON_CreateString(key);
    if (!name)
        return js_schema_fail(js, "out of memory");
    size_t m = js_key(js, key);
    int r = js_validate(js, names, name);
    if (r < 0 && !js->schema_error) {
        char inner[256];
        snprintf(inner, sizeof inner, "%s", js->err);
        js_pop(js, m);
        js_key(js, key);
        js_fail(js, FL_JS_OTHER, "not an allowed key name (%s)", inner);
    }
    js_pop(js, m);
    cJSON_Delete(name);
    return r;
}

static int js_object(fl_js *js, const cJSON *schema, const cJSON *inst)
{
    if (!cJSON_IsObject(inst))
        return 0;
    if (js_count(js, schema, "minProperties", "maxProperties",
                 (size_t)cJSON_GetArraySize(inst), "keys") < 0)
        return -1;
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(schema,
                                                          "additionalProperties");
    const cJSON *names = cJSON_GetObjectItemCaseSensitive(schema, "propertyNames");
    if (props && !cJSON_IsObject(props))
        return js_schema_fail(js, "\"properties\" must be an object");
    /* properties in schema order first: discriminators ("type": {"const"})
     * come first, which makes oneOf errors point at the right alternative */
    for (const cJSON *p = props ? props->child : NULL; p; p = p->next) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(inst, p->string);
        if (!v)
            continue;
        size_t m = js_key(js, p->string);
        int r = js_validate(js, p, v);
        js_pop(js, m);
        if (r < 0)
            return -1;
    }
    if (js_required(js, schema, inst) < 0)
        return -1;
    for (const cJSON *c = inst->child; c; c = c->next) {
        if (names && js_property_name(js, names, c->string) < 0)
            return -1;
        if (!extra || (props && cJSON_GetObjectItemCaseSensitive(props, c->string)))
            continue;
        size_t m = js_key(js, c->string);
        int r = cJSON_IsFalse(extra)
                    ? js_fail(js, FL_JS_OTHER, "unknown key (not allowed here)")
                    : js_validate(js, extra, c);
        js_pop(js, m);
        if (r < 0)
            return -1;
    }
    return 0;
}

/* ---- Combinators --------------------------------------------------------------- */

/* Runs `sub` with errors going to a private buffer; returns its result and
 * leaves the message in `buf` and its score in *score. */
static int js_try(fl_js *js, const cJSON *sub, const cJSON *inst, char *buf,
                  size_t cap, int *score)
{
    char *saved = js->err;
    size_t saved_len = js->errlen, mark = js->plen;
    js->err = buf;
    js->errlen = cap;
    buf[0] = '\0';
    int r = js_validate(js, sub, inst);
    js->err = saved;
    js->errlen = saved_len;
    js_pop(js, mark);
    *score = js->score;
    if (js->schema_error)
        snprintf(js->err, js->errlen, "%s", buf);
    return r;
}

static int js_alternatives(fl_js *js, const cJSON *alts, const char *kw,
                           const cJSON *inst)
{
    if (!cJSON_IsArray(alts) || !alts->child)
        return js_schema_fail(js, "\"%s\" must be a non-empty array", kw);
    char best[512] = "", buf[512];
    int best_score = -1, matched = 0;
    for (const cJSON *a = alts->child; a; a = a->next) {
        int score = 0;
        if (js_try(js, a, inst, buf, sizeof buf, &score) == 0)
            matched++;
        else if (js->schema_error)
            return -1;
        else if (score > best_score) {
            best_score = score;
            snprintf(best, sizeof best, "%s", buf);
        }
    }
    if (strcmp(kw, "oneOf") == 0 && matched > 1)
        return js_fail(js, FL_JS_OTHER, "matches %d oneOf alternatives, not one",
                       matched);
    if (matched > 0)
        return 0;
    /* report the best alternative's own error when it says more than "none
     * matched": anything but a const/enum or a type mismatch right here */
    int kind = best_score / 1000;
    int own_depth = fl_js_score(js->path, 0);
    if (kind == FL_JS_OTHER || (kind == FL_JS_TYPE && best_score % 1000 > own_depth)) {
        snprintf(js->err, js->errlen, "%s", best);
        js->score = best_score;
        return -1;
    }
    return js_fail(js, FL_JS_OTHER, "matches none of the %s alternatives "
                                    "(closest: %s)", kw, best);
}

static int js_combinators(fl_js *js, const cJSON *schema, const cJSON *inst)
{
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(schema, "allOf");
    if (all) {
        if (!cJSON_IsArray(all))
            return js_schema_fail(js, "\"allOf\" must be an array");
        for (const cJSON *a = all->child; a; a = a->next)
            if (js_validate(js, a, inst) < 0)
                return -1;
    }
    static const char *const alt_kws[] = { "anyOf", "oneOf" };
    for (size_t i = 0; i < 2; i++) {
        const cJSON *alts = cJSON_GetObjectItemCaseSensitive(schema, alt_kws[i]);
        if (alts && js_alternatives(js, alts, alt_kws[i], inst) < 0)
            return -1;
    }
    const cJSON *not = cJSON_GetObjectItemCaseSensitive(schema, "not");
    if (not) {
        char buf[512];
        int score = 0;
        int r = js_try(js, not, inst, buf, sizeof buf, &score);
        if (js->schema_error)
            return -1;
        if (r == 0) {
            char shown[200];
            js_render(not, shown, sizeof shown);
            return js_fail(js, FL_JS_OTHER, "must not match %s", shown);
        }
    }
    return 0;
}

/* ---- The walk ------------------------------------------------------------------ */

static int js_known_keywords(fl_js *js, const cJSON *schema)
{
    for (const cJSON *k = schema->child; k; k = k->next) {
        bool known = false;
        for (const char *const *w = fl_js_keywords; *w && !known; w++)
            known = strcmp(*w, k->string) == 0;
        if (!known)
            return js_schema_fail(js, "unsupported keyword \"%s\"", k->string);
    }
    return 0;
}

static int js_validate_object(fl_js *js, const cJSON *schema, const cJSON *inst)
{
    if (js_known_keywords(js, schema) < 0)
        return -1;
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
    if (ref) {
        if (!cJSON_IsString(ref))
            return js_schema_fail(js, "\"$ref\" must be a string");
        const cJSON *target = js_resolve(js, ref->valuestring);
        if (!target || js_validate(js, target, inst) < 0)
            return -1;
    }
    if (js_type(js, cJSON_GetObjectItemCaseSensitive(schema, "type"), inst) < 0 ||
        js_const_enum(js, schema, inst) < 0 ||
        js_number(js, schema, inst) < 0 ||
        js_string(js, schema, inst) < 0 ||
        js_array(js, schema, inst) < 0 ||
        js_object(js, schema, inst) < 0 ||
        js_combinators(js, schema, inst) < 0)
        return -1;
    return 0;
}

static int js_validate(fl_js *js, const cJSON *schema, const cJSON *inst)
{
    if (cJSON_IsTrue(schema))
        return 0;
    if (cJSON_IsFalse(schema))
        return js_fail(js, FL_JS_OTHER, "no value is allowed here");
    if (!cJSON_IsObject(schema))
        return js_schema_fail(js, "a schema must be an object or a boolean");
    if (js->depth >= FL_JS_MAX_DEPTH)
        return js_schema_fail(js, "nested too deeply (a $ref loop?)");
    js->depth++;
    int r = js_validate_object(js, schema, inst);
    js->depth--;
    return r;
}

int fl_json_schema_validate(const cJSON *schema, const cJSON *instance,
                            char *err, size_t errlen)
{
    char scratch[8];
    fl_js js;
    memset(&js, 0, sizeof js);
    js.root = schema;
    js.err = err && errlen ? err : scratch;
    js.errlen = err && errlen ? errlen : sizeof scratch;
    js.err[0] = '\0';
    js_append(&js, "$");
    if (!schema || !instance) {
        snprintf(js.err, js.errlen, "schema: nothing to validate");
        return -1;
    }
    return js_validate(&js, schema, instance) < 0 ? -1 : 0;
}

/* ---- Files ------------------------------------------------------------------------ */

static char *fl_js_slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    char *buf;
    fl_file_rc rc = fl_file_read_all(path, 0, &buf, len);
    if (rc == FL_FILE_OPEN)
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    else if (rc == FL_FILE_READ)
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    else if (rc != FL_FILE_OK)
        snprintf(err, errlen, "%s: cannot read: out of memory", path);
    return rc == FL_FILE_OK ? buf : NULL;
}

cJSON *fl_json_load_file(const char *path, char *err, size_t errlen)
{
    char scratch[8];
    if (!err || !errlen) {
        err = scratch;
        errlen = sizeof scratch;
    }
    size_t len;
    char *text = fl_js_slurp(path, &len, err, errlen);
    if (!text)
        return NULL;
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, false);
    const char *p = end ? end : text + len;
    while (j && *p && strchr(" \t\r\n", *p))
        p++;
    if (!j || *p) {
        size_t line = 1;
        for (const char *q = text; q < p && *q; q++)
            line += *q == '\n';
        snprintf(err, errlen, "%s: JSON syntax error near line %zu", path, line);
        cJSON_Delete(j);
        j = NULL;
    }
    free(text);
    return j;
}
