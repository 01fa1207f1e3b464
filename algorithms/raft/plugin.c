/* plugin.c — the Raft implementation packaged as a plug-in (raft.so): the
 * same code as the built-in algorithm, exported under the symbol the
 * engine dlopen()s, so tests can run the plug-in path end to end. */
#include "algorithms/raft/raft_table.h"

/* The one symbol a plug-in exports (the build hides everything else). */
__attribute__((visibility("default")))
const fl_algorithm fl_algorithm_entry = RAFT_ALGORITHM_TABLE;
