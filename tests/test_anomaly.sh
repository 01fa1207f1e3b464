#!/usr/bin/env bash
# test_anomaly.sh — a linearizability failure names its anomaly (issue 14
# item 6): hand-written register histories (tests/fixtures/check/anomaly/)
# each name theirs exactly — a stale read, a lost acknowledged write, a
# write applied twice — while a linearizable but tricky history and
# non-linearizable ones that fit no pattern exactly name none. The line
# shows in `check` (text and --html), and a Raft plug-in whose ReadIndex
# skips its confirmation round names "stale read" in `run` and `grade`.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
fix=$src/tests/fixtures/check/anomaly
so=tests/plugins/.libs/student_bug_readindex_no_confirm.so
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

# names FILE STATUS KIND: `check FILE` exits STATUS and its anomaly line
# starts with KIND ("" = no anomaly line at all).
names() {
    local f=$1 want=$2 kind=$3 out=$tmp/$(basename "$1").out
    "$fl" check "$fix/$f" > "$out" 2>&1
    local rc=$? line
    line=$(grep '^anomaly: ' "$out")
    if [ $rc -ne "$want" ]; then bad "$f: exit $rc, wanted $want"; cat "$out"; return; fi
    if [ -z "$kind" ]; then
        if [ -z "$line" ]; then ok "$f: no anomaly named"
        else bad "$f: mislabelled: $line"; fi
    elif [[ $line == "anomaly: $kind:"* ]]; then ok "$f: $kind"
    else bad "$f: wanted '$kind', got '${line:-nothing}'"; cat "$out"; fi
}

names stale-read.jsonl        1 "stale read"
names lost-write.jsonl        1 "lost acknowledged write"
names write-twice.jsonl       1 "write applied twice"
# the last read alone: a stale read, or the write of 1 applied again; both named
names stale-or-twice.jsonl    1 "stale read or write applied twice"
names tricky-ok.jsonl         0 ""
names garbage-read.jsonl      1 ""
names stale-and-garbage.jsonl 1 ""
names duplicate-values.jsonl  1 ""

# the stale read names the read and the write that overwrote its value
grep -q 'anomaly: stale read: p0 read key 0 -> 1 .*began at 50 ns.*overwritten by p1 write key 0 2 .*acknowledged at 40 ns' \
    "$tmp/stale-read.jsonl.out" && ok "stale read: names the read and the overwrite" \
    || { bad "stale read: names the read and the overwrite"; cat "$tmp/stale-read.jsonl.out"; }

# the HTML page carries it too
"$fl" check "$fix/write-twice.jsonl" --html "$tmp/p.html" > /dev/null 2>&1
grep -q '<p><strong>anomaly:</strong> write applied twice' "$tmp/p.html" &&
    grep -q '^anomaly: write applied twice' "$tmp/p.html" && ok "html: the anomaly, above and in the report" \
    || bad "html: the anomaly, above and in the report"

# a run of a stale-read bug, and its grade
if [ ! -f "$so" ]; then
    bad "$so not built"
else
    "$fl" run "$src/scenarios/raft/stale-read.json" --impl "$so" --in-process > "$tmp/run.out" 2>&1
    rc=$?
    if [ $rc -eq 1 ] && grep -q '^anomaly: stale read: ' "$tmp/run.out" &&
       grep -q '^linearizable: NO .*: stale read: ' "$tmp/run.out"; then
        ok "run: the stale-read bug names a stale read"
    else bad "run: the stale-read bug names a stale read (exit $rc)"; head -20 "$tmp/run.out"; fi
    "$fl" grade --suite "$src/scenarios/raft/suite.json" --impl "$so" --jobs 2 --seeds 2 \
        --tests stale-read > "$tmp/grade.out" 2>&1
    grep -Eq 'seed [0-9]+: linearizable: .*: stale read: ' "$tmp/grade.out" \
        && ok "grade: the failure reason names a stale read" \
        || { bad "grade: the failure reason names a stale read"; cat "$tmp/grade.out"; }
fi
# the built-in (correct) Raft passes the same scenario: no anomaly line
"$fl" run "$src/scenarios/raft/stale-read.json" > "$tmp/ref.out" 2>&1
[ $? -eq 0 ] && ! grep -q '^anomaly' "$tmp/ref.out" && ok "built-in raft: no anomaly" \
    || { bad "built-in raft: no anomaly"; tail -5 "$tmp/ref.out"; }

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
