/* manual.c — manual delivery over the engine's own dispatch: the queue is
 * drained into a pool after every action; boots and resumes fire at once,
 * messages and timers wait to be picked. */
#include "sim/manual.h"

#include <stdlib.h>
#include <string.h>

#include "sim/engine_internal.h"

struct fl_manual {
    fl_engine  *e;
    fl_event   *pool;        /* messages and timers, by (time, order) */
    size_t      npool, cap;
    fl_pending *view;        /* what callers see: pool minus dead timers */
    size_t      nview;
    size_t     *view_slot;   /* view index -> pool index */
};

static const char *const timer_names[FL_TIMER_KIND_COUNT] = {
    "election", "heartbeat", "retry", "lease", "tick", "other"
};

static int event_cmp(const void *pa, const void *pb)
{
    const fl_event *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int pool_add(fl_manual *m, const fl_event *ev)
{
    if (m->npool == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        fl_event *p = realloc(m->pool, cap * sizeof *p);
        fl_pending *v = realloc(m->view, cap * sizeof *v);
        if (v)
            m->view = v;
        size_t *s = v ? realloc(m->view_slot, cap * sizeof *s) : NULL;
        if (s)
            m->view_slot = s;
        if (p)
            m->pool = p;
        if (!p || !v || !s)
            return -1;
        m->cap = cap;
    }
    m->pool[m->npool++] = *ev;
    return 0;
}

static void pool_remove(fl_manual *m, size_t i)
{
    memmove(&m->pool[i], &m->pool[i + 1], (m->npool - i - 1) * sizeof m->pool[0]);
    m->npool--;
}

static void describe_message(const fl_engine *e, const fl_msg *msg, fl_pending *p)
{
    p->kind = FL_PENDING_MESSAGE;
    p->id = msg->id;
    p->from = msg->from;
    p->to = msg->to;
    p->node = msg->to;
    p->ok = -1;
    p->term = -1;
    p->is_reply = msg->channel == FL_CH_REPLY;
    p->client = msg->channel != FL_CH_ALG;
    p->what = msg->channel == FL_CH_REQUEST ? "Request" : "Reply";
    if (msg->channel == FL_CH_REQUEST && msg->len == sizeof p->request)
        memcpy(&p->request, msg->data, sizeof p->request);
    if (msg->channel == FL_CH_REPLY && msg->len == sizeof(fl_reply_msg)) {
        fl_reply_msg r;
        memcpy(&r, msg->data, sizeof r);
        p->status = r.status;
        p->value = r.value;
        p->hint = r.hint;
    }
    if (msg->channel == FL_CH_ALG) {
        fl_msg_info info = { .kind = "message", .is_reply = false, .ok = -1, .term = -1 };
        if (e->alg->describe)
            e->alg->describe(msg->data, msg->len, &info);
        p->what = info.kind ? info.kind : "message";
        p->is_reply = info.is_reply;
        p->ok = info.ok;
        p->term = info.term;
    }
}

/* Rebuilds the caller's list; forgets timers that were cancelled or died. */
static void refresh(fl_manual *m)
{
    m->nview = 0;
    for (size_t i = 0; i < m->npool;) {
        fl_event *ev = &m->pool[i];
        fl_pending *p = &m->view[m->nview];
        memset(p, 0, sizeof *p);
        p->at = ev->time;
        if (ev->type == FL_EV_DELIVER) {
            describe_message(m->e, ev->ptr, p);
        } else {
            uint8_t kind;
            if (!fl_engine_timer_info(m->e, ev->u, &p->node, &kind)) {
                pool_remove(m, i);
                continue;
            }
            p->kind = FL_PENDING_TIMER;
            p->id = ev->u;
            p->from = p->to = p->node;
            p->what = kind < FL_TIMER_KIND_COUNT ? timer_names[kind] : "other";
            p->ok = -1;
            p->term = -1;
        }
        m->view_slot[m->nview++] = i++;
    }
}

/* Moves what the engine queued into the pool, firing boots and resumes. */
static int drain(fl_manual *m)
{
    fl_event ev;
    int rc = 0;
    while (fl_queue_pop(&m->e->queue, &ev)) {
        switch ((fl_event_type)ev.type) {
        case FL_EV_DELIVER:
        case FL_EV_TIMER:
            if (pool_add(m, &ev) < 0) {
                if (ev.type == FL_EV_DELIVER)
                    fl_net_free_msg(ev.ptr);
                rc = -1;
            }
            break;
        case FL_EV_END:
        case FL_EV_FAULT:
        case FL_EV_NEMESIS:
            break;              /* a manual run has no end and no schedule */
        default:
            fl_engine_fire(m->e, &ev);
            break;
        }
    }
    qsort(m->pool, m->npool, sizeof m->pool[0], event_cmp);
    refresh(m);
    return rc;
}

fl_manual *fl_manual_new(fl_engine *e)
{
    fl_manual *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->e = e;
    if (drain(m) < 0) {
        fl_manual_free(m);
        return NULL;
    }
    return m;
}

void fl_manual_free(fl_manual *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->npool; i++)
        if (m->pool[i].type == FL_EV_DELIVER)
            fl_net_free_msg(m->pool[i].ptr);
    free(m->pool);
    free(m->view);
    free(m->view_slot);
    free(m);
}

size_t fl_manual_count(const fl_manual *m)
{
    return m->nview;
}

const fl_pending *fl_manual_at(const fl_manual *m, size_t i)
{
    return i < m->nview ? &m->view[i] : NULL;
}

static const char *delivery_obstacle(const fl_engine *e, const fl_msg *msg)
{
    if (!e->nodes[msg->to].alive)
        return "node down";
    if (fl_link_blocked(&e->links[(size_t)msg->from * e->nnodes + (size_t)msg->to]))
        return "partition";
    return NULL;
}

int fl_manual_fire(fl_manual *m, size_t i, const char **why)
{
    if (why)
        *why = NULL;
    if (i >= m->nview || m->e->stopped)
        return -1;
    size_t slot = m->view_slot[i];
    fl_event ev = m->pool[slot];
    pool_remove(m, slot);
    uint64_t delivered = m->e->stats.delivered;
    const char *obstacle = ev.type == FL_EV_DELIVER ? delivery_obstacle(m->e, ev.ptr) : NULL;
    fl_engine_fire(m->e, &ev);
    int rc = ev.type == FL_EV_DELIVER && m->e->stats.delivered == delivered ? 0 : 1;
    if (rc == 0 && why)
        *why = obstacle ? obstacle : "sender crashed before the message left";
    if (drain(m) < 0 || m->e->stopped)
        return -1;
    return rc;
}

int fl_manual_drop(fl_manual *m, size_t i)
{
    if (i >= m->nview || m->view[i].kind != FL_PENDING_MESSAGE)
        return -1;
    size_t slot = m->view_slot[i];
    fl_msg *msg = m->pool[slot].ptr;
    pool_remove(m, slot);
    fl_net_drop(m->e, msg, "dropped by hand");
    return drain(m);
}

int fl_manual_duplicate(fl_manual *m, size_t i)
{
    if (i >= m->nview || m->view[i].kind != FL_PENDING_MESSAGE)
        return -1;
    fl_event ev = m->pool[m->view_slot[i]];
    const fl_msg *msg = ev.ptr;
    fl_msg *copy = malloc(sizeof *copy + msg->len);
    if (!copy)
        return -1;
    memcpy(copy, msg, sizeof *copy + msg->len);
    ev.ptr = copy;
    m->e->stats.duplicated++;
    if (fl_engine_push(m->e, &ev, FL_CLASS_NORMAL) < 0) {
        free(copy);
        return -1;
    }
    return drain(m);
}

void fl_manual_crash(fl_manual *m, fl_node_id node, bool torn)
{
    if ((size_t)node < m->e->nnodes && m->e->nodes[node].alive)
        fl_node_crash(m->e, &m->e->nodes[node], torn);
    (void)drain(m);
}

void fl_manual_restart(fl_manual *m, fl_node_id node)
{
    if ((size_t)node < m->e->nnodes && !m->e->nodes[node].alive)
        fl_node_restart(m->e, &m->e->nodes[node]);
    (void)drain(m);
}

void fl_manual_partition(fl_manual *m, const int *group_of)
{
    fl_net_partition(m->e, group_of);
    (void)drain(m);
}

void fl_manual_heal(fl_manual *m)
{
    fl_net_heal(m->e);
    (void)drain(m);
}

void fl_manual_request(fl_manual *m, fl_node_id client, fl_node_id server,
                       const fl_request *req)
{
    if ((size_t)client >= m->e->nnodes)
        return;
    fl_net_send(m->e, &m->e->nodes[client], server, FL_CH_REQUEST, req, sizeof *req);
    (void)drain(m);
}
