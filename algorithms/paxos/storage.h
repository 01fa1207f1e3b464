/* storage.h — Paxos's durable state on a node's simulated disk. Lamport,
 * "Paxos Made Simple" §2.3: "An acceptor must remember this information
 * [its promise and what it accepted] even if it fails and then restarts",
 * and a proposer must never reuse a ballot. Owns two file formats:
 *
 *   register ("promise", "round")  one int64 kept in two 32-byte slots
 *              written alternately, so a torn write leaves the other
 *              intact: u32 magic "PXRG", u32 zero, u64 sequence, i64
 *              value, u64 check (hash of the 24 bytes before). Reading
 *              takes the valid slot with the highest sequence.
 *   "accepted" one record per accept: u32 payload length, u32 check,
 *              payload = i64 slot, i64 ballot, u8 command length, command
 *              bytes (codec.h). Recovery replays records in order (a later
 *              record for a slot replaces an earlier one), stops at the
 *              first short or bad record (a torn tail) and cuts it off.
 *
 * Callers write, then call fl_disk_sync before any message that depends
 * on what they wrote (acceptor.c's flush). */
#ifndef FL_PAXOS_STORAGE_H
#define FL_PAXOS_STORAGE_H

#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/paxos/log.h"

/* One durable int64. */
typedef struct paxos_reg {
    const char *file;
    uint64_t    seq;       /* sequence of the last slot written */
} paxos_reg;

void paxos_reg_init(paxos_reg *r, const char *file);
int  paxos_reg_write(fl_ctx *ctx, paxos_reg *r, int64_t value);
/* The value last written (and `r->seq`), or `dflt` if none is valid. */
int64_t paxos_reg_read(fl_ctx *ctx, paxos_reg *r, int64_t dflt);

/* The acceptor's record file. */
typedef struct paxos_recfile {
    uint64_t size;         /* bytes in "accepted" */
} paxos_recfile;

/* Appends one accept record. */
int paxos_rec_append(fl_ctx *ctx, paxos_recfile *f, int64_t slot,
                     int64_t ballot, const paxos_cmd *cmd);
/* Replays "accepted" into `log` (acc_ballot / acc_cmd, marked durable) and
 * truncates a torn tail. Returns the number of records, or -1 on error. */
int64_t paxos_rec_load(fl_ctx *ctx, paxos_recfile *f, paxos_log *log);

/* Pure helpers, for tests: one record's bytes, and parsing a buffer of
 * records into `log` (returns the length of the valid prefix). */
#define PAXOS_REC_MAX (8u + 17u + PAXOS_CMD_MAX_BYTES)
size_t paxos_rec_encode(int64_t slot, int64_t ballot, const paxos_cmd *cmd,
                        uint8_t out[PAXOS_REC_MAX]);
size_t paxos_rec_parse(const uint8_t *buf, size_t len, paxos_log *log,
                       int64_t *records);

#endif
