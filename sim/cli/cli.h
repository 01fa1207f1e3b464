/* cli.h — the command table: each subcommand is one entry with its name,
 * a one-line summary, its usage text and the function that runs it. Each
 * entry lives in the command's own file (sim/cli/cmd_NAME.c, as tmux's
 * cmd-*.c do); main.c lists them. `faultline help CMD`, `faultline CMD
 * --help`, faultline.1 and README.md all quote the entry's text. */
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
    bool parses_help;                   /* exec answers --help/--version itself */
} fl_command;

/* The entries, one per sim/cli/cmd_NAME.c. */
extern const fl_command fl_cmd_run_entry, fl_cmd_check_entry, fl_cmd_list_entry,
    fl_cmd_bench_entry, fl_cmd_experiment_entry, fl_cmd_viz_entry, fl_cmd_grade_entry,
    fl_cmd_explore_entry, fl_cmd_merge_entry, fl_cmd_shrink_entry, fl_cmd_diff_entry,
    fl_cmd_new_entry, fl_cmd_search_entry, fl_cmd_trace_entry;

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
int fl_cmd_merge(int argc, char **argv);    /* sim/cli/cmd_merge.c */
int fl_cmd_shrink(int argc, char **argv);   /* sim/cli/cmd_shrink.c */
int fl_cmd_diff(int argc, char **argv);     /* sim/cli/cmd_diff.c */
int fl_cmd_trace(int argc, char **argv);    /* sim/cli/cmd_trace.c */
int fl_cmd_new(int argc, char **argv);      /* sim/cli/cmd_new.c */
int fl_cmd_search(int argc, char **argv);   /* sim/cli/cmd_search.c */
void fl_cmd_search_usage(FILE *out);

#endif
