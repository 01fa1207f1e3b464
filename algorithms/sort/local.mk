# The distributed sample sort (issue 9): roles coordinator and worker.
libfl_a_SOURCES += \
	algorithms/sort/sort.c algorithms/sort/sort.h algorithms/sort/contract.h \
	algorithms/sort/sort_table.h \
	algorithms/sort/codec.c \
	algorithms/sort/coordinator.c \
	algorithms/sort/worker.c

# What the algorithm must guarantee, checked after every event from views.
libfl_a_SOURCES += algorithms/sort/invariants.c algorithms/sort/invariants.h

# How the visualizer draws it (algorithms/viz_table.h).
libfl_a_SOURCES += algorithms/sort/viz_table.c
