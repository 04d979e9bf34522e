/*
 * test_install.c — `make install` as a user of the library meets it: the
 * test installs into a temporary PREFIX (and, a second time, into a staging
 * DESTDIR), then builds a small C program that includes <waggle/waggle.h>,
 * opens a scenario text with wg_job_open_text, runs it and prints the final
 * counts, compiled and linked with nothing but `pkg-config --cflags --libs
 * waggle` and run with LD_LIBRARY_PATH on the installed lib/. Its output
 * must be the counts this test computes in-process; it must be linked to
 * libwaggle.so.0 (the soname). The umbrella header must name every
 * installed header, and `make uninstall` must remove every file installed.
 * Runs from the source tree (as `make check` does); BUILD names the build.
 */
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "waggle/waggle.h"
#include "wg_test.h"
#include "../sim/scenario/scenario_impl.h"   /* the scenario's key tables, for waggle-scenario.5 */

#define CMD_MAX 4096
/* snprintf into an array, failing the test if it does not fit */
#define FORMAT(buf, ...) assert_true((size_t)snprintf(buf, sizeof buf, __VA_ARGS__) < sizeof buf)

/* The program a user writes: the API through the umbrella header only. */
static const char program[] =
    "#include <stdio.h>\n"
    "#include <string.h>\n"
    "#include <waggle/waggle.h>\n"
    "\n"
    "int main(int argc, char **argv)\n"
    "{\n"
    "    wg_diag d;\n"
    "    wg_job *job = NULL;\n"
    "    wg_job_run_params p;\n"
    "    uint32_t runs = 0, steps = 0;\n"
    "    wg_diag_init(&d);\n"
    "    wg_job_run_params_default(&p);\n"
    "    if (argc < 2 || wg_job_open_text(argv[1], strlen(argv[1]), \"user.yaml\", \".\", NULL, 0, &job, &d) ||\n"
    "        wg_job_run(job, &p, &d)) {\n"
    "        wg_diag_print(&d, stderr);\n"
    "        return 1;\n"
    "    }\n"
    "    const uint32_t *c = wg_job_series(job, &runs, &steps);\n"
    "    for (uint32_t r = 0; r < runs; r++) {\n"
    "        const uint32_t *row = c + ((size_t)r * steps + steps - 1) * WG_NCOUNTS;\n"
    "        for (int k = 0; k < WG_NCOUNTS; k++) printf(\"%u%c\", row[k], k + 1 < WG_NCOUNTS ? ' ' : '\\n');\n"
    "    }\n"
    "    printf(\"%s\\n\", WG_VERSION);\n"
    "    wg_job_free(job);\n"
    "    wg_diag_free(&d);\n"
    "    return 0;\n"
    "}\n";

/* Watts–Strogatz: the installed library reaches igraph too. */
static const char scenario[] =
    "name: installed\n"
    "steps: 12\n"
    "runs: 4\n"
    "seed: 11\n"
    "network: {generate: watts-strogatz, nodes: 300, neighbours: 3, rewire: 0.1}\n"
    "model: {share: {positive: 0.3, negative: 0.4}, quit: {positive: 0.2, negative: 0.2}}\n"
    "events: [{step: 0, seed: {valence: negative, count: 3, by: random}}]\n";

static char dir[64], root[PATH_MAX], make[CMD_MAX], cflags[64];

/* Run a shell command (printf-style); its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[CMD_MAX];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= sizeof cmd) return -1;
    int rc = system(cmd);
    return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

static int setup(void **state)
{
    (void)state;
    struct stat sb;
    const char *b = getenv("BUILD");
    if (!getcwd(root, sizeof root) || stat("Makefile", &sb) != 0 || stat("include/waggle/waggle.h", &sb) != 0) {
        fprintf(stderr, "test_install: run it from the source tree (make check does)\n");
        return -1;
    }
    if (wg_test_mkdtemp(dir, "install")) return -1;
    /* a make of its own: not the jobserver of the make that runs the tests */
    if ((size_t)snprintf(make, sizeof make,
                         "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C '%s' BUILD='%s'",
                         root, b && *b ? b : "build") >= sizeof make)
        return -1;
    /* under the sanitizers the library needs their runtime in the program */
    strcpy(cflags, getenv("WG_ASAN") ? "-fsanitize=address,undefined" : "");
    return wg_test_write(dir, "user.c", program);
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(dir);
}

/* What the program must print: the same scenario run here, in-process. */
static char *expected(void)
{
    wg_diag d = {0};
    wg_job *job = NULL;
    wg_job_run_params p;
    uint32_t runs = 0, steps = 0;
    wg_job_run_params_default(&p);
    assert_int_equal(wg_job_open_text(scenario, strlen(scenario), "user.yaml", ".", NULL, 0, &job, &d), WG_OK);
    assert_int_equal(wg_job_run(job, &p, &d), WG_OK);
    const uint32_t *c = wg_job_series(job, &runs, &steps);
    assert_int_equal(runs, 4);
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    for (uint32_t r = 0; r < runs; r++) {
        const uint32_t *row = c + ((size_t)r * steps + steps - 1) * WG_NCOUNTS;
        uint64_t agents = 0;
        for (int k = 0; k < WG_NSTATES; k++) agents += row[k];
        assert_int_equal(agents, 300);
        for (int k = 0; k < WG_NCOUNTS; k++)
            len += (size_t)snprintf(out + len, cap - len, "%u%c", row[k], k + 1 < WG_NCOUNTS ? ' ' : '\n');
    }
    snprintf(out + len, cap - len, "%s\n", WG_VERSION);
    wg_job_free(job);
    wg_diag_free(&d);
    return out;
}

/* Every header of the source tree is installed and named by waggle.h. */
static void check_headers(const char *incdir)
{
    char path[PATH_MAX];
    FORMAT(path, "%s/waggle/waggle.h", incdir);
    char *umbrella = wg_test_slurp(path, NULL);
    assert_non_null(umbrella);
    DIR *dp = opendir("include/waggle");
    assert_non_null(dp);
    int headers = 0;
    for (struct dirent *e; (e = readdir(dp));) {
        size_t n = strlen(e->d_name);
        if (n < 3 || strcmp(e->d_name + n - 2, ".h") || !strcmp(e->d_name, "waggle.h")) continue;
        char inc[300];
        FORMAT(inc, "#include \"waggle/%s\"", e->d_name);
        if (!strstr(umbrella, inc)) print_error("waggle.h does not include waggle/%s\n", e->d_name);
        assert_non_null(strstr(umbrella, inc));
        FORMAT(path, "%s/waggle/%s", incdir, e->d_name);
        assert_int_equal(access(path, R_OK), 0);
        headers++;
    }
    closedir(dp);
    assert_true(headers >= 10);
    free(umbrella);
}

/* Build user.c against the pkg-config file in pcdir (sysroot: prefix of
 * every path it gives, or ""), run it with LD_LIBRARY_PATH=libdir, and
 * compare its output with the in-process run. */
static void build_and_run(const char *pcdir, const char *sysroot, const char *libdir)
{
    char *want = expected();
    assert_int_equal(sh("cd '%s' && PKG_CONFIG_PATH='%s' PKG_CONFIG_SYSROOT_DIR='%s' "
                        "pkg-config --cflags --libs waggle > flags.txt",
                        dir, pcdir, sysroot), 0);
    char path[PATH_MAX];
    FORMAT(path, "%s/flags.txt", dir);
    char *flags = wg_test_slurp(path, NULL);
    assert_non_null(flags);
    assert_non_null(strstr(flags, "-lwaggle"));
    free(flags);
    /* nothing but the pkg-config flags: no -I of the source tree, no -L of the build */
    assert_int_equal(sh("cd '%s' && cc -std=c11 -Wall -Wextra -Werror %s -o user user.c "
                        "$(PKG_CONFIG_PATH='%s' PKG_CONFIG_SYSROOT_DIR='%s' pkg-config --cflags --libs waggle) "
                        "> cc.log 2>&1 || { cat cc.log; exit 1; }",
                        dir, cflags, pcdir, sysroot), 0);
    /* linked to the shared library by its soname, not to a copy of the archive */
    assert_int_equal(sh("readelf -d '%s/user' | grep -q 'NEEDED.*\\[libwaggle.so.0\\]'", dir), 0);
    assert_int_equal(sh("cd '%s' && LD_LIBRARY_PATH='%s' ./user \"$(cat scenario.yaml)\" > user.out", dir, libdir), 0);
    FORMAT(path, "%s/user.out", dir);
    char *got = wg_test_slurp(path, NULL);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

/* Files and links left under folder (0 when it is gone or empty). */
static int files_under(const char *folder)
{
    return sh("test -z \"$(find '%s' \\( -type f -o -type l \\) 2>/dev/null)\"", folder) == 0 ? 0 : 1;
}

static void check_tree(const char *prefix)
{
    char path[PATH_MAX], real[PATH_MAX];
    FORMAT(path, "%s/bin/waggle", prefix);
    assert_int_equal(access(path, X_OK), 0);
    FORMAT(path, "%s/lib/libwaggle.a", prefix);
    assert_int_equal(access(path, R_OK), 0);
    FORMAT(path, "%s/lib/pkgconfig/waggle.pc", prefix);
    assert_int_equal(access(path, R_OK), 0);
    /* libwaggle.so -> libwaggle.so.0 -> libwaggle.so.VERSION, whose soname is libwaggle.so.0 */
    FORMAT(path, "%s/lib/libwaggle.so", prefix);
    ssize_t k = readlink(path, real, sizeof real - 1);
    assert_true(k > 0);
    real[k] = '\0';
    assert_string_equal(real, "libwaggle.so.0");
    FORMAT(path, "%s/lib/libwaggle.so.0", prefix);
    k = readlink(path, real, sizeof real - 1);
    assert_true(k > 0);
    real[k] = '\0';
    assert_string_equal(real, "libwaggle.so." WG_VERSION);
    assert_int_equal(sh("readelf -d '%s/lib/libwaggle.so." WG_VERSION "' | grep -q 'SONAME.*\\[libwaggle.so.0\\]'",
                        prefix), 0);
    FORMAT(path, "%s/include", prefix);
    check_headers(path);
}

/* The text of a roff page without its escapes (\e, \-, \&), as man shows it. */
static char *roff_text(const char *path)
{
    char *t = wg_test_slurp(path, NULL);
    assert_non_null(t);
    char *w = t;
    for (const char *r = t; *r;) {
        if (r[0] == '\\' && r[1] == 'e') {
            *w++ = '\\';
            r += 2;
        } else if (r[0] == '\\' && (r[1] == '-' || r[1] == '&')) {
            if (r[1] == '-') *w++ = '-';
            r += 2;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return t;
}

/* waggle.1 holds `waggle --help` and every command's --help word for word
 * (it is made from them, so it cannot drift); waggle-scenario.5 names every
 * key of the scenario's tables on a .B line. */
static void check_man(const char *prefix)
{
    char path[PATH_MAX], out[PATH_MAX];
    FORMAT(path, "%s/share/man/man1/waggle.1", prefix);
    char *page = roff_text(path);
    assert_non_null(strstr(page, ".TH WAGGLE 1 "));
    static const char *const cmds[] = {"", "run", "check", "net", "validate", "compare", "fit",
                                       "render", "sweep", "merge", "optimize", "brief"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        FORMAT(out, "%s/help.txt", dir);
        assert_int_equal(sh("'%s/bin/waggle' %s --help > '%s'", prefix, cmds[i], out), 0);
        char *help = wg_test_slurp(out, NULL);
        assert_non_null(help);
        if (!strstr(page, help)) fail_msg("waggle.1 lacks the help of '%s' as the command prints it", cmds[i]);
        if (*cmds[i]) {
            char head[64];
            FORMAT(head, ".SS waggle %s\n", cmds[i]);
            assert_non_null(strstr(page, head));
        }
        free(help);
    }
    assert_non_null(strstr(page, "WAGGLE_SCENARIOS"));
    free(page);
    FORMAT(path, "%s/share/man/man5/waggle-scenario.5", prefix);
    page = roff_text(path);
    const char *const *tables[] = {wg_check_top_keys, wg_check_model_keys, wg_check_file_keys,
                                   wg_event_kind_names};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const char *const *k = tables[t]; *k; k++) {
            int found = 0;
            for (const char *l = page; l && !found; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
                if (strncmp(l, ".B", 2)) continue;
                const char *end = strchr(l, '\n'), *hit = strstr(l, *k);
                size_t n = strlen(*k);
                found = hit && (!end || hit < end) && (hit[n] == ' ' || hit[n] == '\n' || hit[n] == '"' ||
                                                       hit[n] == ',') && hit[-1] == ' ';
            }
            if (!found) fail_msg("waggle-scenario.5 has no .B line for the key '%s'", *k);
        }
    for (size_t i = 0; i < WG_CHECK_NNET_KINDS; i++)
        if (!strstr(page, wg_check_net_kinds[i].name))
            fail_msg("waggle-scenario.5 does not name the network kind '%s'", wg_check_net_kinds[i].name);
    free(page);
}

/* A scenario by name: a file path first, then $WAGGLE_SCENARIOS, then the
 * installed share/waggle/scenarios (found beside the installed command). */
static void check_scenarios_by_name(const char *prefix)
{
    char path[PATH_MAX], out[PATH_MAX];
    FORMAT(path, "%s/share/waggle/scenarios/united-breaks-guitars.yaml", prefix);
    assert_int_equal(access(path, R_OK), 0);
    FORMAT(path, "%s/share/waggle/scenarios/data/ubg-views.csv", prefix);
    assert_int_equal(access(path, R_OK), 0);
    FORMAT(out, "%s/by-name.txt", dir);
    /* from a folder without the file: the installed case (its data beside it), run for real */
    assert_int_equal(sh("mkdir -p '%s/elsewhere' && cd '%s/elsewhere' && env -u WAGGLE_SCENARIOS "
                        "'%s/bin/waggle' run united-breaks-guitars -r 2 -q -o ubg > '%s' 2>&1 || "
                        "{ cat '%s'; exit 1; }", dir, dir, prefix, out, out), 0);
    FORMAT(path, "%s/elsewhere/ubg/finals.csv", dir);
    assert_int_equal(access(path, R_OK), 0);
    assert_int_equal(sh("cd '%s/elsewhere' && env -u WAGGLE_SCENARIOS '%s/bin/waggle' check united-breaks-guitars "
                        "> '%s' 2>&1", dir, prefix, out), 0);
    char *text = wg_test_slurp(out, NULL);
    assert_non_null(strstr(text, "share/waggle/scenarios/united-breaks-guitars.yaml: valid"));
    free(text);
    /* $WAGGLE_SCENARIOS before the installed folder: a case of the same name there wins */
    assert_int_equal(sh("mkdir -p '%s/mine' && printf 'name: mine\nsteps: 3\nruns: 1\nnetwork: {generate: ring, "
                        "nodes: 10}\n' > '%s/mine/united-breaks-guitars.yaml'", dir, dir), 0);
    assert_int_equal(sh("cd '%s/elsewhere' && WAGGLE_SCENARIOS='/nonexistent:%s/mine' '%s/bin/waggle' check "
                        "united-breaks-guitars > '%s' 2>&1", dir, dir, prefix, out), 0);
    text = wg_test_slurp(out, NULL);
    assert_non_null(strstr(text, "mine/united-breaks-guitars.yaml: valid (mine:"));
    free(text);
    /* a file of that name in the working folder comes first */
    assert_int_equal(sh("cd '%s/elsewhere' && cp '%s/mine/united-breaks-guitars.yaml' united-breaks-guitars && "
                        "WAGGLE_SCENARIOS='%s/nothing' '%s/bin/waggle' check united-breaks-guitars > '%s' 2>&1 && "
                        "rm united-breaks-guitars", dir, dir, dir, prefix, out), 0);
    text = wg_test_slurp(out, NULL);
    assert_non_null(strstr(text, "united-breaks-guitars: valid (mine:"));
    free(text);
    /* a name found nowhere: the usual message, exit 2 */
    assert_int_equal(sh("cd '%s/elsewhere' && '%s/bin/waggle' check no-such-case > '%s' 2>&1", dir, prefix, out), 2);
}

static void test_install_prefix(void **state)
{
    (void)state;
    char prefix[PATH_MAX], pcdir[PATH_MAX], libdir[PATH_MAX];
    FORMAT(prefix, "%s/prefix", dir);
    FORMAT(pcdir, "%s/lib/pkgconfig", prefix);
    FORMAT(libdir, "%s/lib", prefix);
    assert_int_equal(wg_test_write(dir, "scenario.yaml", scenario), 0);
    assert_int_equal(sh("%s PREFIX='%s' install > '%s/install.log' 2>&1 || { cat '%s/install.log'; exit 1; }",
                        make, prefix, dir, dir), 0);
    check_tree(prefix);
    check_man(prefix);
    check_scenarios_by_name(prefix);
    build_and_run(pcdir, "", libdir);
    assert_int_equal(sh("%s PREFIX='%s' uninstall > /dev/null", make, prefix), 0);
    assert_int_equal(files_under(prefix), 0);
}

/* A staged install: files under DESTDIR, paths inside them (waggle.pc) without it. */
static void test_install_destdir(void **state)
{
    (void)state;
    char stage[PATH_MAX], prefix[PATH_MAX], pc[PATH_MAX], pcdir[PATH_MAX], libdir[PATH_MAX];
    FORMAT(stage, "%s/stage", dir);
    FORMAT(prefix, "%s/opt/wg", stage);
    FORMAT(pcdir, "%s/lib/pkgconfig", prefix);
    FORMAT(pc, "%s/waggle.pc", pcdir);
    FORMAT(libdir, "%s/lib", prefix);
    assert_int_equal(wg_test_write(dir, "scenario.yaml", scenario), 0);
    assert_int_equal(sh("%s DESTDIR='%s' PREFIX=/opt/wg install > '%s/install.log' 2>&1 || "
                        "{ cat '%s/install.log'; exit 1; }", make, stage, dir, dir), 0);
    check_tree(prefix);
    char *text = wg_test_slurp(pc, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "prefix=/opt/wg\n"));
    assert_null(strstr(text, stage));
    assert_non_null(strstr(text, "Version: " WG_VERSION "\n"));
    assert_non_null(strstr(text, "Requires.private: gsl igraph yaml-0.1 cairo libpng zlib libgif\n"));
    free(text);
    build_and_run(pcdir, stage, libdir);
    assert_int_equal(sh("%s DESTDIR='%s' PREFIX=/opt/wg uninstall > /dev/null", make, stage), 0);
    assert_int_equal(files_under(stage), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install_prefix),
        cmocka_unit_test(test_install_destdir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
