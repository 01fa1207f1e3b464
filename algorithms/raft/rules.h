/* rules.h — Raft's rule checks (rules.c, rules_log.c, rules_timer.c,
 * rules_snap.c) and feature checks (features.c): what a server must have
 * done given the messages it sent and received and what it shows, and
 * whether the features a scenario's params ask for (PreVote, CheckQuorum,
 * snapshots, ReadIndex, leadership transfer) were really there. Registered
 * with the Raft invariants (invariants.c). */
#ifndef FL_RAFT_RULES_H
#define FL_RAFT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/invariant.h"

extern const fl_invariant fl_rule_raft_term_durable;
extern const fl_invariant fl_rule_raft_vote_durable;
extern const fl_invariant fl_rule_raft_ack_durable;
extern const fl_invariant fl_rule_raft_adopt_term;
extern const fl_invariant fl_rule_raft_follower_commit;
extern const fl_invariant fl_rule_raft_commit_current_term;
extern const fl_invariant fl_rule_raft_match_monotonic;
extern const fl_invariant fl_rule_raft_prevote;
extern const fl_invariant fl_rule_raft_check_quorum;       /* rules_quorum.c */
extern const fl_invariant fl_rule_raft_up_to_date_vote;     /* rules_log.c */
extern const fl_invariant fl_rule_raft_apply_committed;
extern const fl_invariant fl_rule_raft_append_merge;
extern const fl_invariant fl_rule_raft_election_timer;      /* rules_timer.c */
extern const fl_invariant fl_rule_raft_snapshot_suffix;     /* rules_snap.c */
extern const fl_invariant fl_feature_raft_snapshot;
extern const fl_invariant fl_feature_raft_readindex;
extern const fl_invariant fl_feature_raft_transfer;

/* Shared helpers (rules.c). */
int     rule_fail(char *msg, size_t msglen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool    rule_kind(const fl_msg_info *i, const char *kind);
size_t  rule_servers(const fl_world *w, fl_node_id node);
bool    rule_param_bool(const fl_world *w, const char *key);
int64_t rule_election_hi_ms(const fl_world *w);

/* What the rule checks remember of one node's log (rules_shadow.c): each
 * entry's chain as of its last step, to find where a step rewrote it. */
typedef struct rule_shadow {
    uint64_t *chain;     /* [index - base]: the entry's chain hash */
    bool     *known;     /* [index - base]: chain recorded (held, readable) */
    int64_t   base;      /* index of chain[0]; below it, compacted */
    int64_t   last;      /* last index recorded; -1 none */
    size_t    cap;
    bool      exact;     /* inspect_entry shows every entry held */
} rule_shadow;

/* The chain recorded for entry i: true if one is (held and readable at
 * the last step, not compacted since). */
bool rule_shadow_chain(const rule_shadow *sh, int64_t i, uint64_t *chain);
/* Starts over from the log `v` shows (a boot or a restart). 0 or -1 (out
 * of memory). */
int  rule_shadow_reset(rule_shadow *sh, const fl_world *w, fl_node_id node,
                       const fl_view *v);
/* Follows a step of `node` whose view is now `v`: `*kept` is the longest
 * prefix of the log the step left unchanged (less than the old last index
 * when it truncated, even if it appended as many entries again); where
 * entries cannot be read, min(old, new last index). 0 or -1. */
int  rule_shadow_step(rule_shadow *sh, const fl_world *w, fl_node_id node,
                      const fl_view *v, int64_t *kept);
void rule_shadow_free(rule_shadow *sh);

#endif
