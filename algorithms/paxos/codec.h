/* codec.h — Paxos's byte encodings, shared by basic Paxos and Multi-Paxos:
 * a little-endian buffer writer and a bounds-checked reader, hashes, the
 * command format (a client operation, a basic-Paxos value, or a no-op),
 * ballots, and every message on the wire.
 *
 * Both algorithms speak the same four phase messages of Lamport's "Paxos
 * Made Simple" §2.2 (prepare, promise, accept, accepted), with slots as in
 * van Renesse & Altinbuken, "Paxos Made Moderately Complex" §3 (a basic
 * Paxos instance is slot 1), plus a decision message for learners (§2.3).
 *
 * Everything here is pure (no fl_ctx), so the unit tests exercise it
 * directly. Every field is written explicitly in little-endian order; a
 * decoder that meets a short, oversized or otherwise malformed buffer
 * returns -1 and the caller ignores the message. */
#ifndef FL_PAXOS_CODEC_H
#define FL_PAXOS_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/wire/wire.h"

/* ---- Hashes ------------------------------------------------------------- */

/* The chosen log's chain: hash(previous chain, command bytes). Equal
 * chains at a slot mean equal chosen prefixes. */
uint64_t paxos_chain_hash(uint64_t prev, const uint8_t *cmd, size_t len);

/* ---- Ballots -------------------------------------------------------------
 * A ballot is (round, proposer): encoded as round * 10000 + node id (node
 * ids are below 10000), so comparing the integers compares rounds first
 * and proposers break ties, views show it readably (20003: round 2 of
 * node 3),
 * and no two proposers ever share one (Paxos Made Simple §2.5: "different
 * proposers choose their numbers from disjoint sets"). -1 means none. The
 * non-unique-ballots bug drops the proposer id. Printed as "round.id". */

#define PAXOS_NO_BALLOT ((int64_t)-1)
#define PAXOS_BALLOT_BASE 10000
#define PAXOS_MAX_ROUND (INT64_C(1) << 40)

static inline int64_t paxos_ballot(int64_t round, fl_node_id id, bool unique)
{
    return round * PAXOS_BALLOT_BASE +
           (unique ? (int64_t)(id % PAXOS_BALLOT_BASE) : 0);
}

static inline int64_t paxos_ballot_round(int64_t b)
{
    return b < 0 ? 0 : b / PAXOS_BALLOT_BASE;
}

static inline fl_node_id paxos_ballot_owner(int64_t b)
{
    return b < 0 ? FL_NO_NODE : (fl_node_id)(b % PAXOS_BALLOT_BASE);
}

/* ---- Commands ------------------------------------------------------------ */

typedef enum paxos_cmd_type {
    PAXOS_CMD_NOOP  = 0,   /* fills a gap (PMMC §3); names the leader */
    PAXOS_CMD_OP    = 1,   /* a client operation (Multi-Paxos) */
    PAXOS_CMD_VALUE = 2    /* a basic-Paxos value: the int64 to choose */
} paxos_cmd_type;

typedef struct paxos_cmd {
    uint8_t    type;       /* paxos_cmd_type */
    fl_node_id client;     /* OP: the client node; NOOP: the leader */
    uint64_t   seq;        /* OP: the client's sequence number */
    fl_op      op;         /* OP: what to do */
    int64_t    value;      /* VALUE */
} paxos_cmd;

#define PAXOS_CMD_MAX_BYTES 34

/* Returns the encoded length: 5 (no-op), 34 (op) or 9 (value). */
size_t   paxos_cmd_encode(const paxos_cmd *c, uint8_t out[PAXOS_CMD_MAX_BYTES]);
int      paxos_cmd_decode(const uint8_t *p, size_t len, paxos_cmd *c);
bool     paxos_cmd_equal(const paxos_cmd *a, const paxos_cmd *b);
/* What views report as an entry's `command`: a basic-Paxos value is shown
 * as itself (readable in invariant messages), anything else hashed. */
uint64_t paxos_cmd_hash(const paxos_cmd *c);
paxos_cmd paxos_cmd_value(int64_t v);
paxos_cmd paxos_cmd_noop(fl_node_id leader);

/* ---- Messages ------------------------------------------------------------ */

#define PAXOS_WIRE_VERSION 1u
/* Upper bound on entries one message carries (a promise lists every slot
 * an acceptor holds from the requested one on). */
#define PAXOS_MAX_ENTRIES (1u << 20)

typedef enum paxos_msg_type {
    PAXOS_MSG_PREPARE = 1,   /* phase 1a: ballot; slot = first slot asked */
    PAXOS_MSG_PROMISE,       /* phase 1b: ok, promised; e = accepted */
    PAXOS_MSG_ACCEPT,        /* phase 2a: e = proposals; slot = leader's
                                commit; d = decisions (Multi-Paxos) */
    PAXOS_MSG_ACCEPTED,      /* phase 2b: ok, promised; e = accepted now;
                                slot = acceptor's commit; d = slots it
                                already knows chosen */
    PAXOS_MSG_CHOSEN,        /* a learner's decision: d = chosen */
    PAXOS_MSG_QUERY,         /* a learner asks what acceptors accepted */
    PAXOS_MSG_TYPE_END
} paxos_msg_type;

/* One slot on the wire. */
typedef struct paxos_entry {
    int64_t   slot;        /* >= 1 */
    int64_t   ballot;      /* accepted / chosen ballot; -1 in proposals */
    uint8_t   chosen;      /* PROMISE: the acceptor knows it chosen */
    paxos_cmd cmd;
} paxos_entry;

typedef struct paxos_msg {
    uint8_t      type;     /* paxos_msg_type */
    int64_t      ballot;
    uint8_t      ok;       /* PROMISE / ACCEPTED: 1 granted, 0 refused */
    int64_t      promised; /* the sender's promise (why it refused) */
    int64_t      slot;     /* see paxos_msg_type */
    uint32_t     n;
    paxos_entry *e;        /* decoded: owned, paxos_msg_free */
    uint32_t     nd;
    paxos_entry *d;
} paxos_msg;

/* Encodes into `b` (reset first). Returns 0, or -1 out of memory. */
int  paxos_msg_encode(const paxos_msg *m, wire_buf *b);
/* Decodes `len` bytes; on success the caller frees with paxos_msg_free. */
int  paxos_msg_decode(const void *p, size_t len, paxos_msg *m);
void paxos_msg_free(paxos_msg *m);
/* "Prepare", ...; "garbage" for an unknown type. */
const char *paxos_msg_type_name(uint8_t type);
/* The describe() of both algorithm tables. */
void paxos_describe(const void *msg, size_t len, fl_msg_info *info);

#endif
