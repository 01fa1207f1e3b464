/* rules.c — Paxos rule checks from messages (see contract.h): what an
 * acceptor answered must survive its restarts, judged from the Promise
 * and Accepted messages it sent that were delivered and from the ballot
 * its view shows, never from its own word that it synced.
 *
 *   paxos.promise_kept  an acceptor (or Multi-Paxos server) whose granting
 *                       Promise or Accepted for ballot b was delivered
 *                       never again shows a promised ballot below b,
 *                       restarts included (promise and accept are on disk
 *                       before the reply leaves: PMS §2.3)
 *   paxos.accepted_kept an acceptor whose granting Accepted for ballot b
 *                       at slots i..i+n-1 was delivered restarts holding,
 *                       at each of them, a pvalue of ballot b or higher
 *                       (the accept is on disk before the reply: §2.3)
 *   paxos.grant_order   an acceptor grants a Prepare (a Promise with ok)
 *                       only for a ballot at least the one it had promised
 *                       when the Prepare arrived (§2.2 P1a: it promises
 *                       never again to answer a lower ballot)
 *   paxos.ballot_monotonic  a node never sends a Prepare with a ballot
 *                       below that of a Prepare of its that was delivered,
 *                       nor, after a restart, one equal to it (§2.5: a
 *                       proposer remembers the highest number it tried in
 *                       stable storage) */
#include "algorithms/paxos/rules.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/paxos/contract.h"

typedef struct pk_node {
    int64_t ballot;          /* highest ballot answered, -1 none */
    fl_time at;
    const char *kind;
} pk_node;

typedef struct pk_state {
    pk_node *n;
    size_t   nn;
    bool     views_term;     /* some acceptor view reported a ballot */
} pk_state;

static int pk_init(void *state, const fl_world *w)
{
    pk_state *s = state;
    s->nn = fl_world_node_count(w);
    s->n = calloc(s->nn ? s->nn : 1, sizeof *s->n);
    if (!s->n)
        return -1;
    for (size_t i = 0; i < s->nn; i++)
        s->n[i].ballot = -1;
    return 0;
}

static void pk_destroy(void *state)
{
    pk_state *s = state;
    free(s->n);
    s->n = NULL;
}

static bool pk_acceptor(const fl_world *w, fl_node_id id)
{
    const char *role = fl_world_role(w, id);
    return role && (!strcmp(role, "acceptor") || !strcmp(role, "server"));
}

static int pk_judge(const pk_state *s, const fl_world *w, fl_node_id id,
                    const fl_view *v, char *msg, size_t msglen)
{
    const pk_node *p = (size_t)id < s->nn ? &s->n[id] : NULL;
    if (!p || p->ballot < 0 || !s->views_term || !v ||
        v->kind == FL_VIEW_NONE || !fl_world_alive(w, id) ||
        v->term >= p->ballot)
        return 0;
    snprintf(msg, msglen,
             "node %d answered %s for ballot %" PRId64 " (delivered at %.3f "
             "ms) but now shows promised ballot %" PRId64 ": a promise and an "
             "accept must be durable before the reply leaves (PMS §2.3; lost "
             "across a restart?)", id, p->kind, p->ballot,
             (double)p->at / 1e6, v->term);
    return -1;
}

static int pk_message(void *state, const fl_world *w, const fl_inv_msg *m,
                      char *msg, size_t msglen)
{
    pk_state *s = state;
    if (m->sent || (size_t)m->from >= s->nn || m->info.ok != 1 ||
        m->info.term < 0 || !pk_acceptor(w, m->from) || !m->info.kind ||
        (strcmp(m->info.kind, FL_PAXOS_PROMISE) != 0 &&
         strcmp(m->info.kind, FL_PAXOS_ACCEPTED) != 0))
        return 0;
    pk_node *p = &s->n[m->from];
    if (m->info.term > p->ballot) {
        p->ballot = m->info.term;
        p->at = fl_world_now(w);
        p->kind = m->info.kind;
    }
    return pk_judge(s, w, m->from, fl_world_view(w, m->from), msg, msglen);
}

static int pk_check(void *state, const fl_world *w, fl_node_id node,
                    const fl_view *before, const fl_view *after,
                    char *msg, size_t msglen)
{
    (void)before;
    pk_state *s = state;
    if (!pk_acceptor(w, node))
        return 0;
    if (after->term >= 0)
        s->views_term = true;
    return pk_judge(s, w, node, after, msg, msglen);
}

const fl_invariant fl_rule_paxos_promise_kept = {
    .name = "paxos.promise_kept",
    .summary = "an acceptor never shows a promised ballot below one it "
               "answered in a delivered Promise or Accepted, across "
               "restarts (PMS §2.3: durable before replying)",
    .state_size = sizeof(pk_state),
    .init = pk_init, .check = pk_check, .destroy = pk_destroy,
    .message = pk_message,
};

/* ---- paxos.accepted_kept ------------------------------------------------- */

/* Per node, indexed by slot: the highest ballot of a granting Accepted
 * delivered for it (-1 none), and when. */
typedef struct ak_node {
    int64_t *ballot;
    fl_time *at;
    size_t   cap;          /* slots 0..cap-1 */
    fl_time  restarted;    /* its last restart, -1 none */
} ak_node;

typedef struct ak_state {
    ak_node *n;
    size_t   nn;
    bool     views_entries;   /* some acceptor showed its accepted pvalues */
} ak_state;

static int ak_init(void *state, const fl_world *w)
{
    ak_state *s = state;
    s->nn = fl_world_node_count(w);
    s->n = calloc(s->nn ? s->nn : 1, sizeof *s->n);
    if (!s->n)
        return -1;
    for (size_t i = 0; i < s->nn; i++)
        s->n[i].restarted = -1;
    return 0;
}

static void ak_destroy(void *state)
{
    ak_state *s = state;
    for (size_t i = 0; s->n && i < s->nn; i++) {
        free(s->n[i].ballot);
        free(s->n[i].at);
    }
    free(s->n);
    s->n = NULL;
}

/* Room for `slot` in `a`; false when out of memory (the check then
 * records no more: it never reports falsely). */
static bool ak_reserve(ak_node *a, int64_t slot)
{
    if ((uint64_t)slot < a->cap)
        return true;
    size_t cap = a->cap ? a->cap : 64;
    while ((uint64_t)slot >= cap)
        cap *= 2;
    int64_t *b = realloc(a->ballot, cap * sizeof *b);
    if (!b)
        return false;
    a->ballot = b;
    fl_time *t = realloc(a->at, cap * sizeof *t);
    if (!t)
        return false;
    a->at = t;
    for (size_t i = a->cap; i < cap; i++) {
        a->ballot[i] = -1;
        a->at[i] = 0;
    }
    a->cap = cap;
    return true;
}

/* Whether `node` (up) still holds a pvalue of ballot >= its recorded one
 * at `slot`; 0 if so, else -1 with a message. */
static int ak_judge(const ak_state *s, const fl_world *w, fl_node_id node,
                    int64_t slot, char *msg, size_t msglen)
{
    const ak_node *a = &s->n[node];
    int64_t want = a->ballot[slot];
    if (want < 0 || !s->views_entries || !fl_world_alive(w, node))
        return 0;
    fl_view_entry e;
    memset(&e, 0, sizeof e);
    bool has = fl_world_entry(w, node, FL_PAXOS_ENTRY_ACCEPTED + slot, &e);
    if (has && e.term >= want)
        return 0;
    snprintf(msg, msglen,
             "node %d answered Accepted for ballot %" PRId64 " at slot %"
             PRId64 " (delivered at %.3f ms) but restarted holding %s %"
             PRId64 " there: an accept must be durable before the reply "
             "leaves (PMS §2.3)", node, want, slot,
             (double)a->at[slot] / 1e6, has ? "ballot" : "nothing, ballot",
             has ? e.term : (int64_t)-1);
    return -1;
}

static int ak_message(void *state, const fl_world *w, const fl_inv_msg *m,
                      char *msg, size_t msglen)
{
    ak_state *s = state;
    if (m->sent || m->from < 0 || (size_t)m->from >= s->nn ||
        m->info.ok != 1 || m->info.term < 0 || m->info.index < 1 ||
        m->info.count < 1 || m->info.index > (INT64_C(1) << 30) ||
        m->info.count > 65536 || !pk_acceptor(w, m->from) ||
        !m->info.kind || strcmp(m->info.kind, FL_PAXOS_ACCEPTED) != 0)
        return 0;
    ak_node *a = &s->n[m->from];
    bool late = a->restarted > m->depart;
    for (int64_t slot = m->info.index;
         slot < m->info.index + m->info.count; slot++) {
        if (!ak_reserve(a, slot))
            return 0;
        if (m->info.term > a->ballot[slot]) {
            a->ballot[slot] = m->info.term;
            a->at[slot] = fl_world_now(w);
        }
        fl_view_entry e;
        memset(&e, 0, sizeof e);
        if (!late && !s->views_entries &&
            fl_world_entry(w, m->from, FL_PAXOS_ENTRY_ACCEPTED + slot, &e))
            s->views_entries = true;
        /* The acceptor restarted after the reply left: judge it now. */
        if (late && ak_judge(s, w, m->from, slot, msg, msglen) != 0)
            return -1;
    }
    return 0;
}

static int ak_check(void *state, const fl_world *w, fl_node_id node,
                    const fl_view *before, const fl_view *after,
                    char *msg, size_t msglen)
{
    ak_state *s = state;
    if (node < 0 || (size_t)node >= s->nn || after->kind == FL_VIEW_NONE)
        return 0;
    if (!s->views_entries && after->log_last >= 1 && pk_acceptor(w, node)) {
        /* Does this plug-in show its acceptors' pvalues? (one probe) */
        fl_view_entry e;
        memset(&e, 0, sizeof e);
        s->views_entries =
            fl_world_entry(w, node, FL_PAXOS_ENTRY_ACCEPTED + after->log_last,
                           &e) ||
            fl_world_entry(w, node, FL_PAXOS_ENTRY_ACCEPTED + 1, &e);
    }
    if (before->kind != FL_VIEW_NONE || before->term >= 0)
        return 0;
    ak_node *a = &s->n[node];
    a->restarted = fl_world_now(w);           /* a restart (or the boot) */
    for (size_t slot = 1; slot < a->cap; slot++)
        if (ak_judge(s, w, node, (int64_t)slot, msg, msglen) != 0)
            return -1;
    return 0;
}

const fl_invariant fl_rule_paxos_accepted_kept = {
    .name = "paxos.accepted_kept",
    .summary = "an acceptor restarts holding every accept it answered in a "
               "delivered Accepted, at that ballot or higher (PMS §2.3: "
               "durable before replying)",
    .state_size = sizeof(ak_state),
    .init = ak_init, .check = ak_check, .destroy = ak_destroy,
    .message = ak_message,
};

/* ---- paxos.grant_order --------------------------------------------------- */

static int go_message(void *state, const fl_world *w, const fl_inv_msg *m,
                      char *msg, size_t msglen)
{
    (void)state;
    if (!m->sent || m->info.ok != 1 || m->info.term < 0 || !m->info.kind ||
        strcmp(m->info.kind, FL_PAXOS_PROMISE) != 0 ||
        !pk_acceptor(w, m->from))
        return 0;
    /* The sender's view as of the start of this step: its promise when
     * the Prepare arrived. */
    const fl_view *v = fl_world_view(w, m->from);
    if (!v || v->kind == FL_VIEW_NONE || v->term <= m->info.term)
        return 0;
    snprintf(msg, msglen,
             "node %d granted a Prepare of ballot %" PRId64 " (a Promise with "
             "ok) while it had promised ballot %" PRId64 ": an acceptor "
             "promises only a ballot at least as high as any it answered "
             "(PMS §2.2 P1a)", m->from, m->info.term, v->term);
    return -1;
}

const fl_invariant fl_rule_paxos_grant_order = {
    .name = "paxos.grant_order",
    .summary = "an acceptor grants a Prepare only for a ballot at least its "
               "promise (PMS §2.2 P1a)",
    .message = go_message,
};

/* ---- paxos.ballot_monotonic --------------------------------------------- */

typedef struct bm_state {
    int64_t *sent;         /* per node: highest Prepare ballot delivered */
    fl_time *at;
    bool    *fresh;        /* restarted since it sent that ballot */
    fl_time *restarted;    /* its last restart, -1 none */
    size_t   nn;
} bm_state;

static int bm_init(void *state, const fl_world *w)
{
    bm_state *s = state;
    s->nn = fl_world_node_count(w);
    s->sent = calloc(s->nn ? s->nn : 1, sizeof *s->sent);
    s->at = calloc(s->nn ? s->nn : 1, sizeof *s->at);
    s->fresh = calloc(s->nn ? s->nn : 1, sizeof *s->fresh);
    s->restarted = calloc(s->nn ? s->nn : 1, sizeof *s->restarted);
    if (!s->sent || !s->at || !s->fresh || !s->restarted)
        return -1;
    for (size_t i = 0; i < s->nn; i++) {
        s->sent[i] = -1;
        s->restarted[i] = -1;
    }
    return 0;
}

static void bm_destroy(void *state)
{
    bm_state *s = state;
    free(s->sent);
    free(s->at);
    free(s->fresh);
    free(s->restarted);
    s->restarted = NULL;
    s->sent = NULL;
    s->at = NULL;
    s->fresh = NULL;
}

static int bm_message(void *state, const fl_world *w, const fl_inv_msg *m,
                      char *msg, size_t msglen)
{
    bm_state *s = state;
    if (m->from < 0 || (size_t)m->from >= s->nn || m->info.term < 0 ||
        !m->info.kind || strcmp(m->info.kind, FL_PAXOS_PREPARE) != 0)
        return 0;
    int64_t *hi = &s->sent[m->from];
    if (!m->sent) {
        /* Only a Prepare that reached someone binds: one lost with its
         * sender's crash (it waited for a sync) was never seen. */
        if (m->info.term > *hi) {
            *hi = m->info.term;
            s->at[m->from] = fl_world_now(w);
            /* sent before the node's last restart: still to be beaten */
            s->fresh[m->from] = s->restarted[m->from] > m->depart;
        }
        return 0;
    }
    /* A node whose view is still cleared is in its boot (or restart) step. */
    const fl_view *v = fl_world_view(w, m->from);
    bool fresh = s->fresh[m->from] || !v || v->kind == FL_VIEW_NONE;
    if (m->info.term < *hi || (fresh && m->info.term == *hi)) {
        snprintf(msg, msglen,
                 "node %d sent a Prepare of ballot %" PRId64 "%s after one of "
                 "ballot %" PRId64 " (delivered at %.3f ms): a proposer never goes "
                 "back to a lower ballot, nor uses one again after a "
                 "restart (PMS §2.5: it remembers the highest number it "
                 "tried in stable storage)", m->from, m->info.term,
                 fresh ? " after a restart" : "", *hi,
                 (double)s->at[m->from] / 1e6);
        return -1;
    }
    if (m->info.term > *hi)
        s->fresh[m->from] = false;
    return 0;
}

static int bm_check(void *state, const fl_world *w, fl_node_id node,
                    const fl_view *before, const fl_view *after,
                    char *msg, size_t msglen)
{
    (void)msg;
    (void)msglen;
    bm_state *s = state;
    if (node >= 0 && (size_t)node < s->nn &&
        before->kind == FL_VIEW_NONE && before->term < 0 &&
        after->kind != FL_VIEW_NONE) {
        s->fresh[node] = true;          /* restarted (or booted) */
        s->restarted[node] = fl_world_now(w);
    }
    return 0;
}

const fl_invariant fl_rule_paxos_ballot_monotonic = {
    .name = "paxos.ballot_monotonic",
    .summary = "a node's Prepare ballots never go down, restarts included "
               "(PMS §2.5)",
    .state_size = sizeof(bm_state),
    .init = bm_init, .check = bm_check, .message = bm_message,
    .destroy = bm_destroy,
};
