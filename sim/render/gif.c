/*
 * gif.c — animated GIFs of canvases (cascade.gif of `waggle draw`), encoded
 * by giflib: the only file of waggle that includes gif_lib.h.
 *
 * Invariants:
 * 1. One palette for the whole file (the global colour map): the colours
 *    the caller keeps are entries 216.. exactly, every other colour maps to
 *    the nearest entry of a 6×6×6 cube (entries 0..215); so a colour of a
 *    state is the same index on every frame, and the bytes depend only on
 *    the frames.
 * 2. Frame k stores the bounding rectangle of the pixels that differ from
 *    frame k-1 (at least one pixel), with disposal "leave in place": frame k
 *    shown is frame k drawn. A frame that changed nothing is a 1×1 frame.
 * 3. The file is written through wg_out: under its real name only when
 *    complete (wg_gif_close with commit).
 */
#include <gif_lib.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/output.h"

#include "canvas.h"

#define GIF_CUBE 6                  /* levels per channel of the cube */
#define GIF_CUBE_N (GIF_CUBE * GIF_CUBE * GIF_CUBE)
#define GIF_KEEP_MAX (256 - GIF_CUBE_N)
#define GIF_HASH 256                /* slots of the kept colours' table (a power of two) */

struct wg_gif {
    wg_out o;
    GifFileType *gf;
    int w, h, frames;
    uint8_t *cur, *prev;            /* w × h palette indices */
    uint32_t keep[GIF_KEEP_MAX];
    int nkeep;
    int16_t slot[GIF_HASH];         /* index into keep, or -1 */
};

static int gif_write(GifFileType *gf, const GifByteType *buf, int n)
{
    wg_out *o = gf->UserData;
    return (int)fwrite(buf, 1, (size_t)n, o->f);
}

static unsigned hash_of(uint32_t c)
{
    return (c * 2654435761u) >> 24 & (GIF_HASH - 1);
}

static uint8_t cube_level(unsigned v)
{
    return (uint8_t)((v * (GIF_CUBE - 1) + 127) / 255);
}

static uint8_t index_of(const wg_gif *g, uint32_t c)
{
    c &= 0xFFFFFF;
    for (unsigned h = hash_of(c);; h = (h + 1) & (GIF_HASH - 1)) {
        if (g->slot[h] < 0) break;
        if (g->keep[g->slot[h]] == c) return (uint8_t)(GIF_CUBE_N + g->slot[h]);
    }
    return (uint8_t)(cube_level(c >> 16 & 255) * GIF_CUBE * GIF_CUBE +
                     cube_level(c >> 8 & 255) * GIF_CUBE + cube_level(c & 255));
}

static wg_status gif_fail(wg_gif *g, wg_diag *d)
{
    wg_diag_error(d, WG_EIO, "%s: cannot write the GIF: %s", g->o.path ? g->o.path : "GIF",
                  GifErrorString(g->gf ? g->gf->Error : 0));
    return WG_EIO;
}

wg_status wg_gif_open(wg_gif **out, const char *dir, const char *name, int w, int h,
                      const uint32_t *keep, int nkeep, wg_diag *d)
{
    *out = NULL;
    wg_gif *g = wg_calloc(1, sizeof *g);
    if (!g) return wg_canvas_oom(d);
    g->w = w, g->h = h;
    g->cur = wg_malloc((size_t)w * h, 1);
    g->prev = wg_malloc((size_t)w * h, 1);
    if (!g->cur || !g->prev) {
        wg_gif_close(g, 0, NULL);
        return wg_canvas_oom(d);
    }
    memset(g->slot, -1, sizeof g->slot);
    for (int i = 0; i < nkeep && g->nkeep < GIF_KEEP_MAX; i++) {
        uint32_t c = keep[i] & 0xFFFFFF;
        unsigned hs = hash_of(c);
        int dup = 0;
        for (; g->slot[hs] >= 0; hs = (hs + 1) & (GIF_HASH - 1))
            if (g->keep[g->slot[hs]] == c) dup = 1;
        if (dup) continue;
        g->slot[hs] = (int16_t)g->nkeep;
        g->keep[g->nkeep++] = c;
    }
    wg_status st = wg_out_open(&g->o, dir, name, d);
    if (st != WG_OK) {
        wg_gif_close(g, 0, NULL);
        return st;
    }
    int err = 0;
    g->gf = EGifOpen(&g->o, gif_write, &err);
    if (!g->gf) {
        wg_diag_error(d, WG_ENOMEM, "%s/%s: giflib: %s", dir, name, GifErrorString(err));
        wg_gif_close(g, 0, NULL);
        return WG_ENOMEM;
    }
    GifColorType pal[256];
    memset(pal, 0, sizeof pal);
    for (int i = 0; i < GIF_CUBE_N; i++) {
        pal[i].Red = (GifByteType)(i / (GIF_CUBE * GIF_CUBE) * 255 / (GIF_CUBE - 1));
        pal[i].Green = (GifByteType)(i / GIF_CUBE % GIF_CUBE * 255 / (GIF_CUBE - 1));
        pal[i].Blue = (GifByteType)(i % GIF_CUBE * 255 / (GIF_CUBE - 1));
    }
    for (int i = 0; i < g->nkeep; i++) {
        pal[GIF_CUBE_N + i].Red = (GifByteType)(g->keep[i] >> 16);
        pal[GIF_CUBE_N + i].Green = (GifByteType)(g->keep[i] >> 8);
        pal[GIF_CUBE_N + i].Blue = (GifByteType)g->keep[i];
    }
    ColorMapObject *map = GifMakeMapObject(256, pal);
    if (!map) {
        wg_gif_close(g, 0, NULL);
        return wg_canvas_oom(d);
    }
    EGifSetGifVersion(g->gf, true);
    int rc = EGifPutScreenDesc(g->gf, w, h, 8, 0, map);
    GifFreeMapObject(map);
    /* loop forever: the NETSCAPE2.0 application extension, count 0 */
    static const GifByteType loop[3] = {1, 0, 0};
    if (rc == GIF_OK) rc = EGifPutExtensionLeader(g->gf, APPLICATION_EXT_FUNC_CODE);
    if (rc == GIF_OK) rc = EGifPutExtensionBlock(g->gf, 11, "NETSCAPE2.0");
    if (rc == GIF_OK) rc = EGifPutExtensionBlock(g->gf, 3, loop);
    if (rc == GIF_OK) rc = EGifPutExtensionTrailer(g->gf);
    if (rc != GIF_OK) {
        st = gif_fail(g, d);
        wg_gif_close(g, 0, NULL);
        return st;
    }
    *out = g;
    return WG_OK;
}

wg_status wg_gif_frame(wg_gif *g, wg_canvas *cv, int delay_cs, wg_diag *d)
{
    int stride;
    const uint32_t *px = wg_canvas_pixels(cv, &stride);
    for (int y = 0; y < g->h; y++)
        for (int x = 0; x < g->w; x++)
            g->cur[(size_t)y * g->w + x] = index_of(g, px[(size_t)y * stride + x]);
    int x0 = 0, y0 = 0, x1 = g->w - 1, y1 = g->h - 1;
    if (g->frames > 0) {   /* the rectangle that changed */
        x0 = g->w, y0 = g->h, x1 = -1, y1 = -1;
        for (int y = 0; y < g->h; y++) {
            const uint8_t *a = g->cur + (size_t)y * g->w, *b = g->prev + (size_t)y * g->w;
            if (memcmp(a, b, (size_t)g->w) == 0) continue;
            if (y < y0) y0 = y;
            y1 = y;
            for (int x = 0; x < g->w; x++)
                if (a[x] != b[x]) {
                    if (x < x0) x0 = x;
                    if (x > x1) x1 = x;
                }
        }
        if (x1 < 0) x0 = y0 = x1 = y1 = 0;   /* nothing changed: one pixel */
    }
    GraphicsControlBlock gcb = {DISPOSE_DO_NOT, false, delay_cs, NO_TRANSPARENT_COLOR};
    GifByteType ext[4];
    EGifGCBToExtension(&gcb, ext);
    int rc = EGifPutExtension(g->gf, GRAPHICS_EXT_FUNC_CODE, 4, ext);
    if (rc == GIF_OK) rc = EGifPutImageDesc(g->gf, x0, y0, x1 - x0 + 1, y1 - y0 + 1, false, NULL);
    for (int y = y0; rc == GIF_OK && y <= y1; y++)
        rc = EGifPutLine(g->gf, g->cur + (size_t)y * g->w + x0, x1 - x0 + 1);
    if (rc != GIF_OK) return gif_fail(g, d);
    uint8_t *t = g->prev;
    g->prev = g->cur;
    g->cur = t;
    g->frames++;
    return WG_OK;
}

wg_status wg_gif_close(wg_gif *g, int commit, wg_diag *d)
{
    if (!g) return WG_OK;
    wg_status st = WG_OK;
    if (g->gf) {
        int err = 0;
        /* EGifCloseFile writes the trailer and frees; the stream stays ours */
        if (EGifCloseFile(g->gf, &err) != GIF_OK && commit) {
            wg_diag_error(d, WG_EIO, "%s: cannot write the GIF: %s", g->o.path,
                          GifErrorString(err));
            st = WG_EIO;
        }
    }
    if (commit && st == WG_OK) st = wg_out_commit(&g->o, d);
    else wg_out_abort(&g->o);
    free(g->cur);
    free(g->prev);
    free(g);
    return st;
}
