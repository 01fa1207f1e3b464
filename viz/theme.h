/* theme.h — the visualizer's colours. Roles, terms and message kinds use
 * the Okabe–Ito palette, which stays distinguishable for colour-blind
 * viewers; the drawing adds a shape or a label to every role as well. */
#ifndef FL_VIZ_THEME_H
#define FL_VIZ_THEME_H

#include <stdint.h>
#include <string.h>

#include "algorithms/algorithm.h"
#include "sim/trace.h"

typedef struct viz_rgba {
    uint8_t r, g, b, a;
} viz_rgba;

#define VIZ_RGB(hex) ((viz_rgba){ (uint8_t)((hex) >> 16), (uint8_t)((hex) >> 8), \
                                  (uint8_t)(hex), 255 })

static inline viz_rgba viz_alpha(viz_rgba c, uint8_t a)
{
    c.a = (uint8_t)((unsigned)c.a * a / 255u);
    return c;
}

static inline viz_rgba viz_mix(viz_rgba x, viz_rgba y, float f)
{
    viz_rgba c = { (uint8_t)(x.r + (y.r - x.r) * f), (uint8_t)(x.g + (y.g - x.g) * f),
                   (uint8_t)(x.b + (y.b - x.b) * f), (uint8_t)(x.a + (y.a - x.a) * f) };
    return c;
}

/* Surfaces and text. */
#define VIZ_BG        VIZ_RGB(0x14161b)
#define VIZ_PANEL     VIZ_RGB(0x1b1e25)
#define VIZ_PANEL_HI  VIZ_RGB(0x252a33)
#define VIZ_BORDER    VIZ_RGB(0x323844)
#define VIZ_TEXT      VIZ_RGB(0xe8e8ea)
#define VIZ_DIM       VIZ_RGB(0x9aa1ad)
#define VIZ_FAINT     VIZ_RGB(0x878e9a)   /* >= 4.5:1 on the panel */
#define VIZ_LINK      VIZ_RGB(0x343a46)

/* Okabe–Ito. */
#define VIZ_SKY       VIZ_RGB(0x56b4e9)
#define VIZ_ORANGE    VIZ_RGB(0xe69f00)
#define VIZ_GREEN     VIZ_RGB(0x009e73)
#define VIZ_YELLOW    VIZ_RGB(0xf0e442)
#define VIZ_BLUE      VIZ_RGB(0x0072b2)
#define VIZ_VERMILION VIZ_RGB(0xd55e00)
#define VIZ_PURPLE    VIZ_RGB(0xcc79a7)
#define VIZ_GREY      VIZ_RGB(0x8c8c8c)

#define VIZ_CRASHED   VIZ_RGB(0x4a4d55)
#define VIZ_PAUSED    VIZ_RGB(0x8c8c8c)
#define VIZ_CUT       VIZ_RGB(0xff5a4a)
#define VIZ_OK        VIZ_RGB(0x3fbf7f)
#define VIZ_BAD       VIZ_RGB(0xff5a4a)

static inline viz_rgba viz_role_color(fl_view_kind kind)
{
    switch (kind) {
    case FL_VIEW_FOLLOWER:  return VIZ_SKY;
    case FL_VIEW_CANDIDATE: return VIZ_ORANGE;
    case FL_VIEW_LEADER:    return VIZ_GREEN;
    case FL_VIEW_CLIENT:    return VIZ_PURPLE;
    case FL_VIEW_OTHER:     return VIZ_BLUE;
    case FL_VIEW_NONE:      break;
    }
    return VIZ_GREY;
}

/* Terms cycle through eight colours; the term is also written in the box. */
static inline viz_rgba viz_term_color(int64_t term)
{
    static const uint32_t pal[] = { 0x0072b2, 0xe69f00, 0x009e73, 0xcc79a7,
                                    0x56b4e9, 0xd55e00, 0xc9bd2a, 0x8f8f8f };
    if (term < 0)
        return VIZ_RGB(0x555a66);
    return VIZ_RGB(pal[term % 8]);
}

/* Message kinds: each kind of a run gets its own colour. Votes prefer
 * orange, appends and heartbeats sky blue, client traffic purple,
 * snapshots yellow; a preferred colour already taken, or any other kind,
 * takes the next free one in order of first appearance (twelve in all;
 * replies are also drawn hollow or dashed, drops with a cross). */
#define VIZ_KIND_COLORS 12
static inline unsigned viz_kind_preferred(const char *kind)
{
    if (!kind)
        return VIZ_KIND_COLORS;
    if (strstr(kind, "Vote"))
        return 1;
    if (strstr(kind, "Append") || strstr(kind, "Heartbeat"))
        return 0;
    if (strstr(kind, "Client"))
        return 6;
    if (strstr(kind, "Snapshot"))
        return 3;
    return VIZ_KIND_COLORS;
}

static inline viz_rgba viz_kind_slot_color(unsigned slot)
{
    static const uint32_t pal[VIZ_KIND_COLORS] = {
        0x56b4e9, 0xe69f00, 0x009e73, 0xf0e442, 0xa08cff, 0xd55e00,
        0xcc79a7, 0xbbbbbb, 0xe8e8ea, 0xb07a3a, 0x7fd6c0, 0xf4a6c6
    };
    return VIZ_RGB(pal[slot % VIZ_KIND_COLORS]);
}

/* Replica groups on a hash ring (the Ring pane): eight colours, in an
 * order that keeps neighbours apart; the group's name is written too. */
static inline viz_rgba viz_group_color(uint32_t group)
{
    static const uint32_t pal[] = { 0x56b4e9, 0xe69f00, 0x009e73, 0xcc79a7,
                                    0xf0e442, 0xd55e00, 0x0072b2, 0xbbbbbb };
    return VIZ_RGB(pal[group % 8]);
}

static inline viz_rgba viz_fault_color(fl_trace_type type)
{
    switch (type) {
    case FL_TR_CRASH:     return VIZ_VERMILION;
    case FL_TR_RESTART:   return VIZ_GREEN;
    case FL_TR_PAUSE:
    case FL_TR_RESUME:    return VIZ_YELLOW;
    case FL_TR_PARTITION:
    case FL_TR_HEAL:      return VIZ_PURPLE;
    case FL_TR_LINK:      return VIZ_ORANGE;
    case FL_TR_CLOCK:     return VIZ_SKY;
    default:              return VIZ_GREY;
    }
}

#endif
