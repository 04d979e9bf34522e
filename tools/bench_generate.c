/*
 * bench_generate.c — figures of the Barabási–Albert generator for `make bench`:
 * edges generated per second, the process's peak resident size in bytes per
 * edge, and a 64-bit FNV-1a checksum of the CSR (offsets then targets), so
 * that a change of the generator can be shown to keep every draw. It prints
 * the wall and the CPU time of the build, the threads it may use (OpenMP's
 * default: OMP_NUM_THREADS) and the load average before and after, since the
 * machine may be shared: a wall time far above the CPU time per thread means
 * that others had the cores.
 *
 * usage: bench_generate NODES M [SEED]
 * It checks nothing: timing belongs here, never in the tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "waggle/graph.h"

#include "bench_util.h"

/* The 1-minute load average, or -1 when /proc/loadavg cannot be read. */
static double load1(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1) l = -1;
        fclose(f);
    }
    return l;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_generate NODES M [SEED]\n");
        return 2;
    }
    wg_netspec spec;
    bench_ba_spec(&spec, argv[1], argv[2]);
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    wg_diag d;
    wg_diag_init(&d);
    wg_graph *g = NULL;
    double l0 = load1(), t0 = wg_now_seconds(), c0 = bench_cpu_seconds();
    if (wg_graph_build(&spec, seed, &g, &d) != WG_OK) {
        wg_diag_print(&d, stderr);
        return 1;
    }
    double t = wg_now_seconds() - t0, c = bench_cpu_seconds() - c0;
    uint64_t edges = g->m / 2;
    uint64_t h = wg_fnv1a(WG_FNV_BASIS, g->out_off, ((size_t)g->n + 1) * sizeof *g->out_off);
    h = wg_fnv1a(h, g->out_adj, (size_t)g->m * sizeof *g->out_adj);
    printf("BA n %llu m %u, %d threads: edges %llu  %.2f s wall (cpu %.2f s)  %.3g edges/s (%.3g per cpu second)"
           "  peak %.1f bytes/edge  fnv %016llx  load %.1f -> %.1f\n",
           (unsigned long long)spec.nodes, spec.edges_per_node, omp_get_max_threads(), (unsigned long long)edges, t,
           c, edges / t, edges / c, bench_peak_bytes() / (double)edges, (unsigned long long)h, l0, load1());
    wg_graph_free(g);
    return 0;
}
