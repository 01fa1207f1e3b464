/* loader.h — private to sim/scenario/: the loader state and the helpers
 * the section parsers share. Nothing outside this folder includes it. */
#ifndef FL_SCENARIO_LOADER_H
#define FL_SCENARIO_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim/util/suggest.h"   /* fl_suggest, fl_suggest_join: the shared did-you-mean */
#include "sim/scenario/scenario.h"

#define FL_SC_MAX_NODES   1024
#define FL_SC_MAX_FAULTS  2000
#define FL_SC_MAX_ROLES   (sizeof ((fl_scenario *)0)->roles / sizeof(fl_role_count))
#define FL_SC_MAX_MS      1e12                 /* ~31 years: keeps ns in int64 */
#define FL_SC_MAX_FILE    ((size_t)16 << 20)
#define FL_SC_MAX_SEED    9007199254740992.0   /* 2^53: larger seeds as strings */
#define FL_SC_MAX_DRIFT   500000
#define FL_SC_SHOW        48                   /* chars of user text in messages */

typedef struct fl_ld {
    const char *file;
    fl_error   *err;
    size_t      plen;
    char        path[512];
} fl_ld;

typedef enum fl_bound { FL_B_ANY, FL_B_GE0, FL_B_GT0 } fl_bound;

/* Shared by the section parsers (defined in loader.c and nodes.c). */
void ld_init(fl_ld *ld, const char *file, fl_error *err);
const char *fl_show(char *buf, size_t cap, const char *s);
size_t ld_key(fl_ld *ld, const char *key);
size_t ld_index(fl_ld *ld, size_t i);
void ld_pop(fl_ld *ld, size_t mark);
int ld_fail(fl_ld *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int ld_oom(fl_ld *ld);
bool fl_in_list(const char *s, const char *const *names);
const char *fl_type_name(const cJSON *j);
int ld_check_keys(fl_ld *ld, const cJSON *obj, const char *const *allowed);
int ld_object(fl_ld *ld, const cJSON *j, const char *const *allowed);
int ld_number(fl_ld *ld, const cJSON *j, fl_bound b, double *out);
int ld_time(fl_ld *ld, const cJSON *j, fl_bound b, fl_time *out);
int ld_integer(fl_ld *ld, const cJSON *j, int64_t lo, int64_t hi,
                      int64_t *out);
int ld_name(fl_ld *ld, const cJSON *j, char *out);
int ld_get(fl_ld *ld, const cJSON *obj, const char *key, bool required,
                  const cJSON **item, size_t *mark);
int get_integer(fl_ld *ld, const cJSON *obj, const char *key,
                       bool required, int64_t lo, int64_t hi, int64_t *out);
int get_enum(fl_ld *ld, const cJSON *obj, const char *key, bool required,
                    const char *what, const char *const *names, int *out);
int ld_node_id(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                      int32_t *out);
int ld_selector(fl_ld *ld, const cJSON *j, const fl_scenario *s,
                       bool allow_rest, fl_selector *out);
int get_selector(fl_ld *ld, const cJSON *obj, const char *key,
                        const fl_scenario *s, fl_selector *out);
int parse_seed(fl_ld *ld, const cJSON *root, fl_scenario *s);
int parse_description(fl_ld *ld, const cJSON *root, fl_scenario *s);
int parse_nodes(fl_ld *ld, const cJSON *root, fl_scenario *s);
int ld_link_spec(fl_ld *ld, const cJSON *obj, fl_link_spec *spec);
int parse_network(fl_ld *ld, const cJSON *root, fl_scenario *s);
int parse_links(fl_ld *ld, const cJSON *root, fl_scenario *s);
int parse_disk(fl_ld *ld, const cJSON *root, fl_scenario *s);
int parse_workload(fl_ld *ld, const cJSON *root, fl_scenario *s);
int parse_faults(fl_ld *ld, const cJSON *root, fl_scenario *s);
int parse_schedule(fl_ld *ld, const cJSON *root, fl_scenario *s);
#define FL_GETTER(fn_name, out_type, call)                                  \
    int fn_name(fl_ld *ld, const cJSON *obj, const char *key,              \
                       bool required, out_type out)                        \
    {                                                                       \
        const cJSON *j;                                                     \
        size_t m;                                                           \
        int r = ld_get(ld, obj, key, required, &j, &m);                     \
        if (r <= 0)                                                         \
            return r;                                                       \
        if ((call) < 0)                                                     \
            return -1;                                                      \
        ld_pop(ld, m);                                                      \
        return 1;                                                           \
    }

/* The keyed getters: -1 error, 0 absent (out untouched), 1 present. */
#define FL_GETTER_DECL(name, type) \
    int name(fl_ld *ld, const cJSON *obj, const char *key, bool required, type out);
FL_GETTER_DECL(get_bool, bool *)
FL_GETTER_DECL(get_prob, double *)
FL_GETTER_DECL(get_name, char *)
FL_GETTER_DECL(get_time_ge0, fl_time *)
FL_GETTER_DECL(get_time_gt0, fl_time *)
FL_GETTER_DECL(get_time_any, fl_time *)
FL_GETTER_DECL(get_number_gt0, double *)
FL_GETTER_DECL(get_dist, fl_dist *)
FL_GETTER_DECL(get_check_name, char *)
#undef FL_GETTER_DECL

#endif
