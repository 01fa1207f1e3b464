# The linearizability checker (being added).
libfl_a_SOURCES += sim/history.c
include sim/check/invariants.mk
