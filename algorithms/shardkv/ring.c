/* ring.c — consistent hashing with virtual nodes (see ring.h). */
#include "algorithms/shardkv/ring.h"

#include <stdlib.h>
#include <string.h>

#include "algorithms/wire/wire.h"

uint64_t fl_ring_hash(uint64_t a, uint64_t b)
{
    return wire_mix64(wire_mix64(a) ^ b);
}

uint64_t fl_ring_key_pos(uint64_t key)
{
    return fl_ring_hash(FL_RING_SALT_KEY, key);
}

void fl_ring_init(fl_ring *r)
{
    memset(r, 0, sizeof *r);
}

void fl_ring_free(fl_ring *r)
{
    free(r->pts);
    fl_ring_init(r);
}

static int ring_cmp(const void *a, const void *b)
{
    const fl_ring_point *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return x->vnode < y->vnode ? -1 : (x->vnode > y->vnode);
}

int fl_ring_add_points(fl_ring *r, uint32_t group, uint32_t vnodes)
{
    if (!wire_array_grow((void **)&r->pts, &r->cap, r->n + vnodes,
                         sizeof *r->pts))
        return -1;
    for (uint32_t v = 0; v < vnodes; v++) {
        fl_ring_point *p = &r->pts[r->n++];
        p->pos = fl_ring_hash(FL_RING_SALT_POINT + group, v);
        p->group = group;
        p->vnode = v;
    }
    return 0;
}

/* A total order on (pos, group, vnode): qsort's instability and the
 * insertion order never matter. */
void fl_ring_sort(fl_ring *r)
{
    qsort(r->pts, r->n, sizeof *r->pts, ring_cmp);
}

int fl_ring_add_group(fl_ring *r, uint32_t group, uint32_t vnodes)
{
    if (fl_ring_add_points(r, group, vnodes) != 0)
        return -1;
    fl_ring_sort(r);
    return 0;
}

int fl_ring_build(fl_ring *r, uint64_t mask, uint32_t vnodes)
{
    r->n = 0;
    for (uint32_t g = 0; g < 64; g++)
        if (((mask >> g) & 1u) && fl_ring_add_points(r, g, vnodes) != 0)
            return -1;
    fl_ring_sort(r);
    return 0;
}

uint32_t fl_ring_owner(const fl_ring *r, uint64_t pos)
{
    if (r->n == 0)
        return UINT32_MAX;
    size_t lo = 0, hi = r->n;       /* first point with pts.pos >= pos */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->pts[mid].pos < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return r->pts[lo == r->n ? 0 : lo].group;
}
