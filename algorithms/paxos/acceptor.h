/* acceptor.h — the Paxos acceptor, shared by both algorithms (Lamport,
 * "Paxos Made Simple" §2.2 and §2.3; van Renesse & Altinbuken, "Paxos Made
 * Moderately Complex" §3 "Acceptors"):
 *
 *   P1b  it promises a ballot at least as high as any it promised (an
 *        equal ballot is the same proposer asking again: ballots are
 *        unique), and reports what it accepted;
 *   P2b  it accepts a proposal unless it promised a higher ballot; an
 *        accept is also a promise of that ballot.
 *
 * Its promise and what it accepted are written to disk and synced before
 * any reply leaves (storage.h). The acceptor also tells views what is
 * durable: a node's step starts only after its previous syncs completed,
 * so whatever was written before this step is durable now (`begin`); a
 * short "settle" timer makes sure such a step happens right after a sync.
 * Invariants use this to count only accepts that survive a crash. */
#ifndef FL_PAXOS_ACCEPTOR_H
#define FL_PAXOS_ACCEPTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/paxos/log.h"
#include "algorithms/paxos/params.h"
#include "algorithms/paxos/storage.h"

/* The cookie of the settle timer (FL_TIMER_OTHER). */
#define PAXOS_COOKIE_SETTLE UINT64_C(0x5e771e)

typedef struct paxos_acceptor {
    int64_t       promised;          /* highest ballot promised; -1 none */
    int64_t       durable_promised;  /* the promise as of this step's start */
    bool          promise_dirty;     /* changed, not yet written */
    bool          unsynced;          /* written, not yet synced */
    bool          settle_armed;
    int64_t      *dirty;             /* slots written since the last step */
    size_t        ndirty, cap_dirty;
    int64_t       acc_lo, acc_hi;    /* slots accepted in this step; -1 */
    int64_t       dur_lo, dur_hi;    /* slots durable since this step; -1 */
    int64_t       accepts;           /* proposals accepted (a statistic) */
    paxos_reg     reg;               /* the promise ("promise") */
    paxos_recfile rec;               /* what it accepted ("accepted") */
    unsigned      bugs;
} paxos_acceptor;

void paxos_acc_init(paxos_acceptor *a, unsigned bugs);
void paxos_acc_free(paxos_acceptor *a);
/* Rebuilds the promise and the accepted slots from the disk alone. */
int  paxos_acc_recover(fl_ctx *ctx, paxos_acceptor *a, paxos_log *log);
/* At the start of every step of the node: what was written is durable. */
void paxos_acc_begin(paxos_acceptor *a, paxos_log *log);
/* The settle timer fired. */
void paxos_acc_on_settle(paxos_acceptor *a);

/* Phase 1b: true if `ballot` is promised (now or before). */
bool paxos_acc_prepare(paxos_acceptor *a, int64_t ballot);
/* Phase 2b: 1 accepted, 0 refused (a higher promise), -1 out of memory or
 * a bad slot. */
int  paxos_acc_accept(fl_ctx *ctx, paxos_acceptor *a, paxos_log *log,
                      int64_t ballot, int64_t slot, const paxos_cmd *cmd);
/* Writes the promise if it changed, syncs what was written, and arms the
 * settle timer. Call before sending anything. */
void paxos_acc_flush(fl_ctx *ctx, paxos_acceptor *a);

/* View helpers: the acceptor's scalars ("acc_lo", "acc_hi", "dur_lo",
 * "dur_hi", "durable_promised"), and one slot as a view entry. */
void paxos_acc_scalars(const paxos_acceptor *a, fl_view *v);
void paxos_view_scalar(fl_view *v, const char *name, int64_t value);
bool paxos_slot_entry(const paxos_slot *s, fl_view_entry *out);

#endif
