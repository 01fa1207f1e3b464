/* vec.h — the one growable-array helper (util room: includes only the C
 * library). Arrays stay plain `T *items; size_t len, cap;` fields; this
 * makes room in them. */
#ifndef FL_UTIL_VEC_H
#define FL_UTIL_VEC_H

#include <stddef.h>

/* Makes room for `need` elements of `size` bytes in *p (a `T **`), whose
 * capacity is *cap: doubles the capacity (starting from `first` when it is
 * 0) until it holds `need`. 0, or -1 when out of memory or on overflow
 * (then *p and *cap are unchanged). */
int fl_vec_grow(void *p, size_t *cap, size_t need, size_t size, size_t first);

#endif
