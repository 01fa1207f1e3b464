/* model_lock.c — a mutual-exclusion lock with fencing tokens. acquire
 * returns a token (or nil if the service has none) and may succeed only
 * while the lock is free; tokens must strictly increase. release names the
 * token it releases and may succeed only while that token holds the lock.
 * Leases are not modelled: a lock is free again only after a release, so a
 * service that lets a lease expire must record the expiry as a release.
 * An indeterminate acquire that took effect holds the lock with an unknown
 * token, which any release may free.
 *
 * State: three int64 — held (0/1), the holder's token (FL_NIL if unknown or
 * none), the last token granted (FL_NIL before the first, or --init). */
#include "sim/check/model.h"

#include <inttypes.h>
#include <stdio.h>

enum { AT_HELD = 0, AT_TOKEN = 8, AT_LAST = 16 };

static void put_state(fl_lin_buf *out, int64_t held, int64_t token,
                      int64_t last)
{
    fl_lin_buf_put_i64(out, held);
    fl_lin_buf_put_i64(out, token);
    fl_lin_buf_put_i64(out, last);
}

static bool acquire_step(fl_lin_state st, const fl_lin_op *op,
                         fl_lin_buf *out)
{
    int64_t last = fl_model_i64(st, AT_LAST);
    if (fl_model_i64(st, AT_HELD))
        return false;                       /* granted twice */
    if (op->out.type == FL_LV_INT) {
        int64_t t = op->out.u.i;
        if (last != FL_NIL && t <= last)
            return false;                   /* fencing token not increasing */
        put_state(out, 1, t, t);
        return true;
    }
    put_state(out, 1, FL_NIL, last);
    return true;
}

static bool release_step(fl_lin_state st, const fl_lin_op *op,
                         fl_lin_buf *out)
{
    int64_t token = fl_model_i64(st, AT_TOKEN);
    if (!fl_model_i64(st, AT_HELD))
        return false;                       /* released a free lock */
    if (op->arg.type == FL_LV_INT && token != FL_NIL && op->arg.u.i != token)
        return false;                       /* not the holder's token */
    put_state(out, 0, FL_NIL, fl_model_i64(st, AT_LAST));
    return true;
}

static bool lock_step(fl_lin_state st, const fl_lin_op *op, fl_lin_buf *out)
{
    if (st.len != 24)
        return false;
    if (op->kind == FL_LIN_ACQUIRE)
        return acquire_step(st, op, out);
    if (op->kind == FL_LIN_RELEASE)
        return release_step(st, op, out);
    return false;
}

static const char *lock_accepts(const fl_lin_op *op)
{
    if (op->kind == FL_LIN_ACQUIRE) {
        fl_lin_vtype t = op->out.type;
        return t == FL_LV_INT || t == FL_LV_NIL || t == FL_LV_NONE
                   ? NULL
                   : "acquire returns an integer token or nil";
    }
    if (op->kind == FL_LIN_RELEASE) {
        fl_lin_vtype t = op->arg.type;
        return t == FL_LV_INT || t == FL_LV_NIL || t == FL_LV_NONE
                   ? NULL
                   : "release takes an integer token or nil";
    }
    return "the lock model has only acquire and release";
}

static int lock_init(const fl_lin_val *init, const fl_lin_history *h,
                     fl_lin_buf *out, fl_error *err)
{
    (void)h;
    int64_t last = FL_NIL;
    if (init && init->type == FL_LV_INT)
        last = init->u.i;
    else if (init && init->type != FL_LV_NIL)
        return fl_error_set(err, "--init: the lock model takes the last "
                                 "token granted (an integer)");
    put_state(out, 0, FL_NIL, last);
    return 0;
}

static void lock_describe(fl_lin_state st, char *buf, size_t len)
{
    int64_t token = fl_model_i64(st, AT_TOKEN);
    int64_t last = fl_model_i64(st, AT_LAST);
    if (!fl_model_i64(st, AT_HELD)) {
        if (last == FL_NIL)
            snprintf(buf, len, "free");
        else
            snprintf(buf, len, "free (last token %" PRId64 ")", last);
    } else if (token == FL_NIL) {
        snprintf(buf, len, "held (token unknown)");
    } else {
        snprintf(buf, len, "held by token %" PRId64, token);
    }
}

const fl_model fl_model_lock = {
    .name = "lock",
    .summary = "acquire/release of one lock; fencing tokens strictly "
               "increase",
    .init = lock_init,
    .accepts = lock_accepts,
    .step = lock_step,
    .describe = lock_describe,
    .partition = fl_model_partition_by_key,
};
