/* live.c — a run inside the visualizer (see live.h). The engine writes
 * its trace into a stdio stream whose writes land here (fopencookie) and
 * are parsed line by line into the model, exactly as a trace file would
 * be; a step hook records log entries exactly. The run is the run object
 * (sim/run/run.h) `faultline run` uses, so its trace hash is the headless
 * run's. */
#define _GNU_SOURCE
#include "config.h"

#include "viz/live.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/run/registry.h"
#include "sim/run/run.h"
#include "sim/scenario/scenario.h"
#include "sim/util/file.h"
#include "viz/parse.h"
#include "sim/util/vec.h"

/* What the hook remembers of each node's log, to find what changed. */
typedef struct known_log {
    uint64_t *chain;           /* by index */
    size_t    cap;
    int64_t   last;            /* highest recorded index, 0 none */
    int64_t   durable;
} known_log;

struct viz_live {
    char          *path;
    char          *text;       /* the scenario as run (with added faults) */
    fl_scenario   *s;
    fl_plugin     *plugin;
    const fl_algorithm *alg;
    fl_run        *run;
    const fl_engine *e;        /* the run's */
    viz_model     *m;
    FILE          *trace;      /* fopencookie stream into the model */
    char          *line;       /* a partial trace line */
    size_t         nline, line_cap;
    bool           header_seen, done, violation_marked;
    char           err[512];   /* first trace line the model refused */
    known_log     *logs;
    char           verdict[320];
    bool           verdict_done;
};

/* ---- The trace stream ---------------------------------------------------------- */

static void take_line(viz_live *l, const char *s, size_t len)
{
    if (!l->header_seen) {
        l->header_seen = true;           /* the model already knows the nodes */
        return;
    }
    char msg[256];
    if (!l->err[0] && viz_parse_event(l->m, s, len, msg, sizeof msg) < 0)
        snprintf(l->err, sizeof l->err, "trace line %zu: %s",
                 viz_model_event_count(l->m) + 2, msg);
}

static ssize_t sink_write(void *cookie, const char *buf, size_t size)
{
    viz_live *l = cookie;
    size_t start = 0;
    for (size_t i = 0; i < size; i++) {
        if (buf[i] != '\n')
            continue;
        if (l->nline) {
            size_t part = i - start;
            if (fl_vec_grow(&l->line, &l->line_cap, l->nline + part + 1, 1, 16) < 0)
                return -1;
            memcpy(l->line + l->nline, buf + start, part);
            take_line(l, l->line, l->nline + part);
            l->nline = 0;
        } else {
            take_line(l, buf + start, i - start);
        }
        start = i + 1;
    }
    size_t rest = size - start;
    if (rest) {
        if (fl_vec_grow(&l->line, &l->line_cap, l->nline + rest + 1, 1, 16) < 0)
            return -1;
        memcpy(l->line + l->nline, buf + start, rest);
        l->nline += rest;
    }
    return (ssize_t)size;
}

/* ---- Log entries, through inspect_entry ------------------------------------------ */

static bool entry_at(const fl_engine *e, fl_node_id node, int64_t i, fl_view_entry *out)
{
    return fl_engine_node_entry(e, node, i, out);
}

static int remember(known_log *k, int64_t i, uint64_t chain)
{
    if (fl_vec_grow(&k->chain, &k->cap, (size_t)i + 1, sizeof *k->chain, 16) < 0)
        return -1;
    k->chain[i] = chain;
    return 0;
}

static void record_durable(viz_live *l, const fl_engine *e, fl_node_id node,
                           known_log *k, int64_t first, int64_t last)
{
    fl_view_entry x;
    int64_t d = k->durable > last ? last : k->durable;
    while (d >= first && !(entry_at(e, node, d, &x) && x.durable))
        d--;
    while (d < last && entry_at(e, node, d + 1, &x) && x.durable)
        d++;
    k->durable = d;
    (void)viz_model_set_durable(l->m, node, fl_engine_now(e), d);
}

static int record_entries(viz_live *l, const fl_engine *e, fl_node_id node,
                          const fl_view *v)
{
    known_log *k = &l->logs[node];
    fl_time t = fl_engine_now(e);
    int64_t last = v->log_last > 0 ? v->log_last : 0;
    int64_t first = v->log_first > 0 ? v->log_first : 1;
    fl_view_entry x;
    int64_t same = k->last < last ? k->last : last;      /* equal prefix end */
    while (same >= first && !(entry_at(e, node, same, &x) && x.chain == k->chain[same]))
        same--;
    if (same < first - 1)
        same = first - 1;
    for (int64_t i = same + 1; i <= last; i++) {
        if (!entry_at(e, node, i, &x))
            continue;
        if (remember(k, i, x.chain) < 0 || viz_model_set_entry(l->m, node, t, i, x.term) < 0)
            return -1;
    }
    if (last < k->last && viz_model_truncate(l->m, node, t, last) < 0)
        return -1;
    k->last = last;
    record_durable(l, e, node, k, first, last);
    return 0;
}

static int entries_hook(void *arg, fl_engine *e, fl_node_id node,
                        const fl_view *before, const fl_view *after)
{
    (void)before;
    viz_live *l = arg;
    if (fl_engine_node_alive(e, node) && (size_t)node < fl_engine_node_count(e))
        (void)record_entries(l, e, node, after);
    return 0;                            /* never stops the run */
}

/* ---- Set-up (as cmd_run.c) --------------------------------------------------------- */

static char *read_file(const char *path, size_t *len, fl_error *err)
{
    char *buf;
    switch (fl_file_read_all(path, 0, &buf, len)) {
    case FL_FILE_OK:
        if (*len > 0)
            return buf;
        free(buf);
        fl_error_set(err, "%s: cannot read: empty file", path);
        return NULL;
    case FL_FILE_OPEN:
        fl_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    case FL_FILE_NOMEM:
        fl_error_set(err, "%s: out of memory", path);
        return NULL;
    default:
        fl_error_set(err, "%s: cannot read", path);
        return NULL;
    }
}

/* The scenario text with `added` faults appended (a copy either way). */
static char *with_faults(const char *text, size_t len, const cJSON *added,
                         const char *path, fl_error *err)
{
    if (!added || cJSON_GetArraySize(added) == 0)
        return strndup(text, len);
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!root) {
        fl_error_set(err, "%s: not valid JSON", path);
        return NULL;
    }
    cJSON *faults = cJSON_GetObjectItemCaseSensitive(root, "faults");
    if (!faults) {
        faults = cJSON_AddArrayToObject(root, "faults");
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, added)
        if (faults)
            cJSON_AddItemToArray(faults, cJSON_Duplicate(f, true));
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    if (!out)
        fl_error_set(err, "%s: out of memory", path);
    return out;
}

static int load_algorithm(viz_live *l, const viz_live_opts *o, fl_error *err)
{
    if (o->impl) {
        l->plugin = fl_plugin_open(o->impl, err);
        if (!l->plugin)
            return -1;
        l->alg = fl_plugin_algorithm(l->plugin);
    } else {
        l->alg = fl_registry_find(l->s->algorithm);
        if (!l->alg)
            return fl_error_set(err, "%s: $.algorithm: unknown algorithm \"%s\" (pass --impl SO)",
                                o->scenario, l->s->algorithm);
    }
    return fl_scenario_bind(l->s, l->alg, err);
}

/* The upper end of "election_timeout_ms" ([lo, hi] or one number), or -1. */
static fl_time election_timeout(const fl_scenario *s)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(s->params, "election_timeout_ms");
    if (cJSON_IsArray(p))
        p = cJSON_GetArrayItem(p, cJSON_GetArraySize(p) - 1);
    return cJSON_IsNumber(p) && p->valuedouble > 0 ? FL_MS(p->valuedouble) : -1;
}

static void plan_faults(viz_live *l)
{
    static const fl_trace_type types[] = {
        [FL_FAULT_PARTITION] = FL_TR_PARTITION, [FL_FAULT_HEAL] = FL_TR_HEAL,
        [FL_FAULT_LINK] = FL_TR_LINK, [FL_FAULT_CRASH] = FL_TR_CRASH,
        [FL_FAULT_RESTART] = FL_TR_RESTART, [FL_FAULT_PAUSE] = FL_TR_PAUSE,
        [FL_FAULT_RESUME] = FL_TR_RESUME, [FL_FAULT_CLOCK] = FL_TR_CLOCK,
    };
    for (size_t i = 0; i < l->s->nfaults; i++) {
        const fl_fault *f = &l->s->faults[i];
        if (f->kind != FL_FAULT_NEMESIS && (size_t)f->kind < sizeof types / sizeof types[0])
            (void)viz_model_plan(l->m, f->at, types[f->kind]);
    }
}

static int make_model(viz_live *l)
{
    size_t n = fl_engine_node_count(l->e);
    const char **roles = calloc(n ? n : 1, sizeof *roles);
    l->logs = calloc(n ? n : 1, sizeof *l->logs);
    if (!roles || !l->logs) {
        free(roles);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        roles[i] = fl_engine_node_role(l->e, (fl_node_id)i);
    l->m = viz_model_new(n, roles, l->alg->name, l->s->name, fl_engine_seed(l->e));
    free(roles);
    if (!l->m)
        return -1;
    viz_model_set_exact_entries(l->m, true);
    viz_model_set_end(l->m, fl_engine_end(l->e));
    viz_model_set_election_timeout(l->m, election_timeout(l->s));
    plan_faults(l);
    return 0;
}

/* The run, as `faultline run` makes it (sim/run/run.h), with its trace
 * going into the model. */
static int start_engine(viz_live *l, const viz_live_opts *o, fl_error *err)
{
    cookie_io_functions_t io = { .write = sink_write };
    l->trace = fopencookie(l, "w", io);
    if (!l->trace)
        return fl_error_set(err, "cannot open the trace stream");
    fl_run_opts ro = { .seed = o->seed, .has_seed = o->has_seed, .lin_timeout_s = 5.0,
                       .trace = l->trace, .path = o->scenario, .impl = o->impl };
    l->run = fl_run_new(l->s, l->alg, &ro, err);
    if (!l->run)
        return -1;
    l->e = fl_run_engine(l->run);
    if (make_model(l) < 0 || fl_run_add_hook(l->run, entries_hook, l) < 0)
        return fl_error_set(err, "out of memory");
    return 0;
}

viz_live *viz_live_open(const viz_live_opts *o, const cJSON *added, fl_error *err)
{
    viz_live *l = calloc(1, sizeof *l);
    if (!l) {
        fl_error_set(err, "out of memory");
        return NULL;
    }
    size_t len = 0;
    char *raw = read_file(o->scenario, &len, err);
    l->path = strdup(o->scenario);
    if (!raw || !l->path)
        goto fail;
    l->text = with_faults(raw, len, added, o->scenario, err);
    free(raw);
    if (!l->text)
        goto fail;
    l->s = fl_scenario_parse(l->text, strlen(l->text), o->scenario, err);
    if (!l->s || load_algorithm(l, o, err) < 0 || start_engine(l, o, err) < 0)
        goto fail;
    return l;
fail:
    viz_live_free(l);
    return NULL;
}

void viz_live_free(viz_live *l)
{
    if (!l)
        return;
    if (l->trace)
        fclose(l->trace);
    fl_run_free(l->run);
    fl_scenario_free(l->s);
    fl_plugin_close(l->plugin);
    if (l->logs && l->m)
        for (size_t i = 0; i < viz_model_node_count(l->m); i++)
            free(l->logs[i].chain);
    free(l->logs);
    viz_model_free(l->m);
    free(l->line);
    free(l->text);
    free(l->path);
    free(l);
}

/* ---- Running ------------------------------------------------------------------------ */

int viz_live_advance(viz_live *l, fl_time until, fl_error *err)
{
    while (!l->done && fl_engine_now(l->e) <= until) {
        if (fl_run_step(l->run) != 1) {
            l->done = true;
            fl_run_finish(l->run);       /* open client ops become info */
        }
    }
    fflush(l->trace);
    const fl_violation *v = fl_run_violation(l->run);
    if (v && !l->violation_marked) {
        viz_model_add_violation(l->m, v->time, v->node);
        l->violation_marked = true;
    }
    if (l->err[0])
        return fl_error_set(err, "%s", l->err);
    return 0;
}

bool viz_live_done(const viz_live *l) { return l->done; }
fl_time viz_live_now(const viz_live *l) { return fl_engine_now(l->e); }
viz_model *viz_live_model(const viz_live *l) { return l->m; }
const fl_engine *viz_live_engine(const viz_live *l) { return l->e; }
uint64_t viz_live_seed(const viz_live *l) { return fl_engine_seed(l->e); }
uint64_t viz_live_hash(const viz_live *l) { return fl_engine_trace_hash(l->e); }

const fl_violation *viz_live_violation(const viz_live *l)
{
    return fl_run_violation(l->run);
}

const char *viz_live_verdict(viz_live *l)
{
    if (!l->done)
        return NULL;
    if (l->verdict_done)
        return l->verdict;
    l->verdict_done = true;
    (void)fl_run_judge(l->run);
    const fl_verdict *v = fl_run_verdict(l->run);
    const fl_check *inv = &v->checks[FL_RUN_INVARIANTS];
    if (inv->state == FL_CHECK_FAILED) {
        snprintf(l->verdict, sizeof l->verdict, "invariant %s FAILED", inv->name);
        return l->verdict;
    }
    const char *word = v->lin == FL_LIN_OK ? "linearizable"
                     : v->lin == FL_LIN_VIOLATION ? "NOT linearizable"
                     : v->lin == FL_LIN_UNKNOWN ? "linearizability unknown (time limit)"
                     : "linearizability not checked";
    snprintf(l->verdict, sizeof l->verdict, "%s", word);
    return l->verdict;
}

/* ---- Saving ---------------------------------------------------------------------------- */

int viz_live_save(const viz_live *l, const char *path, fl_error *err)
{
    cJSON *root = cJSON_Parse(l->text);
    if (!root)
        return fl_error_set(err, "out of memory");
    char seed[32];
    snprintf(seed, sizeof seed, "0x%016" PRIx64, fl_engine_seed(l->e));
    cJSON_DeleteItemFromObjectCaseSensitive(root, "seed");
    cJSON_AddStringToObject(root, "seed", seed);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "description");
    char *desc = NULL;
    if (!(cJSON_IsString(d) && strstr(d->valuestring, "[saved from faultline viz")) &&
        asprintf(&desc, "%s [saved from faultline viz, with the faults added by hand]",
                 cJSON_IsString(d) ? d->valuestring : "") >= 0) {
        cJSON_DeleteItemFromObjectCaseSensitive(root, "description");
        cJSON_AddStringToObject(root, "description", desc);
        free(desc);
    }
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    if (!out)
        return fl_error_set(err, "out of memory");
    size_t tl = strlen(path) + 32;
    char *tmp = malloc(tl);
    int rc = -1;
    if (tmp) {
        snprintf(tmp, tl, "%s.partial.%ld", path, (long)getpid());
        FILE *fp = fopen(tmp, "w");
        if (fp) {
            bool ok = fputs(out, fp) >= 0 && fputc('\n', fp) != EOF;
            ok = (fclose(fp) == 0) && ok;
            if (ok && rename(tmp, path) == 0)
                rc = 0;
            else
                unlink(tmp);
        }
    }
    if (rc < 0)
        fl_error_set(err, "%s: cannot write: %s", path, strerror(errno));
    free(tmp);
    free(out);
    return rc;
}
