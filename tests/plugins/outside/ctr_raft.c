/* ctr_raft.c — the linearizable counter (algorithm "counter-raft") written
 * by "outside course staff" from the installed <faultline/algorithm.h>,
 * <faultline/raft.h> and <faultline/counter.h> ("counter-raft runs Raft's
 * checks only: its contract is <faultline/raft.h>"), the man page and the
 * shipped scenarios alone (tests/test_outside_plugins.sh).
 *
 * A small Raft (election, AppendEntries with the consistency check, commit
 * of current-term entries by a majority, term / vote / log synced before
 * any answer that depends on them) with a counter state machine: add and
 * read are log commands; a session per client (its last seq applied and
 * that answer) applies a retried add once.
 *
 * One-mistake copies (-DBUG_...):
 *   BUG_NO_DEDUP       a retried add is appended and applied again
 *   BUG_LOCAL_READ     the leader answers reads from its own state at once
 *                      (a deposed leader on a minority side reads stale)
 *   BUG_VOTE_MEMORY    votedFor is kept in memory only (a restarted server
 *                      can vote twice in a term)
 *   BUG_COMMIT_NO_MIN  a follower sets its commit index to leaderCommit
 *                      without the minimum with its last new entry */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultline/algorithm.h>
#include <faultline/raft.h>

#define MAXN 16
#define MAXC 256
#define MAX_BATCH 64

enum { M_RV = 1, M_RVR, M_AE, M_AER };
enum { FOLLOWER, CANDIDATE, LEADER };

typedef struct entry {
    int64_t  term;
    int32_t  client;
    uint8_t  kind;            /* FL_OP_ADD or FL_OP_READ */
    uint8_t  pad[3];
    uint64_t seq;
    int64_t  arg;
} entry;

typedef struct pending { int64_t index; fl_request req; } pending;

typedef struct srv {
    fl_node_id self;
    size_t n;
    fl_node_id peers[MAXN];
    int64_t el_lo, el_hi, hb;
    /* persistent */
    int64_t term;
    fl_node_id voted_for;
    entry *log;               /* log[0] is index 1 */
    uint64_t *chain;
    int64_t nlog, cap;
    /* volatile */
    int role;
    fl_node_id leader;
    int64_t commit, applied;
    int64_t next[MAXN], match[MAXN];
    int8_t votes[MAXN];
    fl_timer_id el_timer;
    /* state machine */
    int64_t value;
    uint64_t sess_seq[MAXC];  /* last seq applied + 1 */
    pending *pend;
    size_t npend, pcap;
} srv;

typedef struct meta { int64_t term; int32_t voted_for; int32_t pad; } meta;

static int64_t param_int(const cJSON *p, const char *k, int64_t d)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, k);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : d;
}

static int peer_index(const srv *s, fl_node_id id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->peers[i] == id)
            return (int)i;
    return -1;
}

static int64_t term_at(const srv *s, int64_t index)
{
    return index >= 1 && index <= s->nlog ? s->log[index - 1].term : 0;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
    h *= UINT64_C(0xff51afd7ed558ccd);
    return h ^ (h >> 33);
}

static uint64_t cmd_hash(const entry *e)
{
    return mix(mix(mix(mix(1, (uint64_t)e->client), e->seq), e->kind), (uint64_t)e->arg);
}

static void persist_meta(fl_ctx *ctx, srv *s)
{
    meta m = {s->term, s->voted_for, 0};
#ifdef BUG_VOTE_MEMORY
    m.voted_for = FL_NO_NODE;
#endif
    fl_disk_write(ctx, "meta", 0, &m, sizeof m);
}

static void log_reserve(srv *s, int64_t n)
{
    if (n <= s->cap)
        return;
    int64_t cap = s->cap ? s->cap * 2 : 64;
    while (cap < n)
        cap *= 2;
    s->log = realloc(s->log, (size_t)cap * sizeof *s->log);
    s->chain = realloc(s->chain, (size_t)cap * sizeof *s->chain);
    s->cap = cap;
}

/* Put `e` at `index` (<= nlog + 1), dropping everything after it. */
static void log_put(fl_ctx *ctx, srv *s, int64_t index, const entry *e)
{
    log_reserve(s, index);
    s->log[index - 1] = *e;
    s->chain[index - 1] = mix(index > 1 ? s->chain[index - 2] : 0, cmd_hash(e));
    s->nlog = index;
    fl_disk_write(ctx, "log", (uint64_t)(index - 1) * sizeof *e, e, sizeof *e);
}

static void log_truncate(fl_ctx *ctx, srv *s, int64_t last)
{
    s->nlog = last;
    fl_disk_truncate(ctx, "log", (uint64_t)last * sizeof(entry));
}

/* ---- Messages ---- */

static size_t put(uint8_t *b, size_t at, const void *v, size_t n)
{
    memcpy(b + at, v, n);
    return at + n;
}

static void send_rv(fl_ctx *ctx, srv *s, fl_node_id to)
{
    uint8_t b[32];
    int64_t li = s->nlog, lt = term_at(s, s->nlog);
    size_t at = 0;
    b[at++] = M_RV;
    at = put(b, at, &s->term, 8);
    at = put(b, at, &li, 8);
    at = put(b, at, &lt, 8);
    fl_send(ctx, to, b, at);
}

static void send_reply(fl_ctx *ctx, srv *s, fl_node_id to, uint8_t type,
                       int64_t ok, int64_t index)
{
    uint8_t b[32];
    size_t at = 0;
    b[at++] = type;
    at = put(b, at, &s->term, 8);
    at = put(b, at, &ok, 8);
    at = put(b, at, &index, 8);
    fl_send(ctx, to, b, at);
}

static void send_ae(fl_ctx *ctx, srv *s, int p)
{
    int64_t prev = s->next[p] - 1;
    int64_t cnt = s->nlog - prev;
    if (cnt > MAX_BATCH)
        cnt = MAX_BATCH;
    if (cnt < 0)
        cnt = 0;
    size_t len = 1 + 8 * 5 + (size_t)cnt * sizeof(entry);
    uint8_t *b = malloc(len);
    int64_t pt = term_at(s, prev);
    size_t at = 0;
    b[at++] = M_AE;
    at = put(b, at, &s->term, 8);
    at = put(b, at, &prev, 8);
    at = put(b, at, &pt, 8);
    at = put(b, at, &s->commit, 8);
    at = put(b, at, &cnt, 8);
    if (cnt > 0)
        put(b, at, &s->log[prev], (size_t)cnt * sizeof(entry));
    fl_send(ctx, s->peers[p], b, len);
    free(b);
}

static void broadcast_ae(fl_ctx *ctx, srv *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->peers[i] != s->self)
            send_ae(ctx, s, (int)i);
}

/* ---- Roles and timers ---- */

static void reset_election(fl_ctx *ctx, srv *s)
{
    fl_cancel_timer(ctx, s->el_timer);
    s->el_timer = fl_set_timer(ctx, FL_MS(fl_random_between(ctx, s->el_lo, s->el_hi)),
                               FL_TIMER_ELECTION, 0);
}

static void drop_pending(srv *s)
{
    s->npend = 0;             /* their clients time out and retry */
}

static void step_down(fl_ctx *ctx, srv *s, int64_t term)
{
    if (term > s->term) {
        s->term = term;
        s->voted_for = FL_NO_NODE;
        persist_meta(ctx, s);
        fl_disk_sync(ctx);
    }
    if (s->role == LEADER)
        drop_pending(s);
    s->role = FOLLOWER;
}

static void apply(fl_ctx *ctx, srv *s)
{
    while (s->applied < s->commit) {
        const entry *e = &s->log[s->applied++];
        int64_t result = 0;
        if (e->kind == FL_OP_ADD) {
            bool dup = e->client >= 0 && e->client < MAXC
                       && e->seq + 1 <= s->sess_seq[e->client];
#ifdef BUG_NO_DEDUP
            dup = false;
#endif
            if (!dup) {
                s->value += e->arg;
                if (e->client >= 0 && e->client < MAXC)
                    s->sess_seq[e->client] = e->seq + 1;
            }
        } else {
            result = s->value;
        }
        for (size_t i = 0; i < s->npend; i++)
            if (s->pend[i].index == s->applied) {
                const fl_request *r = &s->pend[i].req;
                if (r->client == e->client && r->seq == e->seq)
                    fl_reply(ctx, r, FL_STATUS_OK, result);
                s->pend[i] = s->pend[--s->npend];
                break;
            }
    }
}

static void leader_commit(fl_ctx *ctx, srv *s)
{
    for (int64_t n = s->nlog; n > s->commit; n--) {
        if (term_at(s, n) != s->term)
            break;            /* only entries of the current term by counting */
        size_t votes = 0;
        for (size_t i = 0; i < s->n; i++)
            if (s->peers[i] == s->self ? s->nlog >= n : s->match[i] >= n)
                votes++;
        if (2 * votes > s->n) {
            s->commit = n;
            break;
        }
    }
    apply(ctx, s);
}

static void become_leader(fl_ctx *ctx, srv *s)
{
    s->role = LEADER;
    s->leader = s->self;
    for (size_t i = 0; i < s->n; i++) {
        s->next[i] = s->nlog + 1;
        s->match[i] = 0;
    }
    fl_cancel_timer(ctx, s->el_timer);
    s->el_timer = 0;
    /* a no-op of the new term (a read of nobody) lets earlier entries commit */
    entry e = {.term = s->term, .client = -1, .kind = FL_OP_READ};
    log_put(ctx, s, s->nlog + 1, &e);
    fl_disk_sync(ctx);
    broadcast_ae(ctx, s);
    fl_set_timer(ctx, FL_MS(s->hb), FL_TIMER_HEARTBEAT, (uint64_t)s->term);
}

static void start_election(fl_ctx *ctx, srv *s)
{
    s->term++;
    s->role = CANDIDATE;
    s->voted_for = s->self;
    s->leader = FL_NO_NODE;
    memset(s->votes, -1, sizeof s->votes);
    s->votes[peer_index(s, s->self)] = 1;
    persist_meta(ctx, s);
    fl_disk_sync(ctx);
    reset_election(ctx, s);
    if (s->n == 1) {
        become_leader(ctx, s);
        return;
    }
    for (size_t i = 0; i < s->n; i++)
        if (s->peers[i] != s->self)
            send_rv(ctx, s, s->peers[i]);
}

static int srv_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    srv *s = state;
    const fl_node_id *ids;
    const cJSON *el = cJSON_GetObjectItemCaseSensitive(params, FL_RAFT_PARAM_ELECTION_TIMEOUT);
    s->self = fl_self(ctx);
    s->n = fl_nodes(ctx, "server", &ids);
    if (s->n > MAXN) {
        fl_log(ctx, "at most %d servers", MAXN);
        return -1;
    }
    memcpy(s->peers, ids, s->n * sizeof *ids);
    s->el_lo = FL_RAFT_DEFAULT_ELECTION_LO_MS;
    s->el_hi = FL_RAFT_DEFAULT_ELECTION_HI_MS;
    if (cJSON_IsArray(el) && cJSON_GetArraySize(el) == 2) {
        s->el_lo = (int64_t)cJSON_GetArrayItem(el, 0)->valuedouble;
        s->el_hi = (int64_t)cJSON_GetArrayItem(el, 1)->valuedouble;
    }
    s->hb = param_int(params, FL_RAFT_PARAM_HEARTBEAT, FL_RAFT_DEFAULT_HEARTBEAT_MS);
    s->voted_for = FL_NO_NODE;
    s->leader = FL_NO_NODE;
    return 0;
}

static void srv_start(fl_ctx *ctx, void *state, bool recovering)
{
    srv *s = state;
    if (recovering) {
        meta m;
        if (fl_disk_read(ctx, "meta", 0, &m, sizeof m) == (int64_t)sizeof m) {
            s->term = m.term;
            s->voted_for = m.voted_for;
        }
        int64_t size = fl_disk_size(ctx, "log");
        int64_t n = size > 0 ? size / (int64_t)sizeof(entry) : 0;
        for (int64_t i = 1; i <= n; i++) {
            entry e;
            if (fl_disk_read(ctx, "log", (uint64_t)(i - 1) * sizeof e, &e, sizeof e)
                != (int64_t)sizeof e)
                break;
            log_reserve(s, i);
            s->log[i - 1] = e;
            s->chain[i - 1] = mix(i > 1 ? s->chain[i - 2] : 0, cmd_hash(&e));
            s->nlog = i;
        }
    }
    reset_election(ctx, s);
}

static int64_t rd64(const uint8_t *b, size_t at)
{
    int64_t v;
    memcpy(&v, b + at, 8);
    return v;
}

static void on_rv(fl_ctx *ctx, srv *s, fl_node_id from, int64_t term,
                  int64_t li, int64_t lt)
{
    if (term > s->term)
        step_down(ctx, s, term);
    int64_t my_lt = term_at(s, s->nlog);
    bool up_to_date = lt > my_lt || (lt == my_lt && li >= s->nlog);
    bool grant = term == s->term && up_to_date &&
                 (s->voted_for == FL_NO_NODE || s->voted_for == from);
    if (grant) {
        s->voted_for = from;
        persist_meta(ctx, s);
        fl_disk_sync(ctx);
        reset_election(ctx, s);
    }
    send_reply(ctx, s, from, M_RVR, grant, -1);
}

static void on_rvr(fl_ctx *ctx, srv *s, fl_node_id from, int64_t term, int64_t ok)
{
    if (term > s->term) {
        step_down(ctx, s, term);
        reset_election(ctx, s);
        return;
    }
    int p = peer_index(s, from);
    if (s->role != CANDIDATE || term != s->term || p < 0)
        return;
    s->votes[p] = ok ? 1 : 0;
    size_t yes = 0;
    for (size_t i = 0; i < s->n; i++)
        yes += s->votes[i] == 1;
    if (2 * yes > s->n)
        become_leader(ctx, s);
}

static void on_ae(fl_ctx *ctx, srv *s, fl_node_id from, const uint8_t *b, size_t len)
{
    int64_t term = rd64(b, 1), prev = rd64(b, 9), pt = rd64(b, 17);
    int64_t lc = rd64(b, 25), cnt = rd64(b, 33);
    if (cnt < 0 || cnt > MAX_BATCH || len != 41 + (size_t)cnt * sizeof(entry) || prev < 0)
        return;
    if (term < s->term) {
        send_reply(ctx, s, from, M_AER, 0, -1);
        return;
    }
    if (term > s->term || s->role != FOLLOWER)
        step_down(ctx, s, term);
    s->leader = from;
    reset_election(ctx, s);
    if (prev > s->nlog || term_at(s, prev) != pt) {
        send_reply(ctx, s, from, M_AER, 0, -1);
        return;
    }
    bool wrote = false;
    for (int64_t k = 0; k < cnt; k++) {
        entry e;
        memcpy(&e, b + 41 + (size_t)k * sizeof e, sizeof e);
        int64_t idx = prev + 1 + k;
        if (idx <= s->nlog && s->log[idx - 1].term == e.term)
            continue;         /* already held: truncate only on conflict */
        if (idx <= s->nlog)
            log_truncate(ctx, s, idx - 1);
        log_put(ctx, s, idx, &e);
        wrote = true;
    }
    if (wrote)
        fl_disk_sync(ctx);
    int64_t last_new = prev + cnt;
#ifdef BUG_COMMIT_NO_MIN
    if (lc > s->commit)
        s->commit = lc < s->nlog ? lc : s->nlog;
    (void)last_new;
#else
    if (lc > s->commit) {
        int64_t c = lc < last_new ? lc : last_new;
        if (c > s->commit)
            s->commit = c;
    }
#endif
    apply(ctx, s);
    send_reply(ctx, s, from, M_AER, 1, last_new);
}

static void on_aer(fl_ctx *ctx, srv *s, fl_node_id from, int64_t term,
                   int64_t ok, int64_t index)
{
    if (term > s->term) {
        step_down(ctx, s, term);
        reset_election(ctx, s);
        return;
    }
    int p = peer_index(s, from);
    if (s->role != LEADER || term != s->term || p < 0)
        return;
    if (ok) {
        if (index > s->match[p])
            s->match[p] = index;
        if (index + 1 > s->next[p])
            s->next[p] = index + 1;
        leader_commit(ctx, s);
        if (s->next[p] <= s->nlog)
            send_ae(ctx, s, p);
    } else if (s->next[p] > 1) {
        s->next[p]--;
        send_ae(ctx, s, p);
    }
}

static void srv_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                           const void *msg, size_t len)
{
    srv *s = state;
    const uint8_t *b = msg;
    if (len < 25 || peer_index(s, from) < 0)
        return;
    switch (b[0]) {
    case M_RV:  on_rv(ctx, s, from, rd64(b, 1), rd64(b, 9), rd64(b, 17)); break;
    case M_RVR: on_rvr(ctx, s, from, rd64(b, 1), rd64(b, 9)); break;
    case M_AE:  if (len >= 41) on_ae(ctx, s, from, b, len); break;
    case M_AER: on_aer(ctx, s, from, rd64(b, 1), rd64(b, 9), rd64(b, 17)); break;
    default: break;
    }
}

static void srv_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind, uint64_t cookie)
{
    srv *s = state;
    if (kind == FL_TIMER_ELECTION) {
        if (s->role != LEADER)
            start_election(ctx, s);
    } else if (kind == FL_TIMER_HEARTBEAT) {
        if (s->role == LEADER && (int64_t)cookie == s->term) {
            broadcast_ae(ctx, s);
            fl_set_timer(ctx, FL_MS(s->hb), FL_TIMER_HEARTBEAT, cookie);
        }
    }
}

static void srv_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    srv *s = state;
    if (s->role != LEADER) {
        if (s->leader != FL_NO_NODE && s->leader != s->self)
            fl_redirect(ctx, req, s->leader);
        else if (req->attempt == 0)
            fl_reply(ctx, req, FL_STATUS_FAIL, 0);
        /* a retry may have taken effect through an earlier attempt: no
         * FAIL for it (its client times out and asks again) */
        return;
    }
    if (req->op.kind != FL_OP_ADD && req->op.kind != FL_OP_READ) {
        fl_reply(ctx, req, FL_STATUS_FAIL, 0);
        return;
    }
#ifdef BUG_LOCAL_READ
    if (req->op.kind == FL_OP_READ) {
        fl_reply(ctx, req, FL_STATUS_OK, s->value);
        return;
    }
#endif
#ifndef BUG_NO_DEDUP
    if (req->op.kind == FL_OP_ADD && req->client >= 0 && req->client < MAXC
        && req->seq + 1 <= s->sess_seq[req->client]) {
        fl_reply(ctx, req, FL_STATUS_OK, 0);     /* applied already */
        return;
    }
#endif
    entry e = {.term = s->term, .client = req->client, .kind = (uint8_t)req->op.kind,
               .seq = req->seq, .arg = req->op.arg};
    log_put(ctx, s, s->nlog + 1, &e);
    fl_disk_sync(ctx);
    if (s->npend == s->pcap) {
        s->pcap = s->pcap ? s->pcap * 2 : 16;
        s->pend = realloc(s->pend, s->pcap * sizeof *s->pend);
    }
    s->pend[s->npend].index = s->nlog;
    s->pend[s->npend].req = *req;
    s->npend++;
    broadcast_ae(ctx, s);
    leader_commit(ctx, s);    /* a single server commits at once */
}

static void srv_inspect(const void *state, fl_view *v)
{
    const srv *s = state;
    v->kind = s->role == LEADER ? FL_VIEW_LEADER
            : s->role == CANDIDATE ? FL_VIEW_CANDIDATE : FL_VIEW_FOLLOWER;
    v->term = s->term;
    v->voted_for = s->voted_for;
    v->leader = s->role == LEADER ? s->self : s->leader;
    v->log_first = s->nlog > 0 ? 1 : -1;
    v->log_last = s->nlog > 0 ? s->nlog : -1;
    v->commit = s->commit > 0 ? s->commit : -1;
    v->applied = s->applied > 0 ? s->applied : -1;
    if (s->role == LEADER)
        for (size_t i = 0; i < s->n; i++) {
            fl_node_id id = s->peers[i];
            if ((size_t)id >= v->npeers)
                continue;
            if (v->match)
                v->match[id] = id == s->self ? s->nlog : s->match[i];
            if (v->next)
                v->next[id] = s->next[i];
        }
    if (s->role == CANDIDATE && v->votes)
        for (size_t i = 0; i < s->n; i++)
            if ((size_t)s->peers[i] < v->npeers)
                v->votes[s->peers[i]] = s->votes[i];
    v->nscalars = 0;
    v->scalars[v->nscalars++] = (fl_view_scalar){"value", s->value};
}

static bool srv_inspect_entry(const void *state, int64_t index, fl_view_entry *out)
{
    const srv *s = state;
    if (index < 1 || index > s->nlog)
        return false;
    out->term = s->log[index - 1].term;
    out->chain = s->chain[index - 1];
    out->command = cmd_hash(&s->log[index - 1]);
    out->committed = index <= s->commit;
    out->durable = true;
    return true;
}

static void srv_destroy(void *state)
{
    srv *s = state;
    free(s->log);
    free(s->chain);
    free(s->pend);
}

static int ctr_validate(const cJSON *params, char *err, size_t errlen)
{
    static const char *const unsupported[] = {
        FL_RAFT_PARAM_PREVOTE, FL_RAFT_PARAM_CHECK_QUORUM, FL_RAFT_PARAM_SNAPSHOT_EVERY,
        FL_RAFT_PARAM_READ, FL_RAFT_PARAM_TRANSFER_EVERY};
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
        if (cJSON_GetObjectItemCaseSensitive(params, unsupported[i])) {
            snprintf(err, errlen, "%s: not supported by this counter", unsupported[i]);
            return -1;
        }
    return 0;
}

static void ctr_describe(const void *msg, size_t len, fl_msg_info *info)
{
    const uint8_t *b = msg;
    if (len < 25)
        return;
    info->term = rd64(b, 1);
    switch (b[0]) {
    case M_RV:
        info->kind = FL_RAFT_REQUEST_VOTE;
        info->index = rd64(b, 9);
        info->index_term = rd64(b, 17);
        break;
    case M_RVR:
        info->kind = FL_RAFT_REQUEST_VOTE_REPLY;
        info->is_reply = true;
        info->ok = rd64(b, 9) != 0;
        break;
    case M_AE:
        if (len < 41)
            return;
        info->kind = FL_RAFT_APPEND_ENTRIES;
        info->index = rd64(b, 9);
        info->index_term = rd64(b, 17);
        info->commit = rd64(b, 25);
        info->count = rd64(b, 33);
        break;
    case M_AER:
        info->kind = FL_RAFT_APPEND_ENTRIES_REPLY;
        info->is_reply = true;
        info->ok = rd64(b, 9) != 0;
        if (info->ok)
            info->index = rd64(b, 17);
        break;
    default:
        info->term = -1;
        break;
    }
}

static const fl_role ctr_roles[] = {
    {
        .name = "server",
        .state_size = sizeof(srv),
        .init = srv_init,
        .start = srv_start,
        .on_message = srv_on_message,
        .on_timer = srv_on_timer,
        .on_request = srv_on_request,
        .inspect = srv_inspect,
        .inspect_entry = srv_inspect_entry,
        .destroy = srv_destroy,
    },
    { .name = NULL },
};

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "counter-raft",
    .description = "outside staff's linearizable counter on Raft",
    .roles = ctr_roles,
    .validate = ctr_validate,
    .describe = ctr_describe,
};
