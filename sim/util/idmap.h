/* idmap.h — the one hash map (util room: includes only the C library):
 * 64-bit keys (any value) to 64-bit values, open addressing with linear
 * probing, never more than half full. Lookups only: nothing iterates it,
 * so no result can depend on where a key lands. */
#ifndef FL_UTIL_IDMAP_H
#define FL_UTIL_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fl_idmap {
    uint64_t      *keys;
    uint64_t      *vals;
    unsigned char *used;
    size_t         cap, len;    /* cap: 0 or a power of two */
} fl_idmap;

void fl_idmap_init(fl_idmap *m);
void fl_idmap_destroy(fl_idmap *m);
/* Makes room for `n` keys in all without growing again. -1: out of memory. */
int  fl_idmap_reserve(fl_idmap *m, size_t n);
/* The value of `key`. Absent: with `insert`, a new value 0 is added (NULL
 * when out of memory); without, NULL. The pointer holds until the next
 * insertion. */
uint64_t *fl_idmap_slot(fl_idmap *m, uint64_t key, bool insert);
/* false if absent. */
bool fl_idmap_get(const fl_idmap *m, uint64_t key, uint64_t *val);
/* Adds or replaces. -1: out of memory. */
int  fl_idmap_put(fl_idmap *m, uint64_t key, uint64_t val);
/* Removes `key`; false if it was absent. */
bool fl_idmap_del(fl_idmap *m, uint64_t key);

#endif
