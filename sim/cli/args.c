/* args.c — getopt_long for every subcommand (see args.h). */
#include "config.h"

#include "sim/cli/args.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/util/suggest.h"

enum { MAX_OPTS = 48, OPT_HELP = 1000, OPT_VERSION = 1001 };

typedef struct parser {
    const fl_command *self;
    const char       *cmd;
    const fl_cli_opt *opts;
    size_t            n;
    struct option     longs[MAX_OPTS + 3];
    char              shorts[2 * MAX_OPTS + 4];
    const char       *names[MAX_OPTS + 3];
} parser;

void fl_cli_print_usage(const fl_command *c)
{
    if (c->print_usage)
        c->print_usage(stdout);
    else
        fputs(c->usage, stdout);
}

bool fl_cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int fl_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("faultline: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see: faultline help %s)\n", cmd);
    return 2;
}

bool fl_cli_parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return false;
    *out = (uint64_t)v;
    return true;
}

void fl_cli_print_version(void)
{
    printf("faultline %s\n", PACKAGE_VERSION);
}

static int build(parser *p)
{
    size_t s = 0;
    p->shorts[s++] = ':';   /* report a missing value as ':', not '?' */
    for (p->n = 0; p->opts[p->n].name; p->n++) {
        if (p->n >= MAX_OPTS)
            return -1;
        const fl_cli_opt *o = &p->opts[p->n];
        p->longs[p->n] = (struct option){ o->name, o->has_arg ? required_argument : no_argument,
                                          NULL, (int)p->n + 256 };
        p->names[p->n] = o->name;
        if (o->short_name) {
            p->shorts[s++] = o->short_name;
            if (o->has_arg)
                p->shorts[s++] = ':';
        }
    }
    p->longs[p->n] = (struct option){ "help", no_argument, NULL, OPT_HELP };
    p->longs[p->n + 1] = (struct option){ "version", no_argument, NULL, OPT_VERSION };
    p->longs[p->n + 2] = (struct option){ NULL, 0, NULL, 0 };
    p->names[p->n] = "help";
    p->names[p->n + 1] = "version";
    p->names[p->n + 2] = NULL;
    p->shorts[s++] = 'h';
    p->shorts[s] = '\0';
    return 0;
}

static const fl_cli_opt *by_short(const parser *p, int c)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->opts[i].short_name == c)
            return &p->opts[i];
    return NULL;
}

/* The long name in `arg` ("--sed=5" -> "sed"), into buf. */
static const char *long_name(const char *arg, char *buf, size_t len)
{
    const char *eq = strchr(arg, '=');
    size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
    if (n >= len)
        n = len - 1;
    memcpy(buf, arg, n);
    buf[n] = '\0';
    return buf;
}

/* Explains why getopt_long refused the long option `arg` (without "--"). */
static int bad_long(const parser *p, const char *arg)
{
    char name[128], matches[512];
    long_name(arg, name, sizeof name);
    size_t nm = 0, used = 0, exact = SIZE_MAX;
    matches[0] = '\0';
    for (size_t i = 0; p->names[i]; i++) {
        if (strncmp(p->names[i], name, strlen(name)) != 0)
            continue;
        if (strcmp(p->names[i], name) == 0)
            exact = i;
        int w = snprintf(matches + used, sizeof matches - used, "%s--%s", nm ? ", " : "",
                         p->names[i]);
        if (w > 0 && (size_t)w < sizeof matches - used)
            used += (size_t)w;
        nm++;
    }
    if (nm == 1 || exact != SIZE_MAX) {
        if (strchr(arg, '='))
            return fl_cli_usage_error(p->cmd, "option --%s takes no value", name);
        return fl_cli_usage_error(p->cmd, "option --%s needs a value", name);
    }
    if (nm > 1)
        return fl_cli_usage_error(p->cmd, "option --%s is ambiguous (%s)", name, matches);
    const char *sug = fl_suggest(name, p->names);
    if (sug)
        return fl_cli_usage_error(p->cmd, "unknown option --%s (did you mean --%s?)", name, sug);
    return fl_cli_usage_error(p->cmd, "unknown option --%s", name);
}

/* glibc sets optopt to the character of a bad short option, to 0 for an
 * unknown long one and to the option's value (>= 256 here) for a long one
 * with a missing or unwanted value; then argv[optind - 1] is that option. */
static int bad_option(const parser *p, const char *arg, int optopt_c, bool missing)
{
    if ((optopt_c <= 0 || optopt_c >= 256) && arg && strncmp(arg, "--", 2) == 0)
        return bad_long(p, arg + 2);
    if (missing)
        return fl_cli_usage_error(p->cmd, "option -%c needs a value", optopt_c);
    return fl_cli_usage_error(p->cmd, "unknown option -%c", optopt_c);
}

static int on_option(parser *p, int c, const char *value, void *ctx, fl_cli_on_opt on_opt)
{
    if (c == OPT_HELP || c == 'h') {
        fl_cli_print_usage(p->self);
        return FL_CLI_DONE;
    }
    if (c == OPT_VERSION) {
        fl_cli_print_version();
        return FL_CLI_DONE;
    }
    const fl_cli_opt *o = c >= 256 ? &p->opts[c - 256] : by_short(p, c);
    if (!o)
        return fl_cli_usage_error(p->cmd, "unknown option -%c", c);
    char dashed[80];
    snprintf(dashed, sizeof dashed, "--%s", o->name);
    return on_opt(ctx, dashed, o->has_arg ? value : NULL);
}

int fl_cli_parse(const fl_command *self, int argc, char **argv, const fl_cli_opt *opts,
                 fl_cli_on_opt on_opt, fl_cli_on_arg on_arg, void *ctx)
{
    const char *cmd = self->name;
    parser p = { .self = self, .cmd = cmd, .opts = opts };
    if (build(&p) != 0)
        return fl_cli_usage_error(cmd, "internal error: too many options");
    opterr = 0;
    optind = 0;   /* glibc: full reinitialisation */
    int c, rc = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, p.shorts, p.longs, NULL)) != -1) {
        if (c == '?' || c == ':')
            rc = bad_option(&p, argv[optind - 1], optopt, c == ':');
        else
            rc = on_option(&p, c, optarg, ctx, on_opt);
    }
    for (int i = optind; rc == 0 && i < argc; i++) {
        if (!on_arg)
            rc = fl_cli_usage_error(cmd, "unexpected argument \"%s\"", argv[i]);
        else
            rc = on_arg(ctx, argv[i]);
    }
    return rc;
}
