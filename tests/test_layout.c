/*
 * test_layout.c — the layout of the charts, as geometry: the run charts
 * (curves, states, finals), compare.png and sweep.png (one key, two keys) are
 * drawn at several sizes and resolutions with the canvas recording the box of
 * every string it draws (wg_render_opts.texts), and every box must lie inside
 * the image and no two boxes may overlap. Pixels are not looked at: a label
 * cut by the edge or written over another is a box out of place.
 *
 * The folders are real: a small scenario with every kind of event on the
 * time axis (media pulses, a one-shot answer, a standing policy, a trigger)
 * and variants with long names is run with `waggle compare` and `waggle
 * sweep`, and traced (`--trace 0`) for the pictures of `waggle draw`
 * (network.png and strip.png; a frame of cascade.gif is network.png's drawing
 * at half the size, so network.png is also checked at half of every size); a second compare folder is written by hand with the sizes of the
 * United Breaks Guitars case (100,000 agents, differences of a few agents
 * against tens of thousands, six arms) and a swept network size (a key whose
 * values are in the tens of thousands).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "wg_test.h"

#include "waggle/graph.h"
#include "waggle/job.h"
#include "waggle/render.h"

static char tmp[64];

#define MAX_BOXES 4096
#define EDGE_SLACK 0.5      /* pixels: antialiasing of a glyph's edge */
#define OVERLAP_SLACK 0.5   /* pixels two boxes may share (touching is not overlapping) */

static int setup(void **state)
{
    (void)state;
    return wg_test_mkdtemp(tmp, "layout");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

/* The sizes and resolutions every chart is drawn at. */
static const struct {
    int w, h;
    double dpi;
} sizes[] = {{1600, 900, 96},  {1600, 900, 192}, {1200, 675, 96}, {800, 450, 96},
             {800, 450, 192},  {2400, 1350, 144}, {1000, 1000, 96}, {1920, 1080, 120},
             {1600, 600, 96}};
#define NSIZES (sizeof sizes / sizeof sizes[0])

/* One picture of `waggle draw` of the traced folder dir (its network built
 * again from the manifest, as the command does). */
static wg_status draw_picture(const char *dir, unsigned picture, const wg_render_opts *o,
                              wg_diag *d)
{
    wg_job *j = NULL;
    wg_draw_opts dro;
    wg_draw_opts_default(&dro);
    dro.render = *o;
    dro.pictures = picture;
    wg_status st = wg_job_open_folder(dir, &j, d);
    if (st == WG_OK) st = wg_job_build_network(j, d);
    if (st == WG_OK) {
        dro.seed = wg_job_scenario(j)->seed;
        st = wg_draw(dir, wg_job_graph(j), &dro, NULL, d);
    }
    wg_job_free(j);
    return st;
}

/* Draw one chart of dir: a run chart by name ("curves", "states", "finals"), "compare",
 * "sweep", or a picture of draw ("network", "strip"). */
static wg_status draw(const char *dir, const char *chart, const wg_render_opts *o)
{
    wg_diag d;
    wg_diag_init(&d);
    wg_status st = strcmp(chart, "compare") == 0 ? wg_render_compare(dir, o, NULL, &d)
                 : strcmp(chart, "sweep") == 0   ? wg_render_sweep(dir, o, NULL, &d)
                 : strcmp(chart, "network") == 0 ? draw_picture(dir, WG_DRAW_NETWORK, o, &d)
                 : strcmp(chart, "strip") == 0   ? draw_picture(dir, WG_DRAW_STRIP, o, &d)
                                                 : wg_render_chart(dir, chart, o, NULL, &d);
    if (st != WG_OK) print_error("%s\n", wg_diag_first(&d));
    wg_diag_free(&d);
    return st;
}

static int overlap(const wg_render_text *a, const wg_render_text *b)
{
    double ox = fmin(a->x1, b->x1) - fmax(a->x0, b->x0);
    double oy = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
    return ox > OVERLAP_SLACK && oy > OVERLAP_SLACK;
}

/* Draw one chart at every size (divided by div) and check its boxes; returns the faults
 * (each printed). */
static int check_layout_at(const char *what, const char *dir, const char *chart, int div)
{
    static wg_render_text box[MAX_BOXES];
    int faults = 0;
    for (size_t k = 0; k < NSIZES; k++) {
        wg_render_textlog log = {box, MAX_BOXES, 0};
        wg_render_opts o = {sizes[k].w / div, sizes[k].h / div, sizes[k].dpi, &log, 0};
        assert_int_equal(draw(dir, chart, &o), WG_OK);
        assert_true(log.n > 3 && log.n <= MAX_BOXES);   /* a title, a subtitle, ticks, labels */
        for (size_t i = 0; i < log.n; i++) {
            const wg_render_text *b = &box[i];
            if (b->x0 < -EDGE_SLACK || b->y0 < -EDGE_SLACK || b->x1 > o.width + EDGE_SLACK ||
                b->y1 > o.height + EDGE_SLACK) {
                print_error("%s %s at %dx%d, %g dpi: '%s' [%.1f,%.1f]-[%.1f,%.1f] leaves the "
                            "image\n", what, chart, o.width, o.height, o.dpi, b->s, b->x0,
                            b->y0, b->x1, b->y1);
                faults++;
            }
            for (size_t j = 0; j < i; j++)
                if (overlap(b, &box[j])) {
                    print_error("%s %s at %dx%d, %g dpi: '%s' overlaps '%s'\n", what, chart,
                                o.width, o.height, o.dpi, b->s, box[j].s);
                    faults++;
                }
        }
    }
    return faults;
}

static int check_layout(const char *what, const char *dir, const char *chart)
{
    return check_layout_at(what, dir, chart, 1);
}

/* ---- the folders ------------------------------------------------------------------------------ */

static const char scenario[] =
    "name: A shop breaks a guitar, and everything it does about it\n"
    "step: day\nsteps: 30\nruns: 12\nseed: 5\n"
    "blowup: {threshold: 0.05}\n"
    "network: {generate: barabasi-albert, nodes: 1500, edges_per_node: 3}\n"
    "model: {share: {positive: 0.05, negative: 0.09}, quit: {positive: 0.3, negative: 0.25}}\n"
    "events:\n"
    "  - {step: 0, seed: {valence: negative, count: 2, by: random}}\n"
    "  - {step: 0, seed: {valence: positive, count: 10, by: random}}\n"
    "  - {step: 1, media: {valence: negative, amplitude: 0.001, decay: 0.5}}\n"
    "  - {step: 2, media: {valence: negative, amplitude: 0.001, decay: 0.5}}\n"
    "  - {step: 3, media: {valence: negative, amplitude: 0.002, decay: 0.5}}\n"
    "  - {step: 4, respond: {count: 10, by: degree, win: 0.1, calm: 0.5}}\n"
    "  - {when: {critics_above: 20}, respond: {policy: {per_step: 5, by: degree}, win: 0.1, "
    "calm: 0.4}}\n"
    "variants:\n"
    "  - name: the company answers every critic within one day, twenty a day, longest "
    "waiting first\n"
    "    events: [{step: 0, respond: {policy: {delay: 1, per_step: 20, by: first}, win: 0.1, "
    "calm: 0.5}}]\n"
    "  - name: answers within 10 days\n"
    "    events: [{step: 0, respond: {policy: {delay: 10, per_step: 20, by: first, until: 20}, "
    "win: 0.1, calm: 0.5}}]\n"
    "  - {name: louder press, set: {events.4.media.amplitude: 0.01}}\n"
    "  - {name: no answer, set: {events.5.step: 29}}\n"
    "  - {name: an apology on day 5, events: [{step: 5, scale: {key: share.negative, factor: "
    "0.5}}]}\n";

static const char sweep1[] = "sweep:\n  grid: {share.negative: [0.02, 0.05, 0.09, 0.2, 0.4]}\n";
static const char sweep2[] =
    "sweep:\n  grid: {share.negative: [0.02, 0.05, 0.09, 0.2], network.nodes: [500, 1000, 1500]}\n";

/* Run the scenario's compare and two sweeps once, into tmp. */
static void make_folders(void)
{
    static int made;
    if (made) return;
    assert_non_null(wg_test_waggle_path());
    assert_int_equal(wg_test_write(tmp, "s.yaml", scenario), 0);
    char text[sizeof scenario + sizeof sweep2];
    snprintf(text, sizeof text, "%s%s", scenario, sweep1);
    assert_int_equal(wg_test_write(tmp, "s1.yaml", text), 0);
    snprintf(text, sizeof text, "%s%s", scenario, sweep2);
    assert_int_equal(wg_test_write(tmp, "s2.yaml", text), 0);
    assert_int_equal(wg_test_waggle(NULL, NULL, NULL, "compare %s/s.yaml -o %s/cmp -q -t 2", tmp,
                                    tmp), 0);
    assert_int_equal(wg_test_waggle(NULL, NULL, NULL, "run %s/s.yaml -o %s/drawn -q -t 2 "
                                    "--trace 0", tmp, tmp), 0);
    assert_int_equal(wg_test_waggle(NULL, NULL, NULL, "sweep %s/s1.yaml -o %s/sw1 -q -t 2 -r 4",
                                    tmp, tmp), 0);
    assert_int_equal(wg_test_waggle(NULL, NULL, NULL, "sweep %s/s2.yaml -o %s/sw2 -q -t 2 -r 4",
                                    tmp, tmp), 0);
    made = 1;
}

/* ---- the tests -------------------------------------------------------------------------------- */

static void test_run_charts(void **state)
{
    (void)state;
    make_folders();
    char dir[128];
    snprintf(dir, sizeof dir, "%s/cmp/base", tmp);
    int faults = 0;
    const char *charts[] = {"curves", "states", "finals"};
    for (int i = 0; i < 3; i++) faults += check_layout("run", dir, charts[i]);
    snprintf(dir, sizeof dir, "%s/cmp/louder-press", tmp);
    faults += check_layout("louder press", dir, "finals");
    assert_int_equal(faults, 0);
}

static void test_compare_chart(void **state)
{
    (void)state;
    make_folders();
    char dir[128];
    snprintf(dir, sizeof dir, "%s/cmp", tmp);
    assert_int_equal(check_layout("compare", dir, "compare"), 0);
}

static void test_sweep_charts(void **state)
{
    (void)state;
    make_folders();
    char dir[128];
    int faults = 0;
    snprintf(dir, sizeof dir, "%s/sw1", tmp);
    faults += check_layout("sweep of one key", dir, "sweep");
    snprintf(dir, sizeof dir, "%s/sw2", tmp);
    faults += check_layout("sweep of two keys", dir, "sweep");
    assert_int_equal(faults, 0);
}

/* The pictures of `waggle draw`: network.png and strip.png at every size, and
 * network.png at half of every size (the frames of cascade.gif). */
static void test_draw_pictures(void **state)
{
    (void)state;
    make_folders();
    char dir[128];
    snprintf(dir, sizeof dir, "%s/drawn", tmp);
    int faults = check_layout("draw", dir, "network");
    faults += check_layout("draw", dir, "strip");
    faults += check_layout_at("a frame of cascade.gif (half size)", dir, "network", 2);
    assert_int_equal(faults, 0);
}

/* The numbers of a large case: 100,000 agents, six arms, differences of a few agents (the
 * panels keep their minimum span) next to differences of tens of thousands. */
static void test_large_numbers(void **state)
{
    (void)state;
    make_folders();
    char dir[128], line[512];
    snprintf(dir, sizeof dir, "%s/big", tmp);
    mkdir(dir, 0777);
    static const char *const arms[] = {"base", "answered on day 1", "answered on day 10",
                                       "never answered", "answered the complaint (before the song)",
                                       "answers within 1 day"};
    const int narms = (int)(sizeof arms / sizeof arms[0]);
    char manifest[1024];
    snprintf(manifest, sizeof manifest,
             "waggle: {version: \"9.9.9\"}\nseed: 20090706\nruns: 100\ncommand: \"waggle compare "
             "ubg.yaml\"\nnetwork:\n  nodes: 100000\nscenario:\n  name: \"United Breaks "
             "Guitars\"\n  step: \"day\"\n  blowup: {threshold: 0.01}\n  events:\n"
             "    - {step: 0, seed: {valence: negative, count: 1, by: degree}}\n"
             "    - {step: 1, media: {valence: negative, amplitude: 0.0005, decay: 0.5}}\n"
             "    - {step: 2, respond: {count: 50, by: degree, win: 0.05, calm: 0.4}}\n");
    char csv[1 << 15], blow[4096];
    size_t n = (size_t)snprintf(csv, sizeof csv, "variant,metric,base_mean,variant_mean,"
                                "diff_mean,diff_lo,diff_hi,p_better\n");
    size_t nb = (size_t)snprintf(blow, sizeof blow,
                                 "variant,folder,threshold,agents_over,runs,blowups,share,lo,hi\n");
    for (int a = 0; a < narms; a++) {
        char *slug = wg_render_slug(arms[a]);
        char sub[256];
        snprintf(sub, sizeof sub, "%s/%s", dir, slug);
        mkdir(sub, 0777);
        assert_int_equal(wg_test_write(sub, "manifest.yaml", manifest), 0);
        char sum[1 << 15];
        size_t m = (size_t)snprintf(sum, sizeof sum, "step,metric,mean,sd,p05,p25,p50,p75,p95\n");
        double top = a == 4 ? 1 : 99962;
        for (int t = 0; t < 30; t++) {
            double neg = top / (1 + exp(-(t - 6) * 0.9)), pos = a == 4 ? 0 : 3.0 * t / 29;
            m += (size_t)snprintf(sum + m, sizeof sum - m,
                                  "%d,reach_positive,%g,1,%g,%g,%g,%g,%g\n"
                                  "%d,reach_negative,%g,1,%g,%g,%g,%g,%g\n",
                                  t, pos, pos, pos, pos, pos + 1, pos + 2, t, neg, neg * 0.95,
                                  neg * 0.98, neg, neg * 1.001, neg * 1.002);
        }
        assert_int_equal(wg_test_write(sub, "summary.csv", sum), 0);
        assert_int_equal(wg_test_write(sub, "finals.csv", "run,reach_positive,reach_negative,"
                                       "peak_critics,peak_step,steps,blowup\n0,3,99962,82369,7,"
                                       "30,1\n1,2,99960,82370,7,30,1\n"), 0);
        nb += (size_t)snprintf(blow + nb, sizeof blow - nb, "\"%s\",%s,0.01,1000,100,%d,%g,%g,%g\n",
                               arms[a], slug, a == 4 ? 0 : 100, a == 4 ? 0.0 : 1.0,
                               a == 4 ? 0.0 : 0.963, a == 4 ? 0.037 : 1.0);
        free(slug);
        if (a == 0) continue;
        double d = a == 4 ? -99961 : 2.2 * a;
        snprintf(line, sizeof line,
                 "\"%s\",reach_positive,2.1,2.3,0.2,-0.4,0.8,0.5\n"
                 "\"%s\",reach_negative,99962,%g,%g,%g,%g,0.1\n"
                 "\"%s\",peak_critics,82369,82501,%g,%g,%g,0.2\n"
                 "\"%s\",sentiment,-0.99996,-0.99995,0.00001,-0.00001,0.00003,0.5\n"
                 "\"%s\",blowup,1,%d,%d,%d,%d,%g\n",
                 arms[a], arms[a], 99962 + d, d, d - 1.1, d + 1.1, arms[a], 132.0 * a, 110.0 * a,
                 155.0 * a, arms[a], arms[a], a == 4 ? 0 : 1, a == 4 ? -1 : 0, a == 4 ? -1 : 0,
                 a == 4 ? -1 : 0, a == 4 ? 1.0 : 0.5);
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%s", line);
    }
    assert_int_equal(wg_test_write(dir, "compare.csv", csv), 0);
    assert_int_equal(wg_test_write(dir, "blowup.csv", blow), 0);
    int faults = check_layout("large compare", dir, "compare");
    char base[160];
    snprintf(base, sizeof base, "%s/base", dir);
    faults += check_layout("large run", base, "curves");
    faults += check_layout("large run", base, "finals");

    /* the fit's chart of the case: views (millions) = 8.99175 × negative exposures, the
     * readings on the same axis */
    snprintf(dir, sizeof dir, "%s/bigfit", tmp);
    mkdir(dir, 0777);
    char fitman[sizeof manifest + 256];
    snprintf(fitman, sizeof fitman, "%s  observed: {file: \"data/ubg-views.csv\", x: \"day\", y: "
             "\"views\", metric: \"cumulative_exposures_negative\", scale: 8.99175}\n",
             manifest);
    assert_int_equal(wg_test_write(dir, "manifest.yaml", fitman), 0);
    char fit[1 << 15];
    n = (size_t)snprintf(fit, sizeof fit, "step,metric,mean,sd,p05,p25,p50,p75,p95\n");
    for (int t = 0; t < 30; t++) {
        double neg = 99962 / (1 + exp(-(t - 6) * 0.9)), ex = 450000 / (1 + exp(-(t - 5) * 0.7));
        n += (size_t)snprintf(fit + n, sizeof fit - n,
                              "%d,reach_positive,1,1,0,0,1,2,3\n"
                              "%d,reach_negative,%g,1,%g,%g,%g,%g,%g\n"
                              "%d,cumulative_exposures_negative,%g,1,%g,%g,%g,%g,%g\n",
                              t, t, neg, neg * 0.95, neg * 0.98, neg, neg, neg, t, ex, ex * 0.97,
                              ex * 0.99, ex, ex * 1.01, ex * 1.03);
    }
    assert_int_equal(wg_test_write(dir, "summary.csv", fit), 0);
    assert_int_equal(wg_test_write(dir, "finals.csv", "run,reach_positive,reach_negative,"
                                   "peak_critics,peak_step,steps,blowup\n0,3,99962,82369,7,"
                                   "30,1\n"), 0);
    assert_int_equal(wg_test_write(dir, "observed.csv", "day,views\n1,24000\n3,390000\n"
                                   "5,2000000\n9,2780000\n21,4204378\n"), 0);
    faults += check_layout("fitted views", dir, "curves");

    /* a swept network size: values in the tens of thousands on the x axis */
    snprintf(dir, sizeof dir, "%s/bigsweep", tmp);
    mkdir(dir, 0777);
    assert_int_equal(wg_test_write(dir, "manifest.yaml", manifest), 0);
    n = (size_t)snprintf(csv, sizeof csv, "point,network.nodes,metric,mean,sd,p05,p50,p95\n");
    for (int p = 0; p < 6; p++) {
        double nodes = 12400.0 * (p + 1);
        n += (size_t)snprintf(csv + n, sizeof csv - n,
                              "%d,%g,reach_negative,%g,1,%g,%g,%g\n%d,%g,reach_positive,%g,1,%g,"
                              "%g,%g\n",
                              p, nodes, nodes * 0.9, nodes * 0.8, nodes * 0.9, nodes * 0.99, p,
                              nodes, 3.0, 0.0, 3.0, 9.0);
    }
    assert_int_equal(wg_test_write(dir, "sweep.csv", csv), 0);
    faults += check_layout("large sweep", dir, "sweep");
    assert_int_equal(faults, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_charts),
        cmocka_unit_test(test_compare_chart),
        cmocka_unit_test(test_sweep_charts),
        cmocka_unit_test(test_draw_pictures),
        cmocka_unit_test(test_large_numbers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
