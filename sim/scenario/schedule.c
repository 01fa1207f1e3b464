/* schedule.c — the "schedule" section: an explicit list of steps (see
 * fl_step in scenario.h) that a run replays under manual delivery. */
#include "sim/scenario/loader.h"

#include <stdlib.h>
#include <string.h>

static const char *const step_names[] = {
    "deliver", "timer", "drop", "dup", "crash", "restart", NULL
};

const char *fl_step_kind_name(fl_step_kind k)
{
    return (unsigned)k < FL_STEP_KIND_COUNT ? step_names[k] : "?";
}

static int parse_step(fl_ld *ld, const cJSON *j, const fl_scenario *s, fl_step *st)
{
    static const char *const keys[] = { "step", "node", "from", "id", "kind", "torn", NULL };
    int kind = 0;
    int64_t id = 0;
    if (ld_object(ld, j, keys) < 0 ||
        get_enum(ld, j, "step", true, "step", step_names, &kind) < 0)
        return -1;
    st->kind = (uint8_t)kind;
    st->from = -1;
    st->what = "";
    size_t mark;
    const cJSON *item;
    int r = ld_get(ld, j, "node", true, &item, &mark);
    if (r < 0 || ld_node_id(ld, item, s, &st->node) < 0)
        return -1;
    ld_pop(ld, mark);
    bool message = kind == FL_STEP_DELIVER || kind == FL_STEP_DROP || kind == FL_STEP_DUP;
    if (kind <= FL_STEP_DUP) {
        if (get_integer(ld, j, "id", true, 1, INT64_MAX / 2, &id) < 0)
            return -1;
        st->id = (uint64_t)id;
    }
    if (message && (r = ld_get(ld, j, "from", false, &item, &mark)) != 0) {
        if (r < 0 || ld_node_id(ld, item, s, &st->from) < 0)
            return -1;
        ld_pop(ld, mark);
    }
    if (get_bool(ld, j, "torn", false, &st->torn) < 0)
        return -1;
    if (st->torn && kind != FL_STEP_CRASH) {
        (void)ld_key(ld, "torn");
        return ld_fail(ld, "only a \"crash\" step can be torn");
    }
    const cJSON *what = cJSON_GetObjectItemCaseSensitive(j, "kind");
    if (what) {
        size_t m = ld_key(ld, "kind");
        if (!cJSON_IsString(what))
            return ld_fail(ld, "must be a string (a message or timer kind)");
        st->what = what->valuestring;
        ld_pop(ld, m);
    }
    return 0;
}

int parse_schedule(fl_ld *ld, const cJSON *root, fl_scenario *s)
{
    size_t mark;
    const cJSON *arr;
    int r = ld_get(ld, root, "schedule", false, &arr, &mark);
    if (r <= 0)
        return r;
    if (!cJSON_IsArray(arr))
        return ld_fail(ld, "must be an array of steps");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n > 100000)
        return ld_fail(ld, "at most 100000 steps");
    s->schedule = calloc(n ? n : 1, sizeof *s->schedule);
    if (!s->schedule)
        return ld_oom(ld);
    size_t i = 0;
    for (const cJSON *j = arr->child; j; j = j->next, i++) {
        size_t m = ld_index(ld, i);
        if (parse_step(ld, j, s, &s->schedule[i]) < 0)
            return -1;
        ld_pop(ld, m);
    }
    s->nschedule = n;
    ld_pop(ld, mark);
    return 0;
}
