/* model_msg.c — messages: each send with its delivery or drop, the
 * message kinds and their colour slots, and the queries a frame asks
 * (messages on screen at an instant, messages overlapping a span) through
 * the time index of ended messages (msgindex.c) and the list of those
 * still flying. */
#include "viz/model_internal.h"
#include "viz/theme.h"

#include <string.h>

/* ---- Messages ------------------------------------------------------------------ */

static void assign_slot(viz_model *m, size_t k);

static uint16_t kind_index(viz_model *m, const char *kind)
{
    if (!kind)
        kind = "message";
    for (size_t i = 0; i < m->nkinds; i++)
        if (strcmp(m->kinds[i], kind) == 0)
            return (uint16_t)i;
    const char *k = viz_intern(m, kind);
    if (!k || m->nkinds >= UINT16_MAX ||
        viz_grow(&m->kinds, &m->kinds_cap, m->nkinds + 1, sizeof *m->kinds) < 0)
        return 0;
    m->kinds[m->nkinds] = k;
    assign_slot(m, m->nkinds);
    return (uint16_t)m->nkinds++;
}

static int ulist_push(viz_ulist *l, uint32_t v)
{
    if (viz_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v) < 0)
        return -1;
    l->v[l->n++] = v;
    return 0;
}

int viz_msg_new(viz_model *m, const viz_event *ev, const viz_msg_fields *f,
                   bool dup, uint32_t *out)
{
    if (viz_grow(&m->msgs, &m->msgs_cap, m->nmsgs + 1, sizeof *m->msgs) < 0)
        return -1;
    uint32_t idx = (uint32_t)m->nmsgs;
    viz_msg *g = &m->msgs[idx];
    memset(g, 0, sizeof *g);
    g->t0 = g->t1 = ev->t;
    g->ev0 = (uint32_t)m->nev;
    g->ev1 = VIZ_NONE;
    g->from = ev->node;
    g->to = ev->peer;
    g->kind = kind_index(m, f ? f->kind : NULL);
    g->reply = f && f->reply;
    g->ok = f ? (int8_t)f->ok : -1;
    g->term = f ? f->term : -1;
    g->end = VIZ_MSG_FLYING;
    g->dup = dup;
    g->why = VIZ_DROP_UNKNOWN;
    g->next_same = VIZ_NONE;
    g->id = ev->id;
    m->nmsgs++;
    uint64_t head;
    if (ev->id && fl_idmap_get(&m->flying_by_id, ev->id, &head)) {
        while (m->msgs[head].next_same != VIZ_NONE)
            head = m->msgs[head].next_same;
        m->msgs[head].next_same = idx;
    } else if (ev->id && fl_idmap_put(&m->flying_by_id, ev->id, idx) < 0) {
        return -1;
    }
    if (ulist_push(&m->flying, idx) < 0)
        return -1;
    *out = idx;
    return 0;
}

static int bucket_add(viz_model *m, uint32_t idx)
{
    const viz_msg *g = &m->msgs[idx];
    fl_time until = g->t1 + (g->end == VIZ_MSG_DROPPED ? VIZ_DROP_LINGER : 0);
    return viz_msgindex_add(&m->ended, idx, g->t0, until);
}

static void flying_compact(viz_model *m)
{
    if (m->flying_done * 2 < m->flying.n || m->flying.n < 64)
        return;
    size_t k = 0;
    for (size_t i = 0; i < m->flying.n; i++)
        if (m->msgs[m->flying.v[i]].end == VIZ_MSG_FLYING)
            m->flying.v[k++] = m->flying.v[i];
    m->flying.n = k;
    m->flying_done = 0;
}

/* Ends the first flying message with this id; VIZ_NONE if there is none. */
uint32_t viz_msg_finish(viz_model *m, const viz_event *ev, viz_msg_end how,
                        viz_drop_reason why)
{
    uint64_t found;
    if (!ev->id || !fl_idmap_get(&m->flying_by_id, ev->id, &found))
        return VIZ_NONE;
    uint32_t idx = (uint32_t)found;
    viz_msg *g = &m->msgs[idx];
    if (g->next_same != VIZ_NONE)
        *fl_idmap_slot(&m->flying_by_id, ev->id, false) = g->next_same;
    else
        fl_idmap_del(&m->flying_by_id, ev->id);
    g->next_same = VIZ_NONE;
    g->end = (uint8_t)how;
    g->t1 = ev->t;
    g->ev1 = (uint32_t)m->nev;
    g->why = (uint8_t)why;
    m->flying_done++;
    flying_compact(m);
    if (bucket_add(m, idx) < 0)
        return VIZ_NONE;
    return idx;
}

size_t viz_model_msg_count(const viz_model *m) { return m->nmsgs; }
const viz_msg *viz_model_msg(const viz_model *m, uint32_t i)
{
    return i < m->nmsgs ? &m->msgs[i] : NULL;
}
const char *viz_model_kind_name(const viz_model *m, uint16_t kind)
{
    return kind < m->nkinds ? m->kinds[kind] : "?";
}
size_t viz_model_kind_count(const viz_model *m) { return m->nkinds; }

/* The kind a reply answers ("RequestVoteReply" -> "RequestVote"), among
 * the first `n` kinds; -1 if it is no reply or the request is unknown. */
static int reply_base(const viz_model *m, size_t k, size_t n)
{
    const char *name = m->kinds[k];
    size_t len = strlen(name), cut = 0;
    if (len > 5 && strcmp(name + len - 5, "Reply") == 0)
        cut = 5;
    else if (len > 8 && strcmp(name + len - 8, "Response") == 0)
        cut = 8;
    if (!cut)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *o = m->kinds[i];
        size_t ol = strlen(o);
        if (i == k || strncmp(o, name, len - cut) != 0)
            continue;
        if (ol == len - cut || strcmp(o + len - cut, "Request") == 0)
            return (int)i;                   /* "X" or "XRequest" for "XReply" */
    }
    return -1;
}

/* Picks kind k's colour slot when it is first seen. */
static void assign_slot(viz_model *m, size_t k)
{
    if (k >= 256)
        return;
    int base = reply_base(m, k, k);
    if (base >= 0) {                         /* a reply wears its request's colour */
        m->kind_slot[k] = m->kind_slot[base];
        return;
    }
    unsigned want = viz_kind_preferred(m->kinds[k]);
    if (want >= VIZ_KIND_COLORS || (m->slots_used >> want) & 1u) {
        want = 0;
        while (want < VIZ_KIND_COLORS && ((m->slots_used >> want) & 1u))
            want++;
        if (want == VIZ_KIND_COLORS)         /* more kinds than colours */
            want = (unsigned)(k % VIZ_KIND_COLORS);
    }
    m->slots_used |= (uint16_t)(1u << want);
    m->kind_slot[k] = (uint8_t)want;
}

unsigned viz_model_kind_slot(const viz_model *m, uint16_t kind)
{
    return kind < m->nkinds && kind < 256 ? m->kind_slot[kind] : kind % VIZ_KIND_COLORS;
}

static bool msg_visible(const viz_msg *g, fl_time t, size_t idx)
{
    if (g->ev0 >= idx)
        return false;                      /* not sent yet */
    if (g->end == VIZ_MSG_FLYING || g->ev1 >= idx)
        return true;
    return g->end == VIZ_MSG_DROPPED && t < g->t1 + VIZ_DROP_LINGER;
}

typedef struct msgs_at_query {
    const viz_model *m;
    fl_time t;
    size_t idx;
    void (*fn)(void *arg, const viz_msg *msg);
    void *arg;
} msgs_at_query;

static bool msg_at(void *arg, uint32_t k)
{
    msgs_at_query *q = arg;
    const viz_msg *g = &q->m->msgs[k];
    if (msg_visible(g, q->t, q->idx))
        q->fn(q->arg, g);
    return true;
}

void viz_model_msgs_at(const viz_model *m, fl_time t, size_t idx,
                       void (*fn)(void *arg, const viz_msg *msg), void *arg)
{
    msgs_at_query q = { m, t, idx, fn, arg };
    viz_msgindex_each(&m->ended, t, t, msg_at, &q);
    for (size_t i = 0; i < m->flying.n; i++) {
        const viz_msg *g = &m->msgs[m->flying.v[i]];
        if (g->end == VIZ_MSG_FLYING && msg_visible(g, t, idx))
            fn(arg, g);
    }
}

typedef struct msgs_between_query {
    const viz_model *m;
    fl_time from, to;
    bool (*fn)(void *arg, uint32_t i, const viz_msg *msg);
    void *arg;
    bool stopped;
} msgs_between_query;

static bool msg_between(void *arg, uint32_t k)
{
    msgs_between_query *q = arg;
    const viz_msg *g = &q->m->msgs[k];
    if (g->t0 > q->to || g->t1 < q->from)
        return true;
    q->stopped = !q->fn(q->arg, k, g);
    return !q->stopped;
}

void viz_model_msgs_between(const viz_model *m, fl_time from, fl_time to,
                            bool (*fn)(void *arg, uint32_t i, const viz_msg *msg),
                            void *arg)
{
    msgs_between_query q = { m, from, to, fn, arg, false };
    viz_msgindex_each(&m->ended, from, to, msg_between, &q);
    if (q.stopped)
        return;
    for (size_t i = 0; i < m->flying.n; i++) {
        uint32_t k = m->flying.v[i];
        const viz_msg *g = &m->msgs[k];
        if (g->end == VIZ_MSG_FLYING && g->t0 <= to && !fn(arg, k, g))
            return;
    }
}

/* ---- Drop reasons ------------------------------------------------------------ */

static const char *const drop_codes[] = { "?", "partition", "loss", "node-down",
                                          "sender-crashed", "no-memory", "manual" };

const char *viz_drop_reason_code(viz_drop_reason r)
{
    return (unsigned)r < sizeof drop_codes / sizeof *drop_codes ? drop_codes[r] : "?";
}

viz_drop_reason viz_drop_reason_parse(const char *code)
{
    for (size_t i = 1; code && i < sizeof drop_codes / sizeof *drop_codes; i++)
        if (strcmp(code, drop_codes[i]) == 0)
            return (viz_drop_reason)i;
    return VIZ_DROP_UNKNOWN;
}
