/*
 * cmd_optimize.c — `waggle optimize SCENARIO --choose seeds|respond ...`: which
 * K advocates to seed, which K critics to answer, or which standing response
 * policy of a grid (the study is sim/study/optimize.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waggle/optimize.h"

const char wg_optimize_usage[] =
    "usage: waggle optimize SCENARIO --choose seeds|respond --budget K [--objective OBJ]\n"
    "                       [--candidates degree:N] [--method greedy|imm] [--epsilon E]\n"
    "                       [-o DIR] [-r RUNS] [-s SEED] [-t THREADS] [--set KEY=VALUE]...\n"
    "                       [--quiet]\n"
    "       waggle optimize SCENARIO --choose respond --delays LIST --per-step LIST\n"
    "                       [--budget ANSWERS] [--objective OBJ] [-o DIR] ...\n"
    "\n"
    "Choose K agents to seed as advocates so that OBJ is best, by lazy greedy (CELF):\n"
    "every set is scored on the scenario's runs with common random numbers (run r of\n"
    "every set uses the same keyed draws), so gains are paired over runs. The chosen\n"
    "seeds take the place of the scenario's first positive seed event (at its step),\n"
    "or, when it seeds only critics, are added at the step of its first seed event.\n"
    "--choose respond --budget K chooses K agents for the scenario's first respond\n"
    "event (one-shot) to answer instead of its own pick: at its step (or trigger),\n"
    "those of them who are critics are answered, with its win, calm and cost; the\n"
    "baselines answer K critics picked at random, by degree, PageRank or k-core.\n"
    "--choose respond with --delays and/or --per-step scores every standing policy of\n"
    "the grid (the scenario's first respond event with respond.policy; a list missing\n"
    "is the policy's own value) on the same runs, and chooses the best whose mean\n"
    "answers a run are at most --budget (no --budget: any); its files are then\n"
    "  policies.csv   delay,per_step,chosen,within_budget,metric,mean,lo,hi,answers,\n"
    "                 answers_lo,answers_hi,advantage,advantage_lo,advantage_hi,p_better:\n"
    "                 every point; advantage: against answering nobody, paired over runs\n"
    "  chosen.csv     arm,delay,per_step,metric,mean,lo,hi,answers,answers_lo,answers_hi,\n"
    "                 advantage,advantage_lo,advantage_hi,p_better: the chosen policy,\n"
    "                 the scenario's own and answering nobody (arm none); advantage: how\n"
    "                 much better the chosen one does than the arm, paired over runs\n"
    "  optimize.png   the metric against the delay, a line for each per_step\n"
    "The objective of --choose respond is -reach_negative unless --objective is given.\n"
    "Otherwise the files are:\n"
    "Writes into DIR (default out/<scenario name>-optimize):\n"
    "  chosen.csv     rank,id,degree,objective,value,value_lo,value_hi,gain,gain_lo,gain_hi\n"
    "                 the picks in order (file ids); value: the objective's metric with\n"
    "                 the first `rank` picks (mean over runs, 95 % t interval); gain: what\n"
    "                 the pick adds to the objective (paired over runs, 95 % interval;\n"
    "                 for a minimised metric, how much it lowers it)\n"
    "  optimize.csv   k,method,metric,mean,lo,hi,advantage,advantage_lo,advantage_hi,\n"
    "                 p_better: the choice against random, degree, pagerank and kcore\n"
    "                 picks of the same size k (advantage: how much better the choice\n"
    "                 does, paired over runs; p_better: share of runs it does better)\n"
    "  optimize.png   the metric against k for the choice and each baseline\n"
    "  manifest.yaml\n"
    "\n"
    "options:\n"
    "  --choose WHAT         seeds (the agents to seed as advocates) or respond (whom the\n"
    "                        first respond event answers, or with a grid its policy)\n"
    "  --budget K            how many agents (at most the candidates); with a grid, the\n"
    "                        most answers a run may make on average\n"
    "  --delays LIST         a grid's delays, e.g. 0,1,2,5,10 (at most 8 values)\n"
    "  --per-step LIST       a grid's per_step values, e.g. 5,20,50 (at most 8, each >= 1)\n"
    "  --objective OBJ       reach_positive (default: the mean final positive reach),\n"
    "                        -reach_negative (the mean final negative reach, lowered) or\n"
    "                        -blowup (the share of runs that blow up, lowered)\n"
    "  --candidates degree:N the greedy considers the N highest-degree agents (default 200)\n"
    "  --method greedy|imm   greedy (default), or reverse influence sampling (IMM, Tang\n"
    "                        et al. 2015) for an independent cascade: contact: once,\n"
    "                        quality 1, no media, forgetting or segments, one positive\n"
    "                        seed event; its spread is at least (1 - 1/e - E) of the\n"
    "                        best with probability 1 - 1/agents, over every agent; each\n"
    "                        prefix of its choice is then scored by the scenario's runs\n"
    "  --epsilon E           IMM's slack, in (0, 1) (default 0.1)\n"
    "  -o, -r, -s, -t, --set, -q, --progress   as `waggle run` (SCENARIO may be -)\n"
    "\n"
    "exit status: 0 done, 1 runtime failure (memory, disk, interrupted), 2 bad input\n";

enum { OPT_CHOOSE = 1, OPT_BUDGET, OPT_OBJECTIVE, OPT_CANDIDATES, OPT_METHOD, OPT_EPSILON,
       OPT_DELAYS, OPT_PER_STEP };
static const wg_cmd_option optimize_options[] = {
    {"choose", 0, 1, OPT_CHOOSE},         {"budget", 0, 1, OPT_BUDGET},
    {"objective", 0, 1, OPT_OBJECTIVE},   {"candidates", 0, 1, OPT_CANDIDATES},
    {"method", 0, 1, OPT_METHOD},         {"epsilon", 0, 1, OPT_EPSILON},
    {"delays", 0, 1, OPT_DELAYS},         {"per-step", 0, 1, OPT_PER_STEP},
    {NULL, 0, 0, 0}};

typedef struct opt_args {
    wg_opt_params p;
    int choose;       /* 1 once --choose was given */
    int budget;       /* 1 once --budget was given */
    int objective;    /* 1 once --objective was given */
} opt_args;

/* A whole number in [min, 2^32 - 2] ending at *end (NULL: at the string's
 * end); 0 with *ok = 0 when v does not start with one. */
static uint32_t whole_of(const char *v, uint32_t min, const char **endp, int *ok)
{
    char *end;
    errno = 0;
    *ok = 0;
    if (!*v || *v == '-' || *v == '+' || *v == ' ') return 0;
    unsigned long long k = strtoull(v, &end, 10);
    if (errno || end == v || (!endp && *end) || k < min || k > 4294967294ull) return 0;
    if (endp) *endp = end;
    *ok = 1;
    return (uint32_t)k;
}

/* A count in [1, 2^32 - 2]; 0 when v is not one. */
static uint32_t count_of(const char *v)
{
    int ok;
    return whole_of(v, 1, NULL, &ok);
}

/* A comma-separated list of whole numbers >= min, at most WG_OPT_GRID_MAX. */
static void list_of(const char *opt, const char *v, uint32_t min, uint32_t *out, uint32_t *n,
                    wg_diag *d)
{
    *n = 0;
    for (const char *p = v;;) {
        const char *end;
        int ok;
        uint32_t x = whole_of(p, min, &end, &ok);
        if (!ok || (*end && *end != ',') || *n == WG_OPT_GRID_MAX) {
            wg_diag_error(d, WG_EINPUT, "--%s %s: expected a comma-separated list of at most %u "
                          "whole numbers%s, e.g. %s", opt, v, WG_OPT_GRID_MAX,
                          min ? " of at least 1" : "", min ? "5,20,50" : "0,1,2,5,10");
            *n = 0;
            return;
        }
        out[(*n)++] = x;
        if (!*end) return;
        p = end + 1;
    }
}

static void optimize_option(void *ud, int id, const char *v, wg_diag *d)
{
    opt_args *a = ud;
    switch (id) {
    case OPT_CHOOSE:
        if (strcmp(v, "seeds") == 0 || strcmp(v, "respond") == 0) {
            a->choose = 1;
            a->p.choose = v[0] == 's' ? WG_CHOOSE_SEEDS : WG_CHOOSE_RESPOND;
        } else {
            wg_diag_error(d, WG_EINPUT, "--choose %s: expected seeds or respond", v);
        }
        break;
    case OPT_DELAYS: list_of("delays", v, 0, a->p.delays, &a->p.ndelays, d); break;
    case OPT_PER_STEP: list_of("per-step", v, 1, a->p.per_steps, &a->p.nper_steps, d); break;
    case OPT_BUDGET:
        a->budget = 1;
        if (!(a->p.budget = count_of(v)))
            wg_diag_error(d, WG_EINPUT, "--budget %s: expected a count of at least 1", v);
        break;
    case OPT_OBJECTIVE: {
        int obj = wg_opt_objective_from_name(v);
        if (obj < 0)
            wg_diag_error(d, WG_EINPUT, "--objective %s: unknown objective; expected "
                          "reach_positive, -reach_negative or -blowup", v);
        else a->p.objective = obj;
        a->objective = 1;
        break;
    }
    case OPT_METHOD: {
        int m = wg_opt_method_from_name(v);
        if (m < 0) wg_diag_error(d, WG_EINPUT, "--method %s: expected greedy or imm", v);
        else a->p.method = m;
        break;
    }
    case OPT_EPSILON: {
        char *end;
        errno = 0;
        double e = strtod(v, &end);
        if (errno || end == v || *end || !(e > 0 && e < 1))
            wg_diag_error(d, WG_EINPUT, "--epsilon %s: expected a number in (0, 1)", v);
        else a->p.epsilon = e;
        break;
    }
    case OPT_CANDIDATES:
        if (strncmp(v, "degree:", 7) != 0 || !(a->p.candidates = count_of(v + 7)))
            wg_diag_error(d, WG_EINPUT, "--candidates %s: expected degree:N with N at least 1 "
                          "(the N highest-degree agents)", v);
        break;
    }
}

int wg_cmd_optimize(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts o;
    opt_args a;
    wg_opt *w = NULL;
    char *out = NULL;
    memset(&a, 0, sizeof a);
    wg_opt_params_default(&a.p);
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_RUNLIKE, optimize_options, optimize_option,
                                &a, 1, 1, "scenario file", &o, &d);
    const int grid = a.p.ndelays || a.p.nper_steps;
    if (st == WG_OK && grid && a.p.choose != WG_CHOOSE_RESPOND) {
        wg_diag_error(&d, WG_EINPUT, "--delays/--per-step: a grid of response policies goes "
                      "with --choose respond");
        st = WG_EINPUT;
    }
    if (st == WG_OK && (!a.choose || (!a.budget && !grid))) {
        if (!a.choose)
            wg_diag_error(&d, WG_EINPUT, "missing --choose seeds|respond (what to choose)");
        else wg_diag_error(&d, WG_EINPUT, "missing --budget K (how many agents)");
        st = WG_EINPUT;
    }
    if (st != WG_OK) goto done;
    if (grid) a.p.choose = WG_CHOOSE_POLICY;
    if (a.p.choose != WG_CHOOSE_SEEDS && !a.objective) a.p.objective = WG_OBJ_REACH_NEG;
    wg_progress bar;
    wg_job_run_params rp;
    wg_cmd_run_setup(&o, "sets", &bar, &rp);
    a.p.threads = rp.threads;
    a.p.progress = rp.progress;
    a.p.progress_ud = rp.progress_ud;
    a.p.stop = rp.stop;
    if ((st = wg_opt_open_file(o.scenario, o.sets, o.nsets, &a.p, &w, &d)) != WG_OK) goto done;
    st = wg_opt_choose(w, &d);
    if (st == WG_OK) st = wg_opt_compare(w, &d);
    wg_progress_end(&bar);
    if (st != WG_OK) goto done;
    wg_job_write_params wp;
    if ((st = wg_cmd_write_setup(&o, wg_opt_default_out, argc, argv, &out, &wp, &d)) != WG_OK ||
        (st = wg_opt_write(w, out, &wp, &d)) != WG_OK)
        goto done;
    if (!o.quiet && grid) {
        wg_opt_policy_row row;
        wg_opt_grid_row(w, (uint32_t)wg_opt_grid_best(w), NULL, &row);
        printf("chosen policy (%s, of %u): delay %u, per_step %u\n",
               wg_opt_objective_name(a.p.objective), wg_opt_grid_size(w), row.delay,
               row.per_step);
        printf("%s with it: %.6g (95 %% %.6g to %.6g); answers a run: %.6g; against answering "
               "nobody: %+.6g (95 %% %+.6g to %+.6g)\n", wg_opt_metric_name(a.p.objective),
               row.metric, row.metric_lo, row.metric_hi, row.answers, row.advantage,
               row.advantage_lo, row.advantage_hi);
        fprintf(stderr, "waggle: %llu policies × %u runs in %.2f s; wrote %s/\n",
                (unsigned long long)wg_opt_evaluations(w), wg_opt_runs(w), wg_opt_seconds(w),
                out);
    } else if (!o.quiet) {
        uint32_t k, nc;
        const uint32_t *ch = wg_opt_chosen(w, &k);
        wg_opt_candidates(w, &nc);
        wg_opt_pick row;
        wg_opt_pick_row(w, k, &row);
        printf("chosen %s (%s, %u of %u candidates):",
               a.p.choose == WG_CHOOSE_SEEDS ? "seeds" : "critics to answer",
               wg_opt_objective_name(a.p.objective), k, nc);
        for (uint32_t i = 0; i < k && i < 20; i++) {
            char id[WG_ID_BUF];
            printf(" %s", wg_opt_id(w, ch[i], id));
        }
        printf("%s\n%s with them: %.6g (95 %% %.6g to %.6g)\n", k > 20 ? " ..." : "",
               wg_opt_metric_name(a.p.objective), row.metric, row.metric_lo, row.metric_hi);
        fprintf(stderr, "waggle: %llu sets × %u runs in %.2f s; wrote %s/\n",
                (unsigned long long)wg_opt_evaluations(w), wg_opt_runs(w), wg_opt_seconds(w),
                out);
    }
done:
    free(out);
    wg_opt_free(w);
    wg_cmd_opts_free(&o);
    return wg_cmd_report(&d, st);
}
