/* registry.c — the built-in algorithms and plug-in loading. */
#include "sim/run/registry.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/counter/counter.h"
#include "algorithms/kv/kv.h"
#include "algorithms/lock/lock.h"
#include "algorithms/paxos/paxos_table.h"
#include "algorithms/raft/raft_table.h"
#include "algorithms/shardkv/shardkv.h"
#include "algorithms/sort/sort_table.h"

/* One line per built-in algorithm. */
static const fl_algorithm *const builtins[] = {
    &fl_kv_algorithm,
    &fl_raft_algorithm,
    &fl_counter_raft_algorithm,
    &fl_counter_crdt_algorithm,
    &fl_lock_algorithm,
    &fl_sort_algorithm,
    &fl_paxos_algorithm,
    &fl_multipaxos_algorithm,
    &fl_shardkv_algorithm,
};

const fl_algorithm *fl_registry_at(size_t i)
{
    return i < sizeof builtins / sizeof builtins[0] ? builtins[i] : NULL;
}

const fl_algorithm *fl_registry_find(const char *name)
{
    for (size_t i = 0; fl_registry_at(i); i++)
        if (strcmp(builtins[i]->name, name) == 0)
            return builtins[i];
    return NULL;
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
    if (a->struct_size != sizeof(fl_algorithm))
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
