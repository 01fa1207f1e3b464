#!/usr/bin/env bash
# test_mutants.sh — every Raft bug switch loses points in its best suite
# test and is caught there by the check the catalogue names (the fast form
# of tests/mutants.sh; `make mutation` runs the whole suite per switch).
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
[ -x "$fl" ] || { echo "no $fl"; echo "fl-tests: 0 passed, 0 failed"; exit 77; }
out=$(bash "$src/tests/mutants.sh" "$fl" --fast --jobs 2 2>&1); rc=$?
echo "$out"
pass=$(echo "$out" | grep -c '\[ok\]')
fail=$(echo "$out" | grep -Ec '\[(SURVIVED|caught, not)')
[ $rc -eq 0 ] || [ "$fail" -gt 0 ] || fail=1
echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
