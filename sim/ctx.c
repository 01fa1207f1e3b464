/* ctx.c — the context of algorithm.h, the only door an algorithm sees:
 * time, timers, randomness, send and reply, the disk, logging; and the
 * engine-private context helpers the built-in client uses. */
#include "sim/engine_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"
#include "sim/util/vec.h"

#define FL_MAX_TIMER_DELAY (INT64_MAX / 8)

/* ---- Timers ------------------------------------------------------------------ */

static fl_timer_slot *timer_slot(fl_engine *e, fl_timer_id id)
{
    uint32_t idx = (uint32_t)(id & 0xffffffffu);
    if (idx == 0 || idx > e->ntimers)
        return NULL;
    fl_timer_slot *s = &e->timers[idx - 1];
    return s->gen == (uint32_t)(id >> 32) && s->armed ? s : NULL;
}

static void timer_release(fl_engine *e, fl_timer_slot *s)
{
    s->armed = false;
    s->gen++;
    s->next_free = e->timer_free;
    e->timer_free = (uint32_t)(s - e->timers) + 1;
}

static fl_timer_id timer_alloc(fl_engine *e)
{
    if (!e->timer_free) {
        if (fl_vec_grow(&e->timers, &e->timers_cap, e->ntimers + 1,
                        sizeof *e->timers, 64) < 0)
            return 0;
        fl_timer_slot *s = &e->timers[e->ntimers++];
        memset(s, 0, sizeof *s);
        s->gen = 1;
        s->next_free = 0;
        e->timer_free = (uint32_t)e->ntimers;
    }
    uint32_t idx = e->timer_free;
    fl_timer_slot *s = &e->timers[idx - 1];
    e->timer_free = s->next_free;
    s->armed = true;
    return ((uint64_t)s->gen << 32) | idx;
}

void fl_timer_fire(fl_engine *e, const fl_event *ev)
{
    fl_timer_slot *s = timer_slot(e, ev->u);
    if (!s)
        return;                                 /* cancelled */
    fl_node *n = &e->nodes[s->node];
    if (!n->alive || n->incarnation != s->incarnation) {
        timer_release(e, s);                    /* died with the node */
        return;
    }
    if (fl_node_busy(e, n)) {
        fl_event held = *ev;
        if (fl_node_hold(e, n, &held))
            return;
    }
    uint8_t kind = s->kind;
    uint64_t cookie = s->cookie;
    fl_engine_cause(e, n->id, FL_CAUSE_TIMER);
    e->step.timer = (fl_timer_kind)kind;
    e->step.timer_due = s->due;           /* not ev->time: a held event is re-timed */
    timer_release(e, s);
    e->stats.timers++;
    fl_trace_event(&e->trace, e->now, FL_TR_TIMER, n->id, FL_NO_NODE, ev->u, kind,
                   (int64_t)cookie, NULL);
    if (n->role->on_timer)
        n->role->on_timer(fl_engine_ctx(e, n), n->state, (fl_timer_kind)kind, cookie);
    fl_engine_observe(e, n);
}

bool fl_engine_timer_info(fl_engine *e, fl_timer_id id, fl_node_id *node,
                          uint8_t *kind)
{
    const fl_timer_slot *s = timer_slot(e, id);
    if (!s || !e->nodes[s->node].alive || e->nodes[s->node].incarnation != s->incarnation)
        return false;
    *node = s->node;
    *kind = s->kind;
    return true;
}

const fl_step_info *fl_engine_step_info(const fl_engine *e)
{
    return &e->step;
}

bool fl_engine_node_timer_late(const fl_engine *e, fl_node_id node)
{
    if (node < 0 || (size_t)node >= e->nnodes || !e->nodes[node].alive)
        return false;
    uint32_t inc = e->nodes[node].incarnation;
    for (size_t i = 0; i < e->ntimers; i++) {
        const fl_timer_slot *s = &e->timers[i];
        if (s->armed && s->node == node && s->incarnation == inc &&
            s->due < e->now)
            return true;
    }
    return false;
}

bool fl_engine_timed(const fl_engine *e)
{
    return !e->manual;
}

/* ---- algorithm.h: the context ------------------------------------------------------ */

fl_node_id fl_self(const fl_ctx *ctx)
{
    return ctx->node->id;
}

size_t fl_nodes(const fl_ctx *ctx, const char *role, const fl_node_id **ids)
{
    const fl_engine *e = ctx->e;
    const char *want = role ? role : ctx->node->role_name;
    for (size_t i = 0; i < e->nrole_ids; i++)
        if (strcmp(e->role_ids[i].name, want) == 0) {
            *ids = e->role_ids[i].ids;
            return e->role_ids[i].n;
        }
    *ids = NULL;
    return 0;
}

fl_time fl_now(const fl_ctx *ctx)
{
    return fl_node_local_time(ctx->node, ctx->e->now);
}

void fl_send(fl_ctx *ctx, fl_node_id to, const void *msg, size_t len)
{
    fl_net_send(ctx->e, ctx->node, to, FL_CH_ALG, msg, len);
}

fl_timer_id fl_set_timer(fl_ctx *ctx, fl_time delay, fl_timer_kind kind,
                         uint64_t cookie)
{
    fl_engine *e = ctx->e;
    fl_node *n = ctx->node;
    if (delay < 0)
        delay = 0;
    if (delay > FL_MAX_TIMER_DELAY)      /* far past any run's end; no overflow */
        delay = FL_MAX_TIMER_DELAY;
    fl_timer_id id = timer_alloc(e);
    if (!id)
        return 0;
    fl_timer_slot *s = &e->timers[(id & 0xffffffffu) - 1];
    s->node = n->id;
    s->incarnation = n->incarnation;
    s->kind = (uint8_t)((unsigned)kind < FL_TIMER_KIND_COUNT ? kind : FL_TIMER_OTHER);
    s->cookie = cookie;
    fl_time real = n->drift_ppm ? fl_node_real_delay(n, delay) : delay;
    s->due = e->now + real;
    if ((unsigned)s->kind < FL_TIMER_KIND_COUNT && e->step.node == n->id) {
        unsigned bit = 1u << s->kind;
        if (!(e->step.set & bit) || e->step.set_due[s->kind] < s->due)
            e->step.set_due[s->kind] = s->due;
        e->step.set |= bit;
    }
    fl_event ev = { .time = s->due,
                    .type = FL_EV_TIMER, .node = n->id, .u = id };
    if (fl_engine_push(e, &ev, FL_CLASS_NORMAL) < 0) {
        timer_release(e, s);
        return 0;
    }
    return id;
}

void fl_cancel_timer(fl_ctx *ctx, fl_timer_id id)
{
    fl_timer_slot *s = timer_slot(ctx->e, id);
    if (s && s->node == ctx->node->id)
        timer_release(ctx->e, s);
}

uint64_t fl_random(fl_ctx *ctx)
{
    return fl_rng_u64(ctx->node->rng);
}

int64_t fl_random_between(fl_ctx *ctx, int64_t lo, int64_t hi)
{
    if (hi < lo) {
        int64_t t = lo;
        lo = hi;
        hi = t;
    }
    return fl_rng_state_between(ctx->node->rng_state, lo, hi);
}

int fl_disk_write(fl_ctx *ctx, const char *file, uint64_t offset,
                  const void *data, size_t len)
{
    return fl_disk_do_write(ctx->node->disk, file, offset, data, len);
}

int fl_disk_truncate(fl_ctx *ctx, const char *file, uint64_t size)
{
    return fl_disk_do_truncate(ctx->node->disk, file, size);
}

void fl_disk_sync(fl_ctx *ctx)
{
    fl_engine *e = ctx->e;
    fl_node *n = ctx->node;
    fl_time start = n->busy_until > e->now ? n->busy_until : e->now;
    fl_time done = start + fl_dist_sample_ns(&e->scn->disk.sync, n->disk_rng);
    fl_disk_do_sync(n->disk, e->now, done);
    n->busy_until = done;
    e->stats.syncs++;
    fl_engine_trace_simple(e, FL_TR_SYNC, n->id, FL_NO_NODE, done, 0, NULL);
    if (e->triggers)
        fl_fault_on_sync(e, n);
}

int64_t fl_disk_read(fl_ctx *ctx, const char *file, uint64_t offset,
                     void *buf, size_t len)
{
    return fl_disk_do_read(ctx->node->disk, file, offset, buf, len);
}

int64_t fl_disk_size(fl_ctx *ctx, const char *file)
{
    return fl_disk_do_size(ctx->node->disk, file);
}

void fl_reply(fl_ctx *ctx, const fl_request *req, fl_status status,
              int64_t value)
{
    fl_reply_msg m;
    memset(&m, 0, sizeof m);       /* padding is hashed: keep it zero */
    m.seq = req->seq;
    m.status = status;
    m.value = value;
    m.hint = FL_NO_NODE;
    fl_net_send(ctx->e, ctx->node, req->client, FL_CH_REPLY, &m, sizeof m);
}

void fl_redirect(fl_ctx *ctx, const fl_request *req, fl_node_id hint)
{
    fl_reply_msg m;
    memset(&m, 0, sizeof m);
    m.seq = req->seq;
    m.status = FL_STATUS_REDIRECT;
    m.value = FL_NIL;
    m.hint = hint;
    fl_net_send(ctx->e, ctx->node, req->client, FL_CH_REPLY, &m, sizeof m);
}

void fl_log(fl_ctx *ctx, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fl_engine_trace_simple(ctx->e, FL_TR_LOG, ctx->node->id, FL_NO_NODE, 0, 0, line);
}

/* ---- Engine-private context helpers for the built-in client ------------------------- */

fl_history *fl_ctx_history(fl_ctx *ctx) { return &ctx->e->history; }
const fl_workload_spec *fl_ctx_workload(fl_ctx *ctx) { return &ctx->e->scn->workload; }

void fl_ctx_send_request(fl_ctx *ctx, fl_node_id to, const fl_request *req)
{
    fl_net_send(ctx->e, ctx->node, to, FL_CH_REQUEST, req, sizeof *req);
}

void fl_ctx_trace_op(fl_ctx *ctx, fl_trace_type type, uint64_t op_id,
                     int64_t a, int64_t b)
{
    fl_trace_rec r = { .time = ctx->e->now, .type = type, .node = ctx->node->id,
                       .peer = FL_NO_NODE, .id = op_id, .a = a, .b = b };
    fl_trace_record(&ctx->e->trace, &r);
}

const char *fl_ctx_server_role(fl_ctx *ctx)
{
    return ctx->e->nrole_ids ? ctx->e->role_ids[0].name : "server";
}

fl_time fl_ctx_sim_time(fl_ctx *ctx) { return ctx->e->now; }
uint32_t fl_ctx_incarnation(fl_ctx *ctx) { return ctx->node->incarnation; }
size_t fl_ctx_node_count(fl_ctx *ctx) { return ctx->e->nnodes; }

void fl_ctx_count_op(fl_ctx *ctx, fl_hist_type type)
{
    fl_engine_stats *st = &ctx->e->stats;
    if (type == FL_HIST_OK)
        st->ops_ok++;
    else if (type == FL_HIST_FAIL)
        st->ops_fail++;
    else if (type == FL_HIST_INFO)
        st->ops_info++;
}
