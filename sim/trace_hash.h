/* trace_hash.h — the trace hash of one record, inline (sim/trace.c and
 * the network, sim/net.c, which hashes every message's records itself when
 * no file is written and no ring kept: the same values as fl_trace_record,
 * without a call per record). Engine-internal: include after
 * sim/engine_internal.h. */
#ifndef FL_TRACE_HASH_H
#define FL_TRACE_HASH_H

#include <stdint.h>
#include <string.h>

#include "sim/engine_internal.h"
#include "sim/trace.h"
#include "sim/util/hash.h"

/* The trace hash over compact records. Issue 18 changed it once, from a
 * chain of eight or more serial word mixes per record, whose latency
 * bounded a message's cost. A record is six fixed-width words
 *   w0 time            w1 node | peer << 32     w2 id
 *   w3 a               w4 b
 *   w5 type | payload? << 8 | text? << 9 | payload length << 10 (28 bits)
 *           | text length << 38 (26 bits)
 * mixed two by two, one 128-bit multiply each (fl_hash_mum; the three are
 * independent, so they run side by side), then the message bytes and the
 * text bytes sixteen at a time (fl_hash_stream); the record's value m
 * enters the running hash as h' = mum(h ^ m, K). Words are built as
 * integers and bytes read little-endian: the same value on every
 * platform. The start (FL_FNV_OFFSET) is fl_trace_init's. */
static const uint64_t th_key[11] = {
    UINT64_C(0x6505b761c562df2f), UINT64_C(0x19af76d6b5853817),
    UINT64_C(0x9708b370c9503175), UINT64_C(0xce4084a9bc9de13d),
    UINT64_C(0xe6ca37d12fd56a43), UINT64_C(0xb8f1498486d4e719),
    UINT64_C(0x693d11d0bea74021), UINT64_C(0xccc083f137697b9d),
    UINT64_C(0xd17538e7c0828ea3), UINT64_C(0x6358e498cac52de3),
    UINT64_C(0x89f3f81fc6c4c6af),
};

#if defined(__GNUC__)
#define TRACE_INLINE static inline __attribute__((always_inline))
#else
#define TRACE_INLINE static inline
#endif

/* Inlined into each of its callers: as a call with eleven arguments it
 * cost a quarter of its own work again. */
TRACE_INLINE uint64_t fl_trace_hash_record(uint64_t h, fl_time time, fl_trace_type type,
                                  fl_node_id node, fl_node_id peer, uint64_t id,
                                  int64_t a, int64_t b, const void *payload,
                                  size_t len, const char *text)
{
    size_t tlen = text ? strlen(text) : 0;
    uint64_t w1 = (uint64_t)(uint32_t)node | (uint64_t)(uint32_t)peer << 32;
    uint64_t w5 = (uint64_t)type | (uint64_t)(payload != NULL) << 8 |
                  (uint64_t)(text != NULL) << 9 | ((uint64_t)len & 0xfffffffu) << 10 |
                  ((uint64_t)tlen & 0x3ffffffu) << 38;
    uint64_t m = fl_hash_mum((uint64_t)time ^ th_key[0], w1 ^ th_key[1]) ^
                 fl_hash_mum(id ^ th_key[2], (uint64_t)a ^ th_key[3]) ^
                 fl_hash_mum((uint64_t)b ^ th_key[4], w5 ^ th_key[5]);
    if (payload && len)
        m = fl_hash_stream(m, payload, len, th_key[6], th_key[7]);
    if (tlen)
        m = fl_hash_stream(m, text, tlen, th_key[8], th_key[9]);
    return fl_hash_mum(h ^ m, th_key[10]);
}

/* What fl_trace_message does to the hash and the count for a message
 * record (never an end record), with no file and no ring. */
TRACE_INLINE void fl_trace_message_hash(fl_trace *t, fl_time time, fl_trace_type type,
                                        const struct fl_msg *m, const char *text)
{
    fl_node_id node = type == FL_TR_DELIVER ? m->to : m->from;
    fl_node_id peer = type == FL_TR_DELIVER ? m->from : m->to;
    t->hash = fl_trace_hash_record(t->hash, time, type, node, peer, m->id, m->channel,
                                   (int64_t)m->len, m->data, m->len, text);
    t->count++;
}

#endif
