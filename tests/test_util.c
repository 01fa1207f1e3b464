/* test_util.c — the utility room (sim/util/): the 64-bit hashes against
 * published and pinned values, the grow-by-doubling helper's capacities,
 * the whole-file reader's limits and errors, and the hash map. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/util/file.h"
#include "sim/util/hash.h"
#include "sim/util/idmap.h"
#include "sim/util/stats.h"
#include "sim/util/vec.h"
#include "tests/cu.h"

/* ---- hash ------------------------------------------------------------------------ */

static void test_fnv(void)
{
    /* published FNV-1a 64 test vectors */
    CU_ASSERT_EQUAL(fl_fnv1a(FL_FNV_OFFSET, "", 0), FL_FNV_OFFSET);
    CU_ASSERT_EQUAL(fl_fnv1a(FL_FNV_OFFSET, "a", 1), 0xaf63dc4c8601ec8cull);
    CU_ASSERT_EQUAL(fl_fnv1a(FL_FNV_OFFSET, "foobar", 6), 0x85944171f73967e8ull);
    CU_ASSERT_EQUAL(fl_fnv1a_str(FL_FNV_OFFSET, "foobar"), 0x85944171f73967e8ull);
    /* continuing from a prefix is the same as hashing the whole */
    CU_ASSERT_EQUAL(fl_fnv1a(fl_fnv1a(FL_FNV_OFFSET, "foo", 3), "bar", 3),
                    0x85944171f73967e8ull);
}

static void test_trace_mix(void)
{
    /* pinned: state and disk digests (sim/manual.c, sim/disk.c) are
     * folded with these (the trace hash was, until issue 18) */
    CU_ASSERT_EQUAL(fl_hash_u64(FL_FNV_OFFSET, 42), 0x77f69ad0cca7c25eull);
    CU_ASSERT_EQUAL(fl_hash_bytes(FL_FNV_OFFSET, "faultline", 9), 0xad241876a5148b5dull);
    /* the length is folded in: a trailing NUL is not nothing */
    CU_ASSERT_NOT_EQUAL(fl_hash_bytes(1, "ab", 2), fl_hash_bytes(1, "ab\0", 3));
}

/* The 128-bit product's halves XORed, by 32-bit limbs: what fl_hash_mum
 * must equal where the compiler has no 128-bit integer. */
static uint64_t mum_by_limbs(uint64_t a, uint64_t b)
{
    uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    return ((ll & 0xffffffffu) | (mid << 32)) ^ (hh + (lh >> 32) + (hl >> 32) + (mid >> 32));
}

static void test_trace_mum(void)
{
    /* pinned (computed apart, with Python's big integers): every trace
     * hash is built from these, so a change here changes every golden hash */
    CU_ASSERT_EQUAL(fl_hash_mum(0x0123456789abcdefull, 0xfedcba9876543210ull),
                    0x2317228f48165bb2ull);
    CU_ASSERT_EQUAL(fl_hash_mum(UINT64_MAX, UINT64_MAX), UINT64_MAX);
    CU_ASSERT_EQUAL(fl_hash_stream(FL_FNV_OFFSET, "faultline", 9, 1, 2),
                    0xa1bdca4d7b1ba8ccull);
    CU_ASSERT_EQUAL(fl_hash_stream(FL_FNV_OFFSET, "the quick brown fox", 19, 3, 5),
                    0xadef4e6ad39ce40eull);
    CU_ASSERT_EQUAL(fl_hash_stream(FL_FNV_OFFSET, "12345678", 8, 3, 5), 0xc2dc561870555577ull);
    CU_ASSERT_EQUAL(fl_hash_stream(77, "", 0, 3, 5), 77);
    /* the 128-bit product and the limbs agree, carries included */
    uint64_t x = 0x9e3779b97f4a7c15ull, bad = 0;
    for (int i = 0; i < 10000; i++) {
        uint64_t a = x, b = x * 0xbf58476d1ce4e5b9ull ^ (x >> 31);
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        if (i % 100 == 0)
            a |= 0xffffffff00000000ull;          /* carry-heavy inputs */
        bad += fl_hash_mum(a, b) != mum_by_limbs(a, b);
    }
    CU_ASSERT_EQUAL(bad, 0);
    /* a reference off by one carry is caught */
    CU_ASSERT_NOT_EQUAL(mum_by_limbs(UINT64_MAX, 3) ^ 1, fl_hash_mum(UINT64_MAX, 3));
}

/* ---- vec ------------------------------------------------------------------------- */

static void test_vec_grow(void)
{
    int *v = NULL;
    size_t cap = 0;
    CU_ASSERT_EQUAL_FATAL(fl_vec_grow(&v, &cap, 1, sizeof *v, 16), 0);
    CU_ASSERT_EQUAL(cap, 16);
    CU_ASSERT_EQUAL(fl_vec_grow(&v, &cap, 16, sizeof *v, 16), 0);
    CU_ASSERT_EQUAL(cap, 16);                    /* room enough: unchanged */
    CU_ASSERT_EQUAL_FATAL(fl_vec_grow(&v, &cap, 17, sizeof *v, 16), 0);
    CU_ASSERT_EQUAL(cap, 32);                    /* doubled */
    CU_ASSERT_EQUAL_FATAL(fl_vec_grow(&v, &cap, 200, sizeof *v, 16), 0);
    CU_ASSERT_EQUAL(cap, 256);                   /* doubled until it holds 200 */
    for (int i = 0; i < 200; i++)
        v[i] = i;                                /* ASan: all of it is ours */
    int *keep = v;
    CU_ASSERT_EQUAL(fl_vec_grow(&v, &cap, SIZE_MAX / 2, sizeof *v, 16), -1);
    CU_ASSERT_PTR_EQUAL(v, keep);                /* failure leaves it alone */
    CU_ASSERT_EQUAL(cap, 256);
    CU_ASSERT_EQUAL(v[199], 199);
    free(v);
}

/* ---- file ------------------------------------------------------------------------ */

static char *temp_file(const char *text, size_t len)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/fl-util-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    if (write(fd, text, len) != (ssize_t)len) {
        close(fd);
        return NULL;
    }
    close(fd);
    return path;
}

static void test_file_read_all(void)
{
    char big[70000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    char *path = temp_file(big, sizeof big);
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    char *buf;
    size_t len;
    CU_ASSERT_EQUAL_FATAL(fl_file_read_all(path, 0, &buf, &len), FL_FILE_OK);
    CU_ASSERT_EQUAL(len, sizeof big);
    CU_ASSERT(memcmp(buf, big, sizeof big) == 0);
    CU_ASSERT_EQUAL(buf[len], '\0');
    free(buf);
    CU_ASSERT_EQUAL(fl_file_read_all(path, sizeof big, &buf, &len), FL_FILE_OK);
    free(buf);
    CU_ASSERT_EQUAL(fl_file_read_all(path, sizeof big - 1, &buf, &len), FL_FILE_TOO_BIG);
    CU_ASSERT_PTR_NULL(buf);
    CU_ASSERT_EQUAL(len, sizeof big);            /* a regular file: its size */
    unlink(path);

    path = temp_file("", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    CU_ASSERT_EQUAL(fl_file_read_all(path, 10, &buf, &len), FL_FILE_OK);
    CU_ASSERT_EQUAL(len, 0);
    CU_ASSERT_PTR_NOT_NULL(buf);
    if (buf)
        CU_ASSERT_EQUAL(buf[0], '\0');
    free(buf);
    unlink(path);

    CU_ASSERT_EQUAL(fl_file_read_all("/nonexistent/fl-util", 0, &buf, &len), FL_FILE_OPEN);
    CU_ASSERT_EQUAL(errno, ENOENT);
    CU_ASSERT_EQUAL(fl_file_read_all("/tmp", 0, &buf, &len), FL_FILE_READ);
    CU_ASSERT_EQUAL(errno, EISDIR);
    CU_ASSERT_PTR_NULL(buf);
}

/* ---- idmap ----------------------------------------------------------------------- */

static void test_idmap(void)
{
    fl_idmap m;
    fl_idmap_init(&m);
    uint64_t v;
    CU_ASSERT_FALSE(fl_idmap_get(&m, 0, &v));
    CU_ASSERT_PTR_NULL(fl_idmap_slot(&m, 7, false));
    /* keys of every shape, 0 and all-ones included, through many rehashes */
    for (uint64_t i = 0; i < 5000; i++) {
        CU_ASSERT_EQUAL_FATAL(fl_idmap_put(&m, i << 20, i + 1), 0);
        CU_ASSERT_EQUAL_FATAL(fl_idmap_put(&m, UINT64_MAX - i, i + 2), 0);
    }
    CU_ASSERT_EQUAL(m.len, 10000);
    CU_ASSERT(m.cap >= 2 * m.len);
    for (uint64_t i = 0; i < 5000; i++) {
        CU_ASSERT_TRUE(fl_idmap_get(&m, i << 20, &v) && v == i + 1);
        CU_ASSERT_TRUE(fl_idmap_get(&m, UINT64_MAX - i, &v) && v == i + 2);
    }
    CU_ASSERT_FALSE(fl_idmap_get(&m, 1, &v));
    /* replace, and a slot inserted as 0 */
    CU_ASSERT_EQUAL(fl_idmap_put(&m, 0, 99), 0);
    CU_ASSERT_TRUE(fl_idmap_get(&m, 0, &v) && v == 99);
    uint64_t *s = fl_idmap_slot(&m, 3, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(*s, 0);
    *s = 5;
    CU_ASSERT_TRUE(fl_idmap_get(&m, 3, &v) && v == 5);
    CU_ASSERT_EQUAL(m.len, 10001);
    fl_idmap_destroy(&m);
    CU_ASSERT_EQUAL(m.cap, 0);

    /* reserved: no rehash, so slots stay put while inserting */
    fl_idmap_init(&m);
    CU_ASSERT_EQUAL_FATAL(fl_idmap_reserve(&m, 100), 0);
    size_t cap = m.cap;
    uint64_t *first = fl_idmap_slot(&m, 1, true);
    for (uint64_t k = 2; k <= 100; k++)
        CU_ASSERT_PTR_NOT_NULL(fl_idmap_slot(&m, k, true));
    CU_ASSERT_EQUAL(m.cap, cap);
    CU_ASSERT_PTR_EQUAL(fl_idmap_slot(&m, 1, false), first);
    fl_idmap_destroy(&m);
}

/* Deletion against a plain array: random puts and deletes over few keys
 * (long probe runs that wrap around the table), every key checked. */
static void test_idmap_del(void)
{
    enum { KEYS = 300, OPS = 20000 };
    static uint64_t want[KEYS];
    static bool present[KEYS];
    fl_idmap m;
    fl_idmap_init(&m);
    uint64_t x = 12345, v;
    CU_ASSERT_FALSE(fl_idmap_del(&m, 5));
    for (int op = 0; op < OPS; op++) {
        x = x * UINT64_C(6364136223846793005) + 1442695040888963407u;
        size_t k = (size_t)(x >> 33) % KEYS;
        uint64_t key = (uint64_t)k * UINT64_C(0x100000000) + (k & 7);
        if ((x >> 20) % 3 == 0) {
            CU_ASSERT_EQUAL(fl_idmap_del(&m, key), present[k]);
            present[k] = false;
        } else {
            want[k] = x;
            present[k] = true;
            CU_ASSERT_EQUAL_FATAL(fl_idmap_put(&m, key, x), 0);
        }
    }
    size_t n = 0;
    for (size_t k = 0; k < KEYS; k++) {
        uint64_t key = (uint64_t)k * UINT64_C(0x100000000) + (k & 7);
        bool got = fl_idmap_get(&m, key, &v);
        CU_ASSERT_EQUAL(got, present[k]);
        if (got && present[k])
            CU_ASSERT_EQUAL(v, want[k]);
        n += present[k];
    }
    CU_ASSERT_EQUAL(m.len, n);
    fl_idmap_destroy(&m);
}

/* Nearest rank: a sample that occurred, the smallest with at least p of
 * the samples at or below it. */
static void test_percentile(void)
{
    const int64_t v[] = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };
    CU_ASSERT_EQUAL(fl_percentile(v, 10, 500), 50);   /* not 55 */
    CU_ASSERT_EQUAL(fl_percentile(v, 10, 900), 90);
    CU_ASSERT_EQUAL(fl_percentile(v, 10, 901), 100);
    CU_ASSERT_EQUAL(fl_percentile(v, 10, 990), 100);
    CU_ASSERT_EQUAL(fl_percentile(v, 10, 0), 10);
    CU_ASSERT_EQUAL(fl_percentile(v, 10, 1000), 100);
    CU_ASSERT_EQUAL(fl_percentile(v, 10, 5000), 100);
    CU_ASSERT_EQUAL(fl_percentile(v, 1, 500), 10);
    const int64_t w[] = { 1, 2, 3 };
    CU_ASSERT_EQUAL(fl_percentile(w, 3, 500), 2);
    CU_ASSERT_EQUAL(fl_percentile(w, 3, 334), 2);
    CU_ASSERT_EQUAL(fl_percentile(w, 3, 333), 1);
}

static const fl_cu_test stats_tests[] = {
    { "nearest-rank percentiles", test_percentile },
    { NULL, NULL },
};

static const fl_cu_test hash_tests[] = {
    { "FNV-1a test vectors", test_fnv },
    { "the word mix is pinned", test_trace_mix },
    { "the trace hash's multiply mix: pinned, 128-bit = limbs", test_trace_mum },
    { NULL, NULL },
};
static const fl_cu_test vec_tests[] = {
    { "grow by doubling", test_vec_grow },
    { NULL, NULL },
};
static const fl_cu_test file_tests[] = {
    { "whole file, limits, errors", test_file_read_all },
    { NULL, NULL },
};
static const fl_cu_test idmap_tests[] = {
    { "put, get, slot, reserve", test_idmap },
    { "delete (backward shift)", test_idmap_del },
    { NULL, NULL },
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        { "util/hash", hash_tests },
        { "util/vec", vec_tests },
        { "util/file", file_tests },
        { "util/idmap", idmap_tests },
        { "util/stats", stats_tests },
        { NULL, NULL },
    };
    return fl_cu_main(suites);
}
