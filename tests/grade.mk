# Grading and the bug-hunting tools (issue 6): faultline grade, explore,
# merge, shrink, diff and new.
#
# The honesty proof needs implementations with known mistakes. They are
# the reference Raft plus one hand-written mistake each (tests/plugins/
# student_*.c); Raft's sources are compiled once more into a convenience
# library of PIC objects that each of them links.
TESTS += tests/test_grade.sh tests/test_grade_tools.sh tests/test_reports.sh tests/test_grade_search.sh \
	tests/test_sweep.sh
# shrink expands a nemesis, drops unmet liveness bounds and reports the
# failure of the shrunk run, which replays to the same check.
TESTS += tests/test_shrink.sh
EXTRA_DIST += tests/test_shrink.sh tests/fixtures/shrink
EXTRA_DIST += tests/test_grade.sh tests/test_grade_tools.sh tests/test_reports.sh tests/test_grade_search.sh \
	tests/test_sweep.sh tests/grade templates \
	tests/plugins/student_wrap.h

check_LTLIBRARIES += tests/plugins/libraftref.la
tests_plugins_libraftref_la_SOURCES = $(RAFT_SOURCES) $(WIRE_SOURCES) $(KVSM_SOURCES) $(PARAMS_SOURCES)
tests_plugins_libraftref_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden

GRADE_PLUGIN_CF = $(AM_CFLAGS) -fvisibility=hidden
GRADE_PLUGIN_LD = -module -avoid-version -shared -rpath /nowhere
GRADE_PLUGIN_LIBS = tests/plugins/libraftref.la $(CJSON_LIBS)

# Hand-written mistakes.
check_LTLIBRARIES += tests/plugins/student_nopersist.la tests/plugins/student_segv.la \
	tests/plugins/student_loop.la tests/plugins/student_global.la \
	tests/plugins/student_memhog.la
tests_plugins_student_nopersist_la_SOURCES = tests/plugins/student_nopersist.c
tests_plugins_student_nopersist_la_CFLAGS = $(GRADE_PLUGIN_CF)
tests_plugins_student_nopersist_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_nopersist_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_student_segv_la_SOURCES = tests/plugins/student_segv.c
tests_plugins_student_segv_la_CFLAGS = $(GRADE_PLUGIN_CF)
tests_plugins_student_segv_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_segv_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_student_loop_la_SOURCES = tests/plugins/student_loop.c
tests_plugins_student_loop_la_CFLAGS = $(GRADE_PLUGIN_CF)
tests_plugins_student_loop_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_loop_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_student_global_la_SOURCES = tests/plugins/student_global.c
tests_plugins_student_global_la_CFLAGS = $(GRADE_PLUGIN_CF)
tests_plugins_student_global_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_global_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_student_memhog_la_SOURCES = tests/plugins/student_memhog.c
tests_plugins_student_memhog_la_CFLAGS = $(GRADE_PLUGIN_CF)
tests_plugins_student_memhog_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_memhog_la_LIBADD = $(GRADE_PLUGIN_LIBS)

# Raft's bug switches, each always on, as if a student had made that mistake.
check_LTLIBRARIES += tests/plugins/student_bug_vote_twice.la \
	tests/plugins/student_bug_no_persist.la tests/plugins/student_bug_commit_old_term.la \
	tests/plugins/student_bug_no_up_to_date_check.la tests/plugins/student_bug_no_truncate.la
tests_plugins_student_bug_vote_twice_la_SOURCES = tests/plugins/student_bugswitch.c
tests_plugins_student_bug_vote_twice_la_CFLAGS = $(GRADE_PLUGIN_CF) -DSTUDENT_BUG='"vote-twice"'
tests_plugins_student_bug_vote_twice_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_bug_vote_twice_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_student_bug_no_persist_la_SOURCES = tests/plugins/student_bugswitch.c
tests_plugins_student_bug_no_persist_la_CFLAGS = $(GRADE_PLUGIN_CF) -DSTUDENT_BUG='"no-persist"'
tests_plugins_student_bug_no_persist_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_bug_no_persist_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_student_bug_commit_old_term_la_SOURCES = tests/plugins/student_bugswitch.c
tests_plugins_student_bug_commit_old_term_la_CFLAGS = $(GRADE_PLUGIN_CF) -DSTUDENT_BUG='"commit-old-term"'
tests_plugins_student_bug_commit_old_term_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_bug_commit_old_term_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_student_bug_no_up_to_date_check_la_SOURCES = tests/plugins/student_bugswitch.c
tests_plugins_student_bug_no_up_to_date_check_la_CFLAGS = $(GRADE_PLUGIN_CF) -DSTUDENT_BUG='"no-up-to-date-check"'
tests_plugins_student_bug_no_up_to_date_check_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_bug_no_up_to_date_check_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_student_bug_no_truncate_la_SOURCES = tests/plugins/student_bugswitch.c
tests_plugins_student_bug_no_truncate_la_CFLAGS = $(GRADE_PLUGIN_CF) -DSTUDENT_BUG='"no-truncate"'
tests_plugins_student_bug_no_truncate_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_bug_no_truncate_la_LIBADD = $(GRADE_PLUGIN_LIBS)

# Issue 14: mistakes the rule and feature checks must catch (tests/test_students.sh),
# two hand-written and the rest as Raft bug switches always on.
TESTS += tests/test_students.sh tests/test_mutants.sh
EXTRA_DIST += tests/test_students.sh tests/test_mutants.sh tests/mutants.sh tests/sweep.sh
check_LTLIBRARIES += tests/plugins/student_ignore_features.la tests/plugins/student_vote_forget.la
tests_plugins_student_ignore_features_la_SOURCES = tests/plugins/student_ignore_features.c
tests_plugins_student_ignore_features_la_CFLAGS = $(GRADE_PLUGIN_CF)
tests_plugins_student_ignore_features_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_ignore_features_la_LIBADD = $(GRADE_PLUGIN_LIBS)
tests_plugins_student_vote_forget_la_SOURCES = tests/plugins/student_vote_forget.c
tests_plugins_student_vote_forget_la_CFLAGS = $(GRADE_PLUGIN_CF)
tests_plugins_student_vote_forget_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_vote_forget_la_LIBADD = $(GRADE_PLUGIN_LIBS)
check_LTLIBRARIES += tests/plugins/student_bug_reply_before_sync.la
tests_plugins_student_bug_reply_before_sync_la_SOURCES = tests/plugins/student_bugswitch.c
tests_plugins_student_bug_reply_before_sync_la_CFLAGS = $(GRADE_PLUGIN_CF) -DSTUDENT_BUG='"reply-before-sync"'
tests_plugins_student_bug_reply_before_sync_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_bug_reply_before_sync_la_LIBADD = $(GRADE_PLUGIN_LIBS)
check_LTLIBRARIES += tests/plugins/student_bug_single_meta_slot.la
tests_plugins_student_bug_single_meta_slot_la_SOURCES = tests/plugins/student_bugswitch.c
tests_plugins_student_bug_single_meta_slot_la_CFLAGS = $(GRADE_PLUGIN_CF) -DSTUDENT_BUG='"single-meta-slot"'
tests_plugins_student_bug_single_meta_slot_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_bug_single_meta_slot_la_LIBADD = $(GRADE_PLUGIN_LIBS)
check_LTLIBRARIES += tests/plugins/student_bug_ignore_reply_term.la
tests_plugins_student_bug_ignore_reply_term_la_SOURCES = tests/plugins/student_bugswitch.c
tests_plugins_student_bug_ignore_reply_term_la_CFLAGS = $(GRADE_PLUGIN_CF) -DSTUDENT_BUG='"ignore-reply-term"'
tests_plugins_student_bug_ignore_reply_term_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_bug_ignore_reply_term_la_LIBADD = $(GRADE_PLUGIN_LIBS)
check_LTLIBRARIES += tests/plugins/student_bug_commit_no_min.la
tests_plugins_student_bug_commit_no_min_la_SOURCES = tests/plugins/student_bugswitch.c
tests_plugins_student_bug_commit_no_min_la_CFLAGS = $(GRADE_PLUGIN_CF) -DSTUDENT_BUG='"commit-no-min"'
tests_plugins_student_bug_commit_no_min_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_bug_commit_no_min_la_LIBADD = $(GRADE_PLUGIN_LIBS)
check_LTLIBRARIES += tests/plugins/student_bug_readindex_no_confirm.la
tests_plugins_student_bug_readindex_no_confirm_la_SOURCES = tests/plugins/student_bugswitch.c
tests_plugins_student_bug_readindex_no_confirm_la_CFLAGS = $(GRADE_PLUGIN_CF) -DSTUDENT_BUG='"readindex-no-confirm"'
tests_plugins_student_bug_readindex_no_confirm_la_LDFLAGS = $(GRADE_PLUGIN_LD)
tests_plugins_student_bug_readindex_no_confirm_la_LIBADD = $(GRADE_PLUGIN_LIBS)

# The mutation score of every built-in suite, every switch through the whole
# suite (a few minutes); tests/test_mutants.sh is its fast form.
mutation: faultline$(EXEEXT)
	bash $(srcdir)/tests/mutants.sh ./faultline$(EXEEXT) --jobs 2
.PHONY: mutation

# The no-false-alarm sweep: every scenario a suite uses, seeds 1-SWEEP_SEEDS,
# with and without the nemesis, every seed must pass (tests/sweep.sh; about
# an hour of CPU at 2,000 seeds). tests/test_sweep.sh runs its smoke.
SWEEP_SEEDS = 2000
sweep: faultline$(EXEEXT)
	bash $(srcdir)/tests/sweep.sh ./faultline$(EXEEXT) --seeds $(SWEEP_SEEDS) --jobs 2
.PHONY: sweep
# From the outside: lock, CRDT counter and sort plug-ins written from
# the installed headers, with one-mistake copies (tests/test_outside_plugins.sh).
TESTS += tests/test_outside_plugins.sh
EXTRA_DIST += tests/test_outside_plugins.sh tests/plugins/outside/crdt.c \
	tests/plugins/outside/sort.c tests/plugins/outside/lock.c \
	tests/plugins/outside/ctr_raft.c
