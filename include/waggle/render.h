/*
 * waggle/render.h — the charts of a run (curves.png, states.png,
 * finals.png), of a comparison (compare.png) and of a sweep (sweep.png),
 * drawn with cairo and written with libpng. In sim/render/: canvas.c (the
 * only file that includes the drawing and PNG headers), plot.c (what the
 * charts share), chart_run.c, chart_compare.c, chart_sweep.c, and folder.c,
 * which reads the folders.
 *
 * A chart is always drawn from the files of a finished folder (series.csv,
 * summary.csv, finals.csv, observed.csv, manifest.yaml; compare.csv and the
 * run folders of a comparison), never from memory: `waggle run` writes its
 * CSV files and then renders them exactly as `waggle render DIR` does later,
 * so both produce the same bytes. Every PNG carries text chunks (Scenario,
 * Seed, Runs, Version, Command, Software) and no time chunk.
 */
#ifndef WAGGLE_RENDER_H
#define WAGGLE_RENDER_H

#include "waggle/common.h"
#include <signal.h>

#include "waggle/scenario.h"

#define WG_RENDER_WIDTH 1600   /* default size, pixels: readable when projected */
#define WG_RENDER_HEIGHT 900
#define WG_RENDER_DPI 96.0     /* text and lines are designed for 1600×900 at 96 dpi */

/* The text a chart drew, recorded for tests of its layout (tests/test_layout.c):
 * every string's box in pixels, origin top left, from the glyphs' ink (a
 * turned label's box is turned with it). */
typedef struct wg_render_text {
    double x0, y0, x1, y1;
    char s[96];                 /* the string, cut to fit */
} wg_render_text;

typedef struct wg_render_textlog {
    wg_render_text *box;        /* the caller's array of cap boxes */
    size_t cap;
    size_t n;                   /* strings drawn since n was last set to 0; those beyond cap
                                   are counted, not kept */
} wg_render_textlog;

/* The file formats of a chart: PNG (libpng), or cairo's PDF and SVG surfaces
 * (vectors, for a deck or a paper); the name's .png becomes .pdf or .svg. */
typedef enum wg_render_format {
    WG_FORMAT_PNG = 0, WG_FORMAT_PDF, WG_FORMAT_SVG, WG_NFORMATS
} wg_render_format;
extern const char *const wg_render_format_names[WG_NFORMATS + 1];   /* "png", "pdf", "svg" */

typedef struct wg_render_opts {
    int width, height;  /* pixels; 0: the defaults */
    double dpi;         /* 0: 96. Text and line widths scale with dpi / 96 (and with the
                           size, relative to 1600×900), up to the scale at which the chart
                           still has 800×450 design pixels; the value is stored in pHYs. A
                           PDF or SVG page is width × 72 / dpi points wide */
    wg_render_textlog *texts;   /* NULL: nothing recorded (the default) */
    int format;         /* a wg_render_format; 0: PNG */
} wg_render_opts;

/* Where a chart put its data, for tests: the plot area in pixels (origin
 * top left) and the data values at its edges; the legend's box. Charts
 * with two panels report the upper one. */
typedef struct wg_render_frame {
    double x0, y0, x1, y1;          /* plot area, pixels */
    double xmin, xmax, ymin, ymax;  /* data values at x0, x1, y1 (bottom), y0 (top) */
    double ax0;                     /* pixel of xmin: x0, except on finals' log axis, where
                                       a bar for the runs at zero sits between x0 and ax0 */
    int xlog;                       /* 1: the x axis is logarithmic (finals) */
    double lx0, ly0, lx1, ly1;      /* legend box, pixels (all 0 when there is none) */
} wg_render_frame;

/* Observed points of a scenario (`observed:`), x in steps, y in observed units. */
typedef struct wg_points {
    size_t n;
    double *x, *y;
} wg_points;

/* (The scenario's observed file is read by waggle/observed.h; these are
 * the points of a run folder's observed.csv.) */
void wg_points_free(wg_points *p);

/* `waggle brief`: one self-contained HTML page for a manager (DESIGN, "The page
 * for a manager") from the run, compare or sweep folder dir, written
 * atomically to out (a file path), or to dir/brief.html when out is NULL.
 * Everything is read first: WG_EINPUT (nothing written) when dir is not such
 * a folder or a file in it is malformed; WG_EIO, WG_ENOMEM. */
wg_status wg_brief_write(const char *dir, const char *out, wg_diag *d);

/* Draw curves.png, states.png and finals.png of the run folder dir.
 * o may be NULL (defaults). WG_EINPUT when a file is missing or malformed
 * (file:line: column: what was expected), WG_EIO, WG_ENOMEM. */
wg_status wg_render_run(const char *dir, const wg_render_opts *o, wg_diag *d);

/* Draw one chart of a run folder: name is "curves", "states" or "finals";
 * written to dir/NAME.png; frame (may be NULL) receives its layout. */
wg_status wg_render_chart(const char *dir, const char *name, const wg_render_opts *o,
                          wg_render_frame *frame, wg_diag *d);

/* Draw dir/compare.png of a comparison folder: dir/compare.csv (columns
 * variant,metric,base_mean,variant_mean,diff_mean,diff_lo,diff_hi,p_better)
 * and the run folders dir/base/ and dir/<slug of each variant>/. */
wg_status wg_render_compare(const char *dir, const wg_render_opts *o, wg_render_frame *frame,
                            wg_diag *d);

/* Draw dir/sweep.png of a sweep folder (sweep.csv, manifest.yaml): for one
 * swept key the mean negative and positive reach with their p05–p95 bands
 * against the key; for two, a heat map of the mean negative reach (cells
 * for a grid, dots for a Sobol design) with a labelled colour scale. With
 * three keys or more nothing is drawn (WG_OK). frame (may be NULL)
 * receives the plot area. */
wg_status wg_render_sweep(const char *dir, const wg_render_opts *o, wg_render_frame *frame,
                          wg_diag *d);

/* Draw dir/optimize.png of an optimize folder (optimize.csv, manifest.yaml): the
 * objective's metric against the number of seeds k for the choice and each
 * baseline (random, degree, PageRank, k-core), with their 95 % intervals. frame
 * (may be NULL) receives the plot area. */
wg_status wg_render_optimize(const char *dir, const wg_render_opts *o, wg_render_frame *frame,
                             wg_diag *d);

/* Draw dir/sensitivity.png of a sweep folder with Sobol indices (sensitivity.csv):
 * for each key, its first-order and total index of the mean negative and
 * positive reach, with their 95 % bootstrap intervals. frame (may be NULL)
 * receives the plot area. */
wg_status wg_render_sensitivity(const char *dir, const wg_render_opts *o, wg_render_frame *frame,
                                wg_diag *d);

/* ---- draw.c: pictures of a cascade (waggle draw) ----------------------------------------------- */

struct wg_graph;
#define WG_DRAW_ALL_AGENTS 100000u   /* above this many agents only the reached and their parents */
#define WG_DRAW_FR_AGENTS 3000u      /* up to this many drawn agents the default layout is FR, else DrL */
#define WG_DRAW_MOMENTS 6            /* moments of strip.png */
/* The pictures of wg_draw (bits of wg_draw_opts.pictures). */
enum { WG_DRAW_NETWORK = 1, WG_DRAW_STRIP = 2, WG_DRAW_GIF = 4, WG_DRAW_ALL = 7 };

typedef struct wg_draw_opts {
    wg_render_opts render;           /* network.png and strip.png; cascade.gif at half the size */
    int which;                       /* a wg_trace_which: WG_TRACE_INDEX with run, or a quantile */
    long run;                        /* WG_TRACE_INDEX: the run; -1: the traced run of the
                                        smallest index */
    long step;                       /* network.png's step; -1: the last */
    int layout;                      /* a wg_layout_kind; -1: FR up to WG_DRAW_FR_AGENTS, else DrL */
    uint64_t seed;                   /* the layout's seed (the scenario's) */
    unsigned pictures;               /* which to draw: WG_DRAW_NETWORK | WG_DRAW_STRIP |
                                        WG_DRAW_GIF (the default, WG_DRAW_ALL) */
    volatile sig_atomic_t *stop;     /* polled between frames: non-zero stops with WG_EINTR */
} wg_draw_opts;
void wg_draw_opts_default(wg_draw_opts *o);

/* Where network.png put agent a: the pixel (x0 + x·side, y0 + y·side) for the
 * layout's (x, y) of a, a disc of radius r[a] (pixels; 0: not drawn). */
typedef struct wg_draw_report {
    uint32_t run, steps, drawn, frames;
    double x0, y0, side;             /* network.png's; cascade.gif's are half of these */
    double *r;                       /* n radii in network.png */
    uint32_t *counts;                /* steps × WG_NSTATES: the agents drawn in each state at
                                        each step (series.csv's counts when nobody left the reach) */
    int layout_reused;
} wg_draw_report;                    /* arrays freed by wg_draw_report_free */
/* The colour of agents in state s (0xRRGGBB). */
uint32_t wg_draw_state_rgb(int s);
void wg_draw_report_free(wg_draw_report *r);

/* Draw the cascade of one traced run of the run folder dir on its network g
 * (rebuilt from the folder's manifest): network.png, strip.png,
 * cascade.gif and layout.csv (written when missing or made for other agents,
 * else reused). Everything is read and checked before anything is written:
 * WG_EINPUT (no trace, a run that was not traced, a trace or a layout of a
 * different network), WG_EINTR (stop), WG_EIO, WG_ENOMEM. rep may be NULL. */
wg_status wg_draw(const char *dir, const struct wg_graph *g, const wg_draw_opts *o,
                  wg_draw_report *rep, wg_diag *d);

/* The folder name of a variant: lower case letters and digits, every other
 * run of characters one '-', none at either end ("answered on day 1" →
 * "answered-on-day-1"; "" → "variant"). Caller frees; NULL when out of memory. */
char *wg_render_slug(const char *name);

/* The charts of a folder: compare.png for a compare folder, optimize.png for an
 * optimize folder, sweep.png (and sensitivity.png when it has sensitivity.csv) for a
 * sweep folder, else the run charts (what `waggle render DIR` draws). */
wg_status wg_render_folder(const char *dir, const wg_render_opts *o, wg_diag *d);

#endif
