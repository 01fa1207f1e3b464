/* faults.c — the fault schedule: partitions, links, crashes, pauses,
 * clocks and nemeses, sorted into replay order. */
#include "sim/scenario/loader.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Faults --------------------------------------------------------------- */

static const char *const fl_fault_names[] = {
    "partition", "heal", "link", "crash", "restart", "pause", "resume",
    "clock", "nemesis", NULL
};

static const char *const fl_nemesis_names[] = {
    "random-crash", "random-partition", "random-pause", NULL
};

static const char *const *fl_fault_keys(fl_fault_kind k)
{
    static const char *const partition[] = {
        "type", "at_ms", "groups", "on", "after_ms", "down_ms", NULL
    };
    static const char *const heal[] = { "type", "at_ms", NULL };
    static const char *const link[] = {
        "type", "at_ms", "from", "to", "symmetric", "drop", "latency",
        "duplicate", NULL
    };
    static const char *const crash[] = {
        "type", "at_ms", "node", "torn", "on", "after_ms", "down_ms", "times",
        NULL
    };
    static const char *const node[] = { "type", "at_ms", "node", NULL };
    static const char *const pause[] = {
        "type", "at_ms", "node", "duration_ms", NULL
    };
    static const char *const clock[] = {
        "type", "at_ms", "node", "skew_ms", "drift_ppm", NULL
    };
    static const char *const nemesis[] = {
        "type", "at_ms", "kind", "every_ms", "down_ms", "max_down", "until_ms",
        NULL
    };
    switch (k) {
    case FL_FAULT_PARTITION: return partition;
    case FL_FAULT_HEAL:      return heal;
    case FL_FAULT_LINK:      return link;
    case FL_FAULT_CRASH:     return crash;
    case FL_FAULT_RESTART:
    case FL_FAULT_RESUME:    return node;
    case FL_FAULT_PAUSE:     return pause;
    case FL_FAULT_CLOCK:     return clock;
    case FL_FAULT_NEMESIS:   return nemesis;
    }
    return heal;
}

static bool fl_sel_same(const fl_selector *a, const fl_selector *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case FL_SEL_INDEX:      return a->index == b->index;
    case FL_SEL_ROLE_INDEX: return a->index == b->index && !strcmp(a->role, b->role);
    case FL_SEL_ROLE:       return !strcmp(a->role, b->role);
    case FL_SEL_REST:       return true;
    default:                return false;   /* leader twice: left to the engine */
    }
}

/* Fails if `sel` repeats a member already in groups [0..g] of `f`. */
static int ld_group_unique(fl_ld *ld, const fl_fault *f, size_t g, size_t k,
                           const fl_selector *sel)
{
    for (size_t gi = 0; gi <= g; gi++)
        for (size_t i = 0; i < (gi == g ? k : f->group_len[gi]); i++)
            if (fl_sel_same(&f->groups[gi][i], sel))
                return ld_fail(ld, "already in groups[%zu] (a node can be in "
                                   "only one group)", gi);
    return 0;
}

static int parse_group(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                       fl_fault *f, size_t g)
{
    if (cJSON_IsString(j) && strcmp(j->valuestring, "rest") == 0) {
        fl_selector rest = { .kind = FL_SEL_REST, .index = -1 };
        if (ld_group_unique(ld, f, g, 0, &rest) < 0)
            return -1;
        f->groups[g][0] = rest;
        f->group_len[g] = 1;
        return 0;
    }
    int n = cJSON_GetArraySize(j);
    if (!cJSON_IsArray(j) || n < 1 || n > FL_MAX_GROUP_MEMBERS)
        return ld_fail(ld, "a group must be \"rest\" or an array of 1 to %d "
                           "node selectors", FL_MAX_GROUP_MEMBERS);
    size_t k = 0;
    for (const cJSON *c = j->child; c; c = c->next, k++) {
        size_t m = ld_index(ld, k);
        fl_selector *sel = &f->groups[g][k];
        if (ld_selector(ld, c, s, true, sel) < 0 ||
            ld_group_unique(ld, f, g, k, sel) < 0)
            return -1;
        ld_pop(ld, m);
    }
    f->group_len[g] = k;
    return 0;
}

static int parse_trigger(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                         fl_fault *f);

/* A partition with "on" waits for its event like a crash (parse_trigger):
 * it splits `after_ms` after it and heals `down_ms` after that (0: stays
 * until a heal). */
static int parse_partition_trigger(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                                   fl_fault *f)
{
    int trig = parse_trigger(ld, j, s, f);
    if (trig < 0)
        return -1;
    static const char *const trig_keys[] = { "after_ms", "down_ms", NULL };
    if (trig == 0) {
        for (size_t i = 0; trig_keys[i]; i++)
            if (cJSON_GetObjectItemCaseSensitive(j, trig_keys[i])) {
                ld_key(ld, trig_keys[i]);
                return ld_fail(ld, "only with \"on\" (an event-triggered "
                                   "partition)");
            }
        return 0;
    }
    f->times = 1;
    if (get_time_ge0(ld, j, "after_ms", false, &f->after) < 0 ||
        get_time_ge0(ld, j, "down_ms", false, &f->down) < 0)
        return -1;
    return 0;
}

static int parse_partition(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                           fl_fault *f)
{
    const cJSON *gs;
    size_t m;
    if (parse_partition_trigger(ld, j, s, f) < 0)
        return -1;
    if (ld_get(ld, j, "groups", true, &gs, &m) < 0)
        return -1;
    int n = cJSON_GetArraySize(gs);
    if (!cJSON_IsArray(gs) || n < 2 || n > FL_MAX_GROUPS)
        return ld_fail(ld, "must be an array of 2 to %d groups", FL_MAX_GROUPS);
    size_t g = 0;
    for (const cJSON *c = gs->child; c; c = c->next, g++) {
        size_t mg = ld_index(ld, g);
        if (parse_group(ld, c, s, f, g) < 0)
            return -1;
        ld_pop(ld, mg);
    }
    f->ngroups = g;
    ld_pop(ld, m);
    return 0;
}

static int parse_link_fault(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                            fl_fault *f)
{
    if (get_selector(ld, j, "from", s, &f->from) < 0 ||
        get_selector(ld, j, "to", s, &f->to) < 0 ||
        get_bool(ld, j, "symmetric", false, &f->symmetric) < 0)
        return -1;
    int given = ld_link_spec(ld, j, &f->link);
    if (given < 0)
        return -1;
    if (given == 0)
        return ld_fail(ld, "a link fault needs at least one of drop, latency, "
                           "duplicate");
    return 0;
}

static int parse_clock(fl_ld *ld, const cJSON *j, fl_fault *f)
{
    int a = get_time_any(ld, j, "skew_ms", false, &f->skew);
    if (a < 0)
        return -1;
    int b = get_integer(ld, j, "drift_ppm", false, -FL_SC_MAX_DRIFT,
                        FL_SC_MAX_DRIFT, &f->drift_ppm);
    if (b < 0)
        return -1;
    if (a + b == 0)
        return ld_fail(ld, "a clock fault needs skew_ms and/or drift_ppm");
    return 0;
}

/* [lo, hi] in ms, 0 < lo <= hi. */
static int get_range(fl_ld *ld, const cJSON *obj, const char *key, bool required,
                     fl_time *lo, fl_time *hi)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, obj, key, required, &j, &m);
    if (r <= 0)
        return r;
    if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) != 2)
        return ld_fail(ld, "must be [lo_ms, hi_ms], an array of 2 numbers");
    fl_time *out[2] = { lo, hi };
    for (size_t i = 0; i < 2; i++) {
        size_t mi = ld_index(ld, i);
        if (ld_time(ld, cJSON_GetArrayItem(j, (int)i), FL_B_GT0, out[i]) < 0)
            return -1;
        if (i == 1 && *hi < *lo)
            return ld_fail(ld, "must be >= %s[0]", key);
        ld_pop(ld, mi);
    }
    ld_pop(ld, m);
    return 1;
}

static int parse_nemesis(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                         fl_fault *f)
{
    int kind = 0;
    int64_t max_down = 1;
    f->down_lo = FL_MS(500);
    f->down_hi = FL_MS(1500);
    f->until = s->duration;
    if (get_enum(ld, j, "kind", true, "nemesis", fl_nemesis_names, &kind) < 0 ||
        get_range(ld, j, "every_ms", true, &f->every_lo, &f->every_hi) < 0 ||
        get_range(ld, j, "down_ms", false, &f->down_lo, &f->down_hi) < 0 ||
        get_integer(ld, j, "max_down", false, 1, FL_SC_MAX_NODES, &max_down) < 0 ||
        get_time_ge0(ld, j, "until_ms", false, &f->until) < 0)
        return -1;
    f->nemesis = (fl_nemesis_kind)kind;
    f->max_down = (size_t)max_down;
    if (f->until > s->duration || f->until < f->at) {
        ld_key(ld, "until_ms");
        if (f->until < f->at)
            return ld_fail(ld, "must be >= at_ms");
        return ld_fail(ld, "must be <= duration_ms (%g)", (double)s->duration / 1e6);
    }
    return 0;
}

/* "on": {"sent": KIND, "ok": BOOL, "from": SEL} or {"sync": true,
 * "from": SEL}: the crash (or partition) waits, armed from at_ms, for that event. KIND
 * "*" matches any message the node sends. */
static int parse_trigger(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                         fl_fault *f)
{
    static const char *const keys[] = { "sent", "ok", "sync", "from", NULL };
    const cJSON *on;
    size_t m;
    int r = ld_get(ld, j, "on", false, &on, &m);
    if (r <= 0)
        return r;
    if (ld_object(ld, on, keys) < 0)
        return -1;
    f->triggered = true;
    f->on_ok = -1;
    int has_sent = get_name(ld, on, "sent", false, f->on_sent);
    int has_sync = get_bool(ld, on, "sync", false, &f->on_sync);
    if (has_sent < 0 || has_sync < 0)
        return -1;
    if (has_sync > 0 && !f->on_sync) {
        ld_key(ld, "sync");
        return ld_fail(ld, "must be true (or absent)");
    }
    bool ok = false;
    int has_ok = get_bool(ld, on, "ok", false, &ok);
    if (has_ok < 0)
        return -1;
    if (has_ok && !has_sent) {
        ld_key(ld, "ok");
        return ld_fail(ld, "only with \"sent\" (the reply's outcome)");
    }
    f->on_ok = has_ok ? ok : -1;
    if ((has_sent > 0) == f->on_sync)
        return ld_fail(ld, "needs exactly one of \"sent\": KIND (a message "
                           "kind as describe names it) or \"sync\": true");
    f->has_on_from = cJSON_GetObjectItemCaseSensitive(on, "from") != NULL;
    if (f->has_on_from && get_selector(ld, on, "from", s, &f->on_from) < 0)
        return -1;
    ld_pop(ld, m);
    return 1;
}

static int parse_crash(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                       fl_fault *f)
{
    int trig = parse_trigger(ld, j, s, f);
    if (trig < 0)
        return -1;
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(j, "node");
    if (trig == 0 || node) {
        if (get_selector(ld, j, "node", s, &f->node) < 0)
            return -1;
    } else {
        f->crash_trigger = true;
    }
    f->times = 1;
    if (get_bool(ld, j, "torn", false, &f->torn) < 0)
        return -1;
    static const char *const trig_keys[] = { "after_ms", "down_ms", "times",
                                             NULL };
    if (trig == 0) {
        for (size_t i = 0; trig_keys[i]; i++)
            if (cJSON_GetObjectItemCaseSensitive(j, trig_keys[i])) {
                ld_key(ld, trig_keys[i]);
                return ld_fail(ld, "only with \"on\" (an event-triggered "
                                   "crash)");
            }
        return 0;
    }
    if (get_time_ge0(ld, j, "after_ms", false, &f->after) < 0 ||
        get_time_ge0(ld, j, "down_ms", false, &f->down) < 0 ||
        get_integer(ld, j, "times", false, 1, 1000000, &f->times) < 0)
        return -1;
    return 0;
}

static int parse_fault_body(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                            fl_fault *f)
{
    switch (f->kind) {
    case FL_FAULT_PARTITION: return parse_partition(ld, j, s, f);
    case FL_FAULT_HEAL:      return 0;
    case FL_FAULT_LINK:      return parse_link_fault(ld, j, s, f);
    case FL_FAULT_CRASH:     return parse_crash(ld, j, s, f);
    case FL_FAULT_RESTART:
    case FL_FAULT_RESUME:
        return get_selector(ld, j, "node", s, &f->node) < 0 ? -1 : 0;
    case FL_FAULT_PAUSE:
        if (get_selector(ld, j, "node", s, &f->node) < 0)
            return -1;
        return get_time_ge0(ld, j, "duration_ms", false, &f->duration) < 0 ? -1 : 0;
    case FL_FAULT_CLOCK:
        if (get_selector(ld, j, "node", s, &f->node) < 0)
            return -1;
        return parse_clock(ld, j, f);
    case FL_FAULT_NEMESIS:   return parse_nemesis(ld, j, s, f);
    }
    return 0;
}

static int parse_fault(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                       fl_fault *f)
{
    memset(f, 0, sizeof *f);
    f->from.index = f->to.index = f->node.index = -1;
    if (ld_object(ld, j, NULL) < 0)
        return -1;
    int kind = 0;
    if (get_enum(ld, j, "type", true, "fault type", fl_fault_names, &kind) < 0)
        return -1;
    f->kind = (fl_fault_kind)kind;
    if (ld_check_keys(ld, j, fl_fault_keys(f->kind)) < 0)
        return -1;
    bool need_at = f->kind != FL_FAULT_NEMESIS;
    if (get_time_ge0(ld, j, "at_ms", need_at, &f->at) < 0)
        return -1;
    if (f->at > s->duration) {
        ld_key(ld, "at_ms");
        return ld_fail(ld, "must be <= duration_ms (%g)", (double)s->duration / 1e6);
    }
    return parse_fault_body(ld, j, s, f);
}

typedef struct fl_fault_order {
    fl_time at;
    size_t  index;
} fl_fault_order;

static int fl_fault_order_cmp(const void *pa, const void *pb)
{
    const fl_fault_order *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Stable sort by time: file order on ties. */
static int fl_sort_faults(fl_ld *ld, fl_scenario *s)
{
    if (s->nfaults < 2)
        return 0;
    fl_fault_order *ord = malloc(s->nfaults * sizeof *ord);
    fl_fault *sorted = malloc(s->nfaults * sizeof *sorted);
    if (!ord || !sorted) {
        free(ord);
        free(sorted);
        return ld_oom(ld);
    }
    for (size_t i = 0; i < s->nfaults; i++)
        ord[i] = (fl_fault_order){ s->faults[i].at, i };
    qsort(ord, s->nfaults, sizeof *ord, fl_fault_order_cmp);
    for (size_t i = 0; i < s->nfaults; i++)
        sorted[i] = s->faults[ord[i].index];
    free(ord);
    free(s->faults);
    s->faults = sorted;
    return 0;
}

int parse_faults(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    const cJSON *j;
    size_t m;
    int r = ld_get(ld, root, "faults", false, &j, &m);
    if (r <= 0)
        return r;
    if (!cJSON_IsArray(j))
        return ld_fail(ld, "must be an array (got %s)", fl_type_name(j));
    size_t n = (size_t)cJSON_GetArraySize(j);
    if (n > FL_SC_MAX_FAULTS)     /* each takes ~20 KB: bound the memory */
        return ld_fail(ld, "%zu faults: at most %d (a random-* nemesis stands for "
                       "many)", n, FL_SC_MAX_FAULTS);
    if (n) {
        s->faults = malloc(n * sizeof *s->faults);
        if (!s->faults)
            return ld_oom(ld);
    }
    size_t i = 0;
    for (const cJSON *c = j->child; c; c = c->next, i++) {
        size_t mi = ld_index(ld, i);
        if (parse_fault(ld, c, s, &s->faults[i]) < 0)
            return -1;
        s->nfaults = i + 1;
        ld_pop(ld, mi);
    }
    ld_pop(ld, m);
    return fl_sort_faults(ld, s);
}

