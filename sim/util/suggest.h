/* suggest.h — "did you mean": the one edit-distance suggester shared by the
 * command line (commands, options, algorithms, models) and the scenario
 * loader (keys, names, selectors). Owns nothing else; depends on libc only,
 * so any room may include it. */
#ifndef FL_UTIL_SUGGEST_H
#define FL_UTIL_SUGGEST_H

#include <stddef.h>

/* Optimal string alignment distance (insertions, deletions, substitutions,
 * adjacent transpositions); SIZE_MAX for words of 64 bytes or more. */
size_t fl_edit_distance(const char *a, const char *b);

/* The closest of the NULL-terminated `cands`, if close enough to be a typo
 * (distance 0 for words of 1-2 letters, 1 for 3, 2 up to 6, else 3);
 * NULL if none is. */
const char *fl_suggest(const char *word, const char *const *cands);

/* Writes "a, b, c" (the NULL-terminated `names`) into buf, cut short at a
 * whole name if it does not fit. */
void fl_suggest_join(char *buf, size_t cap, const char *const *names);

#endif
