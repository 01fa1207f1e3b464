/* model_mutex.c — Knossos' `mutex`: acquire succeeds only while the mutex
 * is free, release only while it is held; no tokens, no owner (any
 * process may release). Keyed ops are independent mutexes (Jepsen's
 * independent keys). State: one byte, 0 free, 1 held. */
#include "sim/check/model.h"

#include <stdio.h>

static bool mutex_step(fl_lin_state st, const fl_lin_op *op, fl_lin_buf *out)
{
    unsigned char held = st.len ? st.data[0] : 0, next;
    if (op->kind == FL_LIN_ACQUIRE) {
        if (held)
            return false;                   /* already held */
        next = 1;
    } else {
        if (!held)
            return false;                   /* not held */
        next = 0;
    }
    fl_lin_buf_put(out, &next, 1);
    return true;
}

static const char *mutex_accepts(const fl_lin_op *op)
{
    return op->kind == FL_LIN_ACQUIRE || op->kind == FL_LIN_RELEASE
               ? NULL
               : "the mutex model has only acquire and release";
}

static int mutex_init(const fl_lin_val *init, const fl_lin_history *h,
                      fl_lin_buf *out, fl_error *err)
{
    (void)h;
    unsigned char held = 0;
    if (init && init->type != FL_LV_NIL) {
        if (init->type != FL_LV_INT || (init->u.i != 0 && init->u.i != 1))
            return fl_error_set(err, "--init: a mutex starts free (0 or "
                                "nil) or held (1)");
        held = (unsigned char)init->u.i;
    }
    fl_lin_buf_put(out, &held, 1);
    return 0;
}

static void mutex_describe(fl_lin_state st, char *buf, size_t len)
{
    snprintf(buf, len, "%s", st.len && st.data[0] ? "held" : "free");
}

const fl_model fl_model_mutex = {
    .name = "mutex",
    .summary = "Knossos' mutex: acquire/release without tokens, initially "
               "free",
    .init = mutex_init,
    .accepts = mutex_accepts,
    .step = mutex_step,
    .describe = mutex_describe,
    .partition = fl_model_partition_by_key,
};
