/* cmd_check.h — `faultline check FILE [options]`: checks a recorded history
 * (faultline JSON Lines, Jepsen EDN or a Jepsen etcd log) for
 * linearizability and prints the verdict. */
#ifndef FL_CLI_CMD_CHECK_H
#define FL_CLI_CMD_CHECK_H

#include <stddef.h>
#include <stdio.h>

/* argv[0] is the subcommand's name ("check"); options and FILE follow.
 * Returns the exit status: 0 linearizable, 1 not, 2 bad input or usage
 * (message on stderr as "faultline: FILE:LINE: ..."), 3 unknown (timeout). */
int fl_cmd_check(int argc, char **argv);

/* The usage text, for `faultline help check`. */
void fl_cmd_check_usage(FILE *out);

#endif
