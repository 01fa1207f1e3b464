/* test_raft.c — Raft's suites: the pure modules (codec round trips and
 * garbage, the log, the state machine's sessions and snapshots, params),
 * then the scenarios under scenarios/raft/ end to end through the
 * `faultline` binary: every non-bug scenario passes over seeds 1..5, every
 * bug scenario fails with the invariant it declares, runs are
 * deterministic, and the plug-in build behaves like the built-in one. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "algorithms/raft/codec.h"
#include "algorithms/raft/sm.h"
#include "algorithms/raft/log.h"
#include "algorithms/raft/raft_table.h"
#include "tests/cu.h"
#include "tests/e2e.h"

/* ---- codec -------------------------------------------------------------- */

static raft_cmd op_cmd(fl_node_id client, uint64_t seq, fl_op_kind kind,
                       uint32_t key, int64_t arg, int64_t arg2)
{
    raft_cmd c;
    memset(&c, 0, sizeof c);
    c.type = RAFT_CMD_OP;
    c.client = client;
    c.seq = seq;
    c.op.kind = kind;
    c.op.key = key;
    c.op.arg = arg;
    c.op.arg2 = arg2;
    return c;
}

static void test_cmd_roundtrip(void)
{
    raft_cmd c = op_cmd(7, UINT64_C(0x0102030405060708), FL_OP_CAS, 0xdeadbeef,
                        FL_NIL, -42);
    uint8_t b[RAFT_CMD_MAX_BYTES];
    size_t n = raft_cmd_encode(&c, b);
    CU_ASSERT_EQUAL(n, RAFT_CMD_MAX_BYTES);
    CU_ASSERT_EQUAL(b[1], 7);                  /* little-endian client id */
    CU_ASSERT_EQUAL(b[5], 0x08);               /* little-endian seq */
    raft_cmd d;
    CU_ASSERT_EQUAL(raft_cmd_decode(b, n, &d), 0);
    CU_ASSERT_EQUAL(d.client, 7);
    CU_ASSERT_EQUAL(d.seq, c.seq);
    CU_ASSERT_EQUAL(d.op.kind, FL_OP_CAS);
    CU_ASSERT_EQUAL(d.op.key, 0xdeadbeef);
    CU_ASSERT_EQUAL(d.op.arg, FL_NIL);
    CU_ASSERT_EQUAL(d.op.arg2, -42);
    CU_ASSERT_EQUAL(raft_cmd_hash(&c), raft_cmd_hash(&d));
    raft_cmd noop = {.type = RAFT_CMD_NOOP};
    CU_ASSERT_EQUAL(raft_cmd_encode(&noop, b), 1);
    CU_ASSERT_EQUAL(raft_cmd_decode(b, 1, &d), 0);
    CU_ASSERT_EQUAL(raft_cmd_decode(b, 0, &d), -1);
    b[0] = 9;
    CU_ASSERT_EQUAL(raft_cmd_decode(b, 1, &d), -1);
}

static int roundtrip(const raft_msg *m, raft_msg *out, wire_buf *b)
{
    if (raft_msg_encode(m, b) != 0)
        return -1;
    return raft_msg_decode(b->data, b->len, out);
}

static void test_msg_roundtrip(void)
{
    wire_buf b;
    wire_buf_init(&b);
    raft_msg m, d;

    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_VOTE;
    m.term = 5;
    m.u.vote.last_index = 12;
    m.u.vote.last_term = 4;
    CU_ASSERT_EQUAL_FATAL(roundtrip(&m, &d, &b), 0);
    CU_ASSERT_EQUAL(d.type, RAFT_MSG_VOTE);
    CU_ASSERT_EQUAL(d.term, 5);
    CU_ASSERT_EQUAL(d.u.vote.last_index, 12);
    CU_ASSERT_EQUAL(d.u.vote.last_term, 4);
    raft_msg_free(&d);

    raft_wire_entry ents[3];
    ents[0].term = 3;
    ents[0].cmd = op_cmd(9, 1, FL_OP_WRITE, 2, 100, 0);
    ents[1].term = 5;
    memset(&ents[1].cmd, 0, sizeof ents[1].cmd);
    ents[2].term = 5;
    ents[2].cmd = op_cmd(10, 2, FL_OP_READ, 4, 0, 0);
    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_APPEND;
    m.term = 5;
    m.u.append.prev_index = 7;
    m.u.append.prev_term = 3;
    m.u.append.commit = 6;
    m.u.append.round = 99;
    m.u.append.n = 3;
    m.u.append.entries = ents;
    CU_ASSERT_EQUAL_FATAL(roundtrip(&m, &d, &b), 0);
    CU_ASSERT_EQUAL(d.u.append.n, 3);
    CU_ASSERT_EQUAL(d.u.append.round, 99);
    CU_ASSERT_EQUAL(d.u.append.entries[0].cmd.op.arg, 100);
    CU_ASSERT_EQUAL(d.u.append.entries[1].cmd.type, RAFT_CMD_NOOP);
    CU_ASSERT_EQUAL(d.u.append.entries[2].cmd.client, 10);
    raft_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_APPEND_REPLY;
    m.term = 6;
    m.u.append_reply.success = false;
    m.u.append_reply.conflict_index = 4;
    m.u.append_reply.conflict_term = 2;
    m.u.append_reply.round = 3;
    CU_ASSERT_EQUAL_FATAL(roundtrip(&m, &d, &b), 0);
    CU_ASSERT_FALSE(d.u.append_reply.success);
    CU_ASSERT_EQUAL(d.u.append_reply.conflict_term, 2);
    raft_msg_free(&d);

    static const uint8_t data[] = {1, 2, 3, 4, 5};
    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_SNAPSHOT;
    m.term = 8;
    m.u.snapshot.last_index = 40;
    m.u.snapshot.last_term = 7;
    m.u.snapshot.last_chain = UINT64_C(0xfeedface);
    m.u.snapshot.data_len = sizeof data;
    m.u.snapshot.data = data;
    CU_ASSERT_EQUAL_FATAL(roundtrip(&m, &d, &b), 0);
    CU_ASSERT_EQUAL(d.u.snapshot.data_len, sizeof data);
    CU_ASSERT_EQUAL(memcmp(d.u.snapshot.data, data, sizeof data), 0);
    raft_msg_free(&d);
    wire_buf_free(&b);
}

/* Leadership transfer (thesis §3.10): TimeoutNow, and RequestVote's
 * transfer flag, which is one trailing byte present only when set. */
static void test_msg_transfer_roundtrip(void)
{
    wire_buf b;
    wire_buf_init(&b);
    raft_msg m, d;

    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_TIMEOUT_NOW;
    m.term = 11;
    m.u.timeout_now.last_index = 345;
    CU_ASSERT_EQUAL_FATAL(roundtrip(&m, &d, &b), 0);
    CU_ASSERT_EQUAL(b.len, 18);
    CU_ASSERT_EQUAL(d.type, RAFT_MSG_TIMEOUT_NOW);
    CU_ASSERT_EQUAL(d.term, 11);
    CU_ASSERT_EQUAL(d.u.timeout_now.last_index, 345);
    CU_ASSERT_STRING_EQUAL(raft_msg_type_name(d.type), "TimeoutNow");
    raft_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_VOTE;
    m.term = 12;
    m.u.vote.last_index = 345;
    m.u.vote.last_term = 11;
    CU_ASSERT_EQUAL_FATAL(roundtrip(&m, &d, &b), 0);
    CU_ASSERT_EQUAL(b.len, 26);             /* the ordinary layout */
    CU_ASSERT_FALSE(d.u.vote.transfer);
    m.u.vote.transfer = true;
    CU_ASSERT_EQUAL_FATAL(roundtrip(&m, &d, &b), 0);
    CU_ASSERT_EQUAL(b.len, 27);
    CU_ASSERT_EQUAL(b.data[26], 1);
    CU_ASSERT_TRUE(d.u.vote.transfer);
    CU_ASSERT_EQUAL(d.u.vote.last_index, 345);
    CU_ASSERT_EQUAL(d.u.vote.last_term, 11);
    /* A PreVote never carries the flag. */
    m.type = RAFT_MSG_PREVOTE;
    CU_ASSERT_EQUAL_FATAL(roundtrip(&m, &d, &b), 0);
    CU_ASSERT_EQUAL(b.len, 26);
    CU_ASSERT_FALSE(d.u.vote.transfer);
    wire_buf_free(&b);
}

/* Truncations, corruptions and trailing bytes of TimeoutNow and of a
 * flagged RequestVote are rejected or decode without a crash; a flag byte
 * other than 1, or one on a PreVote, is rejected. */
static void test_msg_transfer_garbage(void)
{
    raft_msg m, d;
    wire_buf b;
    wire_buf_init(&b);
    uint8_t copy[64];

    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_TIMEOUT_NOW;
    m.term = 3;
    m.u.timeout_now.last_index = 9;
    CU_ASSERT_EQUAL_FATAL(raft_msg_encode(&m, &b), 0);
    CU_ASSERT_FATAL(b.len < sizeof copy);
    for (size_t len = 0; len < b.len; len++)
        CU_ASSERT_EQUAL(raft_msg_decode(b.data, len, &d), -1);
    for (size_t i = 0; i < b.len; i++) {
        for (unsigned v = 0; v < 256; v += 37) {
            memcpy(copy, b.data, b.len);
            copy[i] ^= (uint8_t)(v | 1);
            if (raft_msg_decode(copy, b.len, &d) == 0)
                raft_msg_free(&d);
        }
    }
    memcpy(copy, b.data, b.len);
    copy[b.len] = 0;
    CU_ASSERT_EQUAL(raft_msg_decode(copy, b.len + 1, &d), -1);
    memcpy(copy, b.data, b.len);
    copy[b.len - 1] = 0x80;                 /* last_index < 0 */
    CU_ASSERT_EQUAL(raft_msg_decode(copy, b.len, &d), -1);

    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_VOTE;
    m.term = 4;
    m.u.vote.last_index = 9;
    m.u.vote.last_term = 3;
    m.u.vote.transfer = true;
    CU_ASSERT_EQUAL_FATAL(raft_msg_encode(&m, &b), 0);
    for (size_t len = 0; len < 26; len++)
        CU_ASSERT_EQUAL(raft_msg_decode(b.data, len, &d), -1);
    for (size_t i = 0; i < b.len; i++) {
        for (unsigned v = 0; v < 256; v += 37) {
            memcpy(copy, b.data, b.len);
            copy[i] ^= (uint8_t)(v | 1);
            if (raft_msg_decode(copy, b.len, &d) == 0)
                raft_msg_free(&d);
        }
    }
    memcpy(copy, b.data, b.len);
    for (unsigned flag = 0; flag < 256; flag++) {
        copy[26] = (uint8_t)flag;
        CU_ASSERT_EQUAL(raft_msg_decode(copy, 27, &d), flag == 1 ? 0 : -1);
    }
    copy[26] = 1;
    copy[27] = 1;
    CU_ASSERT_EQUAL(raft_msg_decode(copy, 28, &d), -1);
    copy[1] = RAFT_MSG_PREVOTE;
    CU_ASSERT_EQUAL(raft_msg_decode(copy, 27, &d), -1);
    CU_ASSERT_EQUAL(raft_msg_decode(copy, 26, &d), 0);
    wire_buf_free(&b);
    /* The type after the last one is garbage. */
    static const uint8_t next_type[10] = {1, RAFT_MSG_TYPE_END};
    CU_ASSERT_EQUAL(raft_msg_decode(next_type, sizeof next_type, &d), -1);
}

/* Every prefix, every single-byte corruption and trailing garbage of a
 * valid message is either rejected or decodes without a crash. */
static void test_msg_garbage(void)
{
    raft_wire_entry ents[2];
    ents[0].term = 1;
    ents[0].cmd = op_cmd(9, 1, FL_OP_WRITE, 2, 100, 0);
    ents[1].term = 1;
    memset(&ents[1].cmd, 0, sizeof ents[1].cmd);
    raft_msg m;
    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_APPEND;
    m.term = 1;
    m.u.append.n = 2;
    m.u.append.entries = ents;
    wire_buf b;
    wire_buf_init(&b);
    CU_ASSERT_EQUAL_FATAL(raft_msg_encode(&m, &b), 0);
    raft_msg d;
    for (size_t len = 0; len < b.len; len++)
        CU_ASSERT_EQUAL(raft_msg_decode(b.data, len, &d), -1);
    uint8_t *copy = malloc(b.len + 1);
    CU_ASSERT_FATAL(copy != NULL);
    for (size_t i = 0; i < b.len; i++) {
        for (unsigned v = 0; v < 256; v += 37) {
            memcpy(copy, b.data, b.len);
            copy[i] ^= (uint8_t)(v | 1);
            if (raft_msg_decode(copy, b.len, &d) == 0)
                raft_msg_free(&d);
        }
    }
    memcpy(copy, b.data, b.len);
    copy[b.len] = 0;
    CU_ASSERT_EQUAL(raft_msg_decode(copy, b.len + 1, &d), -1);
    /* A count claiming more entries than the bytes could hold. */
    memcpy(copy, b.data, b.len);
    copy[42] = 0xff;
    CU_ASSERT_EQUAL(raft_msg_decode(copy, b.len, &d), -1);
    free(copy);
    wire_buf_free(&b);
    CU_ASSERT_EQUAL(raft_msg_decode(NULL, 0, &d), -1);
    fl_msg_info info;
    raft_describe("\x01\x63", 2, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "garbage");
}

static void test_describe(void)
{
    raft_msg m;
    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_VOTE_REPLY;
    m.term = 3;
    m.u.vote_reply.granted = true;
    wire_buf b;
    wire_buf_init(&b);
    CU_ASSERT_EQUAL_FATAL(raft_msg_encode(&m, &b), 0);
    fl_msg_info info;
    raft_describe(b.data, b.len, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "RequestVoteReply");
    CU_ASSERT_TRUE(info.is_reply);
    CU_ASSERT_EQUAL(info.ok, 1);
    CU_ASSERT_EQUAL(info.term, 3);
    m.type = RAFT_MSG_VOTE;
    CU_ASSERT_EQUAL_FATAL(raft_msg_encode(&m, &b), 0);
    raft_describe(b.data, b.len, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "RequestVote");
    CU_ASSERT_FALSE(info.is_reply);
    CU_ASSERT_EQUAL(info.ok, -1);
    m.u.vote.transfer = true;
    CU_ASSERT_EQUAL_FATAL(raft_msg_encode(&m, &b), 0);
    raft_describe(b.data, b.len, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "RequestVote");
    CU_ASSERT_EQUAL(info.term, 3);
    memset(&m, 0, sizeof m);
    m.type = RAFT_MSG_TIMEOUT_NOW;
    m.term = 7;
    m.u.timeout_now.last_index = 20;
    CU_ASSERT_EQUAL_FATAL(raft_msg_encode(&m, &b), 0);
    raft_describe(b.data, b.len, &info);
    CU_ASSERT_STRING_EQUAL(info.kind, "TimeoutNow");
    CU_ASSERT_FALSE(info.is_reply);
    CU_ASSERT_EQUAL(info.ok, -1);
    CU_ASSERT_EQUAL(info.term, 7);
    wire_buf_free(&b);
}

/* ---- log ---------------------------------------------------------------- */

static void fill(raft_log *l, const int64_t *terms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        raft_cmd c = op_cmd(1, i + 1, FL_OP_WRITE, 0, (int64_t)i, 0);
        CU_ASSERT_EQUAL(raft_log_append(l, terms[i], &c), 0);
    }
}

static void test_log_chain(void)
{
    static const int64_t terms[] = {1, 1, 2, 2, 3};
    raft_log a, b;
    raft_log_init(&a);
    raft_log_init(&b);
    fill(&a, terms, 5);
    fill(&b, terms, 5);
    CU_ASSERT_EQUAL(raft_log_last(&a), 5);
    CU_ASSERT_EQUAL(raft_log_last_term(&a), 3);
    for (int64_t i = 1; i <= 5; i++)
        CU_ASSERT_EQUAL(raft_log_get(&a, i)->chain, raft_log_get(&b, i)->chain);
    /* A different entry at 3 changes every chain from 3 on. */
    raft_log_truncate(&b, 3);
    CU_ASSERT_EQUAL(raft_log_last(&b), 2);
    raft_cmd other = op_cmd(2, 1, FL_OP_READ, 0, 0, 0);
    raft_log_append(&b, 2, &other);
    raft_log_append(&b, 2, &other);
    CU_ASSERT_EQUAL(raft_log_get(&a, 2)->chain, raft_log_get(&b, 2)->chain);
    CU_ASSERT_NOT_EQUAL(raft_log_get(&a, 3)->chain, raft_log_get(&b, 3)->chain);
    CU_ASSERT_NOT_EQUAL(raft_log_get(&a, 4)->chain, raft_log_get(&b, 4)->chain);
    raft_log_free(&a);
    raft_log_free(&b);
}

static void test_log_terms(void)
{
    static const int64_t terms[] = {1, 1, 2, 2, 2, 4, 4};
    raft_log l;
    raft_log_init(&l);
    fill(&l, terms, 7);
    CU_ASSERT_EQUAL(raft_log_first_of_term(&l, 5), 3);
    CU_ASSERT_EQUAL(raft_log_first_of_term(&l, 2), 1);
    CU_ASSERT_EQUAL(raft_log_last_of_term(&l, 2), 5);
    CU_ASSERT_EQUAL(raft_log_last_of_term(&l, 3), -1);
    CU_ASSERT_EQUAL(raft_log_last_of_term(&l, 4), 7);
    int64_t t;
    CU_ASSERT_TRUE(raft_log_term(&l, 0, &t));
    CU_ASSERT_EQUAL(t, 0);
    CU_ASSERT_FALSE(raft_log_term(&l, 8, &t));
    /* Raft §5.4.1: later last term wins; equal terms compare length. */
    CU_ASSERT_TRUE(raft_log_up_to_date(&l, 5, 1));
    CU_ASSERT_TRUE(raft_log_up_to_date(&l, 4, 7));
    CU_ASSERT_FALSE(raft_log_up_to_date(&l, 4, 6));
    CU_ASSERT_FALSE(raft_log_up_to_date(&l, 3, 100));
    raft_log_free(&l);
}

static void test_log_compact(void)
{
    static const int64_t terms[] = {1, 1, 2, 2, 3, 3};
    raft_log l, ref;
    raft_log_init(&l);
    raft_log_init(&ref);
    fill(&l, terms, 6);
    fill(&ref, terms, 6);
    raft_log_compact(&l, 4);
    CU_ASSERT_EQUAL(l.base, 4);
    CU_ASSERT_EQUAL(l.base_term, 2);
    CU_ASSERT_EQUAL(l.base_chain, raft_log_get(&ref, 4)->chain);
    CU_ASSERT_PTR_NULL(raft_log_get(&l, 4));
    CU_ASSERT_EQUAL(raft_log_get(&l, 6)->chain, raft_log_get(&ref, 6)->chain);
    CU_ASSERT_EQUAL(raft_log_last(&l), 6);
    int64_t t;
    CU_ASSERT_TRUE(raft_log_term(&l, 4, &t));
    CU_ASSERT_EQUAL(t, 2);
    CU_ASSERT_FALSE(raft_log_term(&l, 3, &t));
    CU_ASSERT_EQUAL(raft_log_first_of_term(&l, 6), 5);
    /* Appending after compaction continues the same chain. */
    raft_cmd c = op_cmd(3, 1, FL_OP_WRITE, 0, 0, 0);
    raft_log_append(&l, 3, &c);
    raft_log_append(&ref, 3, &c);
    CU_ASSERT_EQUAL(raft_log_get(&l, 7)->chain, raft_log_get(&ref, 7)->chain);
    raft_log_reset(&l, 10, 5, 77, 88);
    CU_ASSERT_EQUAL(raft_log_last(&l), 10);
    CU_ASSERT_EQUAL(raft_log_last_term(&l), 5);
    raft_log_free(&l);
    raft_log_free(&ref);
}

/* ---- state machine ------------------------------------------------------ */

static void test_kv_ops(void)
{
    fl_kvsm kv;
    fl_kvsm_init(&kv);
    int64_t res;
    fl_status st;
    raft_cmd c = op_cmd(5, 1, FL_OP_READ, 3, 0, 0);
    CU_ASSERT_EQUAL(raft_kv_apply(&kv, &c, &res, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(res, FL_NIL);
    c = op_cmd(5, 2, FL_OP_CAS, 3, FL_NIL, 10);
    raft_kv_apply(&kv, &c, &res, &st);
    CU_ASSERT_EQUAL(res, 1);
    CU_ASSERT_EQUAL(st, FL_STATUS_OK);
    c = op_cmd(5, 3, FL_OP_CAS, 3, 9, 11);
    raft_kv_apply(&kv, &c, &res, &st);
    CU_ASSERT_EQUAL(res, 0);                   /* a failed CAS is OK with 0 */
    CU_ASSERT_EQUAL(st, FL_STATUS_OK);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 3), 10);
    c = op_cmd(6, 1, FL_OP_WRITE, 1, 42, 0);
    raft_kv_apply(&kv, &c, &res, &st);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 1), 42);
    c = op_cmd(6, 2, FL_OP_ACQUIRE, 1, 0, 0);
    raft_kv_apply(&kv, &c, &res, &st);
    CU_ASSERT_EQUAL(st, FL_STATUS_FAIL);
    fl_kvsm_free(&kv);
}

static void test_kv_dedup(void)
{
    fl_kvsm kv;
    fl_kvsm_init(&kv);
    int64_t res;
    fl_status st;
    raft_cmd w = op_cmd(5, 0, FL_OP_WRITE, 1, 7, 0);
    CU_ASSERT_EQUAL(raft_kv_apply(&kv, &w, &res, &st), FL_KVSM_DONE);
    raft_cmd cas = op_cmd(5, 1, FL_OP_CAS, 1, 7, 8);
    CU_ASSERT_EQUAL(raft_kv_apply(&kv, &cas, &res, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(res, 1);
    /* The retry finds the CAS already done: same answer, no second run. */
    CU_ASSERT_EQUAL(raft_kv_apply(&kv, &cas, &res, &st), FL_KVSM_DUPLICATE);
    CU_ASSERT_EQUAL(res, 1);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 1), 8);
    /* Sequence 0 dedups too. */
    CU_ASSERT_EQUAL(raft_kv_apply(&kv, &w, &res, &st), FL_KVSM_STALE);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 1), 8);
    const fl_kvsm_session *s = fl_kvsm_session_of(&kv, 5);
    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_EQUAL(s->seq, 1);
    CU_ASSERT_PTR_NULL(fl_kvsm_session_of(&kv, 4));
    fl_kvsm_free(&kv);
}

static void test_kv_snapshot(void)
{
    fl_kvsm kv, back;
    fl_kvsm_init(&kv);
    int64_t res;
    fl_status st;
    for (uint32_t k = 0; k < 50; k++) {
        raft_cmd c = op_cmd((fl_node_id)(k % 7), k + 1, FL_OP_WRITE,
                            (k * 2654435761u) % 97, (int64_t)k * 3, 0);
        raft_kv_apply(&kv, &c, &res, &st);
    }
    wire_buf b;
    wire_buf_init(&b);
    CU_ASSERT_EQUAL_FATAL(raft_sm_encode_kv(&kv, &b), 0);
    CU_ASSERT_EQUAL_FATAL(fl_kvsm_decode(b.data, b.len, &back), 0);
    CU_ASSERT_EQUAL(back.npairs, kv.npairs);
    CU_ASSERT_EQUAL(back.nsessions, 7);
    for (uint32_t k = 0; k < 97; k++)
        CU_ASSERT_EQUAL(fl_kvsm_get(&back, k), fl_kvsm_get(&kv, k));
    wire_buf b2;
    wire_buf_init(&b2);
    CU_ASSERT_EQUAL(raft_sm_encode_kv(&back, &b2), 0);
    CU_ASSERT_EQUAL(b2.len, b.len);
    CU_ASSERT_EQUAL(memcmp(b.data, b2.data, b.len), 0);
    fl_kvsm bad;
    for (size_t len = 0; len < b.len; len++)
        CU_ASSERT_EQUAL(fl_kvsm_decode(b.data, len, &bad), -1);
    wire_buf_free(&b);
    wire_buf_free(&b2);
    fl_kvsm_free(&kv);
    fl_kvsm_free(&back);
}

/* ---- params ------------------------------------------------------------- */

static int validate(const char *json, char *err, size_t len)
{
    cJSON *j = cJSON_Parse(json);
    CU_ASSERT_FATAL(j != NULL);
    err[0] = 0;
    int rc = fl_raft_algorithm.validate(j, err, len);
    cJSON_Delete(j);
    return rc;
}

static void test_params(void)
{
    char err[256];
    CU_ASSERT_EQUAL(validate("{}", err, sizeof err), 0);
    CU_ASSERT_EQUAL(validate("{\"election_timeout_ms\":[100,200],"
                             "\"heartbeat_ms\":20,"
                             "\"prevote\":true,\"check_quorum\":true,"
                             "\"snapshot_every\":100,\"read\":\"readindex\","
                             "\"bugs\":[\"vote-twice\",\"no-truncate\"]}",
                             err, sizeof err), 0);
    CU_ASSERT_EQUAL(validate("{\"heartbeat_ms\":0}", err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "heartbeat_ms: must be > 0"));
    CU_ASSERT_EQUAL(validate("{\"heartbeat_ms\":200}", err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "heartbeat_ms"));
    CU_ASSERT_EQUAL(validate("{\"election_timeout_ms\":[300,150]}", err,
                             sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "election_timeout_ms"));
    CU_ASSERT_EQUAL(validate("{\"election_timeout_ms\":200}", err,
                             sizeof err), -1);
    CU_ASSERT_EQUAL(validate("{\"prevote\":1}", err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "prevote"));
    CU_ASSERT_EQUAL(validate("{\"snapshot_every\":-1}", err, sizeof err), -1);
    CU_ASSERT_EQUAL(validate("{\"snapshot_every\":2.5}", err, sizeof err), -1);
    CU_ASSERT_EQUAL(validate("{\"transfer_every_ms\":1500}", err, sizeof err), 0);
    CU_ASSERT_EQUAL(validate("{\"transfer_every_ms\":0}", err, sizeof err), 0);
    CU_ASSERT_EQUAL(validate("{\"transfer_every_ms\":-1}", err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "transfer_every_ms: must be"));
    CU_ASSERT_EQUAL(validate("{\"transfer_every_ms\":1.5}", err, sizeof err), -1);
    CU_ASSERT_EQUAL(validate("{\"transfer_every_ms\":true}", err, sizeof err), -1);
    CU_ASSERT_EQUAL(validate("{\"transfer_every_ms\":3600001}", err, sizeof err),
                    -1);
    CU_ASSERT_EQUAL(validate("{\"max_batch\":1}", err, sizeof err), 0);
    CU_ASSERT_EQUAL(validate("{\"max_batch\":64}", err, sizeof err), 0);
    CU_ASSERT_EQUAL(validate("{\"max_batch\":0}", err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "max_batch: must be an integer in [1, 64]"));
    CU_ASSERT_EQUAL(validate("{\"max_batch\":65}", err, sizeof err), -1);
    CU_ASSERT_EQUAL(validate("{\"max_batch\":1.5}", err, sizeof err), -1);
    CU_ASSERT_EQUAL(validate("{\"read\":\"lease\"}", err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "read"));
    CU_ASSERT_EQUAL(validate("{\"bugs\":[\"no-such-bug\"]}", err,
                             sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no-such-bug"));
    CU_ASSERT_EQUAL(validate("{\"heartbeats\":50}", err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "heartbeats: unknown"));
    CU_ASSERT_EQUAL(validate("[]", err, sizeof err), -1);
    CU_ASSERT_EQUAL(fl_raft_algorithm.validate(NULL, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(fl_raft_algorithm.name, "raft");
    CU_ASSERT_EQUAL(fl_raft_algorithm.abi_version, FL_ABI_VERSION);
    CU_ASSERT_STRING_EQUAL(fl_raft_algorithm.roles[0].name, "server");
    CU_ASSERT_PTR_NULL(fl_raft_algorithm.roles[1].name);
}

/* ---- registry ----------------------------------------------------------- */

#include "algorithms/invariant.h"

static void test_invariant_registry(void)
{
    size_t n = 0;
    const fl_invariant *const *inv = fl_invariants_for("raft", &n);
    CU_ASSERT_EQUAL_FATAL(n, 22);
    static const char *const names[] = {
        "raft.election_safety", "raft.leader_append_only", "raft.log_matching",
        "raft.leader_completeness", "raft.state_machine_safety",
        /* rule and feature checks */
        "raft.term_durable", "raft.vote_durable", "raft.ack_durable",
        "raft.adopt_term", "raft.follower_commit", "raft.commit_current_term",
        "raft.match_monotonic", "raft.prevote", "raft.check_quorum",
        "raft.snapshot", "raft.readindex", "raft.transfer",
        "raft.up_to_date_vote", "raft.apply_committed",
        "raft.election_timer", "raft.snapshot_suffix", "raft.append_merge",
    };
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_STRING_EQUAL(inv[i]->name, names[i]);
    CU_ASSERT_PTR_NULL(fl_invariants_for("no-such-family", &n));
    CU_ASSERT_EQUAL(n, 0);
}


/* ---- end to end: the faultline binary over scenarios/raft --------------- */

#include <dirent.h>
#include <sys/wait.h>

#define E2E_SEEDS 5

static const char *e2e_plugin(void)
{
    const char *p = getenv("FL_RAFT_PLUGIN");
    return p ? p : "./algorithms/raft/.libs/raft.so";
}

static void test_e2e_scenarios_pass(void)
{
    CU_ASSERT_TRUE(fl_e2e_check_pass("raft", E2E_SEEDS) >= 10);
}

static void test_e2e_bugs_caught(void)
{
    CU_ASSERT_TRUE(fl_e2e_check_bugs("raft", E2E_SEEDS) >= 5);
}

/* Each bug scenario is a fair test: with its switch off it passes. */
static void test_e2e_bugs_off_pass(void)
{
    fl_e2e_check_bugs_off("raft", E2E_SEEDS);
}

/* Same scenario and seed: the same trace hash, run after run; another
 * seed: another run. */
static void test_e2e_deterministic(void)
{
    fl_e2e_check_deterministic("raft");
}

/* The plug-in build (raft.so through dlopen) is the same code: the same
 * verdicts and byte-identical traces. Its nodes share the .so's globals,
 * so this also shows the code keeps none. */
static void test_e2e_plugin(void)
{
    FILE *so = fopen(e2e_plugin(), "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(so);
    fclose(so);
    const char *subs[] = {"", "/bugs"};
    for (size_t k = 0; k < 2; k++) {
        char **files = fl_e2e_list("raft", subs[k]);
        CU_ASSERT_FATAL(files != NULL);
        for (size_t i = 0; files[i]; i++) {
            fl_e2e_out a, b;
            fl_e2e_run(files[i], 2, NULL, &a);
            char extra[600];
            snprintf(extra, sizeof extra, "--impl '%s'", e2e_plugin());
            fl_e2e_run(files[i], 2, extra, &b);
            CU_ASSERT_NOT_EQUAL(b.hash, 0);
            CU_ASSERT_EQUAL(a.hash, b.hash);
            CU_ASSERT_EQUAL(a.status, b.status);
            CU_ASSERT_STRING_EQUAL(a.violated, b.violated);
        }
        fl_e2e_free(files);
    }
}

/* Leadership transfer end to end: leadership-transfer.json (transfer every
 * 1.5 s, prevote and check_quorum on, no loss) passes its checks, and its
 * trace shows leadership really moving: many terms with a leader, several
 * servers leading in turn, elections won after TimeoutNow (the servers'
 * "transfers" scalars), and never two leaders in one term. */
typedef struct xfer_stats {
    int64_t  leader_of[64];     /* by term (< 64): the leader seen, or -1 */
    int64_t  transfers[16];     /* by node: the largest "transfers" seen */
    size_t   leader_terms;      /* terms in which some server led */
    size_t   two_leaders;       /* terms in which two different servers led */
    size_t   timeout_now;       /* TimeoutNow messages sent */
    bool     linearizable;
} xfer_stats;

static void xfer_view(const cJSON *j, xfer_stats *x)
{
    const cJSON *node = cJSON_GetObjectItem(j, "node");
    const cJSON *role = cJSON_GetObjectItem(j, "role");
    const cJSON *term = cJSON_GetObjectItem(j, "term");
    if (!cJSON_IsNumber(node) || node->valueint < 0 || node->valueint >= 16)
        return;
    const cJSON *t = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "scalars"),
                                         "transfers");
    if (cJSON_IsNumber(t) && (int64_t)t->valuedouble > x->transfers[node->valueint])
        x->transfers[node->valueint] = (int64_t)t->valuedouble;
    if (!cJSON_IsString(role) || strcmp(role->valuestring, "leader") ||
        !cJSON_IsNumber(term) || term->valueint < 0 || term->valueint >= 64)
        return;
    int64_t *l = &x->leader_of[term->valueint];
    if (*l < 0) {
        *l = node->valueint;
        x->leader_terms++;
    } else if (*l != node->valueint) {
        x->two_leaders++;
    }
}

static int xfer_run(uint64_t seed, xfer_stats *x, int *status)
{
    memset(x, 0, sizeof *x);
    for (size_t i = 0; i < 64; i++)
        x->leader_of[i] = -1;
    char trace[] = "/tmp/fl-raft-xfer-XXXXXX";
    int fd = mkstemp(trace);
    if (fd < 0)
        return -1;
    close(fd);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' run '%s/scenarios/raft/leadership-transfer"
             ".json' --seed %" PRIu64 " --trace '%s' 2>&1", fl_e2e_binary(),
             fl_cu_srcdir(), seed, trace);
    FILE *fp = popen(cmd, "r");
    if (!fp) {
        unlink(trace);
        return -1;
    }
    char line[4096];
    while (fgets(line, sizeof line, fp))
        x->linearizable |= !strncmp(line, "linearizable: yes", 17);
    int st = pclose(fp);
    *status = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
    FILE *tf = fopen(trace, "r");
    char *buf = NULL;
    size_t cap = 0;
    while (tf && getline(&buf, &cap, tf) > 0) {
        bool view = strstr(buf, "\"ev\":\"view\"") != NULL;
        bool sent = strstr(buf, "\"ev\":\"send\"") != NULL &&
                    strstr(buf, "\"kind\":\"TimeoutNow\"") != NULL;
        if (sent)
            x->timeout_now++;
        if (!view)
            continue;
        cJSON *j = cJSON_Parse(buf);
        if (j)
            xfer_view(j, x);
        cJSON_Delete(j);
    }
    free(buf);
    if (tf)
        fclose(tf);
    unlink(trace);
    return tf ? 0 : -1;
}

static void test_e2e_leadership_transfer(void)
{
    for (uint64_t seed = 1; seed <= 3; seed++) {
        xfer_stats x;
        int status = -1;
        CU_ASSERT_EQUAL_FATAL(xfer_run(seed, &x, &status), 0);
        size_t leaders = 0;
        int64_t transfers = 0;
        for (size_t n = 0; n < 16; n++) {
            bool led = false;
            for (size_t t = 0; t < 64; t++)
                led |= x.leader_of[t] == (int64_t)n;
            leaders += led;
            transfers += x.transfers[n];
        }
        if (status != 0 || transfers < 5 || leaders < 3)
            fprintf(stderr, "\n  leadership-transfer --seed %" PRIu64
                    ": exit %d, %zu leader terms, %zu leaders, %" PRId64
                    " transfers, %zu TimeoutNow\n", seed, status,
                    x.leader_terms, leaders, transfers, x.timeout_now);
        CU_ASSERT_EQUAL(status, 0);         /* invariants, linearizability,
                                               min_ok_ops, leader_within */
        CU_ASSERT_TRUE(x.linearizable);
        CU_ASSERT_EQUAL(x.two_leaders, 0);
        /* 12 s at one transfer per 1.5 s of leadership: about 7. */
        CU_ASSERT_TRUE(transfers >= 5);
        CU_ASSERT_TRUE(x.leader_terms >= (size_t)transfers);
        CU_ASSERT_TRUE(x.leader_terms >= 6);
        CU_ASSERT_TRUE(leaders >= 3);
        CU_ASSERT_TRUE(x.timeout_now >= (size_t)transfers);
    }
}

/* Bad params are rejected before anything runs, naming the key. */
static void test_e2e_bad_params(void)
{
    char path[] = "/tmp/fl-raft-params-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    static const char text[] =
        "{\"name\":\"bad\",\"algorithm\":\"raft\",\"nodes\":3,"
        "\"duration_ms\":100,\"params\":{\"heartbeat_ms\":0}}";
    ssize_t len = (ssize_t)(sizeof text - 1);
    CU_ASSERT_EQUAL(write(fd, text, (size_t)len), len);
    close(fd);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' 2>&1", fl_e2e_binary(), path);
    FILE *fp = popen(cmd, "r");
    CU_ASSERT_FATAL(fp != NULL);
    char line[1024];
    bool named = false;
    while (fgets(line, sizeof line, fp))
        named |= strstr(line, "heartbeat_ms: must be > 0") != NULL;
    int st = pclose(fp);
    unlink(path);
    CU_ASSERT_TRUE(named);
    CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 2);
}

/* ---- tables ------------------------------------------------------------- */

static const fl_cu_test codec_tests[] = {
    {"command round trip", test_cmd_roundtrip},
    {"message round trip", test_msg_roundtrip},
    {"truncated and corrupted messages", test_msg_garbage},
    {"describe", test_describe},
    {"leadership transfer round trip", test_msg_transfer_roundtrip},
    {"leadership transfer garbage", test_msg_transfer_garbage},
    {NULL, NULL},
};

static const fl_cu_test log_tests[] = {
    {"chain hashes", test_log_chain},
    {"terms and up-to-date", test_log_terms},
    {"compaction", test_log_compact},
    {NULL, NULL},
};

static const fl_cu_test kv_tests[] = {
    {"read write cas", test_kv_ops},
    {"sessions dedup retries", test_kv_dedup},
    {"snapshot round trip", test_kv_snapshot},
    {NULL, NULL},
};

static const fl_cu_test e2e_tests[] = {
    {"scenarios pass over seeds 1..5", test_e2e_scenarios_pass},
    {"bug scenarios fail with their declared invariant", test_e2e_bugs_caught},
    {"bug scenarios pass with the switch off", test_e2e_bugs_off_pass},
    {"runs are deterministic", test_e2e_deterministic},
    {"plug-in build matches the built-in", test_e2e_plugin},
    {"leadership moves by transfer", test_e2e_leadership_transfer},
    {"bad params exit 2 naming the key", test_e2e_bad_params},
    {NULL, NULL},
};

static const fl_cu_test table_tests[] = {
    {"params", test_params},
    {"invariant registry", test_invariant_registry},
    {NULL, NULL},
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        {"raft codec", codec_tests},
        {"raft log", log_tests},
        {"raft kv", kv_tests},
        {"raft table", table_tests},
        {"raft end to end", e2e_tests},
        {NULL, NULL},
    };
    return fl_cu_main(suites);
}
