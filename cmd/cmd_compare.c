/*
 * cmd_compare.c — `waggle compare SCENARIO`: the base scenario and every
 * variant, run with common random numbers, compared run by run (the study is
 * sim/study/whatif.c).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waggle/whatif.h"

const char wg_compare_usage[] =
    "usage: waggle compare SCENARIO [-o DIR] [-r RUNS] [-s SEED] [-t THREADS] "
    "[--set KEY=VALUE]... [--quiet]\n"
    "\n"
    "Run the base scenario and each of its variants with common random numbers (run r\n"
    "of every arm uses the same keyed draws) and compare them run by run. Writes into\n"
    "DIR (default out/<scenario name>-compare):\n"
    "  compare.csv   variant,metric,base_mean,variant_mean,diff_mean,diff_lo,diff_hi,p_better,\n"
    "                p_better_lo,p_better_hi\n"
    "                metrics reach_positive, reach_negative, peak_critics, sentiment (last\n"
    "                step) and blowup; diff = variant - base per run pair, 95 % t interval;\n"
    "                p_better: share of run pairs where the variant does better (ties: half)\n"
    "                with its Wilson 95 % interval; then reach_negative_p95 (the two 95th\n"
    "                percentiles, their difference, keyed bootstrap interval), saved and\n"
    "                lost (per run pair: agents negative in the base's run and not in the\n"
    "                variant's, and the reverse; mean and 95 % t interval)\n"
    "  compare-series.csv  variant,step,metric,diff_mean,diff_lo,diff_hi: the paired\n"
    "                difference at every step (critics, reach_positive, reach_negative,\n"
    "                new_negative, sentiment)\n"
    "  blowup.csv    variant,folder,threshold,agents_over,runs,blowups,share,lo,hi\n"
    "                share of runs whose negative reach (positive with blowup.valence:\n"
    "                positive) exceeds blowup.threshold x agents,\n"
    "                with its Wilson 95 % interval\n"
    "  compare.png   medians of base and variants, paired differences with intervals\n"
    "  base/, <variant>/   each arm's series.csv, summary.csv, finals.csv, manifest.yaml\n"
    "                and charts\n"
    "  manifest.yaml\n"
    "\n"
    "options: as `waggle run` (-o, -r, -s, -t, --set applies to the base and every variant,\n"
    "-q/--quiet: no progress bar and no table on standard output, --progress: progress\n"
    "lines in a batch log; SCENARIO may be - for standard input)\n"
    "\n"
    "exit status: 0 done, 1 runtime failure (memory, disk, interrupted), 2 bad input\n";

int wg_cmd_compare(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts o;
    wg_whatif *w = NULL;
    char *out = NULL;
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_RUNLIKE, NULL, NULL, NULL, 1, 1,
                                "scenario file", &o, &d);
    if (st != WG_OK) goto done;
    if ((st = wg_whatif_open(o.scenario, o.sets, o.nsets, &w, &d)) != WG_OK) goto done;
    wg_progress bar;
    wg_job_run_params rp;
    wg_cmd_run_setup(&o, "runs", &bar, &rp);
    st = wg_whatif_run(w, &rp, &d);
    wg_progress_end(&bar);
    if (st != WG_OK) goto done;
    wg_job_write_params wp;
    if ((st = wg_cmd_write_setup(&o, wg_whatif_default_out, argc, argv, &out, &wp, &d)) != WG_OK ||
        (st = wg_whatif_write(w, out, &wp, &d)) != WG_OK)
        goto done;
    if (!o.quiet) {
        wg_whatif_print(w, stdout);
        size_t narms = wg_whatif_arms(w);
        fprintf(stderr, "waggle: base and %zu variant%s × %u runs in %.2f s; wrote %s/\n",
                narms - 1, narms == 2 ? "" : "s", wg_job_scenario(wg_whatif_arm(w, 0))->runs,
                wg_whatif_seconds(w), out);
    }
done:
    free(out);
    wg_whatif_free(w);
    wg_cmd_opts_free(&o);
    return wg_cmd_report(&d, st);
}
