# Grading and the bug-hunting tools (issue 6): faultline grade, explore,
# merge, shrink, diff and new.
#
# The honesty proof needs implementations with known mistakes. They are
# the reference Raft plus one hand-written mistake each (tests/plugins/
# student_*.c); Raft's sources are compiled once more into a convenience
# library of PIC objects that each of them links.
TESTS += tests/test_grade.sh tests/test_grade_tools.sh tests/test_reports.sh
EXTRA_DIST += tests/test_grade.sh tests/test_grade_tools.sh tests/test_reports.sh tests/grade templates \
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
