/* fuzz_suite.c — libFuzzer harness: the suite loader (the scenarios a
 * suite names are read from the source tree, FL_FUZZ_ROOT or "."). */
#include <stdint.h>

#include "sim/batch/suite.h"
#include "tests/fuzz/fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fl_error err = { { 0 } };
    fl_suite *s = fl_suite_load(fuzz_file(data, size, "json"), &err);
    if (s) {
        (void)fl_suite_select(s, "basic,leader-crash", &err);
        fl_suite_free(s);
    }
    return 0;
}
