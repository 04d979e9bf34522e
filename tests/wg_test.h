/*
 * wg_test.h — plumbing shared by waggle's test programs: a temporary folder
 * per program, files in it, reading a file whole, and where the `waggle`
 * command was built. Header-only (static inline): each test is a program of
 * its own, linked with libwaggle.a only.
 */
#ifndef WG_TEST_H
#define WG_TEST_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Make a fresh folder /tmp/wg-NAME-XXXXXX; dir holds at least 64 bytes. */
static inline int wg_test_mkdtemp(char *dir, const char *name)
{
    snprintf(dir, 64, "/tmp/wg-%.32s-XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

/* Remove a folder made by wg_test_mkdtemp and everything in it. */
static inline int wg_test_rmdir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* $BUILD/waggle (build/waggle by default, as `make check` builds it) into
 * bin, made absolute when `absolute` (for commands run in another folder).
 * Prints why and returns -1 when it is missing or does not fit in bin. */
static inline int wg_test_find_waggle(char *bin, size_t size, int absolute, const char *who)
{
    const char *b = getenv("BUILD");
    char rel[256], abs[PATH_MAX];
    snprintf(rel, sizeof rel, "%s/waggle", b && *b ? b : "build");
    if (access(rel, X_OK) != 0 || (absolute && !realpath(rel, abs)) ||
        (size_t)snprintf(bin, size, "%s", absolute ? abs : rel) >= size) {
        fprintf(stderr, "%s: %s not found (build it first)\n", who, rel);
        return -1;
    }
    return 0;
}

/* The whole file at path, NUL-terminated, malloc'd; its length in *len when
 * len is not NULL. NULL when the file cannot be opened. */
static inline char *wg_test_slurp(const char *path, size_t *len)
{
    if (len) *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
    s[n] = '\0';
    fclose(f);
    if (len) *len = (size_t)n;
    return s;
}

/* Write text to dir/name; 0 on success. */
static inline int wg_test_write(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

#endif
