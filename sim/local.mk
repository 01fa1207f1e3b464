# The engine and the command line.
libfl_a_SOURCES += \
	sim/error.c sim/error.h \
	sim/rng.c sim/rng.h \
	sim/queue.c sim/queue.h \
	sim/disk.c sim/disk.h \
	sim/trace.c sim/trace.h \
	sim/engine.c sim/engine.h sim/engine_internal.h \
	sim/net.c sim/fault.c sim/client.c \
	sim/registry.c sim/registry.h \
	sim/cli.h sim/cmd_run.c sim/cmd_list.c sim/cmd_bench.c sim/cmd_experiment.c \
	sim/history.h \
	sim/check/invcheck.c sim/check/invcheck.h sim/check/lincheck.c sim/check/lincheck.h
include sim/scenario.mk
libfl_a_SOURCES += sim/child.c sim/child.h sim/outcome.c sim/outcome.h sim/liveness.c sim/liveness.h sim/outfile.c sim/outfile.h sim/seeds.c sim/seeds.h sim/suite.c sim/suite.h sim/datadir.c sim/datadir.h sim/progress.c sim/progress.h sim/grade.h sim/grade_report.c sim/cmd_grade.c sim/sweep.c sim/sweep.h sim/cmd_explore.c sim/shrink.c sim/shrink.h sim/cmd_shrink.c sim/cmd_diff.c sim/cmd_new.c

# `faultline new` skeletons include <faultline/algorithm.h>: the build tree
# gets its own include/faultline/ (as PREFIX/include gets at install), so a
# skeleton builds before anything is installed. `faultline grade --algorithm
# A` and `faultline new` look for scenarios/ and templates/ beside the
# executable, then in PREFIX/share/faultline: install them there.
EXTRA_faultline_DEPENDENCIES = include/faultline/algorithm.h
CLEANFILES += include/faultline/algorithm.h
include/faultline/algorithm.h: $(top_srcdir)/algorithms/algorithm.h
	$(AM_V_GEN)$(MKDIR_P) include/faultline && cp $(top_srcdir)/algorithms/algorithm.h $@
install-data-local:
	$(MKDIR_P) $(DESTDIR)$(pkgdatadir)
	cp -R $(srcdir)/scenarios $(srcdir)/templates $(DESTDIR)$(pkgdatadir)/
	chmod -R u+w,go+rX $(DESTDIR)$(pkgdatadir)
uninstall-local:
	rm -rf $(DESTDIR)$(pkgdatadir)/scenarios $(DESTDIR)$(pkgdatadir)/templates
