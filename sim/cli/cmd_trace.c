/* cmd_trace.c — `faultline trace export --jsonl [-o OUT] FILE`: a trace
 * file in either format (sim/traceio.h) written out as JSON Lines — for a
 * compact trace, byte for byte the file the same run writes with
 * `--trace x.jsonl`. The output appears whole or not at all (outfile.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/util/outfile.h"
#include "sim/traceio.h"

typedef struct trace_opts {
    const char *action, *in, *out;
    bool        jsonl;
} trace_opts;

static const fl_cli_opt trace_options[] = {
    { "jsonl", 0, false }, { "output", 'o', true }, { NULL, 0, false },
};

static int trace_option(void *ctx, const char *a, const char *v)
{
    trace_opts *o = ctx;
    if (strcmp(a, "--jsonl") == 0)
        o->jsonl = true;
    else if (strcmp(a, "--output") == 0)
        o->out = v;
    else
        return fl_cli_usage_error("trace", "unknown option %s", a);
    return 0;
}

static int trace_operand(void *ctx, const char *a)
{
    trace_opts *o = ctx;
    if (!o->action)
        o->action = a;
    else if (!o->in)
        o->in = a;
    else
        return fl_cli_usage_error("trace", "unexpected argument \"%s\"", a);
    return 0;
}

/* 0, FL_CLI_DONE (--help or --version printed) or an exit status. */
static int parse_args(int argc, char **argv, trace_opts *o)
{
    memset(o, 0, sizeof *o);
    int rc = fl_cli_parse(&fl_cmd_trace_entry, argc, argv, trace_options, trace_option,
                          trace_operand, o);
    if (rc != 0)
        return rc;
    if (!o->action)
        return fl_cli_usage_error("trace", "expected an action: export");
    if (strcmp(o->action, "export") != 0)
        return fl_cli_usage_error("trace", "unknown action \"%s\" (expected export)", o->action);
    if (!o->jsonl)
        return fl_cli_usage_error("trace", "export: name the output format: --jsonl");
    if (!o->in)
        return fl_cli_usage_error("trace", "export: expected a trace file");
    return 0;
}

/* A faultline trace's header line: {"format":"faultline-trace",...}. */
static bool is_header(const char *line, size_t len)
{
    cJSON *j = cJSON_ParseWithLength(line, len);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, "format");
    bool ok = cJSON_IsString(f) && strcmp(f->valuestring, "faultline-trace") == 0;
    cJSON_Delete(j);
    return ok;
}

/* Copies every line, the header checked; 0, or 2 after a message. */
static int export_lines(fl_trace_reader *r, const char *path, FILE *out)
{
    fl_error err = { { 0 } };
    const char *line;
    size_t len;
    int rc = fl_trace_reader_next(r, &line, &len, &err);
    if (rc == 0 || (rc == 1 && !is_header(line, len))) {
        fprintf(stderr, "faultline: %s:1: expected a trace header ({\"format\":"
                "\"faultline-trace\",...}), as written by faultline run --trace\n", path);
        return 2;
    }
    for (; rc == 1; rc = fl_trace_reader_next(r, &line, &len, &err))
        if (fwrite(line, 1, len, out) != len)
            break;
    if (rc < 0) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        return 2;
    }
    return 0;
}

int fl_cmd_trace(int argc, char **argv)
{
    trace_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return fl_cli_status(rc);
    fl_error err = { { 0 } };
    fl_trace_reader *r = fl_trace_reader_open(o.in, &err);
    if (!r) {
        fprintf(stderr, "faultline: %s\n", err.msg);
        return 2;
    }
    fl_outfile out;
    if (fl_outfile_open(&out, o.out ? o.out : "-") < 0) {
        fl_trace_reader_close(r);
        return 2;
    }
    rc = export_lines(r, o.in, out.fp);
    if (fl_outfile_close(&out, rc == 0) != 0 && rc == 0)
        rc = 2;
    fl_trace_reader_close(r);
    return rc;
}

/* ---- The command-table entry: `faultline help trace` and `faultline trace
 * --help` print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline trace export --jsonl [-o OUT] FILE\n"
    "\n"
    "Writes the trace FILE as JSON Lines to OUT (default: standard output).\n"
    "FILE is either format `faultline run --trace` writes: JSON Lines, or the\n"
    "compact format (zstd-compressed binary records, written for a --trace\n"
    "file ending in .fltrace or with --trace-format compact), told apart by\n"
    "its first bytes. The export of a compact trace is byte for byte the JSON\n"
    "Lines trace the same run writes. `faultline diff` and `faultline viz\n"
    "--trace` read both formats themselves.\n"
    "\n"
    "options:\n"
    "  --jsonl           the output format (the one there is)\n"
    "  -o, --output OUT  write here instead of standard output; OUT appears\n"
    "                    whole or not at all\n"
    "\n"
    "exit status: 0 written, 2 bad usage, or FILE unreadable, damaged or cut\n"
    "short (the message names the file and what is wrong)\n";

const fl_command fl_cmd_trace_entry = {
    "trace", "convert a trace file (export --jsonl)", usage_text, fl_cmd_trace, NULL, true,
};
