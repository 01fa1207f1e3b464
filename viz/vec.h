/* vec.h — the two small containers the visualizer's model is built from:
 * a growable array (grow-by-doubling helper) and a map from 64-bit ids
 * (never 0) to 32-bit indices with linear probing. */
#ifndef FL_VIZ_VEC_H
#define FL_VIZ_VEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Makes room for `need` elements of `size` bytes in *p (capacity *cap).
 * 0, or -1 when out of memory (then *p is unchanged). */
int viz_grow(void *p, size_t *cap, size_t need, size_t size);

typedef struct viz_idmap {
    uint64_t *keys;            /* 0: empty */
    uint32_t *vals;
    size_t    cap, len;        /* cap is a power of two */
} viz_idmap;

void viz_idmap_free(viz_idmap *m);
/* -1 when out of memory. Replaces an existing value. */
int  viz_idmap_put(viz_idmap *m, uint64_t key, uint32_t val);
/* false if absent. */
bool viz_idmap_get(const viz_idmap *m, uint64_t key, uint32_t *val);
void viz_idmap_del(viz_idmap *m, uint64_t key);

#endif
