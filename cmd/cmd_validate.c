/*
 * cmd_validate.c — `waggle validate`: the validation suite (sim/study/validate.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waggle/validate.h"

const char wg_validate_usage[] =
    "usage: waggle validate [--quick] [--csv FILE] [-t THREADS] [--share-error F]\n"
    "\n"
    "Run the validation suite: every classic model as a setting of waggle's model\n"
    "(SIR, Bass, Maki-Thompson, independent cascade, IC-N, SIS, Goldenberg's bad news),\n"
    "simulated and compared with theory computed by the suite. Prints the table\n"
    "(model, reference, quantity, theory, simulated mean, standard error, tolerance,\n"
    "z, pass/fail); a check passes when |z| < 4, z = (simulated - theory) /\n"
    "sqrt(se^2 + tolerance^2), the tolerance being non-zero only where the theory is\n"
    "a limit (large N, small share). Fixed seeds: the same table on any thread count.\n"
    "\n"
    "options:\n"
    "  --quick            smaller networks and fewer runs (seconds; the test suite's size)\n"
    "  --csv FILE         also write the table as CSV: model,reference,quantity,theory,\n"
    "                     simulated,se,tolerance,z,pass,runs\n"
    "  -t, --threads N    engine threads (default: all cores)\n"
    "  --share-error F    multiply every simulated share by 1 + F, theory unchanged\n"
    "                     (e.g. 0.1: shows that the checks catch a 10 % error)\n"
    "\n"
    "exit status: 0 every check passed, 1 a check failed (or a runtime failure),\n"
    "2 bad option\n";

static int parse_number(const char *opt, const char *s, double lo, double hi, double *out,
                        wg_diag *d)
{
    char *end;
    double v = s ? strtod(s, &end) : 0;
    if (!s || end == s || *end || !(v >= lo && v <= hi)) {
        wg_diag_error(d, WG_EINPUT, "option %s: expected a number from %g to %g, got '%s'", opt,
                      lo, hi, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

typedef struct validate_args {
    wg_validate_opts o;
    const char *csv;
} validate_args;

enum { OPT_QUICK = 1, OPT_CSV, OPT_SHARE_ERROR };
static const wg_cmd_option validate_options[] = {
    {"quick", 0, 0, OPT_QUICK}, {"csv", 0, 1, OPT_CSV}, {"share-error", 0, 1, OPT_SHARE_ERROR},
    {NULL, 0, 0, 0}};

static void validate_option(void *ud, int id, const char *arg, wg_diag *d)
{
    validate_args *a = ud;
    if (id == OPT_QUICK) a->o.quick = 1;
    else if (id == OPT_CSV) a->csv = arg;
    else if (id == OPT_SHARE_ERROR) parse_number("--share-error", arg, -0.5, 1.0, &a->o.share_error, d);
}

int wg_cmd_validate(int argc, char **argv)
{
    validate_args a = {{0, 0, 0.0}, NULL};
    wg_validate_table t = {0};
    wg_cmd_opts co;
    wg_diag d;
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_THREADS, validate_options, validate_option, &a,
                                0, 0, "argument", &co, &d);
    a.o.threads = co.threads;
    wg_cmd_opts_free(&co);
    if (st == WG_OK) st = wg_validate_run(&a.o, &t, &d);
    if (st == WG_OK) {
        wg_validate_print(&t, stdout);
        fflush(stdout);
        if (a.csv) st = wg_validate_save_csv(&t, a.csv, &d);
    }
    int bad = st == WG_OK && wg_validate_failures(&t) > 0;
    wg_diag_print(&d, stderr);
    wg_diag_free(&d);
    wg_validate_table_free(&t);
    if (st != WG_OK) return wg_status_exit(st);
    return bad ? 1 : 0;
}
