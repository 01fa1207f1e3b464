/* crdt.c — G-Counter and PN-Counter CRDTs (Shapiro, Preguiça, Baquero,
 * Zawirski, "A comprehensive study of Convergent and Commutative Replicated
 * Data Types", 2011, §3.1.1-3.1.2) replicated by gossip.
 *
 * Each replica i keeps two vectors indexed by replica: P[j] = what replica
 * j has added, N[j] = what it has subtracted (PN only). Replica i changes
 * only P[i] and N[i]; the value is sum(P) - sum(N). Every gossip_ms a
 * replica sends its whole state to `fanout` random peers (anti-entropy),
 * and merging is element-wise max — commutative, associative and
 * idempotent, so replicas converge however gossip is lost, duplicated or
 * reordered. A replica answers reads and adds at once from its own copy:
 * always available, never linearizable across replicas.
 *
 * Durability: before acknowledging an add, a replica syncs its own entries
 * (P[i], N[i]) to the file "own"; on restart it reads them back, because
 * nobody else may have heard of them yet.
 *
 * Bugs (params.bugs), one rule off each, with the check that must catch it:
 *   merge-sum        adds vectors instead of taking the max, so duplicated
 *                    gossip counts twice (a merge is a max per replica:
 *                    idempotent)                           counter.bounds
 *   forget-own       does not read "own" back after a restart, so
 *                    increments acknowledged before the crash vanish (a
 *                    replica persists its own entries)
 *                                    counter.own_durable, counter.bounds
 *   merge-overwrite  takes a peer's entries for every other replica as
 *                    they come (last writer wins), so a delayed or
 *                    duplicated old gossip lowers counts it already saw (a
 *                    merge is a max per replica: entries only grow)
 *                                                  counter.vector_monotonic */
#include "algorithms/counter/counter.h"
#include "algorithms/params/params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CRDT_TAG 0xC7u            /* first byte of every gossip message */
#define CRDT_MAX_REPLICAS 64

typedef enum crdt_type { CRDT_G, CRDT_PN } crdt_type;

enum { CRDT_BUG_MERGE_SUM = 1u, CRDT_BUG_FORGET_OWN = 2u,
       CRDT_BUG_MERGE_OVERWRITE = 4u };

typedef struct crdt_params {
    crdt_type type;
    int64_t   gossip_ms;
    int64_t   fanout;
    int64_t   converge_ms;        /* read by the counter.convergence check */
    unsigned  bugs;
} crdt_params;

typedef struct crdt_session {
    fl_node_id client;
    uint64_t   seq;               /* last add applied for this client */
} crdt_session;

typedef struct crdt_node {
    crdt_params   p;
    fl_node_id    self;
    size_t        me;             /* index among replicas */
    size_t        n;              /* replicas */
    const fl_node_id *ids;
    int64_t       pos[CRDT_MAX_REPLICAS];
    int64_t       neg[CRDT_MAX_REPLICAS];
    crdt_session *sess;           /* volatile duplicate filter, by client */
    size_t        nsess, cap_sess;
    int64_t       gossips, merges;
} crdt_node;

/* ---- Parameters ---------------------------------------------------------- */

static int crdt_parse_bugs(const cJSON *v, crdt_params *p, char *err,
                           size_t len)
{
    if (!cJSON_IsArray(v))
        return fl_param_err(err, len, "bugs", "must be an array of names");
    const cJSON *b;
    cJSON_ArrayForEach(b, v) {
        if (cJSON_IsString(b) && !strcmp(b->valuestring, "merge-sum"))
            p->bugs |= CRDT_BUG_MERGE_SUM;
        else if (cJSON_IsString(b) && !strcmp(b->valuestring, "forget-own"))
            p->bugs |= CRDT_BUG_FORGET_OWN;
        else if (cJSON_IsString(b) &&
                 !strcmp(b->valuestring, "merge-overwrite"))
            p->bugs |= CRDT_BUG_MERGE_OVERWRITE;
        else
            return fl_param_err(err, len, "bugs",
                            "unknown bug (known: merge-sum, forget-own, "
                            "merge-overwrite)");
    }
    return 0;
}

static int crdt_parse(const cJSON *params, crdt_params *p, char *err,
                      size_t len)
{
    memset(p, 0, sizeof *p);
    p->type = CRDT_PN;
    p->gossip_ms = 50;
    p->fanout = 1;
    p->converge_ms = 2000;
    const cJSON *v;
    cJSON_ArrayForEach(v, params) {
        const char *k = v->string;
        if (!strcmp(k, "type")) {
            if (cJSON_IsString(v) && !strcmp(v->valuestring, "g"))
                p->type = CRDT_G;
            else if (cJSON_IsString(v) && !strcmp(v->valuestring, "pn"))
                p->type = CRDT_PN;
            else
                return fl_param_err(err, len, k, "must be \"g\" or \"pn\"");
        } else if (!strcmp(k, "gossip_ms")) {
            if (!fl_param_is_int(v, 1, 3600000, &p->gossip_ms))
                return fl_param_err(err, len, k, "must be an integer in [1, 3600000]");
        } else if (!strcmp(k, "fanout")) {
            if (!fl_param_is_int(v, 1, CRDT_MAX_REPLICAS, &p->fanout))
                return fl_param_err(err, len, k, "must be an integer in [1, 64]");
        } else if (!strcmp(k, "converge_ms")) {
            if (!fl_param_is_int(v, 1, 3600000, &p->converge_ms))
                return fl_param_err(err, len, k, "must be an integer in [1, 3600000]");
        } else if (!strcmp(k, "bugs")) {
            if (crdt_parse_bugs(v, p, err, len) != 0)
                return -1;
        } else {
            return fl_param_err(err, len, k, "unknown key (known: type, gossip_ms, "
                            "fanout, converge_ms, bugs)");
        }
    }
    return 0;
}

static int crdt_validate(const cJSON *params, char *err, size_t len)
{
    crdt_params p;
    return crdt_parse(params, &p, err, len);
}

/* ---- State ------------------------------------------------------------------ */

static int64_t crdt_sum(const int64_t *v, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += (uint64_t)v[i];
    return (int64_t)s;
}

static int64_t crdt_value(const crdt_node *c)
{
    return crdt_sum(c->pos, c->n) - crdt_sum(c->neg, c->n);
}

/* Merges a peer's vectors: element-wise max (or, with the bug, sum). */
static void crdt_merge(crdt_node *c, const int64_t *pos, const int64_t *neg)
{
    for (size_t i = 0; i < c->n; i++) {
        if ((c->p.bugs & CRDT_BUG_MERGE_OVERWRITE) && i != c->me) {
            c->pos[i] = pos[i];         /* BUG: last writer wins */
            c->neg[i] = neg[i];
        } else if (c->p.bugs & CRDT_BUG_MERGE_SUM) {
            /* wrapping, not UB: the bug doubles totals every round */
            c->pos[i] = (int64_t)((uint64_t)c->pos[i] + (uint64_t)pos[i]);
            c->neg[i] = (int64_t)((uint64_t)c->neg[i] + (uint64_t)neg[i]);
        } else {
            c->pos[i] = pos[i] > c->pos[i] ? pos[i] : c->pos[i];
            c->neg[i] = neg[i] > c->neg[i] ? neg[i] : c->neg[i];
        }
    }
    c->merges++;
}

/* ---- Disk: the replica's own entries --------------------------------------- */

static void crdt_le64(uint8_t *p, int64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

static int64_t crdt_get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return (int64_t)v;
}

static void crdt_persist_own(fl_ctx *ctx, crdt_node *c)
{
    uint8_t b[16];
    crdt_le64(b, c->pos[c->me]);
    crdt_le64(b + 8, c->neg[c->me]);
    if (fl_disk_write(ctx, "own", 0, b, sizeof b) != 0)
        fl_log(ctx, "crdt: writing own entries failed");
    fl_disk_sync(ctx);
}

static void crdt_recover_own(fl_ctx *ctx, crdt_node *c)
{
    uint8_t b[16];
    if (fl_disk_read(ctx, "own", 0, b, sizeof b) != (int64_t)sizeof b)
        return;                   /* never acknowledged an add */
    c->pos[c->me] = crdt_get64(b);
    c->neg[c->me] = crdt_get64(b + 8);
}

/* ---- Gossip ------------------------------------------------------------------ */

static void crdt_arm(fl_ctx *ctx, crdt_node *c)
{
    int64_t lo = c->p.gossip_ms / 2 > 0 ? c->p.gossip_ms / 2 : 1;
    fl_set_timer(ctx, FL_MS(1) * fl_random_between(ctx, lo, c->p.gossip_ms),
                 FL_TIMER_TICK, 0);
}

/* tag u8, type u8, n u8, then n x (pos i64, neg i64), little-endian. */
static void crdt_gossip(fl_ctx *ctx, crdt_node *c)
{
    uint8_t msg[3 + 16 * CRDT_MAX_REPLICAS];
    msg[0] = CRDT_TAG;
    msg[1] = (uint8_t)c->p.type;
    msg[2] = (uint8_t)c->n;
    for (size_t i = 0; i < c->n; i++) {
        crdt_le64(msg + 3 + 16 * i, c->pos[i]);
        crdt_le64(msg + 11 + 16 * i, c->neg[i]);
    }
    if (c->n < 2)
        return;
    for (int64_t k = 0; k < c->p.fanout; k++) {
        /* a random peer other than this replica */
        size_t j = (size_t)fl_random_between(ctx, 0, (int64_t)c->n - 2);
        if (j >= c->me)
            j++;
        fl_send(ctx, c->ids[j], msg, 3 + 16 * c->n);
    }
    c->gossips++;
}

static void crdt_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                            const void *msg, size_t len)
{
    crdt_node *c = state;
    const uint8_t *m = msg;
    (void)from;
    if (len < 3 || m[0] != CRDT_TAG || m[2] != c->n || len != 3 + 16 * c->n) {
        fl_log(ctx, "crdt: ignored a malformed message (%zu bytes)", len);
        return;
    }
    int64_t pos[CRDT_MAX_REPLICAS], neg[CRDT_MAX_REPLICAS];
    for (size_t i = 0; i < c->n; i++) {
        pos[i] = crdt_get64(m + 3 + 16 * i);
        neg[i] = crdt_get64(m + 11 + 16 * i);
    }
    crdt_merge(c, pos, neg);
}

static void crdt_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                          uint64_t cookie)
{
    (void)kind;
    (void)cookie;
    crdt_node *c = state;
    crdt_gossip(ctx, c);
    crdt_arm(ctx, c);
}

/* ---- Clients ------------------------------------------------------------------ */

/* True if (client, seq) was already applied here (a duplicated request). */
static bool crdt_seen(crdt_node *c, fl_node_id client, uint64_t seq)
{
    for (size_t i = 0; i < c->nsess; i++) {
        if (c->sess[i].client != client)
            continue;
        if (seq <= c->sess[i].seq)
            return true;
        c->sess[i].seq = seq;
        return false;
    }
    if (c->nsess == c->cap_sess) {
        size_t cap = c->cap_sess ? c->cap_sess * 2 : 8;
        crdt_session *s = realloc(c->sess, cap * sizeof *s);
        if (!s)
            return false;
        c->sess = s;
        c->cap_sess = cap;
    }
    c->sess[c->nsess].client = client;
    c->sess[c->nsess].seq = seq;
    c->nsess++;
    return false;
}

static void crdt_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    crdt_node *c = state;
    const fl_op *op = &req->op;
    if (op->kind == FL_OP_READ) {
        fl_reply(ctx, req, FL_STATUS_OK, crdt_value(c));
        return;
    }
    if (op->kind != FL_OP_ADD || (c->p.type == CRDT_G && op->arg < 0)) {
        fl_reply(ctx, req, FL_STATUS_FAIL, 0);   /* a G-Counter only grows */
        return;
    }
    if (!crdt_seen(c, req->client, req->seq)) {
        uint64_t *slot = (uint64_t *)(void *)(op->arg >= 0 ? &c->pos[c->me]
                                                           : &c->neg[c->me]);
        uint64_t mag = op->arg >= 0 ? (uint64_t)op->arg
                                    : (uint64_t)0 - (uint64_t)op->arg;
        *slot += mag;               /* wrapping, never UB */
        crdt_persist_own(ctx, c);   /* the reply leaves after the sync */
    }
    fl_reply(ctx, req, FL_STATUS_OK, crdt_value(c));
}

/* ---- Lifecycle and views -------------------------------------------------------- */

static int crdt_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    crdt_node *c = state;
    memset(c, 0, sizeof *c);
    char err[200];
    if (crdt_parse(params, &c->p, err, sizeof err) != 0) {
        fl_log(ctx, "crdt: bad params: %s", err);
        return -1;
    }
    c->self = fl_self(ctx);
    c->n = fl_nodes(ctx, NULL, &c->ids);
    if (c->n > CRDT_MAX_REPLICAS) {
        fl_log(ctx, "crdt: at most %d replicas", CRDT_MAX_REPLICAS);
        return -1;
    }
    for (size_t i = 0; i < c->n; i++)
        if (c->ids[i] == c->self)
            c->me = i;
    return 0;
}

static void crdt_start(fl_ctx *ctx, void *state, bool recovering)
{
    crdt_node *c = state;
    if (recovering && !(c->p.bugs & CRDT_BUG_FORGET_OWN))
        crdt_recover_own(ctx, c);
    crdt_arm(ctx, c);
}

static void crdt_destroy(void *state)
{
    crdt_node *c = state;
    free(c->sess);
    c->sess = NULL;
    c->nsess = c->cap_sess = 0;
}

/* A hash of both vectors: equal digests <=> (almost surely) equal states. */
static int64_t crdt_digest(const crdt_node *c)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < c->n; i++) {
        h = (h ^ (uint64_t)c->pos[i]) * UINT64_C(1099511628211);
        h = (h ^ (uint64_t)c->neg[i]) * UINT64_C(1099511628211);
    }
    return (int64_t)(h >> 1);
}

static void crdt_scalar(fl_view *v, const char *name, int64_t value)
{
    if (v->nscalars < FL_VIEW_MAX_SCALARS) {
        v->scalars[v->nscalars].name = name;
        v->scalars[v->nscalars].value = value;
        v->nscalars++;
    }
}

/* match[] shows P and next[] shows N, indexed by replica node id. */
static void crdt_inspect(const void *state, fl_view *v)
{
    const crdt_node *c = state;
    v->kind = FL_VIEW_OTHER;
    v->label = c->p.type == CRDT_G ? "g-counter" : "pn-counter";
    for (size_t i = 0; i < c->n; i++) {
        fl_node_id id = c->ids[i];
        if (id < 0 || (size_t)id >= v->npeers)
            continue;
        if (v->match)
            v->match[id] = c->pos[i];
        if (v->next)
            v->next[id] = c->neg[i];
    }
    v->nscalars = 0;
    crdt_scalar(v, FL_COUNTER_SCALAR_VALUE, crdt_value(c));
    crdt_scalar(v, FL_COUNTER_SCALAR_P_TOTAL, crdt_sum(c->pos, c->n));
    crdt_scalar(v, FL_COUNTER_SCALAR_N_TOTAL, crdt_sum(c->neg, c->n));
    crdt_scalar(v, FL_COUNTER_SCALAR_DIGEST, crdt_digest(c));
    crdt_scalar(v, FL_COUNTER_SCALAR_CONVERGE_MS, c->p.converge_ms);
    crdt_scalar(v, FL_COUNTER_SCALAR_MERGES, c->merges);
}

static void crdt_describe(const void *msg, size_t len, fl_msg_info *info)
{
    const uint8_t *m = msg;
    info->kind = len >= 3 && m[0] == CRDT_TAG ? "Gossip" : "garbage";
    info->is_reply = false;
    info->ok = -1;
    info->term = -1;
}

static const fl_role crdt_roles[] = {
    {
        .name = "server",
        .state_size = sizeof(crdt_node),
        .init = crdt_init,
        .start = crdt_start,
        .on_message = crdt_on_message,
        .on_timer = crdt_on_timer,
        .on_request = crdt_on_request,
        .inspect = crdt_inspect,
        .inspect_entry = NULL,
        .destroy = crdt_destroy,
    },
    {.name = NULL},
};

const fl_algorithm fl_counter_crdt_algorithm = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "counter-crdt",
    .description = "G-Counter / PN-Counter CRDTs replicated by gossip and "
                   "merged by element-wise max; reads are local",
    .roles = crdt_roles,
    .validate = crdt_validate,
    .describe = crdt_describe,
};
