/* shardkv.h — a sharded key-value store on consistent hashing: the
 * distributed-systems course's last lab (MIT 6.5840 lab 5 in spirit).
 *
 * Servers are laid out by index: the first `config_replicas` form the
 * configuration service, then `max_groups` replica groups of `replicas`
 * servers each. Every one of them is a Raft group of the built-in Raft
 * (algorithms/raft/) with a state machine of its own (raft_sm_ops, sm.h):
 *
 *   configuration service  holds the configuration number. Configuration k
 *                          is the set of joined groups after the first
 *                          k-1 changes of params.schedule applied to
 *                          params.initial_groups; its ring has `vnodes`
 *                          points per joined group (ring.h), and shard s
 *                          belongs to the owner of fl_ring_key_pos(s). The
 *                          service's leader commits configuration k+1 once
 *                          schedule[k-1].at_ms has passed on its clock.
 *   replica group          serves get/put/cas for the shards it owns in
 *                          its configuration. Key k is in shard
 *                          fl_ring_key_pos(k) % shards. Its leader polls the
 *                          service and moves one configuration at a time:
 *                          RECONF(k+1) in its log stops serving the shards
 *                          it loses (HANDOFF) and waits for the ones it
 *                          gains (WAITING); it pushes each handed-off
 *                          shard's data and client-session table (a
 *                          checkpoint, fl_kvsm bytes) to the new owner,
 *                          whose leader logs it (BEGIN, KV*, SESSION*, END)
 *                          and serves the shard only once END is applied;
 *                          the receiver acknowledges, and the old owner
 *                          logs GC to drop its copy.
 *
 * Clients are the engine's built-in clients. A request reaching any server
 * is routed by that server's ring (the client library's job, done at the
 * first hop): a key of another group is redirected to a member of the
 * owning group, whose follower redirects to its leader. A request that
 * reaches its group while the shard is moving gets no answer: the client
 * retries. Sessions live in each shard's fl_kvsm and move with it, so a
 * write retried after a move is not applied twice.
 *
 * Workload model: "kv" (read = get, write = put, cas), one model per key.
 */
#ifndef FL_SHARDKV_H
#define FL_SHARDKV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/kvsm/kvsm.h"
#include "algorithms/raft/raft.h"
#include "algorithms/shardkv/ring.h"

#define SKV_MAX_SHARDS 64
#define SKV_MAX_GROUPS 16
#define SKV_MAX_SCHEDULE 16

/* Deliberate bugs, each caught by a scenario under scenarios/shardkv/bugs/:
 *   serve-during-handoff   a group serves a shard it gains at once, before
 *                          the old owner's checkpoint is installed
 *   no-session-handoff     the checkpoint is installed without its client
 *                          sessions: a retried write runs twice
 *   keep-serving           a group keeps serving shards it lost at a
 *                          reconfiguration (and never hands them off)
 *   client-hash            routing and the ownership check hash keys one
 *                          way (key % shards), storage the right way */
#define SKV_BUG_MAP(X)                               \
    X(SERVE_DURING_HANDOFF, "serve-during-handoff")  \
    X(NO_SESSION_HANDOFF,   "no-session-handoff")    \
    X(KEEP_SERVING,         "keep-serving")          \
    X(CLIENT_HASH,          "client-hash")

enum skv_bug_bit {
#define SKV_X_BIT(id, name) SKV_BUG_BIT_##id,
    SKV_BUG_MAP(SKV_X_BIT)
#undef SKV_X_BIT
    SKV_BUG_COUNT
};
#define SKV_BUG(id) (1u << SKV_BUG_BIT_##id)

typedef struct skv_change {
    int64_t at_ms;
    int32_t group;
    bool    join;        /* false: leave */
} skv_change;

typedef struct skv_params {
    const cJSON *raft;           /* Raft's params (borrowed) */
    int64_t  config_replicas;
    int64_t  max_groups;
    int64_t  replicas;
    int64_t  initial_groups;     /* groups 0 .. initial-1 start joined */
    int64_t  shards;
    int64_t  vnodes;
    int64_t  tick_ms;            /* how often leaders poll and push */
    int64_t  serve_within_ms;    /* liveness bound after the last fault */
    skv_change schedule[SKV_MAX_SCHEDULE];
    size_t   nschedule;
    unsigned bugs;
} skv_params;

static inline bool skv_bug(const skv_params *p, unsigned bug)
{
    return (p->bugs & bug) != 0;
}

/* params.c */
int skv_params_parse(const cJSON *params, skv_params *p, char *err,
                     size_t errlen);
/* Joined groups in configuration `num` (>= 1). */
uint64_t skv_config_mask(const skv_params *p, int64_t num);
/* Shard -> group (-1: none) for configuration mask `mask`; 0 or -1 OOM. */
int skv_owners(const skv_params *p, uint64_t mask,
               int8_t owner[SKV_MAX_SHARDS]);
/* The shard that stores key k, and the one routing and the ownership
 * check use (the same unless the client-hash bug is on). */
uint32_t skv_shard_of(const skv_params *p, uint32_t key);
uint32_t skv_route_shard_of(const skv_params *p, uint32_t key);

/* ---- Replica-group state machine (sm.c) ---------------------------------- */

typedef enum skv_shard_state {
    SKV_ABSENT = 0,
    SKV_SERVING,
    SKV_WAITING,         /* gained: waiting for the old owner's checkpoint */
    SKV_HANDOFF          /* lost: frozen until the new owner acknowledges */
} skv_shard_state;

typedef struct skv_shard {
    uint8_t state;
    fl_kvsm data;        /* pairs and client sessions */
} skv_shard;

typedef struct skv_sm {
    const struct skv_host *host;
    int64_t   num;                   /* configuration applied */
    int8_t    owner[SKV_MAX_SHARDS]; /* in `num` */
    int8_t    prev_owner[SKV_MAX_SHARDS];
    skv_shard shards[SKV_MAX_SHARDS];
    fl_kvsm   staging;               /* an install in progress */
    int32_t   staging_shard;         /* -1: none */
    int64_t   staging_num;
} skv_sm;

/* What a state machine knows of its node (borrowed for the node's life). */
typedef struct skv_host {
    const skv_params *p;
    int32_t group;                   /* -1: the configuration service */
} skv_host;

extern const raft_sm_ops skv_group_sm;
extern const raft_sm_ops skv_config_sm;

/* System commands in Raft's log: client = SKV_SYS, seq = the kind. */
#define SKV_SYS ((fl_node_id)-2)
enum {
    SKV_CMD_RECONF = 1,  /* arg = configuration number */
    SKV_CMD_BEGIN,       /* key = shard, arg = configuration */
    SKV_CMD_KV,          /* key = shard, arg = key, arg2 = value */
    SKV_CMD_SESSION,     /* key = shard | client << 8, arg = seq,
                            arg2 = result, kind = status */
    SKV_CMD_END,         /* key = shard, arg = configuration,
                            arg2 = pairs << 32 | sessions */
    SKV_CMD_GC           /* key = shard, arg = configuration */
};
raft_cmd skv_sys_cmd(uint64_t kind, uint32_t key, int64_t arg, int64_t arg2);

/* Shards (bits) in a given state; `serving` counts what apply would serve
 * (with serve-during-handoff: WAITING too). */
uint64_t skv_sm_mask(const skv_sm *s, skv_shard_state st);
uint64_t skv_sm_serving(const skv_sm *s);
bool     skv_sm_settled(const skv_sm *s);
/* The configuration service's number. */
int64_t  skv_config_num(const void *sm);

/* ---- The server role (server.c) -------------------------------------------- */

typedef struct skv_node {
    raft_node  raft;             /* first: Raft's handlers take the state */
    skv_params p;
    skv_host   host;
    fl_node_id members[16];      /* this node's Raft group */
    size_t     nmembers;
    int64_t    latest;           /* newest configuration number heard of */
    uint32_t   cfg_target;       /* which config server to ask next */
    fl_timer_id tick;
    int64_t    install_term[SKV_MAX_SHARDS];  /* a logged install's term */
    int64_t    install_index[SKV_MAX_SHARDS]; /* ... and its END's index */
    wire_buf   out;
} skv_node;

/* Messages (first byte); Raft's own are below 0x40. */
enum {
    SKV_MSG_CFG_QUERY = 0x60,
    SKV_MSG_CFG_REPLY = 0x61,    /* u64 number */
    SKV_MSG_PUSH      = 0x62,    /* u32 shard, u64 config, fl_kvsm bytes */
    SKV_MSG_PUSH_ACK  = 0x63     /* u32 shard, u64 config */
};

extern const fl_algorithm fl_shardkv_algorithm;

#endif
