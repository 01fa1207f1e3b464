/* inv_raft.c — Raft's safety invariants (Raft Figure 3), checked after
 * every event on the node that just stepped, from views and entries only:
 *
 *   raft.election_safety      at most one leader per term, ever
 *   raft.leader_append_only   a leader never overwrites or deletes entries
 *   raft.log_matching         same index and term => same chain hash
 *   raft.leader_completeness  committed entries are in every later leader
 *   raft.state_machine_safety no two nodes apply different commands at one
 *                             index
 *
 * Each keeps a summary of what it has seen (a term -> leader map, the
 * first chain seen per (index, term), the committed chain per index, the
 * applied command per index), so a check costs what changed, not the
 * length of the logs. Chain hashes make one comparison cover a prefix.
 *
 * Memory stays bounded by what can still change: once every server's view
 * shows its log starting above an index (all have committed, applied and
 * compacted it into a snapshot), no server can report that index again
 * while it stays up, so the per-index records below that floor are dropped
 * (inv_floor / inv_map_prune). A crashed server's view is cleared, which
 * pins the floor until it is back, so a restarted server that replays its
 * log is still checked against everything above its durable snapshot. */
#include "algorithms/raft/invariants.h"
#include "algorithms/raft/rules.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- A map from (int64, int64) to a small record ------------------------ */

typedef struct inv_slot {
    int64_t    k1, k2;
    uint64_t   hash;        /* chain or command hash */
    int64_t    term;
    fl_node_id node;
    bool       used;
} inv_slot;

typedef struct inv_map {
    inv_slot *slots;
    size_t    cap;          /* a power of two, or 0 */
    size_t    len;
    bool      oom;          /* stop recording, never report falsely */
} inv_map;

static uint64_t inv_mix(int64_t a, int64_t b)
{
    uint64_t z = (uint64_t)a * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)b;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static inv_slot *inv_map_find(const inv_map *m, int64_t k1, int64_t k2)
{
    if (!m->cap)
        return NULL;
    size_t i = (size_t)inv_mix(k1, k2) & (m->cap - 1);
    while (m->slots[i].used) {
        if (m->slots[i].k1 == k1 && m->slots[i].k2 == k2)
            return &m->slots[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

static bool inv_map_grow(inv_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    inv_slot *s = calloc(cap, sizeof *s);
    if (!s)
        return false;
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->slots[j].used)
            continue;
        size_t i = (size_t)inv_mix(m->slots[j].k1, m->slots[j].k2) & (cap - 1);
        while (s[i].used)
            i = (i + 1) & (cap - 1);
        s[i] = m->slots[j];
    }
    free(m->slots);
    m->slots = s;
    m->cap = cap;
    return true;
}

/* Inserts a new key (absent: the caller looked first); NULL if full. */
static inv_slot *inv_map_add(inv_map *m, int64_t k1, int64_t k2)
{
    if (m->oom)
        return NULL;
    if ((m->len + 1) * 4 > m->cap * 3 && !inv_map_grow(m)) {
        m->oom = true;
        return NULL;
    }
    size_t i = (size_t)inv_mix(k1, k2) & (m->cap - 1);
    while (m->slots[i].used)
        i = (i + 1) & (m->cap - 1);
    inv_slot *s = &m->slots[i];
    memset(s, 0, sizeof *s);
    s->used = true;
    s->k1 = k1;
    s->k2 = k2;
    m->len++;
    return s;
}

/* Drops every key with k1 < `below`, shrinking the table to fit. */
static void inv_map_prune(inv_map *m, int64_t below)
{
    size_t keep = 0;
    for (size_t j = 0; j < m->cap; j++)
        keep += m->slots[j].used && m->slots[j].k1 >= below;
    size_t cap = 1024;
    while (cap * 3 < 4 * (keep + 1))
        cap *= 2;
    inv_slot *s = calloc(cap, sizeof *s);
    if (!s)
        return;                    /* keep everything: still correct */
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->slots[j].used || m->slots[j].k1 < below)
            continue;
        size_t i = (size_t)inv_mix(m->slots[j].k1, m->slots[j].k2) & (cap - 1);
        while (s[i].used)
            i = (i + 1) & (cap - 1);
        s[i] = m->slots[j];
    }
    free(m->slots);
    m->slots = s;
    m->cap = cap;
    m->len = keep;
}

/* The lowest index any server could still report while up: the smallest
 * log_first over the servers' views; -1 while a server is down or holds
 * no snapshot (nothing may be forgotten then). */
static int64_t inv_floor(const fl_world *w)
{
    int64_t lo = INT64_MAX;
    size_t n = fl_world_node_count(w);
    for (size_t i = 0; i < n; i++) {
        const char *role = fl_world_role(w, (fl_node_id)i);
        if (role && strcmp(role, "client") == 0)
            continue;
        const fl_view *v = fl_world_view(w, (fl_node_id)i);
        if (!v)
            continue;
        if (!fl_world_alive(w, (fl_node_id)i) || v->log_first < 0)
            return -1;
        if (v->log_first < lo)
            lo = v->log_first;
    }
    return lo == INT64_MAX ? -1 : lo;
}

/* Prunes `m` below the floor when a compaction may have raised it and
 * enough has accumulated to be worth a rebuild. */
#define INV_PRUNE_STEP 512

static void inv_maybe_prune(inv_map *m, int64_t *pruned_to, const fl_world *w,
                            const fl_view *before, const fl_view *after)
{
    if (after->log_first <= before->log_first ||
        after->log_first < *pruned_to + INV_PRUNE_STEP)
        return;
    int64_t f = inv_floor(w);
    if (f < *pruned_to + INV_PRUNE_STEP)
        return;
    inv_map_prune(m, f);
    *pruned_to = f;
}

static void inv_map_free(inv_map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static bool inv_entry(const fl_world *w, fl_node_id node, int64_t index,
                      fl_view_entry *e)
{
    memset(e, 0, sizeof *e);
    return index >= 0 && fl_world_entry(w, node, index, e);
}

static int inv_fail(char *msg, size_t msglen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int inv_fail(char *msg, size_t msglen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (msg && msglen)
        vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- raft.election_safety (Raft §5.2) --------------------------------- */

typedef struct inv_es {
    inv_map leaders;        /* (term, 0) -> node */
} inv_es;

static int inv_es_check(void *state, const fl_world *w, fl_node_id node,
                        const fl_view *before, const fl_view *after,
                        char *msg, size_t msglen)
{
    (void)w;
    (void)before;
    inv_es *s = state;
    if (after->kind != FL_VIEW_LEADER || after->term < 0)
        return 0;
    inv_slot *e = inv_map_find(&s->leaders, after->term, 0);
    if (!e) {
        e = inv_map_add(&s->leaders, after->term, 0);
        if (e)
            e->node = node;
        return 0;
    }
    if (e->node != node)
        return inv_fail(msg, msglen,
                        "two leaders in term %" PRId64 ": node %d and node %d",
                        after->term, (int)e->node, (int)node);
    return 0;
}

static void inv_es_destroy(void *state)
{
    inv_es *s = state;
    inv_map_free(&s->leaders);
}

/* ---- raft.leader_append_only (Raft §5.3) ------------------------------- */

typedef struct inv_lao_node {
    bool     valid;         /* it was leader after its last step */
    int64_t  term;
    int64_t  last;
    uint64_t chain;         /* chain at `last` */
    bool     has_chain;
} inv_lao_node;

typedef struct inv_lao {
    inv_lao_node *nodes;
    size_t        n;
} inv_lao;

static int inv_lao_init(void *state, const fl_world *w)
{
    inv_lao *s = state;
    s->n = fl_world_node_count(w);
    s->nodes = calloc(s->n ? s->n : 1, sizeof *s->nodes);
    return s->nodes ? 0 : -1;
}

static int inv_lao_check(void *state, const fl_world *w, fl_node_id node,
                         const fl_view *before, const fl_view *after,
                         char *msg, size_t msglen)
{
    inv_lao *s = state;
    if (node < 0 || (size_t)node >= s->n)
        return 0;
    inv_lao_node *c = &s->nodes[node];
    bool still = after->kind == FL_VIEW_LEADER &&
                 before->kind == FL_VIEW_LEADER &&
                 before->term == after->term;
    if (still && c->valid && c->term == after->term) {
        fl_view_entry e;
        if (after->log_last < c->last)
            return inv_fail(msg, msglen,
                            "leader %d of term %" PRId64 " shrank its log "
                            "from index %" PRId64 " to %" PRId64,
                            (int)node, after->term, c->last, after->log_last);
        if (c->has_chain && inv_entry(w, node, c->last, &e) &&
            e.chain != c->chain)
            return inv_fail(msg, msglen,
                            "leader %d of term %" PRId64 " overwrote its "
                            "entry at index %" PRId64, (int)node, after->term,
                            c->last);
    }
    c->valid = after->kind == FL_VIEW_LEADER;
    c->term = after->term;
    c->last = after->log_last;
    fl_view_entry e;
    c->has_chain = c->valid && inv_entry(w, node, c->last, &e);
    c->chain = c->has_chain ? e.chain : 0;
    return 0;
}

static void inv_lao_destroy(void *state)
{
    inv_lao *s = state;
    free(s->nodes);
    s->nodes = NULL;
}

/* ---- raft.log_matching (Raft §5.3) ------------------------------------ */

typedef struct inv_lm_node {
    bool     valid;
    int64_t  last;
    uint64_t chain;
} inv_lm_node;

typedef struct inv_lm {
    inv_map      seen;      /* (index, term) -> first chain seen, node */
    int64_t      pruned_to; /* indices below were forgotten */
    inv_lm_node *nodes;
    size_t       n;
} inv_lm;

static int inv_lm_init(void *state, const fl_world *w)
{
    inv_lm *s = state;
    s->n = fl_world_node_count(w);
    s->nodes = calloc(s->n ? s->n : 1, sizeof *s->nodes);
    return s->nodes ? 0 : -1;
}

/* Walks down from the last entry until an (index, term) already seen with
 * the same chain: below it, everything was checked before. */
static int inv_lm_walk(inv_lm *s, const fl_world *w, fl_node_id node,
                       const fl_view *v, char *msg, size_t msglen)
{
    int64_t lo = v->log_first >= 0 ? v->log_first : 0;
    for (int64_t i = v->log_last; i >= lo; i--) {
        fl_view_entry e;
        if (!inv_entry(w, node, i, &e))
            break;
        inv_slot *k = inv_map_find(&s->seen, i, e.term);
        if (k && k->hash == e.chain)
            break;
        if (k && k->node == node)
            return inv_fail(msg, msglen,
                            "node %d holds index %" PRId64 " in term %" PRId64
                            " with a log that differs up to it from the log "
                            "it held there before (chain %016" PRIx64
                            " vs %016" PRIx64 ")", (int)node, i, e.term,
                            k->hash, e.chain);
        if (k)
            return inv_fail(msg, msglen,
                            "node %d and node %d both hold index %" PRId64
                            " in term %" PRId64 " but their logs differ up "
                            "to it (chain %016" PRIx64 " vs %016" PRIx64 ")",
                            (int)k->node, (int)node, i, e.term, k->hash,
                            e.chain);
        k = inv_map_add(&s->seen, i, e.term);
        if (!k)
            break;
        k->hash = e.chain;
        k->node = node;
    }
    return 0;
}

static int inv_lm_check(void *state, const fl_world *w, fl_node_id node,
                        const fl_view *before, const fl_view *after,
                        char *msg, size_t msglen)
{
    inv_lm *s = state;
    if (node < 0 || (size_t)node >= s->n)
        return 0;
    inv_lm_node *c = &s->nodes[node];
    inv_maybe_prune(&s->seen, &s->pruned_to, w, before, after);
    fl_view_entry e;
    if (after->log_last < 0 || !inv_entry(w, node, after->log_last, &e)) {
        c->valid = false;
        return 0;
    }
    if (c->valid && c->last == after->log_last && c->chain == e.chain)
        return 0;                   /* unchanged log */
    if (inv_lm_walk(s, w, node, after, msg, msglen) != 0)
        return -1;
    c->valid = true;
    c->last = after->log_last;
    c->chain = e.chain;
    return 0;
}

static void inv_lm_destroy(void *state)
{
    inv_lm *s = state;
    inv_map_free(&s->seen);
    free(s->nodes);
    s->nodes = NULL;
}

/* ---- raft.leader_completeness (Raft §5.4) ------------------------------ */

typedef struct inv_lc {
    inv_map committed;      /* (index, 0) -> chain, lowest term, node */
    int64_t max_index;      /* highest committed index seen; -1 none */
    int64_t pruned_to;      /* indices below were forgotten */
} inv_lc;

static int inv_lc_init(void *state, const fl_world *w)
{
    (void)w;
    inv_lc *s = state;
    s->max_index = -1;
    return 0;
}

/* Records what the node newly reports as committed. */
static int inv_lc_record(inv_lc *s, const fl_world *w, fl_node_id node,
                         const fl_view *before, const fl_view *after,
                         char *msg, size_t msglen)
{
    int64_t lo = before->commit + 1;
    if (lo < after->log_first)
        lo = after->log_first;
    int64_t hi = after->commit < after->log_last ? after->commit
                                                 : after->log_last;
    for (int64_t i = lo < 0 ? 0 : lo; i <= hi; i++) {
        fl_view_entry e;
        if (!inv_entry(w, node, i, &e))
            continue;
        inv_slot *k = inv_map_find(&s->committed, i, 0);
        if (k && k->hash != e.chain)
            return inv_fail(msg, msglen,
                            "index %" PRId64 " was committed by node %d "
                            "(term %" PRId64 ") but node %d now commits a "
                            "different entry there (term %" PRId64 ")", i,
                            (int)k->node, k->term, (int)node, e.term);
        if (k) {
            if (after->term >= 0 && after->term < k->term)
                k->term = after->term;
            continue;
        }
        k = inv_map_add(&s->committed, i, 0);
        if (!k)
            return 0;
        k->hash = e.chain;
        k->term = after->term;
        k->node = node;
        if (i > s->max_index)
            s->max_index = i;
    }
    return 0;
}

/* A leader of term L must hold every entry committed in a term below L;
 * by the chain, checking the highest such index covers the rest. */
static int inv_lc_leader(inv_lc *s, const fl_world *w, fl_node_id node,
                         const fl_view *after, bool elected, char *msg,
                         size_t msglen)
{
    int64_t floor_index = elected ? s->max_index - 100000 : s->max_index;
    if (floor_index < s->pruned_to)   /* below: in no server's log any more */
        floor_index = s->pruned_to;
    for (int64_t i = s->max_index; i >= 0 && i >= floor_index; i--) {
        inv_slot *k = inv_map_find(&s->committed, i, 0);
        if (!k || k->term >= after->term)
            continue;
        fl_view_entry e;
        if (after->log_last < i)
            return inv_fail(msg, msglen,
                            "leader %d of term %" PRId64 " lacks index %"
                            PRId64 ", committed by node %d in term %" PRId64
                            " (its log ends at %" PRId64 ")", (int)node,
                            after->term, i, (int)k->node, k->term,
                            after->log_last);
        if (inv_entry(w, node, i, &e) && e.chain != k->hash)
            return inv_fail(msg, msglen,
                            "leader %d of term %" PRId64 " holds a different "
                            "entry (term %" PRId64 ") at index %" PRId64
                            ", committed by node %d in term %" PRId64,
                            (int)node, after->term, e.term, i, (int)k->node,
                            k->term);
        return 0;
    }
    return 0;
}

static int inv_lc_check(void *state, const fl_world *w, fl_node_id node,
                        const fl_view *before, const fl_view *after,
                        char *msg, size_t msglen)
{
    inv_lc *s = state;
    inv_maybe_prune(&s->committed, &s->pruned_to, w, before, after);
    if (after->commit > before->commit &&
        inv_lc_record(s, w, node, before, after, msg, msglen) != 0)
        return -1;
    if (after->kind != FL_VIEW_LEADER || after->term < 0)
        return 0;
    bool elected = before->kind != FL_VIEW_LEADER ||
                   before->term != after->term;
    return inv_lc_leader(s, w, node, after, elected, msg, msglen);
}

static void inv_lc_destroy(void *state)
{
    inv_lc *s = state;
    inv_map_free(&s->committed);
}

/* ---- raft.state_machine_safety (Raft §5.4.3) --------------------------- */

typedef struct inv_sms {
    inv_map applied;        /* (index, 0) -> command hash, node */
    int64_t pruned_to;      /* indices below were forgotten */
} inv_sms;

static int inv_sms_check(void *state, const fl_world *w, fl_node_id node,
                         const fl_view *before, const fl_view *after,
                         char *msg, size_t msglen)
{
    inv_sms *s = state;
    inv_maybe_prune(&s->applied, &s->pruned_to, w, before, after);
    if (after->applied <= before->applied || after->log_first < 0)
        return 0;
    int64_t lo = before->applied + 1;
    if (lo < after->log_first)
        lo = after->log_first;
    int64_t hi = after->applied < after->log_last ? after->applied
                                                  : after->log_last;
    for (int64_t i = lo; i <= hi; i++) {
        fl_view_entry e;
        if (!inv_entry(w, node, i, &e))
            continue;
        inv_slot *k = inv_map_find(&s->applied, i, 0);
        if (k && k->hash != e.command)
            return inv_fail(msg, msglen,
                            "node %d applied command %016" PRIx64 " at index "
                            "%" PRId64 " but node %d applied %016" PRIx64
                            " there", (int)k->node, k->hash, i, (int)node,
                            e.command);
        if (k)
            continue;
        k = inv_map_add(&s->applied, i, 0);
        if (!k)
            return 0;
        k->hash = e.command;
        k->node = node;
    }
    return 0;
}

static void inv_sms_destroy(void *state)
{
    inv_sms *s = state;
    inv_map_free(&s->applied);
}

/* ---- The table ---------------------------------------------------------- */

const fl_invariant fl_inv_raft_election_safety = {
    .name = "raft.election_safety",
    .summary = "at most one leader per term (Raft §5.2)",
    .state_size = sizeof(inv_es),
    .check = inv_es_check,
    .destroy = inv_es_destroy,
};

const fl_invariant fl_inv_raft_leader_append_only = {
    .name = "raft.leader_append_only",
    .summary = "a leader never overwrites or deletes its entries (Raft §5.3)",
    .state_size = sizeof(inv_lao),
    .init = inv_lao_init,
    .check = inv_lao_check,
    .destroy = inv_lao_destroy,
};

const fl_invariant fl_inv_raft_log_matching = {
    .name = "raft.log_matching",
    .summary = "entries with the same index and term have identical "
               "prefixes (Raft §5.3)",
    .state_size = sizeof(inv_lm),
    .init = inv_lm_init,
    .check = inv_lm_check,
    .destroy = inv_lm_destroy,
};

const fl_invariant fl_inv_raft_leader_completeness = {
    .name = "raft.leader_completeness",
    .summary = "a committed entry is in the log of every later leader "
               "(Raft §5.4)",
    .state_size = sizeof(inv_lc),
    .init = inv_lc_init,
    .check = inv_lc_check,
    .destroy = inv_lc_destroy,
};

const fl_invariant fl_inv_raft_state_machine_safety = {
    .name = "raft.state_machine_safety",
    .summary = "no two nodes apply different commands at one index "
               "(Raft §5.4.3)",
    .state_size = sizeof(inv_sms),
    .check = inv_sms_check,
    .destroy = inv_sms_destroy,
};

static const fl_invariant *const inv_raft_table[] = {
    &fl_inv_raft_election_safety,
    &fl_inv_raft_leader_append_only,
    &fl_inv_raft_log_matching,
    &fl_inv_raft_leader_completeness,
    &fl_inv_raft_state_machine_safety,
    /* rule and feature checks (rules.c, features.c) */
    &fl_rule_raft_term_durable,
    &fl_rule_raft_vote_durable,
    &fl_rule_raft_ack_durable,
    &fl_rule_raft_adopt_term,
    &fl_rule_raft_follower_commit,
    &fl_rule_raft_commit_current_term,
    &fl_rule_raft_match_monotonic,
    &fl_rule_raft_prevote,
    &fl_rule_raft_check_quorum,
    &fl_feature_raft_snapshot,
    &fl_feature_raft_readindex,
    &fl_feature_raft_transfer,
    &fl_rule_raft_up_to_date_vote,
    &fl_rule_raft_apply_committed,
    &fl_rule_raft_election_timer,
    &fl_rule_raft_snapshot_suffix,
    &fl_rule_raft_append_merge,
};

const fl_invariant *const *fl_raft_invariants(size_t *n)
{
    *n = sizeof inv_raft_table / sizeof inv_raft_table[0];
    return inv_raft_table;
}
