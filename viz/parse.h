/* parse.h — turns trace lines (JSON Lines, docs/trace.schema.json) into
 * model events. Used for trace files and, in a live run, for the trace the
 * engine writes as it steps, so both sources go through one reader. */
#ifndef FL_VIZ_PARSE_H
#define FL_VIZ_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "viz/model.h"

typedef struct viz_trace_header {
    char    *scenario, *algorithm;
    uint64_t seed;
    size_t   nnodes;
    char   **roles;
} viz_trace_header;

/* 0, or -1 with a message in `err`. */
int  viz_parse_header(const char *line, size_t len, viz_trace_header *h,
                      char *err, size_t errlen);
void viz_header_free(viz_trace_header *h);

/* Parses one event line and adds it to the model. */
int  viz_parse_event(viz_model *m, const char *line, size_t len,
                     char *err, size_t errlen);

#endif
