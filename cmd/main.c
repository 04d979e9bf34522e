/*
 * main.c — the `waggle` command: the table of subcommands, nothing else. Each
 * subcommand lives in cmd/cmd_NAME.c, takes (argc, argv) from its own name on
 * and returns the exit status (0 done, 1 runtime failure, 2 bad input).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
    const char *usage;
} command;

static const command commands[] = {
    {"run", wg_cmd_run, "run a scenario: series, summary and finals as CSV", wg_run_usage},
    {"check", wg_cmd_check, "validate a scenario: every error at once", wg_check_usage},
    {"net", wg_cmd_net, "describe a network: degrees, clustering, components", wg_net_usage},
    {"validate", wg_cmd_validate, "run the validation suite: classic models against theory",
     wg_validate_usage},
    {"compare", wg_cmd_compare, "base and variants with common random numbers: paired differences",
     wg_compare_usage},
    {"fit", wg_cmd_fit, "calibrate keys to an observed series; Bass baseline", wg_fit_usage},
    {"render", wg_cmd_render, "draw the charts of a finished run again from its CSV files",
     wg_render_usage},
    {"brief", wg_cmd_brief, "one HTML page for a manager from a run, compare or sweep folder",
     wg_brief_usage},
    {"sweep", wg_cmd_sweep, "sweep a grid or Sobol design: sweep.csv (threads, MPI, shards)",
     wg_sweep_usage},
    {"merge", wg_cmd_merge, "join the shards of a sweep into one sweep.csv", wg_merge_usage},
    {"optimize", wg_cmd_optimize, "choose K seeds by lazy greedy on common random numbers",
     wg_optimize_usage},
    {"draw", wg_cmd_draw, "draw a traced run on its network: network.png, cascade.gif, strip.png",
     wg_draw_usage},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fputs("waggle " WG_VERSION " — word of mouth, one agent per customer\n\n"
          "usage: waggle COMMAND [options]\n\ncommands:\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\n`waggle COMMAND --help` or `waggle help COMMAND` describes a command. "
          "`waggle --version` prints the version.\n", f);
}

static const command *find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0) return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    wg_malloc_fail_from_env();   /* testing aid: WG_FAIL_ALLOC (docs/ROBUSTNESS.md) */
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        if (argc > 2 && strcmp(argv[1], "help") == 0) {
            const command *c = find(argv[2]);
            if (!c) {
                fprintf(stderr, "waggle: unknown command '%s'\n\n", argv[2]);
                usage(stderr);
                return 2;
            }
            fputs(c->usage, stdout);
            return 0;
        }
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("waggle %s (revision %s)\n", WG_VERSION, wg_git_revision());
        return 0;
    }
    const command *c = find(argv[1]);
    if (!c) {
        fprintf(stderr, "waggle: unknown command '%s'\n\n", argv[1]);
        usage(stderr);
        return 2;
    }
    /* --help anywhere before a lone "--" asks for the command's help */
    for (int j = 2; j < argc && strcmp(argv[j], "--") != 0; j++)
        if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0) {
            fputs(c->usage, stdout);
            return 0;
        }
    return c->main(argc - 1, argv + 1);
}
