/* live.h — a simulation run inside the visualizer. It sets the run up the
 * way `faultline run` does (scenario, algorithm or plug-in, invariants),
 * steps the engine ahead of what is on screen, and feeds the model from
 * the trace the engine writes plus each node's log entries (through
 * inspect_entry). It never changes what the run does: the trace hash is
 * the headless run's. Faults added by hand go into a copy of the scenario
 * and the run restarts from time 0 with them. No SDL in here. */
#ifndef FL_VIZ_LIVE_H
#define FL_VIZ_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim/run/invcheck.h"
#include "sim/engine.h"
#include "sim/error.h"
#include "viz/model.h"

typedef struct viz_live_opts {
    const char *scenario;          /* path */
    uint64_t    seed;
    bool        has_seed;
    const char *impl;              /* plug-in .so, or NULL */
} viz_live_opts;

typedef struct viz_live viz_live;

/* `added` (borrowed, may be NULL): fault objects appended to the
 * scenario's "faults", in the scenario file's syntax. NULL on bad input
 * with err->msg set (exit status 2). */
viz_live *viz_live_open(const viz_live_opts *o, const cJSON *added, fl_error *err);
void      viz_live_free(viz_live *l);

/* Steps until the engine has passed simulated time `until` (or the run
 * ended). -1 if the model could not take the trace (err says why). */
int  viz_live_advance(viz_live *l, fl_time until, fl_error *err);
bool viz_live_done(const viz_live *l);
fl_time viz_live_now(const viz_live *l);

viz_model *viz_live_model(const viz_live *l);
const fl_engine *viz_live_engine(const viz_live *l);
uint64_t viz_live_seed(const viz_live *l);
uint64_t viz_live_hash(const viz_live *l);
const fl_violation *viz_live_violation(const viz_live *l);
/* After the run: the linearizability verdict in one line (checked once,
 * with a short time limit); NULL while running. */
const char *viz_live_verdict(viz_live *l);

/* Writes the scenario with the added faults and this run's seed as JSON
 * (to a temporary name, then renamed). */
int viz_live_save(const viz_live *l, const char *path, fl_error *err);

#endif
