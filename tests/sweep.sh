#!/usr/bin/env bash
# sweep.sh — the no-false-alarm sweep (issue 14, "Done when"): every
# scenario that a suite uses (every scenarios/**/suite.json and
# tests/*/suite*.json), run by `faultline explore` over seeds 1-N with the
# built-in it names, once with `--nemesis crash,partition,pause` and once
# without. A correct built-in must pass every seed of every scenario: a
# red line is a false alarm (fix the check or the algorithm where it comes
# from) or a bug of the built-in.
#
#   tests/sweep.sh FAULTLINE [--seeds N] [--jobs J] [--modes M[,M]]
#                  [--only SCENARIO[,SCENARIO...]] [--timeout S]
#                  [--markdown] [--list]
#
# --seeds N     seeds 1-N per scenario and mode (default 2000)
# --jobs J      explore's --jobs (default 2)
# --modes       nemesis, plain or both (default nemesis,plain)
# --only        keep only these scenarios (paths under scenarios/, e.g.
#               raft/basic.json); default: every one the suites use
# --timeout S   bound on each explore, in seconds (default 900); a bound
#               that expires counts as a failure ("timeout")
# --markdown    the table as Markdown (the one in README)
# --list        print the scenarios with the suites that use them, and stop
#
# Prints one line per scenario and mode: scenario, built-in, mode, seeds
# passed / run, failures by check (safety first as explore counts them),
# explore's CPU seconds (with its children). Keeps the CSV and the output
# of each explore in $SWEEP_OUT (default: a temporary directory, removed).
# Exit status: 0 every seed of every scenario passed, 1 some did not (or an
# explore timed out), 2 bad usage, 77 no jq.
set -u
fl=${1:?usage: tests/sweep.sh FAULTLINE [--seeds N] [--jobs J] [--modes M] [--only S] [--timeout S] [--markdown] [--list]}
shift
seeds=2000; jobs=2; modes=nemesis,plain; only=""; limit=900; md=0; list=0
while [ $# -gt 0 ]; do
    case $1 in
    --seeds) seeds=${2:?}; shift 2 ;;
    --jobs) jobs=${2:?}; shift 2 ;;
    --modes) modes=${2:?}; shift 2 ;;
    --only) only=${2:?}; shift 2 ;;
    --timeout) limit=${2:?}; shift 2 ;;
    --markdown) md=1; shift ;;
    --list) list=1; shift ;;
    *) echo "sweep.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
case $seeds in ''|*[!0-9]*|0) echo "sweep.sh: --seeds: a positive integer" >&2; exit 2 ;; esac
case $limit in ''|*[!0-9]*|0) echo "sweep.sh: --timeout: a positive integer" >&2; exit 2 ;; esac
for m in ${modes//,/ }; do
    case $m in nemesis|plain) ;; *) echo "sweep.sh: --modes: nemesis or plain, not $m" >&2; exit 2 ;; esac
done
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
command -v jq >/dev/null || { echo "sweep.sh: needs jq" >&2; exit 77; }
case $fl in /*) ;; *) fl=$PWD/$fl ;; esac
[ -x "$fl" ] || { echo "sweep.sh: $fl is not an executable" >&2; exit 2; }

out=${SWEEP_OUT:-}
if [ -z "$out" ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out" || exit 2

# Every scenario the suites name, as a path under scenarios/, with the
# suite tests that use it: "raft/basic.json raft/suite.json:basic ...".
scenarios() {
    local suite dir f
    find "$src/scenarios" "$src/tests" -name '*suite.json' | LC_ALL=C sort | while read -r suite; do
        dir=$(dirname "$suite")
        jq -r '.tests[] | "\(.scenario)\t\(.name)"' "$suite" | while IFS=$'\t' read -r f name; do
            f=$(realpath -m "$dir/$f")
            case $f in "$src/scenarios/"*) ;; *) continue ;; esac
            printf '%s\t%s:%s\n' "${f#"$src/scenarios/"}" "${suite#"$src/"}" "$name"
        done
    done | LC_ALL=C sort | awk -F'\t' '$1 != last { if (NR > 1) print line; line = $1; last = $1 }
                                      { line = line " " $2 } END { if (NR) print line }'
}

if [ $list -eq 1 ]; then
    scenarios
    exit 0
fi

wanted() {
    [ -z "$only" ] && return 0
    case ",$only," in *",$1,"*) return 0 ;; esac
    return 1
}

if [ $md -eq 1 ]; then
    echo "| scenario | built-in | mode | seeds passed | failures by check | CPU (s) |"
    echo "|---|---|---|---|---|---|"
else
    printf '%-34s %-13s %-8s %-13s %-8s %s\n' scenario built-in mode passed "CPU (s)" failures
fi
red=0; total=0; found=0
while read -r scen _; do
    wanted "$scen" || continue
    found=$((found + 1))
    alg=$(jq -r '.algorithm // "?"' "$src/scenarios/$scen")
    for mode in ${modes//,/ }; do
        tag=$(echo "$scen" | tr '/.' '__')-$mode
        set -- "$fl" explore "$src/scenarios/$scen" --seeds "1-$seeds" --keep-going \
            --jobs "$jobs" --quiet --csv "$out/$tag.csv"
        [ "$mode" = nemesis ] && set -- "$@" --nemesis crash,partition,pause \
            --scenario-out "$out/$tag.json"
        timeout --foreground "$limit" "$@" > "$out/$tag.out" 2>&1
        rc=$?
        runs=$(awk -F, 'NR > 1' "$out/$tag.csv" 2>/dev/null | wc -l)
        passed=$(awk -F, 'NR > 1 && $2 == "pass"' "$out/$tag.csv" 2>/dev/null | wc -l)
        # Failures by check, in the order explore counts them.
        checks=$(sed -n 's/^  \(safety\|implementation\|liveness\|missed\) *\([^ ]*\) *\([0-9]*\) runs\{0,1\},.*/\2: \3/p' \
            "$out/$tag.out" | paste -sd ';' - | sed 's/;/; /g')
        cpu=$(sed -n 's/.*; \([0-9.]*\) s CPU with the children.*/\1/p' "$out/$tag.out" | tail -1)
        case $rc in
        0) [ "$passed" -eq "$seeds" ] || { rc=1; checks=${checks:-"$passed of $seeds rows passed"}; } ;;
        124) checks="timeout after ${limit} s${checks:+; $checks}" ;;
        *) checks=${checks:-"explore exit $rc: $(tail -1 "$out/$tag.out")"} ;;
        esac
        [ $rc -eq 0 ] || red=$((red + 1))
        total=$((total + 1))
        if [ $md -eq 1 ]; then
            echo "| \`${scen%.json}\` | \`$alg\` | $mode | $passed / $seeds | ${checks:-none} | ${cpu:-?} |"
        else
            printf '%-34s %-13s %-8s %-13s %-8s %s\n' "${scen%.json}" "$alg" "$mode" \
                "$passed/$seeds" "${cpu:-?}" "${checks:-none}"
        fi
    done
done < <(scenarios)
[ $found -gt 0 ] || { echo "sweep.sh: no scenario matches --only $only" >&2; exit 2; }
echo "sweep: $total explores of $seeds seeds, $((total - red)) all green, $red not"
[ $red -eq 0 ]
