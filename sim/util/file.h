/* file.h — the one whole-file reader (util room: includes only the C
 * library). Callers word their own messages from the code it returns. */
#ifndef FL_UTIL_FILE_H
#define FL_UTIL_FILE_H

#include <stddef.h>

typedef enum fl_file_rc {
    FL_FILE_OK      =  0,
    FL_FILE_OPEN    = -1,   /* fopen failed; errno says why */
    FL_FILE_READ    = -2,   /* a read failed (a directory, say); errno says why */
    FL_FILE_TOO_BIG = -3,   /* more than `max` bytes */
    FL_FILE_NOMEM   = -4,
} fl_file_rc;

/* Reads all of `path` into a NUL-terminated buffer: *out (the caller frees
 * it) of *len bytes. `max` > 0 refuses a file of more than `max` bytes,
 * then *len is its size when known (a regular file) or 0 (a pipe). Works
 * on pipes too. On failure *out is NULL; errno is kept for FL_FILE_OPEN
 * and FL_FILE_READ. */
fl_file_rc fl_file_read_all(const char *path, size_t max, char **out,
                            size_t *len);

#endif
