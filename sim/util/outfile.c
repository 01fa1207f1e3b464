/* outfile.c — output files (see outfile.h): temporary + rename for regular
 * files, direct writes for everything else, temporaries removed on
 * SIGINT/SIGTERM. */
#define _GNU_SOURCE
#include "sim/util/outfile.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Removing temporaries on a signal ----------------------------------------------
 * The one piece of mutable global state here: the temporaries that exist
 * right now. A signal handler gets no context pointer, so the list it
 * must clean up can only live in a static; it holds plain pointers the
 * handler reads (unlink is async-signal-safe). */
#define MAX_TEMPS 32
static char *volatile temps[MAX_TEMPS];

static void on_fatal_signal(int sig)
{
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temps[i])
            unlink(temps[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handler(int sig)
{
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0 || old.sa_handler != SIG_DFL)
        return;               /* ignored, or someone else's handler */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void remember(char *tmp)
{
    install_handler(SIGINT);
    install_handler(SIGTERM);
    for (int i = 0; i < MAX_TEMPS; i++)
        if (!temps[i]) {
            temps[i] = tmp;
            return;
        }
}

static void forget(const char *tmp)
{
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temps[i] == tmp)
            temps[i] = NULL;
}

/* ---- Opening -------------------------------------------------------------------- */

static char *partial_name(const char *path, pid_t pid)
{
    size_t len = strlen(path) + 40;
    char *tmp = malloc(len);
    if (tmp)
        snprintf(tmp, len, "%s.partial.%ld", path, (long)pid);
    return tmp;
}

/* Where a rename must land: the file a symbolic link points to (so the
 * link survives), else the path itself. Malloc'd. */
static char *rename_target(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (real)
            return real;
    }
    return strdup(path);
}

static int open_direct(fl_outfile *o, const char *path)
{
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        o->is_stdout = true;
        return 0;
    }
    o->fp = fopen(path, "w");
    if (!o->fp) {
        fprintf(stderr, "faultline: %s: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

int fl_outfile_open(fl_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    if (!path)
        return 0;
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (strcmp(path, "-") == 0 || (exists && !S_ISREG(st.st_mode)))
        return open_direct(o, path);
    char *target = rename_target(path);
    o->tmp = target ? partial_name(target, getpid()) : NULL;
    if (!o->tmp) {
        free(target);
        fprintf(stderr, "faultline: %s: out of memory\n", path);
        return -1;
    }
    /* The rename target is kept after the temporary's NUL. */
    size_t tl = strlen(o->tmp), gl = strlen(target);
    char *both = realloc(o->tmp, tl + gl + 2);
    if (!both) {
        free(target);
        free(o->tmp);
        o->tmp = NULL;
        fprintf(stderr, "faultline: %s: out of memory\n", path);
        return -1;
    }
    memcpy(both + tl + 1, target, gl + 1);
    free(target);
    o->tmp = both;
    o->fp = fopen(o->tmp, "w");
    if (!o->fp) {
        fprintf(stderr, "faultline: %s: cannot write: %s\n", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    remember(o->tmp);
    return 0;
}

/* ---- Closing -------------------------------------------------------------------- */

/* Flushes and closes, returning 0 or the errno of the first failure;
 * *had_error: a write had failed before. */
static int finish_stream(fl_outfile *o, bool *had_error_out)
{
    int saved = 0;
    bool had_error = ferror(o->fp) != 0;
    *had_error_out = had_error;
    clearerr(o->fp);
    errno = 0;
    if (fflush(o->fp) != 0)
        saved = errno ? errno : EIO;
    if (!saved && had_error)
        saved = EIO;           /* an earlier buffered write failed */
    if (!saved && !o->is_stdout && o->tmp && fsync(fileno(o->fp)) != 0 &&
        errno != EINVAL && errno != EROFS)
        saved = errno;
    if (!o->is_stdout && fclose(o->fp) != 0 && !saved)
        saved = errno ? errno : EIO;
    o->fp = NULL;
    return saved;
}

int fl_outfile_close(fl_outfile *o, bool keep)
{
    if (!o->fp)
        return 0;
    bool had_error;
    int saved = finish_stream(o, &had_error);
    if (o->tmp) {
        const char *target = o->tmp + strlen(o->tmp) + 1;
        if (keep && !saved && rename(o->tmp, target) != 0)
            saved = errno;
        if (!keep || saved)
            unlink(o->tmp);
        forget(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
    }
    if (saved && (keep || had_error))   /* a failed write is always news */
        fprintf(stderr, "faultline: %s: write failed: %s\n", o->path, strerror(saved));
    return saved ? -1 : 0;
}

/* ---- Two outputs, one file ---------------------------------------------------------- */

/* The canonical name of `path` (it may not exist yet). Malloc'd. */
static char *canonical(const char *path)
{
    if (strcmp(path, "-") == 0)
        return strdup("/dev/stdout");
    char *real = realpath(path, NULL);
    if (real)
        return real;
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path))
                      : strdup(".");
    char *rdir = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    if (!rdir)
        return strdup(path);
    const char *base = slash ? slash + 1 : path;
    size_t len = strlen(rdir) + strlen(base) + 2;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%s/%s", rdir, base);
    free(rdir);
    return out;
}

static bool may_repeat(const char *path)
{
    struct stat st;
    return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISCHR(st.st_mode);
}

int fl_outfile_check_distinct(const char *const *opts, const char *const *paths, size_t n)
{
    int rc = 0;
    char **canon = calloc(n ? n : 1, sizeof *canon);
    if (!canon)
        return 0;
    for (size_t i = 0; i < n; i++)
        canon[i] = paths[i] && !may_repeat(paths[i]) ? canonical(paths[i]) : NULL;
    for (size_t i = 0; i < n && rc == 0; i++)
        for (size_t j = i + 1; j < n && rc == 0; j++)
            if (canon[i] && canon[j] && strcmp(canon[i], canon[j]) == 0) {
                fprintf(stderr, "faultline: %s and %s both write %s: give each output "
                        "its own file\n", opts[i], opts[j], paths[j]);
                rc = -1;
            }
    for (size_t i = 0; i < n; i++)
        free(canon[i]);
    free(canon);
    return rc;
}

void fl_outfile_discard_partial(const char *path, pid_t pid)
{
    struct stat st;
    if (!path || strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode)))
        return;
    char *target = rename_target(path);
    char *tmp = target ? partial_name(target, pid) : NULL;
    if (tmp)
        unlink(tmp);
    free(tmp);
    free(target);
}
