/* input.c — what keys do (the same for a window and for scripted --keys):
 * playback, stepping, selection, and faults added by hand to a live run,
 * which restart it from time 0 with them (deterministically), at the
 * next whole millisecond so a saved scenario replays the run exactly;
 * `S` saves the run so far as a scenario file. */
#include "config.h"

#include "viz/viz.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- Faults by hand ---------------------------------------------------------- */

static void add_fault(viz_app *a, const char *type, fl_node_id node, const char *what)
{
    if (!a->live) {
        viz_app_notice(a, "faults can be added to a live run only (this is a replay)");
        return;
    }
    if (node == FL_NO_NODE && strcmp(type, "heal") != 0) {
        viz_app_notice(a, "select a node first (click it)");
        return;
    }
    /* at the next whole millisecond, so the saved scenario replays it exactly */
    int64_t at_ms = (a->t + FL_MS(1) - 1) / FL_MS(1);
    cJSON *f = cJSON_CreateObject();
    cJSON_AddNumberToObject(f, "at_ms", (double)at_ms);
    cJSON_AddStringToObject(f, "type", type);
    if (strcmp(type, "partition") == 0) {
        cJSON *groups = cJSON_AddArrayToObject(f, "groups");
        cJSON *alone = cJSON_CreateArray();
        cJSON_AddItemToArray(alone, cJSON_CreateNumber(node));
        cJSON_AddItemToArray(groups, alone);
        cJSON_AddItemToArray(groups, cJSON_CreateString("rest"));
    } else if (node != FL_NO_NODE) {
        cJSON_AddNumberToObject(f, "node", node);
    }
    if (strcmp(type, "pause") == 0)
        cJSON_AddNumberToObject(f, "duration_ms", 500);
    cJSON_AddItemToArray(a->added, f);
    fl_error err = { { 0 } };
    if (viz_app_restart_live(a, &err) < 0) {
        cJSON_DeleteItemFromArray(a->added, cJSON_GetArraySize(a->added) - 1);
        viz_app_notice(a, "not added: %s", err.msg);
        fl_error e2 = { { 0 } };
        (void)viz_app_restart_live(a, &e2);
        return;
    }
    viz_app_notice(a, "%s at %lld ms: re-ran from 0 with it", what, (long long)at_ms);
}

static void save_scenario(viz_app *a)
{
    if (!a->live) {
        viz_app_notice(a, "replay: the trace file already is the record");
        return;
    }
    const char *base = strrchr(a->o.scenario, '/');
    base = base ? base + 1 : a->o.scenario;
    char stem[200], path[260];
    snprintf(stem, sizeof stem, "%s", base);
    char *dot = strrchr(stem, '.');
    if (dot)
        *dot = '\0';
    for (int i = 1; i < 1000; i++) {
        snprintf(path, sizeof path, "%s-viz%d.json", stem, i);
        if (access(path, F_OK) != 0)
            break;
    }
    char impl[300] = "";
    if (a->o.impl)
        snprintf(impl, sizeof impl, " --impl %s", a->o.impl);
    fl_error err = { { 0 } };
    if (viz_live_save(a->live, path, &err) < 0) {
        viz_app_notice(a, "not saved: %s", err.msg);
        fprintf(stderr, "faultline: %s\n", err.msg);
        return;
    }
    viz_app_notice(a, "saved %s: faultline run %s%s", path, path, impl);
    printf("viz: saved %s (replay it: faultline run %s%s)\n", path, path, impl);
}

/* ---- Input ---------------------------------------------------------------------------- */

static void change_speed(viz_app *a, double factor)
{
    a->o.speed *= factor;
    if (a->o.speed < 0.0005)
        a->o.speed = 0.0005;
    if (a->o.speed > 100)
        a->o.speed = 100;
    viz_app_notice(a, "speed %.3gx: 1 s simulated takes %.3g s", a->o.speed, 1 / a->o.speed);
}

void viz_input_zoom(viz_app *a, double factor)
{
    double span = (double)a->dg_span * factor;
    a->dg_span = span < (double)DG_SPAN_MIN ? DG_SPAN_MIN
               : span > (double)DG_SPAN_MAX ? DG_SPAN_MAX : (fl_time)span;
}

void viz_input_scroll_logs(viz_app *a, int64_t cols)
{
    viz_frame f;
    viz_app_frame(a, &f);                /* the state at the shown position */
    int64_t newest = 0;
    for (size_t i = 0; i < f.st->nnodes; i++) {
        const viz_node_state *ns = &f.st->nodes[i];
        const viz_view *v = viz_model_view(f.m, ns->alive ? ns->view : ns->live_view);
        if (v && v->log_last > newest)
            newest = v->log_last;
    }
    int64_t back = a->logs_back + cols;
    a->logs_back = back < 0 ? 0 : back > newest ? newest : back;
}

static void toggle_diagram(viz_app *a)
{
    a->diagram = !a->diagram;
    a->lay.wide = a->diagram;
    if (viz_layout_init(&a->lay, viz_app_model(a), a->lay.w, a->lay.h) < 0)
        a->quit = true;
}

void viz_input_key(viz_app *a, SDL_Keycode c, bool shift)
{
    switch (c) {
    case SDLK_SPACE: a->playing = !a->playing; break;
    case SDLK_RIGHT: a->playing = false; viz_app_step(a, +1); break;
    case SDLK_LEFT: a->playing = false; viz_app_step(a, -1); break;
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: change_speed(a, 2); break;
    case SDLK_MINUS: case SDLK_KP_MINUS: change_speed(a, 0.5); break;
    case SDLK_HOME: (void)viz_app_seek(a, 0); break;
    case SDLK_END: (void)viz_app_seek(a, viz_model_end(viz_app_model(a))); break;
    case SDLK_a: a->all_events = !a->all_events; break;
    case SDLK_d: toggle_diagram(a); break;
    case SDLK_g: a->logs_not_ring = !a->logs_not_ring; break;
    case SDLK_v: viz_app_cause_violation(a); break;
    case SDLK_o: viz_app_cause_op(a); break;
    case SDLK_LEFTBRACKET: viz_input_zoom(a, 2); break;
    case SDLK_RIGHTBRACKET: viz_input_zoom(a, 0.5); break;
    case SDLK_PAGEUP: viz_input_scroll_logs(a, VIZ_LOGS_PAGE); break;
    case SDLK_PAGEDOWN: viz_input_scroll_logs(a, -VIZ_LOGS_PAGE); break;
    case SDLK_c: add_fault(a, "crash", a->selected, "crash"); break;
    case SDLK_r: add_fault(a, "restart", a->selected, "restart"); break;
    case SDLK_p: add_fault(a, "pause", a->selected, "pause 500 ms"); break;
    case SDLK_x: add_fault(a, "partition", a->selected, "links cut"); break;
    case SDLK_h: add_fault(a, "heal", FL_NO_NODE, "heal"); break;
    case SDLK_s: if (shift) save_scenario(a); break;
    case SDLK_SLASH: case SDLK_QUESTION: a->help = !a->help; break;
    case SDLK_ESCAPE: if (a->help) a->help = false; else a->quit = true; break;
    case SDLK_q: a->quit = true; break;
    default: break;
    }
}

/* ---- Scripted input (--keys), one token a frame ------------------------------------ */

static SDL_Keycode key_named(const char *tok, bool *shift)
{
    static const struct { const char *name; SDL_Keycode key; } names[] = {
        { "space", SDLK_SPACE }, { "right", SDLK_RIGHT }, { "left", SDLK_LEFT },
        { "plus", SDLK_PLUS }, { "minus", SDLK_MINUS }, { "home", SDLK_HOME },
        { "end", SDLK_END }, { "esc", SDLK_ESCAPE }, { "zoomout", SDLK_LEFTBRACKET },
        { "zoomin", SDLK_RIGHTBRACKET }, { "pgup", SDLK_PAGEUP }, { "pgdn", SDLK_PAGEDOWN },
    };
    *shift = false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(tok, names[i].name) == 0)
            return names[i].key;
    if (strlen(tok) != 1)
        return SDLK_UNKNOWN;
    *shift = tok[0] >= 'A' && tok[0] <= 'Z';
    return *shift ? tok[0] - 'A' + 'a' : tok[0] == '?' ? SDLK_SLASH : tok[0];
}

/* Tokens: @MS seek, sN select node N, sL select the leader, and keys
 * (c r p x h S a q ? space right left plus minus home end esc zoomout
 * zoomin pgup pgdn). */
void viz_input_script_step(viz_app *a)
{
    const char *p = a->script;
    while (*p == ' ' || *p == ',')
        p++;
    if (!*p) {
        a->script = NULL;
        return;
    }
    char tok[32];
    size_t n = 0;
    while (p[n] && p[n] != ' ' && p[n] != ',' && n < sizeof tok - 1) {
        tok[n] = p[n];
        n++;
    }
    tok[n] = '\0';
    a->script = p + n;
    if (tok[0] == '@') {
        (void)viz_app_seek(a, (fl_time)(atof(tok + 1) * 1e6));
    } else if (tok[0] == 's' && tok[1] == 'L') {
        viz_frame f;
        viz_app_frame(a, &f);
        a->selected = viz_frame_leader(&f);
    } else if (tok[0] == 's' && tok[1] >= '0' && tok[1] <= '9') {
        a->selected = (fl_node_id)atoi(tok + 1);
    } else {
        bool shift;
        SDL_Keycode k = key_named(tok, &shift);
        if (k == SDLK_UNKNOWN)
            fprintf(stderr, "faultline: --keys: unknown token \"%s\" ignored\n", tok);
        else
            viz_input_key(a, k, shift);
    }
}

