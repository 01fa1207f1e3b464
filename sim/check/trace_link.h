/* trace_link.h — linking a checked history back to the trace of the run
 * that wrote it (`faultline check H --html OUT --trace T`): which ops the
 * page links (the failing window), and whether the trace really is that
 * run's (a faultline trace holding an invoke at each linked op's time).
 * Reads the trace as text, line by line; knows nothing of the engine. */
#ifndef FL_CHECK_TRACE_LINK_H
#define FL_CHECK_TRACE_LINK_H

#include <stddef.h>

#include "sim/check/lin.h"
#include "sim/error.h"

/* The ops of a violation's failing window: the ops open at the failure
 * and the op that had to take effect, as history indices in `out` (room
 * for r->npending + 1). Returns how many (0 unless r is a violation). */
size_t fl_trace_link_window(const fl_lin_report *r, size_t *out);

/* Checks that `trace` is a faultline trace with an invoke at the call
 * time of each of h's ops `ops[0..n)`, and that h carries times in ns
 * (faultline's own history); `nodes[i]` (room for n) receives the client
 * node of that invoke (the first at that time). Returns 0, or -1 with a
 * message naming the file in err. */
int fl_trace_link_check(const char *trace, const fl_lin_history *h,
                        const size_t *ops, size_t n, int *nodes, fl_error *err);

#endif
