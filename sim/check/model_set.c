/* model_set.c — a grow-only set of integers: add(x), and read returning the
 * whole set (a list or set of integers, compared as a sorted set; nil reads
 * as empty). Initially empty. Partitioned by key. State: the elements as
 * sorted int64, so equal sets have equal bytes. */
#include "sim/check/model.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static size_t set_count(fl_lin_state st)
{
    return st.len / sizeof(int64_t);
}

static bool set_add(fl_lin_state st, int64_t x, fl_lin_buf *out)
{
    size_t n = set_count(st), i = 0;
    while (i < n && fl_model_i64(st, i * 8) < x)
        i++;
    if (i < n && fl_model_i64(st, i * 8) == x) {
        fl_model_keep(st, out);
        return true;
    }
    fl_lin_buf_put(out, st.data, i * 8);
    fl_lin_buf_put_i64(out, x);
    fl_lin_buf_put(out, st.data + i * 8, st.len - i * 8);
    return true;
}

static bool set_read_matches(fl_lin_state st, const fl_lin_val *v)
{
    if (v->type == FL_LV_NONE)
        return true;
    if (v->type == FL_LV_NIL)
        return st.len == 0;
    if (v->n != set_count(st))
        return false;
    return v->n == 0 || memcmp(v->u.list, st.data, st.len) == 0;
}

static bool set_step(fl_lin_state st, const fl_lin_op *op, fl_lin_buf *out)
{
    if (op->kind == FL_LIN_ADD)
        return set_add(st, op->arg.u.i, out);
    if (op->kind != FL_LIN_READ || !set_read_matches(st, &op->out))
        return false;
    fl_model_keep(st, out);
    return true;
}

static const char *set_accepts(const fl_lin_op *op)
{
    if (op->kind == FL_LIN_ADD)
        return op->arg.type == FL_LV_INT ? NULL : "add takes an integer";
    if (op->kind == FL_LIN_READ) {
        fl_lin_vtype t = op->out.type;
        return t == FL_LV_LIST || t == FL_LV_NIL || t == FL_LV_NONE
                   ? NULL
                   : "a set read returns a list or set of integers";
    }
    return "the set model has only add and read";
}

static int set_init(const fl_lin_val *init, const fl_lin_history *h,
                    fl_lin_buf *out, fl_error *err)
{
    (void)h;
    (void)out;                              /* empty: no bytes */
    if (init && init->type != FL_LV_NIL)
        return fl_error_set(err, "--init: a set starts empty");
    return 0;
}

static void set_describe(fl_lin_state st, char *buf, size_t len)
{
    size_t at = 0, n = set_count(st);
    if (len == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i <= n && at < len; i++) {
        int w;
        if (i == n)
            w = snprintf(buf + at, len - at, "}");
        else
            w = snprintf(buf + at, len - at, "%s%" PRId64, i ? " " : "#{",
                         fl_model_i64(st, i * 8));
        at += w > 0 ? (size_t)w : 0;
    }
    if (n == 0)
        snprintf(buf, len, "#{}");
    else if (at >= len && len >= 4)
        memcpy(buf + len - 4, "...", 4);
}

const fl_model fl_model_set = {
    .name = "set",
    .summary = "add(x)/read of a set of integers, initially empty",
    .init = set_init,
    .accepts = set_accepts,
    .step = set_step,
    .read_only = fl_model_reads_only,
    .describe = set_describe,
    .partition = fl_model_partition_by_key,
};
