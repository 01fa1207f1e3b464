/* scenario.h — a scenario file, loaded strictly from JSON (DESIGN.md
 * "Scenario files"). Owns the parsed scenario, including the cJSON tree that
 * `params` points into. Every error names the file, the JSON path and what
 * was expected, and is reported before anything runs. */
#ifndef FL_SCENARIO_H
#define FL_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "sim/error.h"
#include "sim/keys.h"

#define FL_NAME_MAX 64

/* Latency and sync-time distributions, in milliseconds, truncated at 0. */
typedef enum fl_dist_kind {
    FL_DIST_CONSTANT,     /* a = ms */
    FL_DIST_UNIFORM,      /* a = min_ms, b = max_ms */
    FL_DIST_NORMAL,       /* a = mean_ms, b = stddev_ms */
    FL_DIST_LOGNORMAL,    /* a = median_ms, b = sigma */
    FL_DIST_EXPONENTIAL,  /* a = mean_ms */
    FL_DIST_PARETO        /* a = scale_ms (minimum), b = alpha */
} fl_dist_kind;

typedef struct fl_dist {
    fl_dist_kind kind;
    double       a, b;
} fl_dist;

/* Link behaviour; `has_*` say which fields a per-link override sets. */
typedef struct fl_link_spec {
    bool    has_latency, has_drop, has_duplicate;
    fl_dist latency;
    double  drop;         /* probability in [0, 1] */
    double  duplicate;    /* probability in [0, 1] */
} fl_link_spec;

typedef struct fl_network_spec {
    fl_link_spec base;    /* defaults: constant 1 ms, no loss, no dups */
    bool         fifo;    /* per-link FIFO delivery (no reordering) */
} fl_network_spec;

typedef struct fl_disk_spec {
    fl_dist sync;         /* time a sync takes; default constant 1 ms */
    bool    torn_writes;  /* a crash may keep a prefix of the last unsynced write */
} fl_disk_spec;

/* How many nodes play each role. Node ids are handed out role by role in
 * this order: the algorithm's roles first (server first), then "client". */
typedef struct fl_role_count {
    char   role[FL_NAME_MAX];
    size_t count;
} fl_role_count;

typedef enum fl_model_kind {
    FL_MODEL_NONE,        /* no clients or no linearizability check */
    FL_MODEL_REGISTER,    /* one key: read / write / cas */
    FL_MODEL_KV,          /* `keys` keys: read / write / cas, by key */
    FL_MODEL_COUNTER,     /* add / read */
    FL_MODEL_LOCK         /* acquire / release */
} fl_model_kind;

typedef struct fl_workload_spec {
    size_t        clients;
    double        rate_per_s;    /* per client */
    fl_model_kind model;
    uint32_t      keys;          /* >= 1 */
    fl_key_dist   key_dist;      /* how keys are drawn; default uniform */
    double        zipf_s;        /* FL_KEYS_ZIPF: the exponent */
    uint64_t     *key_cdf;       /* FL_KEYS_ZIPF: the table (sim/keys.h),
                                    owned by the scenario; else NULL */
    double        mix[FL_OP_KIND_COUNT]; /* weights, indexed by fl_op_kind */
    fl_time       timeout;       /* op gives up as info; default 1000 ms */
    fl_time       retry;         /* resend to another server; default 200 ms */
    fl_time       start;         /* first op not before; default 0 */
    fl_time       stop;          /* no new op after; default = duration */
    int64_t       add_min;       /* counter adds: delta in [add_min, add_max]; */
    int64_t       add_max;       /* default [1, 5]; negative: decrements */
} fl_workload_spec;

/* Which node(s) a fault targets. */
typedef enum fl_sel_kind {
    FL_SEL_INDEX,         /* a node id: 3 */
    FL_SEL_ROLE_INDEX,    /* "client:1" */
    FL_SEL_ROLE,          /* "client": every node of the role */
    FL_SEL_LEADER,        /* the highest-term leader at that moment */
    FL_SEL_CRASHED,       /* the earliest-crashed node still down */
    FL_SEL_RANDOM,        /* a random live node (fault stream) */
    FL_SEL_REST           /* partitions only: every node not named */
} fl_sel_kind;

typedef struct fl_selector {
    fl_sel_kind kind;
    int32_t     index;                /* INDEX, ROLE_INDEX */
    char        role[FL_NAME_MAX];    /* ROLE_INDEX, ROLE */
} fl_selector;

typedef enum fl_fault_kind {
    FL_FAULT_PARTITION,   /* groups: messages only within a group; replaces
                             the previous partition (link cuts stay) */
    FL_FAULT_HEAL,        /* undo every partition and link override */
    FL_FAULT_LINK,        /* from -> to (one way; both if symmetric) */
    FL_FAULT_CRASH,       /* node */
    FL_FAULT_RESTART,     /* node */
    FL_FAULT_PAUSE,       /* node, for duration (0 = until resume) */
    FL_FAULT_RESUME,      /* node */
    FL_FAULT_CLOCK,       /* node: skew_ms and/or drift_ppm */
    FL_FAULT_NEMESIS      /* random faults on a schedule */
} fl_fault_kind;

typedef enum fl_nemesis_kind {
    FL_NEMESIS_RANDOM_CRASH,      /* crash a random server, restart later */
    FL_NEMESIS_RANDOM_PARTITION,  /* split the servers in two, heal later */
    FL_NEMESIS_RANDOM_PAUSE       /* pause a random node, resume later */
} fl_nemesis_kind;

#define FL_MAX_GROUPS 8
#define FL_MAX_GROUP_MEMBERS 16

typedef struct fl_fault {
    fl_fault_kind kind;
    fl_time       at;
    /* PARTITION */
    size_t        ngroups;
    size_t        group_len[FL_MAX_GROUPS];
    fl_selector   groups[FL_MAX_GROUPS][FL_MAX_GROUP_MEMBERS];
    /* LINK */
    fl_selector   from, to;
    bool          symmetric;
    fl_link_spec  link;
    /* CRASH, RESTART, PAUSE, RESUME, CLOCK */
    fl_selector   node;
    bool          torn;           /* CRASH: tear the last unsynced write */
    fl_time       duration;       /* PAUSE */
    fl_time       skew;           /* CLOCK: added to the node's clock */
    int64_t       drift_ppm;      /* CLOCK: clock runs (1e6+ppm)/1e6 as fast */
    /* NEMESIS */
    fl_nemesis_kind nemesis;
    fl_time       every_lo, every_hi;   /* gap between injections */
    fl_time       down_lo, down_hi;     /* how long each lasts */
    size_t        max_down;             /* crash/pause: at most this many at once */
    fl_time       until;                /* stop injecting after; default end */
    /* CRASH with "on": event-triggered, armed from `at` (see faults.c) */
    bool          triggered;
    char          on_sent[FL_NAME_MAX]; /* a message kind as describe names it */
    int           on_ok;                /* the reply's ok must be this; -1 any */
    bool          on_sync;              /* ... or: the node starts a sync */
    bool          has_on_from;
    fl_selector   on_from;              /* only these senders / syncers */
    bool          crash_trigger;        /* no "node": crash who triggered */
    fl_time       after;                /* crash this long after the trigger */
    fl_time       down;                 /* restart after; 0: stay down */
    int64_t       times;                /* triggers that fire (default 1) */
} fl_fault;

typedef struct fl_expect {
    bool  linearizable;          /* check the history (default true) */
    bool  invariants;            /* check the algorithm's invariants (default true) */
    char  violation[FL_NAME_MAX];/* "" or the check that must fail */
    int64_t min_ok_ops;          /* liveness: at least this many ok ops; -1 off */
    fl_time leader_within;       /* liveness: a leader this soon after the last
                                    heal / restart / start; -1 off */
    fl_time settle;              /* liveness: fault-free time not counted after
                                    each recovery; -1: the default
                                    (fl_scenario_settle) */
} fl_expect;

/* One step of an explicit schedule ("schedule": [...]), as `faultline
 * search` writes its counterexamples: the run delivers, fires, drops,
 * duplicates, crashes and restarts exactly these, in order, under manual
 * delivery, and nothing else. Message and timer ids are deterministic. */
typedef enum fl_step_kind {
    FL_STEP_DELIVER,
    FL_STEP_TIMER,
    FL_STEP_DROP,
    FL_STEP_DUP,
    FL_STEP_CRASH,
    FL_STEP_RESTART,
    FL_STEP_KIND_COUNT
} fl_step_kind;

typedef struct fl_step {
    uint8_t     kind;        /* fl_step_kind */
    int32_t     node;        /* receiver, timer's node, crashed node */
    int32_t     from;        /* message sender, or -1 */
    uint64_t    id;          /* message or timer id */
    const char *what;        /* message or timer kind, for people */
    bool        torn;        /* crash: tear the node's oldest unsynced write
                                (a power failure mid-write), as a fault's
                                "torn" does */
} fl_step;

/* "deliver", "timer", "drop", "dup", "crash", "restart". */
const char *fl_step_kind_name(fl_step_kind k);

typedef struct fl_scenario {
    char  *path;                 /* as given */
    char   name[FL_NAME_MAX];
    char  *description;
    char   algorithm[FL_NAME_MAX];
    const cJSON *params;         /* into `json`; an empty object if absent */
    size_t         nroles;
    fl_role_count  roles[8];
    fl_time        duration;
    uint64_t       seed;
    bool           has_seed;
    fl_network_spec network;
    size_t         nlinks;       /* per-link overrides from "links" */
    struct fl_link_override {
        int32_t      from, to;   /* node ids */
        fl_link_spec spec;
    }             *links;
    fl_disk_spec   disk;
    fl_workload_spec workload;
    size_t         nfaults;
    fl_fault      *faults;       /* sorted by `at`, file order for ties */
    fl_expect      expect;
    size_t         nschedule;    /* an explicit schedule (see fl_step) */
    fl_step       *schedule;
    uint64_t       hash;         /* FNV-1a of the file's bytes */
    cJSON         *json;
} fl_scenario;

/* Reads and checks `path`. On error returns NULL with err->msg set to
 * "PATH: $.json.path: what was expected". */
fl_scenario *fl_scenario_load(const char *path, fl_error *err);
/* The same from a string; `path` is only used in messages. */
fl_scenario *fl_scenario_parse(const char *text, size_t len, const char *path,
                               fl_error *err);
void fl_scenario_free(fl_scenario *s);

/* Checks the parts that need the algorithm: role names, node selectors
 * against the node count, and the algorithm's own `validate` on params. */
int fl_scenario_bind(fl_scenario *s, const fl_algorithm *alg, fl_error *err);

size_t fl_scenario_node_count(const fl_scenario *s);

/* The settling allowance of min_ok_ops (README "How liveness is judged"):
 * expect.settle_ms if given, else two election timeouts, the upper bound
 * of params.election_timeout_ms (a number or [lo, hi]; 300 ms, the
 * built-ins' default, when the scenario sets none), at most 1 s: an
 * implementation configured never to elect is not excused. */
fl_time fl_scenario_settle(const fl_scenario *s);
/* First node id of a role, or -1 if the scenario has no such role. */
int32_t fl_scenario_role_base(const fl_scenario *s, const char *role,
                              size_t *count);

#endif
