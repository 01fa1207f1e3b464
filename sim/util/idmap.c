/* idmap.c — the open-addressing map (idmap.h). */
#include "sim/util/idmap.h"

#include <stdlib.h>

static size_t home(uint64_t key, size_t cap)
{
    return (size_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 20) & (cap - 1);
}

void fl_idmap_init(fl_idmap *m)
{
    m->keys = m->vals = NULL;
    m->used = NULL;
    m->cap = m->len = 0;
}

void fl_idmap_destroy(fl_idmap *m)
{
    free(m->keys);
    free(m->vals);
    free(m->used);
    fl_idmap_init(m);
}

static size_t probe(const fl_idmap *m, uint64_t key)
{
    size_t i = home(key, m->cap);
    while (m->used[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int rehash(fl_idmap *m, size_t cap)
{
    fl_idmap n = { calloc(cap, sizeof *n.keys), calloc(cap, sizeof *n.vals),
                   calloc(cap, 1), cap, m->len };
    if (!n.keys || !n.vals || !n.used) {
        fl_idmap_destroy(&n);
        return -1;
    }
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->used[j])
            continue;
        size_t i = probe(&n, m->keys[j]);
        n.keys[i] = m->keys[j];
        n.vals[i] = m->vals[j];
        n.used[i] = 1;
    }
    fl_idmap_destroy(m);
    *m = n;
    return 0;
}

int fl_idmap_reserve(fl_idmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 16;
    while (cap < 2 * n + 2) {
        if (cap > SIZE_MAX / 4)
            return -1;
        cap *= 2;
    }
    return cap == m->cap ? 0 : rehash(m, cap);
}

uint64_t *fl_idmap_slot(fl_idmap *m, uint64_t key, bool insert)
{
    if (insert && fl_idmap_reserve(m, m->len + 1) < 0)
        return NULL;
    if (!m->cap)
        return NULL;
    size_t i = probe(m, key);
    if (m->used[i])
        return &m->vals[i];
    if (!insert)
        return NULL;
    m->used[i] = 1;
    m->keys[i] = key;
    m->vals[i] = 0;
    m->len++;
    return &m->vals[i];
}

bool fl_idmap_get(const fl_idmap *m, uint64_t key, uint64_t *val)
{
    if (!m->cap)
        return false;
    size_t i = probe(m, key);
    if (!m->used[i])
        return false;
    *val = m->vals[i];
    return true;
}

int fl_idmap_put(fl_idmap *m, uint64_t key, uint64_t val)
{
    uint64_t *v = fl_idmap_slot(m, key, true);
    if (!v)
        return -1;
    *v = val;
    return 0;
}

/* Linear probing keeps no tombstones: the entries after a removed one that
 * would no longer be found from their home slot move back into the gap. */
bool fl_idmap_del(fl_idmap *m, uint64_t key)
{
    if (!m->cap)
        return false;
    size_t i = probe(m, key);
    if (!m->used[i])
        return false;
    size_t mask = m->cap - 1;
    for (size_t j = (i + 1) & mask; m->used[j]; j = (j + 1) & mask) {
        size_t h = home(m->keys[j], m->cap);
        /* move j to the gap i unless its home lies cyclically in (i, j] */
        bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
        if (stays)
            continue;
        m->keys[i] = m->keys[j];
        m->vals[i] = m->vals[j];
        i = j;
    }
    m->used[i] = 0;
    m->len--;
    return true;
}
