/* lin_impl.h — the inside of the linearizability checker, shared by its
 * files and by nothing else (the door is lin.h):
 *   lin_tables.c  interned states, memoized steps, visited configurations,
 *                 and building one partition's search;
 *   lin_search.c  the search itself (Wing & Gong / Lowe, as in Porcupine);
 *   lin_report.c  what a verdict says: summaries and violation reports;
 *   lin_anomaly.c the anomaly a violation shows (stale read, ...);
 *   lin.c         partitions, checked concurrently, and the entry points.
 * Everything here is deterministic except the wall clock read for the
 * timeout and the order in which threads finish (lin.c keeps verdicts
 * independent of it). */
#ifndef FL_CHECK_LIN_IMPL_H
#define FL_CHECK_LIN_IMPL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "sim/check/lin.h"

static inline uint64_t lin_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static inline double lin_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The bytes a search's tables hold, against a limit (fl_lin_options:
 * max_memory). Every table that grows with the search is charged here
 * before it grows; when a growth would pass the limit, it is refused and
 * `hit` set, and the search stops with UNKNOWN. */
typedef struct lin_mem {
    size_t used, limit, peak;
    bool   hit;
    _Atomic size_t *shared;      /* all concurrent searches' bytes, against
                                    the same limit; NULL = this one alone */
} lin_mem;

typedef struct lin_states {
    const fl_model *m;
    lin_mem   *mem;
    fl_arena   bytes;            /* all states, in chunks that never move */
    const unsigned char **ptr;
    size_t    *len;
    uint64_t  *hash;
    size_t     n, cap;
    uint32_t  *table;            /* open addressing: state id + 1, 0 = empty */
    size_t     tcap;
} lin_states;

static inline fl_lin_state state_get(const lin_states *t, uint32_t id)
{
    return (fl_lin_state){ t->ptr[id], t->len[id] };
}

#define MEMO_EMPTY UINT64_MAX

typedef struct lin_memo {
    uint64_t *keys;
    int32_t  *vals;
    size_t    n, cap;
    lin_mem  *mem;
} lin_memo;

static inline size_t memo_home(uint64_t key, size_t cap)
{
    return (size_t)lin_mix64(key) & (cap - 1);
}

/* The slot for key: found (vals valid) or empty (keys[i] == MEMO_EMPTY). */
static inline size_t memo_slot(const lin_memo *m, uint64_t key)
{
    size_t i = memo_home(key, m->cap);
    while (m->keys[i] != MEMO_EMPTY && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* Configurations with the same ok ops and state, differing in their info
 * ops, form a group: the table holds the first (the head), which links
 * the others, so that a lookup compares the ok ops once and then only the
 * info ops, and a large group does not crowd the table. */
typedef struct lin_cfg {
    uint64_t hash;               /* of the ok ops and the state */
    size_t   off;                /* into words: the nw ok words */
    size_t   ioff;               /* into words: the inw info words */
    uint32_t state, lo, nw;      /* ok ops: words lo..lo+nw-1 */
    uint32_t ilo, inw;           /* info ops: words ilo..ilo+inw-1 */
    uint32_t link;               /* the group's next cfg, 0 = none (cfg 0
                                    is a head, never a member) */
    bool     head;               /* in the table */
} lin_cfg;

typedef struct lin_cache {
    lin_cfg  *cfg;
    size_t    n, cap;
    uint64_t *words;
    size_t    nwords, wcap;
    uint32_t *table;             /* head cfg index + 1, 0 = empty */
    size_t    tcap, heads;
    lin_mem  *mem;
} lin_cache;

bool    fl_lin_mem_resize(lin_mem *m, size_t old, size_t now);
int     fl_lin_grow(lin_mem *mem, void **p, size_t *cap, size_t need,
                    size_t size);
int64_t fl_lin_state_intern(lin_states *t, fl_lin_state s);
void    fl_lin_states_reset(lin_states *t);
size_t  fl_lin_states_bytes(const lin_states *t);
void    fl_lin_states_free(lin_states *t);
int     fl_lin_memo_grow(lin_memo *m);
void    fl_lin_memo_reset(lin_memo *m);
void    fl_lin_memo_free(lin_memo *m);
int     fl_lin_cache_rehash(lin_cache *c);
void    fl_lin_cache_reset(lin_cache *c);
void    fl_lin_cache_free(lin_cache *c);

/* ---- one partition's search ------------------------------------------------------- */

typedef struct lin_search {
    const fl_model  *m;
    const fl_lin_op *ops;        /* the whole history */
    const size_t    *gi;         /* local op -> history index */
    uint32_t         n, nok;

    /* entries, in real-time order; index ne is the list head */
    uint32_t  ne;
    uint32_t *e_op;
    int32_t  *e_match;           /* call: its return entry, or -1 */
    uint8_t  *e_call;
    int32_t  *next, *prev;
    int32_t  *twin;              /* local op -> the op that must go first */
    uint8_t  *ro;                /* local op -> read-only (model says) */
    uint8_t  *blind;             /* local op -> blind (model says) */

    /* the linearized ok ops: bit idx[o]; words before lo are all ones,
     * words after hi zero; zh = XOR of z[o] over them */
    uint64_t *bits, *z;
    uint32_t  nok_bits, words, lo;
    int32_t   hi;
    uint64_t  zh;
    /* the linearized info ops: bit idx[o]; words before ilo and after ihi
     * are zero */
    uint64_t *ibits;
    uint32_t  ninfo, iwords, ilo;
    int32_t   ihi;
    uint32_t *idx;               /* local op -> its bit in bits or ibits */

    lin_states st;
    lin_memo   memo;
    lin_cache  cache;
    fl_lin_buf scratch;

    /* the current linearization */
    int32_t  *stk_entry;
    uint32_t *stk_state;         /* state before each op */
    uint8_t  *stk_forced;        /* linearized as a read-only op that fit */
    uint32_t  depth;

    /* the longest linearization seen: ops and the state after each */
    uint32_t *best_op, *best_state;
    uint32_t  best_len, same;    /* best[0..same) == stack[0..same) */

    double    deadline;          /* wall clock; 0 = none */
    const _Atomic bool *stop;    /* set by another thread: give up (NULL) */
    uint64_t  steps;

    /* for the model's may_fit: the ops that may take effect before a read,
     * and the return entries of the reads to ask about */
    const fl_lin_op **avail;
    uint32_t *apart;             /* (composite states) their partitions */
    uint8_t  *want;

    /* P-compositionality off (fl_lin_options.no_partition) for a model
     * that partitions: a state in `st` is then an array of uint32 ids, one
     * per partition, of that partition's state in `sub` */
    bool        product;
    uint32_t    nparts;
    const uint32_t   *pidx;      /* local op -> its partition */
    const fl_lin_val *const *pkey;   /* partition -> its key */
    lin_states  sub;
    lin_memo    submemo;
    fl_lin_buf  pscratch;

    lin_mem     mem;             /* what the tables above hold */
} lin_search;

/* The tables a search fills, handed from one partition's search to the
 * next: their memory is reused rather than freed and faulted in again. */
typedef struct lin_tables {
    lin_states st, sub;
    lin_memo   memo, submemo;
    lin_cache  cache;
    fl_lin_buf scratch, pscratch;
} lin_tables;

enum { SEARCH_OK = 1, SEARCH_FAIL = 0, SEARCH_TIMEOUT = -1, SEARCH_OOM = -2,
       SEARCH_MEMORY = -3 };

/* Composite states (no_partition) are compared and hashed as bytes. */
extern const fl_model fl_lin_product_model;

static inline const fl_lin_op *op_of(const lin_search *s, uint32_t o)
{
    return &s->ops[s->gi[o]];
}

/* Partition p's state (an id in s->sub) in composite state `state`. */
static inline uint32_t sub_id(const lin_search *s, uint32_t state, uint32_t p)
{
    uint32_t id;
    memcpy(&id, s->st.ptr[state] + 4u * p, sizeof id);
    return id;
}

static inline bool is_info(const lin_search *s, uint32_t o)
{
    return op_of(s, o)->status == FL_LIN_STATUS_INFO;
}

void    fl_lin_tables_free(lin_tables *t);
void    fl_lin_tables_take(lin_search *s, lin_tables *t);
void    fl_lin_tables_give(lin_search *s, lin_tables *t);
int     fl_lin_search_alloc(lin_search *s);
int     fl_lin_search_build(lin_search *s);
void    fl_lin_search_free(lin_search *s);
/* -1 if the model refuses op `o` in `state`, -2 on OOM, else the next state. */
int64_t fl_lin_step(lin_search *s, uint32_t state, uint32_t o);
/* A SEARCH_* code. */
int     fl_lin_search_run(lin_search *s, uint32_t state);

/* One partition to check (lin_search.c), and what came of it. */
typedef struct lin_job {
    const fl_model       *m;
    const fl_lin_op      *ops;        /* the whole history */
    const size_t         *gi;         /* the partition's ops, call order */
    size_t                n;
    fl_lin_state          init;       /* the model's initial state */
    double                deadline;   /* wall clock; 0 = none */
    size_t                max_memory;
    _Atomic size_t       *shared;     /* see lin_mem */
    const _Atomic bool   *stop;
    /* no_partition with a partitioning model: every partition at once */
    bool                  product;
    uint32_t              nparts;
    const uint32_t       *pidx;
    const fl_lin_val *const *pkey;
    /* out */
    fl_lin_report        *r;          /* violation details, if not NULL */
    uint64_t              steps, configurations;
    size_t                peak;
} lin_job;

/* Checks one partition with the tables `tabs` (reused between calls):
 * a SEARCH_* code; on SEARCH_FAIL the violation is written to job->r. */
int fl_lin_search_part(lin_job *job, lin_tables *tabs);

/* ---- reports (lin_report.c) --------------------------------------------------------- */

void fl_lin_key_text(const fl_lin_val *key, char *buf, size_t len);
void fl_lin_describe_state(const lin_search *s, uint32_t id, char *buf,
                           size_t len);
int  fl_lin_report_violation(lin_search *s, fl_lin_report *r, uint32_t init);
void fl_lin_summarize(fl_lin_report *r, double timeout_s);

/* ---- the anomaly of a violation (lin_anomaly.c) ------------------------------- */

/* Fills r->anomaly for a violation of the register or kv model, from the
 * failing partition (r->part) of h; leaves it "" when no pattern fits. */
void fl_lin_explain(const fl_lin_history *h, const fl_model *m,
                    const fl_lin_val *init, fl_lin_report *r);

#endif
