/* trace_compact_internal.h — what the compact trace's encoder
 * (trace_compact.c) and decoder (trace_compact_dec.c) share: the record
 * tags, the number encodings and the per-node view state both sides keep.
 * Private to those two files. */
#ifndef FL_TRACE_COMPACT_INTERNAL_H
#define FL_TRACE_COMPACT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/trace_compact.h"
#include "sim/engine_internal.h"

#define MAGIC       "FLTRACE"         /* and a NUL: 8 bytes */
#define BLOCK       (128 * 1024)      /* raw bytes handed to zstd at a time */
#define LEVEL       (-3)              /* fast: ~20% less CPU than level 1, ~20% larger */
#define STR_MAX     1024              /* strings named by number */
#define MAX_STR_LEN (1u << 20)        /* a decoder's sanity limits */
#define MAX_TEXT    (16u << 20)
#define MAX_NODES   (1u << 20)
#define MAX_WINDOW  ((size_t)64 << 20)

enum { TAG_TYPE = 0x1f, TAG_PEER = 0x20, TAG_ID = 0x40, TAG_TEXT = 0x80 };
enum { MSG_REPLY = 0x04, MSG_TERM = 0x20, MSG_REASON = 0x40, MSG_CLIENT = 0x80 };
enum { VIEW_LABEL = 1, VIEW_MATCH = 2, VIEW_VOTES = 4 };

static inline bool tc_is_message(fl_trace_type t)
{
    return t == FL_TR_SEND || t == FL_TR_DELIVER || t == FL_TR_DROP || t == FL_TR_DUPLICATE;
}

static inline uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline int64_t unzigzag(uint64_t u) { return (int64_t)(u >> 1) ^ -(int64_t)(u & 1); }
/* a - b and a + b without signed overflow (garbage input must not be UB) */
static inline int64_t diff64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t add64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }

/* ---- Views as differences -------------------------------------------------------
 * A view record says only what changed since the node's last view: a
 * bit mask (V_*), then the changed fields, numbers as differences. Both
 * sides keep the same state per node (a node id outside the header's
 * count uses a spare slot, reset for every view). */

#define NUMS 7                        /* term, leader, voted_for, log_first, log_last, commit, applied */
enum { V_KIND = 1, V_LABEL = 2, V_NUM0 = 4, V_ARRAYS = 1 << 9, V_NAMES = 1 << 10,
       V_VAL0 = 1 << 11, V_ALL = (1 << 19) - 1 };

typedef struct vstate {
    uint64_t    kind;
    long        label_id;             /* encoder: string number, -1 none, -2 unnumbered */
    const char *label;                /* encoder: as given; decoder: the text */
    int64_t     num[NUMS];
    unsigned    arrays;               /* VIEW_MATCH | VIEW_VOTES */
    size_t      npeers, cap;
    int64_t    *match, *next, *votes;
    size_t      ns;
    long        name_id[FL_VIEW_MAX_SCALARS];
    const char *name[FL_VIEW_MAX_SCALARS];
    int64_t     val[FL_VIEW_MAX_SCALARS];
} vstate;

void    tc_vstate_reset(vstate *st);
vstate *tc_vstates_new(size_t nnodes);
void    tc_vstates_free(vstate *v, size_t nnodes);
vstate *tc_vstate_of(vstate *v, size_t nnodes, fl_node_id node);
/* The arrays sized n; values zeroed when n changes. false if out of memory. */
bool    tc_vstate_size(vstate *st, size_t n);

#endif
