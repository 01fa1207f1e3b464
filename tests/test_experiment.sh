#!/usr/bin/env bash
# test_experiment.sh — `faultline experiment raft-election` with a few
# trials into a temporary directory: the CSVs have the documented columns
# and one row per range and trial, every value is in range, capped trials sit
# at the cap, a second run writes byte-identical files, and bad usage exits 2
# without writing anything.
fl=${FAULTLINE:-./faultline}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
trials=5
ranges=10

"$fl" experiment raft-election --trials $trials --out "$tmp/a" > "$tmp/out" 2> "$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok "experiment runs (exit 0)" || { bad "experiment runs (exit $rc)"; sed 's/^/    /' "$tmp/err" | tail -5; }
csv=$tmp/a/raft-election.csv
sum=$tmp/a/raft-election-summary.csv
[ "$(head -1 "$csv")" = "range,trial,seed,time_to_leader_ms,capped" ] && ok "trial CSV header" || bad "trial CSV header: $(head -1 "$csv")"
[ "$(wc -l < "$csv")" -eq $((ranges * trials + 1)) ] && ok "one row per range and trial" || bad "rows: $(wc -l < "$csv")"
awk -F, -v t=$trials 'NR > 1 {
        if (NF != 5 || $1 !~ /^[0-9]+-[0-9]+$/ || $2 < 1 || $2 > t || $3 != $2 ||
            $4 !~ /^[0-9]+\.[0-9]+$/ || $4 <= 0 || $4 > 10000 || ($5 != 0 && $5 != 1) ||
            ($5 == 1 && $4 != 10000)) bad++
        n[$1]++
    } END { for (r in n) if (n[r] != t) bad++; exit bad > 0 }' "$csv" \
    && ok "trial rows well formed" || bad "trial rows well formed"
grep -q '^150-300,' "$csv" && grep -q '^12-24,' "$csv" && grep -q '^150-150,' "$csv" \
    && ok "the paper's ranges are there" || bad "the paper's ranges are there"
[ "$(head -1 "$sum")" = "range,lo_ms,hi_ms,heartbeat_ms,trials,median_ms,p90_ms,p99_ms,max_ms,mean_ms,capped" ] \
    && ok "summary CSV header" || bad "summary CSV header: $(head -1 "$sum")"
[ "$(wc -l < "$sum")" -eq $((ranges + 1)) ] && ok "one summary row per range" || bad "summary rows: $(wc -l < "$sum")"
awk -F, -v t=$trials 'NR > 1 { if (NF != 11 || $5 != t || $6 > $7 || $7 > $8 || $8 > $9 ||
        $11 < 0 || $11 > t) bad++ } END { exit bad > 0 }' "$sum" \
    && ok "summary: median <= p90 <= p99 <= max" || bad "summary: median <= p90 <= p99 <= max"
awk -F, 'NR > 1 && $1 == "150-150" && $11 != $5 { bad++ } END { exit bad > 0 }' "$sum" \
    && ok "150-150 ms: every trial capped (split votes, as in the paper)" || bad "150-150 ms: every trial capped"
awk -F, 'NR > 1 && $1 == "150-300" && ($11 != 0 || $9 > 1000) { bad++ } END { exit bad > 0 }' "$sum" \
    && ok "150-300 ms: every trial elects within a second" || bad "150-300 ms: every trial elects within a second"
ls "$tmp/a" | grep -q partial && bad "no temporary files left" || ok "no temporary files left"

"$fl" experiment raft-election --trials $trials --out "$tmp/b" > /dev/null 2>&1
cmp -s "$csv" "$tmp/b/raft-election.csv" && cmp -s "$sum" "$tmp/b/raft-election-summary.csv" \
    && ok "deterministic: the same files twice" || bad "deterministic: the same files twice"
"$fl" experiment raft-election --trials 2 --network lan --out "$tmp/c" > /dev/null 2>&1 \
    && [ "$(wc -l < "$tmp/c/raft-election-lan.csv")" -eq $((ranges * 2 + 1)) ] \
    && ok "--network lan writes raft-election-lan.csv" || bad "--network lan writes raft-election-lan.csv"

for args in "" "nosuch" "raft-election --trials 0" "raft-election --trials x" \
            "raft-election --network wan" "raft-election --frob 1"; do
    # shellcheck disable=SC2086
    "$fl" experiment $args --out "$tmp/d" > /dev/null 2>&1; rc=$?
    [ $rc -eq 2 ] && [ ! -e "$tmp/d" ] && ok "usage error: experiment $args" \
        || bad "usage error: experiment $args (exit $rc)"
done
"$fl" experiment raft-election --trials 1 --out "$tmp/no/such/dir" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "unwritable output directory: exit 2" || bad "unwritable output directory (exit $rc)"
"$fl" help experiment | grep -q "usage: faultline experiment" && ok "help experiment" || bad "help experiment"

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
