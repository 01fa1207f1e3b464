# The run room: one run object (engine + checks + verdict, run.h), the
# world the invariants read, and plug-in loading.
libfl_a_SOURCES += \
	sim/run/run.c sim/run/run.h \
	sim/run/world.c sim/run/world.h \
	sim/run/registry.c sim/run/registry.h \
	sim/run/invcheck.c sim/run/invcheck.h \
	sim/run/lincheck.c sim/run/lincheck.h \
	sim/run/liveness.c sim/run/liveness.h
