#!/usr/bin/env bash
# test_outfile.sh — output files done right (issue 17, item 4), with
# `faultline run`'s outputs (sim/util/outfile.c serves every command):
#   - a regular file appears whole, no temporary left;
#   - a symbolic link is followed, never replaced;
#   - a FIFO and "-" are written directly (a FIFO stays a FIFO);
#   - two outputs naming one file (also through a link) are refused
#     before anything runs, and nothing is written;
#   - SIGTERM and SIGINT remove the temporary (also when the run is in
#     a sandbox child, run --impl);
#   - a full device says "No space left on device" (/dev/full is only
#     written to: it cannot be harmed).
# No test touches a real device node except writing to /dev/full.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
scn=$src/scenarios/raft/basic.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
partials() { find "$tmp" -name '*.partial.*' | wc -l; }

# A regular file.
"$fl" run "$scn" --quiet --trace "$tmp/t.jsonl" > /dev/null 2>&1
[ -s "$tmp/t.jsonl" ] && [ "$(partials)" -eq 0 ] && ok "regular file: written, no temporary" \
    || bad "regular file"

# A symbolic link is followed and stays a link.
: > "$tmp/real.csv"
ln -s real.csv "$tmp/link.csv"
"$fl" run "$scn" --quiet --metrics "$tmp/link.csv" > /dev/null 2>&1
[ -L "$tmp/link.csv" ] && grep -q '^scenario,' "$tmp/real.csv" \
    && ok "symlink: followed, the link is still a link" || bad "symlink replaced or not written"

# A FIFO is written directly and stays a FIFO.
mkfifo "$tmp/fifo"
cat "$tmp/fifo" > "$tmp/from_fifo" &
reader=$!
timeout 60 "$fl" run "$scn" --quiet --metrics "$tmp/fifo" > /dev/null 2>&1
rc=$?
wait $reader
[ $rc -eq 0 ] && [ -p "$tmp/fifo" ] && grep -q '^scenario,' "$tmp/from_fifo" \
    && ok "FIFO: written directly, still a FIFO" || bad "FIFO (exit $rc)"

# "-" is standard output.
"$fl" run "$scn" --quiet --metrics - > "$tmp/stdout" 2>&1
grep -q '^scenario,' "$tmp/stdout" && [ ! -e ./- ] && ok '"-": standard output' \
    || bad '"-" not written to standard output'

# Two outputs, one file: refused before anything runs.
"$fl" run "$scn" --quiet --trace "$tmp/same" --history "$tmp/same" > /dev/null 2> "$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "both write" "$tmp/err" && [ ! -e "$tmp/same" ] \
    && ok "same path twice: refused (exit 2), nothing written" || bad "same path twice (exit $rc)"
: > "$tmp/x.jsonl"
ln -s x.jsonl "$tmp/alias.jsonl"
mkdir -p "$tmp/sub"
"$fl" run "$scn" --quiet --trace "$tmp/x.jsonl" --history "$tmp/sub/../alias.jsonl" \
    > /dev/null 2> "$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "both write" "$tmp/err" && [ ! -s "$tmp/x.jsonl" ] \
    && ok "same file through a link and ..: refused" || bad "aliased outputs (exit $rc)"

# A full device.
if [ -c /dev/full ]; then
    "$fl" run "$scn" --quiet --trace /dev/full > /dev/null 2> "$tmp/err"
    rc=$?
    [ $rc -eq 2 ] && grep -q "No space left on device" "$tmp/err" && [ -c /dev/full ] \
        && ok "/dev/full: exit 2, \"No space left on device\", still a device" \
        || { bad "/dev/full (exit $rc)"; cat "$tmp/err"; }
else
    echo "(no /dev/full here: that check skipped)"
fi

# A signal removes the temporary. (A background job of a script ignores
# SIGINT; env --default-signal gives it back.)
interrupt() {
    local sig=$1 name=$2; shift 2
    rm -f "$tmp"/long.*
    env --default-signal=INT "$fl" run "$scn" --quiet --duration 100000000 \
        --trace "$tmp/long.jsonl" "$@" > /dev/null 2>&1 &
    local pid=$!
    local i
    for i in $(seq 50); do [ "$(partials)" -gt 0 ] && break; sleep 0.1; done
    sleep 0.3
    kill -s "$sig" $pid
    wait $pid
    local rc=$?
    [ "$(partials)" -eq 0 ] && [ ! -e "$tmp/long.jsonl" ] \
        && ok "$name: temporary removed (exit $rc)" \
        || { bad "$name: left $(find "$tmp" -name 'long*')"; rm -f "$tmp"/long*; }
}
interrupt TERM "SIGTERM"
interrupt INT "SIGINT"
if [ -f tests/plugins/.libs/kv_plugin.so ] || [ -f tests/plugins/.libs/hostile_segv.so ]; then
    # in the sandbox child: the parent removes what the child left
    so=$(ls tests/plugins/.libs/student_nopersist.so 2>/dev/null)
    [ -n "$so" ] && interrupt TERM "SIGTERM, run --impl" --impl "$so" --wall 60 --cpu 60
fi

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
