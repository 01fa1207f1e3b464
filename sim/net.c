/* net.c — the simulated network: per directed link a random stream,
 * latency from a GSL distribution, loss, duplication, optional FIFO order,
 * partitions and one-way cuts. Messages are copied on send and owned by
 * the engine until they are delivered or dropped. */
#include "sim/engine_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "sim/rng.h"
#include "sim/trace_hash.h"


int64_t fl_dist_sample_ns(const fl_dist *d, gsl_rng *r)
{
    double ms = 0.0;
    switch (d->kind) {
    case FL_DIST_CONSTANT:
        ms = d->a;
        break;
    case FL_DIST_UNIFORM:
        ms = d->a + (d->b - d->a) * fl_rng_uniform(r);
        break;
    case FL_DIST_NORMAL:
        ms = d->a + gsl_ran_gaussian_ziggurat(r, d->b);
        break;
    case FL_DIST_LOGNORMAL:
        ms = gsl_ran_lognormal(r, log(d->a), d->b);
        break;
    case FL_DIST_EXPONENTIAL:
        ms = gsl_ran_exponential(r, d->a);
        break;
    case FL_DIST_PARETO:
        ms = gsl_ran_pareto(r, d->b, d->a);
        break;
    }
    if (!(ms > 0.0))            /* truncated at 0; also catches NaN */
        return 0;
    if (ms > 1e12)
        ms = 1e12;
    return fl_round_nonneg(ms * 1e6);
}

static inline size_t link_index(const fl_engine *e, fl_node_id from, fl_node_id to)
{
    return (size_t)from * e->nnodes + (size_t)to;
}

static void apply_static_links(fl_engine *e)
{
    const fl_scenario *s = e->scn;
    for (size_t i = 0; i < s->nlinks; i++) {
        const struct fl_link_override *o = &s->links[i];
        if ((size_t)o->from >= e->nnodes || (size_t)o->to >= e->nnodes)
            continue;
        fl_net_link(e, o->from, o->to, &o->spec);
    }
}

int fl_net_init(fl_engine *e)
{
    size_t n = e->nnodes * e->nnodes;
    e->links = calloc(n ? n : 1, sizeof *e->links);
    if (!e->links)
        return -1;
    apply_static_links(e);
    return 0;
}

void fl_net_destroy(fl_engine *e)
{
    size_t n = e->nnodes * e->nnodes;
    for (size_t i = 0; e->links && i < n; i++)
        if (e->links[i].rng)
            gsl_rng_free(e->links[i].rng);
    free(e->links);
    e->links = NULL;
}

void fl_net_free_msg(fl_msg *m)
{
    fl_msg_free(m);
}

/* The link's stream, made on its first message; NULL if out of memory. */
static inline gsl_rng *link_rng(fl_engine *e, fl_link_state *ls, fl_node_id from,
                                fl_node_id to)
{
    if (!ls->rng) {
        ls->rng = fl_rng_new(e->seed, FL_STREAM_LINK(from, to));
        ls->rs = ls->rng ? ls->rng->state : NULL;
    }
    return ls->rng;
}

/* The spec in force on a link: the network's, with any override on top
 * (built in *out; the network's itself when there is none). */
static const fl_link_spec *effective_spec(const fl_engine *e, const fl_link_state *ls,
                                          fl_link_spec *out)
{
    if (!ls->has_override)
        return &e->scn->network.base;
    *out = e->scn->network.base;
    if (ls->spec.has_latency)
        out->latency = ls->spec.latency;
    if (ls->spec.has_drop)
        out->drop = ls->spec.drop;
    if (ls->spec.has_duplicate)
        out->duplicate = ls->spec.duplicate;
    return out;
}

/* `why` is hashed text; `reason` its code for the JSON line only. */
TRACE_INLINE void trace_msg(fl_engine *e, fl_trace_type type, fl_msg *m,
                            const char *reason, const char *why)
{
    fl_trace *t = &e->trace;
    if (t->full)
        fl_trace_message(t, e->now, type, m, reason, why);
    else                        /* the common case, inline */
        fl_trace_message_hash(t, e->now, type, m, why);
}

static void drop(fl_engine *e, fl_msg *m, const char *reason, const char *why)
{
    e->stats.dropped++;
    trace_msg(e, FL_TR_DROP, m, reason, why);
    fl_net_free_msg(m);
}

/* A drop decided outside the network (manual delivery): reason "manual". */
void fl_net_drop(fl_engine *e, fl_msg *m, const char *why)
{
    drop(e, m, "manual", why);
}

/* A message from `from`, in flight from now (or from the end of its
 * sync). Inline, like schedule_after: every message makes both calls, and
 * as calls their saving and restoring of registers was a twentieth of the
 * message workload's instructions. */
TRACE_INLINE fl_msg *msg_new(fl_engine *e, const fl_node *from, fl_node_id to,
                             fl_channel ch, const void *data, size_t len)
{
    fl_msg *m = fl_msg_alloc(&e->msgs, len);
    if (!m)
        return NULL;
    m->id = ++e->next_msg_id;
    m->from = from->id;
    m->to = to;
    m->incarnation = from->incarnation;
    m->channel = ch;
    m->depart = from->busy_until > e->now ? from->busy_until : e->now;
    m->desc.done = false;
    if (len == sizeof(uint64_t))      /* a word: no call */
        memcpy(m->data, data, sizeof(uint64_t));
    else if (len)
        memcpy(m->data, data, len);
    return m;
}

/* fl_dist_sample_ns with its most common case (uniform) inline: the
 * same expression, the same value. */
static inline int64_t latency_ns(const fl_dist *d, fl_link_state *ls)
{
    if (d->kind != FL_DIST_UNIFORM)
        return fl_dist_sample_ns(d, ls->rng);
    /* a + (b - a) * (k * 2^-53) with k the draw's top 53 bits: k * 2^-53
     * is exact, so (b - a) times it is the exact product rounded once, as
     * is c * k with c = (b - a) * 2^-53 whenever c is exact (not
     * subnormal), checked by scaling it back: one multiply less on the
     * path from the draw to the queue. */
    double w = d->b - d->a, c = w * 0x1.0p-53;
    double k = (double)(fl_xoshiro_next(ls->rs->s) >> 11);
    double ms = d->a + (c * 0x1.0p53 == w ? c * k : w * (k * 0x1.0p-53));
    if (!(ms > 0.0))
        return 0;
    if (ms > 1e12)
        ms = 1e12;
    return fl_round_nonneg(ms * 1e6);
}

/* Queues the delivery of `m` `latency` ns after it departs. */
TRACE_INLINE void schedule_after(fl_engine *e, fl_msg *m, fl_link_state *ls, int64_t latency)
{
    fl_time at = m->depart + latency;
    if (e->scn->network.fifo) {
        if (at < ls->last_delivery)
            at = ls->last_delivery;
        ls->last_delivery = at;
    }
    fl_event ev = { .time = at, .type = FL_EV_DELIVER, .node = m->to, .ptr = m };
    if (fl_engine_push(e, &ev, FL_CLASS_NORMAL) < 0)
        drop(e, m, "no-memory", "out of memory");
}

static void schedule(fl_engine *e, fl_msg *m, fl_link_state *ls,
                     const fl_link_spec *spec)
{
    schedule_after(e, m, ls, latency_ns(&spec->latency, ls));
}

/* The common send, all of whose draws are the latency's: a run with no
 * message hooks and no event-triggered faults (nothing between the send
 * and the link's draws can change the link), an open link without loss or
 * duplication. Its latency is drawn before the send is hashed, so the
 * chain from the draw to the queue starts early; the draws and the
 * records are the ones fl_net_send makes in that case, in the same
 * order. false: not such a send, nothing done. */
static inline bool send_plain(fl_engine *e, fl_msg *m, fl_link_state *ls)
{
    if (e->nmsg_hooks || e->triggers || fl_link_blocked(ls))
        return false;
    fl_link_spec over;
    const fl_link_spec *spec = effective_spec(e, ls, &over);
    if (spec->drop > 0 || spec->duplicate > 0 || !link_rng(e, ls, m->from, m->to))
        return false;
    int64_t latency = latency_ns(&spec->latency, ls);
    e->stats.sent++;
    trace_msg(e, FL_TR_SEND, m, NULL, NULL);
    schedule_after(e, m, ls, latency);
    return true;
}

void fl_net_send(fl_engine *e, fl_node *from, fl_node_id to, fl_channel ch,
                 const void *data, size_t len)
{
    if ((size_t)to >= e->nnodes) {
        fl_engine_trace_simple(e, FL_TR_LOG, from->id, FL_NO_NODE, to, 0,
                               "send to a node that does not exist: ignored");
        return;
    }
    if (len > FL_MAX_MESSAGE || e->msgs.in_flight + len > FL_MAX_IN_FLIGHT) {
        bool big = len > FL_MAX_MESSAGE;
        fl_engine_trace_simple(e, FL_TR_LOG, from->id, to, (int64_t)len, 0, big
                               ? "message larger than 16 MiB: run stopped"
                               : "more than 256 MiB of messages under way: run stopped");
        fl_engine_fail(e, big ? "limit.message" : "limit.in_flight",
                       big ? "node %d sent a message of %zu bytes to node %d (at most "
                             "16 MiB per message)"
                           : "node %d sent a message of %zu bytes to node %d with %zu "
                             "bytes of messages already under way (at most 256 MiB)",
                       from->id, len, to, e->msgs.in_flight);
        return;
    }
    fl_msg *m = msg_new(e, from, to, ch, data, len);
    if (!m)
        return;
    fl_link_state *ls = &e->links[link_index(e, from->id, to)];
    if (send_plain(e, m, ls))
        return;
    e->stats.sent++;
    trace_msg(e, FL_TR_SEND, m, NULL, NULL);
    if (ch == FL_CH_ALG) {
        if (e->nmsg_hooks && fl_engine_msg_event(e, m, true, NULL, NULL) != 0)
            e->stopped = true;
        if (e->triggers)
            fl_fault_on_send(e, m);
    }
    if (fl_link_blocked(ls)) {
        drop(e, m, "partition", "partition");
        return;
    }
    fl_link_spec over;
    const fl_link_spec *spec = effective_spec(e, ls, &over);
    gsl_rng *r = link_rng(e, ls, from->id, to);
    /* Draw loss and duplication before latency so that changing a latency
     * setting does not change which messages are lost. */
    bool lost = spec->drop > 0 && fl_rng_uniform(r) < spec->drop;
    bool dup = spec->duplicate > 0 && fl_rng_uniform(r) < spec->duplicate;
    if (lost) {
        drop(e, m, "loss", "loss");
        return;
    }
    if (dup) {
        fl_msg *copy = msg_new(e, from, to, ch, data, len);
        if (copy) {
            copy->id = m->id;
            e->stats.duplicated++;
            trace_msg(e, FL_TR_DUPLICATE, copy, NULL, NULL);
            schedule(e, copy, ls, spec);
        }
    }
    schedule(e, m, ls, spec);
}

static bool sender_died_first(const fl_engine *e, const fl_msg *m)
{
    const fl_node *s = &e->nodes[m->from];
    if (m->incarnation >= s->incarnation_cap)
        return false;
    return s->incarnation_end[m->incarnation] < m->depart;
}

static void hand_over(fl_engine *e, fl_node *n, const fl_msg *m)
{
    fl_ctx *ctx = fl_engine_ctx(e, n);
    fl_engine_cause(e, n->id, FL_CAUSE_MESSAGE);
    switch (m->channel) {
    case FL_CH_ALG:
        if (n->role->on_message)
            n->role->on_message(ctx, n->state, m->from, m->data, m->len);
        break;
    case FL_CH_REQUEST:
        if (n->role->on_request && m->len == sizeof(fl_request)) {
            fl_request req;
            memcpy(&req, m->data, sizeof req);
            n->role->on_request(ctx, n->state, &req);
        }
        break;
    case FL_CH_REPLY:
        if (n->builtin_client && m->len == sizeof(fl_reply_msg)) {
            fl_reply_msg r;
            memcpy(&r, m->data, sizeof r);
            fl_client_on_reply(ctx, n->state, &r);
        }
        break;
    }
}

void fl_net_deliver(fl_engine *e, fl_event *ev)
{
    fl_msg *m = ev->ptr;
    fl_node *n = &e->nodes[m->to];
    if (sender_died_first(e, m)) {
        drop(e, m, "sender-crashed", "sender crashed before the message left");
        return;
    }
    if (!n->alive) {
        drop(e, m, "node-down", "node down");
        return;
    }
    if (fl_link_blocked(&e->links[link_index(e, m->from, m->to)])) {
        drop(e, m, "partition", "partition");
        return;
    }
    if (fl_node_busy(e, n) && fl_node_hold(e, n, ev))
        return;
    e->stats.delivered++;
    trace_msg(e, FL_TR_DELIVER, m, NULL, NULL);
    hand_over(e, n, m);
    if (m->channel == FL_CH_ALG)
        e->delivering = m;
    fl_engine_observe(e, n);
    e->delivering = NULL;
    fl_net_free_msg(m);
}

void fl_net_partition(fl_engine *e, const int *group_of)
{
    for (size_t a = 0; a < e->nnodes; a++)
        for (size_t b = 0; b < e->nnodes; b++)
            e->links[link_index(e, (fl_node_id)a, (fl_node_id)b)].split =
                a != b && group_of[a] != group_of[b];
}

void fl_net_heal(fl_engine *e)
{
    size_t n = e->nnodes * e->nnodes;
    for (size_t i = 0; i < n; i++) {
        e->links[i].split = false;
        e->links[i].cut = false;
        e->links[i].has_override = false;
    }
    apply_static_links(e);
}

void fl_net_link(fl_engine *e, fl_node_id from, fl_node_id to,
                 const fl_link_spec *spec)
{
    fl_link_state *ls = &e->links[link_index(e, from, to)];
    if (!ls->has_override) {
        memset(&ls->spec, 0, sizeof ls->spec);
        ls->has_override = true;
    }
    if (spec->has_latency) {
        ls->spec.has_latency = true;
        ls->spec.latency = spec->latency;
    }
    if (spec->has_drop) {
        ls->spec.has_drop = true;
        ls->spec.drop = spec->drop;
    }
    if (spec->has_duplicate) {
        ls->spec.has_duplicate = true;
        ls->spec.duplicate = spec->duplicate;
    }
}
