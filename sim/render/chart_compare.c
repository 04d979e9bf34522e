/*
 * chart_compare.c — compare.png of a comparison folder, read like a manager:
 * above, the reach curves of the base and every what-if (median and p25–p75,
 * negative and positive side by side) with the events of each timeline on the
 * time axis; below, one row per arm (its name in its colour, which is the
 * legend) and one panel per metric: the paired difference, what-if minus
 * base, with its 95 % interval, the panel titled in words with the
 * scenario's unit and its better side marked; and each arm's chance of a
 * blow-up with its Wilson interval (blowup.csv).
 *
 * Invariants:
 * 1. Drawn from the folder's files only (compare.csv, blowup.csv and the
 *    arms' run folders, read by folder.c): `waggle render DIR` reproduces
 *    what `waggle compare` drew.
 * 2. The base is grey, with a thicker line; each what-if keeps its colour
 *    in its name, the curves, the events and the panels.
 * 3. A panel of differences always shows zero (dashed), its better side is
 *    shaded and labelled, and it spans at least MIN_SPAN_OF_AGENTS of the
 *    agents (counts) or ±MIN_SPAN_SHARE (shares), so a trivial difference
 *    stays a dot on the zero line rather than a bar across the panel; the
 *    curves' axes reach at least MIN_SPAN_OF_AGENTS of the agents too.
 * 4. Panels are at least MIN_PANEL_W wide: metrics that do not fit are left
 *    to compare.csv (in the order of PANEL_ORDER); arm names wrap, and are
 *    shortened only when their row cannot hold the lines.
 * 5. The text is as large as the options' dpi asks unless the chart would then
 *    hold less than MIN_W × (MIN_H + MIN_H_ARM per arm) design pixels; the
 *    curves (and the events line under them) are drawn only when at least
 *    MIN_UPPER is left above the rows, which come first.
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
static const wg_rgb C_BETTER = WG_HEX(0x009E73);   /* bluish green: the better side */
#define NVARCOL (sizeof C_VARIANTS / sizeof C_VARIANTS[0])

#define MIN_SPAN_OF_AGENTS 0.01   /* a count panel spans at least 1 % of the agents */
#define MIN_SPAN_OF_BASE 0.05     /* ... or, agents unknown, 5 % of the largest base mean */
#define MIN_SPAN_SHARE 0.05       /* a share panel (sentiment) spans at least ±0.05 */
#define MIN_PANEL_W 165.0         /* design pixels */
#define TITLE_LINES 3             /* of a panel's title, at most */
#define UPPER_SHARE 0.45          /* of the height below the titles: the curves, at most */
#define MIN_UPPER 170.0           /* design pixels: less than this, no curves */
#define MIN_ROW 26.0              /* design pixels: the least height of an arm's row */
#define BETTER_ALPHA 0.07
#define ODDS_PAD 0.06             /* the odds panel spans -6 % to 106 % */
#define MIN_W 900.0               /* design pixels a compare chart holds at least */
#define MIN_H 330.0               /* ... and in height, plus MIN_H_ARM for each arm */
#define MIN_H_ARM 36.0

/* The panels, most useful first; the blow-up odds (from blowup.csv) are "blowup". */
static const char *const PANEL_ORDER[] = {"reach_negative", "blowup", "saved", "reach_positive",
                                          "peak_critics", "lost", "reach_negative_p95",
                                          "answers", "cost", "sentiment"};
#define NORDER (sizeof PANEL_ORDER / sizeof PANEL_ORDER[0])

static wg_rgb var_color(int i)
{
    return i == 0 ? C_BASE : C_VARIANTS[(i - 1) % NVARCOL];
}

/* 1 when arm i's event e is one of the base's (same kind, step and trigger): drawn once. */
static int in_base(const wg_folder_cmp *cd, const wg_folder_event *e)
{
    for (int k = 0; k < cd->nev[0]; k++) {
        const wg_folder_event *b = &cd->ev[0][k];
        if (b->kind == e->kind && b->policy == e->policy && b->when == e->when &&
            (b->step == e->step || (isnan(b->step) && isnan(e->step))) &&
            (b->fired == e->fired || (isnan(b->fired) && isnan(e->fired))))
            return 1;
    }
    return 0;
}

/* One panel of curves: the median and p25–p75 band of valence v for the base and every
 * variant, the events of each arm on its time axis. a->x0, x1, y0 (top of the title), y1
 * are the panel's box. */
static void cmp_curves(wg_canvas *cv, const wg_folder_cmp *cd, int v, wg_axes *a,
                       const char *title)
{
    double u = cv->u, vmax = 0;
    uint32_t steps = 0;
    for (int i = 0; i < cd->nvar; i++) {
        if (cd->steps[i] > steps) steps = cd->steps[i];
        for (uint32_t t = 0; t < cd->steps[i]; t++)
            for (int q = Q25; q <= Q75; q++)
                if (isfinite(cd->q[i][v][q][t]) && cd->q[i][v][q][t] > vmax)
                    vmax = cd->q[i][v][q][t];
    }
    wg_canvas_font(cv, S_LABEL, 1);
    wg_canvas_color(cv, C_TEXT, 1);
    double lh = S_LABEL * u * 1.2, left = a->x0;
    int nl = wg_plot_wrap(cv, title, left, a->y0, a->x1 - left, 0, 2, lh, 1);
    a->y0 += nl * lh + S_GAP * u + S_TICK * u * 0.5;
    /* invariant 3 for curves too: a reach of a few agents among many is drawn as small */
    if (cd->info.agents > 0) vmax = fmax(vmax, MIN_SPAN_OF_AGENTS * cd->info.agents);
    double ystep = wg_plot_y_count(a, vmax), xstep = wg_plot_x_steps(a, steps);
    double lw = wg_plot_label_width(cv, a->ymax, ystep, 1, "");
    a->x0 = left + lw + S_GAP * u;
    if (a->y1 < a->y0 + 10) a->y1 = a->y0 + 10;
    wg_plot_y_ticks(cv, a, ystep, 1, 0, 1);
    wg_plot_x_ticks(cv, a, xstep);
    wg_plot_clip(cv, a);
    for (int i = 0; i < cd->nvar; i++)
        wg_plot_band(cv, a, cd->q[i][v][Q25], cd->q[i][v][Q75], cd->steps[i], var_color(i), 0.18);
    for (int i = 0; i < cd->nvar; i++)
        wg_plot_line(cv, a, cd->q[i][v][Q50], cd->steps[i], var_color(i), i ? S_LINE : S_LINE + 1);
    /* the events: the base's, then each variant's own, a row each */
    int row = 0;
    for (int i = 0; i < cd->nvar; i++) {
        wg_folder_event own[WG_FOLDER_MAX_EVENTS];
        int n = 0;
        for (int k = 0; k < cd->nev[i]; k++)
            if (i == 0 || !in_base(cd, &cd->ev[i][k])) own[n++] = cd->ev[i][k];
        if (!n) continue;
        wg_plot_events(cv, a, own, n, var_color(i), row++);
    }
    wg_canvas_unclip(cv);
    wg_plot_frame(cv, a);
    if (!steps) wg_plot_note(cv, a, "no data");
}

/* The x range of a panel of differences: the marks with a little room, at least the
 * minimum span around zero (invariant 3), in nice steps. */
static double panel_range(const wg_folder_cmp *cd, int m, wg_axes *a)
{
    double lo = 0, hi = 0, basemax = 0;
    for (size_t k = 0; k < cd->nrows; k++) {
        const wg_folder_cmp_row *r = &cd->rows[k];
        if (r->metric != m) continue;
        const double v[3] = {r->lo, r->hi, r->diff};
        for (int j = 0; j < 3; j++)
            if (isfinite(v[j])) lo = fmin(lo, v[j]), hi = fmax(hi, v[j]);
        if (isfinite(r->base)) basemax = fmax(basemax, fabs(r->base));
    }
    int share = strcmp(cd->met[m], "sentiment") == 0 || strcmp(cd->met[m], "blowup") == 0;
    double half = share ? MIN_SPAN_SHARE
                : cd->info.agents > 0 ? MIN_SPAN_OF_AGENTS * cd->info.agents / 2
                                      : fmax(1, MIN_SPAN_OF_BASE * basemax / 2);
    lo = fmin(lo, -half);
    hi = fmax(hi, half);
    double span = hi - lo, step = wg_plot_nice_step(span, 0);
    a->xmin = floor((lo - 0.05 * span) / step - 1e-9) * step;
    a->xmax = ceil((hi + 0.05 * span) / step + 1e-9) * step;
    if (a->xmax <= a->xmin) a->xmax = a->xmin + step;
    return step;
}

/* The tick labels of a panel every step that fall inside it (pct: × 100 and " %"), drawn
 * when draw; returns 1 when they stand apart (a gap between neighbours). */
static int panel_labels(wg_canvas *cv, const wg_axes *a, double step, int pct, int draw)
{
    char buf[64], lab[72];
    double gap = S_GAP * cv->u, last = -INFINITY;
    int dec = wg_plot_decimals(step * (pct ? 100 : 1)), k = 0, apart = 1;
    for (double v = ceil(a->xmin / step - 1e-9) * step;
         k++ < WG_PLOT_MAX_TICKS && v <= a->xmax + step * 1e-6; v = wg_plot_tick_after(v, step)) {
        wg_num_grouped(buf, sizeof buf, v * (pct ? 100 : 1), dec);
        snprintf(lab, sizeof lab, "%s%s", buf, pct ? " %" : "");
        double tw = wg_canvas_text_width(cv, lab), x = px(a, v);
        if (x - tw / 2 < a->x0 || x + tw / 2 > a->x1) continue;
        if (x - tw / 2 < last + gap) apart = 0;
        last = x + tw / 2;
        if (draw) wg_canvas_text(cv, x, a->y1 + gap * 0.6, 0.5, 0, lab);
    }
    return apart;
}

/* Tick labels under a panel, as many as stand apart inside it: the step doubles until
 * they do. */
static void panel_ticks(wg_canvas *cv, const wg_axes *a, double step, int pct)
{
    wg_canvas_font(cv, S_TICK * 0.9, 0);
    wg_canvas_color(cv, C_MUTED, 1);
    for (int tries = 0; tries < 30 && !panel_labels(cv, a, step, pct, 0); tries++) step *= 2;
    panel_labels(cv, a, step, pct, 1);
}

/* A panel's frame, title in words (up to TITLE_LINES lines) and its better side: shaded from
 * zero towards it and said in words under the title. hh is the height of the header. */
static void panel_frame(wg_canvas *cv, const wg_axes *a, const char *title, int better,
                        double hh)
{
    double u = cv->u, lh = S_TICK * u * 1.2;
    wg_canvas_font(cv, S_TICK, 1);
    wg_canvas_color(cv, C_TEXT, 1);
    wg_plot_wrap(cv, title, a->x0, a->y0 - hh, a->x1 - a->x0, 0.5, TITLE_LINES, lh, 1);
    if (better) {
        double z = px(a, 0);
        double x0 = better > 0 ? z : a->x0, x1 = better > 0 ? a->x1 : z;
        wg_canvas_color(cv, C_BETTER, BETTER_ALPHA);
        wg_canvas_rect(cv, x0, a->y0, x1 - x0, a->y1 - a->y0);
        wg_canvas_fill(cv);
        wg_canvas_font(cv, S_TICK * 0.9, 1);
        wg_canvas_color(cv, C_BETTER, 1);
        const char *say = better > 0 ? "better →" : "← better";
        double tw = wg_canvas_text_width(cv, say);
        double tx = better > 0 ? fmin(a->x1 - tw, fmax(a->x0, z + S_GAP * u * 0.5))
                               : fmax(a->x0, fmin(a->x1 - tw, z - S_GAP * u * 0.5 - tw));
        wg_canvas_text(cv, tx, a->y0 - S_GAP * u * 0.5, 0, 1, say);
    }
    wg_canvas_color(cv, C_GRID, 1);
    wg_canvas_line_width(cv, 1.5 * u);
    wg_canvas_rect(cv, a->x0, a->y0, a->x1 - a->x0, a->y1 - a->y0);
    wg_canvas_stroke(cv);
}

/* A mark: the interval as a bar and the value as a dot, in arm i's colour. */
static void mark(wg_canvas *cv, const wg_axes *a, double y, int i, double v, double lo,
                 double hi)
{
    wg_canvas_color(cv, var_color(i), 1);
    if (isfinite(lo) && isfinite(hi)) {
        wg_canvas_line_width(cv, S_LINE * cv->u);
        wg_canvas_line_cap_round(cv);
        wg_canvas_move_to(cv, px(a, lo), y);
        wg_canvas_line_to(cv, px(a, hi), y);
        wg_canvas_stroke(cv);
    }
    if (isfinite(v)) {
        wg_canvas_circle(cv, px(a, v), y, 7 * cv->u);
        wg_canvas_fill(cv);
    }
}

/* The names of the arms, the legend of the chart: each in its colour, wrapped to the lines
 * its row holds (smaller type before shorter names). */
static void arm_names(wg_canvas *cv, const wg_folder_cmp *cd, double x, double w, double top,
                      double rowh)
{
    static const double sizes[] = {1.0, 0.85, 0.72};
    for (int i = 0; i < cd->nvar; i++) {
        const char *name = i ? cd->var[i] : "base (the scenario as written)";
        int lines = 1;
        double size = S_LEGEND * sizes[0];
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            size = S_LEGEND * sizes[k];
            wg_canvas_font(cv, size, i == 0);
            double lh = size * cv->u * 1.2;
            int room = (int)floor(rowh / lh);
            if (room < 1) continue;
            int need = wg_plot_wrap(cv, name, x, 0, w, 1, 99, lh, 0);
            lines = need < room ? need : room;
            if (need <= room) break;
        }
        wg_canvas_font(cv, size, i == 0);
        double lh = size * cv->u * 1.2;
        if (lines < 1) lines = 1;
        double y = top + (i + 0.5) * rowh - lines * lh / 2 + (lh - size * cv->u) / 2;
        wg_canvas_color(cv, var_color(i), 1);
        wg_plot_wrap(cv, name, x, y, w, 1, lines, lh, 1);
    }
}

wg_status wg_render_compare(const char *dir, const wg_render_opts *o, wg_render_frame *frame,
                            wg_diag *d)
{
    wg_folder_cmp cd;
    wg_canvas cv = {0};
    char sub[1024], buf[512];
    if (frame) memset(frame, 0, sizeof *frame);
    wg_status st = wg_folder_read_compare(dir, &cd, d);
    if (st != WG_OK) goto done;
    if ((st = wg_canvas_new(&cv, o, d)) != WG_OK) goto done;
    /* room for every arm's row: no more text scale than leaves MIN_W × (MIN_H + MIN_H_ARM
     * per arm) design pixels (invariant 5) */
    cv.u = fmin(cv.u, fmin(cv.w / MIN_W, cv.h / (MIN_H + MIN_H_ARM * cd.nvar)));
    double u = cv.u, W = cv.w, H = cv.h, M = S_MARGIN * u, G = S_GAP * u;
    snprintf(buf, sizeof buf, ", base and %d what-if%s on the same random numbers: medians "
             "and p25–p75; what each what-if changes, mean difference and 95 %% interval "
             "paired over runs", cd.nvar - 1, cd.nvar == 2 ? "" : "s");
    wg_plot_subtitle(sub, sizeof sub, &cd.info, buf);
    double top = wg_plot_titles(&cv, cd.info.name, sub);

    /* the events of every arm, said once under the curves */
    char evs[1024] = "";
    {
        static wg_folder_event all[(WG_FOLDER_MAX_VARIANTS + 1) * WG_FOLDER_MAX_EVENTS];
        int n = 0;
        for (int i = 0; i < cd.nvar; i++)
            for (int k = 0; k < cd.nev[i]; k++) all[n++] = cd.ev[i][k];
        wg_plot_events_text(evs, sizeof evs, all, n, &cd.info);
    }
    wg_canvas_font(&cv, S_NOTE * 0.9, 0);
    double evlh = S_NOTE * 0.9 * u * 1.25;
    int evlines = *evs ? wg_plot_wrap(&cv, evs, M, 0, W - 2 * M, 0, 2, evlh, 0) : 0;

    /* the panels that fit, in PANEL_ORDER; the blow-up odds when blowup.csv has them */
    double namew = 0;
    wg_canvas_font(&cv, S_LEGEND, 0);
    for (int i = 0; i < cd.nvar; i++)
        namew = fmax(namew, wg_canvas_text_width(&cv, i ? cd.var[i] : "base (the scenario as "
                                                 "written)"));
    namew = fmin(namew, W * 0.24);
    double px0 = M + namew + G;
    int pan[NORDER], np = 0;
    for (size_t k = 0; k < NORDER; k++) {
        int m = -1;
        for (int j = 0; j < cd.nmet; j++)
            if (strcmp(cd.met[j], PANEL_ORDER[k]) == 0) m = j;
        if (strcmp(PANEL_ORDER[k], "blowup") == 0 && cd.has_blow) m = m < 0 ? WG_FOLDER_MAX_METRICS : m;
        if (m >= 0) pan[np++] = m;
    }
    int fit = (int)floor((W - M - px0 + 2 * G) / (MIN_PANEL_W * u + 2 * G));
    if (fit < 1) fit = 1;
    if (np > fit) np = fit;
    double pw = np ? (W - M - px0 - (np - 1) * 2 * G) / np : 0;

    /* the panels' titles: as many lines as the longest needs, up to three */
    int tl = 1;
    wg_canvas_font(&cv, S_TICK, 1);
    for (int p = 0; p < np; p++) {
        int m = pan[p], odds = m == WG_FOLDER_MAX_METRICS || strcmp(cd.met[m], "blowup") == 0;
        wg_plot_metric_words(buf, sizeof buf, odds ? "blowup" : cd.met[m], &cd.info);
        int n = wg_plot_wrap(&cv, buf, 0, 0, pw, 0.5, TITLE_LINES, S_TICK * u * 1.2, 0);
        if (n > tl) tl = n;
    }

    /* the lower band needs its header and a row of at least MIN_ROW for each arm; the
     * curves above take what is left, up to UPPER_SHARE, when that is at least
     * MIN_UPPER (else they are left out: each arm's curves.png has them) */
    double lhp = S_TICK * u * 1.2;
    double hh = tl * lhp + S_TICK * 0.9 * u + G;   /* the titles' lines, the better side */
    double avail = H - top - M;
    double lower = evlines * evlh + G + hh + G * 0.5 + cd.nvar * MIN_ROW * u + S_TICK * u + G;
    double upper = fmin(avail * UPPER_SHARE, avail - lower);
    if (upper < MIN_UPPER * u) upper = 0, evlines = 0;   /* no curves, no events to explain */
    double y = top;
    if (upper > 0) {
        wg_axes an = {0}, ap = {0};
        double colw = (W - 2 * M - 3 * G) / 2;
        an.x0 = M;
        an.x1 = M + colw;
        ap.x0 = an.x1 + 3 * G;
        ap.x1 = W - M;
        an.y0 = ap.y0 = top;
        an.y1 = ap.y1 = top + upper - S_TICK * u * 1.4 - 2 * G;
        snprintf(sub, sizeof sub, "%s who turned critic (critics + rejecters), by %s",
                 cd.info.who, cd.info.unit);
        cmp_curves(&cv, &cd, V_NEG, &an, sub);
        snprintf(sub, sizeof sub, "%s won over (advocates + supporters), by %s", cd.info.who,
                 cd.info.unit);
        cmp_curves(&cv, &cd, V_POS, &ap, sub);
        wg_plot_report(frame, &an, 0, 0, 0, 0);
        y = top + upper;
    }
    if (evlines) {
        wg_canvas_font(&cv, S_NOTE * 0.9, 0);
        wg_canvas_color(&cv, C_MUTED, 1);
        wg_plot_wrap(&cv, evs, M, y, W - 2 * M, 0, 2, evlh, 1);
        y += evlines * evlh;
    }
    y += G;

    double dtop = y + hh + G * 0.5;
    double dbot = H - M - S_TICK * u - G;
    if (dbot < dtop + 10) dbot = dtop + 10;
    double rowh = (dbot - dtop) / (cd.nvar ? cd.nvar : 1);
    arm_names(&cv, &cd, M, namew, dtop, rowh);
    if (!cd.nrows && !cd.has_blow) {
        wg_axes z = {px0, dtop, W - M, dbot, 0, 1, 0, 1, 0};
        wg_plot_note(&cv, &z, "no rows in compare.csv");
    }
    for (int p = 0; p < np; p++) {
        int m = pan[p], odds = m == WG_FOLDER_MAX_METRICS || strcmp(cd.met[m], "blowup") == 0;
        wg_axes a = {0};
        a.x0 = px0 + p * (pw + 2 * G);
        a.x1 = a.x0 + pw;
        a.y0 = dtop;
        a.y1 = dbot;
        a.ymin = 0;
        a.ymax = 1;
        int better = wg_plot_metric_better(odds ? "blowup" : cd.met[m], &cd.info);
        double step;
        if (odds && cd.has_blow) {
            /* each arm's chance, not a difference: 0 to 100 % */
            a.xmin = -ODDS_PAD;   /* room for a dot at 0 or 100 % */
            a.xmax = 1 + ODDS_PAD;
            step = 0.25;
            wg_plot_metric_words(buf, sizeof buf, "blowup", &cd.info);
            panel_frame(&cv, &a, buf, 0, hh);
            wg_canvas_font(&cv, S_TICK * 0.9, 1);
            wg_canvas_color(&cv, C_BETTER, 1);
            wg_canvas_text(&cv, better > 0 ? a.x1 : a.x0, a.y0 - G * 0.5, better > 0 ? 1 : 0, 1,
                           better > 0 ? "better →" : "← better");
            panel_ticks(&cv, &a, step, 1);
            wg_plot_clip(&cv, &a);
            for (int i = 0; i < cd.nvar; i++)
                mark(&cv, &a, dtop + (i + 0.5) * rowh, i, cd.blow[i], cd.blow_lo[i],
                     cd.blow_hi[i]);
            wg_canvas_unclip(&cv);
            continue;
        }
        step = panel_range(&cd, m, &a);
        wg_plot_metric_words(buf, sizeof buf, cd.met[m], &cd.info);
        panel_frame(&cv, &a, buf, better, hh);
        panel_ticks(&cv, &a, step, 0);
        wg_plot_clip(&cv, &a);
        wg_canvas_dash(&cv, 6 * u, 5 * u);
        wg_canvas_color(&cv, C_AXIS, 1);
        wg_canvas_line_width(&cv, 1.5 * u);
        wg_canvas_move_to(&cv, px(&a, 0), a.y0);
        wg_canvas_line_to(&cv, px(&a, 0), a.y1);
        wg_canvas_stroke(&cv);
        wg_canvas_dash(&cv, 0, 0);
        for (size_t k = 0; k < cd.nrows; k++) {
            const wg_folder_cmp_row *r = &cd.rows[k];
            if (r->metric == m) mark(&cv, &a, dtop + (r->variant + 0.5) * rowh, r->variant,
                                     r->diff, r->lo, r->hi);
        }
        wg_canvas_unclip(&cv);
    }
    st = wg_plot_finish(&cv, &cd.info, dir, "compare.png", d);
done:
    wg_canvas_free(&cv);
    wg_folder_compare_free(&cd);
    return st;
}
