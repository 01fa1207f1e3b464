#!/bin/sh
# check_bench.sh [DATADIR] [REPS] — times the linearizability checker on
# Porcupine's histories, as `faultline check --bench DATADIR --reps REPS`
# does: every file partitioned, every kv/ file whole too, the median (and
# min) of REPS runs, peak memory, and the ratios to Porcupine's figures.
# Builds a small driver from the sources with -O2, so it works before or
# without `make`.
#   DATADIR  default: ../shared/data/porcupine beside the source tree
#   REPS     default: 7
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$top/../shared/data/porcupine}
reps=${2:-7}
if [ ! -d "$data/jepsen" ]; then
    echo "check_bench.sh: $data/jepsen: no such directory" >&2
    exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cat > "$tmp/main.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include "sim/check/cmd_check.h"
int main(int argc, char **argv)
{
    fl_check_bench_opts o = { .reps = argc == 3 ? atoi(argv[2]) : 0 };
    return argc == 3 ? fl_check_bench(argv[1], &o, stdout) : 2;
}
C
srcs="sim/error.c sim/history.c sim/check/linop.c sim/check/lin.c
      sim/check/lin_tables.c sim/check/lin_search.c sim/check/lin_report.c
      sim/check/lin_html.c sim/check/models.c sim/check/model_register.c
      sim/check/model_kv.c sim/check/model_lock.c sim/check/model_counter.c
      sim/check/model_set.c sim/check/model_mutex.c sim/check/model_multireg.c
      sim/check/hist_read.c sim/check/hist_pair.c sim/check/hist_map.c
      sim/check/hist_edn.c sim/check/hist_jsonl.c sim/check/hist_etcd.c
      sim/check/check_bench.c"
cd "$top"
# shellcheck disable=SC2086
${CC:-cc} -std=gnu11 -O2 -ffp-contract=off -I"$top" \
    $(pkg-config --cflags libcjson) "$tmp/main.c" $srcs -o "$tmp/bench" \
    $(pkg-config --libs libcjson) -lm -lpthread
echo "faultline linearizability checker on $(cd "$data" && pwd), $reps runs:"
"$tmp/bench" "$data" "$reps"
# Whole-process times (start-up, reading and checking), median of REPS
# runs of the built ./faultline, where there is one.
fl=$top/faultline
[ -x "$fl" ] || exit 0
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
whole() {
    label=$1; shift
    i=0
    while [ $i -lt "$reps" ]; do
        s=$(date +%s%N)
        "$fl" check "$@" > /dev/null 2>&1
        e=$(date +%s%N)
        echo $(( (e - s) / 1000 ))
        i=$((i + 1))
    done | median | awk -v l="$label" '{ printf "  %-44s %9.1f ms\n", l, $1 / 1000 }'
}
echo
echo "whole process, median of $reps (./faultline check ...):"
whole "50 etcd logs, one process" "$data"/jepsen/etcd_*.log
whole "jepsen/etcd_000.log (NO)" "$data/jepsen/etcd_000.log"
whole "kv/c50-ok.txt, by key" "$data/kv/c50-ok.txt"
whole "kv/c10-ok.txt, whole" "$data/kv/c10-ok.txt" --no-partition
whole "kv/c10-bad.txt (NO)" "$data/kv/c10-bad.txt"
whole "kv/c01-bad.txt (NO)" "$data/kv/c01-bad.txt"
