/* traceio.h — reading a trace file, whatever its format: every reader of
 * traces (faultline diff, trace export, the visualizer's replay) opens it
 * here and gets JSON Lines back, the header line first. A JSON Lines file
 * is passed through as it is; a compact file (sim/trace_compact.h, told
 * apart by its first bytes, not its name) is decoded, each event written as
 * the JSON line the run would have written. Owns the open file. */
#ifndef FL_TRACEIO_H
#define FL_TRACEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/error.h"

typedef struct fl_trace_reader fl_trace_reader;

/* NULL with "PATH: why" in err ("cannot open: No such file or directory",
 * "corrupt compact trace: ..."). */
fl_trace_reader *fl_trace_reader_open(const char *path, fl_error *err);
/* 1: the next line in *line, NUL-terminated, *len bytes including its
 * '\n' if it has one (the last line of a JSON Lines file cut short has
 * none), valid until the next call; 0: the end; -1: "PATH: why" in err (a
 * read error, a damaged or cut-short compact trace). */
int  fl_trace_reader_next(fl_trace_reader *r, const char **line, size_t *len, fl_error *err);
/* True if the file is in the compact format. */
bool fl_trace_reader_compact(const fl_trace_reader *r);
void fl_trace_reader_close(fl_trace_reader *r);

#endif
