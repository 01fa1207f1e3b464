/* tally.c — a sweep's failures by check (see tally.h). */
#include "sim/batch/tally.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

fl_fail_class fl_fail_class_of(fl_outcome_kind kind, const char *check, const char *detail)
{
    if (kind == FL_OUT_MISSED)
        return FL_FAIL_MISSED;
    if (kind != FL_OUT_CHECK)
        return FL_FAIL_IMPL;
    if (strncmp(check, "liveness.", 9) == 0 ||
        (detail && strstr(detail, " violated at the end of the run")))
        return FL_FAIL_LIVENESS;
    return FL_FAIL_SAFETY;
}

const char *fl_fail_class_name(fl_fail_class c)
{
    static const char *const names[] = { "safety", "implementation", "liveness", "missed" };
    return (unsigned)c < sizeof names / sizeof *names ? names[c] : "?";
}

int fl_tally_add(fl_tally *t, fl_outcome_kind kind, const char *check,
                 const char *detail, uint64_t seed)
{
    fl_fail_class cls = fl_fail_class_of(kind, check, detail);
    const char *name = check && check[0] ? check : fl_outcome_kind_name(kind);
    for (size_t i = 0; i < t->n; i++) {
        fl_tally_entry *e = &t->e[i];
        if (e->cls == cls && strcmp(e->check, name) == 0) {
            e->count++;
            if (seed < e->first_seed)
                e->first_seed = seed;
            return 0;
        }
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        fl_tally_entry *grown = realloc(t->e, cap * sizeof *grown);
        if (!grown)
            return -1;
        t->e = grown;
        t->cap = cap;
    }
    fl_tally_entry *e = &t->e[t->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->check, sizeof e->check, "%s", name);
    e->cls = cls;
    e->count = 1;
    e->first_seed = seed;
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const fl_tally_entry *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->check, y->check);
}

void fl_tally_sort(fl_tally *t)
{
    if (t->n > 1)
        qsort(t->e, t->n, sizeof *t->e, cmp_entry);
}

void fl_tally_print(const fl_tally *t, FILE *out)
{
    size_t width = 0;
    for (size_t i = 0; i < t->n; i++)
        if (strlen(t->e[i].check) > width)
            width = strlen(t->e[i].check);
    for (size_t i = 0; i < t->n; i++) {
        const fl_tally_entry *e = &t->e[i];
        fprintf(out, "  %-14s %-*s %6" PRIu64 " %-5s first seed %" PRIu64 "\n",
                fl_fail_class_name(e->cls), (int)width, e->check, e->count,
                e->count == 1 ? "run," : "runs,", e->first_seed);
    }
}

uint64_t fl_tally_count(const fl_tally *t, fl_fail_class cls)
{
    uint64_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += t->e[i].cls == cls ? t->e[i].count : 0;
    return n;
}

void fl_tally_free(fl_tally *t)
{
    free(t->e);
    memset(t, 0, sizeof *t);
}
