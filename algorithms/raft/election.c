/* election.c — Raft's roles and elections: randomized election timers
 * (Raft §5.2), RequestVote with the up-to-date check (§5.4.1), PreVote
 * (thesis §9.6), the leader-stickiness rule that ignores disruptive vote
 * requests (thesis §4.2.3), check-quorum (thesis §6.2) and leadership
 * transfer with TimeoutNow (thesis §3.10). */
#include "algorithms/raft/raft.h"

static void raft_transfer_stop(fl_ctx *ctx, raft_node *r);

/* ---- Timers and role changes ------------------------------------------- */

void raft_reset_election_timer(fl_ctx *ctx, raft_node *r)
{
    if (r->election_timer)
        fl_cancel_timer(ctx, r->election_timer);
    r->election_timer = 0;
    fl_time delay;
    fl_timer_kind kind = FL_TIMER_ELECTION;
    if (r->role == RAFT_LEADER) {
        /* A leader only keeps this timer for check-quorum (§6.2). */
        if (!r->p.check_quorum)
            return;
        delay = FL_MS(r->p.election_hi_ms);
        kind = FL_TIMER_LEASE;
    } else {
        /* Raft §5.2: randomized timeouts make split votes rare. */
        delay = fl_random_between(ctx, FL_MS(r->p.election_lo_ms),
                                  FL_MS(r->p.election_hi_ms));
    }
    r->election_timer = fl_set_timer(ctx, delay, kind, ++r->election_cookie);
}

void raft_become_follower(fl_ctx *ctx, raft_node *r, int64_t term,
                          fl_node_id leader)
{
    raft_role_kind was = r->role;
    if (term > r->term) {
        /* Raft §5.1: a newer term makes us forget our vote. */
        r->term = term;
        r->voted_for = FL_NO_NODE;
        r->meta_dirty = true;
    }
    if (was == RAFT_LEADER) {
        if (r->heartbeat_timer)
            fl_cancel_timer(ctx, r->heartbeat_timer);
        r->heartbeat_timer = 0;
        raft_transfer_stop(ctx, r);
        raft_drop_clients(r);
        fl_log(ctx, "raft: stepping down in term %lld", (long long)r->term);
    }
    r->role = RAFT_FOLLOWER;
    r->leader = leader;
    if (was != RAFT_FOLLOWER)
        raft_reset_election_timer(ctx, r);
}

static void raft_reset_votes(raft_node *r)
{
    for (size_t i = 0; i < r->npeers; i++)
        r->peers[i].vote = r->peers[i].id == r->self ? 1 : -1;
}

static size_t raft_count_votes(const raft_node *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->npeers; i++)
        n += r->peers[i].vote == 1;
    return n;
}

/* Thesis §3.10: a leader transfers leadership after leading this long. */
static void raft_transfer_arm(fl_ctx *ctx, raft_node *r, fl_time delay)
{
    if (r->transfer_timer)
        fl_cancel_timer(ctx, r->transfer_timer);
    r->transfer_timer = fl_set_timer(ctx, delay, FL_TIMER_TICK,
                                     ++r->transfer_cookie);
}

/* Raft §5.2, §8: a new leader resets next/match and appends a no-op so
 * entries of earlier terms get committed (and ReadIndex can start). */
static void raft_become_leader(fl_ctx *ctx, raft_node *r)
{
    r->role = RAFT_LEADER;
    r->leader = r->self;
    r->round = 0;
    r->transfer_to = FL_NO_NODE;
    if (r->transfer_term == r->term) {
        r->transfers++;
        fl_log(ctx, "raft: leadership transferred here in term %lld",
               (long long)r->term);
    }
    r->transfer_term = 0;
    int64_t last = raft_log_last(&r->log);
    for (size_t i = 0; i < r->npeers; i++) {
        raft_peer *p = &r->peers[i];
        p->next = last + 1;
        p->match = 0;
        p->acked_round = 0;
        p->active = false;
    }
    fl_log(ctx, "raft: leader for term %lld", (long long)r->term);
    raft_reset_election_timer(ctx, r);
    r->term_start = last + 1;
    /* The Figure 8 bug also skips the no-op, as the paper's leader does. */
    if (!raft_bug(r, RAFT_BUG(COMMIT_OLD_TERM))) {
        raft_cmd noop = {.type = RAFT_CMD_NOOP};
        if (raft_append_local(ctx, r, r->term, &noop) != 0) {
            raft_become_follower(ctx, r, r->term, FL_NO_NODE);
            return;
        }
    }
    raft_broadcast_append(ctx, r);
    raft_schedule_heartbeat(ctx, r);
    if (r->p.transfer_every_ms > 0)
        raft_transfer_arm(ctx, r, FL_MS(r->p.transfer_every_ms));
    raft_advance_commit(ctx, r);
}

/* Sends RequestVote (or PreVote) to every peer that has not answered, and
 * asks again every heartbeat interval: Raft §5.1, servers retry RPCs that
 * get no timely response. */
static void raft_ask_votes(fl_ctx *ctx, raft_node *r)
{
    bool pre = r->role == RAFT_PRECANDIDATE;
    raft_msg m = {.type = pre ? RAFT_MSG_PREVOTE : RAFT_MSG_VOTE,
                  .term = pre ? r->term + 1 : r->term};
    m.u.vote.last_index = raft_log_last(&r->log);
    m.u.vote.last_term = raft_log_last_term(&r->log);
    m.u.vote.transfer = !pre && r->transfer_term == r->term;
    for (size_t i = 0; i < r->npeers; i++)
        if (r->peers[i].id != r->self && r->peers[i].vote == -1)
            raft_send(ctx, r, r->peers[i].id, &m);
    if (r->retry_timer)
        fl_cancel_timer(ctx, r->retry_timer);
    r->retry_timer = fl_set_timer(ctx, FL_MS(r->p.heartbeat_ms),
                                  FL_TIMER_RETRY, ++r->retry_cookie);
}

void raft_on_retry_timer(fl_ctx *ctx, raft_node *r)
{
    r->retry_timer = 0;
    if (r->role == RAFT_CANDIDATE || r->role == RAFT_PRECANDIDATE)
        raft_ask_votes(ctx, r);
}

/* Raft §5.2: vote for ourselves and ask everyone else. `transfer`: the
 * leader asked us to with TimeoutNow (thesis §3.10). */
static void raft_start_election(fl_ctx *ctx, raft_node *r, bool transfer)
{
    r->role = RAFT_CANDIDATE;
    r->term++;
    r->transfer_term = transfer ? r->term : 0;
    r->voted_for = r->self;
    r->meta_dirty = true;
    r->leader = FL_NO_NODE;
    r->elections++;
    raft_reset_votes(r);
    raft_reset_election_timer(ctx, r);
    if (raft_count_votes(r) >= raft_majority(r)) {
        raft_become_leader(ctx, r);
        return;
    }
    raft_ask_votes(ctx, r);
}

/* Thesis §9.6: ask whether we could win before disturbing anyone's term. */
static void raft_start_prevote(fl_ctx *ctx, raft_node *r)
{
    r->role = RAFT_PRECANDIDATE;
    r->leader = FL_NO_NODE;
    raft_reset_votes(r);
    raft_reset_election_timer(ctx, r);
    if (raft_count_votes(r) >= raft_majority(r)) {
        raft_start_election(ctx, r, false);
        return;
    }
    raft_ask_votes(ctx, r);
}

/* Thesis §6.2: a leader that has not heard from a majority within an
 * election timeout steps down, so clients stop waiting on it. */
static void raft_check_quorum(fl_ctx *ctx, raft_node *r)
{
    size_t heard = 0;
    for (size_t i = 0; i < r->npeers; i++) {
        raft_peer *p = &r->peers[i];
        heard += p->id == r->self || p->active;
        p->active = false;
    }
    if (heard < raft_majority(r)) {
        fl_log(ctx, "raft: check-quorum: heard from %zu of %zu servers",
               heard, r->npeers);
        raft_become_follower(ctx, r, r->term, FL_NO_NODE);
        return;
    }
    raft_reset_election_timer(ctx, r);
}

void raft_on_election_timer(fl_ctx *ctx, raft_node *r)
{
    if (r->role == RAFT_LEADER)
        raft_check_quorum(ctx, r);
    else if (r->p.prevote)
        raft_start_prevote(ctx, r);
    else
        raft_start_election(ctx, r, false);
}

/* ---- Votes -------------------------------------------------------------- */

/* Thesis §4.2.3: we heard from a live leader within the minimum election
 * timeout, so a vote request is someone disrupting a healthy cluster. */
static bool raft_in_lease(fl_ctx *ctx, const raft_node *r)
{
    if (r->role == RAFT_LEADER)
        return true;
    return r->heard_leader && r->leader != FL_NO_NODE &&
           fl_now(ctx) - r->leader_contact < FL_MS(r->p.election_lo_ms);
}

/* Raft §5.4.1: only vote for a candidate whose log is at least as up to
 * date as ours. */
static bool raft_log_ok(const raft_node *r, const raft_msg *m)
{
    if (raft_bug(r, RAFT_BUG(NO_UP_TO_DATE)))
        return true;
    return raft_log_up_to_date(&r->log, m->u.vote.last_term,
                               m->u.vote.last_index);
}

static void raft_on_prevote(fl_ctx *ctx, raft_node *r, fl_node_id from,
                            const raft_msg *m)
{
    /* Thesis §9.6: grant without changing any state if the candidate could
     * win: a newer term, an up-to-date log, and no leader heard lately. */
    bool grant = m->term > r->term && raft_log_ok(r, m) &&
                 !raft_in_lease(ctx, r);
    raft_msg reply = {.type = RAFT_MSG_PREVOTE_REPLY};
    reply.term = grant ? m->term : r->term;
    reply.u.vote_reply.granted = grant;
    raft_send(ctx, r, from, &reply);
}

void raft_on_vote(fl_ctx *ctx, raft_node *r, fl_node_id from,
                  const raft_msg *m)
{
    if (m->type == RAFT_MSG_PREVOTE) {
        raft_on_prevote(ctx, r, from, m);
        return;
    }
    if (m->term > r->term) {
        /* Thesis §4.2.3: ignore, keep our term; but an election started by
         * TimeoutNow disrupts the leader on purpose (thesis §3.10). */
        if (r->p.check_quorum && raft_in_lease(ctx, r) &&
            !m->u.vote.transfer)
            return;
        raft_become_follower(ctx, r, m->term, FL_NO_NODE);
    }
    /* Raft §5.2: at most one vote per term, first come first served. */
    bool grant = false;
    if (m->term == r->term && r->role != RAFT_LEADER && raft_log_ok(r, m)) {
        grant = r->voted_for == FL_NO_NODE || r->voted_for == from ||
                raft_bug(r, RAFT_BUG(VOTE_TWICE));
    }
    if (grant) {
        if (r->voted_for != from) {
            r->voted_for = from;
            r->meta_dirty = true;   /* durable before the reply (Figure 2) */
        }
        raft_reset_election_timer(ctx, r);
    }
    raft_msg reply = {.type = RAFT_MSG_VOTE_REPLY, .term = r->term};
    reply.u.vote_reply.granted = grant;
    raft_send(ctx, r, from, &reply);
}

void raft_on_vote_reply(fl_ctx *ctx, raft_node *r, fl_node_id from,
                        const raft_msg *m)
{
    raft_peer *p = raft_peer_of(r, from);
    if (m->type == RAFT_MSG_PREVOTE_REPLY) {
        if (r->role != RAFT_PRECANDIDATE)
            return;
        if (!m->u.vote_reply.granted) {
            if (m->term > r->term)
                raft_become_follower(ctx, r, m->term, FL_NO_NODE);
            else if (m->term == r->term)
                p->vote = 0;
            return;
        }
        if (m->term != r->term + 1)
            return;                 /* an answer to an older pre-vote */
        p->vote = 1;
        if (raft_count_votes(r) >= raft_majority(r))
            raft_start_election(ctx, r, false);
        return;
    }
    if (r->role != RAFT_CANDIDATE || m->term != r->term)
        return;
    p->vote = m->u.vote_reply.granted ? 1 : 0;
    if (raft_count_votes(r) >= raft_majority(r))
        raft_become_leader(ctx, r);
}

/* ---- Leadership transfer (thesis §3.10) --------------------------------- */

/* Forgets a transfer: the leader steps down, or gives up. */
static void raft_transfer_stop(fl_ctx *ctx, raft_node *r)
{
    if (r->transfer_timer)
        fl_cancel_timer(ctx, r->transfer_timer);
    r->transfer_timer = 0;
    r->transfer_cookie++;
    r->transfer_to = FL_NO_NODE;
}

static void raft_send_timeout_now(fl_ctx *ctx, raft_node *r, fl_node_id to)
{
    raft_msg m = {.type = RAFT_MSG_TIMEOUT_NOW, .term = r->term};
    m.u.timeout_now.last_index = raft_log_last(&r->log);
    fl_log(ctx, "raft: TimeoutNow to %d", (int)to);
    raft_send(ctx, r, to, &m);
}

/* The most up-to-date follower: the highest matchIndex, ties to the lowest
 * id (peers are sorted by id). FL_NO_NODE in a cluster of one. */
static fl_node_id raft_transfer_pick(const raft_node *r)
{
    const raft_peer *best = NULL;
    for (size_t i = 0; i < r->npeers; i++) {
        const raft_peer *p = &r->peers[i];
        if (p->id != r->self && (!best || p->match > best->match))
            best = p;
    }
    return best ? best->id : FL_NO_NODE;
}

void raft_transfer_progress(fl_ctx *ctx, raft_node *r, const raft_peer *p)
{
    /* Client requests are held off, so our last index stays put: once the
     * target holds it, its log is at least as up to date as any voter's
     * and it can win at once. TimeoutNow is sent again on every such
     * acknowledgement until the transfer ends, in case one is lost; a
     * repeat carries our old term, which the target then ignores. */
    if (r->role == RAFT_LEADER && p->id == r->transfer_to &&
        p->match >= raft_log_last(&r->log))
        raft_send_timeout_now(ctx, r, p->id);
}

/* Fires after transfer_every_ms of leadership (start a transfer) or an
 * election timeout into one (give up and serve clients again). */
void raft_on_transfer_timer(fl_ctx *ctx, raft_node *r)
{
    r->transfer_timer = 0;
    if (r->role != RAFT_LEADER)
        return;
    if (r->transfer_to != FL_NO_NODE) {
        fl_log(ctx, "raft: transfer to %d timed out; leading on",
               (int)r->transfer_to);
        r->transfer_to = FL_NO_NODE;
        raft_transfer_arm(ctx, r, FL_MS(r->p.transfer_every_ms));
        return;
    }
    fl_node_id to = raft_transfer_pick(r);
    if (to == FL_NO_NODE) {
        raft_transfer_arm(ctx, r, FL_MS(r->p.transfer_every_ms));
        return;
    }
    r->transfer_to = to;
    raft_peer *p = raft_peer_of(r, to);
    fl_log(ctx, "raft: transferring leadership to %d (match %lld of %lld)",
           (int)to, (long long)p->match, (long long)raft_log_last(&r->log));
    raft_transfer_arm(ctx, r, FL_MS(r->p.election_hi_ms));
    if (p->match >= raft_log_last(&r->log))
        raft_send_timeout_now(ctx, r, to);
    else
        raft_send_append(ctx, r, p);    /* bring it up to date first */
}

/* The leader of our term asks us to start an election right away: no
 * randomized wait and no PreVote (thesis §3.10), and the vote requests say
 * so, so that voters who heard the leader lately still answer. */
void raft_on_timeout_now(fl_ctx *ctx, raft_node *r, fl_node_id from,
                         const raft_msg *m)
{
    if (m->term != r->term || r->role == RAFT_LEADER)
        return;                     /* stale: the transfer is over */
    if (raft_bug(r, RAFT_BUG(IGNORE_TRANSFER)))
        return;
    if (raft_log_last(&r->log) < m->u.timeout_now.last_index)
        return;                     /* we could not win with this log */
    fl_log(ctx, "raft: TimeoutNow from %d: starting an election now",
           (int)from);
    raft_start_election(ctx, r, true);
}
