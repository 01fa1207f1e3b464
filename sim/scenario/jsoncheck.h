/* jsoncheck.h — the strictness cJSON does not give: every object and array
 * of a parsed document is walked once, in linear time, and refused with
 * its JSON path if it has a duplicate key (cJSON keeps both; hashing makes
 * a 200k-key object cheap), a key or string that is not valid UTF-8
 * (a trace would carry it to readers that reject it), or more than
 * FL_JSON_MAX_MEMBERS members. Used by the scenario and suite loaders.
 * And the other way: text put into the JSON faultline writes is made
 * valid UTF-8 first (names cut at a character, not a byte). */
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

/* ---- text for the JSON faultline writes ----------------------------------- */

/* The length of the longest prefix of s of at most `max` bytes that does
 * not cut a UTF-8 sequence in two: for "%.*s" where "%.40s" would. */
size_t fl_utf8_prefix(const char *s, size_t max);

/* A copy of s (malloc'd; NULL if out of memory) in which every byte that
 * is not part of a valid UTF-8 sequence (a cut sequence at the end of a
 * full buffer, a file name in another encoding) is U+FFFD. */
char *fl_utf8_clean(const char *s);

/* cJSON_AddStringToObject with s made valid UTF-8 first, so the document
 * cJSON prints is JSON that every reader accepts (cJSON copies bytes as
 * they are). NULL s is "". Returns the item, or NULL if out of memory. */
cJSON *fl_json_add_text(cJSON *obj, const char *key, const char *s);

#endif
