/* rules_snap.c — Raft's InstallSnapshot rule, judged from a follower's log
 * before and after it handled the snapshot:
 *
 *   raft.snapshot_suffix   a follower whose entry at lastIncludedIndex has
 *                          lastIncludedTerm keeps the entries that follow
 *                          it when it installs the snapshot (§7: "if an
 *                          existing log entry has the same index and term
 *                          as the snapshot's last included entry, retain
 *                          log entries following it")
 *
 * The follower's log as it was before the step is known from a mirror of
 * each server's entry terms, kept from its views and inspect_entry after
 * every step (an unchanged last chain means an unchanged log, so a step
 * costs one lookup). Only kept when params.snapshot_every asks for
 * snapshots; stands aside when the plug-in does not report the snapshot's
 * index and term, its views' log bounds or its entries. */
#include "algorithms/raft/rules.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/raft/contract.h"

/* Entry terms and chains by index, from `base` on: term[i - base]. Entries
 * below the log's first index are compacted away and never looked up
 * again, so the mirror drops them: it holds about one snapshot interval,
 * however long the log has grown. */
typedef struct snap_mirror {
    int64_t  *term;          /* -1 unknown */
    uint64_t *chain;
    size_t    cap;
    int64_t   base;          /* the index of term[0] */
    int64_t   first, last;   /* the indices mirrored; last -2: none */
} snap_mirror;

typedef struct snap_state {
    snap_mirror *m;
    size_t       nn;
    int          on;         /* 0 unknown, 1 snapshots asked for, -1 not */
} snap_state;

static int snap_init(void *state, const fl_world *w)
{
    snap_state *s = state;
    s->nn = fl_world_node_count(w);
    s->m = calloc(s->nn ? s->nn : 1, sizeof *s->m);
    if (!s->m)
        return -1;
    for (size_t i = 0; i < s->nn; i++)
        s->m[i].last = -2;
    return 0;
}

static void snap_destroy(void *state)
{
    snap_state *s = state;
    for (size_t i = 0; s->m && i < s->nn; i++) {
        free(s->m[i].term);
        free(s->m[i].chain);
    }
    free(s->m);
    s->m = NULL;
}

static bool snap_on(snap_state *s, const fl_world *w)
{
    if (s->on == 0) {
        const cJSON *p = fl_world_params(w);
        const cJSON *v = p ? cJSON_GetObjectItemCaseSensitive(
                                 p, FL_RAFT_PARAM_SNAPSHOT_EVERY) : NULL;
        s->on = cJSON_IsNumber(v) && v->valuedouble > 0 ? 1 : -1;
    }
    return s->on > 0;
}

/* Makes room for indices lo..last (lo >= 1), keeping what is mirrored
 * there and forgetting what lies below lo. */
static int mirror_fit(snap_mirror *m, int64_t lo, int64_t last)
{
    if (m->term && lo == m->base && last - lo < (int64_t)m->cap)
        return 0;
    size_t need = (size_t)(last - lo) + 1, cap = 64;
    while (cap < need)
        cap *= 2;
    int64_t *t = malloc(cap * sizeof *t);
    uint64_t *c = malloc(cap * sizeof *c);
    if (!t || !c) {
        free(t);
        free(c);
        return -1;
    }
    for (size_t i = 0; i < cap; i++) {
        t[i] = -1;
        c[i] = 0;
    }
    if (m->term) {
        int64_t from = m->base > lo ? m->base : lo;
        int64_t to = m->base + (int64_t)m->cap - 1;
        if (to > lo + (int64_t)cap - 1)
            to = lo + (int64_t)cap - 1;
        for (int64_t i = from; i <= to; i++) {
            t[i - lo] = m->term[i - m->base];
            c[i - lo] = m->chain[i - m->base];
        }
    }
    free(m->term);
    free(m->chain);
    m->term = t;
    m->chain = c;
    m->cap = cap;
    m->base = lo;
    return 0;
}

/* Brings `m` up to `v`, the node's view after a step: walks down from the
 * last index until an entry's chain is the one mirrored. */
static void mirror_update(snap_mirror *m, const fl_world *w, fl_node_id node,
                          const fl_view *v)
{
    int64_t lo = v->log_first > 1 ? v->log_first : 1;
    if (v->kind == FL_VIEW_NONE || v->log_last < 0 || v->log_first < 0 ||
        mirror_fit(m, lo, v->log_last > lo ? v->log_last : lo) != 0) {
        m->last = -2;
        return;
    }
    for (int64_t i = v->log_last; i >= lo; i--) {
        fl_view_entry e;
        memset(&e, 0, sizeof e);
        if (!fl_world_entry(w, node, i, &e) || e.term < 0) {
            m->last = -2;
            return;
        }
        if (m->last >= i && i >= m->first && m->term[i - m->base] == e.term &&
            m->chain[i - m->base] == e.chain)
            break;              /* equal chains: the rest is unchanged */
        m->term[i - m->base] = e.term;
        m->chain[i - m->base] = e.chain;
    }
    m->first = lo;
    m->last = v->log_last;
}

static int snap_check(void *state, const fl_world *w, fl_node_id node,
                      const fl_view *before, const fl_view *after,
                      char *msg, size_t msglen)
{
    (void)before;
    (void)msg;
    (void)msglen;
    snap_state *s = state;
    if (node < 0 || (size_t)node >= s->nn || !snap_on(s, w) ||
        after->kind == FL_VIEW_CLIENT)
        return 0;
    mirror_update(&s->m[node], w, node, after);
    return 0;
}

static int snap_message(void *state, const fl_world *w, const fl_inv_msg *m,
                        char *msg, size_t msglen)
{
    snap_state *s = state;
    const fl_msg_info *i = &m->info;
    if (m->sent || m->to < 0 || (size_t)m->to >= s->nn || !snap_on(s, w) ||
        !rule_kind(i, FL_RAFT_INSTALL_SNAPSHOT) || !m->before || !m->after)
        return 0;
    const snap_mirror *mm = &s->m[m->to];
    const fl_view *b = m->before, *a = m->after;
    int64_t idx = i->index;
    /* The mirror must be the log as it was before this step. The last
     * included entry may be the follower's first (its entry 1 of an
     * uncompacted log, or its own snapshot's last index): the rule is the
     * same, and the entries after it must stay. */
    if (idx < 1 || i->index_term < 0 || i->term < 0 || b->term < 0 ||
        i->term < b->term || mm->last != b->log_last || mm->last < 0 ||
        idx < mm->first || idx >= b->log_last || idx < b->log_first ||
        mm->term[idx - mm->base] != i->index_term || a->log_last < 0 ||
        a->log_last >= b->log_last)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d held entries %" PRId64 "..%" PRId64 " and its "
                     "entry %" PRId64 " has term %" PRId64 ", the snapshot's "
                     "last included entry (InstallSnapshot from node %d): it "
                     "must retain the entries that follow, and its log now "
                     "ends at %" PRId64 " (§7)", m->to, b->log_first,
                     b->log_last, idx, i->index_term, m->from, a->log_last);
}

const fl_invariant fl_rule_raft_snapshot_suffix = {
    .name = "raft.snapshot_suffix",
    .summary = "InstallSnapshot keeps the entries after a matching last "
               "included entry (§7)",
    .state_size = sizeof(snap_state),
    .init = snap_init, .check = snap_check, .destroy = snap_destroy,
    .message = snap_message,
};
