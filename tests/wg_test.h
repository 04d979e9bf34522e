/*
 * wg_test.h — plumbing shared by waggle's test programs (tests/wg_test.c,
 * linked into every one): a temporary folder per program, files in it,
 * reading a file whole, and the one way to run the `waggle` command and
 * capture what it prints and how it ended.
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

/* ---- engine runs (the model tests: test_threshold.c, test_arrivals.c) -------- */

struct wg_graph;
struct wg_sim;

/* An undirected graph of n agents from the e edges src[i] - dst[i], or NULL
 * (a message on stderr). Free with wg_graph_free. */
struct wg_graph *wg_test_graph(uint32_t n, uint64_t e, const uint32_t *src, const uint32_t *dst);
/* An undirected graph of n agents and `edges` edges between agents drawn with
 * waggle's keyed generator (seed `key`), or NULL. */
struct wg_graph *wg_test_random_graph(uint32_t n, uint64_t edges, uint64_t key);
/* The counts of runs 0 .. runs - 1 of sim at `threads` threads: runs × steps
 * × WG_NCOUNTS words (caller frees), or NULL (a message on stderr). */
uint32_t *wg_test_run(const struct wg_sim *sim, uint32_t runs, int threads);
/* Row t of run r in counts of `steps` steps a run. */
const uint32_t *wg_test_row(const uint32_t *counts, uint32_t steps, uint32_t run, uint32_t t);

#endif
