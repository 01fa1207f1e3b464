/* cause.h — from a verdict to its cause: the chain of messages that led
 * to a node's state at a time (walking back: the last message it received
 * before then, the last one its sender received before sending that, ...),
 * and the messages of one client operation (its requests and the replies
 * to it, with the chain that led to the reply). Marks are per message
 * index, read by the space-time diagram. Knows no SDL. */
#ifndef FL_VIZ_CAUSE_H
#define FL_VIZ_CAUSE_H

#include <stddef.h>
#include <stdint.h>

#include "viz/model.h"

/* Sets chain[i] = 1 for the messages that led to `node` at time t, at
 * most `hops` of them; chain has viz_model_msg_count entries. Returns the
 * number marked. */
size_t viz_cause_chain(const viz_model *m, fl_node_id node, fl_time t, size_t hops,
                       uint8_t *chain);
/* Marks operation `op`'s requests and replies, and the chain that led to
 * its last reply. Returns the number marked. */
size_t viz_cause_op(const viz_model *m, size_t op, size_t hops, uint8_t *chain);

#endif
