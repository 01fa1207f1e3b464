#!/usr/bin/env bash
# test_grade.sh — `faultline grade` grades honestly (issue 6, item 3):
#   - the reference Raft, built as a plug-in, scores 100 % on the shipped
#     default suite (scenarios/raft/suite.json, 235 runs, each run twice);
#   - each Raft bug switch, and each hand-written student mistake
#     (tests/plugins/student_*.c), loses exactly the points of the tests
#     that catch it, with the right reason: the invariant it breaks, the
#     crash signal, the CPU or memory limit, nondeterminism;
#   - the skeleton `faultline new raft` writes builds against the header
#     and scores 0 for lack of progress;
#   - the reports (Gradescope results.json, JUnit XML) are written whole,
#     and grading exits 0 whatever the score, 2 on bad input.
# The mistakes are graded with tests/grade/suite.json: nine tests, two
# seeds each, the last one scored per seed.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
libs=tests/plugins/.libs
suite=$src/tests/grade/suite.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

# The table's rows as "name result points mix..." ("pass" or "FAIL").
rows() {
    awk '$4 == "pass" || $4 == "FAIL" { n = $1; p = $3; r = $4; $1 = $2 = $3 = $4 = ""
          sub(/^ +/, ""); print n, r, p, $0 }' "$1"
}
score_of() { sed -n 's/^score: \([0-9.]*\)\/\([0-9.]*\).*/\1/p' "$1"; }

# grade_case NAME SO "failing tests" CHECK-REGEX [grade options...]
# The tests listed (space-separated) must lose their points, each with a
# reason matching CHECK-REGEX; every other test must keep all of its points.
grade_case() {
    local name=$1 so=$2 want=$3 why=$4; shift 4
    local out=$tmp/$name.out
    "$fl" grade --suite "$suite" --impl "$so" --jobs 2 "$@" > "$out" 2> "$tmp/$name.err"
    local rc=$?
    if [ $rc -ne 0 ]; then bad "$name: grade exited $rc"; sed 's/^/    /' "$tmp/$name.err" | head -5; return; fi
    local failed got_why=1
    failed=$(rows "$out" | awk '$2 == "FAIL" { print $1 }' | sort | tr '\n' ' ')
    local expect
    expect=$(tr ' ' '\n' <<<"$want" | sed '/^$/d' | sort | tr '\n' ' ')
    if [ "$failed" = "$expect" ]; then ok "$name: loses exactly [${want}]"
    else bad "$name: lost points in [$failed], expected [$expect]"; rows "$out" | sed 's/^/    /'; fi
    while read -r t res pts mix; do
        [ "$res" = FAIL ] || continue
        grep -Eq "^[0-9]+ ($why)(, [0-9]+ ($why))*$" <<<"$mix" || { got_why=0; echo "    $t: $mix"; }
    done < <(rows "$out")
    [ $got_why -eq 1 ] && ok "$name: every lost test says why ($why)" || bad "$name: reasons"
    # the points: 100 % minus the weights of the failed tests (per-seed
    # scoring keeps the passed share)
    local lost
    lost=$(rows "$out" | awk '$2 == "FAIL" { split($3, p, "/"); s += p[2] - p[1] } END { print s + 0 }')
    local max score
    max=$(sed -n 's/^score: [0-9.]*\/\([0-9.]*\).*/\1/p' "$out")
    score=$(score_of "$out")
    awk -v s="$score" -v m="$max" -v l="$lost" 'BEGIN { exit !(s + l == m) }' \
        && ok "$name: score $score/$max = max - lost points" || bad "$name: score $score, max $max, lost $lost"
    grep -q "reproduce: faultline run .* --seed [0-9]* --impl $so" "$out" || [ -z "$want" ] \
        && ok "$name: repro commands printed" || bad "$name: repro commands printed"
}

# --- the reference scores 100 % on the shipped default suite ---------------
out=$tmp/ref.out
"$fl" grade --algorithm raft --suite "$src/scenarios/raft/suite.json" \
    --impl algorithms/raft/.libs/raft.so --jobs 2 \
    --results "$tmp/results.json" --junit "$tmp/junit.xml" > "$out" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "reference: exit 0" || bad "reference: exit $rc"
grep -q '^score: 153.0/153.0 (100.0 %)  235 runs' "$out" && ok "reference: 100 % of the 235-run default suite" \
    || { bad "reference: 100 %"; grep -E 'FAIL|score|seed' "$out" | head -20; }
grep -Eq '"score":[[:space:]]*153' "$tmp/results.json" && grep -Eq '"max_score":[[:space:]]*153' "$tmp/results.json" \
    && [ "$(grep -Ec '"status":[[:space:]]*"passed"' "$tmp/results.json")" -eq 25 ] \
    && ok "reference: results.json has the score and 25 passed tests" || bad "reference: results.json"
grep -q '<testsuite name="raft-default" tests="25" failures="0"' "$tmp/junit.xml" \
    && [ "$(grep -c '<testcase ' "$tmp/junit.xml")" -eq 25 ] && ok "reference: JUnit XML" || bad "reference: JUnit XML"
ls "$tmp" | grep -q partial && bad "no temporary report left" || ok "no temporary report left"

# --- the bug switches, as students' mistakes --------------------------------
grade_case vote-twice "$libs/student_bug_vote_twice.so" \
    "basic leader-crash partition majority-partition prevote-rejoin-off power-loss flapping per-seed" \
    "raft.election_safety|raft.vote_durable"
# (since issue 14 the rule checks catch the rule itself, in more tests)
grade_case no-persist "$libs/student_bug_no_persist.so" "leader-crash power-loss" \
    "raft.term_durable|raft.vote_durable|raft.election_safety"
grade_case commit-old-term "$libs/student_bug_commit_old_term.so" \
    "figure8 flapping leader-crash majority-partition partition per-seed power-loss prevote-rejoin-off" \
    "raft.commit_current_term|raft.leader_completeness"
grade_case no-up-to-date-check "$libs/student_bug_no_up_to_date_check.so" \
    "partition majority-partition prevote-rejoin-off figure8 flapping per-seed" "raft.up_to_date_vote|raft.leader_completeness"
grade_case no-truncate "$libs/student_bug_no_truncate.so" \
    "partition majority-partition figure8 flapping per-seed" "raft.append_merge|raft.log_matching|raft.leader_completeness"

# --- hand-written mistakes ---------------------------------------------------
grade_case student-nopersist "$libs/student_nopersist.so" "leader-crash power-loss" \
    "raft.term_durable|raft.vote_durable|raft.election_safety|raft.log_matching|raft.leader_completeness|linearizable"
all="basic leader-crash partition majority-partition prevote-rejoin-off power-loss figure8 flapping per-seed"
# In a sanitizer build the plug-ins are instrumented too, and UBSan stops
# the null dereference before the SIGSEGV: then the sanitizer is the reason.
segv_why="crash.SIGSEGV" segv_detail='seed 1: crashed: SIGSEGV'
if ldd "$fl" 2>/dev/null | grep -q libasan; then
    segv_why="crash.SIGSEGV|crash.sanitizer"
    segv_detail='seed 1: crashed(: SIGSEGV| \(reported by UndefinedBehaviorSanitizer: .*null pointer)'
fi
grade_case student-segv "$libs/student_segv.so" "$all" "$segv_why"
grade_case student-global "$libs/student_global.so" "$all" "nondeterministic"
grade_case student-loop "$libs/student_loop.so" "leader-crash power-loss" "limit.cpu" --cpu 1 --seeds 1
grade_case student-memhog "$libs/student_memhog.so" "basic power-loss" "limit.memory" \
    --memory 100 --seeds 1 --tests basic,power-loss
grep -Eq "$segv_detail" "$tmp/student-segv.out" && ok "segv: the reason names the signal" \
    || bad "segv: the reason names the signal"
grep -q 'seed 1: nondeterministic: the same seed ran twice' "$tmp/student-global.out" \
    && ok "global: the reason explains nondeterminism" || bad "global: the reason explains nondeterminism"
grep -q 'CPU time limit of 1 s exceeded' "$tmp/student-loop.out" && ok "loop: the reason names the CPU limit" \
    || bad "loop: the reason names the CPU limit"

# --- the skeleton: builds against the header, fails for lack of progress -----
# (as in the README walkthrough: no FAULTLINE_CFLAGS, nothing installed;
# the Makefile finds the build tree's include/faultline/algorithm.h)
"$fl" new raft "$tmp/sk" --templates "$src/templates" > "$tmp/new.out" 2>&1 \
    && ok "new raft writes a skeleton" || bad "new raft writes a skeleton"
if env -u FAULTLINE_CFLAGS make -C "$tmp/sk" CFLAGS="-O1 -Werror" > "$tmp/make.out" 2>&1 \
        && [ -f "$tmp/sk/raft.so" ]; then
    ok "the skeleton builds with -Wall -Wextra -Werror into DIR/raft.so"
    # (its followers never start an election: raft.election_timer says so)
    grade_case skeleton "$tmp/sk/raft.so" "$all" "liveness.min_ok_ops|liveness.leader|raft.election_timer"
    grep -q '^score: 0.0/66.0' "$tmp/skeleton.out" && ok "skeleton scores 0" || bad "skeleton scores 0"
else
    bad "the skeleton builds"; sed 's/^/    /' "$tmp/make.out" | head -20
fi

# --- every other skeleton builds and scores 0 on its default suite, where the
# built-in implementation scores 100 % (so each suite can fail) -------------
for a in multipaxos lock counter sort; do
    d=$a; [ "$a" = multipaxos ] && d=paxos     # Multi-Paxos's suite is scenarios/paxos's
    "$fl" new "$a" "$tmp/sk-$a" --templates "$src/templates" > /dev/null 2>&1 &&
        env -u FAULTLINE_CFLAGS make -C "$tmp/sk-$a" CFLAGS="-O1 -Werror" > "$tmp/make-$a.out" 2>&1 &&
        [ -f "$tmp/sk-$a/$a.so" ] && ok "$a skeleton builds" || { bad "$a skeleton builds"; continue; }
    "$fl" grade --suite "$src/scenarios/$d/suite.json" --impl "$tmp/sk-$a/$a.so" --jobs 2 \
        > "$tmp/sk-$a.out" 2>&1; rc=$?
    [ $rc -eq 0 ] && grep -q '^score: 0.0/' "$tmp/sk-$a.out" && ok "$a skeleton scores 0" \
        || { bad "$a skeleton scores 0 (rc $rc)"; grep -E 'score|pass' "$tmp/sk-$a.out" | head; }
    "$fl" grade --suite "$src/scenarios/$d/suite.json" --jobs 2 > "$tmp/ref-$a.out" 2>&1
    grep -q '(100.0 %)' "$tmp/ref-$a.out" && ok "built-in $a scores 100 %" \
        || { bad "built-in $a scores 100 %"; grep -E 'FAIL|score' "$tmp/ref-$a.out" | head; }
done

# --- what is not the student's fault is not a zero with exit 0 ---------------
"$fl" grade --suite "$suite" --impl "$tmp/none.so" > "$tmp/none.out" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q '^score: 0.0/66.0' "$tmp/none.out" && grep -q 'could not be loaded' "$tmp/none.out" \
    && ok "a plug-in that does not load scores 0, exit 0, and says why" || bad "missing plug-in (rc $rc)"
"$fl" grade --algorithm raft --suite "$src/tests/grade/nonexistent.json" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'nonexistent.json' "$tmp/err" && ok "missing suite: exit 2, names the file" || bad "missing suite (rc $rc)"
printf '{"algorithm":"raft","tests":[{"name":"a","scenario":"%s","seeds":"5-1"}]}' \
    "$src/scenarios/raft/basic.json" > "$tmp/bad.json"
"$fl" grade --suite "$tmp/bad.json" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'bad.json: \$.tests\[0\].seeds' "$tmp/err" && ok "bad suite: exit 2, names the path" \
    || { bad "bad suite (rc $rc)"; cat "$tmp/err"; }
printf '{"algorithm":"raft","tests":[{"name":"a","scenario":"%s","seeds":"1"}]}' \
    "$src/scenarios/raft/bugs/no-persist.json" > "$tmp/bug.json"
"$fl" grade --suite "$tmp/bug.json" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'bug demonstration' "$tmp/err" && ok "a bug scenario cannot be a test" || bad "bug scenario as test (rc $rc)"
"$fl" grade --suite "$suite" --impl algorithms/raft/.libs/raft.so --results "$tmp/no/dir/r.json" \
    > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && ok "unwritable report: exit 2" || bad "unwritable report (rc $rc)"
"$fl" grade --suite "$suite" --algorithm paxos > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && ok "--algorithm must match the suite" || bad "--algorithm must match (rc $rc)"

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
