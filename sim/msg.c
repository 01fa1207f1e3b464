/* msg.c — messages in flight: allocation from per-size free lists (a run
 * sends and frees millions of messages of a few sizes; reusing their
 * blocks costs a few instructions where malloc and free cost a hundred),
 * copies, and the count of message bytes under way. */
#include "sim/engine_internal.h"

#include <stdlib.h>
#include <string.h>

/* The trace's ring copies a small message's first FL_TRACE_RING_SMALL
 * bytes whatever its length (sim/trace.c): every block holds that many. */
_Static_assert(FL_TRACE_RING_SMALL <= 16, "the smallest message block is 16 bytes");

void fl_msg_pool_init(fl_msg_pool *p)
{
    memset(p, 0, sizeof *p);
}

void fl_msg_pool_destroy(fl_msg_pool *p)
{
    for (unsigned c = 0; c < FL_MSG_POOL_CLASSES; c++)
        while (p->free[c]) {
            fl_msg *m = p->free[c];
            p->free[c] = m->next_free;
            free(m);
        }
    p->pooled = 0;
}

fl_msg *fl_msg_alloc_new(fl_msg_pool *p, size_t len, unsigned c)
{
    size_t cap = c < FL_MSG_POOL_CLASSES ? (size_t)16 << c : len;
    fl_msg *m = malloc(sizeof *m + cap);
    if (!m)
        return NULL;
    m->pool = p;
    m->size_class = (uint8_t)c;
    m->len = len;
    p->in_flight += len;
    return m;
}

fl_msg *fl_msg_copy(const fl_msg *src)
{
    fl_msg *m = fl_msg_alloc(src->pool, src->len);
    if (!m)
        return NULL;
    uint8_t c = m->size_class;
    memcpy(m, src, sizeof *m + src->len);
    m->size_class = c;
    return m;
}

void fl_msg_free_block(fl_msg *m)
{
    free(m);
}
