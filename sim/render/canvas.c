/*
 * canvas.c — render's drawing surface: a cairo image surface with text,
 * paths, fills, strokes and clipping, written as a PNG with libpng. The only
 * file of waggle that includes cairo.h and png.h (canvas.h says what the
 * charts may do with a canvas).
 *
 * Invariants:
 * 1. The bytes of a PNG depend only on what was drawn and the text chunks:
 *    fonts have no hinting (the layout depends on the font, not on the
 *    screen), rows are written in order, and there is no time chunk, so
 *    `waggle render DIR` reproduces the bytes `waggle run` wrote.
 * 2. Every function passes its call on to cairo unchanged and in order: the
 *    charts' sequence of calls is the picture.
 * 3. A chart is written through wg_out: under its real name only when complete.
 * 4. A PDF or SVG canvas records the calls (a recording surface) and replays
 *    them on cairo's surface of that kind when written; a PNG canvas draws on
 *    an image, as before, so PNG bytes do not depend on the formats.
 */
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/output.h"

#include "canvas.h"

#define MAX_TEXT_CHUNKS 16
#define FONT_LATIN "DejaVu Sans"
/* CJK letters, which DejaVu Sans lacks (they would be drawn as its missing-glyph
 * box): fonts-wqy-zenhei, installed by tools/install-deps, picked by name through
 * fontconfig; its Latin letters keep a mixed title in one face */
#define FONT_CJK "WenQuanYi Zen Hei"
#define CAP_OF_ASCENT 0.72   /* DejaVu Sans: cap height as a share of the ascent */

wg_status wg_canvas_oom(wg_diag *d)
{
    wg_diag_error(d, WG_ENOMEM, "out of memory while drawing");
    return WG_ENOMEM;
}

const char *const wg_render_format_names[WG_NFORMATS + 1] = {"png", "pdf", "svg", NULL};

wg_status wg_canvas_new(wg_canvas *cv, const wg_render_opts *o, wg_diag *d)
{
    cv->surf = NULL;
    cv->cr = NULL;
    if (wg_stopped()) {   /* interrupted: no chart is begun */
        wg_diag_error(d, WG_EINTR, "interrupted: stopped while drawing the charts");
        return WG_EINTR;
    }
    cv->w = o && o->width > 0 ? o->width : WG_RENDER_WIDTH;
    cv->h = o && o->height > 0 ? o->height : WG_RENDER_HEIGHT;
    cv->dpi = o && o->dpi > 0 ? o->dpi : WG_RENDER_DPI;
    double sw = cv->w / (double)WG_RENDER_WIDTH, sh = cv->h / (double)WG_RENDER_HEIGHT;
    cv->u = (sw < sh ? sw : sh) * cv->dpi / WG_RENDER_DPI;
    /* large text on a small canvas: no more than leaves the least room a chart is made for */
    double umax = fmin(cv->w / WG_CANVAS_MIN_W, cv->h / WG_CANVAS_MIN_H);
    if (cv->u > umax) cv->u = umax;
    cv->log = o ? o->texts : NULL;
    cv->format = o && o->format > 0 && o->format < WG_NFORMATS ? o->format : WG_FORMAT_PNG;
    if (cv->format == WG_FORMAT_PNG) {
        cv->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cv->w, cv->h);
    } else {
        cairo_rectangle_t ext = {0, 0, cv->w, cv->h};
        cv->surf = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &ext);
    }
    if (cairo_surface_status(cv->surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(cv->surf);
        cv->surf = NULL;
        wg_diag_error(d, WG_ENOMEM, "cannot make a %d×%d image: out of memory", cv->w, cv->h);
        return WG_ENOMEM;
    }
    cv->cr = cairo_create(cv->surf);
    cairo_font_options_t *fo = cairo_font_options_create();
    /* no hinting: the layout depends only on the font, not on the screen */
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cv->cr, fo);
    cairo_font_options_destroy(fo);
    cairo_set_source_rgb(cv->cr, 1, 1, 1);
    cairo_paint(cv->cr);
    return WG_OK;
}

void wg_canvas_free(wg_canvas *cv)
{
    if (cv->cr) cairo_destroy(cv->cr);
    if (cv->surf) cairo_surface_destroy(cv->surf);
    cv->cr = NULL;
    cv->surf = NULL;
}

/* ---- state ----------------------------------------------------------------------------------- */

void wg_canvas_color(wg_canvas *cv, wg_rgb c, double alpha)
{
    cairo_set_source_rgba(cv->cr, c.r, c.g, c.b, alpha);
}

void wg_canvas_font(wg_canvas *cv, double size, int bold)
{
    cairo_select_font_face(cv->cr, FONT_LATIN, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cv->cr, size * cv->u);
}

void wg_canvas_line_width(wg_canvas *cv, double width)
{
    cairo_set_line_width(cv->cr, width);
}

void wg_canvas_line_cap_round(wg_canvas *cv)
{
    cairo_set_line_cap(cv->cr, CAIRO_LINE_CAP_ROUND);
}

void wg_canvas_line_join_round(wg_canvas *cv)
{
    cairo_set_line_join(cv->cr, CAIRO_LINE_JOIN_ROUND);
}

void wg_canvas_dash(wg_canvas *cv, double on, double off)
{
    if (on > 0) {
        double dash[] = {on, off};
        cairo_set_dash(cv->cr, dash, 2, 0);
    } else {
        cairo_set_dash(cv->cr, NULL, 0, 0);
    }
}

void wg_canvas_clip(wg_canvas *cv, double x, double y, double w, double h)
{
    cairo_save(cv->cr);
    cairo_rectangle(cv->cr, x, y, w, h);
    cairo_clip(cv->cr);
}

void wg_canvas_unclip(wg_canvas *cv)
{
    cairo_restore(cv->cr);
}

/* ---- paths ----------------------------------------------------------------------------------- */

void wg_canvas_move_to(wg_canvas *cv, double x, double y)
{
    cairo_move_to(cv->cr, x, y);
}

void wg_canvas_line_to(wg_canvas *cv, double x, double y)
{
    cairo_line_to(cv->cr, x, y);
}

void wg_canvas_close_path(wg_canvas *cv)
{
    cairo_close_path(cv->cr);
}

void wg_canvas_rect(wg_canvas *cv, double x, double y, double w, double h)
{
    cairo_rectangle(cv->cr, x, y, w, h);
}

void wg_canvas_circle(wg_canvas *cv, double x, double y, double r)
{
    cairo_arc(cv->cr, x, y, r, 0, 2 * M_PI);
}

void wg_canvas_fill(wg_canvas *cv)
{
    cairo_fill(cv->cr);
}

void wg_canvas_stroke(wg_canvas *cv)
{
    cairo_stroke(cv->cr);
}

void wg_canvas_stroke_keep(wg_canvas *cv)
{
    cairo_stroke_preserve(cv->cr);
}

/* ---- text ------------------------------------------------------------------------------------ */

/* 1 when s holds a letter of the CJK scripts: Hangul Jamo, the CJK blocks
 * (radicals to unified ideographs, kana, bopomofo), Hangul syllables,
 * compatibility ideographs and forms, full-width forms, the supplementary
 * ideographic planes. */
static int has_cjk(const char *s)
{
    while (*s) {
        uint32_t c = 0;
        int k = wg_utf8_next(s, &c);
        if (!k) {
            s++;
            continue;
        }
        s += k;
        if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xa960 && c <= 0xa97f) ||
            (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
            (c >= 0xff00 && c <= 0xffef) || (c >= 0x20000 && c <= 0x3ffff))
            return 1;
    }
    return 0;
}

/* The face for text s: the CJK face when s needs it, else the Latin one, of
 * the weight selected (the size is the font matrix's, which a face change
 * keeps). Read from cairo's state, so save and restore cannot mislead it. */
static void face_for(wg_canvas *cv, const char *s)
{
    cairo_font_face_t *ff = cairo_get_font_face(cv->cr);
    if (cairo_font_face_get_type(ff) != CAIRO_FONT_TYPE_TOY) return;
    const char *want = has_cjk(s) ? FONT_CJK : FONT_LATIN;
    if (strcmp(cairo_toy_font_face_get_family(ff), want) == 0) return;
    cairo_select_font_face(cv->cr, want, CAIRO_FONT_SLANT_NORMAL, cairo_toy_font_face_get_weight(ff));
}

double wg_canvas_text_width(wg_canvas *cv, const char *s)
{
    face_for(cv, s);
    cairo_text_extents_t e;
    cairo_text_extents(cv->cr, s, &e);
    return e.x_advance;
}

double wg_canvas_line_height(wg_canvas *cv)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cv->cr, &fe);
    return fe.ascent + fe.descent;
}

/* The ink box of s drawn at (x, y) (its baseline's start), in device pixels:
 * the four corners through the current matrix, so turned text is boxed too. */
static void record_text(wg_canvas *cv, double x, double y, const char *s)
{
    wg_render_textlog *l = cv->log;
    if (!l) return;
    if (l->n < l->cap && l->box) {
        cairo_text_extents_t e;
        cairo_text_extents(cv->cr, s, &e);
        double cx[4] = {x + e.x_bearing, x + e.x_bearing + e.width, x + e.x_bearing,
                        x + e.x_bearing + e.width};
        double cy[4] = {y + e.y_bearing, y + e.y_bearing, y + e.y_bearing + e.height,
                        y + e.y_bearing + e.height};
        wg_render_text *b = &l->box[l->n];
        b->x0 = b->y0 = INFINITY;
        b->x1 = b->y1 = -INFINITY;
        for (int k = 0; k < 4; k++) {
            cairo_user_to_device(cv->cr, &cx[k], &cy[k]);
            b->x0 = fmin(b->x0, cx[k]), b->x1 = fmax(b->x1, cx[k]);
            b->y0 = fmin(b->y0, cy[k]), b->y1 = fmax(b->y1, cy[k]);
        }
        snprintf(b->s, sizeof b->s, "%s", s);
    }
    l->n++;
}

void wg_canvas_text(wg_canvas *cv, double x, double y, double ax, double ay, const char *s)
{
    cairo_font_extents_t fe;
    face_for(cv, s);
    cairo_font_extents(cv->cr, &fe);
    double cap = fe.ascent * CAP_OF_ASCENT;
    double bx = x - ax * wg_canvas_text_width(cv, s), by = y + (1 - ay) * cap;
    cairo_move_to(cv->cr, bx, by);
    cairo_show_text(cv->cr, s);
    record_text(cv, bx, by, s);
}

void wg_canvas_text_turned(wg_canvas *cv, double x, double y, int turn, const char *s)
{
    cairo_save(cv->cr);
    cairo_translate(cv->cr, x, y);
    cairo_rotate(cv->cr, turn * M_PI / 2);
    wg_canvas_text(cv, 0, 0, 0.5, 0.5, s);
    cairo_restore(cv->cr);
}

void wg_canvas_fit_text(wg_canvas *cv, char *s, double w)
{
    size_t n = strlen(s);
    if (wg_canvas_text_width(cv, s) <= w) return;
    while (n > 1) {
        n--;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;   /* UTF-8 boundary */
        memcpy(s + n, "…", sizeof "…");
        if (wg_canvas_text_width(cv, s) <= w) return;
    }
}

/* ---- PNG ------------------------------------------------------------------------------------- */

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return 0;
    return 1;
}

static void png_fail(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

/* libpng writes through these, so that a failed write keeps its reason (errno:
 * "No space left on device"), which libpng's own stdio writer drops */
typedef struct png_sink {
    FILE *f;
    int err;   /* errno of the first failed write or flush, 0 */
} png_sink;

static void png_sink_write(png_structp png, png_bytep data, size_t len)
{
    png_sink *k = png_get_io_ptr(png);
    if (fwrite(data, 1, len, k->f) != len) {
        k->err = errno ? errno : EIO;
        png_error(png, "write failed");
    }
}

static void png_sink_flush(png_structp png)
{
    png_sink *k = png_get_io_ptr(png);
    if (fflush(k->f) != 0) {
        k->err = errno ? errno : EIO;
        png_error(png, "write failed");
    }
}

static wg_status write_png(wg_canvas *cv, const char *dir, const char *name,
                           const wg_png_meta *meta, int nmeta, wg_diag *d)
{
    wg_out o;
    png_structp png = NULL;
    png_infop info = NULL;
    png_text txt[MAX_TEXT_CHUNKS];
    png_sink *volatile sink = NULL;   /* set before setjmp, read after a longjmp */
    unsigned char *row = wg_malloc((size_t)cv->w, 3);
    if (!row) return wg_canvas_oom(d);
    wg_status st = wg_out_open(&o, dir, name, d);
    if (st != WG_OK) {
        free(row);
        return st;
    }
    cairo_surface_flush(cv->surf);
    const unsigned char *data = cairo_image_surface_get_data(cv->surf);
    int stride = cairo_image_surface_get_stride(cv->surf);
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, NULL);
    if (png) info = png_create_info_struct(png);
    if (!png || !info) {
        st = wg_canvas_oom(d);
        goto fail;
    }
    /* what cairo drew: a surface or context in error (memory) is said in cairo's words */
    cairo_status_t cs = cairo_status(cv->cr);
    if (cs == CAIRO_STATUS_SUCCESS) cs = cairo_surface_status(cv->surf);
    if (cs != CAIRO_STATUS_SUCCESS) {
        wg_diag_error(d, cs == CAIRO_STATUS_NO_MEMORY ? WG_ENOMEM : WG_EIO,
                      "%s/%s: cannot draw the chart: %s", dir, name, cairo_status_to_string(cs));
        st = cs == CAIRO_STATUS_NO_MEMORY ? WG_ENOMEM : WG_EIO;
        goto fail;
    }
    /* on the heap: what the writer sets after setjmp must survive the longjmp */
    if (!(sink = wg_malloc(1, sizeof *sink))) {
        st = wg_canvas_oom(d);
        goto fail;
    }
    sink->f = o.f;
    sink->err = 0;
    if (setjmp(png_jmpbuf(png))) {
        wg_diag_error(d, WG_EIO, "%s/%s: writing failed: %s", dir, name,
                      sink->err ? strerror(sink->err) : "the PNG library failed");
        st = WG_EIO;
        goto fail;
    }
    png_set_write_fn(png, sink, png_sink_write, png_sink_flush);
    png_set_IHDR(png, info, (png_uint_32)cv->w, (png_uint_32)cv->h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_uint_32 ppm = (png_uint_32)(cv->dpi / 0.0254 + 0.5);   /* pixels per metre */
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    int nt = nmeta < MAX_TEXT_CHUNKS ? nmeta : MAX_TEXT_CHUNKS;
    memset(txt, 0, sizeof txt);
    for (int i = 0; i < nt; i++) {
        /* tEXt is Latin-1: UTF-8 text (a name with accents) goes to iTXt */
        txt[i].compression = is_ascii(meta[i].value) ? PNG_TEXT_COMPRESSION_NONE
                                                     : PNG_ITXT_COMPRESSION_NONE;
        txt[i].key = (char *)meta[i].key;
        txt[i].text = (char *)meta[i].value;
    }
    png_set_text(png, info, txt, nt);
    png_write_info(png, info);
    for (int y = 0; y < cv->h; y++) {
        if (wg_stopped()) {   /* interrupted: the PNG is never committed */
            st = wg_out_stop(&o, d);
            goto fail;
        }
        /* RGB24: one native-endian word per pixel, 0x00RRGGBB */
        const uint32_t *p = (const uint32_t *)(data + (size_t)y * stride);
        for (int x = 0; x < cv->w; x++) {
            row[3 * x] = (unsigned char)(p[x] >> 16);
            row[3 * x + 1] = (unsigned char)(p[x] >> 8);
            row[3 * x + 2] = (unsigned char)p[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    free(sink);
    return wg_out_commit(&o, d);
fail:
    png_destroy_write_struct(&png, &info);
    free(row);
    free(sink);
    wg_out_abort(&o);
    return st;
}

const uint32_t *wg_canvas_pixels(wg_canvas *cv, int *stride)
{
    cairo_surface_flush(cv->surf);
    *stride = cairo_image_surface_get_stride(cv->surf) / 4;
    return (const uint32_t *)cairo_image_surface_get_data(cv->surf);
}

/* ---- PDF and SVG ----------------------------------------------------------------------------- */

static cairo_status_t to_file(void *f, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static const char *meta_value(const wg_png_meta *meta, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(meta[i].key, key) == 0) return meta[i].value;
    return NULL;
}

static wg_status write_vector(wg_canvas *cv, const char *dir, const char *name,
                              const wg_png_meta *meta, int nmeta, wg_diag *d)
{
    char file[256];
    size_t n = strlen(name);
    const char *ext = wg_render_format_names[cv->format];
    if (n > 4 && strcmp(name + n - 4, ".png") == 0) n -= 4;
    snprintf(file, sizeof file, "%.*s.%s", (int)n, name, ext);
    wg_out o;
    wg_status st = wg_out_open(&o, dir, file, d);
    if (st != WG_OK) return st;
    /* pixels at the canvas's dpi become points (1/72 in) */
    double pt = 72.0 / cv->dpi;
    cairo_surface_t *out =
        cv->format == WG_FORMAT_PDF
            ? cairo_pdf_surface_create_for_stream(to_file, o.f, cv->w * pt, cv->h * pt)
            : cairo_svg_surface_create_for_stream(to_file, o.f, cv->w * pt, cv->h * pt);
    if (cv->format == WG_FORMAT_PDF) {
        const char *title = meta_value(meta, nmeta, "Title");
        const char *creator = meta_value(meta, nmeta, "Software");
        if (title) cairo_pdf_surface_set_metadata(out, CAIRO_PDF_METADATA_TITLE, title);
        if (creator) cairo_pdf_surface_set_metadata(out, CAIRO_PDF_METADATA_CREATOR, creator);
    }
    cairo_t *cr = cairo_create(out);
    cairo_scale(cr, pt, pt);
    cairo_set_source_surface(cr, cv->surf, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_finish(out);
    cairo_status_t cs = cairo_surface_status(out);
    cairo_surface_destroy(out);
    /* the SVG surface leaves a snapshot of its source attached to the recording (cairo
     * 1.16: LeakSanitizer found the recordings of SVG charts never freed); finishing the
     * recording detaches it, and the canvas is not drawn on after it is written */
    cairo_surface_finish(cv->surf);
    if (cs != CAIRO_STATUS_SUCCESS) {
        wg_out_abort(&o);
        wg_diag_error(d, cs == CAIRO_STATUS_NO_MEMORY ? WG_ENOMEM : WG_EIO, "%s/%s: cannot write "
                      "the %s: %s", dir, file, ext, cairo_status_to_string(cs));
        return cs == CAIRO_STATUS_NO_MEMORY ? WG_ENOMEM : WG_EIO;
    }
    return wg_out_commit(&o, d);
}

wg_status wg_canvas_write(wg_canvas *cv, const char *dir, const char *name,
                          const wg_png_meta *meta, int nmeta, wg_diag *d)
{
    if (cv->format == WG_FORMAT_PNG) return write_png(cv, dir, name, meta, nmeta, d);
    return write_vector(cv, dir, name, meta, nmeta, d);
}
