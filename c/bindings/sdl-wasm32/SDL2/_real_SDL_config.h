/*
 * SDL's configuration for binding SDL_events.h for wasm32 (c/bindings/bindings.ts, `sdl-events`).
 *
 * Debian's SDL_config.h includes <SDL2/_real_SDL_config.h>, which libsdl2-dev ships only for its
 * own architecture (/usr/include/x86_64-linux-gnu/SDL2/): that one describes a Linux build of SDL
 * and includes glibc's headers, which do not exist for wasm32. This one says only what the types
 * of SDL_events.h need from a C library, and wasi-libc has it: <stdarg.h>, <stddef.h> and
 * <stdint.h>. No declaration of SDL_events.h depends on the rest of SDL's configuration (which
 * of libc's functions exist, which video and audio drivers are built), so the layouts are those
 * of SDL's event types as clang lays them out for wasm32, as a wasm build of SDL has them.
 */
#ifndef SDL_config_h_
#define SDL_config_h_

#include "SDL_platform.h"

#define HAVE_STDARG_H 1
#define HAVE_STDDEF_H 1
#define HAVE_STDINT_H 1

#endif
