#!/usr/bin/env bash
# trace_bench.sh [RUNS] [MINUTES] — what a trace file costs: for two 5-node
# Raft workloads with clients, run MINUTES simulated minutes (default 10)
# without a trace, with a JSON Lines trace and with a compact trace
# (.fltrace), RUNS times each (default 5), interleaved so a load on the
# machine hits all three alike; prints the trace sizes per simulated
# minute and the median CPU time (user + system of the whole `faultline
# run`, from bash's `time`) of each, with the ratios to the run without a
# trace. Targets (issue 18): a compact trace of at most 2 MB per simulated
# minute, costing at most 1.3x the CPU of the run without one. Checks on
# the way that every run prints the same trace hash and that the compact
# trace exports to the JSON Lines trace byte for byte.
#   workloads: scenarios/raft/basic.json (3 clients x 20 ops/s, a lossy
#   network) and bench/raft-nemesis.json (bench --raft's: 4 clients x 25
#   ops/s, random crashes and partitions, torn writes)
# Run from a build tree (uses ./faultline, or $FAULTLINE).
set -u
runs=${1:-5}
minutes=${2:-10}
src=$(cd "$(dirname "$0")/.." && pwd)
fl=${FAULTLINE:-./faultline}
[ -x "$fl" ] || { echo "trace_bench.sh: $fl: not found (run from the build tree)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
ms=$((minutes * 60000))
status=0

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# one run: prints "CPU-seconds HASH"
one() {
    local out=$tmp/out cpu
    TIMEFORMAT='%3U %3S'
    cpu=$( { time "$fl" run "$@" --duration "$ms" --quiet > "$out" 2>&1; } 2>&1 | awk '{ print $1 + $2 }')
    echo "$cpu $(sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p' "$out")"
}

echo "faultline trace_bench.sh: $minutes simulated minutes, median of $runs runs, CPU = user + system"
for scn in scenarios/raft/basic.json bench/raft-nemesis.json; do
    : > "$tmp/none"; : > "$tmp/jsonl"; : > "$tmp/compact"; : > "$tmp/hashes"
    for _ in $(seq "$runs"); do
        read -r c h < <(one "$src/$scn");                                echo "$c" >> "$tmp/none";    echo "$h" >> "$tmp/hashes"
        read -r c h < <(one "$src/$scn" --trace "$tmp/t.jsonl");         echo "$c" >> "$tmp/jsonl";   echo "$h" >> "$tmp/hashes"
        read -r c h < <(one "$src/$scn" --trace "$tmp/t.fltrace");       echo "$c" >> "$tmp/compact"; echo "$h" >> "$tmp/hashes"
    done
    none=$(median < "$tmp/none"); jsonl=$(median < "$tmp/jsonl"); compact=$(median < "$tmp/compact")
    sj=$(wc -c < "$tmp/t.jsonl"); sc=$(wc -c < "$tmp/t.fltrace")
    nh=$(sort -u "$tmp/hashes" | wc -l)
    "$fl" trace export --jsonl "$tmp/t.fltrace" -o "$tmp/export.jsonl" && cmp -s "$tmp/export.jsonl" "$tmp/t.jsonl"
    same=$?
    awk -v scn="$scn" -v m="$minutes" -v sj="$sj" -v sc="$sc" -v n="$none" -v j="$jsonl" -v c="$compact" \
        -v nh="$nh" -v same="$same" 'BEGIN {
        mbj = sj / 1e6 / m; mbc = sc / 1e6 / m; rj = j / n; rc = c / n
        printf "%s\n", scn
        printf "  trace size per simulated minute: JSON Lines %.2f MB, compact %.3f MB (%.0fx smaller; target <= 2 MB: %s)\n", mbj, mbc, sj / sc, mbc <= 2 ? "met" : "NOT met"
        printf "  CPU: no trace %.3f s, JSON Lines %.3f s (%.2fx), compact %.3f s (%.2fx; target <= 1.3x: %s)\n", n, j, rj, c, rc, rc <= 1.3 ? "met" : "NOT met"
        printf "  trace hash the same in all %s: %s; compact export = JSON Lines trace: %s\n", "runs", nh == 1 ? "yes" : "NO", same == 0 ? "yes" : "NO"
    }'
    [ "$nh" -eq 1 ] && [ "$same" -eq 0 ] || status=1
done
exit $status
