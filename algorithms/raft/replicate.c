/* replicate.c — Raft's log replication: AppendEntries with the consistency
 * check, conflict truncation and fast backtracking (Raft §5.3), heartbeats,
 * commitment of current-term entries by majority (§5.4.2), and log
 * compaction with InstallSnapshot (§7). */
#include "algorithms/raft/raft.h"

#include <stdlib.h>
#include <string.h>

/* ---- Leader: sending ---------------------------------------------------- */

/* Raft §7: a follower that needs entries we compacted gets the snapshot. */
static void raft_send_snapshot(fl_ctx *ctx, raft_node *r, raft_peer *p)
{
    if (!r->snap_data) {
        p->next = r->log.base + 1;
        return;
    }
    raft_msg m = {.type = RAFT_MSG_SNAPSHOT, .term = r->term};
    m.u.snapshot.last_index = r->log.base;
    m.u.snapshot.last_term = r->log.base_term;
    m.u.snapshot.last_chain = r->log.base_chain;
    m.u.snapshot.last_cmd = r->log.base_cmd;
    m.u.snapshot.round = r->round;
    m.u.snapshot.data_len = (uint32_t)r->snap_len;
    m.u.snapshot.data = r->snap_data;
    raft_send(ctx, r, p->id, &m);
    p->next = r->log.base + 1;      /* optimistic; a refusal resets it */
}

void raft_send_append(fl_ctx *ctx, raft_node *r, raft_peer *p)
{
    if (p->id == r->self || r->role != RAFT_LEADER)
        return;
    if (p->next <= r->log.base) {
        raft_send_snapshot(ctx, r, p);
        return;
    }
    int64_t last = raft_log_last(&r->log);
    if (p->next > last + 1)
        p->next = last + 1;
    int64_t prev = p->next - 1;
    int64_t prev_term = 0;
    raft_log_term(&r->log, prev, &prev_term);
    int64_t n = last - prev;
    if (n > r->p.max_batch)
        n = r->p.max_batch;
    raft_wire_entry ents[RAFT_MAX_BATCH];
    for (int64_t k = 0; k < n; k++) {
        const raft_entry *e = raft_log_get(&r->log, prev + 1 + k);
        ents[k].term = e->term;
        ents[k].cmd = e->cmd;
    }
    raft_msg m = {.type = RAFT_MSG_APPEND, .term = r->term};
    m.u.append.prev_index = prev;
    m.u.append.prev_term = prev_term;
    m.u.append.commit = r->commit;
    m.u.append.round = r->round;
    m.u.append.n = (uint32_t)n;
    m.u.append.entries = ents;
    raft_send(ctx, r, p->id, &m);
    /* Pipelining: assume it arrives; a refusal moves `next` back. */
    p->next = prev + n + 1;
}

void raft_broadcast_append(fl_ctx *ctx, raft_node *r)
{
    for (size_t i = 0; i < r->npeers; i++)
        raft_send_append(ctx, r, &r->peers[i]);
}

void raft_schedule_heartbeat(fl_ctx *ctx, raft_node *r)
{
    if (r->heartbeat_timer)
        fl_cancel_timer(ctx, r->heartbeat_timer);
    r->heartbeat_timer = fl_set_timer(ctx, FL_MS(r->p.heartbeat_ms),
                                      FL_TIMER_HEARTBEAT, (uint64_t)r->term);
}

/* Raft §5.2: empty AppendEntries keep followers from starting elections
 * (and carry any entries a follower still lacks). */
void raft_on_heartbeat_timer(fl_ctx *ctx, raft_node *r)
{
    r->heartbeat_timer = 0;
    if (r->role != RAFT_LEADER)
        return;
    raft_broadcast_append(ctx, r);
    raft_schedule_heartbeat(ctx, r);
}

/* ---- Leader: commitment ------------------------------------------------- */

static size_t raft_replicas(const raft_node *r, int64_t index)
{
    size_t n = 0;
    for (size_t i = 0; i < r->npeers; i++) {
        const raft_peer *p = &r->peers[i];
        int64_t m = p->id == r->self ? r->durable : p->match;
        n += m >= index;
    }
    return n;
}

/* Raft §5.4.2: a leader commits only entries of its own term by counting
 * replicas; earlier entries commit with them (Log Matching). */
void raft_advance_commit(fl_ctx *ctx, raft_node *r)
{
    if (r->role != RAFT_LEADER)
        return;
    bool old_term_ok = raft_bug(r, RAFT_BUG(COMMIT_OLD_TERM));
    int64_t before = r->commit;
    for (int64_t n = raft_log_last(&r->log); n > r->commit; n--) {
        int64_t t = -1;
        raft_log_term(&r->log, n, &t);
        if (t != r->term && !old_term_ok) {
            if (t < r->term)
                break;          /* terms only shrink further down */
            continue;
        }
        if (raft_replicas(r, n) >= raft_majority(r)) {
            r->commit = n;
            break;
        }
    }
    if (r->commit > before)
        raft_apply(ctx, r);
}

/* ---- Leader: replies ---------------------------------------------------- */

/* Fast backtracking (Raft §5.3, thesis §5.3): skip a whole conflicting
 * term per round trip instead of one entry. */
static int64_t raft_backtrack(const raft_node *r, const raft_msg *m)
{
    int64_t ci = m->u.append_reply.conflict_index;
    int64_t ct = m->u.append_reply.conflict_term;
    if (ct >= 0) {
        int64_t li = raft_log_last_of_term(&r->log, ct);
        if (li >= 0)
            return li + 1;
    }
    return ci;
}

void raft_on_append_reply(fl_ctx *ctx, raft_node *r, fl_node_id from,
                          const raft_msg *m)
{
    if (r->role != RAFT_LEADER || m->term != r->term)
        return;
    raft_peer *p = raft_peer_of(r, from);
    int64_t last = raft_log_last(&r->log);
    p->active = true;
    if (m->u.append_reply.round > p->acked_round &&
        m->u.append_reply.round <= r->round)
        p->acked_round = m->u.append_reply.round;
    if (m->u.append_reply.success) {
        int64_t match = m->u.append_reply.match;
        if (match > last)
            match = last;
        if (match > p->match || raft_bug(r, RAFT_BUG(MATCH_REGRESS)))
            p->match = match;
        if (p->next < p->match + 1)
            p->next = p->match + 1;
        raft_advance_commit(ctx, r);
        if (p->next <= raft_log_last(&r->log))
            raft_send_append(ctx, r, p);
        raft_transfer_progress(ctx, r, p);
    } else {
        int64_t next = raft_backtrack(r, m);
        if (next > last + 1)
            next = last + 1;
        if (next < p->match + 1)
            next = p->match + 1;
        if (next < 1)
            next = 1;
        p->next = next;
        raft_send_append(ctx, r, p);
    }
    raft_process_reads(ctx, r);
}

/* ---- Follower: AppendEntries -------------------------------------------- */

/* Raft §5.3: heard from the leader of our term. */
static void raft_follow(fl_ctx *ctx, raft_node *r, fl_node_id from,
                        int64_t term)
{
    if (r->role != RAFT_FOLLOWER || term > r->term)
        raft_become_follower(ctx, r, term, from);
    r->leader = from;
    r->leader_contact = fl_now(ctx);
    r->heard_leader = true;
    raft_reset_election_timer(ctx, r);
}

/* Raft §5.3 rules 3-4: delete a conflicting entry and all that follow it,
 * then append what is new. Writes the new entries to the log file. */
static int raft_merge_entries(fl_ctx *ctx, raft_node *r, const raft_msg *m)
{
    int64_t idx = m->u.append.prev_index;
    int64_t first_new = 0;
    int rc = 0;
    if (raft_bug(r, RAFT_BUG(TRUNCATE_ALWAYS)) && idx + 1 > r->log.base &&
        idx < raft_log_last(&r->log)) {
        /* The bug: cut after prevLogIndex whatever the entries say. */
        raft_store_truncate(ctx, &r->st, &r->log, idx + 1);
        raft_log_truncate(&r->log, idx + 1);
        if (r->durable > idx)
            r->durable = idx;
        r->disk_dirty = true;
    }
    for (uint32_t k = 0; k < m->u.append.n && rc == 0; k++) {
        const raft_wire_entry *e = &m->u.append.entries[k];
        idx++;
        if (idx <= r->log.base)
            continue;               /* already in our snapshot (committed) */
        int64_t t;
        if (raft_log_term(&r->log, idx, &t)) {
            if (t == e->term || raft_bug(r, RAFT_BUG(NO_TRUNCATE)))
                continue;
            raft_store_truncate(ctx, &r->st, &r->log, idx);
            raft_log_truncate(&r->log, idx);
            if (r->durable >= idx)
                r->durable = idx - 1;
            if (first_new >= idx)
                first_new = 0;
            r->disk_dirty = true;
        }
        rc = raft_log_append(&r->log, e->term, &e->cmd);
        if (rc == 0 && first_new == 0)
            first_new = idx;
    }
    if (first_new) {
        raft_store_append(ctx, &r->st, &r->log, first_new);
        r->disk_dirty = true;
    }
    return rc;
}

static void raft_append_refuse(fl_ctx *ctx, raft_node *r, fl_node_id from,
                               const raft_msg *m, int64_t ci, int64_t ct)
{
    raft_msg reply = {.type = RAFT_MSG_APPEND_REPLY, .term = r->term};
    reply.u.append_reply.success = false;
    reply.u.append_reply.conflict_index = ci;
    reply.u.append_reply.conflict_term = ct;
    reply.u.append_reply.round = m->u.append.round;
    raft_send(ctx, r, from, &reply);
}

void raft_on_append(fl_ctx *ctx, raft_node *r, fl_node_id from,
                    const raft_msg *m)
{
    if (m->term < r->term) {        /* Raft §5.1: a stale leader */
        raft_append_refuse(ctx, r, from, m, 0, -1);
        return;
    }
    raft_follow(ctx, r, from, m->term);
    int64_t prev = m->u.append.prev_index;
    int64_t last = raft_log_last(&r->log);
    /* Raft §5.3 rule 2: our log must hold prev with the same term. */
    if (prev > last) {
        raft_append_refuse(ctx, r, from, m, last + 1, -1);
        return;
    }
    int64_t t;
    if (prev >= r->log.base && raft_log_term(&r->log, prev, &t) &&
        t != m->u.append.prev_term) {
        raft_append_refuse(ctx, r, from, m,
                           raft_log_first_of_term(&r->log, prev), t);
        return;
    }
    if (raft_merge_entries(ctx, r, m) != 0) {
        fl_log(ctx, "raft: out of memory appending entries");
        return;
    }
    int64_t match = prev + m->u.append.n;
    /* Raft §5.3 rule 5: commit up to what this message showed matches. */
    int64_t commit = m->u.append.commit < match ? m->u.append.commit : match;
    if (raft_bug(r, RAFT_BUG(COMMIT_NO_MIN)))
        commit = m->u.append.commit;    /* the bug: no min */
    if (commit > r->commit)
        r->commit = commit;
    raft_msg reply = {.type = RAFT_MSG_APPEND_REPLY, .term = r->term};
    reply.u.append_reply.success = true;
    reply.u.append_reply.match = match;
    reply.u.append_reply.conflict_term = -1;
    reply.u.append_reply.round = m->u.append.round;
    raft_send(ctx, r, from, &reply);   /* flushes the entries first */
    raft_apply(ctx, r);
}

/* ---- Snapshots (Raft §7) ------------------------------------------------ */

static void raft_snapshot_reply(fl_ctx *ctx, raft_node *r, fl_node_id from,
                                const raft_msg *m, bool ok)
{
    raft_msg reply = {.type = RAFT_MSG_SNAPSHOT_REPLY, .term = r->term};
    reply.u.append_reply.success = ok;
    reply.u.append_reply.match = ok ? m->u.snapshot.last_index : 0;
    reply.u.append_reply.conflict_index = ok ? 0 : r->log.base + 1;
    reply.u.append_reply.conflict_term = -1;
    reply.u.append_reply.round = m->u.snapshot.round;
    raft_send(ctx, r, from, &reply);
}

/* Replaces the state machine and the log prefix with the snapshot. */
static int raft_install(fl_ctx *ctx, raft_node *r, const raft_msg *m)
{
    int64_t idx = m->u.snapshot.last_index;
    uint8_t *copy = malloc(m->u.snapshot.data_len ? m->u.snapshot.data_len : 1);
    if (!copy)
        return -1;
    if (r->sm_ops->restore(r->sm, m->u.snapshot.data,
                           m->u.snapshot.data_len) != 0) {
        free(copy);
        return -1;
    }
    memcpy(copy, m->u.snapshot.data, m->u.snapshot.data_len);
    int64_t t;
    /* Raft §7: keep entries that follow a matching last entry. */
    if (idx > r->log.base && raft_log_term(&r->log, idx, &t) &&
        t == m->u.snapshot.last_term &&
        !raft_bug(r, RAFT_BUG(SNAP_DROP_SUFFIX)))
        raft_log_compact(&r->log, idx);
    else
        raft_log_reset(&r->log, idx, m->u.snapshot.last_term,
                       m->u.snapshot.last_chain, m->u.snapshot.last_cmd);
    free(r->snap_data);
    r->snap_data = copy;
    r->snap_len = m->u.snapshot.data_len;
    r->commit = idx;
    r->applied = idx;
    raft_store_snapshot(ctx, &r->st, &r->log, copy, r->snap_len);
    r->disk_dirty = true;
    fl_log(ctx, "raft: installed snapshot through index %lld",
           (long long)idx);
    return 0;
}

void raft_on_snapshot(fl_ctx *ctx, raft_node *r, fl_node_id from,
                      const raft_msg *m)
{
    if (m->term < r->term) {
        raft_snapshot_reply(ctx, r, from, m, false);
        return;
    }
    raft_follow(ctx, r, from, m->term);
    /* Already committed through there: our prefix matches the leader's. */
    if (m->u.snapshot.last_index <= r->commit) {
        raft_snapshot_reply(ctx, r, from, m, true);
        return;
    }
    if (raft_install(ctx, r, m) != 0)
        return;                     /* garbage or out of memory: ignore */
    raft_snapshot_reply(ctx, r, from, m, true);
}

/* Raft §7: fold the applied prefix into a snapshot of the state machine. */
void raft_take_snapshot(fl_ctx *ctx, raft_node *r)
{
    r->snapshot_timer = 0;
    int64_t upto = r->applied;
    if (r->p.snapshot_every <= 0 || upto - r->log.base < r->p.snapshot_every ||
        upto > raft_log_last(&r->log))
        return;
    wire_buf b;
    wire_buf_init(&b);
    if (r->sm_ops->encode(r->sm, &b) != 0) {
        wire_buf_free(&b);
        return;
    }
    raft_log_compact(&r->log, upto);
    free(r->snap_data);
    r->snap_data = b.data;          /* takes the buffer */
    r->snap_len = b.len;
    raft_store_snapshot(ctx, &r->st, &r->log, r->snap_data, r->snap_len);
    r->disk_dirty = true;
    raft_flush(ctx, r);
}
