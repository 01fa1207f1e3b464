/* linop.h — the linearizability checker's view of a history: completed
 * operations (call and return positions, argument, result) whose values may
 * be integers, strings, CAS pairs or sets, so one checker serves faultline's
 * own int64 histories and Jepsen's string key-value histories alike.
 *
 * A fl_lin_history owns its ops and, in an arena, every string, pair and
 * list its values point to. Failed ops are not in it (they did not happen);
 * indeterminate ops are, with status INFO and no result. */
#ifndef FL_CHECK_LINOP_H
#define FL_CHECK_LINOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/history.h"

/* ---- arena and byte buffer ----------------------------------------------- */

typedef struct fl_arena_chunk fl_arena_chunk;
typedef struct fl_arena {
    fl_arena_chunk *head;
    fl_arena_chunk *spare;    /* emptied by fl_arena_reset, for reuse */
} fl_arena;

void  fl_arena_init(fl_arena *a);
void  fl_arena_free(fl_arena *a);
/* Forgets every allocation but keeps the memory for the next ones. */
void  fl_arena_reset(fl_arena *a);
/* 16-byte aligned, zeroed; NULL when out of memory. */
void *fl_arena_alloc(fl_arena *a, size_t n);
/* The same, not zeroed. */
void *fl_arena_alloc_raw(fl_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *fl_arena_strndup(fl_arena *a, const char *s, size_t n);

/* A growable byte buffer. `oom` sticks once an allocation failed. */
typedef struct fl_lin_buf {
    unsigned char *data;
    size_t         len, cap;
    bool           oom;
} fl_lin_buf;

void fl_lin_buf_free(fl_lin_buf *b);
void fl_lin_buf_put(fl_lin_buf *b, const void *p, size_t n);
void fl_lin_buf_put_i64(fl_lin_buf *b, int64_t v);

/* ---- values ---------------------------------------------------------------- */

typedef enum fl_lin_vtype {
    FL_LV_NONE,     /* absent: no argument, or an unknown result */
    FL_LV_NIL,      /* nil / null / FL_NIL */
    FL_LV_INT,
    FL_LV_BOOL,     /* a CAS result */
    FL_LV_STR,
    FL_LV_PAIR,     /* [expected new] of a CAS */
    FL_LV_LIST,     /* a set read: int64 elements, sorted ascending */
    FL_LV_TXN       /* a transaction: micro-ops [:read k v] / [:write k v] */
} fl_lin_vtype;

struct fl_lin_mop;

typedef struct fl_lin_val {
    fl_lin_vtype type;
    size_t       n;                       /* STR: bytes, LIST: elements */
    union {
        int64_t                  i;       /* INT, BOOL (0 / 1) */
        const char              *s;       /* STR, NUL-terminated */
        const int64_t           *list;    /* LIST */
        const struct fl_lin_val *pair;    /* PAIR: two values */
        const struct fl_lin_mop *mops;    /* TXN: n micro-ops */
    } u;
} fl_lin_val;

/* One micro-op of a transaction (Knossos' multi-register): a read of key
 * seeing val (NONE: unknown), or a write of val to key. */
typedef struct fl_lin_mop {
    bool       write;
    fl_lin_val key, val;
} fl_lin_mop;

fl_lin_val fl_lin_none(void);
fl_lin_val fl_lin_nil(void);
fl_lin_val fl_lin_int(int64_t v);
fl_lin_val fl_lin_bool(bool v);
bool       fl_lin_val_equal(const fl_lin_val *a, const fl_lin_val *b);
uint64_t   fl_lin_val_hash(const fl_lin_val *v);
/* Writes a readable form ("nil", "42", "\"x 1 y\"", "[1 2]", "#{1 2}"),
 * truncated with "..." to fit; returns buf. */
char      *fl_lin_val_format(const fl_lin_val *v, char *buf, size_t len);

/* Canonical bytes of a scalar value (NIL, INT or STR) for model states,
 * and back: decode points into the bytes, it does not copy. */
void fl_lin_val_encode(const fl_lin_val *v, fl_lin_buf *out);
bool fl_lin_val_decode(const unsigned char *p, size_t n, fl_lin_val *out);

/* ---- operations ------------------------------------------------------------ */

typedef enum fl_lin_kind {
    FL_LIN_READ,      /* -> the value (register/kv/counter), the set (set) */
    FL_LIN_WRITE,     /* arg: the value */
    FL_LIN_CAS,       /* arg: PAIR; -> BOOL */
    FL_LIN_ADD,       /* arg: delta (counter) or element (set) */
    FL_LIN_ACQUIRE,   /* arg ignored (lease); -> fencing token or nil */
    FL_LIN_RELEASE,   /* arg: the token */
    FL_LIN_APPEND,    /* arg: a string appended to the value (kv) */
    FL_LIN_TXN,       /* arg: TXN, with the reads' results (multi-register) */
    FL_LIN_KIND_COUNT
} fl_lin_kind;

const char *fl_lin_kind_name(fl_lin_kind k);

typedef enum fl_lin_status {
    FL_LIN_STATUS_OK,     /* completed: out is the result */
    FL_LIN_STATUS_INFO    /* indeterminate: may take effect after its call,
                             or never; out is NONE */
} fl_lin_status;

#define FL_LIN_NEVER INT64_MAX    /* the return position of an INFO op */

typedef struct fl_lin_op {
    fl_lin_kind   kind;
    fl_lin_status status;
    int64_t       process;
    fl_lin_val    key;        /* NONE when the op names no key */
    fl_lin_val    arg;
    fl_lin_val    out;        /* NONE when unknown (INFO) */
    int64_t       call, ret;  /* positions in the source: call < ret;
                                 ret = FL_LIN_NEVER for INFO */
    int64_t       call_time, ret_time;  /* for display (ns or line) */
    size_t        line;       /* source line of the invoke, 0 if none */
} fl_lin_op;

/* Writes e.g. "p3 cas [0 3] -> false" / "p1 append key \"4\" \"x 1 y\" -> ?". */
char *fl_lin_op_format(const fl_lin_op *op, char *buf, size_t len);

/* ---- histories -------------------------------------------------------------- */

typedef struct fl_lin_history {
    fl_lin_op *ops;           /* in call order */
    size_t     len, cap;
    fl_arena   arena;         /* strings, pairs and lists of the values */
    char       source[256];   /* file name for messages ("" if none) */
    bool       has_strings;   /* some value is a string */
    bool       time_is_ns;    /* call_time/ret_time are ns, else line numbers */
    /* What the file's format says the initial value is, where it says
     * (Porcupine's kv format: "" for every key); NONE otherwise. --init
     * wins over it. `init_why` says where it comes from, for messages. */
    fl_lin_val init_hint;
    char       init_why[96];
    /* The model the format implies ("kv" for Porcupine's kv format), or
     * NULL; --model wins over it. */
    const char *model_hint;
} fl_lin_history;

void fl_lin_history_init(fl_lin_history *h, const char *source);
void fl_lin_history_free(fl_lin_history *h);
/* Appends a copy of *op (its values must live in h->arena or be scalars).
 * Returns 0, or -1 when out of memory. */
int  fl_lin_history_add(fl_lin_history *h, const fl_lin_op *op);

/* Builds the checker's history from a run's history: pairs each invoke with
 * its completion by op id, drops FAIL ops, keeps INFO ops and ops never
 * completed as indeterminate. Positions are event indices, so order within
 * one nanosecond is kept. Returns 0, or -1 with a message in err. */
int fl_lin_from_history(const fl_history *src, fl_lin_history *out,
                        fl_error *err);

#endif
