/*
 * main.c — the `waggle` command: a table of subcommands, each a function
 * taking (argc, argv) from the subcommand's name on and returning the exit
 * status (0 done, 1 runtime failure, 2 bad input).
 */
#include <stdlib.h>
#include <string.h>

#include "waggle/cli.h"
#include "waggle/validate.h"
#include "waggle/compare.h"
#include "waggle/fit.h"
#include "waggle/render.h"
#include "waggle/sweep.h"

typedef struct command {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
    const char *usage;
} command;

static int report(wg_diag *d, wg_status st)
{
    wg_diag_print(d, stderr);
    wg_diag_free(d);
    return wg_status_exit(st);
}

/* ---- waggle run ------------------------------------------------------------------ */

static const char run_usage[] =
    "usage: waggle run SCENARIO [-o DIR] [-r RUNS] [-s SEED] [-t THREADS] [--set KEY=VALUE]... "
    "[--quiet]\n"
    "\n"
    "Run every run of a scenario and write, into DIR (default out/<scenario name>):\n"
    "  series.csv    one row per run and step: run,step,unaware,advocates,critics,\n"
    "                supporters,rejecters,immune,new_positive,new_negative\n"
    "  summary.csv   one row per step and metric: step,metric,mean,sd,p05,p25,p50,p75,p95\n"
    "  finals.csv    one row per run: run,reach_positive,reach_negative,peak_critics,\n"
    "                peak_step,steps,blowup\n"
    "  manifest.yaml version, revision, command, scenario as resolved, network, wall time\n"
    "  observed.csv  the scenario's observed points, when it has `observed:`\n"
    "  curves.png, states.png, finals.png   charts (see waggle render --help)\n"
    "\n"
    "options:\n"
    "  -o, --out DIR        output folder (created when missing)\n"
    "  -r, --runs N         number of runs (same as --set runs=N)\n"
    "  -s, --seed N         seed (same as --set seed=N)\n"
    "  -t, --threads N      threads (default: all cores); results do not depend on it\n"
    "  --set KEY=VALUE      override a scenario key, e.g. --set share.negative=0.1,\n"
    "                       --set network.nodes=5000, --set events.0.step=3\n"
    "  -q, --quiet          no progress bar\n"
    "\n"
    "exit status: 0 done, 1 runtime failure (memory, disk, interrupted), 2 bad input\n";

static int cmd_run(int argc, char **argv)
{
    wg_diag d;
    wg_cli_opts o;
    wg_scenario *s = NULL;
    wg_graph *g = NULL;
    wg_results r = {0};
    wg_graph_stats gs;
    char *out = NULL;
    double secs = 0;
    wg_diag_init(&d);
    wg_status st = wg_cli_parse(argc, argv, 1, &o, NULL, NULL, &d);
    if (st != WG_OK) goto done;
    if ((st = wg_scenario_load(o.scenario, o.sets, o.nsets, &s, &d)) != WG_OK) goto done;
    if ((st = wg_graph_build(&s->net, s->seed, &g, &d)) != WG_OK) goto done;
    if ((st = wg_graph_stats_compute(g, &gs, NULL, &d)) != WG_OK) goto done;
    wg_cli_signals();
    if ((st = wg_cli_simulate(s, g, o.threads, o.quiet, &r, &secs, &d)) != WG_OK) goto done;
    out = o.out_dir ? wg_strdup(o.out_dir) : wg_cli_default_out(o.scenario);
    if (!out) {
        wg_diag_error(&d, st = WG_ENOMEM, "out of memory: the output folder's name");
        goto done;
    }
    wg_manifest m = {s, &gs, o.threads ? o.threads : wg_engine_default_threads(), 1, secs,
                     argc, argv, "run"};
    if ((st = wg_cli_write_run(out, s, &r, &m, &d)) != WG_OK) goto done;
    if (!o.quiet) {
        wg_blowup b;
        wg_blowup_of_v(&r, s->blowup, s->blowup_valence, &b);
        fprintf(stderr, "waggle: %u runs × %u steps on %u agents in %.2f s; wrote %s/\n", s->runs,
                s->steps, g->n, secs, out);
        fputs("waggle: ", stderr);
        wg_blowup_print(stderr, &b);
    }
done:
    free(out);
    wg_results_free(&r);
    wg_graph_free(g);
    wg_scenario_free(s);
    wg_cli_opts_free(&o);
    return report(&d, st);
}

/* ---- waggle check ---------------------------------------------------------------- */

static const char check_usage[] =
    "usage: waggle check SCENARIO [--set KEY=VALUE]... [--network]\n"
    "\n"
    "Validate a scenario without running it: every error at once, each with its file,\n"
    "line, column and key. With --network the network is also built (or read) and the\n"
    "picks of the timeline are checked against it.\n"
    "exit status: 0 valid, 2 errors found, 1 runtime failure\n";

static int check_extra(void *ud, int argc, char **argv, int i, int *used, wg_diag *d)
{
    (void)argc;
    (void)d;
    if (strcmp(argv[i], "--network") == 0) {
        *(int *)ud = 1;
        *used = 1;
        return 1;
    }
    return 0;
}

static int cmd_check(int argc, char **argv)
{
    wg_diag d;
    wg_cli_opts o;
    wg_scenario *s = NULL;
    wg_graph *g = NULL;
    wg_engine *e = NULL;
    int network = 0;
    wg_diag_init(&d);
    wg_status st = wg_cli_parse(argc, argv, 1, &o, check_extra, &network, &d);
    if (st == WG_OK) st = wg_scenario_load(o.scenario, o.sets, o.nsets, &s, &d);
    if (st == WG_OK && network) {
        st = wg_graph_build(&s->net, s->seed, &g, &d);
        if (st == WG_OK) {
            wg_sim sim;
            wg_sim_from_scenario(&sim, s, g);
            st = wg_engine_new(&sim, 1, &e, &d);
        }
    }
    if (st == WG_OK)
        printf("%s: valid (%s: %u steps, %u runs, %zu events, %zu variants)\n", o.scenario,
               s->name, s->steps, s->runs, s->nevents, s->nvariants);
    else if (st == WG_EINPUT)
        fprintf(stderr, "%s: %zu error%s\n", o.scenario ? o.scenario : "waggle", d.errors,
                d.errors == 1 ? "" : "s");
    wg_engine_free(e);
    wg_graph_free(g);
    wg_scenario_free(s);
    wg_cli_opts_free(&o);
    return report(&d, st);
}

/* ---- waggle net ------------------------------------------------------------------ */

static const char net_usage[] =
    "usage: waggle net NETWORK [--format F] [--directed]\n"
    "\n"
    "Describe a network: nodes, edges, degrees (mean, maximum, second moment,\n"
    "quantiles), clustering, connected components, and the epidemic threshold\n"
    "estimate <k>/(<k^2>-<k>) of bond percolation on a network with these degrees.\n"
    "NETWORK is a network file (edgelist, csv, graphml, gml, pajek; .gz allowed) or a\n"
    "scenario (.yaml), whose network is generated or read.\n";

typedef struct net_opts {
    const char *format;
    int directed;
} net_opts;

static int net_extra(void *ud, int argc, char **argv, int i, int *used, wg_diag *d)
{
    net_opts *n = ud;
    if (strcmp(argv[i], "--directed") == 0) {
        n->directed = 1;
        *used = 1;
        return 1;
    }
    if (strcmp(argv[i], "--format") == 0) {
        if (i + 1 >= argc) wg_diag_error(d, WG_EINPUT, "option --format needs a value");
        else n->format = argv[i + 1];
        *used = 2;
        return 1;
    }
    return 0;
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

static int cmd_net(int argc, char **argv)
{
    wg_diag d;
    wg_cli_opts o;
    net_opts no = {NULL, 0};
    wg_scenario *s = NULL;
    wg_graph *g = NULL;
    wg_netspec spec;
    uint32_t *deg = NULL;
    memset(&spec, 0, sizeof spec);
    wg_diag_init(&d);
    wg_status st = wg_cli_parse(argc, argv, 1, &o, net_extra, &no, &d);
    if (st != WG_OK) goto done;
    if (ends_with(o.scenario, ".yaml") || ends_with(o.scenario, ".yml")) {
        if ((st = wg_scenario_load(o.scenario, o.sets, o.nsets, &s, &d)) != WG_OK) goto done;
        st = wg_graph_build(&s->net, s->seed, &g, &d);
    } else {
        spec.kind = WG_NET_FILE;
        spec.directed = no.directed;
        spec.format = WG_FMT_GUESS;
        if (no.format) {
            static const char *const names[] = {"", "edgelist", "csv", "graphml", "gml", "pajek"};
            int k = 0;
            for (int i = 1; i < 6; i++)
                if (strcmp(no.format, names[i]) == 0) k = i;
            if (!k) {
                wg_diag_error(&d, st = WG_EINPUT, "--format %s: expected edgelist, csv, graphml, "
                              "gml or pajek", no.format);
                goto done;
            }
            spec.format = (wg_net_format)k;
        }
        if (!(spec.file = wg_strdup(o.scenario))) {
            wg_diag_error(&d, st = WG_ENOMEM, "out of memory: the network file's name");
            goto done;
        }
        st = wg_graph_build(&spec, 1, &g, &d);
    }
    if (st != WG_OK) goto done;
    wg_graph_stats gs;
    int sampled = 0;
    if ((st = wg_graph_stats_compute(g, &gs, &sampled, &d)) != WG_OK) goto done;
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
    printf("clustering         %.4f global, %.4f mean local%s\n", gs.clustering,
           gs.clustering_local, sampled ? " (estimated from sampled wedges)" : "");
    printf("components         %u (largest %u agents, %.1f %%)\n", gs.components, gs.largest,
           gs.nodes ? 100.0 * gs.largest / gs.nodes : 0.0);
    printf("threshold          %.4g (transmissibility above which a word-of-mouth cascade\n"
           "                   can reach a finite share of the network)\n", gs.threshold);
#undef Q
done:
    free(deg);
    wg_netspec_clear(&spec);
    wg_graph_free(g);
    wg_scenario_free(s);
    wg_cli_opts_free(&o);
    return report(&d, st);
}

/* ---- the table ------------------------------------------------------------------- */

static const command commands[] = {
    {"run", cmd_run, "run a scenario: series, summary and finals as CSV", run_usage},
    {"check", cmd_check, "validate a scenario: every error at once", check_usage},
    {"net", cmd_net, "describe a network: degrees, clustering, components", net_usage},
    {"validate", wg_validate_main, "run the validation suite: classic models against theory",
     wg_validate_usage},
    {"compare", wg_cmd_compare, "base and variants with common random numbers: paired differences",
     wg_compare_usage},
    {"fit", wg_fit_main, "calibrate keys to an observed series; Bass baseline", wg_fit_usage},
    {"render", wg_render_main, "draw the charts of a finished run again from its CSV files",
     wg_render_usage},
    {"sweep", wg_sweep_main, "sweep a grid or Sobol design: sweep.csv (threads, MPI, shards)",
     wg_sweep_usage},
    {"merge", wg_merge_main, "join the shards of a sweep into one sweep.csv", wg_merge_usage},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fputs("waggle " WG_VERSION " — word of mouth, one agent per customer\n\n"
          "usage: waggle COMMAND [options]\n\ncommands:\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\n`waggle COMMAND --help` describes a command. `waggle --version` prints the "
          "version.\n", f);
}

int main(int argc, char **argv)
{
    wg_malloc_fail_from_env();   /* testing aid: WG_FAIL_ALLOC (docs/ROBUSTNESS.md) */
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("waggle %s (revision %s)\n", WG_VERSION, wg_git_revision());
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[1], commands[i].name) != 0) continue;
        for (int j = 2; j < argc; j++)
            if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0) {
                fputs(commands[i].usage, stdout);
                return 0;
            }
        return commands[i].main(argc - 1, argv + 1);
    }
    fprintf(stderr, "waggle: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
