/* params.h — the scenario "params" of both Paxos algorithms: defaults,
 * parsing, validation, and the deliberate bugs the scenarios under
 * scenarios/paxos/bugs/ switch on. Unknown keys and bad values are
 * rejected with "key: what is wrong". */
#ifndef FL_PAXOS_PARAMS_H
#define FL_PAXOS_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"

/* Deliberate bugs (both algorithms read every switch that applies):
 *   forget-promise        an acceptor keeps its promise only in memory, so
 *                         a restart forgets it (PMS §2.3: an acceptor must
 *                         remember its promise "even if it fails");
 *                         caught by paxos.promise and paxos.promise_kept
 *   ignore-accepted       a proposer ignores the accepted values reported
 *                         in phase 1b and proposes its own (PMS §2.2 P2c);
 *                         caught by paxos.chosen_stays_chosen and
 *                         paxos.adopt_highest
 *   non-unique-ballots    ballots are the round alone, so two proposers can
 *                         share one (PMS §2.5); caught by
 *                         paxos.unique_ballots
 *   accept-below-promise  an acceptor accepts whatever ballot comes
 *                         (PMS §2.2 P1a); caught by paxos.promise
 *   learner-double-count  a learner counts Accepted messages, not distinct
 *                         acceptors, so one acceptor heard twice makes a
 *                         majority (PMS §2.3); caught by
 *                         paxos.learn_only_chosen
 *   infer-any-ballot      a Multi-Paxos follower takes every slot it
 *                         accepted at or below the leader's commit as
 *                         chosen, whatever ballot it accepted it in (only
 *                         a slot accepted in the leader's own ballot is
 *                         known to carry the leader's value); caught by
 *                         paxos.agreement
 *   accept-no-sync        an acceptor answers Accepted without syncing the
 *                         accept record first, so a crash right after the
 *                         reply loses what it said it accepted (PMS §2.3:
 *                         persisted before answering); caught by
 *                         paxos.accepted_kept
 *   promise-any           an acceptor grants every Prepare, even one below
 *                         its promise (it keeps the higher promise but
 *                         answers "promised"), so a proposer counts a
 *                         promise that was never made (PMS §2.2 P1a:
 *                         promise only a ballot above every one answered);
 *                         caught by paxos.grant_order
 *   forget-round          a proposer's round lives in memory only (basic:
 *                         never written; Multi-Paxos: not raised past its
 *                         own acceptor's promise), so after a restart it
 *                         campaigns again with ballots it already used
 *                         (PMS §2.5: a proposer remembers the highest
 *                         number it tried, even across failures); caught
 *                         by paxos.ballot_monotonic
 *   adopt-first           (basic Paxos) a proposer adopts the value of the
 *                         first promise that reports one, not the value of
 *                         the highest ballot reported (PMS §2.2 P2c);
 *                         caught by paxos.adopt_highest and
 *                         paxos.chosen_stays_chosen. Multi-Paxos servers
 *                         ignore it: their promises report slots already
 *                         known chosen as chosen, so no shipped scenario
 *                         gives a new leader two unchosen values of
 *                         different ballots in one slot
 * The check each switch must trip is listed in tests/mutants.sh. */
#define PAXOS_BUG_MAP(X)                              \
    X(FORGET_PROMISE,  "forget-promise")              \
    X(IGNORE_ACCEPTED, "ignore-accepted")             \
    X(NON_UNIQUE,      "non-unique-ballots")          \
    X(ACCEPT_BELOW,    "accept-below-promise")        \
    X(DOUBLE_COUNT,    "learner-double-count")        \
    X(INFER_ANY,       "infer-any-ballot")            \
    X(ACCEPT_NO_SYNC,  "accept-no-sync")              \
    X(PROMISE_ANY,     "promise-any")                 \
    X(FORGET_ROUND,    "forget-round")                \
    X(ADOPT_FIRST,     "adopt-first")

enum paxos_bug_bit {
#define PAXOS_X_BIT(id, name) PAXOS_BUG_BIT_##id,
    PAXOS_BUG_MAP(PAXOS_X_BIT)
#undef PAXOS_X_BIT
    PAXOS_BUG_COUNT
};
#define PAXOS_BUG(id) (1u << PAXOS_BUG_BIT_##id)

typedef enum paxos_family {
    PAXOS_FAMILY_BASIC,    /* "paxos": single decree */
    PAXOS_FAMILY_MULTI     /* "multipaxos" */
} paxos_family;

typedef struct paxos_params {
    /* basic Paxos */
    int64_t  backoff_lo_ms;    /* a beaten proposer waits this long... */
    int64_t  backoff_hi_ms;    /* ...times 2^min(failures, 4) */
    int64_t  retry_ms;         /* resend unanswered phase messages */
    /* Multi-Paxos */
    int64_t  election_lo_ms;   /* a follower's leader-failure timeout */
    int64_t  election_hi_ms;
    int64_t  heartbeat_ms;
    int64_t  initial_leader;   /* server index that campaigns at boot; -1 */
    int64_t  batch;            /* most proposals / decisions per Accept */
    unsigned bugs;             /* PAXOS_BUG(...) bits */
    /* Not used by the algorithm: the bound of the paxos.progress check (a
     * value learned this soon after the last heal); 0 = not checked. */
    int64_t  chosen_within_ms;
} paxos_params;

/* Fills `p` from a params object (NULL = defaults). Returns 0, or -1 with
 * "key: what is wrong" in `err`. */
int paxos_params_parse(paxos_family fam, const cJSON *params, paxos_params *p,
                       char *err, size_t errlen);
/* The bug's name, NULL past the end (tests and messages). */
const char *paxos_bug_name(unsigned bit);

static inline bool paxos_has_bug(const paxos_params *p, unsigned bug)
{
    return (p->bugs & bug) != 0;
}

#endif
