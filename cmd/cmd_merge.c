/*
 * cmd_merge.c — `waggle merge DIR...`: join the shards of a sweep
 * (sim/study/sweep.c, wg_sweep_merge).
 */
#include "cli.h"
#include "waggle/sweep.h"

const char wg_merge_usage[] =
    "usage: waggle merge DIR... [-o OUT]\n"
    "\n"
    "Join the shards of a sweep (the folders written by `waggle sweep --shard K/N`) into\n"
    "OUT/sweep.csv (default out/merged), byte for byte the file one unsharded sweep\n"
    "writes, and OUT/manifest.yaml (the first shard's, marked as the whole sweep).\n"
    "Refused (exit 2, nothing written): shards of different scenarios or seeds, a shard\n"
    "given twice, a missing shard, or a shard folder without a finished sweep.\n"
    "\n"
    "options:\n"
    "  -o, --out OUT    output folder (default out/merged)\n"
    "\n"
    "exit status: 0 done, 1 runtime failure (memory, disk), 2 bad input\n";

int wg_cmd_merge(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts o;
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_OUT, NULL, NULL, NULL, 1, -1,
                                "shard folders", &o, &d);
    wg_cmd_signals();   /* Ctrl-C: stops while writing, leaves no merged files */
    if (st == WG_OK) st = wg_sweep_merge(o.args, o.nargs, o.out_dir, &d);
    wg_cmd_opts_free(&o);
    return wg_cmd_report(&d, st);
}
