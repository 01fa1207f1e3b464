/* file.c — the whole-file reader (file.h). */
#include "sim/util/file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "sim/util/vec.h"

static fl_file_rc read_stream(FILE *f, size_t max, char **out, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (fl_vec_grow(&buf, &cap, n + 65536 + 1, 1, 65536) < 0) {
            free(buf);
            return FL_FILE_NOMEM;
        }
        size_t want = cap - n - 1;
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (max && n > max) {
            free(buf);
            *len = 0;
            return FL_FILE_TOO_BIG;
        }
        if (got < want)
            break;
    }
    if (ferror(f)) {
        int saved = errno;
        free(buf);
        errno = saved;
        return FL_FILE_READ;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return FL_FILE_OK;
}

fl_file_rc fl_file_read_all(const char *path, size_t max, char **out,
                            size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return FL_FILE_OPEN;
    struct stat st;
    if (max && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (uintmax_t)st.st_size > (uintmax_t)max) {
        fclose(f);
        *len = (size_t)st.st_size;
        return FL_FILE_TOO_BIG;
    }
    errno = 0;
    fl_file_rc rc = read_stream(f, max, out, len);
    int saved = errno;
    fclose(f);
    errno = saved;
    return rc;
}
