/* sprite.c — cached disc and ring textures (see sprite.h). Coverage is
 * computed per pixel from the distance to the centre, which gives a clean
 * one-pixel anti-aliased edge. */
#include "viz/sprite.h"

#include <math.h>
#include <string.h>

void viz_sprites_free(viz_sprites *sp)
{
    for (int i = 0; i < VIZ_SPRITE_SLOTS; i++)
        if (sp->slot[i].tex)
            SDL_DestroyTexture(sp->slot[i].tex);
    memset(sp->slot, 0, sizeof sp->slot);
}

/* White pixels whose alpha is the coverage of a disc (width <= 0) or of a
 * ring of that width. */
static SDL_Texture *make(SDL_Renderer *rend, float r, float width, int *size)
{
    int d = (int)ceilf(2 * (r + (width > 0 ? width / 2 : 0)) + 3);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, d, d, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    float c = (float)d / 2;
    for (int y = 0; y < d; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + y * s->pitch);
        for (int x = 0; x < d; x++) {
            float dx = (float)x + 0.5f - c, dy = (float)y + 0.5f - c;
            float dist = sqrtf(dx * dx + dy * dy);
            float cov = width > 0 ? width / 2 + 0.5f - fabsf(dist - r) : r + 0.5f - dist;
            cov = cov < 0 ? 0 : cov > 1 ? 1 : cov;
            row[x] = (uint32_t)(cov * 255 + 0.5f) << 24 | 0xffffffu;
        }
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(rend, s);
    SDL_FreeSurface(s);
    if (t)
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    *size = d;
    return t;
}

static struct viz_sprite *get(viz_sprites *sp, float r, float width)
{
    int key = 1 + (int)(r * 8 + 0.5f) * 4096 + (width > 0 ? (int)(width * 8 + 0.5f) : 0);
    int free_slot = -1;
    for (int i = 0; i < VIZ_SPRITE_SLOTS; i++) {
        if (sp->slot[i].key == key)
            return &sp->slot[i];
        if (!sp->slot[i].key && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0) {                 /* full: start over (sizes changed) */
        viz_sprites_free(sp);
        free_slot = 0;
    }
    struct viz_sprite *s = &sp->slot[free_slot];
    s->tex = make(sp->r, r, width, &s->size);
    if (!s->tex)
        return NULL;
    s->key = key;
    return s;
}

static void blit(viz_sprites *sp, struct viz_sprite *s, float x, float y, viz_rgba c)
{
    if (!s)
        return;
    SDL_SetTextureColorMod(s->tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(s->tex, c.a);
    float h = (float)s->size / 2;
    SDL_FRect dst = { floorf(x - h + 0.5f), floorf(y - h + 0.5f), (float)s->size, (float)s->size };
    SDL_RenderCopyF(sp->r, s->tex, NULL, &dst);
}

void viz_sprite_disc(viz_sprites *sp, float x, float y, float r, viz_rgba c)
{
    blit(sp, get(sp, r, 0), x, y, c);
}

void viz_sprite_ring(viz_sprites *sp, float x, float y, float r, float width, viz_rgba c)
{
    blit(sp, get(sp, r, width), x, y, c);
}
