#!/usr/bin/env bash
# test_mutants.sh — the mutation score of every built-in, in its fast form
# (tests/mutants.sh --fast: each switch through its best suite test, three
# seeds; `make mutation` runs every switch through its whole suite):
#   1. every bug switch of the catalogue loses points in its best test and
#      is caught there by the check the catalogue names;
#   2. the catalogue is complete: every switch a built-in accepts (as its
#      "unknown bug" message lists them) has a row, so a new switch
#      without a row, or a row for a switch that no longer exists, fails.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
[ -x "$fl" ] || { echo "no $fl"; echo "fl-tests: 0 passed, 0 failed"; exit 77; }
command -v jq >/dev/null || { echo "needs jq"; echo "fl-tests: 0 passed, 0 failed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# 2. Completeness: the switch names of the catalogue against what each
#    built-in's parameter check names as known.
sed -n "/^catalogue='/,/'\$/p" "$src/tests/mutants.sh" | sed "s/^catalogue='//; s/'\$//" |
    awk -F'|' '{print $2}' | sort -u > "$tmp/rows"
for f in raft/basic.json paxos/multi-basic.json paxos/basic-single.json \
         lock/normal.json counter/crdt-normal.json counter/raft-normal.json \
         sort/basic.json; do
    jq '.params.bugs = ["no-such-switch"]' "$src/scenarios/$f" > "$tmp/s.json"
    "$fl" run "$tmp/s.json" 2>&1 | sed -n 's/.*known: \([^)]*\)).*/\1/p' |
        tr ',' '\n' | sed 's/^ *//; /^$/d' > "$tmp/known"
    if [ ! -s "$tmp/known" ]; then
        fail=$((fail + 1)); echo "FAIL: $f: no list of known bug switches"
        continue
    fi
    cat "$tmp/known" >> "$tmp/allknown"
    missing=$(comm -23 <(sort -u "$tmp/known") "$tmp/rows" | tr '\n' ' ')
    if [ -z "$missing" ]; then
        pass=$((pass + 1)); echo "PASS: every switch of ${f%%/*} ($(wc -l < "$tmp/known")) has a catalogue row"
    else
        fail=$((fail + 1)); echo "FAIL: switches of ${f%%/*} without a catalogue row: $missing"
    fi
done
stale=$(comm -13 <(sort -u "$tmp/allknown") "$tmp/rows" | tr '\n' ' ')
if [ -z "$stale" ]; then
    pass=$((pass + 1)); echo "PASS: every catalogue row names a switch a built-in knows"
else
    fail=$((fail + 1)); echo "FAIL: catalogue rows for unknown switches: $stale"
fi

# 1. Every switch loses points, caught by its expected check.
out=$(bash "$src/tests/mutants.sh" "$fl" --fast --jobs 2 2>&1); rc=$?
echo "$out"
ok=$(echo "$out" | grep -c '\[ok\]')
bad=$(echo "$out" | grep -Ec '\[(SURVIVED|caught, not)')
[ $rc -eq 0 ] || [ "$bad" -gt 0 ] || bad=1
pass=$((pass + ok)); fail=$((fail + bad))
echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
