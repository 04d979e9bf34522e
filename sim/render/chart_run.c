/*
 * chart_run.c — the charts of a run folder: curves.png (the reach of each
 * valence by step, median and bands, with the observed points; when the
 * scenario fits another metric, `observed.metric`, that metric × its
 * observed.scale in the readings' unit instead), states.png
 * (the share of agents in each state in the median run) and finals.png (the
 * final reach of every run, blow-ups apart); and `waggle render DIR`'s
 * choice of charts for a folder.
 *
 * Invariants:
 * 1. A chart is a pure function of its folder's files (folder.c) and the
 *    options, so `waggle render DIR` reproduces the bytes `waggle run` wrote.
 * 2. Empty data, one run or no spread still give a labelled chart: a note in
 *    the plot area says what is missing.
 * 3. Blue is positive, orange negative (chart.h's palette); finals.png
 *    counts blow-ups (take-offs with blowup.valence positive) as finals.csv
 *    says, with the scenario's rule only for a folder without that column.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/render.h"

#include "chart.h"

#define LOG_SPAN 100.0          /* finals: a log axis when max / min positive ≥ this */
#define LOG_BINS_PER_DECADE 4
#define LIN_BINS_TARGET 30

/* The last part of a path. */
static const char *base_name(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : p ? p : "";
}

/* ---- curves.png ------------------------------------------------------------------------------ */

/* snprintf into buf, cut at cap - 1 bytes: a long unit word shortens a label (the layout
 * shortens it further to fit) rather than overrunning it. */
static void cut_printf(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void cut_printf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
}

/* The valence of a summary metric, for its colour: WG_POS, WG_NEG, or -1 (neither). */
static int metric_valence(int m)
{
    switch (m) {
    case WG_M_ADVOCATES: case WG_M_SUPPORTERS: case WG_M_REACH_POS: case WG_M_NEW_POS:
    case WG_M_EXPOSURES_POS: case WG_M_CUM_EXPOSURES_POS:
        return WG_POS;
    case WG_M_CRITICS: case WG_M_REJECTERS: case WG_M_REACH_NEG: case WG_M_NEW_NEG:
    case WG_M_EXPOSURES_NEG: case WG_M_CUM_EXPOSURES_NEG:
        return WG_NEG;
    default:   /* the reach by source: negative sources first (output.h) */
        if (m >= WG_M_FROM && m < WG_M_FROM_END)
            return m < WG_M_FROM + (WG_M_FROM_END - WG_M_FROM) / 2 ? WG_NEG : WG_POS;
        return -1;
    }
}

/* What curves.png plots: the two reaches, or the fitted metric × its scale. */
typedef struct curves_spec {
    int n;                        /* series: 2 (the reaches) or 1 (the metric) */
    int metric;                   /* 1: the fitted metric */
    int valence[NVAL];            /* each series' colour: WG_POS, WG_NEG, -1 neither */
    const double *q[NVAL][NQ];    /* its quantiles by step (the folder's) */
    double mul;                   /* drawn as q × mul: observed.scale for the metric, else 1 */
    double obs_mul;               /* a reading y is drawn at y / obs_mul on the left axis
                                     (1: the left axis is the readings' unit); 0: own axis */
    char label[NVAL][256];        /* legend */
    char ylabel[256], what[320];  /* the left axis's label; the subtitle's phrase */
} curves_spec;

static void curves_series(const wg_folder_run *r, curves_spec *c)
{
    const wg_folder_info *in = &r->info;
    char w[160], num[64];
    memset(c, 0, sizeof *c);
    c->mul = 1;
    c->obs_mul = in->obs_scale > 0 ? in->obs_scale : 0;
    if (r->metric < 0) {   /* the two reaches, in agents; the readings ÷ scale on them */
        c->n = NVAL;
        for (int v = 0; v < NVAL; v++) {
            c->valence[v] = v == V_POS ? WG_POS : WG_NEG;
            for (int q = 0; q < NQ; q++) c->q[v][q] = r->q[v][q];
        }
        snprintf(c->label[V_POS], sizeof c->label[V_POS],
                 "%s won over (advocates + supporters), median", in->who);
        snprintf(c->label[V_NEG], sizeof c->label[V_NEG], "%s who turned critic, median",
                 in->who);
        snprintf(c->ylabel, sizeof c->ylabel, "%s reached", in->who);
        snprintf(c->what, sizeof c->what, "reach of each valence");
        return;
    }
    /* the fitted metric × observed.scale, in the readings' unit, the readings on it */
    c->n = 1;
    c->metric = 1;
    c->valence[0] = metric_valence(r->metric);
    for (int q = 0; q < NQ; q++) c->q[0][q] = r->mq[q];
    wg_plot_metric_words(w, sizeof w, wg_metric_name(r->metric), in);
    const char *unit = in->obs_y && *in->obs_y ? in->obs_y : "observed units";
    if (c->obs_mul > 0) {
        c->mul = c->obs_mul;
        c->obs_mul = 1;   /* the readings on the same axis as they are */
        wg_num_human(num, sizeof num, c->mul, 3, 0);   /* 8.99175: "8.99" */
        cut_printf(c->label[0], sizeof c->label[0], "model: %s = %s × %s, median", unit, num,
                   w);
        cut_printf(c->ylabel, sizeof c->ylabel, "%s = %s × %s", unit, num, w);
        cut_printf(c->what, sizeof c->what, "%s as fitted, %s × %s (%s)", unit, num, w,
                   in->obs_metric);
    } else {   /* no scale: the metric on the left, the readings on their own axis */
        snprintf(c->label[0], sizeof c->label[0], "model: %s, median", w);
        snprintf(c->ylabel, sizeof c->ylabel, "%s", w);
        cut_printf(c->what, sizeof c->what, "%s (%s), fitted to %s", w, in->obs_metric, unit);
    }
}

static wg_status chart_curves(const char *dir, const wg_folder_run *r, const wg_render_opts *o,
                              wg_render_frame *fr, wg_diag *d)
{
    wg_canvas cv = {0};
    wg_axes a = {0};
    wg_legend lg = {0};
    curves_spec c;
    char sub[512], lab[256], buf[64];
    double *sc[NVAL][NQ] = {{0}};   /* the series × c.mul */
    curves_series(r, &c);
    for (int v = 0; v < c.n; v++)
        for (int q = 0; q < NQ; q++) {
            if (!(sc[v][q] = wg_malloc(r->steps ? r->steps : 1, sizeof **sc[v]))) {
                for (int k = 0; k <= v; k++)
                    for (int j = 0; j < NQ; j++) free(sc[k][j]);
                return wg_canvas_oom(d);
            }
            for (uint32_t t = 0; t < r->steps; t++) sc[v][q][t] = c.q[v][q][t] * c.mul;
        }
    wg_status st = wg_canvas_new(&cv, o, d);
    if (st != WG_OK) goto done;
    const wg_folder_info *in = &r->info;
    char phrase[512];
    cut_printf(phrase, sizeof phrase, ": %s, median line, bands p25–p75 and p05–p95", c.what);
    wg_plot_subtitle(sub, sizeof sub, in, phrase);
    double top = wg_plot_titles(&cv, in->name, sub);

    /* the y range covers every band and the observed points on the left axis's scale */
    double vmax = 0;
    for (int v = 0; v < c.n; v++)
        for (uint32_t t = 0; t < r->steps; t++)
            for (int q = 0; q < NQ; q++)
                if (isfinite(sc[v][q][t]) && sc[v][q][t] > vmax) vmax = sc[v][q][t];
    int obs = r->obs.n > 0, own_axis = obs && !(c.obs_mul > 0);
    double omax = 0;
    for (size_t i = 0; i < r->obs.n; i++)
        if (isfinite(r->obs.y[i]) && r->obs.y[i] > omax) omax = r->obs.y[i];
    if (obs && !own_axis && omax / c.obs_mul > vmax) vmax = omax / c.obs_mul;
    double ystep = wg_plot_y_count(&a, vmax), xstep = wg_plot_x_steps(&a, r->steps);

    /* the right axis: observed units, tied to the left (scale), or its own; none when the
     * left axis is in the readings' unit already */
    wg_axes b = a;
    double rstep = 0, rmul = 1;
    int right = obs && (own_axis || c.obs_mul != 1);
    if (own_axis) {
        rstep = wg_plot_y_count(&b, omax);
    } else if (right) {
        rmul = c.obs_mul;
        rstep = wg_plot_nice_step(a.ymax * rmul, 0) / rmul;
    }

    static const wg_rgb *vcols[] = {&C_POS, &C_NEG};
    wg_rgb cols[NVAL];
    for (int v = 0; v < c.n; v++) {
        cols[v] = c.valence[v] >= 0 ? *vcols[c.valence[v]] : C_TEXT;
        wg_plot_legend_add(&lg, SW_LINE, cols[v], 1, c.label[v]);
    }
    wg_plot_legend_add(&lg, SW_BAND, C_MUTED, BAND_INNER_ALPHA + BAND_OUTER_ALPHA,
                       "half of the runs");
    wg_plot_legend_add(&lg, SW_BAND, C_MUTED, BAND_OUTER_ALPHA, "90 % of the runs");
    if (obs) {
        snprintf(lab, sizeof lab, "observed %s (%s)", in->obs_y ? in->obs_y : "",
                 base_name(in->obs_file));
        wg_plot_legend_add(&lg, SW_POINT, C_OBS, 1, lab);
    }
    double lx = S_MARGIN * cv.u, lw = cv.w - 2 * S_MARGIN * cv.u;
    double lh = wg_plot_legend(&cv, &lg, lx, top, lw, 1);
    char evs[1024];
    wg_plot_events_text(evs, sizeof evs, in->ev, in->nev, in);
    if (*evs) {   /* what the marks on the time axis are */
        wg_canvas_font(&cv, S_NOTE * 0.9, 0);
        wg_canvas_color(&cv, C_MUTED, 1);
        double elh = S_NOTE * 0.9 * cv.u * 1.25;
        lh += wg_plot_wrap(&cv, evs, lx, top + lh, lw, 0, 2, elh, 1) * elh;
    }
    double rw = 0;
    if (right)
        rw = own_axis ? wg_plot_label_width(&cv, b.ymax, rstep, 1, "")
                      : wg_plot_label_width(&cv, a.ymax, rstep, rmul, "");
    wg_plot_layout(&cv, &a, top + lh, wg_plot_label_width(&cv, a.ymax, ystep, 1, ""), rw);
    b.x0 = a.x0, b.x1 = a.x1, b.y0 = a.y0, b.y1 = a.y1;

    wg_plot_y_ticks(&cv, &a, ystep, 1, 0, 1);
    wg_plot_x_ticks(&cv, &a, xstep);
    if (own_axis) wg_plot_y_ticks(&cv, &b, rstep, 0, 0, 1);
    else if (right) {
        wg_axes e = a;
        e.ymax = floor(a.ymax / rstep + 1e-9) * rstep;   /* right ticks within the left range */
        wg_plot_y_ticks(&cv, &e, rstep, 0, 0, rmul);
    }
    wg_plot_clip(&cv, &a);
    for (int v = 0; v < c.n; v++) {
        wg_plot_band(&cv, &a, sc[v][Q05], sc[v][Q95], r->steps, cols[v], BAND_OUTER_ALPHA);
        wg_plot_band(&cv, &a, sc[v][Q25], sc[v][Q75], r->steps, cols[v], BAND_INNER_ALPHA);
    }
    for (int v = 0; v < c.n; v++) wg_plot_line(&cv, &a, sc[v][Q50], r->steps, cols[v], S_LINE);
    wg_plot_events(&cv, &a, in->ev, in->nev, C_TEXT, 0);
    for (size_t i = 0; i < r->obs.n; i++) {
        double y = own_axis ? py(&b, r->obs.y[i]) : py(&a, r->obs.y[i] / c.obs_mul);
        if (isfinite(r->obs.x[i]) && isfinite(y))
            wg_plot_point(&cv, px(&a, r->obs.x[i]), y, 9 * cv.u);
    }
    wg_canvas_unclip(&cv);
    wg_plot_frame(&cv, &a);
    if (!r->steps) wg_plot_note(&cv, &a, "no data: summary.csv has no reach rows");
    else if (c.metric && !isfinite(c.q[0][Q50][r->steps - 1])) {
        snprintf(lab, sizeof lab, "no data: summary.csv has no rows of %s", in->obs_metric);
        wg_plot_note(&cv, &a, lab);
    }
    wg_plot_axis_labels(&cv, &a, in->unit, c.ylabel);
    if (right) {
        wg_canvas_font(&cv, S_LABEL, 0);
        wg_canvas_color(&cv, C_TEXT, 1);
        if (own_axis)
            snprintf(lab, sizeof lab, "observed %s (own axis: no observed.scale)",
                     in->obs_y ? in->obs_y : "");
        else {
            wg_num_grouped(buf, sizeof buf, c.obs_mul, wg_plot_decimals(c.obs_mul));
            snprintf(lab, sizeof lab, "observed %s (%s per agent)", in->obs_y ? in->obs_y : "",
                     buf);
        }
        wg_plot_turned(&cv, cv.w - S_MARGIN * cv.u - S_LABEL * cv.u * 0.5, &a, 1, lab);
    }
    wg_plot_report(fr, &a, lx, top, lx + lw, top + lh);
    st = wg_plot_finish(&cv, in, dir, "curves.png", d);
done:
    wg_canvas_free(&cv);
    for (int v = 0; v < NVAL; v++)
        for (int q = 0; q < NQ; q++) free(sc[v][q]);
    return st;
}

/* ---- states.png ------------------------------------------------------------------------------ */

typedef struct ranked {
    double v;
    size_t i;
} ranked;

/* By value, then by index; NaN after every number. */
static int cmp_ranked(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    int na = isnan(a->v), nb = isnan(b->v);
    if (na != nb) return na - nb;
    if (!na && a->v != b->v) return a->v < b->v ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* The index of the median of v (n > 0): the element of rank (n - 1) / 2 when
 * ordered by value, ties by index. O(n log n) (a sort; it was a search of
 * O(n^2): 44 s for 100,000 runs). 0 when out of memory. */
static int median_index(const double *v, size_t n, size_t *out)
{
    ranked *r = wg_malloc(n, sizeof *r);
    if (!r) return 0;
    for (size_t i = 0; i < n; i++) r[i] = (ranked){v[i], i};
    qsort(r, n, sizeof *r, cmp_ranked);
    *out = r[(n - 1) / 2].i;
    free(r);
    return 1;
}

static wg_status chart_states(const char *dir, const wg_folder_run *r, const wg_render_opts *o,
                              wg_render_frame *fr, wg_diag *d)
{
    /* stacked bottom to top: positive, negative, immune, unaware */
    static const int order[WG_NSTATES] = {1, 3, 2, 4, 5, 0};
    const wg_rgb cols[WG_NSTATES] = {C_UNAWARE, C_POS, C_NEG, C_POS_QUIET, C_NEG_QUIET, C_IMMUNE};
    wg_canvas cv = {0};
    wg_axes a = {0};
    wg_legend lg = {0};
    double *s[WG_NSTATES] = {0};
    uint32_t steps = 0;
    char sub[512], buf[64];
    wg_status st;

    /* the median run by final reach (positive + negative; ties by run number) */
    long pick = -1;
    if (r->nruns) {
        double *tot = wg_malloc(r->nruns, sizeof *tot);
        if (!tot) return wg_canvas_oom(d);
        for (size_t i = 0; i < r->nruns; i++) tot[i] = r->fin_pos[i] + r->fin_neg[i];
        size_t m;
        int ok = median_index(tot, r->nruns, &m);
        free(tot);
        if (!ok) return wg_canvas_oom(d);
        pick = (long)m;
    }
    if ((st = wg_folder_read_states(dir, pick, s, &steps, d)) != WG_OK) goto done;
    if ((st = wg_canvas_new(&cv, o, d)) != WG_OK) goto done;
    if (pick >= 0)
        snprintf(buf, sizeof buf, ": share of agents in each state in run %ld", pick);
    else
        snprintf(buf, sizeof buf, ": share of agents in each state");
    wg_plot_subtitle(sub, sizeof sub, &r->info, buf);
    if (pick >= 0)
        snprintf(sub + strlen(sub), sizeof sub - strlen(sub), ", the median run by final reach");
    double top = wg_plot_titles(&cv, r->info.name, sub);
    for (int k = 0; k < WG_NSTATES; k++)
        wg_plot_legend_add(&lg, SW_BOX, cols[order[k]], 1, wg_state_name((wg_state)order[k]));
    double lx = S_MARGIN * cv.u, lw = cv.w - 2 * S_MARGIN * cv.u;
    double lh = wg_plot_legend(&cv, &lg, lx, top, lw, 1);
    double xstep = wg_plot_x_steps(&a, steps);
    a.ymin = 0;
    a.ymax = 1;
    wg_plot_layout(&cv, &a, top + lh, wg_plot_label_width(&cv, 100, 20, 1, " %"), 0);
    wg_plot_y_ticks(&cv, &a, 0.2, 1, 1, 100);
    wg_plot_x_ticks(&cv, &a, xstep);
    wg_plot_clip(&cv, &a);
    double *base = wg_calloc(steps ? steps : 1, sizeof *base);
    if (!base) {
        wg_canvas_unclip(&cv);
        st = wg_canvas_oom(d);
        goto done;
    }
    for (int k = 0; k < WG_NSTATES && steps; k++) {
        int st_i = order[k];
        for (uint32_t t = 0; t < steps; t++) {
            double tot = 0;
            for (int j = 0; j < WG_NSTATES; j++) tot += isfinite(s[j][t]) ? s[j][t] : 0;
            double v = tot > 0 && isfinite(s[st_i][t]) ? s[st_i][t] / tot : 0;
            double x = steps == 1 ? (t ? a.x1 : a.x0) : px(&a, t);
            if (t == 0) wg_canvas_move_to(&cv, x, py(&a, base[t] + v));
            else wg_canvas_line_to(&cv, x, py(&a, base[t] + v));
            if (steps == 1) wg_canvas_line_to(&cv, a.x1, py(&a, base[t] + v));
        }
        for (uint32_t t = steps; t-- > 0;) {
            double x = steps == 1 ? a.x1 : px(&a, t);
            if (steps == 1) wg_canvas_line_to(&cv, x, py(&a, base[t])), x = a.x0;
            wg_canvas_line_to(&cv, x, py(&a, base[t]));
        }
        wg_canvas_close_path(&cv);
        wg_canvas_color(&cv, cols[st_i], 1);
        wg_canvas_fill(&cv);
        for (uint32_t t = 0; t < steps; t++) {
            double tot = 0;
            for (int j = 0; j < WG_NSTATES; j++) tot += isfinite(s[j][t]) ? s[j][t] : 0;
            base[t] += tot > 0 && isfinite(s[st_i][t]) ? s[st_i][t] / tot : 0;
        }
    }
    free(base);
    wg_canvas_unclip(&cv);
    wg_plot_frame(&cv, &a);
    if (!steps) wg_plot_note(&cv, &a, "no data: series.csv has no rows");
    snprintf(buf, sizeof buf, "share of %s", r->info.who);
    wg_plot_axis_labels(&cv, &a, r->info.unit, buf);
    wg_plot_report(fr, &a, lx, top, lx + lw, top + lh);
    st = wg_plot_finish(&cv, &r->info, dir, "states.png", d);
done:
    wg_canvas_free(&cv);
    for (int k = 0; k < WG_NSTATES; k++) free(s[k]);
    return st;
}

/* ---- finals.png ------------------------------------------------------------------------------ */

static wg_status chart_finals(const char *dir, const wg_folder_run *r, const wg_render_opts *o,
                              wg_render_frame *fr, wg_diag *d)
{
    wg_canvas cv = {0};
    wg_axes a = {0};
    wg_legend lg = {0};
    char sub[512], lab[256], b1[64], b2[64];
    size_t n = r->nruns, zeros = 0, nblow = 0;
    /* the reach a blow-up counts: negative, or positive (a take-off) with blowup.valence */
    const int pos = r->info.blowup.valence == WG_POS;
    const double *fin = pos ? r->fin_pos : r->fin_neg;
    const char *vw = pos ? "positive" : "negative";
    const wg_rgb c_small = pos ? C_POS_QUIET : C_NEG, c_blow = pos ? C_POS : C_NEG_DARK;
    double minpos = INFINITY, vmax = 0;
    for (size_t i = 0; i < n; i++) {
        double v = fin[i];
        if (!(v > 0)) zeros++;
        else if (v < minpos) minpos = v;
        if (v > vmax) vmax = v;
        nblow += r->blow[i] != 0;
    }
    double thr = r->info.agents > 0 ? r->info.blowup.threshold * r->info.agents : NAN;
    int xlog = zeros < n && vmax / minpos >= LOG_SPAN;

    /* bins: [edge[k], edge[k+1]); on a log axis the zeros get their own bar left of it */
    enum { MAXB = 128 };
    double edge[MAXB + 1];
    size_t cnt[MAXB] = {0}, cblow[MAXB] = {0}, nb;
    if (xlog) {
        double lo = floor(log10(minpos) * LOG_BINS_PER_DECADE) / LOG_BINS_PER_DECADE;
        double hi = log10(vmax) + 1e-9;
        nb = (size_t)ceil((hi - lo) * LOG_BINS_PER_DECADE);
        if (nb < 1) nb = 1;
        if (nb > MAXB) nb = MAXB;
        for (size_t k = 0; k <= nb; k++) edge[k] = pow(10, lo + (double)k / LOG_BINS_PER_DECADE);
    } else {
        double w = wg_plot_nice_step(vmax > 0 ? vmax : 1, 1) * TICKS_TARGET / LIN_BINS_TARGET;
        w = w < 1 ? 1 : floor(w);
        nb = (size_t)floor(vmax / w) + 1;
        if (nb > MAXB) nb = MAXB, w = ceil((vmax + 1) / MAXB);
        for (size_t k = 0; k <= nb; k++) edge[k] = k * w;
    }
    size_t zcnt = 0, zblow = 0;
    for (size_t i = 0; i < n; i++) {
        double v = fin[i];
        if (xlog && !(v > 0)) {
            zcnt++;
            zblow += r->blow[i] != 0;
            continue;
        }
        size_t k = 0;
        while (k + 1 < nb && v >= edge[k + 1]) k++;
        cnt[k]++;
        cblow[k] += r->blow[i] != 0;
    }
    size_t cmax = zcnt;
    for (size_t k = 0; k < nb; k++)
        if (cnt[k] > cmax) cmax = cnt[k];

    wg_status st = wg_canvas_new(&cv, o, d);
    if (st != WG_OK) return st;
    wg_plot_subtitle(sub, sizeof sub, &r->info,
             pos ? ": final positive reach (advocates + supporters) of every run"
                 : ": final negative reach (critics + rejecters) of every run");
    double top = wg_plot_titles(&cv, r->info.name, sub);
    wg_plot_legend_add(&lg, SW_BOX, c_small, 1, "runs that stayed small");
    if (isfinite(thr)) {
        wg_num_grouped(b1, sizeof b1, thr, thr == floor(thr) ? 0 : 1);
        wg_num_human(b2, sizeof b2, 100 * r->info.blowup.threshold, 3, 0);
        char b3[64];
        wg_num_grouped(b3, sizeof b3, r->info.agents, 0);
        snprintf(lab, sizeof lab, "%s: %s reach above %s %s (%s %% of %s, dashed)",
                 pos ? "take-offs" : "blow-ups", vw, b1, r->info.who, b2, b3);
    } else {
        snprintf(lab, sizeof lab, pos ? "take-offs" : "blow-ups");
    }
    wg_plot_legend_add(&lg, SW_BOX, c_blow, 1, lab);
    /* the traced runs (manifest's traced_runs): a marker at each one's final reach */
    enum { MAX_MARKS = 16 };
    uint32_t mark[MAX_MARKS];
    int nmark = 0;
    for (const char *t = r->info.traced; t && *t && nmark < MAX_MARKS;) {
        char *end;
        unsigned long k = strtoul(t, &end, 10);
        if (end == t) break;
        if (k < n) mark[nmark++] = (uint32_t)k;
        t = end;
    }
    if (nmark) wg_plot_legend_add(&lg, SW_POINT, C_TEXT, 1, "traced runs (▼ at their bar; waggle draw)");
    double lx = S_MARGIN * cv.u, lw = cv.w - 2 * S_MARGIN * cv.u;
    double lh = wg_plot_legend(&cv, &lg, lx, top, lw, 1);
    if (n) {
        /* the message of the chart, above the data: how many runs blew up */
        double med = 0;
        size_t m;
        if (!median_index(fin, n, &m)) {
            wg_canvas_free(&cv);
            return wg_canvas_oom(d);
        }
        med = fin[m];
        wg_num_human(b1, sizeof b1, med, 3, 0);
        char share[160];
        wg_num_human(b2, sizeof b2, 100.0 * nblow / n, 3, 0);
        snprintf(share, sizeof share, "%s %%", b2);
        /* the manifest's Wilson interval, when it counts these runs */
        const wg_folder_info *in = &r->info;
        if (in->blow_runs == (double)n && in->blow_count == (double)nblow &&
            isfinite(in->blow_lo) && isfinite(in->blow_hi)) {
            char lo[32], hi[32];
            wg_num_human(lo, sizeof lo, 100 * in->blow_lo, 3, 0);
            wg_num_human(hi, sizeof hi, 100 * in->blow_hi, 3, 0);
            snprintf(share + strlen(share), sizeof share - strlen(share),
                     ", 95 %% interval %s–%s %%", lo, hi);
        }
        if (snprintf(lab, sizeof lab, "%zu of %zu runs %s (%s); the median run ends with %s %s "
                     "%s", nblow, n, pos ? "took off" : "blew up", share, b1, in->who,
                     pos ? "won over" : "who turned critic") >= (int)sizeof lab)
            lab[sizeof lab - 1] = 0;   /* a long unit word: the line is cut, not overrun */
        wg_canvas_font(&cv, S_NOTE * 1.1, 1);
        wg_canvas_color(&cv, C_TEXT, 1);
        double hl = S_NOTE * 1.1 * cv.u * 1.25;
        int nl = wg_plot_wrap(&cv, lab, lx, top + lh + S_GAP * cv.u, lw, 0, 2, hl, 1);
        lh += nl * hl + 2 * S_GAP * cv.u;
    }
    double ystep = wg_plot_y_count(&a, (double)cmax);
    wg_plot_layout(&cv, &a, top + lh, wg_plot_label_width(&cv, a.ymax, ystep, 1, ""), 0);
    double zero_w = 0;
    if (xlog) {
        a.xlog = 1;
        a.xmin = edge[0];
        a.xmax = edge[nb];
        if (zcnt) {
            /* the zero bar sits in a strip of its own, then a gap, then the log axis */
            zero_w = (a.x1 - a.x0) / (nb + 3);
            a.x0 += 1.5 * zero_w;
        }
    } else {
        a.xmin = 0;
        a.xmax = edge[nb];
    }
    wg_plot_y_ticks(&cv, &a, ystep, 1, 0, 1);
    if (zero_w > 0) {
        /* grid lines under the zero bar too */
        wg_axes z = a;
        z.x0 = a.x0 - 1.5 * zero_w;
        z.x1 = a.x0;
        wg_canvas_color(&cv, C_GRID, 1);
        int k = 0;
        for (double v = 0; k++ < WG_PLOT_MAX_TICKS && v <= a.ymax + 1e-9;
             v = wg_plot_tick_after(v, ystep)) {
            wg_canvas_move_to(&cv, z.x0, floor(py(&a, v)) + 0.5);
            wg_canvas_line_to(&cv, z.x1, floor(py(&a, v)) + 0.5);
        }
        wg_canvas_stroke(&cv);
    }
    /* x ticks */
    wg_canvas_font(&cv, S_TICK, 0);
    wg_canvas_color(&cv, C_MUTED, 1);
    if (xlog) {
        for (double e = ceil(log10(a.xmin) - 1e-9); e <= log10(a.xmax) + 1e-9; e++) {
            wg_num_grouped(b1, sizeof b1, pow(10, e), 0);
            wg_canvas_text(&cv, px(&a, pow(10, e)), a.y1 + S_GAP * cv.u, 0.5, 0, b1);
        }
        if (zero_w > 0) wg_canvas_text(&cv, a.x0 - zero_w, a.y1 + S_GAP * cv.u, 0.5, 0, "0");
    } else {
        wg_plot_x_ticks(&cv, &a, wg_plot_nice_step(a.xmax, 1));
    }
    /* bars, each split into its blow-up part (dark, on top) and the rest */
    wg_canvas_clip(&cv, a.x0 - 1.5 * zero_w, a.y0, a.x1 - a.x0 + 1.5 * zero_w, a.y1 - a.y0);
    double gap = 1.0 * cv.u;
    for (size_t k = 0; k <= nb; k++) {
        size_t c = k < nb ? cnt[k] : zcnt, cb = k < nb ? cblow[k] : zblow;
        if (!c) continue;
        double x0, x1;
        if (k < nb) x0 = px(&a, edge[k]) + gap, x1 = px(&a, edge[k + 1]) - gap;
        else x0 = a.x0 - 1.5 * zero_w + 0.25 * zero_w, x1 = a.x0 - 0.25 * zero_w;
        if (x1 < x0 + 1) x1 = x0 + 1;
        wg_canvas_color(&cv, c_small, 1);
        wg_canvas_rect(&cv, x0, py(&a, (double)(c - cb)), x1 - x0,
                       a.y1 - py(&a, (double)(c - cb)));
        wg_canvas_fill(&cv);
        wg_canvas_color(&cv, c_blow, 1);
        wg_canvas_rect(&cv, x0, py(&a, (double)c), x1 - x0,
                       py(&a, (double)(c - cb)) - py(&a, (double)c));
        wg_canvas_fill(&cv);
    }
    if (isfinite(thr) && thr >= a.xmin && thr <= a.xmax && (!xlog || thr > 0)) {
        double x = px(&a, thr);
        wg_canvas_dash(&cv, 10 * cv.u, 6 * cv.u);
        wg_canvas_color(&cv, C_TEXT, 1);
        wg_canvas_line_width(&cv, 2 * cv.u);
        wg_canvas_move_to(&cv, x, a.y0);
        wg_canvas_line_to(&cv, x, a.y1);
        wg_canvas_stroke(&cv);
        wg_canvas_dash(&cv, 0, 0);
    }
    wg_canvas_unclip(&cv);
    /* each traced run: a downward triangle above the axis at its final reach, "run R" above it */
    for (int i = 0; i < nmark; i++) {
        double v = fin[mark[i]], x;
        if (xlog && !(v > 0)) {
            x = a.x0 - zero_w;
        } else {   /* the middle of its bar */
            size_t k = 0;
            while (k + 1 < nb && v >= edge[k + 1]) k++;
            x = (px(&a, edge[k]) + px(&a, edge[k + 1])) / 2;
        }
        double y = a.y0 + (S_TICK * 1.2 + 2 * S_GAP) * cv.u + i % 3 * S_TICK * 1.3 * cv.u;
        double h = 9 * cv.u;
        wg_canvas_move_to(&cv, x - h * 0.7, y - h);
        wg_canvas_line_to(&cv, x + h * 0.7, y - h);
        wg_canvas_line_to(&cv, x, y);
        wg_canvas_close_path(&cv);
        wg_canvas_color(&cv, C_TEXT, 1);
        wg_canvas_fill(&cv);
        snprintf(lab, sizeof lab, "run %u", mark[i]);
        wg_canvas_font(&cv, S_TICK, 0);
        wg_canvas_text(&cv, x, y - h - S_GAP * 0.4 * cv.u, 0.5, 1, lab);
        wg_canvas_line_width(&cv, 1.5 * cv.u);
        wg_canvas_dash(&cv, 3 * cv.u, 3 * cv.u);
        wg_canvas_move_to(&cv, x, y);
        wg_canvas_line_to(&cv, x, a.y1);
        wg_canvas_stroke(&cv);
        wg_canvas_dash(&cv, 0, 0);
    }
    wg_plot_frame(&cv, &a);
    if (!n) wg_plot_note(&cv, &a, "no data: finals.csv has no runs");
    snprintf(lab, sizeof lab, "%s %s at the end%s", r->info.who,
             pos ? "won over" : "who turned critic", xlog ? " (logarithmic axis)" : "");
    wg_plot_axis_labels(&cv, &a, lab, "runs");
    wg_plot_report(fr, &a, lx, top, lx + lw, top + lh);
    if (fr) fr->x0 = a.x0 - 1.5 * zero_w;
    st = wg_plot_finish(&cv, &r->info, dir, "finals.png", d);
    wg_canvas_free(&cv);
    return st;
}

/* ---- runs ------------------------------------------------------------------------------------ */

wg_status wg_render_chart(const char *dir, const char *name, const wg_render_opts *o,
                          wg_render_frame *frame, wg_diag *d)
{
    wg_folder_run r;
    wg_status st = wg_folder_read_run(dir, &r, d);
    if (frame) memset(frame, 0, sizeof *frame);
    if (st == WG_OK) {
        if (strcmp(name, "curves") == 0) st = chart_curves(dir, &r, o, frame, d);
        else if (strcmp(name, "states") == 0) st = chart_states(dir, &r, o, frame, d);
        else if (strcmp(name, "finals") == 0) st = chart_finals(dir, &r, o, frame, d);
        else wg_diag_error(d, st = WG_EINPUT, "no chart named '%s'", name);
    }
    wg_folder_run_free(&r);
    return st;
}

wg_status wg_render_run(const char *dir, const wg_render_opts *o, wg_diag *d)
{
    wg_folder_run r;
    /* states.png first: it is the one chart that reads a file of its own (series.csv),
     * so every input is read and checked before the first chart is written */
    wg_status st = wg_folder_read_run(dir, &r, d);
    if (st == WG_OK) st = chart_states(dir, &r, o, NULL, d);
    if (st == WG_OK) st = chart_curves(dir, &r, o, NULL, d);
    if (st == WG_OK) st = chart_finals(dir, &r, o, NULL, d);
    wg_folder_run_free(&r);
    return st;
}


wg_status wg_render_folder(const char *dir, const wg_render_opts *o, wg_diag *d)
{
    if (wg_folder_has(dir, "compare.csv")) return wg_render_compare(dir, o, NULL, d);
    if (wg_folder_has(dir, "optimize.csv") || wg_folder_has(dir, "policies.csv"))
        return wg_render_optimize(dir, o, NULL, d);
    if (wg_folder_has(dir, "sweep.csv")) {
        wg_status st = WG_OK;
        if (wg_folder_has(dir, "sensitivity.csv")) {
            /* read before sweep.png is drawn: bad input writes no chart */
            wg_folder_sens sens;
            if ((st = wg_folder_read_sensitivity(dir, &sens, d)) != WG_OK) return st;
            wg_folder_sensitivity_free(&sens);
        }
        st = wg_render_sweep(dir, o, NULL, d);
        if (st == WG_OK && wg_folder_has(dir, "sensitivity.csv"))
            st = wg_render_sensitivity(dir, o, NULL, d);
        return st;
    }
    return wg_render_run(dir, o, d);
}

