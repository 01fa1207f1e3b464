# Benchmarks: the bare-heap baseline the engine is compared with (also run
# by `faultline bench`), and the fresh-process measurement helpers.
libfl_a_SOURCES += bench/heap_baseline.c bench/heap_baseline.h \
	sim/cli/bench_proc.c sim/cli/bench_proc.h
noinst_PROGRAMS = bench/heap_baseline
bench_heap_baseline_SOURCES = bench/heap_baseline_main.c bench/heap_baseline.c \
	bench/heap_baseline.h
