/* exp_hashing.h — the consistent-hashing and load-balancing experiments of
 * `faultline experiment` (issue 21). The dispatcher in cmd_experiment.c
 * hands them every experiment whose name they claim. */
#ifndef FL_EXP_HASHING_H
#define FL_EXP_HASHING_H

#include <stdbool.h>

/* True if `name` is one of these experiments. */
bool fl_exp_hashing_claims(const char *name);
/* `faultline experiment consistent-hashing|load-balancing [--trials N]
 * [--out DIR]`: 0 written, 2 bad usage or an unwritable file. */
int  fl_exp_hashing_main(int argc, char **argv);

#endif
