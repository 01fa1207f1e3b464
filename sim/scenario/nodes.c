/* nodes.c — node counts, roles and node selectors ("leader", "client:1",
 * "rest", ...) of a scenario. */
#include "sim/scenario/loader.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int ld_node_id(fl_ld *ld, const cJSON *j, const fl_scenario *s,
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

int ld_selector(fl_ld *ld, const cJSON *j, const fl_scenario *s,
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

int get_selector(fl_ld *ld, const cJSON *obj, const char *key,
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

int parse_seed(fl_ld *ld, const cJSON *root, fl_scenario *s)
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

int parse_description(fl_ld *ld, const cJSON *root, fl_scenario *s)
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

int parse_nodes(fl_ld *ld, const cJSON *root, fl_scenario *s)
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

