/* hist_read.c — readers for JSON Lines, Jepsen etcd logs and Jepsen EDN
 * histories (hist_read.h). Each format is parsed into raw events (one per
 * line or map); one pairing step, shared by all three, turns them into the
 * checker's ops. Contains a small EDN reader (maps, vectors, lists, sets,
 * keywords, strings, integers, nil/true/false, ; comments, #_ and tags). */
#include "sim/check/hist_read.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/check/lin.h"

/* ---- generic values: what a parsed EDN or JSON datum looks like ----------- */

typedef enum rd_type {
    RD_NIL, RD_BOOL, RD_INT, RD_FLOAT, RD_STR, RD_KW, RD_SYM,
    RD_VEC, RD_LIST, RD_SET, RD_MAP
} rd_type;

typedef struct rd_node {
    rd_type          type;
    size_t           line;
    int64_t          i;          /* INT, BOOL */
    const char      *s;          /* STR, KW (without ':'), SYM */
    size_t           n;          /* STR: bytes; collections: items */
    struct rd_node **items;      /* MAP: key, value, key, value, ... */
} rd_node;

/* ---- raw events ---------------------------------------------------------------- */

typedef enum rd_etype { RD_INVOKE, RD_OK, RD_FAIL, RD_INFO } rd_etype;

typedef struct rd_event {
    size_t         line;
    int64_t        process;
    rd_etype       type;
    fl_lin_kind    kind;
    fl_lin_val     key;          /* NONE if absent */
    const rd_node *value;        /* NULL if absent */
    fl_lin_val     evalue;       /* etcd logs: the value, already parsed */
    bool           has_evalue;
    int            result;       /* CAS: -1 absent, 0 false, 1 true */
    bool           has_time;
    int64_t        time;
} rd_event;

/* ---- pairing invokes with completions ---------------------------------------------- */

typedef struct rd_pairer {
    fl_lin_history *h;
    const char     *name;
    fl_hist_format  fmt;
    fl_error       *err;
    int64_t         pos;         /* event counter: the order of the history */
    bool            all_timed;
    /* per op in h->ops: */
    unsigned char  *dead;        /* failed: dropped at the end */
    size_t         *ret_line;
    int64_t        *call_t, *ret_t;
    size_t          cap;
    /* process -> index of its open op + 1, 0 for none (open addressing;
     * a slot once used stays used, so probing never stops short at a
     * process that has completed its op) */
    int64_t        *procs;
    size_t         *open;
    unsigned char  *used;
    size_t          pcap, pn;
} rd_pairer;

static int oom(rd_pairer *p)
{
    return fl_error_set(p->err, "%s: out of memory", p->name);
}

static size_t proc_home(int64_t proc, size_t cap)
{
    return (size_t)(((uint64_t)proc * 0x9e3779b97f4a7c15ull) >> 20) &
           (cap - 1);
}

static int procs_grow(rd_pairer *p)
{
    size_t cap = p->pcap ? p->pcap * 2 : 64;
    int64_t *procs = malloc(cap * sizeof *procs);
    size_t *open = calloc(cap, sizeof *open);
    unsigned char *used = calloc(cap, sizeof *used);
    if (!procs || !open || !used) {
        free(procs);
        free(open);
        free(used);
        return -1;
    }
    for (size_t j = 0; j < p->pcap; j++) {
        if (!p->used[j])
            continue;
        size_t i = proc_home(p->procs[j], cap);
        while (used[i])
            i = (i + 1) & (cap - 1);
        procs[i] = p->procs[j];
        open[i] = p->open[j];
        used[i] = 1;
    }
    free(p->procs);
    free(p->open);
    free(p->used);
    p->procs = procs;
    p->open = open;
    p->used = used;
    p->pcap = cap;
    return 0;
}

/* The open-op slot of `proc`: 0 if it has none. Slots are never
 * removed, only set to 0, so a process's slot stays put. */
static size_t *proc_slot(rd_pairer *p, int64_t proc, bool insert)
{
    if (insert && (p->pn + 1) * 2 > p->pcap && procs_grow(p) != 0)
        return NULL;
    if (!p->pcap)
        return NULL;
    size_t i = proc_home(proc, p->pcap);
    for (;; i = (i + 1) & (p->pcap - 1)) {
        if (p->used[i] && p->procs[i] == proc)
            return &p->open[i];
        if (!p->used[i])
            break;
    }
    if (!insert)
        return NULL;
    p->procs[i] = proc;
    p->open[i] = 0;
    p->used[i] = 1;
    p->pn++;
    return &p->open[i];
}

static int side_grow(rd_pairer *p, size_t need)
{
    if (need <= p->cap)
        return 0;
    size_t cap = p->cap ? p->cap * 2 : 256;
    while (cap < need)
        cap *= 2;
    unsigned char *dead = realloc(p->dead, cap);
    if (dead)
        p->dead = dead;
    size_t *rl = realloc(p->ret_line, cap * sizeof *rl);
    if (rl)
        p->ret_line = rl;
    int64_t *ct = realloc(p->call_t, cap * sizeof *ct);
    if (ct)
        p->call_t = ct;
    int64_t *rt = realloc(p->ret_t, cap * sizeof *rt);
    if (rt)
        p->ret_t = rt;
    if (!dead || !rl || !ct || !rt)
        return -1;
    p->cap = cap;
    return 0;
}

static int line_error(rd_pairer *p, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int line_error(rd_pairer *p, size_t line, const char *fmt, ...)
{
    char what[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return fl_error_set(p->err, "%s:%zu: %s", p->name, line, what);
}

/* ---- values of op maps ---------------------------------------------------------------- */

static int i64_order(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static bool is_coll(const rd_node *v)
{
    return v->type == RD_VEC || v->type == RD_LIST || v->type == RD_SET;
}

/* A scalar: nil, an integer or a string (copied into the history). */
static int scalar(rd_pairer *p, const rd_node *v, fl_lin_val *out,
                  const char *what)
{
    switch (v ? v->type : RD_NIL) {
    case RD_NIL:
        *out = fl_lin_nil();
        return 0;
    case RD_INT:
        *out = fl_lin_int(v->i);
        return 0;
    case RD_STR: {
        char *s = fl_arena_strndup(&p->h->arena, v->s, v->n);
        if (!s)
            return oom(p);
        *out = (fl_lin_val){ .type = FL_LV_STR, .n = v->n, .u.s = s };
        return 0;
    }
    default:
        return line_error(p, v->line, "%s: expected nil, an integer or a "
                          "string", what);
    }
}

static int pair_value(rd_pairer *p, const rd_node *v, fl_lin_val *out)
{
    if (!v || !is_coll(v) || v->n != 2)
        return line_error(p, v ? v->line : 0,
                          "cas :value: expected [expected new]");
    fl_lin_val *pair = fl_arena_alloc(&p->h->arena, 2 * sizeof *pair);
    if (!pair)
        return oom(p);
    if (scalar(p, v->items[0], &pair[0], "cas expected value") != 0 ||
        scalar(p, v->items[1], &pair[1], "cas new value") != 0)
        return -1;
    *out = (fl_lin_val){ .type = FL_LV_PAIR, .u.pair = pair };
    return 0;
}

/* A read's result: a scalar, or a collection of integers (a set read). */
static int read_value(rd_pairer *p, const rd_node *v, fl_lin_val *out)
{
    if (!v || !is_coll(v))
        return scalar(p, v, out, "read :value");
    int64_t *list = fl_arena_alloc(&p->h->arena, (v->n + 1) * sizeof *list);
    if (!list)
        return oom(p);
    for (size_t i = 0; i < v->n; i++) {
        if (v->items[i]->type != RD_INT)
            return line_error(p, v->items[i]->line, "read :value: expected "
                              "a collection of integers");
        list[i] = v->items[i]->i;
    }
    qsort(list, v->n, sizeof *list, i64_order);
    *out = (fl_lin_val){ .type = FL_LV_LIST, .n = v->n, .u.list = list };
    return 0;
}

/* The argument an invoke carries, by kind. */
static int invoke_arg(rd_pairer *p, const rd_event *ev, fl_lin_val *out)
{
    if (ev->has_evalue) {
        *out = ev->evalue;
        return 0;
    }
    switch (ev->kind) {
    case FL_LIN_READ:
        *out = fl_lin_none();
        return 0;
    case FL_LIN_CAS:
        return pair_value(p, ev->value, out);
    default:
        if (!ev->value) {
            *out = fl_lin_none();
            return 0;
        }
        return scalar(p, ev->value, out, ":value");
    }
}

/* ---- the pairing itself -------------------------------------------------------------- */

static int pair_invoke(rd_pairer *p, const rd_event *ev)
{
    size_t *slot = proc_slot(p, ev->process, true);
    if (!slot)
        return oom(p);
    if (*slot) {
        const fl_lin_op *o = &p->h->ops[*slot - 1];
        return line_error(p, ev->line, "process %" PRId64 " invokes while "
                          "its op from line %zu is still open (expected "
                          ":ok, :fail or :info first)", ev->process, o->line);
    }
    fl_lin_op op;
    memset(&op, 0, sizeof op);
    op.kind = ev->kind;
    op.status = FL_LIN_STATUS_INFO;
    op.process = ev->process;
    op.key = ev->key;
    op.out = fl_lin_none();
    op.call = p->pos;
    op.ret = FL_LIN_NEVER;
    op.line = ev->line;
    if (invoke_arg(p, ev, &op.arg) != 0)
        return -1;
    if (side_grow(p, p->h->len + 1) != 0 || fl_lin_history_add(p->h, &op))
        return oom(p);
    size_t i = p->h->len - 1;
    p->dead[i] = 0;
    p->ret_line[i] = 0;
    p->call_t[i] = ev->time;
    p->ret_t[i] = FL_LIN_NEVER;
    *slot = i + 1;
    return 0;
}

/* Fills op->out from an :ok completion. */
static int ok_result(rd_pairer *p, const rd_event *ev, fl_lin_op *op)
{
    switch (op->kind) {
    case FL_LIN_READ:
        if (ev->has_evalue) {
            op->out = ev->evalue;
            return 0;
        }
        return read_value(p, ev->value, &op->out);
    case FL_LIN_CAS:
        op->out = fl_lin_bool(ev->result != 0);
        return 0;
    case FL_LIN_ACQUIRE:
        if (ev->has_evalue) {
            op->out = ev->evalue;
            return 0;
        }
        return scalar(p, ev->value, &op->out, "acquire :value");
    default:
        op->out = fl_lin_none();
        return 0;
    }
}

static int pair_complete(rd_pairer *p, const rd_event *ev)
{
    static const char *const tname[] = { "invoke", "ok", "fail", "info" };
    size_t *slot = proc_slot(p, ev->process, false);
    if (!slot || !*slot)
        return line_error(p, ev->line, ":%s for process %" PRId64 ", which "
                          "has no open op (expected an :invoke first)",
                          tname[ev->type], ev->process);
    size_t i = *slot - 1;
    fl_lin_op *op = &p->h->ops[i];
    if (op->kind != ev->kind)
        return line_error(p, ev->line, ":%s :%s completes the :%s invoked "
                          "on line %zu (expected :f :%s)", tname[ev->type],
                          fl_lin_kind_name(ev->kind),
                          fl_lin_kind_name(op->kind), op->line,
                          fl_lin_kind_name(op->kind));
    *slot = 0;
    rd_etype type = ev->type;
    /* etcd logs: ":fail :cas [a b]" is a CAS that ran and returned false */
    bool etcd_cas_false = p->fmt == FL_HFMT_ETCD && type == RD_FAIL &&
                          op->kind == FL_LIN_CAS && ev->has_evalue &&
                          ev->evalue.type == FL_LV_PAIR;
    if (etcd_cas_false) {
        op->status = FL_LIN_STATUS_OK;
        op->out = fl_lin_bool(false);
    } else if (type == RD_FAIL) {
        p->dead[i] = 1;
        return 0;
    } else if (type == RD_INFO) {
        return 0;                      /* stays open: may happen, or not */
    } else {
        op->status = FL_LIN_STATUS_OK;
        if (ok_result(p, ev, op) != 0)
            return -1;
    }
    op->ret = p->pos;
    p->ret_line[i] = ev->line;
    p->ret_t[i] = ev->time;
    return 0;
}

static int pair_event(rd_pairer *p, const rd_event *ev)
{
    p->pos++;
    if (!ev->has_time)
        p->all_timed = false;
    if (ev->type == RD_INVOKE)
        return pair_invoke(p, ev);
    return pair_complete(p, ev);
}

/* Drops failed ops and sets display times (ns if every event had one,
 * else line numbers). */
static void pair_finish(rd_pairer *p)
{
    fl_lin_history *h = p->h;
    size_t k = 0;
    h->time_is_ns = p->all_timed && h->len > 0;
    for (size_t i = 0; i < h->len; i++) {
        if (p->dead[i])
            continue;
        fl_lin_op op = h->ops[i];
        bool done = op.status == FL_LIN_STATUS_OK;
        if (h->time_is_ns) {
            op.call_time = p->call_t[i];
            op.ret_time = done ? p->ret_t[i] : FL_LIN_NEVER;
        } else {
            op.call_time = (int64_t)op.line;
            op.ret_time = done ? (int64_t)p->ret_line[i] : FL_LIN_NEVER;
        }
        h->ops[k++] = op;
    }
    h->len = k;
}

static void pairer_free(rd_pairer *p)
{
    free(p->dead);
    free(p->ret_line);
    free(p->call_t);
    free(p->ret_t);
    free(p->procs);
    free(p->open);
    free(p->used);
}

/* ---- op maps (EDN and JSON) to raw events ---------------------------------------------- */

static bool name_is(const rd_node *v, const char *name)
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
    { "append", FL_LIN_APPEND },
};

static int kind_by_name(const rd_node *v, fl_lin_kind *out)
{
    for (size_t i = 0; i < sizeof rd_kinds / sizeof rd_kinds[0]; i++)
        if (name_is(v, rd_kinds[i].name)) {
            *out = rd_kinds[i].kind;
            return 0;
        }
    return -1;
}

static int type_by_name(const rd_node *v, rd_etype *out)
{
    static const char *const names[] = { "invoke", "ok", "fail", "info" };
    for (int i = 0; i < 4; i++)
        if (name_is(v, names[i])) {
            *out = (rd_etype)i;
            return 0;
        }
    return -1;
}

typedef struct rd_fields {
    const rd_node *process, *type, *f, *key, *value, *result, *time;
} rd_fields;

static void collect_fields(const rd_node *map, rd_fields *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i + 1 < 2 * map->n; i += 2) {
        const rd_node *k = map->items[i], *v = map->items[i + 1];
        if (name_is(k, "process"))
            f->process = v;
        else if (name_is(k, "type"))
            f->type = v;
        else if (name_is(k, "f"))
            f->f = v;
        else if (name_is(k, "key") || name_is(k, "k"))
            f->key = v;
        else if (name_is(k, "value"))
            f->value = v;
        else if (name_is(k, "result"))
            f->result = v;
        else if (name_is(k, "time") || name_is(k, "time_ns"))
            f->time = v;
    }
}

static int map_key(rd_pairer *p, const rd_node *k, fl_lin_val *out)
{
    if (!k || k->type == RD_NIL) {
        *out = fl_lin_none();
        return 0;
    }
    if (k->type == RD_KW || k->type == RD_SYM) {
        rd_node s = *k;
        s.type = RD_STR;
        return scalar(p, &s, out, ":key");
    }
    return scalar(p, k, out, ":key");
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
        return line_error(p, map->line, "expected :process with an integer");
    }
    ev->process = f.process->i;
    if (type_by_name(f.type, &ev->type) != 0)
        return line_error(p, f.type ? f.type->line : map->line,
                          "expected :type :invoke, :ok, :fail or :info");
    if (kind_by_name(f.f, &ev->kind) != 0)
        return line_error(p, f.f ? f.f->line : map->line,
                          "expected :f read/get, write/put, cas, add, "
                          "append, acquire or release");
    if (map_key(p, f.key, &ev->key) != 0)
        return -1;
    ev->value = f.value;
    if (f.result) {
        if (f.result->type != RD_BOOL)
            return line_error(p, f.result->line,
                              ":result: expected true or false");
        ev->result = (int)f.result->i;
    }
    if (f.time) {
        if (f.time->type != RD_INT)
            return line_error(p, f.time->line, ":time: expected an integer");
        ev->has_time = true;
        ev->time = f.time->i;
    }
    return 0;
}

static int map_to_history(rd_pairer *p, const rd_node *map)
{
    if (map->type != RD_MAP)
        return line_error(p, map->line, "expected an op map {:process ... "
                          ":type ... :f ...}");
    rd_event ev;
    bool skip;
    if (map_event(p, map, &ev, &skip) != 0)
        return -1;
    return skip ? 0 : pair_event(p, &ev);
}

/* ---- the EDN reader ------------------------------------------------------------------- */

typedef struct edn {
    const char *s, *end;
    size_t      line;
    fl_arena   *arena;
    rd_pairer  *p;
    int         depth;
} edn;

static int edn_value(edn *e, rd_node **out);

static rd_node *edn_node(edn *e, rd_type type)
{
    rd_node *n = fl_arena_alloc(e->arena, sizeof *n);
    if (n) {
        n->type = type;
        n->line = e->line;
    }
    return n;
}

static void edn_skip_space(edn *e)
{
    while (e->s < e->end) {
        char c = *e->s;
        if (c == '\n') {
            e->line++;
            e->s++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == ',' ||
                   c == '\f') {
            e->s++;
        } else if (c == ';') {
            while (e->s < e->end && *e->s != '\n')
                e->s++;
        } else {
            return;
        }
    }
}

static bool edn_delim(char c)
{
    return isspace((unsigned char)c) || c == ',' || c == '{' || c == '}' ||
           c == '[' || c == ']' || c == '(' || c == ')' || c == '"' ||
           c == ';';
}

static int edn_error(edn *e, const char *what)
{
    return line_error(e->p, e->line, "%s", what);
}

static int edn_string(edn *e, rd_node **out)
{
    size_t line = e->line;
    e->s++;                                    /* the opening quote */
    const char *start = e->s;
    size_t extra = 0;
    while (e->s < e->end && *e->s != '"') {
        if (*e->s == '\\' && e->s + 1 < e->end) {
            e->s++;
            extra++;
        }
        if (*e->s == '\n')
            e->line++;
        e->s++;
    }
    if (e->s >= e->end) {
        e->line = line;
        return edn_error(e, "unterminated string (expected a closing \")");
    }
    size_t raw = (size_t)(e->s - start);
    char *buf = fl_arena_alloc(e->arena, raw - extra + 1);
    rd_node *n = edn_node(e, RD_STR);
    if (!buf || !n)
        return oom(e->p);
    size_t k = 0;
    for (const char *c = start; c < e->s; c++) {
        if (*c == '\\') {
            c++;
            buf[k++] = *c == 'n' ? '\n' : *c == 't' ? '\t'
                     : *c == 'r' ? '\r' : *c;
        } else {
            buf[k++] = *c;
        }
    }
    e->s++;                                    /* the closing quote */
    n->line = line;
    n->s = buf;
    n->n = k;
    *out = n;
    return 0;
}

static int edn_number(edn *e, const char *tok, size_t len, rd_node *n)
{
    char buf[64];
    if (len >= sizeof buf)
        return edn_error(e, "number too long");
    memcpy(buf, tok, len);
    buf[len] = '\0';
    if (len > 1 && buf[len - 1] == 'N')
        buf[len - 1] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (*end == '\0' && errno == 0) {
        n->type = RD_INT;
        n->i = v;
        return 0;
    }
    if (errno == ERANGE)
        return edn_error(e, "integer out of range (expected a 64-bit "
                            "integer)");
    strtod(buf, &end);
    if (*end == '\0' || (*end == 'M' && end[1] == '\0')) {
        n->type = RD_FLOAT;
        return 0;
    }
    return edn_error(e, "malformed number");
}

/* A keyword, symbol, number, nil, true or false. */
static int edn_atom(edn *e, rd_node **out)
{
    const char *tok = e->s;
    while (e->s < e->end && !edn_delim(*e->s))
        e->s++;
    size_t len = (size_t)(e->s - tok);
    rd_node *n = edn_node(e, RD_SYM);
    if (!n)
        return oom(e->p);
    *out = n;
    if (len == 0)
        return edn_error(e, "unexpected character");
    char c = tok[0];
    if (isdigit((unsigned char)c) ||
        ((c == '-' || c == '+') && len > 1 && isdigit((unsigned char)tok[1])))
        return edn_number(e, tok, len, n);
    if (c == ':') {
        n->type = RD_KW;
        n->s = tok + 1;
        n->n = len - 1;
        return 0;
    }
    if (c == '\\')
        return edn_error(e, "character literals are not supported");
    n->s = tok;
    n->n = len;
    if (len == 3 && memcmp(tok, "nil", 3) == 0)
        n->type = RD_NIL;
    else if (len == 4 && memcmp(tok, "true", 4) == 0) {
        n->type = RD_BOOL;
        n->i = 1;
    } else if (len == 5 && memcmp(tok, "false", 5) == 0)
        n->type = RD_BOOL;
    return 0;
}

/* Items up to the closing delimiter `close`. */
static int edn_coll(edn *e, rd_type type, char close, rd_node **out)
{
    rd_node *n = edn_node(e, type);
    if (!n)
        return oom(e->p);
    size_t line = e->line, cap = 0, count = 0;
    rd_node **items = NULL;
    int rc = -1;
    if (++e->depth > 200) {
        edn_error(e, "nested too deeply");
        goto out;
    }
    for (;;) {
        edn_skip_space(e);
        if (e->s >= e->end) {
            char msg[96];
            snprintf(msg, sizeof msg, "unexpected end of file (expected "
                     "'%c' closing the form opened on line %zu)", close, line);
            edn_error(e, msg);
            goto out;
        }
        if (*e->s == close) {
            e->s++;
            break;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 8;
            rd_node **it = realloc(items, cap * sizeof *it);
            if (!it) {
                oom(e->p);
                goto out;
            }
            items = it;
        }
        if (edn_value(e, &items[count]) != 0)
            goto out;
        count++;
    }
    if (type == RD_MAP && count % 2) {
        e->line = line;
        edn_error(e, "a map needs an even number of forms (key value ...)");
        goto out;
    }
    n->items = fl_arena_alloc(e->arena, (count + 1) * sizeof *n->items);
    if (!n->items) {
        oom(e->p);
        goto out;
    }
    if (count)
        memcpy(n->items, items, count * sizeof *items);
    n->n = type == RD_MAP ? count / 2 : count;
    *out = n;
    rc = 0;
out:
    e->depth--;
    free(items);
    return rc;
}

/* #{...}, #_ form, #tag form */
static int edn_dispatch(edn *e, rd_node **out)
{
    e->s++;
    if (e->s < e->end && *e->s == '{') {
        e->s++;
        return edn_coll(e, RD_SET, '}', out);
    }
    if (e->s < e->end && *e->s == '_') {
        e->s++;
        rd_node *ignored;
        if (edn_value(e, &ignored) != 0)
            return -1;
        edn_skip_space(e);
        return edn_value(e, out);
    }
    rd_node *tag;
    if (edn_atom(e, &tag) != 0)
        return -1;
    edn_skip_space(e);
    return edn_value(e, out);                  /* #inst "..." -> "..." */
}

static int edn_value(edn *e, rd_node **out)
{
    edn_skip_space(e);
    if (e->s >= e->end)
        return edn_error(e, "unexpected end of file (expected a value)");
    switch (*e->s) {
    case '{': e->s++; return edn_coll(e, RD_MAP, '}', out);
    case '[': e->s++; return edn_coll(e, RD_VEC, ']', out);
    case '(': e->s++; return edn_coll(e, RD_LIST, ')', out);
    case '"': return edn_string(e, out);
    case '#': return edn_dispatch(e, out);
    case '}': case ']': case ')': {
        char msg[64];
        snprintf(msg, sizeof msg, "unexpected '%c'", *e->s);
        return edn_error(e, msg);
    }
    default:
        return edn_atom(e, out);
    }
}

/* Top level: op maps, or vectors / lists of op maps. */
static int read_edn(rd_pairer *p, const char *text, size_t len)
{
    fl_arena arena;
    fl_arena_init(&arena);
    edn e = { text, text + len, 1, &arena, p, 0 };
    int rc = 0;
    for (;;) {
        edn_skip_space(&e);
        if (e.s >= e.end)
            break;
        rd_node *form;
        if (edn_value(&e, &form) != 0) {
            rc = -1;
            break;
        }
        if (form->type == RD_VEC || form->type == RD_LIST) {
            for (size_t i = 0; i < form->n && rc == 0; i++)
                rc = map_to_history(p, form->items[i]);
        } else {
            rc = map_to_history(p, form);
        }
        if (rc != 0)
            break;
        /* the maps of one top-level form are done with: reuse the memory */
        fl_arena_free(&arena);
    }
    fl_arena_free(&arena);
    return rc;
}

/* ---- JSON Lines --------------------------------------------------------------------- */

#define FL_JSON_EXACT 9007199254740992.0       /* 2^53 */

static int json_node(rd_pairer *p, fl_arena *a, const cJSON *j, size_t line,
                     rd_node **out)
{
    rd_node *n = fl_arena_alloc(a, sizeof *n);
    if (!n)
        return oom(p);
    n->line = line;
    *out = n;
    if (cJSON_IsNull(j)) {
        n->type = RD_NIL;
    } else if (cJSON_IsBool(j)) {
        n->type = RD_BOOL;
        n->i = cJSON_IsTrue(j);
    } else if (cJSON_IsNumber(j)) {
        double d = j->valuedouble;
        if (d > FL_JSON_EXACT || d < -FL_JSON_EXACT || d != (double)(int64_t)d)
            return line_error(p, line, "expected an integer (within "
                              "+-2^53), found %g", d);
        n->type = RD_INT;
        n->i = (int64_t)d;
    } else if (cJSON_IsString(j)) {
        n->type = RD_STR;
        n->s = j->valuestring;
        n->n = strlen(j->valuestring);
    } else {
        bool obj = cJSON_IsObject(j);
        int count = cJSON_GetArraySize(j);
        n->type = obj ? RD_MAP : RD_VEC;
        n->n = (size_t)count;
        n->items = fl_arena_alloc(a, ((size_t)count * 2 + 1) *
                                         sizeof *n->items);
        if (!n->items)
            return oom(p);
        size_t k = 0;
        for (const cJSON *c = j->child; c; c = c->next) {
            if (obj) {
                rd_node *key = fl_arena_alloc(a, sizeof *key);
                if (!key)
                    return oom(p);
                *key = (rd_node){ .type = RD_STR, .line = line,
                                  .s = c->string, .n = strlen(c->string) };
                n->items[k++] = key;
            }
            if (json_node(p, a, c, line, &n->items[k++]) != 0)
                return -1;
        }
    }
    return 0;
}

static int json_line(rd_pairer *p, const char *s, size_t len, size_t line)
{
    cJSON *j = cJSON_ParseWithLength(s, len);
    if (!j)
        return line_error(p, line, "invalid JSON (expected one op object "
                          "per line)");
    fl_arena a;
    fl_arena_init(&a);
    rd_node *n = NULL;
    int rc = -1;
    if (!cJSON_IsObject(j))
        line_error(p, line, "expected a JSON object {\"process\": ..., "
                   "\"type\": ..., \"f\": ...}");
    else if (json_node(p, &a, j, line, &n) == 0)
        rc = map_to_history(p, n);
    fl_arena_free(&a);
    cJSON_Delete(j);
    return rc;
}

static bool blank(const char *s, const char *end)
{
    for (; s < end; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static int read_jsonl(rd_pairer *p, const char *text, size_t len)
{
    const char *s = text, *end = text + len;
    for (size_t line = 1; s < end; line++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        if (!blank(s, eol) && json_line(p, s, (size_t)(eol - s), line) != 0)
            return -1;
        s = nl ? nl + 1 : end;
    }
    return 0;
}

/* ---- Jepsen etcd logs ------------------------------------------------------------------ */

/* "INFO  jepsen.util - 3	:ok	:cas	[1 2]": the words after the "-". */
typedef struct etcd_words {
    const char *w[8];
    size_t      n[8];
    int         count;
} etcd_words;

static void split_words(const char *s, const char *end, etcd_words *ws)
{
    ws->count = 0;
    while (s < end && ws->count < 8) {
        while (s < end && isspace((unsigned char)*s))
            s++;
        if (s >= end)
            break;
        const char *w = s;
        if (*s == '[') {                       /* [1 2] is one word */
            while (s < end && *s != ']')
                s++;
            if (s < end)
                s++;
        } else {
            while (s < end && !isspace((unsigned char)*s))
                s++;
        }
        ws->w[ws->count] = w;
        ws->n[ws->count++] = (size_t)(s - w);
    }
}

static bool word_is(const etcd_words *ws, int i, const char *lit)
{
    return i < ws->count && ws->n[i] == strlen(lit) &&
           memcmp(ws->w[i], lit, ws->n[i]) == 0;
}

static bool parse_i64(const char *s, size_t n, int64_t *out)
{
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (*end || errno)
        return false;
    *out = v;
    return true;
}

static bool etcd_scalar(const char *s, size_t n, fl_lin_val *out)
{
    int64_t v;
    if (n == 3 && memcmp(s, "nil", 3) == 0) {
        *out = fl_lin_nil();
        return true;
    }
    if (!parse_i64(s, n, &v))
        return false;
    *out = fl_lin_int(v);
    return true;
}

/* nil, an integer, [a b], or :timed-out (unknown: NONE). */
static int etcd_value(rd_pairer *p, const char *s, size_t n, size_t line,
                      fl_lin_val *out)
{
    if (n > 0 && s[0] == ':') {
        *out = fl_lin_none();
        return 0;
    }
    if (etcd_scalar(s, n, out))
        return 0;
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
        etcd_words ws;
        split_words(s + 1, s + n - 1, &ws);
        fl_lin_val *pair = fl_arena_alloc(&p->h->arena, 2 * sizeof *pair);
        if (!pair)
            return oom(p);
        if (ws.count == 2 && etcd_scalar(ws.w[0], ws.n[0], &pair[0]) &&
            etcd_scalar(ws.w[1], ws.n[1], &pair[1])) {
            *out = (fl_lin_val){ .type = FL_LV_PAIR, .u.pair = pair };
            return 0;
        }
    }
    return line_error(p, line, "expected nil, an integer, [a b] or "
                      ":timed-out, found '%.*s'", (int)n, s);
}

static int etcd_line(rd_pairer *p, const char *s, const char *end,
                     size_t line)
{
    static const char expect[] = "expected 'INFO jepsen.util - PROCESS "
                                 ":TYPE :F VALUE'";
    const char *at = strstr(s, "jepsen.util");
    if (!at || at > end)
        return line_error(p, line, "%s", expect);
    etcd_words ws;
    split_words(at, end, &ws);
    if (!word_is(&ws, 1, "-") || ws.count < 5)
        return line_error(p, line, "%s", expect);
    rd_event ev;
    memset(&ev, 0, sizeof ev);
    ev.line = line;
    ev.result = -1;
    if (ws.w[2][0] == ':')
        return 0;                              /* :nemesis */
    if (!parse_i64(ws.w[2], ws.n[2], &ev.process))
        return line_error(p, line, "expected a process number, found "
                          "'%.*s'", (int)ws.n[2], ws.w[2]);
    rd_node t = { .type = RD_KW, .s = ws.w[3] + 1, .n = ws.n[3] - 1 };
    rd_node f = { .type = RD_KW, .s = ws.w[4] + 1, .n = ws.n[4] - 1 };
    if (ws.w[3][0] != ':' || type_by_name(&t, &ev.type) != 0)
        return line_error(p, line, "expected :invoke, :ok, :fail or :info, "
                          "found '%.*s'", (int)ws.n[3], ws.w[3]);
    if (ws.w[4][0] != ':' || kind_by_name(&f, &ev.kind) != 0)
        return line_error(p, line, "expected :read, :write or :cas, found "
                          "'%.*s'", (int)ws.n[4], ws.w[4]);
    ev.key = fl_lin_none();
    ev.has_evalue = true;
    ev.evalue = fl_lin_nil();
    if (ws.count >= 6 &&
        etcd_value(p, ws.w[5], ws.n[5], line, &ev.evalue) != 0)
        return -1;
    if (ev.evalue.type == FL_LV_NONE)
        ev.has_evalue = false;                 /* :timed-out */
    if (ev.type == RD_INVOKE && ev.kind == FL_LIN_READ)
        ev.evalue = fl_lin_none();
    if (ev.type == RD_OK && ev.kind == FL_LIN_CAS)
        ev.result = 1;
    return pair_event(p, &ev);
}

static int read_etcd(rd_pairer *p, const char *text, size_t len)
{
    const char *s = text, *end = text + len;
    for (size_t line = 1; s < end; line++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        if (!blank(s, eol)) {
            /* copy the line so strstr stops at its end */
            size_t n = (size_t)(eol - s);
            char *buf = malloc(n + 1);
            if (!buf)
                return oom(p);
            memcpy(buf, s, n);
            buf[n] = '\0';
            int rc = etcd_line(p, buf, buf + n, line);
            free(buf);
            if (rc != 0)
                return -1;
        }
        s = nl ? nl + 1 : end;
    }
    return 0;
}

/* ---- detection and entry points ---------------------------------------------------------- */

const char *fl_hist_format_name(fl_hist_format f)
{
    switch (f) {
    case FL_HFMT_AUTO:  return "auto";
    case FL_HFMT_JSONL: return "jsonl";
    case FL_HFMT_ETCD:  return "etcd";
    case FL_HFMT_EDN:   return "edn";
    }
    return "?";
}

fl_hist_format fl_hist_format_parse(const char *name)
{
    if (strcmp(name, "jsonl") == 0 || strcmp(name, "json") == 0)
        return FL_HFMT_JSONL;
    if (strcmp(name, "etcd") == 0)
        return FL_HFMT_ETCD;
    if (strcmp(name, "edn") == 0)
        return FL_HFMT_EDN;
    return FL_HFMT_AUTO;
}

/* Looks at the first line that is not blank or a ; comment. */
static fl_hist_format detect(const char *text, size_t len, size_t *line)
{
    const char *s = text, *end = text + len;
    *line = 1;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        const char *c = s;
        while (c < eol && isspace((unsigned char)*c))
            c++;
        if (c < eol && *c != ';') {
            size_t n = (size_t)(eol - c);
            for (size_t i = 0; i + 11 <= n; i++)
                if (memcmp(c + i, "jepsen.util", 11) == 0)
                    return FL_HFMT_ETCD;
            if (*c == '{') {
                const char *d = c + 1;
                while (d < eol && isspace((unsigned char)*d))
                    d++;
                if (d < eol && (*d == '"' || *d == '}'))
                    return FL_HFMT_JSONL;
                return FL_HFMT_EDN;
            }
            if (*c == '[' || *c == '(' || *c == '#')
                return FL_HFMT_EDN;
            return FL_HFMT_AUTO;
        }
        s = nl ? nl + 1 : end;
        (*line)++;
    }
    return FL_HFMT_EDN;           /* blank or comments: nothing to read */
}

int fl_hist_read_text(const char *name, const char *text, size_t len,
                      fl_hist_format fmt, fl_lin_history *out,
                      fl_hist_format *found, fl_error *err)
{
    fl_lin_history_init(out, name);
    if (fmt == FL_HFMT_AUTO) {
        size_t line;
        fmt = detect(text, len, &line);
        if (fmt == FL_HFMT_AUTO)
            return fl_error_set(err, "%s:%zu: expected a history: JSON Lines "
                                "({\"process\": ...}), Jepsen EDN "
                                "({:process ...}) or a Jepsen etcd log "
                                "(INFO jepsen.util - ...)", name, line);
    }
    if (found)
        *found = fmt;
    rd_pairer p = { .h = out, .name = name, .fmt = fmt, .err = err,
                    .all_timed = true };
    int rc;
    if (fmt == FL_HFMT_JSONL)
        rc = read_jsonl(&p, text, len);
    else if (fmt == FL_HFMT_ETCD)
        rc = read_etcd(&p, text, len);
    else
        rc = read_edn(&p, text, len);
    if (rc == 0)
        pair_finish(&p);
    pairer_free(&p);
    return rc;
}

static int too_large(fl_error *err, const char *path, size_t size,
                     size_t max_bytes)
{
    char a[32], b[32];
    return fl_error_set(err, "%s: too large to check: %s%s, and a history "
                        "file may have at most %s here (it takes a few "
                        "times its size in memory; see --max-memory)",
                        path, size > max_bytes ? "" : "over ",
                        fl_lin_format_bytes(size, a, sizeof a),
                        fl_lin_format_bytes(max_bytes, b, sizeof b));
}

int fl_hist_read_file_max(const char *path, fl_hist_format fmt,
                          size_t max_bytes, fl_lin_history *out,
                          fl_hist_format *found, fl_error *err)
{
    fl_lin_history_init(out, path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return fl_error_set(err, "%s: %s", path, strerror(errno));
    struct stat sb;
    if (max_bytes && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
        (uintmax_t)sb.st_size > (uintmax_t)max_bytes) {
        fclose(f);
        return too_large(err, path, (size_t)sb.st_size, max_bytes);
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < 65536) {
            cap = cap ? cap * 2 : 65536;
            char *t = realloc(text, cap + 1);
            if (!t) {
                free(text);
                fclose(f);
                return fl_error_set(err, "%s: out of memory", path);
            }
            text = t;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
        if (max_bytes && len > max_bytes) {       /* a pipe, say */
            free(text);
            fclose(f);
            return too_large(err, path, max_bytes, max_bytes);
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(text);
        return fl_error_set(err, "%s: read error", path);
    }
    text[len] = '\0';
    int rc = fl_hist_read_text(path, text, len, fmt, out, found, err);
    free(text);
    return rc;
}

int fl_hist_read_file(const char *path, fl_hist_format fmt,
                      fl_lin_history *out, fl_hist_format *found,
                      fl_error *err)
{
    return fl_hist_read_file_max(path, fmt, fl_lin_default_max_memory() / 4,
                                 out, found, err);
}

const char *fl_hist_guess_model(const fl_lin_history *h)
{
    bool add = false, lock = false, list = false;
    for (size_t i = 0; i < h->len; i++) {
        const fl_lin_op *op = &h->ops[i];
        if (op->kind == FL_LIN_APPEND)
            return "kv";
        add |= op->kind == FL_LIN_ADD;
        lock |= op->kind == FL_LIN_ACQUIRE || op->kind == FL_LIN_RELEASE;
        list |= op->out.type == FL_LV_LIST;
    }
    if (h->has_strings)
        return "kv";
    if (lock)
        return "lock";
    if (list)
        return "set";
    if (add)
        return "counter";
    return "register";
}
