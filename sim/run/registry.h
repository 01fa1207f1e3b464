/* registry.h — where algorithms come from: the built-in table by name, or
 * a student's shared object loaded with dlopen (symbol fl_algorithm_entry),
 * checked for ABI version and struct size before use. */
#ifndef FL_REGISTRY_H
#define FL_REGISTRY_H

#include <stddef.h>

#include "algorithms/algorithm.h"
#include "sim/error.h"

/* NULL if unknown. */
const fl_algorithm *fl_registry_find(const char *name);
/* The i-th built-in algorithm, NULL past the end. */
const fl_algorithm *fl_registry_at(size_t i);
/* How the visualizer draws the built-in `name` (algorithms/viz_table.h);
 * NULL for a plug-in or an algorithm without a table (Raft's words). */
const struct fl_viz_table *fl_registry_viz_table(const char *name);

typedef struct fl_plugin fl_plugin;
/* Loads `path`; on error NULL with err->msg naming the file and the cause. */
fl_plugin *fl_plugin_open(const char *path, fl_error *err);
const fl_algorithm *fl_plugin_algorithm(const fl_plugin *p);
void fl_plugin_close(fl_plugin *p);

#endif
