# The utility room, below every other: one of each small helper (hashes,
# the growable-array helper, the whole-file reader, the hash map, output
# files, "did you mean" suggestions, a long run's allocator policy). It includes only the C library.
libfl_a_SOURCES += \
	sim/util/hash.c sim/util/hash.h \
	sim/util/vec.c sim/util/vec.h \
	sim/util/file.c sim/util/file.h \
	sim/util/idmap.c sim/util/idmap.h \
	sim/util/outfile.c sim/util/outfile.h \
	sim/util/suggest.c sim/util/suggest.h \
	sim/util/stats.c sim/util/stats.h \
	sim/util/heap.c sim/util/heap.h
