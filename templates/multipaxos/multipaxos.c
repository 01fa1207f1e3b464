/* multipaxos.c — your Multi-Paxos, as a faultline plug-in.
 *
 * Every handler below is empty: this file compiles, loads and runs, and
 * fails the Multi-Paxos suite (scenarios/paxos/suite.json) honestly. Fill
 * the handlers in. README.md says how to build, run and grade; <faultline/algorithm.h> documents every function
 * you may call.
 *
 * Background: Lamport, "Paxos Made Simple" (2001); van Renesse & Altinbuken, "Paxos Made Moderately Complex" (2015).
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
 *     least an acceptor's promised ballot and its accepted (ballot, value) per slot.
 *   - Client operations: read / write / cas on integer keys (a replicated key-value store).
 */
#include <stdint.h>
#include <string.h>

#include <faultline/algorithm.h>

/* ---- The server role: a Multi-Paxos server: proposer, acceptor and learner in one ---- */

typedef struct server_state {
    fl_node_id self;
    /* Yours to write: everything a server knows (free what you allocate in server_destroy) */
} server_state;

/* Once per boot, and again after every restart, before start. */
static int server_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    server_state *s = state;
    (void)params;
    s->self = fl_self(ctx);
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

/* Fill what applies (view->term is your ballot; leader, commit (the highest chosen slot) and applied as for Raft); never change the state here. */
static void server_inspect(const void *state, fl_view *view)
{
    (void)state;
    view->kind = FL_VIEW_FOLLOWER;
}

/* On a crash and at the end of a run: free what the handlers allocated. */
static void server_destroy(void *state)
{
    (void)state;
}

/* ---- Shared by every role ---- */

/* Called before any run with the scenario's "params": reject what you
 * cannot honour with a message naming the key and return -1. */
static int paxos_validate(const cJSON *params, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    if (params && !cJSON_IsObject(params))
        return -1;
    return 0;
}

/* For the trace and the visualizer: what kind of message this is. */
static void paxos_describe(const void *msg, size_t len, fl_msg_info *info)
{
    (void)msg;
    (void)len;
    info->kind = "message";
    info->is_reply = false;
    info->ok = -1;
    info->term = -1;
}

/* ---- The table faultline loads (the first role is the servers') ---- */

static const fl_role paxos_roles[] = {
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
    .name = "multipaxos",
    .description = "a student's Multi-Paxos",
    .roles = paxos_roles,
    .validate = paxos_validate,
    .describe = paxos_describe,
};
