/* lin_tables.c — the linearizability search's tables (lin_impl.h):
 * interned model states, memoized steps, visited configurations, the
 * memory they are charged against, and the arrays of one partition's
 * search (its entry list and twins). */
#include "sim/check/lin_impl.h"

#include <stdlib.h>
#include <string.h>



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
    return lin_mix64(h ^ w);
}



/* Accounts for a block going from `old` to `now` bytes: false (and hit)
 * if that passes the limit. */
bool fl_lin_mem_resize(lin_mem *m, size_t old, size_t now)
{
    size_t used = m->used - old + now;
    if (now > old && used > m->limit) {
        m->hit = true;
        return false;
    }
    if (m->shared) {           /* every thread's searches, one limit */
        size_t all = atomic_fetch_add(m->shared, now - old) + (now - old);
        if (now > old && all > m->limit) {
            atomic_fetch_sub(m->shared, now - old);
            m->hit = true;
            return false;
        }
    }
    m->used = used;
    if (used > m->peak)
        m->peak = used;
    return true;
}

/* Grows *p (an array of `size`-byte elements) to hold at least `need`. */
int fl_lin_grow(lin_mem *mem, void **p, size_t *cap, size_t need,
                size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    if (!fl_lin_mem_resize(mem, *cap * size, c * size))
        return -1;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* ---- interned model states -------------------------------------------------- */



static uint64_t state_hash(const lin_states *t, fl_lin_state s)
{
    return t->m->hash ? lin_mix64(t->m->hash(s)) : hash_bytes(s.data, s.len);
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
    if (!fl_lin_mem_resize(t->mem, t->tcap * sizeof *t->table,
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
int64_t fl_lin_state_intern(lin_states *t, fl_lin_state s)
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
    if (fl_lin_grow(t->mem, (void **)&t->ptr, &c, t->n + 1, sizeof *t->ptr) != 0)
        return -1;
    c = t->cap;
    if (fl_lin_grow(t->mem, (void **)&t->len, &c, t->n + 1, sizeof *t->len) != 0)
        return -1;
    c = t->cap;
    if (fl_lin_grow(t->mem, (void **)&t->hash, &c, t->n + 1, sizeof *t->hash) != 0)
        return -1;
    t->cap = c;
    if (!fl_lin_mem_resize(t->mem, 0, (s.len + 31u) & ~(size_t)15u))
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

void fl_lin_states_reset(lin_states *t)
{
    t->n = 0;
    if (t->table)
        memset(t->table, 0, t->tcap * sizeof *t->table);
    fl_arena_reset(&t->bytes);
}

size_t fl_lin_states_bytes(const lin_states *t)
{
    return t->cap * (sizeof *t->ptr + sizeof *t->len + sizeof *t->hash) +
           t->tcap * sizeof *t->table;
}

void fl_lin_states_free(lin_states *t)
{
    fl_arena_free(&t->bytes);
    free(t->ptr);
    free(t->len);
    free(t->hash);
    free(t->table);
}

/* ---- memoized steps: (state, op) -> next state or -1 ---------------------------- */




int fl_lin_memo_grow(lin_memo *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    size_t each = sizeof *m->keys + sizeof *m->vals;
    if (!fl_lin_mem_resize(m->mem, m->cap * each, cap * each))
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


void fl_lin_memo_reset(lin_memo *m)
{
    m->n = 0;
    for (size_t i = 0; i < m->cap; i++)
        m->keys[i] = MEMO_EMPTY;
}

void fl_lin_memo_free(lin_memo *m)
{
    free(m->keys);
    free(m->vals);
}

/* ---- visited configurations ------------------------------------------------------ */



int fl_lin_cache_rehash(lin_cache *c)
{
    size_t tcap = c->tcap ? c->tcap * 2 : 1024;
    if (!fl_lin_mem_resize(c->mem, c->tcap * sizeof *c->table,
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

void fl_lin_cache_reset(lin_cache *c)
{
    c->n = 0;
    c->nwords = 0;
    c->heads = 0;
    if (c->table)
        memset(c->table, 0, c->tcap * sizeof *c->table);
}

void fl_lin_cache_free(lin_cache *c)
{
    free(c->cfg);
    free(c->words);
    free(c->table);
}

/* ---- the tables handed from search to search --------------------------------------- */

void fl_lin_tables_free(lin_tables *t)
{
    fl_lin_states_free(&t->st);
    fl_lin_states_free(&t->sub);
    fl_lin_memo_free(&t->memo);
    fl_lin_memo_free(&t->submemo);
    fl_lin_cache_free(&t->cache);
    fl_lin_buf_free(&t->scratch);
    fl_lin_buf_free(&t->pscratch);
}

/* Gives the search the tables, emptied, and charges what they hold. */
void fl_lin_tables_take(lin_search *s, lin_tables *t)
{
    s->st = t->st;
    s->sub = t->sub;
    s->memo = t->memo;
    s->submemo = t->submemo;
    s->cache = t->cache;
    s->scratch = t->scratch;
    s->pscratch = t->pscratch;
    fl_lin_states_reset(&s->st);
    fl_lin_states_reset(&s->sub);
    fl_lin_memo_reset(&s->memo);
    fl_lin_memo_reset(&s->submemo);
    fl_lin_cache_reset(&s->cache);
    s->scratch.len = s->pscratch.len = 0;
    s->scratch.oom = s->pscratch.oom = false;
    s->st.mem = s->memo.mem = s->cache.mem = &s->mem;
    s->sub.mem = s->submemo.mem = &s->mem;
    size_t each = sizeof *s->memo.keys + sizeof *s->memo.vals;
    fl_lin_mem_resize(&s->mem, 0, fl_lin_states_bytes(&s->st) + fl_lin_states_bytes(&s->sub) +
               (s->memo.cap + s->submemo.cap) * each +
               s->cache.cap * sizeof *s->cache.cfg +
               s->cache.wcap * sizeof *s->cache.words +
               s->cache.tcap * sizeof *s->cache.table);
}

/* Hands them back for the next search. */
void fl_lin_tables_give(lin_search *s, lin_tables *t)
{
    t->st = s->st;
    t->sub = s->sub;
    t->memo = s->memo;
    t->submemo = s->submemo;
    t->cache = s->cache;
    t->scratch = s->scratch;
    t->pscratch = s->pscratch;
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

void fl_lin_search_free(lin_search *s)
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

int fl_lin_search_alloc(lin_search *s)
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
    return fl_lin_mem_resize(&s->mem, 0, fixed) ? 0 : -1;
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
    uint64_t h = lin_mix64((uint64_t)op->kind + 0x7477ull);
    h = lin_mix64(h ^ fl_lin_val_hash(&op->key));
    h = lin_mix64(h ^ fl_lin_val_hash(&op->arg));
    return lin_mix64(h ^ fl_lin_val_hash(&op->out));
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
int fl_lin_search_build(lin_search *s)
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
        s->z[o] = lin_mix64(0x6c696e00ull + o);
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

