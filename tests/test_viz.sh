#!/usr/bin/env bash
# test_viz.sh — the visualizer from the command line, headless: screenshots
# of live runs and of trace replays are written (PNG, non-trivial, no
# temporary file left behind), a live run watched to its end has the
# headless run's trace hash, the run's event count reported is `run`'s
# (replayed and live, run to its end or stopped), and bad input (missing
# or garbage trace, bad
# options) exits 2. In a build without SDL, `faultline viz` must say how
# to get it and exit 2; the rest is skipped.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
fl=$(cd "$(dirname "$fl")" && pwd)/$(basename "$fl")
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
is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
size_of() { wc -c < "$1" | tr -d ' '; }

export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy}   # a window without a display
export SDL_AUDIODRIVER=dummy

"$fl" viz --trace "$tmp/none.jsonl" > "$tmp/out" 2> "$tmp/err"; st=$?
if grep -q "built without the visualizer" "$tmp/err"; then
    [ "$st" -eq 2 ] && ok "without SDL: viz exits 2" || bad "without SDL: viz exits 2 (got $st)"
    grep -q "libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev" "$tmp/err" && ok "without SDL: says what to install" || bad "without SDL: says what to install"
    echo "SKIP: the rest needs the SDL build"
    echo "fl-tests: $pass passed, $fail failed"
    [ "$fail" -eq 0 ] && exit 77; exit 1
fi

# the event count the visualizer reports is the run's own: for a run to
# its end and one stopped by a failed check, replayed from its trace and
# watched live; a trace whose end line lost the count claims none
for scen in raft/basic.json raft/bugs/vote-twice.json counter/crdt-partition.json; do
    "$fl" run "$src/scenarios/$scen" --seed 1 --trace "$tmp/ev.jsonl" > "$tmp/run.out" 2>&1
    want=$(sed -n 's/^simulated: .*, \([0-9][0-9]*\) events$/\1/p' "$tmp/run.out")
    "$fl" viz --trace "$tmp/ev.jsonl" --at-ms 1e9 --screenshot "$tmp/ev.png" > "$tmp/out" 2>&1
    got=$(sed -n 's/.*; the run: \([0-9][0-9]*\) events)$/\1/p' "$tmp/out")
    [ -n "$want" ] && [ "$got" = "$want" ] && ok "$scen: replay reports the run's $want events" \
        || bad "$scen: replay reports ${got:-no count}, run says ${want:-nothing}"
    "$fl" viz "$src/scenarios/$scen" --seed 1 --at-ms 1e9 --screenshot "$tmp/ev.png" > "$tmp/out" 2>&1
    got=$(sed -n 's/.*; the run: \([0-9][0-9]*\) events)$/\1/p' "$tmp/out")
    [ -n "$want" ] && [ "$got" = "$want" ] && ok "$scen: live viz reports the run's $want events" \
        || bad "$scen: live viz reports ${got:-no count}, run says ${want:-nothing}"
done
grep -q '"ev":"end".*"stopped":true' "$tmp/ev.jsonl" && bad "a run to its end: no stopped end line" \
    || ok "a run to its end: no stopped end line"
sed 's/,"events":[0-9]*//' "$tmp/ev.jsonl" > "$tmp/ev-lost.jsonl"
"$fl" viz --trace "$tmp/ev-lost.jsonl" --at-ms 1e9 --screenshot "$tmp/ev.png" > "$tmp/out" 2>&1
grep -q "the run:" "$tmp/out" && bad "no count in the trace: none claimed" || ok "no count in the trace: none claimed"

tour="$src/scenarios/kv/faults-tour.json"
# a live run, drawn at 1.5 s (client 3 partitioned away)
expect_status 0 "screenshot of a live run" "$fl" viz "$tour" --screenshot "$tmp/tour.png" --at-ms 1500
is_png "$tmp/tour.png" && ok "it is a PNG" || bad "it is a PNG"
[ "$(size_of "$tmp/tour.png")" -gt 20000 ] && ok "it is not blank ($(size_of "$tmp/tour.png") bytes)" || bad "it is not blank ($(size_of "$tmp/tour.png") bytes)"
ls "$tmp" | grep -q partial && bad "no temporary file left" || ok "no temporary file left"
grep -q "t = 1500.000 ms" "$tmp/out" && ok "reports the time drawn" || bad "reports the time drawn"
# other sizes
expect_status 0 "screenshot at 800x600" "$fl" viz "$tour" --screenshot "$tmp/small.png" --at-ms 4100 --size 800x600
is_png "$tmp/small.png" && ok "small PNG written" || bad "small PNG written"
cmp -s "$tmp/tour.png" "$tmp/small.png" && bad "different frames differ" || ok "different frames differ"
# deterministic: the same frame twice is the same bytes
"$fl" viz "$tour" --screenshot "$tmp/tour2.png" --at-ms 1500 > /dev/null 2>&1
cmp -s "$tmp/tour.png" "$tmp/tour2.png" && ok "same frame, same PNG" || bad "same frame, same PNG"

# watched to the end, the live run has the headless run's hash
want=$("$fl" run "$tour" --quiet | sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p')
"$fl" viz "$tour" --screenshot "$tmp/end.png" --at-ms 100000 > "$tmp/out" 2> "$tmp/err"
got=$(sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p' "$tmp/out")
[ -n "$want" ] && [ "$want" = "$got" ] && ok "live run hash = headless hash ($got)" || bad "live run hash = headless hash ($got vs $want)"

# replay a recorded trace
"$fl" run "$src/scenarios/raft/leader-crash.json" --quiet --trace "$tmp/lc.jsonl" > /dev/null
expect_status 0 "screenshot of a replay" "$fl" viz --trace "$tmp/lc.jsonl" --screenshot "$tmp/lc.png" --at-ms 3250
is_png "$tmp/lc.png" && [ "$(size_of "$tmp/lc.png")" -gt 20000 ] && ok "replay PNG written" || bad "replay PNG written"

# the space-time diagram as SVG for a report, and as a pane in a screenshot
expect_status 0 "svg export" "$fl" viz --trace "$tmp/lc.jsonl" --svg "$tmp/lc.svg" --from 2900 --to 3300
head -c 200 "$tmp/lc.svg" | grep -q "<svg" && ok "it is SVG" || bad "it is SVG"
n=$(grep -c "<polygon" "$tmp/lc.svg"); [ "$n" -gt 20 ] && ok "arrows for delivered messages ($n)" || bad "arrows for delivered messages ($n)"
grep -q "crashed" "$tmp/lc.svg" && ok "the crash is a band" || bad "the crash is a band"
ls "$tmp" | grep -q "svg.partial" && bad "no temporary svg left" || ok "no temporary svg left"
expect_status 2 "svg without a window" "$fl" viz --trace "$tmp/lc.jsonl" --svg "$tmp/x.svg"
expect_status 2 "svg with --to before --from" "$fl" viz --trace "$tmp/lc.jsonl" --svg "$tmp/x.svg" --from 5 --to 1
expect_status 2 "--from without --svg" "$fl" viz --trace "$tmp/lc.jsonl" --from 5 --to 10
expect_status 2 "unwritable svg" "$fl" viz --trace "$tmp/lc.jsonl" --svg "$tmp/no/dir/x.svg" --from 0 --to 10
expect_status 0 "screenshot with the diagram" "$fl" viz --trace "$tmp/lc.jsonl" --diagram --screenshot "$tmp/dg.png" --at-ms 3100
is_png "$tmp/dg.png" && ok "diagram PNG written" || bad "diagram PNG written"

# verdict -> cause: `v` on a run that broke an invariant opens the diagram
# at the violation, with the node selected
bug="$src/scenarios/raft/bugs/vote-twice.json"
expect_status 0 "cause of a violation (key v)" "$fl" viz "$bug" --screenshot "$tmp/cause.png" --at-ms 100000 --keys "v"
grep -q "t = 166.600 ms" "$tmp/out" && ok "jumped to the violation" || bad "jumped to the violation ($(head -1 "$tmp/out"))"
"$fl" viz "$bug" --screenshot "$tmp/nocause.png" --at-ms 100000 > /dev/null 2>&1
cmp -s "$tmp/cause.png" "$tmp/nocause.png" && bad "the cause view differs" || ok "the cause view differs"

# the documented screenshots (docs/img/shots.txt) still render
mkdir -p "$tmp/shots"
if bash "$src/docs/img/render.sh" "$fl" "$tmp/shots" > "$tmp/out" 2> "$tmp/err"; then
    n=$(grep -vc '^#' "$src/docs/img/shots.txt" || true)
    got=$(ls "$tmp/shots" | wc -l)
    [ "$got" -eq "$n" ] && ok "docs screenshots render ($got)" || bad "docs screenshots render ($got of $n)"
else
    bad "docs screenshots render"; sed 's/^/    /' "$tmp/err" | head -5
fi

# bad input: exit 2, a message, no PNG
expect_status 2 "missing trace file" "$fl" viz --trace "$tmp/nope.jsonl" --screenshot "$tmp/x.png" --at-ms 0
grep -q "nope.jsonl" "$tmp/err" && ok "names the missing file" || bad "names the missing file"
printf 'this is not a trace\n{"t":1}\n' > "$tmp/garbage.jsonl"
expect_status 2 "garbage trace" "$fl" viz --trace "$tmp/garbage.jsonl" --screenshot "$tmp/x.png" --at-ms 0
grep -q "garbage.jsonl:1: not a faultline trace" "$tmp/err" && ok "says where and why" || bad "says where and why"
head -1 "$tmp/lc.jsonl" > "$tmp/bad2.jsonl"; echo '{"t":0,"ev":"explode","node":0}' >> "$tmp/bad2.jsonl"
expect_status 2 "bad event line" "$fl" viz --trace "$tmp/bad2.jsonl" --screenshot "$tmp/x.png" --at-ms 0
grep -q "bad2.jsonl:2: unknown event type" "$tmp/err" && ok "names the line" || bad "names the line"
[ ! -e "$tmp/x.png" ] && ok "no PNG after bad input" || bad "no PNG after bad input"
expect_status 2 "missing scenario" "$fl" viz "$tmp/nope.json" --screenshot "$tmp/x.png" --at-ms 0
expect_status 2 "no source" "$fl" viz
expect_status 2 "scenario and trace" "$fl" viz "$tour" --trace "$tmp/lc.jsonl"
expect_status 2 "screenshot without --at" "$fl" viz "$tour" --screenshot "$tmp/x.png"
expect_status 2 "bad speed" "$fl" viz "$tour" --speed fast
expect_status 2 "bad size" "$fl" viz "$tour" --size 10x10 --screenshot "$tmp/x.png" --at-ms 0
expect_status 2 "unknown option" "$fl" viz "$tour" --frob 1
expect_status 2 "unwritable screenshot" "$fl" viz "$tour" --screenshot "$tmp/no/dir/x.png" --at-ms 0
# a real window (SDL's dummy video driver, or a display if one is set):
# N frames, and the README flow driven by scripted keys — select the
# leader, crash it, save the run as a scenario, which `faultline run`
# replays to the same trace hash
basic="$src/scenarios/raft/basic.json"
"$fl" viz "$basic" --frames 20 --stats > "$tmp/out" 2> "$tmp/err"; st=$?
if grep -q "cannot open a window" "$tmp/err"; then
    echo "SKIP: no video driver for a window ($(head -1 "$tmp/err"))"
    skipped=1
else
    [ "$st" -eq 0 ] && ok "window: 20 frames" || bad "window: 20 frames (exit $st)"
    grep -q "20 frames, draw time" "$tmp/out" && ok "window: --stats" || bad "window: --stats"
    grep -Eq "messages on screen: mean [0-9]+, max [1-9][0-9]*$" "$tmp/out" &&
        ok "window: --stats counts messages" || bad "window: --stats counts messages"
    mkdir -p "$tmp/keys"
    (cd "$tmp/keys" && "$fl" viz "$basic" --keys "@2000 sL c @3500 S @100000 q") > "$tmp/out" 2> "$tmp/err"
    st=$?
    [ "$st" -eq 0 ] && ok "keys: crash the leader, save" || bad "keys: crash the leader, save (exit $st)"
    saved=$(ls "$tmp/keys"/*.json 2>/dev/null | head -1)
    [ -n "$saved" ] && grep -q '"type":[[:space:]]*"crash"' "$saved" && ok "saved scenario has the crash" || bad "saved scenario has the crash"
    h_viz=$(sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p' "$tmp/out")
    h_run=$("$fl" run "$saved" --quiet 2>/dev/null | sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p')
    h_orig=$("$fl" run "$basic" --quiet | sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p')
    [ -n "$h_viz" ] && [ "$h_viz" = "$h_run" ] && ok "saved scenario replays to the same hash ($h_run)" || bad "saved scenario replays to the same hash ($h_viz vs $h_run)"
    [ "$h_run" != "$h_orig" ] && ok "the crash changed the run" || bad "the crash changed the run"
    "$fl" viz --trace "$tmp/lc.jsonl" --keys "@3000 right right left sL a ? space plus minus end home q" > "$tmp/out" 2> "$tmp/err"
    [ $? -eq 0 ] && ok "keys on a replay" || bad "keys on a replay"
fi

# a trace of a scenario lasting ~3 years, one message in flight for all of
# it: it loads without allocating for its span, and no frame costs what its
# idle time would (the axis, the diagram pane zoomed out and in, seeking);
# the bound is a hang guard, not a timing (a hang took minutes per frame)
if [ -z "${skipped:-}" ]; then
    hdr=$(head -1 "$tmp/lc.jsonl")
    { echo "$hdr"
      echo '{"t":0,"ev":"boot","node":0}'
      echo '{"t":0,"ev":"send","node":0,"peer":1,"id":1,"kind":"Ping"}'
      echo '{"t":100000000000000000,"ev":"deliver","node":1,"peer":0,"id":1,"kind":"Ping"}'
      echo '{"t":100000000000000001,"ev":"send","node":1,"peer":0,"id":2,"kind":"Pong","reply":true}'
    } > "$tmp/long.jsonl"
    zoom="zoomout zoomout zoomout zoomout zoomout zoomout zoomout zoomout zoomout zoomout"
    expect_status 0 "a trace spanning years: frames with the diagram, seeks, zooms" \
        timeout 60 "$fl" viz --trace "$tmp/long.jsonl" --frames 40 \
        --keys "d $zoom $zoom end home @50000000000 end zoomin zoomin zoomin zoomin"
fi

# a live window with no display: exit 2 with a message, quickly (not a run
# that goes on forever unseen)
env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER timeout 20 "$fl" viz "$basic" > "$tmp/out" 2> "$tmp/err"; st=$?
[ "$st" -eq 2 ] && ok "no display: exit 2" || bad "no display: exit 2 (got $st)"
grep -q "no display" "$tmp/err" && ok "no display: says so" || bad "no display: says so"

expect_status 0 "help" "$fl" help viz
grep -q "usage: faultline viz" "$tmp/out" && ok "help shows usage" || bad "help shows usage"

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
[ -z "${skipped:-}" ] || exit 77   # automake: SKIP, not a silent PASS
