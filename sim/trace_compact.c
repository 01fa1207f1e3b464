/* trace_compact.c — the compact trace's encoder and decoder (format in
 * trace_compact.h). The encoder gathers records in a block and hands each
 * full block to zstd; the decoder pulls decompressed bytes as it parses and
 * checks every count and index it reads before using it. */
#include "sim/trace_compact.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "sim/engine_internal.h"

#define MAGIC       "FLTRACE"         /* and a NUL: 8 bytes */
#define BLOCK       (128 * 1024)      /* raw bytes handed to zstd at a time */
#define LEVEL       (-3)              /* fast: ~20% less CPU than level 1, ~20% larger */
#define STR_MAX     1024              /* strings named by number */
#define MAX_STR_LEN (1u << 20)        /* a decoder's sanity limits */
#define MAX_TEXT    (16u << 20)
#define MAX_NODES   (1u << 20)
#define MAX_WINDOW  ((size_t)64 << 20)

enum { TAG_TYPE = 0x1f, TAG_PEER = 0x20, TAG_ID = 0x40, TAG_TEXT = 0x80 };
enum { MSG_REPLY = 0x04, MSG_TERM = 0x20, MSG_REASON = 0x40, MSG_CLIENT = 0x80 };
enum { VIEW_LABEL = 1, VIEW_MATCH = 2, VIEW_VOTES = 4 };

static bool is_message(fl_trace_type t)
{
    return t == FL_TR_SEND || t == FL_TR_DELIVER || t == FL_TR_DROP || t == FL_TR_DUPLICATE;
}

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzigzag(uint64_t u) { return (int64_t)(u >> 1) ^ -(int64_t)(u & 1); }
/* a - b and a + b without signed overflow (garbage input must not be UB) */
static int64_t diff64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t add64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }

/* ---- Views as differences -------------------------------------------------------
 * A view record says only what changed since the node's last view: a
 * bit mask (V_*), then the changed fields, numbers as differences. Both
 * sides keep the same state per node (a node id outside the header's
 * count uses a spare slot, reset for every view). */

#define NUMS 7                        /* term, leader, voted_for, log_first, log_last, commit, applied */
enum { V_KIND = 1, V_LABEL = 2, V_NUM0 = 4, V_ARRAYS = 1 << 9, V_NAMES = 1 << 10,
       V_VAL0 = 1 << 11, V_ALL = (1 << 19) - 1 };

typedef struct vstate {
    uint64_t    kind;
    long        label_id;             /* encoder: string number, -1 none, -2 unnumbered */
    const char *label;                /* encoder: as given; decoder: the text */
    int64_t     num[NUMS];
    unsigned    arrays;               /* VIEW_MATCH | VIEW_VOTES */
    size_t      npeers, cap;
    int64_t    *match, *next, *votes;
    size_t      ns;
    long        name_id[FL_VIEW_MAX_SCALARS];
    const char *name[FL_VIEW_MAX_SCALARS];
    int64_t     val[FL_VIEW_MAX_SCALARS];
} vstate;

static void vstate_reset(vstate *st)
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

static vstate *vstates_new(size_t nnodes)
{
    vstate *v = calloc(nnodes + 1, sizeof *v);
    for (size_t i = 0; v && i <= nnodes; i++)
        vstate_reset(&v[i]);
    return v;
}

static void vstates_free(vstate *v, size_t nnodes)
{
    for (size_t i = 0; v && i <= nnodes; i++) {
        free(v[i].match);
        free(v[i].next);
        free(v[i].votes);
    }
    free(v);
}

static vstate *vstate_of(vstate *v, size_t nnodes, fl_node_id node)
{
    if (node >= 0 && (size_t)node < nnodes)
        return &v[node];
    vstate_reset(&v[nnodes]);
    return &v[nnodes];
}

/* The arrays sized n; values zeroed when n changes. false if out of memory. */
static bool vstate_size(vstate *st, size_t n)
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
    const char *seen[STR_MAX];       /* the pointer each last came as */
    size_t     nstrs;
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
static long str_find(fl_trace_enc *e, const char *s)
{
    for (size_t i = 0; i < e->nstrs; i++)
        if (e->seen[i] == s) {
            if (strcmp(e->strs[i], s) == 0)
                return (long)i;
            break;
        }
    for (size_t i = 0; i < e->nstrs; i++)
        if (strcmp(e->strs[i], s) == 0) {
            e->seen[i] = s;
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
        e->seen[e->nstrs++] = s;
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
    if (!vstate_size(st, v->npeers)) {
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
    vstate *st = vstate_of(e->views, e->nnodes, node);
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
    e->views = vstates_new(nnodes);
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
    if (is_message(r->type))
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
    vstates_free(e->views, e->nnodes);
    ZSTD_freeCCtx(e->z);
    free(e->buf);
    free(e->zbuf);
    free(e);
}

/* ---- Decoder ------------------------------------------------------------------ */

struct fl_trace_dec {
    FILE      *in;
    char      *path;
    ZSTD_DCtx *z;
    uint8_t   *zin;                 /* compressed bytes read, not yet used */
    ZSTD_inBuffer zi;
    size_t     zin_cap;
    bool       in_eof;
    size_t     frame_left;          /* zstd's last hint: 0 = a frame ended */
    uint8_t   *buf;                 /* decompressed, [pos, end) unread */
    size_t     pos, end, cap;
    bool       fail;                /* err is set; stop */
    fl_error  *err;
    char      *header;
    size_t     header_len, nnodes;
    uint64_t   nrec;
    fl_time    prev_time;
    uint64_t   prev_id[FL_TR_COUNT];
    char      *strs[STR_MAX];
    size_t     nstrs;
    /* what the current record points at */
    char      *text, *str_tmp;
    size_t     text_cap, str_tmp_cap;
    fl_view    view;
    vstate    *views;               /* nnodes + 1 */
    int8_t    *votes8;              /* a candidate's votes as the view has them */
    size_t     votes8_cap;
    char     **extra;               /* strings past STR_MAX, owned */
    size_t     nextra;
    int       *group_of;
    fl_request req;
    fl_reply_msg rep;
};

static void dec_error(fl_trace_dec *d, const char *fmt, const char *detail)
{
    if (d->fail)
        return;
    d->fail = true;
    char what[256];
    snprintf(what, sizeof what, fmt, detail ? detail : "");
    if (d->nrec)
        fl_error_set(d->err, "%s: %s (after %llu good events)", d->path, what,
                     (unsigned long long)d->nrec);
    else
        fl_error_set(d->err, "%s: %s", d->path, what);
}

/* Decompresses more; 1 progress, 0 nothing more to read, -1 error. */
static int dec_fill(fl_trace_dec *d)
{
    if (d->pos > 0) {
        memmove(d->buf, d->buf + d->pos, d->end - d->pos);
        d->end -= d->pos;
        d->pos = 0;
    }
    if (d->end == d->cap) {
        if (d->cap >= MAX_WINDOW) {
            dec_error(d, "corrupt compact trace: a record larger than 64 MB%s", NULL);
            return -1;
        }
        uint8_t *p = realloc(d->buf, d->cap * 2);
        if (!p) {
            dec_error(d, "out of memory%s", NULL);
            return -1;
        }
        d->buf = p;
        d->cap *= 2;
    }
    for (;;) {
        if (d->zi.pos == d->zi.size) {
            if (d->in_eof)
                return 0;
            size_t n = fread(d->zin, 1, d->zin_cap, d->in);
            if (n == 0) {
                if (ferror(d->in)) {
                    dec_error(d, "read error: %s", strerror(errno));
                    return -1;
                }
                d->in_eof = true;
                return 0;
            }
            d->zi = (ZSTD_inBuffer){ d->zin, n, 0 };
        }
        ZSTD_outBuffer o = { d->buf + d->end, d->cap - d->end, 0 };
        size_t rc = ZSTD_decompressStream(d->z, &o, &d->zi);
        if (ZSTD_isError(rc)) {
            dec_error(d, "corrupt compact trace: %s", ZSTD_getErrorName(rc));
            return -1;
        }
        d->frame_left = rc;
        d->end += o.pos;
        if (o.pos > 0)
            return 1;
    }
}

/* At least n bytes unread, or fail (cut short or damaged). */
static bool dec_need(fl_trace_dec *d, size_t n)
{
    while (!d->fail && d->end - d->pos < n) {
        int rc = dec_fill(d);
        if (rc == 0)
            dec_error(d, d->frame_left ? "the compact trace is cut short%s (a truncated file?)"
                                       : "corrupt compact trace: a record cut short%s", NULL);
    }
    return !d->fail;
}

static uint8_t get_u8(fl_trace_dec *d)
{
    if (d->pos == d->end && !dec_need(d, 1))
        return 0;
    return d->buf[d->pos++];
}

static uint64_t get_var(fl_trace_dec *d)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        uint8_t b = get_u8(d);
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80) || d->fail)
            return d->fail ? 0 : v;
    }
    dec_error(d, "corrupt compact trace: a number longer than 64 bits%s", NULL);
    return 0;
}

static int64_t get_int(fl_trace_dec *d) { return unzigzag(get_var(d)); }

/* n bytes into *dst (grown to hold them and a NUL). */
static const char *get_bytes(fl_trace_dec *d, size_t n, char **dst, size_t *cap)
{
    if (!dec_need(d, n))
        return "";
    if (n + 1 > *cap) {
        char *p = realloc(*dst, n + 1);
        if (!p) {
            dec_error(d, "out of memory%s", NULL);
            return "";
        }
        *dst = p;
        *cap = n + 1;
    }
    memcpy(*dst, d->buf + d->pos, n);
    (*dst)[n] = '\0';
    d->pos += n;
    if (memchr(*dst, '\0', n)) {
        dec_error(d, "corrupt compact trace: a NUL inside a string%s", NULL);
        return "";
    }
    return *dst;
}

static const char *get_str(fl_trace_dec *d)
{
    uint64_t code = get_var(d);
    if (d->fail)
        return "";
    if (code) {
        if (code > d->nstrs) {
            dec_error(d, "corrupt compact trace: string #%s was never defined", NULL);
            return "";
        }
        return d->strs[code - 1];
    }
    uint64_t n = get_var(d);
    if (n > MAX_STR_LEN) {
        dec_error(d, "corrupt compact trace: a string longer than 1 MB%s", NULL);
        return "";
    }
    const char *s = get_bytes(d, (size_t)n, &d->str_tmp, &d->str_tmp_cap);
    if (d->fail)
        return "";
    char *copy = strdup(s);
    if (!copy) {
        dec_error(d, "out of memory%s", NULL);
        return "";
    }
    if (d->nstrs < STR_MAX)
        return d->strs[d->nstrs++] = copy;
    char **x = realloc(d->extra, (d->nextra + 1) * sizeof *x);   /* kept: a view may */
    if (!x) {                                                     /* name it again */
        free(copy);
        dec_error(d, "out of memory%s", NULL);
        return "";
    }
    d->extra = x;
    return d->extra[d->nextra++] = copy;
}

static void get_arrays(fl_trace_dec *d, vstate *st)
{
    unsigned arr = get_u8(d);
    if (arr & ~(unsigned)(VIEW_MATCH | VIEW_VOTES)) {
        dec_error(d, "corrupt compact trace: a bad view record%s", NULL);
        return;
    }
    st->arrays = arr;
    if (!arr)
        return;
    uint64_t n = get_var(d);
    if (n > MAX_NODES) {
        dec_error(d, "corrupt compact trace: a view with too many peers%s", NULL);
        return;
    }
    if (!vstate_size(st, (size_t)n)) {
        dec_error(d, "out of memory%s", NULL);
        return;
    }
    for (size_t i = 0; (arr & VIEW_MATCH) && i < st->npeers && !d->fail; i++) {
        st->match[i] = add64(st->match[i], get_int(d));
        st->next[i] = add64(st->next[i], get_int(d));
    }
    for (size_t i = 0; (arr & VIEW_VOTES) && i < st->npeers && !d->fail; i++)
        st->votes[i] = add64(st->votes[i], get_int(d));
}

/* The view, from the node's last one and what changed (see put_view). */
static void get_view(fl_trace_dec *d, fl_trace_rec *r)
{
    vstate *st = vstate_of(d->views, d->nnodes, r->node);
    uint64_t chg = get_var(d);
    if (chg & ~(uint64_t)V_ALL) {
        dec_error(d, "corrupt compact trace: a bad view record%s", NULL);
        return;
    }
    if (chg & V_KIND)
        st->kind = get_var(d);
    if (chg & V_LABEL)
        st->label = get_u8(d) ? get_str(d) : NULL;
    for (int i = 0; i < NUMS; i++)
        if (chg & ((uint64_t)V_NUM0 << i))
            st->num[i] = add64(st->num[i], get_int(d));
    if (chg & V_ARRAYS)
        get_arrays(d, st);
    if (chg & V_NAMES) {
        uint64_t ns = get_var(d);
        if (ns > FL_VIEW_MAX_SCALARS) {
            dec_error(d, "corrupt compact trace: a view with too many scalars%s", NULL);
            return;
        }
        st->ns = (size_t)ns;
        for (size_t i = 0; i < st->ns; i++)
            st->name[i] = get_str(d);
    }
    for (size_t i = 0; i < FL_VIEW_MAX_SCALARS; i++)
        if (chg & ((uint64_t)V_VAL0 << i))
            st->val[i] = add64(st->val[i], get_int(d));
    if (d->fail)
        return;
    fl_view *v = &d->view;
    memset(v, 0, sizeof *v);
    v->kind = (fl_view_kind)st->kind;
    v->label = st->label;
    v->term = st->num[0];
    v->leader = (fl_node_id)st->num[1];
    v->voted_for = (fl_node_id)st->num[2];
    v->log_first = st->num[3];
    v->log_last = st->num[4];
    v->commit = st->num[5];
    v->applied = st->num[6];
    if ((st->arrays & VIEW_VOTES) && st->npeers > d->votes8_cap) {
        int8_t *p = realloc(d->votes8, st->npeers);
        if (!p) {
            dec_error(d, "out of memory%s", NULL);
            return;
        }
        d->votes8 = p;
        d->votes8_cap = st->npeers;
    }
    if (st->arrays) {
        v->npeers = st->npeers;
        for (size_t i = 0; (st->arrays & VIEW_VOTES) && i < st->npeers; i++)
            d->votes8[i] = (int8_t)st->votes[i];
    }
    v->match = st->arrays & VIEW_MATCH ? st->match : NULL;
    v->next = st->arrays & VIEW_MATCH ? st->next : NULL;
    v->votes = st->arrays & VIEW_VOTES ? d->votes8 : NULL;
    v->nscalars = st->ns;
    for (size_t i = 0; i < st->ns; i++) {
        v->scalars[i].name = st->name[i];
        v->scalars[i].value = st->val[i];
    }
    r->view = v;
    r->a = (int64_t)v->kind;
    r->b = v->term;
}

static void get_client(fl_trace_dec *d, fl_trace_rec *r)
{
    if (r->channel == FL_CH_REQUEST) {
        memset(&d->req, 0, sizeof d->req);
        d->req.client = (fl_node_id)get_int(d);
        d->req.seq = get_var(d);
        d->req.attempt = (uint32_t)get_var(d);
        d->req.op.kind = (fl_op_kind)get_var(d);
        d->req.op.key = (uint32_t)get_var(d);
        r->payload = &d->req;
        r->len = sizeof d->req;
    } else if (r->channel == FL_CH_REPLY) {
        memset(&d->rep, 0, sizeof d->rep);
        d->rep.seq = get_var(d);
        d->rep.status = (fl_status)get_var(d);
        if (d->rep.status == FL_STATUS_OK)
            d->rep.value = get_int(d);
        r->payload = &d->rep;
        r->len = sizeof d->rep;
    } else {
        dec_error(d, "corrupt compact trace: client fields on an algorithm message%s", NULL);
    }
}

static void get_message(fl_trace_dec *d, fl_trace_rec *r, fl_msg_info *info)
{
    unsigned m = get_u8(d);
    if ((m & 3) > FL_CH_REPLY || ((m >> 3) & 3) == 3) {
        dec_error(d, "corrupt compact trace: a bad message record%s", NULL);
        return;
    }
    r->channel = (fl_channel)(m & 3);
    r->a = r->channel;
    info->is_reply = m & MSG_REPLY;
    info->ok = (int)((m >> 3) & 3) - 1;
    r->b = get_int(d);
    info->kind = get_str(d);
    info->term = m & MSG_TERM ? get_int(d) : -1;
    r->reason = m & MSG_REASON ? get_str(d) : NULL;
    if (m & MSG_CLIENT)
        get_client(d, r);
}

static void get_other(fl_trace_dec *d, fl_trace_rec *r)
{
    r->a = get_int(d);
    r->b = get_int(d);
    switch (r->type) {
    case FL_TR_PARTITION:
        if (get_u8(d)) {
            r->ngroups = (unsigned)get_var(d);
            for (size_t i = 0; i < d->nnodes; i++)
                d->group_of[i] = (int)get_int(d);
            r->group_of = d->group_of;
        }
        break;
    case FL_TR_LINK:
        r->flags = (unsigned)get_var(d);
        break;
    case FL_TR_SKIP:
        if (get_u8(d))
            r->reason = get_str(d);
        break;
    case FL_TR_END:
        r->events = get_var(d);
        r->stopped = get_u8(d) != 0;
        break;
    default:
        break;
    }
}

int fl_trace_dec_next(fl_trace_dec *d, fl_trace_rec *r, fl_msg_info *info, fl_error *err)
{
    d->err = err;
    if (d->fail)
        return -1;
    if (d->pos == d->end) {
        int rc = dec_fill(d);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            if (d->frame_left == 0)
                return 0;
            dec_error(d, "the compact trace is cut short%s (a truncated file?)", NULL);
            return -1;
        }
    }
    memset(r, 0, sizeof *r);
    fl_msg_info_clear(info);
    unsigned tag = get_u8(d);
    if ((tag & TAG_TYPE) >= FL_TR_COUNT) {
        dec_error(d, "corrupt compact trace: an unknown event type%s", NULL);
        return -1;
    }
    r->type = (fl_trace_type)(tag & TAG_TYPE);
    r->time = d->prev_time = add64(d->prev_time, get_int(d));
    r->node = (fl_node_id)get_int(d);
    r->peer = tag & TAG_PEER ? (fl_node_id)get_int(d) : FL_NO_NODE;
    if (tag & TAG_ID)
        r->id = d->prev_id[r->type] += (uint64_t)get_int(d);   /* unsigned: wraps */
    if (is_message(r->type)) {
        get_message(d, r, info);
    } else if (r->type == FL_TR_VIEW) {
        if (get_u8(d)) {
            get_view(d, r);
        } else {
            r->a = get_int(d);
            r->b = get_int(d);
        }
    } else {
        get_other(d, r);
    }
    if (tag & TAG_TEXT) {
        uint64_t n = get_var(d);
        if (n > MAX_TEXT)
            dec_error(d, "corrupt compact trace: a text longer than 16 MB%s", NULL);
        else
            r->text = get_bytes(d, (size_t)n, &d->text, &d->text_cap);
    }
    if (d->fail)
        return -1;
    d->nrec++;
    return 1;
}

fl_trace_dec *fl_trace_dec_new(FILE *in, const char *path, fl_error *err)
{
    fl_trace_dec *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        fl_error_set(err, "%s: out of memory", path);
        return NULL;
    }
    d->in = in;
    d->err = err;
    d->frame_left = 1;
    d->zin_cap = ZSTD_DStreamInSize();
    d->cap = ZSTD_DStreamOutSize();
    d->z = ZSTD_createDCtx();
    d->zin = malloc(d->zin_cap);
    d->buf = malloc(d->cap);
    if (!d->z || !d->zin || !d->buf) {
        fl_error_set(err, "%s: out of memory", path);
        fl_trace_dec_free(d);
        return NULL;
    }
    uint8_t magic[8];
    for (size_t i = 0; i < 8; i++)
        magic[i] = get_u8(d);
    if (!d->fail && memcmp(magic, MAGIC, 8) != 0)
        dec_error(d, "zstd data, but not a faultline compact trace%s", NULL);
    unsigned version = get_u8(d);
    if (!d->fail && version != FL_TRACE_COMPACT_VERSION) {
        char v[16];
        snprintf(v, sizeof v, "%u", version);
        dec_error(d, "compact trace version %s: this faultline reads version 1", v);
    }
    uint64_t nnodes = get_var(d), len = get_var(d);
    if (!d->fail && (nnodes > MAX_NODES || len == 0 || len > MAX_STR_LEN))
        dec_error(d, "corrupt compact trace: a bad header%s", NULL);
    size_t hcap = 0;
    if (!d->fail) {
        d->nnodes = (size_t)nnodes;
        d->header_len = (size_t)len;
        get_bytes(d, d->header_len, &d->header, &hcap);
        if (!d->fail && d->header[d->header_len - 1] != '\n')
            dec_error(d, "corrupt compact trace: a bad header%s", NULL);
    }
    if (!d->fail && (!(d->group_of = calloc(d->nnodes ? d->nnodes : 1, sizeof *d->group_of)) ||
                     !(d->views = vstates_new(d->nnodes))))
        dec_error(d, "out of memory%s", NULL);
    if (d->fail) {
        fl_trace_dec_free(d);
        return NULL;
    }
    return d;
}

const char *fl_trace_dec_header(const fl_trace_dec *d, size_t *len)
{
    *len = d->header_len;
    return d->header;
}

size_t fl_trace_dec_nnodes(const fl_trace_dec *d) { return d->nnodes; }

void fl_trace_dec_free(fl_trace_dec *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nstrs; i++)
        free(d->strs[i]);
    ZSTD_freeDCtx(d->z);
    free(d->zin);
    free(d->buf);
    free(d->path);
    free(d->header);
    free(d->text);
    free(d->str_tmp);
    vstates_free(d->views, d->nnodes);
    free(d->votes8);
    for (size_t i = 0; i < d->nextra; i++)
        free(d->extra[i]);
    free(d->extra);
    free(d->group_of);
    free(d);
}
