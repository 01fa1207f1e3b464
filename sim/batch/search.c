/* search.c — breadth-first and iterative-deepening depth-first search over
 * schedules, by re-execution (see search.h). */
#include "sim/batch/search.h"
#include "sim/util/vec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/engine.h"
#include "sim/manual.h"
#include "sim/batch/outcome.h"
#include "sim/run/run.h"

/* ---- One execution: a fresh run with a schedule applied ----------------- */

typedef struct exec {
    fl_run      *run;        /* the run object (sim/run/run.h), stepped by hand */
    const fl_engine *e;      /* the run's engine, to read */
    fl_manual   *m;
    int          used[FL_STEP_KIND_COUNT];
    int          torn;       /* torn crashes so far */
    int          ops;
} exec;

typedef struct search {
    const fl_scenario    *s;
    const fl_algorithm   *alg;
    const fl_search_opts *o;
    fl_search_result     *r;
    fl_error             *err;
    /* visited: state hash -> shallowest depth + 1 (0: empty slot) */
    uint64_t *keys;
    uint8_t  *depth_of;
    size_t    cap, used;
    int       leader_depth;      /* shallowest depth with a leader, or -1 */
    double    start, last_progress;
    bool      stop;
} search;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) * 1e-6;
}

static void exec_free(exec *x)
{
    fl_manual_free(x->m);
    fl_run_free(x->run);
    memset(x, 0, sizeof *x);
}

static int exec_start(search *S, exec *x)
{
    memset(x, 0, sizeof *x);
    fl_run_opts ro = { .seed = S->s->seed, .has_seed = true, .lin_timeout_s = 5.0 };
    x->run = fl_run_new(S->s, S->alg, &ro, S->err);
    if (!x->run)
        return -1;
    x->e = fl_run_engine(x->run);
    if (!(x->m = fl_manual_new(fl_run_engine_manual(x->run)))) {
        fl_error_set(S->err, "search: out of memory");
        exec_free(x);
        return -1;
    }
    return 0;
}

static bool is_client(const exec *x, fl_node_id n)
{
    const char *role = fl_engine_node_role(x->e, n);
    return role && strcmp(role, "client") == 0;
}

static bool is_message_choice(uint8_t k)
{
    return k == FL_STEP_DELIVER || k == FL_STEP_DROP || k == FL_STEP_DUP;
}

/* 1: an invariant broke; 0: applied; -1: the step is not there. */
static int exec_apply(exec *x, const fl_step *c)
{
    if (c->kind == FL_STEP_TIMER && is_client(x, c->node))
        x->ops++;
    if (fl_manual_apply(x->m, c) < 0)
        return -1;
    x->used[c->kind]++;
    x->torn += c->kind == FL_STEP_CRASH && c->torn;
    return fl_run_violation(x->run) ? 1 : 0;
}

/* The scenario's own "schedule", replayed before the search's choices:
 * the search explores from the state it leads to. Budgets and client
 * operations count only the choices after it. 1 if the prefix itself
 * breaks a check (at its last step), 0, or -1 with S->err. */
static int exec_prefix(search *S, exec *x)
{
    const fl_scenario *s = S->s;
    for (size_t i = 0; i < s->nschedule; i++) {
        S->r->steps++;
        int rc = exec_apply(x, &s->schedule[i]);
        if (rc > 0 && i + 1 == s->nschedule)
            break;
        if (rc != 0) {
            fl_error_set(S->err, "search: %s: $.schedule[%zu]: %s", s->path ? s->path : "scenario",
                         i, rc < 0 ? "no such pending event (the prefix does not fit this "
                                     "binary or scenario)"
                                   : "the prefix breaks a check before its end");
            return -1;
        }
    }
    memset(x->used, 0, sizeof x->used);
    x->torn = 0;
    x->ops = 0;
    return fl_run_violation(x->run) ? 1 : 0;
}

static int exec_replay(search *S, exec *x, const fl_step *path, size_t len)
{
    if (exec_start(S, x) < 0)
        return -1;
    if (exec_prefix(S, x) != 0 && len > 0) {
        if (!S->err->msg[0])
            fl_error_set(S->err, "search: the prefix breaks a check before its end");
        exec_free(x);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        S->r->steps++;
        if (exec_apply(x, &path[i]) != 0) {
            fl_error_set(S->err, "search: step %zu of a schedule did not replay", i + 1);
            exec_free(x);
            return -1;
        }
    }
    return 0;
}

static bool has_leader(const exec *x)
{
    for (size_t n = 0; n < fl_engine_node_count(x->e); n++) {
        const fl_view *v = fl_engine_node_view(x->e, (fl_node_id)n);
        if (v && fl_engine_node_alive(x->e, (fl_node_id)n) && v->kind == FL_VIEW_LEADER)
            return true;
    }
    return false;
}

/* ---- Choices ------------------------------------------------------------- */

typedef struct choice_list {
    fl_step *v;
    size_t     n, cap;
} choice_list;

static int list_add(choice_list *l, const fl_step *c)
{
    if (fl_vec_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v, 16) < 0)
        return -1;
    l->v[l->n++] = *c;
    return 0;
}

static bool seen_before(const exec *x, size_t upto, const fl_pending *p)
{
    for (size_t j = 0; j < upto; j++) {
        const fl_pending *q = fl_manual_at(x->m, j);
        if (q->kind != p->kind)
            continue;
        if (p->kind == FL_PENDING_MESSAGE ? q->id == p->id
                                          : q->node == p->node && q->timer_kind == p->timer_kind)
            return true;
    }
    return false;
}

/* Whether a pending event may be a choice at all (a timer of a kind
 * searched, a client's while operations remain; a message to a live node),
 * before --timers ordered is applied. */
static bool may_choose(const search *S, const exec *x, const fl_pending *p)
{
    if (p->kind == FL_PENDING_TIMER)
        return is_client(x, p->node) ? x->ops < S->o->ops
                                     : (S->o->timer_kinds & (1u << p->timer_kind)) != 0;
    /* A message to a node that is down would only be lost: leaving it in
     * flight reaches every state that losing it does (it may still be
     * delivered after a restart), so it is not a choice. */
    return fl_engine_node_alive(x->e, p->node);
}

static void add_pending_choices(const search *S, const exec *x, choice_list *l)
{
    const fl_search_opts *o = S->o;
    /* Ordered timers wait only for what could be chosen instead of them: a
     * timer that can never fire here must not hold the others back. */
    fl_time earliest = INT64_MAX;
    for (size_t i = 0; i < fl_manual_count(x->m); i++) {
        const fl_pending *p = fl_manual_at(x->m, i);
        if (p->at < earliest && may_choose(S, x, p))
            earliest = p->at;
    }
    for (size_t i = 0; i < fl_manual_count(x->m); i++) {
        const fl_pending *p = fl_manual_at(x->m, i);
        if (seen_before(x, i, p) || !may_choose(S, x, p))
            continue;         /* a duplicate, a later timer of one kind */
        fl_step c = { .node = p->node, .from = p->from, .id = p->id, .what = p->what };
        if (p->kind == FL_PENDING_TIMER) {
            if (o->timers_in_order && p->at > earliest + o->slack)
                continue;
            c.kind = FL_STEP_TIMER;
            (void)list_add(l, &c);
            continue;
        }
        c.kind = FL_STEP_DELIVER;
        (void)list_add(l, &c);
        if (x->used[FL_STEP_DROP] < o->drops) {
            c.kind = FL_STEP_DROP;
            (void)list_add(l, &c);
        }
        if (x->used[FL_STEP_DUP] < o->dups) {
            c.kind = FL_STEP_DUP;
            (void)list_add(l, &c);
        }
    }
}

static void enumerate(const search *S, const exec *x, choice_list *l)
{
    l->n = 0;
    add_pending_choices(S, x, l);
    for (size_t n = 0; n < fl_engine_node_count(x->e); n++) {
        fl_node_id id = (fl_node_id)n;
        if (is_client(x, id))
            continue;
        bool alive = fl_engine_node_alive(x->e, id);
        fl_step c = { .node = id, .from = FL_NO_NODE, .what = "" };
        if (alive && x->used[FL_STEP_CRASH] < S->o->crashes) {
            c.kind = FL_STEP_CRASH;
            (void)list_add(l, &c);
            if (x->torn < S->o->torn) {
                c.torn = true;     /* a power failure in the middle of a write */
                (void)list_add(l, &c);
            }
        } else if (!alive && x->used[FL_STEP_RESTART] < S->o->restarts) {
            c.kind = FL_STEP_RESTART;
            (void)list_add(l, &c);
        }
    }
}

/* Steps at different nodes commute; crashes and restarts commute with
 * nothing; two choices about one message never do. */
static bool independent(const fl_step *a, const fl_step *b)
{
    if (a->kind >= FL_STEP_CRASH || b->kind >= FL_STEP_CRASH)
        return false;
    if (is_message_choice(a->kind) && is_message_choice(b->kind) && a->id == b->id)
        return false;
    return a->node != b->node;
}

static bool same_choice(const fl_step *a, const fl_step *b)
{
    return a->kind == b->kind && a->id == b->id && a->node == b->node && a->torn == b->torn;
}

/* ---- The visited table ------------------------------------------------------ */

static int visited_grow(search *S)
{
    size_t cap = S->cap ? S->cap * 2 : 1u << 16;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint8_t *depth = calloc(cap, 1);
    if (!keys || !depth) {
        free(keys);
        free(depth);
        return -1;
    }
    for (size_t i = 0; i < S->cap; i++) {
        if (!S->depth_of[i])
            continue;
        size_t j = (size_t)(S->keys[i] * 0x9e3779b97f4a7c15u >> 7) & (cap - 1);
        while (depth[j])
            j = (j + 1) & (cap - 1);
        keys[j] = S->keys[i];
        depth[j] = S->depth_of[i];
    }
    free(S->keys);
    free(S->depth_of);
    S->keys = keys;
    S->depth_of = depth;
    S->cap = cap;
    return 0;
}

/* True if the state is new, or now reached at a smaller depth. */
static bool visit(search *S, uint64_t h, int depth)
{
    if ((S->used + 1) * 2 > S->cap && visited_grow(S) < 0) {
        S->stop = true;
        S->r->stopped_by = "memory";
        return false;
    }
    uint8_t d = (uint8_t)(depth < 254 ? depth + 1 : 255);
    size_t j = (size_t)(h * 0x9e3779b97f4a7c15u >> 7) & (S->cap - 1);
    while (S->depth_of[j]) {
        if (S->keys[j] == h) {
            if (S->depth_of[j] <= d)
                return false;
            S->depth_of[j] = d;
            return true;
        }
        j = (j + 1) & (S->cap - 1);
    }
    S->keys[j] = h;
    S->depth_of[j] = d;
    S->used++;
    S->r->distinct++;
    return true;
}

/* ---- Budgets, progress, verdicts ---------------------------------------------- */

static size_t memory_used(const search *S, size_t extra)
{
    return S->cap * (sizeof(uint64_t) + 1) + extra;
}

static void check_budget(search *S, size_t extra_bytes, size_t frontier)
{
    const fl_search_opts *o = S->o;
    if (o->max_states && S->r->states >= o->max_states) {
        S->stop = true;
        S->r->stopped_by = "states";
    }
    if ((S->r->states & 255) != 0)
        return;
    double t = now_s();
    if (o->max_seconds > 0 && t - S->start >= o->max_seconds) {
        S->stop = true;
        S->r->stopped_by = "time";
    }
    if (o->max_memory_mb && memory_used(S, extra_bytes) > o->max_memory_mb << 20) {
        S->stop = true;
        S->r->stopped_by = "memory";
    }
    if (o->progress && t - S->last_progress >= 1.0) {
        S->last_progress = t;
        double el = t - S->start;
        fprintf(stderr, "search: depth %d, %llu states, %llu distinct, %.0f states/s, frontier %zu\n",
                S->r->depth, (unsigned long long)S->r->states,
                (unsigned long long)S->r->distinct, el > 0 ? (double)S->r->states / el : 0.0,
                frontier);
    }
}

static void record_violation(search *S, const exec *x, const char *check, const char *msg,
                             const fl_step *path, size_t len)
{
    fl_search_result *r = S->r;
    const fl_violation *v = x ? fl_run_violation(x->run) : NULL;
    r->violation = true;
    snprintf(r->check, sizeof r->check, "%s", v ? v->name : check);
    snprintf(r->msg, sizeof r->msg, "%s", v ? v->msg : msg);
    size_t pre = S->s->nschedule;     /* the counterexample starts with the prefix */
    free(r->path);
    r->path = malloc((pre + len + 1) * sizeof *path);
    r->path_len = r->path ? pre + len : 0;
    r->prefix_len = r->path ? pre : 0;
    if (r->path && pre)
        memcpy(r->path, S->s->schedule, pre * sizeof *path);
    if (r->path && len)
        memcpy(r->path + pre, path, len * sizeof *path);
    S->stop = true;
}

/* A leaf: the history so far must be linearizable. */
static void check_leaf(search *S, exec *x, const fl_step *path, size_t len)
{
    if (!S->o->check_lin || S->s->workload.model == FL_MODEL_NONE)
        return;
    if (fl_run_check_history(x->run) == FL_LIN_VIOLATION)
        record_violation(S, NULL, "linearizable", "the history of this schedule is not linearizable",
                         path, len);
}

/* Evaluates the state `x` reached by `path`: invariants, leader, visited. */
static bool evaluate(search *S, exec *x, int rc, const fl_step *path, size_t len)
{
    S->r->states++;
    if (rc > 0) {
        record_violation(S, x, "", "", path, len);
        return false;
    }
    if (S->leader_depth < 0 && has_leader(x))
        S->leader_depth = (int)len;
    if ((int)len > S->r->depth)
        S->r->depth = (int)len;
    return visit(S, fl_manual_state_hash(x->m), (int)len);
}

/* ---- Breadth-first ------------------------------------------------------------ */

typedef struct bfs_node {
    uint32_t  parent;
    fl_step c;
} bfs_node;

typedef struct bfs_tree {
    bfs_node *v;
    size_t    n, cap;
} bfs_tree;

static size_t bfs_path(const bfs_tree *t, uint32_t idx, fl_step *path)
{
    size_t len = 0;
    for (uint32_t i = idx; i != 0; i = t->v[i].parent)
        path[len++] = t->v[i].c;
    for (size_t a = 0, b = len; a + 1 < b; a++, b--) {
        fl_step tmp = path[a];
        path[a] = path[b - 1];
        path[b - 1] = tmp;
    }
    return len;
}

static int tree_add(bfs_tree *t, uint32_t parent, const fl_step *c)
{
    if (fl_vec_grow(&t->v, &t->cap, t->n + 1, sizeof *t->v, 1024) < 0)
        return -1;
    t->v[t->n].parent = parent;
    if (c)
        t->v[t->n].c = *c;
    t->n++;
    return 0;
}

/* Expands one state of the frontier into its children. */
static void bfs_expand(search *S, bfs_tree *t, uint32_t idx, fl_step *path,
                       choice_list *C)
{
    size_t len = bfs_path(t, idx, path);
    exec x;
    if (exec_replay(S, &x, path, len) < 0) {
        S->stop = true;
        return;
    }
    enumerate(S, &x, C);
    if (C->n == 0) {
        check_leaf(S, &x, path, len);
        exec_free(&x);
        return;
    }
    bool x_used = false;
    for (size_t i = 0; i < C->n && !S->stop; i++) {
        exec y = x;
        if (x_used && exec_replay(S, &y, path, len) < 0) {
            S->stop = true;
            break;
        }
        x_used = true;
        path[len] = C->v[i];
        S->r->steps++;
        int rc = exec_apply(&y, &C->v[i]);
        if (rc >= 0 && evaluate(S, &y, rc, path, len + 1) && !S->stop) {
            if ((int)len + 1 >= S->o->max_depth)
                check_leaf(S, &y, path, len + 1);
            else if (tree_add(t, idx, &C->v[i]) < 0) {
                S->stop = true;
                S->r->stopped_by = "memory";
            }
        }
        exec_free(&y);
        check_budget(S, t->cap * sizeof(bfs_node), t->n - idx);
    }
    if (!x_used)
        exec_free(&x);
}

static void run_bfs(search *S)
{
    bfs_tree t = {0};
    choice_list C = {0};
    fl_step *path = calloc((size_t)S->o->max_depth + 1, sizeof *path);
    exec root;
    if (!path || tree_add(&t, 0, NULL) < 0 || exec_replay(S, &root, NULL, 0) < 0) {
        free(path);
        free(t.v);
        if (!S->err->msg[0])
            fl_error_set(S->err, "search: cannot start");
        S->stop = true;
        return;
    }
    (void)evaluate(S, &root, fl_run_violation(root.run) ? 1 : 0, NULL, 0);
    exec_free(&root);
    size_t lo = 0, hi = 1;
    for (int depth = 0; depth < S->o->max_depth && !S->stop && lo < hi; depth++) {
        for (size_t idx = lo; idx < hi && !S->stop; idx++)
            bfs_expand(S, &t, (uint32_t)idx, path, &C);
        lo = hi;
        hi = t.n;
    }
    if (!S->stop) {
        S->r->exhausted = true;
        if (lo < hi)
            S->r->stopped_by = "depth";
    }
    free(C.v);
    free(path);
    free(t.v);
}

/* ---- Depth-first with iterative deepening and sleep sets ------------------------- */

static bool sleeping(const fl_step *sleep, size_t n, const fl_step *c)
{
    for (size_t i = 0; i < n; i++)
        if (same_choice(&sleep[i], c))
            return true;
    return false;
}

typedef struct dfs_frame {
    fl_step *path;
    int        limit;
    bool       cut;          /* some state sat at the limit with choices left */
} dfs_frame;

static void dfs(search *S, dfs_frame *f, exec *x, size_t len,
                const fl_step *sleep, size_t nsleep)
{
    choice_list C = {0};
    enumerate(S, x, &C);
    if (C.n == 0 || (int)len >= f->limit) {
        if (C.n == 0 || (int)len >= S->o->max_depth)
            check_leaf(S, x, f->path, len);
        f->cut |= C.n > 0;
        exec_free(x);
        free(C.v);
        return;
    }
    fl_step *child_sleep = malloc((nsleep + C.n + 1) * sizeof *child_sleep);
    fl_step *done = malloc((C.n + 1) * sizeof *done);
    size_t ndone = 0;
    bool x_used = false;
    for (size_t i = 0; child_sleep && done && i < C.n && !S->stop; i++) {
        const fl_step *c = &C.v[i];
        if (S->o->por && sleeping(sleep, nsleep, c)) {
            S->r->sleep_pruned++;
            continue;
        }
        size_t ns = 0;
        if (S->o->por) {
            for (size_t k = 0; k < nsleep; k++)
                if (independent(&sleep[k], c))
                    child_sleep[ns++] = sleep[k];
            for (size_t k = 0; k < ndone; k++)
                if (independent(&done[k], c))
                    child_sleep[ns++] = done[k];
        }
        exec y = *x;
        if (x_used && exec_replay(S, &y, f->path, len) < 0) {
            S->stop = true;
            break;
        }
        x_used = true;
        f->path[len] = *c;
        S->r->steps++;
        int rc = exec_apply(&y, c);
        if (rc >= 0 && evaluate(S, &y, rc, f->path, len + 1) && !S->stop)
            dfs(S, f, &y, len + 1, child_sleep, ns);
        else
            exec_free(&y);
        done[ndone++] = *c;
        check_budget(S, 0, len);
    }
    if (!x_used)
        exec_free(x);
    free(child_sleep);
    free(done);
    free(C.v);
}

static void run_dfs(search *S)
{
    fl_step *path = calloc((size_t)S->o->max_depth + 1, sizeof *path);
    if (!path) {
        S->stop = true;
        return;
    }
    for (int limit = 1; limit <= S->o->max_depth && !S->stop; limit++) {
        free(S->keys);
        free(S->depth_of);
        S->keys = NULL;
        S->depth_of = NULL;
        S->cap = S->used = 0;
        dfs_frame f = { .path = path, .limit = limit };
        exec root;
        if (exec_replay(S, &root, NULL, 0) < 0) {
            S->stop = true;
            break;
        }
        if (!evaluate(S, &root, fl_run_violation(root.run) ? 1 : 0, NULL, 0)) {
            exec_free(&root);
            break;
        }
        dfs(S, &f, &root, 0, NULL, 0);
        if (!S->stop && !f.cut) {
            S->r->exhausted = true;          /* nothing deeper to find */
            break;
        }
        if (!S->stop && limit == S->o->max_depth) {
            S->r->exhausted = true;
            S->r->stopped_by = "depth";
        }
    }
    free(path);
}

/* ---- Entry ---------------------------------------------------------------------- */

void fl_search_opts_default(fl_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->bfs = true;
    o->por = true;
    o->max_depth = 12;
    o->max_states = 1000000;
    o->max_seconds = 60;
    o->max_memory_mb = 1024;
    o->ops = 1;
    o->timer_kinds = (1u << FL_TIMER_KIND_COUNT) - 1;
    o->check_lin = true;
}

int fl_search(const fl_scenario *s, const fl_algorithm *alg, const fl_search_opts *o,
              fl_search_result *r, fl_error *err)
{
    memset(r, 0, sizeof *r);
    search S = { .s = s, .alg = alg, .o = o, .r = r, .err = err, .leader_depth = -1 };
    S.start = S.last_progress = now_s();
    double cpu0 = cpu_s();
    err->msg[0] = '\0';
    if (o->bfs)
        run_bfs(&S);
    else
        run_dfs(&S);
    r->seconds = now_s() - S.start;
    r->cpu_seconds = cpu_s() - cpu0;
    free(S.keys);
    free(S.depth_of);
    if (err->msg[0])
        return -1;
    /* Judged once every schedule was followed to the bound, or to its end
     * (a space exhausted short of the bound has no longer schedules). */
    bool judged = r->depth >= o->leader_within || (r->exhausted && !r->stopped_by);
    if (!r->violation && o->leader_within > 0 && judged &&
        (S.leader_depth < 0 || S.leader_depth > o->leader_within)) {
        r->violation = true;
        snprintf(r->check, sizeof r->check, "liveness.leader");
        snprintf(r->msg, sizeof r->msg, "no schedule of at most %d steps elects a leader",
                 o->leader_within);
    }
    return 0;
}

int fl_search_choices(const fl_scenario *s, const fl_algorithm *alg,
                      const fl_search_opts *o, fl_step **out, size_t *n, fl_error *err)
{
    fl_search_result r;
    memset(&r, 0, sizeof r);
    search S = { .s = s, .alg = alg, .o = o, .r = &r, .err = err, .leader_depth = -1 };
    err->msg[0] = '\0';
    *out = NULL;
    *n = 0;
    exec x;
    if (exec_replay(&S, &x, NULL, 0) < 0)
        return -1;
    choice_list C = {0};
    enumerate(&S, &x, &C);
    exec_free(&x);
    *out = C.v;
    *n = C.n;
    return 0;
}

void fl_search_result_free(fl_search_result *r)
{
    free(r->path);
    r->path = NULL;
    r->path_len = 0;
}

/* ---- A search test, as a run in a batch ---------------------------------------- */

void fl_search_job(fl_scenario *s, const char *impl, uint64_t seed,
                   const fl_search_opts *o, fl_outcome *out)
{
    const fl_algorithm *alg = fl_outcome_bind_job(s, impl, out);
    if (!alg)
        return;
    s->seed = seed;
    fl_error err = { { 0 } };
    fl_search_result r;
    if (fl_search(s, alg, o, &r, &err) < 0) {
        out->kind = FL_OUT_ERROR;
        snprintf(out->check, sizeof out->check, "error");
        snprintf(out->detail, sizeof out->detail, "search: %s", err.msg);
        return;
    }
    out->events = r.states;
    if (r.violation) {
        out->kind = FL_OUT_CHECK;
        snprintf(out->check, sizeof out->check, "%s", r.check);
        snprintf(out->detail, sizeof out->detail,
                 "search found a schedule of %zu steps that breaks %s: %s", r.path_len,
                 r.check, r.msg);
    } else {
        out->kind = FL_OUT_PASS;
        snprintf(out->detail, sizeof out->detail, "search: no violation in %llu states (%s)",
                 (unsigned long long)r.states,
                 r.exhausted && !r.stopped_by ? "the whole space within the bounds"
                                              : "stopped by a budget");
    }
    fl_search_result_free(&r);
}

/* Appends to buf (capacity len, *at used), keeping it NUL-ended. */
static void appendf(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
    if (*at >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *at, len - *at, fmt, ap);
    va_end(ap);
    if (n > 0)
        *at = *at + (size_t)n < len ? *at + (size_t)n : len;
}

size_t fl_search_opts_format(const fl_search_opts *o, char *buf, size_t len)
{
    size_t at = 0;
    if (len)
        buf[0] = '\0';
    appendf(buf, len, &at, "%s --depth %d --max-states %llu --time %g --memory %zu --timers %s",
            o->bfs ? "--bfs" : o->por ? "--dfs" : "--dfs --no-por", o->max_depth,
            (unsigned long long)o->max_states, o->max_seconds, o->max_memory_mb,
            o->timers_in_order ? "ordered" : "any");
    const struct { const char *name; int v; } budgets[] = {
        { "slack", (int)(o->slack / FL_MS(1)) }, { "drops", o->drops }, { "dups", o->dups },
        { "crashes", o->crashes }, { "torn", o->torn }, { "restarts", o->restarts },
        { "leader-within", o->leader_within },
    };
    for (size_t i = 0; i < sizeof budgets / sizeof *budgets; i++)
        if (budgets[i].v > 0)
            appendf(buf, len, &at, " --%s %d", budgets[i].name, budgets[i].v);
    if (o->ops != 1)
        appendf(buf, len, &at, " --ops %d", o->ops);
    if (o->timer_kinds != (1u << FL_TIMER_KIND_COUNT) - 1) {
        const char *sep = " --timer-kinds ";
        for (int k = 0; k < FL_TIMER_KIND_COUNT; k++)
            if (o->timer_kinds & (1u << k)) {
                appendf(buf, len, &at, "%s%s", sep, fl_manual_timer_kind_name((fl_timer_kind)k));
                sep = ",";
            }
        if (!o->timer_kinds)
            appendf(buf, len, &at, " --timer-kinds none");
    }
    if (!o->check_lin)
        appendf(buf, len, &at, " --no-lin");
    return at;
}
