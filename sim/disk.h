/* disk.h — one node's simulated disk: named files whose current contents
 * (what reads see) run ahead of their durable contents (what survives a
 * crash). Writes and truncations queue as pending operations; a sync stamps
 * them with the time it completes, and they become durable at that time. */
#ifndef FL_DISK_H
#define FL_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"

typedef struct fl_disk fl_disk;

fl_disk *fl_disk_new(void);
void     fl_disk_free(fl_disk *d);

int     fl_disk_do_write(fl_disk *d, const char *file, uint64_t off,
                         const void *data, size_t len);
int     fl_disk_do_truncate(fl_disk *d, const char *file, uint64_t size);
/* Everything written so far becomes durable at `done` (>= now). */
void    fl_disk_do_sync(fl_disk *d, fl_time now, fl_time done);
int64_t fl_disk_do_read(const fl_disk *d, const char *file, uint64_t off,
                        void *buf, size_t len);
int64_t fl_disk_do_size(const fl_disk *d, const char *file);

/* A crash at `now`: keep what was durable by then. If `torn_keep` >= 0,
 * the oldest pending write that was not durable keeps its first
 * `torn_keep` bytes (a torn write). Returns bytes of pending writes lost. */
size_t  fl_disk_crash(fl_disk *d, fl_time now, int64_t torn_keep);
/* Length of the oldest non-durable pending write at `now`, or -1. */
int64_t fl_disk_first_pending_len(const fl_disk *d, fl_time now);

uint64_t fl_disk_bytes(const fl_disk *d);      /* current contents, all files */
/* A hash of every file's current and durable contents (search states). */
uint64_t fl_disk_hash(const fl_disk *d);

#endif
