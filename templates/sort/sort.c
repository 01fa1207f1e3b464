/* sort.c — your distributed sample sort, as a faultline plug-in.
 *
 * Every handler below is empty: this file compiles, loads and runs, and
 * fails the sort suite honestly. Fill the handlers in. README.md says how
 * to build, run and grade; <faultline/algorithm.h> documents every function
 * you may call.
 *
 * Background: Blelloch et al., "A Comparison of Sorting Algorithms for the Connection Machine CM-2" (1991).
 *
 * The rules (the grader checks them):
 *   - Everything a node knows lives in its state struct, which faultline
 *     allocates per node and zeroes. No global or static variables: all
 *     nodes of a plug-in share them, and the grader runs every test twice
 *     and reports differing traces as nondeterminism.
 *   - No rand(), time(), clock_gettime(), threads, files or printf: use
 *     fl_random, fl_now, fl_set_timer, fl_disk_* and fl_log.
 *   - Messages are bytes you encode yourself (fl_send copies them). The
 *     network may delay, drop, duplicate and reorder them; a decoder must
 *     reject garbage instead of crashing.
 *   - A crash loses everything but what you fl_disk_sync()ed: here, at
 *     least the coordinator's record of which worker holds which input partition.
 *   - Client operations: none: the job starts by itself and the coordinator reports the output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <faultline/algorithm.h>
#include <faultline/sort.h>      /* what the grader's checks read: roles, scalars, output */

/* ---- The worker role: a worker that sorts one partition ---- */

typedef struct worker_state {
    fl_node_id self;
    /* What the checks read (<faultline/sort.h> says what each means). */
    int64_t n;                /* input keys, -1 until known */
    int64_t workers;          /* workers sharing the keys */
    int64_t bucket_max;       /* keys in the largest bucket it owns */
    /* Yours to write: everything a worker knows (free what you allocate in worker_destroy) */
} worker_state;

/* Once per boot, and again after every restart, before start. */
static int worker_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    worker_state *s = state;
    (void)params;
    s->self = fl_self(ctx);
    s->n = -1;
    return 0;
}

/* Boot (recovering = false) or restart after a crash (true): read the disk,
 * set the first timers. */
static void worker_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)ctx;
    (void)state;
    (void)recovering;
}

static void worker_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                           const void *msg, size_t len)
{
    (void)ctx;
    (void)state;
    (void)from;
    (void)msg;
    (void)len;
}

static void worker_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                         uint64_t cookie)
{
    (void)ctx;
    (void)state;
    (void)kind;
    (void)cookie;
}

/* A client operation arrived: answer with fl_reply or fl_redirect. */
static void worker_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    (void)ctx;
    (void)state;
    (void)req;
}

/* Fill what applies (a label with the phase, and scalars with per-worker progress); never change the state here. */
static void worker_inspect(const void *state, fl_view *view)
{
    const worker_state *s = state;
    const fl_view_scalar sc[] = {
        {FL_SORT_SCALAR_N, s->n},
        {FL_SORT_SCALAR_WORKERS, s->workers},
        {FL_SORT_SCALAR_BUCKET_MAX, s->bucket_max},
    };
    view->kind = FL_VIEW_OTHER;
    view->nscalars = 0;
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
        view->scalars[view->nscalars++] = sc[i];
}

/* On a crash and at the end of a run: free what the handlers allocated. */
static void worker_destroy(void *state)
{
    (void)state;
}

/* ---- The coordinator role: the coordinator that picks splitters and collects the output ---- */

typedef struct coordinator_state {
    fl_node_id self;
    /* What the checks read (<faultline/sort.h> says what each means). */
    bool done;                /* the whole output is collected */
    int64_t n;                /* input keys */
    uint64_t in_hash;         /* sum of fl_sort_key_hash over the input */
    uint32_t *output;         /* once done: the n keys in output order */
    /* Yours to write: everything a coordinator knows (free what you allocate in coordinator_destroy) */
} coordinator_state;

/* Once per boot, and again after every restart, before start. */
static int coordinator_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    coordinator_state *s = state;
    (void)params;
    s->self = fl_self(ctx);
    return 0;
}

/* Boot (recovering = false) or restart after a crash (true): read the disk,
 * set the first timers. */
static void coordinator_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)ctx;
    (void)state;
    (void)recovering;
}

static void coordinator_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                           const void *msg, size_t len)
{
    (void)ctx;
    (void)state;
    (void)from;
    (void)msg;
    (void)len;
}

static void coordinator_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                         uint64_t cookie)
{
    (void)ctx;
    (void)state;
    (void)kind;
    (void)cookie;
}

/* A client operation arrived: answer with fl_reply or fl_redirect. */
static void coordinator_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    (void)ctx;
    (void)state;
    (void)req;
}

/* Fill what applies (a label with the phase, and scalars with per-worker progress); never change the state here. */
static void coordinator_inspect(const void *state, fl_view *view)
{
    const coordinator_state *s = state;
    const fl_view_scalar sc[] = {
        {FL_SORT_SCALAR_N, s->n},
        {FL_SORT_SCALAR_IN_HASH, (int64_t)s->in_hash},
    };
    view->kind = FL_VIEW_LEADER;
    view->label = s->done ? FL_SORT_LABEL_DONE : "working";
    if (s->done && s->output && s->n > 0) {
        view->log_first = 0;
        view->log_last = s->n - 1;
    }
    view->nscalars = 0;
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
        view->scalars[view->nscalars++] = sc[i];
}

/* The output, once done: entry i is output position i, term = its key. */
static bool coordinator_entry(const void *state, int64_t index,
                              fl_view_entry *out)
{
    const coordinator_state *s = state;
    if (!s->done || !s->output || index < 0 || index >= s->n)
        return false;
    out->term = s->output[index];
    out->command = s->output[index];
    out->committed = true;
    return true;
}

/* On a crash and at the end of a run: free what the handlers allocated. */
static void coordinator_destroy(void *state)
{
    coordinator_state *s = state;
    free(s->output);
    s->output = NULL;
}

/* ---- Shared by every role ---- */

/* Called before any run with the scenario's "params": reject what you
 * cannot honour with a message naming the key and return -1. */
static int sort_validate(const cJSON *params, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    if (params && !cJSON_IsObject(params))
        return -1;
    return 0;
}

/* For the trace and the visualizer: what kind of message this is. */
static void sort_describe(const void *msg, size_t len, fl_msg_info *info)
{
    (void)msg;
    (void)len;
    info->kind = "message";
    info->is_reply = false;
    info->ok = -1;
    info->term = -1;
}

/* ---- The table faultline loads (the first role is the servers') ---- */

static const fl_role sort_roles[] = {
    {
        .name = "worker",
        .state_size = sizeof(worker_state),
        .init = worker_init,
        .start = worker_start,
        .on_message = worker_on_message,
        .on_timer = worker_on_timer,
        .on_request = worker_on_request,
        .inspect = worker_inspect,
        .destroy = worker_destroy,
    },
    {
        .name = "coordinator",
        .state_size = sizeof(coordinator_state),
        .init = coordinator_init,
        .start = coordinator_start,
        .on_message = coordinator_on_message,
        .on_timer = coordinator_on_timer,
        .on_request = coordinator_on_request,
        .inspect = coordinator_inspect,
        .inspect_entry = coordinator_entry,
        .destroy = coordinator_destroy,
    },
    { .name = NULL },
};

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "sort",
    .description = "a student's distributed sample sort",
    .roles = sort_roles,
    .validate = sort_validate,
    .describe = sort_describe,
};
