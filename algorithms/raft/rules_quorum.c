/* rules_quorum.c — CheckQuorum (thesis §6.2), judged at a leader's steps:
 *
 *   raft.check_quorum   with params.check_quorum:
 *     in a timed run, a leader cut off from a majority (partitions and
 *     link cuts; itself included) stops leading within three election
 *     timeouts (a step after a gap longer than an election timeout, the
 *     leader paused, starts the count again);
 *     under manual delivery (`faultline search`, a replayed schedule,
 *     fl_world_timed false), the rule itself, from the replies the leader
 *     was handed: a leader that has heard no reply of its term from a
 *     majority of the servers (itself included) for three election
 *     timeouts is no longer leader after its next step.
 *
 * A leader checks every election timeout whether a majority answered
 * since the last check, so it steps down at most two timeouts after the
 * last contact; the third is room for clock drift. Under manual delivery
 * time moves only with the events a scheduler picks and it may hold a
 * timer back for ever, so the count starts again whenever one of the
 * leader's timers is late (fl_world_timer_late): a correct leader whose
 * check timer the search never fires is not blamed, and one that has no
 * such check is caught once its heartbeat timers, fired on time, carry
 * the clock past the bound. Replies of an unreported term count as
 * contact (leniency: never a false alarm). The timed bound stays the one
 * the suites and the golden hashes were measured with. */
#include "algorithms/raft/rules.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/raft/contract.h"

typedef struct cq_node {
    fl_time  isolated;     /* timed: first step as a cut-off leader, 0 none */
    int64_t  term;         /* the term it leads, -1 none */
    fl_time  since;        /* when the clock last started */
    fl_time  last_step;
    fl_time *heard_at;     /* [peer]: last reply delivered from it */
    int64_t *heard_term;   /* [peer]: that reply's term (-1 unreported) */
} cq_node;

typedef struct cq_state {
    cq_node *n;
    size_t   nn;
    fl_time *scratch;      /* nn contact times, for the majority */
} cq_state;

static void cq_destroy(void *state)
{
    cq_state *s = state;
    for (size_t i = 0; s->n && i < s->nn; i++) {
        free(s->n[i].heard_at);
        free(s->n[i].heard_term);
    }
    free(s->n);
    free(s->scratch);
    s->n = NULL;
    s->scratch = NULL;
}

static int cq_init(void *state, const fl_world *w)
{
    cq_state *s = state;
    if (!rule_param_bool(w, FL_RAFT_PARAM_CHECK_QUORUM))
        return 0;                   /* nothing to judge: nothing kept */
    s->nn = fl_world_node_count(w);
    size_t nn = s->nn ? s->nn : 1;
    s->n = calloc(nn, sizeof *s->n);
    s->scratch = calloc(nn, sizeof *s->scratch);
    if (!s->n || !s->scratch)
        goto fail;
    for (size_t i = 0; i < s->nn; i++) {
        cq_node *c = &s->n[i];
        c->term = -1;
        c->heard_at = calloc(nn, sizeof *c->heard_at);
        c->heard_term = calloc(nn, sizeof *c->heard_term);
        if (!c->heard_at || !c->heard_term)
            goto fail;
        for (size_t p = 0; p < s->nn; p++)
            c->heard_term[p] = -2;          /* never heard */
    }
    return 0;
fail:
    cq_destroy(state);
    return -1;
}

static int cq_message(void *state, const fl_world *w, const fl_inv_msg *m,
                      char *msg, size_t msglen)
{
    (void)msg;
    (void)msglen;
    cq_state *s = state;
    if (!s->n || m->sent || !m->info.is_reply || m->to < 0 || (size_t)m->to >= s->nn ||
        m->from < 0 || (size_t)m->from >= s->nn)
        return 0;
    cq_node *c = &s->n[m->to];
    c->heard_at[m->from] = fl_world_now(w);
    c->heard_term[m->from] = m->info.term;
    return 0;
}

static int cmp_time_desc(const void *a, const void *b)
{
    fl_time x = *(const fl_time *)a, y = *(const fl_time *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* When the leader `node` last heard from a majority of the servers (itself
 * included) in term `term`, or -1 if it has not since `since`. */
static fl_time cq_contact(cq_state *s, const fl_world *w, fl_node_id node,
                          int64_t term, fl_time since)
{
    const cq_node *c = &s->n[node];
    const char *role = fl_world_role(w, node);
    size_t servers = rule_servers(w, node), k = 0;
    for (size_t p = 0; p < s->nn; p++) {
        if ((fl_node_id)p == node || !role ||
            strcmp(fl_world_role(w, (fl_node_id)p), role) != 0)
            continue;
        if ((c->heard_term[p] == term || c->heard_term[p] == -1) &&
            c->heard_at[p] >= since)
            s->scratch[k++] = c->heard_at[p];
    }
    size_t need = servers / 2;              /* others, besides itself */
    if (need == 0)
        return fl_world_now(w);
    if (k < need)
        return -1;
    qsort(s->scratch, k, sizeof *s->scratch, cmp_time_desc);
    return s->scratch[need - 1];
}

/* Servers that `node` can reach and hear from right now, itself included. */
static size_t cq_reachable(const fl_world *w, fl_node_id node)
{
    const char *role = fl_world_role(w, node);
    size_t n = 0;
    for (size_t i = 0; i < fl_world_node_count(w); i++) {
        fl_node_id p = (fl_node_id)i;
        if (role && !strcmp(fl_world_role(w, p), role) &&
            fl_world_link_up(w, node, p) && fl_world_link_up(w, p, node))
            n++;
    }
    return n;
}

/* A timed run: cut off from a majority for three election timeouts. */
static int cq_timed(cq_node *c, const fl_world *w, fl_node_id node,
                    const fl_view *after, char *msg, size_t msglen)
{
    size_t servers = rule_servers(w, node);
    fl_time now = fl_world_now(w);
    if (after->kind != FL_VIEW_LEADER || cq_reachable(w, node) * 2 > servers) {
        c->isolated = 0;
        c->last_step = now;
        return 0;
    }
    fl_time hi = FL_MS(rule_election_hi_ms(w));
    fl_time last = c->last_step;
    c->last_step = now;
    /* A leader steps at least every heartbeat; a longer gap means it was
     * paused, and a paused leader cannot count: start again. */
    if (c->isolated == 0 || now - last > hi) {
        c->isolated = now;
        return 0;
    }
    fl_time bound = 3 * hi;
    if (now - c->isolated <= bound)
        return 0;
    return rule_fail(msg, msglen,
                     "node %d has led term %" PRId64 " without reaching a "
                     "majority of the %zu servers since %.3f ms (%.0f ms, bound "
                     "%.0f ms = 3 election timeouts), with params.check_quorum "
                     "on: it must step down (thesis §6.2)", node, after->term,
                     servers, (double)c->isolated / 1e6,
                     (double)(now - c->isolated) / 1e6, (double)bound / 1e6);
}

static int cq_check(void *state, const fl_world *w, fl_node_id node,
                    const fl_view *before, const fl_view *after,
                    char *msg, size_t msglen)
{
    (void)before;
    cq_state *s = state;
    if (!s->n || node < 0 || (size_t)node >= s->nn)
        return 0;
    cq_node *c = &s->n[node];
    if (fl_world_timed(w))
        return cq_timed(c, w, node, after, msg, msglen);
    fl_time now = fl_world_now(w);
    fl_time hi = FL_MS(rule_election_hi_ms(w));
    if (after->kind != FL_VIEW_LEADER || after->term < 0) {
        c->term = -1;
        return 0;
    }
    /* A new term or one of its timers fired late: count from now. */
    const fl_step_info *st = fl_world_step(w);
    if (c->term != after->term ||
        (st && st->node == node && st->cause == FL_CAUSE_TIMER &&
         st->timer_due < now)) {
        c->term = after->term;
        c->since = now;
    }
    c->last_step = now;
    fl_time contact = cq_contact(s, w, node, after->term, c->since);
    fl_time from = contact > c->since ? contact : c->since;
    fl_time bound = 3 * hi;
    if (now - from <= bound)
        return 0;
    /* ... or one still held back (a scan: only when the bound is passed). */
    if (fl_world_timer_late(w, node)) {
        c->since = now;
        return 0;
    }
    return rule_fail(msg, msglen,
                     "node %d still leads term %" PRId64 " at %.3f ms, %.0f ms "
                     "after it last heard from a majority of the %zu servers "
                     "(or began to count, at %.3f ms; bound %.0f ms = 3 "
                     "election timeouts), with params.check_quorum on: a "
                     "leader that an election timeout passes without a "
                     "majority answering must step down (thesis §6.2)",
                     node, after->term, (double)now / 1e6,
                     (double)(now - from) / 1e6, rule_servers(w, node),
                     (double)from / 1e6, (double)bound / 1e6);
}

const fl_invariant fl_rule_raft_check_quorum = {
    .name = "raft.check_quorum",
    .summary = "with params.check_quorum, a leader cut off from a majority "
               "(under manual delivery: hearing no reply of its term from "
               "one) steps down within three election timeouts (thesis "
               "§6.2)",
    .state_size = sizeof(cq_state),
    .init = cq_init, .check = cq_check, .destroy = cq_destroy,
    .message = cq_message,
};
