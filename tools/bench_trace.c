/*
 * bench_trace.c — figures of the trace recorder for `make bench`: one run of
 * the SIR-like setting of bench_engine (contact all, share 0.05, quit 0.2,
 * ten random critics) on a Barabási–Albert graph, untraced (the recorder
 * compiled in, off: wg_engine_run) and traced (wg_engine_run_traced), best
 * of REPEAT each, one thread; and the trace's memory while it runs: the
 * record's bytes per agent and the growth of the peak resident size over
 * the traced runs. Each time is printed as wall-clock seconds and as the
 * process's CPU seconds: on a shared machine the wall clock measures the
 * load, the CPU time (one thread) the engine. It checks nothing: timing
 * belongs here, never in tests.
 *
 * usage: bench_trace NODES M REPEAT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/engine.h"
#include "waggle/graph.h"

#include "bench_sir.h"
#include "bench_util.h"

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_trace NODES M REPEAT\n");
        return 2;
    }
    wg_netspec spec;
    bench_ba_spec(&spec, argv[1], argv[2]);
    int repeat = atoi(argv[3]);
    const uint32_t steps = 1000, run = 0;
    wg_diag d;
    wg_diag_init(&d);
    wg_graph *g = NULL;
    if (wg_graph_build(&spec, 1, &g, &d) != WG_OK) {
        wg_diag_print(&d, stderr);
        return 1;
    }
    wg_sim sim;
    wg_event ev;
    bench_sir(&sim, &ev, g, steps);
    wg_engine *e = NULL;
    if (wg_engine_new(&sim, 1, &e, &d) != WG_OK) {
        wg_diag_print(&d, stderr);
        return 1;
    }
    uint32_t *counts = calloc((size_t)steps * WG_NCOUNTS, sizeof *counts), steps_run = 0;
    uint8_t *state = malloc(g->n);
    if (!counts || !state) return 1;
    memset(state, 0, g->n);   /* resident before: the growth below is the record's alone */
    double off = 1e30, on = 1e30, off_cpu = 1e30, on_cpu = 1e30;
    /* untraced first: the peak resident size before any trace exists */
    for (int i = 0; i < repeat; i++) {
        double t0 = wg_now_seconds(), c0 = bench_cpu_seconds();
        if (wg_engine_run(e, run, 1, counts, &steps_run, NULL, NULL, NULL, &d) != WG_OK) {
            wg_diag_print(&d, stderr);
            return 1;
        }
        double t = wg_now_seconds() - t0, c = bench_cpu_seconds() - c0;
        if (t < off) off = t;
        if (c < off_cpu) off_cpu = c;
    }
    double peak_off = bench_peak_bytes();
    for (int i = 0; i < repeat; i++) {
        wg_trace_rec *rec = malloc((size_t)g->n * sizeof *rec);
        if (!rec) return 1;
        double t0 = wg_now_seconds(), c0 = bench_cpu_seconds();
        if (wg_engine_run_traced(e, run, counts, &steps_run, state, rec, &d) != WG_OK) {
            wg_diag_print(&d, stderr);
            return 1;
        }
        double t = wg_now_seconds() - t0, c = bench_cpu_seconds() - c0;
        if (t < on) on = t;
        if (c < on_cpu) on_cpu = c;
        free(rec);
    }
    double peak_on = bench_peak_bytes();
    const uint32_t *last = counts + (size_t)(steps - 1) * WG_NCOUNTS;
    printf("agents %u  arcs %llu  1 thread  %u steps until quiet  final negative reach %u\n", g->n,
           (unsigned long long)g->m, steps_run, last[WG_C_CRITICS] + last[WG_C_REJECTERS]);
    printf("trace off (wg_engine_run, the recorder compiled in, off): %.4f s per run, CPU %.4f s\n",
           off, off_cpu);
    printf("trace on  (wg_engine_run_traced):                          %.4f s per run, CPU %.4f s  "
           "(%.2f x off, CPU %.2f x)\n",
           on, on_cpu, on / off, on_cpu / off_cpu);
    printf("trace memory while it runs: record %zu bytes per agent (goal <= 16); peak resident "
           "growth over the traced runs %.1f bytes per agent (the record and what the traced "
           "run itself allocates)\n",
           sizeof(wg_trace_rec), (peak_on - peak_off) / g->n);
    free(counts);
    free(state);
    wg_engine_free(e);
    wg_graph_free(g);
    wg_diag_free(&d);
    return 0;
}
