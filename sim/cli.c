/*
 * cli.c — what the `waggle` commands share: option parsing, the progress
 * bar, the interrupt flag, running a scenario, and writing a run's folder.
 *
 * Order of work in a command, so that bad input writes nothing: load and
 * validate the scenario, build the network, prepare the engine (picks are
 * checked against the network), run, and only then create the output folder
 * and write each file atomically.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "waggle/cli.h"
#include "waggle/compare.h"
#include "waggle/render.h"

volatile sig_atomic_t wg_cli_stop = 0;

static void on_signal(int sig)
{
    (void)sig;
    wg_cli_stop = 1;
}

void wg_cli_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- progress bar ------------------------------------------------------------- */

#define WG_BAR_WIDTH 30

void wg_progress_init(wg_progress *p, const char *what, int quiet)
{
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->what = what;
    p->start = now_seconds();
    p->drawn = 0;
}

void wg_progress_update(void *ud, uint64_t done, uint64_t total)
{
    wg_progress *p = ud;
    if (!p || !p->enabled || total == 0) return;
    double el = now_seconds() - p->start;
    double rate = el > 0 ? done / el : 0;
    double left = rate > 0 ? (total - done) / rate : 0;
    int fill = (int)(WG_BAR_WIDTH * (double)done / total);
    char bar[WG_BAR_WIDTH + 1];
    for (int i = 0; i < WG_BAR_WIDTH; i++) bar[i] = i < fill ? '#' : '.';
    bar[WG_BAR_WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %llu/%llu %s  %.1f %s/s  %d:%02d left ", bar,
            (unsigned long long)done, (unsigned long long)total, p->what, rate, p->what,
            (int)(left / 60), (int)fmod(left, 60));
    fflush(stderr);
    p->drawn = 1;
}

void wg_progress_end(wg_progress *p)
{
    if (p->enabled && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

/* ---- options ------------------------------------------------------------------- */

static wg_status add_set(wg_cli_opts *o, const char *kv, wg_diag *d)
{
    const char **s = wg_realloc(o->sets, o->nsets + 1, sizeof *s);
    char *c = s ? wg_strdup(kv) : NULL;
    if (!c) {
        if (s) o->sets = s;
        wg_diag_error(d, WG_ENOMEM, "out of memory storing the option --set %s", kv);
        return WG_ENOMEM;
    }
    o->sets = s;
    o->sets[o->nsets++] = c;
    return WG_OK;
}

void wg_cli_opts_free(wg_cli_opts *o)
{
    for (size_t i = 0; i < o->nsets; i++) free((char *)o->sets[i]);
    free(o->sets);
    o->sets = NULL;
    o->nsets = 0;
}

static int need_value(int argc, char **argv, int i, wg_diag *d)
{
    if (i + 1 >= argc) {
        wg_diag_error(d, WG_EINPUT, "option %s needs a value", argv[i]);
        return 0;
    }
    return 1;
}

wg_status wg_cli_parse(int argc, char **argv, int first, wg_cli_opts *o, wg_cli_extra_fn extra,
                       void *ud, wg_diag *d)
{
    memset(o, 0, sizeof *o);
    o->argc = argc;
    o->argv = argv;
    char buf[64];
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        int used = 0;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
            if (!need_value(argc, argv, i, d)) return WG_EINPUT;
            o->out_dir = argv[++i];
        } else if (strcmp(a, "-r") == 0 || strcmp(a, "--runs") == 0 || strcmp(a, "-s") == 0 ||
                   strcmp(a, "--seed") == 0) {
            if (!need_value(argc, argv, i, d)) return WG_EINPUT;
            const char *key = (a[1] == 'r' || a[2] == 'r') ? "runs" : "seed";
            if (strlen(argv[i + 1]) > 40) {
                wg_diag_error(d, WG_EINPUT, "option %s: value too long", a);
                return WG_EINPUT;
            }
            snprintf(buf, sizeof buf, "%s=%s", key, argv[++i]);
            if (add_set(o, buf, d) != WG_OK) return d->status;
        } else if (strcmp(a, "-t") == 0 || strcmp(a, "--threads") == 0) {
            if (!need_value(argc, argv, i, d)) return WG_EINPUT;
            char *end;
            errno = 0;
            long t = strtol(argv[++i], &end, 10);
            if (errno || *end || t < 1 || t > 4096) {
                wg_diag_error(d, WG_EINPUT, "option -t: expected a number of threads from 1 to "
                              "4096, got '%s'", argv[i]);
                return WG_EINPUT;
            }
            o->threads = (int)t;
        } else if (strcmp(a, "--set") == 0) {
            if (!need_value(argc, argv, i, d)) return WG_EINPUT;
            if (!strchr(argv[i + 1], '=')) {
                wg_diag_error(d, WG_EINPUT, "--set %s: expected KEY=VALUE", argv[i + 1]);
                return WG_EINPUT;
            }
            if (add_set(o, argv[++i], d) != WG_OK) return d->status;
        } else if (strncmp(a, "--set=", 6) == 0) {
            if (!strchr(a + 6, '=')) {
                wg_diag_error(d, WG_EINPUT, "%s: expected --set KEY=VALUE", a);
                return WG_EINPUT;
            }
            if (add_set(o, a + 6, d) != WG_OK) return d->status;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (extra && extra(ud, argc, argv, i, &used, d)) {
            if (d->errors) return WG_EINPUT;
            i += used - 1;
        } else if (d->errors) {
            return WG_EINPUT;
        } else if (a[0] == '-' && a[1] != '\0') {
            wg_diag_error(d, WG_EINPUT, "unknown option '%s' (see --help)", a);
            return WG_EINPUT;
        } else if (!o->scenario) {
            o->scenario = a;
        } else {
            wg_diag_error(d, WG_EINPUT, "unexpected argument '%s' (one scenario at a time)", a);
            return WG_EINPUT;
        }
    }
    if (!o->scenario) {
        wg_diag_error(d, WG_EINPUT, "no scenario file given (see --help)");
        return WG_EINPUT;
    }
    return WG_OK;
}

char *wg_cli_default_out(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".yaml") == 0) len -= 5;
    else if (len > 4 && strcmp(base + len - 4, ".yml") == 0) len -= 4;
    char *out = wg_malloc(len + 5, 1);
    if (out) {
        memcpy(out, "out/", 4);
        memcpy(out + 4, base, len);
        out[len + 4] = '\0';
    }
    return out;
}

/* ---- running ------------------------------------------------------------------- */

void wg_sim_from_scenario(wg_sim *sim, const wg_scenario *s, const wg_graph *g)
{
    memset(sim, 0, sizeof *sim);
    sim->g = g;
    sim->model = s->model;
    sim->segments = s->segments;
    sim->nsegments = s->nsegments;
    sim->events = s->events;
    sim->nevents = s->nevents;
    sim->steps = s->steps;
    sim->seed = s->seed;
}

wg_status wg_cli_simulate(const wg_scenario *s, const wg_graph *g, int threads, int quiet,
                          wg_results *r, double *seconds, wg_diag *d)
{
    wg_sim sim;
    wg_engine *e = NULL;
    wg_sim_from_scenario(&sim, s, g);
    wg_status st = wg_engine_new(&sim, threads, &e, d);
    if (st != WG_OK) return st;
    st = wg_results_alloc(r, s->runs, s->steps, g->n, d);
    if (st != WG_OK) {
        wg_engine_free(e);
        return st;
    }
    wg_progress bar;
    wg_progress_init(&bar, "runs", quiet);
    double t0 = now_seconds();
    st = wg_engine_run(e, 0, s->runs, r->counts, r->steps_run, wg_progress_update, &bar,
                       &wg_cli_stop, d);
    if (seconds) *seconds = now_seconds() - t0;
    wg_progress_end(&bar);
    wg_engine_free(e);
    if (st != WG_OK) wg_results_free(r);
    return st;
}

/* ---- manifest ------------------------------------------------------------------ */

wg_status wg_write_manifest(const char *dir, const wg_manifest *m, wg_diag *d)
{
    return wg_write_manifest_extra(dir, m, NULL, d);
}

wg_status wg_write_manifest_extra(const char *dir, const wg_manifest *m, const char *extra,
                                  wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "manifest.yaml", d);
    if (st != WG_OK) return st;
    FILE *f = o.f;
    fprintf(f, "# waggle %s: how this folder was made\n", m->kind);
    fprintf(f, "waggle: {version: \"%s\", revision: \"%s\"}\n", WG_VERSION, wg_git_revision());
    fputs("command: ", f);
    {
        /* the command line, as one string */
        size_t len = sizeof "waggle";
        for (int i = 0; i < m->argc; i++) len += strlen(m->argv[i]) + 1;
        char *cmd = wg_malloc(len + 1, 1);
        if (!cmd) {
            wg_out_abort(&o);
            wg_diag_error(d, WG_ENOMEM, "manifest.yaml: out of memory: the command line");
            return WG_ENOMEM;
        }
        strcpy(cmd, "waggle");
        for (int i = 0; i < m->argc; i++) {
            strcat(cmd, " ");
            strcat(cmd, m->argv[i]);
        }
        wg_yaml_put_string(f, cmd);
        free(cmd);
    }
    fputc('\n', f);
    fprintf(f, "seed: %llu\nruns: %u\nsteps: %u\nthreads: %d\nranks: %d\n",
            (unsigned long long)m->scenario->seed, m->scenario->runs, m->scenario->steps,
            m->threads, m->ranks);
    fprintf(f, "wall_seconds: %.3f\n", m->wall_seconds);
    if (extra) fputs(extra, f);
    if (m->net) {
        const wg_graph_stats *n = m->net;
        fprintf(f, "network:\n  nodes: %u\n  edges: %llu\n  directed: %s\n", n->nodes,
                (unsigned long long)n->edges, n->directed ? "true" : "false");
        fprintf(f, "  degree_mean: %.6g\n  degree_max: %u\n  degree_second_moment: %.6g\n",
                n->degree_mean, n->degree_max, n->degree_m2);
        fprintf(f, "  clustering: %.6g\n  components: %u\n  largest_component: %u\n",
                n->clustering, n->components, n->largest);
        fprintf(f, "  threshold: %.6g\n", n->threshold);
    }
    fputs("scenario:\n", f);
    st = wg_scenario_write(m->scenario, f, 2);
    if (st != WG_OK) {
        wg_out_abort(&o);
        wg_diag_error(d, st, "manifest.yaml: cannot write the scenario");
        return st;
    }
    return wg_out_commit(&o, d);
}

wg_status wg_cli_write_run(const char *dir, const wg_scenario *s, const wg_results *r,
                           const wg_manifest *m, wg_diag *d)
{
    wg_points obs;
    /* the observed file is read before anything is written: bad input writes nothing */
    wg_status st = wg_points_read(s, &obs, d);
    if (st != WG_OK) return st;
    if ((st = wg_mkdir_p(dir, d)) != WG_OK) goto done;
    if ((st = wg_write_series(dir, r, d)) != WG_OK) goto done;
    if ((st = wg_write_summary(dir, r, d)) != WG_OK) goto done;
    if ((st = wg_write_finals_v(dir, r, s->blowup, s->blowup_valence, d)) != WG_OK) goto done;
    if ((st = wg_points_write(dir, s, &obs, d)) != WG_OK) goto done;
    {
        /* the blow-up share of these runs and its Wilson interval */
        char text[320];
        wg_blowup b;
        const int pos = s->blowup_valence == WG_POS;
        wg_blowup_of_v(r, s->blowup, s->blowup_valence, &b);
        snprintf(text, sizeof text,
                 "# runs whose %s reach at the last step exceeds threshold × agents; "
                 "Wilson 95 %% interval\n"
                 "blowup: {threshold: %.10g, agents_over: %.10g, runs: %u, blowups: %u, "
                 "share: %.6g, lo: %.6g, hi: %.6g%s}\n",
                 pos ? "positive" : "negative", b.threshold, b.agents_over, b.runs, b.count,
                 b.share, b.lo, b.hi, pos ? ", valence: positive" : "");
        if ((st = wg_write_manifest_extra(dir, m, text, d)) != WG_OK) goto done;
    }
    /* the charts are drawn from the files just written, as `waggle render` draws them */
    st = wg_render_run(dir, NULL, d);
done:
    wg_points_free(&obs);
    return st;
}
