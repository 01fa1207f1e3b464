/* check_bench.h — timing the linearizability checker on Porcupine's
 * published histories (check_bench.c), for `faultline check --bench` and
 * bench/check_bench.sh. */
#ifndef FL_CHECK_BENCH_H
#define FL_CHECK_BENCH_H

#include <stddef.h>
#include <stdio.h>

typedef struct fl_check_bench_opts {
    int    reps;          /* runs per measurement, the median reported;
                             0: 3 */
    double timeout_s;     /* per check; 0: 30 s */
    size_t max_memory;    /* per check; 0: 4 GiB (or less, see
                             fl_lin_default_max_memory) */
} fl_check_bench_opts;

/* Times the checker on Porcupine's data (`datadir` holds jepsen/ and kv/,
 * and EXPECTED.txt): every file with the model guessed from it,
 * partitioned, then every kv/ file unpartitioned; each in a child process
 * of its own whose peak memory is reported; prints a row per measurement,
 * totals, and the comparison with Porcupine's figures. opts may be NULL.
 * Returns 0, 1 if a verdict differs from EXPECTED.txt, 2 if there is no
 * data. For `faultline check --bench` and bench/check_bench.sh. */
int fl_check_bench(const char *datadir, const fl_check_bench_opts *opts,
                   FILE *out);

#endif
