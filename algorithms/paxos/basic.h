/* basic.h — single-decree Paxos (Lamport, "Paxos Made Simple" §2) as
 * three roles on separate nodes, in this order (the first is the one
 * clients talk to and random nemeses target):
 *
 *   proposer  basic_proposer.c  takes client operations, runs ballots
 *             (phase 1 prepare/promise, phase 2 accept/accepted, §2.2),
 *             adopts the highest accepted value, backs off at random when
 *             a higher ballot beats it (dueling proposers, §2.4)
 *   acceptor  basic_roles.c     acceptor.c behind the wire; tells the
 *             learners what it accepts (§2.3)
 *   learner   basic_roles.c     counts distinct acceptors per ballot and
 *             tells the proposers once a value is chosen (§2.3)
 *
 * The one decree is a write-once register at key 0. Client operations
 * map onto it like this (documented in README.md "## Paxos"):
 *   write v      propose v; OK if v is chosen, FAIL if another value is
 *                (it certainly never took effect)
 *   read         the chosen value; FL_NIL if a majority of acceptors has
 *                accepted nothing (then nothing is chosen yet)
 *   cas NIL->v   like write v, answering 1 if v is chosen, 0 if not
 *   cas x->v     0 if x is not the chosen value; FAIL if it is (a decree
 *                is never overwritten)
 *   other keys   FAIL
 *
 * Nodes keep everything in their role's struct (no globals: a plug-in's
 * nodes share them). */
#ifndef FL_PAXOS_BASIC_H
#define FL_PAXOS_BASIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/paxos/acceptor.h"
#include "algorithms/paxos/codec.h"
#include "algorithms/paxos/log.h"
#include "algorithms/paxos/params.h"
#include "algorithms/paxos/storage.h"

/* Acceptors are addressed by their index among the "acceptor" nodes, one
 * bit each in 64-bit masks. */
#define BPX_MAX_ACCEPTORS 64u
#define BPX_MAX_PENDING   1024u
#define BPX_MAX_TALLIES   16u
/* Resends of one phase before the proposer gives the ballot up. */
#define BPX_MAX_RETRIES   6

enum { BPX_COOKIE_RETRY_BASE = 1u << 20, BPX_COOKIE_BACKOFF_BASE = 1u << 21 };

/* The peers every role needs, by role, from fl_nodes (valid all run). */
typedef struct bpx_peers {
    const fl_node_id *proposers, *acceptors, *learners;
    size_t            nprop, nacc, nlearn;
} bpx_peers;

int  bpx_peers_init(fl_ctx *ctx, bpx_peers *p);
/* The acceptor's index (its bit), or -1 if `id` is not an acceptor. */
int  bpx_acceptor_index(const bpx_peers *p, fl_node_id id);
bool bpx_is(const fl_node_id *ids, size_t n, fl_node_id id);
size_t bpx_majority(const bpx_peers *p);
/* Encodes `m` and sends it to `to` (the caller flushed the disk). */
void bpx_send(fl_ctx *ctx, wire_buf *out, fl_node_id to, const paxos_msg *m);
/* A log line with a ballot as "round.id". */
void bpx_log_ballot(fl_ctx *ctx, const char *what, int64_t ballot);

/* ---- Proposer (basic_proposer.c) ----------------------------------------- */

typedef enum bpx_phase {
    BPX_IDLE,              /* no ballot running */
    BPX_PREPARE,           /* phase 1: waiting for promises */
    BPX_ACCEPT,            /* phase 2: waiting for accepts */
    BPX_DONE               /* the chosen value is known */
} bpx_phase;

typedef struct bpx_proposer {
    paxos_params p;
    fl_node_id   self;
    bpx_peers    peers;
    paxos_reg    round_reg;      /* the last round used ("round") */
    int64_t      round;          /* highest round used or seen */
    bpx_phase    phase;
    bool         led;            /* phase 1 succeeded with `ballot` */
    int64_t      ballot;         /* current ballot; -1 none yet */
    uint64_t     promised_mask;  /* acceptors that promised `ballot` */
    uint64_t     refused_mask;
    uint64_t     accepted_mask;  /* acceptors that accepted the proposal */
    uint32_t     accepted_count; /* Accepted messages (double-count bug) */
    int64_t      best_ballot;    /* highest accepted ballot reported */
    paxos_cmd    best;
    paxos_cmd    proposal;       /* phase 2's value */
    int64_t      prop_ballot;    /* the ballot it was proposed in; -1 */
    bool         prop_step;      /* proposed during this step (views) */
    bool         chosen_known;
    int64_t      chosen_ballot;
    paxos_cmd    chosen;
    fl_request  *pending;        /* client operations waiting */
    size_t       npending, cap_pending;
    int64_t      failures;       /* ballots lost in a row (backoff) */
    int64_t      retries;        /* resends in the current phase */
    uint64_t     retry_gen;      /* the live retry timer's cookie */
    uint64_t     backoff_gen;
    bool         backoff_armed;
    int64_t      rounds;         /* ballots started (a statistic) */
    wire_buf    out;
} bpx_proposer;

/* The role's handlers (the table is in basic.c). */
int  bpx_prop_init(fl_ctx *ctx, void *state, const cJSON *params);
void bpx_prop_start(fl_ctx *ctx, void *state, bool recovering);
void bpx_prop_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                         const void *msg, size_t len);
void bpx_prop_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                       uint64_t cookie);
void bpx_prop_on_request(fl_ctx *ctx, void *state, const fl_request *req);
void bpx_prop_inspect(const void *state, fl_view *v);
bool bpx_prop_entry(const void *state, int64_t index, fl_view_entry *out);
void bpx_prop_destroy(void *state);

/* ---- Acceptor and learner (basic_roles.c) -------------------------------- */

typedef struct bpx_acceptor {
    paxos_params   p;
    fl_node_id     self;
    bpx_peers      peers;
    paxos_acceptor acc;
    paxos_log      log;          /* slot 1 */
    wire_buf      out;
} bpx_acceptor;

/* Distinct acceptors that reported accepting (ballot, value). */
typedef struct bpx_tally {
    int64_t   ballot;
    paxos_cmd cmd;
    uint64_t  mask;
    uint32_t  count;             /* messages (double-count bug) */
} bpx_tally;

typedef struct bpx_learner {
    paxos_params p;
    fl_node_id   self;
    bpx_peers    peers;
    bpx_tally    tallies[BPX_MAX_TALLIES];
    size_t       ntallies;
    int64_t      highest;        /* highest ballot heard of; -1 */
    paxos_log    log;            /* slot 1, once learned */
    int64_t      queries;
    wire_buf    out;
} bpx_learner;

int  bpx_acc_init(fl_ctx *ctx, void *state, const cJSON *params);
void bpx_acc_start(fl_ctx *ctx, void *state, bool recovering);
void bpx_acc_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                        const void *msg, size_t len);
void bpx_acc_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                      uint64_t cookie);
void bpx_acc_inspect(const void *state, fl_view *v);
bool bpx_acc_entry_view(const void *state, int64_t index, fl_view_entry *out);
void bpx_acc_destroy(void *state);

int  bpx_learn_init(fl_ctx *ctx, void *state, const cJSON *params);
void bpx_learn_start(fl_ctx *ctx, void *state, bool recovering);
void bpx_learn_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                          const void *msg, size_t len);
void bpx_learn_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                        uint64_t cookie);
void bpx_learn_inspect(const void *state, fl_view *v);
bool bpx_learn_entry(const void *state, int64_t index, fl_view_entry *out);
void bpx_learn_destroy(void *state);

#endif
