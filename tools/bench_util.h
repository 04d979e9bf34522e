/*
 * bench_util.h — what waggle's benchmark tools measure with: the process's
 * CPU time (all threads; steadier than wall time on a shared machine), its
 * peak resident size, and the Barabási–Albert network of the command line
 * (NODES M). Wall time and the peak in MiB are the library's wg_now_seconds
 * and wg_peak_resident_mb.
 */
#ifndef WAGGLE_BENCH_UTIL_H
#define WAGGLE_BENCH_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "waggle/common.h"
#include "waggle/graph.h"

/* CPU seconds of the process so far, all threads. */
static inline double bench_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The process's peak resident size so far, in bytes. */
static inline double bench_peak_bytes(void)
{
    return wg_peak_resident_mb() * 1048576.0;
}

/* spec: waggle's Barabási–Albert generator, nodes and edges a node as given
 * on the command line. */
static inline void bench_ba_spec(wg_netspec *spec, const char *nodes, const char *m)
{
    memset(spec, 0, sizeof *spec);
    spec->kind = WG_NET_BARABASI_ALBERT;
    spec->nodes = strtoull(nodes, NULL, 10);
    spec->edges_per_node = (uint32_t)atoi(m);
}

#endif
