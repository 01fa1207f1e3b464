/* bench_proc.c — see bench_proc.h. */
#include "sim/cli/bench_proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ts_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double fl_bench_wall(void) { return ts_seconds(CLOCK_MONOTONIC); }
double fl_bench_cpu(void) { return ts_seconds(CLOCK_PROCESS_CPUTIME_ID); }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double fl_bench_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

long fl_bench_peak_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    fclose(f);
    return kib;
}

static double tv_seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int fl_bench_spawn(char *const argv[], fl_bench_child *c)
{
    memset(c, 0, sizeof *c);
    c->status = -1;
    int fd[2];
    if (pipe(fd) < 0)
        return -1;
    fflush(stdout);
    double t0 = fl_bench_wall();
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        if (dup2(fd[1], STDOUT_FILENO) < 0)
            _exit(127);
        close(fd[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    size_t used = 0;
    char sink[512];
    for (;;) {
        char *dst = used + 1 < sizeof c->out ? c->out + used : sink;
        size_t room = used + 1 < sizeof c->out ? sizeof c->out - 1 - used : sizeof sink;
        ssize_t n = read(fd[0], dst, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (dst != sink)
            used += (size_t)n;
    }
    c->out[used] = '\0';
    close(fd[0]);
    int st;
    struct rusage ru;
    pid_t w;
    while ((w = wait4(pid, &st, 0, &ru)) < 0 && errno == EINTR)
        ;
    if (w < 0)
        return -1;
    c->wall = fl_bench_wall() - t0;
    c->cpu = tv_seconds(ru.ru_utime) + tv_seconds(ru.ru_stime);
    c->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return 0;
}
