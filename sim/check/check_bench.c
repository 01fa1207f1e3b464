/* check_bench.c — times the linearizability checker on Porcupine's test
 * data (cmd_check.h: fl_check_bench), for `faultline bench` and
 * bench/check_bench.sh. Files are parsed once, outside the timed part, as
 * Porcupine's own benchmarks do; the figures are medians over repetitions.
 * Wall-clock time is read here and only here for reporting. */
#include "sim/check/cmd_check.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/check/hist_read.h"
#include "sim/check/lin.h"

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

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, dbl_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The etcd_*.log files of dir/jepsen, read into hs[]; returns the count,
 * or -1. */
static int load_etcd(const char *dir, fl_lin_history **hs)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/jepsen", dir);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    char **names = NULL;
    int n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, "etcd_", 5) != 0 || len < 9 ||
            strcmp(de->d_name + len - 4, ".log") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, (size_t)cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        names[n] = strdup(de->d_name);
        if (names[n])
            n++;
    }
    closedir(d);
    if (n > 0)
        qsort(names, (size_t)n, sizeof *names, name_cmp);
    *hs = calloc((size_t)n + 1, sizeof **hs);
    int ok = *hs ? 0 : -1;
    for (int i = 0; i < n; i++) {
        fl_error err;
        snprintf(path, sizeof path, "%s/jepsen/%s", dir, names[i]);
        if (ok == 0 &&
            fl_hist_read_file(path, FL_HFMT_AUTO, &(*hs)[i], NULL, &err) != 0)
            ok = -1;
        free(names[i]);
    }
    free(names);
    return ok == 0 ? n : -1;
}

static void free_all(fl_lin_history *hs, int n)
{
    for (int i = 0; i < n; i++)
        fl_lin_history_free(&hs[i]);
    free(hs);
}

/* Seconds to check every history once; counts the violations. */
static double check_all(fl_lin_history *hs, int n, const char *model,
                        int *violations)
{
    double t0 = now_s();
    *violations = 0;
    for (int i = 0; i < n; i++)
        if (fl_lin_check(&hs[i], fl_model_find(model), NULL, 0, NULL) ==
            FL_LIN_VIOLATION)
            (*violations)++;
    return now_s() - t0;
}

static int bench_one(const char *what, fl_lin_history *hs, int n,
                     const char *model, int reps, FILE *out)
{
    double *t = calloc((size_t)reps, sizeof *t);
    if (!t)
        return 2;
    int bad = 0;
    for (int r = 0; r < reps; r++)
        t[r] = check_all(hs, n, model, &bad);
    double min = t[0];
    for (int r = 1; r < reps; r++)
        min = t[r] < min ? t[r] : min;
    fprintf(out, "%-34s %3d file%s %2d not linearizable  median %9.3f ms"
            "  (min %.3f ms, %d runs)\n", what, n, n == 1 ? " " : "s", bad,
            median(t, reps) * 1e3, min * 1e3, reps);
    free(t);
    return 0;
}

int fl_check_bench(const char *datadir, int reps, FILE *out)
{
    if (reps < 1)
        reps = 1;
    fl_lin_history *etcd = NULL, kv;
    double t0 = now_s();
    int n = load_etcd(datadir, &etcd);
    double parse = now_s() - t0;
    if (n <= 0) {
        fprintf(stderr, "faultline: %s/jepsen: no etcd_*.log histories\n",
                datadir);
        free_all(etcd, n > 0 ? n : 0);
        return 2;
    }
    char path[4096];
    fl_error err;
    snprintf(path, sizeof path, "%s/kv/c50-ok.txt", datadir);
    if (fl_hist_read_file(path, FL_HFMT_AUTO, &kv, NULL, &err) != 0) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        fl_lin_history_free(&kv);
        free_all(etcd, n);
        return 2;
    }
    fprintf(out, "parsing the %d etcd logs: %.3f ms\n", n, parse * 1e3);
    bench_one("jepsen/etcd_*.log (register)", etcd, n, "register", reps, out);
    bench_one("kv/c50-ok.txt (kv, by key)", &kv, 1, "kv", reps, out);
    fl_lin_history_free(&kv);
    free_all(etcd, n);
    return 0;
}
