/* fake_ctx.h — a fake of the algorithm context (algorithms/algorithm.h)
 * for unit tests of one algorithm node without the engine: it records what
 * the node sends, which timers it sets, and keeps an in-memory disk that
 * knows which bytes are synced. Link it instead of libfl.a. */
#ifndef FL_TESTS_FAKE_CTX_H
#define FL_TESTS_FAKE_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"

#define FAKE_MAX_SENT   64
#define FAKE_MAX_TIMERS 64
#define FAKE_MAX_FILES  8

typedef struct fake_sent {
    fl_node_id to;
    uint8_t   *data;
    size_t     len;
    bool       unsynced_writes;   /* a write was not yet synced when sent */
} fake_sent;

typedef struct fake_timer {
    fl_timer_id   id;
    fl_timer_kind kind;
    fl_time       delay;
    uint64_t      cookie;
    bool          cancelled;
} fake_timer;

typedef struct fake_file {
    char     name[64];
    uint8_t *data;
    size_t   len;
} fake_file;

struct fl_ctx {
    fl_node_id  self;
    fl_node_id  servers[8];
    size_t      nservers;
    fl_time     now;
    uint64_t    rng;
    fake_sent   sent[FAKE_MAX_SENT];
    size_t      nsent;
    fake_timer  timers[FAKE_MAX_TIMERS];
    fl_timer_id next_timer;
    size_t      ntimers;
    fake_file   files[FAKE_MAX_FILES];
    size_t      nfiles;
    bool        dirty;             /* writes since the last sync */
    size_t      syncs;
    size_t      replies;
    fl_status   last_status;
    int64_t     last_value;
};

/* Node `self` of `n` servers with ids 0..n-1. */
void fake_ctx_init(fl_ctx *ctx, fl_node_id self, size_t n);
void fake_ctx_destroy(fl_ctx *ctx);
/* Forgets what was sent (frees it). */
void fake_ctx_clear_sent(fl_ctx *ctx);
/* The most recent live timer of `kind`, or NULL. */
const fake_timer *fake_ctx_timer(const fl_ctx *ctx, fl_timer_kind kind);

#endif
