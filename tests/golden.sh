#!/usr/bin/env bash
# golden.sh BIN — prints the facts that must stay byte-identical across a
# refactoring, computed with the faultline binary BIN (issue 13, "Done when"):
#   run   SCENARIO SEED HASH EXIT   every scenarios/**/*.json but suite.json,
#                                   bugs/ included, seeds 1 and 0x100000001
#   bench raft[-quick] HASH EXIT     `bench --raft [--quick] --hash`
#   csv   FILE SHA256               both experiments' CSVs (few trials)
#   exp   NAME EXIT                 their exit status
#   grade SUITE LINE                each built-in suite's table rows and score
#                                   line (wall time and runs/s cut off), each
#                                   seed run once (--once: the determinism of
#                                   every run is what the hashes above check)
# tests/golden-hashes.txt is its output for the original main (be1a45e;
# the trace hashes regenerated once, in issue 18, when the hash changed);
# tests/test_golden.sh compares. Runs in parallel ($GOLDEN_JOBS, default 2).
# The working directory is the source tree (FL_SRCDIR), so paths print the
# same in every build.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
jobs=${GOLDEN_JOBS:-2}
cd "${FL_SRCDIR:-$(dirname "$0")/..}" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

# One scenario and seed: "run SCENARIO SEED HASH EXIT".
run_one() {
    out=$("$1" run "$2" --seed "$3" --quiet 2>&1)
    rc=$?
    h=$(printf '%s\n' "$out" | sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p')
    echo "run $2 $3 ${h:-none} $rc"
}
export -f run_one

find scenarios -name '*.json' ! -name 'suite.json' | sort | while read -r s; do
    printf '%s 1\n%s 0x100000001\n' "$s" "$s"
done | xargs -P "$jobs" -n 2 bash -c 'run_one "$0" "$1" "$2"' "$bin" > "$tmp/runs" &

# Experiments: few trials, the CSVs' sha256 (they are the same on every run).
{
    "$bin" experiment raft-election --trials 20 --out "$tmp/e" > /dev/null 2>&1
    echo "exp raft-election $?"
    "$bin" experiment raft-election --trials 20 --network lan --out "$tmp/e" > /dev/null 2>&1
    echo "exp raft-election-lan $?"
    "$bin" experiment sort-scaling --trials 1 --out "$tmp/e" > /dev/null 2>&1
    echo "exp sort-scaling $?"
    for f in "$tmp"/e/*.csv; do
        echo "csv $(basename "$f") $(sha256sum < "$f" | cut -d' ' -f1)"
    done
    for q in "" --quick; do
        out=$("$bin" bench --raft $q --hash 2>&1)
        rc=$?
        h=$(printf '%s\n' "$out" | sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p')
        echo "bench raft${q:+-quick} ${h:-none} $rc"
    done
} > "$tmp/exp" &

# Grades, one suite at a time, each with its own jobs.
wait
for s in scenarios/*/suite.json; do
    alg=$(sed -n 's/^ *"algorithm": *"\([^"]*\)".*/\1/p' "$s" | head -1)
    "$bin" grade --algorithm "$alg" --suite "$s" --jobs "$jobs" --once 2>&1 |
        sed -n '/^  test /,$p' | sed 's/ in [0-9.]* s ([0-9.]* runs\/s)$//' |
        sed "s|^|grade $s |"
done > "$tmp/grades"

sort "$tmp/runs"
cat "$tmp/exp" "$tmp/grades"
