/*
 * waggle/validate.h — the validation suite: every classic model of DESIGN.md
 * ("Classic models are settings of this one") run through the engine and
 * compared with theory that the suite computes itself (exact enumeration,
 * exact Markov chains, generating functions with GSL root finding,
 * deterministic maps of waggle's synchronous rules, closed forms).
 *
 * Invariant: a row's theory never depends on a simulated number, and its
 * simulation never sees the theory; with fixed seeds the table is the same
 * on any number of threads. A row passes when |z| < WG_VALIDATE_Z, where
 * z = (simulated - theory) / sqrt(se^2 + tolerance^2); the tolerance is 0
 * except where the theory is a limit (large N, small share) and the table
 * states it.
 */
#ifndef WAGGLE_VALIDATE_H
#define WAGGLE_VALIDATE_H

#include <stdio.h>
#include "waggle/common.h"

/* A row passes at |z| below this: a correct engine fails one such row with
 * probability about 6e-5. */
#define WG_VALIDATE_Z 4.0

typedef struct wg_validate_opts {
    int quick;            /* 1: smaller networks and fewer runs (the test suite's size) */
    int threads;          /* engine threads; <= 0: OpenMP's default */
    double share_error;   /* simulated share.positive/negative multiplied by 1 + share_error
                             (theory unchanged): shows that the checks have teeth; normally 0 */
} wg_validate_opts;

/* One row of the table. */
typedef struct wg_validate_row {
    char model[32];       /* "SIR", "Bass", ... */
    char reference[48];   /* the source of the theory */
    char quantity[160];   /* what is compared, with its parameter point */
    double theory;        /* computed by the suite */
    double simulated;     /* mean over runs */
    double se;            /* standard error of the simulated mean */
    double tolerance;     /* stated gap of an asymptotic theory (0 for exact theory) */
    double z;             /* (simulated - theory) / sqrt(se^2 + tolerance^2) */
    int pass;             /* |z| < WG_VALIDATE_Z */
    unsigned runs;        /* runs behind the simulated mean */
} wg_validate_row;

typedef struct wg_validate_table {
    wg_validate_row *rows;
    size_t n, cap;
} wg_validate_table;

/* Run the whole suite, appending rows to t (zero-initialised by the caller,
 * freed with wg_validate_table_free). Returns WG_OK when every check ran
 * (whether or not it passed), else an error in d. */
wg_status wg_validate_run(const wg_validate_opts *o, wg_validate_table *t, wg_diag *d);
void wg_validate_table_free(wg_validate_table *t);
/* Number of rows that failed. */
size_t wg_validate_failures(const wg_validate_table *t);

/* The table for people (aligned columns) and as CSV with the header
 * model,reference,quantity,theory,simulated,se,tolerance,z,pass,runs. */
void wg_validate_print(const wg_validate_table *t, FILE *f);
void wg_validate_write_csv(const wg_validate_table *t, FILE *f);

/* Write the table as CSV to path (a temporary name, then renamed). */
wg_status wg_validate_save_csv(const wg_validate_table *t, const char *path, wg_diag *d);

#endif
