#!/usr/bin/env bash
# test_cli_args.sh — the command line as a GNU tool: getopt_long forms
# (--opt=V, --, abbreviations), --help and --version on every command,
# did-you-mean for commands, options, algorithms and experiments, `list`
# from a build tree and with FAULTLINE_DATADIR, `merge` refusing CSVs of
# different sweeps, and no progress lines when stderr is not a terminal.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
fl=$(cd "$(dirname "$fl")" && pwd)/$(basename "$fl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "PASS: $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
run() {   # want, description, command...: runs it, out/err in $tmp
    local want=$1 what=$2; shift 2
    "$@" > "$tmp/out" 2> "$tmp/err"; local got=$?
    if [ "$got" -eq "$want" ]; then ok "$what"; else bad "$what (exit $got, wanted $want)"; sed 's/^/    /' "$tmp/err" | head -5; fi
}
has_err() { grep -qF -- "$1" "$tmp/err" || { echo "    stderr was: $(head -3 "$tmp/err")"; false; }; }
kv="$src/scenarios/kv/basic.json"
version=$("$fl" --version)

# --help and --version on every command, one message, exit 0
for cmd in run check list bench experiment viz grade explore merge shrink diff new help version; do
    "$fl" help "$cmd" > "$tmp/help" 2>&1
    run 0 "$cmd --help" "$fl" "$cmd" --help
    check "$cmd --help prints what help $cmd prints" cmp -s "$tmp/out" "$tmp/help"
    check "$cmd --help shows its usage" grep -q "usage: faultline $cmd" "$tmp/out"
    run 0 "$cmd --version" "$fl" "$cmd" --version
    check "$cmd --version: the one message" [ "$(cat "$tmp/out")" = "$version" ]
done
check "--version says faultline VERSION" grep -Eq '^faultline [0-9]+\.[0-9]+' <<< "$version"
run 0 "-h" "$fl" run -h
check "-h is --help" grep -q "usage: faultline run" "$tmp/out"

# unknown commands: one line with a suggestion, not the whole help
run 2 "unknown command" "$fl" rnu
check "unknown command suggests run" has_err 'unknown command "rnu" (did you mean "run"?)'
check "unknown command: no overview" [ "$(wc -l < "$tmp/err")" -le 2 ]
run 2 "help of an unknown command" "$fl" help exlpore
check "help suggests explore" has_err 'did you mean "explore"?'
run 2 "unknown command, nothing close" "$fl" frobnicate
check "no suggestion when nothing is close" bash -c "! grep -q 'did you mean' '$tmp/err'"

# options: GNU forms, suggestions, ambiguity, --
"$fl" run "$kv" --seed 5 --quiet > "$tmp/a" 2>&1
run 0 "--seed=5" "$fl" run "$kv" --seed=5 --quiet
check "--seed=5 is --seed 5" cmp -s "$tmp/out" "$tmp/a"
run 0 "abbreviation --se=5 --qu" "$fl" run "$kv" --se=5 --qu
check "unambiguous abbreviations are accepted" cmp -s "$tmp/out" "$tmp/a"
run 0 "options before the operand, -q" "$fl" run --seed 5 -q "$kv"
check "option order does not matter" cmp -s "$tmp/out" "$tmp/a"
run 2 "misspelt option" "$fl" run "$kv" --sed 5
check "--sed: did you mean --seed" has_err 'unknown option --sed (did you mean --seed?)'
check "usage errors point at help" has_err '(see: faultline help run)'
run 2 "ambiguous abbreviation" "$fl" run "$kv" --h x
check "--h is ambiguous and names the candidates" has_err 'option --h is ambiguous (--history, --history-edn, --help)'
run 2 "missing value" "$fl" run "$kv" --seed
check "--seed needs a value" has_err 'option --seed needs a value'
run 2 "value on a flag" "$fl" run "$kv" --quiet=yes
check "--quiet takes no value" has_err 'option --quiet takes no value'
run 2 "unknown short option" "$fl" run "$kv" -Z
check "-Z is unknown" has_err 'unknown option -Z'
run 2 "-- ends the options" "$fl" run -- --seed
check "after --, --seed is a file name" has_err '--seed: cannot open'
run 2 "explore: misspelt option" "$fl" explore "$kv" --seeds 1-2 --keep-goign
check "explore suggests --keep-going" has_err 'did you mean --keep-going?'
run 2 "grade: misspelt algorithm" "$fl" grade --algorithm rafft
check "grade names the algorithm, not a path" has_err '--algorithm rafft: unknown algorithm (did you mean "raft"?)'
run 2 "grade: unknown algorithm" "$fl" grade --algorithm zzzzzz
check "grade lists the algorithms" has_err 'known: kv-single, raft'
run 2 "experiment: misspelt" "$fl" experiment raft-elction
check "experiment suggests raft-election" has_err 'did you mean "raft-election"?'
run 2 "bench: unknown option" "$fl" bench --quik
check "bench suggests --quick" has_err 'did you mean --quick?'
run 2 "bench: no operands" "$fl" bench quick
run 2 "bench: --impl alone" "$fl" bench --impl x.so
check "bench: --impl goes with --explore" has_err '--impl goes with --explore'
run 2 "help: one topic" "$fl" help run list

# check: GNU forms, and did-you-mean / a list for --model
hist="$tmp/h.jsonl"
"$fl" run "$kv" --seed 3 --history "$hist" > /dev/null 2>&1
run 0 "check --model=register" "$fl" check --model=register "$hist"
run 0 "check --mod register (abbreviation)" "$fl" check --mod register "$hist"
run 0 "check -- FILE" "$fl" check --model register -- "$hist"
run 2 "check: misspelt option" "$fl" check "$hist" --mdel register
check "check --mdel: did you mean --model" has_err 'unknown option --mdel (did you mean --model?)'
run 2 "check: misspelt model" "$fl" check "$hist" --model regster
check "check suggests the model" has_err '--model regster: unknown model (did you mean "register"?)'
check "check names the models" has_err 'known: register, kv, lock, counter'
run 2 "check: unknown model" "$fl" check "$hist" --model zzzzzzzz
check "no model suggestion when nothing is close" bash -c "! grep -q 'did you mean' '$tmp/err'"
check "unknown model: the models are named" has_err 'known: register, kv'
run 0 "check --model list" "$fl" check --model list
nmodels=$("$fl" check --help | awk '/--model list/{on=1; next} on && /^  --/{exit} on{n++} END{print n}')
check "--model list: one line per model ($nmodels in --help)" [ "$(wc -l < "$tmp/out")" -eq "$nmodels" ]
check "--model list: name then summary" grep -Eq '^cas-register +Knossos' "$tmp/out"
for m in $(awk '{print $1}' "$tmp/out"); do "$fl" check --model "$m" "$hist"; done > /dev/null 2> "$tmp/err2"
check "--model list: every name listed is a model" bash -c "! grep -q 'unknown model' '$tmp/err2'"

# help run tells the truth about --quiet: two lines
"$fl" run "$kv" --quiet > "$tmp/q"
check "run --quiet prints two lines" [ "$(wc -l < "$tmp/q")" -eq 2 ]
"$fl" help run | grep -A1 -- '--quiet' > "$tmp/qh"
check "help run says --quiet prints two lines" grep -q "only two lines" "$tmp/qh"

# list: from the source tree, from elsewhere (the build tree), with FAULTLINE_DATADIR
(cd "$src" && "$fl" list) > "$tmp/list" 2> "$tmp/err"
check "list in a checkout" [ $? -eq 0 ]
check "list: suites are suites" grep -q 'suite.json *grading suite "raft-default" for raft' "$tmp/list"
check "list: every file loads" bash -c "! grep -q 'does not load' '$tmp/list'"
check "list: lines fit 80 columns" bash -c "! awk 'length > 80' '$tmp/list' | grep -q ."
check "list: grouped by folder" grep -qx 'raft/bugs/' "$tmp/list"
# one short entry per file (its first sentence), not the whole description:
# under 300 bytes a listed file on average, however many there are
check "list: short entries ($(wc -c < "$tmp/list") bytes for $(grep -c '\.json' "$tmp/list") files)" \
    [ "$(wc -c < "$tmp/list")" -lt $((300 * $(grep -c '\.json' "$tmp/list"))) ]
(cd "$tmp" && COLUMNS=120 "$fl" list --long) > "$tmp/list2" 2> "$tmp/err"
st=$?
if [ -d "$(dirname "$fl")/scenarios" ] || [ -n "${FAULTLINE_DATADIR:-}" ]; then
    check "list from another folder finds the data" [ $st -eq 0 ]
    check "list --long: wider, whole descriptions" bash -c "awk 'length > 80' '$tmp/list2' | grep -q ."
fi
mkdir -p "$tmp/data/scenarios/mine"
cp "$kv" "$tmp/data/scenarios/mine/one.json"
(cd "$tmp" && FAULTLINE_DATADIR="$tmp/data" "$fl" list) > "$tmp/list3" 2> "$tmp/err"
check "FAULTLINE_DATADIR: list reads it" grep -q "scenarios and suites in $tmp/data/scenarios" "$tmp/list3"
check "FAULTLINE_DATADIR: its scenarios" grep -q '^  one.json' "$tmp/list3"
(cd "$tmp" && FAULTLINE_DATADIR="$tmp/nowhere" "$fl" list) > /dev/null 2> "$tmp/err"
check "FAULTLINE_DATADIR wrong: exit 2" [ $? -eq 2 ]
check "FAULTLINE_DATADIR wrong: says where it looked" has_err "$tmp/nowhere/scenarios (FAULTLINE_DATADIR)"
printf '{"name":"x","algorithm":"kv-single","nodes":3,"duration_ms":100,"bogus":1}' > "$tmp/data/scenarios/mine/bad.json"
(cd "$tmp" && FAULTLINE_DATADIR="$tmp/data" "$fl" list) > "$tmp/list3" 2> "$tmp/err"
check "list: a bad file says why" grep -q 'bad.json *does not load: ' "$tmp/list3"
check "list: ... with the JSON path" grep -q '\$.bogus: unknown key' "$tmp/list3"

# merge: one sweep only; the seed range is the data's
(cd "$tmp" && "$fl" explore "$kv" --seeds 1-3 --csv a.csv -j2 > /dev/null 2> explore.err)
check "explore to a file: no progress lines" [ ! -s "$tmp/explore.err" ]
(cd "$tmp" && "$fl" explore "$kv" --seeds 1-3 --csv x.csv -j2 --progress > /dev/null 2> explore.err)
check "explore --progress: progress lines" grep -q 'runs' "$tmp/explore.err"
(cd "$tmp" && "$fl" explore "$kv" --seeds 995-997 --csv d.csv -j2 > /dev/null 2>&1)
(cd "$tmp" && "$fl" explore "$src/scenarios/kv/crash-restart.json" --seeds 4-5 --csv b.csv -j2 > /dev/null 2>&1)
(cd "$tmp" && "$fl" explore "$kv" --seeds 4-5 --duration 500 --csv c.csv -j2 > /dev/null 2>&1)
run 0 "merge of one sweep" "$fl" merge "$tmp/a.csv" "$tmp/d.csv"
check "merge reports the data's seed range" grep -q 'merged 6 runs: 6 passed, 0 failed;.* seeds 1\.\.997' "$tmp/out"
check "merge counts the gap" grep -q '^991 seeds missing' "$tmp/out"
run 2 "merge of two scenarios" "$fl" merge "$tmp/a.csv" "$tmp/b.csv"
check "merge names the files and the scenarios" has_err "a.csv (seed 1) and $tmp/b.csv (seed 4) are not from one sweep: scenario"
run 2 "merge of two durations" "$fl" merge "$tmp/a.csv" "$tmp/c.csv" --out "$tmp/all.csv"
check "merge names the duration" has_err 'duration_ms -1 vs 500'
check "a refused merge writes no CSV" [ ! -e "$tmp/all.csv" ]
run 0 "merge --out=FILE" "$fl" merge --out="$tmp/all.csv" "$tmp/a.csv"
check "merge --out wrote the CSV" [ "$(wc -l < "$tmp/all.csv")" -eq 4 ]

# help CMD, CMD --help and the man page tell the same story: every option
# a command's usage text names is in faultline.1 (and help names them all)
for cmd in run check list bench experiment grade explore merge shrink diff trace new; do
    missing=""
    for o in $("$fl" help "$cmd" | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
        grep -qF -- "$(sed 's/-/\\-/g' <<< "$o")" "$src/faultline.1" || missing="$missing $o"
    done
    check "faultline.1 names every option of $cmd${missing:+ (missing:$missing)}" [ -z "$missing" ]
done
# no internal issue numbers in what users read: help texts, check --bench,
# README, the man page, docs/
mkdir -p "$tmp/bench/kv"
cp "$src/tests/fixtures/check/kv-lost-write.edn" "$tmp/bench/kv/lost.edn"
{ for cmd in run check list bench experiment viz grade explore merge shrink diff new search; do
      "$fl" help "$cmd"; done
  "$fl" --help; "$fl" check --bench "$tmp/bench" --reps 1; } > "$tmp/said" 2>&1
check "check --bench ran on a small folder" grep -q 'lost.edn' "$tmp/said"
check "help texts and check --bench name no issue numbers" bash -c "! grep -inE 'issues? #?[0-9]' '$tmp/said'"
for f in README.md faultline.1 docs/*.md; do
    check "$f names no issue numbers" bash -c "! grep -inE 'issues? #?[0-9]' '$src/$f'"
done
check "README names FAULTLINE_DATADIR" grep -q FAULTLINE_DATADIR "$src/README.md"

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
