/* params.c — reading algorithms' scenario "params" (see params.h). */
#include "algorithms/params/params.h"

#include <stdio.h>
#include <string.h>

int fl_param_err(char *err, size_t errlen, const char *key, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", key, what);
    return -1;
}

bool fl_param_is_int(const cJSON *v, int64_t lo, int64_t hi, int64_t *out)
{
    if (!cJSON_IsNumber(v))
        return false;
    double d = v->valuedouble;
    if (!(d >= (double)lo && d <= (double)hi) || (double)(int64_t)d != d)
        return false;
    *out = (int64_t)d;
    return true;
}

int fl_param_int(const cJSON *v, const char *key, int64_t lo, int64_t hi,
                 int64_t *out, const char *what, char *err, size_t errlen)
{
    if (!fl_param_is_int(v, lo, hi, out))
        return fl_param_err(err, errlen, key, what);
    return 0;
}

int fl_param_range(const cJSON *v, const char *key, int64_t min,
                   int64_t max, int64_t *a, int64_t *b, char *err,
                   size_t errlen)
{
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
        return fl_param_err(err, errlen, key, "must be [lo, hi]");
    if (!fl_param_is_int(cJSON_GetArrayItem(v, 0), min, max, a) ||
        !fl_param_is_int(cJSON_GetArrayItem(v, 1), min, max, b)) {
        char what[96];
        snprintf(what, sizeof what, "must be integers in [%lld, %lld]",
                 (long long)min, (long long)max);
        return fl_param_err(err, errlen, key, what);
    }
    if (*a > *b)
        return fl_param_err(err, errlen, key, "must have lo <= hi");
    return 0;
}

int fl_param_bool(const cJSON *v, const char *key, bool *out, char *err,
                  size_t errlen)
{
    if (!cJSON_IsBool(v))
        return fl_param_err(err, errlen, key, "must be true or false");
    *out = cJSON_IsTrue(v);
    return 0;
}

/* "unknown bug "x" (known: a, b, c)" */
static int param_unknown_bug(const char *name, const char *const *names,
                             unsigned n, char *err, size_t errlen)
{
    char what[480];          /* room for every name: Raft has 18 */
    int len = snprintf(what, sizeof what, "unknown bug \"%.40s\" (known:",
                       name);
    for (unsigned j = 0; j < n && len > 0 && (size_t)len < sizeof what; j++)
        len += snprintf(what + len, sizeof what - (size_t)len, "%s %s",
                        j ? "," : "", names[j]);
    if (len > 0 && (size_t)len < sizeof what)
        snprintf(what + len, sizeof what - (size_t)len, ")");
    return fl_param_err(err, errlen, "bugs", what);
}

int fl_param_bugs(const cJSON *v, const char *const *names, unsigned n,
                  unsigned *bits, char *err, size_t errlen)
{
    if (!cJSON_IsArray(v))
        return fl_param_err(err, errlen, "bugs", "must be an array of names");
    const cJSON *b;
    cJSON_ArrayForEach(b, v) {
        if (!cJSON_IsString(b))
            return fl_param_err(err, errlen, "bugs",
                                "must be an array of names");
        unsigned k = 0;
        while (k < n && strcmp(b->valuestring, names[k]))
            k++;
        if (k == n)
            return param_unknown_bug(b->valuestring, names, n, err, errlen);
        *bits |= 1u << k;
    }
    return 0;
}

int fl_param_object(const cJSON *params, char *err, size_t errlen)
{
    if (!params || cJSON_IsNull(params))
        return 1;
    if (!cJSON_IsObject(params))
        return fl_param_err(err, errlen, "params", "must be an object");
    return 0;
}
