/*
 * common.c — diagnostics, checked allocation and build facts.
 *
 * A wg_diag is a growable list of messages owned by its caller; appending to
 * it never fails (a message that cannot be stored is dropped and counted as
 * lost, its status still recorded), so error paths stay simple.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when it is not one. */
static int utf8_length(const unsigned char *p)
{
    if (p[0] < 0x80) return 1;
    int n = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
          : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
    if (!n) return 0;
    unsigned char lo = 0x80, hi = 0xbf;   /* the second byte's range: no overlongs, no surrogates */
    if (p[0] == 0xe0) lo = 0xa0;
    else if (p[0] == 0xed) hi = 0x9f;
    else if (p[0] == 0xf0) lo = 0x90;
    else if (p[0] == 0xf4) hi = 0x8f;
    if (p[1] < lo || p[1] > hi) return 0;
    for (int i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf) return 0;
    return n;
}

void wg_yaml_put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = utf8_length(p);
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20 || *p == 0x7f || n == 0)
            fprintf(f, "\\x%02x", *p);
        else
            fwrite(p, 1, (size_t)n, f);
        p += n ? n : 1;
    }
    fputc('"', f);
}

static int csv_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t wg_csv_split(char *p, char **f, size_t max)
{
    size_t nf = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        char *start = p, *out = p;
        if (*p == '"') {
            start = out = ++p;
            while (*p) {
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            while (*p && *p != ',') p++;
        } else {
            while (*p && *p != ',') p++;
            out = p;
            while (out > start && csv_blank(out[-1])) out--;
        }
        char sep = *p;
        *out = '\0';
        if (nf < max) f[nf++] = start;
        if (!sep) return nf;
        p++;
    }
}

const char *wg_git_revision(void)
{
    return WG_GIT_REV;
}
