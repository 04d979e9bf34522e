/*
 * render.c — the charts: curves.png, states.png, finals.png of a run and
 * compare.png of a comparison, drawn with cairo on an image surface and
 * written with libpng. The only file of waggle that includes cairo.h and
 * png.h.
 *
 * Invariants:
 * 1. A chart is a pure function of the files of its folder and the options:
 *    it is always drawn from the CSV text (never from the engine's memory),
 *    the PNG has no time chunk and its text chunks come from manifest.yaml,
 *    so `waggle render DIR` reproduces the bytes `waggle run` wrote.
 * 2. Data are drawn only inside the plot area (cairo clip); the legend sits
 *    above the plot area, never over the data.
 * 3. Count axes start at zero. Empty data, one run or no spread still give a
 *    labelled chart (a note in the plot area says what is missing).
 * 4. Colours are Okabe–Ito (safe for colour-blind readers): blue for
 *    positive, orange for negative.
 */
#include <cairo.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "waggle/output.h"
#include "waggle/render.h"

/* ---- colours (Okabe & Ito 2008) ------------------------------------------------ */

typedef struct rgb {
    double r, g, b;
} rgb;

#define HEX(h) {((h) >> 16 & 255) / 255.0, ((h) >> 8 & 255) / 255.0, ((h)&255) / 255.0}
static const rgb C_POS = HEX(0x0072B2);     /* blue: positive */
static const rgb C_NEG = HEX(0xE69F00);     /* orange: negative */
static const rgb C_POS_QUIET = HEX(0x56B4E9); /* sky blue: supporters */
static const rgb C_NEG_DARK = HEX(0xD55E00);  /* vermillion: blow-ups */
static const rgb C_NEG_QUIET = HEX(0xF3CF80); /* light orange: rejecters */
static const rgb C_UNAWARE = HEX(0xE4E4E4);
static const rgb C_IMMUNE = HEX(0x8C8C8C);
static const rgb C_TEXT = HEX(0x202020);
static const rgb C_MUTED = HEX(0x606060);
static const rgb C_GRID = HEX(0xE2E2E2);
static const rgb C_AXIS = HEX(0x404040);
static const rgb C_OBS = HEX(0x000000);
/* variants of compare.png after the base (grey): distinct from each other */
static const rgb C_VARIANTS[] = {HEX(0xD55E00), HEX(0x009E73), HEX(0xCC79A7), HEX(0x56B4E9),
                                 HEX(0x0072B2), HEX(0xE69F00)};
static const rgb C_BASE = HEX(0x505050);
#define NVARCOL (sizeof C_VARIANTS / sizeof C_VARIANTS[0])
#define BAND_OUTER_ALPHA 0.16   /* p05–p95 */
#define BAND_INNER_ALPHA 0.30   /* p25–p75 */

/* ---- sizes at 1600×900 and 96 dpi, in pixels (scaled by u) ---------------------- */

#define S_MARGIN 28.0
#define S_TITLE 36.0
#define S_SUBTITLE 22.0
#define S_TICK 19.0
#define S_LABEL 21.0
#define S_LEGEND 20.0
#define S_NOTE 20.0
#define S_LINE 4.5
#define S_GAP 12.0
#define TICKS_TARGET 6          /* about this many ticks on an axis */
#define LOG_SPAN 100.0          /* finals: a log axis when max / min positive ≥ this */
#define LOG_BINS_PER_DECADE 4
#define LIN_BINS_TARGET 30
#define MAX_LEGEND 16
#define MAX_FIELDS 64           /* columns of a CSV line we look at */

/* ---- small helpers ---------------------------------------------------------------- */

static char *path_join(const char *dir, const char *name)
{
    char *p = wg_malloc(strlen(dir) + strlen(name) + 2, 1);
    if (p) sprintf(p, "%s/%s", dir, name);
    return p;
}

static int file_exists(const char *dir, const char *name)
{
    char p[PATH_MAX];   /* no allocation: a failed one must not read as "absent" */
    struct stat st;
    if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, name) >= sizeof p) return 0;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A whole file into memory, NUL-terminated. */
static wg_status slurp(const char *path, char **out, size_t *len, wg_diag *d)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    if (!f) {
        wg_diag_error(d, WG_EINPUT, "%s: cannot read: %s", path, strerror(errno));
        return WG_EINPUT;
    }
    for (;;) {
        if (cap - n < 4096) {
            char *t = wg_realloc(buf, cap = cap ? 2 * cap : 8192, 1);
            if (!t) {
                free(buf);
                fclose(f);
                wg_diag_error(d, WG_ENOMEM, "%s: out of memory while reading", path);
                return WG_ENOMEM;
            }
            buf = t;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        wg_diag_error(d, WG_EIO, "%s: cannot read", path);
        return WG_EIO;
    }
    buf[n] = '\0';
    *out = buf;
    if (len) *len = n;
    return WG_OK;
}

/* ---- CSV: one line at a time ------------------------------------------------------ */

/* A CSV text being read: comment lines (#) and blank lines are skipped; the
 * first other line is the header. Fields may be quoted ("a, b" and ""). */
typedef struct csv {
    const char *name;       /* for messages */
    char *text, *at;
    unsigned line;
    char *head[MAX_FIELDS];
    int nhead;
    char *f[MAX_FIELDS];
    int nf;
} csv;

/* Split the next data line in place into c->f; 0 at the end. */
static int csv_next(csv *c)
{
    for (;;) {
        if (!*c->at) return 0;
        char *s = c->at, *e = strchr(s, '\n');
        c->at = e ? e + 1 : s + strlen(s);
        if (e) *e = '\0';
        c->line++;
        size_t L = strlen(s);
        if (L && s[L - 1] == '\r') s[--L] = '\0';
        if (!L || s[0] == '#') continue;
        c->nf = 0;
        char *w = s;
        for (;;) {
            char *start = w;
            if (*s == '"') {
                s++;
                while (*s && !(*s == '"' && s[1] != '"')) {
                    if (*s == '"') s++;
                    *w++ = *s++;
                }
                if (*s == '"') s++;
                while (*s && *s != ',') s++;
            } else {
                while (*s && *s != ',') *w++ = *s++;
            }
            int more = *s == ',';
            if (more) s++;
            *w++ = '\0';
            if (c->nf < MAX_FIELDS) c->f[c->nf++] = start;
            if (!more) break;
            w = s;
        }
        return 1;
    }
}

static wg_status csv_open(csv *c, const char *dir, const char *name, wg_diag *d)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    char *p = path_join(dir, name);
    if (!p) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    wg_status st = slurp(p, &c->text, NULL, d);
    free(p);
    if (st != WG_OK) return st;
    c->at = c->text;
    if (!csv_next(c)) {
        wg_diag_error(d, WG_EINPUT, "%s: empty (expected a header line)", name);
        free(c->text);
        c->text = NULL;
        return WG_EINPUT;
    }
    c->nhead = c->nf;
    memcpy(c->head, c->f, sizeof c->f);
    return WG_OK;
}

static void csv_close(csv *c)
{
    free(c->text);
    c->text = NULL;
}

/* Index of column `name`, or -1 with an error. */
static int csv_col(csv *c, const char *name, wg_diag *d)
{
    for (int i = 0; i < c->nhead; i++)
        if (strcmp(c->head[i], name) == 0) return i;
    wg_diag_error(d, WG_EINPUT, "%s:%u: no column '%s' in the header", c->name, c->line, name);
    return -1;
}

/* Field i of the current line as a number (NaN, Inf accepted). */
static int csv_num(csv *c, int i, double *out, wg_diag *d)
{
    char *end;
    const char *t = i < c->nf ? c->f[i] : "";
    errno = 0;
    double v = strtod(t, &end);
    if (!*t || *end || errno == ERANGE) {
        wg_diag_error(d, WG_EINPUT, "%s:%u: column %s: expected a number, got '%s'", c->name,
                      c->line, c->head[i], t);
        return 0;
    }
    *out = v;
    return 1;
}

/* ---- the data of a run folder ------------------------------------------------------- */

enum { Q05, Q25, Q50, Q75, Q95, NQ };
enum { V_POS, V_NEG, NVAL };

typedef struct runinfo {
    char *name, *seed, *runs, *version, *command, *unit;
    char *obs_file, *obs_x, *obs_y, *obs_metric;
    double obs_scale;     /* 0: not given */
    double agents;        /* network.nodes; 0: unknown */
    double blowup;        /* blowup.threshold */
    int blowup_pos;       /* blowup.valence is positive: finals.png shows take-offs */
} runinfo;

typedef struct rundata {
    runinfo info;
    uint32_t steps;               /* rows of summary per metric */
    double *q[NVAL][NQ];          /* reach quantiles by step */
    size_t nruns;
    double *fin_neg, *fin_pos;    /* finals by run */
    int *blow;
    wg_points obs;
} rundata;

static void info_free(runinfo *i)
{
    char **s[] = {&i->name, &i->seed, &i->runs, &i->version, &i->command, &i->unit,
                  &i->obs_file, &i->obs_x, &i->obs_y, &i->obs_metric};
    for (size_t k = 0; k < sizeof s / sizeof s[0]; k++) {
        free(*s[k]);
        *s[k] = NULL;
    }
}

static void rundata_free(rundata *r)
{
    info_free(&r->info);
    for (int v = 0; v < NVAL; v++)
        for (int q = 0; q < NQ; q++) free(r->q[v][q]);
    free(r->fin_neg);
    free(r->fin_pos);
    free(r->blow);
    wg_points_free(&r->obs);
    memset(r, 0, sizeof *r);
}

static wg_status read_manifest(const char *dir, runinfo *in, wg_diag *d)
{
    static const char *const keys[] = {
        "scenario.name", "seed", "runs", "waggle.version", "command", "scenario.step",
        "scenario.observed.file", "scenario.observed.x", "scenario.observed.y",
        "scenario.observed.metric", "scenario.observed.scale", "network.nodes",
        "scenario.blowup.threshold", "scenario.blowup.valence"};
    enum { NK = sizeof keys / sizeof keys[0] };
    char *v[NK], *text = NULL, *p = path_join(dir, "manifest.yaml");
    size_t len;
    memset(in, 0, sizeof *in);
    if (!p) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    wg_status st = slurp(p, &text, &len, d);
    if (st == WG_OK) st = wg_scenario_yaml_scalars(text, len, p, NK, keys, v, d);
    free(text);
    if (st != WG_OK) {
        free(p);
        return st;
    }
    char **dst[] = {&in->name, &in->seed, &in->runs, &in->version, &in->command, &in->unit,
                    &in->obs_file, &in->obs_x, &in->obs_y, &in->obs_metric};
    for (int k = 0; k < 10; k++) *dst[k] = v[k];
    in->obs_scale = v[10] ? strtod(v[10], NULL) : 0;
    in->agents = v[11] ? strtod(v[11], NULL) : 0;
    in->blowup = v[12] ? strtod(v[12], NULL) : 0.01;
    in->blowup_pos = v[13] && strcmp(v[13], "positive") == 0;
    for (int k = 10; k < NK; k++) free(v[k]);
    const char *fill[][2] = {{"name", "(unnamed scenario)"}, {"seed", "?"}, {"runs", "?"},
                             {"version", WG_VERSION}, {"command", "waggle"}, {"unit", "step"}};
    char **req[] = {&in->name, &in->seed, &in->runs, &in->version, &in->command, &in->unit};
    for (int k = 0; k < 6; k++)
        if (!*req[k] && !(*req[k] = wg_strdup(fill[k][1]))) {
            info_free(in);
            wg_diag_error(d, WG_ENOMEM, "out of memory");
            free(p);
            return WG_ENOMEM;
        }
    free(p);
    return WG_OK;
}

/* Grow an array of doubles to hold index i. */
static int grow(double **a, size_t *cap, size_t i)
{
    if (i < *cap) return 1;
    size_t n = *cap ? *cap : 64;
    while (n <= i) n *= 2;
    double *t = wg_realloc(*a, n, sizeof *t);
    if (!t) return 0;
    for (size_t k = *cap; k < n; k++) t[k] = NAN;
    *a = t;
    *cap = n;
    return 1;
}

static wg_status oom(wg_diag *d)
{
    wg_diag_error(d, WG_ENOMEM, "out of memory while drawing");
    return WG_ENOMEM;
}

/* Quantiles of every step of the metrics named in `names` (NVAL of them). */
static wg_status read_summary(const char *dir, const char *const names[NVAL],
                              double *q[NVAL][NQ], uint32_t *steps, wg_diag *d)
{
    static const char *const qn[NQ] = {"p05", "p25", "p50", "p75", "p95"};
    csv c;
    size_t cap[NVAL][NQ] = {{0}};
    wg_status st = csv_open(&c, dir, "summary.csv", d);
    *steps = 0;
    if (st != WG_OK) return st;
    int cs = csv_col(&c, "step", d), cm = csv_col(&c, "metric", d), cq[NQ];
    for (int k = 0; k < NQ; k++) cq[k] = csv_col(&c, qn[k], d);
    if (cs < 0 || cm < 0 || cq[0] < 0 || cq[1] < 0 || cq[2] < 0 || cq[3] < 0 || cq[4] < 0) {
        csv_close(&c);
        return WG_EINPUT;
    }
    st = WG_OK;
    while (st == WG_OK && csv_next(&c)) {
        int v = -1;
        for (int k = 0; k < NVAL; k++)
            if (cm < c.nf && strcmp(c.f[cm], names[k]) == 0) v = k;
        if (v < 0) continue;
        double t;
        if (!csv_num(&c, cs, &t, d)) {
            st = WG_EINPUT;
            break;
        }
        if (!(t >= 0 && t < 1e8 && t == floor(t))) {
            wg_diag_error(d, WG_EINPUT, "%s:%u: column step: expected a step number, got '%s'",
                          c.name, c.line, c.f[cs]);
            st = WG_EINPUT;
            break;
        }
        for (int k = 0; k < NQ && st == WG_OK; k++) {
            if (!grow(&q[v][k], &cap[v][k], (size_t)t)) st = oom(d);
            else if (!csv_num(&c, cq[k], &q[v][k][(size_t)t], d)) st = WG_EINPUT;
        }
        if ((uint32_t)t + 1 > *steps) *steps = (uint32_t)t + 1;
    }
    for (int v = 0; v < NVAL && st == WG_OK; v++)   /* every metric covers every step */
        for (int k = 0; k < NQ; k++)
            if (!grow(&q[v][k], &cap[v][k], *steps ? *steps : 1)) st = oom(d);
    csv_close(&c);
    return st;
}

static wg_status read_finals(const char *dir, rundata *r, wg_diag *d)
{
    csv c;
    size_t cap = 0, cap2 = 0;
    wg_status st = csv_open(&c, dir, "finals.csv", d);
    if (st != WG_OK) return st;
    int cn = csv_col(&c, "reach_negative", d), cp = csv_col(&c, "reach_positive", d);
    int cb = -1;
    for (int i = 0; i < c.nhead; i++)
        if (strcmp(c.head[i], "blowup") == 0) cb = i;
    if (cn < 0 || cp < 0) {
        csv_close(&c);
        return WG_EINPUT;
    }
    while (csv_next(&c)) {
        double neg, pos, b = 0;
        if (!csv_num(&c, cn, &neg, d) || !csv_num(&c, cp, &pos, d) ||
            (cb >= 0 && !csv_num(&c, cb, &b, d))) {
            st = WG_EINPUT;
            break;
        }
        size_t i = r->nruns;
        if (!grow(&r->fin_neg, &cap, i) || !grow(&r->fin_pos, &cap2, i)) {
            st = oom(d);
            break;
        }
        if (i % 64 == 0) {
            int *t = wg_realloc(r->blow, i + 64, sizeof *t);
            if (!t) {
                st = oom(d);
                break;
            }
            r->blow = t;
        }
        r->fin_neg[i] = neg;
        r->fin_pos[i] = pos;
        r->blow[i] = cb >= 0 ? b != 0
                             : r->info.agents > 0 &&
                                   (r->info.blowup_pos ? pos : neg) > r->info.blowup * r->info.agents;
        r->nruns++;
    }
    csv_close(&c);
    return st;
}

static wg_status read_obs(const char *dir, wg_points *p, wg_diag *d)
{
    csv c;
    size_t cx = 0, cy = 0;
    memset(p, 0, sizeof *p);
    if (!file_exists(dir, "observed.csv")) return WG_OK;
    wg_status st = csv_open(&c, dir, "observed.csv", d);
    if (st != WG_OK) return st;
    while (csv_next(&c)) {
        double x, y;
        if (!csv_num(&c, 0, &x, d) || !csv_num(&c, 1, &y, d)) {
            st = WG_EINPUT;
            break;
        }
        if (!grow(&p->x, &cx, p->n) || !grow(&p->y, &cy, p->n)) {
            st = oom(d);
            break;
        }
        p->x[p->n] = x;
        p->y[p->n++] = y;
    }
    csv_close(&c);
    return st;
}

static wg_status read_run(const char *dir, rundata *r, wg_diag *d)
{
    static const char *const reach[NVAL] = {"reach_positive", "reach_negative"};
    wg_status st;
    memset(r, 0, sizeof *r);
    if ((st = read_manifest(dir, &r->info, d)) != WG_OK) return st;
    if ((st = read_summary(dir, reach, r->q, &r->steps, d)) != WG_OK) return st;
    if ((st = read_finals(dir, r, d)) != WG_OK) return st;
    return read_obs(dir, &r->obs, d);
}

/* ---- observed points of a scenario ----------------------------------------------- */

void wg_points_free(wg_points *p)
{
    free(p->x);
    free(p->y);
    memset(p, 0, sizeof *p);
}

/* ---- canvas ---------------------------------------------------------------------------- */

typedef struct canvas {
    cairo_surface_t *surf;
    cairo_t *cr;
    int w, h;
    double u;     /* pixels per design pixel */
    double dpi;
} canvas;

static wg_status canvas_new(canvas *cv, const wg_render_opts *o, wg_diag *d)
{
    cv->w = o && o->width > 0 ? o->width : WG_RENDER_WIDTH;
    cv->h = o && o->height > 0 ? o->height : WG_RENDER_HEIGHT;
    cv->dpi = o && o->dpi > 0 ? o->dpi : WG_RENDER_DPI;
    double sw = cv->w / (double)WG_RENDER_WIDTH, sh = cv->h / (double)WG_RENDER_HEIGHT;
    cv->u = (sw < sh ? sw : sh) * cv->dpi / WG_RENDER_DPI;
    cv->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cv->w, cv->h);
    if (cairo_surface_status(cv->surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(cv->surf);
        cv->surf = NULL;
        wg_diag_error(d, WG_ENOMEM, "cannot make a %d×%d image: out of memory", cv->w, cv->h);
        return WG_ENOMEM;
    }
    cv->cr = cairo_create(cv->surf);
    cairo_font_options_t *fo = cairo_font_options_create();
    /* no hinting: the layout depends only on the font, not on the screen */
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cv->cr, fo);
    cairo_font_options_destroy(fo);
    cairo_set_source_rgb(cv->cr, 1, 1, 1);
    cairo_paint(cv->cr);
    return WG_OK;
}

static void canvas_free(canvas *cv)
{
    if (cv->cr) cairo_destroy(cv->cr);
    if (cv->surf) cairo_surface_destroy(cv->surf);
    cv->cr = NULL;
    cv->surf = NULL;
}

static void color(canvas *cv, rgb c, double alpha)
{
    cairo_set_source_rgba(cv->cr, c.r, c.g, c.b, alpha);
}

static void font(canvas *cv, double size, int bold)
{
    cairo_select_font_face(cv->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cv->cr, size * cv->u);
}

static double text_w(canvas *cv, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cv->cr, s, &e);
    return e.x_advance;
}

/* Text with its anchor at (x, y): ax 0 left, 0.5 centre, 1 right; ay 0 top,
 * 0.5 middle, 1 baseline (of the font's cap height). */
static void text(canvas *cv, double x, double y, double ax, double ay, const char *s)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cv->cr, &fe);
    double cap = fe.ascent * 0.72;
    cairo_move_to(cv->cr, x - ax * text_w(cv, s), y + (1 - ay) * cap);
    cairo_show_text(cv->cr, s);
}

/* Text rotated a quarter turn (a vertical axis label), centred on (x, y). */
static void text_up(canvas *cv, double x, double y, const char *s)
{
    cairo_save(cv->cr);
    cairo_translate(cv->cr, x, y);
    cairo_rotate(cv->cr, -M_PI / 2);
    text(cv, 0, 0, 0.5, 0.5, s);
    cairo_restore(cv->cr);
}

/* Shorten s with "…" until it fits in width w (in place; s has room). */
static void fit_text(canvas *cv, char *s, double w)
{
    size_t n = strlen(s);
    if (text_w(cv, s) <= w) return;
    while (n > 1) {
        n--;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;   /* UTF-8 boundary */
        memcpy(s + n, "…", sizeof "…");
        if (text_w(cv, s) <= w) return;
    }
}

/* ---- numbers and ticks ------------------------------------------------------------------ */

/* v with thousands separators and `dec` decimals: 1,234,567 or 0.25. */
static void fmt_num(char *buf, size_t cap, double v, int dec)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(v) < 0.5 * pow(10, -dec) ? 0.0 : v);
    const char *s = raw;
    char *o = buf, *end = buf + cap - 1;
    if (*s == '-') *o++ = *s++;
    size_t ilen = strcspn(s, ".");
    for (size_t i = 0; i < ilen && o < end; i++) {
        *o++ = s[i];
        if ((ilen - i - 1) % 3 == 0 && i + 1 < ilen && o < end) *o++ = ',';
    }
    for (s += ilen; *s && o < end;) *o++ = *s++;
    *o = '\0';
}

/* A nice step (1, 2 or 5 × 10^k) for about TICKS_TARGET ticks over [0, span]. */
static double nice_step(double span, int integer)
{
    if (!(span > 0)) span = 1;
    double raw = span / TICKS_TARGET, mag = pow(10, floor(log10(raw))), r = raw / mag;
    double s = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
    return integer && s < 1 ? 1 : s;
}

static int decimals_of(double step)
{
    int dec = 0;
    while (dec < 6 && fabs(step * pow(10, dec) - floor(step * pow(10, dec) + 0.5)) > 1e-9) dec++;
    return dec;
}

/* ---- axes ------------------------------------------------------------------------------ */

typedef struct axes {
    double x0, y0, x1, y1;      /* plot area */
    double xmin, xmax, ymin, ymax;
    int xlog;
} axes;

static double px(const axes *a, double x)
{
    if (a->xlog) {
        x = log10(x);
        return a->x0 + (x - log10(a->xmin)) / (log10(a->xmax) - log10(a->xmin)) * (a->x1 - a->x0);
    }
    return a->x0 + (x - a->xmin) / (a->xmax - a->xmin) * (a->x1 - a->x0);
}

static double py(const axes *a, double y)
{
    return a->y1 - (y - a->ymin) / (a->ymax - a->ymin) * (a->y1 - a->y0);
}

static void clip_plot(canvas *cv, const axes *a)
{
    cairo_save(cv->cr);
    cairo_rectangle(cv->cr, a->x0, a->y0, a->x1 - a->x0, a->y1 - a->y0);
    cairo_clip(cv->cr);
}

/* Horizontal grid lines and y tick labels every `step` from ymin; `pct`
 * appends " %". Returns nothing drawn in the plot but the light grid. */
static void y_ticks(canvas *cv, const axes *a, double step, int left, int pct, double mul)
{
    char buf[64], lab[72];
    int dec = decimals_of(step * mul);
    font(cv, S_TICK, 0);
    for (double v = a->ymin; v <= a->ymax + step * 1e-6; v += step) {
        double y = py(a, v);
        if (left) {
            color(cv, C_GRID, 1);
            cairo_set_line_width(cv->cr, 1.5 * cv->u);
            cairo_move_to(cv->cr, a->x0, floor(y) + 0.5);
            cairo_line_to(cv->cr, a->x1, floor(y) + 0.5);
            cairo_stroke(cv->cr);
        }
        fmt_num(buf, sizeof buf, v * mul, dec);
        snprintf(lab, sizeof lab, "%s%s", buf, pct ? " %" : "");
        color(cv, C_MUTED, 1);
        if (left) text(cv, a->x0 - S_GAP * cv->u, y, 1, 0.5, lab);
        else text(cv, a->x1 + S_GAP * cv->u, y, 0, 0.5, lab);
    }
}

static void x_ticks(canvas *cv, const axes *a, double step)
{
    char buf[64];
    int dec = decimals_of(step);
    font(cv, S_TICK, 0);
    color(cv, C_MUTED, 1);
    for (double v = a->xmin; v <= a->xmax + step * 1e-6; v += step) {
        fmt_num(buf, sizeof buf, v, dec);
        text(cv, px(a, v), a->y1 + S_GAP * cv->u, 0.5, 0, buf);
    }
}

static void frame_lines(canvas *cv, const axes *a)
{
    color(cv, C_AXIS, 1);
    cairo_set_line_width(cv->cr, 2 * cv->u);
    cairo_move_to(cv->cr, a->x0, a->y0);
    cairo_line_to(cv->cr, a->x0, a->y1);
    cairo_line_to(cv->cr, a->x1, a->y1);
    cairo_stroke(cv->cr);
}

static void note_in_plot(canvas *cv, const axes *a, const char *msg)
{
    font(cv, S_NOTE, 0);
    color(cv, C_MUTED, 1);
    text(cv, (a->x0 + a->x1) / 2, (a->y0 + a->y1) / 2, 0.5, 0.5, msg);
}

/* ---- title and legend --------------------------------------------------------------------- */

/* Title and subtitle at the top; returns the y below them. */
static double titles(canvas *cv, const char *title, const char *sub)
{
    char buf[512];
    double y = S_MARGIN * cv->u, w = cv->w - 2 * S_MARGIN * cv->u;
    font(cv, S_TITLE, 1);
    color(cv, C_TEXT, 1);
    snprintf(buf, sizeof buf - 4, "%s", title);
    fit_text(cv, buf, w);
    text(cv, S_MARGIN * cv->u, y, 0, 0, buf);
    y += S_TITLE * cv->u * 1.25;
    font(cv, S_SUBTITLE, 0);
    color(cv, C_MUTED, 1);
    snprintf(buf, sizeof buf - 4, "%s", sub);
    fit_text(cv, buf, w);
    text(cv, S_MARGIN * cv->u, y, 0, 0, buf);
    return y + S_SUBTITLE * cv->u * 1.6;
}

enum { SW_BAND, SW_LINE, SW_BOX, SW_POINT };
typedef struct legend_item {
    int kind;
    rgb c;
    double alpha;
    char label[256];
} legend_item;

typedef struct legend {
    legend_item it[MAX_LEGEND];
    int n;
} legend;

static void legend_add(legend *l, int kind, rgb c, double alpha, const char *label)
{
    if (l->n == MAX_LEGEND) return;
    legend_item *i = &l->it[l->n++];
    i->kind = kind;
    i->c = c;
    i->alpha = alpha;
    snprintf(i->label, sizeof i->label, "%s", label);
}

static void point_mark(canvas *cv, double x, double y, double r)
{
    /* a diamond with a white rim: visible over both colours and the bands */
    cairo_t *cr = cv->cr;
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x + r, y);
    cairo_line_to(cr, x, y + r);
    cairo_line_to(cr, x - r, y);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 2.5 * cv->u);
    cairo_stroke_preserve(cr);
    color(cv, C_OBS, 1);
    cairo_fill(cr);
}

/* Lay the legend out in rows from (x, y) within width w; draw when `draw`.
 * Returns its height. */
static double legend_flow(canvas *cv, const legend *l, double x, double y, double w, int draw)
{
    double sw = 34 * cv->u, row = S_LEGEND * 1.6 * cv->u, cx = x, cy = y;
    font(cv, S_LEGEND, 0);
    if (!l->n) return 0;
    for (int k = 0; k < l->n; k++) {
        const legend_item *i = &l->it[k];
        double iw = sw + 8 * cv->u + text_w(cv, i->label) + 26 * cv->u;
        if (cx > x && cx + iw > x + w) {
            cx = x;
            cy += row;
        }
        if (draw) {
            double my = cy + row / 2;
            cairo_t *cr = cv->cr;
            if (i->kind == SW_BAND || i->kind == SW_BOX) {
                color(cv, i->c, i->alpha);
                cairo_rectangle(cr, cx, my - 9 * cv->u, sw, 18 * cv->u);
                cairo_fill(cr);
            }
            if (i->kind == SW_LINE) {
                color(cv, i->c, 1);
                cairo_set_line_width(cr, S_LINE * cv->u);
                cairo_move_to(cr, cx, my);
                cairo_line_to(cr, cx + sw, my);
                cairo_stroke(cr);
            }
            if (i->kind == SW_POINT) point_mark(cv, cx + sw / 2, my, 8 * cv->u);
            color(cv, C_TEXT, 1);
            text(cv, cx + sw + 8 * cv->u, my, 0, 0.5, i->label);
        }
        cx += iw;
    }
    return cy + row - y;
}

/* ---- PNG ------------------------------------------------------------------------------------- */

typedef struct png_meta {
    const char *key, *value;
} png_meta;

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return 0;
    return 1;
}

static void png_fail(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

/* Write the canvas as an 8-bit RGB PNG with text chunks and no time chunk. */
static wg_status write_png(canvas *cv, const char *dir, const char *name, const png_meta *meta,
                           int nmeta, wg_diag *d)
{
    wg_out o;
    png_structp png = NULL;
    png_infop info = NULL;
    png_text txt[16];
    unsigned char *row = wg_malloc((size_t)cv->w, 3);
    if (!row) return oom(d);
    wg_status st = wg_out_open(&o, dir, name, d);
    if (st != WG_OK) {
        free(row);
        return st;
    }
    cairo_surface_flush(cv->surf);
    const unsigned char *data = cairo_image_surface_get_data(cv->surf);
    int stride = cairo_image_surface_get_stride(cv->surf);
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, NULL);
    if (png) info = png_create_info_struct(png);
    if (!png || !info) {
        st = oom(d);
        goto fail;
    }
    if (setjmp(png_jmpbuf(png))) {
        wg_diag_error(d, WG_EIO, "%s/%s: cannot write the PNG", dir, name);
        st = WG_EIO;
        goto fail;
    }
    png_init_io(png, o.f);
    png_set_IHDR(png, info, (png_uint_32)cv->w, (png_uint_32)cv->h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_uint_32 ppm = (png_uint_32)(cv->dpi / 0.0254 + 0.5);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    int nt = nmeta < 16 ? nmeta : 16;
    memset(txt, 0, sizeof txt);
    for (int i = 0; i < nt; i++) {
        /* tEXt is Latin-1: UTF-8 text (a name with accents) goes to iTXt */
        txt[i].compression = is_ascii(meta[i].value) ? PNG_TEXT_COMPRESSION_NONE
                                                     : PNG_ITXT_COMPRESSION_NONE;
        txt[i].key = (char *)meta[i].key;
        txt[i].text = (char *)meta[i].value;
    }
    png_set_text(png, info, txt, nt);
    png_write_info(png, info);
    for (int y = 0; y < cv->h; y++) {
        const uint32_t *p = (const uint32_t *)(data + (size_t)y * stride);
        for (int x = 0; x < cv->w; x++) {
            row[3 * x] = (unsigned char)(p[x] >> 16);
            row[3 * x + 1] = (unsigned char)(p[x] >> 8);
            row[3 * x + 2] = (unsigned char)p[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return wg_out_commit(&o, d);
fail:
    png_destroy_write_struct(&png, &info);
    free(row);
    wg_out_abort(&o);
    return st;
}

static wg_status finish(canvas *cv, const runinfo *in, const char *dir, const char *name,
                        wg_diag *d)
{
    char software[64];
    snprintf(software, sizeof software, "waggle %s", in->version);
    png_meta m[] = {{"Title", in->name},     {"Scenario", in->name}, {"Seed", in->seed},
                    {"Runs", in->runs},      {"Version", in->version},
                    {"Command", in->command}, {"Software", software}};
    return write_png(cv, dir, name, m, (int)(sizeof m / sizeof m[0]), d);
}

static void report_frame(wg_render_frame *f, const axes *a, double lx0, double ly0, double lx1,
                         double ly1)
{
    if (!f) return;
    f->x0 = a->x0, f->y0 = a->y0, f->x1 = a->x1, f->y1 = a->y1;
    f->xmin = a->xmin, f->xmax = a->xmax, f->ymin = a->ymin, f->ymax = a->ymax;
    f->ax0 = a->x0;
    f->xlog = a->xlog;
    f->lx0 = lx0, f->ly0 = ly0, f->lx1 = lx1, f->ly1 = ly1;
}

/* ---- layout shared by the charts ---------------------------------------------------------- */

/* The plot area below `top` (title, legend) with room for tick labels as
 * wide as `ylab_w` on the left (and `right_w` on the right), axis labels. */
static void layout(canvas *cv, axes *a, double top, double ylab_w, double right_w)
{
    double u = cv->u;
    a->x0 = S_MARGIN * u + S_LABEL * u * 1.4 + ylab_w + S_GAP * u;
    a->x1 = cv->w - S_MARGIN * u - (right_w > 0 ? right_w + S_GAP * u + S_LABEL * u * 1.4 : 0);
    a->y0 = top + S_GAP * u + S_TICK * u;
    a->y1 = cv->h - S_MARGIN * u - S_LABEL * u * 1.2 - S_TICK * u - 2 * S_GAP * u;
    if (a->x1 < a->x0 + 10) a->x1 = a->x0 + 10;
    if (a->y1 < a->y0 + 10) a->y1 = a->y0 + 10;
}

static double max_label_w(canvas *cv, double vmax, double step, double mul, const char *suffix)
{
    char buf[64], lab[72];
    font(cv, S_TICK, 0);
    fmt_num(buf, sizeof buf, vmax * mul, decimals_of(step * mul));
    snprintf(lab, sizeof lab, "%s%s", buf, suffix);
    return text_w(cv, lab);
}

static void axis_labels(canvas *cv, const axes *a, const char *xl, const char *yl)
{
    font(cv, S_LABEL, 0);
    color(cv, C_TEXT, 1);
    text(cv, (a->x0 + a->x1) / 2, cv->h - S_MARGIN * cv->u, 0.5, 1, xl);
    text_up(cv, S_MARGIN * cv->u + S_LABEL * cv->u * 0.5, (a->y0 + a->y1) / 2, yl);
}

/* x axis over steps 0 .. steps-1 in the scenario's unit. */
static double x_steps(axes *a, uint32_t steps)
{
    a->xmin = 0;
    a->xmax = steps > 1 ? steps - 1 : 1;
    return nice_step(a->xmax, 1);
}

/* The y axis from zero to a nice bound above vmax (counts: integer steps). */
static double y_count(axes *a, double vmax)
{
    if (!(vmax > 0) || !isfinite(vmax)) vmax = 1;
    double step = nice_step(vmax, 1);
    a->ymin = 0;
    a->ymax = ceil(vmax / step - 1e-9) * step;
    return step;
}

/* A band between lo and hi (p05–p95) over steps, clipped by the caller. */
static void band(canvas *cv, const axes *a, const double *lo, const double *hi, uint32_t n,
                 rgb c, double alpha)
{
    cairo_t *cr = cv->cr;
    int open = 0;
    uint32_t start = 0;
    for (uint32_t t = 0; t <= n; t++) {
        int ok = t < n && isfinite(lo[t]) && isfinite(hi[t]);
        if (ok && !open) {
            open = 1;
            start = t;
            cairo_move_to(cr, px(a, t), py(a, hi[t]));
        } else if (ok) {
            cairo_line_to(cr, px(a, t), py(a, hi[t]));
        }
        if (!ok && open) {
            for (uint32_t k = t; k-- > start;) cairo_line_to(cr, px(a, k), py(a, lo[k]));
            cairo_close_path(cr);
            open = 0;
        }
    }
    color(cv, c, alpha);
    cairo_fill(cr);
}

static void line(canvas *cv, const axes *a, const double *y, uint32_t n, rgb c, double width)
{
    cairo_t *cr = cv->cr;
    int open = 0;
    for (uint32_t t = 0; t < n; t++) {
        if (!isfinite(y[t])) {
            open = 0;
            continue;
        }
        if (!open) cairo_move_to(cr, px(a, t), py(a, y[t]));
        else cairo_line_to(cr, px(a, t), py(a, y[t]));
        open = 1;
    }
    /* a single step is a dot, not nothing */
    if (n == 1 && isfinite(y[0])) cairo_line_to(cr, px(a, 0) + 0.01, py(a, y[0]));
    color(cv, c, 1);
    cairo_set_line_width(cr, width * cv->u);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

static void sub_runs(char *buf, size_t cap, const runinfo *in, const char *extra)
{
    snprintf(buf, cap, "%s run%s, seed %s%s", in->runs, strcmp(in->runs, "1") ? "s" : "",
             in->seed, extra);
}

static const char *base_name(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : p ? p : "";
}

/* ---- curves.png ------------------------------------------------------------------------------ */

static wg_status chart_curves(const char *dir, const rundata *r, const wg_render_opts *o,
                              wg_render_frame *fr, wg_diag *d)
{
    canvas cv = {0};
    axes a = {0};
    legend lg = {0};
    char sub[512], lab[256], buf[64];
    wg_status st = canvas_new(&cv, o, d);
    if (st != WG_OK) return st;
    const runinfo *in = &r->info;
    sub_runs(sub, sizeof sub, in, ": reach of each valence, median line, bands p25–p75 and p05–p95");
    double top = titles(&cv, in->name, sub);

    /* the y range covers every band and the observed points on the agents' scale */
    double vmax = 0;
    for (int v = 0; v < NVAL; v++)
        for (uint32_t t = 0; t < r->steps; t++)
            for (int q = 0; q < NQ; q++)
                if (isfinite(r->q[v][q][t]) && r->q[v][q][t] > vmax) vmax = r->q[v][q][t];
    int obs = r->obs.n > 0, own_axis = obs && !(in->obs_scale > 0);
    double omax = 0;
    for (size_t i = 0; i < r->obs.n; i++)
        if (isfinite(r->obs.y[i]) && r->obs.y[i] > omax) omax = r->obs.y[i];
    if (obs && !own_axis && omax / in->obs_scale > vmax) vmax = omax / in->obs_scale;
    double ystep = y_count(&a, vmax), xstep = x_steps(&a, r->steps);

    /* the right axis: observed units, either tied to the left (scale) or its own */
    axes b = a;
    double rstep = 0, rmul = 1;
    if (own_axis) {
        rstep = y_count(&b, omax);
    } else if (obs) {
        rmul = in->obs_scale;
        rstep = nice_step(a.ymax * rmul, 0) / rmul;
    }

    legend_add(&lg, SW_LINE, C_POS, 1, "positive reach (advocates + supporters), median");
    legend_add(&lg, SW_LINE, C_NEG, 1, "negative reach (critics + rejecters), median");
    legend_add(&lg, SW_BAND, C_MUTED, BAND_INNER_ALPHA + BAND_OUTER_ALPHA, "half of the runs");
    legend_add(&lg, SW_BAND, C_MUTED, BAND_OUTER_ALPHA, "90 % of the runs");
    if (obs) {
        snprintf(lab, sizeof lab, "observed %s (%s)", in->obs_y ? in->obs_y : "",
                 base_name(in->obs_file));
        legend_add(&lg, SW_POINT, C_OBS, 1, lab);
    }
    double lx = S_MARGIN * cv.u, lw = cv.w - 2 * S_MARGIN * cv.u;
    double lh = legend_flow(&cv, &lg, lx, top, lw, 1);
    double rw = 0;
    if (obs)
        rw = own_axis ? max_label_w(&cv, b.ymax, rstep, 1, "")
                      : max_label_w(&cv, a.ymax, rstep, rmul, "");
    layout(&cv, &a, top + lh, max_label_w(&cv, a.ymax, ystep, 1, ""), rw);
    b.x0 = a.x0, b.x1 = a.x1, b.y0 = a.y0, b.y1 = a.y1;

    y_ticks(&cv, &a, ystep, 1, 0, 1);
    x_ticks(&cv, &a, xstep);
    if (obs && own_axis) y_ticks(&cv, &b, rstep, 0, 0, 1);
    else if (obs) {
        axes c = a;
        c.ymax = floor(a.ymax / rstep + 1e-9) * rstep;   /* right ticks within the left range */
        y_ticks(&cv, &c, rstep, 0, 0, rmul);
    }
    clip_plot(&cv, &a);
    static const rgb *cols[NVAL] = {&C_POS, &C_NEG};
    for (int v = 0; v < NVAL; v++) {
        band(&cv, &a, r->q[v][Q05], r->q[v][Q95], r->steps, *cols[v], BAND_OUTER_ALPHA);
        band(&cv, &a, r->q[v][Q25], r->q[v][Q75], r->steps, *cols[v], BAND_INNER_ALPHA);
    }
    for (int v = 0; v < NVAL; v++) line(&cv, &a, r->q[v][Q50], r->steps, *cols[v], S_LINE);
    for (size_t i = 0; i < r->obs.n; i++) {
        double y = own_axis ? py(&b, r->obs.y[i]) : py(&a, r->obs.y[i] / in->obs_scale);
        if (isfinite(r->obs.x[i]) && isfinite(y)) point_mark(&cv, px(&a, r->obs.x[i]), y, 9 * cv.u);
    }
    cairo_restore(cv.cr);
    frame_lines(&cv, &a);
    if (!r->steps) note_in_plot(&cv, &a, "no data: summary.csv has no reach rows");
    snprintf(lab, sizeof lab, "%s", in->unit);
    axis_labels(&cv, &a, lab, "agents reached");
    if (obs) {
        font(&cv, S_LABEL, 0);
        color(&cv, C_TEXT, 1);
        if (own_axis)
            snprintf(lab, sizeof lab, "observed %s (own axis: no observed.scale)",
                     in->obs_y ? in->obs_y : "");
        else {
            fmt_num(buf, sizeof buf, in->obs_scale, decimals_of(in->obs_scale));
            snprintf(lab, sizeof lab, "observed %s (%s per agent)", in->obs_y ? in->obs_y : "",
                     buf);
        }
        cairo_save(cv.cr);
        cairo_translate(cv.cr, cv.w - S_MARGIN * cv.u - S_LABEL * cv.u * 0.5, (a.y0 + a.y1) / 2);
        cairo_rotate(cv.cr, M_PI / 2);
        text(&cv, 0, 0, 0.5, 0.5, lab);
        cairo_restore(cv.cr);
    }
    report_frame(fr, &a, lx, top, lx + lw, top + lh);
    st = finish(&cv, in, dir, "curves.png", d);
    canvas_free(&cv);
    return st;
}

/* ---- states.png ------------------------------------------------------------------------------- */

static wg_status chart_states(const char *dir, const rundata *r, const wg_render_opts *o,
                              wg_render_frame *fr, wg_diag *d)
{
    static const char *const names[WG_NSTATES] = {"unaware", "advocates", "critics",
                                                   "supporters", "rejecters", "immune"};
    /* stacked bottom to top: positive, negative, immune, unaware */
    static const int order[WG_NSTATES] = {1, 3, 2, 4, 5, 0};
    const rgb cols[WG_NSTATES] = {C_UNAWARE, C_POS, C_NEG, C_POS_QUIET, C_NEG_QUIET, C_IMMUNE};
    canvas cv = {0};
    axes a = {0};
    legend lg = {0};
    csv c = {0};
    double *s[WG_NSTATES] = {0};
    size_t cap[WG_NSTATES] = {0};
    uint32_t steps = 0;
    char sub[512], buf[64];
    wg_status st;

    /* the median run by final reach (positive + negative; ties by run number) */
    long pick = -1;
    if (r->nruns) {
        size_t below = 0;
        double *tot = wg_malloc(r->nruns, sizeof *tot);
        if (!tot) return oom(d);
        for (size_t i = 0; i < r->nruns; i++) tot[i] = r->fin_pos[i] + r->fin_neg[i];
        for (size_t i = 0; i < r->nruns && pick < 0; i++) {
            size_t lt = 0, le = 0;
            for (size_t k = 0; k < r->nruns; k++) {
                lt += tot[k] < tot[i] || (tot[k] == tot[i] && k < i);
                le += tot[k] <= tot[i];
            }
            if (lt == (r->nruns - 1) / 2) pick = (long)i, below = le;
        }
        (void)below;
        free(tot);
    }
    if ((st = csv_open(&c, dir, "series.csv", d)) != WG_OK) return st;
    int crun = csv_col(&c, "run", d), cstep = csv_col(&c, "step", d), cs[WG_NSTATES];
    for (int k = 0; k < WG_NSTATES; k++) cs[k] = csv_col(&c, names[k], d);
    for (int k = 0; k < WG_NSTATES; k++)
        if (cs[k] < 0) crun = -1;
    if (crun < 0 || cstep < 0) {
        st = WG_EINPUT;
        goto done;
    }
    char want[32];
    snprintf(want, sizeof want, "%ld", pick);
    while (pick >= 0 && csv_next(&c)) {
        if (crun >= c.nf || strcmp(c.f[crun], want) != 0) continue;
        double t;
        if (!csv_num(&c, cstep, &t, d)) {
            st = WG_EINPUT;
            goto done;
        }
        if (!(t >= 0 && t < 1e8)) continue;
        for (int k = 0; k < WG_NSTATES; k++) {
            if (!grow(&s[k], &cap[k], (size_t)t)) {
                st = oom(d);
                goto done;
            }
            if (!csv_num(&c, cs[k], &s[k][(size_t)t], d)) {
                st = WG_EINPUT;
                goto done;
            }
        }
        if ((uint32_t)t + 1 > steps) steps = (uint32_t)t + 1;
    }
    if ((st = canvas_new(&cv, o, d)) != WG_OK) goto done;
    if (pick >= 0)
        snprintf(buf, sizeof buf, ": share of agents in each state in run %ld", pick);
    else
        snprintf(buf, sizeof buf, ": share of agents in each state");
    sub_runs(sub, sizeof sub, &r->info, buf);
    if (pick >= 0)
        snprintf(sub + strlen(sub), sizeof sub - strlen(sub), ", the median run by final reach");
    double top = titles(&cv, r->info.name, sub);
    for (int k = 0; k < WG_NSTATES; k++) legend_add(&lg, SW_BOX, cols[order[k]], 1, names[order[k]]);
    double lx = S_MARGIN * cv.u, lw = cv.w - 2 * S_MARGIN * cv.u;
    double lh = legend_flow(&cv, &lg, lx, top, lw, 1);
    double xstep = x_steps(&a, steps);
    a.ymin = 0;
    a.ymax = 1;
    layout(&cv, &a, top + lh, max_label_w(&cv, 100, 20, 1, " %"), 0);
    y_ticks(&cv, &a, 0.2, 1, 1, 100);
    x_ticks(&cv, &a, xstep);
    clip_plot(&cv, &a);
    double *base = wg_calloc(steps ? steps : 1, sizeof *base);
    if (!base) {
        cairo_restore(cv.cr);
        st = oom(d);
        goto done;
    }
    for (int k = 0; k < WG_NSTATES && steps; k++) {
        int st_i = order[k];
        cairo_t *cr = cv.cr;
        for (uint32_t t = 0; t < steps; t++) {
            double tot = 0;
            for (int j = 0; j < WG_NSTATES; j++) tot += isfinite(s[j][t]) ? s[j][t] : 0;
            double v = tot > 0 && isfinite(s[st_i][t]) ? s[st_i][t] / tot : 0;
            double x = steps == 1 ? (t ? a.x1 : a.x0) : px(&a, t);
            if (t == 0) cairo_move_to(cr, x, py(&a, base[t] + v));
            else cairo_line_to(cr, x, py(&a, base[t] + v));
            if (steps == 1) cairo_line_to(cr, a.x1, py(&a, base[t] + v));
        }
        for (uint32_t t = steps; t-- > 0;) {
            double x = steps == 1 ? a.x1 : px(&a, t);
            if (steps == 1) cairo_line_to(cr, x, py(&a, base[t])), x = a.x0;
            cairo_line_to(cr, x, py(&a, base[t]));
        }
        cairo_close_path(cr);
        color(&cv, cols[st_i], 1);
        cairo_fill(cr);
        for (uint32_t t = 0; t < steps; t++) {
            double tot = 0;
            for (int j = 0; j < WG_NSTATES; j++) tot += isfinite(s[j][t]) ? s[j][t] : 0;
            base[t] += tot > 0 && isfinite(s[st_i][t]) ? s[st_i][t] / tot : 0;
        }
    }
    free(base);
    cairo_restore(cv.cr);
    frame_lines(&cv, &a);
    if (!steps) note_in_plot(&cv, &a, "no data: series.csv has no rows");
    axis_labels(&cv, &a, r->info.unit, "share of agents");
    report_frame(fr, &a, lx, top, lx + lw, top + lh);
    st = finish(&cv, &r->info, dir, "states.png", d);
done:
    canvas_free(&cv);
    csv_close(&c);
    for (int k = 0; k < WG_NSTATES; k++) free(s[k]);
    return st;
}

/* ---- finals.png ------------------------------------------------------------------------------- */

static wg_status chart_finals(const char *dir, const rundata *r, const wg_render_opts *o,
                              wg_render_frame *fr, wg_diag *d)
{
    canvas cv = {0};
    axes a = {0};
    legend lg = {0};
    char sub[512], lab[256], b1[64], b2[64];
    size_t n = r->nruns, zeros = 0, nblow = 0;
    /* the reach a blow-up counts: negative, or positive (a take-off) with blowup.valence */
    const int pos = r->info.blowup_pos;
    const double *fin = pos ? r->fin_pos : r->fin_neg;
    const char *vw = pos ? "positive" : "negative";
    const rgb c_small = pos ? C_POS_QUIET : C_NEG, c_blow = pos ? C_POS : C_NEG_DARK;
    double minpos = INFINITY, vmax = 0;
    for (size_t i = 0; i < n; i++) {
        double v = fin[i];
        if (!(v > 0)) zeros++;
        else if (v < minpos) minpos = v;
        if (v > vmax) vmax = v;
        nblow += r->blow[i] != 0;
    }
    double thr = r->info.agents > 0 ? r->info.blowup * r->info.agents : NAN;
    int xlog = zeros < n && vmax / minpos >= LOG_SPAN;

    /* bins: [edge[k], edge[k+1]); on a log axis the zeros get their own bar left of it */
    enum { MAXB = 128 };
    double edge[MAXB + 1];
    size_t cnt[MAXB] = {0}, cblow[MAXB] = {0}, nb;
    if (xlog) {
        double lo = floor(log10(minpos) * LOG_BINS_PER_DECADE) / LOG_BINS_PER_DECADE;
        double hi = log10(vmax) + 1e-9;
        nb = (size_t)ceil((hi - lo) * LOG_BINS_PER_DECADE);
        if (nb < 1) nb = 1;
        if (nb > MAXB) nb = MAXB;
        for (size_t k = 0; k <= nb; k++) edge[k] = pow(10, lo + (double)k / LOG_BINS_PER_DECADE);
    } else {
        double w = nice_step(vmax > 0 ? vmax : 1, 1) * TICKS_TARGET / LIN_BINS_TARGET;
        w = w < 1 ? 1 : floor(w);
        nb = (size_t)floor(vmax / w) + 1;
        if (nb > MAXB) nb = MAXB, w = ceil((vmax + 1) / MAXB);
        for (size_t k = 0; k <= nb; k++) edge[k] = k * w;
    }
    size_t zcnt = 0, zblow = 0;
    for (size_t i = 0; i < n; i++) {
        double v = fin[i];
        if (xlog && !(v > 0)) {
            zcnt++;
            zblow += r->blow[i] != 0;
            continue;
        }
        size_t k = 0;
        while (k + 1 < nb && v >= edge[k + 1]) k++;
        cnt[k]++;
        cblow[k] += r->blow[i] != 0;
    }
    size_t cmax = zcnt;
    for (size_t k = 0; k < nb; k++)
        if (cnt[k] > cmax) cmax = cnt[k];

    wg_status st = canvas_new(&cv, o, d);
    if (st != WG_OK) return st;
    sub_runs(sub, sizeof sub, &r->info,
             pos ? ": final positive reach (advocates + supporters) of every run"
                 : ": final negative reach (critics + rejecters) of every run");
    double top = titles(&cv, r->info.name, sub);
    legend_add(&lg, SW_BOX, c_small, 1, "runs that stayed small");
    if (isfinite(thr)) {
        fmt_num(b1, sizeof b1, thr, thr == floor(thr) ? 0 : 1);
        snprintf(lab, sizeof lab, "%s: %s reach above %s agents (%g %% of %s, dashed)",
                 pos ? "take-offs" : "blow-ups", vw, b1, 100 * r->info.blowup,
                 (fmt_num(b2, sizeof b2, r->info.agents, 0), b2));
    } else {
        snprintf(lab, sizeof lab, pos ? "take-offs" : "blow-ups");
    }
    legend_add(&lg, SW_BOX, c_blow, 1, lab);
    double lx = S_MARGIN * cv.u, lw = cv.w - 2 * S_MARGIN * cv.u;
    double lh = legend_flow(&cv, &lg, lx, top, lw, 1);
    if (n) {
        /* the message of the chart, above the data: how many runs blew up */
        double med = 0;
        for (size_t i = 0; i < n; i++) {
            size_t lt = 0;
            for (size_t k = 0; k < n; k++)
                lt += fin[k] < fin[i] || (fin[k] == fin[i] && k < i);
            if (lt == (n - 1) / 2) med = fin[i];
        }
        fmt_num(b1, sizeof b1, med, med == floor(med) ? 0 : 1);
        snprintf(lab, sizeof lab, "%zu of %zu runs %s (%.1f %%); the median run ends with %s "
                 "%s agents", nblow, n, pos ? "took off" : "blew up", 100.0 * nblow / n, b1, vw);
        font(&cv, S_NOTE * 1.1, 1);
        color(&cv, C_TEXT, 1);
        text(&cv, lx, top + lh + S_GAP * cv.u, 0, 0, lab);
        lh += S_NOTE * 1.1 * cv.u + 2 * S_GAP * cv.u;
    }
    double ystep = y_count(&a, (double)cmax);
    layout(&cv, &a, top + lh, max_label_w(&cv, a.ymax, ystep, 1, ""), 0);
    double zero_w = 0;
    if (xlog) {
        a.xlog = 1;
        a.xmin = edge[0];
        a.xmax = edge[nb];
        if (zcnt) {
            /* the zero bar sits in a strip of its own, then a gap, then the log axis */
            zero_w = (a.x1 - a.x0) / (nb + 3);
            a.x0 += 1.5 * zero_w;
        }
    } else {
        a.xmin = 0;
        a.xmax = edge[nb];
    }
    y_ticks(&cv, &a, ystep, 1, 0, 1);
    if (zero_w > 0) {
        /* grid lines under the zero bar too */
        axes z = a;
        z.x0 = a.x0 - 1.5 * zero_w;
        z.x1 = a.x0;
        color(&cv, C_GRID, 1);
        for (double v = 0; v <= a.ymax + 1e-9; v += ystep) {
            cairo_move_to(cv.cr, z.x0, floor(py(&a, v)) + 0.5);
            cairo_line_to(cv.cr, z.x1, floor(py(&a, v)) + 0.5);
        }
        cairo_stroke(cv.cr);
    }
    /* x ticks */
    font(&cv, S_TICK, 0);
    color(&cv, C_MUTED, 1);
    if (xlog) {
        for (double e = ceil(log10(a.xmin) - 1e-9); e <= log10(a.xmax) + 1e-9; e++) {
            fmt_num(b1, sizeof b1, pow(10, e), 0);
            text(&cv, px(&a, pow(10, e)), a.y1 + S_GAP * cv.u, 0.5, 0, b1);
        }
        if (zero_w > 0) text(&cv, a.x0 - zero_w, a.y1 + S_GAP * cv.u, 0.5, 0, "0");
    } else {
        x_ticks(&cv, &a, nice_step(a.xmax, 1));
    }
    /* bars, each split into its blow-up part (dark, on top) and the rest */
    cairo_save(cv.cr);
    cairo_rectangle(cv.cr, a.x0 - 1.5 * zero_w, a.y0, a.x1 - a.x0 + 1.5 * zero_w, a.y1 - a.y0);
    cairo_clip(cv.cr);
    double gap = 1.0 * cv.u;
    for (size_t k = 0; k <= nb; k++) {
        size_t c = k < nb ? cnt[k] : zcnt, cb = k < nb ? cblow[k] : zblow;
        if (!c) continue;
        double x0, x1;
        if (k < nb) x0 = px(&a, edge[k]) + gap, x1 = px(&a, edge[k + 1]) - gap;
        else x0 = a.x0 - 1.5 * zero_w + 0.25 * zero_w, x1 = a.x0 - 0.25 * zero_w;
        if (x1 < x0 + 1) x1 = x0 + 1;
        color(&cv, c_small, 1);
        cairo_rectangle(cv.cr, x0, py(&a, (double)(c - cb)), x1 - x0, a.y1 - py(&a, (double)(c - cb)));
        cairo_fill(cv.cr);
        color(&cv, c_blow, 1);
        cairo_rectangle(cv.cr, x0, py(&a, (double)c), x1 - x0, py(&a, (double)(c - cb)) - py(&a, (double)c));
        cairo_fill(cv.cr);
    }
    if (isfinite(thr) && thr >= a.xmin && thr <= a.xmax && (!xlog || thr > 0)) {
        double x = px(&a, thr);
        double dash[] = {10 * cv.u, 6 * cv.u};
        cairo_set_dash(cv.cr, dash, 2, 0);
        color(&cv, C_TEXT, 1);
        cairo_set_line_width(cv.cr, 2 * cv.u);
        cairo_move_to(cv.cr, x, a.y0);
        cairo_line_to(cv.cr, x, a.y1);
        cairo_stroke(cv.cr);
        cairo_set_dash(cv.cr, NULL, 0, 0);
    }
    cairo_restore(cv.cr);
    frame_lines(&cv, &a);
    if (!n) note_in_plot(&cv, &a, "no data: finals.csv has no runs");
    axis_labels(&cv, &a,
                xlog ? (pos ? "final positive reach, agents (logarithmic axis)"
                            : "final negative reach, agents (logarithmic axis)")
                     : (pos ? "final positive reach, agents" : "final negative reach, agents"),
                "runs");
    report_frame(fr, &a, lx, top, lx + lw, top + lh);
    if (fr) fr->x0 = a.x0 - 1.5 * zero_w;
    st = finish(&cv, &r->info, dir, "finals.png", d);
    canvas_free(&cv);
    return st;
}

/* ---- runs ---------------------------------------------------------------------------------- */

wg_status wg_render_chart(const char *dir, const char *name, const wg_render_opts *o,
                          wg_render_frame *frame, wg_diag *d)
{
    rundata r;
    wg_status st = read_run(dir, &r, d);
    if (frame) memset(frame, 0, sizeof *frame);
    if (st == WG_OK) {
        if (strcmp(name, "curves") == 0) st = chart_curves(dir, &r, o, frame, d);
        else if (strcmp(name, "states") == 0) st = chart_states(dir, &r, o, frame, d);
        else if (strcmp(name, "finals") == 0) st = chart_finals(dir, &r, o, frame, d);
        else wg_diag_error(d, st = WG_EINPUT, "no chart named '%s'", name);
    }
    rundata_free(&r);
    return st;
}

wg_status wg_render_run(const char *dir, const wg_render_opts *o, wg_diag *d)
{
    rundata r;
    wg_status st = read_run(dir, &r, d);
    if (st == WG_OK) st = chart_curves(dir, &r, o, NULL, d);
    if (st == WG_OK) st = chart_states(dir, &r, o, NULL, d);
    if (st == WG_OK) st = chart_finals(dir, &r, o, NULL, d);
    rundata_free(&r);
    return st;
}


wg_status wg_render_folder(const char *dir, const wg_render_opts *o, wg_diag *d)
{
    if (file_exists(dir, "compare.csv")) return wg_render_compare(dir, o, NULL, d);
    if (file_exists(dir, "sweep.csv")) return wg_render_sweep(dir, o, NULL, d);
    return wg_render_run(dir, o, d);
}

/* ---- compare.png ---------------------------------------------------------------------------- */

char *wg_render_slug(const char *name)
{
    size_t n = strlen(name);
    char *s = wg_malloc(n + sizeof "variant", 1), *o = s;
    if (!s) return NULL;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) *o++ = (char)c;
        else if (c >= 'A' && c <= 'Z') *o++ = (char)(c - 'A' + 'a');
        else if (o > s && o[-1] != '-') *o++ = '-';
    }
    while (o > s && o[-1] == '-') o--;
    *o = '\0';
    if (!*s) strcpy(s, "variant");
    return s;
}

#define MAX_VARIANTS 12    /* variants drawn (the panel of differences lists them all up to this) */
#define MAX_METRICS 6      /* metrics of compare.csv drawn as panels of differences */

typedef struct cmp_row {
    int variant, metric;
    double diff, lo, hi, p_better;
} cmp_row;

typedef struct cmpdata {
    runinfo info;
    int nvar, nmet;
    char *var[MAX_VARIANTS + 1];      /* var[0]: "base" */
    char *met[MAX_METRICS];
    uint32_t steps[MAX_VARIANTS + 1];
    double *q[MAX_VARIANTS + 1][NVAL][NQ];
    cmp_row *rows;
    size_t nrows;
} cmpdata;

static void cmp_free(cmpdata *c)
{
    info_free(&c->info);
    for (int i = 0; i <= MAX_VARIANTS; i++) {
        free(c->var[i]);
        for (int v = 0; v < NVAL; v++)
            for (int q = 0; q < NQ; q++) free(c->q[i][v][q]);
    }
    for (int i = 0; i < MAX_METRICS; i++) free(c->met[i]);
    free(c->rows);
    memset(c, 0, sizeof *c);
}

/* Index of s in list (adding it when there is room), or -1. */
static int intern(char **list, int *n, int max, const char *s, int *oom_flag)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(list[i], s) == 0) return i;
    if (*n == max) return -1;
    if (!(list[*n] = wg_strdup(s))) {
        *oom_flag = 1;
        return -1;
    }
    return (*n)++;
}

static wg_status read_compare(const char *dir, cmpdata *cd, wg_diag *d)
{
    static const char *const reach[NVAL] = {"reach_positive", "reach_negative"};
    static const char *const cols[] = {"variant", "metric", "diff_mean", "diff_lo", "diff_hi",
                                       "p_better"};
    csv c;
    int ci[6], nomem = 0;
    memset(cd, 0, sizeof *cd);
    char *bdir = path_join(dir, "base");
    if (!bdir) return oom(d);
    wg_status st = read_manifest(bdir, &cd->info, d);
    if (st == WG_OK) st = read_summary(bdir, reach, cd->q[0], &cd->steps[0], d);
    free(bdir);
    if (st != WG_OK) return st;
    if (!(cd->var[0] = wg_strdup("base"))) return oom(d);
    cd->nvar = 1;
    if ((st = csv_open(&c, dir, "compare.csv", d)) != WG_OK) return st;
    for (int k = 0; k < 6; k++)
        if ((ci[k] = csv_col(&c, cols[k], d)) < 0) st = WG_EINPUT;
    while (st == WG_OK && csv_next(&c)) {
        cmp_row row;
        if (!csv_num(&c, ci[2], &row.diff, d) || !csv_num(&c, ci[3], &row.lo, d) ||
            !csv_num(&c, ci[4], &row.hi, d) || !csv_num(&c, ci[5], &row.p_better, d)) {
            st = WG_EINPUT;
            break;
        }
        const char *vn = ci[0] < c.nf ? c.f[ci[0]] : "", *mn = ci[1] < c.nf ? c.f[ci[1]] : "";
        row.variant = intern(cd->var, &cd->nvar, MAX_VARIANTS + 1, vn, &nomem);
        row.metric = intern(cd->met, &cd->nmet, MAX_METRICS, mn, &nomem);
        if (nomem) {
            st = oom(d);
            break;
        }
        if (row.variant < 1 || row.metric < 0) continue;   /* beyond what one chart shows */
        if (cd->nrows % 32 == 0) {
            cmp_row *t = wg_realloc(cd->rows, cd->nrows + 32, sizeof *t);
            if (!t) {
                st = oom(d);
                break;
            }
            cd->rows = t;
        }
        cd->rows[cd->nrows++] = row;
    }
    csv_close(&c);
    /* the folder of each variant: as blowup.csv names it (waggle compare makes
     * names unique there), else the slug of its name */
    char *folder[MAX_VARIANTS + 1] = {0};
    if (st == WG_OK && file_exists(dir, "blowup.csv") &&
        (st = csv_open(&c, dir, "blowup.csv", d)) == WG_OK) {
        int cv = csv_col(&c, "variant", d), cf = csv_col(&c, "folder", d);
        if (cv < 0 || cf < 0) st = WG_EINPUT;
        while (st == WG_OK && csv_next(&c)) {
            for (int i = 1; i < cd->nvar; i++)
                if (cv < c.nf && cf < c.nf && strcmp(c.f[cv], cd->var[i]) == 0 && !folder[i] &&
                    !(folder[i] = wg_strdup(c.f[cf])))
                    st = oom(d);
        }
        csv_close(&c);
    }
    for (int i = 1; i < cd->nvar && st == WG_OK; i++) {
        if (!folder[i] && !(folder[i] = wg_render_slug(cd->var[i]))) {
            st = oom(d);
            break;
        }
        char *vdir = path_join(dir, folder[i]);
        if (!vdir) st = oom(d);
        else st = read_summary(vdir, reach, cd->q[i], &cd->steps[i], d);
        free(vdir);
    }
    for (int i = 0; i <= MAX_VARIANTS; i++) free(folder[i]);
    return st;
}

static rgb var_color(int i)
{
    return i == 0 ? C_BASE : C_VARIANTS[(i - 1) % NVARCOL];
}

/* One panel of curves: the median and p25–p75 band of valence v for the base and every variant. */
static void cmp_curves(canvas *cv, const cmpdata *cd, int v, axes *a, const char *title)
{
    double vmax = 0;
    uint32_t steps = 0;
    for (int i = 0; i < cd->nvar; i++) {
        if (cd->steps[i] > steps) steps = cd->steps[i];
        for (uint32_t t = 0; t < cd->steps[i]; t++)
            for (int q = Q25; q <= Q75; q++)
                if (isfinite(cd->q[i][v][q][t]) && cd->q[i][v][q][t] > vmax) vmax = cd->q[i][v][q][t];
    }
    double ystep = y_count(a, vmax), xstep = x_steps(a, steps);
    double lw = max_label_w(cv, a->ymax, ystep, 1, "");
    double left = a->x0;
    a->x0 = left + lw + S_GAP * cv->u;
    font(cv, S_LABEL, 1);
    color(cv, C_TEXT, 1);
    text(cv, left, a->y0 - S_GAP * cv->u - S_TICK * cv->u * 0.6, 0, 1, title);
    y_ticks(cv, a, ystep, 1, 0, 1);
    x_ticks(cv, a, xstep);
    clip_plot(cv, a);
    for (int i = 0; i < cd->nvar; i++)
        band(cv, a, cd->q[i][v][Q25], cd->q[i][v][Q75], cd->steps[i], var_color(i), 0.18);
    for (int i = 0; i < cd->nvar; i++)
        line(cv, a, cd->q[i][v][Q50], cd->steps[i], var_color(i), i ? S_LINE : S_LINE + 1);
    cairo_restore(cv->cr);
    frame_lines(cv, a);
    if (!steps) note_in_plot(cv, a, "no data");
}

wg_status wg_render_compare(const char *dir, const wg_render_opts *o, wg_render_frame *frame,
                            wg_diag *d)
{
    cmpdata cd;
    canvas cv = {0};
    legend lg = {0};
    char sub[512], buf[128];
    if (frame) memset(frame, 0, sizeof *frame);
    wg_status st = read_compare(dir, &cd, d);
    if (st != WG_OK) goto done;
    if ((st = canvas_new(&cv, o, d)) != WG_OK) goto done;
    double u = cv.u;
    snprintf(buf, sizeof buf, ": base and %d what-if%s, same random numbers, medians and p25–p75",
             cd.nvar - 1, cd.nvar == 2 ? "" : "s");
    sub_runs(sub, sizeof sub, &cd.info, buf);
    double top = titles(&cv, cd.info.name, sub);
    for (int i = 0; i < cd.nvar; i++) legend_add(&lg, SW_LINE, var_color(i), 1, cd.var[i]);
    double lx = S_MARGIN * u, lw = cv.w - 2 * S_MARGIN * u;
    double lh = legend_flow(&cv, &lg, lx, top, lw, 1);

    /* upper half: two panels of curves; lower part: the differences */
    double y0 = top + lh + S_LABEL * u * 2.2, split = y0 + (cv.h - y0) * 0.52;
    double colw = (cv.w - 2 * S_MARGIN * u - 3 * S_GAP * u) / 2;
    axes an = {0}, ap = {0};
    an.x0 = S_MARGIN * u;
    an.x1 = an.x0 + colw;
    ap.x0 = an.x1 + 3 * S_GAP * u;
    ap.x1 = cv.w - S_MARGIN * u;
    an.y0 = ap.y0 = y0;
    an.y1 = ap.y1 = split - S_TICK * u - 2 * S_GAP * u;
    snprintf(sub, sizeof sub, "negative reach (critics + rejecters) by %s", cd.info.unit);
    cmp_curves(&cv, &cd, V_NEG, &an, sub);
    snprintf(sub, sizeof sub, "positive reach (advocates + supporters) by %s", cd.info.unit);
    cmp_curves(&cv, &cd, V_POS, &ap, sub);
    report_frame(frame, &an, lx, top, lx + lw, top + lh);

    /* the differences: one panel per metric, one row per variant: mean and 95 % interval */
    double dtop = split + S_LABEL * u * 2.6, dbot = cv.h - S_MARGIN * u - S_TICK * u - S_GAP * u;
    font(&cv, S_LABEL, 1);
    color(&cv, C_TEXT, 1);
    text(&cv, S_MARGIN * u, split + S_LABEL * u * 0.9, 0, 1,
         "paired difference, what-if minus base (mean and 95 % interval over runs)");
    double namew = 0;
    font(&cv, S_LEGEND, 0);
    for (int i = 1; i < cd.nvar; i++)
        if (text_w(&cv, cd.var[i]) > namew) namew = text_w(&cv, cd.var[i]);
    if (namew > cv.w * 0.22) namew = cv.w * 0.22;
    double px0 = S_MARGIN * u + namew + S_GAP * u;
    int nm = cd.nmet ? cd.nmet : 1;
    double pw = (cv.w - S_MARGIN * u - px0 - (nm - 1) * 3 * S_GAP * u) / nm;
    double rowh = (dbot - dtop) / (cd.nvar > 1 ? cd.nvar - 1 : 1);
    for (int i = 1; i < cd.nvar; i++) {
        char name[160];
        snprintf(name, sizeof name - 4, "%s", cd.var[i]);
        font(&cv, S_LEGEND, 0);
        fit_text(&cv, name, namew);
        color(&cv, var_color(i), 1);
        text(&cv, px0 - S_GAP * u, dtop + (i - 0.5) * rowh, 1, 0.5, name);
    }
    if (!cd.nrows) {
        axes z = {px0, dtop, cv.w - S_MARGIN * u, dbot, 0, 1, 0, 1, 0};
        note_in_plot(&cv, &z, "no rows in compare.csv");
    }
    for (int m = 0; m < cd.nmet; m++) {
        axes a = {0};
        a.x0 = px0 + m * (pw + 3 * S_GAP * u);
        a.x1 = a.x0 + pw;
        a.y0 = dtop;
        a.y1 = dbot;
        a.ymin = 0;
        a.ymax = 1;
        double lo = 0, hi = 0;
        for (size_t k = 0; k < cd.nrows; k++) {
            const cmp_row *r = &cd.rows[k];
            if (r->metric != m) continue;
            if (isfinite(r->lo) && r->lo < lo) lo = r->lo;
            if (isfinite(r->hi) && r->hi > hi) hi = r->hi;
            if (isfinite(r->diff) && r->diff < lo) lo = r->diff;
            if (isfinite(r->diff) && r->diff > hi) hi = r->diff;
        }
        double span = hi - lo > 0 ? hi - lo : 1, step = nice_step(span, 0);
        /* a little room on both sides so that no mark sits on the panel's edge */
        a.xmin = floor((lo - 0.05 * span) / step - 1e-9) * step;
        a.xmax = ceil((hi + 0.05 * span) / step + 1e-9) * step;
        if (a.xmax <= a.xmin) a.xmax = a.xmin + step;
        /* panel: title, light frame, ticks, zero line */
        font(&cv, S_LEGEND, 1);
        color(&cv, C_TEXT, 1);
        text(&cv, (a.x0 + a.x1) / 2, a.y0 - S_GAP * u, 0.5, 1, cd.met[m]);
        color(&cv, C_GRID, 1);
        cairo_set_line_width(cv.cr, 1.5 * u);
        cairo_rectangle(cv.cr, a.x0, a.y0, a.x1 - a.x0, a.y1 - a.y0);
        cairo_stroke(cv.cr);
        double ts = step;
        while ((a.xmax - a.xmin) / ts > 4.5) ts *= 2;   /* narrow panels: fewer labels */
        int dec = decimals_of(ts);
        font(&cv, S_TICK * 0.9, 0);
        color(&cv, C_MUTED, 1);
        for (double v = ceil(a.xmin / ts - 1e-9) * ts; v <= a.xmax + ts * 1e-6; v += ts) {
            fmt_num(buf, sizeof buf, v, dec);
            double tw = text_w(&cv, buf);
            if (px(&a, v) - tw / 2 < a.x0 || px(&a, v) + tw / 2 > a.x1) continue;  /* no overlap */
            text(&cv, px(&a, v), a.y1 + S_GAP * u * 0.6, 0.5, 0, buf);
        }
        clip_plot(&cv, &a);
        double dash[] = {6 * u, 5 * u};
        cairo_set_dash(cv.cr, dash, 2, 0);
        color(&cv, C_AXIS, 1);
        cairo_move_to(cv.cr, px(&a, 0), a.y0);
        cairo_line_to(cv.cr, px(&a, 0), a.y1);
        cairo_stroke(cv.cr);
        cairo_set_dash(cv.cr, NULL, 0, 0);
        for (size_t k = 0; k < cd.nrows; k++) {
            const cmp_row *r = &cd.rows[k];
            if (r->metric != m) continue;
            double y = dtop + (r->variant - 0.5) * rowh;
            color(&cv, var_color(r->variant), 1);
            if (isfinite(r->lo) && isfinite(r->hi)) {
                cairo_set_line_width(cv.cr, S_LINE * u);
                cairo_move_to(cv.cr, px(&a, r->lo), y);
                cairo_line_to(cv.cr, px(&a, r->hi), y);
                cairo_stroke(cv.cr);
            }
            if (isfinite(r->diff)) {
                cairo_arc(cv.cr, px(&a, r->diff), y, 7 * u, 0, 2 * M_PI);
                cairo_fill(cv.cr);
            }
        }
        cairo_restore(cv.cr);
    }
    st = finish(&cv, &cd.info, dir, "compare.png", d);
done:
    canvas_free(&cv);
    cmp_free(&cd);
    return st;
}

/* ---- sweep.png ------------------------------------------------------------------------------ *
 * Drawn from a sweep folder's sweep.csv and manifest.yaml. One swept key:
 * the mean negative and positive reach against the key, each with its
 * p05–p95 band (points sorted by the key). Two keys: a heat map of the mean
 * negative reach, cells for a grid, dots for a Sobol design, with a
 * labelled colour scale. More keys: no chart.
 */

typedef struct sweeprow {
    double x, y;                 /* the first (and second) key's value */
    double mean[NVAL], lo[NVAL], hi[NVAL];
} sweeprow;

typedef struct sweepdata {
    runinfo info;
    int nkeys;
    char *key[2];
    size_t n;
    sweeprow *row;
} sweepdata;

static void sweepdata_free(sweepdata *s)
{
    info_free(&s->info);
    free(s->key[0]);
    free(s->key[1]);
    free(s->row);
    memset(s, 0, sizeof *s);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A swept value as a tick label: as short as it reads (0.05, 7, 0.8333). */
static void exact_label(char *buf, size_t cap, double v)
{
    snprintf(buf, cap, "%.4g", v);
}

static int cmp_sweeprow(const void *a, const void *b)
{
    const sweeprow *x = a, *y = b;
    return x->x < y->x ? -1 : x->x > y->x;
}

static wg_status read_sweep(const char *dir, sweepdata *s, wg_diag *d)
{
    csv c;
    size_t cap = 0;
    memset(s, 0, sizeof *s);
    wg_status st = read_manifest(dir, &s->info, d);
    if (st != WG_OK) return st;
    if ((st = csv_open(&c, dir, "sweep.csv", d)) != WG_OK) return st;
    int cm = csv_col(&c, "metric", d), cmean = csv_col(&c, "mean", d);
    int c05 = csv_col(&c, "p05", d), c95 = csv_col(&c, "p95", d);
    if (cm < 0 || cmean < 0 || c05 < 0 || c95 < 0 || cm < 2) {
        if (!d->errors)
            wg_diag_error(d, WG_EINPUT, "sweep.csv: expected point,<keys>,metric,mean,sd,p05,"
                          "p50,p95");
        csv_close(&c);
        return WG_EINPUT;
    }
    s->nkeys = cm - 1;
    for (int k = 0; k < s->nkeys && k < 2; k++)
        if (!(s->key[k] = wg_strdup(c.head[1 + k]))) goto nomem;
    long last = -1;
    while (csv_next(&c)) {
        double pt, v[3];
        if (!csv_num(&c, 0, &pt, d)) goto bad;
        int val = strcmp(c.f[cm], "reach_negative") == 0 ? V_NEG
                  : strcmp(c.f[cm], "reach_positive") == 0 ? V_POS : -1;
        if (val < 0) continue;
        if ((long)pt != last) {
            if (s->n == cap) {
                size_t nc = cap ? 2 * cap : 64;
                sweeprow *r = wg_realloc(s->row, nc, sizeof *r);
                if (!r) goto nomem;
                s->row = r;
                cap = nc;
            }
            sweeprow *r = &s->row[s->n++];
            memset(r, 0, sizeof *r);
            if (!csv_num(&c, 1, &r->x, d)) goto bad;
            if (s->nkeys >= 2 && !csv_num(&c, 2, &r->y, d)) goto bad;
            last = (long)pt;
        }
        if (!csv_num(&c, cmean, &v[0], d) || !csv_num(&c, c05, &v[1], d) ||
            !csv_num(&c, c95, &v[2], d))
            goto bad;
        sweeprow *r = &s->row[s->n - 1];
        r->mean[val] = v[0];
        r->lo[val] = v[1];
        r->hi[val] = v[2];
    }
    csv_close(&c);
    return WG_OK;
nomem:
    wg_diag_error(d, WG_ENOMEM, "out of memory");
bad:
    csv_close(&c);
    sweepdata_free(s);
    return d->status ? d->status : WG_EINPUT;
}

/* A nice axis over [lo, hi] for a swept key (not forced to start at zero). */
static double key_axis(double lo, double hi, double *amin, double *amax)
{
    if (!(hi > lo)) {
        lo -= 0.5;
        hi += 0.5;
    }
    double step = nice_step(hi - lo, 0);
    *amin = floor(lo / step + 1e-9) * step;
    *amax = ceil(hi / step - 1e-9) * step;
    return step;
}

/* Sequential colour scale (viridis anchors), t in [0, 1]. */
static rgb heat_color(double t)
{
    static const rgb anchors[] = {HEX(0x440154), HEX(0x3B528B), HEX(0x21918C), HEX(0x5EC962),
                                  HEX(0xFDE725)};
    const int n = (int)(sizeof anchors / sizeof anchors[0]) - 1;
    if (!(t >= 0)) t = 0;
    if (t > 1) t = 1;
    int i = (int)(t * n);
    if (i >= n) i = n - 1;
    double f = t * n - i;
    rgb c = {anchors[i].r + f * (anchors[i + 1].r - anchors[i].r),
             anchors[i].g + f * (anchors[i + 1].g - anchors[i].g),
             anchors[i].b + f * (anchors[i + 1].b - anchors[i].b)};
    return c;
}

/* Distinct sorted values of v (n entries) into out; returns their number. */
static size_t distinct(const double *v, size_t n, size_t stride, double *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double x = v[i * stride];
        size_t j = 0;
        while (j < m && out[j] != x) j++;
        if (j == m) out[m++] = x;
    }
    qsort(out, m, sizeof *out, cmp_double);
    return m;
}

static void sweep_one_key(canvas *cv, sweepdata *s, axes *a, double top)
{
    double vmax = 0, xmin = INFINITY, xmax = -INFINITY;
    qsort(s->row, s->n, sizeof *s->row, cmp_sweeprow);
    for (size_t i = 0; i < s->n; i++) {
        for (int v = 0; v < NVAL; v++)
            if (isfinite(s->row[i].hi[v]) && s->row[i].hi[v] > vmax) vmax = s->row[i].hi[v];
        if (s->row[i].x < xmin) xmin = s->row[i].x;
        if (s->row[i].x > xmax) xmax = s->row[i].x;
    }
    double ys = y_count(a, vmax);
    double xs = key_axis(xmin, xmax, &a->xmin, &a->xmax);
    char last[64];
    fmt_num(last, sizeof last, a->xmax, decimals_of(xs));
    font(cv, S_TICK, 0);
    /* room on the right for half the last x label */
    layout(cv, a, top, max_label_w(cv, a->ymax, ys, 1, ""), text_w(cv, last) / 2 - S_LABEL * cv->u);
    y_ticks(cv, a, ys, 1, 0, 1);
    x_ticks(cv, a, xs);
    clip_plot(cv, a);
    const rgb col[NVAL] = {C_POS, C_NEG};
    for (int v = 0; v < NVAL; v++) {
        cairo_t *cr = cv->cr;
        for (size_t i = 0; i < s->n; i++) {
            double x = px(a, s->row[i].x), y = py(a, s->row[i].hi[v]);
            if (i == 0) cairo_move_to(cr, x, y);
            else cairo_line_to(cr, x, y);
        }
        for (size_t i = s->n; i-- > 0;) cairo_line_to(cr, px(a, s->row[i].x), py(a, s->row[i].lo[v]));
        cairo_close_path(cr);
        color(cv, col[v], 0.22);
        cairo_fill(cr);
        for (size_t i = 0; i < s->n; i++) {
            double x = px(a, s->row[i].x), y = py(a, s->row[i].mean[v]);
            if (i == 0) cairo_move_to(cr, x, y);
            else cairo_line_to(cr, x, y);
        }
        color(cv, col[v], 1);
        cairo_set_line_width(cr, S_LINE * cv->u);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        for (size_t i = 0; i < s->n && s->n <= 60; i++)
            point_mark(cv, px(a, s->row[i].x), py(a, s->row[i].mean[v]), 4.5 * cv->u);
    }
    cairo_restore(cv->cr);
    frame_lines(cv, a);
    axis_labels(cv, a, s->key[0], "agents reached at the end");
}

static void sweep_two_keys(canvas *cv, sweepdata *s, axes *a, double top, wg_diag *d)
{
    double u = cv->u, vmax = 0;
    double *xs = wg_malloc(s->n ? s->n : 1, sizeof *xs), *ys = wg_malloc(s->n ? s->n : 1, sizeof *ys);
    if (!xs || !ys) {
        free(xs);
        free(ys);
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return;
    }
    size_t nx = distinct(&s->row[0].x, s->n, sizeof *s->row / sizeof(double), xs);
    size_t ny = distinct(&s->row[0].y, s->n, sizeof *s->row / sizeof(double), ys);
    int grid = nx * ny == s->n && nx > 1 && ny > 1;
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(s->row[i].mean[V_NEG]) && s->row[i].mean[V_NEG] > vmax)
            vmax = s->row[i].mean[V_NEG];
    if (!(vmax > 0)) vmax = 1;
    /* room on the right for the colour scale and its labels */
    double cstep = nice_step(vmax, 1), cmax = ceil(vmax / cstep - 1e-9) * cstep;
    double barw = 28 * u, right = barw + S_GAP * u + max_label_w(cv, cmax, cstep, 1, "");
    double yl, yh, xl, xh;
    double xstep = key_axis(xs[0], xs[nx - 1], &xl, &xh), ystep = key_axis(ys[0], ys[ny - 1], &yl, &yh);
    if (grid) {   /* one equal cell per grid value, labelled with the value */
        a->xmin = -0.5, a->xmax = nx - 0.5;
        a->ymin = -0.5, a->ymax = ny - 0.5;
    } else {
        a->xmin = xl, a->xmax = xh, a->ymin = yl, a->ymax = yh;
    }
    font(cv, S_TICK, 0);
    char lab[64];
    double ylw = 0;
    for (size_t i = 0; i < ny; i++) {
        exact_label(lab, sizeof lab, ys[i]);
        if (text_w(cv, lab) > ylw) ylw = text_w(cv, lab);
    }
    layout(cv, a, top, ylw + S_GAP * u, right);
    clip_plot(cv, a);
    for (size_t i = 0; i < s->n; i++) {
        const sweeprow *r = &s->row[i];
        rgb c = heat_color(r->mean[V_NEG] / cmax);
        if (grid) {
            size_t ix = 0, iy = 0;
            while (xs[ix] != r->x) ix++;
            while (ys[iy] != r->y) iy++;
            double x0 = floor(px(a, ix - 0.5)), x1 = ceil(px(a, ix + 0.5));
            double y0 = floor(py(a, iy + 0.5)), y1 = ceil(py(a, iy - 0.5));
            cairo_rectangle(cv->cr, x0, y0, x1 - x0, y1 - y0);
            color(cv, c, 1);
            cairo_fill(cv->cr);
        } else {
            cairo_arc(cv->cr, px(a, r->x), py(a, r->y), 9 * u, 0, 2 * M_PI);
            color(cv, c, 1);
            cairo_fill(cv->cr);
        }
    }
    cairo_restore(cv->cr);
    /* tick labels: every grid value (thinned to about 12), or nice steps for Sobol dots */
    font(cv, S_TICK, 0);
    color(cv, C_MUTED, 1);
    if (grid) {
        size_t kx = (nx + 11) / 12, ky = (ny + 11) / 12;
        for (size_t i = 0; i < nx; i += kx) {
            exact_label(lab, sizeof lab, xs[i]);
            text(cv, px(a, (double)i), a->y1 + S_GAP * u, 0.5, 0, lab);
        }
        for (size_t i = 0; i < ny; i += ky) {
            exact_label(lab, sizeof lab, ys[i]);
            text(cv, a->x0 - S_GAP * u, py(a, (double)i), 1, 0.5, lab);
        }
    } else {
        for (double v = xl; v <= xh + xstep * 1e-6; v += xstep) {
            fmt_num(lab, sizeof lab, v, decimals_of(xstep));
            text(cv, px(a, v), a->y1 + S_GAP * u, 0.5, 0, lab);
        }
        for (double v = yl; v <= yh + ystep * 1e-6; v += ystep) {
            fmt_num(lab, sizeof lab, v, decimals_of(ystep));
            text(cv, a->x0 - S_GAP * u, py(a, v), 1, 0.5, lab);
        }
    }
    frame_lines(cv, a);
    axis_labels(cv, a, s->key[0], s->key[1]);
    /* the colour scale: a bar from 0 to cmax with ticks, labelled */
    double bx = a->x1 + 2 * S_GAP * u, by0 = a->y0, by1 = a->y1;
    const int slices = 100;
    for (int k = 0; k < slices; k++) {
        double t0 = (double)k / slices, t1 = (double)(k + 1) / slices;
        cairo_rectangle(cv->cr, bx, by1 - t1 * (by1 - by0), barw, (t1 - t0) * (by1 - by0) + 0.5);
        color(cv, heat_color((t0 + t1) / 2), 1);
        cairo_fill(cv->cr);
    }
    font(cv, S_TICK, 0);
    color(cv, C_MUTED, 1);
    for (double v = 0; v <= cmax + cstep * 1e-6; v += cstep) {
        fmt_num(lab, sizeof lab, v, decimals_of(cstep));
        text(cv, bx + barw + S_GAP * u * 0.5, by1 - v / cmax * (by1 - by0), 0, 0.5, lab);
    }
    font(cv, S_LABEL, 0);
    color(cv, C_TEXT, 1);
    text_up(cv, cv->w - S_MARGIN * u - S_LABEL * u * 0.5, (by0 + by1) / 2,
            "mean negative reach (agents)");
    free(xs);
    free(ys);
}

wg_status wg_render_sweep(const char *dir, const wg_render_opts *o, wg_render_frame *frame,
                          wg_diag *d)
{
    sweepdata s;
    canvas cv = {0};
    char sub[512], extra[300];
    if (frame) memset(frame, 0, sizeof *frame);
    wg_status st = read_sweep(dir, &s, d);
    if (st != WG_OK) return st;
    if (s.nkeys > 2 || s.n == 0) goto done;   /* no chart for three keys or more */
    if ((st = canvas_new(&cv, o, d)) != WG_OK) goto done;
    axes a = {0};
    if (s.nkeys == 1)
        snprintf(extra, sizeof extra, " at each point; %zu points: mean final reach and p05–p95 "
                 "against %s", s.n, s.key[0]);
    else
        snprintf(extra, sizeof extra, " at each point; %zu points: mean final negative reach over "
                 "%s and %s", s.n, s.key[0], s.key[1]);
    sub_runs(sub, sizeof sub, &s.info, extra);
    double top = titles(&cv, s.info.name, sub);
    legend lg = {0};
    double lh = 0, lx = S_MARGIN * cv.u, lw = cv.w - 2 * S_MARGIN * cv.u;
    if (s.nkeys == 1) {
        legend_add(&lg, SW_LINE, C_NEG, 1, "negative reach (critics + rejecters)");
        legend_add(&lg, SW_LINE, C_POS, 1, "positive reach (advocates + supporters)");
        legend_add(&lg, SW_BAND, C_MUTED, 0.22, "p05–p95 over runs");
        lh = legend_flow(&cv, &lg, lx, top, lw, 1);
        sweep_one_key(&cv, &s, &a, top + lh);
    } else {
        sweep_two_keys(&cv, &s, &a, top + S_LABEL * cv.u, d);
        if (d->status == WG_ENOMEM) {
            st = WG_ENOMEM;
            goto done;
        }
    }
    report_frame(frame, &a, lh ? lx : 0, lh ? top : 0, lh ? lx + lw : 0, lh ? top + lh : 0);
    st = finish(&cv, &s.info, dir, "sweep.png", d);
done:
    canvas_free(&cv);
    sweepdata_free(&s);
    return st;
}
