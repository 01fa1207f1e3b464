/* shrink.c — the reduction passes of delta debugging (see shrink.h). Each
 * pass builds candidate trees (modified copies of the current one), asks
 * the caller which still fails the same way, and adopts the first. */
#include "sim/batch/shrink.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANDS 64
#define MAX_ROUNDS 6

typedef struct shr {
    cJSON         **root;
    const fl_shrink_opts *o;
    fl_shrink_test  test;
    void           *ctx;
    fl_shrink_stats *st;
    fl_time         fail_at;      /* in the current tree's run */
    bool            abandoned;
} shr;

/* A batch of candidates, freed after the test. */
typedef struct batch {
    cJSON *c[MAX_CANDS];
    size_t n;
} batch;

static cJSON *copy_root(const shr *s)
{
    return cJSON_Duplicate(*s->root, true);
}

static void batch_add(batch *b, cJSON *c)
{
    if (c && b->n < MAX_CANDS)
        b->c[b->n++] = c;
    else
        cJSON_Delete(c);
}

/* Tests the batch; adopts the first that fails the same way. */
static bool try_batch(shr *s, batch *b)
{
    if (b->n == 0 || s->abandoned)
        return false;
    fl_time at = -1;
    int r = s->test(s->ctx, b->c, b->n, &at);
    s->st->tried += b->n;
    if (r == -2)
        s->abandoned = true;
    bool took = r >= 0 && (size_t)r < b->n;
    if (took) {
        cJSON_Delete(*s->root);
        *s->root = b->c[r];
        b->c[r] = NULL;
        s->st->accepted++;
        s->fail_at = at;
    }
    for (size_t i = 0; i < b->n; i++)
        cJSON_Delete(b->c[i]);
    b->n = 0;
    return took;
}

static double num(const cJSON *obj, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static void set_num(cJSON *obj, const char *key, double v)
{
    cJSON *old = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (old)
        cJSON_SetNumberValue(old, v);
    else
        cJSON_AddNumberToObject(obj, key, v);
}

/* ---- Faults: ddmin -------------------------------------------------------------------- */

/* A copy of the tree whose faults are those of `faults` outside [lo, hi). */
static cJSON *without_faults(const shr *s, int lo, int hi)
{
    cJSON *c = copy_root(s);
    cJSON *f = c ? cJSON_GetObjectItemCaseSensitive(c, "faults") : NULL;
    if (!f)
        return c;
    for (int i = hi - 1; i >= lo; i--)
        cJSON_DeleteItemFromArray(f, i);
    if (cJSON_GetArraySize(f) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(c, "faults");
    return c;
}

static int fault_count(const cJSON *root)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "faults"));
}

static bool pass_faults(shr *s)
{
    bool changed = false;
    int n = 2;
    batch b = { .n = 0 };
    if (fault_count(*s->root) > 1) {            /* the cheapest win first */
        batch_add(&b, without_faults(s, 0, fault_count(*s->root)));
        changed = try_batch(s, &b);
    }
    while (!s->abandoned) {
        int len = fault_count(*s->root);
        if (len == 0)
            break;
        if (n > len)
            n = len;
        /* Later faults first: a failure caused by early faults then
         * happens early, and the duration pass can cut more. */
        for (int k = n - 1; k >= 0 && b.n < MAX_CANDS; k--)
            batch_add(&b, without_faults(s, len * k / n, len * (k + 1) / n));
        if (try_batch(s, &b)) {
            changed = true;
            n = n > 2 ? n - 1 : 2;
            continue;
        }
        if (n >= len)
            break;
        n = 2 * n < len ? 2 * n : len;
    }
    return changed;
}

/* ---- Duration ------------------------------------------------------------------------- */

/* The tree ending at `ms`: faults from then on dropped, the workload and
 * nemeses told to stop by then. */
static cJSON *with_duration(const shr *s, double ms)
{
    cJSON *c = copy_root(s);
    if (!c)
        return NULL;
    set_num(c, "duration_ms", ms);
    cJSON *faults = cJSON_GetObjectItemCaseSensitive(c, "faults");
    for (int i = cJSON_GetArraySize(faults) - 1; i >= 0; i--) {
        cJSON *f = cJSON_GetArrayItem(faults, i);
        if (num(f, "at_ms", 0) >= ms)
            cJSON_DeleteItemFromArray(faults, i);
        else if (num(f, "until_ms", -1) > ms)
            cJSON_DeleteItemFromObjectCaseSensitive(f, "until_ms");
    }
    if (faults && cJSON_GetArraySize(faults) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(c, "faults");
    cJSON *w = cJSON_GetObjectItemCaseSensitive(c, "workload");
    if (w && num(w, "stop_ms", -1) > ms)
        cJSON_DeleteItemFromObjectCaseSensitive(w, "stop_ms");
    return c;
}

static bool pass_duration(shr *s)
{
    if (s->o->keep_duration)
        return false;
    bool changed = false;
    batch b = { .n = 0 };
    double cur = num(*s->root, "duration_ms", 0);
    if (s->fail_at >= 0) {
        double end = ceil((double)s->fail_at / 1e6) + 1;
        if (end < cur) {
            batch_add(&b, with_duration(s, end));
            changed = try_batch(s, &b);
        }
    }
    /* Then halve, as long as halving keeps the failure. */
    for (int k = 0; k < 20 && !s->abandoned; k++) {
        cur = num(*s->root, "duration_ms", 0);
        double half = floor(cur / 2);
        if (half < 1)
            break;
        batch_add(&b, with_duration(s, half));
        batch_add(&b, with_duration(s, floor(cur * 3 / 4)));
        if (!try_batch(s, &b))
            break;
        changed = true;
    }
    return changed;
}

/* ---- Workload -------------------------------------------------------------------------- */

static cJSON *with_clients(const shr *s, double n)
{
    cJSON *c = copy_root(s);
    cJSON *w = c ? cJSON_GetObjectItemCaseSensitive(c, "workload") : NULL;
    if (!w)
        return c;
    set_num(w, "clients", n);
    cJSON *nodes = cJSON_GetObjectItemCaseSensitive(c, "nodes");
    if (cJSON_IsObject(nodes) && cJSON_GetObjectItemCaseSensitive(nodes, "client"))
        set_num(nodes, "client", n);
    return c;
}

static cJSON *with_workload_num(const shr *s, const char *key, double v)
{
    cJSON *c = copy_root(s);
    cJSON *w = c ? cJSON_GetObjectItemCaseSensitive(c, "workload") : NULL;
    if (w)
        set_num(w, key, v);
    return c;
}

static cJSON *without_op(const shr *s, const char *op)
{
    cJSON *c = copy_root(s);
    cJSON *w = c ? cJSON_GetObjectItemCaseSensitive(c, "workload") : NULL;
    cJSON *mix = w ? cJSON_GetObjectItemCaseSensitive(w, "mix") : NULL;
    if (mix)
        cJSON_DeleteItemFromObjectCaseSensitive(mix, op);
    return c;
}

static bool pass_workload(shr *s)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(*s->root, "workload");
    if (s->o->keep_workload || !w)
        return false;
    bool changed = false;
    batch b = { .n = 0 };
    double clients = num(w, "clients", 0);
    for (double n = 0; n < clients; n = n ? n * 2 : 1)
        batch_add(&b, with_clients(s, n));
    if (clients > 1)
        batch_add(&b, with_clients(s, clients - 1));
    changed |= try_batch(s, &b);
    for (int k = 0; k < 4 && !s->abandoned; k++) {
        w = cJSON_GetObjectItemCaseSensitive(*s->root, "workload");
        double rate = num(w, "rate_per_s", 0);
        if (rate <= 1)
            break;
        batch_add(&b, with_workload_num(s, "rate_per_s", floor(rate / 2) > 1 ? floor(rate / 2) : 1));
        if (!try_batch(s, &b))
            break;
        changed = true;
    }
    w = cJSON_GetObjectItemCaseSensitive(*s->root, "workload");
    if (w && num(w, "keys", 1) > 1) {
        batch_add(&b, with_workload_num(s, "keys", 1));
        changed |= try_batch(s, &b);
    }
    w = cJSON_GetObjectItemCaseSensitive(*s->root, "workload");
    const cJSON *mix = w ? cJSON_GetObjectItemCaseSensitive(w, "mix") : NULL;
    if (cJSON_GetArraySize(mix) > 1) {
        for (const cJSON *m = mix->child; m; m = m->next)
            batch_add(&b, without_op(s, m->string));
        changed |= try_batch(s, &b);
    }
    return changed;
}

/* ---- Nodes ------------------------------------------------------------------------------ */

/* Does this selector name a server id >= n? */
static bool gone(const cJSON *sel, double n)
{
    return cJSON_IsNumber(sel) && sel->valuedouble >= n;
}

/* Drops what names servers >= n: faults on them, partition members. */
static void drop_servers(cJSON *root, double n)
{
    cJSON *faults = cJSON_GetObjectItemCaseSensitive(root, "faults");
    for (int i = cJSON_GetArraySize(faults) - 1; i >= 0; i--) {
        cJSON *f = cJSON_GetArrayItem(faults, i);
        bool drop = gone(cJSON_GetObjectItemCaseSensitive(f, "node"), n) ||
                    gone(cJSON_GetObjectItemCaseSensitive(f, "from"), n) ||
                    gone(cJSON_GetObjectItemCaseSensitive(f, "to"), n);
        cJSON *groups = cJSON_GetObjectItemCaseSensitive(f, "groups");
        for (int g = cJSON_GetArraySize(groups) - 1; g >= 0 && !drop; g--) {
            cJSON *grp = cJSON_GetArrayItem(groups, g);
            for (int m = cJSON_GetArraySize(grp) - 1; m >= 0; m--)
                if (gone(cJSON_GetArrayItem(grp, m), n))
                    cJSON_DeleteItemFromArray(grp, m);
            if (cJSON_IsArray(grp) && cJSON_GetArraySize(grp) == 0)
                drop = true;
        }
        if (drop)
            cJSON_DeleteItemFromArray(faults, i);
    }
    if (faults && cJSON_GetArraySize(faults) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(root, "faults");
}

static cJSON *with_role_count(const shr *s, const char *role, double n)
{
    cJSON *c = copy_root(s);
    cJSON *nodes = c ? cJSON_GetObjectItemCaseSensitive(c, "nodes") : NULL;
    if (cJSON_IsNumber(nodes)) {
        cJSON_SetNumberValue(nodes, n);
        drop_servers(c, n);
    } else if (cJSON_IsObject(nodes)) {
        set_num(nodes, role, n);
    }
    return c;
}

/* The smallest count of `role` (from 1 up) that still fails. */
static bool shrink_role(shr *s, const char *role, double cur)
{
    batch b = { .n = 0 };
    for (double n = 1; n < cur && b.n < MAX_CANDS; n++)
        batch_add(&b, with_role_count(s, role, n));
    return try_batch(s, &b);
}

static bool pass_nodes(shr *s)
{
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(*s->root, "nodes");
    if (cJSON_IsNumber(nodes))
        return shrink_role(s, "server", nodes->valuedouble);
    if (!cJSON_IsObject(nodes))
        return false;
    bool changed = false;
    char roles[8][64];
    size_t n = 0;
    for (const cJSON *r = nodes->child; r && n < 8; r = r->next)
        if (strcmp(r->string, "client") != 0)
            snprintf(roles[n++], sizeof roles[0], "%s", r->string);
    for (size_t i = 0; i < n && !s->abandoned; i++) {
        nodes = cJSON_GetObjectItemCaseSensitive(*s->root, "nodes");
        changed |= shrink_role(s, roles[i], num(nodes, roles[i], 1));
    }
    return changed;
}

/* ---- Noise ------------------------------------------------------------------------------ */

static cJSON *without_key(const shr *s, const char *obj, const char *key)
{
    cJSON *c = copy_root(s);
    cJSON *o = c ? cJSON_GetObjectItemCaseSensitive(c, obj) : NULL;
    if (o && key)
        cJSON_DeleteItemFromObjectCaseSensitive(o, key);
    else if (c && !key)
        cJSON_DeleteItemFromObjectCaseSensitive(c, obj);
    return c;
}

static bool pass_noise(shr *s)
{
    static const struct { const char *obj, *key; } knobs[] = {
        { "network", "drop" }, { "network", "duplicate" }, { "links", NULL },
        { "disk", "torn_writes" },
    };
    bool changed = false;
    for (size_t k = 0; k < sizeof knobs / sizeof knobs[0] && !s->abandoned; k++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(*s->root, knobs[k].obj);
        if (!o || (knobs[k].key && !cJSON_GetObjectItemCaseSensitive(o, knobs[k].key)))
            continue;
        batch b = { .n = 0 };
        batch_add(&b, without_key(s, knobs[k].obj, knobs[k].key));
        changed |= try_batch(s, &b);
    }
    return changed;
}

int fl_shrink(cJSON **root, const fl_shrink_opts *o, fl_shrink_test test, void *ctx,
              fl_shrink_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    shr s = { root, o, test, ctx, stats, o->fail_at, false };
    bool changed = true;
    while (changed && !s.abandoned && stats->rounds < MAX_ROUNDS) {
        stats->rounds++;
        changed = pass_faults(&s);
        changed |= pass_workload(&s);
        changed |= pass_nodes(&s);
        changed |= pass_noise(&s);
        changed |= pass_duration(&s);
    }
    return s.abandoned ? -2 : 0;
}

void fl_shrink_describe(const cJSON *root, char *buf, size_t len)
{
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "workload");
    char nbuf[256] = "";
    if (cJSON_IsNumber(nodes)) {
        snprintf(nbuf, sizeof nbuf, "%.0f server%s", nodes->valuedouble,
                 nodes->valuedouble == 1 ? "" : "s");
    } else if (cJSON_IsObject(nodes)) {
        size_t n = 0;
        for (const cJSON *r = nodes->child; r && n < sizeof nbuf; r = r->next) {
            int k = snprintf(nbuf + n, sizeof nbuf - n, "%s%.0f %s", n ? " + " : "",
                             r->valuedouble, r->string);
            if (k < 0)
                break;
            n += (size_t)k;
        }
    }
    double clients = num(w, "clients", 0);
    snprintf(buf, len, "%d faults, %s, %.0f client%s at %g ops/s, %.0f ms",
             fault_count(root), nbuf, clients, clients == 1 ? "" : "s",
             num(w, "rate_per_s", 0), num(root, "duration_ms", 0));
}
