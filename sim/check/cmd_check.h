/* cmd_check.h — `faultline check FILE [options]`: checks a recorded history
 * (faultline JSON Lines, Jepsen EDN or a Jepsen etcd log) for
 * linearizability and prints the verdict. */
#ifndef FL_CHECK_CMD_CHECK_H
#define FL_CHECK_CMD_CHECK_H

#include <stddef.h>
#include <stdio.h>

/* argv[0] is the subcommand's name ("check"); options and FILE follow.
 * Returns the exit status: 0 linearizable, 1 not, 2 bad input or usage
 * (message on stderr as "faultline: FILE:LINE: ..."), 3 unknown (timeout). */
int fl_cmd_check(int argc, char **argv);

/* The usage text, for `faultline help check`. */
void fl_cmd_check_usage(FILE *out);

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
