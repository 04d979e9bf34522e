/*
 * cmd_optimize.c — `waggle optimize SCENARIO --choose seeds --budget K`: which
 * K advocates to seed (the study is sim/study/optimize.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waggle/optimize.h"

const char wg_optimize_usage[] =
    "usage: waggle optimize SCENARIO --choose seeds --budget K [--objective OBJ]\n"
    "                       [--candidates degree:N] [--method greedy|imm] [--epsilon E]\n"
    "                       [-o DIR] [-r RUNS] [-s SEED] [-t THREADS] [--set KEY=VALUE]...\n"
    "                       [--quiet]\n"
    "\n"
    "Choose K agents to seed as advocates so that OBJ is best, by lazy greedy (CELF):\n"
    "every set is scored on the scenario's runs with common random numbers (run r of\n"
    "every set uses the same keyed draws), so gains are paired over runs. The chosen\n"
    "seeds take the place of the scenario's first positive seed event (at its step),\n"
    "or, when it seeds only critics, are added at the step of its first seed event.\n"
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
    "  --choose seeds        what to choose (seeds: the agents to seed as advocates)\n"
    "  --budget K            how many agents (at most the candidates)\n"
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

enum { OPT_CHOOSE = 1, OPT_BUDGET, OPT_OBJECTIVE, OPT_CANDIDATES, OPT_METHOD, OPT_EPSILON };
static const wg_cmd_option optimize_options[] = {
    {"choose", 0, 1, OPT_CHOOSE},         {"budget", 0, 1, OPT_BUDGET},
    {"objective", 0, 1, OPT_OBJECTIVE},   {"candidates", 0, 1, OPT_CANDIDATES},
    {"method", 0, 1, OPT_METHOD},         {"epsilon", 0, 1, OPT_EPSILON},
    {NULL, 0, 0, 0}};

typedef struct opt_args {
    wg_opt_params p;
    int choose;       /* 1 once --choose seeds was given */
    int budget;       /* 1 once --budget was given */
} opt_args;

/* A count in [1, 2^32 - 2]; 0 when v is not one. */
static uint32_t count_of(const char *v)
{
    char *end;
    errno = 0;
    if (!*v || *v == '-' || *v == '+') return 0;
    unsigned long long k = strtoull(v, &end, 10);
    if (errno || *end || k < 1 || k > 4294967294ull) return 0;
    return (uint32_t)k;
}

static void optimize_option(void *ud, int id, const char *v, wg_diag *d)
{
    opt_args *a = ud;
    switch (id) {
    case OPT_CHOOSE:
        if (strcmp(v, "seeds") == 0) a->choose = 1;
        else if (strcmp(v, "respond") == 0)
            wg_diag_error(d, WG_EINPUT, "--choose respond: choosing whom to answer needs "
                          "standing response policies, which this waggle does not have yet; "
                          "expected seeds");
        else wg_diag_error(d, WG_EINPUT, "--choose %s: expected seeds", v);
        break;
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
    if (st == WG_OK && (!a.choose || !a.budget)) {
        if (!a.choose) wg_diag_error(&d, WG_EINPUT, "missing --choose seeds (what to choose)");
        if (!a.budget) wg_diag_error(&d, WG_EINPUT, "missing --budget K (how many agents)");
        st = WG_EINPUT;
    }
    if (st != WG_OK) goto done;
    wg_cmd_signals();
    wg_progress bar;
    wg_progress_init(&bar, "sets", &o);
    a.p.threads = o.threads;
    a.p.progress = wg_progress_update;
    a.p.progress_ud = &bar;
    a.p.stop = &wg_cmd_stop;
    if ((st = wg_opt_open_file(o.scenario, o.sets, o.nsets, &a.p, &w, &d)) != WG_OK) goto done;
    st = wg_opt_choose(w, &d);
    if (st == WG_OK) st = wg_opt_compare(w, &d);
    wg_progress_end(&bar);
    if (st != WG_OK) goto done;
    out = o.out_dir ? wg_strdup(o.out_dir) : wg_opt_default_out(o.scenario);
    if (!out) {
        wg_diag_error(&d, st = WG_ENOMEM, "out of memory");
        goto done;
    }
    wg_job_write_params wp;
    wg_job_write_params_default(&wp);
    wp.argc = argc;
    wp.argv = argv;
    if ((st = wg_opt_write(w, out, &wp, &d)) != WG_OK) goto done;
    if (!o.quiet) {
        uint32_t k, nc;
        const uint32_t *ch = wg_opt_chosen(w, &k);
        wg_opt_candidates(w, &nc);
        wg_opt_pick row;
        wg_opt_pick_row(w, k, &row);
        printf("chosen (%s, %u of %u candidates):", wg_opt_objective_name(a.p.objective), k,
               nc);
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
