/* alg_view.c — an algorithm's words on screen (see alg_view.h). */
#include "viz/alg_view.h"

#include <stdio.h>
#include <string.h>

#include "sim/run/registry.h"
#include "viz/layout.h"

static const fl_viz_table raft_words = {
    .algorithm = "raft", .term_word = "term", .leader_word = "leader", .crown = true,
    .logs = true, .linearizable = true,
};

/* The one place the visualizer finds an algorithm's table. */
const fl_viz_table *viz_alg_table(const viz_model *m)
{
    const fl_viz_table *t = fl_registry_viz_table(viz_model_algorithm(m));
    return t ? t : &raft_words;
}

void viz_alg_term(const viz_model *m, const fl_viz_table *t, int64_t term, char *buf,
                  size_t len)
{
    if (!t->term_word || term < 0) {
        snprintf(buf, len, "%s", "");
    } else if (t->ballot_base > 0) {
        char who[16];
        viz_node_name(m, (fl_node_id)(term % t->ballot_base), who, sizeof who);
        snprintf(buf, len, "(%lld, %s)", (long long)(term / t->ballot_base), who);
    } else {
        snprintf(buf, len, "T%lld", (long long)term);
    }
}

bool viz_alg_row_for(const viz_model *m, const fl_viz_row *row, fl_node_id id)
{
    return !row->role || strcmp(row->role, viz_model_role(m, id)) == 0;
}

bool viz_alg_row(const viz_model *m, const fl_viz_table *t, const fl_viz_row *row,
                 const viz_view *v, char *buf, size_t len, bool *alarm)
{
    int64_t x;
    *alarm = false;
    if (strcmp(row->scalar, "term") == 0)
        x = v->term;
    else if (!viz_view_scalar(m, v, row->scalar, &x))
        return false;
    switch (row->fmt) {
    case FL_VIZ_BALLOT:
        if (x < 0)
            snprintf(buf, len, "none");
        else
            viz_alg_term(m, t, x, buf, len);
        break;
    case FL_VIZ_NODE:
        if (x < 0 || (size_t)x >= viz_model_node_count(m))
            snprintf(buf, len, "nobody");
        else
            viz_node_name(m, (fl_node_id)x, buf, len);
        break;
    case FL_VIZ_MS:
        if (x < 0)
            snprintf(buf, len, "none");
        else
            snprintf(buf, len, "%lld ms", (long long)x);
        break;
    case FL_VIZ_ALARM:
        *alarm = x > 0;
        /* fall through */
    case FL_VIZ_INT:
        if (x < 0)
            snprintf(buf, len, "none");
        else
            snprintf(buf, len, "%lld", (long long)x);
        break;
    }
    return true;
}
