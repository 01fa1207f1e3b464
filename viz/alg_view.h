/* alg_view.h — the algorithm's own words on screen: the one lookup of an
 * algorithm's visualizer table (algorithms/viz_table.h) through the
 * registry, and the formatting of its terms, ballots and panel rows. With
 * no table (Raft, kv, a plug-in) the words are Raft's. */
#ifndef FL_VIZ_ALG_VIEW_H
#define FL_VIZ_ALG_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "algorithms/viz_table.h"
#include "viz/model.h"

/* Never NULL. */
const fl_viz_table *viz_alg_table(const viz_model *m);
/* "T3", "(2, S0)" for a ballot, "" when the table shows no term or t < 0. */
void viz_alg_term(const viz_model *m, const fl_viz_table *t, int64_t term, char *buf,
                  size_t len);
/* One panel row's value for view v; false if the view lacks it. `alarm`
 * is set when the value is bad (an FL_VIZ_ALARM count above 0). */
bool viz_alg_row(const viz_model *m, const fl_viz_table *t, const fl_viz_row *row,
                 const viz_view *v, char *buf, size_t len, bool *alarm);
/* Whether row applies to node `id`'s role. */
bool viz_alg_row_for(const viz_model *m, const fl_viz_row *row, fl_node_id id);

#endif
