# Byte encodings shared by the built-in algorithms (algorithms/wire/wire.h).
# Plug-in builds of an algorithm list $(WIRE_SOURCES) beside its own.
WIRE_SOURCES = algorithms/wire/wire.c algorithms/wire/wire.h
libfl_a_SOURCES += $(WIRE_SOURCES)
