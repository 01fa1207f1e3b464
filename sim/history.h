/* history.h — the client history of a run: invoke + ok / fail / info per
 * operation, with Jepsen's semantics (DESIGN.md "Nodes, roles and clients").
 * Owns the event array and the writers for JSON Lines and Jepsen EDN. */
#ifndef FL_HISTORY_H
#define FL_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "algorithms/algorithm.h"

typedef enum fl_hist_type {
    FL_HIST_INVOKE,
    FL_HIST_OK,
    FL_HIST_FAIL,     /* certainly did not happen, observed nothing */
    FL_HIST_INFO      /* indeterminate: may take effect any time after invoke */
} fl_hist_type;

/* One line of a history. For an invoke, `op` is what was asked; for a
 * completion, `op` repeats it and `value` is the result (reads: the value
 * or FL_NIL; CAS: 1 swapped / 0 not; acquire: the token). */
typedef struct fl_hist_event {       /* 64 bytes: no padding hole */
    fl_hist_type type;
    fl_node_id   client;     /* client node, FL_NO_NODE if unknown */
    int64_t      process;    /* Jepsen process: changes after an info */
    uint64_t     op_id;      /* pairs an invoke with its completion */
    fl_op        op;
    int64_t      value;
    fl_time      time;       /* simulated ns (or file order when read) */
} fl_hist_event;

/* A long run forgets the start of its history (fl_history_forget) once
 * the linearizability check has read it: the events leave memory for an
 * unlinked temporary file (`spill`), from which the writers and
 * fl_history_recall read them back. `events` then holds event `base`
 * onwards: event i (counted from the run's start) is events[i - base]. */
typedef struct fl_history {
    fl_hist_event *events;   /* events base .. base + len - 1 */
    size_t         len;
    size_t         cap;
    size_t         base;     /* events forgotten (in `spill`), 0 if none */
    uint64_t       next_op_id;
    uint64_t       invoked[FL_OP_KIND_COUNT];  /* invokes so far, by kind */
    FILE          *spill;    /* the forgotten events, or NULL */
} fl_history;

void fl_history_init(fl_history *h);
void fl_history_destroy(fl_history *h);
/* Appends an invoke and returns its op id (0 on allocation failure). */
uint64_t fl_history_invoke(fl_history *h, int64_t process, fl_node_id client,
                           const fl_op *op, fl_time now);
/* Completes op `op_id` (found by id); returns 0, or -1 if unknown. */
int fl_history_complete(fl_history *h, uint64_t op_id, fl_hist_type type,
                        int64_t value, fl_time now);

/* Events recorded so far, forgotten ones included. */
static inline size_t fl_history_total(const fl_history *h)
{
    return h->base + h->len;
}

/* The index (from the run's start) of the oldest invoke still open, or
 * fl_history_total(h) if none is: nothing from there on may be forgotten. */
size_t fl_history_open_floor(const fl_history *h);
/* Moves the events before index `upto` (at most the open floor) out of
 * memory into the spill file. Returns how many were forgotten, or -1 when
 * the file cannot be written (then nothing is: the history stays whole). */
long fl_history_forget(fl_history *h, size_t upto);
/* Reads every forgotten event back into memory (base becomes 0). Returns
 * 0, or -1 (out of memory, or a read error) leaving the history as it was. */
int fl_history_recall(fl_history *h);

const char *fl_op_kind_name(fl_op_kind k);        /* "read", "write", ... */
const char *fl_hist_type_name(fl_hist_type t);    /* "invoke", "ok", ... */

/* Writers, of every event, forgotten ones included: 0 on success, -1 on an
 * I/O error. */
int fl_history_write_jsonl(const fl_history *h, FILE *out);
int fl_history_write_edn(const fl_history *h, FILE *out);

#endif
