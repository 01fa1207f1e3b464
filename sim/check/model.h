/* model.h — sequential specifications for the linearizability checker, as
 * tables of functions (the shape of redis's dictType). A model state is a
 * string of bytes the model writes itself; the checker interns states, so
 * it compares and hashes them — bytewise unless the model supplies `equal`
 * and `hash` — and never frees or copies them behind the model's back.
 *
 * Adding a model: one file model_NAME.c defining `const fl_model
 * fl_model_NAME`, plus one line in the table in models.c. */
#ifndef FL_CHECK_MODEL_H
#define FL_CHECK_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/check/linop.h"
#include "sim/error.h"

/* A state: bytes owned by the checker, valid during the call. */
typedef struct fl_lin_state {
    const unsigned char *data;
    size_t               len;
} fl_lin_state;

typedef struct fl_model {
    const char *name;            /* "register" */
    const char *summary;         /* one line for --help */

    /* Writes the initial state of every partition into `out`. `init` is
     * the user's --init value, or NULL for the model's default; `h` lets
     * the default depend on the history (kv: "" when values are strings).
     * Returns 0, or -1 with a message in err. */
    int  (*init)(const fl_lin_val *init, const fl_lin_history *h,
                 fl_lin_buf *out, fl_error *err);

    /* NULL if the model can check `op`, else why not ("the register model
     * has no append"). The checker asks for every op before searching. */
    const char *(*accepts)(const fl_lin_op *op);

    /* Applies `op` in state `st`: false if its result (op->out) cannot be
     * seen from `st`, else true with the next state written to `out` (an
     * empty buffer). An INFO op has out NONE: any result is acceptable, and
     * the op is also allowed never to happen — the checker handles that.
     * It must be a pure function of the state and the op's kind, key, arg
     * and out (not its process or times): the checker memoizes steps and
     * treats ops equal in those fields as interchangeable. */
    bool (*step)(fl_lin_state st, const fl_lin_op *op, fl_lin_buf *out);

    /* Optional (NULL = compare / hash the bytes): for models whose equal
     * states may have different bytes. Must agree with each other. */
    bool     (*equal)(fl_lin_state a, fl_lin_state b);
    uint64_t (*hash)(fl_lin_state a);

    /* Optional: true if `op` never changes the state wherever the model
     * accepts it (reads; a CAS that returned false). The checker then
     * linearizes it as soon as it fits, without trying other orders: any
     * linearization can be rearranged to do so. NULL = no such ops. */
    bool (*read_only)(const fl_lin_op *op);

    /* Optional: true if `op` is blind — every state accepts it and it
     * leads to the same next state whatever the state was (a write). The
     * checker then knows without stepping that such an op never depends
     * on an earlier one. NULL = no such ops. */
    bool (*blind)(const fl_lin_op *op);

    /* Optional: false when the read-only op `r`, which does not fit
     * `st`, can never fit after `st` whatever ops of avail[0..n) take
     * effect, in any order, each at most once; true when it might (or the
     * model cannot tell). The checker passes the ops that are neither
     * linearized nor read-only and are called before r returns — the only
     * ones that can take effect before r — and abandons the configuration
     * at once when a pending read has become impossible, rather than when
     * the read's return is reached: for appends, a wrong order of two
     * appends is dropped at the first read that saw the right order. NULL
     * = always true. */
    bool (*may_fit)(fl_lin_state st, const fl_lin_op *r,
                    const fl_lin_op *const *avail, size_t n);

    /* A readable state, truncated to fit ("3", "\"x 0 y\"", "held by
     * token 7"). */
    void (*describe)(fl_lin_state st, char *buf, size_t len);

    /* Optional: the value that splits the history into independent
     * partitions (P-compositionality), usually the op's key; NULL = one
     * partition. Ops with equal values share a partition. */
    const fl_lin_val *(*partition)(const fl_lin_op *op);
} fl_model;

/* ---- the registry (models.c) --------------------------------------------- */

const fl_model *fl_model_find(const char *name);
/* All models, in table order; *n receives the count. */
const fl_model *const *fl_models(size_t *n);

/* The models themselves, one file each. */
extern const fl_model fl_model_register;
extern const fl_model fl_model_kv;
extern const fl_model fl_model_lock;
extern const fl_model fl_model_counter;
extern const fl_model fl_model_set;
extern const fl_model fl_model_cas_register;
extern const fl_model fl_model_mutex;
extern const fl_model fl_model_multi_register;

/* ---- helpers shared by the models (models.c) -------------------------------- */

/* The key of an op, for `partition`. */
const fl_lin_val *fl_model_partition_by_key(const fl_lin_op *op);
/* Copies the state unchanged into out (reads). */
void fl_model_keep(fl_lin_state st, fl_lin_buf *out);
/* Reads the int64 at byte offset `at` of a state. */
int64_t fl_model_i64(fl_lin_state st, size_t at);

/* true for reads: for models whose only read-only op is READ. */
bool fl_model_reads_only(const fl_lin_op *op);

/* The register's functions (model_register.c), which kv extends. */
bool        fl_model_register_step(fl_lin_state st, const fl_lin_op *op,
                                   fl_lin_buf *out);
const char *fl_model_register_accepts(const fl_lin_op *op);
bool        fl_model_register_blind(const fl_lin_op *op);
bool        fl_model_register_read_only(const fl_lin_op *op);
void        fl_model_register_describe(fl_lin_state st, char *buf,
                                       size_t len);
bool        fl_model_register_may_fit(fl_lin_state st, const fl_lin_op *r,
                                      const fl_lin_op *const *avail,
                                      size_t n);

#endif
