/*
 * series.c — the counts of many runs and what is read off them: the metrics
 * of a run at a step, a run's final figures, the blow-up rule; the files
 * series.csv and finals.csv. Owns two vocabularies: the metrics of
 * summary.csv (enum wg_metric) and the final figures of finals.csv and
 * sweep.csv (enum wg_final_metric), each with its one name table here.
 *
 * Invariants:
 * 1. Every figure is a pure function of the counts, in run order, so the same
 *    counts give the same bytes on every machine and thread count.
 * 2. Whether a run blows up is decided by wg_blowup_test alone; every file
 *    and message that counts blow-ups calls it.
 * 3. The headers of series.csv and finals.csv are written from the name
 *    tables (states, metrics, final figures), never from a copy.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/output.h"

/* the counts of a step are the six states, in wg_state's order, then the new
 * of each valence, then the exposures of each valence; the metrics of
 * summary.csv start with the same six */
_Static_assert((int)WG_C_UNAWARE == (int)WG_UNAWARE && (int)WG_C_ADVOCATES == (int)WG_ADVOCATE &&
                   (int)WG_C_CRITICS == (int)WG_CRITIC &&
                   (int)WG_C_SUPPORTERS == (int)WG_SUPPORTER &&
                   (int)WG_C_REJECTERS == (int)WG_REJECTER && (int)WG_C_IMMUNE == (int)WG_IMMUNE &&
                   WG_C_NEW_POS == WG_NSTATES && WG_C_NEW_NEG == WG_NSTATES + 1 &&
                   WG_C_ANSWERS == WG_NSTATES + 2 && WG_C_EXPOSURES_POS == WG_NSTATES + 3 &&
                   WG_C_EXPOSURES_NEG == WG_NSTATES + 4 && WG_C_FROM == WG_NSTATES + 5,
               "series.csv's columns follow the counts (answers and the reach by source are "
               "not written there)");
_Static_assert((int)WG_M_IMMUNE == (int)WG_IMMUNE && WG_M_REACH_POS == WG_NSTATES,
               "summary.csv's first metrics are the states");

/* ---- results --------------------------------------------------------------------------------- */

wg_status wg_results_alloc(wg_results *r, uint32_t runs, uint32_t steps, uint32_t agents,
                           wg_diag *d)
{
    memset(r, 0, sizeof *r);
    r->runs = runs;
    r->steps = steps;
    r->agents = agents;
    r->counts = wg_calloc((size_t)runs * steps, WG_NCOUNTS * sizeof *r->counts);
    r->steps_run = wg_calloc(runs, sizeof *r->steps_run);
    r->seeded = wg_calloc((size_t)runs * steps, 2 * sizeof *r->seeded);
    r->cost = wg_calloc(runs, sizeof *r->cost);
    if (!r->counts || !r->steps_run || !r->seeded || !r->cost) {
        wg_results_free(r);
        wg_diag_error(d, WG_ENOMEM, "out of memory: counts of %u runs × %u steps", runs, steps);
        return WG_ENOMEM;
    }
    return WG_OK;
}

void wg_results_free(wg_results *r)
{
    free(r->counts);
    free(r->steps_run);
    free(r->seeded);
    free(r->cost);
    r->counts = r->steps_run = r->seeded = NULL;
    r->cost = NULL;
}

/* ---- metrics of a step (summary.csv) --------------------------------------------------------- */

/* After the six states, whose names are wg_state_name's. */
static const char *const derived_names[WG_NMETRICS - WG_NSTATES] = {
    "reach_positive", "reach_negative", "new_positive", "new_negative", "sentiment",
    "exposures_positive", "exposures_negative", "cumulative_exposures_positive",
    "cumulative_exposures_negative",
    "reach_negative_from_seed", "reach_negative_from_word_of_mouth", "reach_negative_from_media",
    "reach_negative_from_recommend", "reach_positive_from_seed",
    "reach_positive_from_word_of_mouth", "reach_positive_from_media",
    "reach_positive_from_recommend",
};
_Static_assert(WG_M_FROM_END - WG_M_FROM == 8 && WG_SRC_RECOMMEND - WG_SRC_SEED == 3,
               "the names of the reach by source follow wg_source from seed to recommend");

const char *wg_metric_name(int metric)
{
    if (metric >= 0 && metric < WG_NSTATES) return wg_state_name((wg_state)metric);
    return metric >= WG_NSTATES && metric < WG_NMETRICS ? derived_names[metric - WG_NSTATES] : "?";
}

int wg_metric_from_name(const char *name)
{
    for (int i = 0; i < WG_NMETRICS; i++)
        if (strcmp(name, wg_metric_name(i)) == 0) return i;
    return -1;
}

static inline const uint32_t *row_of(const wg_results *r, uint32_t run, uint32_t step)
{
    return r->counts + ((size_t)run * r->steps + step) * WG_NCOUNTS;
}

double wg_metric_value(const wg_results *r, uint32_t run, uint32_t step, int metric)
{
    const uint32_t *c = row_of(r, run, step);
    double pos = (double)c[WG_C_ADVOCATES] + c[WG_C_SUPPORTERS];
    double neg = (double)c[WG_C_CRITICS] + c[WG_C_REJECTERS];
    if (metric >= WG_M_FROM && metric < WG_M_FROM_END) {
        /* metrics: negative then positive; counts: per source, positive then negative */
        const int k = metric - WG_M_FROM, v = k < 4 ? WG_NEG : WG_POS;
        return c[WG_C_FROM_OF(WG_SRC_SEED + k % 4, v)];
    }
    switch (metric) {
    case WG_M_REACH_POS: return pos;
    case WG_M_REACH_NEG: return neg;
    case WG_M_NEW_POS: return c[WG_C_NEW_POS];
    case WG_M_NEW_NEG: return c[WG_C_NEW_NEG];
    case WG_M_SENTIMENT: return pos + neg > 0 ? (pos - neg) / (pos + neg) : NAN;
    case WG_M_EXPOSURES_POS: return c[WG_C_EXPOSURES_POS];
    case WG_M_EXPOSURES_NEG: return c[WG_C_EXPOSURES_NEG];
    case WG_M_CUM_EXPOSURES_POS:
    case WG_M_CUM_EXPOSURES_NEG: {
        const int k = metric == WG_M_CUM_EXPOSURES_POS ? WG_C_EXPOSURES_POS : WG_C_EXPOSURES_NEG;
        uint64_t sum = 0;   /* O(step); summary.csv keeps running sums instead */
        for (uint32_t u = 0; u <= step; u++) sum += row_of(r, run, u)[k];
        return (double)sum;
    }
    default: return c[metric]; /* the six states share their index with the counts */
    }
}

/* ---- the blow-up rule ------------------------------------------------------------------------ */

void wg_blowup_rule_default(wg_blowup_rule *rule)
{
    rule->threshold = WG_BLOWUP_THRESHOLD_DEFAULT;
    rule->valence = WG_NEG;
    rule->at_step = 0;
    rule->step = 0;
}

int wg_blowup_test(const wg_blowup_rule *rule, double reach_pos, double reach_neg, double agents)
{
    return (rule->valence == WG_POS ? reach_pos : reach_neg) > rule->threshold * agents;
}

int wg_blowup_run(const wg_blowup_rule *rule, const wg_results *r, uint32_t run)
{
    const uint32_t t = rule->at_step && rule->step < r->steps ? rule->step : r->steps - 1;
    double pos = wg_metric_value(r, run, t, WG_M_REACH_POS);
    double neg = wg_metric_value(r, run, t, WG_M_REACH_NEG);
    if (r->seeded) {
        const uint32_t *sd = r->seeded + ((size_t)run * r->steps + t) * 2;
        pos -= sd[WG_POS];
        neg -= sd[WG_NEG];
    }
    return wg_blowup_test(rule, pos, neg, r->agents);
}

/* ---- final figures (finals.csv, sweep.csv) --------------------------------------------------- */

static const char *const final_names[WG_NFINALS] = {
    "reach_positive", "reach_negative", "peak_critics", "peak_step", "steps", "blowup",
    "answers", "cost", "cumulative_exposures_positive", "cumulative_exposures_negative",
};

const char *wg_final_metric_name(int m)
{
    return m >= 0 && m < WG_NFINALS ? final_names[m] : "?";
}

void wg_final_of(const wg_results *r, uint32_t run, wg_final *f)
{
    const uint32_t *last = row_of(r, run, r->steps - 1);
    f->reach_pos = last[WG_C_ADVOCATES] + last[WG_C_SUPPORTERS];
    f->reach_neg = last[WG_C_CRITICS] + last[WG_C_REJECTERS];
    f->peak_critics = 0;
    f->peak_step = 0;
    f->answers = 0;
    f->cost = r->cost ? r->cost[run] : 0;
    f->exposures_pos = f->exposures_neg = 0;
    for (uint32_t t = 0; t < r->steps; t++) {
        const uint32_t *row = row_of(r, run, t);
        f->answers += row[WG_C_ANSWERS];
        uint32_t c = row[WG_C_CRITICS];
        if (c > f->peak_critics) {
            f->peak_critics = c;
            f->peak_step = t;
        }
        f->exposures_pos += row[WG_C_EXPOSURES_POS];
        f->exposures_neg += row[WG_C_EXPOSURES_NEG];
    }
    f->steps = r->steps_run[run];
}

void wg_final_values(const wg_results *r, uint32_t run, const wg_blowup_rule *rule,
                     double v[WG_NFINALS])
{
    wg_final f;
    wg_final_of(r, run, &f);
    v[WG_F_REACH_POS] = f.reach_pos;
    v[WG_F_REACH_NEG] = f.reach_neg;
    v[WG_F_PEAK_CRITICS] = f.peak_critics;
    v[WG_F_PEAK_STEP] = f.peak_step;
    v[WG_F_STEPS] = f.steps;
    v[WG_F_BLOWUP] = wg_blowup_run(rule, r, run);
    v[WG_F_ANSWERS] = (double)f.answers;
    v[WG_F_COST] = f.cost;
    v[WG_F_EXPOSURES_POS] = (double)f.exposures_pos;
    v[WG_F_EXPOSURES_NEG] = (double)f.exposures_neg;
}

/* ---- writers --------------------------------------------------------------------------------- */

wg_status wg_write_series(const char *dir, const wg_results *r, wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "series.csv", d);
    if (st != WG_OK) return st;
    /* the counts: the six states, then the new of each valence, then the
     * exposures of each valence (appended in version 2) */
    fputs("run,step", o.f);
    for (int k = 0; k < WG_NSTATES; k++) fprintf(o.f, ",%s", wg_state_name((wg_state)k));
    fprintf(o.f, ",%s,%s,%s,%s%s\n", wg_metric_name(WG_M_NEW_POS), wg_metric_name(WG_M_NEW_NEG),
            wg_metric_name(WG_M_EXPOSURES_POS), wg_metric_name(WG_M_EXPOSURES_NEG),
            r->absent ? ",absent" : "");
    for (uint32_t run = 0; run < r->runs && !wg_stopped(); run++)   /* SIGINT: stop here */
        for (uint32_t t = 0; t < r->steps; t++) {
            const uint32_t *c = row_of(r, run, t);
            fprintf(o.f, "%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u", run, t, c[0], c[1], c[2], c[3],
                    c[4], c[5], c[6], c[7], c[WG_C_EXPOSURES_POS], c[WG_C_EXPOSURES_NEG]);
            /* open audiences only (arrivals:), so other scenarios keep their bytes */
            if (r->absent) fprintf(o.f, ",%u", c[WG_C_ABSENT]);
            fputc('\n', o.f);
        }
    return wg_out_commit(&o, d);
}

wg_status wg_write_finals(const char *dir, const wg_results *r, const wg_blowup_rule *rule,
                          wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "finals.csv", d);
    if (st != WG_OK) return st;
    fputs("run", o.f);
    for (int m = 0; m < WG_NFINALS; m++) fprintf(o.f, ",%s", final_names[m]);
    fputc('\n', o.f);
    for (uint32_t run = 0; run < r->runs && !wg_stopped(); run++) {
        wg_final f;
        wg_final_of(r, run, &f);
        fprintf(o.f, "%u,%u,%u,%u,%u,%u,%d,%llu,", run, f.reach_pos, f.reach_neg, f.peak_critics,
                f.peak_step, f.steps, wg_blowup_run(rule, r, run), (unsigned long long)f.answers);
        wg_csv_double(o.f, f.cost);
        fprintf(o.f, ",%" PRIu64 ",%" PRIu64 "\n", f.exposures_pos, f.exposures_neg);
    }
    return wg_out_commit(&o, d);
}
