/* invariants.c — the sort's checks (see invariants.h); what they read
 * from a plug-in is contract.h (<faultline/sort.h>). The output is checked
 * once, when the coordinator's view turns "done": one pass over its
 * entries compares each key with the previous one (sortedness, no
 * re-sorting) and sums a hash of every key and counts them (multiset
 * equality with the input's fingerprint). Balance looks at each worker's
 * largest complete bucket when it steps. Liveness needs the time of the
 * last recovery (fl_world_last_recovery). */
#include "algorithms/sort/invariants.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "algorithms/sort/contract.h"   /* installed as <faultline/sort.h> */

static bool scalar(const fl_view *v, const char *name, int64_t *out)
{
    for (size_t i = 0; i < v->nscalars && i < FL_VIEW_MAX_SCALARS; i++)
        if (v->scalars[i].name && !strcmp(v->scalars[i].name, name)) {
            *out = v->scalars[i].value;
            return true;
        }
    return false;
}

static bool is_done(const fl_view *v)
{
    return v && v->kind != FL_VIEW_NONE && v->label && !strcmp(v->label, FL_SORT_LABEL_DONE);
}

static bool is_coordinator(const fl_world *w, fl_node_id node)
{
    const char *role = fl_world_role(w, node);
    return role && !strcmp(role, FL_SORT_ROLE_COORDINATOR);
}

/* The coordinator's output just became visible (first time, or again
 * after a restart). */
static bool output_appeared(const fl_world *w, fl_node_id node, const fl_view *before,
                            const fl_view *after)
{
    return is_coordinator(w, node) && is_done(after) && !is_done(before);
}

/* ---- sort.sorted -------------------------------------------------------------- */

static int check_sorted(void *state, const fl_world *w, fl_node_id node,
                        const fl_view *before, const fl_view *after, char *msg,
                        size_t len)
{
    (void)state;
    if (!output_appeared(w, node, before, after))
        return 0;
    int64_t prev = INT64_MIN;
    for (int64_t i = 0; i <= after->log_last; i++) {
        fl_view_entry e;
        if (!fl_world_entry(w, node, i, &e)) {
            snprintf(msg, len, "coordinator %d says done with %" PRId64 " keys but has "
                     "no output entry %" PRId64, node, after->log_last + 1, i);
            return -1;
        }
        if (e.term < prev) {
            snprintf(msg, len, "coordinator %d's output is out of order: key %" PRId64
                     " at position %" PRId64 " follows key %" PRId64, node, e.term, i,
                     prev);
            return -1;
        }
        prev = e.term;
    }
    return 0;
}

/* ---- sort.permutation ------------------------------------------------------------ */

static int check_permutation(void *state, const fl_world *w, fl_node_id node,
                             const fl_view *before, const fl_view *after, char *msg,
                             size_t len)
{
    (void)state;
    if (!output_appeared(w, node, before, after))
        return 0;
    int64_t n = -1, in_hash = 0;
    if (!scalar(after, FL_SORT_SCALAR_N, &n) || !scalar(after, FL_SORT_SCALAR_IN_HASH, &in_hash)) {
        snprintf(msg, len, "coordinator %d says done but shows no \"n\" / \"in_hash\" "
                 "scalars to compare the output with", node);
        return -1;
    }
    uint64_t h = 0, count = 0;
    for (int64_t i = 0; i <= after->log_last; i++) {
        fl_view_entry e;
        if (!fl_world_entry(w, node, i, &e))
            break;
        h += fl_sort_key_hash((uint64_t)e.term);
        count++;
    }
    if ((int64_t)count != n) {
        snprintf(msg, len, "coordinator %d's output has %" PRIu64 " keys, the input had "
                 "%" PRId64 " (%s)", node, count, n,
                 (int64_t)count < n ? "keys were lost" : "keys were counted twice");
        return -1;
    }
    if (h != (uint64_t)in_hash) {
        snprintf(msg, len, "coordinator %d's output has the right number of keys (%"
                 PRIu64 ") but not the input's keys: multiset fingerprint %016" PRIx64
                 ", input's %016" PRIx64, node, count, h, (uint64_t)in_hash);
        return -1;
    }
    return 0;
}

/* ---- sort.balance ------------------------------------------------------------------- */

static int check_balance(void *state, const fl_world *w, fl_node_id node,
                         const fl_view *before, const fl_view *after, char *msg,
                         size_t len)
{
    (void)state;
    (void)before;
    const char *role = fl_world_role(w, node);
    int64_t n, workers, max;
    if (!role || strcmp(role, FL_SORT_ROLE_WORKER) || after->kind == FL_VIEW_NONE ||
        !scalar(after, FL_SORT_SCALAR_N, &n) || !scalar(after, FL_SORT_SCALAR_WORKERS, &workers) ||
        !scalar(after, FL_SORT_SCALAR_BUCKET_MAX, &max) || n < 0 || workers <= 0)
        return 0;
    int64_t fair = (n + workers - 1) / workers, bound = 2 * fair + 64;
    if (max <= bound)
        return 0;
    snprintf(msg, len, "worker %d holds a bucket of %" PRId64 " keys, more than twice "
             "the fair share of %" PRId64 " (%" PRId64 " keys over %" PRId64
             " workers; bound %" PRId64 "): the splitters do not describe the input",
             node, max, fair, n, workers, bound);
    return -1;
}

/* ---- sort.liveness ------------------------------------------------------------------- */

typedef struct live_state {
    fl_time bound;        /* -1: not asked for */
    bool    done;
} live_state;

static int live_init(void *state, const fl_world *w)
{
    live_state *s = state;
    const cJSON *params = fl_world_params(w);
    const cJSON *b = params ?
        cJSON_GetObjectItemCaseSensitive(params, "done_within_ms") : NULL;
    s->bound = cJSON_IsNumber(b) && b->valuedouble > 0 ?
        (fl_time)b->valuedouble * 1000000 : -1;
    return 0;
}

/* Only the coordinator can finish the sort: while it is down or paused
 * the bound waits (its restart or resume is a recovery, and the bound
 * counts again from there). */
static bool coordinator_out(const fl_world *w)
{
    for (size_t i = 0; i < fl_world_node_count(w); i++) {
        fl_node_id n = (fl_node_id)i;
        if (is_coordinator(w, n) && (!fl_world_alive(w, n) || fl_world_paused(w, n)))
            return true;
    }
    return false;
}

static int check_liveness(void *state, const fl_world *w, fl_node_id node,
                          const fl_view *before, const fl_view *after, char *msg,
                          size_t len)
{
    live_state *s = state;
    (void)before;
    if (is_coordinator(w, node) && is_done(after))
        s->done = true;
    if (s->done || s->bound < 0 || coordinator_out(w))
        return 0;
    fl_time from = fl_world_last_recovery(w);
    fl_time now = fl_world_now(w);
    if (now <= from + s->bound)
        return 0;
    snprintf(msg, len, "the sort is not done %.0f ms after the last recovery at %.3f ms "
             "(now %.3f ms)", (double)s->bound / 1e6, (double)from / 1e6,
             (double)now / 1e6);
    return -1;
}

/* A sort that never finishes may take no step past its bound at all. */
static int finish_liveness(void *state, const fl_world *w, fl_time end, char *msg,
                           size_t len)
{
    live_state *s = state;
    if (s->done || s->bound < 0 || coordinator_out(w))
        return 0;
    fl_time from = fl_world_last_recovery(w);
    if (end <= from + s->bound)
        return 0;
    snprintf(msg, len, "the sort never finished: not done %.0f ms after the last "
             "recovery at %.3f ms (the run ended at %.3f ms)", (double)s->bound / 1e6,
             (double)from / 1e6, (double)end / 1e6);
    return -1;
}

static const fl_invariant inv_sorted = {
    .name = "sort.sorted",
    .summary = "the coordinator's output is in key order",
    .check = check_sorted,
};
static const fl_invariant inv_permutation = {
    .name = "sort.permutation",
    .summary = "the output has the input's keys: same count and multiset hash",
    .check = check_permutation,
};
static const fl_invariant inv_balance = {
    .name = "sort.balance",
    .summary = "no bucket holds more than twice its fair share of keys",
    .check = check_balance,
};
static const fl_invariant inv_liveness = {
    .name = "sort.liveness",
    .summary = "the sort is done within params.done_within_ms of the last recovery",
    .state_size = sizeof(live_state),
    .init = live_init,
    .check = check_liveness,
    .finish = finish_liveness,
};

static const fl_invariant *const inv_sort_table[] = {
    &inv_sorted, &inv_permutation, &inv_balance, &inv_liveness,
};

const fl_invariant *const *fl_sort_invariants(size_t *n)
{
    *n = sizeof inv_sort_table / sizeof inv_sort_table[0];
    return inv_sort_table;
}
