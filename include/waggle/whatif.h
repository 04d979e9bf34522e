/*
 * waggle/whatif.h — a scenario's what-ifs (`waggle compare`): the base and each
 * of its variants, every one a wg_job, run with common random numbers (run r of
 * every arm uses the same keyed draws) and compared run by run.
 *
 * Invariants: arm 0 is the base, then the variants in file order; a variant
 * whose network is the base's runs on the base's graph (lent, so the base job
 * is freed last); everything that can be bad input (variants, networks, picks)
 * is checked by open, before any run; nothing is written before every arm ran.
 */
#ifndef WAGGLE_WHATIF_H
#define WAGGLE_WHATIF_H

#include "waggle/compare.h"
#include "waggle/job.h"

typedef struct wg_whatif wg_whatif;

/* Load the scenario and derive every arm; WG_EINPUT when it has no variants. */
wg_status wg_whatif_open(const char *path, const char *const *sets, size_t nsets,
                         wg_whatif **out, wg_diag *d);
/* The same from a loaded scenario (owned by the what-if from then on, also on failure). */
wg_status wg_whatif_open_scenario(wg_scenario *base, wg_whatif **out, wg_diag *d);
void wg_whatif_free(wg_whatif *w);

/* Run every arm, the base first. */
wg_status wg_whatif_run(wg_whatif *w, const wg_job_run_params *p, wg_diag *d);

/* Write the folder: one run folder per arm (base/, <variant slug>/), compare.csv,
 * blowup.csv, manifest.yaml and compare.png. */
wg_status wg_whatif_write(const wg_whatif *w, const char *dir, const wg_job_write_params *p,
                          wg_diag *d);
/* Row `metric` (enum wg_cmp_metric, then enum wg_cmp_extra, waggle/compare.h) of
 * compare.csv for variant i (1 .. arms - 1), after wg_whatif_run. Not thread-safe
 * (uses the what-if's workspace). */
void wg_whatif_row(const wg_whatif *w, size_t i, int metric, wg_cmp_row *row);
/* The comparison table, one block per variant (what `waggle compare` prints). */
void wg_whatif_print(const wg_whatif *w, FILE *f);

size_t wg_whatif_arms(const wg_whatif *w);
const wg_job *wg_whatif_arm(const wg_whatif *w, size_t i);
const char *wg_whatif_arm_name(const wg_whatif *w, size_t i);     /* "base" or the variant's */
const char *wg_whatif_arm_folder(const wg_whatif *w, size_t i);   /* its folder's name */
double wg_whatif_seconds(const wg_whatif *w);                     /* all arms' run time */
/* "out/<stem>-compare" for a scenario path. Caller frees. */
char *wg_whatif_default_out(const char *scenario_path);

#endif
