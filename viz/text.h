/* text.h — text with SDL2_ttf: the DejaVu fonts at a few sizes that scale
 * with the window, and a cache of rendered strings as textures (cleared
 * when full, so a changing clock costs one string a frame). */
#ifndef FL_VIZ_TEXT_H
#define FL_VIZ_TEXT_H

#include <SDL.h>
#include <stdbool.h>

#include "sim/error.h"
#include "viz/theme.h"

#define VIZ_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#define VIZ_FONT_MAIN VIZ_FONT_DIR "/DejaVuSans.ttf"

typedef enum viz_font {
    VIZ_FONT_SMALL,     /* 10 px at scale 1 */
    VIZ_FONT_NORMAL,    /* 12 px */
    VIZ_FONT_BOLD,      /* 12 px bold */
    VIZ_FONT_MONO,      /* 11 px monospace, for event lines */
    VIZ_FONT_TITLE,     /* 15 px bold */
    VIZ_FONT_COUNT
} viz_font;

typedef enum viz_align {
    VIZ_LEFT, VIZ_CENTER, VIZ_RIGHT
} viz_align;

typedef struct viz_text viz_text;

/* Opens the fonts (DejaVuSans.ttf is required, the others fall back to
 * it). NULL with err->msg set if the font is missing. */
viz_text *viz_text_new(SDL_Renderer *r, float scale, fl_error *err);
void      viz_text_free(viz_text *t);
/* Re-opens the fonts for a new scale; -1 on failure (keeps the old ones). */
int       viz_text_rescale(viz_text *t, float scale);

/* Draws `s` with its top at y, aligned on x; returns its width. */
int  viz_text_draw(viz_text *t, viz_font f, const char *s, float x, float y,
                   viz_rgba c, viz_align align);
/* Like viz_text_draw but vertically centred on y. */
int  viz_text_draw_mid(viz_text *t, viz_font f, const char *s, float x, float y,
                       viz_rgba c, viz_align align);
int  viz_text_width(viz_text *t, viz_font f, const char *s);
/* `s` cut (at a character boundary, with an ellipsis) to fit `maxw` px. */
void viz_text_fit(viz_text *t, viz_font f, const char *s, float maxw, char *out,
                  size_t outlen);
int  viz_text_height(viz_text *t, viz_font f);

#endif
