/* stepinfo.h — what made a node run its code in the step that just ended,
 * and which timers it set meanwhile: plain data the engine fills and the
 * invariants read (algorithms/invariant.h, fl_world_step), so a rule check
 * can tell a timer that fired from a message that arrived, and a timer
 * re-armed from one left alone. */
#ifndef FL_STEPINFO_H
#define FL_STEPINFO_H

#include "algorithms/algorithm.h"

typedef enum fl_cause_kind {
    FL_CAUSE_OTHER,          /* a crash, a resume, nothing known */
    FL_CAUSE_BOOT,           /* start or restart: init and start ran */
    FL_CAUSE_MESSAGE,        /* a message was handed over (any channel) */
    FL_CAUSE_TIMER           /* one of its timers fired */
} fl_cause_kind;

typedef struct fl_step_info {
    fl_node_id    node;      /* the node that stepped */
    fl_cause_kind cause;
    fl_timer_kind timer;     /* FL_CAUSE_TIMER: the kind that fired */
    fl_time       timer_due; /* FL_CAUSE_TIMER: when it was due; before the
                                step's time if it fired late (held while
                                the node was busy, or withheld by manual
                                delivery) */
    unsigned      set;       /* bit (1u << kind): the step set a timer of
                                that kind */
    fl_time       set_due[FL_TIMER_KIND_COUNT]; /* latest due of each kind
                                set, in simulated (real) time */
} fl_step_info;

#endif
