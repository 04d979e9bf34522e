/*
 * cmd_compare.c — `waggle compare SCENARIO`: the base scenario and every
 * variant, run with common random numbers, compared run by run.
 *
 * Invariants: every arm (the base, then the variants in file order) runs
 * runs 0 .. runs-1 with the scenario's seed, so run r of each arm draws the
 * same keyed numbers wherever their states agree; a variant whose network
 * differs (a network.* key, or the seed of a generated network) gets its own
 * graph, the others share the base's. Everything that can be bad input
 * (scenario, variants, networks, picks against each network) is checked
 * before the first run, and nothing is written before every arm has run.
 *
 * Output folder DIR: compare.csv (one row per variant and metric), blowup.csv
 * (one row per arm: blow-up share and its Wilson interval), manifest.yaml,
 * compare.png (render.c), and one run folder per arm, DIR/base/ and DIR/<variant slug>/, each with
 * series.csv, summary.csv, finals.csv and manifest.yaml as `waggle run`
 * writes them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "waggle/cli.h"
#include "waggle/render.h"
#include "waggle/compare.h"

const char wg_compare_usage[] =
    "usage: waggle compare SCENARIO [-o DIR] [-r RUNS] [-s SEED] [-t THREADS] "
    "[--set KEY=VALUE]... [--quiet]\n"
    "\n"
    "Run the base scenario and each of its variants with common random numbers (run r\n"
    "of every arm uses the same keyed draws) and compare them run by run. Writes into\n"
    "DIR (default out/<scenario name>-compare):\n"
    "  compare.csv   variant,metric,base_mean,variant_mean,diff_mean,diff_lo,diff_hi,p_better\n"
    "                metrics reach_positive, reach_negative, peak_critics, sentiment (last\n"
    "                step) and blowup; diff = variant - base per run pair, 95 % t interval;\n"
    "                p_better: share of run pairs where the variant does better (ties: half)\n"
    "  blowup.csv    variant,folder,threshold,agents_over,runs,blowups,share,lo,hi\n"
    "                share of runs whose negative reach (positive with blowup.valence:\n"
    "                positive) exceeds blowup.threshold x agents,\n"
    "                with its Wilson 95 % interval\n"
    "  compare.png   medians of base and variants, paired differences with intervals\n"
    "  base/, <variant>/   each arm's series.csv, summary.csv, finals.csv, manifest.yaml\n"
    "                and charts\n"
    "  manifest.yaml\n"
    "\n"
    "options: as `waggle run` (-o, -r, -s, -t, --set applies to the base and every variant,\n"
    "-q/--quiet: no progress bar and no table on standard output)\n"
    "\n"
    "exit status: 0 done, 1 runtime failure (memory, disk, interrupted), 2 bad input\n";

/* The base or one variant. */
typedef struct arm {
    wg_scenario *s;
    const char *name;     /* "base" or the variant's name */
    char *slug;           /* folder name */
    wg_graph *g;
    int own_graph;        /* 0: shares the base's graph */
    wg_graph_stats gs;
    wg_results r;
    double seconds;
} arm;

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

static void csv_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static wg_status write_compare_csv(const char *dir, const arm *arms, size_t narms, double *work,
                                   wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "compare.csv", d);
    if (st != WG_OK) return st;
    fputs("variant,metric,base_mean,variant_mean,diff_mean,diff_lo,diff_hi,p_better\n", o.f);
    for (size_t i = 1; i < narms; i++)
        for (int m = 0; m < WG_NCMP; m++) {
            wg_cmp_row row;
            wg_cmp_paired_v(&arms[0].r, arms[0].s->blowup, &arms[i].r, arms[i].s->blowup,
                            arms[0].s->blowup_valence, m, work, &row);
            const double v[6] = {row.base_mean, row.variant_mean, row.diff_mean,
                                 row.diff_lo,   row.diff_hi,      row.p_better};
            csv_text(o.f, arms[i].name);
            fprintf(o.f, ",%s", wg_cmp_metric_name(m));
            for (int k = 0; k < 6; k++) {
                fputc(',', o.f);
                wg_csv_double(o.f, v[k]);
            }
            fputc('\n', o.f);
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
        wg_blowup_of_v(&arms[i].r, arms[i].s->blowup, arms[0].s->blowup_valence, &b);
        csv_text(o.f, arms[i].name);
        fputc(',', o.f);
        csv_text(o.f, arms[i].slug);
        const double v[2] = {b.threshold, b.agents_over};
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

/* The table on standard output: one block per variant. */
static void print_table(const arm *arms, size_t narms, double *work)
{
    for (size_t i = 1; i < narms; i++) {
        printf("%s (vs base, %u run pairs)\n", arms[i].name,
               arms[0].r.runs < arms[i].r.runs ? arms[0].r.runs : arms[i].r.runs);
        printf("  %-15s %12s %12s %12s %25s %9s\n", "metric", "base", "variant", "difference",
               "95 % interval", "p_better");
        for (int m = 0; m < WG_NCMP; m++) {
            wg_cmp_row row;
            wg_cmp_paired_v(&arms[0].r, arms[0].s->blowup, &arms[i].r, arms[i].s->blowup,
                            arms[0].s->blowup_valence, m, work, &row);
            printf("  %-15s %12.4g %12.4g %+12.4g   [%+10.4g, %+10.4g] %9.3f\n",
                   wg_cmp_metric_name(m), row.base_mean, row.variant_mean, row.diff_mean,
                   row.diff_lo, row.diff_hi, row.p_better);
        }
    }
}

static char *path_join(const char *dir, const char *name)
{
    char *p = wg_malloc(strlen(dir) + strlen(name) + 2, 1);
    if (p) sprintf(p, "%s/%s", dir, name);
    return p;
}

static char *default_out(const char *scenario)
{
    char *base = wg_cli_default_out(scenario);
    char *out = base ? wg_malloc(strlen(base) + sizeof "-compare", 1) : NULL;
    if (out) sprintf(out, "%s-compare", base);
    free(base);
    return out;
}

int wg_cmd_compare(int argc, char **argv)
{
    wg_diag d;
    wg_cli_opts o;
    wg_scenario *base = NULL;
    arm *arms = NULL;
    size_t narms = 0;
    char *out = NULL;
    double *work = NULL, total = 0;
    wg_diag_init(&d);
    wg_status st = wg_cli_parse(argc, argv, 1, &o, NULL, NULL, &d);
    if (st != WG_OK) goto done;
    if ((st = wg_scenario_load(o.scenario, o.sets, o.nsets, &base, &d)) != WG_OK) goto done;
    if (base->nvariants == 0) {
        wg_diag_error(&d, st = WG_EINPUT, "%s: no variants to compare (add a `variants:` list, "
                      "e.g. - {name: louder critics, set: {share.negative: 0.12}})", o.scenario);
        goto done;
    }
    narms = 1 + base->nvariants;
    if (!(arms = wg_calloc(narms, sizeof *arms))) goto nomem;
    arms[0].s = base;
    arms[0].name = "base";
    if (!(arms[0].slug = wg_strdup("base"))) goto nomem;

    /* every bad input first: variants, networks, picks against each network */
    uint32_t most_runs = base->runs;
    for (size_t i = 0; i < narms; i++) {
        arm *a = &arms[i];
        if (i) {
            if ((st = wg_scenario_variant(base, i - 1, &a->s, &d)) != WG_OK) goto done;
            a->name = base->variants[i - 1].name;
            if (!(a->slug = slug_of(a->name, i, arms, narms))) goto nomem;
            if (a->s->runs > most_runs) most_runs = a->s->runs;
        }
        if (i && same_network(base, a->s)) {
            a->g = arms[0].g;
            a->gs = arms[0].gs;
        } else {
            a->own_graph = 1;
            if ((st = wg_graph_build(&a->s->net, a->s->seed, &a->g, &d)) != WG_OK) goto done;
            if ((st = wg_graph_stats_compute(a->g, &a->gs, NULL, &d)) != WG_OK) goto done;
        }
        wg_sim sim;
        wg_engine *e = NULL;
        wg_sim_from_scenario(&sim, a->s, a->g);
        st = wg_engine_new(&sim, o.threads, &e, &d);
        wg_engine_free(e);
        if (st != WG_OK) goto done;   /* messages of a variant's picks name the variant */
    }
    if (!(work = wg_malloc(2 * (size_t)most_runs, sizeof *work))) goto nomem;

    wg_cli_signals();
    for (size_t i = 0; i < narms; i++) {
        arm *a = &arms[i];
        st = wg_cli_simulate(a->s, a->g, o.threads, o.quiet, &a->r, &a->seconds, &d);
        if (st != WG_OK) goto done;
        total += a->seconds;
    }

    out = o.out_dir ? wg_strdup(o.out_dir) : default_out(o.scenario);
    if (!out) goto nomem;
    if ((st = wg_mkdir_p(out, &d)) != WG_OK) goto done;
    int threads = o.threads ? o.threads : wg_engine_default_threads();
    for (size_t i = 0; i < narms; i++) {
        arm *a = &arms[i];
        char *dir = path_join(out, a->slug);
        if (!dir) goto nomem;
        wg_manifest m = {a->s, &a->gs, threads, 1, a->seconds, argc, argv, "compare"};
        st = wg_cli_write_run(dir, a->s, &a->r, &m, &d);
        free(dir);
        if (st != WG_OK) goto done;
    }
    if ((st = write_compare_csv(out, arms, narms, work, &d)) != WG_OK) goto done;
    if ((st = write_blowup_csv(out, arms, narms, &d)) != WG_OK) goto done;
    wg_manifest m = {base, &arms[0].gs, threads, 1, total, argc, argv, "compare"};
    if ((st = wg_write_manifest(out, &m, &d)) != WG_OK) goto done;
    /* compare.png, drawn from the files just written, as `waggle render DIR` draws it */
    if ((st = wg_render_compare(out, NULL, NULL, &d)) != WG_OK) goto done;
    if (!o.quiet) {
        print_table(arms, narms, work);
        fprintf(stderr, "waggle: base and %zu variant%s × %u runs in %.2f s; wrote %s/\n",
                narms - 1, narms == 2 ? "" : "s", base->runs, total, out);
    }
    goto done;
nomem:
    wg_diag_error(&d, st = WG_ENOMEM, "out of memory");
done:
    for (size_t i = 0; arms && i < narms; i++) {
        if (arms[i].own_graph) wg_graph_free(arms[i].g);
        if (i) wg_scenario_free(arms[i].s);
        wg_results_free(&arms[i].r);
        free(arms[i].slug);
    }
    free(arms);
    free(work);
    free(out);
    wg_scenario_free(base);
    wg_cli_opts_free(&o);
    wg_diag_print(&d, stderr);
    wg_diag_free(&d);
    return wg_status_exit(st);
}
