/*
 * test_render.c — the charts: each chart drawn from small fixed CSV files
 * and read back with libpng (a valid PNG of the requested size, the text
 * chunks with the right values and no time chunk, the positive and negative
 * colours where the data put them, nothing of the data's colours outside the
 * plot area and the legend), the edge cases (no data, one run, no spread),
 * compare.png, and end to end: `waggle render` on a finished run reproduces
 * the bytes the run wrote, observed points included.
 *
 * The command is found at $BUILD/waggle (default build/waggle); the tests
 * run from the repository root, as `make check` runs them.
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
#include <unistd.h>
#include <png.h>
#include <cmocka.h>

#include "wg_test.h"

#include "waggle/render.h"

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    return wg_test_mkdtemp(tmp, "render");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

/* Write tmp/SUB/NAME (SUB created when missing). */
static void put(const char *sub, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/", tmp, sub);
    for (char *c = path + strlen(tmp) + 1; *c; c++)
        if (*c == '/') {
            *c = '\0';
            mkdir(path, 0777);
            *c = '/';
        }
    snprintf(path, sizeof path, "%s/%s/%s", tmp, sub, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *dir_of(const char *sub)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp, sub);
    return path;
}

/* ---- reading a PNG back -------------------------------------------------------- */

typedef struct image {
    int w, h;
    unsigned char *px;       /* RGB */
    int ntext, has_time;
    char keys[16][80];
    char vals[16][512];
} image;

static void load_png(const char *sub, const char *name, image *im)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", tmp, sub, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char sig[8];
    assert_int_equal(fread(sig, 1, 8, f), 8);
    assert_int_equal(png_sig_cmp(sig, 0, 8), 0);
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png))) fail_msg("%s: libpng could not read it", path);
    png_init_io(png, f);
    png_set_sig_bytes(png, 8);
    png_read_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
    memset(im, 0, sizeof *im);
    im->w = (int)png_get_image_width(png, info);
    im->h = (int)png_get_image_height(png, info);
    assert_int_equal(png_get_color_type(png, info), PNG_COLOR_TYPE_RGB);
    assert_int_equal(png_get_bit_depth(png, info), 8);
    png_bytepp rows = png_get_rows(png, info);
    im->px = malloc((size_t)im->w * im->h * 3);
    for (int y = 0; y < im->h; y++) memcpy(im->px + (size_t)y * im->w * 3, rows[y], (size_t)im->w * 3);
    png_textp t;
    int n = 0;
    png_get_text(png, info, &t, &n);
    for (int i = 0; i < n && i < 16; i++) {
        snprintf(im->keys[i], sizeof im->keys[i], "%s", t[i].key);
        snprintf(im->vals[i], sizeof im->vals[i], "%s", t[i].text);
    }
    im->ntext = n;
    im->has_time = png_get_valid(png, info, PNG_INFO_tIME) != 0;
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
}

static const char *text_of(const image *im, const char *key)
{
    for (int i = 0; i < im->ntext; i++)
        if (strcmp(im->keys[i], key) == 0) return im->vals[i];
    return NULL;
}

static const unsigned char POS[3] = {0x00, 0x72, 0xB2}, NEG[3] = {0xE6, 0x9F, 0x00},
                           NEG_DARK[3] = {0xD5, 0x5E, 0x00};

static int near(const unsigned char *p, const unsigned char *c, int tol)
{
    return abs(p[0] - c[0]) <= tol && abs(p[1] - c[1]) <= tol && abs(p[2] - c[2]) <= tol;
}

/* Is colour c (within tol) within r pixels of (x, y)? */
static int color_near(const image *im, double x, double y, const unsigned char *c, int r, int tol)
{
    for (int dy = -r; dy <= r; dy++)
        for (int dx = -r; dx <= r; dx++) {
            int X = (int)x + dx, Y = (int)y + dy;
            if (X < 0 || Y < 0 || X >= im->w || Y >= im->h) continue;
            if (near(im->px + ((size_t)Y * im->w + X) * 3, c, tol)) return 1;
        }
    return 0;
}

/* Count pixels of colour c outside the plot area and the legend (1 pixel of slack). */
static long outside(const image *im, const wg_render_frame *f, const unsigned char *c, int tol)
{
    long n = 0;
    for (int y = 0; y < im->h; y++)
        for (int x = 0; x < im->w; x++) {
            int in_plot = x >= f->x0 - 1 && x <= f->x1 + 1 && y >= f->y0 - 1 && y <= f->y1 + 1;
            int in_leg = x >= f->lx0 && x <= f->lx1 && y >= f->ly0 && y <= f->ly1;
            if (!in_plot && !in_leg && near(im->px + ((size_t)y * im->w + x) * 3, c, tol)) n++;
        }
    return n;
}

static double fx(const wg_render_frame *f, double v)
{
    return f->x0 + (v - f->xmin) / (f->xmax - f->xmin) * (f->x1 - f->x0);
}

static double fy(const wg_render_frame *f, double v)
{
    return f->y1 - (v - f->ymin) / (f->ymax - f->ymin) * (f->y1 - f->y0);
}

/* ---- fixtures ----------------------------------------------------------------- */

static const char manifest[] =
    "# waggle run: how this folder was made\n"
    "waggle: {version: \"9.8.7\", revision: \"abc\"}\n"
    "command: \"waggle run fixture.yaml -o out\"\n"
    "seed: 4242\n"
    "runs: 6\n"
    "network:\n  nodes: 1000\n"
    "scenario:\n  name: \"Fixture café\"\n  step: \"week\"\n  blowup: {threshold: 0.01}\n";

/* reach_positive median 0, 20, 40, 60, 80 (bands ±10/±5); reach_negative median 0, 5, 10, 15, 20 */
static void put_summary(const char *sub, int spread)
{
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "step,metric,mean,sd,p05,p25,p50,p75,p95\n");
    for (int t = 0; t < 5; t++) {
        double p = 20.0 * t, q = 5.0 * t, w = spread ? 10 : 0, v = spread ? 5 : 0;
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "%d,unaware,1,0,1,1,1,1,1\n"
                              "%d,reach_positive,%g,1,%g,%g,%g,%g,%g\n"
                              "%d,reach_negative,%g,1,%g,%g,%g,%g,%g\n",
                              t, t, p, p - w, p - v, p, p + v, p + w, t, q, q - w / 4, q - v / 4, q,
                              q + v / 4, q + w / 4);
    }
    put(sub, "summary.csv", text);
}

static void put_run(const char *sub)
{
    put(sub, "manifest.yaml", manifest);
    put_summary(sub, 1);
    /* final negative reach spans 0 to 400: a log axis; runs 4 and 5 blew up (> 10) */
    put(sub, "finals.csv",
        "run,reach_positive,reach_negative,peak_critics,peak_step,steps,blowup\n"
        "0,80,0,0,0,5,0\n1,70,1,1,0,5,0\n2,90,2,1,0,5,0\n3,85,3,2,1,5,0\n"
        "4,60,150,90,3,5,1\n5,50,400,200,3,5,1\n");
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "run,step,unaware,advocates,critics,supporters,"
                                "rejecters,immune,new_positive,new_negative\n");
    for (int r = 0; r < 6; r++)
        for (int t = 0; t < 5; t++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%d,%d,%d,%d,%d,%d,%d,0,0,0\n", r, t,
                                  1000 - 200 * t, 100 * t, 60 * t, 20 * t, 20 * t);
    put(sub, "series.csv", text);
}

static void check_chunks(const image *im)
{
    assert_false(im->has_time);
    assert_string_equal(text_of(im, "Scenario"), "Fixture café");
    assert_string_equal(text_of(im, "Seed"), "4242");
    assert_string_equal(text_of(im, "Runs"), "6");
    assert_string_equal(text_of(im, "Version"), "9.8.7");
    assert_string_equal(text_of(im, "Command"), "waggle run fixture.yaml -o out");
}

/* ---- the charts of a run ---------------------------------------------------------- */

static void test_curves(void **state)
{
    (void)state;
    wg_diag d;
    wg_render_frame f;
    image im;
    wg_diag_init(&d);
    put_run("run");
    wg_render_opts o = {1200, 700, 0, NULL, 0};
    assert_int_equal(wg_render_chart(dir_of("run"), "curves", &o, &f, &d), WG_OK);
    load_png("run", "curves.png", &im);
    assert_int_equal(im.w, 1200);
    assert_int_equal(im.h, 700);
    check_chunks(&im);
    /* the axes start at zero and cover the highest p95 (90) */
    assert_true(f.ymin == 0 && f.xmin == 0);
    assert_true(f.ymax >= 90 && f.xmax == 4);
    /* the medians: blue at (4, 80) and (2, 40), orange at (4, 20); not blue where orange is */
    assert_true(color_near(&im, fx(&f, 4) - 3, fy(&f, 80), POS, 3, 12));
    assert_true(color_near(&im, fx(&f, 2), fy(&f, 40), POS, 3, 12));
    assert_true(color_near(&im, fx(&f, 4) - 3, fy(&f, 20), NEG, 3, 12));
    assert_false(color_near(&im, fx(&f, 4) - 3, fy(&f, 20), POS, 3, 12));
    assert_false(color_near(&im, fx(&f, 1), fy(&f, 80), POS, 6, 40));   /* nothing up there */
    assert_int_equal(outside(&im, &f, POS, 40), 0);
    assert_int_equal(outside(&im, &f, NEG, 40), 0);
    free(im.px);
    wg_diag_free(&d);
}

/* A scenario that fits another metric than the reach (observed.metric: views fitted as
 * cumulative negative exposures × observed.scale): curves.png plots that metric × the scale
 * in the readings' unit, with the readings on it, and says so in words; not the reach. */
static void test_curves_metric(void **state)
{
    (void)state;
    static wg_render_text box[1024];
    wg_render_textlog log = {box, 1024, 0};
    wg_diag d;
    wg_render_frame f;
    image im;
    wg_diag_init(&d);
    put_run("fit");
    char text[8192];
    snprintf(text, sizeof text, "%s  observed: {file: \"data/views.csv\", x: \"day\", y: "
             "\"views\", metric: \"cumulative_exposures_negative\", scale: 10}\n", manifest);
    put("fit", "manifest.yaml", text);
    /* the reaches of put_summary (at most 90) and the metric: median 0, 100, ... 400 (±20) */
    size_t n = (size_t)snprintf(text, sizeof text, "step,metric,mean,sd,p05,p25,p50,p75,p95\n");
    for (int t = 0; t < 5; t++) {
        double p = 20.0 * t, q = 5.0 * t, m = 100.0 * t;
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "%d,reach_positive,%g,1,%g,%g,%g,%g,%g\n"
                              "%d,reach_negative,%g,1,%g,%g,%g,%g,%g\n"
                              "%d,cumulative_exposures_negative,%g,1,%g,%g,%g,%g,%g\n",
                              t, p, p, p, p, p, p + 10, t, q, q, q, q, q, q, t, m, m - 20,
                              m - 10, m, m + 10, m + 20);
    }
    put("fit", "summary.csv", text);
    put("fit", "observed.csv", "day,views\n1,1000\n3,3000\n4,4500\n");
    wg_render_opts o = {1200, 700, 0, &log, 0};
    assert_int_equal(wg_render_chart(dir_of("fit"), "curves", &o, &f, &d), WG_OK);
    /* the axis is in views: the metric's p95 × 10 (4,200) and the last reading (4,500) */
    assert_true(f.ymin == 0 && f.ymax >= 4500 && f.ymax < 10000);
    load_png("fit", "curves.png", &im);
    /* the metric's median in orange at (2, 2,000 views) and (4, 4,000), where the reach is not */
    assert_true(color_near(&im, fx(&f, 2), fy(&f, 2000), NEG, 3, 12));
    assert_true(color_near(&im, fx(&f, 4) - 3, fy(&f, 4000), NEG, 3, 12));
    assert_false(color_near(&im, fx(&f, 4) - 3, fy(&f, 80), POS, 3, 12));   /* no reach line */
    assert_false(color_near(&im, fx(&f, 4) - 3, fy(&f, 80), NEG, 3, 40));
    assert_int_equal(outside(&im, &f, NEG, 40), 0);
    free(im.px);
    /* in words: the axis names the unit and the metric with its scale, and no reach */
    int axis = 0, legend = 0, reach = 0, right = 0;
    for (size_t i = 0; i < log.n && i < log.cap; i++) {
        axis += strcmp(box[i].s, "views = 10 × negative exposures so far") == 0;
        legend += strcmp(box[i].s, "model: views = 10 × negative exposures so far, median") == 0;
        reach += strstr(box[i].s, "reached") != NULL || strstr(box[i].s, "won over") != NULL;
        right += strstr(box[i].s, "per agent") != NULL;
    }
    assert_int_equal(axis, 1);
    assert_int_equal(legend, 1);
    assert_int_equal(reach, 0);
    assert_int_equal(right, 0);   /* one axis: the readings are on the metric's */

    /* without observed.scale: the metric on the left, the readings on their own axis */
    snprintf(text, sizeof text, "%s  observed: {file: \"views.csv\", y: \"views\", metric: "
             "\"cumulative_exposures_negative\"}\n", manifest);
    put("fit", "manifest.yaml", text);
    log.n = 0;
    assert_int_equal(wg_render_chart(dir_of("fit"), "curves", &o, &f, &d), WG_OK);
    assert_true(f.ymax >= 420 && f.ymax < 1000);   /* the metric's p95, unscaled */
    axis = right = 0;
    for (size_t i = 0; i < log.n && i < log.cap; i++) {
        axis += strcmp(box[i].s, "negative exposures so far") == 0;
        right += strcmp(box[i].s, "observed views (own axis: no observed.scale)") == 0;
    }
    assert_int_equal(axis, 1);
    assert_int_equal(right, 1);

    /* observed.metric the negative reach: the reach chart, as before */
    snprintf(text, sizeof text, "%s  observed: {file: \"views.csv\", y: \"views\", metric: "
             "\"reach_negative\", scale: 10}\n", manifest);
    put("fit", "manifest.yaml", text);
    log.n = 0;
    assert_int_equal(wg_render_chart(dir_of("fit"), "curves", &o, &f, &d), WG_OK);
    axis = 0;
    for (size_t i = 0; i < log.n && i < log.cap; i++)
        axis += strcmp(box[i].s, "customers reached") == 0;
    assert_int_equal(axis, 1);

    /* the scenario's unit: says what an agent stands for, in place of "customers" */
    snprintf(text, sizeof text, "%s  unit: \"members\"\n", manifest);
    put("fit", "manifest.yaml", text);
    log.n = 0;
    assert_int_equal(wg_render_chart(dir_of("fit"), "curves", &o, &f, &d), WG_OK);
    int members = 0, customers = 0;
    for (size_t i = 0; i < log.n && i < log.cap; i++) {
        members += strcmp(box[i].s, "members reached") == 0;
        customers += strstr(box[i].s, "customers") != NULL;
    }
    assert_int_equal(members, 1);
    assert_int_equal(customers, 0);
    assert_int_equal(d.errors, 0);
    wg_diag_free(&d);
}

static void test_states_and_finals(void **state)
{
    (void)state;
    wg_diag d;
    wg_render_frame f;
    image im;
    wg_diag_init(&d);
    put_run("run");
    assert_int_equal(wg_render_chart(dir_of("run"), "states", NULL, &f, &d), WG_OK);
    load_png("run", "states.png", &im);
    assert_int_equal(im.w, WG_RENDER_WIDTH);
    assert_int_equal(im.h, WG_RENDER_HEIGHT);
    check_chunks(&im);
    /* at step 4: advocates 400 of 1000 (bottom, blue), then supporters, critics (orange) */
    assert_true(color_near(&im, fx(&f, 3.5), fy(&f, 0.2), POS, 1, 4));
    assert_true(color_near(&im, fx(&f, 3.5), fy(&f, 0.55), NEG, 1, 4));
    assert_int_equal(outside(&im, &f, POS, 30), 0);
    assert_int_equal(outside(&im, &f, NEG, 30), 0);
    free(im.px);

    assert_int_equal(wg_render_chart(dir_of("run"), "finals", NULL, &f, &d), WG_OK);
    load_png("run", "finals.png", &im);
    check_chunks(&im);
    assert_true(f.xlog);               /* 1 to 400: more than two orders of magnitude */
    assert_true(f.xmin <= 1 && f.xmax >= 400);
    /* blow-ups (150, 400) in the dark colour, small runs (1, 2, 3) in orange */
    assert_true(f.ax0 > f.x0);        /* a bar for the zero left of the log axis */
    assert_true(color_near(&im, f.ax0 + (f.x1 - f.ax0) * (log10(400) - log10(f.xmin)) /
                                          (log10(f.xmax) - log10(f.xmin)) - 4,
                           f.y1 - 3, NEG_DARK, 3, 6));
    assert_true(color_near(&im, (f.x0 + f.ax0) / 2, f.y1 - 3, NEG, 3, 6));   /* the zero bar */
    assert_true(color_near(&im, f.ax0 + (f.x1 - f.ax0) * (log10(2.2) - log10(f.xmin)) /
                                          (log10(f.xmax) - log10(f.xmin)),
                           f.y1 - 3, NEG, 3, 6));
    assert_int_equal(outside(&im, &f, NEG_DARK, 6), 0);
    assert_int_equal(outside(&im, &f, NEG, 6), 0);
    free(im.px);
    wg_diag_free(&d);
}

/* No rows at all, one run, no spread: a correct chart each time, never a crash. */
static void test_edge_cases(void **state)
{
    (void)state;
    wg_diag d;
    wg_render_frame f;
    image im;
    wg_diag_init(&d);
    put("empty", "manifest.yaml", manifest);
    put("empty", "summary.csv", "step,metric,mean,sd,p05,p25,p50,p75,p95\n");
    put("empty", "finals.csv", "run,reach_positive,reach_negative,peak_critics,peak_step,steps\n");
    put("empty", "series.csv", "run,step,unaware,advocates,critics,supporters,rejecters,immune,"
                               "new_positive,new_negative\n");
    assert_int_equal(wg_render_run(dir_of("empty"), NULL, &d), WG_OK);
    const char *charts[] = {"curves.png", "states.png", "finals.png"};
    for (int i = 0; i < 3; i++) {
        load_png("empty", charts[i], &im);
        assert_int_equal(im.w, WG_RENDER_WIDTH);
        check_chunks(&im);
        /* not a blank image: the title and the note are there (dark pixels) */
        long dark = 0;
        for (size_t k = 0; k < (size_t)im.w * im.h; k++) dark += im.px[3 * k] < 80;
        assert_true(dark > 1000);
        free(im.px);
    }
    /* one run, no spread: bands collapse onto the medians, which are still drawn */
    put_run("one");
    put_summary("one", 0);
    put("one", "finals.csv", "run,reach_positive,reach_negative,peak_critics,peak_step,steps,"
                             "blowup\n0,80,20,10,2,5,1\n");
    assert_int_equal(wg_render_run(dir_of("one"), NULL, &d), WG_OK);
    assert_int_equal(wg_render_chart(dir_of("one"), "curves", NULL, &f, &d), WG_OK);
    load_png("one", "curves.png", &im);
    assert_true(color_near(&im, fx(&f, 2), fy(&f, 40), POS, 3, 12));
    assert_true(color_near(&im, fx(&f, 2), fy(&f, 10), NEG, 3, 12));
    free(im.px);
    assert_int_equal(wg_render_chart(dir_of("one"), "finals", NULL, &f, &d), WG_OK);
    assert_false(f.xlog);
    load_png("one", "finals.png", &im);
    assert_true(color_near(&im, fx(&f, 20.5), f.y1 - 3, NEG_DARK, 4, 6));
    free(im.px);
    assert_int_equal(d.errors, 0);
    /* a missing or malformed file is bad input, with the file and line */
    put("bad", "manifest.yaml", manifest);
    put("bad", "summary.csv", "step,metric,mean,sd,p05,p25,p50,p75,p95\n0,reach_positive,1,0,x,1,1,1,1\n");
    assert_int_equal(wg_render_chart(dir_of("bad"), "curves", NULL, NULL, &d), WG_EINPUT);
    assert_non_null(strstr(wg_diag_first(&d), "summary.csv:2: column p05"));
    wg_diag_free(&d);
    wg_diag_init(&d);
    assert_int_equal(wg_render_run(dir_of("nowhere"), NULL, &d), WG_EINPUT);
    wg_diag_free(&d);
}

static void test_compare(void **state)
{
    (void)state;
    wg_diag d;
    wg_render_frame f;
    image im;
    wg_diag_init(&d);
    char *slug = wg_render_slug("  Answered on Day 1!");
    assert_string_equal(slug, "answered-on-day-1");
    free(slug);
    put_run("cmp/base");
    put_run("cmp/answered-on-day-1");
    put_summary("cmp/answered-on-day-1", 0);
    put("cmp", "compare.csv",
        "variant,metric,base_mean,variant_mean,diff_mean,diff_lo,diff_hi,p_better\n"
        "answered on day 1,reach_negative,93,40,-53,-80,-20,0.95\n"
        "answered on day 1,reach_positive,72,80,8,-2,15,0.7\n");
    wg_render_opts o = {1600, 1000, 0, NULL, 0};
    assert_int_equal(wg_render_compare(dir_of("cmp"), &o, &f, &d), WG_OK);
    load_png("cmp", "compare.png", &im);
    assert_int_equal(im.w, 1600);
    assert_int_equal(im.h, 1000);
    check_chunks(&im);
    /* negative panel: the variant (vermillion) median at (4, 20) */
    assert_true(color_near(&im, fx(&f, 4) - 3, fy(&f, 20), NEG_DARK, 3, 12));
    free(im.px);
    /* a variant whose folder is missing is bad input */
    put("cmp", "compare.csv",
        "variant,metric,base_mean,variant_mean,diff_mean,diff_lo,diff_hi,p_better\n"
        "louder,reach_negative,93,40,-53,-80,-20,0.95\n");
    assert_int_equal(wg_render_compare(dir_of("cmp"), &o, &f, &d), WG_EINPUT);
    /* unless blowup.csv (written by waggle compare) names its folder */
    put("cmp", "blowup.csv", "variant,folder,threshold,agents_over,runs,blowups,share,lo,hi\n"
                             "louder,answered-on-day-1,10,10,6,2,0.33,0.1,0.7\n");
    wg_diag_free(&d);
    wg_diag_init(&d);
    assert_int_equal(wg_render_compare(dir_of("cmp"), &o, &f, &d), WG_OK);
    wg_diag_free(&d);
}

/* ---- end to end ------------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    return wg_test_slurp(path, len);
}

/* Run `waggle ARGS` (its output discarded); returns the exit status. */
#define run(...) wg_test_waggle(NULL, NULL, NULL, __VA_ARGS__)

/* Folder names keep the letters of every script: capitals lowered (Latin-1,
 * Latin Extended-A, Greek, Cyrillic), blanks and punctuation (ASCII, CJK,
 * full-width, emoji) one dash, invalid UTF-8 a dash, nothing left "variant". */
static void test_utf8_slugs(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"  Answered on Day 1!", "answered-on-day-1"},
        {"Réponse RAPIDE à Zoë", "réponse-rapide-à-zoë"},
        {"Ånswer ŁÓDŹ Ÿes", "ånswer-łódź-ÿes"},
        {"Ответ за день", "ответ-за-день"},
        {"ΑΠΆΝΤΗΣΗ", "απάντηση"},
        {"当天回复，道歉！", "当天回复-道歉"},
        {"お詫び 🙏 すぐ", "お詫び-すぐ"},
        {"사과 — 즉시", "사과-즉시"},
        {"bad \xff\xfe bytes", "bad-bytes"},
        {"！？。", "variant"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *slug = wg_render_slug(cases[i][0]);
        if (strcmp(slug, cases[i][1])) fail_msg("slug of \"%s\": \"%s\", expected \"%s\"", cases[i][0], slug,
                                                cases[i][1]);
        free(slug);
    }
    /* a long name stops at a letter's boundary, within 200 bytes */
    char longname[1024] = "";
    for (int i = 0; i < 150; i++) strcat(longname, "中");
    char *slug = wg_render_slug(longname);
    assert_true(strlen(slug) <= 200 && strlen(slug) % 3 == 0);
    free(slug);
}

/* Dark ink of an image: the sum over pixels of 255 - the mean of R, G, B. */
static long ink(const image *im)
{
    long sum = 0;
    for (long i = 0; i < (long)im->w * im->h; i++) {
        const unsigned char *p = im->px + 3 * i;
        sum += 255 - (p[0] + p[1] + p[2]) / 3;
    }
    return sum;
}

/* A CJK title is drawn with real glyphs: two titles of four different
 * characters each leave different ink (the missing-glyph boxes of a font
 * without them would be four equal boxes both times), and more than a title
 * of four spaces. */
static void test_cjk_title(void **state)
{
    (void)state;
    static const char *const names[] = {"口碑传播", "顾客愤怒", "    "};
    long got[3];
    for (int i = 0; i < 3; i++) {
        char sub[16], text[1024];
        snprintf(sub, sizeof sub, "cjk%d", i);
        put_run(sub);
        snprintf(text, sizeof text,
                 "waggle: {version: \"9.8.7\", revision: \"abc\"}\nseed: 4242\nruns: 6\n"
                 "network:\n  nodes: 1000\nscenario:\n  name: \"%s\"\n  step: \"week\"\n", names[i]);
        put(sub, "manifest.yaml", text);
        wg_diag d;
        wg_render_frame f;
        image im;
        wg_diag_init(&d);
        wg_render_opts o = {1200, 700, 0, NULL, 0};
        assert_int_equal(wg_render_chart(dir_of(sub), "curves", &o, &f, &d), WG_OK);
        load_png(sub, "curves.png", &im);
        assert_string_equal(text_of(&im, "Scenario"), names[i]);
        got[i] = ink(&im);
        free(im.px);
        wg_diag_free(&d);
    }
    print_message("ink: %ld, %ld (blank title %ld)\n", got[0], got[1], got[2]);
    assert_true(got[0] > got[2] && got[1] > got[2]);
    assert_true(got[0] != got[1]);
}

static void test_render_reproduces_run(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) fail();
    put("e2e", "views.csv", "# readings\nday,views,source\n1,300,a\n3,\"1200\",\"b, c\"\n5,4500,d\n");
    put("e2e", "s.yaml",
        "name: end to end\nsteps: 12\nruns: 8\nseed: 7\n"
        "network: {generate: barabasi-albert, nodes: 800, edges_per_node: 3}\n"
        "model: {share: {positive: 0.06, negative: 0.08}}\n"
        "events:\n  - {step: 0, seed: {valence: negative, count: 2, by: random}}\n"
        "  - {step: 0, seed: {valence: positive, count: 2, by: random}}\n"
        "observed: {file: views.csv, x: day, y: views, scale: 10}\n");
    assert_int_equal(run("run %s/e2e/s.yaml -o %s/e2e/out -q -t 2", tmp, tmp), 0);
    size_t n;
    char path[512], *obs;
    snprintf(path, sizeof path, "%s/e2e/out/observed.csv", tmp);
    assert_non_null(obs = slurp(path, &n));
    assert_string_equal(obs, "day,views\n1,300\n3,1200\n5,4500\n");
    free(obs);
    const char *charts[] = {"curves.png", "states.png", "finals.png"};
    char *before[3];
    size_t len[3];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/e2e/out/%s", tmp, charts[i]);
        assert_non_null(before[i] = slurp(path, &len[i]));
        unlink(path);
    }
    /* the run folder moved elsewhere, without the scenario: render needs only its files */
    char to[512];
    snprintf(path, sizeof path, "%s/e2e/out", tmp);
    snprintf(to, sizeof to, "%s/moved", tmp);
    assert_int_equal(rename(path, to), 0);
    snprintf(path, sizeof path, "%s/e2e/views.csv", tmp);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(run("render %s/moved", tmp), 0);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/moved/%s", tmp, charts[i]);
        char *after = slurp(path, &n);
        assert_non_null(after);
        assert_int_equal(n, len[i]);
        assert_memory_equal(after, before[i], n);
        free(after);
        free(before[i]);
    }
    image im;
    load_png("moved", "curves.png", &im);
    assert_string_equal(text_of(&im, "Scenario"), "end to end");
    assert_string_equal(text_of(&im, "Seed"), "7");
    assert_string_equal(text_of(&im, "Runs"), "8");
    assert_non_null(strstr(text_of(&im, "Command"), "s.yaml -o"));
    free(im.px);
    assert_int_equal(run("render %s/moved --size 800x450 --dpi 120", tmp), 0);
    load_png("moved", "finals.png", &im);
    assert_int_equal(im.w, 800);
    assert_int_equal(im.h, 450);
    free(im.px);
    /* bad options and folders: exit 2 */
    assert_int_equal(run("render %s/moved --size 12", tmp), 2);
    assert_int_equal(run("render %s/none", tmp), 2);
    /* an observed file without the named column: exit 2, nothing written */
    put("e2e", "views.csv", "day,count\n1,2\n");
    assert_int_equal(run("run %s/e2e/s.yaml -o %s/e2e/out2 -q", tmp, tmp), 2);
    struct stat sb;
    snprintf(path, sizeof path, "%s/e2e/out2", tmp);
    assert_int_not_equal(stat(path, &sb), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_curves),
        cmocka_unit_test(test_curves_metric),
        cmocka_unit_test(test_states_and_finals),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_utf8_slugs),
        cmocka_unit_test(test_cjk_title),
        cmocka_unit_test(test_render_reproduces_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
