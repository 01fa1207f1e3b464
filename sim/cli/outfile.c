/* outfile.c — write to a temporary name, rename when complete. */
#include "sim/cli/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fl_outfile_open(fl_outfile *o, const char *path)
{
    o->path = path;
    o->tmp = NULL;
    o->fp = NULL;
    if (!path)
        return 0;
    size_t len = strlen(path) + 40;
    o->tmp = malloc(len);
    if (!o->tmp) {
        fprintf(stderr, "faultline: %s: out of memory\n", path);
        return -1;
    }
    snprintf(o->tmp, len, "%s.partial.%ld", path, (long)getpid());
    o->fp = fopen(o->tmp, "w");
    if (!o->fp) {
        fprintf(stderr, "faultline: %s: cannot write: %s\n", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    return 0;
}

int fl_outfile_close(fl_outfile *o, bool keep)
{
    if (!o->fp)
        return 0;
    int rc = 0, saved = 0;
    if (ferror(o->fp))
        rc = -1, saved = EIO;
    if (fclose(o->fp) != 0 && rc == 0)
        rc = -1, saved = errno;
    o->fp = NULL;
    if (keep && rc == 0 && rename(o->tmp, o->path) != 0)
        rc = -1, saved = errno;
    if (!keep || rc != 0)
        unlink(o->tmp);
    if (keep && rc != 0)
        fprintf(stderr, "faultline: %s: write failed: %s\n", o->path, strerror(saved));
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}
