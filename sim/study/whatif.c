/*
 * whatif.c — a scenario's what-ifs: the base and every variant, each a wg_job,
 * run with common random numbers and compared run by run (waggle/whatif.h).
 *
 * Invariants: every arm (the base, then the variants in file order) runs
 * runs 0 .. runs-1 with the scenario's seed, so run r of each arm draws the
 * same keyed numbers wherever their states agree; a variant whose network
 * differs (a network.* key, or the seed of a generated network) gets its own
 * graph, the others share the base's. Everything that can be bad input
 * (scenario, variants, networks, picks against each network) is checked
 * before the first run, and nothing is written before every arm has run.
 *
 * Saved and lost are counted agent by agent: every arm keeps its runs'
 * negative agents (wg_job_keep_negative) while it is compared, the base's
 * until the last variant has run, a variant's only until its counts are
 * taken; a variant on a network with another number of agents has none (NaN).
 *
 * Output folder DIR: compare.csv (one row per variant and metric),
 * compare-series.csv (one row per variant, step and metric of
 * series_metrics: the paired difference over time), blowup.csv
 * (one row per arm: blow-up share and its Wilson interval), manifest.yaml,
 * compare.png (render/chart_compare.c), and one run folder per arm,
 * DIR/base/ and DIR/<variant slug>/, each with series.csv, summary.csv,
 * finals.csv and manifest.yaml as `waggle run` writes them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/compare.h"
#include "waggle/render.h"
#include "waggle/whatif.h"

/* The base or one variant. */
typedef struct arm {
    wg_job *job;
    const wg_scenario *s; /* the job's */
    const char *name;     /* "base" or the variant's name */
    char *slug;           /* folder name */
    wg_results r;         /* a view of the job's results (not owned) */
    double *saved, *lost; /* variants: per run pair (min runs of it and the base), or NULL
                             when its agents are not the base's */
    uint32_t npairs;
} arm;

struct wg_whatif {
    wg_scenario *base;    /* owned by arms[0].job */
    arm *arms;
    size_t narms;
    double *work;         /* 4 × the most runs of an arm + WG_CMP_BOOTSTRAPS */
    double seconds;
    int threads;
};

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* 1 when two scenarios build the same graph. */
static int same_network(const wg_scenario *a, const wg_scenario *b)
{
    const wg_netspec *x = &a->net, *y = &b->net;
    if (x->kind != WG_NET_FILE && a->seed != b->seed) return 0;
    if (x->kind != y->kind || x->directed != y->directed || x->nodes != y->nodes ||
        x->mean_degree != y->mean_degree || x->edges_per_node != y->edges_per_node ||
        x->neighbours != y->neighbours || x->rewire != y->rewire || x->deg_kind != y->deg_kind ||
        x->deg_mean != y->deg_mean || x->deg_exponent != y->deg_exponent ||
        x->deg_cutoff != y->deg_cutoff || x->deg_min != y->deg_min ||
        x->nblocks != y->nblocks || x->dims[0] != y->dims[0] || x->dims[1] != y->dims[1] ||
        x->periodic != y->periodic || x->format != y->format ||
        x->self_loops_error != y->self_loops_error || x->duplicates_error != y->duplicates_error)
        return 0;
    if (!same_str(x->deg_file, y->deg_file) || !same_str(x->famous, y->famous) ||
        !same_str(x->file, y->file) || !same_str(x->weight, y->weight))
        return 0;
    if (x->nblocks && (memcmp(x->sizes, y->sizes, x->nblocks * sizeof *x->sizes) != 0 ||
                       memcmp(x->p, y->p, x->nblocks * x->nblocks * sizeof *x->p) != 0))
        return 0;
    return 1;
}

/* Folder name of a variant: wg_render_slug's (so that `waggle render` finds
 * it), with "-N" appended when it would repeat an earlier folder or be
 * "base" (blowup.csv's `folder` column then says where it went). */
static char *slug_of(const char *name, size_t number, const arm *arms, size_t narms)
{
    char *slug = wg_render_slug(name);
    char *s = slug ? wg_malloc(strlen(slug) + 24, 1) : NULL;
    if (!s) {
        free(slug);
        return NULL;
    }
    strcpy(s, slug);
    free(slug);
    int clash = strcmp(s, "base") == 0;
    for (size_t i = 0; i < narms; i++) clash |= arms[i].slug && strcmp(arms[i].slug, s) == 0;
    if (clash) snprintf(s + strlen(s), 24, "-%zu", number);
    return s;
}

char *wg_whatif_default_out(const char *scenario)
{
    char *base = wg_job_default_out(scenario);
    char *out = base ? wg_malloc(strlen(base) + sizeof "-compare", 1) : NULL;
    if (out) sprintf(out, "%s-compare", base);
    free(base);
    return out;
}

void wg_whatif_free(wg_whatif *w)
{
    if (!w) return;
    /* variants first: they may run on the base's graph */
    for (size_t i = w->narms; w->arms && i-- > 0;) {
        wg_job_free(w->arms[i].job);
        free(w->arms[i].slug);
        free(w->arms[i].saved);
        free(w->arms[i].lost);
    }
    if (!w->arms || !w->arms[0].job) wg_scenario_free(w->base);
    free(w->arms);
    free(w->work);
    free(w);
}

wg_status wg_whatif_open_scenario(wg_scenario *base, wg_whatif **out, wg_diag *d)
{
    wg_status st = WG_OK;
    *out = NULL;
    wg_whatif *w = wg_calloc(1, sizeof *w);
    if (!w) {
        wg_scenario_free(base);
        goto nomem;
    }
    w->base = base;
    if (base->nvariants == 0) {
        wg_diag_error(d, st = WG_EINPUT, "%s: no variants to compare (add a `variants:` list, "
                      "e.g. - {name: louder critics, set: {share.negative: 0.12}})",
                      base->path ? base->path : "-");
        goto fail;
    }
    w->narms = 1 + base->nvariants;
    if (!(w->arms = wg_calloc(w->narms, sizeof *w->arms))) goto nomem;
    arm *arms = w->arms;
    if ((st = wg_job_open_scenario(base, NULL, &arms[0].job, d)) != WG_OK) goto fail;
    arms[0].s = base;
    arms[0].name = "base";
    if (!(arms[0].slug = wg_strdup("base"))) goto nomem;

    /* every bad input first: variants, networks, picks against each network */
    uint32_t most_runs = base->runs;
    for (size_t i = 0; i < w->narms; i++) {
        arm *a = &arms[i];
        if (i) {
            wg_scenario *v = NULL;
            if ((st = wg_scenario_variant(base, i - 1, &v, d)) != WG_OK) goto fail;
            const wg_graph *lent = same_network(base, v) ? wg_job_graph(arms[0].job) : NULL;
            if ((st = wg_job_open_scenario(v, lent, &a->job, d)) != WG_OK) goto fail;
            a->s = v;
            a->name = base->variants[i - 1].name;
            if (!(a->slug = slug_of(a->name, i, arms, w->narms))) goto nomem;
            if (v->runs > most_runs) most_runs = v->runs;
        }
        /* messages of a variant's picks name the variant */
        if ((st = wg_job_prepare(a->job, d)) != WG_OK) goto fail;
    }
    if (!(w->work = wg_malloc(4 * (size_t)most_runs + WG_CMP_BOOTSTRAPS, sizeof *w->work)))
        goto nomem;
    *out = w;
    return WG_OK;
nomem:
    wg_diag_error(d, st = WG_ENOMEM, "out of memory");
fail:
    wg_whatif_free(w);
    return st;
}

wg_status wg_whatif_open(const char *path, const char *const *sets, size_t nsets,
                         wg_whatif **out, wg_diag *d)
{
    wg_scenario *base = NULL;
    *out = NULL;
    wg_status st = wg_job_load(path, sets, nsets, &base, d);
    if (st != WG_OK) return st;
    return wg_whatif_open_scenario(base, out, d);
}

/* Saved and lost of variant a against the base b, run pair by run pair, from
 * their kept negative agents (none when the two networks' agents differ). */
static wg_status count_saved(const arm *b, arm *a, wg_diag *d)
{
    free(a->saved);
    free(a->lost);
    a->saved = a->lost = NULL;
    a->npairs = b->r.runs < a->r.runs ? b->r.runs : a->r.runs;
    const uint32_t n = wg_job_graph(b->job)->n;
    if (wg_job_graph(a->job)->n != n) return WG_OK;
    a->saved = wg_malloc(a->npairs ? a->npairs : 1, sizeof *a->saved);
    a->lost = wg_malloc(a->npairs ? a->npairs : 1, sizeof *a->lost);
    if (!a->saved || !a->lost) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    for (uint32_t run = 0; run < a->npairs; run++) {
        uint32_t saved, lost;
        wg_cmp_saved_lost(wg_job_negative(b->job, run), wg_job_negative(a->job, run),
                          WG_AGENT_WORDS(n), &saved, &lost);
        a->saved[run] = saved;
        a->lost[run] = lost;
    }
    return WG_OK;
}

wg_status wg_whatif_run(wg_whatif *w, const wg_job_run_params *p, wg_diag *d)
{
    wg_status st = WG_OK;
    w->seconds = 0;
    for (size_t i = 0; i < w->narms && st == WG_OK; i++) {
        arm *a = &w->arms[i];
        wg_job_keep_negative(a->job, 1);
        if ((st = wg_job_run(a->job, p, d)) != WG_OK) break;
        a->r = *wg_job_results(a->job);
        w->seconds += wg_job_seconds(a->job);
        w->threads = wg_job_threads(a->job);
        if (i) {
            st = count_saved(&w->arms[0], a, d);
            wg_job_drop_negative(a->job);
        }
    }
    wg_job_drop_negative(w->arms[0].job);
    return st;
}

size_t wg_whatif_arms(const wg_whatif *w) { return w->narms; }
const wg_job *wg_whatif_arm(const wg_whatif *w, size_t i) { return w->arms[i].job; }
const char *wg_whatif_arm_name(const wg_whatif *w, size_t i) { return w->arms[i].name; }
const char *wg_whatif_arm_folder(const wg_whatif *w, size_t i) { return w->arms[i].slug; }
double wg_whatif_seconds(const wg_whatif *w) { return w->seconds; }

/* The blow-up rule of arm i: its own threshold, the base's valence (every arm
 * counts the same kind of blow-up, and the base's says which way is better). */
static wg_blowup_rule rule_of(const arm *arms, size_t i)
{
    wg_blowup_rule r = {arms[i].s->blowup, arms[0].s->blowup_valence, arms[i].s->blowup_at_step,
                        arms[i].s->blowup_step};
    return r;
}

/* Row m (enum wg_cmp_metric, then enum wg_cmp_extra) of compare.csv for variant i. */
static void row_of(const arm *arms, size_t i, int m, double *work, wg_cmp_row *row)
{
    wg_blowup_rule br = rule_of(arms, 0), vr = rule_of(arms, i);
    if (m < WG_NCMP) {
        wg_cmp_paired(&arms[0].r, &br, &arms[i].r, &vr, m, work, row);
    } else if (m == WG_CMP_REACH_NEG_P95) {
        /* resampled with the base's seed: every variant draws the same resamples */
        wg_cmp_p95(&arms[0].r, &br, &arms[i].r, &vr, arms[0].s->seed, work, row);
    } else {
        const double *x = m == WG_CMP_SAVED ? arms[i].saved : arms[i].lost;
        wg_cmp_figure(x, x ? arms[i].npairs : 0, row);
    }
}

/* The summary metrics of compare-series.csv, in the order written at each step. */
static const int series_metrics[] = {WG_M_CRITICS, WG_M_REACH_POS, WG_M_REACH_NEG, WG_M_NEW_NEG,
                                     WG_M_SENTIMENT};
#define NSERIES_METRICS (sizeof series_metrics / sizeof series_metrics[0])

/* Columns of compare.csv after variant,metric. */
#define CMP_VALUES 8

static wg_status write_compare_csv(const char *dir, const arm *arms, size_t narms, double *work,
                                   wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "compare.csv", d);
    if (st != WG_OK) return st;
    fputs("variant,metric,base_mean,variant_mean,diff_mean,diff_lo,diff_hi,p_better,"
          "p_better_lo,p_better_hi\n", o.f);
    for (size_t i = 1; i < narms; i++)
        for (int m = 0; m < WG_NCMP_ROWS; m++) {
            wg_cmp_row row;
            row_of(arms, i, m, work, &row);
            const double v[CMP_VALUES] = {row.base_mean, row.variant_mean, row.diff_mean,
                                          row.diff_lo,   row.diff_hi,      row.p_better,
                                          row.p_better_lo, row.p_better_hi};
            wg_csv_put_text(o.f, arms[i].name, WG_CSV_QUOTE_NEEDED);
            fprintf(o.f, ",%s", wg_cmp_metric_name(m));
            for (int k = 0; k < CMP_VALUES; k++) {
                fputc(',', o.f);
                wg_csv_double(o.f, v[k]);
            }
            fputc('\n', o.f);
        }
    return wg_out_commit(&o, d);
}

/* compare-series.csv: the paired difference over time, step by step up to the
 * shorter arm's last step. */
static wg_status write_compare_series(const char *dir, const arm *arms, size_t narms,
                                      double *work, wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "compare-series.csv", d);
    if (st != WG_OK) return st;
    fputs("variant,step,metric,diff_mean,diff_lo,diff_hi\n", o.f);
    for (size_t i = 1; i < narms; i++) {
        uint32_t steps = arms[0].r.steps < arms[i].r.steps ? arms[0].r.steps : arms[i].r.steps;
        for (uint32_t t = 0; t < steps; t++)
            for (size_t k = 0; k < NSERIES_METRICS; k++) {
                double v[3];
                wg_cmp_step(&arms[0].r, &arms[i].r, t, series_metrics[k], work, &v[0], &v[1],
                            &v[2]);
                wg_csv_put_text(o.f, arms[i].name, WG_CSV_QUOTE_NEEDED);
                fprintf(o.f, ",%u,%s", t, wg_metric_name(series_metrics[k]));
                for (int c = 0; c < 3; c++) {
                    fputc(',', o.f);
                    wg_csv_double(o.f, v[c]);
                }
                fputc('\n', o.f);
            }
    }
    return wg_out_commit(&o, d);
}

static wg_status write_blowup_csv(const char *dir, const arm *arms, size_t narms, wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "blowup.csv", d);
    if (st != WG_OK) return st;
    fputs("variant,folder,threshold,agents_over,runs,blowups,share,lo,hi\n", o.f);
    for (size_t i = 0; i < narms; i++) {
        wg_blowup b;
        wg_blowup_rule rule = rule_of(arms, i);
        wg_blowup_of(&arms[i].r, &rule, &b);
        wg_csv_put_text(o.f, arms[i].name, WG_CSV_QUOTE_NEEDED);
        fputc(',', o.f);
        wg_csv_put_text(o.f, arms[i].slug, WG_CSV_QUOTE_NEEDED);
        const double v[2] = {b.rule.threshold, b.agents_over};
        for (int k = 0; k < 2; k++) {
            fputc(',', o.f);
            wg_csv_double(o.f, v[k]);
        }
        fprintf(o.f, ",%u,%u", b.runs, b.count);
        const double w[3] = {b.share, b.lo, b.hi};
        for (int k = 0; k < 3; k++) {
            fputc(',', o.f);
            wg_csv_double(o.f, w[k]);
        }
        fputc('\n', o.f);
    }
    return wg_out_commit(&o, d);
}

void wg_whatif_row(const wg_whatif *w, size_t i, int metric, wg_cmp_row *row)
{
    row_of(w->arms, i, metric, w->work, row);
}

/* A number of the table, or "-" for none (NaN). */
static void print_num(FILE *f, const char *fmt, double x)
{
    if (isnan(x)) fprintf(f, " %12s", "-");
    else fprintf(f, fmt, x);
}

/* The table: one block per variant. */
void wg_whatif_print(const wg_whatif *w, FILE *f)
{
    const arm *arms = w->arms;
    size_t narms = w->narms;
    double *work = w->work;
    for (size_t i = 1; i < narms; i++) {
        fprintf(f, "%s (vs base, %u run pairs)\n", arms[i].name,
               arms[0].r.runs < arms[i].r.runs ? arms[0].r.runs : arms[i].r.runs);
        fprintf(f, "  %-18s %12s %12s %12s %25s %9s %15s\n", "metric", "base", "variant",
                "difference", "95 % interval", "p_better", "95 % interval");
        for (int m = 0; m < WG_NCMP_ROWS; m++) {
            wg_cmp_row row;
            row_of(arms, i, m, work, &row);
            fprintf(f, "  %-18s", wg_cmp_metric_name(m));
            print_num(f, " %12.4g", row.base_mean);
            print_num(f, " %12.4g", row.variant_mean);
            fprintf(f, " %+12.4g   [%+10.4g, %+10.4g]", row.diff_mean, row.diff_lo, row.diff_hi);
            if (isnan(row.p_better)) fputc('\n', f);
            else fprintf(f, " %9.3f  [%.3f, %.3f]\n", row.p_better, row.p_better_lo,
                         row.p_better_hi);
        }
    }
}

wg_status wg_whatif_write(const wg_whatif *w, const char *out, const wg_job_write_params *p,
                          wg_diag *d)
{
    wg_job_write_params wp;
    if (p) wp = *p;
    else wg_job_write_params_default(&wp);
    wp.kind = "compare";
    const arm *arms = w->arms;
    wg_outdir od;
    wg_status st;
    /* the folder holds the arms' folders: a variant folder of an earlier compare that
     * this one has not is removed when the folder is closed (only waggle's files in it) */
    if ((st = wg_job_outdir_open(&od, out, w->base, d)) != WG_OK) return st;
    for (size_t i = 0; i < w->narms && st == WG_OK; i++) {
        char *dir = wg_path_join(out, arms[i].slug), sub[256];
        if (!dir) {
            wg_diag_error(d, st = WG_ENOMEM, "out of memory");
            break;
        }
        snprintf(sub, sizeof sub, "%s/", arms[i].slug);
        if ((st = wg_outdir_own(&od, sub, d)) == WG_OK) st = wg_job_write(arms[i].job, dir, &wp, d);
        free(dir);
    }
    if (st == WG_OK) st = write_compare_csv(out, arms, w->narms, w->work, d);
    if (st == WG_OK) st = write_compare_series(out, arms, w->narms, w->work, d);
    if (st == WG_OK) st = write_blowup_csv(out, arms, w->narms, d);
    wg_manifest m = {w->base, wg_job_net_stats(arms[0].job), w->threads,
                     wp.ranks > 0 ? wp.ranks : 1, w->seconds, wp.argc, wp.argv, "compare"};
    if (st == WG_OK) st = wg_manifest_write(out, &m, NULL, d);
    /* compare.png, drawn from the files just written, as `waggle render DIR` draws it */
    if (st == WG_OK) st = wg_render_compare(out, NULL, NULL, d);
    wg_status cs = wg_outdir_close(&od, d);
    return st != WG_OK ? st : cs;
}
