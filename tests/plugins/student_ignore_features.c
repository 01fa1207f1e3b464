/* student_ignore_features.c — a student who accepted every param the
 * suite sets but implemented none of the optional features: prevote,
 * check_quorum, snapshot_every and read are read past (the reference
 * never sees them), so the plug-in runs plain Raft with log reads. Its
 * validate still says yes, as the template's does. The feature checks
 * (raft.prevote, raft.check_quorum, raft.snapshot, raft.readindex) must
 * fail it in the tests that name those features. */
#include "tests/plugins/student_wrap.h"

static cJSON *without_features(const cJSON *params)
{
    cJSON *p = params && cJSON_IsObject(params) ? cJSON_Duplicate(params, true)
                                                : cJSON_CreateObject();
    if (!p)
        return NULL;
    static const char *const keys[] = { "prevote", "check_quorum",
                                        "snapshot_every", "read" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cJSON_DeleteItemFromObjectCaseSensitive(p, keys[i]);
    return p;
}

static int nf_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    cJSON *p = without_features(params);
    if (!p) {
        fl_log(ctx, "out of memory");
        return -1;
    }
    int rc = ref_init(ctx, state, p);
    cJSON_Delete(p);
    return rc;
}

STUDENT_ALGORITHM(nf_init, ref_start, ref_on_message, ref_validate);
