/* model.c — the recorded stream's spine: the model's life cycle, its
 * interned strings and text pool, and the one door events come in by
 * (viz_model_add), which hands each event to the file that indexes it:
 * model_msg.c (messages), model_ops.c (client ops and timeline marks),
 * model_state.c (views, partitions, node and link state, keyframes) and
 * model_log.c (log entries and election timers). */
#include "viz/model_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util/hash.h"

/* ---- Strings --------------------------------------------------------------- */

static int intern_grow(viz_model *m)
{
    size_t cap = m->intern_cap ? m->intern_cap * 2 : 64;
    char **t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < m->intern_cap; i++) {
        if (!m->intern[i])
            continue;
        size_t s = fl_fnv1a_str(FL_FNV_OFFSET, m->intern[i]) & (cap - 1);
        while (t[s])
            s = (s + 1) & (cap - 1);
        t[s] = m->intern[i];
    }
    free(m->intern);
    m->intern = t;
    m->intern_cap = cap;
    return 0;
}

const char *viz_intern(viz_model *m, const char *s)
{
    if (!s)
        return NULL;
    if ((m->intern_len + 1) * 2 >= m->intern_cap && intern_grow(m) < 0)
        return NULL;
    size_t i = fl_fnv1a_str(FL_FNV_OFFSET, s) & (m->intern_cap - 1);
    for (; m->intern[i]; i = (i + 1) & (m->intern_cap - 1))
        if (strcmp(m->intern[i], s) == 0)
            return m->intern[i];
    m->intern[i] = strdup(s);
    if (!m->intern[i])
        return NULL;
    m->intern_len++;
    return m->intern[i];
}

static uint32_t text_add(viz_model *m, const char *s)
{
    if (!s)
        return VIZ_NONE;
    size_t len = strlen(s) + 1;
    if (m->ntext + len >= VIZ_NONE ||
        viz_grow(&m->text, &m->text_cap, m->ntext + len, 1) < 0)
        return VIZ_NONE;
    memcpy(m->text + m->ntext, s, len);
    uint32_t off = (uint32_t)m->ntext;
    m->ntext += len;
    return off;
}

const char *viz_model_text(const viz_model *m, uint32_t off)
{
    return off == VIZ_NONE || off >= m->ntext ? NULL : m->text + off;
}

/* ---- Life cycle --------------------------------------------------------------- */

viz_model *viz_model_new(size_t nnodes, const char *const *roles,
                         const char *algorithm, const char *scenario,
                         uint64_t seed)
{
    viz_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->nnodes = nnodes;
    m->seed = seed;
    m->end = -1;
    m->timeout_cfg = -1;
    m->nodes = calloc(nnodes ? nnodes : 1, sizeof *m->nodes);
    m->algorithm = strdup(algorithm ? algorithm : "?");
    m->scenario = strdup(scenario ? scenario : "?");
    if (!m->nodes || !m->algorithm || !m->scenario)
        goto fail;
    for (size_t i = 0; i < nnodes; i++) {
        m->nodes[i].role = strdup(roles[i] ? roles[i] : "?");
        if (!m->nodes[i].role)
            goto fail;
        m->nodes[i].primary = strcmp(m->nodes[i].role, m->nodes[0].role) == 0;
    }
    m->head = viz_state_new(m);
    if (!m->head || viz_keyframe_push(m) < 0)
        goto fail;
    return m;
fail:
    viz_model_free(m);
    return NULL;
}

void viz_model_free(viz_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; m->nodes && i < m->nnodes; i++) {
        free(m->nodes[i].role);
        viz_log_free(&m->nodes[i]);
    }
    for (size_t i = 0; i < m->intern_cap; i++)
        free(m->intern[i]);
    viz_msgindex_destroy(&m->ended);
    free(m->intern);
    free(m->nodes);
    free(m->algorithm);
    free(m->scenario);
    free(m->ev);
    free(m->text);
    free(m->views);
    free(m->ints);
    free(m->scal);
    free(m->groups);
    free(m->kinds);
    free(m->msgs);
    fl_idmap_destroy(&m->flying_by_id);
    free(m->flying.v);
    free(m->ops);
    fl_idmap_destroy(&m->op_by_id);
    free(m->marks);
    free(m->plans);
    viz_state_free(m->head);
    free(m->key_nodes);
    free(m->key_links);
    free(m->intervals);
    free(m);
}

/* ---- Adding events --------------------------------------------------------------------- */

/* Fills ev->aux and the indexes for one event (before it is appended). */
static int index_event(viz_model *m, viz_event *ev, const viz_msg_fields *msg,
                       const viz_view_in *view)
{
    ev->aux = VIZ_NONE;
    switch (ev->type) {
    case FL_TR_SEND:
    case FL_TR_DUPLICATE:
        return viz_msg_new(m, ev, msg, ev->type == FL_TR_DUPLICATE, &ev->aux);
    case FL_TR_DELIVER:
        ev->aux = viz_msg_finish(m, ev, VIZ_MSG_DELIVERED, VIZ_DROP_UNKNOWN);
        return 0;
    case FL_TR_DROP:
        ev->aux = viz_msg_finish(m, ev, VIZ_MSG_DROPPED, msg ? msg->reason : VIZ_DROP_UNKNOWN);
        return 0;
    case FL_TR_VIEW:
        return viz_view_add(m, view, &ev->aux);
    case FL_TR_INVOKE:
    case FL_TR_COMPLETE:
        return viz_op_event(m, ev, &ev->aux);
    case FL_TR_PARTITION:
        ev->aux = viz_partition_add(m, msg ? msg->groups : NULL);
        return 0;
    case FL_TR_LINK:
        ev->aux = msg ? msg->link_flags : 0;
        return 0;
    default:
        return 0;
    }
}

int viz_model_add(viz_model *m, const viz_event *in, const viz_msg_fields *msg,
                  const char *text, const viz_view_in *view,
                  char *err, size_t errlen)
{
    if (in->t < 0 || in->t > VIZ_TIME_MAX) {
        snprintf(err, errlen, "time %lld ns is outside 0 .. %lld ns",
                 (long long)in->t, (long long)VIZ_TIME_MAX);
        return -1;
    }
    if (m->nev && in->t < m->ev[m->nev - 1].t) {
        snprintf(err, errlen, "time goes backwards (%lld ns after %lld ns)",
                 (long long)in->t, (long long)m->ev[m->nev - 1].t);
        return -1;
    }
    if (in->type == FL_TR_VIEW && !view) {
        snprintf(err, errlen, "a view event without a view");
        return -1;
    }
    if (m->nev >= VIZ_NONE - 1 ||
        viz_grow(&m->ev, &m->ev_cap, m->nev + 1, sizeof *m->ev) < 0)
        goto oom;
    viz_event ev = *in;
    ev.text = text_add(m, text);
    if (index_event(m, &ev, msg, view) < 0 ||
        viz_marks_on_event(m, &ev) < 0 || viz_log_on_event(m, &ev, ev.aux) < 0)
        goto oom;
    m->ev[m->nev++] = ev;
    viz_state_apply(m, m->head, &ev);
    if (m->nev % VIZ_KEY_EVERY == 0 && viz_keyframe_push(m) < 0)
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

/* ---- Accessors ---------------------------------------------------------------------------- */

size_t viz_model_node_count(const viz_model *m) { return m->nnodes; }
const char *viz_model_algorithm(const viz_model *m) { return m->algorithm; }
const char *viz_model_scenario(const viz_model *m) { return m->scenario; }
uint64_t viz_model_seed(const viz_model *m) { return m->seed; }
bool viz_model_exact_entries(const viz_model *m) { return m->exact_entries; }
void viz_model_set_exact_entries(viz_model *m, bool exact) { m->exact_entries = exact; }
void viz_model_set_end(viz_model *m, fl_time end) { m->end = end; }

bool viz_model_run_events(const viz_model *m, uint64_t *out)
{
    if (m->has_run_events)
        *out = m->run_events;
    return m->has_run_events;
}

void viz_model_set_run_events(viz_model *m, uint64_t events)
{
    m->run_events = events;
    m->has_run_events = true;
}
size_t viz_model_event_count(const viz_model *m) { return m->nev; }

const char *viz_model_role(const viz_model *m, fl_node_id node)
{
    return node >= 0 && (size_t)node < m->nnodes ? m->nodes[node].role : "?";
}

bool viz_model_is_primary(const viz_model *m, fl_node_id node)
{
    return node >= 0 && (size_t)node < m->nnodes && m->nodes[node].primary;
}

fl_time viz_model_last_time(const viz_model *m)
{
    return m->nev ? m->ev[m->nev - 1].t : 0;
}

fl_time viz_model_end(const viz_model *m)
{
    fl_time last = viz_model_last_time(m);
    return m->end > last ? m->end : last;
}

const viz_event *viz_model_event(const viz_model *m, size_t i)
{
    return i < m->nev ? &m->ev[i] : NULL;
}

size_t viz_model_events_until(const viz_model *m, fl_time t)
{
    size_t lo = 0, hi = m->nev;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->ev[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
