/* lock.c — a lock service with fencing tokens written by "outside course
 * staff" from the installed <faultline/algorithm.h>, <faultline/lock.h>,
 * the template's README, the man page and the shipped lock scenarios
 * (their params) alone (tests/test_outside_plugins.sh).
 *
 * Deliberately simple servers: server 0 is the lock table's only home (it
 * persists holder, token and the last token before answering; the other
 * servers send clients to it). A lease is judged by the server on its own
 * clock; a restarted server waits a whole lease before granting to anyone
 * else. A client measures its lease on its own clock from the moment it
 * sent the acquire (or renew), computes, checks its lease, then writes to
 * the storage with its token; the storage refuses a token below the
 * highest it accepted (unless the scenario sets "fencing": false) and
 * persists that highest token before answering.
 *
 * One-mistake copies (-DBUG_...):
 *   BUG_NO_FENCING        the storage applies writes without looking at
 *                         the token
 *   BUG_LEASE_FROM_REPLY  the client starts its lease when the grant
 *                         arrives (measured from another node's decision)
 *   BUG_STORAGE_FORGET    the storage keeps its highest token in memory only
 *   BUG_SERVER_FORGET     the lock server keeps the lock table in memory
 *                         only: after a restart it grants while held and
 *                         hands out old tokens again */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <faultline/algorithm.h>
#include <faultline/lock.h>

/* What the storage answers a write with: the kind name describe reports
 * (<faultline/lock.h>: scenarios aim crashes at it). */
#define STORAGE_REPLY_KIND FL_LOCK_MSG_STORAGE_REPLY

enum { T_ACQUIRE = 'Q', T_RENEW = 'N', T_RELEASE = 'L', T_GRANT = 'G',
       T_WRITE = 'W', T_WRITE_ACK = 'S' };

typedef struct wire {          /* every message: a tag and four numbers */
    uint8_t tag;
    int64_t a, b, c, d;
} wire;

static size_t enc(uint8_t *buf, const wire *w)
{
    buf[0] = w->tag;
    memcpy(buf + 1, &w->a, 8);
    memcpy(buf + 9, &w->b, 8);
    memcpy(buf + 17, &w->c, 8);
    memcpy(buf + 25, &w->d, 8);
    return 33;
}

static bool dec(const void *msg, size_t len, wire *w)
{
    const uint8_t *b = msg;
    if (len != 33)
        return false;
    w->tag = b[0];
    memcpy(&w->a, b + 1, 8);
    memcpy(&w->b, b + 9, 8);
    memcpy(&w->c, b + 17, 8);
    memcpy(&w->d, b + 25, 8);
    return true;
}

static void send_wire(fl_ctx *ctx, fl_node_id to, uint8_t tag, int64_t a,
                      int64_t b, int64_t c, int64_t d)
{
    uint8_t buf[33];
    wire w = {tag, a, b, c, d};
    fl_send(ctx, to, buf, enc(buf, &w));
}

static int64_t param_int(const cJSON *params, const char *key, int64_t dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

/* ---- The servers ---- */

typedef struct server_state {
    fl_node_id self, primary;
    int64_t lease_ms;
    int64_t holder, token, last_token, grants;
    fl_time expiry;               /* on this server's clock */
} server_state;

typedef struct table_record { int64_t holder, token, last_token, grants; } table_record;

static int server_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    server_state *s = state;
    const fl_node_id *ids;
    s->self = fl_self(ctx);
    fl_nodes(ctx, FL_LOCK_ROLE_SERVER, &ids);
    s->primary = ids[0];
    s->lease_ms = param_int(params, "lease_ms", 1000);
    s->holder = -1;
    return 0;
}

static void server_persist(fl_ctx *ctx, server_state *s)
{
#ifndef BUG_SERVER_FORGET
    table_record r = {s->holder, s->token, s->last_token, s->grants};
    fl_disk_write(ctx, "table", 0, &r, sizeof r);
    fl_disk_sync(ctx);
#else
    (void)ctx;
    (void)s;
#endif
}

static void server_start(fl_ctx *ctx, void *state, bool recovering)
{
    server_state *s = state;
    table_record r;
    if (recovering && fl_disk_read(ctx, "table", 0, &r, sizeof r) == (int64_t)sizeof r) {
        s->holder = r.holder;
        s->token = r.token;
        s->last_token = r.last_token;
        s->grants = r.grants;
        /* the lease may still run: wait a whole one before moving it */
        s->expiry = fl_now(ctx) + FL_MS(s->lease_ms);
    }
}

static void server_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                              const void *msg, size_t len)
{
    server_state *s = state;
    wire w;
    fl_time now = fl_now(ctx);
    if (!dec(msg, len, &w))
        return;
    if (s->self != s->primary)
        return;                   /* clients talk to the primary only */
    bool live = s->holder >= 0 && now < s->expiry;
    switch (w.tag) {
    case T_ACQUIRE:               /* a = request id, b = lease ms */
        if (w.b <= 0 || w.b > 60000)
            return;
        if (s->holder == from && live) {
            s->expiry = now + FL_MS(w.b);
        } else if (!live) {
            s->holder = from;
            s->token = ++s->last_token;
            s->grants++;
            s->expiry = now + FL_MS(w.b);
            server_persist(ctx, s);
        } else {
            send_wire(ctx, from, T_GRANT, w.a, 0, 0, 0);
            return;
        }
        send_wire(ctx, from, T_GRANT, w.a, 1, s->token, 0);
        return;
    case T_RENEW:                 /* a = request id, b = lease ms, c = token */
        if (s->holder == from && live && w.c == s->token && w.b > 0 && w.b <= 60000) {
            s->expiry = now + FL_MS(w.b);
            send_wire(ctx, from, T_GRANT, w.a, 1, s->token, 0);
        } else {
            send_wire(ctx, from, T_GRANT, w.a, 0, 0, 0);
        }
        return;
    case T_RELEASE:               /* c = token */
        if (s->holder == from && w.c == s->token) {
            s->holder = -1;
            server_persist(ctx, s);
        }
        return;
    default:
        return;
    }
}

static void server_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind, uint64_t cookie)
{
    (void)ctx;
    (void)state;
    (void)kind;
    (void)cookie;
}

static void server_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    server_state *s = state;
    fl_redirect(ctx, req, s->primary);
}

static void server_inspect(const void *state, fl_view *view)
{
    const server_state *s = state;
    const fl_view_scalar sc[] = {
        {FL_LOCK_SCALAR_HOLDER, s->holder},
        {FL_LOCK_SCALAR_TOKEN, s->token},
        {FL_LOCK_SCALAR_EXPIRY_MS, s->expiry / 1000000},
        {FL_LOCK_SCALAR_LAST_TOKEN, s->last_token},
    };
    view->kind = s->self == s->primary ? FL_VIEW_LEADER : FL_VIEW_FOLLOWER;
    view->term = 1;
    view->leader = s->primary;
    view->applied = s->grants - 1;
    view->nscalars = 0;
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
        view->scalars[view->nscalars++] = sc[i];
}

/* ---- The storage ---- */

typedef struct storage_state {
    fl_node_id self;
    bool fencing;
    int64_t applied, last_token, last_writer, max_token, rejected, value;
} storage_state;

static int storage_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    storage_state *s = state;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(params, "fencing");
    s->self = fl_self(ctx);
    s->fencing = !cJSON_IsFalse(f);
    s->last_writer = -1;
    return 0;
}

static void storage_start(fl_ctx *ctx, void *state, bool recovering)
{
    storage_state *s = state;
    int64_t max;
#ifndef BUG_STORAGE_FORGET
    if (recovering && fl_disk_read(ctx, "max_token", 0, &max, sizeof max) == 8)
        s->max_token = max;
#else
    (void)ctx;
    (void)s;
    (void)max;
    (void)recovering;
#endif
}

static void storage_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                               const void *msg, size_t len)
{
    storage_state *s = state;
    wire w;
    if (!dec(msg, len, &w) || w.tag != T_WRITE)
        return;                   /* a = request id, b = token, c = value */
#ifndef BUG_NO_FENCING
    if (s->fencing && w.b < s->max_token) {
        s->rejected++;
        send_wire(ctx, from, T_WRITE_ACK, w.a, 0, s->max_token, 0);
        return;
    }
#endif
    s->applied++;
    s->last_token = w.b;
    s->last_writer = from;
    s->value = w.c;
    if (w.b > s->max_token) {
        s->max_token = w.b;
        fl_disk_write(ctx, "max_token", 0, &s->max_token, sizeof s->max_token);
        fl_disk_sync(ctx);
    }
    send_wire(ctx, from, T_WRITE_ACK, w.a, 1, s->max_token, 0);
}

static void storage_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind, uint64_t cookie)
{
    (void)ctx;
    (void)state;
    (void)kind;
    (void)cookie;
}

static void storage_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    (void)state;
    fl_reply(ctx, req, FL_STATUS_FAIL, 0);
}

static void storage_inspect(const void *state, fl_view *view)
{
    const storage_state *s = state;
    const fl_view_scalar sc[] = {
        {FL_LOCK_SCALAR_APPLIED, s->applied},
        {FL_LOCK_SCALAR_LAST_TOKEN, s->last_token},
        {FL_LOCK_SCALAR_LAST_WRITER, s->last_writer},
        {FL_LOCK_SCALAR_MAX_TOKEN, s->max_token},
        {FL_LOCK_SCALAR_REJECTED, s->rejected},
        {FL_LOCK_SCALAR_VALUE, s->value},
    };
    view->kind = FL_VIEW_OTHER;
    view->nscalars = 0;
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
        view->scalars[view->nscalars++] = sc[i];
}

/* ---- The clients ---- */

enum { C_IDLE, C_ACQUIRING, C_HOLDING };
enum { K_THINK = 1, K_ACQ_RETRY, K_COMPUTE, K_RENEW, K_WRITE_WAIT };

typedef struct client_state {
    fl_node_id self, primary, storage;
    int64_t lease_ms, renew_ms, compute_ms, writes, think_lo, think_hi;
    int phase;
    int64_t req;                  /* id of the outstanding acquire / renew */
    fl_time req_sent;             /* when it was sent, on this clock */
    int64_t token, done_writes, write_id;
    fl_time lease_end;            /* on this clock */
    fl_timer_id renew_timer, wait_timer;
} client_state;

static int client_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    client_state *s = state;
    const fl_node_id *ids;
    const cJSON *think = cJSON_GetObjectItemCaseSensitive(params, "think_ms");
    s->self = fl_self(ctx);
    fl_nodes(ctx, FL_LOCK_ROLE_SERVER, &ids);
    s->primary = ids[0];
    if (fl_nodes(ctx, FL_LOCK_ROLE_STORAGE, &ids) < 1) {
        fl_log(ctx, "no storage node");
        return -1;
    }
    s->storage = ids[0];
    s->lease_ms = param_int(params, "lease_ms", 1000);
    s->renew_ms = param_int(params, "renew_ms", 300);
    s->compute_ms = param_int(params, "compute_ms", 50);
    s->writes = param_int(params, "writes", 3);
    s->think_lo = s->think_hi = param_int(params, "work_ms", 100);
    if (cJSON_IsArray(think) && cJSON_GetArraySize(think) == 2) {
        s->think_lo = (int64_t)cJSON_GetArrayItem(think, 0)->valuedouble;
        s->think_hi = (int64_t)cJSON_GetArrayItem(think, 1)->valuedouble;
    }
    return 0;
}

static void client_think(fl_ctx *ctx, client_state *s)
{
    s->phase = C_IDLE;
    fl_cancel_timer(ctx, s->renew_timer);
    fl_cancel_timer(ctx, s->wait_timer);
    fl_set_timer(ctx, FL_MS(fl_random_between(ctx, s->think_lo, s->think_hi)),
                 FL_TIMER_OTHER, K_THINK);
}

static void client_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)recovering;
    client_think(ctx, state);
}

/* A retry keeps the request id and the time of the first send: the grant
 * may answer any of the sends, so the lease counts from the earliest. */
static void client_acquire(fl_ctx *ctx, client_state *s, bool retry)
{
    s->phase = C_ACQUIRING;
    if (!retry) {
        s->req = (int64_t)(fl_random(ctx) >> 2);
        s->req_sent = fl_now(ctx);
    }
    send_wire(ctx, s->primary, T_ACQUIRE, s->req, s->lease_ms, 0, 0);
    fl_set_timer(ctx, FL_MS(100), FL_TIMER_RETRY, K_ACQ_RETRY);
}

/* Is there time left on the lease to compute nothing more and write? */
static bool lease_ok(fl_ctx *ctx, const client_state *s)
{
    return fl_now(ctx) + FL_MS(30) < s->lease_end;
}

static void client_next(fl_ctx *ctx, client_state *s)
{
    if (s->done_writes >= s->writes) {
        send_wire(ctx, s->primary, T_RELEASE, 0, 0, s->token, 0);
        client_think(ctx, s);
        return;
    }
    fl_set_timer(ctx, FL_MS(s->compute_ms), FL_TIMER_OTHER, K_COMPUTE);
}

static void client_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                              const void *msg, size_t len)
{
    client_state *s = state;
    wire w;
    (void)from;
    if (!dec(msg, len, &w))
        return;
    if (w.tag == T_GRANT && w.a == s->req && s->phase != C_IDLE) {
        s->req = -1;
        if (w.b != 1) {
            if (s->phase == C_HOLDING)
                client_think(ctx, s);   /* lost the lock */
            return;                     /* acquiring: the retry timer asks again */
        }
#ifdef BUG_LEASE_FROM_REPLY
        s->lease_end = fl_now(ctx) + FL_MS(s->lease_ms);
#else
        s->lease_end = s->req_sent + FL_MS(s->lease_ms);
#endif
        if (s->phase == C_ACQUIRING) {
            s->phase = C_HOLDING;
            s->token = w.c;
            s->done_writes = 0;
            s->renew_timer = fl_set_timer(ctx, FL_MS(s->renew_ms), FL_TIMER_LEASE, K_RENEW);
            client_next(ctx, s);
        }
        return;
    }
    if (w.tag == T_WRITE_ACK && s->phase == C_HOLDING && w.a == s->write_id) {
        fl_cancel_timer(ctx, s->wait_timer);
        s->write_id = -1;
        if (w.b != 1) {               /* fenced off: the lock moved on */
            client_think(ctx, s);
            return;
        }
        s->done_writes++;
        client_next(ctx, s);
    }
}

static void client_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind, uint64_t cookie)
{
    client_state *s = state;
    (void)kind;
    switch (cookie) {
    case K_THINK:
        if (s->phase == C_IDLE)
            client_acquire(ctx, s, false);
        return;
    case K_ACQ_RETRY:
        if (s->phase == C_ACQUIRING)
            client_acquire(ctx, s, true);
        return;
    case K_RENEW:
        if (s->phase != C_HOLDING)
            return;
        if (!lease_ok(ctx, s)) {
            client_think(ctx, s);
            return;
        }
        s->req = (int64_t)(fl_random(ctx) >> 2);
        s->req_sent = fl_now(ctx);
        send_wire(ctx, s->primary, T_RENEW, s->req, s->lease_ms, s->token, 0);
        s->renew_timer = fl_set_timer(ctx, FL_MS(s->renew_ms), FL_TIMER_LEASE, K_RENEW);
        return;
    case K_COMPUTE:
        if (s->phase != C_HOLDING)
            return;
        if (!lease_ok(ctx, s)) {      /* the lease ran out: start over */
            client_think(ctx, s);
            return;
        }
        s->write_id = (int64_t)(fl_random(ctx) >> 2);
        send_wire(ctx, s->storage, T_WRITE, s->write_id, s->token,
                  (int64_t)s->self * 1000000 + s->done_writes, 0);
        s->wait_timer = fl_set_timer(ctx, FL_MS(200), FL_TIMER_RETRY, K_WRITE_WAIT);
        return;
    case K_WRITE_WAIT:
        if (s->phase == C_HOLDING && s->write_id >= 0) {
            s->write_id = -1;
            client_next(ctx, s);      /* the write may be lost: carry on */
        }
        return;
    default:
        return;
    }
}

static void client_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    (void)state;
    fl_reply(ctx, req, FL_STATUS_FAIL, 0);
}

static void client_inspect(const void *state, fl_view *view)
{
    const client_state *s = state;
    view->kind = FL_VIEW_CLIENT;
    view->label = s->phase == C_HOLDING ? "holding" : s->phase == C_ACQUIRING ? "acquiring" : "idle";
}

/* ---- Shared ---- */

static int lock_validate(const cJSON *params, char *err, size_t errlen)
{
    static const char *const keys[] = {"lease_ms", "renew_ms", "work_ms", "compute_ms", "writes"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, keys[i]);
        if (v && (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 600000)) {
            snprintf(err, errlen, "%s: must be a number of 0..600000", keys[i]);
            return -1;
        }
    }
    return 0;
}

static void lock_describe(const void *msg, size_t len, fl_msg_info *info)
{
    wire w;
    if (!dec(msg, len, &w)) {
        info->kind = "garbage";
        return;
    }
    switch (w.tag) {
    case T_ACQUIRE: info->kind = "Acquire"; break;
    case T_RENEW: info->kind = "Renew"; break;
    case T_RELEASE: info->kind = "Release"; break;
    case T_GRANT: info->kind = "Grant"; info->is_reply = true; info->ok = w.b == 1; break;
    case T_WRITE: info->kind = "Write"; break;
    case T_WRITE_ACK: info->kind = STORAGE_REPLY_KIND; info->is_reply = true; info->ok = w.b == 1; break;
    default: info->kind = "unknown"; break;
    }
}

static const fl_role lock_roles[] = {
    {
        .name = FL_LOCK_ROLE_SERVER,
        .state_size = sizeof(server_state),
        .init = server_init,
        .start = server_start,
        .on_message = server_on_message,
        .on_timer = server_on_timer,
        .on_request = server_on_request,
        .inspect = server_inspect,
    },
    {
        .name = FL_LOCK_ROLE_CLIENT,
        .state_size = sizeof(client_state),
        .init = client_init,
        .start = client_start,
        .on_message = client_on_message,
        .on_timer = client_on_timer,
        .on_request = client_on_request,
        .inspect = client_inspect,
    },
    {
        .name = FL_LOCK_ROLE_STORAGE,
        .state_size = sizeof(storage_state),
        .init = storage_init,
        .start = storage_start,
        .on_message = storage_on_message,
        .on_timer = storage_on_timer,
        .on_request = storage_on_request,
        .inspect = storage_inspect,
    },
    { .name = NULL },
};

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "lock",
    .description = "outside staff's lock service with fencing tokens",
    .roles = lock_roles,
    .validate = lock_validate,
    .describe = lock_describe,
};
