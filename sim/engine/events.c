/*
 * events.c — the timeline of a scenario inside the engine: who is picked
 * (seeds, segments, respond, block) and what each event does at its step.
 *
 * Invariants: a pick is a pure function of (seed, run, step, event, the
 * states at the start of the step): random picks use keyed draws (partial
 * Fisher–Yates over the candidates in id order), ranked picks walk an order
 * fixed at preparation (score descending, ties by a keyed draw). Segments
 * are the same agents in every run (their draws use run WG_RUN_FIXED).
 * Parameter tables: table[0] holds the global values, table[1 + i] segment
 * i's; a global set/scale reaches the segments that do not set that
 * parameter themselves (bit p of overridden[1 + i] clear).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"

enum { ORDER_DEGREE, ORDER_PAGERANK, ORDER_KCORE };

/* Draws of event i use index (i << 32) | item, and the counter keeps 24
 * bits of the high word: picks use tags below this bit, the outcomes of
 * respond set it, so an outcome never reuses the draw that picked a critic. */
#define WG_OUTCOME_TAG 0x800000u

/* ---- parameter tables ---------------------------------------------------- */

void wg_params_reset(const wg_engine *e, wg_work *w)
{
    w->table[0] = e->sim.model.p;
    w->overridden[0] = 0;
    for (size_t i = 0; i < e->sim.nsegments; i++) {
        const wg_segment *s = &e->sim.segments[i];
        for (int p = 0; p < WG_NPARAMS; p++)
            w->table[1 + i].v[p] = (s->set >> p & 1u) ? s->p.v[p] : e->sim.model.p.v[p];
        w->overridden[1 + i] = s->set;
    }
}

static double clamp_param(wg_param p, double x)
{
    if (x < 0) x = 0;
    if (p != WG_P_ACTIVITY && p != WG_P_SUSCEPTIBILITY && x > 1) x = 1;
    return x;
}

static void change_param(const wg_engine *e, wg_work *w, const wg_event *ev)
{
    wg_param p = ev->param;
    size_t ntab = e->sim.nsegments + 1;
    if (ev->segment >= 0) {
        size_t i = 1 + (size_t)ev->segment;
        double x = ev->kind == WG_EV_SET ? ev->value : w->table[i].v[p] * ev->value;
        w->table[i].v[p] = clamp_param(p, x);
        w->overridden[i] |= 1u << p;
        return;
    }
    double x = ev->kind == WG_EV_SET ? ev->value : w->table[0].v[p] * ev->value;
    w->table[0].v[p] = clamp_param(p, x);
    for (size_t i = 1; i < ntab; i++) {
        if (!(w->overridden[i] >> p & 1u)) {
            w->table[i].v[p] = w->table[0].v[p];
        } else if (ev->kind == WG_EV_SCALE) {
            /* a global scale scales every segment's own value too: an apology
             * that halves share.negative halves it for everyone */
            w->table[i].v[p] = clamp_param(p, w->table[i].v[p] * ev->value);
        }
    }
}

/* ---- picks ----------------------------------------------------------------- */

typedef int (*eligible_fn)(uint8_t state);

static int any_reachable(uint8_t s) { return s != WG_IMMUNE; }
static int is_critic(uint8_t s) { return s == WG_CRITIC; }

static uint64_t pick_count(const wg_pick *p, uint64_t population)
{
    if (p->by == WG_PICK_ID) return p->nids;
    if (p->count) return p->count;
    uint64_t k = (uint64_t)llround(p->fraction * (double)population);
    return k ? k : (p->fraction > 0 ? 1 : 0);
}

/* Choose k of the m candidates in cand[] (in place, into cand[0..k)) with keyed draws. */
static uint32_t choose_random(const wg_engine *e, uint32_t run, uint32_t t, uint64_t tag,
                              uint32_t *cand, uint32_t m, uint64_t k)
{
    if (k > m) k = m;
    for (uint32_t i = 0; i < k; i++) {
        wg_rand4 r = wg_philox(e->sim.seed, run, t, WG_R_EVENT, (tag << 32) | i);
        uint32_t j = i + wg_below(r.v[0], m - i);
        uint32_t tmp = cand[i];
        cand[i] = cand[j];
        cand[j] = tmp;
    }
    return (uint32_t)k;
}

/* The agent of pick id i of p: by its text (a text id, or an integer id
 * that was quoted) or by its integer label. 1 when found. */
static int label_find(const wg_engine *e, uint64_t label, uint32_t *agent);

static int id_find(const wg_engine *e, const wg_pick *p, size_t i, uint32_t *agent)
{
    if (!p->id_text || !p->id_text[i]) return label_find(e, p->ids[i], agent);
    const char *t = p->id_text[i];
    size_t lo = 0, hi = e->nnamed;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(e->sim.g->name[e->name_agent[mid]], t);
        if (c == 0) {
            *agent = e->name_agent[mid];
            return 1;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

static int label_find(const wg_engine *e, uint64_t label, uint32_t *agent)
{
    if (!e->label_sorted) {
        if (label >= e->n) return 0;
        *agent = (uint32_t)label;
        return 1;
    }
    size_t lo = 0, hi = e->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e->label_sorted[mid] < label) lo = mid + 1;
        else hi = mid;
    }
    if (lo < e->n && e->label_sorted[lo] == label) {
        *agent = e->label_agent[lo];
        return 1;
    }
    return 0;
}

static int attr_matches(const wg_graph *g, const wg_pick *p, uint32_t a)
{
    for (size_t i = 0; i < g->nattrs; i++)
        if (strcmp(g->attr_names[i], p->attribute) == 0)
            return g->attr_values[i][a] && strcmp(g->attr_values[i][a], p->value) == 0;
    return 0;
}

/*
 * Pick agents for a pick p among those whose state passes `ok` (state may be
 * NULL: everyone). The picked agents are written to out[0..return value).
 * out must hold n entries. tag distinguishes the draws of different picks.
 */
static uint32_t pick(const wg_engine *e, const uint8_t *state, eligible_fn ok, const wg_pick *p,
                     uint32_t run, uint32_t t, uint64_t tag, uint32_t *out)
{
    const uint32_t n = e->n;
    uint32_t m = 0;
#define ELIGIBLE(a) (!state || ok(state[a]))
    switch (p->by) {
    case WG_PICK_DEGREE:
    case WG_PICK_PAGERANK:
    case WG_PICK_KCORE: {
        const uint32_t *order = e->order[p->by == WG_PICK_DEGREE     ? ORDER_DEGREE
                                         : p->by == WG_PICK_PAGERANK ? ORDER_PAGERANK
                                                                     : ORDER_KCORE];
        uint64_t population = 0;
        for (uint32_t a = 0; a < n; a++) population += ELIGIBLE(a);
        uint64_t k = pick_count(p, p->count ? population : n);
        for (uint32_t i = 0; i < n && m < k; i++)
            if (ELIGIBLE(order[i])) out[m++] = order[i];
        return m;
    }
    case WG_PICK_ID:
        for (size_t i = 0; i < p->nids; i++) {
            uint32_t a;
            if (id_find(e, p, i, &a) && ELIGIBLE(a)) out[m++] = a;
        }
        return m;
    case WG_PICK_SEGMENT: {
        const uint32_t *mem = e->members[p->segment];
        for (uint32_t i = 0; i < e->nmembers[p->segment]; i++)
            if (ELIGIBLE(mem[i])) out[m++] = mem[i];
        return choose_random(e, run, t, tag, out, m, pick_count(p, e->nmembers[p->segment]));
    }
    case WG_PICK_ATTRIBUTE:
        for (uint32_t a = 0; a < n; a++)
            if (ELIGIBLE(a) && attr_matches(e->sim.g, p, a)) out[m++] = a;
        if (p->count || p->fraction) return choose_random(e, run, t, tag, out, m, pick_count(p, m));
        return m;
    case WG_PICK_RANDOM:
    default:
        for (uint32_t a = 0; a < n; a++)
            if (ELIGIBLE(a)) out[m++] = a;
        return choose_random(e, run, t, tag, out, m, pick_count(p, p->count ? m : n));
    }
#undef ELIGIBLE
}

/* ---- triggers --------------------------------------------------------------- */

/* 1 when the counts at the start of a step (w->count, w->new_neg) meet
 * trigger wh: the count is above the value, or above value × agents for a
 * value below 1 (a share). */
static int when_met(const wg_engine *e, const wg_work *w, const wg_when *wh)
{
    double x;
    switch (wh->cond) {
    case WG_WHEN_CRITICS_ABOVE: x = w->count[WG_CRITIC]; break;
    case WG_WHEN_REACH_NEGATIVE_ABOVE: x = (double)w->count[WG_CRITIC] + w->count[WG_REJECTER]; break;
    case WG_WHEN_NEW_NEGATIVE_ABOVE:
    default: x = w->new_neg; break;
    }
    double limit = wh->value < 1 ? wh->value * (double)e->n : wh->value;
    return x > limit;
}

/* ---- standing policies ------------------------------------------------------- */

/* 1 when (keys[a], ids[a]) comes before (keys[b], ids[b]). */
static inline int key_before(const uint64_t *keys, const uint32_t *ids, uint32_t a, uint32_t b)
{
    return keys[a] < keys[b] || (keys[a] == keys[b] && ids[a] < ids[b]);
}

static inline void key_swap(uint64_t *keys, uint32_t *ids, uint32_t a, uint32_t b)
{
    uint64_t k = keys[a];
    keys[a] = keys[b];
    keys[b] = k;
    uint32_t i = ids[a];
    ids[a] = ids[b];
    ids[b] = i;
}

/* Move the k smallest of m (key, id) pairs to [0, k) (quickselect with a
 * median-of-three pivot; ids are distinct, so the set is unique whatever
 * the order of the input). Expected O(m). */
static void select_smallest(uint64_t *keys, uint32_t *ids, uint32_t m, uint32_t k)
{
    uint32_t lo = 0, hi = m; /* the k-th smallest lies in [lo, hi) */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2, last = hi - 1;
        if (key_before(keys, ids, mid, lo)) key_swap(keys, ids, mid, lo);
        if (key_before(keys, ids, last, lo)) key_swap(keys, ids, last, lo);
        if (key_before(keys, ids, last, mid)) key_swap(keys, ids, last, mid);
        key_swap(keys, ids, mid, last); /* the median is the pivot, at last */
        uint32_t store = lo;
        for (uint32_t j = lo; j < last; j++)
            if (key_before(keys, ids, j, last)) key_swap(keys, ids, j, store++);
        key_swap(keys, ids, store, last);
        if (store == k || store + 1 == k) return;
        if (store > k) hi = store;
        else lo = store + 1;
    }
}

/* Draws of a policy's random order: event tag below WG_OUTCOME_TAG. */
#define WG_POLICY_TAG 0x400000u

static inline int answerable(const wg_work *w, uint32_t a, uint32_t t, uint32_t delay)
{
    return w->state[a] == WG_CRITIC && !w->answered[a] && (uint64_t)w->since[a] + delay <= t;
}

/* The critics policy event i answers at step t, into w->scratch[0..k).
 * `dirty`: an earlier event of this step changed states, so the talker
 * bitmap is stale and every agent is looked at. */
static uint32_t policy_pick(const wg_engine *e, wg_work *w, size_t i, uint32_t run, uint32_t t,
                            int dirty)
{
    const wg_policy *pol = &e->sim.events[i].policy;
    uint32_t *cand = w->scratch, m = 0;
    if (dirty) {
        for (uint32_t a = 0; a < e->n; a++)
            if (answerable(w, a, t, pol->delay)) cand[m++] = a;
    } else {
        /* critics talk: only the talkers of the start of the step can be critics */
        for (size_t wd = 0; wd < ((size_t)e->n + 63) / 64; wd++)
            for (uint64_t bits = w->talk[wd]; bits; bits &= bits - 1) {
                uint32_t a = (uint32_t)(wd * 64 + (size_t)__builtin_ctzll(bits));
                if (answerable(w, a, t, pol->delay)) cand[m++] = a;
            }
    }
    if (m <= pol->per_step) return m;
    for (uint32_t j = 0; j < m; j++) {
        uint32_t a = cand[j];
        switch (pol->by) {
        case WG_RESPOND_FIRST: w->keys[j] = w->since[a]; break;
        case WG_RESPOND_DEGREE: w->keys[j] = e->degree_rank[a]; break;
        case WG_RESPOND_REACH:
            w->keys[j] = (uint64_t)(UINT32_MAX - w->made[a]) << 32 |
                         wg_rng(e->sim.seed, WG_RUN_FIXED, 0, WG_R_TIE, a).v[0];
            break;
        case WG_RESPOND_RANDOM:
        default:
            w->keys[j] = wg_rng(e->sim.seed, run, t, WG_R_EVENT,
                                ((uint64_t)(i | WG_POLICY_TAG) << 32) | a).v[0];
            break;
        }
    }
    select_smallest(w->keys, cand, m, pol->per_step);
    return pol->per_step;
}

/* 1 when event i acts at step t of this run (its trigger tested already:
 * met[i]). A policy acts from its first step to `until`; with a repeating
 * trigger, at the steps whose starting state meets it. */
static int event_active(const wg_engine *e, const wg_work *w, size_t i, uint32_t t, int met)
{
    const wg_event *ev = &e->sim.events[i];
    int policy = ev->kind == WG_EV_RESPOND && ev->policy.on;
    if (policy && t > ev->policy.until) return 0;
    if (!ev->when.on) return policy ? t >= ev->step : t == ev->step;
    if (ev->when.repeat) return met;
    if (!w->fired[i]) return 0;
    return policy ? 1 : w->fired_step[i] == t;
}

/* ---- events ---------------------------------------------------------------- */

int wg_events_apply(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t)
{
    int changed = 0;
    w->answers = 0;
    if (e->triggers) /* every trigger reads the state of the start of the step */
        for (size_t i = 0; i < e->sim.nevents; i++) {
            const wg_event *ev = &e->sim.events[i];
            if (!ev->when.on) continue;
            int met = when_met(e, w, &ev->when);
            if (met && !w->fired[i]) {
                w->fired[i] = 1;
                w->fired_step[i] = t;
            }
            w->fired[i] |= (uint8_t)(met << 1); /* bit 1: met at this step */
        }
    for (size_t i = 0; i < e->sim.nevents; i++) {
        const wg_event *ev = &e->sim.events[i];
        if (!ev->when.on && !ev->policy.on && ev->step != t) continue;
        int met = e->triggers && (w->fired[i] >> 1 & 1);
        if (!event_active(e, w, i, t, met)) continue;
        uint32_t k;
        switch (ev->kind) {
        case WG_EV_SEED: {
            const uint8_t to = ev->valence == WG_POS ? WG_ADVOCATE : WG_CRITIC;
            k = pick(e, w->state, any_reachable, &ev->pick, run, t, i, w->scratch);
            for (uint32_t j = 0; j < k; j++) {
                uint32_t a = w->scratch[j];
                if (w->since && to == WG_CRITIC && w->state[a] != WG_CRITIC) w->since[a] = t;
                if (w->state[a] == WG_UNAWARE) {
                    w->from[WG_C_FROM_OF(WG_SRC_SEED, ev->valence) - WG_C_FROM]++;
                    if (w->trace)
                        wg_trace_enter(&w->trace[a], t, WG_SRC_SEED, ev->valence, WG_TRACE_NONE, 0);
                }
                /* the seeded agents of each valence (a blow-up does not count them);
                 * two seeds on one agent in one step: the later wins, and is counted */
                const uint32_t mark = w->seed_mark[a];
                if (mark) {
                    w->seeded[mark & 1]--;
                    if ((mark >> 1) == t + 1 && w->seed_conflicts++ == 0) {
                        w->conflict_run = run;
                        w->conflict_step = t;
                        w->conflict_agent = a;
                    }
                }
                w->seed_mark[a] = (t + 1) << 1 | (uint32_t)ev->valence;
                w->seeded[ev->valence]++;
                w->state[a] = to;
                /* a seed talks from this step: a new talking time */
                if (e->lives) wg_talktime_start(e, w, run, t, a, t);
            }
            changed = 1;
            break;
        }
        case WG_EV_BLOCK:
            k = pick(e, w->state, any_reachable, &ev->pick, run, t, i, w->scratch);
            for (uint32_t j = 0; j < k; j++) {
                if (w->trace) wg_trace_leave(&w->trace[w->scratch[j]]);
                w->state[w->scratch[j]] = WG_IMMUNE;
            }
            changed = 1;
            break;
        case WG_EV_RESPOND: {
            k = ev->policy.on ? policy_pick(e, w, i, run, t, changed)
                              : pick(e, w->state, is_critic, &ev->pick, run, t, i, w->scratch);
            uint64_t thr_win = wg_threshold(ev->win);
            uint64_t thr_any = wg_threshold(ev->win + ev->calm);
            for (uint32_t j = 0; j < k; j++) {
                uint32_t a = w->scratch[j];
                /* outcome keyed to the agent, not to its place in the pick */
                wg_rand4 r = wg_philox(e->sim.seed, run, t, WG_R_EVENT,
                                    ((uint64_t)(i | WG_OUTCOME_TAG) << 32) | a);
                if ((uint64_t)r.v[0] < thr_win) w->state[a] = WG_SUPPORTER;
                else if ((uint64_t)r.v[0] < thr_any) w->state[a] = WG_REJECTER;
                if (w->answered) w->answered[a] = 1;
            }
            w->answers += k;
            w->cost += (double)k * ev->cost;
            changed |= !ev->policy.on || k > 0;
            break;
        }
        case WG_EV_SET:
        case WG_EV_SCALE:
            change_param(e, w, ev);
            break;
        case WG_EV_MEDIA:
            break; /* read by wg_events_media at every step from its own */
        }
    }
    if (e->triggers)
        for (size_t i = 0; i < e->sim.nevents; i++) w->fired[i] &= 1;
    return changed;
}

/* The media probability a pulse adds u >= 0 steps after it started: an
 * exponential decay (1 - decay)^u, or a power law (1 + u / scale)^(-power)
 * (DESIGN "Attention: slow decay and recommendation"). */
static double pulse_at(const wg_event *ev, uint32_t u)
{
    if (ev->power > 0) return ev->amplitude * pow(1.0 + (double)u / ev->scale, -ev->power);
    return ev->amplitude * pow(1.0 - ev->decay, (double)u);
}

/* 1 when a pulse that has started adds something at every later step (a
 * power law never reaches 0; an exponential one does with decay 1). */
static int pulse_lasts(const wg_event *ev)
{
    return ev->amplitude > 0 && (ev->power > 0 || ev->decay < 1);
}

void wg_events_media(const wg_engine *e, const wg_work *w, uint32_t t, double media[2])
{
    media[0] = media[1] = 0.0;
    for (size_t i = 0; i < e->sim.nevents; i++) {
        const wg_event *ev = &e->sim.events[i];
        if (ev->kind != WG_EV_MEDIA) continue;
        uint32_t from = ev->step;
        if (ev->when.on) {
            if (!w->fired[i]) continue;
            from = w->fired_step[i];
        }
        if (from > t) continue;
        media[ev->valence] += pulse_at(ev, t - from);
    }
}

int wg_events_pending(const wg_engine *e, const wg_work *w, uint32_t t)
{
    for (size_t i = 0; i < e->sim.nevents; i++) {
        const wg_event *ev = &e->sim.events[i];
        if (ev->when.on) {
            /* a trigger the counts now meet fires at the next step */
            if ((!w->fired[i] || ev->when.repeat) && when_met(e, w, &ev->when)) return 1;
            if (ev->kind == WG_EV_MEDIA && w->fired[i] && pulse_lasts(ev)) return 1;
            continue;
        }
        /* a standing policy answers critics, who talk: it never keeps a run alive */
        if (ev->step > t && !ev->policy.on) return 1;
        if (ev->kind == WG_EV_MEDIA && pulse_lasts(ev)) return 1;
    }
    return 0;
}

/* ---- a worker's policy and trigger state ----------------------------------- */

wg_status wg_events_work_alloc(const wg_engine *e, wg_work *w)
{
    const size_t n = e->n ? e->n : 1;
    if (e->policies) {
        w->since = wg_calloc(n, sizeof *w->since);
        w->answered = wg_calloc(n, 1);
        w->keys = wg_malloc(n, sizeof *w->keys);
        if (!w->since || !w->answered || !w->keys) return WG_ENOMEM;
        if (e->by_reach && !(w->made = wg_calloc(n, sizeof *w->made))) return WG_ENOMEM;
    }
    if (e->triggers) {
        w->fired = wg_calloc(e->sim.nevents, 1);
        w->fired_step = wg_calloc(e->sim.nevents, sizeof *w->fired_step);
        if (!w->fired || !w->fired_step) return WG_ENOMEM;
    }
    return WG_OK;
}

void wg_events_work_reset(const wg_engine *e, wg_work *w)
{
    if (w->answered) memset(w->answered, 0, e->n);
    if (w->made) memset(w->made, 0, (size_t)e->n * sizeof *w->made);
    if (w->fired) memset(w->fired, 0, e->sim.nevents);
    w->new_neg = 0;
    w->answers = 0;
    w->cost = 0;
}

void wg_events_work_free(wg_work *w)
{
    free(w->since);
    free(w->answered);
    free(w->made);
    free(w->keys);
    free(w->fired);
    free(w->fired_step);
}

/* ---- preparation ----------------------------------------------------------- */

typedef struct ranked {
    double score;
    uint32_t tie;
    uint32_t agent;
} ranked;

static int ranked_cmp(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    if (a->tie != b->tie) return a->tie < b->tie ? -1 : 1;
    return a->agent < b->agent ? -1 : a->agent > b->agent;
}

static wg_status make_order(wg_engine *e, int which, wg_diag *d)
{
    const wg_graph *g = e->sim.g;
    const uint32_t n = e->n;
    wg_status st = WG_ENOMEM;
    ranked *r = wg_malloc(n ? n : 1, sizeof *r);
    double *pr = NULL;
    uint32_t *core = NULL;
    e->order[which] = wg_malloc(n ? n : 1, sizeof(uint32_t));
    if (!r || !e->order[which]) goto fail;
    if (which == ORDER_PAGERANK) {
        if (!(pr = wg_malloc(n ? n : 1, sizeof *pr))) goto fail;
        if ((st = wg_graph_pagerank(g, pr, d)) != WG_OK) goto fail;
    } else if (which == ORDER_KCORE) {
        if (!(core = wg_malloc(n ? n : 1, sizeof *core))) goto fail;
        if ((st = wg_graph_kcore(g, core, d)) != WG_OK) goto fail;
        uint32_t a = 1;
        while (a < n && core[a] == core[0]) a++;
        if (n > 1 && a == n)
            wg_diag_note(d, "every agent has core number %" PRIu32 "; `by: kcore` picks at random",
                         core[0]);
    }
    for (uint32_t a = 0; a < n; a++) {
        r[a].agent = a;
        r[a].tie = wg_philox(e->sim.seed, WG_RUN_FIXED, 0, WG_R_TIE, a).v[which];
        r[a].score = which == ORDER_DEGREE     ? (double)wg_graph_out_degree(g, a)
                     : which == ORDER_PAGERANK ? pr[a]
                                               : (double)core[a];
    }
    qsort(r, n, sizeof *r, ranked_cmp);
    for (uint32_t a = 0; a < n; a++) e->order[which][a] = r[a].agent;
    st = WG_OK;
fail:
    if (st == WG_ENOMEM) wg_diag_error(d, WG_ENOMEM, "out of memory: ranking %u agents", n);
    free(r);
    free(pr);
    free(core);
    return st;
}

static int cmp_u64_pair(const void *pa, const void *pb)
{
    const uint64_t *a = pa, *b = pb;
    return a[0] < b[0] ? -1 : a[0] > b[0];
}

typedef struct named {
    const char *name;
    uint32_t agent;
} named;

static int cmp_named(const void *pa, const void *pb)
{
    const named *a = pa, *b = pb;
    return strcmp(a->name, b->name);
}

/* The agents with text ids, sorted by their text (picks by id with text). */
static wg_status make_names(wg_engine *e, wg_diag *d)
{
    const wg_graph *g = e->sim.g;
    uint32_t k = 0;
    for (uint32_t a = 0; a < e->n; a++) k += g->name[a] != NULL;
    named *v = wg_malloc(k ? k : 1, sizeof *v);
    if (!v || !(e->name_agent = wg_malloc(k ? k : 1, sizeof *e->name_agent))) {
        free(v);
        wg_diag_error(d, WG_ENOMEM, "out of memory: the ids of %u agents", k);
        return WG_ENOMEM;
    }
    k = 0;
    for (uint32_t a = 0; a < e->n; a++)
        if (g->name[a]) v[k++] = (named){g->name[a], a};
    qsort(v, k, sizeof *v, cmp_named);
    for (uint32_t i = 0; i < k; i++) e->name_agent[i] = v[i].agent;
    e->nnamed = k;
    free(v);
    return WG_OK;
}

static wg_status make_labels(wg_engine *e, wg_diag *d)
{
    const uint32_t n = e->n;
    uint64_t *pairs = wg_malloc((size_t)n * 2 + 2, sizeof *pairs);
    e->label_sorted = wg_malloc(n ? n : 1, sizeof *e->label_sorted);
    e->label_agent = wg_malloc(n ? n : 1, sizeof *e->label_agent);
    if (!pairs || !e->label_sorted || !e->label_agent) {
        free(pairs);
        wg_diag_error(d, WG_ENOMEM, "out of memory: the ids of %u agents", n);
        return WG_ENOMEM;
    }
    for (uint32_t a = 0; a < n; a++) {
        pairs[2 * a] = e->sim.g->label[a];
        pairs[2 * a + 1] = a;
    }
    qsort(pairs, n, 2 * sizeof *pairs, cmp_u64_pair);
    for (uint32_t a = 0; a < n; a++) {
        e->label_sorted[a] = pairs[2 * a];
        e->label_agent[a] = (uint32_t)pairs[2 * a + 1];
    }
    free(pairs);
    return WG_OK;
}

static int uses(const wg_engine *e, wg_pick_by by)
{
    for (size_t i = 0; i < e->sim.nevents; i++)
        if (e->sim.events[i].pick.by == by &&
            (e->sim.events[i].kind == WG_EV_SEED || e->sim.events[i].kind == WG_EV_RESPOND ||
             e->sim.events[i].kind == WG_EV_BLOCK))
            return 1;
    for (size_t i = 0; i < e->sim.nsegments; i++)
        if (e->sim.segments[i].pick.by == by) return 1;
    return 0;
}

static int has_attribute(const wg_graph *g, const char *name)
{
    for (size_t i = 0; i < g->nattrs; i++)
        if (strcmp(g->attr_names[i], name) == 0) return 1;
    return 0;
}

/* Checks that need the graph: counts against the population, ids and
 * attributes. Messages start with where the scenario wrote the pick
 * ("FILE:LINE:COL: KEY") when it came from a file, else with `what`. */
static void check_pick(const wg_engine *e, const wg_pick *p, const char *what, wg_diag *d)
{
    const char *at = p->where ? p->where : what;
    if (p->by == WG_PICK_SEGMENT && (p->segment < 0 || (size_t)p->segment >= e->sim.nsegments)) {
        wg_diag_error(d, WG_EINPUT, "%s: no such segment", at);
        return;
    }
    if (p->count > e->n)
        wg_diag_error(d, WG_EINPUT, "%s: count %llu is larger than the %u agents of the network",
                      at, (unsigned long long)p->count, e->n);
    if (p->by == WG_PICK_ID) {
        for (size_t i = 0; i < p->nids; i++) {
            uint32_t a;
            if (!id_find(e, p, i, &a)) {
                if (p->id_text && p->id_text[i])
                    wg_diag_error(d, WG_EINPUT, "%s: id \"%s\" is not in the network%s", at,
                                  p->id_text[i], e->sim.g->name ? "" : " (its ids are integers)");
                else
                    wg_diag_error(d, WG_EINPUT, "%s: id %llu is not in the network", at,
                                  (unsigned long long)p->ids[i]);
                break;
            }
        }
    }
    if (p->by == WG_PICK_ATTRIBUTE && !has_attribute(e->sim.g, p->attribute))
        wg_diag_error(d, WG_EINPUT, "%s: the network has no node attribute '%s'%s", at,
                      p->attribute, e->sim.g->nattrs ? "" : " (GraphML and GML files carry them, and network.nodes tables)");
}

/* A seed or block from a segment asks for more agents than the segment has. */
static void check_segment_count(const wg_engine *e, const wg_pick *p, const char *what, wg_diag *d)
{
    if (p->by != WG_PICK_SEGMENT || p->count <= e->nmembers[p->segment]) return;
    wg_diag_error(d, WG_EINPUT, "%s: count %llu is larger than the %u agents of segment '%s'",
                  p->where ? p->where : what, (unsigned long long)p->count,
                  e->nmembers[p->segment], e->sim.segments[p->segment].name);
}

wg_status wg_events_prepare(wg_engine *e, wg_diag *d)
{
    const size_t nseg = e->sim.nsegments;
    wg_status st;
    int policy_degree = 0;
    for (size_t i = 0; i < e->sim.nevents; i++) {
        const wg_event *ev = &e->sim.events[i];
        e->triggers |= ev->when.on;
        if (ev->kind != WG_EV_RESPOND || !ev->policy.on) continue;
        e->policies = 1;
        e->by_reach |= ev->policy.by == WG_RESPOND_REACH;
        policy_degree |= ev->policy.by == WG_RESPOND_DEGREE;
    }
    if (uses(e, WG_PICK_DEGREE) || nseg || policy_degree) {
        /* segments may pick by degree; cheap enough to have always */
        if ((st = make_order(e, ORDER_DEGREE, d)) != WG_OK) return st;
    }
    if (policy_degree) {
        if (!(e->degree_rank = wg_malloc(e->n ? e->n : 1, sizeof *e->degree_rank))) {
            wg_diag_error(d, WG_ENOMEM, "out of memory: ranking %u agents", e->n);
            return WG_ENOMEM;
        }
        for (uint32_t r = 0; r < e->n; r++) e->degree_rank[e->order[ORDER_DEGREE][r]] = r;
    }
    if (uses(e, WG_PICK_PAGERANK) && (st = make_order(e, ORDER_PAGERANK, d)) != WG_OK) return st;
    if (uses(e, WG_PICK_KCORE) && (st = make_order(e, ORDER_KCORE, d)) != WG_OK) return st;
    if (e->sim.g->label && uses(e, WG_PICK_ID) && (st = make_labels(e, d)) != WG_OK) return st;
    if (e->sim.g->name && uses(e, WG_PICK_ID) && (st = make_names(e, d)) != WG_OK) return st;

    size_t errors = d->errors;
    char what[96];
    for (size_t i = 0; i < e->sim.nevents; i++) {
        const wg_event *ev = &e->sim.events[i];
        if (ev->kind != WG_EV_SEED && ev->kind != WG_EV_RESPOND && ev->kind != WG_EV_BLOCK)
            continue;
        if (ev->policy.on) continue; /* a policy picks among critics, with no count */
        snprintf(what, sizeof what, "events[%zu] (%s at step %u)", i,
                 wg_event_kind_name(ev->kind), ev->step);
        check_pick(e, &ev->pick, what, d);
    }
    for (size_t i = 0; i < nseg; i++) {
        snprintf(what, sizeof what, "segment '%s'", e->sim.segments[i].name);
        check_pick(e, &e->sim.segments[i].pick, what, d);
    }
    if (d->errors > errors) return WG_EINPUT;
    if (nseg == 0) return WG_OK;

    /* membership: segments are picked in file order; an agent in several
     * segments takes the later one's values */
    e->seg_of = wg_calloc(e->n ? e->n : 1, 1);
    e->members = wg_calloc(nseg, sizeof *e->members);
    e->nmembers = wg_calloc(nseg, sizeof *e->nmembers);
    uint32_t *buf = wg_malloc(e->n ? e->n : 1, sizeof *buf);
    if (!e->seg_of || !e->members || !e->nmembers || !buf) goto nomem;
    for (size_t i = 0; i < nseg; i++) {
        const wg_pick *p = &e->sim.segments[i].pick;
        if (p->by == WG_PICK_SEGMENT && (size_t)p->segment >= i) {
            wg_diag_error(d, WG_EINPUT, "%s%ssegment '%s': a segment may only be picked from an "
                          "earlier segment", p->where ? p->where : "", p->where ? ": " : "",
                          e->sim.segments[i].name);
            free(buf);
            return WG_EINPUT;
        }
        snprintf(what, sizeof what, "segment '%s'", e->sim.segments[i].name);
        check_segment_count(e, p, what, d);
        uint32_t k = pick(e, NULL, NULL, p, WG_RUN_FIXED, 0, UINT32_MAX - i, buf);
        e->members[i] = wg_malloc(k ? k : 1, sizeof **e->members);
        if (!e->members[i]) goto nomem;
        memcpy(e->members[i], buf, (size_t)k * sizeof *buf);
        e->nmembers[i] = k;
        for (uint32_t j = 0; j < k; j++) e->seg_of[buf[j]] = (uint8_t)(1 + i);
    }
    free(buf);
    for (size_t i = 0; i < e->sim.nevents; i++) {
        const wg_event *ev = &e->sim.events[i];
        if (ev->kind != WG_EV_SEED && ev->kind != WG_EV_BLOCK) continue;
        snprintf(what, sizeof what, "events[%zu] (%s at step %u)", i,
                 wg_event_kind_name(ev->kind), ev->step);
        check_segment_count(e, &ev->pick, what, d);
    }
    if (d->errors > errors) return WG_EINPUT;
    return WG_OK;
nomem:
    free(buf);
    wg_diag_error(d, WG_ENOMEM, "out of memory: segment membership of %u agents", e->n);
    return WG_ENOMEM;
}

void wg_events_release(wg_engine *e)
{
    for (int i = 0; i < 3; i++) free(e->order[i]);
    free(e->degree_rank);
    free(e->label_sorted);
    free(e->label_agent);
    free(e->name_agent);
    if (e->members)
        for (size_t i = 0; i < e->sim.nsegments; i++) free(e->members[i]);
    free(e->members);
    free(e->nmembers);
    free(e->seg_of);
}
