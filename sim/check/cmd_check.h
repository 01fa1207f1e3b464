/* cmd_check.h — `faultline check FILE [options]`: checks a recorded history
 * (faultline JSON Lines, Jepsen EDN or a Jepsen etcd log) for
 * linearizability and prints the verdict. */
#ifndef FL_CHECK_CMD_CHECK_H
#define FL_CHECK_CMD_CHECK_H

#include <stdio.h>

/* argv[0] is the subcommand's name ("check"); options and FILE follow.
 * Returns the exit status: 0 linearizable, 1 not, 2 bad input or usage
 * (message on stderr as "faultline: FILE:LINE: ..."), 3 unknown (timeout). */
int fl_cmd_check(int argc, char **argv);

/* The usage text, for `faultline help check`. */
void fl_cmd_check_usage(FILE *out);

/* Times the checker on Porcupine's data (`datadir` holds jepsen/etcd_*.log
 * and kv/c50-ok.txt): all etcd logs together, and c50-ok, `reps` times
 * each; prints the medians. Returns 0, or 2 if the data is missing. For
 * `faultline bench`. */
int fl_check_bench(const char *datadir, int reps, FILE *out);

#endif
