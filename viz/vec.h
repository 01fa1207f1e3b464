/* vec.h — the visualizer's growable arrays, on the one helper of the util
 * room (sim/util/vec.h), starting at 16 elements; its id maps are the util
 * room's fl_idmap (sim/util/idmap.h). */
#ifndef FL_VIZ_VEC_H
#define FL_VIZ_VEC_H

#include <stddef.h>

#include "sim/util/idmap.h"
#include "sim/util/vec.h"

/* Makes room for `need` elements of `size` bytes in *p (capacity *cap).
 * 0, or -1 when out of memory (then *p is unchanged). */
static inline int viz_grow(void *p, size_t *cap, size_t need, size_t size)
{
    return fl_vec_grow(p, cap, need, size, 16);
}

#endif
