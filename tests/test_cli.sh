#!/usr/bin/env bash
# test_cli.sh — the command line as a user meets it: help for every command,
# exit statuses, bad input rejected with status 2 and no output file left
# behind, output files written on success, reruns reproduce the hash.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "PASS: $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL: $1"; }
expect_status() {   # want, description, command...
    local want=$1 what=$2; shift 2
    "$@" > "$tmp/out" 2> "$tmp/err"; local got=$?
    if [ "$got" -eq "$want" ]; then ok "$what"; else bad "$what (exit $got, wanted $want)"; sed 's/^/    /' "$tmp/err" | head -5; fi
}

for cmd in run check list bench experiment help version; do
    expect_status 0 "help $cmd" "$fl" help "$cmd"
    grep -q "usage: faultline $cmd" "$tmp/out" && ok "help $cmd shows usage" || bad "help $cmd shows usage"
done
expect_status 0 "--version" "$fl" --version
expect_status 2 "no command" "$fl"
expect_status 2 "unknown command" "$fl" frobnicate
expect_status 2 "run without scenario" "$fl" run
expect_status 2 "run with bad seed" "$fl" run "$src/scenarios/kv/basic.json" --seed banana
expect_status 2 "run with unknown option" "$fl" run "$src/scenarios/kv/basic.json" --frob 1

# bad input: status 2, message names the file, no output created
printf '{"name":"x","algorithm":"kv-single","nodes":3,"duration_ms":100,"faults":[{"at_ms":-1,"type":"heal"}]}' > "$tmp/bad.json"
expect_status 2 "bad scenario" "$fl" run "$tmp/bad.json" --trace "$tmp/t.jsonl" --history "$tmp/h.jsonl"
grep -q 'bad.json: \$.faults\[0\].at_ms' "$tmp/err" && ok "error names file and path" || { bad "error names file and path"; cat "$tmp/err"; }
[ ! -e "$tmp/t.jsonl" ] && [ ! -e "$tmp/h.jsonl" ] && ls "$tmp" | grep -qv partial && ok "no output file after bad input" || bad "no output file after bad input"
expect_status 2 "missing scenario file" "$fl" run "$tmp/nope.json"
expect_status 2 "directory as scenario" "$fl" run "$tmp"
printf '{"name":"x","algorithm":"nosuch","nodes":3,"duration_ms":100}' > "$tmp/alg.json"
expect_status 2 "unknown algorithm" "$fl" run "$tmp/alg.json"
grep -q '\$.algorithm' "$tmp/err" && ok "unknown algorithm names the path" || bad "unknown algorithm names the path"
expect_status 2 "missing plug-in" "$fl" run "$src/scenarios/kv/basic.json" --impl "$tmp/none.so"
expect_status 2 "unwritable trace" "$fl" run "$src/scenarios/kv/basic.json" --trace "$tmp/no/such/dir/t.jsonl"

# a good run writes every output and reproduces its hash
expect_status 0 "kv basic run" "$fl" run "$src/scenarios/kv/basic.json" --seed 0x5eed \
    --trace "$tmp/t.jsonl" --history "$tmp/h.jsonl" --history-edn "$tmp/h.edn" --metrics "$tmp/m.csv"
h1=$(sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p' "$tmp/out")
grep -q 'reproduce: faultline run .*--seed 0x0000000000005eed' "$tmp/out" && ok "prints the reproduce command" || bad "prints the reproduce command"
head -1 "$tmp/t.jsonl" | grep -q '"format":"faultline-trace"' && ok "trace header" || bad "trace header"
[ "$(wc -l < "$tmp/t.jsonl")" -gt 100 ] && ok "trace has events" || bad "trace has events"
[ -s "$tmp/h.jsonl" ] && [ -s "$tmp/h.edn" ] && ok "histories written" || bad "histories written"
[ "$(wc -l < "$tmp/m.csv")" -eq 2 ] && ok "metrics csv" || bad "metrics csv"
"$fl" run "$src/scenarios/kv/basic.json" --seed 0x5eed --trace "$tmp/t2.jsonl" > "$tmp/out2"
h2=$(sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p' "$tmp/out2")
[ -n "$h1" ] && [ "$h1" = "$h2" ] && cmp -s "$tmp/t.jsonl" "$tmp/t2.jsonl" && ok "rerun: same hash, same trace bytes" || bad "rerun: same hash, same trace bytes"
grep -q '^linearizable: yes' "$tmp/out" && ok "run prints linearizable: yes" || bad "run prints linearizable: yes"
expect_status 1 "a non-linearizable run exits 1" "$fl" run "$src/scenarios/kv/bugs/stale-reads.json"
grep -q '^linearizable: NO' "$tmp/out" && ok "run prints linearizable: NO" || bad "run prints linearizable: NO"
grep -q '^longest linearizable prefix' "$tmp/out" && ok "a violation is explained" || bad "a violation is explained"
"$fl" run "$src/scenarios/kv/crash-restart.json" --history "$tmp/ch.jsonl" --history-edn "$tmp/ch.edn" > /dev/null
expect_status 0 "check reads run's JSONL history" "$fl" check "$tmp/ch.jsonl" --model kv
expect_status 0 "check reads run's EDN history" "$fl" check "$tmp/ch.edn" --model kv
expect_status 0 "quiet run" "$fl" run "$src/scenarios/kv/basic.json" --quiet
[ "$(wc -l < "$tmp/out")" -le 3 ] && ok "--quiet is short" || bad "--quiet is short"
# An invariant violation lists the last events before it: no run keeps
# them as it goes, `run` makes the failed run again with them kept, to the
# same stop (the same 32 lines as when every run kept them, up to the
# client ops the end of the run closes).
expect_status 1 "an invariant violation exits 1" "$fl" run "$src/scenarios/raft/bugs/apply-before-commit.json" --seed 1
sed -n '/the last events:/,/^linearizable/p' "$tmp/out" | sed '1d;$d' > "$tmp/recent"
[ "$(wc -l < "$tmp/recent")" -eq 32 ] && head -1 "$tmp/recent" | grep -q '202.830 ms  send      node 5 -> 4  ClientRequest' &&
    grep -q '220.766 ms  send      node 2 -> 0  AppendEntries$' "$tmp/recent" &&
    tail -1 "$tmp/recent" | grep -q '220.766 ms  complete  node 7' &&
    ok "the last events before a violation, re-derived" || { bad "the last events before a violation, re-derived"; cat "$tmp/out"; }
expect_status 0 "list" "$fl" list "$src/scenarios"
grep -q 'kv-single' "$tmp/out" && grep -q 'basic.json' "$tmp/out" && ok "list shows algorithms and scenarios" || bad "list shows algorithms and scenarios"

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
