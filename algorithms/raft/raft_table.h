/* raft_table.h — the Raft fl_algorithm table, shared by the built-in
 * registration (raft.c: fl_raft_algorithm) and the plug-in build
 * (plugin.c: fl_algorithm_entry), so both are the same code. */
#ifndef FL_RAFT_TABLE_H
#define FL_RAFT_TABLE_H

#include <stddef.h>

#include "algorithms/algorithm.h"

extern const fl_role raft_roles[];
int  raft_validate(const cJSON *params, char *err, size_t errlen);
void raft_describe(const void *msg, size_t len, fl_msg_info *info);

/* The built-in algorithm, referenced by the engine's registry. */
extern const fl_algorithm fl_raft_algorithm;

#define RAFT_ALGORITHM_TABLE {                                            \
    .abi_version = FL_ABI_VERSION,                                        \
    .struct_size = sizeof(fl_algorithm),                                  \
    .name = "raft",                                                       \
    .description = "Raft consensus (Ongaro & Ousterhout 2014) replicating " \
                   "a key-value store, with PreVote, check-quorum, "       \
                   "ReadIndex, snapshots and switchable bugs",            \
    .roles = raft_roles,                                                  \
    .validate = raft_validate,                                            \
    .describe = raft_describe,                                            \
}

#endif
