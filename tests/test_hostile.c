/*
 * test_hostile.c — round two of the hostile inputs (docs/ROBUSTNESS.md,
 * "Round two"), end to end through the `waggle` command, one test per class:
 * inputs that are not regular files, NUL bytes and byte-order marks, size
 * caps and counts read from files, the folders render and merge read, loops
 * of the charts on extreme values, symlinks under the names waggle writes.
 *
 * Every command runs under `timeout -s KILL`, so a regression to a hang
 * fails the test (exit 137) instead of stalling `make check`.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "waggle/output.h"
#include "wg_test.h"

#define LIMIT_SECONDS "30"   /* a command that takes longer hangs: killed, exit 137 */

static char tmp[64];
static char *last_err;

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "hostile");
}

static int teardown(void **state)
{
    (void)state;
    free(last_err);
    return wg_test_rmdir(tmp);
}

/* Run `waggle ARGS` in tmp under timeout; stderr in last_err; the exit status. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    const wg_test_how how = {.dir = tmp, .bin = "/usr/bin/timeout"};
    free(last_err);
    last_err = NULL;
    return wg_test_waggle(&how, NULL, &last_err, "-s KILL " LIMIT_SECONDS " %s %s",
                          wg_test_waggle_path(), args);
}

static void expect(int got, int rc, const char *want)
{
    if (got != rc || !strstr(last_err, want))
        fprintf(stderr, "expected exit %d and: %s\ngot exit %d: %s\n", rc, want, got, last_err);
    assert_int_equal(got, rc);
    assert_non_null(strstr(last_err, want));
}

static void path_of(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmp, name);
}

static void write_bytes(const char *name, const void *data, size_t len)
{
    char path[256];
    path_of(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void write_file(const char *name, const char *text)
{
    write_bytes(name, text, strlen(text));
}

static int exists(const char *name)
{
    return wg_test_exists(tmp, name);
}

static const char base[] =
    "name: hostile\n"
    "steps: 5\n"
    "runs: 2\n"
    "seed: 1\n"
    "network: {generate: ring, nodes: 50}\n"
    "events:\n"
    "  - {step: 0, seed: {valence: negative, count: 1, by: random}}\n";

static void scenario_with(const char *name, const char *extra)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s\n", base, extra);
    write_file(name, text);
}

/* ---- inputs that are not regular files ------------------------------------------------------- */

static void test_not_regular(void **state)
{
    (void)state;
    char p[256];
    path_of(p, sizeof p, "fifo");
    assert_int_equal(mkfifo(p, 0600), 0);
    /* every reader: refused at once (a FIFO without a writer would block forever) */
    expect(run("run fifo -o out -q"), 2, "fifo: is a FIFO, not a scenario file");
    expect(run("check fifo"), 2, "fifo: is a FIFO, not a scenario file");
    expect(run("net fifo"), 2, "fifo: is a FIFO, not a network file");
    expect(run("net /dev/zero"), 2, "/dev/zero: is a device, not a network file");
    expect(run("fit --bass --observed fifo -o out"), 2, "fifo: is a FIFO, not an observed series");
    expect(run("fit --bass --observed /dev/zero -o out"), 2,
           "/dev/zero: is a device, not an observed series");
    /* a folder as the observed series: bad input (exit 2), not a runtime failure */
    expect(run("fit --bass --observed /tmp -o out"), 2, "/tmp: is a folder, not an observed series");
    scenario_with("obs.yaml", "observed: {file: fifo, x: day, y: count}");
    expect(run("run obs.yaml -o out -q"), 2, "observed.file: 'fifo' is not a regular file");
    scenario_with("net.yaml", "network: {file: /dev/zero, format: edgelist}");
    int rc = run("run net.yaml -o out -q");
    assert_int_equal(rc, 2);
    assert_false(exists("out"));
    /* render: a FIFO in place of summary.csv */
    write_file("ok.yaml", base);
    assert_int_equal(run("run ok.yaml -o r -q"), 0);
    path_of(p, sizeof p, "r/summary.csv");
    assert_int_equal(unlink(p), 0);
    assert_int_equal(mkfifo(p, 0600), 0);
    expect(run("render r"), 2, "summary.csv: is a FIFO, not a results file");
}

/* ---- NUL bytes, UTF-16, byte-order marks ----------------------------------------------------- */

static void test_nul_and_bom(void **state)
{
    (void)state;
    /* a NUL in the middle of an edge list: refused with its line, not the rest dropped */
    write_bytes("nul.txt", "1 2\n2 3\n3 4\0 garbage\n4 5\n", 25);
    expect(run("net nul.txt"), 2, "nul.txt:3: a NUL byte: not a text file");
    /* ... in an observed file, a scenario */
    write_bytes("nul.csv", "day,x,count\n1,1,2\n2,2\0,3\n3,3,4\n", 31);
    expect(run("fit --bass --observed nul.csv -o out"), 2, "nul.csv:3: a NUL byte");
    char yaml[512];
    size_t n = (size_t)snprintf(yaml, sizeof yaml, "%s", base);
    memcpy(yaml + n, "# \0\n", 4);
    write_bytes("nul.yaml", yaml, n + 4);
    expect(run("run nul.yaml -o out -q"), 2, "nul.yaml:8: a NUL byte");
    /* GraphML in UTF-16 (NUL bytes between the ASCII ones) */
    static const char u16[] = "\xff\xfe<\0?\0x\0m\0l\0 \0?\0>\0\n\0";
    write_bytes("u16.graphml", u16, sizeof u16 - 1);
    expect(run("net u16.graphml"), 2, "u16.graphml:1: a NUL byte");
    /* a DTD after 64 KB of padding: still found */
    size_t pad = 70000;
    char *g = malloc(pad + 512);
    assert_non_null(g);
    size_t k = (size_t)snprintf(g, 512, "<?xml version=\"1.0\"?>\n<!--");
    memset(g + k, 'x', pad);
    k += pad;
    k += (size_t)snprintf(g + k, 512, "-->\n<!DOCTYPE g [<!ENTITY e \"x\">]>\n<graphml/>\n");
    write_bytes("late.graphml", g, k);
    free(g);
    expect(run("net late.graphml"), 2, "late.graphml: DTDs and entities are not accepted");
    /* a UTF-8 byte-order mark is skipped: no invisible character in a message, files read */
    /* the mark is not part of the first id: "-1" is read (and refused), not a text id */
    write_file("bom.txt", "\xef\xbb\xbf" "-1 2\n2 3\n");
    expect(run("net bom.txt"), 2, "bom.txt:1: id -1 is negative");
    write_file("bom2.txt", "\xef\xbb\xbf" "1 2\n2 3\n");
    expect(run("net bom2.txt"), 0, "");
    write_file("bomc.csv", "\xef\xbb\xbf" "day,x,count\n1,1,2\n2,2,3\n3,3,5\n4,4,9\n");
    scenario_with("bomo.yaml", "observed: {file: bomc.csv, x: day, y: count}");
    expect(run("run bomo.yaml -o bo -q"), 0, "");
    char yb[1024];
    snprintf(yb, sizeof yb, "\xef\xbb\xbf%s", base);
    write_file("bom.yaml", yb);
    expect(run("check bom.yaml"), 0, "");
}

/* ---- size caps and counts read from files ---------------------------------------------------- */

static void test_caps_and_counts(void **state)
{
    (void)state;
    /* a scenario over the cap: refused from its size, before it is read (a sparse file) */
    char p[256];
    path_of(p, sizeof p, "huge.yaml");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)WG_SCENARIO_MAX_BYTES + 1), 0);
    close(fd);
    expect(run("check huge.yaml"), 2, "huge.yaml: larger than 8 MiB, not a scenario file");
    /* Pajek: 200 million vertices from 20 bytes, refused before igraph allocates them */
    write_file("many.net", "*Vertices 200000000\n");
    expect(run("net many.net"), 2, "many.net:1: *Vertices 200000000 in a file of 20 bytes");
    write_file("neg.net", "*Vertices -5\n*Edges\n1 2\n");
    expect(run("net neg.net"), 2, "neg.net:1: *Vertices -5: expected a count");
    /* an igraph error without a reason of its own says igraph's word for it */
    write_file("bad.net", "*Vertices 3\n*Edges\n1 9\n");
    expect(run("net bad.net"), 2, "bad.net: cannot read the Pajek file: Invalid vertex ID");
    /* a gzip bomb: 40 MB of one line repeated, 40 kB compressed */
    path_of(p, sizeof p, "bomb.txt.gz");
    gzFile gz = gzopen(p, "wb9");
    assert_non_null(gz);
    for (int i = 0; i < 10000000; i++) gzwrite(gz, "0 1\n", 4);
    gzclose(gz);
    expect(run("net bomb.txt.gz"), 2, "bomb.txt.gz: expands to more than 100 times its size");
}

/* ---- folders render and merge read ----------------------------------------------------------- */

/* Replace every occurrence of `from` by `to` in the file (lines shorter than 4 kB). */
static void edit(const char *name, const char *from, const char *to, int once)
{
    char p[256];
    size_t len;
    path_of(p, sizeof p, name);
    char *s = wg_test_slurp(p, &len);
    assert_non_null(s);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (char *at = s, *hit; *at; at = hit + strlen(from)) {
        hit = strstr(at, from);
        if (!hit) {
            fputs(at, f);
            break;
        }
        fwrite(at, 1, (size_t)(hit - at), f);
        fputs(to, f);
        if (once) {
            fputs(hit + strlen(from), f);
            break;
        }
    }
    fclose(f);
    free(s);
}

static void test_folders(void **state)
{
    (void)state;
    write_file("ok.yaml", base);
    assert_int_equal(run("run ok.yaml -o f -q"), 0);
    /* summary.csv with step 99999999: refused, nothing reserved for 10^8 steps */
    edit("f/summary.csv", "\n3,reach_positive", "\n99999999,reach_positive", 1);
    expect(run("render f"), 2, "summary.csv:");
    expect(run("render f"), 2, "step 99999999 after step 2: waggle writes every step in order");
    /* sweeps: shards, NaN swept values, missing metric rows */
    scenario_with("sw.yaml", "sweep:\n  grid: {seed: [1, 2], share.negative: [0.1, 0.2]}");
    assert_int_equal(run("sweep sw.yaml -o s0 -q --shard 0/2"), 0);
    assert_int_equal(run("sweep sw.yaml -o s1 -q --shard 1/2"), 0);
    assert_int_equal(run("sweep sw.yaml -o s1b -q --shard 1/2"), 0);
    edit("s1b/manifest.yaml", "shards: 2}", "shards: 2147483647}", 0);
    assert_int_equal(run("sweep sw.yaml -o s0b -q --shard 0/2"), 0);
    edit("s0b/manifest.yaml", "shards: 2}", "shards: 2147483647}", 0);
    expect(run("merge s0b s1b -o m"), 2, "2 shards given, but the sweep was cut into 2147483647");
    assert_false(exists("m"));
    edit("s0b/manifest.yaml", "points: 4", "points: 18446744073709551615", 0);
    expect(run("merge s0b s1b -o m"), 2, "not the manifest of a sweep");
    /* a point without its peak_step row */
    assert_int_equal(run("sweep sw.yaml -o s1c -q --shard 1/2"), 0);
    edit("s1c/sweep.csv", "peak_step", "peak_critics", 1);
    expect(run("merge s0 s1c -o m"), 2, "s1c/sweep.csv:5: a metric out of order, or a metric row missing");
    assert_false(exists("m"));
    /* a NaN swept value: merge refuses before writing; render refuses (the heap overflow) */
    assert_int_equal(run("sweep sw.yaml -o s1d -q --shard 1/2"), 0);
    edit("s1d/sweep.csv", "\n1,1,0.2", "\n1,nan,0.2", 0);
    expect(run("merge s0 s1d -o m"), 2, "s1d/sweep.csv:2: a swept value that is not finite");
    assert_false(exists("m"));
    expect(run("render s1d"), 2, "sweep.csv:2: column seed: a swept value must be a finite number");
    /* the good shards still merge */
    expect(run("merge s0 s1 -o m"), 0, "");
    assert_true(exists("m/sweep.png"));
}

/* ---- charts: loops that cannot stall ---------------------------------------------------------- */

static void test_chart_loops(void **state)
{
    (void)state;
    /* one swept seed of 2^52: a tick step below the precision of the value */
    scenario_with("big.yaml", "sweep:\n  grid: {seed: [4503599627370496]}");
    expect(run("sweep big.yaml -o big -q"), 0, "");
    assert_true(exists("big/sweep.png"));
    /* a swept value of -1e308 (and +1e308: the span overflows) */
    scenario_with("st.yaml", "sweep:\n  grid: {events.0.step: [0, 1]}");
    expect(run("sweep st.yaml -o st -q"), 0, "");
    edit("st/sweep.csv", "\n0,0,", "\n0,-1e308,", 0);
    edit("st/sweep.csv", "\n1,1,", "\n1,-1e308,", 0);
    expect(run("render st"), 0, "");
    edit("st/sweep.csv", "\n1,-1e308,", "\n1,1e308,", 0);
    expect(run("render st"), 0, "");
}

/* ---- symlinks under the names waggle writes --------------------------------------------------- */

static void test_symlinks(void **state)
{
    (void)state;
    char victim[256], link[320], dir[256];
    path_of(victim, sizeof victim, "victim.txt");
    write_file("victim.txt", "precious\n");
    path_of(dir, sizeof dir, "o");
    assert_int_equal(mkdir(dir, 0755), 0);
    /* the temporary name of an atomic file, planted as a symlink: never followed */
    snprintf(link, sizeof link, "%s/.x.csv.tmp.%ld", dir, (long)getpid());
    assert_int_equal(symlink(victim, link), 0);
    wg_out o;
    wg_diag d = {0};
    assert_int_equal(wg_out_open(&o, dir, "x.csv", &d), WG_OK);
    fputs("new\n", o.f);
    assert_int_equal(wg_out_commit(&o, &d), WG_OK);
    wg_diag_free(&d);
    char *v = wg_test_slurp(victim, NULL);
    assert_string_equal(v, "precious\n");
    free(v);
    char xp[300];
    snprintf(xp, sizeof xp, "%s/x.csv", dir);
    v = wg_test_slurp(xp, NULL);
    assert_string_equal(v, "new\n");
    free(v);
    /* the sweep journal, a symlink: --resume refuses it, a fresh sweep replaces the name */
    scenario_with("sw.yaml", "sweep:\n  grid: {share.negative: [0.1, 0.2]}");
    path_of(dir, sizeof dir, "j");
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(link, sizeof link, "%s/.sweep-journal.0", dir);
    assert_int_equal(symlink(victim, link), 0);
    expect(run("sweep sw.yaml -o j -q --resume"), 2, ".sweep-journal.0: is a symbolic link, not a sweep journal");
    v = wg_test_slurp(victim, NULL);
    assert_string_equal(v, "precious\n");
    free(v);
    /* a journal pointing at /dev/zero: refused, never read forever */
    assert_int_equal(unlink(link), 0);
    assert_int_equal(symlink("/dev/zero", link), 0);
    expect(run("sweep sw.yaml -o j -q --resume"), 2, "is a symbolic link");
    expect(run("sweep sw.yaml -o j -q"), 0, "");
    v = wg_test_slurp(victim, NULL);
    assert_string_equal(v, "precious\n");
    free(v);
    assert_true(exists("j/sweep.csv"));
}

/* ---- output folders: inputs, stale files, the lock, validation before writing --------------- */

static void test_output_folders(void **state)
{
    (void)state;
    char p[256];
    /* a folder that holds an input: refused before anything is written */
    path_of(p, sizeof p, "here");
    assert_int_equal(mkdir(p, 0755), 0);
    write_file("here/obs.csv", "day,count\n1,2\n2,3\n");
    char text[4096];
    snprintf(text, sizeof text, "%sobserved: {file: obs.csv, x: day, y: count}\n", base);
    write_file("here/s.yaml", text);
    expect(run("run here/s.yaml -o here -q"), 2, "here: holds here/s.yaml, an input of this command");
    path_of(p, sizeof p, "here/obs.csv");
    char *v = wg_test_slurp(p, NULL);
    assert_string_equal(v, "day,count\n1,2\n2,3\n");
    free(v);
    assert_false(exists("here/series.csv"));
    /* fit -o .: would write the calibrated scenario over the scenario */
    expect(run("fit here/s.yaml --fit observed.scale -r 2 -o here -q"), 2,
           "here: holds here/s.yaml, an input of this command");
    path_of(p, sizeof p, "here/s.yaml");
    v = wg_test_slurp(p, NULL);
    assert_string_equal(v, text);
    free(v);
    /* a network file named series.csv in the output folder */
    write_file("here/series.csv", "1 2\n2 3\n3 4\n");
    snprintf(text, sizeof text, "%s", base);
    char *net = strstr(text, "network:");
    snprintf(net, sizeof text - (size_t)(net - text), "network: {file: series.csv, format: edgelist}\n"
             "events:\n  - {step: 0, seed: {valence: negative, count: 1, by: random}}\n");
    write_file("here/n.yaml", text);
    expect(run("run here/n.yaml -o here -q"), 2, "an input of this command");
    /* merge into one of its shards */
    scenario_with("sw.yaml", "sweep:\n  grid: {share.negative: [0.1, 0.2]}");
    assert_int_equal(run("sweep sw.yaml -o m0 -q --shard 0/2"), 0);
    assert_int_equal(run("sweep sw.yaml -o m1 -q --shard 1/2"), 0);
    expect(run("merge m0 m1 -o m1"), 2, "m1: holds m1, an input of this command");

    /* stale outputs: an observed.csv the scenario no longer has, a variant folder of an
     * earlier compare; foreign files stay */
    write_file("obs2.csv", "day,count\n1,2\n2,3\n");
    scenario_with("o.yaml", "observed: {file: obs2.csv, x: day, y: count}");
    write_file("plain.yaml", base);
    assert_int_equal(run("run o.yaml -o st -q"), 0);
    assert_true(exists("st/observed.csv"));
    write_file("st/mine.txt", "mine\n");
    assert_int_equal(run("run plain.yaml -o st -q"), 0);
    assert_false(exists("st/observed.csv"));
    assert_true(exists("st/mine.txt"));
    assert_true(exists("st/curves.png"));
    scenario_with("c3.yaml", "variants:\n  - {name: more, set: {share.negative: 0.5}}\n"
                             "  - {name: less, set: {share.negative: 0.01}}");
    scenario_with("c2.yaml", "variants:\n  - {name: more, set: {share.negative: 0.5}}");
    assert_int_equal(run("compare c3.yaml -o cmp -q"), 0);
    assert_true(exists("cmp/less/summary.csv"));
    write_file("cmp/more/mine.txt", "mine\n");
    assert_int_equal(run("compare c2.yaml -o cmp -q"), 0);
    assert_false(exists("cmp/less"));
    assert_true(exists("cmp/more/mine.txt"));
    /* a sweep of three keys draws no chart: an earlier sweep.png goes */
    scenario_with("k1.yaml", "sweep:\n  grid: {share.negative: [0.1, 0.2]}");
    scenario_with("k3.yaml", "sweep:\n  grid: {share.negative: [0.1, 0.2], quality: [0.9, 1], "
                             "seed: [1, 2]}");
    assert_int_equal(run("sweep k1.yaml -o sk -q"), 0);
    assert_true(exists("sk/sweep.png"));
    assert_int_equal(run("sweep k3.yaml -o sk -q"), 0);
    assert_false(exists("sk/sweep.png"));

    /* the lock: a folder another command is writing into is refused, nothing written */
    path_of(p, sizeof p, "busy");
    assert_int_equal(mkdir(p, 0755), 0);
    path_of(p, sizeof p, "busy/.waggle.lock");
    int fd = open(p, O_RDWR | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    expect(run("run plain.yaml -o busy -q"), 1, "busy: another waggle command is writing into this folder");
    expect(run("render st"), 0, "");
    close(fd);
    assert_false(exists("busy/series.csv"));
    expect(run("run plain.yaml -o busy -q"), 0, "");
    assert_false(exists("busy/.waggle.lock"));   /* removed by its holder */

    /* render reads every input before it writes: a bad series.csv, no chart written */
    assert_int_equal(run("run plain.yaml -o rb -q"), 0);
    const char *pngs[] = {"rb/curves.png", "rb/states.png", "rb/finals.png"};
    for (int i = 0; i < 3; i++) {
        path_of(p, sizeof p, pngs[i]);
        assert_int_equal(unlink(p), 0);
    }
    edit("rb/series.csv", "\n0,1,", "\n0,x,", 1);
    expect(run("render rb"), 2, "series.csv:");
    for (int i = 0; i < 3; i++) assert_false(exists(pngs[i]));

    /* a sweep whose point is bad input: no journal, no folder */
    scenario_with("bp.yaml", "sweep:\n  grid: {events.0.seed.count: [1, 100]}");
    expect(run("sweep bp.yaml -o bp -q"), 2, "bp.yaml:9:10: events.0.seed.count=100: "
           "events.0.seed.count: count 100 is larger than the 50 agents");
    assert_false(exists("bp"));
    /* the same in a Sobol design, and in an existing folder: no journal left */
    scenario_with("bs.yaml", "sweep:\n  sobol: {points: 4, ranges: {events.0.seed.count: [1, 100]}}");
    path_of(p, sizeof p, "bs");
    assert_int_equal(mkdir(p, 0755), 0);
    expect(run("sweep bs.yaml -o bs -q"), 2, "bs.yaml:9:31: events.0.seed.count=");
    assert_false(exists("bs/.sweep-journal.0"));
    assert_false(exists("bs/.waggle.lock"));
}

/* ---- observed paths, threads, optimize's folder ------------------------------------------------ */

static void test_observed_paths(void **state)
{
    (void)state;
    char p[256], q[256];
    /* a readable CSV outside the scenario's folder: never copied into the results */
    path_of(p, sizeof p, "sc");
    assert_int_equal(mkdir(p, 0755), 0);
    write_file("outside.csv", "a,b\n1,2\n2,3\n");
    write_file("sc/inside.csv", "a,b\n1,2\n2,3\n");
    char text[4096];
    path_of(p, sizeof p, "outside.csv");
    snprintf(text, sizeof text, "%sobserved: {file: %s, x: a, y: b}\n", base, p);
    write_file("sc/abs.yaml", text);
    expect(run("run sc/abs.yaml -o oabs -q"), 2, "sc/abs.yaml:8:18: observed.file: '");
    expect(run("run sc/abs.yaml -o oabs -q"), 2, "is outside the scenario's folder sc");
    assert_false(exists("oabs"));
    scenario_with("sc/dots.yaml", "observed: {file: ../outside.csv, x: a, y: b}");
    expect(run("run sc/dots.yaml -o odots -q"), 2, "'sc/../outside.csv' is outside the scenario's folder");
    assert_false(exists("odots"));
    /* a symbolic link in the folder that points out of it: followed, then refused */
    path_of(q, sizeof q, "sc/link.csv");
    assert_int_equal(symlink(p, q), 0);
    scenario_with("sc/link.yaml", "observed: {file: link.csv, x: a, y: b}");
    expect(run("run sc/link.yaml -o olink -q"), 2, "'sc/link.csv' is outside the scenario's folder");
    /* a variant may not bring one in either */
    scenario_with("sc/var.yaml", "variants:\n  - {name: v, set: {observed.file: ../outside.csv}}\n"
                                 "observed: {file: inside.csv, x: a, y: b}");
    expect(run("compare sc/var.yaml -o ovar -q"), 2, "is outside the scenario's folder");
    /* inside the folder: read; on the command line: anywhere */
    scenario_with("sc/in.yaml", "observed: {file: ./inside.csv, x: a, y: b}");
    expect(run("run sc/in.yaml -o oin -q"), 0, "");
    assert_true(exists("oin/observed.csv"));
    expect(run("run sc/in.yaml -o oset -q --set observed.file=%s", p), 0, "");
    assert_true(exists("oset/observed.csv"));
}

static void test_threads(void **state)
{
    (void)state;
    write_file("ok.yaml", base);
    if (getenv("WG_ASAN")) {   /* AddressSanitizer maps terabytes of shadow memory */
        fprintf(stderr, "test_hostile: test_threads skipped under AddressSanitizer\n");
        skip();
    }
    /* 4096 threads under a 1 GB address space: refused before any starts (OpenMP's
     * "Thread creation failed" ended the process) */
    const wg_test_how how = {.dir = tmp, .bin = "/usr/bin/prlimit"};
    free(last_err);
    last_err = NULL;
    int rc = wg_test_waggle(&how, NULL, &last_err, "--as=1000000000 %s run ok.yaml -t 4096 -o t -q",
                            wg_test_waggle_path());
    expect(rc, 1, "-t 4096: 4096 threads need about ");
    expect(rc, 1, "GB of address space for their stacks");
    assert_false(exists("t/series.csv"));
    free(last_err);
    last_err = NULL;
    rc = wg_test_waggle(&how, NULL, &last_err, "--as=1000000000 %s run ok.yaml -t 2 -o t2 -q",
                        wg_test_waggle_path());
    expect(rc, 0, "");
}

static void test_optimize_folder(void **state)
{
    (void)state;
    char p[256];
    path_of(p, sizeof p, "op");
    assert_int_equal(mkdir(p, 0755), 0);
    write_file("op/s.yaml", base);
    /* optimize holds its folder as run does: not one that holds its scenario, ... */
    expect(run("optimize op/s.yaml --choose seeds --budget 1 -r 2 -o op -q"), 2,
           "op: holds op/s.yaml, an input of this command");
    assert_false(exists("op/chosen.csv"));
    /* ... not one another command holds, and what it wrote is recorded */
    write_file("ok.yaml", base);
    path_of(p, sizeof p, "ob");
    assert_int_equal(mkdir(p, 0755), 0);
    path_of(p, sizeof p, "ob/.waggle.lock");
    int fd = open(p, O_RDWR | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    expect(run("optimize ok.yaml --choose seeds --budget 1 -r 2 -o ob -q"), 1,
           "ob: another waggle command is writing into this folder");
    close(fd);
    assert_false(exists("ob/chosen.csv"));
    expect(run("optimize ok.yaml --choose seeds --budget 1 -r 2 -o ob -q"), 0, "");
    path_of(p, sizeof p, "ob/.waggle-outputs");
    char *v = wg_test_slurp(p, NULL);
    assert_non_null(v);
    assert_non_null(strstr(v, "\nchosen.csv\n"));
    assert_non_null(strstr(v, "\noptimize.png\n"));
    free(v);
    assert_false(exists("ob/.waggle.lock"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_regular),    cmocka_unit_test(test_nul_and_bom),
        cmocka_unit_test(test_caps_and_counts), cmocka_unit_test(test_folders),
        cmocka_unit_test(test_chart_loops),    cmocka_unit_test(test_symlinks),
        cmocka_unit_test(test_output_folders), cmocka_unit_test(test_observed_paths),
        cmocka_unit_test(test_threads),        cmocka_unit_test(test_optimize_folder),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
