/* parse.c — trace header and event lines to model events (see parse.h).
 * Numbers come through cJSON's doubles: exact up to 2^53, which covers
 * times (ns), ids and the values the built-in workloads write. */
#include "viz/parse.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A JSON number as int64, clamped to its range (never an undefined cast). */
static int64_t clamp_int(double d)
{
    if (d != d)
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

static bool get_int(const cJSON *obj, const char *key, int64_t *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(it))
        return false;
    *out = clamp_int(it->valuedouble);
    return true;
}

static int64_t int_or(const cJSON *obj, const char *key, int64_t dflt)
{
    int64_t v;
    return get_int(obj, key, &v) ? v : dflt;
}

static const char *str_or(const cJSON *obj, const char *key, const char *dflt)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(it) ? it->valuestring : dflt;
}

/* ---- Header ------------------------------------------------------------------ */

void viz_header_free(viz_trace_header *h)
{
    for (size_t i = 0; h->roles && i < h->nnodes; i++)
        free(h->roles[i]);
    free(h->roles);
    free(h->scenario);
    free(h->algorithm);
    memset(h, 0, sizeof *h);
}

static int header_nodes(const cJSON *nodes, viz_trace_header *h, char *err, size_t errlen)
{
    int n = cJSON_GetArraySize(nodes);
    if (!cJSON_IsArray(nodes) || n <= 0 || n > 4096) {
        snprintf(err, errlen, "header: \"nodes\" must be a non-empty array");
        return -1;
    }
    h->roles = calloc((size_t)n, sizeof *h->roles);
    if (!h->roles)
        return -1;
    h->nnodes = (size_t)n;
    for (int i = 0; i < n; i++) {
        const cJSON *node = cJSON_GetArrayItem(nodes, i);
        int64_t id;
        const char *role = str_or(node, "role", NULL);
        if (!get_int(node, "id", &id) || id != i || !role) {
            snprintf(err, errlen, "header: nodes[%d] needs \"id\": %d and a \"role\"", i, i);
            return -1;
        }
        h->roles[i] = strdup(role);
        if (!h->roles[i])
            return -1;
    }
    return 0;
}

int viz_parse_header(const char *line, size_t len, viz_trace_header *h,
                     char *err, size_t errlen)
{
    memset(h, 0, sizeof *h);
    cJSON *j = cJSON_ParseWithLength(line, len);
    int rc = -1;
    if (!j || !cJSON_IsObject(j)) {
        snprintf(err, errlen, "not a faultline trace: the first line is not a JSON object");
        goto out;
    }
    const char *format = str_or(j, "format", "");
    if (strcmp(format, "faultline-trace") != 0) {
        snprintf(err, errlen, "not a faultline trace: the header has no \"format\": \"faultline-trace\"");
        goto out;
    }
    int64_t version = int_or(j, "version", -1);
    if (version != FL_TRACE_FORMAT_VERSION) {
        snprintf(err, errlen, "trace format version %lld; this faultline reads version %d",
                 (long long)version, FL_TRACE_FORMAT_VERSION);
        goto out;
    }
    const char *seed = str_or(j, "seed", "0");
    h->seed = strtoull(seed, NULL, 0);
    h->scenario = strdup(str_or(j, "scenario", "?"));
    h->algorithm = strdup(str_or(j, "algorithm", "?"));
    if (!h->scenario || !h->algorithm) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    rc = header_nodes(cJSON_GetObjectItemCaseSensitive(j, "nodes"), h, err, errlen);
out:
    cJSON_Delete(j);
    if (rc < 0)
        viz_header_free(h);
    return rc;
}

/* ---- Events ----------------------------------------------------------------------- */

static bool type_of(const char *name, fl_trace_type *out)
{
    for (int i = 0; i < FL_TR_COUNT; i++)
        if (strcmp(fl_trace_type_name((fl_trace_type)i), name) == 0) {
            *out = (fl_trace_type)i;
            return true;
        }
    return false;
}

static fl_view_kind view_kind(const char *role)
{
    static const char *const names[] = { "none", "follower", "candidate",
                                         "leader", "client", "other" };
    for (int i = 0; i < 6; i++)
        if (strcmp(role, names[i]) == 0)
            return (fl_view_kind)i;
    return FL_VIEW_OTHER;
}

/* Copies a JSON integer array into `buf` (n entries); NULL if absent. */
static const int64_t *int_array(const cJSON *obj, const char *key, int64_t *buf,
                                size_t n)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsArray(arr))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const cJSON *it = cJSON_GetArrayItem(arr, (int)i);
        buf[i] = cJSON_IsNumber(it) ? clamp_int(it->valuedouble) : -1;
    }
    return buf;
}

static void parse_view(const cJSON *j, viz_view_in *v, int64_t *arrays, size_t n)
{
    memset(v, 0, sizeof *v);
    v->kind = view_kind(str_or(j, "role", "none"));
    v->label = str_or(j, "label", NULL);
    v->term = int_or(j, "term", -1);
    v->leader = (fl_node_id)int_or(j, "leader", -1);
    v->voted_for = (fl_node_id)int_or(j, "voted_for", -1);
    v->log_first = int_or(j, "log_first", -1);
    v->log_last = int_or(j, "log_last", -1);
    v->commit = int_or(j, "commit", -1);
    v->applied = int_or(j, "applied", -1);
    v->npeers = n;
    v->match = int_array(j, "match", arrays, n);
    v->next = int_array(j, "next", arrays + n, n);
    v->votes = int_array(j, "votes", arrays + 2 * n, n);
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(j, "scalars"), *it;
    cJSON_ArrayForEach(it, sc) {
        if (v->nscalars >= FL_VIEW_MAX_SCALARS || !cJSON_IsNumber(it))
            continue;
        v->scalar_names[v->nscalars] = it->string;
        v->scalar_values[v->nscalars] = clamp_int(it->valuedouble);
        v->nscalars++;
    }
}

/* "groups": [[0,2],[1,3,4]] as the group of each node (-1 - id: alone). */
static int parse_groups(const cJSON *j, int32_t *g, size_t n, char *err, size_t errlen)
{
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(j, "groups"), *grp, *id;
    if (!cJSON_IsArray(groups)) {
        snprintf(err, errlen, "a partition needs \"groups\" (an array of node arrays)");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        g[i] = -1 - (int32_t)i;
    int32_t k = 0;
    cJSON_ArrayForEach(grp, groups) {
        cJSON_ArrayForEach(id, grp) {
            if (!cJSON_IsNumber(id) || id->valuedouble < 0 || id->valuedouble >= (double)n) {
                snprintf(err, errlen, "\"groups\"[%d] names a node that is not in the header", k);
                return -1;
            }
            g[(size_t)id->valuedouble] = k;
        }
        k++;
    }
    return 0;
}

/* The structured fields of a link, partition or drop (never the text). */
static int parse_fault_fields(const cJSON *j, fl_trace_type type, viz_msg_fields *f,
                              int32_t *groups, size_t n, char *err, size_t errlen)
{
    if (type == FL_TR_DROP)
        f->reason = viz_drop_reason_parse(str_or(j, "reason", NULL));
    if (type == FL_TR_LINK) {
        f->link_flags = (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "symmetric"))
                         ? FL_TRACE_LINK_SYMMETRIC : 0u) |
                        (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "cut"))
                         ? FL_TRACE_LINK_CUT : 0u);
    }
    if (type == FL_TR_PARTITION) {
        if (parse_groups(j, groups, n, err, errlen) < 0)
            return -1;
        f->groups = groups;
    }
    return 0;
}

static int add_parsed(viz_model *m, const cJSON *j, char *err, size_t errlen)
{
    viz_event ev;
    memset(&ev, 0, sizeof ev);
    int64_t t, node;
    const char *type = str_or(j, "ev", NULL);
    if (!get_int(j, "t", &t) || t < 0 || !type || !get_int(j, "node", &node)) {
        snprintf(err, errlen, "not a trace event: needs \"t\" >= 0, \"ev\" and \"node\"");
        return -1;
    }
    if (!type_of(type, &ev.type)) {
        snprintf(err, errlen, "unknown event type \"%s\"", type);
        return -1;
    }
    size_t n = viz_model_node_count(m);
    int64_t peer = int_or(j, "peer", -1);
    if (node < -1 || node >= (int64_t)n || peer < -1 || peer >= (int64_t)n) {
        snprintf(err, errlen, "node %lld or peer %lld is not in the header's %zu nodes",
                 (long long)node, (long long)peer, n);
        return -1;
    }
    ev.t = t;
    ev.node = (fl_node_id)node;
    ev.peer = (fl_node_id)peer;
    ev.id = (uint64_t)int_or(j, "id", 0);
    ev.a = int_or(j, "a", 0);
    ev.b = int_or(j, "b", 0);
    viz_msg_fields msg = {
        .kind = str_or(j, "kind", NULL),
        .reply = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "reply")),
        .ok = -1,
        .term = int_or(j, "term", -1),
    };
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(j, "ok");
    if (cJSON_IsBool(ok))
        msg.ok = cJSON_IsTrue(ok);
    if (ev.type == FL_TR_PARTITION) {
        int32_t *groups = malloc((n ? n : 1) * sizeof *groups);
        int rc = -1;
        if (!groups)
            snprintf(err, errlen, "out of memory");
        else if (parse_fault_fields(j, ev.type, &msg, groups, n, err, errlen) == 0)
            rc = viz_model_add(m, &ev, &msg, str_or(j, "text", NULL), NULL, err, errlen);
        free(groups);
        return rc;
    }
    int64_t events;
    if (ev.type == FL_TR_END && get_int(j, "events", &events) && events >= 0)
        viz_model_set_run_events(m, (uint64_t)events);   /* the run's own count */
    if (ev.type != FL_TR_VIEW) {
        if (parse_fault_fields(j, ev.type, &msg, NULL, n, err, errlen) < 0)
            return -1;
        return viz_model_add(m, &ev, &msg, str_or(j, "text", NULL), NULL, err, errlen);
    }
    int64_t *arrays = malloc(3 * (n ? n : 1) * sizeof *arrays);
    if (!arrays) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    viz_view_in view;
    parse_view(j, &view, arrays, n);
    ev.a = view.kind;
    ev.b = view.term;
    int rc = viz_model_add(m, &ev, &msg, str_or(j, "text", NULL), &view, err, errlen);
    free(arrays);
    return rc;
}

int viz_parse_event(viz_model *m, const char *line, size_t len,
                    char *err, size_t errlen)
{
    cJSON *j = cJSON_ParseWithLength(line, len);
    if (!j || !cJSON_IsObject(j)) {
        cJSON_Delete(j);
        snprintf(err, errlen, "not a JSON object");
        return -1;
    }
    int rc = add_parsed(m, j, err, errlen);
    cJSON_Delete(j);
    return rc;
}
