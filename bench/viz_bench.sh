#!/bin/sh
# viz_bench.sh [FAULTLINE] — the visualizer's two performance figures:
#  1. frame times with 9 nodes and more than 1,000 messages in flight
#     (bench/viz-9.json, a live run, 600 frames at real-time speed);
#  2. seeking in a 10-minute trace (scenarios/raft/nemesis-10min.json):
#     the slowest frame among several long jumps is the seek time,
#     also with the space-time diagram open, zoomed in and out.
# Uses SDL's offscreen video driver (software rendering, no display).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
fl=${1:-./faultline}
if [ ! -x "$fl" ]; then
    echo "viz_bench.sh: $fl: not an executable (pass the faultline binary)" >&2
    exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export SDL_VIDEODRIVER=offscreen
echo "== 9 nodes, >1,000 messages in flight (live run, 600 frames)"
"$fl" viz "$top/bench/viz-9.json" --at 10000 --speed 1 --frames 600 --stats
echo "== seeking in a 10-minute trace"
"$fl" run "$top/scenarios/raft/nemesis-10min.json" --trace "$tmp/t.jsonl" --quiet >/dev/null
start=$(date +%s.%N)
"$fl" viz --trace "$tmp/t.jsonl" --frames 1 >/dev/null
end=$(date +%s.%N)
echo "loading and indexing the trace ($(du -m "$tmp/t.jsonl" | cut -f1) MB): $(awk "BEGIN { printf \"%.2f\", $end - $start }") s"
"$fl" viz --trace "$tmp/t.jsonl" --frames 8 --stats \
    --keys "@590000 @10000 @300000 @599000 @1000 @450000"
echo "(the max frame work time above is the slowest seek)"
echo "== the same seeks with the space-time diagram open (400 ms window)"
"$fl" viz --trace "$tmp/t.jsonl" --diagram --frames 8 --stats \
    --keys "@590000 @10000 @300000 @599000 @1000 @450000"
echo "== and zoomed out to a 400-second window (arrows capped at 6,000)"
"$fl" viz --trace "$tmp/t.jsonl" --diagram --frames 18 --stats \
    --keys "zoomout zoomout zoomout zoomout zoomout zoomout zoomout zoomout zoomout zoomout @590000 @10000 @300000 @599000 @1000 @450000"
