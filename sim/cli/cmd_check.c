/* cmd_check.c — the `faultline check` subcommand (cmd_check.h): reads a
 * history file, picks a model (given, or guessed from the file), runs the
 * linearizability checker (sim/check/) and prints the verdict, optionally
 * with an HTML page of the history. Owns its usage text and its entry in
 * the command table. */
#include "config.h"

#include "sim/cli/cmd_check.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check/check_bench.h"
#include "sim/check/hist_read.h"
#include "sim/check/lin.h"
#include "sim/check/model.h"
#include "sim/check/trace_link.h"
#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/util/suggest.h"
#include "sim/error.h"

#define FL_CHECK_MAX_FILES 4096

typedef struct check_opts {
    const char    *file;          /* the first FILE */
    const char   **files;         /* all of them */
    int            nfiles;
    const char    *model;         /* NULL: guess */
    const char    *init;          /* NULL: the model's default */
    double         timeout;       /* 0: none */
    bool           timeout_set;   /* else FL_CHECK_TIMEOUT (--bench: its
                                     own default) */
    const char    *html;          /* NULL: no page */
    const char    *trace;         /* --trace: the run's trace, to link */
    fl_hist_format format;
    size_t         max_memory;    /* 0: the default */
    bool           no_partition;
    bool           bench;         /* FILE is then the data folder */
    int            reps;          /* --bench: runs per measurement */
    unsigned       threads;       /* 0: the checker's default */
} check_opts;

#define FL_BENCH_DATA "../shared/data/porcupine"

/* Generous, but a check never hangs unless asked to (--timeout 0). */
#define FL_CHECK_TIMEOUT 600.0

void fl_cmd_check_usage(FILE *out)
{
    size_t n;
    const fl_model *const *models = fl_models(&n);
    fputs("usage: faultline check FILE [--model M] [--init V] "
          "[--timeout S] [--html OUT]\n"
          "                      [--format jsonl|edn|etcd] "
          "[--max-memory SIZE] [--no-partition]\n"
          "                      [--trace T]\n"
          "       faultline check --bench [DATADIR] [--reps N] "
          "[--timeout S] [--max-memory SIZE]\n"
          "\n"
          "Checks that the history in FILE is linearizable. FILE is a "
          "faultline history\n"
          "(JSON Lines), Jepsen EDN op maps, or a Jepsen etcd log; the "
          "format is detected.\n"
          "\n"
          "  --model M     the sequential specification (default: guessed "
          "from FILE);\n"
          "                --model list prints the models, one a line:\n", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "                  %-9s %s\n", models[i]->name,
                models[i]->summary);
    fputs("  --init V      the initial value: an integer, nil, or a "
          "string\n"
          "  --timeout S   give up after S seconds: the answer is then "
          "unknown (default 600;\n"
          "                0 = never; with --bench: 30)\n"
          "  --html OUT    also write a page visualizing the history and "
          "the failing window\n"
          "  --trace T     with --html, and FILE from `faultline run "
          "--history`: T is that\n"
          "                run's --trace; the failing window's ops link to "
          "their invokes,\n"
          "                `faultline viz --trace T --at MS --select C` "
          "(T must hold an\n"
          "                invoke at each such op's time)\n"
          "  --format F    read FILE as jsonl, edn or etcd instead of "
          "detecting it\n"
          "  --max-memory SIZE  memory the search's tables may take, e.g. "
          "512M or 8G\n"
          "                (default: half the physical memory); past it "
          "the answer is\n"
          "                unknown. FILE itself may be at most a quarter "
          "of it.\n"
          "  --no-partition  check the history as a whole even where the "
          "model splits it\n"
          "                by key (P-compositionality off: much slower)\n"
          "  --threads N   partitions searched at once (default: one per "
          "processor, 2 to 8);\n"
          "                all stop at the first violation\n"
          "  --bench [DATADIR]  time the checker on every history of "
          "Porcupine's test data\n"
          "                (default DATADIR: " FL_BENCH_DATA "), "
          "with and without\n"
          "                partitioning, with peak memory, against "
          "Porcupine's figures\n"
          "  --reps N      --bench: runs per measurement, the median "
          "reported (default 3)\n"
          "\n"
          "Prints 'linearizable: yes', 'linearizable: NO' with the smallest "
          "failing window\n"
          "found, or 'linearizable: unknown (timeout)' / 'unknown (memory "
          "limit)'. Exit\n"
          "status: 0 yes, 1 no, 2 bad input or usage, 3 unknown. Bad input "
          "is reported on\n"
          "stderr as 'faultline: FILE:LINE: what was expected'.\n", out);
}

static int usage_error(const char *fmt, const char *arg)
{
    return fl_cli_usage_error("check", fmt, arg);
}

static int parse_timeout(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno || !isfinite(v) || v < 0)
        return -1;
    *out = v;
    return 0;
}

/* "512M", "8G", "2GiB", "65536": bytes, or 0 if malformed. */
static size_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v) || v <= 0)
        return 0;
    double mult = 1;
    switch (*end) {
    case 'k': case 'K': mult = 1024.0; end++; break;
    case 'm': case 'M': mult = 1024.0 * 1024; end++; break;
    case 'g': case 'G': mult = 1024.0 * 1024 * 1024; end++; break;
    case 't': case 'T': mult = 1024.0 * 1024 * 1024 * 1024; end++; break;
    default: break;
    }
    if (mult > 1 && (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0))
        end += strlen(end);
    if (*end != '\0' || v * mult >= 9e18 || v * mult < 1)
        return 0;
    return (size_t)(v * mult);
}

static const fl_cli_opt check_options[] = {
    { "model", 0, true },       { "init", 0, true },
    { "html", 0, true },        { "timeout", 0, true },
    { "trace", 0, true },
    { "max-memory", 0, true },  { "reps", 0, true },
    { "threads", 0, true },     { "format", 0, true },
    { "no-partition", 0, false }, { "bench", 0, false },
    { NULL, 0, false },
};

/* `--model list`: every model, one line each. */
static void print_models(FILE *out)
{
    size_t n;
    const fl_model *const *models = fl_models(&n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%-14s %s\n", models[i]->name, models[i]->summary);
}

/* --model NAME that names no model: the closest one, and all of them. */
static int unknown_model(const char *name)
{
    size_t n;
    const fl_model *const *models = fl_models(&n);
    const char *names[32];
    size_t k = 0;
    for (; k < n && k + 1 < sizeof names / sizeof names[0]; k++)
        names[k] = models[k]->name;
    names[k] = NULL;
    char known[512];
    fl_suggest_join(known, sizeof known, names);
    const char *sug = fl_suggest(name, names);
    if (sug)
        return fl_cli_usage_error("check", "--model %s: unknown model (did you mean "
                                  "\"%s\"?); known: %s", name, sug, known);
    return fl_cli_usage_error("check", "--model %s: unknown model; known: %s", name,
                              known);
}

static long parse_count(const char *v, long max)
{
    char *end;
    long n = strtol(v, &end, 10);
    return *v == '\0' || *end != '\0' || n < 1 || n > max ? -1 : n;
}

/* One option (its long name with dashes) and its value. */
static int check_option(void *ctx, const char *a, const char *v)
{
    check_opts *o = ctx;
    long n;
    if (strcmp(a, "--no-partition") == 0) {
        o->no_partition = true;
    } else if (strcmp(a, "--bench") == 0) {
        o->bench = true;
    } else if (strcmp(a, "--model") == 0) {
        o->model = v;
    } else if (strcmp(a, "--init") == 0) {
        o->init = v;
    } else if (strcmp(a, "--html") == 0) {
        o->html = v;
    } else if (strcmp(a, "--trace") == 0) {
        o->trace = v;
    } else if (strcmp(a, "--timeout") == 0) {
        if (parse_timeout(v, &o->timeout) != 0)
            return usage_error("--timeout: expected seconds >= 0, found "
                               "'%s'", v);
        o->timeout_set = true;
    } else if (strcmp(a, "--max-memory") == 0) {
        o->max_memory = parse_size(v);
        if (o->max_memory == 0)
            return usage_error("--max-memory: expected a size such as 512M "
                               "or 8G, found '%s'", v);
    } else if (strcmp(a, "--reps") == 0) {
        if ((n = parse_count(v, 64)) < 0)
            return usage_error("--reps: expected 1 to 64, found '%s'", v);
        o->reps = (int)n;
    } else if (strcmp(a, "--threads") == 0) {
        if ((n = parse_count(v, 8)) < 0)
            return usage_error("--threads: expected 1 to 8, found '%s'", v);
        o->threads = (unsigned)n;
    } else if (strcmp(a, "--format") == 0) {
        o->format = fl_hist_format_parse(v);
        if (o->format == FL_HFMT_AUTO)
            return usage_error("--format: expected jsonl, edn or etcd, "
                               "found '%s'", v);
    } else {
        return usage_error("unknown option %s", a);
    }
    return 0;
}

static int check_operand(void *ctx, const char *a)
{
    check_opts *o = ctx;
    if (o->nfiles >= FL_CHECK_MAX_FILES)
        return usage_error("too many FILEs (at most 4096): '%s'", a);
    o->files[o->nfiles++] = a;
    if (!o->file)
        o->file = a;
    return 0;
}

static int parse_args(int argc, char **argv, check_opts *o,
                      const char **files)
{
    memset(o, 0, sizeof *o);
    o->files = files;
    int rc = fl_cli_parse(&fl_cmd_check_entry, argc, argv, check_options,
                          check_option, check_operand, o);
    if (rc != 0)
        return rc;
    if (o->model && strcmp(o->model, "list") == 0) {
        print_models(stdout);
        return FL_CLI_DONE;
    }
    if (o->model && !fl_model_find(o->model))
        return unknown_model(o->model);
    if (o->bench && o->nfiles > 1)
        return usage_error("--bench takes one DATADIR, found another: '%s'",
                           o->files[1]);
    if (o->html && o->nfiles > 1)
        return usage_error("--html draws one history, found another FILE: "
                           "'%s'", o->files[1]);
    if (o->trace && !o->html)
        return usage_error("--trace %s: goes with --html OUT (the page it "
                           "links from)", o->trace);
    if (!o->file && !o->bench)
        return usage_error("%s", "expected a history FILE");
    return 0;
}

/* --init: nil, an integer, or a string ("" or '' quotes are stripped). */
static fl_lin_val parse_init(const char *s)
{
    if (strcmp(s, "nil") == 0 || strcmp(s, "null") == 0)
        return fl_lin_nil();
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s && *end == '\0' && errno == 0)
        return fl_lin_int(v);
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0])
        return (fl_lin_val){ .type = FL_LV_STR, .n = n - 2, .u.s = s + 1 };
    return (fl_lin_val){ .type = FL_LV_STR, .n = n, .u.s = s };
}

/* How the model and the initial value were chosen, for the report. */
typedef struct check_choice {
    const char *model;
    bool        guessed;       /* no --model */
    const char *init_why;      /* the format's initial value, if used */
} check_choice;

static void print_verdict(const fl_lin_report *r, const check_choice *c,
                          fl_hist_format fmt, const char *prefix)
{
    switch (r->result) {
    case FL_LIN_OK:
        printf("%slinearizable: yes\n", prefix);
        break;
    case FL_LIN_VIOLATION:
        printf("%slinearizable: NO\n", prefix);
        break;
    case FL_LIN_UNKNOWN:
        printf("%slinearizable: unknown (%s)\n", prefix,
               r->partitions_memory == 0 ? "timeout"
               : r->partitions_memory == r->partitions_unknown
                   ? "memory limit"
                   : "timeout, memory limit");
        printf("%s\n", r->summary);
        break;
    case FL_LIN_ERROR:
    case FL_LIN_UNAVAILABLE:
        return;
    }
    printf("model %s%s, %s history: %zu ops in %zu partition%s\n", c->model,
           c->guessed ? " (guessed from the history; --model to choose)"
                      : "",
           fl_hist_format_name(fmt), r->ops, r->partitions,
           r->partitions == 1 ? "" : "s");
    if (c->init_why)
        printf("initial value from the format: %s (--init to choose)\n",
               c->init_why);
    if (r->result == FL_LIN_VIOLATION)
        fl_lin_report_print(r, stdout);
}

/* --trace: the failing window's ops, found in the trace, which must be
 * the run's that wrote the history. `link` owns two arrays after. */
static int link_trace(const char *trace, const fl_lin_history *h,
                      const fl_lin_report *r, fl_lin_html_trace *link,
                      fl_error *err)
{
    size_t *ops = malloc((r->npending + 1) * sizeof *ops);
    int *nodes = malloc((r->npending + 1) * sizeof *nodes);
    *link = (fl_lin_html_trace){ trace, ops, nodes, 0 };
    if (!ops || !nodes)
        return fl_error_set(err, "%s: out of memory", trace);
    link->n = fl_trace_link_window(r, ops);
    return fl_trace_link_check(trace, h, ops, link->n, nodes, err);
}

/* Reads, checks, prints; returns the exit status. With several files,
 * the verdict line starts with "FILE: ". */
static int run_check(const check_opts *o, const char *file)
{
    char prefix[512] = "";
    if (o->nfiles > 1)
        snprintf(prefix, sizeof prefix, "%s: ", file);
    fl_lin_history h;
    fl_lin_report r;
    fl_error err = { { 0 } };
    fl_hist_format fmt = FL_HFMT_AUTO;
    fl_lin_report_init(&r);
    fl_lin_html_trace link = { NULL, NULL, NULL, 0 };
    int status = FL_EXIT_INPUT;
    size_t max_memory = o->max_memory ? o->max_memory
                                      : fl_lin_default_max_memory();
    if (fl_hist_read_file_max(file, o->format, max_memory / 4, &h, &fmt,
                              &err) != 0) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        goto out;
    }
    const char *name = o->model ? o->model : fl_hist_guess_model(&h);
    check_choice choice = { .model = name, .guessed = !o->model };
    if (!o->init && h.init_hint.type != FL_LV_NONE &&
        (strcmp(name, "kv") == 0 || strcmp(name, "register") == 0 ||
         strcmp(name, "cas-register") == 0))
        choice.init_why = h.init_why;
    fl_lin_val init = o->init ? parse_init(o->init) : fl_lin_nil();
    fl_lin_options lo = { .timeout_s = o->timeout_set ? o->timeout
                                                      : FL_CHECK_TIMEOUT,
                          .max_memory = max_memory,
                          .no_partition = o->no_partition,
                          .threads = o->threads };
    fl_lin_result res = fl_lin_check_opts(&h, fl_model_find(name),
                                          o->init ? &init : NULL, &lo, &r);
    if (res == FL_LIN_ERROR) {
        fprintf(stderr, "faultline: %s\n", r.err.msg);
        goto out;
    }
    print_verdict(&r, &choice, fmt, prefix);
    fflush(stdout);
    if (o->trace && link_trace(o->trace, &h, &r, &link, &err) != 0) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        goto out;
    }
    if (o->html && fl_lin_write_html_trace(&h, &r, o->trace ? &link : NULL, o->html,
                                           &err) != 0) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        goto out;
    }
    status = (int)res;
out:
    free((void *)link.ops);
    free((void *)link.nodes);
    fl_lin_report_free(&r);
    fl_lin_history_free(&h);
    return status;
}

/* The worse of two exit statuses: bad input, then a violation, then
 * unknown, then linearizable. */
static int worse(int a, int b)
{
    static const int rank[4] = { 0, 2, 3, 1 };     /* by status 0..3 */
    int ra = a >= 0 && a <= 3 ? rank[a] : 3, rb = b >= 0 && b <= 3 ? rank[b] : 3;
    return ra >= rb ? a : b;
}

int fl_cmd_check(int argc, char **argv)
{
    check_opts o;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files) {
        fputs("faultline: check: out of memory\n", stderr);
        return FL_EXIT_INPUT;
    }
    int rc = parse_args(argc, argv, &o, files);
    if (rc != 0) {
        free(files);
        return fl_cli_status(rc);
    }
    if (o.bench) {
        fl_check_bench_opts b = { .reps = o.reps, .timeout_s = o.timeout,
                                  .max_memory = o.max_memory };
        rc = fl_check_bench(o.file ? o.file : FL_BENCH_DATA, &b, stdout);
    } else {
        rc = FL_EXIT_OK;
        for (int i = 0; i < o.nfiles; i++) {
            rc = worse(rc, run_check(&o, o.files[i]));
            fflush(stdout);
        }
    }
    free(files);
    return rc;
}

const fl_command fl_cmd_check_entry = {
    "check", "check a history file for linearizability", NULL, fl_cmd_check,
    fl_cmd_check_usage, true,
};
