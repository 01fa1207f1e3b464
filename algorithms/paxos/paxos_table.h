/* paxos_table.h — the two fl_algorithm tables of this folder, registered
 * as built-ins (basic.c: fl_paxos_algorithm, multi.c:
 * fl_multipaxos_algorithm); the macros let a plug-in build export the very
 * same tables. */
#ifndef FL_PAXOS_TABLE_H
#define FL_PAXOS_TABLE_H

#include <stddef.h>

#include "algorithms/algorithm.h"
#include "algorithms/paxos/codec.h"

extern const fl_role paxos_basic_roles[];
extern const fl_role paxos_multi_roles[];
int paxos_basic_validate(const cJSON *params, char *err, size_t errlen);
int paxos_multi_validate(const cJSON *params, char *err, size_t errlen);
int paxos_basic_validate_nodes(const cJSON *params, const fl_node_count *counts,
                               size_t ncounts, char *err, size_t errlen);
int paxos_multi_validate_nodes(const cJSON *params, const fl_node_count *counts,
                               size_t ncounts, char *err, size_t errlen);

/* The built-in algorithms, referenced by the engine's registry. */
extern const fl_algorithm fl_paxos_algorithm;
extern const fl_algorithm fl_multipaxos_algorithm;

#define PAXOS_ALGORITHM_TABLE {                                            \
    .abi_version = FL_ABI_VERSION,                                         \
    .struct_size = sizeof(fl_algorithm),                                   \
    .name = "paxos",                                                       \
    .description = "single-decree Paxos (Lamport, Paxos Made Simple) with " \
                   "proposer, acceptor and learner roles choosing one "    \
                   "write-once register, with switchable bugs",            \
    .roles = paxos_basic_roles,                                            \
    .validate = paxos_basic_validate,                                      \
    .describe = paxos_describe,                                            \
    .validate_nodes = paxos_basic_validate_nodes,                          \
}

#define MULTIPAXOS_ALGORITHM_TABLE {                                       \
    .abi_version = FL_ABI_VERSION,                                         \
    .struct_size = sizeof(fl_algorithm),                                   \
    .name = "multipaxos",                                                  \
    .description = "Multi-Paxos (van Renesse & Altinbuken, Paxos Made "    \
                   "Moderately Complex) with a stable leader replicating " \
                   "a key-value store, with switchable bugs",              \
    .roles = paxos_multi_roles,                                            \
    .validate = paxos_multi_validate,                                      \
    .describe = paxos_describe,                                            \
    .validate_nodes = paxos_multi_validate_nodes,                          \
}

#endif
