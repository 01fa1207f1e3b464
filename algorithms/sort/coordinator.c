/* coordinator.c — the sample sort's coordinator: generates the input,
 * keeps it and the assignment durable on its disk, picks the splitters,
 * watches the workers (heartbeats, a timeout, incarnations), reassigns the
 * work of a lost worker, and collects the sorted buckets in order.
 *
 * Disk: "input" holds a header (magic, job, n, fingerprint) and the n
 * elements; "assign" holds two fixed-size slots, each a checksummed copy of
 * the assignment, written alternately so a torn write never destroys the
 * last good copy. Every change is synced before any worker hears of it. */
#include "algorithms/sort/sort.h"
#include "algorithms/wire/wire.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SORT_INPUT_MAGIC  UINT64_C(0x31304e4954524f53)   /* "SORTIN01" */
#define SORT_ASSIGN_MAGIC UINT32_C(0x53534131)
#define SORT_SLOT_SIZE    4096u
#define SORT_INPUT_HDR    32u

/* ---- Sending ---------------------------------------------------------------- */

static void coord_send(fl_ctx *ctx, sort_coord *c, fl_node_id to, const sort_buf *b,
                       size_t len)
{
    if (!len)
        return;
    fl_send(ctx, to, b->p, len);
    c->bytes_sent += len;
}

static void coord_send_assign(fl_ctx *ctx, sort_coord *c, uint32_t w)
{
    sort_buf b = { 0 };
    coord_send(ctx, c, c->workers[w], &b, sort_enc_assign(&b, &c->as));
    sort_buf_free(&b);
    c->assign_sent[w] = fl_now(ctx);
}

static void coord_send_data(fl_ctx *ctx, sort_coord *c, fl_node_id to, uint8_t type,
                            uint32_t a, uint32_t b2, uint32_t c3,
                            const uint64_t *elems, uint64_t count)
{
    sort_buf b = { 0 };
    sort_hdr h = { .type = type, .job = c->as.job, .a = a, .b = b2, .c = c3,
                   .count = count };
    coord_send(ctx, c, to, &b, sort_enc_data(&b, &h, elems));
    sort_buf_free(&b);
}

static uint64_t slice_begin(const sort_coord *c, uint32_t i)
{
    return c->as.n * i / c->as.nw;
}

static void coord_send_slice(fl_ctx *ctx, sort_coord *c, uint32_t i)
{
    uint64_t lo = slice_begin(c, i), hi = slice_begin(c, i + 1);
    coord_send_data(ctx, c, c->workers[c->as.slice_owner[i]], SORT_M_SLICE, i,
                    c->as.slice_attempt[i], c->as.version, c->input + lo, hi - lo);
    c->slice_sent[i] = fl_now(ctx);
}

/* ---- The durable assignment ------------------------------------------------------ */

/* A little-endian reader over a buffer already known to be long enough. */
typedef struct sort_rd_le {
    const uint8_t *p;
    size_t         at;
} sort_rd_le;

static uint64_t rd_le(sort_rd_le *r, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r->p[r->at + (size_t)i] << (8 * i);
    r->at += (size_t)bytes;
    return v;
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    return wire_fnv(WIRE_FNV_OFFSET, p, n);
}

/* Writes the assignment to the next slot and syncs. Messages sent after
 * this leave only once the sync completes, so no worker ever acts on an
 * assignment the coordinator could forget. */
static void coord_persist(fl_ctx *ctx, sort_coord *c)
{
    uint64_t seq = ++c->seq;
    sort_buf body = { 0 }, rec = { 0 };
    sort_enc_assign(&body, &c->as);
    for (uint32_t w = 0; w < SORT_MAX_WORKERS; w++)
        sort_put_u32(&body, c->incarnation[w]);
    sort_put_u32(&body, c->reassigned);
    sort_put_u64(&body, seq);
    sort_put_u32(&rec, SORT_ASSIGN_MAGIC);
    sort_put_u32(&rec, (uint32_t)body.len);
    sort_put_u64(&rec, body.oom ? 0 : fnv1a(body.p, body.len));
    if (!body.oom && !rec.oom && body.len + 16 <= SORT_SLOT_SIZE) {
        uint8_t slot[SORT_SLOT_SIZE];
        memset(slot, 0, sizeof slot);
        memcpy(slot, rec.p, 16);
        memcpy(slot + 16, body.p, body.len);
        if (fl_disk_write(ctx, "assign", (seq % 2) * SORT_SLOT_SIZE, slot,
                          sizeof slot) < 0)
            fl_log(ctx, "cannot write the assignment");
        fl_disk_sync(ctx);
    } else {
        fl_log(ctx, "out of memory writing the assignment");
    }
    sort_buf_free(&body);
    sort_buf_free(&rec);
}

/* Reads one slot; its sequence number, or 0 if the slot is not valid. */
static uint64_t coord_read_slot(fl_ctx *ctx, uint32_t k, sort_assign *a,
                                uint32_t *inc, uint32_t *reassigned)
{
    uint8_t slot[SORT_SLOT_SIZE];
    if (fl_disk_read(ctx, "assign", (uint64_t)k * SORT_SLOT_SIZE, slot, sizeof slot) !=
        (int64_t)sizeof slot)
        return 0;
    sort_rd_le r = { slot, 0 };
    uint32_t magic = (uint32_t)rd_le(&r, 4), len = (uint32_t)rd_le(&r, 4);
    uint64_t sum = rd_le(&r, 8);
    size_t tail = SORT_MAX_WORKERS * 4 + 4 + 8;
    if (magic != SORT_ASSIGN_MAGIC || len > SORT_SLOT_SIZE - 16 || len < tail ||
        fnv1a(slot + 16, len) != sum)
        return 0;
    size_t alen = len - tail;
    if (!sort_dec_assign(slot + 16, alen, a))
        return 0;
    r.at = 16 + alen;
    for (uint32_t w = 0; w < SORT_MAX_WORKERS; w++)
        inc[w] = (uint32_t)rd_le(&r, 4);
    *reassigned = (uint32_t)rd_le(&r, 4);
    return rd_le(&r, 8);
}

/* The newer valid slot; false if neither is valid. */
static bool coord_load_assign(fl_ctx *ctx, sort_coord *c)
{
    sort_assign a[2];
    uint32_t inc[2][SORT_MAX_WORKERS], re[2];
    uint64_t s0 = coord_read_slot(ctx, 0, &a[0], inc[0], &re[0]);
    uint64_t s1 = coord_read_slot(ctx, 1, &a[1], inc[1], &re[1]);
    if (!s0 && !s1)
        return false;
    int k = s1 > s0 ? 1 : 0;
    c->as = a[k];
    memcpy(c->incarnation, inc[k], sizeof c->incarnation);
    c->reassigned = re[k];
    c->seq = k ? s1 : s0;
    return true;
}

/* The input file: header, then the elements. */
static void coord_persist_input(fl_ctx *ctx, sort_coord *c)
{
    sort_buf b = { 0 };
    for (uint64_t i = 0; i < c->as.n; i++)
        sort_put_u64(&b, c->input[i]);
    sort_buf h = { 0 };
    sort_put_u64(&h, SORT_INPUT_MAGIC);
    sort_put_u64(&h, c->as.job);
    sort_put_u64(&h, c->as.n);
    sort_put_u64(&h, c->in_hash);
    if (b.oom || h.oom ||
        fl_disk_write(ctx, "input", SORT_INPUT_HDR, b.p, b.len) < 0 ||
        fl_disk_write(ctx, "input", 0, h.p, h.len) < 0)
        fl_log(ctx, "cannot write the input");
    sort_buf_free(&b);
    sort_buf_free(&h);
}

static bool coord_load_input(fl_ctx *ctx, sort_coord *c)
{
    uint8_t hdr[SORT_INPUT_HDR];
    if (fl_disk_read(ctx, "input", 0, hdr, sizeof hdr) != (int64_t)sizeof hdr)
        return false;
    sort_rd_le r = { hdr, 0 };
    uint64_t magic = rd_le(&r, 8), job = rd_le(&r, 8), n = rd_le(&r, 8);
    uint64_t fp = rd_le(&r, 8);
    if (magic != SORT_INPUT_MAGIC || job != c->as.job || n != c->as.n ||
        n > SORT_MAX_KEYS)
        return false;
    uint8_t *raw = malloc((size_t)(n ? n : 1) * 8);
    c->input = sort_alloc(n);
    if (!raw || !c->input ||
        fl_disk_read(ctx, "input", SORT_INPUT_HDR, raw, (size_t)n * 8) != (int64_t)n * 8) {
        free(raw);
        free(c->input);
        c->input = NULL;
        return false;
    }
    uint64_t h = 0;
    for (uint64_t i = 0; i < n; i++) {
        c->input[i] = sort_elem_at(raw, i);
        h += sort_key_hash(sort_elem_key(c->input[i]));
    }
    free(raw);
    c->in_hash = fp;
    return h == fp;
}

/* ---- Generating the input ---------------------------------------------------------- */

static uint32_t coord_gen_key(fl_ctx *ctx, const sort_params *p, uint64_t i)
{
    switch (p->dist) {
    case SORT_DIST_ZIPF: {
        /* log-uniform rank in [1, 65536): density ~ 1/k, Zipf with s = 1 */
        double u = (double)(fl_random(ctx) >> 11) * 0x1.0p-53;
        double k = floor(exp(u * log(65536.0)));
        return k < 1.0 ? 1u : k > 65535.0 ? 65535u : (uint32_t)k;
    }
    case SORT_DIST_SORTED:
        return (uint32_t)((i << 32) / (uint64_t)p->keys);
    case SORT_DIST_DUPLICATES:
        return (uint32_t)fl_random_between(ctx, 0, 15);
    case SORT_DIST_UNIFORM:
    default:
        return (uint32_t)fl_random(ctx);
    }
}

static int coord_generate(fl_ctx *ctx, sort_coord *c)
{
    uint64_t n = (uint64_t)c->p.keys;
    free(c->input);
    c->input = sort_alloc(n);
    if (!c->input)
        return -1;
    c->in_hash = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t k = coord_gen_key(ctx, &c->p, i);
        c->input[i] = (uint64_t)k << 32 | i;
        c->in_hash += sort_key_hash(k);
    }
    memset(&c->as, 0, sizeof c->as);
    c->as.job = fl_random(ctx) | 1;
    c->as.epoch = 1;
    c->as.version = 1;
    c->as.n = n;
    c->as.nw = c->nw;
    for (uint32_t i = 0; i < c->nw; i++) {
        c->as.slice_owner[i] = (uint8_t)i;
        c->as.bucket_owner[i] = (uint8_t)i;
        c->as.slice_attempt[i] = 1;
        c->as.bucket_attempt[i] = 1;
    }
    memset(c->incarnation, 0, sizeof c->incarnation);
    c->reassigned = 0;
    c->seq = 0;
    fl_log(ctx, "job %016" PRIx64 ": %" PRIu64 " %s keys over %u workers", c->as.job, n,
           sort_dist_name(c->p.dist), c->nw);
    return 0;
}

/* ---- Commit: persist, then tell the workers ------------------------------------- */

static uint64_t all_mask(uint32_t nw)
{
    return nw >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << nw) - 1;
}

static void coord_commit(fl_ctx *ctx, sort_coord *c)
{
    if (!c->dirty)
        return;
    c->dirty = false;
    coord_persist(ctx, c);
    if (c->bcast_version == c->as.version)
        return;
    c->bcast_version = c->as.version;
    for (uint32_t w = 0; w < c->nw; w++)
        if (!c->dead[w])
            coord_send_assign(ctx, c, w);
}

/* ---- Failures: move a worker's work to live workers -------------------------------- */

static bool coord_live(const sort_coord *c, uint32_t w, fl_time now)
{
    return !c->dead[w] && now - c->last_heard[w] <= FL_MS(c->p.worker_timeout_ms);
}

static int coord_next_live(sort_coord *c, uint32_t except, fl_time now)
{
    for (uint32_t k = 0; k < c->nw; k++) {
        uint32_t w = (c->rr + k) % c->nw;
        if (w != except && coord_live(c, w, now)) {
            c->rr = (w + 1) % c->nw;
            return (int)w;
        }
    }
    return -1;
}

/* Every slice and every bucket of worker `w` gets a new owner
 * and a new attempt, so anything the old owner still sends is stale. */
static void coord_reassign(fl_ctx *ctx, sort_coord *c, uint32_t w, const char *why)
{
    fl_time now = fl_now(ctx);
    /* BUG no-reassign: a lost worker's work waits for it forever. */
    if (c->done || sort_bug_on(&c->p, SORT_BUG_NO_REASSIGN))
        return;
    bool any = false;
    for (uint32_t i = 0; i < c->nw; i++) {
        uint64_t bit = UINT64_C(1) << i;
        if (c->as.slice_owner[i] != w || (c->as.lost_mask & bit))
            continue;
        if (sort_bug_on(&c->p, SORT_BUG_LOST_PARTITION)) {
            /* BUG: the slice is given up instead of being sent again from
             * the durable copy: its elements never reach the output. */
            c->as.lost_mask |= bit;
            any = true;
            continue;
        }
        int to = coord_next_live(c, w, now);
        if (to < 0)
            break;
        c->as.slice_owner[i] = (uint8_t)to;
        c->as.slice_attempt[i]++;
        c->slice_sent[i] = INT64_MIN / 2;
        c->reassigned++;
        any = true;
        fl_log(ctx, "slice %u: worker %u -> %d (%s)", i, w, to, why);
    }
    /* Buckets already collected move too: the collected copy is only in
     * memory, and if this coordinator restarts it must ask a live owner. */
    for (uint32_t j = 0; j < c->nw; j++) {
        if (c->as.bucket_owner[j] != w)
            continue;
        int to = coord_next_live(c, w, now);
        if (to < 0)
            break;
        c->as.bucket_owner[j] = (uint8_t)to;
        c->as.bucket_attempt[j]++;
        c->reassigned++;
        any = true;
        fl_log(ctx, "bucket %u: worker %u -> %d (%s)", j, w, to, why);
    }
    if (any) {
        c->as.version++;
        c->dirty = true;
    }
}

/* ---- Splitters and results ------------------------------------------------------------ */

static void coord_try_split(fl_ctx *ctx, sort_coord *c)
{
    uint64_t need = all_mask(c->nw) & ~c->as.lost_mask;
    if (c->as.have_splitters || (c->sampled_mask & need) != need || !need)
        return;
    uint64_t total = 0;
    uint32_t first = (uint32_t)__builtin_ctzll(need);
    for (uint32_t i = 0; i < c->nw; i++)
        if (need >> i & 1)
            total += c->nsamples[i];
    uint64_t *all = sort_alloc(total);
    if (!all)
        return;
    uint64_t m = 0;
    for (uint32_t i = 0; i < c->nw; i++) {
        /* BUG one-sample: only the first slice's sample is used, so the
         * splitters describe that slice, not the whole input. */
        bool use = sort_bug_on(&c->p, SORT_BUG_ONE_SAMPLE) ? i == first : (need >> i & 1);
        if (use) {
            memcpy(all + m, c->samples[i], (size_t)c->nsamples[i] * sizeof *all);
            m += c->nsamples[i];
        }
    }
    sort_u64_sort(all, (size_t)m);
    for (uint32_t k = 0; k + 1 < c->nw; k++)
        c->as.splitters[k] = m ? all[(uint64_t)(k + 1) * m / c->nw] : 0;
    free(all);
    for (uint32_t i = 0; i < c->nw; i++) {
        free(c->samples[i]);
        c->samples[i] = NULL;
    }
    c->as.have_splitters = true;
    c->as.version++;
    c->dirty = true;
    fl_log(ctx, "splitters chosen from %" PRIu64 " samples", m);
}

static void coord_finish(fl_ctx *ctx, sort_coord *c)
{
    uint64_t total = 0;
    for (uint32_t j = 0; j < c->nw; j++)
        total += c->result_len[j];
    c->output = sort_alloc(total);
    if (!c->output)
        return;
    uint64_t at = 0;
    for (uint32_t j = 0; j < c->nw; j++) {
        memcpy(c->output + at, c->result[j], (size_t)c->result_len[j] * sizeof *c->output);
        at += c->result_len[j];
        free(c->result[j]);
        c->result[j] = NULL;
    }
    c->out_len = total;
    c->done = true;
    fl_log(ctx, "done: %" PRIu64 " keys in order", total);
}

/* Appends an answer's elements to what bucket j holds (nothing, but with
 * dup-on-retry). False when out of memory. */
static bool coord_keep(sort_coord *c, uint32_t j, const sort_hdr *h,
                       const uint8_t *elems)
{
    uint64_t had = c->result_len[j];
    uint64_t *r = c->result[j] ? realloc(c->result[j], (size_t)(had + h->count + 1) *
                                                       sizeof *r)
                               : sort_alloc(h->count);
    if (!r)
        return false;
    for (uint64_t i = 0; i < h->count; i++)
        r[had + i] = sort_elem_at(elems, i);
    c->result[j] = r;
    c->result_len[j] = had + h->count;
    c->collected += h->count;
    if (c->result_len[j] > c->max_bucket)
        c->max_bucket = c->result_len[j];
    return true;
}

static void coord_on_result(fl_ctx *ctx, sort_coord *c, fl_node_id from, const sort_hdr *h,
                            const uint8_t *elems)
{
    uint32_t j = h->a;
    if (j >= c->nw)
        return;
    /* BUG dup-on-retry: a straggler's answer under a superseded attempt
     * (the bucket was retried on another worker) is kept as well, and
     * merged with the new owner's answer. */
    bool late = h->b < c->as.bucket_attempt[j] &&
                sort_bug_on(&c->p, SORT_BUG_DUP_ON_RETRY);
    if (h->b != c->as.bucket_attempt[j] && !late)
        return;   /* stale: the bucket moved on */
    coord_send_data(ctx, c, from, SORT_M_RESULT_ACK, j, h->b, 0, NULL, 0);
    if (c->done)
        return;
    if (late) {
        coord_keep(c, j, h, elems);
        return;
    }
    if (c->as.done_mask >> j & 1 || !coord_keep(c, j, h, elems))
        return;
    c->as.done_mask |= UINT64_C(1) << j;
    if (c->as.done_mask == all_mask(c->nw))
        coord_finish(ctx, c);
}

static void coord_on_sample(fl_ctx *ctx, sort_coord *c, const sort_hdr *h,
                            const uint8_t *elems)
{
    uint32_t i = h->a;
    if (i >= c->nw || c->as.have_splitters || (c->sampled_mask >> i & 1) ||
        (c->as.lost_mask >> i & 1))
        return;
    c->samples[i] = sort_alloc(h->count);
    if (!c->samples[i])
        return;
    for (uint64_t k = 0; k < h->count; k++)
        c->samples[i][k] = sort_elem_at(elems, k);
    c->nsamples[i] = h->count;
    c->sampled_mask |= UINT64_C(1) << i;
    coord_try_split(ctx, c);
}

/* ---- Heartbeats ------------------------------------------------------------------------- */

static int coord_worker_index(const sort_coord *c, fl_node_id node)
{
    for (uint32_t w = 0; w < c->nw; w++)
        if (c->workers[w] == node)
            return (int)w;
    return -1;
}

static void coord_on_beat(fl_ctx *ctx, sort_coord *c, uint32_t w, const sort_beat *b)
{
    fl_time now = fl_now(ctx);
    c->last_heard[w] = now;
    if (c->dead[w]) {
        c->dead[w] = false;   /* back (a healed partition): it owns nothing now */
        fl_log(ctx, "worker %u is back", w);
    }
    if (b->incarnation != c->incarnation[w]) {
        bool restarted = c->incarnation[w] != 0;
        c->incarnation[w] = b->incarnation;
        c->inc_dirty = true;   /* batched: persisted on the next tick */
        if (restarted)
            coord_reassign(ctx, c, w, "restarted: its memory is gone");
    }
    bool current = b->job == c->as.job;
    c->seen_version[w] = current ? b->version : 0;
    c->have[w] = current ? b->have_slices : 0;
    c->stage[w] = (uint8_t)b->stage;
    c->wkeys[w] = b->bucket_keys;
    fl_time retry = FL_MS(c->p.retry_ms);
    if (c->seen_version[w] != c->as.version && now - c->assign_sent[w] >= retry)
        coord_send_assign(ctx, c, w);
    for (uint32_t i = 0; i < c->nw && current; i++)
        if (c->as.slice_owner[i] == w && !(c->as.lost_mask >> i & 1) &&
            !(c->have[w] >> i & 1) && now - c->slice_sent[i] >= retry)
            coord_send_slice(ctx, c, i);
}

/* ---- Role handlers ----------------------------------------------------------------------- */

int sort_coord_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    sort_coord *c = state;
    char err[160];
    if (sort_params_parse(params, &c->p, err, sizeof err) < 0) {
        fl_log(ctx, "bad params: %s", err);
        return -1;
    }
    c->self = fl_self(ctx);
    size_t nw = fl_nodes(ctx, FL_SORT_ROLE_WORKER, &c->workers);
    if (nw == 0 || nw > SORT_MAX_WORKERS) {
        fl_log(ctx, "the sort needs 1..%d workers (got %zu)", SORT_MAX_WORKERS, nw);
        return -1;
    }
    c->nw = (uint32_t)nw;
    return 0;
}

void sort_coord_start(fl_ctx *ctx, void *state, bool recovering)
{
    sort_coord *c = state;
    fl_time now = fl_now(ctx);
    bool loaded = recovering && coord_load_assign(ctx, c) && c->as.nw == c->nw &&
                  coord_load_input(ctx, c);
    if (loaded) {
        /* Results were in memory only: ask for them again under a new
         * version, and give every worker a full timeout to be heard. */
        c->as.epoch++;
        c->as.version++;
        c->as.done_mask = 0;
        fl_log(ctx, "recovered job %016" PRIx64 " from disk (epoch %u, version %u)",
               c->as.job, c->as.epoch, c->as.version);
    } else if (coord_generate(ctx, c) < 0) {
        fl_log(ctx, "out of memory generating the input");
        return;
    } else {
        coord_persist_input(ctx, c);
    }
    for (uint32_t w = 0; w < c->nw; w++) {
        c->last_heard[w] = now;
        c->assign_sent[w] = INT64_MIN / 2;
    }
    for (uint32_t i = 0; i < c->nw; i++)
        c->slice_sent[i] = INT64_MIN / 2;
    c->dirty = true;
    coord_commit(ctx, c);
    fl_set_timer(ctx, FL_MS(c->p.heartbeat_ms), FL_TIMER_HEARTBEAT, 0);
}

void sort_coord_message(fl_ctx *ctx, void *state, fl_node_id from,
                        const void *msg, size_t len)
{
    sort_coord *c = state;
    int w = coord_worker_index(c, from);
    if (w < 0 || !c->input)
        return;
    int t = sort_msg_type_of(msg, len);
    if (t == SORT_M_HEARTBEAT) {
        sort_beat b;
        if (sort_dec_beat(msg, len, &b))
            coord_on_beat(ctx, c, (uint32_t)w, &b);
    } else {
        sort_hdr h;
        const uint8_t *elems;
        if (!sort_dec_data(msg, len, &h, &elems) || h.job != c->as.job)
            return;   /* malformed, or another job's */
        if (t == SORT_M_SAMPLE)
            coord_on_sample(ctx, c, &h, elems);
        else if (t == SORT_M_RESULT)
            coord_on_result(ctx, c, from, &h, elems);
    }
    coord_commit(ctx, c);
}

void sort_coord_timer(fl_ctx *ctx, void *state, fl_timer_kind kind, uint64_t cookie)
{
    sort_coord *c = state;
    (void)kind;
    (void)cookie;
    fl_time now = fl_now(ctx);
    for (uint32_t w = 0; w < c->nw && c->input; w++) {
        if (c->dead[w]) {
            /* Work that found no live worker when its owner died (all were
             * silent then) moves as soon as one is back. */
            coord_reassign(ctx, c, w, "its owner is dead");
            continue;
        }
        if (now - c->last_heard[w] <= FL_MS(c->p.worker_timeout_ms))
            continue;
        c->dead[w] = true;
        c->stage[w] = SORT_ST_IDLE;
        fl_log(ctx, "worker %u silent for %" PRId64 " ms: declared dead", w,
               (now - c->last_heard[w]) / 1000000);
        coord_reassign(ctx, c, w, "timeout");
    }
    if (c->inc_dirty) {
        c->inc_dirty = false;
        c->dirty = true;
    }
    coord_commit(ctx, c);
    fl_set_timer(ctx, FL_MS(c->p.heartbeat_ms), FL_TIMER_HEARTBEAT, 0);
}

/* ---- What it shows ------------------------------------------------------------------------- */

static const char *coord_phase(const sort_coord *c)
{
    if (c->done)
        return FL_SORT_LABEL_DONE;
    if (!c->input)
        return "generate";
    if (c->as.done_mask)
        return "collect";
    if (c->as.have_splitters)
        return "exchange";
    uint64_t need = all_mask(c->nw) & ~c->as.lost_mask;
    for (uint32_t i = 0; i < c->nw; i++)
        if ((need >> i & 1) && !(c->have[c->as.slice_owner[i]] >> i & 1))
            return "distribute";
    return "sample";
}

static void add_scalar(fl_view *v, const char *name, int64_t value)
{
    if (v->nscalars < FL_VIEW_MAX_SCALARS)
        v->scalars[v->nscalars++] = (fl_view_scalar){ name, value };
}

/* Views: kind leader, term = epoch, label = phase; per worker node:
 * match = stage (sort_stage), next = elements in its buckets, votes = 1
 * alive / 0 declared dead. Output entries 0..n-1 once done (term = key,
 * command = element). Scalars: n, in_hash (the input's fingerprint),
 * version, buckets_done, reassigned, max_bucket, collected, bytes. */
void sort_coord_inspect(const void *state, fl_view *v)
{
    const sort_coord *c = state;
    v->kind = FL_VIEW_LEADER;
    v->label = coord_phase(c);
    v->term = c->as.epoch;
    v->leader = c->self;
    if (c->done && c->out_len) {
        v->log_first = 0;
        v->log_last = (int64_t)c->out_len - 1;
        v->commit = v->log_last;
    }
    v->applied = (int64_t)c->collected;
    for (uint32_t w = 0; w < c->nw; w++) {
        size_t id = (size_t)c->workers[w];
        if (id >= v->npeers)
            continue;
        v->match[id] = c->stage[w];
        v->next[id] = (int64_t)c->wkeys[w];
        v->votes[id] = c->dead[w] ? 0 : 1;
    }
    add_scalar(v, FL_SORT_SCALAR_N, (int64_t)c->as.n);
    add_scalar(v, FL_SORT_SCALAR_IN_HASH, (int64_t)c->in_hash);
    add_scalar(v, "version", c->as.version);
    add_scalar(v, "buckets_done", __builtin_popcountll(c->as.done_mask));
    add_scalar(v, "reassigned", c->reassigned);
    add_scalar(v, "max_bucket", (int64_t)c->max_bucket);
    add_scalar(v, "collected", (int64_t)c->collected);
    add_scalar(v, "bytes", (int64_t)c->bytes_sent);
}

bool sort_coord_entry(const void *state, int64_t index, fl_view_entry *out)
{
    const sort_coord *c = state;
    if (!c->done || index < 0 || (uint64_t)index >= c->out_len)
        return false;
    uint64_t e = c->output[index];
    out->term = sort_elem_key(e);
    out->command = e;
    out->chain = 0;
    out->committed = true;
    out->durable = false;
    return true;
}

void sort_coord_destroy(void *state)
{
    sort_coord *c = state;
    free(c->input);
    free(c->output);
    for (uint32_t i = 0; i < SORT_MAX_WORKERS; i++) {
        free(c->samples[i]);
        free(c->result[i]);
    }
}
