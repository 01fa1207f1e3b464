#!/usr/bin/env bash
# test_docs.sh — every example command of README.md and of faultline.1's
# EXAMPLES runs as written, from a clean clone (git clone of this checkout,
# or the unpacked tarball under distcheck), using only files the repository
# has or an earlier command wrote, and exits as the text claims ("exits N"
# in the command's comment, else 0). README's commands run in order in one
# clone, the man page's in another. Then the same for an installed copy
# (make install DESTDIR=...), run from its data folder with
# FAULTLINE_DATADIR set, unless FL_DOCS_INSTALL=0: README's commands in
# one copy of its data folder, the man page's in another (those that need
# the source tree, its test fixtures and plug-ins, are listed as not run).
# Commands that need what a test machine lacks (a display, Slurm, other
# hosts, the Porcupine data) or take minutes (bench, the experiments;
# FL_DOCS_SLOW=1 runs them) are listed as not run, with the reason.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
fl=$(cd "$(dirname "$fl")" && pwd)/$(basename "$fl")
build=$(dirname "$fl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skipped=0
ok()   { pass=$((pass + 1)); echo "PASS: $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL: $1"; }
skip() { skipped=$((skipped + 1)); echo "not run: $1"; }

has_sdl=1
"$fl" viz --trace "$tmp/none" 2>&1 | grep -q "built without the visualizer" && has_sdl=0

# Why a command cannot run here, or "" if it can.
why_not() {
    local cmd=$1
    case "$cmd" in
        *SLURM_*) echo "needs a Slurm job array"; return ;;
        *viz*--screenshot*) [ $has_sdl = 1 ] || echo "build without SDL"; return ;;
        *viz*) echo "opens a window"; return ;;
        *shared/data/porcupine*) [ -d "${dir:-$src}/../shared/data/porcupine" ] || echo "needs the Porcupine data"; return ;;
        *"merge sweep-*.csv"*) echo "needs the shards of the Slurm / GNU parallel sweep above"; return ;;
    esac
    if [ -z "${FL_DOCS_SLOW:-}" ]; then
        case "$cmd" in
            "./faultline bench"*|*"experiment "*) echo "takes minutes (FL_DOCS_SLOW=1 runs it)"; return ;;
        esac
    fi
    case "$cmd" in
        *plot_*) /usr/bin/python3 -c 'import matplotlib' 2> /dev/null || echo "needs python3-matplotlib" ;;
    esac
}

# run_all DIR COMMANDS-FILE LABEL
run_all() {
    local dir=$1 list=$2 label=$3 where want cmd reason got
    while IFS=$'\t' read -r where want cmd; do
        reason=$(why_not "$cmd")
        if [ -n "$reason" ]; then skip "$label $where: $cmd ($reason)"; continue; fi
        (cd "$dir" && timeout 600 bash -c "$cmd") > "$tmp/out" 2> "$tmp/err" < /dev/null
        got=$?
        if [ "$got" -eq "$want" ]; then
            ok "$label $where: exit $got: $cmd"
        else
            bad "$label $where: exit $got, the text says $want: $cmd"
            tail -3 "$tmp/err" | sed 's/^/    /'
        fi
    done < "$list"
}

# A clean clone: what git tracks, nothing built; ./faultline is this build.
clone() {
    local dir=$1
    if git -C "$src" rev-parse --git-dir > /dev/null 2>&1; then
        git clone -q --no-hardlinks "$src" "$dir" || return 1
    else
        cp -R "$src" "$dir" || return 1    # distcheck: srcdir is the unpacked tarball
    fi
    ln -sf "$fl" "$dir/faultline"
    # README's "a real mistake" uses the honesty test's plug-ins that make check builds
    if [ -d "$build/tests/plugins/.libs" ]; then
        mkdir -p "$dir/tests/plugins"
        ln -sfn "$build/tests/plugins/.libs" "$dir/tests/plugins/.libs"
    fi
}

python3 "$src/tests/doc_commands.py" "$src/README.md" /dev/null > "$tmp/readme.txt"
python3 "$src/tests/doc_commands.py" /dev/null "$src/faultline.1" > "$tmp/man.txt"
[ "$(wc -l < "$tmp/readme.txt")" -ge 30 ] && ok "README: found its example commands" || bad "README: found its example commands"
[ "$(wc -l < "$tmp/man.txt")" -ge 5 ] && ok "faultline.1: found its EXAMPLES" || bad "faultline.1: found its EXAMPLES"

clone "$tmp/readme" && run_all "$tmp/readme" "$tmp/readme.txt" "clone README.md" || bad "git clone"
clone "$tmp/man" && run_all "$tmp/man" "$tmp/man.txt" "clone" || bad "git clone"

# An installed copy: DESTDIR install, the commands run in its data folder.
if [ "${FL_DOCS_INSTALL:-1}" != 0 ] && [ -f "$build/Makefile" ]; then
    dest=$tmp/dest
    if make -C "$build" install DESTDIR="$dest" > "$tmp/install.log" 2>&1; then
        ok "make install DESTDIR"
        ifl=$(find "$dest" -path '*/bin/faultline' -type f | head -1)
        data=$(dirname "$(find "$dest" -path '*/share/faultline/scenarios' -type d | head -1)")
        [ -x "$ifl" ] && [ -d "$data/scenarios" ] && [ -d "$data/templates" ] && [ -d "$data/docs" ] \
            && [ -f "$data/docs/suite.schema.json" ] && [ -d "$data/notebooks-data" ] \
            && ok "installed: binary, scenarios, templates, schemas, notebooks-data" \
            || bad "installed: binary, scenarios, templates, schemas, notebooks-data"
        export FAULTLINE_DATADIR=$data
        inst=$tmp/inst
        mkdir -p "$inst" && cp -R "$data/." "$inst/" && ln -sf "$ifl" "$inst/faultline"
        # what needs the source tree (the test fixtures and plug-ins, a
        # plug-in built from the template) is a clone's business
        for f in readme man; do
            grep -v 'make -C\|my-raft/\|tests/' "$tmp/$f.txt" > "$tmp/$f-inst.txt"
            while IFS=$'\t' read -r where want cmd; do
                skip "installed $where: $cmd (needs the source tree; run above from the clone)"
            done < <(grep 'make -C\|my-raft/\|tests/' "$tmp/$f.txt")
        done
        [ "$(wc -l < "$tmp/readme-inst.txt")" -ge 30 ] && ok "installed: most README commands run there" \
            || bad "installed: most README commands run there"
        mkdir -p "$inst/readme" && cp -R "$data/." "$inst/readme/" && ln -sf "$ifl" "$inst/readme/faultline"
        run_all "$inst/readme" "$tmp/readme-inst.txt" "installed"
        run_all "$inst" "$tmp/man-inst.txt" "installed"
        (cd "$tmp" && "$ifl" list) > "$tmp/out" 2>&1 && grep -q "scenarios and suites in $data/scenarios" "$tmp/out" \
            && ok "installed: list from anywhere with FAULTLINE_DATADIR" || bad "installed: list from anywhere"
        unset FAULTLINE_DATADIR
        (cd "$tmp" && "$ifl" list) > "$tmp/out" 2>&1; st=$?
        [ $st -eq 0 ] && grep -q "share/faultline/scenarios" "$tmp/out" \
            && ok "installed: list finds ../share/faultline beside the binary" || bad "installed: list without FAULTLINE_DATADIR (exit $st)"
    else
        bad "make install DESTDIR"; tail -5 "$tmp/install.log"
    fi
fi

echo "($skipped commands not run, reasons above)"
echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
