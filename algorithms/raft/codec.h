/* codec.h — Raft's byte encodings: a little-endian buffer writer and a
 * bounds-checked reader, the state-machine command format, the chain and
 * command hashes that inspect_entry reports, and every message on the wire.
 *
 * Everything here is pure (no fl_ctx), so the unit tests exercise it
 * directly. Layouts are explicit little-endian fields; nothing is ever
 * copied from a struct, so padding and pointers never reach the network. A
 * decoder that meets a short, oversized or otherwise malformed buffer
 * returns -1 and the caller ignores the message. */
#ifndef FL_RAFT_CODEC_H
#define FL_RAFT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/wire/wire.h"

/* ---- Hashes ------------------------------------------------------------- */

/* Raft's chain: hash(previous chain, term, command bytes). Equal chains at
 * an index mean equal logs up to it (Raft §5.3, Log Matching). */
uint64_t raft_chain_hash(uint64_t prev_chain, int64_t term,
                         const uint8_t *cmd, size_t cmd_len);

/* ---- State-machine commands --------------------------------------------- */

typedef enum raft_cmd_type {
    RAFT_CMD_NOOP = 0,     /* a new leader's first entry (Raft §8) */
    RAFT_CMD_OP   = 1      /* a client operation */
} raft_cmd_type;

typedef struct raft_cmd {
    uint8_t    type;       /* raft_cmd_type */
    fl_node_id client;     /* OP: the client node */
    uint64_t   seq;        /* OP: the client's sequence number */
    fl_op      op;         /* OP: what to do */
} raft_cmd;

#define RAFT_CMD_MAX_BYTES 34

/* Returns the encoded length (1 for a no-op, 34 for an op). */
size_t raft_cmd_encode(const raft_cmd *c, uint8_t out[RAFT_CMD_MAX_BYTES]);
int    raft_cmd_decode(const uint8_t *p, size_t len, raft_cmd *c);
uint64_t raft_cmd_hash(const raft_cmd *c);

/* ---- Messages ----------------------------------------------------------- */

#define RAFT_WIRE_VERSION 1u
/* Upper bound on entries in one AppendEntries we send or accept. */
#define RAFT_MAX_BATCH 64u

typedef enum raft_msg_type {
    RAFT_MSG_VOTE = 1,             /* RequestVote (Raft §5.2) */
    RAFT_MSG_VOTE_REPLY,
    RAFT_MSG_PREVOTE,              /* PreVote (thesis §9.6) */
    RAFT_MSG_PREVOTE_REPLY,
    RAFT_MSG_APPEND,               /* AppendEntries (Raft §5.3) */
    RAFT_MSG_APPEND_REPLY,
    RAFT_MSG_SNAPSHOT,             /* InstallSnapshot (Raft §7) */
    RAFT_MSG_SNAPSHOT_REPLY,
    RAFT_MSG_TIMEOUT_NOW,          /* leadership transfer (thesis §3.10) */
    RAFT_MSG_TYPE_END
} raft_msg_type;

typedef struct raft_wire_entry {
    int64_t  term;
    raft_cmd cmd;
} raft_wire_entry;

typedef struct raft_msg {
    uint8_t type;                  /* raft_msg_type */
    int64_t term;
    union {
        struct {                   /* VOTE, PREVOTE (term = proposed term) */
            int64_t last_index;
            int64_t last_term;
            /* VOTE only: the election was started by TimeoutNow (thesis
             * §3.10), so voters must not refuse it for a live leader (the
             * lease of §4.2.3 / §6.2). On the wire: one trailing byte 1,
             * present only when set, so ordinary RequestVotes keep their
             * bytes. */
            bool    transfer;
        } vote;
        struct {                   /* VOTE_REPLY, PREVOTE_REPLY */
            bool granted;
        } vote_reply;
        struct {                   /* APPEND */
            int64_t  prev_index;
            int64_t  prev_term;
            int64_t  commit;
            uint64_t round;        /* ReadIndex heartbeat round (thesis §6.4) */
            uint32_t n;
            raft_wire_entry *entries;   /* decoded: owned, raft_msg_free */
        } append;
        struct {                   /* APPEND_REPLY, SNAPSHOT_REPLY */
            bool     success;
            int64_t  match;        /* last index known to match the leader */
            int64_t  conflict_index;    /* fast backtracking (§5.3) */
            int64_t  conflict_term;     /* -1: the follower's log is short */
            uint64_t round;
        } append_reply;
        struct {                   /* SNAPSHOT */
            int64_t  last_index;
            int64_t  last_term;
            uint64_t last_chain;
            uint64_t last_cmd;
            uint64_t round;
            uint32_t data_len;
            const uint8_t *data;   /* decoded: points into the input */
        } snapshot;
        struct {                   /* TIMEOUT_NOW (term = the leader's) */
            int64_t last_index;    /* the leader's last index, which the
                                      target was seen to hold */
        } timeout_now;
    } u;
} raft_msg;

/* Encodes into `b` (reset first). Returns 0, or -1 out of memory. */
int  raft_msg_encode(const raft_msg *m, wire_buf *b);
/* Decodes `len` bytes; on success the caller frees with raft_msg_free. */
int  raft_msg_decode(const void *p, size_t len, raft_msg *m);
void raft_msg_free(raft_msg *m);
/* "AppendEntries", ...; "garbage" for an unknown type. */
const char *raft_msg_type_name(uint8_t type);

#endif
