/* suggest.c — "did you mean" (see suggest.h). */
#include "sim/util/suggest.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t fl_edit_distance(const char *a, const char *b)
{
    enum { MAXN = 64 };
    size_t la = strlen(a), lb = strlen(b);
    if (la >= MAXN || lb >= MAXN)
        return SIZE_MAX;
    size_t rows[3][MAXN + 1];
    size_t *pp = rows[0], *p = rows[1], *c = rows[2];
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb];
}

const char *fl_suggest(const char *word, const char *const *cands)
{
    const char *best = NULL;
    size_t bestd = SIZE_MAX;
    for (; *cands; cands++) {
        size_t d = fl_edit_distance(word, *cands);
        size_t lw = strlen(word), lc = strlen(*cands);
        size_t len = lw > lc ? lw : lc;
        size_t limit = len <= 2 ? 0 : len <= 3 ? 1 : len <= 6 ? 2 : 3;
        if (d <= limit && d < lc && d < bestd) {
            best = *cands;
            bestd = d;
        }
    }
    return best;
}

void fl_suggest_join(char *buf, size_t cap, const char *const *names)
{
    size_t n = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (; *names; names++) {
        int w = snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", *names);
        if (w < 0 || (size_t)w >= cap - n) {
            buf[n] = '\0';
            return;
        }
        n += (size_t)w;
    }
}
