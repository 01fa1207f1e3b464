/* cmd_list.c — `faultline list`: built-in algorithms and shipped scenarios. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/cli/cli.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"

#ifndef FL_SCENARIO_DIR
#define FL_SCENARIO_DIR "/usr/local/share/faultline/scenarios"
#endif

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        if (ent->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        if (!grown)
            break;
        names = grown;
        size_t len = strlen(dir) + strlen(ent->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n])
            break;
        snprintf(names[n++], len, "%s/%s", dir, ent->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);   /* stable, readable order */
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        size_t len = strlen(names[i]);
        if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            list_dir(names[i]);
        } else if (len > 5 && strcmp(names[i] + len - 5, ".json") == 0) {
            fl_error err;
            fl_scenario *s = fl_scenario_load(names[i], &err);
            if (s) {
                printf("  %-44s %s\n", names[i], s->description ? s->description : s->name);
                fl_scenario_free(s);
            } else {
                printf("  %-44s (does not load: %s)\n", names[i], err.msg);
            }
        }
        free(names[i]);
    }
    free(names);
}

int fl_cmd_list(int argc, char **argv)
{
    if (argc > 2)
        return fl_cli_usage_error("list", "too many arguments");
    printf("algorithms:\n");
    for (size_t i = 0; fl_registry_at(i); i++)
        printf("  %-14s %s\n", fl_registry_at(i)->name,
               fl_registry_at(i)->description ? fl_registry_at(i)->description : "");
    const char *dir = argc > 1 ? argv[1] : NULL;
    struct stat st;
    if (!dir)
        dir = stat("scenarios", &st) == 0 ? "scenarios" : FL_SCENARIO_DIR;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "faultline: %s: not a folder of scenarios\n", dir);
        return 2;
    }
    printf("scenarios (%s):\n", dir);
    list_dir(dir);
    return 0;
}
