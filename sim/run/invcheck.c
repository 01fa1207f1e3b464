/* invcheck.c — the invariant step hook. */
#include "sim/run/invcheck.h"

#include <stdlib.h>
#include <string.h>

#include "sim/run/world.h"

/* One invariant that has a step (or a message) check, with its state: the
 * hooks run after every event and walk only these. */
typedef struct inv_slot {
    const fl_invariant *inv;
    void               *state;
} inv_slot;

struct fl_invcheck {
    fl_world     world;          /* over the engine the checker was made for */
    const fl_invariant *const *invs;
    size_t       n;
    void       **states;
    inv_slot    *steps, *msgs;   /* those with check / message, in order */
    size_t       nsteps, nmsgs;
    bool         failed;
    fl_violation violation;
};

fl_invcheck *fl_invcheck_new(const char *family, fl_engine *e)
{
    fl_invcheck *ic = calloc(1, sizeof *ic);
    if (!ic)
        return NULL;
    ic->world = fl_world_of_engine(e);
    ic->invs = fl_invariants_for(family, &ic->n);
    ic->states = calloc(ic->n ? ic->n : 1, sizeof *ic->states);
    if (!ic->states)
        goto fail;
    for (size_t i = 0; i < ic->n; i++) {
        const fl_invariant *inv = ic->invs[i];
        ic->states[i] = calloc(1, inv->state_size ? inv->state_size : 1);
        if (!ic->states[i])
            goto fail;
        if (inv->init && inv->init(ic->states[i], &ic->world) != 0)
            goto fail;
    }
    ic->steps = calloc(ic->n ? ic->n : 1, sizeof *ic->steps);
    ic->msgs = calloc(ic->n ? ic->n : 1, sizeof *ic->msgs);
    if (!ic->steps || !ic->msgs)
        goto fail;
    for (size_t i = 0; i < ic->n; i++) {
        inv_slot slot = { ic->invs[i], ic->states[i] };
        if (ic->invs[i]->check)
            ic->steps[ic->nsteps++] = slot;
        if (ic->invs[i]->message)
            ic->msgs[ic->nmsgs++] = slot;
    }
    return ic;
fail:
    fl_invcheck_free(ic);
    return NULL;
}

void fl_invcheck_free(fl_invcheck *ic)
{
    if (!ic)
        return;
    for (size_t i = 0; ic->states && i < ic->n; i++) {
        if (ic->states[i] && ic->invs[i]->destroy)
            ic->invs[i]->destroy(ic->states[i]);
        free(ic->states[i]);
    }
    free(ic->states);
    free(ic->steps);
    free(ic->msgs);
    free(ic);
}

static int hook(void *arg, fl_engine *e, fl_node_id node,
                const fl_view *before, const fl_view *after)
{
    fl_invcheck *ic = arg;
    if (ic->failed)
        return -1;
    const fl_world *w = &ic->world;
    fl_violation *v = &ic->violation;
    for (size_t i = 0; i < ic->nsteps; i++) {
        const inv_slot *sl = &ic->steps[i];
        v->msg[0] = '\0';
        if (sl->inv->check(sl->state, w, node, before, after, v->msg,
                           sizeof v->msg) != 0) {
            ic->failed = true;
            v->name = sl->inv->name;
            v->node = node;
            v->time = fl_engine_now(e);
            return -1;
        }
    }
    return 0;
}

static int msg_hook(void *arg, fl_engine *e, const fl_msg_event *ev)
{
    fl_invcheck *ic = arg;
    if (ic->failed)
        return -1;
    const fl_world *w = &ic->world;
    fl_inv_msg m = { .sent = ev->sent, .from = ev->from, .to = ev->to,
                     .depart = ev->depart, .unsynced = ev->unsynced,
                     .before = ev->before, .after = ev->after };
    fl_msg_info_clear(&m.info);
    const fl_algorithm *alg = fl_engine_algorithm(e);
    if (ev->desc && ev->desc->done) {
        m.info = ev->desc->info;        /* described once, when sent */
    } else if (alg->describe) {
        alg->describe(ev->data, ev->len, &m.info);
        if (ev->desc) {
            ev->desc->info = m.info;
            ev->desc->done = true;
        }
    }
    fl_violation *v = &ic->violation;
    for (size_t i = 0; i < ic->nmsgs; i++) {
        const inv_slot *sl = &ic->msgs[i];
        v->msg[0] = '\0';
        if (sl->inv->message(sl->state, w, &m, v->msg, sizeof v->msg) != 0) {
            ic->failed = true;
            v->name = sl->inv->name;
            v->node = ev->sent ? ev->from : ev->to;
            v->time = fl_engine_now(e);
            return -1;
        }
    }
    return 0;
}

int fl_invcheck_attach(fl_invcheck *ic, fl_engine *e)
{
    if (ic->n == 0)
        return 0;
    if (ic->nmsgs && fl_engine_add_msg_hook(e, msg_hook, ic) < 0)
        return -1;
    return fl_engine_add_hook(e, hook, ic);
}

size_t fl_invcheck_count(const fl_invcheck *ic)
{
    return ic->n;
}

const fl_invariant *fl_invcheck_at(const fl_invcheck *ic, size_t i)
{
    return i < ic->n ? ic->invs[i] : NULL;
}

const fl_violation *fl_invcheck_violation(const fl_invcheck *ic)
{
    return ic->failed ? &ic->violation : NULL;
}

int fl_invcheck_finish(fl_invcheck *ic, fl_engine *e)
{
    const fl_world *w = &ic->world;
    for (size_t i = 0; i < ic->n && !ic->failed; i++) {
        const fl_invariant *inv = ic->invs[i];
        fl_violation *v = &ic->violation;
        v->msg[0] = '\0';
        if (inv->finish && inv->finish(ic->states[i], w, fl_engine_end(e), v->msg,
                                       sizeof v->msg) != 0) {
            ic->failed = true;
            v->name = inv->name;
            v->node = FL_NO_NODE;
            v->time = fl_engine_end(e);
            return -1;
        }
    }
    return 0;
}
