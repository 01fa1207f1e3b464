/* multi.c — the "multipaxos" algorithm: one server role playing acceptor,
 * leader and replica (multi.h), its fl_algorithm table, and its views. */
#include "algorithms/paxos/multi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/paxos/paxos_table.h"
#include "algorithms/paxos/view.h"

static bool mpx_bug(const mpx_node *x, unsigned bug)
{
    return paxos_has_bug(&x->p, bug);
}

static size_t mpx_majority(const mpx_node *x)
{
    return x->n / 2 + 1;
}

static int mpx_index(const mpx_node *x, fl_node_id id)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->peers[i].id == id)
            return (int)i;
    return -1;
}

/* Every send goes through here: what the acceptor promised or accepted is
 * synced first (PMS §2.3, PMMC §3: "the acceptor ... responds" only with
 * state it will remember). */
static void mpx_send(fl_ctx *ctx, mpx_node *x, fl_node_id to,
                     const paxos_msg *m)
{
    paxos_acc_flush(ctx, &x->acc);
    if (paxos_msg_encode(m, &x->out) != 0) {
        fl_log(ctx, "multipaxos: out of memory encoding %s",
               paxos_msg_type_name(m->type));
        return;
    }
    fl_send(ctx, to, x->out.data, x->out.len);
}

static void mpx_note_proposal(mpx_node *x, int64_t slot)
{
    if (x->prop_lo < 0 || slot < x->prop_lo)
        x->prop_lo = slot;
    if (slot > x->prop_hi)
        x->prop_hi = slot;
}

/* ---- Timers ---------------------------------------------------------------- */

static void mpx_reset_election(fl_ctx *ctx, mpx_node *x)
{
    x->election_cookie++;
    int64_t ms = fl_random_between(ctx, x->p.election_lo_ms,
                                   x->p.election_hi_ms);
    fl_set_timer(ctx, FL_MS(ms), FL_TIMER_ELECTION, x->election_cookie);
}

static void mpx_schedule_heartbeat(fl_ctx *ctx, mpx_node *x)
{
    x->heartbeat_cookie++;
    fl_set_timer(ctx, FL_MS(x->p.heartbeat_ms), FL_TIMER_HEARTBEAT,
                 x->heartbeat_cookie);
}

/* ---- Replica: commit, apply, answer ----------------------------------------- */

static void mpx_answer(fl_ctx *ctx, mpx_node *x, const paxos_cmd *cmd,
                       int64_t slot, bool ran, int64_t result,
                       fl_status status)
{
    size_t k = 0;
    for (size_t i = 0; i < x->npending; i++) {
        mpx_pending p = x->pending[i];
        if (ran && cmd->type == PAXOS_CMD_OP && p.req.client == cmd->client &&
            p.req.seq == cmd->seq) {
            paxos_acc_flush(ctx, &x->acc);
            fl_reply(ctx, &p.req, status, result);
        } else if (p.slot > slot) {
            x->pending[k++] = p;
        }
        /* else: its slot was chosen with another command; the client
         * retries and is answered from its session or proposed again. */
    }
    x->npending = k;
}

fl_kvsm_outcome paxos_kv_apply(fl_kvsm *kv, const paxos_cmd *cmd,
                               int64_t *result, fl_status *status)
{
    *result = 0;
    *status = FL_STATUS_OK;
    if (cmd->type != PAXOS_CMD_OP)
        return FL_KVSM_DONE;
    return fl_kvsm_apply(kv, cmd->client, cmd->seq, &cmd->op, result, status);
}

static void mpx_apply(fl_ctx *ctx, mpx_node *x)
{
    while (x->applied < x->commit) {
        paxos_slot *s = paxos_log_at(&x->log, x->applied + 1);
        if (!s || !s->chosen)
            break;
        int64_t result;
        fl_status status;
        fl_kvsm_outcome o = paxos_kv_apply(&x->kv, &s->chosen_cmd, &result,
                                           &status);
        if (o == FL_KVSM_OOM) {
            fl_log(ctx, "multipaxos: out of memory applying slot %lld",
                   (long long)(x->applied + 1));
            break;
        }
        x->applied++;
        if (x->role == MPX_LEADER && x->npending > 0)
            mpx_answer(ctx, x, &s->chosen_cmd, x->applied,
                       o != FL_KVSM_STALE, result, status);
    }
}

/* Raises the commit over every chosen slot in a row, chaining hashes. */
static void mpx_advance(fl_ctx *ctx, mpx_node *x)
{
    for (;;) {
        paxos_slot *s = paxos_log_at(&x->log, x->commit + 1);
        if (!s || !s->chosen)
            break;
        const paxos_slot *prev = paxos_log_get(&x->log, x->commit);
        uint8_t b[PAXOS_CMD_MAX_BYTES];
        size_t n = paxos_cmd_encode(&s->chosen_cmd, b);
        s->chain = paxos_chain_hash(prev ? prev->chain : 0, b, n);
        x->commit++;
    }
    mpx_apply(ctx, x);
}

static void mpx_learn(mpx_node *x, int64_t slot, int64_t ballot,
                      const paxos_cmd *cmd)
{
    paxos_slot *s = paxos_log_ensure(&x->log, slot);
    if (s && !s->chosen)
        paxos_log_learn(s, ballot, cmd);
}

/* ---- Leader: phase 2 --------------------------------------------------------- */

/* An Accept for `peer` carrying the proposals it has not acknowledged in
 * [from, to] and the decisions it misses (at most `batch` of each). */
static void mpx_send_accept(fl_ctx *ctx, mpx_node *x, size_t peer,
                            int64_t from, int64_t to, bool force)
{
    size_t cap = (size_t)x->p.batch;
    paxos_entry *e = calloc(cap, sizeof *e), *d = calloc(cap, sizeof *d);
    if (!e || !d) {
        free(e);
        free(d);
        fl_log(ctx, "multipaxos: out of memory building an Accept");
        return;
    }
    uint64_t bit = UINT64_C(1) << peer;
    paxos_msg m = {.type = PAXOS_MSG_ACCEPT, .ballot = x->ballot,
                   .promised = x->acc.promised, .slot = x->commit,
                   .e = e, .d = d};
    for (int64_t s = from > 1 ? from : 1; s <= to && m.n < cap; s++) {
        const paxos_slot *sl = paxos_log_get(&x->log, s);
        if (!sl || sl->chosen || sl->prop_ballot != x->ballot ||
            (sl->ack_mask & bit))
            continue;
        e[m.n].slot = s;
        e[m.n].ballot = x->ballot;
        e[m.n].cmd = sl->prop_cmd;
        m.n++;
    }
    /* Decisions for chosen slots it may not be able to infer. */
    mpx_peer *p = &x->peers[peer];
    for (int64_t s = p->known_commit + 1; s <= x->commit && m.nd < cap; s++) {
        const paxos_slot *sl = paxos_log_get(&x->log, s);
        if (!sl || !sl->chosen ||
            (sl->chosen_ballot == x->ballot && (sl->ack_mask & bit)))
            continue;
        d[m.nd].slot = s;
        d[m.nd].ballot = sl->chosen_ballot;
        d[m.nd].chosen = 1;
        d[m.nd].cmd = sl->chosen_cmd;
        m.nd++;
    }
    if (force || m.n > 0 || m.nd > 0)
        mpx_send(ctx, x, p->id, &m);
    free(e);
    free(d);
}

static void mpx_broadcast(fl_ctx *ctx, mpx_node *x, int64_t from, int64_t to)
{
    for (size_t i = 0; i < x->n; i++)
        if ((int)i != x->me)
            mpx_send_accept(ctx, x, i, from, to, true);
}

/* One acknowledgement of `slot` at our ballot from acceptor `idx`. */
static void mpx_ack(mpx_node *x, int idx, int64_t slot)
{
    paxos_slot *s = paxos_log_at(&x->log, slot);
    if (s && s->chosen && s->chosen_ballot == x->ballot) {
        /* A late acknowledgement: the peer can infer this decision from
         * our commit, so it needs no explicit one. */
        s->ack_mask |= UINT64_C(1) << idx;
        return;
    }
    if (!s || s->chosen || s->prop_ballot != x->ballot)
        return;
    size_t n;
    if (mpx_bug(x, PAXOS_BUG(DOUBLE_COUNT))) {
        n = ++s->ack_count;             /* counts messages, not acceptors */
        s->ack_mask |= UINT64_C(1) << idx;
    } else {
        s->ack_mask |= UINT64_C(1) << idx;
        n = (size_t)__builtin_popcountll(s->ack_mask);
    }
    if (n >= mpx_majority(x))
        paxos_log_learn(s, x->ballot, &s->prop_cmd);
}

/* Proposes `cmd` in `slot` at our ballot and accepts it locally. */
static int mpx_propose_at(fl_ctx *ctx, mpx_node *x, int64_t slot,
                          const paxos_cmd *cmd)
{
    paxos_slot *s = paxos_log_ensure(&x->log, slot);
    if (!s)
        return -1;
    s->prop_ballot = x->ballot;
    s->prop_cmd = *cmd;
    s->ack_mask = 0;
    s->ack_count = 0;
    mpx_note_proposal(x, slot);
    int rc = paxos_acc_accept(ctx, &x->acc, &x->log, x->ballot, slot, cmd);
    if (rc == 1)
        mpx_ack(x, x->me, slot);
    return rc < 0 ? -1 : 0;
}

/* ---- Stepping down and campaigning ------------------------------------------ */

static void mpx_step_down(fl_ctx *ctx, mpx_node *x, int64_t seen)
{
    if (x->role != MPX_FOLLOWER)
        fl_log(ctx, "multipaxos: preempted by ballot %lld.%d",
               (long long)paxos_ballot_round(seen),
               (int)paxos_ballot_owner(seen));
    x->role = MPX_FOLLOWER;
    x->leader = paxos_ballot_owner(seen);
    x->npending = 0;                /* its clients time out and retry */
    x->heartbeat_cookie++;
    mpx_reset_election(ctx, x);
}

static void mpx_become_leader(fl_ctx *ctx, mpx_node *x)
{
    x->role = MPX_LEADER;
    x->leader = x->self;
    for (size_t i = 0; i < x->n; i++)
        x->peers[i].known_commit = 0;
    fl_log(ctx, "multipaxos: leading with ballot %lld.%d from slot %lld",
           (long long)paxos_ballot_round(x->ballot), (int)x->self,
           (long long)(x->commit + 1));
    /* PMMC §3: re-propose the highest-ballot pvalue of every slot a
     * promise reported, and no-ops in the gaps, so in-flight slots end
     * with the value they may already have chosen. */
    int64_t last = x->log.last;
    for (int64_t s = x->commit + 1; s <= last; s++) {
        paxos_slot *sl = paxos_log_at(&x->log, s);
        if (!sl || sl->chosen)
            continue;
        paxos_cmd cmd = paxos_cmd_noop(x->self);
        if (sl->p1_ballot >= 0 && !mpx_bug(x, PAXOS_BUG(IGNORE_ACCEPTED)))
            cmd = sl->p1_cmd;
        sl->p1_ballot = PAXOS_NO_BALLOT;
        if (mpx_propose_at(ctx, x, s, &cmd) != 0)
            break;
    }
    x->next_slot = last + 1;
    /* A fresh leader's no-op: commits its first slot at once, which also
     * tells a restarted leader how far the log reaches. */
    paxos_cmd noop = paxos_cmd_noop(x->self);
    if (mpx_propose_at(ctx, x, x->next_slot, &noop) == 0)
        x->next_slot++;
    mpx_advance(ctx, x);
    mpx_broadcast(ctx, x, x->commit + 1, x->next_slot - 1);
    mpx_schedule_heartbeat(ctx, x);
}

static void mpx_campaign(fl_ctx *ctx, mpx_node *x)
{
    /* Above every ballot this node promised or tried, so never one it
     * used before a restart (the forget-round bug looks only at the
     * ballot it tried in this life, and campaigns even when its own
     * acceptor refuses). */
    bool forget = mpx_bug(x, PAXOS_BUG(FORGET_ROUND));
    int64_t round = forget ? 0 : paxos_ballot_round(x->acc.promised);
    if (paxos_ballot_round(x->ballot) > round)
        round = paxos_ballot_round(x->ballot);
    if (round + 1 >= PAXOS_MAX_ROUND)
        return;
    x->ballot = paxos_ballot(round + 1, x->self,
                             !mpx_bug(x, PAXOS_BUG(NON_UNIQUE)));
    x->role = MPX_CANDIDATE;
    x->leader = FL_NO_NODE;
    x->elections++;
    x->npending = 0;
    x->heartbeat_cookie++;
    /* Our own promise (phase 1 at our own acceptor), and what it holds. */
    bool self_ok = paxos_acc_prepare(&x->acc, x->ballot);
    if (!self_ok && !forget) {
        mpx_reset_election(ctx, x);
        return;
    }
    x->promise_mask = self_ok ? UINT64_C(1) << x->me : 0;
    x->refuse_mask = 0;
    for (int64_t s = x->commit + 1; s <= x->log.last; s++) {
        paxos_slot *sl = paxos_log_at(&x->log, s);
        sl->p1_ballot = sl->acc_ballot;
        sl->p1_cmd = sl->acc_cmd;
    }
    fl_log(ctx, "multipaxos: phase 1 with ballot %lld.%d",
           (long long)paxos_ballot_round(x->ballot), (int)x->self);
    if ((size_t)__builtin_popcountll(x->promise_mask) >= mpx_majority(x)) {
        mpx_become_leader(ctx, x);
        return;
    }
    paxos_msg m = {.type = PAXOS_MSG_PREPARE, .ballot = x->ballot,
                   .promised = x->acc.promised, .slot = x->commit + 1};
    for (size_t i = 0; i < x->n; i++)
        if ((int)i != x->me)
            mpx_send(ctx, x, x->peers[i].id, &m);
    mpx_reset_election(ctx, x);     /* retry with a higher ballot */
}

/* ---- Messages ---------------------------------------------------------------- */

/* Phase 1b (PMMC "Acceptor": p1a -> p1b with every accepted pvalue from
 * the asked slot on). Chosen slots are reported as such. */
static void mpx_on_prepare(fl_ctx *ctx, mpx_node *x, fl_node_id from,
                           const paxos_msg *m)
{
    bool ok = paxos_acc_prepare(&x->acc, m->ballot);
    if (ok && m->ballot > x->ballot && x->role != MPX_FOLLOWER)
        mpx_step_down(ctx, x, m->ballot);
    else if (ok)
        mpx_reset_election(ctx, x);  /* let the candidate finish */
    paxos_msg r = {.type = PAXOS_MSG_PROMISE, .ballot = m->ballot, .ok = ok,
                   .promised = x->acc.promised, .slot = x->commit};
    paxos_entry *e = NULL;
    if (ok) {
        int64_t from_slot = m->slot > 1 ? m->slot : 1;
        size_t cap = x->log.last >= from_slot
                         ? (size_t)(x->log.last - from_slot + 1) : 0;
        e = cap ? calloc(cap, sizeof *e) : NULL;
        for (int64_t s = from_slot; e && s <= x->log.last; s++) {
            const paxos_slot *sl = paxos_log_get(&x->log, s);
            paxos_entry *o = &e[r.n];
            if (sl->chosen) {
                o->ballot = sl->chosen_ballot;
                o->cmd = sl->chosen_cmd;
                o->chosen = 1;
            } else if (sl->acc_ballot >= 0) {
                o->ballot = sl->acc_ballot;
                o->cmd = sl->acc_cmd;
            } else {
                continue;
            }
            o->slot = s;
            r.n++;
        }
        r.e = e;
    }
    mpx_send(ctx, x, from, &r);
    free(e);
}

static void mpx_on_promise(fl_ctx *ctx, mpx_node *x, int idx,
                           const paxos_msg *m)
{
    if (x->role != MPX_CANDIDATE || m->ballot != x->ballot)
        return;
    if (!m->ok) {
        x->refuse_mask |= UINT64_C(1) << idx;
        if (m->promised > x->ballot)
            mpx_step_down(ctx, x, m->promised);
        return;
    }
    x->promise_mask |= UINT64_C(1) << idx;
    for (uint32_t i = 0; i < m->n; i++) {
        const paxos_entry *e = &m->e[i];
        if (e->slot <= x->commit)
            continue;
        paxos_slot *sl = paxos_log_ensure(&x->log, e->slot);
        if (!sl)
            continue;
        if (e->chosen) {
            paxos_log_learn(sl, e->ballot, &e->cmd);
        } else if (e->ballot > sl->p1_ballot) {
            sl->p1_ballot = e->ballot;
            sl->p1_cmd = e->cmd;
        }
    }
    if ((size_t)__builtin_popcountll(x->promise_mask) >= mpx_majority(x))
        mpx_become_leader(ctx, x);
}

/* Phase 2b, plus what the leader's commit and decisions teach us. */
static void mpx_on_accept(fl_ctx *ctx, mpx_node *x, fl_node_id from,
                          const paxos_msg *m)
{
    bool below = m->ballot < x->acc.promised;
    if (below && !mpx_bug(x, PAXOS_BUG(ACCEPT_BELOW))) {
        paxos_msg r = {.type = PAXOS_MSG_ACCEPTED, .ballot = m->ballot,
                       .ok = 0, .promised = x->acc.promised,
                       .slot = x->commit};
        mpx_send(ctx, x, from, &r);
        return;
    }
    if (!below) {
        if (x->role != MPX_FOLLOWER && m->ballot > x->ballot)
            mpx_step_down(ctx, x, m->ballot);
        if (x->role == MPX_FOLLOWER) {
            x->leader = from;
            mpx_reset_election(ctx, x);
        }
        paxos_acc_prepare(&x->acc, m->ballot);  /* an accept is a promise */
    }
    paxos_entry *e = m->n ? calloc(m->n, sizeof *e) : NULL;
    paxos_msg r = {.type = PAXOS_MSG_ACCEPTED, .ballot = m->ballot, .ok = 1,
                   .e = e};
    for (uint32_t i = 0; i < m->n && (e || !m->n); i++) {
        const paxos_entry *in = &m->e[i];
        if (paxos_acc_accept(ctx, &x->acc, &x->log, m->ballot, in->slot,
                             &in->cmd) == 1) {
            e[r.n] = *in;
            e[r.n].ballot = m->ballot;
            r.n++;
        }
    }
    for (uint32_t i = 0; i < m->nd; i++)
        mpx_learn(x, m->d[i].slot, m->d[i].ballot, &m->d[i].cmd);
    /* A slot we accepted in the leader's ballot, at or below its commit,
     * is chosen with that value: the leader proposes one value per slot
     * and ballot, and commits only what a majority accepted. */
    if (!below)
        for (int64_t s = x->commit + 1; s <= m->slot && s <= x->log.last; s++) {
            paxos_slot *sl = paxos_log_at(&x->log, s);
            if (!sl->chosen && sl->acc_ballot >= 0 &&
                (sl->acc_ballot == m->ballot ||
                 mpx_bug(x, PAXOS_BUG(INFER_ANY))))
                paxos_log_learn(sl, m->ballot, &sl->acc_cmd);
        }
    mpx_advance(ctx, x);
    r.promised = x->acc.promised;
    r.slot = x->commit;
    mpx_send(ctx, x, from, &r);
    free(e);
}

static void mpx_on_accepted(fl_ctx *ctx, mpx_node *x, int idx,
                            const paxos_msg *m)
{
    if (x->role != MPX_LEADER || m->ballot != x->ballot)
        return;
    if (!m->ok) {
        if (m->promised > x->ballot)
            mpx_step_down(ctx, x, m->promised);
        return;
    }
    mpx_peer *p = &x->peers[idx];
    p->known_commit = m->slot;
    for (uint32_t i = 0; i < m->n; i++)
        if (m->e[i].ballot == x->ballot)
            mpx_ack(x, idx, m->e[i].slot);
    int64_t before = x->commit;
    mpx_advance(ctx, x);
    /* Catch a lagging follower up, one batch per round trip. */
    if (p->known_commit < before)
        mpx_send_accept(ctx, x, (size_t)idx, 1, 0, false);
}

static void mpx_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                           const void *msg, size_t len)
{
    mpx_node *x = state;
    paxos_acc_begin(&x->acc, &x->log);
    x->prop_lo = x->prop_hi = -1;
    int idx = mpx_index(x, from);
    if (idx < 0 || idx == x->me)
        return;                     /* only servers speak Paxos */
    paxos_msg m;
    if (paxos_msg_decode(msg, len, &m) != 0) {
        fl_log(ctx, "multipaxos: ignored a malformed message (%zu bytes) "
               "from %d", len, (int)from);
        return;
    }
    switch ((paxos_msg_type)m.type) {
    case PAXOS_MSG_PREPARE:
        mpx_on_prepare(ctx, x, from, &m);
        break;
    case PAXOS_MSG_PROMISE:
        mpx_on_promise(ctx, x, idx, &m);
        break;
    case PAXOS_MSG_ACCEPT:
        mpx_on_accept(ctx, x, from, &m);
        break;
    case PAXOS_MSG_ACCEPTED:
        mpx_on_accepted(ctx, x, idx, &m);
        break;
    case PAXOS_MSG_CHOSEN:
    case PAXOS_MSG_QUERY:
    case PAXOS_MSG_TYPE_END:
        break;
    }
    paxos_msg_free(&m);
    paxos_acc_flush(ctx, &x->acc);
}

static void mpx_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                         uint64_t cookie)
{
    mpx_node *x = state;
    paxos_acc_begin(&x->acc, &x->log);
    x->prop_lo = x->prop_hi = -1;
    if (kind == FL_TIMER_OTHER && cookie == PAXOS_COOKIE_SETTLE) {
        paxos_acc_on_settle(&x->acc);
    } else if (kind == FL_TIMER_ELECTION && cookie == x->election_cookie) {
        if (x->role != MPX_LEADER)
            mpx_campaign(ctx, x);
    } else if (kind == FL_TIMER_HEARTBEAT && cookie == x->heartbeat_cookie &&
               x->role == MPX_LEADER) {
        /* Heartbeats resend what is unacknowledged (PMMC commanders
         * retransmit until a majority answers). */
        mpx_broadcast(ctx, x, x->commit + 1, x->next_slot - 1);
        mpx_schedule_heartbeat(ctx, x);
    }
    paxos_acc_flush(ctx, &x->acc);
}

/* ---- Clients ------------------------------------------------------------------ */

static void mpx_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    mpx_node *x = state;
    paxos_acc_begin(&x->acc, &x->log);
    x->prop_lo = x->prop_hi = -1;
    if (x->role != MPX_LEADER) {
        /* PMMC §3: clients find the leader; we point at the one we know. */
        fl_redirect(ctx, req, x->leader == x->self ? FL_NO_NODE : x->leader);
        return;
    }
    const fl_kvsm_session *s = fl_kvsm_session_of(&x->kv, req->client);
    if (s && s->seq == req->seq) {
        paxos_acc_flush(ctx, &x->acc);
        fl_reply(ctx, req, (fl_status)s->status, s->result);
        return;
    }
    if (s && req->seq < s->seq)
        return;                     /* its client has moved on */
    size_t k = 0;
    bool found = false;
    for (size_t i = 0; i < x->npending; i++) {
        mpx_pending *p = &x->pending[i];
        if (p->req.client == req->client && p->req.seq == req->seq) {
            p->req = *req;          /* in flight: answer the retry */
            found = true;
        }
        if (!(p->req.client == req->client && p->req.seq < req->seq))
            x->pending[k++] = *p;
    }
    x->npending = k;
    if (found)
        return;
    if (x->npending >= MPX_MAX_PENDING ||
        !wire_array_grow((void **)&x->pending, &x->cap_pending,
                          x->npending + 1, sizeof *x->pending)) {
        fl_reply(ctx, req, FL_STATUS_FAIL, 0);
        return;
    }
    paxos_cmd cmd = {.type = PAXOS_CMD_OP, .client = req->client,
                     .seq = req->seq, .op = req->op};
    int64_t slot = x->next_slot;
    if (mpx_propose_at(ctx, x, slot, &cmd) != 0) {
        fl_reply(ctx, req, FL_STATUS_FAIL, 0);
        return;
    }
    x->next_slot++;
    x->pending[x->npending].req = *req;
    x->pending[x->npending].slot = slot;
    x->npending++;
    mpx_advance(ctx, x);            /* a cluster of one chooses at once */
    mpx_broadcast(ctx, x, slot, slot);
    paxos_acc_flush(ctx, &x->acc);
}

/* ---- Lifecycle ----------------------------------------------------------------- */

static int mpx_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    mpx_node *x = state;
    memset(x, 0, sizeof *x);
    char err[256];
    if (paxos_params_parse(PAXOS_FAMILY_MULTI, params, &x->p, err,
                           sizeof err) != 0) {
        fl_log(ctx, "multipaxos: bad params: %s", err);
        return -1;
    }
    x->self = fl_self(ctx);
    const fl_node_id *ids = NULL;
    size_t n = fl_nodes(ctx, NULL, &ids);
    if (n == 0 || n > MPX_MAX_SERVERS) {
        fl_log(ctx, "multipaxos: needs 1 to %u servers, has %zu",
               MPX_MAX_SERVERS, n);
        return -1;
    }
    x->n = n;
    x->me = -1;
    for (size_t i = 0; i < n; i++) {
        x->peers[i].id = ids[i];
        if (ids[i] == x->self)
            x->me = (int)i;
    }
    x->ballot = PAXOS_NO_BALLOT;
    x->leader = FL_NO_NODE;
    x->prop_lo = x->prop_hi = -1;
    x->next_slot = 1;
    paxos_acc_init(&x->acc, x->p.bugs);
    paxos_log_init(&x->log);
    fl_kvsm_init(&x->kv);
    wire_buf_init(&x->out);
    return x->me < 0 ? -1 : 0;
}

static void mpx_start(fl_ctx *ctx, void *state, bool recovering)
{
    mpx_node *x = state;
    if (recovering) {
        if (paxos_acc_recover(ctx, &x->acc, &x->log) != 0)
            fl_log(ctx, "multipaxos: recovery hit an error; continuing");
        fl_log(ctx, "multipaxos: recovered promise %lld.%d and %lld slots",
               (long long)paxos_ballot_round(x->acc.promised),
               (int)paxos_ballot_owner(x->acc.promised),
               (long long)x->log.last);
    }
    x->role = MPX_FOLLOWER;
    if (!recovering && x->p.initial_leader == x->me) {
        x->election_cookie++;
        fl_set_timer(ctx, FL_MS(1), FL_TIMER_ELECTION, x->election_cookie);
    } else {
        mpx_reset_election(ctx, x);
    }
}

static void mpx_destroy(void *state)
{
    mpx_node *x = state;
    paxos_acc_free(&x->acc);
    paxos_log_free(&x->log);
    fl_kvsm_free(&x->kv);
    wire_buf_free(&x->out);
    free(x->pending);
    x->pending = NULL;
    x->npending = x->cap_pending = 0;
}

/* ---- Views ---------------------------------------------------------------------- */

static void mpx_inspect(const void *state, fl_view *v)
{
    const mpx_node *x = state;
    static const fl_view_kind kinds[] = {
        [MPX_FOLLOWER] = FL_VIEW_FOLLOWER,
        [MPX_CANDIDATE] = FL_VIEW_CANDIDATE,
        [MPX_LEADER] = FL_VIEW_LEADER,
    };
    static const char *const labels[] = {
        [MPX_FOLLOWER] = "follower",
        [MPX_CANDIDATE] = "candidate",
        [MPX_LEADER] = "leader",
    };
    v->kind = kinds[x->role];
    v->label = labels[x->role];
    v->term = x->acc.promised;
    v->leader = x->leader;
    v->voted_for = paxos_ballot_owner(x->acc.promised);
    if (x->log.last > 0) {
        v->log_first = 1;
        v->log_last = x->log.last;
    }
    v->commit = x->commit > 0 ? x->commit : -1;
    v->applied = x->applied > 0 ? x->applied : -1;
    for (size_t i = 0; i < x->n; i++) {
        fl_node_id id = x->peers[i].id;
        if (id < 0 || (size_t)id >= v->npeers)
            continue;
        uint64_t bit = UINT64_C(1) << i;
        if (x->role == MPX_LEADER) {
            if (v->match)
                v->match[id] = (int)i == x->me ? x->commit
                                               : x->peers[i].known_commit;
            if (v->next)
                v->next[id] = x->next_slot;
        } else if (x->role == MPX_CANDIDATE && v->votes) {
            v->votes[id] = (x->promise_mask & bit) ? 1
                         : (x->refuse_mask & bit) ? 0 : -1;
        }
    }
    v->nscalars = 0;
    paxos_acc_scalars(&x->acc, v);
    paxos_view_scalar(v, "prop_lo", x->prop_lo);
    paxos_view_scalar(v, "prop_hi", x->prop_hi);
    paxos_view_scalar(v, "accepts", x->acc.accepts);
}

static bool mpx_inspect_entry(const void *state, int64_t index,
                              fl_view_entry *out)
{
    const mpx_node *x = state;
    if (index > PAXOS_VIEW_PROPOSED) {
        const paxos_slot *s = paxos_log_get(&x->log, index - PAXOS_VIEW_PROPOSED);
        if (!s || s->prop_ballot < 0)
            return false;
        out->term = s->prop_ballot;
        out->command = paxos_cmd_hash(&s->prop_cmd);
        out->chain = out->command;
        return true;
    }
    if (index > PAXOS_VIEW_ACCEPTED) {
        const paxos_slot *s = paxos_log_get(&x->log, index - PAXOS_VIEW_ACCEPTED);
        if (!s || s->acc_ballot < 0)
            return false;
        out->term = s->acc_ballot;
        out->command = paxos_cmd_hash(&s->acc_cmd);
        out->chain = s->acc_seq;
        out->durable = s->acc_durable;
        return true;
    }
    const paxos_slot *s = paxos_log_get(&x->log, index);
    if (!paxos_slot_entry(s, out))
        return false;
    if (out->committed && index > x->commit)
        out->chain = out->command;  /* chosen out of order: no chain yet */
    return true;
}

int paxos_multi_validate(const cJSON *params, char *err, size_t errlen)
{
    paxos_params p;
    return paxos_params_parse(PAXOS_FAMILY_MULTI, params, &p, err, errlen);
}

const fl_role paxos_multi_roles[] = {
    {
        .name = "server",
        .state_size = sizeof(mpx_node),
        .init = mpx_init,
        .start = mpx_start,
        .on_message = mpx_on_message,
        .on_timer = mpx_on_timer,
        .on_request = mpx_on_request,
        .inspect = mpx_inspect,
        .inspect_entry = mpx_inspect_entry,
        .destroy = mpx_destroy,
    },
    {.name = NULL},
};

const fl_algorithm fl_multipaxos_algorithm = MULTIPAXOS_ALGORITHM_TABLE;

/* A server's init needs 1..MPX_MAX_SERVERS servers. */
int paxos_multi_validate_nodes(const cJSON *params, const fl_node_count *counts,
                               size_t ncounts, char *err, size_t errlen)
{
    size_t n = 0;
    (void)params;
    for (size_t i = 0; i < ncounts; i++)
        if (strcmp(counts[i].role, "server") == 0)
            n = counts[i].count;
    if (n == 0 || n > MPX_MAX_SERVERS) {
        snprintf(err, errlen, "server: multipaxos needs 1 to %u servers, got %zu",
                 MPX_MAX_SERVERS, n);
        return -1;
    }
    return 0;
}
