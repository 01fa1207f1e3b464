# The scenario room: strict loading of scenario files and binding them to
# an algorithm.
libfl_a_SOURCES += sim/scenario/scenario.c sim/scenario/scenario.h
