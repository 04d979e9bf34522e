/*
 * build.c — wg_graph_build: a spec to the builder of its kind, import.c for
 * a network file, generate.c for every generated kind. The files of the
 * network folder call each other one way only:
 *     build -> generate, import;  generate, import -> igraph -> graph, netspec;
 *     netstats -> graph;  graph and netspec call no other file of the folder.
 */
#include "waggle/graph.h"

wg_status wg_graph_build(const wg_netspec *spec, uint64_t seed, wg_graph **out, wg_diag *d)
{
    *out = NULL;
    if (spec->kind == WG_NET_FILE) return wg_import(spec, out, d);
    return wg_generate(spec, seed, out, d);
}
