/* test_raft_unit.c — unit tests of Raft's election.c and replicate.c rules
 * on one node, through a fake context (tests/fake/fake_ctx.h) instead of
 * the engine: each test builds a node, hands it one message or timer, and
 * looks at what it sent, stored and synced. */
#include <stdlib.h>
#include <string.h>

#include "algorithms/raft/raft.h"
#include "algorithms/raft/raft_table.h"
#include "tests/cu.h"
#include "tests/fake/fake_ctx.h"

/* `test_raft_unit --bug NAME` boots every node with that bug switch on, so
 * tests/test_raft_unit_bugs.sh can check that each switch fails a test. */
static const char *injected_bug;

typedef struct unit {
    fl_ctx     ctx;
    raft_node *r;
} unit;

/* Node `self` of `n`, booted, with `params` (JSON text or NULL). */
static void unit_boot(unit *u, fl_node_id self, size_t n, const char *params)
{
    fake_ctx_init(&u->ctx, self, n);
    u->r = calloc(1, raft_roles[0].state_size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(u->r);
    cJSON *p = params ? cJSON_Parse(params) : cJSON_CreateObject();
    if (injected_bug) {
        cJSON *bugs = cJSON_CreateStringArray(&injected_bug, 1);
        cJSON_DeleteItemFromObject(p, "bugs");
        cJSON_AddItemToObject(p, "bugs", bugs);
    }
    CU_ASSERT_EQUAL_FATAL(raft_roles[0].init(&u->ctx, u->r, p), 0);
    cJSON_Delete(p);
    raft_roles[0].start(&u->ctx, u->r, false);
    fake_ctx_clear_sent(&u->ctx);
}

static void unit_free(unit *u)
{
    raft_roles[0].destroy(u->r);
    free(u->r);
    fake_ctx_destroy(&u->ctx);
}

/* Decodes message `i` of what the node sent. */
static void sent_msg(unit *u, size_t i, raft_msg *m)
{
    CU_ASSERT_FATAL(i < u->ctx.nsent);
    CU_ASSERT_EQUAL_FATAL(raft_msg_decode(u->ctx.sent[i].data, u->ctx.sent[i].len, m), 0);
}

static raft_cmd op_cmd(int64_t value)
{
    raft_cmd c = { .type = RAFT_CMD_OP, .client = 9, .seq = (uint64_t)value };
    c.op.kind = FL_OP_WRITE;
    c.op.arg = value;
    return c;
}

/* Appends entries with these terms to the node's log (as if replicated). */
static void unit_log(unit *u, const int64_t *terms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        raft_cmd c = op_cmd((int64_t)i + 1);
        CU_ASSERT_EQUAL_FATAL(raft_append_local(&u->ctx, u->r, terms[i], &c), 0);
    }
    raft_flush(&u->ctx, u->r);
}

static void send_append(unit *u, fl_node_id from, int64_t term, int64_t prev_index,
                        int64_t prev_term, int64_t commit, const int64_t *terms, size_t n)
{
    raft_wire_entry e[8];
    for (size_t i = 0; i < n && i < 8; i++) {
        e[i].term = terms[i];
        e[i].cmd = op_cmd((int64_t)(prev_index + 1 + (int64_t)i) * 100);
    }
    raft_msg m = { .type = RAFT_MSG_APPEND, .term = term };
    m.u.append.prev_index = prev_index;
    m.u.append.prev_term = prev_term;
    m.u.append.commit = commit;
    m.u.append.n = (uint32_t)n;
    m.u.append.entries = e;
    raft_on_append(&u->ctx, u->r, from, &m);
}

/* Through the role's on_message, as the engine would deliver it. */
static void deliver(unit *u, fl_node_id from, const raft_msg *m)
{
    wire_buf b = {0};
    CU_ASSERT_EQUAL_FATAL(raft_msg_encode(m, &b), 0);
    raft_roles[0].on_message(&u->ctx, u->r, from, b.data, b.len);
    wire_buf_free(&b);
}

static int64_t entry_term(unit *u, int64_t index)
{
    int64_t t = -1;
    return raft_log_term(&u->r->log, index, &t) ? t : -1;
}

/* ---- replicate.c: the follower ------------------------------------------ */

static void test_append_refuses_older_term(void)
{
    unit u;
    unit_boot(&u, 1, 3, NULL);
    u.r->term = 3;
    send_append(&u, 0, 2, 0, 0, 0, NULL, 0);
    raft_msg m;
    sent_msg(&u, 0, &m);
    CU_ASSERT_EQUAL(m.type, RAFT_MSG_APPEND_REPLY);
    CU_ASSERT_FALSE(m.u.append_reply.success);
    CU_ASSERT_EQUAL(m.term, 3);
    raft_msg_free(&m);
    unit_free(&u);
}

static void test_append_refuses_missing_prev(void)
{
    unit u;
    unit_boot(&u, 1, 3, NULL);
    send_append(&u, 0, 1, 5, 1, 0, NULL, 0);
    raft_msg m;
    sent_msg(&u, 0, &m);
    CU_ASSERT_FALSE(m.u.append_reply.success);
    CU_ASSERT_EQUAL(raft_log_last(&u.r->log), 0);
    raft_msg_free(&m);
    unit_free(&u);
}

static void test_append_truncates_on_conflict(void)
{
    unit u;
    unit_boot(&u, 1, 3, NULL);
    static const int64_t old[] = {1, 1, 1};
    unit_log(&u, old, 3);
    static const int64_t fresh[] = {2};
    send_append(&u, 0, 2, 1, 1, 0, fresh, 1);
    CU_ASSERT_EQUAL(raft_log_last(&u.r->log), 2);
    CU_ASSERT_EQUAL(entry_term(&u, 2), 2);
    CU_ASSERT_EQUAL(entry_term(&u, 3), -1);
    unit_free(&u);
}

static void test_append_keeps_entries_without_conflict(void)
{
    unit u;
    unit_boot(&u, 1, 3, NULL);
    static const int64_t have[] = {1, 1, 1};
    unit_log(&u, have, 3);
    static const int64_t prefix[] = {1};
    send_append(&u, 0, 1, 0, 0, 0, prefix, 1);      /* a delayed, older copy */
    CU_ASSERT_EQUAL(raft_log_last(&u.r->log), 3);
    raft_msg m;
    sent_msg(&u, 0, &m);
    CU_ASSERT_TRUE(m.u.append_reply.success);
    raft_msg_free(&m);
    unit_free(&u);
}

static void test_commit_is_min_of_leader_commit_and_last_new(void)
{
    unit u;
    unit_boot(&u, 1, 3, NULL);
    static const int64_t terms[] = {1, 1};
    send_append(&u, 0, 1, 0, 0, 10, terms, 2);
    CU_ASSERT_EQUAL(u.r->commit, 2);
    unit_free(&u);
}

static void test_follower_applies_only_committed(void)
{
    unit u;
    unit_boot(&u, 1, 3, NULL);
    static const int64_t terms[] = {1, 1, 1};
    send_append(&u, 0, 1, 0, 0, 1, terms, 3);
    CU_ASSERT_EQUAL(u.r->commit, 1);
    CU_ASSERT_EQUAL(u.r->applied, 1);
    unit_free(&u);
}

static void test_append_ack_only_after_sync(void)
{
    unit u;
    unit_boot(&u, 1, 3, NULL);
    static const int64_t terms[] = {1, 1};
    send_append(&u, 0, 1, 0, 0, 0, terms, 2);
    CU_ASSERT_EQUAL_FATAL(u.ctx.nsent, 1);
    CU_ASSERT_FALSE(u.ctx.sent[0].unsynced_writes);
    CU_ASSERT(u.ctx.syncs > 0);
    unit_free(&u);
}

/* ---- replicate.c: the leader ----------------------------------------------- */

static void make_leader(unit *u, int64_t term)
{
    u->r->term = term - 1;
    raft_on_election_timer(&u->ctx, u->r);         /* candidate in `term` */
    CU_ASSERT_EQUAL_FATAL(u->r->term, term);
    for (size_t i = 0; i < u->r->npeers; i++) {
        fl_node_id id = u->r->peers[i].id;
        if (id == u->ctx.self)
            continue;
        raft_msg g = { .type = RAFT_MSG_VOTE_REPLY, .term = term };
        g.u.vote_reply.granted = true;
        raft_on_vote_reply(&u->ctx, u->r, id, &g);
    }
    CU_ASSERT_EQUAL_FATAL(u->r->role, RAFT_LEADER);
    fake_ctx_clear_sent(&u->ctx);
}

static void ack(unit *u, fl_node_id from, int64_t match)
{
    raft_msg m = { .type = RAFT_MSG_APPEND_REPLY, .term = u->r->term };
    m.u.append_reply.success = true;
    m.u.append_reply.match = match;
    m.u.append_reply.conflict_index = -1;
    m.u.append_reply.conflict_term = -1;
    raft_on_append_reply(&u->ctx, u->r, from, &m);
}

static void test_leader_commits_only_current_term_by_counting(void)
{
    unit u;
    unit_boot(&u, 0, 5, "{\"bugs\":[]}");
    static const int64_t old[] = {1, 1};
    unit_log(&u, old, 2);
    make_leader(&u, 3);                       /* appends its no-op at 3 */
    ack(&u, 1, 2);
    ack(&u, 2, 2);
    CU_ASSERT(u.r->commit < 2);               /* §5.4.2: not by counting */
    ack(&u, 1, 3);
    ack(&u, 2, 3);
    CU_ASSERT_EQUAL(u.r->commit, 3);          /* its own term's entry */
    unit_free(&u);
}

static void test_stale_ack_does_not_lower_match(void)
{
    unit u;
    unit_boot(&u, 0, 3, NULL);
    make_leader(&u, 1);
    static const int64_t more[] = {1, 1, 1};
    unit_log(&u, more, 3);
    ack(&u, 1, 4);
    ack(&u, 1, 2);                            /* delayed older ack */
    CU_ASSERT_EQUAL(raft_peer_of(u.r, 1)->match, 4);
    CU_ASSERT(raft_peer_of(u.r, 1)->next >= 5);
    unit_free(&u);
}

static void test_higher_term_in_reply_steps_down(void)
{
    unit u;
    unit_boot(&u, 0, 3, NULL);
    make_leader(&u, 2);
    raft_msg m = { .type = RAFT_MSG_APPEND_REPLY, .term = 5 };
    m.u.append_reply.success = false;
    m.u.append_reply.conflict_index = -1;
    m.u.append_reply.conflict_term = -1;
    deliver(&u, 1, &m);
    CU_ASSERT_EQUAL(u.r->role, RAFT_FOLLOWER);
    CU_ASSERT_EQUAL(u.r->term, 5);
    unit_free(&u);
}

/* ---- election.c -------------------------------------------------------------- */

static void vote_request(unit *u, fl_node_id from, int64_t term, int64_t last_index,
                         int64_t last_term)
{
    raft_msg m = { .type = RAFT_MSG_VOTE, .term = term };
    m.u.vote.last_index = last_index;
    m.u.vote.last_term = last_term;
    raft_on_vote(&u->ctx, u->r, from, &m);
}

static bool last_vote_granted(unit *u)
{
    raft_msg m;
    sent_msg(u, u->ctx.nsent - 1, &m);
    CU_ASSERT_EQUAL(m.type, RAFT_MSG_VOTE_REPLY);
    bool g = m.u.vote_reply.granted;
    raft_msg_free(&m);
    return g;
}

static void test_election_timer_starts_election(void)
{
    unit u;
    unit_boot(&u, 0, 3, NULL);
    raft_on_election_timer(&u.ctx, u.r);
    CU_ASSERT_EQUAL(u.r->role, RAFT_CANDIDATE);
    CU_ASSERT_EQUAL(u.r->term, 1);
    CU_ASSERT_EQUAL(u.r->voted_for, 0);
    CU_ASSERT_EQUAL(u.ctx.nsent, 2);
    for (size_t i = 0; i < u.ctx.nsent; i++) {
        raft_msg m;
        sent_msg(&u, i, &m);
        CU_ASSERT_EQUAL(m.type, RAFT_MSG_VOTE);
        CU_ASSERT_EQUAL(m.term, 1);
        CU_ASSERT_FALSE(u.ctx.sent[i].unsynced_writes);   /* term and vote synced */
        raft_msg_free(&m);
    }
    CU_ASSERT_PTR_NOT_NULL(fake_ctx_timer(&u.ctx, FL_TIMER_ELECTION));
    unit_free(&u);
}

static void test_one_vote_per_term(void)
{
    unit u;
    unit_boot(&u, 2, 3, NULL);
    vote_request(&u, 0, 1, 0, 0);
    CU_ASSERT_TRUE(last_vote_granted(&u));
    CU_ASSERT_FALSE(u.ctx.sent[u.ctx.nsent - 1].unsynced_writes);
    vote_request(&u, 1, 1, 0, 0);
    CU_ASSERT_FALSE(last_vote_granted(&u));
    vote_request(&u, 0, 1, 0, 0);                 /* the same candidate again */
    CU_ASSERT_TRUE(last_vote_granted(&u));
    unit_free(&u);
}

static void test_vote_refused_to_stale_log(void)
{
    unit u;
    unit_boot(&u, 2, 3, NULL);
    static const int64_t terms[] = {1, 2};
    unit_log(&u, terms, 2);
    u.r->term = 2;
    vote_request(&u, 0, 3, 5, 1);                 /* longer, but older last term */
    CU_ASSERT_FALSE(last_vote_granted(&u));
    CU_ASSERT_EQUAL(u.r->term, 3);                /* the term is adopted anyway */
    vote_request(&u, 1, 3, 1, 2);                 /* same last term, shorter */
    CU_ASSERT_FALSE(last_vote_granted(&u));
    vote_request(&u, 1, 3, 2, 2);                 /* as up to date */
    CU_ASSERT_TRUE(last_vote_granted(&u));
    unit_free(&u);
}

static void test_vote_survives_restart(void)
{
    unit u;
    unit_boot(&u, 2, 3, NULL);
    vote_request(&u, 0, 4, 0, 0);
    CU_ASSERT_TRUE(last_vote_granted(&u));
    raft_roles[0].destroy(u.r);                   /* crash: only the disk stays */
    memset(u.r, 0, raft_roles[0].state_size);
    cJSON *p = cJSON_CreateObject();
    if (injected_bug)
        cJSON_AddItemToObject(p, "bugs", cJSON_CreateStringArray(&injected_bug, 1));
    CU_ASSERT_EQUAL_FATAL(raft_roles[0].init(&u.ctx, u.r, p), 0);
    cJSON_Delete(p);
    raft_roles[0].start(&u.ctx, u.r, true);
    CU_ASSERT_EQUAL(u.r->term, 4);
    CU_ASSERT_EQUAL(u.r->voted_for, 0);
    vote_request(&u, 1, 4, 0, 0);
    CU_ASSERT_FALSE(last_vote_granted(&u));
    unit_free(&u);
}

static void test_prevote_keeps_term(void)
{
    unit u;
    unit_boot(&u, 0, 3, "{\"prevote\":true}");
    raft_on_election_timer(&u.ctx, u.r);
    CU_ASSERT_EQUAL(u.r->term, 0);
    CU_ASSERT_EQUAL(u.r->role, RAFT_PRECANDIDATE);
    raft_msg m;
    sent_msg(&u, 0, &m);
    CU_ASSERT_EQUAL(m.type, RAFT_MSG_PREVOTE);
    CU_ASSERT_EQUAL(m.term, 1);
    raft_msg_free(&m);
    unit_free(&u);
}

/* ---- storage.c: recovery ------------------------------------------------- */

/* A crash, then a restart from what the fake disk holds. */
static void unit_restart(unit *u)
{
    raft_roles[0].destroy(u->r);
    memset(u->r, 0, raft_roles[0].state_size);
    cJSON *p = cJSON_CreateObject();
    if (injected_bug)
        cJSON_AddItemToObject(p, "bugs", cJSON_CreateStringArray(&injected_bug, 1));
    CU_ASSERT_EQUAL_FATAL(raft_roles[0].init(&u->ctx, u->r, p), 0);
    cJSON_Delete(p);
    raft_roles[0].start(&u->ctx, u->r, true);
}

static fake_file *unit_file(unit *u, const char *name)
{
    for (size_t i = 0; i < u->ctx.nfiles; i++)
        if (!strcmp(u->ctx.files[i].name, name))
            return &u->ctx.files[i];
    return NULL;
}

/* A follower truncates a conflicting suffix and writes the leader's entry
 * in its place; the crash keeps the rewrite but not the cut (the engine's
 * torn write can: a pending truncation is lost while the write after it
 * lands in part). The old records after the rewritten one must not come
 * back as the continuation of the new entry. */
static void test_recovery_drops_suffix_whose_cut_was_lost(void)
{
    unit u;
    unit_boot(&u, 1, 3, NULL);
    static const int64_t old[] = {1, 1, 1, 1};
    unit_log(&u, old, 4);
    fake_file *f = unit_file(&u, "log.0");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    size_t old_len = f->len;
    uint64_t off4 = raft_log_get(&u.r->log, 4)->file_off;
    uint8_t *before = malloc(old_len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(before);
    memcpy(before, f->data, old_len);
    static const int64_t fresh[] = {2};
    send_append(&u, 0, 2, 2, 1, 0, fresh, 1);     /* conflict at 3 */
    CU_ASSERT_EQUAL(raft_log_last(&u.r->log), 3);
    /* The rewritten record 3 has the old one's size: the old record 4
     * starts right where the file now ends. */
    CU_ASSERT_EQUAL_FATAL(f->len, off4);
    uint8_t *d = realloc(f->data, old_len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    memcpy(d + off4, before + off4, old_len - off4);
    f->data = d;
    f->len = old_len;
    free(before);
    unit_restart(&u);
    CU_ASSERT_EQUAL(raft_log_last(&u.r->log), 3);
    CU_ASSERT_EQUAL(entry_term(&u, 3), 2);
    CU_ASSERT_EQUAL(entry_term(&u, 4), -1);
    unit_free(&u);
}

/* The same file, but the crash came after the cut: everything held. */
static void test_recovery_keeps_whole_log(void)
{
    unit u;
    unit_boot(&u, 1, 3, NULL);
    static const int64_t old[] = {1, 1, 1, 1};
    unit_log(&u, old, 4);
    static const int64_t fresh[] = {2};
    send_append(&u, 0, 2, 2, 1, 0, fresh, 1);
    static const int64_t more[] = {2, 2};
    send_append(&u, 0, 2, 3, 2, 0, more, 2);
    unit_restart(&u);
    CU_ASSERT_EQUAL(raft_log_last(&u.r->log), 5);
    CU_ASSERT_EQUAL(entry_term(&u, 2), 1);
    CU_ASSERT_EQUAL(entry_term(&u, 3), 2);
    CU_ASSERT_EQUAL(entry_term(&u, 5), 2);
    unit_free(&u);
}

static const fl_cu_test replicate_tests[] = {
    {"AppendEntries with an older term is refused", test_append_refuses_older_term},
    {"AppendEntries without the previous entry is refused", test_append_refuses_missing_prev},
    {"a conflicting entry and all after it are deleted", test_append_truncates_on_conflict},
    {"a matching older copy deletes nothing", test_append_keeps_entries_without_conflict},
    {"commit = min(leaderCommit, last new entry)", test_commit_is_min_of_leader_commit_and_last_new},
    {"a follower applies only what is committed", test_follower_applies_only_committed},
    {"the acknowledgement leaves after the sync", test_append_ack_only_after_sync},
    {"a leader commits older terms only through its own", test_leader_commits_only_current_term_by_counting},
    {"a delayed acknowledgement does not lower matchIndex", test_stale_ack_does_not_lower_match},
    {"a higher term in a reply makes a leader step down", test_higher_term_in_reply_steps_down},
    {NULL, NULL}
};

static const fl_cu_test election_tests[] = {
    {"the election timer starts an election", test_election_timer_starts_election},
    {"one vote per term, first come", test_one_vote_per_term},
    {"no vote for a less up-to-date log", test_vote_refused_to_stale_log},
    {"term and vote survive a restart", test_vote_survives_restart},
    {"a pre-vote does not raise the term", test_prevote_keeps_term},
    {NULL, NULL}
};

static const fl_cu_test storage_tests[] = {
    {"recovery drops an old suffix whose truncation was lost",
     test_recovery_drops_suffix_whose_cut_was_lost},
    {"recovery keeps a rewritten log whole", test_recovery_keeps_whole_log},
    {NULL, NULL}
};

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--bug") == 0)
        injected_bug = argv[2];
    static const fl_cu_suite suites[] = {
        {"raft replicate.c", replicate_tests},
        {"raft election.c", election_tests},
        {"raft storage.c", storage_tests},
        {NULL, NULL}
    };
    return fl_cu_main(suites);
}
