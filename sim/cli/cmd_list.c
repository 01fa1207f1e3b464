/* cmd_list.c — `faultline list`: the built-in algorithms, then every
 * scenario and grading suite of a folder (default: the shipped scenarios,
 * found by sim/cli/datadir.h), folder by folder, descriptions wrapped. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/batch/suite.h"
#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/cli/datadir.h"
#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"

enum { NAME_COL = 30 };

typedef struct list_opts {
    const char *dir;
    size_t      width;
    bool        full;        /* --long: whole descriptions */
} list_opts;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints `text` from column `col` on, wrapped at o->width, every further
 * line indented to `col`; `at` is the column the cursor is at. */
static void print_wrapped(const list_opts *o, size_t at, size_t col, const char *text)
{
    size_t width = o->width > col + 20 ? o->width : col + 20;
    for (; at < col; at++)
        putchar(' ');
    while (*text) {
        while (*text == ' ')
            text++;
        size_t room = width - col, n = strlen(text);
        if (n > room) {
            n = room;
            while (n > 0 && text[n] != ' ')
                n--;
            if (n == 0)      /* one word longer than the line */
                n = strcspn(text, " ");
        }
        fwrite(text, 1, n, stdout);
        putchar('\n');
        text += n;
        while (*text == ' ')
            text++;
        if (*text)
            printf("%*s", (int)col, "");
    }
}

/* The first sentence of `text` (up to ". "), unless --long. */
static void print_entry(const list_opts *o, const char *name, const char *text)
{
    char first[1024];
    const char *stop = text && !o->full ? strstr(text, ". ") : NULL;
    if (stop && (size_t)(stop - text) < sizeof first - 1) {
        memcpy(first, text, (size_t)(stop - text) + 1);
        first[stop - text + 1] = '\0';
        text = first;
    }
    printf("  %s", name);
    size_t at = 2 + strlen(name);
    if (at + 1 >= NAME_COL) {
        putchar('\n');
        at = 0;
    }
    print_wrapped(o, at, NAME_COL, text && *text ? text : "(no description)");
}

static void describe_suite(const list_opts *o, const char *path, const char *name)
{
    fl_error err;
    fl_suite *s = fl_suite_load(path, &err);
    char text[1400];
    if (!s) {
        snprintf(text, sizeof text, "grading suite that does not load: %s", err.msg);
    } else {
        snprintf(text, sizeof text, "grading suite \"%s\" for %s: %zu tests, %zu runs, "
                 "%g points. %.1000s", s->name, s->algorithm, s->ntests,
                 fl_suite_run_count(s), fl_suite_max_score(s), s->description);
        fl_suite_free(s);
    }
    print_entry(o, name, text);
}

static void describe_scenario(const list_opts *o, const char *path, const char *name)
{
    fl_error err;
    fl_scenario *s = fl_scenario_load(path, &err);
    if (!s) {
        char text[1200];
        const char *why = err.msg;
        size_t lp = strlen(path);   /* the name column already says which file */
        if (strncmp(why, path, lp) == 0 && strncmp(why + lp, ": ", 2) == 0)
            why += lp + 2;
        snprintf(text, sizeof text, "does not load: %s", why);
        print_entry(o, name, text);
        return;
    }
    print_entry(o, name, s->description ? s->description : s->name);
    fl_scenario_free(s);
}

static size_t read_names(const char *dir, char ***out)
{
    DIR *d = opendir(dir);
    *out = NULL;
    if (!d)
        return 0;
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
        if (!(names[n] = strdup(ent->d_name)))
            break;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);   /* stable, readable order */
    *out = names;
    return n;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t ls = strlen(s), lt = strlen(tail);
    return ls >= lt && strcmp(s + ls - lt, tail) == 0;
}

/* Lists the .json files of `dir` (shown as `shown`), then its folders. */
static void list_dir(const list_opts *o, const char *dir, const char *shown)
{
    char **names;
    size_t n = read_names(dir, &names);
    bool header = false;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            char path[8192], sub[8192];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            struct stat st;
            bool is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
            if (pass == 1 && is_dir) {
                snprintf(sub, sizeof sub, "%s%s/", shown, names[i]);
                list_dir(o, path, sub);
            } else if (pass == 0 && !is_dir && ends_with(names[i], ".json")) {
                if (!header) {
                    printf("\n%s\n", *shown ? shown : "./");
                    header = true;
                }
                if (fl_suite_sniff(path))
                    describe_suite(o, path, names[i]);
                else
                    describe_scenario(o, path, names[i]);
            }
        }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static const fl_cli_opt list_options[] = { { "long", 'l', false }, { NULL, 0, false } };

static int list_option(void *ctx, const char *a, const char *v)
{
    list_opts *o = ctx;
    (void)v;
    if (strcmp(a, "--long") != 0)
        return fl_cli_usage_error("list", "unknown option %s", a);
    o->full = true;
    return 0;
}

static int list_operand(void *ctx, const char *a)
{
    list_opts *o = ctx;
    if (o->dir)
        return fl_cli_usage_error("list", "expected one DIR, found another: \"%s\"", a);
    o->dir = a;
    return 0;
}

static size_t terminal_width(void)
{
    const char *c = getenv("COLUMNS");
    long w = c ? strtol(c, NULL, 10) : 0;
    return w >= 40 && w <= 1000 ? (size_t)w : 80;
}

int fl_cmd_list(int argc, char **argv)
{
    list_opts o = { NULL, terminal_width(), false };
    int rc = fl_cli_parse(&fl_cmd_list_entry, argc, argv, list_options, list_option,
                          list_operand, &o);
    if (rc != 0)
        return fl_cli_status(rc);
    char found[4096];
    const char *dir = o.dir;
    if (!dir) {
        if (!fl_datadir_find("scenarios", found, sizeof found)) {
            char tried[8192];
            fl_datadir_describe("scenarios", tried, sizeof tried);
            fprintf(stderr, "faultline: no shipped scenarios found (looked in %s); "
                            "give a DIR or set FAULTLINE_DATADIR\n", tried);
            return 2;
        }
        dir = found;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "faultline: %s: not a folder of scenarios\n", dir);
        return 2;
    }
    printf("algorithms:\n");
    for (size_t i = 0; fl_registry_at(i); i++)
        print_entry(&o, fl_registry_at(i)->name, fl_registry_at(i)->description);
    printf("\nscenarios and suites in %s:\n", dir);
    list_dir(&o, dir, "");
    return 0;
}

/* ---- The command-table entry: `faultline help list` and `faultline list --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline list [--long] [DIR]\n"
    "\n"
    "Prints the built-in algorithms, then every scenario and grading suite\n"
    "under DIR, folder by folder, with the first sentence of its description\n"
    "(--long: all of it) wrapped to the width of the terminal (COLUMNS,\n"
    "default 80). A file that does not load is listed with the reason. DIR defaults to the shipped scenarios: ./scenarios in a\n"
    "source checkout, else the one beside the executable (a build tree), else\n"
    "PREFIX/share/faultline/scenarios; FAULTLINE_DATADIR=D makes it\n"
    "D/scenarios.\n"
    "\n"
    "exit status: 0 listed, 2 DIR is not a folder or bad usage\n";

const fl_command fl_cmd_list_entry = {
    "list", "list built-in algorithms and shipped scenarios", usage_text, fl_cmd_list, NULL, true,
};
