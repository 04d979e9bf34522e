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
#include <sys/resource.h>
#include <time.h>

#include <omp.h>

#include "waggle/graph.h"

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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < len; i++) h = (h ^ c[i]) * 0x100000001b3ull;
    return h;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_generate NODES M [SEED]\n");
        return 2;
    }
    wg_netspec spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = WG_NET_BARABASI_ALBERT;
    spec.nodes = strtoull(argv[1], NULL, 10);
    spec.edges_per_node = (uint32_t)atoi(argv[2]);
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    wg_diag d;
    wg_diag_init(&d);
    wg_graph *g = NULL;
    double l0 = load1(), t0 = now(), c0 = cpu_now();
    if (wg_graph_build(&spec, seed, &g, &d) != WG_OK) {
        wg_diag_print(&d, stderr);
        return 1;
    }
    double t = now() - t0, c = cpu_now() - c0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    uint64_t edges = g->m / 2;
    uint64_t h = fnv(0xcbf29ce484222325ull, g->out_off, ((size_t)g->n + 1) * sizeof *g->out_off);
    h = fnv(h, g->out_adj, (size_t)g->m * sizeof *g->out_adj);
    printf("BA n %llu m %u, %d threads: edges %llu  %.2f s wall (cpu %.2f s)  %.3g edges/s (%.3g per cpu second)"
           "  peak %.1f bytes/edge  fnv %016llx  load %.1f -> %.1f\n",
           (unsigned long long)spec.nodes, spec.edges_per_node, omp_get_max_threads(), (unsigned long long)edges, t,
           c, edges / t, edges / c, ru.ru_maxrss * 1024.0 / (double)edges, (unsigned long long)h, l0, load1());
    wg_graph_free(g);
    return 0;
}
