/*
 * chart_optimize.c — optimize.png of an optimize folder (optimize.csv,
 * manifest.yaml): the objective's metric against the number of seeds k, for
 * the choice (greedy or IMM) and each baseline pick of the same size
 * (random, degree, PageRank, k-core), each a line through its means with its
 * 95 % interval as a band. For a grid of response policies (policies.csv),
 * the metric against the delay, a line for each per_step, the chosen policy
 * ringed.
 *
 * Invariants:
 * 1. Drawn from the folder's files only (folder.c), as every chart is.
 * 2. The choice is drawn last and darkest, so it is never hidden; the x axis
 *    starts at zero seeds, the y axis at zero (a share of runs: 0 to 100 %).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "waggle/render.h"

#include "chart.h"

/* Colours of the methods (Okabe & Ito), the choice first. */
static wg_rgb method_color(const char *m, int first)
{
    static const wg_rgb choice = WG_HEX(0x000000), random = WG_HEX(0x8C8C8C),
                        degree = WG_HEX(0x0072B2), pagerank = WG_HEX(0x009E73),
                        kcore = WG_HEX(0xCC79A7), other = WG_HEX(0xD55E00);
    if (first) return choice;
    if (strcmp(m, "random") == 0) return random;
    if (strcmp(m, "degree") == 0) return degree;
    if (strcmp(m, "pagerank") == 0) return pagerank;
    if (strcmp(m, "kcore") == 0) return kcore;
    return other;
}

/* Colours of a grid's per_step lines (Okabe & Ito, without the baselines' grey). */
static wg_rgb grid_color(int s)
{
    static const wg_rgb c[WG_FOLDER_MAX_SERIES] = {
        WG_HEX(0x0072B2), WG_HEX(0xD55E00), WG_HEX(0x009E73), WG_HEX(0xCC79A7),
        WG_HEX(0xE69F00), WG_HEX(0x56B4E9), WG_HEX(0x000000), WG_HEX(0xF0E442)};
    return c[s % WG_FOLDER_MAX_SERIES];
}

static wg_rgb series_color(const wg_folder_opt *o, int s)
{
    return o->grid ? grid_color(s) : method_color(o->method[s], s == 0);
}

static const char *method_words(const char *m, int first)
{
    if (first) return strcmp(m, "imm") == 0 ? "chosen by IMM" : "chosen by lazy greedy";
    if (strcmp(m, "random") == 0) return "at random";
    if (strcmp(m, "degree") == 0) return "by degree";
    if (strcmp(m, "pagerank") == 0) return "by PageRank";
    if (strcmp(m, "kcore") == 0) return "by k-core";
    return m;
}

static void draw_series(wg_canvas *cv, const wg_axes *a, const wg_folder_opt *o, int ser,
                        wg_rgb c, double width)
{
    int started = 0;
    /* the band: along the upper bounds, back along the lower */
    for (size_t i = 0; i < o->n; i++) {
        const wg_folder_opt_row *r = &o->row[i];
        if (r->series != ser || !isfinite(r->hi)) continue;
        if (!started) wg_canvas_move_to(cv, px(a, r->k), py(a, r->hi));
        else wg_canvas_line_to(cv, px(a, r->k), py(a, r->hi));
        started = 1;
    }
    if (started) {
        for (size_t i = o->n; i-- > 0;) {
            const wg_folder_opt_row *r = &o->row[i];
            if (r->series != ser || !isfinite(r->lo)) continue;
            wg_canvas_line_to(cv, px(a, r->k), py(a, r->lo));
        }
        wg_canvas_close_path(cv);
        wg_canvas_color(cv, c, BAND_OUTER_ALPHA);
        wg_canvas_fill(cv);
    }
    started = 0;
    for (size_t i = 0; i < o->n; i++) {
        const wg_folder_opt_row *r = &o->row[i];
        if (r->series != ser || !isfinite(r->mean)) continue;
        if (!started) wg_canvas_move_to(cv, px(a, r->k), py(a, r->mean));
        else wg_canvas_line_to(cv, px(a, r->k), py(a, r->mean));
        started = 1;
    }
    wg_canvas_color(cv, c, 1);
    wg_canvas_line_width(cv, width);
    wg_canvas_line_join_round(cv);
    wg_canvas_stroke(cv);
    for (size_t i = 0; i < o->n; i++) {
        const wg_folder_opt_row *r = &o->row[i];
        if (r->series != ser || !isfinite(r->mean)) continue;
        wg_canvas_circle(cv, px(a, r->k), py(a, r->mean), 5 * cv->u);
        wg_canvas_color(cv, c, 1);
        wg_canvas_fill(cv);
    }
}

wg_status wg_render_optimize(const char *dir, const wg_render_opts *opts, wg_render_frame *frame,
                             wg_diag *d)
{
    wg_folder_opt o;
    wg_canvas cv = {0};
    char sub[512], extra[300];
    if (frame) memset(frame, 0, sizeof *frame);
    wg_status st = wg_folder_read_optimize(dir, &o, d);
    if (st != WG_OK) return st;
    if ((st = wg_canvas_new(&cv, opts, d)) != WG_OK) goto done;
    const int share = o.metric && strcmp(o.metric, wg_final_metric_name(WG_F_BLOWUP)) == 0;
    const int pos = o.metric && strcmp(o.metric, wg_final_metric_name(WG_F_REACH_POS)) == 0;
    snprintf(extra, sizeof extra, "%s",
             o.grid ? "; which policy: every policy of the grid on the same runs, 95 % "
                      "intervals over runs; the chosen one ringed"
             : o.respond ? "; whom to answer: the choice against picks of as many critics, "
                           "95 % intervals over runs (paired draws)"
                         : "; which seeds: the choice against picks of the same size, 95 % "
                           "intervals over runs (paired draws)");
    wg_plot_subtitle(sub, sizeof sub, &o.info, extra);
    double top = wg_plot_titles(&cv, o.info.name, sub);
    wg_legend lg = {0};
    char words[WG_FOLDER_MAX_SERIES][64];
    for (int s = 0; s < o.nser; s++) {
        if (o.grid)
            snprintf(words[s], sizeof words[s], "%s answers a %s", o.method[s], o.info.unit);
        else snprintf(words[s], sizeof words[s], "%s", method_words(o.method[s], s == 0));
        wg_plot_legend_add(&lg, SW_LINE, series_color(&o, s), 1, words[s]);
    }
    wg_plot_legend_add(&lg, SW_BAND, C_MUTED, BAND_OUTER_ALPHA, "95 % interval");
    double lx = S_MARGIN * cv.u, lw = cv.w - 2 * S_MARGIN * cv.u;
    double lh = wg_plot_legend(&cv, &lg, lx, top, lw, 1);
    wg_axes a = {0};
    double kmax = 1, vmax = 0;
    for (size_t i = 0; i < o.n; i++) {
        if (o.row[i].k > kmax) kmax = o.row[i].k;
        double hi = isfinite(o.row[i].hi) ? o.row[i].hi : o.row[i].mean;
        if (isfinite(hi) && hi > vmax) vmax = hi;
    }
    a.xmin = 0;
    a.xmax = kmax;
    double xs = wg_plot_nice_step(kmax, 1), ys;
    if (share) {
        a.ymin = 0;
        a.ymax = 1;
        ys = 0.2;
    } else {
        ys = wg_plot_y_count(&a, vmax);
    }
    wg_canvas_font(&cv, S_TICK, 0);
    wg_plot_layout(&cv, &a, top + lh, wg_plot_label_width(&cv, a.ymax, ys, share ? 100 : 1,
                                                            share ? " %" : ""), 0);
    wg_plot_y_ticks(&cv, &a, ys, 1, share, share ? 100 : 1);
    wg_plot_x_ticks(&cv, &a, xs);
    wg_plot_clip(&cv, &a);
    for (int s = o.nser; s-- > 0;)   /* the choice last: on top */
        draw_series(&cv, &a, &o, s, series_color(&o, s),
                    (s == 0 && !o.grid ? 1.3 : 0.8) * S_LINE * cv.u);
    if (!o.n)
        wg_plot_note(&cv, &a, o.grid ? "no rows in policies.csv" : "no rows in optimize.csv");
    wg_canvas_unclip(&cv);
    wg_plot_frame(&cv, &a);
    if (o.grid && o.chosen >= 0) {
        const wg_folder_opt_row *r = &o.row[o.chosen];
        wg_canvas_circle(&cv, px(&a, r->k), py(&a, r->mean), 10 * cv.u);
        wg_canvas_color(&cv, C_TEXT, 1);
        wg_canvas_line_width(&cv, 1.5 * S_LINE * cv.u);
        wg_canvas_stroke(&cv);
    }
    char xlabel[96];
    if (o.grid) snprintf(xlabel, sizeof xlabel, "delay: %ss a critic waits for the answer",
                         o.info.unit);
    else snprintf(xlabel, sizeof xlabel, "%s", o.respond ? "critics to answer chosen (k)"
                                                         : "seeds chosen (k)");
    wg_plot_axis_labels(&cv, &a, xlabel,
                        share ? "runs that blow up"
                        : pos ? "positive reach at the end (agents)"
                              : "negative reach at the end (agents)");
    wg_plot_report(frame, &a, lx, top, lx + lw, top + lh);
    st = wg_plot_finish(&cv, &o.info, dir, "optimize.png", d);
done:
    wg_canvas_free(&cv);
    wg_folder_optimize_free(&o);
    return st;
}
