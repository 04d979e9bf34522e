/*
 * wg_test.h — plumbing shared by waggle's test programs (tests/wg_test.c,
 * linked into every one): a temporary folder per program, files in it,
 * reading a file whole, and the one way to run the `waggle` command and
 * capture what it prints and how it ended; and the one fixture of the model
 * tests: small graphs, simulations and scenario timelines on them, their
 * runs, and the statistical checks of their counts.
 *
 * The command is $BUILD/waggle (build/waggle by default, as `make check`
 * builds it), always by its absolute path, so that it can run in any folder.
 * It is run through `sh -c "exec waggle ARGS"`: ARGS are shell words (quotes
 * work), and after the exec the process is waggle itself, so a signal sent to
 * it reaches waggle and a killed command reports 128 + the signal.
 */
#ifndef WG_TEST_H
#define WG_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/types.h>

#include "waggle/engine.h"
#include "waggle/scenario.h"

/* ---- folders and files ------------------------------------------------------- */

/* Make a fresh folder /tmp/wg-NAME-XXXXXX; dir holds at least 64 bytes. */
int wg_test_mkdtemp(char *dir, const char *name);

/* Remove a folder made by wg_test_mkdtemp and everything in it. */
int wg_test_rmdir(const char *dir);

/* The whole file at path, NUL-terminated, malloc'd; its length in *len when
 * len is not NULL. NULL when the file cannot be opened. */
char *wg_test_slurp(const char *path, size_t *len);

/* Write text to dir/name; 0 on success. */
int wg_test_write(const char *dir, const char *name, const char *text);

/* 1 when dir/name exists (file or folder), else 0. */
int wg_test_exists(const char *dir, const char *name);

/* ---- the command ------------------------------------------------------------- */

/* The absolute path of $BUILD/waggle, or NULL (after saying why on stderr)
 * when it has not been built. A test program calls it in its setup, so that a
 * missing command stops it at once. */
const char *wg_test_waggle_path(void);

/* Where and how the command runs. All zero (or a NULL pointer) means: in the
 * current folder, as the current user, $BUILD/waggle, no forced failure. */
typedef struct wg_test_how {
    const char *dir;        /* the folder it runs in; NULL: the current one */
    const char *bin;        /* the command; NULL: wg_test_waggle_path() */
    int as_nobody;          /* run as the user and group nobody (65534) */
    const char *fail_alloc; /* WG_FAIL_ALLOC's value ("count", or k: the k-th
                             * allocation fails); NULL: unset */
} wg_test_how;

/* Exit statuses of a command that could not be started at all. */
#define WG_TEST_NO_START 97   /* the folder or the shell could not be entered */
#define WG_TEST_NO_NOBODY 98  /* cannot run as nobody (no switch of user, or the
                               * command's folder is closed to other users) */

/* A command started in the background: its process and where its output goes
 * (unlinked temporary files, read by wg_test_finish). */
typedef struct wg_test_proc {
    pid_t pid;
    FILE *out, *err;
} wg_test_proc;

/* Start `waggle ARGS` (ARGS formatted from fmt) as how says, without waiting.
 * 0 on success, -1 (after saying why on stderr) when it cannot be started. */
int wg_test_start(wg_test_proc *p, const wg_test_how *how, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int wg_test_vstart(wg_test_proc *p, const wg_test_how *how, const char *fmt, va_list ap);

/* Wait for a started command. Its stdout and stderr, NUL-terminated and
 * malloc'd, go to *out and *err when those are not NULL (the caller frees
 * them). Returns its exit status, or 128 + the signal that killed it. */
int wg_test_finish(wg_test_proc *p, char **out, char **err);

/* Run `waggle ARGS` and wait for it: wg_test_start, then wg_test_finish.
 * Returns the exit status (128 + signal; -1 when it could not be started). */
int wg_test_waggle(const wg_test_how *how, char **out, char **err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int wg_test_vwaggle(const wg_test_how *how, char **out, char **err, const char *fmt, va_list ap);

/* ---- engine runs (the model tests) ------------------------------------------- */

/* Small graphs whose every agent's place is known, simulations built by hand
 * or from scenario text, their runs and the statistical checks of their
 * counts. Unlike the plumbing above, these fail the running cmocka test
 * themselves (an assertion here) when they cannot do what they say. */

/* Statistical checks pass within this many standard errors: with a fixed
 * seed, a correct engine fails one such check with probability about 6e-5. */
#define WG_TEST_Z_TOL 4.0

/* A graph of n agents from the e edges src[i] - dst[i] (src[i] -> dst[i] when
 * directed); e may be 0 (src, dst NULL). Free with wg_graph_free. */
wg_graph *wg_test_graph(uint32_t n, uint64_t e, const uint32_t *src, const uint32_t *dst,
                        int directed);
/* The path 0 - 1 - ... - n-1 (0 -> 1 -> ... when directed), n <= 65. */
wg_graph *wg_test_path(uint32_t n, int directed);
/* The star of hub 0 and leaves 1 .. leaves. */
wg_graph *wg_test_star(uint32_t leaves);
/* The complete graph of n agents. */
wg_graph *wg_test_complete(uint32_t n);
/* An undirected graph of n agents and `edges` edges between agents drawn with
 * waggle's keyed generator (seed `key`). */
wg_graph *wg_test_random_graph(uint32_t n, uint64_t edges, uint64_t key);

/* sim on g for `steps` steps from `seed`, nothing else set: the default
 * parameters, contact all, exposure independent, no events. */
void wg_test_sim(wg_sim *sim, const wg_graph *g, uint32_t steps, uint64_t seed);
/* A seed event at step 0: the nids agents ids (kept by the caller) turn
 * valence `valence`. */
wg_event wg_test_seed_ids(int valence, uint64_t *ids, size_t nids);
/* The counts of runs 0 .. runs - 1 of sim at `threads` threads: runs × steps
 * × WG_NCOUNTS words (caller frees). */
uint32_t *wg_test_run(const wg_sim *sim, uint32_t runs, int threads);
/* wg_test_run, and each run's number of steps in *steps_run (runs words,
 * caller frees) when steps_run is not NULL. */
uint32_t *wg_test_run_steps(const wg_sim *sim, uint32_t runs, int threads, uint32_t **steps_run);
/* Row t of run r in counts of `steps` steps a run. */
const uint32_t *wg_test_row(const uint32_t *counts, uint32_t steps, uint32_t run, uint32_t t);

/* A scenario's timeline on a graph the test built: the scenario is the text
 *     name: test
 *     seed: SEED
 *     network: {generate: ring, nodes: 3}
 * then body, so the body starts at line 4 of `file` in messages; the network
 * only satisfies the loader, the runs are on g. */
typedef struct wg_test_fx {
    wg_scenario *s;
    wg_graph *g;        /* owned: freed by wg_test_fx_close */
    wg_engine *e;
    uint32_t *counts;   /* steps × WG_NCOUNTS of the last run */
    uint8_t *state;     /* n: states at the end of the last run */
} wg_test_fx;

/* Load the scenario and make its engine at `threads` threads; what the loader
 * or the engine says goes to d. On failure f still owns g and whatever was
 * made (wg_test_fx_close frees it). */
wg_status wg_test_fx_try(wg_test_fx *f, wg_graph *g, const char *file, uint64_t seed,
                         const char *body, int threads, wg_diag *d);
/* wg_test_fx_try, which must succeed (else its messages go to stderr and the
 * test fails), and room for one run's counts and states. */
void wg_test_fx_open(wg_test_fx *f, wg_graph *g, const char *file, uint64_t seed,
                     const char *body, int threads);
/* Run run `run` into f->counts and f->state. */
void wg_test_fx_run(wg_test_fx *f, uint32_t run);
/* Row t of the last run's counts. */
const uint32_t *wg_test_fx_row(const wg_test_fx *f, uint32_t t);
/* Free all f holds (a failed wg_test_fx_try's too). */
void wg_test_fx_close(wg_test_fx *f);

/* count against mean with variance var: |z| < WG_TEST_Z_TOL, or within 1e-6
 * of mean when var is 0 (below 1e-9: a sure count). Prints the comparison. */
void wg_test_check_count(const char *what, double count, double mean, double var);
/* count against Binomial(n, p). */
void wg_test_check_binomial(const char *what, double count, double n, double p);
/* A mean over runs runs against exact, sd the exact standard deviation of
 * one run: |z| < WG_TEST_Z_TOL with se = sd / sqrt(runs); with sd 0, mean
 * must be exact. */
void wg_test_check_mean(const char *what, double mean, double exact, double sd, uint32_t runs);

#endif
