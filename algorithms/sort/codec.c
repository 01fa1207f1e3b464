/* codec.c — the sample sort's wire format: little-endian fixed-width
 * fields, so a message means the same on every host. Layouts:
 *
 *   ASSIGN     type job epoch version n nw lost done splitters?
 *              slice_owner[nw] bucket_owner[nw] slice_attempt[nw]
 *              bucket_attempt[nw] splitters[nw-1]
 *   HEARTBEAT  type job incarnation version have_slices stage bucket_keys
 *   others     type job a b c count elements[count], where (a, b, c) is
 *              SLICE (slice, attempt, version), SAMPLE (slice, attempt, 0),
 *              PIECE and PIECE_ACK (slice, bucket, bucket attempt),
 *              RESULT and RESULT_ACK (bucket, attempt, 0). */
#include "algorithms/sort/sort.h"

#include <stdlib.h>
#include <string.h>

void sort_buf_free(sort_buf *b)
{
    free(b->p);
    *b = (sort_buf){ 0 };
}

static void sort_put(sort_buf *b, const uint8_t *bytes, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, bytes, n);
    b->len += n;
}

void sort_put_u8(sort_buf *b, uint8_t v)
{
    sort_put(b, &v, 1);
}

void sort_put_u32(sort_buf *b, uint32_t v)
{
    uint8_t x[4];
    for (int i = 0; i < 4; i++)
        x[i] = (uint8_t)(v >> (8 * i));
    sort_put(b, x, 4);
}

void sort_put_u64(sort_buf *b, uint64_t v)
{
    uint8_t x[8];
    for (int i = 0; i < 8; i++)
        x[i] = (uint8_t)(v >> (8 * i));
    sort_put(b, x, 8);
}

/* A bounds-checked reader. */
typedef struct sort_rd {
    const uint8_t *p;
    size_t         len, at;
    bool           bad;
} sort_rd;

static uint64_t sort_get(sort_rd *r, int bytes)
{
    if (r->bad || r->len - r->at < (size_t)bytes) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r->p[r->at + (size_t)i] << (8 * i);
    r->at += (size_t)bytes;
    return v;
}

uint64_t sort_elem_at(const uint8_t *elems, uint64_t i)
{
    uint64_t v = 0;
    for (int k = 0; k < 8; k++)
        v |= (uint64_t)elems[i * 8 + (uint64_t)k] << (8 * k);
    return v;
}

int sort_msg_type_of(const void *msg, size_t len)
{
    return len ? ((const uint8_t *)msg)[0] : -1;
}

size_t sort_enc_assign(sort_buf *b, const sort_assign *a)
{
    b->len = 0;
    sort_put_u8(b, SORT_M_ASSIGN);
    sort_put_u64(b, a->job);
    sort_put_u32(b, a->epoch);
    sort_put_u32(b, a->version);
    sort_put_u64(b, a->n);
    sort_put_u32(b, a->nw);
    sort_put_u64(b, a->lost_mask);
    sort_put_u64(b, a->done_mask);
    sort_put_u8(b, a->have_splitters);
    for (uint32_t i = 0; i < a->nw; i++)
        sort_put_u8(b, a->slice_owner[i]);
    for (uint32_t i = 0; i < a->nw; i++)
        sort_put_u8(b, a->bucket_owner[i]);
    for (uint32_t i = 0; i < a->nw; i++)
        sort_put_u32(b, a->slice_attempt[i]);
    for (uint32_t i = 0; i < a->nw; i++)
        sort_put_u32(b, a->bucket_attempt[i]);
    for (uint32_t i = 0; i + 1 < a->nw; i++)
        sort_put_u64(b, a->splitters[i]);
    return b->oom ? 0 : b->len;
}

bool sort_dec_assign(const void *msg, size_t len, sort_assign *a)
{
    sort_rd r = { msg, len, 0, false };
    memset(a, 0, sizeof *a);
    if (sort_get(&r, 1) != SORT_M_ASSIGN)
        return false;
    a->job = sort_get(&r, 8);
    a->epoch = (uint32_t)sort_get(&r, 4);
    a->version = (uint32_t)sort_get(&r, 4);
    a->n = sort_get(&r, 8);
    a->nw = (uint32_t)sort_get(&r, 4);
    a->lost_mask = sort_get(&r, 8);
    a->done_mask = sort_get(&r, 8);
    a->have_splitters = sort_get(&r, 1) != 0;
    if (r.bad || a->nw == 0 || a->nw > SORT_MAX_WORKERS)
        return false;
    for (uint32_t i = 0; i < a->nw; i++)
        a->slice_owner[i] = (uint8_t)sort_get(&r, 1);
    for (uint32_t i = 0; i < a->nw; i++)
        a->bucket_owner[i] = (uint8_t)sort_get(&r, 1);
    for (uint32_t i = 0; i < a->nw; i++)
        a->slice_attempt[i] = (uint32_t)sort_get(&r, 4);
    for (uint32_t i = 0; i < a->nw; i++)
        a->bucket_attempt[i] = (uint32_t)sort_get(&r, 4);
    for (uint32_t i = 0; i + 1 < a->nw; i++)
        a->splitters[i] = sort_get(&r, 8);
    for (uint32_t i = 0; i < a->nw; i++)
        if (a->slice_owner[i] >= a->nw || a->bucket_owner[i] >= a->nw)
            return false;
    return !r.bad && r.at == len;
}

size_t sort_enc_data(sort_buf *b, const sort_hdr *h, const uint64_t *elems)
{
    b->len = 0;
    sort_put_u8(b, h->type);
    sort_put_u64(b, h->job);
    sort_put_u32(b, h->a);
    sort_put_u32(b, h->b);
    sort_put_u32(b, h->c);
    sort_put_u64(b, h->count);
    for (uint64_t i = 0; i < h->count; i++)
        sort_put_u64(b, elems[i]);
    return b->oom ? 0 : b->len;
}

bool sort_dec_data(const void *msg, size_t len, sort_hdr *h,
                   const uint8_t **elems)
{
    sort_rd r = { msg, len, 0, false };
    h->type = (uint8_t)sort_get(&r, 1);
    h->job = sort_get(&r, 8);
    h->a = (uint32_t)sort_get(&r, 4);
    h->b = (uint32_t)sort_get(&r, 4);
    h->c = (uint32_t)sort_get(&r, 4);
    h->count = sort_get(&r, 8);
    if (r.bad || h->type == SORT_M_ASSIGN || h->type == SORT_M_HEARTBEAT ||
        h->count > (len - r.at) / 8 || len - r.at != h->count * 8)
        return false;
    *elems = r.p + r.at;
    return true;
}

size_t sort_enc_beat(sort_buf *b, const sort_beat *beat)
{
    b->len = 0;
    sort_put_u8(b, SORT_M_HEARTBEAT);
    sort_put_u64(b, beat->job);
    sort_put_u32(b, beat->incarnation);
    sort_put_u32(b, beat->version);
    sort_put_u64(b, beat->have_slices);
    sort_put_u32(b, beat->stage);
    sort_put_u64(b, beat->bucket_keys);
    return b->oom ? 0 : b->len;
}

bool sort_dec_beat(const void *msg, size_t len, sort_beat *beat)
{
    sort_rd r = { msg, len, 0, false };
    if (sort_get(&r, 1) != SORT_M_HEARTBEAT)
        return false;
    beat->job = sort_get(&r, 8);
    beat->incarnation = (uint32_t)sort_get(&r, 4);
    beat->version = (uint32_t)sort_get(&r, 4);
    beat->have_slices = sort_get(&r, 8);
    beat->stage = (uint32_t)sort_get(&r, 4);
    beat->bucket_keys = sort_get(&r, 8);
    return !r.bad && r.at == len;
}
