/* log.c — one node's slots (see log.h). */
#include "algorithms/paxos/log.h"

#include <stdlib.h>
#include <string.h>

static void paxos_slot_clear(paxos_slot *s)
{
    memset(s, 0, sizeof *s);
    s->acc_ballot = PAXOS_NO_BALLOT;
    s->chosen_ballot = PAXOS_NO_BALLOT;
    s->prop_ballot = PAXOS_NO_BALLOT;
    s->p1_ballot = PAXOS_NO_BALLOT;
}

void paxos_log_init(paxos_log *l)
{
    memset(l, 0, sizeof *l);
}

void paxos_log_free(paxos_log *l)
{
    free(l->s);
    paxos_log_init(l);
}

paxos_slot *paxos_log_at(paxos_log *l, int64_t slot)
{
    if (slot < 1 || slot > l->last)
        return NULL;
    return &l->s[slot - 1];
}

const paxos_slot *paxos_log_get(const paxos_log *l, int64_t slot)
{
    if (slot < 1 || slot > l->last)
        return NULL;
    return &l->s[slot - 1];
}

paxos_slot *paxos_log_ensure(paxos_log *l, int64_t slot)
{
    if (slot < 1 || slot > PAXOS_MAX_SLOT)
        return NULL;
    if (slot > l->last) {
        if (!wire_array_grow((void **)&l->s, &l->cap, (size_t)slot,
                              sizeof *l->s))
            return NULL;
        for (int64_t i = l->last; i < slot; i++)
            paxos_slot_clear(&l->s[i]);
        l->last = slot;
    }
    return &l->s[slot - 1];
}

bool paxos_log_learn(paxos_slot *s, int64_t ballot, const paxos_cmd *cmd)
{
    if (s->chosen)
        return paxos_cmd_equal(&s->chosen_cmd, cmd);
    s->chosen = true;
    s->chosen_ballot = ballot;
    s->chosen_cmd = *cmd;
    s->prop_ballot = PAXOS_NO_BALLOT;     /* nothing left to propose */
    return true;
}
