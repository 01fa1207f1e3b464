/* world.h — the read-only world the invariants see (algorithms/invariant.h),
 * implemented over the engine's public API (sim/engine.h). The engine
 * itself knows nothing of invariants. */
#ifndef FL_RUN_WORLD_H
#define FL_RUN_WORLD_H

#include "algorithms/invariant.h"
#include "sim/engine.h"

/* A world reading `e`, valid while `e` lives. */
fl_world fl_world_of_engine(const fl_engine *e);

#endif
