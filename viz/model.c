/* model.c — the recorded stream: events, views, messages, client ops,
 * timeline marks and keyframes of node and link state (see model.h).
 * Log entries and election timers are in model_log.c. */
#include "viz/model_internal.h"
#include "viz/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Strings --------------------------------------------------------------- */

static uint64_t str_hash(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
    return h;
}

static int intern_grow(viz_model *m)
{
    size_t cap = m->intern_cap ? m->intern_cap * 2 : 64;
    char **t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < m->intern_cap; i++) {
        if (!m->intern[i])
            continue;
        size_t s = str_hash(m->intern[i]) & (cap - 1);
        while (t[s])
            s = (s + 1) & (cap - 1);
        t[s] = m->intern[i];
    }
    free(m->intern);
    m->intern = t;
    m->intern_cap = cap;
    return 0;
}

const char *viz_intern(viz_model *m, const char *s)
{
    if (!s)
        return NULL;
    if ((m->intern_len + 1) * 2 >= m->intern_cap && intern_grow(m) < 0)
        return NULL;
    size_t i = str_hash(s) & (m->intern_cap - 1);
    for (; m->intern[i]; i = (i + 1) & (m->intern_cap - 1))
        if (strcmp(m->intern[i], s) == 0)
            return m->intern[i];
    m->intern[i] = strdup(s);
    if (!m->intern[i])
        return NULL;
    m->intern_len++;
    return m->intern[i];
}

static uint32_t text_add(viz_model *m, const char *s)
{
    if (!s)
        return VIZ_NONE;
    size_t len = strlen(s) + 1;
    if (m->ntext + len >= VIZ_NONE ||
        viz_grow(&m->text, &m->text_cap, m->ntext + len, 1) < 0)
        return VIZ_NONE;
    memcpy(m->text + m->ntext, s, len);
    uint32_t off = (uint32_t)m->ntext;
    m->ntext += len;
    return off;
}

const char *viz_model_text(const viz_model *m, uint32_t off)
{
    return off == VIZ_NONE || off >= m->ntext ? NULL : m->text + off;
}

/* ---- Life cycle --------------------------------------------------------------- */

static int push_keyframe(viz_model *m)
{
    size_t n = m->nnodes;
    if (viz_grow(&m->key_nodes, &m->key_nodes_cap, (m->nkeys + 1) * n,
                 sizeof *m->key_nodes) < 0 ||
        viz_grow(&m->key_links, &m->key_links_cap, (m->nkeys + 1) * n * n, 1) < 0)
        return -1;
    memcpy(m->key_nodes + m->nkeys * n, m->head->nodes, n * sizeof *m->key_nodes);
    memcpy(m->key_links + m->nkeys * n * n, m->head->links, n * n);
    m->nkeys++;
    return 0;
}

viz_model *viz_model_new(size_t nnodes, const char *const *roles,
                         const char *algorithm, const char *scenario,
                         uint64_t seed)
{
    viz_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->nnodes = nnodes;
    m->seed = seed;
    m->end = -1;
    m->timeout_cfg = -1;
    m->nodes = calloc(nnodes ? nnodes : 1, sizeof *m->nodes);
    m->algorithm = strdup(algorithm ? algorithm : "?");
    m->scenario = strdup(scenario ? scenario : "?");
    if (!m->nodes || !m->algorithm || !m->scenario)
        goto fail;
    for (size_t i = 0; i < nnodes; i++) {
        m->nodes[i].role = strdup(roles[i] ? roles[i] : "?");
        if (!m->nodes[i].role)
            goto fail;
        m->nodes[i].primary = strcmp(m->nodes[i].role, m->nodes[0].role) == 0;
    }
    m->head = viz_state_new(m);
    if (!m->head || push_keyframe(m) < 0)
        goto fail;
    return m;
fail:
    viz_model_free(m);
    return NULL;
}

void viz_model_free(viz_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; m->nodes && i < m->nnodes; i++) {
        free(m->nodes[i].role);
        viz_log_free(&m->nodes[i]);
    }
    for (size_t i = 0; i < m->intern_cap; i++)
        free(m->intern[i]);
    viz_msgindex_destroy(&m->ended);
    free(m->intern);
    free(m->nodes);
    free(m->algorithm);
    free(m->scenario);
    free(m->ev);
    free(m->text);
    free(m->views);
    free(m->ints);
    free(m->scal);
    free(m->groups);
    free(m->kinds);
    free(m->msgs);
    viz_idmap_free(&m->flying_by_id);
    free(m->flying.v);
    free(m->ops);
    viz_idmap_free(&m->op_by_id);
    free(m->marks);
    free(m->plans);
    viz_state_free(m->head);
    free(m->key_nodes);
    free(m->key_links);
    free(m->intervals);
    free(m);
}

/* ---- Views ------------------------------------------------------------------- */

static uint32_t ints_add(viz_model *m, const int64_t *src, size_t n)
{
    if (!src)
        return VIZ_NONE;
    size_t need = m->nints + m->nnodes;
    if (need >= VIZ_NONE || viz_grow(&m->ints, &m->ints_cap, need, sizeof *m->ints) < 0)
        return VIZ_NONE;
    for (size_t i = 0; i < m->nnodes; i++)
        m->ints[m->nints + i] = i < n ? src[i] : -1;
    uint32_t off = (uint32_t)m->nints;
    m->nints = need;
    return off;
}

static int view_add(viz_model *m, const viz_view_in *in, uint32_t *out)
{
    if (viz_grow(&m->views, &m->views_cap, m->nviews + 1, sizeof *m->views) < 0 ||
        viz_grow(&m->scal, &m->scal_cap, m->nscal + in->nscalars, sizeof *m->scal) < 0)
        return -1;
    viz_view *v = &m->views[m->nviews];
    v->kind = in->kind;
    v->label = viz_intern(m, in->label);
    v->term = in->term;
    v->leader = in->leader;
    v->voted_for = in->voted_for;
    v->log_first = in->log_first;
    v->log_last = in->log_last;
    v->commit = in->commit;
    v->applied = in->applied;
    v->match = ints_add(m, in->match, in->npeers);
    v->next = ints_add(m, in->next, in->npeers);
    v->votes = ints_add(m, in->votes, in->npeers);
    v->scalars = (uint32_t)m->nscal;
    v->nscalars = 0;
    for (size_t i = 0; i < in->nscalars && i < FL_VIEW_MAX_SCALARS; i++) {
        m->scal[m->nscal].name = viz_intern(m, in->scalar_names[i]);
        m->scal[m->nscal].value = in->scalar_values[i];
        m->nscal++;
        v->nscalars++;
    }
    *out = (uint32_t)m->nviews++;
    return 0;
}

const viz_view *viz_model_view(const viz_model *m, uint32_t i)
{
    return i < m->nviews ? &m->views[i] : NULL;
}

const int64_t *viz_model_ints(const viz_model *m, uint32_t off)
{
    return off == VIZ_NONE || off >= m->nints ? NULL : m->ints + off;
}

const viz_scalar *viz_model_scalars(const viz_model *m, const viz_view *v)
{
    return m->scal + v->scalars;
}

bool viz_view_scalar(const viz_model *m, const viz_view *v, const char *name,
                     int64_t *out)
{
    const viz_scalar *s = viz_model_scalars(m, v);
    for (size_t i = 0; i < v->nscalars; i++)
        if (s[i].name && strcmp(s[i].name, name) == 0) {
            *out = s[i].value;
            return true;
        }
    return false;
}

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

static int msg_new(viz_model *m, const viz_event *ev, const viz_msg_fields *f,
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
    uint32_t head;
    if (ev->id && viz_idmap_get(&m->flying_by_id, ev->id, &head)) {
        while (m->msgs[head].next_same != VIZ_NONE)
            head = m->msgs[head].next_same;
        m->msgs[head].next_same = idx;
    } else if (ev->id && viz_idmap_put(&m->flying_by_id, ev->id, idx) < 0) {
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
static uint32_t msg_end(viz_model *m, const viz_event *ev, viz_msg_end how,
                        viz_drop_reason why)
{
    uint32_t idx;
    if (!ev->id || !viz_idmap_get(&m->flying_by_id, ev->id, &idx))
        return VIZ_NONE;
    viz_msg *g = &m->msgs[idx];
    if (g->next_same != VIZ_NONE)
        viz_idmap_put(&m->flying_by_id, ev->id, g->next_same);
    else
        viz_idmap_del(&m->flying_by_id, ev->id);
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

size_t viz_model_marks_from(const viz_model *m, fl_time t)
{
    size_t lo = 0, hi = m->nmarks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->marks[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- Client operations ------------------------------------------------------------ */

static int op_event(viz_model *m, const viz_event *ev, uint32_t *aux)
{
    if (ev->type == FL_TR_INVOKE) {
        if (viz_grow(&m->ops, &m->ops_cap, m->nops + 1, sizeof *m->ops) < 0 ||
            viz_idmap_put(&m->op_by_id, ev->id ? ev->id : UINT64_MAX,
                          (uint32_t)m->nops) < 0)
            return -1;
        viz_op *o = &m->ops[m->nops];
        o->id = ev->id;
        o->client = ev->node;
        o->kind = (unsigned)ev->a < FL_OP_KIND_COUNT ? (fl_op_kind)ev->a : FL_OP_READ;
        o->arg = ev->b;
        o->t0 = ev->t;
        o->t1 = -1;
        o->outcome = -1;
        o->value = 0;
        *aux = (uint32_t)m->nops++;
        return 0;
    }
    uint32_t i;
    if (!viz_idmap_get(&m->op_by_id, ev->id ? ev->id : UINT64_MAX, &i))
        return 0;
    m->ops[i].t1 = ev->t;
    m->ops[i].outcome = (int)ev->a;
    m->ops[i].value = ev->b;
    *aux = i;
    return 0;
}

size_t viz_model_op_count(const viz_model *m) { return m->nops; }
const viz_op *viz_model_op(const viz_model *m, size_t i)
{
    return i < m->nops ? &m->ops[i] : NULL;
}

size_t viz_model_ops_until(const viz_model *m, fl_time t)
{
    size_t lo = 0, hi = m->nops;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->ops[mid].t0 <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- Marks ------------------------------------------------------------------------- */

static int mark_add(viz_model *m, viz_mark_kind kind, const viz_event *ev,
                    int64_t term)
{
    if (viz_grow(&m->marks, &m->marks_cap, m->nmarks + 1, sizeof *m->marks) < 0)
        return -1;
    m->marks[m->nmarks++] = (viz_mark){ .t = ev->t, .kind = kind, .type = ev->type,
                                        .node = ev->node, .term = term,
                                        .ev = (uint32_t)m->nev };
    return 0;
}

static bool is_fault(fl_trace_type t)
{
    switch (t) {
    case FL_TR_CRASH: case FL_TR_RESTART: case FL_TR_PAUSE: case FL_TR_RESUME:
    case FL_TR_PARTITION: case FL_TR_HEAL: case FL_TR_LINK: case FL_TR_CLOCK:
    case FL_TR_SKIP:
        return true;
    default:
        return false;
    }
}

void viz_model_add_violation(viz_model *m, fl_time t, fl_node_id node)
{
    viz_event ev = { .t = t, .type = FL_TR_LOG, .node = node };
    (void)mark_add(m, VIZ_MARK_VIOLATION, &ev, -1);
}

int viz_model_plan(viz_model *m, fl_time t, fl_trace_type type)
{
    if (viz_grow(&m->plans, &m->plans_cap, m->nplans + 1, sizeof *m->plans) < 0)
        return -1;
    m->plans[m->nplans++] = (viz_mark){ .t = t, .kind = VIZ_MARK_FAULT, .type = type,
                                        .node = FL_NO_NODE, .term = -1, .ev = VIZ_NONE };
    return 0;
}

size_t viz_model_plan_count(const viz_model *m) { return m->nplans; }
const viz_mark *viz_model_planned(const viz_model *m, size_t i)
{
    return i < m->nplans ? &m->plans[i] : NULL;
}

size_t viz_model_mark_count(const viz_model *m) { return m->nmarks; }
const viz_mark *viz_model_mark(const viz_model *m, size_t i)
{
    return i < m->nmarks ? &m->marks[i] : NULL;
}

/* ---- Partitions and links ------------------------------------------------------------ */

/* The group of each node, from the trace's "groups" field. */
static uint32_t partition_add(viz_model *m, const int32_t *groups)
{
    size_t n = m->nnodes;
    if (!groups || viz_grow(&m->groups, &m->groups_cap, m->ngroups + n, sizeof *m->groups) < 0)
        return VIZ_NONE;
    memcpy(m->groups + m->ngroups, groups, n * sizeof *groups);
    uint32_t off = (uint32_t)m->ngroups;
    m->ngroups += n;
    return off;
}

const int32_t *viz_model_partition(const viz_model *m, const viz_event *ev)
{
    if (ev->type != FL_TR_PARTITION || ev->aux == VIZ_NONE || ev->aux >= m->ngroups)
        return NULL;
    return m->groups + ev->aux;
}

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

/* ---- State --------------------------------------------------------------------------- */

viz_state *viz_state_new(const viz_model *m)
{
    viz_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    size_t n = m->nnodes ? m->nnodes : 1;
    st->nnodes = m->nnodes;
    st->nodes = calloc(n, sizeof *st->nodes);
    st->links = calloc(n * n, 1);
    if (!st->nodes || !st->links) {
        viz_state_free(st);
        return NULL;
    }
    for (size_t i = 0; i < m->nnodes; i++)
        st->nodes[i].view = st->nodes[i].live_view = VIZ_NONE;
    return st;
}

void viz_state_free(viz_state *st)
{
    if (!st)
        return;
    free(st->nodes);
    free(st->links);
    free(st);
}

static void set_link(viz_state *st, fl_node_id a, fl_node_id b, uint8_t bit, bool on)
{
    if (a < 0 || b < 0 || (size_t)a >= st->nnodes || (size_t)b >= st->nnodes)
        return;
    uint8_t *l = &st->links[(size_t)a * st->nnodes + (size_t)b];
    *l = on ? (uint8_t)(*l | bit) : (uint8_t)(*l & ~bit);
}

static void apply_partition(const viz_model *m, viz_state *st, const viz_event *ev)
{
    const int32_t *g = viz_model_partition(m, ev);
    for (size_t a = 0; a < st->nnodes; a++)
        for (size_t b = 0; b < st->nnodes; b++)
            set_link(st, (fl_node_id)a, (fl_node_id)b, VIZ_LINK_SPLIT,
                     g && a != b && g[a] != g[b]);
}

/* aux of a link event: its FL_TRACE_LINK_* flags. */
static void apply_link(viz_state *st, const viz_event *ev)
{
    uint8_t bit = (ev->aux & FL_TRACE_LINK_CUT) ? VIZ_LINK_CUT : VIZ_LINK_LOSSY;
    set_link(st, ev->node, ev->peer, bit, true);
    if (ev->aux & FL_TRACE_LINK_SYMMETRIC)
        set_link(st, ev->peer, ev->node, bit, true);
}

static void apply(const viz_model *m, viz_state *st, const viz_event *ev)
{
    viz_node_state *ns = ev->node >= 0 && (size_t)ev->node < st->nnodes
                       ? &st->nodes[ev->node] : NULL;
    switch (ev->type) {
    case FL_TR_BOOT:
    case FL_TR_RESTART:
        if (ns)
            ns->alive = ns->booted = true, ns->paused = false;
        break;
    case FL_TR_CRASH:
        if (ns)
            ns->alive = ns->paused = false;
        break;
    case FL_TR_PAUSE:
        if (ns)
            ns->paused = true;
        break;
    case FL_TR_RESUME:
        if (ns)
            ns->paused = false;
        break;
    case FL_TR_VIEW:
        if (ns) {
            ns->view = ev->aux;
            if (ns->alive)
                ns->live_view = ev->aux;
        }
        break;
    case FL_TR_PARTITION:
        apply_partition(m, st, ev);
        break;
    case FL_TR_HEAL:
        memset(st->links, 0, st->nnodes * st->nnodes);
        break;
    case FL_TR_LINK:
        apply_link(st, ev);
        break;
    default:
        break;
    }
    st->idx++;
}

void viz_model_state_at(const viz_model *m, size_t idx, viz_state *st)
{
    if (idx > m->nev)
        idx = m->nev;
    size_t k = idx / VIZ_KEY_EVERY;
    if (k >= m->nkeys)
        k = m->nkeys - 1;
    size_t n = m->nnodes;
    memcpy(st->nodes, m->key_nodes + k * n, n * sizeof *st->nodes);
    memcpy(st->links, m->key_links + k * n * n, n * n);
    st->idx = k * VIZ_KEY_EVERY;
    for (size_t i = st->idx; i < idx; i++)
        apply(m, st, &m->ev[i]);
}

void viz_model_state_finish_step(const viz_model *m, viz_state *st)
{
    size_t k = st->idx;
    if (k == 0 || k > m->nev)
        return;
    const viz_event *last = &m->ev[k - 1];
    if (last->node < 0 || (size_t)last->node >= st->nnodes || last->type == FL_TR_VIEW)
        return;
    for (size_t j = k; j < m->nev && j < k + 256; j++) {
        const viz_event *e = &m->ev[j];
        if (e->t != last->t || e->node != last->node)
            return;                          /* another step began */
        if (e->type == FL_TR_VIEW) {
            viz_node_state *ns = &st->nodes[e->node];
            ns->view = e->aux;
            if (ns->alive)
                ns->live_view = e->aux;
            return;
        }
    }
}

void viz_model_state_advance(const viz_model *m, viz_state *st, size_t idx)
{
    if (idx > m->nev)
        idx = m->nev;
    if (idx < st->idx) {
        viz_model_state_at(m, idx, st);
        return;
    }
    for (size_t i = st->idx; i < idx; i++)
        apply(m, st, &m->ev[i]);
}

/* ---- Adding events --------------------------------------------------------------------- */

/* Fills ev->aux and the indexes for one event (before it is appended). */
static int index_event(viz_model *m, viz_event *ev, const viz_msg_fields *msg,
                       const viz_view_in *view)
{
    ev->aux = VIZ_NONE;
    switch (ev->type) {
    case FL_TR_SEND:
    case FL_TR_DUPLICATE:
        return msg_new(m, ev, msg, ev->type == FL_TR_DUPLICATE, &ev->aux);
    case FL_TR_DELIVER:
        ev->aux = msg_end(m, ev, VIZ_MSG_DELIVERED, VIZ_DROP_UNKNOWN);
        return 0;
    case FL_TR_DROP:
        ev->aux = msg_end(m, ev, VIZ_MSG_DROPPED, msg ? msg->reason : VIZ_DROP_UNKNOWN);
        return 0;
    case FL_TR_VIEW:
        return view_add(m, view, &ev->aux);
    case FL_TR_INVOKE:
    case FL_TR_COMPLETE:
        return op_event(m, ev, &ev->aux);
    case FL_TR_PARTITION:
        ev->aux = partition_add(m, msg ? msg->groups : NULL);
        return 0;
    case FL_TR_LINK:
        ev->aux = msg ? msg->link_flags : 0;
        return 0;
    default:
        return 0;
    }
}

static int add_marks(viz_model *m, const viz_event *ev)
{
    if (is_fault(ev->type))
        return mark_add(m, VIZ_MARK_FAULT, ev, -1);
    if (ev->type != FL_TR_VIEW || ev->node < 0 || (size_t)ev->node >= m->nnodes)
        return 0;
    const viz_view *now = &m->views[ev->aux];
    uint32_t before = m->head->nodes[ev->node].view;
    const viz_view *was = before == VIZ_NONE ? NULL : &m->views[before];
    if (now->kind == FL_VIEW_LEADER &&
        (!was || was->kind != FL_VIEW_LEADER || was->term != now->term))
        return mark_add(m, VIZ_MARK_LEADER, ev, now->term);
    return 0;
}

int viz_model_add(viz_model *m, const viz_event *in, const viz_msg_fields *msg,
                  const char *text, const viz_view_in *view,
                  char *err, size_t errlen)
{
    if (in->t < 0 || in->t > VIZ_TIME_MAX) {
        snprintf(err, errlen, "time %lld ns is outside 0 .. %lld ns",
                 (long long)in->t, (long long)VIZ_TIME_MAX);
        return -1;
    }
    if (m->nev && in->t < m->ev[m->nev - 1].t) {
        snprintf(err, errlen, "time goes backwards (%lld ns after %lld ns)",
                 (long long)in->t, (long long)m->ev[m->nev - 1].t);
        return -1;
    }
    if (in->type == FL_TR_VIEW && !view) {
        snprintf(err, errlen, "a view event without a view");
        return -1;
    }
    if (m->nev >= VIZ_NONE - 1 ||
        viz_grow(&m->ev, &m->ev_cap, m->nev + 1, sizeof *m->ev) < 0)
        goto oom;
    viz_event ev = *in;
    ev.text = text_add(m, text);
    if (index_event(m, &ev, msg, view) < 0 ||
        add_marks(m, &ev) < 0 || viz_log_on_event(m, &ev, ev.aux) < 0)
        goto oom;
    m->ev[m->nev++] = ev;
    apply(m, m->head, &ev);
    if (m->nev % VIZ_KEY_EVERY == 0 && push_keyframe(m) < 0)
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

/* ---- Accessors ---------------------------------------------------------------------------- */

size_t viz_model_node_count(const viz_model *m) { return m->nnodes; }
const char *viz_model_algorithm(const viz_model *m) { return m->algorithm; }
const char *viz_model_scenario(const viz_model *m) { return m->scenario; }
uint64_t viz_model_seed(const viz_model *m) { return m->seed; }
bool viz_model_exact_entries(const viz_model *m) { return m->exact_entries; }
void viz_model_set_exact_entries(viz_model *m, bool exact) { m->exact_entries = exact; }
void viz_model_set_end(viz_model *m, fl_time end) { m->end = end; }
size_t viz_model_event_count(const viz_model *m) { return m->nev; }

const char *viz_model_role(const viz_model *m, fl_node_id node)
{
    return node >= 0 && (size_t)node < m->nnodes ? m->nodes[node].role : "?";
}

bool viz_model_is_primary(const viz_model *m, fl_node_id node)
{
    return node >= 0 && (size_t)node < m->nnodes && m->nodes[node].primary;
}

fl_time viz_model_last_time(const viz_model *m)
{
    return m->nev ? m->ev[m->nev - 1].t : 0;
}

fl_time viz_model_end(const viz_model *m)
{
    fl_time last = viz_model_last_time(m);
    return m->end > last ? m->end : last;
}

const viz_event *viz_model_event(const viz_model *m, size_t i)
{
    return i < m->nev ? &m->ev[i] : NULL;
}

size_t viz_model_events_until(const viz_model *m, fl_time t)
{
    size_t lo = 0, hi = m->nev;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->ev[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
