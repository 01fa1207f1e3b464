#!/usr/bin/env bash
# test_plugin.sh — loading algorithms with --impl: the kv-single plug-in runs
# to the same trace hash as the built-in; a wrong ABI and a missing entry
# symbol are refused with status 2 and a message that says why.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
libs=tests/plugins/.libs
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
hash_of() { sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p'; }

for s in basic crash-restart; do
    a=$("$fl" run "$src/scenarios/kv/$s.json" --seed 9 | hash_of)
    b=$("$fl" run "$src/scenarios/kv/$s.json" --seed 9 --impl "$libs/kv_plugin.so" | hash_of)
    [ -n "$a" ] && [ "$a" = "$b" ] && ok "$s: plug-in hash equals built-in ($a)" || bad "$s: plug-in $b vs built-in $a"
done
out=$("$fl" run "$src/scenarios/kv/basic.json" --impl "$libs/bad_abi.so" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "ABI" <<<"$out" && ok "wrong ABI refused" || bad "wrong ABI refused (rc $rc: $out)"
out=$("$fl" run "$src/scenarios/kv/basic.json" --impl "$libs/no_entry.so" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "fl_algorithm_entry" <<<"$out" && ok "missing entry refused" || bad "missing entry refused (rc $rc: $out)"
echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
