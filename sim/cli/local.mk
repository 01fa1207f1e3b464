# The command-line room: one file per command (sim/cli/cmd_NAME.c), the
# command table (main.c) and the data directory.
libfl_a_SOURCES += \
	sim/cli/cli.h \
	sim/cli/datadir.c sim/cli/datadir.h \
	sim/cli/cmd_run.c sim/cli/cmd_list.c sim/cli/cmd_bench.c \
	sim/cli/cmd_experiment.c sim/cli/exp_hashing.c sim/cli/exp_hashing.h \
	sim/cli/cmd_grade.c sim/cli/cmd_explore.c \
	sim/cli/cmd_shrink.c sim/cli/cmd_diff.c sim/cli/cmd_trace.c sim/cli/cmd_new.c \
	sim/cli/cmd_merge.c sim/cli/cmd_viz.c sim/cli/cmd_check.c sim/cli/cmd_check.h sim/cli/cmd_search.c \
	sim/cli/args.c sim/cli/args.h
