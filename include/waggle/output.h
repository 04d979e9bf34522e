/*
 * waggle/output.h — the results of many runs and the files a run writes
 * (DESIGN.md, "Outputs"): series.csv, summary.csv, finals.csv. Declarations
 * are grouped by the file of sim/results/ that defines them:
 *   files.c    the one writer of waggle's files: atomic files, CSV numbers
 *   series.c   the counts of runs, their metrics, final figures and the
 *              blow-up rule; series.csv and finals.csv
 *   summary.c  statistics of a sample; summary.csv
 *
 * Every file is written to a hidden temporary name in the output folder,
 * flushed, synced and renamed when complete, so a killed run never leaves a
 * half-written file under a real name.
 */
#ifndef WAGGLE_OUTPUT_H
#define WAGGLE_OUTPUT_H

#include "waggle/common.h"
#include "waggle/engine.h"
#include "waggle/scenario.h"

/* ---- files.c: atomic files and CSV numbers --------------------------------------------------- */

/* A file being written: wg_out_open, write to ->f, then wg_out_commit or wg_out_abort. */
typedef struct wg_out {
    FILE *f;
    char *tmp;     /* ".NAME.tmp.PID" in the folder */
    char *path;    /* the real name */
} wg_out;

/* Create dir and its parents when missing (mode 0777 & ~umask). */
wg_status wg_mkdir_p(const char *dir, wg_diag *d);
/* Open dir/name for writing (dir NULL: name is the whole path). The folder
 * must exist. WG_EIO ("PATH: cannot write: REASON"), WG_ENOMEM. */
wg_status wg_out_open(wg_out *o, const char *dir, const char *name, wg_diag *d);
/* Flush, fsync, close and rename; on any failure the temporary file is removed. */
wg_status wg_out_commit(wg_out *o, wg_diag *d);
/* Close and remove the temporary file (after an error). Harmless on a closed wg_out. */
void wg_out_abort(wg_out *o);
/* The stop flag was raised (wg_stopped) while o was written: abort it and report
 * "interrupted: stopped while writing PATH"; WG_EINTR. wg_out_commit does this
 * itself; a writer's loop that polls wg_stopped() between rows calls it. */
wg_status wg_out_stop(wg_out *o, wg_diag *d);

/* An output folder held by one command (DESIGN: what a run owns):
 * wg_outdir_open checks, creates and locks it; every wg_out_commit into it
 * records the name; wg_outdir_close removes what an earlier waggle command
 * wrote there and this one did not (stale charts, an observed.csv the
 * scenario no longer has, a variant folder of an earlier compare), records
 * what this one wrote in the hidden file .waggle-outputs, and unlocks.
 * Rules:
 * 1. One command at a time: flock(LOCK_EX|LOCK_NB) on DIR/.waggle.lock; a
 *    second command gets "DIR: another waggle command is writing into this
 *    folder" (WG_EIO, exit 1) and writes nothing.
 * 2. A folder that holds one of the command's inputs (the scenario, the
 *    network file, the observed file; a shard for merge) is refused
 *    (WG_EINPUT) before anything is written: "DIR: holds NAME, an input of
 *    this command; write into another folder (-o)".
 * 3. Only names waggle wrote are ever removed: those of .waggle-outputs,
 *    or, in a folder written before it existed, waggle's own file names
 *    (series.csv, curves.png, ...). Other files are never touched; a
 *    subfolder is removed only when empty after its own clean-up.
 * Folders nest (compare holds DIR and each arm's DIR/NAME); at most
 * WG_OUTDIR_MAX are held at once. */
typedef struct wg_outdir {
    char *dir;
    char *lock_path;       /* DIR/.waggle.lock, removed (while locked) when closed */
    int lock_fd;
    char **wrote;          /* names committed into it (a folder as "NAME/") */
    size_t nwrote, cap;
    int keep;              /* 1: only locked (render redraws a folder it does not own);
                              2: locked, names added to .waggle-outputs (draw) */
    int made;              /* 1: wg_outdir_open created the folder */
} wg_outdir;
#define WG_OUTDIR_MAX 64
wg_status wg_outdir_open(wg_outdir *od, const char *dir, const char *const *inputs,
                         size_t ninputs, wg_diag *d);
/* Only the lock of rule 1 on an existing folder (render): nothing is cleaned. */
wg_status wg_outdir_lock(wg_outdir *od, const char *dir, wg_diag *d);
/* The lock of rule 1 on an existing folder for a command that adds files to
 * it (draw): nothing is cleaned; on close the names it wrote join those of
 * .waggle-outputs, so that the next run into the folder removes them. */
wg_status wg_outdir_add(wg_outdir *od, const char *dir, wg_diag *d);
/* Record name (a file, or "NAME/" a folder) as written into od. */
wg_status wg_outdir_own(wg_outdir *od, const char *name, wg_diag *d);
/* Clean up (when anything was written), record, unlock; harmless on a closed one.
 * When the stop flag is raised (wg_stopped: the command was interrupted), the files
 * this command wrote into the folder are removed instead, with those of an earlier
 * command (some of which it replaced), and the folder too when the command made it
 * and nothing else is in it: an interrupted command leaves the earlier complete
 * outputs (stopped before its first file) or none, never a mixture. */
wg_status wg_outdir_close(wg_outdir *od, wg_diag *d);

/* Print a double for CSV: an integer below 1e15 as one ("40"), else with
 * %.10g; NaN as "NaN", infinities as "Inf" and "-Inf" (pandas and R read
 * them). */
void wg_csv_double(FILE *f, double x);

/* ---- series.c: counts, metrics, final figures, the blow-up rule ------------------------------ */

/* The counts of many runs (see wg_engine_run). */
typedef struct wg_results {
    uint32_t runs, steps;
    uint32_t agents;
    uint32_t *counts;      /* runs × steps × WG_NCOUNTS */
    uint32_t *steps_run;   /* runs */
    uint32_t *seeded;      /* runs × steps × 2: agents seeded of each valence (WG_POS, WG_NEG)
                              up to the end of each step (wg_engine_record_seeds) */
    double *cost;          /* runs: the cost of each run's answers (wg_engine_set_costs); may be NULL */
    int absent;            /* 1: series.csv gains the column `absent` (the scenario has arrivals) */
} wg_results;

wg_status wg_results_alloc(wg_results *r, uint32_t runs, uint32_t steps, uint32_t agents,
                           wg_diag *d);
void wg_results_free(wg_results *r);

/* Metrics of summary.csv, in the order they are written; the six states
 * first, with their index and name (wg_state_name). */
enum wg_metric {
    WG_M_UNAWARE, WG_M_ADVOCATES, WG_M_CRITICS, WG_M_SUPPORTERS, WG_M_REJECTERS, WG_M_IMMUNE,
    WG_M_REACH_POS, WG_M_REACH_NEG, WG_M_NEW_POS, WG_M_NEW_NEG, WG_M_SENTIMENT,
    WG_M_EXPOSURES_POS, WG_M_EXPOSURES_NEG,          /* exposures of the step (series.csv) */
    WG_M_CUM_EXPOSURES_POS, WG_M_CUM_EXPOSURES_NEG,  /* exposures of steps 0 .. step */
    /* the reach by source so far (cumulative; see enum wg_count): negative
     * from seed, word of mouth, media, recommend, then positive likewise */
    WG_M_FROM,
    WG_M_FROM_END = WG_M_FROM + 2 * (WG_SRC_RECOMMEND - WG_SRC_SEED + 1),
    WG_NMETRICS = WG_M_FROM_END
};
/* "unaware" ... "immune", "reach_positive", "reach_negative", "new_positive",
 * "new_negative", "sentiment", "exposures_positive", "exposures_negative",
 * "cumulative_exposures_positive", "cumulative_exposures_negative",
 * "reach_negative_from_seed", ..., "reach_positive_from_recommend"; "?" for an
 * unknown metric. */
const char *wg_metric_name(int metric);
int wg_metric_from_name(const char *name);   /* -1 if unknown */
/* Value of a metric in one run at one step (NaN for sentiment when nobody is
 * reached). O(1), except the cumulative exposures: O(step). */
double wg_metric_value(const wg_results *r, uint32_t run, uint32_t step, int metric);

/* The blow-up rule of a scenario (`blowup:`): a run blows up when its reach
 * of `valence` at the last step exceeds threshold × agents. With valence
 * WG_POS the "blow-up" is a take-off: a story that catches on. */
typedef struct wg_blowup_rule {
    double threshold;   /* blowup.threshold: a fraction of the agents */
    int valence;        /* blowup.valence: WG_NEG (the default) or WG_POS */
    int at_step;        /* 1: blowup.by_step given, the test reads step `step`; 0: the last step */
    uint32_t step;
} wg_blowup_rule;
#define WG_BLOWUP_THRESHOLD_DEFAULT 0.01   /* blowup.threshold when the scenario has none */
/* {WG_BLOWUP_THRESHOLD_DEFAULT, WG_NEG}. */
void wg_blowup_rule_default(wg_blowup_rule *rule);
/* The one blow-up test of waggle: 1 when the reach of rule->valence
 * (reach_pos or reach_neg) exceeds rule->threshold × agents, else 0.
 * finals.csv's blowup column, compare's blowup metric and blowup.csv,
 * sweep.csv's blowup, the manifest's blowup line and finals.png all count
 * with it. */
int wg_blowup_test(const wg_blowup_rule *rule, double reach_pos, double reach_neg,
                   double agents);
/* Whether run `run` of r blows up: wg_blowup_test on the reach at the rule's
 * step (the last step, or blowup.by_step, at most the last) less the agents
 * seeded of each valence up to that step (a seeded agent is not a blow-up). */
int wg_blowup_run(const wg_blowup_rule *rule, const wg_results *r, uint32_t run);

/* One run's final figures (finals.csv). */
typedef struct wg_final {
    uint32_t reach_pos, reach_neg, peak_critics, peak_step, steps;
    uint64_t answers;   /* critics answered, all respond events, all steps */
    double cost;        /* their cost (0 without r->cost) */
    uint64_t exposures_pos, exposures_neg;   /* exposures of all steps */
} wg_final;
void wg_final_of(const wg_results *r, uint32_t run, wg_final *f);

/* The figures of one run: the columns of finals.csv after `run`, in order,
 * and the metrics of sweep.csv. */
enum wg_final_metric {
    WG_F_REACH_POS,      /* reach_positive at the last step */
    WG_F_REACH_NEG,      /* reach_negative at the last step */
    WG_F_PEAK_CRITICS,   /* most critics at once */
    WG_F_PEAK_STEP,      /* the first step with that many */
    WG_F_STEPS,          /* steps run (fewer than steps: the story died out) */
    WG_F_BLOWUP,         /* 1 when the run blows up (wg_blowup_test), else 0 */
    WG_F_ANSWERS,        /* critics answered (respond events, one-shot and standing) */
    WG_F_COST,           /* Σ answers × the cost of their event */
    WG_F_EXPOSURES_POS,  /* cumulative_exposures_positive: exposures of all steps */
    WG_F_EXPOSURES_NEG,  /* cumulative_exposures_negative */
    WG_NFINALS
};
/* "reach_positive", "reach_negative", "peak_critics", "peak_step", "steps",
 * "blowup", "answers", "cost", "cumulative_exposures_positive",
 * "cumulative_exposures_negative"; "?" for an unknown one. */
const char *wg_final_metric_name(int m);
/* The WG_NFINALS figures of run `run` under the blow-up rule, into v. */
void wg_final_values(const wg_results *r, uint32_t run, const wg_blowup_rule *rule,
                     double v[WG_NFINALS]);

/* Write series.csv (one row per run and step) into dir. */
wg_status wg_write_series(const char *dir, const wg_results *r, wg_diag *d);
/* Write finals.csv (one row per run), the blowup column under rule. */
wg_status wg_write_finals(const char *dir, const wg_results *r, const wg_blowup_rule *rule,
                          wg_diag *d);

/* ---- trace.c: trace-R.csv of a traced run, and which runs to trace ---------------------------- */

/* Above this many agents a trace is written compressed: trace-R.csv.gz. */
#define WG_TRACE_GZ_AGENTS 100000u
/* The printf format of a trace's file name for a network of `agents`
 * ("trace-%u.csv" or "trace-%u.csv.gz"). */
const char *wg_trace_file_name(uint32_t agents);
/* Write DIR/trace-RUN.csv(.gz): one row per agent of g (agent,id,state,
 * valence,step_reached,source,parent,generation,talked_steps,exposures),
 * from the final states and the records of wg_engine_run_traced. */
wg_status wg_write_trace(const char *dir, uint32_t run, const wg_graph *g, const uint8_t *state,
                         const wg_trace_rec *rec, wg_diag *d);
/* The runs the picks name, without repeats, in the picks' order, into runs
 * (room for npicks): indices as given (WG_EINPUT when one is not a run of
 * r), quantiles of the final reach of `valence` by nearest rank over runs
 * sorted by (reach, index). */
wg_status wg_trace_runs(const wg_results *r, int valence, const wg_trace_pick *picks,
                        size_t npicks, uint32_t *runs, size_t *nruns, wg_diag *d);
/* The run a quantile pick (median, p05, p95, max) names among runs whose final
 * reaches are reach[0..runs), by wg_trace_runs's rule (draw --run p95 reads
 * finals.csv with it). WG_EINPUT when runs is 0, WG_ENOMEM. */
wg_status wg_trace_quantile_run(const double *reach, uint32_t runs, wg_trace_which which,
                                uint32_t *run, wg_diag *d);

/* ---- summary.c: statistics, summary.csv ------------------------------------------------------ */

/* Summary statistics of a sample (NaNs are left out): mean, sd (n - 1), and
 * quantiles p05 p25 p50 p75 p95 (GSL, linear interpolation). `work` holds n
 * doubles and is overwritten. s->n receives how many values were finite. */
typedef struct wg_stats {
    double mean, sd, p05, p25, p50, p75, p95;
    size_t n;
} wg_stats;
void wg_stats_of(const double *x, size_t n, double *work, wg_stats *s);

/* Write summary.csv (one row per step and metric, statistics over runs) into dir. */
wg_status wg_write_summary(const char *dir, const wg_results *r, wg_diag *d);

#endif
