/* test_viz_render.c — screenshots rendered by `faultline viz` are checked
 * pixel by pixel against the run: after the first election exactly one
 * server is drawn in the leader colour (the one the model says leads); a
 * crashed server is drawn in the crashed colour; a paused one in the
 * paused mix; a partition draws cut marks on the links it cuts and none
 * on the links it leaves alone; shardkv's Ring pane draws the joined
 * groups' virtual nodes in their colours (and not the left group's),
 * shards filled by the group serving them or hollow while they move, an
 * arrow to the group waiting for them, and a crown on each group with a
 * leader; the CRDT's per-replica vectors diverge (orange cells) and
 * converge (green); the Logs pane scrolls back to older entries. Node
 * positions come from the same layout code the visualizer uses. Needs
 * the SDL build. */
#include <SDL.h>
#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/cu.h"
#include "viz/layout.h"
#include "viz/live.h"
#include "viz/ring.h"
#include "viz/theme.h"
#include "sim/run/registry.h"

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
static bool take_opts(shot *s, const char *rel, int ms, const char *opts);

static bool take(shot *s, const char *rel, int ms)
{
    return take_opts(s, rel, ms, "");
}

/* Renders with extra options (e.g. "--diagram"); the layout matches them. */
static bool take_opts(shot *s, const char *rel, int ms, const char *opts)
{
    memset(s, 0, sizeof *s);
    char scen[1024], png[] = "/tmp/fl-viz-shot-XXXXXX.png", cmd[4096];
    snprintf(scen, sizeof scen, "%s/scenarios/%s", fl_cu_srcdir(), rel);
    int fd = mkstemps(png, 4);
    if (fd < 0)
        return false;
    close(fd);
    snprintf(cmd, sizeof cmd, "%s viz '%s' --screenshot '%s' --at-ms %d --size %dx%d %s > /dev/null",
             faultline(), scen, png, ms, W, H, opts);
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
    s->lay.wide = strstr(opts, "--diagram") != NULL;
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

/* Pixels of colour c (tolerance 30) in a rectangle. */
static int count_in(const shot *s, float x0, float y0, float x1, float y1, viz_rgba c)
{
    int n = 0;
    for (int y = (int)y0; y < (int)y1; y++)
        for (int x = (int)x0; x < (int)x1; x++)
            n += near(pixel(s, (float)x, (float)y), c, 30);
    return n;
}

/* A crown above the node: yellow pixels just over its rim. */
static bool crowned(const shot *s, fl_node_id n)
{
    float x = s->lay.nx[n], y = s->lay.ny[n] - s->lay.nr[n] - 8 * s->lay.s;
    return any_near(s, x, y, (int)(6 * s->lay.s), VIZ_YELLOW);
}

/* Raft's leader wears a crown; a Paxos proposer that got its value
 * chosen does not (it was drawn as a Raft leader), and its ballot is not
 * a five-digit term. */
static void test_paxos_no_crown(void)
{
    shot s;
    CU_ASSERT_FATAL(take(&s, "raft/leader-crash.json", 1000));
    fl_node_id l = model_leader(&s);
    CU_ASSERT_FATAL(l != FL_NO_NODE);
    CU_ASSERT(crowned(&s, l));
    drop(&s);
    CU_ASSERT_FATAL(take(&s, "paxos/basic-dueling.json", 130));
    l = model_leader(&s);
    CU_ASSERT_FATAL(l != FL_NO_NODE);          /* S0 reports itself leading */
    CU_ASSERT_FALSE(crowned(&s, l));
    drop(&s);
}

/* The space-time pane: the yellow "now" line at the shown time, message
 * arrows in the kinds' colours, and the Logs pane gone. */
static void test_diagram(void)
{
    shot s;
    CU_ASSERT_FATAL(take_opts(&s, "raft/partition.json", 2300, "--diagram"));
    viz_rect r = s.lay.logs;
    /* the window is [t - 0.7 span, t + 0.3 span]: "now" at 70 % of the track */
    float x0 = r.x + 46 * s.lay.s, x1 = r.x + r.w - 10 * s.lay.s;
    float xnow = x0 + 0.7f * (x1 - x0);
    int yellow = count_in(&s, xnow - 2, r.y + 80 * s.lay.s, xnow + 3, r.y + 400 * s.lay.s,
                          VIZ_YELLOW);
    CU_ASSERT(yellow > 150);
    const viz_model *m = viz_live_model(s.live);
    int arrows = 0;
    for (size_t k = 0; k < viz_model_kind_count(m); k++)
        arrows += count_in(&s, x0, r.y + 60 * s.lay.s, x1, r.y + r.h - 80 * s.lay.s,
                           viz_kind_slot_color(viz_model_kind_slot(m, (uint16_t)k)));
    CU_ASSERT(arrows > 2000);
    drop(&s);
    /* without the pane, no "now" line there */
    CU_ASSERT_FATAL(take(&s, "raft/partition.json", 2300));
    CU_ASSERT(count_in(&s, xnow - 2, r.y + 80 * s.lay.s, xnow + 3, r.y + 400 * s.lay.s,
                       VIZ_YELLOW) < 60);
    drop(&s);
}

/* CRDT replicas diverge while partitioned and converge after the heal:
 * the panel's summary says so in orange, then in green. */
static void test_crdt_divergence(void)
{
    shot s;
    float top = 90, bottom = 165;
    CU_ASSERT_FATAL(take(&s, "counter/crdt-partition.json", 2500));
    float px = s.lay.panel.x;
    CU_ASSERT(count_in(&s, px, top, px + s.lay.panel.w, bottom, VIZ_ORANGE) > 50);
    CU_ASSERT(count_in(&s, px, top, px + s.lay.panel.w, bottom, VIZ_OK) < 10);
    drop(&s);
    CU_ASSERT_FATAL(take(&s, "counter/crdt-partition.json", 9000));
    CU_ASSERT(count_in(&s, px, top, px + s.lay.panel.w, bottom, VIZ_OK) > 50);
    CU_ASSERT(count_in(&s, px, top, px + s.lay.panel.w, bottom, VIZ_ORANGE) < 10);
    drop(&s);
}

/* The Nodes pane draws each replica's P vector cell by cell: while the
 * partition holds, some replica is behind another on some column (orange
 * cells); after the heal every column agrees (green cells, none orange).
 * Without the vectors in the trace's views, neither shows. */
static void test_crdt_vectors(void)
{
    shot s;
    CU_ASSERT_FATAL(take(&s, "counter/crdt-partition.json", 2500));
    viz_rect r = s.lay.logs;
    CU_ASSERT(count_in(&s, r.x, r.y, r.x + r.w, r.y + r.h, VIZ_ORANGE) > 1500);
    CU_ASSERT(count_in(&s, r.x, r.y, r.x + r.w, r.y + r.h, VIZ_OK) > 1500);
    drop(&s);
    CU_ASSERT_FATAL(take(&s, "counter/crdt-partition.json", 9000));
    CU_ASSERT(count_in(&s, r.x, r.y, r.x + r.w, r.y + r.h, VIZ_OK) > 5000);
    CU_ASSERT(count_in(&s, r.x, r.y, r.x + r.w, r.y + r.h, VIZ_ORANGE) < 10);
    drop(&s);
}

/* Pixels brighter than the pane's outlines in [x0, x1) x [y0, y1). */
static int bright_in(const shot *s, float x0, float y0, float x1, float y1)
{
    int n = 0;
    for (int y = (int)y0; y < (int)y1; y++)
        for (int x = (int)x0; x < (int)x1; x++) {
            viz_rgba p = pixel(s, (float)x, (float)y);
            n += p.r + p.g + p.b > 180;
        }
    return n;
}

/* The Logs pane scrolls: at 7 s of figure8, S1 (crashed at 4 s with 18
 * entries) has nothing among the newest indices, so its row is empty
 * outlines; PgUp (--keys pgup) scrolls back to index 1, where its entries
 * are drawn and the header says the grid is scrolled back (yellow); PgDn
 * as often returns to the newest. */
static void test_logs_scroll(void)
{
    shot s;
    size_t r1 = 0;
    CU_ASSERT_FATAL(take(&s, "raft/figure8.json", 7000));
    for (size_t r = 0; r < s.lay.nrows; r++)
        if (s.lay.rows[r] == 1)
            r1 = r;
    viz_rect p = s.lay.logs;
    float sc = s.lay.s, y = p.y + 52 * sc + (float)r1 * s.lay.row_h;
    float x0 = p.x + 96 * sc, x1 = p.x + p.w - 10 * sc, y1 = y + 20 * sc;
    CU_ASSERT(bright_in(&s, x0, y, x1, y1) < 20);
    CU_ASSERT(count_in(&s, p.x, p.y, p.x + p.w, p.y + 30 * sc, VIZ_YELLOW) < 10);
    drop(&s);
    CU_ASSERT_FATAL(take_opts(&s, "raft/figure8.json", 7000, "--keys 'pgup pgup pgup pgup pgup pgup pgup'"));
    CU_ASSERT(bright_in(&s, x0, y, x1, y1) > 1000);
    CU_ASSERT(count_in(&s, p.x, p.y, p.x + p.w, p.y + 30 * sc, VIZ_YELLOW) > 50);
    drop(&s);
    CU_ASSERT_FATAL(take_opts(&s, "raft/figure8.json", 7000,
                              "--keys 'pgup pgup pgup pgup pgup pgup pgup pgdn pgdn pgdn pgdn pgdn pgdn pgdn'"));
    CU_ASSERT(bright_in(&s, x0, y, x1, y1) < 20);
    drop(&s);
}

/* The lock's storage rejected a paused client's stale write: its summary
 * line turns red. */
static void test_lock_stale_write(void)
{
    shot s;
    CU_ASSERT_FATAL(take(&s, "lock/paused-client.json", 19000));
    float px = s.lay.panel.x;
    CU_ASSERT(count_in(&s, px, 90, px + s.lay.panel.w, 175, VIZ_BAD) > 40);
    drop(&s);
    CU_ASSERT_FATAL(take(&s, "lock/paused-client.json", 300));    /* nothing rejected yet */
    CU_ASSERT(count_in(&s, px, 90, px + s.lay.panel.w, 175, VIZ_BAD) < 10);
    drop(&s);
}

/* ---- The Ring pane (shardkv) ------------------------------------------------------ */

typedef struct ring_shot {
    shot               s;
    const fl_viz_ring *spec;
    viz_ring           ring;
    viz_ring_geo       geo;
} ring_shot;

static bool take_ring(ring_shot *rs, const char *rel, int ms)
{
    if (!take(&rs->s, rel, ms))
        return false;
    const viz_model *m = viz_live_model(rs->s.live);
    viz_model_state_finish_step(m, rs->s.st);     /* as the frame shows it */
    rs->spec = fl_registry_viz_table(viz_model_algorithm(m))->ring;
    viz_ring_build(m, rs->s.st, rs->spec, &rs->ring);
    rs->geo = viz_ring_place(&rs->s.lay.logs, rs->s.lay.s);
    return rs->ring.ok;
}

/* A group's points far (10 px) from every joined point of other groups. */
static bool isolated(const ring_shot *rs, uint32_t g, uint32_t v)
{
    float x, y;
    viz_ring_xy(&rs->geo, rs->spec->point(g, v), 1, &x, &y);
    for (uint32_t h = 0; h < rs->ring.ngroups; h++)
        for (uint32_t w = 0; rs->ring.groups[h].joined && w < rs->ring.vnodes; w++) {
            float px, py;
            if (h == g && w == v)
                continue;
            viz_ring_xy(&rs->geo, rs->spec->point(h, w), 1, &px, &py);
            if (fabsf(px - x) < 10 && fabsf(py - y) < 10)
                return false;
        }
    return true;
}

static void check_points(const ring_shot *rs, uint32_t *drawn, uint32_t *absent)
{
    const viz_ring *r = &rs->ring;
    for (uint32_t g = 0; g < r->ngroups; g++)
        for (uint32_t v = 0; v < r->vnodes; v++) {
            if (!isolated(rs, g, v))
                continue;
            float x, y;
            viz_ring_xy(&rs->geo, rs->spec->point(g, v), 1, &x, &y);
            if (r->groups[g].joined) {
                CU_ASSERT(near(pixel(&rs->s, x, y), viz_group_color(g), 40));
                ++*drawn;
            } else {
                CU_ASSERT_FALSE(any_near(&rs->s, x, y, 2, viz_group_color(g)));
                ++*absent;
            }
        }
}

/* Hubs: joined filled, others hollow; a crown exactly on groups with a
 * live leader; an arrow from group 0 to each group waiting for its shards. */
static void check_hubs(const ring_shot *rs)
{
    const viz_ring *r = &rs->ring;
    float s = rs->s.lay.s, hr = viz_ring_hub_r(&rs->geo, r->ngroups);
    for (uint32_t g = 0; g < r->ngroups; g++) {
        float x, y;
        viz_ring_hub(&rs->geo, g, r->ngroups, &x, &y);
        CU_ASSERT_EQUAL(near(pixel(&rs->s, x + hr * 0.7f, y), viz_group_color(g), 40),
                        r->groups[g].joined);
        bool crown = any_near(&rs->s, x, y - hr - 6 * s, (int)(4 * s), VIZ_YELLOW);
        CU_ASSERT_EQUAL(crown, r->groups[g].leader != FL_NO_NODE);
    }
    for (uint32_t to = 1; to < r->ngroups; to++) {
        bool waits = false;
        for (uint32_t sh = 0; sh < r->nshards; sh++)
            waits |= r->shards[sh].to == (int32_t)to && r->shards[sh].from == 0;
        float x0, y0, x1, y1;
        viz_ring_hub(&rs->geo, 0, r->ngroups, &x0, &y0);
        viz_ring_hub(&rs->geo, to, r->ngroups, &x1, &y1);
        float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
        float mx = x0 + dx * 0.4f - dy / len * 5 * s, my = y0 + dy * 0.4f + dx / len * 5 * s;
        CU_ASSERT_EQUAL(any_near(&rs->s, mx, my, 2, viz_group_color(to)), waits);
    }
}

static void test_ring_pane(void)
{
    ring_shot rs;
    /* group 0 left at 4 s: shards move from it to groups 1 and 2 */
    CU_ASSERT_FATAL(take_ring(&rs, "shardkv/join-leave.json", 4081));
    const viz_ring *r = &rs.ring;
    CU_ASSERT_FATAL(r->moving > 0 && !r->groups[0].joined);
    uint32_t drawn = 0, absent = 0;
    check_points(&rs, &drawn, &absent);
    CU_ASSERT(drawn >= 10);
    CU_ASSERT(absent >= 4);
    float s = rs.s.lay.s, h = 6.5f * s;
    uint32_t filled = 0, hollow = 0;
    for (uint32_t sh = 0; sh < r->nshards; sh++) {
        const viz_ring_shard *k = &r->shards[sh];
        float x, y;
        viz_ring_xy(&rs.geo, k->pos, 0.84f, &x, &y);
        if (k->to >= 0) {                 /* hollow, outlined in the new owner's colour */
            CU_ASSERT_FALSE(near(pixel(&rs.s, x, y), viz_group_color((uint32_t)k->to), 60));
            CU_ASSERT(near(pixel(&rs.s, x - h + 1, y), viz_group_color((uint32_t)k->to), 40));
            hollow++;
        } else if (k->server >= 0) {      /* filled with the server's colour */
            CU_ASSERT(near(pixel(&rs.s, x, y), viz_group_color((uint32_t)k->server), 40));
            filled++;
        }
    }
    CU_ASSERT_EQUAL(hollow, r->moving);
    CU_ASSERT(filled >= 4);
    check_hubs(&rs);

    /* `g` puts the logs back: the points are no longer drawn */
    ring_shot logs;
    logs.s = (shot){ 0 };
    CU_ASSERT_FATAL(take_opts(&logs.s, "shardkv/join-leave.json", 4081, "--keys g"));
    uint32_t seen = 0, total = 0;
    for (uint32_t g = 0; g < r->ngroups; g++)
        for (uint32_t v = 0; r->groups[g].joined && v < r->vnodes; v++) {
            float x, y;
            if (!isolated(&rs, g, v))
                continue;
            viz_ring_xy(&rs.geo, rs.spec->point(g, v), 1, &x, &y);
            seen += near(pixel(&logs.s, x, y), viz_group_color(g), 40);
            total++;
        }
    CU_ASSERT(total >= 10 && seen * 3 < total);
    drop(&logs.s);
    drop(&rs.s);

    /* the old owner (group 0) lost its majority mid-hand-off: no leader,
     * no crown, and the shards it still holds move from it to group 2 */
    CU_ASSERT_FATAL(take_ring(&rs, "shardkv/crash-old-owner.json", 2300));
    CU_ASSERT_EQUAL(rs.ring.groups[0].leader, FL_NO_NODE);
    CU_ASSERT_NOT_EQUAL(rs.ring.groups[2].leader, FL_NO_NODE);
    CU_ASSERT(rs.ring.moving > 0);
    for (uint32_t sh = 0; sh < rs.ring.nshards; sh++)
        if (rs.ring.shards[sh].to >= 0)
            CU_ASSERT(rs.ring.shards[sh].to == 2 && rs.ring.shards[sh].from == 0);
    check_hubs(&rs);
    drop(&rs.s);

    /* settled later: every shard filled, none hollow, no arrow */
    CU_ASSERT_FATAL(take_ring(&rs, "shardkv/join-leave.json", 5500));
    CU_ASSERT_EQUAL(rs.ring.moving, 0);
    drawn = absent = 0;
    check_points(&rs, &drawn, &absent);
    for (uint32_t sh = 0; sh < rs.ring.nshards; sh++) {
        const viz_ring_shard *k = &rs.ring.shards[sh];
        float x, y;
        viz_ring_xy(&rs.geo, k->pos, 0.84f, &x, &y);
        CU_ASSERT(k->server >= 0 &&
                  near(pixel(&rs.s, x, y), viz_group_color((uint32_t)k->server), 40));
    }
    drop(&rs.s);
}

/* WCAG contrast of body text on the backgrounds it is drawn on. */
static double lum(viz_rgba c)
{
    double ch[3] = { c.r / 255.0, c.g / 255.0, c.b / 255.0 };
    for (int i = 0; i < 3; i++)
        ch[i] = ch[i] <= 0.03928 ? ch[i] / 12.92 : pow((ch[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

static double contrast(viz_rgba a, viz_rgba b)
{
    double x = lum(a) + 0.05, y = lum(b) + 0.05;
    return x > y ? x / y : y / x;
}

static void test_contrast(void)
{
    viz_rgba inks[] = { VIZ_TEXT, VIZ_DIM, VIZ_FAINT, VIZ_BAD, VIZ_OK, VIZ_ORANGE };
    viz_rgba grounds[] = { VIZ_BG, VIZ_PANEL };
    for (size_t i = 0; i < sizeof inks / sizeof *inks; i++)
        for (size_t j = 0; j < 2; j++)
            CU_ASSERT(contrast(inks[i], grounds[j]) >= 4.5);
    CU_ASSERT(contrast(VIZ_RGB(0x5d6470), VIZ_PANEL) < 4.5);   /* the old faint grey */
}

int main(void)
{
    static const fl_cu_test tests[] = {
        { "one leader drawn after the first election", test_one_leader },
        { "a crashed node in the crashed colour", test_crashed },
        { "a partition draws cuts, only where it cuts", test_partition_cut },
        { "a paused node", test_paused },
        { "Paxos: no crown, Raft: a crown", test_paxos_no_crown },
        { "space-time diagram pane", test_diagram },
        { "CRDT divergence and convergence", test_crdt_divergence },
        { "CRDT vectors: diverged cells orange, converged green", test_crdt_vectors },
        { "the Logs pane scrolls back to a crashed node's entries", test_logs_scroll },
        { "lock: stale write rejected in red", test_lock_stale_write },
        { "text contrast >= 4.5:1", test_contrast },
        { "shardkv: the Ring pane", test_ring_pane },
        { NULL, NULL },
    };
    static const fl_cu_suite suites[] = {
        { "viz: rendered frames", tests },
        { NULL, NULL },
    };
    return fl_cu_main(suites);
}
