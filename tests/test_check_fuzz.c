/* test_check_fuzz.c — differential testing of the linearizability checker.
 *
 * A generator makes random concurrent histories that are linearizable by
 * construction (every op takes effect at one instant between its invoke
 * and its completion, or — for :info ops — maybe never), and perturbs half
 * of them (one result changed, so they may or may not stay linearizable).
 * Each history is written in every format the checker reads — faultline's
 * JSON Lines, Knossos EDN (independent keys as [k v] tuples), a Jepsen etcd
 * log, Porcupine's kv format, and faultline's own EDN through the engine's
 * writer — read back by `faultline check`'s readers, and checked; a small
 * reference checker of its own, exhaustive over the orders of the ops
 * (with a table of the configurations already refuted), says what the
 * answer must be, under that format's documented semantics (a nil read is
 * unknown in Knossos EDN; a CAS whose comparison failed is :fail, so did
 * not happen, in Knossos EDN; every key starts at "" in Porcupine's kv
 * format). Any disagreement prints the history and fails.
 *
 *   tests/test_check_fuzz            300 histories per format (make check)
 *   tests/test_check_fuzz N [SEED]   N histories per format
 *   tests/check_fuzz.sh N            the same, timed
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check/hist_read.h"
#include "sim/check/lin.h"
#include "sim/check/model.h"
#include "sim/history.h"

#define MAX_OPS  11
#define MAX_KEYS 3
#define NIL      INT64_MIN
#define UNKNOWN  (INT64_MIN + 1)       /* a read whose value is not known */
#define STRLEN   24

/* ---- the abstract history -------------------------------------------------- */

enum { K_READ, K_WRITE, K_CAS, K_APPEND };
enum { S_OK, S_INFO, S_FAIL };

typedef struct gop {
    int     kind, key, status;
    int64_t proc;
    int64_t arg, arg2;          /* write / cas expected, new */
    int64_t out;                /* read value, cas 1/0; UNKNOWN */
    char    sarg[STRLEN], sout[STRLEN];   /* kv: put/append arg, get out */
    int     call, ret;          /* event positions; ret -1 if none */
} gop;

typedef struct ghist {
    gop  ops[MAX_OPS];
    int  n;
    int  ev_op[2 * MAX_OPS];    /* event order: op index */
    bool ev_ret[2 * MAX_OPS];   /* ... completion (else invoke) */
    int  nev;
    bool strings;               /* kv: get/put/append on strings */
    int  keys;
} ghist;

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnd(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int below(rng *r, int n)
{
    return (int)(rnd(r) % (uint64_t)n);
}

/* The sequential state: per key an integer (NIL) or a string. */
typedef struct gstate {
    int64_t v[MAX_KEYS];
    char    s[MAX_KEYS][STRLEN];
} gstate;

static void apply_int(gstate *st, gop *o)
{
    int64_t *cur = &st->v[o->key];
    switch (o->kind) {
    case K_READ:
        o->out = *cur;
        break;
    case K_WRITE:
        *cur = o->arg;
        break;
    case K_CAS:
        o->out = *cur == o->arg;
        if (o->out)
            *cur = o->arg2;
        break;
    }
}

static void apply_str(gstate *st, gop *o)
{
    char *cur = st->s[o->key];
    switch (o->kind) {
    case K_READ:
        snprintf(o->sout, STRLEN, "%s", cur);
        break;
    case K_WRITE:
        snprintf(cur, STRLEN, "%s", o->sarg);
        break;
    case K_APPEND:                    /* at most MAX_OPS letters: fits */
        strcat(cur, o->sarg);
        break;
    }
}

static void random_op(rng *r, ghist *h, gop *o)
{
    memset(o, 0, sizeof *o);
    o->key = below(r, h->keys);
    o->ret = -1;
    o->out = UNKNOWN;
    if (h->strings) {
        o->kind = below(r, 3) == 0 ? K_READ : below(r, 2) ? K_WRITE
                                                           : K_APPEND;
        snprintf(o->sarg, STRLEN, "%c", 'a' + below(r, 3));
        return;
    }
    int k = below(r, 10);
    o->kind = k < 4 ? K_READ : k < 7 ? K_WRITE : K_CAS;
    o->arg = below(r, 3);
    o->arg2 = below(r, 3);
}

/* A history linearizable by construction: processes invoke, take effect
 * (at most once, between invoke and completion) and complete, in a random
 * interleaving. Info ops may or may not take effect; fail ops never do. */
static void generate(rng *r, ghist *h, bool strings, bool one_key)
{
    memset(h, 0, sizeof *h);
    h->strings = strings;
    h->keys = one_key ? 1 : 1 + below(r, MAX_KEYS);
    int nproc = 2 + below(r, 4), want = 2 + below(r, MAX_OPS - 1);
    int open[8], phase[8];              /* op of each thread, 0 idle 1 open
                                           2 effective */
    int64_t pid[8];
    gstate st;
    for (int k = 0; k < MAX_KEYS; k++) {
        st.v[k] = NIL;
        st.s[k][0] = '\0';
    }
    for (int t = 0; t < nproc; t++) {
        phase[t] = 0;
        pid[t] = t;
    }
    int64_t next_pid = nproc;
    for (int guard = 0; guard < 1000; guard++) {
        int t = below(r, nproc);
        if (phase[t] == 0) {
            if (h->n >= want)
                continue;
            gop *o = &h->ops[h->n];
            random_op(r, h, o);
            o->proc = pid[t];
            o->call = h->nev;
            h->ev_op[h->nev] = h->n;
            h->ev_ret[h->nev++] = false;
            open[t] = h->n++;
            phase[t] = 1;
        } else if (phase[t] == 1 && below(r, 4)) {
            gop *o = &h->ops[open[t]];
            if (strings)
                apply_str(&st, o);
            else
                apply_int(&st, o);
            phase[t] = 2;
        } else {
            gop *o = &h->ops[open[t]];
            int x = below(r, 12);
            if (phase[t] == 1)
                o->status = x < 6 ? S_FAIL : S_INFO;   /* did not happen */
            else
                o->status = x == 0 ? S_INFO : S_OK;
            if (o->status != S_OK) {
                o->out = UNKNOWN;
                o->sout[0] = '\0';
            }
            o->ret = h->nev;
            h->ev_op[h->nev] = open[t];
            h->ev_ret[h->nev++] = true;
            phase[t] = 0;
            if (o->status == S_INFO)
                pid[t] = next_pid++;     /* Jepsen: a new process */
        }
        bool idle = true;
        for (int u = 0; u < nproc; u++)
            idle &= phase[u] == 0;
        if (idle && h->n >= want)
            break;
    }
    /* ops still open at the end: indeterminate, no completion */
    for (int i = 0; i < h->n; i++)
        if (h->ops[i].ret < 0) {
            h->ops[i].status = S_INFO;
            h->ops[i].out = UNKNOWN;
            h->ops[i].sout[0] = '\0';
        }
}

/* Changes one ok result: the history may stop being linearizable. */
static void perturb(rng *r, ghist *h)
{
    for (int tries = 0; tries < 20; tries++) {
        gop *o = &h->ops[below(r, h->n)];
        if (o->status != S_OK)
            continue;
        if (o->kind == K_READ && h->strings) {
            snprintf(o->sout, STRLEN, "%c", 'a' + below(r, 3));
            return;
        }
        if (o->kind == K_READ) {
            o->out = below(r, 4) == 0 ? NIL : below(r, 3);
            return;
        }
        if (o->kind == K_CAS) {
            o->out = !o->out;
            return;
        }
    }
}

/* ---- the reference checker ---------------------------------------------------- */

/* Exhaustive: any op not yet placed whose call precedes every unplaced ok
 * op's return may go next (ok ops must, info ops may, fail ops are not in
 * the history); success when every ok op is placed. Configurations that
 * failed are remembered, so it stays fast at MAX_OPS ops. */
typedef struct ref {
    const ghist *h;
    bool         drop[MAX_OPS];      /* not in the history (fail) */
    struct seen { uint32_t mask; gstate st; bool used; } *tab;
    size_t       cap;
} ref;

static uint64_t st_hash(uint32_t mask, const gstate *st)
{
    uint64_t x = mask * 0x9e3779b97f4a7c15ull;
    const unsigned char *p = (const unsigned char *)st;
    for (size_t i = 0; i < sizeof *st; i++)
        x = (x ^ p[i]) * 0x100000001b3ull;
    return x;
}

static bool seen(ref *r, uint32_t mask, const gstate *st)
{
    size_t i = st_hash(mask, st) & (r->cap - 1);
    for (; r->tab[i].used; i = (i + 1) & (r->cap - 1))
        if (r->tab[i].mask == mask && memcmp(&r->tab[i].st, st, sizeof *st) == 0)
            return true;
    r->tab[i].used = true;
    r->tab[i].mask = mask;
    r->tab[i].st = *st;
    return false;
}

/* Applies op o to st: false if its recorded result cannot be seen. */
static bool ref_step(const ghist *h, const gop *o, gstate *st)
{
    if (h->strings) {
        char *cur = st->s[o->key];
        if (o->kind == K_READ)
            return o->status != S_OK || strcmp(cur, o->sout) == 0;
        if (o->kind == K_WRITE)
            snprintf(cur, STRLEN, "%s", o->sarg);
        else if (strlen(cur) + strlen(o->sarg) < STRLEN)
            strcat(cur, o->sarg);
        else
            return false;
        return true;
    }
    int64_t *cur = &st->v[o->key];
    switch (o->kind) {
    case K_READ:
        return o->out == UNKNOWN || o->out == *cur;
    case K_WRITE:
        *cur = o->arg;
        return true;
    default:                                  /* K_CAS */
        if (o->out == UNKNOWN || o->out) {
            if (*cur != o->arg)
                return o->out == UNKNOWN ? true : false;
            *cur = o->arg2;
            return true;
        }
        return *cur != o->arg;
    }
}

static bool ref_search(ref *r, uint32_t done, const gstate *st)
{
    const ghist *h = r->h;
    int min_ret = 1 << 30;
    bool all = true;
    for (int i = 0; i < h->n; i++) {
        if (r->drop[i] || (done >> i & 1u) || h->ops[i].status != S_OK)
            continue;
        all = false;
        if (h->ops[i].ret < min_ret)
            min_ret = h->ops[i].ret;
    }
    if (all)
        return true;
    if (seen(r, done, st))
        return false;
    for (int i = 0; i < h->n; i++) {
        if (r->drop[i] || (done >> i & 1u) || h->ops[i].call > min_ret)
            continue;
        gstate next = *st;
        if (ref_step(h, &h->ops[i], &next) &&
            ref_search(r, done | 1u << i, &next))
            return true;
    }
    return false;
}

/* The reference verdict for h as it is read from a format whose initial
 * value is init (NIL or "") and where fail ops are dropped. */
static bool reference(const ghist *h)
{
    ref r = { .h = h, .cap = 1u << 16 };
    r.tab = calloc(r.cap, sizeof *r.tab);
    if (!r.tab)
        abort();
    gstate st;
    memset(&st, 0, sizeof st);
    for (int k = 0; k < MAX_KEYS; k++)
        st.v[k] = NIL;
    for (int i = 0; i < h->n; i++)
        r.drop[i] = h->ops[i].status == S_FAIL;
    bool ok = ref_search(&r, 0, &st);
    free(r.tab);
    return ok;
}

/* ---- writing a history in each format ------------------------------------------ */

typedef struct sbuf {
    char  *s;
    size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(sbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + 256;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            abort();
    }
}

static const char *const kname[] = { "read", "write", "cas", "append" };
static const char *const tname[] = { "ok", "info", "fail" };

static void put_int(sbuf *b, int64_t v, const char *nil)
{
    if (v == NIL || v == UNKNOWN)
        put(b, "%s", nil);
    else
        put(b, "%" PRId64, v);
}

/* faultline JSON Lines: nil reads are nil; CAS ok with "result". */
static void write_jsonl(const ghist *h, sbuf *b)
{
    for (int e = 0; e < h->nev; e++) {
        const gop *o = &h->ops[h->ev_op[e]];
        bool ret = h->ev_ret[e];
        put(b, "{\"process\":%" PRId64 ",\"type\":\"%s\",\"f\":\"%s\","
            "\"key\":%d,\"value\":", o->proc, ret ? tname[o->status]
                                                   : "invoke",
            kname[o->kind], o->key);
        if (o->kind == K_CAS) {
            put(b, "[%" PRId64 ",%" PRId64 "]", o->arg, o->arg2);
            if (ret && o->status == S_OK)
                put(b, ",\"result\":%s", o->out ? "true" : "false");
        } else if (o->kind == K_READ) {
            put_int(b, ret && o->status == S_OK ? o->out : NIL, "null");
        } else {
            put_int(b, o->arg, "null");
        }
        put(b, "}\n");
    }
}

/* Knossos EDN, keys as [k v] tuples: a nil read is unknown to Knossos, and
 * a CAS whose comparison failed is :fail (it did not swap). */
static void write_knossos(const ghist *h, sbuf *b, ghist *as_read)
{
    *as_read = *h;
    put(b, "[");
    for (int e = 0; e < h->nev; e++) {
        const gop *o = &h->ops[h->ev_op[e]];
        gop *a = &as_read->ops[h->ev_op[e]];
        bool ret = h->ev_ret[e];
        int status = o->status;
        if (o->kind == K_CAS && status == S_OK && !o->out) {
            status = S_FAIL;
            a->status = S_FAIL;
        }
        if (o->kind == K_READ && status == S_OK && o->out == NIL)
            a->out = UNKNOWN;
        put(b, "{:process %" PRId64 ", :type :%s, :f :%s, :value [%d ",
            o->proc, ret ? tname[status] : "invoke", kname[o->kind], o->key);
        if (o->kind == K_CAS)
            put(b, "[%" PRId64 " %" PRId64 "]", o->arg, o->arg2);
        else if (o->kind == K_READ)
            put_int(b, ret && status == S_OK ? o->out : NIL, "nil");
        else
            put_int(b, o->arg, "nil");
        put(b, "], :index %d}\n", e);
    }
    put(b, "]\n");
}

/* A Jepsen etcd log (one key): :fail :cas is a CAS that returned false,
 * so a CAS that did not happen can only be written as timed out (:info);
 * other :fail ops did not happen; :info is :timed-out. */
static void write_etcd(const ghist *h, sbuf *b, ghist *as_read)
{
    *as_read = *h;
    for (int e = 0; e < h->nev; e++) {
        const gop *o = &h->ops[h->ev_op[e]];
        bool ret = h->ev_ret[e];
        const char *type = ret ? tname[o->status] : "invoke";
        if (ret && o->kind == K_CAS && o->status == S_OK && !o->out)
            type = "fail";
        if (ret && o->kind == K_CAS && o->status == S_FAIL) {
            type = "info";
            as_read->ops[h->ev_op[e]].status = S_INFO;
        }
        put(b, "INFO  jepsen.util - %" PRId64 "\t:%s\t:%s\t", o->proc, type,
            kname[o->kind]);
        if (ret && (o->status == S_INFO || !strcmp(type, "info")))
            put(b, ":timed-out");
        else if (o->kind == K_CAS)
            put(b, "[%" PRId64 " %" PRId64 "]", o->arg, o->arg2);
        else if (o->kind == K_READ)
            put_int(b, ret && o->status == S_OK ? o->out : NIL, "nil");
        else
            put_int(b, o->arg, "nil");
        put(b, "\n");
    }
}

/* Porcupine's kv format: every key starts at "". */
static void write_porcupine_kv(const ghist *h, sbuf *b)
{
    static const char *const f[] = { "get", "put", "cas", "append" };
    for (int e = 0; e < h->nev; e++) {
        const gop *o = &h->ops[h->ev_op[e]];
        bool ret = h->ev_ret[e];
        put(b, "{:process %" PRId64 ", :type :%s, :f :%s, :key \"%d\", "
            ":value ", o->proc, ret ? tname[o->status] : "invoke",
            f[o->kind], o->key);
        if (o->kind == K_READ)
            put(b, ret && o->status == S_OK ? "\"%s\"}\n" : "nil}\n",
                o->sout);
        else
            put(b, "\"%s\"}\n", o->sarg);
    }
}

/* faultline's own EDN, through the engine's writer (sim/history.c). */
static void write_faultline_edn(const ghist *h, sbuf *b)
{
    fl_history fh;
    fl_history_init(&fh);
    uint64_t id[MAX_OPS];
    for (int e = 0; e < h->nev; e++) {
        const gop *o = &h->ops[h->ev_op[e]];
        if (!h->ev_ret[e]) {
            fl_op op = { .key = (uint32_t)o->key, .arg = o->arg,
                         .arg2 = o->arg2 };
            op.kind = o->kind == K_READ ? FL_OP_READ
                      : o->kind == K_WRITE ? FL_OP_WRITE : FL_OP_CAS;
            id[h->ev_op[e]] = fl_history_invoke(&fh, o->proc, FL_NO_NODE,
                                                &op, e);
            continue;
        }
        fl_hist_type t = o->status == S_OK ? FL_HIST_OK
                         : o->status == S_INFO ? FL_HIST_INFO : FL_HIST_FAIL;
        int64_t v = o->status != S_OK ? FL_NIL
                    : o->kind == K_READ ? o->out : o->kind == K_CAS ? o->out
                                                                    : FL_NIL;
        fl_history_complete(&fh, id[h->ev_op[e]], t, v, e);
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f || fl_history_write_edn(&fh, f) != 0)
        abort();
    fclose(f);
    put(b, "%s", text);
    free(text);
    fl_history_destroy(&fh);
}

/* ---- the differential loop ------------------------------------------------------ */

enum { F_JSONL, F_KNOSSOS, F_ETCD, F_KV, F_FLEDN, F_COUNT };
static const char *const fname[] = { "jsonl", "knossos-edn", "etcd",
                                     "porcupine-kv", "faultline-edn" };

/* Checks one rendering; returns false (and prints) on a disagreement.
 * *lin: the reference's verdict. */
static bool one(const ghist *h, int fmt, const char *model, bool *lin)
{
    sbuf b = { 0 };
    ghist as_read = *h;
    switch (fmt) {
    case F_JSONL:   write_jsonl(h, &b); break;
    case F_KNOSSOS: write_knossos(h, &b, &as_read); break;
    case F_ETCD:    write_etcd(h, &b, &as_read); break;
    case F_KV:      write_porcupine_kv(h, &b); break;
    default:        write_faultline_edn(h, &b); break;
    }
    bool want = reference(&as_read);
    *lin = want;
    fl_lin_history lh;
    fl_error err;
    fl_lin_result got = FL_LIN_ERROR;
    if (fl_hist_read_text(fname[fmt], b.s, b.len, FL_HFMT_AUTO, &lh, NULL,
                          &err) == 0) {
        const char *name = model ? model : fl_hist_guess_model(&lh);
        fl_lin_options o = { .timeout_s = 60 };
        fl_lin_report rep;
        got = fl_lin_check_opts(&lh, fl_model_find(name), NULL, &o, &rep);
        if (got == FL_LIN_ERROR)
            snprintf(err.msg, sizeof err.msg, "%s", rep.err.msg);
        fl_lin_report_free(&rep);
    }
    fl_lin_history_free(&lh);
    bool agree = got == (want ? FL_LIN_OK : FL_LIN_VIOLATION);
    if (!agree)
        printf("DISAGREEMENT (%s): reference says %s, checker says %s%s%s\n"
               "%s\n", fname[fmt], want ? "linearizable" : "NOT",
               fl_lin_result_name(got), got == FL_LIN_ERROR ? ": " : "",
               got == FL_LIN_ERROR ? err.msg : "", b.s);
    free(b.s);
    return agree;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 300;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
    if (n <= 0) {
        fprintf(stderr, "usage: test_check_fuzz [N [SEED]]\n");
        return 2;
    }
    rng r = { seed };
    long bad = 0, yes = 0, total = 0;
    for (long i = 0; i < n; i++) {
        for (int fmt = 0; fmt < F_COUNT; fmt++) {
            ghist h;
            bool strings = fmt == F_KV;
            generate(&r, &h, strings, fmt == F_ETCD);
            if (below(&r, 2))
                perturb(&r, &h);
            const char *model = fmt == F_KV ? NULL : "register";
            bool lin;
            bad += !one(&h, fmt, model, &lin);
            yes += lin;
            total++;
        }
    }
    printf("%ld histories (%ld per format, %d formats), %ld linearizable, "
           "%ld disagreements\n", total, n, F_COUNT, yes, bad);
    printf("fl-tests: %ld passed, %ld failed\n", total - bad, bad);
    return bad ? 1 : 0;
}
