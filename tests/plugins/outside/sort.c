/* sort.c — a distributed sample sort written by "outside course staff"
 * from the installed <faultline/algorithm.h>, <faultline/sort.h>, the
 * template's README and the man page alone (tests/test_outside_plugins.sh).
 *
 * The coordinator draws a seed (persisted, so a restart regenerates the
 * same input), generates the keys, picks splitters from a sample of
 * (key, position) pairs (so equal keys spread over buckets), sends each
 * worker its bucket and collects the sorted buckets in chunks. Missing
 * chunks are asked for again; a bucket whose worker stays silent goes to
 * the next worker. A restart starts a new epoch: stale messages are
 * ignored.
 *
 * One-mistake copies (-DBUG_...):
 *   BUG_COUNT_CHUNKS   a bucket is complete once as many chunk messages
 *                      arrived as it has chunks (a duplicate stands in for
 *                      a lost one: keys lost under loss)
 *   BUG_RESUME_DONE    the coordinator persists which buckets it finished
 *                      but not their keys, and skips them after a restart
 *                      (it reports done before every bucket was merged)
 *   BUG_DUP_ON_RETRY   a bucket completed again by a second worker's (or a
 *                      retried) answer is counted again
 *   BUG_NO_REASSIGN    a silent worker's bucket is retried on it forever
 *   BUG_GIVE_UP        a bucket unanswered after two tries is given up,
 *                      not moved (counted done, its keys never merged) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultline/algorithm.h>
#include <faultline/sort.h>

#define MAXW 64
#define CHUNK 2048u
#define RETRY_MS 120
#define TAG_ASSIGN 0x41u
#define TAG_RESULT 0x52u

static uint64_t mix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static int64_t param_int(const cJSON *params, const char *key, int64_t dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, key);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- The coordinator ---- */

typedef struct bucket {
    uint32_t n, nchunks, got_chunks, attempts;
    fl_node_id owner;
    bool done;
    uint32_t *keys;            /* the input keys of the bucket */
    uint32_t *out;             /* its sorted keys as they arrive */
    uint8_t *have;             /* per chunk: arrived */
} bucket;

typedef struct coord_state {
    fl_node_id self;
    uint32_t n, nw, epoch, done_buckets, done_keys;
    fl_node_id workers[MAXW];
    char dist[16];
    uint64_t seed;
    uint64_t in_hash;
    uint32_t *input;
    uint32_t *output;          /* n keys once done */
    bool done;
    bucket b[MAXW];
} coord_state;

typedef struct coord_record { uint64_t seed; uint32_t epoch; uint32_t pad; uint64_t done_mask; } coord_record;

static int coord_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    coord_state *s = state;
    const fl_node_id *ids;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(params, "dist");
    s->self = fl_self(ctx);
    s->nw = (uint32_t)fl_nodes(ctx, FL_SORT_ROLE_WORKER, &ids);
    if (s->nw == 0 || s->nw > MAXW) {
        fl_log(ctx, "need 1..%d workers", MAXW);
        return -1;
    }
    memcpy(s->workers, ids, s->nw * sizeof *ids);
    s->n = (uint32_t)param_int(params, "keys", 10000);
    snprintf(s->dist, sizeof s->dist, "%s",
             cJSON_IsString(d) ? d->valuestring : "uniform");
    return 0;
}

static void generate(coord_state *s)
{
    uint64_t x = s->seed;
    s->input = malloc((size_t)s->n * sizeof *s->input + 1);
    for (uint32_t i = 0; i < s->n; i++) {
        uint64_t r = mix64(&x);
        uint32_t k;
        if (!strcmp(s->dist, "sorted"))
            k = (uint32_t)((uint64_t)i * 100000u + (r % 1000u));
        else if (!strcmp(s->dist, "duplicates"))
            k = (uint32_t)(r % 8u);
        else if (!strcmp(s->dist, "zipf")) {
            uint32_t lvl = (uint32_t)(r & 15u);    /* heavy near zero */
            k = (uint32_t)((r >> 16) & ((1u << (lvl * 2)) - 1u));
        } else
            k = (uint32_t)(r >> 32);
        s->input[i] = k;
        s->in_hash += fl_sort_key_hash(k);
    }
}

/* (key, position) pairs ordered lexicographically. */
static int pair_less(uint32_t ka, uint32_t ia, uint32_t kb, uint32_t ib)
{
    return ka < kb || (ka == kb && ia < ib);
}

static int cmp_pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    return pair_less(x[0], x[1], y[0], y[1]) ? -1
         : pair_less(y[0], y[1], x[0], x[1]) ? 1 : 0;
}

static void partition_input(coord_state *s)
{
    uint32_t ns = s->nw * 32u, nw = s->nw;
    uint32_t (*smp)[2] = malloc(sizeof *smp * ns);
    uint32_t (*spl)[2] = malloc(sizeof *spl * nw);
    uint32_t *owner = malloc((size_t)s->n * sizeof *owner + 1);
    uint64_t x = s->seed ^ 0x5a5a5a5au;
    for (uint32_t i = 0; i < ns; i++) {
        uint32_t at = s->n ? (uint32_t)(mix64(&x) % s->n) : 0;
        smp[i][0] = s->n ? s->input[at] : 0;
        smp[i][1] = at;
    }
    qsort(smp, ns, sizeof *smp, cmp_pair);
    for (uint32_t j = 1; j < nw; j++) {
        spl[j][0] = smp[j * ns / nw][0];
        spl[j][1] = smp[j * ns / nw][1];
    }
    for (uint32_t i = 0; i < s->n; i++) {
        uint32_t lo = 0, hi = nw - 1;     /* last j with spl[j] <= pair */
        while (lo < hi) {
            uint32_t mid = (lo + hi + 1) / 2;
            if (!pair_less(s->input[i], i, spl[mid][0], spl[mid][1]))
                lo = mid;
            else
                hi = mid - 1;
        }
        owner[i] = lo;
        s->b[lo].n++;
    }
    for (uint32_t j = 0; j < nw; j++) {
        bucket *b = &s->b[j];
        b->keys = malloc((size_t)b->n * 4 + 4);
        b->out = malloc((size_t)b->n * 4 + 4);
        b->nchunks = b->n ? (b->n + CHUNK - 1) / CHUNK : 1;
        b->have = calloc(b->nchunks, 1);
        b->owner = s->workers[j];
        b->n = 0;
    }
    for (uint32_t i = 0; i < s->n; i++) {
        bucket *b = &s->b[owner[i]];
        b->keys[b->n++] = s->input[i];
    }
    free(owner);
    free(spl);
    free(smp);
}

static void send_assign(fl_ctx *ctx, coord_state *s, uint32_t j)
{
    bucket *b = &s->b[j];
    size_t len = 21 + (size_t)b->n * 4;
    uint8_t *m = malloc(len);
    m[0] = TAG_ASSIGN;
    put32(m + 1, s->epoch);
    put32(m + 5, j);
    put32(m + 9, b->n);
    put32(m + 13, s->n);
    put32(m + 17, s->nw);
    memcpy(m + 21, b->keys, (size_t)b->n * 4);
    fl_send(ctx, b->owner, m, len);
    free(m);
}

static void coord_persist(fl_ctx *ctx, coord_state *s)
{
    coord_record r = {.seed = s->seed, .epoch = s->epoch};
#ifdef BUG_RESUME_DONE
    for (uint32_t j = 0; j < s->nw; j++)
        if (s->b[j].done)
            r.done_mask |= UINT64_C(1) << j;
#endif
    fl_disk_write(ctx, "job", 0, &r, sizeof r);
    fl_disk_sync(ctx);
}

static void finish_if_complete(coord_state *s)
{
    if (s->done || s->done_keys < s->n || s->done_buckets < s->nw
#ifdef BUG_DUP_ON_RETRY
        * 0
#endif
        )
        return;
    s->output = malloc((size_t)s->n * 4 + 4);
    uint32_t at = 0;
    for (uint32_t j = 0; j < s->nw && at < s->n; j++) {
        uint32_t k = s->b[j].n < s->n - at ? s->b[j].n : s->n - at;
        if (s->b[j].done)
            memcpy(s->output + at, s->b[j].out, (size_t)k * 4);
        else
            memset(s->output + at, 0, (size_t)k * 4);
        at += k;
    }
    s->done = true;
}

static void coord_start(fl_ctx *ctx, void *state, bool recovering)
{
    coord_state *s = state;
    coord_record r;
    memset(&r, 0, sizeof r);
    if (recovering && fl_disk_read(ctx, "job", 0, &r, sizeof r) == (int64_t)sizeof r) {
        s->seed = r.seed;
        s->epoch = r.epoch + 1;
    } else {
        s->seed = fl_random(ctx);
        s->epoch = 1;
    }
    generate(s);
    partition_input(s);
    coord_persist(ctx, s);
    for (uint32_t j = 0; j < s->nw; j++) {
#ifdef BUG_RESUME_DONE
        if (r.done_mask >> j & 1) {
            s->b[j].done = true;       /* "already merged" */
            s->done_buckets++;
            s->done_keys += s->b[j].n;
            continue;
        }
#endif
        send_assign(ctx, s, j);
    }
    finish_if_complete(s);
    fl_set_timer(ctx, FL_MS(RETRY_MS), FL_TIMER_RETRY, 0);
}

static void coord_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind, uint64_t cookie)
{
    coord_state *s = state;
    (void)kind;
    (void)cookie;
    if (s->done)
        return;
    for (uint32_t j = 0; j < s->nw; j++) {
        bucket *b = &s->b[j];
        if (b->done)
            continue;
#ifdef BUG_GIVE_UP
        if (b->attempts + 1 == 3) {     /* "that worker is gone: skip it" */
            b->done = true;
            s->done_buckets++;
            s->done_keys += b->n;
            continue;
        }
#endif
#ifndef BUG_NO_REASSIGN
        if (++b->attempts % 3 == 0) {   /* silent: try the next worker */
            uint32_t w = 0;
            while (s->workers[w] != b->owner)
                w++;
            b->owner = s->workers[(w + 1) % s->nw];
        }
#endif
        send_assign(ctx, s, j);
    }
#ifdef BUG_GIVE_UP
    finish_if_complete(s);
#endif
    fl_set_timer(ctx, FL_MS(RETRY_MS), FL_TIMER_RETRY, 0);
}

/* RESULT: tag, epoch, bucket, chunk, nchunks, offset, count, keys. */
static void coord_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                             const void *msg, size_t len)
{
    coord_state *s = state;
    const uint8_t *m = msg;
    (void)from;
    if (len < 25 || m[0] != TAG_RESULT || get32(m + 1) != s->epoch || s->done)
        return;
    uint32_t j = get32(m + 5), c = get32(m + 9), nc = get32(m + 13);
    uint32_t off = get32(m + 17), cnt = get32(m + 21);
    if (j >= s->nw)
        return;
    bucket *b = &s->b[j];
    if (nc != b->nchunks || c >= nc || off > b->n || cnt > b->n - off
        || len != 25 + (size_t)cnt * 4)
        return;
#ifndef BUG_DUP_ON_RETRY
    if (b->done)
        return;
#endif
#ifdef BUG_COUNT_CHUNKS
    b->got_chunks++;
#else
    if (b->have[c])
        return;
    b->have[c] = 1;
    b->got_chunks++;
#endif
    memcpy(b->out + off, m + 25, (size_t)cnt * 4);
    if (b->got_chunks >= b->nchunks) {
        b->got_chunks = 0;
        memset(b->have, 0, b->nchunks);
        if (!b->done)
            s->done_buckets++;
        b->done = true;
        s->done_keys += b->n;
        fl_log(ctx, "bucket %u complete (%u keys)", j, b->n);
#ifdef BUG_RESUME_DONE
        coord_persist(ctx, s);     /* progress, but not the keys */
#endif
    }
    finish_if_complete(s);
}

static void coord_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    (void)state;
    fl_reply(ctx, req, FL_STATUS_FAIL, 0);
}

static void coord_inspect(const void *state, fl_view *view)
{
    const coord_state *s = state;
    view->kind = FL_VIEW_LEADER;
    view->label = s->done ? FL_SORT_LABEL_DONE : "working";
    view->log_last = s->done ? (int64_t)s->n - 1 : -1;
    view->nscalars = 0;
    view->scalars[view->nscalars++] = (fl_view_scalar){FL_SORT_SCALAR_N, s->n};
    view->scalars[view->nscalars++] =
        (fl_view_scalar){FL_SORT_SCALAR_IN_HASH, (int64_t)s->in_hash};
}

static bool coord_inspect_entry(const void *state, int64_t index, fl_view_entry *out)
{
    const coord_state *s = state;
    if (!s->done || index < 0 || index >= (int64_t)s->n)
        return false;
    memset(out, 0, sizeof *out);
    out->term = s->output[index];
    out->command = s->output[index];
    out->committed = true;
    return true;
}

static void coord_destroy(void *state)
{
    coord_state *s = state;
    for (uint32_t j = 0; j < MAXW; j++) {
        free(s->b[j].keys);
        free(s->b[j].out);
        free(s->b[j].have);
    }
    free(s->input);
    free(s->output);
}

/* ---- The workers ---- */

typedef struct job {
    uint32_t epoch, bucket, n;
    uint32_t *keys;
    bool sorted;
} job;

typedef struct worker_state {
    fl_node_id self;
    int64_t ns_per_key, n, workers, bucket_max;
    job jobs[MAXW];
    uint32_t njobs;
} worker_state;

static int worker_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    worker_state *s = state;
    s->self = fl_self(ctx);
    s->ns_per_key = param_int(params, "sort_ns_per_key", 0);
    s->n = -1;
    s->workers = -1;
    return 0;
}

static void worker_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)ctx;
    (void)state;
    (void)recovering;
}

static void send_result(fl_ctx *ctx, fl_node_id to, const job *jb)
{
    uint32_t nc = jb->n ? (jb->n + CHUNK - 1) / CHUNK : 1;
    uint8_t *m = malloc(25 + (size_t)CHUNK * 4);
    for (uint32_t c = 0; c < nc; c++) {
        uint32_t off = c * CHUNK, cnt = jb->n - off < CHUNK ? jb->n - off : CHUNK;
        m[0] = TAG_RESULT;
        put32(m + 1, jb->epoch);
        put32(m + 5, jb->bucket);
        put32(m + 9, c);
        put32(m + 13, nc);
        put32(m + 17, off);
        put32(m + 21, cnt);
        memcpy(m + 25, jb->keys + off, (size_t)cnt * 4);
        fl_send(ctx, to, m, 25 + (size_t)cnt * 4);
    }
    free(m);
}

static void worker_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                              const void *msg, size_t len)
{
    worker_state *s = state;
    const uint8_t *m = msg;
    if (len < 21 || m[0] != TAG_ASSIGN)
        return;
    uint32_t ep = get32(m + 1), bk = get32(m + 5), n = get32(m + 9);
    if (len != 21 + (size_t)n * 4)
        return;
    s->n = get32(m + 13);
    s->workers = get32(m + 17);
    for (uint32_t i = 0; i < s->njobs; i++) {
        job *jb = &s->jobs[i];
        if (jb->epoch == ep && jb->bucket == bk) {
            if (jb->sorted)
                send_result(ctx, from, jb);
            return;            /* still sorting: it will answer */
        }
    }
    uint32_t slot = s->njobs < MAXW ? s->njobs++ : (uint32_t)(fl_random(ctx) % MAXW);
    job *jb = &s->jobs[slot];
    free(jb->keys);
    jb->epoch = ep;
    jb->bucket = bk;
    jb->n = n;
    jb->sorted = false;
    jb->keys = malloc((size_t)n * 4 + 4);
    memcpy(jb->keys, m + 21, (size_t)n * 4);
    fl_time work = (fl_time)n * s->ns_per_key;
    fl_set_timer(ctx, work > 0 ? work : 1, FL_TIMER_OTHER,
                 (uint64_t)slot << 32 | (uint32_t)from);
}

static void worker_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind, uint64_t cookie)
{
    worker_state *s = state;
    job *jb = &s->jobs[cookie >> 32];
    (void)kind;
    if (jb->sorted || !jb->keys)
        return;
    qsort(jb->keys, jb->n, 4, cmp_u32);
    jb->sorted = true;
    if ((int64_t)jb->n > s->bucket_max)
        s->bucket_max = jb->n;
    send_result(ctx, (fl_node_id)(uint32_t)cookie, jb);
}

static void worker_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    (void)state;
    fl_reply(ctx, req, FL_STATUS_FAIL, 0);
}

static void worker_inspect(const void *state, fl_view *view)
{
    const worker_state *s = state;
    view->kind = FL_VIEW_FOLLOWER;
    view->nscalars = 0;
    view->scalars[view->nscalars++] = (fl_view_scalar){FL_SORT_SCALAR_N, s->n};
    view->scalars[view->nscalars++] = (fl_view_scalar){FL_SORT_SCALAR_WORKERS, s->workers};
    view->scalars[view->nscalars++] = (fl_view_scalar){FL_SORT_SCALAR_BUCKET_MAX, s->bucket_max};
}

static void worker_destroy(void *state)
{
    worker_state *s = state;
    for (uint32_t i = 0; i < MAXW; i++)
        free(s->jobs[i].keys);
}

static int sort_validate(const cJSON *params, char *err, size_t errlen)
{
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(params, "keys");
    if (k && (!cJSON_IsNumber(k) || k->valuedouble < 0 || k->valuedouble > 4e6)) {
        snprintf(err, errlen, "keys: must be a number in 0..4000000");
        return -1;
    }
    return 0;
}

static void sort_describe(const void *msg, size_t len, fl_msg_info *info)
{
    const uint8_t *m = msg;
    info->kind = len && m[0] == TAG_ASSIGN ? "Assign" : len && m[0] == TAG_RESULT ? "Result" : "message";
    info->is_reply = len && m[0] == TAG_RESULT;
}

static const fl_role sort_roles[] = {
    {
        .name = FL_SORT_ROLE_WORKER,
        .state_size = sizeof(worker_state),
        .init = worker_init,
        .start = worker_start,
        .on_message = worker_on_message,
        .on_timer = worker_on_timer,
        .on_request = worker_on_request,
        .inspect = worker_inspect,
        .destroy = worker_destroy,
    },
    {
        .name = FL_SORT_ROLE_COORDINATOR,
        .state_size = sizeof(coord_state),
        .init = coord_init,
        .start = coord_start,
        .on_message = coord_on_message,
        .on_timer = coord_on_timer,
        .on_request = coord_on_request,
        .inspect = coord_inspect,
        .inspect_entry = coord_inspect_entry,
        .destroy = coord_destroy,
    },
    { .name = NULL },
};

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "sort",
    .description = "outside staff's sample sort",
    .roles = sort_roles,
    .validate = sort_validate,
    .describe = sort_describe,
};
