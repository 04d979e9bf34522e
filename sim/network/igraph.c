/*
 * igraph.c — waggle's only door to igraph, and the only file that includes
 * igraph.h: the generators waggle takes from igraph, the GraphML, GML and
 * Pajek readers, and the conversion of an igraph_t into waggle's CSR (see
 * igraph_glue.h for the interface). Nothing downstream ever sees igraph.
 *
 * igraph keeps its handlers, its attribute handler and its default random
 * generator in process-wide variables, which a host process (python-igraph,
 * R's igraph) sets for itself. Every entry point here is one session:
 * session_begin saves all of them and installs waggle's (errors recorded
 * instead of aborting, warnings silent, no progress, status or interruption
 * callbacks into a foreign runtime, the C attribute handler); a generator
 * session also makes a private PCG32 generator, seeded with the scenario
 * seed, the default; session_end puts every one of the caller's values back.
 *
 * Invariants:
 *   1. outside a session, igraph's process-wide state is the caller's, as the
 *      caller left it: the handlers, the attribute table, the default
 *      generator and its stream (waggle never draws from or seeds it);
 *   2. every entry point pairs session_begin with session_end on every path,
 *      and every igraph object it makes is destroyed before session_end (an
 *      igraph_t must be destroyed under the attribute table that made it);
 *   3. one session at a time (session_lock): igraph 0.10 is built without
 *      thread-local state, and `reason` belongs to the session that holds it.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <igraph.h>

#include "igraph_glue.h"

/* igraph 0.10's igraph_rng_set_default copies the struct it is given into
 * igraph's own default (the generator's state is shared, the struct is
 * not): the caller's default is therefore saved and put back by value, and
 * the session's generator is seeded before it is installed (the copy takes
 * its is_seeded flag; an unseeded default is reseeded from the clock). */
#if IGRAPH_VERSION_MAJOR != 0 || IGRAPH_VERSION_MINOR != 10
#error "igraph.c saves igraph's default generator as igraph 0.10 sets it; check igraph_rng_set_default"
#endif

#define WG_IGRAPH_REASON_LEN 512

static pthread_mutex_t session_lock = PTHREAD_MUTEX_INITIALIZER;
/* The reason igraph gave for the last error of the session holding the lock. */
static char reason[WG_IGRAPH_REASON_LEN];

/* The caller's igraph state while a session runs, and the session's own generator. */
typedef struct session {
    igraph_error_handler_t *error;
    igraph_warning_handler_t *warning;
    igraph_progress_handler_t *progress;
    igraph_status_handler_t *status;
    igraph_interruption_handler_t *interruption;
    igraph_attribute_table_t *attributes;
    igraph_rng_t rng;       /* the caller's default generator (a copy: see above) */
    igraph_rng_t own;       /* the session's generator, when has_own */
    int has_own;
} session;

/* igraph reports here instead of aborting; the reason is kept for the message. */
static void on_error(const char *why, const char *file, int line, igraph_error_t err)
{
    (void)file;
    (void)line;
    (void)err;
    snprintf(reason, sizeof reason, "%s", why ? why : "");
    IGRAPH_FINALLY_FREE();
}

static void on_warning(const char *why, const char *file, int line)
{
    (void)why;
    (void)file;
    (void)line;
}

static void session_begin(session *s)
{
    pthread_mutex_lock(&session_lock);
    reason[0] = '\0';
    s->error = igraph_set_error_handler(on_error);
    s->warning = igraph_set_warning_handler(on_warning);
    s->progress = igraph_set_progress_handler(NULL);
    s->status = igraph_set_status_handler(NULL);
    s->interruption = igraph_set_interruption_handler(NULL);
    s->attributes = igraph_set_attribute_table(&igraph_cattribute_table);
    s->rng = *igraph_rng_default();
    s->has_own = 0;
}

/* Make a PCG32 generator (igraph 0.10's default type) seeded with seed the
 * default for the rest of the session. */
static igraph_error_t session_seed(session *s, uint64_t seed)
{
    igraph_error_t e = igraph_rng_init(&s->own, &igraph_rngtype_pcg32);
    if (e != IGRAPH_SUCCESS) return e;
    s->has_own = 1;
    if ((e = igraph_rng_seed(&s->own, (igraph_uint_t)seed)) != IGRAPH_SUCCESS) return e;
    igraph_rng_set_default(&s->own);
    return IGRAPH_SUCCESS;
}

static void session_end(session *s)
{
    igraph_rng_set_default(&s->rng);
    if (s->has_own) igraph_rng_destroy(&s->own);
    igraph_set_attribute_table(s->attributes);
    igraph_set_interruption_handler(s->interruption);
    igraph_set_status_handler(s->status);
    igraph_set_progress_handler(s->progress);
    igraph_set_warning_handler(s->warning);
    igraph_set_error_handler(s->error);
    pthread_mutex_unlock(&session_lock);
}

/* The waggle status of an igraph error code. */
static wg_status status_of(igraph_error_t e)
{
    if (e == IGRAPH_SUCCESS) return WG_OK;
    if (e == IGRAPH_ENOMEM) return WG_ENOMEM;
    return WG_EINPUT;
}

/* Convert ig into a new CSR graph (directed as ig is, or undirected when
 * force_undirected) with weights[] per igraph edge when not NULL.
 * Self-loops and duplicates are dropped and counted. */
static wg_status convert(const igraph_t *ig, const igraph_vector_t *weights, int force_undirected,
                         wg_graph **out, uint64_t *loops, uint64_t *dups, wg_diag *d)
{
    igraph_vector_int_t el;
    uint32_t *src = NULL, *dst = NULL;
    float *w = NULL;
    wg_status st = WG_ENOMEM;
    igraph_integer_t n = igraph_vcount(ig), e = igraph_ecount(ig);
    *out = NULL;
    if (n >= (igraph_integer_t)WG_MAX_AGENTS) {
        wg_diag_error(d, WG_EINPUT, "network: %lld agents is more than waggle can hold", (long long)n);
        return WG_EINPUT;
    }
    if (igraph_vector_int_init(&el, 0) != IGRAPH_SUCCESS) {
        wg_diag_error(d, WG_ENOMEM, "network: out of memory converting the graph");
        return WG_ENOMEM;
    }
    if (igraph_get_edgelist(ig, &el, 0) != IGRAPH_SUCCESS) goto fail;
    src = wg_malloc(e ? (size_t)e : 1, sizeof *src);
    dst = wg_malloc(e ? (size_t)e : 1, sizeof *dst);
    if (weights) w = wg_malloc(e ? (size_t)e : 1, sizeof *w);
    if (!src || !dst || (weights && !w)) goto fail;
    for (igraph_integer_t i = 0; i < e; i++) {
        src[i] = (uint32_t)VECTOR(el)[2 * i];
        dst[i] = (uint32_t)VECTOR(el)[2 * i + 1];
        if (w) w[i] = (float)VECTOR(*weights)[i];
    }
    igraph_vector_int_destroy(&el);
    st = wg_graph_from_edges((uint32_t)n, (uint64_t)e, src, dst, w,
                             igraph_is_directed(ig) && !force_undirected, out, loops, dups, d);
    free(src);
    free(dst);
    free(w);
    return st;
fail:
    igraph_vector_int_destroy(&el);
    free(src);
    free(dst);
    free(w);
    wg_diag_error(d, WG_ENOMEM, "network: out of memory converting the graph");
    return WG_ENOMEM;
}

/* ---- generators --------------------------------------------------------- */

/* Call the igraph generator of the spec's kind into *ig. *st is set (and the
 * problem reported) when the spec itself is wrong in a way only igraph sees. */
static igraph_error_t run_generator(const wg_netspec *s, const uint32_t *degrees, uint64_t ndegrees,
                                    igraph_t *ig, wg_diag *d, wg_status *st)
{
    igraph_integer_t n = (igraph_integer_t)s->nodes;
    igraph_error_t e = IGRAPH_SUCCESS;
    *st = WG_OK;
    switch (s->kind) {
    case WG_NET_ERDOS_RENYI:
        return igraph_erdos_renyi_game_gnp(ig, n, n > 1 ? s->mean_degree / (double)(n - 1) : 0.0, s->directed, 0);
    case WG_NET_WATTS_STROGATZ:
        return igraph_watts_strogatz_game(ig, 1, n, s->neighbours, s->rewire, 0, 0);
    case WG_NET_CONFIGURATION: {
        igraph_vector_int_t deg;
        if ((e = igraph_vector_int_init(&deg, (igraph_integer_t)ndegrees)) != IGRAPH_SUCCESS) return e;
        for (uint64_t a = 0; a < ndegrees; a++) VECTOR(deg)[a] = degrees[a];
        e = igraph_degree_sequence_game(ig, &deg, NULL, IGRAPH_DEGSEQ_CONFIGURATION);
        igraph_vector_int_destroy(&deg);
        return e;
    }
    case WG_NET_SBM: {
        igraph_matrix_t pm;
        igraph_vector_int_t sizes;
        igraph_integer_t nb = (igraph_integer_t)s->nblocks, total = 0;
        if ((e = igraph_matrix_init(&pm, nb, nb)) != IGRAPH_SUCCESS) return e;
        if ((e = igraph_vector_int_init(&sizes, nb)) != IGRAPH_SUCCESS) {
            igraph_matrix_destroy(&pm);
            return e;
        }
        for (igraph_integer_t i = 0; i < nb; i++) {
            VECTOR(sizes)[i] = (igraph_integer_t)s->sizes[i];
            total += (igraph_integer_t)s->sizes[i];
            for (igraph_integer_t j = 0; j < nb; j++) MATRIX(pm, i, j) = s->p[i * nb + j];
        }
        e = igraph_sbm_game(ig, total, &pm, &sizes, s->directed, 0);
        igraph_matrix_destroy(&pm);
        igraph_vector_int_destroy(&sizes);
        return e;
    }
    case WG_NET_COMPLETE: return igraph_full(ig, n, s->directed, 0);
    case WG_NET_STAR: return igraph_star(ig, n, s->directed ? IGRAPH_STAR_OUT : IGRAPH_STAR_UNDIRECTED, 0);
    case WG_NET_RING: return igraph_ring(ig, n, s->directed, 0, 1);
    case WG_NET_PATH: return igraph_ring(ig, n, s->directed, 0, 0);
    case WG_NET_LATTICE: {
        igraph_vector_int_t dims;
        igraph_vector_bool_t per;
        if ((e = igraph_vector_int_init(&dims, 2)) != IGRAPH_SUCCESS) return e;
        if ((e = igraph_vector_bool_init(&per, 2)) != IGRAPH_SUCCESS) {
            igraph_vector_int_destroy(&dims);
            return e;
        }
        VECTOR(dims)[0] = s->dims[0];
        VECTOR(dims)[1] = s->dims[1];
        VECTOR(per)[0] = VECTOR(per)[1] = s->periodic ? 1 : 0;
        e = igraph_square_lattice(ig, &dims, 1, 0, 0, &per);
        igraph_vector_int_destroy(&dims);
        igraph_vector_bool_destroy(&per);
        return e;
    }
    case WG_NET_FAMOUS: {
        const char *name = s->famous;
        if (!strcmp(name, "karate") || !strcmp(name, "zachary")) name = "Zachary";
        e = igraph_famous(ig, name);
        if (e != IGRAPH_SUCCESS && e != IGRAPH_ENOMEM) {
            wg_diag_error(d, WG_EINPUT, "network: famous graph \"%s\" is unknown (try karate)", s->famous);
            *st = WG_EINPUT;
        }
        return e;
    }
    default:
        return IGRAPH_EINVAL;
    }
}

wg_status wg_igraph_generate(const wg_netspec *spec, uint64_t seed, const uint32_t *degrees,
                             uint64_t ndegrees, wg_graph **out, wg_diag *d)
{
    session s;
    igraph_t ig;
    wg_status st = WG_OK;
    *out = NULL;
    session_begin(&s);
    if (session_seed(&s, seed) != IGRAPH_SUCCESS) {
        wg_diag_error(d, WG_ENOMEM, "network: cannot seed igraph's random generator");
        st = WG_ENOMEM;
        goto done;
    }
    igraph_error_t e = run_generator(spec, degrees, ndegrees, &ig, d, &st);
    if (st != WG_OK) goto done;   /* reported already; ig was not built */
    if (e != IGRAPH_SUCCESS) {
        st = status_of(e);
        wg_diag_error(d, st, "network: %s: igraph failed: %s", wg_netspec_kind_name(spec->kind),
                      *reason ? reason : st == WG_ENOMEM ? "out of memory" : "error");
        goto done;
    }
    st = convert(&ig, NULL, 0, out, NULL, NULL, d);
    igraph_destroy(&ig);
done:
    session_end(&s);
    return st;
}

/* ---- GraphML, GML, Pajek ------------------------------------------------ */

/* Node attributes into g->attr_* as strings ("%.17g" for numbers, "true" or
 * "false", the text itself; NULL for a missing value or NaN). */
static wg_status copy_node_attrs(const igraph_t *ig, wg_graph *g, const char *path, wg_diag *d)
{
    igraph_strvector_t names;
    igraph_vector_int_t types;
    wg_status st = WG_ENOMEM;
    if (igraph_strvector_init(&names, 0)) goto oom0;
    if (igraph_vector_int_init(&types, 0)) goto oom1;
    if (igraph_cattribute_list(ig, NULL, NULL, &names, &types, NULL, NULL)) goto oom2;
    size_t na = (size_t)igraph_strvector_size(&names);
    if (na) {
        g->attr_names = wg_calloc(na, sizeof *g->attr_names);
        g->attr_values = wg_calloc(na, sizeof *g->attr_values);
        if (!g->attr_names || !g->attr_values) goto oom2;
        g->nattrs = na;
    }
    for (size_t i = 0; i < na; i++) {
        const char *name = igraph_strvector_get(&names, (igraph_integer_t)i);
        int type = (int)VECTOR(types)[i];
        if (!(g->attr_names[i] = wg_strdup(name))) goto oom2;
        if (!(g->attr_values[i] = wg_calloc(g->n ? g->n : 1, sizeof(char *)))) goto oom2;
        for (uint32_t a = 0; a < g->n; a++) {
            char num[64];
            const char *v = NULL;
            if (type == IGRAPH_ATTRIBUTE_NUMERIC) {
                double x = VAN(ig, name, a);
                if (!isnan(x)) {
                    snprintf(num, sizeof num, "%.17g", x);
                    v = num;
                }
            } else if (type == IGRAPH_ATTRIBUTE_BOOLEAN) {
                v = VAB(ig, name, a) ? "true" : "false";
            } else if (type == IGRAPH_ATTRIBUTE_STRING) {
                v = VAS(ig, name, a);
            }
            if (v && !(g->attr_values[i][a] = wg_strdup(v))) goto oom2;
        }
    }
    st = WG_OK;
oom2:
    igraph_vector_int_destroy(&types);
oom1:
    igraph_strvector_destroy(&names);
oom0:
    if (st != WG_OK) wg_diag_error(d, st, "%s: out of memory reading node attributes", path);
    return st;
}

/* Edge weights from the numeric edge attribute spec->weight into w (made
 * here; the caller destroys it when this returns WG_OK). */
static wg_status edge_weights(const igraph_t *ig, const wg_netspec *spec, igraph_vector_t *w, wg_diag *d)
{
    if (!igraph_cattribute_has_attr(ig, IGRAPH_ATTRIBUTE_EDGE, spec->weight)) {
        wg_diag_error(d, WG_EINPUT, "%s: no edge attribute \"%s\" for the weight", spec->file, spec->weight);
        return WG_EINPUT;
    }
    igraph_attribute_type_t type;
    if (igraph_cattribute_table.gettype(ig, &type, IGRAPH_ATTRIBUTE_EDGE, spec->weight) ||
        type != IGRAPH_ATTRIBUTE_NUMERIC) {
        wg_diag_error(d, WG_EINPUT, "%s: edge attribute \"%s\" is not numeric", spec->file, spec->weight);
        return WG_EINPUT;
    }
    if (igraph_vector_init(w, 0)) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory reading weights", spec->file);
        return WG_ENOMEM;
    }
    if (igraph_cattribute_EANV(ig, spec->weight, igraph_ess_all(IGRAPH_EDGEORDER_ID), w)) {
        igraph_vector_destroy(w);
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory reading weights", spec->file);
        return WG_ENOMEM;
    }
    for (igraph_integer_t i = 0; i < igraph_vector_size(w); i++) {
        double x = VECTOR(*w)[i];
        if (!isfinite(x) || !(x > 0) || !((float)x > 0) || !isfinite((float)x)) {
            wg_diag_error(d, WG_EINPUT, "%s: edge %lld has weight %g, not a finite number > 0", spec->file,
                          (long long)i + 1, x);
            igraph_vector_destroy(w);
            return WG_EINPUT;
        }
    }
    return WG_OK;
}

wg_status wg_igraph_read(const wg_netspec *spec, wg_net_format fmt, FILE *f, wg_graph **out,
                         uint64_t *loops, uint64_t *dups, wg_diag *d)
{
    session s;
    igraph_t ig;
    igraph_vector_t w;
    int have_ig = 0, have_w = 0;
    wg_graph *g = NULL;
    wg_status st;
    *out = NULL;
    session_begin(&s);
    igraph_error_t e = fmt == WG_FMT_GRAPHML ? igraph_read_graph_graphml(&ig, f, 0)
                       : fmt == WG_FMT_GML   ? igraph_read_graph_gml(&ig, f)
                                             : igraph_read_graph_pajek(&ig, f);
    if (e != IGRAPH_SUCCESS) {
        st = status_of(e);
        /* a reader that gives no reason of its own: igraph's word for the code */
        wg_diag_error(d, st, "%s: cannot read the %s file: %s", spec->file,
                      fmt == WG_FMT_GRAPHML ? "GraphML" : fmt == WG_FMT_GML ? "GML" : "Pajek",
                      *reason ? reason : igraph_strerror(e));
        goto done;
    }
    have_ig = 1;
    if (igraph_ecount(&ig) == 0) {
        wg_diag_error(d, WG_EINPUT, "%s: no edges in the network file", spec->file);
        st = WG_EINPUT;
        goto done;
    }
    if (spec->weight) {
        if ((st = edge_weights(&ig, spec, &w, d)) != WG_OK) goto done;
        have_w = 1;
    }
    /* GraphML's edgedefault and GML's `directed` are the file's word on its
     * direction: used when the scenario does not say, an error when it says
     * otherwise. Pajek (*Arcs or *Edges) follows the scenario as before. */
    int directed = spec->directed ? 1 : 0;
    if (fmt != WG_FMT_PAJEK) {
        const int file_directed = igraph_is_directed(&ig) ? 1 : 0;
        const char *word = fmt == WG_FMT_GRAPHML
                               ? (file_directed ? "edgedefault=\"directed\"" : "edgedefault=\"undirected\"")
                               : (file_directed ? "directed 1" : "no \"directed 1\"");
        if (spec->directed_set && directed != file_directed) {
            wg_diag_error(d, WG_EINPUT, "%s: the file says its network is %s (%s) but the scenario's "
                          "network.directed is %s: remove network.directed, or make it agree",
                          spec->file, file_directed ? "directed" : "undirected", word,
                          directed ? "true" : "false");
            st = WG_EINPUT;
            goto done;
        }
        if (!spec->directed_set) directed |= file_directed;
    }
    /* An undirected file read as directed keeps both arcs of each edge. */
    st = convert(&ig, have_w ? &w : NULL, !directed, &g, loops, dups, d);
    if (st != WG_OK) goto done;
    g->directed = directed;
    if ((st = copy_node_attrs(&ig, g, spec->file, d)) != WG_OK) goto done;
    *out = g;
    g = NULL;
done:
    wg_graph_free(g);
    if (have_w) igraph_vector_destroy(&w);
    if (have_ig) igraph_destroy(&ig);
    session_end(&s);
    return st;
}

const char *wg_igraph_version(void)
{
    const char *v = NULL;
    igraph_version(&v, NULL, NULL, NULL);
    return v ? v : "unknown";
}

/* ---- layouts (waggle draw) ------------------------------------------------- */

const char *const wg_layout_names[WG_NLAYOUTS + 1] = {"fr", "kk", "drl", NULL};

/* FR's iterations: igraph's default for its R and Python front ends. */
#define WG_LAYOUT_FR_ITER 500

wg_status wg_igraph_layout(const wg_graph *g, const uint32_t *keep, uint32_t nkeep,
                           wg_layout_kind kind, uint64_t seed, double *x, double *y, wg_diag *d)
{
    session s;
    igraph_t ig;
    igraph_vector_int_t el;
    igraph_matrix_t pos;
    uint32_t n = keep ? nkeep : g->n, *slot = NULL;
    wg_status st = WG_OK;
    int have_el = 0, have_g = 0, have_pos = 0;
    if (keep) {
        /* slot[a]: the index of agent a in keep, or WG_NO_AGENT */
        if (!(slot = wg_malloc(g->n ? g->n : 1, sizeof *slot))) {
            wg_diag_error(d, WG_ENOMEM, "layout: out of memory");
            return WG_ENOMEM;
        }
        for (uint32_t a = 0; a < g->n; a++) slot[a] = WG_NO_AGENT;
        for (uint32_t i = 0; i < nkeep; i++) slot[keep[i]] = i;
    }
    session_begin(&s);
    igraph_error_t e = session_seed(&s, seed);
    if (e == IGRAPH_SUCCESS) e = igraph_vector_int_init(&el, 0);
    if (e == IGRAPH_SUCCESS) have_el = 1;
    /* each undirected edge once (a < b, or every arc of a directed graph) */
    for (uint32_t i = 0; e == IGRAPH_SUCCESS && i < n; i++) {
        uint32_t a = keep ? keep[i] : i;
        for (uint64_t k = g->out_off[a]; k < g->out_off[a + 1] && e == IGRAPH_SUCCESS; k++) {
            uint32_t b = g->out_adj[k], j = keep ? slot[b] : b;
            if (j == WG_NO_AGENT || (!g->directed && j <= i)) continue;
            if ((e = igraph_vector_int_push_back(&el, i)) == IGRAPH_SUCCESS)
                e = igraph_vector_int_push_back(&el, j);
        }
    }
    if (e == IGRAPH_SUCCESS && (e = igraph_create(&ig, &el, n, IGRAPH_UNDIRECTED)) == IGRAPH_SUCCESS)
        have_g = 1;
    if (e == IGRAPH_SUCCESS && (e = igraph_matrix_init(&pos, n, 2)) == IGRAPH_SUCCESS) have_pos = 1;
    if (e == IGRAPH_SUCCESS && n > 0) {
        if (kind == WG_LAYOUT_FR) {
            e = igraph_layout_fruchterman_reingold(&ig, &pos, 0, WG_LAYOUT_FR_ITER, sqrt((double)n),
                                                   IGRAPH_LAYOUT_AUTOGRID, NULL, NULL, NULL,
                                                   NULL, NULL);
        } else if (kind == WG_LAYOUT_KK) {
            e = igraph_layout_kamada_kawai(&ig, &pos, 0, 50 * (igraph_integer_t)n, 0.0, (double)n,
                                           NULL, NULL, NULL, NULL, NULL);
        } else {
            igraph_layout_drl_options_t o;
            if ((e = igraph_layout_drl_options_init(&o, IGRAPH_LAYOUT_DRL_DEFAULT)) == IGRAPH_SUCCESS)
                e = igraph_layout_drl(&ig, &pos, 0, &o, NULL);
        }
    }
    if (e != IGRAPH_SUCCESS) {
        st = status_of(e);
        wg_diag_error(d, st, "layout %s: igraph failed: %s", wg_layout_names[kind],
                      *reason ? reason : st == WG_ENOMEM ? "out of memory" : "error");
    } else if (n > 0) {
        /* into [0, 1]², the aspect kept, centred on the shorter side */
        double x0 = HUGE_VAL, x1 = -HUGE_VAL, y0 = HUGE_VAL, y1 = -HUGE_VAL;
        for (uint32_t i = 0; i < n; i++) {
            double px = MATRIX(pos, i, 0), py = MATRIX(pos, i, 1);
            x0 = fmin(x0, px), x1 = fmax(x1, px), y0 = fmin(y0, py), y1 = fmax(y1, py);
        }
        double span = fmax(x1 - x0, y1 - y0);
        if (!(span > 0)) span = 1;
        double ox = (span - (x1 - x0)) / 2, oy = (span - (y1 - y0)) / 2;
        for (uint32_t i = 0; i < n; i++) {
            x[i] = (MATRIX(pos, i, 0) - x0 + ox) / span;
            y[i] = (MATRIX(pos, i, 1) - y0 + oy) / span;
        }
    }
    if (have_pos) igraph_matrix_destroy(&pos);
    if (have_g) igraph_destroy(&ig);
    if (have_el) igraph_vector_int_destroy(&el);
    session_end(&s);
    free(slot);
    return st;
}
