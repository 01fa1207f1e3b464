/* log.h — Raft's in-memory log (Raft §5.3, §7): entries from index
 * base+1 to last, where `base` is the last index folded into a snapshot
 * (0 without one). Each entry keeps its term, its decoded command, its
 * chain hash (over the previous chain, the term and the command bytes) and
 * the offset of its record in the on-disk log file. Indices start at 1. */
#ifndef FL_RAFT_LOG_H
#define FL_RAFT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/raft/codec.h"

typedef struct raft_entry {
    int64_t  term;
    uint64_t chain;
    uint64_t cmd_hash;
    raft_cmd cmd;
    uint64_t file_off;     /* start of its record in the current log file */
} raft_entry;

typedef struct raft_log {
    raft_entry *e;         /* e[i] holds index base + 1 + i */
    size_t      len;
    size_t      cap;
    int64_t     base;      /* last index covered by the snapshot; 0 none */
    int64_t     base_term;
    uint64_t    base_chain;
    uint64_t    base_cmd;  /* command hash of entry `base` */
} raft_log;

void    raft_log_init(raft_log *l);
void    raft_log_free(raft_log *l);
int64_t raft_log_last(const raft_log *l);
int64_t raft_log_last_term(const raft_log *l);
/* The entry at `index`, or NULL if it is not held (<= base or > last). */
const raft_entry *raft_log_get(const raft_log *l, int64_t index);
/* Term at `index`, including `base` (term of the snapshot's last entry, 0
 * for index 0). False if the index is neither base nor held. */
bool    raft_log_term(const raft_log *l, int64_t index, int64_t *term);
/* Appends at last+1 with the chain computed from the previous entry.
 * Returns 0, or -1 out of memory. */
int     raft_log_append(raft_log *l, int64_t term, const raft_cmd *cmd);
/* Drops every entry at `from` and above (from > base). */
void    raft_log_truncate(raft_log *l, int64_t from);
/* Folds entries up to `upto` (base < upto <= last) into the snapshot. */
void    raft_log_compact(raft_log *l, int64_t upto);
/* Drops everything: the snapshot now ends at `base`. */
void    raft_log_reset(raft_log *l, int64_t base, int64_t term,
                       uint64_t chain, uint64_t cmd);
/* First index of the run of entries sharing `index`'s term (>= base+1). */
int64_t raft_log_first_of_term(const raft_log *l, int64_t index);
/* Last index holding `term` (base counts), or -1 (fast backtracking). */
int64_t raft_log_last_of_term(const raft_log *l, int64_t term);
/* Raft §5.4.1: is (last_term, last_index) at least as up to date as ours? */
bool    raft_log_up_to_date(const raft_log *l, int64_t last_term,
                            int64_t last_index);

#endif
