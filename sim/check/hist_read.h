/* hist_read.h — reading histories for the linearizability checker:
 * faultline's own JSON Lines, Jepsen etcd logs (as shipped with Porcupine),
 * Jepsen/Knossos EDN op maps and Porcupine's kv format, detected
 * automatically, each with its own tool's semantics. Every error names the
 * file and line: "FILE:LINE: what was expected". (The readers are
 * hist_jsonl.c, hist_edn.c and hist_etcd.c; hist_read_impl.h joins them.)
 *
 * Common to all (Jepsen's): an invoke opens an op for its process; the
 * next :ok / :fail / :info of that process completes it. :fail ops did not
 * happen and are dropped; :info ops, and ops never completed, may take
 * effect any time after their call or never. Nemesis ops (`:process
 * :nemesis`) are skipped. A `:fail` or `:info` read constrains nothing.
 *
 * Per format:
 *  - JSON Lines: null is the value nil; a CAS that returned false is "ok"
 *    with "result": false.
 *  - EDN (Knossos): a read of nil is a read of an unknown value, which
 *    matches any state (Knossos' register and cas-register); a CAS is :ok
 *    when it swapped and :fail when it did not (dropped); Jepsen's
 *    independent keys `:value [k v]` (CAS `[k [old new]]`) are keys, as is
 *    `:key`; a txn `:value [[:read k v] [:write k v] ...]` is Knossos'
 *    multi-register, its nil reads unknown.
 *  - faultline's own EDN, whose first line is FL_HIST_EDN_MARK: as EDN,
 *    except that a read of nil saw nil, and `:fail :cas ... :error
 *    :mismatch` is a CAS that ran and returned false.
 *  - Porcupine's kv format (EDN maps with :key and :f :get/:put/:append):
 *    every key starts at "" (fl_lin_history.init_hint), model kv.
 *  - etcd logs: nil is the value nil; `:fail :cas` is a CAS that ran and
 *    returned false, as Porcupine reads it; `:timed-out` is unknown.
 *
 * Values: nil, integers, strings, [a b] for CAS, vectors / lists / sets of
 * integers for set reads. Integers are exact to 64 bits in every format
 * (JSON numbers are read from their text, never through a double); a
 * larger integer, a fraction or an exponent is refused with the line.
 * Display times are `time_ns` / `:time` when every line has one, else
 * line numbers; the checker orders ops by their position in the file,
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

/* The model a history most likely wants: what its format implies
 * (Porcupine's kv format: "kv"), else "kv" for strings or appends,
 * "multi-register" for txns, "lock" for acquire/release with fencing
 * tokens ("mutex" without any), "set" for
 * set-valued reads, "counter" for adds, else "register". */
const char *fl_hist_guess_model(const fl_lin_history *h);

#endif
