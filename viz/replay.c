/* replay.c — reads a trace file line by line into a model: the header
 * names the nodes and their roles, every later line is one event. The file
 * may be JSON Lines or compact; sim/traceio.h gives both as lines. A last
 * line cut short (a run killed while writing JSON Lines) is reported and
 * skipped; a damaged or cut-short compact trace is an error. */
#include "viz/replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/traceio.h"
#include "viz/parse.h"

static viz_model *model_from_header(const viz_trace_header *h)
{
    return viz_model_new(h->nnodes, (const char *const *)h->roles, h->algorithm,
                         h->scenario, h->seed);
}

static int read_events(fl_trace_reader *r, const char *path, viz_model *m, fl_error *err)
{
    const char *text;
    char msg[256];
    size_t len;
    long lineno = 1;
    int rc;
    while ((rc = fl_trace_reader_next(r, &text, &len, err)) == 1) {
        lineno++;
        bool complete = len > 0 && text[len - 1] == '\n';
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        if (viz_parse_event(m, text, len, msg, sizeof msg) == 0)
            continue;
        if (!complete && viz_model_event_count(m) > 0) {
            fprintf(stderr, "faultline: %s:%ld: the last line is cut short; ignored\n",
                    path, lineno);
            return 0;
        }
        return fl_error_set(err, "%s:%ld: %s", path, lineno, msg);
    }
    return rc < 0 ? -1 : 0;
}

static viz_model *load(fl_trace_reader *r, const char *path, fl_error *err)
{
    const char *line;
    char msg[256];
    size_t len;
    viz_trace_header h;
    int rc = fl_trace_reader_next(r, &line, &len, err);
    if (rc < 0)
        return NULL;
    if (rc == 0 || len == 0) {
        fl_error_set(err, "%s: empty file, not a faultline trace", path);
        return NULL;
    }
    if (viz_parse_header(line, len, &h, msg, sizeof msg) < 0) {
        fl_error_set(err, "%s:1: %s", path, msg);
        return NULL;
    }
    viz_model *m = model_from_header(&h);
    viz_header_free(&h);
    if (!m) {
        fl_error_set(err, "%s: out of memory", path);
        return NULL;
    }
    if (read_events(r, path, m, err) < 0) {
        viz_model_free(m);
        return NULL;
    }
    if (viz_model_event_count(m) == 0) {
        fl_error_set(err, "%s: the trace has a header but no events", path);
        viz_model_free(m);
        return NULL;
    }
    return m;
}

viz_model *viz_replay_load(const char *path, fl_error *err)
{
    fl_trace_reader *r = fl_trace_reader_open(path, err);
    if (!r)
        return NULL;
    viz_model *m = load(r, path, err);
    fl_trace_reader_close(r);
    return m;
}
