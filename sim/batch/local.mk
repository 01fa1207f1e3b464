# The batch room: forked children, suites, seed lists, sweeps, shrinking,
# grade reports, progress lines, and outcomes (a run reduced to plain data
# a child sends back).
libfl_a_SOURCES += \
	sim/batch/child.c sim/batch/child.h \
	sim/batch/sandbox.c sim/batch/sandbox.h \
	sim/batch/seeds.c sim/batch/seeds.h \
	sim/batch/suite.c sim/batch/suite.h \
	sim/batch/progress.c sim/batch/progress.h \
	sim/batch/grade.h sim/batch/grade_report.c \
	sim/batch/sweep.c sim/batch/sweep.h \
	sim/batch/tally.c sim/batch/tally.h \
	sim/batch/shrink.c sim/batch/shrink.h \
	sim/batch/unnemesis.c sim/batch/unnemesis.h \
	sim/batch/search.c sim/batch/search.h \
	sim/batch/outcome.c sim/batch/outcome.h
