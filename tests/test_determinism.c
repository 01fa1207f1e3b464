/* test_determinism.c — for every scenario shipped under scenarios/: the
 * same seed twice gives the same trace hash (and the same trace bytes); a
 * different seed gives a different hash; seeds that differ only above bit
 * 32 give different hashes. Bug scenarios are included: determinism does
 * not depend on a run passing. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/engine.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"
#include "sim/trace.h"
#include "tests/cu.h"

typedef struct path_list {
    char  **paths;
    size_t  n;
} path_list;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(const char *dir, path_list *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        if (ent->d_name[0] == '.')
            continue;
        size_t len = strlen(dir) + strlen(ent->d_name) + 2;
        char *p = malloc(len);
        if (!p)
            break;
        snprintf(p, len, "%s/%s", dir, ent->d_name);
        struct stat st;
        size_t pl = strlen(p);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            collect(p, out);
            free(p);
        } else if (pl > 5 && strcmp(p + pl - 5, ".json") == 0 &&
                   !strstr(p, "suite.json")) {
            char **grown = realloc(out->paths, (out->n + 1) * sizeof *grown);
            if (!grown) {
                free(p);
                break;
            }
            out->paths = grown;
            out->paths[out->n++] = p;
        } else {
            free(p);
        }
    }
    closedir(d);
}

/* Runs `path` with `seed`; the trace goes to memory so the bytes can be
 * compared too. Returns the trace hash, 0 on error. */
static uint64_t run_once(const char *path, uint64_t seed, char **trace, size_t *len)
{
    fl_error err = { { 0 } };
    fl_scenario *s = fl_scenario_load(path, &err);
    const fl_algorithm *alg = s ? fl_registry_find(s->algorithm) : NULL;
    if (!s || !alg || fl_scenario_bind(s, alg, &err) < 0) {
        fprintf(stderr, "%s: %s\n", path, s ? err.msg : err.msg);
        fl_scenario_free(s);
        return 0;
    }
    fl_engine *e = fl_engine_new(s, alg, seed, s->duration, &err);
    uint64_t h = 0;
    if (e) {
        FILE *mem = trace ? open_memstream(trace, len) : NULL;
        if (mem)
            fl_engine_trace_to(e, mem, FL_TRACE_JSONL);
        fl_engine_run(e);
        fl_engine_finish(e);
        h = fl_engine_trace_hash(e);
        if (mem)
            fclose(mem);
        fl_engine_free(e);
    }
    fl_scenario_free(s);
    return h;
}

static void test_every_scenario(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/scenarios", fl_cu_srcdir());
    path_list list = { NULL, 0 };
    collect(dir, &list);
    qsort(list.paths, list.n, sizeof *list.paths, by_name);
    printf("\n  checking %zu scenarios under %s\n", list.n, dir);
    CU_ASSERT(list.n > 0);
    for (size_t i = 0; i < list.n; i++) {
        const char *p = list.paths[i];
        char *t1 = NULL, *t2 = NULL;
        size_t l1 = 0, l2 = 0;
        uint64_t a = run_once(p, 1, &t1, &l1);
        uint64_t b = run_once(p, 1, &t2, &l2);
        uint64_t c = run_once(p, 2, NULL, NULL);
        uint64_t d = run_once(p, 1 + (UINT64_C(1) << 32), NULL, NULL);
        CU_ASSERT(a != 0);
        CU_ASSERT_EQUAL(a, b);
        CU_ASSERT(l1 == l2 && t1 && t2 && memcmp(t1, t2, l1) == 0);
        CU_ASSERT_NOT_EQUAL(a, c);
        CU_ASSERT_NOT_EQUAL(a, d);
        if (a == 0 || a != b || a == c || a == d)
            printf("  FAILED: %s (%016llx %016llx %016llx %016llx)\n", p,
                   (unsigned long long)a, (unsigned long long)b,
                   (unsigned long long)c, (unsigned long long)d);
        free(t1);
        free(t2);
        free(list.paths[i]);
    }
    free(list.paths);
}

static const fl_cu_test tests[] = {
    { "every shipped scenario is deterministic and seed-sensitive", test_every_scenario },
    { NULL, NULL },
};

int main(void)
{
    static const fl_cu_suite suites[] = {
        { "determinism", tests },
        { NULL, NULL },
    };
    return fl_cu_main(suites);
}
