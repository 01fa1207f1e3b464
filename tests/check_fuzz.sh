#!/bin/sh
# tests/check_fuzz.sh [N [SEED]] — the checker's differential fuzz at
# length: N random histories per format (default 20000; 5 formats), each
# checked by `faultline check`'s readers and checker and by the exhaustive
# reference checker in tests/test_check_fuzz.c. Prints how long it took.
# Run from the build tree after `make check` (or `make tests/test_check_fuzz`).
n=${1:-20000}
seed=${2:-1}
prog=${FUZZ_PROG:-tests/test_check_fuzz}
if [ ! -x "$prog" ]; then
    echo "check_fuzz.sh: $prog is not built (make tests/test_check_fuzz)" >&2
    exit 2
fi
start=$(date +%s%N)
"$prog" "$n" "$seed"
rc=$?
end=$(date +%s%N)
echo "check_fuzz.sh: $n per format, seed $seed: $(( (end - start) / 1000000 )) ms"
exit $rc
