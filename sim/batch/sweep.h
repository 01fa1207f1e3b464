/* sweep.h — the per-seed CSV of a seed sweep (`faultline explore --csv`)
 * and reading it back (`faultline merge`). One row per seed:
 *
 *   seed,result,check,trace_hash,events,ops_ok,ops_fail,ops_info,sim_ms,
 *   wall_ms,scenario,duration_ms,impl,detail
 *
 * result is fl_outcome_kind_name ("pass", "fail", "crash", ...), check the
 * failed check's name ("" on pass), duration_ms -1 for the scenario's own,
 * impl "" for the built-in algorithm. Fields with commas or quotes are
 * quoted as RFC 4180 says; no field holds a newline. */
#ifndef FL_SWEEP_H
#define FL_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/error.h"
#include "sim/batch/outcome.h"

#define FL_SWEEP_HEADER "seed,result,check,trace_hash,events,ops_ok,ops_fail,ops_info," \
                        "sim_ms,wall_ms,scenario,duration_ms,impl,detail"

typedef struct fl_sweep_row {
    uint64_t        seed;
    fl_outcome_kind kind;
    char            check[64];
    uint64_t        hash;
    uint64_t        events, ops_ok, ops_fail, ops_info;
    double          sim_ms, wall_ms;
    const char     *scenario;     /* interned by the reader; borrowed by the writer */
    int64_t         duration_ms;
    const char     *impl;         /* "" for built in */
    char           *detail;       /* NULL when empty (reader: malloc'd) */
} fl_sweep_row;

void fl_sweep_write_header(FILE *out);
void fl_sweep_write_row(FILE *out, const fl_sweep_row *r);
/* A row from an outcome (strings borrowed from `o` and the arguments). */
void fl_sweep_row_from(fl_sweep_row *r, uint64_t seed, const fl_outcome *o,
                       const char *scenario, int64_t duration_ms, const char *impl);

/* All rows of the CSVs read so far; strings owned here. */
typedef struct fl_sweep_set {
    fl_sweep_row *rows;
    size_t        n, cap;
    char        **strings;        /* interned scenario / impl names */
    size_t        nstrings;
} fl_sweep_set;

/* Appends the rows of `path`; -1 with "PATH: line N: what" on bad input. */
int  fl_sweep_read(fl_sweep_set *set, const char *path, fl_error *err);
void fl_sweep_set_free(fl_sweep_set *set);

#endif
