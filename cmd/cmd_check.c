/*
 * cmd_check.c — `waggle check`: validate a scenario, every error at once.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waggle/compare.h"
#include "waggle/job.h"

const char wg_check_usage[] =
    "usage: waggle check SCENARIO [--set KEY=VALUE]... [--network]\n"
    "\n"
    "Validate a scenario without running it: every error at once, each with its file,\n"
    "line, column and key. With --network the network is also built (or read) and the\n"
    "picks of the timeline are checked against it.\n"
    "\n"
    "options:\n"
    "  --network          build (or read) the network and check the picks against it\n"
    "  -r, -s, --set      as `waggle run` (checked as the run would see them)\n"
    "  -q, --quiet        accepted, as for run\n"
    "SCENARIO may be - for standard input.\n"
    "\n"
    "exit status: 0 valid, 2 errors found, 1 runtime failure\n";


enum { OPT_NETWORK = 1 };
static const wg_cmd_option check_options[] = {{"network", 0, 0, OPT_NETWORK}, {NULL, 0, 0, 0}};

static void check_option(void *ud, int id, const char *arg, wg_diag *d)
{
    (void)arg;
    (void)d;
    if (id == OPT_NETWORK) *(int *)ud = 1;
}

int wg_cmd_check(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts o;
    wg_job *j = NULL;
    int network = 0;
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_SET | WG_OPT_RUNS | WG_OPT_SEED | WG_OPT_QUIET, check_options, check_option, &network,
                                1, 1, "scenario file", &o, &d);
    if (st == WG_OK) st = wg_job_open(o.scenario, o.sets, o.nsets, &j, &d);
    if (st == WG_OK && network) st = wg_job_prepare(j, &d);
    if (st == WG_OK) {
        const wg_scenario *s = wg_job_scenario(j);
        printf("%s: valid (%s: %u steps, %u runs, %zu events, %zu variants)\n", o.scenario,
               s->name, s->steps, s->runs, s->nevents, s->nvariants);
    } else if (st == WG_EINPUT)
        fprintf(stderr, "%s: %zu error%s\n", o.scenario ? o.scenario : "waggle", d.errors,
                d.errors == 1 ? "" : "s");
    wg_job_free(j);
    wg_cmd_opts_free(&o);
    return wg_cmd_report(&d, st);
}
