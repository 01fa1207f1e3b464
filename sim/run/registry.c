/* registry.c — the built-in algorithms (from algorithms/builtins.c) by
 * name, and plug-in loading. */
#include "sim/run/registry.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/builtins.h"
#include "algorithms/viz_table.h"

/* Each algorithm folder's visualizer table (algorithms/<alg>/viz_table.c). */
extern const fl_viz_table fl_paxos_viz_table, fl_multipaxos_viz_table, fl_lock_viz_table,
    fl_counter_crdt_viz_table, fl_counter_raft_viz_table, fl_sort_viz_table,
    fl_shardkv_viz_table;
static const fl_viz_table *const viz_tables[] = {
    &fl_paxos_viz_table, &fl_multipaxos_viz_table, &fl_lock_viz_table,
    &fl_counter_crdt_viz_table, &fl_counter_raft_viz_table, &fl_sort_viz_table,
    &fl_shardkv_viz_table,
};

const fl_viz_table *fl_registry_viz_table(const char *name)
{
    for (size_t i = 0; name && i < sizeof viz_tables / sizeof viz_tables[0]; i++)
        if (strcmp(viz_tables[i]->algorithm, name) == 0)
            return viz_tables[i];
    return NULL;
}

const fl_algorithm *fl_registry_at(size_t i)
{
    const fl_builtin *b = fl_builtin_at(i);
    return b ? b->algorithm : NULL;
}

const fl_algorithm *fl_registry_find(const char *name)
{
    const fl_builtin *b = fl_builtin_find(name);
    return b ? b->algorithm : NULL;
}

struct fl_plugin {
    void               *handle;
    const fl_algorithm *alg;
};

static int check_table(const fl_algorithm *a, const char *path, fl_error *err)
{
    if (a->abi_version != FL_ABI_VERSION)
        return fl_error_set(err, "%s: built for faultline ABI %u, this faultline has ABI %u: "
                            "rebuild it against this version's <faultline/algorithm.h>",
                            path, a->abi_version, FL_ABI_VERSION);
    if (a->struct_size != sizeof(fl_algorithm) && a->struct_size != FL_ALGORITHM_SIZE_V1)
        return fl_error_set(err, "%s: struct fl_algorithm is %zu bytes in the plug-in, %zu here: "
                            "rebuild it against this version's <faultline/algorithm.h>",
                            path, a->struct_size, sizeof(fl_algorithm));
    if (!a->name || !a->roles || !a->roles[0].name)
        return fl_error_set(err, "%s: fl_algorithm_entry needs a name and at least one role",
                            path);
    for (const fl_role *r = a->roles; r->name; r++)
        if (r->state_size > ((size_t)1 << 30))
            return fl_error_set(err, "%s: role \"%s\": state_size %zu is not plausible",
                                path, r->name, r->state_size);
    return 0;
}

fl_plugin *fl_plugin_open(const char *path, fl_error *err)
{
    /* dlopen searches the library path for a bare name: insist on a path. */
    char *full = NULL;
    if (!strchr(path, '/')) {
        full = malloc(strlen(path) + 3);
        if (!full) {
            fl_error_set(err, "out of memory");
            return NULL;
        }
        strcpy(full, "./");
        strcat(full, path);
    }
    void *h = dlopen(full ? full : path, RTLD_NOW | RTLD_LOCAL);
    free(full);
    if (!h) {
        fl_error_set(err, "%s: cannot load plug-in: %s", path, dlerror());
        return NULL;
    }
    const fl_algorithm *a = dlsym(h, FL_ALGORITHM_SYMBOL);
    if (!a) {
        fl_error_set(err, "%s: no symbol %s: define `const fl_algorithm %s = {...}`",
                     path, FL_ALGORITHM_SYMBOL, FL_ALGORITHM_SYMBOL);
        dlclose(h);
        return NULL;
    }
    if (check_table(a, path, err) < 0) {
        dlclose(h);
        return NULL;
    }
    fl_plugin *p = malloc(sizeof *p);
    if (!p) {
        dlclose(h);
        fl_error_set(err, "out of memory");
        return NULL;
    }
    p->handle = h;
    p->alg = a;
    return p;
}

const fl_algorithm *fl_plugin_algorithm(const fl_plugin *p)
{
    return p->alg;
}

void fl_plugin_close(fl_plugin *p)
{
    if (!p)
        return;
    dlclose(p->handle);
    free(p);
}
