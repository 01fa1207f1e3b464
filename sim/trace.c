/* trace.c — hashing, the JSON Lines writer and the ring of recent events.
 *
 * Field meanings of a, b by type:
 *   send/deliver/drop/duplicate: a = channel, b = payload length
 *   timer: a = kind, b = cookie          crash: a = unsynced bytes lost
 *   restart/boot: a = incarnation        pause: a = duration ns (0 open)
 *   clock: a = skew ns, b = drift ppm    invoke/complete: a = op kind or
 *   history type, b = value              sync: a = completion time
 *   view: a = kind, b = term             partition/link/heal/skip: text
 *
 * Besides a and b, each JSON line names its facts in fields (see
 * docs/trace.schema.json): messages "from", "to", "reason" (drops) and
 * the client request/reply fields; partitions "groups"; links "from",
 * "to", "symmetric", "cut", "drop"; faults "lost", "incarnation",
 * "duration", "skew", "drift_ppm"; timers "timer"; operations "op",
 * "outcome", "value". Readers use these, never the text. */
#include "sim/trace.h"

#include "sim/engine_internal.h"
#include "sim/history.h"
#include "sim/util/hash.h"
#include "sim/trace_compact.h"
#include "sim/trace_hash.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
#define FL_X_NAME(name, text) text,
    FL_TRACE_TYPES(FL_X_NAME)
#undef FL_X_NAME
};

const char *fl_trace_type_name(fl_trace_type type)
{
    return (unsigned)type < FL_TR_COUNT ? type_names[type] : "?";
}

/* ---- Records ---------------------------------------------------------------- */

void fl_trace_init(fl_trace *t, void (*describe)(const void *, size_t, fl_msg_info *))
{
    memset(t, 0, sizeof *t);
    t->hash = FL_FNV_OFFSET;   /* the start of every trace hash */
    t->describe = describe;
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

int fl_trace_write_header(FILE *out, uint64_t seed, const char *scenario,
                          uint64_t scenario_hash, const char *algorithm,
                          const fl_trace_node_info *nodes, size_t nnodes)
{
    fprintf(out, "{\"format\":\"faultline-trace\",\"version\":%d,\"abi\":%u,"
            "\"seed\":\"0x%016" PRIx64 "\",\"scenario\":",
            FL_TRACE_FORMAT_VERSION, FL_ABI_VERSION, seed);
    json_string(out, scenario);
    fprintf(out, ",\"scenario_hash\":\"0x%016" PRIx64 "\",\"algorithm\":",
            scenario_hash);
    json_string(out, algorithm);
    fputs(",\"nodes\":[", out);
    for (size_t i = 0; i < nnodes; i++) {
        fprintf(out, "%s{\"id\":%zu,\"role\":", i ? "," : "", i);
        json_string(out, nodes[i].role);
        fputc('}', out);
    }
    fputs("]}\n", out);
    return ferror(out) ? -1 : 0;
}

/* The compact trace starts with the same header line, made in memory. */
static int open_compact(fl_trace *t, FILE *out, uint64_t seed, const char *scenario,
                        uint64_t scenario_hash, const char *algorithm,
                        const fl_trace_node_info *nodes, size_t nnodes)
{
    char *head = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&head, &len);
    if (!mem)
        return -1;
    int rc = fl_trace_write_header(mem, seed, scenario, scenario_hash, algorithm, nodes,
                                   nnodes);
    if (fclose(mem) != 0 || !head)
        rc = -1;
    if (rc == 0) {
        t->enc = fl_trace_enc_new(out, head, len, nnodes);
        rc = t->enc ? 0 : -1;
    }
    free(head);
    return rc;
}

static void note_full(fl_trace *t)
{
    t->full = t->out || t->enc || t->recent;
}

int fl_trace_open(fl_trace *t, FILE *out, fl_trace_format format, uint64_t seed,
                  const char *scenario, uint64_t scenario_hash, const char *algorithm,
                  const fl_trace_node_info *nodes, size_t nnodes)
{
    t->nnodes = nnodes;
    int rc;
    if (format == FL_TRACE_COMPACT) {
        rc = open_compact(t, out, seed, scenario, scenario_hash, algorithm, nodes, nnodes);
    } else {
        t->out = out;
        rc = fl_trace_write_header(out, seed, scenario, scenario_hash, algorithm, nodes,
                                   nnodes);
    }
    note_full(t);
    return rc;
}

int fl_trace_close(fl_trace *t)
{
    if (t->enc) {
        if (fl_trace_enc_finish(t->enc) < 0)
            t->io_error = 1;
        fl_trace_enc_free(t->enc);
        t->enc = NULL;
    }
    t->out = NULL;
    note_full(t);
    return t->io_error ? -1 : 0;
}

fl_trace_format fl_trace_format_for_path(const char *path)
{
    static const char suffix[] = FL_TRACE_COMPACT_SUFFIX;
    size_t n = path ? strlen(path) : 0, k = sizeof suffix - 1;
    return n > k && strcmp(path + n - k, suffix) == 0 ? FL_TRACE_COMPACT : FL_TRACE_JSONL;
}

static bool is_message(fl_trace_type type)
{
    return type == FL_TR_SEND || type == FL_TR_DELIVER ||
           type == FL_TR_DROP || type == FL_TR_DUPLICATE;
}

static const char *channel_kind(const fl_trace *t, const fl_trace_rec *r,
                                fl_msg_info *info)
{
    fl_msg_info_clear(info);
    switch (r->channel) {
    case FL_CH_REQUEST:
        info->kind = "ClientRequest";
        break;
    case FL_CH_REPLY:
        info->kind = "ClientReply";
        info->is_reply = true;
        break;
    case FL_CH_ALG:
        if (r->described && r->described->done) {
            *info = r->described->info;  /* described before (when sent) */
        } else {
            if (t->describe && r->payload)
                t->describe(r->payload, r->len, info);
            if (r->described) {
                r->described->info = *info;
                r->described->done = t->describe && r->payload;
            }
        }
        if (!info->kind)
            info->kind = "message";
        break;
    }
    return info->kind;
}

/* A view that is no leader's carries match/next only when its algorithm
 * filled them (a CRDT's per-replica counts): written then, so the
 * visualizer can draw them; the trace hash covers no view field. */
bool fl_trace_view_vectors(const fl_view *v)
{
    if (!v->match || !v->next || v->kind == FL_VIEW_CANDIDATE)
        return false;
    if (v->kind == FL_VIEW_LEADER)
        return true;
    for (size_t i = 0; i < v->npeers; i++)
        if (v->match[i] != -1 || v->next[i] != -1)
            return true;
    return false;
}

static void write_view(FILE *out, const fl_view *v)
{
    static const char *const kinds[] = { "none", "follower", "candidate",
                                         "leader", "client", "other" };
    fprintf(out, ",\"role\":\"%s\"", (unsigned)v->kind < 6 ? kinds[v->kind] : "?");
    if (v->label) {
        fputs(",\"label\":", out);
        json_string(out, v->label);
    }
    fprintf(out, ",\"term\":%" PRId64 ",\"leader\":%d,\"voted_for\":%d,"
            "\"log_first\":%" PRId64 ",\"log_last\":%" PRId64
            ",\"commit\":%" PRId64 ",\"applied\":%" PRId64,
            v->term, v->leader, v->voted_for, v->log_first, v->log_last,
            v->commit, v->applied);
    if (fl_trace_view_vectors(v)) {
        fputs(",\"match\":[", out);
        for (size_t i = 0; i < v->npeers; i++)
            fprintf(out, "%s%" PRId64, i ? "," : "", v->match[i]);
        fputs("],\"next\":[", out);
        for (size_t i = 0; i < v->npeers; i++)
            fprintf(out, "%s%" PRId64, i ? "," : "", v->next[i]);
        fputc(']', out);
    }
    if (v->kind == FL_VIEW_CANDIDATE && v->votes) {
        fputs(",\"votes\":[", out);
        for (size_t i = 0; i < v->npeers; i++)
            fprintf(out, "%s%d", i ? "," : "", v->votes[i]);
        fputc(']', out);
    }
    if (v->nscalars) {
        fputs(",\"scalars\":{", out);
        for (size_t i = 0; i < v->nscalars && i < FL_VIEW_MAX_SCALARS; i++) {
            fprintf(out, "%s", i ? "," : "");
            json_string(out, v->scalars[i].name ? v->scalars[i].name : "?");
            fprintf(out, ":%" PRId64, v->scalars[i].value);
        }
        fputc('}', out);
    }
}

static const char *const timer_names[FL_TIMER_KIND_COUNT] = {
    "election", "heartbeat", "retry", "lease", "tick", "other"
};
static const char *const status_names[] = { "ok", "fail", "redirect", "unknown" };
static const char *const outcome_names[] = { "invoke", "ok", "fail", "info" };

/* Client traffic: who, which operation, which attempt; replies' status. */
static void write_client_msg(FILE *out, const fl_trace_rec *r)
{
    if (r->channel == FL_CH_REQUEST && r->payload && r->len == sizeof(fl_request)) {
        fl_request q;
        memcpy(&q, r->payload, sizeof q);
        fprintf(out, ",\"client\":%d,\"seq\":%" PRIu64 ",\"attempt\":%u,\"op\":",
                q.client, q.seq, q.attempt);
        json_string(out, fl_op_kind_name(q.op.kind));
        fprintf(out, ",\"key\":%u", q.op.key);
    } else if (r->channel == FL_CH_REPLY && r->payload && r->len == sizeof(fl_reply_msg)) {
        fl_reply_msg y;
        memcpy(&y, r->payload, sizeof y);
        fprintf(out, ",\"client\":%d,\"seq\":%" PRIu64 ",\"status\":\"%s\"",
                r->type == FL_TR_DELIVER ? r->node : r->peer, y.seq,
                (unsigned)y.status < 4 ? status_names[y.status] : "?");
        if (y.status == FL_STATUS_OK)
            fprintf(out, ",\"value\":%" PRId64, y.value);
    }
}

static void write_message(FILE *out, const fl_trace_rec *r, const char *kind,
                          const fl_msg_info *info)
{
    bool in = r->type == FL_TR_DELIVER;
    fprintf(out, ",\"from\":%d,\"to\":%d,\"kind\":", in ? r->peer : r->node,
            in ? r->node : r->peer);
    json_string(out, kind);
    fprintf(out, ",\"reply\":%s,\"len\":%" PRId64,
            info->is_reply ? "true" : "false", r->b);
    if (info->ok >= 0)
        fprintf(out, ",\"ok\":%s", info->ok ? "true" : "false");
    if (info->term >= 0)
        fprintf(out, ",\"term\":%" PRId64, info->term);
    if (r->reason)
        fprintf(out, ",\"reason\":\"%s\"", r->reason);
    write_client_msg(out, r);
}

/* "groups":[[0,1],[2,3,4]]: the unnamed group (-1) first, then the named
 * ones in order, each node ascending; nodes of no such group are left
 * out. Linear in nodes and groups (a counting sort): a crafted trace
 * naming many groups must not cost their product. -1 if out of memory. */
static int write_groups(FILE *out, size_t nnodes, const fl_trace_rec *r)
{
    size_t nb = (size_t)r->ngroups + 1;          /* bucket g + 1 */
    size_t *start = calloc(nb + 1, sizeof *start), *order = malloc((nnodes ? nnodes : 1) *
                                                                   sizeof *order);
    if (!start || !order) {
        free(start);
        free(order);
        return -1;
    }
    for (size_t i = 0; i < nnodes; i++)
        if (r->group_of[i] >= -1 && r->group_of[i] < (int)r->ngroups)
            start[(size_t)(r->group_of[i] + 1) + 1]++;
    for (size_t b = 0; b < nb; b++)
        start[b + 1] += start[b];
    size_t *fill = calloc(nb, sizeof *fill);
    if (!fill) {
        free(start);
        free(order);
        return -1;
    }
    for (size_t i = 0; i < nnodes; i++)
        if (r->group_of[i] >= -1 && r->group_of[i] < (int)r->ngroups) {
            size_t b = (size_t)(r->group_of[i] + 1);
            order[start[b] + fill[b]++] = i;
        }
    fputs(",\"groups\":[", out);
    bool first_group = true;
    for (size_t b = 0; b < nb; b++) {
        if (start[b] == start[b + 1])
            continue;
        fputs(first_group ? "[" : ",[", out);
        for (size_t k = start[b]; k < start[b + 1]; k++)
            fprintf(out, "%s%zu", k > start[b] ? "," : "", order[k]);
        fputc(']', out);
        first_group = false;
    }
    fputc(']', out);
    free(start);
    free(order);
    free(fill);
    return 0;
}

/* The named fields of a fault, timer or operation (a and b stay too).
 * -1 if out of memory. */
static int write_detail(FILE *out, size_t nnodes, const fl_trace_rec *r)
{
    switch (r->type) {
    case FL_TR_PARTITION:
        if (r->group_of && write_groups(out, nnodes, r) < 0)
            return -1;
        break;
    case FL_TR_LINK:
        fprintf(out, ",\"from\":%d,\"to\":%d,\"symmetric\":%s,\"cut\":%s", r->node,
                r->peer, (r->flags & FL_TRACE_LINK_SYMMETRIC) ? "true" : "false",
                (r->flags & FL_TRACE_LINK_CUT) ? "true" : "false");
        if (r->a >= 0)
            fprintf(out, ",\"drop\":%.6f", (double)r->a / 1e6);
        break;
    case FL_TR_CRASH:
        fprintf(out, ",\"lost\":%" PRId64 ",\"torn\":%s", r->a, r->b >= 0 ? "true" : "false");
        break;
    case FL_TR_BOOT:
    case FL_TR_RESTART:
        fprintf(out, ",\"incarnation\":%" PRId64, r->a);
        break;
    case FL_TR_PAUSE:
        fprintf(out, ",\"duration\":%" PRId64, r->a);
        break;
    case FL_TR_CLOCK:
        fprintf(out, ",\"skew\":%" PRId64 ",\"drift_ppm\":%" PRId64, r->a, r->b);
        break;
    case FL_TR_TIMER:
        fprintf(out, ",\"timer\":\"%s\"", (uint64_t)r->a < FL_TIMER_KIND_COUNT
                ? timer_names[r->a] : "other");
        break;
    case FL_TR_INVOKE:
        fprintf(out, ",\"op\":\"%s\",\"arg\":%" PRId64,
                (uint64_t)r->a < FL_OP_KIND_COUNT ? fl_op_kind_name((fl_op_kind)r->a) : "?",
                r->b);
        break;
    case FL_TR_COMPLETE:
        fprintf(out, ",\"outcome\":\"%s\",\"value\":%" PRId64,
                (uint64_t)r->a < 4 ? outcome_names[r->a] : "?", r->b);
        break;
    case FL_TR_SKIP:
        if (r->reason)
            fprintf(out, ",\"reason\":\"%s\"", r->reason);
        break;
    case FL_TR_END:
        fprintf(out, ",\"events\":%" PRIu64 "%s", r->events,
                r->stopped ? ",\"stopped\":true" : "");
        break;
    default:
        break;
    }
    return 0;
}

int fl_trace_write_line(FILE *out, size_t nnodes, const fl_trace_rec *r,
                        const fl_msg_info *info)
{
    fprintf(out, "{\"t\":%" PRId64 ",\"ev\":\"%s\",\"node\":%d", r->time,
            fl_trace_type_name(r->type), r->node);
    if (r->peer != FL_NO_NODE)
        fprintf(out, ",\"peer\":%d", r->peer);
    if (r->id)
        fprintf(out, ",\"id\":%" PRIu64, r->id);
    if (is_message(r->type)) {
        write_message(out, r, info->kind ? info->kind : "message", info);
    } else if (r->type == FL_TR_VIEW && r->view) {
        write_view(out, r->view);
    } else {
        fprintf(out, ",\"a\":%" PRId64 ",\"b\":%" PRId64, r->a, r->b);
        if (write_detail(out, nnodes, r) < 0)
            return -1;
    }
    if (r->text) {
        fputs(",\"text\":", out);
        json_string(out, r->text);
    }
    fputs("}\n", out);
    return ferror(out) ? -1 : 0;
}

/* ---- The trace hash ------------------------------------------------------- */

/* Keeps a copy of a message's bytes so it is described only if the ring is
 * ever printed (at a failure), not for every message of every run. */
static inline void ring_keep_payload(struct fl_trace_ring_rec *x, bool has_msg,
                                     fl_channel channel, const void *payload, size_t len)
{
    x->has_msg = has_msg;
    x->channel = channel;
    x->len = 0;
    if (!has_msg || channel != FL_CH_ALG || !payload)
        return;
    if (len <= FL_TRACE_RING_SMALL) {
        if (len)
            memcpy(x->small, payload, len);
        x->len = len;
        return;
    }
    if (len > x->cap) {
        uint8_t *p = realloc(x->bytes, len);
        if (!p) {
            x->has_msg = false;        /* out of memory: no kind shown */
            return;
        }
        x->bytes = p;
        x->cap = len;
    }
    if (len)
        memcpy(x->bytes, payload, len);
    x->len = len;
}

static inline struct fl_trace_ring_rec *ring_put(fl_trace *t, fl_time time,
                                                 fl_trace_type type, fl_node_id node,
                                                 fl_node_id peer, uint64_t id,
                                                 int64_t a, int64_t b, const char *text)
{
    struct fl_trace_ring_rec *x = &t->ring[t->ring_next++ % FL_TRACE_RING];
    x->time = time;
    x->type = type;
    x->node = node;
    x->peer = peer;
    x->id = id;
    x->a = a;
    x->b = b;
    x->text[0] = '\0';
    if (text) {
        strncpy(x->text, text, sizeof x->text - 1);
        x->text[sizeof x->text - 1] = '\0';
    }
    return x;
}

static inline void count_record(fl_trace *t, fl_trace_type type)
{
    t->count++;
    if (type == FL_TR_END)
        t->ended = true;
}

void fl_trace_record(fl_trace *t, const fl_trace_rec *r)
{
    t->hash = fl_trace_hash_record(t->hash, r->time, r->type, r->node, r->peer, r->id, r->a,
                          r->b, r->payload, r->len, r->text);
    count_record(t, r->type);
    if (t->out || t->enc) {
        fl_msg_info info;
        fl_msg_info_clear(&info);
        if (is_message(r->type))
            channel_kind(t, r, &info);
        if (t->enc ? fl_trace_enc_put(t->enc, r, &info) < 0
                   : fl_trace_write_line(t->out, t->nnodes, r, &info) < 0)
            t->io_error = 1;
    }
    if (!t->recent)
        return;
    struct fl_trace_ring_rec *x = ring_put(t, r->time, r->type, r->node, r->peer,
                                           r->id, r->a, r->b, r->text);
    ring_keep_payload(x, is_message(r->type), r->channel, r->payload, r->len);
}

void fl_trace_event(fl_trace *t, fl_time time, fl_trace_type type, fl_node_id node,
                    fl_node_id peer, uint64_t id, int64_t a, int64_t b, const char *text)
{
    if (t->out || t->enc) {
        fl_trace_rec r = { .time = time, .type = type, .node = node, .peer = peer,
                           .id = id, .a = a, .b = b, .text = text };
        fl_trace_record(t, &r);
        return;
    }
    t->hash = fl_trace_hash_record(t->hash, time, type, node, peer, id, a, b, NULL, 0, text);
    count_record(t, type);
    if (!t->recent)
        return;
    struct fl_trace_ring_rec *x = ring_put(t, time, type, node, peer, id, a, b, text);
    x->has_msg = false;
    x->len = 0;
}

void fl_trace_message(fl_trace *t, fl_time time, fl_trace_type type,
                      struct fl_msg *m, const char *reason, const char *text)
{
    fl_node_id node = type == FL_TR_DELIVER ? m->to : m->from;
    fl_node_id peer = type == FL_TR_DELIVER ? m->from : m->to;
    if (t->out || t->enc) {
        fl_trace_rec r = { .time = time, .type = type, .node = node, .peer = peer,
                           .id = m->id, .a = m->channel, .b = (int64_t)m->len,
                           .text = text, .payload = m->data, .len = m->len,
                           .channel = m->channel, .reason = reason,
                           .described = &m->desc };
        fl_trace_record(t, &r);
        return;
    }
    fl_trace_message_hash(t, time, type, m, text);
    if (!t->recent)
        return;
    struct fl_trace_ring_rec *x = ring_put(t, time, type, node, peer, m->id, m->channel,
                                           (int64_t)m->len, text);
    if (m->channel == FL_CH_ALG && m->len <= FL_TRACE_RING_SMALL) {
        /* A message block holds at least FL_TRACE_RING_SMALL bytes (the
         * smallest class of sim/msg.c): one fixed-size copy, no call. */
        x->has_msg = true;
        x->channel = m->channel;
        memcpy(x->small, m->data, FL_TRACE_RING_SMALL);
        x->len = m->len;
        return;
    }
    ring_keep_payload(x, true, m->channel, m->data, m->len);
}

void fl_trace_note_stop(fl_trace *t, fl_time time, uint64_t events)
{
    if (t->ended || (!t->out && !t->enc))
        return;
    t->ended = true;
    fl_trace_rec r = { .time = time, .type = FL_TR_END, .node = FL_NO_NODE,
                       .peer = FL_NO_NODE, .events = events, .stopped = true };
    fl_msg_info info;
    fl_msg_info_clear(&info);
    if (t->enc ? fl_trace_enc_put(t->enc, &r, &info) < 0
               : fl_trace_write_line(t->out, t->nnodes, &r, &info) < 0)
        t->io_error = 1;
}

void fl_trace_destroy(fl_trace *t)
{
    fl_trace_enc_free(t->enc);     /* a run that failed: no last block */
    t->enc = NULL;
    note_full(t);
    for (size_t i = 0; i < FL_TRACE_RING; i++) {
        free(t->ring[i].bytes);
        t->ring[i].bytes = NULL;
        t->ring[i].cap = 0;
    }
}

void fl_trace_keep_recent(fl_trace *t)
{
    t->recent = true;
    note_full(t);
}

void fl_trace_print_recent(const fl_trace *t, FILE *out, const char *indent)
{
    size_t n = t->ring_next < FL_TRACE_RING ? t->ring_next : FL_TRACE_RING;
    for (size_t i = 0; i < n; i++) {
        const struct fl_trace_ring_rec *x =
            &t->ring[(t->ring_next - n + i) % FL_TRACE_RING];
        fprintf(out, "%s%10.3f ms  %-9s node %d", indent,
                (double)x->time / 1e6, fl_trace_type_name(x->type), x->node);
        if (x->peer != FL_NO_NODE)
            fprintf(out, " -> %d", x->peer);
        if (x->has_msg) {
            fl_msg_info info;
            fl_trace_rec r = { .type = x->type, .channel = x->channel,
                               .payload = !x->len ? NULL : x->len <= FL_TRACE_RING_SMALL
                                          ? x->small : x->bytes, .len = x->len };
            fprintf(out, "  %s", channel_kind(t, &r, &info));
        }
        if (x->text[0])
            fprintf(out, "  %s", x->text);
        fputc('\n', out);
    }
}
