/* hostile.c — the reference Raft plus one hostile act, chosen at compile
 * time with -DHOSTILE_<WHAT> (tests/hostile.mk builds one plug-in per act;
 * tests/test_hostile.sh proves that `run --impl` and `grade` give each a
 * failing verdict naming the reason, within a bound, leaving no process
 * behind). Node 0 does the act when it boots, or a little later for the
 * acts that need the run going. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/plugins/student_wrap.h"

#define STORM_COOKIE 0x5707u

#if defined(HOSTILE_STACK)
/* Recurses until the stack runs out (the depth test hides that from the
 * compiler's infinite-recursion warning). */
static int deep(volatile char *prev, long n)
{
    volatile char frame[4096];
    frame[0] = (char)n;
    frame[4095] = prev ? prev[0] : 0;
    if (n < 0)
        return frame[1];
    return deep(frame, n + 1) + frame[1];
}
#endif

static void act(fl_ctx *ctx)
{
    (void)ctx;
#if defined(HOSTILE_SEGV)
    volatile int *volatile nowhere = NULL;
    *nowhere = 1;
#elif defined(HOSTILE_ABORT)
    abort();
#elif defined(HOSTILE_EXIT0)
    exit(0);
#elif defined(HOSTILE_LOOP)
    for (volatile unsigned long i = 0;; i++)
        ;
#elif defined(HOSTILE_SLEEP)
    sleep(3600);
#elif defined(HOSTILE_ALLOC)
    /* 50 GB, touched a MiB at a time, so it is resident, not just reserved */
    for (size_t got = 0; got < ((size_t)50 << 30); got += (size_t)1 << 20) {
        char *p = malloc((size_t)1 << 20);
        if (!p)
            abort();
        memset(p, 1, (size_t)1 << 20);
    }
#elif defined(HOSTILE_STACK)
    deep(NULL, 0);
#elif defined(HOSTILE_STORM)
    fl_set_timer(ctx, 0, FL_TIMER_OTHER, STORM_COOKIE);
#elif defined(HOSTILE_FORK)
    if (fork() == 0) {         /* a helper process that outlives the run */
        sleep(600);
        _exit(0);
    }
#elif defined(HOSTILE_FORK_CONTINUE)
    (void)fork();              /* both go on simulating */
#elif defined(HOSTILE_FLOOD)
    static const char line[] = "debug: this line is printed far too often............\n";
    for (;;) {
        fputs(line, stdout);
        fputs(line, stderr);
    }
#elif defined(HOSTILE_HUGE_MSG)
    size_t len = (size_t)60 << 20;
    char *big = calloc(1, len);
    if (big) {
        fl_send(ctx, 1, big, len);
        free(big);
    }
#elif defined(HOSTILE_INITFAIL)
    /* nothing here: node 0's init fails (hostile_init) */
#elif defined(HOSTILE_RANDTIME)
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    srand((unsigned)ts.tv_nsec ^ (unsigned)ts.tv_sec);
#else
#error "define one HOSTILE_ act"
#endif
}

static int hostile_init(fl_ctx *ctx, void *state, const cJSON *params)
{
#if defined(HOSTILE_INITFAIL)
    if (fl_self(ctx) == 0) {
        fl_log(ctx, "init: I refuse to run");
        return -1;
    }
#endif
    return ref_init(ctx, state, params);
}

static void hostile_start(fl_ctx *ctx, void *state, bool recovering)
{
    ref_start(ctx, state, recovering);
    if (fl_self(ctx) == 0 && !recovering)
        act(ctx);
}

static void hostile_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                             uint64_t cookie)
{
    if (kind == FL_TIMER_OTHER && cookie == STORM_COOKIE) {
        fl_set_timer(ctx, 0, FL_TIMER_OTHER, STORM_COOKIE);   /* never ends */
        return;
    }
#if defined(HOSTILE_RANDTIME)
    /* A "random" number from the C library, in the trace: differs run to run. */
    fl_log(ctx, "lucky number %d", rand());
#endif
    ref_on_timer(ctx, state, kind, cookie);
}

static const fl_role hostile_roles[] = {
    { .name = "server", .state_size = sizeof(raft_node), .init = hostile_init,
      .start = hostile_start, .on_message = ref_on_message, .on_timer = hostile_on_timer,
      .on_request = ref_on_request, .inspect = ref_inspect,
      .inspect_entry = ref_inspect_entry, .destroy = ref_destroy },
    { .name = NULL },
};

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION, .struct_size = sizeof(fl_algorithm),
    .name = "raft", .description = "a hostile Raft (test plug-in)",
    .roles = hostile_roles, .validate = ref_validate, .describe = raft_describe,
};
