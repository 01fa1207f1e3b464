# The SDL2 visualizer. `faultline viz` exists in every build (viz_cmd.c);
# without SDL it says what to install and exits 2. With SDL it execs
# faultline-viz, the same program plus the visualizer, installed beside it:
# so no other command loads SDL and its libraries (start-up, issue 18).
# The core (the recorded stream, trace reading, live stepping) needs no
# SDL and is also compiled into tests/test_viz_model.
faultline_SOURCES += viz/viz_cmd.c
VIZ_CORE = \
	viz/vec.h viz/msgindex.c viz/msgindex.h \
	viz/model.c viz/model_msg.c viz/model_ops.c viz/model_state.c \
	viz/model_log.c viz/model.h viz/model_internal.h \
	viz/parse.c viz/parse.h \
	viz/replay.c viz/replay.h viz/cause.c viz/cause.h \
	viz/live.c viz/live.h \
	viz/ring.c viz/ring.h
VIZ_LAYOUT = viz/layout.c viz/layout.h viz/theme.h \
	viz/diagram.c viz/diagram.h viz/svg.c viz/alg_view.c viz/alg_view.h
if HAVE_SDL
bin_PROGRAMS += faultline-viz
faultline_CFLAGS = $(AM_CFLAGS) -DFL_VIZ_EXEC
faultline_viz_SOURCES = sim/cli/main.c viz/viz_cmd.c $(VIZ_CORE) $(VIZ_LAYOUT) \
	viz/viz.c viz/viz.h viz/window.c viz/input.c \
	viz/geom.c viz/geom.h viz/sprite.c viz/sprite.h viz/text.c viz/text.h \
	viz/draw.h viz/render.c \
	viz/draw_cluster.c viz/draw_logs.c viz/draw_diagram.c viz/draw_ring.c viz/panel.c \
	viz/timeline.c
faultline_viz_CFLAGS = $(AM_CFLAGS) $(SDL_CFLAGS)
faultline_viz_LDADD = libfl.a $(CJSON_LIBS) $(GSL_LIBS) $(ZSTD_LIBS) $(SDL_LIBS)
faultline_viz_LDFLAGS = $(AM_LDFLAGS) -rdynamic
endif
EXTRA_DIST += viz/README.md docs/img/shots.txt docs/img/render.sh
