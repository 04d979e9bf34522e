/*
 * cmd_fit.c — `waggle fit`: calibrate scenario keys to an observed series, and
 * the Bass baseline (the study is sim/study/fit.c).
 */
#include "cli.h"
#include "waggle/fit.h"

const char wg_fit_usage[] =
    "usage: waggle fit SCENARIO --fit KEY[,KEY...] [--observed CSV] [--x COL] [--y COL]\n"
    "                  [--bass] [-o DIR] [-r RUNS] [-s SEED] [-t THREADS] [--set KEY=VALUE]...\n"
    "       waggle fit --bass --observed CSV [--x COL] [--y COL] [-o DIR]\n"
    "\n"
    "Calibrate scenario keys to an observed cumulative series by minimising the squared\n"
    "log error between the readings and scale x the median over runs of the observed\n"
    "metric (observed.metric; default the reach of the valence seeded first). Every\n"
    "candidate runs with the same seed and runs (common random numbers); the search is\n"
    "a Nelder-Mead simplex (GSL) on logit (probabilities) or log (other) values.\n"
    "KEY is any scalar --set key (share.negative, quit.negative, network.nodes,\n"
    "events.2.media.amplitude, segments.NAME.activity, ...) or observed.scale, the\n"
    "observed units per agent, solved in closed form (geometric mean of reading/model).\n"
    "\n"
    "The observed series is --observed CSV, else the scenario's observed.file; columns\n"
    "--x (default the scenario's observed.x, or day) in steps and --y (default\n"
    "observed.y, or the third column) with cumulative counts; '#' lines are comments.\n"
    "\n"
    "Prints the fitted values with standard errors and 95 % intervals (from the\n"
    "Jacobian at the optimum, central differences), RMS log error and R^2 on log scale,\n"
    "and writes into DIR (default out/<scenario name>-fit):\n"
    "  params.csv    model,parameter,value,se,lo95,hi95 (waggle and, with --bass, bass)\n"
    "  fit.csv       step,observed,fitted_p05,fitted_p50,fitted_p95,bass\n"
    "  <scenario>.yaml  the scenario file with the fitted values set, comments kept\n"
    "  run/          the calibrated scenario's run folder (series, summary, finals,\n"
    "                manifest, observed.csv and charts: curves.png shows the fit over\n"
    "                the readings on the fitted scale)\n"
    "With --bass the Bass (1969) model F(t) = m(1-e^-(p+q)t)/(1+(q/p)e^-(p+q)t) is\n"
    "also fitted to the readings (log least squares, gsl_multifit_nlinear); without a\n"
    "scenario only the Bass fit is made.\n"
    "\n"
    "options:\n"
    "  --fit KEYS        comma-separated keys to fit\n"
    "  --observed CSV    observed series (default: the scenario's observed.file)\n"
    "  --x COL, --y COL  its columns\n"
    "  --bass            fit the Bass model too (or alone, without a scenario)\n"
    "  -o, --out DIR     output folder\n"
    "  -r, -s, -t, --set as for waggle run (runs and seed of every candidate)\n"
    "  -q, --quiet       no progress lines\n"
    "  --progress        accepted for symmetry with run (fit prints a line per iteration)\n"
    "\n"
    "exit status: 0 done, 1 runtime failure, 2 bad input (nothing written)\n";

enum { OPT_OBSERVED = 1, OPT_FIT, OPT_X, OPT_Y, OPT_BASS };
static const wg_cmd_option fit_options[] = {
    {"observed", 0, 1, OPT_OBSERVED}, {"fit", 0, 1, OPT_FIT}, {"x", 0, 1, OPT_X},
    {"y", 0, 1, OPT_Y},               {"bass", 0, 0, OPT_BASS}, {NULL, 0, 0, 0}};

static void fit_option(void *ud, int id, const char *arg, wg_diag *d)
{
    (void)d;
    wg_fit_params *p = ud;
    switch (id) {
    case OPT_OBSERVED: p->observed = arg; break;
    case OPT_FIT: p->fit = arg; break;
    case OPT_X: p->x = arg; break;
    case OPT_Y: p->y = arg; break;
    case OPT_BASS: p->bass = 1; break;
    }
}

int wg_cmd_fit(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts o;
    wg_fit_params p;
    wg_fit_params_default(&p);
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_RUNLIKE, fit_options, fit_option, &p, 0, 1,
                                "scenario file", &o, &d);
    if (st == WG_OK && !o.scenario && (o.nsets || o.threads))
        wg_diag_error(&d, st = WG_EINPUT, "-r, -s, -t and --set need a scenario (see --help)");
    if (st == WG_OK && o.scenario && o.scenario[0] == '-' && !o.scenario[1])
        wg_diag_error(&d, st = WG_EINPUT, "fit needs a scenario file, not standard input (it "
                      "writes a calibrated copy of the file)");
    if (st == WG_OK) {
        p.scenario = o.scenario;
        p.sets = o.sets;
        p.nsets = o.nsets;
        p.out_dir = o.out_dir;
        p.threads = o.threads;
        p.quiet = o.quiet;
        p.stop = &wg_cmd_stop;
        p.argc = argc;
        p.argv = argv;
        wg_cmd_signals();
        st = wg_fit_run(&p, &d);
    }
    wg_cmd_opts_free(&o);
    return wg_cmd_report(&d, st);
}
