/* raft.h — one Raft server's state and the functions the Raft modules
 * share. The modules:
 *
 *   raft.c       the fl_algorithm table, init/start/destroy, dispatch of
 *                messages and timers, durable flush, inspect and describe
 *   params.c     the scenario's "params": parsing and validation
 *   election.c   roles, election timers, PreVote and RequestVote (§5.2,
 *                §5.4.1, thesis §9.6), check-quorum (thesis §6.2),
 *                leadership transfer and TimeoutNow (thesis §3.10)
 *   replicate.c  AppendEntries, commit (§5.3, §5.4.2), snapshots and
 *                InstallSnapshot (§7)
 *   client.c     client requests, sessions, applying entries, ReadIndex
 *                (§8, thesis §6.3-§6.4)
 *   codec.c log.c kv.c storage.c   pure data and file formats
 *   sm.h sm_kv.c the state machine as a table of functions; kv.c's store is
 *                the default, algorithms/lock/ and counter/ bring their own
 *
 * Algorithm code sees the world only through algorithms/algorithm.h. The
 * node keeps everything in this struct (no globals: a plug-in's nodes share
 * them). */
#ifndef FL_RAFT_RAFT_H
#define FL_RAFT_RAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/raft/codec.h"
#include "algorithms/kvsm/kvsm.h"
#include "algorithms/raft/log.h"
#include "algorithms/raft/sm.h"
#include "algorithms/raft/storage.h"

/* ---- Parameters (params.c) --------------------------------------------- */

typedef enum raft_read_mode {
    RAFT_READ_LOG,         /* reads are log entries like writes */
    RAFT_READ_INDEX        /* ReadIndex with a heartbeat round (thesis §6.4) */
} raft_read_mode;

/* Deliberate bugs, for the scenarios under scenarios/raft/bugs/:
 *   vote-twice           grants a second vote in a term (breaks §5.2)
 *   no-persist           never writes term and vote to disk (Figure 2)
 *   commit-old-term      commits old-term entries by counting replicas and
 *                        skips the leader's no-op (Figure 8, §5.4.2)
 *   no-up-to-date-check  votes for candidates with stale logs (§5.4.1)
 *   no-truncate          keeps conflicting entries instead of truncating
 *                        them (§5.3)
 *   apply-before-commit  applies (and answers) entries as soon as they are
 *                        in the log, before a majority holds them (§5.3)
 * and, each caught by the check named (scenarios/raft/bugs/ has a scenario
 * for each but readindex-no-confirm, which stale-read.json shows):
 *   vote-in-memory       persists the term but keeps votedFor in memory
 *                        (Figure 2)                       raft.vote_durable
 *   reply-before-sync    sends, then syncs what the message depends on
 *                        (Figure 2)        raft.vote_durable / term_durable
 *   single-meta-slot     rewrites term and vote in place in one record, so
 *                        a torn write loses both            raft.term_durable
 *   ignore-reply-term    does not step down on a newer term in a reply
 *                        (Figure 2, all servers)             raft.adopt_term
 *   commit-no-min        a follower takes leaderCommit without the min
 *                        with its last new entry (Figure 2) raft.follower_commit
 *                        (shows only when leaderCommit passes the entries
 *                        one message carries: a follower more than
 *                        params.max_batch entries behind; search finds it
 *                        with max_batch 1, scenarios/search/raft-batch1.json)
 *   match-regress        a leader lowers matchIndex on a stale or duplicated
 *                        reply (§5.3)                   raft.match_monotonic
 *   readindex-no-confirm answers ReadIndex reads without the heartbeat round
 *                        that confirms leadership (thesis §6.4) linearizable
 *                        (search: scenarios/search/raft-stale-read.json)
 *   ignore-prevote, ignore-check-quorum, ignore-snapshot, ignore-readindex
 *                        accepts the param and does not do it: raft.prevote,
 *                        raft.check_quorum, raft.snapshot, raft.readindex
 *                        (ignore-check-quorum under search: a leader that
 *                        heard no majority for three election timeouts;
 *                        scenarios/search/raft-checkquorum.json)
 *                        (raft.readindex also in the step a read enters the
 *                        log: search, scenarios/search/raft-readindex.json)
 *                        (ignore-snapshot under search: a server 2K
 *                        entries past its last compaction for an election
 *                        timeout, its timers on time; scenarios/search/
 *                        raft-snapshot.json)
 *   no-dedup             no client sessions: every attempt of a command is
 *                        a new command (the attempt folded into its
 *                        sequence number), so a retried add or write is
 *                        applied again (thesis §6.3)           linearizable
 *                        (its scenario is scenarios/counter/bugs/
 *                        raft-no-dedup.json: on the counter a second add
 *                        shows in every later read; search: scenarios/
 *                        search/counter-raft-dedup.json)
 *   ignore-transfer      the target of a leadership transfer ignores
 *                        TimeoutNow, so with params.transfer_every_ms
 *                        leadership never moves (thesis §3.10)
 *                        raft.transfer (under search: TimeoutNow of its
 *                        term handled without an election, at that step;
 *                        scenarios/search/raft-transfer.json)
 *   timer-reset-any      a follower resets its election timer on every
 *                        message, a refused vote request or a stale
 *                        leader's AppendEntries too, not only on granting
 *                        a vote or hearing the current leader (Figure 2,
 *                        §5.2)                            raft.election_timer
 *                        (under search: the election timer re-armed later
 *                        on such a message, at that step)
 *   snapshot-drop-suffix InstallSnapshot discards the entries after the
 *                        snapshot even when the follower's entry at
 *                        lastIncludedIndex has lastIncludedTerm (§7:
 *                        retain the entries that follow)
 *                                                       raft.snapshot_suffix
 *                        (search: scenarios/search/raft-snapshot-suffix.json)
 *   truncate-always      an accepted AppendEntries replaces everything
 *                        after prevLogIndex with the entries it carries,
 *                        conflict or not, so a delayed or duplicated one
 *                        cuts entries a newer one appended (Figure 2,
 *                        AppendEntries rule 3: only on a conflict)
 *                                                        raft.append_merge */
#define RAFT_BUG_MAP(X)                          \
    X(VOTE_TWICE,      "vote-twice")             \
    X(NO_PERSIST,      "no-persist")             \
    X(COMMIT_OLD_TERM, "commit-old-term")        \
    X(NO_UP_TO_DATE,   "no-up-to-date-check")    \
    X(NO_TRUNCATE,     "no-truncate")            \
    X(APPLY_EARLY,     "apply-before-commit")    \
    X(VOTE_IN_MEMORY,  "vote-in-memory")         \
    X(REPLY_BEFORE_SYNC, "reply-before-sync")    \
    X(SINGLE_META,     "single-meta-slot")       \
    X(IGNORE_REPLY_TERM, "ignore-reply-term")    \
    X(COMMIT_NO_MIN,   "commit-no-min")          \
    X(MATCH_REGRESS,   "match-regress")          \
    X(READ_NO_CONFIRM, "readindex-no-confirm")   \
    X(IGNORE_PREVOTE,  "ignore-prevote")         \
    X(IGNORE_CQ,       "ignore-check-quorum")    \
    X(IGNORE_SNAPSHOT, "ignore-snapshot")        \
    X(IGNORE_READINDEX, "ignore-readindex")      \
    X(NO_DEDUP,        "no-dedup")              \
    X(IGNORE_TRANSFER, "ignore-transfer")       \
    X(TIMER_RESET_ANY, "timer-reset-any")       \
    X(SNAP_DROP_SUFFIX, "snapshot-drop-suffix")  \
    X(TRUNCATE_ALWAYS, "truncate-always")

enum raft_bug_bit {
#define RAFT_X_BIT(id, name) RAFT_BUG_BIT_##id,
    RAFT_BUG_MAP(RAFT_X_BIT)
#undef RAFT_X_BIT
    RAFT_BUG_COUNT
};
#define RAFT_BUG(id) (1u << RAFT_BUG_BIT_##id)

typedef struct raft_params {
    int64_t        election_lo_ms;
    int64_t        election_hi_ms;
    int64_t        heartbeat_ms;
    bool           prevote;
    bool           check_quorum;
    int64_t        snapshot_every;     /* entries; 0 = never */
    int64_t        transfer_every_ms;  /* leadership transfer (thesis
                                          §3.10) after leading this long;
                                          0 = never */
    raft_read_mode read_mode;
    int64_t        max_batch;          /* entries per AppendEntries, 1 to
                                          RAFT_MAX_BATCH (the default) */
    unsigned       bugs;               /* RAFT_BUG(...) bits */
} raft_params;

/* Fills `p` from a params object (NULL = defaults). Returns 0, or -1 with
 * "key: what is wrong" in `err`. */
int raft_params_parse(const cJSON *params, raft_params *p, char *err,
                      size_t errlen);

/* ---- Node state --------------------------------------------------------- */

typedef enum raft_role_kind {
    RAFT_FOLLOWER,
    RAFT_PRECANDIDATE,     /* collecting pre-votes, term unchanged (§9.6) */
    RAFT_CANDIDATE,
    RAFT_LEADER
} raft_role_kind;

typedef struct raft_peer {
    fl_node_id id;
    int64_t    next;       /* leader: next index to send (§5.3) */
    int64_t    match;      /* leader: highest index known replicated */
    uint64_t   acked_round;/* leader: ReadIndex round this peer confirmed */
    bool       active;     /* leader: heard from since the last quorum check */
    int8_t     vote;       /* candidate: 1 granted, 0 refused, -1 unknown */
} raft_peer;

/* A client operation waiting for its log entry to apply. */
typedef struct raft_pending {
    fl_request req;
    int64_t    index;
} raft_pending;

/* A ReadIndex read waiting for its round and for `read_index` to apply. */
typedef struct raft_read {
    fl_request req;
    int64_t    read_index;
    uint64_t   round;      /* 0: waiting for a current-term commit */
} raft_read;

typedef struct raft_node {
    raft_params    p;
    fl_node_id     self;
    size_t         npeers;         /* servers, this node included */
    raft_peer     *peers;          /* by increasing id */

    /* Persistent state (Figure 2), mirrored on disk by storage.c. */
    int64_t        term;
    fl_node_id     voted_for;
    raft_log       log;
    raft_storage   st;
    bool           meta_dirty;     /* term/vote changed, not yet written */
    bool           disk_dirty;     /* written, not yet synced */
    int64_t        durable;        /* highest index synced */

    /* Volatile state. */
    raft_role_kind role;
    fl_node_id     leader;
    int64_t        commit;
    int64_t        applied;
    const raft_sm_ops *sm_ops;     /* what entries mean (sm.h) */
    const void    *sm_cfg;         /* the host's config for sm_ops */
    void          *sm;             /* the state machine */
    raft_answer_fn answer;         /* NULL: fl_reply to built-in clients */
    uint8_t       *snap_data;      /* last snapshot's state machine bytes */
    size_t         snap_len;

    fl_timer_id    election_timer;
    fl_timer_id    heartbeat_timer;
    fl_timer_id    snapshot_timer;
    fl_timer_id    retry_timer;    /* candidate: re-ask unanswered peers */
    uint64_t       election_cookie;
    uint64_t       retry_cookie;
    fl_time        leader_contact; /* when the leader last reached us */
    bool           heard_leader;

    /* Leader state. */
    int64_t        term_start;     /* index of this term's no-op */
    uint64_t       round;          /* ReadIndex heartbeat round */
    raft_pending  *pending;
    size_t         npending, cap_pending;
    raft_read     *reads;
    size_t         nreads, cap_reads;

    /* Leadership transfer (thesis §3.10, params.transfer_every_ms). */
    fl_timer_id    transfer_timer; /* leader: start, or give up, a transfer */
    uint64_t       transfer_cookie;
    fl_node_id     transfer_to;    /* leader: the target of the transfer in
                                      progress (no new client requests
                                      meanwhile); FL_NO_NODE if none */
    int64_t        transfer_term;  /* candidate: the term of an election
                                      TimeoutNow started; 0 if none */
    int64_t        transfers;      /* elections this node won after a
                                      TimeoutNow: leadership moved here */

    wire_buf       out;            /* scratch for encoding messages */
    int64_t        elections;      /* elections this node started */
} raft_node;

static inline bool raft_bug(const raft_node *r, unsigned bug)
{
    return (r->p.bugs & bug) != 0;
}

static inline size_t raft_majority(const raft_node *r)
{
    return r->npeers / 2 + 1;
}

/* ---- raft.c ------------------------------------------------------------- */

/* The server role's handlers, for hosts that run their own state machine
 * on Raft (algorithms/lock/, algorithms/counter/): a host's init calls
 * raft_server_init with its table, then uses the rest unchanged. `params`
 * are Raft's own (params.c). `answer` may be NULL (see sm.h). */
int  raft_server_init(fl_ctx *ctx, void *state, const cJSON *params,
                      const raft_sm_ops *ops, const void *cfg,
                      raft_answer_fn answer);
/* The same for a Raft group that is a subset of the role's nodes
 * (algorithms/shardkv/: one group per replica set): `ids` are the group's
 * members in increasing order, this node included. */
int  raft_server_init_peers(fl_ctx *ctx, void *state, const cJSON *params,
                            const raft_sm_ops *ops, const void *cfg,
                            raft_answer_fn answer, const fl_node_id *ids,
                            size_t n);
void raft_server_start(fl_ctx *ctx, void *state, bool recovering);
void raft_server_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                            const void *msg, size_t len);
void raft_server_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                          uint64_t cookie);
void raft_server_inspect(const void *state, fl_view *view);
bool raft_server_inspect_entry(const void *state, int64_t index,
                               fl_view_entry *out);
void raft_server_destroy(void *state);

raft_peer *raft_peer_of(raft_node *r, fl_node_id id);
/* Makes every write so far durable (writing term/vote first if they
 * changed) before anything is sent: Figure 2's "before responding". */
void raft_flush(fl_ctx *ctx, raft_node *r);
/* Encodes and sends `m` after a flush. */
void raft_send(fl_ctx *ctx, raft_node *r, fl_node_id to, const raft_msg *m);
/* Appends one entry to the log and the log file. 0, or -1 out of memory. */
int  raft_append_local(fl_ctx *ctx, raft_node *r, int64_t term,
                       const raft_cmd *cmd);

/* ---- election.c --------------------------------------------------------- */

void raft_reset_election_timer(fl_ctx *ctx, raft_node *r);
/* Steps down in `term` (>= ours); `leader` may be FL_NO_NODE. */
void raft_become_follower(fl_ctx *ctx, raft_node *r, int64_t term,
                          fl_node_id leader);
void raft_on_election_timer(fl_ctx *ctx, raft_node *r);
void raft_on_retry_timer(fl_ctx *ctx, raft_node *r);
void raft_on_vote(fl_ctx *ctx, raft_node *r, fl_node_id from,
                  const raft_msg *m);
void raft_on_vote_reply(fl_ctx *ctx, raft_node *r, fl_node_id from,
                        const raft_msg *m);
/* Leadership transfer (thesis §3.10). */
void raft_on_transfer_timer(fl_ctx *ctx, raft_node *r);
/* Leader: `p` acknowledged entries; TimeoutNow once it holds our log. */
void raft_transfer_progress(fl_ctx *ctx, raft_node *r, const raft_peer *p);
void raft_on_timeout_now(fl_ctx *ctx, raft_node *r, fl_node_id from,
                         const raft_msg *m);

/* ---- replicate.c -------------------------------------------------------- */

void raft_send_append(fl_ctx *ctx, raft_node *r, raft_peer *p);
void raft_broadcast_append(fl_ctx *ctx, raft_node *r);
void raft_schedule_heartbeat(fl_ctx *ctx, raft_node *r);
void raft_on_heartbeat_timer(fl_ctx *ctx, raft_node *r);
void raft_advance_commit(fl_ctx *ctx, raft_node *r);
void raft_on_append(fl_ctx *ctx, raft_node *r, fl_node_id from,
                    const raft_msg *m);
void raft_on_append_reply(fl_ctx *ctx, raft_node *r, fl_node_id from,
                          const raft_msg *m);
void raft_on_snapshot(fl_ctx *ctx, raft_node *r, fl_node_id from,
                      const raft_msg *m);
void raft_take_snapshot(fl_ctx *ctx, raft_node *r);

/* ---- client.c ----------------------------------------------------------- */

void raft_on_request(fl_ctx *ctx, void *state, const fl_request *req);
/* Applies committed entries in order, answering clients on a leader. */
void raft_apply(fl_ctx *ctx, raft_node *r);
/* Starts rounds for waiting ReadIndex reads and answers confirmed ones. */
void raft_process_reads(fl_ctx *ctx, raft_node *r);
/* A leader lost its term: forget what clients wait for (they time out). */
void raft_drop_clients(raft_node *r);
void raft_free_clients(raft_node *r);

#endif
