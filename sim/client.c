/* client.c — the built-in client role. Each client runs one operation at a
 * time from the scenario's workload: it sends the request over the network
 * to a server, follows redirects, resends on its retry timer, gives up after
 * the operation timeout (recorded as info, then it continues under a new
 * process id), and records every step in the history. */
#include "sim/engine_internal.h"
#include "sim/keys.h"

#include <string.h>

enum { CLIENT_TIMER_NEXT = 1, CLIENT_TIMER_RETRY = 2, CLIENT_TIMER_TIMEOUT = 3 };

#define FL_CLIENT_MAX_KEYS 1024

typedef struct fl_client {
    size_t      index;          /* among clients */
    size_t      nclients;
    int64_t     process;
    uint64_t    seq;
    uint64_t    written;        /* writes issued, for unique values */
    const fl_node_id *servers;
    size_t      nservers;
    fl_node_id  leader_hint;
    /* the open operation */
    bool        open;
    uint64_t    op_id;
    fl_request  req;
    fl_node_id  target;
    fl_timer_id retry_timer, timeout_timer;
    int64_t     token;          /* lock: the token held, or -1 */
    int64_t     last_seen[FL_CLIENT_MAX_KEYS];
} fl_client;

static const fl_workload_spec *workload(fl_ctx *ctx)
{
    return fl_ctx_workload(ctx);
}

static int client_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    (void)params;
    fl_client *c = state;
    const fl_node_id *ids;
    size_t n = fl_nodes(ctx, "client", &ids);
    for (size_t i = 0; i < n; i++)
        if (ids[i] == fl_self(ctx))
            c->index = i;
    c->nclients = n ? n : 1;
    c->leader_hint = FL_NO_NODE;
    c->token = -1;
    for (size_t k = 0; k < FL_CLIENT_MAX_KEYS; k++)
        c->last_seen[k] = FL_NIL;
    return 0;
}

static void schedule_next(fl_ctx *ctx, fl_client *c)
{
    const fl_workload_spec *w = workload(ctx);
    /* exponential think time with mean 1/rate: -ln(U)/rate, in integer ns
     * drawn through a uniform in (0,1] */
    double rate = w->rate_per_s > 0 ? w->rate_per_s : 1.0;
    uint64_t r = fl_random(ctx) >> 11;
    double u = ((double)r + 1.0) * 0x1.0p-53;
    double secs = -__builtin_log(u) / rate;
    fl_time delay = (fl_time)(secs * 1e9);
    fl_time now = fl_now(ctx);
    if (now < w->start && delay < w->start - now)
        delay = w->start - now;
    fl_set_timer(ctx, delay, FL_TIMER_TICK, CLIENT_TIMER_NEXT);
    (void)c;
}

static void client_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)recovering;
    fl_client *c = state;
    c->nservers = fl_nodes(ctx, fl_ctx_server_role(ctx), &c->servers);
    /* A restarted client is a new Jepsen process, and its sequence numbers
     * must not repeat the old incarnation's (servers deduplicate on them). */
    uint64_t inc = fl_ctx_incarnation(ctx);
    c->process = (int64_t)c->index + (int64_t)c->nclients * (int64_t)(inc << 20);
    c->seq = inc << 32;
    schedule_next(ctx, c);
}

static fl_op_kind pick_kind(fl_ctx *ctx)
{
    const fl_workload_spec *w = workload(ctx);
    double total = 0;
    for (int k = 0; k < FL_OP_KIND_COUNT; k++)
        total += w->mix[k];
    double x = (double)(fl_random(ctx) >> 11) * 0x1.0p-53 * total;
    for (int k = 0; k < FL_OP_KIND_COUNT; k++) {
        if (w->mix[k] <= 0)
            continue;
        if (x < w->mix[k])
            return (fl_op_kind)k;
        x -= w->mix[k];
    }
    for (int k = FL_OP_KIND_COUNT - 1; k >= 0; k--)
        if (w->mix[k] > 0)
            return (fl_op_kind)k;
    return FL_OP_READ;
}

static int64_t unique_value(fl_client *c)
{
    return (int64_t)(++c->written * c->nclients + c->index + 1);
}

static fl_op make_op(fl_ctx *ctx, fl_client *c)
{
    const fl_workload_spec *w = workload(ctx);
    fl_op op = { .kind = pick_kind(ctx) };
    uint32_t keys = w->keys ? w->keys : 1;
    if (w->key_dist == FL_KEYS_ZIPF && w->key_cdf)
        op.key = fl_keys_pick(w->key_cdf, keys, fl_random(ctx) >> 11);
    else            /* uniform: exactly the draw of every earlier scenario */
        op.key = (uint32_t)fl_random_between(ctx, 0, keys - 1);
    uint32_t slot = op.key % FL_CLIENT_MAX_KEYS;
    switch (op.kind) {
    case FL_OP_WRITE:
        op.arg = unique_value(c);
        break;
    case FL_OP_CAS:
        op.arg = c->last_seen[slot];
        op.arg2 = unique_value(c);
        break;
    case FL_OP_ADD:
        op.arg = fl_random_between(ctx, w->add_min, w->add_max);
        break;
    case FL_OP_ACQUIRE:
        op.arg = w->timeout / FL_MS(1);
        break;
    case FL_OP_RELEASE:
        op.arg = c->token;
        break;
    default:
        break;
    }
    return op;
}

static fl_node_id pick_target(fl_ctx *ctx, fl_client *c)
{
    if (c->leader_hint != FL_NO_NODE)
        return c->leader_hint;
    if (c->nservers == 0)
        return FL_NO_NODE;
    return c->servers[fl_random_between(ctx, 0, (int64_t)c->nservers - 1)];
}

static void send_attempt(fl_ctx *ctx, fl_client *c)
{
    if (c->target == FL_NO_NODE)
        return;
    fl_ctx_send_request(ctx, c->target, &c->req);
    fl_cancel_timer(ctx, c->retry_timer);
    c->retry_timer = fl_set_timer(ctx, workload(ctx)->retry, FL_TIMER_RETRY,
                                  CLIENT_TIMER_RETRY);
}

static void begin_op(fl_ctx *ctx, fl_client *c)
{
    const fl_workload_spec *w = workload(ctx);
    fl_op op = make_op(ctx, c);
    memset(&c->req, 0, sizeof c->req);     /* bytes on the wire are hashed */
    c->req.client = fl_self(ctx);
    c->req.seq = ++c->seq;
    c->req.op = op;
    c->op_id = fl_history_invoke(fl_ctx_history(ctx), c->process, fl_self(ctx),
                                 &op, fl_ctx_sim_time(ctx));
    c->open = true;
    fl_ctx_trace_op(ctx, FL_TR_INVOKE, c->op_id, op.kind, op.arg);
    c->target = pick_target(ctx, c);
    c->timeout_timer = fl_set_timer(ctx, w->timeout, FL_TIMER_OTHER,
                                    CLIENT_TIMER_TIMEOUT);
    send_attempt(ctx, c);
}

static void end_op(fl_ctx *ctx, fl_client *c, fl_hist_type type, int64_t value)
{
    fl_history_complete(fl_ctx_history(ctx), c->op_id, type, value,
                        fl_ctx_sim_time(ctx));
    fl_ctx_trace_op(ctx, FL_TR_COMPLETE, c->op_id, type, value);
    fl_ctx_count_op(ctx, type);
    c->open = false;
    fl_cancel_timer(ctx, c->retry_timer);
    fl_cancel_timer(ctx, c->timeout_timer);
    c->retry_timer = c->timeout_timer = 0;
    if (type == FL_HIST_INFO)
        c->process += (int64_t)c->nclients;   /* Jepsen: a new process */
}

static void learn(fl_client *c, int64_t value)
{
    const fl_op *op = &c->req.op;
    uint32_t slot = op->key % FL_CLIENT_MAX_KEYS;
    if (op->kind == FL_OP_READ)
        c->last_seen[slot] = value;
    else if (op->kind == FL_OP_WRITE)
        c->last_seen[slot] = op->arg;
    else if (op->kind == FL_OP_CAS && value == 1)
        c->last_seen[slot] = op->arg2;
    else if (op->kind == FL_OP_ACQUIRE)
        c->token = value;
    else if (op->kind == FL_OP_RELEASE)
        c->token = -1;
}

void fl_client_on_reply(fl_ctx *ctx, void *state, const fl_reply_msg *r)
{
    fl_client *c = state;
    if (!c->open || r->seq != c->req.seq)
        return;                                  /* a stale or duplicate reply */
    switch (r->status) {
    case FL_STATUS_OK:
        learn(c, r->value);
        end_op(ctx, c, FL_HIST_OK, r->value);
        schedule_next(ctx, c);
        break;
    case FL_STATUS_FAIL:
        end_op(ctx, c, FL_HIST_FAIL, FL_NIL);
        schedule_next(ctx, c);
        break;
    case FL_STATUS_UNKNOWN:
        end_op(ctx, c, FL_HIST_INFO, FL_NIL);
        schedule_next(ctx, c);
        break;
    case FL_STATUS_REDIRECT:
        c->leader_hint = (size_t)r->hint < fl_ctx_node_count(ctx) ? r->hint
                                                                   : FL_NO_NODE;
        if (c->leader_hint != FL_NO_NODE && c->leader_hint != c->target) {
            c->target = c->leader_hint;
            c->req.attempt++;
            send_attempt(ctx, c);
        }
        /* no useful hint: wait for the retry timer to try another server */
        break;
    }
}

static void on_retry(fl_ctx *ctx, fl_client *c)
{
    c->retry_timer = 0;
    if (!c->open || c->nservers == 0)
        return;
    /* round-robin to the next server; forget a hint that did not answer */
    size_t at = 0;
    for (size_t i = 0; i < c->nservers; i++)
        if (c->servers[i] == c->target)
            at = i;
    c->target = c->servers[(at + 1) % c->nservers];
    c->leader_hint = FL_NO_NODE;
    c->req.attempt++;
    send_attempt(ctx, c);
}

static void client_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                            uint64_t cookie)
{
    (void)kind;
    fl_client *c = state;
    switch (cookie) {
    case CLIENT_TIMER_NEXT:
        if (!c->open && fl_ctx_sim_time(ctx) <= workload(ctx)->stop)
            begin_op(ctx, c);
        break;
    case CLIENT_TIMER_RETRY:
        on_retry(ctx, c);
        break;
    case CLIENT_TIMER_TIMEOUT:
        c->timeout_timer = 0;
        if (c->open) {
            end_op(ctx, c, FL_HIST_INFO, FL_NIL);
            schedule_next(ctx, c);
        }
        break;
    }
}

void fl_client_abandon(fl_ctx *ctx, void *state)
{
    fl_client *c = state;
    if (c->open)
        end_op(ctx, c, FL_HIST_INFO, FL_NIL);
}

static void client_inspect(const void *state, fl_view *view)
{
    const fl_client *c = state;
    view->kind = FL_VIEW_CLIENT;
    view->leader = c->leader_hint;
    /* Operations are in the trace as invoke/complete; the view changes
     * only when the client's idea of the leader or its process does. */
    view->nscalars = 1;
    view->scalars[0] = (fl_view_scalar){ "process", c->process };
}

const fl_role fl_client_role = {
    .name = "client",
    .state_size = sizeof(fl_client),
    .init = client_init,
    .start = client_start,
    .on_timer = client_on_timer,
    .inspect = client_inspect,
};
