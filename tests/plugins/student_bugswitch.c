/* student_bugswitch.c — the reference Raft with one of its bug switches
 * always on, as if a student had made that mistake: built once per switch
 * with -DSTUDENT_BUG='"no-persist"' (tests/grade.mk). Every node's params
 * get "bugs": [STUDENT_BUG] added before the reference parses them. */
#include <stdio.h>
#include <string.h>

#include "tests/plugins/student_wrap.h"

#ifndef STUDENT_BUG
#error "build with -DSTUDENT_BUG='\"name-of-a-raft-bug-switch\"'"
#endif

/* A copy of `params` with the bug switch added (NULL: out of memory). */
static cJSON *with_bug(const cJSON *params)
{
    cJSON *p = params && cJSON_IsObject(params) ? cJSON_Duplicate(params, true)
                                                : cJSON_CreateObject();
    if (!p)
        return NULL;
    cJSON_DeleteItemFromObjectCaseSensitive(p, "bugs");
    const char *bugs[] = { STUDENT_BUG };
    cJSON *arr = cJSON_CreateStringArray(bugs, 1);
    if (!arr || !cJSON_AddItemToObject(p, "bugs", arr)) {
        cJSON_Delete(arr);
        cJSON_Delete(p);
        return NULL;
    }
    return p;
}

static int bug_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    cJSON *p = with_bug(params);
    if (!p) {
        fl_log(ctx, "out of memory");
        return -1;
    }
    int rc = ref_init(ctx, state, p);
    cJSON_Delete(p);
    return rc;
}

static int bug_validate(const cJSON *params, char *err, size_t errlen)
{
    cJSON *p = with_bug(params);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = ref_validate(p, err, errlen);
    cJSON_Delete(p);
    return rc;
}

STUDENT_ALGORITHM(bug_init, ref_start, ref_on_message, bug_validate);
