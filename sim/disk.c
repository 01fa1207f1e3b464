/* disk.c — a node's disk: per file a current and a durable buffer, and a
 * FIFO of pending operations replayed onto the durable buffer once the
 * sync that covers them has completed. */
#include "sim/disk.h"

#include "sim/trace.h"

#include <stdlib.h>
#include <string.h>

#define FL_DISK_NEVER INT64_MAX

typedef struct fl_buf {
    uint8_t *data;
    uint64_t len;
    uint64_t cap;
} fl_buf;

typedef struct fl_file {
    char  *name;
    fl_buf cur;
    fl_buf dur;
    bool   exists_dur;
} fl_file;

typedef struct fl_pending {
    size_t   file;        /* index into files */
    bool     truncate;
    uint64_t off;         /* write offset, or truncate size */
    uint8_t *data;
    size_t   len;
    fl_time  durable_at;  /* FL_DISK_NEVER until a sync covers it */
} fl_pending;

struct fl_disk {
    fl_file    *files;
    size_t      nfiles;
    fl_pending *pend;
    size_t      npend, pend_cap, pend_head;
};

fl_disk *fl_disk_new(void)
{
    return calloc(1, sizeof(fl_disk));
}

static void pending_clear(fl_disk *d)
{
    for (size_t i = d->pend_head; i < d->npend; i++)
        free(d->pend[i].data);
    d->npend = d->pend_head = 0;
}

void fl_disk_free(fl_disk *d)
{
    if (!d)
        return;
    pending_clear(d);
    free(d->pend);
    for (size_t i = 0; i < d->nfiles; i++) {
        free(d->files[i].name);
        free(d->files[i].cur.data);
        free(d->files[i].dur.data);
    }
    free(d->files);
    free(d);
}

/* A file larger than this is a bug in the algorithm, not a disk to emulate. */
#define FL_DISK_MAX_FILE ((uint64_t)1 << 30)

static int buf_reserve(fl_buf *b, uint64_t need)
{
    if (need > FL_DISK_MAX_FILE)
        return -1;
    if (need <= b->cap)
        return 0;
    uint64_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

static int buf_write(fl_buf *b, uint64_t off, const void *data, size_t len)
{
    if (off > FL_DISK_MAX_FILE || len > FL_DISK_MAX_FILE)
        return -1;
    if (buf_reserve(b, off + len) < 0)
        return -1;
    if (off > b->len)
        memset(b->data + b->len, 0, off - b->len);
    memcpy(b->data + off, data, len);
    if (off + len > b->len)
        b->len = off + len;
    return 0;
}

static int buf_truncate(fl_buf *b, uint64_t size)
{
    if (size > b->len) {
        if (buf_reserve(b, size) < 0)
            return -1;
        memset(b->data + b->len, 0, size - b->len);
    }
    b->len = size;
    return 0;
}

static fl_file *file_find(const fl_disk *d, const char *name, size_t *idx)
{
    for (size_t i = 0; i < d->nfiles; i++)
        if (strcmp(d->files[i].name, name) == 0) {
            if (idx)
                *idx = i;
            return &d->files[i];
        }
    return NULL;
}

static fl_file *file_get(fl_disk *d, const char *name, size_t *idx)
{
    fl_file *f = file_find(d, name, idx);
    if (f)
        return f;
    fl_file *files = realloc(d->files, (d->nfiles + 1) * sizeof *files);
    if (!files)
        return NULL;
    d->files = files;
    f = &files[d->nfiles];
    memset(f, 0, sizeof *f);
    f->name = strdup(name);
    if (!f->name)
        return NULL;
    *idx = d->nfiles++;
    return f;
}

static void apply_durable(fl_disk *d, const fl_pending *p, int64_t keep)
{
    fl_file *f = &d->files[p->file];
    f->exists_dur = true;
    if (p->truncate)
        (void)buf_truncate(&f->dur, p->off);
    else
        (void)buf_write(&f->dur, p->off, p->data, keep < 0 ? p->len : (size_t)keep);
}

/* Moves every pending op whose sync completed by `now` into durable state. */
static void settle(fl_disk *d, fl_time now)
{
    while (d->pend_head < d->npend && d->pend[d->pend_head].durable_at <= now) {
        fl_pending *p = &d->pend[d->pend_head++];
        apply_durable(d, p, -1);
        free(p->data);
    }
    if (d->pend_head == d->npend)
        d->npend = d->pend_head = 0;
}

static int pending_push(fl_disk *d, const fl_pending *p)
{
    if (d->npend == d->pend_cap) {
        if (d->pend_head > 0) {
            memmove(d->pend, d->pend + d->pend_head,
                    (d->npend - d->pend_head) * sizeof *d->pend);
            d->npend -= d->pend_head;
            d->pend_head = 0;
        }
        if (d->npend == d->pend_cap) {
            size_t cap = d->pend_cap ? d->pend_cap * 2 : 16;
            fl_pending *np = realloc(d->pend, cap * sizeof *np);
            if (!np)
                return -1;
            d->pend = np;
            d->pend_cap = cap;
        }
    }
    d->pend[d->npend++] = *p;
    return 0;
}

int fl_disk_do_write(fl_disk *d, const char *file, uint64_t off,
                     const void *data, size_t len)
{
    size_t idx;
    fl_file *f = file_get(d, file, &idx);
    if (!f || buf_write(&f->cur, off, data, len) < 0)
        return -1;
    fl_pending p = { .file = idx, .off = off, .len = len,
                     .durable_at = FL_DISK_NEVER };
    p.data = malloc(len ? len : 1);
    if (!p.data)
        return -1;
    memcpy(p.data, data, len);
    if (pending_push(d, &p) < 0) {
        free(p.data);
        return -1;
    }
    return 0;
}

int fl_disk_do_truncate(fl_disk *d, const char *file, uint64_t size)
{
    size_t idx;
    fl_file *f = file_get(d, file, &idx);
    if (!f || buf_truncate(&f->cur, size) < 0)
        return -1;
    fl_pending p = { .file = idx, .truncate = true, .off = size,
                     .durable_at = FL_DISK_NEVER };
    return pending_push(d, &p);
}

void fl_disk_do_sync(fl_disk *d, fl_time now, fl_time done)
{
    settle(d, now);
    for (size_t i = d->pend_head; i < d->npend; i++)
        if (d->pend[i].durable_at == FL_DISK_NEVER)
            d->pend[i].durable_at = done;
}

int64_t fl_disk_do_read(const fl_disk *d, const char *file, uint64_t off,
                        void *buf, size_t len)
{
    const fl_file *f = file_find(d, file, NULL);
    if (!f)
        return -1;
    if (off >= f->cur.len)
        return 0;
    uint64_t n = f->cur.len - off;
    if (n > len)
        n = len;
    memcpy(buf, f->cur.data + off, n);
    return (int64_t)n;
}

int64_t fl_disk_do_size(const fl_disk *d, const char *file)
{
    const fl_file *f = file_find(d, file, NULL);
    return f ? (int64_t)f->cur.len : -1;
}

int64_t fl_disk_first_pending_len(const fl_disk *d, fl_time now)
{
    for (size_t i = d->pend_head; i < d->npend; i++)
        if (d->pend[i].durable_at > now && !d->pend[i].truncate)
            return (int64_t)d->pend[i].len;
    return -1;
}

static int copy_buf(fl_buf *dst, const fl_buf *src)
{
    dst->len = 0;
    if (buf_reserve(dst, src->len) < 0)
        return -1;
    if (src->len)
        memcpy(dst->data, src->data, src->len);
    dst->len = src->len;
    return 0;
}

size_t fl_disk_crash(fl_disk *d, fl_time now, int64_t torn_keep)
{
    settle(d, now);
    size_t lost = 0;
    bool torn_done = torn_keep < 0;
    for (size_t i = d->pend_head; i < d->npend; i++) {
        fl_pending *p = &d->pend[i];
        if (!torn_done && !p->truncate) {
            apply_durable(d, p, torn_keep);
            torn_done = true;
        }
        lost += p->len;
    }
    pending_clear(d);
    /* Drop files that never became durable; restore the others. */
    size_t w = 0;
    for (size_t i = 0; i < d->nfiles; i++) {
        fl_file *f = &d->files[i];
        if (!f->exists_dur) {
            free(f->name);
            free(f->cur.data);
            free(f->dur.data);
            continue;
        }
        (void)copy_buf(&f->cur, &f->dur);
        d->files[w++] = *f;
    }
    d->nfiles = w;
    return lost;
}

uint64_t fl_disk_bytes(const fl_disk *d)
{
    uint64_t n = 0;
    for (size_t i = 0; i < d->nfiles; i++)
        n += d->files[i].cur.len;
    return n;
}

uint64_t fl_disk_hash(const fl_disk *d)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < d->nfiles; i++) {
        const fl_file *f = &d->files[i];
        uint64_t h = fl_hash_bytes(0x6469736bu, f->name, strlen(f->name));
        h = fl_hash_bytes(h, f->cur.data, (size_t)f->cur.len);
        h = fl_hash_u64(h, f->exists_dur ? f->dur.len + 1 : 0);
        h = fl_hash_bytes(h, f->dur.data, (size_t)f->dur.len);
        sum += fl_hash_u64(h, 1);       /* a sum: the files' order is no matter */
    }
    return sum;
}
