#!/usr/bin/env bash
# test_shipped.sh — every shipped scenario does what it says: outside bugs/
# it exits 0 with every check held (seeds 1..3 and its own; only its own if
# it has a "schedule", whose message ids belong to that seed); under bugs/ it
# exits 1 and the check it declares in expect.violation is the one caught.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
while read -r s; do
    case "${s#"$src"/}" in
    scenarios/*/bugs/*)
        for seed in "" 1 2 3; do
            out=$("$fl" run "$s" ${seed:+--seed $seed} 2>&1); rc=$?
            if [ $rc -eq 1 ] && grep -q '^expected violation .*: caught$' <<<"$out"; then ok
            else bad "$s seed ${seed:-own}: rc $rc, $(grep '^expected' <<<"$out")"; fi
        done ;;
    *)
        seeds=(own 1 2 3)
        # a schedule (a search's prefix) names message ids of its own seed
        grep -q '"schedule"' "$s" && seeds=(own)
        for seed in "${seeds[@]}"; do
            [ "$seed" = own ] && seed=""
            out=$("$fl" run "$s" ${seed:+--seed $seed} 2>&1); rc=$?
            if [ $rc -eq 0 ]; then ok
            else bad "$s seed ${seed:-own}: rc $rc"; grep -E 'FAILED|violated|faultline:' <<<"$out" | head -3; fi
        done ;;
    esac
done < <(find "$src/scenarios" -name '*.json' ! -name 'suite.json' | LC_ALL=C sort)
echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
