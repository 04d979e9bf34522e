/*
 * bench_optimize.c — timings of `waggle optimize` for `make bench` (figures,
 * never pass or fail): the lazy greedy choosing K seeds on a Barabási–Albert
 * network, and IMM choosing K seeds, both on an independent cascade
 * (contact: once, share.positive 0.05), each choice's spread then measured by
 * waggle's own runs.
 *
 *   bench_optimize greedy NODES M K RUNS CANDIDATES THREADS
 *   bench_optimize imm    NODES M K EPSILON RUNS THREADS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/optimize.h"

#include "bench_util.h"

static wg_opt *open_ic(unsigned long nodes, unsigned m, unsigned k, unsigned runs,
                       const wg_opt_params *p)
{
    char text[1024];
    snprintf(text, sizeof text,
             "name: bench optimize\nsteps: 30\nruns: %u\nseed: 2015\n"
             "network: {generate: barabasi-albert, nodes: %lu, edges_per_node: %u}\n"
             "model: {contact: once, share: {positive: 0.05, negative: 0.05}}\n"
             "events:\n  - {step: 0, seed: {valence: positive, count: %u, by: random}}\n",
             runs, nodes, m, k);
    wg_diag d;
    wg_diag_init(&d);
    wg_scenario *s = NULL;
    wg_opt *o = NULL;
    if (wg_scenario_parse(text, strlen(text), "bench.yaml", NULL, NULL, 0, &s, &d) != WG_OK ||
        wg_opt_open(s, NULL, p, &o, &d) != WG_OK) {
        wg_diag_print(&d, stderr);
        exit(1);
    }
    wg_diag_free(&d);
    return o;
}

static void report(wg_opt *o, const char *what)
{
    uint32_t k;
    wg_opt_chosen(o, &k);
    wg_opt_pick row;
    wg_opt_pick_row(o, k, &row);
    printf("%s: %u seeds, spread by %u runs %.1f (95 %% %.1f-%.1f), %llu sets scored, "
           "wall %.2f s\n", what, k, wg_opt_runs(o), row.metric, row.metric_lo, row.metric_hi,
           (unsigned long long)wg_opt_evaluations(o), wg_opt_seconds(o));
}

int main(int argc, char **argv)
{
    if (argc != 8 || (strcmp(argv[1], "greedy") && strcmp(argv[1], "imm"))) {
        fprintf(stderr, "usage: bench_optimize greedy NODES M K RUNS CANDIDATES THREADS\n"
                        "       bench_optimize imm NODES M K EPSILON RUNS THREADS\n");
        return 2;
    }
    const int imm = strcmp(argv[1], "imm") == 0;
    unsigned long nodes = strtoul(argv[2], NULL, 10);
    unsigned m = (unsigned)atoi(argv[3]), k = (unsigned)atoi(argv[4]);
    wg_opt_params p;
    wg_opt_params_default(&p);
    p.budget = k;
    p.threads = atoi(argv[7]);
    unsigned runs;
    if (imm) {
        p.method = WG_OPT_IMM;
        p.epsilon = atof(argv[5]);
        runs = (unsigned)atoi(argv[6]);
    } else {
        runs = (unsigned)atoi(argv[5]);
        p.candidates = (uint32_t)atoi(argv[6]);
    }
    wg_diag d;
    wg_diag_init(&d);
    wg_opt *o = open_ic(nodes, m, k, runs, &p);
    if (imm) {
        /* the selection alone, then the chosen set's spread by waggle's runs */
        const wg_graph *g = wg_opt_graph(o);
        uint32_t *seeds = malloc(k * sizeof *seeds);
        double *v = malloc(runs * sizeof *v);
        wg_imm_result r;
        const double c0 = bench_cpu_seconds();
        if (!seeds || !v ||
            wg_imm_select(g, 0.05, 30, 2015, k, p.epsilon, 1.0, p.threads, seeds, &r, &d) !=
                WG_OK) {
            wg_diag_print(&d, stderr);
            return 1;
        }
        const double cpu = bench_cpu_seconds() - c0;
        if (wg_opt_eval(o, seeds, k, v, &d) != WG_OK) {
            wg_diag_print(&d, stderr);
            return 1;
        }
        double mean = 0;
        for (unsigned i = 0; i < runs; i++) mean += v[i] / runs;
        printf("IMM: %lu agents, %u seeds, epsilon %g, %d threads: %llu + %llu RR sets "
               "(estimation + selection), lower bound %.1f, estimate %.1f, spread by %u runs "
               "%.1f\n", nodes, k, p.epsilon, p.threads,
               (unsigned long long)r.rr_sets_estimation, (unsigned long long)r.rr_sets,
               r.lower_bound, r.spread_est, runs, mean);
        printf("IMM: selection wall %.2f s (sampling %.2f s, covers %.2f s), CPU %.2f s\n",
               r.seconds, r.seconds_sampling, r.seconds_cover, cpu);
        free(seeds);
        free(v);
    } else {
        const double c0 = bench_cpu_seconds();
        if (wg_opt_choose(o, &d) != WG_OK) {
            wg_diag_print(&d, stderr);
            return 1;
        }
        char what[160];
        snprintf(what, sizeof what, "greedy (CELF): %lu agents, %u candidates, %d threads", nodes,
                 p.candidates, p.threads);
        report(o, what);
        printf("greedy: CPU %.2f s\n", bench_cpu_seconds() - c0);
    }
    wg_opt_free(o);
    wg_diag_free(&d);
    return 0;
}
