/* interaction.h — the interpreter of interaction test files
 * (tests/interaction/ALG/NAME.txt), in the style of etcd-io/raft's
 * datadriven tests: each case is one command, a line "----", the output it
 * must print, and a blank line. Commands drive a small cluster under
 * manual delivery (sim/manual.h):
 *
 *   boot ALG N|ROLE=N,ROLE=N [show=SCALAR,...] [PARAMS-JSON]
 *                              N servers (or the roles) + 1 client; the
 *                              named view scalars join the view lines
 *   tick N [KIND]              fire node N's earliest timer (of KIND)
 *   deliver [A->B] [KIND] [all]  deliver the first (or every) matching message
 *   drop [A->B] [KIND] [all]   lose it instead
 *   dup [A->B] [KIND] [all]    put a copy in flight (the network duplicates)
 *   stabilize                  deliver messages until none is left
 *   crash N [torn]   restart N   heal
 *   partition [0 1] [2]        nodes in no group are cut off from all; the
 *                              client joins the first group unless named
 *   request N read K | write K V | cas K OLD NEW    the client asks server N
 *   view N   views   log N   pending   scalars N (the view with every scalar)
 *
 * After an action the output lists the messages it put in flight, the
 * views that changed, dropped deliveries and any invariant violation;
 * "ok" if nothing. */
#ifndef FL_TESTS_INTERACTION_H
#define FL_TESTS_INTERACTION_H

#include <stdbool.h>
#include <stdio.h>

typedef struct fl_interaction_opts {
    const char *bugs_json;   /* JSON array put into params "bugs", or NULL */
    bool        rewrite;     /* write the actual output back into the file */
    FILE       *diff;        /* where mismatches are described, or NULL */
} fl_interaction_opts;

/* Runs one file. 1: every case printed what it expected; 0: some case
 * differed (described on opts->diff); -1: the file could not be run. */
int fl_interaction_run_file(const char *path, const fl_interaction_opts *opts);

#endif
