/* lock.c — your lock service with fencing tokens, as a faultline plug-in.
 *
 * Every handler below is empty: this file compiles, loads and runs, and
 * fails the lock suite honestly. Fill the handlers in. README.md says how
 * to build, run and grade; <faultline/algorithm.h> documents every function
 * you may call.
 *
 * Background: Kleppmann, "How to do distributed locking" (2016).
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
 *     least the lock table and the last token handed out.
 *   - Client operations: acquire (arg = lease ms; reply: a fencing token) and release (arg = token).
 */
#include <stdint.h>
#include <string.h>

#include <faultline/algorithm.h>
#include <faultline/lock.h>      /* what the grader's checks read: roles, scalars */

/* ---- The server role: a lock server (the lock table on a replicated log) ---- */

typedef struct server_state {
    fl_node_id self;
    /* Lock 0 in the applied lock table, as the checks see it
     * (<faultline/lock.h> says what each means): keep them up to date
     * when you apply a log entry, and set view->applied in server_inspect
     * to the last entry applied. */
    int64_t holder;           /* client node holding lock 0, -1: free */
    int64_t token;            /* token of its current (or last) grant */
    int64_t expiry_ms;        /* when its lease ends */
    int64_t last_token;       /* highest token ever granted */
    /* Yours to write: everything a server knows (free what you allocate in server_destroy) */
} server_state;

/* Once per boot, and again after every restart, before start. */
static int server_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    server_state *s = state;
    (void)params;
    s->self = fl_self(ctx);
    s->holder = -1;
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

/* Fill what applies (kind, term and leader of a lock server; scalars such as the holder, the lease expiry and the last token); never change the state here. */
static void server_inspect(const void *state, fl_view *view)
{
    const server_state *s = state;
    const fl_view_scalar sc[] = {
        {FL_LOCK_SCALAR_HOLDER, s->holder},
        {FL_LOCK_SCALAR_TOKEN, s->token},
        {FL_LOCK_SCALAR_EXPIRY_MS, s->expiry_ms},
        {FL_LOCK_SCALAR_LAST_TOKEN, s->last_token},
    };
    view->kind = FL_VIEW_FOLLOWER;
    view->nscalars = 0;
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
        view->scalars[view->nscalars++] = sc[i];
}

/* On a crash and at the end of a run: free what the handlers allocated. */
static void server_destroy(void *state)
{
    (void)state;
}

/* ---- The storage role: the protected storage server that checks fencing tokens ---- */

typedef struct storage_state {
    fl_node_id self;
    /* What the checks read (<faultline/lock.h>): count every write you
     * apply, and remember its token and writer. */
    int64_t applied;          /* writes applied */
    int64_t last_token;       /* token of the last write applied */
    int64_t last_writer;      /* client node that sent it, -1: none */
    /* Yours to write: everything a storage knows (free what you allocate in storage_destroy) */
} storage_state;

/* Once per boot, and again after every restart, before start. */
static int storage_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    storage_state *s = state;
    (void)params;
    s->self = fl_self(ctx);
    s->last_writer = -1;
    return 0;
}

/* Boot (recovering = false) or restart after a crash (true): read the disk,
 * set the first timers. */
static void storage_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)ctx;
    (void)state;
    (void)recovering;
}

static void storage_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                           const void *msg, size_t len)
{
    (void)ctx;
    (void)state;
    (void)from;
    (void)msg;
    (void)len;
}

static void storage_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                         uint64_t cookie)
{
    (void)ctx;
    (void)state;
    (void)kind;
    (void)cookie;
}

/* A client operation arrived: answer with fl_reply or fl_redirect. */
static void storage_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    (void)ctx;
    (void)state;
    (void)req;
}

/* Fill what applies (kind, term and leader of a lock server; scalars such as the holder, the lease expiry and the last token); never change the state here. */
static void storage_inspect(const void *state, fl_view *view)
{
    const storage_state *s = state;
    const fl_view_scalar sc[] = {
        {FL_LOCK_SCALAR_APPLIED, s->applied},
        {FL_LOCK_SCALAR_LAST_TOKEN, s->last_token},
        {FL_LOCK_SCALAR_LAST_WRITER, s->last_writer},
    };
    view->kind = FL_VIEW_OTHER;
    view->nscalars = 0;
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
        view->scalars[view->nscalars++] = sc[i];
}

/* On a crash and at the end of a run: free what the handlers allocated. */
static void storage_destroy(void *state)
{
    (void)state;
}

/* ---- The client role: a lock client: acquire a lease and its token from the servers, write to storage with the token, renew, release ---- */

typedef struct client_state {
    fl_node_id self;
    /* Yours to write: everything a client knows (free what you allocate in client_destroy) */
} client_state;

/* Once per boot, and again after every restart, before start. */
static int client_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    client_state *s = state;
    (void)params;
    s->self = fl_self(ctx);
    return 0;
}

/* Boot (recovering = false) or restart after a crash (true): read the disk,
 * set the first timers. */
static void client_start(fl_ctx *ctx, void *state, bool recovering)
{
    (void)ctx;
    (void)state;
    (void)recovering;
}

static void client_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                           const void *msg, size_t len)
{
    (void)ctx;
    (void)state;
    (void)from;
    (void)msg;
    (void)len;
}

static void client_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                         uint64_t cookie)
{
    (void)ctx;
    (void)state;
    (void)kind;
    (void)cookie;
}

/* Lock clients get no workload operations; ignore. */
static void client_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    (void)ctx;
    (void)state;
    (void)req;
}

/* Fill what applies (kind, term and leader of a lock server; scalars such as the holder, the lease expiry and the last token); never change the state here. */
static void client_inspect(const void *state, fl_view *view)
{
    (void)state;
    view->kind = FL_VIEW_OTHER;
}

/* On a crash and at the end of a run: free what the handlers allocated. */
static void client_destroy(void *state)
{
    (void)state;
}

/* ---- Shared by every role ---- */

/* Called before any run with the scenario's "params": reject what you
 * cannot honour with a message naming the key and return -1. */
static int lock_validate(const cJSON *params, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    if (params && !cJSON_IsObject(params))
        return -1;
    return 0;
}

/* For the trace and the visualizer: what kind of message this is. */
static void lock_describe(const void *msg, size_t len, fl_msg_info *info)
{
    (void)msg;
    (void)len;
    /* Name the storage's answer to a write FL_LOCK_MSG_STORAGE_REPLY:
     * scenarios aim crashes at it (<faultline/lock.h>). */
    info->kind = "message";
    info->is_reply = false;
    info->ok = -1;
    info->term = -1;
}

/* ---- The table faultline loads (the first role is the servers') ---- */

static const fl_role lock_roles[] = {
    {
        .name = FL_LOCK_ROLE_SERVER,
        .state_size = sizeof(server_state),
        .init = server_init,
        .start = server_start,
        .on_message = server_on_message,
        .on_timer = server_on_timer,
        .on_request = server_on_request,
        .inspect = server_inspect,
        .destroy = server_destroy,
    },
    {
        .name = FL_LOCK_ROLE_CLIENT,
        .state_size = sizeof(client_state),
        .init = client_init,
        .start = client_start,
        .on_message = client_on_message,
        .on_timer = client_on_timer,
        .on_request = client_on_request,
        .inspect = client_inspect,
        .destroy = client_destroy,
    },
    {
        .name = FL_LOCK_ROLE_STORAGE,
        .state_size = sizeof(storage_state),
        .init = storage_init,
        .start = storage_start,
        .on_message = storage_on_message,
        .on_timer = storage_on_timer,
        .on_request = storage_on_request,
        .inspect = storage_inspect,
        .destroy = storage_destroy,
    },
    { .name = NULL },
};

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "lock",
    .description = "a student's lock service with fencing tokens",
    .roles = lock_roles,
    .validate = lock_validate,
    .describe = lock_describe,
};
