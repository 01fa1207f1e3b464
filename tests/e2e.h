/* e2e.h — end-to-end helpers shared by the algorithm suites: run the
 * faultline binary on a scenario and read its summary, list an algorithm's
 * scenario files, and read or rewrite a scenario's declared bug. */
#ifndef FL_TESTS_E2E_H
#define FL_TESTS_E2E_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

typedef struct fl_e2e_out {
    int      status;            /* exit status; -1 if it did not exit */
    uint64_t hash;              /* from the verdict line; 0 if absent */
    char     violated[80];      /* first "violated: NAME" */
    bool     invariants_held;
    bool     caught;            /* "expected violation X: caught" */
} fl_e2e_out;

/* The faultline binary under test: $FL_FAULTLINE, else ./faultline. */
const char *fl_e2e_binary(void);

/* `faultline run FILE [--seed S] [EXTRA]` (seed 0: the file's). The binary
 * is $FL_FAULTLINE, else ./faultline. 0, or -1 if it could not start. */
int fl_e2e_run(const char *file, uint64_t seed, const char *extra,
               fl_e2e_out *o);

/* The scenario files of scenarios/ALG/SUB ("" or "/bugs") under the source
 * tree, sorted, without suite.json; NULL-terminated; free with
 * fl_e2e_free. NULL if the folder is missing. */
char **fl_e2e_list(const char *alg, const char *sub);
void   fl_e2e_free(char **names);

/* The parsed file (NULL if unreadable); free with cJSON_Delete. */
cJSON *fl_e2e_load(const char *file);
/* The check a bug scenario declares in expect.violation. */
bool fl_e2e_declared(const char *file, char *out, size_t len);
/* Writes FILE without params.bugs and expect.violation to a temporary
 * file named in `out` (remove it after use). False if FILE had no bugs. */
bool fl_e2e_without_bugs(const char *file, char *out, size_t len);

/* CUnit checks over a whole folder. Every scenario outside bugs/ passes on
 * seeds 1..SEEDS (returns how many files); every bug scenario fails with
 * exactly its declared check on seeds 0..SEEDS (returns how many); each
 * passes with its switches off; the same seed gives the same hash, another
 * seed another. */
size_t fl_e2e_check_pass(const char *alg, uint64_t seeds);
size_t fl_e2e_check_bugs(const char *alg, uint64_t seeds);
void   fl_e2e_check_bugs_off(const char *alg, uint64_t seeds);
void   fl_e2e_check_deterministic(const char *alg);

#endif
