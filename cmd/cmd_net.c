/*
 * cmd_net.c — `waggle net`: describe a network (a file, or a scenario's).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waggle/graph.h"
#include "waggle/output.h"
#include "waggle/scenario.h"

const char wg_net_usage[] =
    "usage: waggle net NETWORK [--format F] [--directed] [--save G.wgraph [--memory SIZE]]\n"
    "\n"
    "Describe a network: nodes, edges, degrees (mean, maximum, second moment,\n"
    "quantiles), clustering, connected components, and the epidemic threshold\n"
    "estimate <k>/(<k^2>-<k>) of bond percolation on a network with these degrees.\n"
    "NETWORK is a network file (edgelist, csv, graphml, gml, pajek; .gz allowed; or\n"
    "wgraph, waggle's binary file) or a scenario (.yaml), whose network is generated\n"
    "or read. --save writes the network as a .wgraph file, which a scenario's\n"
    "network: {file: G.wgraph} then maps in seconds, with the same results.\n"
    "With --memory, an edge list or CSV file too large for this machine's memory\n"
    "is saved without holding its arcs: they pass through scratch files beside\n"
    "G.wgraph (about twice the arcs' bytes of disk, removed at the end), and the\n"
    "rows are sorted SIZE bytes of arcs at a time (4 bytes an arc, 8 weighted).\n"
    "The file is the same, byte for byte; the statistics are then those of the\n"
    "degrees (clustering and components need the whole network).\n"
    "\n"
    "options:\n"
    "  --format F         edgelist, csv, graphml, gml, pajek or wgraph (default: from the name)\n"
    "  --directed         read an edge list, CSV or Pajek file as directed (GraphML, GML say it)\n"
    "  --save FILE        also write the network to FILE (.wgraph: the CSR, ids, a checksum)\n"
    "  --memory SIZE      with --save: the arcs held at once, e.g. 4G, 500M (K, M, G, T: 1024s)\n"
    "  -q, --quiet        no progress bar (--memory)\n"
    "  --progress         on a non-terminal (a batch job's log), a progress line every\n"
    "                     10 seconds (--memory)\n"
    "  --set KEY=VALUE    override a key of a scenario (e.g. --set network.nodes=5000)\n"
    "\n"
    "exit status: 0 done, 1 runtime failure (memory), 2 bad input\n";


typedef struct net_opts {
    const char *format;
    int directed;
    const char *save;
    const char *memory;
} net_opts;

enum { OPT_FORMAT = 1, OPT_DIRECTED, OPT_SAVE, OPT_MEMORY };
static const wg_cmd_option net_options[] = {{"format", 0, 1, OPT_FORMAT},
                                            {"directed", 0, 0, OPT_DIRECTED},
                                            {"save", 0, 1, OPT_SAVE},
                                            {"memory", 0, 1, OPT_MEMORY},
                                            {NULL, 0, 0, 0}};

static void net_option(void *ud, int id, const char *arg, wg_diag *d)
{
    (void)d;
    net_opts *n = ud;
    if (id == OPT_FORMAT) n->format = arg;
    else if (id == OPT_DIRECTED) n->directed = 1;
    else if (id == OPT_SAVE) n->save = arg;
    else if (id == OPT_MEMORY) n->memory = arg;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Write g to path atomically (a temporary name beside it, then renamed). */
static wg_status save_wgraph(const wg_graph *g, const char *path, wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, NULL, path, d);
    if (st != WG_OK) return st;
    if ((st = wg_wgraph_write(g, o.f, path, d)) != WG_OK) {
        wg_out_abort(&o);
        return st;
    }
    return wg_out_commit(&o, d);
}

/* SIZE of --memory: a number of bytes, or with K, M, G or T (powers of
 * 1024, "B" or "iB" may follow); 0 when it is not one, or below 1 MiB. */
static uint64_t parse_bytes(const char *s)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || errno || !(x > 0)) return 0;
    static const char units[] = "KMGT";
    const char *u = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
    if (*end && !u) return 0;
    if (u) {
        for (const char *p = units; p <= u; p++) x *= 1024;
        end++;
        if (!strcmp(end, "B") || !strcmp(end, "iB") || !strcmp(end, "b")) end += strlen(end);
    }
    if (*end || x < 1048576.0 || x > 1e18) return 0;
    return (uint64_t)x;
}

/* The folder of path, for the scratch files: a fresh string ("." for a bare name). */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return wg_strdup(".");
    if (slash == path) return wg_strdup("/");
    char *dir = wg_malloc((size_t)(slash - path) + 1, 1);
    if (dir) {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = 0;
    }
    return dir;
}

/* The bars of save_streamed: the file's MiB read, then the stretches sorted. */
typedef struct save_bars {
    wg_progress bar[2];
    int phase;
    const wg_cmd_opts *opts;
} save_bars;

static void save_progress(void *ud, int phase, uint64_t done, uint64_t total)
{
    save_bars *b = ud;
    if (phase != b->phase) {   /* the next bar, timed from now */
        wg_progress_end(&b->bar[b->phase]);
        b->phase = phase;
        wg_progress_init(&b->bar[phase], phase ? "stretches" : "MiB read", b->opts);
    }
    wg_progress_update(&b->bar[phase], done, total);
}

/* --save with --memory: the file through scratch files; *g receives its
 * row offsets alone, for the statistics of its degrees. */
static wg_status save_streamed(const wg_netspec *spec, uint64_t budget, const char *path, const wg_cmd_opts *co,
                               wg_graph **g, wg_diag *d)
{
    save_bars bars;
    wg_cmd_signals();   /* SIGINT, SIGTERM: stopped between lines, nothing left behind */
    bars.phase = 0;
    bars.opts = co;
    wg_progress_init(&bars.bar[0], "MiB read", co);
    char *dir = folder_of(path);
    if (!dir) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: the name of %s", path);
        return WG_ENOMEM;
    }
    wg_out o;
    wg_import_saved saved;
    wg_status st = wg_out_open(&o, NULL, path, d);
    if (st == WG_OK &&
        (st = wg_import_save(spec, budget, dir, o.f, path, &saved, g, save_progress, &bars, d)) != WG_OK)
        wg_out_abort(&o);
    else if (st == WG_OK)
        st = wg_out_commit(&o, d);
    wg_progress_end(&bars.bar[bars.phase]);
    free(dir);
    if (st != WG_OK) return st;
    wg_diag_note(d, "%s: %u agents and %llu arcs, sorted in %u stretch%s of rows", path, saved.nodes,
                 (unsigned long long)saved.arcs, saved.buckets, saved.buckets > 1 ? "es" : "");
    return WG_OK;
}

int wg_cmd_net(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts o;
    net_opts no = {NULL, 0, NULL, NULL};
    wg_scenario *s = NULL;
    wg_graph *g = NULL;
    wg_netspec spec;
    uint32_t *deg = NULL;
    memset(&spec, 0, sizeof spec);
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_SET | WG_OPT_QUIET | WG_OPT_PROGRESS, net_options, net_option, &no, 1, 1,
                                "network file", &o, &d);
    if (st != WG_OK) goto done;
    uint64_t budget = 0;
    if (no.memory && (!no.save || !(budget = parse_bytes(no.memory)))) {
        wg_diag_error(&d, st = WG_EINPUT, no.save ? "--memory %s: expected a size of at least 1M, "
                      "e.g. 4G or 500M" : "--memory %s goes with --save G.wgraph", no.memory);
        goto done;
    }
    if (ends_with(o.scenario, ".yaml") || ends_with(o.scenario, ".yml")) {
        if (no.memory) {
            wg_diag_error(&d, st = WG_EINPUT, "--memory saves a network file, not a scenario's network: "
                          "give the file itself");
            goto done;
        }
        if ((st = wg_scenario_load(o.scenario, o.sets, o.nsets, &s, &d)) != WG_OK) goto done;
        st = wg_graph_build(&s->net, s->seed, &g, &d);
    } else {
        spec.kind = WG_NET_FILE;
        spec.directed = no.directed;
        spec.directed_set = no.directed;
        spec.format = WG_FMT_GUESS;
        if (no.format) {
            static const char *const names[] = {"", "edgelist", "csv", "graphml", "gml", "pajek", "wgraph"};
            int k = 0;
            for (int i = 1; i < 7; i++)
                if (strcmp(no.format, names[i]) == 0) k = i;
            if (!k) {
                wg_diag_error(&d, st = WG_EINPUT, "--format %s: expected edgelist, csv, graphml, "
                              "gml, pajek or wgraph", no.format);
                goto done;
            }
            spec.format = (wg_net_format)k;
        }
        if (!(spec.file = wg_strdup(o.scenario))) {
            wg_diag_error(&d, st = WG_ENOMEM, "out of memory: the network file's name");
            goto done;
        }
        st = budget ? save_streamed(&spec, budget, no.save, &o, &g, &d) : wg_graph_build(&spec, 1, &g, &d);
    }
    if (st == WG_ENOMEM && no.save && !budget)
        wg_diag_note(&d, "an edge list or CSV file larger than this machine's memory is saved with "
                         "--save %s --memory SIZE (its arcs through scratch files on disk)", no.save);
    if (st != WG_OK) goto done;
    if (no.save && !budget && (st = save_wgraph(g, no.save, &d)) != WG_OK) goto done;
    wg_graph_stats gs;
    int sampled = 0;
    if (budget) wg_graph_stats_degrees(g, &gs);
    else if ((st = wg_graph_stats_compute(g, &gs, &sampled, &d)) != WG_OK) goto done;
    if (!(deg = wg_malloc(g->n ? g->n : 1, sizeof *deg))) {
        wg_diag_error(&d, st = WG_ENOMEM, "out of memory: degrees of %u agents", g->n);
        goto done;
    }
    for (uint32_t a = 0; a < g->n; a++) deg[a] = wg_graph_out_degree(g, a);
    qsort(deg, g->n, sizeof *deg, cmp_u32);
#define Q(p) (g->n ? deg[(size_t)((p) * (g->n - 1))] : 0)
    printf("network            %s\n", o.scenario);
    printf("nodes              %u\n", gs.nodes);
    printf("edges              %llu (%s)\n", (unsigned long long)gs.edges,
           gs.directed ? "directed" : "undirected");
    printf("degree mean        %.4f\n", gs.degree_mean);
    printf("degree max         %u\n", gs.degree_max);
    printf("degree <k^2>       %.4f\n", gs.degree_m2);
    printf("degree quantiles   min %u  p25 %u  p50 %u  p75 %u  p90 %u  p99 %u\n", Q(0.0),
           Q(0.25), Q(0.5), Q(0.75), Q(0.9), Q(0.99));
    if (gs.degrees_only) {
        printf("clustering         not computed (--memory: the network is not held whole)\n");
        printf("components         not computed (--memory)\n");
    } else {
        printf("clustering         %.4f global, %.4f mean local%s\n", gs.clustering,
               gs.clustering_local, sampled ? " (estimated from sampled wedges)" : "");
        printf("components         %u (largest %u agents, %.1f %%)\n", gs.components, gs.largest,
               gs.nodes ? 100.0 * gs.largest / gs.nodes : 0.0);
    }
    printf("threshold          %.4g (transmissibility above which a word-of-mouth cascade\n"
           "                   can reach a finite share of the network)\n", gs.threshold);
#undef Q
done:
    free(deg);
    wg_netspec_clear(&spec);
    wg_graph_free(g);
    wg_scenario_free(s);
    wg_cmd_opts_free(&o);
    return wg_cmd_report(&d, st);
}

