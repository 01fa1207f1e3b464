/* vec.c — the grow-by-doubling helper (vec.h). */
#include "sim/util/vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fl_vec_grow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t c = first ? first : 1;
    if (*cap)
        c = *cap <= SIZE_MAX / 2 ? *cap * 2 : SIZE_MAX;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (size && c > SIZE_MAX / size)
        return -1;
    void *old;
    memcpy(&old, p, sizeof old);
    void *grown = realloc(old, c * size);
    if (!grown)
        return -1;
    memcpy(p, &grown, sizeof grown);
    *cap = c;
    return 0;
}
