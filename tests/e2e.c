/* e2e.c — see e2e.h. */
#include "tests/e2e.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/cu.h"

const char *fl_e2e_binary(void)
{
    const char *b = getenv("FL_FAULTLINE");
    return b ? b : "./faultline";
}

static void e2e_parse_line(const char *line, fl_e2e_out *o)
{
    const char *p;
    if ((p = strstr(line, "violated: ")) && !o->violated[0])
        sscanf(p + 10, "%79s", o->violated);
    if (strstr(line, "check invariants") && strstr(line, ": held"))
        o->invariants_held = true;
    if (strstr(line, "expected violation") && strstr(line, ": caught"))
        o->caught = true;
    if (!strncmp(line, "verdict:", 8) && (p = strstr(line, "trace hash ")))
        o->hash = strtoull(p + 11, NULL, 16);
}

int fl_e2e_run(const char *file, uint64_t seed, const char *extra,
               fl_e2e_out *o)
{
    memset(o, 0, sizeof *o);
    o->status = -1;
    char cmd[4096], seedarg[64] = "";
    if (seed)
        snprintf(seedarg, sizeof seedarg, " --seed %" PRIu64, seed);
    snprintf(cmd, sizeof cmd, "'%s' run '%s'%s %s 2>&1", fl_e2e_binary(), file,
             seedarg, extra ? extra : "");
    FILE *fp = popen(cmd, "r");
    if (!fp)
        return -1;
    char line[4096];
    while (fgets(line, sizeof line, fp))
        e2e_parse_line(line, o);
    int st = pclose(fp);
    o->status = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
    return 0;
}

static int e2e_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fl_e2e_list(const char *alg, const char *sub)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/scenarios/%s%s", fl_cu_srcdir(), alg, sub);
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = calloc(256, sizeof *names);
    size_t n = 0;
    struct dirent *de;
    while (names && n < 255 && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") ||
            strcmp(de->d_name, "suite.json") == 0)
            continue;
        names[n] = malloc(strlen(dir) + len + 2);
        if (!names[n])
            break;
        sprintf(names[n], "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, e2e_cmp);
    return names;
}

void fl_e2e_free(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

cJSON *fl_e2e_load(const char *file)
{
    FILE *fp = fopen(file, "r");
    if (!fp)
        return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = 0;
    return cJSON_Parse(buf);
}

bool fl_e2e_declared(const char *file, char *out, size_t len)
{
    cJSON *j = fl_e2e_load(file);
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "expect"),
                                         "violation");
    bool ok = cJSON_IsString(v);
    if (ok)
        snprintf(out, len, "%s", v->valuestring);
    cJSON_Delete(j);
    return ok;
}

bool fl_e2e_without_bugs(const char *file, char *out, size_t len)
{
    cJSON *j = fl_e2e_load(file);
    cJSON *params = cJSON_GetObjectItem(j, "params");
    bool had = cJSON_GetObjectItem(params, "bugs") != NULL;
    cJSON_DeleteItemFromObject(params, "bugs");
    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(j, "expect"), "violation");
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    snprintf(out, len, "/tmp/fl-test-e2e-%ld.json", (long)getpid());
    FILE *w = text ? fopen(out, "w") : NULL;
    bool ok = w && fputs(text, w) >= 0;
    if (w && fclose(w) != 0)
        ok = false;
    free(text);
    return ok && had;
}

/* ---- Whole-folder checks (CUnit assertions) ------------------------------ */

size_t fl_e2e_check_pass(const char *alg, uint64_t seeds)
{
    char **files = fl_e2e_list(alg, "");
    CU_ASSERT_FATAL(files != NULL);
    size_t n = 0;
    for (size_t i = 0; files[i]; i++, n++)
        for (uint64_t seed = 1; seed <= seeds; seed++) {
            fl_e2e_out o;
            CU_ASSERT_EQUAL_FATAL(fl_e2e_run(files[i], seed, NULL, &o), 0);
            if (o.status != 0 || !o.invariants_held)
                fprintf(stderr, "\n  %s --seed %" PRIu64 ": exit %d %s\n",
                        files[i], seed, o.status, o.violated);
            CU_ASSERT_EQUAL(o.status, 0);
            CU_ASSERT_TRUE(o.invariants_held);
            CU_ASSERT_NOT_EQUAL(o.hash, 0);
        }
    fl_e2e_free(files);
    return n;
}

size_t fl_e2e_check_bugs(const char *alg, uint64_t seeds)
{
    char **files = fl_e2e_list(alg, "/bugs");
    CU_ASSERT_FATAL(files != NULL);
    size_t n = 0;
    for (size_t i = 0; files[i]; i++, n++) {
        char want[80];
        CU_ASSERT_TRUE_FATAL(fl_e2e_declared(files[i], want, sizeof want));
        for (uint64_t seed = 0; seed <= seeds; seed++) {
            fl_e2e_out o;
            CU_ASSERT_EQUAL_FATAL(fl_e2e_run(files[i], seed, NULL, &o), 0);
            if (o.status != 1 || strcmp(o.violated, want))
                fprintf(stderr, "\n  %s --seed %" PRIu64 ": exit %d, "
                        "violated \"%s\", declared %s\n", files[i], seed,
                        o.status, o.violated, want);
            CU_ASSERT_EQUAL(o.status, 1);
            CU_ASSERT_STRING_EQUAL(o.violated, want);
            CU_ASSERT_TRUE(o.caught);
        }
    }
    fl_e2e_free(files);
    return n;
}

void fl_e2e_check_bugs_off(const char *alg, uint64_t seeds)
{
    char **files = fl_e2e_list(alg, "/bugs");
    CU_ASSERT_FATAL(files != NULL && files[0] != NULL);
    for (size_t i = 0; files[i]; i++) {
        char tmp[128];
        CU_ASSERT_TRUE_FATAL(fl_e2e_without_bugs(files[i], tmp, sizeof tmp));
        for (uint64_t seed = 0; seed <= seeds; seed++) {
            fl_e2e_out o;
            CU_ASSERT_EQUAL_FATAL(fl_e2e_run(tmp, seed, NULL, &o), 0);
            if (o.status != 0 || !o.invariants_held)
                fprintf(stderr, "\n  %s without bugs --seed %" PRIu64
                        ": exit %d %s\n", files[i], seed, o.status,
                        o.violated);
            CU_ASSERT_EQUAL(o.status, 0);
            CU_ASSERT_TRUE(o.invariants_held);
        }
        remove(tmp);
    }
    fl_e2e_free(files);
}

void fl_e2e_check_deterministic(const char *alg)
{
    const char *subs[] = {"", "/bugs"};
    for (size_t k = 0; k < 2; k++) {
        char **files = fl_e2e_list(alg, subs[k]);
        CU_ASSERT_FATAL(files != NULL);
        for (size_t i = 0; files[i]; i++) {
            fl_e2e_out a, b, c;
            fl_e2e_run(files[i], 3, NULL, &a);
            fl_e2e_run(files[i], 3, NULL, &b);
            fl_e2e_run(files[i], 4, NULL, &c);
            CU_ASSERT_NOT_EQUAL(a.hash, 0);
            CU_ASSERT_EQUAL(a.hash, b.hash);
            CU_ASSERT_EQUAL(a.status, b.status);
            CU_ASSERT_NOT_EQUAL(a.hash, c.hash);
        }
        fl_e2e_free(files);
    }
}
