#!/usr/bin/env bash
# search_bench.sh — figures for `faultline search` (README "Systematic
# search"): a 3-server Raft election with one client write explored
# exhaustively to a depth, breadth-first and depth-first with and without
# sleep sets (states, distinct states, states per CPU-second, reduction
# factor), then the time to find each Raft and Paxos bug switch and
# whether the correct built-in holds from the same prefix to that depth.
# usage: bench/search_bench.sh [FAULTLINE] [DEPTH] [SECONDS-PER-SWITCH]
fl=${1:-./faultline}
depth=${2:-7}
limit=${3:-60}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
num() { grep -oE "$1" "$2" | head -1 | grep -oE '[0-9.]+' | head -1; }

echo "== 3-server Raft, one write, every schedule to depth $depth"
printf '%-26s %10s %10s %10s %10s %14s\n' mode states distinct wall_s cpu_s states/cpu_s
for mode in --bfs --dfs --no-por; do
    "$fl" search "$src/scenarios/search/raft.json" $mode --depth "$depth" --quiet \
        --time 3600 --max-states 100000000 > "$tmp/out" 2>&1
    st=$(num ', [0-9]+ states,' "$tmp/out"); di=$(num '[0-9]+ distinct' "$tmp/out")
    wa=$(num '[0-9.]+ s wall' "$tmp/out"); cp=$(num '[0-9.]+ s CPU' "$tmp/out")
    rate=$(num '\([0-9]+ states per CPU' "$tmp/out")
    printf '%-26s %10s %10s %10s %10s %14s\n' "$mode" "$st" "$di" "$wa" "$cp" "$rate"
    eval "states_${mode//-/}=$st"
done
echo "sleep-set reduction (depth-first states without / with): $(awk "BEGIN{printf \"%.2f\", $states_nopor/$states_dfs}")x"

echo "== time to find each bug switch (breadth-first unless --dfs, limit ${limit} s), and the correct built-in from the same prefix"
# scenario: scenarios/search/NAME.json, the switch added to its params; the
# deep switches start from a story's prefix (the scenario's "schedule").
# steps: prefix + found. correct: the same scenario without the switch,
# searched with the same options to the depth the switch needed
# ("holds" = no violation and the bounds exhausted; it may take five times
# the limit).
command -v jq > /dev/null || { echo "search_bench.sh: needs jq" >&2; exit 2; }
printf '%-24s %-21s %-50s %-8s %7s %-26s %s\n' scenario switch options steps cpu_s check correct
while read -r scen bug opts; do
    [ -n "$scen" ] || continue
    jq --arg b "$bug" '.params.bugs = ((.params.bugs // []) + [$b])' \
        "$src/scenarios/search/$scen.json" > "$tmp/s.json"
    # shellcheck disable=SC2086
    "$fl" search "$tmp/s.json" --quiet --depth 30 --time "$limit" --max-states 100000000 \
        $opts > "$tmp/out" 2>&1
    cp=$(num '[0-9.]+ s CPU' "$tmp/out")
    if grep -q '^VIOLATION' "$tmp/out"; then
        total=$(num 'counterexample, [0-9]+ steps' "$tmp/out")
        pre=$(sed -n 's/.*(the \([0-9]*\) of the prefix.*/\1/p' "$tmp/out" | head -1)
        pre=${pre:-0}
        found=$((total - pre))
        steps=$([ "$pre" -gt 0 ] && echo "$pre+$found" || echo "$found")
        check=$(sed -n 's/^VIOLATION \([^:]*\):.*/\1/p' "$tmp/out")
        # shellcheck disable=SC2086
        "$fl" search "$src/scenarios/search/$scen.json" --quiet --depth "$found" \
            --time $((limit * 5)) --max-states 100000000 $opts > "$tmp/ok" 2>&1
        st=$?
        cst=$(num ', [0-9]+ states,' "$tmp/ok"); ccp=$(num '[0-9.]+ s CPU' "$tmp/ok")
        if [ $st -eq 0 ] && grep -q 'no violation: the whole space\|stopped by the depth' "$tmp/ok"; then
            correct="holds to depth $found ($cst states, $ccp s CPU)"
        elif [ $st -eq 0 ]; then
            correct="no violation in $cst states, budget ran out ($ccp s CPU)"
        else
            correct="FAILS: $(sed -n 's/^VIOLATION \([^:]*\):.*/\1/p' "$tmp/ok")"
        fi
    else
        steps=-; check="not found ($(num ', [0-9]+ states,' "$tmp/out") states)"; correct=-
    fi
    printf '%-24s %-21s %-50s %-8s %7s %-26s %s\n' "$scen" "$bug" "${opts:--}" "$steps" "$cp" "$check" "$correct"
done <<'LIST'
raft vote-twice
raft no-up-to-date-check
raft no-persist --crashes 1 --restarts 1
raft vote-in-memory --crashes 1 --restarts 1
raft reply-before-sync --crashes 1 --restarts 1
raft single-meta-slot --crashes 1 --torn 1 --restarts 1
raft ignore-reply-term
raft-figure8 single-meta-slot --timer-kinds election --crashes 1 --torn 1 --restarts 1
raft-figure8 ignore-reply-term --timer-kinds election
raft-prevote ignore-prevote
raft-figure8 commit-old-term --timer-kinds election
raft-figure8 apply-before-commit --timer-kinds election
raft-figure8 match-regress --timer-kinds election,heartbeat --dups 1
raft-figure8 truncate-always --timer-kinds election,heartbeat
raft-two-leaders no-truncate --timer-kinds election
raft timer-reset-any
raft-transfer ignore-transfer --ops 0 --timer-kinds election,tick
raft-checkquorum ignore-check-quorum --ops 0
raft-batch1 commit-no-min --timer-kinds election
raft-readindex ignore-readindex
raft-snapshot-suffix snapshot-drop-suffix --timer-kinds election
raft-snapshot ignore-snapshot
raft-stale-read readindex-no-confirm --timer-kinds election --ops 2 --depth 5
counter-raft-dedup no-dedup --timer-kinds none --ops 0 --depth 9
multipaxos non-unique-ballots
multipaxos accept-below-promise
multipaxos forget-promise --crashes 1 --restarts 1
multipaxos accept-no-sync --crashes 1 --restarts 1
multipaxos promise-any
multipaxos forget-round --crashes 1 --restarts 1
multipaxos ignore-accepted
multipaxos-5 learner-double-count --dups 1
multipaxos infer-any-ballot --drops 1
multipaxos-stale-accepts infer-any-ballot --dfs --ops 0 --timer-kinds heartbeat
paxos forget-promise --crashes 1 --restarts 1
paxos-phase2 learner-double-count --ops 0 --dups 1
paxos-phase2 accept-no-sync --ops 0 --crashes 1 --restarts 1
paxos-phase2 promise-any
paxos-phase2 non-unique-ballots
paxos-phase2 forget-round --crashes 1 --restarts 1 --ops 2 --timer-kinds none
paxos-dueling ignore-accepted --ops 0 --timer-kinds election
paxos-dueling accept-below-promise --ops 0 --timer-kinds election
paxos-three-ballots adopt-first --ops 0 --timer-kinds election
LIST
