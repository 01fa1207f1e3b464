/* main.c — the faultline executable: the command table and dispatch. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check/cmd_check.h"
#include "sim/cli/cli.h"

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
      "       faultline experiment sort-scaling [--trials N] [--out DIR]\n"
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
      "sort-scaling: the distributed sample sort with 2, 4, 8, 16, 32 and 64\n"
      "workers and 10^4, 10^5 and 10^6 keys, no faults, on a LAN (about 0.5 ms\n"
      "one way), its local sort costing m log2 m x 5 ns of simulated CPU.\n"
      "Trial i uses seed i (default 3 trials); the sort's checks run after\n"
      "every event. Writes DIR/sort-scaling.csv (workers, keys, seed,\n"
      "completion_ms, messages, bytes, max_bucket, imbalance = largest bucket\n"
      "/ mean bucket); notebooks-data/plot_sort_scaling.py plots it.\n"
      "\n"
      "options:\n"
      "  --trials N   trials per timeout range (default 1000) or per sort\n"
      "               configuration (default 3)\n"
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
    { "grade", "grade an implementation against a suite of tests",
      "usage: faultline grade --algorithm ALG [--impl SO] [options]\n"
      "\n"
      "Runs every test of a suite (default: scenarios/ALG/suite.json) over its\n"
      "seeds against the implementation in SO (a plug-in built against\n"
      "<faultline/algorithm.h>; without --impl, the built-in ALG, to check a\n"
      "suite). Each run happens in its own child process with a CPU-time limit,\n"
      "a wall-clock limit and a memory limit (resident size), so a segfault,\n"
      "abort, exit(), endless loop or memory blow-up fails that test with its\n"
      "reason. Each run is made twice in its child and the trace hashes are\n"
      "compared: a plug-in whose nodes share global variables or that reads the\n"
      "wall clock is reported as nondeterministic.\n"
      "\n"
      "Prints a table (test, seeds passed, points, result, the reason and the\n"
      "`faultline run ... --seed N --impl SO` command that reproduces each\n"
      "failure) and the score; optionally writes Gradescope's results.json and\n"
      "JUnit XML (each written whole or not at all).\n"
      "\n"
      "options:\n"
      "  --algorithm ALG   the algorithm graded (picks the default suite)\n"
      "  --impl SO         the implementation to grade (a shared object)\n"
      "  --suite FILE      the suite to run (see scenarios/raft/suite.json)\n"
      "  --seeds N         N seeds per test: the first N of each test's range, or\n"
      "                    N consecutive ones from its first seed\n"
      "  --tests A,B,...   grade only these tests\n"
      "  --jobs J          child processes at once (default: the number of CPUs)\n"
      "  --cpu S           CPU seconds per run (default: the suite's, else 10)\n"
      "  --wall S          wall-clock seconds per run (default: suite, else 30)\n"
      "  --memory MB       resident MiB per run (default: suite, else 512)\n"
      "  --once            run each seed once (no determinism check)\n"
      "  --results FILE    write Gradescope's results.json\n"
      "  --junit FILE      write JUnit XML\n"
      "  --verbose         list every failing seed, not just the first three\n"
      "  --quiet           print only the score line\n"
      "\n"
      "exit status: 0 the grading ran (whatever the score; a plug-in that does\n"
      "not load scores 0), 2 bad usage, a bad suite or a report that could not\n"
      "be written, 130 interrupted\n",
      fl_cmd_grade, NULL },
    { "explore", "run a scenario over many seeds in parallel (swarm testing)",
      "usage: faultline explore SCENARIO.json --seeds A-B [options]\n"
      "\n"
      "Runs the scenario once per seed in A..B (inclusive), each run in its own\n"
      "child process (CPU, wall-clock and memory limits as for grade), --jobs at\n"
      "a time, with a progress bar on stderr (runs/s, failures so far). Stops\n"
      "starting new runs at the first failure unless --keep-going. Prints every\n"
      "failure (up to 20) with the command that reproduces it.\n"
      "\n"
      "options:\n"
      "  --seeds A-B       the seeds (decimal or 0x-hex; \"7\" is one seed)\n"
      "  --jobs J          child processes at once (default: the number of CPUs)\n"
      "  --keep-going      run every seed, failures or not\n"
      "  --shard I/N       run only the seeds at positions I, I+N, I+2N, ... of\n"
      "                    the range (0 <= I < N): one share of a sweep spread\n"
      "                    over N machines or Slurm array tasks\n"
      "  --csv FILE        write one row per seed, in seed order (seed, result,\n"
      "                    check, trace hash, events, ops, times, scenario,\n"
      "                    duration, impl, detail); `faultline merge` reads it\n"
      "  --nemesis KINDS   add random faults, so each seed also gets its own fault\n"
      "                    schedule: a comma list of crash, partition, pause\n"
      "  --scenario-out F  where to write the scenario with the nemeses (the\n"
      "                    repro commands name it; default NAME-nemesis.json)\n"
      "  --impl SO         run the implementation in this shared object\n"
      "  --duration MS     simulated run time (default: the scenario's)\n"
      "  --twice           run every seed twice and compare trace hashes\n"
      "  --cpu S, --wall S, --memory MB   limits per run (60, 120, 1024)\n"
      "  --quiet           no progress bar\n"
      "\n"
      "exit status: 0 every run passed, 1 a run failed, 2 bad usage or input,\n"
      "130 interrupted (the CSV keeps the runs that finished)\n",
      fl_cmd_explore, NULL },
    { "merge", "combine the CSVs of a sharded sweep into one summary",
      "usage: faultline merge FILE.csv... [--out ALL.csv]\n"
      "\n"
      "Reads the CSVs written by `faultline explore --csv` (for example one per\n"
      "--shard), sorts the rows by scenario and seed, drops seeds that appear\n"
      "twice, and prints how many runs passed and failed, how many seeds are\n"
      "missing between the first and the last, and every failure (up to 20)\n"
      "with its repro command. --out writes the merged CSV.\n"
      "\n"
      "exit status: 0 every run passed, 1 a run failed, 2 bad usage or input\n",
      fl_cmd_merge, NULL },
    { "shrink", "cut a failing run down to a minimal scenario",
      "usage: faultline shrink SCENARIO.json --seed N [options]\n"
      "\n"
      "Delta debugging of a failing run: removes faults (halves, quarters, ...,\n"
      "single ones), ends the run just after the violation and halves the\n"
      "duration, lowers the number of clients, the rate, the keys and the kinds\n"
      "of operation, reduces the number of nodes of each role, and turns off\n"
      "random loss, duplicates, link overrides and torn writes; each step re-runs\n"
      "the seed deterministically (in a child process, --jobs at a time) and\n"
      "keeps a change only if the run still fails the same check. A liveness\n"
      "failure keeps its duration and workload. Writes the minimal scenario as\n"
      "JSON, with its seed and with expect.violation naming the check, and\n"
      "prints the sizes before and after.\n"
      "\n"
      "options:\n"
      "  --seed N          the failing run's seed (required)\n"
      "  --out FILE        where to write it (default: NAME-shrunk.json here)\n"
      "  --impl SO         the implementation in this shared object\n"
      "  --duration MS     start from this duration instead of the scenario's\n"
      "  --jobs J          candidates run at once (default: the number of CPUs)\n"
      "  --cpu S, --wall S, --memory MB   limits per run (20, 60, 1024)\n"
      "  --quiet           do not report each step on stderr\n"
      "\n"
      "exit status: 0 written, 2 bad usage or input or a run that does not fail,\n"
      "130 interrupted\n",
      fl_cmd_shrink, NULL },
    { "diff", "show where two traces diverge",
      "usage: faultline diff TRACE_A TRACE_B [--context N]\n"
      "\n"
      "Compares two traces written by `faultline run --trace`: the header fields\n"
      "that differ (seed, scenario, algorithm, nodes), then the events in order;\n"
      "prints the first event that differs (its number, simulated time and the\n"
      "fields that differ) with the N events before it and after it in each\n"
      "trace (default 5). For hunting a nondeterminism or seeing what a change\n"
      "did to a run.\n"
      "\n"
      "exit status: 0 identical, 1 different, 2 bad usage or unreadable input\n",
      fl_cmd_diff, NULL },
    { "search", "explore schedules systematically for a shortest counterexample",
      NULL, fl_cmd_search, fl_cmd_search_usage },
    { "new", "write a skeleton implementation for a student",
      "usage: faultline new ALGORITHM DIR [--force] [--templates TDIR]\n"
      "\n"
      "Writes DIR/ALGORITHM.c (the plug-in's ops table with every handler empty:\n"
      "it builds, loads and fails the suite honestly), DIR/Makefile (builds\n"
      "DIR/ALGORITHM.so against this faultline's <faultline/algorithm.h>: its\n"
      "build tree's include/ or PREFIX/include, else `pkg-config faultline`;\n"
      "`make grade` grades it) and DIR/README.md (what to do, what is checked,\n"
      "hints). ALGORITHM is one of raft, paxos, lock, counter, sort. Existing\n"
      "files are not overwritten unless --force. The templates come from\n"
      "templates/ here, next to the faultline executable or in\n"
      "PREFIX/share/faultline, or from --templates TDIR.\n"
      "\n"
      "exit status: 0 written, 2 bad usage or a file that could not be written\n",
      fl_cmd_new, NULL },
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
