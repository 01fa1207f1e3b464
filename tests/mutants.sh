#!/usr/bin/env bash
# mutants.sh — the mutation score of the Raft suite (issue 14): grades the
# built-in Raft once per bug switch (params "bugs": [SWITCH] added to every
# scenario of the suite) and prints, per switch, the rule it breaks, the
# check that must catch it, the score and which test and check caught it.
# A switch "survives" when it scores 100 %: the suite cannot tell it from
# a correct implementation.
#
#   tests/mutants.sh ./faultline [--seeds N] [--fast] [--jobs J] [--markdown]
#
# --seeds N grades only the first N seeds of each test; --fast grades only
# each switch's best test (the one the catalogue names) on 3 seeds: the
# committed test (tests/test_mutants.sh) runs that.
# Exit status: 0 every switch lost points and was caught by its expected
# check somewhere in the suite, 1 otherwise, 2 bad usage, 77 no data.
set -u
fl=${1:?usage: tests/mutants.sh FAULTLINE [--seeds N] [--jobs J] [--markdown]}
shift
seeds=""; jobs=2; md=0; fast=0
while [ $# -gt 0 ]; do
    case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --markdown) md=1; shift ;;
    --fast) fast=1; shift ;;
    *) echo "mutants.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
suite_dir=$src/scenarios/raft
[ -f "$suite_dir/suite.json" ] || { echo "mutants.sh: no $suite_dir/suite.json" >&2; exit 77; }

# switch | rule it breaks | checks expected to catch it | its best test
catalogue='vote-twice|one vote per term (§5.2)|raft.election_safety raft.vote_durable|basic
no-persist|currentTerm, votedFor, log[] persistent (Figure 2)|raft.term_durable raft.vote_durable|power-loss
vote-in-memory|votedFor persistent (Figure 2)|raft.vote_durable|crash-after-reply
reply-before-sync|persist, then reply (Figure 2)|raft.ack_durable raft.term_durable raft.vote_durable|crash-after-reply
single-meta-slot|term and vote survive a torn write (Figure 2)|raft.term_durable|crash-after-reply
commit-old-term|commit only current-term entries by counting (§5.4.2)|raft.commit_current_term|figure8
no-up-to-date-check|vote only for an up-to-date log (§5.4.1)|raft.up_to_date_vote raft.leader_completeness raft.state_machine_safety linearizable|partition
no-truncate|truncate a conflicting suffix (§5.3)|raft.log_matching raft.state_machine_safety|partition
apply-before-commit|apply only committed entries (§5.3)|raft.apply_committed raft.state_machine_safety linearizable|partition
ignore-reply-term|step down on a newer term in a reply (Figure 2)|raft.adopt_term|majority-partition
commit-no-min|commitIndex = min(leaderCommit, last new entry) (Figure 2)|raft.follower_commit|partition
match-regress|matchIndex monotonic on stale/duplicate replies (§5.3)|raft.match_monotonic|basic
readindex-no-confirm|ReadIndex confirms leadership by a heartbeat round (thesis §6.4)|linearizable|stale-read
ignore-prevote|PreVote (thesis §9.6)|raft.prevote|prevote-rejoin
ignore-check-quorum|CheckQuorum (thesis §6.2)|raft.check_quorum|checkquorum
ignore-snapshot|log compaction and InstallSnapshot (§7)|raft.snapshot|snapshot
ignore-readindex|reads by ReadIndex, not through the log (thesis §6.4)|raft.readindex|readindex'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A copy of the suite's folder with "bugs": [SWITCH] in every scenario's
# params (every Raft scenario names its algorithm on a line of its own and
# writes params, if any, as a one-line object).
mutate() {
    local sw=$1 dir=$tmp/$1 f
    mkdir -p "$dir"
    cp "$suite_dir/suite.json" "$dir/"
    for f in "$suite_dir"/*.json; do
        [ "$(basename "$f")" = suite.json ] && continue
        if grep -q '"params": { ' "$f"; then
            sed "s/\"params\": { /\"params\": { \"bugs\": [\"$sw\"], /" "$f"
        else
            sed "s/^\\(  \"algorithm\": \"raft\",\\)\$/\\1\\n  \"params\": { \"bugs\": [\"$sw\"] },/" "$f"
        fi > "$dir/$(basename "$f")"
    done
}

[ $md -eq 1 ] && { echo "| switch | rule it breaks | expected check | score | caught by (test: check) |"; echo "|---|---|---|---|---|"; }
[ $md -eq 0 ] && printf '%-22s %-9s %s\n' switch score "caught by (test: check) / rule"
failed=0; n=0
[ $fast -eq 1 ] && seeds=${seeds:-3}
while IFS='|' read -r sw rule want best; do
    n=$((n + 1))
    mutate "$sw"
    out=$tmp/$sw.out
    tests=""
    [ $fast -eq 1 ] && tests=$best
    "$fl" grade --suite "$tmp/$sw/suite.json" --jobs "$jobs" ${seeds:+--seeds "$seeds"} \
        ${tests:+--tests "$tests"} > "$out" 2>&1
    score=$(sed -n 's/^score: \([0-9.]*\/[0-9.]*\) (\([0-9.]*\) %).*/\2/p' "$out")
    # failing tests and their first check: "  NAME ... FAIL  k CHECK"
    caught=$(awk '$0 ~ / FAIL / { for (i = 1; i <= NF; i++) if ($i == "FAIL") { c = $(i+2); sub(/,$/, "", c); printf "%s%s: %s", sep, $1, c; sep = ", " } }' "$out")
    hit=0
    for c in $want; do
        case " $caught" in *": $c"*) hit=1 ;; esac
    done
    status=ok
    if [ -z "$score" ] || [ "$score" = "100.0" ]; then status=SURVIVED; failed=1
    elif [ $hit -eq 0 ]; then status="caught, not by $want"; failed=1; fi
    if [ $md -eq 1 ]; then
        echo "| \`$sw\` | $rule | \`${want// /\` or \`}\` | ${score:-?} % | ${caught:-none} |"
    else
        printf '%-22s %6s %%  %s\n%-22s           rule: %s; expected: %s [%s]\n' \
            "$sw" "${score:-?}" "${caught:-none}" "" "$rule" "$want" "$status"
    fi
done <<< "$catalogue"
echo "mutants: $n switches, $([ $failed -eq 0 ] && echo "all caught by their expected check" || echo "SOME SURVIVED or were caught by another check")" >&2
exit $failed
