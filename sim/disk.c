/* disk.c — a node's disk: per file a current and a durable buffer, and a
 * FIFO of pending operations replayed onto the durable buffer once the
 * sync that covers them has completed.
 *
 * Memory follows live data: a buffer truncated well below its capacity
 * gives the rest back (an empty one frees everything), and files are found
 * by name through an open-addressing hash index (O(1)), since an algorithm
 * may leave many (mostly empty) files behind over a long run. */
#include "sim/disk.h"

#include "sim/util/hash.h"
#include "sim/util/vec.h"

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
    size_t      nfiles, files_cap;
    uint32_t   *index;      /* 1 + position in files, 0 empty; power of two */
    size_t      index_cap;
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
    free(d->index);
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
    if (len)                            /* an empty write may have no buffer */
        memcpy(b->data + off, data, len);
    if (off + len > b->len)
        b->len = off + len;
    return 0;
}

/* Gives memory back when the contents shrank to under a quarter of it. */
static void buf_shrink(fl_buf *b)
{
    if (b->len == 0) {
        free(b->data);
        b->data = NULL;
        b->cap = 0;
        return;
    }
    if (b->cap <= 256 || b->len > b->cap / 4)
        return;
    uint64_t cap = 64;
    while (cap < b->len)
        cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (p) {
        b->data = p;
        b->cap = cap;
    }
}

static int buf_truncate(fl_buf *b, uint64_t size)
{
    if (size > b->len) {
        if (buf_reserve(b, size) < 0)
            return -1;
        memset(b->data + b->len, 0, size - b->len);
    }
    b->len = size;
    buf_shrink(b);
    return 0;
}

/* ---- The name index ------------------------------------------------------ */

static uint64_t name_hash(const char *name)
{
    return fl_fnv1a_str(FL_FNV_OFFSET, name);
}

static void index_put(uint32_t *index, size_t cap, const char *name, uint32_t pos)
{
    size_t i = (size_t)name_hash(name) & (cap - 1);
    while (index[i])
        i = (i + 1) & (cap - 1);
    index[i] = pos + 1;
}

/* Rebuilds the index for the current file list, at least twice its size. */
static int index_rebuild(fl_disk *d)
{
    size_t cap = 16;
    while (cap < 2 * (d->nfiles + 1))
        cap *= 2;
    uint32_t *index = calloc(cap, sizeof *index);
    if (!index)
        return -1;
    for (size_t i = 0; i < d->nfiles; i++)
        index_put(index, cap, d->files[i].name, (uint32_t)i);
    free(d->index);
    d->index = index;
    d->index_cap = cap;
    return 0;
}

/* Re-enters every file after the list was compacted in place; the list
 * only shrank, so the index is still large enough. */
static void index_refill(fl_disk *d)
{
    if (!d->index_cap)
        return;
    memset(d->index, 0, d->index_cap * sizeof *d->index);
    for (size_t i = 0; i < d->nfiles; i++)
        index_put(d->index, d->index_cap, d->files[i].name, (uint32_t)i);
}

static fl_file *file_find(const fl_disk *d, const char *name, size_t *idx)
{
    if (!d->index_cap)
        return NULL;
    size_t i = (size_t)name_hash(name) & (d->index_cap - 1);
    for (; d->index[i]; i = (i + 1) & (d->index_cap - 1)) {
        size_t pos = d->index[i] - 1;
        if (strcmp(d->files[pos].name, name) == 0) {
            if (idx)
                *idx = pos;
            return &d->files[pos];
        }
    }
    return NULL;
}

static fl_file *file_get(fl_disk *d, const char *name, size_t *idx)
{
    fl_file *f = file_find(d, name, idx);
    if (f)
        return f;
    if (d->nfiles >= UINT32_MAX - 1)
        return NULL;
    if (fl_vec_grow(&d->files, &d->files_cap, d->nfiles + 1, sizeof *d->files, 8) < 0)
        return NULL;
    char *copy = strdup(name);
    if (!copy)
        return NULL;
    if (2 * (d->nfiles + 1) > d->index_cap) {
        if (index_rebuild(d) < 0) {
            free(copy);
            return NULL;
        }
    }
    f = &d->files[d->nfiles];
    memset(f, 0, sizeof *f);
    f->name = copy;
    index_put(d->index, d->index_cap, copy, (uint32_t)d->nfiles);
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
        if (fl_vec_grow(&d->pend, &d->pend_cap, d->npend + 1, sizeof *d->pend, 16) < 0)
            return -1;
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
    buf_shrink(dst);
    return 0;
}

/* A power failure: what a sync completed stays; of the rest, a torn crash
 * keeps a prefix of the operations in the order they were issued, up to
 * the first unsynced write, which it keeps in part (`torn_keep` bytes):
 * the truncations issued before that write are applied with it, since a
 * disk that wrote a later operation had the earlier ones too. Without a
 * tear the prefix is empty. Everything after it is lost. */
size_t fl_disk_crash(fl_disk *d, fl_time now, int64_t torn_keep)
{
    settle(d, now);
    size_t lost = 0;
    bool torn_done = torn_keep < 0;
    for (size_t i = d->pend_head; i < d->npend; i++) {
        fl_pending *p = &d->pend[i];
        if (!torn_done) {
            apply_durable(d, p, p->truncate ? -1 : torn_keep);
            torn_done = !p->truncate;
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
    index_refill(d);          /* positions moved */
    return lost;
}

uint64_t fl_disk_bytes(const fl_disk *d)
{
    uint64_t n = 0;
    for (size_t i = 0; i < d->nfiles; i++)
        n += d->files[i].cur.len;
    return n;
}

uint64_t fl_disk_mem_bytes(const fl_disk *d)
{
    uint64_t n = 0;
    for (size_t i = 0; i < d->nfiles; i++)
        n += d->files[i].cur.cap + d->files[i].dur.cap;
    for (size_t i = d->pend_head; i < d->npend; i++)
        n += d->pend[i].len;
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
