/*
 * cli.h — what the commands of cmd/ share (private to the command, never
 * included by the library): parsing argv with getopt_long, the progress bar,
 * the interrupt flag, and reporting diagnostics as an exit status.
 *
 * cmd/ is the only place that reads argv. Every command declares which of the
 * common options it takes (-o, -r, -s, -t, --set, -q) and its own; anything else
 * is refused with "unknown option". GNU forms work: --out=DIR, -r2, options
 * after the scenario.
 */
#ifndef WAGGLE_CMD_CLI_H
#define WAGGLE_CMD_CLI_H

#include <signal.h>
#include "waggle/common.h"
#include "waggle/engine.h"
#include "waggle/job.h"

/* The common options a command takes (a bit set). */
enum {
    WG_OPT_OUT = 1 << 0,      /* -o, --out DIR */
    WG_OPT_RUNS = 1 << 1,     /* -r, --runs N (as --set runs=N) */
    WG_OPT_SEED = 1 << 2,     /* -s, --seed N (as --set seed=N) */
    WG_OPT_THREADS = 1 << 3,  /* -t, --threads N */
    WG_OPT_SET = 1 << 4,      /* --set KEY=VALUE */
    WG_OPT_QUIET = 1 << 5,    /* -q, --quiet */
    WG_OPT_PROGRESS = 1 << 6, /* --progress: progress lines on a non-terminal (batch logs) */
    WG_OPT_RUNLIKE = 0x7f     /* all of them */
};

/* A command's own option: long name, short letter (0: none), whether it takes a
 * value, and the id passed to the command's handler. */
typedef struct wg_cmd_option {
    const char *name;
    char short_name;
    int has_arg;
    int id;
} wg_cmd_option;

/* Called for each of a command's own options; reports bad values into d. */
typedef void (*wg_cmd_option_fn)(void *ud, int id, const char *arg, wg_diag *d);

/* What was parsed. */
typedef struct wg_cmd_opts {
    const char *out_dir;      /* -o, or NULL */
    int threads;              /* -t; 0: OpenMP's default */
    int quiet;                /* -q */
    int progress;             /* --progress */
    const char **sets;        /* --set KEY=VALUE, plus -r/-s turned into runs=/seed= */
    size_t nsets;
    const char **args;        /* positional arguments, in order */
    size_t nargs;
    const char *scenario;     /* args[0] when there is one (a scenario found by name: its path) */
    char *found;              /* the path of a scenario given by name (owned), or NULL */
    int argc;                 /* the command line as given, for manifests */
    char **argv;
} wg_cmd_opts;

/* Parse argv (argv[0] is the command's name) for a command taking the common
 * options `common` and its own `extra` (terminated by a NULL name; may be NULL).
 * At least min_args and at most max_args positional arguments (max_args < 0: any
 * number). Returns WG_OK or WG_EINPUT with a message in d. */
wg_status wg_cmd_parse(int argc, char **argv, unsigned common, const wg_cmd_option *extra,
                       wg_cmd_option_fn fn, void *ud, int min_args, int max_args,
                       const char *what_args, wg_cmd_opts *o, wg_diag *d);
void wg_cmd_opts_free(wg_cmd_opts *o);
/* The path of the scenario named `arg` (newly allocated), NULL when it names
 * none: arg itself when it is "-" or a file that exists; else, when it holds
 * no slash, NAME or NAME.yaml in each folder of $WAGGLE_SCENARIOS (colon-
 * separated), then in the installed scenarios folder, the command's
 * bin/../share/waggle/scenarios (waggle.1, "SCENARIOS BY NAME"). */
char *wg_cmd_find_scenario(const char *arg);
/* Append an override "KEY=VALUE" to o->sets, after those parsed (an option
 * that stands for a --set, such as run's --trace). */
wg_status wg_cmd_add_set(wg_cmd_opts *o, const char *kv, wg_diag *d);

/* The options of the commands that draw charts (render, draw): their ids, the
 * table entries, and the handler, which fills o and returns 1 for one of them
 * (0: another option). */
enum { WG_CMD_OPT_SIZE = 100, WG_CMD_OPT_DPI, WG_CMD_OPT_FORMAT };
#define WG_CMD_FORMAT_OPTION {"format", 0, 1, WG_CMD_OPT_FORMAT}
#define WG_CMD_CHART_OPTIONS                                                                \
    {"size", 0, 1, WG_CMD_OPT_SIZE}, {"dpi", 0, 1, WG_CMD_OPT_DPI}, WG_CMD_FORMAT_OPTION
#define WG_CMD_FORMAT_HELP                                                                  \
    "  --format F     png (default), pdf or svg: the charts as cairo's PDF or SVG\n"         \
    "                 (vectors, for a deck or a paper; NAME.pdf instead of NAME.png)\n"
#define WG_CMD_CHART_HELP                                                                   \
    "  --size WxH     pixels (default 1600x900)\n"                                            \
    "  --dpi N        text and line scale: 96 is the default, 192 doubles them\n"             \
    WG_CMD_FORMAT_HELP
struct wg_render_opts;
int wg_cmd_chart_option(struct wg_render_opts *o, int id, const char *v, wg_diag *d);

/* Set by SIGINT/SIGTERM once wg_cmd_signals() was called. */
extern volatile sig_atomic_t wg_cmd_stop;
void wg_cmd_signals(void);

/* Progress on stderr: a bar redrawn in place when stderr is a terminal (unless
 * quiet); with --progress on a non-terminal (a batch job's log), one line every
 * WG_PROGRESS_LINE_SECONDS and one at the end. */
#define WG_PROGRESS_LINE_SECONDS 10.0
typedef struct wg_progress {
    int enabled;              /* 1: bar, 2: lines */
    const char *what;         /* "runs", "points" */
    double start;
    double last_line;         /* when the last line was printed */
    int drawn;
} wg_progress;
/* o: the parsed options (quiet, progress). */
void wg_progress_init(wg_progress *p, const char *what, const struct wg_cmd_opts *o);
void wg_progress_update(void *p, uint64_t done, uint64_t total);   /* a wg_progress_fn */
void wg_progress_end(wg_progress *p);

/* What every command that runs jobs sets up before running: SIGINT/SIGTERM
 * caught (wg_cmd_signals), the progress of `what` ("runs", "sets") shown in
 * bar, and rp filled from the options: threads, progress and the stop flag. */
void wg_cmd_run_setup(const struct wg_cmd_opts *o, const char *what, wg_progress *bar,
                      wg_job_run_params *rp);

/* What every command that writes a folder sets up before writing: *out the
 * folder, -o DIR or else default_out(scenario) (malloc'd: the caller frees
 * it), and wp the default write parameters with the command line for the
 * manifest. WG_ENOMEM (said in d) when the name cannot be made. */
wg_status wg_cmd_write_setup(const struct wg_cmd_opts *o, char *(*default_out)(const char *),
                             int argc, char **argv, char **out, wg_job_write_params *wp,
                             wg_diag *d);

/* Print d, free it, and return the exit status of st. */
int wg_cmd_report(wg_diag *d, wg_status st);

/* The commands (one file each), each taking (argc, argv) from its own name on. */
int wg_cmd_run(int argc, char **argv);
int wg_cmd_check(int argc, char **argv);
int wg_cmd_net(int argc, char **argv);
int wg_cmd_compare(int argc, char **argv);
int wg_cmd_fit(int argc, char **argv);
int wg_cmd_sweep(int argc, char **argv);
int wg_cmd_merge(int argc, char **argv);
int wg_cmd_render(int argc, char **argv);
int wg_cmd_validate(int argc, char **argv);
int wg_cmd_optimize(int argc, char **argv);
int wg_cmd_draw(int argc, char **argv);
int wg_cmd_brief(int argc, char **argv);
extern const char wg_run_usage[], wg_check_usage[], wg_net_usage[], wg_compare_usage[],
    wg_fit_usage[], wg_sweep_usage[], wg_merge_usage[], wg_render_usage[], wg_validate_usage[],
    wg_optimize_usage[], wg_draw_usage[], wg_brief_usage[];

#endif
