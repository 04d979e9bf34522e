/*
 * waggle/cli.h — the pieces every `waggle` command shares: loading a
 * scenario with its network, running it, writing a run's folder, the
 * progress bar and the interrupt flag. The commands (main.c and the
 * cmd_*.c files) are thin layers over these.
 */
#ifndef WAGGLE_CLI_H
#define WAGGLE_CLI_H

#include <signal.h>
#include "waggle/common.h"
#include "waggle/engine.h"
#include "waggle/graph.h"
#include "waggle/output.h"
#include "waggle/scenario.h"

/* Options common to the commands that run a scenario. */
typedef struct wg_cli_opts {
    const char *scenario;     /* path */
    const char *out_dir;      /* -o; NULL: out/<scenario file name without .yaml> */
    int threads;              /* -t; 0: OpenMP's default */
    int quiet;                /* --quiet */
    const char **sets;        /* --set KEY=VALUE, plus -r/-s turned into runs=/seed= */
    size_t nsets;
    int argc;                 /* the command line, for manifests and PNG text */
    char **argv;
} wg_cli_opts;

/* Set by SIGINT/SIGTERM once wg_cli_signals() was called. */
extern volatile sig_atomic_t wg_cli_stop;
void wg_cli_signals(void);

/* Progress bar on stderr when it is a terminal and not quiet. */
typedef struct wg_progress {
    int enabled;
    const char *what;         /* "runs", "points" */
    double start;
    int drawn;
} wg_progress;
void wg_progress_init(wg_progress *p, const char *what, int quiet);
void wg_progress_update(void *p, uint64_t done, uint64_t total);   /* a wg_progress_fn */
void wg_progress_end(wg_progress *p);

/* Parse the options shared by run-like commands, from argv[first]. Unknown
 * options go to `extra` (return 1 from it when it took argument(s): it
 * sets *used to how many argv entries it consumed), else an error.
 * Returns WG_OK, or WG_EINPUT with a message in d. */
typedef int (*wg_cli_extra_fn)(void *ud, int argc, char **argv, int i, int *used, wg_diag *d);
wg_status wg_cli_parse(int argc, char **argv, int first, wg_cli_opts *o, wg_cli_extra_fn extra,
                       void *ud, wg_diag *d);
void wg_cli_opts_free(wg_cli_opts *o);

/* Default output folder for a scenario path: "out/<stem>". Caller frees. */
char *wg_cli_default_out(const char *scenario_path);

/* Fill a wg_sim from a scenario and its graph (no copies: both must outlive it). */
void wg_sim_from_scenario(wg_sim *sim, const wg_scenario *s, const wg_graph *g);

/* Run every run of a scenario on g into r (allocated here). */
wg_status wg_cli_simulate(const wg_scenario *s, const wg_graph *g, int threads, int quiet,
                          wg_results *r, double *seconds, wg_diag *d);

/* Facts for manifest.yaml. */
typedef struct wg_manifest {
    const wg_scenario *scenario;
    const wg_graph_stats *net;
    int threads, ranks;
    double wall_seconds;
    int argc;
    char **argv;
    const char *kind;          /* "run", "compare", "sweep" */
} wg_manifest;
wg_status wg_write_manifest(const char *dir, const wg_manifest *m, wg_diag *d);
/* The same with more top-level YAML lines (each ending in \n) after wall_seconds. */
wg_status wg_write_manifest_extra(const char *dir, const wg_manifest *m, const char *extra,
                                  wg_diag *d);

/* Write series.csv, summary.csv, finals.csv, observed.csv (when the
 * scenario has `observed:`), manifest.yaml, then the charts drawn from
 * those files (curves.png, states.png, finals.png; see render.h). */
wg_status wg_cli_write_run(const char *dir, const wg_scenario *s, const wg_results *r,
                           const wg_manifest *m, wg_diag *d);

#endif
