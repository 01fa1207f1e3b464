/* invariants.c — the lock service's checks (see invariants.h). What they
 * read from a plug-in is contract.h (<faultline/lock.h>): servers show
 * lock 0 as scalars (sm.c), the storage its last write applied
 * (storage.c). */
#include "algorithms/lock/invariants.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/lock/contract.h"   /* installed as <faultline/lock.h> */
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

static bool inv_is(const fl_world *w, fl_node_id node, const char *role)
{
    const char *r = fl_world_role(w, node);
    return r && !strcmp(r, role);
}

/* ---- lock.token_monotonic ------------------------------------------------ */

static int inv_tok_check(void *state, const fl_world *w, fl_node_id node,
                         const fl_view *before, const fl_view *after,
                         char *msg, size_t msglen)
{
    (void)state;
    int64_t lb, la, tb, ta;
    if (!inv_is(w, node, FL_LOCK_ROLE_SERVER) || before->applied < 0 ||
        after->applied <= before->applied ||
        !inv_scalar(before, FL_LOCK_SCALAR_LAST_TOKEN, &lb) ||
        !inv_scalar(after, FL_LOCK_SCALAR_LAST_TOKEN, &la) ||
        !inv_scalar(before, FL_LOCK_SCALAR_TOKEN, &tb) || !inv_scalar(after, FL_LOCK_SCALAR_TOKEN, &ta))
        return 0;
    if (la < lb) {
        snprintf(msg, msglen, "server %d: applying entries %" PRId64 "..%"
                 PRId64 " lowered the last token granted from %" PRId64
                 " to %" PRId64, (int)node, before->applied + 1,
                 after->applied, lb, la);
        return -1;
    }
    if (ta < tb) {
        int64_t holder = -1;
        inv_scalar(after, FL_LOCK_SCALAR_HOLDER, &holder);
        snprintf(msg, msglen, "server %d: applying entries %" PRId64 "..%"
                 PRId64 " gave the lock back to client %" PRId64
                 " with old token %" PRId64 " after token %" PRId64
                 " had been granted", (int)node, before->applied + 1,
                 after->applied, holder, ta, tb);
        return -1;
    }
    /* A grant to another holder carries a fresh token, above every token
     * granted before (a renewal keeps its token; a release keeps it). */
    int64_t hb = -1, ha = -1;
    if (inv_scalar(before, FL_LOCK_SCALAR_HOLDER, &hb) && inv_scalar(after, FL_LOCK_SCALAR_HOLDER, &ha) &&
        ha >= 0 && ha != hb && ta <= lb) {
        snprintf(msg, msglen, "server %d: applying entries %" PRId64 "..%"
                 PRId64 " granted the lock to client %" PRId64 " with token %"
                 PRId64 ", not above token %" PRId64 " granted before: "
                 "every grant needs a fresh fencing token", (int)node,
                 before->applied + 1, after->applied, ha, ta, lb);
        return -1;
    }
    return 0;
}

static const fl_invariant inv_token_monotonic = {
    .name = "lock.token_monotonic",
    .summary = "fencing tokens strictly increase across grants: a grant "
               "to a new holder gets a token above every earlier one, and an "
               "old grant never comes back",
    .check = inv_tok_check,
};

/* ---- lock.stale_write and lock.exclusion (the storage's view) ---------- */

static bool inv_storage_applied(const fl_world *w, fl_node_id node,
                                const fl_view *before, const fl_view *after,
                                int64_t *token, int64_t *writer)
{
    int64_t ab = 0, aa = 0;
    return inv_is(w, node, FL_LOCK_ROLE_STORAGE) && inv_scalar(after, FL_LOCK_SCALAR_APPLIED, &aa) &&
           inv_scalar(before, FL_LOCK_SCALAR_APPLIED, &ab) && aa > ab &&
           inv_scalar(after, FL_LOCK_SCALAR_LAST_TOKEN, token) &&
           inv_scalar(after, FL_LOCK_SCALAR_LAST_WRITER, writer);
}

/* A token the storage applied binds it once its acceptance could have been
 * known: once something the storage sent after applying it left the
 * storage and arrived (after any sync that step started, see
 * lock.token_unique). A token applied and lost with its sync in a crash,
 * never acknowledged, binds only the incarnation that applied it: the
 * storage may then accept a lower token, as a real one that lost the
 * write before answering would. */
#define INV_STALE_PENDING 16

typedef struct inv_stale_claim {
    int64_t    token;
    fl_time    at;
    fl_time    dead_at;       /* its storage crashed then (-1: not yet) */
    fl_node_id node;
} inv_stale_claim;

typedef struct inv_stale {
    int64_t         firm;     /* highest token applied and acknowledged */
    int64_t         mem;      /* highest applied by the live incarnations */
    inv_stale_claim pending[INV_STALE_PENDING];
    size_t          npending;
} inv_stale;

/* A crash: its pending tokens bind only if a message it sent before the
 * crash still arrives. */
static void stale_crash(inv_stale *s, fl_node_id node, fl_time now)
{
    s->mem = s->firm;
    for (size_t i = 0; i < s->npending; i++) {
        inv_stale_claim *c = &s->pending[i];
        if (c->node == node && c->dead_at < 0)
            c->dead_at = now;
        if (c->dead_at < 0 && c->token > s->mem)
            s->mem = c->token;
    }
}

static void stale_claim(inv_stale *s, fl_node_id node, int64_t token, fl_time at)
{
    if (token > s->mem)
        s->mem = token;
    if (token <= s->firm)
        return;
    if (s->npending == INV_STALE_PENDING) {   /* full: drop the oldest */
        memmove(s->pending, s->pending + 1, (INV_STALE_PENDING - 1) * sizeof s->pending[0]);
        s->npending--;
    }
    s->pending[s->npending++] = (inv_stale_claim){ token, at, -1, node };
}

static int inv_stale_check(void *state, const fl_world *w, fl_node_id node,
                           const fl_view *before, const fl_view *after,
                           char *msg, size_t msglen)
{
    inv_stale *s = state;
    int64_t token, writer;
    if (inv_is(w, node, FL_LOCK_ROLE_STORAGE) &&
        (!fl_world_alive(w, node) ||
         (after->kind == FL_VIEW_NONE && before->kind != FL_VIEW_NONE))) {
        stale_crash(s, node, fl_world_now(w));
        return 0;
    }
    if (!inv_storage_applied(w, node, before, after, &token, &writer))
        return 0;
    int64_t max = s->mem > s->firm ? s->mem : s->firm;
    if (token < max) {
        snprintf(msg, msglen, "storage %d applied a write from client %"
                 PRId64 " with token %" PRId64 " after it had applied token %"
                 PRId64 ": the writer's lease had expired and the lock was "
                 "granted again", (int)node, writer, token, max);
        return -1;
    }
    stale_claim(s, node, token, fl_world_now(w));
    return 0;
}

static int inv_stale_message(void *state, const fl_world *w,
                             const fl_inv_msg *m, char *msg, size_t msglen)
{
    (void)msg;
    (void)msglen;
    inv_stale *s = state;
    if (m->sent || !inv_is(w, m->from, FL_LOCK_ROLE_STORAGE))
        return 0;
    size_t keep = 0;
    for (size_t i = 0; i < s->npending; i++) {
        inv_stale_claim c = s->pending[i];
        if (c.node == m->from && c.at <= m->depart &&
            (c.dead_at < 0 || m->depart < c.dead_at)) {
            if (c.token > s->firm)
                s->firm = c.token;
        } else {
            s->pending[keep++] = c;
        }
    }
    s->npending = keep;
    return 0;
}

static const fl_invariant inv_stale_write = {
    .name = "lock.stale_write",
    .summary = "the storage never applies a write with a token below one it "
               "applied and acknowledged, or applied in the same incarnation",
    .state_size = sizeof(inv_stale),
    .check = inv_stale_check,
    .message = inv_stale_message,
};

typedef struct inv_owner {
    int64_t token, writer;
} inv_owner;

typedef struct inv_excl {
    inv_owner *owners;        /* sorted by token */
    size_t     n, cap;
} inv_excl;

/* Claim `token` for `who`: 0 if it is new (recorded) or already `who`'s,
 * 1 with *prev set if another one holds it. Out of memory stops recording
 * (never a false report). */
static int owner_claim(inv_excl *s, int64_t token, int64_t who, int64_t *prev)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->owners[mid].token < token)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n && s->owners[lo].token == token) {
        *prev = s->owners[lo].writer;
        return s->owners[lo].writer == who ? 0 : 1;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        inv_owner *o = realloc(s->owners, cap * sizeof *o);
        if (!o)
            return 0;
        s->owners = o;
        s->cap = cap;
    }
    memmove(s->owners + lo + 1, s->owners + lo, (s->n - lo) * sizeof *s->owners);
    s->owners[lo].token = token;
    s->owners[lo].writer = who;
    s->n++;
    return 0;
}

static int inv_excl_check(void *state, const fl_world *w, fl_node_id node,
                          const fl_view *before, const fl_view *after,
                          char *msg, size_t msglen)
{
    inv_excl *s = state;
    int64_t token, writer, prev = -1;
    if (!inv_storage_applied(w, node, before, after, &token, &writer))
        return 0;
    if (owner_claim(s, token, writer, &prev) == 0)
        return 0;
    snprintf(msg, msglen, "storage %d: clients %" PRId64 " and %" PRId64
             " both wrote under token %" PRId64, (int)node, prev, writer, token);
    return -1;
}

static void inv_excl_destroy(void *state)
{
    inv_excl *s = state;
    free(s->owners);
    s->owners = NULL;
}

static const fl_invariant inv_exclusion = {
    .name = "lock.exclusion",
    .summary = "as the storage sees it, each token's writes come from one "
               "client",
    .state_size = sizeof(inv_excl),
    .check = inv_excl_check,
    .destroy = inv_excl_destroy,
};

/* ---- lock.token_unique (a rule check on what the servers showed and sent)
 * A fencing token names one grant: whichever server shows it, in whichever
 * incarnation, it goes with one holder. A server that forgets its lock
 * table on a restart (or a new leader that starts the sequence again)
 * hands an old token to another client; the storage refuses that client's
 * writes as stale, so lock.stale_write and lock.exclusion never see it.
 * A pair (token, holder) that a server shows counts once the server has
 * sent something after showing it that left it (a message delivered with
 * a departure at or after that step: after any sync the step started), so
 * a grant lost with its sync in a crash, never answered, may be made again
 * to another client (a message that leaves after the server's next crash
 * is another incarnation's and does not count). */

typedef struct inv_claim {
    int64_t    token, holder;
    fl_time    at;
    fl_time    dead_at;       /* its server crashed then (-1: not yet) */
    fl_node_id node;
} inv_claim;

#define INV_UNIQUE_PENDING 1024

typedef struct inv_unique {
    inv_excl  firm;           /* token -> holder, sent out */
    inv_claim pending[INV_UNIQUE_PENDING];
    size_t    npending, next;
} inv_unique;

static int unique_conflict(char *msg, size_t msglen, fl_node_id node,
                           int64_t token, int64_t holder, int64_t prev)
{
    snprintf(msg, msglen, "server %d granted token %" PRId64 " to client %"
             PRId64 ", but token %" PRId64 " had been granted to client %"
             PRId64 " and that grant had left its server: a token names one "
             "grant (a lock table or token counter forgotten on a restart "
             "hands old tokens out again)", (int)node, token, holder, token,
             prev);
    return -1;
}

static int inv_unique_check(void *state, const fl_world *w, fl_node_id node,
                            const fl_view *before, const fl_view *after,
                            char *msg, size_t msglen)
{
    inv_unique *s = state;
    int64_t ha = -1, ta = 0, hb = -1, tb = 0;
    if (!inv_is(w, node, FL_LOCK_ROLE_SERVER))
        return 0;
    if (!fl_world_alive(w, node) ||
        (after->kind == FL_VIEW_NONE && before->kind != FL_VIEW_NONE)) {
        /* a crash: what it had not sent yet never leaves */
        for (size_t i = 0; i < s->npending; i++)
            if (s->pending[i].node == node && s->pending[i].dead_at < 0)
                s->pending[i].dead_at = fl_world_now(w);
        return 0;
    }
    if (
        !inv_scalar(after, FL_LOCK_SCALAR_HOLDER, &ha) ||
        !inv_scalar(after, FL_LOCK_SCALAR_TOKEN, &ta) || ha < 0 || ta <= 0)
        return 0;
    if (inv_scalar(before, FL_LOCK_SCALAR_HOLDER, &hb) &&
        inv_scalar(before, FL_LOCK_SCALAR_TOKEN, &tb) && hb == ha && tb == ta)
        return 0;                 /* nothing new this step */
    size_t lo = 0, hi = s->firm.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->firm.owners[mid].token < ta)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->firm.n && s->firm.owners[lo].token == ta) {
        if (s->firm.owners[lo].writer == ha)
            return 0;
        return unique_conflict(msg, msglen, node, ta, ha, s->firm.owners[lo].writer);
    }
    inv_claim c = { ta, ha, fl_world_now(w), -1, node };
    if (s->npending < INV_UNIQUE_PENDING) {
        s->pending[s->npending++] = c;
    } else {                      /* full: forget the oldest pending claim */
        s->pending[s->next] = c;
        s->next = (s->next + 1) % INV_UNIQUE_PENDING;
    }
    return 0;
}

static int inv_unique_message(void *state, const fl_world *w,
                              const fl_inv_msg *m, char *msg, size_t msglen)
{
    inv_unique *s = state;
    if (m->sent || !inv_is(w, m->from, FL_LOCK_ROLE_SERVER))
        return 0;
    for (size_t i = 0; i < s->npending;) {
        inv_claim c = s->pending[i];
        if (c.node != m->from || c.at > m->depart ||
            (c.dead_at >= 0 && m->depart >= c.dead_at)) {
            i++;
            continue;
        }
        s->pending[i] = s->pending[--s->npending];
        if (s->next >= s->npending)
            s->next = 0;
        int64_t prev = -1;
        if (owner_claim(&s->firm, c.token, c.holder, &prev) != 0)
            return unique_conflict(msg, msglen, c.node, c.token, c.holder, prev);
    }
    return 0;
}

static void inv_unique_destroy(void *state)
{
    inv_unique *s = state;
    inv_excl_destroy(&s->firm);
}

static const fl_invariant inv_token_unique = {
    .name = "lock.token_unique",
    .summary = "a fencing token is granted to one client only, across every "
               "server and restart (judged from the servers' views and the "
               "messages they sent)",
    .state_size = sizeof(inv_unique),
    .check = inv_unique_check,
    .message = inv_unique_message,
    .destroy = inv_unique_destroy,
};

/* ---- lock.progress (liveness) ------------------------------------------ */

typedef struct inv_progress {
    int64_t writes;           /* writes the storage applied */
} inv_progress;

static int inv_progress_check(void *state, const fl_world *w, fl_node_id node,
                              const fl_view *before, const fl_view *after,
                              char *msg, size_t msglen)
{
    inv_progress *s = state;
    int64_t token, writer;
    (void)msg;
    (void)msglen;
    if (inv_storage_applied(w, node, before, after, &token, &writer))
        s->writes++;
    return 0;
}

/* A lock service that grants nothing keeps every safety check. */
static int inv_progress_finish(void *state, const fl_world *w, fl_time end,
                               char *msg, size_t msglen)
{
    const inv_progress *s = state;
    (void)w;
    if (s->writes > 0)
        return 0;
    snprintf(msg, msglen, "in %.0f ms no write reached the storage: no client "
             "ever held the lock with a token the storage accepted",
             (double)end / 1e6);
    return -1;
}

static const fl_invariant inv_progress_inv = {
    .name = "lock.progress",
    .summary = "clients get the lock: at least one fenced write reaches the "
               "storage in a run",
    .state_size = sizeof(inv_progress),
    .check = inv_progress_check,
    .finish = inv_progress_finish,
};

/* ---- The family: Raft's invariants, then the lock's ---------------------- */

static const fl_invariant *const inv_lock_table[] = {
    &fl_inv_raft_election_safety,
    &fl_inv_raft_leader_append_only,
    &fl_inv_raft_log_matching,
    &fl_inv_raft_leader_completeness,
    &fl_inv_raft_state_machine_safety,
    &inv_token_monotonic,
    &inv_token_unique,
    &inv_stale_write,
    &inv_exclusion,
    &inv_progress_inv,
};

const fl_invariant *const *fl_lock_invariants(size_t *n)
{
    *n = sizeof inv_lock_table / sizeof inv_lock_table[0];
    return inv_lock_table;
}
