/*
 * test_golden.c — golden outputs: a fixed set of commands run with the built
 * `waggle` into a temporary folder, and the SHA-256 of every CSV file each
 * writes compared with tests/data/golden/NAME.sha256 (one file per command,
 * lines "HASH  path" as sha256sum prints them, the path relative to the
 * command's output folder). The commands: the demo, the every-lever compare,
 * a sweep, a fit, and the validation suite (every classic model); each at 2
 * threads, and at 1 thread too where that is cheap: the thread count must not
 * change a byte. CSV only: the charts and the manifests record paths and
 * times.
 *
 * A file that differs, is missing or is not in the golden file fails the
 * test, which lists them. The draws (and so these bytes) change only by a
 * deliberate commit that rewrites tests/data/golden/ with `make golden`
 * (`test_golden --update`, which runs the same commands) and says why.
 *
 * Usage: test_golden                      the test (run from the repository root)
 *        test_golden --update [--waggle PATH]
 *                                         rewrite tests/data/golden/ from the
 *                                         outputs of PATH (default $BUILD/waggle)
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <nettle/sha2.h>

#include "wg_test.h"

#define GOLDEN_DIR "tests/data/golden"
#define HASH_HEX (2 * SHA256_DIGEST_SIZE)

/* One command: its name (the golden file NAME.sha256), its arguments (%1$s
 * the output folder, which exists, empty, before it runs; %2$d the threads),
 * and whether it also runs at 1 thread. */
typedef struct golden {
    const char *name;
    const char *args;
    int one_thread;
} golden;

static const golden commands[] = {
    {"demo", "run scenarios/demo.yaml -o %1$s -t %2$d -q", 1},
    /* the longest (6 arms of 60 runs): at 2 threads only; test_cli compares
     * compare's bytes at 1 and 2 threads on a smaller scenario */
    {"compare", "compare scenarios/every-lever.yaml -o %1$s -r 60 -t %2$d -q", 0},
    {"sweep", "sweep tests/data/scenarios/ubg.yaml -o %1$s -r 8 -t %2$d -q --set network.nodes=2000", 1},
    {"fit", "fit tests/data/scenarios/coke.yaml --fit media.positive -r 6 -t %2$d -q -o %1$s "
            "--set network.nodes=3000", 1},
    {"validate", "validate --quick --csv %1$s/validate.csv -t %2$d", 1},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static char tmp[64];
static wg_test_how how;   /* from the repository root; --waggle sets the command */

/* ---- checksums of a folder ------------------------------------------------------ */

/* One CSV file: its path relative to the output folder and its SHA-256 in hex. */
typedef struct sum {
    char path[256];
    char hex[HASH_HEX + 1];
} sum;

typedef struct sums {
    sum *v;
    size_t n, cap;
} sums;

static sum *sums_add(sums *s)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        assert_non_null(s->v);
    }
    memset(&s->v[s->n], 0, sizeof s->v[0]);
    return &s->v[s->n++];
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const sum *)a)->path, ((const sum *)b)->path);
}

/* The SHA-256 of the file at path, in hex; 0 on success. */
static int sha256_file(const char *path, char hex[HASH_HEX + 1])
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    struct sha256_ctx c;
    sha256_init(&c);
    uint8_t buf[65536], digest[SHA256_DIGEST_SIZE];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) sha256_update(&c, n, buf);
    int bad = ferror(f);
    fclose(f);
    sha256_digest(&c, SHA256_DIGEST_SIZE, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return bad ? -1 : 0;
}

/* Every *.csv below root/rel (rel "" at the top), into s. */
static void walk(const char *root, const char *rel, sums *s)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;   /* ., .. and temporary files */
        char sub[256], full[800];
        if ((size_t)snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >= sizeof sub ||
            (size_t)snprintf(full, sizeof full, "%s/%s", root, sub) >= sizeof full)
            fail_msg("%s/%s: the path is too long", dir, e->d_name);
        struct stat sb;
        assert_int_equal(lstat(full, &sb), 0);
        size_t len = strlen(sub);
        if (S_ISDIR(sb.st_mode)) walk(root, sub, s);
        else if (S_ISREG(sb.st_mode) && len > 4 && strcmp(sub + len - 4, ".csv") == 0) {
            sum *x = sums_add(s);
            snprintf(x->path, sizeof x->path, "%s", sub);
            assert_int_equal(sha256_file(full, x->hex), 0);
        }
    }
    closedir(d);
}

/* Run command g at threads into a fresh folder and checksum its CSV files. */
static void run_command(const golden *g, int threads, sums *s)
{
    char out[128], args[1024], *err = NULL;
    snprintf(out, sizeof out, "%s/%s-t%d", tmp, g->name, threads);
    assert_int_equal(mkdir(out, 0755), 0);
    snprintf(args, sizeof args, g->args, out, threads);
    int rc = wg_test_waggle(&how, NULL, &err, "%s", args);
    if (rc != 0) fail_msg("waggle %s: exit %d\n%s", args, rc, err);
    free(err);
    memset(s, 0, sizeof *s);
    walk(out, "", s);
    qsort(s->v, s->n, sizeof s->v[0], by_path);
    if (s->n == 0) fail_msg("waggle %s wrote no CSV file", args);
}

/* ---- the golden files ---------------------------------------------------------- */

static void golden_path(char *buf, size_t size, const golden *g)
{
    snprintf(buf, size, "%s/%s.sha256", GOLDEN_DIR, g->name);
}

/* The golden file of g, parsed and sorted; -1 when it is missing or malformed. */
static int read_golden(const golden *g, sums *s)
{
    char path[256];
    golden_path(path, sizeof path, g);
    memset(s, 0, sizeof *s);
    char *text = wg_test_slurp(path, NULL);
    if (!text) return -1;
    int bad = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        size_t len = strlen(line);
        if (len < HASH_HEX + 3 || strncmp(line + HASH_HEX, "  ", 2) != 0 ||
            strspn(line, "0123456789abcdef") != HASH_HEX || len - HASH_HEX - 2 >= sizeof s->v[0].path) {
            bad = 1;
            break;
        }
        sum *x = sums_add(s);
        memcpy(x->hex, line, HASH_HEX);
        snprintf(x->path, sizeof x->path, "%s", line + HASH_HEX + 2);
    }
    free(text);
    qsort(s->v, s->n, sizeof s->v[0], by_path);
    return bad ? -1 : 0;
}

/* Print one line per file that is not as the golden file says (the
 * failure message holds no more than a line: cmocka cuts longer ones);
 * returns how many. */
static int compare(const sums *want, const sums *got, int threads)
{
    int bad = 0;
    size_t i = 0, j = 0;
    while (i < want->n || j < got->n) {
        int c = i == want->n ? 1 : j == got->n ? -1 : strcmp(want->v[i].path, got->v[j].path);
        if (c < 0)
            print_error("  %s (-t %d): missing\n", want->v[i].path, threads);
        else if (c > 0)
            print_error("  %s (-t %d): written, but not in the golden file\n", got->v[j].path, threads);
        else if (strcmp(want->v[i].hex, got->v[j].hex) != 0)
            print_error("  %s (-t %d): sha256 %s, golden %s\n", got->v[j].path, threads,
                        got->v[j].hex, want->v[i].hex);
        bad += c != 0 || strcmp(want->v[i].hex, got->v[j].hex) != 0;
        i += c <= 0;
        j += c >= 0;
    }
    return bad;
}

static void test_command(void **state)
{
    const golden *g = *state;
    char path[256];
    golden_path(path, sizeof path, g);
    sums want;
    if (read_golden(g, &want) != 0)
        fail_msg("%s is missing or malformed (`make golden` writes it)", path);
    int bad = 0;
    for (int threads = 2; threads >= (g->one_thread ? 1 : 2); threads--) {
        sums got;
        run_command(g, threads, &got);
        bad += compare(&want, &got, threads);
        free(got.v);
    }
    free(want.v);
    if (bad)
        fail_msg("%d CSV checksum%s of `%s` not as %s says (listed above): a change of the "
                 "draws must be a deliberate commit that updates tests/data/golden/ and says why",
                 bad, bad == 1 ? "" : "s", g->name, path);
}

static int setup(void **state)
{
    (void)state;
    if (!how.bin && !wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "golden");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

/* ---- --update --------------------------------------------------------------------- */

/* Run every command at 2 threads and write its golden file. */
static void update_all(void **state)
{
    (void)state;
    mkdir(GOLDEN_DIR, 0755);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        sums got;
        run_command(&commands[i], 2, &got);
        char path[256];
        golden_path(path, sizeof path, &commands[i]);
        FILE *f = fopen(path, "w");
        if (!f) fail_msg("%s: cannot write: %s", path, strerror(errno));
        for (size_t k = 0; k < got.n; k++) fprintf(f, "%s  %s\n", got.v[k].hex, got.v[k].path);
        assert_int_equal(fclose(f), 0);
        print_message("wrote %s (%zu files)\n", path, got.n);
        free(got.v);
    }
}

int main(int argc, char **argv)
{
    int update = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--update") == 0) update = 1;
        else if (strcmp(argv[i], "--waggle") == 0 && i + 1 < argc) how.bin = argv[++i];
        else {
            fprintf(stderr, "usage: test_golden [--update [--waggle PATH]]\n");
            return 2;
        }
    }
    if (update) {
        const struct CMUnitTest u[] = {cmocka_unit_test(update_all)};
        return cmocka_run_group_tests_name("test_golden --update", u, setup, teardown);
    }
    struct CMUnitTest tests[N_COMMANDS];
    for (size_t i = 0; i < N_COMMANDS; i++) {
        tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(test_command, (void *)&commands[i]);
        tests[i].name = commands[i].name;
    }
    return cmocka_run_group_tests(tests, setup, teardown);
}
