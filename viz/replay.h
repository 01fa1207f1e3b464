/* replay.h — loads a recorded trace file (JSON Lines or compact) into a model. */
#ifndef FL_VIZ_REPLAY_H
#define FL_VIZ_REPLAY_H

#include "sim/error.h"
#include "viz/model.h"

/* NULL with "PATH:LINE: what is wrong" in err->msg on bad input. */
viz_model *viz_replay_load(const char *path, fl_error *err);

#endif
