/*
 * test_text.c — the text helpers of sim/base/text.c: joining paths, reading
 * a whole file (and every way it fails), CSV fields split and quoted, YAML
 * strings, and the shortest number that reads back exactly.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wg_test.h"

#include "waggle/common.h"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    return wg_test_mkdtemp(tmpdir, "text");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmpdir);
}

/* What a writer of FILE * puts out, as a string (buf holds cap bytes). */
#define CAPTURE(buf, cap, call)                                                                   \
    do {                                                                                          \
        FILE *f_ = fmemopen((buf), (cap), "w");                                                   \
        assert_non_null(f_);                                                                      \
        call;                                                                                     \
        fclose(f_);                                                                               \
    } while (0)

static void test_path_join(void **state)
{
    (void)state;
    char *p = wg_path_join("out/demo", "series.csv");
    assert_string_equal(p, "out/demo/series.csv");
    free(p);
    p = wg_path_join("", "x");
    assert_string_equal(p, "/x");
    free(p);
    wg_malloc_fail_after(1);
    assert_null(wg_path_join("a", "b"));
    wg_malloc_fail_after(0);
}

static void test_file_read(void **state)
{
    (void)state;
    char path[128], *text = NULL;
    size_t len = 1;
    wg_diag d;
    wg_diag_init(&d);
    /* larger than the first buffer, so that it grows */
    char *big = malloc(20001);
    for (int i = 0; i < 20000; i++) big[i] = (char)('a' + i % 26);
    big[20000] = '\0';
    assert_int_equal(wg_test_write(tmpdir, "big.txt", big), 0);
    snprintf(path, sizeof path, "%s/big.txt", tmpdir);
    assert_int_equal(wg_file_read(path, &text, &len, &d), WG_OK);
    assert_int_equal(len, 20000);
    assert_string_equal(text, big);
    free(text);
    free(big);
    /* empty: "" and length 0; len may be NULL */
    assert_int_equal(wg_test_write(tmpdir, "empty.txt", ""), 0);
    snprintf(path, sizeof path, "%s/empty.txt", tmpdir);
    assert_int_equal(wg_file_read(path, &text, &len, &d), WG_OK);
    assert_int_equal(len, 0);
    assert_string_equal(text, "");
    free(text);
    assert_int_equal(wg_file_read(path, &text, NULL, &d), WG_OK);
    free(text);
    assert_int_equal(d.count, 0);
    /* missing: WG_EINPUT with the path and the reason; with no wg_diag, errno says why */
    snprintf(path, sizeof path, "%s/none.txt", tmpdir);
    assert_int_equal(wg_file_read(path, &text, &len, &d), WG_EINPUT);
    assert_null(text);
    assert_non_null(strstr(wg_diag_first(&d), "none.txt: cannot read the results file: No such file"));
    wg_diag_free(&d);
    assert_int_equal(wg_file_read(path, &text, &len, NULL), WG_EINPUT);
    assert_int_equal(errno, ENOENT);
    /* a folder is refused before it is read: WG_EINPUT */
    assert_int_equal(wg_file_read(tmpdir, &text, &len, &d), WG_EINPUT);
    assert_non_null(strstr(wg_diag_first(&d), "is a folder, not a results file"));
    assert_null(text);
    wg_diag_free(&d);
    /* out of memory: WG_ENOMEM, nothing returned */
    snprintf(path, sizeof path, "%s/empty.txt", tmpdir);
    wg_malloc_fail_after(1);
    assert_int_equal(wg_file_read(path, &text, &len, &d), WG_ENOMEM);
    wg_malloc_fail_after(0);
    assert_null(text);
    assert_non_null(strstr(wg_diag_first(&d), "out of memory"));
    wg_diag_free(&d);
}

/* A stream: everything up to its end, or WG_EINPUT past the limit; left open. */
static void test_file_read_stream(void **state)
{
    (void)state;
    char src[] = "name: x\nsteps: 3\n", *text = NULL;
    size_t len = 0;
    FILE *f = fmemopen(src, strlen(src), "r");
    assert_int_equal(wg_file_read_stream(f, 0, &text, &len), WG_OK);
    assert_int_equal(len, strlen(src));
    assert_string_equal(text, src);
    free(text);
    rewind(f);
    assert_int_equal(wg_file_read_stream(f, strlen(src), &text, &len), WG_OK);   /* just fits */
    free(text);
    rewind(f);
    assert_int_equal(wg_file_read_stream(f, strlen(src) - 1, &text, &len), WG_EINPUT);
    assert_null(text);
    fclose(f);
    /* a stream that cannot be read: WG_EIO */
    f = fopen("/dev/null", "w");
    assert_int_equal(wg_file_read_stream(f, 0, &text, &len), WG_EIO);
    assert_null(text);
    fclose(f);
}

static void test_csv_split(void **state)
{
    (void)state;
    char *f[4];
    char a[] = "  a , \"b \"\"c\"\"\" ,d\r\n";
    assert_int_equal(wg_csv_split(a, f, 4), 3);
    assert_string_equal(f[0], "a");
    assert_string_equal(f[1], "b \"c\"");
    assert_string_equal(f[2], "d");
    char b[] = ",x,";
    assert_int_equal(wg_csv_split(b, f, 4), 3);
    assert_string_equal(f[0], "");
    assert_string_equal(f[1], "x");
    assert_string_equal(f[2], "");
    char c[] = "1,2,3";   /* only max fields are stored */
    assert_int_equal(wg_csv_split(c, f, 2), 2);
    assert_string_equal(f[0], "1");
    assert_string_equal(f[1], "2");
    char e[] = "\"open, never closed";
    assert_int_equal(wg_csv_split(e, f, 4), 1);
    assert_string_equal(f[0], "open, never closed");
}

static void test_csv_put_text(void **state)
{
    (void)state;
    char buf[128];
    CAPTURE(buf, sizeof buf, wg_csv_put_text(f_, "answered on day 1", WG_CSV_QUOTE_NEEDED));
    assert_string_equal(buf, "answered on day 1");
    CAPTURE(buf, sizeof buf, wg_csv_put_text(f_, "a, \"b\"", WG_CSV_QUOTE_NEEDED));
    assert_string_equal(buf, "\"a, \"\"b\"\"\"");
    CAPTURE(buf, sizeof buf, wg_csv_put_text(f_, "two\nlines", WG_CSV_QUOTE_NEEDED));
    assert_string_equal(buf, "\"two\nlines\"");
    CAPTURE(buf, sizeof buf, wg_csv_put_text(f_, "plain", WG_CSV_QUOTE_ALWAYS));
    assert_string_equal(buf, "\"plain\"");
    CAPTURE(buf, sizeof buf, wg_csv_put_text(f_, "", WG_CSV_QUOTE_ALWAYS));
    assert_string_equal(buf, "\"\"");
    /* what is written splits back into the same field */
    char line[128], *fld[2];
    CAPTURE(line, sizeof line, wg_csv_put_text(f_, "x \"y\", z", WG_CSV_QUOTE_NEEDED));
    assert_int_equal(wg_csv_split(line, fld, 2), 1);
    assert_string_equal(fld[0], "x \"y\", z");
}

static void test_yaml_put_string(void **state)
{
    (void)state;
    char buf[128];
    CAPTURE(buf, sizeof buf, wg_yaml_put_string(f_, "a \"b\" \\ c\td\n\x01\xff"));
    assert_string_equal(buf, "\"a \\\"b\\\" \\\\ c\\td\\n\\x01\\xff\"");
    CAPTURE(buf, sizeof buf, wg_yaml_put_string(f_, "caf\xc3\xa9"));   /* valid UTF-8 as it is */
    assert_string_equal(buf, "\"caf\xc3\xa9\"");
}

static void test_num_shortest(void **state)
{
    (void)state;
    char buf[32];
    const double x[] = {0.1, 0.05, 7, 1.0 / 3, 0.8333333333333334, 1e-300, -2.5e17, 123456789.125};
    const char *const want[] = {"0.1",   "0.05",    "7",       "0.333333333333333",
                                "0.833333333333333", "1e-300", "-2.5e+17", "123456789.125"};
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++) {
        wg_num_shortest(buf, sizeof buf, x[i]);
        assert_true(strtod(buf, NULL) == x[i]);   /* reads back exactly */
        if (i != 3 && i != 4) assert_string_equal(buf, want[i]);
    }
    /* 1/3 needs 16 digits or more: 15 do not read back */
    wg_num_shortest(buf, sizeof buf, 1.0 / 3);
    assert_true(strlen(buf) > strlen("0.333333333333333"));
    wg_num_shortest(buf, sizeof buf, NAN);
    assert_string_equal(buf, "nan");
}

/* Numbers for people: separators, no exponent, no -0, significant digits. */
static void test_num_human(void **state)
{
    (void)state;
    char buf[64];
    const struct {
        double v;
        int dec;
        const char *want;
    } g[] = {{12400, 0, "12,400"}, {-1234567, 0, "-1,234,567"}, {0.25, 2, "0.25"},
             {-0.001, 2, "0.00"}, {999.5, 0, "1,000"}, {100000, 0, "100,000"},
             {1e20, 0, "100,000,000,000,000,000,000"}, {NAN, 1, "n/a"}, {-INFINITY, 0, "-inf"}};
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        wg_num_grouped(buf, sizeof buf, g[i].v, g[i].dec);
        assert_string_equal(buf, g[i].want);
    }
    const struct {
        double v;
        int digits, plus;
        const char *want;
    } h[] = {{12398.7, 3, 0, "12,399"}, {99962, 3, 0, "99,962"}, {0.0192781, 3, 0, "0.0193"},
             {2.5, 3, 0, "2.5"},        {43.6, 3, 0, "43.6"},     {9.996, 3, 0, "10"},
             {99.96, 3, 0, "100"},      {3, 3, 1, "+3"},          {-53.26, 3, 1, "-53.3"},
             {0, 3, 1, "0"},            {1e-9, 3, 1, "0"},        {0.8333333, 4, 0, "0.8333"},
             {9.996e4, 3, 0, "99,960"}, {1.24e4, 3, 0, "12,400"}};
    for (size_t i = 0; i < sizeof h / sizeof h[0]; i++) {
        wg_num_human(buf, sizeof buf, h[i].v, h[i].digits, h[i].plus);
        assert_string_equal(buf, h[i].want);
    }
    /* a small buffer truncates, never overruns */
    char small[4] = "xyz";
    wg_num_grouped(small, sizeof small, 123456, 0);
    assert_string_equal(small, "123");
}

static void test_now_seconds(void **state)
{
    (void)state;
    double a = wg_now_seconds(), b = wg_now_seconds();
    assert_true(a > 0 && b >= a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_join),
        cmocka_unit_test(test_file_read),
        cmocka_unit_test(test_file_read_stream),
        cmocka_unit_test(test_csv_split),
        cmocka_unit_test(test_csv_put_text),
        cmocka_unit_test(test_yaml_put_string),
        cmocka_unit_test(test_num_shortest),
        cmocka_unit_test(test_num_human),
        cmocka_unit_test(test_now_seconds),
    };
    return cmocka_run_group_tests_name("text", tests, setup, teardown);
}
