/* outfile.h — an output file that appears whole or not at all.
 *
 * A regular file (or a path that does not exist yet) is written to
 * "PATH.partial.PID" beside it and renamed over PATH only when everything
 * was written, so a failed or interrupted command never leaves half a
 * report (a Gradescope results.json, a JUnit file, a sweep's CSV) behind.
 * A symbolic link is followed: the file it points to is replaced, the link
 * stays. Anything else — "-" (standard output), /dev/stdout, /dev/null, a
 * FIFO, a terminal, any device — is opened and written directly: it cannot
 * be renamed over, and must never be replaced by a regular file.
 *
 * While a temporary exists, SIGINT and SIGTERM remove it before the
 * process dies of the signal (see outfile.c for the handler). A write
 * error names the real cause ("No space left on device"). */
#ifndef FL_UTIL_OUTFILE_H
#define FL_UTIL_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct fl_outfile {
    const char *path;      /* borrowed; NULL: nothing to write */
    char       *tmp;       /* NULL when written directly */
    FILE       *fp;        /* write here */
    bool        is_stdout; /* "-": fp is stdout, never closed */
} fl_outfile;

/* Opens the temporary file (or the special file itself). `path` NULL is
 * fine (fp stays NULL). On error prints "faultline: PATH: cannot write:
 * why" and returns -1. */
int  fl_outfile_open(fl_outfile *o, const char *path);
/* Closes; renames into place if `keep`, else removes the temporary. -1
 * (with a message naming the cause) if a write, the close or the rename
 * failed; the temporary is removed. */
int  fl_outfile_close(fl_outfile *o, bool keep);

/* Refuses two outputs that name the same file (after following links and
 * "."/".." parts; character devices such as /dev/null may repeat):
 * prints "faultline: OPT1 and OPT2 both write PATH" and returns -1.
 * `opts[i]` names the option that gave `paths[i]`; NULL paths are unset. */
int  fl_outfile_check_distinct(const char *const *opts, const char *const *paths,
                               size_t n);

/* Removes the temporary that process `pid` would have used for `path`
 * (a child killed while writing it). */
void fl_outfile_discard_partial(const char *path, pid_t pid);

#endif
