/*
 * waggle/observed.h — the observed series of a scenario (`observed:`), read
 * from its CSV file. The one reader of such files: a run copies the series
 * to observed.csv and draws it on curves.png with it (sim/job.c), and
 * `waggle fit` fits to it, so both accept and refuse the same files.
 *
 * The file: blank lines and lines whose first non-blank character is '#'
 * are comments; the first other line is the header; fields are separated by
 * commas and may be double-quoted ("" inside quotes is a quote; blanks
 * around an unquoted field are dropped).
 *
 * The columns:
 *   x  the steps: observed.x (--x for the fit); when no name is given at
 *      all, "day", or "step" when the header has no "day". A scenario's
 *      observed.x is "day" unless it says otherwise.
 *   y  the counts: observed.y (--y); when it is not given, the third
 *      column, or the second when the header has only two (day,views).
 *
 * Invariants of a series read with WG_OK: at least one reading; every x and
 * y a finite number. With WG_OBSERVED_CUMULATIVE (what a fit on log scale
 * needs) also: x >= 0 and strictly increasing, y > 0 and never falling.
 * Every refusal is WG_EINPUT with "FILE:LINE: what" (the line of the header
 * or of the reading at fault), or "FILE: what" for the file as a whole.
 */
#ifndef WAGGLE_OBSERVED_H
#define WAGGLE_OBSERVED_H

#include "waggle/common.h"
#include "waggle/scenario.h"

/* An observed series: readings in file order. */
typedef struct wg_observed_series {
    size_t n;           /* readings; 0 only for a scenario without `observed:` */
    double *x;          /* steps since the start (the scenario's step unit) */
    double *y;          /* counts, in observed units */
    char *xcol, *ycol;  /* the names of the columns they came from */
} wg_observed_series;

/* Rules a reader may add to the file's (flags). */
#define WG_OBSERVED_CUMULATIVE 1u  /* x >= 0 increasing, y > 0 never falling (the fit) */

/*
 * Read the series of the CSV file at path, with columns xcol and ycol (NULL:
 * the defaults above) and the rules asked for. On WG_OK *o owns the series
 * (free with wg_observed_free); on failure *o is empty and d says why:
 * WG_EINPUT (a missing file or column, a value that is not a number, a
 * broken rule), WG_EIO, WG_ENOMEM. Time and memory O(file size).
 */
wg_status wg_observed_read(const char *path, const char *xcol, const char *ycol, unsigned rules,
                           wg_observed_series *o, wg_diag *d);

/* The same for a scenario's `observed:` section (its file, x and y); an
 * empty series (n = 0) and WG_OK when the scenario has none. */
wg_status wg_observed_read_scenario(const wg_scenario *s, unsigned rules, wg_observed_series *o,
                                    wg_diag *d);

/* Free what o owns and empty it; an empty series is a harmless no-op. */
void wg_observed_free(wg_observed_series *o);

#endif
