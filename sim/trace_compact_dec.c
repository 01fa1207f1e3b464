/* trace_compact_dec.c — the compact trace's decoder (format in
 * trace_compact.h): it pulls decompressed bytes as it parses and checks
 * every count and index it reads before using it. */
#include "sim/trace_compact_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

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
    if (!tc_vstate_size(st, (size_t)n)) {
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
    vstate *st = tc_vstate_of(d->views, d->nnodes, r->node);
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
            uint64_t ngroups = get_var(d);
            if (ngroups > d->nnodes) {
                dec_error(d, "corrupt compact trace: a partition names more groups "
                             "than there are nodes%s", NULL);
                break;
            }
            r->ngroups = (unsigned)ngroups;
            for (size_t i = 0; i < d->nnodes && !d->fail; i++) {
                int64_t g = get_int(d);
                if (g < -1 || g >= (int64_t)ngroups)
                    dec_error(d, "corrupt compact trace: a node in a group the "
                                 "partition does not name%s", NULL);
                d->group_of[i] = (int)g;
            }
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
    if (tc_is_message(r->type)) {
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
                     !(d->views = tc_vstates_new(d->nnodes))))
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
    tc_vstates_free(d->views, d->nnodes);
    free(d->votes8);
    for (size_t i = 0; i < d->nextra; i++)
        free(d->extra[i]);
    free(d->extra);
    free(d->group_of);
    free(d);
}
