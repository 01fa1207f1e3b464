#!/usr/bin/env bash
# test_golden.sh — the golden regression test (issue 13): every shipped
# scenario's trace hash and exit status for two seeds, `bench --raft`'s trace
# hash, both experiments' CSVs and every built-in suite's grade must be
# byte-identical to tests/golden-hashes.txt, which tests/golden.sh printed
# for the original main (be1a45e); scenarios added since (scenarios/search/)
# were pinned when they arrived. The trace hashes were regenerated once,
# in issue 18, when the trace hash itself changed (sim/trace.c); every
# other field stayed identical. A new scenario fails this test until its
# lines are added; a change that is meant to change a line regenerates the
# file with `bash tests/golden.sh ./faultline` and says why in its commit.
fl=${FAULTLINE:-./faultline}
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
want=$src/tests/golden-hashes.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

if [ ! -r "$want" ]; then
    echo "test_golden: $want is missing"
    echo "fl-tests: 0 passed, 1 failed"
    exit 1
fi
FL_SRCDIR=$src bash "$src/tests/golden.sh" "$fl" > "$tmp/got"
for kind in run bench exp csv grade; do
    n=$(grep -c "^$kind " "$want")
    if [ "$n" -eq 0 ]; then
        bad "$kind: the golden file has no $kind lines"
    elif diff <(grep "^$kind " "$want") <(grep "^$kind " "$tmp/got") > "$tmp/diff"; then
        ok "$kind: $n lines identical to be1a45e"
    else
        bad "$kind: differs from be1a45e (< golden, > now):"
        head -20 "$tmp/diff" | sed 's/^/    /'
    fi
done
# Nothing the golden file lists may go missing or appear unannounced.
diff -q "$want" "$tmp/got" > /dev/null && ok "whole file identical" || bad "whole file differs"
echo "fl-tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
