/* model_multireg.c — Knossos' `multi-register`: a map of registers read
 * and written together by transactions, :f :txn with :value [[:read k v]
 * [:write k v] ...], applied in order. A read of nil is a read of an
 * unknown value, legal in any state (Knossos: "nil reads are always
 * legal"). Every key starts at --init (default nil; Knossos' test data
 * often starts every key at 0: --init 0).
 *
 * State: the initial value's encoding (length-prefixed), then the keys
 * whose value was written, sorted by the bytes of their encoding, each as
 * a length-prefixed key and a length-prefixed value: equal maps have equal
 * bytes. */
#include "sim/check/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mr_item {
    const unsigned char *k, *v;
    uint32_t kn, vn;
} mr_item;

typedef struct mr_map {
    const unsigned char *init;
    uint32_t init_n;
    mr_item *it;
    size_t   n;
} mr_map;

static bool take(const unsigned char **p, const unsigned char *end,
                 const unsigned char **s, uint32_t *n)
{
    if (end - *p < 4)
        return false;
    memcpy(n, *p, 4);
    *p += 4;
    if ((size_t)(end - *p) < *n)
        return false;
    *s = *p;
    *p += *n;
    return true;
}

/* Parses a state into m (m->it has room for `room` items). */
static bool mr_parse(fl_lin_state st, mr_map *m, size_t room)
{
    const unsigned char *p = st.data, *end = st.data + st.len;
    m->n = 0;
    if (!take(&p, end, &m->init, &m->init_n))
        return false;
    while (p < end) {
        if (m->n >= room)
            return false;
        mr_item *it = &m->it[m->n++];
        if (!take(&p, end, &it->k, &it->kn) || !take(&p, end, &it->v, &it->vn))
            return false;
    }
    return true;
}

static void put_bytes(fl_lin_buf *out, const void *s, uint32_t n)
{
    fl_lin_buf_put(out, &n, 4);
    fl_lin_buf_put(out, s, n);
}

static int key_cmp(const unsigned char *a, uint32_t an,
                   const unsigned char *b, uint32_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

/* The slot of key k: found (*hit) or where it would go. */
static size_t mr_find(const mr_map *m, const unsigned char *k, uint32_t kn,
                      bool *hit)
{
    size_t i = 0;
    while (i < m->n && key_cmp(m->it[i].k, m->it[i].kn, k, kn) < 0)
        i++;
    *hit = i < m->n && key_cmp(m->it[i].k, m->it[i].kn, k, kn) == 0;
    return i;
}

/* Applies the micro-ops in order; false if a read cannot see its value.
 * Keys and written values are encoded into `enc` (which must not grow
 * while pointers into it are held: it is sized first). */
static bool mr_apply(mr_map *m, const fl_lin_val *txn, fl_lin_buf *enc)
{
    size_t *koff = malloc((txn->n + 1) * 4 * sizeof *koff);
    if (!koff)
        return false;
    for (size_t i = 0; i < txn->n; i++) {       /* encode first, then point */
        const fl_lin_mop *mo = &txn->u.mops[i];
        koff[4 * i] = enc->len;
        fl_lin_val_encode(&mo->key, enc);
        koff[4 * i + 1] = enc->len;
        fl_lin_val_encode(&mo->val, enc);
        koff[4 * i + 2] = enc->len;
    }
    bool ok = !enc->oom;
    for (size_t i = 0; ok && i < txn->n; i++) {
        const fl_lin_mop *mo = &txn->u.mops[i];
        const unsigned char *k = enc->data + koff[4 * i];
        const unsigned char *v = enc->data + koff[4 * i + 1];
        uint32_t kn = (uint32_t)(koff[4 * i + 1] - koff[4 * i]);
        uint32_t vn = (uint32_t)(koff[4 * i + 2] - koff[4 * i + 1]);
        bool hit;
        size_t at = mr_find(m, k, kn, &hit);
        if (!mo->write) {
            if (mo->val.type == FL_LV_NONE)
                continue;                        /* nil read: unknown */
            const unsigned char *cur = hit ? m->it[at].v : m->init;
            uint32_t cn = hit ? m->it[at].vn : m->init_n;
            ok = cn == vn && memcmp(cur, v, vn) == 0;
            continue;
        }
        if (!hit) {
            memmove(&m->it[at + 1], &m->it[at], (m->n - at) * sizeof *m->it);
            m->n++;
        }
        m->it[at] = (mr_item){ k, v, kn, vn };
    }
    free(koff);
    return ok;
}

static bool mr_step(fl_lin_state st, const fl_lin_op *op, fl_lin_buf *out)
{
    const fl_lin_val *txn = &op->arg;
    size_t room = st.len / 8 + txn->n + 1;
    mr_map m = { .it = malloc(room * sizeof *m.it) };
    fl_lin_buf enc = { 0 };
    bool ok = m.it && mr_parse(st, &m, room) && mr_apply(&m, txn, &enc);
    if (ok) {
        put_bytes(out, m.init, m.init_n);
        for (size_t i = 0; i < m.n; i++) {
            put_bytes(out, m.it[i].k, m.it[i].kn);
            put_bytes(out, m.it[i].v, m.it[i].vn);
        }
    }
    free(m.it);
    fl_lin_buf_free(&enc);
    return ok;
}

static const char *mr_accepts(const fl_lin_op *op)
{
    if (op->kind != FL_LIN_TXN)
        return "the multi-register model has only txn ([[:read k v] "
               "[:write k v] ...])";
    for (size_t i = 0; i < op->arg.n; i++) {
        const fl_lin_val *v = &op->arg.u.mops[i].val;
        if (v->type == FL_LV_PAIR || v->type == FL_LV_LIST)
            return "a register holds one value";
    }
    return NULL;
}

static bool mr_read_only(const fl_lin_op *op)
{
    for (size_t i = 0; i < op->arg.n; i++)
        if (op->arg.u.mops[i].write)
            return false;
    return true;
}

static int mr_init(const fl_lin_val *init, const fl_lin_history *h,
                   fl_lin_buf *out, fl_error *err)
{
    (void)h;
    fl_lin_val v = init ? *init : fl_lin_nil();
    if (v.type == FL_LV_PAIR || v.type == FL_LV_LIST || v.type == FL_LV_TXN)
        return fl_error_set(err, "--init: every register starts with one "
                            "value");
    fl_lin_buf enc = { 0 };
    fl_lin_val_encode(&v, &enc);
    put_bytes(out, enc.data, (uint32_t)enc.len);
    bool oom = enc.oom;
    fl_lin_buf_free(&enc);
    return oom ? fl_error_set(err, "out of memory") : 0;
}

static void mr_describe(fl_lin_state st, char *buf, size_t len)
{
    size_t room = st.len / 8 + 1, at = 0;
    mr_map m = { .it = malloc(room * sizeof *m.it) };
    if (!m.it || !mr_parse(st, &m, room)) {
        snprintf(buf, len, "<bad state>");
        free(m.it);
        return;
    }
    at += (size_t)snprintf(buf, len, "{");
    for (size_t i = 0; i < m.n && at < len; i++) {
        fl_lin_val k, v;
        char ks[64], vs[64];
        if (!fl_lin_val_decode(m.it[i].k, m.it[i].kn, &k) ||
            !fl_lin_val_decode(m.it[i].v, m.it[i].vn, &v))
            continue;
        at += (size_t)snprintf(buf + at, len - at, "%s%s %s", i ? ", " : "",
                               fl_lin_val_format(&k, ks, sizeof ks),
                               fl_lin_val_format(&v, vs, sizeof vs));
    }
    if (at < len)
        snprintf(buf + at, len - at, "}");
    free(m.it);
}

const fl_model fl_model_multi_register = {
    .name = "multi-register",
    .summary = "Knossos' multi-register: txn of [:read k v] [:write k v]; "
               "every key starts at --init (nil)",
    .init = mr_init,
    .accepts = mr_accepts,
    .step = mr_step,
    .read_only = mr_read_only,
    .describe = mr_describe,
};
