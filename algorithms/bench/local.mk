libfl_a_SOURCES += algorithms/bench/bench.c algorithms/bench/bench.h
