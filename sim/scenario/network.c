/* network.c — the network, per-link overrides, the disk and the
 * workload sections of a scenario. */
#include "sim/scenario/loader.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Network, links, disk ----------------------------------------------- */

/* latency / drop / duplicate, shared by "network", "links" and link faults.
 * Returns how many of the three were given, or -1. */
int ld_link_spec(fl_ld *ld, const cJSON *obj, fl_link_spec *spec)
{
    int a = get_dist(ld, obj, "latency", false, &spec->latency);
    if (a < 0)
        return -1;
    int b = get_prob(ld, obj, "drop", false, &spec->drop);
    if (b < 0)
        return -1;
    int c = get_prob(ld, obj, "duplicate", false, &spec->duplicate);
    if (c < 0)
        return -1;
    spec->has_latency = a > 0;
    spec->has_drop = b > 0;
    spec->has_duplicate = c > 0;
    return a + b + c;
}

int parse_network(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    static const char *const keys[] = { "latency", "drop", "duplicate", "fifo", NULL };
    fl_network_spec *n = &s->network;
    n->base.latency = (fl_dist){ FL_DIST_CONSTANT, 1, 0 };
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "network", false, &j, &m);
    if (r < 0)
        return -1;
    if (r) {
        if (ld_object(ld, j, keys) < 0 || ld_link_spec(ld, j, &n->base) < 0 ||
            get_bool(ld, j, "fifo", false, &n->fifo) < 0)
            return -1;
        ld_pop(ld, m);
    }
    n->base.has_latency = n->base.has_drop = n->base.has_duplicate = true;
    return 0;
}

static int parse_link(fl_ld *ld, const cJSON *j, fl_scenario *s, size_t i)
{
    static const char *const keys[] = {
        "from", "to", "latency", "drop", "duplicate", NULL
    };
    struct fl_link_override *o = &s->links[i];
    if (ld_object(ld, j, keys) < 0)
        return -1;
    const char *ends[2] = { "from", "to" };
    int32_t *ids[2] = { &o->from, &o->to };
    for (int e = 0; e < 2; e++) {
        const cJSON *v;
        size_t m;
        if (ld_get(ld, j, ends[e], true, &v, &m) < 0 ||
            ld_node_id(ld, v, s, ids[e]) < 0)
            return -1;
        ld_pop(ld, m);
    }
    int given = ld_link_spec(ld, j, &o->spec);
    if (given < 0)
        return -1;
    if (given == 0)
        return ld_fail(ld, "a link override needs at least one of latency, "
                           "drop, duplicate");
    for (size_t k = 0; k < i; k++)
        if (s->links[k].from == o->from && s->links[k].to == o->to)
            return ld_fail(ld, "link %d -> %d is already overridden at "
                               "$.links[%zu]", o->from, o->to, k);
    return 0;
}

int parse_links(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "links", false, &j, &m);
    if (r <= 0)
        return r;
    if (!cJSON_IsArray(j))
        return ld_fail(ld, "must be an array (got %s)", fl_type_name(j));
    size_t n = (size_t)cJSON_GetArraySize(j);
    if (n) {
        s->links = calloc(n, sizeof *s->links);
        if (!s->links)
            return ld_oom(ld);
    }
    size_t i = 0;
    for (const cJSON *c = j->child; c; c = c->next, i++) {
        size_t mi = ld_index(ld, i);
        if (parse_link(ld, c, s, i) < 0)
            return -1;
        s->nlinks = i + 1;
        ld_pop(ld, mi);
    }
    ld_pop(ld, m);
    return 0;
}

int parse_disk(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    static const char *const keys[] = { "sync", "torn_writes", NULL };
    s->disk.sync = (fl_dist){ FL_DIST_CONSTANT, 1, 0 };
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "disk", false, &j, &m);
    if (r <= 0)
        return r;
    if (ld_object(ld, j, keys) < 0 ||
        get_dist(ld, j, "sync", false, &s->disk.sync) < 0 ||
        get_bool(ld, j, "torn_writes", false, &s->disk.torn_writes) < 0)
        return -1;
    ld_pop(ld, m);
    return 0;
}

/* ---- Workload ------------------------------------------------------------ */

static const char *const fl_model_names[] = {
    "none", "register", "kv", "counter", "lock", NULL
};

/* Indexed by fl_op_kind. */
static const char *const fl_op_names[] = {
    "read", "write", "cas", "add", "acquire", "release", NULL
};

/* Which ops each model allows (bit per fl_op_kind); none allows all. */
static unsigned fl_model_ops(fl_model_kind m)
{
    switch (m) {
    case FL_MODEL_REGISTER:
    case FL_MODEL_KV:
        return (1u << FL_OP_READ) | (1u << FL_OP_WRITE) | (1u << FL_OP_CAS);
    case FL_MODEL_COUNTER:
        return (1u << FL_OP_READ) | (1u << FL_OP_ADD);
    case FL_MODEL_LOCK:
        return (1u << FL_OP_ACQUIRE) | (1u << FL_OP_RELEASE);
    case FL_MODEL_NONE:
        break;
    }
    return (1u << FL_OP_KIND_COUNT) - 1;
}

static void fl_default_mix(fl_model_kind m, double *mix)
{
    for (int i = 0; i < FL_OP_KIND_COUNT; i++)
        mix[i] = 0;
    switch (m) {
    case FL_MODEL_REGISTER:
    case FL_MODEL_KV:
        mix[FL_OP_READ] = 0.5;
        mix[FL_OP_WRITE] = 0.4;
        mix[FL_OP_CAS] = 0.1;
        break;
    case FL_MODEL_COUNTER:
        mix[FL_OP_READ] = 0.5;
        mix[FL_OP_ADD] = 0.5;
        break;
    case FL_MODEL_LOCK:
        mix[FL_OP_ACQUIRE] = 0.5;
        mix[FL_OP_RELEASE] = 0.5;
        break;
    case FL_MODEL_NONE:
        break;
    }
}

static int parse_mix(fl_ld *ld, const cJSON *w, fl_workload_spec *wl)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, w, "mix", false, &j, &m);
    if (r <= 0)
        return r;
    if (ld_object(ld, j, fl_op_names) < 0)
        return -1;
    unsigned allowed = fl_model_ops(wl->model);
    double total = 0;
    for (int op = 0; op < FL_OP_KIND_COUNT; op++) {
        wl->mix[op] = 0;
        const cJSON *v;
        size_t mo;
        int got = ld_get(ld, j, fl_op_names[op], false, &v, &mo);
        if (got <= 0)
            continue;
        if (!(allowed & (1u << op)))
            return ld_fail(ld, "\"%s\" is not an operation of model \"%s\"",
                           fl_op_names[op], fl_model_names[wl->model]);
        if (ld_number(ld, v, FL_B_GE0, &wl->mix[op]) < 0)
            return -1;
        total += wl->mix[op];
        ld_pop(ld, mo);
    }
    if (!(total > 0))
        return ld_fail(ld, "the weights must not all be 0");
    ld_pop(ld, m);
    return 1;
}

static int parse_workload_times(fl_ld *ld, const cJSON *w, fl_scenario *s)
{
    fl_workload_spec *wl = &s->workload;
    if (get_time_gt0(ld, w, "timeout_ms", false, &wl->timeout) < 0 ||
        get_time_gt0(ld, w, "retry_ms", false, &wl->retry) < 0 ||
        get_time_ge0(ld, w, "start_ms", false, &wl->start) < 0 ||
        get_time_ge0(ld, w, "stop_ms", false, &wl->stop) < 0)
        return -1;
    if (wl->start > s->duration) {
        ld_key(ld, "start_ms");
        return ld_fail(ld, "must be <= duration_ms (%g)", (double)s->duration / 1e6);
    }
    if (wl->stop > s->duration) {
        ld_key(ld, "stop_ms");
        return ld_fail(ld, "must be <= duration_ms (%g)", (double)s->duration / 1e6);
    }
    if (wl->stop < wl->start) {
        ld_key(ld, "stop_ms");
        return ld_fail(ld, "must be >= start_ms");
    }
    return 0;
}

/* Counter deltas: "add_min" and "add_max" (decrements when negative). */
static int parse_add_range(fl_ld *ld, const cJSON *j, fl_workload_spec *wl)
{
    const int64_t lim = 1000000;
    if (get_integer(ld, j, "add_min", false, -lim, lim, &wl->add_min) < 0 ||
        get_integer(ld, j, "add_max", false, -lim, lim, &wl->add_max) < 0)
        return -1;
    if (wl->add_min > wl->add_max) {
        ld_key(ld, "add_max");
        return ld_fail(ld, "must be >= add_min (%lld)", (long long)wl->add_min);
    }
    return 0;
}

/* "keys": a count (drawn uniformly), or {"count": N, "distribution":
 * "uniform" | "zipf", "s": exponent (zipf only, default 1)}; the Zipf
 * table is built here, once (sim/keys.h). Needs wl->model. */
static int parse_keys_object(fl_ld *ld, const cJSON *k, fl_workload_spec *wl,
                             int64_t *count)
{
    static const char *const keys[] = { "count", "distribution", "s", NULL };
    int dist = FL_KEYS_UNIFORM;
    if (ld_object(ld, k, keys) < 0 ||
        get_integer(ld, k, "count", true, 1, UINT32_MAX, count) < 0 ||
        get_enum(ld, k, "distribution", false, "key distribution",
                 fl_key_dist_names, &dist) < 0)
        return -1;
    wl->key_dist = (fl_key_dist)dist;
    const cJSON *sj;
    size_t m;
    int r = ld_get(ld, k, "s", false, &sj, &m);
    if (r < 0)
        return -1;
    if (r && wl->key_dist != FL_KEYS_ZIPF)
        return ld_fail(ld, "only with \"distribution\": \"zipf\"");
    if (r) {
        if (ld_number(ld, sj, FL_B_GT0, &wl->zipf_s) < 0)
            return -1;
        if (wl->zipf_s > FL_KEYS_ZIPF_S_MAX)
            return ld_fail(ld, "must be at most %g", FL_KEYS_ZIPF_S_MAX);
        ld_pop(ld, m);
    }
    if (wl->key_dist == FL_KEYS_ZIPF && *count > (int64_t)FL_KEYS_ZIPF_MAX) {
        ld_key(ld, "count");
        return ld_fail(ld, "must be at most %lu for \"distribution\": \"zipf\"",
                       (unsigned long)FL_KEYS_ZIPF_MAX);
    }
    return 0;
}

static int parse_keys(fl_ld *ld, const cJSON *j, fl_workload_spec *wl)
{
    int64_t count = wl->model == FL_MODEL_KV ? 5 : 1;
    wl->key_dist = FL_KEYS_UNIFORM;
    wl->zipf_s = 1.0;
    const cJSON *k;
    size_t m = 0;
    int r = j ? ld_get(ld, j, "keys", false, &k, &m) : 0;
    if (r < 0)
        return -1;
    if (r && !cJSON_IsObject(k) && !cJSON_IsNumber(k))
        return ld_fail(ld, "must be an integer in [1, %lu] or an object with "
                           "\"count\", \"distribution\" and \"s\" (got %s)",
                       (unsigned long)UINT32_MAX, fl_type_name(k));
    if (r && cJSON_IsObject(k)) {
        if (parse_keys_object(ld, k, wl, &count) < 0)
            return -1;
    } else if (r && ld_integer(ld, k, 1, UINT32_MAX, &count) < 0) {
        return -1;
    }
    if (wl->model == FL_MODEL_REGISTER && count != 1) {
        if (cJSON_IsObject(k))
            ld_key(ld, "count");
        return ld_fail(ld, "must be 1 for model \"register\" (use \"kv\" for "
                           "several keys)");
    }
    if (r)
        ld_pop(ld, m);
    wl->keys = (uint32_t)count;
    if (wl->key_dist == FL_KEYS_ZIPF) {
        wl->key_cdf = fl_keys_zipf_table(wl->keys, wl->zipf_s);
        if (!wl->key_cdf)
            return ld_oom(ld);
    }
    return 0;
}

int parse_workload(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    static const char *const keys[] = {
        "clients", "rate_per_s", "model", "keys", "mix", "timeout_ms",
        "retry_ms", "start_ms", "stop_ms", "add_min", "add_max", NULL
    };
    fl_workload_spec *wl = &s->workload;   /* clients: set by parse_nodes */
    wl->rate_per_s = 10;
    wl->add_min = 1;
    wl->add_max = 5;
    wl->timeout = FL_MS(1000);
    wl->retry = FL_MS(200);
    wl->start = 0;
    wl->stop = s->duration;
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "workload", false, &j, &m);
    if (r < 0 || (r && ld_object(ld, j, keys) < 0))
        return -1;
    int model = wl->clients > 0 ? FL_MODEL_KV : FL_MODEL_NONE;
    if (r && (get_number_gt0(ld, j, "rate_per_s", false, &wl->rate_per_s) < 0 ||
              get_enum(ld, j, "model", false, "model", fl_model_names, &model) < 0))
        return -1;
    wl->model = (fl_model_kind)model;
    if (parse_keys(ld, r ? j : NULL, wl) < 0)
        return -1;
    fl_default_mix(wl->model, wl->mix);
    if (r && (parse_mix(ld, j, wl) < 0 || parse_workload_times(ld, j, s) < 0 ||
              parse_add_range(ld, j, wl) < 0))
        return -1;
    if (r)
        ld_pop(ld, m);
    return 0;
}

