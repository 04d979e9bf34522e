/*
 * waggle/optimize.h — choosing the levers (`waggle optimize`, DESIGN.md
 * "Choosing the levers"): which K agents to seed as advocates, which K
 * critics to answer, or which standing response policy (delay, per_step) of
 * a grid, so that an objective of the scenario's runs is best.
 *
 * What is chosen (wg_opt_params.choose):
 *   - WG_CHOOSE_SEEDS: K agents to seed as advocates (below);
 *   - WG_CHOOSE_RESPOND: K agents the scenario's first one-shot respond
 *     event answers, a pick by id in the place of its own pick (at its step
 *     or trigger, with its win, calm and cost): those of them who are critics
 *     then are answered. The baselines answer K critics by random, degree,
 *     PageRank and k-core picks of the same event;
 *   - WG_CHOOSE_POLICY: the (delay, per_step) of the scenario's first
 *     standing policy (respond.policy) from a grid, the best whose mean
 *     answers per run are within the budget (no budget: every point). Every
 *     point is scored on the same runs; policies.csv has them all, paired
 *     with answering nobody (the event's pick emptied, so every other event
 *     keeps its index); chosen.csv the chosen one, the scenario's own and
 *     answering nobody.
 *
 * Where the chosen seeds go: they take the place of the scenario's first
 * positive seed event (its step; the event itself is left out), or, when the
 * scenario seeds only critics, they are added at the step of its first seed
 * event (the advocates start the day the critic does). A scenario without a
 * seed event has no seeds to choose (WG_EINPUT).
 *
 * How a set is scored: the scenario with the chosen seeds' event, a `seed`
 * by id of the set's agents, in the replaced event's place or just before the
 * first seed event (so every other event keeps its index, hence its keyed
 * draws, and a critic seeded at the same step keeps its seat), run through wg_job with the scenario's seed and runs
 * 0 .. runs-1. Run r of every set therefore uses the same keyed draws
 * (common random numbers): the difference between two sets in run r is the
 * choice's effect in that run, and intervals are paired over runs.
 *
 * Invariants:
 *   1. an objective value is "higher is better" (a minimised metric enters
 *      with its sign flipped); files report the metric itself;
 *   2. the choice is a pure function of (scenario, seed, runs, budget,
 *      objective, candidates): ties go to the candidate ranked first by
 *      degree (ties of degree by agent index), and
 *      no figure depends on the number of threads;
 *   3. bad input (objective, budget, candidates, a scenario with no seeds to
 *      choose, picks against the network) is refused by wg_opt_open, before
 *      any run, so it writes nothing.
 */
#ifndef WAGGLE_OPTIMIZE_H
#define WAGGLE_OPTIMIZE_H

#include "waggle/job.h"

/* What to optimise. */
typedef enum wg_opt_objective {
    WG_OBJ_REACH_POS = 0,   /* "reach_positive": the mean final positive reach, maximised */
    WG_OBJ_REACH_NEG = 1,   /* "-reach_negative": the mean final negative reach, minimised */
    WG_OBJ_BLOWUP = 2,      /* "-blowup": the share of runs that blow up, minimised */
    WG_NOBJ
} wg_opt_objective;

/* "reach_positive", "-reach_negative", "-blowup"; the reverse (-1 when unknown).
 * wg_opt_metric_name: the metric without its sign ("reach_negative"). */
const char *wg_opt_objective_name(int objective);
int wg_opt_objective_from_name(const char *name);
const char *wg_opt_metric_name(int objective);

/* How to choose. */
typedef enum wg_opt_method {
    WG_OPT_GREEDY = 0,      /* lazy greedy (CELF) on waggle's runs */
    WG_OPT_IMM = 1          /* reverse influence sampling (IMM); `contact: once` only */
} wg_opt_method;
/* "greedy", "imm"; the reverse (-1 when unknown). */
const char *wg_opt_method_name(int method);
int wg_opt_method_from_name(const char *name);

/* What to choose. */
typedef enum wg_opt_what {
    WG_CHOOSE_SEEDS = 0,     /* "seeds": advocates to seed */
    WG_CHOOSE_RESPOND = 1,   /* "respond": whom a one-shot respond event answers */
    WG_CHOOSE_POLICY = 2     /* "respond" with a grid: a standing policy's delay and per_step */
} wg_opt_what;

/* A grid of policies holds at most this many delays and this many per_step values. */
#define WG_OPT_GRID_MAX 8u

/* Candidates the greedy considers by default: the highest-degree agents. */
#define WG_OPT_CANDIDATES_DEFAULT 200u
/* optimize.csv compares the choice with the baselines at about this many sizes. */
#define WG_OPT_SIZES_MAX 10u

typedef struct wg_opt_params {
    int choose;               /* wg_opt_what; default seeds */
    int objective;            /* wg_opt_objective; default reach_positive */
    int method;               /* wg_opt_method; default greedy */
    uint32_t budget;          /* K >= 1 agents to choose (required); WG_CHOOSE_POLICY: the
                                 most answers a run may make on average (0: no limit) */
    uint32_t delays[WG_OPT_GRID_MAX];   /* WG_CHOOSE_POLICY: the grid's delays (ndelays = 0:
                                           the scenario policy's own) */
    uint32_t ndelays;
    uint32_t per_steps[WG_OPT_GRID_MAX];   /* and per_step values, each >= 1 */
    uint32_t nper_steps;
    uint32_t candidates;      /* the greedy's candidates: this many highest-degree agents
                                 (all of them when the network has fewer); default 200.
                                 IMM considers every agent */
    double epsilon;           /* IMM: the slack ε of its (1 - 1/e - ε) guarantee; default 0.1 */
    double ell;               /* IMM: the guarantee holds with probability 1 - n^-ell; 1 */
    int threads;              /* 0: OpenMP's default; results do not depend on it */
    wg_progress_fn progress;  /* (ud, sets scored, sets planned), or NULL */
    void *progress_ud;
    volatile sig_atomic_t *stop;   /* polled between steps: non-zero stops with WG_EINTR */
} wg_opt_params;
void wg_opt_params_default(wg_opt_params *p);

typedef struct wg_opt wg_opt;

/* Take the scenario s (owned from then on, also on failure) and the network g
 * (lent: it must outlive the handle; NULL: built from the scenario), check
 * everything and prepare the candidates. WG_EINPUT with a message for bad
 * input, WG_ENOMEM. */
wg_status wg_opt_open(wg_scenario *s, const wg_graph *g, const wg_opt_params *p, wg_opt **out,
                      wg_diag *d);
/* Load the scenario file path ("-": standard input) with overrides, then as above. */
wg_status wg_opt_open_file(const char *path, const char *const *sets, size_t nsets,
                           const wg_opt_params *p, wg_opt **out, wg_diag *d);
void wg_opt_free(wg_opt *o);   /* NULL: a harmless no-op */

const wg_scenario *wg_opt_scenario(const wg_opt *o);
const wg_graph *wg_opt_graph(const wg_opt *o);
uint32_t wg_opt_runs(const wg_opt *o);
/* The candidates (agent indices, best degree first). */
const uint32_t *wg_opt_candidates(const wg_opt *o, uint32_t *n);
/* The file id of agent a as its file wrote it (wg_graph_id: a text id, its
 * integer label, or a itself when the network has none); buf holds WG_ID_BUF bytes. */
const char *wg_opt_id(const wg_opt *o, uint32_t a, char *buf);

/* Score one set: the objective of every run (higher is better) into
 * value[0 .. runs) when agents[0..k) (agent indices) are the chosen seeds.
 * Costs one job of `runs` runs. */
wg_status wg_opt_eval(wg_opt *o, const uint32_t *agents, size_t k, double *value, wg_diag *d);
/* The same for the scenario with a baseline pick of k agents in their place
 * (by WG_PICK_RANDOM, _DEGREE, _PAGERANK or _KCORE). */
wg_status wg_opt_eval_pick(wg_opt *o, int by, uint32_t k, double *value, wg_diag *d);

/* Choose the budget's agents with the handle's method. Greedy: CELF — every
 * candidate's marginal gain is computed once, then only the best stale one is
 * recomputed until the best is fresh (a gain that was measured on the
 * current set). IMM: wg_imm_select's set, then every prefix of it scored by
 * waggle's own runs (the spread it promises, checked). */
wg_status wg_opt_choose(wg_opt *o, wg_diag *d);
/* After wg_opt_choose: the chosen agents in order, and the number of sets
 * scored (CELF's evaluations). */
const uint32_t *wg_opt_chosen(const wg_opt *o, uint32_t *k);
uint64_t wg_opt_evaluations(const wg_opt *o);

/* Score the baselines (random, degree, PageRank, k-core picks) at the sizes
 * of optimize.csv. After wg_opt_choose. */
wg_status wg_opt_compare(wg_opt *o, wg_diag *d);

/* One row of chosen.csv: the pick's rank (1-based), its agent, the metric of
 * the first `rank` picks (mean over runs, 95 % t interval) and the pick's
 * marginal gain in the objective (paired over runs, 95 % t interval). */
typedef struct wg_opt_pick {
    uint32_t rank, agent;
    double metric, metric_lo, metric_hi;
    double gain, gain_lo, gain_hi;
} wg_opt_pick;
wg_status wg_opt_pick_row(const wg_opt *o, uint32_t rank, wg_opt_pick *row);

/* A grid of policies (WG_CHOOSE_POLICY), after wg_opt_choose: its points
 * (delays major, per_step minor), the chosen one, and one row of
 * policies.csv: point i's metric (mean, 95 % t interval), its answers a run,
 * whether they keep within the budget, and its advantage in the objective
 * over `against` (a per-run objective row; NULL: answering nobody), paired
 * over runs, with the share of runs it does better (ties half). Point
 * ngrid is the scenario's own policy, ngrid + 1 answering nobody. */
typedef struct wg_opt_policy_row {
    uint32_t point, delay, per_step;
    double metric, metric_lo, metric_hi;
    double answers, answers_lo, answers_hi;
    int within_budget;
    double advantage, advantage_lo, advantage_hi, p_better;
} wg_opt_policy_row;
uint32_t wg_opt_grid_size(const wg_opt *o);
int wg_opt_grid_best(const wg_opt *o);   /* -1 before wg_opt_choose */
wg_status wg_opt_grid_row(const wg_opt *o, uint32_t i, const double *against,
                          wg_opt_policy_row *row);
/* "seeds" or "respond" (both respond modes). */
const char *wg_opt_choose_name(int choose);

/* Write chosen.csv, optimize.csv, manifest.yaml and optimize.png into dir.
 * A grid of policies writes policies.csv instead of optimize.csv, and its
 * chosen.csv compares the chosen policy with the scenario's own and with
 * answering nobody. After wg_opt_compare. */
wg_status wg_opt_write(const wg_opt *o, const char *dir, const wg_job_write_params *p,
                       wg_diag *d);
/* IMM's report after wg_opt_choose with --method imm (NULL otherwise). */
const struct wg_imm_result *wg_opt_imm_result(const wg_opt *o);
/* Wall time of choose and compare, seconds. */
double wg_opt_seconds(const wg_opt *o);
/* "out/<stem>-optimize". Caller frees. */
char *wg_opt_default_out(const char *scenario_path);

/* ---- IMM (imm.c) ----------------------------------------------------------------------- */

/* Whether the scenario is an independent cascade IMM can sample: contact: once,
 * exposure independent, quality 1, no media, forgetting or segments, and a
 * timeline of one positive seed event (index `replace`, the one chosen).
 * WG_EINPUT with a message saying what is not. */
wg_status wg_imm_check(const wg_scenario *s, int replace, wg_diag *d);

/* What IMM reports. */
typedef struct wg_imm_result {
    uint64_t rr_sets;         /* RR sets of the final selection */
    uint64_t rr_sets_estimation; /* RR sets of the estimation phase (its last round) */
    double spread_est;        /* n × their share the seeds cover: IMM's estimate of the spread */
    double lower_bound;       /* LB of OPT from the estimation phase */
    double seconds;           /* wall time of wg_imm_select */
    double seconds_sampling;  /* of which drawing RR sets (both phases) */
    double seconds_cover;     /* and the greedy covers of the sets */
} wg_imm_result;

/* k seeds for the independent cascade on g (arc live with probability
 * min(1, share × weight), at most `hops` hops from a seed) by IMM (Tang, Shi &
 * Xiao 2015) with fresh RR sets for the selection (Chen 2018): with
 * probability at least 1 - n^-ell their expected spread is at least
 * (1 - 1/e - eps) of the best k seeds'. RR sets are keyed to seed (rrset.h), so
 * the choice does not depend on `threads` (0: OpenMP's default). seeds
 * receives k agent indices, in the greedy cover's order. WG_EINPUT for k
 * outside [1, agents], eps outside (0, 1), or more than 2^32 - 2 RR sets;
 * WG_ENOMEM. Time and memory grow with the RR sets: about
 * (2 + 2ε'/3)(ln C(n,k) + ell ln n) n / (ε² OPT) of them, each as large as the
 * set of agents that reach a random agent. */
wg_status wg_imm_select(const wg_graph *g, double share, uint32_t hops, uint64_t seed,
                        uint32_t k, double eps, double ell, int threads, uint32_t *seeds,
                        wg_imm_result *res, wg_diag *d);

#endif
