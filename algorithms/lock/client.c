/* client.c — a lock client: acquire (with a lease), then while it believes
 * it holds the lock: check the lease, compute, write to storage with the
 * fencing token; renew before the lease runs out; release after a few
 * writes. One request to the servers is open at a time, resent to the
 * next server on a timer (Raft's sessions make resends idempotent).
 *
 * The gap between the lease check and the write is the classic window
 * (Kleppmann 2016): a client paused there (a GC stall; the engine's pause
 * fault) writes after its lease expired and another client was granted the
 * lock. Only the storage's fencing check can stop that write. A client
 * whose lease looks expired asks the servers to renew it rather than
 * giving up at once: the servers decide. */
#include "algorithms/lock/lock.h"

#include <string.h>

enum { T_THINK = 1, T_RETRY = 2, T_WORK = 3, T_COMPUTE = 4, T_RENEW = 5 };

static uint64_t cookie(uint64_t gen, int kind)
{
    return (gen << 3) | (uint64_t)kind;
}

/* Idle: after a release (or a loss) for think_ms, after a busy answer
 * only 10-50 ms, so that a lock just released goes to a waiting client
 * rather than back to its last holder. */
static void think(fl_ctx *ctx, lock_client *c, bool busy)
{
    c->phase = LOCK_IDLE;
    c->token = 0;
    c->computing = false;
    c->gen++;                     /* timers of the old grant are stale */
    fl_time d = busy ? FL_MS(fl_random_between(ctx, 10, 50))
                     : FL_MS(fl_random_between(ctx, c->p.think_lo_ms,
                                               c->p.think_hi_ms));
    fl_set_timer(ctx, d, FL_TIMER_OTHER, cookie(c->gen, T_THINK));
}

static void send_open(fl_ctx *ctx, lock_client *c)
{
    lock_msg m = {.type = LOCK_MSG_REQ, .seq = c->seq, .op = c->op};
    uint8_t buf[LOCK_MSG_MAX];
    size_t n = lock_msg_encode(&m, buf);
    fl_send(ctx, c->target, buf, n);
    fl_set_timer(ctx, FL_MS(c->p.retry_ms), FL_TIMER_RETRY,
                 cookie(c->seq, T_RETRY));
}

static void request(fl_ctx *ctx, lock_client *c, fl_op_kind kind,
                    int64_t arg)
{
    if (c->nservers == 0)
        return;
    uint64_t now = (uint64_t)fl_now(ctx);
    /* Increasing across restarts too: Raft ignores a seq below a
     * client's session (thesis §6.3). */
    c->seq = now > c->seq ? now : c->seq + 1;
    memset(&c->op, 0, sizeof c->op);
    c->op.kind = kind;
    c->op.key = 0;
    c->op.arg = arg;
    c->open = true;
    c->sent_at = fl_now(ctx);
    if (c->target == FL_NO_NODE)
        c->target = c->servers[fl_random_between(ctx, 0,
                                                 (int64_t)c->nservers - 1)];
    send_open(ctx, c);
}

static void on_retry(fl_ctx *ctx, lock_client *c)
{
    size_t at = 0;
    for (size_t i = 0; i < c->nservers; i++)
        if (c->servers[i] == c->target)
            at = i;
    c->target = c->servers[(at + 1) % c->nservers];
    send_open(ctx, c);
}

/* A lease runs on the holder's own clock from when it sent the request
 * (the servers start it later, when the leader proposes the grant); the
 * lease-from-reply bug starts it when the answer arrives. */
static fl_time lease_start(fl_ctx *ctx, const lock_client *c)
{
    return (c->p.bugs & LOCK_BUG_LEASE_FROM_REPLY) ? fl_now(ctx) : c->sent_at;
}

static void hold(fl_ctx *ctx, lock_client *c, int64_t token)
{
    c->phase = LOCK_HOLDING;
    c->token = token;
    c->writes = 0;
    c->grants++;
    c->gen++;
    c->lease_end = lease_start(ctx, c) + FL_MS(c->p.lease_ms);
    fl_set_timer(ctx, FL_MS(c->p.work_ms), FL_TIMER_OTHER,
                 cookie(c->gen, T_WORK));
    fl_set_timer(ctx, FL_MS(c->p.renew_ms), FL_TIMER_LEASE,
                 cookie(c->gen, T_RENEW));
}

static void on_answer(fl_ctx *ctx, lock_client *c, const lock_msg *m)
{
    if (!c->open || m->seq != c->seq)
        return;                   /* stale or duplicate */
    if (m->status == FL_STATUS_REDIRECT) {
        if (m->hint >= 0 && m->hint != c->target) {
            c->target = m->hint;
            send_open(ctx, c);
        }
        return;                   /* else wait for the retry timer */
    }
    c->open = false;
    bool ok = m->status == FL_STATUS_OK;
    if (c->op.kind == FL_OP_RELEASE) {
        think(ctx, c, false);
    } else if (c->op.arg == 0) {              /* acquire */
        if (ok && m->value > 0)
            hold(ctx, c, m->value);
        else
            think(ctx, c, true);
    } else if (c->phase == LOCK_HOLDING) {    /* renew */
        if (ok && m->value == c->token) {
            c->lease_end = lease_start(ctx, c) + FL_MS(c->p.lease_ms);
            fl_set_timer(ctx, FL_MS(c->p.renew_ms), FL_TIMER_LEASE,
                         cookie(c->gen, T_RENEW));
        } else if (ok) {
            c->lost++;                        /* the lease is gone */
            think(ctx, c, false);
        }
    }
}

static void release(fl_ctx *ctx, lock_client *c)
{
    c->phase = LOCK_RELEASING;
    c->gen++;
    request(ctx, c, FL_OP_RELEASE, c->token);
}

static void on_work(fl_ctx *ctx, lock_client *c)
{
    if (c->phase != LOCK_HOLDING || c->computing)
        return;
    if (c->writes >= c->p.writes && !c->open) {
        release(ctx, c);
        return;
    }
    if (fl_now(ctx) < c->lease_end && c->writes < c->p.writes) {
        /* The lease looks valid: compute, then write (no second check:
         * however late it is checked, a pause can follow the check). */
        c->computing = true;
        fl_set_timer(ctx, FL_MS(c->p.compute_ms), FL_TIMER_OTHER,
                     cookie(c->gen, T_COMPUTE));
        return;
    }
    if (fl_now(ctx) >= c->lease_end && !c->open)
        request(ctx, c, FL_OP_ACQUIRE, c->token);   /* ask to renew */
    fl_set_timer(ctx, FL_MS(c->p.work_ms), FL_TIMER_OTHER,
                 cookie(c->gen, T_WORK));
}

static void on_compute(fl_ctx *ctx, lock_client *c)
{
    c->computing = false;
    if (c->phase != LOCK_HOLDING || c->storage == FL_NO_NODE)
        return;
    lock_msg m = {.type = LOCK_MSG_WRITE, .token = c->token,
                  .value = ++c->written * 1000 + fl_self(ctx)};
    uint8_t buf[LOCK_MSG_MAX];
    size_t n = lock_msg_encode(&m, buf);
    fl_send(ctx, c->storage, buf, n);
    c->writes++;
    fl_set_timer(ctx, FL_MS(c->p.work_ms), FL_TIMER_OTHER,
                 cookie(c->gen, T_WORK));
}

void lock_client_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                          uint64_t ck)
{
    (void)kind;
    lock_client *c = state;
    int what = (int)(ck & 7);
    uint64_t tag = ck >> 3;
    if (what == T_RETRY) {
        if (c->open && tag == (c->seq & (UINT64_MAX >> 3)))
            on_retry(ctx, c);
        return;
    }
    if (tag != (c->gen & (UINT64_MAX >> 3)))
        return;                   /* from an older grant */
    switch (what) {
    case T_THINK:
        if (c->phase == LOCK_IDLE && !c->open) {
            c->phase = LOCK_ACQUIRING;
            request(ctx, c, FL_OP_ACQUIRE, 0);
        }
        break;
    case T_WORK:
        on_work(ctx, c);
        break;
    case T_COMPUTE:
        on_compute(ctx, c);
        break;
    case T_RENEW:
        if (c->phase == LOCK_HOLDING && !c->open)
            request(ctx, c, FL_OP_ACQUIRE, c->token);
        break;
    default:
        break;
    }
}

void lock_client_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                            const void *msg, size_t len)
{
    lock_client *c = state;
    lock_msg m;
    if (lock_msg_decode(msg, len, &m) != 0)
        return;
    if (m.type == LOCK_MSG_REP) {
        on_answer(ctx, c, &m);
    } else if (m.type == LOCK_MSG_WRITE_REP && from == c->storage &&
               !m.ok && c->phase == LOCK_HOLDING && m.token == c->token) {
        c->lost++;                /* fenced off: someone newer holds it */
        think(ctx, c, false);
    }
}

int lock_client_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    lock_client *c = state;
    memset(c, 0, sizeof *c);
    char err[256];
    if (lock_params_parse(params, &c->p, err, sizeof err) != 0) {
        fl_log(ctx, "lock: bad params: %s", err);
        return -1;
    }
    c->p.raft = NULL;             /* points into params: not kept */
    c->nservers = fl_nodes(ctx, FL_LOCK_ROLE_SERVER, &c->servers);
    const fl_node_id *st = NULL;
    c->storage = fl_nodes(ctx, FL_LOCK_ROLE_STORAGE, &st) > 0 ? st[0] : FL_NO_NODE;
    c->target = FL_NO_NODE;
    return 0;
}

void lock_client_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)recovering;             /* a restarted client starts afresh */
    think(ctx, state, false);
}

void lock_client_inspect(const void *state, fl_view *v)
{
    static const char *const labels[] = {"idle", "acquiring", "holding",
                                         "releasing"};
    const lock_client *c = state;
    v->kind = FL_VIEW_CLIENT;
    v->label = labels[c->phase];
    v->leader = c->target;
    v->nscalars = 0;
    const fl_view_scalar s[] = {
        {"token", c->token},
        {"lease_end_ms", c->phase == LOCK_HOLDING ? c->lease_end / FL_MS(1) : -1},
        {"grants", c->grants},
        {"writes", c->writes},
        {"lost", c->lost},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        v->scalars[v->nscalars++] = s[i];
}
