/* params.h — the one helper the built-in algorithms read their scenario
 * "params" object with: integral numbers in a range, [lo, hi] pairs,
 * booleans, and the "bugs" array of named deliberate-bug switches. Every
 * failure writes "key: what is wrong" into the caller's buffer and returns
 * -1, so an algorithm's validate() names the key the loader reports (with
 * the file and JSON path) before anything runs.
 *
 * Pure functions of cJSON values: no fl_ctx, no allocation. */
#ifndef FL_PARAMS_H
#define FL_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Writes "key: what" into err (if any) and returns -1. */
int fl_param_err(char *err, size_t errlen, const char *key, const char *what);

/* True if `v` is an integral JSON number in [lo, hi]; stores it. */
bool fl_param_is_int(const cJSON *v, int64_t lo, int64_t hi, int64_t *out);

/* An integral number in [lo, hi]; otherwise "key: what". */
int fl_param_int(const cJSON *v, const char *key, int64_t lo, int64_t hi,
                 int64_t *out, const char *what, char *err, size_t errlen);

/* "key": [a, b] with integers in [min, max] and a <= b. */
int fl_param_range(const cJSON *v, const char *key, int64_t min,
                   int64_t max, int64_t *a, int64_t *b, char *err,
                   size_t errlen);

/* true or false. */
int fl_param_bool(const cJSON *v, const char *key, bool *out, char *err,
                  size_t errlen);

/* "bugs": an array of names from `names[0..n)`; sets bit k of *bits for
 * names[k]. An unknown name is reported with the list of known ones. */
int fl_param_bugs(const cJSON *v, const char *const *names, unsigned n,
                  unsigned *bits, char *err, size_t errlen);

/* The params object itself: 1 if absent or null (defaults only), 0 if an
 * object to walk, -1 ("params: must be an object") otherwise. */
int fl_param_object(const cJSON *params, char *err, size_t errlen);

#endif
