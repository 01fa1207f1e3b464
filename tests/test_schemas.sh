#!/usr/bin/env bash
# test_schemas.sh — what faultline reads and writes matches what docs/
# publishes, checked with python3-jsonschema (tests/json_validate.py):
#   - every line of the trace and of the history of real runs of every
#     algorithm against docs/trace.schema.json and docs/history.schema.json;
#   - every shipped scenario, every ok-* fixture and every document the
#     loader's unit tests accept (tests/test_scenario, FL_SCHEMA_DUMP)
#     against docs/scenario.schema.json: loader and schema agree;
# and each schema is shown documents it must refuse, each refused at the
# JSON path that is wrong (so the checks can fail).
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
fl=$(cd "$(dirname "$fl")" && pwd)/$(basename "$fl")
build=$(dirname "$fl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "PASS: $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

if ! python3 -c 'import jsonschema' 2> /dev/null; then
    echo "SKIP: needs python3-jsonschema (apt-get install python3-jsonschema)"
    exit 77
fi
validate() {   # SCHEMA [--lines] FILE...: 0 if all valid; errors shown
    python3 "$src/tests/json_validate.py" "$src/docs/$1" "${@:2}" > "$tmp/verr" 2>&1
    local st=$?
    [ $st -eq 0 ] || sed 's/^/    /' "$tmp/verr" | head -5
    return $st
}
# refuses SCHEMA DOC WHAT: DOC (one line) is invalid, and an error line has
# WHAT ("$.json.path: " and maybe jsonschema's words)
refuses() {
    printf '%s\n' "$2" > "$tmp/doc.json"
    python3 "$src/tests/json_validate.py" "$src/docs/$1" "$tmp/doc.json" > "$tmp/verr" 2>&1
    local st=$?
    if [ $st -eq 1 ] && grep -qF -- "$3" "$tmp/verr"; then
        ok "$1 refuses at $3"
    else
        bad "$1 refuses at $3 (exit $st)"; sed 's/^/    /' "$tmp/verr" | head -3
    fi
}

# ---- traces and histories of real runs (seed 3) ----------------------------
outputs() {   # scenario, least history lines
    local rel=$1 min=$2 name
    name=$(basename "$rel" .json)
    "$fl" run "$src/$rel" --seed 3 --trace "$tmp/$name.trace" --history "$tmp/$name.hist" > /dev/null 2>&1
    check "$rel: trace has > 100 lines" [ "$(wc -l < "$tmp/$name.trace")" -gt 100 ]
    check "$rel: history has >= $min lines" [ "$(wc -l < "$tmp/$name.hist")" -ge "$min" ]
    check "$rel: every trace line matches trace.schema.json" validate trace.schema.json --lines "$tmp/$name.trace"
    check "$rel: every history line matches history.schema.json" validate history.schema.json --lines "$tmp/$name.hist"
}
outputs scenarios/kv/faults-tour.json 11
outputs scenarios/kv/crash-restart.json 11
# every algorithm, with link faults, partitions and drops: the structured
# fields (from/to, reason, groups, link flags) validate
outputs scenarios/raft/leader-oneway.json 11
outputs scenarios/paxos/basic-dueling.json 11
outputs scenarios/lock/paused-client.json 0
outputs scenarios/counter/crdt-partition.json 11
outputs scenarios/sort/partition.json 0

refuses trace.schema.json '{"t":-5,"ev":"send","node":0}' '$.t: -5 is less than the minimum of 0'
refuses trace.schema.json '{"t":5,"ev":"teleport","node":0}' "\$.ev: 'teleport' is not one of"
refuses history.schema.json '{"process":0,"type":"maybe","f":"read","key":0,"value":null,"time_ns":1}' '$.type: '
refuses history.schema.json '{"process":0,"type":"ok","f":"read","key":0,"value":"x","time_ns":1}' '$.value: '
# structured fields are required where readers need them
refuses trace.schema.json '{"t":5,"ev":"drop","node":0,"peer":1,"id":3,"from":0,"to":1,"kind":"X","text":"loss"}' '$.ev: '
refuses trace.schema.json '{"t":5,"ev":"partition","node":-1,"a":2,"b":0,"text":"[0] [1,2]"}' '$.ev: '
refuses trace.schema.json '{"t":5,"ev":"link","node":0,"peer":1,"a":-1,"b":0,"text":"0 -> 1 cut"}' '$.ev: '
refuses trace.schema.json '{"t":5,"ev":"send","node":0,"peer":1,"from":0,"to":1,"kind":"X"}' '$.ev: '
printf '%s\n' '{"t":5,"ev":"drop","node":0,"peer":1,"id":3,"from":0,"to":1,"kind":"X","reason":"loss"}' > "$tmp/drop.json"
check "trace.schema.json accepts a drop with its reason" validate trace.schema.json "$tmp/drop.json"

# ---- scenarios ----------------------------------------------------------------
find "$src/scenarios" -name '*.json' ! -name suite.json | sort > "$tmp/shipped"
find "$src/tests/fixtures/scenario" -name 'ok-*.json' | sort > "$tmp/fixtures"
check "found the shipped scenarios ($(wc -l < "$tmp/shipped"))" [ "$(wc -l < "$tmp/shipped")" -ge 50 ]
check "found the ok-* fixtures" [ -s "$tmp/fixtures" ]
mapfile -t files < <(cat "$tmp/shipped" "$tmp/fixtures")
check "every shipped scenario and ok-* fixture matches scenario.schema.json" validate scenario.schema.json "${files[@]}"

# the documents the loader's unit tests accept
if [ -x "$build/tests/test_scenario" ]; then
    FL_SCHEMA_DUMP="$tmp/good.jsonl" "$build/tests/test_scenario" > "$tmp/unit.out" 2>&1
    check "tests/test_scenario passes while writing its good documents" [ $? -eq 0 ]
    check "... and wrote them ($(wc -l < "$tmp/good.jsonl" 2> /dev/null) documents)" [ "$(wc -l < "$tmp/good.jsonl")" -ge 20 ]
    check "every scenario the loader's tests accept matches scenario.schema.json" validate scenario.schema.json --lines "$tmp/good.jsonl"
else
    bad "tests/test_scenario is not built (make check builds it)"
fi

GOOD='"name":"t","algorithm":"fake","duration_ms":10'
refuses scenario.schema.json "{$GOOD}" "'nodes' is a required property"
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"extra\":1}" "('extra' was unexpected)"
refuses scenario.schema.json "{$GOOD,\"nodes\":0}" '$.nodes: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"network\":{\"drop\":2}}" '$.network.drop: 2 is greater than the maximum of 1'
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"network\":{\"latency\":{\"dist\":\"normal\",\"mean_ms\":1}}}" '$.network.latency: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"faults\":[{\"type\":\"crash\",\"at_ms\":-1,\"node\":0}]}" '$.faults[0]: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"faults\":[{\"type\":\"crash\",\"at_ms\":1,\"node\":\"rest\"}]}" '$.faults[0]: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"faults\":[{\"type\":\"crash\",\"at_ms\":1,\"node\":\"Leader!\"}]}" '$.faults[0]: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"faults\":[{\"type\":\"link\",\"at_ms\":1,\"from\":0,\"to\":1}]}" '$.faults[0]: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"faults\":[{\"type\":\"boom\",\"at_ms\":1}]}" '$.faults[0]: '
refuses scenario.schema.json "{$GOOD,\"nodes\":{\"leader\":3}}" '$.nodes: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"seed\":\"0xg\"}" '$.seed: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"workload\":{\"model\":\"kvv\"}}" "\$.workload.model: 'kvv' is not one of"
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"expect\":{\"min_ok_ops\":1.5}}" "\$.expect.min_ok_ops: 1.5 is not of type 'integer'"
# key distributions: zipf needs a count, "s" only with zipf and above 0
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"workload\":{\"keys\":{\"distribution\":\"zipf\"}}}" '$.workload.keys: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"workload\":{\"keys\":{\"count\":5,\"s\":1.1}}}" '$.workload.keys: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"workload\":{\"keys\":{\"count\":5,\"distribution\":\"zipf\",\"s\":0}}}" '$.workload.keys: '
refuses scenario.schema.json "{$GOOD,\"nodes\":3,\"workload\":{\"keys\":\"5\"}}" '$.workload.keys: '

# the validator itself refuses a broken schema rather than accepting all
printf '1\n' > "$tmp/one.json"
printf '{"type": ["strin"]}' > "$tmp/broken.schema.json"
python3 "$src/tests/json_validate.py" "$tmp/broken.schema.json" "$tmp/one.json" > /dev/null 2>&1
check "json_validate.py: a schema that is not one is an error (exit 2)" [ $? -eq 2 ]
printf '{"properties": {"a": {"oneOf": [{"typ": "string"}]}}}' > "$tmp/broken.schema.json"
python3 "$src/tests/json_validate.py" "$tmp/broken.schema.json" "$tmp/one.json" > "$tmp/verr" 2>&1
check "json_validate.py: a misspelt keyword is an error (exit 2)" [ $? -eq 2 ]
check "... named with its place" grep -qF '#/properties/a/oneOf/0/typ: unknown keyword' "$tmp/verr"
python3 "$src/tests/json_validate.py" "$src/docs/scenario.schema.json" "$tmp/nothere.json" > /dev/null 2>&1
check "json_validate.py: a missing file is an error (exit 2)" [ $? -eq 2 ]

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
