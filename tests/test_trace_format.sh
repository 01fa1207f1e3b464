#!/usr/bin/env bash
# test_trace_format.sh — the compact trace format (sim/trace_compact.h) and
# the one trace reader (sim/traceio.h): a run writes a compact trace for a
# .fltrace name or --trace-format compact, with the same trace hash;
# `faultline trace export --jsonl` gives back, byte for byte, the JSON
# Lines trace the same run writes (every shipped scenario); `faultline
# diff` of two compact traces says what it says of the JSON Lines ones;
# the visualizer draws the same SVG and PNG from either; a truncated,
# damaged or foreign file is refused with exit status 2 and a message
# naming the file, never a crash; bad usage exits 2.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
fl=$(cd "$(dirname "$fl")" && pwd)/$(basename "$fl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
hash_of() { sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p' "$1"; }
differs() { ! cmp -s "$1" "$2"; }
same_nonempty() { [ -s "$1" ] && cmp -s "$1" "$2"; }
is_zstd() { [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = "28b52ffd" ]; }
# expect_refused WHAT FILE-IN-MESSAGE PATTERN command...: exit 2, no crash,
# a message naming the file and matching PATTERN
expect_refused() {
    local what=$1 name=$2 pat=$3; shift 3
    "$@" > "$tmp/out" 2> "$tmp/err"; local st=$?
    if [ "$st" -eq 2 ] && grep -q -- "$name" "$tmp/err" && grep -Eq -- "$pat" "$tmp/err"; then
        ok "$what"
    else
        bad "$what (exit $st; stderr: $(head -c 300 "$tmp/err"))"
    fi
}

basic="$src/scenarios/raft/basic.json"

# ---- writing: the format by name or by option; the hash is the format's business not
"$fl" run "$basic" --quiet > "$tmp/none.out"
"$fl" run "$basic" --quiet --trace "$tmp/b.jsonl" > "$tmp/jsonl.out"
"$fl" run "$basic" --quiet --trace "$tmp/b.fltrace" > "$tmp/compact.out"; st=$?
check "a run with a compact trace exits 0" [ "$st" -eq 0 ]
h0=$(hash_of "$tmp/none.out")
check "same trace hash with no trace, JSON Lines and compact ($h0)" \
    [ -n "$h0" -a "$h0" = "$(hash_of "$tmp/jsonl.out")" -a "$h0" = "$(hash_of "$tmp/compact.out")" ]
check ".fltrace is written compact (zstd frame)" is_zstd "$tmp/b.fltrace"
check ".jsonl stays JSON Lines (the default)" grep -q '^{"format":"faultline-trace"' "$tmp/b.jsonl"
sj=$(wc -c < "$tmp/b.jsonl"); sc=$(wc -c < "$tmp/b.fltrace")
check "the compact trace is at least 10x smaller ($sj -> $sc bytes)" [ $((sc * 10)) -le "$sj" ]
"$fl" run "$basic" --quiet --trace "$tmp/c.jsonl" --trace-format compact > /dev/null
check "--trace-format compact whatever the name" is_zstd "$tmp/c.jsonl"
"$fl" run "$basic" --quiet --trace "$tmp/j.fltrace" --trace-format jsonl > /dev/null
check "--trace-format jsonl whatever the name" cmp -s "$tmp/j.fltrace" "$tmp/b.jsonl"

# ---- export: byte for byte the JSON Lines trace
"$fl" trace export --jsonl "$tmp/b.fltrace" > "$tmp/export.jsonl"; st=$?
check "export to standard output exits 0" [ "$st" -eq 0 ]
check "export = the JSON Lines trace of the same run, byte for byte" cmp -s "$tmp/export.jsonl" "$tmp/b.jsonl"
"$fl" trace export --jsonl -o "$tmp/export2.jsonl" "$tmp/b.fltrace"
check "export -o OUT writes the same" cmp -s "$tmp/export2.jsonl" "$tmp/b.jsonl"
"$fl" trace export --jsonl "$tmp/b.jsonl" -o "$tmp/export3.jsonl"
check "export of a JSON Lines trace copies it" cmp -s "$tmp/export3.jsonl" "$tmp/b.jsonl"
# the comparison can fail: a trace of another seed does not match
"$fl" run "$basic" --quiet --seed 7 --trace "$tmp/s7.fltrace" > /dev/null
"$fl" trace export --jsonl "$tmp/s7.fltrace" -o "$tmp/s7.jsonl"
check "(the comparison tells traces apart: seed 7 differs)" differs "$tmp/s7.jsonl" "$tmp/b.jsonl"

# every shipped scenario (every event type, views, faults, client traffic,
# runs that stop at a violation), 3 simulated seconds each
n=0 differ=""
while IFS= read -r s; do
    rm -f "$tmp/s.jsonl" "$tmp/s.fltrace"
    "$fl" run "$s" --quiet --duration 3000 --trace "$tmp/s.jsonl" > /dev/null 2>&1
    "$fl" run "$s" --quiet --duration 3000 --trace "$tmp/s.fltrace" > /dev/null 2>&1
    [ -f "$tmp/s.jsonl" ] || continue
    n=$((n + 1))
    "$fl" trace export --jsonl "$tmp/s.fltrace" 2>/dev/null | cmp -s - "$tmp/s.jsonl" ||
        differ="$differ ${s#"$src"/}"
done < <(find "$src/scenarios" -name '*.json' ! -name suite.json | sort)
check "export = JSON Lines for all $n shipped scenarios${differ:+ (differ:$differ)}" \
    [ "$n" -gt 50 -a -z "$differ" ]
# and a long run with crashes and partitions, whole
"$fl" run "$src/bench/raft-nemesis.json" --quiet --duration 120000 --trace "$tmp/n.jsonl" > /dev/null
"$fl" run "$src/bench/raft-nemesis.json" --quiet --duration 120000 --trace "$tmp/n.fltrace" > /dev/null
"$fl" trace export --jsonl "$tmp/n.fltrace" | cmp -s - "$tmp/n.jsonl"
check "export = JSON Lines for 2 simulated minutes of Raft under a nemesis" [ $? -eq 0 ]

# a plug-in's run (in its sandboxed child): the record keeps describe's
# answer, so the trace reads without the plug-in
plugin="$(dirname "$fl")/tests/plugins/.libs/kv_plugin.so"
if [ -f "$plugin" ]; then
    tour="$src/scenarios/kv/faults-tour.json"
    "$fl" run "$tour" --impl "$plugin" --quiet --trace "$tmp/p.jsonl" > /dev/null
    "$fl" run "$tour" --impl "$plugin" --quiet --trace "$tmp/p.fltrace" > /dev/null
    "$fl" trace export --jsonl "$tmp/p.fltrace" | cmp -s - "$tmp/p.jsonl"
    check "export = JSON Lines for a plug-in's run (--impl, sandboxed)" [ $? -eq 0 -a -s "$tmp/p.jsonl" ]
else
    echo "SKIP: a plug-in's run (tests/plugins not built: make check builds them)"
    skipped=1
fi

# ---- diff reads both formats and says the same
diff_out() {   # A B OUT: diff's output with the file names taken out, and its status
    "$fl" diff "$1" "$2" > "$3" 2>&1; local st=$?
    sed -i -e "s|^A: .*|A: -|" -e "s|^B: .*|B: -|" "$3"; echo "$st" >> "$3"
}
diff_out "$tmp/b.fltrace" "$tmp/s7.fltrace" "$tmp/d.compact"
diff_out "$tmp/b.jsonl" "$tmp/s7.jsonl" "$tmp/d.jsonl"
check "diff of two compact traces = diff of the JSON Lines ones (different seeds)" cmp -s "$tmp/d.compact" "$tmp/d.jsonl"
check "(and that diff found a difference, exit 1)" [ "$(tail -1 "$tmp/d.compact")" = 1 ]
grep -q "first difference at event" "$tmp/d.compact" && ok "(it names the first differing event)" || bad "(it names the first differing event)"
diff_out "$tmp/b.fltrace" "$tmp/c.jsonl" "$tmp/d.same"
check "diff of two compact traces of the same run: identical, exit 0" [ "$(tail -1 "$tmp/d.same")" = 0 ]
"$fl" diff "$tmp/b.fltrace" "$tmp/b.jsonl" > /dev/null 2>&1
check "diff of the compact and the JSON Lines trace of one run: identical" [ $? -eq 0 ]

# ---- the visualizer loads either (headless: SVG export and a screenshot)
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy} SDL_AUDIODRIVER=dummy
"$fl" viz --trace "$tmp/none.jsonl" > "$tmp/out" 2> "$tmp/err"
if grep -q "built without the visualizer" "$tmp/err"; then
    echo "SKIP: viz (a build without SDL)"
    skipped=1
else
    lc="$src/scenarios/raft/leader-crash.json"
    "$fl" run "$lc" --quiet --trace "$tmp/lc.jsonl" > /dev/null
    "$fl" run "$lc" --quiet --trace "$tmp/lc.fltrace" > /dev/null
    "$fl" viz --trace "$tmp/lc.fltrace" --svg "$tmp/lc-c.svg" --from 2900 --to 3300 > /dev/null 2>&1
    st=$?
    "$fl" viz --trace "$tmp/lc.jsonl" --svg "$tmp/lc-j.svg" --from 2900 --to 3300 > /dev/null 2>&1
    check "viz --trace of a compact trace: svg export exits 0" [ "$st" -eq 0 ]
    check "the same SVG from the compact and the JSON Lines trace" \
        same_nonempty "$tmp/lc-c.svg" "$tmp/lc-j.svg"
    # the window shows the file's name: the same name in two folders
    mkdir -p "$tmp/vc" "$tmp/vj"
    cp "$tmp/lc.fltrace" "$tmp/vc/lc.trace"
    cp "$tmp/lc.jsonl" "$tmp/vj/lc.trace"
    (cd "$tmp/vc" && "$fl" viz --trace lc.trace --screenshot "$tmp/lc-c.png" --at-ms 3250 > /dev/null 2>&1)
    (cd "$tmp/vj" && "$fl" viz --trace lc.trace --screenshot "$tmp/lc-j.png" --at-ms 3250 > /dev/null 2>&1)
    check "the same screenshot from either (the format is told by content)" \
        same_nonempty "$tmp/lc-c.png" "$tmp/lc-j.png"
    head -c 3000 "$tmp/lc.fltrace" > "$tmp/lc-cut.fltrace"
    expect_refused "viz --trace of a truncated compact trace: exit 2" "lc-cut.fltrace" "cut short" \
        "$fl" viz --trace "$tmp/lc-cut.fltrace" --svg "$tmp/x.svg" --from 0 --to 10
fi

# ---- damaged input: exit 2 with the file's name, never a crash
size=$(wc -c < "$tmp/b.fltrace")
head -c $((size / 2)) "$tmp/b.fltrace" > "$tmp/half.fltrace"
expect_refused "export of a truncated compact trace" "half.fltrace" "cut short" \
    "$fl" trace export --jsonl "$tmp/half.fltrace" -o "$tmp/half.jsonl"
check "(no output file is left)" [ ! -e "$tmp/half.jsonl" ]
expect_refused "diff with a truncated compact trace" "half.fltrace" "cut short" \
    "$fl" diff "$tmp/b.fltrace" "$tmp/half.fltrace"
expect_refused "a compact trace cut after its last byte but one" "last.fltrace" "cut short|corrupt" \
    bash -c "head -c $((size - 1)) '$tmp/b.fltrace' > '$tmp/last.fltrace'; '$fl' trace export --jsonl '$tmp/last.fltrace' -o /dev/null"
crashed=""
for cut in 4 5 8 13 40 200 1000 $((size - 9)); do
    head -c "$cut" "$tmp/b.fltrace" > "$tmp/cut.fltrace"
    "$fl" trace export --jsonl "$tmp/cut.fltrace" > /dev/null 2> "$tmp/err"; st=$?
    [ "$st" -eq 2 ] && grep -q "cut.fltrace" "$tmp/err" || crashed="$crashed $cut:$st"
done
check "cut at 8 places: each exit 2 with the file named${crashed:+ (not:$crashed)}" [ -z "$crashed" ]
# one byte changed in the middle: the frame checksum (or the decoder) catches it
python3 - "$tmp/b.fltrace" "$tmp/flip.fltrace" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[len(b) // 2] ^= 0x5a
open(sys.argv[2], 'wb').write(b)
PY
expect_refused "a compact trace with one byte changed" "flip.fltrace" "corrupt" \
    "$fl" trace export --jsonl "$tmp/flip.fltrace" -o /dev/null
expect_refused "diff of a damaged compact trace" "flip.fltrace" "corrupt" \
    "$fl" diff "$tmp/flip.fltrace" "$tmp/b.fltrace"
printf '\x28\xb5\x2f\xfdgarbage after the zstd magic' > "$tmp/garbage.fltrace"
expect_refused "zstd magic then garbage" "garbage.fltrace" "corrupt" \
    "$fl" trace export --jsonl "$tmp/garbage.fltrace"
if command -v zstd > /dev/null; then
    zstd -q -c "$tmp/b.jsonl" > "$tmp/other.zst"
    expect_refused "a zstd file that is not a compact trace" "other.zst" "not a faultline compact trace" \
        "$fl" trace export --jsonl "$tmp/other.zst"
fi
: > "$tmp/empty.fltrace"
expect_refused "an empty file" "empty.fltrace" "trace header" \
    "$fl" trace export --jsonl "$tmp/empty.fltrace"
echo '{"not":"a trace"}' > "$tmp/nota.jsonl"
expect_refused "a JSON file that is not a trace" "nota.jsonl" "trace header" \
    "$fl" trace export --jsonl "$tmp/nota.jsonl"
expect_refused "a missing file" "missing.fltrace" "cannot open" \
    "$fl" trace export --jsonl "$tmp/missing.fltrace"

# ---- usage
expect_refused "trace without an action" "trace" "expected an action" "$fl" trace
expect_refused "trace frobnicate" "trace" "unknown action" "$fl" trace frobnicate "$tmp/b.fltrace"
expect_refused "export without --jsonl" "trace" "--jsonl" "$fl" trace export "$tmp/b.fltrace"
expect_refused "export without a file" "trace" "expected a trace file" "$fl" trace export --jsonl
expect_refused "run --trace-format bogus" "run" "expected jsonl or compact" \
    "$fl" run "$basic" --trace "$tmp/x.fltrace" --trace-format bogus
expect_refused "run --trace-format without --trace" "run" "applies to a --trace" \
    "$fl" run "$basic" --trace-format compact
"$fl" trace --help > "$tmp/help" 2>&1
check "trace --help shows the usage" grep -q "usage: faultline trace export --jsonl" "$tmp/help"
"$fl" run --help > "$tmp/help" 2>&1
check "run --help names --trace-format" grep -q -- "--trace-format" "$tmp/help"

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
[ -z "${skipped:-}" ] || exit 77   # automake: SKIP, not a silent PASS
