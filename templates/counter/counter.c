/* counter.c — your distributed counter, as a faultline plug-in.
 *
 * Every handler below is empty: this file compiles, loads and runs, and
 * fails the counter suite honestly. Fill the handlers in. README.md says how
 * to build, run and grade; <faultline/algorithm.h> documents every function
 * you may call.
 *
 * Background: Shapiro et al., "Conflict-free Replicated Data Types" (2011).
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
 *     least your own increments (a replica must not forget them on a restart).
 *   - Client operations: add (arg = delta) and read.
 */
#include <stdint.h>
#include <string.h>

#include <faultline/algorithm.h>
#include <faultline/counter.h>   /* what the grader's checks read: scalars, vectors */

/* ---- The server role: a counter replica ---- */

typedef struct server_state {
    fl_node_id self;
    /* What the checks read (<faultline/counter.h> says what each means):
     * keep them up to date as your vectors change. */
    int64_t p_total;          /* sum of the P (increments) vector */
    int64_t n_total;          /* sum of the N (decrements) vector */
    int64_t digest;           /* a hash of both vectors */
    int64_t converge_ms;      /* the scenario's param "converge_ms" */
    /* Yours to write: everything a server knows (free what you allocate in server_destroy) */
} server_state;

/* Once per boot, and again after every restart, before start. */
static int server_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    server_state *s = state;
    const cJSON *bound = cJSON_GetObjectItemCaseSensitive(params, "converge_ms");
    s->self = fl_self(ctx);
    s->converge_ms = cJSON_IsNumber(bound) ? (int64_t)bound->valuedouble : 2000;
    return 0;
}

/* Boot (recovering = false) or restart after a crash (true): read the disk,
 * set the first timers. */
static void server_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)ctx;
    (void)state;
    (void)recovering;
}

static void server_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                           const void *msg, size_t len)
{
    (void)ctx;
    (void)state;
    (void)from;
    (void)msg;
    (void)len;
}

static void server_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                         uint64_t cookie)
{
    (void)ctx;
    (void)state;
    (void)kind;
    (void)cookie;
}

/* A client operation arrived: answer with fl_reply or fl_redirect. */
static void server_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    (void)ctx;
    (void)state;
    (void)req;
}

/* Fill what applies (scalars with the replica's value and, for a CRDT, its per-replica entries); never change the state here. */
static void server_inspect(const void *state, fl_view *view)
{
    const server_state *s = state;
    const fl_view_scalar sc[] = {
        {FL_COUNTER_SCALAR_VALUE, s->p_total - s->n_total},
        {FL_COUNTER_SCALAR_P_TOTAL, s->p_total},
        {FL_COUNTER_SCALAR_N_TOTAL, s->n_total},
        {FL_COUNTER_SCALAR_DIGEST, s->digest},
        {FL_COUNTER_SCALAR_CONVERGE_MS, s->converge_ms},
    };
    view->kind = FL_VIEW_OTHER;
    view->nscalars = 0;
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
        view->scalars[view->nscalars++] = sc[i];
    /* and the vectors, for each replica r < view->npeers:
     *   if (view->match) view->match[r] = P[r];
     *   if (view->next)  view->next[r] = N[r];   */
}

/* On a crash and at the end of a run: free what the handlers allocated. */
static void server_destroy(void *state)
{
    (void)state;
}

/* ---- Shared by every role ---- */

/* Called before any run with the scenario's "params": reject what you
 * cannot honour with a message naming the key and return -1. */
static int counter_validate(const cJSON *params, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    if (params && !cJSON_IsObject(params))
        return -1;
    return 0;
}

/* For the trace and the visualizer: what kind of message this is. */
static void counter_describe(const void *msg, size_t len, fl_msg_info *info)
{
    (void)msg;
    (void)len;
    info->kind = "message";
    info->is_reply = false;
    info->ok = -1;
    info->term = -1;
}

/* ---- The table faultline loads (the first role is the servers') ---- */

static const fl_role counter_roles[] = {
    {
        .name = "server",
        .state_size = sizeof(server_state),
        .init = server_init,
        .start = server_start,
        .on_message = server_on_message,
        .on_timer = server_on_timer,
        .on_request = server_on_request,
        .inspect = server_inspect,
        .destroy = server_destroy,
    },
    { .name = NULL },
};

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "counter",
    .description = "a student's distributed counter",
    .roles = counter_roles,
    .validate = counter_validate,
    .describe = counter_describe,
};
