/*
 * generate.c — generated networks: every `generate:` kind of a scenario,
 * its arguments checked here with one message per problem; Barabási–Albert
 * is built here, the other kinds by igraph through igraph.c (the only file
 * that includes igraph.h), which hands back waggle's CSR.
 *
 * A generated graph is a pure function of (spec, seed): igraph.c seeds a
 * generator of its own from the scenario seed for each graph, and the
 * degree sequences of the configuration model are drawn here with waggle's
 * keyed generator (wg_philox, purpose WG_R_USER, index = agent).
 *
 * Barabási–Albert is waggle's own, not igraph's (which took 528 s and 6.4
 * GiB for n = 10^7, m = 10): linear preferential attachment with appeal 1,
 * the model of igraph's psumtree generator (power 1, zero appeal 1, total
 * degree). Node 0 starts alone; node i >= 1 joins k = min(m, i) distinct
 * earlier nodes, so the graph has sum over i of min(m, i) edges, no loop and
 * no multi-edge. Node v is chosen with probability proportional to
 * 1 + deg(v), degrees counted before node i: a position is drawn uniformly
 * in an implicit pool of i + 2 E_i entries (each earlier node once, then the
 * source and the target of each of the E_i edges so far: the repeated-
 * endpoints array), and a node already chosen by i is drawn again, which is
 * sequential sampling without replacement proportional to 1 + deg, as
 * psumtree does. Only the targets are stored (4 bytes an edge), in the upper
 * half of the CSR's arc array; sources are implicit, as node i's edges are
 * E_i .. E_i + k - 1. Draws are keyed:
 * wg_philox(seed, run 0, step WG_BA_STEP, WG_R_USER, i << 20 | block), two
 * 64-bit positions a block (multiply-shift, bias below pool size / 2^64,
 * 10^-11 at 10^8 edges), so the graph is a pure function of (nodes, m, seed).
 * The in-degrees are counted (on a second thread, behind the draw), and the
 * CSR is filled in place, chunk by chunk through buckets of rows (ba_fill):
 * row v holds v's own targets (sorted) and the later nodes that chose v, in
 * increasing order; no write reaches a target not read yet. Peak: the CSR (8
 * bytes an edge, 8 a node), 4 bytes a node of counters, and the fill's
 * scratch (12 bytes an edge of a chunk: at most 2^25 edges, 400 MB).
 *
 * Where the time goes at 10^8 edges and beyond is memory, not arithmetic:
 * each edge costs a random read of the pool (a target drawn earlier) and a
 * random update of a degree counter, in arrays far larger than the caches.
 * So the first m candidates of the node WG_BA_AHEAD places ahead are drawn
 * once, kept, and their targets fetched early (their positions depend only
 * on that node), and the counters are fetched WG_BA_LEAD edges ahead. The
 * fill used to scatter each edge straight into its row (a random read of a
 * row cursor among 8 bytes a node, then a random write among the arcs): at
 * 7.2 x 10^8 edges (n = 4 x 10^7, m = 18) that was 87 s of CPU of the 136,
 * as the cursors (320 MB) no longer fit in the cache. Through buckets of
 * 2^shift rows whose cursors stay in the cache and whose rows are one
 * contiguous stretch, it is 26 s (docs/PERFORMANCE.md). Transparent huge
 * pages were tried (madvise, and MADV_COLLAPSE after the first touch) and
 * made it slower on this machine, a virtual machine whose first touch of a
 * huge page costs more than the TLB misses it saves.
 *
 * Configuration model: waggle uses the *erased* configuration model — the
 * drawn (or read) stubs are paired uniformly at random by igraph
 * (IGRAPH_DEGSEQ_CONFIGURATION), then self-loops and multi-edges are dropped
 * by wg_graph_from_edges, which gives a simple graph in O(n + m). Uniform
 * stub pairing is the model generating-function theory (Newman, Strogatz &
 * Watts 2001) describes; erasure removes only O(<k^2>^2 / n) edges, mostly at
 * the hubs, so an agent may end slightly below the degree it drew (rarely
 * below `min`). Rejected alternatives: edge switching keeps degrees exactly
 * but took minutes at 10^5 agents with a power law; Viger–Latapy forces a
 * connected graph, which the theory does not assume.
 */
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../base/philox.h"
#include "igraph_glue.h"

/* A uniform double in [0, 1) with 53 random bits. */
static double uniform53(wg_rand4 r)
{
    return ((double)(r.v[0] >> 5) * 67108864.0 + (double)(r.v[1] >> 6)) * (1.0 / 9007199254740992.0);
}

/* Read a degree sequence, one non-negative integer a line (blank and `#`
 * lines skipped). *deg is allocated; *count receives the number of degrees. */
static wg_status read_degrees(const char *path, uint32_t **deg, uint64_t *count, wg_diag *d)
{
    int fd = wg_input_open(path, WG_IN_DEGREES, NULL, d);
    FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
    char line[256];
    uint64_t n = 0, cap = 0, lineno = 0;
    uint32_t *v = NULL;
    *deg = NULL;
    *count = 0;
    if (!f) {
        if (fd >= 0) {
            close(fd);
            wg_diag_error(d, WG_ENOMEM, "%s: out of memory opening the degree file", path);
            return WG_ENOMEM;
        }
        return WG_EINPUT;
    }
    while (fgets(line, sizeof line, f)) {
        char *p = line, *end;
        lineno++;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '\n' || *p == '\r' || *p == '\0' || *p == '#') continue;
        errno = 0;
        unsigned long long k = strtoull(p, &end, 10);
        while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n') end++;
        if (*p == '-' || end == p || *end != '\0' || errno || k >= WG_MAX_AGENTS) {
            wg_diag_error(d, WG_EINPUT, "%s:%llu: a degree must be a non-negative integer", path,
                          (unsigned long long)lineno);
            goto fail;
        }
        if (n == cap) {
            uint32_t *nv = wg_realloc(v, cap ? 2 * cap : 1024, sizeof *v);
            if (!nv) {
                wg_diag_error(d, WG_ENOMEM, "%s: out of memory reading degrees", path);
                goto fail;
            }
            v = nv;
            cap = cap ? 2 * cap : 1024;
        }
        v[n++] = (uint32_t)k;
    }
    if (ferror(f)) {
        wg_diag_error(d, WG_EINPUT, "%s: read error: %s", path, strerror(errno));
        goto fail;
    }
    fclose(f);
    if (n == 0) {
        free(v);
        wg_diag_error(d, WG_EINPUT, "%s: the degree file holds no degree", path);
        return WG_EINPUT;
    }
    *deg = v;
    *count = n;
    return WG_OK;
fail:
    fclose(f);
    free(v);
    return d->status ? d->status : WG_EINPUT;
}

/*
 * Draw n degrees from p_k over k in [kmin, kmax] by inverse transform on the
 * cumulative table (binary search), one keyed draw per agent; then make the
 * sum even by moving the last agent's degree one step within [kmin, kmax].
 */
static wg_status draw_degrees(const wg_netspec *s, uint32_t n, uint64_t seed, uint32_t *deg, wg_diag *d)
{
    uint32_t kmin, kmax = n - 1;
    if (s->deg_kind == WG_DEG_POISSON) {
        kmin = 0;
        double hi = s->deg_mean + 40.0 * sqrt(s->deg_mean) + 40.0;
        if (hi < kmax) kmax = (uint32_t)hi;
    } else {
        kmin = s->deg_min;
    }
    size_t len = (size_t)kmax - kmin + 1;
    double *cum = wg_malloc(len, sizeof *cum);
    if (!cum) {
        wg_diag_error(d, WG_ENOMEM, "network: out of memory drawing degrees");
        return WG_ENOMEM;
    }
    double acc = 0;
    for (size_t i = 0; i < len; i++) {
        double k = (double)(kmin + i), lp;
        if (s->deg_kind == WG_DEG_POISSON)
            lp = s->deg_mean > 0 ? k * log(s->deg_mean) - s->deg_mean - lgamma(k + 1) : (k == 0 ? 0 : -INFINITY);
        else
            lp = -s->deg_exponent * log(k) - (s->deg_cutoff > 0 ? k / s->deg_cutoff : 0);
        acc += exp(lp);
        cum[i] = acc;
    }
    if (!(acc > 0)) {
        free(cum);
        wg_diag_error(d, WG_EINPUT, "network: configuration degree distribution has no mass in [%u, %u]", kmin,
                      kmax);
        return WG_EINPUT;
    }
    uint64_t sum = 0;
    for (uint32_t a = 0; a < n; a++) {
        double x = uniform53(wg_philox(seed, 0, 0, WG_R_USER, a)) * acc;
        size_t lo = 0, hi = len - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cum[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        deg[a] = (uint32_t)(kmin + lo);
        sum += kmin + lo;
    }
    free(cum);
    if (sum & 1) {
        uint32_t *last = &deg[n - 1];
        if (*last < kmax) (*last)++;
        else (*last)--;
    }
    return WG_OK;
}

/* Argument checks at entry, one specific message per problem. */
static wg_status check_spec(const wg_netspec *s, wg_diag *d)
{
    const char *kn = wg_netspec_kind_name(s->kind);
    int needs_nodes = s->kind != WG_NET_SBM && s->kind != WG_NET_LATTICE && s->kind != WG_NET_FAMOUS &&
                      !(s->kind == WG_NET_CONFIGURATION && s->deg_kind == WG_DEG_FILE);
    int directed_ok = s->kind == WG_NET_ERDOS_RENYI || s->kind == WG_NET_SBM || s->kind == WG_NET_COMPLETE ||
                      s->kind == WG_NET_STAR || s->kind == WG_NET_RING || s->kind == WG_NET_PATH;
    if (s->kind == WG_NET_FILE || (int)s->kind < 0 || s->kind > WG_NET_FAMOUS) {
        wg_diag_error(d, WG_EINPUT, "network: unknown kind of generated network");
        return WG_EINPUT;
    }
    if (needs_nodes && (s->nodes < 1 || s->nodes >= WG_MAX_AGENTS)) {
        wg_diag_error(d, WG_EINPUT, "network: %s needs nodes between 1 and %u", kn, WG_MAX_AGENTS - 1);
        return WG_EINPUT;
    }
    if (s->directed && !directed_ok) {
        wg_diag_error(d, WG_EINPUT, "network: %s is undirected only", kn);
        return WG_EINPUT;
    }
    switch (s->kind) {
    case WG_NET_ERDOS_RENYI:
        if (!(s->mean_degree >= 0) || (s->nodes > 1 && s->mean_degree > (double)(s->nodes - 1))) {
            wg_diag_error(d, WG_EINPUT, "network: erdos-renyi needs mean_degree between 0 and nodes - 1");
            return WG_EINPUT;
        }
        break;
    case WG_NET_BARABASI_ALBERT:
        if (s->edges_per_node < 1 || s->edges_per_node >= s->nodes) {
            wg_diag_error(d, WG_EINPUT, "network: barabasi-albert needs edges_per_node >= 1 and < nodes");
            return WG_EINPUT;
        }
        break;
    case WG_NET_WATTS_STROGATZ:
        if (s->neighbours < 1 || 2 * (uint64_t)s->neighbours >= s->nodes) {
            wg_diag_error(d, WG_EINPUT, "network: watts-strogatz needs neighbours >= 1 and 2 x neighbours < nodes");
            return WG_EINPUT;
        }
        if (!(s->rewire >= 0 && s->rewire <= 1)) {
            wg_diag_error(d, WG_EINPUT, "network: watts-strogatz needs rewire between 0 and 1");
            return WG_EINPUT;
        }
        break;
    case WG_NET_CONFIGURATION:
        if (s->deg_kind == WG_DEG_POISSON && !(s->deg_mean >= 0 && s->deg_mean <= (double)(s->nodes - 1))) {
            wg_diag_error(d, WG_EINPUT, "network: configuration poisson degrees need a mean between 0 and nodes - 1");
            return WG_EINPUT;
        }
        if (s->deg_kind == WG_DEG_POWER_LAW) {
            if (s->deg_min < 1 || s->deg_min > s->nodes - 1) {
                wg_diag_error(d, WG_EINPUT, "network: configuration power_law needs min >= 1 and < nodes");
                return WG_EINPUT;
            }
            if (!isfinite(s->deg_exponent) || s->deg_exponent < 0) {
                wg_diag_error(d, WG_EINPUT, "network: configuration power_law needs a finite exponent >= 0");
                return WG_EINPUT;
            }
            if (!isfinite(s->deg_cutoff) || s->deg_cutoff < 0) {
                wg_diag_error(d, WG_EINPUT, "network: configuration power_law needs a cutoff >= 0 (0: none)");
                return WG_EINPUT;
            }
        }
        if (s->deg_kind == WG_DEG_FILE && !s->deg_file) {
            wg_diag_error(d, WG_EINPUT, "network: configuration degrees from a file need the file's name");
            return WG_EINPUT;
        }
        break;
    case WG_NET_SBM: {
        uint64_t total = 0;
        if (s->nblocks < 1 || !s->sizes || !s->p) {
            wg_diag_error(d, WG_EINPUT, "network: sbm needs sizes and a p matrix");
            return WG_EINPUT;
        }
        for (size_t i = 0; i < s->nblocks; i++) {
            if (s->sizes[i] < 1 || s->sizes[i] >= WG_MAX_AGENTS - total) {
                wg_diag_error(d, WG_EINPUT, "network: sbm block %zu needs a size >= 1 (and all blocks < %u agents)",
                              i + 1, WG_MAX_AGENTS);
                return WG_EINPUT;
            }
            total += s->sizes[i];
        }
        for (size_t i = 0; i < s->nblocks * s->nblocks; i++) {
            if (!(s->p[i] >= 0 && s->p[i] <= 1)) {
                wg_diag_error(d, WG_EINPUT, "network: sbm p[%zu][%zu] = %g is not a probability",
                              i / s->nblocks + 1, i % s->nblocks + 1, s->p[i]);
                return WG_EINPUT;
            }
            if (!s->directed && s->p[i] != s->p[(i % s->nblocks) * s->nblocks + i / s->nblocks]) {
                wg_diag_error(d, WG_EINPUT, "network: sbm p must be symmetric for an undirected graph");
                return WG_EINPUT;
            }
        }
        break;
    }
    case WG_NET_LATTICE:
        if (s->dims[0] < 1 || s->dims[1] < 1 || (uint64_t)s->dims[0] * s->dims[1] >= WG_MAX_AGENTS) {
            wg_diag_error(d, WG_EINPUT, "network: lattice needs dims [w, h] with w, h >= 1 and w x h < %u",
                          WG_MAX_AGENTS);
            return WG_EINPUT;
        }
        break;
    case WG_NET_FAMOUS:
        if (!s->famous || !*s->famous) {
            wg_diag_error(d, WG_EINPUT, "network: famous needs a name (e.g. karate)");
            return WG_EINPUT;
        }
        break;
    default:
        break;
    }
    return WG_OK;
}

/* Bytes a generated graph costs at its peak: igraph's edge list and indices
 * (four 8-byte integers an edge, two per node), then waggle's CSR and the
 * engine's per-agent arrays. A rough upper figure, used only to refuse at
 * once what cannot fit instead of letting the machine swap or be killed. */
#define WG_BYTES_PER_EDGE 48.0
#define WG_BYTES_PER_NODE 64.0
/* waggle's Barabási–Albert: the CSR (8 bytes an edge; the targets are drawn
 * inside it) and the fill's scratch (12 bytes an edge of a chunk, at most an
 * eighth of the edges); the degree counters are per node. */
#define WG_BA_BYTES_PER_EDGE 9.5

static double expected_edges(const wg_netspec *s)
{
    double n = (double)s->nodes, dir = s->directed ? 1.0 : 0.5;
    switch (s->kind) {
    case WG_NET_ERDOS_RENYI: return n * s->mean_degree * dir;
    case WG_NET_BARABASI_ALBERT: return n * s->edges_per_node;
    case WG_NET_WATTS_STROGATZ: return n * s->neighbours;
    case WG_NET_CONFIGURATION:
        return s->deg_kind == WG_DEG_POISSON ? n * s->deg_mean / 2 : n * s->deg_min / 2;
    case WG_NET_SBM: {
        double e = 0;
        for (size_t i = 0; i < s->nblocks; i++)
            for (size_t j = 0; j < s->nblocks; j++)
                e += s->p[i * s->nblocks + j] * (double)s->sizes[i] * (double)s->sizes[j] * dir;
        return e;
    }
    case WG_NET_COMPLETE: return n * (n - 1) * dir;
    case WG_NET_LATTICE: return 2.0 * s->dims[0] * s->dims[1];
    default: return n;   /* star, ring, path; famous graphs are small */
    }
}

/* WG_ENOMEM when the graph cannot fit in this machine's memory (or the
 * process's address-space limit), with a message giving both figures. */
static wg_status check_memory(const wg_netspec *s, wg_diag *d)
{
    double nodes = (double)s->nodes;
    if (s->kind == WG_NET_SBM) {
        nodes = 0;
        for (size_t i = 0; i < s->nblocks; i++) nodes += (double)s->sizes[i];
    } else if (s->kind == WG_NET_LATTICE) {
        nodes = (double)s->dims[0] * s->dims[1];
    }
    double need = nodes * WG_BYTES_PER_NODE +
                  expected_edges(s) * (s->kind == WG_NET_BARABASI_ALBERT ? WG_BA_BYTES_PER_EDGE
                                                                        : WG_BYTES_PER_EDGE);
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    double have = pages > 0 && page > 0 ? (double)pages * page : INFINITY;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (double)rl.rlim_cur < have)
        have = (double)rl.rlim_cur;
    if (need <= have) return WG_OK;
    wg_diag_error(d, WG_ENOMEM, "network: %s of %.0f nodes needs about %.1f GB of memory; this "
                  "machine has %.1f GB", wg_netspec_kind_name(s->kind), nodes, need / 1e9, have / 1e9);
    return WG_ENOMEM;
}

/* ---- Barabási–Albert, waggle's own (see the first comment) -------------- */

/* Word block of node i's candidate draws: 2^20 blocks of two 64-bit draws. */
#define WG_BA_BLOCKS (UINT64_C(1) << 20)
/* The step field of the BA draws, so they share no counter with other uses of WG_R_USER. */
#define WG_BA_STEP 0x4241u
/* Nodes ahead whose first candidates are fetched before they are needed. */
#define WG_BA_AHEAD 4
#define WG_BA_SLOTS (WG_BA_AHEAD + 1)
/* Edges ahead whose degree counters are fetched while they are counted. */
#define WG_BA_LEAD 32
/* Nodes drawn between two publications of the draw's progress to the counting thread. */
#define WG_BA_PUBLISH 4096u
/* The counting thread's nap when it has caught up with the draw, in nanoseconds. */
#define WG_BA_NAP_NS 200000L
/* Edges of a chunk of the fill at most: 12 bytes of scratch each (ba_fill). */
#define WG_BA_CHUNK (UINT64_C(1) << 25)
/* Chunks of the fill at least (so that a small graph's scratch is small too). */
#define WG_BA_CHUNKS_LEAST 8
/* Buckets of the fill at most: each the rows of 2^shift consecutive nodes. */
#define WG_BA_MAX_BUCKETS 2048u
/* Below this many edges the generator runs on one thread. */
#define WG_BA_PARALLEL_EDGES (UINT64_C(1) << 18)

/* Edges of nodes 0 .. i - 1: sum over j < i of min(m, j). */
static uint64_t ba_edges_before(uint64_t i, uint64_t m)
{
    if (i <= m + 1) return i * (i - 1) / 2;
    return m * (m + 1) / 2 + (i - m - 1) * m;
}

/* The node whose own edges include edge e (its source). */
static uint32_t ba_source(uint64_t e, uint64_t m)
{
    uint64_t head = m * (m + 1) / 2;
    if (e >= head) return (uint32_t)(m + 1 + (e - head) / m);
    /* j (j - 1) / 2 <= e < j (j + 1) / 2: from the square root, then corrected */
    uint64_t j = (uint64_t)((1.0 + sqrt(1.0 + 8.0 * (double)e)) / 2.0);
    while (j > 1 && ba_edges_before(j, m) > e) j--;
    while (ba_edges_before(j + 1, m) <= e) j++;
    return (uint32_t)j;
}

/* Candidate number a of node i: a uniform position in [0, size) (64-bit
 * multiply-shift, bias below size / 2^64). */
static uint64_t ba_draw(uint64_t seed, uint32_t i, uint64_t a, uint64_t size)
{
    wg_rand4 r = wg_philox(seed, 0, WG_BA_STEP, WG_R_USER, (uint64_t)i << 20 | (a >> 1));
    uint64_t u = (uint64_t)r.v[2 * (a & 1)] << 32 | r.v[2 * (a & 1) + 1];
    return (uint64_t)(((unsigned __int128)u * size) >> 64);
}

/* Candidates 0 .. m - 1 of node i into pos[], one Philox block for two:
 * the same values as ba_draw(seed, i, a, size) for each a. */
static void ba_first(uint64_t seed, uint32_t i, uint64_t m, uint64_t size, uint64_t *pos)
{
    for (uint64_t a = 0; a < m; a += 2) {
        wg_rand4 r = wg_philox(seed, 0, WG_BA_STEP, WG_R_USER, (uint64_t)i << 20 | (a >> 1));
        uint64_t u0 = (uint64_t)r.v[0] << 32 | r.v[1], u1 = (uint64_t)r.v[2] << 32 | r.v[3];
        pos[a] = (uint64_t)(((unsigned __int128)u0 * size) >> 64);
        if (a + 1 < m) pos[a + 1] = (uint64_t)(((unsigned __int128)u1 * size) >> 64);
    }
}

/* The node at position pos of the implicit pool of node i's step: the
 * first i positions are the nodes themselves (appeal 1), the next E_i the
 * sources of the E_i edges so far, the last E_i their targets. */
static uint32_t ba_node_at(const uint32_t *target, uint64_t pos, uint32_t i, uint64_t e_i, uint64_t m)
{
    if (pos < i) return (uint32_t)pos;
    pos -= i;
    return pos < e_i ? ba_source(pos, m) : target[pos - e_i];
}

/* Rank sort of k distinct values (k <= 64) into row: each goes where the
 * number of smaller ones says, without a branch to mispredict. */
static void ba_sort_small(const uint32_t *v, uint64_t k, uint32_t *row)
{
    for (uint64_t c = 0; c < k; c++) {
        uint32_t t = v[c], rank = 0;
        for (uint64_t b = 0; b < k; b++) rank += v[b] < t;
        row[rank] = t;
    }
}

/* Nodes i .. n - 1 draw their targets, in order, into target[E_i ..]; every
 * WG_BA_PUBLISH nodes the count of finished nodes is published to *drawn
 * (release), so that a second thread may count degrees behind. stamp (n
 * entries, m > 32 only) marks the nodes already chosen by the current node;
 * early holds WG_BA_SLOTS x m first candidates. */
static void ba_draw_all(uint32_t n, uint64_t m, uint64_t seed, uint32_t *target, uint32_t *stamp,
                        uint64_t *early, atomic_uint *drawn)
{
    uint32_t early_node[WG_BA_SLOTS] = {0};
    if (stamp)
        for (uint32_t v = 0; v < n; v++) stamp[v] = UINT32_MAX;
    for (uint32_t i = 1; i < n; i++) {
        const uint64_t e_i = ba_edges_before(i, m), k = i < m ? i : m;
        uint32_t *mine = target + e_i;
        if (i % WG_BA_PUBLISH == 0) atomic_store_explicit(drawn, i, memory_order_release);
        if (i + WG_BA_AHEAD < n && i + WG_BA_AHEAD > m) {   /* a later node's first candidates */
            const uint32_t ia = i + WG_BA_AHEAD;
            const uint64_t ea = ba_edges_before(ia, m);
            uint64_t *slot = early + (size_t)(ia % WG_BA_SLOTS) * m;
            ba_first(seed, ia, m, ia + 2 * ea, slot);
            early_node[ia % WG_BA_SLOTS] = ia;
            for (uint64_t a = 0; a < m; a++)
                if (slot[a] >= ia + ea) __builtin_prefetch(&target[slot[a] - ia - ea]);
        }
        if (i <= m) {   /* joins every earlier node */
            for (uint32_t t = 0; t < i; t++) mine[t] = t;
            continue;
        }
        const uint64_t size = i + 2 * e_i;
        uint64_t *first = early + (size_t)(i % WG_BA_SLOTS) * m;
        if (early_node[i % WG_BA_SLOTS] != i) ba_first(seed, i, m, size, first);
        uint64_t got = 0;
        for (uint64_t a = 0; got < k; a++) {
            uint32_t t;
            if (a < m) {
                t = ba_node_at(target, first[a], i, e_i, m);
            } else if (a < 2 * WG_BA_BLOCKS) {
                t = ba_node_at(target, ba_draw(seed, i, a, size), i, e_i, m);
            } else {   /* never in practice: the smallest node not chosen yet */
                for (t = 0;; t++) {
                    uint64_t c = 0;
                    while (c < got && mine[c] != t) c++;
                    if (c == got) break;
                }
            }
            int dup = 0;
            if (stamp) {
                dup = stamp[t] == i;
                stamp[t] = i;
            } else {
                for (uint64_t c = 0; c < got && !dup; c++) dup = mine[c] == t;
            }
            if (!dup) mine[got++] = t;
        }
    }
    atomic_store_explicit(drawn, n, memory_order_release);
}

/* In-degrees from the targets: deg[v] += the number of edges into v, for
 * the edges of the nodes below *drawn, followed as the draw advances (when
 * follow is set; otherwise the draw is over). The counters are fetched
 * WG_BA_LEAD edges ahead. */
static void ba_count(const uint32_t *target, uint64_t e, uint64_t m, uint32_t *deg, atomic_uint *drawn,
                     int follow)
{
    uint64_t j = 0;
    while (j < e) {
        uint64_t lim = e;
        if (follow) {
            lim = ba_edges_before(atomic_load_explicit(drawn, memory_order_acquire), m);
            if (lim == j) {   /* the draw is ahead of nothing: let it run */
                struct timespec nap = {0, WG_BA_NAP_NS};
                nanosleep(&nap, NULL);
                continue;
            }
        }
        for (; j < lim; j++) {
            if (j + WG_BA_LEAD < lim) __builtin_prefetch(&deg[target[j + WG_BA_LEAD]], 1);
            deg[target[j]]++;
        }
    }
}

#ifdef WG_BA_PHASES
/* Phase times of the generator on stderr (a build with -DWG_BA_PHASES, for
 * measuring only): wall and CPU seconds of the process since the last mark. */
#include <stdio.h>
static void ba_phase(const char *name)
{
    static double t0, c0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    double t = a.tv_sec + a.tv_nsec * 1e-9, c = b.tv_sec + b.tv_nsec * 1e-9;
    if (name) fprintf(stderr, "  phase %-6s %7.2f s wall %7.2f s cpu\n", name, t - t0, c - c0);
    t0 = t;
    c0 = c;
}
#define WG_BA_PHASE(name) ba_phase(name)
#else
#define WG_BA_PHASE(name) ((void)0)
#endif

/* One arc on its way to its row: the row (a target) and what it holds (the chooser). */
typedef struct {
    uint32_t row, node;
} ba_arc;

/* The scratch of the fill (see ba_fill). */
typedef struct {
    uint64_t chunk;        /* edges of a chunk at most */
    uint32_t shift;        /* a bucket is the rows of 2^shift consecutive nodes */
    uint32_t buckets;      /* number of buckets */
    uint32_t *raw;         /* the chunk's targets, copied out of the arc array (chunk entries) */
    ba_arc *arc;           /* the chunk's arcs to choosers, by bucket (chunk entries) */
    uint64_t *hist;        /* per thread and bucket: count, then write position (threads x buckets) */
    uint64_t *start;       /* where each bucket starts in arc (buckets + 1) */
} ba_fill_scratch;

/*
 * The CSR from the targets (in the upper half of the arc array, node i's at
 * e + E_i) and the cursors off[v] = start of row v + v's own k: row v is v's
 * own targets, sorted, then the later nodes that chose v, in increasing
 * order. Nodes are taken in chunks [b0, b1) of at most s->chunk edges:
 * 1. the chunk's targets are copied into raw (all of them are then safe:
 *    every write of this chunk lands below e + E_b1, see below);
 * 2. each thread takes a contiguous part of the chunk's nodes, counts its
 *    arcs per bucket, and after a prefix over (bucket, thread) writes them
 *    into arc, stable, so each bucket lists its arcs by increasing chooser;
 *    each thread also writes the own rows of its nodes (sorted);
 * 3. the buckets are spread over the threads: bucket b's arcs go to
 *    adj[off[row]++], in the order listed. A bucket's cursors (2^shift
 *    entries) stay in the cache and its rows are one contiguous stretch of
 *    the arc array, so no write waits for a random read of gigabytes.
 * Row v ends at off[v + 1] = 2 E_(v+1) + (edges from nodes > v into nodes
 * <= v) <= e + E_(v+1), and a chunk writes rows v < b1 only: no write
 * reaches the targets of a later chunk. Each row is written by one thread,
 * its choosers in increasing order (chunks in order, buckets stable), so the
 * CSR is the same at any number of threads (OpenMP's default,
 * omp_get_max_threads, from WG_BA_PARALLEL_EDGES edges on).
 */
static void ba_fill(uint32_t n, uint64_t m, uint64_t e, uint32_t *adj, uint64_t *off, ba_fill_scratch *s,
                    int threads)
{
    const uint32_t *const target = adj + e;
    const uint64_t chunk_nodes = s->chunk / m ? s->chunk / m : 1;
#pragma omp parallel num_threads(threads)
    {
        const int tid = omp_get_thread_num(), nth = omp_get_num_threads();
        uint64_t *const hist = s->hist + (size_t)tid * s->buckets;
        for (uint64_t b0 = 1; b0 < n;) {
            const uint64_t b1 = b0 + chunk_nodes < n ? b0 + chunk_nodes : n;
            const uint64_t e0 = ba_edges_before(b0, m);
            const uint64_t lo = b0 + (b1 - b0) * tid / nth, hi = b0 + (b1 - b0) * (tid + 1) / nth;
            const uint64_t jlo = ba_edges_before(lo, m) - e0, jhi = ba_edges_before(hi, m) - e0;
            /* 1. the chunk's targets out of harm's way, each thread its part */
            memcpy(s->raw + jlo, target + e0 + jlo, (jhi - jlo) * sizeof *s->raw);
            memset(hist, 0, s->buckets * sizeof *hist);
            for (uint64_t j = jlo; j < jhi; j++) hist[s->raw[j] >> s->shift]++;
#pragma omp barrier
#pragma omp single
            {
                uint64_t pos = 0;
                for (uint32_t b = 0; b < s->buckets; b++) {
                    s->start[b] = pos;
                    for (int t = 0; t < nth; t++) {
                        uint64_t c = s->hist[(size_t)t * s->buckets + b];
                        s->hist[(size_t)t * s->buckets + b] = pos;
                        pos += c;
                    }
                }
                s->start[s->buckets] = pos;
            }
            /* 2. this thread's arcs into their buckets, and its nodes' own rows */
            for (uint64_t i = lo; i < hi; i++) {
                const uint64_t k = i < m ? i : m, j0 = ba_edges_before(i, m) - e0;
                for (uint64_t c = 0; c < k; c++) {
                    uint32_t t = s->raw[j0 + c];
                    s->arc[hist[t >> s->shift]++] = (ba_arc){t, (uint32_t)i};
                }
                uint32_t *row = adj + off[i] - k;
                if (k <= 64) {
                    ba_sort_small(s->raw + j0, k, row);
                } else {   /* insertion sort: all below i, distinct */
                    for (uint64_t c = 0; c < k; c++) {
                        uint32_t t = s->raw[j0 + c];
                        uint64_t q = c;
                        for (; q > 0 && row[q - 1] > t; q--) row[q] = row[q - 1];
                        row[q] = t;
                    }
                }
            }
#pragma omp barrier
            /* 3. the choosers into their rows, a bucket at a time */
#pragma omp for schedule(dynamic, 1)
            for (uint32_t b = 0; b < s->buckets; b++)
                for (uint64_t p = s->start[b]; p < s->start[b + 1]; p++) adj[off[s->arc[p].row]++] = s->arc[p].node;
            b0 = b1;
        }
    }
}

static wg_status generate_ba(const wg_netspec *s, uint64_t seed, wg_graph **out, wg_diag *d)
{
    const uint32_t n = (uint32_t)s->nodes;
    const uint64_t m = s->edges_per_node, e = ba_edges_before(n, m);
    const int threads = e >= WG_BA_PARALLEL_EDGES ? omp_get_max_threads() : 1;
    ba_fill_scratch fs = {0};
    /* The CSR first: the targets are drawn into the upper half of its arcs
     * (see ba_fill), so no other array of edges is needed. */
    wg_graph *g = wg_graph_alloc(n, 2 * e, 0, 0);
    uint32_t *stamp = m > 32 ? wg_malloc(n, sizeof *stamp) : NULL;
    /* first candidates of the nodes ahead, computed once (slot i % WG_BA_SLOTS) */
    uint64_t *early = wg_malloc((size_t)WG_BA_SLOTS * m, sizeof *early);
    uint32_t *deg = wg_calloc(n, sizeof *deg);
    if (!g || !early || !deg || (m > 32 && !stamp)) goto nomem;
    WG_BA_PHASE(NULL);
    uint32_t *const target = g->out_adj + e;
    uint64_t *const off = g->out_off;
    /* Draw, and count the in-degrees on a second thread behind the draw. */
    atomic_uint drawn;
    atomic_init(&drawn, 1);
#pragma omp parallel num_threads(threads < 2 ? 1 : 2)
    {
        const int tid = omp_get_thread_num(), nth = omp_get_num_threads();
        if (tid == 0) ba_draw_all(n, m, seed, target, stamp, early, &drawn);
        if (tid == 1 || nth == 1) ba_count(target, e, m, deg, &drawn, nth > 1);
    }
    WG_BA_PHASE("draw");
    free(stamp);
    free(early);
    stamp = NULL;
    early = NULL;
    /* The cursors: off[v] = start of row v + its own k edges. */
    uint64_t acc = 0;
    for (uint32_t v = 0; v < n; v++) {
        const uint64_t k = v < m ? v : m;
        off[v] = acc + k;
        acc += k + deg[v];
    }
    WG_ASSERT(acc == 2 * e);
    free(deg);
    deg = NULL;
    fs.chunk = e / WG_BA_CHUNKS_LEAST < WG_BA_CHUNK ? e / WG_BA_CHUNKS_LEAST : WG_BA_CHUNK;
    if (fs.chunk < m) fs.chunk = m;
    while (((n - 1) >> fs.shift) >= WG_BA_MAX_BUCKETS) fs.shift++;
    fs.buckets = ((n - 1) >> fs.shift) + 1;
    fs.raw = wg_malloc(fs.chunk, sizeof *fs.raw);
    fs.arc = wg_malloc(fs.chunk, sizeof *fs.arc);
    fs.hist = wg_malloc((size_t)threads * fs.buckets, sizeof *fs.hist);
    fs.start = wg_malloc((size_t)fs.buckets + 1, sizeof *fs.start);
    if (!fs.raw || !fs.arc || !fs.hist || !fs.start) goto nomem;
    WG_BA_PHASE("prefix");
    ba_fill(n, m, e, g->out_adj, off, &fs, threads);
    WG_BA_PHASE("fill");
    /* off[v] is now the end of row v: shift to the starts */
    for (uint32_t v = n; v > 0; v--) off[v] = off[v - 1];
    off[0] = 0;
    free(fs.raw);
    free(fs.arc);
    free(fs.hist);
    free(fs.start);
    *out = g;
    return WG_OK;
nomem:
    wg_graph_free(g);
    free(stamp);
    free(early);
    free(deg);
    free(fs.raw);
    free(fs.arc);
    free(fs.hist);
    free(fs.start);
    wg_diag_error(d, WG_ENOMEM, "network: out of memory generating barabasi-albert of %u nodes", n);
    return WG_ENOMEM;
}

/* The degree sequence of the configuration model, read (and checked) or
 * drawn; *deg is allocated, *count receives its length. */
static wg_status configuration_degrees(const wg_netspec *s, uint64_t seed, uint32_t **deg, uint64_t *count,
                                       wg_diag *d)
{
    wg_status st = WG_OK;
    *deg = NULL;
    *count = s->nodes;
    if (s->deg_kind != WG_DEG_FILE) {
        uint32_t *v = wg_malloc(s->nodes ? s->nodes : 1, sizeof *v);
        if (!v) {
            wg_diag_error(d, WG_ENOMEM, "network: out of memory drawing degrees");
            return WG_ENOMEM;
        }
        if ((st = draw_degrees(s, (uint32_t)s->nodes, seed, v, d)) != WG_OK) {
            free(v);
            return st;
        }
        *deg = v;
        return WG_OK;
    }
    uint32_t *v = NULL;
    uint64_t n = 0, sum = 0;
    if ((st = read_degrees(s->deg_file, &v, &n, d)) != WG_OK) return st;
    if (s->nodes && n != s->nodes) {
        wg_diag_error(d, WG_EINPUT, "%s: %llu degrees for %llu nodes", s->deg_file, (unsigned long long)n,
                      (unsigned long long)s->nodes);
        free(v);
        return WG_EINPUT;
    }
    for (uint64_t a = 0; a < n; a++) {   /* every bad degree is reported */
        sum += v[a];
        if (v[a] >= n) {
            wg_diag_error(d, WG_EINPUT, "%s:%llu: degree %u is not below the %llu agents", s->deg_file,
                          (unsigned long long)a + 1, v[a], (unsigned long long)n);
            st = WG_EINPUT;
        }
    }
    if (st == WG_OK && (sum & 1)) {
        wg_diag_error(d, WG_EINPUT, "%s: the degrees add up to %llu, an odd number", s->deg_file,
                      (unsigned long long)sum);
        st = WG_EINPUT;
    }
    if (st != WG_OK) {
        free(v);
        return st;
    }
    *deg = v;
    *count = n;
    return WG_OK;
}

wg_status wg_generate(const wg_netspec *spec, uint64_t seed, wg_graph **out, wg_diag *d)
{
    uint32_t *deg = NULL;
    uint64_t ndeg = 0;
    wg_status st;
    *out = NULL;
    if ((st = check_spec(spec, d)) != WG_OK) return st;
    if ((st = check_memory(spec, d)) != WG_OK) return st;
    if (spec->kind == WG_NET_BARABASI_ALBERT) {
        st = generate_ba(spec, seed, out, d);
    } else {
        if (spec->kind == WG_NET_CONFIGURATION &&
            (st = configuration_degrees(spec, seed, &deg, &ndeg, d)) != WG_OK)
            return st;
        st = wg_igraph_generate(spec, seed, deg, ndeg, out, d);
        free(deg);
    }
    WG_ASSERT(st != WG_OK || wg_graph_valid(*out));
    return st;
}
