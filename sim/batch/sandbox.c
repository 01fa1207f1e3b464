/* sandbox.c — one command in one limited child (see sandbox.h). */
#include "sim/batch/sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/batch/child.h"
#include "sim/util/outfile.h"
#include "sim/batch/outcome.h"

#define MAX_OUTPUTS 8

typedef struct sandbox {
    const char *cmd;
    bool        impl, in_process;
    fl_child_limits lim;
    const char *out_opt[MAX_OUTPUTS];
    const char *out_path[MAX_OUTPUTS];
    size_t      nout;
    /* the child */
    int (*fn)(int, char **);
    int         argc;
    char      **argv;
    fl_child_result res;
    int         status;
    bool        reported;
    long        pid;           /* of the child */
} sandbox;

/* "--opt VALUE" or "--opt=VALUE" at argv[*i]: the value, or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, bool *bad)
{
    size_t n = strlen(opt);
    const char *a = argv[*i];
    if (strncmp(a, opt, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *bad = true;
        return NULL;
    }
    return argv[++*i];
}

static bool seconds(const char *v, double max, double *out)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !(d > 0) || d > max)
        return false;
    *out = d;
    return true;
}

/* Takes the sandbox's own options out of argv; notes --impl and outputs.
 * -1 (message printed) on a bad value. */
static int scan(sandbox *sb, const char *const *outputs, int *argc, char **argv)
{
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        int first = i;
        bool bad = false;
        const char *v;
        double mb = 0;
        if (strcmp(argv[i], "--in-process") == 0) {
            sb->in_process = true;
            continue;
        }
        if ((v = opt_value(*argc, argv, &i, "--cpu", &bad)) || bad) {
            if (bad || !seconds(v, 86400, &sb->lim.cpu_s))
                goto bad_value;
            continue;
        }
        if ((v = opt_value(*argc, argv, &i, "--wall", &bad)) || bad) {
            if (bad || !seconds(v, 86400, &sb->lim.wall_s))
                goto bad_value;
            continue;
        }
        if ((v = opt_value(*argc, argv, &i, "--memory", &bad)) || bad) {
            if (bad || !seconds(v, 1048576, &mb) || mb < 16)
                goto bad_value;
            sb->lim.mem_bytes = (uint64_t)(mb * 1048576.0);
            continue;
        }
        if (strcmp(argv[i], "--impl") == 0 || strncmp(argv[i], "--impl=", 7) == 0)
            sb->impl = true;
        for (size_t k = 0; outputs && outputs[k] && sb->nout < MAX_OUTPUTS; k++) {
            int j = i;
            bool b = false;
            const char *p = opt_value(*argc, argv, &j, outputs[k], &b);
            if (p) {
                sb->out_opt[sb->nout] = outputs[k];
                sb->out_path[sb->nout++] = p;
            }
        }
        argv[out++] = argv[first];
        continue;
    bad_value:
        fprintf(stderr, "faultline: %s: %s%s%s: expected a positive number (seconds for "
                "--cpu/--wall, at least 16 MiB for --memory)\n", sb->cmd, argv[first],
                bad ? "" : " ", bad ? "" : argv[i]);
        return -1;
    }
    *argc = out;
    argv[out] = NULL;
    return 0;
}

static void work(void *ctx, size_t i, void *payload)
{
    sandbox *sb = ctx;
    (void)i;
    int st = sb->fn(sb->argc, sb->argv);
    fflush(stdout);
    fflush(stderr);
    memcpy(payload, &st, sizeof st);
}

static void started(void *ctx, long pid)
{
    ((sandbox *)ctx)->pid = pid;
}

static bool done(void *ctx, size_t i, const fl_child_result *r, const void *payload)
{
    sandbox *sb = ctx;
    (void)i;
    sb->res = *r;
    sb->reported = true;
    if (payload)
        memcpy(&sb->status, payload, sizeof sb->status);
    return true;
}

static void print_arg(const char *a)
{
    if (a[0] && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                          "0123456789-_./=:,+@%") == strlen(a)) {
        printf(" %s", a);
        return;
    }
    fputs(" '", stdout);
    for (const char *p = a; *p; p++)
        if (*p == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*p);
    putchar('\'');
}

static void discard_partials(const sandbox *sb, long pid)
{
    for (size_t k = 0; k < sb->nout; k++)
        fl_outfile_discard_partial(sb->out_path[k], (pid_t)pid);
}

static int verdict(sandbox *sb, fl_child_status st, int argc, char **argv)
{
    if (st == FL_CHILD_FAILED)
        return 2;
    discard_partials(sb, sb->pid);
    if (st == FL_CHILD_INTERRUPTED || !sb->reported) {
        fprintf(stderr, "faultline: %s: interrupted\n", sb->cmd);
        return 130;
    }
    if (sb->res.end == FL_CHILD_DONE && !sb->res.forked)
        return sb->status;
    fl_outcome o;
    fl_outcome_from_child(&sb->res, NULL, &sb->lim, &o);
    fflush(stderr);
    printf("verdict: FAILED (%s): %s\n", o.check, o.detail);
    printf("reproduce: faultline %s", sb->cmd);
    for (int i = 1; i < argc; i++)
        print_arg(argv[i]);
    printf("\n  (add --in-process to run it in one process, e.g. under gdb)\n");
    fflush(stdout);
    return 1;
}

bool fl_sandbox_command(const char *cmd, int (*fn)(int, char **),
                        const char *const *outputs, int *argc, char **argv,
                        int *status)
{
    sandbox sb;
    memset(&sb, 0, sizeof sb);
    sb.cmd = cmd;
    sb.lim.cpu_s = 10;
    sb.lim.wall_s = 30;
    sb.lim.mem_bytes = (uint64_t)512 << 20;
    if (scan(&sb, outputs, argc, argv) != 0 ||
        fl_outfile_check_distinct(sb.out_opt, sb.out_path, sb.nout) != 0) {
        *status = 2;
        return true;
    }
    if (!sb.impl || sb.in_process)
        return false;
    char **argv2 = calloc((size_t)*argc + 2, sizeof *argv2);
    if (!argv2) {
        fprintf(stderr, "faultline: out of memory\n");
        *status = 2;
        return true;
    }
    memcpy(argv2, argv, (size_t)*argc * sizeof *argv2);
    argv2[*argc] = (char *)"--in-process";
    sb.fn = fn;
    sb.argc = *argc + 1;
    sb.argv = argv2;
    fl_child_pool pool = {
        .nitems = 1, .jobs = 1, .limits = sb.lim, .payload_size = sizeof(int),
        .work = work, .done = done, .ctx = &sb, .inherit_output = true,
        .started = started,
    };
    fl_child_status st = fl_child_run(&pool);
    *status = verdict(&sb, st, *argc, argv);
    free(argv2);
    return true;
}
