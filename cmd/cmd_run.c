/*
 * cmd_run.c — `waggle run`: one scenario, all its runs, one run folder.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waggle/compare.h"
#include "waggle/job.h"
#include "waggle/parallel.h"
#include "waggle/render.h"

const char wg_run_usage[] =
    "usage: waggle run SCENARIO [-o DIR] [-r RUNS] [-s SEED] [-t THREADS] [--set KEY=VALUE]... "
    "[--trace LIST] [--format png|pdf|svg] [--partition] [--quiet] [--progress]\n"
    "\n"
    "Run every run of a scenario and write, into DIR (default out/<scenario name>):\n"
    "  series.csv    one row per run and step: run,step,unaware,advocates,critics,\n"
    "                supporters,rejecters,immune,new_positive,new_negative\n"
    "  summary.csv   one row per step and metric: step,metric,mean,sd,p05,p25,p50,p75,p95\n"
    "  finals.csv    one row per run: run,reach_positive,reach_negative,peak_critics,\n"
    "                peak_step,steps,blowup\n"
    "  manifest.yaml version, revision, command, scenario as resolved, network, wall time\n"
    "  observed.csv  the scenario's observed points, when it has `observed:`\n"
    "  trace-R.csv   for each traced run R (trace: or --trace): one row per agent,\n"
    "                agent,id,state,valence,step_reached,source,parent,generation,\n"
    "                talked_steps,exposures (trace-R.csv.gz above 100000 agents)\n"
    "  curves.png, states.png, finals.png   charts (see waggle render --help)\n"
    "\n"
    "options:\n"
    "  -o, --out DIR        output folder (created when missing)\n"
    "  -r, --runs N         number of runs (same as --set runs=N)\n"
    "  -s, --seed N         seed (same as --set seed=N)\n"
    "  -t, --threads N      threads (default: all cores); results do not depend on it\n"
    "  --set KEY=VALUE      override a scenario key, e.g. --set share.negative=0.1,\n"
    "                       --set network.nodes=5000, --set events.0.step=3\n"
    "  --trace LIST         trace these runs (same as --set trace.runs=LIST): run indices\n"
    "                       or median, p05, p95, max of the final reach, e.g. median,p95,0\n"
    "  --format F           the charts as png (default), pdf or svg (cairo's vector\n"
    "                       surfaces): curves.pdf ... instead of curves.png ...\n"
    "  --partition          under mpirun -np R (make MPI=1): every rank holds one block of\n"
    "                       the agents with their arcs, the ranks step together and rank 0\n"
    "                       writes; the same bytes as without it, for every R (refused\n"
    "                       with trace:, exposure: threshold and policies by reach)\n"
    "  -q, --quiet          no progress bar and no closing lines\n"
    "  --progress           on a non-terminal (a batch job's log), a progress line every\n"
    "                       10 s; on a terminal the bar is drawn anyway\n"
    "SCENARIO may be - : the scenario is read from standard input (its relative paths\n"
    "resolve against the working folder; the default output folder is out/stdin).\n"
    "\n"
    "exit status: 0 done, 1 runtime failure (memory, disk, interrupted), 2 bad input\n";


enum { OPT_TRACE = 1, OPT_PARTITION };
static const wg_cmd_option run_options[] = {
    {"trace", 0, 1, OPT_TRACE}, {"partition", 0, 0, OPT_PARTITION},
    WG_CMD_FORMAT_OPTION, {NULL, 0, 0, 0}};

typedef struct run_opts {
    const char *trace;
    int partition;
    wg_render_opts render;   /* --format */
} run_opts;

static void run_option(void *ud, int id, const char *v, wg_diag *d)
{
    run_opts *ro = ud;
    if (id == OPT_TRACE) ro->trace = v;
    else if (id == OPT_PARTITION) ro->partition = 1;
    else wg_cmd_chart_option(&ro->render, id, v, d);
}

/* The manifest's partition section: ranks, steps, bytes rank 0 exchanged,
 * and every rank's peak resident size (MiB) after its runs. Allocated. */
static char *partition_text(int ranks, uint64_t steps, uint64_t bytes, const double *peaks,
                            size_t npeaks)
{
    /* a line of at most 24 characters a rank */
    const size_t cap = 160 + 24 * npeaks;
    char *t = wg_malloc(cap, 1);
    if (!t) return NULL;
    int len = snprintf(t, cap,
                       "partition:\n  ranks: %d\n  steps: %llu\n  bytes_exchanged_rank0: %llu\n"
                       "  peak_memory_mb_per_rank: [",
                       ranks, (unsigned long long)steps, (unsigned long long)bytes);
    for (size_t q = 0; q < npeaks && len > 0 && (size_t)len < cap; q++)
        len += snprintf(t + len, cap - (size_t)len, "%s%.1f", q ? ", " : "", peaks[q]);
    if (len > 0 && (size_t)len < cap) snprintf(t + len, cap - (size_t)len, "]\n");
    return t;
}

int wg_cmd_run(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts o;
    wg_job *j = NULL;
    char *out = NULL;
    wg_engine_comm comm;
    int rank = 0, ranks = 1, have_comm = 0;
    double *peaks = NULL;   /* a partitioned run: every rank's peak resident MiB (rank 0) */
    size_t npeaks = 0;
    wg_diag_init(&d);
    run_opts ro;
    memset(&ro, 0, sizeof ro);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_RUNLIKE, run_options, run_option, &ro, 1, 1,
                                "scenario file", &o, &d);
    const char *trace = ro.trace;
    if (ro.partition) {   /* every rank parses the same line: all take this branch or none */
        wg_par_init();
        rank = wg_par_rank();
        ranks = wg_par_size();
        if (rank != 0) o.quiet = 1;
    }
    if (st != WG_OK) goto done;
    if (ro.partition) {
        if ((st = wg_par_comm(&comm, &d)) != WG_OK) goto done;
        have_comm = 1;
    }
    if (trace) {
        char *kv = wg_malloc(strlen(trace) + sizeof "trace.runs=", 1);
        if (!kv) {
            wg_diag_error(&d, st = WG_ENOMEM, "out of memory: --trace");
            goto done;
        }
        strcpy(kv, "trace.runs=");
        strcat(kv, trace);
        st = wg_cmd_add_set(&o, kv, &d);
        free(kv);
        if (st != WG_OK) goto done;
    }
    if ((st = wg_job_open(o.scenario, o.sets, o.nsets, &j, &d)) != WG_OK) goto done;
    /* a partitioned run builds in wg_job_run: its statistics read no arc */
    if (!ro.partition && (st = wg_job_build(j, &d)) != WG_OK) goto done;
    wg_progress bar;
    wg_job_run_params rp;
    wg_cmd_run_setup(&o, "runs", &bar, &rp);
    rp.partition = have_comm ? &comm : NULL;
    st = wg_job_run(j, &rp, &d);
    wg_progress_end(&bar);
    if (st != WG_OK) goto done;
    if (ro.partition) {   /* every rank's peak resident size after its runs, to rank 0 */
        double mine = wg_peak_resident_mb();
        if ((st = wg_par_gather(&mine, 1, 1, &peaks, &npeaks, &d)) != WG_OK) goto done;
    }
    if (rank != 0) goto done;   /* rank 0 writes */
    wg_job_write_params wp;
    if ((st = wg_cmd_write_setup(&o, wg_job_default_out, argc, argv, &out, &wp, &d)) != WG_OK)
        goto done;
    wp.ranks = ranks;
    wp.render = &ro.render;
    uint64_t xbytes = 0, xsteps = 0;
    char *extra = NULL;
    if (ro.partition) {   /* what rank 0 exchanged and every rank's peak, for the manifest */
        wg_job_exchanged(j, &xbytes, &xsteps);
        if (!(extra = partition_text(ranks, xsteps, xbytes, peaks, npeaks))) {
            wg_diag_error(&d, st = WG_ENOMEM, "out of memory: the manifest's partition section");
            goto done;
        }
        wp.manifest_extra = extra;
    }
    st = wg_job_write(j, out, &wp, &d);
    free(extra);
    if (st != WG_OK) goto done;
    if (!o.quiet) {
        const wg_scenario *s = wg_job_scenario(j);
        wg_blowup b;
        const wg_blowup_rule rule = {s->blowup, s->blowup_valence, s->blowup_at_step,
                                  s->blowup_step};
        wg_blowup_of(wg_job_results(j), &rule, &b);
        fprintf(stderr, "waggle: %u runs × %u steps on %u agents in %.2f s; wrote %s/\n", s->runs,
                s->steps, wg_job_graph(j)->n, wg_job_seconds(j), out);
        if (ro.partition)
            fprintf(stderr, "waggle: partitioned on %d rank%s: %llu steps, %.3f ms a step, rank 0 "
                    "exchanged %.0f bytes a step\n", ranks, ranks > 1 ? "s" : "",
                    (unsigned long long)xsteps,
                    xsteps ? 1e3 * wg_job_seconds(j) / (double)xsteps : 0.0,
                    xsteps ? (double)xbytes / (double)xsteps : 0.0);
        if (ro.partition) {
            fputs("waggle: peak resident size of each rank after the runs:", stderr);
            for (size_t q = 0; q < npeaks; q++) fprintf(stderr, " %.1f", peaks[q]);
            fputs(" MiB\n", stderr);
        }
        fputs("waggle: ", stderr);
        wg_blowup_print(stderr, &b);
    }
done:
    free(out);
    free(peaks);
    wg_job_free(j);
    wg_cmd_opts_free(&o);
    if (have_comm) wg_par_comm_free(&comm);
    if (ro.partition) {
        /* every rank meets the same bad input and notes: rank 0's are enough */
        if (rank != 0 && (st == WG_OK || st == WG_EINPUT)) {
            wg_diag_free(&d);
            wg_diag_init(&d);
        }
        int code = wg_cmd_report(&d, st);
        /* a failure of this rank alone (memory, disk) would leave the others
         * waiting in an exchange: stop them all */
        if (st != WG_OK && st != WG_EINPUT && ranks > 1) wg_par_abort(code);
        wg_par_finalize();
        return code;
    }
    return wg_cmd_report(&d, st);
}
