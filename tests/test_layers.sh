#!/usr/bin/env bash
# test_layers.sh — the rooms include only downwards (docs/ARCHITECTURE.md):
#   cli > batch > run > scenario, check > engine (sim/*.c) > util
# and no room of sim/ knows an algorithm by name (algorithms/<name>/), the
# checker knows no engine, and the algorithms include nothing of sim/.
# Each rule greps the #include lines of a room for what it may not name.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$src" || exit 2
pass=0 fail=0
rule() {   # description, files glob (space separated), forbidden ERE [, allowed ERE]
    local what=$1 files=$2 bad=$3 allow=${4:-^$} hits
    # shellcheck disable=SC2086
    hits=$(grep -HnE '^#include "' $files 2>/dev/null | grep -E "#include \"($bad)" |
           grep -vE "#include \"($allow)\"" || true)
    if [ -z "$hits" ]; then pass=$((pass + 1)); echo "PASS: $what"
    else fail=$((fail + 1)); echo "FAIL: $what"; printf '    %s\n' "$hits" | head -10; fi
}
algs='algorithms/[a-z_]+/'
rule "util includes only util"            "sim/util/*.c sim/util/*.h" 'sim/(engine|run|batch|cli|check|scenario)|sim/[a-z_]+\.h|algorithms/|viz/'
rule "the engine: no run, batch, cli, checker, algorithm" "sim/*.c sim/*.h" "sim/(run|batch|cli|check)/|$algs"
rule "scenario: no run, batch, cli, checker" "sim/scenario/*.c sim/scenario/*.h" "sim/(run|batch|cli|check)/|$algs"
rule "the checker: no engine, run, batch, cli, scenario, algorithm" "sim/check/*.c sim/check/*.h" "sim/(engine|engine_internal|net|node|fault|trace|manual)\.h|sim/(run|batch|cli|scenario)/|$algs"
rule "run: no batch, cli"                 "sim/run/*.c sim/run/*.h" 'sim/(batch|cli)/'
rule "batch: no cli"                      "sim/batch/*.c sim/batch/*.h" 'sim/cli/'
rule "algorithms include nothing of sim/" "algorithms/*/*.c algorithms/*/*.h" 'sim/'
# (sim/history.h and sim/stepinfo.h are plain data: the history records and
# the step's cause the world hands out)
rule "algorithms' shared headers likewise" "algorithms/*.c algorithms/*.h" 'sim/' 'sim/(history|stepinfo)\.h'
# the rule itself can fail: a planted upward include is found
tmpd=$(mktemp -d)
trap 'rm -rf "$tmpd"' EXIT
printf '#include "sim/cli/cli.h"\n' > "$tmpd/planted.c"
if grep -HnE '^#include "' "$tmpd/planted.c" | grep -qE '#include "(sim/cli/)'; then
    pass=$((pass + 1)); echo "PASS: (a planted upward include is caught)"
else fail=$((fail + 1)); echo "FAIL: (a planted upward include is caught)"; fi
echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
