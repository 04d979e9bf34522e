/*
 * fuzz_folder.h — the body shared by the folder harnesses (fuzz_render,
 * fuzz_merge): the fuzz input is the files of a finished folder, each
 * introduced by a line "==> NAME <==" (as `tail -v -n +1 FILE...` prints
 * them; tools/fuzz builds the corpora so, from folders waggle wrote). NAME
 * is a file waggle writes (series.csv, sweep.csv, manifest.yaml, ...),
 * optionally below one subfolder of lower-case letters, digits and '-'
 * ("base/summary.csv", "s1/sweep.csv"); other names are skipped. The files
 * are written into a fresh temporary folder for each input.
 * Invariants checked by the harnesses: success and an error-free
 * diagnostic list go together; bad input (WG_EINPUT) writes nothing.
 */
#ifndef WAGGLE_FUZZ_FOLDER_H
#define WAGGLE_FUZZ_FOLDER_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "waggle/common.h"

#define FUZZ_MAX_FILES 32   /* files of one input; more are skipped */

static const char *const fuzz_names[] = {
    "series.csv",  "summary.csv", "finals.csv",   "observed.csv", "manifest.yaml",
    "compare.csv", "blowup.csv",  "sweep.csv",    "sensitivity.csv", "optimize.csv",
    "chosen.csv",  "params.csv",  "policies.csv", "compare-series.csv", NULL};

/* The folder of this process's inputs, made once. */
static inline const char *fuzz_root(void)
{
    static char root[64];
    if (!root[0]) {
        snprintf(root, sizeof root, "/tmp/wg-fuzz-folder-%ld", (long)getpid());
        mkdir(root, 0700);
    }
    return root;
}

/* Remove everything below dir (the folder itself stays when keep). */
static inline void fuzz_clear(const char *dir, int keep)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            struct stat sb;
            if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) fuzz_clear(p, 0);
            else unlink(p);
        }
        closedir(d);
    }
    if (!keep) rmdir(dir);
}

/* 1 when name (up to len bytes) is "FILE" or "SUB/FILE" as the header says. */
static inline int fuzz_name_ok(const char *name, size_t *sub)
{
    const char *slash = strchr(name, '/');
    *sub = 0;
    if (slash) {
        if (slash == name || strchr(slash + 1, '/')) return 0;
        for (const char *c = name; c < slash; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-')) return 0;
        *sub = (size_t)(slash - name);
        name = slash + 1;
    }
    for (size_t i = 0; fuzz_names[i]; i++)
        if (!strcmp(name, fuzz_names[i])) return 1;
    return 0;
}

/* Write the files of the input into dir (emptied first). Returns how many. */
static inline int fuzz_folder_write(const char *dir, const uint8_t *data, size_t size)
{
    static const char open_[] = "==> ", close_[] = " <==";
    fuzz_clear(dir, 1);
    int files = 0;
    const char *p = (const char *)data, *end = p + size;
    while (p < end && files < FUZZ_MAX_FILES) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        size_t L = (size_t)(line_end - p);
        if (L > 8 && L < 200 && !memcmp(p, open_, 4) && !memcmp(line_end - 4, close_, 4)) {
            char name[200];
            memcpy(name, p + 4, L - 8);
            name[L - 8] = '\0';
            /* the body: up to the next header line or the end */
            const char *body = nl ? nl + 1 : end, *q = body;
            while (q < end) {
                const char *n2 = memchr(q, '\n', (size_t)(end - q));
                if (end - q > 4 && !memcmp(q, open_, 4)) break;
                q = n2 ? n2 + 1 : end;
            }
            size_t sub;
            if (memchr(name, '\0', L - 8) == NULL && fuzz_name_ok(name, &sub)) {
                char path[512];
                if (sub) {
                    snprintf(path, sizeof path, "%s/%.*s", dir, (int)sub, name);
                    mkdir(path, 0700);
                }
                snprintf(path, sizeof path, "%s/%s", dir, name);
                FILE *f = fopen(path, "wb");
                if (f) {
                    if (q > body) fwrite(body, 1, (size_t)(q - body), f);
                    fclose(f);
                    files++;
                }
            }
            p = q;
            continue;
        }
        p = nl ? nl + 1 : end;
    }
    return files;
}

/* 1 when dir (or a subfolder of it) holds a file whose name ends in suffix. */
static inline int fuzz_has_suffix(const char *dir, const char *suffix, int depth)
{
    DIR *d = opendir(dir);
    int found = 0;
    if (!d) return 0;
    struct dirent *e;
    size_t ls = strlen(suffix);
    while (!found && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        size_t l = strlen(e->d_name);
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) found = depth > 0 && fuzz_has_suffix(p, suffix, depth - 1);
        else found = l >= ls && !strcmp(e->d_name + l - ls, suffix);
    }
    closedir(d);
    return found;
}

#endif
