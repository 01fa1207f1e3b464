/* unnemesis.c — a nemesis expanded into the explicit faults it applied
 * (see unnemesis.h). */
#include "sim/batch/unnemesis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/run/registry.h"
#include "sim/run/run.h"

static bool is_nemesis(const cJSON *f)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(f, "type");
    return cJSON_IsString(t) && strcmp(t->valuestring, "nemesis") == 0;
}

bool fl_unnemesis_has(const cJSON *root)
{
    const cJSON *faults = cJSON_GetObjectItemCaseSensitive(root, "faults");
    const cJSON *f;
    cJSON_ArrayForEach(f, faults)
        if (is_nemesis(f))
            return true;
    return false;
}

/* ---- In the child: run and read the log -------------------------------------------- */

static void fail(fl_unnemesis *out, const char *msg)
{
    out->status = -1;
    snprintf(out->msg, sizeof out->msg, "%s", msg);
}

void fl_unnemesis_run(fl_scenario *s, const char *impl, const fl_run_spec *spec,
                      fl_unnemesis *out)
{
    fl_error err = { { 0 } };
    memset(out, 0, sizeof *out);
    out->magic = FL_UNNEMESIS_MAGIC;
    const fl_algorithm *alg = NULL;
    if (impl) {
        fl_plugin *plugin = fl_plugin_open(impl, &err);   /* stays loaded: a child */
        alg = plugin ? fl_plugin_algorithm(plugin) : NULL;
    } else {
        alg = fl_registry_find(s->algorithm);
        if (!alg)
            fl_error_set(&err, "no built-in algorithm \"%s\"", s->algorithm);
    }
    if (!alg || fl_scenario_bind(s, alg, &err) < 0) {
        fail(out, err.msg);
        return;
    }
    fl_run_opts ro = { .seed = spec->seed, .has_seed = true, .duration = spec->duration,
                       .lin_timeout_s = spec->lin_timeout_s };
    fl_run *r = fl_run_new(s, alg, &ro, &err);
    if (!r) {
        fail(out, err.msg);
        return;
    }
    fl_engine_keep_nemesis_log(fl_run_engine_manual(r));
    fl_run_to_end(r);
    size_t n;
    const fl_nemesis_action *log = fl_engine_nemesis_log(fl_run_engine(r), &n);
    out->truncated = n > FL_UNNEMESIS_MAX;
    out->n = n > FL_UNNEMESIS_MAX ? FL_UNNEMESIS_MAX : n;
    if (out->n)
        memcpy(out->a, log, out->n * sizeof *out->a);
    fl_run_free(r);
}

/* ---- In the parent: the explicit faults -------------------------------------------- */

static const char *kind_type(fl_fault_kind k)
{
    switch (k) {
    case FL_FAULT_CRASH:     return "crash";
    case FL_FAULT_RESTART:   return "restart";
    case FL_FAULT_PAUSE:     return "pause";
    case FL_FAULT_RESUME:    return "resume";
    case FL_FAULT_PARTITION: return "partition";
    case FL_FAULT_HEAL:      return "heal";
    default:                 return NULL;
    }
}

/* One action as a scenario fault, at its exact time (ms with ns digits:
 * the loader rounds at_ms * 1e6 to the nanosecond it came from). */
static cJSON *action_fault(const fl_nemesis_action *a)
{
    const char *type = kind_type(a->kind);
    cJSON *f = type ? cJSON_CreateObject() : NULL;
    if (!f)
        return NULL;
    bool ok = cJSON_AddNumberToObject(f, "at_ms", (double)a->at / 1e6) &&
              cJSON_AddStringToObject(f, "type", type);
    if (a->kind == FL_FAULT_PARTITION) {
        cJSON *groups = cJSON_AddArrayToObject(f, "groups");
        cJSON *minority = cJSON_CreateArray();
        ok = ok && groups && minority && cJSON_AddItemToArray(groups, minority);
        for (size_t i = 0; ok && i < a->nmembers; i++)
            ok = cJSON_AddItemToArray(minority, cJSON_CreateNumber(a->members[i]));
        ok = ok && cJSON_AddItemToArray(groups, cJSON_CreateString("rest"));
    } else if (a->kind != FL_FAULT_HEAL) {
        ok = ok && cJSON_AddNumberToObject(f, "node", a->node);
    }
    if (ok && a->kind == FL_FAULT_CRASH && a->torn)
        ok = cJSON_AddBoolToObject(f, "torn", true) != NULL;
    if (!ok) {
        cJSON_Delete(f);
        return NULL;
    }
    return f;
}

static double at_of(const cJSON *f)
{
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(f, "at_ms");
    return cJSON_IsNumber(at) ? at->valuedouble : 0;
}

/* Inserts f into arr after every fault at or before its time. */
static bool insert_sorted(cJSON *arr, cJSON *f)
{
    int i = cJSON_GetArraySize(arr);
    while (i > 0 && at_of(cJSON_GetArrayItem(arr, i - 1)) > at_of(f))
        i--;
    if (i == cJSON_GetArraySize(arr))
        return cJSON_AddItemToArray(arr, f);
    return cJSON_InsertItemInArray(arr, i, f);
}

cJSON *fl_unnemesis_tree(const cJSON *root, const fl_unnemesis *u, size_t *added,
                         char *why, size_t len)
{
    *added = 0;
    if (u->truncated) {
        snprintf(why, len, "the nemeses applied more than %d faults", FL_UNNEMESIS_MAX);
        return NULL;
    }
    for (size_t i = 0; i < u->n; i++)
        if (u->a[i].overflow) {
            snprintf(why, len, "a partition cut off more than %d nodes",
                     FL_NEMESIS_MEMBERS);
            return NULL;
        }
    cJSON *c = cJSON_Duplicate(root, true);
    cJSON *faults = c ? cJSON_GetObjectItemCaseSensitive(c, "faults") : NULL;
    if (!faults) {
        cJSON_Delete(c);
        snprintf(why, len, "out of memory");
        return NULL;
    }
    for (int i = cJSON_GetArraySize(faults) - 1; i >= 0; i--)
        if (is_nemesis(cJSON_GetArrayItem(faults, i)))
            cJSON_DeleteItemFromArray(faults, i);
    for (size_t i = 0; i < u->n; i++) {
        cJSON *f = action_fault(&u->a[i]);
        if (!f || !insert_sorted(faults, f)) {
            cJSON_Delete(f);
            cJSON_Delete(c);
            snprintf(why, len, "out of memory");
            return NULL;
        }
        (*added)++;
    }
    if (cJSON_GetArraySize(faults) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(c, "faults");
    return c;
}
