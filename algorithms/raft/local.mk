# Raft (issue 4): the built-in algorithm in libfl.a, and the very same
# sources as a dlopen()able plug-in, algorithms/raft/.libs/raft.so, that
# tests run through the plug-in path (`faultline run --impl ...`).
RAFT_SOURCES = \
	algorithms/raft/raft.c algorithms/raft/raft.h \
	algorithms/raft/raft_table.h \
	algorithms/raft/params.c \
	algorithms/raft/election.c \
	algorithms/raft/replicate.c \
	algorithms/raft/client.c \
	algorithms/raft/codec.c algorithms/raft/codec.h \
	algorithms/raft/log.c algorithms/raft/log.h \
	algorithms/raft/sm.h algorithms/raft/sm_kv.c \
	algorithms/raft/storage.c algorithms/raft/storage.h
libfl_a_SOURCES += $(RAFT_SOURCES)

# The plug-in. Its own CFLAGS give its objects distinct names (raft_la-*),
# and -fvisibility=hidden keeps every symbol but fl_algorithm_entry local,
# so it never binds to the executable's copy of the same functions.
# (If another fragment also builds a plug-in, move the "=" to Makefile.am.)
noinst_LTLIBRARIES = algorithms/raft/raft.la
algorithms_raft_raft_la_SOURCES = $(RAFT_SOURCES) $(WIRE_SOURCES) $(KVSM_SOURCES) $(PARAMS_SOURCES) algorithms/raft/plugin.c
algorithms_raft_raft_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
algorithms_raft_raft_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
algorithms_raft_raft_la_LIBADD = $(CJSON_LIBS)

# What the algorithm must guarantee, checked after every event from views.
libfl_a_SOURCES += algorithms/raft/invariants.c algorithms/raft/invariants.h \
	algorithms/raft/rules.c algorithms/raft/rules_log.c algorithms/raft/rules_timer.c algorithms/raft/rules_quorum.c algorithms/raft/rules_snap.c algorithms/raft/rules_shadow.c algorithms/raft/rules.h algorithms/raft/features.c \
	algorithms/raft/contract.h
