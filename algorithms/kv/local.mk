libfl_a_SOURCES += algorithms/kv/kv.c algorithms/kv/kv.h
