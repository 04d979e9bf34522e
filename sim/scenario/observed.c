/*
 * observed.c — the one reader of a scenario's observed series (a CSV file
 * of readings over time; the rules are in waggle/observed.h). `waggle run`
 * (through sim/job.c) and `waggle fit` both read it here, so a file one of
 * them accepts the other accepts too.
 *
 * Invariants: a series returned with WG_OK has n >= 1 readings whose x and
 * y are finite, plus, under WG_OBSERVED_CUMULATIVE, x >= 0 strictly
 * increasing and y > 0 never falling; a refused file leaves the series
 * empty and names its file and line. The file is read whole (no line
 * length limit) and split in place; every allocation goes through
 * wg_malloc & co.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/observed.h"

#define MAX_COLS 64            /* most columns of an observed CSV file looked at */
#define COLUMNS_SHOWN 512      /* room for the list of columns in a message */

void wg_observed_free(wg_observed_series *o)
{
    free(o->x);
    free(o->y);
    free(o->xcol);
    free(o->ycol);
    memset(o, 0, sizeof *o);
}

static int find_col(char **cols, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i], name) == 0) return (int)i;
    return -1;
}

/* A finite number, blanks after it allowed. */
static int parse_number(const char *s, double *x)
{
    char *end;
    errno = 0;
    *x = strtod(s, &end);
    while (isspace((unsigned char)*end)) end++;
    return *s && !*end && !errno && isfinite(*x);
}

/* The whole file, NUL-terminated, into *out (the input layer's rules). */
static wg_status slurp(const char *path, char **out, wg_diag *d)
{
    return wg_input_read(path, WG_IN_OBSERVED, out, NULL, d);
}

/* Find the columns in the header line (split in place into cols). */
static wg_status header(const char *path, size_t lineno, char **cols, size_t nh,
                        const char *xcol, const char *ycol, int *xi, int *yi,
                        wg_observed_series *o, wg_diag *d)
{
    const char *xn = xcol ? xcol : find_col(cols, nh, "day") >= 0 ? "day" : "step";
    *xi = find_col(cols, nh, xn);
    *yi = ycol ? find_col(cols, nh, ycol) : nh >= 3 ? 2 : nh == 2 ? 1 : -1;
    if (*xi < 0 || *yi < 0) {
        char list[COLUMNS_SHOWN] = "";
        for (size_t i = 0; i < nh; i++) {
            if (i) strncat(list, ", ", sizeof list - strlen(list) - 1);
            strncat(list, cols[i], sizeof list - strlen(list) - 1);
        }
        if (*xi < 0)
            wg_diag_error(d, WG_EINPUT, "%s:%zu: no column '%s' for the steps (columns: %s)",
                          path, lineno, xn, list);
        else if (ycol)
            wg_diag_error(d, WG_EINPUT, "%s:%zu: no column '%s' for the counts (columns: %s)",
                          path, lineno, ycol, list);
        else
            wg_diag_error(d, WG_EINPUT, "%s:%zu: only one column (%s): expected steps and "
                          "counts", path, lineno, list);
        return WG_EINPUT;
    }
    if (!(o->xcol = wg_strdup(cols[*xi])) || !(o->ycol = wg_strdup(cols[*yi]))) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    return WG_OK;
}

/* One reading of line lineno (split into f), checked and appended. */
static wg_status reading(const char *path, size_t lineno, char **f, size_t nf, int xi, int yi,
                         unsigned rules, size_t *cap, wg_observed_series *o, wg_diag *d)
{
    const int cumulative = (rules & WG_OBSERVED_CUMULATIVE) != 0;
    double x, y;
    if ((size_t)xi >= nf || (size_t)yi >= nf) {
        wg_diag_error(d, WG_EINPUT, "%s:%zu: %zu fields, expected at least %d (missing "
                      "column '%s')", path, lineno, nf, (xi > yi ? xi : yi) + 1,
                      (size_t)xi >= nf ? o->xcol : o->ycol);
        return WG_EINPUT;
    }
    if (!parse_number(f[xi], &x) || (cumulative && x < 0)) {
        wg_diag_error(d, WG_EINPUT, "%s:%zu: %s: expected a %s, got '%s'", path, lineno, o->xcol,
                      cumulative ? "step number >= 0" : "number", f[xi]);
        return WG_EINPUT;
    }
    if (!parse_number(f[yi], &y)) {
        wg_diag_error(d, WG_EINPUT, "%s:%zu: %s: expected a number, got '%s'", path, lineno,
                      o->ycol, f[yi]);
        return WG_EINPUT;
    }
    if (cumulative && y <= 0) {
        wg_diag_error(d, WG_EINPUT, "%s:%zu: %s = %s: the fit compares logarithms, so every "
                      "observed count must be positive", path, lineno, o->ycol, f[yi]);
        return WG_EINPUT;
    }
    if (cumulative && o->n && x <= o->x[o->n - 1]) {
        wg_diag_error(d, WG_EINPUT, "%s:%zu: %s %g comes after %s %g: readings must be in "
                      "increasing order of %s", path, lineno, o->xcol, x, o->xcol,
                      o->x[o->n - 1], o->xcol);
        return WG_EINPUT;
    }
    if (cumulative && o->n && y < o->y[o->n - 1]) {
        wg_diag_error(d, WG_EINPUT, "%s:%zu: %s falls from %g to %g: the fit expects "
                      "cumulative counts, which never fall (non-monotone series)", path,
                      lineno, o->ycol, o->y[o->n - 1], y);
        return WG_EINPUT;
    }
    if (o->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 16;
        double *nx = wg_realloc(o->x, nc, sizeof *nx);
        if (nx) o->x = nx;
        double *ny = nx ? wg_realloc(o->y, nc, sizeof *ny) : NULL;
        if (!ny) {
            wg_diag_error(d, WG_ENOMEM, "out of memory");
            return WG_ENOMEM;
        }
        o->y = ny;
        *cap = nc;
    }
    o->x[o->n] = x;
    o->y[o->n++] = y;
    return WG_OK;
}

wg_status wg_observed_read(const char *path, const char *xcol, const char *ycol, unsigned rules,
                           wg_observed_series *o, wg_diag *d)
{
    char *text, *f[MAX_COLS];
    size_t lineno = 0, cap = 0;
    int xi = -1, yi = -1, have_header = 0;
    memset(o, 0, sizeof *o);
    wg_status st = slurp(path, &text, d);
    if (st != WG_OK) return st;
    for (char *line = text, *next; st == WG_OK && *line; line = next) {
        next = line + strcspn(line, "\n");
        if (*next) *next++ = '\0';
        lineno++;
        line[strcspn(line, "\r")] = '\0';
        const char *p = line;
        while (isspace((unsigned char)*p)) p++;
        if (!*p || *p == '#') continue;
        size_t nf = wg_csv_split(line, f, MAX_COLS);
        if (!have_header) {
            have_header = 1;
            st = header(path, lineno, f, nf, xcol, ycol, &xi, &yi, o, d);
        } else {
            st = reading(path, lineno, f, nf, xi, yi, rules, &cap, o, d);
        }
    }
    free(text);
    if (st == WG_OK && !have_header)
        wg_diag_error(d, st = WG_EINPUT, "%s: no header line (expected e.g. day,views)", path);
    else if (st == WG_OK && !o->n)
        wg_diag_error(d, st = WG_EINPUT, "%s: no readings below the header", path);
    if (st != WG_OK) wg_observed_free(o);
    return st;
}

wg_status wg_observed_read_scenario(const wg_scenario *s, unsigned rules, wg_observed_series *o,
                                    wg_diag *d)
{
    const wg_observed *ob = &s->observed;
    memset(o, 0, sizeof *o);
    if (!ob->present) return WG_OK;
    return wg_observed_read(ob->file, ob->x, ob->y, rules, o, d);
}
