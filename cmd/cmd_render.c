/*
 * cmd_render.c — `waggle render DIR`: draw a finished folder's charts again
 * from its files (sim/render/).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waggle/output.h"
#include "waggle/render.h"

const char wg_render_usage[] =
    "usage: waggle render DIR [--size WxH] [--dpi N]\n"
    "\n"
    "Draw again the charts of a finished run from the files in DIR (series.csv,\n"
    "summary.csv, finals.csv, observed.csv, manifest.yaml): no simulation.\n"
    "  curves.png    reach of each valence over time: median, p25-p75 and p05-p95 bands,\n"
    "                observed points when the scenario has `observed:`\n"
    "  states.png    share of agents in each state over time, in the median run\n"
    "  finals.png    final negative reach of every run, blow-ups marked (positive reach\n"
    "                and take-offs with blowup.valence: positive)\n"
    "  compare.png   for a folder of `waggle compare` (with compare.csv): base and\n"
    "                variants, and the paired differences with their intervals\n"
    "  sweep.png     for a folder of `waggle sweep` (with sweep.csv): reach against one\n"
    "                swept key, or a heat map over two\n"
    "With the default size and dpi the files are byte for byte those the run wrote.\n"
    "\n"
    "options:\n"
    WG_CMD_CHART_HELP
    "\n"
    "exit status: 0 done, 1 runtime failure, 2 bad input (missing or malformed files)\n";

static const wg_cmd_option render_options[] = {WG_CMD_CHART_OPTIONS, {NULL, 0, 0, 0}};

static void render_option(void *ud, int id, const char *v, wg_diag *d)
{
    wg_cmd_chart_option(ud, id, v, d);
}

int wg_cmd_render(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts co;
    wg_render_opts o = {0, 0, 0, NULL, 0};
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, 0, render_options, render_option, &o, 1, 1, "folder",
                                &co, &d);
    if (st == WG_OK) {
        wg_outdir od;
        wg_cmd_signals();   /* Ctrl-C: stops between charts, each chart whole or not written */
        if ((st = wg_outdir_lock(&od, co.args[0], &d)) == WG_OK) {
            st = wg_render_folder(co.args[0], &o, &d);
            wg_outdir_close(&od, &d);
        }
    }
    wg_cmd_opts_free(&co);
    return wg_cmd_report(&d, st);
}
