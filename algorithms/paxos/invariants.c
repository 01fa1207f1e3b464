/* inv_paxos.c — Paxos's safety invariants, checked after every event on
 * the node that just stepped, from views and entries only (the contract
 * is algorithms/paxos/view.h):
 *
 *   paxos.promise             an acceptor never accepts below a ballot it
 *                             promised, and never forgets a promise it
 *                             synced (PMS §2.2 P1a, §2.3)
 *   paxos.unique_ballots      one value per slot and ballot: proposers
 *                             never share a ballot (PMS §2.2, §2.5)
 *   paxos.validity            an acceptor accepts only a value that was
 *                             proposed in that ballot (PMS §2.1)
 *   paxos.chosen_stays_chosen once a majority accepted v at ballot b, every
 *                             proposal and accept at a higher ballot in
 *                             that slot carries v (PMS §2.2 P2a-P2b)
 *   paxos.agreement           at most one value is chosen per slot, by
 *                             majorities of durable accepts, and no two
 *                             nodes learn different values (PMS §2.1)
 *   paxos.learn_only_chosen   a node learns (commits) only a value a
 *                             majority of acceptors accepted (PMS §2.1:
 *                             "a process never learns that a value has
 *                             been chosen unless it actually has been")
 *   paxos.adopt_highest       a proposer proposes, in each slot, the
 *                             value of the highest-ballot pvalue that the
 *                             granting Promises it received before it
 *                             proposed (and its own acceptor, if it is
 *                             one) reported (PMS §2.2 P2c); judged from
 *                             the acceptors' entries when each Promise
 *                             left, the Promises delivered, and the
 *                             proposal
 *
 * "Chosen" is computed from the acceptors' accepts as their views report
 * them (durable ones, dur_lo..dur_hi, for agreement), not from what any
 * node believes, so a learner or a leader that miscounts is caught. Each invariant keeps only the maps it
 * needs, so a check costs the slots that changed in the step. */
#include "algorithms/paxos/invariants.h"
#include "algorithms/paxos/rules.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algorithms/paxos/view.h"

/* ---- A map from (int64, int64, uint64) to a small record ------------------- */

typedef struct px_rec {
    int64_t    a, b;
    uint64_t   c;
    uint64_t   mask;       /* tally: acceptors (by index) */
    int64_t    ballot;     /* chosen: the ballot; proposals: unused */
    uint64_t   cmd;        /* chosen / learned / proposed command hash */
    fl_node_id node;       /* who recorded it first */
    bool       used;
} px_rec;

typedef struct px_map {
    px_rec *r;
    size_t  cap, len;
    bool    oom;           /* stop recording; never report falsely */
} px_map;

static uint64_t px_mix(int64_t a, int64_t b, uint64_t c)
{
    uint64_t z = (uint64_t)a * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)b ^
                 (c * UINT64_C(0xc2b2ae3d27d4eb4f));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static px_rec *px_find(const px_map *m, int64_t a, int64_t b, uint64_t c)
{
    if (!m->cap)
        return NULL;
    size_t i = (size_t)px_mix(a, b, c) & (m->cap - 1);
    while (m->r[i].used) {
        if (m->r[i].a == a && m->r[i].b == b && m->r[i].c == c)
            return &m->r[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

static bool px_grow(px_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 256;
    px_rec *r = calloc(cap, sizeof *r);
    if (!r)
        return false;
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->r[j].used)
            continue;
        size_t i = (size_t)px_mix(m->r[j].a, m->r[j].b, m->r[j].c) & (cap - 1);
        while (r[i].used)
            i = (i + 1) & (cap - 1);
        r[i] = m->r[j];
    }
    free(m->r);
    m->r = r;
    m->cap = cap;
    return true;
}

/* The record for the key, created zeroed if absent; NULL if out of memory. */
static px_rec *px_get(px_map *m, int64_t a, int64_t b, uint64_t c,
                      bool *created)
{
    px_rec *f = px_find(m, a, b, c);
    *created = false;
    if (f || m->oom)
        return f;
    if ((m->len + 1) * 2 > m->cap && !px_grow(m)) {
        m->oom = true;
        return NULL;
    }
    size_t i = (size_t)px_mix(a, b, c) & (m->cap - 1);
    while (m->r[i].used)
        i = (i + 1) & (m->cap - 1);
    px_rec *s = &m->r[i];
    memset(s, 0, sizeof *s);
    s->used = true;
    s->a = a;
    s->b = b;
    s->c = c;
    m->len++;
    *created = true;
    return s;
}

static void px_map_free(px_map *m)
{
    free(m->r);
    memset(m, 0, sizeof *m);
}

/* ---- The shared tracker --------------------------------------------------------- */

typedef enum px_kind {
    PX_PROMISE,
    PX_UNIQUE,
    PX_VALIDITY,
    PX_STAYS,
    PX_AGREEMENT,
    PX_LEARN,
    PX_ADOPT
} px_kind;

/* paxos.adopt_highest: one accepted pvalue an acceptor reported. */
typedef struct px_snap {
    int64_t  slot, ballot;
    uint64_t cmd;
} px_snap;

typedef struct px_state {
    px_kind  kind;
    size_t   n;
    int     *acc_index;    /* node -> acceptor index, or -1 */
    int64_t *promised;     /* node -> highest synced promise seen */
    size_t   nacc;
    px_map   tally;        /* (slot, ballot, cmd) -> acceptors */
    px_map   chosen;       /* (slot) -> ballot, cmd */
    px_map   props;        /* (slot, ballot) -> first cmd; (slot, ballot,
                              cmd) -> present */
    px_map   learned;      /* (slot) -> cmd */
    /* adopt_highest: the pvalues each granting Promise reported, taken
     * when it was sent (snaps[mask .. mask + ballot) of the record keyed
     * (ballot, 0, from << 32 | to)); the highest pvalue per (slot, ballot,
     * proposer) among the Promises it received before it proposed; and
     * (-1, ballot, proposer) once it proposed in that ballot. */
    px_snap *snaps;
    size_t   nsnaps, capsnaps;
    px_map   snapidx;
    px_map   best;
    bool     snap_oom;
} px_state;

static int px_fail(char *msg, size_t msglen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int px_fail(char *msg, size_t msglen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (msg && msglen)
        vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Ballots print as "round.proposer" (view.h: round * 10000 + id). */
#define PXB(b) (long long)((b) < 0 ? -1 : (b) / 10000), \
               (int)((b) < 0 ? -1 : (b) % 10000)

static int64_t px_scalar(const fl_view *v, const char *name)
{
    for (size_t i = 0; i < v->nscalars && i < FL_VIEW_MAX_SCALARS; i++)
        if (v->scalars[i].name && !strcmp(v->scalars[i].name, name))
            return v->scalars[i].value;
    return -1;
}

static bool px_entry(const fl_world *w, fl_node_id node, int64_t index,
                     fl_view_entry *e)
{
    memset(e, 0, sizeof *e);
    return fl_world_entry(w, node, index, e);
}

/* The pvalue `node` accepted at `slot` in this very step (acc_lo..acc_hi
 * is a range; slots inside it it did not touch carry an older counter). */
static bool px_accepted_now(const fl_world *w, fl_node_id node,
                            const fl_view *before, int64_t slot,
                            fl_view_entry *e)
{
    if (!px_entry(w, node, PAXOS_VIEW_ACCEPTED + slot, e))
        return false;
    int64_t prev = before->kind != FL_VIEW_NONE
                       ? px_scalar(before, "accepts") : -1;
    return prev < 0 || e->chain > (uint64_t)prev;
}

static int px_init(px_state *s, const fl_world *w, px_kind kind)
{
    s->kind = kind;
    s->n = fl_world_node_count(w);
    s->acc_index = calloc(s->n ? s->n : 1, sizeof *s->acc_index);
    s->promised = calloc(s->n ? s->n : 1, sizeof *s->promised);
    if (!s->acc_index || !s->promised)
        return -1;
    /* Basic Paxos has "acceptor" nodes; Multi-Paxos servers accept. */
    const char *role = "server";
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(fl_world_role(w, (fl_node_id)i), "acceptor"))
            role = "acceptor";
    for (size_t i = 0; i < s->n; i++) {
        s->promised[i] = -1;
        s->acc_index[i] = -1;
        if (!strcmp(fl_world_role(w, (fl_node_id)i), role) && s->nacc < 64)
            s->acc_index[i] = (int)s->nacc++;
    }
    return 0;
}

static void px_destroy(void *state)
{
    px_state *s = state;
    free(s->acc_index);
    free(s->promised);
    px_map_free(&s->tally);
    px_map_free(&s->chosen);
    px_map_free(&s->props);
    px_map_free(&s->learned);
    px_map_free(&s->snapidx);
    px_map_free(&s->best);
    free(s->snaps);
}

/* ---- The steps of one check ---------------------------------------------------- */

static int px_promise(px_state *s, const fl_world *w, fl_node_id node,
                      const fl_view *before, const fl_view *after,
                      char *msg, size_t msglen)
{
    if (s->acc_index[node] < 0 || after->kind == FL_VIEW_NONE)
        return 0;
    int64_t rem = s->promised[node];
    if (after->term < rem)
        return px_fail(msg, msglen,
                       "acceptor %d promised ballot %lld.%d (synced, and "
                       "answered) but now promises only %lld.%d: it forgot "
                       "its promise", (int)node, PXB(rem), PXB(after->term));
    int64_t lo = px_scalar(after, "acc_lo"), hi = px_scalar(after, "acc_hi");
    for (int64_t slot = lo; lo >= 1 && slot <= hi; slot++) {
        fl_view_entry e;
        if (!px_accepted_now(w, node, before, slot, &e))
            continue;
        int64_t p = before->kind != FL_VIEW_NONE && before->term > rem
                        ? before->term : rem;
        if (e.term < p)
            return px_fail(msg, msglen,
                           "acceptor %d accepted ballot %lld.%d at slot %"
                           PRId64 " below ballot %lld.%d it had promised",
                           (int)node, PXB(e.term), slot, PXB(p));
    }
    int64_t d = px_scalar(after, "durable_promised");
    if (d > s->promised[node])
        s->promised[node] = d;
    return 0;
}

static int px_proposals(px_state *s, const fl_world *w, fl_node_id node,
                        const fl_view *after, char *msg, size_t msglen)
{
    int64_t lo = px_scalar(after, "prop_lo"), hi = px_scalar(after, "prop_hi");
    for (int64_t slot = lo; lo >= 1 && slot <= hi; slot++) {
        fl_view_entry e;
        if (!px_entry(w, node, PAXOS_VIEW_PROPOSED + slot, &e))
            continue;
        bool created;
        if (s->kind == PX_UNIQUE) {
            px_rec *r = px_get(&s->props, slot, e.term, 0, &created);
            if (r && created) {
                r->cmd = e.command;
                r->node = node;
            } else if (r && r->cmd != e.command) {
                return px_fail(msg, msglen,
                               "two values proposed at slot %" PRId64 " in "
                               "ballot %lld.%d: by node %d and by node %d "
                               "(ballots must be unique per proposer)",
                               slot, PXB(e.term), (int)r->node, (int)node);
            }
        } else if (s->kind == PX_VALIDITY) {
            px_get(&s->props, slot, e.term, e.command ? e.command : 1,
                   &created);
        } else if (s->kind == PX_STAYS) {
            const px_rec *c = px_find(&s->chosen, slot, 0, 0);
            if (c && e.term >= c->ballot && e.command != c->cmd)
                return px_fail(msg, msglen,
                               "node %d proposed command %016" PRIx64 " at "
                               "slot %" PRId64 " in ballot %lld.%d, but "
                               "%016" PRIx64 " was already chosen there in "
                               "ballot %lld.%d", (int)node, e.command, slot,
                               PXB(e.term), c->cmd, PXB(c->ballot));
        }
    }
    return 0;
}

static int px_accepts(px_state *s, const fl_world *w, fl_node_id node,
                      const fl_view *before, const fl_view *after,
                      char *msg, size_t msglen)
{
    if (s->acc_index[node] < 0)
        return 0;
    int64_t lo = px_scalar(after, "acc_lo"), hi = px_scalar(after, "acc_hi");
    for (int64_t slot = lo; lo >= 1 && slot <= hi; slot++) {
        fl_view_entry e;
        if (!px_accepted_now(w, node, before, slot, &e))
            continue;
        if (s->kind == PX_VALIDITY && !s->props.oom &&
            !px_find(&s->props, slot, e.term, e.command ? e.command : 1))
            return px_fail(msg, msglen,
                           "acceptor %d accepted command %016" PRIx64 " at "
                           "slot %" PRId64 " in ballot %lld.%d, which no "
                           "proposer proposed in that ballot", (int)node,
                           e.command, slot, PXB(e.term));
        if (s->kind == PX_STAYS) {
            const px_rec *c = px_find(&s->chosen, slot, 0, 0);
            if (c && e.term >= c->ballot && e.command != c->cmd)
                return px_fail(msg, msglen,
                               "acceptor %d accepted command %016" PRIx64
                               " at slot %" PRId64 " in ballot %lld.%d, but "
                               "%016" PRIx64 " was already chosen there in "
                               "ballot %lld.%d", (int)node, e.command, slot,
                               PXB(e.term), c->cmd, PXB(c->ballot));
        }
    }
    return 0;
}

/* Accepts feed the tallies; a majority in one ballot chooses. Agreement
 * and chosen-stays-chosen count durable accepts only (an accept lost in a
 * crash before its sync never happened); learn_only_chosen counts every
 * accept in the step that made it, so a view that reports durability a
 * step late (a node paused right after its sync) cannot make a correct
 * learner look early, and so it keeps every (slot, value) a majority
 * reached rather than the first (see below). */
static int px_tally(px_state *s, const fl_world *w, fl_node_id node,
                    const fl_view *before, const fl_view *after,
                    char *msg, size_t msglen)
{
    int idx = s->acc_index[node];
    if (idx < 0)
        return 0;
    bool any = s->kind == PX_LEARN;
    int64_t lo = px_scalar(after, any ? "acc_lo" : "dur_lo");
    int64_t hi = px_scalar(after, any ? "acc_hi" : "dur_hi");
    for (int64_t slot = lo; lo >= 1 && slot <= hi; slot++) {
        fl_view_entry e;
        if (any ? !px_accepted_now(w, node, before, slot, &e)
                : !px_entry(w, node, PAXOS_VIEW_ACCEPTED + slot, &e) ||
                  !e.durable)
            continue;
        bool created;
        px_rec *t = px_get(&s->tally, slot, e.term, e.command, &created);
        if (!t)
            continue;
        t->mask |= UINT64_C(1) << idx;
        if ((size_t)__builtin_popcountll(t->mask) < s->nacc / 2 + 1)
            continue;
        /* learn_only_chosen remembers every value a majority accepted in
         * some ballot, not only the first: a majority whose accepts were
         * still unsynced when every acceptor lost power never chose its
         * value, and the next leader may then choose another there
         * (agreement still judges them by durable accepts). */
        px_rec *c = px_get(&s->chosen, slot, 0, any ? e.command : 0,
                           &created);
        if (c && created) {
            c->ballot = e.term;
            c->cmd = e.command;
            c->node = node;
        } else if (c && c->cmd != e.command && s->kind == PX_AGREEMENT) {
            return px_fail(msg, msglen,
                           "two values chosen at slot %" PRId64 ": %016"
                           PRIx64 " by a majority in ballot %lld.%d and %016"
                           PRIx64 " by a majority in ballot %lld.%d (the "
                           "last accept by acceptor %d)", slot, c->cmd,
                           PXB(c->ballot), e.command, PXB(e.term), (int)node);
        }
    }
    return 0;
}

static int px_learned(px_state *s, const fl_world *w, fl_node_id node,
                      const fl_view *before, const fl_view *after,
                      char *msg, size_t msglen)
{
    int64_t lo = before->kind != FL_VIEW_NONE && before->commit > 0
                     ? before->commit : 0;
    for (int64_t slot = lo + 1; slot <= after->commit; slot++) {
        fl_view_entry e;
        if (!px_entry(w, node, slot, &e) || !e.committed)
            continue;
        const px_rec *c = px_find(&s->chosen, slot, 0,
                                  s->kind == PX_LEARN ? e.command : 0);
        if (s->kind == PX_LEARN && !s->tally.oom && !s->chosen.oom &&
            (!c || c->cmd != e.command))
            return px_fail(msg, msglen,
                           "node %d learned command %016" PRIx64 " at slot %"
                           PRId64 " (ballot %lld.%d), but no majority of "
                           "acceptors has accepted it", (int)node, e.command,
                           slot, PXB(e.term));
        if (s->kind == PX_AGREEMENT) {
            bool created;
            px_rec *l = px_get(&s->learned, slot, 0, 0, &created);
            if (l && created) {
                l->cmd = e.command;
                l->node = node;
            } else if (l && l->cmd != e.command) {
                return px_fail(msg, msglen,
                               "nodes %d and %d learned different values at "
                               "slot %" PRId64 ": %016" PRIx64 " and %016"
                               PRIx64, (int)l->node, (int)node, slot, l->cmd,
                               e.command);
            }
        }
    }
    return 0;
}

/* ---- paxos.adopt_highest -------------------------------------------------- */

/* Raises best(slot, ballot, proposer) to the pvalue (ab, cmd) if higher. */
static void px_adopt_offer(px_state *s, int64_t slot, int64_t ballot,
                           fl_node_id proposer, int64_t ab, uint64_t cmd)
{
    bool created;
    px_rec *r = px_get(&s->best, slot, ballot, (uint64_t)proposer, &created);
    if (!r)
        return;
    if (created || ab > r->ballot) {
        r->ballot = ab;
        r->cmd = cmd;
    }
}

/* Appends `node`'s accepted pvalues below `ballot`, at the slots above
 * `commit`, to the snapshot array; returns how many. */
static size_t px_adopt_snap(px_state *s, const fl_world *w, fl_node_id node,
                            int64_t ballot, int64_t commit)
{
    const fl_view *v = fl_world_view(w, node);
    if (!v || v->kind == FL_VIEW_NONE)
        return 0;
    int64_t lo = commit >= 1 ? commit + 1 : 1, hi = v->log_last;
    if (hi - lo > 100000)
        lo = hi - 100000;
    size_t n = 0;
    for (int64_t slot = lo; slot <= hi && !s->snap_oom; slot++) {
        fl_view_entry e;
        if (!px_entry(w, node, PAXOS_VIEW_ACCEPTED + slot, &e) ||
            e.term < 0 || e.term >= ballot)
            continue;
        if (s->nsnaps == s->capsnaps) {
            size_t cap = s->capsnaps ? s->capsnaps * 2 : 256;
            px_snap *g = realloc(s->snaps, cap * sizeof *g);
            if (!g) {
                s->snap_oom = true;
                break;
            }
            s->snaps = g;
            s->capsnaps = cap;
        }
        s->snaps[s->nsnaps++] = (px_snap){ slot, e.term, e.command };
        n++;
    }
    return n;
}

static bool px_kind_is(const fl_inv_msg *m, const char *kind)
{
    return m->info.kind && !strcmp(m->info.kind, kind);
}

static int px_adopt_message(void *state, const fl_world *w,
                            const fl_inv_msg *m, char *msg, size_t msglen)
{
    (void)msg;
    (void)msglen;
    px_state *s = state;
    if (m->from < 0 || (size_t)m->from >= s->n || m->to < 0 ||
        (size_t)m->to >= s->n || m->info.term < 0)
        return 0;
    int64_t b = m->info.term;
    bool created;
    if (m->sent && px_kind_is(m, FL_PAXOS_PREPARE) &&
        s->acc_index[m->from] >= 0) {
        /* A candidate that is also an acceptor counts its own pvalues,
         * as they stood when it started the ballot. */
        if (px_find(&s->best, -1, b, (uint64_t)m->from))
            return 0;
        const fl_view *v = fl_world_view(w, m->from);
        size_t at = s->nsnaps;
        size_t n = px_adopt_snap(s, w, m->from, b, v ? v->commit : 0);
        for (size_t i = at; i < at + n; i++)
            px_adopt_offer(s, s->snaps[i].slot, b, m->from,
                           s->snaps[i].ballot, s->snaps[i].cmd);
        s->nsnaps = at;
        return 0;
    }
    if (!px_kind_is(m, FL_PAXOS_PROMISE) || m->info.ok != 1 ||
        s->acc_index[m->from] < 0)
        return 0;
    uint64_t pair = (uint64_t)m->from << 32 | (uint32_t)m->to;
    if (m->sent) {
        const fl_view *to = fl_world_view(w, m->to);
        int64_t commit = to && to->kind != FL_VIEW_NONE ? to->commit : 0;
        size_t at = s->nsnaps;
        size_t n = px_adopt_snap(s, w, m->from, b, commit);
        px_rec *r = px_get(&s->snapidx, b, 0, pair, &created);
        if (r) {
            r->mask = at;
            r->ballot = (int64_t)n;
        }
        return 0;
    }
    /* Delivered: the proposer hears these pvalues, unless it already
     * proposed in this ballot (a late promise changes nothing). */
    if (px_find(&s->best, -1, b, (uint64_t)m->to))
        return 0;
    const px_rec *r = px_find(&s->snapidx, b, 0, pair);
    for (size_t i = 0; r && i < (size_t)r->ballot; i++) {
        const px_snap *g = &s->snaps[r->mask + i];
        px_adopt_offer(s, g->slot, b, m->to, g->ballot, g->cmd);
    }
    return 0;
}

static int px_adopt(px_state *s, const fl_world *w, fl_node_id node,
                    const fl_view *after, char *msg, size_t msglen)
{
    int64_t lo = px_scalar(after, "prop_lo"), hi = px_scalar(after, "prop_hi");
    for (int64_t slot = lo; lo >= 1 && slot <= hi; slot++) {
        fl_view_entry e;
        if (!px_entry(w, node, PAXOS_VIEW_PROPOSED + slot, &e) || e.term < 0)
            continue;
        bool created;
        px_get(&s->best, -1, e.term, (uint64_t)node, &created);
        const px_rec *r = px_find(&s->best, slot, e.term, (uint64_t)node);
        if (r && !s->best.oom && !s->snap_oom && r->cmd != e.command)
            return px_fail(msg, msglen,
                           "node %d proposed command %016" PRIx64 " at slot %"
                           PRId64 " in ballot %lld.%d, but the promises it "
                           "heard reported %016" PRIx64 " accepted there in "
                           "ballot %lld.%d, the highest: a proposer must "
                           "propose the value of the highest-numbered "
                           "proposal reported (PMS §2.2 P2c)", (int)node,
                           e.command, slot, PXB(e.term), r->cmd,
                           PXB(r->ballot));
    }
    return 0;
}

static int px_check(void *state, const fl_world *w, fl_node_id node,
                    const fl_view *before, const fl_view *after,
                    char *msg, size_t msglen)
{
    px_state *s = state;
    if (node < 0 || (size_t)node >= s->n)
        return 0;
    switch (s->kind) {
    case PX_PROMISE:
        return px_promise(s, w, node, before, after, msg, msglen);
    case PX_UNIQUE:
        return px_proposals(s, w, node, after, msg, msglen);
    case PX_VALIDITY:
        if (px_proposals(s, w, node, after, msg, msglen) != 0)
            return -1;
        return px_accepts(s, w, node, before, after, msg, msglen);
    case PX_STAYS:
        /* Chosen first (the durable accepts of earlier steps), then what
         * this step proposed and accepted. */
        if (px_tally(s, w, node, before, after, msg, msglen) != 0 ||
            px_proposals(s, w, node, after, msg, msglen) != 0)
            return -1;
        return px_accepts(s, w, node, before, after, msg, msglen);
    case PX_AGREEMENT:
    case PX_LEARN:
        if (px_tally(s, w, node, before, after, msg, msglen) != 0)
            return -1;
        return px_learned(s, w, node, before, after, msg, msglen);
    case PX_ADOPT:
        return px_adopt(s, w, node, after, msg, msglen);
    }
    return 0;
}

#define PX_INIT(fn, kind)                                              \
    static int fn(void *state, const fl_world *w)                      \
    {                                                                  \
        return px_init(state, w, kind);                                \
    }
PX_INIT(px_init_promise, PX_PROMISE)
PX_INIT(px_init_unique, PX_UNIQUE)
PX_INIT(px_init_validity, PX_VALIDITY)
PX_INIT(px_init_stays, PX_STAYS)
PX_INIT(px_init_agreement, PX_AGREEMENT)
PX_INIT(px_init_learn, PX_LEARN)
PX_INIT(px_init_adopt, PX_ADOPT)

#define PX_INVARIANT(var, nm, sum, initfn)                             \
    static const fl_invariant var = {                                  \
        .name = nm, .summary = sum, .state_size = sizeof(px_state),    \
        .init = initfn, .check = px_check, .destroy = px_destroy,      \
    };

PX_INVARIANT(px_inv_promise, "paxos.promise",
             "an acceptor never accepts below a ballot it promised, nor "
             "forgets a synced promise (PMS §2.2 P1a, §2.3)", px_init_promise)
PX_INVARIANT(px_inv_unique, "paxos.unique_ballots",
             "one value per slot and ballot: no two proposers share a "
             "ballot (PMS §2.2, §2.5)", px_init_unique)
PX_INVARIANT(px_inv_validity, "paxos.validity",
             "only a value proposed in that ballot is accepted, so only a "
             "proposed value can be chosen (PMS §2.1)", px_init_validity)
PX_INVARIANT(px_inv_stays, "paxos.chosen_stays_chosen",
             "after v is chosen in a slot, every higher-ballot proposal and "
             "accept there carries v (PMS §2.2 P2a-P2b)", px_init_stays)
PX_INVARIANT(px_inv_agreement, "paxos.agreement",
             "at most one value is chosen per slot, and no two nodes learn "
             "different values (PMS §2.1)", px_init_agreement)
PX_INVARIANT(px_inv_learn, "paxos.learn_only_chosen",
             "a node learns only values a majority of acceptors accepted "
             "(PMS §2.1)", px_init_learn)

static const fl_invariant px_inv_adopt = {
    .name = "paxos.adopt_highest",
    .summary = "a proposer proposes, in each slot, the value of the "
               "highest-ballot pvalue the promises it heard reported, if "
               "any (PMS §2.2 P2c)",
    .state_size = sizeof(px_state),
    .init = px_init_adopt, .check = px_check, .destroy = px_destroy,
    .message = px_adopt_message,
};

/* ---- paxos.progress (liveness) ------------------------------------------ */

typedef struct px_progress {
    fl_time bound;        /* params.chosen_within_ms; -1: not asked for */
    bool    single;       /* single decree: once learned, nothing is left */
    bool    learned_any;
    fl_time from;         /* the last heal or restart seen so far */
    fl_time first_learn;  /* the first learning since `from`; -1 none */
} px_progress;

static int px_progress_init(void *state, const fl_world *w)
{
    px_progress *s = state;
    const cJSON *params = fl_world_params(w);
    const char *family = fl_world_algorithm(w);
    const cJSON *b = params ?
        cJSON_GetObjectItemCaseSensitive(params, "chosen_within_ms") : NULL;
    s->bound = cJSON_IsNumber(b) && b->valuedouble > 0 ?
        (fl_time)b->valuedouble * 1000000 : -1;
    s->single = family && !strcmp(family, "paxos");
    s->from = 0;
    s->first_learn = -1;
    return 0;
}

static void px_progress_follow(px_progress *s, const fl_world *w)
{
    fl_time from = fl_world_last_recovery(w);
    if (from != s->from) {
        s->from = from;
        s->first_learn = -1;
    }
}

static int px_progress_check(void *state, const fl_world *w, fl_node_id node,
                             const fl_view *before, const fl_view *after,
                             char *msg, size_t msglen)
{
    px_progress *s = state;
    (void)node;
    (void)msg;
    (void)msglen;
    px_progress_follow(s, w);
    if (after->commit > before->commit && after->commit >= 0) {
        s->learned_any = true;
        if (s->first_learn < 0)
            s->first_learn = fl_world_now(w);
    }
    return 0;   /* judged at the end: a partition may still be in force now */
}

/* At the end of the run: fails when nothing was learned within the bound
 * after the last heal or restart (and the run lasted that long). */
static int px_progress_finish(void *state, const fl_world *w, fl_time end,
                              char *msg, size_t msglen)
{
    px_progress *s = state;
    px_progress_follow(s, w);
    fl_time deadline = s->from + s->bound;
    if (s->bound < 0 || (s->single && s->learned_any) || end <= deadline ||
        (s->first_learn >= 0 && s->first_learn <= deadline))
        return 0;
    return px_fail(msg, msglen, "no node learned a value within %.0f ms after "
                   "the last recovery at %.3f ms (first learned after it: "
                   "%s%.3f ms)", (double)s->bound / 1e6, (double)s->from / 1e6,
                   s->first_learn < 0 ? "never, by " : "",
                   (double)(s->first_learn < 0 ? end : s->first_learn) / 1e6);
}

static const fl_invariant px_inv_progress = {
    .name = "paxos.progress",
    .summary = "a value is learned within params.chosen_within_ms after the "
               "last heal or restart",
    .state_size = sizeof(px_progress),
    .init = px_progress_init,
    .check = px_progress_check,
    .finish = px_progress_finish,
};

static const fl_invariant *const px_table[] = {
    &px_inv_promise, &px_inv_unique, &px_inv_validity,
    &px_inv_stays, &px_inv_agreement, &px_inv_learn, &px_inv_progress,
    &fl_rule_paxos_promise_kept, &fl_rule_paxos_accepted_kept,
    &fl_rule_paxos_grant_order, &fl_rule_paxos_ballot_monotonic,
    &px_inv_adopt,
};

const fl_invariant *const *fl_paxos_invariants(size_t *n)
{
    *n = sizeof px_table / sizeof px_table[0];
    return px_table;
}
