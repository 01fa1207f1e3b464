/* sort.c — the sample sort's algorithm table, its params (defaults,
 * parsing, validation), message descriptions and small shared helpers. */
#include "algorithms/sort/sort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/sort/sort_table.h"

/* ---- Params --------------------------------------------------------------- */

static const char *const sort_bug_names[SORT_BUG_COUNT] = {
#define SORT_X_NAME(id, name) name,
    SORT_BUG_MAP(SORT_X_NAME)
#undef SORT_X_NAME
};

static const char *const sort_dist_names[SORT_DIST_COUNT] = {
    "uniform", "zipf", "sorted", "duplicates",
};

const char *sort_dist_name(sort_dist d)
{
    return (unsigned)d < SORT_DIST_COUNT ? sort_dist_names[d] : "?";
}

static int sort_param_err(char *err, size_t errlen, const char *key,
                          const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", key, what);
    return -1;
}

/* An integral JSON number in [lo, hi]. */
static int sort_int(const cJSON *v, const char *key, int64_t lo, int64_t hi,
                    int64_t *out, char *err, size_t errlen)
{
    double d = cJSON_IsNumber(v) ? v->valuedouble : 0.5;
    if (!cJSON_IsNumber(v) || !(d >= (double)lo && d <= (double)hi) ||
        (double)(int64_t)d != d) {
        char what[96];
        snprintf(what, sizeof what, "must be an integer in [%lld, %lld]",
                 (long long)lo, (long long)hi);
        return sort_param_err(err, errlen, key, what);
    }
    *out = (int64_t)d;
    return 0;
}

static int sort_parse_dist(const cJSON *v, sort_params *p, char *err,
                           size_t errlen)
{
    for (unsigned k = 0; cJSON_IsString(v) && k < SORT_DIST_COUNT; k++)
        if (!strcmp(v->valuestring, sort_dist_names[k])) {
            p->dist = (sort_dist)k;
            return 0;
        }
    return sort_param_err(err, errlen, "dist",
                          "must be \"uniform\", \"zipf\", \"sorted\" or "
                          "\"duplicates\"");
}

static int sort_parse_bugs(const cJSON *v, sort_params *p, char *err,
                           size_t errlen)
{
    char what[256];
    size_t at = (size_t)snprintf(what, sizeof what,
                                 "must be an array of names (known: ");
    for (unsigned k = 0; k < SORT_BUG_COUNT && at < sizeof what; k++)
        at += (size_t)snprintf(what + at, sizeof what - at, "%s%s",
                               k ? ", " : "", sort_bug_names[k]);
    if (at < sizeof what)
        snprintf(what + at, sizeof what - at, ")");
    if (!cJSON_IsArray(v))
        return sort_param_err(err, errlen, "bugs", what);
    const cJSON *b;
    cJSON_ArrayForEach(b, v) {
        unsigned k = 0;
        while (cJSON_IsString(b) && k < SORT_BUG_COUNT &&
               strcmp(b->valuestring, sort_bug_names[k]))
            k++;
        if (!cJSON_IsString(b) || k == SORT_BUG_COUNT)
            return sort_param_err(err, errlen, "bugs", what);
        p->bugs |= 1u << k;
    }
    return 0;
}

static int sort_parse_one(const cJSON *v, sort_params *p, char *err,
                          size_t errlen)
{
    const char *k = v->string;
    if (!strcmp(k, "keys"))
        return sort_int(v, k, 1, SORT_MAX_KEYS, &p->keys, err, errlen);
    if (!strcmp(k, "dist"))
        return sort_parse_dist(v, p, err, errlen);
    if (!strcmp(k, "samples"))
        return sort_int(v, k, 1, 4096, &p->samples, err, errlen);
    if (!strcmp(k, "heartbeat_ms"))
        return sort_int(v, k, 1, 60000, &p->heartbeat_ms, err, errlen);
    if (!strcmp(k, "worker_timeout_ms"))
        return sort_int(v, k, 1, 3600000, &p->worker_timeout_ms, err, errlen);
    if (!strcmp(k, "retry_ms"))
        return sort_int(v, k, 1, 60000, &p->retry_ms, err, errlen);
    if (!strcmp(k, "sort_ns_per_key"))
        return sort_int(v, k, 0, 1000000, &p->sort_ns_per_key, err, errlen);
    if (!strcmp(k, "done_within_ms"))
        return sort_int(v, k, 1, INT64_C(86400000), &p->done_within_ms, err, errlen);
    if (!strcmp(k, "bugs"))
        return sort_parse_bugs(v, p, err, errlen);
    return sort_param_err(err, errlen, k,
                          "unknown parameter (known: keys, dist, samples, "
                          "heartbeat_ms, worker_timeout_ms, retry_ms, "
                          "sort_ns_per_key, done_within_ms, bugs)");
}

int sort_params_parse(const cJSON *params, sort_params *p, char *err,
                      size_t errlen)
{
    *p = (sort_params){
        .keys = 10000, .dist = SORT_DIST_UNIFORM, .samples = 64,
        .heartbeat_ms = 50, .worker_timeout_ms = 500, .retry_ms = 100,
        .sort_ns_per_key = 5, .done_within_ms = -1, .bugs = 0,
    };
    if (!params)
        return 0;
    if (!cJSON_IsObject(params))
        return sort_param_err(err, errlen, "params", "must be an object");
    const cJSON *v;
    cJSON_ArrayForEach(v, params)
        if (sort_parse_one(v, p, err, errlen) < 0)
            return -1;
    if (p->worker_timeout_ms <= p->heartbeat_ms)
        return sort_param_err(err, errlen, "worker_timeout_ms",
                              "must be longer than heartbeat_ms");
    return 0;
}

int sort_validate(const cJSON *params, char *err, size_t errlen)
{
    sort_params p;
    return sort_params_parse(params, &p, err, errlen);
}

/* ---- Messages for the trace --------------------------------------------- */

void sort_describe(const void *msg, size_t len, fl_msg_info *info)
{
    static const char *const names[] = {
        "?", "Assign", "Slice", "Heartbeat", "Sample", "Piece", "PieceAck",
        "Result", "ResultAck",
    };
    int t = sort_msg_type_of(msg, len);
    info->kind = t > 0 && t <= SORT_M_RESULT_ACK ? names[t] : "?";
    info->is_reply = t == SORT_M_PIECE_ACK || t == SORT_M_RESULT_ACK;
    info->ok = info->is_reply ? 1 : -1;
    info->term = -1;
    sort_assign a;
    if (t == SORT_M_ASSIGN && sort_dec_assign(msg, len, &a))
        info->term = a.version;
}

/* ---- Helpers -------------------------------------------------------------- */

static int sort_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

void sort_u64_sort(uint64_t *a, size_t n)
{
    if (n > 1)
        qsort(a, n, sizeof *a, sort_cmp_u64);
}

fl_time sort_cost(const sort_params *p, uint64_t m)
{
    uint64_t lg = 1;
    while (lg < 63 && (UINT64_C(1) << lg) < m)
        lg++;
    return (fl_time)(m * lg * (uint64_t)p->sort_ns_per_key);
}

uint32_t sort_bucket_of(const uint64_t *splitters, uint32_t nw, uint64_t e)
{
    uint32_t lo = 0, hi = nw - 1;    /* first splitter > e, or nw-1 */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (splitters[mid] > e)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

uint64_t *sort_alloc(uint64_t n)
{
    return malloc((size_t)(n ? n : 1) * sizeof(uint64_t));
}

const char *sort_stage_name(sort_stage s)
{
    static const char *const names[] = {
        "idle", "receiving", "sampling", "exchanging", "sorting", "reporting",
        "done",
    };
    return (unsigned)s <= SORT_ST_DONE ? names[s] : "?";
}

/* ---- The table ------------------------------------------------------------ */

const fl_role sort_roles[] = {
    {
        .name = FL_SORT_ROLE_COORDINATOR,
        .state_size = sizeof(sort_coord),
        .init = sort_coord_init,
        .start = sort_coord_start,
        .on_message = sort_coord_message,
        .on_timer = sort_coord_timer,
        .inspect = sort_coord_inspect,
        .inspect_entry = sort_coord_entry,
        .destroy = sort_coord_destroy,
    },
    {
        .name = FL_SORT_ROLE_WORKER,
        .state_size = sizeof(sort_worker),
        .init = sort_worker_init,
        .start = sort_worker_start,
        .on_message = sort_worker_message,
        .on_timer = sort_worker_timer,
        .inspect = sort_worker_inspect,
        .destroy = sort_worker_destroy,
    },
    { .name = NULL },
};

/* One coordinator and 1..SORT_MAX_WORKERS workers, or every init fails. */
static int sort_validate_nodes(const cJSON *params, const fl_node_count *counts,
                               size_t ncounts, char *err, size_t errlen)
{
    size_t coord = 0, workers = 0;
    (void)params;
    for (size_t i = 0; i < ncounts; i++) {
        if (strcmp(counts[i].role, FL_SORT_ROLE_COORDINATOR) == 0)
            coord = counts[i].count;
        else if (strcmp(counts[i].role, FL_SORT_ROLE_WORKER) == 0)
            workers = counts[i].count;
    }
    if (coord != 1) {
        snprintf(err, errlen, "coordinator: the sort needs exactly one coordinator, got %zu",
                 coord);
        return -1;
    }
    if (workers == 0 || workers > SORT_MAX_WORKERS) {
        snprintf(err, errlen, "worker: the sort needs 1..%d workers, got %zu",
                 SORT_MAX_WORKERS, workers);
        return -1;
    }
    return 0;
}

const fl_algorithm fl_sort_algorithm = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "sort",
    .description = "Distributed sample sort over N workers and a coordinator "
                   "that keeps the input and the assignment on disk, so it "
                   "survives worker and coordinator crashes",
    .roles = sort_roles,
    .validate = sort_validate,
    .describe = sort_describe,
    .validate_nodes = sort_validate_nodes,
};
