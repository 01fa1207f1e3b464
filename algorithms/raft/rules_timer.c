/* rules_timer.c — Raft's election-timer rule, judged from views and
 * messages (see rules.c and rules_log.c for the others):
 *
 *   raft.election_timer   a follower starts an election (its view turns
 *                         candidate, or its term moves) within two election
 *                         timeouts of the last thing that may postpone it:
 *                         granting a vote (a granting RequestVoteReply or
 *                         PreVoteReply it sent), an AppendEntries or
 *                         InstallSnapshot of its own term, a change of
 *                         term or role, a restart. A refused vote request
 *                         or a stale leader's AppendEntries must not keep
 *                         it waiting (Figure 2, Followers; §5.2).
 *
 * A node that did not step for longer than an election timeout was paused
 * (a follower's timer gives it a step at least that often): its wait
 * starts again. The bound, two election timeouts, leaves room for timers
 * that tick at a coarser grain than the scenario's range. Under manual
 * delivery (`faultline search`, fl_world_timed false) a scheduler may hold
 * a due timer back as long as it likes: while one of the node's timers is
 * late (fl_world_timer_late) its wait starts again too, so a follower is
 * never blamed for an election timer it was not given.
 *
 * Under manual delivery the same check judges the rule itself, at the
 * step that breaks it (in timed runs the bound above does, later), from
 * the timers the engine saw the node set (fl_world_step): a follower that
 * handled a message which may not postpone its election (neither the
 * current leader's AppendEntries or InstallSnapshot, nor a request it
 * granted a vote for), and stayed a follower in the same term, must not
 * set an election timer due later than the one it had (Figure 2,
 * Followers). A plug-in that times elections with another timer kind
 * (ticks) is judged by the bound alone. */
#include "algorithms/raft/rules.h"

#include <inttypes.h>
#include <stdlib.h>

#include "algorithms/raft/contract.h"

typedef struct timer_node {
    bool    known;       /* seen a step since it last (re)started */
    fl_time base;        /* the last event that may postpone its election */
    fl_time last_step;
    fl_time due;         /* its pending election timer's due, -1 unknown */
    bool    may_reset;   /* this step granted a vote or heard its leader */
} timer_node;

typedef struct timer_state {
    timer_node *n;
    size_t      nn;
} timer_state;

static int timer_init(void *state, const fl_world *w)
{
    timer_state *s = state;
    s->nn = fl_world_node_count(w);
    s->n = calloc(s->nn ? s->nn : 1, sizeof *s->n);
    if (!s->n)
        return -1;
    for (size_t i = 0; i < s->nn; i++)
        s->n[i].due = -1;
    return 0;
}

static void timer_destroy(void *state)
{
    timer_state *s = state;
    free(s->n);
    s->n = NULL;
}

static timer_node *timer_at(timer_state *s, fl_node_id node)
{
    return node >= 0 && (size_t)node < s->nn ? &s->n[node] : NULL;
}

/* A granted vote it sent, or a leader's request of its own term it
 * handled: both reset a follower's timer. */
static int timer_message(void *state, const fl_world *w, const fl_inv_msg *m,
                         char *msg, size_t msglen)
{
    (void)msg;
    (void)msglen;
    timer_state *s = state;
    const fl_msg_info *i = &m->info;
    if (m->sent) {
        timer_node *t = timer_at(s, m->from);
        if (t && i->ok == 1 && (rule_kind(i, FL_RAFT_REQUEST_VOTE_REPLY) ||
                                rule_kind(i, FL_RAFT_PRE_VOTE_REPLY))) {
            t->base = fl_world_now(w);
            t->may_reset = true;
        }
        return 0;
    }
    timer_node *t = timer_at(s, m->to);
    if (!t || !(rule_kind(i, FL_RAFT_APPEND_ENTRIES) ||
                rule_kind(i, FL_RAFT_INSTALL_SNAPSHOT)))
        return 0;
    /* A term not reported: it may be the current leader's. */
    if (i->term < 0 || !m->after || m->after->term < 0 ||
        i->term >= m->after->term) {
        t->base = fl_world_now(w);
        t->may_reset = true;
    }
    return 0;
}

/* The rule at the step: a follower that stayed one in its term, handled a
 * message that may not postpone its election, and set an election timer
 * due later than the one it had. Then follows the pending timer's due. */
static int timer_reset_rule(timer_node *t, const fl_step_info *st,
                            fl_node_id node, const fl_view *before,
                            const fl_view *after, char *msg, size_t msglen)
{
    const unsigned el = 1u << FL_TIMER_ELECTION;
    bool may = t->may_reset;
    t->may_reset = false;
    if (!st || st->node != node)
        return 0;
    fl_time old = t->due;
    if (st->set & el)
        t->due = st->set_due[FL_TIMER_ELECTION];
    else if (st->cause == FL_CAUSE_TIMER && st->timer == FL_TIMER_ELECTION)
        t->due = -1;                /* it fired; none known pending */
    if (st->cause != FL_CAUSE_MESSAGE || may || !(st->set & el) || old < 0 ||
        t->due <= old || before->kind != FL_VIEW_FOLLOWER ||
        after->kind != FL_VIEW_FOLLOWER || before->term != after->term)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d, a follower in term %" PRId64 ", handled a "
                     "message that neither came from the leader of its term "
                     "nor won its vote, and re-armed its election timer from "
                     "%.3f ms to %.3f ms: only a granted vote or the current "
                     "leader's AppendEntries may postpone an election "
                     "(Figure 2, §5.2)", node, after->term, (double)old / 1e6,
                     (double)t->due / 1e6);
}

static int timer_check(void *state, const fl_world *w, fl_node_id node,
                       const fl_view *before, const fl_view *after,
                       char *msg, size_t msglen)
{
    timer_state *s = state;
    timer_node *t = timer_at(s, node);
    if (!t)
        return 0;
    if (after->kind == FL_VIEW_NONE || after->kind == FL_VIEW_CLIENT) {
        t->known = false;
        t->due = -1;
        t->may_reset = false;
        return 0;
    }
    if (before->kind == FL_VIEW_NONE)
        t->due = -1;                /* a restart: its timers died */
    /* The rule at the step, under manual delivery: in timed runs the bound
     * below catches the same bug, as the suites and golden hashes were
     * measured with. */
    bool timed = fl_world_timed(w);
    const fl_step_info *st = timed ? NULL : fl_world_step(w);
    if (!timed && timer_reset_rule(t, st, node, before, after, msg,
                                   msglen) != 0)
        return -1;
    fl_time now = fl_world_now(w);
    fl_time hi = FL_MS(rule_election_hi_ms(w));
    /* Under manual delivery, a timer of its that fired late. */
    bool late = st && st->node == node && st->cause == FL_CAUSE_TIMER &&
                st->timer_due < now;
    if (!t->known || before->kind == FL_VIEW_NONE ||
        now - t->last_step > hi || before->kind != after->kind ||
        before->term != after->term || after->kind != FL_VIEW_FOLLOWER ||
        late) {
        t->known = true;
        t->base = now;
    }
    t->last_step = now;
    fl_time bound = 2 * hi;
    if (now - t->base <= bound)
        return 0;
    /* ... or one still held back (a scan: only when the bound is passed). */
    if (!timed && fl_world_timer_late(w, node)) {
        t->base = now;
        return 0;
    }
    return rule_fail(msg, msglen,
                     "node %d has been a follower in term %" PRId64 " since "
                     "%.3f ms without granting a vote or hearing a leader of "
                     "its term, and has not started an election (%.0f ms, "
                     "bound %.0f ms = 2 election timeouts): only a granted "
                     "vote or the current leader's AppendEntries may reset "
                     "the election timer (Figure 2, §5.2)", node, after->term,
                     (double)t->base / 1e6, (double)(now - t->base) / 1e6,
                     (double)bound / 1e6);
}

const fl_invariant fl_rule_raft_election_timer = {
    .name = "raft.election_timer",
    .summary = "a follower that neither grants a vote nor hears a leader of "
               "its term starts an election within two election timeouts, "
               "and no other message re-arms its election timer later "
               "(Figure 2, §5.2)",
    .state_size = sizeof(timer_state),
    .init = timer_init, .check = timer_check, .destroy = timer_destroy,
    .message = timer_message,
};
