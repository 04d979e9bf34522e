/*
 * cli.c — argv parsing (getopt_long), the progress bar, the interrupt flag and
 * the exit status, shared by the commands of cmd/ (cli.h).
 *
 * getopt_long permutes the array it parses, so it is given a copy: the command
 * line recorded in manifests and PNG text stays as the user typed it.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "waggle/render.h"

volatile sig_atomic_t wg_cmd_stop = 0;

static void on_signal(int sig)
{
    (void)sig;
    wg_cmd_stop = 1;
}

void wg_cmd_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    wg_stop_watch(&wg_cmd_stop);   /* the writers and the charts poll it too */
}

int wg_cmd_report(wg_diag *d, wg_status st)
{
    wg_diag_print(d, stderr);
    wg_diag_free(d);
    return wg_status_exit(st);
}

/* ---- progress bar ------------------------------------------------------------- */

#define WG_BAR_WIDTH 30

void wg_progress_init(wg_progress *p, const char *what, const wg_cmd_opts *o)
{
    const int tty = isatty(STDERR_FILENO);
    p->enabled = o->quiet ? 0 : tty ? 1 : o->progress ? 2 : 0;
    p->what = what;
    p->start = p->last_line = wg_now_seconds();
    p->drawn = 0;
}

void wg_progress_update(void *ud, uint64_t done, uint64_t total)
{
    wg_progress *p = ud;
    if (!p || !p->enabled || total == 0) return;
    const double now = wg_now_seconds(), el = now - p->start;
    double rate = el > 0 ? done / el : 0;
    double left = rate > 0 ? (total - done) / rate : 0;
    if (p->enabled == 2) {
        if (done < total && now - p->last_line < WG_PROGRESS_LINE_SECONDS) return;
        p->last_line = now;
        fprintf(stderr, "waggle: %llu/%llu %s, %.1f %s/s, %d:%02d elapsed, %d:%02d left\n",
                (unsigned long long)done, (unsigned long long)total, p->what, rate, p->what,
                (int)(el / 60), (int)fmod(el, 60), (int)(left / 60), (int)fmod(left, 60));
        fflush(stderr);
        return;
    }
    int fill = (int)(WG_BAR_WIDTH * (double)done / total);
    char bar[WG_BAR_WIDTH + 1];
    for (int i = 0; i < WG_BAR_WIDTH; i++) bar[i] = i < fill ? '#' : '.';
    bar[WG_BAR_WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %llu/%llu %s  %.1f %s/s  %d:%02d left ", bar,
            (unsigned long long)done, (unsigned long long)total, p->what, rate, p->what,
            (int)(left / 60), (int)fmod(left, 60));
    fflush(stderr);
    p->drawn = 1;
}

void wg_progress_end(wg_progress *p)
{
    if (p->enabled == 1 && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

void wg_cmd_run_setup(const wg_cmd_opts *o, const char *what, wg_progress *bar,
                      wg_job_run_params *rp)
{
    wg_cmd_signals();
    wg_progress_init(bar, what, o);
    wg_job_run_params_default(rp);
    rp->threads = o->threads;
    rp->progress = wg_progress_update;
    rp->progress_ud = bar;
    rp->stop = &wg_cmd_stop;
}

wg_status wg_cmd_write_setup(const wg_cmd_opts *o, char *(*default_out)(const char *),
                             int argc, char **argv, char **out, wg_job_write_params *wp,
                             wg_diag *d)
{
    *out = o->out_dir ? wg_strdup(o->out_dir) : default_out(o->scenario);
    if (!*out) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: the output folder's name");
        return WG_ENOMEM;
    }
    wg_job_write_params_default(wp);
    wp->argc = argc;
    wp->argv = argv;
    return WG_OK;
}

/* ---- options ------------------------------------------------------------------- */

wg_status wg_cmd_add_set(wg_cmd_opts *o, const char *kv, wg_diag *d)
{
    const char **s = wg_realloc(o->sets, o->nsets + 1, sizeof *s);
    char *c = s ? wg_strdup(kv) : NULL;
    if (!c) {
        if (s) o->sets = s;
        wg_diag_error(d, WG_ENOMEM, "out of memory storing the option --set %s", kv);
        return WG_ENOMEM;
    }
    o->sets = s;
    o->sets[o->nsets++] = c;
    return WG_OK;
}

/* NAME, then NAME.yaml, in folder dir (len bytes of it): a new path, or NULL. */
static char *scenario_in(const char *dir, size_t len, const char *name)
{
    static const char *const ext[] = {"", ".yaml"};
    for (int i = 0; i < 2; i++) {
        size_t n = len + strlen(name) + strlen(ext[i]) + 2;
        char *p = wg_malloc(n, 1);
        if (!p) return NULL;
        snprintf(p, n, "%.*s/%s%s", (int)len, dir, name, ext[i]);
        struct stat sb;
        if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) return p;
        free(p);
    }
    return NULL;
}

char *wg_cmd_find_scenario(const char *arg)
{
    struct stat sb;
    if (!strcmp(arg, "-") || stat(arg, &sb) == 0 || strchr(arg, '/') || !*arg) return NULL;
    const char *env = getenv("WAGGLE_SCENARIOS");
    for (const char *p = env; p && *p;) {
        size_t len = strcspn(p, ":");
        char *found = len ? scenario_in(p, len, arg) : NULL;
        if (found) return found;
        p += len + (p[len] == ':');
    }
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0) return NULL;
    exe[k] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return NULL;
    *slash = '\0';   /* PREFIX/bin */
    char share[PATH_MAX + 32];
    int n = snprintf(share, sizeof share, "%s/../share/waggle/scenarios", exe);
    return n > 0 && (size_t)n < sizeof share ? scenario_in(share, (size_t)n, arg) : NULL;
}

void wg_cmd_opts_free(wg_cmd_opts *o)
{
    free(o->found);
    o->found = NULL;
    for (size_t i = 0; i < o->nsets; i++) free((char *)o->sets[i]);
    free(o->sets);
    free(o->args);
    o->sets = NULL;
    o->args = NULL;
    o->nsets = o->nargs = 0;
}

/* ids of the common options in the getopt table; a command's own ids are offset */
enum { ID_OUT = 1, ID_RUNS, ID_SEED, ID_THREADS, ID_SET, ID_QUIET, ID_PROGRESS, ID_EXTRA = 256 };

typedef struct common_option {
    unsigned bit;
    const char *name;
    char short_name;
    int has_arg;
    int id;
} common_option;

static const common_option commons[] = {
    {WG_OPT_OUT, "out", 'o', 1, ID_OUT},
    {WG_OPT_RUNS, "runs", 'r', 1, ID_RUNS},
    {WG_OPT_SEED, "seed", 's', 1, ID_SEED},
    {WG_OPT_THREADS, "threads", 't', 1, ID_THREADS},
    {WG_OPT_SET, "set", 0, 1, ID_SET},
    {WG_OPT_QUIET, "quiet", 'q', 0, ID_QUIET},
    {WG_OPT_PROGRESS, "progress", 0, 0, ID_PROGRESS},
};
#define NCOMMONS (sizeof commons / sizeof commons[0])

/* The option as the user wrote it, for messages: "-r" or "--runs". */
static void option_label(char *buf, size_t cap, const char *arg)
{
    size_t n = strcspn(arg, "=");
    if (arg[0] == '-' && arg[1] != '-' && arg[1]) n = 2;
    if (n >= cap) n = cap - 1;
    memcpy(buf, arg, n);
    buf[n] = '\0';
}

static wg_status take_common(wg_cmd_opts *o, int id, const char *label, const char *arg,
                             wg_diag *d)
{
    char buf[64];
    switch (id) {
    case ID_OUT:
        o->out_dir = arg;
        return WG_OK;
    case ID_RUNS:
    case ID_SEED:
        if (strlen(arg) > 40) {
            wg_diag_error(d, WG_EINPUT, "option %s: value too long", label);
            return WG_EINPUT;
        }
        snprintf(buf, sizeof buf, "%s=%s", id == ID_RUNS ? "runs" : "seed", arg);
        return wg_cmd_add_set(o, buf, d);
    case ID_THREADS: {
        char *end;
        errno = 0;
        long t = strtol(arg, &end, 10);
        if (errno || end == arg || *end || t < 1 || t > 4096) {
            wg_diag_error(d, WG_EINPUT, "option -t: expected a number of threads from 1 to "
                          "4096, got '%s'", arg);
            return WG_EINPUT;
        }
        o->threads = (int)t;
        return WG_OK;
    }
    case ID_SET:
        if (!strchr(arg, '=')) {
            wg_diag_error(d, WG_EINPUT, "--set %s: expected KEY=VALUE", arg);
            return WG_EINPUT;
        }
        return wg_cmd_add_set(o, arg, d);
    case ID_QUIET:
        o->quiet = 1;
        return WG_OK;
    case ID_PROGRESS:
        o->progress = 1;
        return WG_OK;
    }
    return WG_OK;
}

wg_status wg_cmd_parse(int argc, char **argv, unsigned common, const wg_cmd_option *extra,
                       wg_cmd_option_fn fn, void *ud, int min_args, int max_args,
                       const char *what_args, wg_cmd_opts *o, wg_diag *d)
{
    memset(o, 0, sizeof *o);
    o->argc = argc;
    o->argv = argv;
    size_t nextra = 0;
    while (extra && extra[nextra].name) nextra++;
    struct option *lo = wg_calloc(NCOMMONS + nextra + 1, sizeof *lo);
    char *shorts = wg_malloc(3 * (NCOMMONS + nextra) + 3, 1);
    char **av = wg_calloc((size_t)argc + 1, sizeof *av);
    o->args = wg_calloc((size_t)argc + 1, sizeof *o->args);
    wg_status st = WG_OK;
    if (!lo || !shorts || !av || !o->args) {
        wg_diag_error(d, st = WG_ENOMEM, "out of memory parsing the command line");
        goto done;
    }
    size_t nl = 0, ns = 0;
    shorts[ns++] = ':';   /* a missing value is reported as ':', not '?' */
    for (size_t i = 0; i < NCOMMONS; i++) {
        if (!(common & commons[i].bit)) continue;
        lo[nl++] = (struct option){commons[i].name, commons[i].has_arg ? required_argument
                                                                       : no_argument,
                                   NULL, commons[i].short_name ? commons[i].short_name
                                                               : commons[i].id};
        if (commons[i].short_name) {
            shorts[ns++] = commons[i].short_name;
            if (commons[i].has_arg) shorts[ns++] = ':';
        }
    }
    for (size_t i = 0; i < nextra; i++) {
        lo[nl++] = (struct option){extra[i].name, extra[i].has_arg ? required_argument
                                                                   : no_argument,
                                   NULL, extra[i].short_name ? extra[i].short_name
                                                             : ID_EXTRA + (int)i};
        if (extra[i].short_name) {
            shorts[ns++] = extra[i].short_name;
            if (extra[i].has_arg) shorts[ns++] = ':';
        }
    }
    shorts[ns] = '\0';
    for (int i = 0; i < argc; i++) av[i] = argv[i];
    opterr = 0;
    optind = 0;   /* GNU: start over (a process may parse more than once: tests) */
    for (;;) {
        int prev = optind ? optind : 1;
        int c = getopt_long(argc, av, shorts, lo, NULL);
        if (c == -1) break;
        const char *written = prev < argc ? av[prev] : "";
        char label[64];
        option_label(label, sizeof label, written);
        if (c == '?') {
            if (optopt > ' ' && optopt < 127 && written[0] == '-' && written[1] != '-')
                wg_diag_error(d, st = WG_EINPUT, "unknown option '-%c' (see --help)", optopt);
            else
                wg_diag_error(d, st = WG_EINPUT, "unknown option '%s' (see --help)", label);
            goto done;
        }
        if (c == ':') {
            wg_diag_error(d, st = WG_EINPUT, "option %s needs a value", label);
            goto done;
        }
        int id = 0;
        for (size_t i = 0; i < NCOMMONS && !id; i++)
            if ((common & commons[i].bit) &&
                c == (commons[i].short_name ? commons[i].short_name : commons[i].id))
                id = commons[i].id;
        if (id) {
            if ((st = take_common(o, id, label, optarg, d)) != WG_OK) goto done;
        } else {
            for (size_t i = 0; i < nextra; i++)
                if (c == (extra[i].short_name ? extra[i].short_name : ID_EXTRA + (int)i))
                    fn(ud, extra[i].id, optarg, d);
        }
        if (d->errors) {
            st = d->status ? d->status : WG_EINPUT;
            goto done;
        }
    }
    for (int i = optind; i < argc; i++) o->args[o->nargs++] = av[i];
    if (o->nargs > 0) o->scenario = o->args[0];
    /* a scenario given by name: $WAGGLE_SCENARIOS, then the installed folder */
    if (o->nargs > 0 && strstr(what_args, "scenario") && (o->found = wg_cmd_find_scenario(o->args[0])))
        o->scenario = o->args[0] = o->found;
    if ((int)o->nargs < min_args) {
        wg_diag_error(d, st = WG_EINPUT, "no %s given (see --help)", what_args);
        goto done;
    }
    if (max_args >= 0 && (int)o->nargs > max_args) {
        wg_diag_error(d, st = WG_EINPUT, "unexpected argument '%s' (one %s at a time)",
                      o->args[max_args], what_args);
        goto done;
    }
done:
    free(lo);
    free(shorts);
    free(av);
    return st;
}

/* ---- the options of the commands that draw -------------------------------------------------- */

static int parse_size(const char *s, wg_render_opts *o)
{
    char *end;
    long w = strtol(s, &end, 10);
    if (*end != 'x' && *end != 'X') return 0;
    long h = strtol(end + 1, &end, 10);
    if (*end || w < 200 || h < 150 || w > 20000 || h > 20000) return 0;
    o->width = (int)w;
    o->height = (int)h;
    return 1;
}

int wg_cmd_chart_option(wg_render_opts *o, int id, const char *v, wg_diag *d)
{
    char *end;
    if (id == WG_CMD_OPT_SIZE) {
        if (!parse_size(v, o))
            wg_diag_error(d, WG_EINPUT, "--size %s: expected WIDTHxHEIGHT in pixels, from 200x150 "
                          "to 20000x20000", v);
        return 1;
    }
    if (id == WG_CMD_OPT_DPI) {
        if ((o->dpi = strtod(v, &end), *end || !(o->dpi >= 24 && o->dpi <= 1200)))
            wg_diag_error(d, WG_EINPUT, "--dpi %s: expected a number from 24 to 1200", v);
        return 1;
    }
    if (id == WG_CMD_OPT_FORMAT) {
        if ((o->format = wg_name_index(wg_render_format_names, v)) < 0)
            wg_diag_error(d, WG_EINPUT, "--format %s: expected png, pdf or svg", v);
        return 1;
    }
    return 0;
}
