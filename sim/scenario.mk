# sim/scenario.mk — the strict scenario loader (included from sim/local.mk).
libfl_a_SOURCES += sim/scenario.c sim/scenario.h
