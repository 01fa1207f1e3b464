/* bad_abi.c — a plug-in built for another ABI: loading must fail clearly. */
#include "algorithms/algorithm.h"

static const fl_role roles[] = { { .name = "server" }, { .name = NULL } };

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION + 41,
    .struct_size = sizeof(fl_algorithm),
    .name = "kv-single",
    .roles = roles,
};
