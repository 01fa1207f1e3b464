/* log.c — Raft's in-memory log: appends with chain hashes, truncation,
 * compaction into a snapshot base, and the lookups that elections and fast
 * backtracking need (see log.h). */
#include "algorithms/raft/log.h"

#include <stdlib.h>
#include <string.h>

void raft_log_init(raft_log *l)
{
    memset(l, 0, sizeof *l);
}

void raft_log_free(raft_log *l)
{
    free(l->e);
    raft_log_init(l);
}

int64_t raft_log_last(const raft_log *l)
{
    return l->base + (int64_t)l->len;
}

int64_t raft_log_last_term(const raft_log *l)
{
    return l->len ? l->e[l->len - 1].term : l->base_term;
}

const raft_entry *raft_log_get(const raft_log *l, int64_t index)
{
    if (index <= l->base || index > raft_log_last(l))
        return NULL;
    return &l->e[index - l->base - 1];
}

bool raft_log_term(const raft_log *l, int64_t index, int64_t *term)
{
    if (index == l->base) {
        *term = l->base_term;
        return true;
    }
    const raft_entry *e = raft_log_get(l, index);
    if (!e)
        return false;
    *term = e->term;
    return true;
}

static uint64_t raft_log_last_chain(const raft_log *l)
{
    return l->len ? l->e[l->len - 1].chain : l->base_chain;
}

int raft_log_append(raft_log *l, int64_t term, const raft_cmd *cmd)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        raft_entry *e = realloc(l->e, cap * sizeof *e);
        if (!e)
            return -1;
        l->e = e;
        l->cap = cap;
    }
    uint8_t bytes[RAFT_CMD_MAX_BYTES];
    size_t n = raft_cmd_encode(cmd, bytes);
    raft_entry *e = &l->e[l->len];
    e->term = term;
    e->cmd = *cmd;
    e->cmd_hash = wire_hash_bytes(bytes, n);
    e->chain = raft_chain_hash(raft_log_last_chain(l), term, bytes, n);
    e->file_off = 0;
    l->len++;
    return 0;
}

void raft_log_truncate(raft_log *l, int64_t from)
{
    if (from <= l->base)
        from = l->base + 1;
    if (from > raft_log_last(l))
        return;
    l->len = (size_t)(from - l->base - 1);
}

void raft_log_compact(raft_log *l, int64_t upto)
{
    const raft_entry *last = raft_log_get(l, upto);
    if (!last)
        return;
    size_t drop = (size_t)(upto - l->base);
    l->base_term = last->term;
    l->base_chain = last->chain;
    l->base_cmd = last->cmd_hash;
    l->base = upto;
    memmove(l->e, l->e + drop, (l->len - drop) * sizeof *l->e);
    l->len -= drop;
}

void raft_log_reset(raft_log *l, int64_t base, int64_t term, uint64_t chain,
                    uint64_t cmd)
{
    l->len = 0;
    l->base = base;
    l->base_term = term;
    l->base_chain = chain;
    l->base_cmd = cmd;
}

int64_t raft_log_first_of_term(const raft_log *l, int64_t index)
{
    int64_t t;
    if (!raft_log_term(l, index, &t) || index <= l->base)
        return l->base + 1;
    int64_t i = index;
    while (i - 1 > l->base && raft_log_get(l, i - 1)->term == t)
        i--;
    return i;
}

int64_t raft_log_last_of_term(const raft_log *l, int64_t term)
{
    for (size_t k = l->len; k > 0; k--) {
        if (l->e[k - 1].term == term)
            return l->base + (int64_t)k;
        if (l->e[k - 1].term < term)
            return -1;      /* terms only grow along a log */
    }
    return (l->base > 0 && l->base_term == term) ? l->base : -1;
}

bool raft_log_up_to_date(const raft_log *l, int64_t last_term,
                         int64_t last_index)
{
    int64_t my_term = raft_log_last_term(l);
    if (last_term != my_term)
        return last_term > my_term;
    return last_index >= raft_log_last(l);
}
