/*
 * waggle/graph.h — the network: compressed sparse rows with uint32 agent ids.
 *
 * Invariants of a wg_graph g:
 *   - agents are 0 .. g->n - 1, g->n <= WG_MAX_AGENTS;
 *   - the out-neighbours of a are out_adj[out_off[a] .. out_off[a+1]-1], sorted
 *     ascending, no self-loop, no duplicate (importers and generators enforce
 *     it); out_off[n] == m;
 *   - an undirected graph stores each edge as two arcs (a->b and b->a), so
 *     m == 2 × edges and in-neighbours == out-neighbours;
 *   - out_w is NULL (every weight 1) or holds one positive weight per arc;
 *   - out_neg is NULL or holds 0 or 1 per arc, the same for both arcs of an
 *     undirected edge (and for an arc and its place in the transpose);
 *   - in_off/in_adj/in_w (the transpose) are NULL until wg_graph_transpose is
 *     called; for an undirected graph they alias the out-arrays.
 * wg_graph_valid checks all of them. The builders (generate.c, import.c) reach
 * igraph only through sim/network/igraph.c, the one file that includes
 * igraph.h; the rest of waggle, and every caller, sees this struct only.
 *
 * Defining files: graph.c (the CSR), netstats.c (statistics and rankings),
 * netspec.c (specs), build.c (wg_graph_build), generate.c, import.c.
 */
#ifndef WAGGLE_GRAPH_H
#define WAGGLE_GRAPH_H

#include "waggle/common.h"

/* The largest number of agents: ids 0 .. 2^32 - 2 (UINT32_MAX is "no agent"). */
#define WG_MAX_AGENTS 4294967295u
#define WG_NO_AGENT UINT32_MAX
/* The largest id an input file may use (DESIGN: ids beyond 2^32 − 2 are errors). */
#define WG_MAX_ID 4294967294ull

typedef struct wg_graph {
    uint32_t n;          /* agents */
    uint64_t m;          /* arcs stored */
    int directed;        /* 0: undirected (two arcs per edge) */
    uint64_t *out_off;   /* n + 1 offsets into out_adj */
    uint32_t *out_adj;   /* m targets */
    float *out_w;        /* m weights, or NULL */
    uint64_t *in_off;    /* transpose, or NULL (see invariants) */
    uint32_t *in_adj;
    float *in_w;
    uint8_t *out_neg;    /* m flags: 1 for a distrust tie (a negative sign or weight read with
                            negative_ties: flip), or NULL (every tie trusted) */
    uint8_t *in_neg;     /* the transpose's flags (aliases out_neg when undirected) */
    uint64_t *label;     /* original id of each agent in its file, or NULL (identity);
                            WG_TEXT_ID for an agent whose id is text (see name) */
    /* Text ids (import.c): name[a] is agent a's id as its file wrote it when
     * that id is not a non-negative integer, NULL for an integer id; name is
     * NULL when every id is an integer. The strings live in name_text. */
    char **name;
    char *name_text;
    /* Node attributes read from GraphML/GML (string values), for segments:
     * attr_names[i] names column i, attr_values[i][a] is agent a's value (may be NULL). */
    size_t nattrs;
    char **attr_names;
    char ***attr_values;
    /* A graph mapped from a .wgraph file: out_off, out_adj, out_w and label
     * point into this read-only mapping, which wg_graph_free unmaps. */
    void *map;
    size_t map_len;
} wg_graph;

/* label[a] of an agent whose id is text (never an integer id: > WG_MAX_ID). */
#define WG_TEXT_ID UINT64_MAX
/* The longest text id, bytes (longer ids in a file are an error). */
#define WG_ID_TEXT_MAX 255
/* Room for any agent's id written by wg_graph_id, with its NUL. */
#define WG_ID_BUF (WG_ID_TEXT_MAX + 1)

/* ---- graph.c: the CSR ------------------------------------------------------ */

/* Allocate an empty graph with n agents and room for m arcs (offsets zeroed,
 * weights only if weighted). Returns NULL when memory runs out. */
wg_graph *wg_graph_alloc(uint32_t n, uint64_t m, int directed, int weighted);
/* Free g and everything it owns; NULL is a harmless no-op. */
void wg_graph_free(wg_graph *g);

/* Build the graph from an edge list of arcs (src[i] -> dst[i], optional w[i]).
 * For an undirected graph each pair is one edge and is stored both ways.
 * Self-loops and duplicates are dropped and counted in *self_loops / *dups
 * (either pointer may be NULL). O(n + e) time with a counting sort. */
wg_status wg_graph_from_edges(uint32_t n, uint64_t e, const uint32_t *src, const uint32_t *dst,
                              const float *w, int directed, wg_graph **out,
                              uint64_t *self_loops, uint64_t *dups, wg_diag *d);

/* The stripes first, first + stride, first + 2 stride, ... of g, stripe k
 * being agents k stripe .. (k + 1) stripe - 1, for a partitioned run
 * (waggle/engine.h, wg_engine_partition; first < stride): a graph of all
 * g->n agents whose rows outside those stripes are empty; row a of a stripe
 * is g's, and within a stripe the arcs keep their order, arc k of the block
 * being arc k - out_off[k0] + g->out_off[k0] of g for the stripe's first
 * agent k0 (its weight and distrust flag with it). The integer ids (label)
 * are copied; text ids (name) and node attributes are not. with_in: the
 * stripes' in-rows too, from g's transpose (directed; an undirected block's
 * in-arrays alias its out-arrays when g has them). An undirected block is
 * not wg_graph_valid (the other arc of an edge to another stripe is
 * missing): only the engine reads it. From a mapped graph (.wgraph), the
 * pages copied leave the process as they are copied (the offsets' too), so
 * that the block and the whole file are never resident together; g stays
 * readable. O(n + arcs of the block). */
wg_status wg_graph_stripes(const wg_graph *g, uint32_t stripe, uint32_t stride, uint32_t first,
                           int with_in, wg_graph **out, wg_diag *d);

/* Build (once) the transpose arrays in_off/in_adj/in_w. O(n + m). */
wg_status wg_graph_transpose(wg_graph *g, wg_diag *d);

/* 1 when g keeps every invariant above (rows sorted, no self-loop or
 * duplicate, offsets consistent, weights positive, both arcs of an undirected
 * edge with one weight, the in-arrays the transpose or aliases), else 0;
 * NULL is 0. O(n + m log(max degree)); the builders assert it in `make asan`. */
int wg_graph_valid(const wg_graph *g);

/* Agent a's id as its file gave it: the text id, or the integer id (the
 * agent number when g has no labels) written in decimal into buf, which
 * holds WG_ID_BUF bytes. Returns the text (buf or g's own string). */
const char *wg_graph_id(const wg_graph *g, uint32_t a, char *buf);

/* The agent whose id is text (a text id, or an integer written in decimal
 * as wg_graph_id writes it) into *agent: 1 when found, else 0. O(n) a call:
 * for a few ids (picks build an index of their own). */
int wg_graph_find_id(const wg_graph *g, const char *text, uint32_t *agent);

static inline uint32_t wg_graph_out_degree(const wg_graph *g, uint32_t a)
{
    return (uint32_t)(g->out_off[a + 1] - g->out_off[a]);
}

/* Position of b in the sorted row [lo, hi) of adj (out_adj or in_adj), or hi
 * when absent. O(log(hi - lo)). */
static inline uint64_t wg_graph_row_find(const uint32_t *adj, uint64_t lo, uint64_t hi,
                                         uint32_t b)
{
    const uint64_t end = hi;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (adj[mid] < b) lo = mid + 1;
        else hi = mid;
    }
    return lo < end && adj[lo] == b ? lo : end;
}

/* Position of arc a -> b in g's out-arrays, or out_off[a + 1] when g has no
 * such arc. O(log(degree of a)). */
static inline uint64_t wg_graph_arc(const wg_graph *g, uint32_t a, uint32_t b)
{
    return wg_graph_row_find(g->out_adj, g->out_off[a], g->out_off[a + 1], b);
}

/* The version of the igraph library waggle runs on (igraph.c), for manifests. */
const char *wg_igraph_version(void);

/* Layouts of a network for its pictures (igraph.c; `waggle draw`). */
typedef enum wg_layout_kind {
    WG_LAYOUT_FR = 0,   /* Fruchterman–Reingold (force-directed; small networks) */
    WG_LAYOUT_KK,       /* Kamada–Kawai (spring distances; small networks) */
    WG_LAYOUT_DRL,      /* DrL (VxOrd's multilevel force-directed; thousands of agents and up) */
    WG_NLAYOUTS
} wg_layout_kind;
extern const char *const wg_layout_names[WG_NLAYOUTS + 1];   /* "fr", "kk", "drl" */
/* Positions of the agents keep[0..nkeep) of g (keep NULL: all n agents, in
 * order) laid out by igraph's layout `kind` on the subgraph they induce, as
 * undirected, from igraph's PCG32 generator seeded with seed (a pure function
 * of graph, kind and seed). x[i], y[i] of keep[i] are scaled into [0, 1]
 * with the aspect kept. Time: FR and KK O(n^2) per iteration, DrL about
 * O(n log n). WG_ENOMEM, WG_EINPUT (igraph failed: its reason). */
wg_status wg_igraph_layout(const wg_graph *g, const uint32_t *keep, uint32_t nkeep,
                           wg_layout_kind kind, uint64_t seed, double *x, double *y, wg_diag *d);

/* ---- netstats.c: what is computed on a graph -------------------------------- */

/* Statistics shown by `waggle net` and written to the manifest. */
typedef struct wg_graph_stats {
    uint32_t nodes;
    uint64_t edges;           /* undirected: m / 2; directed: m */
    int directed;
    double degree_mean;       /* out-degree */
    uint32_t degree_max;
    double degree_m2;         /* mean of out-degree squared */
    double clustering;        /* global transitivity (undirected view), 3 × triangles / connected triples */
    double clustering_local;  /* mean local clustering over agents of degree >= 2 */
    uint32_t components;      /* weakly connected components */
    uint32_t largest;         /* agents in the largest weak component */
    double threshold;         /* bond-percolation threshold <k>/(<k^2>-<k>) (undirected) */
    double build_seconds;     /* wall time to build or read the network (the manifest's
                                 network.build_seconds); negative when not measured (a lent graph) */
    int degrees_only;         /* 1: only nodes, edges and the degree statistics (and threshold)
                                 are set (wg_graph_stats_degrees) */
} wg_graph_stats;

/* The statistics that the row offsets alone give: nodes, edges, direction,
 * the degrees' mean, maximum and second moment, and the threshold; the rest
 * zero, degrees_only 1. Reads 8 bytes an agent and no arc, so that a
 * partitioned run's ranks never touch the whole network for its manifest. O(n). */
void wg_graph_stats_degrees(const wg_graph *g, wg_graph_stats *st);

/* Compute the statistics. Clustering is exact and costs O(sum of d^2); when
 * that exceeds a budget it is estimated from sampled wedges with a fixed seed
 * (reported in *sampled when not NULL). */
wg_status wg_graph_stats_compute(const wg_graph *g, wg_graph_stats *st, int *sampled, wg_diag *d);

/* Rankings used to pick agents (seeds, segments, respond):
 * PageRank (damping 0.85, power iteration to 1e-10) into pr[n];
 * k-core number of every agent (undirected view) into core[n]. */
wg_status wg_graph_pagerank(const wg_graph *g, double *pr, wg_diag *d);
wg_status wg_graph_kcore(const wg_graph *g, uint32_t *core, wg_diag *d);

/* ---- netspec.c: network specifications --------------------------------------
 * What a scenario's `network:` says, as plain data.
 */
typedef enum wg_net_kind {
    WG_NET_FILE,
    WG_NET_ERDOS_RENYI,      /* nodes, mean_degree */
    WG_NET_BARABASI_ALBERT,  /* nodes, edges_per_node */
    WG_NET_WATTS_STROGATZ,   /* nodes, neighbours (each side), rewire */
    WG_NET_CONFIGURATION,    /* nodes, degrees */
    WG_NET_SBM,              /* sizes, p */
    WG_NET_COMPLETE,         /* nodes */
    WG_NET_STAR,             /* nodes (directed: hub -> leaves) */
    WG_NET_RING,             /* nodes */
    WG_NET_PATH,             /* nodes (directed: 0 -> 1 -> ...) */
    WG_NET_LATTICE,          /* dims, periodic */
    WG_NET_FAMOUS            /* famous */
} wg_net_kind;

typedef enum wg_degree_kind {
    WG_DEG_POISSON,    /* deg_mean */
    WG_DEG_POWER_LAW,  /* p_k ∝ k^-deg_exponent e^(-k/deg_cutoff), k >= deg_min (cutoff 0: none) */
    WG_DEG_FILE        /* deg_file: one degree a line */
} wg_degree_kind;

typedef enum wg_net_format {
    WG_FMT_GUESS, WG_FMT_EDGELIST, WG_FMT_CSV, WG_FMT_GRAPHML, WG_FMT_GML, WG_FMT_PAJEK,
    WG_FMT_WGRAPH   /* waggle's binary CSR (wgraph.c), guessed from the name ".wgraph" */
} wg_net_format;

typedef struct wg_netspec {
    wg_net_kind kind;
    int directed;             /* generators that allow it, and files */
    uint64_t nodes;
    double mean_degree;
    uint32_t edges_per_node;
    uint32_t neighbours;
    double rewire;
    wg_degree_kind deg_kind;
    double deg_mean, deg_exponent, deg_cutoff;
    uint32_t deg_min;
    char *deg_file;           /* path, already resolved against the scenario's folder */
    size_t nblocks;
    uint64_t *sizes;          /* nblocks */
    double *p;                /* nblocks × nblocks, row-major */
    uint32_t dims[2];
    int periodic;
    char *famous;
    /* file */
    char *file;               /* path, already resolved against the scenario's folder */
    wg_net_format format;
    char *weight;             /* column (csv: name or 1-based number; edgelist: 3 means third) or attribute; NULL: unweighted */
    int self_loops_error;     /* 0 drop (reported as a note), 1 error */
    int duplicates_error;     /* 0 drop (reported as a note), 1 error */
    int directed_set;         /* 1: the scenario said directed: (a file's own word must agree) */
    int header;               /* wg_net_header: is the first line of an edge list or CSV a header */
    char *sign;               /* column of each tie's sign (as weight is named), or NULL */
    int negative_ties;        /* wg_negative_ties: what a negative weight or sign does */
    char *nodes_file;         /* network.nodes.file: node attributes (CSV), resolved; NULL none */
    char *nodes_id;           /* network.nodes.id: its column of ids (NULL: "id") */
} wg_netspec;

/* network.header: the first line of an edge list or CSV. */
typedef enum wg_net_header {
    WG_HEADER_GUESS,   /* CSV: a header when its first two fields are not integers; edge list: none */
    WG_HEADER_YES,     /* the first line is a header */
    WG_HEADER_NO       /* every line is an edge */
} wg_net_header;

/* network.negative_ties: a tie of negative weight or sign (distrust). */
typedef enum wg_negative_ties {
    WG_NEG_ERROR,      /* a clear message naming the line (default) */
    WG_NEG_DROP,       /* the tie is left out (counted in a note) */
    WG_NEG_FLIP        /* kept with |weight|; word of mouth over it arrives with the other valence */
} wg_negative_ties;

/* The names of wg_negative_ties as a scenario writes them ("error", "drop",
 * "flip"), NULL-terminated (netspec.c). */
extern const char *const wg_negative_ties_names[];

/* Release what a spec owns (strings and arrays), not the struct itself. */
void wg_netspec_clear(wg_netspec *s);
/* Deep copy. */
wg_status wg_netspec_copy(wg_netspec *dst, const wg_netspec *src);
/* The name of a kind as a scenario writes it ("erdos-renyi", ...; "file"
 * for WG_NET_FILE and anything unknown). Static storage. */
const char *wg_netspec_kind_name(wg_net_kind k);

/* build.c: the graph a spec describes. Generated graphs are a pure function of
 * (spec, seed). Problems in a file are reported with its name and line. */
wg_status wg_graph_build(const wg_netspec *spec, uint64_t seed, wg_graph **out, wg_diag *d);

/* generate.c: one of the generated kinds. */
wg_status wg_generate(const wg_netspec *spec, uint64_t seed, wg_graph **out, wg_diag *d);
/* import.c: a network file. */
wg_status wg_import(const wg_netspec *spec, wg_graph **out, wg_diag *d);

/* What wg_import_save wrote. */
typedef struct wg_import_saved {
    uint32_t nodes;
    uint64_t arcs;       /* after duplicates are dropped */
    uint32_t buckets;    /* stretches of rows built one at a time */
} wg_import_saved;

/* The edge list or CSV file of spec (integer ids, no distrust ties) written
 * as a .wgraph file to out (path out_path, made atomic by the caller)
 * without ever holding its arcs: they go through scratch files in
 * scratch_dir (unlinked at once), and rows are sorted a stretch of at most
 * budget bytes (4 an arc, 8 weighted, 8 an agent) at a time. The same file
 * as wg_wgraph_write of wg_import's graph. Memory beside the budget: about
 * 28 bytes an agent (offsets, ids) and 64-96 KiB a stretch. *degrees (when
 * not NULL): a graph of the final row offsets alone (out_adj, out_w and
 * label NULL), for wg_graph_stats_degrees and wg_graph_out_degree only;
 * free it with wg_graph_free. */
/* Progress of wg_import_save: phase 0, MiB of the file read by its two
 * passes (done, total); phase 1, the stretches of rows sorted. */
typedef void (*wg_import_progress_fn)(void *ud, int phase, uint64_t done, uint64_t total);
wg_status wg_import_save(const wg_netspec *spec, uint64_t budget, const char *scratch_dir, FILE *out,
                         const char *out_path, wg_import_saved *saved, wg_graph **degrees,
                         wg_import_progress_fn progress, void *progress_ud, wg_diag *d);

/* ---------------------------------------------------------------------------
 * wgraph.c: waggle's binary network file (layout in wgraph.c).
 */
#define WG_WGRAPH_VERSION 1u

/* Write g as a .wgraph file to f (opened for writing, seekable; the caller
 * makes it atomic, as wg_out does). path names the file in messages. */
wg_status wg_wgraph_write(const wg_graph *g, FILE *f, const char *path, wg_diag *d);
/* What a .wgraph file cannot hold, refused as bad input naming path: text
 * ids (names), distrust ties (distrust). WG_OK when neither. */
wg_status wg_wgraph_savable(int names, int distrust, const char *path, wg_diag *d);
/* The same file from its parts: the row offsets and ids in memory (label
 * NULL: none), the m arcs (uint32) and, when w is not NULL, their weights
 * (float) in the files adj and w, read from their start (the rows sorted
 * and without duplicates: wg_import_save). */
wg_status wg_wgraph_write_files(FILE *f, const char *path, uint32_t n, uint64_t m, int directed,
                                const uint64_t *off, FILE *adj, FILE *w, const uint64_t *label,
                                wg_diag *d);
/* Map a .wgraph file read-only and check it (header, size, checksum,
 * invariants): a foreign, truncated, corrupted or later-version file is bad
 * input. directed / weighted: what the scenario asks for (an error when the
 * file cannot give it). */
wg_status wg_wgraph_map(const char *path, int directed, int weighted, wg_graph **out, wg_diag *d);

/* XXH64, streaming (the checksum of .wgraph files). */
typedef struct wg_xxh64_state {
    uint64_t v[4];
    unsigned char buf[32];
    size_t nbuf;
    uint64_t total, seed;
} wg_xxh64_state;
void wg_xxh64_init(wg_xxh64_state *h, uint64_t seed);
void wg_xxh64_update(wg_xxh64_state *h, const void *data, size_t len);
uint64_t wg_xxh64_digest(const wg_xxh64_state *h);
uint64_t wg_xxh64(const void *data, size_t len, uint64_t seed);

#endif
