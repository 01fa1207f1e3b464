/* check_bench.c — times the linearizability checker on Porcupine's test
 * data (check_bench.h: fl_check_bench), for `faultline check --bench` and
 * bench/check_bench.sh.
 *
 * Every file of DATADIR/jepsen and DATADIR/kv is checked with the model
 * guessed from it, partitioned as the model says, and then every kv file
 * again with P-compositionality off (fl_lin_options.no_partition). Each
 * measurement runs in a child process of its own, which reads the file
 * (not timed, as in Porcupine's benchmarks), checks it `reps` times and
 * reports the median and minimum check time; the parent reads the child's
 * peak resident memory from wait4. The verdicts are compared with
 * DATADIR/EXPECTED.txt when it is there. Wall-clock time is read here and
 * only here for reporting. */
#include "sim/check/check_bench.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/check/hist_read.h"
#include "sim/check/lin.h"
#include "sim/util/vec.h"

/* Porcupine's own figures (its own models, check time only,
 * median of 3, on a machine like the one this was written on), ms. */
#define PORC_ETCD_ALL  252.0
#define PORC_ETCD_002  142.0
#define PORC_ETCD_007   94.0
#define PORC_C50_PART  131.0
#define PORC_C10_WHOLE 1700.0

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- what one child measures ----------------------------------------------------- */

typedef struct bench_result {
    int    result;           /* fl_lin_result, or -1 the file did not read */
    int    runs;
    double median_ms, min_ms;
    size_t ops, partitions;
    size_t tables;           /* the checker's own peak table bytes */
    char   model[32];
    char   err[200];
    /* filled by the parent */
    long   rss_kib;          /* the child's peak resident memory */
} bench_result;

/* In the child: read `path`, check it `reps` times. */
static void measure(const char *path, bool whole, int reps,
                    const fl_lin_options *base, bench_result *out)
{
    memset(out, 0, sizeof *out);
    out->result = -1;
    fl_lin_history h;
    fl_error err;
    if (fl_hist_read_file(path, FL_HFMT_AUTO, &h, NULL, &err) != 0) {
        snprintf(out->err, sizeof out->err, "%s", err.msg);
        fl_lin_history_free(&h);
        return;
    }
    const char *name = fl_hist_guess_model(&h);
    snprintf(out->model, sizeof out->model, "%s", name);
    fl_lin_options o = *base;
    o.no_partition = whole;
    double t[64];
    if (reps > 64)
        reps = 64;
    for (int i = 0; i < reps; i++) {
        fl_lin_report r;
        double t0 = now_s();
        fl_lin_result res = fl_lin_check_opts(&h, fl_model_find(name), NULL,
                                              &o, &r);
        t[i] = (now_s() - t0) * 1e3;
        out->runs = i + 1;
        out->result = (int)res;
        out->ops = r.ops;
        out->partitions = r.partitions;
        if (r.peak_memory > out->tables)
            out->tables = r.peak_memory;
        if (res == FL_LIN_ERROR || res == FL_LIN_UNKNOWN)
            snprintf(out->err, sizeof out->err, "%s", r.summary);
        fl_lin_report_free(&r);
        if (res == FL_LIN_ERROR || res == FL_LIN_UNKNOWN)
            break;                 /* no point repeating a give-up */
    }
    fl_lin_history_free(&h);
    qsort(t, (size_t)out->runs, sizeof *t, dbl_cmp);
    int n = out->runs;
    out->min_ms = t[0];
    out->median_ms = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* Runs measure() in a child; its peak RSS goes into out->rss_kib. */
static int measure_forked(const char *path, bool whole, int reps,
                          const fl_lin_options *o, bench_result *out)
{
    int fd[2];
    fflush(NULL);
    if (pipe(fd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        bench_result r;
        if (path)
            measure(path, whole, reps, o, &r);
        else
            memset(&r, 0, sizeof r);          /* the baseline: nothing */
        ssize_t w = write(fd[1], &r, sizeof r);
        _exit(w == (ssize_t)sizeof r ? 0 : 1);
    }
    close(fd[1]);
    size_t got = 0;
    while (got < sizeof *out) {
        ssize_t n = read(fd[0], (char *)out + got, sizeof *out - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd[0]);
    int status;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    if (got != sizeof *out || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        memset(out, 0, sizeof *out);
        out->result = -1;
        snprintf(out->err, sizeof out->err, "the measuring process died "
                 "(%s %d)", WIFSIGNALED(status) ? "signal" : "status",
                 WIFSIGNALED(status) ? WTERMSIG(status)
                                     : WEXITSTATUS(status));
    }
    out->rss_kib = ru.ru_maxrss;
    return 0;
}

/* ---- the files -------------------------------------------------------------------- */

/* The regular files of dir/sub ("jepsen/etcd_000.log", ...), sorted. */
static int list_files(const char *dir, const char *sub, char ***names,
                      size_t *n, size_t *cap)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    size_t first = *n;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (fl_vec_grow(names, cap, *n + 1, sizeof **names, 64) < 0)
            break;
        size_t len = strlen(sub) + strlen(de->d_name) + 2;
        char *s = malloc(len);
        if (!s)
            break;
        snprintf(s, len, "%s/%s", sub, de->d_name);
        (*names)[(*n)++] = s;
    }
    closedir(d);
    qsort(*names + first, *n - first, sizeof **names, name_cmp);
    return 0;
}

/* The expected verdict of `name` in dir/EXPECTED.txt: 1 linearizable,
 * 0 not, -1 not listed. */
static int expected(const char *dir, const char *name)
{
    char path[4096], line[512];
    snprintf(path, sizeof path, "%s/EXPECTED.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int v = -1;
    while (v < 0 && fgets(line, sizeof line, f)) {
        char n[256], verdict[64];
        if (line[0] != '#' && sscanf(line, "%255s %63s", n, verdict) == 2 &&
            strcmp(n, name) == 0)
            v = strcmp(verdict, "LINEARIZABLE") == 0;
    }
    fclose(f);
    return v;
}

/* ---- printing ----------------------------------------------------------------------- */

static const char *verdict_text(int result)
{
    switch (result) {
    case FL_LIN_OK:        return "yes";
    case FL_LIN_VIOLATION: return "NO";
    case FL_LIN_UNKNOWN:   return "unknown";
    default:               return "error";
    }
}

static void mib(char *buf, size_t len, double kib)
{
    snprintf(buf, len, "%.1f", kib / 1024.0);
}

typedef struct bench_totals {
    double etcd_ms, all_ms, etcd002, etcd007, c50_part, c10_whole;
    int    files, etcd, mismatches, undecided;
    long   max_rss;
} bench_totals;

static void print_row(FILE *out, const char *label, const bench_result *r,
                      int want, long base_kib, bench_totals *t)
{
    char rss[32], tab[32];
    mib(rss, sizeof rss, (double)(r->rss_kib > base_kib ? r->rss_kib - base_kib
                                                        : 0));
    fl_lin_format_bytes(r->tables, tab, sizeof tab);
    const char *exp = want < 0 ? "-" : want ? "yes" : "NO";
    bool bad = want >= 0 && r->result >= 0 && r->result != FL_LIN_UNKNOWN &&
               (r->result == FL_LIN_OK) != (want == 1);
    if (r->result < 0 || r->result == FL_LIN_ERROR) {
        fprintf(out, "%-30s error: %s\n", label, r->err);
        t->mismatches++;
        return;
    }
    fprintf(out, "%-30s %-8s %5zu %5zu  %-7s %-4s %10.3f %10.3f %9s %9s%s\n",
            label, r->model, r->ops, r->partitions, verdict_text(r->result),
            exp, r->median_ms, r->min_ms, rss, tab, bad ? "  MISMATCH" : "");
    if (r->result == FL_LIN_UNKNOWN) {
        fprintf(out, "%-30s   (%s)\n", "", r->err);
        t->undecided++;
    }
    t->mismatches += bad;
    if (r->rss_kib > t->max_rss)
        t->max_rss = r->rss_kib;
}

static void print_ref(FILE *out, const char *what, double porc, double ours,
                      int runs)
{
    if (runs == 0)
        return;
    fprintf(out, "  %-34s %9.1f ms %10.3f ms   %7.0fx\n", what, porc, ours,
            ours > 0 ? porc / ours : 0.0);
}

int fl_check_bench(const char *datadir, const fl_check_bench_opts *opts,
                   FILE *out)
{
    int reps = opts && opts->reps > 0 ? opts->reps : 3;
    fl_lin_options o = { 0 };
    o.timeout_s = opts && opts->timeout_s > 0 ? opts->timeout_s : 30.0;
    o.max_memory = opts && opts->max_memory ? opts->max_memory
                                            : (size_t)4 << 30;
    if (o.max_memory > fl_lin_default_max_memory())
        o.max_memory = fl_lin_default_max_memory();
    char **names = NULL;
    size_t n = 0, cap = 0;
    list_files(datadir, "jepsen", &names, &n, &cap);
    size_t njepsen = n;
    list_files(datadir, "kv", &names, &n, &cap);
    if (n == 0) {
        fprintf(stderr, "faultline: %s: no jepsen/ or kv/ histories\n",
                datadir);
        free(names);
        return FL_EXIT_INPUT;
    }
    bench_result base;
    if (measure_forked(NULL, false, 0, &o, &base) != 0) {
        fprintf(stderr, "faultline: cannot fork: %s\n", strerror(errno));
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return FL_EXIT_INPUT;
    }
    char lim[32];
    fprintf(out, "linearizability checker on %s\n"
            "check time only (files are read first, untimed), median and "
            "minimum of %d runs;\n"
            "RSS: peak resident memory of the measuring process less its "
            "%.1f MiB at start;\n"
            "tables: the search's own peak (configurations, states, "
            "memoized steps);\n"
            "limits: %g s and %s per check\n\n", datadir, reps,
            (double)base.rss_kib / 1024.0, o.timeout_s,
            fl_lin_format_bytes(o.max_memory, lim, sizeof lim));
    fprintf(out, "%-30s %-8s %5s %5s  %-7s %-4s %10s %10s %9s %9s\n",
            "file", "model", "ops", "parts", "verdict", "want", "median ms",
            "min ms", "RSS MiB", "tables");
    bench_totals t = { 0 };
    int n002 = 0, n007 = 0, nc50 = 0, nc10 = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            bool whole = pass == 1;
            if (whole && i < njepsen)
                continue;                 /* one partition anyway */
            char path[4096], label[300];
            snprintf(path, sizeof path, "%s/%s", datadir, names[i]);
            snprintf(label, sizeof label, "%s%s", names[i],
                     whole ? " (whole)" : "");
            bench_result r;
            if (measure_forked(path, whole, reps, &o, &r) != 0) {
                fprintf(stderr, "faultline: cannot fork: %s\n",
                        strerror(errno));
                break;
            }
            print_row(out, label, &r, expected(datadir, names[i]),
                      base.rss_kib, &t);
            t.files++;
            t.all_ms += r.median_ms;
            if (i < njepsen) {
                t.etcd++;
                t.etcd_ms += r.median_ms;
            }
            if (strcmp(names[i], "jepsen/etcd_002.log") == 0) {
                t.etcd002 = r.median_ms;
                n002 = r.runs;
            }
            if (strcmp(names[i], "jepsen/etcd_007.log") == 0) {
                t.etcd007 = r.median_ms;
                n007 = r.runs;
            }
            if (!whole && strcmp(names[i], "kv/c50-ok.txt") == 0) {
                t.c50_part = r.median_ms;
                nc50 = r.runs;
            }
            if (whole && strcmp(names[i], "kv/c10-ok.txt") == 0) {
                t.c10_whole = r.median_ms;
                nc10 = r.runs;
            }
        }
        if (pass == 0 && njepsen)
            fprintf(out, "%-30s %-8s %5s %5s  %-7s %-4s %10.3f\n",
                    "total, jepsen/", "", "", "", "", "", t.etcd_ms);
    }
    fprintf(out, "%-30s %-8s %5s %5s  %-7s %-4s %10.3f %10s %9.1f\n",
            "total, all rows", "", "", "", "", "", t.all_ms, "",
            (double)(t.max_rss - base.rss_kib) / 1024.0);
    fprintf(out, "\n%d measurements, %d verdicts differ from EXPECTED.txt, "
            "%d undecided\n", t.files, t.mismatches, t.undecided);
    fprintf(out, "\nagainst Porcupine's figures (its own models, check "
            "time only, median of 3):\n"
            "  %-34s %12s %13s   %8s\n", "", "Porcupine", "faultline",
            "speed-up");
    print_ref(out, "50 etcd logs, total", PORC_ETCD_ALL, t.etcd_ms,
              t.etcd == 50 ? 1 : 0);
    print_ref(out, "jepsen/etcd_002.log", PORC_ETCD_002, t.etcd002, n002);
    print_ref(out, "jepsen/etcd_007.log", PORC_ETCD_007, t.etcd007, n007);
    print_ref(out, "kv/c50-ok.txt, by key", PORC_C50_PART, t.c50_part, nc50);
    print_ref(out, "kv/c10-ok.txt, whole", PORC_C10_WHOLE, t.c10_whole,
              nc10);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return t.mismatches ? FL_EXIT_CHECK : FL_EXIT_OK;
}
