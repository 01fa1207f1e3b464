/* grade.h — the results of grading one implementation against a suite,
 * and the three ways they are reported: a table for people (with the
 * command that reproduces each failure), Gradescope's results.json and
 * JUnit XML. cmd_grade.c fills an fl_grade; grade_report.c writes it. */
#ifndef FL_GRADE_H
#define FL_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "sim/batch/outcome.h"
#include "sim/batch/suite.h"

typedef struct fl_grade_test {
    size_t first_run;        /* index of its first run in fl_grade.runs */
    size_t passed, failed;
    double score;
    double wall_s;           /* sum over its runs */
} fl_grade_test;

typedef struct fl_grade {
    const fl_suite *suite;
    const char     *impl;        /* as given to --impl; NULL: built in */
    bool            twice;       /* every run was run twice (determinism) */
    unsigned        jobs;
    size_t          nruns;
    fl_outcome     *runs;        /* test by test, seed by seed */
    fl_grade_test  *tests;       /* one per suite test */
    double          score, max_score;
    double          elapsed_s;
    time_t          started;     /* wall clock at the start (JUnit timestamp) */
    char            load_error[600]; /* the plug-in could not be loaded */
} fl_grade;

/* Fills the per-test tallies and the total from `runs`. */
void fl_grade_score(fl_grade *g);
/* The seed of run `r` of test `t` (0-based within the test). */
uint64_t fl_grade_seed(const fl_grade *g, size_t t, size_t r);
/* The command that reproduces run `r` of test `t`. */
void fl_grade_repro(const fl_grade *g, size_t t, size_t r, char *buf, size_t len);

/* The table; `verbose` lists every failing seed, else the first three. */
void fl_grade_print_table(const fl_grade *g, FILE *out, bool verbose);
/* Gradescope's results.json exactly as its autograder specification
 * documents it (docs/gradescope-results.schema.json): score,
 * execution_time in whole seconds, output, visibility, stdout_visibility,
 * extra_data (suite, implementation, max_score, runs) and one test per
 * suite test (name, number, score, max_score, status, output, visibility). */
int  fl_grade_write_gradescope(const fl_grade *g, FILE *out);
/* JUnit XML as Jenkins / Ant read it (docs/junit.xsd): a test whose runs
 * failed a check is a <failure>; one with a run that crashed, hit a
 * limit, could not be loaded or could not be judged is an <error>; every
 * testcase has its <system-out>; the testsuite has a timestamp, the
 * hostname, properties and its own system-out / system-err. */
int  fl_grade_write_junit(const fl_grade *g, FILE *out);

#endif
