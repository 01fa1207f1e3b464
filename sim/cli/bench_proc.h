/* bench_proc.h — honest measurement for `faultline bench`: wall and CPU
 * clocks, medians, this process's true peak resident memory, and running a
 * command in a FRESH process (fork + exec) so its memory figure is its own,
 * not floored at the size of the process it was forked from. */
#ifndef FL_BENCH_PROC_H
#define FL_BENCH_PROC_H

#include <stddef.h>

double fl_bench_wall(void);            /* monotonic seconds */
double fl_bench_cpu(void);             /* this process's CPU seconds */
double fl_bench_median(double *v, size_t n);   /* sorts v */
/* Peak RSS of this process image in KiB (VmHWM, reset by exec), or -1. */
long   fl_bench_peak_kib(void);

typedef struct fl_bench_child {
    double wall, cpu;        /* the child's wall time and user+system CPU */
    int    status;           /* exit status, or -1 if it did not exit */
    char   out[2048];        /* the start of its standard output */
} fl_bench_child;

/* Runs argv (argv[0] = a path; "/proc/self/exe" for this program) with
 * stdin and stderr untouched and stdout captured; 0, or -1. */
int fl_bench_spawn(char *const argv[], fl_bench_child *c);

#endif
