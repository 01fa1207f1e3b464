/* hist_read.h — reading histories for the linearizability checker:
 * faultline's own JSON Lines, Jepsen etcd logs (as shipped with Porcupine)
 * and Jepsen EDN op maps, detected automatically. Every error names the
 * file and line: "FILE:LINE: what was expected".
 *
 * Semantics (Jepsen's): an invoke opens an op for its process; the next
 * :ok / :fail / :info of that process completes it. :fail ops are dropped
 * (they did not happen) — except in etcd logs, where `:fail :cas` is a CAS
 * that ran and returned false, as Porcupine reads it. A CAS that returned
 * false is otherwise `:ok` with `:result false`. :info ops, and ops never
 * completed, may take effect any time after their call or never. Nemesis
 * ops (`:process :nemesis`) are skipped. A `:fail` read (e.g. Jepsen's
 * `:fail :read :timed-out`) and an `:info` read constrain nothing.
 *
 * Values: nil, integers, strings, [a b] for CAS, and vectors / lists / sets
 * of integers for set reads. JSON Lines numbers must be integers within
 * +-2^53 (cJSON reads numbers as doubles); EDN integers may use all 64
 * bits. Display times are `time_ns` / `:time` when every line has one,
 * else line numbers; the checker orders ops by their position in the file,
 * never by time, so equal or missing times cannot reorder anything. */
#ifndef FL_CHECK_HIST_READ_H
#define FL_CHECK_HIST_READ_H

/* The first line of faultline's own EDN histories (sim/history.c). A
 * file that starts with it is read with faultline's semantics: a read of
 * nil saw nil, and `:fail :cas ... :error :mismatch` is a CAS that ran and
 * returned false. Any other EDN is read as Knossos reads it. */
#define FL_HIST_EDN_MARK ";; faultline history:"


#include <stddef.h>

#include "sim/check/linop.h"
#include "sim/error.h"

typedef enum fl_hist_format {
    FL_HFMT_AUTO,
    FL_HFMT_JSONL,   /* {"process":0,"type":"invoke","f":"read",...} per line */
    FL_HFMT_ETCD,    /* INFO  jepsen.util - 3 :invoke :cas [1 2] */
    FL_HFMT_EDN      /* {:process 0, :type :invoke, :f :cas, :value [1 2]} */
} fl_hist_format;

const char *fl_hist_format_name(fl_hist_format f);   /* "jsonl", ... */
/* FL_HFMT_AUTO for an unknown name. */
fl_hist_format fl_hist_format_parse(const char *name);

/* Reads `path` into `out` (initialised here; free it with
 * fl_lin_history_free even on error). `*found` (may be NULL) receives the
 * format read. Returns 0, or -1 with "FILE:LINE: ..." in err. */
int fl_hist_read_file(const char *path, fl_hist_format fmt,
                      fl_lin_history *out, fl_hist_format *found,
                      fl_error *err);

/* The same, refusing with a clear message ("FILE: too large to check:
 * ...") a file of more than `max_bytes` bytes (0: no limit) rather than
 * running out of memory reading it. A history takes a few times its size
 * in memory once read; fl_hist_read_file allows a quarter of the
 * checker's default memory limit (fl_lin_default_max_memory). */
int fl_hist_read_file_max(const char *path, fl_hist_format fmt,
                          size_t max_bytes, fl_lin_history *out,
                          fl_hist_format *found, fl_error *err);

/* The same from memory; `name` is used in messages. */
int fl_hist_read_text(const char *name, const char *text, size_t len,
                      fl_hist_format fmt, fl_lin_history *out,
                      fl_hist_format *found, fl_error *err);

/* The model a history most likely wants: "kv" for strings or appends,
 * "lock" for acquire/release, "set" for set-valued reads, "counter" for
 * adds, else "register". */
const char *fl_hist_guess_model(const fl_lin_history *h);

#endif
