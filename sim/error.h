/* error.h — error codes (one X-macro table) and the message buffer every
 * fallible call fills: "FILE: $.json.path: what was expected". */
#ifndef FL_ERROR_H
#define FL_ERROR_H

#include <stddef.h>

#define FL_ERRNO_MAP(X)                                   \
    X(OK,       0, "ok")                                  \
    X(CHECK,    1, "a check failed")                      \
    X(INPUT,    2, "bad input or usage")                  \
    X(UNKNOWN,  3, "unknown: a checker ran out of time")

typedef enum fl_exit {
#define FL_X_ENUM(name, code, text) FL_EXIT_##name = code,
    FL_ERRNO_MAP(FL_X_ENUM)
#undef FL_X_ENUM
} fl_exit;

const char *fl_exit_text(fl_exit code);

typedef struct fl_error {
    char msg[1024];
} fl_error;

/* Overwrites the message. Returns -1 so callers can `return fl_error_set(..)`. */
int fl_error_set(fl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Puts "prefix: " in front of the current message. Returns -1. */
int fl_error_prefix(fl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
