/* exp_hashing.c — two experiments on the ideas under shardkv:
 *
 *   consistent-hashing  load imbalance and keys moved by a join, for a
 *                       consistent-hashing ring (algorithms/shardkv/ring.h)
 *                       with 1..1000 virtual nodes per group and 10..100
 *                       groups, against modulo hashing (hash % N) of the
 *                       same keys. 100,000 keys; each trial uses other
 *                       group ids, so other ring points.
 *                       -> consistent-hashing.csv
 *   load-balancing      a front end sends requests (Poisson arrivals,
 *                       Zipf(1.1) keys over 1,000 keys) to 8 servers with
 *                       exponential service times, one of them 4x slower,
 *                       at 70 % of the total capacity, under five
 *                       policies: key-hash (the ring: what sharding does),
 *                       random, round-robin, least-outstanding and
 *                       power-of-two-choices. Latency percentiles and the
 *                       share each server gets.
 *                       -> load-balancing.csv, load-balancing-servers.csv
 *
 * Plain computations, no engine: deterministic for a binary (GSL streams
 * from sim/rng.h seeded by the trial number). Plots:
 * notebooks-data/plot_consistent_hashing.py, plot_load_balancing.py. */
#include "sim/cli/exp_hashing.h"
#include "sim/util/stats.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>

#include "algorithms/shardkv/ring.h"
#include "sim/cli/cli.h"
#include "sim/rng.h"

typedef struct exph_opts {
    const char *name, *out;
    long trials;
    bool trials_set;
} exph_opts;

bool fl_exp_hashing_claims(const char *name)
{
    return !strcmp(name, "consistent-hashing") ||
           !strcmp(name, "load-balancing");
}

static int exph_args(int argc, char **argv, exph_opts *o)
{
    o->name = NULL;
    o->out = "notebooks-data";
    o->trials = 0;
    o->trials_set = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-') {
            if (o->name)
                return fl_cli_usage_error("experiment", "more than one experiment "
                                          "given (\"%s\")", a);
            o->name = a;
            continue;
        }
        if (i + 1 >= argc)
            return fl_cli_usage_error("experiment", "%s needs a value", a);
        const char *v = argv[++i];
        uint64_t n;
        if (!strcmp(a, "--trials")) {
            if (!fl_cli_parse_u64(v, &n) || n == 0 || n > 1000)
                return fl_cli_usage_error("experiment", "--trials %s: expected "
                                          "1..1000", v);
            o->trials = (long)n;
            o->trials_set = true;
        } else if (!strcmp(a, "--out")) {
            if (!*v)
                return fl_cli_usage_error("experiment", "--out needs a directory");
            o->out = v;
        } else {
            return fl_cli_usage_error("experiment", "unknown option %s (%s takes "
                                      "--trials and --out)", a,
                                      o->name ? o->name : "this experiment");
        }
    }
    return 0;
}

/* ---- Output files (written under a temporary name, then renamed) --------- */

typedef struct exph_file {
    char path[4096], tmp[4200];
    FILE *fp;
} exph_file;

static int exph_open(exph_file *f, const char *dir, const char *name)
{
    f->fp = NULL;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "faultline: %s: cannot create directory: %s\n", dir,
                strerror(errno));
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/%s", dir, name);
    snprintf(f->tmp, sizeof f->tmp, "%s.partial.%ld", f->path, (long)getpid());
    if (!(f->fp = fopen(f->tmp, "w"))) {
        fprintf(stderr, "faultline: %s: cannot write: %s\n", f->path,
                strerror(errno));
        return -1;
    }
    return 0;
}

static int exph_close(exph_file *f, bool keep)
{
    if (!f->fp)
        return keep ? -1 : 0;
    int rc = (ferror(f->fp) | fclose(f->fp)) ? -1 : 0;
    f->fp = NULL;
    if (keep && rc == 0 && rename(f->tmp, f->path) != 0)
        rc = -1;
    if (!keep || rc != 0)
        unlink(f->tmp);
    if (rc != 0)
        fprintf(stderr, "faultline: %s: write failed: %s\n", f->path,
                strerror(errno));
    else if (keep)
        printf("wrote %s\n", f->path);
    return rc;
}

/* ---- consistent-hashing ------------------------------------------------- */

#define CH_KEYS 100000u
static const uint32_t ch_groups[] = {10, 20, 50, 100};
static const uint32_t ch_vnodes[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

typedef struct ch_stats {
    double max_over_mean, sd_over_mean, moved;
} ch_stats;

static void ch_imbalance(const uint32_t *count, uint32_t n, ch_stats *st)
{
    double mean = (double)CH_KEYS / n, max = 0, ss = 0;
    for (uint32_t g = 0; g < n; g++) {
        if (count[g] > max)
            max = count[g];
        ss += (count[g] - mean) * (count[g] - mean);
    }
    st->max_over_mean = max / mean;
    st->sd_over_mean = sqrt(ss / n) / mean;
}

/* The ring of groups base..base+n-1 (and, for the join, base+n). */
static int ch_ring_trial(uint32_t n, uint32_t v, uint32_t base,
                         ch_stats *st, uint32_t *count, uint32_t *owner)
{
    fl_ring r;
    fl_ring_init(&r);
    for (uint32_t g = 0; g < n; g++)
        if (fl_ring_add_points(&r, base + g, v) != 0)
            goto oom;
    fl_ring_sort(&r);
    memset(count, 0, (n + 1) * sizeof *count);
    for (uint32_t k = 0; k < CH_KEYS; k++) {
        owner[k] = fl_ring_owner(&r, fl_ring_key_pos(k)) - base;
        count[owner[k]]++;
    }
    ch_imbalance(count, n, st);
    if (fl_ring_add_group(&r, base + n, v) != 0)
        goto oom;
    uint32_t moved = 0;
    for (uint32_t k = 0; k < CH_KEYS; k++)
        moved += fl_ring_owner(&r, fl_ring_key_pos(k)) - base != owner[k];
    st->moved = (double)moved / CH_KEYS;
    fl_ring_free(&r);
    return 0;
oom:
    fl_ring_free(&r);
    fprintf(stderr, "faultline: out of memory\n");
    return -1;
}

/* hash % N, then hash % (N+1), with the same keys salted by the trial. */
static void ch_modulo_trial(uint32_t n, uint32_t salt, ch_stats *st,
                            uint32_t *count)
{
    memset(count, 0, (n + 1) * sizeof *count);
    uint32_t moved = 0;
    for (uint32_t k = 0; k < CH_KEYS; k++) {
        uint64_t h = fl_ring_hash(salt, k);
        count[h % n]++;
        moved += h % n != h % (n + 1);
    }
    ch_imbalance(count, n, st);
    st->moved = (double)moved / CH_KEYS;
}

static void ch_row(FILE *fp, const char *scheme, uint32_t n, uint32_t v,
                   long t, const ch_stats *st)
{
    fprintf(fp, "%s,%u,%u,%ld,%u,%.6f,%.6f,%.6f,%.6f\n", scheme, n, v, t + 1,
            CH_KEYS, st->max_over_mean, st->sd_over_mean, st->moved,
            1.0 / (n + 1));
}

static int consistent_hashing(const exph_opts *o)
{
    long trials = o->trials_set ? o->trials : 5;
    uint32_t *count = calloc(102, sizeof *count);
    uint32_t *owner = calloc(CH_KEYS, sizeof *owner);
    exph_file f;
    int rc = 2;
    if (!count || !owner || exph_open(&f, o->out, "consistent-hashing.csv"))
        goto out;
    fprintf(f.fp, "scheme,groups,vnodes,trial,keys,max_over_mean,"
                  "stddev_over_mean,moved_fraction,ideal_moved_fraction\n");
    rc = 0;
    for (size_t i = 0; i < sizeof ch_groups / sizeof *ch_groups; i++)
        for (long t = 0; t < trials && rc == 0; t++) {
            uint32_t n = ch_groups[i];
            ch_stats st;
            ch_modulo_trial(n, (uint32_t)t, &st, count);
            ch_row(f.fp, "modulo", n, 0, t, &st);
            for (size_t j = 0; j < sizeof ch_vnodes / sizeof *ch_vnodes &&
                               rc == 0; j++) {
                if (ch_ring_trial(n, ch_vnodes[j], (uint32_t)t * 1000u, &st,
                                  count, owner) != 0)
                    rc = 2;
                else
                    ch_row(f.fp, "ring", n, ch_vnodes[j], t, &st);
            }
        }
    if (exph_close(&f, rc == 0) != 0)
        rc = 2;
out:
    free(count);
    free(owner);
    return rc;
}

/* ---- load-balancing ------------------------------------------------------ */

#define LB_SERVERS   8
#define LB_REQUESTS  200000u
#define LB_KEYS      1000u
#define LB_ZIPF_S    1.1
#define LB_SLOWDOWN  4.0     /* server 0's mean service time, x normal */
#define LB_SERVICE_US 1000.0 /* normal mean service time */
#define LB_LOAD      0.7     /* of the total capacity */

enum { LB_HASH, LB_RANDOM, LB_ROUND_ROBIN, LB_LEAST, LB_P2C, LB_NPOLICIES };
static const char *const lb_names[LB_NPOLICIES] = {
    "key-hash", "random", "round-robin", "least-outstanding",
    "power-of-two"};

/* One server: a FIFO queue, as the completion times of its requests. */
typedef struct lb_server {
    int64_t *done;            /* ring buffer of completion times */
    size_t head, len, cap;
    int64_t busy_until;
    uint64_t served;
} lb_server;

static int lb_push(lb_server *s, int64_t t)
{
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        int64_t *d = malloc(cap * sizeof *d);
        if (!d)
            return -1;
        for (size_t i = 0; i < s->len; i++)
            d[i] = s->done[(s->head + i) % s->cap];
        free(s->done);
        s->done = d;
        s->head = 0;
        s->cap = cap;
    }
    s->done[(s->head + s->len++) % s->cap] = t;
    return 0;
}

/* Requests still outstanding at `now` (the front end has seen the rest
 * answered). */
static size_t lb_outstanding(lb_server *s, int64_t now)
{
    while (s->len && s->done[s->head] <= now) {
        s->head = (s->head + 1) % s->cap;
        s->len--;
    }
    return s->len;
}

static int lb_pick(int policy, lb_server *sv, int64_t now, uint32_t key,
                   const fl_ring *ring, gsl_rng *r, uint64_t *rr)
{
    switch (policy) {
    case LB_HASH:
        return (int)fl_ring_owner(ring, fl_ring_key_pos(key));
    case LB_RANDOM:
        return (int)fl_rng_between(r, 0, LB_SERVERS - 1);
    case LB_ROUND_ROBIN:
        return (int)((*rr)++ % LB_SERVERS);
    case LB_LEAST: {
        int best = 0;
        size_t bo = lb_outstanding(&sv[0], now);
        for (int i = 1; i < LB_SERVERS; i++) {
            size_t x = lb_outstanding(&sv[i], now);
            if (x < bo) {
                bo = x;
                best = i;
            }
        }
        return best;
    }
    default: {
        int a = (int)fl_rng_between(r, 0, LB_SERVERS - 1);
        int b = (int)fl_rng_between(r, 0, LB_SERVERS - 2);
        if (b >= a)
            b++;
        return lb_outstanding(&sv[b], now) < lb_outstanding(&sv[a], now) ? b : a;
    }
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double lb_pct(const int64_t *v, size_t n, unsigned permille)
{
    return (double)fl_percentile(v, n, permille) / 1e6;
}

/* Zipf(s) over LB_KEYS keys: the cumulative table, drawn by inversion. */
static void lb_zipf_table(double *cdf)
{
    double sum = 0;
    for (uint32_t k = 0; k < LB_KEYS; k++)
        cdf[k] = (sum += 1.0 / pow(k + 1, LB_ZIPF_S));
    for (uint32_t k = 0; k < LB_KEYS; k++)
        cdf[k] /= sum;
}

static uint32_t lb_zipf(const double *cdf, gsl_rng *r)
{
    double u = gsl_rng_uniform(r);
    uint32_t lo = 0, hi = LB_KEYS - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int lb_run(int policy, long seed, const double *cdf,
                  const fl_ring *ring, int64_t *lat, FILE *csv, FILE *srv)
{
    lb_server sv[LB_SERVERS];
    memset(sv, 0, sizeof sv);
    /* The same arrivals, keys and service draws for every policy: only the
     * choice of server differs (policies draw from their own stream). */
    gsl_rng *arr = fl_rng_new((uint64_t)seed, 1), *pol =
        fl_rng_new((uint64_t)seed, 2);
    int rc = (arr && pol) ? 0 : -1;
    double capacity = (LB_SERVERS - 1 + 1.0 / LB_SLOWDOWN) * 1e6 / LB_SERVICE_US;
    double gap_ns = 1e9 / (LB_LOAD * capacity);
    int64_t now = 0;
    uint64_t rr = 0;
    for (uint32_t i = 0; i < LB_REQUESTS && rc == 0; i++) {
        now += (int64_t)gsl_ran_exponential(arr, gap_ns);
        uint32_t key = lb_zipf(cdf, arr);
        double work = gsl_ran_exponential(arr, LB_SERVICE_US * 1000.0);
        int s = lb_pick(policy, sv, now, key, ring, pol, &rr);
        if (s == 0)
            work *= LB_SLOWDOWN;
        int64_t start = sv[s].busy_until > now ? sv[s].busy_until : now;
        sv[s].busy_until = start + (int64_t)work;
        sv[s].served++;
        lat[i] = sv[s].busy_until - now;
        rc = lb_push(&sv[s], sv[s].busy_until);
    }
    if (rc == 0) {
        double mean = 0;
        for (uint32_t i = 0; i < LB_REQUESTS; i++)
            mean += (double)lat[i] / 1e6;
        qsort(lat, LB_REQUESTS, sizeof *lat, cmp_i64);
        fprintf(csv, "%s,%ld,%u,%.4f,%.4f,%.4f,%.4f,%.4f\n", lb_names[policy],
                seed, LB_REQUESTS, mean / LB_REQUESTS,
                lb_pct(lat, LB_REQUESTS, 500), lb_pct(lat, LB_REQUESTS, 900),
                lb_pct(lat, LB_REQUESTS, 990), lb_pct(lat, LB_REQUESTS, 999));
        for (int s = 0; s < LB_SERVERS; s++)
            fprintf(srv, "%s,%ld,%d,%d,%llu,%.6f\n", lb_names[policy], seed, s,
                    s == 0, (unsigned long long)sv[s].served,
                    (double)sv[s].served / LB_REQUESTS);
    }
    for (int s = 0; s < LB_SERVERS; s++)
        free(sv[s].done);
    if (arr)
        gsl_rng_free(arr);
    if (pol)
        gsl_rng_free(pol);
    return rc;
}

static int load_balancing(const exph_opts *o)
{
    long trials = o->trials_set ? o->trials : 3;
    double *cdf = malloc(LB_KEYS * sizeof *cdf);
    int64_t *lat = malloc(LB_REQUESTS * sizeof *lat);
    fl_ring ring;
    fl_ring_init(&ring);
    exph_file a = {.fp = NULL}, b = {.fp = NULL};
    int rc = 2;
    if (!cdf || !lat || fl_ring_build(&ring, (1u << LB_SERVERS) - 1, 100) ||
        exph_open(&a, o->out, "load-balancing.csv") ||
        exph_open(&b, o->out, "load-balancing-servers.csv"))
        goto out;
    lb_zipf_table(cdf);
    fprintf(a.fp, "policy,seed,requests,mean_ms,p50_ms,p90_ms,p99_ms,p999_ms\n");
    fprintf(b.fp, "policy,seed,server,slow,requests,share\n");
    rc = 0;
    for (long t = 1; t <= trials && rc == 0; t++)
        for (int p = 0; p < LB_NPOLICIES && rc == 0; p++)
            if (lb_run(p, t, cdf, &ring, lat, a.fp, b.fp) != 0)
                rc = 2;
out:
    if (exph_close(&a, rc == 0) != 0 || exph_close(&b, rc == 0) != 0)
        rc = 2;
    fl_ring_free(&ring);
    free(cdf);
    free(lat);
    return rc;
}

int fl_exp_hashing_main(int argc, char **argv)
{
    exph_opts o;
    int rc = exph_args(argc, argv, &o);
    if (rc != 0)
        return rc;
    if (!strcmp(o.name, "consistent-hashing"))
        return consistent_hashing(&o);
    return load_balancing(&o);
}
