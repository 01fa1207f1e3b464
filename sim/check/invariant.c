/* invariant.c — the invariant registry: algorithm family -> invariants.
 * One line per family. */
#include "sim/check/invariant.h"

#include <string.h>

static const struct {
    const char *family;
    const fl_invariant *const *invs;
    size_t n;
} families[] = {
    { "kv-single", NULL, 0 },
};

const fl_invariant *const *fl_invariants_for(const char *algorithm, size_t *n)
{
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (strcmp(families[i].family, algorithm) == 0) {
            *n = families[i].n;
            return families[i].invs;
        }
    *n = 0;
    return NULL;
}
