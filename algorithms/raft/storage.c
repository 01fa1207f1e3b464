/* storage.c — Raft's on-disk formats: meta slots, snapshots, and the log
 * file with its torn-tail recovery (see storage.h for the layouts). */
#include "algorithms/raft/storage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAFT_META_MAGIC  UINT32_C(0x4d544652)   /* "RFTM" */
#define RAFT_SNAP_MAGIC  UINT32_C(0x53544652)   /* "RFTS" */
#define RAFT_META_SLOT   32u
#define RAFT_SNAP_HEAD   48u
#define RAFT_REC_HEAD    8u
#define RAFT_REC_MIN     17u                    /* index, term, cmd length */
#define RAFT_REC_MAX     (RAFT_REC_MIN + RAFT_CMD_MAX_BYTES)

static void raft_log_name(char *buf, size_t n, uint32_t gen)
{
    snprintf(buf, n, "log.%u", (unsigned)gen);
}

static void raft_snap_name(char *buf, size_t n, uint32_t gen)
{
    snprintf(buf, n, "snap.%u", (unsigned)(gen % 2));
}

/* Reads a whole file into a malloc'd buffer; NULL if absent or empty. */
static uint8_t *raft_read_file(fl_ctx *ctx, const char *name, size_t *len)
{
    *len = 0;
    int64_t size = fl_disk_size(ctx, name);
    if (size <= 0)
        return NULL;
    uint8_t *buf = malloc((size_t)size);
    if (!buf)
        return NULL;
    int64_t got = fl_disk_read(ctx, name, 0, buf, (size_t)size);
    if (got <= 0) {
        free(buf);
        return NULL;
    }
    *len = (size_t)got;
    return buf;
}

/* ---- Meta --------------------------------------------------------------- */

int raft_store_meta(fl_ctx *ctx, raft_storage *st, int64_t term,
                    fl_node_id vote)
{
    uint8_t slot[RAFT_META_SLOT];
    uint64_t seq = st->meta_seq + 1;
    wire_le_put32(slot, RAFT_META_MAGIC);
    wire_le_put32(slot + 4, (uint32_t)vote);
    wire_le_put64(slot + 8, seq);
    wire_le_put64(slot + 16, (uint64_t)term);
    wire_le_put64(slot + 24, wire_hash_bytes(slot, 24));
    if (fl_disk_write(ctx, "meta", (seq % 2) * RAFT_META_SLOT, slot,
                      sizeof slot) != 0)
        return -1;
    st->meta_seq = seq;
    return 0;
}

static bool raft_meta_slot_ok(const uint8_t *s)
{
    return wire_le_get32(s) == RAFT_META_MAGIC &&
           wire_le_get64(s + 24) == wire_hash_bytes(s, 24) &&
           (int64_t)wire_le_get64(s + 16) >= 0;
}

static void raft_load_meta(fl_ctx *ctx, raft_storage *st, raft_recovered *out)
{
    uint8_t buf[2 * RAFT_META_SLOT];
    memset(buf, 0, sizeof buf);
    out->term = 0;
    out->vote = FL_NO_NODE;
    st->meta_seq = 0;
    if (fl_disk_read(ctx, "meta", 0, buf, sizeof buf) < (int64_t)RAFT_META_SLOT)
        return;
    for (int k = 0; k < 2; k++) {
        const uint8_t *s = buf + k * RAFT_META_SLOT;
        uint64_t seq = wire_le_get64(s + 8);
        if (!raft_meta_slot_ok(s) || seq < st->meta_seq)
            continue;
        st->meta_seq = seq;
        out->vote = (fl_node_id)wire_le_get32(s + 4);
        out->term = (int64_t)wire_le_get64(s + 16);
    }
}

/* ---- Log records ------------------------------------------------------- */

/* A record's check covers its payload and the chain hash of the entry
 * before it (log.h: over every earlier term and command). A record that
 * follows another than the one it was written after fails it: after a
 * truncation whose cut did not reach the disk while a rewrite of the same
 * place did, in part or in whole, the old suffix left behind no longer
 * passes for the continuation of the new entries. */
static uint32_t raft_record_check(uint64_t prev_chain, const uint8_t *payload,
                                  size_t plen)
{
    return (uint32_t)wire_mix64(wire_hash_bytes(payload, plen) ^ prev_chain);
}

/* The chain hash of the entry before `index` (the snapshot's last entry's
 * at base + 1). */
static uint64_t raft_prev_chain(const raft_log *log, int64_t index)
{
    const raft_entry *prev = raft_log_get(log, index - 1);
    return prev ? prev->chain : log->base_chain;
}

static size_t raft_record_encode(const raft_entry *e, int64_t index,
                                 uint64_t prev_chain,
                                 uint8_t out[RAFT_REC_HEAD + RAFT_REC_MAX])
{
    uint8_t *p = out + RAFT_REC_HEAD;
    wire_le_put64(p, (uint64_t)index);
    wire_le_put64(p + 8, (uint64_t)e->term);
    size_t n = raft_cmd_encode(&e->cmd, p + 17);
    p[16] = (uint8_t)n;
    size_t plen = RAFT_REC_MIN + n;
    wire_le_put32(out, (uint32_t)plen);
    wire_le_put32(out + 4, raft_record_check(prev_chain, p, plen));
    return RAFT_REC_HEAD + plen;
}

/* Writes entries [from, last] to the current log file at st->log_size. */
static int raft_write_entries(fl_ctx *ctx, raft_storage *st, raft_log *log,
                              int64_t from)
{
    char name[32];
    raft_log_name(name, sizeof name, st->gen);
    wire_buf b;
    wire_buf_init(&b);
    for (int64_t i = from; i <= raft_log_last(log); i++) {
        raft_entry *e = (raft_entry *)raft_log_get(log, i);
        uint8_t rec[RAFT_REC_HEAD + RAFT_REC_MAX];
        size_t n = raft_record_encode(e, i, raft_prev_chain(log, i), rec);
        e->file_off = st->log_size + b.len;
        wire_put_bytes(&b, rec, n);
    }
    int rc = b.oom ? -1 : 0;
    if (rc == 0 && b.len > 0) {
        rc = fl_disk_write(ctx, name, st->log_size, b.data, b.len);
        if (rc == 0)
            st->log_size += b.len;
    }
    wire_buf_free(&b);
    return rc;
}

int raft_store_append(fl_ctx *ctx, raft_storage *st, raft_log *log,
                      int64_t from)
{
    if (from <= log->base)
        from = log->base + 1;
    return raft_write_entries(ctx, st, log, from);
}

int raft_store_truncate(fl_ctx *ctx, raft_storage *st, const raft_log *log,
                        int64_t from)
{
    const raft_entry *e = raft_log_get(log, from);
    if (!e)
        return 0;
    char name[32];
    raft_log_name(name, sizeof name, st->gen);
    if (fl_disk_truncate(ctx, name, e->file_off) != 0)
        return -1;
    st->log_size = e->file_off;
    return 0;
}

/* Parses records of `buf` into `log`; returns the length of the valid
 * prefix (where a torn or foreign tail starts). */
static size_t raft_parse_records(const uint8_t *buf, size_t len,
                                 raft_log *log)
{
    size_t off = 0;
    while (len - off >= RAFT_REC_HEAD) {
        uint32_t plen = wire_le_get32(buf + off);
        uint32_t check = wire_le_get32(buf + off + 4);
        const uint8_t *p = buf + off + RAFT_REC_HEAD;
        if (plen < RAFT_REC_MIN || plen > RAFT_REC_MAX ||
            len - off - RAFT_REC_HEAD < plen ||
            check != raft_record_check(raft_prev_chain(log, raft_log_last(log) + 1),
                                       p, plen))
            break;
        int64_t index = (int64_t)wire_le_get64(p);
        int64_t term = (int64_t)wire_le_get64(p + 8);
        raft_cmd cmd;
        if (p[16] != plen - RAFT_REC_MIN || term < 0 ||
            raft_cmd_decode(p + 17, p[16], &cmd) != 0 ||
            index != raft_log_last(log) + 1 ||
            raft_log_append(log, term, &cmd) != 0)
            break;
        ((raft_entry *)raft_log_get(log, index))->file_off = off;
        off += RAFT_REC_HEAD + plen;
    }
    return off;
}

static int raft_load_log(fl_ctx *ctx, raft_storage *st, raft_log *log)
{
    char name[32];
    raft_log_name(name, sizeof name, st->gen);
    size_t len;
    uint8_t *buf = raft_read_file(ctx, name, &len);
    size_t good = buf ? raft_parse_records(buf, len, log) : 0;
    free(buf);
    st->log_size = good;
    if (good < len)          /* drop the torn tail before appending again */
        return fl_disk_truncate(ctx, name, good);
    return 0;
}

/* ---- Snapshots ---------------------------------------------------------- */

int raft_store_snapshot(fl_ctx *ctx, raft_storage *st, raft_log *log,
                        const uint8_t *data, size_t len)
{
    uint32_t gen = st->gen + 1;
    char name[32];
    wire_buf b;
    wire_buf_init(&b);
    uint8_t head[RAFT_SNAP_HEAD];
    memset(head, 0, sizeof head);
    wire_le_put32(head, RAFT_SNAP_MAGIC);
    wire_le_put32(head + 4, gen);
    wire_le_put64(head + 8, (uint64_t)log->base);
    wire_le_put64(head + 16, (uint64_t)log->base_term);
    wire_le_put64(head + 24, log->base_chain);
    wire_le_put64(head + 32, log->base_cmd);
    wire_le_put32(head + 40, (uint32_t)len);
    wire_put_bytes(&b, head, sizeof head);
    wire_put_bytes(&b, data, len);
    wire_put_u64(&b, wire_hash_bytes(b.data, b.len));
    if (b.oom) {
        wire_buf_free(&b);
        return -1;
    }
    raft_snap_name(name, sizeof name, gen);
    int rc = fl_disk_truncate(ctx, name, 0);
    if (rc == 0)
        rc = fl_disk_write(ctx, name, 0, b.data, b.len);
    wire_buf_free(&b);
    if (rc != 0)
        return -1;
    /* The new generation's log: the entries after the snapshot. */
    raft_log_name(name, sizeof name, gen);
    if (fl_disk_truncate(ctx, name, 0) != 0)
        return -1;
    st->gen = gen;
    st->log_size = 0;
    if (raft_write_entries(ctx, st, log, log->base + 1) != 0)
        return -1;
    /* Generation gen-2 shares the snapshot slot just overwritten: its log
     * can go (gen-1 stays as the fallback if this one is torn). */
    if (gen >= 2) {
        raft_log_name(name, sizeof name, gen - 2);
        fl_disk_truncate(ctx, name, 0);
    }
    return 0;
}

/* Validates a snapshot file; returns its generation or -1. */
static int64_t raft_snap_check(const uint8_t *buf, size_t len)
{
    if (!buf || len < RAFT_SNAP_HEAD + 8 ||
        wire_le_get32(buf) != RAFT_SNAP_MAGIC)
        return -1;
    size_t dlen = wire_le_get32(buf + 40);
    if (dlen != len - RAFT_SNAP_HEAD - 8 ||
        wire_le_get64(buf + len - 8) != wire_hash_bytes(buf, len - 8) ||
        (int64_t)wire_le_get64(buf + 8) < 1 ||
        (int64_t)wire_le_get64(buf + 16) < 0)
        return -1;
    return wire_le_get32(buf + 4);
}

/* Applies the newest valid snapshot to `log` and `out`. */
static int raft_load_snapshot(fl_ctx *ctx, raft_storage *st, raft_log *log,
                              raft_recovered *out)
{
    uint8_t *best = NULL;
    size_t best_len = 0;
    int64_t best_gen = -1;
    for (uint32_t k = 0; k < 2; k++) {
        char name[32];
        raft_snap_name(name, sizeof name, k);
        size_t len;
        uint8_t *buf = raft_read_file(ctx, name, &len);
        int64_t gen = raft_snap_check(buf, len);
        if (gen > best_gen) {
            free(best);
            best = buf;
            best_len = len;
            best_gen = gen;
        } else {
            free(buf);
        }
    }
    st->gen = best_gen < 0 ? 0 : (uint32_t)best_gen;
    if (!best)
        return 0;
    raft_log_reset(log, (int64_t)wire_le_get64(best + 8),
                   (int64_t)wire_le_get64(best + 16), wire_le_get64(best + 24),
                   wire_le_get64(best + 32));
    out->snap_len = best_len - RAFT_SNAP_HEAD - 8;
    out->snap = malloc(out->snap_len ? out->snap_len : 1);
    if (!out->snap) {
        free(best);
        return -1;
    }
    memcpy(out->snap, best + RAFT_SNAP_HEAD, out->snap_len);
    free(best);
    return 0;
}

int raft_store_load(fl_ctx *ctx, raft_storage *st, raft_log *log,
                    raft_recovered *out)
{
    memset(out, 0, sizeof *out);
    raft_load_meta(ctx, st, out);
    if (raft_load_snapshot(ctx, st, log, out) != 0)
        return -1;
    return raft_load_log(ctx, st, log);
}
