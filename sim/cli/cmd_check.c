/* cmd_check.c — the command-table entry of `faultline check`. The command
 * itself (options, usage text, the checker) lives with the checker in
 * sim/check/cmd_check.c; this file only lists it in the table. */
#include "config.h"

#include "sim/check/cmd_check.h"
#include "sim/cli/cli.h"

const fl_command fl_cmd_check_entry = {
    "check", "check a history file for linearizability", NULL, fl_cmd_check,
    fl_cmd_check_usage, true,
};
