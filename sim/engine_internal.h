/* engine_internal.h — the engine's insides, shared by the engine's own
 * modules (engine.c the loop, node.c the nodes' lifecycle, ctx.c the
 * context of algorithm.h and timers, observe.c views and hooks, net.c,
 * fault.c, client.c, manual.c) and nobody else. */
#ifndef FL_ENGINE_INTERNAL_H
#define FL_ENGINE_INTERNAL_H

#include <gsl/gsl_rng.h>

#include "sim/disk.h"
#include "sim/engine.h"
#include "sim/queue.h"

/* Message blocks of payload capacity 16 << class bytes (16 B .. 64 KiB;
 * never less than 16, which the trace's ring relies on)
 * are reused through free lists (sim/msg.c); larger ones are malloc'd. At
 * most FL_MSG_POOL_MAX_BYTES of payload capacity wait in the lists. */
#define FL_MSG_POOL_CLASSES   13
#define FL_MSG_POOL_MAX_BYTES ((size_t)4 << 20)

struct fl_msg;
typedef struct fl_msg_pool {
    struct fl_msg *free[FL_MSG_POOL_CLASSES];
    size_t         pooled;      /* payload capacity in the free lists */
    size_t         in_flight;   /* payload bytes of messages not yet freed */
} fl_msg_pool;

/* A message in flight; the engine owns it until delivery or drop. */
typedef struct fl_msg {
    uint64_t   id;
    fl_node_id from, to;
    uint32_t   incarnation;  /* the sender's, when sent */
    fl_channel channel;
    fl_time    depart;       /* leaves the sender (after a pending sync) */
    size_t     len;
    fl_msg_pool *pool;       /* where it goes back when freed */
    struct fl_msg *next_free;/* in the pool's free list */
    uint8_t    size_class;   /* FL_MSG_POOL_CLASSES: malloc'd, not pooled */
    fl_msg_desc desc;        /* describe's answer, kept so that a message is
                              * described once (trace, invariants) */
    uint8_t    data[];
} fl_msg;

/* A reply to a built-in client, on the wire. */
typedef struct fl_reply_msg {
    uint64_t   seq;
    fl_status  status;
    int64_t    value;
    fl_node_id hint;
} fl_reply_msg;

typedef struct fl_node {
    fl_node_id     id;
    const fl_role *role;
    const char    *role_name;
    size_t         role_index;     /* position in the scenario's role list */
    bool           builtin_client;
    void          *state;
    bool           alive, paused;
    uint32_t       incarnation;
    fl_time       *incarnation_end; /* crash time of each past incarnation */
    size_t         incarnation_cap;
    fl_time        crashed_at;
    fl_time        busy_until;     /* a sync in progress blocks the node */
    uint64_t       pause_gen;
    fl_event      *deferred;       /* events held while paused */
    size_t         ndeferred, deferred_cap;
    /* clock: local = base_local + (real - base_real) * (1e6 + ppm) / 1e6 */
    fl_time        base_real, base_local;
    int64_t        drift_ppm;
    gsl_rng       *rng;
    struct fl_rng_state *rng_state; /* rng->state (fl_random_between) */
    gsl_rng       *disk_rng;
    fl_disk       *disk;
    fl_view        view;           /* after its last step */
    bool           has_view;
} fl_node;

typedef struct fl_timer_slot {
    uint32_t   gen;
    bool       armed;
    fl_node_id node;
    uint32_t   incarnation;
    uint8_t    kind;
    uint64_t   cookie;
    fl_time    due;            /* when it fires, in simulated (real) time */
    uint32_t   next_free;
} fl_timer_slot;

typedef struct fl_link_state {
    bool         split;            /* across the current partition */
    bool         cut;              /* cut by a link fault (drop 1.0) */
    bool         has_override;
    fl_link_spec spec;             /* effective spec when has_override */
    fl_time      last_delivery;    /* for FIFO links */
    gsl_rng     *rng;              /* the link's stream, made on first use */
    struct fl_rng_state *rs;       /* rng->state: one load less per message */
} fl_link_state;

struct fl_ctx {
    fl_engine *e;
    fl_node   *node;
};

typedef struct fl_hook_entry {
    fl_step_hook fn;
    void        *arg;
} fl_hook_entry;

typedef struct fl_msg_hook_entry {
    fl_msg_hook  fn;
    void        *arg;
} fl_msg_hook_entry;

struct fl_nemesis_state {
    size_t down;                   /* crashed / paused by this nemesis now */
};

struct fl_engine {
    const fl_scenario  *scn;
    const fl_algorithm *alg;
    uint64_t            seed;
    fl_time             now, end;
    bool                done, finished;
    fl_queue            queue;
    fl_node            *nodes;
    size_t              nnodes;
    /* role name -> ids, for fl_nodes() */
    struct fl_role_ids {
        const char *name;
        fl_node_id *ids;
        size_t      n;
    }                  *role_ids;
    size_t              nrole_ids;
    fl_timer_slot      *timers;
    size_t              ntimers, timers_cap;
    uint32_t            timer_free;    /* 1-based index, 0 none */
    fl_link_state      *links;         /* nnodes * nnodes */
    gsl_rng            *fault_rng;
    uint64_t            next_msg_id;
    fl_trace            trace;
    fl_history          history;
    fl_engine_stats     stats;
    fl_hook_entry      *hooks;
    size_t              nhooks;
    bool                stopped;
    fl_msg_pool         msgs;              /* message blocks; bytes under way */
    char                failure[256];      /* the implementation broke a rule */
    char                failure_check[32];
    fl_msg_hook_entry  *msg_hooks;
    size_t              nmsg_hooks;
    struct fl_msg *delivering;         /* during its receiver's step */
    struct fl_trigger_state *triggers; /* one per scenario fault */
    struct fl_nemesis_state *nemesis;  /* one per scenario fault */
    fl_nemesis_action  *nem_log;       /* what the nemeses did */
    size_t              nem_n, nem_cap;
    bool                nem_keep;      /* fl_engine_keep_nemesis_log */
    fl_view             scratch;       /* view being filled */
    fl_time             last_disruption_end;
    fl_time             leader_since;
    bool                disrupted;     /* a node down or paused, a link cut */
    fl_time             calm_since;    /* when the last disruption ended */
    fl_time             calm_total;    /* fault-free time in the workload
                                        * window before calm_since */
    fl_time             settle;        /* not counted after each recovery */
    fl_time             count_from;    /* calm counts from here: calm_since
                                        * + settle (0 at the start) */
    struct fl_ctx       ctx;
    const fl_role      *client_role;   /* the built-in client role */
    fl_step_info        step;          /* the step under way (stepinfo.h) */
    bool                manual;        /* driven by sim/manual.c */
};

/* A node starts a step for `cause`: what fl_engine_step_info reports. */
static inline void fl_engine_cause(fl_engine *e, fl_node_id node,
                                   fl_cause_kind cause)
{
    e->step.node = node;
    e->step.cause = cause;
    e->step.set = 0;
}

/* engine.c — the loop */
/* The context handed to `n`'s handlers (inline: every event). */
static inline fl_ctx *fl_engine_ctx(fl_engine *e, fl_node *n)
{
    e->ctx.e = e;
    e->ctx.node = n;
    return &e->ctx;
}
void    fl_engine_trace_simple(fl_engine *e, fl_trace_type type, fl_node_id node,
                               fl_node_id peer, int64_t a, int64_t b,
                               const char *text);
/* Queues an event (the queue's peak counted); -1 if out of memory. */
static inline int fl_engine_push(fl_engine *e, fl_event *ev, fl_event_class cls)
{
    if (fl_queue_push(&e->queue, ev, cls) < 0)
        return -1;
    size_t len = fl_queue_len(&e->queue);
    if (len > e->stats.queue_peak)
        e->stats.queue_peak = len;
    return 0;
}
/* Manual delivery (sim/manual.c): fire one event taken from the queue,
 * moving time forward to it (never back). */
void    fl_engine_fire(fl_engine *e, fl_event *ev);

/* node.c — the nodes' lifecycle */
/* Makes the nodes of the scenario's roles and queues their boots. */
int     fl_nodes_init(fl_engine *e, fl_error *err);
void    fl_nodes_destroy(fl_engine *e);
void    fl_node_boot(fl_engine *e, fl_node *n, bool recovering);
/* Holds an event for a paused or syncing node; true if it was held. */
bool    fl_node_hold(fl_engine *e, fl_node *n, fl_event *ev);
/* Whether fl_node_hold would hold an event now (inline: every event asks). */
static inline bool fl_node_busy(const fl_engine *e, const fl_node *n)
{
    return n->paused || e->now < n->busy_until;
}
void    fl_node_drop_deferred(fl_node *n);
void    fl_node_crash(fl_engine *e, fl_node *n, bool torn);
void    fl_node_restart(fl_engine *e, fl_node *n);
void    fl_node_pause(fl_engine *e, fl_node *n, fl_time duration);
void    fl_node_resume(fl_engine *e, fl_node *n);
void    fl_node_set_clock(fl_engine *e, fl_node *n, fl_time skew, int64_t ppm,
                          bool set_drift);
fl_time fl_node_local_time(const fl_node *n, fl_time real);
/* A delay on the node's clock, in simulated (real) time, rounded up. */
fl_time fl_node_real_delay(const fl_node *n, fl_time delay);

/* observe.c — views, hooks, liveness bookkeeping */
int     fl_view_alloc(fl_view *v, size_t n);
void    fl_view_free(fl_view *v);
void    fl_view_clear(fl_view *v);
void    fl_engine_after_step(fl_engine *e, fl_node *n);
/* fl_engine_after_step for a node that may have no view (most steps of
 * an algorithm without `inspect`: nothing to do, no call). */
static inline void fl_engine_observe(fl_engine *e, fl_node *n)
{
    if (n->has_view)
        fl_engine_after_step(e, n);
}
/* A heal, restart or resume just ended a disruption (liveness clock). */
void    fl_engine_mark_recovery(fl_engine *e);
/* After a fault event: a disruption began or ended (fault-free time). */
void    fl_engine_note_disruption(fl_engine *e);

/* ctx.c — timers (the rest is algorithm.h's context) */
void    fl_timer_fire(fl_engine *e, const fl_event *ev);
/* A timer's node and kind; false if it was cancelled or died with its
 * node (manual delivery). */
bool    fl_engine_timer_info(fl_engine *e, fl_timer_id id, fl_node_id *node,
                             uint8_t *kind);

/* net.c */
int  fl_net_init(fl_engine *e);
void fl_net_destroy(fl_engine *e);
void fl_net_send(fl_engine *e, fl_node *from, fl_node_id to, fl_channel ch,
                 const void *data, size_t len);
void fl_net_deliver(fl_engine *e, fl_event *ev);
void fl_net_free_msg(fl_msg *m);

/* trace.c — a message's record (send, deliver, drop, duplicate): the
 * sender is `node` but for a delivery, a = channel, b = length, the
 * payload hashed; what fl_trace_record does with such a record, without
 * building one when no file is written. */
void    fl_trace_message(fl_trace *t, fl_time time, fl_trace_type type,
                         struct fl_msg *m, const char *reason, const char *text);

/* msg.c — message blocks */
void    fl_msg_pool_init(fl_msg_pool *p);
/* Frees the free lists; every message must have been freed before. */
void    fl_msg_pool_destroy(fl_msg_pool *p);
/* Payload capacity of a class: 16 << class bytes. */
static inline unsigned fl_msg_class(size_t len)
{
    unsigned c = 0;
    while (c < FL_MSG_POOL_CLASSES && ((size_t)16 << c) < len)
        c++;
    return c;             /* FL_MSG_POOL_CLASSES: too big to pool */
}
/* fl_msg_alloc's block from malloc (none of class c waits in the pool). */
fl_msg *fl_msg_alloc_new(fl_msg_pool *p, size_t len, unsigned c);
/* A message of `len` payload bytes, counted in flight; only `pool`, `len`
 * and `size_class` are set. NULL if out of memory. Inline: every message. */
static inline fl_msg *fl_msg_alloc(fl_msg_pool *p, size_t len)
{
    unsigned c = fl_msg_class(len);
    if (c >= FL_MSG_POOL_CLASSES || !p->free[c])
        return fl_msg_alloc_new(p, len, c);
    fl_msg *m = p->free[c];          /* its pool and class are p and c */
    p->free[c] = m->next_free;
    p->pooled -= (size_t)16 << c;
    m->len = len;
    p->in_flight += len;
    return m;
}
/* A copy of `src`, header and payload, counted in flight. */
fl_msg *fl_msg_copy(const fl_msg *src);
/* fl_msg_free of a block the pool does not keep. */
void    fl_msg_free_block(fl_msg *m);
/* Gives the block back (NULL: nothing) and uncounts its bytes. Inline:
 * every message. */
static inline void fl_msg_free(fl_msg *m)
{
    if (!m)
        return;
    fl_msg_pool *p = m->pool;
    p->in_flight -= m->len;
    unsigned c = m->size_class;
    if (c >= FL_MSG_POOL_CLASSES || p->pooled + ((size_t)16 << c) > FL_MSG_POOL_MAX_BYTES) {
        fl_msg_free_block(m);
        return;
    }
    m->next_free = p->free[c];
    p->free[c] = m;
    p->pooled += (size_t)16 << c;
}
/* Stops the run: the implementation broke a rule (fl_engine_failure). */
void fl_engine_fail(fl_engine *e, const char *check, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Counts, traces and frees a message the network loses. */
void fl_net_drop(fl_engine *e, fl_msg *m, const char *why);
/* Replaces the current partition (link cuts stay). -1: not named. */
void fl_net_partition(fl_engine *e, const int *group_of);
static inline bool fl_link_blocked(const fl_link_state *ls) { return ls->split || ls->cut; }
void fl_net_heal(fl_engine *e);
void fl_net_link(fl_engine *e, fl_node_id from, fl_node_id to,
                 const fl_link_spec *spec);
int64_t fl_dist_sample_ns(const fl_dist *d, gsl_rng *r);
/* llround(x) for 0 <= x < 2^63, without the library call: x less its
 * integer part is exact in double (and 0 from 2^52 on, where every double
 * is an integer), so halves round away from zero as llround's do. */
static inline int64_t fl_round_nonneg(double x)
{
    /* From 1 to 2^52, x + 0.5 is exact or, rounded, truncates to the same
     * integer as the exact sum (it can be inexact only just above a power
     * of two, where both truncate to that power): floor(x + 0.5) in one
     * add and a conversion, half the latency of the general path. */
    if (x >= 1.0 && x < 0x1p52)
        return (int64_t)(x + 0.5);
    int64_t i = (int64_t)x;
    return i + (x - (double)i >= 0.5);
}

/* Runs the message hooks (a sent message, or the delivery being
 * finished by `n`'s step with views before/after); -1 if one stopped. */
int  fl_engine_msg_event(fl_engine *e, struct fl_msg *m, bool sent,
                         const fl_view *before, const fl_view *after);

/* fault.c */
int  fl_fault_schedule(fl_engine *e);
void fl_fault_apply(fl_engine *e, const fl_event *ev);
void fl_nemesis_fire(fl_engine *e, const fl_event *ev);
/* Event-triggered faults (fault "on"): `from` just sent `m`. */
void fl_fault_on_send(fl_engine *e, const struct fl_msg *m);
/* ... a scenario fault was just applied (index into the faults). */
/* ... `n` just started a sync (its writes are in flight). */
void fl_fault_on_sync(fl_engine *e, fl_node *n);
int  fl_fault_triggers_init(fl_engine *e);
void fl_fault_triggers_free(fl_engine *e);

/* client.c — the built-in client role */
extern const fl_role fl_client_role;
void fl_client_on_reply(fl_ctx *ctx, void *state, const fl_reply_msg *r);
/* The node is crashing or the run is ending: its open op becomes info. */
void fl_client_abandon(fl_ctx *ctx, void *state);
fl_history *fl_ctx_history(fl_ctx *ctx);
const fl_workload_spec *fl_ctx_workload(fl_ctx *ctx);
void fl_ctx_send_request(fl_ctx *ctx, fl_node_id to, const fl_request *req);
void fl_ctx_trace_op(fl_ctx *ctx, fl_trace_type type, uint64_t op_id,
                     int64_t a, int64_t b);
void fl_ctx_count_op(fl_ctx *ctx, fl_hist_type type);
const char *fl_ctx_server_role(fl_ctx *ctx);   /* the algorithm's first role */
fl_time fl_ctx_sim_time(fl_ctx *ctx);          /* true simulated time */
uint32_t fl_ctx_incarnation(fl_ctx *ctx);
size_t fl_ctx_node_count(fl_ctx *ctx);

#endif
