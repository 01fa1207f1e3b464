/* child.c — the forked-child runner (see child.h).
 *
 * The parent keeps one slot per running child: its pid, the read ends of
 * its two pipes (answers, output), the items of its batch, what arrived so
 * far and its deadline. One poll() loop reads both pipes of every child,
 * reports each item as its answer completes, samples resident sizes from
 * /proc, enforces the wall-clock limit and reaps children with wait4().
 *
 * On the answer pipe a child writes, per item, an item_head (its CPU time
 * so far) followed by `payload_size` bytes. */
#define _GNU_SOURCE
#include "sim/batch/child.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The one piece of mutable global state: set by the SIGINT/SIGTERM
 * handler, read by the poll loop. A signal handler can reach nothing else
 * (it gets no context pointer), and only a volatile sig_atomic_t may be
 * written there safely. It is reset at the start of every fl_child_run. */
static volatile sig_atomic_t child_interrupted;

static void on_interrupt(int sig)
{
    (void)sig;
    child_interrupted = 1;
}

#define RSS_POLL_MS 10

typedef struct item_head {
    double cpu_total;          /* the child's CPU seconds after the item */
} item_head;

typedef struct range {
    size_t first, end;
} range;

typedef struct slot {
    pid_t    pid;              /* 0: free */
    size_t   next, end;        /* the item running now; one past the batch */
    int      res_fd, out_fd;   /* -1 once at end of file */
    unsigned char *buf;        /* item_head + payload being received */
    size_t   got;
    char     tail[FL_CHILD_TAIL];
    size_t   tail_len;
    double   item_start, deadline;
    double   cpu_before;       /* the child's CPU time when the item began */
    uint64_t peak_rss;
    fl_child_end killed_for;   /* DONE: not killed by us */
} slot;

typedef struct pool_run {
    const fl_child_pool *p;
    slot    *slots;
    unsigned nslots;
    unsigned running;
    size_t   next, batch, rec_size;
    range   *redo;             /* batches cut short by a dying child */
    size_t   nredo, capredo;
    bool     stop;
    pid_t    parent;
    long     page;
} pool_run;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *fl_child_signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGXCPU: return "SIGXCPU";
    case SIGPIPE: return "SIGPIPE";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    case SIGINT: return "SIGINT";
    default: return "a signal";
    }
}

static double rusage_s(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
           (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
}

/* ---- In the child ------------------------------------------------------------ */

static void write_all(int fd, const void *buf, size_t len)
{
    const unsigned char *b = buf;
    while (len > 0) {
        ssize_t n = write(fd, b, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(121);
        b += n;
        len -= (size_t)n;
    }
}

/* Allows about `cpu_s` more CPU seconds from now (RLIMIT_CPU counts whole
 * seconds of the process's total: at least cpu_s - 0.05 more). */
static void child_cpu_limit(double cpu_s)
{
    if (cpu_s <= 0)
        return;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    rlim_t s = (rlim_t)ceil(rusage_s(&ru) + cpu_s - 0.05);
    struct rlimit cpu = { s, s + 1 };
    setrlimit(RLIMIT_CPU, &cpu);
}

static void child_setup(pool_run *r, int out_fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != r->parent)
        _exit(122);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    for (unsigned k = 0; k < r->nslots; k++) {   /* other children's pipes */
        if (r->slots[k].pid == 0)
            continue;
        if (r->slots[k].res_fd >= 0)
            close(r->slots[k].res_fd);
        if (r->slots[k].out_fd >= 0)
            close(r->slots[k].out_fd);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
        dup2(devnull, 0);
        close(devnull);
    }
    dup2(out_fd, 1);
    dup2(out_fd, 2);
    close(out_fd);
    struct rlimit core = { 0, 0 };
    setrlimit(RLIMIT_CORE, &core);
}

static void child_main(pool_run *r, size_t first, size_t end, int res_fd, int out_fd)
{
    child_setup(r, out_fd);
    unsigned char *rec = malloc(r->rec_size);
    if (!rec)
        _exit(123);
    for (size_t i = first; i < end; i++) {
        child_cpu_limit(r->p->limits.cpu_s);
        memset(rec, 0, r->rec_size);
        r->p->work(r->p->ctx, i, rec + sizeof(item_head));
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        item_head h = { rusage_s(&ru) };
        memcpy(rec, &h, sizeof h);
        write_all(res_fd, rec, r->rec_size);
    }
    _exit(0);
}

/* ---- In the parent ----------------------------------------------------------- */

static void begin_item(pool_run *r, slot *s, double t)
{
    s->item_start = t;
    s->deadline = r->p->limits.wall_s > 0 ? t + r->p->limits.wall_s : 0;
    s->got = 0;
}

static int start_child(pool_run *r, slot *s, range items)
{
    int res[2], out[2];
    if (pipe2(res, O_CLOEXEC) != 0) {
        fprintf(stderr, "faultline: cannot create a pipe for a child: %s\n", strerror(errno));
        return -1;
    }
    if (pipe2(out, O_CLOEXEC) != 0) {
        fprintf(stderr, "faultline: cannot create a pipe for a child: %s\n", strerror(errno));
        close(res[0]);
        close(res[1]);
        return -1;
    }
    fflush(NULL);       /* or the child's exit() would flush our buffers */
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "faultline: cannot start a child process: %s\n", strerror(errno));
        close(res[0]); close(res[1]); close(out[0]); close(out[1]);
        return -1;
    }
    if (pid == 0) {
        close(res[0]);
        close(out[0]);
        child_main(r, items.first, items.end, res[1], out[1]);
    }
    close(res[1]);
    close(out[1]);
    fcntl(res[0], F_SETFL, O_NONBLOCK);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    s->pid = pid;
    s->next = items.first;
    s->end = items.end;
    s->res_fd = res[0];
    s->out_fd = out[0];
    s->tail_len = 0;
    s->tail[0] = '\0';
    s->cpu_before = 0;
    s->peak_rss = 0;
    s->killed_for = FL_CHILD_DONE;
    begin_item(r, s, now_s());
    r->running++;
    return 0;
}

/* Keeps the last FL_CHILD_TAIL - 1 bytes of the child's output. */
static void tail_append(slot *s, const char *buf, size_t n)
{
    const size_t cap = FL_CHILD_TAIL - 1;
    if (n >= cap) {
        memcpy(s->tail, buf + n - cap, cap);
        s->tail_len = cap;
    } else {
        if (s->tail_len + n > cap) {
            size_t drop = s->tail_len + n - cap;
            memmove(s->tail, s->tail + drop, s->tail_len - drop);
            s->tail_len -= drop;
        }
        memcpy(s->tail + s->tail_len, buf, n);
        s->tail_len += n;
    }
    s->tail[s->tail_len] = '\0';
}

static void report(pool_run *r, size_t item, fl_child_result *res, const void *payload)
{
    if (!r->p->done(r->p->ctx, item, res, payload))
        r->stop = true;
}

/* A whole answer arrived: report the item, start timing the next. */
static void item_answered(pool_run *r, slot *s)
{
    item_head h;
    memcpy(&h, s->buf, sizeof h);
    double t = now_s();
    fl_child_result res;
    memset(&res, 0, sizeof res);
    res.end = FL_CHILD_DONE;
    res.wall_s = t - s->item_start;
    res.cpu_s = h.cpu_total - s->cpu_before;
    res.peak_rss = s->peak_rss;
    memcpy(res.tail, s->tail, s->tail_len + 1);
    s->cpu_before = h.cpu_total;
    s->tail_len = 0;
    s->tail[0] = '\0';
    size_t item = s->next++;
    begin_item(r, s, t);
    report(r, item, &res, s->buf + sizeof(item_head));
}

/* Reads what is there; closes the fd at end of file. */
static void drain(pool_run *r, slot *s, bool is_result)
{
    char buf[8192];
    int *fd = is_result ? &s->res_fd : &s->out_fd;
    while (*fd >= 0) {
        ssize_t n = read(*fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return;               /* EAGAIN: nothing more for now */
        if (n == 0) {
            close(*fd);
            *fd = -1;
            return;
        }
        if (!is_result) {
            tail_append(s, buf, (size_t)n);
            continue;
        }
        for (size_t off = 0; off < (size_t)n;) {
            size_t take = r->rec_size - s->got;
            if (take > (size_t)n - off)
                take = (size_t)n - off;
            if (s->next < s->end)
                memcpy(s->buf + s->got, buf + off, take);
            s->got += take;
            off += take;
            if (s->got == r->rec_size && s->next < s->end)
                item_answered(r, s);
            else if (s->got == r->rec_size)
                s->got = 0;       /* more answers than items: ignored */
        }
    }
}

static uint64_t read_rss(pid_t pid, long page)
{
    char path[64], buf[128];
    snprintf(path, sizeof path, "/proc/%ld/statm", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    unsigned long long size = 0, resident = 0;
    if (sscanf(buf, "%llu %llu", &size, &resident) != 2)
        return 0;
    return (uint64_t)resident * (uint64_t)page;
}

static void kill_for(slot *s, fl_child_end why)
{
    if (s->killed_for == FL_CHILD_DONE) {
        s->killed_for = why;
        kill(s->pid, SIGKILL);
    }
}

static void watch_limits(pool_run *r, double t)
{
    const fl_child_limits *lim = &r->p->limits;
    for (unsigned k = 0; k < r->nslots; k++) {
        slot *s = &r->slots[k];
        if (s->pid == 0 || s->killed_for != FL_CHILD_DONE || s->next >= s->end)
            continue;
        uint64_t rss = read_rss(s->pid, r->page);
        if (rss > s->peak_rss)
            s->peak_rss = rss;
        if (lim->mem_bytes && rss > lim->mem_bytes)
            kill_for(s, FL_CHILD_MEMORY);
        else if (s->deadline > 0 && t >= s->deadline)
            kill_for(s, FL_CHILD_WALL);
    }
}

/* How the item running in a dead child ended. */
static void classify(const pool_run *r, const slot *s, int wstatus,
                     const struct rusage *ru, fl_child_result *res)
{
    double cpu = rusage_s(ru);
    res->cpu_s = cpu - s->cpu_before;
    if (WIFSIGNALED(wstatus))
        res->signal = WTERMSIG(wstatus);
    if (WIFEXITED(wstatus))
        res->status = WEXITSTATUS(wstatus);
    double cpu_lim = r->p->limits.cpu_s > 0 ? ceil(r->p->limits.cpu_s) : 0;
    if (s->killed_for != FL_CHILD_DONE)
        res->end = s->killed_for;
    else if (WIFSIGNALED(wstatus) &&
             (res->signal == SIGXCPU ||
              (res->signal == SIGKILL && cpu_lim > 0 && res->cpu_s >= cpu_lim)))
        res->end = FL_CHILD_CPU;
    else if (WIFSIGNALED(wstatus))
        res->end = FL_CHILD_SIGNAL;
    else
        res->end = FL_CHILD_EXIT;
}

static int push_redo(pool_run *r, range g)
{
    if (r->nredo == r->capredo) {
        size_t cap = r->capredo ? 2 * r->capredo : 8;
        range *x = realloc(r->redo, cap * sizeof *x);
        if (!x)
            return -1;
        r->redo = x;
        r->capredo = cap;
    }
    r->redo[r->nredo++] = g;
    return 0;
}

/* Reaps every child that has exited; reports the item it died in and
 * queues the rest of its batch. */
static int reap(pool_run *r)
{
    for (unsigned k = 0; k < r->nslots; k++) {
        slot *s = &r->slots[k];
        if (s->pid == 0)
            continue;
        int wstatus = 0;
        struct rusage ru;
        pid_t w = wait4(s->pid, &wstatus, WNOHANG, &ru);
        if (w == 0 || (w < 0 && errno == EINTR))
            continue;
        if (w < 0)
            memset(&ru, 0, sizeof ru);
        drain(r, s, true);
        drain(r, s, false);
        if (s->res_fd >= 0)
            close(s->res_fd);
        if (s->out_fd >= 0)
            close(s->out_fd);
        s->res_fd = s->out_fd = -1;
        s->pid = 0;
        r->running--;
        if (s->next >= s->end)
            continue;
        fl_child_result res;
        memset(&res, 0, sizeof res);
        classify(r, s, wstatus, &ru, &res);
        res.wall_s = now_s() - s->item_start;
        res.peak_rss = s->peak_rss;
        memcpy(res.tail, s->tail, s->tail_len + 1);
        size_t item = s->next++;
        if (s->next < s->end && push_redo(r, (range){ s->next, s->end }) != 0) {
            fprintf(stderr, "faultline: out of memory\n");
            return -1;
        }
        report(r, item, &res, NULL);
    }
    return 0;
}

static int poll_children(pool_run *r, struct pollfd *fds, slot **owner, bool *is_res)
{
    nfds_t n = 0;
    bool closing = false;
    double t = now_s(), wait_s = RSS_POLL_MS / 1000.0;
    for (unsigned k = 0; k < r->nslots; k++) {
        slot *s = &r->slots[k];
        if (s->pid == 0)
            continue;
        if (s->res_fd < 0 && s->out_fd < 0)
            closing = true;
        if (s->deadline > 0 && s->deadline - t < wait_s)
            wait_s = s->deadline - t;
        int fdv[2] = { s->res_fd, s->out_fd };
        for (int j = 0; j < 2; j++)
            if (fdv[j] >= 0) {
                fds[n].fd = fdv[j];
                fds[n].events = POLLIN;
                fds[n].revents = 0;
                owner[n] = s;
                is_res[n] = j == 0;
                n++;
            }
    }
    int timeout = closing ? 1 : (int)(wait_s * 1000.0) + 1;
    if (timeout < 1)
        timeout = 1;
    int rc = poll(fds, n, timeout);
    if (rc < 0)
        return errno == EINTR ? 0 : -1;
    for (nfds_t i = 0; i < n; i++)
        if (fds[i].revents)
            drain(r, owner[i], is_res[i]);
    return 0;
}

static void kill_all(pool_run *r)
{
    for (unsigned k = 0; k < r->nslots; k++) {
        slot *s = &r->slots[k];
        if (s->pid == 0)
            continue;
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
        if (s->res_fd >= 0)
            close(s->res_fd);
        if (s->out_fd >= 0)
            close(s->out_fd);
        s->pid = 0;
    }
    r->running = 0;
}

static slot *free_slot(pool_run *r)
{
    for (unsigned k = 0; k < r->nslots; k++)
        if (r->slots[k].pid == 0)
            return &r->slots[k];
    return NULL;
}

/* The next batch to start, if any. */
static bool next_batch(pool_run *r, range *g)
{
    if (r->stop)
        return false;
    if (r->nredo > 0) {
        *g = r->redo[0];
        memmove(r->redo, r->redo + 1, --r->nredo * sizeof *r->redo);
        return true;
    }
    if (r->next >= r->p->nitems)
        return false;
    g->first = r->next;
    g->end = r->p->nitems - r->next < r->batch ? r->p->nitems : r->next + r->batch;
    r->next = g->end;
    return true;
}

static fl_child_status run_loop(pool_run *r)
{
    size_t nfd = 2 * (size_t)r->nslots;
    struct pollfd *fds = calloc(nfd, sizeof *fds);
    slot **owner = calloc(nfd, sizeof *owner);
    bool *is_res = calloc(nfd, sizeof *is_res);
    fl_child_status st = FL_CHILD_OK;
    if (!fds || !owner || !is_res) {
        fprintf(stderr, "faultline: out of memory\n");
        st = FL_CHILD_FAILED;
    }
    double last_rss = 0;
    while (st == FL_CHILD_OK) {
        if (child_interrupted) {
            st = FL_CHILD_INTERRUPTED;
            break;
        }
        range g;
        while (r->running < r->nslots && next_batch(r, &g))
            if (start_child(r, free_slot(r), g) != 0) {
                st = FL_CHILD_FAILED;
                break;
            }
        if (st != FL_CHILD_OK || r->running == 0)
            break;
        if (poll_children(r, fds, owner, is_res) != 0) {
            st = FL_CHILD_FAILED;
            break;
        }
        double t = now_s();
        if (t - last_rss >= RSS_POLL_MS / 1000.0) {
            watch_limits(r, t);
            last_rss = t;
        }
        if (reap(r) != 0)
            st = FL_CHILD_FAILED;
    }
    kill_all(r);
    free(fds);
    free(owner);
    free(is_res);
    return st;
}

fl_child_status fl_child_run(const fl_child_pool *p)
{
    pool_run r;
    memset(&r, 0, sizeof r);
    r.p = p;
    r.nslots = p->jobs ? p->jobs : 1;
    r.batch = p->batch ? p->batch : 1;
    r.rec_size = sizeof(item_head) + (p->payload_size ? p->payload_size : 1);
    r.parent = getpid();
    r.page = sysconf(_SC_PAGESIZE);
    r.slots = calloc(r.nslots, sizeof *r.slots);
    fl_child_status st = r.slots ? FL_CHILD_OK : FL_CHILD_FAILED;
    for (unsigned k = 0; st == FL_CHILD_OK && k < r.nslots; k++) {
        r.slots[k].res_fd = r.slots[k].out_fd = -1;
        r.slots[k].buf = malloc(r.rec_size);
        if (!r.slots[k].buf)
            st = FL_CHILD_FAILED;
    }
    if (st != FL_CHILD_OK)
        fprintf(stderr, "faultline: out of memory\n");
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    child_interrupted = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    if (st == FL_CHILD_OK)
        st = run_loop(&r);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    for (unsigned k = 0; r.slots && k < r.nslots; k++)
        free(r.slots[k].buf);
    free(r.slots);
    free(r.redo);
    return st;
}
