/* hist_pair.c — pairing invokes with completions into the checker's ops
 * (hist_read_impl.h), and the values ops carry. */
#include "sim/check/hist_read_impl.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- pairing invokes with completions ---------------------------------------------- */


int fl_rd_oom(rd_pairer *p)
{
    return fl_error_set(p->err, "%s: out of memory", p->name);
}

/* The open-op slot of `proc`: 0 if it has none. */
static uint64_t *proc_slot(rd_pairer *p, int64_t proc, bool insert)
{
    return fl_idmap_slot(&p->procs, (uint64_t)proc, insert);
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

int fl_rd_line_error(rd_pairer *p, size_t line, const char *fmt, ...)
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

bool fl_rd_is_coll(const rd_node *v)
{
    return v->type == RD_VEC || v->type == RD_LIST || v->type == RD_SET;
}

/* A scalar: nil, an integer or a string (copied into the history). */
int fl_rd_scalar(rd_pairer *p, const rd_node *v, fl_lin_val *out,
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
            return fl_rd_oom(p);
        *out = (fl_lin_val){ .type = FL_LV_STR, .n = v->n, .u.s = s };
        return 0;
    }
    default:
        return fl_rd_line_error(p, v->line, "%s: expected nil, an integer or a "
                          "string", what);
    }
}

int fl_rd_key(rd_pairer *p, const rd_node *k, fl_lin_val *out)
{
    if (!k || k->type == RD_NIL) {
        *out = fl_lin_none();
        return 0;
    }
    if (k->type == RD_KW || k->type == RD_SYM) {
        rd_node s = *k;
        s.type = RD_STR;
        return fl_rd_scalar(p, &s, out, ":key");
    }
    return fl_rd_scalar(p, k, out, ":key");
}

static int pair_value(rd_pairer *p, const rd_node *v, fl_lin_val *out)
{
    if (!v || !fl_rd_is_coll(v) || v->n != 2)
        return fl_rd_line_error(p, v ? v->line : 0,
                          "cas :value: expected [expected new]");
    fl_lin_val *pair = fl_arena_alloc(&p->h->arena, 2 * sizeof *pair);
    if (!pair)
        return fl_rd_oom(p);
    if (fl_rd_scalar(p, v->items[0], &pair[0], "cas expected value") != 0 ||
        fl_rd_scalar(p, v->items[1], &pair[1], "cas new value") != 0)
        return -1;
    *out = (fl_lin_val){ .type = FL_LV_PAIR, .u.pair = pair };
    return 0;
}

/* A read's result: a scalar, or a collection of integers (a set read). */
static int read_value(rd_pairer *p, const rd_node *v, fl_lin_val *out)
{
    if (!v || !fl_rd_is_coll(v))
        return fl_rd_scalar(p, v, out, "read :value");
    int64_t *list = fl_arena_alloc(&p->h->arena, (v->n + 1) * sizeof *list);
    if (!list)
        return fl_rd_oom(p);
    for (size_t i = 0; i < v->n; i++) {
        if (v->items[i]->type != RD_INT)
            return fl_rd_line_error(p, v->items[i]->line, "read :value: expected "
                              "a collection of integers");
        list[i] = v->items[i]->i;
    }
    qsort(list, v->n, sizeof *list, i64_order);
    *out = (fl_lin_val){ .type = FL_LV_LIST, .n = v->n, .u.list = list };
    return 0;
}

/* A transaction (Knossos' multi-register): [[:read k v] [:write k v]
 * ...], also :r / :w. A read of nil saw an unknown value (Knossos: "nil
 * reads are always legal"). */
static int txn_value(rd_pairer *p, const rd_node *v, fl_lin_val *out)
{
    if (!v || !fl_rd_is_coll(v))
        return fl_rd_line_error(p, v ? v->line : 0, "txn :value: expected "
                                "[[:read k v] [:write k v] ...]");
    fl_lin_mop *m = fl_arena_alloc(&p->h->arena, (v->n + 1) * sizeof *m);
    if (!m)
        return fl_rd_oom(p);
    for (size_t i = 0; i < v->n; i++) {
        const rd_node *t = v->items[i];
        if (!fl_rd_is_coll(t) || t->n != 3)
            return fl_rd_line_error(p, t->line, "txn: expected a micro-op "
                                    "[:read k v] or [:write k v]");
        fl_lin_kind k;
        if (fl_rd_kind_by_name(t->items[0], &k) != 0 ||
            (k != FL_LIN_READ && k != FL_LIN_WRITE))
            return fl_rd_line_error(p, t->line, "txn: expected :read or "
                                    ":write first in a micro-op");
        m[i].write = k == FL_LIN_WRITE;
        if (fl_rd_key(p, t->items[1], &m[i].key) != 0 ||
            fl_rd_scalar(p, t->items[2], &m[i].val, "txn value") != 0)
            return -1;
        if (!m[i].write && m[i].val.type == FL_LV_NIL)
            m[i].val = fl_lin_none();
    }
    *out = (fl_lin_val){ .type = FL_LV_TXN, .n = v->n, .u.mops = m };
    return 0;
}

/* The argument an invoke carries, by kind; `v` its value node. */
static int invoke_arg(rd_pairer *p, const rd_event *ev, const rd_node *v,
                      fl_lin_val *out)
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
        return pair_value(p, v, out);
    case FL_LIN_TXN:
        return txn_value(p, v, out);
    default:
        if (!v) {
            *out = fl_lin_none();
            return 0;
        }
        return fl_rd_scalar(p, v, out, ":value");
    }
}

/* Jepsen's independent keys: the value is a tuple [k v] (for a CAS,
 * [k [old new]]). Decided at the invoke — a plain read's invoke carries
 * nil, a plain CAS [old new] of scalars — and kept for the completion. */
static bool is_tuple(fl_lin_kind kind, const rd_node *v)
{
    if (!v || v->type != RD_VEC || v->n != 2 || kind == FL_LIN_TXN)
        return false;
    if (kind != FL_LIN_CAS)
        return true;
    return fl_rd_is_coll(v->items[1]) && v->items[1]->n == 2;
}

#define RD_DEAD  1u               /* flags per op in rd_pairer.dead */
#define RD_TUPLE 2u

/* ---- the pairing itself -------------------------------------------------------------- */

static int pair_invoke(rd_pairer *p, const rd_event *ev)
{
    uint64_t *slot = proc_slot(p, ev->process, true);
    if (!slot)
        return fl_rd_oom(p);
    if (*slot) {
        const fl_lin_op *o = &p->h->ops[*slot - 1];
        return fl_rd_line_error(p, ev->line, "process %" PRId64 " invokes while "
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
    const rd_node *v = ev->value;
    bool tuple = !ev->has_evalue && ev->key.type == FL_LV_NONE &&
                 is_tuple(ev->kind, v);
    if (tuple) {
        if (fl_rd_key(p, v->items[0], &op.key) != 0)
            return -1;
        v = v->items[1];
    }
    if (invoke_arg(p, ev, v, &op.arg) != 0)
        return -1;
    if (side_grow(p, p->h->len + 1) != 0 || fl_lin_history_add(p->h, &op))
        return fl_rd_oom(p);
    size_t i = p->h->len - 1;
    p->dead[i] = tuple ? RD_TUPLE : 0;
    p->ret_line[i] = 0;
    p->call_t[i] = ev->time;
    p->ret_t[i] = FL_LIN_NEVER;
    *slot = i + 1;
    return 0;
}

/* Fills op->out (a txn: op->arg) from an :ok completion whose value node
 * is `v`. */
static int ok_result(rd_pairer *p, const rd_event *ev, const rd_node *v,
                     fl_lin_op *op)
{
    switch (op->kind) {
    case FL_LIN_READ:
        if (ev->has_evalue) {
            op->out = ev->evalue;
            return 0;
        }
        if (p->nil_unknown && (!v || v->type == RD_NIL)) {
            op->out = fl_lin_none();      /* Knossos: "we don't know" */
            return 0;
        }
        return read_value(p, v, &op->out);
    case FL_LIN_TXN:
        op->out = fl_lin_none();          /* the reads' results are in arg */
        return txn_value(p, v, &op->arg);
    case FL_LIN_CAS:
        op->out = fl_lin_bool(ev->result != 0);
        return 0;
    case FL_LIN_ACQUIRE:
        if (ev->has_evalue) {
            op->out = ev->evalue;
            return 0;
        }
        return fl_rd_scalar(p, v, &op->out, "acquire :value");
    default:
        op->out = fl_lin_none();
        return 0;
    }
}

static int pair_complete(rd_pairer *p, const rd_event *ev)
{
    static const char *const tname[] = { "invoke", "ok", "fail", "info" };
    uint64_t *slot = proc_slot(p, ev->process, false);
    if (!slot || !*slot)
        return fl_rd_line_error(p, ev->line, ":%s for process %" PRId64 ", which "
                          "has no open op (expected an :invoke first)",
                          tname[ev->type], ev->process);
    size_t i = (size_t)(*slot - 1);
    fl_lin_op *op = &p->h->ops[i];
    if (op->kind != ev->kind)
        return fl_rd_line_error(p, ev->line, ":%s :%s completes the :%s invoked "
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
    /* faultline's EDN: a CAS whose comparison failed is :fail (so Knossos
     * reads it as not having happened) with :error :mismatch (so faultline
     * keeps what it observed) */
    bool mismatch = p->faultline && type == RD_FAIL &&
                    op->kind == FL_LIN_CAS && ev->mismatch;
    const rd_node *v = ev->value;
    if ((p->dead[i] & RD_TUPLE) && type == RD_OK) {
        if (!v || !fl_rd_is_coll(v) || v->n != 2)
            return fl_rd_line_error(p, ev->line, ":value: expected a tuple "
                                    "[key value] like its invoke on line %zu",
                                    op->line);
        v = v->items[1];
    }
    if (etcd_cas_false || mismatch) {
        op->status = FL_LIN_STATUS_OK;
        op->out = fl_lin_bool(false);
    } else if (type == RD_FAIL) {
        p->dead[i] |= RD_DEAD;
        return 0;
    } else if (type == RD_INFO) {
        return 0;                      /* stays open: may happen, or not */
    } else {
        op->status = FL_LIN_STATUS_OK;
        if (ok_result(p, ev, v, op) != 0)
            return -1;
    }
    op->ret = p->pos;
    p->ret_line[i] = ev->line;
    p->ret_t[i] = ev->time;
    return 0;
}

int fl_rd_pair_event(rd_pairer *p, const rd_event *ev)
{
    p->pos++;
    if (!ev->has_time)
        p->all_timed = false;
    if (ev->type == RD_INVOKE)
        return pair_invoke(p, ev);
    return pair_complete(p, ev);
}

/* Whether a value is or holds a string (a read's result counts: it is
 * known only at the completion). */
static bool has_string(const fl_lin_val *v)
{
    if (v->type == FL_LV_STR)
        return true;
    if (v->type == FL_LV_PAIR)
        return has_string(&v->u.pair[0]) || has_string(&v->u.pair[1]);
    return false;
}

/* Drops failed ops and sets display times (ns if every event had one,
 * else line numbers). */
void fl_rd_pair_finish(rd_pairer *p)
{
    fl_lin_history *h = p->h;
    size_t k = 0;
    h->time_is_ns = p->all_timed && h->len > 0;
    h->has_strings = false;
    for (size_t i = 0; i < h->len; i++) {
        if (p->dead[i] & RD_DEAD)
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
        h->has_strings |= has_string(&op.arg) || has_string(&op.out);
        h->ops[k++] = op;
    }
    h->len = k;
}

void fl_rd_pairer_free(rd_pairer *p)
{
    free(p->dead);
    free(p->ret_line);
    free(p->call_t);
    free(p->ret_t);
    fl_idmap_destroy(&p->procs);
}

