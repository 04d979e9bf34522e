/*
 * job.c — the one entry point: a scenario carried from its file to its run folder
 * (waggle/job.h). Commands, studies, tests and bindings all run scenarios here.
 *
 * Order of work, so that bad input writes nothing: load and validate the
 * scenario (open), build the network (build), prepare the engine, where picks
 * are checked against the network (prepare), run, and only then read the
 * observed file, create the output folder and write each file atomically (write).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_version.h>

#include "waggle/compare.h"
#include "waggle/job.h"
#include "waggle/observed.h"
#include "waggle/render.h"

struct wg_job {
    wg_scenario *s;              /* owned */
    const wg_graph *g;           /* the network run on: own_g or lent */
    wg_graph *own_g;             /* built by the job, or NULL */
    wg_graph_stats gs;
    int have_stats;
    wg_results r;
    int have_results;
    double seconds;              /* wall time of the last run */
    double build_seconds;        /* wall time of wg_graph_build; negative for a lent graph */
    int threads;                 /* threads of the last run */
    size_t ntraced;              /* traced runs (trace:), each re-run alone with the recorder */
    uint32_t *traced_run;        /* ntraced run indices */
    uint8_t **traced_state;      /* ntraced × n final states */
    wg_trace_rec **traced_rec;   /* ntraced × n records */
    wg_graph *block;             /* a partitioned run on a lent network: this rank's block */
    int partitioned;             /* the network is this rank's block now: no other run */
    uint64_t xbytes, xsteps;     /* a partitioned run: bytes this rank exchanged, steps run */
    int keep_negative;           /* wg_job_keep_negative */
    uint64_t *negative;          /* runs × WG_AGENT_WORDS(n): negative agents at the end, or NULL */
};

static void traces_free(wg_job *j)
{
    for (size_t i = 0; i < j->ntraced; i++) {
        free(j->traced_state[i]);
        free(j->traced_rec[i]);
    }
    free(j->traced_run);
    free(j->traced_state);
    free(j->traced_rec);
    j->ntraced = 0;
    j->traced_run = NULL;
    j->traced_state = NULL;
    j->traced_rec = NULL;
}

/* The runs the scenario traces, re-run one at a time with the recorder (runs
 * are keyed, so run r gives the same counts again: checked, row by row). */
static wg_status run_traces(wg_job *j, wg_engine *e, wg_diag *d)
{
    const wg_scenario *s = j->s;
    const uint32_t n = j->g->n;
    const size_t per_run = (size_t)s->steps * WG_NCOUNTS;
    if (!s->ntrace) return WG_OK;
    uint32_t *counts = wg_malloc(per_run, sizeof *counts);
    j->traced_run = wg_calloc(s->ntrace, sizeof *j->traced_run);
    j->traced_state = wg_calloc(s->ntrace, sizeof *j->traced_state);
    j->traced_rec = wg_calloc(s->ntrace, sizeof *j->traced_rec);
    if (!counts || !j->traced_run || !j->traced_state || !j->traced_rec) goto nomem;
    size_t m;
    wg_status st = wg_trace_runs(&j->r, s->blowup_valence, s->trace, s->ntrace, j->traced_run, &m, d);
    if (st != WG_OK) {
        free(counts);
        traces_free(j);
        return st;
    }
    for (size_t i = 0; i < m; i++) {
        uint32_t run = j->traced_run[i], steps_run;
        j->traced_state[i] = wg_malloc(n ? n : 1, 1);
        j->traced_rec[i] = wg_malloc(n ? n : 1, sizeof **j->traced_rec);
        j->ntraced = i + 1;
        if (!j->traced_state[i] || !j->traced_rec[i]) goto nomem;
        wg_engine_run_traced(e, run, counts, &steps_run, j->traced_state[i], j->traced_rec[i], d);
        if (memcmp(counts, j->r.counts + run * per_run, per_run * sizeof *counts) != 0 ||
            steps_run != j->r.steps_run[run]) {
            free(counts);
            traces_free(j);
            wg_diag_error(d, WG_EIO, "trace: run %u traced differs from the run untraced "
                          "(a defect of waggle: please report it)", run);
            return WG_EIO;
        }
    }
    j->ntraced = m;
    free(counts);
    return WG_OK;
nomem:
    free(counts);
    traces_free(j);
    wg_diag_error(d, WG_ENOMEM, "trace: out of memory: the records of %u agents", n);
    return WG_ENOMEM;
}

/* ---- open and free ------------------------------------------------------------------- */

wg_status wg_job_open_scenario(wg_scenario *s, const wg_graph *g, wg_job **out, wg_diag *d)
{
    *out = NULL;
    wg_job *j = wg_calloc(1, sizeof *j);
    if (!j) {
        wg_scenario_free(s);
        wg_diag_error(d, WG_ENOMEM, "out of memory: a job");
        return WG_ENOMEM;
    }
    j->s = s;
    j->g = g;
    j->build_seconds = -1;   /* measured when the job builds its own network */
    *out = j;
    return WG_OK;
}

/* Largest scenario read from standard input: a scenario file's cap. */
#define WG_STDIN_MAX_BYTES WG_SCENARIO_MAX_BYTES

wg_status wg_job_load(const char *path, const char *const *sets, size_t nsets, wg_scenario **out,
                      wg_diag *d)
{
    *out = NULL;
    if (strcmp(path, "-") != 0) return wg_scenario_load(path, sets, nsets, out, d);
    char *text;
    size_t len;
    switch (wg_file_read_stream(stdin, WG_STDIN_MAX_BYTES, &text, &len)) {
    case WG_OK: break;
    case WG_EINPUT:
        wg_diag_error(d, WG_EINPUT, "-: the scenario on standard input is larger than %u MiB",
                      (unsigned)(WG_STDIN_MAX_BYTES >> 20));
        return WG_EINPUT;
    case WG_ENOMEM:
        wg_diag_error(d, WG_ENOMEM, "-: out of memory reading standard input");
        return WG_ENOMEM;
    default:
        wg_diag_error(d, WG_EIO, "-: cannot read standard input");
        return WG_EIO;
    }
    wg_status st = wg_input_text("-", text, &len, d);
    if (st != WG_OK) {
        free(text);
        return st;
    }
    /* relative paths of a scenario on standard input resolve against the working folder */
    st = wg_scenario_parse(text, len, "-", ".", sets, nsets, out, d);
    free(text);
    return st;
}

wg_status wg_job_open(const char *path, const char *const *sets, size_t nsets, wg_job **out,
                      wg_diag *d)
{
    wg_scenario *s = NULL;
    *out = NULL;
    wg_status st = wg_job_load(path, sets, nsets, &s, d);
    if (st != WG_OK) return st;
    return wg_job_open_scenario(s, NULL, out, d);
}

wg_status wg_job_open_text(const char *text, size_t len, const char *name, const char *dir,
                           const char *const *sets, size_t nsets, wg_job **out, wg_diag *d)
{
    wg_scenario *s = NULL;
    *out = NULL;
    wg_status st = wg_scenario_parse(text, len, name, dir, sets, nsets, &s, d);
    if (st != WG_OK) return st;
    return wg_job_open_scenario(s, NULL, out, d);
}

wg_status wg_job_open_folder(const char *dir, wg_job **out, wg_diag *d)
{
    static const char key[] = "\nscenario:\n";
    char *path = wg_path_join(dir, "manifest.yaml"), *text = NULL, *yaml = NULL;
    size_t len = 0, n = 0;
    *out = NULL;
    if (!path) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    wg_status st = wg_input_read(path, WG_IN_RESULT, &text, &len, d);
    if (st != WG_OK) goto done;
    const char *at = strstr(text, key);
    if (!at) {
        wg_diag_error(d, WG_EINPUT, "%s: no scenario: section (not the manifest of a run "
                      "folder)", path);
        st = WG_EINPUT;
        goto done;
    }
    /* the section is the scenario indented by two spaces: its lines as they stand, after
     * as many empty lines as come before it, so that messages name the manifest's lines
     * and columns */
    size_t before = 1;
    for (const char *c = text; c <= at; c++) before += *c == '\n';
    if (!(yaml = wg_malloc(len + before + 1, 1))) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        st = WG_ENOMEM;
        goto done;
    }
    memset(yaml, '\n', before);
    n = before;
    for (const char *l = at + sizeof key - 1; *l;) {
        const char *e = strchr(l, '\n');
        size_t ll = e ? (size_t)(e - l) + 1 : strlen(l);
        if (ll > 1 && strncmp(l, "  ", 2) != 0) break;   /* the next top-level key */
        memcpy(yaml + n, l, ll);   /* a root mapping indented by two spaces is YAML too */
        n += ll;
        l += ll;
    }
    yaml[n] = '\0';
    st = wg_job_open_text(yaml, n, path, ".", NULL, 0, out, d);
done:
    free(path);
    free(text);
    free(yaml);
    return st;
}

void wg_job_free(wg_job *j)
{
    if (!j) return;
    wg_results_free(&j->r);
    traces_free(j);
    free(j->negative);
    wg_graph_free(j->own_g);
    wg_graph_free(j->block);
    wg_scenario_free(j->s);
    free(j);
}

/* ---- build and run ------------------------------------------------------------------- */

static wg_status build_graph(wg_job *j, wg_diag *d)
{
    wg_status st;
    if (!j->g) {
        double t0 = wg_now_seconds();
        if ((st = wg_graph_build(&j->s->net, j->s->seed, &j->own_g, d)) != WG_OK) return st;
        j->build_seconds = wg_now_seconds() - t0;
        j->g = j->own_g;
        /* a file's own direction, as resolved (the manifest's scenario says it) */
        if (j->s->net.kind == WG_NET_FILE) j->s->net.directed = j->g->directed;
    }
    return WG_OK;
}

/* The network and its statistics: all of them, or (degrees_only, a
 * partitioned run) those of the row offsets alone, which read no arc. */
static wg_status build_with_stats(wg_job *j, int degrees_only, wg_diag *d)
{
    wg_status st;
    if ((st = build_graph(j, d)) != WG_OK) return st;
    if (!j->have_stats) {
        if (degrees_only) wg_graph_stats_degrees(j->g, &j->gs);
        else if ((st = wg_graph_stats_compute(j->g, &j->gs, NULL, d)) != WG_OK) return st;
        j->gs.build_seconds = j->build_seconds;
        j->have_stats = 1;
    }
    return WG_OK;
}

wg_status wg_job_build(wg_job *j, wg_diag *d)
{
    return build_with_stats(j, 0, d);
}

wg_status wg_job_build_network(wg_job *j, wg_diag *d)
{
    return build_graph(j, d);
}

void wg_job_sim_of(const wg_scenario *s, const wg_graph *g, wg_sim *sim)
{
    memset(sim, 0, sizeof *sim);
    sim->g = g;
    sim->model = s->model;
    sim->segments = s->segments;
    sim->nsegments = s->nsegments;
    sim->events = s->events;
    sim->nevents = s->nevents;
    sim->steps = s->steps;
    sim->seed = s->seed;
    sim->arrivals = s->arrivals;
}

void wg_job_run_params_default(wg_job_run_params *p)
{
    memset(p, 0, sizeof *p);
}

/* Two seeds picked one agent in one step: the later wins, with a note, or
 * (seed_conflict: error) the run's results are refused. */
static wg_status seed_conflicts(const wg_job *j, const wg_engine *e, wg_diag *d)
{
    uint32_t run, step, agent;
    uint64_t k = wg_engine_seed_conflicts(e, &run, &step, &agent);
    if (!k) return WG_OK;
    char buf[WG_ID_BUF];
    const char *label = wg_graph_id(j->g, agent, buf);
    if (j->s->seed_conflict_error) {
        wg_diag_error(d, WG_EINPUT,
                      "%s: two seeds picked agent %s at step %" PRIu32 " of run %" PRIu32
                      " (%" PRIu64 " such picks in %" PRIu32 " runs; seed_conflict: error)",
                      j->s->path ? j->s->path : "scenario", label, step, run, k, j->s->runs);
        return WG_EINPUT;
    }
    wg_diag_note(d,
                 "two seeds picked one agent in one step %" PRIu64 " time%s in %" PRIu32
                 " runs (first: agent %s, step %" PRIu32 ", run %" PRIu32
                 "); the later seed wins (seed_conflict: error refuses this)",
                 k, k == 1 ? "" : "s", j->s->runs, label, step, run);
    return WG_OK;
}

wg_status wg_job_prepare(wg_job *j, wg_diag *d)
{
    wg_status st = wg_job_build(j, d);
    if (st != WG_OK) return st;
    wg_sim sim;
    wg_engine *e = NULL;
    wg_job_sim_of(j->s, j->g, &sim);
    st = wg_engine_new(&sim, 1, &e, d);
    wg_engine_free(e);
    return st;
}

/* A partitioned run: the engine, prepared on the whole network, keeps this
 * rank's block; a network the job built is then replaced by the block (its
 * node attributes moved there, for picks by attribute), so that a rank holds
 * only its block's rows while the runs run. */
static wg_status partition(wg_job *j, wg_engine *e, const wg_engine_comm *comm, wg_diag *d)
{
    wg_graph *block = NULL;
    if (!j->own_g && (j->g->nattrs || j->g->name)) {
        wg_diag_error(d, WG_EINPUT, "job: a lent network with node attributes or text ids "
                                    "cannot be partitioned");
        return WG_EINPUT;
    }
    wg_status st = wg_engine_partition(e, comm, &block, d);
    if (st != WG_OK) return st;
    j->partitioned = 1;
    if (!j->own_g) {
        j->block = block;
        return WG_OK;
    }
    block->name = j->own_g->name;
    block->name_text = j->own_g->name_text;
    j->own_g->name = NULL;
    j->own_g->name_text = NULL;
    block->nattrs = j->own_g->nattrs;
    block->attr_names = j->own_g->attr_names;
    block->attr_values = j->own_g->attr_values;
    j->own_g->nattrs = 0;
    j->own_g->attr_names = NULL;
    j->own_g->attr_values = NULL;
    wg_graph_free(j->own_g);
    j->own_g = block;
    j->g = block;
    return WG_OK;
}

wg_status wg_job_run(wg_job *j, const wg_job_run_params *p, wg_diag *d)
{
    wg_job_run_params def;
    if (!p) {
        wg_job_run_params_default(&def);
        p = &def;
    }
    if (j->partitioned) {
        wg_diag_error(d, WG_EINPUT, "job: a partitioned job runs once (it keeps only its block "
                                    "of the network)");
        return WG_EINPUT;
    }
    if (p->partition && j->s->ntrace) {
        wg_diag_error(d, WG_EINPUT, "trace: a partitioned run (--partition) cannot trace runs "
                                    "(trace: or --trace): run it without --partition");
        return WG_EINPUT;
    }
    wg_status st = p->no_stats ? build_graph(j, d) : build_with_stats(j, p->partition != NULL, d);
    if (st != WG_OK) return st;
    wg_results_free(&j->r);
    traces_free(j);
    wg_job_drop_negative(j);
    j->have_results = 0;
    wg_sim sim;
    wg_engine *e = NULL;
    wg_job_sim_of(j->s, j->g, &sim);
    if ((st = wg_engine_new(&sim, p->threads, &e, d)) != WG_OK) return st;
    if (p->partition && (st = partition(j, e, p->partition, d)) != WG_OK) {
        wg_engine_free(e);
        return st;
    }
    if ((st = wg_results_alloc(&j->r, j->s->runs, j->s->steps, j->g->n, d)) != WG_OK) {
        wg_engine_free(e);
        return st;
    }
    j->threads = wg_engine_threads(e);
    j->r.absent = j->s->arrivals.on;   /* series.csv's absent column */
    if (j->keep_negative &&
        !(j->negative = wg_calloc((size_t)j->s->runs * WG_AGENT_WORDS(j->g->n), sizeof *j->negative))) {
        wg_engine_free(e);
        wg_results_free(&j->r);
        wg_diag_error(d, WG_ENOMEM, "out of memory: the negative agents of %u runs of %u agents "
                      "(%.0f MiB, for compare's saved and lost)", j->s->runs, j->g->n,
                      (double)j->s->runs * WG_AGENT_WORDS(j->g->n) * 8 / 1048576.0);
        return WG_ENOMEM;
    }
    wg_engine_record_negative(e, j->negative);
    wg_engine_set_costs(e, j->r.cost);
    wg_engine_touch(e);   /* the runs' time is theirs, not the first page faults' */
    double t0 = wg_now_seconds();
    wg_engine_record_seeds(e, j->r.seeded);
    st = wg_engine_run(e, 0, j->s->runs, j->r.counts, j->r.steps_run, p->progress,
                       p->progress_ud, p->stop, d);
    if (st == WG_OK) st = seed_conflicts(j, e, d);
    if (st == WG_OK) st = run_traces(j, e, d);
    j->seconds = wg_now_seconds() - t0;
    if (j->partitioned) wg_engine_exchanged(e, &j->xbytes, &j->xsteps);
    wg_engine_free(e);
    if (st != WG_OK) {
        wg_results_free(&j->r);
        wg_job_drop_negative(j);
        return st;
    }
    j->have_results = 1;
    return WG_OK;
}

/* ---- what a job holds ---------------------------------------------------------------- */

const wg_scenario *wg_job_scenario(const wg_job *j) { return j->s; }
const wg_graph *wg_job_graph(const wg_job *j) { return j->g; }

void wg_job_exchanged(const wg_job *j, uint64_t *bytes, uint64_t *steps)
{
    *bytes = j->xbytes;
    *steps = j->xsteps;
}
const wg_graph_stats *wg_job_net_stats(const wg_job *j) { return j->have_stats ? &j->gs : NULL; }
const wg_results *wg_job_results(const wg_job *j) { return j->have_results ? &j->r : NULL; }
double wg_job_seconds(const wg_job *j) { return j->seconds; }
int wg_job_threads(const wg_job *j) { return j->threads; }

const uint32_t *wg_job_series(const wg_job *j, uint32_t *runs, uint32_t *steps)
{
    if (runs) *runs = j->have_results ? j->r.runs : 0;
    if (steps) *steps = j->have_results ? j->r.steps : 0;
    return j->have_results ? j->r.counts : NULL;
}

void wg_job_keep_negative(wg_job *j, int on) { j->keep_negative = on != 0; }

const uint64_t *wg_job_negative(const wg_job *j, uint32_t run)
{
    if (!j->have_results || !j->negative || run >= j->r.runs) return NULL;
    return j->negative + (size_t)run * WG_AGENT_WORDS(j->g->n);
}

void wg_job_drop_negative(wg_job *j)
{
    free(j->negative);
    j->negative = NULL;
}

uint32_t wg_job_series_width(void)
{
    return WG_NCOUNTS;
}

wg_status wg_job_final(const wg_job *j, uint32_t run, wg_final *f, wg_diag *d)
{
    if (!j->have_results || run >= j->r.runs) {
        wg_diag_error(d, WG_EINPUT, "run %u does not exist (the job has %u runs)", run,
                      j->have_results ? j->r.runs : 0);
        return WG_EINPUT;
    }
    wg_final_of(&j->r, run, f);
    return WG_OK;
}

size_t wg_job_trace(const wg_job *j, size_t i, uint32_t *run, const uint8_t **state,
                    const wg_trace_rec **rec)
{
    if (i < j->ntraced) {
        if (run) *run = j->traced_run[i];
        if (state) *state = j->traced_state[i];
        if (rec) *rec = j->traced_rec[i];
    }
    return j->ntraced;
}

/* ---- write ----------------------------------------------------------------------------- */

void wg_job_inputs(const wg_scenario *s, const char *in[WG_JOB_NINPUTS])
{
    in[0] = s->path;
    in[1] = s->net.kind == WG_NET_FILE ? s->net.file : NULL;
    in[2] = s->observed.present ? s->observed.file : NULL;
}

wg_status wg_job_outdir_open(wg_outdir *od, const char *dir, const wg_scenario *s, wg_diag *d)
{
    const char *in[WG_JOB_NINPUTS];
    wg_job_inputs(s, in);
    return wg_outdir_open(od, dir, in, WG_JOB_NINPUTS, d);
}

char *wg_job_default_out(const char *path)
{
    if (strcmp(path, "-") == 0) return wg_strdup("out/stdin");
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".yaml") == 0) len -= 5;
    else if (len > 4 && strcmp(base + len - 4, ".yml") == 0) len -= 4;
    char *out = wg_malloc(len + 5, 1);
    if (out) {
        memcpy(out, "out/", 4);
        memcpy(out + 4, base, len);
        out[len + 4] = '\0';
    }
    return out;
}

wg_status wg_manifest_write(const char *dir, const wg_manifest *m, const char *extra, wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "manifest.yaml", d);
    if (st != WG_OK) return st;
    FILE *f = o.f;
    fprintf(f, "# waggle %s: how this folder was made\n", m->kind);
    fprintf(f, "waggle: {version: \"%s\", revision: \"%s\"}\n", WG_VERSION, wg_git_revision());
    fputs("command: ", f);
    {
        /* the command line, as one string */
        size_t len = sizeof "waggle";
        for (int i = 0; i < m->argc; i++) len += strlen(m->argv[i]) + 1;
        char *cmd = wg_malloc(len + 1, 1);
        if (!cmd) {
            wg_out_abort(&o);
            wg_diag_error(d, WG_ENOMEM, "manifest.yaml: out of memory: the command line");
            return WG_ENOMEM;
        }
        strcpy(cmd, "waggle");
        for (int i = 0; i < m->argc; i++) {
            strcat(cmd, " ");
            strcat(cmd, m->argv[i]);
        }
        wg_yaml_put_string(f, cmd);
        free(cmd);
    }
    fputc('\n', f);
    fprintf(f, "seed: %llu\nruns: %u\nsteps: %u\nthreads: %d\nranks: %d\n",
            (unsigned long long)m->scenario->seed, m->scenario->runs, m->scenario->steps,
            m->threads, m->ranks);
    fprintf(f, "wall_seconds: %.3f\n", m->wall_seconds);
    fprintf(f, "libraries: {igraph: \"%s\", gsl: \"%s\"}\n", wg_igraph_version(), gsl_version);
    fprintf(f, "peak_memory_mb: %.1f\n", wg_peak_resident_mb());   /* of the process so far */
    if (extra) fputs(extra, f);
    if (m->net) {
        const wg_graph_stats *n = m->net;
        fprintf(f, "network:\n  nodes: %u\n  edges: %llu\n  directed: %s\n", n->nodes,
                (unsigned long long)n->edges, n->directed ? "true" : "false");
        fprintf(f, "  degree_mean: %.6g\n  degree_max: %u\n  degree_second_moment: %.6g\n",
                n->degree_mean, n->degree_max, n->degree_m2);
        if (n->degrees_only)   /* a partitioned run: no rank holds the whole network */
            fputs("  # clustering and components: not computed (they need the whole network)\n", f);
        else
            fprintf(f, "  clustering: %.6g\n  components: %u\n  largest_component: %u\n",
                    n->clustering, n->components, n->largest);
        fprintf(f, "  threshold: %.6g\n", n->threshold);
        if (n->build_seconds >= 0) fprintf(f, "  build_seconds: %.3f\n", n->build_seconds);
    }
    fputs("scenario:\n", f);
    st = wg_scenario_write(m->scenario, f, 2);
    if (st != WG_OK) {
        wg_out_abort(&o);
        wg_diag_error(d, st, "manifest.yaml: cannot write the scenario");
        return st;
    }
    return wg_out_commit(&o, d);
}

void wg_job_write_params_default(wg_job_write_params *p)
{
    memset(p, 0, sizeof *p);
    p->kind = "run";
    p->ranks = 1;
}

/* DIR/observed.csv: the scenario's observed series (header "x,y" as the
 * scenario names them), so that a run folder is drawn without the
 * scenario's folder. Nothing when the scenario has no `observed:`. */
static wg_status write_observed(const char *dir, const wg_scenario *s,
                                const wg_observed_series *p, wg_diag *d)
{
    wg_out o;
    if (!s->observed.present) return WG_OK;
    wg_status st = wg_out_open(&o, dir, "observed.csv", d);
    if (st != WG_OK) return st;
    fprintf(o.f, "%s,%s\n", s->observed.x, s->observed.y ? s->observed.y : "observed");
    for (size_t i = 0; i < p->n; i++) {
        wg_csv_double(o.f, p->x[i]);
        fputc(',', o.f);
        wg_csv_double(o.f, p->y[i]);
        fputc('\n', o.f);
    }
    return wg_out_commit(&o, d);
}

wg_status wg_job_write(const wg_job *j, const char *dir, const wg_job_write_params *p,
                       wg_diag *d)
{
    wg_job_write_params def;
    if (!p) {
        wg_job_write_params_default(&def);
        p = &def;
    }
    if (!j->have_results) {
        wg_diag_error(d, WG_EINPUT, "%s: the job has not run", dir);
        return WG_EINPUT;
    }
    const wg_scenario *s = j->s;
    const wg_results *r = &j->r;
    const wg_blowup_rule rule = {s->blowup, s->blowup_valence, s->blowup_at_step,
                                  s->blowup_step};
    wg_manifest m = {s, j->have_stats ? &j->gs : NULL, j->threads, p->ranks > 0 ? p->ranks : 1,
                     j->seconds, p->argc, p->argv, p->kind ? p->kind : "run"};
    wg_observed_series obs;
    wg_outdir od = {.lock_fd = -1};
    /* the observed file is read before anything is written: bad input writes nothing */
    wg_status st = wg_observed_read_scenario(s, 0, &obs, d);
    if (st != WG_OK) return st;
    if ((st = wg_job_outdir_open(&od, dir, s, d)) != WG_OK) goto done;
    if ((st = wg_write_series(dir, r, d)) != WG_OK) goto done;
    if ((st = wg_write_summary(dir, r, d)) != WG_OK) goto done;
    if ((st = wg_write_finals(dir, r, &rule, d)) != WG_OK) goto done;
    if ((st = write_observed(dir, s, &obs, d)) != WG_OK) goto done;
    for (size_t i = 0; i < j->ntraced; i++)
        if ((st = wg_write_trace(dir, j->traced_run[i], j->g, j->traced_state[i],
                                 j->traced_rec[i], d)) != WG_OK)
            goto done;
    {
        /* the blow-up share of these runs and its Wilson interval */
        size_t more = p->manifest_extra ? strlen(p->manifest_extra) : 0;
        char *text = wg_malloc(320 + more, 1);
        if (!text) {
            wg_diag_error(d, st = WG_ENOMEM, "manifest.yaml: out of memory");
            goto done;
        }
        wg_blowup b;
        const int pos = rule.valence == WG_POS;
        wg_blowup_of(r, &rule, &b);
        int len = snprintf(text, 320,
                 "# runs whose %s reach at the last step exceeds threshold × agents; "
                 "Wilson 95 %% interval\n"
                 "blowup: {threshold: %.10g, agents_over: %.10g, runs: %u, blowups: %u, "
                 "share: %.6g, lo: %.6g, hi: %.6g%s}\n",
                 pos ? "positive" : "negative", b.rule.threshold, b.agents_over, b.runs, b.count,
                 b.share, b.lo, b.hi, pos ? ", valence: positive" : "");
        if (more && len > 0 && len < 320) memcpy(text + len, p->manifest_extra, more + 1);
        if (j->ntraced && len > 0 && len < 320) {
            /* the runs traced, for finals.png's marks and waggle draw: "traced_runs: 3 17" */
            char *t2 = wg_realloc(text, 320 + more + 32 + 12 * j->ntraced, 1);
            if (!t2) {
                free(text);
                wg_diag_error(d, st = WG_ENOMEM, "manifest.yaml: out of memory");
                goto done;
            }
            text = t2;
            size_t at = strlen(text);
            at += (size_t)sprintf(text + at, "# the runs with a trace-R.csv\ntraced_runs: \"");
            for (size_t i = 0; i < j->ntraced; i++)
                at += (size_t)sprintf(text + at, "%s%u", i ? " " : "", j->traced_run[i]);
            sprintf(text + at, "\"\n");
        }
        st = wg_manifest_write(dir, &m, text, d);
        free(text);
        if (st != WG_OK) goto done;
    }
    /* the charts are drawn from the files just written, as `waggle render` draws them */
    st = wg_render_run(dir, p->render, d);
done:
    {
        wg_status cs = wg_outdir_close(&od, d);
        if (st == WG_OK) st = cs;
    }
    wg_observed_free(&obs);
    return st;
}
