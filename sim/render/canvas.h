/*
 * canvas.h — render's drawing surface (private to sim/render/): an image the
 * size of the chart, text, paths, fills and strokes, clipping, and the PNG
 * file with its text chunks. canvas.c is the only file of waggle that
 * includes cairo.h and png.h; every chart draws through these functions.
 *
 * Coordinates are pixels, origin top left. A canvas has a current colour,
 * font, line width, line cap and join, dash and path, as cairo has: a call
 * changes only what it names, and a path is consumed by wg_canvas_fill or
 * wg_canvas_stroke.
 */
#ifndef WAGGLE_RENDER_CANVAS_H
#define WAGGLE_RENDER_CANVAS_H

#include "waggle/common.h"
#include "waggle/render.h"

/* cairo's own types (cairo.h: typedef struct _cairo cairo_t), declared here
 * and used only by canvas.c, so that no other file needs cairo.h */
struct _cairo;
struct _cairo_surface;

typedef struct wg_canvas {
    struct _cairo_surface *surf;
    struct _cairo *cr;
    int w, h;     /* pixels */
    double u;     /* pixels per design pixel (1600×900 at 96 dpi) */
    double dpi;
    wg_render_textlog *log;   /* the options' record of the text drawn, or NULL */
    int format;   /* wg_render_format: PNG draws on an image, PDF and SVG on a recording */
} wg_canvas;

/* A colour, components in [0, 1]. */
typedef struct wg_rgb {
    double r, g, b;
} wg_rgb;
#define WG_HEX(h) {((h) >> 16 & 255) / 255.0, ((h) >> 8 & 255) / 255.0, ((h)&255) / 255.0}

/* The report of an allocation failure in render: "out of memory while
 * drawing", WG_ENOMEM. Returns WG_ENOMEM. */
wg_status wg_canvas_oom(wg_diag *d);

/* A white canvas of the options' size (NULL: the defaults), fonts without
 * hinting so that the layout depends on the font only. u, the scale of the
 * design, is dpi / 96 times the size's ratio to 1600×900, but never so large
 * that the canvas holds fewer than WG_CANVAS_MIN_W × WG_CANVAS_MIN_H design
 * pixels: every chart is laid out for at least that room. WG_ENOMEM. */
#define WG_CANVAS_MIN_W 800.0
#define WG_CANVAS_MIN_H 450.0
wg_status wg_canvas_new(wg_canvas *cv, const wg_render_opts *o, wg_diag *d);
/* Harmless on a canvas that wg_canvas_new did not make (zeroed). */
void wg_canvas_free(wg_canvas *cv);

/* ---- state ----------------------------------------------------------------------------------- */

void wg_canvas_color(wg_canvas *cv, wg_rgb c, double alpha);
/* DejaVu Sans of size × u pixels, bold or not; text that holds CJK letters
 * (Han, kana, Hangul, full-width forms) is drawn and measured in WenQuanYi Zen
 * Hei (Debian's fonts-wqy-zenhei, through cairo's toy API and fontconfig) of
 * the same size and weight, which has Latin letters too. */
void wg_canvas_font(wg_canvas *cv, double size, int bold);
void wg_canvas_line_width(wg_canvas *cv, double width);
void wg_canvas_line_cap_round(wg_canvas *cv);
void wg_canvas_line_join_round(wg_canvas *cv);
/* Dashes of `on` pixels drawn and `off` pixels left; on = 0: solid lines. */
void wg_canvas_dash(wg_canvas *cv, double on, double off);
/* Draw only inside the rectangle until wg_canvas_unclip (they nest). */
void wg_canvas_clip(wg_canvas *cv, double x, double y, double w, double h);
void wg_canvas_unclip(wg_canvas *cv);

/* ---- paths ----------------------------------------------------------------------------------- */

void wg_canvas_move_to(wg_canvas *cv, double x, double y);
void wg_canvas_line_to(wg_canvas *cv, double x, double y);
void wg_canvas_close_path(wg_canvas *cv);
void wg_canvas_rect(wg_canvas *cv, double x, double y, double w, double h);
/* A whole circle of radius r around (x, y). */
void wg_canvas_circle(wg_canvas *cv, double x, double y, double r);
void wg_canvas_fill(wg_canvas *cv);
void wg_canvas_stroke(wg_canvas *cv);
/* Stroke and keep the path (to fill it next). */
void wg_canvas_stroke_keep(wg_canvas *cv);

/* ---- text ------------------------------------------------------------------------------------ */

/* Width of s in the current font, pixels. */
double wg_canvas_text_width(wg_canvas *cv, const char *s);
/* Text with its anchor at (x, y): ax 0 left, 0.5 centre, 1 right; ay 0 top,
 * 0.5 middle, 1 baseline (of the font's cap height). Its box goes to the
 * options' text record when there is one. */
void wg_canvas_text(wg_canvas *cv, double x, double y, double ax, double ay, const char *s);
/* Text turned a quarter, centred on (x, y): turn -1 reads upwards (a left
 * axis label), +1 downwards (a right one). */
void wg_canvas_text_turned(wg_canvas *cv, double x, double y, int turn, const char *s);
/* Shorten s with "…" until it fits in width w (in place; s has room for 3
 * more bytes). */
void wg_canvas_fit_text(wg_canvas *cv, char *s, double w);
/* The height of a line of text in the current font (ascent + descent), pixels. */
double wg_canvas_line_height(wg_canvas *cv);

/* The canvas's pixels: one native-endian word 0x00RRGGBB per pixel, rows
 * *stride words apart (flushed: what was drawn so far). */
const uint32_t *wg_canvas_pixels(wg_canvas *cv, int *stride);

/* ---- the file -------------------------------------------------------------------------------- */

/* A PNG text chunk. */
typedef struct wg_png_meta {
    const char *key, *value;
} wg_png_meta;

/* Write the canvas to dir/name (wg_out: atomically) in the canvas's format.
 * PNG: an 8-bit RGB PNG with the text chunks meta[0..n) (at most 16; UTF-8
 * values go to iTXt), the canvas's dpi in pHYs, and no time chunk. PDF and
 * SVG: the name's ".png" becomes ".pdf" or ".svg", the recording replayed on
 * cairo's surface of that kind (a PDF takes the Title and Software entries
 * of meta as its title and creator). WG_EIO, WG_ENOMEM. */
wg_status wg_canvas_write(wg_canvas *cv, const char *dir, const char *name,
                          const wg_png_meta *meta, int n, wg_diag *d);

/* ---- gif.c: an animated GIF of canvases (giflib) --------------------------------------------- */

typedef struct wg_gif wg_gif;
/* Begin dir/name (wg_out: it appears only when wg_gif_close commits) of
 * w×h frames, looping forever. The palette: the colours keep[0..nkeep)
 * (0xRRGGBB, at most 40) exactly, every other colour to the nearest of a
 * 6×6×6 cube. WG_EIO, WG_ENOMEM. */
wg_status wg_gif_open(wg_gif **out, const char *dir, const char *name, int w, int h,
                      const uint32_t *keep, int nkeep, wg_diag *d);
/* Append the canvas (of the GIF's size) as a frame shown delay_cs hundredths
 * of a second; only the rectangle that changed since the last frame is
 * stored. WG_EIO. */
wg_status wg_gif_frame(wg_gif *g, wg_canvas *cv, int delay_cs, wg_diag *d);
/* Commit (commit = 1) or abandon the file, and free; harmless on NULL. */
wg_status wg_gif_close(wg_gif *g, int commit, wg_diag *d);

#endif
