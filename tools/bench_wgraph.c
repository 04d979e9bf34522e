/*
 * bench_wgraph.c — figures of waggle's binary network file for `make bench`:
 * a Barabási–Albert graph generated, saved as .wgraph (time, size), then
 * mapped twice (the first from whatever the page cache holds after the
 * write, the second warm): the time of the map with its checks (checksum and
 * invariants: one read of the file) and, for comparison, the time of the
 * same read without them (a plain sum of the words). It checks nothing.
 *
 * usage: bench_wgraph NODES M PATH   (PATH is written, then removed)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "waggle/graph.h"

#include "bench_util.h"

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_wgraph NODES M PATH\n");
        return 2;
    }
    wg_netspec spec;
    bench_ba_spec(&spec, argv[1], argv[2]);
    const char *path = argv[3];
    wg_diag d;
    wg_diag_init(&d);
    wg_graph *g = NULL;
    double t0 = wg_now_seconds();
    if (wg_graph_build(&spec, 1, &g, &d) != WG_OK) {
        wg_diag_print(&d, stderr);
        return 1;
    }
    double t_gen = wg_now_seconds() - t0;
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return 1;
    }
    t0 = wg_now_seconds();
    if (wg_wgraph_write(g, f, path, &d) != WG_OK || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        wg_diag_print(&d, stderr);
        return 1;
    }
    fclose(f);
    double t_save = wg_now_seconds() - t0;
    long long size = 0;
    f = fopen(path, "rb");
    if (f && fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (f) fclose(f);
    printf("BA n %s m %s: %llu arcs; generated in %.2f s; saved (with fsync) in %.2f s: %.1f MB, %.2f bytes per arc\n",
           argv[1], argv[2], (unsigned long long)g->m, t_gen, t_save, size / 1e6, size / (double)g->m);
    wg_graph_free(g);
    for (int k = 0; k < 2; k++) {
        wg_graph *h = NULL;
        t0 = wg_now_seconds();
        if (wg_wgraph_map(path, 0, 0, &h, &d) != WG_OK) {
            wg_diag_print(&d, stderr);
            return 1;
        }
        double t_map = wg_now_seconds() - t0;
        t0 = wg_now_seconds();
        uint64_t s = 0;
        for (uint64_t j = 0; j < h->m; j++) s += h->out_adj[j];
        for (uint32_t a = 0; a <= h->n; a++) s += h->out_off[a];
        double t_read = wg_now_seconds() - t0;
        printf("map %d: %.2f s with the checksum and invariants (%.2f GB/s); a plain read of the mapped arrays "
               "afterwards %.2f s (sum %llu)\n",
               k + 1, t_map, size / t_map / 1e9, t_read, (unsigned long long)(s & 0xffff));
        wg_graph_free(h);
    }
    unlink(path);
    wg_diag_free(&d);
    return 0;
}
