/* fuzz_trace.c — libFuzzer harness: the visualizer's trace reader
 * (viz/replay.c and viz/parse.c) on a whole trace file. */
#include <stdint.h>

#include "viz/replay.h"
#include "tests/fuzz/fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fl_error err = { { 0 } };
    viz_model *m = viz_replay_load(fuzz_file(data, size, "jsonl"), &err);
    viz_model_free(m);
    return 0;
}
