/* sort.h — a distributed sample sort that survives crashes (issue 9),
 * internal to algorithms/sort/. It reaches the world only through
 * algorithms/algorithm.h.
 *
 * Roles: one "coordinator" (node 0) and N "worker"s (N = 1..64).
 *
 *   1. The coordinator generates the input from its random stream (size and
 *      key distribution from params), cuts it into N slices, writes the
 *      input and the assignment (slice i -> worker, bucket j -> worker,
 *      attempts) to its disk and syncs, then sends each worker its slice.
 *   2. Each worker samples its slice and sends the sample to the
 *      coordinator, which sorts all samples and picks N-1 splitters
 *      (persisted before anyone sees them: workers partition by them).
 *   3. All-to-all exchange: the owner of slice i sends piece (i, j) — the
 *      elements between splitters j-1 and j — to the owner of bucket j,
 *      which acknowledges it; unacknowledged pieces are resent.
 *   4. The owner of bucket j, once it holds a piece from every slice,
 *      sorts it (taking simulated CPU time) and sends it to the
 *      coordinator, which concatenates the buckets in order: the output.
 *
 * Faults. A worker that stays silent for worker_timeout_ms (crashed or cut
 * off), or that comes back with a new incarnation (it lost its memory), has
 * its slices and unfinished buckets reassigned round-robin to live workers
 * with a new attempt number; the new owner of a slice gets its data again
 * from the coordinator's disk. Every message carries the job id; pieces and
 * results carry the bucket's attempt, so messages of an old attempt (a
 * restarted or partitioned worker's) are ignored, and a piece that arrives
 * twice is stored once. The coordinator recovers everything but the
 * collected results from its disk after a crash, bumps the assignment
 * version, and workers send their sorted buckets again.
 *
 * Elements are 64-bit: key << 32 | position in the input. Sorting by
 * element sorts by key and spreads equal keys over buckets (sample sort's
 * usual tie-break), so heavy duplicates do not pile into one bucket. */
#ifndef FL_SORT_H
#define FL_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/sort/contract.h"   /* installed as <faultline/sort.h> */

#define SORT_MAX_WORKERS 64
#define SORT_MAX_KEYS    10000000

typedef enum sort_dist {
    SORT_DIST_UNIFORM,      /* keys uniform over 32 bits */
    SORT_DIST_ZIPF,         /* key k in 1..65535 with probability ~ 1/k */
    SORT_DIST_SORTED,       /* already in increasing order */
    SORT_DIST_DUPLICATES,   /* 16 distinct keys */
    SORT_DIST_COUNT
} sort_dist;

/* Bug switches, each caught by one check (scenarios/sort/bugs/), and the
 * rule each breaks:
 *   lost-partition    a dead worker's slice is given up, not sorted
 *                     elsewhere (every input key reaches the output)
 *   one-sample        splitters from one worker's sample, not every
 *                     worker's (splitters must represent the whole input)
 *   count-duplicates  a piece received again on a retry is stored again
 *                     (a retried record is stored once)
 *   skip-local-sort   a bucket is sent on without its local sort (each
 *                     bucket is sorted before the merge)
 *   no-reassign       a dead worker's bucket is never moved to a live one
 *                     (work of a failed worker is redone elsewhere)
 *   tie-by-key        bucket boundaries compare keys alone, not (key,
 *                     input position), so every copy of a key equal to a
 *                     splitter lands in one bucket (bucket boundaries
 *                     order whole elements, so ties split evenly)
 *   dup-on-retry      the coordinator keeps a straggler's late answer for
 *                     a bucket that was retried on another worker (an
 *                     older attempt) and merges it with the new owner's:
 *                     its records twice (one answer per bucket reaches the
 *                     output: answers of a superseded attempt are dropped) */
#define SORT_BUG_MAP(X)                                                   \
    X(SORT_BUG_LOST_PARTITION, "lost-partition")   /* sort.permutation */  \
    X(SORT_BUG_ONE_SAMPLE, "one-sample")           /* sort.balance */      \
    X(SORT_BUG_COUNT_DUPLICATES, "count-duplicates") /* sort.permutation */ \
    X(SORT_BUG_SKIP_LOCAL_SORT, "skip-local-sort") /* sort.sorted */       \
    X(SORT_BUG_NO_REASSIGN, "no-reassign")         /* sort.liveness */     \
    X(SORT_BUG_TIE_BY_KEY, "tie-by-key")           /* sort.balance */      \
    X(SORT_BUG_DUP_ON_RETRY, "dup-on-retry")       /* sort.permutation */

typedef enum sort_bug {
#define SORT_X_ENUM(id, name) id,
    SORT_BUG_MAP(SORT_X_ENUM)
#undef SORT_X_ENUM
    SORT_BUG_COUNT
} sort_bug;

typedef struct sort_params {
    int64_t   keys;              /* input size */
    sort_dist dist;
    int64_t   samples;           /* per slice */
    int64_t   heartbeat_ms;      /* worker heartbeats, coordinator ticks */
    int64_t   worker_timeout_ms; /* silence before a worker is declared dead */
    int64_t   retry_ms;          /* resend interval */
    int64_t   sort_ns_per_key;   /* CPU cost model: m keys take m*log2(m)*this */
    int64_t   done_within_ms;    /* for the checker (sort.liveness); -1 off */
    unsigned  bugs;              /* 1u << sort_bug */
} sort_params;

int  sort_params_parse(const cJSON *params, sort_params *p, char *err,
                       size_t errlen);
static inline bool sort_bug_on(const sort_params *p, sort_bug b)
{
    return (p->bugs >> b) & 1u;
}
const char *sort_dist_name(sort_dist d);

/* The multiset fingerprint shared with the checker (contract.h):
 * the sum over all keys of sort_key_hash(key), modulo 2^64. */
static inline uint64_t sort_key_hash(uint64_t key)
{
    return fl_sort_key_hash(key);
}
static inline uint32_t sort_elem_key(uint64_t e) { return (uint32_t)(e >> 32); }

/* ---- Messages (codec.c) --------------------------------------------------- */

typedef enum sort_msg_type {
    SORT_M_ASSIGN = 1,   /* C->W: the whole assignment and the splitters */
    SORT_M_SLICE,        /* C->W: a slice's elements */
    SORT_M_HEARTBEAT,    /* W->C: alive, what it holds */
    SORT_M_SAMPLE,       /* W->C: a slice's sample */
    SORT_M_PIECE,        /* W->W: piece (slice, bucket) */
    SORT_M_PIECE_ACK,    /* W->W */
    SORT_M_RESULT,       /* W->C: a sorted bucket */
    SORT_M_RESULT_ACK    /* C->W */
} sort_msg_type;

typedef struct sort_assign {
    uint64_t job;
    uint32_t epoch;              /* coordinator boots */
    uint32_t version;            /* bumped on every change */
    uint64_t n;                  /* input size */
    uint32_t nw;                 /* workers = slices = buckets */
    uint64_t lost_mask;          /* slices given up (only with a bug) */
    uint64_t done_mask;          /* buckets the coordinator holds */
    bool     have_splitters;
    uint8_t  slice_owner[SORT_MAX_WORKERS];   /* worker index */
    uint8_t  bucket_owner[SORT_MAX_WORKERS];
    uint32_t slice_attempt[SORT_MAX_WORKERS];
    uint32_t bucket_attempt[SORT_MAX_WORKERS];
    uint64_t splitters[SORT_MAX_WORKERS];     /* nw - 1 used */
} sort_assign;

/* Header common to every message but ASSIGN. */
typedef struct sort_hdr {
    uint8_t  type;
    uint64_t job;
    uint32_t a, b, c;      /* meaning per type, see codec.c */
    uint64_t count;        /* elements following */
} sort_hdr;

typedef struct sort_beat {
    uint64_t job;
    uint32_t incarnation;
    uint32_t version;
    uint64_t have_slices;  /* slices it holds */
    uint32_t stage;        /* sort_stage */
    uint64_t bucket_keys;  /* elements in the buckets it owns */
} sort_beat;

/* A growable byte buffer for encoding. */
typedef struct sort_buf {
    uint8_t *p;
    size_t   len, cap;
    bool     oom;
} sort_buf;

void sort_buf_free(sort_buf *b);
void sort_put_u8(sort_buf *b, uint8_t v);
void sort_put_u32(sort_buf *b, uint32_t v);
void sort_put_u64(sort_buf *b, uint64_t v);

/* Encoders return the length, 0 when out of memory (nothing to send). */
size_t sort_enc_assign(sort_buf *b, const sort_assign *a);
size_t sort_enc_data(sort_buf *b, const sort_hdr *h, const uint64_t *elems);
size_t sort_enc_beat(sort_buf *b, const sort_beat *beat);
/* Decoders return false on a malformed message. */
bool sort_dec_assign(const void *msg, size_t len, sort_assign *a);
/* `elems` points into `msg` (unaligned: read with sort_elem_at). */
bool sort_dec_data(const void *msg, size_t len, sort_hdr *h,
                   const uint8_t **elems);
bool sort_dec_beat(const void *msg, size_t len, sort_beat *beat);
uint64_t sort_elem_at(const uint8_t *elems, uint64_t i);
int  sort_msg_type_of(const void *msg, size_t len);

/* ---- Worker progress, as the coordinator sees it and the views show ---- */

typedef enum sort_stage {
    SORT_ST_IDLE,        /* no assignment yet */
    SORT_ST_RECEIVING,   /* waiting for a slice */
    SORT_ST_SAMPLING,    /* slices held, no splitters yet */
    SORT_ST_EXCHANGING,  /* pieces out or in */
    SORT_ST_SORTING,     /* every piece in, sorting */
    SORT_ST_REPORTING,   /* sorted buckets not yet acknowledged */
    SORT_ST_DONE         /* nothing left to do */
} sort_stage;
const char *sort_stage_name(sort_stage s);

/* ---- Shared helpers (sort.c) ------------------------------------------- */

void     sort_u64_sort(uint64_t *a, size_t n);
/* CPU time to sort m elements under the cost model. */
fl_time  sort_cost(const sort_params *p, uint64_t m);
/* Index of the bucket an element belongs to given nw-1 splitters. */
uint32_t sort_bucket_of(const uint64_t *splitters, uint32_t nw, uint64_t e);
/* A copy of `n` elements, or NULL (n == 0 gives a 1-element buffer). */
uint64_t *sort_alloc(uint64_t n);

extern const fl_role sort_roles[];
int  sort_validate(const cJSON *params, char *err, size_t errlen);
void sort_describe(const void *msg, size_t len, fl_msg_info *info);

/* ---- The coordinator's state (coordinator.c) ------------------------------ */

typedef struct sort_coord {
    sort_params  p;
    fl_node_id   self;
    const fl_node_id *workers;     /* node ids, by worker index */
    uint32_t     nw;
    /* durable: the input and the assignment (both on disk) */
    uint64_t    *input;            /* n elements, slice i = [i*n/nw, (i+1)*n/nw) */
    uint64_t     in_hash;          /* multiset fingerprint of the input keys */
    sort_assign  as;               /* job, version, owners, attempts, splitters */
    uint32_t     incarnation[SORT_MAX_WORKERS];  /* last seen, 0 unknown */
    uint32_t     reassigned;       /* slices and buckets moved so far */
    uint64_t     seq;              /* writes of the assignment so far */
    uint32_t     bcast_version;    /* last version broadcast */
    /* volatile: what workers said and what came back */
    fl_time      last_heard[SORT_MAX_WORKERS];
    bool         dead[SORT_MAX_WORKERS];
    uint32_t     seen_version[SORT_MAX_WORKERS];
    uint64_t     have[SORT_MAX_WORKERS];          /* slices it holds */
    uint8_t      stage[SORT_MAX_WORKERS];
    uint64_t     wkeys[SORT_MAX_WORKERS];
    fl_time      assign_sent[SORT_MAX_WORKERS];
    fl_time      slice_sent[SORT_MAX_WORKERS];    /* by slice */
    uint64_t    *samples[SORT_MAX_WORKERS];       /* by slice */
    uint64_t     nsamples[SORT_MAX_WORKERS];
    uint64_t     sampled_mask;
    uint64_t    *result[SORT_MAX_WORKERS];        /* by bucket */
    uint64_t     result_len[SORT_MAX_WORKERS];
    uint64_t     collected;                       /* elements in results */
    uint64_t     max_bucket;
    uint64_t    *output;           /* when done: n elements, in order */
    uint64_t     out_len;
    bool         done;
    bool         dirty;            /* assignment changed, not yet on disk */
    bool         inc_dirty;        /* a first incarnation seen: persist on a tick */
    uint64_t     bytes_sent;
    uint32_t     rr;               /* round-robin cursor for reassignment */
} sort_coord;

/* ---- A worker's state (worker.c) ------------------------------------------ */

typedef struct sort_bucket {
    uint64_t *data;
    uint64_t  len, cap;
    uint64_t  recv;        /* slices whose piece is in */
    uint32_t  attempt;     /* 0: not owned */
    bool      sorting;     /* the CPU-time timer is running */
    bool      sorted;
    bool      acked;       /* the coordinator has it */
    fl_time   sent_at;
} sort_bucket;

typedef struct sort_slice {
    uint64_t *data;        /* sorted once splitters are known */
    uint64_t  len;
    bool      held;
    bool      cut;         /* sorted and cut into pieces */
    uint64_t  off[SORT_MAX_WORKERS + 1];   /* piece j = [off[j], off[j+1]) */
    uint64_t  acked;       /* buckets that acknowledged their piece */
    uint64_t *sample;
    uint64_t  nsample;
    fl_time   sent_at;     /* last sample / piece round */
} sort_slice;

typedef struct sort_worker {
    sort_params  p;
    fl_node_id   self, coord;
    const fl_node_id *workers;
    uint32_t     nw, me;           /* worker index */
    uint32_t     incarnation;      /* boots, from this node's disk */
    bool         have_assign;
    sort_assign  as;
    sort_slice   slice[SORT_MAX_WORKERS];
    sort_bucket  bucket[SORT_MAX_WORKERS];
    uint64_t     bytes_sent;
} sort_worker;

/* The roles' handlers (coordinator.c, worker.c). */
int  sort_coord_init(fl_ctx *ctx, void *state, const cJSON *params);
void sort_coord_start(fl_ctx *ctx, void *state, bool recovering);
void sort_coord_message(fl_ctx *ctx, void *state, fl_node_id from,
                        const void *msg, size_t len);
void sort_coord_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                      uint64_t cookie);
void sort_coord_inspect(const void *state, fl_view *view);
bool sort_coord_entry(const void *state, int64_t index, fl_view_entry *out);
void sort_coord_destroy(void *state);

int  sort_worker_init(fl_ctx *ctx, void *state, const cJSON *params);
void sort_worker_start(fl_ctx *ctx, void *state, bool recovering);
void sort_worker_message(fl_ctx *ctx, void *state, fl_node_id from,
                         const void *msg, size_t len);
void sort_worker_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                       uint64_t cookie);
void sort_worker_inspect(const void *state, fl_view *view);
void sort_worker_destroy(void *state);

#endif
