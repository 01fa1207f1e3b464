/* raft.c — your Raft, as a faultline plug-in.
 *
 * Every handler below is empty: this file compiles, loads and runs, and
 * fails every test of the suite honestly (no leader is ever elected, no
 * client operation ever succeeds). Fill the handlers in. README.md says
 * how to build, run, grade and debug; <faultline/algorithm.h> documents
 * every function you may call.
 *
 * The rules (the grader checks them):
 *   - Everything a server knows lives in `struct server`, which faultline
 *     allocates per node and zeroes. No global or static variables: all
 *     nodes of a plug-in share them, and the grader runs every test twice
 *     and reports differing traces as nondeterminism.
 *   - No rand(), time(), clock_gettime(), threads, files or printf: use
 *     fl_random, fl_now, fl_set_timer, fl_disk_* and fl_log.
 *   - Messages are bytes you encode yourself (fl_send copies them). The
 *     network may delay, drop, duplicate and reorder them; a decoder must
 *     reject garbage instead of crashing.
 *   - A crash loses everything but what you fl_disk_sync()ed. Raft's
 *     persistent state (Figure 2: currentTerm, votedFor, log[]) must be
 *     synced before you answer an RPC that depends on it.
 *   - Rule checks watch what you send: a vote you granted (once the reply
 *     is delivered) must survive any crash, acknowledged entries must be on
 *     disk, a newer term in any request or reply must be adopted at once.
 *     The grader crashes servers right after such replies, while their
 *     sync is in flight. If a param asks for a feature (prevote,
 *     check_quorum, snapshot_every, read = "readindex"), its test checks
 *     that the feature is there: refuse the param in validate if you do
 *     not implement it.
 *   - Clients send fl_requests (read / write / cas on integer keys) to any
 *     server. Answer with fl_reply once the operation is committed and
 *     applied, or fl_redirect to the leader you know. A client retries
 *     with the same (client, seq): apply each operation at most once and
 *     answer a retry with the original result.
 */
#include <stdint.h>
#include <string.h>

#include <faultline/algorithm.h>
#include <faultline/raft.h>     /* what the grader's checks read: kinds, fields */

/* ---- Messages ------------------------------------------------------------------
 *
 * Suggested: start every message with this header (fill what applies, -1
 * elsewhere, and fl_send it with memcpy'd entries after it), so that
 * raft_describe below already tells the grader what each message is. The
 * grader's rule checks (a granted vote survives a restart, a newer term in
 * a reply is adopted, the follower commit rule, ...) read these fields;
 * <faultline/raft.h> says what each means per kind. */
enum msg_type {
    MSG_REQUEST_VOTE = 1, MSG_REQUEST_VOTE_REPLY, MSG_APPEND_ENTRIES,
    MSG_APPEND_ENTRIES_REPLY, MSG_PRE_VOTE, MSG_PRE_VOTE_REPLY,
    MSG_INSTALL_SNAPSHOT, MSG_INSTALL_SNAPSHOT_REPLY, MSG_TIMEOUT_NOW
};

typedef struct msg_head {
    int32_t type;         /* enum msg_type */
    int32_t ok;           /* replies: 1 granted / success, 0 not */
    int64_t term;
    int64_t index;        /* prevLogIndex, lastLogIndex, a reply's match */
    int64_t index_term;   /* prevLogTerm, lastLogTerm */
    int64_t count;        /* AppendEntries: entries after the header */
    int64_t commit;       /* AppendEntries: leaderCommit */
} msg_head;

/* ---- One server's state ---------------------------------------------------- */

typedef struct server {
    fl_node_id   self;
    const fl_node_id *peers;      /* all servers, including self */
    size_t       npeers;
    int64_t      election_lo_ms, election_hi_ms, heartbeat_ms;

    /* Persistent state (Figure 2): keep it on disk too. */
    int64_t      current_term;
    fl_node_id   voted_for;       /* FL_NO_NODE: none this term */
    /* Yours to write: the log (an array of entries you allocate; free it in destroy) */

    /* Volatile state. */
    fl_view_kind role;            /* FL_VIEW_FOLLOWER, _CANDIDATE, _LEADER */
    fl_node_id   leader;
    int64_t      commit_index, last_applied;
    fl_timer_id  election_timer;
    /* Yours to write: leaders: next_index[], match_index[]; candidates: votes */
    /* Yours to write: the key-value state machine and the client sessions */
} server;

/* ---- Parameters ------------------------------------------------------------- */

/* An integral JSON number, or `dflt` if the key is absent. */
static int64_t param_int(const cJSON *params, const char *key, int64_t dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

/* Called before any run with the scenario's "params". The suite's
 * scenarios may set: election_timeout_ms [lo, hi], heartbeat_ms, prevote,
 * check_quorum, snapshot_every, read ("log" or "readindex"). Reject what
 * you cannot honour with a message naming the key, e.g.
 *   snprintf(err, errlen, "snapshot_every: not supported"); return -1;
 * (the test then fails with that reason). */
static int raft_validate(const cJSON *params, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    if (params && !cJSON_IsObject(params))
        return -1;
    return 0;
}

/* ---- Lifecycle ---------------------------------------------------------------- */

/* Once per boot, and again after every restart, before start. */
static int raft_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    server *s = state;
    s->self = fl_self(ctx);
    s->npeers = fl_nodes(ctx, NULL, &s->peers);
    s->heartbeat_ms = param_int(params, "heartbeat_ms", 50);
    s->election_lo_ms = 150;
    s->election_hi_ms = 300;
    const cJSON *et = cJSON_GetObjectItemCaseSensitive(params, "election_timeout_ms");
    if (cJSON_GetArraySize(et) == 2) {
        s->election_lo_ms = (int64_t)cJSON_GetArrayItem(et, 0)->valuedouble;
        s->election_hi_ms = (int64_t)cJSON_GetArrayItem(et, 1)->valuedouble;
    }
    s->voted_for = FL_NO_NODE;
    s->leader = FL_NO_NODE;
    s->role = FL_VIEW_FOLLOWER;
    s->commit_index = s->last_applied = -1;
    return 0;
}

/* Boot (recovering = false) or restart after a crash (true). */
static void raft_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)ctx;
    (void)state;
    (void)recovering;
    /* Yours to write: if recovering, read term, vote and log back with fl_disk_read.
     * Yours to write: start the election timer:
     *   server *s = state;
     *   s->election_timer = fl_set_timer(ctx, FL_MS(fl_random_between(ctx,
     *       s->election_lo_ms, s->election_hi_ms)), FL_TIMER_ELECTION, 0); */
}

/* ---- Messages and timers ---------------------------------------------------------- */

static void raft_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                            const void *msg, size_t len)
{
    (void)ctx;
    (void)state;
    (void)from;
    (void)msg;
    (void)len;
    /* Yours to write: decode (check the length first!) and dispatch: RequestVote,
     * its reply, AppendEntries (heartbeats have no entries), its reply.
     * Any message with a newer term makes you a follower in that term. */
}

static void raft_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                          uint64_t cookie)
{
    (void)ctx;
    (void)state;
    (void)kind;
    (void)cookie;
    /* Yours to write: FL_TIMER_ELECTION: become a candidate (term + 1, vote for
     * yourself, persist, ask everyone). FL_TIMER_HEARTBEAT: a leader sends
     * AppendEntries to every follower. */
}

/* A client operation arrived (req->op: FL_OP_READ, FL_OP_WRITE or FL_OP_CAS
 * on req->op.key). */
static void raft_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    (void)ctx;
    (void)state;
    (void)req;
    /* Yours to write: a follower redirects (fl_redirect(ctx, req, leader)); a
     * leader appends the operation to its log and answers with fl_reply
     * once it is committed and applied. */
}

/* ---- What the checkers and the visualizer see --------------------------------------- */

/* Fill the view from your state; never change the state here. The grader's
 * invariants (one leader per term, matching logs, ...) read only this. */
static void raft_inspect(const void *state, fl_view *view)
{
    const server *s = state;
    view->kind = s->role;
    view->term = s->current_term;
    view->leader = s->leader;
    view->voted_for = s->voted_for;
    view->commit = s->commit_index;
    view->applied = s->last_applied;
    /* Yours to write: view->log_first / log_last (indices you hold, -1 if none) */
}

/* One log entry by index, for the log-matching and leader-completeness
 * invariants: fill term, chain (a hash of this entry's command and the
 * previous entry's chain), command (a hash of the command), committed and
 * durable, and return true; false if you do not hold that index. */
static bool raft_inspect_entry(const void *state, int64_t index, fl_view_entry *out)
{
    (void)state;
    (void)index;
    (void)out;
    return false;
}

/* On a crash and at the end of a run: free what the handlers allocated. */
static void raft_destroy(void *state)
{
    (void)state;
}

/* For the trace, the visualizer and the grader's rule checks: what kind of
 * message this is (<faultline/raft.h>). The engine has set every field to
 * -1 / NULL before the call. Written for the suggested msg_head; adapt it
 * if your messages look different. */
static void raft_describe(const void *msg, size_t len, fl_msg_info *info)
{
    static const char *const kinds[] = {
        [MSG_REQUEST_VOTE] = FL_RAFT_REQUEST_VOTE,
        [MSG_REQUEST_VOTE_REPLY] = FL_RAFT_REQUEST_VOTE_REPLY,
        [MSG_APPEND_ENTRIES] = FL_RAFT_APPEND_ENTRIES,
        [MSG_APPEND_ENTRIES_REPLY] = FL_RAFT_APPEND_ENTRIES_REPLY,
        [MSG_PRE_VOTE] = FL_RAFT_PRE_VOTE,
        [MSG_PRE_VOTE_REPLY] = FL_RAFT_PRE_VOTE_REPLY,
        [MSG_INSTALL_SNAPSHOT] = FL_RAFT_INSTALL_SNAPSHOT,
        [MSG_INSTALL_SNAPSHOT_REPLY] = FL_RAFT_INSTALL_SNAPSHOT_REPLY,
        [MSG_TIMEOUT_NOW] = FL_RAFT_TIMEOUT_NOW,
    };
    msg_head h;
    info->kind = "message";
    if (len < sizeof h)
        return;
    memcpy(&h, msg, sizeof h);
    if (h.type < MSG_REQUEST_VOTE || h.type > MSG_TIMEOUT_NOW)
        return;
    info->kind = kinds[h.type];
    info->is_reply = h.type == MSG_REQUEST_VOTE_REPLY ||
                     h.type == MSG_APPEND_ENTRIES_REPLY ||
                     h.type == MSG_PRE_VOTE_REPLY ||
                     h.type == MSG_INSTALL_SNAPSHOT_REPLY;
    info->ok = info->is_reply ? h.ok : -1;
    info->term = h.term;
    info->index = h.index;
    info->index_term = h.index_term;
    info->count = h.count;
    info->commit = h.commit;
}

/* ---- The table faultline loads ---------------------------------------------------- */

static const fl_role raft_roles[] = {
    {
        .name = "server",
        .state_size = sizeof(server),
        .init = raft_init,
        .start = raft_start,
        .on_message = raft_on_message,
        .on_timer = raft_on_timer,
        .on_request = raft_on_request,
        .inspect = raft_inspect,
        .inspect_entry = raft_inspect_entry,
        .destroy = raft_destroy,
    },
    { .name = NULL },
};

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "raft",
    .description = "a student's Raft",
    .roles = raft_roles,
    .validate = raft_validate,
    .describe = raft_describe,
};
