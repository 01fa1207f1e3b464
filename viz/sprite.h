/* sprite.h — small anti-aliased discs and rings rendered once into white
 * textures and blitted with a colour, for shapes drawn by the thousand
 * (messages in flight): one blit each instead of a hundred triangles.
 * Owns its textures (a small cache keyed by shape and size). */
#ifndef FL_VIZ_SPRITE_H
#define FL_VIZ_SPRITE_H

#include <SDL.h>

#include "viz/theme.h"

#define VIZ_SPRITE_SLOTS 32

typedef struct viz_sprites {
    SDL_Renderer *r;
    struct viz_sprite {
        int          key;          /* 0: empty */
        SDL_Texture *tex;
        int          size;
    } slot[VIZ_SPRITE_SLOTS];
} viz_sprites;

void viz_sprites_free(viz_sprites *sp);
void viz_sprite_disc(viz_sprites *sp, float x, float y, float r, viz_rgba c);
void viz_sprite_ring(viz_sprites *sp, float x, float y, float r, float width, viz_rgba c);

#endif
