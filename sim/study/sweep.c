/*
 * sweep.c — the studies behind `waggle sweep` and `waggle merge`: parameter sweeps over grid or
 * Sobol designs, on one machine (threads), on many (MPI ranks, parallel.c)
 * and as job-array shards joined afterwards.
 *
 * Design notes
 *   1. A point is the base scenario with each swept key set to the point's
 *      value (wg_scenario_with). Every point uses the scenario's seed and
 *      runs 0 .. runs - 1: common random numbers across points.
 *   2. Points run one after another on each rank; the runs of a point run in
 *      parallel inside the engine (whole runs per thread on small graphs,
 *      threads inside a run on large ones), without a second level of
 *      threads. The per-point set-up (scenario, engine, statistics) is
 *      serial: ranks, which run whole points side by side, scale better.
 *   3. Ranks take points from a shared counter (dynamic scheduling); each
 *      finished point is appended to the rank's journal (.sweep-journal.R in
 *      the output folder: one line, written with one write() and fsync'ed,
 *      ending with its own checksum); rank 0 gathers the rows at the end and
 *      writes sweep.csv and manifest.yaml atomically, then removes the
 *      journals. --resume reads the journals (every rank's, from any earlier
 *      rank count), keeps the lines whose checksum and scenario hash match,
 *      and runs only the rest: the rows are the same numbers, so the bytes are.
 *   4. --shard K/N keeps the points p with p mod N = K (K from 0): strided,
 *      so that shards get similar mixes of cheap and dear points. Each shard's
 *      manifest records the scenario hash, seed, point count and K/N; merge
 *      checks them and interleaves the rows by point.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "waggle/job.h"
#include "waggle/parallel.h"
#include "waggle/render.h"
#include "waggle/sensitivity.h"
#include "waggle/sweep.h"

/* Points a sweep may have (rows are kept in memory: 31 doubles each). */
#define WG_SWEEP_MAX_POINTS UINT64_C(100000000)
/* GSL's Sobol generator works in up to this many dimensions. */
#define WG_SOBOL_MAX_DIM 40
#define JOURNAL_PREFIX ".sweep-journal."
#define JOURNAL_TAG "wg1"
#define LINE_MAX_BYTES 4096


/* ---- the design ---------------------------------------------------------------- */

/* Does the key take only integers? Try a value halfway between two integers
 * inside the range: refused while its rounding is accepted means integer. */
static int integer_key(const wg_scenario *s, const char *key, double lo, double hi)
{
    double t = floor((lo + hi) / 2) + 0.5;
    char a[48], b[48];
    const char *va = a, *vb = b;
    wg_scenario *x = NULL;
    wg_diag d;
    if (t < lo || t > hi) return 0;
    snprintf(a, sizeof a, "%.17g", t);
    snprintf(b, sizeof b, "%.17g", floor(t));
    wg_diag_init(&d);
    wg_status st = wg_scenario_with(s, 1, &key, &va, &x, &d);
    wg_scenario_free(x);
    x = NULL;
    int integer = 0;
    if (st == WG_EINPUT) {
        integer = wg_scenario_with(s, 1, &key, &vb, &x, &d) == WG_OK;
        wg_scenario_free(x);
    }
    wg_diag_free(&d);
    return integer;
}

void wg_sweep_design_free(wg_sweep_design *z)
{
    free(z->keys);
    free(z->integer);
    free(z->values);
    memset(z, 0, sizeof *z);
}

wg_status wg_sweep_design_make(const wg_scenario *s, wg_sweep_design *z, wg_diag *d)
{
    const wg_sweepspec *sw = &s->sweep;
    memset(z, 0, sizeof *z);
    if (!sw->kind || !sw->naxes) {
        wg_diag_error(d, WG_EINPUT, "%s: no sweep: section (expected sweep: {grid: ...} or "
                      "sweep: {sobol: ...})", s->path);
        return WG_EINPUT;
    }
    uint64_t n = 1;
    if (sw->kind == 1) {
        for (size_t i = 0; i < sw->naxes; i++) {
            if (sw->axes[i].nvalues == 0 || n > WG_SWEEP_MAX_POINTS / sw->axes[i].nvalues) {
                wg_diag_error(d, WG_EINPUT, "%s: sweep.grid: at most %llu points, the grid has "
                              "more", s->path, (unsigned long long)WG_SWEEP_MAX_POINTS);
                return WG_EINPUT;
            }
            n *= sw->axes[i].nvalues;
        }
    } else {
        n = sw->points;
        /* Saltelli's design: N base samples, N (keys + 2) points */
        if (sw->indices) n = sw->points > WG_SWEEP_MAX_POINTS ? n : n * (sw->naxes + 2);
        if (sw->naxes > WG_SOBOL_MAX_DIM || n > WG_SWEEP_MAX_POINTS) {
            wg_diag_error(d, WG_EINPUT, "%s: sweep.sobol: at most %d keys and %llu points",
                          s->path, WG_SOBOL_MAX_DIM, (unsigned long long)WG_SWEEP_MAX_POINTS);
            return WG_EINPUT;
        }
    }
    z->naxes = sw->naxes;
    z->npoints = n;
    z->keys = wg_calloc(sw->naxes, sizeof *z->keys);
    z->integer = wg_calloc(sw->naxes, sizeof *z->integer);
    z->values = wg_malloc(n * sw->naxes, sizeof *z->values);
    gsl_qrng *q = NULL;
    if (!z->keys || !z->integer || !z->values) goto nomem;
    for (size_t i = 0; i < sw->naxes; i++) z->keys[i] = sw->axes[i].key;
    if (sw->kind == 1) {
        for (uint64_t p = 0; p < n; p++) {
            uint64_t rest = p;
            for (size_t i = sw->naxes; i-- > 0;) {
                const wg_sweep_axis *ax = &sw->axes[i];
                z->values[p * sw->naxes + i] = ax->values[rest % ax->nvalues];
                rest /= ax->nvalues;
            }
        }
        return WG_OK;
    }
    for (size_t i = 0; i < sw->naxes; i++)
        z->integer[i] = integer_key(s, sw->axes[i].key, sw->axes[i].lo, sw->axes[i].hi);
    if (sw->indices) {
        wg_status st = wg_sens_design(sw->naxes, sw->points, z->values, d);
        if (st != WG_OK) {
            wg_sweep_design_free(z);
            return st;
        }
        for (uint64_t p = 0; p < n; p++)
            for (size_t i = 0; i < sw->naxes; i++) {
                const wg_sweep_axis *ax = &sw->axes[i];
                double *x = &z->values[p * sw->naxes + i];
                double v = ax->lo + *x * (ax->hi - ax->lo);
                *x = z->integer[i] ? round(v) : v;
            }
        return WG_OK;
    }
    if (!(q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)sw->naxes))) goto nomem;
    double u[WG_SOBOL_MAX_DIM];
    for (uint64_t p = 0; p < n; p++) {
        gsl_qrng_get(q, u);
        for (size_t i = 0; i < sw->naxes; i++) {
            const wg_sweep_axis *ax = &sw->axes[i];
            double v = ax->lo + u[i] * (ax->hi - ax->lo);
            z->values[p * sw->naxes + i] = z->integer[i] ? round(v) : v;
        }
    }
    gsl_qrng_free(q);
    return WG_OK;
nomem:
    gsl_qrng_free(q);
    wg_sweep_design_free(z);
    wg_diag_error(d, WG_ENOMEM, "out of memory: a sweep of %llu points", (unsigned long long)n);
    return WG_ENOMEM;
}

uint64_t wg_sweep_hash(const wg_scenario *s)
{
    char *text = NULL;
    size_t len = 0;
    uint64_t h = WG_FNV_BASIS;
    FILE *f = open_memstream(&text, &len);
    if (f) {
        wg_scenario_write(s, f, 0);
        fclose(f);
        h = wg_fnv1a(h, text, len);
    }
    free(text);
    return h;
}

/* ---- one point ------------------------------------------------------------------- */

static int changes_network(const wg_sweep_design *z)
{
    for (size_t i = 0; i < z->naxes; i++)
        if (strncmp(z->keys[i], "network.", 8) == 0 || strcmp(z->keys[i], "seed") == 0) return 1;
    return 0;
}

static void point_value(const wg_sweep_design *z, uint64_t p, size_t i, char *buf, size_t n)
{
    double v = z->values[p * z->naxes + i];
    if (z->integer[i]) snprintf(buf, n, "%.0f", v);
    else wg_num_shortest(buf, n, v);
}

wg_status wg_sweep_point(const wg_scenario *base, const wg_sweep_design *z, uint64_t p,
                         const wg_graph *g, const wg_job_run_params *rp, double *row,
                         wg_diag *d)
{
    char vals[WG_SOBOL_MAX_DIM][48];
    const char *vp[WG_SOBOL_MAX_DIM];
    const char **vpp = vp;
    char (*heap)[48] = NULL;
    wg_scenario *s = NULL;
    wg_job *j = NULL;
    double *x = NULL, *work = NULL;
    wg_status st;
    if (z->naxes > WG_SOBOL_MAX_DIM) {   /* a grid may have more keys than a Sobol design */
        heap = wg_malloc(z->naxes, sizeof *heap);
        vpp = wg_malloc(z->naxes, sizeof *vpp);
        if (!heap || !vpp) {
            free(heap);
            if (vpp != vp) free((void *)vpp);
            wg_diag_error(d, WG_ENOMEM, "out of memory");
            return WG_ENOMEM;
        }
    }
    for (size_t i = 0; i < z->naxes; i++) {
        char *b = heap ? heap[i] : vals[i];
        point_value(z, p, i, b, 48);
        vpp[i] = b;
    }
    if ((st = wg_scenario_with(base, z->naxes, z->keys, vpp, &s, d)) != WG_OK) goto done;
    st = wg_job_open_scenario(s, g, &j, d);
    s = NULL;   /* the job's now */
    if (st != WG_OK) goto done;
    if ((st = wg_job_run(j, rp, d)) != WG_OK) goto done;
    s = (wg_scenario *)wg_job_scenario(j);
    const wg_results *rr = wg_job_results(j);
    x = wg_malloc((size_t)s->runs * WG_SWEEP_NMETRICS, sizeof *x);
    work = wg_malloc(s->runs, sizeof *work);
    if (!x || !work) {
        wg_diag_error(d, st = WG_ENOMEM, "out of memory: finals of %u runs", s->runs);
        goto done;
    }
    const wg_blowup_rule rule = {s->blowup, s->blowup_valence, s->blowup_at_step,
                                  s->blowup_step};
    for (uint32_t run = 0; run < s->runs; run++) {
        double v[WG_NFINALS];
        wg_final_values(rr, run, &rule, v);
        for (int m = 0; m < WG_SWEEP_NMETRICS; m++) x[(size_t)m * s->runs + run] = v[m];
    }
    row[0] = (double)p;
    for (int m = 0; m < WG_SWEEP_NMETRICS; m++) {
        wg_stats t;
        wg_stats_of(x + (size_t)m * s->runs, s->runs, work, &t);
        const double v[WG_SWEEP_NSTATS] = {t.mean, t.sd, t.p05, t.p50, t.p95};
        memcpy(row + 1 + m * WG_SWEEP_NSTATS, v, sizeof v);
    }
done:
    free(x);
    free(work);
    if (j) wg_job_free(j);
    else wg_scenario_free(s);
    free(heap);
    if (vpp != vp) free((void *)vpp);
    return st;
}

/* ---- the journal ------------------------------------------------------------------ */

/* One line: "wg1 HASH POINT v1 .. v30 CHECK\n", values as exact hex floats,
 * CHECK the FNV-1a hash of everything before its separating space. */
static size_t journal_line(char *buf, size_t cap, uint64_t hash, const double *row)
{
    size_t n = (size_t)snprintf(buf, cap, JOURNAL_TAG " %016llx %llu", (unsigned long long)hash,
                                (unsigned long long)row[0]);
    for (int k = 1; k < WG_SWEEP_ROW && n < cap; k++)
        n += (size_t)snprintf(buf + n, cap - n, " %a", row[k]);
    if (n >= cap) return 0;
    uint64_t c = wg_fnv1a(WG_FNV_BASIS, buf, n);
    n += (size_t)snprintf(buf + n, cap - n, " %016llx\n", (unsigned long long)c);
    return n < cap ? n : 0;
}

/* Parse a line (without its newline). 1 when well-formed with a good
 * checksum; *hash and row filled. */
static int journal_parse(char *line, uint64_t *hash, double *row)
{
    char *sp = strrchr(line, ' ');
    if (!sp || strlen(sp + 1) != 16) return 0;
    char *end;
    uint64_t c = strtoull(sp + 1, &end, 16);
    if (*end || c != wg_fnv1a(WG_FNV_BASIS, line, (size_t)(sp - line))) return 0;
    *sp = '\0';
    char *p = line;
    if (strncmp(p, JOURNAL_TAG " ", 4) != 0) return 0;
    p += 4;
    *hash = strtoull(p, &end, 16);
    if (end == p || *end != ' ') return 0;
    p = end;
    unsigned long long pt = strtoull(p, &end, 10);
    if (end == p) return 0;
    row[0] = (double)pt;
    p = end;
    for (int k = 1; k < WG_SWEEP_ROW; k++) {
        row[k] = strtod(p, &end);
        if (end == p) return 0;
        p = end;
    }
    return *p == '\0';
}

/* Remove every journal in dir (a fresh start, or after the output is written). */
static void journal_remove_all(const char *dir)
{
    DIR *dd = opendir(dir);
    if (!dd) return;
    struct dirent *ent;
    while ((ent = readdir(dd)))
        if (strncmp(ent->d_name, JOURNAL_PREFIX, strlen(JOURNAL_PREFIX)) == 0) {
            char *p = wg_path_join(dir, ent->d_name);
            if (p) unlink(p);
            free(p);
        }
    closedir(dd);
}

/* Read every journal of dir: points of this sweep (hash) get done[p] = 1
 * and their row in rows. A line that fails its checksum (a write cut short
 * by a kill) is skipped; a journal of another sweep is bad input. */
static wg_status journal_read(const char *dir, uint64_t hash, uint64_t npoints, uint8_t *done,
                              double *rows, uint64_t *nread, wg_diag *d)
{
    DIR *dd = opendir(dir);
    *nread = 0;
    if (!dd) return WG_OK;   /* nothing to resume */
    struct dirent *ent;
    char *line = wg_malloc(LINE_MAX_BYTES, 1);
    wg_status st = WG_OK;
    if (!line) {
        closedir(dd);
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    while (st == WG_OK && (ent = readdir(dd))) {
        if (strncmp(ent->d_name, JOURNAL_PREFIX, strlen(JOURNAL_PREFIX)) != 0) continue;
        char *p = wg_path_join(dir, ent->d_name);
        if (!p) {
            wg_diag_error(d, st = WG_ENOMEM, "out of memory");
            break;
        }
        int jfd = wg_input_open(p, WG_IN_JOURNAL, NULL, d);
        FILE *f = jfd >= 0 ? fdopen(jfd, "r") : NULL;
        if (!f) {
            if (jfd >= 0) close(jfd);
            st = d->status ? d->status : WG_ENOMEM;
            free(p);
            break;
        }
        unsigned long lineno = 0, skipped = 0;
        while (fgets(line, LINE_MAX_BYTES, f)) {
            size_t n = strlen(line);
            lineno++;
            double row[WG_SWEEP_ROW];
            uint64_t h;
            if (n == 0 || line[n - 1] != '\n' || (line[n - 1] = '\0', !journal_parse(line, &h, row))) {
                skipped++;
                continue;
            }
            if (h != hash) {
                wg_diag_error(d, st = WG_EINPUT, "--resume: %s:%lu: the journal belongs to another "
                              "sweep (scenario hash %016llx, this sweep's is %016llx); run without "
                              "--resume to start again", p, lineno, (unsigned long long)h,
                              (unsigned long long)hash);
                break;
            }
            uint64_t pt = (uint64_t)row[0];
            if (pt >= npoints) {
                skipped++;
                continue;
            }
            if (!done[pt]) {
                done[pt] = 1;
                memcpy(rows + pt * WG_SWEEP_ROW, row, sizeof row);
                (*nread)++;
            }
        }
        if (skipped) wg_diag_note(d, "%s: %lu damaged line%s skipped (its points run again)", p,
                                  skipped, skipped == 1 ? "" : "s");
        fclose(f);
        free(p);
    }
    free(line);
    closedir(dd);
    return st;
}

/* The journal of this rank for appending: with --resume the one there (a
 * regular file, never followed when it is a symlink), else a new file
 * (O_CREAT|O_EXCL|O_NOFOLLOW: the earlier ones were removed). Returns the
 * descriptor or -1 with a message. */
static int journal_open(const char *jpath, int resume, wg_diag *d)
{
    int fd = -1;
    struct stat sb;
    if (resume) fd = open(jpath, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && (!resume || errno == ENOENT)) {
        if (!resume) unlink(jpath);   /* a name planted after the clean-up */
        fd = open(jpath, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    }
    if (fd < 0) {
        wg_diag_error(d, errno == ELOOP ? WG_EINPUT : WG_EIO, "%s: cannot open the sweep journal: %s",
                      jpath, errno == ELOOP ? "it is a symbolic link (a journal is never followed)"
                                            : strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_nlink != 1) {
        wg_diag_error(d, WG_EINPUT, "%s: the sweep journal is not a regular file of its own "
                      "(a FIFO, a device or a hard link): remove it", jpath);
        close(fd);
        return -1;
    }
    return fd;
}

static wg_status journal_append(int fd, uint64_t hash, const double *row, wg_diag *d)
{
    char buf[LINE_MAX_BYTES];
    size_t n = journal_line(buf, sizeof buf, hash, row);
    if (n == 0 || write(fd, buf, n) != (ssize_t)n || fsync(fd) != 0) {
        wg_diag_error(d, WG_EIO, "cannot write the sweep journal: %s", strerror(errno));
        return WG_EIO;
    }
    return WG_OK;
}

/* ---- writing sweep.csv ------------------------------------------------------------ */

static int in_shard(uint64_t p, int k, int n)
{
    return (int)(p % (uint64_t)n) == k;
}

static wg_status write_csv(const char *dir, const wg_sweep_design *z, const double *rows,
                           int shard, int shards, wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "sweep.csv", d);
    if (st != WG_OK) return st;
    fputs("point", o.f);
    for (size_t i = 0; i < z->naxes; i++) fprintf(o.f, ",%s", z->keys[i]);
    fputs(",metric,mean,sd,p05,p50,p95\n", o.f);
    for (uint64_t p = 0; p < z->npoints; p++) {
        if (!in_shard(p, shard, shards)) continue;
        char vals[256];
        size_t len = 0;
        for (size_t i = 0; i < z->naxes && len < sizeof vals; i++) {
            char b[48];
            point_value(z, p, i, b, sizeof b);
            len += (size_t)snprintf(vals + len, sizeof vals - len, ",%s", b);
        }
        const double *row = rows + p * WG_SWEEP_ROW;
        for (int m = 0; m < WG_SWEEP_NMETRICS; m++) {
            fprintf(o.f, "%llu", (unsigned long long)p);
            if (len < sizeof vals) {
                fputs(vals, o.f);
            } else {   /* many keys: print them one by one */
                for (size_t i = 0; i < z->naxes; i++) {
                    char b[48];
                    point_value(z, p, i, b, sizeof b);
                    fprintf(o.f, ",%s", b);
                }
            }
            fprintf(o.f, ",%s", wg_final_metric_name(m));
            for (int k = 0; k < WG_SWEEP_NSTATS; k++) {
                fputc(',', o.f);
                wg_csv_double(o.f, row[1 + m * WG_SWEEP_NSTATS + k]);
            }
            fputc('\n', o.f);
        }
    }
    return wg_out_commit(&o, d);
}

/* ---- waggle sweep --------------------------------------------------------------- */


char *wg_sweep_default_out(const char *scenario, int shard, int shards)
{
    char *base = wg_job_default_out(scenario);
    if (!base || shards == 1) return base;
    size_t n = strlen(base) + 48;
    char *s = wg_malloc(n, 1);
    if (s) snprintf(s, n, "%s-shard-%d-of-%d", base, shard, shards);
    free(base);
    return s;
}

void wg_sweep_params_default(wg_sweep_params *p)
{
    memset(p, 0, sizeof *p);
    p->shards = 1;
}

wg_status wg_sweep_run(const wg_sweep_params *so, wg_diag *d)
{
    const wg_sweep_params o = *so;
    const int argc = o.argc;
    char **const argv = o.argv;
    wg_scenario *s = NULL;
    wg_graph *g = NULL;
    wg_sweep_design z = {0};
    wg_par_counter *counter = NULL;
    char *out = NULL, *jpath = NULL;
    uint8_t *done = NULL;
    uint64_t *pending = NULL;
    double *table = NULL, *mine = NULL, *gathered = NULL;
    int fd = -1, made_dir = 0;
    wg_outdir od = {.lock_fd = -1};
    struct stat sb;
    const int rank = wg_par_rank(), ranks = wg_par_size();
    double t0 = wg_now_seconds();
    wg_job_run_params rp;
    wg_job_run_params_default(&rp);
    rp.threads = o.threads;
    rp.stop = o.stop;
    wg_status st;
    if ((st = wg_job_load(o.scenario, o.sets, o.nsets, &s, d)) != WG_OK) goto done;
    if ((st = wg_sweep_design_make(s, &z, d)) != WG_OK) goto done;
    const uint64_t hash = wg_sweep_hash(s);
    out = o.out_dir ? wg_strdup(o.out_dir) : wg_sweep_default_out(o.scenario, o.shard, o.shards);
    done = wg_calloc(z.npoints, 1);
    pending = wg_malloc(z.npoints, sizeof *pending);
    if (!out || !done || !pending) goto nomem;
    if (rank == 0 && !(table = wg_calloc(z.npoints * WG_SWEEP_ROW, sizeof *table))) goto nomem;
    if (!changes_network(&z) && (st = wg_graph_build(&s->net, s->seed, &g, d)) != WG_OK) goto done;
    /* the folder, the journals of earlier attempts, and what is already done */
    uint64_t resumed = 0;
    if (rank == 0) {
        made_dir = stat(out, &sb) != 0;
        if ((st = wg_job_outdir_open(&od, out, s, d)) != WG_OK) goto fail_all;
        if (o.resume)
            st = journal_read(out, hash, z.npoints, done, table, &resumed, d);
        else
            journal_remove_all(out);
        if (st != WG_OK) goto fail_all;
    }
    wg_par_bcast(done, z.npoints);
    wg_par_barrier();
    uint64_t npending = 0, nshard = 0;
    for (uint64_t p = 0; p < z.npoints; p++)
        if (in_shard(p, o.shard, o.shards)) {
            nshard++;
            if (!done[p]) pending[npending++] = p;
        }
    char name[64];
    snprintf(name, sizeof name, JOURNAL_PREFIX "%d", rank);
    if (!(jpath = wg_path_join(out, name))) goto nomem;
    if ((fd = journal_open(jpath, o.resume, d)) < 0) {
        st = d->status ? d->status : WG_EIO;
        goto fail_all;
    }
    if (!(mine = wg_malloc(npending ? npending : 1, WG_SWEEP_ROW * sizeof *mine))) goto nomem;
    if ((st = wg_par_counter_new(&counter, d)) != WG_OK) goto done;
    if (o.resume && rank == 0 && !o.quiet)
        fprintf(stderr, "waggle: resuming: %llu of %llu points already done\n",
                (unsigned long long)(nshard - npending), (unsigned long long)nshard);
    size_t nmine = 0;
    for (;;) {
        uint64_t i = wg_par_counter_next(counter);
        if (i >= npending) break;
        double *row = mine + nmine * WG_SWEEP_ROW;
        st = wg_sweep_point(s, &z, pending[i], g, &rp, row, d);
        if (st == WG_OK) st = journal_append(fd, hash, row, d);
        if (st != WG_OK) break;
        nmine++;
        if (o.progress && rank == 0) o.progress(o.progress_ud, i + 1, npending);
    }
    if (st == WG_EINPUT && !o.resume) {
        /* a point that is bad input (it fails again on --resume): leave nothing behind */
        close(fd);
        fd = -1;
        unlink(jpath);
        wg_outdir_close(&od, NULL);
        if (made_dir && rank == 0) {
            char *lp = wg_path_join(out, ".waggle.lock");
            if (lp) unlink(lp);
            free(lp);
            rmdir(out);
        }
    }
    if (st != WG_OK) {
        if (st == WG_EINTR)
            wg_diag_note(d, "%s: the finished points are kept; run the same command with "
                         "--resume to finish", out);
        goto fail_all;
    }
    if ((st = wg_par_gather(mine, nmine, WG_SWEEP_ROW, &gathered, &npending, d)) != WG_OK)
        goto done;
    if (rank == 0) {
        for (uint64_t k = 0; k < npending; k++) {
            const double *row = gathered + k * WG_SWEEP_ROW;
            memcpy(table + (uint64_t)row[0] * WG_SWEEP_ROW, row, WG_SWEEP_ROW * sizeof *row);
        }
        char extra[160];
        snprintf(extra, sizeof extra, "sweep: {hash: \"%016llx\", points: %llu, shard: %d, "
                 "shards: %d}\n", (unsigned long long)hash, (unsigned long long)z.npoints,
                 o.shard, o.shards);
        wg_graph_stats gs, *gsp = NULL;
        if (g && wg_graph_stats_compute(g, &gs, NULL, d) == WG_OK) gsp = &gs;
        wg_manifest m = {s, gsp, o.threads ? o.threads : wg_engine_default_threads(), ranks,
                         wg_now_seconds() - t0, argc, argv, "sweep"};
        if ((st = write_csv(out, &z, table, o.shard, o.shards, d)) != WG_OK) goto done;
        if ((st = wg_manifest_write(out, &m, extra, d)) != WG_OK) goto done;
        if ((st = wg_render_sweep(out, NULL, NULL, d)) != WG_OK) goto done;
        /* Sobol indices need the whole design: a shard's are computed by merge */
        if (o.shards == 1 && (st = wg_sens_folder(out, NULL, d)) != WG_OK) goto done;
        if (fd >= 0) close(fd);
        fd = -1;
        journal_remove_all(out);
        if (!o.quiet)
            fprintf(stderr, "waggle: %llu points × %u runs on %d rank%s in %.2f s; wrote %s/\n",
                    (unsigned long long)nshard, s->runs, ranks, ranks == 1 ? "" : "s",
                    wg_now_seconds() - t0, out);
    }
    goto done;
fail_all:
    /* a failure on one rank (the others may be waiting in a collective call) */
    if (ranks > 1) {
        wg_diag_print(d, stderr);
        wg_par_abort(wg_status_exit(st));
    }
    goto done;
nomem:
    wg_diag_error(d, st = WG_ENOMEM, "out of memory: a sweep of %llu points",
                  (unsigned long long)z.npoints);
    goto fail_all;
done:
    if (fd >= 0) close(fd);
    {
        wg_status cs = wg_outdir_close(&od, d);
        if (st == WG_OK) st = cs;
    }
    wg_par_counter_free(counter);
    free(gathered);
    free(mine);
    free(table);
    free(pending);
    free(done);
    free(jpath);
    free(out);
    wg_sweep_design_free(&z);
    wg_graph_free(g);
    wg_scenario_free(s);
    return st;
}

/* ---- waggle merge ---------------------------------------------------------------- */


#define MERGE_MISSING_LISTED 8   /* missing shards named one by one; more: one message */

typedef struct shard_info {
    const char *dir;
    char *manifest;          /* the text of manifest.yaml */
    char *csv;               /* the text of sweep.csv */
    unsigned long long hash, seed, points;
    int k, n;
} shard_info;

/* The text of dir/name, or NULL with an error. */
static char *shard_file(const char *dir, const char *name, wg_diag *d)
{
    char *p = wg_path_join(dir, name), *text = NULL;
    if (!p) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return NULL;
    }
    wg_status st = wg_file_read(p, &text, NULL, NULL);
    if (st == WG_ENOMEM)
        wg_diag_error(d, WG_ENOMEM, "out of memory: reading %s", p);
    else if (st != WG_OK)
        wg_diag_error(d, WG_EINPUT, "%s: cannot read it (%s): not a finished sweep folder", p,
                      strerror(errno));
    free(p);
    return text;
}

static int read_shard(shard_info *sh, wg_diag *d)
{
    if (!(sh->manifest = shard_file(sh->dir, "manifest.yaml", d))) return 0;
    {
        /* YAML as render reads it: the merged folder's manifest is this one's text */
        static const char *const key[] = {"seed"};
        char *val = NULL, *name = wg_path_join(sh->dir, "manifest.yaml");
        wg_status st = name ? wg_scenario_yaml_scalars(sh->manifest, strlen(sh->manifest), name,
                                                        1, key, &val, d)
                            : WG_ENOMEM;
        if (!name) wg_diag_error(d, WG_ENOMEM, "out of memory");
        free(val);
        free(name);
        if (st != WG_OK) return 0;
    }
    const char *l = strstr(sh->manifest, "\nsweep: {hash: \"");
    const char *sd = strstr(sh->manifest, "\nseed: ");
    if (!l || !sd ||
        sscanf(l, "\nsweep: {hash: \"%llx\", points: %llu, shard: %d, shards: %d}", &sh->hash,
               &sh->points, &sh->k, &sh->n) != 4 ||
        sscanf(sd, "\nseed: %llu", &sh->seed) != 1 || sh->n < 1 || sh->k < 0 || sh->k >= sh->n ||
        sh->points < 1 || sh->points > WG_SWEEP_MAX_POINTS) {
        wg_diag_error(d, WG_EINPUT, "%s/manifest.yaml: not the manifest of a sweep (expected a "
                      "line sweep: {hash: ..., points: P, shard: K, shards: N} with P from 1 to "
                      "%llu, K from 0 to N - 1)", sh->dir, (unsigned long long)WG_SWEEP_MAX_POINTS);
        return 0;
    }
    return (sh->csv = shard_file(sh->dir, "sweep.csv", d)) != NULL;
}

/* A row of a shard's sweep.csv, [c, e): nfields fields, the keys finite
 * numbers (render draws them), the metric the m-th of WG_SWEEP_NMETRICS in
 * order, the statistics numbers (NaN allowed: a sentiment of nobody). */
static int merge_row_ok(const char *dir, size_t lineno, const char *c, const char *e,
                        size_t nfields, int m, wg_diag *d)
{
    size_t f = 0, mcol = nfields - 1 - WG_SWEEP_NSTATS;
    const char *why = NULL;
    for (const char *p = c; !why && p <= e; f++) {
        const char *q = p;
        while (q < e && *q != ',') q++;
        char buf[64];
        size_t len = (size_t)(q - p);
        if (f >= nfields) why = "more fields than the header";
        else if (f == mcol) {
            if (m >= WG_SWEEP_NMETRICS || strlen(wg_final_metric_name(m)) != len ||
                memcmp(p, wg_final_metric_name(m), len) != 0)
                why = "a metric out of order, or a metric row missing";
        } else if (f > 0) {
            char *end;
            if (len == 0 || len >= sizeof buf) why = "a field that is not a number";
            else {
                memcpy(buf, p, len);
                buf[len] = '\0';
                double x = strtod(buf, &end);
                if (*end) why = "a field that is not a number";
                else if (f < mcol && !isfinite(x)) why = "a swept value that is not finite";
            }
        }
        p = q + 1;
    }
    if (!why && f != nfields) why = "fewer fields than the header";
    if (why) wg_diag_error(d, WG_EINPUT, "%s/sweep.csv:%zu: %s", dir, lineno, why);
    return why == NULL;
}

typedef struct merge_line {
    unsigned long long point;
    size_t seq;              /* position among all lines: keeps each point's metric order */
    const char *text;
    size_t len;
} merge_line;

static int cmp_line(const void *a, const void *b)
{
    const merge_line *x = a, *y = b;
    if (x->point != y->point) return x->point < y->point ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

wg_status wg_sweep_merge(const char *const *dirs, size_t ndirs, const char *outdir, wg_diag *d)
{
    shard_info *sh = NULL;
    merge_line *lines = NULL;
    size_t nsh = 0, nlines = 0;
    wg_outdir od = {.lock_fd = -1};
    wg_status st = WG_OK;
    if (!outdir) outdir = "out/merged";
    if (!(sh = wg_calloc(ndirs ? ndirs : 1, sizeof *sh))) goto nomem;
    for (size_t i = 0; i < ndirs; i++) sh[nsh++].dir = dirs[i];
    if (nsh == 0) {
        wg_diag_error(d, st = WG_EINPUT, "no shard folders given (see --help)");
        goto done;
    }
    for (size_t i = 0; i < nsh; i++)
        if (!read_shard(&sh[i], d)) {
            st = d->status;
            goto done;
        }
    /* the same sweep: seed, scenario, points, number of shards; each shard once */
    const shard_info *a = &sh[0];
    for (size_t i = 1; i < nsh; i++) {
        const shard_info *b = &sh[i];
        if (b->seed != a->seed)
            wg_diag_error(d, WG_EINPUT, "%s: seed %llu, but %s has seed %llu: shards of "
                          "different sweeps", b->dir, b->seed, a->dir, a->seed);
        else if (b->hash != a->hash || b->points != a->points)
            wg_diag_error(d, WG_EINPUT, "%s: a shard of a different scenario than %s "
                          "(scenario hash %016llx, not %016llx)", b->dir, a->dir, b->hash, a->hash);
        else if (b->n != a->n)
            wg_diag_error(d, WG_EINPUT, "%s is shard %d/%d, but %s is shard %d/%d: the sweep "
                          "was cut into different numbers of shards", b->dir, b->k, b->n, a->dir,
                          a->k, a->n);
        for (size_t j = 0; j < i && !d->errors; j++)
            if (sh[j].k == b->k)
                wg_diag_error(d, WG_EINPUT, "%s and %s are both shard %d/%d: overlapping "
                              "shards", sh[j].dir, b->dir, b->k, b->n);
    }
    if (!d->errors && (size_t)a->n > nsh + MERGE_MISSING_LISTED)   /* one message, not N */
        wg_diag_error(d, WG_EINPUT, "%zu shard%s given, but the sweep was cut into %d shards "
                      "(%s is shard %d/%d)", nsh, nsh == 1 ? "" : "s", a->n, a->dir, a->k, a->n);
    if (!d->errors)
        for (int k = 0; k < a->n; k++) {
            size_t j = 0;
            while (j < nsh && sh[j].k != k) j++;
            if (j == nsh)
                wg_diag_error(d, WG_EINPUT, "shard %d/%d is missing (%zu of %d shards given)", k,
                              a->n, nsh, a->n);
        }
    if (d->errors) {
        st = WG_EINPUT;
        goto done;
    }
    /* split the CSVs into lines; check headers and that each shard holds its points */
    const char *header_end = strchr(a->csv, '\n');
    if (!header_end) {
        wg_diag_error(d, st = WG_EINPUT, "%s/sweep.csv: empty", a->dir);
        goto done;
    }
    size_t hlen = (size_t)(header_end - a->csv) + 1, total = 0, nfields = 1;
    for (const char *c = a->csv; c < header_end; c++) nfields += *c == ',';
    if (nfields < 3 + WG_SWEEP_NSTATS) {
        wg_diag_error(d, st = WG_EINPUT, "%s/sweep.csv: expected the header point,<keys>,metric,"
                      "mean,sd,p05,p50,p95", a->dir);
        goto done;
    }
    for (size_t i = 0; i < nsh; i++)
        for (const char *c = sh[i].csv; *c; c++) total += *c == '\n';
    if (!(lines = wg_malloc(total ? total : 1, sizeof *lines))) goto nomem;
    for (size_t i = 0; i < nsh && !d->errors; i++) {
        const char *c = sh[i].csv;
        if (strncmp(c, a->csv, hlen) != 0) {
            wg_diag_error(d, WG_EINPUT, "%s/sweep.csv: its header differs from %s/sweep.csv's",
                          sh[i].dir, a->dir);
            break;
        }
        c += hlen;
        unsigned long long seen = 0, last = ~0ULL;
        size_t lineno = 1;
        int metric = 0;
        while (*c) {
            const char *e = strchr(c, '\n');
            char *end;
            lineno++;
            unsigned long long p = strtoull(c, &end, 10);
            if (!e || end == c || *end != ',' || p >= a->points ||
                p % (unsigned)sh[i].n != (unsigned)sh[i].k) {
                wg_diag_error(d, WG_EINPUT, "%s/sweep.csv:%zu: not a row of shard %d/%d",
                              sh[i].dir, lineno, sh[i].k, sh[i].n);
                break;
            }
            if (p != last && last != ~0ULL && metric != WG_SWEEP_NMETRICS) {
                wg_diag_error(d, WG_EINPUT, "%s/sweep.csv:%zu: point %llu has %d metric rows, "
                              "expected %d (%s ... %s)", sh[i].dir, lineno - 1, last, metric,
                              WG_SWEEP_NMETRICS, wg_final_metric_name(0),
                              wg_final_metric_name(WG_SWEEP_NMETRICS - 1));
                break;
            }
            if (p != last) metric = 0;
            if (!merge_row_ok(sh[i].dir, lineno, c, e, nfields, metric, d)) break;
            metric++;
            if (p != last) seen++;
            last = p;
            lines[nlines] = (merge_line){p, nlines, c, (size_t)(e - c) + 1};
            nlines++;
            c = e + 1;
        }
        unsigned long long want = (a->points - (unsigned)sh[i].k + (unsigned)sh[i].n - 1) /
                                  (unsigned)sh[i].n;
        if (!d->errors && seen && metric != WG_SWEEP_NMETRICS)
            wg_diag_error(d, WG_EINPUT, "%s/sweep.csv:%zu: point %llu has %d metric rows, "
                          "expected %d", sh[i].dir, lineno, last, metric, WG_SWEEP_NMETRICS);
        if (!d->errors && seen != want)
            wg_diag_error(d, WG_EINPUT, "%s/sweep.csv: %llu points, shard %d/%d of %llu points "
                          "has %llu", sh[i].dir, seen, sh[i].k, sh[i].n, a->points, want);
    }
    if (d->errors) {
        st = WG_EINPUT;
        goto done;
    }
    qsort(lines, nlines, sizeof *lines, cmp_line);
    wg_out o;
    /* a shard is an input: merging into one of them is refused */
    if ((st = wg_outdir_open(&od, outdir, dirs, ndirs, d)) != WG_OK) goto done;
    if ((st = wg_out_open(&o, outdir, "sweep.csv", d)) != WG_OK) goto done;
    fwrite(a->csv, 1, hlen, o.f);
    for (size_t i = 0; i < nlines; i++) fwrite(lines[i].text, 1, lines[i].len, o.f);
    if ((st = wg_out_commit(&o, d)) != WG_OK) goto done;
    /* the manifest: the first shard's, now describing the whole sweep */
    if ((st = wg_out_open(&o, outdir, "manifest.yaml", d)) != WG_OK) goto done;
    const char *sl = strstr(a->manifest, "\nsweep: {hash: \"") + 1, *se = strchr(sl, '\n');
    fprintf(o.f, "# merged by waggle merge from %zu shards\n", nsh);
    fwrite(a->manifest, 1, (size_t)(sl - a->manifest), o.f);
    fprintf(o.f, "sweep: {hash: \"%016llx\", points: %llu, shard: 0, shards: 1}", a->hash,
            a->points);
    fputs(se ? se : "\n", o.f);
    if ((st = wg_out_commit(&o, d)) != WG_OK) goto done;
    if ((st = wg_render_sweep(outdir, NULL, NULL, d)) != WG_OK) goto done;
    st = wg_sens_folder(outdir, NULL, d);
    goto done;
nomem:
    wg_diag_error(d, st = WG_ENOMEM, "out of memory");
done:
    {
        wg_status cs = wg_outdir_close(&od, d);
        if (st == WG_OK) st = cs;
    }
    for (size_t i = 0; sh && i < nsh; i++) {
        free(sh[i].manifest);
        free(sh[i].csv);
    }
    free(sh);
    free(lines);
    return st;
}
