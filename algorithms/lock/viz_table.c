/* viz_table.c — the lock service in the visualizer's words: the holder,
 * its fencing token and lease (a bar that shrinks), the storage's highest
 * token, and stale writes it rejected in red. */
#include "algorithms/viz_table.h"

static const fl_viz_row rows[] = {
    { "server", "lock holder", "holder", FL_VIZ_NODE },
    { "server", "token", "token", FL_VIZ_INT },
    { "server", "lease ends", "expiry_ms", FL_VIZ_MS },
    { "storage", "highest token", "max_token", FL_VIZ_INT },
    { "storage", "last writer", "last_writer", FL_VIZ_NODE },
    { "storage", "writes applied", "applied", FL_VIZ_INT },
    { "storage", "stale writes rejected", "rejected", FL_VIZ_ALARM },
    { "client", "token", "token", FL_VIZ_INT },
    { "client", "lease ends", "lease_end_ms", FL_VIZ_MS },
    { "client", "grants", "grants", FL_VIZ_INT },
    { "client", "writes", "writes", FL_VIZ_INT },
    { "client", "leases lost", "lost", FL_VIZ_ALARM },
    { NULL, NULL, NULL, FL_VIZ_INT },
};

const fl_viz_table fl_lock_viz_table = {
    .algorithm = "lock", .term_word = "term", .leader_word = "leader", .crown = true,
    .logs = true, .linearizable = true, .bar_scalar = "lease_end_ms", .bar_ms = 500,
    .rows = rows,
};
