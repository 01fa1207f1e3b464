#!/bin/sh
# Every Raft bug switch must fail at least one unit test of
# tests/test_raft_unit (run with --bug NAME); without one, all pass.
bin=./tests/test_raft_unit
[ -x "$bin" ] || { echo "$bin not built"; exit 1; }
passed=0 failed=0
for bug in vote-twice no-persist commit-old-term no-up-to-date-check no-truncate apply-before-commit; do
    if "$bin" --bug "$bug" >/dev/null 2>&1; then
        echo "FAIL: bug switch $bug fails no unit test"
        failed=$((failed + 1))
    else
        echo "PASS: bug switch $bug fails a unit test"
        passed=$((passed + 1))
    fi
done
echo "fl-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
