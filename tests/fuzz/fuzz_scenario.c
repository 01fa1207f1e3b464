/* fuzz_scenario.c — libFuzzer harness: the scenario loader and binding
 * to the built-in algorithm the scenario names. */
#include <stdint.h>

#include "sim/run/registry.h"
#include "sim/scenario/scenario.h"
#include "tests/fuzz/fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fl_error err = { { 0 } };
    fl_scenario *s = fl_scenario_load(fuzz_file(data, size, "json"), &err);
    if (s) {
        const fl_algorithm *alg = fl_registry_find(s->algorithm);
        if (alg)
            (void)fl_scenario_bind(s, alg, &err);
        fl_scenario_free(s);
    }
    return 0;
}
