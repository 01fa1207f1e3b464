/* contract.h — what faultline's counter checks (family "counter", the
 * CRDT counter that `faultline new counter` writes and the counter suite
 * grades) read from a counter plug-in: the view its `inspect` fills.
 * Installed as <faultline/counter.h>; the template templates/counter/
 * fills all of it in. Constants only: include it after
 * <faultline/algorithm.h>.
 *
 * The linearizable counter (counter-raft) runs Raft's checks only: its
 * contract is <faultline/raft.h>. The counter checks read no message kinds
 * and no entries; they also read the client history and the workload's
 * schedule, which the engine records itself.
 *
 * Replicas. Every node of the first role (the one node 0 has, "server" in
 * the template) is a replica; the checks compare the views of all of them.
 *
 * The vectors. A replica's state is two vectors indexed by replica node id
 * (a G-Counter has only P; leave N at 0): P[r] = the increments replica r
 * made, as far as this replica knows, and N[r] its decrements, both as
 * magnitudes (>= 0). The view carries them in the arrays the engine gives
 * it: view->match[r] = P[r], view->next[r] = N[r], for r < view->npeers
 * (check the pointers: they may be NULL). counter.vector_monotonic: while
 * a replica is up, no entry of either goes down (a merge takes the max).
 * counter.own_durable: when a replica restarts, its own entries (P[self],
 * N[self], its first view after the restart) are at least what every
 * live replica's view holds for it: what it gossiped was durable first.
 * view->kind must not be FL_VIEW_NONE for that check to judge the node.
 *
 * A check whose scalars a plug-in does not report stands aside. */
#ifndef FAULTLINE_COUNTER_H
#define FAULTLINE_COUNTER_H

/* ---- The view's scalars (int64) ------------------------------------------ */

/* The counter's value as this replica reads it: sum(P) - sum(N).
 * counter.convergence names it when replicas still differ. */
#define FL_COUNTER_SCALAR_VALUE       "value"
/* sum(P) and sum(N). counter.bounds: after every step, never above what
 * clients asked for (adds not failed, positive and negative apart); and
 * when the replicas agree converge_ms after the network went quiet, never
 * below what clients were acknowledged. */
#define FL_COUNTER_SCALAR_P_TOTAL     "p_total"
#define FL_COUNTER_SCALAR_N_TOTAL     "n_total"
/* A hash of both vectors: equal vectors give equal digests, different
 * vectors (almost surely) different ones. counter.convergence and
 * counter.bounds call replicas converged when every replica's digest is
 * equal; a replica without one is left out. */
#define FL_COUNTER_SCALAR_DIGEST      "digest"
/* The bound, in ms, within which replicas must agree once the network is
 * quiet (no fault active, the workload over): the built-in reports its
 * param "converge_ms" (default 2000). counter.convergence and the lower
 * bound of counter.bounds judge only when every replica is up and
 * reports it. */
#define FL_COUNTER_SCALAR_CONVERGE_MS "converge_ms"
/* ---- Scenario params (fl_algorithm.validate sees them) ------------------- */
/* "g" (a G-Counter: adds are >= 0) or "pn" (a PN-Counter: adds of either
 * sign) */
#define FL_COUNTER_PARAM_TYPE        "type"
/* How often a replica gossips its vectors, ms [50]. */
#define FL_COUNTER_PARAM_GOSSIP_MS   "gossip_ms"
/* The convergence bound, ms [2000]: report it as FL_COUNTER_SCALAR_CONVERGE_MS. */
#define FL_COUNTER_PARAM_CONVERGE_MS "converge_ms"

/* Gossip messages merged (shown only; no check reads it). */
#define FL_COUNTER_SCALAR_MERGES      "merges"

#endif
