/*
 * cmd_brief.c — `waggle brief DIR`: one self-contained HTML page for a manager
 * from a finished run, compare or sweep folder (sim/render/brief.c).
 */
#include <stdlib.h>

#include "cli.h"
#include "waggle/output.h"
#include "waggle/render.h"

const char wg_brief_usage[] =
    "usage: waggle brief DIR [-o FILE]\n"
    "\n"
    "Write one self-contained HTML page for a manager from a finished folder of\n"
    "`waggle run`, `waggle compare` or `waggle sweep` (read from its CSV, manifest.yaml\n"
    "and chart: no simulation). The page, in plain words:\n"
    "  the question     the scenario's about: (or what the folder compares)\n"
    "  the answer       one sentence with its 95 % interval (a run: negative customers\n"
    "                   at the end and the blow-up odds; a compare: the best what-if's\n"
    "                   change against the base and its share of better run pairs; a\n"
    "                   sweep: the settings with the fewest and the most)\n"
    "  the chart        curves.png, compare.png or sweep.png of the folder, inlined\n"
    "  the table        numbers for people (12,400; 54 %), intervals beside them; a\n"
    "                   compare: every what-if's change, saved / lost, worst 5 % of\n"
    "                   runs, blow-up odds and better pairs with their intervals\n"
    "  what was assumed the network, runs, key model settings, the timeline of events\n"
    "  caveats          blow-ups, few runs, stories that died out, a network in pieces\n"
    "  how to reproduce the command, waggle's version and revision, the seed\n"
    "The page needs no script and makes no request (CSS and the chart inline), and\n"
    "prints on one A4 page.\n"
    "\n"
    "options:\n"
    "  -o, --out FILE  write the page to FILE (default DIR/brief.html)\n"
    "\n"
    "The folder is locked while it is read, as `waggle render` locks it; the page is\n"
    "written atomically (a temporary name, then renamed).\n"
    "\n"
    "exit status: 0 done, 1 runtime failure, 2 bad input (not such a folder, a missing\n"
    "or malformed file: nothing is written)\n";

int wg_cmd_brief(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts co;
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_OUT, NULL, NULL, NULL, 1, 1, "folder", &co, &d);
    if (st == WG_OK) {
        wg_outdir od;
        if ((st = wg_outdir_lock(&od, co.args[0], &d)) == WG_OK) {
            st = wg_brief_write(co.args[0], co.out_dir, &d);
            wg_outdir_close(&od, &d);
        }
    }
    if (st == WG_OK && !co.quiet)
        fprintf(stderr, "waggle: wrote %s%s\n", co.out_dir ? co.out_dir : co.args[0],
                co.out_dir ? "" : "/brief.html");
    wg_cmd_opts_free(&co);
    return wg_cmd_report(&d, st);
}
