/* progress.h — a progress line on stderr for long batches of runs:
 *   [##########..........]  1234/5000 runs  312.4 runs/s  2 failed  eta 12 s
 * redrawn in place at most ten times a second when stderr is a terminal,
 * and printed as a plain line at every tenth of the way otherwise (batch
 * logs, Slurm output files). */
#ifndef FL_PROGRESS_H
#define FL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct fl_progress {
    FILE    *out;
    bool     tty, quiet;
    uint64_t total;
    double   start, last_draw;
    unsigned last_tenth;
    bool     drawn;
} fl_progress;

void   fl_progress_start(fl_progress *p, FILE *out, uint64_t total, bool quiet);
void   fl_progress_update(fl_progress *p, uint64_t done, uint64_t failed);
/* Draws the final state and ends the line. */
void   fl_progress_end(fl_progress *p, uint64_t done, uint64_t failed);
double fl_progress_elapsed(const fl_progress *p);
/* Monotonic seconds. */
double fl_progress_now(void);

#endif
