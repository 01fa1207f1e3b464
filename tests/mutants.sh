#!/usr/bin/env bash
# mutants.sh — the mutation score of every built-in's suite (issue 14):
# grades a built-in once per bug switch of its catalogue (params "bugs":
# [SWITCH] added to every scenario of the suite) and prints, per switch,
# the rule it breaks, the check that must catch it, the score and which
# test and check caught it. A switch "survives" when it scores 100 %: the
# suite cannot tell it from a correct implementation.
#
#   tests/mutants.sh ./faultline [--seeds N] [--fast] [--jobs J] [--markdown]
#                                [--suite SUITE[,SUITE...]] [--switch NAME]
#                                [--explore N]
#
# --seeds N grades only the first N seeds of each test; --fast grades only
# each switch's best test (the one the catalogue names) on 3 seeds: the
# committed test (tests/test_mutants.sh) runs that. --suite keeps only the
# catalogue rows of those suites (e.g. raft/suite.json,paxos/suite.json);
# --switch keeps only the rows of that switch. --explore N also explores
# each switch's best test's scenario (with the switch) over seeds 1-N and
# prints the first failing seed and how many of the N failed.
# Exit status: 0 every switch lost points and was caught by its expected
# check somewhere in the suite, 1 otherwise, 2 bad usage, 77 no data.
set -u
fl=${1:?usage: tests/mutants.sh FAULTLINE [--seeds N] [--jobs J] [--markdown] [--suite S]}
shift
seeds=""; jobs=2; md=0; fast=0; only=""; sw_only=""; explore=0
while [ $# -gt 0 ]; do
    case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --markdown) md=1; shift ;;
    --fast) fast=1; shift ;;
    --suite) only=$2; shift 2 ;;
    --switch) sw_only=$2; shift 2 ;;
    --explore) explore=$2; shift 2 ;;
    *) echo "mutants.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
[ -d "$src/scenarios" ] || { echo "mutants.sh: no $src/scenarios" >&2; exit 77; }
command -v jq >/dev/null || { echo "mutants.sh: needs jq" >&2; exit 77; }

# suite (under scenarios/) | switch | rule it breaks | checks expected to
# catch it | its best test. The rules each switch breaks are documented
# beside the switch: algorithms/raft/raft.h, algorithms/paxos/params.h,
# algorithms/lock/lock.h, algorithms/counter/counter.h,
# algorithms/sort/sort.h.
catalogue='raft/suite.json|vote-twice|one vote per term (§5.2)|raft.election_safety raft.vote_durable|basic
raft/suite.json|no-persist|currentTerm, votedFor, log[] persistent (Figure 2)|raft.term_durable raft.vote_durable|power-loss
raft/suite.json|vote-in-memory|votedFor persistent (Figure 2)|raft.vote_durable|crash-after-reply
raft/suite.json|reply-before-sync|persist, then reply (Figure 2)|raft.ack_durable raft.term_durable raft.vote_durable|crash-after-reply
raft/suite.json|single-meta-slot|term and vote survive a torn write (Figure 2)|raft.term_durable|crash-after-reply
raft/suite.json|commit-old-term|commit only current-term entries by counting (§5.4.2)|raft.commit_current_term|figure8
raft/suite.json|no-up-to-date-check|vote only for an up-to-date log (§5.4.1)|raft.up_to_date_vote raft.leader_completeness raft.state_machine_safety linearizable|partition
raft/suite.json|no-truncate|truncate a conflicting suffix, and only that (§5.3, Figure 2 AppendEntries rules 3-4)|raft.append_merge raft.log_matching raft.state_machine_safety|partition
raft/suite.json|apply-before-commit|apply only committed entries (§5.3)|raft.apply_committed raft.state_machine_safety linearizable|partition
raft/suite.json|ignore-reply-term|step down on a newer term in a reply (Figure 2)|raft.adopt_term|majority-partition
raft/suite.json|commit-no-min|commitIndex = min(leaderCommit, last new entry) (Figure 2)|raft.follower_commit|partition
raft/suite.json|match-regress|matchIndex monotonic on stale/duplicate replies (§5.3)|raft.match_monotonic|basic
raft/suite.json|readindex-no-confirm|ReadIndex confirms leadership by a heartbeat round (thesis §6.4)|linearizable|stale-read
raft/suite.json|ignore-prevote|PreVote (thesis §9.6)|raft.prevote|prevote-rejoin
raft/suite.json|ignore-check-quorum|CheckQuorum (thesis §6.2)|raft.check_quorum|checkquorum
raft/suite.json|ignore-snapshot|log compaction and InstallSnapshot (§7)|raft.snapshot|snapshot
raft/suite.json|ignore-readindex|reads by ReadIndex, not through the log (thesis §6.4)|raft.readindex|readindex
raft/suite.json|no-dedup|a retried command is applied once (client sessions, thesis §6.3)|linearizable|loss-20pct
raft/suite.json|ignore-transfer|leadership transfer by TimeoutNow (thesis §3.10)|raft.transfer|leadership-transfer
raft/suite.json|timer-reset-any|election timer reset only on a granted vote or the current leader'"'"'s AppendEntries (Figure 2, §5.2)|raft.election_timer|stale-leader
raft/suite.json|snapshot-drop-suffix|InstallSnapshot retains the entries after a matching last included entry (§7)|raft.snapshot_suffix|snapshot-suffix
raft/suite.json|truncate-always|delete entries only after a conflict (Figure 2, AppendEntries rule 3)|raft.append_merge|basic
paxos/basic/suite.json|forget-promise|promise persisted before answering (PMS §2.3)|paxos.promise paxos.promise_kept|acceptor-restart
paxos/basic/suite.json|ignore-accepted|propose the highest-ballot accepted value (PMS §2.2 P2c)|paxos.chosen_stays_chosen paxos.adopt_highest|dueling
paxos/basic/suite.json|non-unique-ballots|ballots unique per proposer (PMS §2.5)|paxos.unique_ballots|dueling
paxos/basic/suite.json|learner-double-count|count distinct acceptors (PMS §2.3)|paxos.learn_only_chosen|duplicates
paxos/basic/suite.json|accept-below-promise|no accept below a promise (PMS §2.2 P1a)|paxos.promise|dueling
paxos/basic/suite.json|accept-no-sync|accept persisted before answering (PMS §2.3)|paxos.accepted_kept|crash-after-reply
paxos/basic/suite.json|promise-any|promise only above every ballot answered (PMS §2.2 P1a)|paxos.grant_order|dueling
paxos/basic/suite.json|forget-round|a proposer'"'"'s ballots grow across restarts (PMS §2.5)|paxos.ballot_monotonic|acceptor-restart
paxos/basic/suite.json|adopt-first|propose the value of the highest ballot reported (PMS §2.2 P2c)|paxos.adopt_highest paxos.chosen_stays_chosen|stale-value
paxos/suite.json|forget-promise|promise persisted before answering (PMS §2.3)|paxos.promise paxos.promise_kept|leader-crash
paxos/suite.json|ignore-accepted|propose the highest-ballot accepted value (PMS §2.2 P2c)|paxos.chosen_stays_chosen paxos.adopt_highest|leader-crash
paxos/suite.json|non-unique-ballots|ballots unique per proposer (PMS §2.5)|paxos.unique_ballots|leader-crash
paxos/suite.json|accept-below-promise|no accept below a promise (PMS §2.2 P1a)|paxos.promise|partition
paxos/suite.json|learner-double-count|count distinct acceptors (PMS §2.3)|paxos.learn_only_chosen|leader-crash
paxos/suite.json|accept-no-sync|accept persisted before answering (PMS §2.3)|paxos.accepted_kept|crash-after-reply
paxos/suite.json|promise-any|promise only above every ballot answered (PMS §2.2 P1a)|paxos.grant_order|partition
paxos/suite.json|forget-round|a leader'"'"'s ballots grow across restarts (PMS §2.5)|paxos.ballot_monotonic|leader-crash
paxos/suite.json|infer-any-ballot|learn a slot only from an accept in the leader'"'"'s ballot|paxos.agreement paxos.learn_only_chosen|minority-rejoin
lock/suite.json|no-fencing|storage checks the fencing token|lock.stale_write lock.exclusion|paused-client
lock/suite.json|renew-expired|no renewal of an expired lease|lock.token_monotonic lock.exclusion lock.stale_write|paused-client
lock/suite.json|same-token|fencing tokens strictly increase across grants|lock.token_monotonic lock.exclusion|paused-client
lock/suite.json|storage-forget-max|the storage checks the token, across its restarts|lock.stale_write|storage-restart
lock/suite.json|lease-from-reply|a lease runs on the holder'"'"'s own clock from before its request|lock.stale_write|slow-replies
counter/suite.json|merge-sum|a merge takes the max per replica, not the sum|counter.bounds|partition
counter/suite.json|forget-own|a replica persists its own increments|counter.own_durable counter.bounds|crash
counter/suite.json|merge-overwrite|a merge takes the max per replica, so entries only grow|counter.vector_monotonic counter.bounds|partition
counter/raft/suite.json|no-dedup|a retried command is applied once (client sessions, Raft thesis §6.3)|linearizable|loss
sort/suite.json|lost-partition|a dead worker'"'"'s slice is sorted elsewhere|sort.permutation|worker-crash
sort/suite.json|count-duplicates|a record retried is stored once|sort.permutation|loss-20pct
sort/suite.json|no-reassign|a dead worker'"'"'s bucket moves to a live one|sort.liveness|worker-crash
sort/suite.json|one-sample|splitters from every worker'"'"'s sample|sort.balance|sorted
sort/suite.json|skip-local-sort|each bucket sorted before the merge|sort.sorted|basic
sort/suite.json|tie-by-key|bucket boundaries order whole elements (key, input position)|sort.balance|duplicates-wide
sort/suite.json|dup-on-retry|one answer per bucket: a superseded attempt'"'"'s late answer is dropped|sort.sorted sort.permutation|straggler'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A copy of SUITE with "bugs": [SWITCH] added to the params of every
# scenario it names; the copies sit beside the copied suite, named by
# their path with "/" turned into "_" (so "../basic-single.json" works).
# Prints the copied suite's path.
mutate() {
    local suite=$1 sw=$2 dir sdir f
    dir=$tmp/$(echo "$suite" | tr '/.' '__')-$sw
    sdir=$(dirname "$src/scenarios/$suite")
    mkdir -p "$dir"
    jq '.tests[].scenario |= gsub("/"; "_")' "$src/scenarios/$suite" \
        > "$dir/suite.json" || return 2
    jq -r '.tests[].scenario' "$src/scenarios/$suite" | sort -u | while read -r f; do
        jq --arg sw "$sw" '.params.bugs = ((.params.bugs // []) + [$sw])' \
            "$sdir/$f" > "$dir/$(echo "$f" | tr / _)" || exit 2
    done || return 2
    echo "$dir/suite.json"
}

wanted() {
    [ -z "$only" ] && return 0
    case ",$only," in *",$1,"*) return 0 ;; esac
    return 1
}

if [ $md -eq 1 ] && [ "$explore" -gt 0 ]; then
    echo "| suite | switch | rule it breaks | expected check | score | caught by (test: check) | explore: best test, first failing seed, failures in 1-$explore |"
    echo "|---|---|---|---|---|---|---|"
elif [ $md -eq 1 ]; then
    echo "| suite | switch | rule it breaks | expected check | score | caught by (test: check) |"
    echo "|---|---|---|---|---|---|"
fi
[ $md -eq 0 ] && printf '%-22s %-9s %s\n' switch score "caught by (test: check) / rule"
failed=0; n=0
[ $fast -eq 1 ] && seeds=${seeds:-3}
while IFS='|' read -r suite sw rule want best; do
    wanted "$suite" || continue
    [ -n "$sw_only" ] && [ "$sw" != "$sw_only" ] && continue
    n=$((n + 1))
    msuite=$(mutate "$suite" "$sw") || { echo "mutants.sh: cannot copy $suite" >&2; exit 2; }
    out=$tmp/$n.out
    tests=""
    [ $fast -eq 1 ] && tests=$best
    "$fl" grade --suite "$msuite" --jobs "$jobs" ${seeds:+--seeds "$seeds"} \
        ${tests:+--tests "$tests"} > "$out" 2>&1
    score=$(sed -n 's/^score: \([0-9.]*\/[0-9.]*\) (\([0-9.]*\) %).*/\2/p' "$out")
    # failing tests and their first check: "  NAME ... FAIL  k CHECK"
    caught=$(awk '$0 ~ / FAIL / { for (i = 1; i <= NF; i++) if ($i == "FAIL") { c = $(i+2); sub(/,$/, "", c); printf "%s%s: %s", sep, $1, c; sep = ", " } }' "$out")
    hit=0
    for c in $want; do
        case "$caught, " in *": $c, "*) hit=1 ;; esac
    done
    status=ok
    if [ -z "$score" ] || [ "$score" = "100.0" ]; then status=SURVIVED; failed=1
    elif [ $hit -eq 0 ]; then status="caught, not by $want"; failed=1; fi
    first=""
    if [ "$explore" -gt 0 ]; then
        # the best test's scenario, as mutate() copied it
        f=$(jq -r --arg t "$best" '.tests[] | select(.name == $t) | .scenario' "$msuite")
        "$fl" explore "$(dirname "$msuite")/$f" --seeds "1-$explore" --jobs "$jobs" \
            --keep-going --csv "$tmp/$n.csv" > /dev/null 2>&1
        first=$(awk -F, 'NR > 1 && $2 != "pass" { if (!f) f = $1; c++ } END { printf "%s, %d/%d", f ? f : "none", c, NR - 1 }' "$tmp/$n.csv" 2>/dev/null)
        first="$best: $first"
    fi
    if [ $md -eq 1 ]; then
        echo "| ${suite%/*} | \`$sw\` | $rule | \`${want// /\` or \`}\` | ${score:-?} % | ${caught:-none} |${first:+ $first |}"
    else
        printf '%-22s %6s %%  %s\n%-22s           %s; rule: %s; expected: %s [%s]%s\n' \
            "$sw" "${score:-?}" "${caught:-none}" "" "$suite" "$rule" "$want" "$status" \
            "${first:+; explore $first}"
    fi
done <<< "$catalogue"
echo "mutants: $n switches, $([ $failed -eq 0 ] && echo "all caught by their expected check" || echo "SOME SURVIVED or were caught by another check")" >&2
exit $failed
