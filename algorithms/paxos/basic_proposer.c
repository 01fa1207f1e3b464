/* basic_proposer.c — the basic-Paxos proposer (Lamport, "Paxos Made
 * Simple" §2.2 "Choosing a Value", §2.4 "Progress"): it picks a ballot
 * (round, own id) above every round it has seen, syncs the round to disk
 * so a restart never reuses a ballot, asks the acceptors to promise it
 * (phase 1), proposes the value of the highest-numbered proposal they
 * report or else its own client's value (phase 2), and learns the value
 * chosen once a majority of distinct acceptors accepted it. A proposer
 * beaten by a higher ballot waits a random, growing time before trying
 * again, so dueling proposers do not preempt each other forever (§2.4).
 * Client operations map onto the register as described in basic.h. */
#include "algorithms/paxos/basic.h"
#include "algorithms/paxos/view.h"

#include <stdlib.h>
#include <string.h>

static bool bpx_bug(const bpx_proposer *P, unsigned bug)
{
    return paxos_has_bug(&P->p, bug);
}

/* ---- Answering clients ---------------------------------------------------- */

/* Answers `req` from the chosen value (basic.h's mapping). */
static void bpx_answer_chosen(fl_ctx *ctx, const bpx_proposer *P,
                              const fl_request *req)
{
    int64_t c = P->chosen.value;
    const fl_op *op = &req->op;
    switch (op->kind) {
    case FL_OP_READ:
        fl_reply(ctx, req, FL_STATUS_OK, c);
        return;
    case FL_OP_WRITE:
        fl_reply(ctx, req, c == op->arg ? FL_STATUS_OK : FL_STATUS_FAIL,
                 c == op->arg ? op->arg : 0);
        return;
    case FL_OP_CAS:
        if (op->arg == FL_NIL)
            fl_reply(ctx, req, FL_STATUS_OK, c == op->arg2 ? 1 : 0);
        else if (c == op->arg)
            fl_reply(ctx, req, FL_STATUS_FAIL, 0);   /* never overwritten */
        else
            fl_reply(ctx, req, FL_STATUS_OK, 0);
        return;
    default:
        fl_reply(ctx, req, FL_STATUS_FAIL, 0);
        return;
    }
}

/* A majority promised and none had accepted anything: nothing is chosen,
 * so reads see FL_NIL and a CAS expecting a value sees it absent. Returns
 * false for operations that need a value to be chosen. */
static bool bpx_answer_empty(fl_ctx *ctx, const fl_request *req)
{
    const fl_op *op = &req->op;
    if (op->kind == FL_OP_READ) {
        fl_reply(ctx, req, FL_STATUS_OK, FL_NIL);
        return true;
    }
    if (op->kind == FL_OP_CAS && op->arg != FL_NIL) {
        fl_reply(ctx, req, FL_STATUS_OK, 0);
        return true;
    }
    return false;
}

static void bpx_answer_all(fl_ctx *ctx, bpx_proposer *P)
{
    for (size_t i = 0; i < P->npending; i++)
        bpx_answer_chosen(ctx, P, &P->pending[i]);
    P->npending = 0;
}

static void bpx_answer_empty_all(fl_ctx *ctx, bpx_proposer *P)
{
    size_t k = 0;
    for (size_t i = 0; i < P->npending; i++)
        if (!bpx_answer_empty(ctx, &P->pending[i]))
            P->pending[k++] = P->pending[i];
    P->npending = k;
}

/* The value this proposer's clients want chosen: the first pending write
 * or compare-and-set from FL_NIL. */
static bool bpx_own_value(const bpx_proposer *P, int64_t *v)
{
    for (size_t i = 0; i < P->npending; i++) {
        const fl_op *op = &P->pending[i].op;
        if (op->kind == FL_OP_WRITE) {
            *v = op->arg;
            return true;
        }
        if (op->kind == FL_OP_CAS && op->arg == FL_NIL) {
            *v = op->arg2;
            return true;
        }
    }
    return false;
}

/* ---- Ballots --------------------------------------------------------------- */

static void bpx_send_all(fl_ctx *ctx, bpx_proposer *P, const paxos_msg *m,
                         uint64_t skip_mask)
{
    for (size_t i = 0; i < P->peers.nacc; i++)
        if (!(skip_mask & (UINT64_C(1) << i)))
            bpx_send(ctx, &P->out, P->peers.acceptors[i], m);
}

static void bpx_arm_retry(fl_ctx *ctx, bpx_proposer *P)
{
    P->retry_gen++;
    fl_set_timer(ctx, FL_MS(P->p.retry_ms), FL_TIMER_RETRY,
                 BPX_COOKIE_RETRY_BASE + P->retry_gen);
}

static void bpx_send_prepare(fl_ctx *ctx, bpx_proposer *P, uint64_t skip)
{
    paxos_msg m = {.type = PAXOS_MSG_PREPARE, .ballot = P->ballot,
                   .promised = PAXOS_NO_BALLOT, .slot = 1};
    bpx_send_all(ctx, P, &m, skip);
}

static void bpx_send_accept(fl_ctx *ctx, bpx_proposer *P, uint64_t skip)
{
    paxos_entry e = {.slot = 1, .ballot = P->ballot, .cmd = P->proposal};
    paxos_msg m = {.type = PAXOS_MSG_ACCEPT, .ballot = P->ballot,
                   .promised = PAXOS_NO_BALLOT, .n = 1, .e = &e};
    bpx_send_all(ctx, P, &m, skip);
}

static void bpx_start_round(fl_ctx *ctx, bpx_proposer *P)
{
    if (P->round >= PAXOS_MAX_ROUND)
        return;
    P->round++;
    /* Never reuse a ballot, even after a crash: the round is durable
     * before the first Prepare leaves (the forget-round bug skips it). */
    if (!bpx_bug(P, PAXOS_BUG(FORGET_ROUND))) {
        if (paxos_reg_write(ctx, &P->round_reg, P->round) != 0)
            fl_log(ctx, "paxos: writing the round failed");
        fl_disk_sync(ctx);
    }
    P->ballot = paxos_ballot(P->round, P->self,
                             !bpx_bug(P, PAXOS_BUG(NON_UNIQUE)));
    P->phase = BPX_PREPARE;
    P->led = false;
    P->promised_mask = P->refused_mask = 0;
    P->best_ballot = PAXOS_NO_BALLOT;
    P->retries = 0;
    P->rounds++;
    bpx_log_ballot(ctx, "paxos: phase 1 with ballot", P->ballot);
    bpx_send_prepare(ctx, P, 0);
    bpx_arm_retry(ctx, P);
}

/* A higher ballot beat ours (or a majority stayed silent): back off for a
 * random time that grows with each loss (PMS §2.4). */
static void bpx_beaten(fl_ctx *ctx, bpx_proposer *P, int64_t seen)
{
    if (paxos_ballot_round(seen) > P->round)
        P->round = paxos_ballot_round(seen);
    P->phase = BPX_IDLE;
    P->led = false;
    P->retry_gen++;                 /* the phase's retry timer is stale */
    if (P->failures < 16)
        P->failures++;
    int64_t shift = P->failures - 1 < 4 ? P->failures - 1 : 4;
    int64_t ms = fl_random_between(ctx, P->p.backoff_lo_ms, P->p.backoff_hi_ms);
    P->backoff_gen++;
    P->backoff_armed = true;
    fl_set_timer(ctx, FL_MS(ms << shift), FL_TIMER_ELECTION,
                 BPX_COOKIE_BACKOFF_BASE + P->backoff_gen);
}

static void bpx_learn(fl_ctx *ctx, bpx_proposer *P, int64_t ballot,
                      const paxos_cmd *cmd)
{
    if (P->chosen_known)
        return;
    P->chosen_known = true;
    P->chosen_ballot = ballot;
    P->chosen = *cmd;
    P->phase = BPX_DONE;
    P->failures = 0;
    P->retry_gen++;
    fl_log(ctx, "paxos: learned value %lld (ballot %lld.%d)",
           (long long)cmd->value, (long long)paxos_ballot_round(ballot),
           (int)paxos_ballot_owner(ballot));
    bpx_answer_all(ctx, P);
}

/* Phase 1 done: propose the highest accepted value reported, else our
 * own (PMS §2.2, P2c). */
static void bpx_phase2(fl_ctx *ctx, bpx_proposer *P)
{
    P->led = true;
    P->failures = 0;
    int64_t own;
    bool has_own = bpx_own_value(P, &own);
    if (P->best_ballot >= 0 &&
        !(has_own && bpx_bug(P, PAXOS_BUG(IGNORE_ACCEPTED)))) {
        P->proposal = P->best;
    } else if (has_own) {
        P->proposal = paxos_cmd_value(own);
    } else {
        /* Nothing accepted anywhere in a majority: nothing is chosen. */
        bpx_answer_empty_all(ctx, P);
        P->phase = BPX_IDLE;
        P->retry_gen++;
        return;
    }
    P->phase = BPX_ACCEPT;
    P->prop_ballot = P->ballot;
    P->prop_step = true;
    P->accepted_mask = 0;
    P->accepted_count = 0;
    P->retries = 0;
    bpx_send_accept(ctx, P, 0);
    bpx_arm_retry(ctx, P);
}

/* ---- Messages ------------------------------------------------------------------ */

static void bpx_on_promise(fl_ctx *ctx, bpx_proposer *P, int idx,
                           const paxos_msg *m)
{
    if (P->phase != BPX_PREPARE || m->ballot != P->ballot)
        return;                               /* an old round's answer */
    uint64_t bit = UINT64_C(1) << idx;
    if (!m->ok) {
        P->refused_mask |= bit;
        if (m->promised > P->ballot)
            bpx_beaten(ctx, P, m->promised);
        return;
    }
    P->promised_mask |= bit;
    for (uint32_t i = 0; i < m->n; i++) {
        const paxos_entry *e = &m->e[i];
        /* P2c: the highest ballot's value (adopt-first: the first seen). */
        bool adopt = bpx_bug(P, PAXOS_BUG(ADOPT_FIRST))
                         ? P->best_ballot < 0 : e->ballot > P->best_ballot;
        if (e->slot == 1 && adopt && e->cmd.type == PAXOS_CMD_VALUE) {
            P->best_ballot = e->ballot;
            P->best = e->cmd;
        }
    }
    if ((size_t)__builtin_popcountll(P->promised_mask) >=
        bpx_majority(&P->peers))
        bpx_phase2(ctx, P);
}

static void bpx_on_accepted(fl_ctx *ctx, bpx_proposer *P, int idx,
                            const paxos_msg *m)
{
    if (P->phase != BPX_ACCEPT || m->ballot != P->ballot)
        return;
    if (!m->ok) {
        if (m->promised > P->ballot)
            bpx_beaten(ctx, P, m->promised);
        return;
    }
    size_t n;
    if (bpx_bug(P, PAXOS_BUG(DOUBLE_COUNT))) {
        n = ++P->accepted_count;          /* counts messages, not acceptors */
    } else {
        P->accepted_mask |= UINT64_C(1) << idx;
        n = (size_t)__builtin_popcountll(P->accepted_mask);
    }
    if (n >= bpx_majority(&P->peers))
        bpx_learn(ctx, P, P->ballot, &P->proposal);
}

static void bpx_on_chosen(fl_ctx *ctx, bpx_proposer *P, const paxos_msg *m)
{
    for (uint32_t i = 0; i < m->nd; i++)
        if (m->d[i].slot == 1 && m->d[i].cmd.type == PAXOS_CMD_VALUE)
            bpx_learn(ctx, P, m->d[i].ballot, &m->d[i].cmd);
}

void bpx_prop_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                                const void *msg, size_t len)
{
    bpx_proposer *P = state;
    P->prop_step = false;
    paxos_msg m;
    if (paxos_msg_decode(msg, len, &m) != 0) {
        fl_log(ctx, "paxos: ignored a malformed message (%zu bytes) from %d",
               len, (int)from);
        return;
    }
    int idx = bpx_acceptor_index(&P->peers, from);
    if (m.type == PAXOS_MSG_PROMISE && idx >= 0)
        bpx_on_promise(ctx, P, idx, &m);
    else if (m.type == PAXOS_MSG_ACCEPTED && idx >= 0)
        bpx_on_accepted(ctx, P, idx, &m);
    else if (m.type == PAXOS_MSG_CHOSEN &&
             bpx_is(P->peers.learners, P->peers.nlearn, from))
        bpx_on_chosen(ctx, P, &m);
    paxos_msg_free(&m);
}

/* ---- Timers ------------------------------------------------------------------- */

static void bpx_on_retry(fl_ctx *ctx, bpx_proposer *P)
{
    if (P->phase != BPX_PREPARE && P->phase != BPX_ACCEPT)
        return;
    if (++P->retries > BPX_MAX_RETRIES) {
        bpx_beaten(ctx, P, P->ballot);       /* a majority stayed silent */
        return;
    }
    if (P->phase == BPX_PREPARE)
        bpx_send_prepare(ctx, P, P->promised_mask | P->refused_mask);
    else
        bpx_send_accept(ctx, P, P->accepted_mask);
    bpx_arm_retry(ctx, P);
}

void bpx_prop_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                              uint64_t cookie)
{
    bpx_proposer *P = state;
    P->prop_step = false;
    if (kind == FL_TIMER_RETRY && cookie == BPX_COOKIE_RETRY_BASE + P->retry_gen) {
        bpx_on_retry(ctx, P);
    } else if (kind == FL_TIMER_ELECTION &&
               cookie == BPX_COOKIE_BACKOFF_BASE + P->backoff_gen) {
        P->backoff_armed = false;
        if (!P->chosen_known && P->npending > 0 && P->phase == BPX_IDLE)
            bpx_start_round(ctx, P);
    }
}

/* ---- Clients ---------------------------------------------------------------- */

static bool bpx_enqueue(bpx_proposer *P, const fl_request *req)
{
    size_t k = 0;
    bool found = false;
    for (size_t i = 0; i < P->npending; i++) {
        fl_request *r = &P->pending[i];
        if (r->client == req->client && r->seq == req->seq) {
            *r = *req;                  /* a retry: answer the latest */
            found = true;
        }
        if (!(r->client == req->client && r->seq < req->seq))
            P->pending[k++] = *r;       /* its client has moved on */
    }
    P->npending = k;
    if (found)
        return true;
    if (P->npending >= BPX_MAX_PENDING ||
        !wire_array_grow((void **)&P->pending, &P->cap_pending,
                          P->npending + 1, sizeof *P->pending))
        return false;
    P->pending[P->npending++] = *req;
    return true;
}

void bpx_prop_on_request(fl_ctx *ctx, void *state,
                                const fl_request *req)
{
    bpx_proposer *P = state;
    P->prop_step = false;
    if (req->op.key != 0) {
        fl_reply(ctx, req, FL_STATUS_FAIL, 0);   /* one decree: key 0 */
        return;
    }
    if (P->chosen_known) {
        bpx_answer_chosen(ctx, P, req);
        return;
    }
    if (!bpx_enqueue(P, req)) {
        fl_reply(ctx, req, FL_STATUS_FAIL, 0);
        return;
    }
    if (P->phase == BPX_IDLE && !P->backoff_armed)
        bpx_start_round(ctx, P);
}

/* ---- Lifecycle -------------------------------------------------------------- */

int bpx_prop_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    bpx_proposer *P = state;
    memset(P, 0, sizeof *P);
    char err[256];
    if (paxos_params_parse(PAXOS_FAMILY_BASIC, params, &P->p, err,
                           sizeof err) != 0) {
        fl_log(ctx, "paxos: bad params: %s", err);
        return -1;
    }
    if (bpx_peers_init(ctx, &P->peers) != 0)
        return -1;
    P->self = fl_self(ctx);
    P->ballot = PAXOS_NO_BALLOT;
    P->best_ballot = PAXOS_NO_BALLOT;
    P->chosen_ballot = PAXOS_NO_BALLOT;
    P->prop_ballot = PAXOS_NO_BALLOT;
    paxos_reg_init(&P->round_reg, "round");
    wire_buf_init(&P->out);
    return 0;
}

void bpx_prop_start(fl_ctx *ctx, void *state, bool recovering)
{
    bpx_proposer *P = state;
    if (recovering) {
        P->round = paxos_reg_read(ctx, &P->round_reg, 0);
        if (P->round < 0 || P->round > PAXOS_MAX_ROUND)
            P->round = 0;
        fl_log(ctx, "paxos: proposer recovered round %lld",
               (long long)P->round);
    }
}

void bpx_prop_destroy(void *state)
{
    bpx_proposer *P = state;
    free(P->pending);
    P->pending = NULL;
    P->npending = P->cap_pending = 0;
    wire_buf_free(&P->out);
}

/* ---- Views -------------------------------------------------------------------- */

void bpx_prop_inspect(const void *state, fl_view *v)
{
    const bpx_proposer *P = state;
    static const char *const labels[] = {
        [BPX_IDLE] = "idle", [BPX_PREPARE] = "preparing",
        [BPX_ACCEPT] = "accepting", [BPX_DONE] = "decided",
    };
    v->label = labels[P->phase];
    if (P->led)
        v->kind = FL_VIEW_LEADER;
    else if (P->phase == BPX_PREPARE)
        v->kind = FL_VIEW_CANDIDATE;
    else
        v->kind = FL_VIEW_FOLLOWER;
    v->term = P->ballot;
    v->leader = P->led ? P->self : FL_NO_NODE;
    if (P->chosen_known || P->phase == BPX_ACCEPT)
        v->log_first = v->log_last = 1;
    v->commit = v->applied = P->chosen_known ? 1 : -1;
    for (size_t i = 0; i < P->peers.nacc && v->votes; i++) {
        fl_node_id id = P->peers.acceptors[i];
        if (P->phase != BPX_PREPARE || id < 0 || (size_t)id >= v->npeers)
            continue;
        uint64_t bit = UINT64_C(1) << i;
        v->votes[id] = (P->promised_mask & bit) ? 1
                     : (P->refused_mask & bit) ? 0 : -1;
    }
    v->nscalars = 0;
    paxos_view_scalar(v, "round", P->round);
    paxos_view_scalar(v, "pending", (int64_t)P->npending);
    paxos_view_scalar(v, "rounds", P->rounds);
    paxos_view_scalar(v, "failures", P->failures);
    paxos_view_scalar(v, "prop_lo", P->prop_step ? 1 : -1);
    paxos_view_scalar(v, "prop_hi", P->prop_step ? 1 : -1);
}

/* Slot 1: the chosen value once known, else the proposal in flight. */
bool bpx_prop_entry(const void *state, int64_t index,
                           fl_view_entry *out)
{
    const bpx_proposer *P = state;
    if (index == PAXOS_VIEW_PROPOSED + 1 && P->prop_ballot >= 0) {
        out->term = P->prop_ballot;
        out->command = paxos_cmd_hash(&P->proposal);
        out->chain = out->command;
        return true;
    }
    if (index != 1)
        return false;
    if (P->chosen_known) {
        out->term = P->chosen_ballot;
        out->command = paxos_cmd_hash(&P->chosen);
        out->committed = true;
    } else if (P->phase == BPX_ACCEPT) {
        out->term = P->ballot;
        out->command = paxos_cmd_hash(&P->proposal);
        out->committed = false;
    } else {
        return false;
    }
    out->chain = out->command;
    out->durable = false;
    return true;
}

