/* sandbox.h — run one whole command (`faultline run --impl SO ...`) in a
 * forked child with the limits grading uses (sim/batch/child.h), so that
 * whatever a plug-in does — crash, exit(), loop, sleep, storm timers,
 * eat memory, fork, flood the terminal — ends the command with exit
 * status 1, a verdict line naming the reason and the line that
 * reproduces it, and never a hang, a lie or a process left behind.
 *
 * The child keeps the caller's stdout and stderr, so the command's normal
 * report reaches the terminal unchanged; its exit status becomes the
 * caller's. Options the sandbox itself takes out of argv (in every mode):
 *   --in-process       run in this process (for gdb, valgrind, rr)
 *   --cpu S            CPU seconds (default 10, as grading)
 *   --wall S           wall-clock seconds (default 30)
 *   --memory MB        resident MiB (default 512)
 * It also refuses, before anything runs, two output options that name the
 * same file (status 2). */
#ifndef FL_SANDBOX_H
#define FL_SANDBOX_H

#include <stdbool.h>

/* For `cmd` ("run"): if argv has --impl and not --in-process, runs
 * fn(argc, argv + "--in-process") in a child, sets *status and returns
 * true. Returns true with *status 2 on bad sandbox options or clashing
 * outputs. Otherwise returns false with the sandbox options removed from
 * argv (*argc updated) and the caller goes on in-process. `outputs` lists
 * the command's output options ("--trace", ...), NULL-terminated. */
bool fl_sandbox_command(const char *cmd, int (*fn)(int, char **),
                        const char *const *outputs, int *argc, char **argv,
                        int *status);

#endif
