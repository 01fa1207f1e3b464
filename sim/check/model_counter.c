/* model_counter.c — a counter: add(delta) and read, initially 0 or --init.
 * Partitioned by key. A read of nil counts as 0. State: one int64. */
#include "sim/check/model.h"

#include <inttypes.h>
#include <stdio.h>

static bool counter_step(fl_lin_state st, const fl_lin_op *op,
                         fl_lin_buf *out)
{
    int64_t cur = fl_model_i64(st, 0);
    if (op->kind == FL_LIN_ADD) {
        int64_t d = op->arg.type == FL_LV_INT ? op->arg.u.i : 1;
        fl_lin_buf_put_i64(out, (int64_t)((uint64_t)cur + (uint64_t)d));
        return true;
    }
    if (op->kind != FL_LIN_READ)
        return false;
    if (op->out.type == FL_LV_INT && op->out.u.i != cur)
        return false;
    if (op->out.type == FL_LV_NIL && cur != 0)
        return false;
    fl_model_keep(st, out);
    return true;
}

static const char *counter_accepts(const fl_lin_op *op)
{
    if (op->kind == FL_LIN_ADD)
        return op->arg.type == FL_LV_INT || op->arg.type == FL_LV_NONE ||
                       op->arg.type == FL_LV_NIL
                   ? NULL
                   : "add takes an integer delta";
    if (op->kind == FL_LIN_READ) {
        fl_lin_vtype t = op->out.type;
        return t == FL_LV_INT || t == FL_LV_NIL || t == FL_LV_NONE
                   ? NULL
                   : "a counter read returns an integer";
    }
    return "the counter model has only add and read";
}

static int counter_init(const fl_lin_val *init, const fl_lin_history *h,
                        fl_lin_buf *out, fl_error *err)
{
    (void)h;
    int64_t v = 0;
    if (init && init->type == FL_LV_INT)
        v = init->u.i;
    else if (init && init->type != FL_LV_NIL)
        return fl_error_set(err, "--init: a counter starts at an integer");
    fl_lin_buf_put_i64(out, v);
    return 0;
}

static void counter_describe(fl_lin_state st, char *buf, size_t len)
{
    snprintf(buf, len, "%" PRId64, fl_model_i64(st, 0));
}

const fl_model fl_model_counter = {
    .name = "counter",
    .summary = "add(delta)/read, initially 0 (--init V)",
    .init = counter_init,
    .accepts = counter_accepts,
    .step = counter_step,
    .read_only = fl_model_reads_only,
    .describe = counter_describe,
    .partition = fl_model_partition_by_key,
};
