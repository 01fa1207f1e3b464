/* rules_shadow.c — what the rule checks remember of one node's log: the
 * chain hash of each entry as of the node's last step, so that a step that
 * rewrites entries (a follower truncating a conflicting suffix and
 * appending the leader's entries in its place) is told from one that only
 * appends or only cuts the tail. A log's length alone cannot tell: a
 * follower holding 1..106 that deletes 105..106 and appends a new 105 goes
 * from 106 to 105 entries, yet entry 105 is not the one it held before.
 *
 * Chains are prefix hashes (algorithm.h: equal chains => equal prefixes),
 * so "entry i is unchanged" is true up to the first rewritten index and
 * false after it: a binary search finds the truncation point in
 * O(log n) inspect_entry calls, and the common step (nothing rewritten)
 * costs one. A plug-in without inspect_entry leaves the shadow inexact:
 * the point is then where the log's length says (min of old and new last
 * index), as it was before this module. Only the uncompacted log is
 * remembered (from `base` on), so the shadow's size follows the log's
 * live part, not simulated time. */
#include "algorithms/raft/rules.h"

#include <stdlib.h>
#include <string.h>

void rule_shadow_free(rule_shadow *sh)
{
    free(sh->chain);
    free(sh->known);
    memset(sh, 0, sizeof *sh);
    sh->last = -1;
}

bool rule_shadow_chain(const rule_shadow *sh, int64_t i, uint64_t *chain)
{
    if (i < sh->base || i > sh->last || (uint64_t)(i - sh->base) >= sh->cap ||
        !sh->known[i - sh->base])
        return false;
    *chain = sh->chain[i - sh->base];
    return true;
}

static int shadow_reserve(rule_shadow *sh, int64_t last)
{
    if (last < sh->base || (uint64_t)(last - sh->base) < sh->cap)
        return 0;
    size_t cap = sh->cap ? sh->cap : 64;
    while ((uint64_t)(last - sh->base) >= cap)
        cap *= 2;
    uint64_t *c = realloc(sh->chain, cap * sizeof *c);
    if (!c)
        return -1;
    sh->chain = c;
    bool *k = realloc(sh->known, cap * sizeof *k);
    if (!k)
        return -1;
    sh->known = k;
    sh->cap = cap;
    return 0;
}

/* The first index `v` holds an entry for (entries below it are in a
 * snapshot, committed and never rewritten). */
static int64_t shadow_first(const fl_view *v)
{
    return v->log_first > 1 ? v->log_first : 1;
}

/* Forgets the entries below `first` (compacted: never rewritten again),
 * in steps of at least 256 so that the copy is paid rarely. */
static void shadow_trim(rule_shadow *sh, int64_t first)
{
    if (first - sh->base < 256)
        return;
    int64_t keep = sh->last >= first ? sh->last - first + 1 : 0;
    if (sh->last < sh->base || (uint64_t)(sh->last - sh->base) >= sh->cap)
        keep = 0;
    if (keep > 0) {
        memmove(sh->chain, sh->chain + (first - sh->base), (size_t)keep * sizeof *sh->chain);
        memmove(sh->known, sh->known + (first - sh->base), (size_t)keep * sizeof *sh->known);
    }
    sh->base = first;
}

/* Records entries from..v->log_last of `node` as its log now holds them.
 * Returns 0, or -1 out of memory. An entry the view says is held but
 * inspect_entry does not show makes the shadow inexact (and stops it). */
static int shadow_fill(rule_shadow *sh, const fl_world *w, fl_node_id node,
                       const fl_view *v, int64_t from)
{
    shadow_trim(sh, shadow_first(v));
    sh->last = v->log_last;
    if (!sh->exact)
        return 0;
    if (shadow_reserve(sh, v->log_last) != 0)
        return -1;
    if (from < sh->base)
        from = sh->base;
    for (int64_t i = from < 1 ? 1 : from; i <= v->log_last; i++) {
        fl_view_entry e;
        memset(&e, 0, sizeof e);
        bool held = i >= shadow_first(v);
        size_t k = (size_t)(i - sh->base);
        sh->known[k] = held && fl_world_entry(w, node, i, &e);
        sh->chain[k] = sh->known[k] ? e.chain : 0;
        if (held && !sh->known[k]) {
            sh->exact = false;
            return 0;
        }
    }
    return 0;
}

int rule_shadow_reset(rule_shadow *sh, const fl_world *w, fl_node_id node,
                      const fl_view *v)
{
    sh->exact = true;
    sh->last = -1;
    sh->base = 0;
    if (v->log_last < 0)
        return 0;
    return shadow_fill(sh, w, node, v, 1);
}

/* 1 if entry i is the one the shadow holds (an index either does not
 * show counts as unchanged: a compacted entry is committed), 0 if it was
 * rewritten, -1 if it cannot be read. */
static int shadow_same(const rule_shadow *sh, const fl_world *w,
                       fl_node_id node, const fl_view *v, int64_t i)
{
    uint64_t chain;
    if (i < shadow_first(v) || !rule_shadow_chain(sh, i, &chain))
        return 1;
    fl_view_entry e;
    memset(&e, 0, sizeof e);
    if (!fl_world_entry(w, node, i, &e))
        return -1;
    return e.chain == chain;
}

/* The longest prefix of 1..m that the step left unchanged; -1 if an entry
 * cannot be read. Unchanged is true up to the rewritten index and false
 * from it on (prefix hashes), so a binary search finds it. */
static int64_t shadow_kept(const rule_shadow *sh, const fl_world *w,
                           fl_node_id node, const fl_view *v, int64_t m)
{
    int same = shadow_same(sh, w, node, v, m);
    if (same != 0)
        return same > 0 ? m : -1;
    int64_t lo = 0, hi = m;                 /* same at lo, not at hi */
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        int s = shadow_same(sh, w, node, v, mid);
        if (s < 0)
            return -1;
        if (s)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int rule_shadow_step(rule_shadow *sh, const fl_world *w, fl_node_id node,
                     const fl_view *v, int64_t *kept)
{
    int64_t m = sh->last < v->log_last ? sh->last : v->log_last;
    *kept = m;
    if (sh->exact && m >= 1) {
        int64_t k = shadow_kept(sh, w, node, v, m);
        if (k < 0)
            sh->exact = false;
        else
            *kept = k;
    }
    return shadow_fill(sh, w, node, v, *kept + 1);
}
