/* manual.c — manual delivery over the engine's own dispatch: the queue is
 * drained into a pool after every action; boots and resumes fire at once,
 * messages and timers wait to be picked. */
#include "sim/manual.h"

#include <stdlib.h>
#include <string.h>

#include "sim/engine_internal.h"
#include "sim/util/hash.h"
#include "sim/util/vec.h"

/* A pending event and what callers see of it, described once. */
typedef struct pool_entry {
    fl_event   ev;
    fl_pending p;
} pool_entry;

struct fl_manual {
    fl_engine  *e;
    pool_entry *pool;        /* messages and live timers, by (time, order) */
    size_t      npool, cap;
};

static const char *const timer_names[FL_TIMER_KIND_COUNT] = {
    "election", "heartbeat", "retry", "lease", "tick", "other"
};

const char *fl_manual_timer_kind_name(fl_timer_kind k)
{
    return (unsigned)k < FL_TIMER_KIND_COUNT ? timer_names[k] : "?";
}

static bool event_before(const fl_event *a, const fl_event *b)
{
    return a->time != b->time ? a->time < b->time : a->order < b->order;
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

/* false for a timer that was cancelled or died with its node. */
static bool describe(const fl_manual *m, const fl_event *ev, fl_pending *p)
{
    memset(p, 0, sizeof *p);
    p->at = ev->time;
    if (ev->type == FL_EV_DELIVER) {
        describe_message(m->e, ev->ptr, p);
        return true;
    }
    uint8_t kind;
    if (!fl_engine_timer_info(m->e, ev->u, &p->node, &kind))
        return false;
    p->kind = FL_PENDING_TIMER;
    p->id = ev->u;
    p->from = p->to = p->node;
    p->timer_kind = kind < FL_TIMER_KIND_COUNT ? (fl_timer_kind)kind : FL_TIMER_OTHER;
    p->what = timer_names[p->timer_kind];
    p->ok = -1;
    p->term = -1;
    return true;
}

static int pool_insert(fl_manual *m, const fl_event *ev)
{
    if (fl_vec_grow(&m->pool, &m->cap, m->npool + 1, sizeof *m->pool, 64) < 0)
        return -1;
    size_t lo = 0, hi = m->npool;          /* first entry after ev */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (event_before(ev, &m->pool[mid].ev))
            hi = mid;
        else
            lo = mid + 1;
    }
    memmove(&m->pool[lo + 1], &m->pool[lo], (m->npool - lo) * sizeof m->pool[0]);
    m->pool[lo].ev = *ev;
    if (!describe(m, ev, &m->pool[lo].p)) {
        memmove(&m->pool[lo], &m->pool[lo + 1], (m->npool - lo) * sizeof m->pool[0]);
        return 0;                          /* a dead timer: nothing to wait for */
    }
    m->npool++;
    return 0;
}

static void pool_remove(fl_manual *m, size_t i)
{
    memmove(&m->pool[i], &m->pool[i + 1], (m->npool - i - 1) * sizeof m->pool[0]);
    m->npool--;
}

/* Forgets timers cancelled since they were pooled. */
static void forget_dead_timers(fl_manual *m)
{
    size_t k = 0;
    for (size_t i = 0; i < m->npool; i++) {
        const pool_entry *pe = &m->pool[i];
        fl_node_id node;
        uint8_t kind;
        if (pe->ev.type == FL_EV_TIMER && !fl_engine_timer_info(m->e, pe->ev.u, &node, &kind))
            continue;
        m->pool[k++] = *pe;
    }
    m->npool = k;
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
            if (pool_insert(m, &ev) < 0) {
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
    forget_dead_timers(m);
    return rc;
}

fl_manual *fl_manual_new(fl_engine *e)
{
    fl_manual *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->e = e;
    e->manual = true;
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
        if (m->pool[i].ev.type == FL_EV_DELIVER)
            fl_net_free_msg(m->pool[i].ev.ptr);
    free(m->pool);
    free(m);
}

size_t fl_manual_count(const fl_manual *m)
{
    return m->npool;
}

const fl_pending *fl_manual_at(const fl_manual *m, size_t i)
{
    return i < m->npool ? &m->pool[i].p : NULL;
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
    if (i >= m->npool || m->e->stopped)
        return -1;
    fl_event ev = m->pool[i].ev;
    pool_remove(m, i);
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
    if (i >= m->npool || m->pool[i].p.kind != FL_PENDING_MESSAGE)
        return -1;
    fl_msg *msg = m->pool[i].ev.ptr;
    pool_remove(m, i);
    fl_net_drop(m->e, msg, "dropped by hand");
    return drain(m);
}

int fl_manual_duplicate(fl_manual *m, size_t i)
{
    if (i >= m->npool || m->pool[i].p.kind != FL_PENDING_MESSAGE)
        return -1;
    fl_event ev = m->pool[i].ev;
    const fl_msg *msg = ev.ptr;
    fl_msg *copy = fl_msg_copy(msg);     /* freed like any message */
    if (!copy)
        return -1;
    ev.ptr = copy;
    m->e->stats.duplicated++;
    if (fl_engine_push(m->e, &ev, FL_CLASS_NORMAL) < 0) {
        fl_net_free_msg(copy);
        return -1;
    }
    return drain(m);
}

static long find_pending(const fl_manual *m, const fl_step *st)
{
    fl_pending_kind want = st->kind == FL_STEP_TIMER ? FL_PENDING_TIMER : FL_PENDING_MESSAGE;
    for (size_t i = 0; i < m->npool; i++)
        if (m->pool[i].p.kind == want && m->pool[i].p.id == st->id)
            return (long)i;
    return -1;
}

int fl_manual_apply(fl_manual *m, const fl_step *st)
{
    long i = st->kind <= FL_STEP_DUP ? find_pending(m, st) : 0;
    if (i < 0)
        return -1;
    switch ((fl_step_kind)st->kind) {
    case FL_STEP_DELIVER:
    case FL_STEP_TIMER:
        return fl_manual_fire(m, (size_t)i, NULL) < 0 && !m->e->stopped ? -1 : 0;
    case FL_STEP_DROP:
        return fl_manual_drop(m, (size_t)i);
    case FL_STEP_DUP:
        return fl_manual_duplicate(m, (size_t)i);
    case FL_STEP_CRASH:
        fl_manual_crash(m, st->node, st->torn);
        return 0;
    case FL_STEP_RESTART:
        fl_manual_restart(m, st->node);
        return 0;
    case FL_STEP_KIND_COUNT:
        break;
    }
    return -1;
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

static uint64_t view_hash(uint64_t h, const fl_view *v)
{
    int64_t f[] = { v->kind, v->term, v->leader, v->voted_for, v->log_first,
                    v->log_last, v->commit, v->applied };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        h = fl_hash_u64(h, (uint64_t)f[i]);
    if (v->label)
        h = fl_hash_bytes(h, v->label, strlen(v->label));
    for (size_t i = 0; i < v->nscalars; i++)
        h = fl_hash_u64(h, (uint64_t)v->scalars[i].value);
    return h;
}

static uint64_t node_hash(const fl_engine *e, const fl_node *n)
{
    uint64_t h = fl_hash_u64(0x6e6f6465u, (uint64_t)n->id);
    h = fl_hash_u64(h, n->alive);
    h = fl_hash_u64(h, fl_disk_hash(n->disk));
    if (!n->alive || !n->has_view)
        return h;
    h = view_hash(h, &n->view);
    for (int64_t i = n->view.log_first >= 0 ? n->view.log_first : 0;
         i <= n->view.log_last; i++) {
        fl_view_entry en;
        if (fl_engine_node_entry(e, n->id, i, &en))
            h = fl_hash_u64(fl_hash_u64(h, en.chain), (uint64_t)en.term * 2 + en.committed);
    }
    return h;
}

uint64_t fl_manual_state_hash(const fl_manual *m)
{
    const fl_engine *e = m->e;
    uint64_t h = 0x73746174u;
    for (size_t i = 0; i < e->nnodes; i++)
        h = fl_hash_u64(h, node_hash(e, &e->nodes[i]));
    uint64_t msgs = 0, timers = 0;
    for (size_t i = 0; i < m->npool; i++) {
        const fl_event *ev = &m->pool[i].ev;
        if (ev->type == FL_EV_DELIVER) {
            const fl_msg *msg = ev->ptr;
            uint64_t x = fl_hash_u64((uint64_t)msg->from << 32 | (uint32_t)msg->to, msg->channel);
            msgs += fl_hash_bytes(x, msg->data, msg->len);
        } else {
            const fl_pending *p = &m->pool[i].p;
            timers += fl_hash_u64((uint64_t)p->node, (uint64_t)p->timer_kind + 1);
        }
    }
    return fl_hash_u64(fl_hash_u64(h, msgs), timers);
}
