/* outfile.h — an output file that appears whole or not at all: written to
 * "PATH.partial.PID" and renamed over PATH only when everything was
 * written, so a failed or interrupted command never leaves half a report
 * (a Gradescope results.json, a JUnit file, a sweep's CSV) behind. */
#ifndef FL_OUTFILE_H
#define FL_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct fl_outfile {
    const char *path;      /* borrowed; NULL: nothing to write */
    char       *tmp;
    FILE       *fp;        /* write here */
} fl_outfile;

/* Opens the temporary file. `path` NULL is fine (fp stays NULL). On error
 * prints "faultline: PATH: cannot write: why" and returns -1. */
int  fl_outfile_open(fl_outfile *o, const char *path);
/* Closes; renames into place if `keep`, else removes. -1 (with a message)
 * if a write, the close or the rename failed; the temporary is removed. */
int  fl_outfile_close(fl_outfile *o, bool keep);

#endif
