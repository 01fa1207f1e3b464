# The engine: clock, queue, rng streams, network, nodes, disks, faults,
# clients, history and trace. Each room below it keeps its own fragment.
libfl_a_SOURCES += \
	sim/error.c sim/error.h \
	sim/rng.c sim/rng.h \
	sim/keys.c sim/keys.h \
	sim/queue.c sim/queue.h \
	sim/disk.c sim/disk.h \
	sim/trace.c sim/trace.h \
	sim/trace_compact.c sim/trace_compact_dec.c sim/trace_compact.h sim/trace_compact_internal.h \
	sim/trace_hash.h \
	sim/traceio.c sim/traceio.h \
	sim/engine.c sim/engine.h sim/engine_internal.h \
	sim/node.c sim/ctx.c sim/observe.c \
	sim/net.c sim/msg.c sim/fault.c sim/client.c \
	sim/manual.c sim/manual.h \
	sim/history.h sim/stepinfo.h
include sim/util/local.mk
include sim/scenario/local.mk
include sim/run/local.mk
include sim/batch/local.mk
include sim/cli/local.mk

# `faultline new` skeletons include <faultline/algorithm.h>: the build tree
# gets its own include/faultline/ (as PREFIX/include gets at install), so a
# skeleton builds before anything is installed. `faultline grade --algorithm
# A` and `faultline new` look for scenarios/ and templates/ beside the
# executable, then in PREFIX/share/faultline: install them there, with the
# JSON schemas (docs/), the example report and the experiment data and plot
# scripts (notebooks-data/). `faultline list` finds them the same way.
EXTRA_faultline_DEPENDENCIES = include/faultline/algorithm.h \
	include/faultline/raft.h include/faultline/paxos.h include/faultline/lock.h \
	include/faultline/counter.h include/faultline/sort.h
CLEANFILES += include/faultline/algorithm.h include/faultline/raft.h \
	include/faultline/paxos.h include/faultline/lock.h \
	include/faultline/counter.h include/faultline/sort.h
include/faultline/algorithm.h: $(top_srcdir)/algorithms/algorithm.h
	$(AM_V_GEN)$(MKDIR_P) include/faultline && cp $(top_srcdir)/algorithms/algorithm.h $@
# The per-algorithm contracts (issue 14), installed under their family's name.
include/faultline/raft.h: $(top_srcdir)/algorithms/raft/contract.h
	$(AM_V_GEN)$(MKDIR_P) include/faultline && cp $(top_srcdir)/algorithms/raft/contract.h $@
include/faultline/paxos.h: $(top_srcdir)/algorithms/paxos/contract.h
	$(AM_V_GEN)$(MKDIR_P) include/faultline && cp $(top_srcdir)/algorithms/paxos/contract.h $@
include/faultline/lock.h: $(top_srcdir)/algorithms/lock/contract.h
	$(AM_V_GEN)$(MKDIR_P) include/faultline && cp $(top_srcdir)/algorithms/lock/contract.h $@
include/faultline/counter.h: $(top_srcdir)/algorithms/counter/contract.h
	$(AM_V_GEN)$(MKDIR_P) include/faultline && cp $(top_srcdir)/algorithms/counter/contract.h $@
include/faultline/sort.h: $(top_srcdir)/algorithms/sort/contract.h
	$(AM_V_GEN)$(MKDIR_P) include/faultline && cp $(top_srcdir)/algorithms/sort/contract.h $@
install-data-local:
	$(MKDIR_P) $(DESTDIR)$(pkgdatadir)/docs
	cp -R $(srcdir)/scenarios $(srcdir)/templates $(srcdir)/notebooks-data \
		$(DESTDIR)$(pkgdatadir)/
	cp $(srcdir)/docs/*.schema.json $(srcdir)/docs/check-example.html \
		$(DESTDIR)$(pkgdatadir)/docs/
	chmod -R u+w,go+rX $(DESTDIR)$(pkgdatadir)
uninstall-local:
	rm -rf $(DESTDIR)$(pkgdatadir)/scenarios $(DESTDIR)$(pkgdatadir)/templates \
		$(DESTDIR)$(pkgdatadir)/notebooks-data $(DESTDIR)$(pkgdatadir)/docs
