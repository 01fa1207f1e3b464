# The engine and the command line.
libfl_a_SOURCES += \
	sim/error.c sim/error.h \
	sim/rng.c sim/rng.h \
	sim/queue.c sim/queue.h \
	sim/disk.c sim/disk.h \
	sim/trace.c sim/trace.h \
	sim/engine.c sim/engine.h sim/engine_internal.h \
	sim/net.c sim/fault.c sim/client.c \
	sim/registry.c sim/registry.h \
	sim/cli.h sim/cmd_run.c sim/cmd_list.c sim/cmd_bench.c sim/cmd_experiment.c \
	sim/history.h \
	sim/check/invcheck.c sim/check/invcheck.h sim/check/lincheck.c sim/check/lincheck.h
include sim/scenario.mk
