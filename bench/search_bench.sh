#!/usr/bin/env bash
# search_bench.sh — figures for `faultline search` (README "Systematic
# search"): a 3-server Raft election with one client write explored
# exhaustively to a depth, breadth-first and depth-first with and without
# sleep sets (states, distinct states, states per CPU-second, reduction
# factor), then the time to find each Raft and Paxos bug switch.
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

echo "== time to find each bug switch (breadth-first, limit ${limit} s)"
# scenario: scenarios/search/NAME.json; the deep switches start from a story's
# prefix (the scenario's "schedule": raft-figure8, raft-two-leaders,
# paxos-phase2, multipaxos-5)
printf '%-18s %-22s %-6s %8s %8s %s\n' scenario switch steps wall_s cpu_s check
while read -r scen bug opts; do
    sed "s/\"seed\": 1,/\"seed\": 1, \"params\": {\"bugs\": [\"$bug\"]},/" \
        "$src/scenarios/search/$scen.json" > "$tmp/s.json"
    "$fl" search "$tmp/s.json" --quiet --depth 30 --time "$limit" $opts > "$tmp/out" 2>&1
    wa=$(num '[0-9.]+ s wall' "$tmp/out"); cp=$(num '[0-9.]+ s CPU' "$tmp/out")
    if grep -q '^VIOLATION' "$tmp/out"; then
        printf '%-18s %-22s %-6s %8s %8s %s\n' "$scen" "$bug" \
            "$(num 'counterexample, [0-9]+ steps' "$tmp/out")" "$wa" "$cp" \
            "$(sed -n 's/^VIOLATION \([^:]*\):.*/\1/p' "$tmp/out")"
    else
        printf '%-18s %-22s %-6s %8s %8s %s\n' "$scen" "$bug" "-" "$wa" "$cp" "not found"
    fi
done <<'LIST'
raft vote-twice
raft no-up-to-date-check
raft no-persist --crashes 1 --restarts 1
raft-figure8 commit-old-term --timer-kinds election
raft-figure8 apply-before-commit --timer-kinds election
raft-two-leaders no-truncate --timer-kinds election
multipaxos non-unique-ballots
multipaxos accept-below-promise
multipaxos forget-promise --crashes 1 --restarts 1
multipaxos ignore-accepted
multipaxos-5 learner-double-count --dups 1
multipaxos infer-any-ballot --drops 1
paxos forget-promise --crashes 1 --restarts 1
paxos-phase2 learner-double-count --ops 0 --dups 1
LIST
