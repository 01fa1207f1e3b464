/* fault.c — faults as timed events: resolving node selectors, applying the
 * scenario's faults (partitions, links, crashes, restarts, pauses, clocks)
 * and running nemeses whose schedule is drawn from the fault stream. */
#include "sim/engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"

enum { NEMESIS_START = 0, NEMESIS_INJECT = 1, NEMESIS_UNDO = 2 };

int fl_fault_schedule(fl_engine *e)
{
    const fl_scenario *s = e->scn;
    for (size_t i = 0; i < s->nfaults; i++) {
        const fl_fault *f = &s->faults[i];
        if (f->at > e->end || f->triggered)
            continue;
        fl_event ev = { .time = f->at, .node = FL_NO_NODE, .u = i,
                        .type = f->kind == FL_FAULT_NEMESIS ? FL_EV_NEMESIS
                                                            : FL_EV_FAULT,
                        .a = NEMESIS_START };
        if (fl_engine_push(e, &ev, FL_CLASS_FAULT) < 0)
            return -1;
    }
    return 0;
}

/* ---- Selectors ------------------------------------------------------------- */

static const struct fl_role_ids *role_ids(const fl_engine *e, const char *role)
{
    for (size_t i = 0; i < e->nrole_ids; i++)
        if (strcmp(e->role_ids[i].name, role) == 0)
            return &e->role_ids[i];
    return NULL;
}

static fl_node_id current_leader(const fl_engine *e)
{
    fl_node_id best = FL_NO_NODE;
    int64_t term = -1;
    for (size_t i = 0; i < e->nnodes; i++) {
        const fl_node *n = &e->nodes[i];
        if (n->alive && n->has_view && n->view.kind == FL_VIEW_LEADER &&
            n->view.term > term) {
            term = n->view.term;
            best = n->id;
        }
    }
    return best;
}

static fl_node_id earliest_crashed(const fl_engine *e)
{
    fl_node_id best = FL_NO_NODE;
    for (size_t i = 0; i < e->nnodes; i++) {
        const fl_node *n = &e->nodes[i];
        if (!n->alive && (best == FL_NO_NODE ||
                          n->crashed_at < e->nodes[best].crashed_at))
            best = n->id;
    }
    return best;
}

/* A random server (the first role) that is up (want_alive) or down. */
static fl_node_id random_server(fl_engine *e, bool want_alive)
{
    const struct fl_role_ids *ri = e->nrole_ids ? &e->role_ids[0] : NULL;
    if (!ri || ri->n == 0)
        return FL_NO_NODE;
    size_t count = 0;
    for (size_t i = 0; i < ri->n; i++)
        if (e->nodes[ri->ids[i]].alive == want_alive)
            count++;
    if (count == 0)
        return FL_NO_NODE;
    int64_t pick = fl_rng_between(e->fault_rng, 0, (int64_t)count - 1);
    for (size_t i = 0; i < ri->n; i++)
        if (e->nodes[ri->ids[i]].alive == want_alive && pick-- == 0)
            return ri->ids[i];
    return FL_NO_NODE;
}

/* Resolves a selector to node ids; returns how many (0: nobody matches). */
static size_t fl_fault_resolve(fl_engine *e, const fl_selector *sel,
                               bool for_restart, fl_node_id *out, size_t max)
{
    fl_node_id one = FL_NO_NODE;
    switch (sel->kind) {
    case FL_SEL_INDEX:
        one = (size_t)sel->index < e->nnodes ? sel->index : FL_NO_NODE;
        break;
    case FL_SEL_ROLE_INDEX: {
        const struct fl_role_ids *ri = role_ids(e, sel->role);
        one = ri && (size_t)sel->index < ri->n ? ri->ids[sel->index] : FL_NO_NODE;
        break;
    }
    case FL_SEL_ROLE: {
        const struct fl_role_ids *ri = role_ids(e, sel->role);
        size_t n = 0;
        for (size_t i = 0; ri && i < ri->n && n < max; i++)
            out[n++] = ri->ids[i];
        return n;
    }
    case FL_SEL_LEADER:
        one = current_leader(e);
        break;
    case FL_SEL_CRASHED:
        one = earliest_crashed(e);
        break;
    case FL_SEL_RANDOM:
        one = random_server(e, !for_restart);
        break;
    case FL_SEL_REST:
        return 0;
    }
    if (one == FL_NO_NODE || max == 0)
        return 0;
    out[0] = one;
    return 1;
}

static void skip(fl_engine *e, const char *what)
{
    e->stats.faults_skipped++;
    fl_trace_rec r = { .time = e->now, .type = FL_TR_SKIP, .node = FL_NO_NODE,
                       .peer = FL_NO_NODE, .text = what, .reason = "no-node" };
    fl_trace_record(&e->trace, &r);
}

/* A partition line: the hashed text and, for the JSON line, the groups. */
static void trace_partition(fl_engine *e, const int *group_of, size_t ngroups,
                            int64_t b, const char *text)
{
    fl_trace_rec r = { .time = e->now, .type = FL_TR_PARTITION, .node = FL_NO_NODE,
                       .peer = FL_NO_NODE, .a = (int64_t)ngroups, .b = b, .text = text,
                       .group_of = group_of, .ngroups = (unsigned)ngroups };
    fl_trace_record(&e->trace, &r);
}

/* ---- Partitions -------------------------------------------------------------- */

static void describe_groups(const fl_engine *e, const int *group_of,
                            size_t ngroups, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int g = -1; g < (int)ngroups; g++) {
        bool any = false;
        for (size_t i = 0; i < e->nnodes && used + 16 < len; i++) {
            if (group_of[i] != g)
                continue;
            used += (size_t)snprintf(buf + used, len - used, "%s%zu",
                                     any ? "," : (used ? " [" : "["), i);
            any = true;
        }
        if (any && used + 2 < len)
            used += (size_t)snprintf(buf + used, len - used, "]");
    }
}

static void apply_partition(fl_engine *e, const fl_fault *f)
{
    int *group_of = malloc(e->nnodes * sizeof *group_of);
    fl_node_id *ids = malloc(e->nnodes * sizeof *ids);
    char *text = malloc(4096);
    if (!group_of || !ids || !text)
        goto out;
    for (size_t i = 0; i < e->nnodes; i++)
        group_of[i] = -1;
    int rest_group = -1;
    for (size_t g = 0; g < f->ngroups; g++)
        for (size_t m = 0; m < f->group_len[g]; m++) {
            const fl_selector *sel = &f->groups[g][m];
            if (sel->kind == FL_SEL_REST) {
                rest_group = (int)g;
                continue;
            }
            size_t n = fl_fault_resolve(e, sel, false, ids, e->nnodes);
            for (size_t k = 0; k < n; k++)
                if (group_of[ids[k]] < 0)
                    group_of[ids[k]] = (int)g;
        }
    if (rest_group >= 0)
        for (size_t i = 0; i < e->nnodes; i++)
            if (group_of[i] < 0)
                group_of[i] = rest_group;
    fl_net_partition(e, group_of);
    describe_groups(e, group_of, f->ngroups, text, 4096);
    e->stats.faults_applied++;
    trace_partition(e, group_of, f->ngroups, 0, text);
out:
    free(group_of);
    free(ids);
    free(text);
}

static void heal(fl_engine *e)
{
    fl_net_heal(e);
    e->stats.faults_applied++;
    fl_engine_trace_simple(e, FL_TR_HEAL, FL_NO_NODE, FL_NO_NODE, 0, 0, NULL);
    fl_engine_mark_recovery(e);
}

static void apply_link(fl_engine *e, const fl_fault *f)
{
    fl_node_id a[1], b[1];
    if (!fl_fault_resolve(e, &f->from, false, a, 1) || !fl_fault_resolve(e, &f->to, false, b, 1)) {
        skip(e, "link: selector matched no node");
        return;
    }
    fl_link_spec spec = f->link;
    bool cut = spec.has_drop && spec.drop >= 1.0;
    for (int dir = 0; dir < (f->symmetric ? 2 : 1); dir++) {
        fl_node_id from = dir ? b[0] : a[0], to = dir ? a[0] : b[0];
        if (cut)
            e->links[(size_t)from * e->nnodes + (size_t)to].cut = true;
        else
            fl_net_link(e, from, to, &spec);
    }
    char text[96];
    snprintf(text, sizeof text, "%d %s %d%s", a[0], f->symmetric ? "<->" : "->",
             b[0], cut ? " cut" : "");
    e->stats.faults_applied++;
    fl_trace_rec r = { .time = e->now, .type = FL_TR_LINK, .node = a[0], .peer = b[0],
                       .a = spec.has_drop ? (int64_t)(spec.drop * 1e6) : -1, .text = text,
                       .flags = (f->symmetric ? FL_TRACE_LINK_SYMMETRIC : 0u) |
                                (cut ? FL_TRACE_LINK_CUT : 0u) };
    fl_trace_record(&e->trace, &r);
}

/* ---- Node faults --------------------------------------------------------------- */

static void apply_node_fault(fl_engine *e, const fl_fault *f)
{
    fl_node_id *ids = malloc(e->nnodes * sizeof *ids);
    if (!ids)
        return;
    size_t n = fl_fault_resolve(e, &f->node, f->kind == FL_FAULT_RESTART, ids, e->nnodes);
    if (n == 0)
        skip(e, "node selector matched no node (no leader / none crashed?)");
    for (size_t i = 0; i < n; i++) {
        fl_node *node = &e->nodes[ids[i]];
        uint64_t skipped = e->stats.faults_skipped;
        switch (f->kind) {
        case FL_FAULT_CRASH:
            fl_node_crash(e, node, f->torn);
            break;
        case FL_FAULT_RESTART:
            fl_node_restart(e, node);
            if (node->alive)
                fl_engine_mark_recovery(e);
            break;
        case FL_FAULT_PAUSE:
            fl_node_pause(e, node, f->duration);
            break;
        case FL_FAULT_RESUME: {
            bool was = node->paused;
            fl_node_resume(e, node);
            if (was && !node->paused)
                fl_engine_mark_recovery(e);
            break;
        }
        case FL_FAULT_CLOCK:
            fl_node_set_clock(e, node, f->skew, f->drift_ppm, f->drift_ppm != 0);
            break;
        default:
            break;
        }
        if (e->stats.faults_skipped == skipped)
            e->stats.faults_applied++;
    }
    free(ids);
}

static void fl_trigger_fire(fl_engine *e, const fl_event *ev);

void fl_fault_apply(fl_engine *e, const fl_event *ev)
{
    const fl_fault *f = &e->scn->faults[ev->u];
    if (f->triggered) {
        fl_trigger_fire(e, ev);
        return;
    }
    switch (f->kind) {
    case FL_FAULT_PARTITION:
        apply_partition(e, f);
        break;
    case FL_FAULT_HEAL:
        heal(e);
        break;
    case FL_FAULT_LINK:
        apply_link(e, f);
        break;
    case FL_FAULT_CRASH:
    case FL_FAULT_RESTART:
    case FL_FAULT_PAUSE:
    case FL_FAULT_RESUME:
    case FL_FAULT_CLOCK:
        apply_node_fault(e, f);
        break;
    case FL_FAULT_NEMESIS:
        break;
    }
}

/* ---- Nemesis ------------------------------------------------------------------------ */

static void nemesis_push(fl_engine *e, size_t idx, fl_time at, int action,
                         fl_node_id node)
{
    if (at > e->end)
        return;
    fl_event ev = { .time = at, .type = FL_EV_NEMESIS, .node = node,
                    .u = idx, .a = action };
    (void)fl_engine_push(e, &ev, FL_CLASS_FAULT);
}

/* Notes what a nemesis did (fl_engine_nemesis_log). A failed allocation
 * leaves the log short; whoever replays it checks the replay. */
static void nemesis_record(fl_engine *e, fl_fault_kind kind, fl_node_id node,
                           bool torn, const int *group_of)
{
    if (!e->nem_keep)
        return;
    if (e->nem_n == e->nem_cap) {
        size_t cap = e->nem_cap ? 2 * e->nem_cap : 16;
        fl_nemesis_action *g = realloc(e->nem_log, cap * sizeof *g);
        if (!g)
            return;
        e->nem_log = g;
        e->nem_cap = cap;
    }
    fl_nemesis_action *a = &e->nem_log[e->nem_n++];
    memset(a, 0, sizeof *a);
    a->at = e->now;
    a->kind = kind;
    a->node = node;
    a->torn = torn;
    for (size_t i = 0; group_of && i < e->nnodes; i++) {
        if (group_of[i] != 0)
            continue;
        if (a->nmembers < FL_NEMESIS_MEMBERS)
            a->members[a->nmembers++] = (fl_node_id)i;
        else
            a->overflow = true;
    }
}

void fl_engine_keep_nemesis_log(fl_engine *e)
{
    e->nem_keep = true;
}

const fl_nemesis_action *fl_engine_nemesis_log(const fl_engine *e, size_t *n)
{
    *n = e->nem_n;
    return e->nem_log;
}

static void nemesis_next(fl_engine *e, size_t idx, const fl_fault *f)
{
    fl_time at = e->now + fl_rng_between(e->fault_rng, f->every_lo, f->every_hi);
    if (at <= f->until)
        nemesis_push(e, idx, at, NEMESIS_INJECT, FL_NO_NODE);
}

static void nemesis_split(fl_engine *e)
{
    const struct fl_role_ids *ri = &e->role_ids[0];
    int *group_of = malloc(e->nnodes * sizeof *group_of);
    if (!group_of)
        return;
    for (size_t i = 0; i < e->nnodes; i++)
        group_of[i] = 1;                    /* clients stay with the majority */
    size_t minority = (size_t)fl_rng_between(e->fault_rng, 1,
                                             ri->n > 1 ? (int64_t)ri->n / 2 : 1);
    for (size_t k = 0; k < minority; k++) {
        /* a partial Fisher-Yates pick of distinct servers */
        size_t left = 0;
        for (size_t i = 0; i < ri->n; i++)
            left += group_of[ri->ids[i]] == 1;
        int64_t pick = fl_rng_between(e->fault_rng, 0, (int64_t)left - 1);
        for (size_t i = 0; i < ri->n; i++)
            if (group_of[ri->ids[i]] == 1 && pick-- == 0) {
                group_of[ri->ids[i]] = 0;
                break;
            }
    }
    fl_net_partition(e, group_of);
    nemesis_record(e, FL_FAULT_PARTITION, FL_NO_NODE, false, group_of);
    char text[4096];
    describe_groups(e, group_of, 2, text, sizeof text);
    trace_partition(e, group_of, 2, 1, text);
    free(group_of);
}

static void nemesis_inject(fl_engine *e, size_t idx, const fl_fault *f)
{
    struct fl_nemesis_state *st = &e->nemesis[idx];
    fl_time down = fl_rng_between(e->fault_rng, f->down_lo, f->down_hi);
    switch (f->nemesis) {
    case FL_NEMESIS_RANDOM_CRASH:
    case FL_NEMESIS_RANDOM_PAUSE: {
        if (st->down >= f->max_down)
            break;
        fl_node_id id = random_server(e, true);
        if (id == FL_NO_NODE)
            break;
        fl_node *n = &e->nodes[id];
        if (f->nemesis == FL_NEMESIS_RANDOM_CRASH) {
            nemesis_record(e, FL_FAULT_CRASH, id, e->scn->disk.torn_writes, NULL);
            fl_node_crash(e, n, e->scn->disk.torn_writes);
        } else {
            nemesis_record(e, FL_FAULT_PAUSE, id, false, NULL);
            fl_node_pause(e, n, 0);
        }
        st->down++;
        e->stats.faults_applied++;
        nemesis_push(e, idx, e->now + down, NEMESIS_UNDO, id);
        break;
    }
    case FL_NEMESIS_RANDOM_PARTITION:
        if (st->down > 0)
            break;
        nemesis_split(e);
        st->down++;
        e->stats.faults_applied++;
        nemesis_push(e, idx, e->now + down, NEMESIS_UNDO, FL_NO_NODE);
        break;
    }
    nemesis_next(e, idx, f);
}

static void nemesis_undo(fl_engine *e, size_t idx, const fl_fault *f,
                         fl_node_id node)
{
    struct fl_nemesis_state *st = &e->nemesis[idx];
    if (st->down > 0)
        st->down--;
    switch (f->nemesis) {
    case FL_NEMESIS_RANDOM_CRASH:
        nemesis_record(e, FL_FAULT_RESTART, node, false, NULL);
        fl_node_restart(e, &e->nodes[node]);
        if (e->nodes[node].alive)
            fl_engine_mark_recovery(e);
        break;
    case FL_NEMESIS_RANDOM_PAUSE:
        nemesis_record(e, FL_FAULT_RESUME, node, false, NULL);
        fl_node_resume(e, &e->nodes[node]);
        fl_engine_mark_recovery(e);
        break;
    case FL_NEMESIS_RANDOM_PARTITION:
        nemesis_record(e, FL_FAULT_HEAL, FL_NO_NODE, false, NULL);
        heal(e);
        return;
    }
    e->stats.faults_applied++;
}

void fl_nemesis_fire(fl_engine *e, const fl_event *ev)
{
    const fl_fault *f = &e->scn->faults[ev->u];
    switch (ev->a) {
    case NEMESIS_START:
        nemesis_next(e, ev->u, f);
        break;
    case NEMESIS_INJECT:
        nemesis_inject(e, ev->u, f);
        break;
    case NEMESIS_UNDO:
        nemesis_undo(e, ev->u, f, ev->node);
        break;
    }
}

/* ---- Event-triggered faults ------------------------------------------------------ */

/* A crash with "on" waits for an event instead of a time: a node sends a
 * message of a kind (as the algorithm's describe names it), or starts a
 * sync. It crashes that node (or its "node" selector) `after` later, at
 * most `times` times, and restarts it `down` later if set. A partition
 * with "on" splits its groups `after` the event and heals `down` later. Matching draws
 * no randomness, so a scenario without triggers replays as before. */
struct fl_trigger_state {
    int64_t fired;
};

enum { TRIGGER_CRASH = 1, TRIGGER_RESTART = 2 };

int fl_fault_triggers_init(fl_engine *e)
{
    bool any = false;
    for (size_t i = 0; i < e->scn->nfaults; i++)
        any |= e->scn->faults[i].triggered;
    if (!any)
        return 0;
    e->triggers = calloc(e->scn->nfaults, sizeof *e->triggers);
    return e->triggers ? 0 : -1;
}

void fl_fault_triggers_free(fl_engine *e)
{
    free(e->triggers);
    e->triggers = NULL;
}

/* Does `id` match `sel`, without drawing from the fault stream? */
static bool trigger_match(const fl_engine *e, const fl_selector *sel,
                          fl_node_id id)
{
    const struct fl_role_ids *ri;
    switch (sel->kind) {
    case FL_SEL_INDEX:
        return sel->index == id;
    case FL_SEL_ROLE_INDEX:
        ri = role_ids(e, sel->role);
        return ri && (size_t)sel->index < ri->n && ri->ids[sel->index] == id;
    case FL_SEL_ROLE:
        return !strcmp(e->nodes[id].role_name, sel->role);
    case FL_SEL_LEADER:
        return current_leader(e) == id;
    case FL_SEL_RANDOM:
        return e->nrole_ids && !strcmp(e->nodes[id].role_name,
                                       e->role_ids[0].name);
    case FL_SEL_CRASHED:
    case FL_SEL_REST:
        break;
    }
    return false;
}

static bool trigger_armed(const fl_engine *e, size_t i, fl_node_id who)
{
    const fl_fault *f = &e->scn->faults[i];
    if (!f->triggered || e->now < f->at || e->triggers[i].fired >= f->times)
        return false;
    if (f->has_on_from)
        return trigger_match(e, &f->on_from, who);
    /* by default only the algorithm's servers (the first role) trigger */
    return e->nrole_ids && !strcmp(e->nodes[who].role_name,
                                   e->role_ids[0].name);
}

static void trigger_push(fl_engine *e, size_t i, fl_node_id who, const char *why)
{
    const fl_fault *f = &e->scn->faults[i];
    e->triggers[i].fired++;
    fl_engine_trace_simple(e, FL_TR_LOG, who, FL_NO_NODE, (int64_t)i,
                           e->triggers[i].fired, why);
    fl_event ev = { .time = e->now + f->after, .type = FL_EV_FAULT,
                    .node = who, .u = i, .a = TRIGGER_CRASH };
    if (ev.time <= e->end)
        (void)fl_engine_push(e, &ev, FL_CLASS_FAULT);
}

void fl_fault_on_send(fl_engine *e, const struct fl_msg *m)
{
    bool described = false;
    fl_msg_info info;
    for (size_t i = 0; i < e->scn->nfaults; i++) {
        const fl_fault *f = &e->scn->faults[i];
        if (!f->on_sent[0] || !trigger_armed(e, i, m->from))
            continue;
        if (!described) {
            fl_msg_info_clear(&info);
            if (e->alg->describe)
                e->alg->describe(m->data, m->len, &info);
            described = true;
        }
        /* "*": any message, whatever describe names it (a window that
         * does not depend on a plug-in's own message kinds) */
        if (strcmp(f->on_sent, "*") != 0
            && (!info.kind || strcmp(info.kind, f->on_sent) != 0))
            continue;
        if (f->on_ok >= 0 && info.ok != f->on_ok)
            continue;
        trigger_push(e, i, m->from, "trigger: sent the awaited message");
    }
}

void fl_fault_on_sync(fl_engine *e, fl_node *n)
{
    for (size_t i = 0; i < e->scn->nfaults; i++) {
        const fl_fault *f = &e->scn->faults[i];
        if (f->on_sync && trigger_armed(e, i, n->id))
            trigger_push(e, i, n->id, "trigger: a sync is in flight");
    }
}

/* A triggered partition splits, and heals `down` later if set. */
static void fl_trigger_partition(fl_engine *e, const fl_event *ev)
{
    const fl_fault *f = &e->scn->faults[ev->u];
    if (ev->a == TRIGGER_RESTART) {
        heal(e);
        return;
    }
    apply_partition(e, f);
    if (f->down > 0 && e->now + f->down <= e->end) {
        fl_event h = { .time = e->now + f->down, .type = FL_EV_FAULT,
                       .node = ev->node, .u = ev->u, .a = TRIGGER_RESTART };
        (void)fl_engine_push(e, &h, FL_CLASS_FAULT);
    }
}

static void fl_trigger_fire(fl_engine *e, const fl_event *ev)
{
    const fl_fault *f = &e->scn->faults[ev->u];
    if (f->kind == FL_FAULT_PARTITION) {
        fl_trigger_partition(e, ev);
        return;
    }
    fl_node_id *ids = malloc(e->nnodes * sizeof *ids);
    if (!ids)
        return;
    size_t n = 1;
    ids[0] = ev->node;
    if (!f->crash_trigger && ev->a == TRIGGER_CRASH)
        n = fl_fault_resolve(e, &f->node, false, ids, e->nnodes);
    if (n == 0)
        skip(e, "node selector matched no node");
    for (size_t k = 0; k < n; k++) {
        fl_node *node = &e->nodes[ids[k]];
        uint64_t skipped = e->stats.faults_skipped;
        if (ev->a == TRIGGER_RESTART) {
            fl_node_restart(e, node);
            if (node->alive)
                fl_engine_mark_recovery(e);
        } else {
            fl_node_crash(e, node, f->torn);
            if (f->down > 0 && e->now + f->down <= e->end) {
                fl_event r = { .time = e->now + f->down, .type = FL_EV_FAULT,
                               .node = ids[k], .u = ev->u, .a = TRIGGER_RESTART };
                (void)fl_engine_push(e, &r, FL_CLASS_FAULT);
            }
        }
        if (e->stats.faults_skipped == skipped)
            e->stats.faults_applied++;
    }
    free(ids);
}
