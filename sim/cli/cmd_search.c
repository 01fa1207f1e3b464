/* cmd_search.c — `faultline search`: systematic search over schedules
 * (sim/batch/search.h); prints the shortest counterexample found and
 * writes it as a scenario with an explicit "schedule" that `faultline run`
 * replays. Owns its usage text. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/batch/search.h"
#include "sim/manual.h"
#include "sim/cli/cli.h"
#include "sim/util/outfile.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"
#include "sim/util/file.h"

static const char search_usage[] =
    "usage: faultline search SCENARIO [options]\n"
    "Explores every schedule of SCENARIO's cluster up to a depth: at each step\n"
    "which pending message is delivered, which timer fires and, within the\n"
    "budgets, what is dropped, duplicated, crashed or restarted. Invariants are\n"
    "checked after every step and linearizability at the leaves. The network,\n"
    "faults and duration of the scenario are ignored; its nodes, params and\n"
    "workload model are used.\n"
    "  --bfs              breadth-first: a shortest counterexample (default)\n"
    "  --dfs              depth-first with iterative deepening and sleep sets\n"
    "  --no-por           depth-first without sleep sets (to measure them)\n"
    "  --depth N          steps per schedule (default 12)\n"
    "  --max-states N     states to generate at most (default 1000000)\n"
    "  --time S           seconds at most (default 60)\n"
    "  --memory MB        memory for the search's tables (default 1024)\n"
    "  --timers any|ordered  timers fire in any order, or only when nothing\n"
    "                     choosable is due more than --slack MS before them\n"
    "  --slack MS         (default 0)\n"
    "  --timer-kinds LIST which servers' timers are choices: a comma-separated\n"
    "                     list of election, heartbeat, retry, lease, tick, other,\n"
    "                     or none (default: all; clients' timers follow --ops)\n"
    "  --drops N --dups N --crashes N --restarts N   fault budgets (default 0)\n"
    "  --torn N           of the crashes, N may be torn: the node's oldest\n"
    "                     unsynced write is cut short, as at a power failure\n"
    "  --ops N            client operations per schedule (default 1)\n"
    "  --leader-within N  liveness: some schedule elects a leader in N steps\n"
    "  --no-lin           no linearizability check at the leaves\n"
    "  --seed N           the scenario's seed for this search (its nodes' own\n"
    "                     randomness; default: the scenario's \"seed\")\n"
    "  --impl SO          search the algorithm in this shared object (loaded\n"
    "                     into this process: `grade` runs search tests sandboxed)\n"
    "  --prefix FILE      start from the state FILE's \"schedule\" leads to (a\n"
    "                     scenario, e.g. an earlier counterexample; default: the\n"
    "                     SCENARIO's own \"schedule\", if any). Depth and budgets\n"
    "                     count the steps after it; a counterexample starts with it\n"
    "  --choices          print the choices at the start (after the prefix) as\n"
    "                     schedule steps, to extend a prefix by hand, and exit\n"
    "  --out FILE         write a counterexample there as a scenario\n"
    "  --quiet            no progress lines\n"
    "Exit status: 0 no violation within the bounds, 1 a violation, 2 bad input.\n";

void fl_cmd_search_usage(FILE *out)
{
    fputs(search_usage, out);
}

enum { OPT_BFS = 256, OPT_DFS, OPT_NOPOR, OPT_DEPTH, OPT_STATES, OPT_TIME, OPT_MEMORY,
       OPT_TIMERS, OPT_SLACK, OPT_DROPS, OPT_DUPS, OPT_CRASHES, OPT_RESTARTS, OPT_OPS,
       OPT_LEADER, OPT_NOLIN, OPT_OUT, OPT_QUIET, OPT_HELP, OPT_SEED, OPT_IMPL, OPT_PREFIX, OPT_TKINDS, OPT_CHOICES, OPT_TORN };

static const struct option search_options[] = {
    {"bfs", no_argument, NULL, OPT_BFS},           {"dfs", no_argument, NULL, OPT_DFS},
    {"no-por", no_argument, NULL, OPT_NOPOR},      {"depth", required_argument, NULL, OPT_DEPTH},
    {"max-states", required_argument, NULL, OPT_STATES},
    {"time", required_argument, NULL, OPT_TIME},   {"memory", required_argument, NULL, OPT_MEMORY},
    {"timers", required_argument, NULL, OPT_TIMERS}, {"slack", required_argument, NULL, OPT_SLACK},
    {"drops", required_argument, NULL, OPT_DROPS}, {"dups", required_argument, NULL, OPT_DUPS},
    {"crashes", required_argument, NULL, OPT_CRASHES},
    {"restarts", required_argument, NULL, OPT_RESTARTS},
    {"torn", required_argument, NULL, OPT_TORN},
    {"ops", required_argument, NULL, OPT_OPS},
    {"leader-within", required_argument, NULL, OPT_LEADER},
    {"no-lin", no_argument, NULL, OPT_NOLIN},      {"out", required_argument, NULL, OPT_OUT},
    {"quiet", no_argument, NULL, OPT_QUIET},       {"help", no_argument, NULL, OPT_HELP},
    {"seed", required_argument, NULL, OPT_SEED},   {"impl", required_argument, NULL, OPT_IMPL},
    {"prefix", required_argument, NULL, OPT_PREFIX},
    {"timer-kinds", required_argument, NULL, OPT_TKINDS},
    {"choices", no_argument, NULL, OPT_CHOICES},
    {NULL, 0, NULL, 0}
};

static int int_arg(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi)
        return fl_cli_usage_error("search", "--%s: must be an integer in [%ld, %ld], not \"%s\"",
                                  opt, lo, hi, v);
    *out = n;
    return 0;
}

static int parse_int_option(int c, const char *v, fl_search_opts *o)
{
    long n = 0;
    const struct option *opt = search_options;
    while (opt->name && opt->val != c)
        opt++;
    if (int_arg(opt->name, v, 0, c == OPT_DEPTH ? 250 : 1000000000L, &n) != 0)
        return 2;
    switch (c) {
    case OPT_DEPTH:    o->max_depth = (int)n; break;
    case OPT_STATES:   o->max_states = (uint64_t)n; break;
    case OPT_TIME:     o->max_seconds = (double)n; break;
    case OPT_MEMORY:   o->max_memory_mb = (size_t)n; break;
    case OPT_SLACK:    o->slack = FL_MS(n); break;
    case OPT_DROPS:    o->drops = (int)n; break;
    case OPT_DUPS:     o->dups = (int)n; break;
    case OPT_CRASHES:  o->crashes = (int)n; break;
    case OPT_RESTARTS: o->restarts = (int)n; break;
    case OPT_TORN:     o->torn = (int)n; break;
    case OPT_OPS:      o->ops = (int)n; break;
    case OPT_LEADER:   o->leader_within = (int)n; break;
    default: break;
    }
    return 0;
}

/* "election,heartbeat" -> a mask of (1u << fl_timer_kind); "none" -> 0. */
static int parse_timer_kinds(const char *v, unsigned *mask)
{
    *mask = 0;
    if (strcmp(v, "none") == 0)
        return 0;
    const char *p = v;
    while (*p) {
        size_t n = strcspn(p, ",");
        int k = 0;
        while (k < FL_TIMER_KIND_COUNT &&
               (strlen(fl_manual_timer_kind_name((fl_timer_kind)k)) != n ||
                strncmp(p, fl_manual_timer_kind_name((fl_timer_kind)k), n) != 0))
            k++;
        if (k == FL_TIMER_KIND_COUNT)
            return fl_cli_usage_error("search", "--timer-kinds: \"%.*s\" is not a timer kind "
                                      "(election, heartbeat, retry, lease, tick, other, or "
                                      "none), in \"%s\"", (int)n, p, v);
        *mask |= 1u << k;
        p += n;
        if (*p == ',' && *++p == '\0')
            return fl_cli_usage_error("search", "--timer-kinds: a kind after the last comma "
                                      "in \"%s\"", v);
    }
    if (!*mask)
        return fl_cli_usage_error("search", "--timer-kinds: empty (say \"none\")");
    return 0;
}

typedef struct search_args {
    const char *out, *scenario, *impl, *prefix;
    uint64_t    seed;
    bool        has_seed;
    bool        choices;
} search_args;

/* 0 to go on, or an exit status. */
static int parse_args(int argc, char **argv, fl_search_opts *o, search_args *a)
{
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", search_options, NULL)) != -1) {
        switch (c) {
        case OPT_BFS:   o->bfs = true; break;
        case OPT_DFS:   o->bfs = false; break;
        case OPT_NOPOR: o->bfs = false; o->por = false; break;
        case OPT_NOLIN: o->check_lin = false; break;
        case OPT_OUT:   a->out = optarg; break;
        case OPT_IMPL:  a->impl = optarg; break;
        case OPT_PREFIX: a->prefix = optarg; break;
        case OPT_CHOICES: a->choices = true; break;
        case OPT_TKINDS:
            if (parse_timer_kinds(optarg, &o->timer_kinds) != 0)
                return 2;
            break;
        case OPT_SEED:
            if (!fl_cli_parse_u64(optarg, &a->seed))
                return fl_cli_usage_error("search", "--seed: expected an integer >= 0 "
                                          "(decimal or 0x hex), not \"%s\"", optarg);
            a->has_seed = true;
            break;
        case OPT_QUIET: o->progress = false; break;
        case OPT_HELP:  fl_cmd_search_usage(stdout); return -1;
        case OPT_TIMERS:
            if (strcmp(optarg, "any") && strcmp(optarg, "ordered"))
                return fl_cli_usage_error("search", "--timers: \"any\" or \"ordered\", not \"%s\"",
                                          optarg);
            o->timers_in_order = optarg[0] == 'o';
            break;
        case '?':
            return fl_cli_usage_error("search", "unknown or incomplete option \"%s\" "
                                      "(see faultline search --help)", argv[optind - 1]);
        default:
            if (parse_int_option(c, optarg, o) != 0)
                return 2;
            break;
        }
    }
    if (optind != argc - 1)
        return fl_cli_usage_error("search", "give exactly one SCENARIO (see faultline search --help)");
    a->scenario = argv[optind];
    return 0;
}

static void print_step(FILE *f, size_t i, const fl_step *c)
{
    switch ((fl_step_kind)c->kind) {
    case FL_STEP_DELIVER:
    case FL_STEP_DROP:
    case FL_STEP_DUP:
        fprintf(f, "  %3zu  %-8s %d->%d %s\n", i + 1, fl_step_kind_name(c->kind),
                (int)c->from, (int)c->node, c->what);
        break;
    case FL_STEP_TIMER:
        fprintf(f, "  %3zu  %-8s %d %s\n", i + 1, "timer", (int)c->node, c->what);
        break;
    default:
        fprintf(f, "  %3zu  %-8s %d%s\n", i + 1, fl_step_kind_name(c->kind), (int)c->node,
                c->torn ? " torn (its oldest unsynced write cut short)" : "");
        break;
    }
}

/* One schedule step as the scenario's "schedule" holds it. */
static cJSON *step_json(const fl_step *c)
{
    cJSON *step = cJSON_CreateObject();
    cJSON_AddStringToObject(step, "step", fl_step_kind_name(c->kind));
    cJSON_AddNumberToObject(step, "node", c->node);
    if (c->kind <= FL_STEP_DUP) {
        cJSON_AddNumberToObject(step, "id", (double)c->id);
        if (c->kind != FL_STEP_TIMER)
            cJSON_AddNumberToObject(step, "from", c->from);
        cJSON_AddStringToObject(step, "kind", c->what ? c->what : "");
    }
    if (c->torn)
        cJSON_AddBoolToObject(step, "torn", 1);
    return step;
}

/* --choices: the start state's choices, one schedule step per line. */
static int print_choices(const fl_scenario *s, const fl_algorithm *alg, const fl_search_opts *o)
{
    fl_error err = {0};
    fl_step *v;
    size_t n;
    if (fl_search_choices(s, alg, o, &v, &n, &err) < 0) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        cJSON *j = step_json(&v[i]);
        char *text = j ? cJSON_PrintUnformatted(j) : NULL;
        if (text)
            printf("%s\n", text);
        free(text);
        cJSON_Delete(j);
    }
    free(v);
    return 0;
}

/* The scenario file with "schedule" added: what `faultline run` replays. */
static int write_counterexample(const char *scenario, const char *out, uint64_t seed,
                                const fl_search_result *r)
{
    char *text = NULL;
    size_t len = 0;
    (void)fl_file_read_all(scenario, 0, &text, &len);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!root)
        return fl_cli_usage_error("search", "%s: cannot read it back", scenario);
    char seed_text[32];
    snprintf(seed_text, sizeof seed_text, "0x%llx", (unsigned long long)seed);
    cJSON_DeleteItemFromObject(root, "seed");
    cJSON_AddItemToObject(root, "seed", seed <= (UINT64_C(1) << 53)
                          ? cJSON_CreateNumber((double)seed) : cJSON_CreateString(seed_text));
    cJSON_DeleteItemFromObject(root, "schedule");
    cJSON_DeleteItemFromObject(root, "faults");
    cJSON *sched = cJSON_AddArrayToObject(root, "schedule");
    for (size_t i = 0; sched && i < r->path_len; i++)
        cJSON_AddItemToArray(sched, step_json(&r->path[i]));
    cJSON *expect = cJSON_GetObjectItem(root, "expect");
    if (!expect)
        expect = cJSON_AddObjectToObject(root, "expect");
    cJSON_DeleteItemFromObject(expect, "violation");
    cJSON_DeleteItemFromObject(expect, "min_ok_ops");
    cJSON_DeleteItemFromObject(expect, "leader_within_ms");
    cJSON_AddStringToObject(expect, "violation", r->check);
    char *json = cJSON_Print(root);
    cJSON_Delete(root);
    fl_outfile of;
    if (!json || fl_outfile_open(&of, out) < 0) {
        free(json);
        return 2;
    }
    fprintf(of.fp, "%s\n", json);
    free(json);
    return fl_outfile_close(&of, true) < 0 ? 2 : 0;
}

/* --prefix FILE: FILE's "schedule" replaces `s`'s own as the prefix the
 * search starts from. Returns the loaded FILE (its steps are borrowed by
 * `s` until both are freed: the schedules are swapped), or NULL with err. */
static fl_scenario *take_prefix(fl_scenario *s, const char *file, fl_error *err)
{
    fl_scenario *pre = fl_scenario_load(file, err);
    if (!pre)
        return NULL;
    if (pre->nschedule == 0) {
        fl_error_set(err, "%s: $.schedule: expected a non-empty schedule to start the "
                     "search from", file);
        fl_scenario_free(pre);
        return NULL;
    }
    if (fl_scenario_node_count(pre) != fl_scenario_node_count(s)) {
        fl_error_set(err, "%s: $.nodes: %zu nodes, but %s has %zu: the prefix does not fit",
                     file, fl_scenario_node_count(pre), s->path, fl_scenario_node_count(s));
        fl_scenario_free(pre);
        return NULL;
    }
    fl_step *steps = s->schedule;
    size_t n = s->nschedule;
    s->schedule = pre->schedule;
    s->nschedule = pre->nschedule;
    pre->schedule = steps;
    pre->nschedule = n;
    return pre;
}

int fl_cmd_search(int argc, char **argv)
{
    fl_search_opts o;
    fl_search_opts_default(&o);
    o.progress = true;
    search_args a = { 0 };
    int rc = parse_args(argc, argv, &o, &a);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    const char *out = a.out, *path = a.scenario;
    fl_error err = {0};
    fl_scenario *s = fl_scenario_load(path, &err);
    fl_plugin *plugin = NULL;
    const fl_algorithm *alg = NULL;
    if (s && a.impl) {
        plugin = fl_plugin_open(a.impl, &err);
        alg = plugin ? fl_plugin_algorithm(plugin) : NULL;
    } else if (s) {
        alg = fl_registry_find(s->algorithm);
        if (!alg)
            fl_error_set(&err, "%s: $.algorithm: no built-in algorithm \"%s\"", path,
                         s->algorithm);
    }
    if (!s || !alg || fl_scenario_bind(s, alg, &err) < 0) {
        fl_scenario_free(s);
        fl_plugin_close(plugin);
        fprintf(stderr, "faultline: %s\n", err.msg);
        return 2;
    }
    if (a.has_seed)
        s->seed = a.seed;
    fl_scenario *pre = NULL;
    if (a.prefix && !(pre = take_prefix(s, a.prefix, &err))) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        fl_scenario_free(s);
        fl_plugin_close(plugin);
        return 2;
    }
    if (a.choices) {
        rc = print_choices(s, alg, &o);
        fl_scenario_free(s);
        fl_scenario_free(pre);
        fl_plugin_close(plugin);
        return rc;
    }
    fl_search_result r;
    if (fl_search(s, alg, &o, &r, &err) < 0) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        fl_scenario_free(s);
        fl_scenario_free(pre);
        fl_plugin_close(plugin);
        return 2;
    }
    printf("search: %s, depth %d, %llu states, %llu distinct, %.2f s wall, %.2f s CPU "
           "(%.0f states per CPU-second), %llu choices pruned by sleep sets, "
           "%llu steps re-executed\n",
           o.bfs ? "breadth-first" : o.por ? "depth-first + sleep sets" : "depth-first",
           r.depth, (unsigned long long)r.states, (unsigned long long)r.distinct, r.seconds,
           r.cpu_seconds, r.cpu_seconds > 0 ? (double)r.states / r.cpu_seconds : 0.0,
           (unsigned long long)r.sleep_pruned, (unsigned long long)r.steps);
    if (r.violation) {
        printf("VIOLATION %s: %s\ncounterexample, %zu steps", r.check, r.msg, r.path_len);
        if (r.prefix_len)
            printf(" (the %zu of the prefix, then %zu found)", r.prefix_len,
                   r.path_len - r.prefix_len);
        printf(":\n");
        for (size_t i = 0; i < r.path_len; i++)
            print_step(stdout, i, &r.path[i]);
        if (out && write_counterexample(path, out, s->seed, &r) == 0)
            printf("written to %s; replay: faultline run %s%s%s\n", out, out,
                   a.impl ? " --impl " : "", a.impl ? a.impl : "");
    } else if (r.exhausted && !r.stopped_by) {
        printf("no violation: the whole space was explored\n");
    } else {
        printf("no violation within the bounds (stopped by the %s bound)\n",
               r.stopped_by ? r.stopped_by : "depth");
    }
    bool found = r.violation;
    fl_search_result_free(&r);
    fl_scenario_free(s);
    fl_scenario_free(pre);
    fl_plugin_close(plugin);
    return found ? 1 : 0;
}

/* The command-table entry (sim/cli/cli.h). Its options are parsed above
 * with getopt_long; main answers --help and --version before `--`. */
const fl_command fl_cmd_search_entry = {
    "search", "explore schedules systematically for a shortest counterexample", NULL,
    fl_cmd_search, fl_cmd_search_usage, false,
};
