#!/usr/bin/env bash
# test_students.sh — student-style Raft plug-ins with one realistic mistake
# each (issue 14's list) lose points in the default suite
# (scenarios/raft/suite.json), and the failing test names the rule check
# that caught the mistake itself rather than a distant consequence. Each is
# graded on the tests that aim at its mistake, three seeds each.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
libs=tests/plugins/.libs
suite=$src/scenarios/raft/suite.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
[ -f "$suite" ] || { echo "no $suite"; echo "fl-tests: 0 passed, 0 failed"; exit 77; }

# student NAME SO TESTS CHECK-REGEX: grading SO on TESTS (comma list)
# scores below 100 % and every named test fails with a reason matching
# CHECK-REGEX.
student() {
    local name=$1 so=$2 tests=$3 why=$4 out=$tmp/$1.out
    if [ ! -f "$so" ]; then bad "$name: $so not built"; return; fi
    "$fl" grade --suite "$suite" --impl "$so" --jobs 2 --seeds 3 --tests "$tests" \
        > "$out" 2>&1
    local rc=$?
    [ $rc -eq 0 ] || { bad "$name: grade exited $rc"; head -5 "$out"; return; }
    grep -q '(100.0 %)' "$out" && { bad "$name: scored 100 %"; cat "$out"; return; }
    local t missing=""
    for t in ${tests//,/ }; do
        grep -Eq "^  $t +[0-9]+/[0-9]+ +[0-9.]+/[0-9.]+ +FAIL +[0-9]+ ($why)" "$out" \
            || missing="$missing $t"
    done
    if [ -z "$missing" ]; then ok "$name: fails [$tests] by $why"
    else bad "$name: not failed by $why in:$missing"; sed 's/^/    /' "$out" | head -30; fi
}

# The reference plug-in passes the same tests (the checks raise no false alarm).
ref=algorithms/raft/.libs/raft.so
"$fl" grade --suite "$suite" --impl "$ref" --jobs 2 --seeds 3 \
    --tests crash-after-reply,stale-read,checkquorum,prevote-rejoin,snapshot,readindex,partition,majority-partition \
    > "$tmp/ref.out" 2>&1
grep -q '(100.0 %)' "$tmp/ref.out" && ok "reference plug-in: 100 % on the aimed tests" \
    || { bad "reference plug-in: 100 % on the aimed tests"; cat "$tmp/ref.out"; }

student vote-forget "$libs/student_vote_forget.so" crash-after-reply 'raft.vote_durable'
student reply-before-sync "$libs/student_bug_reply_before_sync.so" crash-after-reply \
    'raft.ack_durable|raft.term_durable|raft.vote_durable'
student single-meta-slot "$libs/student_bug_single_meta_slot.so" crash-after-reply 'raft.term_durable'
student ignore-reply-term "$libs/student_bug_ignore_reply_term.so" majority-partition 'raft.adopt_term'
student commit-no-min "$libs/student_bug_commit_no_min.so" partition 'raft.follower_commit'
student readindex-no-confirm "$libs/student_bug_readindex_no_confirm.so" stale-read 'linearizable'
student ignore-features "$libs/student_ignore_features.so" prevote-rejoin,checkquorum \
    'raft.prevote|raft.check_quorum'
student ignore-features-snap "$libs/student_ignore_features.so" snapshot 'raft.snapshot'
student ignore-features-read "$libs/student_ignore_features.so" readindex 'raft.readindex'

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
