/* trace.c — hashing, the JSON Lines writer and the ring of recent events.
 *
 * Field meanings of a, b by type:
 *   send/deliver/drop/duplicate: a = channel, b = payload length
 *   timer: a = kind, b = cookie          crash: a = unsynced bytes lost
 *   restart/boot: a = incarnation        pause: a = duration ns (0 open)
 *   clock: a = skew ns, b = drift ppm    invoke/complete: a = op kind or
 *   history type, b = value              sync: a = completion time
 *   view: a = kind, b = term             partition/link/heal/skip: text */
#include "sim/trace.h"

#include <inttypes.h>
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

/* ---- Hashing -------------------------------------------------------------- */

uint64_t fl_hash_u64(uint64_t h, uint64_t v)
{
    h ^= v + UINT64_C(0x9E3779B97F4A7C15) + (h << 6) + (h >> 2);
    h *= UINT64_C(0xBF58476D1CE4E5B9);
    return h ^ (h >> 29);
}

uint64_t fl_hash_bytes(uint64_t h, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len >= 8) {
        uint64_t w = 0;
        for (int i = 0; i < 8; i++)      /* little-endian, alignment-free */
            w |= (uint64_t)p[i] << (8 * i);
        h = fl_hash_u64(h, w);
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < len; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    return fl_hash_u64(h, tail ^ ((uint64_t)len << 56));
}

/* ---- Records ---------------------------------------------------------------- */

void fl_trace_init(fl_trace *t, void (*describe)(const void *, size_t, fl_msg_info *))
{
    memset(t, 0, sizeof *t);
    t->hash = UINT64_C(0xCBF29CE484222325);
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

int fl_trace_open(fl_trace *t, FILE *out, uint64_t seed, const char *scenario,
                  uint64_t scenario_hash, const char *algorithm,
                  const fl_trace_node_info *nodes, size_t nnodes)
{
    t->out = out;
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
        info->kind = "message";
        if (t->describe && r->payload)
            t->describe(r->payload, r->len, info);
        if (!info->kind)
            info->kind = "message";
        break;
    }
    return info->kind;
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
    if (v->kind == FL_VIEW_LEADER && v->match) {
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

static void write_json(fl_trace *t, const fl_trace_rec *r, const char *kind,
                       const fl_msg_info *info)
{
    FILE *out = t->out;
    fprintf(out, "{\"t\":%" PRId64 ",\"ev\":\"%s\",\"node\":%d", r->time,
            fl_trace_type_name(r->type), r->node);
    if (r->peer != FL_NO_NODE)
        fprintf(out, ",\"peer\":%d", r->peer);
    if (r->id)
        fprintf(out, ",\"id\":%" PRIu64, r->id);
    if (is_message(r->type)) {
        fputs(",\"kind\":", out);
        json_string(out, kind);
        fprintf(out, ",\"reply\":%s,\"len\":%" PRId64,
                info->is_reply ? "true" : "false", r->b);
        if (info->ok >= 0)
            fprintf(out, ",\"ok\":%s", info->ok ? "true" : "false");
        if (info->term >= 0)
            fprintf(out, ",\"term\":%" PRId64, info->term);
    } else if (r->type == FL_TR_VIEW && r->view) {
        write_view(out, r->view);
    } else {
        fprintf(out, ",\"a\":%" PRId64 ",\"b\":%" PRId64, r->a, r->b);
    }
    if (r->text) {
        fputs(",\"text\":", out);
        json_string(out, r->text);
    }
    fputs("}\n", out);
    if (ferror(out))
        t->io_error = 1;
}

static void ring_push(fl_trace *t, const fl_trace_rec *r, const char *kind)
{
    struct fl_trace_ring_rec *x = &t->ring[t->ring_next++ % FL_TRACE_RING];
    x->time = r->time;
    x->type = r->type;
    x->node = r->node;
    x->peer = r->peer;
    x->id = r->id;
    x->a = r->a;
    x->b = r->b;
    x->kind = kind;
    x->text[0] = '\0';
    if (r->text) {
        strncpy(x->text, r->text, sizeof x->text - 1);
        x->text[sizeof x->text - 1] = '\0';
    }
}

void fl_trace_record(fl_trace *t, const fl_trace_rec *r)
{
    uint64_t h = t->hash;
    h = fl_hash_u64(h, (uint64_t)r->time);
    h = fl_hash_u64(h, ((uint64_t)r->type << 32) ^ (uint32_t)r->node);
    h = fl_hash_u64(h, (uint32_t)r->peer);
    h = fl_hash_u64(h, r->id);
    h = fl_hash_u64(h, (uint64_t)r->a);
    h = fl_hash_u64(h, (uint64_t)r->b);
    if (r->payload)
        h = fl_hash_bytes(h, r->payload, r->len);
    if (r->text)
        h = fl_hash_bytes(h, r->text, strlen(r->text));
    t->hash = h;
    t->count++;

    const char *kind = NULL;
    fl_msg_info info;
    if (is_message(r->type))
        kind = channel_kind(t, r, &info);
    if (t->out)
        write_json(t, r, kind, &info);
    ring_push(t, r, kind);
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
        if (x->kind)
            fprintf(out, "  %s", x->kind);
        if (x->text[0])
            fprintf(out, "  %s", x->text);
        fputc('\n', out);
    }
}
