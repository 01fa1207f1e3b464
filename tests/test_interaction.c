/* test_interaction.c — runs every interaction file under
 * tests/interaction/ (see tests/interaction.h) and checks that each bug
 * switch of the built-in Raft and Paxos makes at least one file of its
 * algorithm fail. `test_interaction --rewrite [FILE...]` writes the
 * actual output back into the files instead; `--bug NAME FILE...` shows
 * which files a bug switch breaks. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cu.h"
#include "tests/interaction.h"

#define MAX_FILES 256

typedef struct file_list {
    char  *path[MAX_FILES];
    size_t n;
} file_list;

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(const char *dir, file_list *fl)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && fl->n < MAX_FILES) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".txt") == 0)
            fl->path[fl->n++] = strdup(path);
        else
            collect(path, fl);
    }
    closedir(d);
}

/* The algorithm the file boots ("raft"), from its first boot line. */
static void file_algorithm(const char *path, char *alg, size_t len)
{
    alg[0] = '\0';
    FILE *f = fopen(path, "r");
    char line[512];
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "boot %63s", alg) == 1 && len >= 64)
            break;
    if (f)
        fclose(f);
}

/* The bug switches that existed when the interaction tests were written:
 * each must break at least one file of its algorithm. Not listed:
 * multipaxos "infer-any-ballot", whose window (a follower told of a commit
 * but not of the decision, for a slot it accepted in an older ballot) the
 * leader's piggybacked decisions close in every small manual run found. */
static const struct { const char *alg, *bug; } switches[] = {
    {"raft", "apply-before-commit"}, {"raft", "commit-old-term"},
    {"raft", "no-persist"}, {"raft", "no-truncate"},
    {"raft", "no-up-to-date-check"}, {"raft", "vote-twice"},
    {"paxos", "forget-promise"}, {"paxos", "learner-double-count"},
    {"multipaxos", "accept-below-promise"}, {"multipaxos", "forget-promise"},
    {"multipaxos", "ignore-accepted"},
    {"multipaxos", "learner-double-count"}, {"multipaxos", "non-unique-ballots"},
};

int main(int argc, char **argv)
{
    file_list fl = {0};
    bool rewrite = argc > 1 && strcmp(argv[1], "--rewrite") == 0;
    const char *bug = argc > 2 && strcmp(argv[1], "--bug") == 0 ? argv[2] : NULL;
    for (int i = rewrite ? 2 : bug ? 3 : 1; i < argc && fl.n < MAX_FILES; i++)
        fl.path[fl.n++] = strdup(argv[i]);
    if (fl.n == 0) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/tests/interaction", fl_cu_srcdir());
        collect(dir, &fl);
    }
    qsort(fl.path, fl.n, sizeof fl.path[0], path_cmp);
    unsigned passed = 0, failed = 0;
    if (bug) {   /* which files a bug switch breaks, to write new files */
        char bugs[128];
        snprintf(bugs, sizeof bugs, "[\"%s\"]", bug);
        fl_interaction_opts bo = { .bugs_json = bugs };
        for (size_t i = 0; i < fl.n; i++)
            printf("%s %s\n", fl_interaction_run_file(fl.path[i], &bo) == 0 ? "CAUGHT" : "-", fl.path[i]);
        return 0;
    }
    fl_interaction_opts opts = { .rewrite = rewrite, .diff = stdout };
    for (size_t i = 0; i < fl.n; i++) {
        int r = fl_interaction_run_file(fl.path[i], &opts);
        printf("%s %s\n", r == 1 ? "PASS" : rewrite && r == 0 ? "REWRITTEN" : "FAIL", fl.path[i]);
        if (r == 1 || (rewrite && r == 0))
            passed++;
        else
            failed++;
    }
    if (fl.n == 0) {
        printf("no interaction files found\n");
        failed++;
    }
    for (size_t s = 0; !rewrite && s < sizeof switches / sizeof switches[0]; s++) {
        char bugs[128];
        snprintf(bugs, sizeof bugs, "[\"%s\"]", switches[s].bug);
        fl_interaction_opts bo = { .bugs_json = bugs };
        const char *caught = NULL;
        for (size_t i = 0; i < fl.n && !caught; i++) {
            char alg[64];
            file_algorithm(fl.path[i], alg, sizeof alg);
            if (strcmp(alg, switches[s].alg) == 0 && fl_interaction_run_file(fl.path[i], &bo) == 0)
                caught = fl.path[i];
        }
        printf("%s bug %s/%s%s%s\n", caught ? "PASS" : "FAIL", switches[s].alg,
               switches[s].bug, caught ? " caught by " : " caught by no file",
               caught ? strrchr(caught, '/') + 1 : "");
        if (caught)
            passed++;
        else
            failed++;
    }
    for (size_t i = 0; i < fl.n; i++)
        free(fl.path[i]);
    printf("fl-tests: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
