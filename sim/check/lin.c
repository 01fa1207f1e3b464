/* lin.c — the linearizability checker (lin.h).
 *
 * Per partition, the history becomes a doubly linked list of call and
 * return entries in real-time order (calls first at equal positions, so
 * touching ops count as concurrent). The search (Wing & Gong, with Lowe's
 * just-in-time linearization, as in Porcupine) walks the list from its head:
 * at a call entry it tries to linearize that op next — if the model accepts
 * it and the configuration (set of linearized ops, model state) is new, the
 * op's call and return are lifted out of the list and the walk restarts at
 * the head; at a return entry whose op is not yet linearized, it is too
 * late, so it backtracks. Indeterminate ops have no return entry: they may
 * be linearized at any point after their call, or never; the search ends
 * as soon as every ok op is linearized.
 *
 * What makes it fast:
 *  - model states are interned to small integers, so a configuration is
 *    (bitset, state id) and equal states compare in O(1);
 *  - every (state, op) step is memoized, so the model runs once per pair;
 *  - the bitset's hash is kept incrementally (Zobrist: XOR of a fixed
 *    random word per op) and stored compressed, as the run of all-ones
 *    words at its start (implied) and the words up to the last non-zero
 *    one — a few words however long the history is;
 *  - info ops are kept in a second bitset, outside the hash: a
 *    configuration is pruned when one with the same ok ops and state, and
 *    a subset of its info ops, was explored before (it failed, and could
 *    have done everything this one can, leaving the extra info ops out),
 *    and info ops are tried after ok ops, so small info sets come first.
 *    An info op is also tried only when another open op depends on it
 *    (info_useful). Without these, k timed-out writes make 2^k
 *    configurations;
 *  - ops equal in kind, key, argument and result are taken in call order,
 *    and a read-only op that fits is taken at once (see find_twins and
 *    find_forced).
 *
 * Everything is deterministic: hashes come from SplitMix64 of indices, ties
 * break on indices, and the wall clock is read only for the timeout. */
#include "sim/check/lin.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* ---- small utilities -------------------------------------------------------- */

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* A fast hash of a state's bytes, eight at a time. Hash values only place
 * entries in tables (every hit is confirmed by comparing), so nothing the
 * checker prints depends on them. */
static uint64_t hash_bytes(const unsigned char *p, size_t n)
{
    uint64_t h = 0x243f6a8885a308d3ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ (w * 0x87c37b91114253d5ull)) * 0x4cf5ad432745937full;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    if (n)
        memcpy(&w, p, n);
    return splitmix64(h ^ w);
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The bytes a search's tables hold, against a limit (fl_lin_options:
 * max_memory). Every table that grows with the search is charged here
 * before it grows; when a growth would pass the limit, it is refused and
 * `hit` set, and the search stops with UNKNOWN. */
typedef struct lin_mem {
    size_t used, limit, peak;
    bool   hit;
} lin_mem;

/* Accounts for a block going from `old` to `now` bytes: false (and hit)
 * if that passes the limit. */
static bool mem_resize(lin_mem *m, size_t old, size_t now)
{
    size_t used = m->used - old + now;
    if (now > old && used > m->limit) {
        m->hit = true;
        return false;
    }
    m->used = used;
    if (used > m->peak)
        m->peak = used;
    return true;
}

/* Grows *p (an array of `size`-byte elements) to hold at least `need`. */
static int grow(lin_mem *mem, void **p, size_t *cap, size_t need,
                size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    if (!mem_resize(mem, *cap * size, c * size))
        return -1;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* ---- interned model states -------------------------------------------------- */

typedef struct lin_states {
    const fl_model *m;
    lin_mem   *mem;
    fl_arena   bytes;            /* all states, in chunks that never move */
    const unsigned char **ptr;
    size_t    *len;
    uint64_t  *hash;
    size_t     n, cap;
    uint32_t  *table;            /* open addressing: state id + 1, 0 = empty */
    size_t     tcap;
} lin_states;

static fl_lin_state state_get(const lin_states *t, uint32_t id)
{
    return (fl_lin_state){ t->ptr[id], t->len[id] };
}

static uint64_t state_hash(const lin_states *t, fl_lin_state s)
{
    return t->m->hash ? splitmix64(t->m->hash(s)) : hash_bytes(s.data, s.len);
}

static bool state_equal(const lin_states *t, fl_lin_state a, fl_lin_state b)
{
    if (t->m->equal)
        return t->m->equal(a, b);
    return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

static int states_rehash(lin_states *t)
{
    size_t tcap = t->tcap ? t->tcap * 2 : 64;
    if (!mem_resize(t->mem, t->tcap * sizeof *t->table,
                    tcap * sizeof *t->table))
        return -1;
    uint32_t *tab = calloc(tcap, sizeof *tab);
    if (!tab)
        return -1;
    for (size_t id = 0; id < t->n; id++) {
        size_t i = t->hash[id] & (tcap - 1);
        while (tab[i])
            i = (i + 1) & (tcap - 1);
        tab[i] = (uint32_t)id + 1;
    }
    free(t->table);
    t->table = tab;
    t->tcap = tcap;
    return 0;
}

/* The id of state `s` (bytes anywhere), adding it if new; -1 on OOM. */
static int64_t state_intern(lin_states *t, fl_lin_state s)
{
    uint64_t h = state_hash(t, s);
    if (t->tcap) {
        for (size_t i = h & (t->tcap - 1); t->table[i];
             i = (i + 1) & (t->tcap - 1)) {
            uint32_t id = t->table[i] - 1;
            if (t->hash[id] == h && state_equal(t, state_get(t, id), s))
                return id;
        }
    }
    if (t->n >= UINT32_MAX - 1)
        return -1;
    if ((t->n + 1) * 2 > t->tcap && states_rehash(t) != 0)
        return -1;
    size_t c = t->cap;
    if (grow(t->mem, (void **)&t->ptr, &c, t->n + 1, sizeof *t->ptr) != 0)
        return -1;
    c = t->cap;
    if (grow(t->mem, (void **)&t->len, &c, t->n + 1, sizeof *t->len) != 0)
        return -1;
    c = t->cap;
    if (grow(t->mem, (void **)&t->hash, &c, t->n + 1, sizeof *t->hash) != 0)
        return -1;
    t->cap = c;
    if (!mem_resize(t->mem, 0, (s.len + 31u) & ~(size_t)15u))
        return -1;
    unsigned char *copy = fl_arena_alloc_raw(&t->bytes, s.len);
    if (!copy)
        return -1;
    if (s.len)
        memcpy(copy, s.data, s.len);
    size_t id = t->n++;
    t->ptr[id] = copy;
    t->len[id] = s.len;
    t->hash[id] = h;
    size_t i = h & (t->tcap - 1);
    while (t->table[i])
        i = (i + 1) & (t->tcap - 1);
    t->table[i] = (uint32_t)id + 1;
    return (int64_t)id;
}

static void states_reset(lin_states *t)
{
    t->n = 0;
    if (t->table)
        memset(t->table, 0, t->tcap * sizeof *t->table);
    fl_arena_reset(&t->bytes);
}

static size_t states_bytes(const lin_states *t)
{
    return t->cap * (sizeof *t->ptr + sizeof *t->len + sizeof *t->hash) +
           t->tcap * sizeof *t->table;
}

static void states_free(lin_states *t)
{
    fl_arena_free(&t->bytes);
    free(t->ptr);
    free(t->len);
    free(t->hash);
    free(t->table);
}

/* ---- memoized steps: (state, op) -> next state or -1 ---------------------------- */

#define MEMO_EMPTY UINT64_MAX

typedef struct lin_memo {
    uint64_t *keys;
    int32_t  *vals;
    size_t    n, cap;
    lin_mem  *mem;
} lin_memo;

static size_t memo_home(uint64_t key, size_t cap)
{
    return (size_t)splitmix64(key) & (cap - 1);
}

static int memo_grow(lin_memo *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    size_t each = sizeof *m->keys + sizeof *m->vals;
    if (!mem_resize(m->mem, m->cap * each, cap * each))
        return -1;
    uint64_t *keys = malloc(cap * sizeof *keys);
    int32_t *vals = malloc(cap * sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < cap; i++)
        keys[i] = MEMO_EMPTY;
    for (size_t j = 0; j < m->cap; j++) {
        if (m->keys[j] == MEMO_EMPTY)
            continue;
        size_t i = memo_home(m->keys[j], cap);
        while (keys[i] != MEMO_EMPTY)
            i = (i + 1) & (cap - 1);
        keys[i] = m->keys[j];
        vals[i] = m->vals[j];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

/* The slot for key: found (vals valid) or empty (keys[i] == MEMO_EMPTY). */
static size_t memo_slot(const lin_memo *m, uint64_t key)
{
    size_t i = memo_home(key, m->cap);
    while (m->keys[i] != MEMO_EMPTY && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void memo_reset(lin_memo *m)
{
    m->n = 0;
    for (size_t i = 0; i < m->cap; i++)
        m->keys[i] = MEMO_EMPTY;
}

static void memo_free(lin_memo *m)
{
    free(m->keys);
    free(m->vals);
}

/* ---- visited configurations ------------------------------------------------------ */

/* Configurations with the same ok ops and state, differing in their info
 * ops, form a group: the table holds the first (the head), which links
 * the others, so that a lookup compares the ok ops once and then only the
 * info ops, and a large group does not crowd the table. */
typedef struct lin_cfg {
    uint64_t hash;               /* of the ok ops and the state */
    size_t   off;                /* into words: the nw ok words */
    size_t   ioff;               /* into words: the inw info words */
    uint32_t state, lo, nw;      /* ok ops: words lo..lo+nw-1 */
    uint32_t ilo, inw;           /* info ops: words ilo..ilo+inw-1 */
    uint32_t link;               /* the group's next cfg, 0 = none (cfg 0
                                    is a head, never a member) */
    bool     head;               /* in the table */
} lin_cfg;

typedef struct lin_cache {
    lin_cfg  *cfg;
    size_t    n, cap;
    uint64_t *words;
    size_t    nwords, wcap;
    uint32_t *table;             /* head cfg index + 1, 0 = empty */
    size_t    tcap, heads;
    lin_mem  *mem;
} lin_cache;

static int cache_rehash(lin_cache *c)
{
    size_t tcap = c->tcap ? c->tcap * 2 : 1024;
    if (!mem_resize(c->mem, c->tcap * sizeof *c->table,
                    tcap * sizeof *c->table))
        return -1;
    uint32_t *tab = calloc(tcap, sizeof *tab);
    if (!tab)
        return -1;
    for (size_t k = 0; k < c->n; k++) {
        if (!c->cfg[k].head)
            continue;
        size_t i = c->cfg[k].hash & (tcap - 1);
        while (tab[i])
            i = (i + 1) & (tcap - 1);
        tab[i] = (uint32_t)k + 1;
    }
    free(c->table);
    c->table = tab;
    c->tcap = tcap;
    return 0;
}

static void cache_reset(lin_cache *c)
{
    c->n = 0;
    c->nwords = 0;
    c->heads = 0;
    if (c->table)
        memset(c->table, 0, c->tcap * sizeof *c->table);
}

static void cache_free(lin_cache *c)
{
    free(c->cfg);
    free(c->words);
    free(c->table);
}

/* ---- one partition's search ------------------------------------------------------- */

typedef struct lin_search {
    const fl_model  *m;
    const fl_lin_op *ops;        /* the whole history */
    const size_t    *gi;         /* local op -> history index */
    uint32_t         n, nok;

    /* entries, in real-time order; index ne is the list head */
    uint32_t  ne;
    uint32_t *e_op;
    int32_t  *e_match;           /* call: its return entry, or -1 */
    uint8_t  *e_call;
    int32_t  *next, *prev;
    int32_t  *twin;              /* local op -> the op that must go first */
    uint8_t  *ro;                /* local op -> read-only (model says) */
    uint8_t  *blind;             /* local op -> blind (model says) */

    /* the linearized ok ops: bit idx[o]; words before lo are all ones,
     * words after hi zero; zh = XOR of z[o] over them */
    uint64_t *bits, *z;
    uint32_t  nok_bits, words, lo;
    int32_t   hi;
    uint64_t  zh;
    /* the linearized info ops: bit idx[o]; words before ilo and after ihi
     * are zero */
    uint64_t *ibits;
    uint32_t  ninfo, iwords, ilo;
    int32_t   ihi;
    uint32_t *idx;               /* local op -> its bit in bits or ibits */

    lin_states st;
    lin_memo   memo;
    lin_cache  cache;
    fl_lin_buf scratch;

    /* the current linearization */
    int32_t  *stk_entry;
    uint32_t *stk_state;         /* state before each op */
    uint8_t  *stk_forced;        /* linearized as a read-only op that fit */
    uint32_t  depth;

    /* the longest linearization seen: ops and the state after each */
    uint32_t *best_op, *best_state;
    uint32_t  best_len, same;    /* best[0..same) == stack[0..same) */

    double    deadline;          /* wall clock; 0 = none */
    uint64_t  steps;

    /* for the model's may_fit: the ops that may take effect before a read,
     * and the return entries of the reads to ask about */
    const fl_lin_op **avail;
    uint32_t *apart;             /* (composite states) their partitions */
    uint8_t  *want;

    /* P-compositionality off (fl_lin_options.no_partition) for a model
     * that partitions: a state in `st` is then an array of uint32 ids, one
     * per partition, of that partition's state in `sub` */
    bool        product;
    uint32_t    nparts;
    const uint32_t   *pidx;      /* local op -> its partition */
    const fl_lin_val *const *pkey;   /* partition -> its key */
    lin_states  sub;
    lin_memo    submemo;
    fl_lin_buf  pscratch;

    lin_mem     mem;             /* what the tables above hold */
} lin_search;

/* The tables a search fills, handed from one partition's search to the
 * next: their memory is reused rather than freed and faulted in again. */
typedef struct lin_tables {
    lin_states st, sub;
    lin_memo   memo, submemo;
    lin_cache  cache;
    fl_lin_buf scratch, pscratch;
} lin_tables;

static void tables_free(lin_tables *t)
{
    states_free(&t->st);
    states_free(&t->sub);
    memo_free(&t->memo);
    memo_free(&t->submemo);
    cache_free(&t->cache);
    fl_lin_buf_free(&t->scratch);
    fl_lin_buf_free(&t->pscratch);
}

/* Gives the search the tables, emptied, and charges what they hold. */
static void tables_take(lin_search *s, lin_tables *t)
{
    s->st = t->st;
    s->sub = t->sub;
    s->memo = t->memo;
    s->submemo = t->submemo;
    s->cache = t->cache;
    s->scratch = t->scratch;
    s->pscratch = t->pscratch;
    states_reset(&s->st);
    states_reset(&s->sub);
    memo_reset(&s->memo);
    memo_reset(&s->submemo);
    cache_reset(&s->cache);
    s->scratch.len = s->pscratch.len = 0;
    s->scratch.oom = s->pscratch.oom = false;
    s->st.mem = s->memo.mem = s->cache.mem = &s->mem;
    s->sub.mem = s->submemo.mem = &s->mem;
    size_t each = sizeof *s->memo.keys + sizeof *s->memo.vals;
    mem_resize(&s->mem, 0, states_bytes(&s->st) + states_bytes(&s->sub) +
               (s->memo.cap + s->submemo.cap) * each +
               s->cache.cap * sizeof *s->cache.cfg +
               s->cache.wcap * sizeof *s->cache.words +
               s->cache.tcap * sizeof *s->cache.table);
}

/* Hands them back for the next search. */
static void tables_give(lin_search *s, lin_tables *t)
{
    t->st = s->st;
    t->sub = s->sub;
    t->memo = s->memo;
    t->submemo = s->submemo;
    t->cache = s->cache;
    t->scratch = s->scratch;
    t->pscratch = s->pscratch;
}

enum { SEARCH_OK = 1, SEARCH_FAIL = 0, SEARCH_TIMEOUT = -1, SEARCH_OOM = -2,
       SEARCH_MEMORY = -3 };

/* Composite states (no_partition) are compared and hashed as bytes. */
static const fl_model product_model = { .name = "product" };

static const fl_lin_op *op_of(const lin_search *s, uint32_t o)
{
    return &s->ops[s->gi[o]];
}

/* The model's step by op `o` from `state` of table `st`, memoized in
 * `memo`: -1 if the model refuses it, -2 on OOM, else the next state. A
 * read-only op that fits leaves the state as it is (model.h), so its
 * result is not even interned. */
static int64_t model_step(lin_search *s, lin_states *st, lin_memo *memo,
                          uint32_t state, uint32_t o)
{
    if ((memo->n + 1) * 2 > memo->cap && memo_grow(memo) != 0)
        return -2;
    uint64_t key = ((uint64_t)state << 32) | o;
    size_t slot = memo_slot(memo, key);
    if (memo->keys[slot] == key)
        return memo->vals[slot];
    s->scratch.len = 0;
    s->steps++;
    int64_t next = -1;
    if (s->m->step(state_get(st, state), op_of(s, o), &s->scratch)) {
        if (s->scratch.oom)
            return -2;
        next = s->ro[o] ? (int64_t)state
                        : state_intern(st, (fl_lin_state){ s->scratch.data,
                                                           s->scratch.len });
        if (next < 0 || next > INT32_MAX)
            return -2;
    }
    memo->keys[slot] = key;
    memo->vals[slot] = (int32_t)next;
    memo->n++;
    return next;
}

/* Partition p's state (an id in s->sub) in composite state `state`. */
static uint32_t sub_id(const lin_search *s, uint32_t state, uint32_t p)
{
    uint32_t id;
    memcpy(&id, s->st.ptr[state] + 4u * p, sizeof id);
    return id;
}

/* A step of the composite state: the op's partition steps, the others
 * stay. Memoized like model_step. */
static int64_t product_step(lin_search *s, uint32_t state, uint32_t o)
{
    if ((s->memo.n + 1) * 2 > s->memo.cap && memo_grow(&s->memo) != 0)
        return -2;
    uint64_t key = ((uint64_t)state << 32) | o;
    size_t slot = memo_slot(&s->memo, key);
    if (s->memo.keys[slot] == key)
        return s->memo.vals[slot];
    uint32_t p = s->pidx[o], sub = sub_id(s, state, p);
    int64_t nsub = model_step(s, &s->sub, &s->submemo, sub, o);
    int64_t next = nsub < 0 ? nsub : (int64_t)state;
    if (nsub >= 0 && nsub != (int64_t)sub) {
        fl_lin_state cs = state_get(&s->st, state);
        uint32_t v = (uint32_t)nsub;
        s->pscratch.len = 0;
        fl_lin_buf_put(&s->pscratch, cs.data, cs.len);
        if (s->pscratch.oom)
            return -2;
        memcpy(s->pscratch.data + 4u * p, &v, sizeof v);
        next = state_intern(&s->st, (fl_lin_state){ s->pscratch.data,
                                                     s->pscratch.len });
        if (next > INT32_MAX)
            next = -2;
    }
    if (next < -1)
        return -2;
    s->memo.keys[slot] = key;
    s->memo.vals[slot] = (int32_t)next;
    s->memo.n++;
    return next;
}

/* -1 if the model refuses op `o` in `state`, -2 on OOM, else the next state. */
static int64_t step(lin_search *s, uint32_t state, uint32_t o)
{
    return s->product ? product_step(s, state, o)
                      : model_step(s, &s->st, &s->memo, state, o);
}

static bool is_info(const lin_search *s, uint32_t o)
{
    return op_of(s, o)->status == FL_LIN_STATUS_INFO;
}

static uint64_t full_word(const lin_search *s, uint32_t w)
{
    uint32_t tail = s->nok_bits & 63u;
    return (w == s->words - 1 && tail) ? (1ull << tail) - 1 : ~0ull;
}

static bool bit_test(const lin_search *s, uint32_t o)
{
    const uint64_t *b = is_info(s, o) ? s->ibits : s->bits;
    return (b[s->idx[o] >> 6] >> (s->idx[o] & 63u)) & 1u;
}

static void info_set(lin_search *s, uint32_t i)
{
    uint32_t w = i >> 6;
    s->ibits[w] |= 1ull << (i & 63u);
    if ((int32_t)w > s->ihi)
        s->ihi = (int32_t)w;
    if (w < s->ilo)
        s->ilo = w;
}

static void info_clear(lin_search *s, uint32_t i)
{
    uint32_t w = i >> 6;
    s->ibits[w] &= ~(1ull << (i & 63u));
    while (s->ihi >= 0 && s->ibits[s->ihi] == 0)
        s->ihi--;
    if (s->ihi < 0)
        s->ilo = s->iwords;
    else
        while (s->ibits[s->ilo] == 0)
            s->ilo++;
}

static void bit_set(lin_search *s, uint32_t o)
{
    if (is_info(s, o)) {
        info_set(s, s->idx[o]);
        return;
    }
    uint32_t i = s->idx[o], w = i >> 6;
    s->bits[w] |= 1ull << (i & 63u);
    s->zh ^= s->z[o];
    if ((int32_t)w > s->hi)
        s->hi = (int32_t)w;
    while (s->lo < s->words && s->bits[s->lo] == full_word(s, s->lo))
        s->lo++;
}

static void bit_clear(lin_search *s, uint32_t o)
{
    if (is_info(s, o)) {
        info_clear(s, s->idx[o]);
        return;
    }
    uint32_t i = s->idx[o], w = i >> 6;
    s->bits[w] &= ~(1ull << (i & 63u));
    s->zh ^= s->z[o];
    if (w < s->lo)
        s->lo = w;
    while (s->hi >= 0 && s->bits[s->hi] == 0)
        s->hi--;
}

/* Whether the info ops of g are a subset of the current ones. */
static bool info_subset(const lin_search *s, const lin_cfg *g)
{
    const uint64_t *w = s->cache.words + g->ioff;
    for (uint32_t k = 0; k < g->inw; k++) {
        uint32_t at = g->ilo + k;
        uint64_t cur = at < s->iwords ? s->ibits[at] : 0;
        if (w[k] & ~cur)
            return false;
    }
    return true;
}

/* Adds the current configuration with `state`: 1 if new, 0 if it is
 * dominated by one seen before, -1 OOM. */
static int cache_add(lin_search *s, uint32_t state)
{
    lin_cache *c = &s->cache;
    uint32_t nw = s->hi >= (int32_t)s->lo ? (uint32_t)s->hi - s->lo + 1 : 0;
    uint32_t inw = s->ihi >= 0 ? (uint32_t)s->ihi - s->ilo + 1 : 0;
    uint32_t ilo = inw ? s->ilo : 0;
    const uint64_t *w = s->bits + s->lo;
    uint64_t h = s->zh ^ splitmix64(state + 0x51ull);
    int64_t head = -1;
    if (c->tcap) {
        for (size_t i = h & (c->tcap - 1); c->table[i];
             i = (i + 1) & (c->tcap - 1)) {
            const lin_cfg *g = &c->cfg[c->table[i] - 1];
            if (g->hash == h && g->state == state && g->lo == s->lo &&
                g->nw == nw &&
                (nw == 0 || memcmp(c->words + g->off, w, nw * 8u) == 0)) {
                head = c->table[i] - 1;
                break;
            }
        }
    }
    /* the head, then the newest first (measured: faster than oldest) */
    for (int64_t k = head; k >= 0;
         k = c->cfg[k].link ? (int64_t)c->cfg[k].link : -1)
        if (info_subset(s, &c->cfg[k]))
            return 0;
    if (c->n >= UINT32_MAX - 1)
        return -1;
    if (head < 0 && (c->heads + 1) * 2 > c->tcap && cache_rehash(c) != 0)
        return -1;
    size_t need = c->nwords + (head < 0 ? nw : 0) + inw + 1;
    if (grow(c->mem, (void **)&c->cfg, &c->cap, c->n + 1,
             sizeof *c->cfg) != 0 ||
        grow(c->mem, (void **)&c->words, &c->wcap, need,
             sizeof *c->words) != 0)
        return -1;
    lin_cfg *g = &c->cfg[c->n];
    *g = (lin_cfg){ .hash = h, .state = state, .lo = s->lo, .nw = nw,
                    .ilo = ilo, .inw = inw, .head = head < 0 };
    if (head >= 0) {                       /* join the group */
        g->off = c->cfg[head].off;
        g->link = c->cfg[head].link;
        c->cfg[head].link = (uint32_t)c->n;
    } else {
        g->off = c->nwords;
        if (nw)
            memcpy(c->words + c->nwords, w, nw * 8u);
        c->nwords += nw;
        size_t i = h & (c->tcap - 1);
        while (c->table[i])
            i = (i + 1) & (c->tcap - 1);
        c->table[i] = (uint32_t)c->n + 1;
        c->heads++;
    }
    g->ioff = c->nwords;
    if (inw)
        memcpy(c->words + c->nwords, s->ibits + ilo, inw * 8u);
    c->nwords += inw;
    c->n++;
    return 1;
}

/* Dancing links: take a call entry and its return out, and put them back. */
static void unlink_entry(lin_search *s, int32_t e)
{
    s->next[s->prev[e]] = s->next[e];
    if (s->next[e] >= 0)
        s->prev[s->next[e]] = s->prev[e];
}

static void relink_entry(lin_search *s, int32_t e)
{
    s->next[s->prev[e]] = e;
    if (s->next[e] >= 0)
        s->prev[s->next[e]] = e;
}

static void lift(lin_search *s, int32_t e)
{
    unlink_entry(s, e);
    if (s->e_match[e] >= 0)
        unlink_entry(s, s->e_match[e]);
}

static void unlift(lin_search *s, int32_t e)
{
    if (s->e_match[e] >= 0)
        relink_entry(s, s->e_match[e]);
    relink_entry(s, e);
}

static void push(lin_search *s, int32_t e, uint32_t before, uint32_t after)
{
    uint32_t d = s->depth++;
    uint32_t o = s->e_op[e];
    s->stk_entry[d] = e;
    s->stk_state[d] = before;
    if (d < s->best_len) {
        if (s->same == d && s->best_op[d] == o && s->best_state[d] == after)
            s->same = d + 1;
        return;
    }
    for (uint32_t i = s->same; i < d; i++) {
        s->best_op[i] = s->e_op[s->stk_entry[i]];
        s->best_state[i] = s->stk_state[i + 1];
    }
    s->best_op[d] = o;
    s->best_state[d] = after;
    s->best_len = d + 1;
    s->same = d + 1;
}

/* Pops the last linearized op; returns its call entry and sets *state. */
static int32_t pop(lin_search *s, uint32_t *state)
{
    uint32_t d = --s->depth;
    int32_t e = s->stk_entry[d];
    *state = s->stk_state[d];
    if (s->same > d)
        s->same = d;
    bit_clear(s, s->e_op[e]);
    unlift(s, e);
    return e;
}

/* Whether op o may be linearized next at all (its twin went first). */
static bool twin_done(const lin_search *s, uint32_t o)
{
    return s->twin[o] < 0 || bit_test(s, (uint32_t)s->twin[o]);
}

/* A read-only op that is open and fits `state`: linearizing it now is as
 * good as any order (it changes nothing, and moving it earlier breaks no
 * real-time constraint), so the search takes it without alternatives.
 * Returns its call entry, -1 if none, -2 on OOM. */
static int32_t find_forced(lin_search *s, uint32_t state)
{
    for (int32_t e = s->next[s->ne]; e >= 0 && s->e_call[e]; e = s->next[e]) {
        uint32_t o = s->e_op[e];
        if (!s->ro[o] || !twin_done(s, o))
            continue;
        int64_t next = step(s, state, o);
        if (next == -2)
            return -2;
        if (next == (int64_t)state)
            return e;
    }
    return -1;
}

/* Linearizes call entry e, moving to state `next`: 1 done, 0 the
 * configuration was seen before, -1 OOM. */
static int advance(lin_search *s, int32_t e, uint32_t *state, uint32_t next,
                   bool forced, uint32_t *left)
{
    uint32_t o = s->e_op[e];
    bit_set(s, o);
    int fresh = cache_add(s, next);
    if (fresh <= 0) {
        bit_clear(s, o);
        return fresh;
    }
    s->stk_forced[s->depth] = forced;
    push(s, e, *state, next);
    *state = next;
    lift(s, e);
    if (op_of(s, o)->status == FL_LIN_STATUS_OK)
        (*left)--;
    return 1;
}

/* Undoes linearizations until one that had alternatives, setting *back
 * to its call entry; false when there is nothing left to undo. */
static bool backtrack(lin_search *s, uint32_t *state, uint32_t *left,
                      int32_t *back)
{
    for (;;) {
        if (s->depth == 0)
            return false;
        bool forced = s->stk_forced[s->depth - 1];
        *back = pop(s, state);
        if (op_of(s, s->e_op[*back])->status == FL_LIN_STATUS_OK)
            (*left)++;
        if (!forced)
            return true;
        /* a forced op failed: so did the configuration before it */
    }
}

/* The candidates at a configuration are the call entries before the first
 * return entry still in the list (Lowe's just-in-time rule: the op of that
 * return must be linearized before any op called after it). They are
 * tried ok ops first, then info ops, each in list (call) order. (Trying
 * the earliest return first was measured: it explores more.) */
static int32_t scan_class(const lin_search *s, int32_t e, bool info)
{
    for (; e >= 0 && s->e_call[e]; e = s->next[e])
        if (is_info(s, s->e_op[e]) == info)
            return e;
    return -1;
}

/* The candidate after entry `after` (-1: the first); -1 if none is left. */
static int32_t next_candidate(const lin_search *s, int32_t after)
{
    int32_t first = s->next[s->ne];
    if (after >= 0 && is_info(s, s->e_op[after]))
        return scan_class(s, s->next[after], true);
    int32_t e = scan_class(s, after >= 0 ? s->next[after] : first, false);
    return e >= 0 ? e : scan_class(s, first, true);
}

/* Just-in-time info ops. Linearizing info op o next (state -> after_o)
 * is worth trying only if some other candidate x depends on it. Take any
 * completion o x rest and rewrite it:
 *  - x is an info op that changes nothing after o: drop x;
 *  - x also fits without o and ends in the same state: drop o (info ops
 *    may never happen);
 *  - x then o ends where o then x does: swap them — when x is an ok op,
 *    or an info op with a lower index than o (so that two commuting info
 *    ops cannot swap back and forth).
 * Each rewrite lowers (info ops kept, ok ops after info ops, inversions
 * among info ops), so rewriting ends with o dropped or moved, or just
 * before an op that needs it — which is when this returns 1. An op whose
 * twin is o always needs it. Shortcuts: an o that changes nothing is
 * dropped; a blind x (a write) always ends in the same state, so it
 * overwrites o. Returns 1 useful, 0 not, -2 on OOM. The
 * random histories of tests/test_check.c check this against brute force. */
static int info_useful(lin_search *s, uint32_t state, uint32_t o,
                       uint32_t after_o)
{
    if (after_o == state)
        return 0;                            /* o changes nothing: drop it */
    for (int32_t e = s->next[s->ne]; e >= 0 && s->e_call[e];
         e = s->next[e]) {
        uint32_t x = s->e_op[e];
        if (x == o || s->blind[x])
            continue;                        /* blind x overwrites o */
        if (s->twin[x] == (int32_t)o)
            return 1;
        if (!twin_done(s, x))
            continue;                        /* cannot go next anyway */
        int64_t a = step(s, after_o, x);     /* o then x */
        if (a == -1)
            continue;                        /* o does not help x */
        if (a == (int64_t)after_o && is_info(s, x))
            continue;                        /* x does nothing: drop x */
        int64_t b = a < 0 ? a : step(s, state, x);   /* x without o */
        if (a == -2 || b == -2)
            return -2;
        if (b == -1)
            return 1;                        /* x needs o */
        if (b == a)
            continue;                        /* x overwrites o: drop o */
        int64_t c = step(s, (uint32_t)b, o); /* x then o */
        if (c == -2)
            return -2;
        if (c != a)
            return 1;                        /* they do not commute */
        if (is_info(s, x) && x > o)
            return 1;                        /* swapping would not progress */
    }
    return 0;
}

/* How far ahead doomed() looks for reads, in list entries; four times as
 * far for a composite state, whose list mixes all partitions. (Measured on
 * Porcupine's kv histories: 8 to 32 all cut c50-ok's configurations from
 * 170k to under 10k; looking further costs more than it saves.) */
#define LIN_LOOKAHEAD 32

/* Whether some ok read not yet linearized can never fit (the model's
 * may_fit: not from this state, whatever the ops that may still take
 * effect before the read returns do): then this configuration fails.
 * 1 doomed, 0 not, -2 OOM. Every op linearized so far precedes such a
 * read, whether it is called yet or not, so this holds for reads still to
 * come as much as for the pending ones; the reads among the first
 * LIN_LOOKAHEAD entries of the list are asked about, in one walk that
 * gathers the ops that may take effect and asks about each read when its
 * return entry is reached. */
static int doomed(lin_search *s, uint32_t state)
{
    if (!s->m->may_fit)
        return 0;
    uint32_t nread = 0, seen = 0;
    uint32_t window = s->product ? 4 * LIN_LOOKAHEAD : LIN_LOOKAHEAD;
    int rc = 0;
    size_t n = 0;
    for (int32_t x = s->next[s->ne];
         x >= 0 && (nread > 0 || seen < window); x = s->next[x]) {
        uint32_t o = s->e_op[x];
        seen++;
        if (s->e_call[x]) {
            if (!s->ro[o]) {
                if (s->product)
                    s->apart[n] = s->pidx[o];
                s->avail[n++] = op_of(s, o);
            } else if (!rc && seen <= window && !is_info(s, o)) {
                int64_t fit = step(s, state, o);
                if (fit == -2)
                    rc = -2;
                if (fit == -1) {
                    s->want[s->e_match[x]] = 1;
                    nread++;
                }
            }
            continue;
        }
        if (!s->want[x])
            continue;
        s->want[x] = 0;
        nread--;
        if (rc)
            continue;                     /* only clearing the marks */
        const fl_lin_op *g = op_of(s, o);
        if (!s->product) {
            if (!s->m->may_fit(state_get(&s->st, state), g, s->avail, n))
                rc = 1;
            continue;
        }
        /* a composite state: the read's partition alone */
        uint32_t p = s->pidx[o];
        size_t k = 0;
        const fl_lin_op **mine = s->avail + n;
        for (size_t i = 0; i < n; i++)
            if (s->apart[i] == p)
                mine[k++] = s->avail[i];
        if (!s->m->may_fit(state_get(&s->sub, sub_id(s, state, p)), g,
                           mine, k))
            rc = 1;
    }
    return rc;
}

/* At a new configuration: takes a forced read-only op if there is one.
 * 1 taken, 0 none, -1 this configuration fails, -2 OOM. */
static int take_forced(lin_search *s, uint32_t *state, uint32_t *left)
{
    int32_t f = find_forced(s, *state);
    if (f < 0)
        return f == -2 ? -2 : 0;
    int rc = advance(s, f, state, *state, true, left);
    if (rc < 0)
        return -2;
    return rc > 0 ? 1 : -1;     /* seen before: its failure is ours */
}

static int search(lin_search *s, uint32_t state)
{
    uint32_t left = s->nok;                  /* ok ops not yet linearized */
    bool arrived = true;                     /* at a new configuration */
    bool forced = false;                     /* ... by a forced op */
    int32_t e = -1;
    uint64_t iter = 0;
    while (left > 0) {
        if ((++iter & 4095u) == 0 && s->deadline > 0 &&
            wall_seconds() > s->deadline)
            return SEARCH_TIMEOUT;
        if (arrived) {
            arrived = false;
            /* (a forced op changes neither the state nor what else may
             * take effect: no need to look for doomed reads again) */
            int rc = forced ? 0 : doomed(s, state);
            if (rc == 0)
                rc = take_forced(s, &state, &left);
            else if (rc == 1)
                rc = -1;
            if (rc == -2)
                return SEARCH_OOM;
            forced = rc == 1;
            if (rc == 1) {
                arrived = true;
                continue;
            }
            e = rc == 0 ? next_candidate(s, -1) : -1;
        }
        if (e >= 0) {
            uint32_t o = s->e_op[e];
            int64_t next = twin_done(s, o) ? step(s, state, o) : -1;
            if (next >= 0 && is_info(s, o)) {
                int useful = info_useful(s, state, o, (uint32_t)next);
                next = useful == -2 ? -2 : useful ? next : -1;
            }
            if (next == -2)
                return SEARCH_OOM;
            if (next >= 0) {
                int rc = advance(s, e, &state, (uint32_t)next, false, &left);
                if (rc < 0)
                    return SEARCH_OOM;
                if (rc > 0) {
                    arrived = true;
                    continue;
                }
            }
            e = next_candidate(s, e);
            continue;
        }
        /* No candidate left: undo the last choice and try the next one. */
        int32_t back;
        if (!backtrack(s, &state, &left, &back))
            return SEARCH_FAIL;
        e = next_candidate(s, back);
    }
    return SEARCH_OK;
}

/* ---- building a partition's search -------------------------------------------------- */

typedef struct lin_entry_key {
    int64_t  pos;
    uint32_t op;
    uint8_t  is_return;
} lin_entry_key;

static int entry_cmp(const void *a, const void *b)
{
    const lin_entry_key *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    if (x->is_return != y->is_return)
        return x->is_return ? 1 : -1;      /* calls first: concurrent */
    return x->op < y->op ? -1 : x->op > y->op;
}

static void search_free(lin_search *s)
{
    free(s->e_op);
    free(s->e_match);
    free(s->e_call);
    free(s->next);
    free(s->prev);
    free(s->twin);
    free(s->ro);
    free(s->blind);
    free(s->stk_forced);
    free(s->bits);
    free(s->ibits);
    free(s->idx);
    free(s->z);
    free(s->stk_entry);
    free(s->stk_state);
    free(s->best_op);
    free(s->best_state);
    free(s->avail);
    free(s->want);
    free(s->apart);
}

static int search_alloc(lin_search *s)
{
    size_t n = s->n, ne = s->ne;
    s->e_op = malloc((ne + 1) * sizeof *s->e_op);
    s->e_match = malloc((ne + 1) * sizeof *s->e_match);
    s->e_call = malloc((ne + 1) * sizeof *s->e_call);
    s->next = malloc((ne + 1) * sizeof *s->next);
    s->prev = malloc((ne + 1) * sizeof *s->prev);
    s->twin = malloc((n + 1) * sizeof *s->twin);
    s->ro = malloc(n + 1);
    s->blind = malloc(n + 1);
    s->stk_forced = malloc(n + 1);
    s->words = (uint32_t)((s->nok_bits + 63) / 64);
    s->bits = calloc(s->words + 1, sizeof *s->bits);
    s->iwords = (uint32_t)((s->ninfo + 63) / 64);
    s->ibits = calloc(s->iwords + 1, sizeof *s->ibits);
    s->idx = malloc((n + 1) * sizeof *s->idx);
    s->z = malloc((n + 1) * sizeof *s->z);
    s->stk_entry = malloc((n + 1) * sizeof *s->stk_entry);
    s->stk_state = malloc((n + 1) * sizeof *s->stk_state);
    s->best_op = malloc((n + 1) * sizeof *s->best_op);
    s->best_state = malloc((n + 1) * sizeof *s->best_state);
    s->avail = malloc((2 * n + 1) * sizeof *s->avail);
    s->want = calloc(ne + 1, 1);
    s->apart = malloc((n + 1) * sizeof *s->apart);
    if (!s->e_op || !s->e_match || !s->e_call || !s->next || !s->prev ||
        !s->twin || !s->ro || !s->blind || !s->stk_forced || !s->bits ||
        !s->ibits || !s->idx || !s->z || !s->stk_entry || !s->stk_state ||
        !s->best_op || !s->best_state || !s->avail || !s->want ||
        !s->apart)
        return -1;
    /* what these arrays take, charged at once */
    size_t fixed = (ne + 1) * 18 + (n + 1) * 67 +
                   ((size_t)s->words + s->iwords + 2) * 8;
    return mem_resize(&s->mem, 0, fixed) ? 0 : -1;
}

/* Symmetry: ops A and B with equal kind, key, argument and result, where
 * A's call and return are no later than B's (an info op returns never),
 * can swap places in any linearization — so some linearization, if any
 * exists, has A before B, and B may wait for A. twin[B] = the nearest such
 * A before B in call order, or -1. Many reads of one value, or retried
 * writes of one value, stop multiplying the search. (A model's step sees
 * only kind, key, arg and out, never the process, so this is sound.) */
static uint64_t op_class(const fl_lin_op *op)
{
    uint64_t h = splitmix64((uint64_t)op->kind + 0x7477ull);
    h = splitmix64(h ^ fl_lin_val_hash(&op->key));
    h = splitmix64(h ^ fl_lin_val_hash(&op->arg));
    return splitmix64(h ^ fl_lin_val_hash(&op->out));
}

static bool same_class(const fl_lin_op *a, const fl_lin_op *b)
{
    return a->kind == b->kind && fl_lin_val_equal(&a->key, &b->key) &&
           fl_lin_val_equal(&a->arg, &b->arg) &&
           fl_lin_val_equal(&a->out, &b->out);
}

/* `calls`: local ops in call order. */
static int find_twins(lin_search *s, const uint32_t *calls)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)s->n + 2)
        cap *= 2;
    uint32_t *last = calloc(cap, sizeof *last);   /* local op + 1 */
    if (!last)
        return -1;
    for (uint32_t k = 0; k < s->n; k++) {
        uint32_t o = calls[k];
        const fl_lin_op *op = op_of(s, o);
        size_t i = op_class(op) & (cap - 1);
        while (last[i] && !same_class(op_of(s, last[i] - 1), op))
            i = (i + 1) & (cap - 1);
        s->twin[o] = -1;
        if (last[i] && op_of(s, last[i] - 1)->ret <= op->ret)
            s->twin[o] = (int32_t)last[i] - 1;
        last[i] = o + 1;
    }
    free(last);
    return 0;
}

/* Builds the entry list of local ops gi[0..n), and the twins. */
static int search_build(lin_search *s)
{
    lin_entry_key *k = malloc((size_t)(s->ne + 1) * sizeof *k);
    int32_t *ret_of = malloc((size_t)(s->n + 1) * sizeof *ret_of);
    uint32_t *calls = malloc((size_t)(s->n + 1) * sizeof *calls);
    int rc = -1;
    if (!k || !ret_of || !calls)
        goto out;
    uint32_t ne = 0, nc = 0, nok = 0, ninfo = 0;
    for (uint32_t o = 0; o < s->n; o++) {
        const fl_lin_op *op = op_of(s, o);
        s->idx[o] = op->status == FL_LIN_STATUS_OK ? nok++ : ninfo++;
        k[ne++] = (lin_entry_key){ op->call, o, 0 };
        if (op->status == FL_LIN_STATUS_OK)
            k[ne++] = (lin_entry_key){ op->ret, o, 1 };
        s->z[o] = splitmix64(0x6c696e00ull + o);
        s->ro[o] = s->m->read_only && s->m->read_only(op);
        s->blind[o] = s->m->blind && s->m->blind(op);
        ret_of[o] = -1;
    }
    qsort(k, ne, sizeof *k, entry_cmp);
    for (uint32_t i = 0; i < ne; i++) {
        if (k[i].is_return)
            ret_of[k[i].op] = (int32_t)i;
        else
            calls[nc++] = k[i].op;
    }
    for (uint32_t i = 0; i < ne; i++) {
        s->e_op[i] = k[i].op;
        s->e_call[i] = !k[i].is_return;
        s->e_match[i] = k[i].is_return ? -1 : ret_of[k[i].op];
        s->next[i] = i + 1 < ne ? (int32_t)i + 1 : -1;
        s->prev[i] = i ? (int32_t)i - 1 : (int32_t)ne;
    }
    s->next[ne] = ne ? 0 : -1;              /* the head */
    s->prev[ne] = -1;
    s->hi = -1;
    s->ihi = -1;
    s->ilo = s->iwords;
    rc = find_twins(s, calls);
out:
    free(k);
    free(ret_of);
    free(calls);
    return rc;
}

/* ---- reports ----------------------------------------------------------------------- */

const char *fl_lin_result_name(fl_lin_result r)
{
    switch (r) {
    case FL_LIN_OK:        return "yes";
    case FL_LIN_VIOLATION: return "NO";
    case FL_LIN_ERROR:     return "error";
    case FL_LIN_UNKNOWN:   return "unknown";
    case FL_LIN_UNAVAILABLE: return "unavailable";
    }
    return "?";
}

void fl_lin_report_init(fl_lin_report *r)
{
    memset(r, 0, sizeof *r);
}

void fl_lin_report_free(fl_lin_report *r)
{
    free(r->prefix);
    free(r->pending);
    free(r->part);
    fl_lin_report_init(r);
}

static void key_text(const fl_lin_val *key, char *buf, size_t len);

/* A readable state; for a composite state, {key: state, ...} over the
 * partitions not in their initial state. */
static void describe_state(const lin_search *s, uint32_t id, char *buf,
                           size_t len)
{
    if (!s->product) {
        s->m->describe(state_get(&s->st, id), buf, len);
        return;
    }
    size_t at = (size_t)snprintf(buf, len, "{");
    for (uint32_t p = 0; p < s->nparts && at < len; p++) {
        uint32_t sub = sub_id(s, id, p);
        if (sub == 0)
            continue;                    /* id 0: the initial state */
        char k[64], v[128];
        key_text(s->pkey[p], k, sizeof k);
        s->m->describe(state_get(&s->sub, sub), v, sizeof v);
        at += (size_t)snprintf(buf + at, len - at, "%s%s: %s",
                               at > 1 ? ", " : "", k, v);
    }
    if (at < len)
        snprintf(buf + at, len - at, "}");
    else if (len > 4)
        memcpy(buf + len - 4, "...", 4);
}

static void report_line(const lin_search *s, uint32_t o,
                        fl_lin_report_line *l)
{
    l->op = s->gi[o];
    fl_lin_op_format(op_of(s, o), l->text, sizeof l->text);
    l->note[0] = '\0';
}

/* The ops open after the longest prefix, and the first ok op whose return
 * comes before it could be linearized. */
static int report_pending(lin_search *s, fl_lin_report *r, uint32_t state)
{
    uint8_t *done = calloc(s->n + 1, 1);
    r->pending = calloc(s->n + 1, sizeof *r->pending);
    if (!done || !r->pending) {
        free(done);
        return -1;
    }
    for (uint32_t i = 0; i < s->best_len; i++)
        done[s->best_op[i]] = 1;
    int64_t from = INT64_MAX;
    for (uint32_t e = 0; e < s->ne; e++) {
        uint32_t o = s->e_op[e];
        if (done[o])
            continue;
        const fl_lin_op *op = op_of(s, o);
        if (!s->e_call[e]) {
            r->stuck = s->gi[o];
            r->window_to = op->ret_time;
            break;
        }
        fl_lin_report_line *l = &r->pending[r->npending++];
        report_line(s, o, l);
        int64_t next = step(s, state, o);
        l->fits = next >= 0;
        if (next >= 0) {
            char st[120];
            describe_state(s, (uint32_t)next, st, sizeof st);
            snprintf(l->note, sizeof l->note,
                     "fits (state -> %s), but nothing works after it", st);
        } else {
            snprintf(l->note, sizeof l->note, "not possible in this state");
        }
        if (op->status == FL_LIN_STATUS_OK && op->call_time < from)
            from = op->call_time;
    }
    r->window_from = from == INT64_MAX ? r->window_to : from;
    free(done);
    return 0;
}

static int report_violation(lin_search *s, fl_lin_report *r, uint32_t init)
{
    r->part_ops = s->n;
    r->prefix_len = s->best_len;
    r->prefix = malloc((s->best_len + 1) * sizeof *r->prefix);
    r->part = malloc((s->n + 1) * sizeof *r->part);
    if (!r->prefix || !r->part)
        return -1;
    memcpy(r->part, s->gi, s->n * sizeof *r->part);
    for (uint32_t i = 0; i < s->best_len; i++)
        r->prefix[i] = s->gi[s->best_op[i]];
    uint32_t state = s->best_len ? s->best_state[s->best_len - 1] : init;
    describe_state(s, init, r->init_state, sizeof r->init_state);
    describe_state(s, state, r->state, sizeof r->state);
    uint32_t first = s->best_len > FL_LIN_TAIL ? s->best_len - FL_LIN_TAIL : 0;
    for (uint32_t i = first; i < s->best_len; i++) {
        fl_lin_report_line *l = &r->tail[r->ntail++];
        report_line(s, s->best_op[i], l);
        l->fits = true;
        describe_state(s, s->best_state[i], l->note, sizeof l->note);
    }
    return report_pending(s, r, state);
}

static void key_text(const fl_lin_val *key, char *buf, size_t len)
{
    if (!key || key->type == FL_LV_NONE)
        buf[0] = '\0';
    else
        fl_lin_val_format(key, buf, len);
}

void fl_lin_report_print(const fl_lin_report *r, FILE *out)
{
    if (r->result == FL_LIN_ERROR) {
        fprintf(out, "%s\n", r->err.msg);
        return;
    }
    if (r->result == FL_LIN_UNKNOWN) {
        fprintf(out, "timed out: %zu of %zu partitions not decided\n",
                r->partitions_unknown, r->partitions);
        return;
    }
    if (r->result != FL_LIN_VIOLATION)
        return;
    if (r->key[0])
        fprintf(out, "partition: key %s (%zu ops)\n", r->key, r->part_ops);
    else
        fprintf(out, "partition: the whole history (%zu ops)\n", r->part_ops);
    fprintf(out, "longest linearizable prefix: %zu of %zu ops, from state "
            "%s\n", r->prefix_len, r->part_ops, r->init_state);
    if (r->prefix_len > r->ntail)
        fprintf(out, "  ... %zu earlier ops\n", r->prefix_len - r->ntail);
    for (size_t i = 0; i < r->ntail; i++)
        fprintf(out, "  %-60s => %s\n", r->tail[i].text, r->tail[i].note);
    fprintf(out, "state after the prefix: %s\n", r->state);
    fprintf(out, "open at that point (the op marked ! must take effect "
            "before it returns):\n");
    for (size_t i = 0; i < r->npending; i++) {
        const fl_lin_report_line *l = &r->pending[i];
        fprintf(out, "  %c %-58s %s\n", l->op == r->stuck ? '!' : ' ',
                l->text, l->note);
    }
    fprintf(out, "failing window: %s %" PRId64 " .. %" PRId64 "\n",
            r->time_is_ns ? "time (ns)" : "lines", r->window_from,
            r->window_to);
}

/* ---- partitions --------------------------------------------------------------------- */

typedef struct lin_parts {
    size_t *order;               /* history indices grouped by partition */
    size_t *start;               /* partition p: order[start[p]..start[p+1]) */
    size_t  count;
    size_t *part_of;             /* history index -> partition, or SIZE_MAX */
} lin_parts;

static void parts_free(lin_parts *p)
{
    free(p->order);
    free(p->start);
    free(p->part_of);
}

/* Info reads change nothing and constrain nothing: leave them out. */
static bool checked(const fl_lin_op *op)
{
    return !(op->status == FL_LIN_STATUS_INFO && op->kind == FL_LIN_READ);
}

static const fl_lin_val *part_key(const fl_model *m, const fl_lin_op *op)
{
    return m->partition ? m->partition(op) : NULL;
}

/* Groups ops by the model's partition value, partitions in order of first
 * appearance and ops in history order. */
static int make_parts(const fl_lin_history *h, const fl_model *m,
                      lin_parts *p)
{
    size_t n = h->len, tcap = 16;
    while (tcap < 2 * n + 2)
        tcap *= 2;
    size_t *first = malloc((n + 1) * sizeof *first);     /* op of partition */
    size_t *tab = calloc(tcap, sizeof *tab);             /* partition + 1 */
    size_t *count = calloc(n + 2, sizeof *count);
    p->part_of = malloc((n + 1) * sizeof *p->part_of);
    p->order = malloc((n + 1) * sizeof *p->order);
    p->start = calloc(n + 2, sizeof *p->start);
    p->count = 0;
    int rc = -1;
    if (!p->part_of || !first || !tab || !count || !p->order || !p->start)
        goto out;
    for (size_t i = 0; i < n; i++) {
        p->part_of[i] = SIZE_MAX;
        if (!checked(&h->ops[i]))
            continue;
        const fl_lin_val *k = part_key(m, &h->ops[i]);
        size_t slot = k ? fl_lin_val_hash(k) & (tcap - 1) : 0;
        for (; tab[slot]; slot = (slot + 1) & (tcap - 1)) {
            const fl_lin_val *k2 = part_key(m, &h->ops[first[tab[slot] - 1]]);
            if (!k || fl_lin_val_equal(k, k2))
                break;
        }
        if (!tab[slot]) {
            first[p->count] = i;
            tab[slot] = ++p->count;
        }
        p->part_of[i] = tab[slot] - 1;
        count[p->part_of[i]]++;
    }
    for (size_t q = 0; q < p->count; q++)
        p->start[q + 1] = p->start[q] + count[q];
    memset(count, 0, (n + 2) * sizeof *count);
    for (size_t i = 0; i < n; i++)
        if (p->part_of[i] != SIZE_MAX)
            p->order[p->start[p->part_of[i]] + count[p->part_of[i]]++] = i;
    rc = 0;
out:
    free(first);
    free(tab);
    free(count);
    return rc;
}

/* ---- the checker -------------------------------------------------------------------- */

typedef struct lin_run {
    const fl_lin_history *h;
    const fl_model       *m;
    fl_lin_buf            init;   /* the initial state's bytes */
    double                deadline;
    size_t                max_memory;
    size_t                peak_memory;
    fl_lin_report        *r;
    uint64_t              steps, configurations;
    /* no_partition with a partitioning model: one search over all ops,
     * whose states are tuples of the partitions' states */
    bool                  product;
    const lin_parts      *parts;
    uint32_t             *pidx;       /* per op of the search */
    const fl_lin_val    **pkey;       /* per partition */
    lin_tables            tabs;       /* reused by each partition */
} lin_run;

static int check_accepts(const fl_lin_history *h, const fl_model *m,
                         fl_error *err)
{
    for (size_t i = 0; i < h->len; i++) {
        const char *why = m->accepts(&h->ops[i]);
        if (!why)
            continue;
        char text[160];
        fl_lin_op_format(&h->ops[i], text, sizeof text);
        if (h->ops[i].line)
            return fl_error_set(err, "%s:%zu: %s: %s", h->source,
                                h->ops[i].line, why, text);
        return fl_error_set(err, "%s%sop %zu: %s: %s", h->source,
                            h->source[0] ? ": " : "", i, why, text);
    }
    return 0;
}

/* The initial state: the model's, or for a composite state every
 * partition's (sub-state id 0). -1 on OOM. */
static int64_t initial_state(lin_search *s, const lin_run *run)
{
    fl_lin_state init = { run->init.data, run->init.len };
    if (!s->product)
        return state_intern(&s->st, init);
    if (state_intern(&s->sub, init) != 0)
        return -1;
    for (uint32_t p = 0; p < s->nparts; p++) {
        uint32_t zero = 0;
        fl_lin_buf_put(&s->pscratch, &zero, sizeof zero);
    }
    if (s->pscratch.oom)
        return -1;
    return state_intern(&s->st, (fl_lin_state){ s->pscratch.data,
                                                 s->pscratch.len });
}

/* Checks one partition until `deadline` (0: none): a SEARCH_* code. */
static int check_part(lin_run *run, const size_t *gi, size_t n,
                      double deadline)
{
    lin_search s;
    memset(&s, 0, sizeof s);
    s.m = run->m;
    s.ops = run->h->ops;
    s.gi = gi;
    s.n = (uint32_t)n;
    s.deadline = deadline;
    s.mem.limit = run->max_memory;
    tables_take(&s, &run->tabs);
    s.st.m = run->m;
    if (run->product) {
        s.product = true;
        s.nparts = (uint32_t)run->parts->count;
        s.pidx = run->pidx;
        s.pkey = run->pkey;
        s.st.m = &product_model;
        s.sub.m = run->m;
    }
    for (size_t o = 0; o < n; o++) {
        s.ne++;
        if (run->h->ops[gi[o]].status == FL_LIN_STATUS_OK) {
            s.ne++;
            s.nok++;
        }
    }
    s.nok_bits = s.nok;
    s.ninfo = s.n - s.nok;
    int rc = SEARCH_OOM;
    if (search_alloc(&s) != 0 || search_build(&s) != 0)
        goto out;
    if (s.product)        /* a write no longer sets the whole state */
        memset(s.blind, 0, s.n + 1);
    int64_t init = initial_state(&s, run);
    if (init < 0)
        goto out;
    rc = search(&s, (uint32_t)init);
    if (rc == SEARCH_FAIL && run->r &&
        report_violation(&s, run->r, (uint32_t)init) != 0)
        rc = SEARCH_OOM;
out:
    if (rc == SEARCH_OOM && s.mem.hit)
        rc = SEARCH_MEMORY;
    run->steps += s.steps;
    run->configurations += s.cache.n;
    if (s.mem.peak > run->peak_memory)
        run->peak_memory = s.mem.peak;
    tables_give(&s, &run->tabs);
    search_free(&s);
    return rc;
}

/* The deadline of partition q on the first pass: a fair share of the
 * time left, so that one hard partition cannot starve the others. */
static double share(const lin_run *run, size_t count, size_t q)
{
    if (run->deadline <= 0)
        return 0;
    double now = wall_seconds();
    return now + (run->deadline - now) / (double)(count - q);
}

/* Checks the groups of ops order[start[q]..start[q+1]) in order, stopping
 * at the first violation. With a timeout, a first pass gives each its
 * share of the time and a second pass gives the ones that ran out
 * whatever is left. A group that reaches the memory limit stays
 * undecided. */
static fl_lin_result check_parts(lin_run *run, const size_t *order,
                                 const size_t *start, size_t count)
{
    unsigned char *timed = calloc(count + 1, 1);
    if (!timed)
        return FL_LIN_ERROR;
    int stop = SEARCH_OK;                    /* FAIL or OOM end the check */
    size_t unknown = 0, memory = 0;
    for (int pass = 0; pass < 2 && stop == SEARCH_OK; pass++) {
        unknown = memory;
        for (size_t q = 0; q < count && stop == SEARCH_OK; q++) {
            if (pass == 1 && !timed[q])
                continue;
            size_t from = start[q], n = start[q + 1] - from;
            double dl = pass == 0 ? share(run, count, q) : run->deadline;
            int rc = check_part(run, order + from, n, dl);
            timed[q] = rc == SEARCH_TIMEOUT;
            unknown += timed[q];
            if (rc == SEARCH_MEMORY) {
                memory++;
                unknown++;
            }
            if (rc == SEARCH_FAIL && run->r && !run->product)
                key_text(part_key(run->m, &run->h->ops[order[from]]),
                         run->r->key, sizeof run->r->key);
            if (rc == SEARCH_FAIL || rc == SEARCH_OOM)
                stop = rc;
        }
        if (unknown == memory)
            break;
    }
    free(timed);
    if (stop == SEARCH_FAIL)
        return FL_LIN_VIOLATION;
    if (stop == SEARCH_OOM) {
        if (run->r)
            fl_error_set(&run->r->err, "%s%sout of memory while checking",
                         run->h->source, run->h->source[0] ? ": " : "");
        return FL_LIN_ERROR;
    }
    if (run->r) {
        run->r->partitions_unknown = unknown;
        run->r->partitions_memory = memory;
    }
    return unknown ? FL_LIN_UNKNOWN : FL_LIN_OK;
}

/* no_partition with a partitioning model: all ops in one search, each
 * knowing its partition. */
static fl_lin_result check_whole(lin_run *run, const lin_parts *p)
{
    size_t n = p->start[p->count];
    size_t *order = malloc((n + 1) * sizeof *order);
    run->pidx = malloc((n + 1) * sizeof *run->pidx);
    run->pkey = malloc((p->count + 1) * sizeof *run->pkey);
    fl_lin_result res = FL_LIN_ERROR;
    if (!order || !run->pidx || !run->pkey) {
        if (run->r)
            fl_error_set(&run->r->err, "out of memory");
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < run->h->len; i++) {
        if (p->part_of[i] == SIZE_MAX)
            continue;
        run->pidx[k] = (uint32_t)p->part_of[i];
        order[k++] = i;
    }
    for (size_t q = 0; q < p->count; q++)
        run->pkey[q] = part_key(run->m, &run->h->ops[p->order[p->start[q]]]);
    run->product = true;
    run->parts = p;
    size_t start[2] = { 0, n };
    res = check_parts(run, order, start, 1);
out:
    free(order);
    free(run->pidx);
    free(run->pkey);
    return res;
}

static void set_summary(fl_lin_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_summary(fl_lin_report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->summary, sizeof r->summary, fmt, ap);
    va_end(ap);
}

/* The line of the op that could not take effect. */
static const fl_lin_report_line *stuck_line(const fl_lin_report *r)
{
    for (size_t i = 0; i < r->npending; i++)
        if (r->pending[i].op == r->stuck)
            return &r->pending[i];
    return r->npending ? &r->pending[0] : NULL;
}

char *fl_lin_format_bytes(size_t bytes, char *buf, size_t len)
{
    double b = (double)bytes;
    if (bytes >= (size_t)1 << 30)
        snprintf(buf, len, "%.1f GiB", b / (double)(1u << 30));
    else if (bytes >= (size_t)1 << 20)
        snprintf(buf, len, "%.0f MiB", b / (double)(1u << 20));
    else if (bytes >= (size_t)1 << 10)
        snprintf(buf, len, "%.0f KiB", b / (double)(1u << 10));
    else
        snprintf(buf, len, "%zu bytes", bytes);
    return buf;
}

/* The one-line summary of a finished check. */
static void summarize(fl_lin_report *r, double timeout_s)
{
    const fl_lin_report_line *l;
    char lim[32];
    switch (r->result) {
    case FL_LIN_OK:
        set_summary(r, "linearizable (model %s: %zu ops, %zu partition%s)",
                    r->model, r->ops, r->partitions,
                    r->partitions == 1 ? "" : "s");
        break;
    case FL_LIN_VIOLATION:
        l = stuck_line(r);
        set_summary(r, "not linearizable (model %s%s%s): %s cannot take "
                    "effect in state %s", r->model, r->key[0] ? ", key " : "",
                    r->key, l ? l->text : "an op", r->state);
        break;
    case FL_LIN_UNKNOWN:
        fl_lin_format_bytes(r->max_memory, lim, sizeof lim);
        if (r->partitions_memory == r->partitions_unknown)
            set_summary(r, "unknown: the search reached its memory limit of "
                        "%s (%zu of %zu partitions undecided)", lim,
                        r->partitions_unknown, r->partitions);
        else if (r->partitions_memory)
            set_summary(r, "unknown: the check timed out after %g s or "
                        "reached its memory limit of %s (%zu of %zu "
                        "partitions undecided)", timeout_s, lim,
                        r->partitions_unknown, r->partitions);
        else
            set_summary(r, "unknown: the check timed out after %g s (%zu of "
                        "%zu partitions undecided)", timeout_s,
                        r->partitions_unknown, r->partitions);
        break;
    case FL_LIN_ERROR:
        set_summary(r, "%s", r->err.msg);
        break;
    case FL_LIN_UNAVAILABLE:
        set_summary(r, "not checked: no linearizability model");
        break;
    }
}

/* ---- the memory limit ----------------------------------------------------------------- */

static size_t three_quarters_min(size_t cur, unsigned long long lim)
{
    if (lim == 0 || lim == (unsigned long long)RLIM_INFINITY)
        return cur;
    unsigned long long q = lim / 4 * 3;
    return q < cur ? (size_t)q : cur;
}

static size_t default_max_memory(void)
{
    size_t lim = (size_t)4 << 30;            /* if nothing else is known */
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0)
        lim = (size_t)pages / 2 * (size_t)page;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0)
        lim = three_quarters_min(lim, rl.rlim_cur);
    if (getrlimit(RLIMIT_DATA, &rl) == 0)
        lim = three_quarters_min(lim, rl.rlim_cur);
    FILE *f = fopen("/sys/fs/cgroup/memory.max", "r");
    if (f) {
        unsigned long long v;
        if (fscanf(f, "%llu", &v) == 1)
            lim = three_quarters_min(lim, v);
        fclose(f);
    }
    size_t floor = (size_t)64 << 20;
    return lim < floor ? floor : lim;
}

size_t fl_lin_default_max_memory(void)
{
    static _Atomic size_t cached;            /* the limits do not change */
    size_t v = cached;
    if (!v)
        cached = v = default_max_memory();
    return v;
}

fl_lin_result fl_lin_check_opts(const fl_lin_history *h, const fl_model *m,
                                const fl_lin_val *init,
                                const fl_lin_options *opts,
                                fl_lin_report *report)
{
    fl_lin_options defaults = { 0 };
    const fl_lin_options *o = opts ? opts : &defaults;
    double t0 = wall_seconds();
    fl_lin_report scratch;
    fl_lin_report *r = report ? report : &scratch;
    fl_lin_report_init(r);
    snprintf(r->model, sizeof r->model, "%s", m->name);
    lin_run run = { .h = h, .m = m, .r = report,
                    .deadline = o->timeout_s > 0 ? t0 + o->timeout_s : 0,
                    .max_memory = o->max_memory ? o->max_memory
                                                : fl_lin_default_max_memory() };
    r->max_memory = run.max_memory;
    lin_parts parts = { 0 };
    fl_lin_result res = FL_LIN_ERROR;
    if (check_accepts(h, m, &r->err) != 0)
        goto out;
    if (m->init(init, h, &run.init, &r->err) != 0)
        goto out;
    if (run.init.oom || make_parts(h, m, &parts) != 0) {
        fl_error_set(&r->err, "out of memory");
        goto out;
    }
    r->time_is_ns = h->time_is_ns;
    r->ops = parts.count ? parts.start[parts.count] : 0;
    for (size_t q = 0; q < parts.count; q++) {
        if (parts.start[q + 1] - parts.start[q] >= INT32_MAX / 2 ||
            (o->no_partition && r->ops >= INT32_MAX / 2)) {
            fl_error_set(&r->err, "%s%stoo many ops to check (%zu; at most "
                         "%d in one partition)", h->source,
                         h->source[0] ? ": " : "", r->ops, INT32_MAX / 2 - 1);
            goto out;
        }
    }
    r->partitioned = m->partition && !o->no_partition;
    if (m->partition && o->no_partition && parts.count > 1) {
        r->partitions = 1;
        res = check_whole(&run, &parts);
    } else {
        r->partitions = parts.count;
        res = check_parts(&run, parts.order, parts.start, parts.count);
    }
out:
    r->result = res;
    r->steps = run.steps;
    r->configurations = run.configurations;
    r->peak_memory = run.peak_memory;
    r->seconds = wall_seconds() - t0;
    summarize(r, o->timeout_s);
    parts_free(&parts);
    tables_free(&run.tabs);
    fl_lin_buf_free(&run.init);
    if (!report)
        fl_lin_report_free(&scratch);
    return res;
}

fl_lin_result fl_lin_check(const fl_lin_history *h, const fl_model *m,
                           const fl_lin_val *init, double timeout_s,
                           fl_lin_report *report)
{
    fl_lin_options o = { .timeout_s = timeout_s };
    return fl_lin_check_opts(h, m, init, &o, report);
}

/* A report that says only `res` and, for errors, why. */
static fl_lin_result report_only(fl_lin_report *r, fl_lin_result res,
                                 const fl_error *err)
{
    fl_lin_report_init(r);
    r->result = res;
    if (err)
        r->err = *err;
    summarize(r, 0);
    return res;
}

fl_lin_result fl_lin_check_history(const fl_history *h, const char *model,
                                   int64_t init, double timeout_s,
                                   fl_lin_report *report)
{
    fl_lin_report scratch;
    fl_lin_report *r = report ? report : &scratch;
    fl_error err;
    fl_lin_result res;
    if (!model || strcmp(model, "none") == 0) {
        res = report_only(r, FL_LIN_UNAVAILABLE, NULL);
    } else if (!fl_model_find(model)) {
        fl_error_set(&err, "unknown model '%s'", model);
        res = report_only(r, FL_LIN_ERROR, &err);
    } else {
        fl_lin_history lh;
        fl_lin_history_init(&lh, "history");
        if (fl_lin_from_history(h, &lh, &err) != 0) {
            fl_error_prefix(&err, "history");
            res = report_only(r, FL_LIN_ERROR, &err);
        } else {
            fl_lin_val v = fl_lin_int(init);
            res = fl_lin_check(&lh, fl_model_find(model),
                               init == FL_NIL ? NULL : &v, timeout_s, r);
        }
        fl_lin_history_free(&lh);
    }
    if (!report)
        fl_lin_report_free(&scratch);
    return res;
}
