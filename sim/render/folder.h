/*
 * folder.h — what render reads from a finished folder (private to
 * sim/render/): the manifest's facts, a run's quantiles and finals, one run's
 * states, a comparison's rows and curves, a sweep's points. folder.c reads
 * them; the charts only draw them.
 */
#ifndef WAGGLE_RENDER_FOLDER_H
#define WAGGLE_RENDER_FOLDER_H

#include "waggle/common.h"
#include "waggle/model.h"
#include "waggle/output.h"
#include "waggle/render.h"

enum { Q05, Q25, Q50, Q75, Q95, NQ };   /* quantiles of summary.csv drawn */
enum { V_POS, V_NEG, NVAL };            /* the two reaches, in this order */

/* An event of the scenario's timeline, as a chart draws it on the time axis. */
#define WG_FOLDER_MAX_EVENTS 32     /* events read from a manifest (later ones are not drawn) */
typedef struct wg_folder_event {
    int kind;                    /* wg_event_kind (model.h) */
    int policy;                  /* a respond with a standing policy */
    int valence;                 /* a seed's or a media pulse's (WG_POS, WG_NEG), else -1 */
    double step;                 /* the step it applies at; NaN for a trigger */
    double until;                /* a policy's last step; NaN: the run's last */
    int when;                    /* a trigger's condition (wg_when_cond), -1: none */
    double when_above;           /* its threshold: a count, or a share of the agents below 1 */
    int repeat;
    double fired;                /* a trigger: the first step whose starting state meets it
                                    in the median curve of its metric (summary.csv's p50);
                                    NaN when the median never meets it */
} wg_folder_event;

/* The facts of manifest.yaml a chart shows (text chunks, titles, axes). */
typedef struct wg_folder_info {
    char *name, *seed, *runs, *version, *command, *unit;   /* never NULL once read */
    char *obs_file, *obs_x, *obs_y, *obs_metric;           /* NULL: not given */
    double obs_scale;            /* 0: not given */
    double agents;               /* network.nodes; 0: unknown */
    wg_blowup_rule blowup;       /* the scenario's (the default when not given) */
    char *traced;                /* manifest's traced_runs ("3 17"), or NULL: none traced */
    int respond;                 /* optimize.choose is respond (critics or a policy) */
    char *who;                   /* what an agent stands for: scenario.unit, else "customers" */
    double blow_runs, blow_count, blow_lo, blow_hi;   /* the manifest's blowup line (NaN:
                                                         none): runs, blow-ups, Wilson 95 % */
    int nev;
    wg_folder_event ev[WG_FOLDER_MAX_EVENTS];
} wg_folder_info;

/* A run folder: summary.csv's reach quantiles by step, finals.csv, observed.csv. */
typedef struct wg_folder_run {
    wg_folder_info info;
    uint32_t steps;               /* rows of summary per metric */
    double *q[NVAL][NQ];          /* reach quantiles by step */
    size_t nruns;
    double *fin_neg, *fin_pos;    /* finals by run */
    int *blow;                    /* by run: 1 when it blew up (took off) */
    wg_points obs;
    /* observed.metric when it is a metric of summary.csv other than the two reaches (the
     * metric the scenario fits: cumulative_exposures_negative for views): its wg_metric
     * index, else -1; mq its quantiles by step (steps of them, NaN where summary.csv has
     * no row of it; NULL when metric is -1) */
    int metric;
    double *mq[NQ];
} wg_folder_run;

wg_status wg_folder_read_run(const char *dir, wg_folder_run *r, wg_diag *d);
void wg_folder_run_free(wg_folder_run *r);

/* The six state counts of run `run` by step from dir/series.csv into
 * s[k][t] (allocated; NaN where a step is missing), steps into *steps.
 * run < 0: only the header is checked (*steps = 0). Free s[k] even after an
 * error. */
wg_status wg_folder_read_states(const char *dir, long run, double *s[WG_NSTATES],
                                uint32_t *steps, wg_diag *d);

/* A run's trace-R.csv (DESIGN.md, `trace:`), one entry per agent in agent order. */
typedef struct wg_folder_trace {
    uint32_t n;
    char **id;             /* the agent's id as its file wrote it (text; strings in id_text) */
    char *id_text;
    uint32_t *parent;      /* the agent (row) whose id is the parent's; UINT32_MAX: none */
    uint32_t *step;        /* step_reached; WG_TRACE_NONE: not in the reach at the end */
    uint32_t *talked;      /* talked_steps */
    uint8_t *state;        /* the final wg_state */
    int8_t *valence;       /* WG_POS, WG_NEG, -1: not in the reach */
    uint8_t *source;       /* wg_source */
} wg_folder_trace;

/* Read dir/name (a trace-R.csv, or .csv.gz) of a network of n agents: exactly
 * n rows, agents 0 .. n-1 in order (else WG_EINPUT "the trace of another
 * network"), every field checked (file:line: column: what was expected), each
 * parent the id of one of the rows. */
wg_status wg_folder_read_trace(const char *dir, const char *name, uint32_t n, wg_folder_trace *t,
                               wg_diag *d);
void wg_folder_trace_free(wg_folder_trace *t);

#define WG_FOLDER_MAX_VARIANTS 12   /* variants drawn (the panel of differences lists them all
                                       up to this) */
#define WG_FOLDER_MAX_METRICS 12    /* metrics of compare.csv read (the panels that fit are drawn) */

typedef struct wg_folder_cmp_row {
    int variant, metric;          /* indices into var (from 1) and met */
    double base, diff, lo, hi, p_better;   /* base_mean, diff_mean, diff_lo, diff_hi */
} wg_folder_cmp_row;

/* A compare folder: compare.csv's rows, and the reach quantiles of the base
 * and of every variant from their run folders. */
typedef struct wg_folder_cmp {
    wg_folder_info info;          /* the base's */
    int nvar, nmet;
    char *var[WG_FOLDER_MAX_VARIANTS + 1];      /* var[0]: "base" */
    char *met[WG_FOLDER_MAX_METRICS];
    uint32_t steps[WG_FOLDER_MAX_VARIANTS + 1];
    double *q[WG_FOLDER_MAX_VARIANTS + 1][NVAL][NQ];
    /* each arm's events (arm 0: info's) and blow-up share with its Wilson interval from
     * blowup.csv (has_blow 0: no blowup.csv) */
    int nev[WG_FOLDER_MAX_VARIANTS + 1];
    wg_folder_event ev[WG_FOLDER_MAX_VARIANTS + 1][WG_FOLDER_MAX_EVENTS];
    int has_blow;
    double blow[WG_FOLDER_MAX_VARIANTS + 1], blow_lo[WG_FOLDER_MAX_VARIANTS + 1],
        blow_hi[WG_FOLDER_MAX_VARIANTS + 1];
    wg_folder_cmp_row *rows;
    size_t nrows;
} wg_folder_cmp;

wg_status wg_folder_read_compare(const char *dir, wg_folder_cmp *c, wg_diag *d);
void wg_folder_compare_free(wg_folder_cmp *c);

typedef struct wg_folder_sweep_row {
    double x, y;                 /* the first (and second) key's value */
    double mean[NVAL], lo[NVAL], hi[NVAL];   /* final reach: mean, p05, p95 */
} wg_folder_sweep_row;

/* A sweep folder: sweep.csv's final reaches by point. */
typedef struct wg_folder_sweep {
    wg_folder_info info;
    int nkeys;
    char *key[2];                /* the first two swept keys */
    size_t n;
    wg_folder_sweep_row *row;
} wg_folder_sweep;

wg_status wg_folder_read_sweep(const char *dir, wg_folder_sweep *s, wg_diag *d);
void wg_folder_sweep_free(wg_folder_sweep *s);

/* ---- optimize and sensitivity (waggle optimize; a sweep with Sobol indices) ---------------- */

#define WG_FOLDER_MAX_SERIES 8      /* methods of optimize.csv drawn */
#define WG_FOLDER_MAX_KEYS 20       /* keys of sensitivity.csv drawn */

/* One row of optimize.csv: method `series` with k seeds. */
typedef struct wg_folder_opt_row {
    int series;
    double k, mean, lo, hi;
} wg_folder_opt_row;

/* An optimize folder: optimize.csv's metric by method and k (methods in file
 * order); or, for a grid of response policies, policies.csv's metric by
 * per_step (the series, named by its value) and delay (k). */
typedef struct wg_folder_opt {
    wg_folder_info info;
    int respond;                  /* info.respond: critics to answer or a policy */
    int grid;                     /* 1: read from policies.csv */
    long chosen;                  /* grid: the row of the chosen policy, or -1 */
    char *metric;                 /* the objective's metric (reach_positive, ...) */
    int nser;
    char *method[WG_FOLDER_MAX_SERIES];
    size_t n;
    wg_folder_opt_row *row;
} wg_folder_opt;

wg_status wg_folder_read_optimize(const char *dir, wg_folder_opt *o, wg_diag *d);
void wg_folder_optimize_free(wg_folder_opt *o);

/* A sweep folder's sensitivity.csv: for the final reaches (V_POS, V_NEG) and each key,
 * first-order and total indices with their intervals (NaN when the metric does not vary). */
typedef struct wg_folder_sens {
    wg_folder_info info;
    int nkeys;
    char *key[WG_FOLDER_MAX_KEYS];
    double first[NVAL][WG_FOLDER_MAX_KEYS], first_lo[NVAL][WG_FOLDER_MAX_KEYS],
        first_hi[NVAL][WG_FOLDER_MAX_KEYS];
    double total[NVAL][WG_FOLDER_MAX_KEYS], total_lo[NVAL][WG_FOLDER_MAX_KEYS],
        total_hi[NVAL][WG_FOLDER_MAX_KEYS];
} wg_folder_sens;

wg_status wg_folder_read_sensitivity(const char *dir, wg_folder_sens *s, wg_diag *d);
void wg_folder_sensitivity_free(wg_folder_sens *s);

/* ---- any CSV file and the manifest's facts (waggle brief) ---------------------------------- */

/* A CSV file of a folder read whole as text fields: cell[0 .. ncols) is the
 * header, row r's fields follow at cell[(r + 1) × ncols]; a short line's
 * missing fields are "". */
typedef struct wg_folder_table {
    char *text;                  /* the file, split in place */
    char **cell;
    int ncols;
    size_t nrows;
} wg_folder_table;
wg_status wg_folder_read_table(const char *dir, const char *name, wg_folder_table *t, wg_diag *d);
void wg_folder_table_free(wg_folder_table *t);
/* The column named `name`, or -1. */
int wg_folder_table_col(const wg_folder_table *t, const char *name);
/* Field (r, col) ("" beyond the table), and as a number (NaN when it is not all one). */
const char *wg_folder_table_str(const wg_folder_table *t, size_t r, int col);
double wg_folder_table_num(const wg_folder_table *t, size_t r, int col);
/* manifest.yaml's facts of dir, as the charts read them. */
wg_status wg_folder_read_info(const char *dir, wg_folder_info *info, wg_diag *d);
void wg_folder_info_free(wg_folder_info *info);

/* 1 when dir/name is a regular file. */
int wg_folder_has(const char *dir, const char *name);

#endif
