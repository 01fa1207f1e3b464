/* worker.c — a sample-sort worker: holds the slices it is assigned,
 * samples them, cuts them by the splitters and sends each piece to the
 * bucket's owner until acknowledged, collects the pieces of the buckets it
 * owns, sorts each (taking simulated CPU time) and sends it to the
 * coordinator until acknowledged. It keeps nothing on disk but a boot
 * counter (its incarnation), so a restarted worker is known to have lost
 * its memory. Everything it receives is checked against the job id and the
 * bucket's attempt: stale and duplicate messages change nothing. */
#include "algorithms/sort/sort.h"

#include <stdlib.h>
#include <string.h>

#define SORT_TIMER_TICK 0u
#define SORT_TIMER_SORT 1u

static const fl_time never = INT64_MIN / 2;

static uint64_t bit(uint32_t i)
{
    return UINT64_C(1) << i;
}

static uint64_t all_slices(const sort_worker *w)
{
    uint64_t all = w->as.nw >= 64 ? ~UINT64_C(0) : bit(w->as.nw) - 1;
    return all & ~w->as.lost_mask;
}

/* ---- Sending ---------------------------------------------------------------------- */

static void w_send_data(fl_ctx *ctx, sort_worker *w, fl_node_id to, uint8_t type,
                        uint32_t a, uint32_t b2, uint32_t c3, const uint64_t *elems,
                        uint64_t count)
{
    sort_buf b = { 0 };
    sort_hdr h = { .type = type, .job = w->as.job, .a = a, .b = b2, .c = c3,
                   .count = count };
    size_t len = sort_enc_data(&b, &h, elems);
    if (len) {
        fl_send(ctx, to, b.p, len);
        w->bytes_sent += len;
    }
    sort_buf_free(&b);
}

static sort_stage w_stage(const sort_worker *w);

static void w_send_beat(fl_ctx *ctx, sort_worker *w)
{
    sort_beat beat = { .job = w->have_assign ? w->as.job : 0,
                       .incarnation = w->incarnation,
                       .version = w->have_assign ? w->as.version : 0,
                       .stage = w_stage(w) };
    for (uint32_t i = 0; i < SORT_MAX_WORKERS; i++) {
        if (w->slice[i].held)
            beat.have_slices |= bit(i);
        if (w->bucket[i].attempt)
            beat.bucket_keys += w->bucket[i].len;
    }
    sort_buf b = { 0 };
    size_t len = sort_enc_beat(&b, &beat);
    if (len) {
        fl_send(ctx, w->coord, b.p, len);
        w->bytes_sent += len;
    }
    sort_buf_free(&b);
}

/* ---- Slices and buckets ------------------------------------------------------------- */

static void w_drop_slice(sort_slice *s)
{
    free(s->data);
    free(s->sample);
    memset(s, 0, sizeof *s);
}

static void w_drop_bucket(sort_bucket *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static void w_reset(sort_worker *w)
{
    for (uint32_t i = 0; i < SORT_MAX_WORKERS; i++) {
        w_drop_slice(&w->slice[i]);
        w_drop_bucket(&w->bucket[i]);
    }
    w->have_assign = false;
}

/* Sorts a held slice and finds where each bucket's piece begins. */
static void w_cut(sort_worker *w, sort_slice *s)
{
    if (s->cut || !s->held || !w->as.have_splitters)
        return;
    sort_u64_sort(s->data, (size_t)s->len);
    uint32_t nw = w->as.nw;
    s->off[0] = 0;
    uint64_t at = 0;
    for (uint32_t j = 1; j < nw; j++) {
        while (at < s->len &&
               (sort_bug_on(&w->p, SORT_BUG_TIE_BY_KEY)
                    ? sort_elem_key(s->data[at]) <
                      sort_elem_key(w->as.splitters[j - 1])
                    : s->data[at] < w->as.splitters[j - 1]))
            at++;
        s->off[j] = at;
    }
    s->off[nw] = s->len;
    s->cut = true;
}

static void w_start_sort(fl_ctx *ctx, sort_worker *w, uint32_t j)
{
    sort_bucket *b = &w->bucket[j];
    if (!b->attempt || b->sorting || b->sorted || !w->as.have_splitters)
        return;
    uint64_t need = all_slices(w);
    if ((b->recv & need) != need)
        return;
    b->sorting = true;
    /* The CPU time the local sort takes, under the cost model. */
    fl_set_timer(ctx, sort_cost(&w->p, b->len), FL_TIMER_OTHER,
                 (uint64_t)b->attempt << 32 | (uint64_t)j << 8 | SORT_TIMER_SORT);
}

static bool w_append(sort_bucket *b, const uint8_t *raw, const uint64_t *elems,
                     uint64_t count)
{
    if (b->len + count > b->cap) {
        uint64_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + count)
            cap *= 2;
        uint64_t *p = realloc(b->data, (size_t)cap * sizeof *p);
        if (!p)
            return false;
        b->data = p;
        b->cap = cap;
    }
    for (uint64_t k = 0; k < count; k++)
        b->data[b->len + k] = raw ? sort_elem_at(raw, k) : elems[k];
    b->len += count;
    return true;
}

/* A piece of slice `i` for bucket `j` under `attempt`. True if it is ours
 * (then the sender gets an ack), false if stale. */
static bool w_piece_in(fl_ctx *ctx, sort_worker *w, uint32_t i, uint32_t j,
                       uint32_t attempt, const uint8_t *raw, const uint64_t *elems,
                       uint64_t count)
{
    if (i >= w->as.nw || j >= w->as.nw || (w->as.lost_mask & bit(i)))
        return false;
    sort_bucket *b = &w->bucket[j];
    if (!b->attempt || b->attempt != attempt)
        return false;
    bool fresh = !(b->recv & bit(i));
    /* BUG count-duplicates: a piece delivered twice is stored twice. */
    bool take = fresh || (sort_bug_on(&w->p, SORT_BUG_COUNT_DUPLICATES) &&
                          !b->sorting && !b->sorted);
    if (take && !w_append(b, raw, elems, count))
        return false;
    b->recv |= bit(i);
    w_start_sort(ctx, w, j);
    return true;
}

/* ---- The pump: send whatever is due ------------------------------------------------- */

static void w_pump_slice(fl_ctx *ctx, sort_worker *w, uint32_t i, fl_time now)
{
    sort_slice *s = &w->slice[i];
    fl_time retry = FL_MS(w->p.retry_ms);
    if (!w->as.have_splitters) {
        if (now - s->sent_at >= retry) {
            w_send_data(ctx, w, w->coord, SORT_M_SAMPLE, i, w->as.slice_attempt[i], 0,
                        s->sample, s->nsample);
            s->sent_at = now;
        }
        return;
    }
    w_cut(w, s);
    bool due = now - s->sent_at >= retry, sent = false;
    for (uint32_t j = 0; j < w->as.nw; j++) {
        if ((s->acked & bit(j)) || (w->as.done_mask & bit(j)))
            continue;
        uint32_t owner = w->as.bucket_owner[j], att = w->as.bucket_attempt[j];
        const uint64_t *piece = s->data + s->off[j];
        uint64_t count = s->off[j + 1] - s->off[j];
        if (owner == w->me) {
            if (w_piece_in(ctx, w, i, j, att, NULL, piece, count))
                s->acked |= bit(j);
        } else if (due) {
            w_send_data(ctx, w, w->workers[owner], SORT_M_PIECE, i, j, att, piece, count);
            sent = true;
        }
    }
    if (sent)
        s->sent_at = now;
}

static void w_pump(fl_ctx *ctx, sort_worker *w)
{
    if (!w->have_assign)
        return;
    fl_time now = fl_now(ctx);
    for (uint32_t i = 0; i < w->as.nw; i++)
        if (w->slice[i].held)
            w_pump_slice(ctx, w, i, now);
    for (uint32_t j = 0; j < w->as.nw; j++) {
        sort_bucket *b = &w->bucket[j];
        if (!b->attempt || !b->sorted || b->acked ||
            now - b->sent_at < FL_MS(w->p.retry_ms))
            continue;
        w_send_data(ctx, w, w->coord, SORT_M_RESULT, j, b->attempt, 0, b->data, b->len);
        b->sent_at = now;
    }
}

/* ---- Messages ------------------------------------------------------------------------ */

/* A newer assignment: drop what moved away, start what moved here. */
static void w_on_assign(fl_ctx *ctx, sort_worker *w, const sort_assign *a)
{
    if (a->nw != w->nw)
        return;
    if (w->have_assign && a->job != w->as.job)
        w_reset(w);   /* the coordinator started a new job */
    if (w->have_assign && a->version <= w->as.version)
        return;       /* stale or already known */
    sort_assign old = w->as;
    bool had = w->have_assign;
    w->as = *a;
    w->have_assign = true;
    for (uint32_t j = 0; j < a->nw; j++) {
        sort_bucket *b = &w->bucket[j];
        if (a->bucket_owner[j] != w->me) {
            w_drop_bucket(b);
            continue;
        }
        if (b->attempt != a->bucket_attempt[j]) {
            w_drop_bucket(b);
            b->attempt = a->bucket_attempt[j];
            b->sent_at = never;
        }
        if (b->sorted && b->acked && !(a->done_mask & bit(j))) {
            b->acked = false;   /* the coordinator lost it (it restarted) */
            b->sent_at = never;
        }
    }
    for (uint32_t i = 0; i < a->nw; i++) {
        sort_slice *s = &w->slice[i];
        if (a->slice_owner[i] != w->me || (a->lost_mask & bit(i))) {
            w_drop_slice(s);
            continue;
        }
        for (uint32_t j = 0; j < a->nw && had; j++)
            if (old.bucket_owner[j] != a->bucket_owner[j] ||
                old.bucket_attempt[j] != a->bucket_attempt[j]) {
                s->acked &= ~bit(j);
                s->sent_at = never;
            }
        if (!had || old.have_splitters != a->have_splitters)
            s->sent_at = never;
    }
    for (uint32_t j = 0; j < a->nw; j++)
        w_start_sort(ctx, w, j);
    /* Say at once what we hold under this version, so the coordinator
     * sends the slices we now own without waiting for the next beat. */
    w_send_beat(ctx, w);
}

static void w_on_slice(fl_ctx *ctx, sort_worker *w, const sort_hdr *h, const uint8_t *raw)
{
    uint32_t i = h->a;
    if (i >= w->as.nw || w->as.slice_owner[i] != w->me || w->slice[i].held ||
        (w->as.lost_mask & bit(i)))
        return;
    sort_slice *s = &w->slice[i];
    s->data = sort_alloc(h->count);
    s->sample = sort_alloc((uint64_t)w->p.samples);
    if (!s->data || !s->sample) {
        w_drop_slice(s);
        return;
    }
    for (uint64_t k = 0; k < h->count; k++)
        s->data[k] = sort_elem_at(raw, k);
    s->len = h->count;
    s->held = true;
    s->sent_at = never;
    /* A random sample, with replacement, from this node's stream. */
    s->nsample = s->len ? (uint64_t)w->p.samples : 0;
    for (uint64_t k = 0; k < s->nsample; k++)
        s->sample[k] = s->data[fl_random_between(ctx, 0, (int64_t)s->len - 1)];
}

void sort_worker_message(fl_ctx *ctx, void *state, fl_node_id from,
                         const void *msg, size_t len)
{
    sort_worker *w = state;
    int t = sort_msg_type_of(msg, len);
    if (t == SORT_M_ASSIGN) {
        sort_assign a;
        if (from == w->coord && sort_dec_assign(msg, len, &a))
            w_on_assign(ctx, w, &a);
        w_pump(ctx, w);
        return;
    }
    sort_hdr h;
    const uint8_t *raw;
    if (!w->have_assign || !sort_dec_data(msg, len, &h, &raw) || h.job != w->as.job)
        return;   /* malformed, or before / outside our job */
    switch (t) {
    case SORT_M_SLICE:
        if (from == w->coord)
            w_on_slice(ctx, w, &h, raw);
        break;
    case SORT_M_PIECE:
        if (w_piece_in(ctx, w, h.a, h.b, h.c, raw, NULL, h.count))
            w_send_data(ctx, w, from, SORT_M_PIECE_ACK, h.a, h.b, h.c, NULL, 0);
        break;
    case SORT_M_PIECE_ACK:
        if (h.a < w->as.nw && h.b < w->as.nw && w->slice[h.a].held &&
            w->as.bucket_attempt[h.b] == h.c)
            w->slice[h.a].acked |= bit(h.b);
        break;
    case SORT_M_RESULT_ACK:
        if (h.a < w->as.nw && w->bucket[h.a].attempt == h.b && w->bucket[h.a].sorted)
            w->bucket[h.a].acked = true;
        break;
    default:
        break;
    }
    w_pump(ctx, w);
}

void sort_worker_timer(fl_ctx *ctx, void *state, fl_timer_kind kind, uint64_t cookie)
{
    sort_worker *w = state;
    (void)kind;
    if ((cookie & 0xff) == SORT_TIMER_SORT) {
        uint32_t j = (uint32_t)(cookie >> 8 & 0xff), att = (uint32_t)(cookie >> 32);
        sort_bucket *b = &w->bucket[j % SORT_MAX_WORKERS];
        if (b->attempt == att && b->sorting) {
            /* BUG skip-local-sort: the pieces stay in arrival order. */
            if (!sort_bug_on(&w->p, SORT_BUG_SKIP_LOCAL_SORT))
                sort_u64_sort(b->data, (size_t)b->len);
            b->sorting = false;
            b->sorted = true;
            b->sent_at = never;
        }
    } else {
        w_send_beat(ctx, w);
        fl_set_timer(ctx, FL_MS(w->p.heartbeat_ms), FL_TIMER_HEARTBEAT, SORT_TIMER_TICK);
    }
    w_pump(ctx, w);
}

/* ---- Boot ------------------------------------------------------------------------------ */

int sort_worker_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    sort_worker *w = state;
    char err[160];
    if (sort_params_parse(params, &w->p, err, sizeof err) < 0) {
        fl_log(ctx, "bad params: %s", err);
        return -1;
    }
    const fl_node_id *coord;
    w->self = fl_self(ctx);
    size_t nw = fl_nodes(ctx, FL_SORT_ROLE_WORKER, &w->workers);
    if (fl_nodes(ctx, FL_SORT_ROLE_COORDINATOR, &coord) != 1 || nw == 0 || nw > SORT_MAX_WORKERS) {
        fl_log(ctx, "the sort needs one coordinator and 1..%d workers", SORT_MAX_WORKERS);
        return -1;
    }
    w->coord = coord[0];
    w->nw = (uint32_t)nw;
    for (uint32_t k = 0; k < w->nw; k++)
        if (w->workers[k] == w->self)
            w->me = k;
    return 0;
}

void sort_worker_start(fl_ctx *ctx, void *state, bool recovering)
{
    sort_worker *w = state;
    (void)recovering;
    uint8_t b[4] = { 0 };
    uint32_t boots = 0;
    if (fl_disk_read(ctx, "boots", 0, b, sizeof b) == (int64_t)sizeof b)
        boots = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                (uint32_t)b[3] << 24;
    w->incarnation = boots + 1;
    for (int k = 0; k < 4; k++)
        b[k] = (uint8_t)(w->incarnation >> (8 * k));
    if (fl_disk_write(ctx, "boots", 0, b, sizeof b) < 0)
        fl_log(ctx, "cannot write the boot counter");
    fl_disk_sync(ctx);
    w_send_beat(ctx, w);
    fl_set_timer(ctx, FL_MS(w->p.heartbeat_ms), FL_TIMER_HEARTBEAT, SORT_TIMER_TICK);
}

/* ---- What it shows ------------------------------------------------------------------------ */

static sort_stage w_stage(const sort_worker *w)
{
    if (!w->have_assign)
        return SORT_ST_IDLE;
    uint32_t nw = w->as.nw;
    for (uint32_t i = 0; i < nw; i++)
        if (w->as.slice_owner[i] == w->me && !(w->as.lost_mask & bit(i)) &&
            !w->slice[i].held)
            return SORT_ST_RECEIVING;
    if (!w->as.have_splitters)
        return SORT_ST_SAMPLING;
    uint64_t open = ~w->as.done_mask & (nw >= 64 ? ~UINT64_C(0) : bit(nw) - 1);
    bool sorting = false, reporting = false;
    for (uint32_t i = 0; i < nw; i++) {
        if (w->slice[i].held && (w->slice[i].acked & open) != open)
            return SORT_ST_EXCHANGING;
        const sort_bucket *b = &w->bucket[i];
        if (!b->attempt)
            continue;
        if (!b->sorting && !b->sorted)
            return SORT_ST_EXCHANGING;
        sorting |= b->sorting;
        reporting |= b->sorted && !b->acked;
    }
    return sorting ? SORT_ST_SORTING : reporting ? SORT_ST_REPORTING : SORT_ST_DONE;
}

static void add_scalar(fl_view *v, const char *name, int64_t value)
{
    if (v->nscalars < FL_VIEW_MAX_SCALARS)
        v->scalars[v->nscalars++] = (fl_view_scalar){ name, value };
}

/* Views: kind follower, term = the assignment version it knows, leader =
 * the coordinator, label = stage. Scalars: n, workers, slices (held),
 * bucket_keys (elements in owned buckets), bucket_max (the largest owned
 * bucket with every piece in), range_lo / range_hi (keys of the first
 * owned bucket, once splitters are known; else -1), bytes (sent). */
void sort_worker_inspect(const void *state, fl_view *v)
{
    const sort_worker *w = state;
    v->kind = FL_VIEW_FOLLOWER;
    v->label = sort_stage_name(w_stage(w));
    v->leader = w->coord;
    v->term = w->have_assign ? (int64_t)w->as.version : -1;
    int64_t slices = 0, keys = 0, max = 0, lo = -1, hi = -1;
    uint64_t need = all_slices(w);
    for (uint32_t i = 0; i < w->nw; i++) {
        const sort_bucket *b = &w->bucket[i];
        slices += w->slice[i].held;
        if (!b->attempt)
            continue;
        keys += (int64_t)b->len;
        if ((b->recv & need) == need && (int64_t)b->len > max)
            max = (int64_t)b->len;
        if (lo < 0 && w->as.have_splitters) {
            lo = i ? sort_elem_key(w->as.splitters[i - 1]) : 0;
            hi = i + 1 < w->as.nw ? sort_elem_key(w->as.splitters[i]) : UINT32_MAX;
        }
    }
    add_scalar(v, FL_SORT_SCALAR_N, w->have_assign ? (int64_t)w->as.n : -1);
    add_scalar(v, FL_SORT_SCALAR_WORKERS, w->nw);
    add_scalar(v, "slices", slices);
    add_scalar(v, "bucket_keys", keys);
    add_scalar(v, FL_SORT_SCALAR_BUCKET_MAX, max);
    add_scalar(v, "range_lo", lo);
    add_scalar(v, "range_hi", hi);
    add_scalar(v, "bytes", (int64_t)w->bytes_sent);
}

void sort_worker_destroy(void *state)
{
    w_reset(state);
}
