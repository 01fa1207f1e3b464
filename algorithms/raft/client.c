/* client.c — Raft's client interaction (Raft §8, thesis §6): redirects to
 * the leader, appending operations and answering them once applied, the
 * per-client sessions that make retries idempotent (thesis §6.3), and
 * linearizable reads either through the log or with ReadIndex and a
 * heartbeat round (thesis §6.4). */
#include "algorithms/raft/raft.h"

#include <stdlib.h>
#include <string.h>

/* Bounds what one leader buffers for clients; beyond it requests fail. */
#define RAFT_MAX_PENDING 4096u

/* Answers without a flush (refusals that wrote nothing). */
static void raft_answer(fl_ctx *ctx, raft_node *r, const fl_request *req,
                        fl_status status, int64_t value)
{
    if (r->answer)
        r->answer(ctx, r, req, status, value, FL_NO_NODE);
    else
        fl_reply(ctx, req, status, value);
}

static void raft_redirect(fl_ctx *ctx, raft_node *r, const fl_request *req,
                          fl_node_id hint)
{
    if (r->answer)
        r->answer(ctx, r, req, FL_STATUS_REDIRECT, FL_NIL, hint);
    else
        fl_redirect(ctx, req, hint);
}

static void raft_reply(fl_ctx *ctx, raft_node *r, const fl_request *req,
                       fl_status status, int64_t value)
{
    raft_flush(ctx, r);             /* an answer never outruns the disk */
    raft_answer(ctx, r, req, status, value);
}

void raft_drop_clients(raft_node *r)
{
    r->npending = 0;
    r->nreads = 0;
}

void raft_free_clients(raft_node *r)
{
    free(r->pending);
    free(r->reads);
    r->pending = NULL;
    r->reads = NULL;
    r->npending = r->cap_pending = 0;
    r->nreads = r->cap_reads = 0;
}

/* ---- Pending operations ------------------------------------------------ */

/* Forgets older operations of `client`: it has moved past them. */
static void raft_forget_older(raft_node *r, fl_node_id client, uint64_t seq)
{
    size_t k = 0;
    for (size_t i = 0; i < r->npending; i++) {
        const raft_pending *p = &r->pending[i];
        if (!(p->req.client == client && p->req.seq < seq))
            r->pending[k++] = *p;
    }
    r->npending = k;
    k = 0;
    for (size_t i = 0; i < r->nreads; i++) {
        const raft_read *rd = &r->reads[i];
        if (!(rd->req.client == client && rd->req.seq < seq))
            r->reads[k++] = *rd;
    }
    r->nreads = k;
}

static raft_pending *raft_find_pending(raft_node *r, fl_node_id client,
                                       uint64_t seq)
{
    for (size_t i = 0; i < r->npending; i++)
        if (r->pending[i].req.client == client && r->pending[i].req.seq == seq)
            return &r->pending[i];
    return NULL;
}

/* Entry `cmd` applied with `result`: answer whoever waits for it. */
static void raft_answer_pending(fl_ctx *ctx, raft_node *r, int64_t index,
                                const raft_cmd *cmd, int64_t result,
                                fl_status status)
{
    size_t k = 0;
    for (size_t i = 0; i < r->npending; i++) {
        raft_pending p = r->pending[i];
        /* (the no-dedup bug numbers a command seq << 8 | attempt) */
        uint64_t seq = cmd && raft_bug(r, RAFT_BUG(NO_DEDUP)) ? cmd->seq >> 8
                       : cmd ? cmd->seq : 0;
        if (cmd && p.req.client == cmd->client && p.req.seq == seq)
            raft_reply(ctx, r, &p.req, status, result);
        else if (p.index > index)
            r->pending[k++] = p;
        /* else: its entry was applied as something else; the client will
         * retry and be answered from its session. */
    }
    r->npending = k;
}

/* ---- Applying (Raft §5.3: in log order, once committed) --------------- */

static void raft_maybe_snapshot(fl_ctx *ctx, raft_node *r)
{
    if (r->p.snapshot_every <= 0 || r->snapshot_timer ||
        r->applied - r->log.base < r->p.snapshot_every)
        return;
    /* In a step of its own, so invariants see the applied entries first. */
    r->snapshot_timer = fl_set_timer(ctx, FL_US(1), FL_TIMER_OTHER, 0);
}

void raft_apply(fl_ctx *ctx, raft_node *r)
{
    int64_t upto = raft_bug(r, RAFT_BUG(APPLY_EARLY)) ?
                   raft_log_last(&r->log) : r->commit;
    while (r->applied < upto) {
        const raft_entry *e = raft_log_get(&r->log, r->applied + 1);
        if (!e)
            break;
        int64_t result;
        fl_status status;
        fl_kvsm_outcome o = r->sm_ops->apply(r->sm, &e->cmd, &result,
                                                &status);
        if (o == FL_KVSM_OOM) {
            fl_log(ctx, "raft: out of memory applying index %lld",
                   (long long)(r->applied + 1));
            break;
        }
        r->applied++;
        if (r->role == RAFT_LEADER && r->npending > 0)
            raft_answer_pending(ctx, r, r->applied,
                                (e->cmd.type == RAFT_CMD_OP &&
                                 o != FL_KVSM_STALE) ? &e->cmd : NULL,
                                result, status);
    }
    raft_process_reads(ctx, r);
    raft_maybe_snapshot(ctx, r);
}

/* ---- ReadIndex (thesis §6.4) ------------------------------------------- */

static bool raft_round_acked(const raft_node *r, uint64_t round)
{
    size_t n = 0;
    for (size_t i = 0; i < r->npeers; i++) {
        const raft_peer *p = &r->peers[i];
        n += p->id == r->self || p->acked_round >= round;
    }
    return n >= raft_majority(r);
}

void raft_process_reads(fl_ctx *ctx, raft_node *r)
{
    if (r->role != RAFT_LEADER || r->nreads == 0)
        return;
    /* 1. Once an entry of our term is committed, the commit index is the
     *    read index; a heartbeat round then proves we still lead. */
    bool start = false;
    for (size_t i = 0; i < r->nreads; i++) {
        raft_read *rd = &r->reads[i];
        if (rd->round == 0 && r->commit >= r->term_start) {
            rd->read_index = r->commit;
            rd->round = r->round + 1;
            start = true;
        }
    }
    if (start) {
        r->round++;
        raft_broadcast_append(ctx, r);
    }
    /* 2. Answer reads whose round a majority confirmed, once applied. */
    size_t k = 0;
    for (size_t i = 0; i < r->nreads; i++) {
        raft_read rd = r->reads[i];
        bool confirmed = rd.round && (raft_round_acked(r, rd.round) ||
                                      raft_bug(r, RAFT_BUG(READ_NO_CONFIRM)));
        if (confirmed && r->applied >= rd.read_index)
            raft_reply(ctx, r, &rd.req, FL_STATUS_OK,
                       r->sm_ops->query(r->sm, &rd.req.op));
        else
            r->reads[k++] = rd;
    }
    r->nreads = k;
}

static void raft_add_read(fl_ctx *ctx, raft_node *r, const fl_request *req)
{
    for (size_t i = 0; i < r->nreads; i++) {
        if (r->reads[i].req.client == req->client &&
            r->reads[i].req.seq == req->seq) {
            r->reads[i].req = *req;     /* a retry: answer the latest */
            return;
        }
    }
    if (r->nreads >= RAFT_MAX_PENDING ||
        !wire_array_grow((void **)&r->reads, &r->cap_reads,
                         r->nreads + 1, sizeof *r->reads)) {
        raft_answer(ctx, r, req, FL_STATUS_FAIL, 0);
        return;
    }
    raft_read *rd = &r->reads[r->nreads++];
    memset(rd, 0, sizeof *rd);
    rd->req = *req;
    raft_process_reads(ctx, r);
}

/* ---- Requests ----------------------------------------------------------- */

static void raft_propose(fl_ctx *ctx, raft_node *r, const fl_request *req)
{
    bool dedup = !raft_bug(r, RAFT_BUG(NO_DEDUP));
    raft_pending *p = dedup ? raft_find_pending(r, req->client, req->seq)
                            : NULL;
    if (p) {
        p->req = *req;              /* already in the log: answer the retry */
        return;
    }
    if (r->npending >= RAFT_MAX_PENDING ||
        !wire_array_grow((void **)&r->pending, &r->cap_pending,
                         r->npending + 1, sizeof *r->pending)) {
        raft_answer(ctx, r, req, FL_STATUS_FAIL, 0);
        return;
    }
    raft_cmd cmd = {.type = RAFT_CMD_OP, .client = req->client,
                    .seq = req->seq, .op = req->op};
    if (!dedup)       /* the no-dedup bug: each attempt is a new command */
        cmd.seq = (req->seq << 8) | (req->attempt < 255 ? req->attempt : 255);
    if (r->sm_ops->stamp)
        r->sm_ops->stamp(r->sm, ctx, &cmd.op);
    if (raft_append_local(ctx, r, r->term, &cmd) != 0) {
        raft_answer(ctx, r, req, FL_STATUS_FAIL, 0);
        return;
    }
    p = &r->pending[r->npending++];
    p->req = *req;
    p->index = raft_log_last(&r->log);
    raft_broadcast_append(ctx, r);  /* flushes the new entry first */
    raft_advance_commit(ctx, r);    /* a cluster of one commits at once */
    if (raft_bug(r, RAFT_BUG(APPLY_EARLY)))
        raft_apply(ctx, r);
}

void raft_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    raft_node *r = state;
    if (r->role != RAFT_LEADER) {
        /* Raft §8: clients find the leader through redirects. */
        raft_redirect(ctx, r, req, r->leader == r->self ? FL_NO_NODE : r->leader);
        return;
    }
    /* Thesis §6.3: a retry of an applied operation gets the stored result. */
    const fl_kvsm_session *s = raft_bug(r, RAFT_BUG(NO_DEDUP)) ? NULL :
                               r->sm_ops->session(r->sm, req->client);
    if (s && s->seq == req->seq) {
        raft_reply(ctx, r, req, (fl_status)s->status, s->result);
        return;
    }
    if (s && req->seq < s->seq)
        return;                     /* its client has moved on */
    if (r->transfer_to != FL_NO_NODE) {
        /* Thesis §3.10: no new requests while leadership moves; the
         * target will lead (or we resume after an election timeout). */
        raft_redirect(ctx, r, req, r->transfer_to);
        return;
    }
    raft_forget_older(r, req->client, req->seq);
    if (req->op.kind == FL_OP_READ && r->p.read_mode == RAFT_READ_INDEX)
        raft_add_read(ctx, r, req);
    else
        raft_propose(ctx, r, req);
    raft_flush(ctx, r);
}
