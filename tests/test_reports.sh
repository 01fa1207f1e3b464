#!/usr/bin/env bash
# test_reports.sh — grade's reports are exactly the formats they claim,
# validated against schemas written from the public documentation:
#   - Gradescope results.json against docs/gradescope-results.schema.json
#     (python3-jsonschema): no invented top-level keys, execution_time in
#     whole seconds;
#   - JUnit XML against docs/junit.xsd (xmllint): a crash is an <error>, a
#     failed check a <failure>; timestamp, hostname, system-out;
#   - every shipped suite.json against docs/suite.schema.json.
# Each schema is also shown a broken document it must reject.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
libs=tests/plugins/.libs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

if ! python3 -c 'import jsonschema' 2> /dev/null || ! command -v xmllint > /dev/null; then
    echo "SKIP: needs python3-jsonschema and libxml2-utils (apt-get install python3-jsonschema libxml2-utils)"
    exit 77
fi
gs=$src/docs/gradescope-results.schema.json
xsd=$src/docs/junit.xsd
suite_schema=$src/docs/suite.schema.json

# validate SCHEMA FILE: 0 if FILE is valid (draft 2020-12), errors on stdout
validate() { python3 "$src/tests/json_validate.py" "$1" "$2" | sed 's/^/    /'; return "${PIPESTATUS[0]}"; }
xml_ok() { xmllint --noout --schema "$xsd" "$1" > "$tmp/xmllint.out" 2>&1 || { sed 's/^/    /' "$tmp/xmllint.out" | head -3; false; }; }
rejects() { ! "$@" > /dev/null 2>&1; }

# --- a passing grade, a crashing plug-in, a plug-in that fails a check ----
"$fl" grade --algorithm raft --tests basic,leader-crash --seeds 1 -q \
    --results "$tmp/pass.json" --junit "$tmp/pass.xml" > /dev/null 2>&1
check "passing grade: results.json is Gradescope's format" validate "$gs" "$tmp/pass.json"
check "passing grade: JUnit XML is valid" xml_ok "$tmp/pass.xml"
check "passing grade: no <failure> or <error>" bash -c "! grep -Eq '<(failure|error)' '$tmp/pass.xml'"
python3 - "$tmp/pass.json" > "$tmp/keys" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(sorted(r))
print(type(r["execution_time"]).__name__, r["score"], sum(t["max_score"] for t in r["tests"]))
PY
check "results.json: only documented top-level keys" grep -qx "\['execution_time', 'extra_data', 'output', 'score', 'stdout_visibility', 'tests', 'visibility'\]" "$tmp/keys"
check "results.json: execution_time is whole seconds, score 20 of 20" grep -qx "int 20 20" "$tmp/keys"
check "JUnit: testsuite has timestamp and hostname" grep -Eq '<testsuite [^>]*timestamp="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}" hostname="[^"]+"' "$tmp/pass.xml"
check "JUnit: every testcase has system-out" [ "$(grep -c '<system-out>' "$tmp/pass.xml")" -eq 3 ]

if [ -e "$libs/student_segv.so" ] && [ -e "$libs/student_bug_vote_twice.so" ]; then
    "$fl" grade --suite "$src/tests/grade/suite.json" --impl "$libs/student_segv.so" \
        --tests basic,leader-crash --seeds 1 -q --results "$tmp/segv.json" --junit "$tmp/segv.xml" > /dev/null 2>&1
    check "crash: results.json valid" validate "$gs" "$tmp/segv.json"
    check "crash: JUnit valid" xml_ok "$tmp/segv.xml"
    check "crash: each test is an <error type=\"crash\">" [ "$(grep -Ec '<error message="1 of 1 seeds failed: 1 crash\.[A-Za-z_]+" type="crash">' "$tmp/segv.xml")" -eq 2 ]
    check "crash: no <failure>" bash -c "! grep -q '<failure' '$tmp/segv.xml'"
    check "crash: counted as errors" grep -q '<testsuite name="raft-honesty" tests="2" failures="0" errors="2"' "$tmp/segv.xml"
    check "crash: Gradescope status failed" [ "$(grep -Ec '"status":[[:space:]]*"failed"' "$tmp/segv.json")" -eq 2 ]
    "$fl" grade --suite "$src/tests/grade/suite.json" --impl "$libs/student_bug_vote_twice.so" \
        --tests basic,leader-crash --seeds 1 -q --results "$tmp/bug.json" --junit "$tmp/bug.xml" > /dev/null 2>&1
    check "failed check: results.json valid" validate "$gs" "$tmp/bug.json"
    check "failed check: JUnit valid" xml_ok "$tmp/bug.xml"
    check "failed check: a <failure> named by the check" grep -Eq '<failure message="1 of 1 seeds failed: 1 (raft\.[a-z_]+)" type="\1">' "$tmp/bug.xml"
    check "failed check: no <error>" bash -c "! grep -q '<error' '$tmp/bug.xml'"
    check "failed check: counts" grep -q 'tests="2" failures="1" errors="0"' "$tmp/bug.xml"
else
    bad "the test plug-ins are not built ($libs/student_segv.so): run make check"
fi

# --- the schemas reject what the formats do not allow ---------------------
python3 - "$tmp/pass.json" "$tmp" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); d = sys.argv[2]
def put(name, doc): json.dump(doc, open("%s/%s.json" % (d, name), "w"))
put("bad-maxscore", dict(r, max_score=20))                     # invented top-level key
put("bad-exectime", dict(r, execution_time=1.25))              # a float
put("bad-status", dict(r, tests=[dict(r["tests"][0], status="error")]))
put("bad-visibility", dict(r, visibility="students"))
PY
for b in maxscore exectime status visibility; do
    check "Gradescope schema rejects bad $b" rejects validate "$gs" "$tmp/bad-$b.json"
done
sed 's/ timestamp="[^"]*"//' "$tmp/pass.xml" > "$tmp/bad-stamp.xml"
sed 's/ hostname="[^"]*"//' "$tmp/pass.xml" > "$tmp/bad-host.xml"
sed '0,/<system-out>/s//<failure message="x">y<\/failure><system-out>/' "$tmp/pass.xml" > "$tmp/bad-type.xml"
sed '0,/<\/system-out>/s//<\/system-out><failure type="x"\/>/' "$tmp/pass.xml" > "$tmp/bad-order.xml"
for b in stamp host type order; do
    check "JUnit schema rejects bad $b" rejects xml_ok "$tmp/bad-$b.xml"
done

# --- suites ------------------------------------------------------------------
n=0
for s in "$src"/scenarios/*/suite.json "$src/tests/grade/suite.json"; do
    n=$((n + 1))
    check "suite schema: ${s#$src/}" validate "$suite_schema" "$s"
done
check "suite schema: found the shipped suites" [ "$n" -ge 5 ]
python3 - "$src/scenarios/raft/suite.json" "$tmp" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); d = sys.argv[2]
def put(name, doc): json.dump(doc, open("%s/suite-%s.json" % (d, name), "w"))
put("key", dict(s, limit={}))
put("seeds", dict(s, tests=[dict(s["tests"][0], seeds="1..5")]))
put("scoring", dict(s, tests=[dict(s["tests"][0], scoring="each")]))
put("pass", dict(s, tests=[dict(s["tests"][0], **{"pass": {"min_ok_ops": True}})]))
put("noscenario", dict(s, tests=[{k: v for k, v in s["tests"][0].items() if k != "scenario"}]))
PY
for b in key seeds scoring pass noscenario; do
    check "suite schema rejects bad $b" rejects validate "$suite_schema" "$tmp/suite-$b.json"
done

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
