/* storage.h — Raft's durable state on the node's simulated disk (Raft §5.1
 * Figure 2 "persistent state", §7 snapshots). Owns the file formats:
 *
 *   "meta"     two 32-byte slots written alternately, so a torn write
 *              leaves the other intact: u32 magic "RFTM", u32 votedFor,
 *              u64 sequence, i64 currentTerm, u64 check (hash of the 24
 *              bytes before). Recovery takes the valid slot with the
 *              highest sequence.
 *   "snap.K"   K = generation % 2: a 48-byte header (u32 magic "RFTS",
 *              u32 generation, i64 last index, i64 last term, u64 last
 *              chain, u64 last command hash, u32 data length, u32 zero),
 *              the state machine bytes (sm.h encode), u64 check over both.
 *   "log.G"    the entries after generation G's snapshot, one record each:
 *              u32 payload length, u32 check, payload = i64 index, i64
 *              term, u8 command length, command bytes (codec.h). The
 *              check hashes the payload with the chain hash of the entry
 *              before (log.h), so a record only passes after the entry
 *              it was written after. Recovery stops at the first short or
 *              bad record (a torn tail, or an old suffix whose truncation
 *              never reached the disk while a rewrite before it did) and
 *              truncates the file there.
 *
 * Callers write first and call fl_disk_sync (raft.c's flush) before any
 * message or reply that depends on what they wrote. */
#ifndef FL_RAFT_STORAGE_H
#define FL_RAFT_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/raft/log.h"

typedef struct raft_storage {
    uint64_t meta_seq;     /* sequence of the last meta slot written */
    uint32_t gen;          /* generation of the current snapshot / log file */
    uint64_t log_size;     /* bytes in the current log file */
} raft_storage;

/* What recovery found besides the log. */
typedef struct raft_recovered {
    int64_t    term;
    fl_node_id vote;
    uint8_t   *snap;       /* state machine bytes (malloc'd) or NULL */
    size_t     snap_len;
} raft_recovered;

/* Writes currentTerm and votedFor into the next meta slot. */
int raft_store_meta(fl_ctx *ctx, raft_storage *st, int64_t term,
                    fl_node_id vote);
/* Appends records for entries [from, last] and sets their file offsets. */
int raft_store_append(fl_ctx *ctx, raft_storage *st, raft_log *log,
                      int64_t from);
/* Cuts the log file where entry `from` starts (call before the in-memory
 * truncation). */
int raft_store_truncate(fl_ctx *ctx, raft_storage *st, const raft_log *log,
                        int64_t from);
/* Starts a new generation: the snapshot `data` (ending at log->base) and a
 * fresh log file holding the entries after it. */
int raft_store_snapshot(fl_ctx *ctx, raft_storage *st, raft_log *log,
                        const uint8_t *data, size_t len);
/* Rebuilds `log` (empty on entry) and `out` from the disk alone. */
int raft_store_load(fl_ctx *ctx, raft_storage *st, raft_log *log,
                    raft_recovered *out);

#endif
