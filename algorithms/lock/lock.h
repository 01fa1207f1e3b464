/* lock.h — a distributed lock service with leases and fencing tokens
 * (issue 8), after Chubby (Burrows 2006) and Kleppmann's "How to do
 * distributed locking" (2016). Three roles:
 *
 *   server   Raft (algorithms/raft/) with the lock state machine of sm.c:
 *            acquire grants a lease and a fencing token that strictly
 *            increases across grants; renew extends a live lease; release
 *            frees the lock. Time for leases is the leader's clock,
 *            stamped into the command, so every replica judges a lease
 *            the same way.
 *   client   acquires the lock, and while it believes it holds it writes
 *            to storage with its token (check lease, compute, write: the
 *            classic window a GC pause falls into), renews, releases.
 *   storage  a protected resource: with fencing on, it rejects a write
 *            whose token is lower than one it has already accepted; with
 *            fencing off (the naive lease lock) it accepts everything.
 *
 * Modules: sm.c (the state machine), server.c (params, the server role and
 * the algorithm table), client.c, storage.c, wire.c (message formats). */
#ifndef FL_LOCK_H
#define FL_LOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/lock/contract.h"   /* installed as <faultline/lock.h> */
#include "algorithms/raft/raft.h"

/* ---- Parameters (server.c) -------------------------------------------- */

/* Deliberate bugs (params.bugs), one rule off each; the check that must
 * catch each is named (tests/mutants.sh grades them through the suite):
 *   renew-expired       renewal trusts the token: a client whose lease
 *                       expired, even after the lock went to another, gets
 *                       its lease and old token back (sm.c; a grant's
 *                       token exceeds every earlier one)  lock.token_monotonic
 *   no-fencing          the storage applies every write = fencing false
 *                       (the storage checks the token)      lock.stale_write
 *   same-token          a grant after an expired lease reuses the expired
 *                       holder's token instead of a new one (sm.c: tokens
 *                       strictly increase across grants)
 *                                        lock.token_monotonic, lock.exclusion
 *   storage-forget-max  the storage keeps its highest token in memory
 *                       only, so a restart reopens the door to stale
 *                       writes (storage.c: the check survives restarts)
 *                                                            lock.stale_write
 *   lease-from-reply    the client starts its lease when the grant reaches
 *                       it, not when it sent the request, so a slow reply
 *                       makes it trust a lease the servers already ended
 *                       (client.c: the lease is measured on the holder's
 *                       own clock from before the request) lock.stale_write
 *                       (with fencing off, the naive lease lock) */
enum { LOCK_BUG_RENEW_EXPIRED = 1u, LOCK_BUG_NO_FENCING = 2u,
       LOCK_BUG_SAME_TOKEN = 4u, LOCK_BUG_STORAGE_FORGET = 8u,
       LOCK_BUG_LEASE_FROM_REPLY = 16u };

typedef struct lock_params {
    const cJSON *raft;        /* Raft's own params (borrowed; NULL: defaults) */
    int64_t lease_ms;         /* lease length granted by the servers */
    int64_t renew_ms;         /* client: renew this long after a grant */
    int64_t work_ms;          /* client: between writes while holding */
    int64_t compute_ms;       /* client: from lease check to the write */
    int64_t writes;           /* client: writes per grant, then release */
    int64_t think_lo_ms, think_hi_ms; /* client: idle between grants */
    int64_t retry_ms;         /* client: resend an unanswered request */
    bool    fencing;          /* storage: reject stale tokens */
    unsigned bugs;            /* LOCK_BUG_* */
} lock_params;

/* Parses the scenario's params (Raft's own under "raft", checked too); on
 * error -1 with "key: what" in err. `p->raft` points into `params`. */
int  lock_params_parse(const cJSON *params, lock_params *p, char *err,
                       size_t errlen);

/* ---- The state machine (sm.c) ------------------------------------------ */

/* Configuration the state machine reads: lease length and bugs. */
typedef struct lock_sm_cfg {
    int64_t  lease_ns;
    unsigned bugs;
} lock_sm_cfg;

extern const raft_sm_ops lock_sm_ops;

/* ---- Wire formats (wire.c) ---------------------------------------------- */

enum {
    LOCK_MSG_REQ = 0xB1,      /* client -> server: an fl_op */
    LOCK_MSG_REP = 0xB2,      /* server -> client: status, value, hint */
    LOCK_MSG_WRITE = 0xB3,    /* client -> storage: token, value */
    LOCK_MSG_WRITE_REP = 0xB4 /* storage -> client: token, accepted */
};

typedef struct lock_msg {
    uint8_t    type;
    uint64_t   seq;           /* REQ, REP */
    fl_op      op;            /* REQ */
    uint8_t    status;        /* REP: fl_status */
    int64_t    value;         /* REP: result; WRITE: the value written */
    fl_node_id hint;          /* REP: redirect hint */
    int64_t    token;         /* WRITE, WRITE_REP */
    bool       ok;            /* WRITE_REP: accepted */
} lock_msg;

#define LOCK_MSG_MAX 48
size_t lock_msg_encode(const lock_msg *m, uint8_t out[LOCK_MSG_MAX]);
int    lock_msg_decode(const void *p, size_t len, lock_msg *m);
bool   lock_msg_is_lock(const void *p, size_t len);

/* ---- The client role (client.c) ------------------------------------------- */

typedef enum lock_phase {
    LOCK_IDLE,                /* thinking before the next acquire */
    LOCK_ACQUIRING,           /* an acquire is out */
    LOCK_HOLDING,             /* believes it holds the lock */
    LOCK_RELEASING            /* a release is out */
} lock_phase;

typedef struct lock_client {
    lock_params p;
    const fl_node_id *servers;
    size_t      nservers;
    fl_node_id  storage;      /* the first storage node, or FL_NO_NODE */
    lock_phase  phase;
    fl_node_id  target;       /* server the open request went to */
    /* The open request (at most one): seq, op and when it was first sent
     * (a lease granted for it cannot have started earlier). */
    bool        open;
    uint64_t    seq;
    fl_op       op;
    fl_time     sent_at;
    fl_time     lease_end;    /* on this client's clock */
    int64_t     token;        /* held, or 0 */
    int64_t     writes;       /* done in this grant */
    int64_t     written;      /* values written, for unique values */
    bool        computing;    /* between the lease check and the write */
    uint64_t    gen;          /* timer cookies of older grants are stale */
    int64_t     grants, lost;
} lock_client;

int  lock_client_init(fl_ctx *ctx, void *state, const cJSON *params);
void lock_client_start(fl_ctx *ctx, void *state, bool recovering);
void lock_client_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                            const void *msg, size_t len);
void lock_client_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                          uint64_t cookie);
void lock_client_inspect(const void *state, fl_view *view);

/* ---- The storage role (storage.c) ------------------------------------------ */

typedef struct lock_storage {
    bool       fencing;
    bool       forget;        /* the storage-forget-max bug */
    int64_t    max_token;     /* highest token accepted (durable) */
    int64_t    last_token;    /* of the last write applied */
    fl_node_id last_writer;
    int64_t    value;         /* the protected data */
    int64_t    applied, rejected;
} lock_storage;

int  lock_storage_init(fl_ctx *ctx, void *state, const cJSON *params);
void lock_storage_start(fl_ctx *ctx, void *state, bool recovering);
void lock_storage_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                             const void *msg, size_t len);
void lock_storage_inspect(const void *state, fl_view *view);

extern const fl_algorithm fl_lock_algorithm;

#endif
