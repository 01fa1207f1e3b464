/* test_viz_render.c — screenshots rendered by `faultline viz` are checked
 * pixel by pixel against the run: after the first election exactly one
 * server is drawn in the leader colour (the one the model says leads); a
 * crashed server is drawn in the crashed colour; a paused one in the
 * paused mix; a partition draws cut marks on the links it cuts and none
 * on the links it leaves alone. Node positions come from the same layout
 * code the visualizer uses. Needs the SDL build. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/cu.h"
#include "viz/layout.h"
#include "viz/live.h"
#include "viz/theme.h"

#define W 1280
#define H 800

typedef struct shot {
    SDL_Surface *surf;        /* ARGB8888 */
    viz_layout   lay;
    viz_live    *live;
    viz_state   *st;
} shot;

static const char *faultline(void)
{
    const char *f = getenv("FAULTLINE");
    return f ? f : "./faultline";
}

/* Renders SCENARIO at `ms` with the real binary and loads the PNG. */
static bool take(shot *s, const char *rel, int ms)
{
    memset(s, 0, sizeof *s);
    char scen[1024], png[] = "/tmp/fl-viz-shot-XXXXXX.png", cmd[4096];
    snprintf(scen, sizeof scen, "%s/scenarios/%s", fl_cu_srcdir(), rel);
    int fd = mkstemps(png, 4);
    if (fd < 0)
        return false;
    close(fd);
    snprintf(cmd, sizeof cmd, "%s viz '%s' --screenshot '%s' --at-ms %d --size %dx%d > /dev/null",
             faultline(), scen, png, ms, W, H);
    if (system(cmd) != 0) {
        unlink(png);
        return false;
    }
    SDL_Surface *raw = IMG_Load(png);
    unlink(png);
    if (!raw)
        return false;
    s->surf = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    fl_error err = { { 0 } };
    viz_live_opts o = { scen, 0, false, NULL };
    s->live = viz_live_open(&o, NULL, &err);
    if (!s->surf || !s->live || viz_live_advance(s->live, FL_MS(ms) + FL_SEC(1), &err) < 0)
        return false;
    const viz_model *m = viz_live_model(s->live);
    s->st = viz_state_new(m);
    viz_model_state_at(m, viz_model_events_until(m, FL_MS(ms)), s->st);
    return s->st && viz_layout_init(&s->lay, m, W, H) == 0;
}

static void drop(shot *s)
{
    viz_layout_free(&s->lay);
    viz_state_free(s->st);
    viz_live_free(s->live);
    SDL_FreeSurface(s->surf);
}

static viz_rgba pixel(const shot *s, float x, float y)
{
    int ix = (int)x, iy = (int)y;
    if (ix < 0 || iy < 0 || ix >= s->surf->w || iy >= s->surf->h)
        return (viz_rgba){ 0, 0, 0, 0 };
    uint32_t p = ((const uint32_t *)((const uint8_t *)s->surf->pixels + iy * s->surf->pitch))[ix];
    return (viz_rgba){ (uint8_t)(p >> 16), (uint8_t)(p >> 8), (uint8_t)p, 255 };
}

static bool near(viz_rgba a, viz_rgba b, int tol)
{
    return abs(a.r - b.r) <= tol && abs(a.g - b.g) <= tol && abs(a.b - b.b) <= tol;
}

/* A node's fill, sampled between its labels and its rim. */
static viz_rgba fill_of(const shot *s, fl_node_id n)
{
    return pixel(s, s->lay.nx[n], s->lay.ny[n] + s->lay.nr[n] * 0.72f);
}

/* Any pixel of colour c within `r` px of (x, y)? */
static bool any_near(const shot *s, float x, float y, int r, viz_rgba c)
{
    for (int dy = -r; dy <= r; dy++)
        for (int dx = -r; dx <= r; dx++)
            if (near(pixel(s, x + (float)dx, y + (float)dy), c, 40))
                return true;
    return false;
}

static void midpoint(const shot *s, fl_node_id a, fl_node_id b, float *x, float *y)
{
    *x = (s->lay.nx[a] + s->lay.nx[b]) / 2;
    *y = (s->lay.ny[a] + s->lay.ny[b]) / 2;
}

static int leaders_drawn(const shot *s, fl_node_id *who)
{
    int n = 0;
    for (size_t i = 0; i < s->lay.nrows; i++) {
        fl_node_id id = s->lay.rows[i];
        if (near(fill_of(s, id), VIZ_GREEN, 30)) {
            n++;
            *who = id;
        }
    }
    return n;
}

static fl_node_id model_leader(const shot *s)
{
    const viz_model *m = viz_live_model(s->live);
    for (size_t i = 0; i < s->st->nnodes; i++) {
        const viz_view *v = viz_model_view(m, s->st->nodes[i].view);
        if (v && s->st->nodes[i].alive && v->kind == FL_VIEW_LEADER)
            return (fl_node_id)i;
    }
    return FL_NO_NODE;
}

static void test_one_leader(void)
{
    shot s;
    CU_ASSERT_FATAL(take(&s, "raft/leader-crash.json", 1000));
    fl_node_id drawn = FL_NO_NODE, want = model_leader(&s);
    CU_ASSERT_NOT_EQUAL(want, FL_NO_NODE);
    CU_ASSERT_EQUAL(leaders_drawn(&s, &drawn), 1);
    CU_ASSERT_EQUAL(drawn, want);
    for (size_t i = 0; i < s.lay.nrows; i++)       /* the others are followers */
        if (s.lay.rows[i] != want)
            CU_ASSERT(near(fill_of(&s, s.lay.rows[i]), VIZ_SKY, 30));
    drop(&s);
}

static void test_crashed(void)
{
    shot s;
    CU_ASSERT_FATAL(take(&s, "raft/leader-crash.json", 3100));   /* node 0 crashed at 3 s */
    CU_ASSERT_FALSE(s.st->nodes[0].alive);
    CU_ASSERT(near(fill_of(&s, 0), VIZ_CRASHED, 12));
    fl_node_id drawn = FL_NO_NODE;
    CU_ASSERT(leaders_drawn(&s, &drawn) <= 1);
    CU_ASSERT_NOT_EQUAL(drawn, 0);
    drop(&s);
}

static void test_partition_cut(void)
{
    shot s;
    /* [leader 2, 0] | [1, 3, 4, clients] from 3 s to 6 s */
    CU_ASSERT_FATAL(take(&s, "raft/partition.json", 3500));
    float x, y;
    midpoint(&s, 0, 1, &x, &y);
    CU_ASSERT(any_near(&s, x, y, 6, VIZ_CUT));           /* cut */
    midpoint(&s, 2, 3, &x, &y);
    CU_ASSERT(any_near(&s, x, y, 6, VIZ_CUT));           /* cut */
    midpoint(&s, 1, 3, &x, &y);
    CU_ASSERT_FALSE(any_near(&s, x, y, 6, VIZ_CUT));     /* same side */
    midpoint(&s, 0, 2, &x, &y);
    CU_ASSERT_FALSE(any_near(&s, x, y, 6, VIZ_CUT));     /* same side */
    drop(&s);
    CU_ASSERT_FATAL(take(&s, "raft/partition.json", 6500));   /* healed */
    midpoint(&s, 0, 1, &x, &y);
    CU_ASSERT_FALSE(any_near(&s, x, y, 6, VIZ_CUT));
    drop(&s);
}

static void test_paused(void)
{
    shot s;
    CU_ASSERT_FATAL(take(&s, "kv/faults-tour.json", 4100));  /* node 0 paused 4.0-4.3 s */
    CU_ASSERT_TRUE(s.st->nodes[0].paused);
    CU_ASSERT(near(fill_of(&s, 0), viz_mix(VIZ_GREEN, VIZ_PAUSED, 0.75f), 20));
    CU_ASSERT(near(fill_of(&s, 1), VIZ_SKY, 30));
    drop(&s);
}

int main(void)
{
    static const fl_cu_test tests[] = {
        { "one leader drawn after the first election", test_one_leader },
        { "a crashed node in the crashed colour", test_crashed },
        { "a partition draws cuts, only where it cuts", test_partition_cut },
        { "a paused node", test_paused },
        { NULL, NULL },
    };
    static const fl_cu_suite suites[] = {
        { "viz: rendered frames", tests },
        { NULL, NULL },
    };
    return fl_cu_main(suites);
}
