/* datadir.h — where faultline finds the files it ships (suites under
 * scenarios/, skeletons under templates/): the current folder first (a
 * source checkout), then next to the executable (an in-tree build run
 * from elsewhere), then ../share/faultline beside the executable's folder
 * (an installed build). */
#ifndef FL_DATADIR_H
#define FL_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

/* Finds `rel` (e.g. "scenarios/raft/suite.json") and writes its path to
 * `out`; false if it is in none of the places (out gets the first tried). */
bool fl_datadir_find(const char *rel, char *out, size_t len);
/* The running executable's absolute path, or "faultline" if unknown. */
void fl_datadir_self(char *out, size_t len);

#endif
