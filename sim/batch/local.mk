# The batch room: forked children, suites, seed lists, sweeps, shrinking,
# grade reports and progress lines.
libfl_a_SOURCES += \
	sim/batch/child.c sim/batch/child.h \
	sim/batch/sandbox.c sim/batch/sandbox.h \
	sim/batch/seeds.c sim/batch/seeds.h \
	sim/batch/suite.c sim/batch/suite.h \
	sim/batch/progress.c sim/batch/progress.h \
	sim/batch/grade.h sim/batch/grade_report.c \
	sim/batch/sweep.c sim/batch/sweep.h \
	sim/batch/shrink.c sim/batch/shrink.h \
	sim/batch/unnemesis.c sim/batch/unnemesis.h \
	sim/batch/search.c sim/batch/search.h
