# The visualizer's tests. The core (model, trace reading, live stepping)
# is tested without SDL; the rendering tests need the SDL build and skip
# (passing) without it.
check_PROGRAMS += tests/test_viz_model
TESTS += tests/test_viz_model
tests_test_viz_model_SOURCES = tests/test_viz_model.c $(VIZ_CORE)
tests_test_viz_model_CFLAGS = $(TEST_CF)
tests_test_viz_model_LDADD = $(TEST_LIBS)
tests_test_viz_model_LDFLAGS = $(TEST_LD)

TESTS += tests/test_viz.sh
EXTRA_DIST += tests/test_viz.sh

if HAVE_SDL
check_PROGRAMS += tests/test_viz_render
TESTS += tests/test_viz_render
tests_test_viz_render_SOURCES = tests/test_viz_render.c $(VIZ_CORE) $(VIZ_LAYOUT)
tests_test_viz_render_CFLAGS = $(TEST_CF) $(SDL_CFLAGS)
tests_test_viz_render_LDADD = $(TEST_LIBS) $(SDL_LIBS)
tests_test_viz_render_LDFLAGS = $(TEST_LD)
endif
