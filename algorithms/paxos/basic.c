/* basic.c — the "paxos" fl_algorithm table: single-decree Paxos's three
 * roles (basic.h: proposer, acceptor, learner, in that order, so clients
 * and random nemeses go to proposers), its params check and its message
 * descriptions (codec.c). */
#include "algorithms/paxos/basic.h"

#include <stdio.h>
#include <string.h>

#include "algorithms/paxos/paxos_table.h"

int paxos_basic_validate(const cJSON *params, char *err, size_t errlen)
{
    paxos_params p;
    return paxos_params_parse(PAXOS_FAMILY_BASIC, params, &p, err, errlen);
}

const fl_role paxos_basic_roles[] = {
    {
        .name = "proposer",
        .state_size = sizeof(bpx_proposer),
        .init = bpx_prop_init,
        .start = bpx_prop_start,
        .on_message = bpx_prop_on_message,
        .on_timer = bpx_prop_on_timer,
        .on_request = bpx_prop_on_request,
        .inspect = bpx_prop_inspect,
        .inspect_entry = bpx_prop_entry,
        .destroy = bpx_prop_destroy,
    },
    {
        .name = "acceptor",
        .state_size = sizeof(bpx_acceptor),
        .init = bpx_acc_init,
        .start = bpx_acc_start,
        .on_message = bpx_acc_on_message,
        .on_timer = bpx_acc_on_timer,
        .inspect = bpx_acc_inspect,
        .inspect_entry = bpx_acc_entry_view,
        .destroy = bpx_acc_destroy,
    },
    {
        .name = "learner",
        .state_size = sizeof(bpx_learner),
        .init = bpx_learn_init,
        .start = bpx_learn_start,
        .on_message = bpx_learn_on_message,
        .on_timer = bpx_learn_on_timer,
        .inspect = bpx_learn_inspect,
        .inspect_entry = bpx_learn_entry,
        .destroy = bpx_learn_destroy,
    },
    {.name = NULL},
};

const fl_algorithm fl_paxos_algorithm = PAXOS_ALGORITHM_TABLE;

/* Every role's init needs 1..BPX_MAX_ACCEPTORS acceptors. */
int paxos_basic_validate_nodes(const cJSON *params, const fl_node_count *counts,
                               size_t ncounts, char *err, size_t errlen)
{
    size_t acc = 0;
    (void)params;
    for (size_t i = 0; i < ncounts; i++)
        if (strcmp(counts[i].role, "acceptor") == 0)
            acc = counts[i].count;
    if (acc == 0 || acc > BPX_MAX_ACCEPTORS) {
        snprintf(err, errlen, "acceptor: paxos needs 1 to %u acceptors, got %zu",
                 BPX_MAX_ACCEPTORS, acc);
        return -1;
    }
    return 0;
}
