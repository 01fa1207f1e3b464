# The run room: one run object (engine + checks + verdict), the built-in
# table and plug-in loading.
libfl_a_SOURCES += \
	sim/run/registry.c sim/run/registry.h \
	sim/run/invariants.c \
	sim/run/invcheck.c sim/run/invcheck.h \
	sim/run/lincheck.c sim/run/lincheck.h \
	sim/run/liveness.c sim/run/liveness.h \
	sim/run/outcome.c sim/run/outcome.h
