/* bind.c — fl_scenario_bind: the checks that need the algorithm (role
 * names and order, selectors against roles, params through validate). */
#include "sim/scenario/loader.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
        if (f->has_on_from && bind_check_sel(ld, s, &f->on_from, i) < 0)
            return -1;
        if (f->crash_trigger)
            return 0;
        return bind_check_sel(ld, s, &f->node, i);
    case FL_FAULT_RESTART:
    case FL_FAULT_PAUSE:
    case FL_FAULT_RESUME:
    case FL_FAULT_CLOCK:
        return bind_check_sel(ld, s, &f->node, i);
    case FL_FAULT_PARTITION:
        if (f->has_on_from && bind_check_sel(ld, s, &f->on_from, i) < 0)
            return -1;
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

/* The algorithm's own word on the node counts (validate_nodes). */
static int bind_node_counts(fl_ld *ld, const fl_scenario *s, const fl_algorithm *alg)
{
    if (!FL_ALGORITHM_HAS(alg, validate_nodes))
        return 0;
    fl_node_count counts[FL_SC_MAX_ROLES];
    size_t n = 0;
    for (size_t i = 0; i < s->nroles && n < FL_SC_MAX_ROLES; i++)
        counts[n++] = (fl_node_count){ s->roles[i].role, s->roles[i].count };
    char msg[512] = "";
    if (alg->validate_nodes(s->params, counts, n, msg, sizeof msg) == 0)
        return 0;
    msg[sizeof msg - 1] = '\0';
    ld_key(ld, "nodes");
    size_t k = strcspn(msg, ": ");
    if (k > 0 && k < FL_NAME_MAX && msg[k] == ':') {   /* "ROLE: what" */
        char role[FL_NAME_MAX];
        snprintf(role, sizeof role, "%.*s", (int)k, msg);
        if (fl_scenario_role_base(s, role, NULL) >= 0 || fl_alg_has_role(alg, role))
            return fl_error_set(ld->err, "%s: %s.%s%s", ld->file, ld->path, role, msg + k);
    }
    return ld_fail(ld, "rejected by algorithm \"%s\": %s", alg->name,
                   msg[0] ? msg : "these node counts");
}

/* The node ids a selector names, as a range (empty: lo > hi). */
static void sel_range(const fl_scenario *s, const fl_selector *sel, int64_t *lo, int64_t *hi)
{
    size_t count = 0;
    int32_t base;
    *lo = 0;
    *hi = -1;
    switch (sel->kind) {
    case FL_SEL_INDEX:
        *lo = *hi = sel->index;
        break;
    case FL_SEL_ROLE_INDEX:
        base = fl_scenario_role_base(s, sel->role, NULL);
        if (base >= 0)
            *lo = *hi = (int64_t)base + sel->index;
        break;
    case FL_SEL_ROLE:
        base = fl_scenario_role_base(s, sel->role, &count);
        if (base >= 0) {
            *lo = base;
            *hi = (int64_t)base + (int64_t)count - 1;
        }
        break;
    default:
        break;
    }
}

/* Two members of one partition naming the same node through different
 * spellings ("server:0" and 0, "server" and 2): refused. */
static int bind_partition_unique(fl_ld *ld, const fl_scenario *s, size_t i)
{
    const fl_fault *f = &s->faults[i];
    for (size_t g = 0; g < f->ngroups; g++)
        for (size_t k = 0; k < f->group_len[g]; k++) {
            int64_t lo, hi;
            sel_range(s, &f->groups[g][k], &lo, &hi);
            for (size_t g2 = g; g2 < f->ngroups; g2++)
                for (size_t k2 = g2 == g ? k + 1 : 0; k2 < f->group_len[g2]; k2++) {
                    int64_t lo2, hi2;
                    sel_range(s, &f->groups[g2][k2], &lo2, &hi2);
                    if (lo > hi || lo2 > hi2 || hi < lo2 || hi2 < lo)
                        continue;
                    ld_key(ld, "faults");
                    return ld_fail(ld, "the partition at %g ms (sorted #%zu) puts node "
                                   "%lld in groups[%zu] and groups[%zu]: a node can be "
                                   "in only one group", (double)f->at / 1e6, i,
                                   (long long)(lo > lo2 ? lo : lo2), g, g2);
                }
        }
    return 0;
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
        bind_params(&ld, s, alg) < 0 || bind_node_counts(&ld, s, alg) < 0)
        return -1;
    for (size_t i = 0; i < s->nfaults; i++)
        if (s->faults[i].kind == FL_FAULT_PARTITION && bind_partition_unique(&ld, s, i) < 0)
            return -1;
    return 0;
}

