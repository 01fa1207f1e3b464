/* datadir.c — finding shipped files (see datadir.h). */
#include "sim/cli/datadir.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

bool fl_datadir_find(const char *rel, char *out, size_t len)
{
    snprintf(out, len, "%s", rel);
    if (exists(rel))
        return true;
    char self[4096];
    fl_datadir_self(self, sizeof self);
    char *slash = strrchr(self, '/');
    if (!slash)
        return false;
    *slash = '\0';
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", self, rel);
    if (exists(path)) {
        snprintf(out, len, "%s", path);
        return true;
    }
    snprintf(path, sizeof path, "%s/../share/faultline/%s", self, rel);
    if (exists(path)) {
        snprintf(out, len, "%s", path);
        return true;
    }
    return false;
}
