/* fuzz_history.c — libFuzzer harness: every history reader, through the
 * checker's door (sim/check/hist_read.h): the first byte picks the format
 * (auto, JSON Lines, Jepsen etcd log, EDN), the rest is the text. */
#include <stdint.h>

#include "sim/check/hist_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const fl_hist_format fmts[] = { FL_HFMT_AUTO, FL_HFMT_JSONL, FL_HFMT_ETCD,
                                           FL_HFMT_EDN };
    fl_hist_format fmt = fmts[data[0] % 4];
    fl_lin_history h;
    fl_hist_format found;
    fl_error err = { { 0 } };
    if (fl_hist_read_text("fuzz", (const char *)data + 1, size - 1, fmt, &h, &found,
                          &err) == 0)
        (void)fl_hist_guess_model(&h);
    fl_lin_history_free(&h);
    return 0;
}
