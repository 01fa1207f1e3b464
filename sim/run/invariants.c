/* invariant.c — the registry of safety invariants by algorithm family
 * (DESIGN.md "Every run ends with a verdict"): a table from the name an
 * algorithm reports ("raft", ...) to its invariants. Families not listed
 * have none. */
#include "algorithms/invariant.h"

#include <string.h>

#include "algorithms/paxos/invariants.h"
#include "algorithms/counter/invariants.h"
#include "algorithms/lock/invariants.h"
#include "algorithms/raft/invariants.h"
#include "algorithms/shardkv/invariants.h"
#include "algorithms/sort/invariants.h"

typedef struct fl_inv_family {
    const char *name;
    const fl_invariant *const *(*get)(size_t *n);
} fl_inv_family;

static const fl_inv_family fl_inv_families[] = {
    {"raft", fl_raft_invariants},
    {"counter-raft", fl_counter_raft_invariants},
    {"counter-crdt", fl_counter_crdt_invariants},
    {"lock", fl_lock_invariants},
    {"sort", fl_sort_invariants},
    {"paxos", fl_paxos_invariants},
    {"multipaxos", fl_paxos_invariants},
    {"shardkv", fl_shardkv_invariants},
    {NULL, NULL},
};

const fl_invariant *const *fl_invariants_for(const char *algorithm,
                                             size_t *n)
{
    *n = 0;
    if (!algorithm)
        return NULL;
    for (const fl_inv_family *f = fl_inv_families; f->name; f++)
        if (!strcmp(f->name, algorithm))
            return f->get(n);
    return NULL;
}
