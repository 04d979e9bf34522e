/*
 * waggle/rrset.h — reverse-reachable (RR) sets of an independent cascade, the
 * samples of reverse influence sampling (Borgs et al. 2014; IMM, Tang et al.
 * 2015), drawn in parallel by the engine's folder (the only one with threads).
 *
 * RR set i: a root agent drawn uniformly, then every agent from which the root
 * can be reached along live arcs in at most `hops` hops, an arc u -> v live
 * with probability min(1, share × weight). Its root and every arc's coin are
 * keyed draws, wg_rng(seed, i, phase, purpose, root or arc), so the sets are a
 * pure function of (graph, share, hops, seed, phase, i): the same on any
 * number of threads, and a phase draws sets independent of another's.
 * The chance that a seed set S meets RR set i is the chance that S reaches its
 * root: n × (share of RR sets S meets) estimates the expected spread of S.
 */
#ifndef WAGGLE_RRSET_H
#define WAGGLE_RRSET_H

#include "waggle/common.h"
#include "waggle/graph.h"

/* A collection of RR sets in CSR form: set j holds node[off[j] .. off[j+1]). */
typedef struct wg_rrsets {
    uint64_t n;          /* sets */
    uint64_t *off;       /* n + 1 offsets */
    uint32_t *node;      /* off[n] agents */
    uint64_t cap_sets, cap_nodes;
} wg_rrsets;

void wg_rrsets_free(wg_rrsets *r);   /* and zero it; harmless on a zeroed one */
void wg_rrsets_clear(wg_rrsets *r);  /* no sets, memory kept */

/* The cascade RR sets are drawn from. */
typedef struct wg_rr_model {
    const wg_graph *g;   /* its transpose is built when missing (directed graphs) */
    double share;        /* per-arc probability before the weight */
    uint32_t hops;       /* longest live path counted (0: only the root) */
    uint64_t seed;
    uint32_t phase;      /* keeps the draws of separate phases apart */
} wg_rr_model;

/* Append RR sets first .. first + count - 1 to r, on `threads` threads
 * (0: OpenMP's default). WG_ENOMEM. O(total size of the sets + arcs they scan). */
wg_status wg_rrsets_sample(const wg_rr_model *m, uint64_t first, uint64_t count, int threads,
                           wg_rrsets *r, wg_diag *d);

#endif
