/*
 * waggle/common.h — status codes, diagnostics, allocation, the version and
 * the clock (common.c), the text helpers (text.c) and the invariant checks
 * (WG_ASSERT, assert.c): what every module of waggle shares.
 *
 * A function that can fail returns a wg_status and, where it has something to
 * say, appends a message to a wg_diag owned by the caller. Nothing is global:
 * two threads or two MPI ranks never share a message buffer.
 */
#ifndef WAGGLE_COMMON_H
#define WAGGLE_COMMON_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define WG_VERSION "0.1.0"

typedef enum wg_status {
    WG_OK = 0,      /* success */
    WG_EINPUT = 1,  /* bad input: scenario, network file or option; exit 2 */
    WG_ENOMEM = 2,  /* an allocation failed; exit 1 */
    WG_EIO = 3,     /* reading or writing a file failed; exit 1 */
    WG_EINTR = 4    /* stopped by a signal (SIGINT, SIGTERM); exit 1 */
} wg_status;

/* Exit status of the command for a status: 0 done, 2 bad input, 1 otherwise. */
int wg_status_exit(wg_status s);

/* One diagnostic: an error, or a note (reported, not fatal: "3 self-loops dropped"). */
typedef struct wg_diag_entry {
    int is_error;   /* 1 error, 0 note */
    char *text;     /* "file:line:col: key: message", owned by the wg_diag */
} wg_diag_entry;

/* A list of diagnostics. Zero-initialise (or wg_diag_init) before use. */
typedef struct wg_diag {
    wg_diag_entry *items;
    size_t count, cap;
    size_t errors;      /* how many items are errors */
    wg_status status;   /* the first error's status, WG_OK while there is none */
    int oom;            /* 1 when a message itself could not be stored */
} wg_diag;

void wg_diag_init(wg_diag *d);
void wg_diag_free(wg_diag *d);
/* Append an error of status s (printf-style). Never fails: when memory runs out
 * the message is dropped and d->oom set, the status is still recorded. */
void wg_diag_error(wg_diag *d, wg_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void wg_diag_note(wg_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print every entry to f, one per line, prefixed "waggle: error: " or "waggle: note: ". */
void wg_diag_print(const wg_diag *d, FILE *f);
/* The text of the first error, or "" when there is none. */
const char *wg_diag_first(const wg_diag *d);

/* Allocation helpers that return NULL on failure and never abort; sizes are
 * checked for overflow. wg_malloc_fail_after(k) makes the k-th next
 * allocation through them fail (k = 0 disables): the tests use it to prove
 * that every allocation failure is reported, never a crash. */
void *wg_malloc(size_t nmemb, size_t size);
void *wg_calloc(size_t nmemb, size_t size);
void *wg_realloc(void *p, size_t nmemb, size_t size);
char *wg_strdup(const char *s);
void wg_malloc_fail_after(long k);
/* Testing aid for end-to-end tests, read once by the command at startup:
 * the environment variable WG_FAIL_ALLOC=k (k >= 1) arms wg_malloc_fail_after(k);
 * WG_FAIL_ALLOC=count prints "waggle: allocations: N" to stderr at exit.
 * Unset or empty: nothing. */
void wg_malloc_fail_from_env(void);

/* The stop flag, for writing and drawing: a command hands the flag its
 * SIGINT/SIGTERM handler raises to wg_stop_watch (NULL: none, the default),
 * and the writers of sim/results/files.c and the charts poll wg_stopped()
 * between rows and between charts. A signal reaches the whole process, so
 * the flag is the process's, not a handle's (the runs poll the flag given in
 * their parameters, as before). A file being written when it is raised is
 * never committed (WG_EINTR, "interrupted: stopped while writing PATH"). */
void wg_stop_watch(volatile sig_atomic_t *flag);
/* 1 once the watched flag is raised, else 0. O(1): a read of the flag. */
int wg_stopped(void);

/* git revision the library was built from ("unknown" outside a checkout). */
const char *wg_git_revision(void);

/* Seconds on a monotonic clock (CLOCK_MONOTONIC), for wall times and progress:
 * only differences mean anything. */
double wg_now_seconds(void);
/* The process's peak resident size so far in MiB (getrusage's ru_maxrss; 0
 * where the system does not say). */
double wg_peak_resident_mb(void);

/* ---- text.c: paths, whole files, CSV fields, YAML strings, numbers --------------------------- */

/* FNV-1a, 64 bits: h carried on over the n bytes at p (start from WG_FNV_BASIS);
 * wg_fnv1a_text: of a NUL-terminated text from the basis. For hash tables and
 * checksums of waggle's own files, not for security. */
#define WG_FNV_BASIS UINT64_C(14695981039346656037)
uint64_t wg_fnv1a(uint64_t h, const void *p, size_t n);
uint64_t wg_fnv1a_text(const char *s);

/* "dir/name". Caller frees; NULL when out of memory. */
char *wg_path_join(const char *dir, const char *name);

/* Read the whole file at path, a file of a finished folder, into *text
 * (NUL-terminated, caller frees) and its length into *len (len may be
 * NULL): wg_input_read(path, WG_IN_RESULT, ...), with its rules and
 * messages (d may be NULL: no message). *text is NULL after an error. */
wg_status wg_file_read(const char *path, char **text, size_t *len, wg_diag *d);
/* The same from an open stream (standard input, a file the caller opened
 * and checked), without messages: WG_EINPUT when it holds more than
 * max_bytes bytes (0: no limit), WG_ENOMEM, WG_EIO when a read fails (errno
 * says why). f is left open. */
wg_status wg_file_read_stream(FILE *f, size_t max_bytes, char **text, size_t *len);

/* Write s to f as a YAML double-quoted string: quotes, backslashes and
 * control characters escaped, and every byte that is not part of valid UTF-8
 * written as \xNN, so the output is always valid YAML even for a path
 * with arbitrary bytes (such a byte reads back as the code point U+00NN). */
void wg_yaml_put_string(FILE *f, const char *s);

/* Split one CSV line in place on commas. A quoted field loses its quotes
 * ("a ""b""" -> a "b"); an unquoted one loses the blanks around it (space
 * and tab; CR and LF too at its end). At most max field pointers go into f;
 * returns how many. Used by every reader of CSV files people write. */
size_t wg_csv_split(char *line, char **f, size_t max);

/* The code point of the UTF-8 sequence at s (NUL-terminated) into *cp:
 * its length, 1 to 4 bytes, or 0 when s does not start a valid sequence
 * (overlong forms and surrogates are not valid). */
int wg_utf8_next(const char *s, uint32_t *cp);

/* Write s to f as one CSV field: between double quotes (a quote inside
 * doubled) always with WG_CSV_QUOTE_ALWAYS, and with WG_CSV_QUOTE_NEEDED only
 * when s holds a comma, a quote, CR or LF (else as it is). */
#define WG_CSV_QUOTE_NEEDED 0
#define WG_CSV_QUOTE_ALWAYS 1
void wg_csv_put_text(FILE *f, const char *s, int quote);

/* The shortest of %.15g, %.16g and %.17g that reads back (strtod) as x, into
 * buf of n bytes (32 are enough). Scenario files and sweep.csv print their
 * values with it, so a value read back is the value written. */
void wg_num_shortest(char *buf, size_t n, double x);

/* Numbers for people (charts, tables, the brief): v with `decimals` decimals
 * and thousands separators, never an exponent and never "-0": 12,400,
 * -1,234,567, 0.25. Truncated to fit buf of cap bytes (64 hold any double). */
void wg_num_grouped(char *buf, size_t cap, double v, int decimals);
/* v to about `digits` significant digits (at least 1), the same way: whole
 * numbers of `digits` digits or more are rounded to units (12,400; 99,962),
 * smaller ones keep as many decimals as the digits need (0.0193, 2.5, 43.6),
 * at most 6, trailing zeros dropped; with `plus`, a + before a positive
 * number (differences). NaN is "n/a", infinities "inf" and "-inf". */
void wg_num_human(char *buf, size_t cap, double v, int digits, int plus);

/* ---- input.c: the one door of the files waggle reads ----------------------------------------- */

/* Kinds of input, each with its words and its size cap (docs/ROBUSTNESS.md). */
typedef enum wg_input_kind {
    WG_IN_SCENARIO,   /* a scenario file, read whole: at most WG_SCENARIO_MAX_BYTES */
    WG_IN_NETWORK,    /* a network file, streamed: no cap on its size (memory is checked) */
    WG_IN_OBSERVED,   /* an observed series, read whole: at most WG_OBSERVED_MAX_BYTES */
    WG_IN_RESULT,     /* a file of a finished folder (render, merge): WG_RESULT_MAX_BYTES */
    WG_IN_JOURNAL,    /* a sweep journal: WG_JOURNAL_MAX_BYTES */
    WG_IN_DEGREES,    /* a degree sequence file: WG_OBSERVED_MAX_BYTES */
    WG_IN_NKINDS
} wg_input_kind;
#define WG_SCENARIO_MAX_BYTES (UINT64_C(8) << 20)   /* libyaml takes ~60 bytes a byte of a flow list */
#define WG_OBSERVED_MAX_BYTES (UINT64_C(64) << 20)
#define WG_RESULT_MAX_BYTES (UINT64_C(4) << 30)
#define WG_JOURNAL_MAX_BYTES (UINT64_C(1) << 30)

/* Open path for reading as an input of this kind: only a regular file (a
 * FIFO, a device, a socket or a folder is refused without blocking), at most
 * the kind's cap. Returns the descriptor (blocking again) and its size in
 * *size (may be NULL), or -1 with a message in d ("PATH: cannot read the
 * scenario: REASON", "PATH: is a folder, not a scenario file", "PATH: is a
 * FIFO, not ...", "PATH: larger than N MiB, not ..."), status WG_EINPUT. */
int wg_input_open(const char *path, wg_input_kind kind, uint64_t *size, wg_diag *d);
/* Read the whole file at path (wg_input_open's rules) into *text,
 * NUL-terminated, caller frees; its length in *len (may be NULL). The text
 * passes wg_input_text. WG_EINPUT, WG_ENOMEM (also when the machine has not
 * the memory), WG_EIO; *text NULL after an error. */
wg_status wg_input_read(const char *path, wg_input_kind kind, char **text, size_t *len, wg_diag *d);
/* The checks of a text read whole (text[*len] == '\0'): a NUL byte inside
 * is WG_EINPUT "PATH:LINE: a NUL byte: not a text file ..."; a UTF-8 BOM at
 * the start is removed (*len shrinks by 3). */
wg_status wg_input_text(const char *path, char *text, size_t *len, wg_diag *d);
/* The cap of a kind, bytes (0: none). */
uint64_t wg_input_max_bytes(wg_input_kind kind);

/* Bytes this process may use: physical memory or RLIMIT_AS, the smaller. */
double wg_mem_available(void);
/* WG_ENOMEM with "WHAT needs about X GB of memory; this machine has Y GB"
 * when bytes exceed wg_mem_available(); checked before a count read from a
 * file (or a scenario) is allocated. */
wg_status wg_mem_check(double bytes, const char *what, wg_diag *d);

/* ---- assert.c: invariant checks --------------------------------------------------------------- */

/* Invariant checks (STYLE: numbered invariants at the top of a file, checked
 * here). WG_ASSERT(cond) is active when WG_ASSERTS is defined (`make asan`
 * defines it): a false cond prints "waggle: FILE:LINE: invariant failed: COND"
 * to stderr and aborts. Otherwise it compiles to nothing and cond is not
 * evaluated (it is only type-checked, so what it names stays "used"); a
 * check may therefore cost O(n) where it runs once per step or per build,
 * never per agent. */
#ifdef WG_ASSERTS
#define WG_ASSERT(cond) ((cond) ? (void)0 : wg_assert_fail(#cond, __FILE__, __LINE__))
#else
#define WG_ASSERT(cond) ((void)sizeof(!(cond)))
#endif
/* The failure of WG_ASSERT: print and abort. Always defined. */
void wg_assert_fail(const char *cond, const char *file, int line) __attribute__((noreturn));

#endif
