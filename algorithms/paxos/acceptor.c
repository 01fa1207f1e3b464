/* acceptor.c — the Paxos acceptor (see acceptor.h). */
#include "algorithms/paxos/acceptor.h"

#include <stdlib.h>
#include <string.h>

void paxos_acc_init(paxos_acceptor *a, unsigned bugs)
{
    memset(a, 0, sizeof *a);
    a->promised = PAXOS_NO_BALLOT;
    a->durable_promised = PAXOS_NO_BALLOT;
    a->acc_lo = a->acc_hi = a->dur_lo = a->dur_hi = -1;
    paxos_reg_init(&a->reg, "promise");
    a->bugs = bugs;
}

void paxos_acc_free(paxos_acceptor *a)
{
    free(a->dirty);
    a->dirty = NULL;
    a->ndirty = a->cap_dirty = 0;
}

static bool paxos_acc_bug(const paxos_acceptor *a, unsigned bug)
{
    return (a->bugs & bug) != 0;
}

int paxos_acc_recover(fl_ctx *ctx, paxos_acceptor *a, paxos_log *log)
{
    /* The forget-promise bug never wrote it: the restart starts afresh. */
    a->promised = paxos_acc_bug(a, PAXOS_BUG(FORGET_PROMISE))
                      ? PAXOS_NO_BALLOT
                      : paxos_reg_read(ctx, &a->reg, PAXOS_NO_BALLOT);
    if (a->promised < PAXOS_NO_BALLOT)
        a->promised = PAXOS_NO_BALLOT;
    a->durable_promised = a->promised;
    int64_t n = paxos_rec_load(ctx, &a->rec, log);
    return n < 0 ? -1 : 0;
}

void paxos_acc_begin(paxos_acceptor *a, paxos_log *log)
{
    a->durable_promised = a->promised;
    a->acc_lo = a->acc_hi = a->dur_lo = a->dur_hi = -1;
    for (size_t i = 0; i < a->ndirty; i++) {
        int64_t slot = a->dirty[i];
        paxos_slot *s = paxos_log_at(log, slot);
        if (s)
            s->acc_durable = true;
        if (a->dur_lo < 0 || slot < a->dur_lo)
            a->dur_lo = slot;
        if (slot > a->dur_hi)
            a->dur_hi = slot;
    }
    a->ndirty = 0;
}

void paxos_acc_on_settle(paxos_acceptor *a)
{
    a->settle_armed = false;
}

bool paxos_acc_prepare(paxos_acceptor *a, int64_t ballot)
{
    /* The promise-any bug grants a lower ballot too (keeping its promise). */
    if (ballot < a->promised)
        return paxos_acc_bug(a, PAXOS_BUG(PROMISE_ANY));
    if (ballot > a->promised) {
        a->promised = ballot;
        a->promise_dirty = true;
    }
    return true;
}

static int paxos_acc_mark_dirty(paxos_acceptor *a, int64_t slot)
{
    for (size_t i = 0; i < a->ndirty; i++)
        if (a->dirty[i] == slot)
            return 0;
    if (!wire_array_grow((void **)&a->dirty, &a->cap_dirty, a->ndirty + 1,
                          sizeof *a->dirty))
        return -1;
    a->dirty[a->ndirty++] = slot;
    return 0;
}

int paxos_acc_accept(fl_ctx *ctx, paxos_acceptor *a, paxos_log *log,
                     int64_t ballot, int64_t slot, const paxos_cmd *cmd)
{
    /* PMS §2.2 P1a: accept unless a higher ballot was promised. The
     * accept-below-promise bug forgets to look. */
    if (ballot < 0 ||
        (ballot < a->promised && !paxos_acc_bug(a, PAXOS_BUG(ACCEPT_BELOW))))
        return 0;
    paxos_slot *s = paxos_log_ensure(log, slot);
    if (!s)
        return -1;
    if (ballot > a->promised) {
        a->promised = ballot;
        a->promise_dirty = true;
    }
    if (s->acc_ballot == ballot && paxos_cmd_equal(&s->acc_cmd, cmd))
        return 1;                       /* a resend: already accepted */
    if (paxos_acc_mark_dirty(a, slot) != 0)
        return -1;
    if (paxos_rec_append(ctx, &a->rec, slot, ballot, cmd) != 0)
        fl_log(ctx, "paxos: writing an accept record failed");
    s->acc_ballot = ballot;
    s->acc_cmd = *cmd;
    s->acc_durable = false;
    a->unsynced = true;
    a->accepts++;
    s->acc_seq = (uint64_t)a->accepts;
    if (a->acc_lo < 0 || slot < a->acc_lo)
        a->acc_lo = slot;
    if (slot > a->acc_hi)
        a->acc_hi = slot;
    return 1;
}

void paxos_acc_flush(fl_ctx *ctx, paxos_acceptor *a)
{
    bool promise = a->promise_dirty;
    if (a->promise_dirty) {
        a->promise_dirty = false;
        if (!paxos_acc_bug(a, PAXOS_BUG(FORGET_PROMISE))) {
            if (paxos_reg_write(ctx, &a->reg, a->promised) != 0)
                fl_log(ctx, "paxos: writing the promise failed");
            a->unsynced = true;
        }
    }
    if (!a->unsynced)
        return;
    /* The accept-no-sync bug answers with only accept records unsynced
     * (a later promise's sync makes them durable by chance). */
    if (!promise && paxos_acc_bug(a, PAXOS_BUG(ACCEPT_NO_SYNC)))
        return;
    /* PMS §2.3: durable before the reply that depends on it leaves. */
    fl_disk_sync(ctx);
    a->unsynced = false;
    if (!a->settle_armed) {
        /* It fires once the sync is done (the node is busy until then). */
        fl_set_timer(ctx, 0, FL_TIMER_OTHER, PAXOS_COOKIE_SETTLE);
        a->settle_armed = true;
    }
}

/* ---- Views ---------------------------------------------------------------- */

void paxos_view_scalar(fl_view *v, const char *name, int64_t value)
{
    if (v->nscalars < FL_VIEW_MAX_SCALARS) {
        v->scalars[v->nscalars].name = name;
        v->scalars[v->nscalars].value = value;
        v->nscalars++;
    }
}

void paxos_acc_scalars(const paxos_acceptor *a, fl_view *v)
{
    paxos_view_scalar(v, "acc_lo", a->acc_lo);
    paxos_view_scalar(v, "acc_hi", a->acc_hi);
    paxos_view_scalar(v, "dur_lo", a->dur_lo);
    paxos_view_scalar(v, "dur_hi", a->dur_hi);
    paxos_view_scalar(v, "durable_promised", a->durable_promised);
}

bool paxos_slot_entry(const paxos_slot *s, fl_view_entry *out)
{
    if (!s)
        return false;
    if (s->chosen) {
        out->term = s->chosen_ballot;
        out->command = paxos_cmd_hash(&s->chosen_cmd);
        out->chain = s->chain;
        out->committed = true;
        /* durable: this node's acceptor holds the same pvalue on disk */
        out->durable = s->acc_durable && s->acc_ballot == s->chosen_ballot &&
                       paxos_cmd_equal(&s->acc_cmd, &s->chosen_cmd);
        return true;
    }
    if (s->acc_ballot < 0)
        return false;
    out->term = s->acc_ballot;
    out->command = paxos_cmd_hash(&s->acc_cmd);
    out->chain = wire_hash_bytes(&out->command, sizeof out->command) ^
                 (uint64_t)s->acc_ballot;
    out->committed = false;
    out->durable = s->acc_durable;
    return true;
}
