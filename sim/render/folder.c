/*
 * folder.c — render's reader of finished folders: manifest.yaml's facts,
 * summary.csv, finals.csv, observed.csv and series.csv of a run folder,
 * compare.csv, blowup.csv and the arms' run folders of a comparison,
 * sweep.csv (and sensitivity.csv) of a sweep, optimize.csv (or policies.csv) of
 * `waggle optimize`.
 *
 * Invariants:
 * 1. The only file of render that reads files: a chart is drawn from what
 *    is read here, never from the engine's memory, so `waggle render DIR`
 *    draws what `waggle run` drew.
 * 2. Errors name the file, line and column and what was expected
 *    (WG_EINPUT); a field is a number only when all of it is one.
 * 3. The CSV reader reads waggle's own files as waggle writes them: fields
 *    are taken as they are (no blanks trimmed), "…" quoted with "" inside;
 *    comment (#) and blank lines are skipped, the first other line is the
 *    header.
 * 4. Columns and metrics are found by the names of their vocabularies
 *    (wg_state_name, wg_metric_name, wg_final_metric_name), never by copies.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "waggle/output.h"
#include "waggle/render.h"

#include "canvas.h"
#include "folder.h"

#define MAX_FIELDS 64           /* columns of a CSV line we look at */
#define MAX_STEP 1e8            /* a step number beyond this is not one */

int wg_folder_has(const char *dir, const char *name)
{
    char p[PATH_MAX];   /* no allocation: a failed one must not read as "absent" */
    struct stat st;
    if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, name) >= sizeof p) return 0;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- CSV: one line at a time ----------------------------------------------------------------- */

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

/* The text of the gzip file at path (a trace above 10^5 agents), whole,
 * NUL-terminated; at most WG_RESULT_MAX_BYTES of text. */
static wg_status read_gz(const char *path, char **text, wg_diag *d)
{
    *text = NULL;
    int fd = wg_input_open(path, WG_IN_RESULT, NULL, d);
    if (fd < 0) return WG_EINPUT;
    gzFile z = gzdopen(fd, "rb");
    if (!z) {
        close(fd);
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory (zlib)", path);
        return WG_ENOMEM;
    }
    size_t len = 0, cap = 1 << 20;
    char *t = wg_malloc(cap, 1);
    wg_status st = t ? WG_OK : WG_ENOMEM;
    while (st == WG_OK) {
        if (cap - len < (1u << 16) + 1) {
            if (cap >= WG_RESULT_MAX_BYTES) {
                wg_diag_error(d, WG_EINPUT, "%s: more than %llu MiB of text", path,
                              (unsigned long long)(WG_RESULT_MAX_BYTES >> 20));
                st = WG_EINPUT;
                break;
            }
            char *u = wg_realloc(t, cap * 2, 1);
            if (!u) {
                st = WG_ENOMEM;
                break;
            }
            t = u, cap *= 2;
        }
        int k = gzread(z, t + len, 1u << 16);
        if (k < 0) {
            int e;
            wg_diag_error(d, WG_EINPUT, "%s: not a readable gzip file: %s", path, gzerror(z, &e));
            st = WG_EINPUT;
        }
        if (k <= 0) break;
        len += (size_t)k;
    }
    gzclose(z);
    if (st == WG_ENOMEM) wg_diag_error(d, WG_ENOMEM, "%s: out of memory", path);
    if (st != WG_OK) {
        free(t);
        return st;
    }
    t[len] = '\0';
    if ((st = wg_input_text(path, t, &len, d)) != WG_OK) {
        free(t);
        return st;
    }
    *text = t;
    return WG_OK;
}

static wg_status csv_open(csv *c, const char *dir, const char *name, wg_diag *d)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    char *p = wg_path_join(dir, name);
    if (!p) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    size_t nl = strlen(name);
    wg_status st = nl > 3 && strcmp(name + nl - 3, ".gz") == 0 ? read_gz(p, &c->text, d)
                                                                : wg_file_read(p, &c->text, NULL, d);
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

/* ---- a run folder ---------------------------------------------------------------------------- */

static void info_free(wg_folder_info *i)
{
    char **s[] = {&i->name, &i->seed, &i->runs, &i->version, &i->command, &i->unit,
                  &i->obs_file, &i->obs_x, &i->obs_y, &i->obs_metric, &i->who, &i->traced};
    for (size_t k = 0; k < sizeof s / sizeof s[0]; k++) {
        free(*s[k]);
        *s[k] = NULL;
    }
}

void wg_folder_run_free(wg_folder_run *r)
{
    info_free(&r->info);
    for (int v = 0; v < NVAL; v++)
        for (int q = 0; q < NQ; q++) free(r->q[v][q]);
    for (int q = 0; q < NQ; q++) free(r->mq[q]);
    free(r->fin_neg);
    free(r->fin_pos);
    free(r->blow);
    wg_points_free(&r->obs);
    memset(r, 0, sizeof *r);
}

/* The keys of one event read from a manifest, after "scenario.events.N.". */
static const char *const ev_keys[] = {"step", "repeat", "seed.valence", "media.valence",
                                      "respond.win", "respond.policy.per_step",
                                      "respond.policy.until", "block.by", "set.key", "scale.key"};
enum { EK_STEP, EK_REPEAT, EK_SEED, EK_MEDIA, EK_RESPOND, EK_POLICY, EK_UNTIL, EK_BLOCK,
       EK_SET, EK_SCALE, NEK = sizeof ev_keys / sizeof ev_keys[0] };
#define NEVK (NEK + WG_NWHEN_CONDS)   /* and one key per trigger condition */

/* The events of the manifest's scenario (its timeline as resolved) into in->ev. */
static wg_status read_events(const char *text, size_t len, const char *name, wg_folder_info *in,
                             wg_diag *d)
{
    enum { NKEYS = WG_FOLDER_MAX_EVENTS * NEVK };
    char *keys[NKEYS], *v[NKEYS];
    wg_status st = WG_OK;
    memset(keys, 0, sizeof keys);
    for (int e = 0; e < WG_FOLDER_MAX_EVENTS && st == WG_OK; e++)
        for (int k = 0; k < NEVK; k++) {
            char buf[96];
            if (k < NEK) snprintf(buf, sizeof buf, "scenario.events.%d.%s", e, ev_keys[k]);
            else snprintf(buf, sizeof buf, "scenario.events.%d.when.%s", e, wg_when_names[k - NEK]);
            if (!(keys[e * NEVK + k] = wg_strdup(buf))) st = wg_canvas_oom(d);
        }
    if (st == WG_OK)
        st = wg_scenario_yaml_scalars(text, len, name, NKEYS, (const char *const *)keys, v, d);
    for (int i = 0; i < NKEYS; i++) free(keys[i]);
    if (st != WG_OK) return st;
    in->nev = 0;
    for (int e = 0; e < WG_FOLDER_MAX_EVENTS; e++) {
        char **x = &v[e * NEVK];
        int when = -1;
        for (int c = 0; c < WG_NWHEN_CONDS; c++)
            if (x[NEK + c]) when = c;
        if (x[EK_STEP] || when >= 0) {
            wg_folder_event *ev = &in->ev[in->nev++];
            ev->kind = x[EK_SEED] ? WG_EV_SEED : x[EK_MEDIA] ? WG_EV_MEDIA
                     : x[EK_RESPOND] ? WG_EV_RESPOND : x[EK_BLOCK] ? WG_EV_BLOCK
                     : x[EK_SCALE] ? WG_EV_SCALE : WG_EV_SET;
            ev->policy = x[EK_POLICY] != NULL;
            const char *val = x[EK_SEED] ? x[EK_SEED] : x[EK_MEDIA];
            ev->valence = !val ? -1 : strcmp(val, wg_valence_names[WG_POS]) == 0 ? WG_POS : WG_NEG;
            ev->step = x[EK_STEP] ? strtod(x[EK_STEP], NULL) : NAN;
            ev->until = x[EK_UNTIL] ? strtod(x[EK_UNTIL], NULL) : NAN;
            ev->when = when;
            ev->when_above = when >= 0 ? strtod(x[NEK + when], NULL) : NAN;
            ev->repeat = x[EK_REPEAT] && strcmp(x[EK_REPEAT], "true") == 0;
            ev->fired = NAN;
        }
        for (int k = 0; k < NEVK; k++) free(x[k]);
    }
    return WG_OK;
}

/* The metric of summary.csv a trigger's condition watches. */
static const char *when_metric(int when)
{
    return when == WG_WHEN_CRITICS_ABOVE        ? wg_state_name(WG_CRITIC)
         : when == WG_WHEN_REACH_NEGATIVE_ABOVE ? wg_metric_name(WG_M_REACH_NEG)
                                                : wg_metric_name(WG_M_NEW_NEG);
}

static wg_status read_summary(const char *dir, const char *const names[NVAL],
                              double *q[NVAL][NQ], uint32_t *steps, wg_diag *d);

/* The step each trigger of dir's events fires at in the median curve: the first step t
 * whose starting state (the end of step t - 1) is above the threshold. */
static wg_status fire_triggers(const char *dir, wg_folder_info *in, wg_diag *d)
{
    for (int i = 0; i < in->nev; i++) {
        wg_folder_event *ev = &in->ev[i];
        if (ev->when < 0) continue;
        const char *names[NVAL] = {when_metric(ev->when), ""};
        double *q[NVAL][NQ] = {{0}};
        uint32_t steps = 0;
        wg_status st = read_summary(dir, names, q, &steps, d);
        double thr = ev->when_above < 1 && in->agents > 0 ? ev->when_above * in->agents
                                                          : ev->when_above;
        for (uint32_t t = 1; st == WG_OK && t < steps && isnan(ev->fired); t++)
            if (q[V_POS][Q50][t - 1] > thr) ev->fired = t;
        for (int v = 0; v < NVAL; v++)
            for (int k = 0; k < NQ; k++) free(q[v][k]);
        if (st != WG_OK) return st;
    }
    return WG_OK;
}

static wg_status read_manifest(const char *dir, wg_folder_info *in, wg_diag *d)
{
    static const char *const keys[] = {
        "scenario.name", "seed", "runs", "waggle.version", "command", "scenario.step",
        "scenario.observed.file", "scenario.observed.x", "scenario.observed.y",
        "scenario.observed.metric", "scenario.observed.scale", "network.nodes",
        "scenario.blowup.threshold", "scenario.blowup.valence", "optimize.choose",
        "scenario.unit", "blowup.runs", "blowup.blowups", "blowup.lo", "blowup.hi",
        "traced_runs"};
    enum { NK = sizeof keys / sizeof keys[0] };
    char *v[NK], *text = NULL, *p = wg_path_join(dir, "manifest.yaml");
    size_t len;
    memset(in, 0, sizeof *in);
    if (!p) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    wg_status st = wg_file_read(p, &text, &len, d);
    if (st == WG_OK) st = wg_scenario_yaml_scalars(text, len, p, NK, keys, v, d);
    if (st == WG_OK && (st = read_events(text, len, p, in, d)) != WG_OK)
        for (int k = 0; k < NK; k++) free(v[k]);
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
    wg_blowup_rule_default(&in->blowup);
    if (v[12]) in->blowup.threshold = strtod(v[12], NULL);
    if (v[13] && strcmp(v[13], wg_valence_names[WG_POS]) == 0) in->blowup.valence = WG_POS;
    in->respond = v[14] && strcmp(v[14], "respond") == 0;
    in->who = v[15];
    double *blow[] = {&in->blow_runs, &in->blow_count, &in->blow_lo, &in->blow_hi};
    for (int k = 0; k < 4; k++) *blow[k] = v[16 + k] ? strtod(v[16 + k], NULL) : NAN;
    in->traced = v[20];
    for (int k = 10; k < 20; k++)
        if (k != 15) free(v[k]);
    const char *fill[][2] = {{"name", "(unnamed scenario)"}, {"seed", "?"}, {"runs", "?"},
                             {"version", WG_VERSION}, {"command", "waggle"}, {"unit", "step"},
                             {"who", "customers"}};
    char **req[] = {&in->name, &in->seed, &in->runs, &in->version, &in->command, &in->unit,
                    &in->who};
    for (int k = 0; k < 7; k++)
        if (!*req[k] && !(*req[k] = wg_strdup(fill[k][1]))) {
            info_free(in);
            wg_diag_error(d, WG_ENOMEM, "out of memory");
            free(p);
            return WG_ENOMEM;
        }
    free(p);
    return WG_OK;
}

/* Grow an array of doubles to hold index i (new entries NaN). */
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
        if (!(t >= 0 && t < MAX_STEP && t == floor(t))) {
            wg_diag_error(d, WG_EINPUT, "%s:%u: column step: expected a step number, got '%s'",
                          c.name, c.line, c.f[cs]);
            st = WG_EINPUT;
            break;
        }
        if (t > *steps) {   /* before anything is allocated for it */
            wg_diag_error(d, WG_EINPUT, "%s:%u: step %s after step %ld: waggle writes every "
                          "step in order, from 0", c.name, c.line, c.f[cs], (long)*steps - 1);
            st = WG_EINPUT;
            break;
        }
        for (int k = 0; k < NQ && st == WG_OK; k++) {
            if (!grow(&q[v][k], &cap[v][k], (size_t)t)) st = wg_canvas_oom(d);
            else if (!csv_num(&c, cq[k], &q[v][k][(size_t)t], d)) st = WG_EINPUT;
        }
        if ((uint32_t)t + 1 > *steps) *steps = (uint32_t)t + 1;
    }
    for (int v = 0; v < NVAL && st == WG_OK; v++)   /* every metric covers every step */
        for (int k = 0; k < NQ; k++)
            if (!grow(&q[v][k], &cap[v][k], *steps ? *steps : 1)) st = wg_canvas_oom(d);
    csv_close(&c);
    return st;
}

static wg_status read_finals(const char *dir, wg_folder_run *r, wg_diag *d)
{
    csv c;
    size_t cap = 0, cap2 = 0;
    wg_status st = csv_open(&c, dir, "finals.csv", d);
    if (st != WG_OK) return st;
    int cn = csv_col(&c, wg_final_metric_name(WG_F_REACH_NEG), d);
    int cp = csv_col(&c, wg_final_metric_name(WG_F_REACH_POS), d);
    int cb = -1;
    for (int i = 0; i < c.nhead; i++)
        if (strcmp(c.head[i], wg_final_metric_name(WG_F_BLOWUP)) == 0) cb = i;
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
            st = wg_canvas_oom(d);
            break;
        }
        if (i % 64 == 0) {
            int *t = wg_realloc(r->blow, i + 64, sizeof *t);
            if (!t) {
                st = wg_canvas_oom(d);
                break;
            }
            r->blow = t;
        }
        r->fin_neg[i] = neg;
        r->fin_pos[i] = pos;
        /* a folder written before finals.csv had its blowup column: the rule */
        r->blow[i] = cb >= 0 ? b != 0
                             : r->info.agents > 0 &&
                                   wg_blowup_test(&r->info.blowup, pos, neg, r->info.agents);
        r->nruns++;
    }
    csv_close(&c);
    return st;
}

void wg_points_free(wg_points *p)
{
    free(p->x);
    free(p->y);
    memset(p, 0, sizeof *p);
}

/* The points of the folder's observed.csv (none without one). */
static wg_status read_obs(const char *dir, wg_points *p, wg_diag *d)
{
    csv c;
    size_t cx = 0, cy = 0;
    memset(p, 0, sizeof *p);
    if (!wg_folder_has(dir, "observed.csv")) return WG_OK;
    wg_status st = csv_open(&c, dir, "observed.csv", d);
    if (st != WG_OK) return st;
    while (csv_next(&c)) {
        double x, y;
        if (!csv_num(&c, 0, &x, d) || !csv_num(&c, 1, &y, d)) {
            st = WG_EINPUT;
            break;
        }
        if (!grow(&p->x, &cx, p->n) || !grow(&p->y, &cy, p->n)) {
            st = wg_canvas_oom(d);
            break;
        }
        p->x[p->n] = x;
        p->y[p->n++] = y;
    }
    csv_close(&c);
    return st;
}

/* The fitted metric of observed.metric (when not a reach) into r->metric and r->mq, over
 * the steps of the reach. An unknown name (a metric of a later waggle) draws the reach. */
static wg_status read_metric(const char *dir, wg_folder_run *r, wg_diag *d)
{
    const char *name = r->info.obs_metric;
    r->metric = name ? wg_metric_from_name(name) : -1;
    if (r->metric == WG_M_REACH_POS || r->metric == WG_M_REACH_NEG) r->metric = -1;
    if (r->metric < 0) return WG_OK;
    const char *const names[NVAL] = {name, ""};
    double *q[NVAL][NQ] = {{0}};
    uint32_t steps = 0;
    wg_status st = read_summary(dir, names, q, &steps, d);
    for (int k = 0; k < NQ; k++) {
        free(q[V_NEG][k]);
        if (st == WG_OK && steps < r->steps) {   /* rows of the reach without the metric: NaN */
            size_t cap = steps ? steps : 1;
            if (!grow(&q[V_POS][k], &cap, r->steps - 1)) st = wg_canvas_oom(d);
        }
        r->mq[k] = q[V_POS][k];
    }
    return st;
}

wg_status wg_folder_read_run(const char *dir, wg_folder_run *r, wg_diag *d)
{
    const char *const reach[NVAL] = {wg_metric_name(WG_M_REACH_POS),
                                     wg_metric_name(WG_M_REACH_NEG)};
    wg_status st;
    memset(r, 0, sizeof *r);
    r->metric = -1;
    if ((st = read_manifest(dir, &r->info, d)) != WG_OK) return st;
    if ((st = read_summary(dir, reach, r->q, &r->steps, d)) != WG_OK) return st;
    if ((st = read_metric(dir, r, d)) != WG_OK) return st;
    if ((st = read_finals(dir, r, d)) != WG_OK) return st;
    if ((st = fire_triggers(dir, &r->info, d)) != WG_OK) return st;
    return read_obs(dir, &r->obs, d);
}

/* ---- one run's states (series.csv) ----------------------------------------------------------- */

wg_status wg_folder_read_states(const char *dir, long run, double *s[WG_NSTATES],
                                uint32_t *steps, wg_diag *d)
{
    csv c;
    size_t cap[WG_NSTATES] = {0};
    wg_status st;
    *steps = 0;
    if ((st = csv_open(&c, dir, "series.csv", d)) != WG_OK) return st;
    int crun = csv_col(&c, "run", d), cstep = csv_col(&c, "step", d), cs[WG_NSTATES];
    for (int k = 0; k < WG_NSTATES; k++) cs[k] = csv_col(&c, wg_state_name((wg_state)k), d);
    for (int k = 0; k < WG_NSTATES; k++)
        if (cs[k] < 0) crun = -1;
    if (crun < 0 || cstep < 0) {
        st = WG_EINPUT;
        goto done;
    }
    char want[32];
    snprintf(want, sizeof want, "%ld", run);
    while (run >= 0 && csv_next(&c)) {
        if (crun >= c.nf || strcmp(c.f[crun], want) != 0) continue;
        double t;
        if (!csv_num(&c, cstep, &t, d)) {
            st = WG_EINPUT;
            goto done;
        }
        if (!(t >= 0 && t < MAX_STEP)) continue;
        if (t > *steps) {   /* before anything is allocated for it */
            wg_diag_error(d, WG_EINPUT, "%s:%u: step %s of run %ld after step %ld: waggle "
                          "writes every step in order, from 0", c.name, c.line, c.f[cstep], run,
                          (long)*steps - 1);
            st = WG_EINPUT;
            goto done;
        }
        for (int k = 0; k < WG_NSTATES; k++) {
            if (!grow(&s[k], &cap[k], (size_t)t)) {
                st = wg_canvas_oom(d);
                goto done;
            }
            if (!csv_num(&c, cs[k], &s[k][(size_t)t], d)) {
                st = WG_EINPUT;
                goto done;
            }
        }
        if ((uint32_t)t + 1 > *steps) *steps = (uint32_t)t + 1;
    }
done:
    csv_close(&c);
    return st;
}

/* ---- a trace and a layout (waggle draw) ----------------------------------------------------- */

void wg_folder_trace_free(wg_folder_trace *t)
{
    free(t->id);
    free(t->id_text);
    free(t->parent);
    free(t->step);
    free(t->talked);
    free(t->state);
    free(t->valence);
    free(t->source);
    memset(t, 0, sizeof *t);
}

/* Field i of the current line as a whole number in [0, max], or empty (*out = none) when
 * `empty` allows it. */
static int csv_uint(csv *c, int i, uint64_t max, int empty, uint64_t none, uint64_t *out,
                    wg_diag *d)
{
    const char *t = i < c->nf ? c->f[i] : "";
    if (!*t && empty) {
        *out = none;
        return 1;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(t, &end, 10);
    if (!*t || *end || *t == '-' || *t == '+' || errno == ERANGE || v > max) {
        wg_diag_error(d, WG_EINPUT, "%s:%u: column %s: expected a whole number from 0 to %llu%s, "
                      "got '%s'", c->name, c->line, c->head[i], (unsigned long long)max,
                      empty ? " or nothing" : "", t);
        return 0;
    }
    *out = v;
    return 1;
}

/* Field i as a name of table (entry 0 may be "": an empty field). */
static int csv_name(csv *c, int i, const char *const *table, const char *what, uint8_t *out,
                    wg_diag *d)
{
    const char *t = i < c->nf ? c->f[i] : "";
    int k = wg_name_index(table, t);
    if (k < 0) {
        wg_diag_error(d, WG_EINPUT, "%s:%u: column %s: '%s' is not a %s", c->name, c->line,
                      c->head[i], t, what);
        return 0;
    }
    *out = (uint8_t)k;
    return 1;
}

/* The slot hash of an id's text (FNV-1a, its high bits folded in). */
static size_t id_hash(const char *s)
{
    const uint64_t h = wg_fnv1a_text(s);
    return (size_t)(h ^ h >> 32);
}

wg_status wg_folder_read_trace(const char *dir, const char *name, uint32_t n, wg_folder_trace *t,
                               wg_diag *d)
{
    static const char *const cols[] = {"agent", "id", "state", "valence", "step_reached",
                                       "source", "parent", "talked_steps"};
    enum { NC = sizeof cols / sizeof cols[0] };
    csv c;
    int ci[NC];
    memset(t, 0, sizeof *t);
    wg_status st = csv_open(&c, dir, name, d);
    if (st != WG_OK) return st;
    for (int k = 0; k < NC; k++)
        if ((ci[k] = csv_col(&c, cols[k], d)) < 0) {
            csv_close(&c);
            return WG_EINPUT;
        }
    t->n = n;
    size_t m = n ? n : 1;
    t->id = wg_malloc(m, sizeof *t->id);
    t->parent = wg_malloc(m, sizeof *t->parent);
    /* the ids' text, and the parents' until they are resolved: at most the file's bytes */
    size_t tlen = strlen(c.at) + 2, used = 0;
    t->id_text = wg_malloc(2 * tlen, 1);
    size_t *par_at = wg_malloc(m, sizeof *par_at);
    uint32_t *slot = NULL;
    size_t nslot = 16;
    while (nslot < 2 * (size_t)m) nslot *= 2;
    t->step = wg_malloc(m, sizeof *t->step);
    t->talked = wg_malloc(m, sizeof *t->talked);
    t->state = wg_malloc(m, 1);
    t->valence = wg_malloc(m, 1);
    t->source = wg_malloc(m, 1);
    slot = wg_malloc(nslot, sizeof *slot);
    if (!t->id || !t->parent || !t->step || !t->talked || !t->state || !t->valence ||
        !t->source || !t->id_text || !par_at || !slot) {
        st = wg_canvas_oom(d);
        goto done;
    }
    uint32_t a = 0;
    while (csv_next(&c)) {
        uint64_t v[4];
        if (a == n) {
            wg_diag_error(d, WG_EINPUT, "%s:%u: more rows than the network's %u agents: the "
                          "trace of another network", name, c.line, n);
            st = WG_EINPUT;
            goto done;
        }
        if (!csv_uint(&c, ci[0], UINT32_MAX, 0, 0, &v[0], d)) goto bad;
        if (v[0] != a) {
            wg_diag_error(d, WG_EINPUT, "%s:%u: column agent: expected %u (one row per agent, in "
                          "order), got %s", name, c.line, a, c.f[ci[0]]);
            goto bad;
        }
        uint8_t val;
        const char *idf = ci[1] < c.nf ? c.f[ci[1]] : "";
        const char *pf = ci[6] < c.nf ? c.f[ci[6]] : "";
        if (!*idf) {
            wg_diag_error(d, WG_EINPUT, "%s:%u: column id: empty (every agent has an id)", name,
                          c.line);
            goto bad;
        }
        size_t il = strlen(idf) + 1, pl = strlen(pf) + 1;
        t->id[a] = t->id_text + used;
        memcpy(t->id_text + used, idf, il);
        used += il;
        par_at[a] = *pf ? used : SIZE_MAX;
        memcpy(t->id_text + used, pf, pl);
        used += pl;
        if (!csv_name(&c, ci[2], wg_state_singular_names, "state", &t->state[a], d) ||
            !(ci[3] < c.nf && !*c.f[ci[3]] ? (val = 2, 1)
                                            : csv_name(&c, ci[3], wg_valence_names, "valence",
                                                       &val, d)) ||
            !csv_uint(&c, ci[4], MAX_STEP, 1, WG_TRACE_NONE, &v[1], d) ||
            !csv_name(&c, ci[5], wg_source_names, "source", &t->source[a], d) ||
            !csv_uint(&c, ci[7], UINT32_MAX, 0, 0, &v[2], d))
            goto bad;
        /* an empty valence (val 2) is "not in the reach"; else WG_POS or WG_NEG */
        t->valence[a] = val == 2 ? -1 : (int8_t)val;
        t->step[a] = (uint32_t)v[1];
        t->talked[a] = (uint32_t)v[2];
        a++;
    }
    if (a != n) {
        wg_diag_error(d, WG_EINPUT, "%s:%u: %u rows for the network's %u agents: the trace of "
                      "another network", name, c.line, a, n);
        st = WG_EINPUT;
        goto done;
    }
    /* parents: the row of each parent's id (a table of the ids, open addressing) */
    for (size_t k = 0; k < nslot; k++) slot[k] = UINT32_MAX;
    for (uint32_t r = 0; r < n; r++) {
        size_t h = id_hash(t->id[r]) & (nslot - 1);
        while (slot[h] != UINT32_MAX) h = (h + 1) & (nslot - 1);
        slot[h] = r;
    }
    for (uint32_t r = 0; r < n; r++) {
        t->parent[r] = UINT32_MAX;
        if (par_at[r] == SIZE_MAX) continue;
        const char *pid = t->id_text + par_at[r];
        for (size_t h = id_hash(pid) & (nslot - 1); slot[h] != UINT32_MAX; h = (h + 1) & (nslot - 1))
            if (strcmp(t->id[slot[h]], pid) == 0) {
                t->parent[r] = slot[h];
                break;
            }
        if (t->parent[r] == UINT32_MAX) {
            wg_diag_error(d, WG_EINPUT, "%s: agent %u's parent '%s' is the id of no row: the trace "
                          "of another network", name, r, pid);
            st = WG_EINPUT;
            goto done;
        }
    }
    goto done;
bad:
    st = WG_EINPUT;
done:
    csv_close(&c);
    free(par_at);
    free(slot);
    if (st != WG_OK) wg_folder_trace_free(t);
    return st;
}

/* ---- a compare folder ------------------------------------------------------------------------ */

/* Code points that are not letters or digits in a folder name: Latin-1's
 * signs, general and CJK punctuation, full-width ASCII punctuation, the
 * symbols and emoji blocks. Every other code point above ASCII is kept. */
static int slug_separator(uint32_t c)
{
    return (c >= 0x80 && c <= 0xbf) || c == 0xd7 || c == 0xf7 || (c >= 0x2000 && c <= 0x2bff) ||
           (c >= 0x3000 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3020) || c == 0x30fb ||
           (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20) ||
           (c >= 0xff3b && c <= 0xff40) || (c >= 0xff5b && c <= 0xff65) || (c >= 0x1f000 && c <= 0x1faff);
}

/* The lower case of the capitals of Latin-1, Latin Extended-A (pairs),
 * Greek (with tonos too) and Cyrillic; any other code point as it is. */
static uint32_t slug_lower(uint32_t c)
{
    if ((c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3a9 && c != 0x3a2) ||
        (c >= 0x410 && c <= 0x42f))
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40f) return c + 0x50;
    if (c == 0x386) return 0x3ac;   /* Greek capitals with tonos */
    if (c >= 0x388 && c <= 0x38a) return c + 0x25;
    if (c == 0x38c) return 0x3cc;
    if (c == 0x38e || c == 0x38f) return c + 0x3f;
    if ((c >= 0x100 && c <= 0x137 && c != 0x130) || (c >= 0x14a && c <= 0x177)) return c % 2 ? c : c + 1;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) return c % 2 ? c + 1 : c;
    if (c == 0x178) return 0xff;   /* Ÿ */
    return c;
}

static char *put_utf8(char *o, uint32_t c)
{
    if (c < 0x80) {
        *o++ = (char)c;
    } else if (c < 0x800) {
        *o++ = (char)(0xc0 | c >> 6);
        *o++ = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        *o++ = (char)(0xe0 | c >> 12);
        *o++ = (char)(0x80 | (c >> 6 & 0x3f));
        *o++ = (char)(0x80 | (c & 0x3f));
    } else {
        *o++ = (char)(0xf0 | c >> 18);
        *o++ = (char)(0x80 | (c >> 12 & 0x3f));
        *o++ = (char)(0x80 | (c >> 6 & 0x3f));
        *o++ = (char)(0x80 | (c & 0x3f));
    }
    return o;
}

/* The longest slug, bytes: room for "-N" in a folder name of 255 bytes. */
#define WG_SLUG_MAX_BYTES 200

char *wg_render_slug(const char *name)
{
    size_t n = strlen(name);
    char *s = wg_malloc(n + sizeof "variant" + 4, 1), *o = s;
    if (!s) return NULL;
    for (const char *p = name; *p;) {
        uint32_t c = 0;
        int k = wg_utf8_next(p, &c);
        p += k ? k : 1;
        if (k == 1 && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            *o++ = (char)c;
        } else if (k == 1 && c >= 'A' && c <= 'Z') {
            *o++ = (char)(c - 'A' + 'a');
        } else if (k > 1 && !slug_separator(c)) {
            /* a letter of another script (or a mark, or a digit): kept, capitals lowered */
            if (o - s + 4 > WG_SLUG_MAX_BYTES) break;
            o = put_utf8(o, slug_lower(c));
        } else if (o > s && o[-1] != '-') {   /* blanks, punctuation, invalid bytes */
            *o++ = '-';
        }
        if (o - s >= WG_SLUG_MAX_BYTES) break;
    }
    while (o > s && o[-1] == '-') o--;
    *o = '\0';
    if (!*s) strcpy(s, "variant");
    return s;
}

void wg_folder_compare_free(wg_folder_cmp *c)
{
    info_free(&c->info);
    for (int i = 0; i <= WG_FOLDER_MAX_VARIANTS; i++) {
        free(c->var[i]);
        for (int v = 0; v < NVAL; v++)
            for (int q = 0; q < NQ; q++) free(c->q[i][v][q]);
    }
    for (int i = 0; i < WG_FOLDER_MAX_METRICS; i++) free(c->met[i]);
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

wg_status wg_folder_read_compare(const char *dir, wg_folder_cmp *cd, wg_diag *d)
{
    const char *const reach[NVAL] = {wg_metric_name(WG_M_REACH_POS),
                                     wg_metric_name(WG_M_REACH_NEG)};
    static const char *const cols[] = {"variant", "metric", "diff_mean", "diff_lo", "diff_hi",
                                       "p_better", "base_mean"};
    csv c;
    int ci[7], nomem = 0;
    memset(cd, 0, sizeof *cd);
    char *bdir = wg_path_join(dir, "base");
    if (!bdir) return wg_canvas_oom(d);
    wg_status st = read_manifest(bdir, &cd->info, d);
    if (st == WG_OK) st = read_summary(bdir, reach, cd->q[0], &cd->steps[0], d);
    if (st == WG_OK) st = fire_triggers(bdir, &cd->info, d);
    free(bdir);
    cd->nev[0] = cd->info.nev;
    memcpy(cd->ev[0], cd->info.ev, sizeof cd->ev[0]);
    if (st != WG_OK) {
        wg_folder_compare_free(cd);
        return st;
    }
    if (!(cd->var[0] = wg_strdup("base"))) return wg_canvas_oom(d);
    cd->nvar = 1;
    if ((st = csv_open(&c, dir, "compare.csv", d)) != WG_OK) return st;
    for (int k = 0; k < 7; k++)
        if ((ci[k] = csv_col(&c, cols[k], d)) < 0) st = WG_EINPUT;
    while (st == WG_OK && csv_next(&c)) {
        wg_folder_cmp_row row;
        if (!csv_num(&c, ci[2], &row.diff, d) || !csv_num(&c, ci[3], &row.lo, d) ||
            !csv_num(&c, ci[4], &row.hi, d) || !csv_num(&c, ci[5], &row.p_better, d) ||
            !csv_num(&c, ci[6], &row.base, d)) {
            st = WG_EINPUT;
            break;
        }
        const char *vn = ci[0] < c.nf ? c.f[ci[0]] : "", *mn = ci[1] < c.nf ? c.f[ci[1]] : "";
        row.variant = intern(cd->var, &cd->nvar, WG_FOLDER_MAX_VARIANTS + 1, vn, &nomem);
        row.metric = intern(cd->met, &cd->nmet, WG_FOLDER_MAX_METRICS, mn, &nomem);
        if (nomem) {
            st = wg_canvas_oom(d);
            break;
        }
        if (row.variant < 1 || row.metric < 0) continue;   /* beyond what one chart shows */
        if (cd->nrows % 32 == 0) {
            wg_folder_cmp_row *t = wg_realloc(cd->rows, cd->nrows + 32, sizeof *t);
            if (!t) {
                st = wg_canvas_oom(d);
                break;
            }
            cd->rows = t;
        }
        cd->rows[cd->nrows++] = row;
    }
    csv_close(&c);
    /* the folder of each variant: as blowup.csv names it (waggle compare makes
     * names unique there), else the slug of its name */
    char *folder[WG_FOLDER_MAX_VARIANTS + 1] = {0};
    for (int i = 0; i <= WG_FOLDER_MAX_VARIANTS; i++) cd->blow[i] = cd->blow_lo[i] =
        cd->blow_hi[i] = NAN;
    if (st == WG_OK && wg_folder_has(dir, "blowup.csv") &&
        (st = csv_open(&c, dir, "blowup.csv", d)) == WG_OK) {
        int cv = csv_col(&c, "variant", d), cf = csv_col(&c, "folder", d);
        int cs = csv_col(&c, "share", d), clo = csv_col(&c, "lo", d), chi = csv_col(&c, "hi", d);
        if (cv < 0 || cf < 0 || cs < 0 || clo < 0 || chi < 0) st = WG_EINPUT;
        cd->has_blow = st == WG_OK;
        while (st == WG_OK && csv_next(&c)) {
            for (int i = 0; i < cd->nvar && st == WG_OK; i++) {
                if (cv >= c.nf || cf >= c.nf || strcmp(c.f[cv], cd->var[i]) != 0) continue;
                if (i && !folder[i] && !(folder[i] = wg_strdup(c.f[cf]))) st = wg_canvas_oom(d);
                else if (!csv_num(&c, cs, &cd->blow[i], d) || !csv_num(&c, clo, &cd->blow_lo[i], d) ||
                         !csv_num(&c, chi, &cd->blow_hi[i], d))
                    st = WG_EINPUT;
            }
        }
        csv_close(&c);
    }
    for (int i = 1; i < cd->nvar && st == WG_OK; i++) {
        if (!folder[i] && !(folder[i] = wg_render_slug(cd->var[i]))) {
            st = wg_canvas_oom(d);
            break;
        }
        char *vdir = wg_path_join(dir, folder[i]);
        wg_folder_info vi;
        if (!vdir) st = wg_canvas_oom(d);
        else st = read_summary(vdir, reach, cd->q[i], &cd->steps[i], d);
        /* the arm's own timeline, for the events on the curves (read only when the
         * manifest is there: compare.csv and the summaries are what a compare needs) */
        if (st == WG_OK && wg_folder_has(vdir, "manifest.yaml") &&
            (st = read_manifest(vdir, &vi, d)) == WG_OK) {
            st = fire_triggers(vdir, &vi, d);
            cd->nev[i] = vi.nev;
            memcpy(cd->ev[i], vi.ev, sizeof cd->ev[i]);
            info_free(&vi);
        }
        free(vdir);
    }
    for (int i = 0; i <= WG_FOLDER_MAX_VARIANTS; i++) free(folder[i]);
    return st;
}

/* ---- a sweep folder -------------------------------------------------------------------------- */

void wg_folder_sweep_free(wg_folder_sweep *s)
{
    info_free(&s->info);
    free(s->key[0]);
    free(s->key[1]);
    free(s->row);
    memset(s, 0, sizeof *s);
}

wg_status wg_folder_read_sweep(const char *dir, wg_folder_sweep *s, wg_diag *d)
{
    csv c;
    size_t cap = 0;
    memset(s, 0, sizeof *s);
    wg_status st = read_manifest(dir, &s->info, d);
    if (st != WG_OK) return st;
    if ((st = csv_open(&c, dir, "sweep.csv", d)) != WG_OK) {
        wg_folder_sweep_free(s);
        return st;
    }
    int cm = csv_col(&c, "metric", d), cmean = csv_col(&c, "mean", d);
    int c05 = csv_col(&c, "p05", d), c95 = csv_col(&c, "p95", d);
    if (cm < 0 || cmean < 0 || c05 < 0 || c95 < 0 || cm < 2) {
        if (!d->errors)
            wg_diag_error(d, WG_EINPUT, "sweep.csv: expected point,<keys>,metric,mean,sd,p05,"
                          "p50,p95");
        csv_close(&c);
        wg_folder_sweep_free(s);
        return WG_EINPUT;
    }
    s->nkeys = cm - 1;
    for (int k = 0; k < s->nkeys && k < 2; k++)
        if (!(s->key[k] = wg_strdup(c.head[1 + k]))) goto nomem;
    long last = -1;
    while (csv_next(&c)) {
        double pt, v[3];
        if (!csv_num(&c, 0, &pt, d)) goto bad;
        int val = strcmp(c.f[cm], wg_final_metric_name(WG_F_REACH_NEG)) == 0   ? V_NEG
                  : strcmp(c.f[cm], wg_final_metric_name(WG_F_REACH_POS)) == 0 ? V_POS
                                                                               : -1;
        if (val < 0) continue;
        if ((long)pt != last) {
            if (s->n == cap) {
                size_t nc = cap ? 2 * cap : 64;
                wg_folder_sweep_row *r = wg_realloc(s->row, nc, sizeof *r);
                if (!r) goto nomem;
                s->row = r;
                cap = nc;
            }
            wg_folder_sweep_row *r = &s->row[s->n++];
            memset(r, 0, sizeof *r);
            if (!csv_num(&c, 1, &r->x, d)) goto bad;
            if (s->nkeys >= 2 && !csv_num(&c, 2, &r->y, d)) goto bad;
            if (!isfinite(r->x) || (s->nkeys >= 2 && !isfinite(r->y))) {
                int k = !isfinite(r->x) ? 1 : 2;
                wg_diag_error(d, WG_EINPUT, "%s:%u: column %s: a swept value must be a finite "
                              "number, got '%s'", c.name, c.line, c.head[k], c.f[k]);
                goto bad;
            }
            last = (long)pt;
        }
        if (!csv_num(&c, cmean, &v[0], d) || !csv_num(&c, c05, &v[1], d) ||
            !csv_num(&c, c95, &v[2], d))
            goto bad;
        wg_folder_sweep_row *r = &s->row[s->n - 1];
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
    wg_folder_sweep_free(s);
    return d->status ? d->status : WG_EINPUT;
}


/* ---- an optimize folder ---------------------------------------------------------------------- */

void wg_folder_optimize_free(wg_folder_opt *o)
{
    info_free(&o->info);
    free(o->metric);
    for (int i = 0; i < o->nser; i++) free(o->method[i]);
    free(o->row);
    memset(o, 0, sizeof *o);
}

wg_status wg_folder_read_optimize(const char *dir, wg_folder_opt *o, wg_diag *d)
{
    csv c;
    size_t cap = 0;
    int oom = 0;
    memset(o, 0, sizeof *o);
    o->chosen = -1;
    wg_status st = read_manifest(dir, &o->info, d);
    if (st != WG_OK) return st;
    o->respond = o->info.respond;
    o->grid = wg_folder_has(dir, "policies.csv");
    if ((st = csv_open(&c, dir, o->grid ? "policies.csv" : "optimize.csv", d)) != WG_OK) {
        wg_folder_optimize_free(o);
        return st;
    }
    int ck = csv_col(&c, o->grid ? "delay" : "k", d);
    int cm = csv_col(&c, o->grid ? "per_step" : "method", d), cmet = csv_col(&c, "metric", d);
    int cmean = csv_col(&c, "mean", d), clo = csv_col(&c, "lo", d), chi = csv_col(&c, "hi", d);
    int cch = o->grid ? csv_col(&c, "chosen", d) : 0;
    if (ck < 0 || cm < 0 || cmet < 0 || cmean < 0 || clo < 0 || chi < 0 || cch < 0) goto bad;
    while (csv_next(&c)) {
        if (c.nf <= cm || c.nf <= cmet || c.nf <= cch) {
            wg_diag_error(d, WG_EINPUT, "%s:%u: expected %d fields", c.name, c.line, c.nhead);
            goto bad;
        }
        if (!o->metric && !(o->metric = wg_strdup(c.f[cmet]))) goto nomem;
        int ser = intern(o->method, &o->nser, WG_FOLDER_MAX_SERIES, c.f[cm], &oom);
        if (ser < 0) {
            if (oom) goto nomem;
            continue;   /* beyond the series drawn */
        }
        if (o->n == cap) {
            size_t nc = cap ? 2 * cap : 32;
            wg_folder_opt_row *r = wg_realloc(o->row, nc, sizeof *r);
            if (!r) goto nomem;
            o->row = r;
            cap = nc;
        }
        wg_folder_opt_row *r = &o->row[o->n];
        r->series = ser;
        if (!csv_num(&c, ck, &r->k, d) || !csv_num(&c, cmean, &r->mean, d) ||
            !csv_num(&c, clo, &r->lo, d) || !csv_num(&c, chi, &r->hi, d))
            goto bad;
        if (o->grid && strcmp(c.f[cch], "1") == 0) o->chosen = (long)o->n;
        o->n++;
    }
    csv_close(&c);
    return WG_OK;
nomem:
    wg_diag_error(d, WG_ENOMEM, "out of memory");
bad:
    csv_close(&c);
    wg_folder_optimize_free(o);
    return d->status ? d->status : WG_EINPUT;
}

/* ---- a sweep's sensitivity.csv --------------------------------------------------------------- */

void wg_folder_sensitivity_free(wg_folder_sens *s)
{
    info_free(&s->info);
    for (int i = 0; i < s->nkeys; i++) free(s->key[i]);
    memset(s, 0, sizeof *s);
}

wg_status wg_folder_read_sensitivity(const char *dir, wg_folder_sens *s, wg_diag *d)
{
    csv c;
    int oom = 0;
    memset(s, 0, sizeof *s);
    for (int v = 0; v < NVAL; v++)
        for (int i = 0; i < WG_FOLDER_MAX_KEYS; i++)
            s->first[v][i] = s->first_lo[v][i] = s->first_hi[v][i] = s->total[v][i] =
                s->total_lo[v][i] = s->total_hi[v][i] = NAN;
    wg_status st = read_manifest(dir, &s->info, d);
    if (st != WG_OK) return st;
    if ((st = csv_open(&c, dir, "sensitivity.csv", d)) != WG_OK) {
        wg_folder_sensitivity_free(s);
        return st;
    }
    static const char *const cols[] = {"first_order", "first_lo", "first_hi",
                                       "total",       "total_lo", "total_hi"};
    int cm = csv_col(&c, "metric", d), ckey = csv_col(&c, "key", d), ci[6];
    for (int t = 0; t < 6; t++) ci[t] = csv_col(&c, cols[t], d);
    if (cm < 0 || ckey < 0 || ci[0] < 0 || ci[1] < 0 || ci[2] < 0 || ci[3] < 0 || ci[4] < 0 ||
        ci[5] < 0)
        goto bad;
    while (csv_next(&c)) {
        if (c.nf <= cm || c.nf <= ckey) {
            wg_diag_error(d, WG_EINPUT, "sensitivity.csv:%u: expected %d fields", c.line,
                          c.nhead);
            goto bad;
        }
        int val = strcmp(c.f[cm], wg_final_metric_name(WG_F_REACH_NEG)) == 0   ? V_NEG
                  : strcmp(c.f[cm], wg_final_metric_name(WG_F_REACH_POS)) == 0 ? V_POS
                                                                               : -1;
        if (val < 0) continue;
        int k = intern(s->key, &s->nkeys, WG_FOLDER_MAX_KEYS, c.f[ckey], &oom);
        if (k < 0) {
            if (oom) goto nomem;
            continue;
        }
        double *dst[6] = {&s->first[val][k], &s->first_lo[val][k], &s->first_hi[val][k],
                          &s->total[val][k], &s->total_lo[val][k], &s->total_hi[val][k]};
        for (int t = 0; t < 6; t++)
            if (!csv_num(&c, ci[t], dst[t], d)) goto bad;
    }
    csv_close(&c);
    return WG_OK;
nomem:
    wg_diag_error(d, WG_ENOMEM, "out of memory");
bad:
    csv_close(&c);
    wg_folder_sensitivity_free(s);
    return d->status ? d->status : WG_EINPUT;
}

/* ---- any CSV file of a folder, for the brief ------------------------------------------------- */

void wg_folder_table_free(wg_folder_table *t)
{
    free(t->text);
    free(t->cell);
    memset(t, 0, sizeof *t);
}

wg_status wg_folder_read_table(const char *dir, const char *name, wg_folder_table *t, wg_diag *d)
{
    csv c;
    memset(t, 0, sizeof *t);
    wg_status st = csv_open(&c, dir, name, d);
    if (st != WG_OK) return st;
    /* the fields point into the text, split in place: the table keeps it */
    t->text = c.text;
    t->ncols = c.nhead;
    size_t cap = 64;
    if (!(t->cell = wg_malloc(cap * (size_t)(t->ncols + 1), sizeof *t->cell))) goto oom;
    for (int k = 0; k < t->ncols; k++) t->cell[k] = c.head[k];
    while (csv_next(&c)) {
        if (t->nrows + 2 > cap) {
            char **g = wg_realloc(t->cell, 2 * cap * (size_t)(t->ncols + 1), sizeof *g);
            if (!g) goto oom;
            t->cell = g;
            cap *= 2;
        }
        char **row = t->cell + (t->nrows + 1) * (size_t)t->ncols;
        static char none[] = "";
        for (int k = 0; k < t->ncols; k++) row[k] = k < c.nf ? c.f[k] : none;
        t->nrows++;
    }
    return WG_OK;
oom:
    wg_folder_table_free(t);
    return wg_canvas_oom(d);
}

int wg_folder_table_col(const wg_folder_table *t, const char *name)
{
    for (int k = 0; k < t->ncols; k++)
        if (strcmp(t->cell[k], name) == 0) return k;
    return -1;
}

const char *wg_folder_table_str(const wg_folder_table *t, size_t r, int col)
{
    return col >= 0 && col < t->ncols && r < t->nrows ? t->cell[(r + 1) * (size_t)t->ncols + col]
                                                      : "";
}

double wg_folder_table_num(const wg_folder_table *t, size_t r, int col)
{
    const char *s = wg_folder_table_str(t, r, col);
    char *end;
    double v = strtod(s, &end);
    return *s && !*end ? v : NAN;
}

wg_status wg_folder_read_info(const char *dir, wg_folder_info *info, wg_diag *d)
{
    return read_manifest(dir, info, d);
}

void wg_folder_info_free(wg_folder_info *info)
{
    info_free(info);
}
