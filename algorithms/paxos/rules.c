/* rules.c — Paxos rule checks from messages (see contract.h): what an
 * acceptor answered must survive its restarts, judged from the Promise
 * and Accepted messages it sent that were delivered and from the ballot
 * its view shows, never from its own word that it synced.
 *
 *   paxos.promise_kept  an acceptor (or Multi-Paxos server) whose granting
 *                       Promise or Accepted for ballot b was delivered
 *                       never again shows a promised ballot below b,
 *                       restarts included (promise and accept are on disk
 *                       before the reply leaves: PMS §2.3) */
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
