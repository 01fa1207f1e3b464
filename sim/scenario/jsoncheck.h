/* jsoncheck.h — the strictness cJSON does not give: every object and array
 * of a parsed document is walked once, in linear time, and refused with
 * its JSON path if it has a duplicate key (cJSON keeps both; hashing makes
 * a 200k-key object cheap), a key or string that is not valid UTF-8
 * (a trace would carry it to readers that reject it), or more than
 * FL_JSON_MAX_MEMBERS members. Used by the scenario and suite loaders. */
#ifndef FL_JSONCHECK_H
#define FL_JSONCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#define FL_JSON_MAX_MEMBERS 100000

/* 0 if `root` is clean; else -1 with the path ("$.faults[3].name") in
 * `path` and what is wrong in `what`. */
int  fl_json_check(const cJSON *root, char *path, size_t pathlen, char *what,
                   size_t whatlen);
/* True if s[0..n) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool fl_utf8_valid(const char *s, size_t n);

#endif
