/* crdt.c — a PN-Counter CRDT written by "outside course staff" from the
 * installed <faultline/algorithm.h>, <faultline/counter.h>, the template's
 * README and the man page alone (tests/test_outside_plugins.sh).
 *
 * Each replica keeps P[r] and N[r] for every replica r, persists its own
 * entries (and the last request applied per client) before acknowledging,
 * gossips both vectors on a tick and merges by taking the maximum.
 *
 * One-mistake copies are built from this file with -DBUG_...:
 *   BUG_MERGE_SUM        merge adds the peer's entries instead of max
 *   BUG_FORGET_OWN       own entries kept in memory only (lost on restart)
 *   BUG_MERGE_OVERWRITE  merge assigns the peer's entries (an older gossip
 *                        can lower them)
 *   BUG_ACK_BEFORE_SYNC  acknowledges an add before its entry is synced */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <faultline/algorithm.h>
#include <faultline/counter.h>

#define MAXR 64
#define MAXC 256
#define MSG_GOSSIP 0x47u

typedef struct server_state {
    fl_node_id self;
    size_t nrep;
    int64_t p[MAXR], n[MAXR];
    uint64_t last_seq[MAXC];     /* per client node: last seq applied + 1 */
    int64_t gossip_ms, converge_ms, merges;
} server_state;

typedef struct own_record {      /* what this replica persists */
    int64_t p, n;
    uint64_t last_seq[MAXC];
} own_record;

static int64_t param_int(const cJSON *params, const char *key, int64_t dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

static int server_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    server_state *s = state;
    const fl_node_id *ids;
    s->self = fl_self(ctx);
    s->nrep = fl_nodes(ctx, "server", &ids);
    if (s->nrep > MAXR || s->self >= MAXR) {
        fl_log(ctx, "too many replicas");
        return -1;
    }
    s->gossip_ms = param_int(params, "gossip_ms", 50);
    s->converge_ms = param_int(params, "converge_ms", 2000);
    return 0;
}

static void persist_own(fl_ctx *ctx, server_state *s)
{
#ifndef BUG_FORGET_OWN
    own_record r;
    memset(&r, 0, sizeof r);
    r.p = s->p[s->self];
    r.n = s->n[s->self];
    memcpy(r.last_seq, s->last_seq, sizeof r.last_seq);
    fl_disk_write(ctx, "own", 0, &r, sizeof r);
    fl_disk_sync(ctx);
#else
    (void)ctx;
    (void)s;
#endif
}

static void server_start(fl_ctx *ctx, void *state, bool recovering)
{
    server_state *s = state;
    if (recovering) {
        own_record r;
        if (fl_disk_read(ctx, "own", 0, &r, sizeof r) == (int64_t)sizeof r) {
            s->p[s->self] = r.p;
            s->n[s->self] = r.n;
            memcpy(s->last_seq, r.last_seq, sizeof s->last_seq);
        }
    }
    fl_set_timer(ctx, FL_MS(s->gossip_ms), FL_TIMER_TICK, 0);
}

static void merge(server_state *s, const int64_t *p, const int64_t *n, size_t k)
{
    for (size_t r = 0; r < k && r < s->nrep; r++) {
#if defined(BUG_MERGE_SUM)
        if ((fl_node_id)r != s->self) {
            s->p[r] += p[r];
            s->n[r] += n[r];
        }
#elif defined(BUG_MERGE_OVERWRITE)
        if ((fl_node_id)r != s->self) {
            s->p[r] = p[r];
            s->n[r] = n[r];
        }
#else
        if (p[r] > s->p[r])
            s->p[r] = p[r];
        if (n[r] > s->n[r])
            s->n[r] = n[r];
#endif
    }
    s->merges++;
}

/* Gossip: u8 tag, u8 count, then count pairs (p, n) of int64. */
static void server_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                              const void *msg, size_t len)
{
    server_state *s = state;
    const uint8_t *b = msg;
    int64_t p[MAXR], n[MAXR];
    (void)ctx;
    (void)from;
    if (len < 2 || b[0] != MSG_GOSSIP || b[1] > MAXR
        || len != 2 + (size_t)b[1] * 16)
        return;
    for (size_t r = 0; r < b[1]; r++) {
        memcpy(&p[r], b + 2 + r * 16, 8);
        memcpy(&n[r], b + 2 + r * 16 + 8, 8);
        if (p[r] < 0 || n[r] < 0)
            return;
    }
    merge(s, p, n, b[1]);
}

static void server_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                            uint64_t cookie)
{
    server_state *s = state;
    uint8_t buf[2 + MAXR * 16];
    const fl_node_id *ids;
    size_t k = fl_nodes(ctx, "server", &ids);
    (void)kind;
    (void)cookie;
    buf[0] = MSG_GOSSIP;
    buf[1] = (uint8_t)s->nrep;
    for (size_t r = 0; r < s->nrep; r++) {
        memcpy(buf + 2 + r * 16, &s->p[r], 8);
        memcpy(buf + 2 + r * 16 + 8, &s->n[r], 8);
    }
    for (size_t i = 0; i < k; i++)
        if (ids[i] != s->self)
            fl_send(ctx, ids[i], buf, 2 + s->nrep * 16);
    fl_set_timer(ctx, FL_MS(s->gossip_ms), FL_TIMER_TICK, 0);
}

static int64_t total(const int64_t *v, size_t k)
{
    int64_t t = 0;
    for (size_t r = 0; r < k; r++)
        t += v[r];
    return t;
}

static void server_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    server_state *s = state;
    if (req->op.kind == FL_OP_READ) {
        fl_reply(ctx, req, FL_STATUS_OK,
                 total(s->p, s->nrep) - total(s->n, s->nrep));
        return;
    }
    if (req->op.kind != FL_OP_ADD) {
        fl_reply(ctx, req, FL_STATUS_FAIL, 0);
        return;
    }
    if (req->client >= 0 && req->client < MAXC
        && req->seq + 1 <= s->last_seq[req->client]) {
        fl_reply(ctx, req, FL_STATUS_OK, 0);   /* a duplicate: applied once */
        return;
    }
    if (req->op.arg >= 0)
        s->p[s->self] += req->op.arg;
    else
        s->n[s->self] += -req->op.arg;
    if (req->client >= 0 && req->client < MAXC)
        s->last_seq[req->client] = req->seq + 1;
#ifdef BUG_ACK_BEFORE_SYNC
    fl_reply(ctx, req, FL_STATUS_OK, 0);
    persist_own(ctx, s);
#else
    persist_own(ctx, s);
    fl_reply(ctx, req, FL_STATUS_OK, 0);
#endif
}

static void server_inspect(const void *state, fl_view *view)
{
    const server_state *s = state;
    uint64_t h = 1469598103934665603u;
    for (size_t r = 0; r < s->nrep; r++) {
        h = (h ^ (uint64_t)s->p[r]) * 1099511628211u;
        h = (h ^ (uint64_t)s->n[r]) * 1099511628211u;
    }
    const fl_view_scalar sc[] = {
        {FL_COUNTER_SCALAR_VALUE, total(s->p, s->nrep) - total(s->n, s->nrep)},
        {FL_COUNTER_SCALAR_P_TOTAL, total(s->p, s->nrep)},
        {FL_COUNTER_SCALAR_N_TOTAL, total(s->n, s->nrep)},
        {FL_COUNTER_SCALAR_DIGEST, (int64_t)h},
        {FL_COUNTER_SCALAR_CONVERGE_MS, s->converge_ms},
        {FL_COUNTER_SCALAR_MERGES, s->merges},
    };
    view->kind = FL_VIEW_OTHER;
    view->nscalars = 0;
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
        view->scalars[view->nscalars++] = sc[i];
    for (size_t r = 0; r < view->npeers; r++) {
        if (view->match)
            view->match[r] = r < s->nrep ? s->p[r] : 0;
        if (view->next)
            view->next[r] = r < s->nrep ? s->n[r] : 0;
    }
}

static int counter_validate(const cJSON *params, char *err, size_t errlen)
{
    if (params && !cJSON_IsObject(params)) {
        snprintf(err, errlen, "params: must be an object");
        return -1;
    }
    return 0;
}

static void counter_describe(const void *msg, size_t len, fl_msg_info *info)
{
    const uint8_t *b = msg;
    info->kind = len > 0 && b[0] == MSG_GOSSIP ? "Gossip" : "message";
}

static const fl_role counter_roles[] = {
    {
        .name = "server",
        .state_size = sizeof(server_state),
        .init = server_init,
        .start = server_start,
        .on_message = server_on_message,
        .on_timer = server_on_timer,
        .on_request = server_on_request,
        .inspect = server_inspect,
    },
    { .name = NULL },
};

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "counter",
    .description = "outside staff's PN-Counter",
    .roles = counter_roles,
    .validate = counter_validate,
    .describe = counter_describe,
};
