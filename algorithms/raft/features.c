/* features.c — checks that a feature a scenario's params ask for was
 * really there, judged from views and the history (at steps, at the end
 * of a run):
 *
 *   raft.snapshot   with params.snapshot_every = K: at each step, a
 *                   server that has applied 2K entries past its last
 *                   compaction compacts within an election timeout (a
 *                   server that took no step for that long, paused,
 *                   counts again; under manual delivery the count runs
 *                   only while its timers are on time: a scheduler may
 *                   withhold the timer it compacts from). At the end of a
 *                   timed run: every server that applied 2K entries has
 *                   compacted (log_first moved), and every server in
 *                   touch with the leader for the last two seconds (no
 *                   fault active meanwhile) has caught up to what the
 *                   cluster had committed a second before the end (a
 *                   follower that missed compacted entries needs
 *                   InstallSnapshot)
 *   raft.readindex  with params.read = "readindex": reads do not go
 *                   through the log. After every step that appends, once
 *                   a read was invoked: the logs never show more distinct
 *                   commands (inspect_entry command hashes) than the
 *                   writes invoked so far plus one no-op per term their
 *                   entries carry; at the end: the committed log is about
 *                   as long as the writes, not the writes plus the reads
 *   raft.transfer   with params.transfer_every_ms = T: no server leads
 *                   one term for longer than T + 3 election timeouts of
 *                   fault-free time (a transfer starts after T, and one
 *                   that fails is abandoned after an election timeout
 *                   and tried again after T; thesis §3.10). Judged only
 *                   in timed runs: under manual delivery a scheduler may
 *                   hold TimeoutNow back for ever. There, whatever the
 *                   params, the rule at the step instead: a server
 *                   handed a TimeoutNow of its current term, that is not
 *                   leader and whose log holds the leader's last index
 *                   (when describe reports it), starts an election at
 *                   once: its term moves or it turns candidate. */
#include "algorithms/raft/rules.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/raft/contract.h"

static int64_t feature_param_int(const fl_world *w, const char *key)
{
    const cJSON *params = fl_world_params(w);
    const cJSON *v = params
        ? cJSON_GetObjectItemCaseSensitive(params, key) : NULL;
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

/* The live leader with the highest term, or FL_NO_NODE. */
static fl_node_id feature_leader(const fl_world *w)
{
    fl_node_id best = FL_NO_NODE;
    int64_t term = -1;
    for (size_t i = 0; i < fl_world_node_count(w); i++) {
        const fl_view *v = fl_world_view(w, (fl_node_id)i);
        if (fl_world_alive(w, (fl_node_id)i) && v &&
            v->kind == FL_VIEW_LEADER && v->term > term) {
            term = v->term;
            best = (fl_node_id)i;
        }
    }
    return best;
}

/* ---- raft.snapshot ---------------------------------------------------------- */

/* The per-step half: how long each server has been late. */
typedef struct snap_node {
    fl_time due;                    /* since when it is late; -1 not late */
    fl_time last_step;
    int64_t first;                  /* log_first at that time */
} snap_node;

/* The cluster's commit index sampled every SNAP_EVERY of simulated time
 * over the last SNAP_RING samples, so the end of a run can ask what had
 * been committed a second before it. */
#define SNAP_RING  16
#define SNAP_EVERY FL_MS(250)

typedef struct snap_state {
    snap_node *n;
    size_t     nn;
    fl_time    at[SNAP_RING];
    int64_t    commit[SNAP_RING];
    size_t     samples;             /* taken so far; the newest at (samples - 1) % RING */
} snap_state;

static int snap_init(void *state, const fl_world *w)
{
    snap_state *s = state;
    s->nn = fl_world_node_count(w);
    s->n = calloc(s->nn ? s->nn : 1, sizeof *s->n);
    if (!s->n)
        return -1;
    for (size_t i = 0; i < s->nn; i++)
        s->n[i].due = -1;
    return 0;
}

static void snap_destroy(void *state)
{
    snap_state *s = state;
    free(s->n);
    s->n = NULL;
}

/* The highest commit index of a live leader sampled at or before `t`
 * (-1: no sample that old is kept). */
static int64_t snap_committed_by(const snap_state *s, fl_time t)
{
    size_t kept = s->samples < SNAP_RING ? s->samples : SNAP_RING;
    for (size_t j = 0; j < kept; j++) {
        size_t i = (s->samples - 1 - j) % SNAP_RING;
        if (s->at[i] <= t)
            return s->commit[i];
    }
    return -1;
}

/* Samples the commit index every SNAP_EVERY (timed runs; the end-of-run
 * half reads it). */
static void snap_sample(snap_state *s, const fl_world *w, fl_time now)
{
    size_t last = (s->samples - 1) % SNAP_RING;
    if (s->samples && now - s->at[last] < SNAP_EVERY)
        return;
    fl_node_id leader = feature_leader(w);
    const fl_view *lv = leader != FL_NO_NODE ? fl_world_view(w, leader) : NULL;
    int64_t c = lv ? lv->commit : -1;
    if (s->samples && s->commit[last] > c)
        c = s->commit[last];         /* committed stays committed */
    s->at[s->samples % SNAP_RING] = now;
    s->commit[s->samples % SNAP_RING] = c;
    s->samples++;
}

/* The end-of-run half, in timed runs only: under manual delivery the run
 * ends where the scheduler stopped (a replayed prefix: the compaction
 * timer and the heartbeats may still be pending, nothing was settled), and
 * the per-step half below judges the rule. */
static int snap_finish(void *state, const fl_world *w, fl_time end,
                       char *msg, size_t msglen)
{
    const snap_state *s = state;
    int64_t k = feature_param_int(w, FL_RAFT_PARAM_SNAPSHOT_EVERY);
    if (k <= 0 || !fl_world_timed(w))
        return 0;
    fl_node_id leader = feature_leader(w);
    const fl_view *lv = leader != FL_NO_NODE ? fl_world_view(w, leader) : NULL;
    /* Two seconds since the last fault ended (a pause too), not only
     * since the last heal or restart. */
    fl_time quiet = fl_world_quiet_since(w);
    bool settled = fl_world_last_recovery(w) <= end - FL_SEC(2) &&
                   quiet >= 0 && quiet <= end - FL_SEC(2);
    /* What a follower in touch owes: the commit index of a second before
     * the end (a follower a heartbeat behind is not late; one that missed
     * compacted entries stays behind until a snapshot reaches it). */
    int64_t owed = snap_committed_by(s, end - FL_SEC(1));
    for (size_t i = 0; i < fl_world_node_count(w); i++) {
        fl_node_id id = (fl_node_id)i;
        const fl_view *v = fl_world_view(w, id);
        if (!fl_world_alive(w, id) || !v || v->kind == FL_VIEW_NONE ||
            v->kind == FL_VIEW_CLIENT)
            continue;
        if (v->applied >= 2 * k && v->log_first >= 0 && v->log_first <= 1)
            return rule_fail(msg, msglen,
                             "node %d applied %" PRId64 " entries with "
                             "params.snapshot_every = %" PRId64 " and still "
                             "holds its log from index %" PRId64 ": it never "
                             "compacted (Raft §7)", id, v->applied, k,
                             v->log_first);
        if (lv && settled && id != leader && fl_world_link_up(w, leader, id) &&
            fl_world_link_up(w, id, leader) && v->commit < owed)
            return rule_fail(msg, msglen,
                             "node %d has commit index %" PRId64 " at the end, "
                             "below the %" PRId64 " the cluster had committed "
                             "a second before (leader %d, params.snapshot_"
                             "every = %" PRId64 "): a follower that missed "
                             "compacted entries must catch up by "
                             "InstallSnapshot (Raft §7)", id, v->commit, owed,
                             leader, k);
    }
    return 0;
}

/* Entries applied beyond the last compaction: log_first is the snapshot's
 * last index once the log was compacted (an uncompacted log starts at 1,
 * counted as no snapshot). */
static int64_t snap_backlog(const fl_view *v)
{
    int64_t base = v->log_first > 1 ? v->log_first : 0;
    return v->applied - base;
}

/* With params.snapshot_every = K, a server that has applied 2K entries
 * beyond its last compaction compacts within an election timeout of
 * simulated time, judged at each of its steps (a server that took no step
 * for that long, paused, starts counting again). Under manual delivery a
 * scheduler may hold the timer it compacts from back as long as it likes
 * while other events carry the clock: a step of it fired late, or one of
 * its timers still late when the bound is passed, starts the count again
 * (fl_world_timer_late), so only a server whose timers all ran on time
 * and that still did not compact is blamed. */
static int snap_check(void *state, const fl_world *w, fl_node_id node,
                      const fl_view *before, const fl_view *after, char *msg,
                      size_t msglen)
{
    (void)before;
    snap_state *s = state;
    int64_t k = feature_param_int(w, FL_RAFT_PARAM_SNAPSHOT_EVERY);
    if (k <= 0 || node < 0 || (size_t)node >= s->nn)
        return 0;
    snap_node *x = &s->n[node];
    fl_time now = fl_world_now(w);
    fl_time hi = FL_MS(rule_election_hi_ms(w));
    bool timed = fl_world_timed(w);
    if (timed)
        snap_sample(s, w, now);
    const fl_step_info *st = timed ? NULL : fl_world_step(w);
    bool gap = now - x->last_step > hi;
    bool late = st && st->node == node && st->cause == FL_CAUSE_TIMER &&
                st->timer_due < now;
    x->last_step = now;
    if (after->kind == FL_VIEW_NONE || after->kind == FL_VIEW_CLIENT ||
        after->applied < 0 || after->log_first < 0 ||
        snap_backlog(after) < 2 * k) {
        x->due = -1;
        return 0;
    }
    if (x->due < 0 || gap || late || after->log_first != x->first) {
        x->due = now;
        x->first = after->log_first;
        return 0;
    }
    if (now - x->due <= hi)
        return 0;
    /* ... or one still held back (a scan: only when the bound is passed). */
    if (!timed && fl_world_timer_late(w, node)) {
        x->due = now;
        return 0;
    }
    return rule_fail(msg, msglen,
                     "node %d has applied %" PRId64 " entries and holds its log "
                     "from index %" PRId64 " since %.3f ms, %.0f ms (bound: an "
                     "election timeout, %.0f ms): with params.snapshot_every = %"
                     PRId64 " it must compact (Raft §7)", node, after->applied,
                     after->log_first, (double)x->due / 1e6,
                     (double)(now - x->due) / 1e6, (double)hi / 1e6, k);
}

const fl_invariant fl_feature_raft_snapshot = {
    .name = "raft.snapshot",
    .summary = "with params.snapshot_every, every server compacts its log "
               "and lagging followers catch up (Raft §7)",
    .state_size = sizeof(snap_state),
    .init = snap_init, .check = snap_check, .destroy = snap_destroy,
    .finish = snap_finish,
};

/* ---- raft.readindex --------------------------------------------------------- */

static bool ri_param_on(const fl_world *w)
{
    const cJSON *params = fl_world_params(w);
    const cJSON *read = params
        ? cJSON_GetObjectItemCaseSensitive(params, FL_RAFT_PARAM_READ) : NULL;
    return cJSON_IsString(read) && strcmp(read->valuestring, "readindex") == 0;
}

/* A set of 64-bit hashes (open addressing; 0 is stored as 1). */
typedef struct ri_set {
    uint64_t *v;
    size_t    n, cap;
} ri_set;

static int ri_set_add(ri_set *s, uint64_t h)
{
    if (h == 0)
        h = 1;
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        uint64_t *v = calloc(cap, sizeof *v);
        if (!v)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->v[i])
                continue;
            size_t j = (size_t)(s->v[i] * 0x9e3779b97f4a7c15u >> 7) & (cap - 1);
            while (v[j])
                j = (j + 1) & (cap - 1);
            v[j] = s->v[i];
        }
        free(s->v);
        s->v = v;
        s->cap = cap;
    }
    size_t j = (size_t)(h * 0x9e3779b97f4a7c15u >> 7) & (s->cap - 1);
    while (s->v[j] && s->v[j] != h)
        j = (j + 1) & (s->cap - 1);
    if (!s->v[j]) {
        s->v[j] = h;
        s->n++;
    }
    return 0;
}

/* What the per-step half remembers: every command hash and every entry
 * term any server's log has shown, and how far each log was read. */
typedef struct ri_state {
    ri_set   cmds, terms;
    int64_t *seen;                  /* [node]: last index read */
    size_t   nn;
} ri_state;

static int ri_init(void *state, const fl_world *w)
{
    ri_state *s = state;
    s->nn = fl_world_node_count(w);
    s->seen = malloc((s->nn ? s->nn : 1) * sizeof *s->seen);
    if (!s->seen)
        return -1;
    for (size_t i = 0; i < s->nn; i++)
        s->seen[i] = 0;
    return 0;
}

static void ri_destroy(void *state)
{
    ri_state *s = state;
    free(s->cmds.v);
    free(s->terms.v);
    free(s->seen);
    memset(s, 0, sizeof *s);
}

/* Reads the entries `node` appended since its last step into the sets. */
static int ri_read_log(ri_state *s, const fl_world *w, fl_node_id node,
                       const fl_view *v)
{
    int64_t *seen = &s->seen[node];
    if (v->log_last < *seen)
        *seen = v->log_last < 0 ? 0 : v->log_last;
    int64_t from = *seen + 1 > v->log_first ? *seen + 1 : v->log_first;
    for (int64_t i = from < 1 ? 1 : from; i <= v->log_last; i++) {
        fl_view_entry e;
        memset(&e, 0, sizeof e);
        if (!fl_world_entry(w, node, i, &e) || e.term < 0)
            continue;
        if (ri_set_add(&s->cmds, e.command) != 0 ||
            ri_set_add(&s->terms, (uint64_t)e.term + 1) != 0)
            return -1;
    }
    if (v->log_last > *seen)
        *seen = v->log_last;
    return 0;
}

/* With params.read = "readindex", reads take no log entries, so the logs
 * hold at most one command per write or CAS invoked (a retry logs the
 * same command again: `inspect_entry` hashes it alike) and one no-op per
 * term: more distinct commands than that mean a read went into the log. */
static int ri_check(void *state, const fl_world *w, fl_node_id node,
                    const fl_view *before, const fl_view *after, char *msg,
                    size_t msglen)
{
    ri_state *s = state;
    if (node < 0 || (size_t)node >= s->nn || !ri_param_on(w) ||
        after->kind == FL_VIEW_CLIENT || after->kind == FL_VIEW_NONE ||
        after->log_last <= before->log_last || after->log_last < 1)
        return 0;
    if (ri_read_log(s, w, node, after) != 0)
        return rule_fail(msg, msglen, "raft.readindex: out of memory");
    const fl_history *h = fl_world_history(w);
    if (!h || h->invoked[FL_OP_READ] == 0)
        return 0;       /* no read invoked: none can be in the log (and
                           requests injected by hand are not counted) */
    int64_t writes = 0;
    for (int k = 0; k < FL_OP_KIND_COUNT; k++)
        if (k != FL_OP_READ)
            writes += (int64_t)h->invoked[k];
    if ((int64_t)s->cmds.n <= writes + (int64_t)s->terms.n)
        return 0;
    return rule_fail(msg, msglen,
                     "with params.read = \"readindex\" the logs hold %zu "
                     "distinct commands (node %d's log now ends at index %"
                     PRId64 ") for %" PRId64 " writes invoked and %zu terms "
                     "(one no-op each): a read went through the log instead "
                     "of ReadIndex (thesis §6.4)", s->cmds.n, node,
                     after->log_last, writes, s->terms.n);
}

static int ri_finish(void *state, const fl_world *w, fl_time end, char *msg,
                     size_t msglen)
{
    (void)state;
    (void)end;
    if (!ri_param_on(w))
        return 0;
    const fl_history *h = fl_world_history(w);
    int64_t reads = 0, writes = 0;
    for (int k = 0; h && k < FL_OP_KIND_COUNT; k++) {
        if (k == FL_OP_READ)
            reads += (int64_t)h->invoked[k];
        else
            writes += (int64_t)h->invoked[k];
    }
    if (reads < 40)
        return 0;                   /* too few reads to tell */
    int64_t commit = -1, term = 0;
    for (size_t i = 0; i < fl_world_node_count(w); i++) {
        const fl_view *v = fl_world_view(w, (fl_node_id)i);
        if (v && v->kind != FL_VIEW_CLIENT && v->commit > commit)
            commit = v->commit;
        if (v && v->term > term)
            term = v->term;
    }
    /* Each write or CAS is one entry (a retry sometimes two), each term
     * one no-op; reads through the log would add one entry each. */
    int64_t bound = writes + writes / 5 + reads / 3 + term + 10;
    if (commit <= bound)
        return 0;
    return rule_fail(msg, msglen,
                     "with params.read = \"readindex\" the committed log has "
                     "%" PRId64 " entries for %" PRId64 " writes and %" PRId64
                     " reads (bound %" PRId64 "): reads went through the log "
                     "instead of ReadIndex (thesis §6.4)", commit, writes,
                     reads, bound);
}

const fl_invariant fl_feature_raft_readindex = {
    .name = "raft.readindex",
    .summary = "with params.read = \"readindex\", reads are served without "
               "log entries (thesis §6.4)",
    .state_size = sizeof(ri_state),
    .init = ri_init, .check = ri_check, .destroy = ri_destroy,
    .finish = ri_finish,
};

/* ---- raft.transfer ---------------------------------------------------------- */

typedef struct xfer_node {
    int64_t term;                   /* the term it leads, -1 for none */
    fl_time since;                  /* since when it leads that term */
    fl_time last_step;              /* its previous step as that leader */
} xfer_node;

typedef struct xfer_state {
    xfer_node *n;
    size_t     nn;
} xfer_state;

static int xfer_init(void *state, const fl_world *w)
{
    xfer_state *s = state;
    s->nn = fl_world_node_count(w);
    s->n = calloc(s->nn ? s->nn : 1, sizeof *s->n);
    if (!s->n)
        return -1;
    for (size_t i = 0; i < s->nn; i++)
        s->n[i].term = -1;
    return 0;
}

static void xfer_destroy(void *state)
{
    xfer_state *s = state;
    free(s->n);
    s->n = NULL;
}

static int xfer_check(void *state, const fl_world *w, fl_node_id node,
                      const fl_view *before, const fl_view *after,
                      char *msg, size_t msglen)
{
    (void)before;
    xfer_state *s = state;
    int64_t every = feature_param_int(w, FL_RAFT_PARAM_TRANSFER_EVERY);
    if (every <= 0 || node < 0 || (size_t)node >= s->nn)
        return 0;
    xfer_node *x = &s->n[node];
    fl_time now = fl_world_now(w);
    fl_time hi = FL_MS(rule_election_hi_ms(w));
    if (after->kind != FL_VIEW_LEADER) {
        x->term = -1;
        return 0;
    }
    /* A new term, or a gap longer than an election timeout between two
     * steps (the leader was paused or crashed): count from now. */
    if (x->term != after->term || now - x->last_step > hi) {
        x->term = after->term;
        x->since = now;
    }
    x->last_step = now;
    if (!fl_world_timed(w))
        return 0;                   /* a scheduler chose what happened */
    fl_time quiet = fl_world_quiet_since(w);
    if (quiet < 0)
        return 0;                   /* a fault is active: cannot judge */
    fl_time from = x->since > quiet ? x->since : quiet;
    fl_time bound = FL_MS(every) + 3 * hi;
    if (now - from <= bound)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d has led term %" PRId64 " since %.3f ms, %.0f ms "
                     "of it without faults (bound %.0f ms = params."
                     "transfer_every_ms + 3 election timeouts): with params."
                     "transfer_every_ms = %" PRId64 " leadership must move to "
                     "another server by TimeoutNow (thesis §3.10)", node,
                     after->term, (double)x->since / 1e6,
                     (double)(now - from) / 1e6, (double)bound / 1e6, every);
}

/* TimeoutNow of the receiver's term: an election at once (thesis §3.10:
 * "it starts a new election ... without waiting for its timeout"). */
static int xfer_message(void *state, const fl_world *w, const fl_inv_msg *m,
                        char *msg, size_t msglen)
{
    (void)state;
    const fl_msg_info *i = &m->info;
    const fl_view *b = m->before, *a = m->after;
    if (fl_world_timed(w) || m->sent || !rule_kind(i, FL_RAFT_TIMEOUT_NOW) ||
        !b || !a ||
        i->term < 0 || b->term != i->term || b->kind == FL_VIEW_NONE ||
        b->kind == FL_VIEW_LEADER || a->kind == FL_VIEW_NONE)
        return 0;
    if (i->index >= 0 && (b->log_last < 0 || b->log_last < i->index))
        return 0;                   /* it could not win with this log */
    if (a->term > b->term || a->kind == FL_VIEW_CANDIDATE)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d was handed TimeoutNow from %d in its term %"
                     PRId64 " (its log holds the leader's last index) and did "
                     "not start an election: the target of a leadership "
                     "transfer starts one at once, without waiting for its "
                     "election timeout (thesis §3.10)", m->to, m->from,
                     b->term);
}

const fl_invariant fl_feature_raft_transfer = {
    .name = "raft.transfer",
    .summary = "with params.transfer_every_ms, leadership moves to another "
               "server within that time and three election timeouts; a "
               "server handed TimeoutNow of its term starts an election at "
               "once (thesis §3.10)",
    .state_size = sizeof(xfer_state),
    .init = xfer_init, .check = xfer_check, .destroy = xfer_destroy,
    .message = xfer_message,
};
