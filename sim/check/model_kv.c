/* model_kv.c — a key-value store: get (read), put (write), append and cas
 * per key, partitioned by key. Values are integers or strings; the initial
 * value of every key is "" when the history's values are strings (Jepsen's
 * and Porcupine's kv tests), else nil, or --init. */
#include "sim/check/model.h"

#include <string.h>

static bool append_step(fl_lin_state st, const fl_lin_op *op,
                        fl_lin_buf *out)
{
    fl_lin_val cur;
    if (!fl_lin_val_decode(st.data, st.len, &cur))
        return false;
    if (cur.type == FL_LV_INT)
        return false;                       /* cannot append to a number */
    unsigned char tag = 's';                /* the encoding of a string */
    fl_lin_buf_put(out, &tag, 1);
    if (cur.type == FL_LV_STR)
        fl_lin_buf_put(out, cur.u.s, cur.n);
    fl_lin_buf_put(out, op->arg.u.s, op->arg.n);
    return true;
}

static bool kv_step(fl_lin_state st, const fl_lin_op *op, fl_lin_buf *out)
{
    if (op->kind == FL_LIN_APPEND)
        return append_step(st, op, out);
    return fl_model_register_step(st, op, out);
}

static const char *kv_accepts(const fl_lin_op *op)
{
    if (op->kind == FL_LIN_APPEND)
        return op->arg.type == FL_LV_STR ? NULL : "append takes a string";
    if (op->kind == FL_LIN_READ || op->kind == FL_LIN_WRITE ||
        op->kind == FL_LIN_CAS)
        return fl_model_register_accepts(op);
    return "the kv model has only get/read, put/write, append and cas";
}

static int kv_init(const fl_lin_val *init, const fl_lin_history *h,
                   fl_lin_buf *out, fl_error *err)
{
    fl_lin_val v = fl_lin_nil();
    if (init)
        v = *init;
    else if (h && h->init_hint.type != FL_LV_NONE)
        v = h->init_hint;
    else if (h && h->has_strings)
        v = (fl_lin_val){ .type = FL_LV_STR, .n = 0, .u.s = "" };
    if (v.type == FL_LV_PAIR || v.type == FL_LV_LIST)
        return fl_error_set(err, "--init: a key holds one value");
    fl_lin_val_encode(&v, out);
    return 0;
}

const fl_model fl_model_kv = {
    .name = "kv",
    .summary = "get/put/append/cas per key; initially \"\" for string "
               "histories, else nil",
    .init = kv_init,
    .accepts = kv_accepts,
    .step = kv_step,
    .read_only = fl_model_register_read_only,
    .blind = fl_model_register_blind,
    .may_fit = fl_model_register_may_fit,
    .describe = fl_model_register_describe,
    .partition = fl_model_partition_by_key,
};
