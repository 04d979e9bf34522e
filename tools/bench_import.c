/*
 * bench_import.c — the peak memory of importing an edge list, for `make
 * bench`: reads a network file (edge list or CSV, plain or gzip) through
 * waggle's streaming importer and prints agents, edges, arcs, the time, the
 * process's peak resident size (getrusage's ru_maxrss) before and after, its
 * growth per edge of the file (kept or not) and per arc kept, the final
 * CSR's own bytes (4 an arc, 8 an agent of offsets, 8 of ids) and what the
 * import held beyond them per arc (the goal: at most 2). From the figures
 * per arc and per agent it projects the peak of a file of 1.5 × 10^9 arcs
 * and 4.2 × 10^7 agents (twitter-2010's size). It checks nothing.
 *
 * usage: bench_import PATH [directed]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/graph.h"

#include "bench_util.h"

/* twitter-2010: 41,652,230 agents, 1,468,365,182 arcs */
#define WG_BENCH_BIG_ARCS 1.5e9
#define WG_BENCH_BIG_AGENTS 4.2e7

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_import PATH [directed]\n");
        return 2;
    }
    wg_netspec spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = WG_NET_FILE;
    spec.file = argv[1];
    spec.format = WG_FMT_GUESS;
    spec.directed = argc > 2 && strcmp(argv[2], "directed") == 0;
    wg_diag d;
    wg_diag_init(&d);
    wg_graph *g = NULL;
    double before = bench_peak_bytes(), t0 = wg_now_seconds();
    if (wg_import(&spec, &g, &d) != WG_OK) {
        wg_diag_print(&d, stderr);
        wg_diag_free(&d);
        return 1;
    }
    double t = wg_now_seconds() - t0, after = bench_peak_bytes(), grown = after - before;
    uint64_t edges = g->directed ? g->m : g->m / 2;
    /* the final CSR: targets (and weights), offsets, ids */
    double csr = (double)g->m * (g->out_w ? 8 : 4) + 8.0 * ((double)g->n + 1) + (g->label ? 8.0 * g->n : 0);
    double beyond = grown - csr;
    printf("import %s: %u agents, %llu edges kept (%llu arcs), %.2f s\n", argv[1], g->n,
           (unsigned long long)edges, (unsigned long long)g->m, t);
    printf("   peak resident size (ru_maxrss) %.1f MiB before, %.1f MiB after: grew by %.1f MiB, "
           "%.2f bytes per edge, %.2f per arc\n", before / 1048576.0, after / 1048576.0,
           grown / 1048576.0, edges ? grown / (double)edges : 0.0, g->m ? grown / (double)g->m : 0.0);
    printf("   the final CSR is %.1f MiB (%.2f bytes per arc); the import held %.2f bytes per arc "
           "beyond it (%.1f per agent; goal <= 2 per arc)\n", csr / 1048576.0,
           g->m ? csr / (double)g->m : 0.0, g->m ? beyond / (double)g->m : 0.0,
           g->n ? beyond / (double)g->n : 0.0);
    /* what is beyond the CSR is per agent (the id table): projected so */
    double big = WG_BENCH_BIG_ARCS * (g->out_w ? 8 : 4) + 16.0 * WG_BENCH_BIG_AGENTS +
                 (g->n ? beyond / (double)g->n : 0.0) * WG_BENCH_BIG_AGENTS;
    printf("   projected: a file of 1.5e9 arcs and 4.2e7 agents (twitter-2010) would peak at about "
           "%.1f GB (%.2f bytes per arc)\n", big / 1e9, big / WG_BENCH_BIG_ARCS);
    wg_graph_free(g);
    wg_diag_free(&d);
    return 0;
}
