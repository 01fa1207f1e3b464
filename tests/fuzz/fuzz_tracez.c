/* fuzz_tracez.c — libFuzzer harness: the compact trace's record decoder
 * (sim/trace_compact.c) and the JSON lines it makes (sim/traceio.c). The
 * input is the decompressed stream; the harness compresses it into a zstd
 * frame first, so the mutations reach the records instead of failing the
 * frame's checksum. */
#include <stdint.h>
#include <stdlib.h>

#include <zstd.h>

#include "sim/traceio.h"
#include "tests/fuzz/fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cap = ZSTD_compressBound(size);
    void *z = malloc(cap);
    if (!z)
        return 0;
    size_t n = ZSTD_compress(z, cap, data, size, 1);
    if (ZSTD_isError(n)) {
        free(z);
        return 0;
    }
    const char *path = fuzz_file(z, n, "fltrace");
    free(z);
    fl_error err = { { 0 } };
    fl_trace_reader *r = fl_trace_reader_open(path, &err);
    const char *line;
    size_t len;
    while (r && fl_trace_reader_next(r, &line, &len, &err) == 1)
        ;
    fl_trace_reader_close(r);
    return 0;
}
