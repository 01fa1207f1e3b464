# Hostile plug-ins (issue 17): the reference Raft plus one hostile act
# each (tests/plugins/hostile.c, -DHOSTILE_<ACT>); tests/test_hostile.sh
# runs each under `faultline run --impl` and `faultline grade`.
TESTS += tests/test_hostile.sh tests/test_outfile.sh tests/test_absurd.sh
EXTRA_DIST += tests/test_hostile.sh tests/test_outfile.sh tests/test_absurd.sh tests/hostile
HOSTILE_PLUGINS = tests/plugins/hostile_segv.la \
	tests/plugins/hostile_abort.la \
	tests/plugins/hostile_exit0.la \
	tests/plugins/hostile_loop.la \
	tests/plugins/hostile_sleep.la \
	tests/plugins/hostile_alloc.la \
	tests/plugins/hostile_stack.la \
	tests/plugins/hostile_storm.la \
	tests/plugins/hostile_fork.la \
	tests/plugins/hostile_fork_continue.la \
	tests/plugins/hostile_flood.la \
	tests/plugins/hostile_huge_msg.la \
	tests/plugins/hostile_randtime.la \
	tests/plugins/hostile_initfail.la
check_LTLIBRARIES += $(HOSTILE_PLUGINS)
tests_plugins_hostile_segv_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_segv_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_SEGV
tests_plugins_hostile_segv_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_segv_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_abort_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_abort_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_ABORT
tests_plugins_hostile_abort_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_abort_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_exit0_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_exit0_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_EXIT0
tests_plugins_hostile_exit0_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_exit0_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_loop_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_loop_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_LOOP
tests_plugins_hostile_loop_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_loop_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_sleep_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_sleep_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_SLEEP
tests_plugins_hostile_sleep_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_sleep_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_alloc_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_alloc_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_ALLOC
tests_plugins_hostile_alloc_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_alloc_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_stack_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_stack_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_STACK
tests_plugins_hostile_stack_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_stack_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_storm_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_storm_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_STORM
tests_plugins_hostile_storm_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_storm_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_fork_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_fork_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_FORK
tests_plugins_hostile_fork_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_fork_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_fork_continue_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_fork_continue_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_FORK_CONTINUE
tests_plugins_hostile_fork_continue_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_fork_continue_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_flood_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_flood_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_FLOOD
tests_plugins_hostile_flood_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_flood_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_huge_msg_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_huge_msg_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_HUGE_MSG
tests_plugins_hostile_huge_msg_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_huge_msg_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_randtime_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_randtime_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_RANDTIME
tests_plugins_hostile_randtime_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_randtime_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_hostile_initfail_la_SOURCES = tests/plugins/hostile.c
tests_plugins_hostile_initfail_la_CFLAGS = $(GRADE_PLUGIN_CF) -DHOSTILE_INITFAIL
tests_plugins_hostile_initfail_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_hostile_initfail_la_LIBADD = $(GRADE_PLUGIN_LIBS)
# libFuzzer harnesses (tests/fuzz/): `make fuzz` runs each for FUZZ_SECONDS.
FUZZ_SECONDS = 60
EXTRA_DIST += tests/fuzz
fuzz: faultline
	bash $(srcdir)/tests/fuzz/run.sh $(FUZZ_SECONDS)
.PHONY: fuzz
