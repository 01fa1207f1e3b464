/* trace_compact.h — the compact trace format: the trace's events as small
 * binary records in one zstd stream (Debian's libzstd). Owns the encoder
 * (a run writing a trace) and the decoder (a reader getting the records
 * back, exactly as the run had them for its JSON line).
 *
 * The file is one zstd frame with a content checksum, so a damaged or
 * truncated file is detected, never misread. Decompressed it is:
 *
 *   "FLTRACE" 0x00, version byte (FL_TRACE_COMPACT_VERSION)
 *   varint nnodes, varint header length, the JSON header line (with '\n')
 *   records, each: a tag byte (event type | peer, id, text present), then
 *   varints (zigzag for signed, time and id as deltas from the previous
 *   record / the previous record of that type) for the fields the JSON
 *   line shows; strings (message kinds, reasons, view labels and scalar
 *   names) are sent once and then named by number; a view record says
 *   what changed since that node's last view (a bit mask, then the
 *   changed fields as differences).
 *
 * A record keeps what the JSON line says — describe's kind, ok, term, the
 * client request's fields, the view — not the message bytes, so a trace can
 * be read without the algorithm (a plug-in's trace too). */
#ifndef FL_TRACE_COMPACT_H
#define FL_TRACE_COMPACT_H

#include <stddef.h>
#include <stdio.h>

#include "sim/error.h"
#include "sim/trace.h"

#define FL_TRACE_COMPACT_VERSION 1

/* The first four bytes of every zstd frame (little-endian 0xFD2FB528). */
#define FL_TRACE_ZSTD_MAGIC "\x28\xb5\x2f\xfd"

typedef struct fl_trace_enc fl_trace_enc;

/* Starts a compact trace on `out` (borrowed) with the JSON header line
 * `header` (len bytes, ending in '\n'). NULL if out of memory. */
fl_trace_enc *fl_trace_enc_new(FILE *out, const char *header, size_t len, size_t nnodes);
/* Appends one event; `info` is describe's answer for a message event. -1
 * on a write error. */
int  fl_trace_enc_put(fl_trace_enc *e, const fl_trace_rec *r, const fl_msg_info *info);
/* Writes what is buffered and ends the zstd frame. -1 on a write error. */
int  fl_trace_enc_finish(fl_trace_enc *e);
void fl_trace_enc_free(fl_trace_enc *e);

typedef struct fl_trace_dec fl_trace_dec;

/* Reads a compact trace from `in` (borrowed; positioned at its start),
 * `path` names it in errors. NULL with "PATH: why" in err. */
fl_trace_dec *fl_trace_dec_new(FILE *in, const char *path, fl_error *err);
/* The header line (with its '\n') and the number of nodes it names. */
const char *fl_trace_dec_header(const fl_trace_dec *d, size_t *len);
size_t fl_trace_dec_nnodes(const fl_trace_dec *d);
/* 1: the next event in *r and *info (pointers valid until the next call);
 * 0: the end of the trace; -1: damaged or cut short, "PATH: why" in err. */
int  fl_trace_dec_next(fl_trace_dec *d, fl_trace_rec *r, fl_msg_info *info, fl_error *err);
void fl_trace_dec_free(fl_trace_dec *d);

#endif
