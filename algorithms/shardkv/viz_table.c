/* viz_table.c — shardkv in the visualizer's words: Raft's (terms,
 * leaders with crowns, replicated logs, a linearizability check), a
 * server's group and configuration in the panel, and the hash ring for
 * the Ring pane: the view scalars of sm.c and the points of ring.h. */
#include "algorithms/viz_table.h"

#include "algorithms/shardkv/ring.h"

static uint64_t skv_viz_point(uint32_t group, uint32_t vnode)
{
    return fl_ring_hash(FL_RING_SALT_POINT + group, vnode);
}

static uint64_t skv_viz_shard(uint32_t shard)
{
    return fl_ring_key_pos(shard);
}

static const fl_viz_row rows[] = {
    { "server", "group", "group", FL_VIZ_INT },
    { "server", "configuration", "config", FL_VIZ_INT },
    { NULL, NULL, NULL, FL_VIZ_INT },
};

static const fl_viz_ring ring = {
    .group = "group", .config = "config", .serving = "serving", .waiting = "waiting",
    .members = "members", .prev_members = "prev_members", .shards = "shards",
    .vnodes = "vnodes", .point = skv_viz_point, .shard = skv_viz_shard,
};

const fl_viz_table fl_shardkv_viz_table = {
    .algorithm = "shardkv", .term_word = "term", .leader_word = "leader", .crown = true,
    .logs = true, .linearizable = true, .rows = rows, .ring = &ring,
};
