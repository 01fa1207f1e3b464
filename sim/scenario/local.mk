# The scenario room: strict loading of scenario files (scenario.c and the
# section parsers beside it) and binding them to an algorithm (bind.c).
libfl_a_SOURCES += \
	sim/scenario/scenario.c sim/scenario/scenario.h \
	sim/scenario/loader.c sim/scenario/loader.h \
	sim/scenario/nodes.c sim/scenario/network.c sim/scenario/faults.c \
	sim/scenario/schedule.c sim/scenario/bind.c
