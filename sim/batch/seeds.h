/* seeds.h — seed ranges ("1-200", "0x10-0x1f", "7") and shards ("I/N":
 * the seeds whose position in the range is I modulo N), as the command
 * line and suite files write them. */
#ifndef FL_SEEDS_H
#define FL_SEEDS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct fl_seed_range {
    uint64_t lo, hi;       /* inclusive, lo <= hi */
} fl_seed_range;

/* "A-B" or "A" (decimal or 0x-hex); false if malformed or A > B. */
bool fl_seed_range_parse(const char *s, fl_seed_range *out);
/* hi - lo + 1, saturated at UINT64_MAX. */
uint64_t fl_seed_range_count(const fl_seed_range *r);

typedef struct fl_shard {
    uint64_t index, count;  /* 0 <= index < count */
} fl_shard;

/* "I/N" with 0 <= I < N; false if malformed. */
bool fl_shard_parse(const char *s, fl_shard *out);
/* Does the k-th seed of a range (k = seed - lo) belong to this shard? */
static inline bool fl_shard_has(const fl_shard *sh, uint64_t k)
{
    return k % sh->count == sh->index;
}

#endif
