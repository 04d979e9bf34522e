/*
 * wg_test.c — the plumbing of wg_test.h. Every test program that runs the
 * `waggle` command runs it here: one fork, one exec, one way of capturing
 * stdout and stderr (unlinked temporary files, so that a command printing a
 * lot never blocks on a full pipe) and one reading of how it ended. Every
 * model test builds its graphs, simulations and scenario timelines and
 * checks its counts here too (cmocka assertions: a failure fails the test
 * that called).
 */
#include "wg_test.h"

#include "waggle/engine.h"
#include "waggle/graph.h"
#include "waggle/job.h"
#include "waggle/rng.h"
#include "waggle/scenario.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define NOBODY_ID 65534         /* uid and gid of the user nobody */
#define ARGS_BYTES 8192         /* the longest command line a test builds */

int wg_test_mkdtemp(char *dir, const char *name)
{
    snprintf(dir, 64, "/tmp/wg-%.32s-XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

int wg_test_rmdir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The rest of an open file from its start, NUL-terminated. */
static char *read_whole(FILE *f, size_t *len)
{
    if (len) *len = 0;
    if (fseek(f, 0, SEEK_END) != 0) return NULL;
    long n = ftell(f);
    if (n < 0) return NULL;
    rewind(f);
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    if (fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
    s[n] = '\0';
    if (len) *len = (size_t)n;
    return s;
}

char *wg_test_slurp(const char *path, size_t *len)
{
    if (len) *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = read_whole(f, len);
    fclose(f);
    return s;
}

int wg_test_write(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

int wg_test_exists(const char *dir, const char *name)
{
    char path[512];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &sb) == 0;
}

const char *wg_test_waggle_path(void)
{
    static char path[PATH_MAX];
    if (path[0]) return path;
    const char *b = getenv("BUILD");
    char rel[256];
    snprintf(rel, sizeof rel, "%s/waggle", b && *b ? b : "build");
    if (access(rel, X_OK) != 0 || !realpath(rel, path)) {
        path[0] = '\0';
        fprintf(stderr, "%s not found (build it first)\n", rel);
        return NULL;
    }
    return path;
}

/* In the child: become what how asks and exec the shell; never returns. */
static void child(const wg_test_how *how, const char *bin, const char *cmd, int out, int err)
{
    if (dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0) _exit(WG_TEST_NO_START);
    if (how->dir && chdir(how->dir) != 0) _exit(WG_TEST_NO_START);
    if (how->fail_alloc) setenv("WG_FAIL_ALLOC", how->fail_alloc, 1);
    if (how->as_nobody && (setgroups(0, NULL) != 0 || setgid(NOBODY_ID) != 0 ||
                           setuid(NOBODY_ID) != 0 || access(bin, X_OK) != 0))
        _exit(WG_TEST_NO_NOBODY);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(WG_TEST_NO_START);
}

int wg_test_vstart(wg_test_proc *p, const wg_test_how *how, const char *fmt, va_list ap)
{
    static const wg_test_how plain = {0};
    if (!how) how = &plain;
    p->pid = -1;
    p->out = p->err = NULL;
    const char *bin = how->bin ? how->bin : wg_test_waggle_path();
    if (!bin) return -1;
    char args[ARGS_BYTES], cmd[ARGS_BYTES + PATH_MAX + 16];
    int n = vsnprintf(args, sizeof args, fmt, ap);
    if (n < 0 || (size_t)n >= sizeof args ||
        (size_t)snprintf(cmd, sizeof cmd, "exec '%s' %s", bin, args) >= sizeof cmd) {
        fprintf(stderr, "wg_test: the command line is too long: %.80s...\n", args);
        return -1;
    }
    p->out = tmpfile();
    p->err = tmpfile();
    if (!p->out || !p->err) {
        fprintf(stderr, "wg_test: no temporary file for the output: %s\n", strerror(errno));
        goto fail;
    }
    fflush(NULL);   /* nothing buffered here may be written twice */
    p->pid = fork();
    if (p->pid < 0) {
        fprintf(stderr, "wg_test: fork: %s\n", strerror(errno));
        goto fail;
    }
    if (p->pid == 0) child(how, bin, cmd, fileno(p->out), fileno(p->err));
    return 0;
fail:
    if (p->out) fclose(p->out);
    if (p->err) fclose(p->err);
    p->out = p->err = NULL;
    return -1;
}

int wg_test_start(wg_test_proc *p, const wg_test_how *how, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = wg_test_vstart(p, how, fmt, ap);
    va_end(ap);
    return rc;
}

/* The captured text of f (closed here) into *to when to is not NULL. */
static void take(FILE *f, char **to)
{
    if (to) {
        *to = f ? read_whole(f, NULL) : NULL;
        if (!*to) *to = calloc(1, 1);
    }
    if (f) fclose(f);
}

int wg_test_finish(wg_test_proc *p, char **out, char **err)
{
    int status = 0;
    pid_t got = -1;
    if (p->pid > 0)
        while ((got = waitpid(p->pid, &status, 0)) < 0 && errno == EINTR) {}
    take(p->out, out);
    take(p->err, err);
    p->out = p->err = NULL;
    p->pid = -1;
    if (got < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int wg_test_vwaggle(const wg_test_how *how, char **out, char **err, const char *fmt, va_list ap)
{
    wg_test_proc p;
    int started = wg_test_vstart(&p, how, fmt, ap);
    int rc = wg_test_finish(&p, out, err);
    return started == 0 ? rc : -1;
}

int wg_test_waggle(const wg_test_how *how, char **out, char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = wg_test_vwaggle(how, out, err, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- engine runs ------------------------------------------------------------- */

wg_graph *wg_test_graph(uint32_t n, uint64_t e, const uint32_t *src, const uint32_t *dst,
                        int directed)
{
    wg_graph *g = NULL;
    wg_diag d;
    const uint32_t none = 0;   /* the edge arrays of an edgeless graph */
    wg_diag_init(&d);
    wg_status st = wg_graph_from_edges(n, e, e ? src : &none, e ? dst : &none, NULL, directed, &g,
                                       NULL, NULL, &d);
    if (st != WG_OK) wg_diag_print(&d, stderr);
    wg_diag_free(&d);
    assert_int_equal(st, WG_OK);
    return g;
}

wg_graph *wg_test_path(uint32_t n, int directed)
{
    uint32_t src[64], dst[64];
    assert_true(n >= 1 && n <= 65);
    for (uint32_t i = 0; i + 1 < n; i++) src[i] = i, dst[i] = i + 1;
    return wg_test_graph(n, n - 1, src, dst, directed);
}

wg_graph *wg_test_star(uint32_t leaves)
{
    uint32_t *src = malloc(sizeof(uint32_t) * (leaves + 1)),
             *dst = malloc(sizeof(uint32_t) * (leaves + 1));
    assert_true(src && dst);
    for (uint32_t i = 0; i < leaves; i++) src[i] = 0, dst[i] = i + 1;
    wg_graph *g = wg_test_graph(leaves + 1, leaves, src, dst, 0);
    free(src);
    free(dst);
    return g;
}

wg_graph *wg_test_complete(uint32_t n)
{
    uint32_t *src = malloc(sizeof(uint32_t) * n * n), *dst = malloc(sizeof(uint32_t) * n * n);
    assert_true(src && dst);
    uint64_t e = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n; j++) src[e] = i, dst[e] = j, e++;
    wg_graph *g = wg_test_graph(n, e, src, dst, 0);
    free(src);
    free(dst);
    return g;
}

wg_graph *wg_test_random_graph(uint32_t n, uint64_t edges, uint64_t key)
{
    uint32_t *src = malloc(edges * sizeof *src), *dst = malloc(edges * sizeof *dst);
    assert_true(src && dst);
    for (uint64_t i = 0; i < edges; i++) {
        wg_rand4 r = wg_rng(key, 0, 0, WG_R_USER, i);
        src[i] = wg_below(r.v[0], n);
        dst[i] = wg_below(r.v[1], n);
    }
    wg_graph *g = wg_test_graph(n, edges, src, dst, 0);
    free(src);
    free(dst);
    return g;
}

void wg_test_sim(wg_sim *sim, const wg_graph *g, uint32_t steps, uint64_t seed)
{
    memset(sim, 0, sizeof *sim);
    sim->g = g;
    wg_params_default(&sim->model.p);
    sim->model.contact = WG_CONTACT_ALL;
    sim->model.exposure = WG_EXPOSURE_INDEPENDENT;
    sim->steps = steps;
    sim->seed = seed;
}

wg_event wg_test_seed_ids(int valence, uint64_t *ids, size_t nids)
{
    wg_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = WG_EV_SEED;
    ev.valence = valence;
    ev.pick.by = WG_PICK_ID;
    ev.pick.ids = ids;
    ev.pick.nids = nids;
    ev.segment = -1;
    return ev;
}

uint32_t *wg_test_run(const wg_sim *sim, uint32_t runs, int threads)
{
    return wg_test_run_steps(sim, runs, threads, NULL);
}

uint32_t *wg_test_run_steps(const wg_sim *sim, uint32_t runs, int threads, uint32_t **steps_run)
{
    wg_engine *e = NULL;
    wg_diag d;
    wg_diag_init(&d);
    uint32_t *c = calloc((size_t)runs * sim->steps * WG_NCOUNTS + 1, sizeof *c);
    uint32_t *sr = calloc(runs + 1, sizeof *sr);
    assert_true(c && sr);
    wg_status st = wg_engine_new(sim, threads, &e, &d);
    if (st == WG_OK) st = wg_engine_run(e, 0, runs, c, sr, NULL, NULL, NULL, &d);
    if (st != WG_OK) wg_diag_print(&d, stderr);
    wg_engine_free(e);
    wg_diag_free(&d);
    if (steps_run) *steps_run = sr;
    else free(sr);
    assert_int_equal(st, WG_OK);
    return c;
}

const uint32_t *wg_test_row(const uint32_t *counts, uint32_t steps, uint32_t run, uint32_t t)
{
    return counts + ((size_t)run * steps + t) * WG_NCOUNTS;
}

#define FX_TEXT_BYTES 4096      /* the longest scenario text a test builds */

wg_status wg_test_fx_try(wg_test_fx *f, wg_graph *g, const char *file, uint64_t seed,
                         const char *body, int threads, wg_diag *d)
{
    char text[FX_TEXT_BYTES];
    memset(f, 0, sizeof *f);
    f->g = g;
    int n = snprintf(text, sizeof text,
                     "name: test\nseed: %llu\nnetwork: {generate: ring, nodes: 3}\n%s",
                     (unsigned long long)seed, body);
    assert_true(n > 0 && (size_t)n < sizeof text);
    wg_status st = wg_scenario_parse(text, strlen(text), file, NULL, NULL, 0, &f->s, d);
    if (st != WG_OK) return st;
    wg_sim sim;
    wg_job_sim_of(f->s, g, &sim);
    return wg_engine_new(&sim, threads, &f->e, d);
}

void wg_test_fx_open(wg_test_fx *f, wg_graph *g, const char *file, uint64_t seed,
                     const char *body, int threads)
{
    wg_diag d;
    wg_diag_init(&d);
    wg_status st = wg_test_fx_try(f, g, file, seed, body, threads, &d);
    if (st != WG_OK) wg_diag_print(&d, stderr);
    wg_diag_free(&d);
    assert_int_equal(st, WG_OK);
    f->counts = calloc((size_t)f->s->steps * WG_NCOUNTS, sizeof *f->counts);
    f->state = calloc(g->n, 1);
    assert_true(f->counts && f->state);
}

void wg_test_fx_run(wg_test_fx *f, uint32_t run)
{
    wg_diag d;
    wg_diag_init(&d);
    wg_status st = wg_engine_run_states(f->e, run, f->state, f->counts, &d);
    if (st != WG_OK) wg_diag_print(&d, stderr);
    wg_diag_free(&d);
    assert_int_equal(st, WG_OK);
}

const uint32_t *wg_test_fx_row(const wg_test_fx *f, uint32_t t)
{
    return f->counts + (size_t)t * WG_NCOUNTS;
}

void wg_test_fx_close(wg_test_fx *f)
{
    wg_engine_free(f->e);
    wg_scenario_free(f->s);
    wg_graph_free(f->g);
    free(f->counts);
    free(f->state);
    memset(f, 0, sizeof *f);
}

#define SURE_VARIANCE 1e-9      /* below it a count is sure: compared exactly */
#define SURE_EPS 1e-6

void wg_test_check_count(const char *what, double count, double mean, double var)
{
    if (!(var > SURE_VARIANCE)) {
        print_message("  %-56s %.0f, expected %.1f exactly\n", what, count, mean);
        assert_true(fabs(count - mean) < SURE_EPS);
        return;
    }
    double z = (count - mean) / sqrt(var);
    print_message("  %-56s %.0f, expected %.1f, se %.2f, z %+.2f\n", what, count, mean, sqrt(var),
                  z);
    assert_true(fabs(z) < WG_TEST_Z_TOL);
}

void wg_test_check_binomial(const char *what, double count, double n, double p)
{
    wg_test_check_count(what, count, n * p, n * p * (1 - p));
}

void wg_test_check_mean(const char *what, double mean, double exact, double sd, uint32_t runs)
{
    double se = sd / sqrt((double)runs);
    double z = se > 0 ? (mean - exact) / se : (mean == exact ? 0 : INFINITY);
    print_message("  %-56s simulated %.5f exact %.5f se %.5f z %+.2f\n", what, mean, exact, se, z);
    assert_true(fabs(z) < WG_TEST_Z_TOL);
}
