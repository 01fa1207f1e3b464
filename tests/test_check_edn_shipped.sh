#!/usr/bin/env bash
# test_check_edn_shipped.sh — issue 20: faultline's Jepsen EDN history of
# every shipped scenario's run, read back by `faultline check`, gets the
# same linearizability verdict as the run's own check; and the same file
# without faultline's first line (so read as Knossos reads it) is read
# without error. Runs every scenario (and bug scenario) once with its own
# seed; SKIP (77) only if no scenario is found.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 seen=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
for s in "$src"/scenarios/*/*.json "$src"/scenarios/*/bugs/*.json; do
    case $s in */suite.json) continue ;; esac
    [ -f "$s" ] || continue
    grep -q '"algorithm"' "$s" || continue
    seen=$((seen + 1))
    name=${s#"$src"/}
    "$fl" run "$s" --history-edn "$tmp/h.edn" > "$tmp/run" 2>&1
    line=$(grep '^linearizable:' "$tmp/run" | head -1)
    verdict=$(echo "$line" | awk '{print $2}')
    model=$(echo "$line" | sed -n 's/.*(\([a-z-]*\) model.*/\1/p')
    if [ -z "$verdict" ] || [ -z "$model" ] || [ ! -s "$tmp/h.edn" ]; then
        # runs without a model, or stopped before the check (an invariant)
        case $line in
            *"not checked"*|"") ok; continue ;;
        esac
        bad "$name: cannot read the run's verdict: $line"
        continue
    fi
    "$fl" check "$tmp/h.edn" --model "$model" > "$tmp/check" 2>&1
    rc=$?
    got=$(sed -n 's/^linearizable: \([a-zA-Z]*\).*/\1/p' "$tmp/check" | head -1)
    if [ "$got" = "$verdict" ]; then
        ok
    else
        bad "$name: run says '$verdict', check of its EDN says '$got' (exit $rc)"
        sed 's/^/    /' "$tmp/check" | head -5
    fi
    # Knossos' reading of the same file (no faultline first line): it must
    # read; its verdict may be weaker (a nil read is unknown), never stronger
    tail -n +2 "$tmp/h.edn" > "$tmp/k.edn"
    "$fl" check "$tmp/k.edn" --model "$model" > "$tmp/kcheck" 2>&1
    krc=$?
    if [ $krc -eq 2 ] || { [ "$verdict" = yes ] && [ $krc -eq 1 ]; }; then
        bad "$name: read as Knossos EDN: exit $krc"
        sed 's/^/    /' "$tmp/kcheck" | head -3
    else
        ok
    fi
done
if [ $seen -eq 0 ]; then
    echo "SKIP: no scenarios under $src/scenarios"
    exit 77
fi
echo "$seen scenarios"
echo "fl-tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
