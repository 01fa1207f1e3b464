/* kv.h — the state machine Multi-Paxos replicas apply decided commands to
 * (van Renesse & Altinbuken, "Paxos Made Moderately Complex" §3
 * "Replicas"): a map from uint32 keys to int64 values, plus one session
 * per client holding its last applied sequence number and that operation's
 * result, so a command decided twice (a client's retry proposed in two
 * slots) runs once and the retry is answered from the session (PMMC §3:
 * "a replica ... does not apply a command it has already performed").
 * Deterministic: sorted arrays, no hashing of pointers. */
#ifndef FL_PAXOS_KV_H
#define FL_PAXOS_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/paxos/codec.h"

typedef struct paxos_kv_pair {
    uint32_t key;
    int64_t  value;
} paxos_kv_pair;

typedef struct paxos_session {
    fl_node_id client;
    uint64_t   seq;        /* last applied sequence number */
    int64_t    result;
    uint8_t    status;     /* fl_status of that result */
} paxos_session;

typedef struct paxos_kv {
    paxos_kv_pair *pairs;  /* sorted by key */
    size_t         npairs, cap_pairs;
    paxos_session *sessions;/* sorted by client */
    size_t         nsessions, cap_sessions;
} paxos_kv;

typedef enum paxos_apply_outcome {
    PAXOS_APPLY_DONE,      /* ran now; result and status set */
    PAXOS_APPLY_DUPLICATE, /* (client, seq) ran before: the stored result */
    PAXOS_APPLY_STALE,     /* an older seq than the session's: skipped */
    PAXOS_APPLY_OOM        /* out of memory: nothing changed */
} paxos_apply_outcome;

void    paxos_kv_init(paxos_kv *kv);
void    paxos_kv_free(paxos_kv *kv);
/* The value of `key`, FL_NIL if never written. */
int64_t paxos_kv_get(const paxos_kv *kv, uint32_t key);
const paxos_session *paxos_kv_session(const paxos_kv *kv, fl_node_id client);
/* Applies one command (no-ops and values do nothing and return DONE). */
paxos_apply_outcome paxos_kv_apply(paxos_kv *kv, const paxos_cmd *cmd,
                                   int64_t *result, fl_status *status);

#endif
