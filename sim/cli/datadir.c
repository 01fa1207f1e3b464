/* datadir.c — finding shipped files (see datadir.h). */
#include "config.h"

#include "sim/cli/datadir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FL_PKGDATADIR
#define FL_PKGDATADIR "/usr/local/share/faultline"
#endif

enum { MAX_PLACES = 5 };

void fl_datadir_self(char *out, size_t len)
{
    ssize_t n = len > 1 ? readlink("/proc/self/exe", out, len - 1) : -1;
    if (n <= 0 || (size_t)n >= len - 1) {
        snprintf(out, len, "faultline");
        return;
    }
    out[n] = '\0';
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The folders to look in, in order; returns how many. */
static size_t places(char dirs[MAX_PLACES][4200])
{
    const char *env = getenv("FAULTLINE_DATADIR");
    if (env && *env) {
        snprintf(dirs[0], sizeof dirs[0], "%s", env);
        return 1;
    }
    size_t n = 0;
    snprintf(dirs[n++], sizeof dirs[0], ".");
    char self[4096];
    fl_datadir_self(self, sizeof self);
    char *slash = strrchr(self, '/');
    if (slash) {
        *slash = '\0';
        snprintf(dirs[n++], sizeof dirs[0], "%s", self);
        snprintf(dirs[n++], sizeof dirs[0], "%s/../share/faultline", self);
    }
    snprintf(dirs[n++], sizeof dirs[0], "%s", FL_PKGDATADIR);
    return n;
}

bool fl_datadir_find(const char *rel, char *out, size_t len)
{
    char dirs[MAX_PLACES][4200];
    size_t n = places(dirs);
    for (size_t i = 0; i < n; i++) {
        char path[8500];
        if (strcmp(dirs[i], ".") == 0)
            snprintf(path, sizeof path, "%s", rel);
        else
            snprintf(path, sizeof path, "%s/%s", dirs[i], rel);
        if (i == 0)
            snprintf(out, len, "%s", path);
        if (exists(path)) {
            snprintf(out, len, "%s", path);
            return true;
        }
    }
    return false;
}

void fl_datadir_describe(const char *rel, char *out, size_t len)
{
    char dirs[MAX_PLACES][4200];
    size_t n = places(dirs), used = 0;
    if (len)
        out[0] = '\0';
    for (size_t i = 0; i < n && used < len; i++) {
        int w = snprintf(out + used, len - used, "%s%s/%s", i ? "; " : "",
                         dirs[i], rel);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (n == 1 && used < len)
        snprintf(out + used, len - used, " (FAULTLINE_DATADIR)");
}
