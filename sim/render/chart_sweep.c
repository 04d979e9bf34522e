/*
 * chart_sweep.c — sweep.png of a sweep folder (sweep.csv, manifest.yaml).
 * One swept key: the mean final negative and positive reach against the
 * key, each with its p05–p95 band (points sorted by the key). Two keys: a
 * heat map of the mean final negative reach, cells for a grid, dots for a
 * Sobol design, with a labelled colour scale. More keys: no chart.
 *
 * Invariants:
 * 1. Drawn from the folder's files only (folder.c), so `waggle merge`
 *    draws the chart of the whole sweep from the joined sweep.csv.
 * 2. The colour scale is sequential (viridis) from zero to a round bound
 *    above the largest mean, and is labelled with it.
 * 3. A key's axis is not forced to start at zero (the swept range is the
 *    subject); counts still are.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/render.h"

#include "chart.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A swept value as a tick label: as short as it reads, never an exponent (0.05, 7,
 * 0.8333, 12,400). */
static void exact_label(char *buf, size_t cap, double v)
{
    wg_num_human(buf, cap, v, 4, 0);
}

static int cmp_sweeprow(const void *a, const void *b)
{
    const wg_folder_sweep_row *x = a, *y = b;
    return x->x < y->x ? -1 : x->x > y->x;
}


static double key_axis(double lo, double hi, double *amin, double *amax)
{
    if (!(hi > lo)) {   /* one value: half a unit either side, or more where a unit is below
                           the precision of the value (2^52 and beyond) */
        double h = fmax(0.5, fabs(lo) * 1e-9);
        lo -= h;
        hi += h;
    }
    double step = wg_plot_nice_step(hi - lo, 0);
    *amin = floor(lo / step + 1e-9) * step;
    *amax = ceil(hi / step - 1e-9) * step;
    return step;
}

/* Sequential colour scale (viridis anchors), t in [0, 1]. */
static wg_rgb heat_color(double t)
{
    static const wg_rgb anchors[] = {WG_HEX(0x440154), WG_HEX(0x3B528B), WG_HEX(0x21918C),
                                     WG_HEX(0x5EC962), WG_HEX(0xFDE725)};
    const int n = (int)(sizeof anchors / sizeof anchors[0]) - 1;
    if (!(t >= 0)) t = 0;
    if (t > 1) t = 1;
    int i = (int)(t * n);
    if (i >= n) i = n - 1;
    double f = t * n - i;
    wg_rgb c = {anchors[i].r + f * (anchors[i + 1].r - anchors[i].r),
             anchors[i].g + f * (anchors[i + 1].g - anchors[i].g),
             anchors[i].b + f * (anchors[i + 1].b - anchors[i].b)};
    return c;
}

/* Distinct sorted values of v (n entries) into out; returns their number.
 * O(n log n): sorted, then equal neighbours dropped. The values are finite
 * (folder.c refuses others). */
static size_t distinct(const double *v, size_t n, size_t stride, double *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) out[i] = v[i * stride];
    qsort(out, n, sizeof *out, cmp_double);
    for (size_t i = 0; i < n; i++)
        if (m == 0 || out[m - 1] != out[i]) out[m++] = out[i];
    return m;
}

/* Index of x in the sorted distinct values (n > 0; x is one of them). */
static size_t index_of(const double *vals, size_t n, double x)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vals[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void sweep_one_key(wg_canvas *cv, wg_folder_sweep *s, wg_axes *a, double top)
{
    double vmax = 0, xmin = INFINITY, xmax = -INFINITY;
    qsort(s->row, s->n, sizeof *s->row, cmp_sweeprow);
    for (size_t i = 0; i < s->n; i++) {
        for (int v = 0; v < NVAL; v++)
            if (isfinite(s->row[i].hi[v]) && s->row[i].hi[v] > vmax) vmax = s->row[i].hi[v];
        if (s->row[i].x < xmin) xmin = s->row[i].x;
        if (s->row[i].x > xmax) xmax = s->row[i].x;
    }
    double ys = wg_plot_y_count(a, vmax);
    double xs = key_axis(xmin, xmax, &a->xmin, &a->xmax);
    char last[64];
    wg_num_grouped(last, sizeof last, a->xmax, wg_plot_decimals(xs));
    wg_canvas_font(cv, S_TICK, 0);
    /* room on the right for half the last x label */
    wg_plot_layout(cv, a, top, wg_plot_label_width(cv, a->ymax, ys, 1, ""),
                   wg_canvas_text_width(cv, last) / 2 - S_LABEL * cv->u);
    wg_plot_y_ticks(cv, a, ys, 1, 0, 1);
    wg_plot_x_ticks(cv, a, xs);
    wg_plot_clip(cv, a);
    const wg_rgb col[NVAL] = {C_POS, C_NEG};
    for (int v = 0; v < NVAL; v++) {
        for (size_t i = 0; i < s->n; i++) {
            double x = px(a, s->row[i].x), y = py(a, s->row[i].hi[v]);
            if (i == 0) wg_canvas_move_to(cv, x, y);
            else wg_canvas_line_to(cv, x, y);
        }
        for (size_t i = s->n; i-- > 0;)
            wg_canvas_line_to(cv, px(a, s->row[i].x), py(a, s->row[i].lo[v]));
        wg_canvas_close_path(cv);
        wg_canvas_color(cv, col[v], 0.22);
        wg_canvas_fill(cv);
        for (size_t i = 0; i < s->n; i++) {
            double x = px(a, s->row[i].x), y = py(a, s->row[i].mean[v]);
            if (i == 0) wg_canvas_move_to(cv, x, y);
            else wg_canvas_line_to(cv, x, y);
        }
        wg_canvas_color(cv, col[v], 1);
        wg_canvas_line_width(cv, S_LINE * cv->u);
        wg_canvas_line_join_round(cv);
        wg_canvas_stroke(cv);
        for (size_t i = 0; i < s->n && s->n <= 60; i++)
            wg_plot_point(cv, px(a, s->row[i].x), py(a, s->row[i].mean[v]), 4.5 * cv->u);
    }
    wg_canvas_unclip(cv);
    wg_plot_frame(cv, a);
    char yl[128];
    snprintf(yl, sizeof yl, "%s reached at the end", s->info.who);
    wg_plot_axis_labels(cv, a, s->key[0], yl);
}

static void sweep_two_keys(wg_canvas *cv, wg_folder_sweep *s, wg_axes *a, double top,
                           wg_diag *d)
{
    double u = cv->u, vmax = 0;
    double *xs = wg_malloc(s->n ? s->n : 1, sizeof *xs);
    double *ys = wg_malloc(s->n ? s->n : 1, sizeof *ys);
    if (!xs || !ys) {
        free(xs);
        free(ys);
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return;
    }
    size_t nx = distinct(&s->row[0].x, s->n, sizeof *s->row / sizeof(double), xs);
    size_t ny = distinct(&s->row[0].y, s->n, sizeof *s->row / sizeof(double), ys);
    int grid = nx * ny == s->n && nx > 1 && ny > 1;
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(s->row[i].mean[V_NEG]) && s->row[i].mean[V_NEG] > vmax)
            vmax = s->row[i].mean[V_NEG];
    if (!(vmax > 0)) vmax = 1;
    /* room on the right for the colour scale and its labels */
    double cstep = wg_plot_nice_step(vmax, 1), cmax = ceil(vmax / cstep - 1e-9) * cstep;
    double barw = 28 * u, right = barw + S_GAP * u + wg_plot_label_width(cv, cmax, cstep, 1, "");
    double yl, yh, xl, xh;
    double xstep = key_axis(xs[0], xs[nx - 1], &xl, &xh);
    double ystep = key_axis(ys[0], ys[ny - 1], &yl, &yh);
    if (grid) {   /* one equal cell per grid value, labelled with the value */
        a->xmin = -0.5, a->xmax = nx - 0.5;
        a->ymin = -0.5, a->ymax = ny - 0.5;
    } else {
        a->xmin = xl, a->xmax = xh, a->ymin = yl, a->ymax = yh;
    }
    wg_canvas_font(cv, S_TICK, 0);
    char lab[64];
    double ylw = 0;
    for (size_t i = 0; i < ny; i++) {
        exact_label(lab, sizeof lab, ys[i]);
        if (wg_canvas_text_width(cv, lab) > ylw) ylw = wg_canvas_text_width(cv, lab);
    }
    wg_plot_layout(cv, a, top, ylw + S_GAP * u, right);
    wg_plot_clip(cv, a);
    for (size_t i = 0; i < s->n; i++) {
        const wg_folder_sweep_row *r = &s->row[i];
        wg_rgb c = heat_color(r->mean[V_NEG] / cmax);
        if (grid) {
            size_t ix = index_of(xs, nx, r->x), iy = index_of(ys, ny, r->y);
            double x0 = floor(px(a, ix - 0.5)), x1 = ceil(px(a, ix + 0.5));
            double y0 = floor(py(a, iy + 0.5)), y1 = ceil(py(a, iy - 0.5));
            wg_canvas_rect(cv, x0, y0, x1 - x0, y1 - y0);
            wg_canvas_color(cv, c, 1);
            wg_canvas_fill(cv);
        } else {
            wg_canvas_circle(cv, px(a, r->x), py(a, r->y), 9 * u);
            wg_canvas_color(cv, c, 1);
            wg_canvas_fill(cv);
        }
    }
    wg_canvas_unclip(cv);
    /* tick labels: every grid value (thinned to about 12), or nice steps for Sobol dots */
    wg_canvas_font(cv, S_TICK, 0);
    wg_canvas_color(cv, C_MUTED, 1);
    if (grid) {
        size_t kx = (nx + 11) / 12, ky = (ny + 11) / 12;
        for (size_t i = 0; i < nx; i += kx) {
            exact_label(lab, sizeof lab, xs[i]);
            wg_canvas_text(cv, px(a, (double)i), a->y1 + S_GAP * u, 0.5, 0, lab);
        }
        for (size_t i = 0; i < ny; i += ky) {
            exact_label(lab, sizeof lab, ys[i]);
            wg_canvas_text(cv, a->x0 - S_GAP * u, py(a, (double)i), 1, 0.5, lab);
        }
    } else {
        int k = 0;
        for (double v = xl; k++ < WG_PLOT_MAX_TICKS && v <= xh + xstep * 1e-6;
             v = wg_plot_tick_after(v, xstep)) {
            wg_num_grouped(lab, sizeof lab, v, wg_plot_decimals(xstep));
            wg_canvas_text(cv, px(a, v), a->y1 + S_GAP * u, 0.5, 0, lab);
        }
        k = 0;
        for (double v = yl; k++ < WG_PLOT_MAX_TICKS && v <= yh + ystep * 1e-6;
             v = wg_plot_tick_after(v, ystep)) {
            wg_num_grouped(lab, sizeof lab, v, wg_plot_decimals(ystep));
            wg_canvas_text(cv, a->x0 - S_GAP * u, py(a, v), 1, 0.5, lab);
        }
    }
    wg_plot_frame(cv, a);
    wg_plot_axis_labels(cv, a, s->key[0], s->key[1]);
    /* the colour scale: a bar from 0 to cmax with ticks, labelled */
    double bx = a->x1 + 2 * S_GAP * u, by0 = a->y0, by1 = a->y1;
    const int slices = 100;
    for (int k = 0; k < slices; k++) {
        double t0 = (double)k / slices, t1 = (double)(k + 1) / slices;
        wg_canvas_rect(cv, bx, by1 - t1 * (by1 - by0), barw, (t1 - t0) * (by1 - by0) + 0.5);
        wg_canvas_color(cv, heat_color((t0 + t1) / 2), 1);
        wg_canvas_fill(cv);
    }
    wg_canvas_font(cv, S_TICK, 0);
    wg_canvas_color(cv, C_MUTED, 1);
    int kc = 0;
    for (double v = 0; kc++ < WG_PLOT_MAX_TICKS && v <= cmax + cstep * 1e-6;
         v = wg_plot_tick_after(v, cstep)) {
        wg_num_grouped(lab, sizeof lab, v, wg_plot_decimals(cstep));
        wg_canvas_text(cv, bx + barw + S_GAP * u * 0.5, by1 - v / cmax * (by1 - by0), 0, 0.5, lab);
    }
    wg_canvas_font(cv, S_LABEL, 0);
    wg_canvas_color(cv, C_TEXT, 1);
    snprintf(lab, sizeof lab, "mean, %s who turned critic", s->info.who);
    wg_plot_turned(cv, cv->w - S_MARGIN * u - S_LABEL * u * 0.5, a, -1, lab);
    free(xs);
    free(ys);
}

wg_status wg_render_sweep(const char *dir, const wg_render_opts *o, wg_render_frame *frame,
                          wg_diag *d)
{
    wg_folder_sweep s;
    wg_canvas cv = {0};
    char sub[512], extra[300];
    if (frame) memset(frame, 0, sizeof *frame);
    wg_status st = wg_folder_read_sweep(dir, &s, d);
    if (st != WG_OK) return st;
    if (s.nkeys > 2 || s.n == 0) goto done;   /* no chart for three keys or more */
    if ((st = wg_canvas_new(&cv, o, d)) != WG_OK) goto done;
    wg_axes a = {0};
    if (s.nkeys == 1)
        snprintf(extra, sizeof extra, " at each point; %zu points: mean final reach and p05–p95 "
                 "against %s", s.n, s.key[0]);
    else
        snprintf(extra, sizeof extra, " at each point; %zu points: mean final negative reach over "
                 "%s and %s", s.n, s.key[0], s.key[1]);
    wg_plot_subtitle(sub, sizeof sub, &s.info, extra);
    double top = wg_plot_titles(&cv, s.info.name, sub);
    wg_legend lg = {0};
    double lh = 0, lx = S_MARGIN * cv.u, lw = cv.w - 2 * S_MARGIN * cv.u;
    if (s.nkeys == 1) {
        char l1[160], l2[160];
        snprintf(l1, sizeof l1, "%s who turned critic (critics + rejecters)", s.info.who);
        snprintf(l2, sizeof l2, "%s won over (advocates + supporters)", s.info.who);
        wg_plot_legend_add(&lg, SW_LINE, C_NEG, 1, l1);
        wg_plot_legend_add(&lg, SW_LINE, C_POS, 1, l2);
        wg_plot_legend_add(&lg, SW_BAND, C_MUTED, 0.22, "p05–p95 over runs");
        lh = wg_plot_legend(&cv, &lg, lx, top, lw, 1);
        sweep_one_key(&cv, &s, &a, top + lh);
    } else {
        sweep_two_keys(&cv, &s, &a, top + S_LABEL * cv.u, d);
        if (d->status == WG_ENOMEM) {
            st = WG_ENOMEM;
            goto done;
        }
    }
    wg_plot_report(frame, &a, lh ? lx : 0, lh ? top : 0, lh ? lx + lw : 0, lh ? top + lh : 0);
    st = wg_plot_finish(&cv, &s.info, dir, "sweep.png", d);
done:
    wg_canvas_free(&cv);
    wg_folder_sweep_free(&s);
    return st;
}
