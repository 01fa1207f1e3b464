/* trace_compact.c — the compact trace's encoder (format in
 * trace_compact.h) and the view state encoder and decoder share: records
 * are gathered in a block and each full block is handed to zstd. The
 * decoder is trace_compact_dec.c. */
#include "sim/trace_compact_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

/* ---- View state (both sides) ---------------------------------------------------- */

void tc_vstate_reset(vstate *st)
{
    st->kind = 0;
    st->label_id = -1;
    st->label = NULL;
    memset(st->num, 0, sizeof st->num);
    st->arrays = 0;
    st->npeers = 0;
    st->ns = 0;
    for (size_t i = 0; i < FL_VIEW_MAX_SCALARS; i++) {
        st->name_id[i] = -1;
        st->name[i] = NULL;
        st->val[i] = 0;
    }
}

vstate *tc_vstates_new(size_t nnodes)
{
    vstate *v = calloc(nnodes + 1, sizeof *v);
    for (size_t i = 0; v && i <= nnodes; i++)
        tc_vstate_reset(&v[i]);
    return v;
}

void tc_vstates_free(vstate *v, size_t nnodes)
{
    for (size_t i = 0; v && i <= nnodes; i++) {
        free(v[i].match);
        free(v[i].next);
        free(v[i].votes);
    }
    free(v);
}

vstate *tc_vstate_of(vstate *v, size_t nnodes, fl_node_id node)
{
    if (node >= 0 && (size_t)node < nnodes)
        return &v[node];
    tc_vstate_reset(&v[nnodes]);
    return &v[nnodes];
}

bool tc_vstate_size(vstate *st, size_t n)
{
    if (n == st->npeers)
        return true;
    if (n > st->cap) {
        int64_t *m = realloc(st->match, n * sizeof *m);
        if (m)
            st->match = m;
        int64_t *x = realloc(st->next, n * sizeof *x);
        if (x)
            st->next = x;
        int64_t *v = realloc(st->votes, n * sizeof *v);
        if (v)
            st->votes = v;
        if (!m || !x || !v)
            return false;
        st->cap = n;
    }
    if (n) {
        memset(st->match, 0, n * sizeof *st->match);
        memset(st->next, 0, n * sizeof *st->next);
        memset(st->votes, 0, n * sizeof *st->votes);
    }
    st->npeers = n;
    return true;
}

/* ---- Encoder ------------------------------------------------------------------ */

/* Most strings come as the same pointer every time (a kind name, a
 * label): a small open-addressed table from pointer to number finds them
 * without comparing against every string numbered so far. The contents
 * are still compared, once, since a buffer may be reused. */
#define SEEN_SLOTS (2 * STR_MAX)

typedef struct str_seen {
    const char *p;                   /* NULL: empty slot */
    long        id;
} str_seen;

struct fl_trace_enc {
    FILE      *out;
    ZSTD_CCtx *z;
    uint8_t   *buf;                  /* raw records not yet compressed */
    size_t     len, cap;
    uint8_t   *zbuf;
    size_t     zcap;
    size_t     nnodes;
    fl_time    prev_time;
    uint64_t   prev_id[FL_TR_COUNT];
    char      *strs[STR_MAX];        /* the strings numbered so far, owned */
    size_t     nstrs;
    str_seen   seen[SEEN_SLOTS];     /* pointers a string came as -> its number */
    size_t     nseen;
    vstate    *views;                /* nnodes + 1 */
    int        error;
};

/* Compresses the block (ending the frame if `end`) and writes it out. */
static int enc_compress(fl_trace_enc *e, ZSTD_EndDirective mode)
{
    ZSTD_inBuffer in = { e->buf, e->len, 0 };
    for (;;) {
        ZSTD_outBuffer o = { e->zbuf, e->zcap, 0 };
        size_t left = ZSTD_compressStream2(e->z, &o, &in, mode);
        if (ZSTD_isError(left))
            return e->error = -1;
        if (o.pos && fwrite(e->zbuf, 1, o.pos, e->out) != o.pos)
            return e->error = -1;
        if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size)
            break;
    }
    e->len = 0;
    return 0;
}

/* Room for n more bytes in the block. */
static int enc_reserve(fl_trace_enc *e, size_t n)
{
    if (e->len + n <= e->cap)
        return 0;
    if (e->len >= BLOCK && enc_compress(e, ZSTD_e_continue) < 0)
        return -1;
    if (e->len + n <= e->cap)
        return 0;
    size_t cap = e->len + n + BLOCK;
    uint8_t *p = realloc(e->buf, cap);
    if (!p)
        return e->error = -1;
    e->buf = p;
    e->cap = cap;
    return 0;
}

/* The writers below move a cursor `p` into e->buf (room reserved by the
 * caller) and return it, NULL after an error. */

static inline uint8_t *put_var(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

static inline uint8_t *put_int(uint8_t *p, int64_t v) { return put_var(p, zigzag(v)); }

/* Makes room for n more bytes after p; the cursor may move. */
static uint8_t *enc_room(fl_trace_enc *e, uint8_t *p, size_t n)
{
    e->len = (size_t)(p - e->buf);
    if (enc_reserve(e, n) < 0)
        return NULL;
    return e->buf + e->len;
}

/* A string by number if sent before, else inline (and numbered from now).
 * Strings are found by pointer first (the interface asks for literals),
 * and their text compared, so a reused buffer is not misnamed. */
static size_t seen_slot(const fl_trace_enc *e, const char *s)
{
    size_t i = (size_t)(((uintptr_t)s >> 3) * UINT64_C(0x9E3779B97F4A7C15) >> 40) %
               SEEN_SLOTS;
    while (e->seen[i].p && e->seen[i].p != s)
        i = (i + 1) % SEEN_SLOTS;
    return i;
}

static void seen_put(fl_trace_enc *e, const char *s, long id)
{
    if (e->nseen >= SEEN_SLOTS / 2) {       /* many buffers: start afresh */
        memset(e->seen, 0, sizeof e->seen);
        e->nseen = 0;
    }
    size_t i = seen_slot(e, s);
    if (!e->seen[i].p)
        e->nseen++;
    e->seen[i] = (str_seen){ .p = s, .id = id };
}

static long str_find(fl_trace_enc *e, const char *s)
{
    const str_seen *hit = &e->seen[seen_slot(e, s)];
    if (hit->p && strcmp(e->strs[hit->id], s) == 0)
        return hit->id;
    for (size_t i = 0; i < e->nstrs; i++)
        if (strcmp(e->strs[i], s) == 0) {
            seen_put(e, s, (long)i);
            return (long)i;
        }
    return -2;
}

/* str_find, trying the string's number of last time first. */
static long str_again(fl_trace_enc *e, const char *s, long id, const char *last)
{
    if (id >= 0 && last == s && strcmp(e->strs[id], s) == 0)
        return id;
    return str_find(e, s);
}

/* Writes s; *id (if not NULL) gets its number, -2 if it has none. */
static uint8_t *put_str_id(fl_trace_enc *e, uint8_t *p, const char *s, long *id)
{
    long i = str_find(e, s);
    if (id)
        *id = i;
    if (i >= 0)
        return put_var(p, (uint64_t)i + 1);
    size_t n = strlen(s);
    if (!(p = enc_room(e, p, n + 20)))
        return NULL;
    p = put_var(p, 0);
    p = put_var(p, n);
    memcpy(p, s, n);
    p += n;
    if (e->nstrs < STR_MAX) {
        if (!(e->strs[e->nstrs] = strdup(s))) {
            e->error = -1;
            return NULL;
        }
        if (id)
            *id = (long)e->nstrs;
        seen_put(e, s, (long)e->nstrs++);
    }
    return p;
}

static uint8_t *put_str(fl_trace_enc *e, uint8_t *p, const char *s)
{
    return put_str_id(e, p, s, NULL);
}

/* The client fields the JSON line shows, if it shows them. */
static bool has_client(const fl_trace_rec *r)
{
    return r->payload && ((r->channel == FL_CH_REQUEST && r->len == sizeof(fl_request)) ||
                          (r->channel == FL_CH_REPLY && r->len == sizeof(fl_reply_msg)));
}

static uint8_t *put_client(uint8_t *p, const fl_trace_rec *r)
{
    if (r->channel == FL_CH_REQUEST) {
        fl_request q;
        memcpy(&q, r->payload, sizeof q);
        p = put_int(p, q.client);
        p = put_var(p, q.seq);
        p = put_var(p, q.attempt);
        p = put_var(p, (uint64_t)q.op.kind);
        return put_var(p, q.op.key);
    }
    fl_reply_msg y;
    memcpy(&y, r->payload, sizeof y);
    p = put_var(p, y.seq);
    p = put_var(p, (unsigned)y.status);
    return y.status == FL_STATUS_OK ? put_int(p, y.value) : p;
}

static uint8_t *put_message(fl_trace_enc *e, uint8_t *p, const fl_trace_rec *r,
                            const fl_msg_info *info)
{
    bool client = has_client(r);
    unsigned ok = info->ok < 0 ? 0 : info->ok ? 2 : 1;
    *p++ = (uint8_t)(((unsigned)r->channel & 3) | (info->is_reply ? MSG_REPLY : 0) | ok << 3 |
                     (info->term >= 0 ? MSG_TERM : 0) | (r->reason ? MSG_REASON : 0) |
                     (client ? MSG_CLIENT : 0));
    p = put_int(p, r->b);
    if (!(p = put_str(e, p, info->kind ? info->kind : "message")))
        return NULL;
    if (info->term >= 0)
        p = put_int(p, info->term);
    if (r->reason && !(p = put_str(e, p, r->reason)))
        return NULL;
    return client ? put_client(p, r) : p;
}

static bool arrays_differ(const vstate *st, const fl_view *v, unsigned arr)
{
    if (arr != st->arrays)
        return true;
    if (!arr)
        return false;
    if (v->npeers != st->npeers)
        return true;
    for (size_t i = 0; (arr & VIEW_MATCH) && i < v->npeers; i++)
        if (v->match[i] != st->match[i] || v->next[i] != st->next[i])
            return true;
    for (size_t i = 0; (arr & VIEW_VOTES) && i < v->npeers; i++)
        if (v->votes[i] != st->votes[i])
            return true;
    return false;
}

/* What changed since the node's last view (V_* bits); name ids in nid. */
static uint64_t view_changes(fl_trace_enc *e, const vstate *st, const fl_view *v,
                             const int64_t *num, unsigned arr, size_t ns, long *nid)
{
    uint64_t chg = (uint64_t)(unsigned)v->kind != st->kind ? V_KIND : 0;
    long lid = v->label ? str_again(e, v->label, st->label_id, st->label) : -1;
    if (lid != st->label_id || lid == -2)
        chg |= V_LABEL;
    for (int i = 0; i < NUMS; i++)
        if (num[i] != st->num[i])
            chg |= (uint64_t)V_NUM0 << i;
    if (arrays_differ(st, v, arr))
        chg |= V_ARRAYS;
    bool names = ns != st->ns;
    for (size_t i = 0; i < ns; i++) {
        const char *name = v->scalars[i].name ? v->scalars[i].name : "?";
        nid[i] = str_again(e, name, st->name_id[i], st->name[i]);
        names |= nid[i] != st->name_id[i] || nid[i] == -2;
        if (v->scalars[i].value != st->val[i])
            chg |= (uint64_t)V_VAL0 << i;
    }
    return names ? chg | V_NAMES : chg;
}

static uint8_t *put_arrays(fl_trace_enc *e, uint8_t *p, vstate *st, const fl_view *v,
                           unsigned arr)
{
    *p++ = (uint8_t)arr;
    st->arrays = arr;
    if (!arr)
        return p;
    if (!tc_vstate_size(st, v->npeers)) {
        e->error = -1;
        return NULL;
    }
    p = put_var(p, v->npeers);
    for (size_t i = 0; (arr & VIEW_MATCH) && i < v->npeers; i++) {
        p = put_int(p, diff64(v->match[i], st->match[i]));
        p = put_int(p, diff64(v->next[i], st->next[i]));
        st->match[i] = v->match[i];
        st->next[i] = v->next[i];
    }
    for (size_t i = 0; (arr & VIEW_VOTES) && i < v->npeers; i++) {
        p = put_int(p, diff64(v->votes[i], st->votes[i]));
        st->votes[i] = v->votes[i];
    }
    return p;
}

static uint8_t *put_view(fl_trace_enc *e, uint8_t *p, fl_node_id node, const fl_view *v)
{
    vstate *st = tc_vstate_of(e->views, e->nnodes, node);
    unsigned arr = (fl_trace_view_vectors(v) ? VIEW_MATCH : 0) |
                   (v->kind == FL_VIEW_CANDIDATE && v->votes ? VIEW_VOTES : 0);
    size_t ns = v->nscalars < FL_VIEW_MAX_SCALARS ? v->nscalars : FL_VIEW_MAX_SCALARS;
    int64_t num[NUMS] = { v->term, v->leader, v->voted_for, v->log_first, v->log_last,
                          v->commit, v->applied };
    long nid[FL_VIEW_MAX_SCALARS];
    uint64_t chg = view_changes(e, st, v, num, arr, ns, nid);
    if (!(p = enc_room(e, p, 64 + NUMS * 10 + FL_VIEW_MAX_SCALARS * 20 +
                             (chg & V_ARRAYS ? v->npeers * 30 : 0))))
        return NULL;
    p = put_var(p, chg);
    if (chg & V_KIND)
        p = put_var(p, st->kind = (unsigned)v->kind);
    if (chg & V_LABEL) {
        *p++ = v->label != NULL;
        st->label_id = -1;
        st->label = v->label;
        if (v->label && !(p = put_str_id(e, p, v->label, &st->label_id)))
            return NULL;
    }
    for (int i = 0; i < NUMS; i++)
        if (chg & ((uint64_t)V_NUM0 << i)) {
            p = put_int(p, diff64(num[i], st->num[i]));
            st->num[i] = num[i];
        }
    if ((chg & V_ARRAYS) && !(p = put_arrays(e, p, st, v, arr)))
        return NULL;
    if (chg & V_NAMES) {
        p = put_var(p, st->ns = ns);
        for (size_t i = 0; i < ns; i++) {
            st->name[i] = v->scalars[i].name ? v->scalars[i].name : "?";
            if (!(p = put_str_id(e, p, st->name[i], &st->name_id[i])))
                return NULL;
        }
    }
    for (size_t i = 0; i < FL_VIEW_MAX_SCALARS; i++)
        if (chg & ((uint64_t)V_VAL0 << i)) {
            p = put_int(p, diff64(v->scalars[i].value, st->val[i]));
            st->val[i] = v->scalars[i].value;
        }
    return p;
}

/* a and b, then the structured detail of a fault. */
static uint8_t *put_other(fl_trace_enc *e, uint8_t *p, const fl_trace_rec *r)
{
    p = put_int(p, r->a);
    p = put_int(p, r->b);
    switch (r->type) {
    case FL_TR_PARTITION:
        if (!(p = enc_room(e, p, 20 + e->nnodes * 10)))
            return NULL;
        *p++ = r->group_of != NULL;
        if (r->group_of) {
            p = put_var(p, r->ngroups);
            for (size_t i = 0; i < e->nnodes; i++)
                p = put_int(p, r->group_of[i]);
        }
        return p;
    case FL_TR_LINK:
        return put_var(p, r->flags);
    case FL_TR_SKIP:
        *p++ = r->reason != NULL;
        return r->reason ? put_str(e, p, r->reason) : p;
    case FL_TR_END:
        p = put_var(p, r->events);
        *p++ = r->stopped;
        return p;
    default:
        return p;
    }
}

fl_trace_enc *fl_trace_enc_new(FILE *out, const char *header, size_t len, size_t nnodes)
{
    fl_trace_enc *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->out = out;
    e->nnodes = nnodes;
    e->zcap = ZSTD_CStreamOutSize();
    e->cap = BLOCK + len + 64;
    e->z = ZSTD_createCCtx();
    e->buf = malloc(e->cap);
    e->zbuf = malloc(e->zcap);
    e->views = tc_vstates_new(nnodes);
    if (!e->z || !e->buf || !e->zbuf || !e->views ||
        ZSTD_isError(ZSTD_CCtx_setParameter(e->z, ZSTD_c_compressionLevel, LEVEL)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(e->z, ZSTD_c_checksumFlag, 1))) {
        fl_trace_enc_free(e);
        return NULL;
    }
    uint8_t *p = e->buf;
    memcpy(p, MAGIC, 8);
    p += 8;
    *p++ = FL_TRACE_COMPACT_VERSION;
    p = put_var(p, nnodes);
    p = put_var(p, len);
    memcpy(p, header, len);
    e->len = (size_t)(p - e->buf) + len;
    return e;
}

int fl_trace_enc_put(fl_trace_enc *e, const fl_trace_rec *r, const fl_msg_info *info)
{
    if (e->error || enc_reserve(e, 256) < 0)
        return -1;
    uint8_t *p = e->buf + e->len;
    unsigned type = (unsigned)r->type & TAG_TYPE;
    *p++ = (uint8_t)(type | (r->peer != FL_NO_NODE ? TAG_PEER : 0) | (r->id ? TAG_ID : 0) |
                     (r->text ? TAG_TEXT : 0));
    p = put_int(p, r->time - e->prev_time);
    e->prev_time = r->time;
    p = put_int(p, r->node);
    if (r->peer != FL_NO_NODE)
        p = put_int(p, r->peer);
    if (r->id) {
        p = put_int(p, (int64_t)(r->id - e->prev_id[type]));
        e->prev_id[type] = r->id;
    }
    if (tc_is_message(r->type))
        p = put_message(e, p, r, info);
    else if (r->type != FL_TR_VIEW)
        p = put_other(e, p, r);
    else if ((*p++ = r->view != NULL))
        p = put_view(e, p, r->node, r->view);
    else
        p = put_int(put_int(p, r->a), r->b);
    if (!p)
        return -1;
    if (r->text) {
        size_t n = strlen(r->text);
        if (!(p = enc_room(e, p, n + 10)))
            return -1;
        p = put_var(p, n);
        memcpy(p, r->text, n);
        p += n;
    }
    e->len = (size_t)(p - e->buf);
    if (e->len >= BLOCK)
        return enc_compress(e, ZSTD_e_continue);
    return 0;
}

int fl_trace_enc_finish(fl_trace_enc *e)
{
    if (e->error || enc_compress(e, ZSTD_e_end) < 0 || fflush(e->out) != 0)
        return -1;
    return ferror(e->out) ? -1 : 0;
}

void fl_trace_enc_free(fl_trace_enc *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nstrs; i++)
        free(e->strs[i]);
    tc_vstates_free(e->views, e->nnodes);
    ZSTD_freeCCtx(e->z);
    free(e->buf);
    free(e->zbuf);
    free(e);
}

