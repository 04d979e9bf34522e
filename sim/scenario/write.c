/*
 * write.c — a scenario as YAML text: writing a resolved scenario (every
 * key, defaults filled in, e.g. into manifest.yaml) and editing the
 * scenario file's own text in place (`waggle fit` writes its calibrated
 * copy so, keeping the author's comments and layout).
 *
 * Invariants: what wg_scenario_write prints parses back into the same
 * scenario (texts double-quoted, numbers with the fewest digits that read
 * back exactly; names from model.c's tables); an edited text is returned
 * only when it loads back and every edited key reads back with its new
 * value; the file and the scenario are never changed. This is the only
 * place that knows where in the file's text a value sits.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"

/* ------------------------------------------------------------------------
 * Writing a resolved scenario. Every text is double-quoted and every number
 * printed with the fewest digits that read back exactly, so the output loads
 * back as the same scenario.
 */
static void put_str(FILE *f, const char *s)
{
    wg_yaml_put_string(f, s);   /* paths from the command line may hold any bytes */
}

static void put_num(FILE *f, double x)
{
    char buf[40];
    wg_num_shortest(buf, sizeof buf, x);
    fputs(buf, f);
}

static void put_pad(FILE *f, int n)
{
    fprintf(f, "%*s", n, "");
}

/* A tree node in flow style (variants' set and events, kept as written). */
static void put_node(FILE *f, const node *n)
{
    if (n->kind == NK_SCALAR) {
        if (wg_tree_is_null(n))
            fputs("null", f);
        else
            put_str(f, n->text);
        return;
    }
    fputc(n->kind == NK_MAP ? '{' : '[', f);
    for (size_t i = 0; i < n->n; i++) {
        if (i) fputs(", ", f);
        if (n->kind == NK_MAP) {
            put_str(f, n->keys[i]->text);
            fputs(": ", f);
        }
        put_node(f, n->vals[i]);
    }
    fputc(n->kind == NK_MAP ? '}' : ']', f);
}

static void put_pick(FILE *f, const wg_scenario *s, const wg_pick *p)
{
    fprintf(f, "by: %s", wg_pick_by_name(p->by));
    if (p->by == WG_PICK_ID) {
        fputs(", ids: [", f);
        for (size_t i = 0; i < p->nids; i++) {
            if (i) fputs(", ", f);
            if (p->id_text && p->id_text[i]) put_str(f, p->id_text[i]);
            else fprintf(f, "%" PRIu64, p->ids[i]);
        }
        fputs("]", f);
    } else if (p->by == WG_PICK_ATTRIBUTE) {
        fputs(", attribute: ", f);
        put_str(f, p->attribute);
        fputs(", value: ", f);
        put_str(f, p->value);
    } else if (p->count) {
        fprintf(f, ", count: %" PRIu64, p->count);
    } else {
        int ranked = p->by == WG_PICK_DEGREE || p->by == WG_PICK_PAGERANK || p->by == WG_PICK_KCORE;
        fputs(ranked ? ", top: " : ", fraction: ", f);
        put_num(f, p->fraction);
    }
    if (p->by == WG_PICK_SEGMENT && p->segment >= 0 && (size_t)p->segment < s->nsegments) {
        fputs(", segment: ", f);
        put_str(f, s->segments[p->segment].name);
    }
}

/* The model parameters of p named in `set` (all when set is ~0), one "key: v" a line. */
static void put_params(FILE *f, int pad, const wg_params *p, uint32_t set)
{
    /* pairs by valence (positive, then negative), then single parameters */
    static const wg_param pos[] = {WG_P_SHARE_POS, WG_P_QUIT_POS, WG_P_MEDIA_POS};
    static const wg_param singles[] = {WG_P_QUALITY, WG_P_STIFLE, WG_P_FORGET, WG_P_ACTIVITY,
                                       WG_P_SUSCEPTIBILITY};
    for (int i = 0; i < 3; i++) {
        int np = !!(set & 1u << pos[i]), nn = !!(set & 1u << (pos[i] + 1));
        if (!np && !nn) continue;
        put_pad(f, pad);
        const char *name = wg_param_name(pos[i]);   /* "share.positive": the key is "share" */
        fprintf(f, "%.*s: {", (int)strcspn(name, "."), name);
        if (np) {
            fprintf(f, "%s: ", wg_valence_name(WG_POS));
            put_num(f, p->v[pos[i]]);
        }
        if (nn) {
            fprintf(f, "%s%s: ", np ? ", " : "", wg_valence_name(WG_NEG));
            put_num(f, p->v[pos[i] + 1]);
        }
        fputs("}\n", f);
    }
    for (int i = 0; i < 5; i++) {
        if (!(set & 1u << singles[i])) continue;
        put_pad(f, pad);
        fprintf(f, "%s: ", wg_param_name(singles[i]));
        put_num(f, p->v[singles[i]]);
        fputc('\n', f);
    }
}

/* model.duration, the valences whose law is not geometric (geometric is
 * written as quit), one "duration: {...}" line; nothing when both are. */
static void put_durations(FILE *f, int pad, const wg_model *m)
{
    int first = 1;
    for (int v = 0; v < WG_NVALENCES; v++) {
        const wg_duration *d = &m->duration[v];
        if (d->law == WG_DUR_GEOMETRIC) continue;
        if (first) {
            put_pad(f, pad);
            fputs("duration: {", f);
        }
        fprintf(f, "%s%s: {%s: ", first ? "" : ", ", wg_valence_name(v),
                wg_duration_law_name(d->law));
        first = 0;
        if (d->law == WG_DUR_FIXED) {
            put_num(f, d->a);
        } else {
            int beta = d->law == WG_DUR_BETA_QUIT;
            fputs(beta ? "{a: " : "{mean: ", f);
            put_num(f, d->a);
            fputs(beta ? ", b: " : ", sd: ", f);
            put_num(f, d->b);
            fputc('}', f);
        }
        fputc('}', f);
    }
    if (!first) fputs("}\n", f);
}

/* model.threshold with exposure threshold, one "threshold: {...}" line
 * (both valences); nothing otherwise (other exposures do not read it). */
static void put_thresholds(FILE *f, int pad, const wg_model *m)
{
    if (m->exposure != WG_EXPOSURE_THRESHOLD) return;
    put_pad(f, pad);
    fputs("threshold: {", f);
    for (int v = 0; v < WG_NVALENCES; v++) {
        const wg_thr_law *l = &m->threshold[v];
        fprintf(f, "%s%s: ", v ? ", " : "", wg_valence_name(v));
        if (l->kind == WG_THR_FIXED) {
            put_num(f, l->a);
            continue;
        }
        fprintf(f, "{%s: %s", wg_thr_kind_names[l->kind], l->kind == WG_THR_UNIFORM ? "[" : "{mean: ");
        put_num(f, l->a);
        fputs(l->kind == WG_THR_UNIFORM ? ", " : ", sd: ", f);
        put_num(f, l->b);
        fputs(l->kind == WG_THR_UNIFORM ? "]}" : "}}", f);
    }
    fputs("}\n", f);
}

/* How a pulse or a memory fades: "power: P, scale: S" (power law), else
 * "decay: D" (exponential). */
static void put_fading(FILE *f, int power_law, double power, double scale, double decay)
{
    if (power_law) {
        fputs("power: ", f);
        put_num(f, power);
        fputs(", scale: ", f);
        put_num(f, scale);
    } else {
        fputs("decay: ", f);
        put_num(f, decay);
    }
}

/* model.recommend and model.rekindle, one line each; nothing when absent. */
static void put_attention(FILE *f, int pad, const wg_model *m)
{
    const wg_recommend *rc = &m->recommend;
    if (rc->strength[WG_POS] > 0 || rc->strength[WG_NEG] > 0) {
        put_pad(f, pad);
        fputs("recommend: {", f);
        for (int v = 0; v < WG_NVALENCES; v++) {
            fprintf(f, "%s: ", wg_valence_name(v));
            put_num(f, rc->strength[v]);
            fputs(", ", f);
        }
        fputs("memory: {", f);
        put_fading(f, rc->memory == WG_MEMORY_POWER, rc->power, rc->scale, rc->decay);
        fputs("}}\n", f);
    }
    if (m->rekindle[WG_POS] > 0 || m->rekindle[WG_NEG] > 0) {
        put_pad(f, pad);
        fputs("rekindle: {positive: ", f);
        put_num(f, m->rekindle[WG_POS]);
        fputs(", negative: ", f);
        put_num(f, m->rekindle[WG_NEG]);
        fputs("}\n", f);
    }
}

static void put_event(FILE *f, const wg_scenario *s, const wg_event *e)
{
    if (e->when.on) {
        fprintf(f, "{when: {%s: ", wg_when_name(e->when.cond));
        put_num(f, e->when.value);
        fprintf(f, "}, %s%s: {", e->when.repeat ? "repeat: true, " : "",
                wg_event_kind_name(e->kind));
    } else {
        fprintf(f, "{step: %" PRIu32 ", %s: {", e->step, wg_event_kind_name(e->kind));
    }
    switch (e->kind) {
    case WG_EV_SEED:
        fprintf(f, "valence: %s, ", wg_valence_name(e->valence));
        put_pick(f, s, &e->pick);
        break;
    case WG_EV_BLOCK: put_pick(f, s, &e->pick); break;
    case WG_EV_SET:
    case WG_EV_SCALE:
        fprintf(f, "key: %s, %s: ", wg_param_name(e->param),
                e->kind == WG_EV_SET ? "value" : "factor");
        put_num(f, e->value);
        if (e->segment >= 0 && (size_t)e->segment < s->nsegments) {
            fputs(", segment: ", f);
            put_str(f, s->segments[e->segment].name);
        }
        break;
    case WG_EV_MEDIA:
        fprintf(f, "valence: %s, amplitude: ", wg_valence_name(e->valence));
        put_num(f, e->amplitude);
        fputs(", ", f);
        put_fading(f, e->power > 0, e->power, e->scale, e->decay);
        break;
    case WG_EV_RESPOND:
        if (e->policy.on)
            fprintf(f, "policy: {delay: %" PRIu32 ", per_step: %" PRIu32 ", by: %s, until: %" PRIu32
                       "}", e->policy.delay, e->policy.per_step, wg_respond_by_name(e->policy.by),
                    e->policy.until);
        else
            put_pick(f, s, &e->pick);
        if (e->cost > 0) {
            fputs(", cost: ", f);
            put_num(f, e->cost);
        }
        fputs(", win: ", f);
        put_num(f, e->win);
        fputs(", calm: ", f);
        put_num(f, e->calm);
        break;
    }
    fputs("}}\n", f);
}

static void put_network(FILE *f, int in, const wg_netspec *n)
{
    put_pad(f, in);
    fputs("network:\n", f);
    in += 2;
    if (n->kind == WG_NET_FILE) {
        put_pad(f, in);
        fputs("file: ", f);
        put_str(f, n->file ? n->file : "");
        fputc('\n', f);
        if (n->format != WG_FMT_GUESS) {
            put_pad(f, in);
            fprintf(f, "format: %s\n", wg_check_formats[n->format - WG_FMT_EDGELIST]);
        }
        if (n->weight) {
            put_pad(f, in);
            fputs("weight: ", f);
            put_str(f, n->weight);
            fputc('\n', f);
        }
        put_pad(f, in);
        fprintf(f, "directed: %s\n", n->directed ? "true" : "false");
        put_pad(f, in);
        fprintf(f, "self_loops: %s\n", wg_check_drop_error[!!n->self_loops_error]);
        put_pad(f, in);
        fprintf(f, "duplicates: %s\n", wg_check_drop_error[!!n->duplicates_error]);
        if (n->header != WG_HEADER_GUESS) {
            put_pad(f, in);
            fprintf(f, "header: %s\n", n->header == WG_HEADER_YES ? "true" : "false");
        }
        if (n->sign) {
            put_pad(f, in);
            fputs("sign: ", f);
            put_str(f, n->sign);
            fputc('\n', f);
        }
        if (n->negative_ties != WG_NEG_ERROR) {
            put_pad(f, in);
            fprintf(f, "negative_ties: %s\n", wg_negative_ties_names[n->negative_ties]);
        }
        if (n->nodes_file) {
            put_pad(f, in);
            fputs("nodes: {file: ", f);
            put_str(f, n->nodes_file);
            if (n->nodes_id) {
                fputs(", id: ", f);
                put_str(f, n->nodes_id);
            }
            fputs("}\n", f);
        }
        return;
    }
    put_pad(f, in);
    fprintf(f, "generate: %s\n", wg_check_net_kind_name(n->kind));
    switch (n->kind) {
    case WG_NET_SBM:
        put_pad(f, in);
        fputs("sizes: [", f);
        for (size_t i = 0; i < n->nblocks; i++) fprintf(f, "%s%" PRIu64, i ? ", " : "", n->sizes[i]);
        fputs("]\n", f);
        put_pad(f, in);
        fputs("p: [", f);
        for (size_t i = 0; i < n->nblocks; i++) {
            fputs(i ? ", [" : "[", f);
            for (size_t j = 0; j < n->nblocks; j++) {
                if (j) fputs(", ", f);
                put_num(f, n->p[i * n->nblocks + j]);
            }
            fputc(']', f);
        }
        fputs("]\n", f);
        put_pad(f, in);
        fprintf(f, "directed: %s\n", n->directed ? "true" : "false");
        return;
    case WG_NET_LATTICE:
        put_pad(f, in);
        fprintf(f, "dims: [%" PRIu32 ", %" PRIu32 "]\n", n->dims[0], n->dims[1]);
        put_pad(f, in);
        fprintf(f, "periodic: %s\n", n->periodic ? "true" : "false");
        return;
    case WG_NET_FAMOUS:
        put_pad(f, in);
        fputs("name: ", f);
        put_str(f, n->famous ? n->famous : "");
        fputc('\n', f);
        return;
    default: break;
    }
    put_pad(f, in);
    fprintf(f, "nodes: %" PRIu64 "\n", n->nodes);
    if (n->kind == WG_NET_COMPLETE || n->kind == WG_NET_RING) return;
    put_pad(f, in);
    switch (n->kind) {
    case WG_NET_ERDOS_RENYI:
        fputs("mean_degree: ", f);
        put_num(f, n->mean_degree);
        fputc('\n', f);
        break;
    case WG_NET_BARABASI_ALBERT: fprintf(f, "edges_per_node: %" PRIu32 "\n", n->edges_per_node); break;
    case WG_NET_WATTS_STROGATZ:
        fprintf(f, "neighbours: %" PRIu32 "\n", n->neighbours);
        put_pad(f, in);
        fputs("rewire: ", f);
        put_num(f, n->rewire);
        fputc('\n', f);
        break;
    case WG_NET_CONFIGURATION:
        fputs("degrees: {", f);
        if (n->deg_kind == WG_DEG_POISSON) {
            fputs("poisson: ", f);
            put_num(f, n->deg_mean);
        } else if (n->deg_kind == WG_DEG_FILE) {
            fputs("file: ", f);
            put_str(f, n->deg_file ? n->deg_file : "");
        } else {
            fputs("power_law: ", f);
            put_num(f, n->deg_exponent);
            fprintf(f, ", min: %" PRIu32, n->deg_min);
            if (n->deg_cutoff > 0) {
                fputs(", cutoff: ", f);
                put_num(f, n->deg_cutoff);
            }
        }
        fputs("}\n", f);
        break;
    case WG_NET_STAR:
    case WG_NET_PATH:
        fprintf(f, "directed: %s\n", n->directed ? "true" : "false");
        break;
    default:
        break;
    }
}

static void put_key_str(FILE *f, int pad, const char *key, const char *val)
{
    put_pad(f, pad);
    fprintf(f, "%s: ", key);
    put_str(f, val);
    fputc('\n', f);
}

static void put_sweep(FILE *f, int in, const wg_sweepspec *sw)
{
    put_pad(f, in);
    fputs("sweep:\n", f);
    put_pad(f, in + 2);
    if (sw->kind == 1) {
        fputs("grid:\n", f);
    } else {
        fprintf(f, "sobol:\n");
        put_pad(f, in + 4);
        fprintf(f, "points: %" PRIu64 "\n", sw->points);
        if (sw->indices) {   /* only when set: older sweeps keep their bytes (and hash) */
            put_pad(f, in + 4);
            fputs("indices: true\n", f);
        }
        put_pad(f, in + 4);
        fputs("ranges:\n", f);
        in += 2;
    }
    for (size_t i = 0; i < sw->naxes; i++) {
        const wg_sweep_axis *ax = &sw->axes[i];
        put_pad(f, in + 4);
        put_str(f, ax->key);
        fputs(": [", f);
        if (sw->kind == 1) {
            for (size_t j = 0; j < ax->nvalues; j++) {
                if (j) fputs(", ", f);
                put_num(f, ax->values[j]);
            }
        } else {
            put_num(f, ax->lo);
            fputs(", ", f);
            put_num(f, ax->hi);
        }
        fputs("]\n", f);
    }
}

wg_status wg_scenario_write(const wg_scenario *s, FILE *f, int in)
{
    const node *vs = s->doc ? wg_tree_get(s->doc->root, "variants") : NULL;
    put_key_str(f, in, "name", s->name);
    if (s->about) put_key_str(f, in, "about", s->about);
    if (s->unit) put_key_str(f, in, "unit", s->unit);
    put_key_str(f, in, "step", s->step_unit);
    put_pad(f, in);
    fprintf(f, "steps: %" PRIu32 "\n", s->steps);
    put_pad(f, in);
    fprintf(f, "runs: %" PRIu32 "\n", s->runs);
    put_pad(f, in);
    fprintf(f, "seed: %" PRIu64 "\n", s->seed);
    put_pad(f, in);
    fputs("blowup: {threshold: ", f);
    put_num(f, s->blowup);
    if (s->blowup_valence == WG_POS) fprintf(f, ", valence: %s", wg_valence_name(WG_POS));
    if (s->blowup_at_step) fprintf(f, ", by_step: %" PRIu32, s->blowup_step);
    fputs("}\n", f);
    if (s->seed_conflict_error) {
        put_pad(f, in);
        fputs("seed_conflict: error\n", f);
    }
    if (s->ntrace) {
        put_pad(f, in);
        fputs("trace: {runs: [", f);
        for (size_t i = 0; i < s->ntrace; i++) {
            if (i) fputs(", ", f);
            if (s->trace[i].which == WG_TRACE_INDEX) fprintf(f, "%" PRIu32, s->trace[i].run);
            else fputs(wg_trace_which_names[s->trace[i].which], f);
        }
        fputs("]}\n", f);
    }
    if (s->arrivals.on) {
        put_pad(f, in);
        fputs("arrivals: {present: ", f);
        put_num(f, s->arrivals.present);
        fputs(", per_step: ", f);
        put_num(f, s->arrivals.per_step);
        fprintf(f, ", by: %s}\n", wg_arrival_by_names[s->arrivals.by]);
    }
    put_network(f, in, &s->net);
    put_pad(f, in);
    fputs("model:\n", f);
    put_pad(f, in + 2);
    fprintf(f, "contact: %s\n", wg_contact_name(s->model.contact));
    put_pad(f, in + 2);
    fprintf(f, "exposure: %s\n", wg_exposure_name(s->model.exposure));
    uint32_t model_set =
        ~(1u << WG_P_ACTIVITY | 1u << WG_P_SUSCEPTIBILITY) & ((1u << WG_NPARAMS) - 1);
    for (int v = 0; v < WG_NVALENCES; v++)   /* a duration replaces quit (both are an error) */
        if (s->model.duration[v].law != WG_DUR_GEOMETRIC) model_set &= ~(1u << (WG_P_QUIT_POS + v));
    put_params(f, in + 2, &s->model.p, model_set);
    put_durations(f, in + 2, &s->model);
    put_thresholds(f, in + 2, &s->model);
    put_attention(f, in + 2, &s->model);
    if (s->nsegments) {
        put_pad(f, in);
        fputs("segments:\n", f);
    }
    for (size_t i = 0; i < s->nsegments; i++) {
        const wg_segment *g = &s->segments[i];
        put_pad(f, in + 2);
        fputs("- name: ", f);
        put_str(f, g->name);
        fputc('\n', f);
        put_pad(f, in + 4);
        fputs("pick: {", f);
        put_pick(f, s, &g->pick);
        fputs("}\n", f);
        put_params(f, in + 4, &g->p, g->set);
    }
    if (s->nevents) {
        put_pad(f, in);
        fputs("events:\n", f);
    }
    for (size_t i = 0; i < s->nevents; i++) {
        put_pad(f, in + 2);
        fputs("- ", f);
        put_event(f, s, &s->events[i]);
    }
    if (s->nvariants) {
        put_pad(f, in);
        fputs("variants:\n", f);
    }
    for (size_t i = 0; i < s->nvariants; i++) {
        const node *vr = vs && i < vs->n ? vs->vals[i] : NULL, *v;
        put_pad(f, in + 2);
        fputs("- name: ", f);
        put_str(f, s->variants[i].name);
        fputc('\n', f);
        if (s->variants[i].about) put_key_str(f, in + 4, "about", s->variants[i].about);
        static const char *const raw[] = {"set", "events", "replace_events"};
        for (int k = 0; k < 3; k++)
            if ((v = wg_tree_get(vr, raw[k]))) {
                put_pad(f, in + 4);
                fprintf(f, "%s: ", raw[k]);
                put_node(f, v);
                fputc('\n', f);
            }
    }
    if (s->observed.present) {
        put_pad(f, in);
        fputs("observed:\n", f);
        put_key_str(f, in + 2, "file", s->observed.file);
        put_key_str(f, in + 2, "x", s->observed.x);
        if (s->observed.y) put_key_str(f, in + 2, "y", s->observed.y);
        if (s->observed.metric) put_key_str(f, in + 2, "metric", s->observed.metric);
        if (s->observed.scale > 0) {
            put_pad(f, in + 2);
            fputs("scale: ", f);
            put_num(f, s->observed.scale);
            fputc('\n', f);
        }
    }
    if (s->sweep.kind) put_sweep(f, in, &s->sweep);
    return ferror(f) ? WG_EIO : WG_OK;
}

/* ------------------------------------------------------------------------
 * Editing the file's text in place (for `waggle fit`'s calibrated copy).
 */
typedef struct edit {
    unsigned line, col;     /* where, 1-based */
    size_t cut;             /* bytes replaced */
    char *text;             /* inserted (owned) */
} edit;

/* Later places first, so that an edit leaves the offsets of the earlier
 * ones as they were in the original text. */
static int edit_cmp(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    if (x->line != y->line) return x->line < y->line ? 1 : -1;
    return x->col < y->col ? 1 : x->col > y->col ? -1 : 0;
}

/* Offset of (line, col) in text, or (size_t)-1. */
static size_t offset_of(const char *text, unsigned line, unsigned col)
{
    size_t off = 0;
    for (unsigned l = 1; l < line; l++) {
        const char *nl = strchr(text + off, '\n');
        if (!nl) return (size_t)-1;
        off = (size_t)(nl - text) + 1;
    }
    return off + col - 1;
}

/* printf into a new string, or NULL. */
static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *t = n < 0 ? NULL : wg_malloc((size_t)n + 1, 1);
    if (t) {
        va_start(ap, fmt);
        vsnprintf(t, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return t;
}

/* 1 when a scalar read back holds value: the same text, or the same number. */
static int holds(const char *text, const char *value)
{
    char *end;
    if (!strcmp(text, value)) return 1;
    errno = 0;
    double x = strtod(text, &end);
    while (isspace((unsigned char)*end)) end++;
    return *text && !*end && !errno && isfinite(x) && x == strtod(value, NULL);
}

/* The edit that sets key to value in src (len bytes), or why there is none. */
static wg_scenario_edit_why place_edit(const wg_scenario *s, const char *src, size_t len,
                                       const char *key, const char *value, edit *e)
{
    wg_scenario_place v;
    if (wg_scenario_place_of(s, key, &v) != WG_OK) return WG_EDIT_NOWHERE;
    if (v.shared) return WG_EDIT_SHARED;
    if (v.found && v.line) {
        /* replace the scalar: to its closing quote, or to the end of a plain word */
        size_t off = offset_of(src, v.line, v.col);
        if (off == (size_t)-1 || off >= len) return WG_EDIT_NOWHERE;
        size_t end = off;
        if (!v.plain) {
            char q = src[off];
            end++;
            while (end < len && src[end] != q && src[end] != '\n') end++;
            if (end < len && src[end] == q) end++;
        } else {
            while (end < len && !strchr(",}]#\n", src[end])) end++;
            while (end > off && isspace((unsigned char)src[end - 1])) end--;
        }
        *e = (edit){v.line, v.col, end - off, format("%s", value)};
    } else if (!v.found && v.missing_parts == 1 && v.parent_line) {
        /* add "last: value" next to the first key of the map that holds it */
        const char *last = strrchr(key, '.');
        last = last ? last + 1 : key;
        size_t off = offset_of(src, v.parent_line, v.parent_col);
        if (off == (size_t)-1 || off > len) return WG_EDIT_NOWHERE;
        size_t b = off;
        while (b > 0 && (src[b - 1] == ' ' || src[b - 1] == '\t')) b--;
        if (b > 0 && (src[b - 1] == '{' || src[b - 1] == ','))   /* a flow map */
            *e = (edit){v.parent_line, v.parent_col, 0, format("%s: %s, ", last, value)};
        else
            *e = (edit){v.parent_line, 1, 0,
                        format("%*s%s: %s\n", (int)(v.parent_col - 1), "", last, value)};
    } else {
        return WG_EDIT_NOWHERE;
    }
    return WG_EDIT_OK;
}

wg_status wg_scenario_edit_text(const wg_scenario *s, const char *header, size_t n,
                                const char *const *keys, const char *const *values, char **out,
                                wg_scenario_edit_why *why)
{
    size_t len = 0, hl = header ? strlen(header) : 0;
    edit *ed = wg_calloc(n, sizeof *ed);
    char *src = NULL;
    if (ed) wg_file_read(s->path, &src, &len, NULL);   /* src stays NULL on failure */
    char *text = NULL;
    wg_scenario *back = NULL;
    wg_status st = WG_OK;
    *out = NULL;
    *why = WG_EDIT_OK;
    if (!ed || !src) {
        *why = WG_EDIT_UNREADABLE;
        goto done;
    }
    size_t cap = len + hl + 1;
    for (size_t i = 0; i < n; i++) {
        if ((*why = place_edit(s, src, len, keys[i], values[i], &ed[i])) != WG_EDIT_OK) goto done;
        if (!ed[i].text) {
            st = WG_ENOMEM;
            goto done;
        }
        cap += strlen(ed[i].text);
    }
    qsort(ed, n, sizeof *ed, edit_cmp);
    if (!(text = wg_malloc(cap, 1))) {
        st = WG_ENOMEM;
        goto done;
    }
    if (hl) memcpy(text, header, hl);
    memcpy(text + hl, src, len + 1);
    for (size_t i = 0; i < n; i++) {
        size_t off = hl + offset_of(src, ed[i].line, ed[i].col);
        size_t tl = strlen(ed[i].text), cur = strlen(text);
        memmove(text + off + tl, text + off + ed[i].cut, cur - off - ed[i].cut + 1);
        memcpy(text + off, ed[i].text, tl);
    }
    /* it must load back, with the values */
    wg_diag local;
    wg_diag_init(&local);
    st = wg_scenario_parse(text, strlen(text), s->path, s->doc ? s->doc->dir : NULL, NULL, 0,
                           &back, &local);
    wg_diag_free(&local);
    if (st == WG_ENOMEM) goto done;
    if (st != WG_OK) {
        st = WG_OK;
        *why = WG_EDIT_NO_LOAD;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        wg_scenario_place v;
        if (wg_scenario_place_of(back, keys[i], &v) != WG_OK || !v.found ||
            !holds(v.text, values[i])) {
            *why = WG_EDIT_NOT_HELD;
            goto done;
        }
    }
    *out = text;
    text = NULL;
done:
    wg_scenario_free(back);
    free(text);
    free(src);
    for (size_t i = 0; ed && i < n; i++) free(ed[i].text);
    free(ed);
    return st;
}
