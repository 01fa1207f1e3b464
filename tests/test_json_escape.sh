#!/usr/bin/env bash
# test_json_escape.sh — every JSON file (and the JUnit XML) faultline writes
# stays well-formed whatever text goes into it: a scenario name with quotes,
# a backslash, non-ASCII and a character astride the byte at which explore
# and shrink cut names; a description and a folder name with control
# characters; a plug-in path that is not UTF-8 at all. Each output is parsed
# by python3 -m json.tool (which also refuses bytes that are not UTF-8),
# the strings are compared with what went in, and the written scenarios
# load again.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
fl=$(cd "$(dirname "$fl")" && pwd)/$(basename "$fl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "PASS: $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
json_ok()  { python3 -m json.tool "$1" > /dev/null 2> "$tmp/pyerr" || { sed 's/^/    /' "$tmp/pyerr" | tail -2; false; }; }
jsonl_ok() { python3 -m json.tool --json-lines "$1" > /dev/null 2> "$tmp/pyerr" || { sed 's/^/    /' "$tmp/pyerr" | tail -2; false; }; }
# field FILE EXPR [A]: prints EXPR evaluated on the parsed document `d`
# (and the string `a`)
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); a=sys.argv[3]; print(eval(sys.argv[2]))' "$1" "$2" "${3:-}"; }

if ! command -v python3 > /dev/null; then
    echo "SKIP: needs python3"
    exit 77
fi

# The strange strings, written by python so the bytes are exact. The name
# is 29 ASCII-or-wider bytes then 'é's: byte 40 (explore's cut) and byte 50
# (shrink's) fall inside an 'é'.
cd "$tmp" || exit 2
python3 - "$src" <<'PY'
import json, os, sys
src = sys.argv[1]
name = 'q"uo\\te \u00fcn\u00ef\u2603 \U0001d11e </x>&<!' + '\u00e9' * 12
ctl = '\t\x01\x1f\x7f'
folder = 'dir ' + name[:20] + ctl
os.makedirs(folder)
for base, out in (('kv/bugs/stale-reads.json', 'kv.json'), ('search/raft.json', 'raft.json')):
    s = json.load(open(os.path.join(src, 'scenarios', base)))
    s['name'] = name
    s['description'] = name + ctl + ' (a description)'
    s.pop('expect', None)
    if out == 'raft.json':
        s['params'] = {'bugs': ['vote-twice']}
    json.dump(s, open(os.path.join(folder, out), 'w'), ensure_ascii=True)
json.dump({"name": "esc", "description": "strange paths", "algorithm": "kv-single",
           "tests": [{"name": "strange", "scenario": folder + '/kv.json', "seeds": "1-2",
                      "weight": 1}]}, open('suite.json', 'w'))
open('name', 'w', encoding='utf-8').write(name)
open('folder', 'w', encoding='utf-8').write(folder)
# the name cut at N bytes without cutting a character
for n in (40, 50):
    open('name%d' % n, 'w', encoding='utf-8').write(name.encode()[:n].decode(errors='ignore'))
PY
name=$(cat name) folder=$(cat folder)
check "the test's folder name has control characters" grep -q $'\x01' folder

# run: the trace and the history, line by line
"$fl" run "$folder/kv.json" --seed 1 --trace t.jsonl --history h.jsonl > run.out 2>&1
check "run --trace: every line is JSON" jsonl_ok t.jsonl
check "run --trace: the header carries the name" [ "$(head -1 t.jsonl > t1.json && field t1.json 'd["scenario"]')" = "$name" ]
check "run --history: every line is JSON" jsonl_ok h.jsonl

# explore --nemesis writes a scenario named NAME-nemesis, NAME cut at 40 bytes
"$fl" explore "$folder/kv.json" --seeds 1-2 --nemesis crash -q --scenario-out n.json > /dev/null 2>&1
check "explore --scenario-out: JSON" json_ok n.json
check "explore: the name is cut at a character" [ "$(field n.json 'd["name"]')" = "$(cat name40)-nemesis" ]
check "explore: the description is kept" [ "$(field n.json 'd["description"]')" = "$(field "$folder/kv.json" 'd["description"]')" ]
"$fl" run n.json --seed 1 > /dev/null 2>&1
check "explore's scenario loads again" [ $? -ne 2 ]

# shrink writes NAME-shrunk (NAME cut at 50 bytes), its description names the path
"$fl" shrink "$folder/kv.json" --seed 1 --out s.json -q > /dev/null 2>&1
check "shrink --out: JSON" json_ok s.json
check "shrink: the name is cut at a character" [ "$(field s.json 'd["name"]')" = "$(cat name50)-shrunk" ]
check "shrink: the description quotes the path" [ "$(field s.json 'a in d["description"]' "$folder/kv.json")" = True ]
"$fl" run s.json > /dev/null 2>&1
check "shrink's scenario loads again and still fails" [ $? -eq 1 ]

# search --out writes a counterexample scenario
"$fl" search "$folder/raft.json" --quiet --time 60 --depth 8 --out c.json > /dev/null 2>&1
check "search --out: JSON" json_ok c.json
"$fl" run c.json > /dev/null 2>&1
check "search's counterexample loads again and fails" [ $? -eq 1 ]

# grade: results.json and JUnit XML, with the strange folder and a plug-in
# path that is not UTF-8
"$fl" grade --algorithm kv-single --suite suite.json --results r.json --junit j.xml -q > /dev/null 2>&1
check "grade --results: JSON" json_ok r.json
check "grade --results: the output quotes the path" [ "$(field r.json 'a in d["tests"][0]["output"]' "reproduce: faultline run $folder/kv.json --seed 1")" = True ]
"$fl" grade --algorithm kv-single --suite suite.json --impl "$tmp/"$'\xff\xfe'" bad.so" \
    --results r2.json --junit j2.xml -q > /dev/null 2>&1
check "grade --results, a path that is not UTF-8: JSON" json_ok r2.json
check "... its bytes become U+FFFD" [ "$(field r2.json 'd["extra_data"]["implementation"]')" = "$tmp/"$'\xef\xbf\xbd\xef\xbf\xbd'" bad.so" ]
if command -v xmllint > /dev/null; then
    check "grade --junit: well-formed XML" xmllint --noout j.xml
    check "grade --junit, a path that is not UTF-8: well-formed XML" xmllint --noout j2.xml
    check "grade --junit: valid against docs/junit.xsd" xmllint --noout --schema "$src/docs/junit.xsd" j2.xml
fi
if python3 -c 'import jsonschema' 2> /dev/null; then
    for r in r.json r2.json; do
        check "grade --results $r: Gradescope's schema" python3 "$src/tests/json_validate.py" "$src/docs/gradescope-results.schema.json" "$r"
    done
fi

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
