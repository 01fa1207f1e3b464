/* test_helpers.c — the algorithms' shared helpers: the key-value state
 * machine with client sessions (algorithms/kvsm/) and the params reader
 * (algorithms/params/), and the byte codec (algorithms/wire/). Each test feeds the input a broken helper would
 * get wrong: a retried seq that must not run twice, an out-of-order
 * snapshot, a fractional number, an unknown bug name. */
#include <string.h>

#include "algorithms/kvsm/kvsm.h"
#include "algorithms/params/params.h"
#include "algorithms/wire/wire.h"
#include "tests/cu.h"

static fl_op op_of(fl_op_kind kind, uint32_t key, int64_t arg, int64_t arg2)
{
    fl_op op = {.kind = kind, .key = key, .arg = arg, .arg2 = arg2};
    return op;
}

static void test_kvsm_sessions(void)
{
    fl_kvsm kv;
    fl_kvsm_init(&kv);
    int64_t r;
    fl_status st;
    fl_op w = op_of(FL_OP_WRITE, 3, 70, 0);
    CU_ASSERT_EQUAL(fl_kvsm_apply(&kv, 5, 1, &w, &r, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 3), 70);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 4), FL_NIL);
    fl_op cas = op_of(FL_OP_CAS, 3, 70, 71);
    CU_ASSERT_EQUAL(fl_kvsm_apply(&kv, 5, 2, &cas, &r, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(r, 1);
    /* the retry is answered from the session and does not run again */
    CU_ASSERT_EQUAL(fl_kvsm_apply(&kv, 5, 2, &cas, &r, &st),
                    FL_KVSM_DUPLICATE);
    CU_ASSERT_EQUAL(r, 1);
    CU_ASSERT_EQUAL(fl_kvsm_apply(&kv, 5, 1, &w, &r, &st), FL_KVSM_STALE);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 3), 71);
    fl_op add = op_of(FL_OP_ACQUIRE, 3, 1, 0);
    CU_ASSERT_EQUAL(fl_kvsm_apply(&kv, 6, 1, &add, &r, &st), FL_KVSM_DONE);
    CU_ASSERT_EQUAL(st, FL_STATUS_FAIL);
    fl_kvsm_del(&kv, 3);
    CU_ASSERT_EQUAL(fl_kvsm_get(&kv, 3), FL_NIL);
    CU_ASSERT_EQUAL(fl_kvsm_set_session(&kv, 2, 9, 4, FL_STATUS_OK), 0);
    const fl_kvsm_session *s = fl_kvsm_session_of(&kv, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->seq, 9);
    CU_ASSERT_PTR_NULL(fl_kvsm_session_of(&kv, 3));
    fl_kvsm_free(&kv);
}

static void test_kvsm_checkpoint(void)
{
    fl_kvsm kv, back;
    fl_kvsm_init(&kv);
    int64_t r;
    fl_status st;
    for (uint32_t k = 0; k < 20; k++) {
        fl_op w = op_of(FL_OP_WRITE, 19 - k, (int64_t)k * 10, 0);
        fl_kvsm_apply(&kv, (fl_node_id)(k % 3), k + 1, &w, &r, &st);
    }
    wire_buf b;
    wire_buf_init(&b);
    wire_put_u8(&b, 0xAB);              /* encode appends */
    CU_ASSERT_EQUAL_FATAL(fl_kvsm_encode(&kv, &b), 0);
    CU_ASSERT_EQUAL(b.data[0], 0xAB);
    CU_ASSERT_EQUAL_FATAL(fl_kvsm_decode(b.data + 1, b.len - 1, &back), 0);
    for (uint32_t k = 0; k < 20; k++)
        CU_ASSERT_EQUAL(fl_kvsm_get(&back, k), fl_kvsm_get(&kv, k));
    CU_ASSERT_EQUAL(back.nsessions, 3);
    /* every truncation is refused, and so is a trailing byte */
    fl_kvsm bad;
    for (size_t len = 0; len + 1 < b.len - 1; len++)
        CU_ASSERT_EQUAL(fl_kvsm_decode(b.data + 1, len, &bad), -1);
    wire_put_u8(&b, 0);
    CU_ASSERT_EQUAL(fl_kvsm_decode(b.data + 1, b.len - 1, &bad), -1);
    /* keys out of order are refused */
    wire_buf o;
    wire_buf_init(&o);
    wire_put_u32(&o, 2);
    wire_put_u32(&o, 5);
    wire_put_i64(&o, 1);
    wire_put_u32(&o, 4);
    wire_put_i64(&o, 1);
    wire_put_u32(&o, 0);
    CU_ASSERT_EQUAL(fl_kvsm_decode(o.data, o.len, &bad), -1);
    wire_buf_free(&o);
    wire_buf_free(&b);
    fl_kvsm_free(&kv);
    fl_kvsm_free(&back);
}

static void test_params(void)
{
    char err[256];
    int64_t x = 0, a = 0, b = 0;
    cJSON *j = cJSON_Parse("{\"n\": 2.5, \"m\": 7, \"r\": [3, 2], "
                           "\"s\": [1, 9], \"t\": 1, \"bugs\": [\"b\", \"zz\"],"
                           " \"ok\": [\"b\"]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(fl_param_int(cJSON_GetObjectItem(j, "n"), "n", 0, 10, &x,
                                 "must be an integer", err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "n: must be an integer");
    CU_ASSERT_EQUAL(fl_param_int(cJSON_GetObjectItem(j, "m"), "m", 0, 6, &x,
                                 "too big", err, sizeof err), -1);
    CU_ASSERT_EQUAL(fl_param_int(cJSON_GetObjectItem(j, "m"), "m", 0, 7, &x,
                                 "too big", err, sizeof err), 0);
    CU_ASSERT_EQUAL(x, 7);
    CU_ASSERT_EQUAL(fl_param_range(cJSON_GetObjectItem(j, "r"), "r", 1, 10,
                                   &a, &b, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "r: must have lo <= hi");
    CU_ASSERT_EQUAL(fl_param_range(cJSON_GetObjectItem(j, "s"), "s", 1, 5,
                                   &a, &b, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "s: must be integers in [1, 5]");
    bool f = false;
    CU_ASSERT_EQUAL(fl_param_bool(cJSON_GetObjectItem(j, "t"), "t", &f, err,
                                  sizeof err), -1);
    static const char *const names[] = {"a", "b"};
    unsigned bits = 0;
    CU_ASSERT_EQUAL(fl_param_bugs(cJSON_GetObjectItem(j, "bugs"), names, 2,
                                  &bits, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "bugs: unknown bug \"zz\" (known: a, b)");
    bits = 0;
    CU_ASSERT_EQUAL(fl_param_bugs(cJSON_GetObjectItem(j, "ok"), names, 2,
                                  &bits, err, sizeof err), 0);
    CU_ASSERT_EQUAL(bits, 2u);
    CU_ASSERT_EQUAL(fl_param_object(NULL, err, sizeof err), 1);
    CU_ASSERT_EQUAL(fl_param_object(j, err, sizeof err), 0);
    CU_ASSERT_EQUAL(fl_param_object(cJSON_GetObjectItem(j, "m"), err,
                                    sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "params: must be an object");
    cJSON_Delete(j);
}

/* The codec's bytes are the network's and the disk's, and so the trace
 * hash's: little-endian whatever the host, and a short reader gives zeros
 * and `bad` without reading past the end. */
static void test_wire_layout(void)
{
    wire_buf b;
    wire_buf_init(&b);
    wire_put_u64(&b, UINT64_C(0x0102030405060708));
    wire_put_u32(&b, UINT32_C(0x0A0B0C0D));
    wire_put_i64(&b, -2);
    static const uint8_t want[] = {
        8, 7, 6, 5, 4, 3, 2, 1, 0x0D, 0x0C, 0x0B, 0x0A,
        0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
    CU_ASSERT_EQUAL_FATAL(b.len, sizeof want);
    CU_ASSERT_EQUAL(memcmp(b.data, want, sizeof want), 0);
    CU_ASSERT_EQUAL(wire_le_get64(want), UINT64_C(0x0102030405060708));
    CU_ASSERT_EQUAL(wire_le_get32(want + 8), UINT32_C(0x0A0B0C0D));
    uint8_t t[8];
    wire_le_put32(t, UINT32_C(0x11223344));
    CU_ASSERT(t[0] == 0x44 && t[3] == 0x11);

    wire_reader r;
    wire_reader_init(&r, b.data, b.len - 1);       /* one byte short */
    CU_ASSERT_EQUAL(wire_get_u64(&r), UINT64_C(0x0102030405060708));
    CU_ASSERT_EQUAL(wire_get_u32(&r), UINT32_C(0x0A0B0C0D));
    CU_ASSERT_EQUAL(wire_reader_left(&r), 7);
    CU_ASSERT_FALSE(r.bad);
    CU_ASSERT_EQUAL(wire_get_i64(&r), 0);           /* short: zero, bad */
    CU_ASSERT_TRUE(r.bad);
    CU_ASSERT_EQUAL(wire_reader_left(&r), 7);       /* nothing consumed */
    CU_ASSERT_EQUAL(wire_get_u8(&r), 0);            /* stays bad */
    wire_buf_free(&b);
}

int main(void)
{
    static const fl_cu_test kvsm[] = {
        {"sessions dedup retries", test_kvsm_sessions},
        {"checkpoint round trip, malformed refused", test_kvsm_checkpoint},
        {NULL, NULL}};
    static const fl_cu_test params[] = {
        {"ints, ranges, bools, bugs", test_params},
        {NULL, NULL}};
    static const fl_cu_test wire[] = {
        {"little-endian layout, short reader", test_wire_layout},
        {NULL, NULL}};
    static const fl_cu_suite suites[] = {
        {"kvsm", kvsm}, {"params", params}, {"wire", wire}, {NULL, NULL}};
    return fl_cu_main(suites);
}
