/*
 * bench_engine.c — figures of the engine for `make bench`: a SIR-like
 * setting (contact all, share 0.05, quit 0.2, one random critic) on a
 * Barabási–Albert graph or a network file, at a given thread count.
 *
 * usage: bench_engine (ba NODES M | file PATH) THREADS RUNS [STEPS]
 * With WG_BENCH_EDGES=PATH in the environment it also writes the graph as an
 * edge list (one undirected edge "u v" a line, u < v), for the peers'
 * benchmark to load the very same graph.
 * Prints agents, edges, runs, steps, wall time per run, edge trials per
 * second, the mean and sd of the final size, and memory: the graph's and the engine's bytes per arc and per
 * agent as allocated, and the process's peak resident size. It checks
 * nothing: timing belongs here, never in the tests.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/engine.h"
#include "waggle/graph.h"

#include "bench_sir.h"
#include "bench_util.h"

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench_engine (ba NODES M | file PATH) THREADS RUNS [STEPS]\n");
        return 2;
    }
    wg_netspec spec;
    memset(&spec, 0, sizeof spec);
    int k = 2;
    if (strcmp(argv[1], "ba") == 0) {
        bench_ba_spec(&spec, argv[2], argv[3]);
        k = 4;
    } else {
        spec.kind = WG_NET_FILE;
        spec.file = argv[2];
        spec.format = WG_FMT_GUESS;
        k = 3;
    }
    if (argc < k + 2) return 2;
    int threads = atoi(argv[k]);
    uint32_t runs = (uint32_t)atoi(argv[k + 1]);
    uint32_t steps = argc > k + 2 ? (uint32_t)atoi(argv[k + 2]) : 1000;
    wg_diag d;
    wg_diag_init(&d);
    wg_graph *g = NULL;
    double t0 = wg_now_seconds();
    if (wg_graph_build(&spec, 1, &g, &d) != WG_OK) {
        wg_diag_print(&d, stderr);
        return 1;
    }
    double t_build = wg_now_seconds() - t0;
    const char *edges_path = getenv("WG_BENCH_EDGES");
    if (edges_path && *edges_path) {
        FILE *f = fopen(edges_path, "w");
        if (!f) {
            perror(edges_path);
            return 1;
        }
        for (uint32_t a = 0; a < g->n; a++)
            for (uint64_t j = g->out_off[a]; j < g->out_off[a + 1]; j++)
                if (g->directed || a < g->out_adj[j]) fprintf(f, "%u %u\n", a, g->out_adj[j]);
        if (fclose(f) != 0) {
            perror(edges_path);
            return 1;
        }
    }
    double rss_graph = wg_peak_resident_mb();
    wg_sim sim;
    wg_event ev;
    bench_sir(&sim, &ev, g, steps);
    wg_engine *e = NULL;
    if (wg_engine_new(&sim, threads, &e, &d) != WG_OK) {
        wg_diag_print(&d, stderr);
        return 1;
    }
    uint32_t *counts = calloc((size_t)runs * steps * WG_NCOUNTS, sizeof *counts);
    uint32_t *steps_run = calloc(runs, sizeof *steps_run);
    t0 = wg_now_seconds();
    double c0 = bench_cpu_seconds();
    if (wg_engine_run(e, 0, runs, counts, steps_run, NULL, NULL, NULL, &d) != WG_OK) {
        wg_diag_print(&d, stderr);
        return 1;
    }
    double wall = wg_now_seconds() - t0;
    double cpu = bench_cpu_seconds() - c0;
    double mean_steps = 0, mean_reach = 0, m2_reach = 0;
    for (uint32_t r = 0; r < runs; r++) {
        mean_steps += steps_run[r];
        const uint32_t *last = counts + ((size_t)r * steps + steps - 1) * WG_NCOUNTS;
        double x = last[WG_C_CRITICS] + last[WG_C_REJECTERS];
        mean_reach += x;
        m2_reach += x * x;
    }
    mean_steps /= runs;
    mean_reach /= runs;
    double sd_reach = runs > 1 ? sqrt((m2_reach - runs * mean_reach * mean_reach) / (runs - 1)) : 0;
    double graph_bytes = (double)(g->n + 1) * sizeof *g->out_off + (double)g->m * sizeof *g->out_adj +
                         (g->label ? (double)g->n * sizeof *g->label : 0);
    int workers = 1;
    double engine_agent = wg_engine_bytes_per_agent(e, &workers);
    printf("agents %u  arcs %llu  runs %u  threads %d  build %.2f s\n", g->n,
           (unsigned long long)g->m, runs, wg_engine_threads(e), t_build);
    printf("steps until quiet: mean %.1f   final size: mean %.1f sd %.1f (%.1f %%)\n",
           mean_steps, mean_reach, sd_reach, 100 * mean_reach / g->n);
    printf("wall %.3f s  = %.4f s per run   cpu %.4f s per run   edge trials %.3g  = %.3g trials/s\n",
           wall, wall / runs, cpu / runs, (double)wg_engine_trials(e), wg_engine_trials(e) / wall);
    printf("memory, steady state: %.2f bytes per arc + %.2f bytes per agent (graph: 4 per arc + "
           "%.2f per agent; engine: %.2f per agent, %d worker%s); peak RSS %.0f MiB (%.0f MiB "
           "after building the graph)\n",
           (double)g->m * sizeof *g->out_adj / g->m,
           (graph_bytes - (double)g->m * sizeof *g->out_adj) / g->n + engine_agent,
           (graph_bytes - (double)g->m * sizeof *g->out_adj) / g->n, engine_agent, workers,
           workers > 1 ? "s" : "", wg_peak_resident_mb(), rss_graph);
    free(counts);
    free(steps_run);
    wg_engine_free(e);
    wg_graph_free(g);
    wg_diag_free(&d);
    return 0;
}
