/*
 * cmd_draw.c — `waggle draw DIR`: pictures of one traced run of a finished
 * run folder on its network (sim/render/draw.c); the network is built again
 * from the scenario in the folder's manifest (wg_job).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waggle/graph.h"
#include "waggle/job.h"
#include "waggle/output.h"
#include "waggle/render.h"

const char wg_draw_usage[] =
    "usage: waggle draw DIR [--run R|median|p05|p95|max] [--step T] [--layout fr|kk|drl]\n"
    "                       [--size WxH] [--dpi N] [--quiet]\n"
    "\n"
    "Draw one traced run of the run folder DIR (made by `waggle run` with --trace or\n"
    "trace:) on its network, built again from the scenario in DIR/manifest.yaml:\n"
    "  network.png   the agents coloured by their state at step T (default: the last),\n"
    "                sized by degree, seeds ringed, who told whom as coloured edges; the\n"
    "                run's curves beside it with a marker at T\n"
    "  cascade.gif   one frame a step (half the size): the network, the curves with a\n"
    "                moving marker, the step and the counts of series.csv on every frame\n"
    "  strip.png     six moments of the cascade, three by two, for print\n"
    "  layout.csv    the layout (igraph: Fruchterman-Reingold up to 3000 drawn agents,\n"
    "                DrL above), agent,id,x,y; reused by the next draw, refused when it is\n"
    "                the layout of a different network\n"
    "Above 100000 agents only the agents the run reached and their parents are drawn.\n"
    "Run the command from the folder the run was made in: the scenario's network file is\n"
    "read where the run read it.\n"
    "\n"
    "options:\n"
    "  --run R        the traced run to draw: an index, or median, p05, p95, max of the\n"
    "                 final reach (the run finals.png's quantile points at); default: the\n"
    "                 traced run of the smallest index\n"
    "  --step T       network.png's step (default: the last)\n"
    "  --layout K     fr (Fruchterman-Reingold), kk (Kamada-Kawai) or drl; a layout.csv of\n"
    "                 another kind is replaced\n"
    WG_CMD_CHART_HELP
    "  -q, --quiet    no closing line\n"
    "\n"
    "exit status: 0 done, 1 runtime failure (memory, disk, interrupted), 2 bad input (no\n"
    "trace, a run that was not traced, a layout or trace of a different network)\n";

enum { OPT_RUN = 1, OPT_STEP, OPT_LAYOUT };
static const wg_cmd_option draw_options[] = {{"run", 0, 1, OPT_RUN},
                                             {"step", 0, 1, OPT_STEP},
                                             {"layout", 0, 1, OPT_LAYOUT},
                                             WG_CMD_CHART_OPTIONS,
                                             {NULL, 0, 0, 0}};

static int whole(const char *v, long max, long *out)
{
    char *end;
    if (!*v || *v == '-' || *v == '+') return 0;
    long x = strtol(v, &end, 10);
    if (*end || x < 0 || x > max) return 0;
    *out = x;
    return 1;
}

static void draw_option(void *ud, int id, const char *v, wg_diag *d)
{
    wg_draw_opts *o = ud;
    if (wg_cmd_chart_option(&o->render, id, v, d)) return;
    if (id == OPT_RUN) {
        int k = wg_name_index(wg_trace_which_names, v);
        if (k > 0) {
            o->which = k;
        } else if (!whole(v, 4294967294L, &o->run)) {
            wg_diag_error(d, WG_EINPUT, "--run %s: expected a run index or median, p05, p95, max",
                          v);
        }
    } else if (id == OPT_STEP) {
        if (!whole(v, 100000000L, &o->step))
            wg_diag_error(d, WG_EINPUT, "--step %s: expected a step (a whole number from 0)", v);
    } else if (id == OPT_LAYOUT) {
        if ((o->layout = wg_name_index(wg_layout_names, v)) < 0)
            wg_diag_error(d, WG_EINPUT, "--layout %s: expected fr, kk or drl", v);
    }
}

int wg_cmd_draw(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts co;
    wg_draw_opts o;
    wg_job *j = NULL;
    wg_draw_opts_default(&o);
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_QUIET, draw_options, draw_option, &o, 1, 1,
                                "run folder", &co, &d);
    if (st != WG_OK) goto done;
    const char *dir = co.args[0];
    if ((st = wg_job_open_folder(dir, &j, &d)) != WG_OK) goto done;
    if ((st = wg_job_build_network(j, &d)) != WG_OK) goto done;
    o.seed = wg_job_scenario(j)->seed;
    wg_cmd_signals();
    o.stop = &wg_cmd_stop;
    wg_outdir od;
    if ((st = wg_outdir_add(&od, dir, &d)) != WG_OK) goto done;
    wg_draw_report rep;
    st = wg_draw(dir, wg_job_graph(j), &o, &rep, &d);
    wg_status cs = wg_outdir_close(&od, &d);
    if (st == WG_OK) st = cs;
    if (st == WG_OK && !co.quiet)
        fprintf(stderr, "waggle: run %u, %u steps, %u of %u agents drawn (layout %s); wrote "
                "%s/network.%s, strip.%s, cascade.gif\n", rep.run, rep.steps, rep.drawn,
                wg_job_graph(j)->n, rep.layout_reused ? "reused" : "made", dir,
                wg_render_format_names[o.render.format], wg_render_format_names[o.render.format]);
    wg_draw_report_free(&rep);
done:
    wg_job_free(j);
    wg_cmd_opts_free(&co);
    return wg_cmd_report(&d, st);
}
