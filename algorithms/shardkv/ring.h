/* ring.h — consistent hashing (Karger et al., STOC 1997) with virtual
 * nodes, as used by shardkv's configurations and by `faultline experiment
 * consistent-hashing`.
 *
 * The hash. fl_ring_hash(a, b) = mix(mix(a) ^ b), where mix is the
 * SplitMix64 finalizer (Steele, Lea & Flood, OOPSLA 2014; wire_mix64):
 * xor-shift 30, multiply 0xbf58476d1ce4e5b9, xor-shift 27, multiply
 * 0x94d049bb133111eb, xor-shift 31. It is a bijection on 64 bits with full
 * avalanche, so distinct inputs never collide before the outer xor and
 * every output bit depends on every input bit. A group's virtual node v
 * sits at fl_ring_hash(FL_RING_SALT_POINT + group, v); a key (or a shard
 * id) at fl_ring_hash(FL_RING_SALT_KEY, key). Clients and servers must use
 * exactly these (shardkv's "client-hash" bug breaks that).
 *
 * The ring. All points sorted by (position, group, vnode); a position is
 * owned by the first point at or after it, wrapping around (clockwise
 * successor), found by binary search: O(log(groups * vnodes)). Adding a
 * group moves only the positions between each new point and its
 * predecessor: on average 1/(N+1) of the keys, all to the new group.
 * Pure: no fl_ctx, deterministic, no floating point. */
#ifndef FL_SHARDKV_RING_H
#define FL_SHARDKV_RING_H

#include <stddef.h>
#include <stdint.h>

#define FL_RING_SALT_POINT 0x52494e4750000000ull   /* "RINGP" */
#define FL_RING_SALT_KEY   0x4b45595300000000ull   /* "KEYS" */

uint64_t fl_ring_hash(uint64_t a, uint64_t b);
/* Where a key (or shard id) lands on the ring. */
uint64_t fl_ring_key_pos(uint64_t key);

typedef struct fl_ring_point {
    uint64_t pos;
    uint32_t group;
    uint32_t vnode;
} fl_ring_point;

typedef struct fl_ring {
    fl_ring_point *pts;    /* sorted */
    size_t         n, cap;
} fl_ring;

void fl_ring_init(fl_ring *r);
void fl_ring_free(fl_ring *r);
/* Adds `vnodes` points for `group` (then re-sorts). 0, or -1 OOM. */
int  fl_ring_add_group(fl_ring *r, uint32_t group, uint32_t vnodes);
/* The same without sorting, for building a large ring in one go: call
 * fl_ring_sort before any lookup. */
int  fl_ring_add_points(fl_ring *r, uint32_t group, uint32_t vnodes);
void fl_ring_sort(fl_ring *r);
/* Builds the ring of the groups whose bit is set in `mask` (bit g = group
 * g, at most 64 groups), `vnodes` each. 0, or -1 OOM. */
int  fl_ring_build(fl_ring *r, uint64_t mask, uint32_t vnodes);
/* The group owning position `pos`; UINT32_MAX on an empty ring. */
uint32_t fl_ring_owner(const fl_ring *r, uint64_t pos);

#endif
