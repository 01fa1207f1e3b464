/* seeds.c — parsing seed ranges and shards. */
#include "sim/batch/seeds.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A whole 64-bit number, decimal or 0x-hex, ending at `end`. */
static bool parse_u64_span(const char *s, const char *end, uint64_t *out)
{
    char buf[32];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf || *s == '-' || *s == '+' || *s == ' ')
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *e;
    errno = 0;
    unsigned long long v = strtoull(buf, &e, 0);
    if (errno || *e)
        return false;
    *out = (uint64_t)v;
    return true;
}

bool fl_seed_range_parse(const char *s, fl_seed_range *out)
{
    if (!s || !*s)
        return false;
    const char *dash = strchr(s, '-');
    const char *end = s + strlen(s);
    if (!dash) {
        if (!parse_u64_span(s, end, &out->lo))
            return false;
        out->hi = out->lo;
        return true;
    }
    return parse_u64_span(s, dash, &out->lo) && parse_u64_span(dash + 1, end, &out->hi) &&
           out->lo <= out->hi;
}

uint64_t fl_seed_range_count(const fl_seed_range *r)
{
    uint64_t d = r->hi - r->lo;
    return d == UINT64_MAX ? UINT64_MAX : d + 1;
}

bool fl_shard_parse(const char *s, fl_shard *out)
{
    if (!s)
        return false;
    const char *slash = strchr(s, '/');
    if (!slash)
        return false;
    return parse_u64_span(s, slash, &out->index) &&
           parse_u64_span(slash + 1, s + strlen(s), &out->count) && out->count > 0 &&
           out->index < out->count;
}
