/* model_register.c — a read / write / compare-and-set register holding one
 * value (nil, an integer or a string), initially nil or --init. Keyed ops
 * are independent registers: the model partitions by key. Its step is
 * shared with the kv model, which adds append. */
#include "sim/check/model.h"

#include <stdio.h>
#include <string.h>

static bool same_value(const fl_lin_val *a, const fl_lin_val *b)
{
    fl_lin_val x = *a, y = *b;
    if (x.type == FL_LV_BOOL)
        x.type = FL_LV_INT;
    if (y.type == FL_LV_BOOL)
        y.type = FL_LV_INT;
    if (x.type == FL_LV_NONE)
        x.type = FL_LV_NIL;
    if (y.type == FL_LV_NONE)
        y.type = FL_LV_NIL;
    return fl_lin_val_equal(&x, &y);
}

static bool cas_step(const fl_lin_val *cur, fl_lin_state st,
                     const fl_lin_op *op, fl_lin_buf *out)
{
    const fl_lin_val *pair = op->arg.u.pair;
    bool match = same_value(cur, &pair[0]);
    if (op->out.type != FL_LV_NONE) {
        bool swapped = op->out.type == FL_LV_BOOL ? op->out.u.i != 0 : true;
        if (swapped != match)
            return false;
    }
    if (match)
        fl_lin_val_encode(&pair[1], out);
    else
        fl_model_keep(st, out);
    return true;
}

bool fl_model_register_step(fl_lin_state st, const fl_lin_op *op,
                            fl_lin_buf *out)
{
    fl_lin_val cur;
    if (!fl_lin_val_decode(st.data, st.len, &cur))
        return false;
    switch (op->kind) {
    case FL_LIN_READ:
        if (op->out.type != FL_LV_NONE && !same_value(&cur, &op->out))
            return false;
        fl_model_keep(st, out);
        return true;
    case FL_LIN_WRITE:
        fl_lin_val_encode(&op->arg, out);
        return true;
    case FL_LIN_CAS:
        return cas_step(&cur, st, op, out);
    default:
        return false;
    }
}

const char *fl_model_register_accepts(const fl_lin_op *op)
{
    switch (op->kind) {
    case FL_LIN_READ:
        return op->out.type == FL_LV_LIST || op->out.type == FL_LV_PAIR
                   ? "a register read returns one value, not a collection"
                   : NULL;
    case FL_LIN_WRITE:
        return op->arg.type == FL_LV_LIST || op->arg.type == FL_LV_PAIR
                   ? "a register write takes one value"
                   : NULL;
    case FL_LIN_CAS:
        return op->arg.type == FL_LV_PAIR ? NULL
                                          : "cas takes [expected new]";
    default:
        return "the register model has only read, write and cas";
    }
}

bool fl_model_register_read_only(const fl_lin_op *op)
{
    return op->kind == FL_LIN_READ ||
           (op->kind == FL_LIN_CAS && op->out.type == FL_LV_BOOL &&
            op->out.u.i == 0);
}

bool fl_model_register_blind(const fl_lin_op *op)
{
    return op->kind == FL_LIN_WRITE;
}

void fl_model_register_describe(fl_lin_state st, char *buf, size_t len)
{
    fl_lin_val cur;
    if (!fl_lin_val_decode(st.data, st.len, &cur))
        snprintf(buf, len, "<bad state>");
    else
        fl_lin_val_format(&cur, buf, len);
}

/* Whether a value `base` can become `v` through appends (none unless
 * `appends`): equal, or a string prefix of it (nil counts as ""). */
static bool reaches(const fl_lin_val *base, const fl_lin_val *v, bool appends)
{
    if (same_value(base, v))
        return true;
    if (!appends || v->type != FL_LV_STR)
        return false;
    if (base->type == FL_LV_NIL || base->type == FL_LV_NONE)
        return true;
    return base->type == FL_LV_STR && base->n <= v->n &&
           (base->n == 0 || memcmp(base->u.s, v->u.s, base->n) == 0);
}

/* A read of v can still fit if the value now, or one that a write or CAS
 * among `avail` sets, is v — or, with appends among them (kv), a prefix
 * of v: the value a read sees is the last value set, plus appends. */
bool fl_model_register_may_fit(fl_lin_state st, const fl_lin_op *r,
                               const fl_lin_op *const *avail, size_t n)
{
    fl_lin_val cur;
    if (r->kind != FL_LIN_READ || r->out.type == FL_LV_NONE ||
        !fl_lin_val_decode(st.data, st.len, &cur))
        return true;
    bool appends = false;
    for (size_t i = 0; i < n; i++)
        appends |= avail[i]->kind == FL_LIN_APPEND;
    if (reaches(&cur, &r->out, appends))
        return true;
    for (size_t i = 0; i < n; i++) {
        const fl_lin_op *x = avail[i];
        if (x->kind == FL_LIN_WRITE && reaches(&x->arg, &r->out, appends))
            return true;
        if (x->kind == FL_LIN_CAS && x->arg.type == FL_LV_PAIR &&
            !(x->out.type == FL_LV_BOOL && x->out.u.i == 0) &&
            reaches(&x->arg.u.pair[1], &r->out, appends))
            return true;
    }
    return false;
}

static int register_init(const fl_lin_val *init, const fl_lin_history *h,
                         fl_lin_buf *out, fl_error *err)
{
    fl_lin_val v = init ? *init : h && h->init_hint.type != FL_LV_NONE
                                      ? h->init_hint : fl_lin_nil();
    if (v.type == FL_LV_PAIR || v.type == FL_LV_LIST || v.type == FL_LV_TXN)
        return fl_error_set(err, "--init: a register holds one value");
    fl_lin_val_encode(&v, out);
    return 0;
}

/* Knossos' names: `register` (read/write) and `cas-register` (read,
 * write, cas) are both this model; what a read of nil means is the
 * reader's business (hist_read.h: in EDN, as in Knossos, an unknown
 * value). */
const fl_model fl_model_cas_register = {
    .name = "cas-register",
    .summary = "Knossos' cas-register: the same as register",
    .init = register_init,
    .accepts = fl_model_register_accepts,
    .step = fl_model_register_step,
    .read_only = fl_model_register_read_only,
    .blind = fl_model_register_blind,
    .may_fit = fl_model_register_may_fit,
    .describe = fl_model_register_describe,
    .partition = fl_model_partition_by_key,
};

const fl_model fl_model_register = {
    .name = "register",
    .summary = "read/write/cas on one value per key, initially nil (--init V)",
    .init = register_init,
    .accepts = fl_model_register_accepts,
    .step = fl_model_register_step,
    .read_only = fl_model_register_read_only,
    .blind = fl_model_register_blind,
    .may_fit = fl_model_register_may_fit,
    .describe = fl_model_register_describe,
    .partition = fl_model_partition_by_key,
};
