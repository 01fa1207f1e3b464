#!/usr/bin/env bash
# test_shrink.sh — shrink reports and replays the shrunk run (issue 14
# item 7). A bug scenario under two nemeses (crashes and pauses) with a
# liveness bound the full run meets: shrink expands the nemeses into the
# explicit faults they applied and removes most of them, writes no
# "nemesis", drops the bound the shrunk workload cannot meet, and its
# summary names the failure of the shrunk run — the check `faultline run`
# of the written file fails, alone, with the same numbers.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
scn=$src/tests/fixtures/shrink/kv-ack-before-sync-nemesis.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# the original: fails linearizable, meets its liveness bound
"$fl" run "$scn" > "$tmp/orig.out" 2>&1
check "original: fails linearizable only" \
    '[ $? -eq 1 ] && grep -q "^linearizable: NO" "$tmp/orig.out" && grep -q "^check liveness.min_ok_ops.*: held" "$tmp/orig.out"'

"$fl" shrink "$scn" --seed 1 --jobs 2 --out "$tmp/min.json" > "$tmp/shrink.out" 2> "$tmp/shrink.err"
rc=$?
check "shrink: exit 0, a file written" '[ $rc -eq 0 ] && [ -s "$tmp/min.json" ]'
[ $rc -eq 0 ] || { cat "$tmp/shrink.out" "$tmp/shrink.err"; }

n=$(sed -n 's/^nemesis: expanded into the \([0-9]*\) explicit faults.*/\1/p' "$tmp/shrink.out")
after=$(sed -n 's/^after:  \([0-9]*\) faults.*/\1/p' "$tmp/shrink.out")
check "shrink: the nemeses expanded into explicit faults ($n)" '[ -n "$n" ] && [ "$n" -gt 2 ]'
check "shrink: fewer faults than the nemeses applied ($n -> $after)" \
    '[ -n "$after" ] && [ "$after" -lt "$n" ]'
grep -Eq '"type":[[:space:]]*"nemesis"' "$scn" || bad "the fixture has no nemesis"
check "shrunk file: no nemesis, only explicit faults" \
    '! grep -Eq "\"type\":[[:space:]]*\"nemesis\"" "$tmp/min.json" &&
     [ "$(grep -Ec "\"type\":[[:space:]]*\"(crash|restart|pause|resume|partition|heal)\"" "$tmp/min.json")" -eq "$after" ]'
check "shrunk file: the liveness bound it cannot meet is gone" '! grep -q min_ok_ops "$tmp/min.json"'

# the replay fails the summary's check, alone, with the summary's numbers
"$fl" run "$tmp/min.json" > "$tmp/replay.out" 2>&1
rrc=$?
said=$(sed -n 's/^fails:  \([^ ]*\) .*/\1/p' "$tmp/shrink.out")
check "replay: fails (exit 1)" '[ $rrc -eq 1 ]'
check "summary names the shrunk run's check ($said)" \
    '[ "$said" = linearizable ] && grep -q "^linearizable: NO" "$tmp/replay.out"'
check "replay: that check alone" \
    '[ "$(grep -Ec "(: NO|: FAILED)" "$tmp/replay.out")" -eq 1 ]'
ops_said=$(sed -n 's/^fails: .*(register model, \([0-9]*\) ops in.*/\1/p' "$tmp/shrink.out")
ops_run=$(sed -n 's/^linearizable: NO .*(register model, \([0-9]*\) ops in.*/\1/p' "$tmp/replay.out")
ops_orig=$(sed -n 's/^linearizable: NO .*(register model, \([0-9]*\) ops in.*/\1/p' "$tmp/orig.out")
check "summary: the shrunk run's failure ($ops_said ops), not the original's ($ops_orig)" \
    '[ -n "$ops_said" ] && [ "$ops_said" = "$ops_run" ] && [ "$ops_said" != "$ops_orig" ]'
grep -q '^was:    linearizable .*original run' "$tmp/shrink.out" && ok "summary: the original failure as 'was:'" \
    || bad "summary: the original failure as 'was:'"
grep -q "^expected violation linearizable: caught" "$tmp/replay.out" && ok "replay: the declared violation caught" \
    || bad "replay: the declared violation caught"

# --- a Raft bug under crash, partition and pause nemeses ----------------------------
raft=$src/tests/fixtures/shrink/raft-no-truncate-nemesis.json
"$fl" shrink "$raft" --seed 1 --jobs 2 --out "$tmp/raft.json" > "$tmp/raft.out" 2> "$tmp/raft.err"
check "raft: shrink exit 0" '[ $? -eq 0 ] && [ -s "$tmp/raft.json" ]'
n=$(sed -n 's/^nemesis: expanded into the \([0-9]*\) explicit faults.*/\1/p' "$tmp/raft.out")
after=$(sed -n 's/^after:  \([0-9]*\) faults.*/\1/p' "$tmp/raft.out")
check "raft: expanded ($n), then fewer ($after)" '[ -n "$n" ] && [ -n "$after" ] && [ "$after" -lt "$n" ]'
# (Which kinds stay depends on the check: since raft.append_merge judges
# the rule, a crash and a pause are enough; it once needed a partition.)
check "raft: no nemesis; explicit faults it applied" \
    '! grep -Eq "\"type\":[[:space:]]*\"nemesis\"" "$tmp/raft.json" &&
     grep -Eq "\"type\":[[:space:]]*\"(partition|crash|pause)\"" "$tmp/raft.json"'
said=$(sed -n 's/^fails:  \([^ ]*\) at \([0-9.]*\) ms in the shrunk run.*/\1 \2/p' "$tmp/raft.out")
"$fl" run "$tmp/raft.json" > "$tmp/raft-replay.out" 2>&1
rrc=$?
got=$(sed -n 's/^  violated: \([^ ]*\) at \([0-9.]*\) ms.*/\1 \2/p' "$tmp/raft-replay.out")
check "raft: the summary's check and time are the replay's ($said)" \
    '[ $rrc -eq 1 ] && [ -n "$said" ] && [ "$said" = "$got" ]'

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
