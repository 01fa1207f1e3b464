/* lin_search.c — one partition's search for a linearization (lin_impl.h).
 *
 * Per partition, the history becomes a doubly linked list of call and
 * return entries in real-time order (calls first at equal positions, so
 * touching ops count as concurrent). The search walks the list from its
 * head: at a call entry it tries to linearize that op next — if the model
 * accepts it and the configuration (set of linearized ops, model state) is
 * new, the op's call and return are lifted out of the list and the walk
 * restarts at the head; at a return entry whose op is not yet linearized,
 * it is too late, so it backtracks. Indeterminate ops have no return
 * entry: they may be linearized at any point after their call, or never;
 * the search ends as soon as every ok op is linearized. See lin.c for what
 * makes it fast. */
#include "sim/check/lin_impl.h"

#include <stdlib.h>
#include <string.h>


/* Composite states (no_partition) are compared and hashed as bytes. */
const fl_model fl_lin_product_model = { .name = "product" };


/* The model's step by op `o` from `state` of table `st`, memoized in
 * `memo`: -1 if the model refuses it, -2 on OOM, else the next state. A
 * read-only op that fits leaves the state as it is (model.h), so its
 * result is not even interned. */
static int64_t model_step(lin_search *s, lin_states *st, lin_memo *memo,
                          uint32_t state, uint32_t o)
{
    if ((memo->n + 1) * 2 > memo->cap && fl_lin_memo_grow(memo) != 0)
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
                        : fl_lin_state_intern(st, (fl_lin_state){ s->scratch.data,
                                                           s->scratch.len });
        if (next < 0 || next > INT32_MAX)
            return -2;
    }
    memo->keys[slot] = key;
    memo->vals[slot] = (int32_t)next;
    memo->n++;
    return next;
}


/* A step of the composite state: the op's partition steps, the others
 * stay. Memoized like model_step. */
static int64_t product_step(lin_search *s, uint32_t state, uint32_t o)
{
    if ((s->memo.n + 1) * 2 > s->memo.cap && fl_lin_memo_grow(&s->memo) != 0)
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
        next = fl_lin_state_intern(&s->st, (fl_lin_state){ s->pscratch.data,
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
int64_t fl_lin_step(lin_search *s, uint32_t state, uint32_t o)
{
    return s->product ? product_step(s, state, o)
                      : model_step(s, &s->st, &s->memo, state, o);
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
    uint64_t h = s->zh ^ lin_mix64(state + 0x51ull);
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
    if (head < 0 && (c->heads + 1) * 2 > c->tcap && fl_lin_cache_rehash(c) != 0)
        return -1;
    size_t need = c->nwords + (head < 0 ? nw : 0) + inw + 1;
    if (fl_lin_grow(c->mem, (void **)&c->cfg, &c->cap, c->n + 1,
             sizeof *c->cfg) != 0 ||
        fl_lin_grow(c->mem, (void **)&c->words, &c->wcap, need,
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
        int64_t next = fl_lin_step(s, state, o);
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
        int64_t a = fl_lin_step(s, after_o, x);     /* o then x */
        if (a == -1)
            continue;                        /* o does not help x */
        if (a == (int64_t)after_o && is_info(s, x))
            continue;                        /* x does nothing: drop x */
        int64_t b = a < 0 ? a : fl_lin_step(s, state, x);   /* x without o */
        if (a == -2 || b == -2)
            return -2;
        if (b == -1)
            return 1;                        /* x needs o */
        if (b == a)
            continue;                        /* x overwrites o: drop o */
        int64_t c = fl_lin_step(s, (uint32_t)b, o); /* x then o */
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
                int64_t fit = fl_lin_step(s, state, o);
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

int fl_lin_search_run(lin_search *s, uint32_t state)
{
    uint32_t left = s->nok;                  /* ok ops not yet linearized */
    bool arrived = true;                     /* at a new configuration */
    bool forced = false;                     /* ... by a forced op */
    int32_t e = -1;
    uint64_t iter = 0;
    while (left > 0) {
        if ((++iter & 1023u) == 0 &&
            ((s->stop && atomic_load_explicit(s->stop, memory_order_relaxed)) ||
             (s->deadline > 0 && lin_wall_seconds() > s->deadline)))
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
            int64_t next = twin_done(s, o) ? fl_lin_step(s, state, o) : -1;
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


/* ---- one partition, start to end ------------------------------------------------------ */

/* The initial state: the model's, or for a composite state every
 * partition's (sub-state id 0). -1 on OOM. */
static int64_t initial_state(lin_search *s, fl_lin_state init)
{
    if (!s->product)
        return fl_lin_state_intern(&s->st, init);
    if (fl_lin_state_intern(&s->sub, init) != 0)
        return -1;
    for (uint32_t p = 0; p < s->nparts; p++) {
        uint32_t zero = 0;
        fl_lin_buf_put(&s->pscratch, &zero, sizeof zero);
    }
    if (s->pscratch.oom)
        return -1;
    return fl_lin_state_intern(&s->st, (fl_lin_state){ s->pscratch.data,
                                                        s->pscratch.len });
}

int fl_lin_search_part(lin_job *job, lin_tables *tabs)
{
    lin_search s;
    memset(&s, 0, sizeof s);
    s.m = job->m;
    s.ops = job->ops;
    s.gi = job->gi;
    s.n = (uint32_t)job->n;
    s.deadline = job->deadline;
    s.stop = job->stop;
    s.mem.limit = job->max_memory;
    s.mem.shared = job->shared;
    fl_lin_tables_take(&s, tabs);
    s.st.m = job->m;
    if (job->product) {
        s.product = true;
        s.nparts = job->nparts;
        s.pidx = job->pidx;
        s.pkey = job->pkey;
        s.st.m = &fl_lin_product_model;
        s.sub.m = job->m;
    }
    for (size_t o = 0; o < job->n; o++) {
        s.ne++;
        if (job->ops[job->gi[o]].status == FL_LIN_STATUS_OK) {
            s.ne++;
            s.nok++;
        }
    }
    s.nok_bits = s.nok;
    s.ninfo = s.n - s.nok;
    int rc = SEARCH_OOM;
    if (fl_lin_search_alloc(&s) != 0 || fl_lin_search_build(&s) != 0)
        goto out;
    if (s.product)        /* a write no longer sets the whole state */
        memset(s.blind, 0, s.n + 1);
    int64_t init = initial_state(&s, job->init);
    if (init < 0)
        goto out;
    rc = fl_lin_search_run(&s, (uint32_t)init);
    if (rc == SEARCH_FAIL && job->r &&
        fl_lin_report_violation(&s, job->r, (uint32_t)init) != 0)
        rc = SEARCH_OOM;
out:
    if (rc == SEARCH_OOM && s.mem.hit)
        rc = SEARCH_MEMORY;
    job->steps += s.steps;
    job->configurations += s.cache.n;
    if (s.mem.peak > job->peak)
        job->peak = s.mem.peak;
    /* give back what this search's tables were charged: the next search
     * with them charges them again */
    if (s.mem.shared)
        atomic_fetch_sub(s.mem.shared, s.mem.used);
    fl_lin_tables_give(&s, tabs);
    fl_lin_search_free(&s);
    return rc;
}
