/* viz_table.c — the distributed sort in the visualizer's words: a
 * coordinator (no crown, no term), its phase and buckets done; each
 * worker's bucket and key range; no log, no linearizability check. */
#include "algorithms/viz_table.h"

static const fl_viz_row rows[] = {
    { "coordinator", "keys", "n", FL_VIZ_INT },
    { "coordinator", "buckets done", "buckets_done", FL_VIZ_INT },
    { "coordinator", "buckets reassigned", "reassigned", FL_VIZ_ALARM },
    { "worker", "slices received", "slices", FL_VIZ_INT },
    { "worker", "keys in its bucket", "bucket_keys", FL_VIZ_INT },
    { "worker", "range from", "range_lo", FL_VIZ_INT },
    { "worker", "range to", "range_hi", FL_VIZ_INT },
    { "worker", "bytes moved", "bytes", FL_VIZ_INT },
    { NULL, NULL, NULL, FL_VIZ_INT },
};

const fl_viz_table fl_sort_viz_table = {
    .algorithm = "sort", .term_word = NULL, .leader_word = "coordinator", .crown = false,
    .logs = false, .linearizable = false, .rows = rows,
};
