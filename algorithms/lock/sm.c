/* sm.c — the lock state machine Raft replicates (algorithms/raft/sm.h).
 *
 * Per lock key k, three entries of Raft's key-value map: holder (a client
 * node id, or FL_NIL when free), token (the holder's fencing token, kept
 * after a release) and expiry (the leader's clock, ns, when the lease
 * ends). One more entry, LOCK_KEY_LAST, is the last token granted by any
 * lock: tokens come from one sequence, so they strictly increase across
 * grants (Chubby's sequencer, ZooKeeper's zxid).
 *
 * Operations (fl_op, as the client sent them; the leader stamps arg2):
 *   ACQUIRE arg=0      grant if free or the lease expired -> new token,
 *                      else 0 (busy; the client tries again later)
 *   ACQUIRE arg=T > 0  renew: if T is the live holder's token, extend its
 *                      lease -> T, else 0 (the lease was lost)
 *   RELEASE arg=T      free the lock if T holds it -> 1, else 0
 *   READ               the current token (for ReadIndex reads)
 * arg2 is the leader's clock when it proposed the command, so expiry is
 * judged identically on every replica, whatever its own clock says.
 *
 * Bug "renew-expired": renewal trusts the token: it skips the holder and
 * expiry checks, so a client whose lease expired — even one whose lock was
 * granted to someone else since — gets its old lease (and older token)
 * back. */
#include "algorithms/lock/lock.h"

#include <stdlib.h>

#define LOCK_KEY_LAST 0xFFFFFFFFu
#define LOCK_MAX_KEY  0x3FFFFFFEu

typedef struct lock_sm {
    fl_kvsm            kv;
    const lock_sm_cfg *cfg;
} lock_sm;

static int64_t lock_get(const fl_kvsm *kv, uint32_t key, uint32_t field,
                        int64_t dflt)
{
    int64_t v = fl_kvsm_get(kv, key * 3 + field);
    return v == FL_NIL ? dflt : v;
}

enum { F_HOLDER = 0, F_TOKEN = 1, F_EXPIRY = 2 };

static int lock_set(fl_kvsm *kv, uint32_t key, int64_t holder, int64_t token,
                    int64_t expiry)
{
    if (fl_kvsm_put(kv, key * 3 + F_HOLDER, holder) != 0 ||
        fl_kvsm_put(kv, key * 3 + F_TOKEN, token) != 0 ||
        fl_kvsm_put(kv, key * 3 + F_EXPIRY, expiry) != 0)
        return -1;
    return 0;
}

static int lock_acquire(fl_kvsm *kv, fl_node_id client, const fl_op *op,
                        const lock_sm_cfg *cfg, int64_t *result)
{
    uint32_t k = op->key;
    int64_t now = op->arg2;
    int64_t holder = lock_get(kv, k, F_HOLDER, FL_NIL);
    int64_t token = lock_get(kv, k, F_TOKEN, 0);
    int64_t expiry = lock_get(kv, k, F_EXPIRY, 0);
    int64_t last = fl_kvsm_get(kv, LOCK_KEY_LAST);
    if (last == FL_NIL)
        last = 0;
    int64_t renew = op->arg;
    *result = 0;
    if (renew > 0) {
        bool live = holder == client && token == renew && now < expiry;
        if (cfg->bugs & LOCK_BUG_RENEW_EXPIRED)
            live = renew <= last;   /* BUG: trusts any token it issued */
        if (!live)
            return 0;
        *result = renew;
        return lock_set(kv, k, client, renew, now + cfg->lease_ns);
    }
    if (holder != FL_NIL && now < expiry)
        return 0;                   /* held by a live lease: busy */
    if ((cfg->bugs & LOCK_BUG_SAME_TOKEN) && holder != FL_NIL && token > 0) {
        *result = token;            /* BUG: the expired holder's token */
        return lock_set(kv, k, client, token, now + cfg->lease_ns);
    }
    *result = last + 1;
    if (fl_kvsm_put(kv, LOCK_KEY_LAST, last + 1) != 0)
        return -1;
    return lock_set(kv, k, client, last + 1, now + cfg->lease_ns);
}

static int lock_release(fl_kvsm *kv, fl_node_id client, const fl_op *op,
                        int64_t *result)
{
    uint32_t k = op->key;
    int64_t holder = lock_get(kv, k, F_HOLDER, FL_NIL);
    int64_t token = lock_get(kv, k, F_TOKEN, 0);
    *result = 0;
    if (holder != client || token != op->arg)
        return 0;
    *result = 1;
    return lock_set(kv, k, FL_NIL, token, 0);
}

static int lock_run(fl_kvsm *kv, fl_node_id client, const fl_op *op,
                    const void *cfgp, int64_t *result, fl_status *status)
{
    const lock_sm_cfg *cfg = cfgp;
    *status = FL_STATUS_OK;
    *result = 0;
    if (op->key > LOCK_MAX_KEY) {
        *status = FL_STATUS_FAIL;
        return 0;
    }
    switch (op->kind) {
    case FL_OP_ACQUIRE:
        return lock_acquire(kv, client, op, cfg, result);
    case FL_OP_RELEASE:
        return lock_release(kv, client, op, result);
    case FL_OP_READ:
        *result = lock_get(kv, op->key, F_TOKEN, 0);
        return 0;
    default:
        *status = FL_STATUS_FAIL;   /* not a lock operation */
        return 0;
    }
}

/* ---- The table ------------------------------------------------------------ */

static void *lock_sm_create(const void *cfg)
{
    lock_sm *s = malloc(sizeof *s);
    if (!s)
        return NULL;
    fl_kvsm_init(&s->kv);
    s->cfg = cfg;
    return s;
}

static void lock_sm_destroy(void *sm)
{
    lock_sm *s = sm;
    if (!s)
        return;
    fl_kvsm_free(&s->kv);
    free(s);
}

static fl_kvsm_outcome lock_sm_apply(void *sm, const raft_cmd *cmd,
                                        int64_t *result, fl_status *status)
{
    lock_sm *s = sm;
    /* A grant adds at most four keys: holder, token, expiry, last. */
    return raft_sm_apply_kv(&s->kv, cmd, lock_run, s->cfg, 4, result,
                              status);
}

static int64_t lock_sm_query(const void *sm, const fl_op *op)
{
    const lock_sm *s = sm;
    return op->key > LOCK_MAX_KEY ? 0 : lock_get(&s->kv, op->key, F_TOKEN, 0);
}

static const fl_kvsm_session *lock_sm_session(const void *sm, fl_node_id c)
{
    const lock_sm *s = sm;
    return fl_kvsm_session_of(&s->kv, c);
}

static int lock_sm_encode(const void *sm, wire_buf *out)
{
    const lock_sm *s = sm;
    return raft_sm_encode_kv(&s->kv, out);
}

static int lock_sm_restore(void *sm, const uint8_t *p, size_t len)
{
    lock_sm *s = sm;
    fl_kvsm kv;
    if (fl_kvsm_decode(p, len, &kv) != 0)
        return -1;
    fl_kvsm_swap(&s->kv, &kv);
    fl_kvsm_free(&kv);
    return 0;
}

/* The leader stamps acquires and renewals with its clock (see above). */
static void lock_sm_stamp(const void *sm, fl_ctx *ctx, fl_op *op)
{
    (void)sm;
    op->arg2 = op->kind == FL_OP_ACQUIRE ? fl_now(ctx) : 0;
}

static void lock_scalar(fl_view *v, const char *name, int64_t value)
{
    if (v->nscalars < FL_VIEW_MAX_SCALARS) {
        v->scalars[v->nscalars].name = name;
        v->scalars[v->nscalars].value = value;
        v->nscalars++;
    }
}

/* Lock 0 as the visualizer and lock.* invariants see it. */
static void lock_sm_inspect(const void *sm, fl_view *v)
{
    const lock_sm *s = sm;
    int64_t last = fl_kvsm_get(&s->kv, LOCK_KEY_LAST);
    int64_t holder = lock_get(&s->kv, 0, F_HOLDER, FL_NIL);
    lock_scalar(v, FL_LOCK_SCALAR_HOLDER, holder == FL_NIL ? -1 : holder);
    lock_scalar(v, FL_LOCK_SCALAR_TOKEN, lock_get(&s->kv, 0, F_TOKEN, 0));
    lock_scalar(v, FL_LOCK_SCALAR_EXPIRY_MS, lock_get(&s->kv, 0, F_EXPIRY, 0) / FL_MS(1));
    lock_scalar(v, FL_LOCK_SCALAR_LAST_TOKEN, last == FL_NIL ? 0 : last);
}

const raft_sm_ops lock_sm_ops = {
    .name = "lock",
    .create = lock_sm_create,
    .destroy = lock_sm_destroy,
    .apply = lock_sm_apply,
    .query = lock_sm_query,
    .session = lock_sm_session,
    .encode = lock_sm_encode,
    .restore = lock_sm_restore,
    .stamp = lock_sm_stamp,
    .inspect = lock_sm_inspect,
};
