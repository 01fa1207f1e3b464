/* engine.h — the simulation engine: one clock, one event queue, the nodes
 * and their roles, the network and the disks. `fl_engine_step` fires
 * exactly one event; `fl_engine_run` loops over it; hooks run after every
 * step that ran algorithm code (invariants, the visualizer). The engine
 * knows nothing about any one algorithm: it sees only algorithm.h. */
#ifndef FL_ENGINE_H
#define FL_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "algorithms/algorithm.h"
#include "sim/error.h"
#include "sim/history.h"
#include "sim/scenario/scenario.h"
#include "sim/stepinfo.h"
#include "sim/trace.h"

typedef struct fl_engine fl_engine;

typedef struct fl_engine_stats {
    uint64_t events;
    uint64_t sent, delivered, dropped, duplicated;
    uint64_t timers;
    uint64_t faults_applied, faults_skipped;
    uint64_t crashes, restarts;
    uint64_t ops_ok, ops_fail, ops_info;
    uint64_t syncs;
    size_t   queue_peak;
} fl_engine_stats;

/* After a step in which `node` ran code (or crashed / restarted), with its
 * view before and after. Return nonzero to stop the run. */
typedef int (*fl_step_hook)(void *arg, fl_engine *e, fl_node_id node,
                            const fl_view *before, const fl_view *after);

/* A message between two nodes on the algorithm's channel: `sent` when a
 * handler calls fl_send (before loss or partitions decide its fate),
 * else just delivered, after the receiver's handler ran and before the
 * step hooks of that step. `depart` is when it leaves the sender (after a
 * sync in progress); `unsynced` says the sender's disk still held writes
 * that were not durable at `depart`. For a delivery, `before` and `after`
 * are the receiver's views around its step. */
typedef struct fl_msg_event {
    bool           sent;
    fl_node_id     from, to;
    uint64_t       id;
    fl_time        depart;
    bool           unsynced;
    const void    *data;
    size_t         len;
    fl_msg_desc   *desc;     /* describe's answer kept with the message: use
                              * it if done, else describe and fill it */
    const fl_view *before, *after;
} fl_msg_event;
typedef int (*fl_msg_hook)(void *arg, fl_engine *e, const fl_msg_event *m);

/* Borrows `s` and `alg` for the engine's lifetime. `seed` and `duration`
 * override the scenario's. */
fl_engine *fl_engine_new(const fl_scenario *s, const fl_algorithm *alg,
                         uint64_t seed, fl_time duration, fl_error *err);
void fl_engine_free(fl_engine *e);

/* Write the trace to `out` (borrowed) in `format`; call before any step. */
int  fl_engine_trace_to(fl_engine *e, FILE *out, fl_trace_format format);
/* Ends the trace file (a compact trace's last block); -1 if any write of
 * the trace failed. Call before closing `out`. */
int  fl_engine_trace_close(fl_engine *e);
int  fl_engine_add_hook(fl_engine *e, fl_step_hook hook, void *arg);
/* Message hooks see every algorithm message sent and delivered; they do
 * not change the run (no randomness is drawn for them). Nonzero stops
 * the run. */
int  fl_engine_add_msg_hook(fl_engine *e, fl_msg_hook hook, void *arg);

/* 1: fired one event; 0: the run is over; -1: a hook stopped it. */
int  fl_engine_step(fl_engine *e);
/* Steps until over or stopped; returns the last fl_engine_step result. */
int  fl_engine_run(fl_engine *e);
/* Closes the run: open client operations become `info`. Idempotent. */
void fl_engine_finish(fl_engine *e);

/* The rule the implementation broke, which stopped the run: a node's
 * init failed ("init"), a message over FL_MAX_MESSAGE ("limit.message"),
 * more than FL_MAX_IN_FLIGHT bytes of messages under way
 * ("limit.in_flight"); NULL if none. `check` (may be NULL) gets the name. */
const char *fl_engine_failure(const fl_engine *e, const char **check);
#define FL_MAX_MESSAGE   ((size_t)16 << 20)
#define FL_MAX_IN_FLIGHT ((size_t)256 << 20)

/* What the scenario's nemeses did, in order: each crash, restart, pause,
 * resume, partition (the servers cut off, the minority; everyone else is
 * the other group) and heal they applied, so that `shrink` can replace a
 * nemesis by the explicit faults it amounted to. Kept beside the trace,
 * not in it (trace hashes do not change). */
#define FL_NEMESIS_MEMBERS 16
typedef struct fl_nemesis_action {
    fl_time       at;
    fl_fault_kind kind;        /* CRASH, RESTART, PAUSE, RESUME, PARTITION, HEAL */
    fl_node_id    node;        /* CRASH .. RESUME */
    bool          torn;        /* CRASH: the unsynced last write was torn */
    size_t        nmembers;    /* PARTITION: the minority's node ids */
    fl_node_id    members[FL_NEMESIS_MEMBERS];
    bool          overflow;    /* ... more than FL_NEMESIS_MEMBERS of them */
} fl_nemesis_action;
/* The actions so far (*n of them); NULL if none. Kept only after
 * fl_engine_keep_nemesis_log (before the run): a long run would otherwise
 * hold a record per action for nothing. */
const fl_nemesis_action *fl_engine_nemesis_log(const fl_engine *e, size_t *n);
void fl_engine_keep_nemesis_log(fl_engine *e);
/* Keeps the last events of the trace (fl_trace_print_recent of
 * fl_engine_trace), from now on: before the run. Off by default. */
void fl_engine_keep_recent(fl_engine *e);

fl_time  fl_engine_now(const fl_engine *e);
fl_time  fl_engine_end(const fl_engine *e);
uint64_t fl_engine_seed(const fl_engine *e);
bool     fl_engine_done(const fl_engine *e);
uint64_t fl_engine_trace_hash(const fl_engine *e);
const fl_engine_stats *fl_engine_stats_get(const fl_engine *e);
const fl_history *fl_engine_history(const fl_engine *e);
/* The same, for the run that forgets its start (fl_history_forget). */
fl_history *fl_engine_history_mut(fl_engine *e);
const fl_trace   *fl_engine_trace(const fl_engine *e);
const fl_scenario *fl_engine_scenario(const fl_engine *e);
const fl_algorithm *fl_engine_algorithm(const fl_engine *e);

size_t      fl_engine_node_count(const fl_engine *e);
const char *fl_engine_node_role(const fl_engine *e, fl_node_id node);
bool        fl_engine_node_alive(const fl_engine *e, fl_node_id node);
bool        fl_engine_node_paused(const fl_engine *e, fl_node_id node);
const fl_view *fl_engine_node_view(const fl_engine *e, fl_node_id node);
/* Whether no partition or cut stops a message from `from` to `to` now. */
bool        fl_engine_link_up(const fl_engine *e, fl_node_id from, fl_node_id to);
/* Entry `index` of a live node's log, through its role's inspect_entry. */
bool        fl_engine_node_entry(const fl_engine *e, fl_node_id node,
                                 int64_t index, fl_view_entry *out);
/* What made the node of the current (or last) step run, and the timers
 * it set (stepinfo.h). Valid during and after the step's hooks. */
const fl_step_info *fl_engine_step_info(const fl_engine *e);
/* Whether `node` (alive) has a timer that should have fired by now and
 * has not: held while the node is paused or busy, or withheld by manual
 * delivery. Scans the timers: for rule checks, not for every event. */
bool        fl_engine_node_timer_late(const fl_engine *e, fl_node_id node);
/* Whether the engine runs on its own clock (a run) rather than under
 * manual delivery (sim/manual.c), where a caller picks every event and
 * may hold a due timer back as long as it likes. */
bool        fl_engine_timed(const fl_engine *e);
/* Time of the last heal, restart or crash-free start (for liveness). */
fl_time     fl_engine_last_disruption_end(const fl_engine *e);
/* Earliest time since the last disruption at which some node led, or -1. */
fl_time     fl_engine_leader_since(const fl_engine *e);
/* Fault-free time so far inside the workload window [workload.start,
 * min(workload.stop, end)]: time with every node up and not paused and no
 * link cut by a partition or a link fault (for liveness). */
fl_time     fl_engine_fault_free_time(const fl_engine *e);
/* The settling allowance: fault-free time after a recovery counts only
 * from this long after it (fl_scenario_settle). */
fl_time     fl_engine_settle(const fl_engine *e);
/* Since when no fault is active (as for fault-free time), -1 while one is. */
fl_time     fl_engine_quiet_since(const fl_engine *e);

#endif
