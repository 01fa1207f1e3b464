/* storage.c — the protected resource. A write carries the writer's
 * fencing token. With fencing on, a write whose token is lower than the
 * highest token already accepted is rejected (Kleppmann 2016): a client
 * that lost its lock while paused cannot overwrite the newer holder's
 * data. The highest token is synced to disk before a write is
 * acknowledged, so a restart does not reopen the door. With fencing off
 * (the naive lease lock) every write is applied. */
#include "algorithms/lock/lock.h"

#include <string.h>

int lock_storage_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    lock_storage *s = state;
    memset(s, 0, sizeof *s);
    lock_params p;
    char err[256];
    if (lock_params_parse(params, &p, err, sizeof err) != 0) {
        fl_log(ctx, "lock: bad params: %s", err);
        return -1;
    }
    s->fencing = p.fencing;
    s->forget = (p.bugs & LOCK_BUG_STORAGE_FORGET) != 0;
    s->last_writer = FL_NO_NODE;
    return 0;
}

void lock_storage_start(fl_ctx *ctx, void *state, bool recovering)
{
    lock_storage *s = state;
    uint8_t b[8];
    /* The storage-forget-max bug never reads it back. */
    if (!recovering || s->forget ||
        fl_disk_read(ctx, "max_token", 0, b, 8) != 8)
        return;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    s->max_token = (int64_t)v;
}

static void lock_storage_persist(fl_ctx *ctx, const lock_storage *s)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)s->max_token >> (8 * i));
    if (fl_disk_write(ctx, "max_token", 0, b, 8) != 0)
        fl_log(ctx, "lock: storage could not write max_token");
    fl_disk_sync(ctx);
}

void lock_storage_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                             const void *msg, size_t len)
{
    lock_storage *s = state;
    lock_msg m;
    if (lock_msg_decode(msg, len, &m) != 0 || m.type != LOCK_MSG_WRITE)
        return;
    bool ok = !s->fencing || m.token >= s->max_token;
    if (ok) {
        s->value = m.value;
        s->last_token = m.token;
        s->last_writer = from;
        s->applied++;
        if (m.token > s->max_token) {
            s->max_token = m.token;
            lock_storage_persist(ctx, s);
        }
    } else {
        s->rejected++;
        fl_log(ctx, "storage: rejected a write from %d with stale token "
               "%lld (seen %lld)", (int)from, (long long)m.token,
               (long long)s->max_token);
    }
    lock_msg r = {.type = LOCK_MSG_WRITE_REP, .token = m.token, .ok = ok};
    uint8_t buf[LOCK_MSG_MAX];
    size_t n = lock_msg_encode(&r, buf);
    fl_send(ctx, from, buf, n);
}

void lock_storage_inspect(const void *state, fl_view *v)
{
    const lock_storage *s = state;
    v->kind = FL_VIEW_OTHER;
    v->label = s->fencing ? "storage (fencing)" : "storage (no fencing)";
    v->nscalars = 0;
    const fl_view_scalar sc[] = {
        {FL_LOCK_SCALAR_MAX_TOKEN, s->max_token},
        {FL_LOCK_SCALAR_LAST_TOKEN, s->last_token},
        {FL_LOCK_SCALAR_LAST_WRITER, s->last_writer},
        {FL_LOCK_SCALAR_APPLIED, s->applied},
        {FL_LOCK_SCALAR_REJECTED, s->rejected},
        {FL_LOCK_SCALAR_VALUE, s->value},
    };
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
        v->scalars[v->nscalars++] = sc[i];
}
