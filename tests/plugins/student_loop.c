/* student_loop.c — a student whose recovery code counts the records of the
 * log file before replaying them, and "skips" records with a checksum by
 * continuing the loop without advancing the offset. Every record has one,
 * so a node that restarts with a non-empty log loops forever: the test
 * hits its CPU-time limit. Runs without a restart are unaffected. */
#include <stdint.h>

#include "tests/plugins/student_wrap.h"

static uint64_t count_records(fl_ctx *ctx, const char *file)
{
    int64_t size = fl_disk_size(ctx, file);
    uint64_t off = 0, records = 0;
    while ((int64_t)off < size) {
        uint32_t hdr[2];            /* payload length, check */
        if (fl_disk_read(ctx, file, off, hdr, sizeof hdr) != (int64_t)sizeof hdr)
            break;
        records++;
        if (hdr[1] != 0)
            continue;               /* the bug: `off` is never advanced */
        off += sizeof hdr + hdr[0];
    }
    return records;
}

static void loop_start(fl_ctx *ctx, void *state, bool recovering)
{
    if (recovering)
        fl_log(ctx, "recovering %llu log records",
               (unsigned long long)count_records(ctx, "log.0"));
    ref_start(ctx, state, recovering);
}

STUDENT_ALGORITHM(ref_init, loop_start, ref_on_message, ref_validate);
