/* basic_roles.c — basic Paxos's acceptor and learner roles (Lamport,
 * "Paxos Made Simple" §2.2-§2.3) and the helpers all three roles share.
 *
 * The acceptor answers Prepare with a Promise (and what it accepted) and
 * Accept with Accepted, syncing its state first (acceptor.c); every accept
 * also goes to every learner (§2.3's "each acceptor ... respond[s] to all
 * learners"). A learner counts distinct acceptors per (ballot, value);
 * once a majority accepted one it has learned the chosen value and tells
 * the proposers (a "distinguished learner", §2.3). A learner that knows
 * nothing (at boot, after a restart) asks the acceptors what they
 * accepted, and asks again until it learns. */
#include "algorithms/paxos/basic.h"
#include "algorithms/paxos/view.h"

#include <stdlib.h>
#include <string.h>

/* ---- Shared helpers ----------------------------------------------------- */

int bpx_peers_init(fl_ctx *ctx, bpx_peers *p)
{
    p->nprop = fl_nodes(ctx, "proposer", &p->proposers);
    p->nacc = fl_nodes(ctx, "acceptor", &p->acceptors);
    p->nlearn = fl_nodes(ctx, "learner", &p->learners);
    if (p->nacc == 0 || p->nacc > BPX_MAX_ACCEPTORS) {
        fl_log(ctx, "paxos: needs 1 to %u acceptors, has %zu",
               BPX_MAX_ACCEPTORS, p->nacc);
        return -1;
    }
    return 0;
}

int bpx_acceptor_index(const bpx_peers *p, fl_node_id id)
{
    for (size_t i = 0; i < p->nacc; i++)
        if (p->acceptors[i] == id)
            return (int)i;
    return -1;
}

bool bpx_is(const fl_node_id *ids, size_t n, fl_node_id id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

size_t bpx_majority(const bpx_peers *p)
{
    return p->nacc / 2 + 1;
}

void bpx_send(fl_ctx *ctx, wire_buf *out, fl_node_id to, const paxos_msg *m)
{
    if (paxos_msg_encode(m, out) != 0) {
        fl_log(ctx, "paxos: out of memory encoding %s",
               paxos_msg_type_name(m->type));
        return;
    }
    fl_send(ctx, to, out->data, out->len);
}

void bpx_log_ballot(fl_ctx *ctx, const char *what, int64_t ballot)
{
    fl_log(ctx, "%s %lld.%d", what, (long long)paxos_ballot_round(ballot),
           (int)paxos_ballot_owner(ballot));
}

/* ---- Acceptor -------------------------------------------------------------- */

/* Slot 1's accepted pvalue as a wire entry; false if none. */
static bool bpx_acc_entry(const bpx_acceptor *A, paxos_entry *e)
{
    const paxos_slot *s = paxos_log_get(&A->log, 1);
    if (!s || s->acc_ballot < 0)
        return false;
    memset(e, 0, sizeof *e);
    e->slot = 1;
    e->ballot = s->acc_ballot;
    e->cmd = s->acc_cmd;
    return true;
}

static void bpx_on_prepare(fl_ctx *ctx, bpx_acceptor *A, fl_node_id from,
                           const paxos_msg *m)
{
    bool ok = paxos_acc_prepare(&A->acc, m->ballot);
    paxos_entry e;
    paxos_msg r = {.type = PAXOS_MSG_PROMISE, .ballot = m->ballot, .ok = ok,
                   .promised = A->acc.promised, .slot = 1};
    if (ok && bpx_acc_entry(A, &e)) {
        r.n = 1;
        r.e = &e;
    }
    paxos_acc_flush(ctx, &A->acc);
    bpx_send(ctx, &A->out, from, &r);
}

static void bpx_on_accept(fl_ctx *ctx, bpx_acceptor *A, fl_node_id from,
                          const paxos_msg *m)
{
    if (m->n != 1 || m->e[0].slot != 1 || m->e[0].cmd.type != PAXOS_CMD_VALUE)
        return;                        /* one decree: slot 1, a value */
    int rc = paxos_acc_accept(ctx, &A->acc, &A->log, m->ballot, 1,
                              &m->e[0].cmd);
    if (rc < 0)
        return;
    paxos_entry e = {.slot = 1, .ballot = m->ballot, .cmd = m->e[0].cmd};
    paxos_msg r = {.type = PAXOS_MSG_ACCEPTED, .ballot = m->ballot,
                   .ok = rc == 1, .promised = A->acc.promised, .slot = 0};
    if (rc == 1) {
        r.n = 1;
        r.e = &e;
    }
    paxos_acc_flush(ctx, &A->acc);
    bpx_send(ctx, &A->out, from, &r);
    for (size_t i = 0; rc == 1 && i < A->peers.nlearn; i++)
        bpx_send(ctx, &A->out, A->peers.learners[i], &r);
}

static void bpx_on_query(fl_ctx *ctx, bpx_acceptor *A, fl_node_id from)
{
    paxos_entry e;
    if (!bpx_acc_entry(A, &e))
        return;
    paxos_msg r = {.type = PAXOS_MSG_ACCEPTED, .ballot = e.ballot, .ok = 1,
                   .promised = A->acc.promised, .n = 1, .e = &e};
    paxos_acc_flush(ctx, &A->acc);
    bpx_send(ctx, &A->out, from, &r);
}

void bpx_acc_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                               const void *msg, size_t len)
{
    bpx_acceptor *A = state;
    paxos_acc_begin(&A->acc, &A->log);
    paxos_msg m;
    if (paxos_msg_decode(msg, len, &m) != 0) {
        fl_log(ctx, "paxos: ignored a malformed message (%zu bytes) from %d",
               len, (int)from);
        return;
    }
    bool proposer = bpx_is(A->peers.proposers, A->peers.nprop, from);
    if (m.type == PAXOS_MSG_PREPARE && proposer)
        bpx_on_prepare(ctx, A, from, &m);
    else if (m.type == PAXOS_MSG_ACCEPT && proposer)
        bpx_on_accept(ctx, A, from, &m);
    else if (m.type == PAXOS_MSG_QUERY &&
             bpx_is(A->peers.learners, A->peers.nlearn, from))
        bpx_on_query(ctx, A, from);
    paxos_msg_free(&m);
    paxos_acc_flush(ctx, &A->acc);
}

void bpx_acc_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                             uint64_t cookie)
{
    (void)ctx;
    bpx_acceptor *A = state;
    paxos_acc_begin(&A->acc, &A->log);
    if (kind == FL_TIMER_OTHER && cookie == PAXOS_COOKIE_SETTLE)
        paxos_acc_on_settle(&A->acc);
}

int bpx_acc_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    bpx_acceptor *A = state;
    memset(A, 0, sizeof *A);
    char err[256];
    if (paxos_params_parse(PAXOS_FAMILY_BASIC, params, &A->p, err,
                           sizeof err) != 0) {
        fl_log(ctx, "paxos: bad params: %s", err);
        return -1;
    }
    if (bpx_peers_init(ctx, &A->peers) != 0)
        return -1;
    A->self = fl_self(ctx);
    paxos_acc_init(&A->acc, A->p.bugs);
    paxos_log_init(&A->log);
    wire_buf_init(&A->out);
    return 0;
}

void bpx_acc_start(fl_ctx *ctx, void *state, bool recovering)
{
    bpx_acceptor *A = state;
    if (!recovering)
        return;
    if (paxos_acc_recover(ctx, &A->acc, &A->log) != 0)
        fl_log(ctx, "paxos: recovery hit an error; continuing with what loaded");
    const paxos_slot *s = paxos_log_get(&A->log, 1);
    fl_log(ctx, "paxos: acceptor recovered promise %lld.%d, accepted %lld.%d",
           (long long)paxos_ballot_round(A->acc.promised),
           (int)paxos_ballot_owner(A->acc.promised),
           (long long)paxos_ballot_round(s ? s->acc_ballot : -1),
           (int)paxos_ballot_owner(s ? s->acc_ballot : -1));
}

void bpx_acc_destroy(void *state)
{
    bpx_acceptor *A = state;
    paxos_acc_free(&A->acc);
    paxos_log_free(&A->log);
    wire_buf_free(&A->out);
}

void bpx_acc_inspect(const void *state, fl_view *v)
{
    const bpx_acceptor *A = state;
    v->kind = FL_VIEW_FOLLOWER;
    v->label = "acceptor";
    v->term = A->acc.promised;
    v->leader = paxos_ballot_owner(A->acc.promised);
    v->voted_for = v->leader;
    const paxos_slot *s = paxos_log_get(&A->log, 1);
    if (s && s->acc_ballot >= 0)
        v->log_first = v->log_last = 1;
    v->nscalars = 0;
    paxos_acc_scalars(&A->acc, v);
    paxos_view_scalar(v, "accepts", A->acc.accepts);
}

bool bpx_acc_entry_view(const void *state, int64_t index,
                               fl_view_entry *out)
{
    const bpx_acceptor *A = state;
    const paxos_slot *s = paxos_log_get(&A->log, 1);
    if (index == PAXOS_VIEW_ACCEPTED + 1 && s && s->acc_ballot >= 0) {
        out->term = s->acc_ballot;
        out->command = paxos_cmd_hash(&s->acc_cmd);
        out->chain = s->acc_seq;
        out->durable = s->acc_durable;
        return true;
    }
    return index == 1 && paxos_slot_entry(s, out);
}


/* ---- Learner --------------------------------------------------------------- */

enum { BPX_COOKIE_QUERY = 1 };

static void bpx_query(fl_ctx *ctx, bpx_learner *L)
{
    paxos_msg q = {.type = PAXOS_MSG_QUERY, .ballot = PAXOS_NO_BALLOT,
                   .promised = PAXOS_NO_BALLOT, .slot = 1};
    for (size_t i = 0; i < L->peers.nacc; i++)
        bpx_send(ctx, &L->out, L->peers.acceptors[i], &q);
    L->queries++;
    fl_set_timer(ctx, FL_MS(4 * L->p.retry_ms), FL_TIMER_RETRY,
                 BPX_COOKIE_QUERY);
}

static bool bpx_learned(const bpx_learner *L)
{
    const paxos_slot *s = paxos_log_get(&L->log, 1);
    return s && s->chosen;
}

/* The tally for (ballot, cmd), created if new (the lowest-ballot one is
 * dropped when full); NULL if it is older than all kept. */
static bpx_tally *bpx_tally_for(bpx_learner *L, int64_t ballot,
                                const paxos_cmd *cmd)
{
    size_t low = 0;
    for (size_t i = 0; i < L->ntallies; i++) {
        bpx_tally *t = &L->tallies[i];
        if (t->ballot == ballot && paxos_cmd_equal(&t->cmd, cmd))
            return t;
        if (t->ballot < L->tallies[low].ballot)
            low = i;
    }
    bpx_tally *t;
    if (L->ntallies < BPX_MAX_TALLIES) {
        t = &L->tallies[L->ntallies++];
    } else {
        if (ballot <= L->tallies[low].ballot)
            return NULL;
        t = &L->tallies[low];
    }
    memset(t, 0, sizeof *t);
    t->ballot = ballot;
    t->cmd = *cmd;
    return t;
}

static void bpx_learner_learn(fl_ctx *ctx, bpx_learner *L, int64_t ballot,
                              const paxos_cmd *cmd)
{
    paxos_slot *s = paxos_log_ensure(&L->log, 1);
    if (!s || s->chosen)
        return;
    paxos_log_learn(s, ballot, cmd);
    s->chain = paxos_cmd_hash(cmd);
    fl_log(ctx, "paxos: learner learned value %lld (ballot %lld.%d)",
           (long long)cmd->value, (long long)paxos_ballot_round(ballot),
           (int)paxos_ballot_owner(ballot));
    paxos_entry d = {.slot = 1, .ballot = ballot, .cmd = *cmd};
    paxos_msg m = {.type = PAXOS_MSG_CHOSEN, .ballot = ballot,
                   .promised = PAXOS_NO_BALLOT, .slot = 1, .nd = 1, .d = &d};
    for (size_t i = 0; i < L->peers.nprop; i++)
        bpx_send(ctx, &L->out, L->peers.proposers[i], &m);
}

static void bpx_on_accepted_report(fl_ctx *ctx, bpx_learner *L, int idx,
                                   const paxos_msg *m)
{
    if (!m->ok || m->n != 1 || m->e[0].slot != 1 ||
        m->e[0].cmd.type != PAXOS_CMD_VALUE || bpx_learned(L))
        return;
    const paxos_entry *e = &m->e[0];
    if (e->ballot > L->highest)
        L->highest = e->ballot;
    bpx_tally *t = bpx_tally_for(L, e->ballot, &e->cmd);
    if (!t)
        return;
    size_t n;
    if (paxos_has_bug(&L->p, PAXOS_BUG(DOUBLE_COUNT))) {
        n = ++t->count;                   /* counts messages, not acceptors */
    } else {
        t->mask |= UINT64_C(1) << idx;
        n = (size_t)__builtin_popcountll(t->mask);
    }
    if (n >= bpx_majority(&L->peers))
        bpx_learner_learn(ctx, L, e->ballot, &e->cmd);
}

void bpx_learn_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                                 const void *msg, size_t len)
{
    bpx_learner *L = state;
    paxos_msg m;
    if (paxos_msg_decode(msg, len, &m) != 0) {
        fl_log(ctx, "paxos: ignored a malformed message (%zu bytes) from %d",
               len, (int)from);
        return;
    }
    int idx = bpx_acceptor_index(&L->peers, from);
    if (m.type == PAXOS_MSG_ACCEPTED && idx >= 0)
        bpx_on_accepted_report(ctx, L, idx, &m);
    paxos_msg_free(&m);
}

void bpx_learn_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                               uint64_t cookie)
{
    bpx_learner *L = state;
    if (kind == FL_TIMER_RETRY && cookie == BPX_COOKIE_QUERY &&
        !bpx_learned(L))
        bpx_query(ctx, L);
}

int bpx_learn_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    bpx_learner *L = state;
    memset(L, 0, sizeof *L);
    char err[256];
    if (paxos_params_parse(PAXOS_FAMILY_BASIC, params, &L->p, err,
                           sizeof err) != 0) {
        fl_log(ctx, "paxos: bad params: %s", err);
        return -1;
    }
    if (bpx_peers_init(ctx, &L->peers) != 0)
        return -1;
    L->self = fl_self(ctx);
    L->highest = PAXOS_NO_BALLOT;
    paxos_log_init(&L->log);
    wire_buf_init(&L->out);
    return 0;
}

void bpx_learn_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)recovering;                   /* a learner keeps nothing on disk */
    bpx_query(ctx, state);
}

void bpx_learn_destroy(void *state)
{
    bpx_learner *L = state;
    paxos_log_free(&L->log);
    wire_buf_free(&L->out);
}

void bpx_learn_inspect(const void *state, fl_view *v)
{
    const bpx_learner *L = state;
    v->kind = FL_VIEW_FOLLOWER;
    v->label = "learner";
    v->term = L->highest;
    if (bpx_learned(L)) {
        v->log_first = v->log_last = 1;
        v->commit = v->applied = 1;
    }
    v->nscalars = 0;
    paxos_view_scalar(v, "queries", L->queries);
    paxos_view_scalar(v, "tallies", (int64_t)L->ntallies);
}

bool bpx_learn_entry(const void *state, int64_t index,
                            fl_view_entry *out)
{
    const bpx_learner *L = state;
    return index == 1 && bpx_learned(L) &&
           paxos_slot_entry(paxos_log_get(&L->log, 1), out);
}

