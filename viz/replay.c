/* replay.c — reads a trace file line by line into a model: the header
 * names the nodes and their roles, every later line is one event. A last
 * line cut short (a run killed while writing) is reported and skipped. */
#include "viz/replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/parse.h"

static viz_model *model_from_header(const viz_trace_header *h)
{
    return viz_model_new(h->nnodes, (const char *const *)h->roles, h->algorithm,
                         h->scenario, h->seed);
}

static int read_events(FILE *fp, const char *path, viz_model *m, fl_error *err)
{
    char *line = NULL, msg[256];
    size_t cap = 0;
    ssize_t len;
    long lineno = 1;
    int rc = 0;
    while ((len = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        bool complete = len > 0 && line[len - 1] == '\n';
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        if (viz_parse_event(m, line, (size_t)len, msg, sizeof msg) == 0)
            continue;
        if (!complete && viz_model_event_count(m) > 0) {
            fprintf(stderr, "faultline: %s:%ld: the last line is cut short; ignored\n",
                    path, lineno);
            break;
        }
        rc = fl_error_set(err, "%s:%ld: %s", path, lineno, msg);
        break;
    }
    free(line);
    if (rc == 0 && ferror(fp))
        rc = fl_error_set(err, "%s: read error: %s", path, strerror(errno));
    return rc;
}

viz_model *viz_replay_load(const char *path, fl_error *err)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fl_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *line = NULL, msg[256];
    size_t cap = 0;
    ssize_t len = getline(&line, &cap, fp);
    viz_model *m = NULL;
    viz_trace_header h;
    if (len < 0 && ferror(fp)) {
        fl_error_set(err, "%s: cannot read: %s", path, strerror(errno));
    } else if (len <= 0) {
        fl_error_set(err, "%s: empty file, not a faultline trace", path);
    } else if (viz_parse_header(line, (size_t)len, &h, msg, sizeof msg) < 0) {
        fl_error_set(err, "%s:1: %s", path, msg);
    } else {
        m = model_from_header(&h);
        viz_header_free(&h);
        if (!m)
            fl_error_set(err, "%s: out of memory", path);
        else if (read_events(fp, path, m, err) < 0) {
            viz_model_free(m);
            m = NULL;
        } else if (viz_model_event_count(m) == 0) {
            fl_error_set(err, "%s: the trace has a header but no events", path);
            viz_model_free(m);
            m = NULL;
        }
    }
    free(line);
    fclose(fp);
    return m;
}
