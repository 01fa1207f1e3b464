/* algorithm.h — the one door between an algorithm and the world.
 *
 * An algorithm (built in, or a student's shared object loaded with dlopen)
 * exports one `struct fl_algorithm` named `fl_algorithm_entry`. It reaches
 * time, timers, randomness, the network, its disk and its clients only
 * through the functions declared here, all of which take the `fl_ctx` the
 * engine passes to every handler. It must not use globals (all nodes of a
 * plug-in share them), rand(), time(), threads or files.
 *
 * Installed as <faultline/algorithm.h>. Build a plug-in with
 *   cc -shared -fPIC $(pkg-config --cflags faultline) my.c -o my.so
 */
#ifndef FAULTLINE_ALGORITHM_H
#define FAULTLINE_ALGORITHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct or a function below changes incompatibly. */
#define FL_ABI_VERSION 1u

/* ---- Time and identities ---------------------------------------------- */

typedef int64_t fl_time;               /* simulated nanoseconds */
#define FL_US(x) ((fl_time)(x) * 1000)
#define FL_MS(x) ((fl_time)(x) * 1000000)
#define FL_SEC(x) ((fl_time)(x) * 1000000000)

typedef int32_t fl_node_id;            /* index of a node in the scenario */
#define FL_NO_NODE ((fl_node_id)-1)

#define FL_NIL INT64_MIN               /* "no value" (a read of an unset key) */

typedef struct fl_ctx fl_ctx;          /* opaque; valid only during a call */

/* Timer kinds tell the trace and the visualizer what a timer is for. */
typedef enum fl_timer_kind {
    FL_TIMER_ELECTION,
    FL_TIMER_HEARTBEAT,
    FL_TIMER_RETRY,
    FL_TIMER_LEASE,
    FL_TIMER_TICK,
    FL_TIMER_OTHER,
    FL_TIMER_KIND_COUNT
} fl_timer_kind;

typedef uint64_t fl_timer_id;          /* 0 is never a valid id */

/* ---- Client operations ------------------------------------------------- */

typedef enum fl_op_kind {
    FL_OP_READ,       /* -> value (FL_NIL if never written) */
    FL_OP_WRITE,      /* arg = value */
    FL_OP_CAS,        /* arg = expected, arg2 = new; -> 1 swapped, 0 not */
    FL_OP_ADD,        /* arg = delta (counters) */
    FL_OP_ACQUIRE,    /* arg = lease ms; -> fencing token */
    FL_OP_RELEASE,    /* arg = fencing token */
    FL_OP_KIND_COUNT
} fl_op_kind;

typedef struct fl_op {
    fl_op_kind kind;
    uint32_t   key;
    int64_t    arg;
    int64_t    arg2;
} fl_op;

/* A client operation as it reaches a server. Plain data: copy it to answer
 * later; (client, seq) identifies the operation across retries. */
typedef struct fl_request {
    fl_node_id client;    /* the client node that sent it */
    uint32_t   attempt;   /* 0 on first send, then 1, 2, ... */
    uint64_t   seq;       /* per client, increasing */
    fl_op      op;
} fl_request;

typedef enum fl_status {
    FL_STATUS_OK,         /* it took effect (a failed CAS is OK with 0) */
    FL_STATUS_FAIL,       /* it certainly did not take effect */
    FL_STATUS_REDIRECT,   /* not here: try the node in `hint` */
    FL_STATUS_UNKNOWN     /* it may or may not have taken effect */
} fl_status;

/* ---- The context: everything an algorithm may do ------------------------ */

fl_node_id fl_self(const fl_ctx *ctx);
/* The nodes that play `role` ("server", ...; NULL = this node's role), in
 * increasing id order, including this node. Valid for the whole run. */
size_t fl_nodes(const fl_ctx *ctx, const char *role, const fl_node_id **ids);
/* This node's clock: simulated time shifted by its skew and drift. */
fl_time fl_now(const fl_ctx *ctx);

/* Copies `len` bytes; the engine may delay, drop, duplicate or reorder. */
void fl_send(fl_ctx *ctx, fl_node_id to, const void *msg, size_t len);

/* `delay` is measured on this node's clock. A cancelled or fired id is
 * harmless to cancel again. Timers die with the node on a crash. */
fl_timer_id fl_set_timer(fl_ctx *ctx, fl_time delay, fl_timer_kind kind,
                         uint64_t cookie);
void fl_cancel_timer(fl_ctx *ctx, fl_timer_id id);

/* This node's own random stream (derived from the run's seed). */
uint64_t fl_random(fl_ctx *ctx);
/* Uniform in [lo, hi] (inclusive), lo <= hi. */
int64_t fl_random_between(fl_ctx *ctx, int64_t lo, int64_t hi);

/* The disk: named files of bytes. Writes land in a volatile cache; a crash
 * keeps only what was synced (and may tear the last unsynced write).
 * fl_disk_sync makes every write so far durable and blocks this node for
 * the scenario's sync latency: messages it sends after the sync leave only
 * when the sync completes, and a crash before then loses them. */
int  fl_disk_write(fl_ctx *ctx, const char *file, uint64_t offset,
                   const void *data, size_t len);
int  fl_disk_truncate(fl_ctx *ctx, const char *file, uint64_t size);
void fl_disk_sync(fl_ctx *ctx);
/* Returns the bytes read (short at end of file), or -1 if no such file. */
int64_t fl_disk_read(fl_ctx *ctx, const char *file, uint64_t offset,
                     void *buf, size_t len);
int64_t fl_disk_size(fl_ctx *ctx, const char *file);   /* -1: no file */

/* Answer a client. `value`: the read value, the CAS outcome, a token... */
void fl_reply(fl_ctx *ctx, const fl_request *req, fl_status status,
              int64_t value);
void fl_redirect(fl_ctx *ctx, const fl_request *req, fl_node_id hint);

/* A line in the trace, attributed to this node. printf-style. */
void fl_log(fl_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- What an algorithm shows: the fixed-schema view ---------------------- */

typedef enum fl_view_kind {
    FL_VIEW_NONE,         /* no notion of leadership */
    FL_VIEW_FOLLOWER,
    FL_VIEW_CANDIDATE,
    FL_VIEW_LEADER,
    FL_VIEW_CLIENT,
    FL_VIEW_OTHER
} fl_view_kind;

typedef struct fl_view_entry {
    int64_t  term;        /* term or ballot that wrote it */
    uint64_t chain;       /* hash of this entry's command and the previous
                             entry's chain: equal chains => equal prefixes */
    uint64_t command;     /* hash of the command alone */
    bool     committed;
    bool     durable;     /* synced to disk */
} fl_view_entry;

#define FL_VIEW_MAX_SCALARS 8

typedef struct fl_view_scalar {
    const char *name;     /* a string literal */
    int64_t     value;
} fl_view_scalar;

/* The engine clears a view (kind NONE, -1 / FL_NO_NODE everywhere, arrays
 * of `npeers` entries set to -1) before `inspect` fills what applies. */
typedef struct fl_view {
    fl_view_kind kind;
    const char  *label;      /* optional finer state, a string literal */
    int64_t      term;       /* current term or ballot; -1 none */
    fl_node_id   leader;     /* who this node believes leads */
    fl_node_id   voted_for;
    int64_t      log_first;  /* first index held (after a snapshot); -1 none */
    int64_t      log_last;   /* last index held; -1 when the log is empty */
    int64_t      commit;     /* highest committed index; -1 none */
    int64_t      applied;    /* highest applied index; -1 none */
    size_t       npeers;     /* = number of nodes; arrays indexed by id */
    int64_t     *match;      /* leader: match index per node */
    int64_t     *next;       /* leader: next index per node */
    int8_t      *votes;      /* candidate: 1 granted, 0 refused, -1 unknown */
    size_t         nscalars;
    fl_view_scalar scalars[FL_VIEW_MAX_SCALARS];
} fl_view;

/* What a message is, for the trace and the visualizer. */
typedef struct fl_msg_info {
    const char *kind;        /* a string literal, e.g. "AppendEntries" */
    bool        is_reply;
    int         ok;          /* reply: 1 granted/success, 0 refused, -1 n/a */
    int64_t     term;        /* -1 if none */
    /* Added after ABI 1 without a bump: the engine sets each to -1 before
     * calling describe, so a plug-in built against an older header leaves
     * them at -1 ("not reported") and the checks that need them stand
     * aside. What each means per message kind is in the algorithm's
     * contract header (<faultline/raft.h>, <faultline/paxos.h>). */
    int64_t     index;       /* e.g. prevLogIndex, a reply's match index */
    int64_t     index_term;  /* e.g. prevLogTerm, lastLogTerm */
    int64_t     count;       /* e.g. entries carried */
    int64_t     commit;      /* e.g. leaderCommit */
} fl_msg_info;

/* Sets every field of `info` to "not reported" (kind NULL, ok and the
 * numbers -1). The engine does this before every describe. */
static inline void fl_msg_info_clear(fl_msg_info *info)
{
    info->kind = NULL;
    info->is_reply = false;
    info->ok = -1;
    info->term = -1;
    info->index = -1;
    info->index_term = -1;
    info->count = -1;
    info->commit = -1;
}

/* ---- The plug-in tables ---------------------------------------------------- */

typedef struct fl_role {
    const char *name;        /* "server", "client", "storage", ... */
    size_t      state_size;  /* the engine allocates and zeroes this */

    /* Once per boot (also after every restart), before start. Return 0, or
     * -1 after fl_log()ing why. */
    int  (*init)(fl_ctx *ctx, void *state, const cJSON *params);
    /* Boot (recovering = false) or restart after a crash (true): read the
     * disk, set the first timers. */
    void (*start)(fl_ctx *ctx, void *state, bool recovering);
    void (*on_message)(fl_ctx *ctx, void *state, fl_node_id from,
                       const void *msg, size_t len);
    void (*on_timer)(fl_ctx *ctx, void *state, fl_timer_kind kind,
                     uint64_t cookie);
    /* A client operation arrived (may be NULL for roles without clients). */
    void (*on_request)(fl_ctx *ctx, void *state, const fl_request *req);
    /* Fill what applies; must not change the state. May be NULL. */
    void (*inspect)(const void *state, fl_view *view);
    /* One log entry by index, for invariants and the visualizer; false if
     * this node does not hold it. May be NULL. */
    bool (*inspect_entry)(const void *state, int64_t index,
                          fl_view_entry *out);
    /* On a crash and at the end of a run: free what the handlers allocated
     * (the engine frees `state` itself). May be NULL. */
    void (*destroy)(void *state);
} fl_role;

/* How many nodes play one role in a scenario (for validate_nodes). */
typedef struct fl_node_count {
    const char *role;
    size_t      count;
} fl_node_count;

typedef struct fl_algorithm {
    unsigned    abi_version;   /* FL_ABI_VERSION */
    size_t      struct_size;   /* sizeof(struct fl_algorithm) */
    const char *name;          /* "raft"; picks invariants and the model */
    const char *description;
    const fl_role *roles;      /* array ended by an entry with name NULL;
                                  the first role is the servers' */
    /* Check the scenario's "params" before any run. Write a message naming
     * the key (e.g. "heartbeat_ms: must be > 0") and return -1 if bad. */
    int  (*validate)(const cJSON *params, char *err, size_t errlen);
    void (*describe)(const void *msg, size_t len, fl_msg_info *info);
    /* Optional, and only read when struct_size covers it (a plug-in built
     * before it existed still loads): check the node counts per role
     * (every role of the scenario, clients included) before any run, so a
     * scenario the algorithm cannot run is refused with a message instead
     * of every node's init failing. Write "ROLE: what" (e.g. "worker: the
     * sort needs 1..64 workers, got 65") and return -1 if bad. */
    int  (*validate_nodes)(const cJSON *params, const fl_node_count *counts,
                           size_t ncounts, char *err, size_t errlen);
} fl_algorithm;

/* The size of struct fl_algorithm before validate_nodes: the smallest
 * struct_size a plug-in may declare. */
#define FL_ALGORITHM_SIZE_V1 offsetof(fl_algorithm, validate_nodes)
/* Does `a` (a plug-in may be older) have the member `m`? */
#define FL_ALGORITHM_HAS(a, m) \
    ((a)->struct_size >= offsetof(fl_algorithm, m) + sizeof((a)->m) && (a)->m)

/* A plug-in defines:  FL_EXPORT const fl_algorithm fl_algorithm_entry = {...};
 * (FL_EXPORT keeps it visible when the plug-in is built -fvisibility=hidden,
 * which stops its other symbols binding to the executable's.) */
#define FL_ALGORITHM_SYMBOL "fl_algorithm_entry"
#define FL_EXPORT __attribute__((visibility("default")))

#ifdef __cplusplus
}
#endif
#endif
