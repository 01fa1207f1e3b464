/* unnemesis.h — a nemesis replaced by the explicit faults it applied, so
 * that `shrink` can remove them one by one: run the scenario once (in a
 * child, like every shrink run), read what its nemeses did from the
 * engine (fl_engine_nemesis_log), and write a copy of the scenario tree
 * with those crashes, restarts, pauses, resumes, partitions and heals at
 * their exact times and no "nemesis" entry. The caller checks that the
 * copy still fails the same way (other faults that pick a "random" node
 * draw from the same fault stream as the nemeses did, so they may pick
 * differently). */
#ifndef FL_UNNEMESIS_H
#define FL_UNNEMESIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim/engine.h"
#include "sim/batch/outcome.h"

#define FL_UNNEMESIS_MAX 512           /* actions carried back from a child */

typedef struct fl_unnemesis {
    uint32_t magic;
    int      status;                   /* 0 ok; -1 could not run (msg) */
    char     msg[256];
    size_t   n;                        /* actions, at most FL_UNNEMESIS_MAX */
    bool     truncated;                /* the nemeses did more than that */
    fl_nemesis_action a[FL_UNNEMESIS_MAX];
} fl_unnemesis;

#define FL_UNNEMESIS_MAGIC 0x464c4e45u  /* "FLNE" */

/* Whether the tree's "faults" hold a nemesis. */
bool fl_unnemesis_has(const cJSON *root);

/* Runs `s` (not yet bound; `impl` NULL for the built-in algorithm) to its
 * end with `spec`'s seed and duration and fills `out` with what its
 * nemeses did. For a child's work function. */
void fl_unnemesis_run(fl_scenario *s, const char *impl, const fl_run_spec *spec,
                      fl_unnemesis *out);

/* A copy of `root` whose nemeses are replaced by the explicit faults of
 * `u`, every fault in time order; NULL (with why) if that cannot be
 * written: out of memory, the log was cut short, a partition's minority
 * too large to name. *added gets the number of explicit faults. */
cJSON *fl_unnemesis_tree(const cJSON *root, const fl_unnemesis *u, size_t *added,
                         char *why, size_t len);

#endif
