#!/usr/bin/env bash
# test_grade_search.sh — search tests in grading suites ("search": {...}):
# grade runs them next to the random ones, each in a sandboxed child; the
# correct Raft passes, a plug-in that forgets its vote loses exactly the
# search test's points with the check that caught it, the printed
# `faultline search` command reproduces the counterexample and `run`
# replays it; a plug-in that loops is stopped by the limit; bad search
# bounds are refused with the JSON path.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
fl=$(cd "$(dirname "$fl")" && pwd)/$(basename "$fl")
libs=$(pwd)/tests/plugins/.libs
suite=$src/tests/grade/search-suite.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
row() { awk -v t="$1" '$1 == t { print $4 }' "$2"; }

"$fl" grade --suite "$suite" --jobs 2 > "$tmp/ref" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q '^score: 10.0/10.0' "$tmp/ref" && [ "$(row election-search "$tmp/ref")" = pass ] \
    && ok "built-in Raft passes the search test" || { bad "built-in Raft passes (exit $rc)"; cat "$tmp/ref"; }

if [ -e "$libs/raft.so" ] || [ -e algorithms/raft/.libs/raft.so ]; then
    "$fl" grade --suite "$suite" --impl algorithms/raft/.libs/raft.so > "$tmp/plug" 2>&1
    grep -q '^score: 10.0/10.0' "$tmp/plug" && ok "the reference plug-in passes it too" \
        || { bad "the reference plug-in passes it too"; cat "$tmp/plug"; }
fi

so=$libs/student_bug_vote_twice.so
"$fl" grade --suite "$suite" --impl "$so" > "$tmp/bug" 2>&1; rc=$?
[ $rc -eq 0 ] && [ "$(row election-search "$tmp/bug")" = FAIL ] && [ "$(row basic "$tmp/bug")" = pass ] \
    && ok "vote kept in memory: the search test fails, the random one does not" \
    || { bad "vote kept in memory: search test fails (exit $rc)"; cat "$tmp/bug"; }
grep -q '1 raft.vote_durable' "$tmp/bug" && grep -q 'search found a schedule of [0-9]* steps' "$tmp/bug" \
    && ok "it names the check and the schedule's length" || bad "it names the check"
repro=$(sed -n 's/^ *reproduce: //p' "$tmp/bug" | head -1)
case $repro in
    "faultline search "*"--impl $so --out counterexample.json") ok "the reproduce command is a search" ;;
    *) bad "the reproduce command is a search: $repro" ;;
esac
(cd "$tmp" && eval "\"$fl\" ${repro#faultline } --quiet") > "$tmp/repro" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q '^VIOLATION raft.vote_durable' "$tmp/repro" && [ -s "$tmp/counterexample.json" ] \
    && ok "the reproduce command finds it again and writes the counterexample" \
    || { bad "reproduce (exit $rc)"; cat "$tmp/repro"; }
"$fl" run "$tmp/counterexample.json" --impl "$so" > "$tmp/replay" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q 'expected violation raft.vote_durable: caught' "$tmp/replay" \
    && ok "run replays the counterexample to the same check" || { bad "replay (exit $rc)"; cat "$tmp/replay"; }

# a search test from a story's prefix with only election timers as choices
# (timer_kinds): the Figure 8 switch fails it, and the reproduce command
# carries --timer-kinds
sed 's/"seed": 1,/"seed": 1, "params": {"bugs": ["commit-old-term"]},/' \
    "$src/scenarios/search/raft-figure8.json" > "$tmp/fig8.json"
for scen in "$src/scenarios/search/raft-figure8.json" "$tmp/fig8.json"; do
    cat > "$tmp/fig8-suite.json" <<EOF
{ "name": "fig8", "algorithm": "raft", "limits": { "cpu_s": 60, "wall_s": 120, "memory_mb": 512 },
  "tests": [ { "name": "figure8", "scenario": "$scen", "weight": 1,
               "search": { "depth": 6, "seconds": 50, "timer_kinds": ["election"] } } ] }
EOF
    "$fl" grade --suite "$tmp/fig8-suite.json" > "$tmp/fig8.out" 2>&1
    echo "$(row figure8 "$tmp/fig8.out")" >> "$tmp/fig8.rows"
done
[ "$(tr '\n' ' ' < "$tmp/fig8.rows")" = "pass FAIL " ] && grep -q 'raft.commit_current_term' "$tmp/fig8.out" \
    && grep -q 'reproduce: faultline search .*--timer-kinds election' "$tmp/fig8.out" \
    && ok "timer_kinds: correct Raft passes from the Figure 8 prefix, commit-old-term fails" \
    || { bad "timer_kinds: Figure 8 search test ($(tr '\n' ' ' < "$tmp/fig8.rows"))"; cat "$tmp/fig8.out"; }

# a plug-in that never returns: the search test ends at the CPU limit
if [ -e "$libs/hostile_loop.so" ]; then
    "$fl" grade --suite "$suite" --impl "$libs/hostile_loop.so" --cpu 2 --wall 20 > "$tmp/loop" 2>&1; rc=$?
    [ $rc -eq 0 ] && [ "$(row election-search "$tmp/loop")" = FAIL ] && grep -q 'limit' "$tmp/loop" \
        && ok "a looping plug-in: the search test fails at a limit, the grader goes on" \
        || { bad "looping plug-in (exit $rc)"; cat "$tmp/loop"; }
fi

# bad bounds: exit 2, the JSON path, nothing run
bad_suite() {   # description, search object, expected text
    sed "s|\"search\": { \"order\": \"bfs\", \"depth\": 6, \"seconds\": 8 }|\"search\": $2|" "$suite" \
        > "$tmp/suite.json"
    sed -i "s|\.\./\.\./scenarios|$src/scenarios|" "$tmp/suite.json"
    "$fl" grade --suite "$tmp/suite.json" > "$tmp/out" 2>&1; local rc=$?
    [ $rc -eq 2 ] && grep -qF "$3" "$tmp/out" && ok "bad search bounds: $1" \
        || { bad "bad search bounds: $1 (exit $rc)"; cat "$tmp/out"; }
}
bad_suite "unknown key" '{ "depht": 3 }' '$.tests[1].search'
bad_suite "depth out of range" '{ "depth": 0 }' '$.tests[1].search.depth'
bad_suite "order" '{ "order": "random" }' 'expected "bfs" or "dfs"'
bad_suite "seconds over the CPU limit" '{ "seconds": 60 }' '$.tests[1].search.seconds'
bad_suite "not an object" '7' 'expected an object of search bounds'
bad_suite "timer kind" '{ "timer_kinds": ["election", "banana"] }' '$.tests[1].search.timer_kinds[1]'

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
