/* student_wrap.h — shared by the student-style plug-ins used to prove that
 * `faultline grade` grades honestly (tests/test_grade.sh). Each of them is
 * the reference Raft (algorithms/raft, linked in as PIC objects) plus one
 * hand-written mistake of the kind students make, placed around the
 * reference's handlers. This header gives them the reference's handlers
 * to call and a macro for the exported table; a plug-in defines the
 * handlers it changes and takes the reference's for the rest. */
#ifndef FL_TESTS_STUDENT_WRAP_H
#define FL_TESTS_STUDENT_WRAP_H

#include "algorithms/algorithm.h"
#include "algorithms/raft/raft.h"
#include "algorithms/raft/raft_table.h"

#define REF (&raft_roles[0])

static inline int ref_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    return REF->init(ctx, state, params);
}

static inline void ref_start(fl_ctx *ctx, void *state, bool recovering)
{
    REF->start(ctx, state, recovering);
}

static inline void ref_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                                  const void *msg, size_t len)
{
    REF->on_message(ctx, state, from, msg, len);
}

static inline void ref_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                                uint64_t cookie)
{
    REF->on_timer(ctx, state, kind, cookie);
}

static inline void ref_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    REF->on_request(ctx, state, req);
}

static inline void ref_inspect(const void *state, fl_view *view)
{
    REF->inspect(state, view);
}

static inline bool ref_inspect_entry(const void *state, int64_t index, fl_view_entry *out)
{
    return REF->inspect_entry(state, index, out);
}

static inline void ref_destroy(void *state)
{
    REF->destroy(state);
}

static inline int ref_validate(const cJSON *params, char *err, size_t errlen)
{
    return raft_validate(params, err, errlen);
}

/* The exported table with the given handlers. */
#define STUDENT_ALGORITHM(init_, start_, on_message_, validate_)               \
    static const fl_role student_roles[] = {                                   \
        { .name = "server", .state_size = sizeof(raft_node), .init = init_,    \
          .start = start_, .on_message = on_message_, .on_timer = ref_on_timer, \
          .on_request = ref_on_request, .inspect = ref_inspect,                \
          .inspect_entry = ref_inspect_entry, .destroy = ref_destroy },        \
        { .name = NULL },                                                      \
    };                                                                         \
    FL_EXPORT const fl_algorithm fl_algorithm_entry = {                        \
        .abi_version = FL_ABI_VERSION, .struct_size = sizeof(fl_algorithm),    \
        .name = "raft", .description = "a student's Raft (test plug-in)",      \
        .roles = student_roles, .validate = validate_,                         \
        .describe = raft_describe,                                             \
    }

#endif
