/* storage.c — Paxos's on-disk formats: two-slot registers and the
 * acceptor's record file with torn-tail recovery (layouts in storage.h). */
#include "algorithms/paxos/storage.h"

#include <stdlib.h>
#include <string.h>

#define PAXOS_REG_MAGIC UINT32_C(0x47525850)   /* "PXRG" */
#define PAXOS_REG_SLOT  32u
#define PAXOS_REC_HEAD  8u
#define PAXOS_REC_MIN   17u                    /* slot, ballot, cmd length */
#define PAXOS_REC_FILE  "accepted"

/* ---- Registers ---------------------------------------------------------- */

void paxos_reg_init(paxos_reg *r, const char *file)
{
    r->file = file;
    r->seq = 0;
}

int paxos_reg_write(fl_ctx *ctx, paxos_reg *r, int64_t value)
{
    uint8_t slot[PAXOS_REG_SLOT];
    uint64_t seq = r->seq + 1;
    wire_le_put32(slot, PAXOS_REG_MAGIC);
    wire_le_put32(slot + 4, 0);
    wire_le_put64(slot + 8, seq);
    wire_le_put64(slot + 16, (uint64_t)value);
    wire_le_put64(slot + 24, wire_hash_bytes(slot, 24));
    if (fl_disk_write(ctx, r->file, (seq % 2) * PAXOS_REG_SLOT, slot,
                      sizeof slot) != 0)
        return -1;
    r->seq = seq;
    return 0;
}

static bool paxos_reg_slot_ok(const uint8_t *s)
{
    return wire_le_get32(s) == PAXOS_REG_MAGIC &&
           wire_le_get64(s + 24) == wire_hash_bytes(s, 24);
}

int64_t paxos_reg_read(fl_ctx *ctx, paxos_reg *r, int64_t dflt)
{
    uint8_t buf[2 * PAXOS_REG_SLOT];
    memset(buf, 0, sizeof buf);
    r->seq = 0;
    int64_t value = dflt;
    int64_t got = fl_disk_read(ctx, r->file, 0, buf, sizeof buf);
    for (int k = 0; k < 2 && got > 0; k++) {
        const uint8_t *s = buf + k * PAXOS_REG_SLOT;
        uint64_t seq = wire_le_get64(s + 8);
        if ((int64_t)((k + 1) * PAXOS_REG_SLOT) > got ||
            !paxos_reg_slot_ok(s) || seq < r->seq)
            continue;
        r->seq = seq;
        value = (int64_t)wire_le_get64(s + 16);
    }
    return value;
}

/* ---- Accept records ------------------------------------------------------ */

size_t paxos_rec_encode(int64_t slot, int64_t ballot, const paxos_cmd *cmd,
                        uint8_t out[PAXOS_REC_MAX])
{
    uint8_t *p = out + PAXOS_REC_HEAD;
    wire_le_put64(p, (uint64_t)slot);
    wire_le_put64(p + 8, (uint64_t)ballot);
    size_t n = paxos_cmd_encode(cmd, p + PAXOS_REC_MIN);
    p[16] = (uint8_t)n;
    size_t plen = PAXOS_REC_MIN + n;
    wire_le_put32(out, (uint32_t)plen);
    wire_le_put32(out + 4, (uint32_t)wire_hash_bytes(p, plen));
    return PAXOS_REC_HEAD + plen;
}

int paxos_rec_append(fl_ctx *ctx, paxos_recfile *f, int64_t slot,
                     int64_t ballot, const paxos_cmd *cmd)
{
    uint8_t rec[PAXOS_REC_MAX];
    size_t n = paxos_rec_encode(slot, ballot, cmd, rec);
    if (fl_disk_write(ctx, PAXOS_REC_FILE, f->size, rec, n) != 0)
        return -1;
    f->size += n;
    return 0;
}

/* One record at `buf`, or false if it is short, torn or malformed. */
static bool paxos_rec_one(const uint8_t *buf, size_t len, size_t *used,
                          int64_t *slot, int64_t *ballot, paxos_cmd *cmd)
{
    if (len < PAXOS_REC_HEAD)
        return false;
    uint32_t plen = wire_le_get32(buf);
    uint32_t check = wire_le_get32(buf + 4);
    const uint8_t *p = buf + PAXOS_REC_HEAD;
    if (plen < PAXOS_REC_MIN || plen > PAXOS_REC_MIN + PAXOS_CMD_MAX_BYTES ||
        len - PAXOS_REC_HEAD < plen ||
        check != (uint32_t)wire_hash_bytes(p, plen))
        return false;
    *slot = (int64_t)wire_le_get64(p);
    *ballot = (int64_t)wire_le_get64(p + 8);
    if (p[16] != plen - PAXOS_REC_MIN || *slot < 1 || *ballot < 0 ||
        paxos_cmd_decode(p + PAXOS_REC_MIN, p[16], cmd) != 0)
        return false;
    *used = PAXOS_REC_HEAD + plen;
    return true;
}

size_t paxos_rec_parse(const uint8_t *buf, size_t len, paxos_log *log,
                       int64_t *records)
{
    size_t off = 0;
    *records = 0;
    for (;;) {
        size_t used;
        int64_t slot, ballot;
        paxos_cmd cmd;
        if (!paxos_rec_one(buf + off, len - off, &used, &slot, &ballot, &cmd))
            break;
        paxos_slot *s = paxos_log_ensure(log, slot);
        if (!s)
            break;
        s->acc_ballot = ballot;
        s->acc_cmd = cmd;
        s->acc_durable = true;
        off += used;
        (*records)++;
    }
    return off;
}

int64_t paxos_rec_load(fl_ctx *ctx, paxos_recfile *f, paxos_log *log)
{
    f->size = 0;
    int64_t size = fl_disk_size(ctx, PAXOS_REC_FILE);
    if (size <= 0)
        return 0;
    uint8_t *buf = malloc((size_t)size);
    if (!buf)
        return -1;
    int64_t got = fl_disk_read(ctx, PAXOS_REC_FILE, 0, buf, (size_t)size);
    int64_t records = 0;
    size_t good = got > 0 ? paxos_rec_parse(buf, (size_t)got, log, &records)
                          : 0;
    free(buf);
    f->size = good;
    /* Drop a torn tail before appending again. */
    if (got > 0 && good < (size_t)got &&
        fl_disk_truncate(ctx, PAXOS_REC_FILE, good) != 0)
        return -1;
    return records;
}
