/* cli.h — the command table: each subcommand is one entry with its name,
 * a one-line summary, its usage text and the function that runs it.
 * `faultline help CMD` and `faultline CMD --help` print from the entry. */
#ifndef FL_CLI_H
#define FL_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

typedef struct fl_command {
    const char *name;
    const char *summary;
    const char *usage;                  /* full help text */
    int (*exec)(int argc, char **argv); /* argv[0] is the command name */
    void (*print_usage)(FILE *out);     /* instead of `usage`, if set */
} fl_command;

const fl_command *fl_cli_commands(void);     /* ended by name == NULL */
const fl_command *fl_cli_find(const char *name);
void fl_cli_print_usage(const fl_command *c);

/* Shared option helpers: print "faultline: ..." and return 2 on error. */
int  fl_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Decimal or 0x-hex, the full 64 bits; false if malformed. */
bool fl_cli_parse_u64(const char *s, uint64_t *out);
bool fl_cli_is_help(const char *arg);

int fl_cmd_run(int argc, char **argv);
int fl_cmd_list(int argc, char **argv);
int fl_cmd_bench(int argc, char **argv);
int fl_cmd_experiment(int argc, char **argv);
int fl_cmd_viz(int argc, char **argv);     /* viz/viz_cmd.c */
/* The bug-hunting workflow (issue 6). */
int fl_cmd_grade(int argc, char **argv);    /* sim/cli/cmd_grade.c */
int fl_cmd_explore(int argc, char **argv);  /* sim/cli/cmd_explore.c */
int fl_cmd_merge(int argc, char **argv);    /* sim/cli/cmd_explore.c */
int fl_cmd_shrink(int argc, char **argv);   /* sim/cli/cmd_shrink.c */
int fl_cmd_diff(int argc, char **argv);     /* sim/cli/cmd_diff.c */
int fl_cmd_new(int argc, char **argv);      /* sim/cli/cmd_new.c */
int fl_cmd_search(int argc, char **argv);   /* sim/cli/cmd_search.c */
void fl_cmd_search_usage(FILE *out);

#endif
