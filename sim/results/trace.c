/*
 * trace.c — trace-R.csv: where each agent's opinion came from in one traced
 * run (DESIGN.md, `trace:`), one row per agent, and the choice of the traced
 * runs (by index or by a quantile of the final reach).
 *
 * Invariants:
 * 1. Rows are in agent order and every field is a pure function of the
 *    run's record, so a traced run gives the same bytes on any thread count.
 * 2. Above WG_TRACE_GZ_AGENTS agents the file is trace-R.csv.gz (gzip, level
 *    6), written through wg_out like every file: it appears when complete.
 * 3. Fields of an agent not in the reach (step_reached, valence, source,
 *    parent, generation) are empty; parent is the parent's file id.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "waggle/output.h"

/* Bytes of CSV text gathered before they are compressed. */
#define WG_TRACE_CHUNK (1u << 16)

typedef struct trace_sink {
    FILE *f;
    int gz;
    z_stream z;
    char buf[WG_TRACE_CHUNK];
    size_t len;
    int err;
} trace_sink;

static void sink_deflate(trace_sink *k, int flush)
{
    unsigned char out[WG_TRACE_CHUNK];
    k->z.next_in = (unsigned char *)k->buf;
    k->z.avail_in = (uInt)k->len;
    do {
        k->z.next_out = out;
        k->z.avail_out = sizeof out;
        if (deflate(&k->z, flush) == Z_STREAM_ERROR) {
            k->err = 1;
            return;
        }
        size_t have = sizeof out - k->z.avail_out;
        if (have && fwrite(out, 1, have, k->f) != have) k->err = 1;
    } while (k->z.avail_out == 0);
    k->len = 0;
}

static void sink_flush(trace_sink *k, int last)
{
    if (!k->gz) {
        if (k->len && fwrite(k->buf, 1, k->len, k->f) != k->len) k->err = 1;
        k->len = 0;
        return;
    }
    sink_deflate(k, last ? Z_FINISH : Z_NO_FLUSH);
}

/* Room for one row: 10 fields of at most 20 digits or a state's name, and
 * two ids of at most WG_ID_TEXT_MAX bytes, quoted with every quote doubled. */
#define WG_TRACE_ROW_MAX (256 + 2 * (2 * WG_ID_TEXT_MAX + 2))

static char *put_u64(char *p, uint64_t x)
{
    char tmp[24];
    int n = 0;
    do tmp[n++] = (char)('0' + x % 10);
    while ((x /= 10) != 0);
    while (n) *p++ = tmp[--n];
    return p;
}

static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* Agent a's id (wg_graph_id) as a CSV field: integers as they were, a text
 * id between quotes only when it holds a comma or a quote. */
static char *put_id(char *p, const wg_graph *g, uint32_t a)
{
    if (!g->name || !g->name[a]) return put_u64(p, g->label ? g->label[a] : a);
    const char *s = g->name[a];
    if (!strpbrk(s, ",\"\n\r")) return put_str(p, s);
    *p++ = '"';
    for (; *s; s++) {
        if (*s == '"') *p++ = '"';
        *p++ = *s;
    }
    *p++ = '"';
    return p;
}

const char *wg_trace_file_name(uint32_t agents)
{
    return agents > WG_TRACE_GZ_AGENTS ? "trace-%u.csv.gz" : "trace-%u.csv";
}

wg_status wg_write_trace(const char *dir, uint32_t run, const wg_graph *g, const uint8_t *state,
                         const wg_trace_rec *rec, wg_diag *d)
{
    char name[48];
    snprintf(name, sizeof name, wg_trace_file_name(g->n), run);
    wg_out o;
    wg_status st = wg_out_open(&o, dir, name, d);
    if (st != WG_OK) return st;
    trace_sink *k = wg_calloc(1, sizeof *k);
    if (!k) {
        wg_out_abort(&o);
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory", name);
        return WG_ENOMEM;
    }
    k->f = o.f;
    k->gz = g->n > WG_TRACE_GZ_AGENTS;
    /* windowBits 15 + 16: a gzip header and trailer */
    if (k->gz && deflateInit2(&k->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(k);
        wg_out_abort(&o);
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory (zlib)", name);
        return WG_ENOMEM;
    }
    k->len = (size_t)snprintf(k->buf, sizeof k->buf,
                              "agent,id,state,valence,step_reached,source,parent,generation,"
                              "talked_steps,exposures\n");
    for (uint32_t a = 0; a < g->n && !k->err && !wg_stopped(); a++) {
        if (k->len + WG_TRACE_ROW_MAX > sizeof k->buf) sink_flush(k, 0);
        const wg_trace_rec *r = &rec[a];
        const int in = wg_trace_source(r) != WG_SRC_NONE;
        char *p = k->buf + k->len;
        p = put_u64(p, a);
        *p++ = ',';
        p = put_id(p, g, a);
        *p++ = ',';
        /* the engine's state after the six: not arrived yet (arrivals:) */
        p = put_str(p, state[a] == WG_NSTATES ? "absent" : wg_state_singular_name((wg_state)state[a]));
        *p++ = ',';
        if (in) p = put_str(p, wg_valence_name(wg_trace_valence(r)));
        *p++ = ',';
        if (in) p = put_u64(p, r->step_reached);
        *p++ = ',';
        p = put_str(p, wg_source_name(wg_trace_source(r)));
        *p++ = ',';
        if (in && r->parent != WG_TRACE_NONE)
            p = put_id(p, g, r->parent);
        *p++ = ',';
        if (in) p = put_u64(p, wg_trace_generation(r));
        *p++ = ',';
        p = put_u64(p, r->talked_steps);
        *p++ = ',';
        p = put_u64(p, r->exposures);
        *p++ = '\n';
        k->len = (size_t)(p - k->buf);
    }
    sink_flush(k, 1);
    if (k->gz) deflateEnd(&k->z);
    int err = k->err;
    free(k);
    if (err) {
        wg_out_abort(&o);
        wg_diag_error(d, WG_EIO, "%s/%s: writing failed", dir, name);
        return WG_EIO;
    }
    return wg_out_commit(&o, d);
}

/* ---- which runs ------------------------------------------------------------------------------- */

typedef struct { double reach; uint32_t run; } run_key;

static int cmp_key(const void *a, const void *b)
{
    const run_key *x = a, *y = b;
    if (x->reach != y->reach) return x->reach < y->reach ? -1 : 1;
    return x->run < y->run ? -1 : x->run > y->run;
}

/* Sorted (reach, run) keys of reach[0..runs); NULL when out of memory. */
static run_key *sorted_keys(const double *reach, uint32_t runs)
{
    run_key *k = wg_malloc(runs ? runs : 1, sizeof *k);
    if (!k) return NULL;
    for (uint32_t j = 0; j < runs; j++) k[j].reach = reach[j], k[j].run = j;
    qsort(k, runs, sizeof *k, cmp_key);
    return k;
}

/* The run at quantile pick `which` of the sorted keys: the nearest rank, the
 * run the quantile of the histogram points at. */
static uint32_t key_run(const run_key *k, uint32_t runs, wg_trace_which which)
{
    double q = which == WG_TRACE_MEDIAN ? 0.5
               : which == WG_TRACE_P05  ? 0.05
               : which == WG_TRACE_P95  ? 0.95
                                        : 1.0;
    return k[(size_t)(q * (runs - 1) + 0.5)].run;
}

wg_status wg_trace_quantile_run(const double *reach, uint32_t runs, wg_trace_which which,
                                uint32_t *run, wg_diag *d)
{
    if (runs == 0) {
        wg_diag_error(d, WG_EINPUT, "trace: no runs to pick %s from", wg_trace_which_names[which]);
        return WG_EINPUT;
    }
    run_key *k = sorted_keys(reach, runs);
    if (!k) {
        wg_diag_error(d, WG_ENOMEM, "trace: out of memory");
        return WG_ENOMEM;
    }
    *run = key_run(k, runs, which);
    free(k);
    return WG_OK;
}

wg_status wg_trace_runs(const wg_results *r, int valence, const wg_trace_pick *picks,
                        size_t npicks, uint32_t *runs, size_t *nruns, wg_diag *d)
{
    *nruns = 0;
    run_key *k = NULL;
    for (size_t i = 0; i < npicks; i++) {
        uint32_t run;
        if (picks[i].which == WG_TRACE_INDEX) {
            run = picks[i].run;
            if (run >= r->runs) {
                free(k);
                wg_diag_error(d, WG_EINPUT, "trace: run %u does not exist (%u runs: 0 to %u)", run,
                              r->runs, r->runs - 1);
                return WG_EINPUT;
            }
        } else {
            if (!k) {
                double *reach = wg_malloc(r->runs ? r->runs : 1, sizeof *reach);
                for (uint32_t j = 0; reach && j < r->runs; j++) {
                    wg_final f;
                    wg_final_of(r, j, &f);
                    reach[j] = valence == WG_POS ? f.reach_pos : f.reach_neg;
                }
                k = reach ? sorted_keys(reach, r->runs) : NULL;
                free(reach);
                if (!k) {
                    wg_diag_error(d, WG_ENOMEM, "trace: out of memory");
                    return WG_ENOMEM;
                }
            }
            run = key_run(k, r->runs, picks[i].which);
        }
        size_t m = 0;
        while (m < *nruns && runs[m] != run) m++;
        if (m == *nruns) runs[(*nruns)++] = run;
    }
    free(k);
    return WG_OK;
}
