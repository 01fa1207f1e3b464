/* args.h — option parsing for every subcommand, one loop over glibc's
 * getopt_long so all commands accept the same GNU forms: `--seed=5` and
 * `--seed 5`, `-j4`, `--` ends the options, unambiguous abbreviations
 * (`--dur` for --duration) and options mixed with operands. Every command
 * also answers --help (its usage text from the command table) and --version.
 * Errors name the option, suggest the closest one ("did you mean --seed?")
 * and point at `faultline help CMD`. */
#ifndef FL_ARGS_H
#define FL_ARGS_H

#include <stdbool.h>

#include "sim/cli/cli.h"

typedef struct fl_cli_opt {
    const char *name;     /* long name without dashes: "seed" */
    char        short_name; /* 'j', or 0 */
    bool        has_arg;
} fl_cli_opt;

/* Called for each option with its long name with dashes ("--seed") and
 * its value (NULL for a flag); returns 0 or an exit status (2). */
typedef int (*fl_cli_on_opt)(void *ctx, const char *name, const char *value);
/* Called for each operand in order; returns 0 or an exit status. */
typedef int (*fl_cli_on_arg)(void *ctx, const char *arg);

/* What fl_cli_parse returns when it printed --help or --version: the
 * command stops and exits 0. */
#define FL_CLI_DONE (-1)

/* Parses argv[1..argc) of command `self` (argv[0] is its name) against
 * `opts` (ended by name == NULL). Returns 0, FL_CLI_DONE, or the first
 * nonzero status of a callback or of a usage error (2, message printed).
 * `on_arg` NULL: operands are refused. */
int fl_cli_parse(const fl_command *self, int argc, char **argv, const fl_cli_opt *opts,
                 fl_cli_on_opt on_opt, fl_cli_on_arg on_arg, void *ctx);

/* The exit status a command returns for a fl_cli_parse result != 0. */
static inline int fl_cli_status(int parsed)
{
    return parsed == FL_CLI_DONE ? 0 : parsed;
}

/* The one --version message: "faultline VERSION". */
void fl_cli_print_version(void);

#endif
