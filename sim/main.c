/* main.c — the faultline executable: the command table and dispatch. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check/cmd_check.h"
#include "sim/cli.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const fl_command commands[] = {
    { "run", "run a scenario and check it",
      "usage: faultline run SCENARIO.json [options]\n"
      "\n"
      "Runs the scenario, checks the algorithm's invariants after every event\n"
      "and the client history for linearizability at the end, and prints a\n"
      "summary with the trace hash and the command that reproduces the run.\n"
      "\n"
      "options:\n"
      "  --seed N          master seed (decimal or 0x-hex, 64 bits); default:\n"
      "                    the scenario's \"seed\", else 1\n"
      "  --duration MS     simulated run time in ms (default: the scenario's)\n"
      "  --trace FILE      write the trace as JSON Lines\n"
      "  --history FILE    write the client history as JSON Lines\n"
      "  --history-edn FILE  write the client history as Jepsen EDN\n"
      "  --metrics FILE    write one CSV row of run metrics (with header)\n"
      "  --impl SO         use the algorithm in this shared object instead of\n"
      "                    the built-in one the scenario names\n"
      "  --quiet           print only the verdict line\n"
      "\n"
      "exit status: 0 every check held, 1 a check failed, 2 bad input or usage,\n"
      "3 unknown (the linearizability checker ran out of time)\n",
      fl_cmd_run, NULL },
    { "check", "check a history file for linearizability",
      "usage: faultline check FILE [options]\n", fl_cmd_check, fl_cmd_check_usage },
    { "list", "list built-in algorithms and shipped scenarios",
      "usage: faultline list [DIR]\n"
      "\n"
      "Prints the built-in algorithms, then every scenario under DIR (default:\n"
      "./scenarios, else the installed scenario folder) with its description.\n",
      fl_cmd_list, NULL },
    { "bench", "measure engine speed and memory",
      "usage: faultline bench [--quick] [--raft]\n"
      "\n"
      "Prints events per second for a timers-only workload and an all-to-all\n"
      "message workload on 3, 10 and 100 nodes (tracing off, best of 3 runs,\n"
      "median reported), and the peak resident memory of a 10-million-event run.\n"
      "--quick runs each workload for a tenth as long.\n"
      "\n"
      "--raft instead runs a 5-server Raft cluster under 100 client ops/s with\n"
      "random crashes and partitions for one simulated hour (--quick: six\n"
      "minutes), invariants checked after every event, and prints the wall\n"
      "time, events per second and simulated/wall ratio (target: 1000x), then\n"
      "times the linearizability check of the history separately. Exit status\n"
      "1 if an invariant or the linearizability check failed.\n",
      fl_cmd_bench, NULL },
    { "experiment", "run a canonical experiment and export its data",
      "usage: faultline experiment raft-election [--trials N] [--out DIR]\n"
      "                                          [--network paper|lan]\n"
      "\n"
      "raft-election: the Raft paper's leader-election experiment (section 9.3,\n"
      "Figure 16). Five servers and no clients on a network with a broadcast\n"
      "time of about 15 ms (--network lan: about 3 ms, with fast disks). After\n"
      "2 s the leader is crashed at a random point of its heartbeat interval\n"
      "(half the minimum election timeout) and the time until a server leads\n"
      "in a newer term is measured, for the election timeouts 150-150,\n"
      "150-151, 150-155, 150-175, 150-200, 150-300, 12-24, 25-50, 50-100 and\n"
      "100-200 ms. Trial i uses seed i. A trial gives up 10 s after the crash\n"
      "and is counted as capped (at 10 s), not dropped. Raft's invariants are\n"
      "checked after every event. Progress goes to stderr.\n"
      "\n"
      "Writes DIR/raft-election.csv (range,trial,seed,time_to_leader_ms,capped)\n"
      "and DIR/raft-election-summary.csv (median, p90, p99, max, mean, capped\n"
      "per range), or raft-election-lan*.csv with --network lan; the output is\n"
      "the same on every run. notebooks-data/plot_raft_election.py plots them.\n"
      "\n"
      "options:\n"
      "  --trials N   trials per timeout range (default 1000)\n"
      "  --out DIR    output directory (default notebooks-data; created if missing)\n"
      "  --network M  paper (default) or lan\n"
      "\n"
      "exit status: 0 done, 1 a trial failed a check (an invariant, or no leader\n"
      "to crash), 2 bad usage or an output file could not be written\n",
      fl_cmd_experiment, NULL },
    { "viz", "watch a run live, or replay a trace, in a window",
      "usage: faultline viz SCENARIO.json [options]\n"
      "       faultline viz --trace FILE [options]\n"
      "\n"
      "Shows the cluster: nodes on a circle coloured and shaped by role, with\n"
      "term, vote and election timer; messages moving along the links (requests\n"
      "filled, replies hollow with +/-), drops crossed where they die, cut links;\n"
      "each server's log coloured by term (committed, durable, commit index,\n"
      "the leader's matchIndex/nextIndex); a timeline of faults and elections;\n"
      "a panel with the selected node, recent events and client operations.\n"
      "With a scenario the run happens in this process, paced against the wall\n"
      "clock, and its trace hash is the headless run's; with --trace a recorded\n"
      "run is replayed.\n"
      "\n"
      "options:\n"
      "  --seed N          master seed (as for run)\n"
      "  --impl SO         use the algorithm in this shared object\n"
      "  --trace FILE      replay a trace written by `faultline run --trace`\n"
      "  --speed X         simulated seconds per wall second (default 0.05)\n"
      "  --at MS           start at simulated time MS (--at-ms is the same)\n"
      "  --select NODE     select this node at the start\n"
      "  --screenshot OUT.png  draw the frame at --at MS without a window\n"
      "                    (no display needed), write it as PNG and exit\n"
      "  --size WxH        window or screenshot size (default 1280x800)\n"
      "  --frames N        run N frames in a window, then exit (for tests)\n"
      "  --keys SCRIPT     scripted input, one token a frame: @MS seek, sN or\n"
      "                    sL select node N or the leader, and key names (c r p\n"
      "                    x h S a ? q space right left plus minus home end)\n"
      "  --stats           print frame-time statistics at exit\n"
      "\n"
      "keys: space play/pause, right/left step one event, +/- speed, Home/End,\n"
      "click a node to select it, drag on the timeline to seek; live runs: c, r,\n"
      "p crash, restart, pause the selected node, x cut its links, h heal (the\n"
      "run restarts from time 0 with the fault), S save the run with those\n"
      "faults as a scenario that `faultline run` replays; ? all keys; q quits.\n"
      "\n"
      "Needs a build with SDL2, SDL2_ttf and SDL2_image, and the DejaVu fonts;\n"
      "without them this command says what to install and exits 2.\n",
      fl_cmd_viz, NULL },
    { "help", "show help for a command",
      "usage: faultline help [COMMAND]\n", cmd_help, NULL },
    { "version", "print the version",
      "usage: faultline version   (or faultline --version)\n", cmd_version, NULL },
    { NULL, NULL, NULL, NULL, NULL },
};

const fl_command *fl_cli_commands(void)
{
    return commands;
}

const fl_command *fl_cli_find(const char *name)
{
    for (const fl_command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void fl_cli_print_usage(const fl_command *c)
{
    if (c->print_usage)
        c->print_usage(stdout);
    else
        fputs(c->usage, stdout);
}

bool fl_cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int fl_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("faultline: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see: faultline help %s)\n", cmd);
    return 2;
}

bool fl_cli_parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return false;
    *out = (uint64_t)v;
    return true;
}

static void print_overview(FILE *out)
{
    fprintf(out, "faultline %s — a deterministic simulator for distributed algorithms\n\n"
                 "usage: faultline COMMAND [options]\n\ncommands:\n", PACKAGE_VERSION);
    for (const fl_command *c = commands; c->name; c++)
        fprintf(out, "  %-11s %s\n", c->name, c->summary);
    fprintf(out, "\nRun 'faultline help COMMAND' for a command's options.\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stdout);
        return 0;
    }
    const fl_command *c = fl_cli_find(argv[1]);
    if (!c)
        return fl_cli_usage_error("help", "unknown command \"%s\"", argv[1]);
    fl_cli_print_usage(c);
    return 0;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("faultline %s\n", PACKAGE_VERSION);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
        return cmd_version(argc - 1, argv + 1);
    if (fl_cli_is_help(argv[1]))
        return cmd_help(1, argv + 1);
    const fl_command *c = fl_cli_find(argv[1]);
    if (!c) {
        fprintf(stderr, "faultline: unknown command \"%s\"\n\n", argv[1]);
        print_overview(stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++)
        if (fl_cli_is_help(argv[i])) {
            fl_cli_print_usage(c);
            return 0;
        }
    return c->exec(argc - 1, argv + 1);
}
