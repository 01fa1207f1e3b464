/* rules_log.c — Raft's rule checks on logs, judged from what a server did
 * in one step (see rules.c for the others):
 *
 *   raft.up_to_date_vote   a server grants its vote only to a candidate
 *                          whose RequestVote (lastLogTerm, lastLogIndex) is
 *                          at least as up-to-date as the server's own log
 *                          (§5.4.1)
 *   raft.apply_committed   a server applies an entry only once its own
 *                          commit index covers it (§5.3, Figure 2: "if
 *                          commitIndex > lastApplied, apply")
 *   raft.append_merge      a follower that accepts an AppendEntries holds
 *                          the leader's log through its last new entry
 *                          (prevLogIndex + entries), and deletes entries
 *                          only after a conflict (Figure 2, AppendEntries
 *                          rules 3-4)
 *
 * All stand aside when the plug-in does not report what they need (-1
 * fields in describe or views, entries inspect_entry does not show). */
#include "algorithms/raft/rules.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/raft/contract.h"

/* ---- raft.up_to_date_vote -------- */

/* A granting reply a voter sent in the step now running; judged when the
 * request it answers has been handled. */
typedef struct grant {
    bool       pending;
    fl_node_id to;
    int64_t    term;
    fl_time    at;
} grant;

typedef struct vote_state {
    grant  *g;
    size_t  n;
} vote_state;

static int utd_init(void *state, const fl_world *w)
{
    vote_state *s = state;
    s->n = fl_world_node_count(w);
    s->g = calloc(s->n ? s->n : 1, sizeof *s->g);
    return s->g ? 0 : -1;
}

static void utd_destroy(void *state)
{
    vote_state *s = state;
    free(s->g);
    s->g = NULL;
}

/* The (term, index) of the last entry of `node`'s log as `v` shows it;
 * false if the plug-in does not say. An empty log is (0, 0). */
static bool last_entry(const fl_world *w, fl_node_id node, const fl_view *v,
                       int64_t *term, int64_t *index)
{
    if (!v || v->log_last < 0)
        return false;
    *index = v->log_last;
    *term = 0;
    if (v->log_last == 0)
        return true;
    fl_view_entry e;
    memset(&e, 0, sizeof e);
    if (!fl_world_entry(w, node, v->log_last, &e) || e.term < 0)
        return false;
    *term = e.term;
    return true;
}

static int utd_judge(const fl_world *w, const fl_inv_msg *m, char *msg, size_t msglen)
{
    fl_node_id voter = m->to;
    int64_t my_term, my_index;
    const fl_msg_info *i = &m->info;
    if (i->index < 0 || i->index_term < 0 || !m->before || !m->after ||
        m->before->log_last != m->after->log_last ||
        !last_entry(w, voter, m->before, &my_term, &my_index))
        return 0;
    if (i->index_term > my_term || (i->index_term == my_term && i->index >= my_index))
        return 0;
    return rule_fail(msg, msglen,
                     "node %d granted its vote in term %" PRId64 " to node %d, "
                     "whose log ends at index %" PRId64 " of term %" PRId64
                     ", less up-to-date than its own (index %" PRId64 " of term %"
                     PRId64 "): a vote goes only to a candidate whose log is at "
                     "least as up-to-date (§5.4.1)", voter, i->term, m->from,
                     i->index, i->index_term, my_index, my_term);
}

static int utd_message(void *state, const fl_world *w, const fl_inv_msg *m,
                       char *msg, size_t msglen)
{
    vote_state *s = state;
    if (m->sent) {
        if (m->from < 0 || (size_t)m->from >= s->n || m->info.ok != 1 ||
            !rule_kind(&m->info, FL_RAFT_REQUEST_VOTE_REPLY))
            return 0;
        s->g[m->from] = (grant){ true, m->to, m->info.term, fl_world_now(w) };
        return 0;
    }
    if (m->to < 0 || (size_t)m->to >= s->n || !rule_kind(&m->info, FL_RAFT_REQUEST_VOTE))
        return 0;
    grant *g = &s->g[m->to];
    bool granted = g->pending && g->to == m->from && g->at == fl_world_now(w) &&
                   (g->term < 0 || m->info.term < 0 || g->term == m->info.term);
    g->pending = false;
    return granted ? utd_judge(w, m, msg, msglen) : 0;
}

/* ---- raft.apply_committed -------- */

static int applied_check(void *state, const fl_world *w, fl_node_id node,
                         const fl_view *before, const fl_view *after,
                         char *msg, size_t msglen)
{
    (void)state;
    (void)w;
    if (before->kind == FL_VIEW_NONE || after->kind == FL_VIEW_NONE ||
        before->applied < 0 || after->applied < 0 || after->commit < 0 ||
        after->applied <= before->applied || after->applied <= after->commit)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d applied up to index %" PRId64 " while its commit "
                     "index is %" PRId64 ": only committed entries are applied "
                     "(§5.3; Figure 2: if commitIndex > lastApplied, apply)",
                     node, after->applied, after->commit);
}

/* ---- raft.append_merge -------- */

/* An AppendEntriesReply with success that a follower sent in the step now
 * running, and each server's log as of its last step (rules_shadow.c). */
typedef struct merge_state {
    grant       *acc;
    rule_shadow *log;
    size_t       n;
} merge_state;

static int merge_init(void *state, const fl_world *w)
{
    merge_state *s = state;
    s->n = fl_world_node_count(w);
    s->acc = calloc(s->n ? s->n : 1, sizeof *s->acc);
    s->log = calloc(s->n ? s->n : 1, sizeof *s->log);
    if (!s->acc || !s->log)
        return -1;
    for (size_t i = 0; i < s->n; i++)
        s->log[i].last = -1;
    return 0;
}

static void merge_destroy(void *state)
{
    merge_state *s = state;
    for (size_t i = 0; s->log && i < s->n; i++)
        rule_shadow_free(&s->log[i]);
    free(s->log);
    free(s->acc);
    s->log = NULL;
    s->acc = NULL;
}

/* Entry `index`'s chain on `node`; false if it does not show it. */
static bool chain_at(const fl_world *w, fl_node_id node, int64_t index,
                     uint64_t *chain)
{
    fl_view_entry e;
    memset(&e, 0, sizeof e);
    if (index < 1 || !fl_world_entry(w, node, index, &e))
        return false;
    *chain = e.chain;
    return true;
}

/* Rule 3: the follower's log through `last` (prevLogIndex + entries) is the
 * leader's. Judged while the sender still leads the term it sent in: its
 * log only grew since (a leader appends only), so its chain at `last` is
 * the one the message carried. */
static int merge_matches(const fl_world *w, const fl_inv_msg *m, int64_t last,
                         char *msg, size_t msglen)
{
    const fl_view *lv = fl_world_view(w, m->from);
    uint64_t mine, theirs;
    if (!lv || lv->kind != FL_VIEW_LEADER || lv->term != m->info.term ||
        !chain_at(w, m->to, last, &mine) || !chain_at(w, m->from, last, &theirs) ||
        mine == theirs)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d accepted an AppendEntries of node %d (term %"
                     PRId64 ", prevLogIndex %" PRId64 ", %" PRId64 " entries) "
                     "but its log up to index %" PRId64 " differs from the "
                     "leader's: an existing entry that conflicts with a new "
                     "one is deleted with all that follow it, and the new "
                     "entries appended (Figure 2, AppendEntries rules 3-4)",
                     m->to, m->from, m->info.term, m->info.index,
                     m->info.count, last);
}

/* Rule 3, the other way: where nothing conflicted through `last` (the
 * follower's chain there is the one it held before the step), nothing is
 * deleted — a delayed or duplicated AppendEntries must not cut entries
 * that a newer one appended. */
static int merge_kept(const merge_state *s, const fl_world *w,
                      const fl_inv_msg *m, int64_t last, char *msg,
                      size_t msglen)
{
    const rule_shadow *sh = &s->log[m->to];
    uint64_t now, was;
    if (!sh->exact || last < 1 || !rule_shadow_chain(sh, last, &was) ||
        m->after->log_last >= m->before->log_last ||
        !chain_at(w, m->to, last, &now) || now != was)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d accepted an AppendEntries of node %d (term %"
                     PRId64 ", prevLogIndex %" PRId64 ", %" PRId64 " entries) "
                     "that matched its log through index %" PRId64 ", yet its "
                     "log shrank from %" PRId64 " to %" PRId64 " entries: "
                     "entries are deleted only after a conflict (Figure 2, "
                     "AppendEntries rule 3)", m->to, m->from, m->info.term,
                     m->info.index, m->info.count, last, m->before->log_last,
                     m->after->log_last);
}

static int merge_message(void *state, const fl_world *w, const fl_inv_msg *m,
                         char *msg, size_t msglen)
{
    merge_state *s = state;
    if (m->sent) {
        if (m->from >= 0 && (size_t)m->from < s->n && m->info.ok == 1 &&
            rule_kind(&m->info, FL_RAFT_APPEND_ENTRIES_REPLY))
            s->acc[m->from] = (grant){ true, m->to, m->info.term, fl_world_now(w) };
        return 0;
    }
    if (m->to < 0 || (size_t)m->to >= s->n ||
        !rule_kind(&m->info, FL_RAFT_APPEND_ENTRIES))
        return 0;
    grant *g = &s->acc[m->to];
    bool accepted = g->pending && g->to == m->from && g->at == fl_world_now(w);
    g->pending = false;
    if (!accepted || m->info.index < 0 || m->info.count < 0 || m->info.term < 0 ||
        !m->before || !m->after || m->before->log_last < 0 ||
        m->after->log_last < 0)
        return 0;
    int64_t last = m->info.index + m->info.count;
    if (merge_matches(w, m, last, msg, msglen) != 0)
        return -1;
    return merge_kept(s, w, m, last, msg, msglen);
}

static int merge_check(void *state, const fl_world *w, fl_node_id node,
                       const fl_view *before, const fl_view *after,
                       char *msg, size_t msglen)
{
    merge_state *s = state;
    if (node < 0 || (size_t)node >= s->n || after->kind == FL_VIEW_NONE)
        return 0;
    int64_t kept;
    int rc = before->kind == FL_VIEW_NONE
        ? rule_shadow_reset(&s->log[node], w, node, after)
        : rule_shadow_step(&s->log[node], w, node, after, &kept);
    return rc == 0 ? 0 : rule_fail(msg, msglen, "raft.append_merge: out of memory");
}

/* ---- The table -------- */

const fl_invariant fl_rule_raft_up_to_date_vote = {
    .name = "raft.up_to_date_vote",
    .summary = "a vote goes only to a candidate whose last log term and index "
               "are at least as up-to-date as the voter's (§5.4.1)",
    .state_size = sizeof(vote_state),
    .init = utd_init, .destroy = utd_destroy, .message = utd_message,
};

const fl_invariant fl_rule_raft_apply_committed = {
    .name = "raft.apply_committed",
    .summary = "a server applies an entry only when its own commit index "
               "covers it (§5.3)",
    .check = applied_check,
};

const fl_invariant fl_rule_raft_append_merge = {
    .name = "raft.append_merge",
    .summary = "an accepted AppendEntries leaves the follower's log equal to "
               "the leader's through its last new entry, and deletes entries "
               "only after a conflict (Figure 2, AppendEntries rules 3-4)",
    .state_size = sizeof(merge_state),
    .init = merge_init, .destroy = merge_destroy, .message = merge_message,
    .check = merge_check,
};
