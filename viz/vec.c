/* vec.c — growable arrays and the id map (see vec.h). */
#include "viz/vec.h"

#include <stdlib.h>
#include <string.h>

int viz_grow(void *p, size_t *cap, size_t need, size_t size)
{
    void **pp = p;
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*pp, n * size);
    if (!q)
        return -1;
    *pp = q;
    *cap = n;
    return 0;
}

static size_t slot_of(uint64_t key, size_t cap)
{
    key ^= key >> 33;
    key *= UINT64_C(0xff51afd7ed558ccd);
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

void viz_idmap_free(viz_idmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static int rehash(viz_idmap *m, size_t cap)
{
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t s = slot_of(m->keys[i], cap);
        while (keys[s])
            s = (s + 1) & (cap - 1);
        keys[s] = m->keys[i];
        vals[s] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int viz_idmap_put(viz_idmap *m, uint64_t key, uint32_t val)
{
    if ((m->len + 1) * 4 >= m->cap * 3 && rehash(m, m->cap ? m->cap * 2 : 64) < 0)
        return -1;
    size_t s = slot_of(key, m->cap);
    while (m->keys[s] && m->keys[s] != key)
        s = (s + 1) & (m->cap - 1);
    if (!m->keys[s])
        m->len++;
    m->keys[s] = key;
    m->vals[s] = val;
    return 0;
}

bool viz_idmap_get(const viz_idmap *m, uint64_t key, uint32_t *val)
{
    if (!m->cap || !key)
        return false;
    size_t s = slot_of(key, m->cap);
    while (m->keys[s]) {
        if (m->keys[s] == key) {
            *val = m->vals[s];
            return true;
        }
        s = (s + 1) & (m->cap - 1);
    }
    return false;
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
void viz_idmap_del(viz_idmap *m, uint64_t key)
{
    if (!m->cap || !key)
        return;
    size_t mask = m->cap - 1, s = slot_of(key, m->cap);
    while (m->keys[s] && m->keys[s] != key)
        s = (s + 1) & mask;
    if (!m->keys[s])
        return;
    m->len--;
    size_t hole = s;
    for (size_t j = (hole + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
        size_t home = slot_of(m->keys[j], m->cap);
        /* move j into the hole if its home is not in (hole, j] */
        bool between = hole <= j ? (home > hole && home <= j)
                                 : (home > hole || home <= j);
        if (!between) {
            m->keys[hole] = m->keys[j];
            m->vals[hole] = m->vals[j];
            hole = j;
        }
    }
    m->keys[hole] = 0;
}
