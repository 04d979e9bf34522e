/*
 * test_robustness.c — every row of docs/ROBUSTNESS.md, end to end through
 * the `waggle` command: each bad input gives its documented message, the
 * right exit status (2 bad input, 1 runtime failure) and writes nothing.
 * Also: an allocation failure at every allocation of a small run (exit 1,
 * a message, no crash, nothing half-written), runs killed with SIGKILL while
 * computing, while writing and after the first file (only complete files or
 * none, and at least one kill must land while files exist), and SIGINT (a
 * clean stop).
 *
 * The tests run as root in CI: "unreadable" and "not writable" then run the
 * command as the user nobody; the full disk is a small tmpfs mounted here
 * (skipped with a message when mounting is not permitted).
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "wg_test.h"

static char tmp[64];
static const wg_test_how in_tmp = {.dir = tmp};

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    if (wg_test_mkdtemp(tmp, "rob") != 0) return -1;
    return chmod(tmp, 0755);   /* the user nobody must reach the files */
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

static char *slurp(const char *path, size_t *len)
{
    return wg_test_slurp(path, len);
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

static void write_gz(const char *name, const char *text)
{
    char path[256];
    path_of(path, sizeof path, name);
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, text, (unsigned)strlen(text)), (int)strlen(text));
    gzclose(g);
}

static char *last_err;   /* stderr of the last run, owned here */

/* Run `waggle ARGS` in tmp as how says; stderr is kept in last_err. Returns
 * the exit status, or 128 + signal when the command was killed by one. */
static int run_how(const wg_test_how *how, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run_how(const wg_test_how *how, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(last_err);
    int rc = wg_test_vwaggle(how, NULL, &last_err, fmt, ap);
    va_end(ap);
    return rc;
}

#define run(...) run_how(&in_tmp, __VA_ARGS__)

/* run, without the rights of root: as the user nobody when this test runs as
 * root; the test is skipped, with a message, when nobody cannot run it. */
static int run_unprivileged(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run_unprivileged(const char *fmt, ...)
{
    static const wg_test_how as_nobody = {.dir = tmp, .as_nobody = 1};
    va_list ap;
    va_start(ap, fmt);
    free(last_err);
    int rc = wg_test_vwaggle(geteuid() == 0 ? &as_nobody : &in_tmp, NULL, &last_err, fmt, ap);
    va_end(ap);
    if (rc == WG_TEST_NO_NOBODY) {
        fprintf(stderr, "test_robustness: skipped: the command cannot run as the user nobody "
                        "(no switch of user, or its folder is closed to other users)\n");
        skip();
    }
    return rc;
}

static int exists(const char *name)
{
    return wg_test_exists(tmp, name);
}

/* The stderr of the last run contains want (printed when it does not). */
static void expect_message(const char *want)
{
    if (!strstr(last_err, want))
        fprintf(stderr, "expected message: %s\ngot: %s\n", want, last_err);
    assert_non_null(strstr(last_err, want));
}

/* One row: `waggle run SCENARIO -o out EXTRA` exits with rc, says want, writes nothing. */
static void row(const char *scenario, const char *extra, int rc, const char *want)
{
    int got = run("run %s -o out --quiet %s", scenario, extra);
    if (got != rc) fprintf(stderr, "%s %s: exit %d, expected %d\n%s", scenario, extra, got, rc, last_err);
    assert_int_equal(got, rc);
    expect_message(want);
    assert_false(exists("out"));
}

static const char base[] =
    "name: robustness\n"
    "steps: 5\n"
    "runs: 2\n"
    "seed: 1\n"
    "network: {generate: ring, nodes: 50}\n"
    "events:\n"
    "  - {step: 0, seed: {valence: negative, count: 1, by: random}}\n";

/* base with one more line (or a replaced network line when extra starts "network:") */
static void scenario_with(const char *name, const char *extra)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s\n", base, extra);
    write_file(name, text);
}

static void test_scenario_files(void **state)
{
    (void)state;
    row("nope.yaml", "", 2, "nope.yaml: cannot read the scenario: No such file or directory");
    write_file("empty.yaml", "");
    row("empty.yaml", "", 2, "empty.yaml: the file is empty");
    char dir[256];
    path_of(dir, sizeof dir, "folder.yaml");
    assert_int_equal(mkdir(dir, 0755), 0);
    row("folder.yaml", "", 2, "folder.yaml: is a folder, not a scenario file");
    /* binary garbage: a fixed pseudo-random byte string */
    unsigned char junk[512];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (unsigned char)(x >> 16);
    }
    write_bytes("garbage.yaml", junk, sizeof junk);
    row("garbage.yaml", "", 2, "garbage.yaml:3: a NUL byte: not a text file");
    write_file("utf8.yaml", "name: \"\xff\xfe broken\"\nsteps: 5\n");
    row("utf8.yaml", "", 2, "utf8.yaml:1:1: YAML syntax error: invalid leading UTF-8 octet");
    write_file("syntax.yaml", "name: x\nsteps: [5\n");
    row("syntax.yaml", "", 2, "syntax.yaml:3:1: YAML syntax error: did not find expected ',' or ']'");
    scenario_with("dup.yaml", "steps: 6");
    row("dup.yaml", "", 2, "dup.yaml:8:1: steps: duplicate key (first given on line 2)");
}

static void test_unreadable(void **state)
{
    (void)state;
    scenario_with("secret.yaml", "");
    char p[256];
    path_of(p, sizeof p, "secret.yaml");
    assert_int_equal(chmod(p, 0), 0);
    int rc = run_unprivileged("run secret.yaml -o out --quiet");
    assert_int_equal(rc, 2);
    expect_message("secret.yaml: cannot read the scenario: Permission denied");
    assert_false(exists("out"));
}

static void test_near_miss_keys(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"stpe: day", "stpe: unknown key, did you mean 'step'?"},
        {"model: {qualty: 0.9}", "qualty: unknown key, did you mean 'quality'?"},
        {"model: {share: {postive: 0.1}}", "share.postive: unknown key, did you mean 'positive'?"},
        {"model: {contact: al}", "contact: expected one of all, one, once, got al (did you mean 'all'?)"},
        {"segments: [{name: a, pick: {by: degree, top: 0.1}, activty: 2}]",
         "segments.0.activty: unknown key, did you mean 'activity'?"},
        {"variants: [{name: v, set: {share.negatve: 0.1}}]",
         "variant 'v': nm.yaml:8:28: share.negatve: unknown key, did you mean 'negative'?"},
        {"sweep: {grid: {qualiy: [0.5]}}", "qualiy: unknown key, did you mean 'quality'?"},
        {"observed: {fiel: x.csv}", "observed.fiel: unknown key, did you mean 'file'?"},
        {"blowup: {threshhold: 0.1}", "blowup.threshhold: unknown key, did you mean 'threshold'?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scenario_with("nm.yaml", cases[i][0]);
        row("nm.yaml", "", 2, cases[i][1]);
    }
    write_file("nm.yaml", "name: n\nsteps: 5\nnetwrk: {generate: ring, nodes: 5}\n");
    row("nm.yaml", "", 2, "nm.yaml:3:1: netwrk: unknown key, did you mean 'network'?");
    write_file("nm.yaml", "name: n\nsteps: 5\nnetwork: {generate: barabasi-albrt, nodes: 5}\n");
    row("nm.yaml", "", 2, "did you mean 'barabasi-albert'?");
    write_file("nm.yaml", "name: n\nsteps: 5\nnetwork: {generate: ring, nodse: 5}\n");
    row("nm.yaml", "", 2, "network.nodse: unknown key, did you mean 'nodes'?");
    write_file("nm.yaml", "name: n\nsteps: 5\nnetwork: {generate: ring, nodes: 5}\n"
                          "events: [{step: 0, seed: {valence: negative, cuont: 1, by: random}}]\n");
    row("nm.yaml", "", 2, "events.0.seed.cuont: unknown key, did you mean 'count'?");
    write_file("nm.yaml", "name: n\nsteps: 5\nnetwork: {generate: ring, nodes: 5}\n"
                          "events: [{step: 0, sed: {valence: negative, count: 1, by: random}}]\n");
    row("nm.yaml", "", 2, "events.0.sed: unknown event type, did you mean 'seed'?");
    write_file("nm.yaml", "name: n\nsteps: 5\nnetwork: {generate: ring, nodes: 5}\n"
                          "events: [{step: 0, seed: {valence: negative, count: 1, by: degre}}]\n");
    row("nm.yaml", "", 2, "got degre (did you mean 'degree'?)");
    scenario_with("ok.yaml", "");
    row("ok.yaml", "--set share.negatve=0.1", 2,
        "--set share.negatve=0.1: share.negatve: unknown key, did you mean 'negative'?");
    row("ok.yaml", "--set qualty=0.5", 2, "--set qualty=0.5: qualty: unknown key, did you mean 'quality'?");
    row("ok.yaml", "--set network.nodse=10", 2, "network.nodse: unknown key, did you mean 'nodes'?");
}

/* The keys of the life of a story (model.duration, ...): exit 2, the place
 * in the file, nothing written. */
static void test_story_keys(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"model: {quit: {negative: 0.1}, duration: {negative: {fixed: 3}}}",
         "nm.yaml:8:54: duration.negative: give either quit.negative or duration.negative, not both"},
        {"model: {duration: {positive: {gamma: {mean: 3, sd: 0}}}}",
         "nm.yaml:8:52: duration.positive.gamma.sd: expected a number > 0, got 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scenario_with("nm.yaml", cases[i][0]);
        row("nm.yaml", "", 2, cases[i][1]);
    }
    scenario_with("ok.yaml", "model: {duration: {negative: {fixed: 3}}}");
    row("ok.yaml", "--set quit.negative=0.3", 2,
        "ok.yaml:8:31: duration.negative: give either quit.negative or duration.negative, not both");
}

static void test_values(void **state)
{
    (void)state;
    scenario_with("ok.yaml", "");
    row("ok.yaml", "--set steps=abc", 2, "steps: expected a whole number in [1, 4294967295], got abc");
    row("ok.yaml", "--set 'steps=[1, 2]'", 2, "steps: expected a whole number");
    row("ok.yaml", "--set share.negative=1.5", 2,
        "share.negative: expected a probability in [0, 1], got 1.5");
    row("ok.yaml", "--set quality=-0.1", 2, "quality: expected a probability in [0, 1], got -0.1");
    row("ok.yaml", "--set share.negative=.nan", 2, "share.negative: expected a probability in [0, 1], got .nan");
    row("ok.yaml", "--set quality=.inf", 2, "quality: expected a probability in [0, 1], got .inf");
    row("ok.yaml", "--set quality=-.inf", 2, "quality: expected a probability in [0, 1], got -.inf");
    row("ok.yaml", "--set runs=-3", 2, "runs: expected a whole number in [1, 4294967295], got -3");
    row("ok.yaml", "--set runs=99999999999", 2,
        "runs: expected a whole number in [1, 4294967295], got 99999999999");
    row("ok.yaml", "--set events.0.seed.count=-1", 2,
        "events.0.seed.count: expected a whole number in [1, 4294967295], got -1");
    row("ok.yaml", "--set steps=0", 2, "steps: expected a whole number in [1, 4294967295], got 0");
    row("ok.yaml", "--set runs=0", 2, "runs: expected a whole number in [1, 4294967295], got 0");
    row("ok.yaml", "-r 0", 2, "runs: expected a whole number in [1, 4294967295], got 0");
    row("ok.yaml", "--set seed=18446744073709551616", 2,
        "seed: expected a whole number in [0, 18446744073709551615], got 18446744073709551616 "
        "(out of range: beyond 2^64 - 1)");
    /* whole numbers in exponent form are read exactly, also beyond 2^53 */
    row("ok.yaml", "--set seed=2e19", 2,
        "seed: expected a whole number in [0, 18446744073709551615], got 2e19 (out of range: "
        "beyond 2^64 - 1)");
    row("ok.yaml", "--set runs=1e19", 2,
        "runs: expected a whole number in [1, 4294967295], got 1e19 (out of range)");
    row("ok.yaml", "--set seed=1.5e-1", 2, "seed: expected a whole number in [0, 18446744073709551615], got 1.5e-1");
    assert_int_equal(run("run ok.yaml -o e19 --quiet --set seed=1e19"), 0);
    char p[256];
    path_of(p, sizeof p, "e19/manifest.yaml");
    char *m = slurp(p, NULL);
    assert_non_null(m);
    assert_non_null(strstr(m, "\nseed: 10000000000000000000\n"));
    free(m);
    /* an element of a list the scenario does not have */
    row("ok.yaml", "--set segments.0.activity=2", 2,
        "--set segments.0.activity=2: segments.0.activity: segments is not set: there is no "
        "element 0 to change (give the list in the scenario first)");
}

static const char netfile_scenario[] =
    "name: file\nsteps: 5\nruns: 2\nnetwork: {file: %s%s}\n"
    "events:\n  - {step: 0, seed: {valence: negative, count: 1, by: random}}\n";

static void file_scenario(const char *net, const char *more)
{
    char text[1024];
    snprintf(text, sizeof text, netfile_scenario, net, more);
    write_file("net.yaml", text);
}

static void test_network_files(void **state)
{
    (void)state;
    write_file("loops.txt", "1 2\n2 2\n2 3\n1 2\n3 1\n");
    file_scenario("loops.txt", "");
    assert_int_equal(run("run net.yaml -o out --quiet"), 0);
    expect_message("loops.txt: 1 self-loop dropped");
    expect_message("loops.txt: 1 duplicate edge dropped");
    assert_true(exists("out/series.csv"));
    char out[256];
    path_of(out, sizeof out, "out");
    assert_int_equal(wg_test_rmdir(out), 0);
    file_scenario("loops.txt", ", self_loops: error");
    row("net.yaml", "", 2, "loops.txt:2: self-loop 2 -> 2");
    file_scenario("loops.txt", ", duplicates: error");
    row("net.yaml", "", 2, "loops.txt:4: duplicate edge (1 in all; duplicates: error)");
    write_file("big.txt", "1 2\n4294967295 3\n");
    file_scenario("big.txt", "");
    row("net.yaml", "", 2, "big.txt:2: id 4294967295 is beyond the largest allowed id 4294967294");
    write_file("neg.txt", "1 2\n-4 3\n");
    file_scenario("neg.txt", "");
    row("net.yaml", "", 2, "neg.txt:2: id -4 is negative");
    file_scenario("absent.txt", "");
    row("net.yaml", "", 2, "network.file: cannot read 'absent.txt': No such file or directory");
    write_file("nothing.txt", "");
    file_scenario("nothing.txt", "");
    row("net.yaml", "", 2, "nothing.txt: no edges in the network file");
    write_bytes("bin.txt", "\x01\x02\x00\xff\xfe 7\n", 8);
    file_scenario("bin.txt", "");
    row("net.yaml", "", 2, "bin.txt:1: a NUL byte: not a text file");

    /* a .gz cut in the middle, and one with a flipped byte */
    char text[20000] = "";
    for (int i = 0; i < 1500; i++) snprintf(text + strlen(text), sizeof text - strlen(text), "%d %d\n", i, i + 1);
    write_gz("whole.txt.gz", text);
    size_t len;
    char p[256];
    path_of(p, sizeof p, "whole.txt.gz");
    char *gz = slurp(p, &len);
    assert_non_null(gz);
    write_bytes("cut.txt.gz", gz, len / 2);
    file_scenario("cut.txt.gz", "");
    row("net.yaml", "", 2, "cut.txt.gz: truncated or corrupt gzip data");
    gz[len / 2] ^= 0x55;
    write_bytes("flip.txt.gz", gz, len);
    file_scenario("flip.txt.gz", "");
    row("net.yaml", "", 2, "flip.txt.gz");
    expect_message("corrupt");
    free(gz);

    write_file("dtd.graphml",
               "<?xml version=\"1.0\"?>\n<!DOCTYPE graphml [<!ENTITY boom \"boom\">]>\n"
               "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"><graph edgedefault=\"undirected\">"
               "<node id=\"a\"/><node id=\"b\"/><edge source=\"a\" target=\"b\"/></graph></graphml>\n");
    file_scenario("dtd.graphml", "");
    row("net.yaml", "", 2, "dtd.graphml: DTDs and entities are not accepted");
    write_file("ent.graphml",
               "<?xml version=\"1.0\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"
               "<!ENTITY x \"y\"><graph edgedefault=\"undirected\"><node id=\"a\"/></graph></graphml>\n");
    file_scenario("ent.graphml", "");
    row("net.yaml", "", 2, "ent.graphml: DTDs and entities are not accepted");
}

static void test_too_big(void **state)
{
    (void)state;
    scenario_with("ok.yaml", "");
    /* 24 TB and 448 GB: beyond any machine this runs on; refused before allocating */
    row("ok.yaml", "--set network.generate=complete --set network.nodes=1000000", 1,
        "network: complete of 1000000 nodes needs about 24000.0 GB of memory; this machine has");
    row("ok.yaml", "--set network.nodes=4000000000", 1,
        "network: ring of 4000000000 nodes needs about 448.0 GB of memory; this machine has");
}

/* How many entries tmp/NAME holds (only the temporary files, hidden names
 * with ".tmp.", when hidden_only: .waggle-outputs is not one); 0 when it
 * does not exist. */
static int entries(const char *name, int hidden_only)
{
    char path[256];
    path_of(path, sizeof path, name);
    DIR *d = opendir(path);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n += !hidden_only || (e->d_name[0] == '.' && strstr(e->d_name, ".tmp."));
    closedir(d);
    return n;
}

/* The folder holds no file at all (not even a temporary one). */
static void assert_empty_dir(const char *name)
{
    assert_int_equal(entries(name, 0), 0);
}

static void test_output_folders(void **state)
{
    (void)state;
    scenario_with("ok.yaml", "");
    write_file("afile", "not a folder\n");
    assert_int_equal(run("run ok.yaml -o afile --quiet"), 1);
    expect_message("afile: exists and is not a folder");
    assert_int_equal(run("run ok.yaml -o afile/sub --quiet"), 1);
    expect_message("afile: exists and is not a folder");

    char ro[256];
    path_of(ro, sizeof ro, "readonly");
    assert_int_equal(mkdir(ro, 0555), 0);
    int rc = run_unprivileged("run ok.yaml -o readonly --quiet");
    assert_int_equal(rc, 1);
    expect_message("readonly: cannot write into the folder: Permission denied");
    assert_empty_dir("readonly");
}

static void test_full_disk(void **state)
{
    (void)state;
    char mnt[256];
    path_of(mnt, sizeof mnt, "small");
    assert_int_equal(mkdir(mnt, 0755), 0);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=256k") != 0) {
        fprintf(stderr, "test_robustness: skipped the full disk: cannot mount a tmpfs (%s)\n",
                strerror(errno));
        skip();
    }
    /* series.csv of 400 runs × 200 steps is about 2 MB: it cannot fit */
    scenario_with("ok.yaml", "");
    int rc = run("run ok.yaml -o small/out --quiet -r 400 --set steps=200");
    assert_int_equal(rc, 1);
    expect_message("small/out/series.csv: writing failed: No space left on device");
    assert_empty_dir("small/out");
    /* a PNG that does not fit: the reason, not "cannot write the PNG"; no temporary file.
     * The CSVs of a small run fit (about 6 kB); the space left is then taken by a file
     * but for 8 kB, less than any chart (more than 30 kB each). */
    assert_int_equal(run("run ok.yaml -o small/png --quiet"), 0);
    static const char *const charts[] = {"small/png/curves.png", "small/png/states.png",
                                         "small/png/finals.png"};
    for (int i = 0; i < 3; i++) {
        char p[256];
        path_of(p, sizeof p, charts[i]);
        assert_int_equal(unlink(p), 0);
    }
    struct statvfs vs;
    assert_int_equal(statvfs(mnt, &vs), 0);
    char fill[256];
    path_of(fill, sizeof fill, "small/fill");
    FILE *f = fopen(fill, "wb");
    assert_non_null(f);
    const unsigned long long room = (unsigned long long)vs.f_bavail * vs.f_frsize;
    static const char block[1024];
    for (unsigned long long k = 0; k + 8 * 1024 < room; k += sizeof block)
        if (fwrite(block, 1, sizeof block, f) != sizeof block) break;
    fclose(f);
    assert_int_equal(run("render small/png"), 1);
    expect_message(".png: writing failed: No space left on device");
    assert_int_equal(entries("small/png", 1), 0);
    for (int i = 0; i < 3; i++) assert_false(exists(charts[i]));
    umount(mnt);
}

/* ---- allocation failures ------------------------------------------------------ */

/* Every non-hidden CSV in dir parses completely: a header, then rows with
 * as many fields as the header, each ending in a newline. Returns how many
 * files were checked. */
static int check_complete(const char *dir)
{
    static const char *const files[] = {"series.csv", "summary.csv", "finals.csv"};
    int checked = 0;
    for (size_t i = 0; i < 3; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        size_t len;
        char *s = slurp(p, &len);
        if (!s) continue;
        checked++;
        assert_true(len > 0);
        assert_int_equal(s[len - 1], '\n');
        int fields = -1;
        size_t rows = 0;
        for (char *line = s; *line;) {
            char *end = strchr(line, '\n');
            assert_non_null(end);
            int f = 1;
            for (char *c = line; c < end; c++) f += *c == ',';
            if (fields < 0) fields = f;
            assert_int_equal(f, fields);
            rows++;
            line = end + 1;
        }
        assert_true(rows >= 2);
        free(s);
    }
    char p[512];
    snprintf(p, sizeof p, "%s/manifest.yaml", dir);
    size_t len;
    char *m = slurp(p, &len);
    if (m) {   /* written last: the run is complete */
        assert_non_null(strstr(m, "scenario:\n"));
        assert_int_equal(checked, 3);
        free(m);
    }
    return checked;
}

static void test_alloc_failures(void **state)
{
    (void)state;
    write_file("alloc.yaml",
               "name: allocation failures\nsteps: 6\nruns: 3\nseed: 5\n"
               "network: {generate: ring, nodes: 60}\n"
               "model: {share: {positive: 0.3, negative: 0.3}}\n"
               "segments:\n  - {name: hubs, pick: {by: degree, top: 0.1}, activity: 2}\n"
               "events:\n"
               "  - {step: 0, seed: {valence: negative, count: 2, by: random}}\n"
               "  - {step: 0, seed: {valence: positive, count: 2, by: segment, segment: hubs}}\n"
               "  - {step: 1, media: {valence: positive, amplitude: 0.01, decay: 0.5}}\n"
               "  - {step: 2, respond: {count: 1, by: degree, win: 0.1, calm: 0.4}}\n"
               "  - {step: 3, set: {share.negative: 0.1}}\n");
    assert_int_equal(run("run alloc.yaml -o counted -t 1 --quiet"), 0);
    wg_test_how failing = in_tmp;
    failing.fail_alloc = "count";
    /* counted in a fresh folder, as each oomK is (a folder written before has a
     * .waggle-outputs to read: more allocations) */
    assert_int_equal(run_how(&failing, "run alloc.yaml -o counted-fresh -t 1 --quiet"), 0);
    const char *c = strstr(last_err, "waggle: allocations: ");
    assert_non_null(c);
    long total = atol(c + strlen("waggle: allocations: "));
    assert_true(total > 20);
    char k_text[32];
    failing.fail_alloc = k_text;
    for (long k = 1; k <= total; k++) {
        char out[32], dir[256];
        snprintf(out, sizeof out, "oom%ld", k);
        snprintf(k_text, sizeof k_text, "%ld", k);
        int rc = run_how(&failing, "run alloc.yaml -o %s -t 1 --quiet", out);
        if (rc != 1) fprintf(stderr, "allocation %ld of %ld: exit %d\n%s", k, total, rc, last_err);
        assert_int_equal(rc, 1);
        expect_message("out of memory");
        path_of(dir, sizeof dir, out);
        check_complete(dir);                      /* only complete files, or none */
        assert_int_equal(entries(out, 1), 0);     /* no temporary file left behind */
    }
    /* one more than there are allocations: nothing fails */
    snprintf(k_text, sizeof k_text, "%ld", total + 1);
    assert_int_equal(run_how(&failing, "run alloc.yaml -o oomlast -t 1 --quiet"), 0);
    char d[256];
    path_of(d, sizeof d, "oomlast");
    assert_int_equal(check_complete(d), 3);
}

/* ---- interruption --------------------------------------------------------------- */

/* A run that writes about 27 MB of series.csv: long enough to be killed while
 * computing and while writing. */
static const char long_run[] =
    "name: long\nsteps: 1000\nruns: 1000\nseed: 3\n"
    "network: {generate: ring, nodes: 100}\n"
    "model: {share: {positive: 0.05, negative: 0.05}, quit: {positive: 0.01, negative: 0.01}}\n"
    "events:\n  - {step: 0, seed: {valence: negative, count: 5, by: random}}\n";

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

/* When test_sigkill kills the long run: a fixed time after its start (while
 * it computes), once its folder holds a file (the temporary series.csv: while
 * it writes), or once series.csv is complete (between files). */
typedef enum { KILL_COMPUTING, KILL_WRITING, KILL_AFTER_FIRST_FILE } kill_moment;

#define COMPUTING_MS 30          /* long before the first file */
#define MOMENT_WAIT_MS 60000     /* the longest wait for a moment */
#define KILL_ROUNDS 4            /* tries at the two later moments, at the most */

/* Wait for moment m of the command p writing into tmp/OUT. 1 when it came
 * while the command was still running; 0 when the command ended first. */
static int wait_for(const wg_test_proc *p, kill_moment m, const char *out)
{
    if (m == KILL_COMPUTING) {
        sleep_ms(COMPUTING_MS);
        return 1;
    }
    char series[256];
    snprintf(series, sizeof series, "%s/series.csv", out);
    for (long waited = 0; waited < MOMENT_WAIT_MS; waited++) {
        if (m == KILL_WRITING ? entries(out, 0) > 0 : exists(series)) return 1;
        siginfo_t info = {0};   /* ended? (looked at, not reaped: wg_test_finish reaps) */
        if (waitid(P_PID, (id_t)p->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == p->pid)
            return 0;
        sleep_ms(1);
    }
    return 0;
}

/* Killed with SIGKILL while computing, while writing series.csv and after it:
 * only complete files remain, or none. At least one kill must land while some
 * output file existed (the command still running), or the test proves
 * nothing: the two later moments are tried again, KILL_ROUNDS times at most. */
static void test_sigkill(void **state)
{
    (void)state;
    static const char *const said[] = {"while computing", "while writing series.csv",
                                       "after series.csv was complete"};
    write_file("long.yaml", long_run);
    int landed = 0, tries = 0;
    for (int round = 0; round < KILL_ROUNDS && !landed; round++)
        for (kill_moment m = round ? KILL_WRITING : KILL_COMPUTING; m <= KILL_AFTER_FIRST_FILE; m++) {
            char out[32], dir[256];
            snprintf(out, sizeof out, "killed%d", tries++);
            wg_test_proc p;
            assert_int_equal(wg_test_start(&p, &in_tmp, "run long.yaml -o %s --quiet -t 2", out), 0);
            int came = wait_for(&p, m, out);
            kill(p.pid, SIGKILL);
            int rc = wg_test_finish(&p, NULL, NULL);
            path_of(dir, sizeof dir, out);
            int n = check_complete(dir);   /* only complete files, or none */
            int hit = came && rc == 128 + SIGKILL;
            if (m != KILL_COMPUTING) landed += hit;
            fprintf(stderr, "test_robustness: killed %s: %s; %d complete CSV file%s, %d temporary\n",
                    said[m], hit ? "landed" : "the run had ended first", n, n == 1 ? "" : "s",
                    entries(out, 1));
        }
    if (!landed) fail_msg("no kill landed while the run's files existed (%d tries)", tries);
}

static void test_sigint(void **state)
{
    (void)state;
    write_file("long.yaml", long_run);
    wg_test_proc p;
    assert_int_equal(wg_test_start(&p, &in_tmp, "run long.yaml -o interrupted --quiet -t 2"), 0);
    sleep_ms(300);
    kill(p.pid, SIGINT);
    char *err;
    assert_int_equal(wg_test_finish(&p, NULL, &err), 1);
    assert_non_null(strstr(err, "waggle: error: interrupted: the runs were stopped before they finished"));
    free(err);
    assert_false(exists("interrupted"));
}

/* Valid UTF-8 throughout (the manifest of a scenario whose path is not UTF-8). */
static void test_non_utf8_path(void **state)
{
    (void)state;
    char dir[256];
    path_of(dir, sizeof dir, "d\xff");
    assert_int_equal(mkdir(dir, 0755), 0);
    write_file("d\xff/n.txt", "1 2\n2 3\n");
    write_file("d\xff/s\xfe.yaml", "name: u\nsteps: 3\nruns: 1\nnetwork: {file: n.txt}\n");
    assert_int_equal(run("run 'd\xff/s\xfe.yaml' -o utf --quiet"), 0);
    char p[256];
    path_of(p, sizeof p, "utf/manifest.yaml");
    size_t len;
    unsigned char *m = (unsigned char *)slurp(p, &len);
    assert_non_null(m);
    /* valid UTF-8: every lead byte is followed by its continuation bytes */
    for (size_t i = 0; i < len;) {
        int n = m[i] < 0x80 ? 1 : m[i] >= 0xc2 && m[i] <= 0xdf ? 2 : m[i] >= 0xe0 && m[i] <= 0xef ? 3
              : m[i] >= 0xf0 && m[i] <= 0xf4 ? 4 : 0;
        assert_true(n > 0 && i + n <= len);
        for (int k = 1; k < n; k++) assert_true(m[i + k] >= 0x80 && m[i + k] <= 0xbf);
        i += (size_t)n;
    }
    assert_non_null(strstr((char *)m, "d\\xff/s\\xfe.yaml"));
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_files),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_near_miss_keys),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_story_keys),
        cmocka_unit_test(test_network_files),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_output_folders),
        cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_non_utf8_path),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_sigkill),
        cmocka_unit_test(test_sigint),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    free(last_err);
    return rc;
}
