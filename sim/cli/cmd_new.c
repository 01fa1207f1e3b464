/* cmd_new.c — `faultline new ALGO DIR`: write a student's skeleton
 * implementation from templates/: DIR/ALGO.c (every handler empty, the
 * ops table filled in), DIR/Makefile (from templates/student.mk; builds
 * DIR/ALGO.so with `pkg-config faultline`) and DIR/README.md. Placeholders in the templates:
 * @ALGO@, @FAULTLINE@ (this executable's path), @SCENARIOS@ (the scenario
 * folder it found) and @INCLUDEDIR@ (the folder holding this faultline's
 * own faultline/algorithm.h: include/ in a build tree, PREFIX/include when
 * installed; "" if neither), so a skeleton builds against the header of
 * the faultline that grades it, installed or not. Existing files are never
 * overwritten unless --force is given. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli/args.h"
#include "sim/cli/cli.h"
#include "sim/cli/datadir.h"
#include "sim/util/outfile.h"
#include "sim/util/file.h"

#define TEMPLATE_MAX ((size_t)1 << 20)

typedef struct new_opts {
    const char *algo, *dir, *templates;
    bool        force;
} new_opts;

typedef struct subst {
    const char *algo;
    char        faultline[4096];
    char        scenarios[4096];
    char        includedir[4096];
} subst;

static const fl_cli_opt new_options[] = {
    { "force", 'f', false }, { "templates", 0, true }, { NULL, 0, false },
};

static int new_option(void *ctx, const char *a, const char *v)
{
    new_opts *o = ctx;
    if (strcmp(a, "--force") == 0)
        o->force = true;
    else if (strcmp(a, "--templates") == 0)
        o->templates = v;
    else
        return fl_cli_usage_error("new", "unknown option %s", a);
    return 0;
}

static int new_operand(void *ctx, const char *a)
{
    new_opts *o = ctx;
    if (!o->algo)
        o->algo = a;
    else if (!o->dir)
        o->dir = a;
    else
        return fl_cli_usage_error("new", "unexpected argument \"%s\"", a);
    return 0;
}

/* 0, FL_CLI_DONE (--help or --version printed) or an exit status. */
static int parse_args(int argc, char **argv, new_opts *o)
{
    memset(o, 0, sizeof *o);
    int rc = fl_cli_parse(&fl_cmd_new_entry, argc, argv, new_options, new_option,
                          new_operand, o);
    if (rc != 0)
        return rc;
    if (!o->algo || !o->dir)
        return fl_cli_usage_error("new", "expected an algorithm and a folder: "
                                  "faultline new raft my-raft");
    if (strchr(o->algo, '/') || o->algo[0] == '.')
        return fl_cli_usage_error("new", "\"%s\": expected an algorithm name", o->algo);
    if (strcmp(o->algo, "paxos") == 0)
        return fl_cli_usage_error("new", "paxos: the built-in paxos is single-decree "
                                  "Paxos, and there is no single-decree template; the "
                                  "Paxos template is Multi-Paxos (what the built-in "
                                  "multipaxos and scenarios/paxos/suite.json are): "
                                  "faultline new multipaxos %s", o->dir);
    return 0;
}

static char *read_template(const char *path)
{
    char *buf;
    size_t len;
    fl_file_rc rc = fl_file_read_all(path, TEMPLATE_MAX, &buf, &len);
    if (rc == FL_FILE_OPEN)
        fprintf(stderr, "faultline: %s: cannot read the template: %s\n", path,
                strerror(errno));
    else if (rc != FL_FILE_OK)
        fprintf(stderr, "faultline: %s: cannot read the template\n", path);
    return rc == FL_FILE_OK ? buf : NULL;
}

/* Writes `text` with the placeholders replaced. */
static void put_substituted(FILE *out, const char *text, const subst *s)
{
    static const char *const keys[] = { "@ALGO@", "@FAULTLINE@", "@SCENARIOS@",
                                        "@INCLUDEDIR@" };
    const char *vals[] = { s->algo, s->faultline, s->scenarios, s->includedir };
    enum { NKEYS = sizeof keys / sizeof keys[0] };
    while (*text) {
        size_t k = 0;
        while (k < NKEYS && strncmp(text, keys[k], strlen(keys[k])) != 0)
            k++;
        if (k < NKEYS) {
            fputs(vals[k], out);
            text += strlen(keys[k]);
        } else {
            fputc(*text++, out);
        }
    }
}

static int write_one(const char *src, const char *dst, const subst *s)
{
    char *text = read_template(src);
    if (!text)
        return 2;
    fl_outfile o;
    int rc = fl_outfile_open(&o, dst);
    if (rc == 0) {
        put_substituted(o.fp, text, s);
        rc = fl_outfile_close(&o, true);
    }
    free(text);
    return rc == 0 ? 0 : 2;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The templates folder: --templates, else templates/ where faultline's
 * shipped files are. */
static int find_templates(const new_opts *o, char *out, size_t len)
{
    if (o->templates)
        snprintf(out, len, "%s", o->templates);
    else if (!fl_datadir_find("templates", out, len))
        return fl_cli_usage_error("new", "no templates/ folder here or next to the faultline "
                                  "executable; pass --templates DIR");
    char algo_dir[4200];
    snprintf(algo_dir, sizeof algo_dir, "%s/%s", out, o->algo);
    if (!is_dir(algo_dir))
        return fl_cli_usage_error("new", "%s: no template for \"%s\" (there are: raft, "
                                  "multipaxos, lock, counter, sort, shardkv)", algo_dir,
                                  o->algo);
    return 0;
}

static int make_dir(const new_opts *o, const char *const *names, size_t n)
{
    if (mkdir(o->dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "faultline: %s: cannot create the folder: %s\n", o->dir, strerror(errno));
        return 2;
    }
    if (!is_dir(o->dir)) {
        fprintf(stderr, "faultline: %s: exists and is not a folder\n", o->dir);
        return 2;
    }
    for (size_t i = 0; i < n && !o->force; i++) {
        char p[4200];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", o->dir, names[i]);
        if (stat(p, &st) == 0) {
            fprintf(stderr, "faultline: %s: already exists; not overwriting it (--force "
                            "would)\n", p);
            return 2;
        }
    }
    return 0;
}

/* The include folder of this faultline: `include` beside the executable
 * (a build tree makes include/faultline/algorithm.h), else `../include`
 * (an installed one); "" if neither holds the header. */
static void find_includedir(char *out, size_t len)
{
    static const char *const rel[] = { "include", "../include" };
    char self[4096];
    out[0] = '\0';
    fl_datadir_self(self, sizeof self);
    char *slash = strrchr(self, '/');
    if (!slash)
        return;
    *slash = '\0';
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char dir[4200], hdr[4300], real[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/%s", self, rel[i]);
        snprintf(hdr, sizeof hdr, "%s/faultline/algorithm.h", dir);
        if (access(hdr, R_OK) == 0 && realpath(dir, real)) {
            snprintf(out, len, "%s", real);
            return;
        }
    }
}

int fl_cmd_new(int argc, char **argv)
{
    new_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return fl_cli_status(rc);
    char tdir[4096];
    if ((rc = find_templates(&o, tdir, sizeof tdir)) != 0)
        return rc;
    char cfile[128];
    snprintf(cfile, sizeof cfile, "%s.c", o.algo);
    const char *names[] = { cfile, "Makefile", "README.md" };
    if ((rc = make_dir(&o, names, 3)) != 0)
        return rc;
    subst s = { .algo = o.algo };
    fl_datadir_self(s.faultline, sizeof s.faultline);
    find_includedir(s.includedir, sizeof s.includedir);
    char scen[4096];
    if (fl_datadir_find("scenarios", scen, sizeof scen) && !realpath(scen, s.scenarios))
        snprintf(s.scenarios, sizeof s.scenarios, "%s", scen);
    else if (!s.scenarios[0])
        snprintf(s.scenarios, sizeof s.scenarios, "scenarios");
    char src[3][4400], dst[3][4400];
    snprintf(src[0], sizeof src[0], "%s/%s/%s", tdir, o.algo, cfile);
    snprintf(src[1], sizeof src[1], "%s/student.mk", tdir);
    snprintf(src[2], sizeof src[2], "%s/%s/README.md", tdir, o.algo);
    for (int i = 0; i < 3 && rc == 0; i++) {
        snprintf(dst[i], sizeof dst[i], "%s/%s", o.dir, names[i]);
        rc = write_one(src[i], dst[i], &s);
    }
    if (rc != 0)
        return rc;
    printf("wrote %s, %s and %s\n", dst[0], dst[1], dst[2]);
    printf("next: cd %s && make && make grade\n", o.dir);
    if (!s.includedir[0])
        printf("(this faultline has no faultline/algorithm.h beside it: make needs "
               "`pkg-config faultline` or FAULTLINE_CFLAGS; see the Makefile)\n");
    return 0;
}

/* ---- The command-table entry: `faultline help new` and `faultline new --help`
 * print this text; faultline.1 and README.md quote it. */

static const char usage_text[] =
    "usage: faultline new ALGORITHM DIR [--force] [--templates TDIR]\n"
    "\n"
    "Writes DIR/ALGORITHM.c (the plug-in's ops table with every handler empty:\n"
    "it builds, loads and fails the suite honestly), DIR/Makefile (builds\n"
    "DIR/ALGORITHM.so against this faultline's <faultline/algorithm.h>: its\n"
    "build tree's include/ or PREFIX/include, else `pkg-config faultline`;\n"
    "`make grade` grades it) and DIR/README.md (what to do, what is checked,\n"
    "hints). ALGORITHM is one of raft, multipaxos, lock, counter, sort,\n"
    "shardkv. multipaxos is Multi-Paxos, graded by scenarios/paxos/suite.json;\n"
    "there is no template for the single-decree built-in paxos (`new paxos`\n"
    "says so and exits 2).\n"
    "Existing files are not overwritten unless --force. The templates come from\n"
    "templates/ here, next to the faultline executable or in\n"
    "PREFIX/share/faultline, or from --templates TDIR.\n"
    "\n"
    "exit status: 0 written, 2 bad usage or a file that could not be written\n";

const fl_command fl_cmd_new_entry = {
    "new", "write a skeleton implementation for a student", usage_text, fl_cmd_new, NULL, true,
};
