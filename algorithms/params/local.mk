# Reading algorithms' scenario "params" (algorithms/params/params.h).
# Plug-in builds of an algorithm list $(PARAMS_SOURCES) beside their own.
PARAMS_SOURCES = algorithms/params/params.c algorithms/params/params.h
libfl_a_SOURCES += $(PARAMS_SOURCES)
