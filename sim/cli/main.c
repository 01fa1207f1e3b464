/* main.c — the faultline executable: the command table and dispatch, and
 * the two commands that read the table (help, version). Every other
 * command lives in its own file, sim/cli/cmd_NAME.c, which owns its table
 * entry (name, summary, usage text) and parses its own options with
 * fl_cli_parse (sim/cli/args.h), so each answers --help and --version. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/util/heap.h"
#include "sim/util/suggest.h"

extern const fl_command fl_cmd_help_entry, fl_cmd_version_entry;

static const fl_command *const commands[] = {
    &fl_cmd_run_entry, &fl_cmd_check_entry, &fl_cmd_list_entry, &fl_cmd_bench_entry,
    &fl_cmd_experiment_entry, &fl_cmd_viz_entry, &fl_cmd_grade_entry,
    &fl_cmd_explore_entry, &fl_cmd_merge_entry, &fl_cmd_shrink_entry,
    &fl_cmd_diff_entry, &fl_cmd_trace_entry, &fl_cmd_search_entry, &fl_cmd_new_entry, &fl_cmd_help_entry,
    &fl_cmd_version_entry,
    NULL,
};

static const fl_command *find(const char *name)
{
    for (size_t i = 0; commands[i]; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

/* "unknown command "rnu" (did you mean "run"?)": one line, not the whole help. */
static int unknown_command(const char *who, const char *name)
{
    const char *names[sizeof commands / sizeof *commands];
    size_t n = 0;
    for (; commands[n]; n++)
        names[n] = commands[n]->name;
    names[n] = NULL;
    const char *sug = fl_suggest(name, names);
    if (sug)
        fprintf(stderr, "faultline: unknown command \"%s\" (did you mean \"%s\"?)\n", name, sug);
    else
        fprintf(stderr, "faultline: unknown command \"%s\"\n", name);
    fprintf(stderr, "(see: faultline help%s%s)\n", who ? " " : "", who ? who : "");
    return 2;
}

static void print_overview(FILE *out)
{
    fprintf(out, "faultline %s — a deterministic simulator for distributed algorithms\n\n"
                 "usage: faultline COMMAND [options]\n\ncommands:\n", PACKAGE_VERSION);
    for (size_t i = 0; commands[i]; i++)
        fprintf(out, "  %-11s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\nRun 'faultline help COMMAND' or 'faultline COMMAND --help' for a "
                 "command's options.\n");
}

typedef struct help_args {
    const char *topic;
    int         count;
} help_args;

static int help_arg(void *ctx, const char *arg)
{
    help_args *h = ctx;
    if (h->count++)
        return fl_cli_usage_error("help", "expected one COMMAND, found another: \"%s\"", arg);
    h->topic = arg;
    return 0;
}

static int no_options(void *ctx, const char *name, const char *value)
{
    (void)ctx;
    (void)value;
    return fl_cli_usage_error("help", "unknown option %s", name);
}

static const fl_cli_opt no_opts[] = { { NULL, 0, false } };

static int cmd_help(int argc, char **argv)
{
    help_args h = { NULL, 0 };
    int rc = fl_cli_parse(&fl_cmd_help_entry, argc, argv, no_opts, no_options, help_arg, &h);
    if (rc != 0)
        return fl_cli_status(rc);
    if (!h.topic) {
        print_overview(stdout);
        return 0;
    }
    const fl_command *c = find(h.topic);
    if (!c)
        return unknown_command(NULL, h.topic);
    fl_cli_print_usage(c);
    return 0;
}

static int cmd_version(int argc, char **argv)
{
    int rc = fl_cli_parse(&fl_cmd_version_entry, argc, argv, no_opts, no_options, NULL, NULL);
    if (rc != 0)
        return fl_cli_status(rc);
    fl_cli_print_version();
    return 0;
}

const fl_command fl_cmd_help_entry = {
    "help", "show help for a command",
    "usage: faultline help [COMMAND]\n"
    "\n"
    "Without COMMAND, lists the commands; with it, prints the command's usage\n"
    "(the same text as `faultline COMMAND --help`).\n",
    cmd_help, NULL, true,
};

const fl_command fl_cmd_version_entry = {
    "version", "print the version",
    "usage: faultline version   (or faultline --version, faultline COMMAND --version)\n",
    cmd_version, NULL, true,
};

/* For the commands whose options are parsed elsewhere (check, viz):
 * --help and --version anywhere before `--`. */
static int generic_help(const fl_command *c, int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (fl_cli_is_help(argv[i])) {
            fl_cli_print_usage(c);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            fl_cli_print_version();
            return 0;
        }
    }
    return -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        fl_cli_print_version();
        return 0;
    }
    if (fl_cli_is_help(argv[1])) {
        print_overview(stdout);
        return 0;
    }
    const fl_command *c = find(argv[1]);
    if (!c)
        return unknown_command(NULL, argv[1]);
    /* the commands that run one simulation, however long, in this process
     * (explore runs many short ones in each worker: not those) */
    if (strcmp(c->name, "run") == 0 || strcmp(c->name, "bench") == 0)
        fl_heap_long_run();
    if (!c->parses_help) {
        int rc = generic_help(c, argc - 1, argv + 1);
        if (rc >= 0)
            return rc;
    }
    return c->exec(argc - 1, argv + 1);
}
