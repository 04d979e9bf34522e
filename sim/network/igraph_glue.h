/*
 * igraph_glue.h — private glue between igraph and waggle's graph builders
 * (generate.c, import.c), the only files that include igraph.h. Not installed.
 *
 * igraph is made to report errors instead of aborting, and an igraph_t is
 * converted into waggle's CSR, after which the caller destroys it.
 */
#ifndef WAGGLE_GRAPH_IGRAPH_H
#define WAGGLE_GRAPH_IGRAPH_H

#include <igraph.h>

#include "waggle/graph.h"

/* Install waggle's igraph error and warning handlers and the C attribute
 * handler. Idempotent; call before any igraph function. */
void wg_igraph_setup(void);
/* The reason igraph gave for its last error ("" if none), and the waggle
 * status for an igraph error code. */
const char *wg_igraph_reason(void);
wg_status wg_igraph_status(igraph_error_t e);
/* Convert ig into a new CSR graph (directed as ig is, or undirected when
 * force_undirected) with weights[] per igraph edge when not NULL.
 * Self-loops and duplicates are dropped and counted. */
wg_status wg_igraph_convert(const igraph_t *ig, const igraph_vector_t *weights, int force_undirected,
                            wg_graph **out, uint64_t *loops, uint64_t *dups, wg_diag *d);

#endif
