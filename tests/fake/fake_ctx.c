/* fake_ctx.c — see fake_ctx.h. */
#include "tests/fake/fake_ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fake_ctx_init(fl_ctx *ctx, fl_node_id self, size_t n)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->self = self;
    ctx->nservers = n < 8 ? n : 8;
    for (size_t i = 0; i < ctx->nservers; i++)
        ctx->servers[i] = (fl_node_id)i;
    ctx->rng = 0x9e3779b97f4a7c15u;
}

void fake_ctx_clear_sent(fl_ctx *ctx)
{
    for (size_t i = 0; i < ctx->nsent; i++)
        free(ctx->sent[i].data);
    ctx->nsent = 0;
}

void fake_ctx_destroy(fl_ctx *ctx)
{
    fake_ctx_clear_sent(ctx);
    for (size_t i = 0; i < ctx->nfiles; i++)
        free(ctx->files[i].data);
    ctx->nfiles = 0;
}

const fake_timer *fake_ctx_timer(const fl_ctx *ctx, fl_timer_kind kind)
{
    for (size_t i = ctx->ntimers; i-- > 0;)
        if (ctx->timers[i].kind == kind && !ctx->timers[i].cancelled)
            return &ctx->timers[i];
    return NULL;
}

/* ---- algorithm.h ---------------------------------------------------------- */

fl_node_id fl_self(const fl_ctx *ctx) { return ctx->self; }
fl_time fl_now(const fl_ctx *ctx) { return ctx->now; }

size_t fl_nodes(const fl_ctx *ctx, const char *role, const fl_node_id **ids)
{
    (void)role;
    *ids = ctx->servers;
    return ctx->nservers;
}

void fl_send(fl_ctx *ctx, fl_node_id to, const void *msg, size_t len)
{
    if (ctx->nsent == FAKE_MAX_SENT)
        return;
    fake_sent *s = &ctx->sent[ctx->nsent];
    s->data = malloc(len ? len : 1);
    if (!s->data)
        return;
    memcpy(s->data, msg, len);
    s->len = len;
    s->to = to;
    s->unsynced_writes = ctx->dirty;
    ctx->nsent++;
}

fl_timer_id fl_set_timer(fl_ctx *ctx, fl_time delay, fl_timer_kind kind, uint64_t cookie)
{
    if (ctx->ntimers == FAKE_MAX_TIMERS) {
        memmove(ctx->timers, ctx->timers + 1, (FAKE_MAX_TIMERS - 1) * sizeof ctx->timers[0]);
        ctx->ntimers--;
    }
    fake_timer *t = &ctx->timers[ctx->ntimers++];
    t->id = ++ctx->next_timer;
    t->kind = kind;
    t->delay = delay;
    t->cookie = cookie;
    t->cancelled = false;
    return t->id;
}

void fl_cancel_timer(fl_ctx *ctx, fl_timer_id id)
{
    for (size_t i = 0; i < ctx->ntimers; i++)
        if (ctx->timers[i].id == id)
            ctx->timers[i].cancelled = true;
}

uint64_t fl_random(fl_ctx *ctx)
{
    uint64_t z = (ctx->rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

int64_t fl_random_between(fl_ctx *ctx, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(fl_random(ctx) % (uint64_t)(hi - lo + 1));
}

static fake_file *find_file(fl_ctx *ctx, const char *name, bool create)
{
    for (size_t i = 0; i < ctx->nfiles; i++)
        if (strcmp(ctx->files[i].name, name) == 0)
            return &ctx->files[i];
    if (!create || ctx->nfiles == FAKE_MAX_FILES)
        return NULL;
    fake_file *f = &ctx->files[ctx->nfiles++];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    return f;
}

int fl_disk_write(fl_ctx *ctx, const char *file, uint64_t offset, const void *data, size_t len)
{
    fake_file *f = find_file(ctx, file, true);
    if (!f)
        return -1;
    if (offset + len > f->len) {
        uint8_t *d = realloc(f->data, offset + len);
        if (!d)
            return -1;
        memset(d + f->len, 0, offset + len - f->len);
        f->data = d;
        f->len = offset + len;
    }
    memcpy(f->data + offset, data, len);
    ctx->dirty = true;
    return 0;
}

int fl_disk_truncate(fl_ctx *ctx, const char *file, uint64_t size)
{
    fake_file *f = find_file(ctx, file, true);
    if (!f)
        return -1;
    if (size < f->len)
        f->len = size;
    ctx->dirty = true;
    return 0;
}

void fl_disk_sync(fl_ctx *ctx)
{
    ctx->dirty = false;
    ctx->syncs++;
}

int64_t fl_disk_read(fl_ctx *ctx, const char *file, uint64_t offset, void *buf, size_t len)
{
    fake_file *f = find_file(ctx, file, false);
    if (!f)
        return -1;
    if (offset >= f->len)
        return 0;
    size_t n = f->len - offset < len ? f->len - offset : len;
    memcpy(buf, f->data + offset, n);
    return (int64_t)n;
}

int64_t fl_disk_size(fl_ctx *ctx, const char *file)
{
    fake_file *f = find_file(ctx, file, false);
    return f ? (int64_t)f->len : -1;
}

void fl_reply(fl_ctx *ctx, const fl_request *req, fl_status status, int64_t value)
{
    (void)req;
    ctx->replies++;
    ctx->last_status = status;
    ctx->last_value = value;
}

void fl_redirect(fl_ctx *ctx, const fl_request *req, fl_node_id hint)
{
    fl_reply(ctx, req, FL_STATUS_REDIRECT, hint);
}

void fl_log(fl_ctx *ctx, const char *fmt, ...)
{
    (void)ctx;
    (void)fmt;
}
