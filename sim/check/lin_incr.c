/* lin_incr.c — the per-key, segment by segment linearizability check of a
 * history as it is recorded (lin_incr.h).
 *
 * A segment is searched depth first over configurations (ops applied as a
 * bitset, state interned to an id), trying ok ops before info ops, with a
 * table of the configurations seen: one is pruned when one with the same
 * ok ops and state and a subset of its info ops was seen (it can do all
 * this one can). An info op is tried only while an ok op that is not
 * blind can be linearized next: before a blind op (a write) or at the end
 * of the segment, applying it changes nothing that carrying it would not
 * do later. The configurations reached with every ok op applied are the
 * segment's ends. */
#include "sim/check/lin_incr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check/lin_impl.h"
#include "sim/util/vec.h"

/* Limits past which the check gives up (the whole check then decides). */
#define INCR_MAX_SEGMENT  4096     /* ops in one search, carried included */
#define INCR_MAX_CARRIED  512      /* info ops carried by one key */
#define INCR_MAX_CONFIGS  200000   /* configurations in one search */
#define INCR_MAX_ENDS     4096     /* configurations kept at a cut */

/* ---- a key's record ------------------------------------------------------------ */

typedef struct incr_key {
    uint32_t       key;
    fl_hist_event *ev;            /* the segment's events, in order */
    size_t         nev, cev;
    size_t         open;          /* its ops invoked and not completed */
    fl_hist_event *carry;         /* invokes of the info ops carried */
    size_t         ncarry, ccarry;
    /* the configurations at the last cut: nconf states and, per state,
     * `words` words of bits: carried op i not applied yet */
    fl_lin_buf    *state;
    uint64_t      *unapplied;
    size_t         nconf, words;
    bool           counted;       /* has a checked op: a partition */
} incr_key;

struct fl_lin_incr {
    const fl_model   *m;
    size_t            min_segment;
    fl_lin_incr_state st;
    fl_lin_buf        init;
    incr_key         *keys;
    size_t            nkeys, ckeys;
    uint32_t         *slots;      /* open addressing: key index + 1 */
    size_t            nslots;
    size_t            ops, partitions;
    double            seconds;
    /* kept from one search to the next, so a long run does not allocate
     * and free the same buffers (and fragment its heap) per segment */
    fl_lin_history    lh;
    fl_hist_event    *tmp;
    size_t            ctmp;
};

/* ---- the search of one segment ----------------------------------------------------- */

typedef struct seen_entry {
    uint64_t hash;
    uint32_t state;
    int32_t  next;
    size_t   bits;                /* offset in srch.bitpool */
} seen_entry;

typedef struct srch {
    const fl_model   *m;
    const fl_lin_op  *ops;
    size_t            n, words;
    uint64_t         *okmask;     /* ok ops */
    uint64_t         *infomask;   /* info ops that count */
    /* interned states */
    fl_lin_buf        sbytes;
    size_t           *soff, *slen;
    uint64_t         *shash;
    size_t            ns, cs;
    uint32_t         *stab;       /* open addressing: state id + 1 */
    size_t            nstab;
    /* configurations seen */
    int32_t          *heads;      /* by hash, 2^k of them */
    size_t            nheads;
    seen_entry       *seen;
    size_t            nseen, cseen;
    uint64_t         *bitpool;
    size_t            nbits, cbits;
    /* ends: (state, bits of applied ops) */
    uint32_t         *end_state;
    uint64_t         *end_bits;
    size_t            nend, cend_s, cend_b;
    fl_lin_buf        scratch;
    bool              give_up;
} srch;

static uint64_t bytes_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return lin_mix64(h);
}

static fl_lin_state srch_state(const srch *s, uint32_t id)
{
    return (fl_lin_state){ s->sbytes.data + s->soff[id], s->slen[id] };
}

static int stab_grow(srch *s)
{
    size_t nt = s->nstab ? s->nstab * 2 : 64;
    uint32_t *t = calloc(nt, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < s->ns; i++) {
        size_t p = (size_t)s->shash[i] & (nt - 1);
        while (t[p])
            p = (p + 1) & (nt - 1);
        t[p] = (uint32_t)i + 1;
    }
    free(s->stab);
    s->stab = t;
    s->nstab = nt;
    return 0;
}

/* The id of the state in bytes p[0..n), interned. UINT32_MAX on OOM. */
static uint32_t intern(srch *s, const unsigned char *p, size_t n)
{
    fl_lin_state st = { p, n };
    uint64_t h = s->m->hash ? s->m->hash(st) : bytes_hash(p, n);
    if ((s->ns + 1) * 2 > s->nstab && stab_grow(s) != 0)
        return UINT32_MAX;
    size_t slot = (size_t)h & (s->nstab - 1);
    for (; s->stab[slot]; slot = (slot + 1) & (s->nstab - 1)) {
        uint32_t i = s->stab[slot] - 1;
        if (s->shash[i] != h)
            continue;
        fl_lin_state o = srch_state(s, i);
        bool eq = s->m->equal ? s->m->equal(st, o)
                              : o.len == n && memcmp(o.data, p, n) == 0;
        if (eq)
            return i;
    }
    if (s->ns >= UINT32_MAX - 1)
        return UINT32_MAX;
    size_t c = s->cs;
    if (fl_vec_grow(&s->soff, &c, s->ns + 1, sizeof *s->soff, 16) != 0)
        return UINT32_MAX;
    c = s->cs;
    if (fl_vec_grow(&s->slen, &c, s->ns + 1, sizeof *s->slen, 16) != 0)
        return UINT32_MAX;
    c = s->cs;
    if (fl_vec_grow(&s->shash, &c, s->ns + 1, sizeof *s->shash, 16) != 0)
        return UINT32_MAX;
    s->cs = c;
    s->soff[s->ns] = s->sbytes.len;
    fl_lin_buf_put(&s->sbytes, p, n);
    if (s->sbytes.oom)
        return UINT32_MAX;
    s->slen[s->ns] = n;
    s->shash[s->ns] = h;
    s->stab[slot] = (uint32_t)s->ns + 1;
    return (uint32_t)s->ns++;
}

static inline bool bit(const uint64_t *b, size_t i)
{
    return b[i / 64] >> (i % 64) & 1;
}

/* The hash of the ok part of `b` with the state. */
static uint64_t conf_hash(const srch *s, const uint64_t *b, uint32_t state)
{
    uint64_t h = lin_mix64(state);
    for (size_t w = 0; w < s->words; w++)
        h = lin_mix64(h ^ (b[w] & ~s->infomask[w]));
    return h;
}

static int heads_grow(srch *s)
{
    size_t nh = s->nheads * 2;
    int32_t *t = malloc(nh * sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < nh; i++)
        t[i] = -1;
    for (size_t e = 0; e < s->nseen; e++) {      /* chains keep their order */
        size_t slot = (size_t)s->seen[e].hash & (nh - 1);
        s->seen[e].next = t[slot];
        t[slot] = (int32_t)e;
    }
    free(s->heads);
    s->heads = t;
    s->nheads = nh;
    return 0;
}

/* true if a configuration seen has the same ok ops and state and applied
 * a subset of b's info ops; else records b and returns false. */
static bool seen_or_add(srch *s, const uint64_t *b, uint32_t state)
{
    if (s->nseen >= 2 * s->nheads && heads_grow(s) != 0) {
        s->give_up = true;
        return true;
    }
    uint64_t h = conf_hash(s, b, state);
    size_t slot = (size_t)h & (s->nheads - 1);
    for (int32_t e = s->heads[slot]; e >= 0; e = s->seen[e].next) {
        const seen_entry *se = &s->seen[e];
        if (se->hash != h || se->state != state)
            continue;
        const uint64_t *o = s->bitpool + se->bits;
        bool same = true, subset = true;
        for (size_t w = 0; w < s->words && same; w++) {
            same = (o[w] & ~s->infomask[w]) == (b[w] & ~s->infomask[w]);
            subset &= (o[w] & s->infomask[w] & ~b[w]) == 0;
        }
        if (same && subset)
            return true;
    }
    if (s->nseen >= INCR_MAX_CONFIGS || s->nseen >= INT32_MAX) {
        s->give_up = true;
        return true;
    }
    if (fl_vec_grow(&s->seen, &s->cseen, s->nseen + 1, sizeof *s->seen, 64) != 0 ||
        fl_vec_grow(&s->bitpool, &s->cbits, s->nbits + s->words,
                    sizeof *s->bitpool, 64) != 0) {
        s->give_up = true;
        return true;
    }
    s->seen[s->nseen] = (seen_entry){ h, state, s->heads[slot], s->nbits };
    memcpy(s->bitpool + s->nbits, b, s->words * sizeof *b);
    s->nbits += s->words;
    s->heads[slot] = (int32_t)s->nseen++;
    return false;
}

static void add_end(srch *s, const uint64_t *b, uint32_t state)
{
    if (s->nend >= INCR_MAX_ENDS * 4 ||
        fl_vec_grow(&s->end_state, &s->cend_s, s->nend + 1, sizeof *s->end_state, 16) != 0 ||
        fl_vec_grow(&s->end_bits, &s->cend_b, (s->nend + 1) * s->words,
                    sizeof *s->end_bits, 16) != 0) {
        s->give_up = true;
        return;
    }
    s->end_state[s->nend] = state;
    memcpy(s->end_bits + s->nend * s->words, b, s->words * sizeof *b);
    s->nend++;
}

/* Tries op j in configuration (b, state); recurses on success. */
static void visit(srch *s, uint64_t *b, uint32_t state);

static void try_op(srch *s, uint64_t *b, uint32_t state, size_t j)
{
    s->scratch.len = 0;
    if (!s->m->step(srch_state(s, state), &s->ops[j], &s->scratch))
        return;
    if (s->scratch.oom) {
        s->give_up = true;
        return;
    }
    uint32_t next = intern(s, s->scratch.data, s->scratch.len);
    if (next == UINT32_MAX) {
        s->give_up = true;
        return;
    }
    b[j / 64] |= (uint64_t)1 << (j % 64);
    visit(s, b, next);
    b[j / 64] &= ~((uint64_t)1 << (j % 64));
}

static void visit(srch *s, uint64_t *b, uint32_t state)
{
    if (s->give_up || seen_or_add(s, b, state))
        return;
    int64_t minret = INT64_MAX;
    for (size_t j = 0; j < s->n; j++)
        if (bit(s->okmask, j) && !bit(b, j) && s->ops[j].ret < minret)
            minret = s->ops[j].ret;
    if (minret == INT64_MAX) {         /* every ok op applied: an end */
        add_end(s, b, state);
        return;
    }
    /* a read-only op that fits is taken at once, and nothing else is
     * tried: every path that takes it later can take it now instead (the
     * state stays, and the ops after it only gain room) */
    for (size_t j = 0; j < s->n && s->m->read_only; j++) {
        if (!bit(s->okmask, j) || bit(b, j) || s->ops[j].call >= minret ||
            !s->m->read_only(&s->ops[j]))
            continue;
        s->scratch.len = 0;
        if (s->m->step(srch_state(s, state), &s->ops[j], &s->scratch)) {
            try_op(s, b, state, j);
            return;
        }
    }
    bool useful = false;     /* a callable ok op, not blind, that does not fit */
    for (size_t j = 0; j < s->n && !s->give_up; j++) {
        if (!bit(s->okmask, j) || bit(b, j) || s->ops[j].call >= minret)
            continue;
        bool blind = s->m->blind && s->m->blind(&s->ops[j]);
        s->scratch.len = 0;
        if (!blind && !s->m->step(srch_state(s, state), &s->ops[j], &s->scratch))
            useful = true;
        else
            try_op(s, b, state, j);
    }
    if (!useful)
        return;
    for (size_t j = 0; j < s->n && !s->give_up; j++)
        if (bit(s->infomask, j) && !bit(b, j) && s->ops[j].call < minret)
            try_op(s, b, state, j);
}

static void srch_free(srch *s)
{
    free(s->okmask);
    free(s->infomask);
    fl_lin_buf_free(&s->sbytes);
    free(s->soff);
    free(s->slen);
    free(s->shash);
    free(s->stab);
    free(s->heads);
    free(s->seen);
    free(s->bitpool);
    free(s->end_state);
    free(s->end_bits);
    fl_lin_buf_free(&s->scratch);
}

/* ---- keys ------------------------------------------------------------------------ */

static void key_free(incr_key *k)
{
    free(k->ev);
    free(k->carry);
    for (size_t i = 0; i < k->nconf; i++)
        fl_lin_buf_free(&k->state[i]);
    free(k->state);
    free(k->unapplied);
}

static incr_key *key_find(fl_lin_incr *in, uint32_t key)
{
    if (in->nkeys * 2 + 2 > in->nslots) {          /* grow and rehash */
        size_t ns = in->nslots ? in->nslots * 2 : 16;
        uint32_t *sl = calloc(ns, sizeof *sl);
        if (!sl)
            return NULL;
        for (size_t i = 0; i < in->nkeys; i++) {
            size_t p = (size_t)lin_mix64(in->keys[i].key) & (ns - 1);
            while (sl[p])
                p = (p + 1) & (ns - 1);
            sl[p] = (uint32_t)i + 1;
        }
        free(in->slots);
        in->slots = sl;
        in->nslots = ns;
    }
    size_t p = (size_t)lin_mix64(key) & (in->nslots - 1);
    for (; in->slots[p]; p = (p + 1) & (in->nslots - 1))
        if (in->keys[in->slots[p] - 1].key == key)
            return &in->keys[in->slots[p] - 1];
    if (fl_vec_grow(&in->keys, &in->ckeys, in->nkeys + 1, sizeof *in->keys, 8) != 0)
        return NULL;
    incr_key *k = &in->keys[in->nkeys];
    memset(k, 0, sizeof *k);
    k->key = key;
    k->state = calloc(1, sizeof *k->state);
    k->unapplied = calloc(1, sizeof *k->unapplied);
    if (!k->state || !k->unapplied) {
        key_free(k);
        return NULL;
    }
    fl_lin_buf_put(&k->state[0], in->init.data, in->init.len);
    if (k->state[0].oom) {
        key_free(k);
        return NULL;
    }
    k->nconf = 1;
    k->words = 1;
    in->slots[p] = (uint32_t)++in->nkeys;
    return k;
}

/* Info reads change nothing and constrain nothing: the whole check leaves
 * them out, and so does this one. */
static bool counts(const fl_lin_op *op)
{
    return !(op->status == FL_LIN_STATUS_INFO && op->kind == FL_LIN_READ);
}

/* The segment as the checker's history: the carried ops first (an invoke
 * and an info each), then the segment's events. */
static int segment_history(fl_lin_incr *in, const incr_key *k)
{
    size_t n = 2 * k->ncarry + k->nev;
    if (fl_vec_grow(&in->tmp, &in->ctmp, n + 1, sizeof *in->tmp, 64) != 0)
        return -1;
    for (size_t i = 0; i < k->ncarry; i++) {
        in->tmp[2 * i] = k->carry[i];
        in->tmp[2 * i + 1] = k->carry[i];
        in->tmp[2 * i + 1].type = FL_HIST_INFO;
    }
    memcpy(in->tmp + 2 * k->ncarry, k->ev, k->nev * sizeof *k->ev);
    fl_history tmp;
    fl_history_init(&tmp);
    tmp.events = in->tmp;
    tmp.len = n;
    in->lh.len = 0;                        /* keeps its ops and arena */
    fl_arena_reset(&in->lh.arena);
    fl_error err;
    return fl_lin_from_history(&tmp, &in->lh, &err);
}

static int srch_setup(srch *s, const fl_model *m, const fl_lin_history *lh)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->ops = lh->ops;
    s->n = lh->len;
    s->words = (s->n + 63) / 64 + 1;
    s->okmask = calloc(s->words, sizeof *s->okmask);
    s->infomask = calloc(s->words, sizeof *s->infomask);
    s->nheads = 256;
    s->heads = malloc(s->nheads * sizeof *s->heads);
    if (!s->okmask || !s->infomask || !s->heads)
        return -1;
    for (size_t i = 0; i < s->nheads; i++)
        s->heads[i] = -1;
    for (size_t j = 0; j < s->n; j++) {
        uint64_t w = (uint64_t)1 << (j % 64);
        if (s->ops[j].status == FL_LIN_STATUS_OK)
            s->okmask[j / 64] |= w;
        else if (counts(&s->ops[j]))
            s->infomask[j / 64] |= w;
    }
    return 0;
}

/* The ends not dominated: no other end with the same state leaves a
 * superset of its info ops unapplied (of equal ones, the first stays). */
static bool end_dominated(const srch *s, size_t e)
{
    const uint64_t *be = s->end_bits + e * s->words;
    for (size_t f = 0; f < s->nend; f++) {
        if (f == e || s->end_state[f] != s->end_state[e])
            continue;
        const uint64_t *bf = s->end_bits + f * s->words;
        bool sub = true, equal = true;   /* applied(f) within applied(e) */
        for (size_t w = 0; w < s->words; w++) {
            uint64_t af = bf[w] & s->infomask[w], ae = be[w] & s->infomask[w];
            sub &= (af & ~ae) == 0;
            equal &= af == ae;
        }
        if (sub && (!equal || f < e))
            return true;
    }
    return false;
}

/* The new configurations and carried ops from the search's ends. */
static int key_take_ends(incr_key *k, const srch *s, const fl_lin_history *lh)
{
    size_t *keep = malloc((s->nend + 1) * sizeof *keep), nkeep = 0;
    size_t *newidx = malloc((s->n + 1) * sizeof *newidx);
    if (!keep || !newidx) {
        free(keep);
        free(newidx);
        return -1;
    }
    for (size_t e = 0; e < s->nend; e++)
        if (!end_dominated(s, e))
            keep[nkeep++] = e;
    /* carried from now on: info ops left unapplied by some end */
    size_t ncarry = 0;
    for (size_t j = 0; j < s->n; j++) {
        newidx[j] = SIZE_MAX;
        if (!bit(s->infomask, j))
            continue;
        for (size_t q = 0; q < nkeep; q++) {
            if (!bit(s->end_bits + keep[q] * s->words, j)) {
                newidx[j] = ncarry++;
                break;
            }
        }
    }
    int rc = -1;
    size_t words = (ncarry + 63) / 64 + 1;
    fl_hist_event *carry = malloc((ncarry + 1) * sizeof *carry);
    fl_lin_buf *state = calloc(nkeep + 1, sizeof *state);
    uint64_t *un = calloc((nkeep + 1) * words, sizeof *un);
    if (!carry || !state || !un || ncarry > INCR_MAX_CARRIED || nkeep > INCR_MAX_ENDS)
        goto out;
    for (size_t j = 0; j < s->n; j++) {
        if (newidx[j] == SIZE_MAX)
            continue;
        /* the op's invoke: its call position in the segment's history */
        size_t pos = (size_t)lh->ops[j].call;
        carry[newidx[j]] = pos < 2 * k->ncarry ? k->carry[pos / 2]
                                               : k->ev[pos - 2 * k->ncarry];
    }
    for (size_t q = 0; q < nkeep; q++) {
        fl_lin_state st = srch_state(s, s->end_state[keep[q]]);
        fl_lin_buf_put(&state[q], st.data, st.len);
        if (state[q].oom) {
            for (size_t r = 0; r <= q; r++)
                fl_lin_buf_free(&state[r]);
            goto out;
        }
        const uint64_t *b = s->end_bits + keep[q] * s->words;
        for (size_t j = 0; j < s->n; j++)
            if (newidx[j] != SIZE_MAX && !bit(b, j))
                un[q * words + newidx[j] / 64] |= (uint64_t)1 << (newidx[j] % 64);
    }
    for (size_t i = 0; i < k->nconf; i++)
        fl_lin_buf_free(&k->state[i]);
    free(k->state);
    free(k->unapplied);
    free(k->carry);
    k->state = state;
    k->unapplied = un;
    k->nconf = nkeep;
    k->words = words;
    k->carry = carry;
    k->ncarry = k->ccarry = ncarry;
    state = NULL;
    un = NULL;
    carry = NULL;
    rc = 0;
out:
    free(carry);
    free(state);
    free(un);
    free(keep);
    free(newidx);
    return rc;
}

/* Searches the key's segment from every configuration at its last cut. */
static fl_lin_incr_state key_check(fl_lin_incr *in, incr_key *k)
{
    double t0 = lin_wall_seconds();
    const fl_lin_history *lhp = &in->lh;
    srch s;
    memset(&s, 0, sizeof s);
    fl_lin_incr_state res = FL_LIN_INCR_GAVE_UP;
    uint64_t *b = NULL;
    if (segment_history(in, k) != 0 || lhp->len > INCR_MAX_SEGMENT ||
        srch_setup(&s, in->m, lhp) != 0)
        goto out;
    for (size_t j = 0; j < lhp->len; j++) {
        if (in->m->accepts(&lhp->ops[j]))
            goto out;               /* the whole check says why */
        if (j >= k->ncarry && counts(&lhp->ops[j])) {
            in->ops++;
            if (!k->counted) {
                k->counted = true;
                in->partitions++;
            }
        }
    }
    b = calloc(s.words, sizeof *b);
    if (!b)
        goto out;
    for (size_t c = 0; c < k->nconf && !s.give_up; c++) {
        memset(b, 0, s.words * sizeof *b);
        for (size_t j = 0; j < s.n; j++) {
            bool carried_applied = j < k->ncarry &&
                                   !bit(k->unapplied + c * k->words, j);
            if (carried_applied || (!bit(s.okmask, j) && !bit(s.infomask, j)))
                b[j / 64] |= (uint64_t)1 << (j % 64);
        }
        uint32_t st = intern(&s, k->state[c].data, k->state[c].len);
        if (st == UINT32_MAX)
            goto out;
        visit(&s, b, st);
    }
    if (s.give_up)
        goto out;
    if (s.nend == 0) {
        res = FL_LIN_INCR_FAILED;
        goto out;
    }
    if (key_take_ends(k, &s, lhp) != 0)
        goto out;
    k->nev = 0;
    res = FL_LIN_INCR_OK;
out:
    free(b);
    srch_free(&s);
    in->seconds += lin_wall_seconds() - t0;
    return res;
}

/* ---- the door ------------------------------------------------------------------ */

fl_lin_incr *fl_lin_incr_new(const fl_model *m, size_t min_segment)
{
    if (!m || m->partition != fl_model_partition_by_key)
        return NULL;
    fl_lin_incr *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->m = m;
    in->min_segment = min_segment ? min_segment : 1;
    fl_lin_history_init(&in->lh, "");
    fl_lin_history empty;
    fl_lin_history_init(&empty, "");
    empty.time_is_ns = true;
    fl_error err;
    int rc = m->init(NULL, &empty, &in->init, &err);
    fl_lin_history_free(&empty);
    if (rc != 0 || in->init.oom) {
        fl_lin_incr_free(in);
        return NULL;
    }
    return in;
}

void fl_lin_incr_free(fl_lin_incr *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->nkeys; i++)
        key_free(&in->keys[i]);
    free(in->keys);
    free(in->slots);
    fl_lin_buf_free(&in->init);
    fl_lin_history_free(&in->lh);
    free(in->tmp);
    free(in);
}

static fl_lin_incr_state set_state(fl_lin_incr *in, fl_lin_incr_state st)
{
    if (in->st == FL_LIN_INCR_OK)
        in->st = st;
    return in->st;
}

fl_lin_incr_state fl_lin_incr_feed(fl_lin_incr *in, const fl_hist_event *e)
{
    if (in->st != FL_LIN_INCR_OK)
        return in->st;
    incr_key *k = key_find(in, e->op.key);
    if (!k || fl_vec_grow(&k->ev, &k->cev, k->nev + 1, sizeof *k->ev, 16) != 0)
        return set_state(in, FL_LIN_INCR_GAVE_UP);
    if (k->nev >= 2 * INCR_MAX_SEGMENT)         /* never quiet: do not hold it */
        return set_state(in, FL_LIN_INCR_GAVE_UP);
    if (e->type == FL_HIST_INVOKE) {
        k->open++;
    } else {
        if (k->open == 0)
            return set_state(in, FL_LIN_INCR_GAVE_UP);   /* not ours to judge */
        k->open--;
    }
    k->ev[k->nev++] = *e;
    if (k->open == 0 && k->nev >= in->min_segment)
        return set_state(in, key_check(in, k));
    return in->st;
}

fl_lin_incr_state fl_lin_incr_finish(fl_lin_incr *in)
{
    for (size_t i = 0; i < in->nkeys && in->st == FL_LIN_INCR_OK; i++)
        if (in->keys[i].nev || in->keys[i].ncarry)
            set_state(in, key_check(in, &in->keys[i]));
    return in->st;
}

fl_lin_incr_state fl_lin_incr_state_of(const fl_lin_incr *in) { return in->st; }
size_t fl_lin_incr_ops(const fl_lin_incr *in) { return in->ops; }
size_t fl_lin_incr_partitions(const fl_lin_incr *in) { return in->partitions; }
double fl_lin_incr_seconds(const fl_lin_incr *in) { return in->seconds; }

size_t fl_lin_incr_held(const fl_lin_incr *in)
{
    size_t n = sizeof *in + in->ckeys * sizeof *in->keys +
               in->nslots * sizeof *in->slots;
    for (size_t i = 0; i < in->nkeys; i++) {
        const incr_key *k = &in->keys[i];
        n += k->cev * sizeof *k->ev + k->ccarry * sizeof *k->carry +
             k->nconf * (sizeof *k->state + k->words * sizeof *k->unapplied);
        for (size_t c = 0; c < k->nconf; c++)
            n += k->state[c].cap;
    }
    return n;
}

void fl_lin_incr_report(const fl_lin_incr *in, double timeout_s,
                        fl_lin_report *r)
{
    fl_lin_report_init(r);
    r->result = FL_LIN_OK;
    snprintf(r->model, sizeof r->model, "%s", in->m->name);
    r->ops = in->ops;
    r->partitions = in->partitions;
    r->partitioned = true;
    r->time_is_ns = true;
    r->max_memory = fl_lin_default_max_memory();
    r->seconds = in->seconds;
    fl_lin_summarize(r, timeout_s);
}
