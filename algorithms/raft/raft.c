/* raft.c — the Raft server role and the fl_algorithm table: init, start
 * (recovery from the disk alone), destroy, message and timer dispatch, the
 * durable flush that precedes every send and reply (Raft Figure 2), and
 * the fixed-schema views (inspect, inspect_entry, describe). */
#include "algorithms/raft/raft.h"

#include <stdlib.h>
#include <string.h>

#include "algorithms/raft/raft_table.h"

/* ---- Shared helpers ----------------------------------------------------- */

raft_peer *raft_peer_of(raft_node *r, fl_node_id id)
{
    for (size_t i = 0; i < r->npeers; i++)
        if (r->peers[i].id == id)
            return &r->peers[i];
    return NULL;
}

void raft_flush(fl_ctx *ctx, raft_node *r)
{
    if (r->meta_dirty) {
        r->meta_dirty = false;
        /* The no-persist bug forgets term and vote across a crash. */
        if (!raft_bug(r, RAFT_BUG(NO_PERSIST))) {
            fl_node_id vote = raft_bug(r, RAFT_BUG(VOTE_IN_MEMORY))
                                  ? FL_NO_NODE : r->voted_for;
            if (raft_bug(r, RAFT_BUG(SINGLE_META)))
                r->st.meta_seq = 1;     /* always slot 0, in place */
            if (raft_store_meta(ctx, &r->st, r->term, vote) != 0)
                fl_log(ctx, "raft: writing meta failed");
            r->disk_dirty = true;
        }
    }
    if (r->disk_dirty) {
        fl_disk_sync(ctx);
        r->disk_dirty = false;
    }
    r->durable = raft_log_last(&r->log);
}

void raft_send(fl_ctx *ctx, raft_node *r, fl_node_id to, const raft_msg *m)
{
    bool late = raft_bug(r, RAFT_BUG(REPLY_BEFORE_SYNC));
    if (!late)
        raft_flush(ctx, r);
    if (raft_msg_encode(m, &r->out) != 0) {
        fl_log(ctx, "raft: out of memory encoding %s",
               raft_msg_type_name(m->type));
        return;
    }
    fl_send(ctx, to, r->out.data, r->out.len);
    if (late)
        raft_flush(ctx, r);         /* the bug: sync after the send */
}

int raft_append_local(fl_ctx *ctx, raft_node *r, int64_t term,
                      const raft_cmd *cmd)
{
    if (raft_log_append(&r->log, term, cmd) != 0)
        return -1;
    if (raft_store_append(ctx, &r->st, &r->log, raft_log_last(&r->log)) != 0)
        fl_log(ctx, "raft: writing the log failed");
    r->disk_dirty = true;
    return 0;
}

/* ---- Lifecycle ---------------------------------------------------------- */

void raft_server_destroy(void *state)
{
    raft_node *r = state;
    raft_log_free(&r->log);
    if (r->sm_ops)
        r->sm_ops->destroy(r->sm);
    r->sm = NULL;
    wire_buf_free(&r->out);
    raft_free_clients(r);
    free(r->snap_data);
    free(r->peers);
    r->snap_data = NULL;
    r->peers = NULL;
    r->npeers = 0;
}

int raft_server_init(fl_ctx *ctx, void *state, const cJSON *params,
                     const raft_sm_ops *ops, const void *cfg,
                     raft_answer_fn answer)
{
    const fl_node_id *ids = NULL;
    size_t n = fl_nodes(ctx, NULL, &ids);
    return raft_server_init_peers(ctx, state, params, ops, cfg, answer,
                                  ids, n);
}

int raft_server_init_peers(fl_ctx *ctx, void *state, const cJSON *params,
                           const raft_sm_ops *ops, const void *cfg,
                           raft_answer_fn answer, const fl_node_id *ids,
                           size_t n)
{
    raft_node *r = state;
    memset(r, 0, sizeof *r);
    r->sm_ops = ops;
    r->sm_cfg = cfg;
    r->answer = answer;
    char err[256];
    if (raft_params_parse(params, &r->p, err, sizeof err) != 0) {
        fl_log(ctx, "raft: bad params: %s", err);
        return -1;
    }
    r->self = fl_self(ctx);
    r->peers = calloc(n ? n : 1, sizeof *r->peers);
    if (!r->peers) {
        fl_log(ctx, "raft: out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        r->peers[i].id = ids[i];
        r->peers[i].vote = -1;
    }
    r->npeers = n;
    r->voted_for = FL_NO_NODE;
    r->leader = FL_NO_NODE;
    r->transfer_to = FL_NO_NODE;
    r->role = RAFT_FOLLOWER;
    raft_log_init(&r->log);
    wire_buf_init(&r->out);
    r->sm = ops->create(cfg);
    if (!r->sm) {
        fl_log(ctx, "raft: out of memory");
        return -1;
    }
    return 0;
}

static int raft_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    return raft_server_init(ctx, state, params, &raft_kv_sm, NULL, NULL);
}

/* Rebuilds the persistent state and the snapshot from the disk alone. */
static void raft_recover(fl_ctx *ctx, raft_node *r)
{
    raft_recovered rec;
    if (raft_store_load(ctx, &r->st, &r->log, &rec) != 0)
        fl_log(ctx, "raft: recovery hit an error; continuing with what loaded");
    r->term = rec.term;
    r->voted_for = rec.vote;
    if (rec.snap) {
        if (r->sm_ops->restore(r->sm, rec.snap, rec.snap_len) != 0)
            fl_log(ctx, "raft: snapshot state machine is corrupt");
        r->snap_data = rec.snap;
        r->snap_len = rec.snap_len;
    }
    /* Raft §5.1 / §7: commit and applied are volatile; the snapshot is. */
    r->commit = r->log.base;
    r->applied = r->log.base;
    r->durable = raft_log_last(&r->log);
    fl_log(ctx, "raft: recovered term %lld, log %lld..%lld",
           (long long)r->term, (long long)r->log.base,
           (long long)raft_log_last(&r->log));
}

void raft_server_start(fl_ctx *ctx, void *state, bool recovering)
{
    raft_node *r = state;
    if (recovering)
        raft_recover(ctx, r);
    r->role = RAFT_FOLLOWER;
    raft_reset_election_timer(ctx, r);
}

/* ---- Dispatch ----------------------------------------------------------- */

static void raft_dispatch(fl_ctx *ctx, raft_node *r, fl_node_id from,
                          const raft_msg *m)
{
    /* Raft §5.1: any message from a newer term makes us a follower in it
     * (vote requests decide for themselves: pre-votes change nothing and
     * a leader-sticky node may ignore them, thesis §4.2.3). */
    bool is_request_vote = m->type == RAFT_MSG_VOTE ||
                           m->type == RAFT_MSG_PREVOTE ||
                           m->type == RAFT_MSG_PREVOTE_REPLY;
    bool is_reply = m->type == RAFT_MSG_VOTE_REPLY ||
                    m->type == RAFT_MSG_APPEND_REPLY ||
                    m->type == RAFT_MSG_SNAPSHOT_REPLY;
    if (is_reply && raft_bug(r, RAFT_BUG(IGNORE_REPLY_TERM)))
        is_request_vote = true;     /* the bug: replies never step us down */
    if (!is_request_vote && m->term > r->term)
        raft_become_follower(ctx, r, m->term, FL_NO_NODE);
    switch ((raft_msg_type)m->type) {
    case RAFT_MSG_VOTE:
    case RAFT_MSG_PREVOTE:
        raft_on_vote(ctx, r, from, m);
        break;
    case RAFT_MSG_VOTE_REPLY:
    case RAFT_MSG_PREVOTE_REPLY:
        raft_on_vote_reply(ctx, r, from, m);
        break;
    case RAFT_MSG_APPEND:
        raft_on_append(ctx, r, from, m);
        break;
    case RAFT_MSG_APPEND_REPLY:
    case RAFT_MSG_SNAPSHOT_REPLY:
        raft_on_append_reply(ctx, r, from, m);
        break;
    case RAFT_MSG_SNAPSHOT:
        raft_on_snapshot(ctx, r, from, m);
        break;
    case RAFT_MSG_TIMEOUT_NOW:
        raft_on_timeout_now(ctx, r, from, m);
        break;
    case RAFT_MSG_TYPE_END:
        break;
    }
    /* The bug: any message postpones our election, a refused vote request
     * or a stale leader's AppendEntries too (Figure 2 allows only a
     * granted vote and the current leader's AppendEntries). */
    if (raft_bug(r, RAFT_BUG(TIMER_RESET_ANY)) && r->role == RAFT_FOLLOWER)
        raft_reset_election_timer(ctx, r);
}

void raft_server_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                            const void *msg, size_t len)
{
    raft_node *r = state;
    if (from == r->self || !raft_peer_of(r, from))
        return;                     /* only servers speak Raft */
    raft_msg m;
    if (raft_msg_decode(msg, len, &m) != 0) {
        fl_log(ctx, "raft: ignored a malformed message (%zu bytes) from %d",
               len, (int)from);
        return;
    }
    raft_dispatch(ctx, r, from, &m);
    raft_msg_free(&m);
    raft_flush(ctx, r);
}

void raft_server_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                          uint64_t cookie)
{
    raft_node *r = state;
    switch (kind) {
    case FL_TIMER_ELECTION:
    case FL_TIMER_LEASE:            /* a leader's check-quorum round */
        if (cookie != r->election_cookie)
            return;                 /* superseded */
        r->election_timer = 0;
        raft_on_election_timer(ctx, r);
        break;
    case FL_TIMER_HEARTBEAT:
        if (cookie != (uint64_t)r->term)
            return;
        raft_on_heartbeat_timer(ctx, r);
        break;
    case FL_TIMER_OTHER:
        raft_take_snapshot(ctx, r);
        break;
    case FL_TIMER_RETRY:
        if (cookie != r->retry_cookie)
            return;
        raft_on_retry_timer(ctx, r);
        break;
    case FL_TIMER_TICK:             /* leadership transfer (thesis §3.10) */
        if (cookie != r->transfer_cookie)
            return;
        raft_on_transfer_timer(ctx, r);
        break;
    case FL_TIMER_KIND_COUNT:
        break;
    }
    raft_flush(ctx, r);
}

/* ---- Views -------------------------------------------------------------- */

static int64_t raft_or_none(int64_t index)
{
    return index > 0 ? index : -1;
}

static void raft_add_scalar(fl_view *v, const char *name, int64_t value)
{
    if (v->nscalars < FL_VIEW_MAX_SCALARS) {
        v->scalars[v->nscalars].name = name;
        v->scalars[v->nscalars].value = value;
        v->nscalars++;
    }
}

static void raft_inspect_peers(const raft_node *r, fl_view *v)
{
    int64_t last = raft_log_last(&r->log);
    for (size_t i = 0; i < r->npeers; i++) {
        const raft_peer *p = &r->peers[i];
        if (p->id < 0 || (size_t)p->id >= v->npeers)
            continue;
        if (r->role == RAFT_LEADER) {
            bool me = p->id == r->self;
            if (v->match)
                v->match[p->id] = raft_or_none(me ? r->durable : p->match);
            if (v->next)
                v->next[p->id] = me ? last + 1 : p->next;
        } else if (r->role != RAFT_FOLLOWER && v->votes) {
            v->votes[p->id] = p->vote;
        }
    }
}

void raft_server_inspect(const void *state, fl_view *v)
{
    const raft_node *r = state;
    static const fl_view_kind kinds[] = {
        [RAFT_FOLLOWER] = FL_VIEW_FOLLOWER,
        [RAFT_PRECANDIDATE] = FL_VIEW_CANDIDATE,
        [RAFT_CANDIDATE] = FL_VIEW_CANDIDATE,
        [RAFT_LEADER] = FL_VIEW_LEADER,
    };
    static const char *const labels[] = {
        [RAFT_FOLLOWER] = "follower",
        [RAFT_PRECANDIDATE] = "pre-candidate",
        [RAFT_CANDIDATE] = "candidate",
        [RAFT_LEADER] = "leader",
    };
    v->kind = kinds[r->role];
    v->label = labels[r->role];
    v->term = r->term;
    v->leader = r->leader;
    v->voted_for = r->voted_for;
    int64_t last = raft_log_last(&r->log);
    if (last > 0) {
        /* With a snapshot, its last entry is shown as the first held. */
        v->log_first = r->log.base > 0 ? r->log.base : 1;
        v->log_last = last;
    }
    v->commit = raft_or_none(r->commit);
    v->applied = raft_or_none(r->applied);
    raft_inspect_peers(r, v);
    v->nscalars = 0;
    raft_add_scalar(v, "snapshot_index", r->log.base);
    raft_add_scalar(v, "durable", r->durable);
    raft_add_scalar(v, "pending", (int64_t)(r->npending + r->nreads));
    if (r->sm_ops->inspect) {
        r->sm_ops->inspect(r->sm, v);   /* room for the state machine */
        return;
    }
    raft_add_scalar(v, "elections", r->elections);
    raft_add_scalar(v, "transfers", r->transfers);
    if (r->role == RAFT_LEADER && r->transfer_to != FL_NO_NODE)
        raft_add_scalar(v, "transfer_to", r->transfer_to);
}

bool raft_server_inspect_entry(const void *state, int64_t index,
                               fl_view_entry *out)
{
    const raft_node *r = state;
    if (index == r->log.base && index > 0) {
        out->term = r->log.base_term;
        out->chain = r->log.base_chain;
        out->command = r->log.base_cmd;
        out->committed = true;
        out->durable = true;
        return true;
    }
    const raft_entry *e = raft_log_get(&r->log, index);
    if (!e)
        return false;
    out->term = e->term;
    out->chain = e->chain;
    out->command = e->cmd_hash;
    out->committed = index <= r->commit;
    out->durable = index <= r->durable;
    return true;
}

/* ---- The table ---------------------------------------------------------- */

int raft_validate(const cJSON *params, char *err, size_t errlen)
{
    raft_params p;
    return raft_params_parse(params, &p, err, errlen);
}

void raft_describe(const void *msg, size_t len, fl_msg_info *info)
{
    raft_msg m;
    fl_msg_info_clear(info);
    info->kind = "garbage";
    if (raft_msg_decode(msg, len, &m) != 0)
        return;
    /* the fields of <faultline/raft.h> (contract.h) */
    info->kind = raft_msg_type_name(m.type);
    info->term = m.term;
    switch ((raft_msg_type)m.type) {
    case RAFT_MSG_VOTE_REPLY:
    case RAFT_MSG_PREVOTE_REPLY:
        info->is_reply = true;
        info->ok = m.u.vote_reply.granted;
        break;
    case RAFT_MSG_APPEND_REPLY:
    case RAFT_MSG_SNAPSHOT_REPLY:
        info->is_reply = true;
        info->ok = m.u.append_reply.success;
        if (m.u.append_reply.success)
            info->index = m.u.append_reply.match;
        break;
    case RAFT_MSG_VOTE:
    case RAFT_MSG_PREVOTE:
        info->index = m.u.vote.last_index;
        info->index_term = m.u.vote.last_term;
        break;
    case RAFT_MSG_APPEND:
        info->index = m.u.append.prev_index;
        info->index_term = m.u.append.prev_term;
        info->count = m.u.append.n;
        info->commit = m.u.append.commit;
        break;
    case RAFT_MSG_SNAPSHOT:
        info->index = m.u.snapshot.last_index;
        info->index_term = m.u.snapshot.last_term;
        break;
    case RAFT_MSG_TIMEOUT_NOW:
        info->index = m.u.timeout_now.last_index;
        break;
    case RAFT_MSG_TYPE_END:
        break;
    }
    raft_msg_free(&m);
}

const fl_role raft_roles[] = {
    {
        .name = "server",
        .state_size = sizeof(raft_node),
        .init = raft_init,
        .start = raft_server_start,
        .on_message = raft_server_on_message,
        .on_timer = raft_server_on_timer,
        .on_request = raft_on_request,
        .inspect = raft_server_inspect,
        .inspect_entry = raft_server_inspect_entry,
        .destroy = raft_server_destroy,
    },
    {.name = NULL},
};

const fl_algorithm fl_raft_algorithm = RAFT_ALGORITHM_TABLE;
