/*
 * common.c — diagnostics, checked allocation, build facts and the clock.
 *
 * A wg_diag is a growable list of messages owned by its caller; appending to
 * it never fails (a message that cannot be stored is dropped and counted as
 * lost, its status still recorded), so error paths stay simple.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "waggle/common.h"
#include "gitrev.h" /* written by the Makefile */

#ifndef WG_GIT_REV
#define WG_GIT_REV "unknown"
#endif

int wg_status_exit(wg_status s)
{
    switch (s) {
    case WG_OK: return 0;
    case WG_EINPUT: return 2;
    default: return 1;
    }
}

/* Allocation failure injection for the tests (0: off). Not thread-safe by
 * design: tests arm it from one thread. */
static long fail_countdown = 0;

static long alloc_calls = 0;   /* allocations so far, for WG_FAIL_ALLOC=count */

static int should_fail(void)
{
    alloc_calls++;
    if (fail_countdown > 0 && --fail_countdown == 0) return 1;
    return 0;
}

void wg_malloc_fail_after(long k)
{
    fail_countdown = k;
}

static void print_alloc_calls(void)
{
    fprintf(stderr, "waggle: allocations: %ld\n", alloc_calls);
}

void wg_malloc_fail_from_env(void)
{
    const char *v = getenv("WG_FAIL_ALLOC");
    if (!v || !*v) return;
    if (strcmp(v, "count") == 0) {
        atexit(print_alloc_calls);
        return;
    }
    char *end;
    long k = strtol(v, &end, 10);
    if (*end == '\0' && k > 0) wg_malloc_fail_after(k);
}

/* The flag of the command's signal handler (cmd/cli.c), or NULL. */
static volatile sig_atomic_t *stop_flag = NULL;

void wg_stop_watch(volatile sig_atomic_t *flag)
{
    stop_flag = flag;
}

int wg_stopped(void)
{
    return stop_flag && *stop_flag;
}

void *wg_malloc(size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size) return NULL;
    if (should_fail()) return NULL;
    return malloc(nmemb && size ? nmemb * size : 1);
}

void *wg_calloc(size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size) return NULL;
    if (should_fail()) return NULL;
    return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *wg_realloc(void *p, size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size) return NULL;
    if (should_fail()) return NULL;
    return realloc(p, nmemb && size ? nmemb * size : 1);
}

char *wg_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *r = wg_malloc(n, 1);
    if (r) memcpy(r, s, n);
    return r;
}

void wg_diag_init(wg_diag *d)
{
    memset(d, 0, sizeof *d);
}

void wg_diag_free(wg_diag *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->count; i++) free(d->items[i].text);
    free(d->items);
    wg_diag_init(d);
}

static void diag_add(wg_diag *d, int is_error, const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    /* a note said once is enough (every arm of a comparison, every point of a
     * sweep makes its own engine) */
    if (!is_error)
        for (size_t i = 0; i < d->count; i++)
            if (!d->items[i].is_error && strcmp(d->items[i].text, buf) == 0) return;
    if (d->count == d->cap) {
        /* plain realloc: a diagnostic must survive injected allocation failures */
        size_t cap = d->cap ? 2 * d->cap : 8;
        wg_diag_entry *it = realloc(d->items, cap * sizeof *it);
        if (!it) { d->oom = 1; return; }
        d->items = it;
        d->cap = cap;
    }
    char *t = strdup(buf);
    if (!t) { d->oom = 1; return; }
    d->items[d->count].is_error = is_error;
    d->items[d->count].text = t;
    d->count++;
}

void wg_diag_error(wg_diag *d, wg_status s, const char *fmt, ...)
{
    va_list ap;
    if (!d) return;
    if (d->status == WG_OK) d->status = s;
    d->errors++;
    va_start(ap, fmt);
    diag_add(d, 1, fmt, ap);
    va_end(ap);
}

void wg_diag_note(wg_diag *d, const char *fmt, ...)
{
    va_list ap;
    if (!d) return;
    va_start(ap, fmt);
    diag_add(d, 0, fmt, ap);
    va_end(ap);
}

void wg_diag_print(const wg_diag *d, FILE *f)
{
    for (size_t i = 0; i < d->count; i++)
        fprintf(f, "waggle: %s: %s\n", d->items[i].is_error ? "error" : "note", d->items[i].text);
    if (d->oom) fprintf(f, "waggle: error: out of memory while reporting errors\n");
}

const char *wg_diag_first(const wg_diag *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].is_error) return d->items[i].text;
    return "";
}

const char *wg_git_revision(void)
{
    return WG_GIT_REV;
}

double wg_peak_resident_mb(void)
{
    struct rusage ru;
    /* Linux gives ru_maxrss in KiB */
    return getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024.0 : 0.0;
}

double wg_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}
