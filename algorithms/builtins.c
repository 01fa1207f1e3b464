/* builtins.c — the table of built-in algorithms (see builtins.h). */
#include "algorithms/builtins.h"

#include <string.h>

#include "algorithms/counter/counter.h"
#include "algorithms/counter/invariants.h"
#include "algorithms/kv/kv.h"
#include "algorithms/lock/invariants.h"
#include "algorithms/lock/lock.h"
#include "algorithms/paxos/invariants.h"
#include "algorithms/paxos/paxos_table.h"
#include "algorithms/raft/invariants.h"
#include "algorithms/raft/raft_table.h"
#include "algorithms/shardkv/invariants.h"
#include "algorithms/shardkv/shardkv.h"
#include "algorithms/sort/invariants.h"
#include "algorithms/sort/sort_table.h"

/* One row per built-in algorithm, in the order `faultline list` shows. */
static const fl_builtin builtins[] = {
    { &fl_kv_algorithm, NULL, "kv" },
    { &fl_raft_algorithm, fl_raft_invariants, "kv" },
    { &fl_counter_raft_algorithm, fl_counter_raft_invariants, "counter" },
    { &fl_counter_crdt_algorithm, fl_counter_crdt_invariants, "counter" },
    { &fl_lock_algorithm, fl_lock_invariants, "lock" },
    { &fl_sort_algorithm, fl_sort_invariants, NULL },
    { &fl_paxos_algorithm, fl_paxos_invariants, "register" },
    { &fl_multipaxos_algorithm, fl_paxos_invariants, "kv" },
    { &fl_shardkv_algorithm, fl_shardkv_invariants, "kv" },
};

const fl_builtin *fl_builtin_at(size_t i)
{
    return i < sizeof builtins / sizeof builtins[0] ? &builtins[i] : NULL;
}

const fl_builtin *fl_builtin_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; fl_builtin_at(i); i++)
        if (strcmp(builtins[i].algorithm->name, name) == 0)
            return &builtins[i];
    return NULL;
}

const fl_invariant *const *fl_invariants_for(const char *algorithm, size_t *n)
{
    const fl_builtin *b = fl_builtin_find(algorithm);
    *n = 0;
    return b && b->invariants ? b->invariants(n) : NULL;
}
