/* linop.c — values, operations and histories of the linearizability
 * checker (linop.h): the arena that owns their strings, value equality,
 * hashing, printing and canonical encoding, and the conversion from a run's
 * fl_history. */
#include "sim/check/linop.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/hash.h"
#include "sim/util/idmap.h"
#include "sim/util/vec.h"

/* ---- arena ------------------------------------------------------------------ */

struct fl_arena_chunk {
    fl_arena_chunk *next;
    size_t          used, cap;
    _Alignas(16) unsigned char data[];
};

#define FL_ARENA_CHUNK 65536u

void fl_arena_init(fl_arena *a)
{
    a->head = NULL;
    a->spare = NULL;
}

static void chunks_free(fl_arena_chunk *c)
{
    while (c) {
        fl_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
}

void fl_arena_free(fl_arena *a)
{
    chunks_free(a->head);
    chunks_free(a->spare);
    fl_arena_init(a);
}

void fl_arena_reset(fl_arena *a)
{
    while (a->head) {
        fl_arena_chunk *c = a->head;
        a->head = c->next;
        c->used = 0;
        c->next = a->spare;
        a->spare = c;
    }
}

void *fl_arena_alloc_raw(fl_arena *a, size_t n)
{
    n = (n + 15u) & ~(size_t)15u;
    if (n == 0)
        n = 16;
    fl_arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        if (a->spare && a->spare->cap >= n) {
            c = a->spare;
            a->spare = c->next;
        } else {
            size_t cap = n > FL_ARENA_CHUNK ? n : FL_ARENA_CHUNK;
            c = malloc(sizeof *c + cap);
            if (!c)
                return NULL;
            c->cap = cap;
            c->used = 0;
        }
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

void *fl_arena_alloc(fl_arena *a, size_t n)
{
    void *p = fl_arena_alloc_raw(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *fl_arena_strndup(fl_arena *a, const char *s, size_t n)
{
    char *p = fl_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---- byte buffer -------------------------------------------------------------- */

void fl_lin_buf_free(fl_lin_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void fl_lin_buf_put(fl_lin_buf *b, const void *p, size_t n)
{
    if (b->oom)
        return;
    if (b->cap - b->len < n &&
        fl_vec_grow(&b->data, &b->cap, b->len + n, 1, 64) < 0) {
        b->oom = true;
        return;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

void fl_lin_buf_put_i64(fl_lin_buf *b, int64_t v)
{
    fl_lin_buf_put(b, &v, sizeof v);
}

/* ---- values -------------------------------------------------------------------- */

fl_lin_val fl_lin_none(void)
{
    return (fl_lin_val){ .type = FL_LV_NONE };
}

fl_lin_val fl_lin_nil(void)
{
    return (fl_lin_val){ .type = FL_LV_NIL };
}

fl_lin_val fl_lin_int(int64_t v)
{
    return (fl_lin_val){ .type = FL_LV_INT, .u.i = v };
}

fl_lin_val fl_lin_bool(bool v)
{
    return (fl_lin_val){ .type = FL_LV_BOOL, .u.i = v ? 1 : 0 };
}

bool fl_lin_val_equal(const fl_lin_val *a, const fl_lin_val *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case FL_LV_NONE:
    case FL_LV_NIL:
        return true;
    case FL_LV_INT:
    case FL_LV_BOOL:
        return a->u.i == b->u.i;
    case FL_LV_STR:
        return a->n == b->n && memcmp(a->u.s, b->u.s, a->n) == 0;
    case FL_LV_LIST:
        return a->n == b->n &&
               (a->n == 0 ||
                memcmp(a->u.list, b->u.list, a->n * sizeof(int64_t)) == 0);
    case FL_LV_PAIR:
        return fl_lin_val_equal(&a->u.pair[0], &b->u.pair[0]) &&
               fl_lin_val_equal(&a->u.pair[1], &b->u.pair[1]);
    case FL_LV_TXN:
        if (a->n != b->n)
            return false;
        for (size_t i = 0; i < a->n; i++) {
            const fl_lin_mop *x = &a->u.mops[i], *y = &b->u.mops[i];
            if (x->write != y->write || !fl_lin_val_equal(&x->key, &y->key) ||
                !fl_lin_val_equal(&x->val, &y->val))
                return false;
        }
        return true;
    }
    return false;
}

uint64_t fl_lin_val_hash(const fl_lin_val *v)
{
    uint64_t h = fl_fnv1a(FL_FNV_OFFSET, &v->type, sizeof v->type);
    switch (v->type) {
    case FL_LV_NONE:
    case FL_LV_NIL:
        return h;
    case FL_LV_INT:
    case FL_LV_BOOL:
        return fl_fnv1a(h, &v->u.i, sizeof v->u.i);
    case FL_LV_STR:
        return fl_fnv1a(h, v->u.s, v->n);
    case FL_LV_LIST:
        return fl_fnv1a(h, v->u.list, v->n * sizeof(int64_t));
    case FL_LV_PAIR:
        return h ^ (fl_lin_val_hash(&v->u.pair[0]) * 31u) ^
               fl_lin_val_hash(&v->u.pair[1]);
    case FL_LV_TXN:
        for (size_t i = 0; i < v->n; i++) {
            const fl_lin_mop *m = &v->u.mops[i];
            h = (h ^ m->write) * FL_FNV_PRIME;
            h = (h ^ fl_lin_val_hash(&m->key)) * FL_FNV_PRIME;
            h = (h ^ fl_lin_val_hash(&m->val)) * FL_FNV_PRIME;
        }
        return h;
    }
    return h;
}

/* Appends to buf[*at..len) like snprintf, never past the end. */
static void add_text(char *buf, size_t len, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_text(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
    if (*at >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *at, len - *at, fmt, ap);
    va_end(ap);
    if (n > 0)
        *at += (size_t)n;
}

static void format_into(const fl_lin_val *v, char *buf, size_t len,
                        size_t *at)
{
    switch (v->type) {
    case FL_LV_NONE:
        add_text(buf, len, at, "?");
        return;
    case FL_LV_NIL:
        add_text(buf, len, at, "nil");
        return;
    case FL_LV_INT:
        add_text(buf, len, at, "%" PRId64, v->u.i);
        return;
    case FL_LV_BOOL:
        add_text(buf, len, at, "%s", v->u.i ? "true" : "false");
        return;
    case FL_LV_STR:
        add_text(buf, len, at, "\"%.*s\"", (int)v->n, v->u.s);
        return;
    case FL_LV_PAIR:
        add_text(buf, len, at, "[");
        format_into(&v->u.pair[0], buf, len, at);
        add_text(buf, len, at, " ");
        format_into(&v->u.pair[1], buf, len, at);
        add_text(buf, len, at, "]");
        return;
    case FL_LV_LIST:
        add_text(buf, len, at, "#{");
        for (size_t i = 0; i < v->n; i++)
            add_text(buf, len, at, "%s%" PRId64, i ? " " : "", v->u.list[i]);
        add_text(buf, len, at, "}");
        return;
    case FL_LV_TXN:
        add_text(buf, len, at, "[");
        for (size_t i = 0; i < v->n; i++) {
            const fl_lin_mop *m = &v->u.mops[i];
            add_text(buf, len, at, "%s[:%s ", i ? " " : "",
                     m->write ? "write" : "read");
            format_into(&m->key, buf, len, at);
            add_text(buf, len, at, " ");
            if (!m->write && m->val.type == FL_LV_NONE)
                add_text(buf, len, at, "nil");
            else
                format_into(&m->val, buf, len, at);
            add_text(buf, len, at, "]");
        }
        add_text(buf, len, at, "]");
        return;
    }
}

/* Marks a cut-off text with "..." at its end. */
static void mark_truncated(char *buf, size_t len, size_t at)
{
    if (at >= len && len >= 4)
        memcpy(buf + len - 4, "...", 4);
}

char *fl_lin_val_format(const fl_lin_val *v, char *buf, size_t len)
{
    if (len == 0)
        return buf;
    size_t at = 0;
    buf[0] = '\0';
    format_into(v, buf, len, &at);
    mark_truncated(buf, len, at);
    return buf;
}

/* Tag bytes of the canonical encoding. */
enum { ENC_NIL = 'n', ENC_INT = 'i', ENC_STR = 's' };

void fl_lin_val_encode(const fl_lin_val *v, fl_lin_buf *out)
{
    unsigned char tag;
    switch (v->type) {
    case FL_LV_INT:
    case FL_LV_BOOL:
        tag = ENC_INT;
        fl_lin_buf_put(out, &tag, 1);
        fl_lin_buf_put_i64(out, v->u.i);
        return;
    case FL_LV_STR:
        tag = ENC_STR;
        fl_lin_buf_put(out, &tag, 1);
        fl_lin_buf_put(out, v->u.s, v->n);
        return;
    default:
        tag = ENC_NIL;
        fl_lin_buf_put(out, &tag, 1);
        return;
    }
}

bool fl_lin_val_decode(const unsigned char *p, size_t n, fl_lin_val *out)
{
    if (n == 0)
        return false;
    switch (p[0]) {
    case ENC_NIL:
        *out = fl_lin_nil();
        return n == 1;
    case ENC_INT:
        if (n != 1 + sizeof(int64_t))
            return false;
        *out = fl_lin_int(0);
        memcpy(&out->u.i, p + 1, sizeof(int64_t));
        return true;
    case ENC_STR:
        /* Not NUL-terminated: compare with n, print with %.*s. */
        out->type = FL_LV_STR;
        out->n = n - 1;
        out->u.s = (const char *)p + 1;
        return true;
    default:
        return false;
    }
}

/* ---- operations ---------------------------------------------------------------- */

const char *fl_lin_kind_name(fl_lin_kind k)
{
    static const char *const names[FL_LIN_KIND_COUNT] = {
        "read", "write", "cas", "add", "acquire", "release", "append",
        "txn",
    };
    return (unsigned)k < FL_LIN_KIND_COUNT ? names[k] : "?";
}

char *fl_lin_op_format(const fl_lin_op *op, char *buf, size_t len)
{
    if (len == 0)
        return buf;
    size_t at = 0;
    buf[0] = '\0';
    add_text(buf, len, &at, "p%" PRId64 " %s", op->process,
             fl_lin_kind_name(op->kind));
    if (op->key.type != FL_LV_NONE) {
        add_text(buf, len, &at, " key ");
        format_into(&op->key, buf, len, &at);
    }
    if (op->arg.type != FL_LV_NONE) {
        add_text(buf, len, &at, " ");
        format_into(&op->arg, buf, len, &at);
    }
    if (op->status == FL_LIN_STATUS_INFO)
        add_text(buf, len, &at, " -> ? (info)");
    else if (op->out.type != FL_LV_NONE) {
        add_text(buf, len, &at, " -> ");
        format_into(&op->out, buf, len, &at);
    }
    if (op->line)
        add_text(buf, len, &at, "  (line %zu)", op->line);
    mark_truncated(buf, len, at);
    return buf;
}

/* ---- histories ------------------------------------------------------------------- */

void fl_lin_history_init(fl_lin_history *h, const char *source)
{
    memset(h, 0, sizeof *h);
    fl_arena_init(&h->arena);
    snprintf(h->source, sizeof h->source, "%s", source ? source : "");
}

void fl_lin_history_free(fl_lin_history *h)
{
    free(h->ops);
    fl_arena_free(&h->arena);
    h->ops = NULL;
    h->len = h->cap = 0;
}

static bool is_string(const fl_lin_val *v)
{
    if (v->type == FL_LV_PAIR)
        return is_string(&v->u.pair[0]) || is_string(&v->u.pair[1]);
    return v->type == FL_LV_STR;
}

int fl_lin_history_add(fl_lin_history *h, const fl_lin_op *op)
{
    if (fl_vec_grow(&h->ops, &h->cap, h->len + 1, sizeof *h->ops, 256) < 0)
        return -1;
    h->ops[h->len++] = *op;
    if (is_string(&op->arg) || is_string(&op->out))
        h->has_strings = true;
    return 0;
}

/* ---- from a run's history ------------------------------------------------------- */

static fl_lin_kind kind_of(fl_op_kind k)
{
    switch (k) {
    case FL_OP_READ:    return FL_LIN_READ;
    case FL_OP_WRITE:   return FL_LIN_WRITE;
    case FL_OP_CAS:     return FL_LIN_CAS;
    case FL_OP_ADD:     return FL_LIN_ADD;
    case FL_OP_ACQUIRE: return FL_LIN_ACQUIRE;
    case FL_OP_RELEASE: return FL_LIN_RELEASE;
    case FL_OP_KIND_COUNT: break;
    }
    return FL_LIN_KIND_COUNT;
}

static fl_lin_val int_or_nil(int64_t v)
{
    return v == FL_NIL ? fl_lin_nil() : fl_lin_int(v);
}

/* The op an invoke asks for, still without a result. */
static int op_from_invoke(fl_lin_history *h, const fl_hist_event *e,
                          size_t pos, fl_lin_op *op, fl_error *err)
{
    memset(op, 0, sizeof *op);
    op->kind = kind_of(e->op.kind);
    if (op->kind == FL_LIN_KIND_COUNT)
        return fl_error_set(err, "event %zu: unknown op kind %d", pos,
                            (int)e->op.kind);
    op->status = FL_LIN_STATUS_INFO;
    op->process = e->process;
    op->key = fl_lin_int(e->op.key);
    op->out = fl_lin_none();
    op->call = (int64_t)pos;
    op->ret = FL_LIN_NEVER;
    op->call_time = e->time;
    op->ret_time = FL_LIN_NEVER;
    switch (op->kind) {
    case FL_LIN_READ:
        op->arg = fl_lin_none();
        break;
    case FL_LIN_CAS: {
        fl_lin_val *pair = fl_arena_alloc(&h->arena, 2 * sizeof *pair);
        if (!pair)
            return fl_error_set(err, "out of memory");
        pair[0] = int_or_nil(e->op.arg);
        pair[1] = int_or_nil(e->op.arg2);
        op->arg = (fl_lin_val){ .type = FL_LV_PAIR, .u.pair = pair };
        break;
    }
    default:
        op->arg = int_or_nil(e->op.arg);
        break;
    }
    return 0;
}

static void complete_op(fl_lin_op *op, const fl_hist_event *e, size_t pos)
{
    op->ret = (int64_t)pos;
    op->ret_time = e->time;
    op->status = FL_LIN_STATUS_OK;
    switch (op->kind) {
    case FL_LIN_READ:
    case FL_LIN_ACQUIRE:
        op->out = int_or_nil(e->value);
        break;
    case FL_LIN_CAS:
        op->out = fl_lin_bool(e->value != 0);
        break;
    default:
        op->out = fl_lin_none();
        break;
    }
}

int fl_lin_from_history(const fl_history *src, fl_lin_history *out,
                        fl_error *err)
{
    fl_idmap map;                  /* op id -> index of its op in `ops` + 1 */
    fl_idmap_init(&map);
    fl_lin_op *ops = calloc(src->len + 1, sizeof *ops);
    /* 0 open, 1 completed, 2 failed (dropped) */
    unsigned char *done = calloc(src->len + 1, 1);
    int rc = -1;
    size_t n = 0;
    if (fl_idmap_reserve(&map, src->len) < 0 || !ops || !done) {
        fl_error_set(err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < src->len; i++) {
        const fl_hist_event *e = &src->events[i];
        if (e->type == FL_HIST_INVOKE) {
            uint64_t *s = fl_idmap_slot(&map, e->op_id, true);
            if (!s) {
                fl_error_set(err, "out of memory");
                goto done;
            }
            if (e->op_id == 0 || *s != 0) {
                fl_error_set(err, "event %zu: op id %" PRIu64 " invoked twice",
                             i, e->op_id);
                goto done;
            }
            if (op_from_invoke(out, e, i, &ops[n], err) != 0)
                goto done;
            *s = ++n;                        /* 1-based: 0 means empty */
            continue;
        }
        uint64_t *s = fl_idmap_slot(&map, e->op_id, false);
        if (!s || *s == 0 || done[*s - 1]) {
            fl_error_set(err, "event %zu: %s of op %" PRIu64
                         " that is not open", i, fl_hist_type_name(e->type),
                         e->op_id);
            goto done;
        }
        /* INFO: the op stays open for ever, as op_from_invoke left it */
        done[*s - 1] = e->type == FL_HIST_FAIL ? 2 : 1;
        if (e->type == FL_HIST_OK)
            complete_op(&ops[*s - 1], e, i);
    }
    for (size_t i = 0; i < n; i++) {
        if (done[i] == 2)
            continue;
        if (fl_lin_history_add(out, &ops[i]) != 0) {
            fl_error_set(err, "out of memory");
            goto done;
        }
    }
    out->time_is_ns = true;
    rc = 0;
done:
    fl_idmap_destroy(&map);
    free(ops);
    free(done);
    return rc;
}
