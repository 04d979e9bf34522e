/*
 * fuzz_import.h — the body shared by the importer harnesses: the fuzz
 * input is written to a temporary file (the importer reads files) and read
 * as an edge list or CSV. The first byte chooses how the rest is stored:
 * 0 plain, 1 gzip-compressed (the parser behind zlib), 2 as a ".gz" file
 * as it is (corrupt gzip data), and its next bits choose the options
 * (directed, weight column, duplicates and self-loops as errors).
 * Invariant checked: a graph on success obeys graph.h's invariants.
 */
#ifndef WAGGLE_FUZZ_IMPORT_H
#define WAGGLE_FUZZ_IMPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "waggle/graph.h"

static void fuzz_check_graph(const wg_graph *g)
{
    if (g->out_off[0] != 0 || g->out_off[g->n] != g->m) abort();
    for (uint32_t a = 0; a < g->n; a++)
        for (uint64_t k = g->out_off[a]; k < g->out_off[a + 1]; k++) {
            if (g->out_adj[k] >= g->n || g->out_adj[k] == a) abort();
            if (k > g->out_off[a] && g->out_adj[k] <= g->out_adj[k - 1]) abort();
        }
}

static int fuzz_import(const uint8_t *data, size_t size, wg_net_format format)
{
    if (size < 1) return 0;
    uint8_t mode = data[0];
    data++, size--;
    int gz = (mode & 3) == 1, raw_gz = (mode & 3) == 2;
    char path[64];
    snprintf(path, sizeof path, "/tmp/wg-fuzz-%ld.%s%s", (long)getpid(),
             format == WG_FMT_CSV ? "csv" : "txt", gz || raw_gz ? ".gz" : "");
    if (gz) {
        gzFile f = gzopen(path, "wb");
        if (!f) return 0;
        if (size) gzwrite(f, data, (unsigned)size);
        gzclose(f);
    } else {
        FILE *f = fopen(path, "wb");
        if (!f) return 0;
        if (size) fwrite(data, 1, size, f);
        fclose(f);
    }
    wg_netspec spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = WG_NET_FILE;
    spec.file = path;
    spec.format = format;
    spec.directed = (mode >> 2) & 1;
    char weight[2] = {(char)('1' + ((mode >> 3) & 3)), '\0'};   /* column 1 .. 4 */
    spec.weight = (mode >> 5) & 1 ? weight : NULL;
    spec.duplicates_error = (mode >> 6) & 1;
    spec.self_loops_error = (mode >> 7) & 1;
    wg_diag d;
    wg_graph *g = NULL;
    wg_diag_init(&d);
    wg_status st = wg_import(&spec, &g, &d);
    if ((st == WG_OK) != (g != NULL) || (st == WG_OK) != (d.errors == 0)) abort();
    if (g) fuzz_check_graph(g);
    wg_graph_free(g);
    wg_diag_free(&d);
    unlink(path);
    return 0;
}

#endif
