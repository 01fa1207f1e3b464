/* contract.h — what faultline's Raft checks read from a Raft plug-in:
 * the message kinds and fields its `describe` reports, the view it fills
 * in `inspect` and `inspect_entry`, and the scenario params the suite
 * sets. Installed as <faultline/raft.h>; the template templates/raft/
 * fills all of it in. Constants only: include it after
 * <faultline/algorithm.h>.
 *
 * A plug-in that reports less is still graded, but every check that
 * needs what it left out stands aside (a field left at -1 is "not
 * reported"), so the grade then trusts it on that rule.
 *
 * Indices. Log indices are 1-based as in the paper: the first entry has
 * index 1, index 0 means "before the first entry" in messages, and views
 * say -1 for "none" (an empty log, nothing committed). */
#ifndef FAULTLINE_RAFT_H
#define FAULTLINE_RAFT_H

/* ---- Message kinds: fl_msg_info.kind, exactly these strings ----------------
 *
 * For every kind, `term` is the sender's current term when it sent the
 * message, except the PreVote pair (below). Fields not listed are -1. */

/* term; index = lastLogIndex; index_term = lastLogTerm. */
#define FL_RAFT_REQUEST_VOTE          "RequestVote"
/* is_reply; ok = voteGranted (1/0); term = the voter's currentTerm. The
 * candidate is the message's receiver. */
#define FL_RAFT_REQUEST_VOTE_REPLY    "RequestVoteReply"
/* term; index = prevLogIndex; index_term = prevLogTerm; count = entries
 * carried (0 for a heartbeat); commit = leaderCommit. */
#define FL_RAFT_APPEND_ENTRIES        "AppendEntries"
/* is_reply; ok = success; term; index = on success, the index of the last
 * entry the follower now holds that matches the leader's log (the
 * request's prevLogIndex + count). */
#define FL_RAFT_APPEND_ENTRIES_REPLY  "AppendEntriesReply"
/* PreVote (thesis §9.6): term = the term the sender would campaign in
 * (its currentTerm + 1); index / index_term as RequestVote. */
#define FL_RAFT_PRE_VOTE              "PreVote"
/* is_reply; ok = granted; term = the proposed term if granted, else the
 * responder's currentTerm. */
#define FL_RAFT_PRE_VOTE_REPLY        "PreVoteReply"
/* term; index = lastIncludedIndex; index_term = lastIncludedTerm. */
#define FL_RAFT_INSTALL_SNAPSHOT      "InstallSnapshot"
/* is_reply; ok; term; index = on success, the follower's last index. */
#define FL_RAFT_INSTALL_SNAPSHOT_REPLY "InstallSnapshotReply"
/* Leadership transfer (thesis §3.10): term = the leader's; index = the
 * leader's last log index when it sent it (a target whose log is shorter
 * may ignore it; -1 if not reported). */
#define FL_RAFT_TIMEOUT_NOW           "TimeoutNow"

/* ---- The view (fl_view), filled by inspect ---------------------------------
 *
 *   kind        FL_VIEW_FOLLOWER, FL_VIEW_CANDIDATE (a pre-candidate too:
 *               its term has not moved) or FL_VIEW_LEADER
 *   term        currentTerm
 *   voted_for   votedFor in the current term, FL_NO_NODE for none
 *   leader      the leader this node follows, FL_NO_NODE if unknown
 *   log_first   the first index held; after a snapshot, the snapshot's
 *               last included index; -1 for an empty log
 *   log_last    the last index held (a snapshot's last index counts);
 *               -1 for an empty log
 *   commit      commitIndex, applied lastApplied (-1 for none)
 *   match/next  leaders: matchIndex[] / nextIndex[] by node id
 *
 * inspect_entry(index) fills term, chain (a hash of the entry's command
 * and the previous entry's chain), command (a hash of the command alone:
 * a client operation logged again on a retry hashes alike, as
 * raft.readindex counts distinct commands), committed and durable, for
 * every index the node holds. */

/* Optional scalars (fl_view.scalars) the visualizer shows. */
#define FL_RAFT_SCALAR_SNAPSHOT_INDEX "snapshot_index"

/* ---- Scenario params (fl_algorithm.validate sees them) ---------------------
 *
 * A plug-in that cannot honour one must refuse it in validate (the test
 * then fails with that reason) rather than ignore it: the suite's feature
 * checks judge the behaviour each of these asks for. */
#define FL_RAFT_PARAM_ELECTION_TIMEOUT "election_timeout_ms" /* [lo, hi] */
#define FL_RAFT_PARAM_HEARTBEAT        "heartbeat_ms"
#define FL_RAFT_PARAM_PREVOTE          "prevote"          /* bool */
#define FL_RAFT_PARAM_CHECK_QUORUM     "check_quorum"     /* bool */
#define FL_RAFT_PARAM_SNAPSHOT_EVERY   "snapshot_every"   /* entries, 0 off */
#define FL_RAFT_PARAM_READ             "read"     /* "log" | "readindex" */
#define FL_RAFT_PARAM_TRANSFER_EVERY   "transfer_every_ms" /* 0 off */

/* Defaults the checks assume when a scenario does not set them. */
#define FL_RAFT_DEFAULT_ELECTION_LO_MS 150
#define FL_RAFT_DEFAULT_ELECTION_HI_MS 300
#define FL_RAFT_DEFAULT_HEARTBEAT_MS   50

#endif
