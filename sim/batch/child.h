/* child.h — run work items in forked child processes, a few at a time, so
 * that whatever code under test does — a segfault, abort(), exit(), an
 * endless loop, a memory blow-up, a sanitizer report — ends that one item
 * with a reason and never the caller.
 *
 * Each item gets a fresh child (forked from the caller, so it inherits
 * everything loaded so far) — or, with `batch` > 1, a child runs up to that
 * many consecutive items one after the other, which saves the fork and a
 * cold heap per item when the code under test keeps no global state (if
 * such a child dies, the item it was running gets the reason and the rest
 * of its batch goes to a new child). Every item has
 *   - a CPU-time limit (RLIMIT_CPU, raised by the limit before each item
 *     of a batch: SIGXCPU at the limit, SIGKILL a second later) and no
 *     core files;
 *   - a wall-clock limit, enforced by the parent with SIGKILL;
 *   - a memory limit on its resident size, which the parent reads from
 *     /proc/PID/statm every few milliseconds and enforces with SIGKILL (an
 *     address-space rlimit would break sanitizer builds, which reserve
 *     terabytes of shadow memory);
 *   - stdout and stderr captured into a pipe, of which the last
 *     FL_CHILD_TAIL bytes are kept (a sanitizer's report, a student's
 *     printf);
 *   - a separate pipe for its answers: per item, its CPU time so far and
 *     `payload_size` bytes, which count once all of them have arrived.
 * Children die with the parent (PR_SET_PDEATHSIG) and ignore SIGINT: on
 * Ctrl-C or SIGTERM the parent kills the running children itself and
 * returns FL_CHILD_INTERRUPTED so the caller can still write what it has.
 * Not thread-safe; one pool at a time per process. */
#ifndef FL_CHILD_H
#define FL_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fl_child_limits {
    double   cpu_s;        /* CPU seconds (rounded up to whole ones); 0: none */
    double   wall_s;       /* wall-clock seconds; 0: none */
    uint64_t mem_bytes;    /* resident bytes; 0: none */
} fl_child_limits;

typedef enum fl_child_end {
    FL_CHILD_DONE,         /* delivered its payload and exited with 0 */
    FL_CHILD_SIGNAL,       /* killed by `signal` (not by a limit) */
    FL_CHILD_EXIT,         /* exited with `status` without a payload */
    FL_CHILD_CPU,          /* hit the CPU-time limit */
    FL_CHILD_WALL,         /* killed at the wall-clock limit */
    FL_CHILD_MEMORY        /* killed: resident size over the limit */
} fl_child_end;

#define FL_CHILD_TAIL 2048

typedef struct fl_child_result {
    fl_child_end end;
    int      signal;       /* the terminating signal, if any */
    int      status;       /* the exit status, if it exited */
    double   wall_s;       /* the item's wall-clock time */
    double   cpu_s;        /* the item's user + system time */
    uint64_t peak_rss;     /* largest resident size of its child, bytes */
    char     tail[FL_CHILD_TAIL]; /* end of its stdout+stderr, NUL-ended */
} fl_child_result;

typedef struct fl_child_pool {
    size_t          nitems;
    unsigned        jobs;          /* children at once; 0 counts as 1 */
    size_t          batch;         /* items per child; 0 counts as 1 */
    fl_child_limits limits;
    size_t          payload_size;  /* bytes a child sends back (> 0) */
    /* In the child: do item `i` and fill `payload` (zeroed). After its
     * last item the child leaves with _exit(0): no atexit handlers, no
     * stdio flush. */
    void (*work)(void *ctx, size_t i, void *payload);
    /* In the parent, as items finish, in any order. `payload` is NULL
     * unless r->end == FL_CHILD_DONE. Return false to start no further
     * items (the running ones still finish and are reported). */
    bool (*done)(void *ctx, size_t i, const fl_child_result *r,
                 const void *payload);
    void           *ctx;
} fl_child_pool;

typedef enum fl_child_status {
    FL_CHILD_OK = 0,           /* every started item was reported */
    FL_CHILD_INTERRUPTED = 1,  /* SIGINT/SIGTERM: running children killed,
                                  unreported */
    FL_CHILD_FAILED = -1       /* fork or pipe failed (message printed) */
} fl_child_status;

/* Starts items 0, 1, ... in order (an item whose child died while
 * running an earlier item of its batch is started again later), at most
 * `jobs` children at once. */
fl_child_status fl_child_run(const fl_child_pool *pool);

/* "SIGSEGV", "SIGABRT", ... (or "signal N"). */
const char *fl_child_signal_name(int sig);

#endif
