/* hist_map.c — op maps, from EDN or JSON, to raw events (hist_read_impl.h). */
#include "sim/check/hist_read_impl.h"

#include <string.h>

/* ---- op maps (EDN and JSON) to raw events ---------------------------------------------- */

bool fl_rd_name_is(const rd_node *v, const char *name)
{
    if (!v || (v->type != RD_KW && v->type != RD_STR && v->type != RD_SYM))
        return false;
    return v->n == strlen(name) && memcmp(v->s, name, v->n) == 0;
}

static const struct { const char *name; fl_lin_kind kind; } rd_kinds[] = {
    { "read", FL_LIN_READ },       { "get", FL_LIN_READ },
    { "r", FL_LIN_READ },          { "write", FL_LIN_WRITE },
    { "put", FL_LIN_WRITE },       { "w", FL_LIN_WRITE },
    { "cas", FL_LIN_CAS },         { "compare-and-set", FL_LIN_CAS },
    { "add", FL_LIN_ADD },         { "incr", FL_LIN_ADD },
    { "acquire", FL_LIN_ACQUIRE }, { "lock", FL_LIN_ACQUIRE },
    { "release", FL_LIN_RELEASE }, { "unlock", FL_LIN_RELEASE },
    { "append", FL_LIN_APPEND },   { "txn", FL_LIN_TXN },
};

int fl_rd_kind_by_name(const rd_node *v, fl_lin_kind *out)
{
    for (size_t i = 0; i < sizeof rd_kinds / sizeof rd_kinds[0]; i++)
        if (fl_rd_name_is(v, rd_kinds[i].name)) {
            *out = rd_kinds[i].kind;
            return 0;
        }
    return -1;
}

int fl_rd_type_by_name(const rd_node *v, rd_etype *out)
{
    static const char *const names[] = { "invoke", "ok", "fail", "info" };
    for (int i = 0; i < 4; i++)
        if (fl_rd_name_is(v, names[i])) {
            *out = (rd_etype)i;
            return 0;
        }
    return -1;
}

typedef struct rd_fields {
    const rd_node *process, *type, *f, *key, *value, *result, *time, *error;
} rd_fields;

static void collect_fields(const rd_node *map, rd_fields *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i + 1 < 2 * map->n; i += 2) {
        const rd_node *k = map->items[i], *v = map->items[i + 1];
        if (fl_rd_name_is(k, "process"))
            f->process = v;
        else if (fl_rd_name_is(k, "type"))
            f->type = v;
        else if (fl_rd_name_is(k, "f"))
            f->f = v;
        else if (fl_rd_name_is(k, "key") || fl_rd_name_is(k, "k"))
            f->key = v;
        else if (fl_rd_name_is(k, "value"))
            f->value = v;
        else if (fl_rd_name_is(k, "result"))
            f->result = v;
        else if (fl_rd_name_is(k, "time") || fl_rd_name_is(k, "time_ns"))
            f->time = v;
        else if (fl_rd_name_is(k, "error"))
            f->error = v;
    }
}

/* One op map -> one raw event, or *skip for nemesis and the like. */
static int map_event(rd_pairer *p, const rd_node *map, rd_event *ev,
                     bool *skip)
{
    rd_fields f;
    collect_fields(map, &f);
    memset(ev, 0, sizeof *ev);
    ev->line = map->line;
    ev->result = -1;
    *skip = false;
    if (!f.process || f.process->type != RD_INT) {
        if (f.process && (f.process->type == RD_KW ||
                          f.process->type == RD_STR ||
                          f.process->type == RD_SYM)) {
            *skip = true;                     /* :nemesis and friends */
            return 0;
        }
        return fl_rd_line_error(p, map->line, "expected :process with an integer");
    }
    ev->process = f.process->i;
    if (fl_rd_type_by_name(f.type, &ev->type) != 0)
        return fl_rd_line_error(p, f.type ? f.type->line : map->line,
                          "expected :type :invoke, :ok, :fail or :info");
    if (fl_rd_kind_by_name(f.f, &ev->kind) != 0)
        return fl_rd_line_error(p, f.f ? f.f->line : map->line,
                          "expected :f read/get, write/put, cas, add, "
                          "append, acquire, release or txn");
    if (fl_rd_key(p, f.key, &ev->key) != 0)
        return -1;
    /* Porcupine's kv format: {:process 0, :type :invoke, :f :get,
     * :key "6", :value nil} */
    if (f.key && (fl_rd_name_is(f.f, "get") || fl_rd_name_is(f.f, "put") ||
                  fl_rd_name_is(f.f, "append")))
        p->kv_format = true;
    ev->mismatch = fl_rd_name_is(f.error, "mismatch");
    ev->value = f.value;
    if (f.result) {
        if (f.result->type != RD_BOOL)
            return fl_rd_line_error(p, f.result->line,
                              ":result: expected true or false");
        ev->result = (int)f.result->i;
    }
    if (f.time) {
        if (f.time->type != RD_INT)
            return fl_rd_line_error(p, f.time->line, ":time: expected an integer");
        ev->has_time = true;
        ev->time = f.time->i;
    }
    return 0;
}

int fl_rd_map_to_history(rd_pairer *p, const rd_node *map)
{
    if (map->type != RD_MAP)
        return fl_rd_line_error(p, map->line, "expected an op map {:process ... "
                          ":type ... :f ...}");
    rd_event ev;
    bool skip;
    if (map_event(p, map, &ev, &skip) != 0)
        return -1;
    return skip ? 0 : fl_rd_pair_event(p, &ev);
}

