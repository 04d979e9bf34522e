/*
 * optimize.c — `waggle optimize`: which K advocates to seed, which K critics to
 * answer, or which standing response policy of a grid (waggle/optimize.h).
 *
 * Every set is scored by a wg_job: the scenario derived with the chosen
 * agents as one more seed event (by id), run with the scenario's seed and
 * runs 0 .. runs-1 (common random numbers). The greedy is lazy (CELF,
 * Leskovec et al. 2007): each candidate's gain is measured once on the empty
 * set; then the candidate with the best gain is taken when that gain was
 * measured on the current set (it is fresh), else its gain is measured again
 * and the search repeats. With a submodular objective a stale gain is an
 * upper bound, so the fresh best is the true best; waggle's model is not
 * always submodular (critics, stifling, several valences), so CELF is a
 * heuristic there, and the tests check it against an exhaustive search.
 *
 * Design notes:
 *   1. value[k × runs + r] holds the objective of run r for the first k
 *      chosen agents (k = 0: none), so a pick's marginal gain and its paired
 *      interval are differences of two stored rows;
 *   2. cand_val[c × runs ..] holds the per-run objective of the last set
 *      candidate c was scored with (the chosen set then, plus c): when c is
 *      taken fresh, that row is the new prefix's, so no set is run twice;
 *   3. the baselines of optimize.csv (random, degree, PageRank, k-core picks
 *      of the same sizes) replace the chosen agents' event by the same pick
 *      at the same place in the timeline: only the pick differs;
 *   4. choosing whom to answer (WG_CHOOSE_RESPOND) is the same greedy with
 *      another derived event: the respond event keeps its step, trigger,
 *      win, calm and cost, and only its pick becomes the set's ids;
 *   5. a grid of policies (WG_CHOOSE_POLICY) is no greedy: every point is
 *      scored, and grid_val/grid_ans hold the objective and the answers of
 *      every point and run, then the scenario's own policy (row ngrid) and
 *      answering nobody (row ngrid + 1).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "waggle/compare.h"
#include "waggle/optimize.h"
#include "waggle/render.h"

/* The baselines of optimize.csv, in the order written. */
static const int baseline_by[] = {WG_PICK_RANDOM, WG_PICK_DEGREE, WG_PICK_PAGERANK,
                                  WG_PICK_KCORE};
#define NBASELINES (sizeof baseline_by / sizeof baseline_by[0])

struct wg_opt {
    wg_scenario *s;             /* owned */
    wg_blowup_rule rule;        /* the scenario's blow-up rule (the -blowup objective) */
    const wg_graph *g;          /* lent or own_g */
    wg_graph *own_g;
    wg_graph_stats gs;
    wg_opt_params p;
    int replace;                /* index of the seed event the choice replaces, or -1 */
    size_t at;                  /* index of the chosen seeds' event in a derived scenario */
    uint32_t step;              /* where the chosen seeds go */
    uint32_t runs;
    uint32_t *cand;             /* candidates, best degree first */
    uint32_t ncand;
    uint32_t *chosen;           /* budget entries */
    uint32_t nchosen;
    double *value;              /* (budget + 1) × runs (note 1) */
    double *cand_val;           /* ncand × runs (note 2) */
    double *gain;               /* ncand: last measured mean gain */
    uint32_t *stamp;            /* ncand: size of the set that gain was measured on */
    uint8_t *taken;             /* ncand */
    uint32_t nsizes;            /* sizes of optimize.csv */
    uint32_t sizes[WG_OPT_SIZES_MAX + 1];
    double *base_val;           /* nsizes × NBASELINES × runs */
    int compared;
    uint64_t evals, planned;
    double seconds;
    double *work;               /* 2 × runs */
    wg_imm_result imm;          /* IMM's report */
    /* WG_CHOOSE_POLICY (note 5) */
    uint32_t ngrid;             /* points: ndelays × nper_steps */
    double *grid_val;           /* (ngrid + 2) × runs: objective */
    double *grid_ans;           /* (ngrid + 2) × runs: answers */
    int best;                   /* the chosen point, or -1 */
};

/* The grid point i: delays major, per_step minor. */
static uint32_t grid_delay(const wg_opt *o, uint32_t i) { return o->p.delays[i / o->p.nper_steps]; }
static uint32_t grid_per_step(const wg_opt *o, uint32_t i)
{
    return o->p.per_steps[i % o->p.nper_steps];
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- names ----------------------------------------------------------------------------- */

static const char *const objective_names[WG_NOBJ] = {"reach_positive", "-reach_negative",
                                                     "-blowup"};
static const char *const choose_names[] = {"seeds", "respond", "respond"};

const char *wg_opt_objective_name(int objective)
{
    return objective >= 0 && objective < WG_NOBJ ? objective_names[objective] : "?";
}

const char *wg_opt_choose_name(int choose)
{
    return choose >= WG_CHOOSE_SEEDS && choose <= WG_CHOOSE_POLICY ? choose_names[choose] : "?";
}

const char *wg_opt_metric_name(int objective)
{
    const char *s = wg_opt_objective_name(objective);
    return s[0] == '-' ? s + 1 : s;
}

int wg_opt_objective_from_name(const char *name)
{
    for (int i = 0; i < WG_NOBJ; i++)
        if (strcmp(name, objective_names[i]) == 0) return i;
    return -1;
}

const char *wg_opt_method_name(int method)
{
    return method == WG_OPT_GREEDY ? "greedy" : method == WG_OPT_IMM ? "imm" : "?";
}

int wg_opt_method_from_name(const char *name)
{
    return strcmp(name, "greedy") == 0 ? WG_OPT_GREEDY : strcmp(name, "imm") == 0 ? WG_OPT_IMM
                                                                                 : -1;
}

void wg_opt_params_default(wg_opt_params *p)
{
    memset(p, 0, sizeof *p);
    p->objective = WG_OBJ_REACH_POS;
    p->method = WG_OPT_GREEDY;
    p->candidates = WG_OPT_CANDIDATES_DEFAULT;
    p->epsilon = 0.1;
    p->ell = 1.0;
}

/* ---- scoring a set -------------------------------------------------------------------- */

/* The objective of one run, higher is better (invariant 1). */
static double objective_of(const wg_opt *o, const wg_results *r, uint32_t run)
{
    wg_final f;
    wg_final_of(r, run, &f);
    switch (o->p.objective) {
    case WG_OBJ_REACH_NEG: return -(double)f.reach_neg;
    case WG_OBJ_BLOWUP: return -(double)wg_blowup_run(&o->rule, r, run);
    case WG_OBJ_REACH_POS:
    default: return (double)f.reach_pos;
    }
}

/* The metric as files report it (the objective without its sign). */
static double metric_of_value(const wg_opt *o, double v)
{
    return o->p.objective == WG_OBJ_REACH_POS ? v : -v;
}

/* The scenario with `pick` as the chosen seeds' event at o->at (note 3): in
 * the replaced event's place, or just before the first seed event, so that
 * every other event keeps its index, hence its keyed draws, in every arm. An
 * empty set is a pick of no ids, not a missing event, for the same reason.
 * Choosing whom to answer (note 4), `pick` replaces the respond event's own;
 * choosing a policy (note 5), `pol` replaces its policy, and pol NULL makes
 * it a one-shot answer to nobody. */
static wg_status derive(const wg_opt *o, const wg_pick *pick, const wg_policy *pol,
                        wg_scenario **out, wg_diag *d)
{
    wg_scenario *t = NULL;
    wg_pick none;
    memset(&none, 0, sizeof none);
    none.by = WG_PICK_ID;
    none.segment = -1;
    if (!pick) pick = &none;
    wg_status st = wg_scenario_with(o->s, 0, NULL, NULL, &t, d);
    if (st != WG_OK) return st;
    if (o->p.choose != WG_CHOOSE_SEEDS) {
        wg_event *e = &t->events[o->at];
        if (o->p.choose == WG_CHOOSE_POLICY && pol) {
            e->policy = *pol;
        } else {
            e->policy.on = 0;
            wg_pick_clear(&e->pick);
            if (wg_pick_copy(&e->pick, pick) != WG_OK) goto oom;
        }
        *out = t;
        return WG_OK;
    }
    size_t n = t->nevents + (o->replace < 0);
    wg_event *ev = wg_calloc(n, sizeof *ev);
    if (!ev) goto oom;
    for (size_t i = 0, k = 0; i < t->nevents; i++) {
        if (i == o->at) k++;   /* the chosen seeds' slot */
        if ((int)i == o->replace) wg_event_clear(&t->events[i]);
        else ev[k++] = t->events[i];   /* moved: the array is freed below, not its events */
    }
    free(t->events);
    t->events = ev;
    t->nevents = n;
    wg_event *e = &ev[o->at];
    e->step = o->step;
    e->kind = WG_EV_SEED;
    e->valence = WG_POS;
    e->segment = -1;
    if (wg_pick_copy(&e->pick, pick) != WG_OK) goto oom;
    *out = t;
    return WG_OK;
oom:
    wg_scenario_free(t);
    wg_diag_error(d, WG_ENOMEM, "out of memory: a candidate scenario");
    return WG_ENOMEM;
}

/* Run the scenario with `pick` (or `pol`) in place; per-run objective into
 * value, and the answers of each run into answers unless NULL. */
static wg_status score(wg_opt *o, const wg_pick *pick, const wg_policy *pol, double *value,
                       double *answers, wg_diag *d)
{
    wg_scenario *t = NULL;
    wg_job *j = NULL;
    wg_status st = derive(o, pick, pol, &t, d);
    if (st != WG_OK) return st;
    if ((st = wg_job_open_scenario(t, o->g, &j, d)) != WG_OK) return st;
    wg_job_run_params rp;
    wg_job_run_params_default(&rp);
    rp.threads = o->p.threads;
    rp.stop = o->p.stop;
    rp.no_stats = 1;   /* the handle has them; a job per set must not recount triangles */
    if ((st = wg_job_run(j, &rp, d)) == WG_OK) {
        const wg_results *r = wg_job_results(j);
        for (uint32_t run = 0; run < o->runs; run++) {
            value[run] = objective_of(o, r, run);
            if (answers) {
                wg_final f;
                wg_final_of(r, run, &f);
                answers[run] = (double)f.answers;
            }
        }
    }
    wg_job_free(j);
    o->evals++;
    if (o->p.progress) {
        if (o->evals > o->planned) o->planned = o->evals;
        o->p.progress(o->p.progress_ud, o->evals, o->planned);
    }
    return st;
}

/* The pick `by: id` of agents[0..k-1] by their file ids (text ids as text). */
static wg_status pick_of(const wg_opt *o, const uint32_t *agents, size_t k, wg_pick *pk, wg_diag *d)
{
    const wg_graph *g = o->g;
    memset(pk, 0, sizeof *pk);
    pk->by = WG_PICK_ID;
    pk->segment = -1;
    pk->nids = k;
    if (k && !(pk->ids = wg_malloc(k, sizeof *pk->ids))) goto oom;
    if (k && g->name && !(pk->id_text = wg_calloc(k, sizeof *pk->id_text))) goto oom;
    for (size_t i = 0; i < k; i++) {
        pk->ids[i] = g->label ? g->label[agents[i]] : agents[i];
        if (g->name && g->name[agents[i]] && !(pk->id_text[i] = wg_strdup(g->name[agents[i]]))) goto oom;
    }
    return WG_OK;
oom:
    wg_pick_clear(pk);
    wg_diag_error(d, WG_ENOMEM, "out of memory: a set of %zu agents", k);
    return WG_ENOMEM;
}

wg_status wg_opt_eval(wg_opt *o, const uint32_t *agents, size_t k, double *value, wg_diag *d)
{
    wg_pick pk;
    wg_status st = pick_of(o, agents, k, &pk, d);
    if (st != WG_OK) return st;
    st = score(o, &pk, NULL, value, NULL, d);
    wg_pick_clear(&pk);
    return st;
}

wg_status wg_opt_eval_pick(wg_opt *o, int by, uint32_t k, double *value, wg_diag *d)
{
    wg_pick pk;
    memset(&pk, 0, sizeof pk);
    pk.by = (wg_pick_by)by;
    pk.segment = -1;
    pk.count = k;
    /* k = 0: no ids */
    return k ? score(o, &pk, NULL, value, NULL, d) : score(o, NULL, NULL, value, NULL, d);
}

/* ---- open ------------------------------------------------------------------------------ */

/* Candidates ordered by out-degree, ties by agent index (qsort is not stable:
 * the index is part of the key). */
typedef struct deg_key {
    uint32_t degree, agent;
} deg_key;

static int deg_key_cmp(const void *pa, const void *pb)
{
    const deg_key *a = pa, *b = pb;
    if (a->degree != b->degree) return a->degree > b->degree ? -1 : 1;
    return a->agent < b->agent ? -1 : a->agent > b->agent;
}

/* The respond event whose pick or policy is chosen (notes 4, 5): the first
 * one, which must be one-shot (whom) or standing (a policy). */
static wg_status find_respond(wg_opt *o, wg_diag *d)
{
    const wg_scenario *s = o->s;
    const int grid = o->p.choose == WG_CHOOSE_POLICY;
    for (size_t i = 0; i < s->nevents; i++) {
        const wg_event *e = &s->events[i];
        if (e->kind != WG_EV_RESPOND) continue;
        if (!grid && e->policy.on) {
            wg_diag_error(d, WG_EINPUT, "%s: --choose respond --budget K chooses whom a one-shot "
                          "respond event answers, and the scenario's first respond event is a "
                          "standing policy; to choose its delay and per_step, give --delays "
                          "and/or --per-step (a grid)", s->path);
            return WG_EINPUT;
        }
        if (grid && !e->policy.on) {
            wg_diag_error(d, WG_EINPUT, "%s: --delays/--per-step choose a standing policy, and "
                          "the scenario's first respond event answers once; make it standing, "
                          "e.g. respond: {policy: {delay: 1, per_step: 20}, win: 0.05, calm: "
                          "0.4}, or drop --delays/--per-step to choose whom it answers",
                          s->path);
            return WG_EINPUT;
        }
        o->replace = (int)i;
        o->at = i;
        o->step = e->step;
        return WG_OK;
    }
    wg_diag_error(d, WG_EINPUT, "%s: no response to choose: the scenario has no respond event "
                  "(--choose respond chooses whom its first respond event answers, or the "
                  "delay and per_step of its standing policy), e.g. events: [{step: 2, "
                  "respond: {policy: {delay: 1, per_step: 20}, win: 0.05, calm: 0.4}}]",
                  s->path);
    return WG_EINPUT;
}

static wg_status find_place(wg_opt *o, wg_diag *d)
{
    const wg_scenario *s = o->s;
    if (o->p.choose != WG_CHOOSE_SEEDS) return find_respond(o, d);
    int first_seed = -1;
    o->replace = -1;
    for (size_t i = 0; i < s->nevents; i++) {
        if (s->events[i].kind != WG_EV_SEED) continue;
        if (first_seed < 0) first_seed = (int)i;
        if (s->events[i].valence == WG_POS) {
            o->replace = (int)i;
            break;
        }
    }
    if (first_seed < 0) {
        wg_diag_error(d, WG_EINPUT,
                      "%s: no seeds to choose: the scenario has no seed event (optimize chooses "
                      "the agents of its first positive seed event, or adds advocates at the "
                      "step of its first seed event), e.g. events: [{step: 0, seed: {valence: "
                      "positive, count: 10, by: random}}]", s->path);
        return WG_EINPUT;
    }
    o->at = (size_t)(o->replace >= 0 ? o->replace : first_seed);
    o->step = s->events[o->at].step;
    return WG_OK;
}

/* The policy of grid point i (ngrid: the scenario's own). */
static wg_policy grid_policy(const wg_opt *o, uint32_t i)
{
    wg_policy pol = o->s->events[o->at].policy;
    if (i < o->ngrid) {
        pol.delay = grid_delay(o, i);
        pol.per_step = grid_per_step(o, i);
    }
    return pol;
}

/* The rest of wg_opt_open for a grid of policies: its rows, and the scenario
 * as it will run checked against the network, before any run. */
static wg_status open_grid(wg_opt *o, wg_diag *d)
{
    const uint32_t R = o->runs;
    o->ngrid = o->p.ndelays * o->p.nper_steps;
    o->grid_val = wg_malloc((size_t)(o->ngrid + 2) * R, sizeof *o->grid_val);
    o->grid_ans = wg_malloc((size_t)(o->ngrid + 2) * R, sizeof *o->grid_ans);
    o->work = wg_malloc(2 * (size_t)R, sizeof *o->work);
    if (!o->grid_val || !o->grid_ans || !o->work) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: preparing the optimisation");
        return WG_ENOMEM;
    }
    wg_scenario *t = NULL;
    wg_job *j = NULL;
    wg_policy pol = grid_policy(o, 0);
    wg_status st = derive(o, NULL, &pol, &t, d);
    if (st != WG_OK) return st;
    if ((st = wg_job_open_scenario(t, o->g, &j, d)) != WG_OK) return st;
    st = wg_job_prepare(j, d);
    wg_job_free(j);
    o->planned = o->ngrid + 2;
    return st;
}

wg_status wg_opt_open(wg_scenario *s, const wg_graph *g, const wg_opt_params *p, wg_opt **out,
                      wg_diag *d)
{
    wg_status st = WG_ENOMEM;
    *out = NULL;
    wg_opt *o = wg_calloc(1, sizeof *o);
    if (!o) {
        wg_scenario_free(s);
        wg_diag_error(d, WG_ENOMEM, "out of memory: an optimisation");
        return WG_ENOMEM;
    }
    o->s = s;
    if (p) o->p = *p;
    else wg_opt_params_default(&o->p);
    o->runs = s->runs;
    o->best = -1;
    o->rule = (wg_blowup_rule){s->blowup, s->blowup_valence, s->blowup_at_step, s->blowup_step};
    size_t errors = d->errors;
    const int grid = o->p.choose == WG_CHOOSE_POLICY;
    if (o->p.choose < WG_CHOOSE_SEEDS || o->p.choose > WG_CHOOSE_POLICY)
        wg_diag_error(d, WG_EINPUT, "--choose: expected seeds or respond");
    if (o->p.choose != WG_CHOOSE_SEEDS && o->p.method == WG_OPT_IMM)
        wg_diag_error(d, WG_EINPUT, "--method imm chooses seeds (an independent cascade's "
                      "advocates); --choose respond needs --method greedy");
    if (o->p.ndelays > WG_OPT_GRID_MAX || o->p.nper_steps > WG_OPT_GRID_MAX)
        wg_diag_error(d, WG_EINPUT, "--delays, --per-step: at most %u values each",
                      WG_OPT_GRID_MAX);
    for (uint32_t i = 0; i < o->p.nper_steps && i < WG_OPT_GRID_MAX; i++)
        if (o->p.per_steps[i] < 1)
            wg_diag_error(d, WG_EINPUT, "--per-step: expected counts of at least 1");
    if (o->p.objective < 0 || o->p.objective >= WG_NOBJ)
        wg_diag_error(d, WG_EINPUT, "--objective: expected reach_positive, -reach_negative or "
                      "-blowup");
    if (o->p.budget < 1 && !grid)
        wg_diag_error(d, WG_EINPUT, "--budget: expected a count of at least 1");
    if (o->p.candidates < 1)
        wg_diag_error(d, WG_EINPUT, "--candidates: expected degree:N with N at least 1");
    if (o->p.method != WG_OPT_GREEDY && o->p.method != WG_OPT_IMM)
        wg_diag_error(d, WG_EINPUT, "--method: expected greedy or imm");
    if (o->p.method == WG_OPT_IMM && !(o->p.epsilon > 0 && o->p.epsilon < 1))
        wg_diag_error(d, WG_EINPUT, "--epsilon %g: expected a number in (0, 1)", o->p.epsilon);
    if (o->p.method == WG_OPT_IMM && o->p.objective != WG_OBJ_REACH_POS)
        wg_diag_error(d, WG_EINPUT, "--method imm maximises reach_positive (the spread of an "
                      "independent cascade); --objective %s needs --method greedy",
                      wg_opt_objective_name(o->p.objective));
    if (d->errors > errors) {
        st = WG_EINPUT;
        goto fail;
    }
    if ((st = find_place(o, d)) != WG_OK) goto fail;
    if (grid) {
        /* a grid's missing side is the scenario policy's own value */
        const wg_policy *own = &s->events[o->at].policy;
        if (!o->p.ndelays) o->p.delays[o->p.ndelays++] = own->delay;
        if (!o->p.nper_steps) o->p.per_steps[o->p.nper_steps++] = own->per_step;
    }
    if (o->p.method == WG_OPT_IMM && (st = wg_imm_check(s, o->replace, d)) != WG_OK) goto fail;
    if (!g) {
        if ((st = wg_graph_build(&s->net, s->seed, &o->own_g, d)) != WG_OK) goto fail;
        g = o->own_g;
    }
    o->g = g;
    if ((st = wg_graph_stats_compute(g, &o->gs, NULL, d)) != WG_OK) goto fail;
    if (grid) {
        st = open_grid(o, d);
        if (st != WG_OK) goto fail;
        *out = o;
        return WG_OK;
    }
    const uint32_t n = g->n;
    o->ncand = o->p.method == WG_OPT_IMM ? n : o->p.candidates < n ? o->p.candidates : n;
    if (o->p.budget > o->ncand) {
        if (o->p.method == WG_OPT_IMM)
            wg_diag_error(d, WG_EINPUT, "--budget %u: larger than the %u agents of the network",
                          o->p.budget, n);
        else
            wg_diag_error(d, WG_EINPUT, "--budget %u: larger than the %u candidates (--candidates "
                          "degree:N%s)", o->p.budget, o->ncand,
                          o->ncand == n ? "; the network has no more agents" : " takes more");
        st = WG_EINPUT;
        goto fail;
    }
    st = WG_ENOMEM;
    deg_key *keys = wg_malloc(n ? n : 1, sizeof *keys);
    if (!keys) goto oom;
    for (uint32_t a = 0; a < n; a++) {
        keys[a].degree = wg_graph_out_degree(g, a);
        keys[a].agent = a;
    }
    qsort(keys, n, sizeof *keys, deg_key_cmp);
    o->cand = wg_malloc(o->ncand, sizeof *o->cand);
    if (!o->cand) {
        free(keys);
        goto oom;
    }
    for (uint32_t i = 0; i < o->ncand; i++) o->cand[i] = keys[i].agent;
    free(keys);
    const uint32_t K = o->p.budget, R = o->runs;
    const uint32_t nc = o->p.method == WG_OPT_IMM ? 0 : o->ncand;   /* IMM keeps no gains */
    o->chosen = wg_malloc(K, sizeof *o->chosen);
    o->value = wg_malloc((size_t)(K + 1) * R, sizeof *o->value);
    o->cand_val = wg_malloc((size_t)(nc ? nc : 1) * R, sizeof *o->cand_val);
    o->gain = wg_malloc(nc ? nc : 1, sizeof *o->gain);
    o->stamp = wg_malloc(nc ? nc : 1, sizeof *o->stamp);
    o->taken = wg_calloc(nc ? nc : 1, 1);
    o->work = wg_malloc(2 * (size_t)R, sizeof *o->work);
    if (!o->chosen || !o->value || !o->cand_val || !o->gain || !o->stamp || !o->taken ||
        !o->work)
        goto oom;
    /* the sizes of optimize.csv: every k up to WG_OPT_SIZES_MAX, else 1 and even steps to K */
    if (K <= WG_OPT_SIZES_MAX) {
        o->nsizes = K;
        for (uint32_t i = 0; i < K; i++) o->sizes[i] = i + 1;
    } else {
        const uint32_t steps = WG_OPT_SIZES_MAX - 1;
        o->nsizes = 1;
        o->sizes[0] = 1;
        for (uint32_t i = 1; i <= steps; i++) {
            uint32_t k = (uint32_t)(((uint64_t)K * i + steps - 1) / steps);
            if (o->sizes[o->nsizes - 1] != k) o->sizes[o->nsizes++] = k;
        }
    }
    o->base_val = wg_malloc((size_t)o->nsizes * NBASELINES * R, sizeof *o->base_val);
    if (!o->base_val) goto oom;
    /* picks against the network (ids, counts, segments), before any run: the
     * scenario as it will run, with the first candidate chosen */
    {
        wg_scenario *t = NULL;
        wg_job *j = NULL;
        wg_pick pk;
        if ((st = pick_of(o, o->cand, 1, &pk, d)) != WG_OK) goto fail;
        st = derive(o, &pk, NULL, &t, d);
        wg_pick_clear(&pk);
        if (st != WG_OK) goto fail;
        if ((st = wg_job_open_scenario(t, o->g, &j, d)) != WG_OK) goto fail;
        st = wg_job_prepare(j, d);
        wg_job_free(j);
        if (st != WG_OK) goto fail;
    }
    o->planned = (uint64_t)nc + K + 1 + (uint64_t)o->nsizes * NBASELINES;
    *out = o;
    return WG_OK;
oom:
    wg_diag_error(d, WG_ENOMEM, "out of memory: preparing the optimisation");
    st = WG_ENOMEM;
fail:
    wg_opt_free(o);
    return st;
}

wg_status wg_opt_open_file(const char *path, const char *const *sets, size_t nsets,
                           const wg_opt_params *p, wg_opt **out, wg_diag *d)
{
    wg_scenario *s = NULL;
    *out = NULL;
    wg_status st = wg_job_load(path, sets, nsets, &s, d);
    if (st != WG_OK) return st;
    return wg_opt_open(s, NULL, p, out, d);
}

void wg_opt_free(wg_opt *o)
{
    if (!o) return;
    wg_scenario_free(o->s);
    wg_graph_free(o->own_g);
    free(o->cand);
    free(o->chosen);
    free(o->value);
    free(o->cand_val);
    free(o->gain);
    free(o->stamp);
    free(o->taken);
    free(o->base_val);
    free(o->work);
    free(o->grid_val);
    free(o->grid_ans);
    free(o);
}

const wg_scenario *wg_opt_scenario(const wg_opt *o) { return o->s; }
const wg_graph *wg_opt_graph(const wg_opt *o) { return o->g; }
uint32_t wg_opt_runs(const wg_opt *o) { return o->runs; }
double wg_opt_seconds(const wg_opt *o) { return o->seconds; }
uint64_t wg_opt_evaluations(const wg_opt *o) { return o->evals; }

const uint32_t *wg_opt_candidates(const wg_opt *o, uint32_t *n)
{
    if (n) *n = o->ncand;
    return o->cand;
}

const uint32_t *wg_opt_chosen(const wg_opt *o, uint32_t *k)
{
    if (k) *k = o->nchosen;
    return o->chosen;
}

const char *wg_opt_id(const wg_opt *o, uint32_t a, char *buf)
{
    return wg_graph_id(o->g, a, buf);
}

/* ---- choosing ---------------------------------------------------------------------------- */

static double mean_diff(const double *a, const double *b, uint32_t n)
{
    double s = 0;
    for (uint32_t i = 0; i < n; i++) s += a[i] - b[i];
    return n ? s / n : 0;
}

static wg_status choose_greedy(wg_opt *o, wg_diag *d)
{
    const uint32_t R = o->runs, K = o->p.budget;
    wg_status st;
    if ((st = wg_opt_eval(o, NULL, 0, o->value, d)) != WG_OK) return st;
    uint32_t *set = wg_malloc(K + 1, sizeof *set);
    if (!set) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: the chosen set");
        return WG_ENOMEM;
    }
    for (uint32_t c = 0; c < o->ncand; c++) {
        set[0] = o->cand[c];
        if ((st = wg_opt_eval(o, set, 1, o->cand_val + (size_t)c * R, d)) != WG_OK) goto done;
        o->gain[c] = mean_diff(o->cand_val + (size_t)c * R, o->value, R);
        o->stamp[c] = 0;
    }
    while (o->nchosen < K) {
        /* the best gain; ties to the candidate ranked first (invariant 2) */
        uint32_t best = UINT32_MAX;
        for (uint32_t c = 0; c < o->ncand; c++)
            if (!o->taken[c] && (best == UINT32_MAX || o->gain[c] > o->gain[best])) best = c;
        const uint32_t k = o->nchosen;
        if (o->stamp[best] == k) {
            o->taken[best] = 1;
            o->chosen[k] = o->cand[best];
            set[k] = o->cand[best];
            memcpy(o->value + (size_t)(k + 1) * R, o->cand_val + (size_t)best * R,
                   R * sizeof *o->value);
            o->nchosen = k + 1;
            continue;
        }
        memcpy(set, o->chosen, k * sizeof *set);
        set[k] = o->cand[best];
        double *v = o->cand_val + (size_t)best * R;
        if ((st = wg_opt_eval(o, set, k + 1, v, d)) != WG_OK) goto done;
        o->gain[best] = mean_diff(v, o->value + (size_t)k * R, R);
        o->stamp[best] = k;
    }
    st = WG_OK;
done:
    free(set);
    return st;
}

static wg_status choose_imm(wg_opt *o, wg_diag *d)
{
    const uint32_t R = o->runs, K = o->p.budget;
    const wg_scenario *s = o->s;
    wg_status st = wg_imm_select(o->g, s->model.p.v[WG_P_SHARE_POS], s->steps - o->step, s->seed,
                                 K, o->p.epsilon, o->p.ell, o->p.threads, o->chosen, &o->imm, d);
    if (st != WG_OK) return st;
    o->nchosen = K;
    /* every prefix scored by waggle's own runs: the spread IMM promises, checked */
    for (uint32_t k = 0; k <= K; k++)
        if ((st = wg_opt_eval(o, o->chosen, k, o->value + (size_t)k * R, d)) != WG_OK) return st;
    return WG_OK;
}

static double mean_of(const double *v, uint32_t n)
{
    double s = 0;
    for (uint32_t i = 0; i < n; i++) s += v[i];
    return n ? s / n : 0;
}

/* Every point of the grid, the scenario's own policy and answering nobody
 * (note 5); the best point within the budget: the highest mean objective,
 * ties to fewer answers, then to the earlier point (invariant 2). */
static wg_status choose_grid(wg_opt *o, wg_diag *d)
{
    const uint32_t R = o->runs;
    for (uint32_t i = 0; i <= o->ngrid + 1; i++) {
        wg_policy pol = grid_policy(o, i);
        wg_status st = score(o, NULL, i <= o->ngrid ? &pol : NULL, o->grid_val + (size_t)i * R,
                             o->grid_ans + (size_t)i * R, d);
        if (st != WG_OK) return st;
    }
    double bv = 0, ba = 0, fewest = INFINITY;
    uint32_t at_fewest = 0;
    o->best = -1;
    for (uint32_t i = 0; i < o->ngrid; i++) {
        double v = mean_of(o->grid_val + (size_t)i * R, R);
        double a = mean_of(o->grid_ans + (size_t)i * R, R);
        if (a < fewest) {
            fewest = a;
            at_fewest = i;
        }
        if (o->p.budget && a > o->p.budget) continue;
        if (o->best < 0 || v > bv || (v == bv && a < ba)) {
            o->best = (int)i;
            bv = v;
            ba = a;
        }
    }
    if (o->best < 0) {
        wg_diag_error(d, WG_EINPUT, "--budget %u: no policy of the grid keeps within %u answers "
                      "a run on average (the fewest: %.6g, with delay %u and per_step %u); "
                      "raise the budget or give smaller --per-step or larger --delays values",
                      o->p.budget, o->p.budget, fewest, grid_delay(o, at_fewest),
                      grid_per_step(o, at_fewest));
        return WG_EINPUT;
    }
    return WG_OK;
}

const wg_imm_result *wg_opt_imm_result(const wg_opt *o)
{
    return o->p.method == WG_OPT_IMM && o->nchosen ? &o->imm : NULL;
}

wg_status wg_opt_choose(wg_opt *o, wg_diag *d)
{
    double t0 = now_seconds();
    o->nchosen = 0;
    wg_status st = o->p.choose == WG_CHOOSE_POLICY ? choose_grid(o, d)
                   : o->p.method == WG_OPT_IMM       ? choose_imm(o, d)
                                                     : choose_greedy(o, d);
    o->seconds += now_seconds() - t0;
    return st;
}

wg_status wg_opt_compare(wg_opt *o, wg_diag *d)
{
    double t0 = now_seconds();
    const uint32_t R = o->runs;
    wg_status st = WG_OK;
    if (o->p.choose == WG_CHOOSE_POLICY) {   /* every point is scored already */
        o->compared = o->best >= 0;
        return o->compared ? WG_OK : WG_EINPUT;
    }
    for (uint32_t i = 0; i < o->nsizes && st == WG_OK; i++)
        for (size_t b = 0; b < NBASELINES && st == WG_OK; b++)
            st = wg_opt_eval_pick(o, baseline_by[b], o->sizes[i],
                                  o->base_val + ((size_t)i * NBASELINES + b) * R, d);
    o->compared = st == WG_OK;
    o->seconds += now_seconds() - t0;
    return st;
}

/* ---- rows ------------------------------------------------------------------------------ */

/* Mean and 95 % t interval of the metric over runs (the objective's sign undone). */
static void metric_interval(const wg_opt *o, const double *v, double *work, double *m, double *lo,
                            double *hi)
{
    for (uint32_t r = 0; r < o->runs; r++) work[r] = metric_of_value(o, v[r]);
    wg_cmp_t_interval(work, o->runs, m, lo, hi);
    if (o->runs >= 2 && isnan(*lo)) *lo = *hi = *m;
}

/* Paired a - b (objective units) with its interval; p: share of runs a > b (ties half). */
static void paired(const wg_opt *o, const double *a, const double *b, double *work, double *m,
                   double *lo, double *hi, double *p)
{
    double better = 0;
    for (uint32_t r = 0; r < o->runs; r++) {
        work[r] = a[r] - b[r];
        better += work[r] > 0 ? 1.0 : work[r] == 0 ? 0.5 : 0.0;
    }
    wg_cmp_t_interval(work, o->runs, m, lo, hi);
    if (p) *p = o->runs ? better / o->runs : NAN;
}

wg_status wg_opt_pick_row(const wg_opt *o, uint32_t rank, wg_opt_pick *row)
{
    if (rank < 1 || rank > o->nchosen) return WG_EINPUT;
    const uint32_t R = o->runs;
    double *work = o->work;
    memset(row, 0, sizeof *row);
    row->rank = rank;
    row->agent = o->chosen[rank - 1];
    metric_interval(o, o->value + (size_t)rank * R, work, &row->metric, &row->metric_lo,
                    &row->metric_hi);
    paired(o, o->value + (size_t)rank * R, o->value + (size_t)(rank - 1) * R, work, &row->gain,
           &row->gain_lo, &row->gain_hi, NULL);
    return WG_OK;
}

uint32_t wg_opt_grid_size(const wg_opt *o) { return o->ngrid; }
int wg_opt_grid_best(const wg_opt *o) { return o->best; }

/* Point i's delay, per_step, metric and answers with their intervals; not its advantage. */
static void grid_cells(const wg_opt *o, uint32_t i, wg_opt_policy_row *row)
{
    const uint32_t R = o->runs;
    memset(row, 0, sizeof *row);
    row->point = i;
    wg_policy pol = grid_policy(o, i);
    row->delay = pol.delay;
    row->per_step = pol.per_step;
    metric_interval(o, o->grid_val + (size_t)i * R, o->work, &row->metric, &row->metric_lo,
                    &row->metric_hi);
    wg_cmp_t_interval(o->grid_ans + (size_t)i * R, R, &row->answers, &row->answers_lo,
                      &row->answers_hi);
    if (R >= 2 && isnan(row->answers_lo)) row->answers_lo = row->answers_hi = row->answers;
    row->within_budget = !o->p.budget || row->answers <= o->p.budget;
}

/* row's advantage: point i's runs against the per-run values `against`, paired. */
static void grid_advantage(const wg_opt *o, uint32_t i, const double *against,
                           wg_opt_policy_row *row)
{
    paired(o, o->grid_val + (size_t)i * o->runs, against, o->work, &row->advantage,
           &row->advantage_lo, &row->advantage_hi, &row->p_better);
}

wg_status wg_opt_grid_row(const wg_opt *o, uint32_t i, const double *against,
                          wg_opt_policy_row *row)
{
    if (o->p.choose != WG_CHOOSE_POLICY || i > o->ngrid + 1 || o->best < 0) return WG_EINPUT;
    grid_cells(o, i, row);
    if (!against) against = o->grid_val + (size_t)(o->ngrid + 1) * o->runs;   /* answering nobody */
    grid_advantage(o, i, against, row);
    return WG_OK;
}

/* ---- writing ----------------------------------------------------------------------------- */

char *wg_opt_default_out(const char *scenario_path)
{
    char *base = wg_job_default_out(scenario_path);
    char *out = base ? wg_malloc(strlen(base) + 10, 1) : NULL;
    if (out) sprintf(out, "%s-optimize", base);
    free(base);
    return out;
}

static wg_status write_chosen(const wg_opt *o, const char *dir, wg_diag *d)
{
    wg_out f;
    wg_status st = wg_out_open(&f, dir, "chosen.csv", d);
    if (st != WG_OK) return st;
    fputs("rank,id,degree,objective,value,value_lo,value_hi,gain,gain_lo,gain_hi\n", f.f);
    for (uint32_t k = 1; k <= o->nchosen; k++) {
        wg_opt_pick row;
        wg_opt_pick_row(o, k, &row);
        char id[WG_ID_BUF];
        fprintf(f.f, "%u,", k);
        wg_csv_put_text(f.f, wg_opt_id(o, row.agent, id), WG_CSV_QUOTE_NEEDED);
        fprintf(f.f, ",%u,%s,", wg_graph_out_degree(o->g, row.agent), wg_opt_objective_name(o->p.objective));
        const double v[6] = {row.metric, row.metric_lo, row.metric_hi,
                             row.gain, row.gain_lo, row.gain_hi};
        for (int i = 0; i < 6; i++) {
            wg_csv_double(f.f, v[i]);
            fputc(i < 5 ? ',' : '\n', f.f);
        }
    }
    return wg_out_commit(&f, d);
}

static void optimize_row(const wg_opt *o, FILE *f, uint32_t k, const char *method,
                         const double *v, const double *chosen)
{
    double m, lo, hi, a, alo, ahi, p;
    metric_interval(o, v, o->work, &m, &lo, &hi);
    paired(o, chosen, v, o->work, &a, &alo, &ahi, &p);
    fprintf(f, "%u,%s,%s,", k, method, wg_opt_metric_name(o->p.objective));
    const double x[7] = {m, lo, hi, a, alo, ahi, p};
    for (int i = 0; i < 7; i++) {
        wg_csv_double(f, x[i]);
        fputc(i < 6 ? ',' : '\n', f);
    }
}

static const char *baseline_name(int by)
{
    return by == WG_PICK_RANDOM ? "random" : wg_pick_by_name((wg_pick_by)by);
}

static wg_status write_optimize(const wg_opt *o, const char *dir, wg_diag *d)
{
    wg_out f;
    const uint32_t R = o->runs;
    wg_status st = wg_out_open(&f, dir, "optimize.csv", d);
    if (st != WG_OK) return st;
    fputs("k,method,metric,mean,lo,hi,advantage,advantage_lo,advantage_hi,p_better\n", f.f);
    for (uint32_t i = 0; i < o->nsizes; i++) {
        const uint32_t k = o->sizes[i];
        const double *chosen = o->value + (size_t)k * R;
        optimize_row(o, f.f, k, wg_opt_method_name(o->p.method), chosen, chosen);
        for (size_t b = 0; b < NBASELINES; b++)
            optimize_row(o, f.f, k, baseline_name(baseline_by[b]),
                         o->base_val + ((size_t)i * NBASELINES + b) * R, chosen);
    }
    return wg_out_commit(&f, d);
}

/* One row of a grid's files: its columns from metric on (note 5). */
static void policy_cells(const wg_opt *o, FILE *f, const wg_opt_policy_row *r)
{
    fprintf(f, "%s,", wg_opt_metric_name(o->p.objective));
    const double x[6] = {r->metric, r->metric_lo, r->metric_hi,
                         r->answers, r->answers_lo, r->answers_hi};
    for (int i = 0; i < 6; i++) {
        wg_csv_double(f, x[i]);
        fputc(',', f);
    }
}

static void advantage_cells(FILE *f, const wg_opt_policy_row *r)
{
    const double x[4] = {r->advantage, r->advantage_lo, r->advantage_hi, r->p_better};
    for (int i = 0; i < 4; i++) {
        wg_csv_double(f, x[i]);
        fputc(i < 3 ? ',' : '\n', f);
    }
}

static wg_status write_policies(const wg_opt *o, const char *dir, wg_diag *d)
{
    wg_out f;
    wg_status st = wg_out_open(&f, dir, "policies.csv", d);
    if (st != WG_OK) return st;
    fputs("delay,per_step,chosen,within_budget,metric,mean,lo,hi,answers,answers_lo,answers_hi,"
          "advantage,advantage_lo,advantage_hi,p_better\n", f.f);
    for (uint32_t i = 0; i < o->ngrid; i++) {
        wg_opt_policy_row r;
        wg_opt_grid_row(o, i, NULL, &r);
        fprintf(f.f, "%u,%u,%d,%d,", r.delay, r.per_step, (int)i == o->best, r.within_budget);
        policy_cells(o, f.f, &r);
        advantage_cells(f.f, &r);
    }
    if ((st = wg_out_commit(&f, d)) != WG_OK) return st;
    /* chosen.csv: the chosen policy against the scenario's own and against silence */
    if ((st = wg_out_open(&f, dir, "chosen.csv", d)) != WG_OK) return st;
    fputs("arm,delay,per_step,metric,mean,lo,hi,answers,answers_lo,answers_hi,advantage,"
          "advantage_lo,advantage_hi,p_better\n", f.f);
    const uint32_t arm[3] = {(uint32_t)o->best, o->ngrid, o->ngrid + 1};
    static const char *const arm_name[3] = {"chosen", "scenario", "none"};
    for (int k = 0; k < 3; k++) {
        /* the arm's own cells, then how much better the chosen policy does than it */
        wg_opt_policy_row r;
        grid_cells(o, arm[k], &r);
        grid_advantage(o, (uint32_t)o->best, o->grid_val + (size_t)arm[k] * o->runs, &r);
        if (k < 2) fprintf(f.f, "%s,%u,%u,", arm_name[k], r.delay, r.per_step);
        else fprintf(f.f, "%s,,,", arm_name[k]);
        policy_cells(o, f.f, &r);
        advantage_cells(f.f, &r);
    }
    return wg_out_commit(&f, d);
}

static wg_status write_files(const wg_opt *o, const char *dir, const wg_job_write_params *p,
                             wg_diag *d);

wg_status wg_opt_write(const wg_opt *o, const char *dir, const wg_job_write_params *p,
                       wg_diag *d)
{
    const int grid = o->p.choose == WG_CHOOSE_POLICY;
    if ((grid && o->best < 0) || (!grid && o->nchosen != o->p.budget) || !o->compared) {
        wg_diag_error(d, WG_EINPUT, "%s: nothing chosen yet", dir);
        return WG_EINPUT;
    }
    wg_job_write_params def;
    if (!p) {
        wg_job_write_params_default(&def);
        p = &def;
    }
    wg_status st;
    wg_outdir od;
    /* the folder is locked, never one that holds an input, and what an earlier
     * command wrote there and this one does not is removed (files.c's rule) */
    if ((st = wg_job_outdir_open(&od, dir, o->s, d)) != WG_OK) return st;
    st = write_files(o, dir, p, d);
    wg_status cs = wg_outdir_close(&od, d);
    return st != WG_OK ? st : cs;
}

/* The files of an optimize folder, into the held folder dir. */
static wg_status write_files(const wg_opt *o, const char *dir, const wg_job_write_params *p,
                             wg_diag *d)
{
    const int grid = o->p.choose == WG_CHOOSE_POLICY;
    wg_status st;
    if (grid) {
        if ((st = write_policies(o, dir, d)) != WG_OK) return st;
    } else {
        if ((st = write_chosen(o, dir, d)) != WG_OK) return st;
        if ((st = write_optimize(o, dir, d)) != WG_OK) return st;
    }
    char extra[768];
    const char *what = o->p.choose == WG_CHOOSE_SEEDS
                           ? (o->replace >= 0 ? "the first positive seed event" : "advocates")
                       : grid ? "the policy of the first respond event"
                              : "the pick of the first respond event";
    int len = snprintf(extra, sizeof extra,
                       "optimize: {choose: %s%s, objective: \"%s\", method: %s, budget: %u, "
                       "candidates: %u, step: %u, %s: %s, evaluations: %llu",
                       wg_opt_choose_name(o->p.choose), grid ? ", grid: policies" : "",
                       wg_opt_objective_name(o->p.objective),
                       grid ? "grid" : wg_opt_method_name(o->p.method), o->p.budget, o->ncand,
                       o->step, o->replace >= 0 || o->p.choose != WG_CHOOSE_SEEDS ? "replaces"
                                                                                   : "adds",
                       what, (unsigned long long)o->evals);
    if (o->p.method == WG_OPT_IMM && len > 0 && (size_t)len < sizeof extra)
        len += snprintf(extra + len, sizeof extra - len,
                        ", epsilon: %.6g, ell: %.6g, rr_sets: %llu, spread_estimate: %.6g, "
                        "lower_bound: %.6g, imm_seconds: %.3f",
                        o->p.epsilon, o->p.ell, (unsigned long long)o->imm.rr_sets,
                        o->imm.spread_est, o->imm.lower_bound, o->imm.seconds);
    if (len > 0 && (size_t)len < sizeof extra - 3) strcat(extra, "}\n");
    wg_manifest m = {o->s, &o->gs, o->p.threads > 0 ? o->p.threads : wg_engine_default_threads(),
                     p->ranks > 0 ? p->ranks : 1, o->seconds, p->argc, p->argv, "optimize"};
    if ((st = wg_manifest_write(dir, &m, extra, d)) != WG_OK) return st;
    return wg_render_optimize(dir, NULL, NULL, d);
}
