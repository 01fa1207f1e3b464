/* invariants.c — the CRDT counters' checks (see invariants.h). Views
 * carry each replica's vectors (match[] = P, next[] = N) and the scalars
 * of contract.h, installed as <faultline/counter.h> (the built-in fills
 * them in algorithms/counter/crdt.c). The bounds also need the client history and the workload's
 * schedule, which no view carries: fl_world_history and
 * fl_world_workload_end give them. */
#include "algorithms/counter/invariants.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "algorithms/counter/contract.h"
#include "algorithms/raft/invariants.h"

static bool inv_scalar(const fl_view *v, const char *name, int64_t *out)
{
    for (size_t i = 0; i < v->nscalars; i++)
        if (v->scalars[i].name && !strcmp(v->scalars[i].name, name)) {
            *out = v->scalars[i].value;
            return true;
        }
    return false;
}

/* ---- What the history allows ----------------------------------------------- */

typedef struct inv_sums {
    size_t  pos;                 /* history events consumed */
    int64_t asked_pos, asked_neg;/* adds invoked and not failed */
    int64_t ok_pos, ok_neg;      /* adds acknowledged */
} inv_sums;

static void inv_sums_update(inv_sums *s, const fl_history *h)
{
    /* s->pos counts from the run's start; a long run forgets the start of
     * its history (h->base), but only after every hook has seen it */
    if (s->pos < h->base)
        s->pos = h->base;
    for (; s->pos < h->base + h->len; s->pos++) {
        const fl_hist_event *ev = &h->events[s->pos - h->base];
        if (ev->op.kind != FL_OP_ADD)
            continue;
        int64_t d = ev->op.arg;
        int64_t *asked = d >= 0 ? &s->asked_pos : &s->asked_neg;
        int64_t *ok = d >= 0 ? &s->ok_pos : &s->ok_neg;
        int64_t mag = d >= 0 ? d : -d;
        if (ev->type == FL_HIST_INVOKE)
            *asked += mag;
        else if (ev->type == FL_HIST_FAIL)
            *asked -= mag;
        else if (ev->type == FL_HIST_OK)
            *ok += mag;
    }
}

/* ---- When replicas must agree ------------------------------------------------ */

/* The deadline for the current quiet period, or -1 if none can be judged
 * (a replica is down or paused, a link is cut, or the bound is unknown).
 * Quiet = no fault active any more (a heal while a replica is still paused
 * is not quiet), and the workload's last possible operation timed out. */
static fl_time inv_deadline(const fl_world *w, fl_time *quiet)
{
    fl_time q = fl_world_last_recovery(w);
    fl_time wl = fl_world_workload_end(w);
    fl_time calm = fl_world_quiet_since(w);
    if (calm < 0)
        return -1;      /* a replica paused or cut off: gossip cannot reach it */
    if (wl > q)
        q = wl;
    if (calm > q)
        q = calm;
    int64_t bound = -1;
    const char *server = fl_world_role(w, 0);
    for (size_t i = 0; i < fl_world_node_count(w); i++) {
        fl_node_id id = (fl_node_id)i;
        if (!server || strcmp(fl_world_role(w, id), server) != 0)
            continue;
        if (!fl_world_alive(w, id))
            return -1;
        const fl_view *v = fl_world_view(w, id);
        if (!v || !inv_scalar(v, FL_COUNTER_SCALAR_CONVERGE_MS, &bound))
            return -1;
    }
    if (bound < 0)
        return -1;
    *quiet = q;
    return q + FL_MS(bound);
}

/* True if every replica holds the same vectors; else names two that
 * differ. */
static bool inv_agree(const fl_world *w, fl_node_id *a, fl_node_id *b)
{
    const char *server = fl_world_role(w, 0);
    const fl_view *first = NULL;
    int64_t d0 = 0, d;
    for (size_t i = 0; i < fl_world_node_count(w); i++) {
        fl_node_id id = (fl_node_id)i;
        if (strcmp(fl_world_role(w, id), server) != 0)
            continue;
        const fl_view *v = fl_world_view(w, id);
        if (!v || !inv_scalar(v, FL_COUNTER_SCALAR_DIGEST, &d))
            continue;
        if (!first) {
            first = v;
            d0 = d;
            *a = id;
        } else if (d != d0) {
            *b = id;
            return false;
        }
    }
    return true;
}

/* ---- counter.convergence -------------------------------------------------------- */

typedef struct inv_conv {
    fl_time checked;             /* the quiet time last judged; 0 = none */
} inv_conv;

static int inv_conv_check(void *state, const fl_world *w, fl_node_id node,
                          const fl_view *before, const fl_view *after,
                          char *msg, size_t msglen)
{
    (void)node;
    (void)before;
    (void)after;
    inv_conv *s = state;
    fl_time quiet = 0;
    fl_time deadline = inv_deadline(w, &quiet);
    if (deadline < 0 || fl_world_now(w) < deadline || s->checked == quiet + 1)
        return 0;
    s->checked = quiet + 1;
    fl_node_id a = FL_NO_NODE, b = FL_NO_NODE;
    if (inv_agree(w, &a, &b))
        return 0;
    int64_t va = 0, vb = 0;
    inv_scalar(fl_world_view(w, a), FL_COUNTER_SCALAR_VALUE, &va);
    inv_scalar(fl_world_view(w, b), FL_COUNTER_SCALAR_VALUE, &vb);
    snprintf(msg, msglen,
             "replicas %d and %d still differ (values %" PRId64 " and %" PRId64
             ") %.3f ms after the network went quiet at %.3f ms",
             (int)a, (int)b, va, vb, (double)(deadline - quiet) / 1e6,
             (double)quiet / 1e6);
    return -1;
}

static const fl_invariant inv_convergence = {
    .name = "counter.convergence",
    .summary = "replicas hold identical vectors within converge_ms of "
               "the network going quiet",
    .state_size = sizeof(inv_conv),
    .check = inv_conv_check,
};

/* ---- counter.bounds ----------------------------------------------------------- */

typedef struct inv_bounds {
    inv_sums sums;
    fl_time  checked;            /* as inv_conv */
} inv_bounds;

static int inv_upper(const inv_sums *s, fl_node_id node, const fl_view *v,
                     char *msg, size_t msglen)
{
    int64_t p = 0, n = 0;
    if (!inv_scalar(v, FL_COUNTER_SCALAR_P_TOTAL, &p) ||
        !inv_scalar(v, FL_COUNTER_SCALAR_N_TOTAL, &n))
        return 0;
    if (p <= s->asked_pos && n <= s->asked_neg)
        return 0;
    snprintf(msg, msglen,
             "replica %d counts +%" PRId64 " / -%" PRId64 " but clients only "
             "asked for +%" PRId64 " / -%" PRId64 " (ops not failed)",
             (int)node, p, n, s->asked_pos, s->asked_neg);
    return -1;
}

static int inv_lower(const inv_sums *s, const fl_world *w, char *msg,
                     size_t msglen)
{
    const char *server = fl_world_role(w, 0);
    for (size_t i = 0; i < fl_world_node_count(w); i++) {
        fl_node_id id = (fl_node_id)i;
        if (strcmp(fl_world_role(w, id), server) != 0)
            continue;
        int64_t p = 0, n = 0;
        const fl_view *v = fl_world_view(w, id);
        if (!v || !inv_scalar(v, FL_COUNTER_SCALAR_P_TOTAL, &p) ||
            !inv_scalar(v, FL_COUNTER_SCALAR_N_TOTAL, &n))
            continue;
        if (p >= s->ok_pos && n >= s->ok_neg)
            continue;
        snprintf(msg, msglen,
                 "converged replica %d counts +%" PRId64 " / -%" PRId64
                 " but clients had +%" PRId64 " / -%" PRId64
                 " acknowledged: acknowledged updates were lost",
                 (int)id, p, n, s->ok_pos, s->ok_neg);
        return -1;
    }
    return 0;
}

static int inv_bounds_check(void *state, const fl_world *w, fl_node_id node,
                            const fl_view *before, const fl_view *after,
                            char *msg, size_t msglen)
{
    (void)before;
    inv_bounds *s = state;
    inv_sums_update(&s->sums, fl_world_history(w));
    if (inv_upper(&s->sums, node, after, msg, msglen) != 0)
        return -1;
    fl_time quiet = 0;
    fl_time deadline = inv_deadline(w, &quiet);
    if (deadline < 0 || fl_world_now(w) < deadline || s->checked == quiet + 1)
        return 0;
    s->checked = quiet + 1;
    fl_node_id a = FL_NO_NODE, b = FL_NO_NODE;
    if (!inv_agree(w, &a, &b))
        return 0;                /* counter.convergence reports that */
    return inv_lower(&s->sums, w, msg, msglen);
}

static const fl_invariant inv_bounds_inv = {
    .name = "counter.bounds",
    .summary = "a replica never counts more than clients asked for, and "
               "once converged never less than they were acknowledged",
    .state_size = sizeof(inv_bounds),
    .check = inv_bounds_check,
};

/* ---- counter.vector_monotonic (a rule check on views) ------------------------ */

/* A CRDT replica's vectors form a lattice that a merge only raises: no
 * entry of P or N (view match[] and next[]) ever goes down while the
 * replica is up. (Across a restart only its own entries must come back;
 * counter.bounds judges those, from what clients were acknowledged.) */
static int inv_mono_check(void *state, const fl_world *w, fl_node_id node,
                          const fl_view *before, const fl_view *after,
                          char *msg, size_t msglen)
{
    (void)state;
    (void)w;
    if (before->kind == FL_VIEW_NONE || after->kind == FL_VIEW_NONE ||
        !before->match || !before->next || !after->match || !after->next ||
        before->npeers != after->npeers)
        return 0;
    for (size_t i = 0; i < after->npeers; i++)
        if (after->match[i] < before->match[i] ||
            after->next[i] < before->next[i]) {
            snprintf(msg, msglen, "replica %d lowered its entry for replica "
                     "%zu from P=%" PRId64 " N=%" PRId64 " to P=%" PRId64
                     " N=%" PRId64 ": a merge takes the max per replica, so "
                     "entries only grow", (int)node, i, before->match[i],
                     before->next[i], after->match[i], after->next[i]);
            return -1;
        }
    return 0;
}

static const fl_invariant inv_mono_inv = {
    .name = "counter.vector_monotonic",
    .summary = "a CRDT replica's vector entries never go down while it is "
               "up (a merge takes the max per replica)",
    .check = inv_mono_check,
};

/* ---- counter.own_durable (a rule check on views) ------------------------------ */

/* Only replica r changes its own entries P[r] and N[r]; every other
 * replica learns them from r's gossip (directly or through others). So
 * when r comes back from a crash, no live replica may know more of r's
 * increments than r shows: if one does, r sent them before they were
 * durable and lost them in the crash, and its next increments hide under
 * the larger entry the others hold. Judged at each restart (the step whose
 * view before was empty), against every live replica's view. (While r is
 * up, counter.vector_monotonic keeps its own entries from going down.) */
static bool inv_is_replica(const fl_world *w, fl_node_id node)
{
    const char *role = fl_world_role(w, node), *first = fl_world_role(w, 0);
    return role && first && !strcmp(role, first);
}

static const fl_view *inv_replica_view(const fl_world *w, fl_node_id node)
{
    if (!inv_is_replica(w, node) || !fl_world_alive(w, node))
        return NULL;
    const fl_view *v = fl_world_view(w, node);
    return v && v->kind != FL_VIEW_NONE && v->match && v->next ? v : NULL;
}

/* -1 if `knower`'s entry for `owner` (node o) exceeds `owner`'s own. */
static int inv_own_cmp(const fl_view *knower, fl_node_id k, const fl_view *owner,
                       fl_node_id o, char *msg, size_t msglen)
{
    size_t i = (size_t)o;
    if (i >= knower->npeers || i >= owner->npeers)
        return 0;
    bool p = knower->match[i] > owner->match[i];
    if (!p && knower->next[i] <= owner->next[i])
        return 0;
    snprintf(msg, msglen, "replica %d restarted showing its own %s entry at %" PRId64
             ", below the %" PRId64 " replica %d has from it: it sent increments "
             "and lost them in the crash (a replica's own entries are durable "
             "before they leave it)", (int)o, p ? "P" : "N",
             p ? owner->match[i] : owner->next[i],
             p ? knower->match[i] : knower->next[i], (int)k);
    return -1;
}

static int inv_own_check(void *state, const fl_world *w, fl_node_id node,
                         const fl_view *before, const fl_view *after,
                         char *msg, size_t msglen)
{
    (void)state;
    if (before->kind != FL_VIEW_NONE || !inv_is_replica(w, node) ||
        after->kind == FL_VIEW_NONE || !after->match || !after->next)
        return 0;
    size_t n = fl_world_node_count(w);
    for (size_t r = 0; r < n; r++) {
        fl_node_id o = (fl_node_id)r;
        const fl_view *v = o == node ? NULL : inv_replica_view(w, o);
        if (!v)
            continue;
        if (inv_own_cmp(v, o, after, node, msg, msglen) < 0)     /* o knows more of it */
            return -1;
    }
    return 0;
}

static const fl_invariant inv_own_inv = {
    .name = "counter.own_durable",
    .summary = "a restarted CRDT replica shows its own entries at least as "
               "high as any live replica has them (its own increments are "
               "durable before they leave it)",
    .check = inv_own_check,
};

/* ---- Families ------------------------------------------------------------------- */

static const fl_invariant *const inv_crdt[] = {
    &inv_convergence,
    &inv_bounds_inv,
    &inv_mono_inv,
    &inv_own_inv,
};

const fl_invariant *const *fl_counter_crdt_invariants(size_t *n)
{
    *n = sizeof inv_crdt / sizeof inv_crdt[0];
    return inv_crdt;
}

/* The linearizable counter is Raft: the same safety invariants. */
const fl_invariant *const *fl_counter_raft_invariants(size_t *n)
{
    return fl_raft_invariants(n);
}
