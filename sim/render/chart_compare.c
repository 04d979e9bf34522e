/*
 * chart_compare.c — compare.png of a comparison folder: the reach curves of
 * the base and every what-if (median and p25–p75, negative and positive
 * side by side) over the paired differences, what-if minus base, with their
 * 95 % intervals, one panel per metric of compare.csv.
 *
 * Invariants:
 * 1. Drawn from the folder's files only (compare.csv, blowup.csv and the
 *    arms' run folders, read by folder.c): `waggle render DIR` reproduces
 *    what `waggle compare` drew.
 * 2. The base is grey, with a thicker line; each what-if keeps its colour
 *    in the legend, the curves and the panels of differences.
 * 3. A panel of differences always shows zero (dashed), so the side of the
 *    line says better or worse.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "waggle/render.h"

#include "chart.h"

/* what-ifs after the base (grey): distinct from each other */
static const wg_rgb C_VARIANTS[] = {WG_HEX(0xD55E00), WG_HEX(0x009E73), WG_HEX(0xCC79A7),
                                    WG_HEX(0x56B4E9), WG_HEX(0x0072B2), WG_HEX(0xE69F00)};
static const wg_rgb C_BASE = WG_HEX(0x505050);
#define NVARCOL (sizeof C_VARIANTS / sizeof C_VARIANTS[0])

static wg_rgb var_color(int i)
{
    return i == 0 ? C_BASE : C_VARIANTS[(i - 1) % NVARCOL];
}

/* One panel of curves: the median and p25–p75 band of valence v for the base and every
 * variant. */
static void cmp_curves(wg_canvas *cv, const wg_folder_cmp *cd, int v, wg_axes *a,
                       const char *title)
{
    double vmax = 0;
    uint32_t steps = 0;
    for (int i = 0; i < cd->nvar; i++) {
        if (cd->steps[i] > steps) steps = cd->steps[i];
        for (uint32_t t = 0; t < cd->steps[i]; t++)
            for (int q = Q25; q <= Q75; q++)
                if (isfinite(cd->q[i][v][q][t]) && cd->q[i][v][q][t] > vmax)
                    vmax = cd->q[i][v][q][t];
    }
    double ystep = wg_plot_y_count(a, vmax), xstep = wg_plot_x_steps(a, steps);
    double lw = wg_plot_label_width(cv, a->ymax, ystep, 1, "");
    double left = a->x0;
    a->x0 = left + lw + S_GAP * cv->u;
    wg_canvas_font(cv, S_LABEL, 1);
    wg_canvas_color(cv, C_TEXT, 1);
    wg_canvas_text(cv, left, a->y0 - S_GAP * cv->u - S_TICK * cv->u * 0.6, 0, 1, title);
    wg_plot_y_ticks(cv, a, ystep, 1, 0, 1);
    wg_plot_x_ticks(cv, a, xstep);
    wg_plot_clip(cv, a);
    for (int i = 0; i < cd->nvar; i++)
        wg_plot_band(cv, a, cd->q[i][v][Q25], cd->q[i][v][Q75], cd->steps[i], var_color(i), 0.18);
    for (int i = 0; i < cd->nvar; i++)
        wg_plot_line(cv, a, cd->q[i][v][Q50], cd->steps[i], var_color(i), i ? S_LINE : S_LINE + 1);
    wg_canvas_unclip(cv);
    wg_plot_frame(cv, a);
    if (!steps) wg_plot_note(cv, a, "no data");
}

wg_status wg_render_compare(const char *dir, const wg_render_opts *o, wg_render_frame *frame,
                            wg_diag *d)
{
    wg_folder_cmp cd;
    wg_canvas cv = {0};
    wg_legend lg = {0};
    char sub[512], buf[128];
    if (frame) memset(frame, 0, sizeof *frame);
    wg_status st = wg_folder_read_compare(dir, &cd, d);
    if (st != WG_OK) goto done;
    if ((st = wg_canvas_new(&cv, o, d)) != WG_OK) goto done;
    double u = cv.u;
    snprintf(buf, sizeof buf, ": base and %d what-if%s, same random numbers, medians and p25–p75",
             cd.nvar - 1, cd.nvar == 2 ? "" : "s");
    wg_plot_subtitle(sub, sizeof sub, &cd.info, buf);
    double top = wg_plot_titles(&cv, cd.info.name, sub);
    for (int i = 0; i < cd.nvar; i++) wg_plot_legend_add(&lg, SW_LINE, var_color(i), 1, cd.var[i]);
    double lx = S_MARGIN * u, lw = cv.w - 2 * S_MARGIN * u;
    double lh = wg_plot_legend(&cv, &lg, lx, top, lw, 1);

    /* upper half: two panels of curves; lower part: the differences */
    double y0 = top + lh + S_LABEL * u * 2.2, split = y0 + (cv.h - y0) * 0.52;
    double colw = (cv.w - 2 * S_MARGIN * u - 3 * S_GAP * u) / 2;
    wg_axes an = {0}, ap = {0};
    an.x0 = S_MARGIN * u;
    an.x1 = an.x0 + colw;
    ap.x0 = an.x1 + 3 * S_GAP * u;
    ap.x1 = cv.w - S_MARGIN * u;
    an.y0 = ap.y0 = y0;
    an.y1 = ap.y1 = split - S_TICK * u - 2 * S_GAP * u;
    snprintf(sub, sizeof sub, "negative reach (critics + rejecters) by %s", cd.info.unit);
    cmp_curves(&cv, &cd, V_NEG, &an, sub);
    snprintf(sub, sizeof sub, "positive reach (advocates + supporters) by %s", cd.info.unit);
    cmp_curves(&cv, &cd, V_POS, &ap, sub);
    wg_plot_report(frame, &an, lx, top, lx + lw, top + lh);

    /* the differences: one panel per metric, one row per variant: mean and 95 % interval */
    double dtop = split + S_LABEL * u * 2.6, dbot = cv.h - S_MARGIN * u - S_TICK * u - S_GAP * u;
    wg_canvas_font(&cv, S_LABEL, 1);
    wg_canvas_color(&cv, C_TEXT, 1);
    wg_canvas_text(&cv, S_MARGIN * u, split + S_LABEL * u * 0.9, 0, 1,
         "paired difference, what-if minus base (mean and 95 % interval over runs)");
    double namew = 0;
    wg_canvas_font(&cv, S_LEGEND, 0);
    for (int i = 1; i < cd.nvar; i++)
        if (wg_canvas_text_width(&cv, cd.var[i]) > namew)
            namew = wg_canvas_text_width(&cv, cd.var[i]);
    if (namew > cv.w * 0.22) namew = cv.w * 0.22;
    double px0 = S_MARGIN * u + namew + S_GAP * u;
    int nm = cd.nmet ? cd.nmet : 1;
    double pw = (cv.w - S_MARGIN * u - px0 - (nm - 1) * 3 * S_GAP * u) / nm;
    double rowh = (dbot - dtop) / (cd.nvar > 1 ? cd.nvar - 1 : 1);
    for (int i = 1; i < cd.nvar; i++) {
        char name[160];
        snprintf(name, sizeof name - 4, "%s", cd.var[i]);
        wg_canvas_font(&cv, S_LEGEND, 0);
        wg_canvas_fit_text(&cv, name, namew);
        wg_canvas_color(&cv, var_color(i), 1);
        wg_canvas_text(&cv, px0 - S_GAP * u, dtop + (i - 0.5) * rowh, 1, 0.5, name);
    }
    if (!cd.nrows) {
        wg_axes z = {px0, dtop, cv.w - S_MARGIN * u, dbot, 0, 1, 0, 1, 0};
        wg_plot_note(&cv, &z, "no rows in compare.csv");
    }
    for (int m = 0; m < cd.nmet; m++) {
        wg_axes a = {0};
        a.x0 = px0 + m * (pw + 3 * S_GAP * u);
        a.x1 = a.x0 + pw;
        a.y0 = dtop;
        a.y1 = dbot;
        a.ymin = 0;
        a.ymax = 1;
        double lo = 0, hi = 0;
        for (size_t k = 0; k < cd.nrows; k++) {
            const wg_folder_cmp_row *r = &cd.rows[k];
            if (r->metric != m) continue;
            if (isfinite(r->lo) && r->lo < lo) lo = r->lo;
            if (isfinite(r->hi) && r->hi > hi) hi = r->hi;
            if (isfinite(r->diff) && r->diff < lo) lo = r->diff;
            if (isfinite(r->diff) && r->diff > hi) hi = r->diff;
        }
        double span = hi - lo > 0 ? hi - lo : 1, step = wg_plot_nice_step(span, 0);
        /* a little room on both sides so that no mark sits on the panel's edge */
        a.xmin = floor((lo - 0.05 * span) / step - 1e-9) * step;
        a.xmax = ceil((hi + 0.05 * span) / step + 1e-9) * step;
        if (a.xmax <= a.xmin) a.xmax = a.xmin + step;
        /* panel: title, light frame, ticks, zero line */
        wg_canvas_font(&cv, S_LEGEND, 1);
        wg_canvas_color(&cv, C_TEXT, 1);
        wg_canvas_text(&cv, (a.x0 + a.x1) / 2, a.y0 - S_GAP * u, 0.5, 1, cd.met[m]);
        wg_canvas_color(&cv, C_GRID, 1);
        wg_canvas_line_width(&cv, 1.5 * u);
        wg_canvas_rect(&cv, a.x0, a.y0, a.x1 - a.x0, a.y1 - a.y0);
        wg_canvas_stroke(&cv);
        double ts = step;
        while ((a.xmax - a.xmin) / ts > 4.5 && ts < INFINITY) ts *= 2;   /* narrow panels: fewer labels */
        int dec = wg_plot_decimals(ts);
        wg_canvas_font(&cv, S_TICK * 0.9, 0);
        wg_canvas_color(&cv, C_MUTED, 1);
        int nt = 0;
        for (double v = ceil(a.xmin / ts - 1e-9) * ts; nt++ < WG_PLOT_MAX_TICKS && v <= a.xmax + ts * 1e-6;
             v = wg_plot_tick_after(v, ts)) {
            wg_plot_fmt_num(buf, sizeof buf, v, dec);
            double tw = wg_canvas_text_width(&cv, buf);
            if (px(&a, v) - tw / 2 < a.x0 || px(&a, v) + tw / 2 > a.x1) continue;  /* no overlap */
            wg_canvas_text(&cv, px(&a, v), a.y1 + S_GAP * u * 0.6, 0.5, 0, buf);
        }
        wg_plot_clip(&cv, &a);
        wg_canvas_dash(&cv, 6 * u, 5 * u);
        wg_canvas_color(&cv, C_AXIS, 1);
        wg_canvas_move_to(&cv, px(&a, 0), a.y0);
        wg_canvas_line_to(&cv, px(&a, 0), a.y1);
        wg_canvas_stroke(&cv);
        wg_canvas_dash(&cv, 0, 0);
        for (size_t k = 0; k < cd.nrows; k++) {
            const wg_folder_cmp_row *r = &cd.rows[k];
            if (r->metric != m) continue;
            double y = dtop + (r->variant - 0.5) * rowh;
            wg_canvas_color(&cv, var_color(r->variant), 1);
            if (isfinite(r->lo) && isfinite(r->hi)) {
                wg_canvas_line_width(&cv, S_LINE * u);
                wg_canvas_move_to(&cv, px(&a, r->lo), y);
                wg_canvas_line_to(&cv, px(&a, r->hi), y);
                wg_canvas_stroke(&cv);
            }
            if (isfinite(r->diff)) {
                wg_canvas_circle(&cv, px(&a, r->diff), y, 7 * u);
                wg_canvas_fill(&cv);
            }
        }
        wg_canvas_unclip(&cv);
    }
    st = wg_plot_finish(&cv, &cd.info, dir, "compare.png", d);
done:
    wg_canvas_free(&cv);
    wg_folder_compare_free(&cd);
    return st;
}

