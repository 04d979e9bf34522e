/*
 * igraph_glue.h — the private interface of igraph.c, the only file of waggle
 * that includes igraph.h. Not installed; no igraph type appears here, so the
 * graph builders (generate.c, import.c) stay plain C.
 *
 * Each function is one session with igraph: it saves igraph's process-wide
 * state (error, warning, progress, status and interruption handlers, the
 * attribute handler, the default random generator), installs waggle's,
 * builds the graph, converts it into waggle's CSR, destroys every igraph
 * object and restores the caller's state before it returns, on every path.
 * A process that also holds python-igraph or R's igraph keeps its handlers
 * and its random stream. Sessions are serialised by a mutex (igraph 0.10 is
 * built without thread-local state).
 */
#ifndef WAGGLE_IGRAPH_GLUE_H
#define WAGGLE_IGRAPH_GLUE_H

#include <stdio.h>

#include "waggle/graph.h"

/* A generated graph of spec->kind, for every generated kind that igraph
 * makes (all but barabasi-albert), from igraph's generator of type PCG32
 * seeded with seed: a private generator, made for the call, so the graph is
 * a pure function of (spec, seed) whatever the caller's default generator.
 * degrees: the degree sequence of the configuration model (ndegrees entries,
 * even sum, each below ndegrees), NULL for other kinds. */
wg_status wg_igraph_generate(const wg_netspec *spec, uint64_t seed, const uint32_t *degrees,
                             uint64_t ndegrees, wg_graph **out, wg_diag *d);

/* Read a GraphML, GML or Pajek file (fmt) from f into a new graph: directed
 * as spec->directed says (an undirected file read as directed keeps both
 * arcs of each edge), weighted by the numeric edge attribute spec->weight
 * when set, node attributes copied as strings into g->attr_* (messages name
 * spec->file). Self-loops and duplicates are dropped and counted into
 * *loops and *dups; reporting them is the caller's. */
wg_status wg_igraph_read(const wg_netspec *spec, wg_net_format fmt, FILE *f, wg_graph **out,
                         uint64_t *loops, uint64_t *dups, wg_diag *d);

#endif
