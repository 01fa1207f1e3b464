/* trace.h — the run's trace: canonical event records folded into a 64-bit
 * hash (always, cheaply), optionally written to a file — JSON Lines after a
 * header line, or the compact format (sim/trace_compact.h) — and the last
 * few kept in a ring so a failure can show what led to it. Owns the output
 * stream it is given only for writing. The hash is over the records, so it
 * is the same whichever format (or none) is written. */
#ifndef FL_TRACE_H
#define FL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "algorithms/algorithm.h"

#define FL_TRACE_FORMAT_VERSION 1

/* How a trace file is written. Readers tell them apart by content
 * (sim/traceio.h); writers choose by --trace-format or the file name. */
typedef enum fl_trace_format {
    FL_TRACE_JSONL,        /* a header line, then one JSON object per event */
    FL_TRACE_COMPACT       /* zstd-compressed binary records (trace_compact.h) */
} fl_trace_format;

/* A trace file name ending so is written in the compact format. */
#define FL_TRACE_COMPACT_SUFFIX ".fltrace"

#define FL_TRACE_TYPES(X)  \
    X(BOOT, "boot")         \
    X(SEND, "send")         \
    X(DELIVER, "deliver")   \
    X(DROP, "drop")         \
    X(DUPLICATE, "duplicate") \
    X(TIMER, "timer")       \
    X(CRASH, "crash")       \
    X(RESTART, "restart")   \
    X(PAUSE, "pause")       \
    X(RESUME, "resume")     \
    X(PARTITION, "partition") \
    X(HEAL, "heal")         \
    X(LINK, "link")         \
    X(CLOCK, "clock")       \
    X(SKIP, "fault-skipped") \
    X(SYNC, "sync")         \
    X(INVOKE, "invoke")     \
    X(COMPLETE, "complete") \
    X(VIEW, "view")         \
    X(LOG, "log")           \
    X(END, "end")

typedef enum fl_trace_type {
#define FL_X_ENUM(name, text) FL_TR_##name,
    FL_TRACE_TYPES(FL_X_ENUM)
#undef FL_X_ENUM
    FL_TR_COUNT
} fl_trace_type;

typedef enum fl_channel {
    FL_CH_ALG,       /* algorithm bytes */
    FL_CH_REQUEST,   /* a client request (struct fl_request) */
    FL_CH_REPLY      /* a reply to a client (struct fl_reply_msg) */
} fl_channel;

/* Link-fault flags of a record (structured detail, see below). */
enum { FL_TRACE_LINK_SYMMETRIC = 1, FL_TRACE_LINK_CUT = 2 };

/* describe's answer for one message, kept with it while it is in flight so
 * that it is described once, whoever asks first (the trace writer, the
 * invariant checker). */
typedef struct fl_msg_desc {
    bool        done;         /* info holds the answer */
    fl_msg_info info;         /* as describe left it (kind may be NULL) */
} fl_msg_desc;

/* One event. The numeric fields and `text` are hashed; the pointers give
 * the JSON writer more to say. The structured detail (reason, groups,
 * flags) goes only into the JSON line, never into the hash: it repeats
 * in fields what the hashed text says in words, so readers (viz, diff)
 * never parse the text. */
typedef struct fl_trace_rec {
    fl_time       time;
    fl_trace_type type;
    fl_node_id    node;       /* who it happened to (sender for a send) */
    fl_node_id    peer;       /* the other end, or FL_NO_NODE */
    uint64_t      id;         /* message id, timer id, op id ... */
    int64_t       a, b;       /* type-specific: see trace.c */
    const char   *text;       /* reason, log line, fault description */
    const void   *payload;    /* message bytes (send/deliver/drop/dup) */
    size_t        len;
    fl_channel    channel;
    fl_msg_desc  *described;  /* the message's kept describe answer (filled
                               * here if not done yet), or NULL */
    const fl_view *view;      /* VIEW */
    const char   *reason;     /* drop, fault-skipped: a short code, e.g. "loss" */
    const int    *group_of;   /* partition: each node's group (-1 unnamed) */
    unsigned      ngroups;    /* partition: groups named */
    unsigned      flags;      /* link: FL_TRACE_LINK_* */
    uint64_t      events;     /* end: the engine's events processed, as
                                 `run` counts them (JSON only, not hashed) */
    bool          stopped;    /* end: written by fl_trace_note_stop */
} fl_trace_rec;

typedef struct fl_trace_node_info {
    const char *role;
} fl_trace_node_info;

#define FL_TRACE_RING 32
#define FL_TRACE_RING_SMALL 16

typedef struct fl_trace {
    uint64_t hash;
    uint64_t count;
    FILE    *out;              /* JSON Lines; NULL: none (hash only, or enc) */
    struct fl_trace_enc *enc;  /* the compact writer, owned; NULL: none */
    int      io_error;
    void (*describe)(const void *msg, size_t len, fl_msg_info *info);
    size_t   nnodes;           /* from fl_trace_open, for partition groups */
    bool     ended;            /* an end record was written */
    bool     recent;           /* the ring is kept (fl_trace_keep_recent) */
    bool     full;             /* out, enc or recent: a record is more than
                                * its hash (one test on the message path) */
    /* the last FL_TRACE_RING events, formatted only when asked for */
    struct fl_trace_ring_rec {
        fl_time       time;
        fl_trace_type type;
        fl_node_id    node, peer;
        uint64_t      id;
        int64_t       a, b;
        bool          has_msg;  /* a message event: kind derived on print */
        fl_channel    channel;
        uint8_t      *bytes;    /* copy of an algorithm message, owned */
        size_t        len, cap;
        uint8_t       small[FL_TRACE_RING_SMALL]; /* the copy if len <= this */
        char          text[80];
    }        ring[FL_TRACE_RING];
    size_t   ring_next;
} fl_trace;

void fl_trace_init(fl_trace *t, void (*describe)(const void *, size_t, fl_msg_info *));
/* Starts writing the trace to `out` in `format`, header first. */
int  fl_trace_open(fl_trace *t, FILE *out, fl_trace_format format, uint64_t seed,
                   const char *scenario, uint64_t scenario_hash, const char *algorithm,
                   const fl_trace_node_info *nodes, size_t nnodes);
void fl_trace_record(fl_trace *t, const fl_trace_rec *r);
/* fl_trace_record of a record with only these fields set (no payload, no
 * structured detail), without building one when no file is written: the
 * same hash and ring. */
void fl_trace_event(fl_trace *t, fl_time time, fl_trace_type type, fl_node_id node,
                    fl_node_id peer, uint64_t id, int64_t a, int64_t b, const char *text);
/* Ends the file: the compact writer writes its last block. -1 if any write
 * failed. Later records are only hashed. Call before closing `out`. */
int  fl_trace_close(fl_trace *t);
/* A run that stopped before its end (a check failed) has no end record:
 * this writes one to the JSON only ({"ev":"end",...,"events":N,
 * "stopped":true}) so that a reader of the trace learns the run's event
 * count; neither hashed nor counted, so the trace hash stays the run's.
 * Does nothing once an end record was written, or without a file. */
void fl_trace_note_stop(fl_trace *t, fl_time time, uint64_t events);
/* Frees the ring's message copies and an unclosed compact writer (the
 * trace does not own `out`). */
void fl_trace_destroy(fl_trace *t);
fl_trace_format fl_trace_format_for_path(const char *path);

/* The JSON Lines text, shared by the writer and the compact reader so an
 * exported trace is byte for byte the one a run writes: the header line,
 * and one event's line (`info` is what describe said of a message event;
 * `nnodes` sizes a partition's group_of). -1 on a write error. */
int  fl_trace_write_header(FILE *out, uint64_t seed, const char *scenario,
                           uint64_t scenario_hash, const char *algorithm,
                           const fl_trace_node_info *nodes, size_t nnodes);
int  fl_trace_write_line(FILE *out, size_t nnodes, const fl_trace_rec *r,
                         const fl_msg_info *info);
const char *fl_trace_type_name(fl_trace_type type);
/* Whether a view's match/next arrays are written: a leader's, or any view
 * but a candidate's whose algorithm filled them (a CRDT's vectors). */
bool fl_trace_view_vectors(const fl_view *v);
/* Keeps the last FL_TRACE_RING events from now on, for
 * fl_trace_print_recent. Off by default: only a failure's report reads
 * them, and `faultline run` re-derives them by running the same run again
 * with the ring on (sim/cli/cmd_run.c), so no other run pays for it. */
void fl_trace_keep_recent(fl_trace *t);
/* Writes the ring's events, oldest first, one per line with `indent`
 * (none unless fl_trace_keep_recent was called before they happened). */
void fl_trace_print_recent(const fl_trace *t, FILE *out, const char *indent);


#endif
