/* sweep.c — writing and reading a sweep's per-seed CSV (see sweep.h). */
#include "sim/batch/sweep.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SWEEP_FIELDS 14

/* A field, quoted if it has to be; newlines become spaces. */
static void put_field(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputs("\"\"", out);
        else
            fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
    }
    fputc('"', out);
}

void fl_sweep_write_header(FILE *out)
{
    fputs(FL_SWEEP_HEADER "\n", out);
}

void fl_sweep_write_row(FILE *out, const fl_sweep_row *r)
{
    fprintf(out, "%" PRIu64 ",%s,", r->seed, fl_outcome_kind_name(r->kind));
    put_field(out, r->check);
    fprintf(out, ",0x%016" PRIx64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
                 ",%.3f,%.3f,", r->hash, r->events, r->ops_ok, r->ops_fail, r->ops_info,
            r->sim_ms, r->wall_ms);
    put_field(out, r->scenario);
    fprintf(out, ",%" PRId64 ",", r->duration_ms);
    put_field(out, r->impl);
    fputc(',', out);
    put_field(out, r->detail);
    fputc('\n', out);
}

void fl_sweep_row_from(fl_sweep_row *r, uint64_t seed, const fl_outcome *o,
                       const char *scenario, int64_t duration_ms, const char *impl)
{
    memset(r, 0, sizeof *r);
    r->seed = seed;
    r->kind = o->kind;
    snprintf(r->check, sizeof r->check, "%s", o->check);
    r->hash = o->hash;
    r->events = o->events;
    r->ops_ok = o->ops_ok;
    r->ops_fail = o->ops_fail;
    r->ops_info = o->ops_info;
    r->sim_ms = (double)o->sim_end / 1e6;
    r->wall_ms = o->wall_s * 1e3;
    r->scenario = scenario;
    r->duration_ms = duration_ms;
    r->impl = impl ? impl : "";
    r->detail = o->kind == FL_OUT_PASS ? NULL : (char *)o->detail;
}

/* ---- Reading ------------------------------------------------------------------------ */

/* Splits one line into fields in place; returns the count or -1. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return -1;
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            for (;;) {
                if (!*p)
                    return -1;             /* unterminated quote */
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            *w = '\0';
            if (*p != ',' && *p)
                return -1;
        } else {
            f[n++] = p;
            p += strcspn(p, ",");
        }
        if (!*p)
            return n;
        *p++ = '\0';
    }
}

static const char *intern(fl_sweep_set *set, const char *s)
{
    for (size_t i = set->nstrings; i-- > 0;)
        if (strcmp(set->strings[i], s) == 0)
            return set->strings[i];
    char **grown = realloc(set->strings, (set->nstrings + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    set->strings = grown;
    if (!(set->strings[set->nstrings] = strdup(s)))
        return NULL;
    return set->strings[set->nstrings++];
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    *out = (uint64_t)v;
    return !errno && !*end;
}

static bool parse_num(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return *s && !*end;
}

static int parse_row(fl_sweep_set *set, char **f, fl_sweep_row *r)
{
    memset(r, 0, sizeof *r);
    long long dur;
    char *end;
    if (!parse_u64(f[0], &r->seed))
        return 0;
    if (!fl_outcome_kind_parse(f[1], &r->kind))
        return 1;
    snprintf(r->check, sizeof r->check, "%s", f[2]);
    if (!parse_u64(f[3], &r->hash) || !parse_u64(f[4], &r->events) ||
        !parse_u64(f[5], &r->ops_ok) || !parse_u64(f[6], &r->ops_fail) ||
        !parse_u64(f[7], &r->ops_info))
        return 3;
    if (!parse_num(f[8], &r->sim_ms) || !parse_num(f[9], &r->wall_ms))
        return 8;
    dur = strtoll(f[11], &end, 10);
    if (!*f[11] || *end)
        return 11;
    r->duration_ms = dur;
    r->scenario = intern(set, f[10]);
    r->impl = intern(set, f[12]);
    r->detail = f[13][0] ? strdup(f[13]) : NULL;
    if (!r->scenario || !r->impl || (f[13][0] && !r->detail))
        return 99;
    return -1;
}

static int add_row(fl_sweep_set *set, const fl_sweep_row *r)
{
    if (set->n == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 256;
        fl_sweep_row *rows = realloc(set->rows, cap * sizeof *rows);
        if (!rows)
            return -1;
        set->rows = rows;
        set->cap = cap;
    }
    set->rows[set->n++] = *r;
    return 0;
}

static const char *const field_names[SWEEP_FIELDS] = {
    "seed", "result", "check", "trace_hash", "events", "ops_ok", "ops_fail", "ops_info",
    "sim_ms", "wall_ms", "scenario", "duration_ms", "impl", "detail",
};

static int read_lines(fl_sweep_set *set, FILE *f, const char *path, fl_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    uint64_t lineno = 0;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1) {
            if (strcmp(line, FL_SWEEP_HEADER) != 0)
                rc = fl_error_set(err, "%s: line 1: expected the header \"%s\" (a CSV written "
                                  "by faultline explore --csv)", path, FL_SWEEP_HEADER);
            continue;
        }
        if (len == 0)
            continue;
        char *fields[SWEEP_FIELDS];
        fl_sweep_row r;
        int n = split(line, fields, SWEEP_FIELDS);
        int bad = n == SWEEP_FIELDS ? parse_row(set, fields, &r) : -2;
        if (bad == -2)
            rc = fl_error_set(err, "%s: line %" PRIu64 ": expected %d comma-separated fields",
                              path, lineno, SWEEP_FIELDS);
        else if (bad == 99 || (bad == -1 && add_row(set, &r) != 0))
            rc = fl_error_set(err, "%s: out of memory", path);
        else if (bad >= 0)
            rc = fl_error_set(err, "%s: line %" PRIu64 ": %s: unexpected value \"%.40s\"",
                              path, lineno, field_names[bad], fields[bad]);
        if (rc != 0 && bad == -1)
            free(r.detail);
    }
    if (rc == 0 && lineno == 0)
        rc = fl_error_set(err, "%s: empty file (expected a CSV written by faultline explore "
                          "--csv)", path);
    free(line);
    return rc;
}

int fl_sweep_read(fl_sweep_set *set, const char *path, fl_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fl_error_set(err, "%s: cannot read: %s", path, strerror(errno));
    int rc = read_lines(set, f, path, err);
    if (rc == 0 && ferror(f))
        rc = fl_error_set(err, "%s: read error", path);
    fclose(f);
    return rc;
}

void fl_sweep_set_free(fl_sweep_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->rows[i].detail);
    for (size_t i = 0; i < set->nstrings; i++)
        free(set->strings[i]);
    free(set->rows);
    free(set->strings);
    memset(set, 0, sizeof *set);
}
