/* text.c — fonts and the rendered-string cache (see text.h). */
#include "viz/text.h"

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/util/hash.h"

#define CACHE_SLOTS 2048          /* a power of two */
#define CACHE_MAX 1400            /* clear everything past this */

typedef struct cache_entry {
    uint64_t     hash;
    char        *s;
    viz_font     font;
    uint32_t     color;
    SDL_Texture *tex;
    int          w, h;
} cache_entry;

struct viz_text {
    SDL_Renderer *r;
    TTF_Font     *fonts[VIZ_FONT_COUNT];
    cache_entry  *cache;
    size_t        used;
};

static const struct { const char *file; float px; } font_spec[VIZ_FONT_COUNT] = {
    [VIZ_FONT_SMALL]  = { VIZ_FONT_DIR "/DejaVuSans.ttf", 10.5f },
    [VIZ_FONT_NORMAL] = { VIZ_FONT_DIR "/DejaVuSans.ttf", 12.5f },
    [VIZ_FONT_BOLD]   = { VIZ_FONT_DIR "/DejaVuSans-Bold.ttf", 12.5f },
    [VIZ_FONT_MONO]   = { VIZ_FONT_DIR "/DejaVuSansMono.ttf", 11.5f },
    [VIZ_FONT_TITLE]  = { VIZ_FONT_DIR "/DejaVuSans-Bold.ttf", 15.5f },
};

static void cache_clear(viz_text *t)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        cache_entry *e = &t->cache[i];
        if (e->s) {
            free(e->s);
            SDL_DestroyTexture(e->tex);
        }
        memset(e, 0, sizeof *e);
    }
    t->used = 0;
}

static void fonts_close(TTF_Font **fonts)
{
    for (int i = 0; i < VIZ_FONT_COUNT; i++) {
        if (fonts[i])
            TTF_CloseFont(fonts[i]);
        fonts[i] = NULL;
    }
}

static int fonts_open(TTF_Font **fonts, float scale)
{
    for (int i = 0; i < VIZ_FONT_COUNT; i++) {
        int px = (int)(font_spec[i].px * scale + 0.5f);
        if (px < 6)
            px = 6;
        const char *file = access(font_spec[i].file, R_OK) == 0 ? font_spec[i].file
                                                                 : VIZ_FONT_MAIN;
        fonts[i] = TTF_OpenFont(file, px);
        if (!fonts[i]) {
            fonts_close(fonts);
            return -1;
        }
        TTF_SetFontHinting(fonts[i], TTF_HINTING_LIGHT);
    }
    return 0;
}

viz_text *viz_text_new(SDL_Renderer *r, float scale, fl_error *err)
{
    if (access(VIZ_FONT_MAIN, R_OK) != 0) {
        fl_error_set(err, "%s: font not found: install fonts-dejavu-core", VIZ_FONT_MAIN);
        return NULL;
    }
    viz_text *t = calloc(1, sizeof *t);
    if (t)
        t->cache = calloc(CACHE_SLOTS, sizeof *t->cache);
    if (!t || !t->cache) {
        free(t);
        fl_error_set(err, "out of memory");
        return NULL;
    }
    t->r = r;
    if (fonts_open(t->fonts, scale) < 0) {
        fl_error_set(err, "%s: cannot open the font: %s", VIZ_FONT_MAIN, TTF_GetError());
        viz_text_free(t);
        return NULL;
    }
    return t;
}

void viz_text_free(viz_text *t)
{
    if (!t)
        return;
    if (t->cache)
        cache_clear(t);
    free(t->cache);
    fonts_close(t->fonts);
    free(t);
}

int viz_text_rescale(viz_text *t, float scale)
{
    TTF_Font *fresh[VIZ_FONT_COUNT] = { 0 };
    if (fonts_open(fresh, scale) < 0)
        return -1;
    fonts_close(t->fonts);
    memcpy(t->fonts, fresh, sizeof fresh);
    cache_clear(t);
    return 0;
}

static uint32_t pack(viz_rgba c)
{
    return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

static uint64_t key_hash(viz_font f, uint32_t color, const char *s)
{
    return fl_fnv1a_str(FL_FNV_OFFSET ^ ((uint64_t)f << 40) ^ color, s);
}

static cache_entry *lookup(viz_text *t, viz_font f, const char *s, viz_rgba c)
{
    uint32_t color = pack(c);
    uint64_t h = key_hash(f, color, s);
    size_t i = (size_t)h & (CACHE_SLOTS - 1);
    for (; t->cache[i].s; i = (i + 1) & (CACHE_SLOTS - 1)) {
        cache_entry *e = &t->cache[i];
        if (e->hash == h && e->font == f && e->color == color && strcmp(e->s, s) == 0)
            return e;
    }
    if (t->used >= CACHE_MAX) {
        cache_clear(t);
        i = (size_t)h & (CACHE_SLOTS - 1);
    }
    SDL_Color sc = { c.r, c.g, c.b, c.a };
    SDL_Surface *surf = TTF_RenderUTF8_Blended(t->fonts[f], s, sc);
    if (!surf)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(t->r, surf);
    int w = surf->w, hh = surf->h;
    SDL_FreeSurface(surf);
    char *copy = strdup(s);
    if (!tex || !copy) {
        SDL_DestroyTexture(tex);
        free(copy);
        return NULL;
    }
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    cache_entry *e = &t->cache[i];
    *e = (cache_entry){ h, copy, f, color, tex, w, hh };
    t->used++;
    return e;
}

int viz_text_draw(viz_text *t, viz_font f, const char *s, float x, float y,
                  viz_rgba c, viz_align align)
{
    if (!s || !*s)
        return 0;
    cache_entry *e = lookup(t, f, s, c);
    if (!e)
        return 0;
    float left = align == VIZ_CENTER ? x - (float)e->w / 2
               : align == VIZ_RIGHT ? x - (float)e->w : x;
    SDL_Rect dst = { (int)(left + 0.5f), (int)(y + 0.5f), e->w, e->h };
    SDL_RenderCopy(t->r, e->tex, NULL, &dst);
    return e->w;
}

int viz_text_draw_mid(viz_text *t, viz_font f, const char *s, float x, float y,
                      viz_rgba c, viz_align align)
{
    return viz_text_draw(t, f, s, x, y - (float)TTF_FontHeight(t->fonts[f]) / 2,
                         c, align);
}

int viz_text_width(viz_text *t, viz_font f, const char *s)
{
    int w = 0, h = 0;
    if (s && *s)
        TTF_SizeUTF8(t->fonts[f], s, &w, &h);
    return w;
}

int viz_text_height(viz_text *t, viz_font f)
{
    return TTF_FontHeight(t->fonts[f]);
}

void viz_text_fit(viz_text *t, viz_font f, const char *s, float maxw, char *out,
                  size_t outlen)
{
    snprintf(out, outlen, "%s", s);
    if ((float)viz_text_width(t, f, out) <= maxw)
        return;
    size_t n = strlen(out);
    while (n > 0) {
        do
            n--;
        while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80);
        if (n + 4 > outlen)
            continue;
        memcpy(out + n, "\xe2\x80\xa6", 4);       /* ... */
        if ((float)viz_text_width(t, f, out) <= maxw)
            return;
    }
    out[0] = '\0';
}
