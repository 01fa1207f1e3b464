/* rules.c — Raft's rule checks: what a server must have done, judged from
 * the messages it sent and received (as `describe` reports them, see
 * contract.h) and from its views, rather than from a consequence that
 * most runs never reach (Raft Figure 2). Each stands aside when the
 * plug-in does not report what it needs (-1 fields, kinds it does not
 * name).
 *
 *   raft.term_durable       a message a node sent with term T was
 *                           delivered: the node never shows a term < T
 *                           again, restarts included (currentTerm is on
 *                           disk before the node speaks)
 *   raft.vote_durable       a granting RequestVoteReply of term T for C
 *                           was delivered: the voter never shows, in term
 *                           T, another vote (votedFor persisted before the
 *                           reply)
 *   raft.ack_durable        a successful AppendEntriesReply with match m
 *                           was delivered: the follower restarts with at
 *                           least m entries (log synced before the ack)
 *   raft.adopt_term         a node that receives a request or a reply
 *                           with a newer term adopts it (and is no leader
 *                           in it) in the same step
 *   raft.follower_commit    AppendEntries never moves a follower's commit
 *                           past min(leaderCommit, prevLogIndex + entries)
 *   raft.match_monotonic    a leader's matchIndex never moves back within
 *                           its term (stale and duplicated replies)
 *   raft.commit_current_term a leader advances its commit index only to
 *                           an entry of its own term (§5.4.2)
 *   raft.prevote            with params.prevote, a node that has not heard
 *                           from a majority lately never starts an election
 *
 * raft.check_quorum is in rules_quorum.c, the feature checks of snapshots,
 * ReadIndex and leadership transfer in features.c. */
#include "algorithms/raft/rules.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/raft/contract.h"

int rule_fail(char *msg, size_t msglen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (msg && msglen)
        vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return -1;
}

bool rule_kind(const fl_msg_info *i, const char *kind)
{
    return i->kind && strcmp(i->kind, kind) == 0;
}

/* A view of a node that is up and reports a term. */
static bool rule_live(const fl_view *v)
{
    return v && v->kind != FL_VIEW_NONE && v->term >= 0;
}

/* Kinds whose term is the sender's currentTerm (not PreVote's proposal). */
static bool rule_real_term(const fl_msg_info *i)
{
    return rule_kind(i, FL_RAFT_REQUEST_VOTE) ||
           rule_kind(i, FL_RAFT_REQUEST_VOTE_REPLY) ||
           rule_kind(i, FL_RAFT_APPEND_ENTRIES) ||
           rule_kind(i, FL_RAFT_APPEND_ENTRIES_REPLY) ||
           rule_kind(i, FL_RAFT_INSTALL_SNAPSHOT) ||
           rule_kind(i, FL_RAFT_INSTALL_SNAPSHOT_REPLY) ||
           rule_kind(i, FL_RAFT_TIMEOUT_NOW);
}

size_t rule_servers(const fl_world *w, fl_node_id node)
{
    const char *role = fl_world_role(w, node);
    size_t n = 0;
    for (size_t i = 0; i < fl_world_node_count(w); i++)
        n += role && !strcmp(fl_world_role(w, (fl_node_id)i), role);
    return n;
}

/* A param of the scenario as a bool / an integer (absent: dflt). */
bool rule_param_bool(const fl_world *w, const char *key)
{
    const cJSON *params = fl_world_params(w);
    return params &&
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(params, key));
}

int64_t rule_election_hi_ms(const fl_world *w)
{
    const cJSON *params = fl_world_params(w);
    const cJSON *et = params
        ? cJSON_GetObjectItemCaseSensitive(params,
                                           FL_RAFT_PARAM_ELECTION_TIMEOUT)
        : NULL;
    const cJSON *hi = cJSON_GetArrayItem(et, 1);
    return cJSON_IsNumber(hi) ? (int64_t)hi->valuedouble
                              : FL_RAFT_DEFAULT_ELECTION_HI_MS;
}

/* ---- Per-node records ------------------------------------------------------ */

typedef struct rule_node {
    int64_t    term;        /* term_durable: highest term delivered */
    fl_time    term_at;
    int64_t    vote_term;   /* vote_durable: highest granting reply */
    fl_node_id vote_for;
    fl_time    vote_at;
    int64_t    acked;       /* ack_durable: highest match acknowledged */
    fl_time    acked_at;
    fl_time   *trunc_at;    /* ack_durable: when the live node's log shrank */
    int64_t   *trunc_to;    /* (a newer leader truncated it) and to what */
    size_t     ntrunc, trunc_cap;
    rule_shadow log;        /* ack_durable: where a step rewrote the log */
    fl_time    restarted;   /* when this node last restarted */
} rule_node;

typedef struct rule_state {
    rule_node *n;
    size_t     nn;
    bool       views_vote;  /* some view reported a vote: votes are shown */
    bool       views_log;   /* some view reported a log */
} rule_state;

static int rule_init(void *state, const fl_world *w)
{
    rule_state *s = state;
    s->nn = fl_world_node_count(w);
    s->n = calloc(s->nn ? s->nn : 1, sizeof *s->n);
    if (!s->n)
        return -1;
    for (size_t i = 0; i < s->nn; i++) {
        s->n[i].term = s->n[i].vote_term = s->n[i].acked = -1;
        s->n[i].vote_for = FL_NO_NODE;
        s->n[i].restarted = -1;
        s->n[i].log.last = -1;
    }
    return 0;
}

static void rule_destroy(void *state)
{
    rule_state *s = state;
    for (size_t i = 0; s->n && i < s->nn; i++) {
        free(s->n[i].trunc_at);
        free(s->n[i].trunc_to);
        rule_shadow_free(&s->n[i].log);
    }
    free(s->n);
    s->n = NULL;
}

static rule_node *rule_at(rule_state *s, fl_node_id id)
{
    return id >= 0 && (size_t)id < s->nn ? &s->n[id] : NULL;
}

/* A crashed node's view is cleared: a step from it to a live view is a
 * restart (or the boot). */
static bool rule_restart(const fl_view *before, const fl_view *after)
{
    return before->kind == FL_VIEW_NONE && before->term < 0 && rule_live(after);
}

static void rule_note_step(rule_state *s, fl_node_id node,
                           const fl_view *before, const fl_view *after,
                           fl_time now)
{
    rule_node *r = rule_at(s, node);
    if (!r)
        return;
    if (rule_restart(before, after))
        r->restarted = now;
    if (after->voted_for != FL_NO_NODE && after->voted_for >= 0)
        s->views_vote = true;
    if (after->log_last >= 0)
        s->views_log = true;
}

/* ---- raft.term_durable -------- */

static int term_judge(const rule_node *r, fl_node_id node, const fl_view *v,
                      char *msg, size_t msglen)
{
    if (r->term < 0 || !rule_live(v) || v->term >= r->term)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d sent a message of term %" PRId64 " (delivered at "
                     "%.3f ms) but now shows term %" PRId64 ": currentTerm must "
                     "be on disk before the node sends anything in a term "
                     "(Figure 2; lost across a restart, or a torn record?)",
                     node, r->term, (double)r->term_at / 1e6, v->term);
}

static int term_message(void *state, const fl_world *w, const fl_inv_msg *m,
                        char *msg, size_t msglen)
{
    rule_state *s = state;
    rule_node *r = rule_at(s, m->from);
    if (m->sent || !r || m->info.term < 0 || !rule_real_term(&m->info) ||
        m->info.term <= r->term)
        return 0;
    r->term = m->info.term;
    r->term_at = fl_world_now(w);
    return term_judge(r, m->from, fl_world_view(w, m->from), msg, msglen);
}

static int term_check(void *state, const fl_world *w, fl_node_id node,
                      const fl_view *before, const fl_view *after,
                      char *msg, size_t msglen)
{
    rule_state *s = state;
    rule_note_step(s, node, before, after, fl_world_now(w));
    const rule_node *r = rule_at(s, node);
    return r ? term_judge(r, node, after, msg, msglen) : 0;
}

/* ---- raft.vote_durable -------- */

static int vote_judge(const rule_state *s, const rule_node *r, fl_node_id node,
                      const fl_view *v, char *msg, size_t msglen)
{
    if (r->vote_term < 0 || !rule_live(v))
        return 0;
    if (v->term < r->vote_term)
        return rule_fail(msg, msglen,
                         "node %d granted its vote in term %" PRId64 " to node "
                         "%d (reply delivered at %.3f ms) but now shows term %"
                         PRId64 ": term and vote must be durable before the "
                         "reply leaves (Figure 2)", node, r->vote_term,
                         r->vote_for, (double)r->vote_at / 1e6, v->term);
    if (v->term == r->vote_term && s->views_vote && v->voted_for != r->vote_for)
        return rule_fail(msg, msglen,
                         "node %d granted its vote in term %" PRId64 " to node "
                         "%d (reply delivered at %.3f ms) but now shows votedFor "
                         "%d in that term: one vote per term, kept on disk "
                         "(Figure 2, §5.2)", node, r->vote_term, r->vote_for,
                         (double)r->vote_at / 1e6, v->voted_for);
    return 0;
}

static int vote_message(void *state, const fl_world *w, const fl_inv_msg *m,
                        char *msg, size_t msglen)
{
    rule_state *s = state;
    rule_node *r = rule_at(s, m->from);
    if (m->sent || !r || m->info.ok != 1 || m->info.term < 0 ||
        !rule_kind(&m->info, FL_RAFT_REQUEST_VOTE_REPLY))
        return 0;
    if (m->info.term > r->vote_term) {
        r->vote_term = m->info.term;
        r->vote_for = m->to;
        r->vote_at = fl_world_now(w);
    } else if (m->info.term == r->vote_term && m->to != r->vote_for) {
        return rule_fail(msg, msglen,
                         "node %d granted votes in term %" PRId64 " to both "
                         "node %d and node %d (§5.2: at most one per term)",
                         m->from, m->info.term, r->vote_for, m->to);
    }
    return vote_judge(s, r, m->from, fl_world_view(w, m->from), msg, msglen);
}

static int vote_check(void *state, const fl_world *w, fl_node_id node,
                      const fl_view *before, const fl_view *after,
                      char *msg, size_t msglen)
{
    rule_state *s = state;
    rule_note_step(s, node, before, after, fl_world_now(w));
    const rule_node *r = rule_at(s, node);
    return r ? vote_judge(s, r, node, after, msg, msglen) : 0;
}

/* ---- raft.ack_durable -------- */

/* A live node's log was cut back to `to` (a newer leader truncated entries
 * no one committed, possibly appending its own in their place): that
 * releases what the node acknowledged of them. */
static int ack_note_truncation(rule_node *r, fl_time now, int64_t to)
{
    if (r->ntrunc == r->trunc_cap) {
        size_t cap = r->trunc_cap ? 2 * r->trunc_cap : 8;
        fl_time *at = realloc(r->trunc_at, cap * sizeof *at);
        if (!at)
            return -1;
        r->trunc_at = at;
        int64_t *tt = realloc(r->trunc_to, cap * sizeof *tt);
        if (!tt)
            return -1;
        r->trunc_to = tt;
        r->trunc_cap = cap;
    }
    r->trunc_at[r->ntrunc] = now;
    r->trunc_to[r->ntrunc] = to;
    r->ntrunc++;
    return 0;
}

/* What an ack of `index` that left at `depart` still binds the follower
 * to: entries it truncated since (a newer leader overwrote them) are no
 * longer its promise, even if the ack is delivered late. */
static int64_t ack_binding(const rule_node *r, fl_time depart, int64_t index)
{
    for (size_t i = r->ntrunc; i-- > 0 && r->trunc_at[i] > depart;)
        if (r->trunc_to[i] < index)
            index = r->trunc_to[i];
    return index;
}

static int ack_message(void *state, const fl_world *w, const fl_inv_msg *m,
                       char *msg, size_t msglen)
{
    rule_state *s = state;
    rule_node *r = rule_at(s, m->from);
    if (m->sent || !r || m->info.ok != 1 || m->info.index <= 0 ||
        !rule_kind(&m->info, FL_RAFT_APPEND_ENTRIES_REPLY))
        return 0;
    int64_t index = ack_binding(r, m->depart, m->info.index);
    /* The follower restarted after the ack left: judge it now. */
    const fl_view *v = fl_world_view(w, m->from);
    if (s->views_log && r->restarted > m->depart && rule_live(v) &&
        v->log_last < index)
        return rule_fail(msg, msglen,
                         "node %d acknowledged entries up to index %" PRId64
                         " (the ack left at %.3f ms) and restarted at %.3f ms "
                         "holding only up to %" PRId64 ": entries must be "
                         "synced before the acknowledgement (Figure 2)",
                         m->from, index, (double)m->depart / 1e6,
                         (double)r->restarted / 1e6, v->log_last);
    if (index > r->acked) {
        r->acked = index;
        r->acked_at = fl_world_now(w);
    }
    return 0;
}

static int ack_check(void *state, const fl_world *w, fl_node_id node,
                     const fl_view *before, const fl_view *after,
                     char *msg, size_t msglen)
{
    rule_state *s = state;
    rule_note_step(s, node, before, after, fl_world_now(w));
    rule_node *r = rule_at(s, node);
    if (!r || !rule_live(after))
        return 0;
    if (rule_restart(before, after)) {
        if (rule_shadow_reset(&r->log, w, node, after) != 0)
            return rule_fail(msg, msglen, "raft.ack_durable: out of memory");
        if (s->views_log && r->acked > 0 && after->log_last < r->acked)
            return rule_fail(msg, msglen,
                             "node %d acknowledged entries up to index %" PRId64
                             " (delivered at %.3f ms) and restarted holding "
                             "only up to %" PRId64 ": entries must be synced "
                             "before the acknowledgement (Figure 2)", node,
                             r->acked, (double)r->acked_at / 1e6,
                             after->log_last);
        return 0;
    }
    /* A newer leader may truncate entries nobody committed, and append
     * its own in their place: where the log was rewritten, not only its
     * length, says what the node no longer holds. */
    int64_t old_last = r->log.last, kept;
    if (rule_shadow_step(&r->log, w, node, after, &kept) != 0)
        return rule_fail(msg, msglen, "raft.ack_durable: out of memory");
    if (rule_live(before) && kept < old_last &&
        ack_note_truncation(r, fl_world_now(w), kept) != 0)
        return rule_fail(msg, msglen, "raft.ack_durable: out of memory");
    if (kept < r->acked)
        r->acked = kept;
    return 0;
}

/* ---- raft.adopt_term -------- */

static int adopt_message(void *state, const fl_world *w, const fl_inv_msg *m,
                         char *msg, size_t msglen)
{
    (void)state;
    const fl_msg_info *i = &m->info;
    if (m->sent || !rule_live(m->before) || !rule_live(m->after) ||
        i->term <= m->before->term)
        return 0;
    /* TimeoutNow is left out (a plug-in without transfers may ignore
     * it); a RequestVote may be ignored by a leader-sticky node (thesis
     * §4.2.3), which check_quorum asks for. */
    bool applies = rule_kind(i, FL_RAFT_REQUEST_VOTE_REPLY) ||
                   rule_kind(i, FL_RAFT_APPEND_ENTRIES) ||
                   rule_kind(i, FL_RAFT_APPEND_ENTRIES_REPLY) ||
                   rule_kind(i, FL_RAFT_INSTALL_SNAPSHOT) ||
                   rule_kind(i, FL_RAFT_INSTALL_SNAPSHOT_REPLY) ||
                   (rule_kind(i, FL_RAFT_REQUEST_VOTE) &&
                    !rule_param_bool(w, FL_RAFT_PARAM_CHECK_QUORUM));
    if (!applies)
        return 0;
    if (m->after->term < i->term)
        return rule_fail(msg, msglen,
                         "node %d (term %" PRId64 ") received %s of term %" PRId64
                         " from node %d and stayed in term %" PRId64 ": a newer "
                         "term in any request or reply must be adopted at once "
                         "(Figure 2, all servers)", m->to, m->before->term,
                         i->kind, i->term, m->from, m->after->term);
    if (m->after->term == i->term && m->after->kind == FL_VIEW_LEADER)
        return rule_fail(msg, msglen,
                         "node %d adopted term %" PRId64 " from %s of node %d "
                         "and still leads: it must step down (Figure 2)",
                         m->to, i->term, i->kind, m->from);
    return 0;
}

/* ---- raft.follower_commit -------- */

static int fcommit_message(void *state, const fl_world *w, const fl_inv_msg *m,
                           char *msg, size_t msglen)
{
    (void)state;
    (void)w;
    const fl_msg_info *i = &m->info;
    if (m->sent || !rule_kind(i, FL_RAFT_APPEND_ENTRIES) || i->index < 0 ||
        i->count < 0 || i->commit < 0 || !rule_live(m->before) ||
        !rule_live(m->after) || m->after->kind == FL_VIEW_LEADER)
        return 0;
    int64_t last_new = i->index + i->count;
    int64_t bound = i->commit < last_new ? i->commit : last_new;
    if (m->before->commit > bound)
        bound = m->before->commit;
    if (m->after->commit <= bound)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d took commit index %" PRId64 " from an "
                     "AppendEntries of node %d with leaderCommit %" PRId64
                     ", prevLogIndex %" PRId64 " and %" PRId64 " entries: the "
                     "commit index may rise only to min(leaderCommit, index of "
                     "the last new entry) = %" PRId64 " (Figure 2, rule 5)",
                     m->to, m->after->commit, m->from, i->commit, i->index,
                     i->count, bound);
}

/* ---- raft.commit_current_term -------- */

static int cct_check(void *state, const fl_world *w, fl_node_id node,
                     const fl_view *before, const fl_view *after,
                     char *msg, size_t msglen)
{
    (void)state;
    if (before->kind != FL_VIEW_LEADER || after->kind != FL_VIEW_LEADER ||
        before->term != after->term || after->commit <= before->commit ||
        after->commit <= 0)
        return 0;
    fl_view_entry e;
    memset(&e, 0, sizeof e);
    if (!fl_world_entry(w, node, after->commit, &e) || e.term < 0 ||
        e.term == after->term)
        return 0;
    return rule_fail(msg, msglen,
                     "leader %d of term %" PRId64 " advanced its commit index "
                     "from %" PRId64 " to %" PRId64 ", an entry of term %" PRId64
                     ": a leader commits only entries of its own term by "
                     "counting replicas (§5.4.2, Figure 8)", node, after->term,
                     before->commit, after->commit, e.term);
}

/* ---- raft.prevote -------- */

typedef struct prevote_state {
    fl_time   *heard;            /* [to * nn + from]: last delivery */
    fl_time   *term_at;          /* per node: when its term last moved */
    size_t     nn;
    fl_node_id timeout_now_to;   /* node that just received TimeoutNow */
    fl_time    timeout_now_at;
} prevote_state;

static int prevote_init(void *state, const fl_world *w)
{
    prevote_state *s = state;
    s->nn = fl_world_node_count(w);
    s->heard = malloc((s->nn ? s->nn * s->nn : 1) * sizeof *s->heard);
    s->term_at = calloc(s->nn ? s->nn : 1, sizeof *s->term_at);
    if (!s->heard || !s->term_at)
        return -1;
    for (size_t i = 0; i < s->nn * s->nn; i++)
        s->heard[i] = INT64_MIN / 2;
    s->timeout_now_to = FL_NO_NODE;
    return 0;
}

static void prevote_destroy(void *state)
{
    prevote_state *s = state;
    free(s->heard);
    free(s->term_at);
    s->heard = NULL;
    s->term_at = NULL;
}

static int prevote_message(void *state, const fl_world *w, const fl_inv_msg *m,
                           char *msg, size_t msglen)
{
    (void)msg;
    (void)msglen;
    prevote_state *s = state;
    if (m->sent || (size_t)m->to >= s->nn || (size_t)m->from >= s->nn)
        return 0;
    s->heard[(size_t)m->to * s->nn + (size_t)m->from] = fl_world_now(w);
    if (rule_kind(&m->info, FL_RAFT_TIMEOUT_NOW)) {
        s->timeout_now_to = m->to;
        s->timeout_now_at = fl_world_now(w);
    }
    return 0;
}

/* A pre-vote round needs answers from a majority, and a node's rounds in
 * one term start after it entered that term: a node that heard from
 * fewer servers than a majority since then cannot have won one. */
static int prevote_check(void *state, const fl_world *w, fl_node_id node,
                         const fl_view *before, const fl_view *after,
                         char *msg, size_t msglen)
{
    prevote_state *s = state;
    if ((size_t)node >= s->nn)
        return 0;
    fl_time now = fl_world_now(w);
    fl_time since = s->term_at[node];
    if (!rule_live(before) || !rule_live(after) ||
        before->term != after->term)
        s->term_at[node] = now;
    if (!rule_live(before) || !rule_live(after) ||
        after->kind != FL_VIEW_CANDIDATE || after->term <= before->term ||
        !rule_param_bool(w, FL_RAFT_PARAM_PREVOTE))
        return 0;
    if (s->timeout_now_to == node && s->timeout_now_at == now)
        return 0;                   /* a transfer skips PreVote (§3.10) */
    const char *role = fl_world_role(w, node);
    size_t servers = rule_servers(w, node), heard = 1;
    for (size_t p = 0; p < s->nn; p++)
        if ((fl_node_id)p != node && role &&
            !strcmp(fl_world_role(w, (fl_node_id)p), role) &&
            s->heard[(size_t)node * s->nn + p] >= since)
            heard++;
    if (heard * 2 > servers)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d started an election for term %" PRId64 " having "
                     "heard from only %zu of %zu servers (itself included) "
                     "since it entered term %" PRId64 " at %.3f ms, with "
                     "params.prevote on: no pre-vote round can have "
                     "succeeded, so its term must not move (thesis §9.6)",
                     node, after->term, heard, servers, before->term,
                     (double)since / 1e6);
}

/* ---- raft.match_monotonic -------- */

static int match_check(void *state, const fl_world *w, fl_node_id node,
                       const fl_view *before, const fl_view *after,
                       char *msg, size_t msglen)
{
    (void)state;
    (void)w;
    if (before->kind != FL_VIEW_LEADER || after->kind != FL_VIEW_LEADER ||
        before->term != after->term || !before->match || !after->match)
        return 0;
    size_t n = before->npeers < after->npeers ? before->npeers : after->npeers;
    for (size_t p = 0; p < n; p++)
        if ((fl_node_id)p != node && after->match[p] < before->match[p])
            return rule_fail(msg, msglen,
                             "leader %d of term %" PRId64 " lowered matchIndex "
                             "of node %zu from %" PRId64 " to %" PRId64 ": a "
                             "stale or duplicated reply must not move it back "
                             "(§5.3; matchIndex increases monotonically)", node,
                             after->term, p, before->match[p], after->match[p]);
    return 0;
}

/* ---- The table -------- */

const fl_invariant fl_rule_raft_term_durable = {
    .name = "raft.term_durable",
    .summary = "a node never shows a term below one it sent in a delivered "
               "message, across restarts (Figure 2: currentTerm persistent)",
    .state_size = sizeof(rule_state),
    .init = rule_init, .check = term_check, .destroy = rule_destroy,
    .message = term_message,
};

const fl_invariant fl_rule_raft_vote_durable = {
    .name = "raft.vote_durable",
    .summary = "a granted vote (a delivered RequestVoteReply) survives "
               "restarts: no lower term, no other vote in that term "
               "(Figure 2: votedFor persistent, synced before the reply)",
    .state_size = sizeof(rule_state),
    .init = rule_init, .check = vote_check, .destroy = rule_destroy,
    .message = vote_message,
};

const fl_invariant fl_rule_raft_ack_durable = {
    .name = "raft.ack_durable",
    .summary = "a follower restarts holding every entry it acknowledged "
               "(Figure 2: log synced before AppendEntries succeeds)",
    .state_size = sizeof(rule_state),
    .init = rule_init, .check = ack_check, .destroy = rule_destroy,
    .message = ack_message,
};

const fl_invariant fl_rule_raft_adopt_term = {
    .name = "raft.adopt_term",
    .summary = "a newer term in any request or reply is adopted at once, "
               "and a leader steps down (Figure 2, all servers)",
    .message = adopt_message,
    .check = NULL,
};

const fl_invariant fl_rule_raft_follower_commit = {
    .name = "raft.follower_commit",
    .summary = "AppendEntries sets commitIndex to at most min(leaderCommit, "
               "index of last new entry) (Figure 2, rule 5)",
    .message = fcommit_message,
};

const fl_invariant fl_rule_raft_commit_current_term = {
    .name = "raft.commit_current_term",
    .summary = "a leader advances its commit index only to an entry of its "
               "own term (§5.4.2)",
    .check = cct_check,
};

const fl_invariant fl_rule_raft_prevote = {
    .name = "raft.prevote",
    .summary = "with params.prevote, a node that has not heard from a "
               "majority lately never starts an election (thesis §9.6)",
    .state_size = sizeof(prevote_state),
    .init = prevote_init, .check = prevote_check, .destroy = prevote_destroy,
    .message = prevote_message,
};

const fl_invariant fl_rule_raft_match_monotonic = {
    .name = "raft.match_monotonic",
    .summary = "a leader's matchIndex never decreases within its term, "
               "whatever replies arrive late or twice (Figure 2)",
    .check = match_check,
};
