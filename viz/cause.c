/* cause.c — message chains behind a verdict (see cause.h). */
#include "viz/cause.h"

/* The last message delivered to `node` at or before t, scanning back
 * from the last one sent by then (messages are kept in send order). */
static uint32_t last_received(const viz_model *m, fl_node_id node, fl_time t)
{
    size_t lo = 0, hi = viz_model_msg_count(m);
    while (lo < hi) {                       /* first message sent after t */
        size_t mid = (lo + hi) / 2;
        if (viz_model_msg(m, (uint32_t)mid)->t0 <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t best = VIZ_NONE;
    fl_time best_t = -1;
    for (size_t i = lo; i-- > 0;) {
        const viz_msg *g = viz_model_msg(m, (uint32_t)i);
        if (best != VIZ_NONE && g->t0 + FL_SEC(60) < best_t)
            break;                          /* nothing older arrives later */
        if (g->to == node && g->end == VIZ_MSG_DELIVERED && g->t1 <= t && g->t1 > best_t) {
            best = (uint32_t)i;
            best_t = g->t1;
        }
    }
    return best;
}

size_t viz_cause_chain(const viz_model *m, fl_node_id node, fl_time t, size_t hops,
                       uint8_t *chain)
{
    size_t n = 0;
    while (n < hops) {
        uint32_t k = last_received(m, node, t);
        if (k == VIZ_NONE || chain[k])
            break;
        chain[k] = 1;
        n++;
        const viz_msg *g = viz_model_msg(m, k);
        node = g->from;
        t = g->t0;
    }
    return n;
}

size_t viz_cause_op(const viz_model *m, size_t op, size_t hops, uint8_t *chain)
{
    const viz_op *o = viz_model_op(m, op);
    if (!o)
        return 0;
    fl_time end = o->t1 >= 0 ? o->t1 : viz_model_last_time(m);
    size_t n = 0;
    const viz_msg *last_reply = NULL;
    for (size_t i = 0; i < viz_model_msg_count(m); i++) {
        const viz_msg *g = viz_model_msg(m, (uint32_t)i);
        if (g->t0 > end)
            break;
        if (g->t0 < o->t0 || (g->from != o->client && g->to != o->client))
            continue;
        chain[i] = 1;                       /* its requests and the replies to it */
        n++;
        if (g->to == o->client && g->end == VIZ_MSG_DELIVERED)
            last_reply = g;
    }
    if (last_reply)
        n += viz_cause_chain(m, last_reply->from, last_reply->t0, hops, chain);
    return n;
}
