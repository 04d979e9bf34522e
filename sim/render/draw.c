/*
 * draw.c — pictures of a cascade (DESIGN.md, "Pictures of a cascade"):
 * `waggle draw DIR` draws one traced run of a run folder on its network:
 * network.png (agents coloured by their state at a step, sized by degree,
 * seeds ringed), cascade.gif (one frame a step, the run's curves beside the
 * network with a marker at the step, the step and the counts on every
 * frame), strip.png (six moments) and layout.csv (the igraph layout, reused).
 *
 * The state of agent a at the end of step t comes from its trace row
 * (step_reached s, talked_steps k, final state): unaware before s; from s
 * talking (advocate or critic by its valence) until it fell quiet — at the
 * end of step s + k (s + k - 1 for a seed, which talks in its own step) —
 * then quiet (supporter or rejecter); talking to the end when its final
 * state talks; immune agents immune throughout. An agent that left the
 * reach again (forget, blocked) has no step in its trace and is drawn
 * unaware. The counts printed on a frame are series.csv's, not these.
 *
 * Invariants:
 * 1. Everything is read and checked (trace, series, layout) before the
 *    first file is written; files are written through wg_out (complete or
 *    absent). The stop flag is polled between frames.
 * 2. The layout's coordinates are the six decimals layout.csv holds, also
 *    when freshly computed, so a reused layout draws the same bytes.
 * 3. layout.csv's first line names the network it lays out (agents, arcs
 *    and a hash of the arcs); a layout of another network is refused.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "waggle/graph.h"
#include "waggle/output.h"
#include "waggle/render.h"

#include "canvas.h"
#include "chart.h"
#include "folder.h"

#define LAYOUT_NAME "layout.csv"
#define GIF_DELAY_CS 30           /* a step of the GIF: 0.3 s */
#define GIF_HOLD_CS 250           /* the last frame stays 2.5 s before the loop */
#define MAX_EDGES_DRAWN 400000u   /* above this many edges only the parents' are drawn */
#define EDGES_PER_STROKE 256u     /* the light edges of the network are stroked this many at once */
#define FRAME_MIN_PLOT 120.0      /* design pixels: the least height of a frame's curves */

/* The colour of state s (chart.h's palette; a function, as C has no constant of a
 * const object to initialize a static array with). */
static wg_rgb state_col(int s)
{
    switch (s) {
    case WG_ADVOCATE: return C_POS;
    case WG_CRITIC: return C_NEG;
    case WG_SUPPORTER: return C_POS_QUIET;
    case WG_REJECTER: return C_NEG_QUIET;
    case WG_IMMUNE: return C_IMMUNE;
    default: return C_UNAWARE;
    }
}

void wg_draw_opts_default(wg_draw_opts *o)
{
    memset(o, 0, sizeof *o);
    o->which = WG_TRACE_INDEX;
    o->run = -1;
    o->step = -1;
    o->layout = -1;
    o->pictures = WG_DRAW_ALL;
}

void wg_draw_report_free(wg_draw_report *r)
{
    if (!r) return;
    free(r->r);
    free(r->counts);
    r->r = NULL;
    r->counts = NULL;
}

static uint32_t rgb_of(wg_rgb c)
{
    return (uint32_t)lround(c.r * 255) << 16 | (uint32_t)lround(c.g * 255) << 8 |
           (uint32_t)lround(c.b * 255);
}

uint32_t wg_draw_state_rgb(int s)
{
    return s >= 0 && s < WG_NSTATES ? rgb_of(state_col(s)) : 0;
}

/* What a drawing of one run holds. */
typedef struct scene {
    const wg_graph *g;
    wg_folder_run fr;
    wg_folder_trace tr;
    uint32_t run, steps;
    double *s[WG_NSTATES];        /* series.csv's counts of the run by step */
    uint32_t *parent;             /* agent index of each agent's parent, or WG_NO_AGENT */
    uint32_t *keep, nkeep;        /* agents drawn (all, or the reached and their parents) */
    double *x, *y;                /* layout of agent a (NaN: not drawn) */
    double *rad;                  /* disc radius at unit scale (times the panel's side) */
    uint8_t *st;                  /* states at the step being drawn */
    int kind;                     /* the layout's */
    int fresh;                    /* 1: the layout was computed here (layout.csv to write) */
} scene;

/* ---- states at a step ------------------------------------------------------------------------ */

static uint8_t state_at(const wg_folder_trace *tr, uint32_t a, uint32_t t)
{
    uint8_t fin = tr->state[a];
    if (fin == WG_IMMUNE) return WG_IMMUNE;
    uint32_t s = tr->step[a];
    if (s == WG_TRACE_NONE || t < s || tr->valence[a] < 0) return WG_UNAWARE;
    int neg = tr->valence[a] == WG_NEG;
    if (fin == WG_ADVOCATE || fin == WG_CRITIC) return neg ? WG_CRITIC : WG_ADVOCATE;
    uint64_t quiet = (uint64_t)s + tr->talked[a] - (tr->source[a] == WG_SRC_SEED ? 1 : 0);
    if (tr->talked[a] == 0 && tr->source[a] == WG_SRC_SEED) quiet = s;
    if (t < quiet) return neg ? WG_CRITIC : WG_ADVOCATE;
    return neg ? WG_REJECTER : WG_SUPPORTER;
}

static void states_at(scene *sc, uint32_t t)
{
    for (uint32_t a = 0; a < sc->g->n; a++) sc->st[a] = state_at(&sc->tr, a, t);
}

/* ---- the network's fingerprint and the layout file ----------------------------------------- */

/* FNV-1a over the arcs in CSR order: two networks with the same agents and
 * arcs have the same hash, a different arc changes it. */
static uint64_t arcs_hash(const wg_graph *g)
{
    uint64_t h = WG_FNV_BASIS;
    for (uint32_t a = 0; a < g->n; a++)
        for (uint64_t k = g->out_off[a]; k < g->out_off[a + 1]; k++) {
            const uint64_t v = (uint64_t)a << 32 | g->out_adj[k];
            unsigned char b[8];   /* little-endian on every machine */
            for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
            h = wg_fnv1a(h, b, sizeof b);
        }
    return h;
}

/* The layout's first line: "# waggle layout: KIND; network N agents M arcs hash H; agents
 * all" (or "; agents reached in run R"). */
static void layout_head(char *buf, size_t cap, const scene *sc, int with_kind)
{
    char who[64];
    if (sc->nkeep == sc->g->n) snprintf(who, sizeof who, "all");
    else snprintf(who, sizeof who, "reached in run %u", sc->run);
    int n = with_kind ? snprintf(buf, cap, "# waggle layout: %s; ", wg_layout_names[sc->kind])
                      : 0;
    snprintf(buf + n, cap - (size_t)n, "network %u agents %" PRIu64 " arcs hash %016" PRIx64
             "; agents %s", sc->g->n, sc->g->m, arcs_hash(sc->g), who);
}


/* Read layout.csv when it lays out this network's drawn agents: *reused 1,
 * or 0 when absent or made for other agents (or another kind than asked). */
static wg_status layout_read(scene *sc, const char *dir, int asked, int *reused, wg_diag *d)
{
    char *p = wg_path_join(dir, LAYOUT_NAME), *text = NULL;
    *reused = 0;
    if (!p) return wg_canvas_oom(d);
    struct stat sb;
    if (stat(p, &sb) != 0) {
        free(p);
        return WG_OK;
    }
    size_t len;
    wg_status st = wg_input_read(p, WG_IN_RESULT, &text, &len, d);
    if (st != WG_OK) {
        free(p);
        return st;
    }
    char want[256], *nl = strchr(text, '\n');
    layout_head(want, sizeof want, sc, 0);
    const char *kind_at = "# waggle layout: ", *net = nl ? strstr(text, "; network ") : NULL;
    int rc = -1;
    st = WG_EINPUT;
    if (strncmp(text, kind_at, strlen(kind_at)) != 0 || !net || net > nl) {
        wg_diag_error(d, WG_EINPUT, "%s:1:1: not a layout of waggle draw (expected \"%snetwork "
                      "...\"); remove it to lay the network out again", p, kind_at);
        goto done;
    }
    *nl = '\0';
    /* the network part must agree whatever agents it holds */
    const char *agents_at = strstr(net, "; agents ");
    const char *want_agents = strstr(want, "; agents ");
    size_t netlen = agents_at ? (size_t)(agents_at - net - 2) : 0;
    if (!agents_at || netlen != (size_t)(want_agents - want) ||
        strncmp(net + 2, want, netlen) != 0) {
        wg_diag_error(d, WG_EINPUT, "%s:1:%d: the layout of a different network (%.*s; this "
                      "folder's network: %.*s); remove it, or draw into a copy of the folder",
                      p, (int)(net + 3 - text), (int)netlen, net + 2,
                      (int)(want_agents - want), want);
        goto done;
    }
    if (strcmp(agents_at, want_agents) != 0) {   /* made for another run's reach */
        rc = 0;
        goto done;
    }
    int kind = -1;
    for (int k = 0; k < WG_NLAYOUTS; k++) {
        size_t kl = strlen(wg_layout_names[k]);
        if (strncmp(text + strlen(kind_at), wg_layout_names[k], kl) == 0 &&
            text[strlen(kind_at) + kl] == ';')
            kind = k;
    }
    if (kind < 0) {
        wg_diag_error(d, WG_EINPUT, "%s:1:%d: unknown layout kind (expected fr, kk or drl)", p,
                      (int)strlen(kind_at) + 1);
        goto done;
    }
    if (asked >= 0 && asked != kind) {   /* another layout was asked for */
        rc = 0;
        goto done;
    }
    sc->kind = kind;
    /* rows: agent,id,x,y for every drawn agent, in agent order */
    char *l = nl + 1;
    unsigned line = 1;
    uint32_t i = 0;
    int header = 0;
    while (*l) {
        char *e = strchr(l, '\n');
        if (e) *e = '\0';
        line++;
        if (*l && *l != '#') {
            if (!header) {
                if (strcmp(l, "agent,id,x,y") != 0) {
                    wg_diag_error(d, WG_EINPUT, "%s:%u:1: expected the header agent,id,x,y", p,
                                  line);
                    goto done;
                }
                header = 1;
            } else {
                char *f[5];
                size_t nf = wg_csv_split(l, f, 5);
                char *end1, *end2, *end3;
                errno = 0;
                unsigned long long ag = nf == 4 ? strtoull(f[0], &end1, 10) : 0;
                double x = nf == 4 ? strtod(f[2], &end2) : 0, y = nf == 4 ? strtod(f[3], &end3) : 0;
                char idb[WG_ID_BUF];
                if (nf != 4 || *end1 || *end2 || *end3 || i >= sc->nkeep || ag != sc->keep[i] ||
                    strcmp(f[1], wg_graph_id(sc->g, sc->keep[i], idb)) != 0 || !isfinite(x) ||
                    !isfinite(y)) {
                    wg_diag_error(d, WG_EINPUT, "%s:%u:1: expected agent %u's row (agent,id,x,y "
                                  "with finite x and y): the layout of a different network",
                                  p, line, i < sc->nkeep ? sc->keep[i] : sc->g->n);
                    goto done;
                }
                sc->x[sc->keep[i]] = x;
                sc->y[sc->keep[i]] = y;
                i++;
            }
        }
        if (!e) break;
        l = e + 1;
    }
    if (i != sc->nkeep) {
        wg_diag_error(d, WG_EINPUT, "%s:%u: %u rows for %u agents: the layout of a different "
                      "network", p, line, i, sc->nkeep);
        goto done;
    }
    rc = 1;
done:
    free(text);
    free(p);
    if (rc < 0) return st;
    *reused = rc;
    return WG_OK;
}

/* Six decimals, as layout.csv holds them (invariant 2). */
static double six(double v)
{
    char b[32];
    snprintf(b, sizeof b, "%.6f", v);
    return strtod(b, NULL);
}

static wg_status layout_make(scene *sc, int asked, uint64_t seed, wg_diag *d)
{
    sc->kind = asked >= 0 ? asked : sc->nkeep <= WG_DRAW_FR_AGENTS ? WG_LAYOUT_FR : WG_LAYOUT_DRL;
    double *x = wg_malloc(sc->nkeep ? sc->nkeep : 1, sizeof *x);
    double *y = wg_malloc(sc->nkeep ? sc->nkeep : 1, sizeof *y);
    wg_status st = x && y ? WG_OK : wg_canvas_oom(d);
    if (st == WG_OK)
        st = wg_igraph_layout(sc->g, sc->nkeep == sc->g->n ? NULL : sc->keep, sc->nkeep,
                              (wg_layout_kind)sc->kind, seed, x, y, d);
    for (uint32_t i = 0; st == WG_OK && i < sc->nkeep; i++) {
        sc->x[sc->keep[i]] = six(x[i]);
        sc->y[sc->keep[i]] = six(y[i]);
    }
    free(x);
    free(y);
    sc->fresh = 1;
    return st;
}

static wg_status layout_write(const scene *sc, const char *dir, wg_diag *d)
{
    wg_out o;
    char head[256];
    wg_status st = wg_out_open(&o, dir, LAYOUT_NAME, d);
    if (st != WG_OK) return st;
    layout_head(head, sizeof head, sc, 1);
    fprintf(o.f, "%s\nagent,id,x,y\n", head);
    for (uint32_t i = 0; i < sc->nkeep; i++) {
        uint32_t a = sc->keep[i];
        char idb[WG_ID_BUF];
        fprintf(o.f, "%u,", a);
        wg_csv_put_text(o.f, wg_graph_id(sc->g, a, idb), WG_CSV_QUOTE_NEEDED);
        fprintf(o.f, ",%.6f,%.6f\n", sc->x[a], sc->y[a]);
    }
    return wg_out_commit(&o, d);
}

/* ---- reading the folder ---------------------------------------------------------------------- */

/* The traced run of the smallest index in dir, or -1. */
static long first_traced(const char *dir, uint32_t runs, uint32_t n)
{
    char name[48];
    for (uint32_t r = 0; r < runs; r++) {
        snprintf(name, sizeof name, wg_trace_file_name(n), r);
        if (wg_folder_has(dir, name)) return r;
    }
    return -1;
}

/* The traced runs of dir as "0, 12, 73" (at most a few), for messages. */
static void traced_list(char *buf, size_t cap, const char *dir, uint32_t runs, uint32_t n)
{
    char name[48];
    size_t at = 0;
    int k = 0;
    buf[0] = '\0';
    for (uint32_t r = 0; r < runs && at + 16 < cap; r++) {
        snprintf(name, sizeof name, wg_trace_file_name(n), r);
        if (!wg_folder_has(dir, name)) continue;
        if (k++ == 8) {
            at += (size_t)snprintf(buf + at, cap - at, ", ...");
            break;
        }
        at += (size_t)snprintf(buf + at, cap - at, "%s%u", at ? ", " : "", r);
    }
}

static wg_status pick_run(scene *sc, const char *dir, const wg_draw_opts *o, wg_diag *d)
{
    uint32_t runs = (uint32_t)sc->fr.nruns, n = sc->g->n;
    if (o->which != WG_TRACE_INDEX) {
        double *reach = sc->fr.info.blowup.valence == WG_POS ? sc->fr.fin_pos : sc->fr.fin_neg;
        return wg_trace_quantile_run(reach, runs, (wg_trace_which)o->which, &sc->run, d);
    }
    if (o->run >= 0) {
        if ((uint64_t)o->run >= runs) {
            wg_diag_error(d, WG_EINPUT, "--run %ld: run %ld does not exist (%u runs: 0 to %u)",
                          o->run, o->run, runs, runs ? runs - 1 : 0);
            return WG_EINPUT;
        }
        sc->run = (uint32_t)o->run;
        return WG_OK;
    }
    long r = first_traced(dir, runs, n);
    if (r < 0) {
        char name[48];
        snprintf(name, sizeof name, wg_trace_file_name(n), 0u);
        wg_diag_error(d, WG_EINPUT, "%s: no trace (%s, ...): run the scenario again with "
                      "--trace 0 (or trace: {runs: [median]} in the scenario), then draw",
                      dir, name);
        return WG_EINPUT;
    }
    sc->run = (uint32_t)r;
    return WG_OK;
}

/* The parents' agents: the reader resolved each parent's id to its row, and
 * row a is agent a (the ids were checked against the network's). */
static void map_parents(scene *sc)
{
    for (uint32_t a = 0; a < sc->g->n; a++)
        sc->parent[a] = sc->tr.parent[a] == UINT32_MAX ? WG_NO_AGENT : sc->tr.parent[a];
}

/* ---- drawing --------------------------------------------------------------------------------- */

/* The network in the square (x0, y0, side): edges, the parents' edges, discs. */
static void draw_network(wg_canvas *cv, const scene *sc, double x0, double y0, double side)
{
    const wg_graph *g = sc->g;
    const double pad = 0.03 * side, in = side - 2 * pad;
#define PX(a) (x0 + pad + sc->x[a] * in)
#define PY(a) (y0 + pad + sc->y[a] * in)
    /* every edge, thin and light, when there are not too many */
    if (g->m / (g->directed ? 1 : 2) <= MAX_EDGES_DRAWN) {
        wg_canvas_line_width(cv, fmax(0.4, 0.9 * cv->u));
        wg_canvas_color(cv, C_GRID, 1);
        uint32_t inpath = 0;
        for (uint32_t a = 0; a < g->n; a++) {
            if (isnan(sc->x[a])) continue;
            for (uint64_t k = g->out_off[a]; k < g->out_off[a + 1]; k++) {
                uint32_t b = g->out_adj[k];
                if (isnan(sc->x[b]) || (!g->directed && b < a)) continue;
                wg_canvas_move_to(cv, PX(a), PY(a));
                wg_canvas_line_to(cv, PX(b), PY(b));
                /* opaque lines: stroked in pieces, the same picture, but cairo's stroke of
                 * one path grows faster than its length */
                if (++inpath == EDGES_PER_STROKE) wg_canvas_stroke(cv), inpath = 0;
            }
        }
        wg_canvas_stroke(cv);
    }
    /* the agents not (yet) reached first, under the edges of who told whom */
    for (uint32_t a = 0; a < g->n; a++) {
        if (isnan(sc->x[a]) || (sc->st[a] != WG_UNAWARE && sc->st[a] != WG_IMMUNE)) continue;
        wg_canvas_circle(cv, PX(a), PY(a), sc->rad[a] * side);
        wg_canvas_color(cv, state_col(sc->st[a]), 1);
        wg_canvas_fill(cv);
    }
    /* who told whom: the edge from each reached agent's parent, in its valence */
    wg_canvas_line_width(cv, fmax(0.8, 2.0 * cv->u));
    wg_canvas_line_cap_round(cv);
    for (int v = 0; v < NVAL; v++) {
        for (uint32_t a = 0; a < g->n; a++) {
            uint32_t p = sc->parent[a];
            uint8_t s = sc->st[a];
            if (p == WG_NO_AGENT || isnan(sc->x[a]) || isnan(sc->x[p]) || s == WG_UNAWARE ||
                s == WG_IMMUNE || (sc->tr.valence[a] == WG_NEG) != (v == V_NEG))
                continue;
            wg_canvas_move_to(cv, PX(p), PY(p));
            wg_canvas_line_to(cv, PX(a), PY(a));
        }
        wg_canvas_color(cv, v == V_NEG ? C_NEG : C_POS, 0.55);
        wg_canvas_stroke(cv);
    }
    /* the reached agents on top, in agent order; a seed has a dark ring */
    for (uint32_t a = 0; a < g->n; a++) {
        if (isnan(sc->x[a]) || sc->st[a] == WG_UNAWARE || sc->st[a] == WG_IMMUNE) continue;
        double r = sc->rad[a] * side;
        wg_canvas_circle(cv, PX(a), PY(a), r);
        wg_canvas_color(cv, state_col(sc->st[a]), 1);
        wg_canvas_fill(cv);
        if (sc->tr.source[a] == WG_SRC_SEED && sc->st[a] != WG_UNAWARE) {
            wg_canvas_line_width(cv, fmax(0.8, 0.25 * r));
            wg_canvas_circle(cv, PX(a), PY(a), r);
            wg_canvas_color(cv, C_TEXT, 1);
            wg_canvas_stroke(cv);
        }
    }
#undef PX
#undef PY
}

/* "unaware 20, advocates 5, critics 3, ..." at step t, from series.csv. */
static void counts_text(char *buf, size_t cap, const scene *sc, uint32_t t)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int k = 0; k < WG_NSTATES && at < cap; k++) {
        double v = t < sc->steps ? sc->s[k][t] : NAN;
        char num[32];
        if (k == WG_IMMUNE && !(v > 0)) continue;
        wg_num_grouped(num, sizeof num, isfinite(v) ? v : 0, 0);
        at += (size_t)snprintf(buf + at, cap - at, "%s%s %s", at ? ", " : "",
                               wg_state_name((wg_state)k), num);
    }
}

/* The legend of the states (and, with curves, of the run's two lines, in words). */
static double state_legend(wg_canvas *cv, const wg_folder_info *in, int curves, double x,
                           double y, double w, int draw)
{
    wg_legend lg = {0};
    char lab[256];
    static const int order[] = {WG_ADVOCATE, WG_SUPPORTER, WG_CRITIC, WG_REJECTER, WG_UNAWARE,
                                WG_IMMUNE};
    for (int k = 0; k < WG_NSTATES; k++)
        wg_plot_legend_add(&lg, SW_BOX, state_col(order[k]), 1, wg_state_name((wg_state)order[k]));
    if (curves) {
        snprintf(lab, sizeof lab, "%s won over", in->who);
        wg_plot_legend_add(&lg, SW_LINE, C_POS, 1, lab);
        snprintf(lab, sizeof lab, "%s who turned critic", in->who);
        wg_plot_legend_add(&lg, SW_LINE, C_NEG, 1, lab);
    }
    return wg_plot_legend(cv, &lg, x, y, w, draw);
}

/* One frame of the cascade: the network at step t on the left, the run's
 * curves with a marker at t on the right, the step and the counts. */
static void draw_frame(wg_canvas *cv, scene *sc, uint32_t t, double *nx, double *ny,
                       double *nside)
{
    double u = cv->u;
    const wg_folder_info *in = &sc->fr.info;
    char sub[512], buf[512], num[32];
    states_at(sc, t);
    snprintf(buf, sizeof buf, ": run %u, who told whom, %s by %s", sc->run, in->unit, in->unit);
    wg_plot_subtitle(sub, sizeof sub, in, buf);
    double top = wg_plot_titles(cv, in->name, sub);
    double side = cv->h - top - S_MARGIN * u;
    if (side > cv->w * 0.56) side = cv->w * 0.56;
    double x0 = S_MARGIN * u, y0 = top;
    draw_network(cv, sc, x0, y0, side);
    *nx = x0, *ny = y0, *nside = side;

    /* the right panel: counts, legend, the curves */
    double rx = x0 + side + 2 * S_GAP * u, rw = cv->w - rx - S_MARGIN * u;
    wg_num_grouped(num, sizeof num, t, 0);
    snprintf(buf, sizeof buf - 4, "%s %s", in->unit, num);
    wg_canvas_font(cv, S_TITLE, 1);
    wg_canvas_fit_text(cv, buf, rw);   /* a long step unit on a narrow panel */
    wg_canvas_color(cv, C_TEXT, 1);
    wg_canvas_text(cv, rx, top, 0, 0, buf);
    counts_text(buf, sizeof buf, sc, t);
    wg_canvas_font(cv, S_TICK, 0);
    const double clh = S_TICK * u * 1.3;   /* the counts wrap to two lines on a narrow panel */
    double ly = top + S_TITLE * u * 1.3;
    ly += wg_plot_wrap(cv, buf, rx, ly, rw, 0, 2, clh, 1) * clh + S_TICK * u * 0.5;
    /* the curves need FRAME_MIN_PLOT design pixels of height below the legend (and the
     * line of the events): without that room the events' line goes, then the curves */
    const double bottom = cv->h - S_MARGIN * u - S_LABEL * u * 1.2 - S_TICK * u - 2 * S_GAP * u;
    const double above = S_GAP * u + S_TICK * u, elh = S_NOTE * 0.9 * u * 1.25;
    char evs[1024];
    wg_plot_events_text(evs, sizeof evs, in->ev, in->nev, in);
    wg_canvas_font(cv, S_NOTE * 0.9, 0);
    double eh = *evs ? wg_plot_wrap(cv, evs, rx, ly, rw, 0, 2, elh, 0) * elh : 0;
    double lh = state_legend(cv, in, 1, rx, ly, rw, 0);
    int curves = bottom - (ly + lh + above) >= FRAME_MIN_PLOT * u;
    int events = curves && *evs && bottom - (ly + lh + eh + above) >= FRAME_MIN_PLOT * u;
    ly += state_legend(cv, in, curves, rx, ly, rw, 1);
    if (events) {   /* what the marks on the time axis are, as on curves.png */
        wg_canvas_font(cv, S_NOTE * 0.9, 0);
        wg_canvas_color(cv, C_MUTED, 1);
        ly += wg_plot_wrap(cv, evs, rx, ly, rw, 0, 2, elh, 1) * elh;
    }
    if (!curves) return;
    wg_axes a = {0};
    double xstep = wg_plot_x_steps(&a, sc->steps);
    double vmax = 1;
    double *pos = wg_malloc(sc->steps ? sc->steps : 1, sizeof *pos);
    double *neg = wg_malloc(sc->steps ? sc->steps : 1, sizeof *neg);
    for (uint32_t k = 0; pos && neg && k < sc->steps; k++) {
        pos[k] = sc->s[WG_ADVOCATE][k] + sc->s[WG_SUPPORTER][k];
        neg[k] = sc->s[WG_CRITIC][k] + sc->s[WG_REJECTER][k];
        if (pos[k] > vmax) vmax = pos[k];
        if (neg[k] > vmax) vmax = neg[k];
    }
    double ystep = wg_plot_y_count(&a, vmax);
    double lw = wg_plot_label_width(cv, a.ymax, ystep, 1, "");
    a.x0 = rx + S_LABEL * u * 1.4 + lw + S_GAP * u;
    a.x1 = cv->w - S_MARGIN * u;
    a.y0 = ly + S_GAP * u + S_TICK * u;
    a.y1 = cv->h - S_MARGIN * u - S_LABEL * u * 1.2 - S_TICK * u - 2 * S_GAP * u;
    if (a.x1 < a.x0 + 10) a.x1 = a.x0 + 10;
    if (a.y1 < a.y0 + 10) a.y1 = a.y0 + 10;
    wg_plot_y_ticks(cv, &a, ystep, 1, 0, 1);
    wg_plot_x_ticks(cv, &a, xstep);
    wg_plot_clip(cv, &a);
    if (pos && neg && sc->steps) {
        wg_plot_line(cv, &a, pos, sc->steps, C_POS, S_LINE * u);
        wg_plot_line(cv, &a, neg, sc->steps, C_NEG, S_LINE * u);
        /* the marker: a line at step t and the two values on it */
        double mx = sc->steps == 1 ? a.x0 : px(&a, t);
        wg_canvas_line_width(cv, 2 * u);
        wg_canvas_color(cv, C_AXIS, 1);
        wg_canvas_move_to(cv, mx, a.y0);
        wg_canvas_line_to(cv, mx, a.y1);
        wg_canvas_stroke(cv);
        const double *vals[2] = {pos, neg};
        const wg_rgb vc[2] = {C_POS, C_NEG};
        for (int v = 0; v < 2; v++) {
            if (!isfinite(vals[v][t])) continue;
            wg_canvas_circle(cv, mx, py(&a, vals[v][t]), 6 * u);
            wg_canvas_color(cv, vc[v], 1);
            wg_canvas_fill(cv);
        }
    }
    if (events) wg_plot_events(cv, &a, in->ev, in->nev, C_TEXT, 0);
    wg_canvas_unclip(cv);
    wg_plot_frame(cv, &a);
    wg_canvas_font(cv, S_LABEL, 0);
    wg_canvas_color(cv, C_TEXT, 1);
    wg_canvas_text(cv, (a.x0 + a.x1) / 2, cv->h - S_MARGIN * u, 0.5, 1, in->unit);
    snprintf(buf, sizeof buf, "%s reached", in->who);
    wg_plot_turned(cv, rx + S_LABEL * u * 0.5, &a, -1, buf);
    free(pos);
    free(neg);
}

/* strip.png: the network at six moments, three by two, with the step and the
 * reach under each. */
static void draw_strip(wg_canvas *cv, scene *sc)
{
    double u = cv->u;
    const wg_folder_info *in = &sc->fr.info;
    char sub[512], buf[256];
    snprintf(buf, sizeof buf, ": run %u, six moments of the cascade", sc->run);
    wg_plot_subtitle(sub, sizeof sub, in, buf);
    double top = wg_plot_titles(cv, in->name, sub);
    double lw = cv->w - 2 * S_MARGIN * u;
    top += state_legend(cv, in, 0, S_MARGIN * u, top, lw, 1) + S_GAP * u;
    double cw = lw / 3, chh = (cv->h - top - S_MARGIN * u) / 2;
    double cap_h = S_LEGEND * u * 1.6;
    double side = fmin(cw - S_GAP * u, chh - cap_h);
    for (int k = 0; k < WG_DRAW_MOMENTS; k++) {
        uint32_t t = sc->steps > 1 ? (uint32_t)((uint64_t)k * (sc->steps - 1) / (WG_DRAW_MOMENTS - 1))
                                   : 0;
        double cx = S_MARGIN * u + (k % 3) * cw, cy = top + (k / 3) * chh;
        states_at(sc, t);
        draw_network(cv, sc, cx + (cw - side) / 2, cy, side);
        double pos = t < sc->steps ? sc->s[WG_ADVOCATE][t] + sc->s[WG_SUPPORTER][t] : NAN;
        double neg = t < sc->steps ? sc->s[WG_CRITIC][t] + sc->s[WG_REJECTER][t] : NAN;
        char p[32], n[32], ts[32];
        wg_num_grouped(p, sizeof p, isfinite(pos) ? pos : 0, 0);
        wg_num_grouped(n, sizeof n, isfinite(neg) ? neg : 0, 0);
        wg_num_grouped(ts, sizeof ts, t, 0);
        snprintf(buf, sizeof buf - 4, "%s %s: %s won over, %s turned critic", in->unit, ts, p, n);
        wg_canvas_font(cv, S_LEGEND, 0);
        wg_canvas_color(cv, C_TEXT, 1);
        wg_canvas_fit_text(cv, buf, cw - S_GAP * u);
        wg_canvas_text(cv, cx + cw / 2, cy + side + S_GAP * u * 0.5, 0.5, 0, buf);
    }
}

/* ---- the whole drawing ----------------------------------------------------------------------- */

static void scene_free(scene *sc)
{
    wg_folder_run_free(&sc->fr);
    wg_folder_trace_free(&sc->tr);
    for (int k = 0; k < WG_NSTATES; k++) free(sc->s[k]);
    free(sc->parent);
    free(sc->keep);
    free(sc->x);
    free(sc->y);
    free(sc->rad);
    free(sc->st);
}

/* Agents drawn: all up to WG_DRAW_ALL_AGENTS, else the reached and their parents. */
static wg_status choose_agents(scene *sc, wg_diag *d)
{
    const wg_graph *g = sc->g;
    if (!(sc->keep = wg_malloc(g->n ? g->n : 1, sizeof *sc->keep))) return wg_canvas_oom(d);
    if (g->n <= WG_DRAW_ALL_AGENTS) {
        for (uint32_t a = 0; a < g->n; a++) sc->keep[a] = a;
        sc->nkeep = g->n;
        return WG_OK;
    }
    uint8_t *in = wg_calloc(g->n, 1);
    if (!in) return wg_canvas_oom(d);
    for (uint32_t a = 0; a < g->n; a++)
        if (sc->tr.step[a] != WG_TRACE_NONE) {
            in[a] = 1;
            if (sc->parent[a] != WG_NO_AGENT) in[sc->parent[a]] = 1;
        }
    sc->nkeep = 0;
    for (uint32_t a = 0; a < g->n; a++)
        if (in[a]) sc->keep[sc->nkeep++] = a;
    free(in);
    return WG_OK;
}

/* Disc radii (a share of the panel's side): by degree, from about a third
 * of the spacing of the drawn agents up to its double. */
static void radii(scene *sc)
{
    const wg_graph *g = sc->g;
    uint64_t dmax = 1;
    for (uint32_t i = 0; i < sc->nkeep; i++) {
        uint32_t a = sc->keep[i];
        uint64_t k = g->out_off[a + 1] - g->out_off[a];
        if (k > dmax) dmax = k;
    }
    double spacing = 0.94 / sqrt(sc->nkeep ? (double)sc->nkeep : 1.0);
    double rmin = fmax(0.0009, fmin(0.012, 0.16 * spacing)), rmax = fmin(0.03, 3 * rmin);
    for (uint32_t a = 0; a < g->n; a++) sc->rad[a] = 0;
    for (uint32_t i = 0; i < sc->nkeep; i++) {
        uint32_t a = sc->keep[i];
        double k = (double)(g->out_off[a + 1] - g->out_off[a]);
        sc->rad[a] = rmin + (rmax - rmin) * sqrt(k / (double)dmax);
    }
}

wg_status wg_draw(const char *dir, const wg_graph *g, const wg_draw_opts *o, wg_draw_report *rep,
                  wg_diag *d)
{
    scene sc;
    wg_canvas cv = {0};
    wg_gif *gif = NULL;
    wg_draw_opts def;
    char name[48];
    if (!o) wg_draw_opts_default(&def), o = &def;
    memset(&sc, 0, sizeof sc);
    sc.g = g;
    if (rep) memset(rep, 0, sizeof *rep);
    wg_status st = wg_folder_read_run(dir, &sc.fr, d);
    if (st != WG_OK) goto done;
    if ((st = pick_run(&sc, dir, o, d)) != WG_OK) goto done;
    snprintf(name, sizeof name, wg_trace_file_name(g->n), sc.run);
    if (!wg_folder_has(dir, name)) {
        char list[128];
        traced_list(list, sizeof list, dir, (uint32_t)sc.fr.nruns, g->n);
        if (*list)
            wg_diag_error(d, WG_EINPUT, "%s: run %u has no trace (%s); traced runs: %s. Run "
                          "the scenario again with --trace %u to draw it", dir, sc.run, name,
                          list, sc.run);
        else
            wg_diag_error(d, WG_EINPUT, "%s: no trace (%s): run the scenario again with "
                          "--trace %u, then draw", dir, name, sc.run);
        st = WG_EINPUT;
        goto done;
    }
    if ((st = wg_folder_read_trace(dir, name, g->n, &sc.tr, d)) != WG_OK) goto done;
    for (uint32_t a = 0; a < g->n; a++) {
        char idb[WG_ID_BUF];
        const char *want = wg_graph_id(g, a, idb);
        if (strcmp(sc.tr.id[a], want) != 0) {
            wg_diag_error(d, WG_EINPUT, "%s: agent %u has id %s, the network's agent %u has id "
                          "%s: the trace of a different network", name, a, sc.tr.id[a], a, want);
            st = WG_EINPUT;
            goto done;
        }
    }
    if ((st = wg_folder_read_states(dir, sc.run, sc.s, &sc.steps, d)) != WG_OK) goto done;
    if (sc.steps == 0) {
        wg_diag_error(d, WG_EINPUT, "series.csv: no rows of run %u", sc.run);
        st = WG_EINPUT;
        goto done;
    }
    if (o->step >= (long)sc.steps) {
        wg_diag_error(d, WG_EINPUT, "--step %ld: run %u has steps 0 to %u", o->step, sc.run,
                      sc.steps - 1);
        st = WG_EINPUT;
        goto done;
    }
    size_t n1 = g->n ? g->n : 1;
    sc.parent = wg_malloc(n1, sizeof *sc.parent);
    sc.x = wg_malloc(n1, sizeof *sc.x);
    sc.y = wg_malloc(n1, sizeof *sc.y);
    sc.rad = wg_malloc(n1, sizeof *sc.rad);
    sc.st = wg_malloc(n1, 1);
    if (!sc.parent || !sc.x || !sc.y || !sc.rad || !sc.st) {
        st = wg_canvas_oom(d);
        goto done;
    }
    for (uint32_t a = 0; a < g->n; a++) sc.x[a] = sc.y[a] = NAN;
    map_parents(&sc);
    if ((st = choose_agents(&sc, d)) != WG_OK) goto done;
    int reused = 0;
    if ((st = layout_read(&sc, dir, o->layout, &reused, d)) != WG_OK) goto done;
    if (!reused && (st = layout_make(&sc, o->layout, o->seed, d)) != WG_OK) goto done;
    radii(&sc);
    if (o->stop && *o->stop) goto stopped;

    /* everything is read: write */
    if (sc.fresh && (st = layout_write(&sc, dir, d)) != WG_OK) goto done;
    uint32_t tnet = o->step >= 0 ? (uint32_t)o->step : sc.steps - 1;
    double nx = 0, ny = 0, nside = 0;
    if (o->pictures & WG_DRAW_NETWORK) {
        if ((st = wg_canvas_new(&cv, &o->render, d)) != WG_OK) goto done;
        draw_frame(&cv, &sc, tnet, &nx, &ny, &nside);
        if ((st = wg_plot_finish(&cv, &sc.fr.info, dir, "network.png", d)) != WG_OK) goto done;
        wg_canvas_free(&cv);
    }
    if (o->pictures & WG_DRAW_STRIP) {
        if ((st = wg_canvas_new(&cv, &o->render, d)) != WG_OK) goto done;
        draw_strip(&cv, &sc);
        if ((st = wg_plot_finish(&cv, &sc.fr.info, dir, "strip.png", d)) != WG_OK) goto done;
        wg_canvas_free(&cv);
    }
    uint32_t frames = 0;
    if (o->pictures & WG_DRAW_GIF) {
        wg_render_opts go = o->render;
        go.format = WG_FORMAT_PNG;   /* GIF frames are pixels */
        go.width = (o->render.width > 0 ? o->render.width : WG_RENDER_WIDTH) / 2;
        go.height = (o->render.height > 0 ? o->render.height : WG_RENDER_HEIGHT) / 2;
        const wg_rgb keep[] = {C_POS, C_NEG, C_POS_QUIET, C_NEG_QUIET, C_UNAWARE, C_IMMUNE,
                               C_NEG_DARK, C_TEXT, C_MUTED, C_GRID, C_AXIS};
        uint32_t kc[40];
        int nk = 0;
        for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) kc[nk++] = rgb_of(keep[i]);
        /* greys of anti-aliased text between the text colour and white */
        while (nk < 40) {
            uint32_t v = (uint32_t)(0x20 + (0xFF - 0x20) * (nk - 10) / 31);
            kc[nk++] = v << 16 | v << 8 | v;
        }
        for (uint32_t t = 0; t < sc.steps; t++) {
            if (o->stop && *o->stop) goto stopped;
            if ((st = wg_canvas_new(&cv, &go, d)) != WG_OK) goto done;
            double a, b, c;
            draw_frame(&cv, &sc, t, &a, &b, &c);
            if (!gif && (st = wg_gif_open(&gif, dir, "cascade.gif", cv.w, cv.h, kc, nk, d)) != WG_OK)
                goto done;
            if ((st = wg_gif_frame(gif, &cv, t + 1 == sc.steps ? GIF_HOLD_CS : GIF_DELAY_CS, d)) !=
                WG_OK)
                goto done;
            wg_canvas_free(&cv);
            frames++;
        }
        st = wg_gif_close(gif, 1, d);
        gif = NULL;
        if (st != WG_OK) goto done;
    }
    if (rep) {
        rep->run = sc.run;
        rep->steps = sc.steps;
        rep->drawn = sc.nkeep;
        rep->frames = frames;
        rep->x0 = nx + 0.03 * nside;
        rep->y0 = ny + 0.03 * nside;
        rep->side = nside * 0.94;
        rep->layout_reused = reused;
        if ((rep->r = wg_malloc(n1, sizeof *rep->r)))
            for (uint32_t a = 0; a < g->n; a++) rep->r[a] = sc.rad[a] * nside;
        if ((rep->counts = wg_calloc((size_t)sc.steps * WG_NSTATES, sizeof *rep->counts)))
            for (uint32_t t = 0; t < sc.steps; t++) {
                states_at(&sc, t);
                for (uint32_t i = 0; i < sc.nkeep; i++)
                    rep->counts[(size_t)t * WG_NSTATES + sc.st[sc.keep[i]]]++;
            }
        if (!rep->r || !rep->counts) {
            wg_draw_report_free(rep);
            st = wg_canvas_oom(d);
        }
    }
    goto done;
stopped:
    wg_diag_error(d, WG_EINTR, "interrupted: cascade.gif not written");
    st = WG_EINTR;
done:
    wg_gif_close(gif, 0, NULL);
    wg_canvas_free(&cv);
    scene_free(&sc);
    return st;
}
