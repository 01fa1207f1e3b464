/* kv_plugin.c — the built-in kv-single algorithm, built as a plug-in, so
 * tests can check that --impl runs it to the very same trace hash. */
#include "algorithms/kv/kv.c"

FL_EXPORT const fl_algorithm fl_algorithm_entry = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "kv-single",
    .description = "kv-single, loaded as a plug-in",
    .roles = kv_roles,
    .validate = kv_validate,
};
