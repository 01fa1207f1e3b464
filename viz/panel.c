/* panel.c — the side panel: the run (scenario, algorithm, seed, source),
 * the selected node's details from its view, the recent events (the
 * selected node's, or all), the client operations with their outcome, and
 * the verdicts (invariants; linearizability after a live run). */
#include "viz/draw.h"
#include "viz/alg_view.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim/history.h"

typedef struct panel_ctx {
    viz_gfx          *g;
    const viz_layout *l;
    const viz_frame  *f;
    float             x, y, w, s, line;
} panel_ctx;

static void text_line(panel_ctx *p, viz_font font, const char *s, viz_rgba c)
{
    viz_gfx_text_fit(p->g, font, s, p->x, p->y, p->w, c);
    p->y += p->line;
}

static void heading(panel_ctx *p, const char *s)
{
    p->y += 6 * p->s;
    viz_geom_rect(&p->g->geom, p->x, p->y, p->w, 1, VIZ_BORDER);
    p->y += 6 * p->s;
    viz_gfx_text(p->g, VIZ_FONT_BOLD, s, p->x, p->y, VIZ_TEXT, VIZ_LEFT);
    p->y += p->line + 3 * p->s;
}

/* ---- The run ------------------------------------------------------------------ */

static void draw_title(panel_ctx *p)
{
    const viz_model *m = p->f->m;
    char buf[256];
    viz_gfx_text(p->g, VIZ_FONT_TITLE, viz_model_scenario(m), p->x, p->y, VIZ_TEXT, VIZ_LEFT);
    p->y += 22 * p->s;
    /* the seed as scenarios usually write it: decimal, hex when it is big */
    uint64_t seed = viz_model_seed(m);
    if (seed < (UINT64_C(1) << 32))
        snprintf(buf, sizeof buf, "%s \xc2\xb7 seed %" PRIu64 " \xc2\xb7 %s", viz_model_algorithm(m),
                 seed, p->f->live ? "live run" : "trace replay");
    else
        snprintf(buf, sizeof buf, "%s \xc2\xb7 seed 0x%" PRIx64 " \xc2\xb7 %s", viz_model_algorithm(m),
                 seed, p->f->live ? "live run" : "trace replay");
    text_line(p, VIZ_FONT_SMALL, buf, VIZ_DIM);
    const char *src = p->f->source ? strrchr(p->f->source, '/') : NULL;
    snprintf(buf, sizeof buf, "%s%s", src ? src + 1 : p->f->source ? p->f->source : "",
             p->f->added ? "  (+ faults added by hand)" : "");
    text_line(p, VIZ_FONT_SMALL, buf, VIZ_FAINT);
}

/* ---- The selected node ------------------------------------------------------------ */

static void peer_list(panel_ctx *p, const char *label, const int64_t *vals, fl_node_id self,
                      bool votes)
{
    bool any = false;
    for (size_t i = 0; i < viz_model_node_count(p->f->m); i++)
        any |= (fl_node_id)i != self && viz_model_is_primary(p->f->m, (fl_node_id)i) &&
               vals[i] >= 0;
    if (!any && !votes)
        return;                          /* nothing filled in */
    char buf[256];
    size_t used = (size_t)snprintf(buf, sizeof buf, "%s", label);
    for (size_t i = 0; i < viz_model_node_count(p->f->m) && used < sizeof buf - 24; i++) {
        if (!viz_model_is_primary(p->f->m, (fl_node_id)i) || (fl_node_id)i == self)
            continue;
        char name[16];
        viz_node_name(p->f->m, (fl_node_id)i, name, sizeof name);
        if (votes)
            used += (size_t)snprintf(buf + used, sizeof buf - used, " %s%s", name,
                                     vals[i] == 1 ? "\xe2\x9c\x93" : vals[i] == 0 ? "\xe2\x9c\x97" : "?");
        else
            used += (size_t)snprintf(buf + used, sizeof buf - used, " %s:%lld", name,
                                     (long long)vals[i]);
    }
    text_line(p, VIZ_FONT_SMALL, buf, VIZ_DIM);
}

/* The algorithm's own rows for this node's role (its viz table). */
static bool table_rows(panel_ctx *p, fl_node_id id, const viz_view *v)
{
    const fl_viz_table *t = viz_alg_table(p->f->m);
    bool any = false;
    for (const fl_viz_row *row = t->rows; row && row->label; row++) {
        char val[64], buf[160];
        bool alarm;
        if (!viz_alg_row_for(p->f->m, row, id) ||
            !viz_alg_row(p->f->m, t, row, v, val, sizeof val, &alarm))
            continue;
        snprintf(buf, sizeof buf, "%s: %s", row->label, val);
        text_line(p, VIZ_FONT_NORMAL, buf, alarm ? VIZ_BAD : VIZ_TEXT);
        any = true;
    }
    return any;
}

/* "-1" never reaches the screen: "none". */
static void index_text(int64_t x, char *buf, size_t len)
{
    if (x < 0)
        snprintf(buf, len, "none");
    else
        snprintf(buf, len, "%lld", (long long)x);
}

static void view_details(panel_ctx *p, fl_node_id id, const viz_view *v)
{
    if (table_rows(p, id, v)) {
        if (viz_alg_table(p->f->m)->logs && v->log_last >= 0) {
            char buf[160], c[24];
            index_text(v->commit, c, sizeof c);
            snprintf(buf, sizeof buf, "log %lld..%lld \xc2\xb7 chosen/committed %s",
                     (long long)v->log_first, (long long)v->log_last, c);
            text_line(p, VIZ_FONT_SMALL, buf, VIZ_DIM);
        }
        return;
    }
    char buf[256], who[16] = "none", voted[16] = "nobody";
    if (v->leader >= 0)
        viz_node_name(p->f->m, v->leader, who, sizeof who);
    if (v->voted_for >= 0)
        viz_node_name(p->f->m, v->voted_for, voted, sizeof voted);
    char term[24], commit[24], applied[24];
    index_text(v->term, term, sizeof term);
    index_text(v->commit, commit, sizeof commit);
    index_text(v->applied, applied, sizeof applied);
    snprintf(buf, sizeof buf, "term %s \xc2\xb7 leader %s \xc2\xb7 voted for %s", term, who,
             voted);
    text_line(p, VIZ_FONT_NORMAL, buf, VIZ_TEXT);
    if (v->log_last < 0)
        snprintf(buf, sizeof buf, "log empty \xc2\xb7 commit %s", commit);
    else
        snprintf(buf, sizeof buf, "log %lld..%lld \xc2\xb7 commit %s \xc2\xb7 applied %s",
                 (long long)v->log_first, (long long)v->log_last, commit, applied);
    text_line(p, VIZ_FONT_NORMAL, buf, VIZ_TEXT);
    const viz_scalar *sc = viz_model_scalars(p->f->m, v);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < v->nscalars && used < sizeof buf - 40; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s %lld", i ? " \xc2\xb7 " : "",
                                 sc[i].name ? sc[i].name : "?", (long long)sc[i].value);
    if (used)
        text_line(p, VIZ_FONT_SMALL, buf, VIZ_DIM);
    const int64_t *match = viz_model_ints(p->f->m, v->match);
    const int64_t *next = viz_model_ints(p->f->m, v->next);
    const int64_t *votes = viz_model_ints(p->f->m, v->votes);
    if (match && v->kind == FL_VIEW_LEADER)      /* else a vector: the Nodes pane */
        peer_list(p, "match", match, id, false);
    if (next && v->kind == FL_VIEW_LEADER)
        peer_list(p, "next ", next, id, false);
    if (votes && v->kind == FL_VIEW_CANDIDATE)
        peer_list(p, "votes", votes, id, true);
}

/* A node's table rows on one line: "S2: lock holder C4 · token 16". */
static void compact_rows(panel_ctx *p, fl_node_id id, const viz_view *v)
{
    const fl_viz_table *t = viz_alg_table(p->f->m);
    char buf[256], name[16];
    viz_node_name(p->f->m, id, name, sizeof name);
    size_t used = (size_t)snprintf(buf, sizeof buf, "%s:", name), n = 0;
    bool alarm_any = false;
    for (const fl_viz_row *row = t->rows; row && row->label && used < sizeof buf - 60; row++) {
        char val[48];
        bool alarm;
        if (!viz_alg_row_for(p->f->m, row, id) ||
            !viz_alg_row(p->f->m, t, row, v, val, sizeof val, &alarm))
            continue;
        alarm_any |= alarm;
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s %s %s", n++ ? " \xc2\xb7" : "",
                                 row->label, val);
    }
    if (n)
        text_line(p, VIZ_FONT_SMALL, buf, alarm_any ? VIZ_BAD : VIZ_DIM);
}

/* Replicas' values side by side, and whether they agree. */
static void agreement(panel_ctx *p, const char *scalar)
{
    const viz_frame *f = p->f;
    char buf[200];
    size_t used = (size_t)snprintf(buf, sizeof buf, "replicas' %s:", scalar);
    int64_t first = 0;
    bool have = false, differ = false;
    for (size_t i = 0; i < f->st->nnodes && used < sizeof buf - 24; i++) {
        const viz_view *v = viz_frame_view(f, (fl_node_id)i);
        int64_t x;
        if (!viz_model_is_primary(f->m, (fl_node_id)i) || !v || !f->st->nodes[i].alive ||
            !viz_view_scalar(f->m, v, scalar, &x))
            continue;
        differ |= have && x != first;
        if (!have)
            first = x;
        have = true;
        used += (size_t)snprintf(buf + used, sizeof buf - used, " %lld", (long long)x);
    }
    if (!have)
        return;
    text_line(p, VIZ_FONT_NORMAL, buf, VIZ_TEXT);
    text_line(p, VIZ_FONT_NORMAL, differ ? "diverged: replicas disagree (for now)"
                                         : "converged: every live replica agrees",
              differ ? VIZ_ORANGE : VIZ_OK);
}

/* With no node selected: the cluster at a glance. */
static void draw_summary(panel_ctx *p)
{
    const viz_frame *f = p->f;
    size_t up = 0, down = 0, paused = 0, prim = 0;
    for (size_t i = 0; i < f->st->nnodes; i++) {
        if (!viz_model_is_primary(f->m, (fl_node_id)i))
            continue;
        prim++;
        up += f->st->nodes[i].alive;
        down += f->st->nodes[i].booted && !f->st->nodes[i].alive;
        paused += f->st->nodes[i].paused;
    }
    heading(p, "Cluster");
    char buf[160], name[16];
    const fl_viz_table *t = viz_alg_table(f->m);
    fl_node_id leader = viz_frame_leader(f);
    const viz_view *lv = viz_frame_view(f, leader);
    viz_node_name(f->m, leader, name, sizeof name);
    if (t->leader_word) {
        char term[48] = "", commit[24];
        if (lv)
            viz_alg_term(f->m, t, lv->term, term, sizeof term);
        index_text(lv ? lv->commit : -1, commit, sizeof commit);
        if (lv && t->term_word)
            snprintf(buf, sizeof buf, "%s %s, %s %s \xc2\xb7 %s %s", t->leader_word, name,
                     t->term_word, term, t->logs ? "committed" : "done", commit);
        else if (lv)
            snprintf(buf, sizeof buf, "%s %s \xc2\xb7 %s", t->leader_word, name,
                     lv->label ? lv->label : "");
        else
            snprintf(buf, sizeof buf, "no %s", t->leader_word);
        text_line(p, VIZ_FONT_NORMAL, buf, lv ? VIZ_TEXT : VIZ_ORANGE);
    }
    if (t->agree_scalar)
        agreement(p, t->agree_scalar);
    if (lv)
        compact_rows(p, leader, lv);
    for (size_t i = 0; i < f->st->nnodes; i++) {       /* e.g. the lock's storage */
        const viz_view *v = viz_frame_view(f, (fl_node_id)i);
        if (v && v->kind == FL_VIEW_OTHER && !viz_model_is_primary(f->m, (fl_node_id)i))
            compact_rows(p, (fl_node_id)i, v);
    }
    snprintf(buf, sizeof buf, "%zu of %zu servers up, %zu crashed, %zu paused", up, prim,
             down, paused);
    text_line(p, VIZ_FONT_NORMAL, buf, VIZ_TEXT);
    text_line(p, VIZ_FONT_SMALL, "click a node (or its log row) for its details", VIZ_FAINT);
}

static void draw_node_details(panel_ctx *p)
{
    fl_node_id id = p->f->selected;
    char name[16], buf[160];
    if (id == FL_NO_NODE) {
        draw_summary(p);
        return;
    }
    viz_node_name(p->f->m, id, name, sizeof name);
    const viz_node_state *ns = &p->f->st->nodes[id];
    const viz_view *v = viz_frame_view(p->f, id);
    snprintf(buf, sizeof buf, "Node %s (%s) \xe2\x80\x94 %s%s", name, viz_model_role(p->f->m, id),
             !ns->booted ? "not started" : !ns->alive ? "crashed" : v && v->label ? v->label
             : "up", ns->paused ? ", paused" : "");
    heading(p, buf);
    if (v && ns->alive && v->kind != FL_VIEW_CLIENT)
        view_details(p, id, v);
    else if (v && ns->alive)
        text_line(p, VIZ_FONT_SMALL, "a client: its operations are listed below", VIZ_DIM);
}

/* ---- Events ------------------------------------------------------------------------- */

static bool interesting(const viz_event *ev)
{
    return ev->type != FL_TR_VIEW && ev->type != FL_TR_SYNC &&
           !(ev->type == FL_TR_TIMER && ev->a != FL_TIMER_ELECTION &&
             ev->a != FL_TIMER_HEARTBEAT);
}

static const char *timer_name(int64_t kind)
{
    static const char *const names[] = { "election", "heartbeat", "retry", "lease",
                                         "tick", "other" };
    return kind >= 0 && kind < FL_TIMER_KIND_COUNT ? names[kind] : "?";
}

static void format_event(const viz_model *m, const viz_event *ev, char *buf, size_t len)
{
    char a[16], b[16];
    viz_node_name(m, ev->node, a, sizeof a);
    viz_node_name(m, ev->peer, b, sizeof b);
    int n = snprintf(buf, len, "%9.3f ", (double)ev->t / 1e6);
    const char *type = fl_trace_type_name(ev->type);
    const viz_msg *g = viz_model_msg(m, ev->aux);
    const char *text = viz_model_text(m, ev->text);
    switch (ev->type) {
    case FL_TR_SEND: case FL_TR_DROP: case FL_TR_DUPLICATE:
        snprintf(buf + n, len - (size_t)n, "%-7s %s\xe2\x86\x92%s %s%s", type, a, b,
                 g ? viz_model_kind_name(m, g->kind) : "?",
                 g && g->ok == 1 ? " +" : g && g->ok == 0 ? " -" : "");
        if (ev->type == FL_TR_DROP && g)
            snprintf(buf + strlen(buf), len - strlen(buf), " (%s)",
                     viz_drop_reason_code((viz_drop_reason)g->why));
        break;
    case FL_TR_DELIVER:
        snprintf(buf + n, len - (size_t)n, "%-7s %s\xe2\x86\x90%s %s%s", "recv", a, b,
                 g ? viz_model_kind_name(m, g->kind) : "?",
                 g && g->ok == 1 ? " +" : g && g->ok == 0 ? " -" : "");
        break;
    case FL_TR_TIMER:
        snprintf(buf + n, len - (size_t)n, "%-7s %s %s", "timer", a, timer_name(ev->a));
        break;
    case FL_TR_INVOKE:
        snprintf(buf + n, len - (size_t)n, "%-7s %s %s", "invoke", a,
                 fl_op_kind_name((fl_op_kind)ev->a));
        break;
    case FL_TR_COMPLETE:
        snprintf(buf + n, len - (size_t)n, "%-7s %s %s", "done", a,
                 fl_hist_type_name((fl_hist_type)ev->a));
        break;
    default:
        snprintf(buf + n, len - (size_t)n, "%-7s %s %s", type, ev->node >= 0 ? a : "",
                 text ? text : "");
        break;
    }
}

static viz_rgba event_color(const viz_event *ev)
{
    switch (ev->type) {
    case FL_TR_DROP: return VIZ_CUT;
    case FL_TR_CRASH: case FL_TR_RESTART: case FL_TR_PAUSE: case FL_TR_RESUME:
    case FL_TR_PARTITION: case FL_TR_HEAL: case FL_TR_LINK: case FL_TR_CLOCK:
        return viz_fault_color(ev->type);
    case FL_TR_LOG: return VIZ_YELLOW;
    case FL_TR_TIMER: return VIZ_ORANGE;
    default: return VIZ_DIM;
    }
}

static void draw_events(panel_ctx *p, float bottom)
{
    const viz_frame *f = p->f;
    fl_node_id sel = f->all_events ? FL_NO_NODE : f->selected;
    char buf[200], name[16];
    viz_node_name(f->m, sel, name, sizeof name);
    snprintf(buf, sizeof buf, "Recent events%s%s", sel == FL_NO_NODE ? " (all nodes)" : " of ",
             sel == FL_NO_NODE ? "" : name);
    heading(p, buf);
    float lh = 14 * p->s;
    int rows = (int)((bottom - p->y) / lh);
    if (rows <= 0)
        return;
    const viz_event *pick[64];
    int n = 0;
    for (size_t i = f->idx; i > 0 && n < rows && n < 64; i--) {
        const viz_event *ev = viz_model_event(f->m, i - 1);
        if (interesting(ev) && (sel == FL_NO_NODE || ev->node == sel || ev->peer == sel))
            pick[n++] = ev;
        if (f->idx - i > 20000)
            break;                       /* far enough back */
    }
    for (int k = n - 1; k >= 0; k--) {
        format_event(f->m, pick[k], buf, sizeof buf);
        viz_gfx_text_fit(p->g, VIZ_FONT_MONO, buf, p->x, p->y, p->w, event_color(pick[k]));
        p->y += lh;
    }
    p->y = bottom;
}

/* ---- Client operations ----------------------------------------------------------------- */

static void value_text(int64_t v, char *buf, size_t len)
{
    if (v == FL_NIL)
        snprintf(buf, len, "nil");
    else
        snprintf(buf, len, "%lld", (long long)v);
}

/* "C5 write 42", "C6 cas from nil", "C7 read -> 17" */
static void op_text(const viz_model *m, const viz_op *o, bool done, char *buf, size_t len)
{
    char who[16], arg[24], res[24];
    viz_node_name(m, o->client, who, sizeof who);
    value_text(o->arg, arg, sizeof arg);
    value_text(o->value, res, sizeof res);
    const char *kind = fl_op_kind_name(o->kind);
    if (o->kind == FL_OP_READ && done && o->outcome == FL_HIST_OK)
        snprintf(buf, len, "%s %s \xe2\x86\x92 %s", who, kind, res);
    else if (o->kind == FL_OP_READ)
        snprintf(buf, len, "%s %s", who, kind);
    else if (o->kind == FL_OP_CAS && done && o->outcome == FL_HIST_OK)
        snprintf(buf, len, "%s %s from %s: %s", who, kind, arg, o->value ? "swapped" : "no");
    else if (o->kind == FL_OP_CAS)
        snprintf(buf, len, "%s %s from %s", who, kind, arg);
    else
        snprintf(buf, len, "%s %s %s", who, kind, arg);
}

static void op_line(panel_ctx *p, const viz_op *o, fl_time t)
{
    char buf[160];
    bool done = o->outcome >= 0 && o->t1 <= t;
    op_text(p->f->m, o, done, buf, sizeof buf);
    viz_gfx_text_fit(p->g, VIZ_FONT_SMALL, buf, p->x, p->y, p->w - 90 * p->s, VIZ_TEXT);
    viz_rgba c = !done ? VIZ_DIM : o->outcome == FL_HIST_OK ? VIZ_OK
               : o->outcome == FL_HIST_FAIL ? VIZ_BAD : VIZ_ORANGE;
    if (done)
        snprintf(buf, sizeof buf, "%s  %.1f ms", fl_hist_type_name((fl_hist_type)o->outcome),
                 (double)(o->t1 - o->t0) / 1e6);
    else
        snprintf(buf, sizeof buf, "pending %.0f ms", (double)(t - o->t0) / 1e6);
    viz_gfx_text(p->g, VIZ_FONT_SMALL, buf, p->x + p->w, p->y, c, VIZ_RIGHT);
    p->y += 14 * p->s;
}

static void draw_ops(panel_ctx *p, int rows)
{
    const viz_model *m = p->f->m;
    size_t n = viz_model_ops_until(m, p->f->t), ok = 0, fail = 0, info = 0;
    for (size_t i = 0; i < n; i++) {
        const viz_op *o = viz_model_op(m, i);
        if (o->outcome < 0 || o->t1 > p->f->t)
            continue;
        ok += o->outcome == FL_HIST_OK;
        fail += o->outcome == FL_HIST_FAIL;
        info += o->outcome == FL_HIST_INFO;
    }
    char buf[128];
    snprintf(buf, sizeof buf, "Client operations \xe2\x80\x94 %zu ok, %zu fail, %zu info", ok, fail, info);
    heading(p, buf);
    size_t first = n > (size_t)rows ? n - (size_t)rows : 0;
    for (size_t i = first; i < n; i++)
        op_line(p, viz_model_op(m, i), p->f->t);
    if (!n)
        text_line(p, VIZ_FONT_SMALL, "none yet", VIZ_FAINT);
}

static void draw_verdict(panel_ctx *p)
{
    const viz_frame *f = p->f;
    char buf[256];
    heading(p, "Checks");
    if (f->violation) {
        snprintf(buf, sizeof buf, "invariant violated: %s", f->violation);
        text_line(p, VIZ_FONT_NORMAL, buf, VIZ_BAD);
        text_line(p, VIZ_FONT_SMALL, "press v: jump to it and show the messages that led there",
                  VIZ_DIM);
    } else if (f->live) {
        text_line(p, VIZ_FONT_NORMAL, f->verdict ? "invariants held" : "invariants hold so far",
                  VIZ_OK);
    } else {
        text_line(p, VIZ_FONT_SMALL, "replay: checks are in the run's own output", VIZ_DIM);
    }
    if (f->verdict)
        text_line(p, VIZ_FONT_NORMAL, f->verdict,
                  strstr(f->verdict, "NOT") || strstr(f->verdict, "FAILED") ? VIZ_BAD
                  : strcmp(f->verdict, "linearizable") == 0 ? VIZ_OK : VIZ_DIM);
    else if (f->live && viz_alg_table(f->m)->linearizable)
        text_line(p, VIZ_FONT_SMALL, "linearizability: checked when the run ends", VIZ_DIM);
    if (f->hash) {
        snprintf(buf, sizeof buf, "trace hash 0x%016llx", (unsigned long long)f->hash);
        text_line(p, VIZ_FONT_SMALL, buf, VIZ_DIM);
    }
}

void viz_draw_panel(viz_gfx *g, const viz_layout *l, const viz_frame *f)
{
    float s = l->s;
    viz_geom_rect(&g->geom, l->panel.x, l->panel.y, l->panel.w, l->panel.h, VIZ_PANEL);
    viz_geom_rect(&g->geom, l->panel.x, l->panel.y, 1, l->panel.h, VIZ_BORDER);
    panel_ctx p = { g, l, f, l->panel.x + 14 * s, l->panel.y + 12 * s,
                    l->panel.w - 28 * s, s, 16 * s };
    draw_title(&p);
    draw_node_details(&p);
    float ops_h = (8 + 1) * 14 * s + 30 * s, checks_h = 3 * p.line + 24 * s;
    draw_events(&p, l->panel.y + l->panel.h - ops_h - checks_h - 14 * s);
    draw_ops(&p, 8);
    draw_verdict(&p);
}
