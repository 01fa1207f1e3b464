/* log.h — one node's slots (van Renesse & Altinbuken, "Paxos Made
 * Moderately Complex" §3: a replicated log of slots, each decided by its
 * own Paxos instance; basic Paxos is slot 1 alone). A slot holds what this
 * node's acceptor accepted in it, whether this node has learned it chosen
 * (and what), and, on a leader, the proposal it has in flight there with
 * the acceptors that acknowledged it. Slots start at 1. */
#ifndef FL_PAXOS_LOG_H
#define FL_PAXOS_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/paxos/codec.h"

/* Slots beyond this are refused (a garbage slot number must not make a
 * node allocate gigabytes). */
#define PAXOS_MAX_SLOT (INT64_C(1) << 24)

typedef struct paxos_slot {
    /* acceptor (PMMC §3 "acceptor": accepted pvalue) */
    int64_t   acc_ballot;      /* -1: nothing accepted */
    paxos_cmd acc_cmd;
    bool      acc_durable;     /* the record is synced (as of this step) */
    uint64_t  acc_seq;         /* the acceptor's accept counter when it
                                  accepted this (0: recovered from disk) */
    /* learner / replica */
    bool      chosen;
    int64_t   chosen_ballot;   /* the ballot a majority accepted it in */
    paxos_cmd chosen_cmd;
    uint64_t  chain;           /* chained hash; valid up to the commit */
    /* leader: its own proposal here (PMMC "commander") */
    int64_t   prop_ballot;     /* -1: none in flight */
    paxos_cmd prop_cmd;
    uint64_t  ack_mask;        /* acceptors (by server index) that accepted */
    uint32_t  ack_count;       /* Accepted messages (the double-count bug) */
    /* candidate: the highest-ballot pvalue the promises reported (PMMC
     * "pmax") while phase 1 runs */
    int64_t   p1_ballot;       /* -1: none reported */
    paxos_cmd p1_cmd;
} paxos_slot;

typedef struct paxos_log {
    paxos_slot *s;             /* s[i] is slot i + 1 */
    size_t      cap;
    int64_t     last;          /* highest slot in use; 0 when empty */
} paxos_log;

void        paxos_log_init(paxos_log *l);
void        paxos_log_free(paxos_log *l);
/* The slot, or NULL if it is beyond `last` (or < 1). */
paxos_slot *paxos_log_at(paxos_log *l, int64_t slot);
const paxos_slot *paxos_log_get(const paxos_log *l, int64_t slot);
/* The slot, created empty (and `last` raised) if needed; NULL if out of
 * range or out of memory. */
paxos_slot *paxos_log_ensure(paxos_log *l, int64_t slot);
/* Records that `cmd` was chosen in `slot` at `ballot` (PMS §2.3). Returns
 * false if the slot already held a different chosen command (which a
 * correct Paxos never produces; the first decision stays). */
bool        paxos_log_learn(paxos_slot *s, int64_t ballot,
                            const paxos_cmd *cmd);

#endif
