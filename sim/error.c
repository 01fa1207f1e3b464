/* error.c — the error buffer and the exit-code table. */
#include "sim/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *fl_exit_text(fl_exit code)
{
    switch (code) {
#define FL_X_CASE(name, c, text) case FL_EXIT_##name: return text;
        FL_ERRNO_MAP(FL_X_CASE)
#undef FL_X_CASE
    }
    return "?";
}

int fl_error_set(fl_error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int fl_error_prefix(fl_error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char head[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    char old[sizeof err->msg];
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", head, old);
    return -1;
}
