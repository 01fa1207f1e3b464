/* interaction.c — runs interaction test files (see interaction.h). */
#include "tests/interaction.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/engine.h"
#include "sim/manual.h"
#include "sim/run/invcheck.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"
#include "sim/util/file.h"

#define IX_MAX_NODES 16
#define IX_LINE      256

/* ---- Output buffer ------------------------------------------------------ */

typedef struct ix_out {
    char  *buf;
    size_t len, cap;
} ix_out;

static void out_printf(ix_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_printf(ix_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (o->len + (size_t)n + 1 > o->cap) {
        size_t cap = (o->cap + (size_t)n + 1) * 2;
        char *b = realloc(o->buf, cap);
        if (!b)
            return;
        o->buf = b;
        o->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    o->len += (size_t)n;
}

/* ---- The cluster ---------------------------------------------------------- */

typedef struct ix_cluster {
    const fl_algorithm *alg;
    fl_scenario *scn;
    fl_engine   *e;
    fl_manual   *m;
    fl_invcheck *ic;
    fl_node_id   client;
    size_t       nnodes;
    uint64_t     last_msg;          /* highest message id already shown */
    uint64_t     next_seq;          /* of the client's requests */
    bool         violation_shown;
    char         show[IX_LINE];      /* view scalars shown in summaries */
    char         summary[IX_MAX_NODES][IX_LINE];
} ix_cluster;

static void cluster_free(ix_cluster *c)
{
    fl_manual_free(c->m);
    fl_engine_free(c->e);
    fl_invcheck_free(c->ic);
    fl_scenario_free(c->scn);
    memset(c, 0, sizeof *c);
}

static const char *kind_name(fl_view_kind k)
{
    static const char *const names[] = { "none", "follower", "candidate",
                                         "leader", "client", "other" };
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static void fmt_id(char *buf, size_t len, int64_t v)
{
    if (v < 0)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%" PRId64, v);
}

/* Whether boot's show=NAME,... asked for this view scalar in summaries. */
static bool shows(const ix_cluster *c, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = c->show; (p = strstr(p, name)) != NULL; p += n)
        if ((p == c->show || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

static void view_summary(const ix_cluster *c, fl_node_id n, bool all_scalars,
                         char *buf, size_t len)
{
    const fl_view *v = fl_engine_node_view(c->e, n);
    if (!fl_engine_node_alive(c->e, n) || !v) {
        snprintf(buf, len, "%d: down", (int)n);
        return;
    }
    char term[24], leader[24], vote[24], first[24], last[24], commit[24], applied[24];
    fmt_id(term, sizeof term, v->term);
    fmt_id(leader, sizeof leader, v->leader);
    fmt_id(vote, sizeof vote, v->voted_for);
    fmt_id(first, sizeof first, v->log_first);
    fmt_id(last, sizeof last, v->log_last);
    fmt_id(commit, sizeof commit, v->commit);
    fmt_id(applied, sizeof applied, v->applied);
    bool label = v->label && strcmp(v->label, kind_name(v->kind)) != 0;
    int k = snprintf(buf, len, "%d: %s%s%s term=%s leader=%s vote=%s log=%s..%s commit=%s applied=%s",
                     (int)n, kind_name(v->kind), label ? "/" : "", label ? v->label : "",
                     term, leader, vote, first, last, commit, applied);
    for (size_t i = 0; i < v->nscalars && k > 0 && (size_t)k < len; i++)
        if (all_scalars || shows(c, v->scalars[i].name))
            k += snprintf(buf + k, len - (size_t)k, " %s=%" PRId64,
                          v->scalars[i].name, v->scalars[i].value);
}

static void snapshot(ix_cluster *c)
{
    for (size_t n = 0; n < c->nnodes; n++)
        view_summary(c, (fl_node_id)n, false, c->summary[n], IX_LINE);
}

static void fmt_value(char *buf, size_t len, int64_t v)
{
    if (v == FL_NIL)
        snprintf(buf, len, "nil");
    else
        snprintf(buf, len, "%" PRId64, v);
}

static void describe_pending(const fl_pending *p, char *buf, size_t len)
{
    if (p->kind == FL_PENDING_TIMER) {
        snprintf(buf, len, "timer %d %s", (int)p->node, p->what);
        return;
    }
    if (p->client && p->is_reply) {
        static const char *const st[] = { "ok", "fail", "redirect", "unknown" };
        char val[32];
        fmt_value(val, sizeof val, p->value);
        if (p->status == FL_STATUS_REDIRECT)
            snprintf(buf, len, "%d->%d Reply redirect hint=%d", (int)p->from, (int)p->to, (int)p->hint);
        else
            snprintf(buf, len, "%d->%d Reply %s value=%s", (int)p->from, (int)p->to,
                     (unsigned)p->status < 4 ? st[p->status] : "?", val);
        return;
    }
    if (p->client) {
        static const char *const ops[] = { "read", "write", "cas", "add", "acquire", "release" };
        const fl_op *op = &p->request.op;
        snprintf(buf, len, "%d->%d Request %s key=%u arg=%" PRId64 " arg2=%" PRId64,
                 (int)p->from, (int)p->to,
                 (unsigned)op->kind < 6 ? ops[op->kind] : "?", op->key, op->arg, op->arg2);
        return;
    }
    int k = snprintf(buf, len, "%d->%d %s", (int)p->from, (int)p->to, p->what);
    if (p->term >= 0 && k > 0 && (size_t)k < len)
        k += snprintf(buf + k, len - (size_t)k, " term=%" PRId64, p->term);
    if (p->is_reply && p->ok >= 0 && k > 0 && (size_t)k < len)
        snprintf(buf + k, len - (size_t)k, p->ok ? " ok" : " refused");
}

/* What an action did: new messages, changed views, a violation. */
static void report_since(ix_cluster *c, ix_out *o, size_t lost_at_send, size_t before)
{
    uint64_t top = c->last_msg;
    for (size_t i = 0; i < fl_manual_count(c->m); i++) {
        const fl_pending *p = fl_manual_at(c->m, i);
        if (p->kind != FL_PENDING_MESSAGE || p->id <= c->last_msg)
            continue;
        char line[IX_LINE];
        describe_pending(p, line, sizeof line);
        out_printf(o, "%s\n", line);
        if (p->id > top)
            top = p->id;
    }
    c->last_msg = top;
    if (lost_at_send)
        out_printf(o, "lost at send (partition): %zu\n", lost_at_send);
    for (size_t n = 0; n < c->nnodes; n++) {
        if ((fl_node_id)n == c->client)
            continue;
        char now[IX_LINE];
        view_summary(c, (fl_node_id)n, false, now, sizeof now);
        if (strcmp(now, c->summary[n]) != 0) {
            out_printf(o, "%s\n", now);
            memcpy(c->summary[n], now, sizeof now);
        }
    }
    const fl_violation *v = c->ic ? fl_invcheck_violation(c->ic) : NULL;
    if (v && !c->violation_shown) {
        out_printf(o, "VIOLATION %s (node %d): %s\n", v->name, (int)v->node, v->msg);
        c->violation_shown = true;
    }
    if (o->len == before)
        out_printf(o, "ok\n");
}

static void report(ix_cluster *c, ix_out *o, size_t lost_at_send)
{
    report_since(c, o, lost_at_send, o->len);
}

/* ---- Booting ---------------------------------------------------------------- */

static char *boot_scenario(const char *alg, const char *spec, const char *params,
                           const char *bugs_json)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *nodes = cJSON_CreateObject();
    cJSON *p = params && *params ? cJSON_Parse(params) : cJSON_CreateObject();
    if (!root || !nodes || !p) {
        cJSON_Delete(root);
        cJSON_Delete(nodes);
        cJSON_Delete(p);
        return NULL;
    }
    if (bugs_json) {
        cJSON *b = cJSON_Parse(bugs_json);
        if (b)
            cJSON_ReplaceItemInObject(p, "bugs", b), (void)0;
        if (b && !cJSON_GetObjectItem(p, "bugs"))
            cJSON_AddItemToObject(p, "bugs", b);
    }
    char copy[IX_LINE];
    snprintf(copy, sizeof copy, "%s", spec);
    if (strchr(copy, '=')) {
        for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
            char *eq = strchr(tok, '=');
            if (eq) {
                *eq = '\0';
                cJSON_AddNumberToObject(nodes, tok, atoi(eq + 1));
            }
        }
    } else {
        const fl_algorithm *a = fl_registry_find(alg);
        cJSON_AddNumberToObject(nodes, a && a->roles ? a->roles[0].name : "server", atoi(copy));
    }
    cJSON_AddNumberToObject(nodes, "client", 1);
    cJSON_AddStringToObject(root, "name", "interaction");
    cJSON_AddStringToObject(root, "algorithm", alg);
    cJSON_AddItemToObject(root, "params", p);
    cJSON_AddItemToObject(root, "nodes", nodes);
    cJSON_AddNumberToObject(root, "duration_ms", 1e9);
    cJSON_AddNumberToObject(root, "seed", 1);
    cJSON *net = cJSON_AddObjectToObject(root, "network");
    cJSON *lat = cJSON_AddObjectToObject(net, "latency");
    cJSON_AddStringToObject(lat, "dist", "constant");
    cJSON_AddNumberToObject(lat, "ms", 1);
    cJSON *disk = cJSON_AddObjectToObject(root, "disk");
    cJSON *sync = cJSON_AddObjectToObject(disk, "sync");
    cJSON_AddStringToObject(sync, "dist", "constant");
    cJSON_AddNumberToObject(sync, "ms", 0);
    cJSON *wl = cJSON_AddObjectToObject(root, "workload");
    cJSON_AddNumberToObject(wl, "clients", 1);
    cJSON_AddNumberToObject(wl, "rate_per_s", 0.001);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}

static int cmd_boot(ix_cluster *c, char **argv, int argc, const char *params,
                    const char *bugs_json, ix_out *o)
{
    if (argc < 3) {
        out_printf(o, "error: boot ALG N|ROLE=N,... [PARAMS]\n");
        return 0;
    }
    cluster_free(c);
    for (int i = 3; i < argc; i++)
        if (strncmp(argv[i], "show=", 5) == 0)
            snprintf(c->show, sizeof c->show, "%s", argv[i] + 5);
    c->alg = fl_registry_find(argv[1]);
    char *text = c->alg ? boot_scenario(argv[1], argv[2], params, bugs_json) : NULL;
    fl_error err = {0};
    c->scn = text ? fl_scenario_parse(text, strlen(text), "(interaction)", &err) : NULL;
    free(text);
    if (!c->scn || fl_scenario_bind(c->scn, c->alg, &err) < 0) {
        out_printf(o, "error: %s\n", c->alg ? err.msg : "unknown algorithm");
        return 0;
    }
    c->e = fl_engine_new(c->scn, c->alg, 1, c->scn->duration, &err);
    c->ic = c->e ? fl_invcheck_new(c->alg->name, c->e) : NULL;
    if (!c->ic || fl_invcheck_attach(c->ic, c->e) < 0) {
        out_printf(o, "error: %s\n", err.msg[0] ? err.msg : "out of memory");
        return -1;
    }
    c->nnodes = fl_engine_node_count(c->e);
    c->client = (fl_node_id)(c->nnodes - 1);
    if (c->nnodes > IX_MAX_NODES || !(c->m = fl_manual_new(c->e)))
        return -1;
    snapshot(c);
    c->last_msg = 0;
    report(c, o, 0);
    return 0;
}

/* ---- Matching pending events ----------------------------------------------- */

typedef struct ix_match {
    fl_pending_kind kind;
    fl_node_id      from, to;      /* FL_NO_NODE: any */
    const char     *what;          /* NULL: any */
    bool            all;
} ix_match;

static bool match_parse(char **argv, int argc, fl_pending_kind kind, ix_match *mt)
{
    mt->kind = kind;
    mt->from = mt->to = FL_NO_NODE;
    mt->what = NULL;
    mt->all = false;
    for (int i = 1; i < argc; i++) {
        int a, b;
        char tail;
        if (strcmp(argv[i], "all") == 0)
            mt->all = true;
        else if (sscanf(argv[i], "%d->%d%c", &a, &b, &tail) == 2)
            mt->from = a, mt->to = b;
        else if (kind == FL_PENDING_TIMER && mt->to == FL_NO_NODE &&
                 sscanf(argv[i], "%d%c", &a, &tail) == 1)
            mt->to = a;
        else
            mt->what = argv[i];
    }
    return true;
}

static bool matches(const fl_pending *p, const ix_match *mt)
{
    if (p->kind != mt->kind)
        return false;
    if (mt->kind == FL_PENDING_TIMER)
        return (mt->to == FL_NO_NODE || p->node == mt->to) &&
               (!mt->what || strcmp(p->what, mt->what) == 0);
    return (mt->from == FL_NO_NODE || p->from == mt->from) &&
           (mt->to == FL_NO_NODE || p->to == mt->to) &&
           (!mt->what || strcmp(p->what, mt->what) == 0);
}

static size_t dropped_now(const ix_cluster *c)
{
    return (size_t)fl_engine_stats_get(c->e)->dropped;
}

/* Fires (or drops) the first match, or every match present now. */
static void cmd_pick(ix_cluster *c, const ix_match *mt, bool drop, bool dup, ix_out *o)
{
    uint64_t ids[1024];
    size_t nids = 0;
    for (size_t i = 0; i < fl_manual_count(c->m) && nids < 1024; i++) {
        const fl_pending *p = fl_manual_at(c->m, i);
        if (matches(p, mt)) {
            ids[nids++] = p->id;
            if (!mt->all)
                break;
        }
    }
    if (nids == 0) {
        out_printf(o, "nothing to %s\n", drop ? "drop" : dup ? "duplicate" :
                   mt->kind == FL_PENDING_TIMER ? "tick" : "deliver");
        return;
    }
    size_t lost = 0, start = o->len;
    for (size_t k = 0; k < nids; k++) {
        size_t i = 0;
        const fl_pending *p = NULL;
        for (; i < fl_manual_count(c->m); i++) {
            p = fl_manual_at(c->m, i);
            if (p->id == ids[k] && matches(p, mt))
                break;
        }
        if (i == fl_manual_count(c->m))
            continue;
        char line[IX_LINE];
        describe_pending(p, line, sizeof line);
        if (drop) {
            fl_manual_drop(c->m, i);
            out_printf(o, "dropped %s\n", line);
            continue;
        }
        if (dup) {
            fl_manual_duplicate(c->m, i);
            out_printf(o, "duplicated %s\n", line);
            continue;
        }
        const char *why = NULL;
        size_t d0 = dropped_now(c);
        int rc = fl_manual_fire(c->m, i, &why);
        if (rc == 0) {
            out_printf(o, "dropped %s (%s)\n", line, why);
            d0++;
        }
        lost += dropped_now(c) - d0;
        if (rc < 0)
            break;
    }
    report_since(c, o, lost, start);
}

static void cmd_stabilize(ix_cluster *c, ix_out *o)
{
    ix_match mt = { FL_PENDING_MESSAGE, FL_NO_NODE, FL_NO_NODE, NULL, true };
    size_t start = o->len;
    for (int round = 0; round < 1000; round++) {
        bool any = false;
        for (size_t i = 0; i < fl_manual_count(c->m); i++)
            any |= matches(fl_manual_at(c->m, i), &mt);
        if (!any) {
            if (o->len == start)
                out_printf(o, "ok\n");
            return;
        }
        size_t before = o->len;
        cmd_pick(c, &mt, false, false, o);
        if (o->len == before + 3 && memcmp(o->buf + before, "ok\n", 3) == 0)
            o->len = before;            /* a quiet round says nothing */
    }
    out_printf(o, "error: not stable after 1000 rounds\n");
}

/* ---- Faults and requests ------------------------------------------------------ */

static int node_arg(const ix_cluster *c, const char *s, ix_out *o)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*end || n < 0 || (size_t)n >= c->nnodes) {
        out_printf(o, "error: no node %s\n", s);
        return -1;
    }
    return (int)n;
}

static void cmd_partition(ix_cluster *c, char **argv, int argc, ix_out *o)
{
    int group_of[IX_MAX_NODES];
    for (size_t n = 0; n < c->nnodes; n++)
        group_of[n] = -1;
    int g = -1;
    for (int i = 1; i < argc; i++) {
        const char *t = argv[i];
        if (*t == '[') {
            g++;
            t++;
        }
        char num[16];
        size_t k = strcspn(t, "]");
        if (k == 0 || k >= sizeof num)
            continue;
        memcpy(num, t, k);
        num[k] = '\0';
        int n = node_arg(c, num, o);
        if (n < 0 || g < 0)
            return;
        group_of[n] = g;
    }
    if (group_of[c->client] < 0)
        group_of[c->client] = 0;      /* the client goes with the first group */
    fl_manual_partition(c->m, group_of);
    report(c, o, 0);
}

static void cmd_request(ix_cluster *c, char **argv, int argc, ix_out *o)
{
    int n = argc >= 4 ? node_arg(c, argv[1], o) : -1;
    if (n < 0)
        return;
    fl_request req = { .client = c->client, .attempt = 0, .seq = ++c->next_seq };
    req.op.key = (uint32_t)atoi(argv[3]);
    if (strcmp(argv[2], "read") == 0) {
        req.op.kind = FL_OP_READ;
    } else if (strcmp(argv[2], "write") == 0 && argc >= 5) {
        req.op.kind = FL_OP_WRITE;
        req.op.arg = atoll(argv[4]);
    } else if (strcmp(argv[2], "cas") == 0 && argc >= 6) {
        req.op.kind = FL_OP_CAS;
        req.op.arg = atoll(argv[4]);
        req.op.arg2 = atoll(argv[5]);
    } else {
        out_printf(o, "error: request N read K | write K V | cas K OLD NEW\n");
        return;
    }
    fl_manual_request(c->m, c->client, (fl_node_id)n, &req);
    report(c, o, 0);
}

/* ---- Reading state ------------------------------------------------------------- */

static void cmd_log(ix_cluster *c, int n, ix_out *o)
{
    const fl_view *v = fl_engine_node_view(c->e, n);
    if (!v || !fl_engine_node_alive(c->e, n) || v->log_last < 0) {
        out_printf(o, "empty\n");
        return;
    }
    int64_t first = v->log_first >= 0 ? v->log_first : 0;
    bool any = false;
    for (int64_t i = first; i <= v->log_last; i++) {
        fl_view_entry en;
        if (!fl_engine_node_entry(c->e, n, i, &en))
            continue;
        out_printf(o, "%" PRId64 ": term=%" PRId64 " cmd=%04x%s%s\n", i, en.term,
                   (unsigned)(en.command & 0xffff), en.committed ? " committed" : "",
                   en.durable ? " durable" : "");
        any = true;
    }
    if (!any)
        out_printf(o, "empty\n");
}

static void cmd_pending(ix_cluster *c, ix_out *o)
{
    size_t shown = 0;
    for (size_t i = 0; i < fl_manual_count(c->m); i++) {
        const fl_pending *p = fl_manual_at(c->m, i);
        if (p->kind == FL_PENDING_TIMER && p->node == c->client)
            continue;
        char line[IX_LINE];
        describe_pending(p, line, sizeof line);
        out_printf(o, "%s\n", line);
        shown++;
    }
    if (!shown)
        out_printf(o, "none\n");
}

/* ---- One command ------------------------------------------------------------------ */

static int split_words(char *line, char **argv, int max, char **rest_json)
{
    int argc = 0;
    *rest_json = NULL;
    char *p = line;
    while (*p && argc < max) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (*p == '{') {
            *rest_json = p;
            break;
        }
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
    return argc;
}

static int run_command(ix_cluster *c, char *line, const fl_interaction_opts *opts, ix_out *o)
{
    char *argv[16];
    char *json;
    int argc = split_words(line, argv, 16, &json);
    if (argc == 0)
        return 0;
    const char *cmd = argv[0];
    if (strcmp(cmd, "boot") == 0)
        return cmd_boot(c, argv, argc, json, opts->bugs_json, o);
    if (!c->m) {
        out_printf(o, "error: boot first\n");
        return 0;
    }
    if (strcmp(cmd, "tick") == 0 || strcmp(cmd, "deliver") == 0 ||
        strcmp(cmd, "drop") == 0 || strcmp(cmd, "dup") == 0) {
        ix_match mt;
        match_parse(argv, argc, cmd[0] == 't' ? FL_PENDING_TIMER : FL_PENDING_MESSAGE, &mt);
        cmd_pick(c, &mt, cmd[1] == 'r', cmd[1] == 'u', o);
    } else if (strcmp(cmd, "stabilize") == 0) {
        cmd_stabilize(c, o);
    } else if (strcmp(cmd, "crash") == 0 || strcmp(cmd, "restart") == 0) {
        int n = argc >= 2 ? node_arg(c, argv[1], o) : -1;
        if (n < 0)
            return 0;
        if (cmd[0] == 'c')
            fl_manual_crash(c->m, n, argc >= 3 && strcmp(argv[2], "torn") == 0);
        else
            fl_manual_restart(c->m, n);
        report(c, o, 0);
    } else if (strcmp(cmd, "partition") == 0) {
        cmd_partition(c, argv, argc, o);
    } else if (strcmp(cmd, "heal") == 0) {
        fl_manual_heal(c->m);
        report(c, o, 0);
    } else if (strcmp(cmd, "request") == 0) {
        cmd_request(c, argv, argc, o);
    } else if (strcmp(cmd, "view") == 0 || strcmp(cmd, "log") == 0 ||
               strcmp(cmd, "scalars") == 0) {
        int n = argc >= 2 ? node_arg(c, argv[1], o) : -1;
        if (n < 0)
            return 0;
        char buf[IX_LINE];
        if (cmd[0] != 'l') {
            view_summary(c, n, cmd[0] == 's', buf, sizeof buf);
            out_printf(o, "%s\n", buf);
        } else {
            cmd_log(c, n, o);
        }
    } else if (strcmp(cmd, "views") == 0) {
        for (size_t n = 0; n < c->nnodes; n++) {
            if ((fl_node_id)n == c->client)
                continue;
            char buf[IX_LINE];
            view_summary(c, (fl_node_id)n, false, buf, sizeof buf);
            out_printf(o, "%s\n", buf);
        }
    } else if (strcmp(cmd, "pending") == 0) {
        cmd_pending(c, o);
    } else {
        out_printf(o, "error: unknown command %s\n", cmd);
    }
    return 0;
}

/* ---- Files ------------------------------------------------------------------------ */

static char *read_all(const char *path)
{
    char *buf;
    size_t len;
    return fl_file_read_all(path, 0, &buf, &len) == FL_FILE_OK ? buf : NULL;
}

/* The next line of *p (without its newline), or NULL at the end. */
static char *next_line(char **p)
{
    if (!**p)
        return NULL;
    char *line = *p;
    char *nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        *p = nl + 1;
    } else {
        *p = line + strlen(line);
    }
    return line;
}

int fl_interaction_run_file(const char *path, const fl_interaction_opts *opts)
{
    char *text = read_all(path);
    if (!text)
        return -1;
    ix_cluster c = {0};
    ix_out rewritten = {0}, actual = {0};
    int result = 1;
    char *p = text;
    char *line;
    while ((line = next_line(&p)) != NULL) {
        if (*line == '\0' || *line == '#') {
            out_printf(&rewritten, "%s\n", line);
            continue;
        }
        char cmd[IX_LINE * 4];
        snprintf(cmd, sizeof cmd, "%s", line);
        out_printf(&rewritten, "%s\n----\n", line);
        char *sep = next_line(&p);
        if (!sep || strcmp(sep, "----") != 0) {
            if (opts->diff)
                fprintf(opts->diff, "%s: \"%s\" is not followed by ----\n", path, line);
            result = -1;
            break;
        }
        ix_out expect = {0};
        char *l;
        while ((l = next_line(&p)) != NULL && *l)
            out_printf(&expect, "%s\n", l);
        actual.len = 0;
        if (run_command(&c, cmd, opts, &actual) < 0)
            out_printf(&actual, "error: could not run\n");
        if (actual.len == 0)
            out_printf(&actual, "ok\n");
        out_printf(&rewritten, "%.*s\n", (int)actual.len, actual.buf);
        bool same = expect.len == actual.len &&
                    memcmp(expect.buf ? expect.buf : "", actual.buf, actual.len) == 0;
        if (!same) {
            result = 0;
            if (opts->diff)
                fprintf(opts->diff, "%s: %s\n-- expected:\n%.*s-- got:\n%.*s", path, cmd,
                        (int)expect.len, expect.buf ? expect.buf : "",
                        (int)actual.len, actual.buf);
        }
        free(expect.buf);
    }
    cluster_free(&c);
    if (opts->rewrite && result >= 0) {
        while (rewritten.len >= 2 && rewritten.buf[rewritten.len - 1] == '\n' &&
               rewritten.buf[rewritten.len - 2] == '\n')
            rewritten.len--;
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(rewritten.buf, 1, rewritten.len, f) != rewritten.len)
            result = -1;
        if (f && fclose(f) != 0)
            result = -1;
    }
    free(rewritten.buf);
    free(actual.buf);
    free(text);
    return result;
}
