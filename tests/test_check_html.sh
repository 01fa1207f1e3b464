#!/usr/bin/env bash
# test_check_html.sh — the page `faultline check --html` writes: it is
# self-contained (no scripts, no external resources, so it opens offline
# and from a mail attachment), it names the failing op; with --trace (the
# trace of the run that wrote the history) the failing window's ops link
# to `faultline viz --trace T --at MS` at their invokes, and a trace of
# another run, a file that is no trace or a history without times is
# refused (exit 2); and headless
# Chromium renders it: the DOM Chromium builds holds every bar of the
# source, and a screenshot is a PNG with far more drawn in it than a blank
# page of the same size. Without Chromium (chromium, chromium-browser or
# google-chrome on PATH, or $CHROMIUM) the rendering checks are skipped,
# saying so; nothing here needs the network.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
fl=$(cd "$(dirname "$fl")" && pwd)/$(basename "$fl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "PASS: $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
size_of() { wc -c < "$1" | tr -d ' '; }
fix="$src/tests/fixtures/check"

# a violation (kv: a read that misses an acknowledged append) and a
# linearizable history
"$fl" check "$fix/kv-lost-write.edn" --html "$tmp/bad.html" > "$tmp/out" 2>&1
check "violation: exit 1 and a page" '[ $? -eq 1 ] && [ -s "$tmp/bad.html" ]'
"$fl" check "$fix/register-info-later.edn" --html "$tmp/ok.html" > "$tmp/out" 2>&1
check "linearizable: exit 0 and a page" '[ $? -eq 0 ] && [ -s "$tmp/ok.html" ]'

for p in bad ok; do
    f="$tmp/$p.html"
    check "$p: no scripts" '! grep -qi "<script" "$f"'
    check "$p: no external resources" '! grep -Eqi "(src|href)=|<link|url\(|@import" "$f"'
    check "$p: the only URL is the SVG namespace" \
        '[ -z "$(grep -Eo "https?://[^\"]*" "$f" | grep -v "^http://www.w3.org/2000/svg$")" ]'
    check "$p: a complete document" 'head -c 15 "$f" | grep -qi "<!doctype html" && tail -c 20 "$f" | grep -q "</html>"'
done
check "bad: the verdict and the failing window" \
    'grep -q "linearizable: NO" "$tmp/bad.html" && grep -q "failing window" "$tmp/bad.html"'
check "bad: the op that must have taken effect is drawn in red" \
    'grep -q "<rect[^>]*fill=\"#e05050\"" "$tmp/bad.html"'
check "ok: no failure marked" '! grep -q "<rect[^>]*fill=\"#e05050\"" "$tmp/ok.html"'

# --trace: a history a run wrote with its trace; each op of the failing
# window links (in-page anchor) to `faultline viz --trace T --at MS` at
# its invoke, and the trace must be that run's
scen="$src/scenarios/counter/bugs/crdt-partition-read.json"
"$fl" run "$scen" --seed 1 --quiet --trace "$tmp/t.jsonl" --history "$tmp/h.jsonl" > /dev/null 2>&1
"$fl" run "$scen" --seed 2 --quiet --trace "$tmp/t2.jsonl" > /dev/null 2>&1
"$fl" check "$tmp/h.jsonl" --html "$tmp/tr.html" --trace "$tmp/t.jsonl" > "$tmp/out" 2>&1
check "--trace: a violation, exit 1 and a page" '[ $? -eq 1 ] && [ -s "$tmp/tr.html" ]'
ids=$(grep -o '<li id="op-[0-9]*"' "$tmp/tr.html" | grep -o 'op-[0-9]*')
check "--trace: the failing window's ops are listed" '[ -n "$ids" ]'
linked=yes
for id in $ids; do grep -q "<a href=\"#$id\"><rect" "$tmp/tr.html" || linked=no; done
check "--trace: each listed op's bar links to its entry" '[ "$linked" = yes ]'
check "--trace: links stay in the page" '! grep -Eo "href=\"[^\"]*\"" "$tmp/tr.html" | grep -qv "href=\"#op-"'
# every command line names the trace and the time of an invoke in it
cmds=$(grep -o "faultline viz --trace $tmp/t.jsonl --at [0-9.]* --select [0-9]*" "$tmp/tr.html")
check "--trace: one command line per listed op" \
    '[ "$(printf "%s\n" "$cmds" | grep -c .)" -eq "$(printf "%s\n" "$ids" | grep -c .)" ]'
atok=yes
while read -r at node; do
    ns=$(awk -v m="$at" 'BEGIN { split(m, p, "."); printf "%d%06d", p[1], p[2] }' | sed 's/^0*//')
    grep -q "^{\"t\":$ns,\"ev\":\"invoke\",\"node\":$node," "$tmp/t.jsonl" || atok=no
done < <(printf '%s\n' "$cmds" | sed 's/.* --at //; s/ --select / /')
check "--trace: each --at and --select are an invoke's time and client in the trace" \
    '[ -n "$cmds" ] && [ "$atok" = yes ]'
# the same page without --trace links nothing
"$fl" check "$tmp/h.jsonl" --html "$tmp/plain.html" > /dev/null 2>&1
check "without --trace: no links" '! grep -q "<a href\|faultline viz" "$tmp/plain.html"'
# wrong pairings are refused, naming the file
"$fl" check "$tmp/h.jsonl" --html "$tmp/x.html" --trace "$tmp/t2.jsonl" > /dev/null 2> "$tmp/err"
check "--trace of another run: exit 2, says so" \
    '[ $? -eq 2 ] && grep -q "t2.jsonl: no invoke at" "$tmp/err"'
"$fl" check "$tmp/h.jsonl" --html "$tmp/x.html" --trace "$tmp/h.jsonl" > /dev/null 2> "$tmp/err"
check "--trace that is no trace: exit 2, says so" \
    '[ $? -eq 2 ] && grep -q "h.jsonl:1: expected a faultline trace" "$tmp/err"'
"$fl" check "$fix/kv-lost-write.edn" --html "$tmp/x.html" --trace "$tmp/t.jsonl" > /dev/null 2> "$tmp/err"
check "--trace with a history without times: exit 2, says so" \
    '[ $? -eq 2 ] && grep -q "kv-lost-write.edn: no time_ns" "$tmp/err"'
"$fl" check "$tmp/h.jsonl" --trace "$tmp/t.jsonl" > /dev/null 2> "$tmp/err"
check "--trace without --html: exit 2" '[ $? -eq 2 ] && grep -q "goes with --html" "$tmp/err"'
# the command line opens the trace there (with the visualizer built)
first=$(printf '%s\n' "$cmds" | head -1 | sed 's/^faultline //')
if "$fl" viz --help > /dev/null 2>&1 && [ -n "$first" ]; then
    # shellcheck disable=SC2086
    "$fl" $first --screenshot "$tmp/at.png" > "$tmp/vizout" 2>&1
    st=$?
    if [ $st -eq 2 ] && grep -q "built without the visualizer" "$tmp/vizout"; then
        echo "SKIP: the linked command line: this build has no visualizer"
        skipped=1
    else
        check "the linked command line renders the trace at the op" \
            '[ $st -eq 0 ] && grep -q "t = $(printf "%s" "$first" | sed "s/.* --at //; s/ .*//" | cut -c1-7)" "$tmp/vizout"'
    fi
fi

chrome=${CHROMIUM:-}
if [ -z "$chrome" ]; then
    for c in chromium chromium-browser google-chrome; do
        if command -v "$c" > /dev/null 2>&1; then chrome=$c; break; fi
    done
fi
if [ -z "$chrome" ]; then
    echo "SKIP: rendering checks: no chromium on PATH (apt-get install chromium)"
    echo "fl-tests: $pass passed, $fail failed"
    [ "$fail" -eq 0 ] && exit 77; exit 1
fi

# headless, offline, no profile of the user's touched
run_chrome() {
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
        --hide-scrollbars --no-first-run --disable-extensions \
        --disable-background-networking --user-data-dir="$tmp/profile" \
        "$@" 2> "$tmp/chrome.err"
}
rects() { grep -o "<rect" | wc -l | tr -d ' '; }

run_chrome --dump-dom "file://$tmp/bad.html" > "$tmp/dom.html"
want=$(rects < "$tmp/bad.html")
got=$(rects < "$tmp/dom.html")
check "chromium builds the DOM with every bar ($got of $want rects)" \
    '[ "$want" -ge 4 ] && [ "$got" -eq "$want" ]'
check "chromium's DOM has the failing op's red bar" \
    'grep -q "<rect[^>]*fill=\"#e05050\"" "$tmp/dom.html"'

printf '<!DOCTYPE html><html><body></body></html>\n' > "$tmp/blank.html"
for p in bad blank; do
    run_chrome --window-size=1000,700 --screenshot="$tmp/$p.png" \
        "file://$tmp/$p.html" > /dev/null
done
check "screenshot of the page is a PNG" 'is_png "$tmp/bad.png"'
check "screenshot of a blank page is a PNG (baseline)" 'is_png "$tmp/blank.png"'
b=$(size_of "$tmp/blank.png" 2> /dev/null || echo 0)
s=$(size_of "$tmp/bad.png" 2> /dev/null || echo 0)
check "the page draws something ($s bytes against $b blank)" \
    '[ "$b" -gt 0 ] && [ "$s" -gt $((b * 4)) ]'
[ "$fail" -eq 0 ] || sed 's/^/    chromium: /' "$tmp/chrome.err" | tail -5
echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
[ -z "${skipped:-}" ] || exit 77   # automake: SKIP, not a silent PASS
