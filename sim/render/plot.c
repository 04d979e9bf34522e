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

#include "waggle/compare.h"

#include "chart.h"

/* ---- numbers and ticks ----------------------------------------------------------------------- */

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
    wg_canvas_font(cv, S_TICK, 0);
    step = wg_plot_thin_y(cv, a, step);
    int dec = wg_plot_decimals(step * mul);
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
        wg_num_grouped(buf, sizeof buf, v * mul, dec);
        snprintf(lab, sizeof lab, "%s%s", buf, pct ? " %" : "");
        wg_canvas_color(cv, C_MUTED, 1);
        if (left) wg_canvas_text(cv, a->x0 - S_GAP * cv->u, y, 1, 0.5, lab);
        else wg_canvas_text(cv, a->x1 + S_GAP * cv->u, y, 0, 0.5, lab);
    }
}

void wg_plot_x_ticks(wg_canvas *cv, const wg_axes *a, double step)
{
    char buf[64];
    wg_canvas_font(cv, S_TICK, 0);
    wg_canvas_color(cv, C_MUTED, 1);
    /* as many labels as fit side by side, with a gap: the step doubles until they do */
    int dec = wg_plot_decimals(step);
    for (int tries = 0; tries < 30; tries++) {
        double widest = 0;
        int k = 0;
        for (double v = a->xmin; k++ < WG_PLOT_MAX_TICKS && v <= a->xmax + step * 1e-6;
             v = wg_plot_tick_after(v, step)) {
            wg_num_grouped(buf, sizeof buf, v, dec);
            widest = fmax(widest, wg_canvas_text_width(cv, buf));
        }
        if (fabs(px(a, a->xmin + step) - px(a, a->xmin)) >= widest + S_GAP * cv->u) break;
        step *= 2;
        dec = wg_plot_decimals(step);
    }
    double right = a->x1 + S_MARGIN * cv->u * 0.9;   /* a label may reach into the margin */
    int k = 0;
    for (double v = a->xmin; k++ < WG_PLOT_MAX_TICKS && v <= a->xmax + step * 1e-6;
         v = wg_plot_tick_after(v, step)) {
        wg_num_grouped(buf, sizeof buf, v, dec);
        double tw = wg_canvas_text_width(cv, buf), x = px(a, v);
        if (x + tw / 2 > right) x = right - tw / 2;   /* the last label stays in the image */
        wg_canvas_text(cv, x, a->y1 + S_GAP * cv->u, 0.5, 0, buf);
    }
}

double wg_plot_thin_y(wg_canvas *cv, const wg_axes *a, double step)
{
    /* labels a line and a half apart at least: the step doubles until they are */
    double lh = wg_canvas_line_height(cv) * 1.5;
    for (int tries = 0; tries < 30 && step > 0 && (a->y1 - a->y0) * step /
                                                       (a->ymax - a->ymin) < lh; tries++)
        step *= 2;
    return step;
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

int wg_plot_wrap(wg_canvas *cv, const char *s, double x, double y, double w, double ax,
                 int max_lines, double lh, int draw)
{
    char line[512], rest[1024];
    int n = 0;
    snprintf(rest, sizeof rest, "%s", s);
    char *p = rest;
    while (*p == ' ') p++;
    while (*p && n < max_lines) {
        /* the longest run of whole words that fits; one word longer than w is cut */
        size_t len = strlen(p), take = 0, at = 0;
        while (at <= len) {
            size_t next = at;
            while (next < len && p[next] != ' ') next++;
            if (next >= sizeof line - 4) break;
            memcpy(line, p, next);
            line[next] = '\0';
            if (take && wg_canvas_text_width(cv, line) > w) break;
            take = next;
            if (next == len) break;
            at = next + 1;
        }
        if (!take) take = len < sizeof line - 4 ? len : sizeof line - 4;
        memcpy(line, p, take);
        line[take] = '\0';
        p += take;
        while (*p == ' ') p++;
        if (n == max_lines - 1 && *p) {   /* the last line allowed: what is left, shortened */
            snprintf(line + take, sizeof line - take - 4, " %s", p);
            line[sizeof line - 4] = '\0';
            p += strlen(p);
        }
        wg_canvas_fit_text(cv, line, w);
        if (draw) wg_canvas_text(cv, x + ax * w, y + n * lh, ax, 0, line);
        n++;
    }
    return n;
}

double wg_plot_titles(wg_canvas *cv, const char *title, const char *sub)
{
    double y = S_MARGIN * cv->u, w = cv->w - 2 * S_MARGIN * cv->u;
    wg_canvas_font(cv, S_TITLE, 1);
    wg_canvas_color(cv, C_TEXT, 1);
    /* a blank title still takes its line: the layout does not depend on the words */
    int n = wg_plot_wrap(cv, title, S_MARGIN * cv->u, y, w, 0, 2, S_TITLE * cv->u * 1.2, 1);
    if (n < 1) n = 1;
    y += S_TITLE * cv->u * (1.2 * (n - 1) + 1.25);
    wg_canvas_font(cv, S_SUBTITLE, 0);
    wg_canvas_color(cv, C_MUTED, 1);
    n = wg_plot_wrap(cv, sub, S_MARGIN * cv->u, y, w, 0, 4, S_SUBTITLE * cv->u * 1.35, 1);
    if (n < 1) n = 1;
    return y + S_SUBTITLE * cv->u * (1.35 * (n - 1) + 1.6);
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
        char label[sizeof i->label + 4];
        snprintf(label, sizeof label - 4, "%s", i->label);
        wg_canvas_fit_text(cv, label, w - sw - 8 * cv->u);   /* one item never wider than w */
        double iw = sw + 8 * cv->u + wg_canvas_text_width(cv, label) + 26 * cv->u;
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
            wg_canvas_text(cv, cx + sw + 8 * cv->u, my, 0, 0.5, label);
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
    wg_num_grouped(buf, sizeof buf, vmax * mul, wg_plot_decimals(step * mul));
    snprintf(lab, sizeof lab, "%s%s", buf, suffix);
    return wg_canvas_text_width(cv, lab);
}

void wg_plot_axis_labels(wg_canvas *cv, const wg_axes *a, const char *xl, const char *yl)
{
    wg_canvas_font(cv, S_LABEL, 0);
    wg_canvas_color(cv, C_TEXT, 1);
    wg_canvas_text(cv, (a->x0 + a->x1) / 2, cv->h - S_MARGIN * cv->u, 0.5, 1, xl);
    wg_plot_turned(cv, S_MARGIN * cv->u + S_LABEL * cv->u * 0.5, a, -1, yl);
}

void wg_plot_turned(wg_canvas *cv, double x, const wg_axes *a, int turn, const char *s)
{
    /* centred on the plot, moved down or shortened so that it stays between the top of the
     * plot and the bottom margin */
    char buf[512];
    snprintf(buf, sizeof buf - 4, "%s", s);
    double lo = a->y0, hi = cv->h - S_MARGIN * cv->u;
    wg_canvas_fit_text(cv, buf, hi - lo);
    double half = wg_canvas_text_width(cv, buf) / 2, c = (a->y0 + a->y1) / 2;
    c = fmax(lo + half, fmin(hi - half, c));
    wg_canvas_text_turned(cv, x, c, turn, buf);
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

/* ---- metrics in words -------------------------------------------------------------------- */

/* Metrics a chart may meet that are not compare.csv's own vocabulary (compare.h): the
 * brief's and a run's figures, with their way of being better (0: neither). */
static const struct {
    const char *name, *words;
    int better, who;
} other_metrics[] = {
    {"saved", "%s saved from turning critic", 1, 1},
    {"lost", "%s lost to critics", -1, 1},
    {"reach_negative_p95", "turned critic, worst 5 % of runs", -1, 0},
    {"answers", "critics answered", 0, 0},
    {"cost", "cost of the answers", 0, 0},
};

/* The metrics of summary.csv (enum wg_metric) in words, as a chart's axis names what it
 * plots; "%s" is what an agent stands for. The reaches are compare.csv's. */
static const char *const summary_words[WG_NMETRICS] = {
    [WG_M_UNAWARE] = "%s unaware",
    [WG_M_ADVOCATES] = "advocates",
    [WG_M_CRITICS] = "critics",
    [WG_M_SUPPORTERS] = "supporters",
    [WG_M_REJECTERS] = "rejecters",
    [WG_M_IMMUNE] = "%s immune",
    [WG_M_NEW_POS] = "%s newly won over in the step",
    [WG_M_NEW_NEG] = "%s newly turned critic in the step",
    [WG_M_SENTIMENT] = "sentiment (-1 to +1)",
    [WG_M_EXPOSURES_POS] = "positive exposures in the step",
    [WG_M_EXPOSURES_NEG] = "negative exposures in the step",
    [WG_M_CUM_EXPOSURES_POS] = "positive exposures so far",
    [WG_M_CUM_EXPOSURES_NEG] = "negative exposures so far",
    [WG_M_FROM + 0] = "%s who turned critic by a seed",
    [WG_M_FROM + 1] = "%s who turned critic by word of mouth",
    [WG_M_FROM + 2] = "%s who turned critic by the media",
    [WG_M_FROM + 3] = "%s who turned critic by a recommendation",
    [WG_M_FROM + 4] = "%s won over by a seed",
    [WG_M_FROM + 5] = "%s won over by word of mouth",
    [WG_M_FROM + 6] = "%s won over by the media",
    [WG_M_FROM + 7] = "%s won over by a recommendation",
};

void wg_plot_metric_words(char *buf, size_t cap, const char *metric, const wg_folder_info *in)
{
    const char *who = in && in->who ? in->who : "customers";
    const int take_off = in && in->blowup.valence == WG_POS;
    static const char *const cmp_words[WG_NCMP] = {
        "%s won over", "%s who turned critic", "most critics at once",
        "sentiment at the end (-1 to +1)", NULL};
    for (int m = 0; m < WG_NCMP; m++)
        if (strcmp(metric, wg_cmp_metric_name(m)) == 0) {
            if (m == WG_CMP_BLOWUP)
                snprintf(buf, cap, take_off ? "chance of a take-off" : "chance of a blow-up");
            else
                snprintf(buf, cap, cmp_words[m], who);
            return;
        }
    for (size_t k = 0; k < sizeof other_metrics / sizeof other_metrics[0]; k++)
        if (strcmp(metric, other_metrics[k].name) == 0) {
            if (other_metrics[k].who) snprintf(buf, cap, other_metrics[k].words, who);
            else snprintf(buf, cap, "%s", other_metrics[k].words);
            return;
        }
    int m = wg_metric_from_name(metric);
    if (m >= 0 && summary_words[m]) {
        if (strstr(summary_words[m], "%s")) snprintf(buf, cap, summary_words[m], who);
        else snprintf(buf, cap, "%s", summary_words[m]);
        return;
    }
    snprintf(buf, cap, "%s", metric);   /* a metric of a later waggle: its own name */
}

int wg_plot_metric_better(const char *metric, const wg_folder_info *in)
{
    for (int m = 0; m < WG_NCMP_ROWS; m++)   /* compare.csv's own vocabulary first */
        if (strcmp(metric, wg_cmp_metric_name(m)) == 0)
            return wg_cmp_direction(m, in ? (int)in->blowup.valence : WG_NEG);
    for (size_t k = 0; k < sizeof other_metrics / sizeof other_metrics[0]; k++)
        if (strcmp(metric, other_metrics[k].name) == 0) return other_metrics[k].better;
    return 0;
}

/* ---- events on the time axis ------------------------------------------------------------- */

/* The step an event is drawn at: its step, or the step its trigger fired (NaN: none). */
static double event_step(const wg_folder_event *e)
{
    return e->when >= 0 ? e->fired : e->step;
}

/* 1 for the events a chart draws: not the seeds of step 0 (every story starts so). */
static int event_drawn(const wg_folder_event *e)
{
    return !(e->kind == WG_EV_SEED && e->when < 0 && e->step == 0);
}

/* A marker: media a triangle pointing down, an answer a diamond, a trigger a star,
 * anything else (seed, set, scale, block) a square; r its radius. */
static void event_marker(wg_canvas *cv, const wg_folder_event *e, double x, double y, double r)
{
    if (e->when >= 0) {
        for (int k = 0; k < 10; k++) {
            double ang = -M_PI / 2 + k * M_PI / 5, rr = k % 2 ? r * 0.45 : r * 1.1;
            if (k == 0) wg_canvas_move_to(cv, x + rr * cos(ang), y + rr * sin(ang));
            else wg_canvas_line_to(cv, x + rr * cos(ang), y + rr * sin(ang));
        }
    } else if (e->kind == WG_EV_MEDIA) {
        wg_canvas_move_to(cv, x - r, y - r * 0.8);
        wg_canvas_line_to(cv, x + r, y - r * 0.8);
        wg_canvas_line_to(cv, x, y + r * 0.9);
    } else if (e->kind == WG_EV_RESPOND) {
        wg_canvas_move_to(cv, x, y - r);
        wg_canvas_line_to(cv, x + r, y);
        wg_canvas_line_to(cv, x, y + r);
        wg_canvas_line_to(cv, x - r, y);
    } else {
        wg_canvas_rect(cv, x - r * 0.75, y - r * 0.75, 1.5 * r, 1.5 * r);
    }
    wg_canvas_close_path(cv);
    wg_canvas_fill(cv);
}

void wg_plot_events(wg_canvas *cv, const wg_axes *a, const wg_folder_event *ev, int n,
                    wg_rgb c, int row)
{
    double u = cv->u, r = 6 * u, y = a->y0 + r * 1.6 + row * r * 2.3;
    for (int i = 0; i < n; i++) {
        const wg_folder_event *e = &ev[i];
        double t = event_step(e);
        if (!event_drawn(e) || !isfinite(t) || t < a->xmin || t > a->xmax) continue;
        double x = px(a, t);
        /* a thin dashed line down the plot, the marker at its top */
        wg_canvas_color(cv, c, 0.45);
        wg_canvas_line_width(cv, 1.2 * u);
        wg_canvas_dash(cv, 4 * u, 4 * u);
        wg_canvas_move_to(cv, floor(x) + 0.5, y);
        wg_canvas_line_to(cv, floor(x) + 0.5, a->y1);
        wg_canvas_stroke(cv);
        wg_canvas_dash(cv, 0, 0);
        wg_canvas_color(cv, c, 1);
        if (e->kind == WG_EV_RESPOND && e->policy) {
            /* a standing policy: a bar from its start to its last step */
            double end = isfinite(e->until) && e->until < a->xmax ? e->until : a->xmax;
            wg_canvas_line_width(cv, 2.5 * u);
            wg_canvas_dash(cv, 2 * u, 4 * u);   /* dotted: a mark, not a curve */
            wg_canvas_move_to(cv, x, y);
            wg_canvas_line_to(cv, px(a, end), y);
            wg_canvas_stroke(cv);
            wg_canvas_dash(cv, 0, 0);
        }
        event_marker(cv, e, x, y, r);
    }
}

/* "1, 2, 3 and 7" from up to 12 steps (more: "1, 2, … (15 in all)"). */
static void steps_list(char *buf, size_t cap, const double *t, int n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && at + 24 < cap; i++) {
        if (i == 12) {
            at += (size_t)snprintf(buf + at, cap - at, ", … (%d in all)", n);
            break;
        }
        char num[32];
        wg_num_human(num, sizeof num, t[i], 4, 0);
        at += (size_t)snprintf(buf + at, cap - at, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ",
                               num);
    }
}

void wg_plot_events_text(char *buf, size_t cap, const wg_folder_event *ev, int n,
                         const wg_folder_info *in)
{
    /* one phrase per kind of marker, the steps of its events listed */
    enum { K_MEDIA, K_ANSWER, K_POLICY, K_TRIGGER, K_OTHER, NK };
    static const char *const what[NK] = {"▼ media pulses", "◆ answers", "◆▬ standing answers from",
                                         "★ triggered", "■ other events"};
    enum { MAXT = 64 };
    double t[NK][MAXT];
    int nt[NK] = {0};
    for (int i = 0; i < n; i++) {
        const wg_folder_event *e = &ev[i];
        double s = event_step(e);
        if (!event_drawn(e) || !isfinite(s)) continue;
        int k = e->when >= 0 ? K_TRIGGER : e->kind == WG_EV_MEDIA ? K_MEDIA
              : e->kind == WG_EV_RESPOND ? (e->policy ? K_POLICY : K_ANSWER) : K_OTHER;
        int at = 0;   /* in order, each step once */
        while (at < nt[k] && t[k][at] < s) at++;
        if ((at < nt[k] && t[k][at] == s) || nt[k] == MAXT) continue;
        memmove(&t[k][at + 1], &t[k][at], (size_t)(nt[k] - at) * sizeof t[k][0]);
        t[k][at] = s;
        nt[k]++;
    }
    size_t at = 0;
    buf[0] = '\0';
    for (int k = 0; k < NK; k++) {
        if (!nt[k] || at + 64 > cap) continue;
        char list[256];
        steps_list(list, sizeof list, t[k], nt[k]);
        at += (size_t)snprintf(buf + at, cap - at, "%s%s %s%s %s", at ? "; " : "", what[k],
                               in->unit, nt[k] > 1 ? "s" : "", list);
        if (k == K_TRIGGER && at < cap)
            at += (size_t)snprintf(buf + at, cap - at, " (in the median run)");
    }
}
