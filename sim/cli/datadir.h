/* datadir.h — where faultline finds the files it ships (scenarios/ with the
 * suites, templates/, docs/ with the schemas, notebooks-data/). In order:
 *   1. $FAULTLINE_DATADIR, if set (and only there: a wrong value is an error,
 *      not a silent fall-back);
 *   2. the current folder (a source checkout);
 *   3. the executable's folder (an in-tree build run from elsewhere);
 *   4. ../share/faultline beside the executable's folder (an installed
 *      copy, wherever it was moved or DESTDIR put it);
 *   5. the configured PREFIX/share/faultline (FL_PKGDATADIR). */
#ifndef FL_DATADIR_H
#define FL_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

/* Finds `rel` (e.g. "scenarios/raft/suite.json") and writes its path to
 * `out`; false if it is in none of the places (out gets the first tried). */
bool fl_datadir_find(const char *rel, char *out, size_t len);
/* The running executable's absolute path, or "faultline" if unknown. */
void fl_datadir_self(char *out, size_t len);
/* Writes where fl_datadir_find looks, "; "-separated, for error messages. */
void fl_datadir_describe(const char *rel, char *out, size_t len);

#endif
