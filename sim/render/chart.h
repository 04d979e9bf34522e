/*
 * chart.h — what every chart of render shares (private to sim/render/): the
 * palette and the sizes of the design, axes and their ticks, titles, the
 * legend, bands, lines and marks, the layout of a plot area, and the PNG of
 * a folder (plot.c), over the canvas of canvas.h.
 *
 * Sizes are those of the 1600×900 design at 96 dpi, in design pixels: a
 * chart multiplies them by its canvas's u.
 */
#ifndef WAGGLE_RENDER_CHART_H
#define WAGGLE_RENDER_CHART_H

#include <math.h>

#include "waggle/render.h"

#include "canvas.h"
#include "folder.h"

/* ---- colours (Okabe & Ito 2008: safe for colour-blind readers) ------------------------------- */

static const wg_rgb C_POS = WG_HEX(0x0072B2);       /* blue: positive */
static const wg_rgb C_NEG = WG_HEX(0xE69F00);       /* orange: negative */
static const wg_rgb C_POS_QUIET = WG_HEX(0x56B4E9); /* sky blue: supporters */
static const wg_rgb C_NEG_DARK = WG_HEX(0xD55E00);  /* vermillion: blow-ups */
static const wg_rgb C_NEG_QUIET = WG_HEX(0xF3CF80); /* light orange: rejecters */
static const wg_rgb C_UNAWARE = WG_HEX(0xE4E4E4);
static const wg_rgb C_IMMUNE = WG_HEX(0x8C8C8C);
static const wg_rgb C_TEXT = WG_HEX(0x202020);
static const wg_rgb C_MUTED = WG_HEX(0x606060);
static const wg_rgb C_GRID = WG_HEX(0xE2E2E2);
static const wg_rgb C_AXIS = WG_HEX(0x404040);
static const wg_rgb C_OBS = WG_HEX(0x000000);
static const wg_rgb C_WHITE = WG_HEX(0xFFFFFF);
#define BAND_OUTER_ALPHA 0.16   /* p05–p95 */
#define BAND_INNER_ALPHA 0.30   /* p25–p75 */

/* ---- sizes at 1600×900 and 96 dpi, in pixels (scaled by u) ----------------------------------- */

#define S_MARGIN 28.0
#define S_TITLE 36.0
#define S_SUBTITLE 22.0
#define S_TICK 19.0
#define S_LABEL 21.0
#define S_LEGEND 20.0
#define S_NOTE 20.0
#define S_LINE 4.5
#define S_GAP 12.0
#define TICKS_TARGET 6          /* about this many ticks on an axis */
#define MAX_LEGEND 16

/* ---- numbers and ticks ----------------------------------------------------------------------- */

/* Numbers are written with wg_num_grouped and wg_num_human (common.h). */
/* A nice step (1, 2 or 5 × 10^k) for about TICKS_TARGET ticks over [0, span];
 * at least 1 when `integer`. */
double wg_plot_nice_step(double span, int integer);
/* Decimals that show every multiple of step (at most 6). */
int wg_plot_decimals(double step);
/* Every tick loop of the charts steps with this: v + step, or NaN (which
 * ends a loop testing v <= bound) when v + step does not exceed v (a step
 * below the precision of v: a swept seed of 2^52, a value of -1e308) or is
 * not a number; loops also count to WG_PLOT_MAX_TICKS. No loop can stall. */
#define WG_PLOT_MAX_TICKS 400
static inline double wg_plot_tick_after(double v, double step)
{
    double n = v + step;
    return n > v ? n : (double)NAN;
}

/* ---- axes ------------------------------------------------------------------------------------ */

typedef struct wg_axes {
    double x0, y0, x1, y1;      /* plot area, pixels */
    double xmin, xmax, ymin, ymax;
    int xlog;                   /* 1: the x axis is logarithmic */
} wg_axes;

/* The pixel of data value x, y. */
static inline double px(const wg_axes *a, double x)
{
    if (a->xlog) {
        x = log10(x);
        return a->x0 + (x - log10(a->xmin)) / (log10(a->xmax) - log10(a->xmin)) * (a->x1 - a->x0);
    }
    return a->x0 + (x - a->xmin) / (a->xmax - a->xmin) * (a->x1 - a->x0);
}

static inline double py(const wg_axes *a, double y)
{
    return a->y1 - (y - a->ymin) / (a->ymax - a->ymin) * (a->y1 - a->y0);
}

/* Draw only inside the plot area until wg_canvas_unclip. */
void wg_plot_clip(wg_canvas *cv, const wg_axes *a);
/* Horizontal grid lines (left axis only) and y tick labels every `step` from
 * ymin (doubled while labels would touch), on the left or the right; values
 * × mul, " %" appended with pct. x ticks: the step doubles until labels
 * stand apart, and the last one is kept inside the image. */
void wg_plot_y_ticks(wg_canvas *cv, const wg_axes *a, double step, int left, int pct,
                     double mul);
void wg_plot_x_ticks(wg_canvas *cv, const wg_axes *a, double step);
/* The step, doubled until labels in the current font are 1.5 lines apart on a. */
double wg_plot_thin_y(wg_canvas *cv, const wg_axes *a, double step);
/* The left and bottom lines of the plot area. */
void wg_plot_frame(wg_canvas *cv, const wg_axes *a);
/* A note in the middle of the plot area ("no data: ..."). */
void wg_plot_note(wg_canvas *cv, const wg_axes *a, const char *msg);
/* x axis over steps 0 .. steps-1; returns its tick step. */
double wg_plot_x_steps(wg_axes *a, uint32_t steps);
/* The y axis from zero to a nice bound above vmax (counts: integer steps);
 * returns its tick step. */
double wg_plot_y_count(wg_axes *a, double vmax);

/* ---- titles and legend ----------------------------------------------------------------------- */

/* Draw s (when draw) in lines of at most width w from (x, y) (the top of the
 * first line), lines lh apart, aligned ax (0 left, 0.5 centre, 1 right) in
 * the width: whole words to a line, at most max_lines lines, the last one
 * shortened with "…" when the words do not fit. Returns the lines used. */
int wg_plot_wrap(wg_canvas *cv, const char *s, double x, double y, double w, double ax,
                 int max_lines, double lh, int draw);
/* Title (up to 2 lines) and subtitle (up to 4) at the top, wrapped to the
 * width; returns the y below them. */
double wg_plot_titles(wg_canvas *cv, const char *title, const char *sub);
/* "N runs, seed S" followed by extra, the start of every subtitle. */
void wg_plot_subtitle(char *buf, size_t cap, const wg_folder_info *in, const char *extra);

enum { SW_BAND, SW_LINE, SW_BOX, SW_POINT };   /* the swatch of a legend item */
typedef struct wg_legend_item {
    int kind;
    wg_rgb c;
    double alpha;
    char label[256];
} wg_legend_item;

typedef struct wg_legend {
    wg_legend_item it[MAX_LEGEND];
    int n;
} wg_legend;

/* Add an item (beyond MAX_LEGEND items, nothing). */
void wg_plot_legend_add(wg_legend *l, int kind, wg_rgb c, double alpha, const char *label);
/* Lay the legend out in rows from (x, y) within width w; draw when `draw`.
 * Returns its height. */
double wg_plot_legend(wg_canvas *cv, const wg_legend *l, double x, double y, double w, int draw);

/* ---- data ------------------------------------------------------------------------------------ */

/* An observed point: a diamond of radius r with a white rim. */
void wg_plot_point(wg_canvas *cv, double x, double y, double r);
/* A band between lo[t] and hi[t] over steps 0 .. n-1 (gaps where either is
 * not finite); the caller clips. */
void wg_plot_band(wg_canvas *cv, const wg_axes *a, const double *lo, const double *hi,
                  uint32_t n, wg_rgb c, double alpha);
/* A line through y[t] over steps 0 .. n-1, broken where y is not finite;
 * one step is a dot. */
void wg_plot_line(wg_canvas *cv, const wg_axes *a, const double *y, uint32_t n, wg_rgb c,
                  double width);

/* ---- layout ---------------------------------------------------------------------------------- */

/* The plot area below `top` (title, legend) with room for tick labels as
 * wide as ylab_w on the left (and right_w on the right), and axis labels. */
void wg_plot_layout(wg_canvas *cv, wg_axes *a, double top, double ylab_w, double right_w);
/* Width of the widest tick label up to vmax (ticks every step, × mul, suffix). */
double wg_plot_label_width(wg_canvas *cv, double vmax, double step, double mul,
                           const char *suffix);
/* The x axis label below the plot, the y axis label turned on the left. */
void wg_plot_axis_labels(wg_canvas *cv, const wg_axes *a, const char *xl, const char *yl);

/* ---- metrics in words, events ---------------------------------------------------------------- */

/* A metric of compare.csv (or a run's figure) in words, with what an agent
 * stands for (in->who: "customers who turned critic (negative at the end)");
 * an unknown metric is its own name. */
void wg_plot_metric_words(char *buf, size_t cap, const char *metric, const wg_folder_info *in);
/* +1 when more of the metric is better, -1 when less is, 0 when neither. */
int wg_plot_metric_better(const char *metric, const wg_folder_info *in);
/* The events of a timeline on the time axis of a: a dashed line and a marker
 * at the top of the plot, in row `row` (0 the highest); a standing policy is a
 * bar to its last step; a trigger is drawn where it fired in the median run;
 * the seeds of step 0 are not drawn. */
void wg_plot_events(wg_canvas *cv, const wg_axes *a, const wg_folder_event *ev, int n,
                    wg_rgb c, int row);
/* What the markers of wg_plot_events mean, one phrase per kind with the steps
 * ("▼ media pulses day 1, 2 and 3; ◆ answers day 4"); "" when none is drawn. */
void wg_plot_events_text(char *buf, size_t cap, const wg_folder_event *ev, int n,
                         const wg_folder_info *in);

/* A label turned a quarter (turn as wg_canvas_text_turned) at x, centred on
 * a's plot area, moved or shortened to stay between its top and the bottom
 * margin. */
void wg_plot_turned(wg_canvas *cv, double x, const wg_axes *a, int turn, const char *s);

/* ---- the result ------------------------------------------------------------------------------ */

/* Where the chart put its data (f may be NULL: nothing). */
void wg_plot_report(wg_render_frame *f, const wg_axes *a, double lx0, double ly0, double lx1,
                    double ly1);
/* Write the canvas to dir/name with the folder's text chunks (Title,
 * Scenario, Seed, Runs, Version, Command, Software). */
wg_status wg_plot_finish(wg_canvas *cv, const wg_folder_info *in, const char *dir,
                         const char *name, wg_diag *d);

#endif
