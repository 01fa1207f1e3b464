/* models.c — the registry of linearizability models, by name, and the
 * small helpers the models share. Adding a model is one line here. */
#include "sim/check/model.h"

#include <string.h>

static const fl_model *const fl_model_table[] = {
    &fl_model_register,
    &fl_model_kv,
    &fl_model_lock,
    &fl_model_counter,
    &fl_model_set,
    &fl_model_cas_register,
    &fl_model_multi_register,
    &fl_model_mutex,
};

#define FL_MODEL_COUNT (sizeof fl_model_table / sizeof fl_model_table[0])

const fl_model *fl_model_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < FL_MODEL_COUNT; i++)
        if (strcmp(fl_model_table[i]->name, name) == 0)
            return fl_model_table[i];
    return NULL;
}

const fl_model *const *fl_models(size_t *n)
{
    *n = FL_MODEL_COUNT;
    return fl_model_table;
}

const fl_lin_val *fl_model_partition_by_key(const fl_lin_op *op)
{
    return &op->key;
}

void fl_model_keep(fl_lin_state st, fl_lin_buf *out)
{
    fl_lin_buf_put(out, st.data, st.len);
}

int64_t fl_model_i64(fl_lin_state st, size_t at)
{
    int64_t v = 0;
    if (at + sizeof v <= st.len)
        memcpy(&v, st.data + at, sizeof v);
    return v;
}

bool fl_model_reads_only(const fl_lin_op *op)
{
    return op->kind == FL_LIN_READ;
}
