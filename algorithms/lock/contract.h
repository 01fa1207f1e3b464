/* contract.h — what faultline's lock-service checks (family "lock") read
 * from a lock plug-in: the role names and the view scalars its `inspect`
 * reports. Installed as <faultline/lock.h>; the template templates/lock/
 * fills all of it in. Constants only: include it after
 * <faultline/algorithm.h>.
 *
 * The servers run Raft, so the family also runs the Raft log checks
 * (raft.election_safety ... raft.state_machine_safety): a server's view
 * and inspect_entry follow <faultline/raft.h> for those. The lock checks
 * read no message kinds and no entries: only what is below.
 *
 * A check whose scalars a plug-in does not report stands aside (a plug-in
 * that reports nothing is trusted on that rule), except lock.progress,
 * which needs the storage's FL_LOCK_SCALAR_APPLIED to grow at least once.
 * Only lock 0 is checked: the one the clients of the shipped scenarios
 * contend for. */
#ifndef FAULTLINE_LOCK_H
#define FAULTLINE_LOCK_H

/* ---- Roles: fl_role.name, exactly these strings ------------------------- */

/* The lock servers (the first role): replicate the lock table. */
#define FL_LOCK_ROLE_SERVER  "server"
/* The lock clients: acquire, write to the storage with the token, release. */
#define FL_LOCK_ROLE_CLIENT  "client"
/* The protected storage: applies the clients' fenced writes. */
#define FL_LOCK_ROLE_STORAGE "storage"

/* ---- A server's view: lock 0 in its applied state ------------------------
 * view->applied is the last log entry applied to the lock table (-1: none);
 * lock.token_monotonic compares a server's views before and after a step
 * that applied entries (after->applied > before->applied >= 0). */

/* The client node holding lock 0, -1 when free. lock.token_monotonic: a
 * grant to a new holder needs a token above every earlier one. */
#define FL_LOCK_SCALAR_HOLDER     "holder"
/* The fencing token of lock 0's current (or last) grant, 0 before any.
 * lock.token_monotonic: it never goes down (an old grant never returns).
 * lock.token_unique: with FL_LOCK_SCALAR_HOLDER, one token names one
 * holder across every server and restart, once the server that showed the
 * pair sent a message after it (so a grant lost in a crash before its
 * answer left may go to another client). */
#define FL_LOCK_SCALAR_TOKEN      "token"
/* When the current lease ends, in ms on the leader's clock (shown only;
 * no check reads it). */
#define FL_LOCK_SCALAR_EXPIRY_MS  "expiry_ms"
/* The highest token the servers ever granted, 0 before any.
 * lock.token_monotonic: it never goes down, and a new holder's token is
 * above its value before the step. Storage: see below (same name). */
#define FL_LOCK_SCALAR_LAST_TOKEN "last_token"

/* ---- The storage's view ----------------------------------------------------
 * lock.stale_write, lock.exclusion and lock.progress read a storage node's
 * views around every step in which FL_LOCK_SCALAR_APPLIED grew. */

/* How many writes the storage applied: it grows by one per write applied
 * (the checks compare a step's views, so a restart may reset it). */
#define FL_LOCK_SCALAR_APPLIED     "applied"
/* (FL_LOCK_SCALAR_LAST_TOKEN) the token of the last write applied.
 * lock.stale_write: never below a token applied before; lock.exclusion:
 * each token's writes come from one writer. */
/* The client node whose write was applied last. lock.exclusion. */
#define FL_LOCK_SCALAR_LAST_WRITER "last_writer"
/* Shown only (no check reads them): the highest token accepted, writes
 * rejected as stale, the protected value. */
#define FL_LOCK_SCALAR_MAX_TOKEN   "max_token"
#define FL_LOCK_SCALAR_REJECTED    "rejected"
#define FL_LOCK_SCALAR_VALUE       "value"

/* ---- Message kinds the scenarios aim faults at ------------------------------
 * No check reads message kinds, but scenarios/lock/storage-restart.json
 * crashes the storage right after it answers a write ("on": {"sent":
 * FL_LOCK_MSG_STORAGE_REPLY, "from": "storage:0"}): a plug-in whose
 * describe names that answer differently never meets those crashes, and
 * a storage that forgets its highest token on a restart goes unseen. */
/* The storage's answer to a client's fenced write (is_reply; ok = applied). */
#define FL_LOCK_MSG_STORAGE_REPLY  "StorageReply"

/* ---- Scenario params (fl_algorithm.validate sees them) ---------------------
 * The shipped scenarios set these; the built-in's defaults in brackets. A
 * plug-in that cannot honour one should refuse it in validate. */
#define FL_LOCK_PARAM_LEASE_MS   "lease_ms"   /* lease asked for by acquire [1000] */
#define FL_LOCK_PARAM_RENEW_MS   "renew_ms"   /* a holder renews this often [300] */
#define FL_LOCK_PARAM_WORK_MS    "work_ms"    /* a client's pause between rounds [100] */
#define FL_LOCK_PARAM_COMPUTE_MS "compute_ms" /* the work between a lease check and its write [50] */
#define FL_LOCK_PARAM_WRITES     "writes"     /* writes per holding, then release [3] */
#define FL_LOCK_PARAM_THINK_MS   "think_ms"   /* [lo, hi]: idle time before the next acquire */
/* false: the storage applies every write whatever its token (the naive
 * lease lock of slow-replies.json, safe only if each holder measures its
 * lease on its own clock from when it sent its request) [true] */
#define FL_LOCK_PARAM_FENCING    "fencing"

#endif
