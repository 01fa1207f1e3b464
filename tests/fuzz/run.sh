#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] [HARNESS...] — build the libFuzzer harnesses
# with clang (ASan + UBSan + libFuzzer) and run each for SECONDS (default
# 60) on its corpus:
#   scenario  the scenario loader and binding      seeds: scenarios/**/*.json
#   suite     the suite loader                     seeds: scenarios/*/suite.json
#   history   every history reader (hist_read.h)   seeds: tests/fixtures histories
#   trace     the visualizer's trace reader        seeds: a few traces of shipped runs,
#                                                  JSON Lines and compact
#   tracez    the compact trace's record decoder   seeds: those compact traces
#             (input: the decompressed stream, compressed by the harness)
# Inputs that crashed once live in tests/fuzz/corpus/HARNESS/ (regression
# inputs, always run first); a new crash is written to
# tests/fuzz/corpus/HARNESS/crash-* and the script exits 1: fix the bug and
# keep the file. Needs clang and its libFuzzer runtime (Debian: clang,
# libclang-rt-14-dev or the runtime the clang package pulls in).
# Run from the top of a configured source tree (config.h): `make fuzz`.
set -u
secs=${1:-60}
shift || true
harnesses=${*:-scenario suite history trace tracez}
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cc=${FUZZ_CC:-clang}
build=${FUZZ_BUILD:-$PWD/tests/fuzz/build}
command -v "$cc" > /dev/null || { echo "fuzz: $cc not found (apt-get install clang)"; exit 77; }
[ -f config.h ] || { echo "fuzz: run from a configured tree (./configure first)"; exit 2; }
mkdir -p "$build/obj"

flags=(-g -O1 -std=gnu11 -fno-omit-frame-pointer -fsanitize=address,undefined
       -fno-sanitize-recover=undefined -DHAVE_CONFIG_H -I. -I"$src"
       $(pkg-config --cflags libcjson gsl libzstd 2>/dev/null))
libs=($(pkg-config --libs libcjson gsl libzstd 2>/dev/null) -lm -ldl)

# The library, instrumented once: everything but main() and the SDL parts
# of the visualizer (its trace reader is plain C).
sources=$(cd "$src" && ls sim/*.c sim/util/*.c sim/scenario/*.c sim/batch/*.c sim/run/*.c sim/check/*.c \
    sim/cli/*.c algorithms/*.c algorithms/*/*.c viz/parse.c viz/replay.c viz/model*.c \
    viz/msgindex.c 2>/dev/null | grep -Ev '^sim/cli/main.c$|/cmd_[a-z_]*\.c$|check_bench.c$')
# An object is stale when its source or any header is newer (no dependency
# tracking here: a changed struct must not leave old objects behind).
newest_h=$(cd "$src" && ls -t sim/*.h sim/*/*.h algorithms/*.h algorithms/*/*.h viz/*.h | head -1)
objs=()
for s in $sources; do
    o=$build/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')
    objs+=("$o")
    [ "$o" -nt "$src/$s" ] && [ "$o" -nt "$src/$newest_h" ] && continue
    "$cc" "${flags[@]}" -fsanitize=fuzzer-no-link -c "$src/$s" -o "$o" || exit 2
done

seed_corpus() {
    local h=$1 dir=$build/corpus/$h
    mkdir -p "$dir"
    case $h in
    scenario) find "$src/scenarios" -name '*.json' ! -name suite.json -exec cp {} "$dir/" \; ;;
    suite)    for f in "$src"/scenarios/*/suite.json; do cp "$f" "$dir/$(basename "$(dirname "$f")").json"; done ;;
    history)  find "$src/tests/fixtures" -type f \( -name '*.jsonl' -o -name '*.edn' -o -name '*.log' \) \
                  -size -64k -exec sh -c 'for f; do printf "\000" | cat - "$f" > "$0/$(basename "$f")"; done' "$dir" {} + ;;
    trace)    for s in raft/basic.json paxos/basic-single.json sort/basic.json kv/faults-tour.json; do
                  [ -f "$dir/${s%%/*}.jsonl" ] ||
                  ./faultline run "$src/scenarios/$s" --quiet --duration 300 \
                      --trace "$dir/${s%%/*}.jsonl" > /dev/null 2>&1
                  [ -f "$dir/${s%%/*}.fltrace" ] ||
                  ./faultline run "$src/scenarios/$s" --quiet --duration 300 \
                      --trace "$dir/${s%%/*}.fltrace" > /dev/null 2>&1
              done ;;
    tracez)   seed_corpus trace
              command -v zstd > /dev/null || return 0
              for f in "$build/corpus/trace"/*.fltrace; do
                  zstd -q -d -c "$f" > "$dir/$(basename "$f" .fltrace).raw" 2>/dev/null
              done ;;
    esac
}

status=0
for h in $harnesses; do
    bin=$build/fuzz_$h
    "$cc" "${flags[@]}" -fsanitize=fuzzer "$src/tests/fuzz/fuzz_$h.c" "${objs[@]}" \
        "${libs[@]}" -o "$bin" || exit 2
    seed_corpus "$h"
    reg=$src/tests/fuzz/corpus/$h
    mkdir -p "$reg"
    echo "fuzz: $h for $secs s"
    # 1: the regression inputs, each must pass
    if ls "$reg"/* > /dev/null 2>&1; then
        (cd "$build" && "$bin" -runs=0 "$reg"/*) > "$build/$h.regress.log" 2>&1 ||
            { echo "fuzz: $h: a regression input fails again (see $build/$h.regress.log)"; status=1; }
    fi
    # 2: fuzzing, new findings to the regression folder
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$reg/" -print_final_stats=1 "$build/corpus/$h" \
        > "$build/$h.log" 2>&1 ||
        { echo "fuzz: $h found a problem: $(ls -t "$reg" | head -1) (log: $build/$h.log)"; status=1; }
    grep -E "^stat::number_of_executed_units|^Done" "$build/$h.log" | tail -1
done
exit $status
