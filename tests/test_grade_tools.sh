#!/usr/bin/env bash
# test_grade_tools.sh — the bug-hunting tools around grading, as a user
# meets them: explore (seeds in parallel, stop or keep going, shards, CSV,
# nemeses), merge (shards back into one summary), shrink (a Raft bug
# scenario cut down to a minimal one that still fails the same invariant),
# diff (where two traces part) and new (a skeleton for each algorithm that
# builds against the header). Bad input exits 2 and names what was wrong.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
fl=$(cd "$(dirname "$fl")" && pwd)/$(basename "$fl")   # some steps run in another folder
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
expect_status() {   # want, description, command...
    local want=$1 what=$2; shift 2
    "$@" > "$tmp/out" 2> "$tmp/err"; local got=$?
    if [ "$got" -eq "$want" ]; then ok "$what"; else bad "$what (exit $got, wanted $want)"; sed 's/^/    /' "$tmp/err" | head -5; fi
}
hash_of() { sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p'; }
raft=$src/scenarios/raft

for cmd in grade explore merge shrink diff new; do
    expect_status 0 "help $cmd" "$fl" help "$cmd"
    grep -q "usage: faultline $cmd" "$tmp/out" && ok "help $cmd shows usage" || bad "help $cmd shows usage"
done

# a suite is not a scenario: run says which command takes it
expect_status 2 "run on a suite file" "$fl" run "$raft/suite.json"
grep -q 'is a grading suite, not a scenario: use faultline grade --suite' "$tmp/err" \
    && ok "run on a suite file points to grade" || bad "run on a suite file points to grade"

# --- explore ------------------------------------------------------------------
expect_status 0 "explore: 40 seeds of basic pass" "$fl" explore "$raft/basic.json" --seeds 1-40 --jobs 2 --csv "$tmp/all.csv" --quiet
[ "$(wc -l < "$tmp/all.csv")" -eq 41 ] && ok "explore: one CSV row per seed" || bad "explore: one CSV row per seed"
[ "$(cut -d, -f1 "$tmp/all.csv" | tail -n +2 | tr '\n' ' ')" = "$(seq 1 40 | tr '\n' ' ')" ] \
    && ok "explore: rows in seed order" || bad "explore: rows in seed order"
h=$(awk -F, '$1 == 17 { print $4 }' "$tmp/all.csv")
[ -n "$h" ] && [ "$("$fl" run "$raft/basic.json" --seed 17 | hash_of)" = "$h" ] \
    && ok "explore: a row's hash is what faultline run gives" || bad "explore: hash of seed 17 ($h)"
grep -q 'runs/s' "$tmp/out" && ok "explore: prints the rate" || bad "explore: prints the rate"
# The CPU figure counts the children: 40 Raft runs cost far more than the
# parent alone (under 2,000 runs per CPU-second; the parent alone is ~20 ms).
cpu_rate=$(sed -n 's/.* \([0-9.]*\) runs per CPU-second.*/\1/p' "$tmp/out")
[ -n "$cpu_rate" ] && awk -v r="$cpu_rate" 'BEGIN { exit !(r > 1 && r < 2000) }' \
    && ok "explore: runs per CPU-second, children included ($cpu_rate)" \
    || bad "explore: runs per CPU-second ($cpu_rate)"
"$fl" bench --explore --quick --runs 1 > "$tmp/bx" 2>&1 \
    && grep -q 'built-in, 16 seeds per child: .* runs per CPU-second' "$tmp/bx" \
    && ok "bench --explore: runs per CPU-second" || bad "bench --explore: $(cat "$tmp/bx")"

expect_status 1 "explore: a bug scenario fails" "$fl" explore "$raft/bugs/vote-twice.json" --seeds 1-200 --jobs 2 --quiet
grep -q 'stopped at the first failure' "$tmp/out" && ok "explore: stops at the first failure" || bad "explore: stops"
grep -q 'reproduce: faultline run .*vote-twice.json --seed 1$' "$tmp/out" && ok "explore: prints the repro command" \
    || bad "explore: prints the repro command"
expect_status 1 "explore --keep-going" "$fl" explore "$raft/bugs/vote-twice.json" --seeds 1-30 --jobs 2 --keep-going --quiet --csv "$tmp/k.csv"
[ "$(wc -l < "$tmp/k.csv")" -eq 31 ] && grep -Eq '^30,fail,raft.(election_safety|vote_durable),' "$tmp/k.csv" \
    && ok "explore --keep-going runs every seed" || bad "explore --keep-going runs every seed"

# shards: three shards cover the range once; merge puts them back together
for i in 0 1 2; do
    "$fl" explore "$raft/basic.json" --seeds 1-40 --shard $i/3 --jobs 2 --csv "$tmp/s$i.csv" --quiet > /dev/null \
        || bad "shard $i/3"
done
[ "$(cat "$tmp"/s?.csv | grep -vc '^seed')" -eq 40 ] && ok "explore --shard: three shards hold 40 seeds" || bad "shards"
expect_status 0 "merge three shards" "$fl" merge "$tmp/s0.csv" "$tmp/s1.csv" "$tmp/s2.csv" --out "$tmp/merged.csv"
grep -q '^merged 40 runs: 40 passed, 0 failed' "$tmp/out" && ok "merge: summary" || { bad "merge: summary"; cat "$tmp/out"; }
diff <(cut -d, -f1-9 "$tmp/merged.csv") <(cut -d, -f1-9 "$tmp/all.csv") > /dev/null \
    && ok "merge: the merged CSV equals the unsharded sweep" || bad "merge: merged CSV differs"
expect_status 0 "merge: a repeated shard" "$fl" merge "$tmp/s0.csv" "$tmp/s0.csv" "$tmp/s1.csv"
grep -q 'repeated seeds dropped' "$tmp/out" && grep -q 'seeds missing' "$tmp/out" \
    && ok "merge: reports repeats and gaps" || bad "merge: reports repeats and gaps"
expect_status 1 "merge: failures exit 1" "$fl" merge "$tmp/k.csv"
grep -q 'reproduce: faultline run .*vote-twice.json --seed 1$' "$tmp/out" && ok "merge: repro commands" || bad "merge: repro commands"
echo 'not,a,sweep' > "$tmp/bad.csv"
expect_status 2 "merge: bad CSV" "$fl" merge "$tmp/bad.csv"
grep -q 'bad.csv: line 1' "$tmp/err" && ok "merge: error names file and line" || bad "merge: error names file and line"

# nemeses: the scenario with them is written, and the repro uses it
(cd "$tmp" && "$fl" explore "$raft/basic.json" --seeds 1-10 --nemesis crash,partition --keep-going --quiet \
    --csv nem.csv --jobs 2 > nem.out 2>&1)
[ -s "$tmp/basic-nemesis.json" ] && grep -q random-crash "$tmp/basic-nemesis.json" \
    && ok "explore --nemesis writes the scenario it ran" || bad "explore --nemesis"
h=$(awk -F, '$1 == 4 { print $4 }' "$tmp/nem.csv")
[ -n "$h" ] && [ "$(cd "$tmp" && "$fl" run basic-nemesis.json --seed 4 | hash_of)" = "$h" ] \
    && ok "explore --nemesis: runs reproduce from that file" || bad "explore --nemesis: repro"

expect_status 2 "explore without seeds" "$fl" explore "$raft/basic.json"
expect_status 2 "explore: bad range" "$fl" explore "$raft/basic.json" --seeds 9-3
expect_status 2 "explore: bad shard" "$fl" explore "$raft/basic.json" --seeds 1-9 --shard 3/3
expect_status 2 "explore: bad nemesis" "$fl" explore "$raft/basic.json" --seeds 1-9 --nemesis meteor
expect_status 2 "explore: missing scenario" "$fl" explore "$tmp/nope.json" --seeds 1-9
expect_status 2 "explore: missing plug-in" "$fl" explore "$raft/basic.json" --seeds 1-9 --impl "$tmp/none.so"

# --- shrink -------------------------------------------------------------------
expect_status 0 "shrink the no-persist bug" "$fl" shrink "$raft/bugs/no-persist.json" --seed 1 --out "$tmp/min.json" --jobs 2 --quiet
before=$(sed -n 's/^before: \([0-9]*\) faults.*/\1/p' "$tmp/out")
after=$(sed -n 's/^after:  \([0-9]*\) faults.*/\1/p' "$tmp/out")
[ -n "$after" ] && [ "$after" -lt "$before" ] && ok "shrink: fewer faults ($before -> $after)" || bad "shrink: fewer faults"
grep -q '^after:  .* [0-9]* bytes of JSON' "$tmp/out" && ok "shrink: prints the sizes" || bad "shrink: prints the sizes"
expect_status 1 "the shrunk scenario still fails" "$fl" run "$tmp/min.json"
grep -q '^expected violation raft.term_durable: caught' "$tmp/out" && ok "shrunk: the same invariant, declared" \
    || bad "shrunk: the same invariant"
grep -q '"seed":[[:space:]]*1' "$tmp/min.json" && ok "shrunk: carries its seed" || bad "shrunk: carries its seed"
a=$(grep -c at_ms "$raft/bugs/no-persist.json"); b=$(grep -c at_ms "$tmp/min.json")
[ "$b" -lt "$a" ] && ok "shrunk file has fewer faults" || bad "shrunk file has fewer faults"
expect_status 0 "shrink the vote-twice bug" "$fl" shrink "$raft/bugs/vote-twice.json" --seed 2 --out "$tmp/vt.json" --quiet
grep -q '^after:  0 faults' "$tmp/out" && ok "vote-twice needs no faults" || { bad "vote-twice shrink"; cat "$tmp/out"; }
expect_status 2 "shrink a passing run" "$fl" shrink "$raft/basic.json" --seed 1 --out "$tmp/x.json"
grep -q 'nothing to shrink' "$tmp/err" && [ ! -e "$tmp/x.json" ] && ok "shrink: says why, writes nothing" || bad "shrink: passing run"
expect_status 2 "shrink without --seed" "$fl" shrink "$raft/bugs/no-persist.json"

# --- diff ---------------------------------------------------------------------
"$fl" run "$raft/basic.json" --seed 3 --trace "$tmp/a.jsonl" > /dev/null
"$fl" run "$raft/basic.json" --seed 3 --trace "$tmp/b.jsonl" > /dev/null
"$fl" run "$raft/basic.json" --seed 3 --duration 4000 --trace "$tmp/c.jsonl" > /dev/null
"$fl" run "$raft/basic.json" --seed 4 --trace "$tmp/d.jsonl" > /dev/null
expect_status 0 "diff: the same run twice" "$fl" diff "$tmp/a.jsonl" "$tmp/b.jsonl"
grep -q 'identical' "$tmp/out" && ok "diff: says identical" || bad "diff: says identical"
expect_status 1 "diff: a shorter run" "$fl" diff "$tmp/a.jsonl" "$tmp/c.jsonl" --context 3
grep -q '^first difference at event #' "$tmp/out" && grep -q '^differs in:' "$tmp/out" && grep -q '^B .*"ev":"end"' "$tmp/out" \
    && ok "diff: first divergent event with context" || { bad "diff: first divergent event"; cat "$tmp/out"; }
expect_status 1 "diff: another seed" "$fl" diff "$tmp/a.jsonl" "$tmp/d.jsonl"
grep -q '^header seed:' "$tmp/out" && ok "diff: header difference" || bad "diff: header difference"
expect_status 2 "diff: not a trace" "$fl" diff "$tmp/a.jsonl" "$raft/basic.json"
expect_status 2 "diff: missing file" "$fl" diff "$tmp/a.jsonl" "$tmp/none.jsonl"

# --- new: every template builds against the header ------------------------------
# (the installed layout: algorithm.h and the contracts, renamed)
mkdir -p "$tmp/inc/faultline" && cp "$src/algorithms/algorithm.h" "$tmp/inc/faultline/" &&
    cp "$src/algorithms/raft/contract.h" "$tmp/inc/faultline/raft.h" &&
    cp "$src/algorithms/paxos/contract.h" "$tmp/inc/faultline/paxos.h" &&
    cp "$src/algorithms/lock/contract.h" "$tmp/inc/faultline/lock.h" &&
    cp "$src/algorithms/counter/contract.h" "$tmp/inc/faultline/counter.h" &&
    cp "$src/algorithms/sort/contract.h" "$tmp/inc/faultline/sort.h"
for a in raft multipaxos lock counter sort; do
    "$fl" new $a "$tmp/new-$a" --templates "$src/templates" > /dev/null 2> "$tmp/err" || bad "new $a"
    if make -s -C "$tmp/new-$a" FAULTLINE_CFLAGS="-I$tmp/inc $(pkg-config --cflags libcjson)" CFLAGS="-Werror" \
            > "$tmp/make.out" 2>&1 && [ -f "$tmp/new-$a/$a.so" ]; then
        ok "new $a: builds DIR/$a.so"
    else
        bad "new $a: builds"; head -20 "$tmp/make.out"
    fi
    if grep -n '@[A-Z]*@' "$tmp/new-$a/Makefile" "$tmp/new-$a/README.md" "$tmp/new-$a/$a.c"; then
        bad "new $a: placeholder left"
    else
        ok "new $a: placeholders filled"
    fi
done
expect_status 1 "new: the skeleton loads, runs and fails" "$fl" run "$raft/basic.json" --impl "$tmp/new-raft/raft.so" --seed 1 --quiet --duration 2000
expect_status 2 "new: refuses to overwrite" "$fl" new raft "$tmp/new-raft" --templates "$src/templates"
expect_status 0 "new --force overwrites" "$fl" new raft "$tmp/new-raft" --templates "$src/templates" --force
expect_status 2 "new: unknown algorithm" "$fl" new quicksort "$tmp/q" --templates "$src/templates"
grep -q 'no template for "quicksort"' "$tmp/err" && ok "new: says which algorithms exist" || bad "new: unknown algorithm message"
expect_status 2 "new: missing folder argument" "$fl" new raft
# `new paxos` would be single-decree, and there is no such template: it
# says so and names the Multi-Paxos one instead of writing something else
expect_status 2 "new paxos: refused (the built-in paxos is single-decree)" \
    "$fl" new paxos "$tmp/new-px" --templates "$src/templates"
grep -q 'single-decree.*faultline new multipaxos' "$tmp/err" && [ ! -e "$tmp/new-px/paxos.c" ] \
    && ok "new paxos: says which template exists, writes nothing" || bad "new paxos: message ($(cat "$tmp/err"))"
grep -q '"multipaxos"' "$tmp/new-multipaxos/multipaxos.c" && grep -q 'Multi-Paxos' "$tmp/new-multipaxos/README.md" \
    && ok "new multipaxos: a Multi-Paxos plug-in named multipaxos" || bad "new multipaxos: names"
expect_status 0 "grade --algorithm multipaxos finds the suite that grades it" \
    "$fl" grade --algorithm multipaxos --tests basic --jobs 2
grep -q 'scenarios/paxos/suite.json' "$tmp/out" && ok "grade --algorithm multipaxos: scenarios/paxos/suite.json" \
    || bad "grade --algorithm multipaxos: which suite"

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
