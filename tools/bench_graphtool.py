#!/usr/bin/python3
"""bench_graphtool.py — the peer's side of `make bench-peers`: graph-tool's
discrete-time SIRState on the very graph waggle ran, with the same setting.

usage: bench_graphtool.py EDGES THREADS RUNS [SEEDS]
EDGES is an edge list "u v" a line (undirected, ids from 0), as written by
bench_engine with WG_BENCH_EDGES, or a SNAP edge list (.gz allowed).
Each run: SEEDS (default 10) random infected agents, beta 0.05 (waggle's
share), gamma 0.2 (waggle's quit), iterate_sync until nobody is infected.
graph-tool's rule matches waggle's SIR-like setting: an infectious agent
infects each susceptible neighbour with probability beta in a step and
recovers at the end of it with probability gamma. Prints the time per run
(the graph load excluded) and the mean and sd of the final size. Graph-tool
lives only here, never in waggle's library.
"""
import gzip
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
import graph_tool.all as gt  # noqa: E402

BETA, GAMMA = 0.05, 0.2


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        ids = np.array(f.read().split(), dtype=np.int64)
    edges = ids.reshape(-1, 2)
    # SNAP files may use any ids: map them to 0..n-1 in order of first appearance
    uniq, inv = np.unique(edges, return_inverse=True)
    edges = inv.reshape(-1, 2)
    g = gt.Graph(directed=False)
    g.add_vertex(len(uniq))
    g.add_edge_list(edges)
    return g


def main():
    path, threads, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seeds = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    gt.openmp_set_num_threads(threads)
    t0 = time.perf_counter()
    g = load(path)
    t_load = time.perf_counter() - t0
    n = g.num_vertices()
    rng = np.random.default_rng(12345)
    finals, steps = [], []
    t_run = 0.0
    for r in range(runs):
        gt.seed_rng(1000 + r)
        s = g.new_vertex_property("int32_t")
        s.a[rng.choice(n, size=seeds, replace=False)] = 1
        t0 = time.perf_counter()
        state = gt.SIRState(g, beta=BETA, gamma=GAMMA, s=s)
        k = 0
        a = state.get_state().a
        while (a == 1).any():
            state.iterate_sync()
            k += 1
        t_run += time.perf_counter() - t0
        finals.append(int((a == 2).sum()))
        steps.append(k)
    finals = np.array(finals, dtype=float)
    print("graph-tool %s  agents %d  edges %d  runs %d  threads %d  load %.2f s"
          % (gt.__version__, n, g.num_edges(), runs, threads, t_load))
    print("steps until quiet: mean %.1f   final size: mean %.1f sd %.1f (%.1f %%)"
          % (np.mean(steps), finals.mean(), finals.std(ddof=1) if runs > 1 else 0.0,
             100 * finals.mean() / n))
    print("wall %.3f s  = %.4f s per run" % (t_run, t_run / runs))


if __name__ == "__main__":
    main()
