/*
 * brief.c — `waggle brief DIR`: one self-contained HTML page for a manager
 * (DESIGN.md, "The page for a manager") from a finished run, compare or sweep
 * folder: the question (the scenario's `about:`), the answer in one sentence
 * with its interval, the folder's chart, a table of numbers written for
 * people (12,400, 54 %), what was assumed (the scenario's key settings and its
 * timeline of events), caveats, and how to reproduce it.
 *
 * Invariants:
 * 1. Everything is read (folder.c, the manifest, the chart's PNG) before the
 *    page is opened for writing: a bad folder writes nothing.
 * 2. The page makes no request: CSS inline, the chart inlined as a base64
 *    PNG data URL, the icon a data URL, no script; no http(s) URL anywhere
 *    in an attribute.
 * 3. It prints on one A4 page (@page A4; the tables and lists are capped at
 *    a fixed number of rows, the rest counted in words).
 * 4. Every text that comes from a file is HTML-escaped.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "waggle/compare.h"
#include "waggle/output.h"
#include "waggle/render.h"

#include "chart.h"

#define MAX_EVENTS 8        /* events listed in the timeline (the rest counted) */
#define MAX_TABLE_ROWS 8    /* rows of a what-if or sweep table (the rest counted) */
#define FEW_RUNS 30         /* fewer runs than this: intervals are rough */
#define NUM 64              /* room for one formatted number */

enum { K_RUN, K_COMPARE, K_SWEEP };

/* manifest.yaml's facts beyond the charts' (wg_folder_info) */
enum {
    M_ABOUT, M_STEPS, M_RUNS, M_SEED, M_REVISION, M_GENERATE, M_FILE, M_NODES, M_EDGES,
    M_COMPONENTS, M_LARGEST, M_SHARE_POS, M_SHARE_NEG, M_QUIT, M_QUIT_POS, M_QUIT_NEG, M_QUALITY,
    M_CONTACT, M_EXPOSURE, M_NFACTS
};
static const char *const fact_keys[M_NFACTS] = {
    "scenario.about", "steps", "runs", "seed", "waggle.revision", "scenario.network.generate",
    "scenario.network.file", "network.nodes", "network.edges", "network.components",
    "network.largest_component", "scenario.model.share.positive", "scenario.model.share.negative",
    "scenario.model.quit", "scenario.model.quit.positive", "scenario.model.quit.negative",
    "scenario.model.quality", "scenario.model.contact", "scenario.model.exposure"};

typedef struct brief {
    const char *dir;
    int kind;
    wg_folder_info info;
    char *fact[M_NFACTS];
    char *events[MAX_EVENTS];
    size_t nevents, more_events;
    char *var_about[WG_FOLDER_MAX_VARIANTS + 1];   /* a compare's variants' about:, by index */
    char *var_name[WG_FOLDER_MAX_VARIANTS + 1];
    wg_folder_table t1, t2;     /* run: finals.csv; compare: compare.csv, blowup.csv; sweep: sweep.csv */
    char *chart_b64;            /* NULL: the folder has no chart */
    const char *chart_name;
    char *who;                  /* the scenario's unit: (else "customers"), HTML-escaped */
} brief;

static void brief_free(brief *b)
{
    wg_folder_info_free(&b->info);
    for (int k = 0; k < M_NFACTS; k++) free(b->fact[k]);
    for (size_t k = 0; k < b->nevents; k++) free(b->events[k]);
    for (int k = 0; k <= WG_FOLDER_MAX_VARIANTS; k++) {
        free(b->var_about[k]);
        free(b->var_name[k]);
    }
    wg_folder_table_free(&b->t1);
    wg_folder_table_free(&b->t2);
    free(b->chart_b64);
    free(b->who);
}

/* ---- numbers for people ---------------------------------------------------------------------- */

/* Trailing zeros of a decimal number off: 2.50 -> 2.5, 3.00 -> 3. */
static void trim_zeros(char *buf)
{
    if (!strchr(buf, '.')) return;
    char *e = buf + strlen(buf);
    while (e[-1] == '0') *--e = '\0';
    if (e[-1] == '.') *--e = '\0';
}

/* 12,400 / 205 / 12.5 / 2.8 / 0.04: three significant figures below 100,
 * whole numbers with thousands separators above; "–" for none. */
static const char *people(char *buf, double x)
{
    if (!isfinite(x)) return strcpy(buf, "–");
    double a = fabs(x);
    int dec = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    if (a > 0 && a < 0.001) dec = 6;
    wg_num_grouped(buf, NUM, x, dec);
    trim_zeros(buf);
    if (strcmp(buf, "-0") == 0) strcpy(buf, "0");
    return buf;
}

/* A share as a percentage: "54 %", "0.5 %". */
static const char *percent(char *buf, double p)
{
    if (!isfinite(p)) return strcpy(buf, "–");
    char n[NUM / 2];
    double v = 100 * p;
    wg_num_grouped(n, sizeof n, v, v >= 10 ? 0 : 1);
    trim_zeros(n);
    snprintf(buf, NUM, "%s %%", n);
    return buf;
}

/* ---- HTML ------------------------------------------------------------------------------------ */

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

/* s escaped for HTML, as a new string (NULL: out of memory). */
static char *esc_dup(const char *s)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) return NULL;
    esc(f, s);
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* A value of a swept key: a number for people (0.85, not 0.8500000000000001), else as it is. */
static void key_value(FILE *f, const char *s)
{
    char *end, n[NUM];
    double v = strtod(s, &end);
    if (*s && !*end && isfinite(v)) fputs(people(n, v), f);
    else esc(f, s);
}

static void base64(const unsigned char *p, size_t n, char *out)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
        out[o++] = i + 1 < n ? a[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? a[v & 63] : '=';
    }
    out[o] = '\0';
}

/* The page's look: A4, one page, print colours kept. */
static const char css[] =
    "@page{size:A4;margin:10mm 12mm}"
    "*{box-sizing:border-box}"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "body{font:8.5pt/1.3 'DejaVu Sans',Verdana,sans-serif;color:#222;margin:0 auto;"
    "max-width:186mm;padding:3mm 0}"
    "h1{font-size:13pt;margin:0 0 1mm}"
    "h2{font-size:9pt;margin:1.5mm 0 0.5mm;color:#444}"
    ".q{margin:0 0 1.5mm;color:#444;font-style:italic}"
    ".answer{background:#eef4fb;border-left:3px solid #0072b2;padding:1.5mm 3mm;margin:0 0 1.5mm;"
    "font-size:9.5pt}"
    "figure{margin:0 0 1.5mm;text-align:center}"
    "figure img{width:100%;max-height:72mm;object-fit:contain}"
    "figcaption{font-size:7pt;color:#666}"
    "table{border-collapse:collapse;width:100%;font-size:7.5pt}"
    "th,td{padding:0.4mm 1.2mm;border-bottom:1px solid #ddd;text-align:right;vertical-align:top}"
    "th:first-child,td:first-child{text-align:left}"
    "th{background:#f4f4f4;font-weight:bold}"
    "td small{color:#666}"
    ".better{color:#007a4d}.worse{color:#b8410a}"
    ".cols{display:flex;gap:4mm}.cols>div{flex:1}"
    "ul{margin:0;padding-left:4mm}li{margin:0}"
    "footer{margin-top:1.5mm;font-size:7pt;color:#666;border-top:1px solid #ddd;padding-top:1mm}"
    "code{font-size:7pt}";

/* ---- reading --------------------------------------------------------------------------------- */

/* The events of the scenario as manifest.yaml lists them (one flow map a line under
 * "  events:" of the scenario block, as write.c writes them). */
static wg_status read_events(brief *b, const char *text, wg_diag *d)
{
    const char *p = strstr(text, "\nscenario:\n");
    p = p ? strstr(p, "\n  events:\n") : NULL;
    if (!p) return WG_OK;
    p += strlen("\n  events:\n");
    while (strncmp(p, "    - ", 6) == 0) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (b->nevents < MAX_EVENTS) {
            char *s = wg_malloc(len + 1, 1);
            if (!s) return wg_canvas_oom(d);
            memcpy(s, p + 6, len - 6);
            s[len - 6] = '\0';
            b->events[b->nevents++] = s;
        } else {
            b->more_events++;
        }
        if (!e) break;
        p = e + 1;
    }
    return WG_OK;
}

static wg_status read_manifest_facts(brief *b, wg_diag *d)
{
    char *path = wg_path_join(b->dir, "manifest.yaml"), *text = NULL;
    size_t len;
    if (!path) return wg_canvas_oom(d);
    wg_status st = wg_file_read(path, &text, &len, d);
    if (st == WG_OK) st = wg_scenario_yaml_scalars(text, len, path, M_NFACTS, fact_keys, b->fact, d);
    if (st == WG_OK) st = read_events(b, text, d);
    /* a compare's variants: their names and about: */
    for (int i = 0; st == WG_OK && i < WG_FOLDER_MAX_VARIANTS; i++) {
        char kn[64], ka[64];
        snprintf(kn, sizeof kn, "scenario.variants.%d.name", i);
        snprintf(ka, sizeof ka, "scenario.variants.%d.about", i);
        const char *keys[2] = {kn, ka};
        char *v[2];
        st = wg_scenario_yaml_scalars(text, len, path, 2, keys, v, d);
        if (st != WG_OK) break;
        b->var_name[i + 1] = v[0];
        b->var_about[i + 1] = v[1];
        if (!v[0]) break;
    }
    free(text);
    free(path);
    return st;
}

static wg_status read_chart(brief *b, wg_diag *d)
{
    b->chart_name = b->kind == K_COMPARE ? "compare.png" : b->kind == K_SWEEP ? "sweep.png"
                                                                             : "curves.png";
    if (!wg_folder_has(b->dir, b->chart_name)) return WG_OK;   /* said in the caveats */
    char *path = wg_path_join(b->dir, b->chart_name), *png = NULL;
    size_t len = 0;
    uint64_t size = 0;
    if (!path) return wg_canvas_oom(d);
    /* a binary file: the input door's open (its rules and cap), then the bytes as they are */
    int fd = wg_input_open(path, WG_IN_RESULT, &size, d);
    if (fd < 0) {
        free(path);
        return WG_EINPUT;
    }
    if (!(png = wg_malloc(size ? (size_t)size : 1, 1))) {
        close(fd);
        free(path);
        return wg_canvas_oom(d);
    }
    while (len < size) {
        ssize_t k = read(fd, png + len, (size_t)size - len);
        if (k <= 0) break;
        len += (size_t)k;
    }
    close(fd);
    if (len < size) {
        wg_diag_error(d, WG_EIO, "%s: cannot read it whole", path);
        free(png);
        free(path);
        return WG_EIO;
    }
    free(path);
    if (len < 8 || memcmp(png, "\x89PNG\r\n\x1a\n", 8) != 0) {
        free(png);
        wg_diag_error(d, WG_EINPUT, "%s/%s: not a PNG file", b->dir, b->chart_name);
        return WG_EINPUT;
    }
    if (!(b->chart_b64 = wg_malloc(4 * ((len + 2) / 3) + 1, 1))) {
        free(png);
        return wg_canvas_oom(d);
    }
    base64((const unsigned char *)png, len, b->chart_b64);
    free(png);
    return WG_OK;
}

/* The columns a table must have, or a message naming the first missing one. */
static wg_status need_cols(const wg_folder_table *t, const char *file, const char *const *cols,
                           wg_diag *d)
{
    for (; *cols; cols++)
        if (wg_folder_table_col(t, *cols) < 0) {
            wg_diag_error(d, WG_EINPUT, "%s: no column '%s' in the header (a file of an older "
                          "waggle? run the command again)", file, *cols);
            return WG_EINPUT;
        }
    return WG_OK;
}

static wg_status read_brief(brief *b, wg_diag *d)
{
    static const char *const finals_cols[] = {"run", "reach_positive", "reach_negative",
                                              "peak_critics", "peak_step", "steps", "blowup", NULL};
    static const char *const compare_cols[] = {"variant", "metric", "base_mean", "variant_mean",
                                               "diff_mean", "diff_lo", "diff_hi", "p_better",
                                               "p_better_lo", "p_better_hi", NULL};
    static const char *const blowup_cols[] = {"variant", "runs", "blowups", "share", "lo", "hi",
                                              NULL};
    static const char *const sweep_cols[] = {"point", "metric", "mean", "p05", "p95", NULL};
    wg_status st;
    if (wg_folder_has(b->dir, "compare.csv")) b->kind = K_COMPARE;
    else if (wg_folder_has(b->dir, "sweep.csv")) b->kind = K_SWEEP;
    else if (wg_folder_has(b->dir, "finals.csv")) b->kind = K_RUN;
    else {
        wg_diag_error(d, WG_EINPUT, "%s: not a folder of waggle run, compare or sweep (no "
                      "finals.csv, compare.csv or sweep.csv in it)", b->dir);
        return WG_EINPUT;
    }
    if ((st = wg_folder_read_info(b->dir, &b->info, d)) != WG_OK) return st;
    if (!(b->who = esc_dup(b->info.who && *b->info.who ? b->info.who : "customers"))) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    if ((st = read_manifest_facts(b, d)) != WG_OK) return st;
    switch (b->kind) {
    case K_RUN:
        if ((st = wg_folder_read_table(b->dir, "finals.csv", &b->t1, d)) == WG_OK)
            st = need_cols(&b->t1, "finals.csv", finals_cols, d);
        break;
    case K_COMPARE:
        if ((st = wg_folder_read_table(b->dir, "compare.csv", &b->t1, d)) == WG_OK)
            st = need_cols(&b->t1, "compare.csv", compare_cols, d);
        if (st == WG_OK && (st = wg_folder_read_table(b->dir, "blowup.csv", &b->t2, d)) == WG_OK)
            st = need_cols(&b->t2, "blowup.csv", blowup_cols, d);
        break;
    default:
        if ((st = wg_folder_read_table(b->dir, "sweep.csv", &b->t1, d)) == WG_OK)
            st = need_cols(&b->t1, "sweep.csv", sweep_cols, d);
        break;
    }
    if (st == WG_OK) st = read_chart(b, d);
    return st;
}

/* ---- the page's parts ------------------------------------------------------------------------ */

/* The agents' word: the scenario's unit:, else "customers" (escaped when read). */
#define WHO (b->who)

static double fact_num(const brief *b, int k)
{
    return b->fact[k] ? strtod(b->fact[k], NULL) : NAN;
}

/* Mean with its 95 % t interval, and the 5th and 95th percentiles (GSL), of column col. */
typedef struct spread {
    double mean, lo, hi, p05, p50, p95;
    size_t n;
} spread;

static wg_status spread_of(const wg_folder_table *t, int col, spread *s, wg_diag *d)
{
    double *x = wg_malloc(t->nrows ? t->nrows : 1, sizeof *x), *w = NULL;
    memset(s, 0, sizeof *s);
    if (!x || !(w = wg_malloc(t->nrows ? t->nrows : 1, sizeof *w))) {
        free(x);
        return wg_canvas_oom(d);
    }
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        double v = wg_folder_table_num(t, r, col);
        if (isfinite(v)) x[n++] = v;
    }
    wg_stats st;
    wg_stats_of(x, n, w, &st);
    wg_cmp_t_interval(x, n, &s->mean, &s->lo, &s->hi);
    s->p05 = st.p05;
    s->p50 = st.p50;
    s->p95 = st.p95;
    s->n = n;
    free(x);
    free(w);
    return WG_OK;
}

static void head(FILE *f, const brief *b)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<link rel=\"icon\" href=\"data:,\">\n<title>", f);
    esc(f, b->info.name);
    fputs(" — waggle brief</title>\n<style>", f);
    fputs(css, f);
    fputs("</style></head>\n<body>\n<header><h1>", f);
    esc(f, b->info.name);
    fputs("</h1>\n<p class=\"q\">", f);
    if (b->fact[M_ABOUT]) {
        esc(f, b->fact[M_ABOUT]);
    } else {
        char n[NUM];
        fprintf(f, "%s: what happens to the story over %s %ss?",
                b->kind == K_COMPARE ? "What each what-if changes" :
                b->kind == K_SWEEP ? "How the swept settings change the outcome" : "One scenario",
                people(n, fact_num(b, M_STEPS)), b->info.unit);
    }
    fputs("</p></header>\n", f);
}

/* The chart, shorter as the table below it grows (rows of two lines beyond the
 * fourth take CHART_SHRINK_MM each), so that the page stays one A4 page. */
#define CHART_MAX_MM 72
#define CHART_SHRINK_MM 6
static void figure(FILE *f, const brief *b, size_t rows)
{
    if (!b->chart_b64) return;
    int mm = CHART_MAX_MM - CHART_SHRINK_MM * (rows > 4 ? (int)rows - 4 : 0);
    fprintf(f, "<figure><img style=\"max-height:%dmm\" alt=\"", mm);
    esc(f, b->chart_name);
    fputs(" of this folder\" src=\"data:image/png;base64,", f);
    fputs(b->chart_b64, f);
    fputs("\"><figcaption>", f);
    esc(f, b->chart_name);
    fputs(" of this folder (`waggle render` draws it again)</figcaption></figure>\n", f);
}

/* "day 3: media {valence: negative, ...}" from "{step: 3, media: {...}}". */
static void event_line(FILE *f, const brief *b, const char *ev)
{
    unsigned step;
    int used = 0;
    if (sscanf(ev, "{step: %u, %n", &step, &used) == 1 && used > 0) {
        size_t len = strlen(ev + used);
        char *rest = wg_strdup(ev + used);
        if (rest && len && rest[len - 1] == '}') rest[len - 1] = '\0';
        fprintf(f, "<li>%s %u: <code>", b->info.unit, step);
        esc(f, rest ? rest : ev + used);
        fputs("</code></li>\n", f);
        free(rest);
        return;
    }
    fputs("<li><code>", f);
    esc(f, ev);
    fputs("</code></li>\n", f);
}

static void assumed(FILE *f, const brief *b)
{
    char n1[NUM], n2[NUM];
    fputs("<div><h2>What was assumed</h2><ul>\n", f);
    fprintf(f, "<li>%s %s, ", people(n1, b->info.agents), WHO);
    if (b->fact[M_GENERATE]) {
        fputs("a generated ", f);
        esc(f, b->fact[M_GENERATE]);
        fputs(" network", f);
    } else if (b->fact[M_FILE]) {
        fputs("the network of <code>", f);
        esc(f, b->fact[M_FILE]);
        fputs("</code>", f);
    } else {
        fputs("a network", f);
    }
    if (b->fact[M_EDGES]) fprintf(f, " with %s links", people(n2, fact_num(b, M_EDGES)));
    fputs("</li>\n", f);
    fprintf(f, "<li>%s runs of %s %ss each, seed ", people(n1, fact_num(b, M_RUNS)),
            people(n2, fact_num(b, M_STEPS)), b->info.unit);
    esc(f, b->info.seed);
    fputs("</li>\n", f);
    if (b->fact[M_SHARE_POS] || b->fact[M_SHARE_NEG]) {
        fprintf(f, "<li>a contact passes the story on with chance %s (good word) and %s "
                "(bad word)", percent(n1, fact_num(b, M_SHARE_POS)),
                percent(n2, fact_num(b, M_SHARE_NEG)));
        fputs("</li>\n", f);
    }
    if (b->fact[M_QUIT])
        fprintf(f, "<li>a talker stops talking with chance %s a %s</li>\n",
                percent(n1, fact_num(b, M_QUIT)), b->info.unit);
    else if (b->fact[M_QUIT_POS] || b->fact[M_QUIT_NEG])
        fprintf(f, "<li>a talker stops talking with chance %s (fans) and %s (critics) a %s</li>\n",
                percent(n1, fact_num(b, M_QUIT_POS)), percent(n2, fact_num(b, M_QUIT_NEG)),
                b->info.unit);
    if (b->fact[M_QUALITY])
        fprintf(f, "<li>%s of first experiences are good (quality)</li>\n",
                percent(n1, fact_num(b, M_QUALITY)));
    fprintf(f, "<li>a blow-up: more than %s of %s negative at the end (%s)</li>\n",
            percent(n1, b->info.blowup.threshold), WHO,
            people(n2, b->info.blowup.threshold * b->info.agents));
    if (b->nevents) {
        fputs("</ul></div>\n<div><h2>Timeline</h2><ul>\n", f);
        for (size_t k = 0; k < b->nevents; k++) event_line(f, b, b->events[k]);
        if (b->more_events)
            fprintf(f, "<li>and %zu more event%s (manifest.yaml)</li>\n", b->more_events,
                    b->more_events == 1 ? "" : "s");
    }
    fputs("</ul></div>\n", f);
}

static void footer(FILE *f, const brief *b)
{
    fputs("<footer>How to reproduce: <code>", f);
    esc(f, b->info.command);
    fputs("</code> — waggle ", f);
    esc(f, b->info.version);
    if (b->fact[M_REVISION]) {
        fputs(" (revision ", f);
        esc(f, b->fact[M_REVISION]);
        fputs(")", f);
    }
    fputs(", seed ", f);
    esc(f, b->info.seed);
    fprintf(f, ". These are simulated %s under the assumptions above, not a forecast; the "
            "files of this folder hold every number.</footer>\n</body></html>\n", WHO);
}

/* Caveats common to every kind: few runs, a network in pieces, a missing chart. */
static void caveats_common(FILE *f, const brief *b)
{
    char n1[NUM], n2[NUM], n3[NUM];
    double runs = fact_num(b, M_RUNS);
    if (runs < FEW_RUNS)
        fprintf(f, "<li>Only %s runs: the intervals are rough.</li>\n", people(n1, runs));
    double comp = fact_num(b, M_COMPONENTS);
    if (comp > 1)
        fprintf(f, "<li>The network is in %s pieces; the largest holds %s of the %s %s, and "
                "word of mouth never crosses between pieces.</li>\n", people(n1, comp),
                people(n2, fact_num(b, M_LARGEST)), people(n3, b->info.agents), WHO);
    if (!b->chart_b64)
        fprintf(f, "<li>The folder has no %s (<code>waggle render</code> draws it).</li>\n",
                b->chart_name);
}

/* ---- a run folder ---------------------------------------------------------------------------- */

static wg_status page_run(FILE *f, const brief *b, wg_diag *d)
{
    const wg_folder_table *t = &b->t1;
    static const struct {
        const char *col, *words, *after_who;   /* after_who NULL: no unit in the words */
    } rows[] = {{"reach_negative", "negative ", " at the end (critics and rejecters)"},
                {"reach_positive", "positive ", " at the end (advocates and supporters)"},
                {"peak_critics", "most critics at once", NULL},
                {"peak_step", "step of that peak", NULL},
                {"answers", "critics answered", NULL},
                {"cost", "cost of the answers", NULL}};
    spread sp[6];
    int have[6];
    wg_status st = WG_OK;
    for (int k = 0; k < 6 && st == WG_OK; k++) {
        int c = wg_folder_table_col(t, rows[k].col);
        have[k] = c >= 0;
        if (have[k]) st = spread_of(t, c, &sp[k], d);
    }
    if (st != WG_OK) return st;
    int cb = wg_folder_table_col(t, "blowup"), cs = wg_folder_table_col(t, "steps");
    uint32_t blow = 0, runs = 0, died = 0;
    const double steps = fact_num(b, M_STEPS);
    for (size_t r = 0; r < t->nrows; r++) {
        runs++;
        blow += wg_folder_table_num(t, r, cb) == 1;
        died += wg_folder_table_num(t, r, cs) < steps;
    }
    double blo, bhi;
    wg_wilson(blow, runs, WG_Z95, &blo, &bhi);
    char a[NUM], l[NUM], h[NUM], p[NUM], s1[NUM], s2[NUM], s3[NUM], s4[NUM];
    head(f, b);
    fprintf(f, "<p class=\"answer\">After %s %ss, <b>%s %s</b> are negative on average (95 %% "
            "interval %s to %s), and %s positive; the story blows up in <b>%s of runs</b> (95 %%: "
            "%s to %s).</p>\n", people(s1, steps), b->info.unit, people(a, sp[0].mean), WHO,
            people(l, sp[0].lo), people(h, sp[0].hi), people(p, sp[1].mean),
            percent(s2, runs ? (double)blow / runs : NAN), percent(s3, blo), percent(s4, bhi));
    figure(f, b, 0);
    fputs("<table><tr><th>figure, over runs</th><th>average</th><th>95 % interval of the "
          "average</th><th>median run</th><th>5 % of runs below</th><th>5 % of runs above"
          "</th></tr>\n", f);
    for (int k = 0; k < 6; k++) {
        if (!have[k] || (k >= 4 && !(sp[k].p95 > 0))) continue;   /* no answers: no rows */
        fprintf(f, "<tr><td>%s%s%s</td><td>%s</td><td>%s to %s</td><td>%s</td><td>%s</td><td>%s"
                "</td></tr>\n", rows[k].words, rows[k].after_who ? WHO : "",
                rows[k].after_who ? rows[k].after_who : "", people(a, sp[k].mean), people(l, sp[k].lo),
                people(h, sp[k].hi), people(p, sp[k].p50), people(s1, sp[k].p05),
                people(s2, sp[k].p95));
    }
    fputs("</table>\n<div class=\"cols\">\n", f);
    assumed(f, b);
    fputs("<div><h2>Caveats</h2><ul>\n", f);
    fprintf(f, "<li>Blow-ups: %u of %u runs (%s, 95 %% %s to %s) end with more than %s %s "
            "negative.</li>\n", blow, runs, percent(a, runs ? (double)blow / runs : NAN),
            percent(l, blo), percent(h, bhi),
            people(p, b->info.blowup.threshold * b->info.agents), WHO);
    if (died)
        fprintf(f, "<li>In %u of %u runs the story died out before the last %s.</li>\n", died,
                runs, b->info.unit);
    fputs("<li>The average hides the spread: the 5 % and 95 % columns say how far single runs "
          "go.</li>\n", f);
    caveats_common(f, b);
    fputs("</ul></div></div>\n", f);
    footer(f, b);
    return WG_OK;
}

/* ---- a compare folder ------------------------------------------------------------------------ */

/* One row of compare.csv: variant v, metric name m; -1 when there is none. */
static long cmp_row(const wg_folder_table *t, const char *variant, const char *metric)
{
    int cv = wg_folder_table_col(t, "variant"), cm = wg_folder_table_col(t, "metric");
    for (size_t r = 0; r < t->nrows; r++)
        if (strcmp(wg_folder_table_str(t, r, cv), variant) == 0 &&
            strcmp(wg_folder_table_str(t, r, cm), metric) == 0)
            return (long)r;
    return -1;
}

static double cmp_num(const wg_folder_table *t, long r, const char *col)
{
    return r < 0 ? NAN : wg_folder_table_num(t, (size_t)r, wg_folder_table_col(t, col));
}

/* "205 fewer (95 %: 151 to 260 fewer)", "no clear change (95 %: 64 fewer to 70 more)";
 * dir = -1 when less is better (the class marks it). */
static void change(FILE *f, double m, double lo, double hi, int dir, const char *less,
                   const char *more)
{
    char a[NUM], l[NUM], h[NUM];
    if (!isfinite(m)) {
        fputs("–", f);
        return;
    }
    const char *cls = dir * m > 0 ? "better" : dir * m < 0 ? "worse" : "";
    if (isfinite(lo) && isfinite(hi) && lo <= 0 && hi >= 0 && !(lo == 0 && hi == 0)) {
        fprintf(f, "no clear change <small>(95 %%: %s %s to %s %s)</small>", people(l, -lo), less,
                people(h, hi), more);
        return;
    }
    const int up = m > 0;
    fprintf(f, "<span class=\"%s\">%s %s</span>", cls, people(a, fabs(m)), up ? more : less);
    if (isfinite(lo) && isfinite(hi))
        fprintf(f, " <small>(95 %%: %s to %s)</small>", people(l, up ? lo : -hi),
                people(h, up ? hi : -lo));
}

static void odds(FILE *f, double share, double lo, double hi)
{
    char a[NUM], l[NUM], h[NUM];
    fprintf(f, "%s <small>(%s to %s)</small>", percent(a, share), percent(l, lo), percent(h, hi));
}

/* The about: of variant `name`, or NULL. */
static const char *about_of(const brief *b, const char *name)
{
    for (int i = 1; i <= WG_FOLDER_MAX_VARIANTS && b->var_name[i]; i++)
        if (strcmp(b->var_name[i], name) == 0) return b->var_about[i];
    return NULL;
}

static wg_status page_compare(FILE *f, const brief *b, wg_diag *d)
{
    (void)d;
    const wg_folder_table *t = &b->t1, *bl = &b->t2;
    const int take_off = b->info.blowup.valence == WG_POS;
    const char *head_metric = take_off ? "reach_positive" : "reach_negative";
    const int hdir = take_off ? 1 : -1;
    char hwords[160];
    snprintf(hwords, sizeof hwords, "%s %s", take_off ? "positive" : "negative", WHO);
    int cv = wg_folder_table_col(t, "variant");
    /* the variants in file order, each once */
    const char *var[64];
    size_t nvar = 0;
    for (size_t r = 0; r < t->nrows && nvar < 64; r++) {
        const char *v = wg_folder_table_str(t, r, cv);
        if (!nvar || strcmp(var[nvar - 1], v) != 0) var[nvar++] = v;
    }
    /* the best on the headline metric */
    long best = -1;
    double best_gain = -INFINITY;
    for (size_t i = 0; i < nvar; i++) {
        double g = hdir * cmp_num(t, cmp_row(t, var[i], head_metric), "diff_mean");
        if (isfinite(g) && g > best_gain) {
            best_gain = g;
            best = (long)i;
        }
    }
    char a[NUM], l[NUM], h[NUM], s1[NUM];
    head(f, b);
    fputs("<p class=\"answer\">", f);
    if (best < 0) {
        fputs("compare.csv holds no difference to report.", f);
    } else {
        long r = cmp_row(t, var[best], head_metric);
        double m = cmp_num(t, r, "diff_mean"), lo = cmp_num(t, r, "diff_lo"),
               hi = cmp_num(t, r, "diff_hi"), pb = cmp_num(t, r, "p_better"),
               plo = cmp_num(t, r, "p_better_lo"), phi = cmp_num(t, r, "p_better_hi");
        /* "best" only for a gain whose interval stays on the better side */
        const int clear = best_gain > 0 && (hdir > 0 ? lo > 0 : hi < 0);
        fprintf(f, "%s of the %zu what-ifs, <b>", clear ? "Best" : "Closest to a gain", nvar);
        esc(f, var[best]);
        fputs("</b>", f);
        const char *ab = about_of(b, var[best]);
        if (ab) {
            fputs(" (", f);
            esc(f, ab);
            fputs(")", f);
        }
        fprintf(f, " against the base after %s %ss: ", people(s1, fact_num(b, M_STEPS)),
                b->info.unit);
        change(f, m, lo, hi, hdir, "fewer", "more");
        fprintf(f, " %s; it does better in <b>%s of paired runs</b> (95 %%: %s to %s).", hwords,
                percent(a, pb), percent(l, plo), percent(h, phi));
        if ((hdir * lo > 0 && phi < 0.5) || (hdir * hi < 0 && plo > 0.5))
            fputs(" Most runs and the average point opposite ways: a few runs with large "
                  "differences pull the average.", f);
    }
    fputs("</p>\n", f);
    figure(f, b, nvar < MAX_TABLE_ROWS ? nvar : MAX_TABLE_ROWS);
    fprintf(f, "<table><tr><th>what-if, against the base</th><th>%s at the end</th>"
            "<th>%s at the end</th><th>saved / lost a run</th><th>worst 5 %% of runs</th>"
            "<th>blow-up odds</th><th>better in</th></tr>\n",
            hwords, take_off ? "negative" : "positive");
    const char *other = take_off ? "reach_negative" : "reach_positive";
    int bv = wg_folder_table_col(bl, "variant");
    /* the base: its levels and its blow-up odds */
    {
        long r = nvar ? cmp_row(t, var[0], head_metric) : -1, ro = nvar ? cmp_row(t, var[0], other) : -1;
        long rp = nvar ? cmp_row(t, var[0], "reach_negative_p95") : -1;
        fprintf(f, "<tr><td><b>base</b></td><td>%s</td><td>%s</td><td>–</td><td>%s</td><td>",
                people(a, cmp_num(t, r, "base_mean")), people(l, cmp_num(t, ro, "base_mean")),
                take_off ? "–" : people(h, cmp_num(t, rp, "base_mean")));
        for (size_t k = 0; k < bl->nrows; k++)
            if (strcmp(wg_folder_table_str(bl, k, bv), "base") == 0) {
                odds(f, wg_folder_table_num(bl, k, wg_folder_table_col(bl, "share")),
                     wg_folder_table_num(bl, k, wg_folder_table_col(bl, "lo")),
                     wg_folder_table_num(bl, k, wg_folder_table_col(bl, "hi")));
                break;
            }
        fputs("</td><td>–</td></tr>\n", f);
    }
    /* the first MAX_TABLE_ROWS what-ifs in file order; when the answer's is beyond them,
     * it takes the last row */
    size_t shown = nvar < MAX_TABLE_ROWS ? nvar : MAX_TABLE_ROWS;
    for (size_t row = 0; row < shown; row++) {
        size_t i = row + 1 == shown && best >= (long)shown ? (size_t)best : row;
        long r = cmp_row(t, var[i], head_metric), ro = cmp_row(t, var[i], other);
        long rs = cmp_row(t, var[i], "saved"), rl = cmp_row(t, var[i], "lost");
        long rp = cmp_row(t, var[i], "reach_negative_p95");
        fputs("<tr><td>", f);
        esc(f, var[i]);
        const char *ab = about_of(b, var[i]);
        if (ab) {
            fputs("<br><small>", f);
            esc(f, ab);
            fputs("</small>", f);
        }
        fputs("</td><td>", f);
        change(f, cmp_num(t, r, "diff_mean"), cmp_num(t, r, "diff_lo"), cmp_num(t, r, "diff_hi"),
               hdir, "fewer", "more");
        fputs("</td><td>", f);
        change(f, cmp_num(t, ro, "diff_mean"), cmp_num(t, ro, "diff_lo"),
               cmp_num(t, ro, "diff_hi"), -hdir, "fewer", "more");
        fputs("</td><td>", f);
        double sv = cmp_num(t, rs, "diff_mean"), ls = cmp_num(t, rl, "diff_mean");
        if (isfinite(sv) && isfinite(ls))
            fprintf(f, "%s / %s", people(a, sv), people(l, ls));
        else
            fputs("–", f);
        fputs("</td><td>", f);
        if (take_off) fputs("–", f);
        else
            change(f, cmp_num(t, rp, "diff_mean"), cmp_num(t, rp, "diff_lo"),
                   cmp_num(t, rp, "diff_hi"), -1, "fewer", "more");
        fputs("</td><td>", f);
        for (size_t k = 0; k < bl->nrows; k++)
            if (strcmp(wg_folder_table_str(bl, k, bv), var[i]) == 0) {
                odds(f, wg_folder_table_num(bl, k, wg_folder_table_col(bl, "share")),
                     wg_folder_table_num(bl, k, wg_folder_table_col(bl, "lo")),
                     wg_folder_table_num(bl, k, wg_folder_table_col(bl, "hi")));
                break;
            }
        fputs("</td><td>", f);
        odds(f, cmp_num(t, r, "p_better"), cmp_num(t, r, "p_better_lo"),
             cmp_num(t, r, "p_better_hi"));
        fputs("</td></tr>\n", f);
    }
    if (shown < nvar)
        fprintf(f, "<tr><td colspan=\"7\">and %zu more what-ifs in compare.csv</td></tr>\n",
                nvar - shown);
    fputs("</table>\n<div class=\"cols\">\n", f);
    assumed(f, b);
    fputs("<div><h2>Caveats</h2><ul>\n", f);
    fputs("<li>Each what-if runs with the base's random numbers (run by run), so a difference "
          "is the lever's own; intervals are 95 %: of the mean difference over run pairs, of "
          "the share of better pairs and of the blow-up odds (Wilson), of the worst 5 % "
          "(bootstrap).</li>\n", f);
    fprintf(f, "<li>Saved / lost: %s negative in the base's run and not in the what-if's, and "
            "the reverse, on average per run pair; their difference is the change in negative "
            "%s.</li>\n", WHO, WHO);
    for (size_t i = 0; i < nvar; i++) {
        long r = cmp_row(t, var[i], head_metric);
        double lo = cmp_num(t, r, "diff_lo"), hi = cmp_num(t, r, "diff_hi");
        double plo = cmp_num(t, r, "p_better_lo"), phi = cmp_num(t, r, "p_better_hi");
        if ((hdir * lo > 0 && phi < 0.5) || (hdir * hi < 0 && plo > 0.5)) {
            fputs("<li>", f);
            esc(f, var[i]);
            fputs(": most paired runs and the average point opposite ways (a few runs with "
                  "large differences).</li>\n", f);
        }
        if (!isfinite(cmp_num(t, cmp_row(t, var[i], "saved"), "diff_mean"))) {
            fputs("<li>", f);
            esc(f, var[i]);
            fprintf(f, " runs on another network: no saved and lost %s.</li>\n", WHO);
        }
    }
    caveats_common(f, b);
    fputs("</ul></div></div>\n", f);
    footer(f, b);
    return WG_OK;
}

/* ---- a sweep folder -------------------------------------------------------------------------- */

static wg_status page_sweep(FILE *f, const brief *b, wg_diag *d)
{
    (void)d;
    const wg_folder_table *t = &b->t1;
    int cp = wg_folder_table_col(t, "point"), cm = wg_folder_table_col(t, "metric");
    int cmean = wg_folder_table_col(t, "mean"), c05 = wg_folder_table_col(t, "p05"),
        c95 = wg_folder_table_col(t, "p95");
    /* the swept keys: the columns between point and metric */
    const int nkeys = cm - cp - 1;
    const char *neg = wg_final_metric_name(WG_F_REACH_NEG), *pos = wg_final_metric_name(WG_F_REACH_POS);
    const char *blow = wg_final_metric_name(WG_F_BLOWUP);
    long lo_r = -1, hi_r = -1;
    size_t npoints = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(wg_folder_table_str(t, r, cm), neg) != 0) continue;
        npoints++;
        double v = wg_folder_table_num(t, r, cmean);
        if (lo_r < 0 || v < wg_folder_table_num(t, (size_t)lo_r, cmean)) lo_r = (long)r;
        if (hi_r < 0 || v > wg_folder_table_num(t, (size_t)hi_r, cmean)) hi_r = (long)r;
    }
    char a[NUM], l[NUM], h[NUM];
    head(f, b);
    fputs("<p class=\"answer\">", f);
    if (lo_r < 0) {
        fputs("sweep.csv holds no negative reach to report.", f);
    } else {
        fprintf(f, "Over %zu settings, negative %s at the end are fewest at <b>", npoints, WHO);
        for (int k = 0; k < nkeys; k++) {
            if (k) fputs(", ", f);
            esc(f, t->cell[cp + 1 + k]);
            fputs(" = ", f);
            key_value(f, wg_folder_table_str(t, (size_t)lo_r, cp + 1 + k));
        }
        fprintf(f, "</b>: %s on average (90 %% of runs between %s and %s); most at ",
                people(a, wg_folder_table_num(t, (size_t)lo_r, cmean)),
                people(l, wg_folder_table_num(t, (size_t)lo_r, c05)),
                people(h, wg_folder_table_num(t, (size_t)lo_r, c95)));
        for (int k = 0; k < nkeys; k++) {
            if (k) fputs(", ", f);
            esc(f, t->cell[cp + 1 + k]);
            fputs(" = ", f);
            key_value(f, wg_folder_table_str(t, (size_t)hi_r, cp + 1 + k));
        }
        fprintf(f, ": %s.", people(a, wg_folder_table_num(t, (size_t)hi_r, cmean)));
    }
    fputs("</p>\n", f);
    figure(f, b, 0);
    fputs("<table><tr>", f);
    for (int k = 0; k < nkeys; k++) {
        fputs("<th>", f);
        esc(f, t->cell[cp + 1 + k]);
        fputs("</th>", f);
    }
    fprintf(f, "<th>negative %s at the end <small>(90 %% of runs)</small></th><th>positive %s"
            " at the end <small>(90 %% of runs)</small></th><th>blow-ups</th></tr>\n", WHO, WHO);
    size_t shown = 0;
    for (size_t r = 0; r < t->nrows && shown < MAX_TABLE_ROWS; r++) {
        if (strcmp(wg_folder_table_str(t, r, cm), neg) != 0) continue;
        shown++;
        const char *point = wg_folder_table_str(t, r, cp);
        long rp = -1, rb = -1;
        for (size_t q = 0; q < t->nrows; q++)
            if (strcmp(wg_folder_table_str(t, q, cp), point) == 0) {
                if (strcmp(wg_folder_table_str(t, q, cm), pos) == 0) rp = (long)q;
                if (strcmp(wg_folder_table_str(t, q, cm), blow) == 0) rb = (long)q;
            }
        fputs("<tr>", f);
        for (int k = 0; k < nkeys; k++) {
            fputs("<td>", f);
            key_value(f, wg_folder_table_str(t, r, cp + 1 + k));
            fputs("</td>", f);
        }
        fprintf(f, "<td>%s <small>(%s to %s)</small></td>", people(a, wg_folder_table_num(t, r, cmean)),
                people(l, wg_folder_table_num(t, r, c05)), people(h, wg_folder_table_num(t, r, c95)));
        if (rp >= 0)
            fprintf(f, "<td>%s <small>(%s to %s)</small></td>",
                    people(a, wg_folder_table_num(t, (size_t)rp, cmean)),
                    people(l, wg_folder_table_num(t, (size_t)rp, c05)),
                    people(h, wg_folder_table_num(t, (size_t)rp, c95)));
        else
            fputs("<td>–</td>", f);
        fprintf(f, "<td>%s</td></tr>\n",
                rb >= 0 ? percent(a, wg_folder_table_num(t, (size_t)rb, cmean)) : "–");
    }
    if (shown < npoints)
        fprintf(f, "<tr><td colspan=\"%d\">and %zu more settings in sweep.csv</td></tr>\n",
                nkeys + 3, npoints - shown);
    fputs("</table>\n<div class=\"cols\">\n", f);
    assumed(f, b);
    fputs("<div><h2>Caveats</h2><ul>\n<li>Each setting's figures are over its own runs: the "
          "ranges say where 90 % of single runs end, not how sure the average is.</li>\n", f);
    caveats_common(f, b);
    fputs("</ul></div></div>\n", f);
    footer(f, b);
    return WG_OK;
}

/* ---- the page -------------------------------------------------------------------------------- */

wg_status wg_brief_write(const char *dir, const char *out, wg_diag *d)
{
    brief b;
    memset(&b, 0, sizeof b);
    b.dir = dir;
    wg_status st = read_brief(&b, d);
    char *odir = NULL;
    const char *oname = "brief.html";
    if (st == WG_OK && out) {
        const char *slash = strrchr(out, '/');
        odir = slash ? wg_malloc((size_t)(slash - out) + 2, 1) : wg_strdup(".");
        if (!odir) st = wg_canvas_oom(d);
        else if (slash) {
            memcpy(odir, out, (size_t)(slash - out) + (slash == out));
            odir[(size_t)(slash - out) + (slash == out)] = '\0';
        }
        oname = slash ? slash + 1 : out;
        if (st == WG_OK && !*oname) {
            wg_diag_error(d, st = WG_EINPUT, "-o %s: expected a file name, not a folder", out);
        }
    }
    wg_out o;
    if (st == WG_OK && (st = wg_out_open(&o, odir ? odir : dir, oname, d)) == WG_OK) {
        st = b.kind == K_COMPARE ? page_compare(o.f, &b, d)
             : b.kind == K_SWEEP ? page_sweep(o.f, &b, d)
                                 : page_run(o.f, &b, d);
        if (st == WG_OK) st = wg_out_commit(&o, d);
        else wg_out_abort(&o);
    }
    free(odir);
    brief_free(&b);
    return st;
}
