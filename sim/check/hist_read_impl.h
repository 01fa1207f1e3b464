/* hist_read_impl.h — the inside of the history readers (the door is
 * hist_read.h), shared by their files and by nothing else:
 *   hist_pair.c   pairing invokes with completions into the checker's ops,
 *                 and the values of ops;
 *   hist_map.c    op maps (EDN and JSON objects) to raw events;
 *   hist_edn.c    the EDN reader; hist_jsonl.c JSON Lines; hist_etcd.c
 *                 Jepsen etcd logs; hist_read.c detection and entry points.
 * Every reader turns its lines into raw events, then one pairing step
 * turns them into ops, so all formats share their semantics where they
 * agree, and every error names the file and line. */
#ifndef FL_CHECK_HIST_READ_IMPL_H
#define FL_CHECK_HIST_READ_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/check/hist_read.h"
#include "sim/util/idmap.h"

/* ---- generic values: what a parsed EDN or JSON datum looks like ----------- */

typedef enum rd_type {
    RD_NIL, RD_BOOL, RD_INT, RD_FLOAT, RD_STR, RD_KW, RD_SYM,
    RD_VEC, RD_LIST, RD_SET, RD_MAP
} rd_type;

typedef struct rd_node {
    rd_type          type;
    size_t           line;
    int64_t          i;          /* INT, BOOL */
    const char      *s;          /* STR, KW (without ':'), SYM */
    size_t           n;          /* STR: bytes; collections: items */
    struct rd_node **items;      /* MAP: key, value, key, value, ... */
} rd_node;

/* ---- raw events ---------------------------------------------------------------- */

typedef enum rd_etype { RD_INVOKE, RD_OK, RD_FAIL, RD_INFO } rd_etype;

typedef struct rd_event {
    size_t         line;
    int64_t        process;
    rd_etype       type;
    fl_lin_kind    kind;
    fl_lin_val     key;          /* NONE if absent */
    const rd_node *value;        /* NULL if absent */
    fl_lin_val     evalue;       /* etcd logs: the value, already parsed */
    bool           has_evalue;
    int            result;       /* CAS: -1 absent, 0 false, 1 true */
    bool           has_time;
    int64_t        time;
    bool           mismatch;     /* :error :mismatch (see hist_pair.c) */
} rd_event;


/* ---- pairing (hist_pair.c) ------------------------------------------------------ */

typedef struct rd_pairer {
    fl_lin_history *h;
    const char     *name;
    fl_hist_format  fmt;
    /* Semantics of the file (hist_read.h): */
    bool            nil_unknown;   /* Knossos: a read of nil saw an
                                      unknown value */
    bool            faultline;     /* faultline's own EDN: nil reads saw
                                      nil; :fail :cas :error :mismatch is a
                                      CAS that returned false */
    bool            kv_format;     /* Porcupine's kv format was seen (:key
                                      with :f get/put/append) */
    fl_error       *err;
    int64_t         pos;         /* event counter: the order of the history */
    bool            all_timed;
    /* per op in h->ops: */
    unsigned char  *dead;        /* failed: dropped at the end */
    size_t         *ret_line;
    int64_t        *call_t, *ret_t;
    size_t          cap;
    /* process -> index of its open op + 1, 0 for none */
    fl_idmap        procs;
} rd_pairer;

int  fl_rd_oom(rd_pairer *p);
int  fl_rd_line_error(rd_pairer *p, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool fl_rd_is_coll(const rd_node *v);
/* A key: nil (none), a keyword or symbol (as a string), a scalar. */
int  fl_rd_key(rd_pairer *p, const rd_node *k, fl_lin_val *out);
/* A scalar: nil, an integer or a string (copied into the history). */
int  fl_rd_scalar(rd_pairer *p, const rd_node *v, fl_lin_val *out,
                  const char *what);
int  fl_rd_pair_event(rd_pairer *p, const rd_event *ev);
void fl_rd_pair_finish(rd_pairer *p);
void fl_rd_pairer_free(rd_pairer *p);

/* ---- op maps (hist_map.c) --------------------------------------------------------- */

bool fl_rd_name_is(const rd_node *v, const char *name);
int  fl_rd_kind_by_name(const rd_node *v, fl_lin_kind *out);
int  fl_rd_type_by_name(const rd_node *v, rd_etype *out);
/* One op map: an event paired into the history, or skipped (nemesis). */
int  fl_rd_map_to_history(rd_pairer *p, const rd_node *map);

/* ---- the readers ---------------------------------------------------------------------- */

bool fl_rd_blank(const char *s, const char *end);
int  fl_rd_read_edn(rd_pairer *p, const char *text, size_t len);
int  fl_rd_read_jsonl(rd_pairer *p, const char *text, size_t len);
int  fl_rd_read_etcd(rd_pairer *p, const char *text, size_t len);

#endif
