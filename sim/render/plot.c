/*
 * plot.c — what every chart of render shares: numbers and ticks, axes and
 * the plot area, titles, the legend, bands, lines and observed points, the
 * layout around a plot, and the PNG of a folder with its text chunks
 * (chart.h). Draws only through the canvas (canvas.h).
 *
 * Invariants:
 * 1. Data are drawn only inside the plot area (wg_plot_clip); the legend
 *    sits above the plot area, never over the data.
 * 2. Count axes start at zero (wg_plot_y_count), and a tick step is 1, 2 or
 *    5 × 10^k: labels read as round numbers.
 * 3. Every PNG carries the same text chunks, from the folder's manifest
 *    (wg_plot_finish), and nothing that changes from one drawing to the next.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"

/* ---- numbers and ticks ----------------------------------------------------------------------- */

void wg_plot_fmt_num(char *buf, size_t cap, double v, int dec)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(v) < 0.5 * pow(10, -dec) ? 0.0 : v);
    const char *s = raw;
    char *o = buf, *end = buf + cap - 1;
    if (*s == '-') *o++ = *s++;
    size_t ilen = strcspn(s, ".");
    for (size_t i = 0; i < ilen && o < end; i++) {
        *o++ = s[i];
        if ((ilen - i - 1) % 3 == 0 && i + 1 < ilen && o < end) *o++ = ',';
    }
    for (s += ilen; *s && o < end;) *o++ = *s++;
    *o = '\0';
}

double wg_plot_nice_step(double span, int integer)
{
    if (!(span > 0)) span = 1;
    double raw = span / TICKS_TARGET, mag = pow(10, floor(log10(raw))), r = raw / mag;
    double s = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
    return integer && s < 1 ? 1 : s;
}

int wg_plot_decimals(double step)
{
    int dec = 0;
    while (dec < 6 && fabs(step * pow(10, dec) - floor(step * pow(10, dec) + 0.5)) > 1e-9) dec++;
    return dec;
}

/* ---- axes ------------------------------------------------------------------------------------ */

void wg_plot_clip(wg_canvas *cv, const wg_axes *a)
{
    wg_canvas_clip(cv, a->x0, a->y0, a->x1 - a->x0, a->y1 - a->y0);
}

void wg_plot_y_ticks(wg_canvas *cv, const wg_axes *a, double step, int left, int pct,
                     double mul)
{
    char buf[64], lab[72];
    int dec = wg_plot_decimals(step * mul);
    wg_canvas_font(cv, S_TICK, 0);
    int k = 0;
    for (double v = a->ymin; k++ < WG_PLOT_MAX_TICKS && v <= a->ymax + step * 1e-6;
         v = wg_plot_tick_after(v, step)) {
        double y = py(a, v);
        if (left) {
            wg_canvas_color(cv, C_GRID, 1);
            wg_canvas_line_width(cv, 1.5 * cv->u);
            wg_canvas_move_to(cv, a->x0, floor(y) + 0.5);
            wg_canvas_line_to(cv, a->x1, floor(y) + 0.5);
            wg_canvas_stroke(cv);
        }
        wg_plot_fmt_num(buf, sizeof buf, v * mul, dec);
        snprintf(lab, sizeof lab, "%s%s", buf, pct ? " %" : "");
        wg_canvas_color(cv, C_MUTED, 1);
        if (left) wg_canvas_text(cv, a->x0 - S_GAP * cv->u, y, 1, 0.5, lab);
        else wg_canvas_text(cv, a->x1 + S_GAP * cv->u, y, 0, 0.5, lab);
    }
}

void wg_plot_x_ticks(wg_canvas *cv, const wg_axes *a, double step)
{
    char buf[64];
    int dec = wg_plot_decimals(step);
    wg_canvas_font(cv, S_TICK, 0);
    wg_canvas_color(cv, C_MUTED, 1);
    int k = 0;
    for (double v = a->xmin; k++ < WG_PLOT_MAX_TICKS && v <= a->xmax + step * 1e-6;
         v = wg_plot_tick_after(v, step)) {
        wg_plot_fmt_num(buf, sizeof buf, v, dec);
        wg_canvas_text(cv, px(a, v), a->y1 + S_GAP * cv->u, 0.5, 0, buf);
    }
}

void wg_plot_frame(wg_canvas *cv, const wg_axes *a)
{
    wg_canvas_color(cv, C_AXIS, 1);
    wg_canvas_line_width(cv, 2 * cv->u);
    wg_canvas_move_to(cv, a->x0, a->y0);
    wg_canvas_line_to(cv, a->x0, a->y1);
    wg_canvas_line_to(cv, a->x1, a->y1);
    wg_canvas_stroke(cv);
}

void wg_plot_note(wg_canvas *cv, const wg_axes *a, const char *msg)
{
    wg_canvas_font(cv, S_NOTE, 0);
    wg_canvas_color(cv, C_MUTED, 1);
    wg_canvas_text(cv, (a->x0 + a->x1) / 2, (a->y0 + a->y1) / 2, 0.5, 0.5, msg);
}

double wg_plot_x_steps(wg_axes *a, uint32_t steps)
{
    a->xmin = 0;
    a->xmax = steps > 1 ? steps - 1 : 1;
    return wg_plot_nice_step(a->xmax, 1);
}

double wg_plot_y_count(wg_axes *a, double vmax)
{
    if (!(vmax > 0) || !isfinite(vmax)) vmax = 1;
    double step = wg_plot_nice_step(vmax, 1);
    a->ymin = 0;
    a->ymax = ceil(vmax / step - 1e-9) * step;
    return step;
}

/* ---- titles and legend ----------------------------------------------------------------------- */

double wg_plot_titles(wg_canvas *cv, const char *title, const char *sub)
{
    char buf[512];
    double y = S_MARGIN * cv->u, w = cv->w - 2 * S_MARGIN * cv->u;
    wg_canvas_font(cv, S_TITLE, 1);
    wg_canvas_color(cv, C_TEXT, 1);
    snprintf(buf, sizeof buf - 4, "%s", title);
    wg_canvas_fit_text(cv, buf, w);
    wg_canvas_text(cv, S_MARGIN * cv->u, y, 0, 0, buf);
    y += S_TITLE * cv->u * 1.25;
    wg_canvas_font(cv, S_SUBTITLE, 0);
    wg_canvas_color(cv, C_MUTED, 1);
    snprintf(buf, sizeof buf - 4, "%s", sub);
    wg_canvas_fit_text(cv, buf, w);
    wg_canvas_text(cv, S_MARGIN * cv->u, y, 0, 0, buf);
    return y + S_SUBTITLE * cv->u * 1.6;
}

void wg_plot_subtitle(char *buf, size_t cap, const wg_folder_info *in, const char *extra)
{
    snprintf(buf, cap, "%s run%s, seed %s%s", in->runs, strcmp(in->runs, "1") ? "s" : "",
             in->seed, extra);
}

void wg_plot_legend_add(wg_legend *l, int kind, wg_rgb c, double alpha, const char *label)
{
    if (l->n == MAX_LEGEND) return;
    wg_legend_item *i = &l->it[l->n++];
    i->kind = kind;
    i->c = c;
    i->alpha = alpha;
    snprintf(i->label, sizeof i->label, "%s", label);
}

double wg_plot_legend(wg_canvas *cv, const wg_legend *l, double x, double y, double w, int draw)
{
    double sw = 34 * cv->u, row = S_LEGEND * 1.6 * cv->u, cx = x, cy = y;
    wg_canvas_font(cv, S_LEGEND, 0);
    if (!l->n) return 0;
    for (int k = 0; k < l->n; k++) {
        const wg_legend_item *i = &l->it[k];
        double iw = sw + 8 * cv->u + wg_canvas_text_width(cv, i->label) + 26 * cv->u;
        if (cx > x && cx + iw > x + w) {
            cx = x;
            cy += row;
        }
        if (draw) {
            double my = cy + row / 2;
            if (i->kind == SW_BAND || i->kind == SW_BOX) {
                wg_canvas_color(cv, i->c, i->alpha);
                wg_canvas_rect(cv, cx, my - 9 * cv->u, sw, 18 * cv->u);
                wg_canvas_fill(cv);
            }
            if (i->kind == SW_LINE) {
                wg_canvas_color(cv, i->c, 1);
                wg_canvas_line_width(cv, S_LINE * cv->u);
                wg_canvas_move_to(cv, cx, my);
                wg_canvas_line_to(cv, cx + sw, my);
                wg_canvas_stroke(cv);
            }
            if (i->kind == SW_POINT) wg_plot_point(cv, cx + sw / 2, my, 8 * cv->u);
            wg_canvas_color(cv, C_TEXT, 1);
            wg_canvas_text(cv, cx + sw + 8 * cv->u, my, 0, 0.5, i->label);
        }
        cx += iw;
    }
    return cy + row - y;
}

/* ---- data ------------------------------------------------------------------------------------ */

void wg_plot_point(wg_canvas *cv, double x, double y, double r)
{
    /* a diamond with a white rim: visible over both colours and the bands */
    wg_canvas_move_to(cv, x, y - r);
    wg_canvas_line_to(cv, x + r, y);
    wg_canvas_line_to(cv, x, y + r);
    wg_canvas_line_to(cv, x - r, y);
    wg_canvas_close_path(cv);
    wg_canvas_color(cv, C_WHITE, 1);
    wg_canvas_line_width(cv, 2.5 * cv->u);
    wg_canvas_stroke_keep(cv);
    wg_canvas_color(cv, C_OBS, 1);
    wg_canvas_fill(cv);
}

void wg_plot_band(wg_canvas *cv, const wg_axes *a, const double *lo, const double *hi,
                  uint32_t n, wg_rgb c, double alpha)
{
    int open = 0;
    uint32_t start = 0;
    for (uint32_t t = 0; t <= n; t++) {
        int ok = t < n && isfinite(lo[t]) && isfinite(hi[t]);
        if (ok && !open) {
            open = 1;
            start = t;
            wg_canvas_move_to(cv, px(a, t), py(a, hi[t]));
        } else if (ok) {
            wg_canvas_line_to(cv, px(a, t), py(a, hi[t]));
        }
        if (!ok && open) {
            for (uint32_t k = t; k-- > start;) wg_canvas_line_to(cv, px(a, k), py(a, lo[k]));
            wg_canvas_close_path(cv);
            open = 0;
        }
    }
    wg_canvas_color(cv, c, alpha);
    wg_canvas_fill(cv);
}

void wg_plot_line(wg_canvas *cv, const wg_axes *a, const double *y, uint32_t n, wg_rgb c,
                  double width)
{
    int open = 0;
    for (uint32_t t = 0; t < n; t++) {
        if (!isfinite(y[t])) {
            open = 0;
            continue;
        }
        if (!open) wg_canvas_move_to(cv, px(a, t), py(a, y[t]));
        else wg_canvas_line_to(cv, px(a, t), py(a, y[t]));
        open = 1;
    }
    /* a single step is a dot, not nothing */
    if (n == 1 && isfinite(y[0])) wg_canvas_line_to(cv, px(a, 0) + 0.01, py(a, y[0]));
    wg_canvas_color(cv, c, 1);
    wg_canvas_line_width(cv, width * cv->u);
    wg_canvas_line_cap_round(cv);
    wg_canvas_line_join_round(cv);
    wg_canvas_stroke(cv);
}

/* ---- layout ---------------------------------------------------------------------------------- */

void wg_plot_layout(wg_canvas *cv, wg_axes *a, double top, double ylab_w, double right_w)
{
    double u = cv->u;
    a->x0 = S_MARGIN * u + S_LABEL * u * 1.4 + ylab_w + S_GAP * u;
    a->x1 = cv->w - S_MARGIN * u - (right_w > 0 ? right_w + S_GAP * u + S_LABEL * u * 1.4 : 0);
    a->y0 = top + S_GAP * u + S_TICK * u;
    a->y1 = cv->h - S_MARGIN * u - S_LABEL * u * 1.2 - S_TICK * u - 2 * S_GAP * u;
    if (a->x1 < a->x0 + 10) a->x1 = a->x0 + 10;
    if (a->y1 < a->y0 + 10) a->y1 = a->y0 + 10;
}

double wg_plot_label_width(wg_canvas *cv, double vmax, double step, double mul,
                           const char *suffix)
{
    char buf[64], lab[72];
    wg_canvas_font(cv, S_TICK, 0);
    wg_plot_fmt_num(buf, sizeof buf, vmax * mul, wg_plot_decimals(step * mul));
    snprintf(lab, sizeof lab, "%s%s", buf, suffix);
    return wg_canvas_text_width(cv, lab);
}

void wg_plot_axis_labels(wg_canvas *cv, const wg_axes *a, const char *xl, const char *yl)
{
    wg_canvas_font(cv, S_LABEL, 0);
    wg_canvas_color(cv, C_TEXT, 1);
    wg_canvas_text(cv, (a->x0 + a->x1) / 2, cv->h - S_MARGIN * cv->u, 0.5, 1, xl);
    wg_canvas_text_turned(cv, S_MARGIN * cv->u + S_LABEL * cv->u * 0.5, (a->y0 + a->y1) / 2, -1,
                          yl);
}

/* ---- the result ------------------------------------------------------------------------------ */

void wg_plot_report(wg_render_frame *f, const wg_axes *a, double lx0, double ly0, double lx1,
                    double ly1)
{
    if (!f) return;
    f->x0 = a->x0, f->y0 = a->y0, f->x1 = a->x1, f->y1 = a->y1;
    f->xmin = a->xmin, f->xmax = a->xmax, f->ymin = a->ymin, f->ymax = a->ymax;
    f->ax0 = a->x0;
    f->xlog = a->xlog;
    f->lx0 = lx0, f->ly0 = ly0, f->lx1 = lx1, f->ly1 = ly1;
}

wg_status wg_plot_finish(wg_canvas *cv, const wg_folder_info *in, const char *dir,
                         const char *name, wg_diag *d)
{
    char software[64];
    snprintf(software, sizeof software, "waggle %s", in->version);
    wg_png_meta m[] = {{"Title", in->name},       {"Scenario", in->name}, {"Seed", in->seed},
                       {"Runs", in->runs},        {"Version", in->version},
                       {"Command", in->command}, {"Software", software}};
    return wg_canvas_write(cv, dir, name, m, (int)(sizeof m / sizeof m[0]), d);
}
