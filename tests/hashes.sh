#!/usr/bin/env bash
# Prints "scenario seed hash" for every shipped scenario outside bugs/ with
# two seeds, using the faultline binary given as $1. CI diffs two builds.
bin=$1
cd "$(dirname "$0")/.."
find scenarios -name '*.json' ! -path '*/bugs/*' ! -name 'suite.json' | LC_ALL=C sort | while read -r s; do
    for seed in 1 0x100000001; do
        h=$("$bin" run "$s" --seed "$seed" --quiet | sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p')
        echo "$s $seed $h"
    done
done
