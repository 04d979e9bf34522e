/*
 * chart_sensitivity.c — sensitivity.png of a sweep folder with Sobol indices
 * (sensitivity.csv, manifest.yaml): what matters for the final negative reach
 * (left panel) and the positive reach (right), one row per swept key: its
 * total index (pale bar) and first-order index (dark bar), each with its
 * 95 % bootstrap interval as a whisker. Any number of keys (up to 20), so a
 * sweep of three keys or more, which sweep.png cannot show, has its chart.
 *
 * Invariants:
 * 1. Drawn from the folder's files only (folder.c).
 * 2. The index axis runs from 0 to 1 (and further when an estimate or its
 *    interval does, which happens with few samples); a metric that does not
 *    vary over the design has no indices and its panel says so.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "waggle/render.h"

#include "chart.h"

#define AXIS_LOW -0.2    /* the index axis is cut here and ...            */
#define AXIS_HIGH 1.5    /* ... here: estimates beyond are drawn to the edge */

static double clampx(double v)
{
    return v < AXIS_LOW ? AXIS_LOW : v > AXIS_HIGH ? AXIS_HIGH : v;
}

static void bar(wg_canvas *cv, const wg_axes *a, double v, double lo, double hi, double y,
                double h, wg_rgb c, double alpha)
{
    if (!isfinite(v)) return;
    double x0 = px(a, 0), x1 = px(a, clampx(v));
    wg_canvas_rect(cv, fmin(x0, x1), y, fabs(x1 - x0), h);
    wg_canvas_color(cv, c, alpha);
    wg_canvas_fill(cv);
    if (isfinite(lo) && isfinite(hi)) {
        double l = px(a, clampx(lo)), r = px(a, clampx(hi)), m = y + h / 2;
        wg_canvas_color(cv, C_TEXT, 1);
        wg_canvas_line_width(cv, 2 * cv->u);
        wg_canvas_move_to(cv, l, m);
        wg_canvas_line_to(cv, r, m);
        wg_canvas_move_to(cv, l, m - h * 0.3);
        wg_canvas_line_to(cv, l, m + h * 0.3);
        wg_canvas_move_to(cv, r, m - h * 0.3);
        wg_canvas_line_to(cv, r, m + h * 0.3);
        wg_canvas_stroke(cv);
    }
}

static void panel(wg_canvas *cv, wg_axes *a, const wg_folder_sens *s, int v, const char *title)
{
    double u = cv->u;
    const wg_rgb dark = v == V_NEG ? C_NEG_DARK : C_POS, pale = v == V_NEG ? C_NEG : C_POS_QUIET;
    double lo = 0, hi = 1;
    int any = 0;
    for (int k = 0; k < s->nkeys; k++) {
        const double x[4] = {s->first_lo[v][k], s->first_hi[v][k], s->total_lo[v][k],
                             s->total_hi[v][k]};
        for (int t = 0; t < 4; t++)
            if (isfinite(x[t])) {
                lo = fmin(lo, x[t]);
                hi = fmax(hi, x[t]);
            }
        any |= isfinite(s->total[v][k]);
    }
    double step = 0.2;
    a->xmin = fmax(AXIS_LOW, floor(lo / step - 1e-9) * step);
    a->xmax = fmin(AXIS_HIGH, ceil(hi / step - 1e-9) * step);
    a->ymin = 0;
    a->ymax = s->nkeys > 0 ? s->nkeys : 1;
    /* vertical grid lines at the ticks */
    for (double x = a->xmin; x <= a->xmax + 1e-9; x += step) {
        wg_canvas_color(cv, fabs(x) < 1e-9 ? C_AXIS : C_GRID, 1);
        wg_canvas_line_width(cv, 1.5 * u);
        wg_canvas_move_to(cv, floor(px(a, x)) + 0.5, a->y0);
        wg_canvas_line_to(cv, floor(px(a, x)) + 0.5, a->y1);
        wg_canvas_stroke(cv);
    }
    wg_plot_x_ticks(cv, a, step);
    wg_canvas_font(cv, S_LABEL, 1);
    wg_canvas_color(cv, C_TEXT, 1);
    wg_canvas_text(cv, (a->x0 + a->x1) / 2, a->y0 - S_GAP * u, 0.5, 1, title);
    if (!any) {
        wg_plot_note(cv, a, "does not vary over the design: no indices");
        return;
    }
    const double rowh = (a->y1 - a->y0) / a->ymax, h = fmin(rowh * 0.34, 30 * u);
    for (int k = 0; k < s->nkeys; k++) {
        double yc = a->y0 + rowh * (k + 0.5);
        bar(cv, a, s->total[v][k], s->total_lo[v][k], s->total_hi[v][k], yc - h - 1 * u, h,
            pale, 0.85);
        bar(cv, a, s->first[v][k], s->first_lo[v][k], s->first_hi[v][k], yc + 1 * u, h, dark, 1);
    }
}

wg_status wg_render_sensitivity(const char *dir, const wg_render_opts *opts,
                                wg_render_frame *frame, wg_diag *d)
{
    wg_folder_sens s;
    wg_canvas cv = {0};
    char sub[512], extra[200];
    if (frame) memset(frame, 0, sizeof *frame);
    wg_status st = wg_folder_read_sensitivity(dir, &s, d);
    if (st != WG_OK) return st;
    if ((st = wg_canvas_new(&cv, opts, d)) != WG_OK) goto done;
    const double u = cv.u;
    snprintf(extra, sizeof extra, " at each point; what matters: Sobol indices of %d key%s, "
             "95 %% bootstrap intervals", s.nkeys, s.nkeys == 1 ? "" : "s");
    wg_plot_subtitle(sub, sizeof sub, &s.info, extra);
    double top = wg_plot_titles(&cv, s.info.name, sub);
    wg_legend lg = {0};
    wg_plot_legend_add(&lg, SW_BOX, C_NEG, 0.85, "total index (with every interaction)");
    wg_plot_legend_add(&lg, SW_BOX, C_NEG_DARK, 1, "first-order index (the key alone)");
    wg_plot_legend_add(&lg, SW_LINE, C_TEXT, 1, "95 % interval");
    double lx = S_MARGIN * u, lw = cv.w - 2 * S_MARGIN * u;
    double lh = wg_plot_legend(&cv, &lg, lx, top, lw, 1);
    /* key labels on the left, two panels side by side */
    wg_canvas_font(&cv, S_TICK, 0);
    double kw = 0;
    char lab[128];
    for (int k = 0; k < s.nkeys; k++) {
        snprintf(lab, sizeof lab - 4, "%s", s.key[k]);
        kw = fmax(kw, wg_canvas_text_width(&cv, lab));
    }
    kw = fmin(kw, cv.w * 0.25);
    wg_axes an = {0}, ap = {0};
    double x0 = S_MARGIN * u + kw + S_GAP * u, x1 = cv.w - S_MARGIN * u, gap = 6 * S_GAP * u;
    an.y0 = ap.y0 = top + lh + S_LABEL * u * 1.6 + S_GAP * u;
    an.y1 = ap.y1 = cv.h - S_MARGIN * u - S_LABEL * u * 1.2 - S_TICK * u - 2 * S_GAP * u;
    an.x0 = x0;
    an.x1 = (x0 + x1 - gap) / 2;
    ap.x0 = an.x1 + gap;
    ap.x1 = x1;
    panel(&cv, &an, &s, V_NEG, "negative reach at the end");
    panel(&cv, &ap, &s, V_POS, "positive reach at the end");
    wg_canvas_font(&cv, S_TICK, 0);
    wg_canvas_color(&cv, C_TEXT, 1);
    const double rowh = (an.y1 - an.y0) / (s.nkeys > 0 ? s.nkeys : 1);
    for (int k = 0; k < s.nkeys; k++) {
        snprintf(lab, sizeof lab - 4, "%s", s.key[k]);
        wg_canvas_fit_text(&cv, lab, kw);
        wg_canvas_text(&cv, an.x0 - S_GAP * u, an.y0 + rowh * (k + 0.5), 1, 0.5, lab);
    }
    wg_canvas_font(&cv, S_LABEL, 0);
    wg_canvas_text(&cv, (an.x0 + ap.x1) / 2, cv.h - S_MARGIN * u, 0.5, 1,
                   "share of the variance of the mean final reach over the design");
    wg_plot_report(frame, &an, lx, top, lx + lw, top + lh);
    st = wg_plot_finish(&cv, &s.info, dir, "sensitivity.png", d);
done:
    wg_canvas_free(&cv);
    wg_folder_sensitivity_free(&s);
    return st;
}
