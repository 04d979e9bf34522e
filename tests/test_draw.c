/*
 * test_draw.c — `waggle draw` (sim/render/draw.c, DESIGN.md "Pictures of a
 * cascade"): the states drawn agree with series.csv step by step; the pixel
 * at an agent of network.png (read back with cairo) and of the GIF's first
 * and last frames (read back with giflib) has the colour of its state; the
 * GIF has one frame per step; a reused layout gives the same bytes; above
 * 10^5 agents only the reached are drawn (from a trace-R.csv.gz); the bad
 * inputs (no trace, a run not traced, a run that does not exist, a layout of
 * a different network) exit 2 and write nothing; the stop flag leaves no GIF;
 * --format pdf|svg of run, render and draw; finals.png's marks of the traced runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cairo.h>
#include <gif_lib.h>

#include "waggle/graph.h"
#include "waggle/job.h"
#include "waggle/output.h"
#include "waggle/render.h"
#include "wg_test.h"

static char tmp[128];

static const char karate[] =
    "name: karate\nsteps: 12\nruns: 40\nseed: 1977\n"
    "network: {generate: famous, name: karate}\n"
    "model: {share: {positive: 0.12, negative: 0.2}, quit: {positive: 0.4, negative: 0.3}}\n"
    "events:\n  - {step: 0, seed: {valence: negative, by: id, ids: [0]}}\n"
    "  - {step: 0, seed: {valence: positive, by: id, ids: [33]}}\n";

static int wag(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int wag(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = wg_test_vwaggle(&(wg_test_how){tmp, NULL, 0, NULL}, NULL, err, fmt, ap);
    va_end(ap);
    return rc;
}

/* Draw the folder tmp/sub in process (as the command does); the job is kept
 * for its graph. */
static wg_status draw_in(const char *sub, wg_draw_opts *o, wg_draw_report *rep, wg_job **jp,
                         wg_diag *d)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/%s", tmp, sub);
    wg_status st = wg_job_open_folder(dir, jp, d);
    if (st == WG_OK) st = wg_job_build_network(*jp, d);
    if (st == WG_OK) {
        o->seed = wg_job_scenario(*jp)->seed;
        st = wg_draw(dir, wg_job_graph(*jp), o, rep, d);
    }
    return st;
}

/* series.csv's six state counts of run r, step by step (steps rows). */
static uint32_t *series_states(const char *sub, uint32_t r, uint32_t steps)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/series.csv", tmp, sub);
    char *t = wg_test_slurp(path, NULL);
    assert_non_null(t);
    uint32_t *c = calloc((size_t)steps * WG_NSTATES, sizeof *c);
    char *line = strchr(t, '\n') + 1;   /* after the header: run,step,unaware,... */
    while (line && *line) {
        unsigned run, step, v[WG_NSTATES];
        if (sscanf(line, "%u,%u,%u,%u,%u,%u,%u,%u", &run, &step, &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5]) == 8 &&
            run == r && step < steps)
            for (int k = 0; k < WG_NSTATES; k++) c[(size_t)step * WG_NSTATES + k] = v[k];
        line = strchr(line, '\n');
        if (line) line++;
    }
    free(t);
    return c;
}

/* The trace's final states and steps reached of run r (n agents). */
static void trace_of(const char *sub, uint32_t r, uint32_t n, int *state, long *step)
{
    static const char *const names[] = {"unaware", "advocate", "critic", "supporter", "rejecter",
                                        "immune"};
    char path[256];
    snprintf(path, sizeof path, "%s/%s/trace-%u.csv", tmp, sub, r);
    char *t = wg_test_slurp(path, NULL);
    assert_non_null(t);
    char *line = strchr(t, '\n') + 1;
    for (uint32_t a = 0; a < n; a++) {
        char *f[10], *e = strchr(line, '\n');
        *e = '\0';
        int nf = 0;
        for (char *p = line; nf < 10; p++) {
            f[nf++] = p;
            p = strchr(p, ',');
            if (!p) break;
            *p = '\0';
        }
        assert_int_equal(nf, 10);
        assert_int_equal(atol(f[0]), a);
        state[a] = -1;
        for (int k = 0; k < 6; k++)
            if (!strcmp(f[2], names[k])) state[a] = k;
        assert_true(state[a] >= 0);
        step[a] = *f[4] ? atol(f[4]) : -1;
        line = e + 1;
    }
    free(t);
}

/* The agents whose disc's centre no other disc covers (up to 2 pixels of anti-aliasing). */
static int clear_of_others(const wg_draw_report *rep, const double *x, const double *y,
                           uint32_t n, uint32_t a, double scale)
{
    for (uint32_t b = 0; b < n; b++) {
        if (b == a) continue;
        double dx = (x[a] - x[b]) * rep->side * scale, dy = (y[a] - y[b]) * rep->side * scale;
        double lim = (rep->r[b] + 3) * scale + 2;
        if (dx * dx + dy * dy < lim * lim) return 0;
    }
    return 1;
}

/* layout.csv's x and y of n agents. */
static void layout_of(const char *sub, uint32_t n, double *x, double *y)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/layout.csv", tmp, sub);
    char *t = wg_test_slurp(path, NULL);
    assert_non_null(t);
    assert_true(strncmp(t, "# waggle layout: fr; network 34 agents 156 arcs hash ", 52) == 0);
    char *line = strstr(t, "agent,id,x,y\n") + 13;
    for (uint32_t a = 0; a < n; a++) {
        unsigned ag;
        unsigned long long id;
        assert_int_equal(sscanf(line, "%u,%llu,%lf,%lf", &ag, &id, &x[a], &y[a]), 4);
        assert_int_equal(ag, a);
        line = strchr(line, '\n') + 1;
    }
    free(t);
}

static void test_karate(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(wg_test_write(tmp, "k.yaml", karate), 0);
    assert_int_equal(wag(&err, "run k.yaml -o k -q --trace 3,p95"), 0);
    free(err);
    wg_draw_opts o;
    wg_draw_opts_default(&o);
    wg_draw_report rep;
    wg_job *j = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(draw_in("k", &o, &rep, &j, &d), WG_OK);
    wg_diag_free(&d);
    const uint32_t n = wg_job_graph(j)->n, steps = rep.steps, run = rep.run;
    assert_int_equal(n, 34);
    assert_int_equal(run, 3);   /* the traced run of the smallest index */
    assert_int_equal(steps, 12);
    assert_int_equal(rep.drawn, 34);
    assert_int_equal(rep.layout_reused, 0);
    assert_true(wg_test_exists(tmp, "k/network.png") && wg_test_exists(tmp, "k/strip.png") &&
                wg_test_exists(tmp, "k/cascade.gif") && wg_test_exists(tmp, "k/layout.csv"));

    /* the states drawn at every step are series.csv's (nobody leaves the reach here) */
    uint32_t *want = series_states("k", run, steps);
    assert_memory_equal(rep.counts, want, (size_t)steps * WG_NSTATES * sizeof *want);
    free(want);

    int fin[34];
    long reached[34];
    double x[34], y[34];
    trace_of("k", run, n, fin, reached);
    layout_of("k", n, x, y);
    /* the colours of the states differ (a test of colours that can fail) */
    for (int s = 0; s < WG_NSTATES; s++)
        for (int t = s + 1; t < WG_NSTATES; t++)
            assert_int_not_equal(wg_draw_state_rgb(s), wg_draw_state_rgb(t));

    /* network.png, read back: the pixel at each clear agent is its final state's colour */
    char path[256];
    snprintf(path, sizeof path, "%s/k/network.png", tmp);
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    const unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img), checked = 0, reached_checked = 0;
    for (uint32_t a = 0; a < n; a++) {
        if (!clear_of_others(&rep, x, y, n, a, 1)) continue;
        int cx = (int)(rep.x0 + x[a] * rep.side), cy = (int)(rep.y0 + y[a] * rep.side);
        uint32_t got = *(const uint32_t *)(px + (size_t)cy * stride + 4 * (size_t)cx) & 0xFFFFFF;
        assert_int_equal(got, wg_draw_state_rgb(fin[a]));
        checked++;
        reached_checked += fin[a] != WG_UNAWARE;
    }
    cairo_surface_destroy(img);
    assert_true(checked >= 10);
    assert_true(reached_checked >= 2);

    /* cascade.gif, read back: one frame a step; composed, the first frame shows the agents
     * reached at step 0 in colour and the others unaware, the last the final states */
    snprintf(path, sizeof path, "%s/k/cascade.gif", tmp);
    int gerr = 0;
    GifFileType *gf = DGifOpenFileName(path, &gerr);
    assert_non_null(gf);
    assert_int_equal(DGifSlurp(gf), GIF_OK);
    assert_int_equal(gf->ImageCount, (int)steps);
    assert_int_equal(rep.frames, steps);
    int W = gf->SWidth, H = gf->SHeight;
    assert_int_equal(W, 800);
    assert_int_equal(H, 450);
    unsigned char *canvas = calloc((size_t)W * H, 1);
    const ColorMapObject *map = gf->SColorMap;
    assert_non_null(map);
    for (int f = 0; f < gf->ImageCount; f++) {
        const SavedImage *si = &gf->SavedImages[f];
        const GifImageDesc *id = &si->ImageDesc;
        for (int r = 0; r < id->Height; r++)
            memcpy(canvas + (size_t)(id->Top + r) * W + id->Left, si->RasterBits + (size_t)r * id->Width,
                   (size_t)id->Width);
        if (f != 0 && f != gf->ImageCount - 1) continue;
        int seen = 0;
        for (uint32_t a = 0; a < n; a++) {
            if (!clear_of_others(&rep, x, y, n, a, 0.5)) continue;
            int cx = (int)((rep.x0 + x[a] * rep.side) / 2), cy = (int)((rep.y0 + y[a] * rep.side) / 2);
            GifColorType c = map->Colors[canvas[(size_t)cy * W + cx]];
            uint32_t got = (uint32_t)c.Red << 16 | (uint32_t)c.Green << 8 | c.Blue;
            int s = f == 0 ? (reached[a] == 0 ? -1 : WG_UNAWARE) : fin[a];
            if (s < 0) continue;   /* reached on step 0: talking or quiet already */
            assert_int_equal(got, wg_draw_state_rgb(s));
            seen++;
        }
        assert_true(seen >= 10);
    }
    free(canvas);
    DGifCloseFile(gf, &gerr);

    /* drawn again: the layout is reused and the picture has the same bytes */
    size_t l1, l2, g1, g2;
    char *a1 = wg_test_slurp(path, &g1);
    snprintf(path, sizeof path, "%s/k/network.png", tmp);
    char *p1 = wg_test_slurp(path, &l1);
    wg_draw_report_free(&rep);
    wg_job_free(j);
    j = NULL;
    assert_int_equal(wag(&err, "draw k -q"), 0);
    free(err);
    char *p2 = wg_test_slurp(path, &l2);
    snprintf(path, sizeof path, "%s/k/cascade.gif", tmp);
    char *a2 = wg_test_slurp(path, &g2);
    assert_int_equal(l1, l2);
    assert_memory_equal(p1, p2, l1);
    assert_int_equal(g1, g2);
    assert_memory_equal(a1, a2, g1);
    free(p1), free(p2), free(a1), free(a2);
    /* the outputs are the folder's own: listed, so that the next run removes them */
    snprintf(path, sizeof path, "%s/k/.waggle-outputs", tmp);
    char *own = wg_test_slurp(path, NULL);
    assert_non_null(own);
    assert_non_null(strstr(own, "\nnetwork.png\n"));
    assert_non_null(strstr(own, "\ncascade.gif\n"));
    assert_non_null(strstr(own, "\nseries.csv\n"));
    free(own);

    /* --run p95 draws the other traced run; --run 5 was not traced; --run 40 does not exist */
    assert_int_equal(wag(&err, "draw k -q --run p95 --layout kk"), 0);
    free(err);
    assert_int_equal(wag(&err, "draw k -q --run 5"), 2);
    assert_non_null(strstr(err, "run 5 has no trace"));
    assert_non_null(strstr(err, "traced runs: 3"));
    free(err);
    assert_int_equal(wag(&err, "draw k -q --run 40"), 2);
    assert_non_null(strstr(err, "run 40 does not exist"));
    free(err);
    assert_int_equal(wag(&err, "draw k -q --layout circle"), 2);
    assert_non_null(strstr(err, "--layout circle: expected fr, kk or drl"));
    free(err);
}

/* The bad inputs: exit 2, nothing written. */
static void test_bad_input(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(wg_test_write(tmp, "r.yaml",
                                   "name: ring\nsteps: 6\nruns: 3\nseed: 2\n"
                                   "network: {generate: ring, nodes: 40}\n"
                                   "model: {share: {negative: 0.5}, quit: {negative: 0.3}}\n"
                                   "events:\n  - {step: 0, seed: {valence: negative, count: 1}}\n"),
                     0);
    /* tracing a run that does not exist */
    assert_int_equal(wag(&err, "run r.yaml -o nope -q --trace 3"), 2);
    assert_non_null(strstr(err, "run 3 does not exist"));
    free(err);
    assert_false(wg_test_exists(tmp, "nope"));
    /* a folder without a trace */
    assert_int_equal(wag(&err, "run r.yaml -o plain -q"), 0);
    free(err);
    assert_int_equal(wag(&err, "draw plain"), 2);
    assert_non_null(strstr(err, "no trace"));
    assert_non_null(strstr(err, "--trace"));
    free(err);
    assert_false(wg_test_exists(tmp, "plain/network.png"));
    assert_false(wg_test_exists(tmp, "plain/layout.csv"));
    assert_false(wg_test_exists(tmp, "plain/cascade.gif"));
    /* not a run folder */
    assert_int_equal(wag(&err, "draw nowhere"), 2);
    assert_non_null(strstr(err, "manifest.yaml"));
    free(err);
    /* the layout of a different network (the karate club's, in the ring's folder) */
    assert_int_equal(wag(&err, "run r.yaml -o traced -q --trace 0"), 0);
    free(err);
    char path[256];
    snprintf(path, sizeof path, "%s/k/layout.csv", tmp);
    char *lay = wg_test_slurp(path, NULL);
    assert_non_null(lay);
    assert_int_equal(wg_test_write(tmp, "traced/layout.csv", lay), 0);
    free(lay);
    assert_int_equal(wag(&err, "draw traced"), 2);
    assert_non_null(strstr(err, "layout.csv:1:"));
    assert_non_null(strstr(err, "the layout of a different network"));
    free(err);
    assert_false(wg_test_exists(tmp, "traced/network.png"));
    assert_false(wg_test_exists(tmp, "traced/cascade.gif"));
    /* a trace of a different network: the karate trace in the ring's folder */
    snprintf(path, sizeof path, "%s/k/trace-3.csv", tmp);
    char *tr = wg_test_slurp(path, NULL);
    assert_non_null(tr);
    assert_int_equal(wg_test_write(tmp, "traced/trace-1.csv", tr), 0);
    free(tr);
    assert_int_equal(wag(&err, "draw traced --run 1"), 2);
    assert_non_null(strstr(err, "trace-1.csv"));
    assert_non_null(strstr(err, "another network"));
    free(err);
    assert_false(wg_test_exists(tmp, "traced/network.png"));
    /* the stop flag: nothing of the GIF */
    snprintf(path, sizeof path, "%s/traced/layout.csv", tmp);
    remove(path);
    volatile sig_atomic_t stop = 1;
    wg_draw_opts o;
    wg_draw_opts_default(&o);
    o.stop = &stop;
    wg_job *j = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(draw_in("traced", &o, NULL, &j, &d), WG_EINTR);
    wg_diag_free(&d);
    wg_job_free(j);
    assert_false(wg_test_exists(tmp, "traced/cascade.gif"));

    /* interrupted after its first pictures (the process's stop flag raised while the
     * folder is held, as Ctrl-C does): draw takes away the files it wrote, and only
     * those; the run's outputs and their list stay as they were */
    char dir[256];
    snprintf(dir, sizeof dir, "%s/traced", tmp);
    snprintf(path, sizeof path, "%s/traced/.waggle-outputs", tmp);
    char *list0 = wg_test_slurp(path, NULL);
    assert_non_null(list0);
    volatile sig_atomic_t flag = 0;
    wg_stop_watch(&flag);
    wg_outdir od;
    wg_diag_init(&d);
    assert_int_equal(wg_outdir_add(&od, dir, &d), WG_OK);
    wg_draw_opts_default(&o);
    o.pictures = WG_DRAW_NETWORK | WG_DRAW_STRIP;
    assert_int_equal(draw_in("traced", &o, NULL, &j, &d), WG_OK);
    wg_job_free(j);
    assert_true(wg_test_exists(tmp, "traced/network.png") && wg_test_exists(tmp, "traced/layout.csv"));
    flag = 1;
    assert_int_equal(wg_outdir_close(&od, &d), WG_OK);
    wg_stop_watch(NULL);
    wg_diag_free(&d);
    assert_false(wg_test_exists(tmp, "traced/network.png"));
    assert_false(wg_test_exists(tmp, "traced/strip.png"));
    assert_false(wg_test_exists(tmp, "traced/layout.csv"));
    assert_true(wg_test_exists(tmp, "traced/series.csv") && wg_test_exists(tmp, "traced/trace-0.csv") &&
                wg_test_exists(tmp, "traced/curves.png"));
    char *list1 = wg_test_slurp(path, NULL);
    assert_non_null(list1);
    assert_string_equal(list0, list1);
    free(list0);
    free(list1);
}

/* Above 10^5 agents: the trace is trace-R.csv.gz, read back by draw, and only the
 * reached agents and their parents are drawn. */
static void test_large(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(wg_test_write(tmp, "big.yaml",
                                   "name: big ring\nsteps: 5\nruns: 1\nseed: 4\n"
                                   "network: {generate: ring, nodes: 100001}\n"
                                   "model: {share: {negative: 1}, quit: {negative: 0}}\n"
                                   "events:\n  - {step: 0, seed: {valence: negative, by: id, "
                                   "ids: [500]}}\n"),
                     0);
    assert_int_equal(wag(&err, "run big.yaml -o big -q --trace 0"), 0);
    free(err);
    assert_true(wg_test_exists(tmp, "big/trace-0.csv.gz"));
    assert_false(wg_test_exists(tmp, "big/trace-0.csv"));
    wg_draw_opts o;
    wg_draw_opts_default(&o);
    o.pictures = WG_DRAW_NETWORK | WG_DRAW_STRIP;   /* the stills */
    wg_draw_report rep;
    wg_job *j = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(draw_in("big", &o, &rep, &j, &d), WG_OK);
    wg_diag_free(&d);
    /* share 1 on a ring: the seed at step 0 tells its two neighbours, each step two more,
     * so after steps 0..4 the reach is 1 + 2 × 5 agents */
    assert_int_equal(rep.drawn, 11);
    assert_int_equal(rep.counts[4 * WG_NSTATES + WG_CRITIC], 11);
    assert_int_equal(rep.counts[4 * WG_NSTATES + WG_UNAWARE], 0);   /* the unreached are not drawn */
    wg_draw_report_free(&rep);
    wg_job_free(j);
    assert_true(wg_test_exists(tmp, "big/network.png"));
    char path[256];
    snprintf(path, sizeof path, "%s/big/layout.csv", tmp);
    char *lay = wg_test_slurp(path, NULL);
    assert_non_null(strstr(lay, "; agents reached in run 0\n"));
    free(lay);
}

/* A file's first bytes. */
static int starts(const char *sub, const char *name, const char *head)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/%s", tmp, sub, name);
    char *t = wg_test_slurp(path, NULL);
    int ok = t && strncmp(t, head, strlen(head)) == 0;
    free(t);
    return ok;
}

/* --format pdf|svg for run, render and draw (cairo's surfaces); finals.png marks the
 * traced runs (manifest's traced_runs). */
static void test_formats(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(wag(&err, "run k.yaml -o f -q --trace 3"), 0);
    free(err);
    assert_true(starts("f", "curves.png", "\x89PNG"));
    assert_int_equal(wag(&err, "run k.yaml -o f -q --trace 3 --format svg"), 0);
    free(err);
    assert_true(starts("f", "curves.svg", "<?xml") && starts("f", "finals.svg", "<?xml"));
    assert_false(wg_test_exists(tmp, "f/curves.png"));   /* the earlier run's, stale: removed */
    assert_int_equal(wag(&err, "render f --format pdf"), 0);
    free(err);
    assert_true(starts("f", "curves.pdf", "%PDF-") && starts("f", "states.pdf", "%PDF-") &&
                starts("f", "finals.pdf", "%PDF-"));
    assert_int_equal(wag(&err, "draw f -q --format pdf"), 0);
    free(err);
    assert_true(starts("f", "network.pdf", "%PDF-") && starts("f", "strip.pdf", "%PDF-"));
    assert_true(starts("f", "cascade.gif", "GIF89a"));
    assert_false(wg_test_exists(tmp, "f/network.png"));
    assert_int_equal(wag(&err, "draw f -q --format jpg"), 2);
    assert_non_null(strstr(err, "--format jpg: expected png, pdf or svg"));
    free(err);
    assert_int_equal(wag(&err, "run k.yaml -o g -q --format eps"), 2);
    free(err);
    assert_false(wg_test_exists(tmp, "g"));

    /* the marks of the traced runs: finals.png changes when the manifest names none */
    assert_int_equal(wag(&err, "run k.yaml -o m -q --trace 3,p95"), 0);
    free(err);
    char path[256];
    snprintf(path, sizeof path, "%s/m/manifest.yaml", tmp);
    char *man = wg_test_slurp(path, NULL);
    assert_non_null(man);
    char *tl = strstr(man, "\ntraced_runs: \"3 ");
    assert_non_null(tl);
    snprintf(path, sizeof path, "%s/m/finals.png", tmp);
    size_t l1, l2;
    char *marked = wg_test_slurp(path, &l1);
    memmove(tl + 1, strchr(tl + 1, '\n') + 1, strlen(strchr(tl + 1, '\n') + 1) + 1);
    assert_int_equal(wg_test_write(tmp, "m/manifest.yaml", man), 0);
    free(man);
    assert_int_equal(wag(&err, "render m"), 0);
    free(err);
    char *plain = wg_test_slurp(path, &l2);
    assert_true(l1 != l2 || memcmp(marked, plain, l1) != 0);
    free(marked);
    free(plain);
}

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "draw");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_karate),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
